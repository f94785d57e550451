"""The footnotes of a page: the calls (linked, classed or a bare superscript) and the notes
they point to, taken out of the text."""

from __future__ import annotations

import re
from typing import Any

from loaders.formats.html.markup import _DROPPED
from loaders.formats.model import ReaderNote

# the id of a footnote text: "fn1", "ftn1" (Word), "_ftn1", "footnote-1", "fn:1", "note1"
_NOTE_ID = re.compile(r"^_?(?:ftn|fn|footnote|note|endnote|edn)[-_:]?(?P<n>\d{1,3})$", re.I)
_CALL_TEXT = re.compile(r"^\s*(?P<open>[\[(]?)(?P<n>[1-9]\d{0,2})[\])]?\s*$")
_CALL_CLASS = re.compile(r"footnote|noteref|fnref|ftnref", re.I)
_NOTES_CLASS = re.compile(r"(?:foot|end)-?notes?\b", re.I)
_NOTE_BLOCKS = {"p", "li", "div", "aside", "section", "dd", "td", "footer"}
_BACK_LINK = re.compile(r"^\s*(?:\u21a9\ufe0e?|\u2191|\^|back|return)\s*$", re.I)


def _tag(element: Any) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _classes(element: Any) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''} {element.get('role') or ''}"


class _Footnotes:
    """The footnotes of a page: the calls (a link to a note, or a ``<sup>`` whose number is
    that of a note), the note texts, and the elements that hold them (read apart)."""

    def __init__(self, top: Any) -> None:
        self.calls: dict[Any, str] = {}
        self.skip: set[Any] = set()
        self.texts: dict[str, str] = {}
        self._defs: dict[str, Any] = {}
        self._where: dict[str, str] = {}
        elements = [e for e in top.iter() if isinstance(e.tag, str)]
        self._order = {e: i for i, e in enumerate(elements)}
        targets: dict[str, Any] = {}
        for e in elements:
            for key in (e.get("id"), e.get("name") if _tag(e) == "a" else None):
                if key and key not in targets:
                    targets[key] = e
        self._linked(elements, targets)
        self._containers(elements)
        if not self._defs:
            return
        self._bare_sups(elements)
        self._read_texts()

    def _linked(self, elements: list[Any], targets: dict[str, Any]) -> None:
        for a in elements:
            href = a.get("href") or ""
            if _tag(a) != "a" or not href.startswith("#"):
                continue
            target = targets.get(href[1:])
            m = _CALL_TEXT.match("".join(a.itertext()))
            if target is None or m is None or self._order[target] <= self._order[a]:
                continue  # a call comes before its note (a back link goes the other way)
            parent = a.getparent()
            in_sup = parent is not None and _tag(parent) == "sup"
            footnoteish = (
                in_sup
                or a.find(".//sup") is not None
                or _CALL_CLASS.search(_classes(a)) is not None
                or _NOTE_ID.match(href[1:]) is not None
                or m.group("open") == "["
            )
            if not footnoteish:
                continue
            note = self._note_block(target)
            if note is None or any(x is note for x in a.iterancestors()):
                continue
            if len("".join(note.itertext())) > 3000 or any(
                _tag(x) in ("h1", "h2", "h3", "h4", "h5", "h6", "table") for x in note.iter()
            ):
                continue  # a link to a part of the page, not to a note
            n = m.group("n")
            call = parent if in_sup and _same_text(parent, a) else a
            self.calls[call] = n
            if n not in self._defs:
                self._defs[n] = note
                self._where[n] = f"#{href[1:]}"
            self.skip.add(note)

    def _note_block(self, target: Any) -> Any:
        note = target
        while _tag(note) not in _NOTE_BLOCKS:
            note = note.getparent()
            if note is None or _tag(note) in ("body", "html"):
                return None
        # Word: <div id="ftn1"><p><a name="_ftn1">[1]</a> text</p></div>
        parent = note.getparent()
        while parent is not None and _NOTE_ID.match(parent.get("id") or ""):
            note, parent = parent, parent.getparent()
        return note

    def _containers(self, elements: list[Any]) -> None:
        """``div.footnotes``, ``section.footnotes``, an ``ol`` of notes after an ``<hr>`` at
        the end: notes if a link or a ``<sup>`` before them calls one of them."""
        for e in elements:
            tag = _tag(e)
            if tag not in ("div", "section", "aside", "ol", "ul", "footer"):
                continue
            named = _NOTES_CLASS.search(_classes(e)) is not None
            after_rule = tag == "ol" and _after_rule(e) and _last(e)
            if not named and not after_rule:
                continue
            if e in self.skip or any(x in self.skip for x in e.iterancestors()):
                continue
            items = [k for k in e.iter() if k is not e and _tag(k) in ("p", "li")]
            items = [k for k in items if not any(_tag(x) in ("p", "li") for x in _up_to(k, e))]
            start = int(e.get("start") or 1) if (e.get("start") or "1").isdigit() else 1
            found: dict[str, Any] = {}
            for position, item in enumerate(items, start):
                lead = _LEADING_NUMBER.match("".join(item.itertext()))
                if lead is not None:
                    found.setdefault(lead.group("n"), item)
                elif _tag(item) == "li":
                    found.setdefault(str(position), item)
            linked = any(x is e for note in self.skip for x in note.iterancestors())
            sups = {
                m.group("n")
                for s in elements
                if _tag(s) == "sup"
                and self._order[s] < self._order[e]
                and (m := _CALL_TEXT.match("".join(s.itertext()))) is not None
            }
            if not found or not (linked or sups & set(found)):
                continue
            for n, item in found.items():
                if n not in self._defs:
                    self._defs[n] = item
                    self._where[n] = "the notes at the end"
            self.skip.add(e)

    def _bare_sups(self, elements: list[Any]) -> None:
        for sup in elements:
            if _tag(sup) != "sup" or sup in self.calls:
                continue
            m = _CALL_TEXT.match("".join(sup.itertext()))
            if m is None or m.group("n") not in self._defs:
                continue
            if any(x in self.skip or x in self.calls for x in sup.iterancestors()):
                continue
            if any(x in self.calls for x in sup.iter()):
                continue
            before = _text_before(sup)
            if before and before[-1].isdigit():  # "10<sup>6</sup>": a power
                continue
            self.calls[sup] = m.group("n")

    def _read_texts(self) -> None:
        calls = set(self.calls)
        for n, note in sorted(self._defs.items(), key=lambda kv: self._order[kv[1]]):
            text = " ".join(_note_text(note, calls).split())
            lead = _LEADING_NUMBER.match(text)
            if lead is not None and lead.group("n") == n:
                text = text[lead.end() :].strip()
            text = re.sub(r"\s*(?:\u21a9\ufe0e?|\u2191)\s*$", "", text)
            if text:
                self.texts[n] = text
            self.skip.add(note)

    def notes(self) -> list[ReaderNote]:
        out = []
        called: dict[str, int] = {}
        for n in self.calls.values():
            called[n] = called.get(n, 0) + 1
        for n, text in self.texts.items():
            short = text if len(text) <= 60 else text[:57] + "..."
            calls = called.get(n, 0)
            how = f"{calls} call{'s' if calls != 1 else ''} marked" if calls else "no call found"
            out.append(
                ReaderNote(
                    "footnotes_found",
                    f"footnote {n} read from {self._where.get(n, 'the page')}: '{short}'; {how}",
                )
            )
        return out


