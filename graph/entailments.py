"""The materialised entailments, kept per source graph so that a write recomputes only what
it changes (ARCHITECTURE.md, "Writes that scale").

The rules are graph/rules/*.rq. A rule of scope ``source`` reads one source graph (and what
the rules before it derived from that graph) with the ontology, and writes into that
graph's own entailment graph, ``Ids.entailments_of(graph)``: replacing or dropping a graph
replaces or drops exactly its entailments, whatever else the store holds. A triple the source
states itself is never entailed again; one stated by another graph may be (a query over the
union sees it twice, as it sees a triple two sources state).

A rule of scope ``store`` (the C7 sub-line roll-up) joins several graphs; its results live
in the store-wide entailment graph (``Ids.graph("entailments")``). After a write it runs for
the subjects the write touched, before and after: the *scope*, collected into a graph that
lives only inside the write's transaction. Replacing the ontology recomputes everything.

Every text here is a sequence of SPARQL Update operations with full IRIs, appended to the
write's own update so that a write and its entailments are one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pyoxigraph as ox

from ontology import PREFIXES, sparql_prefixes
from ontology.ids import Ids

from .sparql_text import expand_prefixed_names

_SUPPORTS, _SUBJECT, _OBJECT, _BROADER = (
    expand_prefixed_names(name, PREFIXES)
    for name in ("wsis:supportsActionLine", "wsis:subject", "wsis:object", "skos:broader")
)

# a source rule's template: INSERT { GRAPH <entailments> { triples } } WHERE ...
_INSERT_INTO = re.compile(r"\s*INSERT\s*\{\s*GRAPH\s+(<[^>]*>)\s*\{([^{}]*)\}\s*\}\s*WHERE", re.S)
# the end of one operation of an update and the start of the next: no query has a ';' after
# a '}' (a ';' in a pattern follows a term)
_NEXT_OPERATION = re.compile(r"\}\s*;")


def as_construct(part: str) -> tuple[str, ox.NamedNode] | None:
    """``part`` as (a CONSTRUCT query, the graph it writes into) when it is one operation
    ``INSERT { GRAPH <g> { triples } } WHERE ...``: the query gives the triples the INSERT
    would add (its WHERE is evaluated before anything is written, as the INSERT's is), for a
    writer that adds them itself with ``Store.bulk_extend`` (graph/bulk.py). None for any
    other update (a DELETE, several operations)."""
    found = _INSERT_INTO.match(part)
    if found is None or _NEXT_OPERATION.search(part):
        return None
    query = f"CONSTRUCT {{{found.group(2)}}} WHERE{part[found.end() :]}"
    return query, ox.NamedNode(found.group(1)[1:-1])


def apply_part(store: ox.Store, part: str) -> None:
    """Run one part of an entailment text on ``store`` outside a transaction (a writer
    behind a checkpoint: graph/bulk.py, graph/staged.py): an INSERT-only part as its
    CONSTRUCT, whose triples ``Store.bulk_extend`` adds (an INSERT of many triples is slow in
    one update: the roll-ups at 10M triples took 43 s as an update, 28 s so; the first load
    of the built-in data writes in 15 s instead of 22, 2026-12-07), any other as an update.
    ``part`` has full IRIs."""
    construct = as_construct(part)
    if construct is None:
        store.update(sparql_prefixes() + part)
        return
    query, graph = construct
    result = store.query(sparql_prefixes() + query)
    assert isinstance(result, ox.QueryTriples)
    store.bulk_extend(into_graph(result, graph))


def into_graph(triples: ox.QueryTriples, graph: ox.NamedNode) -> Iterator[ox.Quad]:
    """A CONSTRUCT's triples as quads of ``graph``."""
    for t in triples:
        yield ox.Quad(t.subject, t.predicate, t.object, graph)


def joined(parts: Iterable[str]) -> str:
    """Parts of update texts as one update (its operations in order; empty parts dropped)."""
    return " ;\n".join(part for part in parts if part)


@dataclass(frozen=True)
class Rule:
    name: str  # the file name
    scope: str  # "source" or "store"
    text: str  # SPARQL Update with the placeholders the module docstring names


@cache
def rules() -> tuple[Rule, ...]:
    """Each rule, in file-name order, its prefixed names expanded."""
    folder = resources.files("graph").joinpath("rules")
    found: list[Rule] = []
    for name in sorted(p.name for p in folder.iterdir() if p.name.endswith(".rq")):
        text = folder.joinpath(name).read_text(encoding="utf-8")
        scope = next(
            (
                line.split(":", 1)[1].strip()
                for line in text.splitlines()
                if line.startswith("# scope:")
            ),
            "",
        )
        if scope not in ("source", "store"):
            raise ValueError(f"graph/rules/{name}: '# scope: source' or '# scope: store' missing")
        body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
        found.append(Rule(name, scope, expand_prefixed_names(body, PREFIXES)))
    return tuple(found)


class Entailments:
    """The update texts that keep the entailments of a store with these identifiers."""

    def __init__(self, ids: Ids) -> None:
        self.ids = ids
        self.ontology = ids.graph("ontology")
        self.provenance = ids.graph("provenance")
        self.store_wide = ids.graph("entailments")
        self.scope = ids.graph("entailments-scope")
        self.prefix = ids.entailments_prefix()

    # ------------------------------------------------------------------ which graphs

    def maintained(self, graph: str) -> bool:
        """Whether ``graph`` is one the store maintains (never loaded or updated)."""
        return graph in (
            self.provenance.value,
            self.store_wide.value,
            self.scope.value,
        ) or graph.startswith(self.prefix)

    def is_source(self, graph: ox.NamedNode) -> bool:
        """Whether the rules read ``graph``: every named graph but the store's bookkeeping
        (its provenance, whose classes and inverses are written out, and the entailments)."""
        return not self.maintained(graph.value)

    # ------------------------------------------------------------------ texts

    def of_sources(self, graphs: Iterable[ox.NamedNode]) -> list[str]:
        """Drop and derive again the entailment graph of each of ``graphs`` (an empty graph,
        or one no longer there, derives nothing): its operations, in order."""
        parts: list[str] = []
        for graph in dict.fromkeys(graphs):
            if not self.is_source(graph):
                continue
            target = self.ids.entailments_of(graph)
            parts.append(f"DROP SILENT GRAPH {target}")
            for rule in rules():
                if rule.scope == "source":
                    parts.append(
                        rule.text.replace("$ENTAILMENTS", str(target))
                        .replace("$SOURCE", str(graph))
                        .replace("$ONTOLOGY", str(self.ontology))
                    )
        return parts

    def collect_scope(
        self, graphs: Iterable[ox.NamedNode], *, lines_first: bool = False
    ) -> list[str]:
        """Add to the scope every subject whose roll-ups ``graphs`` (as they are when this
        runs) can change: what supports a sub-line there (a line with a ``skos:broader`` in
        any graph), the subject of a qualified link to a sub-line there, what supports a
        line that a ``skos:broader`` there (or in its entailments) places under another, and
        what supports there both a line and, anywhere, a line placed under it (the first
        support blocks the roll-up to it). One operation for each graph.

        Two forms, the same subjects. For a document's graph each support and link there is
        checked against the lines (built-in store: 3 ms a write). ``lines_first`` (the bulk
        path's graph of millions of triples): the few hundred lines with a broader one come
        first and the graph's supports and links are read for each (10M triples: 2 s
        against 35 s; on the built-in store 11 ms a write)."""
        marker = f"{{ ?x a {self.scope} }}"
        supports, subject, obj, broader = _SUPPORTS, _SUBJECT, _OBJECT, _BROADER
        if lines_first:
            sub_line = ""
            lines = f"{{ SELECT DISTINCT ?any WHERE {{ GRAPH ?k {{ ?any {broader} ?above }} }} }}"
            pairs = (
                f"{{ SELECT DISTINCT ?sub ?any WHERE {{ GRAPH ?k {{ ?sub {broader} ?any }} }} }}"
            )
            blocking = f"FILTER EXISTS {{ GRAPH ?h {{ ?x {supports} ?sub }} }}"
        else:
            # the roll-up reads only supports of a line that has a broader one (a sub-line):
            # a subject whose supports and links name no such line is not in its scope,
            # unless it supports a line above one of its sub-lines (that support blocks the
            # roll-up to it, if its subject supports the sub-line, in any graph)
            sub_line = f"FILTER EXISTS {{ GRAPH ?k {{ ?any {broader} ?above }} }}"
            lines = pairs = ""
            blocking = (
                f"FILTER EXISTS {{ GRAPH ?k {{ ?sub {broader} ?any }} "
                f"GRAPH ?h {{ ?x {supports} ?sub }} }}"
            )
        parts: list[str] = []
        for graph in dict.fromkeys(graphs):
            if not self.is_source(graph):
                continue
            derived = self.ids.entailments_of(graph)
            parts.append(
                f"INSERT {{ GRAPH {self.scope} {marker} }} WHERE {{\n"
                f"  {{ {lines} GRAPH {graph} {{ ?x {supports} ?any }} {sub_line} }}\n"
                f"  UNION {{ {lines} GRAPH {derived} {{ ?x {supports} ?any }} {sub_line} }}\n"
                f"  UNION {{ {lines} GRAPH {graph} {{ ?link {obj} ?any ; {subject} ?x }} "
                f"{sub_line} }}\n"
                f"  UNION {{ GRAPH {graph} {{ ?sub {broader} ?up }} "
                f"GRAPH ?h {{ ?x {supports} ?sub }} }}\n"
                f"  UNION {{ GRAPH {derived} {{ ?sub {broader} ?up }} "
                f"GRAPH ?h {{ ?x {supports} ?sub }} }}\n"
                f"  UNION {{ {pairs} GRAPH {graph} {{ ?x {supports} ?any }} {blocking} }}\n"
                f"  UNION {{ {pairs} GRAPH {derived} {{ ?x {supports} ?any }} {blocking} }}\n"
                "}"
            )
        return parts

    def store_rules(self, *, scoped: bool) -> list[str]:
        """The store-wide rules: for the subjects in the scope (their old results deleted
        first, the scope dropped after), or for all (the store-wide graph dropped first). Its
        parts, in order (a rule of several operations is one part)."""
        subject, obj, supports = _SUBJECT, _OBJECT, _SUPPORTS
        if scoped:
            parts = [
                f"DELETE {{ GRAPH {self.store_wide} {{ ?x {supports} ?up . ?link ?p ?o }} }}\n"
                f"WHERE {{ GRAPH {self.scope} {{ ?x a {self.scope} }}\n"
                f"  GRAPH {self.store_wide} {{ ?link {subject} ?x ; {obj} ?up ; ?p ?o }} }}"
            ]
            scope = f"GRAPH {self.scope} {{ ?x a {self.scope} }}"
        else:
            parts = [f"DROP SILENT GRAPH {self.store_wide}"]
            scope = ""
        for rule in rules():
            if rule.scope == "store":
                parts.append(
                    rule.text.replace("$ENTAILMENTS", str(self.store_wide))
                    .replace("$SCOPE", scope)
                    .replace("$LINKBASE", f'"{self.ids.base}link/"')
                )
        parts.append(f"DROP SILENT GRAPH {self.scope}")
        return parts

    def everything(self, named_graphs: Iterable[ox.NamedNode]) -> str:
        """Recompute every entailment: ``named_graphs`` are the store's named graphs as the
        text will find them (the graphs there now and those the same update writes); every
        entailment graph among them is dropped, each source's derived again."""
        return joined(self.everything_parts(named_graphs))

    def everything_parts(self, named_graphs: Iterable[ox.NamedNode]) -> list[str]:
        """:meth:`everything` as its parts, in order."""
        graphs = list(dict.fromkeys(named_graphs))
        drops = [
            f"DROP SILENT GRAPH {g}"
            for g in graphs
            if g.value.startswith(self.prefix) or g == self.scope
        ]
        sources = [g for g in graphs if self.is_source(g)]
        return [*drops, *self.of_sources(sources), *self.store_rules(scoped=False)]

    def after_writing(self, graphs: Iterable[ox.NamedNode]) -> tuple[str, list[str]]:
        """(before, after): the text to run before a write that changes only ``graphs``
        (none of them the ontology), and the parts to run after it, in order (joined by
        " ;\n" they are one update)."""
        written = [g for g in dict.fromkeys(graphs) if self.is_source(g)]
        if not written:
            return "", []
        before = joined(self.collect_scope(written))
        return before, [*self.of_sources(written), *self.store_wide_after(written)]

    def store_wide_after(
        self, graphs: Iterable[ox.NamedNode], *, lines_first: bool = False
    ) -> list[str]:
        """The store-wide rules after a write of ``graphs`` whose own entailments are derived
        already (the scope collected before the write is completed with what they hold now):
        its parts, in order. ``lines_first``: :meth:`collect_scope`'s form for a big graph."""
        return [
            *self.collect_scope(graphs, lines_first=lines_first),
            *self.store_rules(scoped=True),
        ]

    def source_queries(self, graph: ox.NamedNode) -> list[str]:
        """The rules of scope ``source`` for ``graph`` as CONSTRUCT queries, in order: the
        triples each rule's INSERT would write into the graph's entailment graph, given what
        the rules before it wrote there (the bulk path, graph/bulk.py, adds them itself)."""
        target = self.ids.entailments_of(graph)
        queries: list[str] = []
        for rule in rules():
            if rule.scope != "source":
                continue
            text = (
                rule.text.replace("$ENTAILMENTS", str(target))
                .replace("$SOURCE", str(graph))
                .replace("$ONTOLOGY", str(self.ontology))
            )
            found = as_construct(text)
            if found is None or found[1] != target:
                raise ValueError(
                    f"graph/rules/{rule.name}: not INSERT {{ GRAPH $ENTAILMENTS {{ }} }}"
                )
            queries.append(found[0])
        return queries
