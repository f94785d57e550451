"""Find references inside a clause text, with character offsets into the original text.

A *reference* is a span of a clause that names something the knowledge graph knows about:
a WSIS Action Line, a resolution of an ITU body or of the UN General Assembly, a paragraph of
the Tunis Agenda, the Geneva Plan of Action or a resolution, the 2030 Agenda, an SDG (goal or
target), an ITU body (TSAG, TSB, a study group, a Council Working Group), a meeting of a
conference or forum ("the Plenipotentiary Conference (Busan, 2014)", "WTDC-17") or a WSIS+10
outcome document (the WSIS+10 Statement, the WSIS+10 Vision).

A reference may carry ``warnings``: what, in its own words or around them, makes the reading
doubtful (a role that conflicts with another mention of the same Action Line, an orphan title
next to it, a merged revision inside it). They are the evidence a loader lowers its confidence
on.

Matching runs on a *folded* view of the text (NFC per character cluster, non-breaking and
figure spaces → " ", non-breaking/figure hyphens and en dashes → "-", curly quotes → ASCII).
Every folded character remembers the original characters it came from, so the ``start`` and
``end`` of a :class:`Reference` always index the text that was passed in, unchanged.

Everything here is pure: no network, no global state; the one file read is the packaged
curated table of Geneva Plan of Action paragraphs (``wsis_paragraphs.csv``), read once.
``find_references`` never raises on any ``str`` input.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

__all__ = [
    "MEETING_NAMES",
    "WSIS_DOCUMENTS",
    "FoldedText",
    "Meeting",
    "Note",
    "Place",
    "Reference",
    "ReferenceScan",
    "Revision",
    "find_references",
    "fold",
    "normalise_place",
    "parse_meeting",
    "split_places",
    "split_years",
]

# --------------------------------------------------------------------------- folding

_CHAR_MAP = str.maketrans(
    {
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u202f": " ",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2212": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
    }
)


@dataclass(frozen=True)
class FoldedText:
    """A matching view of ``original``; ``starts[i]``/``ends[i]`` locate folded char ``i``.

    When folding changed no length (the usual case) ``starts`` and ``ends`` are empty and the
    mapping is the identity.
    """

    original: str
    folded: str
    starts: tuple[int, ...] = ()
    ends: tuple[int, ...] = ()

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a folded ``[start, end)`` span to the original text."""
        if not self.starts:
            return start, end
        if end <= start:
            point = self.starts[start] if start < len(self.starts) else len(self.original)
            return point, point
        return self.starts[start], self.ends[end - 1]

    def original_of(self, start: int, end: int) -> str:
        """The original text behind a folded span."""
        a, b = self.span(start, end)
        return self.original[a:b]


def fold(text: str) -> FoldedText:
    """Fold ``text`` for matching (see the module docstring), keeping an offset map."""
    if unicodedata.is_normalized("NFC", text):
        return FoldedText(text, text.translate(_CHAR_MAP))
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        for ch in unicodedata.normalize("NFC", text[i:j]).translate(_CHAR_MAP):
            out.append(ch)
            starts.append(i)
            ends.append(j)
        i = j
    return FoldedText(text, "".join(out), tuple(starts), tuple(ends))


# --------------------------------------------------------------------------- places, years

# ITU conference and assembly venues (PP, WTSA, WTDC, RA, WSIS), canonical English spelling.
_KNOWN_PLACES = (
    "Antalya",
    "Baku",
    "Bucharest",
    "Buenos Aires",
    "Busan",
    "Doha",
    "Dubai",
    "Florianópolis",
    "Geneva",
    "Guadalajara",
    "Hammamet",
    "Helsinki",
    "Hyderabad",
    "Istanbul",
    "Johannesburg",
    "Kigali",
    "Kyoto",
    "Malaga-Torremolinos",
    "Mar del Plata",
    "Marrakesh",
    "Minneapolis",
    "Montreal",
    "Montreux",
    "Nairobi",
    "New Delhi",
    "Nice",
    "Sharm el-Sheikh",
    "Tunis",
    "Valletta",
)

