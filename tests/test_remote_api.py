"""The API on a real Oxigraph server (`oxigraph serve`): `wsiskg serve` with WSISKG_STORE_URL
answers as it does on the embedded store; several API processes (`--workers 2`) over one
server all see a load made through one of them; a query past its deadline is a 503.

The API's contract runs over both back ends in tests/test_api.py (its ``server`` fixture)."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from graph.builtin import BUILTIN_SOURCES
from graph.connect import remote_graph
from graph.endpoints import Endpoints
from loaders.tables import SEEDS, data_path
from tests.conftest import ROOT, WSISKG, bound_query, run_cli
from tests.servers import oxigraph_server, running_server

HEADLINE = "/action-lines/C5/supporting-work"
TOKEN = secrets.token_urlsafe(32)
SEED = data_path(SEEDS["seed-wtsa-res75-rus"])


@pytest.fixture(scope="module")
def remote_api(remote_builtin_server: str) -> str:
    """`wsiskg serve` with WSISKG_STORE_URL over the session's Oxigraph server, which holds
    the built-in data, served as it is (tests/conftest.py), as the embedded one below."""
    return remote_builtin_server


@pytest.fixture(scope="module")
def embedded_api(loaded_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`wsiskg serve` over a copy of the same loaded store, embedded, as it is; the remote
    one's query deadline (these tests compare answers; a deadline is tested on its own)."""
    store = tmp_path_factory.mktemp("embedded-api") / "store"
    shutil.copytree(loaded_store, store)
    with running_server(store, {"WSISKG_QUERY_TIMEOUT": "30"}, args=["--no-builtin"]) as base:
        yield base


def _json(base: str, path: str, **params: str) -> object:
    response = httpx.get(f"{base}{path}", params=params, timeout=60)
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
    return response.json()


def test_the_headline_route_answers_exactly_as_on_the_embedded_store(
    remote_api: str, embedded_api: str
) -> None:
    """The issue's check: `/action-lines/C5/supporting-work` from the API on an Oxigraph
    server is the embedded store's answer, byte for byte, with every filter."""
    for params in (
        {},
        {"evidence": "stated"},
        {"evidence": "stated,extracted"},
        {"evidence": "inferred", "limit": "1000"},
        {"limit": "5", "offset": "10"},
    ):
        remote = httpx.get(f"{remote_api}{HEADLINE}", params=params, timeout=60)
        embedded = httpx.get(f"{embedded_api}{HEADLINE}", params=params, timeout=60)
        assert remote.status_code == embedded.status_code == 200
        assert remote.content == embedded.content, params
        assert remote.headers["etag"] == embedded.headers["etag"]  # the same release
    body = remote.json()
    assert body["total"] > 300


@pytest.mark.parametrize(
    "path",
    [
        "/action-lines",
        "/action-lines/C7.e-health",
        "/action-lines/C5/supporting-work?format=csv",
        "/sdgs",
        "/sdgs/9",
        "/sdgs/9/action-lines",
        "/matrix",
        "/study-groups",
        "/resolutions",
        "/resolutions/WTSA/75/clauses",
        "/documents/000_104f64d2c729d048/changes",
        "/resolutions/WTSA/75/changes?from=2022-geneva"
        "&to=2024-new-delhi/proposed-by/000_104f64d2c729d048",
        "/search?q=moderator+facilitator",
        "/graphs",
    ],
)
def test_every_route_answers_as_on_the_embedded_store(
    remote_api: str, embedded_api: str, path: str
) -> None:
    remote = httpx.get(f"{remote_api}{path}", timeout=60)
    embedded = httpx.get(f"{embedded_api}{path}", timeout=60)
    assert remote.status_code == embedded.status_code, remote.text[:300]
    if embedded.status_code == 200 and path.startswith("/search"):
        # the same hits; the index's own timings and sync time may differ
        assert [h["iri"] for h in remote.json()["hits"]] == [
            h["iri"] for h in embedded.json()["hits"]
        ]
    else:
        assert remote.content == embedded.content


