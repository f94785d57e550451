"""``GET /search``: full-text search over clause texts, section headings and resolution titles.

The index (graph/search/) lives beside the store and belongs to the application's query
service (graph/service.py), which keeps it in step with the store: this router opens it, and
brings it up to the store's release, when the application starts (and, should that be
skipped, the first search does), then every committed write updates it; the router closes it
at shutdown. A query is plain words, never FTS5 syntax, so no query can fail with a 500: a
query with nothing to search for is a 422 with a JSON reason.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sqlite3
import time
from collections.abc import AsyncIterator
from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api import models, shaping
from api.deps import AppMetrics, Service
from api.http import CSV_RESPONSE, Format, HttpError, to_csv, wants_csv
from graph import catalogue
from graph.clock import today
from graph.search import KINDS, Hit, QueryError, SearchError
from graph.service import QueryService
from graph.store import KnowledgeGraph
from graph.values import Value
from loaders.reference import normalise_body

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 10_000

CSV_COLUMNS = (
    "kind",
    "iri",
    "label",
    "resolution",
    "resolution_label",
    "version",
    "version_label",
    "in_force_with",
    "document",
    "document_label",
    "section",
    "clause",
    "snippet",
    "highlights",
    "score",
    "graph",
)

_RESOLUTION = re.compile(r"([A-Za-z]+)\s*[ /-]\s*([0-9]{1,5}(?:/[0-9]{1,5})?)")
_DOCUMENT = re.compile(r"[A-Za-z0-9._~-]{1,200}")


def _document_doc() -> tuple[str, str]:
    param = catalogue.get("document-changes").param("document")
    return param.description, param.example


SearchText = Annotated[
    str,
    Query(
        description='Words to search for, all of them (AND). `"two words"` is a phrase, '
        "`secur*` a prefix, `-word` excludes; anything else (quotes, brackets, OR, NEAR) is "
        "searched for as text, never as an operator. English words match their other forms "
        "(recognizing: recognize), -ise/-ize spellings each other, and case and accents are "
        "ignored.",
        examples=["cybersecurity"],
    ),
]
Limit = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, description="At most this many hits.", examples=[20])
]
Offset = Annotated[
    int, Query(ge=0, le=MAX_OFFSET, description="Skip this many hits first.", examples=[0])
]
KindFilter = Annotated[
    list[str] | None,
    Query(
        description="Only these kinds of text: clause (a clause's text), section (a section "
        "heading), title (the title of a resolution, resolution version or document); repeat "
        "the parameter or separate values with commas. Without it, all.",
        examples=["clause"],
    ),
]
ResolutionFilter = Annotated[
    str | None,
    Query(
        description="Only texts of this resolution, as `BODY NUMBER` (any letter case; e.g. "
        "WTSA 75, PP 140, UNGA 70/125) or the IRI of the resolution or of one of its versions.",
        examples=["WTSA 75"],
    ),
]
AsOfSearch = Annotated[
    str | None,
    Query(
        description="Only texts in force on this day (YYYY-MM-DD): a resolution version's "
        "text from the last day of the meeting that adopted it until the next version's (a "
        "version whose meeting has no dates is kept); a proposal's text never, but a clause of "
        "it that the amended version already had is that version's; a resolution's or a "
        "document's own title always. Without it, today; any: every text, whatever its dates. "
        "`left_out` says how many hits the day left out.",
        examples=["2023-01-01"],
    ),
]
DocumentFilter = Annotated[
    str | None,
    Query(
        description=f"Only texts read from this document: {_document_doc()[0]}, or its IRI.",
        examples=[_document_doc()[1]],
    ),
]


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the service's index at start and catch up with the store, so that the first
    search does not pay for it; close it at shutdown."""
    service = getattr(app.state, "service", None)
    if isinstance(service, QueryService):
        try:
            index = service.search_index()
            await run_in_threadpool(index.ensure_current, service.kg)
        except Exception as e:  # the service still starts: the first search retries (or 503)
            logging.getLogger("uvicorn.error").warning(
                "search index not ready at start: %s: %s", type(e).__name__, e
            )
    try:
        yield
    finally:
        if isinstance(service, QueryService):
            service.close_search_index()


def _iri(value: str, name: str) -> str:
    try:
        return ox.NamedNode(value).value
    except ValueError as e:
        raise HttpError(422, f"parameter {name!r}: bad IRI {value!r}: {e}") from e


