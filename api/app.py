"""The HTTP face: a thin FastAPI application over one KnowledgeGraph.

Read-only: nothing here writes to the store. Blocking store calls run in plain ``def``
routes, i.e. in FastAPI's thread pool, never on the event loop.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Annotated
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import Depends, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from api.caching import ReleaseETagMiddleware
from api.metrics import Metrics, MetricsMiddleware
from graph.executor import ExecutorError, NotAcceptableError, QueryExecutor, QueryTimeout
from graph.settings import Settings
from graph.store import KnowledgeGraph, StoreError, software_version

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
}


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


def _in_process(graph: KnowledgeGraph, text: str, accept: str) -> tuple[bytes, str]:
    """Run a query in this process (no deadline) and serialise it as the client prefers."""
    result = graph.query(text, with_prefixes=True)
    if isinstance(result, ox.QueryTriples):
        media = _pick(accept or "text/turtle", list(GRAPH_TYPES))
        if media is None:
            raise _NotAcceptableError
        return ox.serialize(result, format=GRAPH_TYPES[media]) or b"", media
    media = _pick(accept or "application/sparql-results+json", list(SELECT_TYPES))
    if media is None:
        raise _NotAcceptableError
    return result.serialize(format=SELECT_TYPES[media]) or b"", media


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _updates_refused() -> JSONResponse:
    return _error(403, "this endpoint is read-only: SPARQL updates are not accepted")


DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")


def _dataset_refused(params: Mapping[str, object]) -> JSONResponse | None:
    """The protocol's dataset parameters are refused, not ignored: ignoring them would answer
    a different question than the one asked (the default graph is the union of the named
    graphs; use FROM / GRAPH in the query instead)."""
    given = [p for p in DATASET_PARAMS if p in params]
    if not given:
        return None
    return _error(
        400,
        f"{', '.join(given)} is not supported here: the default graph is the "
        "union of the named graphs; name graphs with GRAPH in the query",
    )


def _content_type(header: str) -> tuple[str, str | None]:
    media, *params = (p.strip() for p in header.split(";"))
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower().replace("utf8", "utf-8")
    return media.lower(), charset


SD = "http://www.w3.org/ns/sparql-service-description#"


def service_description(endpoint: str, accept: str) -> Response:
    """SPARQL 1.1 Service Description of this endpoint."""
    names = (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
    )
    formats = " , ".join(f"<http://www.w3.org/ns/formats/{name}>" for name in names)
    turtle = f"""@prefix sd: <{SD}> .
<{endpoint}#service> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:feature sd:UnionDefaultGraph ;
    sd:resultFormat {formats} ;
    sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .
