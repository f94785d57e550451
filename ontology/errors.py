"""The one exception tree: every error this project raises is a :class:`WsisKgError`.

The root and the kinds that several layers share live here, in the lowest layer, so that any
layer can raise or catch them; each module's own errors subclass the kind they are (keeping
their names, and ``ValueError`` where callers catch them as such)::

    WsisKgError
    ├── IdentifierError (ontology/ids.py)      a text that cannot name anything
    ├── ParseError                             a source that cannot be read
    │   └── loaders.errors.LoadError, loaders.safety.UnsafeXmlError, ...
    ├── BadQueryError                          a query the service will not run as asked
    │   └── graph.catalogue.CatalogueError, graph.sparql_text.SparqlTextError, ...
    ├── UnavailableError (503)                 what the answer needs did not answer
    │   ├── graph.errors.ExecutorError, ...
    │   └── DeadlineError (503, Retry-After)   not within the deadline: QueryTimeout
    ├── SettingsError                          settings that cannot work together
    ├── ResponseError (its own status)         an answer the API decided: api.http.HttpError
    └── graph.errors.StoreError, graph.search.SearchError, graph.backup.BackupError, ...

The API answers any of them that has an ``http_status`` with ``{"error": str(exc)}``, that
status and ``headers`` (api/app.py); one without is a fault of the service (500). The CLI
prints any of them as one line ``error: ...`` and exits 1 (api/cli.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType


class WsisKgError(Exception):
    """The root of every error of this project.

    ``http_status``: the status the API answers with when the error reaches it (None: not
    the client's doing, a 500); ``headers``: headers of that answer."""

    http_status: int | None = None
    headers: Mapping[str, str] | None = None


class ParseError(WsisKgError):
    """A source (a file, a table, a document, XML) that cannot be read or turned into RDF."""


class BadQueryError(WsisKgError):
    """A query, a parameter or an update the service will not run as asked: the asker's
    doing, not the service's (unknown, malformed, refused, too large an answer)."""


class UnavailableError(WsisKgError):
    """What the answer needs (a query worker, the store's SPARQL server) did not answer: not
    the asker's fault, try again later."""

    http_status = 503


class DeadlineError(UnavailableError):
    """The work did not finish within its deadline."""

    headers: Mapping[str, str] | None = MappingProxyType({"Retry-After": "1"})


class SettingsError(WsisKgError):
    """Settings that cannot work (together), named by their variables."""


class ResponseError(WsisKgError):
    """An answer other than 200 that the API decided: its ``status``, a one-line
    ``message`` and ``headers`` (the answer is ``{"error": message}``)."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.http_status = status
        self.message = message
        self.headers = headers
