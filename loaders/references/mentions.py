"""The other things a text names: ITU bodies (TSAG, study groups, Council working groups),
the 2030 Agenda and SDGs, conference meetings ("WTDC-17") and the WSIS+10 documents."""

from __future__ import annotations

import re

from loaders.references.meetings import Meeting, parse_meeting
from loaders.references.model import _RANK_BODY, _RANK_EVENT, _RANK_SDG, _Scan

# ---- bodies

_BODIES: tuple[tuple[re.Pattern[str], str | None], ...] = tuple(
    (re.compile(p), code)
    for p, code in (
        (
            r"Council Working Group on (?:the )?WSIS and (?:the )?Sustainable Development Goals"
            r"(?: \(SDGs\))?",
            "CWG-WSIS&SDG",
        ),
        (r"\bCWG-WSIS ?& ?SDGs?\b", "CWG-WSIS&SDG"),
        (
            r"Council Working Group on (?:international )?Internet-related public policy issues",
            "CWG-Internet",
        ),
        (r"\bCWG-Internet\b", "CWG-Internet"),
        (r"\bWSIS ?& ?SDG Task Force\b", "WSIS&SDG Task Force"),
        (r"\bTelecommunication Standardization Advisory Group\b", "TSAG"),
        (r"\bTSAG\b", "TSAG"),
        (r"\bTelecommunication Standardization Bureau\b", "TSB"),
        (r"\bTSB\b", "TSB"),
        (r"\bITU-T [Ss]tudy [Gg]roups?\b", None),
        (r"\b[Ss]tudy [Gg]roup (?P<sg>\d{1,2})\b", None),
        (r"\bSG ?(?P<sg>\d{1,2})\b", None),
    )
)


def _find_bodies(scan: _Scan) -> None:
    for pattern, code in _BODIES:
        for m in pattern.finditer(scan.ft.folded):
            sg = m.groupdict().get("sg")
            body = code or (f"SG{int(sg)}" if sg else "ITU-T study groups")
            scan.add(m.start(), m.end(), _RANK_BODY, type="body", code=body)


_AGENDA = re.compile(
    r"(?<!Connect )\b(?:2030 Agenda(?: for Sustainable Development)?|Agenda 2030)\b"
)
_SDG_ALL = re.compile(r"\bSustainable Development Goals(?: \(SDGs\))?|\bSDGs\b")
_SDG_GOAL = re.compile(r"\b(?:SDG|Goal|Sustainable Development Goal)\s*(?P<g>\d{1,2})\b(?!\.\d)")
_SDG_TARGET = re.compile(r"\b(?:SDG )?[Tt]argets?\s+(?P<t>\d{1,2}\.[0-9a-z]{1,2})\b")
_SDG_TARGET_MORE = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?P<t>\d{1,2}\.[0-9a-z]{1,2})\b")


def _find_agenda_and_sdgs(scan: _Scan) -> None:
    text = scan.ft.folded
    for m in _AGENDA.finditer(text):
        scan.add(m.start(), m.end(), _RANK_SDG, type="agenda_2030")
    for m in _SDG_ALL.finditer(text):
        scan.add(m.start(), m.end(), _RANK_SDG, type="sdg_goal", code=None)
    for m in _SDG_GOAL.finditer(text):
        if 1 <= int(m.group("g")) <= 17:
            scan.add(m.start(), m.end(), _RANK_SDG, type="sdg_goal", code=str(int(m.group("g"))))
    for m in _SDG_TARGET.finditer(text):
        current: re.Match[str] | None = m
        while current is not None:
            goal = int(current.group("t").split(".")[0])
            if 1 <= goal <= 17:
                start = m.start() if current is m else current.start("t")
                scan.add(
                    start, current.end(), _RANK_SDG, type="sdg_target", code=current.group("t")
                )
            current = _SDG_TARGET_MORE.match(text, current.end())


# ---- meetings of conferences and forums, WSIS+10 outcome documents

_MEETING_BODIES = (
    ("Plenipotentiary Conference", "PP"),
    ("World Telecommunication Development Conference", "WTDC"),
    ("World Telecommunication Standardization Assembly", "WTSA"),
    ("Radiocommunication Assembly", "RA"),
    ("World Telecommunication/ICT Policy Forum", "WTPF"),
)
MEETING_NAMES = {code: name for name, code in _MEETING_BODIES}
_MEETING_FULL = re.compile(
    r"\b(?:"
    + "|".join(f"(?P<{code}>{re.escape(name)})" for name, code in _MEETING_BODIES)
    + r")\s*\((?P<inner>[^()]{4,80})\)"
)
# notes on a meeting's words that put its reading in doubt (a spelling corrected does not)
_DOUBTFUL_MEETING = {"merged_place", "merged_year", "ambiguous_revision"}
_MEETING_SHORT = re.compile(r"\b(?P<body>PP|WTDC|WTSA|RA|WTPF)-(?P<yy>\d{2})\b(?!-)")


def _find_meetings(scan: _Scan) -> None:
    text = scan.ft.folded
    for m in _MEETING_FULL.finditer(text):
        revision, notes = parse_meeting(scan.ft.original_of(*m.span("inner")))
        if revision is None or revision.is_revision or revision.meeting.year is None:
            continue  # "(WTDC)", or a resolution's "(Rev. ...)": not a meeting
        body = next(code for _, code in _MEETING_BODIES if m.group(code) is not None)
        scan.notes.extend(notes)
        scan.add(
            m.start(),
            m.end(),
            _RANK_EVENT,
            type="meeting",
            body=body,
            code=f"{body}-{revision.meeting.year % 100:02d}",
            meeting=revision.meeting,
            warnings=tuple(n for n in notes if n.code in _DOUBTFUL_MEETING),
        )
    for m in _MEETING_SHORT.finditer(text):
        yy = int(m.group("yy"))
        year = (1900 if yy >= 50 else 2000) + yy
        scan.add(
            m.start(),
            m.end(),
            _RANK_EVENT,
            type="meeting",
            body=m.group("body"),
            code=m.group(0),
            meeting=Meeting(None, year),
        )


WSIS_DOCUMENTS = {
    "WSIS+10 Statement": "WSIS+10 Statement on the Implementation of WSIS Outcomes",
    "WSIS+10 Vision": "WSIS+10 Vision for WSIS Beyond 2015",
}
_WSIS_DOCUMENT = re.compile(
    r"\bWSIS ?\+ ?10 (?:(?P<statement>[Ss]tatement)(?: on the implementation of (?:the )?WSIS "
    r"[Oo]utcomes)?|(?P<vision>[Vv]ision)(?: for WSIS [Bb]eyond 2015)?)"
)


def _find_wsis_documents(scan: _Scan) -> None:
    for m in _WSIS_DOCUMENT.finditer(scan.ft.folded):
        code = "WSIS+10 Statement" if m.group("statement") else "WSIS+10 Vision"
        scan.add(
            m.start(),
            m.end(),
            _RANK_EVENT,
            type="wsis_document",
            code=code,
            title=WSIS_DOCUMENTS[code],
        )
