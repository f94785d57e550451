"""Prometheus metrics: request counts per route template, latency histograms, gauges."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI

from api.app import create_app
from api.metrics import Metrics, MetricsMiddleware
from graph.store import KnowledgeGraph


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


def test_cached_answers_and_304s_are_counted_under_their_route(kg: KnowledgeGraph) -> None:
    """A 304 and an answer from the response cache never reach routing (api/caching.py):
    they are still counted under their route template, not as "(unmatched)"."""
    app = create_app(kg)

    async def go() -> str:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            first = await client.get("/queries/matrix")
            again = await client.get("/queries/matrix")  # from the response cache
            assert again.status_code == 200
            assert again.content == first.content
            revalidated = await client.get(
                "/queries/matrix", headers={"If-None-Match": first.headers["etag"]}
            )
            assert revalidated.status_code == 304
            await client.get("/graphs")
            await client.get("/graphs")
            assert (await client.get("/nowhere")).status_code == 404
            return (await client.get("/metrics")).text

    text = asyncio.run(go())
    assert app.state.responses.hits == 2
    assert 'wsiskg_requests_total{method="GET",route="/queries/{name}",status="200"} 2' in text
    assert 'wsiskg_requests_total{method="GET",route="/queries/{name}",status="304"} 1' in text
    assert 'wsiskg_requests_total{method="GET",route="/graphs",status="200"} 2' in text
    unmatched = [ln for ln in text.splitlines() if 'route="(unmatched)"' in ln]
    assert unmatched == [
        'wsiskg_requests_total{method="GET",route="(unmatched)",status="404"} 1',
        *[ln for ln in unmatched if ln.startswith("wsiskg_request_duration_seconds")],
    ]
