"""Full-text search over the texts the graph holds: clause texts, section headings and the
titles of resolutions, resolution versions and documents.

Oxigraph has no text index, so this module keeps one beside the store, in SQLite FTS5
(Python's ``sqlite3``): ``<store>.search.sqlite`` next to an on-disk store, in memory for an
in-memory graph.

What is indexed
    One entry per clause (``wsis:Clause`` with its ``wsis:text``), per section heading
    (``wsis:Section`` / ``wsis:heading``) and per title (``dcterms:title`` of a
    ``wsis:Resolution``, ``wsis:ResolutionVersion`` or ``wsis:Document``), each with what a hit
    shows: its IRI and label, its section and clause label, the resolution version, the
    resolution and the document it belongs to, and the named graph it was read from. Everything
    an entry says is read from its own named graph, so the entries of a graph depend on that
    graph alone.

How it stays in step with the store
    The index records the release it was built from, and per named graph the ``wsis:Load``
    activity (and sha256) the provenance graph names for it. :meth:`SearchIndex.sync` does
    nothing when the store's current release is the recorded one; otherwise it re-reads only
    the graphs whose load changed (a new, replaced or dropped graph), or every graph when a
    write other than a load (a SPARQL update, which may change any graph and leaves the loads'
    records alone) made a release since, and writes the change in ONE SQLite transaction with
    the new release, so a reader sees the index of one release or of the next, never a mix.
    :func:`attach` registers the sync as a ``KnowledgeGraph.on_commit`` callback, so each
    committed write updates the index before the writer returns, and
    :meth:`SearchIndex.ensure_current` lets the first search after a start catch up with
    writes made while no index was attached (``wsiskg load`` from the command line).

Threads
    Writes are serialised by a lock. An on-disk index is in WAL mode and each thread reads
    through its own connection, inside a read transaction, so readers never wait for a sync and
    never see half of one; an in-memory index has one connection, which readers share with the
    writer under the same lock.

Queries
    A query is plain words, never FTS5 syntax: :func:`parse_query` quotes every term, so that
    ``"``, ``(``, ``NEAR``, ``OR`` or ``*`` in a query are searched for or ignored, never
    interpreted. Terms are ANDed; ``"two words"`` is a phrase; a trailing ``*`` makes a prefix;
    a leading ``-`` excludes a term. English terms are stemmed (Porter: *recognizing* finds
    *recognize*), diacritics and case are ignored, and *-ise* / *-ize* spellings find each other
    (*recognising* finds *recognizing*). A query with a prefix term is run without stemming (a
    prefix of a word is not a prefix of its stem). Hits are ranked by BM25.
"""

from __future__ import annotations

import contextlib
import html
import re
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pyoxigraph as ox

from ontology import WSIS, sparql_prefixes
from ontology.errors import BadQueryError, WsisKgError

from .store import KnowledgeGraph

SCHEMA_VERSION = "1"
STEMMED_TOKENIZER = "porter unicode61 remove_diacritics 2"
EXACT_TOKENIZER = "unicode61 remove_diacritics 2"
KINDS = ("clause", "section", "title")
Kind = Literal["clause", "section", "title"]

MAX_QUERY_LENGTH = 500
MAX_TERMS = 32
SNIPPET_TOKENS = 32
# Highlight markers in FTS5 snippets: control characters, removed from the indexed texts, so
# that they can only come from snippet().
_OPEN, _CLOSE = "\x02", "\x03"
ELLIPSIS = "…"


class SearchError(WsisKgError):
    """The index cannot do what was asked."""


class QueryError(SearchError, BadQueryError, ValueError):
    """A search query that cannot be run (empty, too long, nothing to look for)."""

    http_status = 422


# ---------------------------------------------------------------------------- the query


@dataclass(frozen=True)
class SearchQuery:
    """A user's query as an FTS5 MATCH expression that quotes every term."""

    text: str
    expression: str
    terms: tuple[str, ...]  # what is searched for, as the user wrote it
    prefix: bool  # a prefix term: run on the unstemmed index


