"""WSIS Action Lines in a text ("Action Lines C2, C5 and C6") and the role cue before them
(lead facilitator, co-facilitator, partner ...)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from loaders.codes import ACTION_LINE
from loaders.references.meetings import Note
from loaders.references.model import _RANK_AL, Reference, _Scan

_AL_TRIGGER = re.compile(r"\b[Aa]ction [Ll]ines?\b")
_AL_ITEM = re.compile(rf"\s*(?P<code>{ACTION_LINE})\b(?:\s*\((?P<title>[^()]{{1,120}})\))?")
_AL_ORPHAN = re.compile(r"\s*\((?P<title>[^()]{1,120})\)")
_AL_SEP = re.compile(r"\s*(?:,\s*(?:and\s+)?|\band\s+|&\s*)")
# The role cue nearest before an Action Line list; "moderator/facilitator" is one cue.
_ROLE_CUES = re.compile(
    r"(?P<lead_facilitator>lead facilitat\w*)|(?P<co_facilitator>co-?facilitat\w*)"
    r"|(?P<moderator_facilitator>moderator(?: ?/ ?facilitat\w*)?)"
    r"|(?P<facilitator>facilitat\w*)|(?P<partner>partners?\b|partnership)"
    r"|(?P<participant>participat\w*|in the implementation of"
    r"|contribut\w* to the implementation of)"
)


@dataclass
class _ActionLineItem:
    start: int
    end: int
    ref: Reference
    notes: list[Note]


def _find_action_lines(scan: _Scan) -> None:
    text = scan.ft.folded
    last_end = 0
    items: list[_ActionLineItem] = []
    for trig in _AL_TRIGGER.finditer(text):
        role = _role_before(text, max(last_end, trig.start() - 150), trig.start())
        pos = trig.end()
        expect_item = True
        previous: _ActionLineItem | None = None
        while expect_item:
            item = _AL_ITEM.match(text, pos)
            if item is not None:
                title = item.group("title")
                ref = scan.make(
                    item.start("code"),
                    item.end(),
                    type="action_line",
                    code=item.group("code"),
                    role=role,
                    title=scan.ft.original_of(*item.span("title")) if title else None,
                )
                previous = _ActionLineItem(item.start("code"), item.end(), ref, [])
                items.append(previous)
                pos = item.end()
            elif (orphan := _AL_ORPHAN.match(text, pos)) is not None and pos > trig.end():
                fragment = scan.ft.original_of(orphan.start("title") - 1, orphan.end())
                note = Note("orphan_action_line_title", f"'{fragment}' follows no Action Line code")
                scan.notes.append(note)
                if previous is not None:  # the debris sits right after this item's words
                    previous.notes.append(
                        Note(note.code, f"{note.message}; it follows {previous.ref.code}")
                    )
                pos = orphan.end()
            else:
                break
            sep = _AL_SEP.match(text, pos)
            expect_item = sep is not None
            if sep is not None:
                pos = sep.end()
        last_end = pos
    _role_conflicts(scan, items)
    for found in items:
        ref = replace(found.ref, warnings=tuple(found.notes)) if found.notes else found.ref
        scan.refs.append((found.start, found.end, _RANK_AL, ref))


def _role_conflicts(scan: _Scan, items: list[_ActionLineItem]) -> None:
    """An Action Line named with two roles in one text: a note, and a warning on each item."""
    roles: dict[str, set[str]] = {}
    for found in items:
        roles.setdefault(found.ref.code or "", set()).add(found.ref.role or "")
    for code, seen in sorted(roles.items()):
        named = sorted(seen - {""})
        if len(named) < 2:
            continue
        note = Note("action_line_role_conflict", f"{code} is named with roles {named}")
        scan.notes.append(note)
        for found in items:
            if found.ref.code == code:
                found.notes.insert(0, note)


def _role_before(text: str, start: int, end: int) -> str | None:
    cues = list(_ROLE_CUES.finditer(text, start, end))
    if not cues:
        return None
    return cues[-1].lastgroup


# ---- 2030 Agenda and SDGs
