"""Full-text search over the texts the graph holds: clause texts, section headings and the
titles of resolutions, resolution versions and documents.

Oxigraph has no text index, so this package keeps one beside the store, in SQLite FTS5
(Python's ``sqlite3``): ``<store>.search.sqlite`` next to an on-disk store, in memory for an
in-memory graph. One module per job:

- :mod:`.syntax`: a user's plain words to a safe FTS5 expression (:func:`parse_query`);
- :mod:`.extraction`: the entries of a named graph and the provenance, read from the store
  (the SPARQL in ``queries/*.rq``);
- :mod:`.schema`: the SQLite tables and connections;
- :mod:`.index`: :class:`SearchIndex`, kept in step with the store's releases, and searched;
- :mod:`.hits` and :mod:`.errors`: what a search answers, and how it fails.

This package keeps no index itself: the query service (graph/service.py) owns the index of
its graph, opens it on first use, syncs it after each commit and closes it with itself
(``QueryService.search_index``, ``QueryService.search``).

What is indexed
    One entry per clause (``wsis:Clause`` with its ``wsis:text``), per section heading
    (``wsis:Section`` / ``wsis:heading``) and per title (``dcterms:title`` of a
    ``wsis:Resolution``, ``wsis:ResolutionVersion`` or ``wsis:Document``), each with what a hit
    shows: its IRI and label, its section and clause label, the resolution version, the
    resolution and the document it belongs to, and the named graph it was read from.

Queries
    A query is plain words, never FTS5 syntax. Terms are ANDed; ``"two words"`` is a phrase; a
    trailing ``*`` makes a prefix; a leading ``-`` excludes a term. English terms are stemmed,
    diacritics and case are ignored, and *-ise* / *-ize* spellings find each other. Hits are
    ranked by BM25.
"""

from __future__ import annotations

from .errors import QueryError, SearchError
from .extraction import read_entries
from .hits import KINDS, Hit, Kind, Ref, SearchResult, Snippet
from .index import SearchIndex, SearchStats, SyncReport, index_path
from .schema import EXACT_TOKENIZER, SCHEMA_VERSION, STEMMED_TOKENIZER
from .syntax import MAX_QUERY_LENGTH, MAX_TERMS, SearchQuery, parse_query

__all__ = [
    "EXACT_TOKENIZER",
    "KINDS",
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "SCHEMA_VERSION",
    "STEMMED_TOKENIZER",
    "Hit",
    "Kind",
    "QueryError",
    "Ref",
    "SearchError",
    "SearchIndex",
    "SearchQuery",
    "SearchResult",
    "SearchStats",
    "Snippet",
    "SyncReport",
    "index_path",
    "parse_query",
    "read_entries",
]
