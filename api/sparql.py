"""``/sparql``: the SPARQL 1.1 Protocol (queries by GET and POST, updates by POST with the
write token) and, without a query, the SPARQL 1.1 Service Description.

A module-level router: mount it on any application whose ``app.state.service`` is a query
service (api/deps.py). Queries run where the service runs them (graph/service.py: in a worker
with the deadline, or in this process); an update is one transaction (graph/store.py).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from api.auth import check_writer
from api.deps import AppMetrics, Service
from api.http import GRAPH_TYPES, SELECT_TYPES, HttpError, pick, preferences, requested_accept
from api.metrics import Metrics
from api.vocabulary import DESCRIPTION_PREFIXES, describe_service, server_url
from graph.errors import (
    ExecutorError,
    NotAcceptableError,
    OverBudgetError,
    QueryTimeout,
    StoreError,
    TooManyRowsError,
)
from graph.service import QueryService
from graph.sparql_text import fetches
from loaders.unicode import check_update

router = APIRouter()


def _observe(metrics: Metrics | None, kind: str, started: float) -> None:
    """Count the query in the application's metrics (a router mounted alone has none)."""
    if metrics is not None:
        metrics.observe_query(kind, time.perf_counter() - started)


@dataclass(frozen=True)
class _Dataset:
    """The protocol's dataset of a query (None: the parameter was not given)."""

    default_graphs: list[str] | None = None
    named_graphs: list[str] | None = None


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


Params = dict[str, list[str]]
QUERY_DATASET = ("default-graph-uri", "named-graph-uri")
UPDATE_DATASET = ("using-graph-uri", "using-named-graph-uri")


def _params(*sources: Mapping[str, list[str]]) -> Params:
    """The parameters of the query string and of a form body, together."""
    merged: Params = {}
    for source in sources:
        for name, values in source.items():
            merged.setdefault(name, []).extend(values)
    return merged


def _iris(params: Params, name: str) -> list[str] | None:
    """The values of a dataset parameter, each an absolute IRI, or None if not given."""
    if name not in params:
        return None
    for value in params[name]:
        try:
            ox.NamedNode(value)
        except ValueError as e:
            raise HttpError(400, f"{name}: {value!r} is not an absolute IRI ({e})") from e
    return params[name]


def _query_dataset(params: Params) -> _Dataset:
    """``default-graph-uri`` / ``named-graph-uri``: when either is given, the query runs over
    exactly that dataset (from the store's graphs), whatever its FROM clauses say."""
    wrong = [p for p in UPDATE_DATASET if p in params]
    if wrong:
        raise HttpError(400, f"{', '.join(wrong)} goes with an update, not a query")
    return _Dataset(_iris(params, QUERY_DATASET[0]), _iris(params, QUERY_DATASET[1]))


def _endpoint_iri(request: Request) -> str:
    """The IRI of this endpoint as the client called it: the base of relative IRIs."""
    return str(request.url).split("?", 1)[0].split("#", 1)[0]


def _content_type(header: str) -> tuple[str, str | None]:
    media, *params = (p.strip() for p in header.split(";"))
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower().replace("utf8", "utf-8")
    return media.lower(), charset


def service_description(
    request: Request, *, updates: bool, graphs: Mapping[str, int], ontology_graph: str
) -> Response:
    """SPARQL 1.1 Service Description of this endpoint (api/vocabulary.py), in the graph
    format the client prefers (Turtle by default; ``updates``: SPARQL 1.1 Update is enabled,
    i.e. a write token is configured)."""
    triples = describe_service(
        _endpoint_iri(request),
        server_url(request),
        updates=updates,
        graphs=graphs,
        ontology_graph=ontology_graph,
    )
    accept = request.headers.get("accept", "")
    media = pick(accept or "text/turtle", list(GRAPH_TYPES)) or "text/turtle"
    body = ox.serialize(triples, format=GRAPH_TYPES[media], prefixes=DESCRIPTION_PREFIXES)
    return Response(body or b"", media_type=media)