def test_the_health_of_the_remote_service_names_the_data(
    remote_api: str, embedded_api: str
) -> None:
    remote, embedded = _json(remote_api, "/health"), _json(embedded_api, "/health")
    assert isinstance(remote, dict)
    assert isinstance(embedded, dict)
    assert remote["status"] == "ok"
    assert (remote["release"], remote["quads"]) == (embedded["release"], embedded["quads"])
    assert isinstance(remote["pid"], int)


def test_a_sparql_server_keeps_no_releases_to_roll_back_to(remote_api: str) -> None:
    """The remote store has no checkpoints: GET /releases says so (501), in one line."""
    listed = httpx.get(f"{remote_api}/releases", timeout=60)
    assert listed.status_code == 501
    error = listed.json()["error"]
    assert "SPARQL server" in error
    assert "keeps no checkpoints" in error
    assert "\n" not in error


def test_the_headline_query_through_sparql_gives_the_same_rows(
    remote_api: str, embedded_api: str
) -> None:
    text = bound_query("supporting-work", action_line="C5")
    answers = []
    for base in (remote_api, embedded_api):
        response = httpx.get(
            f"{base}/sparql",
            params={"query": text},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        )
        assert response.status_code == 200
        results = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
        assert isinstance(results, ox.QuerySolutions)
        answers.append(sorted(str(s) for s in results))
    assert answers[0] == answers[1]
    assert len(answers[0]) > 300


# ---------------------------------------------------------------------- the command line


def test_several_workers_over_the_embedded_store_are_refused_clearly(tmp_path: Path) -> None:
    result = run_cli("serve", "--workers", "2", store=tmp_path / "store")
    assert result.returncode == 2
    assert "--workers 2 needs a SPARQL server as the store (WSISKG_STORE_URL" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "store").exists()  # refused before anything was opened


