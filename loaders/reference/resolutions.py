"""Resolutions in the tables: the adopting bodies, the works and their versions (described
the same way for every source, tables and texts), the WTSA resolutions and those the seed
cites."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from loaders.curated import Table, confidence_of, is_general_knowledge, start
from loaders.organs import BODY_SECTOR, add_sector
from loaders.rdf import CONFIDENCE, LoadResult, TripleBuilder, en, lit
from loaders.references import MEETING_NAMES, Meeting, Revision, parse_revision
from loaders.tables import Row, read_table
from ontology import DCTERMS, PROV, RDFS, SKOS, WSIS
from ontology.ids import Ids

BODIES: dict[str, str] = {
    "WTSA": "World Telecommunication Standardization Assembly",
    "PP": "ITU Plenipotentiary Conference",
    "WTDC": "World Telecommunication Development Conference",
    "RA": "Radiocommunication Assembly",
    "Council": "ITU Council",
    "UNGA": "United Nations General Assembly",
    "WSIS": "World Summit on the Information Society",
}
BODY_ALIASES = {"ITU-R": "RA", "COUNCIL": "Council"}
# bodies that adopt resolutions on many days of one session: a meeting per resolution
PER_RESOLUTION_MEETINGS = ("UNGA",)

RES_CITATION = re.compile(
    r"(?P<body>WTSA|WTDC|PP|RA|ITU-R|Council|UNGA)\s+Res(?:olution)?\.?\s+(?P<number>[\d/]+)"
    r"(?:\s*\((?P<revision>[^)]*)\))?(?P<rest>.*)"
)


def normalise_body(body: str) -> str:
    body = BODY_ALIASES.get(body, BODY_ALIASES.get(body.upper(), body))
    if body not in BODIES:
        raise ValueError(f"unknown adopting body {body!r}")
    return body


class Resolutions:
    """Describes resolution works, versions and bodies, the same way for every source
    (tables and texts), so that they meet on the same nodes with the same labels."""

    def __init__(self, ids: Ids, out: TripleBuilder) -> None:
        self.ids = ids
        self.out = out

    def body(self, code: str) -> ox.NamedNode:
        node = self.ids.body(code)
        self.out.typed(node, WSIS.Body)
        self.out.add(node, SKOS.notation, lit(code))
        self.out.add(node, RDFS.label, en(BODIES[code]))
        add_sector(self.out, node, BODY_SECTOR[code])
        return node

    def work(self, body: str, number: str, row_node: ox.NamedNode) -> ox.NamedNode:
        node = self.ids.resolution(body, number)
        out = self.out
        out.typed(node, WSIS.Resolution)
        out.add(node, WSIS.resolutionNumber, lit(number))
        out.add(node, WSIS.adoptedBy, self.body(body))
        add_sector(out, node, BODY_SECTOR[body])
        out.add(node, SKOS.notation, lit(f"{body} Resolution {number}"))
        out.add(node, RDFS.label, en(f"{body} Resolution {number}"))
        out.add(node, PROV.wasDerivedFrom, row_node)
        return node

    def version(
        self, body: str, number: str, rev: Revision, row_node: ox.NamedNode
    ) -> ox.NamedNode:
        work = self.work(body, number, row_node)
        year = rev.meeting.year
        assert year is not None, "a revision read by parse_revision has a year"
        place = rev.meeting.place.normalised if rev.meeting.place else None
        node = self.ids.resolution_version(body, number, year, place)
        out = self.out
        out.typed(node, WSIS.ResolutionVersion)
        out.add(node, DCTERMS.isVersionOf, work)
        out.add(node, WSIS.listedUnder, work)
        add_sector(out, node, BODY_SECTOR[body])
        out.add(node, WSIS.revisionYear, lit(year))
        if place:
            out.add(node, WSIS.revisionPlace, lit(place))
        label = f"{'Rev. ' if rev.is_revision else ''}{place + ', ' if place else ''}{year}"
        out.add(node, WSIS.revisionLabel, lit(label))
        out.add(node, RDFS.label, en(f"{body} Resolution {number} ({label})"))
        out.add(node, PROV.wasDerivedFrom, row_node)
        per_resolution = number if body in PER_RESOLUTION_MEETINGS else None
        out.add(node, WSIS.adoptedAt, self.meeting(body, year, place, per_resolution))
        return node

    def meeting(
        self, body: str, year: int, place: str | None, resolution: str | None = None
    ) -> ox.NamedNode:
        """The meeting of ``body`` a version is named after (a body meets at most once a year;
        the UN General Assembly's plenary per resolution: ontology/ids.py), described so that
        it never dangles; its dates are in the curated table of meetings
        (loaders/meetings.py)."""
        node = self.ids.meeting(body, year, resolution)
        out = self.out
        out.typed(node, WSIS.Meeting)
        out.add(node, WSIS.meetingYear, lit(year))
        out.add(node, WSIS.meetingOf, self.body(body))
        where = f"{place + ', ' if place else ''}{year}"
        what = f", adopting resolution {resolution}" if resolution else ""
        name = MEETING_NAMES.get(body, BODIES[body])  # as a clause citing it is labelled
        out.add(node, RDFS.label, en(f"{name} ({where}{what})"))
        if place:
            out.add(node, WSIS.meetingPlace, lit(place))
        return node


def load_wtsa_resolutions(ids: Ids, path: Path | None = None) -> LoadResult:
    t = start("wtsa-resolutions", path, ids)
    res = Resolutions(t.ids, t.out)
    # the cells stated_action_lines and stated_study_groups are not read: the reviewed
    # itu_action_line_links.csv re-reads their sources (loaders/links.py)
    for row in read_table(
        t.path,
        (
            "number",
            "title",
            "title_source",
            "latest_revision_seen",
            "stated_action_lines",
            "stated_study_groups",
            "confidence",
        ),
    ):
        number = row.require("number", r"\d+")
        row_node = t.row_node(row)
        work = res.work("WTSA", number, row_node)
        title = row.require("title")
        if title.startswith("(topic)"):
            topic = title.removeprefix("(topic)").strip()
            t.out.add(work, SKOS.scopeNote, en(f"topic, not the formal title: {topic}"))
        else:
            t.out.add(work, DCTERMS.title, en(title))
        if is_general_knowledge(row["title_source"]):
            t.out.add(work, WSIS.unsourced, DCTERMS.title)
        t.out.add(work, WSIS.confidence, WSIS[CONFIDENCE[confidence_of(row)]])
        seen = row.get("latest_revision_seen")
        rev = parse_revision(seen.split(";")[0].split("(")[0]) if seen else None
        if rev is not None:
            res.version("WTSA", number, rev, row_node)
        t.report.count("WTSA resolutions")
    return t.result()


def load_cited_resolutions(ids: Ids, path: Path | None = None) -> LoadResult:
    t = start("resolutions-cited-in-seed", path, ids)
    res = Resolutions(t.ids, t.out)
    for row in read_table(t.path, ("body", "number", "revision_as_cited", "title_as_cited")):
        row_node = t.row_node(row)
        body_code = row.require("body")
        number = row.require("number")
        title = row.require("title_as_cited")
        if body_code == "WSIS":
            _wsis_document(t, res, row, row_node)
            continue
        try:
            body = normalise_body(body_code)
        except ValueError as e:
            raise row.error(str(e), "body") from e
        cited = row["revision_as_cited"]
        if modified := re.search(r"last modified (\d{4})", cited):
            rev: Revision | None = Revision(cited, True, Meeting(None, int(modified[1])))
        else:
            rev = parse_revision(cited)
        if rev is None:
            raise row.error(f"cannot read a revision in {cited!r}", "revision_as_cited")
        version = res.version(body, number, rev, row_node)
        t.out.add(version, DCTERMS.title, en(title))  # titles change between revisions
        if notes := row.get("notes"):
            t.out.add(version, WSIS.notes, lit(notes))
        t.report.count("cited resolutions")
    return t.result()


def _wsis_document(t: Table, res: Resolutions, row: Row, row_node: ox.NamedNode) -> None:
    node = t.ids.document(row["number"])
    t.out.typed(node, WSIS.Document)
    t.out.add(node, DCTERMS.title, en(row["title_as_cited"]))
    t.out.add(node, RDFS.label, en(row["number"]))
    t.out.add(node, DCTERMS.creator, res.body("WSIS"))
    if m := re.search(r"\(([A-Z]+-\d+/[^)]*\)?)\)", row["title_as_cited"]):
        t.out.add(node, DCTERMS.identifier, lit(m[1]))
    t.out.add(node, PROV.wasDerivedFrom, row_node)
    t.report.count("cited documents")
