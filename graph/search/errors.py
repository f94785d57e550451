"""The errors of full-text search: one root, and the kind a client's query causes."""

from __future__ import annotations

from ontology.errors import BadQueryError, WsisKgError


class SearchError(WsisKgError):
    """The index cannot do what was asked."""


class QueryError(SearchError, BadQueryError, ValueError):
    """A search query that cannot be run (empty, too long, nothing to look for)."""

    http_status = 422
