"""The service, as started by `wsiskg serve`: real uvicorn, real HTTP.

The API's contract (the tests that take ``server``) runs over each back end: the embedded
store (`wsiskg serve` over a copy of the store the session's first `wsiskg serve` built from
empty, tests/conftest.py) and a real Oxigraph server (`WSISKG_STORE_URL`, holding the same
built-in data; tests/test_remote_api.py has what only a server does). What only the embedded
store does (the first load, the CLI beside the service, an in-process deadline, the pages)
takes ``loaded_server``, or ``loaded_store`` for what its first start said."""

from __future__ import annotations

import csv
import io
import json
import re
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest

from tests.conftest import SERVER_DEADLINE, bound_query, run_cli

BACKENDS = ["embedded", "oxigraph-server"]


@pytest.fixture(scope="module", params=BACKENDS)
def server(request: pytest.FixtureRequest) -> tuple[str, Path]:
    """The service over each back end (the session's servers, tests/conftest.py): its base
    URL and its store (none on a server)."""
    if request.param == "embedded":
        embedded: tuple[str, Path] = request.getfixturevalue("loaded_server")
        return embedded
    return request.getfixturevalue("remote_builtin_server"), Path("/nonexistent")


def test_serve_loads_the_builtin_data_into_an_empty_store(loaded_store: Path) -> None:
    """The session's store is the one a new user's first `wsiskg serve` over an empty store
    built (tests/conftest.py): once it served, /health and /graphs said so."""
    health = json.loads((loaded_store.parent / "health.json").read_text(encoding="utf-8"))
    assert health["status"] == "ok"
    assert health["quads"] > 300_000
    assert health["release"]
    graphs = json.loads((loaded_store.parent / "graphs.json").read_text(encoding="utf-8"))
    assert graphs["graphs"]["https://w3id.org/wsis-kg/id/graph/sdg-targets"] == 2538


