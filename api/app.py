"""The HTTP face: the application over one query service, assembled from its routers.

This module only assembles: it builds the query service (graph/service.py, the composition
root), mounts the module-level routers (``/sparql`` api/sparql.py, REST api/routes.py, the
SSSOM mapping sets api/mappings.py, search api/search.py, the dashboard api/dashboard.py,
uploads api/uploads.py, the vocabulary api/vocabulary.py, status api/status.py), adds the
middleware and maps every error to the service's ``{"error": ...}`` answer. Writes only with
the write token (api/auth.py). Blocking store calls run in plain ``def`` routes, i.e. in
FastAPI's thread pool, never on the event loop.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import (
    dashboard,
    mappings,
    recommendations,
    releases,
    routes,
    search,
    sparql,
    status,
    uploads,
    versions,
    vocabulary,
)
from api.caching import ReleaseETagMiddleware, ResponseCache
from api.docs import add_docs
from api.errors import document_errors, validation_message
from api.http import (
    FORMAT_NAMES,
    GRAPH_TYPES,
    SELECT_TYPES,
    _rank,
    pick,
    preferences,
    requested_accept,
)
from api.limits import LimitsMiddleware
from api.metrics import Metrics, MetricsMiddleware
from graph.connect import graph_from_settings
from graph.errors import ExecutorError
from graph.executor import QueryExecutor
from graph.service import build_service
from graph.settings import Settings
from graph.store import KnowledgeGraph, software_version
from ontology.errors import SettingsError, WsisKgError

# the negotiation, as callers knew it here before it moved to api/http.py
_pick = pick
__all__ = [
    "FORMAT_NAMES",
    "GRAPH_TYPES",
    "SELECT_TYPES",
    "_pick",
    "_rank",
    "create_app",
    "create_app_from_settings",
    "preferences",
    "requested_accept",
]


def create_app_from_settings() -> FastAPI:
    """The application of one API process of ``wsiskg serve --workers N`` (uvicorn imports it
    by name, ``factory=True``): over the SPARQL server the settings name, with its own
    connections to it. Several processes cannot share an embedded store."""
    settings = Settings()
    if not settings.remote_store:
        raise SettingsError(
            "several API processes need a SPARQL server as the store: set WSISKG_STORE_URL"
        )
    return create_app(graph_from_settings(settings), settings)


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
    # the one query service every router answers through (api/deps.py)
    service = app.state.service = build_service(kg, settings, executor)
    metrics = app.state.metrics = Metrics()
    # order: metrics sees every request, including the 304s the ETag middleware answers
    app.state.responses = ResponseCache()

    def release() -> str | None:
        try:
            return service.current_release()
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

    @app.exception_handler(WsisKgError)
    def known_error(request: Request, exc: WsisKgError) -> JSONResponse:
        # every error of the project (ontology/errors.py): a refusal the API decided (HttpError:
        # a 404, a 401 with WWW-Authenticate ...), a bad parameter (422), a store
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

    for module in (
        recommendations,  # before routes: /study-groups/{sg}/recommendations
        routes,
        versions,
        mappings,
        search,
        uploads,
        releases,
        dashboard,
        vocabulary,
        status,
        sparql,
    ):
        app.include_router(module.router)
    return app
