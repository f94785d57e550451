"""The HTTP face: a thin FastAPI application over one KnowledgeGraph.

Read-only: nothing here writes to the store. Blocking store calls run in plain ``def``
routes, i.e. in FastAPI's thread pool, never on the event loop.
"""

from __future__ import annotations

import time
from typing import Annotated

import pyoxigraph as ox
from fastapi import Depends, FastAPI, Form, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from api.caching import ReleaseETagMiddleware
from api.metrics import Metrics, MetricsMiddleware
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


def _pick(accept: str, offered: list[str]) -> str | None:
    """The offered media type the Accept header prefers (q-values honoured), or None.

    Among equal q-values the more specific range wins, then the earlier one.
    """
    best: tuple[float, int, int] | None = None
    choice: str | None = None
    for position, part in enumerate(accept.split(",")):
        media, *params = (p.strip().lower() for p in part.split(";"))
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if q <= 0 or not media:
            continue
        specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
        for candidate in offered:
            if media in (candidate, f"{candidate.split('/')[0]}/*", "*/*"):
                key = (q, specificity, -position)
                if best is None or key > best:
                    best, choice = key, candidate
                break
    return choice


def get_kg(request: Request) -> KnowledgeGraph:
    graph: KnowledgeGraph = request.app.state.kg
    return graph


KG = Annotated[KnowledgeGraph, Depends(get_kg)]


def create_app(kg: KnowledgeGraph, settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(
        title="wsis-kg",
        version=software_version(),
        description="How ITU-T work supports the WSIS Action Lines and the SDGs: a SPARQL "
        "endpoint and REST answers that cite their sources.",
    )
    app.state.kg = kg
    app.state.settings = settings
    metrics = app.state.metrics = Metrics()
    # order: metrics sees every request, including the 304s the ETag middleware answers
    app.add_middleware(ReleaseETagMiddleware, release=kg.current_release)
    app.add_middleware(MetricsMiddleware, metrics=metrics)

    from api.routes import ApiError, build_router

    @app.exception_handler(ApiError)
    def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"error": exc.message}, status_code=exc.status)

    app.include_router(build_router())

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
            result = graph.query(text, with_prefixes=True)
        except StoreError as e:
            return JSONResponse({"error": str(e)}, status_code=400)
        if isinstance(result, ox.QueryTriples):
            media = _pick(accept or "text/turtle", list(GRAPH_TYPES))
            if media is None:
                return JSONResponse({"error": f"cannot produce {accept}"}, status_code=406)
            body = ox.serialize(result, format=GRAPH_TYPES[media]) or b""
        else:
            media = _pick(accept or "application/sparql-results+json", list(SELECT_TYPES))
            if media is None:
                return JSONResponse({"error": f"cannot produce {accept}"}, status_code=406)
            body = result.serialize(format=SELECT_TYPES[media]) or b""
        # the query runs lazily while its results are serialised: time both
        metrics.observe_query("sparql", time.perf_counter() - started)
        return Response(body, media_type=media)

    @app.get("/sparql", summary="SPARQL 1.1 query (GET)")
    def sparql_get(
        graph: KG,
        request: Request,
        query: Annotated[
            str,
            Query(
                description="The SPARQL query.", examples=["SELECT * WHERE { ?s ?p ?o } LIMIT 5"]
            ),
        ],
    ) -> Response:
        return run_query(graph, query, request.headers.get("accept", ""))

    @app.post("/sparql", summary="SPARQL 1.1 query (POST form)")
    def sparql_post(
        graph: KG,
        request: Request,
        query: Annotated[str, Form(description="The SPARQL query.")],
    ) -> Response:
        return run_query(graph, query, request.headers.get("accept", ""))

    return app
