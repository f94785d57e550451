"""Places, years, meetings and revisions: "(Rev. Geneva, 2022)", a merged "(GenevaNew
Delfi, 20222024)", venue spellings normalised through one table."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from loaders.references.folding import fold

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


# a table cell: the first "Rev. Place, Year", "Place, Year" or bare year in it
_CELL_REVISION = re.compile(
    r"(?P<rev>Rev\.\s*)?(?P<place>[A-ZÀ-Þ][A-Za-zÀ-ÿ' -]*[a-zß-ÿ])?,?\s*(?P<year>(?:19|20)\d{2})"
)


def parse_revision(text: str) -> Revision | None:
    """The first revision written in ``text`` (a table cell or a citation's parenthesis):
    ``"Rev. Dubai, 2018"``, ``"Guadalajara, 2010"``, ``"2015"``. A place and year are read as
    :func:`parse_meeting` reads them (the venue spelling normalised); a bare year gives a
    meeting without a place."""
    m = _CELL_REVISION.search(text)
    if m is None:
        return None
    if m["place"]:
        revision, _ = parse_meeting(m.group(0))
        if revision is not None and not revision.merged:
            return revision
    place = normalise_place(m["place"]) if m["place"] else None
    return Revision(m.group(0).strip(), m["rev"] is not None, Meeting(place, int(m["year"])))


def _place_notes(places: list[Place]) -> Iterator[Note]:
    for place in places:
        if place.corrected:
            yield Note("place_spelling", f"'{place.as_written}' normalised to '{place.normalised}'")
        elif not place.known:
            yield Note("unknown_place", f"'{place.as_written}' is not a known ITU venue")
