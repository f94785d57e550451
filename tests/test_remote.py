"""The remote store's own parts, without a server: how bindings are written, how the settings
name a server, and what a client sees when the server is missing, silent or refuses.
(tests/test_remote_contract.py and tests/test_remote_api.py run against real servers.)"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import re
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest

from api.app import create_app
from graph import catalogue
from graph.connect import graph_from_settings, remote_graph
from graph.endpoints import Endpoints, endpoints_from_settings
from graph.executor import ExecutorError, QueryTimeout
from graph.remote import RemoteStore, RemoteTimeoutError, RemoteUnavailableError, bind_values
from graph.settings import Settings
from graph.store import KnowledgeGraph, StoreError
from ontology import PREFIXES

C5 = {ox.Variable("action_line"): ox.Literal("C5")}


# ---------------------------------------------------------------------- bindings


def test_bindings_open_the_outermost_where_group() -> None:
    text = "SELECT ?x WHERE { ?x ?p ?o . { SELECT ?o WHERE { ?o ?q ?r } } } ORDER BY ?x"
    bound = bind_values(text, {ox.Variable("x"): ox.NamedNode("https://example.org/a")})
    assert bound == (
        "SELECT ?x WHERE { VALUES (?x) { (<https://example.org/a>) }  ?x ?p ?o . "
        "{ SELECT ?o WHERE { ?o ?q ?r } } } ORDER BY ?x"
    )


def test_a_filter_of_an_optional_sees_the_value_as_with_pyoxigraph() -> None:
    """A parameter tested in an OPTIONAL's condition (the matrix's as_of): bound at the start
    of the group, the condition sees it, as pyoxigraph's substitution does; bound at the end,
    it would not (SPARQL evaluates the OPTIONAL before the block joins)."""
    store = ox.Store()
    store.update('INSERT DATA { <urn:a> <urn:p> "2010" , "2020" }')
    text = (
        "SELECT ?s ?o ?day WHERE { ?s <urn:p> ?any . "
        "OPTIONAL { ?s <urn:p> ?o FILTER(STR(?o) <= STR(?day)) } }"
    )
    term = {ox.Variable("day"): ox.Literal("2015")}
    remote_style = store.query(bind_values(text, term))
    substituted = store.query(text, substitutions=term)
    assert isinstance(remote_style, ox.QuerySolutions)
    assert isinstance(substituted, ox.QuerySolutions)
    rows = sorted(str(s) for s in substituted)
    assert sorted(str(s) for s in remote_style) == rows
    assert all("2020" not in row for row in rows)
    assert any("2010" in row for row in rows)


def test_a_bound_variable_may_be_made_by_a_bind_in_the_group() -> None:
    """BIND(... AS ?v) with ?v bound: at the end of the group the VALUES is legal, and acts as
    a filter, as pyoxigraph's substitution does."""
    store = ox.Store()
    store.update('INSERT DATA { <urn:a> <urn:p> "x" . <urn:b> <urn:p> "y" }')
    text = "SELECT ?s ?v WHERE { ?s <urn:p> ?o . BIND(STR(?o) AS ?v) }"
    term = {ox.Variable("v"): ox.Literal("y")}
    remote_style = store.query(bind_values(text, term))
    substituted = store.query(text, substitutions=term)
    assert isinstance(remote_style, ox.QuerySolutions)
    assert isinstance(substituted, ox.QuerySolutions)
    assert [str(s) for s in remote_style] == [str(s) for s in substituted]


@pytest.mark.parametrize(
    "text",
    ["SELECT * { ?s ?p ?o }", "ASK { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"],
)
def test_bindings_find_the_group_without_a_where_keyword(text: str) -> None:
    bound = bind_values(text, {ox.Variable("s"): ox.NamedNode("urn:s")})
    assert "VALUES (?s) { (<urn:s>) }" in bound
    ox.Store().query(bound)  # still a query


def test_braces_and_keywords_in_strings_and_comments_do_not_mislead_the_binding() -> None:
    text = 'SELECT ?x WHERE { ?x ?p "} WHERE {" # a } comment\n }'
    bound = bind_values(text, {ox.Variable("x"): ox.NamedNode("urn:x")})
    assert bound.startswith("SELECT ?x WHERE { VALUES (?x) { (<urn:x>) } ")
    ox.Store().query(bound)


def test_every_named_query_still_parses_with_its_bindings_written_in() -> None:
    for query in catalogue.catalogue().values():
        for bindings in query.bindings(query.example()):
            subs = {ox.Variable(k): v for k, v in bindings.items()}
            ox.Store().query(bind_values(query.text, subs), prefixes=PREFIXES)


def test_a_query_without_a_group_cannot_be_bound() -> None:
    with pytest.raises(SyntaxError):
        bind_values("SELECT ?x", {ox.Variable("x"): ox.Literal("1")})