def test_sparql_get_returns_sparql_json(server: tuple[str, Path]) -> None:
    base, _ = server
    response = httpx.get(
        f"{base}/sparql", params={"query": "SELECT ?t WHERE { ?t skos:notation '9.c' }"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    bindings = response.json()["results"]["bindings"]
    assert bindings == [{"t": {"type": "uri", "value": "http://metadata.un.org/sdg/9.c"}}]


def test_sparql_post_form_with_csv_accept(server: tuple[str, Path]) -> None:
    base, _ = server
    response = httpx.post(
        f"{base}/sparql",
        data={
            "query": "SELECT ?code WHERE { ?a a wsis:ActionLine ; skos:notation ?code } "
            "ORDER BY ?code LIMIT 2"
        },
        headers={"Accept": "text/csv;q=0.9, application/sparql-results+xml;q=0.5"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows == [["code"], ["C1"], ["C10"]]


def test_construct_returns_turtle(server: tuple[str, Path]) -> None:
    base, _ = server
    response = httpx.get(
        f"{base}/sparql",
        params={"query": "CONSTRUCT WHERE { ?a skos:notation 'C5' }"},
        headers={"Accept": "text/turtle"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert "action-line/C5" in response.text


def test_bad_query_is_a_400_with_a_json_reason(server: tuple[str, Path]) -> None:
    base, _ = server
    response = httpx.get(f"{base}/sparql", params={"query": "SELEC ?x"})
    assert response.status_code == 400
    assert "SPARQL syntax error" in response.json()["error"]


def test_unacceptable_media_type_is_a_406(server: tuple[str, Path]) -> None:
    base, _ = server
    response = httpx.get(
        f"{base}/sparql",
        params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"},
        headers={"Accept": "image/png"},
    )
    assert response.status_code == 406


def test_the_cli_says_clearly_when_the_server_holds_the_store(
    loaded_server: tuple[str, Path],
) -> None:
    _, store = loaded_server
    # a read answers from a read-only view of the service's newest release, and says so
    result = run_cli("query", "ASK { ?s ?p ?o }", store=store)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "true"
    assert "is in use by another process" in result.stderr
    assert "read-only view of release" in result.stderr
    # a write refuses, in one line
    refused = run_cli("load", str(store / "no-such.ttl"), store=store)
    assert refused.returncode == 1
    assert "is in use by another process" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1


def test_supporting_work_route_equals_its_named_query_through_sparql(
    server: tuple[str, Path],
) -> None:
    """The headline question over real HTTP: the route's items are the rows that the same
    named query gives through /sparql (its parameter bound by a VALUES block), grouped."""
    from api.shaping import work_items
    from graph.catalogue import join_by_link
    from graph.values import Row, solution_rows

    def supporting_work_items(rows: list[Row]) -> list[dict[str, Any]]:
        # as the route answers (response_model_exclude_unset): a source without a suggestion's
        # score, method and words has none of those keys
        return [i.model_dump(mode="json", exclude_unset=True) for i in work_items(rows)]

    base, _ = server
    route = httpx.get(f"{base}/action-lines/C5/supporting-work", params={"limit": 1000}, timeout=60)
    assert route.status_code == 200
    items = route.json()["items"]
    labels = {i["label"]: i for i in items}
    assert "recognising a)" in {s["via"]["label"] for s in labels["WTSA Resolution 75"]["sources"]}
    assert labels["WTSA Resolution 52"]["evidence"] == "stated"

    text = bound_query("supporting-work", action_line="C5")
    sparql = httpx.get(
        f"{base}/sparql",
        params={"query": text},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,  # a cold named query: seconds on a busy machine
    )
    assert sparql.status_code == 200
    results = ox.parse_query_results(sparql.content, format=ox.QueryResultsFormat.JSON)
    assert isinstance(results, ox.QuerySolutions)
    _, rows = solution_rows(results)
    # the route joins each link's citation (supporting-work-citations) to its row
    cited_text = bound_query("supporting-work-citations", action_line="C5")
    cited = httpx.get(
        f"{base}/sparql",
        params={"query": cited_text},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,  # a cold named query: seconds on a busy machine
    )
    cited_results = ox.parse_query_results(cited.content, format=ox.QueryResultsFormat.JSON)
    assert isinstance(cited_results, ox.QuerySolutions)
    assert supporting_work_items(join_by_link(rows, solution_rows(cited_results)[1])) == items

    stated = httpx.get(f"{base}/action-lines/C5/supporting-work?evidence=stated", timeout=60).json()
    # the evidence as a trailing VALUES: the query BINDs ?evidence, so it cannot be bound
    # before that in the group
    text = bound_query("supporting-work", action_line="C5") + '\nVALUES ?evidence { "stated" }\n'
    sparql = httpx.get(f"{base}/sparql", params={"query": text}, timeout=60)
    results = ox.parse_query_results(sparql.content, format=ox.QueryResultsFormat.JSON)
    assert isinstance(results, ox.QuerySolutions)
    stated_rows = solution_rows(results)[1]
    assert [i["iri"] for i in supporting_work_items(stated_rows)] == [
        i["iri"] for i in stated["items"]
    ]


def test_answers_carry_the_release_etag_and_revalidate_with_304(server: tuple[str, Path]) -> None:
    base, _ = server
    url = f"{base}/action-lines/C5/supporting-work"
    first = httpx.get(url, params={"evidence": "stated"}, timeout=30)
    assert first.status_code == 200
    release = httpx.get(f"{base}/health").json()["release"]
    tag = first.headers["etag"]
    assert tag.startswith(f'"{release}-')
    again = httpx.get(url, params={"evidence": "stated"}, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    other = httpx.get(url, params={"evidence": "inferred"}, headers={"If-None-Match": tag})
    assert other.status_code == 200


def test_metrics_are_prometheus_text(server: tuple[str, Path]) -> None:
    base, _ = server
    httpx.get(f"{base}/action-lines/C5")
    httpx.get(f"{base}/sparql", params={"query": "ASK { ?s ?p ?o }"})
    response = httpx.get(f"{base}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'route="/action-lines/{id}",status="200"' in text
    assert 'wsiskg_query_duration_seconds_count{kind="sparql"}' in text
    quads = next(ln for ln in text.splitlines() if ln.startswith("wsiskg_store_quads "))
    assert float(quads.split()[1]) > 300_000


PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_a_query_past_its_deadline_gets_503_while_others_keep_answering(
    loaded_server: tuple[str, Path],
) -> None:
    base, _ = loaded_server
    outcome: dict[str, object] = {}

    def slow() -> None:
        started = time.monotonic()
        response = httpx.get(f"{base}/sparql", params={"query": PATHOLOGICAL}, timeout=30)
        outcome["status"] = response.status_code
        outcome["body"] = response.json()
        outcome["seconds"] = time.monotonic() - started

    worker = threading.Thread(target=slow)
    worker.start()
    time.sleep(0.5)
    quick = httpx.get(
        f"{base}/sparql", params={"query": "ASK { ?s skos:notation 'C5' }"}, timeout=10
    )
    assert quick.status_code == 200
    assert quick.json()["boolean"] is True
    worker.join(timeout=30)
    assert outcome["status"] == 503
    assert "deadline" in str(outcome["body"])
    assert float(outcome["seconds"]) < SERVER_DEADLINE + 1.5  # type: ignore[arg-type]
    after = httpx.get(f"{base}/sparql", params={"query": "ASK { ?s skos:notation 'C7' }"})
    assert after.status_code == 200


def test_the_openapi_pages_load_everything_from_this_server(
    loaded_server: tuple[str, Path],
) -> None:
    """/docs and /redoc work offline: every address they name is on this server, and the
    scripts and style sheet they load answer with content (no CDN, no web fonts)."""
    base, _ = loaded_server
    for page in ("/docs", "/redoc"):
        html = httpx.get(f"{base}{page}")
        assert html.status_code == 200
        absolute = re.findall(r"(?:https?:)?//[^\s\"'<>)]+", html.text)
        assert [a for a in absolute if not a.startswith(f"{base}/")] == [], page
        assets = re.findall(r"(?:src|href)=\"([^\"]+)\"", html.text)
        assert any(a.endswith(".js") for a in assets), page
        for asset in assets:
            answer = httpx.get(f"{base}{asset}" if asset.startswith("/") else asset)
            assert answer.status_code == 200, asset
            assert len(answer.content) > 1000, asset
    docs = httpx.get(f"{base}/docs").text
    assert "/docs/static/swagger-ui-bundle.js" in docs
    assert "/docs/static/swagger-ui.css" in docs
    assert "'/openapi.json'" in docs or '"/openapi.json"' in docs
    css = httpx.get(f"{base}/docs/static/swagger-ui.css")
    assert css.headers["content-type"].startswith("text/css")


def test_a_parameter_that_is_not_valid_is_a_422_with_one_error_line(
    loaded_server: tuple[str, Path],
) -> None:
    base, _ = loaded_server
    cases = {
        "/action-lines/C5/supporting-work?limit=-1": "limit: input should be greater than or "
        "equal to 1",
        "/action-lines/C5/supporting-work?offset=x": "offset: input should be a valid integer",
        "/action-lines?format=xml": "format: input should be 'json' or 'csv'",
        "/search": "q: field required",
    }
    for path, message in cases.items():
        response = httpx.get(f"{base}{path}")
        assert response.status_code == 422, path
        assert response.headers["content-type"].startswith("application/json")
        body = response.json()
        assert list(body) == ["error"], body
        assert body["error"].startswith(message), body
        assert "\n" not in body["error"]
    # an unknown path and a method a route does not take answer that shape too
    missing = httpx.get(f"{base}/no-such-route")
    assert missing.status_code == 404
    assert missing.json() == {"error": "no such path: /no-such-route (the routes: /docs)"}
    refused = httpx.delete(f"{base}/graphs")
    assert refused.status_code == 405
    assert refused.json() == {"error": "DELETE is not allowed on /graphs"}
    assert "GET" in refused.headers["allow"]
    # the OpenAPI document gives those answers that shape
    document = httpx.get(f"{base}/openapi.json").json()
    answer = document["paths"]["/action-lines/{id}/supporting-work"]["get"]["responses"]["422"]
    assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert document["components"]["schemas"]["Error"]["required"] == ["error"]
    assert "HTTPValidationError" not in json.dumps(document)
