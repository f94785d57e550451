"""ETags follow the data release: 304 while nothing was loaded, a new tag after a load."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from api.caching import ReleaseETagMiddleware, ResponseCache
from graph.store import KnowledgeGraph
from loaders.reference import load_sdg_goals, load_sdg_targets


def _app(kg: KnowledgeGraph, calls: list[str]) -> FastAPI:
    app = FastAPI()
    app.add_middleware(ReleaseETagMiddleware, release=kg.current_release)

    @app.get("/goals")
    def goals() -> dict[str, int]:
        calls.append("goals")
        return {"quads": len(kg)}

    @app.post("/goals")
    def post() -> dict[str, str]:
        return {"ok": "yes"}

    return app


def _get(app: FastAPI, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get(path, headers=headers or {})

    return asyncio.run(go())


def test_etag_304_and_a_new_tag_after_a_load(kg: KnowledgeGraph) -> None:
    kg.load(load_sdg_goals(kg.ids))
    calls: list[str] = []
    app = _app(kg, calls)
    first = _get(app, "/goals")
    assert first.status_code == 200
    tag = first.headers["etag"]
    assert tag.startswith(f'"{kg.current_release()}-')
    again = _get(app, "/goals", {"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert calls == ["goals"]  # the 304 did not run the route
    assert _get(app, "/goals", {"If-None-Match": f'W/{tag}, "other"'}).status_code == 304
    # another representation of the same resource has another tag
    assert _get(app, "/goals", {"Accept": "text/csv"}).headers["etag"] != tag
    kg.load(load_sdg_targets(kg.ids))  # a new release
    after = _get(app, "/goals", {"If-None-Match": tag})
    assert after.status_code == 200
    assert after.headers["etag"] != tag


def test_no_tag_on_errors_or_before_any_release() -> None:
    empty = KnowledgeGraph.in_memory()
    app = _app(empty, [])
    assert "etag" not in _get(app, "/goals").headers
    empty.load_ontology()
    assert _get(app, "/missing").status_code == 404
    assert "etag" not in _get(app, "/missing").headers


def _cached_app(kg: KnowledgeGraph, calls: list[str], cache: ResponseCache) -> FastAPI:
    app = FastAPI()
    app.add_middleware(ReleaseETagMiddleware, release=kg.current_release, cache=cache)

    @app.get("/goals")
    def goals(q: str = "") -> dict[str, object]:
        calls.append(q)
        return {"quads": len(kg), "q": q}

    @app.get("/big")
    def big() -> dict[str, str]:
        calls.append("big")
        return {"x": "y" * 5000}

    @app.get("/missing")
    def missing() -> JSONResponse:
        calls.append("missing")
        return JSONResponse({"error": "no"}, status_code=404)

    @app.get("/metrics")
    def metrics() -> dict[str, int]:
        calls.append("metrics")
        return {"n": len(calls)}

    return app


def test_repeat_answers_come_from_the_response_cache_until_a_load(kg: KnowledgeGraph) -> None:
    kg.load(load_sdg_goals(kg.ids))
    calls: list[str] = []
    cache = ResponseCache(max_entry=1000)
    app = _cached_app(kg, calls, cache)
    first = _get(app, "/goals?q=a")
    second = _get(app, "/goals?q=a")
    assert calls == ["a"]  # the route ran once
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]
    assert second.headers["content-type"] == "application/json"
    assert _get(app, "/goals?q=b").json()["q"] == "b"  # another request, another entry
    assert calls == ["a", "b"]
    # not cached: errors, bodies over the entry limit, process metrics, authorised requests
    for path in ("/missing", "/missing", "/big", "/big", "/metrics", "/metrics"):
        _get(app, path)
    assert calls[2:] == ["missing", "missing", "big", "big", "metrics", "metrics"]
    _get(app, "/goals?q=a", {"Authorization": "Bearer x"})
    assert calls[-1] == "a"
    # a load makes a new release: the old answers are gone
    quads = first.json()["quads"]
    kg.load(load_sdg_targets(kg.ids))
    after = _get(app, "/goals?q=a")
    assert after.json()["quads"] > quads
    assert after.headers["etag"] != first.headers["etag"]
    assert cache.hits == 1
