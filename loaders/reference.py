"""Loaders of the curated reference tables: one table, one named graph.

Each ``load_*`` function reads one CSV and returns a :class:`~loaders.rdf.LoadResult`; none
touches the store. Every resource points to the row it was read from (``prov:wasDerivedFrom``),
every link has a qualified ``wsis:Link`` node with its evidence, confidence and source, and a
value the table marks ``general-knowledge`` is flagged (``wsis:unsourced`` on the resource, or
``wsis:generalKnowledge true`` on a link) so that official answers can leave it out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from loaders.curated import (
    Table,
    confidence_of,
    is_general_knowledge,
    mark,
    source_iris,
    split_sources,
    start,
)
from loaders.errors import TableError
from loaders.organs import BODY_SECTOR, add_sector, organ_names
from loaders.rdf import CONFIDENCE, LoadResult, TripleBuilder, en, lit
from loaders.tables import Row, read_table, table_path
from ontology import DCTERMS, PROV, RDFS, SDGO, SKOS, WSIS
from ontology.ids import Ids

_GITHUB = re.compile(r"github:(?P<repo>[\w.-]+/[\w.-]+)")

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

# organs that a facilitator cell may name (the Union's own organs and the WSIS do not facilitate)
_NOT_FACILITATORS = ("PP", "Council", "GS", "WSIS", "UNGA")


@cache
def _agency_pattern() -> re.Pattern[str]:
    names = [c for c in organ_names() if c not in _NOT_FACILITATORS]
    return re.compile(
        r"\b(" + "|".join(re.escape(a) for a in sorted(names, key=len, reverse=True)) + r")\b"
    )


# ---------------------------------------------------------------- Action Lines and agencies

ACTION_LINE_CODE = r"C(?:1[01]|[1-9])(?:\.e-[a-z]+)?"


def _agency(t: Table, name: str) -> ox.NamedNode:
    node = t.ids.agency(name)
    t.out.typed(node, WSIS.Agency)
    t.out.add(node, SKOS.notation, lit(name))
    t.out.add(node, RDFS.label, en(f"{organ_names()[name]} ({name})"))
    add_sector(t.out, node, name)
    return node


def _facilitators(text: str) -> tuple[list[str], list[str]]:
    """Lead and co-facilitators named in a lead-facilitator cell.

    ``"WMO (lead); UNEP, ITU (co-facilitators)"`` -> (["WMO"], ["UNEP", "ITU"]); parenthesised
    remarks other than the role (``"ITU (2017 ITU report lists C4 - ITU)"``) are not names.
    """
    lead: list[str] = []
    co: list[str] = []
    for part in text.split(";"):
        outside = re.sub(r"\([^)]*\)", " ", part)
        names = [n for n in _agency_pattern().findall(outside) if n not in lead + co]
        (co if "co-facilitator" in part else lead).extend(names)
    return lead, co


def load_action_lines(ids: Ids, path: Path | None = None) -> LoadResult:
    t = start("action-lines", path, ids)
    scheme = WSIS.ActionLineScheme
    rows = list(read_table(t.path, ("id", "parent", "title", "confidence")))
    codes = {r["id"] for r in rows}
    for row in rows:
        _action_line(t, row, scheme, codes)
    t.report.count("action lines", len(rows))
    return t.result()


def _action_line(t: Table, row: Row, scheme: ox.NamedNode, codes: set[str]) -> None:
    out = t.out
    code = row.require("id", ACTION_LINE_CODE)
    node = t.ids.action_line(code)
    row_node = t.row_node(row)
    title = row.require("title")
    out.typed(node, WSIS.ActionLine, SKOS.Concept)
    out.add(node, SKOS.notation, lit(code))
    out.add(node, SKOS.prefLabel, en(title))
    out.add(node, RDFS.label, en(f"{code} {title}"))
    out.add(node, SKOS.inScheme, scheme)
    if alt := row.get("heading_in_wsis_sdg_matrix_app"):
        out.add(node, SKOS.altLabel, en(alt))
    parent = row.get("parent")
    if parent:
        if parent not in codes:
            raise row.error(f"parent {parent!r} is not an Action Line of the table", "parent")
        out.typed(node, WSIS.ActionSubLine)
        out.add(node, SKOS.broader, t.ids.action_line(parent))
    else:
        out.add(node, SKOS.topConceptOf, scheme)
    if para := row.get("geneva_plan_of_action_para"):
        out.add(node, WSIS.genevaPlanParagraph, lit(para))
        if is_general_knowledge(row.get("gpoa_para_source")):
            out.add(node, WSIS.unsourced, WSIS.genevaPlanParagraph)
    if role := row.get("itu_role"):
        out.add(node, WSIS.ituRole, lit(role))
    if is_general_knowledge(row.get("title_source")):
        out.add(node, WSIS.unsourced, SKOS.prefLabel)
    mark(out, node, confidence_of(row), row_node)
    _action_line_facilitators(t, row, node, row_node)


def _action_line_facilitators(
    t: Table, row: Row, node: ox.NamedNode, row_node: ox.NamedNode
) -> None:
    """The facilitators a row names. A link is stated only where an official address backs
    it; one read only in third-party copies is kept, as inferred with the copies as mirrors
    (the reviewed itu_action_line_links.csv states the roles from official pages); one only
    general knowledge backs is inferred and marked so."""
    cell = row.get("lead_facilitator_sourced")
    lead, co = _facilitators(cell)
    citation = row.get("lead_facilitator_source")
    official, copies = split_sources(t.ids, citation)
    for relation, names in ((WSIS.leadFacilitator, lead), (WSIS.coFacilitator, co)):
        for name in names:
            t.out.link(
                node,
                relation,
                _agency(t, name),
                evidence="stated" if official else "inferred",
                confidence="high" if official else "low",
                source=row_node,
                row=row_node,
                citation=citation or None,
                general_knowledge=not citation,
                source_iris=official,
                mirrors=copies,
                source_relation="lead_facilitator_sourced",
                notes=f"as the curated cell has it: {cell}"
                + ("" if official else "; read only in third-party copies"),
            )
    annex = row.get("tunis_agenda_annex_facilitators")
    annex_source = row.get("tunis_annex_source")
    unsourced = is_general_knowledge(annex_source)
    annex_official, annex_copies = split_sources(t.ids, annex_source)
    for name in _agency_pattern().findall(annex):
        if name in lead or name in co:  # the sourced cell already names this agency
            continue
        stated = bool(annex_official) and not unsourced
        t.out.link(
            node,
            WSIS.coFacilitator,
            _agency(t, name),
            evidence="stated" if stated else "inferred",
            confidence="medium" if stated else "low",
            source=row_node,
            row=row_node,
            citation=annex_source or None,
            general_knowledge=unsourced,
            source_relation="tunis_agenda_annex_facilitators",
            source_iris=annex_official if stated else [],
            mirrors=[] if unsourced else annex_copies,
            notes=f"as the curated cell has it: {annex}"
            + ("; the Tunis Agenda annex was not retrieved" if unsourced else ""),
        )


# ---------------------------------------------------------------- SDGs


def _github_source(t: Table, row: Row) -> list[ox.NamedNode]:
    m = _GITHUB.match(row.get("source"))
    if m and row.get("source_path") and row.get("source_commit"):
        return [t.ids.github_file(m["repo"], row["source_path"], row["source_commit"])]
    return source_iris(t.ids, row.get("source"))


def _sdg_concept(
    t: Table,
    row: Row,
    node: ox.NamedNode,
    cls: ox.NamedNode,
    code: str,
    pref_label: str,
    label: str,
) -> None:
    """What every SDG goal, target and indicator has: type, code, labels, scheme, source."""
    out = t.out
    out.typed(node, cls, SKOS.Concept)
    out.add(node, SKOS.notation, lit(code))
    out.add(node, SKOS.prefLabel, en(pref_label))
    out.add(node, RDFS.label, en(label))
    out.add(node, SKOS.inScheme, WSIS.SDGScheme)
    mark(out, node, confidence_of(row), t.row_node(row))


def load_sdg_goals(ids: Ids, path: Path | None = None) -> LoadResult:
    t = start("sdg-goals", path, ids)
    for row in read_table(t.path, ("goal", "short_title", "full_title", "un_kos_uri")):
        number = int(row.require("goal", r"[1-9]|1[0-7]"))
        node = ids.sdg_goal(number)
        if row["un_kos_uri"] != node.value:
            raise row.error(f"expected {node.value}, got {row['un_kos_uri']!r}", "un_kos_uri")
        short = row.require("short_title")
        _sdg_concept(
            t,
            row,
            node,
            SDGO.Goal,
            str(number),
            row.require("full_title"),
            f"SDG {number}: {short}",
        )
        out = t.out
        out.add(node, SKOS.altLabel, en(short))
        out.add(node, SKOS.topConceptOf, WSIS.SDGScheme)
        if sdgio := row.get("sdgio_iri"):
            try:
                out.add(node, SKOS.exactMatch, ox.NamedNode(sdgio))
            except ValueError as e:
                raise row.error(f"{sdgio!r} is not an absolute IRI ({e})", "sdgio_iri") from e
        for src in _github_source(t, row):
            out.add(node, DCTERMS.source, src)
        t.report.count("goals")
    return t.result()


def load_sdg_targets(ids: Ids, path: Path | None = None) -> LoadResult:
    t = start("sdg-targets", path, ids)
    for row in read_table(t.path, ("target", "goal", "text", "target_kind", "un_kos_uri")):
        code = row.require("target", r"([1-9]|1[0-7])\.([1-9][0-9]?|[a-z])")
        goal = row.require("goal", r"[1-9]|1[0-7]")
        if code.split(".")[0] != goal:
            raise row.error(f"target {code} does not belong to goal {goal}", "goal")
        node = ids.sdg_target(code)
        if row["un_kos_uri"] != node.value:
            raise row.error(f"expected {node.value}, got {row['un_kos_uri']!r}", "un_kos_uri")
        kind = row.require("target_kind", "outcome|means_of_implementation|means of implementation")
        _sdg_concept(t, row, node, SDGO.Target, code, row.require("text"), f"SDG target {code}")
        out = t.out
        out.add(node, SDGO.isTargetOf, ids.sdg_goal(goal))
        out.add(node, WSIS.targetKind, lit(kind))
        for src in _github_source(t, row):
            out.add(node, DCTERMS.source, src)
        t.report.count("targets")
    return t.result()


def load_sdg_indicators(ids: Ids, path: Path | None = None) -> LoadResult:
    t = start("sdg-indicators", path, ids)
    required = ("indicator", "goal", "target", "text", "tier", "un_kos_uri_derived")
    for row in read_table(t.path, required):
        code = row.require("indicator", r"([1-9]|1[0-7])\.([1-9][0-9]?|[a-z])\.[1-9][0-9]?")
        target = row.require("target")
        if code.rsplit(".", 1)[0] != target or target.split(".")[0] != row["goal"]:
            raise row.error(f"indicator {code} does not belong to target {target}", "target")
        node = ids.sdg_indicator(code)
        if row["un_kos_uri_derived"] != node.value:
            raise row.error(f"expected {node.value}", "un_kos_uri_derived")
        _sdg_concept(
            t, row, node, SDGO.Indicator, code, row.require("text"), f"SDG indicator {code}"
        )
        out = t.out
        out.add(node, SDGO.isIndicatorOf, ids.sdg_target(target))
        if tier := row.get("tier"):
            out.add(node, WSIS.tier, lit(tier))
        if notes := row.get("notes"):
            out.add(node, WSIS.notes, lit(notes))
        if shared := row.get("shares_series_with"):
            out.add(node, WSIS.notes, lit(f"shares series with {shared}"))
        t.report.count("indicators")
    return t.result()


def load_wsis_sdg_matrix(ids: Ids, path: Path | None = None) -> LoadResult:
    t = start("wsis-sdg-matrix", path, ids)
    errata = _errata(t)
    seen: set[tuple[str, str, str, str]] = set()
    required = ("action_line", "sdg_goal", "sdg_target", "link_level", "listed_under_goal")
    for row in read_table(t.path, (*required, "confidence", "source", "json_pointer")):
        code = row.require("action_line", ACTION_LINE_CODE)
        goal = row.require("sdg_goal", r"[1-9]|1[0-7]")
        level = row.require("link_level", "goal|target")
        if level == "target":
            target = row.require("sdg_target", r"([1-9]|1[0-7])\.([1-9][0-9]?|[a-z])")
            if target.split(".")[0] != goal:
                raise row.error(f"target {target} does not belong to goal {goal}", "sdg_target")
            obj = ids.sdg_target(target)
        else:
            if row.get("sdg_target"):
                raise row.error("a goal-level link names no target", "sdg_target")
            obj = ids.sdg_goal(goal)
        row_node = t.row_node(row)
        seen.add((code, goal, row.get("sdg_target"), row["json_pointer"]))
        notes = [row.get("notes")] if row.get("notes") else []
        if row["listed_under_goal"] != goal:
            notes.append(f"listed under SDG {row['listed_under_goal']} in the source")
        link = t.out.link(
            ids.action_line(code),
            WSIS.contributesToSDG,
            obj,
            evidence="stated",
            confidence=confidence_of(row),
            source=row_node,
            row=row_node,
            citation=f"{MATRIX_SYMBOL} ({MATRIX_URL}), as transcribed in {row['source']} "
            f"{row.get('source_path')} @{row.get('source_commit')}",
            locator=f"JSON pointer {row['json_pointer']} of the transcription"
            + (f"; rationale {row['rationale_id']}" if row.get("rationale_id") else ""),
            source_relation=f"{level}-level link",
            notes="; ".join(notes) or None,
            source_iris=source_iris(ids, MATRIX_URL),
            document_symbol=MATRIX_SYMBOL,
            mirrors=_github_source(t, row),
            date_read="2026-12-05",
        )
        erratum = errata.get((code, goal, row.get("sdg_target"), row["json_pointer"]))
        if erratum is not None:
            t.out.add(link, WSIS.withdrawnBy, erratum)
            t.report.count("matrix links withdrawn by an erratum")
        t.report.count("matrix links")
    unused = set(errata) - seen
    if unused:
        raise TableError(
            "matrix_errata.csv", f"an erratum names no row of {t.path.name}: {sorted(unused)[0]}"
        )
    return t.result()


# The WSIS-SDG Matrix as its publisher names it; the table's rows come from a transcription
MATRIX_SYMBOL = "WSIS-SDG Matrix (UN WSIS Action Line Facilitators, coordinated by ITU)"
MATRIX_URL = "https://www.itu.int/net4/wsis/sdg/"


def _errata(t: Table) -> dict[tuple[str, str, str, str], ox.NamedNode]:
    """The erratum rows of ``matrix_errata.csv``, by the matrix row they withdraw."""
    found = {}
    required = ("action_line", "sdg_goal", "sdg_target", "json_pointer", "action", "reason")
    for row in read_table(table_path("matrix-errata"), required):
        row.require("action", "withdraw")
        row.require("reason")
        node = t.other_row("matrix-errata", row)
        t.out.add(node, WSIS.notes, lit(row["reason"]))
        if corrected := row.get("corrected_by"):
            t.out.add(node, WSIS.notes, lit(f"corrected by {corrected}"))
        key = (row["action_line"], row["sdg_goal"], row["sdg_target"], row["json_pointer"])
        found[key] = node
    return found


# ---------------------------------------------------------------- resolutions

_REVISION = re.compile(
    r"(?P<rev>Rev\.\s*)?(?P<place>[A-ZÀ-Þ][A-Za-zÀ-ÿ' -]*[a-zß-ÿ])?,?\s*(?P<year>(?:19|20)\d{2})"
)
RES_CITATION = re.compile(
    r"(?P<body>WTSA|WTDC|PP|RA|ITU-R|Council|UNGA)\s+Res(?:olution)?\.?\s+(?P<number>[\d/]+)"
    r"(?:\s*\((?P<revision>[^)]*)\))?(?P<rest>.*)"
)


@dataclass(frozen=True)
class Revision:
    place: str | None
    year: int
    revised: bool
    as_written: str


def parse_revision(text: str) -> Revision | None:
    """``"Rev. Dubai, 2018"``, ``"Guadalajara, 2010"``, ``"2015"`` -> a Revision."""
    m = _REVISION.search(text)
    if not m:
        return None
    place = m["place"].strip() if m["place"] else None
    return Revision(place, int(m["year"]), bool(m["rev"]), m.group(0).strip())


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
        node = self.ids.resolution_version(body, number, rev.year, rev.place)
        out = self.out
        out.typed(node, WSIS.ResolutionVersion)
        out.add(node, DCTERMS.isVersionOf, work)
        out.add(node, WSIS.listedUnder, work)
        add_sector(out, node, BODY_SECTOR[body])
        out.add(node, WSIS.revisionYear, lit(rev.year))
        if rev.place:
            out.add(node, WSIS.revisionPlace, lit(rev.place))
        label = f"{'Rev. ' if rev.revised else ''}{rev.place + ', ' if rev.place else ''}{rev.year}"
        out.add(node, WSIS.revisionLabel, lit(label))
        out.add(node, RDFS.label, en(f"{body} Resolution {number} ({label})"))
        out.add(node, PROV.wasDerivedFrom, row_node)
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
        modified = re.search(r"last modified (\d{4})", cited)
        rev = Revision(None, int(modified[1]), True, cited) if modified else parse_revision(cited)
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
