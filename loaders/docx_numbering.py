"""Word automatic numbering: the label each numbered paragraph of a .docx displays.

A paragraph is numbered by ``<w:numPr>`` (``w:numId``, ``w:ilvl``) in its ``w:pPr``, or in its
paragraph style (``w:pStyle`` -> ``word/styles.xml``, following ``w:basedOn``). ``w:numId``
names a ``w:num`` in ``word/numbering.xml``, which names a ``w:abstractNum`` (possibly through
a numbering style: ``w:numStyleLink`` -> style -> ``w:num`` -> the ``w:abstractNum`` with the
matching ``w:styleLink``) whose ``w:lvl`` gives, per level, ``w:numFmt``, ``w:lvlText``
("%1)", "%1.%2"), ``w:start``, ``w:lvlRestart`` and ``w:isLgl``; the ``w:num`` may override a
level (``w:lvlOverride`` with ``w:startOverride`` and/or a whole ``w:lvl``).

Counting follows Word: one set of counters per abstract definition (every ``w:num`` on the
same ``w:abstractNum`` continues the same list) with a ``w:startOverride`` restarting its level
the first time its ``w:num`` is used; numbering a level resets the deeper ones (unless their
``w:lvlRestart`` says otherwise); a level with no ``w:start`` counts from 1 (ECMA-376 says 0,
Word always writes the element). Bullets and levels whose text comes out empty give no label.
``w:suff`` (tab, space, nothing) is not followed: the reader always writes a tab after the
label, since a numbered paragraph's label is a label however it is spaced.
:class:`Counters` holds the counters of one reading: the before and after readings of a
document with tracked changes each count their own paragraphs.

Bounds (hostile numbering.xml): start values are clamped to 0..32767 (Word's own range), a
level text is cut to 64 characters (at most nine %N can appear in it), letters and roman
numerals fall back to digits past 780 and 3999, a label is at most 100 characters, and the
numbering-style and ``w:basedOn`` chains stop at a cycle or after 16 links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from loaders.list_labels import letters, roman

__all__ = ["Counters", "Level", "NumRef", "Numbering"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LEVELS = 9
MAX_START = 32767
MAX_LEVEL_TEXT = 64
MAX_LABEL = 100
MAX_LINKS = 16
MAX_LETTERS = 26 * 30
MAX_ROMAN = 3999
_PLACEHOLDER = re.compile(r"%([1-9])")
_INTEGER = re.compile(r"^\s*[+-]?\d+\s*$")
_WHITESPACE = re.compile(r"\s+")

NumRef = tuple[str, int]  # (w:numId, w:ilvl)


@dataclass(frozen=True)
class Level:
    """One level of a numbering definition."""

    fmt: str = "decimal"
    text: str = ""
    start: int = 1
    restart: int | None = None  # w:lvlRestart: None (after any shallower level), 0 (never), k
    legal: bool = False  # w:isLgl: every number in the label in decimal


@dataclass(frozen=True)
class _Definition:
    key: str  # the abstract definition whose counters the list shares
    levels: tuple[Level, ...]
    starts: dict[int, int] = field(default_factory=dict)  # w:startOverride per level


def _val(element: Any, name: str) -> str | None:
    child = element.find(f"{W}{name}") if element is not None else None
    if child is None:
        return None
    value = child.get(f"{W}val")
    return None if value is None else str(value)


def _int(value: str | None, default: int | None, low: int = 0, high: int = MAX_START) -> int | None:
    """An integer attribute, clamped to ``low..high``; long digit strings clamp too."""
    if value is None or not _INTEGER.match(value):
        return default
    digits = value.strip()
    if len(digits.lstrip("+-")) > 9:
        return low if digits.startswith("-") else high
    return max(low, min(high, int(digits)))


def _on(element: Any, name: str) -> bool:
    child = element.find(f"{W}{name}")
    if child is None:
        return False
    return child.get(f"{W}val", "true") not in ("0", "false", "off")


def _level(lvl: Any, base: Level | None = None) -> Level:
    """A w:lvl; what it leaves out comes from ``base`` (a level it overrides) or defaults."""
    base = base or Level()
    fmt = _val(lvl, "numFmt")
    text = _val(lvl, "lvlText")
    start = _int(_val(lvl, "start"), None)
    restart = _int(_val(lvl, "lvlRestart"), None, 0, LEVELS)
    return Level(
        fmt=fmt if fmt is not None else base.fmt,
        text=text[:MAX_LEVEL_TEXT] if text is not None else base.text,
        start=start if start is not None else base.start,
        restart=restart if lvl.find(f"{W}lvlRestart") is not None else base.restart,
        legal=_on(lvl, "isLgl") or (base.legal and lvl.find(f"{W}isLgl") is None),
    )


def _levels(parent: Any) -> dict[int, Any]:
    out: dict[int, Any] = {}
    for lvl in parent.findall(f"{W}lvl"):
        index = _int(lvl.get(f"{W}ilvl"), None, 0, LEVELS)
        if index is not None and index < LEVELS and index not in out:
            out[index] = lvl
    return out


@dataclass(frozen=True)
class _Style:
    num_id: str | None
    ilvl: int | None
    based_on: str | None


class Numbering:
    """The numbering definitions of a document (numbering.xml, and styles.xml for styles)."""

    def __init__(self, numbering: Any | None, styles: Any | None = None) -> None:
        self._abstracts: dict[str, Any] = {}
        self._style_links: dict[str, str] = {}  # numbering style id -> abstractNumId
        self._nums: dict[str, Any] = {}
        self._styles: dict[str, _Style] = {}
        self._default_style: str | None = None
        self._cache: dict[str, _Definition | None] = {}
        if numbering is not None:
            for abstract in numbering.iter(f"{W}abstractNum"):
                key = abstract.get(f"{W}abstractNumId")
                if key is not None and key not in self._abstracts:
                    self._abstracts[key] = abstract
                    link = _val(abstract, "styleLink")
                    if link is not None:
                        self._style_links.setdefault(link, key)
            for num in numbering.iter(f"{W}num"):
                key = num.get(f"{W}numId")
                if key is not None:
                    self._nums.setdefault(key, num)
        if styles is not None:
            for style in styles.iter(f"{W}style"):
                style_id = style.get(f"{W}styleId")
                if style_id is None or style_id in self._styles:
                    continue
                num_pr = style.find(f"{W}pPr/{W}numPr")
                self._styles[style_id] = _Style(
                    _val(num_pr, "numId"),
                    _int(_val(num_pr, "ilvl"), None, 0, LEVELS),
                    _val(style, "basedOn"),
                )
                if (
                    self._default_style is None
                    and style.get(f"{W}type") == "paragraph"
                    and style.get(f"{W}default") in ("1", "true", "on")
                ):
                    self._default_style = style_id

    def __bool__(self) -> bool:
        return bool(self._nums)

    # ------------------------------------------------------------------ paragraphs

    def reference(self, ppr: Any | None) -> NumRef | None:
        """The (numId, level) numbering a paragraph with properties ``ppr``, or None."""
        if not self._nums:
            return None
        num_pr = ppr.find(f"{W}numPr") if ppr is not None else None
        num_id = _val(num_pr, "numId")
        ilvl = _int(_val(num_pr, "ilvl"), None, 0, LEVELS)
        style_id = _val(ppr, "pStyle") if ppr is not None else None
        style_id = style_id or self._default_style
        if num_id is None and style_id is not None:
            num_id, style_ilvl = self._style_numbering(style_id)
            if ilvl is None:
                ilvl = style_ilvl if style_ilvl is not None else self._style_level(num_id, style_id)
        if num_id is None or num_id == "0" or num_id not in self._nums:
            return None
        return num_id, ilvl or 0

    def _style_numbering(self, style_id: str) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        current: str | None = style_id
        num_id: str | None = None
        ilvl: int | None = None
        while current is not None and current not in seen and len(seen) < MAX_LINKS:
            seen.add(current)
            style = self._styles.get(current)
            if style is None:
                break
            num_id = num_id if num_id is not None else style.num_id
            ilvl = ilvl if ilvl is not None else style.ilvl
            if num_id is not None and ilvl is not None:
                break
            current = style.based_on
        return num_id, ilvl

    def _style_level(self, num_id: str | None, style_id: str) -> int | None:
        """The level whose w:pStyle is the paragraph's style (how a numbered style says it)."""
        if num_id is None or num_id not in self._nums:
            return None
        abstract = self._abstract_of(self._nums[num_id])
        if abstract is None:
            return None
        for index, lvl in _levels(abstract).items():
            if _val(lvl, "pStyle") == style_id:
                return index
        return None

    # ------------------------------------------------------------------ definitions

    def _abstract_of(self, num: Any) -> Any | None:
        """The w:abstractNum holding the levels of ``num``, through numbering styles."""
        seen: set[str] = set()
        key = _val(num, "abstractNumId")
        while key is not None and key not in seen and len(seen) < MAX_LINKS:
            seen.add(key)
            abstract = self._abstracts.get(key)
            if abstract is None:
                return None
            link = _val(abstract, "numStyleLink")
            if link is None:
                return abstract
            # the definition is the w:abstractNum whose w:styleLink names the style, or else
            # the one behind the w:num that the style's own numPr names
            key = self._style_links.get(link)
            style = self._styles.get(link)
            if key is None and style is not None and style.num_id in self._nums:
                key = _val(self._nums[style.num_id], "abstractNumId")
        return None  # a cycle, a dangling link, or a chain too long

    def definition(self, num_id: str) -> _Definition | None:
        if num_id in self._cache:
            return self._cache[num_id]
        num = self._nums.get(num_id)
        abstract = self._abstract_of(num) if num is not None else None
        found: _Definition | None = None
        if num is not None and abstract is not None:
            lvls = _levels(abstract)
            levels = [_level(lvls[i]) if i in lvls else Level() for i in range(LEVELS)]
            starts: dict[int, int] = {}
            for override in num.findall(f"{W}lvlOverride"):
                index = _int(override.get(f"{W}ilvl"), None, 0, LEVELS)
                if index is None or index >= LEVELS:
                    continue
                lvl = override.find(f"{W}lvl")
                if lvl is not None:
                    levels[index] = _level(lvl, levels[index])
                start = _int(_val(override, "startOverride"), None)
                if start is not None:
                    starts[index] = start
            key = str(abstract.get(f"{W}abstractNumId"))
            found = _Definition(key, tuple(levels), starts)
        self._cache[num_id] = found
        return found