# Spellings seen in texts (misspellings and variants) → canonical spelling.
_PLACE_VARIANTS = {
    "new delfi": "New Delhi",
    "new dehli": "New Delhi",
    "delhi": "New Delhi",
    "marrakech": "Marrakesh",
    "florianopolis": "Florianópolis",
    "geneve": "Geneva",
    "genève": "Geneva",
    "montréal": "Montreal",
    "sharm al sheikh": "Sharm el-Sheikh",
    "sharm el shaikh": "Sharm el-Sheikh",
    "malaga torremolinos": "Malaga-Torremolinos",
    "la valette": "Valletta",
    "hammamat": "Hammamet",
    "guadalahara": "Guadalajara",
}


def _place_key(name: str) -> str:
    folded = fold(name).folded.casefold().replace("-", " ")
    return " ".join(folded.split())


_PLACE_TABLE: dict[str, str] = {_place_key(p): p for p in _KNOWN_PLACES}
_PLACE_TABLE.update({_place_key(k): v for k, v in _PLACE_VARIANTS.items()})


@dataclass(frozen=True)
class Place:
    """A place name as written and its canonical spelling (``normalised``).

    ``known`` is False when the name is not in the table: then ``normalised`` repeats the
    text as written (nothing is guessed). ``corrected`` is True when the table changed it.
    """

    as_written: str
    normalised: str
    known: bool

    @property
    def corrected(self) -> bool:
        return self.known and self.normalised != " ".join(self.as_written.split())

    def to_json(self) -> dict[str, Any]:
        return {"as_written": self.as_written, "normalised": self.normalised, "known": self.known}


def normalise_place(as_written: str) -> Place:
    """Look ``as_written`` up in the table of known venues and their misspellings."""
    text = " ".join(as_written.split())
    canonical = _PLACE_TABLE.get(_place_key(text))
    return Place(text, canonical or text, canonical is not None)


def split_places(text: str) -> tuple[list[str], bool]:
    """Split a place list (``"Geneva, New Delfi"``) or a merged token (``"GenevaNew Delfi"``).

    Returns the parts and whether a merged token (no separator) had to be cut. A token is
    only cut where both halves are known places: an unknown token stays whole.
    """
    parts: list[str] = []
    merged = False
    for piece in (p.strip() for p in text.split(",")):
        if not piece:
            continue
        if _place_key(piece) in _PLACE_TABLE:
            parts.append(piece)
            continue
        cut = _cut_merged_place(piece)
        if cut is None:
            parts.append(piece)
        else:
            parts.extend(cut)
            merged = True
    return parts, merged


def _cut_merged_place(piece: str) -> tuple[str, str] | None:
    for i in range(2, len(piece) - 1):
        left, right = piece[:i].strip(), piece[i:].strip()
        if not (left and right and right[0].isupper()):
            continue
        if _place_key(left) in _PLACE_TABLE and _place_key(right) in _PLACE_TABLE:
            return left, right
    return None


def split_years(text: str) -> list[int]:
    """``"2022"`` → [2022]; a merged ``"20222024"`` → [2022, 2024]; anything else → []."""
    digits = text.strip()
    if not digits.isascii() or not digits.isdigit() or len(digits) not in (4, 8):
        return []
    years = [int(digits[i : i + 4]) for i in range(0, len(digits), 4)]
    if any(not 1850 <= y <= 2100 for y in years):
        return []
    return years


@dataclass(frozen=True)
class Meeting:
    """A conference or assembly: place and year (either may be unknown)."""

    place: Place | None
    year: int | None

    def to_json(self) -> dict[str, Any]:
        return {"place": self.place.to_json() if self.place else None, "year": self.year}


@dataclass(frozen=True)
class Note:
    """Something a reader should check: a merged token, a fragment that looks broken."""

    code: str
    message: str


@dataclass(frozen=True)
class Revision:
    """A parenthesised revision such as ``Rev. Bucharest, 2022`` or ``Guadalajara, 2010``.

    ``meeting`` is the only reading, or the later (inserted) one when the text merges two
    readings; ``before`` is the earlier (deleted) reading of a merged text, else None.
    """

    as_written: str
    is_revision: bool
    meeting: Meeting
    before: Meeting | None = None

    @property
    def merged(self) -> bool:
        return self.before is not None

    def to_json(self) -> dict[str, Any]:
        out = _meeting_flat(self.meeting)
        out = {"as_written": self.as_written, "is_revision": self.is_revision, **out}
        if self.before is not None:
            out["before"] = _meeting_flat(self.before)
        return out