"""
    media = _pick(accept or "text/turtle", list(GRAPH_TYPES)) or "text/turtle"
    graph = ox.parse(turtle.encode(), ox.RdfFormat.TURTLE)
    return Response(ox.serialize(graph, format=GRAPH_TYPES[media]) or b"", media_type=media)


def get_kg(request: Request) -> KnowledgeGraph:
    graph: KnowledgeGraph = request.app.state.kg
    return graph


KG = Annotated[KnowledgeGraph, Depends(get_kg)]


def create_app(
    kg: KnowledgeGraph, settings: Settings | None = None, executor: QueryExecutor | None = None
) -> FastAPI:
    """The application over ``kg``. With an ``executor`` (an on-disk store), /sparql queries run
    in worker processes and are stopped at their deadline (503); without one (an in-memory
    graph, in tests) they run in-process with no deadline."""
    settings = settings or Settings()
    app = FastAPI(
        title="wsis-kg",
        version=software_version(),
        description="How ITU-T work supports the WSIS Action Lines and the SDGs: a SPARQL "
        "endpoint and REST answers that cite their sources.",
    )
    app.state.kg = kg
    app.state.settings = settings
    app.state.executor = executor
    kg.query_executor = executor  # named queries run there too, with a deadline
    metrics = app.state.metrics = Metrics()
    # order: metrics sees every request, including the 304s the ETag middleware answers
    app.add_middleware(ReleaseETagMiddleware, release=kg.current_release)
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

    from api.auth import WriteRefusedError
    from api.routes import ApiError, build_router

    @app.exception_handler(ApiError)
    def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"error": exc.message}, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(WriteRefusedError)
    def write_refused(request: Request, exc: WriteRefusedError) -> JSONResponse:
        return JSONResponse({"error": exc.message}, status_code=exc.status, headers=exc.headers)

    app.include_router(build_router())
    from api.uploads import build_upload_router

    app.include_router(build_upload_router())

    @app.get("/health", summary="Liveness and the current release")
    def health(graph: KG) -> dict[str, object]:
        return {"status": "ok", "release": graph.current_release(), "quads": len(graph)}

    @app.get("/metrics", summary="Prometheus metrics", response_class=PlainTextResponse)
    def metrics_text(graph: KG) -> PlainTextResponse:
        gauges = {"wsiskg_store_quads": ("Quads in the store.", float(len(graph)))}
        return PlainTextResponse(metrics.render(gauges), media_type="text/plain; version=0.0.4")

    @app.get("/graphs", summary="The named graphs and their sizes")
    def graphs(graph: KG) -> dict[str, object]:
        return {"release": graph.current_release(), "graphs": graph.named_graphs()}

    def run_query(graph: KnowledgeGraph, text: str, accept: str) -> Response:
        started = time.perf_counter()
        try:
            if executor is not None:
                answer = executor.execute(
                    text,
                    accept=preferences(accept) or ["none/none"],
                    timeout=settings.query_timeout,
                )
                body, media = answer.body, answer.media_type
            else:
                body, media = _in_process(graph, text, accept)
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
    ) -> Response:
        params = request.query_params
        if "update" in params:
            return _error(400, "a SPARQL update cannot be sent by GET (use POST)")
        queries = params.getlist("query")
        if not queries:
            return service_description(
                str(request.url.remove_query_params(list(params))),
                request.headers.get("accept", ""),
            )
        if len(queries) > 1:
            return _error(400, "exactly one 'query' parameter is allowed")
        return _dataset_refused(params) or run_query(
            graph, queries[0], request.headers.get("accept", "")
        )

    @app.post(
        "/sparql",
        summary="SPARQL 1.1 query (POST form or application/sparql-query)",
        openapi_extra={
            "requestBody": {
                "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": {"type": "object", "properties": {"query": {"type": "string"}}}
                    },
                    "application/sparql-query": {"schema": {"type": "string"}},
                }
            }
        },
    )
    async def sparql_post(graph: KG, request: Request) -> Response:
        media, charset = _content_type(request.headers.get("content-type", ""))
        body = await request.body()
        if charset not in (None, "utf-8"):
            return _error(415, f"the body must be UTF-8, not {charset}")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return _error(400, "the body is not valid UTF-8")
        accept = request.headers.get("accept", "")
        if media == "application/x-www-form-urlencoded":
            form = parse_qs(text, keep_blank_values=True)
            if "update" in form:
                return _updates_refused()
            queries = form.get("query", [])
            if len(queries) != 1:
                return _error(400, "exactly one 'query' parameter is allowed")
            refused = _dataset_refused(request.query_params) or _dataset_refused(form)
            if refused:
                return refused
            return await run_in_threadpool(run_query, graph, queries[0], accept)
        if media == "application/sparql-query":
            if "query" in request.query_params:
                return _error(400, "the query is in the body: no 'query' parameter as well")
            refused = _dataset_refused(request.query_params)
            if refused:
                return refused
            return await run_in_threadpool(run_query, graph, text, accept)
        if media == "application/sparql-update":
            return _updates_refused()
        return _error(
            415,
            "POST a form (application/x-www-form-urlencoded) or a query "
            f"(application/sparql-query), not {media or 'no content type'}",
        )

    return app