class Counters:
    """The list counters of one reading of a document."""

    def __init__(self, numbering: Numbering) -> None:
        self.numbering = numbering
        self.values: dict[str, list[int | None]] = {}
        self.overridden: set[NumRef] = set()

    def label(self, ref: NumRef | None) -> str | None:
        """Count a paragraph numbered by ``ref`` and give the label it displays, or None."""
        if ref is None:
            return None
        num_id, ilvl = ref
        definition = self.numbering.definition(num_id)
        if definition is None or not 0 <= ilvl < LEVELS:
            return None
        values = self.values.setdefault(definition.key, [None] * LEVELS)
        level = definition.levels[ilvl]
        current = values[ilvl]
        if ilvl in definition.starts and ref not in self.overridden:
            self.overridden.add(ref)
            values[ilvl] = definition.starts[ilvl]
        elif current is None:
            values[ilvl] = level.start
        else:
            values[ilvl] = current + 1
        for deeper in range(ilvl + 1, LEVELS):
            restart = definition.levels[deeper].restart
            if restart is None or restart > deeper or (restart != 0 and ilvl < restart):
                values[deeper] = None
        if level.fmt == "bullet":
            return None
        return _render(level, ilvl, values, definition.levels)


def _render(
    level: Level, ilvl: int, values: list[int | None], levels: tuple[Level, ...]
) -> str | None:
    def number(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        value = values[index]
        if value is None:  # a shallower level not used yet shows its start value
            value = levels[index].start
        fmt = "decimal" if level.legal and index != ilvl else levels[index].fmt
        return format_number(value, fmt)

    label = _PLACEHOLDER.sub(number, level.text)
    label = _WHITESPACE.sub(" ", label).strip()[:MAX_LABEL]
    return label or None


def format_number(value: int, fmt: str) -> str:
    """``value`` as Word writes it in ``fmt`` (unknown formats in decimal)."""
    if fmt in {"none", "bullet"}:
        return ""
    if fmt in ("lowerLetter", "upperLetter") and 1 <= value <= MAX_LETTERS:
        letter = letters(value, repeat=True)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman") and 1 <= value <= MAX_ROMAN:
        numeral = roman(value)
        return numeral if fmt == "lowerRoman" else numeral.upper()
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)
