"""The HTTP face: a thin FastAPI application over one KnowledgeGraph.

Writes only with the write token (api/auth.py): SPARQL updates on /sparql (here) and document
uploads (api/uploads.py). Blocking store calls run in plain ``def`` routes, i.e. in FastAPI's
thread pool, never on the event loop.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import Depends, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.caching import ReleaseETagMiddleware, ResponseCache
from api.docs import add_docs
from api.errors import document_errors, validation_message
from api.limits import LimitsMiddleware
from api.metrics import Metrics, MetricsMiddleware
from api.vocabulary import DESCRIPTION_PREFIXES, PerRelease, describe_service, server_url
from api.vocabulary import router as vocabulary_router
from graph.executor import (
    ExecutorError,
    NotAcceptableError,
    QueryExecutor,
    QueryTimeout,
    TooManyRowsError,
    cap_rows,
)
from graph.settings import Settings
from graph.sparql_text import fetches
from graph.store import KnowledgeGraph, StoreError, software_version
from loaders.unicode import check_update
from ontology.errors import ResponseError, SettingsError, WsisKgError

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


def _pick(accept: str, offered: list[str]) -> str | None:
    """The offered media type the Accept header prefers, or None."""
    found = preferences(accept, offered)
    return found[0] if found else None


class _NotAcceptableError(Exception):
    pass


@dataclass(frozen=True)
class _Dataset:
    """The protocol's dataset of a query (None: the parameter was not given)."""

    default_graphs: list[str] | None = None
    named_graphs: list[str] | None = None


def _in_process(
    graph: KnowledgeGraph,
    text: str,
    accept: str,
    dataset: _Dataset,
    base_iri: str,
    max_rows: int | None = None,
) -> tuple[bytes, str]:
    """Run a query in this process (no deadline) and serialise it as the client prefers
    (more than ``max_rows`` rows: :class:`TooManyRowsError`)."""
    result = graph.endpoint_query(
        text,
        default_graphs=dataset.default_graphs,
        named_graphs=dataset.named_graphs,
        base_iri=base_iri,
    )
    if isinstance(result, ox.QueryTriples):
        media = _pick(accept or "text/turtle", list(GRAPH_TYPES))
        if media is None:
            raise _NotAcceptableError
        triples = cap_rows(result, max_rows)
        assert isinstance(triples, ox.QueryTriples | list)
        return ox.serialize(triples, format=GRAPH_TYPES[media]) or b"", media
    media = _pick(accept or "application/sparql-results+json", list(SELECT_TYPES))
    if media is None:
        raise _NotAcceptableError
    solutions = cap_rows(result, max_rows)
    assert isinstance(solutions, ox.QuerySolutions | ox.QueryBoolean)
    return solutions.serialize(format=SELECT_TYPES[media]) or b"", media


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


class _ProtocolError(ResponseError):
    """A request the SPARQL protocol does not allow: its status and reason."""


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
            raise _ProtocolError(400, f"{name}: {value!r} is not an absolute IRI ({e})") from e
    return params[name]


def _query_dataset(params: Params) -> _Dataset:
    """``default-graph-uri`` / ``named-graph-uri``: when either is given, the query runs over
    exactly that dataset (from the store's graphs), whatever its FROM clauses say."""
    wrong = [p for p in UPDATE_DATASET if p in params]
    if wrong:
        raise _ProtocolError(400, f"{', '.join(wrong)} goes with an update, not a query")
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
    media = _pick(accept or "text/turtle", list(GRAPH_TYPES)) or "text/turtle"
    body = ox.serialize(triples, format=GRAPH_TYPES[media], prefixes=DESCRIPTION_PREFIXES)
    return Response(body or b"", media_type=media)


def get_kg(request: Request) -> KnowledgeGraph:
    graph: KnowledgeGraph = request.app.state.kg
    return graph


KG = Annotated[KnowledgeGraph, Depends(get_kg)]


_log = logging.getLogger("wsiskg.api")


def _precompute_in_background(kg: KnowledgeGraph) -> None:
    def work() -> None:
        from graph import catalogue

        try:
            catalogue.precompute(kg)
        except Exception as e:  # a background job: the first request computes it instead
            _log.warning("precomputing the per-release answers failed: %s", e)

    threading.Thread(target=work, name="wsiskg-precompute", daemon=True).start()


def create_app_from_settings() -> FastAPI:
    """The application of one API process of ``wsiskg serve --workers N`` (uvicorn imports it
    by name, ``factory=True``): over the SPARQL server the settings name, with its own
    connections to it. Several processes cannot share an embedded store."""
    settings = Settings()
    if not settings.remote_store:
        raise SettingsError(
            "several API processes need a SPARQL server as the store: set WSISKG_STORE_URL"
        )
    return create_app(KnowledgeGraph.from_settings(settings), settings)


