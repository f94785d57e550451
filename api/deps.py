"""The dependencies of the routes, as ``Annotated`` types: what a route declares it needs.

Every router (api/sparql.py, api/routes.py, api/search.py, api/dashboard.py, api/uploads.py)
takes them from here, and they all read the one query service that the application holds in
``app.state.service`` (api/app.py builds it; a test may put any service there).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.metrics import Metrics
from graph.service import QueryService
from graph.settings import Settings
from graph.store import KnowledgeGraph


def get_service(request: Request) -> QueryService:
    """The application's query service."""
    service: QueryService = request.app.state.service
    return service


def get_kg(request: Request) -> KnowledgeGraph:
    """The knowledge graph of the application's query service."""
    return get_service(request).kg


def get_settings(request: Request) -> Settings:
    """The settings the application's query service was built with."""
    return get_service(request).settings


def get_metrics(request: Request) -> Metrics | None:
    """The application's metrics, if it keeps them (a router mounted alone may not)."""
    metrics: Metrics | None = getattr(request.app.state, "metrics", None)
    return metrics


Service = Annotated[QueryService, Depends(get_service)]
KG = Annotated[KnowledgeGraph, Depends(get_kg)]
AppSettings = Annotated[Settings, Depends(get_settings)]
AppMetrics = Annotated[Metrics | None, Depends(get_metrics)]
