"""Limits of a request and of a client (api/limits.py, /sparql in api/app.py and
graph/executor.py), against one real `wsiskg serve` with small limits over a copy of the
loaded store: body size (413), URL size (414), query length (413), answer rows (422, never a
truncated 200), requests in progress per client (429 with Retry-After)."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pyoxigraph as ox
import pytest

from api.limits import ClientSlots, client_key
from graph.executor import TooManyRowsError, cap_rows
from graph.settings import Settings
from tests.servers import running_server

MAX_BODY = 65536
MAX_UPLOAD = 131072
MAX_QUERY = 2000
MAX_ROWS = 50
PER_CLIENT = 2
DEADLINE = 3.0
SPARQL_QUERY = {"Content-Type": "application/sparql-query"}
# A query that never ends (a cross product of the store): it holds its worker until the
# deadline, so its client has a request in progress for DEADLINE seconds.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def module_store(loaded_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("limits") / "store"
    shutil.copytree(loaded_store, target)
    return target


@pytest.fixture(scope="module")
def base(module_store: Path) -> Iterator[str]:
    env = {
        "WSISKG_MAX_BODY_BYTES": str(MAX_BODY),
        "WSISKG_MAX_UPLOAD_BYTES": str(MAX_UPLOAD),
        "WSISKG_MAX_QUERY_CHARS": str(MAX_QUERY),
        "WSISKG_MAX_RESULT_ROWS": str(MAX_ROWS),
        "WSISKG_MAX_CONCURRENT_PER_CLIENT": str(PER_CLIENT),
        # the tests are all from 127.0.0.1: as a trusted proxy it may name other clients
        "WSISKG_TRUSTED_PROXIES": '["127.0.0.1"]',
        "WSISKG_QUERY_WORKERS": "3",
        "WSISKG_QUERY_TIMEOUT": str(DEADLINE),
    }
    with running_server(module_store, env) as url:
        yield url


def _error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    message: str = response.json()["error"]
    assert message
    return message


def _healthy(base: str) -> None:
    assert httpx.get(f"{base}/health", timeout=10).status_code == 200
    ask = httpx.post(f"{base}/sparql", content="ASK {}", headers=SPARQL_QUERY, timeout=10)
    assert ask.status_code == 200, ask.text


# ---------------------------------------------------------------------- body and URL size


def test_the_defaults_are_safe() -> None:
    settings = Settings()
    assert settings.max_body_bytes == 1024 * 1024
    assert settings.max_query_chars == 100_000
    assert settings.max_result_rows == 100_000
    assert settings.max_concurrent_per_client == 4
    assert settings.trusted_proxies == []


@pytest.mark.parametrize("size", [MAX_BODY + 1, 4 * 1024 * 1024])
def test_a_body_over_the_limit_is_413_json(base: str, size: int) -> None:
    response = httpx.post(f"{base}/sparql", content=b"#" * size, headers=SPARQL_QUERY, timeout=30)
    assert str(MAX_BODY) in _error(response, 413)
    _healthy(base)


def test_a_body_without_a_length_is_counted_as_it_arrives(base: str) -> None:
    sent = 0

    def chunks() -> Iterator[bytes]:
        nonlocal sent
        for _ in range(400):  # 4 MB, if it were all read
            sent += 10_000
            yield b"#" * 10_000

    response = httpx.post(f"{base}/sparql", content=chunks(), headers=SPARQL_QUERY, timeout=30)
    assert str(MAX_BODY) in _error(response, 413)
    _healthy(base)


def test_a_body_at_the_limit_is_read(base: str) -> None:
    body = b"ASK {}\n" + b"#" * (MAX_BODY - 7 - 1) + b"\n"
    assert len(body) == MAX_BODY
    # read in full: the query it holds is then refused for its length, not for the body
    response = httpx.post(f"{base}/sparql", content=body, headers=SPARQL_QUERY, timeout=30)
    assert str(MAX_QUERY) in _error(response, 413)


def test_the_upload_route_has_its_own_limit(base: str) -> None:
    # over the body limit but under the upload limit: read, and refused for what it is (no
    # write token is configured), not for its size
    files = {"file": ("res.txt", b"a" * (MAX_BODY + 10_000), "text/plain")}
    response = httpx.post(f"{base}/documents", files=files, timeout=30)
    assert "read-only" in _error(response, 403)
    # over the upload limit: refused before it is parsed
    files = {"file": ("res.txt", b"a" * (MAX_UPLOAD + 100_000), "text/plain")}
    response = httpx.post(f"{base}/documents", files=files, timeout=30)
    _error(response, 413)


def test_an_over_long_url_is_414_json(base: str) -> None:
    # httpx will not build a URL this long: a raw request
    address = urlsplit(base)
    target = "/sparql?query=" + "%23" * (MAX_BODY // 3 + 10)
    request = f"GET {target} HTTP/1.1\r\nHost: {address.netloc}\r\nConnection: close\r\n\r\n"
    with socket.create_connection((address.hostname, address.port), timeout=10) as conn:
        conn.sendall(request.encode())
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 414"), head
    assert "POST" in json.loads(body)["error"]


# ---------------------------------------------------------------------- query length


def test_a_query_over_the_length_limit_is_413_json_by_every_route(base: str) -> None:
    query = "# " + "x" * MAX_QUERY + "\nASK {}"
    answers = [
        httpx.get(f"{base}/sparql", params={"query": query}, timeout=10),
        httpx.post(f"{base}/sparql", data={"query": query}, timeout=10),
        httpx.post(f"{base}/sparql", content=query, headers=SPARQL_QUERY, timeout=10),
    ]
    for response in answers:
        message = _error(response, 413)
        assert str(MAX_QUERY) in message
        assert str(len(query)) in message
    ok = httpx.post(f"{base}/sparql", content="ASK {}", headers=SPARQL_QUERY, timeout=10)
    assert ok.status_code == 200


# ---------------------------------------------------------------------- answer rows


@pytest.mark.parametrize(
    "accept",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ],
)
def test_an_answer_over_the_row_limit_is_422_never_a_truncated_200(base: str, accept: str) -> None:
    query = "SELECT ?s WHERE { ?s a ?type }"
    response = httpx.post(
        f"{base}/sparql", content=query, headers={**SPARQL_QUERY, "Accept": accept}, timeout=30
    )
    message = _error(response, 422)
    assert str(MAX_ROWS) in message
    assert "LIMIT" in message
    assert response.json()["max_result_rows"] == MAX_ROWS
    # with a LIMIT the same query is answered, in full
    limited = httpx.post(
        f"{base}/sparql",
        content=f"{query} LIMIT {MAX_ROWS}",
        headers={**SPARQL_QUERY, "Accept": accept},
        timeout=30,
    )
    assert limited.status_code == 200, limited.text
    if accept == "text/csv":  # lossy: not parsed back, but one IRI per line
        assert len(limited.text.splitlines()) == 1 + MAX_ROWS
        return
    results = ox.parse_query_results(limited.content, format=_results_format(accept))
    assert isinstance(results, ox.QuerySolutions)
    assert len(list(results)) == MAX_ROWS


def _results_format(accept: str) -> ox.QueryResultsFormat:
    found = ox.QueryResultsFormat.from_media_type(accept)
    assert found is not None
    return found


def test_a_graph_over_the_row_limit_is_422_and_an_ask_is_one_row(base: str) -> None:
    construct = "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t }"
    response = httpx.post(f"{base}/sparql", content=construct, headers=SPARQL_QUERY, timeout=30)
    assert "LIMIT" in _error(response, 422)
    response = httpx.post(
        f"{base}/sparql", content=f"{construct} LIMIT {MAX_ROWS}", headers=SPARQL_QUERY, timeout=30
    )
    assert response.status_code == 200
    assert len(list(ox.parse(response.content, ox.RdfFormat.TURTLE))) == MAX_ROWS
    ask = httpx.post(f"{base}/sparql", content="ASK { ?s ?p ?o }", headers=SPARQL_QUERY)
    assert ask.json() == {"head": {}, "boolean": True}


def test_named_routes_page_and_are_not_cut_by_the_row_limit(base: str) -> None:
    # a REST route pages its answer itself (limit/offset); its query is not the client's
    response = httpx.get(  # a cold named query: seconds on a busy machine (5 s: timed out)
        f"{base}/action-lines/C5/supporting-work", params={"limit": 100}, timeout=60
    )
    assert response.status_code == 200, response.text
    assert len(response.json()["items"]) > MAX_ROWS


def test_the_row_cap_keeps_every_term_exactly() -> None:
    store = ox.Store()
    odd = ["tab\there", "line\nbreak\r", "\U0001f600 e\u0301", "\u2028\x85\x01", 'q\\"', "\u202e"]
    subject, predicate = ox.NamedNode("urn:s"), ox.NamedNode("urn:p")
    store.extend(ox.Quad(subject, predicate, ox.Literal(text)) for text in odd)
    store.update(
        'INSERT DATA { <urn:s> <urn:p> "x"@ar--rtl , "y"@en , 1 , _:b . '
        "<urn:s> <urn:q> <<( <urn:s> <urn:p> <urn:o> )>> }"
    )
    for query in (
        "SELECT * { ?s ?p ?o OPTIONAL { ?o ?x ?y } }",
        "SELECT * {}",
        "SELECT * { VALUES () { () () } }",
    ):
        for fmt in (
            ox.QueryResultsFormat.JSON,
            ox.QueryResultsFormat.XML,
            ox.QueryResultsFormat.CSV,
            ox.QueryResultsFormat.TSV,
        ):
            direct = store.query(query)
            capped = cap_rows(store.query(query), 11)
            assert isinstance(direct, ox.QuerySolutions)
            assert isinstance(capped, ox.QuerySolutions)
            assert capped.serialize(format=fmt) == direct.serialize(format=fmt)
    with pytest.raises(TooManyRowsError):
        cap_rows(store.query("SELECT * { ?s ?p ?o }"), 10)
    with pytest.raises(TooManyRowsError):
        cap_rows(store.query("SELECT * { VALUES () { () () } }"), 1)
    construct = "CONSTRUCT WHERE { ?s ?p ?o }"
    triples = cap_rows(store.query(construct), 11)
    direct_graph = store.query(construct)
    assert isinstance(direct_graph, ox.QueryTriples)
    assert ox.serialize(triples, format=ox.RdfFormat.TURTLE) == ox.serialize(
        direct_graph, format=ox.RdfFormat.TURTLE
    )
    with pytest.raises(TooManyRowsError):
        cap_rows(store.query(construct), 10)


# ---------------------------------------------------------------------- requests per client


def test_a_client_over_its_share_gets_429_while_another_is_answered(base: str) -> None:
    def endless(client: str) -> tuple[httpx.Response, float]:
        started = time.monotonic()
        response = httpx.post(
            f"{base}/sparql",
            content=ENDLESS,
            headers={**SPARQL_QUERY, "X-Forwarded-For": client},
            timeout=30,
        )
        return response, time.monotonic() - started

    greedy, other = "198.51.100.7", "203.0.113.9"
    with ThreadPoolExecutor(5) as pool:
        futures = [pool.submit(endless, greedy) for _ in range(5)]
        time.sleep(0.5)
        # meanwhile: another client is answered at once, and the greedy one may still ask
        # what is not counted (health)
        started = time.monotonic()
        answer = httpx.post(
            f"{base}/sparql",
            content="SELECT ?l WHERE { ?a skos:notation 'C5' ; rdfs:label ?l }",
            headers={**SPARQL_QUERY, "X-Forwarded-For": other},
            timeout=30,
        )
        elapsed = time.monotonic() - started
        health = httpx.get(f"{base}/health", headers={"X-Forwarded-For": greedy}, timeout=10)
        results = [f.result() for f in futures]
    assert answer.status_code == 200, answer.text
    assert elapsed < DEADLINE / 2
    assert health.status_code == 200
    statuses = sorted(r.status_code for r, _ in results)
    assert statuses == [429, 429, 429, 503, 503], [r.text for r, _ in results]
    for response, seconds in results:
        if response.status_code == 429:
            assert response.headers["retry-after"] == "1"
            message = _error(response, 429)
            assert greedy in message
            assert f"at most {PER_CLIENT}" in message
            assert seconds < DEADLINE / 2  # refused at once, not after waiting
        else:
            assert "deadline" in _error(response, 503)
    # the slots are given back: the same client is answered again
    again = httpx.post(
        f"{base}/sparql",
        content="ASK {}",
        headers={**SPARQL_QUERY, "X-Forwarded-For": greedy},
        timeout=30,
    )
    assert again.status_code == 200, again.text


def test_a_forwarded_header_counts_only_from_a_trusted_proxy() -> None:
    def scope(peer: str, forwarded: str | None) -> dict[str, object]:
        headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
        return {"type": "http", "client": (peer, 5555), "headers": headers}

    trusted = frozenset({"10.0.0.1", "10.0.0.2"})
    # from anyone else, X-Forwarded-For is ignored: it cannot dodge the limit
    assert client_key(scope("192.0.2.5", "203.0.113.9"), trusted) == "192.0.2.5"
    assert client_key(scope("192.0.2.5", None), frozenset()) == "192.0.2.5"
    # from a trusted proxy: the right-most address no trusted proxy added for itself
    assert client_key(scope("10.0.0.1", "203.0.113.9"), trusted) == "203.0.113.9"
    assert client_key(scope("10.0.0.1", "1.2.3.4, 203.0.113.9, 10.0.0.2"), trusted) == (
        "203.0.113.9"
    )
    assert client_key(scope("10.0.0.1", None), trusted) == "10.0.0.1"


def test_client_slots_are_counted_per_client_and_given_back() -> None:
    slots = ClientSlots(2)
    assert slots.acquire("a")
    assert slots.acquire("a")
    assert not slots.acquire("a")
    assert slots.acquire("b")
    slots.release("a")
    assert slots.acquire("a")
    for _ in range(3):
        slots.release("a")
    assert slots.active("a") == 0
    # thread-safe: as many acquisitions succeed as the limit allows, never more
    many = ClientSlots(7)
    granted: list[bool] = []
    lock = threading.Lock()

    def grab() -> None:
        ok = many.acquire("c")
        with lock:
            granted.append(ok)

    threads = [threading.Thread(target=grab) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert granted.count(True) == 7
