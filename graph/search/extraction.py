"""What the index is built from, read from the store: the entries of a named graph (clauses,
section headings, titles, each with its context) and the provenance that says which graphs
changed since the index was built.

Everything an entry says is read from its own named graph, so the entries of a graph depend
on that graph alone. The SPARQL is in ``graph/search/queries/*.rq`` (not named queries: the
API does not list them), with ``$GRAPH`` or ``$PROVENANCE`` for the graph each reads.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import pyoxigraph as ox

from ontology import WSIS, sparql_prefixes

from ..store import KnowledgeGraph
from .hits import unmarked

# The columns of an entry, in the index's order.
COLUMNS = (
    "graph",
    "kind",
    "iri",
    "text",
    "label",
    "section",
    "clause",
    "version",
    "version_label",
    "resolution",
    "resolution_label",
    "document",
    "document_label",
    "dated",
    "position",
)


@cache
def _text(name: str) -> str:
    """The query ``queries/<name>.rq`` of this package, after the prefixes it uses."""
    folder = resources.files("graph.search").joinpath("queries")
    return sparql_prefixes() + folder.joinpath(f"{name}.rq").read_text(encoding="utf-8")


def query(name: str, *, graph: str | None = None, provenance: ox.NamedNode | None = None) -> str:
    """The query ``name`` reading the named graph ``graph`` (an IRI) or the provenance graph."""
    text = _text(name)
    if graph is not None:
        text = text.replace("$GRAPH", str(ox.NamedNode(graph)))
    if provenance is not None:
        text = text.replace("$PROVENANCE", str(provenance))
    return text


def _value(row: dict[str, ox.NamedNode | ox.BlankNode | ox.Literal], name: str) -> str | None:
    term = row.get(name)
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else None


def _number(value: str | None) -> int:
    try:
        return int(value) if value is not None else 0
    except ValueError:
        return 0


def _title_context(row: dict[str, Any]) -> dict[str, str | None]:
    """What a title entry is the title of: its resolution, version or document."""
    iri = _value(row, "iri")
    kind = _value(row, "type") or ""
    if kind.endswith("#Resolution"):
        return {"resolution": iri, "resolution_label": _value(row, "label")}
    if kind.endswith("#ResolutionVersion"):
        return {"version": iri, "version_label": _value(row, "label")}
    if kind.endswith("#Document"):
        return {"document": iri, "document_label": _value(row, "label")}
    return {}


def read_entries(kg: KnowledgeGraph, graph: str) -> list[dict[str, Any]]:
    """The index entries of one named graph, in document order (clauses, then section
    headings, then titles)."""
    entries: dict[tuple[str, str], dict[str, Any]] = {}

    def add(kind: str, row: dict[str, Any], sort_key: tuple[int, ...], **extra: str | None) -> None:
        iri, text = _value(row, "iri"), _value(row, "text")
        if iri is None or text is None or (kind, iri) in entries:
            return
        values: dict[str, Any] = {name: _value(row, name) for name in COLUMNS}
        values.update(graph=graph, kind=kind, iri=iri, text=unmarked(text), position=sort_key)
        values.update(extra)
        entries[(kind, iri)] = values

    section_of: dict[str, dict[str, Any]] = {}
    for row in kg.select(query("clause-sections", graph=graph)):
        iri = _value(row, "iri")
        if iri is not None:
            section_of.setdefault(iri, row)
    amends: dict[str, str] = {}
    for row in kg.select(query("amended", graph=graph)):
        version, amended = _value(row, "version"), _value(row, "amended")
        if version is not None and amended is not None:
            amends.setdefault(version, amended)
    for clause in kg.select(query("clauses", graph=graph)):
        row = {**section_of.get(_value(clause, "iri") or "", {}), **clause}
        key = tuple(_number(_value(row, n)) for n in ("section_order", "line", "order"))
        version = _value(row, "version")
        # the version whose dates the clause's text follows: a clause of a proposal's draft
        # that the amended version already had (read both or before) is that version's
        kept = _value(row, "reading") in ("both", "before")
        dated = amends.get(version or "", version) if kept else version
        add("clause", row, (0, *key), section=_value(row, "heading"), dated=dated)
    for row in kg.select(query("sections", graph=graph)):
        key = tuple(_number(_value(row, n)) for n in ("section_order", "line"))
        add("section", row, (1, *key, 0), section=_value(row, "text"), dated=_value(row, "version"))
    for title in kg.select(query("titles", graph=graph)):
        context = _title_context(title)
        label = context.get("resolution_label") or context.get("version_label")
        text = _value(title, "text")
        # a resolution is found by its name and number too ("Resolution 75", "WTSA 75"): its
        # title entry reads "WTSA Resolution 75: <title>"
        named = {**title, "text": ox.Literal(f"{label}: {text}")} if label and text else title
        add("title", named, (2, 0, 0, 0), **context, dated=context.get("version"))
    ordered = sorted(entries.values(), key=lambda e: (e["position"], e["iri"]))
    for number, entry in enumerate(ordered):
        entry["position"] = number
    return ordered


def only_loads_since(kg: KnowledgeGraph, release: str | None) -> bool:
    """Whether the entries of a graph indexed at ``release`` are still right when the graph's
    load is the same. Not for a new index (``release`` None), an index of another store, nor
    after a write other than a load (a SPARQL update) since ``release``: that may have changed
    any graph, and every graph is read again."""
    if release is None:
        return False
    ids: set[str] = set()
    for row in kg.select(query("releases", provenance=kg.provenance_graph)):
        made, activity = _value(row, "id"), _value(row, "type")
        if made is None:
            continue
        ids.add(made)
        if made > release and activity != WSIS.Load.value:
            return False
    return release in ids


def sources(kg: KnowledgeGraph) -> dict[str, tuple[str, str | None]]:
    """Every named graph with what wrote it: (its load activity, the sha256 of its input),
    or ("", None) for a graph that no load wrote (only a SPARQL update)."""
    found: dict[str, tuple[str, str | None]] = {}
    for row in kg.select(query("loads", provenance=kg.provenance_graph)):
        graph, load = _value(row, "graph"), _value(row, "load")
        if graph is not None and load is not None:
            found[graph] = (load, _value(row, "sha"))
    for node in kg.store.named_graphs():
        if isinstance(node, ox.NamedNode) and not kg.entailments.maintained(node.value):
            found.setdefault(node.value, ("", None))
    return {g: v for g, v in found.items() if not kg.entailments.maintained(g)}
