"""Paragraphs of the WSIS outcome documents and of resolutions ("§ 69 to 71 of the Tunis
Agenda", "paragraph 8 c) of the Geneva Plan of Action")."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from loaders.references.meetings import Note
from loaders.references.model import _RANK_PARA, Reference, _Scan
from loaders.wsis_paragraphs import action_line_of  # the table, read once and cached

_PARA_KW = r"(?:§§?|\bparagraphs?|\bparas?\.)"
_PARA_NUMS = (
    r"\s*(?P<first>\d{1,3})(?P<sub>\s*\(?[a-z]\)(?:\s*-\s*\(?[a-z]\))?)?"
    r"(?P<more>(?:\s*(?:,|\band\b|\bto\b|-)\s*\d{1,3}(?![\d/.]))*)"
)
_PARA = re.compile(rf"(?P<kw>{_PARA_KW}){_PARA_NUMS}")
# the WSIS outcome documents, by the names resolution texts give them
_OUTCOME_NAMES = (
    r"(?P<tunis>(?:WSIS )?Tunis Agenda(?: for the Information Society)?)"
    r"|(?P<plan>(?:WSIS )?(?:Geneva )?Plan of Action|(?:WSIS )?Geneva Action Plan)"
    r"|(?P<decl>(?:WSIS )?(?:Geneva )?Declaration of Principles)"
    r"|(?P<commit>(?:WSIS )?Tunis Commitment)"
)
_PARA_DOC = re.compile(
    r"\s*,?\s*of (?:the )?(?:" + _OUTCOME_NAMES + r"|(?P<that>that resolution)"
    r"|(?P<res>(?:(?:UNGA|General Assembly) )?Resolution (?P<resnum>\d{1,4}(?:/\d{1,4})?))"
    r"|(?P<outcome>outcome document of the (?:2015 )?high-level meeting of the General Assembly"
    r" on the overall review of the implementation of (?:the )?WSIS outcomes)"
    r")"
)
# "the Geneva Plan of Action, paragraph 12": the document first, then a comma and the
# paragraph (only this tight form: a document name followed by a number in other words is
# not read as a paragraph reference)
_PARA_REV = re.compile(rf"(?:\bthe )?(?:{_OUTCOME_NAMES}),\s*(?P<kw>{_PARA_KW}){_PARA_NUMS}")
_PARA_DOC_TYPE = {
    "tunis": "tunis_agenda_paragraph",
    "plan": "geneva_plan_paragraph",
    "decl": "geneva_declaration_paragraph",
    "commit": "tunis_commitment_paragraph",
}


def _plan_action_lines(numbers: tuple[str, ...]) -> str | None:
    """The one Action Line the Geneva Plan of Action paragraphs set out, from the curated
    table ``wsis_paragraphs.csv`` (read once; None if they set out none, or several)."""

    codes = {action_line_of("geneva-plan", int(n)) for n in numbers}
    return codes.pop() if len(codes) == 1 else None


def _find_paragraphs(scan: _Scan) -> None:
    text = scan.ft.folded
    resolutions = sorted(
        ((s, r) for s, _, _, r in scan.refs if r.type == "resolution"), key=lambda sr: sr[0]
    )
    earlier = _Earlier([s for s, _ in resolutions], [r for _, r in resolutions])
    taken: list[tuple[int, int]] = []
    # the reversed form names a document before its paragraph: only where one is named
    named_first = ("Tunis" in text or "Plan" in text or "Declaration" in text) and (
        "aragraph" in text or "para" in text or "\u00a7" in text
    )
    for m in _PARA_REV.finditer(text) if named_first else ():
        named = next(k for k in _PARA_DOC_TYPE if m.group(k))
        fields = _paragraph_fields(m)
        fields["type"] = _PARA_DOC_TYPE[named]
        if named == "plan":
            fields["code"] = _plan_action_lines(fields["paragraphs"])
        scan.add(m.start(), m.end(), _RANK_PARA, **fields)
        taken.append((m.start(), m.end()))
    for m in _PARA.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        doc = _PARA_DOC.match(text, m.end())
        if doc is None and m.group("kw").startswith("p"):
            continue  # "paragraph 2" alone is too common to be a reference
        end = doc.end() if doc else m.end()
        fields = _paragraph_fields(m)
        kind = doc.lastgroup if doc else None
        if kind in _PARA_DOC_TYPE:
            fields["type"] = _PARA_DOC_TYPE[kind]
            if kind == "plan":
                fields["code"] = _plan_action_lines(fields["paragraphs"])
        elif doc is None:
            fields["type"] = "paragraph"
        else:
            found = _paragraph_resolution(scan, doc, earlier)
            fields.update(type="resolution_paragraph", **found)
        scan.add(m.start(), end, _RANK_PARA, **fields)


def _paragraph_fields(m: re.Match[str]) -> dict[str, Any]:
    numbers, range_text = _expand_numbers(m.group("first") + m.group("more"))
    return {
        "paragraphs": numbers,
        "subparagraphs": _expand_letters(m.group("sub") or ""),
        "range_text": range_text,
    }


@dataclass(frozen=True)
class _Earlier:
    """The resolutions of a text, by folded start, to resolve "that resolution"."""

    starts: list[int]
    refs: list[Reference]


def _paragraph_resolution(scan: _Scan, doc: re.Match[str], earlier: _Earlier) -> dict[str, Any]:
    if doc.group("outcome"):
        return {"body": "UNGA", "number": "70/125", "body_basis": "alias"}
    if doc.group("resnum"):
        num = doc.group("resnum")
        body = "UNGA" if "/" in num else scan.known_bodies.get(num, scan.default_body)
        return {"body": body, "number": num, "body_basis": "number_form"}
    i = bisect.bisect_left(earlier.starts, doc.start())
    if i == 0:
        scan.notes.append(Note("unresolved_reference", "'that resolution' names no resolution"))
        return {}
    last = earlier.refs[i - 1]
    return {"body": last.body, "number": last.number, "body_basis": "context"}


def _expand_numbers(spec: str) -> tuple[tuple[str, ...], str | None]:
    tokens = re.findall(r"\d+|to|-|,|and", spec)
    numbers: list[int] = []
    pending_range = False
    for tok in tokens:
        if tok.isdigit():
            value = int(tok)
            if pending_range and numbers and 0 < value - numbers[-1] <= 50:
                numbers.extend(range(numbers[-1] + 1, value + 1))
            else:
                numbers.append(value)
            pending_range = False
        else:
            pending_range = tok in ("to", "-")
    has_range = any(t in ("to", "-") for t in tokens)
    return tuple(str(n) for n in numbers), (" ".join(spec.split()) if has_range else None)


def _expand_letters(sub: str) -> tuple[str, ...]:
    letters = re.findall(r"[a-z]", sub)
    if len(letters) == 2 and letters[0] < letters[1]:
        return tuple(chr(c) for c in range(ord(letters[0]), ord(letters[1]) + 1))
    return tuple(letters)


# ---- Action Lines