_LEADING_NUMBER = re.compile(r"^\s*[\[(]?(?P<n>[1-9]\d{0,2})[\])]?[.:]?(?:[ \t\u00a0]+|$)")


def _same_text(outer: Any, inner: Any) -> bool:
    return "".join(outer.itertext()).strip() == "".join(inner.itertext()).strip()


def _up_to(element: Any, top: Any) -> list[Any]:
    out = []
    for x in element.iterancestors():
        if x is top:
            break
        out.append(x)
    return out


def _last(element: Any) -> bool:
    """Nothing but blank text and rules after ``element`` in its parent."""
    nxt = element.getnext()
    while nxt is not None:
        if isinstance(nxt.tag, str) and _tag(nxt) != "hr" and "".join(nxt.itertext()).strip():
            return False
        nxt = nxt.getnext()
    return True


def _after_rule(element: Any) -> bool:
    prev = element.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    return prev is not None and _tag(prev) == "hr"


def _text_before(element: Any) -> str:
    prev = element.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    if prev is not None:
        return prev.tail or ("".join(prev.itertext()) if not prev.tail else "")
    parent = element.getparent()
    return (parent.text or "") if parent is not None else ""


def _note_text(note: Any, calls: set[Any]) -> str:
    """The text of a note without its back links (to a call, "↩") and dropped content."""
    parts: list[str] = []

    def walk(e: Any) -> None:
        tag = _tag(e)
        back = tag == "a" and (
            _BACK_LINK.match("".join(e.itertext())) is not None
            or re.search(r"back|fnref|ftnref", _classes(e) + (e.get("href") or ""), re.I)
            is not None
        )
        if tag and tag not in _DROPPED and not back:
            parts.append(e.text or "")
            for child in e:
                walk(child)
        if e is not note:
            parts.append(e.tail or "")

    walk(note)
    return "".join(parts)