def _cli(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("WSISKG_")},
        "WSISKG_STORE_URL": url,
        "COLUMNS": "200",
    }
    return subprocess.run(
        [*WSISKG, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def test_the_cli_runs_against_the_server(oxigraph_builtin: str) -> None:
    done = _cli("query", "--named", "sdg", "-p", "goal=9", "--format", "json", url=oxigraph_builtin)
    assert done.returncode == 0, done.stderr
    assert "9.c" in done.stdout
    graphs = _cli("graphs", url=oxigraph_builtin)
    assert graphs.returncode == 0, graphs.stderr
    assert "itut-recommendations" in graphs.stdout
    # a server that does not answer: one line, no traceback
    down = _cli("graphs", url="http://127.0.0.1:9")
    assert down.returncode == 1
    assert "cannot be reached" in down.stderr
    assert "Traceback" not in down.stderr


# ---------------------------------------------------------------------- a small server


def _load_reference_data(base: str) -> None:
    """The reference tables and the seed (not the 296k triples of the Recommendations)."""
    kg = remote_graph(Endpoints.oxigraph(base))
    try:
        kg.load_many(
            [
                kg.ontology_load(),
                *(
                    s.load(kg.ids, s.path)
                    for s in BUILTIN_SOURCES
                    if s.name != "itut-recommendations"
                ),
            ]
        )
    finally:
        kg.close()


@pytest.fixture
def small_server(tmp_path: Path) -> Iterator[str]:
    """A fresh Oxigraph server with the reference data: written to, then thrown away."""
    with oxigraph_server(tmp_path / "db") as base:
        _load_reference_data(base)
        yield base


def _pids_and_releases(base: str, *, until: set[int] | None = None) -> dict[int, set[str]]:
    """Ask /health on new connections until every process answered (or ``until`` did):
    which release each process reports."""
    seen: dict[int, set[str]] = {}
    for _ in range(400):
        health = httpx.get(f"{base}/health", timeout=30).json()  # a new connection each
        seen.setdefault(health["pid"], set()).add(health["release"])
        if (until is None and len(seen) >= 2) or (until is not None and until <= set(seen)):
            break
    return seen


def test_a_load_through_one_api_process_is_seen_by_all(small_server: str, tmp_path: Path) -> None:
    """`wsiskg serve --workers 2` over one Oxigraph server: a document uploaded through one
    process is, within WSISKG_STORE_REFRESH_MS, the data of both, in /health, in the ETags
    (the per-release caches were dropped) and in the answers."""
    env = {
        "WSISKG_STORE_URL": small_server,
        "WSISKG_WRITE_TOKEN": TOKEN,
        "WSISKG_STORE_REFRESH_MS": "300",
    }
    with running_server(tmp_path / "unused", env, args=["--workers", "2", "--no-builtin"]) as base:
        before = _pids_and_releases(base)
        assert len(before) == 2, f"only one API process answered: {before}"
        (release,) = set.union(*before.values())
        # every process caches the headline answer of the old release
        for _ in range(20):
            answer = httpx.get(f"{base}{HEADLINE}", timeout=30)
            assert answer.headers["etag"].startswith(f'"{release}-')

        upload = httpx.post(
            f"{base}/documents",
            files={"file": ("res75-remote.txt", SEED.read_bytes(), "text/plain")},
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=300,
        )
        assert upload.status_code == 201, upload.text
        new = upload.json()["release"]
        assert new != release
        time.sleep(0.3 + 0.2)  # the refresh interval, and a margin

        after = _pids_and_releases(base, until=set(before))
        assert set(after) >= set(before)
        assert all(releases == {new} for releases in after.values()), after
        for _ in range(20):
            answer = httpx.get(f"{base}{HEADLINE}", timeout=30)
            assert answer.headers["etag"].startswith(f'"{new}-')
            graphs = httpx.get(f"{base}/graphs", timeout=30).json()
            assert graphs["release"] == new
            assert any(g.endswith("document-res75-remote") for g in graphs["graphs"])
            changes = httpx.get(f"{base}/documents/res75-remote/changes", timeout=30)
            assert changes.status_code == 200


PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_a_query_past_its_deadline_gets_503_while_others_keep_answering(
    small_server: str, tmp_path: Path
) -> None:
    """On a server the deadline is the HTTP timeout: the API answers 503 and goes on; the
    server itself goes on evaluating (it is stopped with this test's server)."""
    env = {"WSISKG_STORE_URL": small_server, "WSISKG_QUERY_TIMEOUT": "2"}
    with running_server(tmp_path / "unused", env, args=["--no-builtin"]) as base:
        outcome: dict[str, object] = {}

        def slow() -> None:
            started = time.monotonic()
            response = httpx.get(f"{base}/sparql", params={"query": PATHOLOGICAL}, timeout=30)
            outcome["status"] = response.status_code
            outcome["body"] = response.json()
            outcome["retry"] = response.headers.get("retry-after")
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
        assert outcome["retry"] == "1"
        assert float(outcome["seconds"]) < 2 + 1.5  # type: ignore[arg-type]
        route = httpx.get(f"{base}/action-lines/C5", timeout=10)
        assert route.status_code == 200


@pytest.mark.slow
def test_an_update_while_the_store_server_is_down_is_503_not_a_bad_update(
    loaded_store: Path, tmp_path: Path
) -> None:
    """The client's update is not at fault when the store's server does not answer: a 503
    (retry later), as for a query, never a 400 that says the update is wrong."""
    location = tmp_path / "oxigraph"
    shutil.copytree(loaded_store, location)
    token = secrets.token_urlsafe(32)
    update = "INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> <urn:x:o> } }"
    headers = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {token}"}
    with oxigraph_server(location) as store_url:
        env = {"WSISKG_STORE_URL": store_url, "WSISKG_WRITE_TOKEN": token}
        with running_server(tmp_path / "api", env, args=["--no-builtin"]) as base:
            assert httpx.get(f"{base}/health", timeout=30).status_code == 200
            # the store's server goes away under the running API
            subprocess.run(["pkill", "-f", f"serve --location {location}"], check=False)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    httpx.get(store_url, timeout=1)
                except httpx.TransportError:
                    break
                time.sleep(0.1)
            response = httpx.post(f"{base}/sparql", content=update, headers=headers, timeout=60)
            assert response.status_code == 503, response.text
            assert "error" in response.json()