def _meeting_flat(meeting: Meeting) -> dict[str, Any]:
    place = meeting.place
    return {
        "place": place.normalised if place else None,
        "place_as_written": place.as_written if place else None,
        "year": meeting.year,
    }


_MEETING = re.compile(
    r"^\s*(?P<rev>Rev\.?\s*)?(?P<places>[^\d;()]{2,80}?)\s*,\s*(?P<years>\d{4}(?:\d{4})?)\s*$",
    re.IGNORECASE,
)


def parse_meeting(inner: str) -> tuple[Revision | None, list[Note]]:
    """Parse the inside of ``(Rev. Place, Year)``, following merged readings with notes."""
    folded = fold(inner).folded
    m = _MEETING.match(folded)
    if m is None:
        return None, []
    names, merged_places = split_places(m.group("places"))
    years = split_years(m.group("years"))
    if not names or not years:
        return None, []
    notes: list[Note] = []
    as_written = " ".join(inner.split())
    if merged_places or len(names) > 1:
        notes.append(Note("merged_place", f"'{m.group('places').strip()}' read as {names}"))
    if len(years) > 1:
        notes.append(Note("merged_year", f"'{m.group('years')}' read as {years}"))
    places = [normalise_place(n) for n in names]
    notes.extend(_place_notes(places))
    after = Meeting(places[-1], years[-1])
    before: Meeting | None = None
    if len(places) > 1 or len(years) > 1:
        before_year = years[0] if len(years) > 1 else None
        before = Meeting(places[0], before_year)
    if len(places) > 2 or (len(places) == 2 and len(years) == 1):
        notes.append(Note("ambiguous_revision", f"'{as_written}': places and years do not pair"))
    return Revision(as_written, m.group("rev") is not None, after, before), notes


def _place_notes(places: list[Place]) -> Iterator[Note]:
    for place in places:
        if place.corrected:
            yield Note("place_spelling", f"'{place.as_written}' normalised to '{place.normalised}'")
        elif not place.known:
            yield Note("unknown_place", f"'{place.as_written}' is not a known ITU venue")


# --------------------------------------------------------------------------- references


