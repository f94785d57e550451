"""The full-text index of one KnowledgeGraph, in SQLite FTS5 beside the store (Oxigraph has
no text index): ``<store>.search.sqlite`` next to an on-disk store, in memory for an
in-memory graph.

How it stays in step with the store
    The index records the release it was built from, and per named graph the ``wsis:Load``
    activity (and sha256) the provenance graph names for it. :meth:`SearchIndex.sync` does
    nothing when the store's current release is the recorded one; otherwise it re-reads only
    the graphs whose load changed (a new, replaced or dropped graph), or every graph when a
    write other than a load (a SPARQL update, which may change any graph and leaves the loads'
    records alone) made a release since, and writes the change in ONE SQLite transaction with
    the new release, so a reader sees the index of one release or of the next, never a mix.

Threads
    Writes are serialised by a lock. An on-disk index is in WAL mode and each thread reads
    through its own connection, inside a read transaction, so readers never wait for a sync and
    never see half of one; an in-memory index has one connection, which readers share with the
    writer under the same lock.

Hits are ranked by BM25; a query with a prefix term runs on the unstemmed table.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
import weakref
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..store import KnowledgeGraph
from .errors import QueryError, SearchError
from .extraction import COLUMNS, only_loads_since, read_entries, sources
from .hits import KINDS, Hit, Ref, SearchResult, Snippet
from .schema import close_all, connect, meta, prepare
from .syntax import SearchQuery, parse_query

SNIPPET_TOKENS = 32
ELLIPSIS = "…"


@dataclass(frozen=True)
class SyncReport:
    """What one sync did."""

    release: str | None
    changed: bool  # False: the index already was at ``release``
    graphs_read: tuple[str, ...] = ()
    graphs_dropped: tuple[str, ...] = ()
    entries: int = 0  # entries written
    seconds: float = 0.0


@dataclass
class SearchStats:
    """Counters of one SearchIndex (since it was opened)."""

    syncs: int = 0  # syncs that changed the index
    graphs_read: int = 0
    entries_written: int = 0
    seconds: float = 0.0
    last: SyncReport | None = None
    errors: list[str] = field(default_factory=list)


def index_path(kg: KnowledgeGraph) -> Path | None:
    """Where the index of ``kg`` lives: beside its store directory, or nowhere (in memory)."""
    if kg.location is None:
        return None
    return kg.location.with_name(kg.location.name + ".search.sqlite")


@dataclass
class _Changes:
    """What a sync read from the store: the graphs to drop and to (re)write, with their
    entries and sources, and whether the entries of unchanged graphs may be kept."""

    release: str | None
    trusted: bool
    dropped: list[str]
    fresh: list[str]
    entries: dict[str, list[dict[str, Any]]]
    sources: dict[str, tuple[str, str | None]]


class SearchIndex:
    """A full-text index of the texts of one KnowledgeGraph (see the module docstring)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.stats = SearchStats()
        self._lock = threading.RLock()  # writes; and, in memory, reads too
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False
        self._finalizer = weakref.finalize(self, close_all, self._connections)
        try:
            self._writer = self._open_writer()
        except sqlite3.DatabaseError:
            if path is None:
                raise
            # not an index (or a damaged one): it is only a cache of the store, so start over
            close_all(self._connections)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            self._writer = self._open_writer()
        self._release: str | None = meta(self._writer, "release")

    def _open_writer(self) -> sqlite3.Connection:
        if not sqlite3.sqlite_version_info >= (3, 9, 0):
            raise SearchError(f"SQLite {sqlite3.sqlite_version} has no FTS5")
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = connect(self.path)
        self._connections.append(connection)
        prepare(connection, wal=self.path is not None)
        return connection

    # ------------------------------------------------------------------ lifecycle

    @property
    def release(self) -> str | None:
        """The release the index was last synced to."""
        return self._release

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._finalizer()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise SearchError("the search index is closed")

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A connection in a read transaction: one snapshot of the index."""
        self._check_open()
        if self.path is None:
            with self._lock:
                self._check_open()
                yield self._writer
            return
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = connect(self.path)
            connection.execute("PRAGMA query_only=1")
            with self._lock:
                self._check_open()
                self._connections.append(connection)
            self._local.connection = connection
        connection.execute("BEGIN")
        try:
            yield connection
        finally:
            connection.execute("COMMIT")

    # ------------------------------------------------------------------ keeping in step

    def ensure_current(self, kg: KnowledgeGraph) -> str | None:
        """Sync when the store's release is not the index's; the index's release."""
        if kg.current_release() != self._release:
            self.sync(kg)
        return self._release

    def sync(self, kg: KnowledgeGraph) -> SyncReport:
        """Bring the index to the store's current release: re-read the named graphs whose
        load changed, drop those that are gone (every graph, after a SPARQL update); one
        transaction."""
        with self._lock:
            self._check_open()
            release = kg.current_release()
            if release == self._release:
                return SyncReport(release, changed=False)
            started = time.perf_counter()
            changes = self._read_changes(kg, release)
            self._write(changes)
            self._release = changes.release
            written = sum(len(e) for e in changes.entries.values())
            report = SyncReport(
                changes.release,
                changed=True,
                graphs_read=tuple(changes.fresh),
                graphs_dropped=tuple(changes.dropped),
                entries=written,
                seconds=time.perf_counter() - started,
            )
            self.stats.syncs += 1
            self.stats.graphs_read += len(changes.fresh)
            self.stats.entries_written += written
            self.stats.seconds += report.seconds
            self.stats.last = report
            return report

    def _read_changes(self, kg: KnowledgeGraph, release: str | None) -> _Changes:
        """What changed in the store since the index's release, read as of ``release``.

        The release is read before and after the store: when both are the same, no write
        committed in between and what was read is exactly that release; otherwise read again.
        """
        indexed = {
            str(r["graph"]): str(r["load"])
            for r in self._writer.execute("SELECT graph, load FROM graphs")
        }
        for _attempt in range(5):
            trusted = only_loads_since(kg, self._release)
            known = indexed if trusted else {}
            found = sources(kg)
            dropped = sorted(g for g in indexed if g not in found)
            fresh = sorted(g for g, (load, _) in found.items() if known.get(g) != load)
            entries = {g: read_entries(kg, g) for g in fresh}
            after = kg.current_release()
            if after == release:
                break
            release = after
        else:  # still changing: record no release, so that the next search syncs again
            release = None
        return _Changes(release, trusted, dropped, fresh, entries, found)

    def _write(self, changes: _Changes) -> None:
        """Write ``changes`` and their release in one transaction."""
        writer = self._writer
        writer.execute("BEGIN IMMEDIATE")
        try:
            if not changes.trusted:
                writer.execute("DELETE FROM entries")
                writer.execute("DELETE FROM graphs")
            for graph in (*changes.dropped, *changes.fresh):
                writer.execute("DELETE FROM entries WHERE graph = ?", (graph,))
                writer.execute("DELETE FROM graphs WHERE graph = ?", (graph,))
            placeholders = ", ".join("?" for _ in COLUMNS)
            for graph in changes.fresh:
                writer.executemany(
                    f"INSERT INTO entries ({', '.join(COLUMNS)}) VALUES ({placeholders})",
                    [tuple(e[c] for c in COLUMNS) for e in changes.entries[graph]],
                )
                load, sha = changes.sources[graph]
                writer.execute(
                    "INSERT INTO graphs (graph, load, sha256, entries) VALUES (?, ?, ?, ?)",
                    (graph, load, sha, len(changes.entries[graph])),
                )
            writer.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('release', ?), ('synced', ?)",
                (changes.release, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())),
            )
            writer.execute("COMMIT")
        except BaseException:
            writer.execute("ROLLBACK")
            raise

    # ------------------------------------------------------------------ reading

    def __len__(self) -> int:
        with self._reading() as connection:
            return int(connection.execute("SELECT COUNT(*) FROM entries").fetchone()[0])

    def graphs(self) -> dict[str, int]:
        """The named graphs indexed, with their numbers of entries."""
        with self._reading() as connection:
            rows = connection.execute("SELECT graph, entries FROM graphs ORDER BY graph")
            return {str(r["graph"]): int(r["entries"]) for r in rows}

    def kinds(self) -> dict[str, int]:
        """The numbers of entries per kind (clause, section, title)."""
        with self._reading() as connection:
            rows = connection.execute("SELECT kind, COUNT(*) FROM entries GROUP BY kind")
            return {str(r[0]): int(r[1]) for r in rows}

    def search(
        self,
        query: str | SearchQuery,
        *,
        limit: int = 20,
        offset: int = 0,
        kinds: Sequence[str] = (),
        resolution: str | None = None,
        document: str | None = None,
        in_force: Collection[str] | None = None,
    ) -> SearchResult:
        """The hits for ``query``, best first (BM25), and how many there are in all.

        ``kinds`` keeps only clause / section / title entries; ``resolution`` only entries of
        that resolution or resolution version (an IRI); ``document`` only entries read from
        that document (an IRI); ``in_force`` (version IRIs) only entries whose text follows
        no version's dates or one of these versions' (``left_out`` counts the others)."""
        parsed = query if isinstance(query, SearchQuery) else parse_query(query)
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            raise QueryError(f"unknown kind {unknown[0]!r}: use {', '.join(KINDS)}")
        table = "fts_exact" if parsed.prefix else "fts"
        where = [f"{table} MATCH ?"]
        params: list[object] = [parsed.expression]
        if kinds:
            where.append(f"e.kind IN ({', '.join('?' for _ in kinds)})")
            params.extend(kinds)
        if resolution is not None:
            where.append("(e.resolution = ? OR e.version = ?)")
            params.extend([resolution, resolution])
        if document is not None:
            where.append("e.document = ?")
            params.append(document)
        matching = " AND ".join(where)
        if in_force is not None:
            where.append("(e.dated IS NULL OR e.dated IN (SELECT value FROM json_each(?)))")
            params.append(json.dumps(sorted(in_force)))
        condition = " AND ".join(where)
        source = f"{table} JOIN entries AS e ON e.id = {table}.rowid"
        page = (
            f"SELECT e.*, bm25({table}) AS bm25_score, "
            f"snippet({table}, 0, char(2), char(3), '{ELLIPSIS}', {SNIPPET_TOKENS}) AS marked "
            f"FROM {source} WHERE {condition} "
            "ORDER BY bm25_score, e.position, e.id LIMIT ? OFFSET ?"
        )
        with self._reading() as connection:
            release = meta(connection, "release")
            try:
                count = f"SELECT COUNT(*) FROM {source} WHERE {condition}"
                total = int(connection.execute(count, params).fetchone()[0])
                rows = connection.execute(page, [*params, limit, offset]).fetchall()
                left_out = 0
                if in_force is not None:  # the same count without the dates' condition
                    every = f"SELECT COUNT(*) FROM {source} WHERE {matching}"
                    left_out = int(connection.execute(every, params[:-1]).fetchone()[0]) - total
            except sqlite3.OperationalError as e:
                # parse_query quotes every term, so this is not expected; a query that FTS5
                # still refuses is the client's error, not the service's
                if "fts5" not in str(e).lower():
                    raise
                raise QueryError(f"the query cannot be run: {e}") from e
        return SearchResult(parsed, release, total, [_hit(r) for r in rows], left_out)


def _ref(row: sqlite3.Row, iri: str, label: str) -> Ref | None:
    if row[iri] is None:
        return None
    return Ref(str(row[iri]), None if row[label] is None else str(row[label]))


def _hit(row: sqlite3.Row) -> Hit:
    return Hit(
        kind=str(row["kind"]),
        iri=str(row["iri"]),
        label=row["label"],
        section=row["section"],
        clause=row["clause"],
        resolution=_ref(row, "resolution", "resolution_label"),
        version=_ref(row, "version", "version_label"),
        document=_ref(row, "document", "document_label"),
        graph=str(row["graph"]),
        snippet=Snippet.from_marked(str(row["marked"])),
        score=round(-float(row["bm25_score"]), 6),
        dated=None if row["dated"] in (None, row["version"]) else str(row["dated"]),
    )