_CHUNK = re.compile(r'(?P<neg>-?)"(?P<phrase>[^"]*)"?(?P<star>\*?)|(?P<word>[^\s"]+)')
_SPELLING = re.compile(r"^([a-z]{3,}i)([sz])(e|es|ed|ing|ings|ation|ations|er|ers)$")


def _literal(text: str) -> str:
    """An FTS5 string: inside double quotes everything is a token or a separator, never an
    operator."""
    return '"' + text.replace('"', '""') + '"'


def _variants(word: str) -> list[str]:
    """The word, and its -ise/-ize twin (recognising / recognizing)."""
    lowered = word.lower()
    match = _SPELLING.match(lowered)
    if match is None:
        return [word]
    twin = "z" if match[2] == "s" else "s"
    return [word, f"{match[1]}{twin}{match[3]}"]


def parse_query(text: str) -> SearchQuery:
    """Plain words to a safe FTS5 expression; QueryError says why a query cannot be run."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"the query is longer than {MAX_QUERY_LENGTH} characters")
    text = re.sub(r"[\t\r\n]", " ", text)
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise QueryError("the query contains control characters")
    if not text.strip():
        raise QueryError("the query is empty: give one or more words to search for")
    positive: list[str] = []
    negative: list[str] = []
    terms: list[str] = []
    prefix = False
    for match in _CHUNK.finditer(text):
        if match["word"] is not None:
            word = match["word"]
            negated = word.startswith("-") and len(word) > 1
            word = word[1:] if negated else word
            star = word.endswith("*")
            chunk, phrase = word.rstrip("*"), False
        else:
            negated, star = bool(match["neg"]), bool(match["star"])
            chunk, phrase = match["phrase"], True
        if not any(c.isalnum() for c in chunk):
            continue  # only punctuation: it would match nothing
        if star:
            term = f"{_literal(chunk)} *"
            prefix = True
        elif not phrase and chunk.isalpha():
            options = _variants(chunk)
            term = (
                _literal(options[0])
                if len(options) == 1
                else "(" + " OR ".join(_literal(o) for o in options) + ")"
            )
        else:
            term = _literal(chunk)
        (negative if negated else positive).append(term)
        terms.append(("-" if negated else "") + (f'"{chunk}"' if phrase else chunk) + "*" * star)
    if len(terms) > MAX_TERMS:
        raise QueryError(f"the query has more than {MAX_TERMS} terms")
    if not positive:
        if negative:
            raise QueryError("the query only excludes words: give a word to search for")
        raise QueryError("the query has no words to search for (only punctuation)")
    expression = " AND ".join(positive)
    if negative:
        expression = f"({expression}) NOT ({' OR '.join(negative)})"
    return SearchQuery(text, expression, tuple(terms), prefix)


# ---------------------------------------------------------------------------- entries and hits


@dataclass(frozen=True)
class Ref:
    iri: str
    label: str | None


@dataclass(frozen=True)
class Snippet:
    """A snippet as plain text with the matched ranges as [start, end) offsets (in Unicode
    code points), and as HTML: the text escaped, the matches in ``<mark>``."""

    text: str
    highlights: tuple[tuple[int, int], ...]

    @property
    def html(self) -> str:
        parts: list[str] = []
        position = 0
        for start, end in self.highlights:
            parts.append(html.escape(self.text[position:start]))
            parts.append(f"<mark>{html.escape(self.text[start:end])}</mark>")
            position = end
        parts.append(html.escape(self.text[position:]))
        return "".join(parts)

    @classmethod
    def from_marked(cls, marked: str) -> Snippet:
        """From FTS5 ``snippet()`` output with the module's markers."""
        plain: list[str] = []
        spans: list[tuple[int, int]] = []
        start: int | None = None
        for char in marked:
            if char == _OPEN:
                start = len(plain)
            elif char == _CLOSE:
                if start is not None and len(plain) > start:
                    spans.append((start, len(plain)))
                start = None
            else:
                plain.append(char)
        return cls("".join(plain), tuple(spans))


