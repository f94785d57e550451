"""The SQLite side of the index: its schema (entries, and two FTS5 tables over their texts:
one stemmed, one exact for prefix queries), and opening connections to it.

English terms are stemmed (Porter: *recognizing* finds *recognize*), diacritics and case are
ignored. A prefix of a word is not a prefix of its stem, so prefix queries read the exact
table.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from .errors import SearchError

SCHEMA_VERSION = "3"  # 2: entries.dated; 3: a resolution's title entry starts with its name
STEMMED_TOKENIZER = "porter unicode61 remove_diacritics 2"
EXACT_TOKENIZER = "unicode61 remove_diacritics 2"

_SCHEMA = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE graphs (graph TEXT PRIMARY KEY, load TEXT NOT NULL, sha256 TEXT,
                     entries INTEGER NOT NULL);
CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    graph TEXT NOT NULL, kind TEXT NOT NULL, iri TEXT NOT NULL, text TEXT NOT NULL,
    label TEXT, section TEXT, clause TEXT, version TEXT, version_label TEXT,
    resolution TEXT, resolution_label TEXT, document TEXT, document_label TEXT,
    dated TEXT, position INTEGER NOT NULL
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


def connect(path: Path | None) -> sqlite3.Connection:
    """A connection to the index at ``path`` (in memory for None), with explicit
    transactions and rows by column name."""
    connection = sqlite3.connect(
        ":memory:" if path is None else str(path),
        timeout=30,
        isolation_level=None,  # transactions are explicit
        check_same_thread=False,  # the index closes every connection, from any thread
    )
    connection.row_factory = sqlite3.Row
    return connection


def close_all(connections: list[sqlite3.Connection]) -> None:
    for connection in connections:
        with contextlib.suppress(sqlite3.Error):
            connection.close()
    connections.clear()


def meta(connection: sqlite3.Connection, key: str) -> str | None:
    """A value of the index's meta table (None when there is none, or no table)."""
    try:
        row = connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    except sqlite3.OperationalError:
        return None
    return None if row is None else str(row[0]) if row[0] is not None else None


def prepare(connection: sqlite3.Connection, *, wal: bool) -> None:
    """Make the database of ``connection`` an index of this schema version: kept when it is
    one, else its tables dropped and created again."""
    if wal:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
    tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    if "meta" in tables and meta(connection, "schema") == SCHEMA_VERSION:
        return
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
