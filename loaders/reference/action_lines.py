"""The WSIS Action Lines table: each Action Line, its titles, its paragraph of the Geneva
Plan of Action, and its facilitators (lead and co-facilitating agencies) as qualified links."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from loaders.codes import ACTION_LINE_CODE
from loaders.curated import Table, confidence_of, is_general_knowledge, mark, split_sources, start
from loaders.organs import add_sector, organ_names
from loaders.rdf import LoadResult, en, lit
from loaders.tables import Row, read_table
from ontology import RDFS, SKOS, WSIS
from ontology.ids import Ids

# organs that a facilitator cell may name (the Union's own organs and the WSIS do not facilitate)
_NOT_FACILITATORS = ("PP", "Council", "GS", "WSIS", "UNGA")


@cache
def _agency_pattern() -> re.Pattern[str]:
    names = [c for c in organ_names() if c not in _NOT_FACILITATORS]
    return re.compile(
        r"\b(" + "|".join(re.escape(a) for a in sorted(names, key=len, reverse=True)) + r")\b"
    )


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