@dataclass(frozen=True)
class Hit:
    kind: str
    iri: str
    label: str | None
    section: str | None
    clause: str | None
    resolution: Ref | None
    version: Ref | None
    document: Ref | None
    graph: str
    snippet: Snippet
    score: float  # -bm25: higher is better


@dataclass(frozen=True)
class SearchResult:
    query: SearchQuery
    release: str | None
    total: int
    hits: list[Hit]


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


_COLUMNS = (
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
    "position",
)

_SCHEMA = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE graphs (graph TEXT PRIMARY KEY, load TEXT NOT NULL, sha256 TEXT,
                     entries INTEGER NOT NULL);
CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    graph TEXT NOT NULL, kind TEXT NOT NULL, iri TEXT NOT NULL, text TEXT NOT NULL,
    label TEXT, section TEXT, clause TEXT, version TEXT, version_label TEXT,
    resolution TEXT, resolution_label TEXT, document TEXT, document_label TEXT,
    position INTEGER NOT NULL
);
CREATE INDEX entries_graph ON entries (graph);
CREATE VIRTUAL TABLE fts USING fts5(
    text, content='entries', content_rowid='id', tokenize='{STEMMED_TOKENIZER}');
CREATE VIRTUAL TABLE fts_exact USING fts5(
    text, content='entries', content_rowid='id', tokenize='{EXACT_TOKENIZER}');