def run_query(
    service: QueryService,
    metrics: Metrics | None,
    text: str,
    accept: str,
    dataset: _Dataset,
    base_iri: str,
) -> Response:
    """A query: run by the service (in a worker or in this process) and answered in the
    format the client prefers, or an error answer with its status."""
    settings = service.settings
    if len(text) > settings.max_query_chars:
        return _error(
            413,
            f"the query has {len(text)} characters, more than the limit of "
            f"{settings.max_query_chars}",
        )
    keyword = fetches(text)
    if keyword is not None:
        return _error(400, f"{keyword} is not supported: this service never fetches data")
    started = time.perf_counter()
    try:
        # no Accept: the defaults (JSON results, Turtle graphs)
        wanted = (preferences(accept) or ["none/none"]) if accept.strip() else ["*/*"]
        answer = service.execute(
            text,
            accept=wanted,
            default_graphs=dataset.default_graphs,
            named_graphs=dataset.named_graphs,
            base_iri=base_iri,
            max_rows=settings.max_result_rows,
        )
        body, media = answer.body, answer.media_type
    except TooManyRowsError as e:
        return JSONResponse({"error": str(e), "max_result_rows": e.limit}, status_code=422)
    except StoreError as e:
        return JSONResponse({"error": str(e)}, status_code=400)
    except NotAcceptableError:
        return JSONResponse({"error": f"cannot produce any of: {accept}"}, status_code=406)
    except QueryTimeout as e:
        return JSONResponse({"error": str(e)}, status_code=503, headers={"Retry-After": "1"})
    except (ExecutorError, OverBudgetError) as e:
        # no worker in time or a full queue (503), the client's query time used up (429):
        # each with its Retry-After (graph/fairness.py); a worker that failed: a plain 503
        status, headers = e.http_status or 503, dict(e.headers or {})
        message = str(e) if headers else f"query failed: {e}"
        return JSONResponse({"error": message}, status_code=status, headers=headers)
    _observe(metrics, "sparql", started)
    return Response(body, media_type=media)


def run_update(
    service: QueryService, metrics: Metrics | None, text: str, params: Params, base_iri: str
) -> Response:
    """An authorised update (the caller checked the token): one transaction, one release."""
    wrong = [p for p in QUERY_DATASET if p in params]
    if wrong:
        return _error(400, f"{', '.join(wrong)} goes with a query, not an update")
    try:
        using = _iris(params, UPDATE_DATASET[0]) or []
        using_named = _iris(params, UPDATE_DATASET[1]) or []
    except HttpError as e:
        return _error(e.status, e.message)
    try:  # NFC, only characters, visible IRIs (docs/reliability.md, section 6)
        text = check_update(text)
    except ValueError as e:
        return _error(400, f"refused: {e}")
    started = time.perf_counter()
    try:
        release = service.kg.update(
            text, base_iri=base_iri, using_graphs=using, using_named_graphs=using_named
        )
    except StoreError as e:
        return _error(400, str(e))
    _observe(metrics, "update", started)
    return JSONResponse({"release": release})


# The answers besides JSON that a query may ask for (CSV, TSV, XML, Turtle ...): text, as
# OpenAPI documents them (FastAPI adds application/json itself).
TEXT_ANSWERS = {
    media_type: {"schema": {"type": "string"}}
    for media_type in (*SELECT_TYPES, *GRAPH_TYPES)
    if "json" not in media_type
}


@router.get(
    "/sparql",
    summary="SPARQL 1.1 query (GET), or the service description without a query",
    responses={
        200: {
            "description": "results, a graph, or the service description",
            "content": TEXT_ANSWERS,
        }
    },
)
def sparql_get(
    service: Service,
    metrics: AppMetrics,
    request: Request,
    query: Annotated[
        str | None,
        Query(
            description="The SPARQL query (SPARQL 1.1 Protocol).",
            examples=["SELECT * WHERE { ?s skos:notation 'C5' }"],
        ),
    ] = None,
    default_graph_uri: Annotated[
        list[str] | None,
        Query(
            alias="default-graph-uri",
            description="The default graph of the query (repeatable): the query runs over "
            "the graphs given here and in named-graph-uri, whatever its FROM says.",
        ),
    ] = None,
    named_graph_uri: Annotated[
        list[str] | None,
        Query(alias="named-graph-uri", description="A named graph of the query (repeatable)."),
    ] = None,
) -> Response:
    params = _params({k: request.query_params.getlist(k) for k in request.query_params})
    if "update" in params:
        return _error(400, "a SPARQL update cannot be sent by GET (use POST)")
    queries = params.get("query", [])
    if not queries:
        return service_description(
            request,
            updates=service.settings.write_token is not None,
            graphs=service.graph_sizes(),
            ontology_graph=service.kg.ontology_graph.value,
        )
    if len(queries) > 1:
        return _error(400, "exactly one 'query' parameter is allowed")
    try:
        dataset = _query_dataset(params)
    except HttpError as e:
        return _error(e.status, e.message)
    accept = requested_accept(request.headers.get("accept", ""), params)
    return run_query(service, metrics, queries[0], accept, dataset, _endpoint_iri(request))


