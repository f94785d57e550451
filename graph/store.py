"""The knowledge graph: an Oxigraph store, its named graphs, releases and entailments.

Only this package writes to the store. A load replaces exactly one named graph, records
its PROV-O activity and a new release, and derives that graph's entailments, all in ONE
SPARQL update, which Oxigraph applies in one transaction (graph/writing.py): a load that
fails leaves the store exactly as it was, and a reader sees the old state or the new one,
never a mix. A big RDF file loaded by ``wsiskg load`` takes the bulk path instead
(graph/bulk.py): Oxigraph's ``bulk_load`` behind a checkpoint that a failure or the next open
puts back, so it too leaves the old version or the new one. This module holds the state and
the reading half.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from ontology import (
    PREFIXES,
    sparql_prefixes,
)
from ontology.ids import Ids

from .backend import StoreBackend
from .bulk_guard import recover
from .entailments import Entailments
from .errors import StoreError, StoreInUseError
from .export import EXPORT_FORMATS, QUAD_FORMATS, dump
from .history import ReleaseHistory
from .provenance import loader_version, software_version
from .releases import Releases
from .sparql_text import (
    fetches,
    query_dataset,
    syntax_error_message,
)
from .writing import LoadRecord, Writing

__all__ = [
    "EXPORT_FORMATS",
    "QUAD_FORMATS",
    "KnowledgeGraph",
    "LoadRecord",
    "StoreError",
    "StoreInUseError",
    "loader_version",
    "software_version",
]


DEFAULT_COMPACT_EVERY = 100  # writes between two compactions of the embedded store


class KnowledgeGraph(Writing):
    """The store and what belongs to it. One writer at a time; readers never block.

    The store is the embedded Oxigraph (``ox.Store``: on disk at ``location``, or in memory)
    or a SPARQL 1.1 server (:class:`graph.remote.RemoteStore`, ``location`` None), which
    other processes may write too: then ``release_ttl`` (seconds) says how long the current
    release, read from the server, is trusted before it is read again (0: on every call).
    """

    def __init__(
        self,
        store: StoreBackend,
        ids: Ids,
        location: Path | None = None,
        *,
        release_ttl: float | None = None,
        read_only_of: Path | None = None,
    ) -> None:
        self.store = store
        self.ids = ids
        self.location = location
        # a read-only view (graph/readonly.py) of the store at this path, which another
        # process holds: nothing is written
        self.read_only_of = read_only_of
        self._write_lock = threading.Lock()
        self._releases = Releases(release_ttl)
        self._length: tuple[str | None, int] | None = None  # (release, quads): shared stores
        # compaction (graph/store.py _compact_if_due): every this many writes; 0 never
        self.compact_every = DEFAULT_COMPACT_EVERY
        self._since_compaction = 0
        self.compactions = 0  # how many were made (tests and benchmarks read it)
        # Called with the new release id after each committed write, outside the write lock
        # (the query service's one hook, graph/service.py, which syncs its search index and
        # calls its subscribers). A callback must not raise.
        self.on_commit: list[Callable[[str | None], None]] = []
        # the last releases kept as checkpoints (graph/history.py): set for an embedded store
        # on disk (graph/connect.py, WSISKG_KEEP_RELEASES); None keeps none
        self.history: ReleaseHistory | None = None
        self.ontology_graph = ids.graph("ontology")
        self.provenance_graph = ids.graph("provenance")
        self.entailments = Entailments(ids)
        # the store-wide entailments (the roll-ups); each source's are in their own graph
        self.entailment_graph = self.entailments.store_wide

    @classmethod
    def open(cls, path: Path, ids: Ids | None = None) -> KnowledgeGraph:
        """An on-disk store at ``path`` (created if missing), put back as it was first if a
        bulk load into it did not finish (graph/bulk_guard.py)."""
        try:
            recover(path)  # a bulk load that did not finish: the store as it was before it
            path.mkdir(parents=True, exist_ok=True)
            store = ox.Store(str(path))
        except OSError as e:
            if "lock" in str(e).lower():
                raise StoreInUseError(
                    f"the store at {path} is in use by another process (is `wsiskg serve` running?)"
                ) from e
            raise StoreError(f"cannot open the store at {path}: {e}") from e
        return cls(store, ids or Ids(), path)

    @classmethod
    def in_memory(cls, ids: Ids | None = None) -> KnowledgeGraph:
        return cls(ox.Store(), ids or Ids())

    def _writable(self) -> None:
        if self.read_only_of is not None:
            raise StoreError(
                f"the store at {self.read_only_of} is in use by another process: this is a "
                "read-only view of it"
            )

    @property
    def release_ttl(self) -> float | None:
        """How long (seconds) the current release, read from a shared store, is trusted
        (None: the embedded store, kept up to date by this object's own writes)."""
        return self._releases.ttl

    @release_ttl.setter
    def release_ttl(self, ttl: float | None) -> None:
        self._releases.ttl = ttl

    @property
    def writes(self) -> int:
        """How many writes this object has committed: it moves with every load, update or
        entailment pass, so that a reader of a copy (graph/executor.py's checkpoints) can tell
        its copy is stale without being called back."""
        return self._releases.writes

    @property
    def shared(self) -> bool:
        """Whether other processes may write the store (a SPARQL server)."""
        return self.release_ttl is not None

    def describe(self) -> str:
        """Where the store is, for messages: its directory, its server, or "in memory"."""
        if self.read_only_of is not None:
            return f"{self.read_only_of} (a read-only view)"
        if self.location is not None:
            return str(self.location)
        endpoints = getattr(self.store, "endpoints", None)
        query = getattr(endpoints, "query", None)
        return f"SPARQL server {query}" if query else "in memory"

    def close(self) -> None:
        if self.location is not None and self.read_only_of is None:
            self.store.flush()
        closer = getattr(self.store, "close", None)
        if self.shared and callable(closer):
            closer()

    # ------------------------------------------------------------------ reading

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, ox.NamedNode | ox.BlankNode | ox.Literal] | None = None,
        *,
        with_prefixes: bool = False,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run SPARQL over the union of the named graphs (the service's default graph).

        ``bindings`` are substituted as values (never spliced into the text).
        ``with_prefixes`` predeclares the common prefixes (wsis:, skos: ...) without adding
        lines to the text, so that error positions refer to the query as written.
        """
        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): v for k, v in (bindings or {}).items()
        }
        _refuse_fetching(sparql)
        try:
            return self.store.query(
                sparql,
                use_default_graph_as_union=True,
                substitutions=subs or None,
                prefixes=PREFIXES if with_prefixes else None,
            )
        except SyntaxError as e:
            raise StoreError(
                syntax_error_message(sparql, e, PREFIXES if with_prefixes else ())
            ) from e

    def select(
        self, sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None
    ) -> list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]]:
        """A SELECT query's solutions as dicts (unbound variables left out)."""
        result = self.query(sparql, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("expected a SELECT query")
        names = [v.value for v in result.variables]
        rows: list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]] = []
        for solution in result:
            row: dict[str, ox.NamedNode | ox.BlankNode | ox.Literal] = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = value
            rows.append(row)
        return rows

    def named_graphs(self) -> dict[str, int]:
        """Every named graph with its number of triples."""
        rows = self.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
        )
        return {r["g"].value: int(r["n"].value) for r in rows}

    def graph_size(self, graph: ox.NamedNode) -> int:
        """The number of triples in one named graph (0 if it is not there): a scan of that
        graph only, not of the store as :meth:`named_graphs` does."""
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
        return int(rows[0]["n"].value) if rows else 0

    def __len__(self) -> int:
        if not self.shared:
            return len(self.store)
        # a SPARQL server counts by scanning: once per release (/health, /metrics ask often)
        release = self.current_release()
        counted = self._length
        if counted is not None and counted[0] == release:
            return counted[1]
        length = len(self.store)
        self._length = (release, length)
        return length

    def current_release(self) -> str | None:
        """The id of the latest committed release (the key of ETags and answer caches):
        graph/releases.py says when it is read again from the store."""
        return self._releases.current(self._read_release)

    def _read_release(self) -> str | None:
        rows = self.select(
            sparql_prefixes()
            # only the store's own record counts: a release written into another graph
            # (by an update, say) must not move the ETags and caches
            + f"SELECT (MAX(?id) AS ?r) WHERE {{ GRAPH {self.provenance_graph} "
            "{ ?rel a wsis:Release ; wsis:releaseId ?id } }"
        )
        value = rows[0].get("r") if rows else None
        return value.value if value is not None else None

    def _set_release(self, release: str | None) -> None:
        """After a write of ours (under the write lock): its release is the current one, it
        is kept as a checkpoint (graph/history.py) before any other write commits, and the
        store is compacted when the policy says so."""
        self._length = None
        self._releases.written(release)
        history = self.history
        if history is not None and isinstance(self.store, ox.Store):
            history.record(self.store, self.current_release())
        self._compact_if_due()

    def _compact_if_due(self) -> None:
        """Compact the embedded store (``Store.optimize``: RocksDB merges its files and drops
        what replaced graphs left behind) every ``compact_every`` writes, so that repeated
        loads do not slow down as deleted quads pile up. A few milliseconds on the built-in
        store; a SPARQL server compacts itself."""
        if self.location is None or self.read_only_of is not None or self.compact_every <= 0:
            return
        self._since_compaction += 1
        if self._since_compaction >= self.compact_every:
            self.compact()

    def compact(self) -> None:
        """Compact the embedded store now (nothing for a SPARQL server or in memory): flush
        RocksDB's memory tables to disk, then merge the files. The flush matters: a replaced
        graph leaves its deleted quads as tombstones in memory, which every later read of
        that range steps over (600 reloads of one document, compacted every 100 writes:
        131 -> 284 ms per load with ``optimize()`` alone, flat with the flush before it)."""
        optimize = getattr(self.store, "optimize", None)
        if self.location is None or self.read_only_of is not None or optimize is None:
            return
        flush = getattr(self.store, "flush", None)
        if flush is not None:
            flush()
        optimize()
        self._since_compaction = 0
        self.compactions += 1

    def graph_source(self, graph: ox.NamedNode) -> tuple[str, str] | None:
        """(sha256, loader version) of what is loaded in ``graph``, or None."""
        rows = self.select(
            sparql_prefixes()
            + "SELECT ?g ?sha ?v WHERE { GRAPH ?p { ?g prov:wasGeneratedBy ?load . "
            "?load wsis:sha256 ?sha ; wsis:loaderVersion ?v } }",
            {"g": graph},
        )
        if not rows:
            return None
        return rows[0]["sha"].value, rows[0]["v"].value

    def endpoint_query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
        bindings: Mapping[str, ox.NamedNode | ox.BlankNode | ox.Literal] | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """A query as the SPARQL endpoint runs it (the common prefixes predeclared;
        ``bindings`` substituted as values, as in :meth:`query`).

        The dataset: ``default_graphs`` / ``named_graphs`` (the protocol's
        ``default-graph-uri`` / ``named-graph-uri``) when either is given, whatever the query
        says; otherwise the query's FROM / FROM NAMED (the store's graphs: nothing is
        fetched); otherwise the union of all graphs as the default graph, as in
        :meth:`query`. Relative IRIs resolve against ``base_iri`` (the endpoint's IRI)."""
        try:
            union, default_graph, named = query_dataset(sparql, default_graphs, named_graphs)
        except ValueError as e:
            raise StoreError(f"not an absolute IRI: {e}") from e
        _refuse_fetching(sparql)
        try:
            return self.store.query(
                sparql,
                use_default_graph_as_union=union,
                default_graph=default_graph,
                named_graphs=named,
                base_iri=base_iri,
                substitutions={ox.Variable(k): v for k, v in bindings.items()}
                if bindings
                else None,
                prefixes=PREFIXES,
            )
        except SyntaxError as e:
            raise StoreError(syntax_error_message(sparql, e, PREFIXES)) from e

    def _committed(self) -> None:
        if not self.on_commit:
            return
        release = self.current_release()
        for callback in list(self.on_commit):
            callback(release)

    def checkpoint(self, target: Path) -> str | None:
        """An immutable copy of the store at ``target`` (a new directory; RocksDB hard-links
        the data files when ``target`` is on the same file system, so it is cheap), taken
        between two writes. Returns the release it holds."""
        if self.location is None:
            raise StoreError("an in-memory store cannot be checkpointed")
        with self._write_lock:
            try:
                self.store.backup(str(target))
            except OSError as e:
                raise StoreError(f"cannot checkpoint the store into {target}: {e}") from e
            return self.current_release()

    # ------------------------------------------------------------------ export

    def export(self, fmt: str, output: IO[bytes] | Path, graph: str | None = None) -> None:
        """Write the store (or one named ``graph``) in ``fmt`` (graph/export.py)."""
        dump(self.store, fmt, output, graph, self.query)

    def quads(self) -> Iterator[ox.Quad]:
        return iter(self.store)


def _refuse_fetching(sparql: str) -> None:
    """Oxigraph sends a SERVICE clause's request itself, with no switch to turn that off:
    every query of this service is refused before it runs when it has one (docs/reliability.md,
    section 3). Updates are refused in :func:`analyse_update` (LOAD and SERVICE)."""
    keyword = fetches(sparql)
    if keyword is not None:
        raise StoreError(f"{keyword} is not supported: this service never fetches data")


def _ntriples_block(triples: Iterable[ox.Triple]) -> tuple[str, int]:
    lines = [f"{t.subject} {t.predicate} {t.object} ." for t in triples]
    return "\n".join(lines), len(lines)
