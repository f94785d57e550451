"""Each router is importable and mountable alone: a bare FastAPI() with a query service in
``app.state.service`` (api/deps.py) answers over HTTP, with no create_app around it."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI

from api import dashboard, routes, search, sparql, status, uploads, versions, vocabulary
from graph.service import QueryService
from graph.store import KnowledgeGraph


class Client:
    """HTTP requests to an application in this process (httpx over ASGI)."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                return await client.request(method, path, **kwargs)

        return asyncio.run(go())

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)


def _client(router: APIRouter, kg: KnowledgeGraph) -> Client:
    app = FastAPI()
    app.state.service = QueryService(kg)  # not started: no hook on the shared graph
    app.include_router(router)
    return Client(app)


def test_sparql_alone(builtin_kg: KnowledgeGraph) -> None:
    client = _client(sparql.router, builtin_kg)
    answer = client.get(
        "/sparql", params={"query": "SELECT ?code { ?l skos:notation ?code } LIMIT 3"}
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/sparql-results+json")
    assert len(json.loads(answer.content)["results"]["bindings"]) == 3
    posted = client.post(
        "/sparql", content="ASK { ?s ?p ?o }", headers={"Content-Type": "application/sparql-query"}
    )
    assert posted.status_code == 200
    assert json.loads(posted.content)["boolean"] is True
    description = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert description.status_code == 200
    assert "sd:Service" in description.text


def test_rest_alone(builtin_kg: KnowledgeGraph) -> None:
    client = _client(routes.router, builtin_kg)
    lines = client.get("/action-lines")
    assert lines.status_code == 200
    assert {"C1", "C5", "C11"} <= {line["id"] for line in lines.json()}
    assert client.get("/action-lines/C5").json()["id"] == "C5"
    csv = client.get("/sdgs", params={"format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv")


def test_versions_alone(builtin_kg: KnowledgeGraph) -> None:
    client = _client(versions.router, builtin_kg)
    draft = "2024-new-delhi/proposed-by/000_104f64d2c729d048"
    answer = client.get("/resolutions/WTSA/75/changes", params={"from": "2022-geneva", "to": draft})
    assert answer.status_code == 200
    assert answer.json()["counts"]["moved"] == 3


def test_search_alone(builtin_kg: KnowledgeGraph) -> None:
    client = _client(search.router, builtin_kg)  # the first search attaches the index
    answer = client.get("/search", params={"q": "cybersecurity", "limit": 2})
    assert answer.status_code == 200
    assert answer.json()["total"] > 0


def test_dashboard_alone(builtin_kg: KnowledgeGraph) -> None:
    client = _client(dashboard.router, builtin_kg)
    page = client.get("/dashboard/action-lines")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Content-Security-Policy" in page.headers
    missing = client.get("/dashboard/action-lines/C7.e-nothing")
    assert missing.status_code == 404  # an HttpError, rendered as a page by the router itself
    assert missing.headers["content-type"].startswith("text/html")


def test_status_and_vocabulary_alone(builtin_kg: KnowledgeGraph) -> None:
    client = _client(status.router, builtin_kg)
    health = client.get("/health").json()
    assert health["status"] == "ok"
    assert health["quads"] == len(builtin_kg)
    assert builtin_kg.ontology_graph.value in client.get("/graphs").json()["graphs"]
    assert "wsiskg_store_quads" in client.get("/metrics").text
    assert _client(vocabulary.router, builtin_kg).get("/queries").status_code == 200


def test_uploads_alone_refuse_without_a_token(kg: KnowledgeGraph) -> None:
    app = FastAPI()
    app.state.service = QueryService(kg)  # settings without a write token: read-only
    app.include_router(uploads.router)
    with pytest.raises(Exception, match="read-only"):
        # no error handlers on a bare app: the HttpError itself reaches the client
        Client(app).post("/documents", files={"file": ("a.txt", b"x")})
