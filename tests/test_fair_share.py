"""Fair shares under abuse (issue 18, graph/fairness.py), through a real `wsiskg serve` on
127.0.0.1 and real HTTP: one client's runaway queries get 429s while the others' lookups and
small SPARQL are answered; lookups never wait behind analytics; the queue of /sparql is
bounded in length and in time. Clients are told apart by X-Forwarded-For from 127.0.0.1, a
trusted proxy written as a shell would (no JSON)."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.servers import running_server

pytestmark = pytest.mark.processes

DEADLINE = 2.0
BUDGET, WINDOW, BURST = 2.0, 60.0, 3.0
SPARQL_QUERY = {"Content-Type": "application/sparql-query"}
# A three-way cross product of the built-in data, counted: it runs to the deadline
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SMALL = "SELECT ?l WHERE { ?a skos:notation 'C5' ; rdfs:label ?l } LIMIT 5"
LOOKUPS = ("/action-lines/C5", "/sdgs/16", "/study-groups", "/action-lines/C7")


@pytest.fixture(scope="module")
def base(loaded_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("fair") / "store"
    shutil.copytree(loaded_store, store)
    env = {
        "WSISKG_TRUSTED_PROXIES": "127.0.0.1",
        "WSISKG_QUERY_TIMEOUT": str(DEADLINE),
        # 3 workers: 1 kept for lookups, 2 for /sparql, at most 1 per client
        "WSISKG_QUERY_WORKERS": "3",
        "WSISKG_QUERY_BUDGET": str(BUDGET),
        "WSISKG_QUERY_BUDGET_WINDOW": str(WINDOW),
        "WSISKG_QUERY_BUDGET_BURST": str(BURST),
        "WSISKG_QUERY_QUEUE": "1",
        "WSISKG_QUERY_MAX_WAIT": "1",
    }
    with running_server(store, env) as url:
        yield url


def _sparql(base: str, client: str, query: str) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = httpx.post(
        f"{base}/sparql",
        content=query,
        headers={**SPARQL_QUERY, "X-Forwarded-For": client},
        timeout=30,
    )
    return response, time.monotonic() - started


def _get(base: str, client: str, path: str) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = httpx.get(f"{base}{path}", headers={"X-Forwarded-For": client}, timeout=30)
    return response, time.monotonic() - started


def test_a_runaway_client_gets_429s_while_another_is_answered(base: str) -> None:
    abuser, analyst = "198.51.100.66", "203.0.113.5"
    with ThreadPoolExecutor(1) as pool:
        runaway: list[tuple[httpx.Response, float]] = []

        def abuse() -> None:  # the same query again and again, as a runaway notebook
            for _ in range(4):
                runaway.append(_sparql(base, abuser, PATHOLOGICAL))

        done = pool.submit(abuse)
        time.sleep(0.3)
        answers = []
        while not done.done():
            for path in LOOKUPS:
                answers.append(_get(base, analyst, path))
            answers.append(_sparql(base, analyst, SMALL))
            time.sleep(0.1)
        done.result()
    # 2 s of query time each, 3 s at most at once: two ran to their deadline, then 429s
    statuses = [r.status_code for r, _ in runaway]
    assert statuses == [503, 503, 429, 429], [r.text for r, _ in runaway]
    for response, seconds in runaway[2:]:
        # refused before its query reached a worker, where it would have run to its deadline
        # (a refusal took 0.64 s once on the loaded 2-core machine of a full run)
        assert seconds < 0.75 * DEADLINE
        assert abuser in response.json()["error"]
        assert "query time" in response.json()["error"]
        # 1 s of debt (and the time it took to stop the workers) at 2 s per 60 s: 30 s and
        # more, at most one burst's 90 s
        assert 25 <= int(response.headers["retry-after"]) <= 60
    # meanwhile the other client: every lookup and small query answered, none waited long
    assert answers
    assert [r.text for r, _ in answers if r.status_code != 200] == []
    # (a query that waited for a worker the runaway held would wait up to its deadline; on
    # the loaded 2-core machine of a full run a small one took 1.2 s once, so the bound is
    # the deadline, not half of it)
    assert max(seconds for _, seconds in answers) < DEADLINE
    # the runaway client's lookups answered from the cache cost no query time: answered
    for path in LOOKUPS:
        assert _get(base, abuser, path)[0].status_code == 200
    assert _sparql(base, abuser, "ASK {}")[0].status_code == 429


def _gauge(base: str, name: str) -> float:
    for line in httpx.get(f"{base}/metrics", timeout=10).text.splitlines():
        if line.startswith(f"{name} "):
            return float(line.split()[1])
    raise AssertionError(f"/metrics has no {name}")


def _until(base: str, name: str, least: float) -> None:
    """Wait (at most 10 s) until the server's gauge ``name`` reaches ``least``: the step
    that follows needs the server in that state, whatever the machine's load."""
    deadline = time.monotonic() + 10
    while _gauge(base, name) < least:
        assert time.monotonic() < deadline, f"{name} did not reach {least}"
        time.sleep(0.02)


def test_lookups_never_wait_behind_analytics_and_the_queue_is_bounded(base: str) -> None:
    started = _gauge(base, "wsiskg_queries_started_analytics")
    with ThreadPoolExecutor(3) as pool:
        # two clients hold both analytical workers until the deadline
        heavy: list[Future[tuple[httpx.Response, float]]] = [
            pool.submit(_sparql, base, f"192.0.2.{i}", PATHOLOGICAL) for i in (1, 2)
        ]
        _until(base, "wsiskg_queries_started_analytics", started + 2)
        # a third waits in the queue (its one place) longer than the longest wait: 503
        waiting = pool.submit(_sparql, base, "192.0.2.3", SMALL)
        _until(base, "wsiskg_queries_waiting", 1)
        # a fourth finds the queue full: 503 at once
        full, full_seconds = _sparql(base, "192.0.2.4", SMALL)
        # lookups, new ones (not answered before: they need a worker) and cached ones
        lookups = [_get(base, "192.0.2.5", f"/action-lines/C{n}") for n in (1, 2, 3, 1, 2)]
        waited, waited_seconds = waiting.result()
        ran = [f.result()[0] for f in heavy]
    assert [r.status_code for r in ran] == [503, 503]
    assert full.status_code == 503, full.text
    # refused at once, not after the queue's 1 s wait (its reason, below, says which); on a
    # loaded machine "at once" took 0.503 s in a full run
    assert full_seconds < 1.0
    assert "waiting" in full.json()["error"]
    assert full.headers["retry-after"] == "1"
    assert waited.status_code == 503, waited.text
    assert 1.0 <= waited_seconds < DEADLINE
    assert "no query worker became free within 1 s" in waited.json()["error"]
    assert waited.headers["retry-after"] == "1"
    assert [r.status_code for r, _ in lookups] == [200] * 5
    assert max(seconds for _, seconds in lookups) < DEADLINE / 2, lookups
    metrics = httpx.get(f"{base}/metrics").text
    for name, least in (
        ("wsiskg_queries_refused_queue_full", 1),
        ("wsiskg_queries_refused_waited_too_long", 1),
        ("wsiskg_queries_refused_over_budget", 2),  # the runaway client's, above
        ("wsiskg_queries_started_lookup", 1),
    ):
        found = re.search(rf"^{name} (\S+)$", metrics, re.MULTILINE)
        assert found, name
        assert float(found.group(1)) >= least, name
