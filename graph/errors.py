"""The errors the graph layer shares: the store's, the query executor's, a remote store's.

They live here, below the modules that raise them (graph/store.py, graph/executor.py,
graph/remote.py), so that those modules import each other one way only: a module that only
raises or catches one of these needs none of the others. Each is a kind of the project's one
tree (ontology/errors.py): a :class:`StoreError` is the asker's or the store's doing, an
:class:`ExecutorError` is "what the answer needs did not answer" (503), a
:class:`QueryTimeout` is past its deadline (503 with Retry-After).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

from ontology.errors import (
    BadQueryError,
    DeadlineError,
    ParseError,
    UnavailableError,
    WsisKgError,
)

QueryKind = Literal["select", "ask", "construct"]


class StoreError(WsisKgError):
    """The store cannot do what was asked (bad query, unknown graph, failed write)."""


class StoreInUseError(StoreError):
    """Another process has the embedded store open (RocksDB takes one process per store)."""


class ExecutorError(UnavailableError):
    """The executor could not answer (not the query's fault: not a :class:`StoreError`)."""


class ExecutorUnavailableError(ExecutorError):
    """No executor for this store (an in-memory store: run the query in-process instead)."""


class QueryTimeout(ExecutorError, DeadlineError):  # noqa: N818 - the name the API uses
    """The query did not finish within its deadline (its worker was killed and replaced)."""

    def __init__(self, deadline: float, detail: str = "") -> None:
        self.deadline = deadline
        text = f"the query did not finish within its deadline of {deadline:g} s"
        super().__init__(f"{text} ({detail})" if detail else text)


class WorkerCrashedError(ExecutorError):
    """The worker running the query died (e.g. killed by the OS); it has been replaced."""


class NotAcceptableError(ExecutorError):
    """None of the accepted formats can serialise this kind of answer."""

    def __init__(self, kind: QueryKind, accept: Sequence[str]) -> None:
        self.kind = kind
        self.accept = tuple(accept)
        super().__init__(f"a {kind} answer cannot be serialised as {', '.join(accept)}")


class TooManyRowsError(StoreError, BadQueryError):
    """The answer has more rows (or triples) than the limit: the query's fault (add a LIMIT),
    never answered with a truncated result."""

    http_status = 422

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(
            f"the answer has more than {limit} rows, the most this service returns at once: "
            "add a LIMIT (and page through it with OFFSET), or narrow the query"
        )


# the named queries' (graph/catalogue.py, which names them too)
class CatalogueError(BadQueryError):
    """A named query cannot be run as asked."""


class UnknownQueryError(CatalogueError):
    """No named query of that name."""

    http_status = 404


class ParameterError(CatalogueError, ValueError):
    """A parameter is unknown, missing, repeated or has a bad value."""

    http_status = 422


class CatalogueFileError(CatalogueError, ParseError):
    """A query file's header is malformed."""


def _retry_after(seconds: float) -> dict[str, str]:
    return {"Retry-After": str(max(1, math.ceil(seconds)))}


class OverBudgetError(WsisKgError):
    """The client has used its query time for now (graph/fairness.py): 429, with the
    seconds until it has some again as ``Retry-After``; the query never reached a worker."""

    http_status = 429

    def __init__(self, message: str, retry_after: float) -> None:
        self.retry_after = retry_after
        self.headers = _retry_after(retry_after)
        super().__init__(f"{message}; retry in {self.headers['Retry-After']} s")


class QueueFullError(ExecutorError):
    """Too many queries are waiting for a worker (graph/fairness.py): 503 at once."""

    def __init__(self, message: str, retry_after: float) -> None:
        self.headers = _retry_after(retry_after)
        super().__init__(f"{message}; retry in {self.headers['Retry-After']} s")


class QueueWaitError(ExecutorError):
    """The query waited for a worker longer than the longest wait (graph/fairness.py): 503."""

    def __init__(self, message: str, retry_after: float) -> None:
        self.headers = _retry_after(retry_after)
        super().__init__(f"{message}; retry in {self.headers['Retry-After']} s")
