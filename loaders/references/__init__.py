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

The package in parts: ``folding``, ``meetings`` (places, years, revisions), ``model`` (the
reference), ``finder`` (the scan) and one module per kind of reference (``resolutions``,
``paragraphs``, ``action_lines``, ``mentions``).

Everything here is pure: no network, no global state; the one file read is the packaged
curated table of Geneva Plan of Action paragraphs (``wsis_paragraphs.csv``), read once.
``find_references`` never raises on any ``str`` input.
"""

from loaders.references.finder import find_references
from loaders.references.folding import FoldedText, fold
from loaders.references.meetings import (
    Meeting,
    Note,
    Place,
    Revision,
    normalise_place,
    parse_meeting,
    parse_revision,
    split_places,
    split_years,
)
from loaders.references.mentions import MEETING_NAMES, WSIS_DOCUMENTS
from loaders.references.model import Reference, ReferenceScan

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
    "parse_revision",
    "split_places",
    "split_years",
]