# ---------------------------------------------------------------------- settings


def test_a_base_url_names_the_endpoints_of_each_kind_of_server() -> None:
    ox_ = Endpoints.for_server("http://db:7878/", "oxigraph")
    assert (ox_.query, ox_.update, ox_.store) == (
        "http://db:7878/query",
        "http://db:7878/update",
        "http://db:7878/store",
    )
    fuseki = Endpoints.for_server("http://db:3030/wsis", "fuseki")
    assert (fuseki.query, fuseki.update, fuseki.store) == (
        "http://db:3030/wsis/query",
        "http://db:3030/wsis/update",
        "http://db:3030/wsis/data",
    )
    virtuoso = Endpoints.for_server("http://db:8890/sparql", "virtuoso", username="dba")
    assert virtuoso.query == virtuoso.update == "http://db:8890/sparql-auth"
    assert Endpoints.for_server("http://db:8890", "virtuoso").query == "http://db:8890/sparql"
    graphdb = Endpoints.for_server("http://db:7200/repositories/wsis", "graphdb")
    assert graphdb.update == "http://db:7200/repositories/wsis/statements"
    neptune = Endpoints.for_server("https://cluster:8182/sparql", "neptune")
    assert neptune.query == neptune.update == "https://cluster:8182/sparql"


def test_the_settings_choose_the_store() -> None:
    assert endpoints_from_settings(Settings()) is None  # the embedded store
    settings = Settings(
        store_url="http://127.0.0.1:7878",
        store_user="wsis",
        store_password="not-in-logs",  # type: ignore[arg-type]
        query_timeout=7,
    )
    assert settings.remote_store
    endpoints = endpoints_from_settings(settings)
    assert endpoints is not None
    assert endpoints.query == "http://127.0.0.1:7878/query"
    assert endpoints.timeout == 7
    assert (endpoints.username, endpoints.password) == ("wsis", "not-in-logs")
    assert "not-in-logs" not in repr(endpoints)
    assert "not-in-logs" not in repr(settings)
    explicit = endpoints_from_settings(
        Settings(
            store_query_url="https://db/sparql",
            store_update_url="https://db/sparql/update",
            store_dialect="generic",
        )
    )
    assert explicit is not None
    assert (explicit.query, explicit.update, explicit.store) == (
        "https://db/sparql",
        "https://db/sparql/update",
        None,
    )
    assert explicit.info.default_graph_is_union


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"store_url": "db:7878"}, "must be an http(s) URL"),
        ({"store_query_url": "http://db/q"}, "go together"),
        ({"store_url": "http://db", "store_password": "x"}, "needs WSISKG_STORE_USER"),
        ({"store_url": "http://db", "store_dialect": "stardog"}, "oxigraph"),
        ({"store_refresh_ms": -1}, "greater than or equal to 0"),
    ],
)
def test_bad_store_settings_are_refused(values: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        Settings(**values)  # type: ignore[arg-type]


def test_an_empty_url_means_the_embedded_store() -> None:
    assert not Settings(store_url="").remote_store


def test_a_store_directory_and_a_server_together_are_refused(tmp_path: object) -> None:
    from pathlib import Path

    settings = Settings(store_url="http://127.0.0.1:9")
    with pytest.raises(StoreError, match="one or the other"):
        graph_from_settings(settings, Path(str(tmp_path)))


# ---------------------------------------------------------------------- failures


@contextlib.contextmanager
def silent_server() -> Iterator[str]:
    """A socket that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            with contextlib.suppress(OSError):
                held.append(listener.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()


def _closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def test_a_server_that_cannot_be_reached_is_unavailable_not_a_bad_query() -> None:
    kg = remote_graph(Endpoints.oxigraph(_closed_port()))
    with pytest.raises(RemoteUnavailableError, match="cannot be reached") as caught:
        kg.current_release()
    assert isinstance(caught.value, ExecutorError)  # the API answers 503
    assert isinstance(caught.value, OSError)  # as pyoxigraph's I/O errors are
    with pytest.raises(StoreError, match="loading ontology failed"):
        kg.load_ontology(force=True)  # a load: a StoreError, as on the embedded store


def test_a_silent_server_is_a_timeout_at_the_query_deadline() -> None:
    with silent_server() as base:
        kg = remote_graph(Endpoints.oxigraph(base).with_timeout(0.5))
        started = time.monotonic()
        with pytest.raises(RemoteTimeoutError) as caught:
            catalogue.run(kg, "sdgs")
        assert time.monotonic() - started < 3
        assert isinstance(caught.value, QueryTimeout)
        assert caught.value.deadline == 0.5


def test_the_api_answers_503_when_its_server_does_not_answer() -> None:
    async def ask(base: str, paths: list[str]) -> list[httpx.Response]:
        kg = remote_graph(Endpoints.oxigraph(base).with_timeout(0.5))
        app = create_app(kg, Settings(store_url=base))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
            return [await client.get(path) for path in paths]

    paths = ["/action-lines/C5/supporting-work", "/health", "/graphs", "/sparql?query=ASK%7B%7D"]
    with silent_server() as base:
        responses = asyncio.run(ask(base, paths))
    for path, response in zip(paths, responses, strict=True):
        assert response.status_code == 503, (path, response.text)
        assert "did not answer in time" in response.json()["error"]
        assert response.headers["retry-after"] == "1"


def test_a_syntax_error_from_the_server_is_the_query_s_fault() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, text="error at 1:6: expected [_]")

    store = RemoteStore(
        Endpoints.oxigraph("http://db"), httpx.Client(transport=httpx.MockTransport(handler))
    )
    kg = KnowledgeGraph(store, KnowledgeGraph.in_memory().ids, release_ttl=0)
    with pytest.raises(StoreError, match=r"SPARQL syntax error: .*expected"):
        kg.query("SELEC ?x")


def test_credentials_are_sent_as_basic_auth_and_a_refusal_names_the_settings() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization", ""))
        return httpx.Response(401, text="no")

    endpoints = Endpoints.for_server("http://db", "oxigraph", username="wsis", password="s3cret")
    store = RemoteStore(endpoints)
    store._client = httpx.Client(transport=httpx.MockTransport(handler), auth=store._client.auth)
    with pytest.raises(RemoteUnavailableError, match="WSISKG_STORE_USER / WSISKG_STORE_PASSWORD"):
        store.query("ASK {}")
    assert seen == ["Basic " + base64.b64encode(b"wsis:s3cret").decode()]


def test_a_remote_store_cannot_be_checkpointed_or_backed_up_locally() -> None:
    kg = remote_graph(Endpoints.oxigraph(_closed_port()))
    assert kg.shared
    assert kg.location is None
    with pytest.raises(OSError, match="backed up by its server"):
        kg.store.backup("/tmp/nowhere")
    with pytest.raises(StoreError, match="cannot be checkpointed"):
        kg.checkpoint(__import__("pathlib").Path("/tmp/nowhere"))


RDF_XML_WITH_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [ <!ENTITY secret SYSTEM "file:///etc/hostname"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/s"><ex:p>&secret;</ex:p></rdf:Description>
</rdf:RDF>"""


def test_an_answer_in_a_format_not_asked_for_is_refused_unparsed() -> None:
    """A server (or whatever answers at its address) that sends RDF/XML to a CONSTRUCT: it is
    not parsed (an XML parser is what XXE attacks; loaders/safety.py guards only our loads)."""
    import http.server

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.send_header("Content-Type", "application/rdf+xml")
            self.send_header("Content-Length", str(len(RDF_XML_WITH_ENTITY)))
            self.end_headers()
            self.wfile.write(RDF_XML_WITH_ENTITY)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        kg = remote_graph(Endpoints.oxigraph(f"http://127.0.0.1:{server.server_port}"))
        with pytest.raises(RemoteUnavailableError, match="not one of the formats asked for"):
            kg.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def small_builtin() -> ox.Store:
    """The built-in data but the Recommendations, as a bare pyoxigraph store."""
    from tests.conftest import load_builtin_but_recommendations

    return load_builtin_but_recommendations(KnowledgeGraph.in_memory()).store


def _cases(query: catalogue.NamedQuery) -> list[dict[str, str]]:
    """The query's example values, and each of them with every choice of an enum."""
    example = dict(query.example())
    cases = [example]
    for param in query.params:
        cases.extend({**example, param.name: choice} for choice in param.choices)
    return cases


@pytest.mark.parametrize("name", sorted(catalogue.catalogue()))
def test_every_named_query_answers_alike_bound_by_values_or_by_substitution(
    small_builtin: ox.Store, name: str
) -> None:
    """What a SPARQL server answers (VALUES written in) is what pyoxigraph answers (its
    substitution), on real data, for every parameter value a route may send: a parameter
    read where a VALUES block cannot reach (a MINUS, an OPTIONAL's condition) would differ."""
    query = catalogue.get(name)
    for values in _cases(query):
        for bindings in query.bindings(values):
            subs = {ox.Variable(k): v for k, v in bindings.items()}
            substituted = small_builtin.query(
                query.text, substitutions=subs, use_default_graph_as_union=True
            )
            written = small_builtin.query(
                bind_values(query.text, subs), use_default_graph_as_union=True
            )
            assert isinstance(substituted, ox.QuerySolutions)
            assert isinstance(written, ox.QuerySolutions)
            assert sorted(map(str, written)) == sorted(map(str, substituted)), (name, values)
