"""``/health``, ``/metrics`` and ``/graphs``: how the service is, for people and monitors.

A module-level router over the query service (api/deps.py); the counts are the service's,
once per release (a scan of the store).
"""

from __future__ import annotations

import os

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse

from api import models
from api.caching import ResponseCache
from api.deps import AppMetrics, Service
from api.metrics import Metrics

router = APIRouter()


@router.get("/health", summary="Liveness and the current release", response_model=models.Health)
def health(service: Service) -> models.Health:
    # pid: which API process answered (several serve one SPARQL server: `--workers N`)
    return models.Health(
        status="ok", release=service.current_release(), quads=service.quads(), pid=os.getpid()
    )


@router.get("/metrics", summary="Prometheus metrics", response_class=PlainTextResponse)
def metrics_text(service: Service, metrics: AppMetrics, request: Request) -> PlainTextResponse:
    gauges = {"wsiskg_store_quads": ("Quads in the store.", float(service.quads()))}
    responses: ResponseCache | None = getattr(request.app.state, "responses", None)
    if responses is not None:
        gauges |= {
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
    answers = service.answers  # graph/cache.py: the named queries' answers per release
    gauges |= {
        "wsiskg_answer_cache_hits": (
            "Named-query answers taken from the per-release answer cache.",
            float(answers.hits),
        ),
        "wsiskg_answer_cache_misses": (
            "Named-query answers computed on request (a write's release is published with"
            " the answers asked most recently computed on it: those are not counted).",
            float(answers.misses),
        ),
    }
    gate, budget = service.gate, service.budget  # graph/fairness.py
    gauges |= {
        "wsiskg_queries_started_lookup": (
            "Named queries (REST, dashboard) given a query worker.",
            float(gate.stats.granted["lookup"]),
        ),
        "wsiskg_queries_started_analytics": (
            "SPARQL queries (/sparql, the dashboard's SPARQL page) given a query worker.",
            float(gate.stats.granted["analytics"]),
        ),
        "wsiskg_queries_waiting": (
            "SPARQL queries waiting for a query worker now.",
            float(gate.waiting("analytics")),
        ),
        "wsiskg_queries_refused_queue_full": (
            "SPARQL queries refused (503) because the queue was full.",
            float(gate.stats.queue_full),
        ),
        "wsiskg_queries_refused_waited_too_long": (
            "Queries refused (503) after waiting WSISKG_QUERY_MAX_WAIT for a worker.",
            float(gate.stats.waited_too_long),
        ),
        "wsiskg_queries_refused_over_budget": (
            "Queries refused (429) because their client had used its query time.",
            float(budget.refused),
        ),
    }
    text = (metrics or Metrics()).render(gauges)
    return PlainTextResponse(text, media_type="text/plain; version=0.0.4")


@router.get("/graphs", summary="The named graphs and their sizes", response_model=models.Graphs)
def graphs(service: Service) -> models.Graphs:
    return models.Graphs(release=service.current_release(), graphs=service.graph_sizes())