def create_app(
    kg: KnowledgeGraph, settings: Settings | None = None, executor: QueryExecutor | None = None
) -> FastAPI:
    """The application over ``kg``. With an ``executor`` (an on-disk store), /sparql queries run
    in worker processes and are stopped at their deadline (503); without one they run
    in-process: over a SPARQL server (graph/remote.py) with the deadline as the HTTP timeout
    (503 past it, or when the server cannot be reached), over an in-memory graph (in tests)
    with no deadline."""
    settings = settings or Settings()
    app = FastAPI(
        title="wsis-kg",
        version=software_version(),
        description="How ITU-T work supports the WSIS Action Lines and the SDGs: a SPARQL "
        "endpoint and REST answers that cite their sources.",
        # the OpenAPI pages with their scripts served from here, not a CDN (api/docs.py)
        docs_url=None,
        redoc_url=None,
    )
    add_docs(app)
    app.state.kg = kg
    app.state.settings = settings
    app.state.executor = executor
    kg.query_executor = executor  # named queries run there too, with a deadline
    # The per-release answers of the named queries with a "precompute" line (the matrix):
    # computed now and after each write, in the background, so that no request waits for them
    kg.on_commit.append(lambda _release: _precompute_in_background(kg))
    _precompute_in_background(kg)
    metrics = app.state.metrics = Metrics()
    # order: metrics sees every request, including the 304s the ETag middleware answers
    app.state.responses = ResponseCache()

    def release() -> str | None:
        try:
            return kg.current_release()
        except ExecutorError:  # a SPARQL server that does not answer: no ETag, the route 503s
            return None

    app.add_middleware(ReleaseETagMiddleware, release=release, cache=app.state.responses)
    # body size, URL size, requests in progress per client (413, 414, 429): inside metrics,
    # which counts the refusals, outside everything that does work (api/limits.py)
    app.add_middleware(LimitsMiddleware, settings=settings)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    if settings.cors_origins:
        # outermost: preflights are answered before metrics and ETags; no credentials (the
        # write token is a Bearer header a browser page must be given explicitly)
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
            allow_headers=["Accept", "Authorization", "Content-Type", "If-None-Match"],
            expose_headers=["ETag", "Retry-After", "Location"],
            max_age=600,
        )

    from api.auth import check_writer
    from api.routes import build_router

    @app.exception_handler(WsisKgError)
    def known_error(request: Request, exc: WsisKgError) -> JSONResponse:
        # every error of the project (ontology/errors.py): a refusal the API decided (ApiError,
        # WriteRefusedError: 401 with WWW-Authenticate ...), a bad parameter (422), a store
        # server that did not answer (ExecutorError: 503, past the deadline with Retry-After)
        if exc.http_status is None:
            raise exc  # not the client's doing: a fault of the service (500), as without this
        return JSONResponse({"error": str(exc)}, status_code=exc.http_status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        # the service's error shape, not FastAPI's {"detail": [...]}
        return JSONResponse({"error": validation_message(exc)}, status_code=422)

    document_errors(app)

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # an unknown path, a method a route does not take: the service's error shape too
        if exc.status_code == 404 and exc.detail == "Not Found":
            message = f"no such path: {request.url.path} (the routes: /docs)"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        else:
            message = str(exc.detail)
        return JSONResponse({"error": message}, status_code=exc.status_code, headers=exc.headers)

    app.include_router(build_router())
    from api.uploads import build_upload_router

    app.include_router(build_upload_router())
    from api.dashboard import build_dashboard_router

    app.include_router(build_dashboard_router())
    app.include_router(vocabulary_router)

    quad_counts: dict[str | None, int] = {}

    def quads(graph: KnowledgeGraph) -> int:
        """The number of quads, counted once per release: ``len`` of an Oxigraph store scans
        every quad while holding the GIL (about 1 s at a million quads, during which every
        thread of this process and its event loop wait: docs/reliability.md, section 10)."""
        release = graph.current_release()
        if release not in quad_counts:
            count = len(graph)
            quad_counts.clear()
            quad_counts[release] = count
        return quad_counts[release]

    @app.get("/health", summary="Liveness and the current release")
    def health(graph: KG) -> dict[str, object]:
        # pid: which API process answered (several serve one SPARQL server: `--workers N`)
        return {
            "status": "ok",
            "release": graph.current_release(),
            "quads": quads(graph),
            "pid": os.getpid(),
        }

    @app.get("/metrics", summary="Prometheus metrics", response_class=PlainTextResponse)
    def metrics_text(graph: KG) -> PlainTextResponse:
        responses: ResponseCache = app.state.responses
        gauges = {
            "wsiskg_store_quads": ("Quads in the store.", float(quads(graph))),
            "wsiskg_response_cache_hits": (
                "GET answers served from the per-release response cache.",
                float(responses.hits),
            ),
            "wsiskg_response_cache_misses": (
                "GET answers computed (not in the response cache).",
                float(responses.misses),
            ),
            "wsiskg_response_cache_entries": (
                "Answers in the response cache.",
                float(len(responses)),
            ),
        }
        return PlainTextResponse(metrics.render(gauges), media_type="text/plain; version=0.0.4")

    graph_sizes = PerRelease(kg.named_graphs)  # a scan of the store: once per release

    @app.get("/graphs", summary="The named graphs and their sizes")
    def graphs(graph: KG) -> dict[str, object]:
        release = graph.current_release()
        return {"release": release, "graphs": graph_sizes.get(release)}

    def run_query(
        graph: KnowledgeGraph, text: str, accept: str, dataset: _Dataset, base_iri: str
    ) -> Response:
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
            if executor is not None:
                # no Accept: the defaults (JSON results, Turtle graphs), as in-process
                wanted = (preferences(accept) or ["none/none"]) if accept.strip() else ["*/*"]
                answer = executor.execute(
                    text,
                    accept=wanted,
                    timeout=settings.query_timeout,
                    default_graphs=dataset.default_graphs,
                    named_graphs=dataset.named_graphs,
                    base_iri=base_iri,
                    max_rows=settings.max_result_rows,
                )
                body, media = answer.body, answer.media_type
            else:
                body, media = _in_process(
                    graph, text, accept, dataset, base_iri, settings.max_result_rows
                )
        except TooManyRowsError as e:
            return JSONResponse({"error": str(e), "max_result_rows": e.limit}, status_code=422)
        except StoreError as e:
            return JSONResponse({"error": str(e)}, status_code=400)
        except (NotAcceptableError, _NotAcceptableError):
            return JSONResponse({"error": f"cannot produce any of: {accept}"}, status_code=406)
        except QueryTimeout as e:
            return JSONResponse({"error": str(e)}, status_code=503, headers={"Retry-After": "1"})
        except ExecutorError as e:
            return JSONResponse({"error": f"query failed: {e}"}, status_code=503)
        metrics.observe_query("sparql", time.perf_counter() - started)
        return Response(body, media_type=media)

    def run_update(graph: KnowledgeGraph, text: str, params: Params, base_iri: str) -> Response:
        """An authorised update (the caller checked the token): one transaction, one release."""
        wrong = [p for p in QUERY_DATASET if p in params]
        if wrong:
            return _error(400, f"{', '.join(wrong)} goes with a query, not an update")
        try:
            using = _iris(params, UPDATE_DATASET[0]) or []
            using_named = _iris(params, UPDATE_DATASET[1]) or []
        except _ProtocolError as e:
            return _error(e.status, e.message)
        try:  # NFC, only characters, visible IRIs (docs/reliability.md, section 6)
            text = check_update(text)
        except ValueError as e:
            return _error(400, f"refused: {e}")
        started = time.perf_counter()
        try:
            release = graph.update(
                text, base_iri=base_iri, using_graphs=using, using_named_graphs=using_named
            )
        except StoreError as e:
            return _error(400, str(e))
        metrics.observe_query("update", time.perf_counter() - started)
        return JSONResponse({"release": release})

    @app.get(
        "/sparql",
        summary="SPARQL 1.1 query (GET), or the service description without a query",
        responses={200: {"description": "results, a graph, or the service description"}},
    )
    def sparql_get(
        graph: KG,
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
                updates=settings.write_token is not None,
                graphs=graph_sizes.get(graph.current_release()),
                ontology_graph=graph.ontology_graph.value,
            )
        if len(queries) > 1:
            return _error(400, "exactly one 'query' parameter is allowed")
        try:
            dataset = _query_dataset(params)
        except _ProtocolError as e:
            return _error(e.status, e.message)
        accept = requested_accept(request.headers.get("accept", ""), params)
        return run_query(graph, queries[0], accept, dataset, _endpoint_iri(request))

    @app.post(
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
            200: {"description": "results or a graph (query); the new release (update)"},
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
    async def sparql_post(graph: KG, request: Request) -> Response:
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
            return await run_in_threadpool(run_update, graph, text, url_params, endpoint)
        if media == "application/x-www-form-urlencoded":
            params = _params(url_params, parse_qs(text, keep_blank_values=True))
            if "update" in params:
                check_writer(settings, request.headers.get("authorization"))
                if "query" in params:
                    return _error(400, "a request has a 'query' or an 'update', not both")
                if len(params["update"]) != 1:
                    return _error(400, "exactly one 'update' parameter is allowed")
                return await run_in_threadpool(
                    run_update, graph, params["update"][0], params, endpoint
                )
            queries = params.get("query", [])
            if len(queries) != 1:
                return _error(400, "exactly one 'query' parameter is allowed")
            try:
                dataset = _query_dataset(params)
            except _ProtocolError as e:
                return _error(e.status, e.message)
            accept = requested_accept(accept, params)
            return await run_in_threadpool(run_query, graph, queries[0], accept, dataset, endpoint)
        if media == "application/sparql-query":
            if "query" in url_params or "update" in url_params:
                return _error(400, "the query is in the body: no 'query' or 'update' parameter")
            try:
                dataset = _query_dataset(url_params)
            except _ProtocolError as e:
                return _error(e.status, e.message)
            accept = requested_accept(accept, url_params)
            return await run_in_threadpool(run_query, graph, text, accept, dataset, endpoint)
        return _error(
            415,
            "POST a form (application/x-www-form-urlencoded), a query (application/sparql-query) "
            f"or an update (application/sparql-update), not {media or 'no content type'}",
        )

    return app
