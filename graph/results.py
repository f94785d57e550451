"""A query's answer, serialised as the asker prefers: the one place that chooses the format,
counts the rows against the limit and writes the bytes, for the query workers
(graph/executor.py) and for queries run in this process (graph/service.py) alike, so that an
answer is the same bytes wherever it was computed.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, cast

import pyoxigraph as ox

from graph.errors import NotAcceptableError, QueryKind, TooManyRowsError
from ontology import PREFIXES

Format = ox.QueryResultsFormat | ox.RdfFormat
Accept = str | Format | Sequence[str | Format]
Answer = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class _RowCounter:
    """A binary output for a serialiser writing one line per row (SPARQL TSV, N-Triples):
    keeps what is written and stops the serialiser (raises) past ``limit`` rows."""

    def __init__(self, limit: int, header_lines: int) -> None:
        self.most = limit + header_lines
        self.limit = limit
        self.lines = 0
        self.chunks: list[bytes] = []

    @property
    def exceeded(self) -> bool:
        return self.lines > self.most

    def write(self, data: bytes) -> int:
        self.lines += data.count(b"\n")
        if self.exceeded:
            raise TooManyRowsError(self.limit)
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def cap_rows(
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, max_rows: int | None
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | list[ox.Triple]:
    """``result`` with at most ``max_rows`` rows (SELECT) or triples (CONSTRUCT, DESCRIBE),
    ready to serialise; :class:`TooManyRowsError` when it has more: a large answer is refused,
    never cut. The rows are counted as they are written in a line-per-row format (SPARQL TSV,
    which keeps every term exactly; N-Triples), stopping at ``max_rows + 1``, and read back
    from it, because an answer can be read only once."""
    if max_rows is None or isinstance(result, ox.QueryBoolean):
        return result
    if isinstance(result, ox.QueryTriples):
        counter = _RowCounter(max_rows, 0)
        fmt: ox.RdfFormat | ox.QueryResultsFormat = ox.RdfFormat.N_TRIPLES
    elif not result.variables:  # rows without columns: an empty TSV line each
        rows = sum(1 for _ in itertools.islice(result, max_rows + 1))
        if rows > max_rows:
            raise TooManyRowsError(max_rows)
        empty = json.dumps({"head": {"vars": []}, "results": {"bindings": [{}] * rows}})
        return ox.parse_query_results(empty.encode(), format=ox.QueryResultsFormat.JSON)
    else:
        counter = _RowCounter(max_rows, 1)  # the header line
        fmt = ox.QueryResultsFormat.TSV
    try:
        output = cast("IO[bytes]", counter)
        if isinstance(result, ox.QueryTriples):
            ox.serialize(result, output, format=ox.RdfFormat.N_TRIPLES)
        else:
            result.serialize(output, format=ox.QueryResultsFormat.TSV)
    except Exception:
        if counter.exceeded:
            raise TooManyRowsError(max_rows) from None
        raise
    data = b"".join(counter.chunks)
    if isinstance(fmt, ox.RdfFormat):
        return [ox.Triple(t.subject, t.predicate, t.object) for t in ox.parse(data, fmt)]
    return ox.parse_query_results(data, format=fmt)


@dataclass(frozen=True)
class QueryResult:
    """A serialised answer and the release it was computed from."""

    kind: QueryKind
    media_type: str
    body: bytes
    release: str | None


_DEFAULT_FORMAT: dict[QueryKind, Format] = {
    "select": ox.QueryResultsFormat.JSON,
    "ask": ox.QueryResultsFormat.JSON,
    "construct": ox.RdfFormat.TURTLE,
}


def _choose(kind: QueryKind, accept: Sequence[str]) -> Format | None:
    for item in accept:
        media_type = item.split(";", 1)[0].strip().lower()
        if media_type in ("*/*", ""):
            return _DEFAULT_FORMAT[kind]
        if kind == "construct":
            if media_type == "application/json":
                continue  # SPARQL JSON results here (as the API offers it), not JSON-LD
            rdf = ox.RdfFormat.from_media_type(media_type)
            if rdf is not None:
                return rdf
        else:
            results = ox.QueryResultsFormat.from_media_type(media_type)
            if results is not None:
                return results
    return None


def _answered_as(kind: QueryKind, fmt: Format, accept: Sequence[str]) -> str:
    """The media type of an answer in ``fmt``: the accepted type that chose it, so that a
    client asking for application/json gets application/json (as in-process), else ``fmt``'s
    own."""
    for item in accept:
        if _choose(kind, [item]) == fmt:
            media_type = item.split(";", 1)[0].strip().lower()
            return fmt.media_type if media_type in ("*/*", "") else media_type
    return fmt.media_type


def media_types(accept: Accept) -> tuple[str, ...]:
    items: Sequence[str | Format] = (
        [accept] if isinstance(accept, str | ox.QueryResultsFormat | ox.RdfFormat) else accept
    )
    return tuple(i if isinstance(i, str) else i.media_type for i in items) or ("*/*",)


def kind_of(result: Answer) -> QueryKind:
    """What kind of answer ``result`` is (DESCRIBE answers are graphs, as CONSTRUCT's)."""
    if isinstance(result, ox.QuerySolutions):
        return "select"
    if isinstance(result, ox.QueryBoolean):
        return "ask"
    return "construct"


def serialise(result: Answer, accept: Sequence[str], max_rows: int | None) -> QueryResult:
    """``result`` in the first format of ``accept`` (media types, best first; "*/*": JSON
    results, Turtle graphs) that fits its kind, graphs with the common prefixes;
    :class:`NotAcceptableError` when none fits, :class:`TooManyRowsError` past ``max_rows``.
    An evaluation error surfaces here, while the answer is read (pyoxigraph is lazy)."""
    kind = kind_of(result)
    fmt = _choose(kind, accept)
    if fmt is None:
        raise NotAcceptableError(kind, accept)
    answer = cap_rows(result, max_rows)
    if isinstance(fmt, ox.RdfFormat):
        assert isinstance(answer, ox.QueryTriples | list)
        body = ox.serialize(answer, format=fmt, prefixes=PREFIXES)
    else:
        assert isinstance(answer, ox.QuerySolutions | ox.QueryBoolean)
        body = answer.serialize(format=fmt)
    return QueryResult(kind, _answered_as(kind, fmt, accept), body or b"", None)
