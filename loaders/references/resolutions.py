"""Resolutions cited in a text ("Resolution 75 (Rev. Geneva, 2022)", "Resolutions 44 and
64 of the WTSA") and the body each belongs to."""

from __future__ import annotations

import re

from loaders.codes import PREFIX_BODY
from loaders.references.meetings import Note, Revision, parse_meeting
from loaders.references.model import _RANK_RES, _Scan

_NUM = r"\d{1,4}(?:/\d{1,4})?(?:-\d{1,2})?"
_RES_HEAD = re.compile(
    rf"\b(?:Resolutions?|RESOLUTIONS?)\s+(?:(?P<prefix>ITU-[RTD])\s+)?(?P<num>{_NUM})\b"
)
_RES_MORE = re.compile(
    rf"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:(?P<prefix>ITU-[RTD])\s+)?(?P<num>{_NUM})\b(?![.,]\d)"
)
_PAREN = re.compile(r"\s*\((?P<inner>[^()]{1,100})\)")
_BODY_NAMES = (
    (r"Plenipotentiary Conference|PP(?:-\d{2})?", "PP"),
    (r"World Telecommunication Development Conference|WTDC(?:-\d{2})?", "WTDC"),
    (r"World Telecommunication Standardization Assembly|WTSA(?:-\d{2})?", "WTSA"),
    (r"(?:ITU )?Radiocommunication Assembly|RA(?:-\d{2})?", "RA"),
    (r"(?:ITU )?Council", "Council"),
    (
        r"United Nations General Assembly(?: \(UNGA\))?|UN General Assembly|General Assembly|UNGA",
        "UNGA",
    ),
    (r"this (?:Assembly|Conference)", "SELF"),
)
_BODY_ALT = "|".join(f"(?P<b{i}>{p})" for i, (p, _) in enumerate(_BODY_NAMES))
_BODY_BEFORE = re.compile(rf"(?:{_BODY_ALT})(?:,? in(?: its)?)?\s*$")
_BODY_AFTER = re.compile(
    rf"^\s*(?:\([A-Z-]{{2,6}}\)\s*)?,?\s*(?:(?:first )?adopted |approved )?(?:of|by) (?:the )?"
    rf"(?:{_BODY_ALT})"
)
_BODY_CONTEXT = re.compile(rf"^[^;.]{{0,120}}?\bresolutions? of (?:the )?(?:{_BODY_ALT})")


def _body_of(m: re.Match[str]) -> str:
    for i, (_, body) in enumerate(_BODY_NAMES):
        if m.group(f"b{i}") is not None:
            return body
    raise AssertionError("unreachable: one alternative always matches")


def _find_resolutions(scan: _Scan) -> None:
    text = scan.ft.folded
    for head in _RES_HEAD.finditer(text):
        items = [_res_item(scan, head)]
        while True:
            more = _RES_MORE.match(text, items[-1][1])
            if more is None:
                break
            items.append(_res_item(scan, more))
        list_end = items[-1][1]
        shared = _shared_body(scan, head.start(), list_end)
        for start, end, prefix, num, revision in items:
            body, basis = _decide_body(scan, prefix, num, shared, end)
            merged = revision is not None and revision.merged
            scan.add(
                start,
                end,
                _RANK_RES,
                type="resolution",
                body=body,
                number=num,
                revision=revision,
                body_basis=basis,
                warnings=(_merged_revision_note(revision),) if merged else (),
            )


def _res_item(scan: _Scan, m: re.Match[str]) -> tuple[int, int, str | None, str, Revision | None]:
    end = m.end()
    revision: Revision | None = None
    paren = _PAREN.match(scan.ft.folded, end)
    if paren is not None:
        revision, notes = parse_meeting(scan.ft.original_of(*paren.span("inner")))
        if revision is not None:
            end = paren.end()
            scan.notes.extend(notes)
            if revision.merged:
                scan.notes.append(_merged_revision_note(revision))
    start = m.start("num") if m.re is _RES_MORE else m.start()
    if m.group("prefix") and m.re is _RES_MORE:
        start = m.start("prefix")
    return start, end, m.group("prefix"), m.group("num"), revision


def _merged_revision_note(revision: Revision | None) -> Note:
    written = revision.as_written if revision else ""
    return Note("merged_revision", f"'{written}' holds two readings")


def _shared_body(scan: _Scan, start: int, end: int) -> str | None:
    text = scan.ft.folded
    before = _BODY_BEFORE.search(text, max(0, start - 60), start)
    if before is not None:
        return _body_of(before)
    after = _BODY_AFTER.match(text[end : end + 140])
    if after is not None:
        return _body_of(after)
    return None


def _decide_body(
    scan: _Scan, prefix: str | None, num: str, shared: str | None, end: int
) -> tuple[str | None, str | None]:
    if prefix:
        return PREFIX_BODY[prefix], "explicit"
    if shared is not None:
        return (scan.default_body if shared == "SELF" else shared), "explicit"
    if "/" in num:
        return "UNGA", "number_form"
    context = _BODY_CONTEXT.match(scan.ft.folded[end : end + 200])
    if context is not None and _body_of(context) != "SELF":
        return _body_of(context), "context"
    if num in scan.known_bodies:
        return scan.known_bodies[num], "document"
    if len(num) == 4 and num.startswith("1"):
        return "Council", "number_form"
    if scan.default_body is not None:
        return scan.default_body, "document_default"
    return None, None


# ---- paragraphs
