"""The day each concept scheme came into existence (``schemes.csv``, curated in this project).

The WSIS Action Lines exist from the day the Geneva Plan of Action was adopted, the SDGs from
the day the UN General Assembly adopted the 2030 Agenda: no link to a concept of a scheme is
in force on an earlier day (the named queries read ``wsis:inForceFrom`` of the scheme).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyoxigraph as ox

from loaders.curated import confidence_of, mark, source_iris, split_sources, start
from loaders.rdf import LoadResult, lit
from loaders.tables import read_table
from ontology import DCTERMS, WSIS, XSD
from ontology.ids import Ids

SCHEMES = {"ActionLineScheme": WSIS.ActionLineScheme, "SDGScheme": WSIS.SDGScheme}
REQUIRED = (
    "scheme",
    "in_force_from",
    "source_document_symbol",
    "locator",
    "official_url",
    "mirror_url",
    "date_read",
    "confidence",
)


def load_schemes(ids: Ids, path: Path | None = None) -> LoadResult:
    t = start("schemes", path, ids)
    seen: set[str] = set()
    for row in read_table(t.path, REQUIRED):
        name = row.require("scheme")
        if name not in SCHEMES:
            raise row.error(f"unknown scheme {name!r}; known: {', '.join(SCHEMES)}", "scheme")
        if name in seen:
            raise row.error(f"a second row for {name}: a scheme has one day", "scheme")
        seen.add(name)
        day = row.require("in_force_from", r"\d{4}-\d{2}-\d{2}")
        try:
            date.fromisoformat(day)
        except ValueError as e:
            raise row.error(f"not a day: {e}", "in_force_from") from e
        official, copies = split_sources(t.ids, row["official_url"])
        if copies:
            raise row.error("a third-party copy is not an official address", "official_url")
        node = SCHEMES[name]
        out = t.out
        out.add(node, WSIS.inForceFrom, ox.Literal(day, datatype=XSD.date))
        out.add(node, WSIS.documentSymbol, lit(row.require("source_document_symbol")))
        if row["locator"]:
            out.add(node, WSIS.locator, lit(row["locator"]))
        for address in official:
            out.add(node, DCTERMS.source, address)
        for copy in source_iris(t.ids, row["mirror_url"]):
            out.add(node, WSIS.mirror, copy)
        out.add(
            node,
            WSIS.dateRead,
            ox.Literal(row.require("date_read", r"\d{4}-\d{2}-\d{2}"), datatype=XSD.date),
        )
        mark(out, node, confidence_of(row), t.row_node(row))
        t.report.count("schemes")
    return t.result()