CREATE TRIGGER entries_insert AFTER INSERT ON entries BEGIN
    INSERT INTO fts (rowid, text) VALUES (new.id, new.text);
    INSERT INTO fts_exact (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER entries_delete AFTER DELETE ON entries BEGIN
    INSERT INTO fts (fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO fts_exact (fts_exact, rowid, text) VALUES ('delete', old.id, old.text);
END;
"""

_VERSION = """
    OPTIONAL {{
      ?version wsis:hasSection {section} .
      OPTIONAL {{ ?version rdfs:label ?version_label }}
      OPTIONAL {{
        ?version dcterms:isVersionOf ?resolution .
        OPTIONAL {{ ?resolution rdfs:label ?resolution_label }}
      }}
    }}
"""

_DOCUMENT = """
    OPTIONAL {{
      ?iri prov:wasDerivedFrom ?document . ?document a wsis:Document .
      OPTIONAL {{ ?document rdfs:label ?document_label }}
    }}
"""

_CONTEXT = _VERSION + _DOCUMENT

_CLAUSES = """
SELECT ?iri ?text ?label ?clause ?line ?order ?document ?document_label
WHERE {{ GRAPH {graph} {{
    ?iri a wsis:Clause ; wsis:text ?text .
    OPTIONAL {{ ?iri rdfs:label ?label }}
    OPTIONAL {{ ?iri wsis:clauseLabel ?clause }}
    OPTIONAL {{ ?iri wsis:sourceLine ?line }}
    OPTIONAL {{ ?iri wsis:order ?order }}
    {document}
}} }}
"""

# The section of each clause (a clause of a sub-list hangs from a clause, hence hasClause+),
# in a query of its own: inside the clause query's OPTIONAL, Oxigraph evaluated the path once
# per clause, a cost quadratic in the number of clauses (415 s for the 10,595 clauses of
# bench/generate.py's million triples; 0.35 s this way: bench/scale.py).
_CLAUSE_SECTIONS = """
SELECT ?iri ?section ?heading ?section_order ?version ?version_label ?resolution
       ?resolution_label
WHERE {{ GRAPH {graph} {{
    ?section a wsis:Section ; wsis:hasClause+ ?iri .
    OPTIONAL {{ ?section wsis:heading ?heading }}
    OPTIONAL {{ ?section wsis:order ?section_order }}
    {version}
}} }}
"""

_SECTIONS = """
SELECT ?iri ?text ?label ?section_order ?line ?version ?version_label ?resolution
       ?resolution_label ?document ?document_label
WHERE {{ GRAPH {graph} {{
    ?iri a wsis:Section ; wsis:heading ?text .
    OPTIONAL {{ ?iri rdfs:label ?label }}
    OPTIONAL {{ ?iri wsis:order ?section_order }}
    OPTIONAL {{ ?iri wsis:sourceLine ?line }}
    {context}
}} }}
"""

_TITLES = """
SELECT ?iri ?type ?text ?label ?resolution ?resolution_label ?document ?document_label
WHERE {{ GRAPH {graph} {{
    VALUES ?type {{ wsis:Resolution wsis:ResolutionVersion wsis:Document }}
    ?iri a ?type ; dcterms:title ?text .
    OPTIONAL {{ ?iri rdfs:label ?label }}
    OPTIONAL {{
      ?iri dcterms:isVersionOf ?resolution .
      OPTIONAL {{ ?resolution rdfs:label ?resolution_label }}
    }}
    OPTIONAL {{
      ?iri prov:wasDerivedFrom ?document . ?document a wsis:Document .
      OPTIONAL {{ ?document rdfs:label ?document_label }}
    }}
}} }}
"""

_RELEASES = """
SELECT ?id ?type WHERE {{ GRAPH {provenance} {{
    ?release a wsis:Release ; wsis:releaseId ?id .
    OPTIONAL {{ ?release prov:wasGeneratedBy ?activity . ?activity a ?type }}
}} }}
"""

_LOADS = """
SELECT ?graph ?load ?sha WHERE {{ GRAPH {provenance} {{
    ?graph prov:wasGeneratedBy ?load . ?load a wsis:Load ; wsis:namedGraph ?graph .
    OPTIONAL {{ ?load wsis:sha256 ?sha }}
}} }}
"""


def _value(row: dict[str, ox.NamedNode | ox.BlankNode | ox.Literal], name: str) -> str | None:
    term = row.get(name)
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else None


def _number(value: str | None) -> int:
    try:
        return int(value) if value is not None else 0
    except ValueError:
        return 0


def _clean(text: str) -> str:
    return text.replace(_OPEN, " ").replace(_CLOSE, " ")


def read_entries(kg: KnowledgeGraph, graph: str) -> list[dict[str, Any]]:
    """The index entries of one named graph, in document order (clauses, then section
    headings, then titles)."""
    node = str(ox.NamedNode(graph))
    prefixes = sparql_prefixes()
    entries: dict[tuple[str, str], dict[str, Any]] = {}

    def add(kind: str, row: dict[str, Any], sort_key: tuple[int, ...], **extra: str | None) -> None:
        iri, text = _value(row, "iri"), _value(row, "text")
        if iri is None or text is None or (kind, iri) in entries:
            return
        values: dict[str, Any] = {name: _value(row, name) for name in _COLUMNS}
        values.update(graph=graph, kind=kind, iri=iri, text=_clean(text), position=sort_key)
        values.update(extra)
        entries[(kind, iri)] = values

    section_of: dict[str, dict[str, Any]] = {}
    for row in kg.select(
        prefixes + _CLAUSE_SECTIONS.format(graph=node, version=_VERSION.format(section="?section"))
    ):
        iri = _value(row, "iri")
        if iri is not None:
            section_of.setdefault(iri, row)
    for clause in kg.select(prefixes + _CLAUSES.format(graph=node, document=_DOCUMENT.format())):
        row = {**section_of.get(_value(clause, "iri") or "", {}), **clause}
        key = tuple(_number(_value(row, n)) for n in ("section_order", "line", "order"))
        add("clause", row, (0, *key), section=_value(row, "heading"))
    for row in kg.select(
        prefixes + _SECTIONS.format(graph=node, context=_CONTEXT.format(section="?iri"))
    ):
        key = tuple(_number(_value(row, n)) for n in ("section_order", "line"))
        add("section", row, (1, *key, 0), section=_value(row, "text"))
    for row in kg.select(prefixes + _TITLES.format(graph=node)):
        iri = _value(row, "iri")
        kind = _value(row, "type") or ""
        extra: dict[str, str | None] = {}
        if kind.endswith("#Resolution"):
            extra = {"resolution": iri, "resolution_label": _value(row, "label")}
        elif kind.endswith("#ResolutionVersion"):
            extra = {"version": iri, "version_label": _value(row, "label")}
        elif kind.endswith("#Document"):
            extra = {"document": iri, "document_label": _value(row, "label")}
        add("title", row, (2, 0, 0, 0), **extra)
    ordered = sorted(entries.values(), key=lambda e: (e["position"], e["iri"]))
    for number, entry in enumerate(ordered):
        entry["position"] = number
    return ordered


# ---------------------------------------------------------------------------- the index


def index_path(kg: KnowledgeGraph) -> Path | None:
    """Where the index of ``kg`` lives: beside its store directory, or nowhere (in memory)."""
    if kg.location is None:
        return None
    return kg.location.with_name(kg.location.name + ".search.sqlite")


def _connect(path: Path | None) -> sqlite3.Connection:
    connection = sqlite3.connect(
        ":memory:" if path is None else str(path),
        timeout=30,
        isolation_level=None,  # transactions are explicit
        check_same_thread=False,  # the index closes every connection, from any thread
    )
    connection.row_factory = sqlite3.Row
    return connection


def _close_all(connections: list[sqlite3.Connection]) -> None:
    for connection in connections:
        with contextlib.suppress(sqlite3.Error):
            connection.close()
    connections.clear()


class SearchIndex:
    """A full-text index of the texts of one KnowledgeGraph (see the module docstring)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.stats = SearchStats()
        self._lock = threading.RLock()  # writes; and, in memory, reads too
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False
        self._finalizer = weakref.finalize(self, _close_all, self._connections)
        try:
            self._writer = self._open_writer()
        except sqlite3.DatabaseError:
            if path is None:
                raise
            # not an index (or a damaged one): it is only a cache of the store, so start over
            _close_all(self._connections)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            self._writer = self._open_writer()
        self._release: str | None = self._meta(self._writer, "release")

    def _open_writer(self) -> sqlite3.Connection:
        if not sqlite3.sqlite_version_info >= (3, 9, 0):
            raise SearchError(f"SQLite {sqlite3.sqlite_version} has no FTS5")
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = _connect(self.path)
        self._connections.append(connection)
        if self.path is not None:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        if "meta" in tables and self._meta(connection, "schema") == SCHEMA_VERSION:
            return connection
        try:
            connection.execute("BEGIN IMMEDIATE")
            for table in ("fts", "fts_exact", "entries", "graphs", "meta"):
                connection.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in _statements(_SCHEMA):
                connection.execute(statement)
            connection.execute(
                "INSERT INTO meta (key, value) VALUES ('schema', ?), ('tokenizer', ?)",
                (SCHEMA_VERSION, STEMMED_TOKENIZER),
            )
            connection.execute("COMMIT")
        except sqlite3.OperationalError as e:
            connection.execute("ROLLBACK")
            if "fts5" in str(e).lower():
                raise SearchError(f"this SQLite ({sqlite3.sqlite_version}) has no FTS5") from e
            raise
        return connection

    @staticmethod
    def _meta(connection: sqlite3.Connection, key: str) -> str | None:
        try:
            row = connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.OperationalError:
            return None
        return None if row is None else str(row[0]) if row[0] is not None else None

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
            connection = _connect(self.path)
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
            # The release is read before and after the store: when both are the same, no
            # write committed in between and what was read is exactly that release; otherwise
            # read again.
            indexed = {
                str(r["graph"]): str(r["load"])
                for r in self._writer.execute("SELECT graph, load FROM graphs")
            }
            for _attempt in range(5):
                trusted = self._trusted(kg)
                known = indexed if trusted else {}
                sources = self._sources(kg)
                dropped = sorted(g for g in indexed if g not in sources)
                fresh = sorted(g for g, (load, _) in sources.items() if known.get(g) != load)
                entries = {g: read_entries(kg, g) for g in fresh}
                after = kg.current_release()
                if after == release:
                    break
                release = after
            else:  # still changing: record no release, so that the next search syncs again
                release = None
            writer = self._writer
            writer.execute("BEGIN IMMEDIATE")
            try:
                if not trusted:
                    writer.execute("DELETE FROM entries")
                    writer.execute("DELETE FROM graphs")
                for graph in (*dropped, *fresh):
                    writer.execute("DELETE FROM entries WHERE graph = ?", (graph,))
                    writer.execute("DELETE FROM graphs WHERE graph = ?", (graph,))
                placeholders = ", ".join("?" for _ in _COLUMNS)
                for graph in fresh:
                    writer.executemany(
                        f"INSERT INTO entries ({', '.join(_COLUMNS)}) VALUES ({placeholders})",
                        [tuple(e[c] for c in _COLUMNS) for e in entries[graph]],
                    )
                    load, sha = sources[graph]
                    writer.execute(
                        "INSERT INTO graphs (graph, load, sha256, entries) VALUES (?, ?, ?, ?)",
                        (graph, load, sha, len(entries[graph])),
                    )
                writer.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('release', ?), ('synced', ?)",
                    (release, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())),
                )
                writer.execute("COMMIT")
            except BaseException:
                writer.execute("ROLLBACK")
                raise
            self._release = release
            written = sum(len(e) for e in entries.values())
            report = SyncReport(
                release,
                changed=True,
                graphs_read=tuple(fresh),
                graphs_dropped=tuple(dropped),
                entries=written,
                seconds=time.perf_counter() - started,
            )
            self.stats.syncs += 1
            self.stats.graphs_read += len(fresh)
            self.stats.entries_written += written
            self.stats.seconds += report.seconds
            self.stats.last = report
            return report

    def _trusted(self, kg: KnowledgeGraph) -> bool:
        """Whether the index's entries of a graph are still right when the graph's load is
        the same. Not for a new index, an index of another store, nor after a write other than
        a load (a SPARQL update) since the index's release: that may have changed any graph,
        and every graph is read again."""
        if self._release is None:
            return False
        text = sparql_prefixes() + _RELEASES.format(provenance=kg.provenance_graph)
        ids: set[str] = set()
        for row in kg.select(text):
            release, activity = _value(row, "id"), _value(row, "type")
            if release is None:
                continue
            ids.add(release)
            if release > self._release and activity != WSIS.Load.value:
                return False
        return self._release in ids

    @staticmethod
    def _sources(kg: KnowledgeGraph) -> dict[str, tuple[str, str | None]]:
        """Every named graph with what wrote it: (its load activity, the sha256 of its input),
        or ("", None) for a graph that no load wrote (only a SPARQL update)."""
        text = sparql_prefixes() + _LOADS.format(provenance=kg.provenance_graph)
        sources: dict[str, tuple[str, str | None]] = {}
        for row in kg.select(text):
            graph, load = _value(row, "graph"), _value(row, "load")
            if graph is not None and load is not None:
                sources[graph] = (load, _value(row, "sha"))
        ours = {kg.provenance_graph.value, kg.entailment_graph.value}
        for node in kg.store.named_graphs():
            if isinstance(node, ox.NamedNode) and node.value not in ours:
                sources.setdefault(node.value, ("", None))
        return {g: v for g, v in sources.items() if g not in ours}

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
    ) -> SearchResult:
        """The hits for ``query``, best first (BM25), and how many there are in all.

        ``kinds`` keeps only clause / section / title entries; ``resolution`` only entries of
        that resolution or resolution version (an IRI); ``document`` only entries read from
        that document (an IRI)."""
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
        condition = " AND ".join(where)
        source = f"{table} JOIN entries AS e ON e.id = {table}.rowid"
        page = (
            f"SELECT e.*, bm25({table}) AS bm25_score, "
            f"snippet({table}, 0, char(2), char(3), '{ELLIPSIS}', {SNIPPET_TOKENS}) AS marked "
            f"FROM {source} WHERE {condition} "
            "ORDER BY bm25_score, e.position, e.id LIMIT ? OFFSET ?"
        )
        with self._reading() as connection:
            release = self._meta(connection, "release")
            try:
                count = f"SELECT COUNT(*) FROM {source} WHERE {condition}"
                total = int(connection.execute(count, params).fetchone()[0])
                rows = connection.execute(page, [*params, limit, offset]).fetchall()
            except sqlite3.OperationalError as e:
                # parse_query quotes every term, so this is not expected; a query that FTS5
                # still refuses is the client's error, not the service's
                if "fts5" not in str(e).lower():
                    raise
                raise QueryError(f"the query cannot be run: {e}") from e
        return SearchResult(parsed, release, total, [_hit(r) for r in rows])