@dataclass(frozen=True)
class Reference:
    """One reference found in a text; ``start``/``end`` index the original text.

    Typed fields (only those of the type are set):

    - ``action_line``: ``code`` ("C5"), ``title`` (as written, if any), ``role``: the cue
      nearest before the list ("moderator_facilitator" | "lead_facilitator" |
      "co_facilitator" | "facilitator" | "partner" | "participant" | None).
    - ``resolution``: ``body`` (PP|WTSA|WTDC|RA|Council|UNGA|None), ``number`` ("140",
      "70/125"), ``revision``, ``body_basis`` (how the body was decided: "explicit",
      "number_form", "context", "document", "document_default").
    - ``*_paragraph``: ``paragraphs`` ("69", "70", "71"), ``subparagraphs`` ("a" … "e"),
      ``range_text`` ("69 to 71") and for ``resolution_paragraph`` ``body``/``number``;
      ``geneva_plan_paragraph`` also gives ``code`` (the Action Line of that paragraph, from
      the curated table ``wsis_paragraphs.csv``); the other outcome documents:
      ``tunis_agenda_paragraph``, ``geneva_declaration_paragraph``,
      ``tunis_commitment_paragraph``.
    - ``sdg_goal``: ``code`` ("9", or None for the SDGs as a whole); ``sdg_target``: ``code``
      ("9.c"); ``agenda_2030``: nothing more; ``body``: ``code`` ("TSAG", "SG17", ...).
    - ``meeting``: ``body`` (PP|WTDC|WTSA|RA|WTPF), ``code`` ("PP-14"), ``meeting`` (place and
      year; the place None when the text gives only "WTDC-17").
    - ``wsis_document``: ``code`` ("WSIS+10 Statement" | "WSIS+10 Vision") and ``title``.

    ``warnings`` (any type): notes on this reference's own reading (see the module docstring).
    """

    type: str
    text: str
    start: int
    end: int
    code: str | None = None
    title: str | None = None
    role: str | None = None
    body: str | None = None
    number: str | None = None
    revision: Revision | None = None
    body_basis: str | None = None
    paragraphs: tuple[str, ...] = ()
    subparagraphs: tuple[str, ...] = ()
    range_text: str | None = None
    meeting: Meeting | None = None
    warnings: tuple[Note, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": self.type,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }
        for key in ("code", "title", "role", "body", "number", "body_basis", "range_text"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.type == "resolution":
            out["revision"] = self.revision.to_json() if self.revision else None
        if self.paragraphs:
            out["paragraphs"] = list(self.paragraphs)
        if self.subparagraphs:
            out["subparagraphs"] = list(self.subparagraphs)
        if self.meeting is not None:
            out["meeting"] = _meeting_flat(self.meeting)
        if self.warnings:
            out["warnings"] = [{"code": n.code, "message": n.message} for n in self.warnings]
        return out


@dataclass(frozen=True)
class ReferenceScan:
    """The references of one text, in order of ``start``, and notes about what looked odd."""

    references: tuple[Reference, ...]
    notes: tuple[Note, ...]


@dataclass
class _Scan:
    """Mutable working state of one ``find_references`` call (never leaves this module)."""

    ft: FoldedText
    known_bodies: Mapping[str, str]
    default_body: str | None
    refs: list[tuple[int, int, int, Reference]]  # (folded start, folded end, rank, ref)
    notes: list[Note]

    def make(self, start: int, end: int, **fields: Any) -> Reference:
        a, b = self.ft.span(start, end)
        return Reference(text=self.ft.original[a:b], start=a, end=b, **fields)

    def add(self, start: int, end: int, rank: int, **fields: Any) -> Reference:
        ref = self.make(start, end, **fields)
        self.refs.append((start, end, rank, ref))
        return ref


def find_references(
    text: str,
    *,
    known_bodies: Mapping[str, str] | None = None,
    default_body: str | None = None,
) -> ReferenceScan:
    """Find every reference in ``text``.

    ``known_bodies`` maps a resolution number to the body it was explicitly attributed to
    elsewhere in the same document; ``default_body`` is the body of the document itself (a
    bare "Resolution 44" in a WTSA text is a WTSA resolution). Both are only used when the
    clause itself says nothing.
    """
    folded = fold(text)
    if "\n" in folded.folded:  # a clause's wrapped lines read as one: "of the\nGeneva Plan"
        folded = replace(folded, folded=folded.folded.replace("\n", " "))
    scan = _Scan(folded, known_bodies or {}, default_body, [], [])
    _find_bodies(scan)
    _find_resolutions(scan)
    _find_paragraphs(scan)
    _find_action_lines(scan)
    _find_agenda_and_sdgs(scan)
    _find_meetings(scan)
    _find_wsis_documents(scan)
    return ReferenceScan(_resolve_overlaps(scan.refs), tuple(scan.notes))


# Lower rank wins an overlap; a resolution inside a paragraph reference is kept.
_RANK_BODY, _RANK_PARA, _RANK_RES, _RANK_AL, _RANK_SDG, _RANK_EVENT = 0, 1, 2, 3, 4, 5


def _resolve_overlaps(found: list[tuple[int, int, int, Reference]]) -> tuple[Reference, ...]:
    """Keep a reference unless it overlaps one of lower rank (O(n log n))."""
    kept: list[tuple[int, int, int, Reference]] = []
    for rank in sorted({f[2] for f in found}):
        blocked = _union(sorted((s, e) for s, e, k, _ in kept if not _nests(k, rank)))
        starts = [s for s, _ in blocked]
        for item in (f for f in found if f[2] == rank):
            i = bisect.bisect_left(starts, item[1])  # blocked spans starting before our end
            if i == 0 or blocked[i - 1][1] <= item[0]:
                kept.append(item)
    return tuple(r for _, _, _, r in sorted(kept, key=lambda f: (f[0], f[1])))


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _nests(outer_rank: int, inner_rank: int) -> bool:
    return outer_rank == _RANK_PARA and inner_rank == _RANK_RES


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


# ---- resolutions

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
_PREFIX_BODY = {"ITU-R": "RA", "ITU-T": "WTSA", "ITU-D": "WTDC"}


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
        return _PREFIX_BODY[prefix], "explicit"
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
    from loaders.wsis_paragraphs import action_line_of  # the table, read once and cached

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

_AL_TRIGGER = re.compile(r"\b[Aa]ction [Ll]ines?\b")
_AL_ITEM = re.compile(r"\s*(?P<code>C(?P<n>\d{1,2}))\b(?:\s*\((?P<title>[^()]{1,120})\))?")
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
            if item is not None and 1 <= int(item.group("n")) <= 11:
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
