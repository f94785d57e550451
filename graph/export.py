"""The store written out as RDF: every quad (TriG, N-Quads, JSON-LD), the union of the named
graphs as triples without duplicates (Turtle, N-Triples, RDF/XML), or one named graph; the
common prefixes where the format has prefixes, as /sparql writes them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO, Literal

import pyoxigraph as ox

from ontology import PREFIXES

from .backend import StoreBackend
from .errors import StoreError

ExportFormat = Literal["turtle", "nquads", "ntriples", "jsonld", "trig", "rdfxml"]
EXPORT_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
QUAD_FORMATS = {"trig", "nquads", "jsonld"}
PREFIXED_FORMATS = {"turtle", "trig", "rdfxml"}


def dump(
    store: StoreBackend,
    fmt: str,
    output: IO[bytes] | Path,
    graph: str | None,
    query: Callable[[str], ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples],
) -> None:
    """Write ``store`` (or its named ``graph``) to ``output`` in ``fmt``; ``query`` runs a
    query over the union of the named graphs (the triple formats)."""
    rdf_format = EXPORT_FORMATS.get(fmt)
    if rdf_format is None:
        raise StoreError(f"unknown format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
    target = output if not isinstance(output, Path) else str(output)
    prefixes = PREFIXES if fmt in PREFIXED_FORMATS else None
    if graph is not None:
        node = ox.NamedNode(graph)
        if not store.contains_named_graph(node):
            raise StoreError(f"no named graph {graph}")
        store.dump(target, rdf_format, from_graph=node, prefixes=prefixes)
    elif fmt in QUAD_FORMATS:
        store.dump(target, rdf_format, prefixes=prefixes)
    else:
        # a triple format: the union of the named graphs, without duplicates
        triples = query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        assert isinstance(triples, ox.QueryTriples)
        ox.serialize(triples, target, rdf_format, prefixes=prefixes)
