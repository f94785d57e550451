"""Sectors and organs: whose work a work is (``organs.csv``, curated in this project).

"ITU-T work" is a filter on data, not a guess: every work, body, group and agency names its
Sector or organ with ``wsis:sector`` — ITU-T, ITU-D, ITU-R, the Plenipotentiary Conference,
the Council, the General Secretariat, the Union itself (ITU), the UN General Assembly, the WSIS,
or another UN agency. The organs are nodes of their own, so ITU (the Union) and ITU-T (one of
its Sectors) never meet on one node: a role of ITU is not a role of ITU-T.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pyoxigraph as ox

from loaders.curated import (
    confidence_of,
    is_general_knowledge,
    mark,
    source_iris,
    start,
)
from loaders.rdf import LoadResult, TripleBuilder, en, lit
from loaders.tables import read_table, table_path
from ontology import DCTERMS, RDFS, SKOS, WSIS, XSD
from ontology.ids import Ids

# the body that adopts a resolution -> the Sector or organ whose work the resolution is
BODY_SECTOR: dict[str, str] = {
    "WTSA": "ITU-T",
    "WTDC": "ITU-D",
    "RA": "ITU-R",
    "PP": "PP",
    "Council": "Council",
    "UNGA": "UNGA",
    "WSIS": "WSIS",
}
# ITU groups a text may name -> their Sector or organ
GROUP_SECTOR: dict[str, str] = {
    "TSAG": "ITU-T",
    "TSB": "ITU-T",
    "CWG-WSIS&SDG": "Council",
    "CWG-Internet": "Council",
}
KINDS = ("union", "sector", "organ", "un_body", "un_summit", "un_agency", "other_organisation")


@cache
def organ_names() -> dict[str, str]:
    """code -> name, for every organ of ``organs.csv``."""
    return {r["code"]: r["name"] for r in read_table(table_path("organs"), ("code", "name"))}


def sector_node(ids: Ids, code: str) -> ox.NamedNode:
    """The node of a Sector or organ (the same IRI as the agency of that code)."""
    if code not in organ_names():
        raise KeyError(f"{code!r} is not a Sector or organ of organs.csv")
    return ids.agency(code)


def add_sector(out: TripleBuilder, node: ox.NamedNode, code: str) -> None:
    out.add(node, WSIS.sector, sector_node(out.ids, code))


def group_sector(code: str) -> str:
    """The Sector or organ of an ITU group a text names (a study group is ITU-T's)."""
    if code.startswith("SG") and code[2:].isdigit():
        return "ITU-T"
    return GROUP_SECTOR.get(code, "ITU")


def load_organs(ids: Ids, path: Path | None = None) -> LoadResult:
    t = start("organs", path, ids)
    rows = list(read_table(t.path, ("code", "name", "kind", "part_of", "source_document_symbol")))
    codes = {r["code"] for r in rows}
    for row in rows:
        code = row.require("code")
        kind = row.require("kind", "|".join(KINDS))
        node = ids.agency(code)
        out = t.out
        out.typed(node, WSIS.Organ, WSIS.Agency)
        out.add(node, SKOS.notation, lit(code))
        out.add(node, SKOS.prefLabel, en(row.require("name")))
        out.add(node, RDFS.label, en(f"{row['name']} ({code})"))
        out.add(node, WSIS.organKind, lit(kind))
        add_sector(out, node, code)  # an organ's work is its own
        if parent := row.get("part_of"):
            if parent not in codes:
                raise row.error(f"{parent!r} is not an organ of the table", "part_of")
            out.add(node, DCTERMS.isPartOf, ids.agency(parent))
        symbol = row["source_document_symbol"]
        if is_general_knowledge(symbol):
            out.add(node, WSIS.unsourced, WSIS.sector)
        else:
            out.add(node, WSIS.documentSymbol, lit(symbol))
            if locator := row.get("locator"):
                out.add(node, WSIS.locator, lit(locator))
            for src in source_iris(ids, row.get("official_url")):
                out.add(node, DCTERMS.source, src)
        if read := row.get("date_read"):
            out.add(node, WSIS.dateRead, ox.Literal(read, datatype=XSD.date))
        if notes := row.get("notes"):
            out.add(node, WSIS.notes, lit(notes))
        mark(out, node, confidence_of(row), t.row_node(row))
        t.report.count("organs")
    return t.result()
