"""The write path of the knowledge graph: loads, SPARQL updates, the entailment passes.

Every write is ONE SPARQL update, which Oxigraph (and the Oxigraph server) applies in one
transaction: the graphs it replaces, the PROV-O record of the activity and its release, and
the entailments of the graphs it changed (graph/entailments.py: only those, unless the
ontology changed). A write that fails leaves the store exactly as it was; a reader sees the
old state or the new one, never a mix.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from loaders.rdf import LoadReport, LoadResult, SourceInfo
from ontology import PREFIXES, ontology_path, ontology_triples, sparql_prefixes
from ontology.ids import Ids

from .entailments import Entailments, joined
from .errors import StoreError
from .provenance import forget_record, load_record, loader_version, release_id, update_record
from .sparql_text import syntax_error_message
from .staged import StagedGraph, can_stage, staged_write
from .updates import analyse, syntax_error, update_text

if TYPE_CHECKING:
    from .backend import StoreBackend


@dataclass(frozen=True)
class LoadRecord:
    """What one load did."""

    graph: str
    source: str
    triples: int
    release: str | None  # None when the input was unchanged and nothing was written
    entailments: int


class Writing:
    """The writing half of :class:`graph.store.KnowledgeGraph` (which holds the state)."""

    store: StoreBackend
    ids: Ids
    read_only_of: Path | None
    ontology_graph: ox.NamedNode
    provenance_graph: ox.NamedNode
    entailment_graph: ox.NamedNode
    entailments: Entailments
    _write_lock: threading.Lock

    # provided by KnowledgeGraph
    graph_source: Callable[[ox.NamedNode], tuple[str, str] | None]
    graph_size: Callable[[ox.NamedNode], int]
    current_release: Callable[[], str | None]
    _set_release: Callable[[str | None], None]
    _committed: Callable[[], None]
    _writable: Callable[[], None]

    def load(self, result: LoadResult, *, force: bool = False) -> LoadRecord:
        """Replace ``result.graph`` with ``result``'s triples, in one transaction."""
        return self.load_many([result], force=force)[0]

    def load_many(self, results: Sequence[LoadResult], *, force: bool = False) -> list[LoadRecord]:
        """Replace each result's graph, all in ONE transaction, with the entailments of
        those graphs."""
        return self.replace_graphs([(r.graph, r.triples, r.source) for r in results], force=force)

    def ontology_load(self) -> LoadResult:
        source = SourceInfo.of_file("ontology", ontology_path())
        return LoadResult(
            self.ontology_graph, list(ontology_triples()), LoadReport("wsis.ttl"), source
        )

    def load_ontology(self, *, force: bool = False) -> LoadRecord:
        return self.load(self.ontology_load(), force=force)

    def replace_graph(
        self,
        graph: ox.NamedNode,
        triples: Iterable[ox.Triple],
        source: SourceInfo,
        *,
        force: bool = False,
    ) -> LoadRecord:
        return self.replace_graphs([(graph, triples, source)], force=force)[0]

    def replace_graphs(
        self,
        items: Sequence[tuple[ox.NamedNode, Iterable[ox.Triple], SourceInfo]],
        *,
        force: bool = False,
    ) -> list[LoadRecord]:
        """Replace named graphs, record one PROV-O activity each and one release, and derive
        the entailments of those graphs: one SPARQL update, so one transaction (a big write
        by a process that holds the store alone: the staged path, graph/staged.py, all or
        nothing behind a checkpoint). Returns each
        graph's record (its ``entailments``: the triples the rules derived from it)."""
        for graph, _, _ in items:
            if self.entailments.maintained(graph.value):
                raise StoreError(f"{graph.value} is maintained by the store and cannot be loaded")
        self._writable()
        version = loader_version()
        with self._write_lock:
            changed = [
                item
                for item in items
                if force or self.graph_source(item[0]) != (item[2].sha256, version)
            ]
            if not changed:
                return [LoadRecord(g.value, src.name, 0, None, 0) for g, _, src in items]
            started = datetime.now(UTC)
            release = release_id(started, [src for _, _, src in changed])
            graphs = [graph for graph, _, _ in changed]
            names = ", ".join(src.name for _, _, src in changed)
            try:
                before, after = self._entailment_texts(graphs)
            except (OSError, RuntimeError, ValueError) as e:  # the store's graphs unreadable
                raise StoreError(f"loading {names} failed: {e}") from e
            # the triples read in full, and each graph's record, before anything is written
            # (a streaming loader may fail half-way)
            writes = []
            for number, (graph, triples, source) in enumerate(changed, start=1):
                listed = list(triples)
                used = source.entity or (
                    self.ids.dataset(source.name) if graph != self.ontology_graph else graph
                )
                record = load_record(
                    self.ids, graph, used, source, len(listed), started, release, number, version
                )
                writes.append(StagedGraph(graph, listed, record))
            try:
                if can_stage(self, sum(len(w.triples) for w in writes)):  # type: ignore[arg-type]
                    staged_write(self, writes, before, after, names)  # type: ignore[arg-type]
                else:
                    self.store.update(self._transaction_text(writes, before, after))
            except (SyntaxError, OSError, RuntimeError, ValueError) as e:
                raise StoreError(f"loading {names} failed: {e}") from e
            self._set_release(release)
        counts = {w.graph.value: len(w.triples) for w in writes}
        self._committed()
        return [
            LoadRecord(
                g.value,
                src.name,
                counts[g.value],
                release,
                self.graph_size(self.ids.entailments_of(g)),
            )
            if g.value in counts
            else LoadRecord(g.value, src.name, 0, None, 0)
            for g, _, src in items
        ]

    def _transaction_text(
        self, writes: Sequence[StagedGraph], before: str, after: Sequence[str]
    ) -> str:
        """The write of :meth:`replace_graphs` as ONE SPARQL update (one transaction): each
        graph dropped and written again with its record, then the entailments."""
        parts = [sparql_prefixes(), before + " ;\n" if before else ""]
        for w in writes:
            body = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in w.triples)
            parts.append(
                f"DROP SILENT GRAPH {w.graph} ;\n"
                + forget_record(self.provenance_graph, w.graph)
                + self._insert_data(
                    f"GRAPH {w.graph} {{\n{body}\n}}\n"
                    f"GRAPH {self.provenance_graph} {{\n{w.provenance}\n}}"
                )
                + " ;\n"
            )
        parts.append(joined(after))
        return "".join(parts)

    def _entailment_texts(self, graphs: Sequence[ox.NamedNode]) -> tuple[str, list[str]]:
        """(before, after) the write of ``graphs``: only their entailments, or all of them
        when the ontology is among them; ``after`` as its parts, in order."""
        if self.ontology_graph in graphs:
            return "", self.entailments.everything_parts([*self._named_graphs(), *graphs])
        return self.entailments.after_writing(graphs)

    def _named_graphs(self) -> list[ox.NamedNode]:
        return [g for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)]

    def _insert_data(self, quads: str) -> str:
        """``INSERT DATA { quads }``; for a store that takes no blank node in INSERT DATA
        (Virtuoso), ``INSERT { quads } WHERE {}``, which means the same (each blank node a
        new one)."""
        if getattr(self.store, "blank_nodes_in_insert_data", True):
            return f"INSERT DATA {{ {quads} }}"
        return f"INSERT {{ {quads} }} WHERE {{}}"

    def recompute_entailments(self) -> int:
        """Derive every entailment again (after a change of the rules, say); the number of
        entailed triples."""
        self._writable()
        with self._write_lock:
            self.store.update(self.entailments.everything(self._named_graphs()))
            self._set_release(None)  # read again from the store
        self._committed()
        return self.entailed()

    def entailed(self) -> int:
        """How many triples the rules derived, over every entailment graph (a scan of them)."""
        return sum(
            self.graph_size(g)
            for g in self._named_graphs()
            if g == self.entailment_graph or g.value.startswith(self.entailments.prefix)
        )

    def update(
        self,
        sparql: str,
        *,
        base_iri: str | None = None,
        using_graphs: Sequence[str] = (),
        using_named_graphs: Sequence[str] = (),
    ) -> str | None:
        """Apply a SPARQL 1.1 Update, record it as a PROV-O ``wsis:Update`` that generates a
        new release, and derive the entailments of the graphs it writes (all of them when it
        writes the ontology or graphs it does not name): ONE ``Store.update``, so one
        transaction (an update that fails leaves the store exactly as it was). Returns the new
        release (the current one when the text holds no operation, which writes nothing).

        The dataset is SPARQL Update's, not the one queries see: the default graph is the
        store's real default graph (``INSERT DATA`` without ``GRAPH`` writes there, a ``WHERE``
        without ``GRAPH`` reads only there), whereas a query's default graph is the union of
        all graphs. ``using_graphs`` / ``using_named_graphs`` (the protocol's
        ``using-graph-uri`` / ``using-named-graph-uri``) become ``USING`` / ``USING NAMED``
        clauses; an update with its own USING or WITH and these is refused. The common
        prefixes (wsis:, skos: ...) are predeclared; relative IRIs resolve against
        ``base_iri``.

        The graphs the store maintains are never written by an update: an operation that
        names the provenance or an entailment graph as a graph it writes is refused; ``CLEAR``
        / ``DROP`` ``ALL`` / ``NAMED`` leave them alone; a template writing ``GRAPH ?g`` skips
        them (its WHERE is filtered). A load's record stays as it was: a later load of an
        unchanged source does not undo an update's edits to its graph (``--force`` does).

        ``LOAD`` and ``SERVICE`` are refused (this service never fetches data). Raises
        :class:`StoreError` (a syntax error, a refused or failed update).
        """
        self._writable()
        analysis = analyse(sparql, base_iri, [*using_graphs, *using_named_graphs])
        with self._write_lock:
            if analysis.operations == 0:  # a prologue at most: Oxigraph checks it
                self._apply_update(sparql, sparql, base_iri)
                return self.current_release()
            started = datetime.now(UTC)
            digest = hashlib.sha256(sparql.encode()).hexdigest()
            release = release_id(started, [SourceInfo("update", "update", digest)])
            record = update_record(
                self.ids, sparql, digest, started, release, [*using_graphs, *using_named_graphs]
            )
            written = [ox.NamedNode(iri) for iri, _ in analysis.written_graphs if iri]
            wide = bool(
                analysis.all_graphs
                or any(m.graph_variables for m in analysis.modifies)
                or any(d.graph_variables for d in analysis.delete_wheres)
            )
            # the store's graphs, only where the text needs them (a scan of the store)
            graphs = self._named_graphs() if wide or analysis.all_graphs else []
            if wide:  # the graphs it writes are known only as it runs
                before, parts = "", [self.entailments.everything([*graphs, *written])]
            else:
                before, parts = self._entailment_texts(written)
            after = joined(parts)
            e = self.entailments
            text = update_text(
                sparql,
                analysis,
                using=using_graphs,
                using_named=using_named_graphs,
                protected=(self.provenance_graph.value, e.store_wide.value, e.scope.value),
                protected_prefixes=(e.prefix,),
                named_graphs=[g.value for g in graphs] if analysis.all_graphs else [],
                first=before,
                then=f"INSERT DATA {{ GRAPH {self.provenance_graph} {{\n{record}\n}} }}"
                + (f" ;\n{after}" if after else ""),
            )
            self._apply_update(sparql, text, base_iri)
            if wide:
                self._entail_new_graphs(graphs, written)
            self._set_release(release)
        self._committed()
        return release

    def _entail_new_graphs(
        self, before: Sequence[ox.NamedNode], written: Sequence[ox.NamedNode]
    ) -> None:
        """After an update whose templates wrote ``GRAPH ?g``: a graph it created that the
        transaction could not name gets its entailments now, in a second transaction (the
        only write that takes two)."""
        known = {*before, *written}
        new = [g for g in self._named_graphs() if g not in known and self.entailments.is_source(g)]
        if new:
            self.store.update(self.entailments.everything(self._named_graphs()))

    def _apply_update(self, original: str, text: str, base_iri: str | None) -> None:
        try:
            self.store.update(text, base_iri=base_iri, prefixes=PREFIXES)
        except SyntaxError as e:
            # say where the error is in the text as sent (the service added to it)
            as_sent = syntax_error(original, base_iri) or e
            raise StoreError(syntax_error_message(original, as_sent, PREFIXES)) from e
        except (ConnectionError, TimeoutError):
            # the store's SPARQL server did not answer (graph/remote.py): not the client's
            # update at fault; the API answers 503 (an ExecutorError), as for a query
            raise
        except (RuntimeError, ValueError, OSError) as e:
            raise StoreError(f"the update failed: {e}") from e