def resolution_iri(kg: KnowledgeGraph, value: str) -> str:
    """``WTSA 75``, ``WTSA/75``, ``UNGA 70/125`` or an IRI, as the IRI to filter on."""
    value = value.strip()
    if re.match(r"https?://", value):
        return _iri(value, "resolution")
    match = _RESOLUTION.fullmatch(value)
    if match is None:
        raise HttpError(
            422,
            f"parameter 'resolution': {value!r} is neither 'BODY NUMBER' (e.g. 'WTSA 75') "
            "nor an http(s) IRI",
        )
    try:
        body = normalise_body(match[1].upper())
    except ValueError as e:
        raise HttpError(422, f"parameter 'resolution': {e}") from e
    return kg.ids.resolution(body, match[2]).value


def document_iri(kg: KnowledgeGraph, value: str) -> str:
    """A document id (its file name without extension) or an IRI, as the IRI to filter on."""
    value = value.strip()
    if re.match(r"https?://", value):
        return _iri(value, "document")
    if not _DOCUMENT.fullmatch(value):
        raise HttpError(
            422,
            f"parameter 'document': {value!r} is neither a document id "
            "(its file name without extension) nor an http(s) IRI",
        )
    return kg.ids.document(value).value


def hit_row(hit: Hit) -> dict[str, Value]:
    row: dict[str, Value | None] = {
        "kind": hit.kind,
        "iri": hit.iri,
        "label": hit.label,
        "section": hit.section,
        "clause": hit.clause,
        "snippet": hit.snippet.text,
        "highlights": " ".join(f"{s}-{e}" for s, e in hit.snippet.highlights),
        "score": hit.score,
        "graph": hit.graph,
        "in_force_with": hit.dated,
    }
    for name, ref in (
        ("resolution", hit.resolution),
        ("version", hit.version),
        ("document", hit.document),
    ):
        row[name] = ref.iri if ref else None
        row[f"{name}_label"] = ref.label if ref else None
    return {k: v for k, v in row.items() if v is not None}


router = APIRouter(lifespan=_lifespan)


@router.get(
    "/search",
    summary="Full-text search over clause texts, section headings and resolution titles",
    tags=["search"],
    response_model=models.SearchAnswer,
    responses={
        **CSV_RESPONSE,
        422: {"description": "a query with nothing to search for, or a bad parameter"},
    },
)
def search(
    service: Service,
    metrics: AppMetrics,
    request: Request,
    q: SearchText,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
    kind: KindFilter = None,
    resolution: ResolutionFilter = None,
    document: DocumentFilter = None,
    as_of: AsOfSearch = None,
    fmt: Format = None,
) -> Response | models.SearchAnswer:
    started = time.perf_counter()
    kinds = catalogue.split_values(kind)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise HttpError(422, f"parameter 'kind': {unknown[0]!r} is not one of {', '.join(KINDS)}")
    resolution_filter = resolution_iri(service.kg, resolution) if resolution else None
    document_filter = document_iri(service.kg, document) if document else None
    day = None if (as_of or "").strip().lower() == "any" else (as_of or today())
    try:
        result = service.search(
            q,
            limit=limit,
            offset=offset,
            kinds=kinds,
            resolution=resolution_filter,
            document=document_filter,
            in_force=None if day is None else versions_in_force(service, day),
        )
    except QueryError as e:
        raise HttpError(422, f"parameter 'q': {e}") from e
    except (SearchError, sqlite3.Error) as e:
        raise HttpError(503, f"search is unavailable: {e}") from e
    if metrics is not None:
        metrics.observe_query("search", time.perf_counter() - started)
    if wants_csv(request, fmt):
        return to_csv(CSV_COLUMNS, [hit_row(h) for h in result.hits])
    labels = version_labels(service, day) if any(h.dated for h in result.hits) else None
    return shaping.search_answer(
        q, result, offset=offset, limit=limit, as_of=day or "any", labels=labels
    )


def version_labels(service: QueryService, day: str | None = None) -> dict[str, str]:
    """Every resolution version's label: the rows of resolution-versions for the day asked
    (today for any), the answer versions_in_force reads too (kept per release and day)."""
    rows = catalogue.run(service, "resolution-versions", {"as_of": day or today()}).rows
    return {str(r["version"]): str(r["label"]) for r in rows if r.get("label")}


def versions_in_force(service: QueryService, day: str) -> set[str]:
    """The resolution versions in force on ``day`` (named query resolution-versions), and
    those whose state is unknown (a meeting with no dates: not hidden for want of data)."""
    rows = catalogue.run(service, "resolution-versions", {"as_of": day}).rows  # a bad day: 422
    return {str(r["version"]) for r in rows if r.get("state") in ("in force", "unknown")}