def _statements(script: str) -> list[str]:
    """The statements of the schema (triggers keep their inner semicolons)."""
    statements: list[str] = []
    buffer = ""
    for line in script.strip().splitlines():
        buffer += line + "\n"
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    return statements


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
    )


# ---------------------------------------------------------------------------- attaching


_attached: weakref.WeakKeyDictionary[KnowledgeGraph, SearchIndex] = weakref.WeakKeyDictionary()
_attach_lock = threading.Lock()


def attach(kg: KnowledgeGraph) -> SearchIndex:
    """The search index of ``kg``, opened on first use (beside the store, or in memory) and
    kept in step by a ``kg.on_commit`` callback. It is not synced here:
    :meth:`SearchIndex.ensure_current` does that when it is needed."""
    with _attach_lock:
        index = _attached.get(kg)
        if index is not None and not index.closed:
            return index
        index = SearchIndex(index_path(kg))
        _attached[kg] = index
        kg.on_commit[:] = [c for c in kg.on_commit if not isinstance(c, _SyncAfterCommit)]
        kg.on_commit.append(_SyncAfterCommit(weakref.ref(kg), index))
        return index


def detach(kg: KnowledgeGraph) -> None:
    """Close the index of ``kg`` and stop keeping it in step."""
    with _attach_lock:
        index = _attached.pop(kg, None)
        kg.on_commit[:] = [c for c in kg.on_commit if not isinstance(c, _SyncAfterCommit)]
    if index is not None:
        index.close()


class _SyncAfterCommit:
    """The on_commit callback: sync the index; never raise (a failed sync is retried by the
    next search, whose release check finds the index behind)."""

    def __init__(self, kg: weakref.ref[KnowledgeGraph], index: SearchIndex) -> None:
        self.kg = kg
        self.index = index

    def __call__(self, release: str | None) -> None:
        kg, index = self.kg(), self.index
        if kg is None or index.closed:
            return
        try:
            index.sync(kg)
        except Exception as e:  # the callback must not raise: the write has committed
            index.stats.errors.append(f"sync to {release}: {type(e).__name__}: {e}")


def search(
    kg: KnowledgeGraph,
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    kinds: Sequence[str] = (),
    resolution: str | None = None,
    document: str | None = None,
) -> SearchResult:
    """Search ``kg``'s texts: its attached index, brought up to date first if it is behind."""
    parsed = parse_query(query)  # a bad query costs nothing
    index = attach(kg)
    index.ensure_current(kg)
    return index.search(
        parsed, limit=limit, offset=offset, kinds=kinds, resolution=resolution, document=document
    )