@router.post(
    "/sparql",
    summary="SPARQL 1.1 query or update (POST form, application/sparql-query or "
    "application/sparql-update)",
    description="A query: a form with `query` (and `default-graph-uri`, `named-graph-uri`), "
    "or the query itself as `application/sparql-query`. An update needs "
    "`Authorization: Bearer <token>` (WSISKG_WRITE_TOKEN; without one configured, every "
    "update is 403): a form with `update` (and `using-graph-uri`, "
    "`using-named-graph-uri`), or the update itself as `application/sparql-update`. An "
    'update is one transaction and answers `{"release": ...}`, the new release. Its '
    "default graph is the store's own default graph, not the union that queries see; the "
    "provenance and entailment graphs cannot be written; LOAD and SERVICE are refused.",
    responses={
        200: {
            "description": "results or a graph (query); the new release (update)",
            "content": TEXT_ANSWERS,
        },
        400: {"description": "a malformed or refused query or update"},
        401: {"description": "an update without a valid write token"},
        403: {"description": "an update when no write token is configured"},
        413: {
            "description": "a body over WSISKG_MAX_BODY_BYTES, or a query over "
            "WSISKG_MAX_QUERY_CHARS"
        },
        415: {"description": "another media type, or a charset other than UTF-8"},
        422: {
            "description": "an answer of more than WSISKG_MAX_RESULT_ROWS rows: add a "
            "LIMIT (never a truncated answer)"
        },
        429: {"description": "too many requests in progress from this client"},
    },
    openapi_extra={
        "requestBody": {
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "query": {"type": "string"},
                            "update": {"type": "string"},
                            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                            "using-graph-uri": {"type": "array", "items": {"type": "string"}},
                            "using-named-graph-uri": {
                                "type": "array",
                                "items": {"type": "string"},
                            },
                        },
                    }
                },
                "application/sparql-query": {"schema": {"type": "string"}},
                "application/sparql-update": {"schema": {"type": "string"}},
            }
        }
    },
)
async def sparql_post(service: Service, metrics: AppMetrics, request: Request) -> Response:
    settings = service.settings
    media, charset = _content_type(request.headers.get("content-type", ""))
    url_params = {k: request.query_params.getlist(k) for k in request.query_params}
    endpoint = _endpoint_iri(request)
    accept = request.headers.get("accept", "")
    if media == "application/sparql-update":
        # the token first: without it nothing of the request is read
        check_writer(settings, request.headers.get("authorization"))
    if charset not in (None, "utf-8"):
        return _error(415, f"the body must be UTF-8, not {charset}")
    try:
        text = (await request.body()).decode("utf-8")
    except UnicodeDecodeError:
        return _error(400, "the body is not valid UTF-8")
    if media == "application/sparql-update":
        if "update" in url_params or "query" in url_params:
            return _error(400, "the update is in the body: no 'update' or 'query' parameter")
        return await run_in_threadpool(run_update, service, metrics, text, url_params, endpoint)
    if media == "application/x-www-form-urlencoded":
        params = _params(url_params, parse_qs(text, keep_blank_values=True))
        if "update" in params:
            check_writer(settings, request.headers.get("authorization"))
            if "query" in params:
                return _error(400, "a request has a 'query' or an 'update', not both")
            if len(params["update"]) != 1:
                return _error(400, "exactly one 'update' parameter is allowed")
            return await run_in_threadpool(
                run_update, service, metrics, params["update"][0], params, endpoint
            )
        queries = params.get("query", [])
        if len(queries) != 1:
            return _error(400, "exactly one 'query' parameter is allowed")
        try:
            dataset = _query_dataset(params)
        except HttpError as e:
            return _error(e.status, e.message)
        accept = requested_accept(accept, params)
        return await run_in_threadpool(
            run_query, service, metrics, queries[0], accept, dataset, endpoint
        )
    if media == "application/sparql-query":
        if "query" in url_params or "update" in url_params:
            return _error(400, "the query is in the body: no 'query' or 'update' parameter")
        try:
            dataset = _query_dataset(url_params)
        except HttpError as e:
            return _error(e.status, e.message)
        accept = requested_accept(accept, url_params)
        return await run_in_threadpool(run_query, service, metrics, text, accept, dataset, endpoint)
    return _error(
        415,
        "POST a form (application/x-www-form-urlencoded), a query (application/sparql-query) "
        f"or an update (application/sparql-update), not {media or 'no content type'}",
    )
