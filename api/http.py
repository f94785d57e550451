"""The HTTP plumbing every router shares: content negotiation, CSV, the one error answer.

* Negotiation: the media types ``/sparql`` offers, ``?format=`` short names, Accept ranked by
  q-value and specificity (:func:`preferences`, :func:`pick`).
* CSV: the REST routes', the dashboard's and search's downloads, safe to open in a spreadsheet
  (:func:`to_csv`).
* :class:`HttpError`: an answer other than 200 that a route decides, ``{"error": message}``
  with its status (the dashboard renders it as an HTML page).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any, Literal

import pyoxigraph as ox
from fastapi import Query, Request
from fastapi.responses import Response

from graph.values import Value
from ontology.errors import ResponseError


class HttpError(ResponseError):
    """An answer other than 200 that a route decided: its status, a one-line reason and
    headers (``{"error": ...}``; a dashboard page renders it as HTML)."""


SELECT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
# `?format=` (or `output=`, `results=`, as SPARQLWrapper and others send): a short name or a
# media type chooses the format instead of Accept; any other value is ignored.
FORMAT_NAMES = {
    "json": "application/sparql-results+json, application/ld+json;q=0.9",
    "xml": "application/sparql-results+xml, application/rdf+xml;q=0.9",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "ntriples": "application/n-triples",
    "nt": "application/n-triples",
    "nquads": "application/n-quads",
    "nq": "application/n-quads",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
}


def requested_accept(header: str, params: Mapping[str, Sequence[str]]) -> str:
    """The Accept value to negotiate with: ``format`` (or ``output``, ``results``) when it
    names a format this endpoint offers, else the Accept header."""
    for name in ("format", "output", "results"):
        for given in params.get(name, []):
            value = given.strip().lower()
            if value in FORMAT_NAMES:
                return FORMAT_NAMES[value]
            if value in SELECT_TYPES or value in GRAPH_TYPES:
                return value
    return header


def _rank(accept: str, candidate: str) -> tuple[float, int, int] | None:
    """How much the Accept header wants ``candidate``: (q, specificity, -position) of the best
    matching media range, or None when no range admits it (or only with q=0)."""
    best: tuple[float, int, int] | None = None
    kind = candidate.split("/", maxsplit=1)[0]
    for position, part in enumerate(accept.split(",")):
        media, *params = (p.strip().lower() for p in part.split(";"))
        if media not in (candidate, f"{kind}/*", "*/*"):
            continue
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
        key = (q, specificity, -position)
        if best is None or key[1:] > best[1:]:  # the most specific range decides
            best = key
    return best if best is not None and best[0] > 0 else None


def preferences(accept: str, offered: list[str] | None = None) -> list[str]:
    """The offered media types the Accept header admits, best first (ties: offer order)."""
    offered = offered if offered is not None else [*SELECT_TYPES, *GRAPH_TYPES]
    if not accept.strip():
        return list(offered)
    ranked = [(rank, -i, c) for i, c in enumerate(offered) if (rank := _rank(accept, c))]
    ranked.sort(reverse=True)
    return [c for _, _, c in ranked]


def pick(accept: str, offered: list[str]) -> str | None:
    """The offered media type the Accept header prefers, or None."""
    found = preferences(accept, offered)
    return found[0] if found else None


Format = Annotated[
    Literal["json", "csv"] | None,
    Query(
        alias="format",
        description="json (default) or csv; `Accept: text/csv` also gives CSV.",
        examples=["csv"],
    ),
]


# The OpenAPI ``responses`` of a route that answers CSV too (``format=csv`` or
# ``Accept: text/csv``): its 200 is documented as JSON (the route's model) or CSV text.
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/csv": {"schema": {"type": "string"}}},
        "description": "JSON, or CSV (format=csv or Accept: text/csv)",
    }
}


def wants_csv(request: Request, fmt: str | None) -> bool:
    if fmt is not None:
        return fmt == "csv"
    accept = request.headers.get("accept", "")
    return bool(accept) and pick(accept, ["application/json", "text/csv"]) == "text/csv"


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): a
# text that does is written with a leading apostrophe, which the spreadsheet shows as text.
# Numbers stay numbers (-1 is a number, not a formula). /sparql's CSV is SPARQL's results
# format, for SPARQL clients, and is left as the standard says.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Value | None) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def to_csv(columns: Sequence[str], rows: Iterable[Mapping[str, Value]]) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(c)) for c in columns])
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8")
