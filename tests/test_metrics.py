"""Prometheus metrics: request counts per route template, latency histograms, gauges."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI

from api.metrics import Metrics, MetricsMiddleware


def _run(app: FastAPI, *paths: str) -> list[int]:
    async def go() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return [(await client.get(p)).status_code for p in paths]

    return asyncio.run(go())


def test_requests_are_counted_per_route_template_and_timed() -> None:
    metrics = Metrics()
    app = FastAPI()
    app.add_middleware(MetricsMiddleware, metrics=metrics)

    @app.get("/action-lines/{line}")
    def line(line: str) -> dict[str, str]:
        return {"id": line}

    assert _run(app, "/action-lines/C5", "/action-lines/C7", "/nowhere") == [200, 200, 404]
    metrics.observe_query("sparql", 0.003)
    text = metrics.render({"wsiskg_store_quads": ("Quads in the store.", 383860)})
    assert 'wsiskg_requests_total{method="GET",route="/action-lines/{line}",status="200"} 2' in text
    assert 'wsiskg_requests_total{method="GET",route="(unmatched)",status="404"} 1' in text
    assert (
        'wsiskg_request_duration_seconds_count{method="GET",route="/action-lines/{line}"} 2' in text
    )
    assert 'wsiskg_query_duration_seconds_bucket{kind="sparql",le="0.005"} 1' in text
    assert 'wsiskg_query_duration_seconds_bucket{kind="sparql",le="+Inf"} 1' in text
    assert "# TYPE wsiskg_store_quads gauge\nwsiskg_store_quads 383860" in text
    # every sample line is "name{labels} value" or "name value"
    for sample in (ln for ln in text.splitlines() if not ln.startswith("#")):
        name_and_labels, value = sample.rsplit(" ", 1)
        float(value)
        assert name_and_labels.startswith("wsiskg_")
