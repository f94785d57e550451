"""What the mapping shares: the status, role and doubt vocabularies, the mapper's state and
the resolution versions it names, and the small readings of warnings and clauses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox

from loaders.rdf import LoadReport, TripleBuilder, lit
from loaders.reference import Resolutions
from loaders.references import Meeting, Place, Revision
from loaders.volumes import Part
from ontology import WSIS
from ontology.ids import Ids

STATUS = {"unchanged": "Unchanged", "modified": "Modified", "added": "Added", "deleted": "Deleted"}
# the role the words give a clause's Action Line (loaders.references), as a sub-property of
# wsis:supportsActionLine; no role cue: plain support
ROLE_PROPERTIES = {
    "moderator_facilitator": "moderatorFacilitatorOf",
    "lead_facilitator": "leadFacilitatorOf",
    "co_facilitator": "coFacilitatorOf",
    "facilitator": "facilitatesActionLine",
    "partner": "partnerInActionLine",
    "participant": "participatesInActionLine",
}
# warnings on a clause that put in doubt whether the proposed text holds it, so the links
# extracted from its words
CLAUSE_DOUBTS = {
    "inferred_reading",
    "likely_deleted",
    "irregular_label",
    "irregular_label_sequence",
}
ACTIONS = {"MOD", "ADD", "SUP"}
# ITU groups a clause may name, by the code the parser gives them
GROUP_NAMES = {
    "CWG-WSIS&SDG": "Council Working Group on WSIS and the SDGs",
    "CWG-Internet": "Council Working Group on international Internet-related public policy issues",
    "TSAG": "Telecommunication Standardization Advisory Group",
    "TSB": "Telecommunication Standardization Bureau",
}


class _MapperBase:
    """What the mapping of one parsed document holds: where it writes, the document's node,
    and once the header is read the resolution's body, work and version; the resolutions and
    versions it names, described as the reference data describes them."""

    body: str
    work: ox.NamedNode
    version: ox.NamedNode
    doubts: dict[str, list[str]]

    def __init__(
        self,
        ids: Ids,
        out: TripleBuilder,
        report: LoadReport,
        path: Path,
        data: dict[str, Any],
        key: str,
        volume: tuple[str, Part] | None = None,
    ) -> None:
        self.ids, self.out, self.report, self.path, self.data = ids, out, report, path, data
        self.key = key
        self.volume = volume
        self.doc = ids.document(self.key)
        self.res = Resolutions(ids, out)

    def _work(self, body: str, number: str) -> ox.NamedNode:
        return self.res.work(body, number, self.doc)

    def _version(
        self, body: str, number: str, work: ox.NamedNode, revision: dict[str, Any], revised: bool
    ) -> ox.NamedNode:
        del work  # Resolutions.version describes the work too
        written = revision.get("place")
        place = (
            Place(written["as_written"], written["normalised"], bool(written.get("known")))
            if written
            else None
        )
        meeting = Meeting(place, int(revision["year"]))
        node = self.res.version(body, number, Revision("", revised, meeting), self.doc)
        if place and place.as_written != place.normalised:
            self.out.add(node, WSIS.asWritten, lit(place.as_written))
        return node


def _warning_text(warning: dict[str, Any]) -> str:
    return f"{warning['place']}: {warning['message']} [{warning['code']}]"


def _confidence(warnings: list[str]) -> str:
    """High on clean words; each warning on the words or the clause's reading lowers it."""
    return "high" if not warnings else "medium" if len(warnings) == 1 else "low"


def _same_meeting(a: dict[str, Any], b: dict[str, Any]) -> bool:
    def key(m: dict[str, Any]) -> tuple[str | None, int | None]:
        return (m.get("place") or {}).get("normalised"), m.get("year")

    return key(a) == key(b)


def _status(clause: dict[str, Any]) -> str:
    if clause.get("status") in STATUS:
        return STATUS[clause["status"]]
    if (clause.get("inferred_change") or {}).get("status") == "deleted":
        return "LikelyDeleted"
    if clause.get("moved_from"):
        return "Moved"
    reading = clause.get("reading")
    if reading == "before":
        return "Deleted"
    if reading == "after":
        return "Added"
    if clause.get("old_label") and clause.get("old_label") != clause.get("label"):
        return "Modified"
    return "Undetermined"
