"""The /sparql endpoint as SPARQL 1.1 Protocol clients use it: real server, real clients."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from SPARQLWrapper import JSON, XML, SPARQLWrapper

from graph.store import KnowledgeGraph

ASK_C5 = "ASK { ?s <http://www.w3.org/2004/02/skos/core#notation> 'C5' }"
SELECT_C5 = (
    "SELECT ?s WHERE { ?s <http://www.w3.org/2004/02/skos/core#notation> 'C5' ; "
    "a <https://w3id.org/wsis-kg/ontology#ActionLine> }"
)


@pytest.fixture(scope="module")
def server(loaded_server: tuple[str, Path]) -> tuple[str, Path]:
    """`wsiskg serve` over a copy of the session's loaded store (the built-in data; the
    session's, tests/conftest.py)."""
    return loaded_server


def test_post_direct_sparql_query(server: tuple[str, Path]) -> None:
    base, _ = server
    response = httpx.post(
        f"{base}/sparql",
        content=ASK_C5.encode(),
        headers={"Content-Type": "application/sparql-query; charset=UTF-8"},
    )
    assert response.status_code == 200
    assert response.json() == {"head": {}, "boolean": True}


def test_service_description_says_the_default_graph_is_the_union(
    server: tuple[str, Path],
) -> None:
    base, _ = server
    response = httpx.get(f"{base}/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, sd.feature, sd.UnionDefaultGraph) in graph
    assert (None, sd.endpoint, rdflib.URIRef(f"{base}/sparql")) in graph


def test_protocol_errors_are_4xx_with_a_reason(server: tuple[str, Path]) -> None:
    base, _ = server
    cases = [
        httpx.get(f"{base}/sparql", params=[("query", ASK_C5), ("query", ASK_C5)]),
        httpx.get(f"{base}/sparql", params={"update": "CLEAR ALL"}),
        httpx.post(f"{base}/sparql", content=ASK_C5, headers={"Content-Type": "text/plain"}),
        httpx.post(
            f"{base}/sparql",
            content=ASK_C5.encode("utf-16"),
            headers={"Content-Type": "application/sparql-query; charset=UTF-16"},
        ),
        httpx.post(f"{base}/sparql", data={"update": "CLEAR ALL"}),
        httpx.post(
            f"{base}/sparql",
            content="CLEAR ALL",
            headers={"Content-Type": "application/sparql-update"},
        ),
        httpx.put(f"{base}/sparql", data={"query": ASK_C5}),
    ]
    for response in cases:
        assert 400 <= response.status_code < 500, response.request
    for response in cases[:-1]:
        assert response.json()["error"]
    # and nothing was cleared
    assert httpx.get(f"{base}/sparql", params={"query": ASK_C5}).json()["boolean"] is True


def test_sparqlwrapper_get_and_post_json_and_xml(server: tuple[str, Path]) -> None:
    base, _ = server
    for method in ("GET", "POST"):
        for fmt in (JSON, XML):
            client = SPARQLWrapper(f"{base}/sparql")
            client.setMethod(method)
            client.setQuery(SELECT_C5)
            client.setReturnFormat(fmt)
            result = client.query().convert()
            if fmt == JSON:
                values = [b["s"]["value"] for b in result["results"]["bindings"]]  # type: ignore[index]
            else:
                values = [n.firstChild.data for n in result.getElementsByTagName("uri")]  # type: ignore[union-attr]
            assert values == ["https://w3id.org/wsis-kg/id/action-line/C5"], (method, fmt)


def test_rdflib_sparqlstore(server: tuple[str, Path]) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    base, _ = server
    store = SPARQLStore(f"{base}/sparql", returnFormat="json")
    rows = list(store.query(SELECT_C5))
    assert [str(r[0]) for r in rows] == ["https://w3id.org/wsis-kg/id/action-line/C5"]


def test_curl_data_urlencode(server: tuple[str, Path]) -> None:
    base, _ = server
    out = subprocess.run(
        [
            "curl",
            "-sf",
            f"{base}/sparql",
            "--data-urlencode",
            f"query={SELECT_C5}",
            "-H",
            "Accept: text/csv",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    assert out.splitlines() == ["s", "https://w3id.org/wsis-kg/id/action-line/C5"]


def test_format_parameter_chooses_and_unknown_values_are_ignored(
    server: tuple[str, Path],
) -> None:
    base, _ = server
    for fmt, media in [
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("xml", "application/sparql-results+xml"),
        ("json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
    ]:
        response = httpx.get(
            f"{base}/sparql", params={"query": SELECT_C5, "format": fmt}, timeout=30
        )
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(media)
    # SPARQLWrapper-style extras with values we do not know are ignored: Accept decides
    response = httpx.get(
        f"{base}/sparql",
        params={"query": SELECT_C5, "output": "weird", "results": "x"},
        headers={"Accept": "text/csv"},
        timeout=30,
    )
    assert response.headers["content-type"].startswith("text/csv")
    construct = "CONSTRUCT WHERE { ?s skos:notation 'C5' }"
    for fmt, media in [("nquads", "application/n-quads"), ("turtle", "text/turtle")]:
        response = httpx.post(
            f"{base}/sparql", data={"query": construct, "format": fmt}, timeout=30
        )
        assert response.headers["content-type"].startswith(media)
        if fmt == "nquads":
            lines = [ln for ln in response.text.splitlines() if ln.strip()]
            assert lines
            assert all(ln.endswith(" .") for ln in lines)
            # triples in the default graph: N-Quads lines that are N-Triples
            assert len(rdflib.Graph().parse(data=response.text, format="nt")) == len(lines)
        else:
            assert len(rdflib.Graph().parse(data=response.text, format="turtle")) >= 1


# ---------------------------------------------------------------------- updates, no token


def test_without_a_write_token_every_update_is_403(server: tuple[str, Path]) -> None:
    base, _ = server
    release = httpx.get(f"{base}/health").json()["release"]
    bearer = {"Authorization": "Bearer " + "x" * 40}
    cases = [
        httpx.post(f"{base}/sparql", data={"update": "CLEAR ALL"}),
        httpx.post(f"{base}/sparql", data={"update": "CLEAR ALL"}, headers=bearer),
        httpx.post(
            f"{base}/sparql",
            content="CLEAR ALL",
            headers={**bearer, "Content-Type": "application/sparql-update"},
        ),
        # the token is checked first: a malformed update, or one in UTF-16, is 403 too
        httpx.post(
            f"{base}/sparql",
            content="CLEAR XYZ".encode("utf-16"),
            headers={"Content-Type": "application/sparql-update; charset=UTF-16"},
        ),
    ]
    for response in cases:
        assert response.status_code == 403, response.text
        assert "WSISKG_WRITE_TOKEN" in response.json()["error"]
    # a protocol error stays a protocol error
    assert httpx.get(f"{base}/sparql", params={"update": "CLEAR ALL"}).status_code == 400
    assert httpx.get(f"{base}/health").json()["release"] == release
    description = httpx.get(f"{base}/sparql", headers={"Accept": "text/turtle"}).text
    graph = rdflib.Graph().parse(data=description, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, sd.supportedLanguage, sd.SPARQL11Query) in graph
    assert (None, sd.supportedLanguage, sd.SPARQL11Update) not in graph


def test_service_is_refused_on_the_real_server(server: tuple[str, Path]) -> None:
    base, _ = server
    # the second reading of '<' ("less than") is the one Oxigraph takes: still refused
    sneaky = "SELECT * { FILTER(?a<'x>') SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } #'\n}"
    for query in ("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", sneaky):
        response = httpx.get(f"{base}/sparql", params={"query": query})
        assert response.status_code == 400
        assert "SERVICE" in response.json()["error"]


# ---------------------------------------------------------------------- in process

TOKEN = "in-process-token-0123456789abcdefghij"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
P = "<http://example.org/p>"


class InProcess:
    """The application over an in-memory graph (no executor: queries run in-process)."""

    def __init__(self, kg: KnowledgeGraph, token: str | None = TOKEN) -> None:
        from pydantic import SecretStr

        from api.app import create_app
        from graph.settings import Settings

        settings = Settings(write_token=SecretStr(token) if token else None)
        self.app = create_app(kg, settings)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        async def call() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                return await client.request(method, url, **kwargs)

        return asyncio.run(call())

    def update(self, text: str, **params: str | list[str]) -> httpx.Response:
        return self.request(
            "POST",
            "/sparql",
            params=params,
            content=text.encode(),
            headers={**AUTH, "Content-Type": "application/sparql-update"},
        )

    def values(self, query: str, **params: str | list[str]) -> list[str]:
        response = self.request("GET", "/sparql", params={"query": query, **params})
        assert response.status_code == 200, response.text
        return sorted(b["x"]["value"] for b in response.json()["results"]["bindings"] if "x" in b)


@pytest.fixture
def app(kg: KnowledgeGraph) -> InProcess:
    client = InProcess(kg)
    response = client.update(
        f"INSERT DATA {{ GRAPH <http://g1> {{ <http://a> {P} 1 }} "
        f"GRAPH <http://g2> {{ <http://b> {P} 2 }} <http://d> {P} 0 }}"
    )
    assert response.status_code == 200, response.text
    return client


def test_dataset_parameters_give_exactly_that_dataset(app: InProcess) -> None:
    any_s = f"SELECT ?x WHERE {{ ?x {P} ?o }}"
    named = f"SELECT ?x WHERE {{ GRAPH ?x {{ ?s {P} ?o }} }}"
    # no dataset: the union of all graphs (the store's default graph included)
    assert app.values(any_s) == ["http://a", "http://b", "http://d"]
    assert app.values(any_s, **{"default-graph-uri": "http://g1"}) == ["http://a"]
    assert app.values(any_s, **{"default-graph-uri": ["http://g1", "http://g2"]}) == [
        "http://a",
        "http://b",
    ]
    # only default graphs given: no named graphs; only named graphs: an empty default graph
    assert app.values(named, **{"default-graph-uri": "http://g1"}) == []
    assert app.values(named, **{"named-graph-uri": "http://g2"}) == ["http://g2"]
    assert app.values(any_s, **{"named-graph-uri": "http://g2"}) == []
    # FROM is honoured (from the store's graphs); the protocol's dataset wins over it
    from_g1 = f"SELECT ?x FROM <http://g1> WHERE {{ ?x {P} ?o }}"
    assert app.values(from_g1) == ["http://a"]
    assert app.values(from_g1, **{"default-graph-uri": "http://g2"}) == ["http://b"]
    # a POST form and a direct POST take them too
    form = app.request(
        "POST", "/sparql", data={"query": any_s, "default-graph-uri": "http://g2"}
    ).json()
    assert [b["x"]["value"] for b in form["results"]["bindings"]] == ["http://b"]
    direct = app.request(
        "POST",
        "/sparql",
        params={"named-graph-uri": "http://g1"},
        content=named,
        headers={"Content-Type": "application/sparql-query"},
    ).json()
    assert [b["x"]["value"] for b in direct["results"]["bindings"]] == ["http://g1"]


def test_dataset_parameters_must_be_absolute_iris(app: InProcess) -> None:
    for name in ("default-graph-uri", "named-graph-uri"):
        response = app.request("GET", "/sparql", params={"query": "ASK {}", name: "g1"})
        assert response.status_code == 400
        assert name in response.json()["error"]
    wrong = app.request(
        "GET", "/sparql", params={"query": "ASK {}", "using-graph-uri": "http://g1"}
    )
    assert wrong.status_code == 400
    assert "goes with an update" in wrong.json()["error"]
    assert app.update("CLEAR ALL", **{"using-graph-uri": "relative"}).status_code == 400
    assert app.update("CLEAR ALL", **{"default-graph-uri": "http://g1"}).status_code == 400


def test_relative_iris_resolve_against_the_endpoint(app: InProcess) -> None:
    assert app.values("SELECT ?x WHERE { BIND(<thing> AS ?x) }") == ["http://test/thing"]
    assert app.update(f"INSERT DATA {{ GRAPH <http://g3> {{ <s> {P} 3 }} }}").status_code == 200
    assert app.values(f"SELECT ?x WHERE {{ GRAPH <http://g3> {{ ?x {P} 3 }} }}") == [
        "http://test/s"
    ]


def test_update_dataset_and_the_real_default_graph(app: InProcess, kg: KnowledgeGraph) -> None:
    # without USING, an update's WHERE reads the store's own default graph, not the union
    plain = f"INSERT {{ GRAPH <http://out> {{ ?s a <http://T> }} }} WHERE {{ ?s {P} ?o }}"
    assert app.update(plain).status_code == 200
    typed = "SELECT ?x WHERE { GRAPH <http://out> { ?x a <http://T> } }"
    assert app.values(typed) == ["http://d"]
    # using-graph-uri: the WHERE reads g1; DELETE WHERE takes it too
    assert app.update(plain, **{"using-graph-uri": "http://g1"}).status_code == 200
    assert app.values(typed) == ["http://a", "http://d"]
    delete = "DELETE WHERE { GRAPH <http://out> { ?s a <http://T> } }"
    assert app.update(delete, **{"using-named-graph-uri": "http://g2"}).status_code == 200
    assert app.values(typed) == ["http://a", "http://d"]  # <http://out> is not in the dataset
    assert app.update(delete, **{"using-named-graph-uri": "http://out"}).status_code == 200
    assert app.values(typed) == []
    # the request's dataset and the update's own USING / WITH: refused
    conflict = app.update(
        f"WITH <http://g1> DELETE {{ ?s {P} ?o }} WHERE {{ ?s {P} ?o }}",
        **{"using-graph-uri": "http://g2"},
    )
    assert conflict.status_code == 400
    assert "USING" in conflict.json()["error"]


def test_an_update_is_one_transaction_with_its_release(app: InProcess, kg: KnowledgeGraph) -> None:
    release = kg.current_release()
    size = len(kg)
    # the second operation fails (no such graph): the first is not applied either
    failed = app.update(
        f"INSERT DATA {{ GRAPH <http://g4> {{ <http://e> {P} 4 }} }} ; DROP GRAPH <http://none>"
    )
    assert failed.status_code == 400
    assert "does not exist" in failed.json()["error"]
    assert kg.current_release() == release
    assert len(kg) == size
    ok = app.update(f"INSERT DATA {{ GRAPH <http://g4> {{ <http://e> {P} 4 }} }}")
    assert ok.status_code == 200
    assert ok.json()["release"] == kg.current_release() != release
    health = app.request("GET", "/health").json()
    assert health["release"] == ok.json()["release"]
    # an update with no operation changes nothing
    assert app.update("PREFIX ex: <http://example.org/>").json()["release"] == kg.current_release()
    assert kg.current_release() == ok.json()["release"]


def test_updates_keep_the_ontology_entailments_and_provenance(
    app: InProcess, kg: KnowledgeGraph
) -> None:
    # a sub-property triple gets its super-property entailed, by the same update, into the
    # entailment graph of the graph it wrote
    entailments = kg.ids.entailments_of(ox.NamedNode("http://g5")).value
    update = (
        "INSERT DATA { GRAPH <http://g5> { <http://w> wsis:facilitatesActionLine "
        "<https://w3id.org/wsis-kg/id/action-line/C5> } }"
    )
    assert app.update(update).status_code == 200
    entailed = f"SELECT ?x WHERE {{ GRAPH <{entailments}> {{ ?x wsis:supportsActionLine ?a }} }}"
    assert app.values(entailed) == ["http://w"]
    # CLEAR ALL clears the data and the ontology, not the record of what happened
    assert app.update("CLEAR ALL").status_code == 200
    graphs = kg.named_graphs()
    assert kg.provenance_graph.value in graphs
    assert kg.ontology_graph.value not in graphs
    updates = "SELECT ?x WHERE { ?x a wsis:Update }"
    assert len(app.values(updates)) == 3  # the fixture's, the insert, the clear
    for graph in (kg.provenance_graph.value, kg.entailment_graph.value, entailments):
        for text in (
            f"DROP GRAPH <{graph}>",
            f"INSERT DATA {{ GRAPH <{graph}> {{ <http://x> {P} 1 }} }}",
            f"PREFIX g: <{graph.rsplit('/', 1)[0]}/> CLEAR GRAPH g:{graph.rsplit('/', 1)[1]}",
            f"WITH <{graph}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
            f"COPY <http://g1> TO <{graph}>",
        ):
            response = app.update(text)
            assert response.status_code == 400, text
            assert "maintained by the store" in response.json()["error"]
    # a template writing GRAPH ?g never reaches them
    before = kg.named_graphs()[kg.provenance_graph.value]
    everything = "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert app.update(everything).status_code == 200
    assert kg.named_graphs()[kg.provenance_graph.value] > before


def test_update_errors_say_where(app: InProcess) -> None:
    response = app.update("INSERT DATA { <http://a> <http://b> }")
    assert response.status_code == 400
    assert response.json()["error"].startswith("SPARQL syntax error: error at 1:")
    form = app.request("POST", "/sparql", data={"update": ["CLEAR ALL", "CLEAR ALL"]}, headers=AUTH)
    assert form.status_code == 400
    both = app.request(
        "POST", "/sparql", data={"update": "CLEAR ALL", "query": "ASK {}"}, headers=AUTH
    )
    assert both.status_code == 400


# ---------------------------------------------------------------------- the lexer


def test_the_lexer_skips_strings_iris_and_comments() -> None:
    from graph.sparql_text import fetches, has_dataset_clause, tokenize

    text = 'SELECT * # FROM <x>\n{ ?s <http://a#b> """x { FROM\n"" y""" , \'it\\\'s\' }'
    kinds = [(t.kind, t.text) for t in tokenize(text).tokens]
    assert ("iri", "<http://a#b>") in kinds
    assert ("string", '"""x { FROM\n"" y"""') in kinds
    assert not has_dataset_clause(text)
    assert has_dataset_clause("select * from <x> {}")
    assert fetches('SELECT * { ?s ?p "SERVICE <http://x> {}" }') is None
    assert fetches("SELECT * { service <http://x> { } }") == "SERVICE"
    assert fetches("INSERT DATA { <a> <b> 'load' }", update=True) is None
    assert fetches("LOAD <http://x>", update=True) == "LOAD"


def test_the_update_rewrite() -> None:
    from graph.sparql_text import analyse_update, expand_prefixed_names, rewrite_update

    text = (
        "PREFIX ex: <http://ex/>\nDROP NAMED ;\n"
        "DELETE { GRAPH ?g { ?s ex:p ?o } } INSERT { ?s ex:q ?o } WHERE { GRAPH ?g { ?s ex:p ?o } }"
    )
    analysis = analyse_update(text)
    assert analysis.operations == 2
    rewritten = rewrite_update(
        text,
        analysis,
        using=["http://u"],
        using_named=["http://n"],
        protected=["http://prov"],
        named_graphs=["http://a", "http://prov"],
    )
    assert "DROP SILENT GRAPH <http://a>" in rewritten
    assert "<http://prov> ;" not in rewritten
    assert "USING <http://u> USING NAMED <http://n> WHERE { {" in rewritten
    assert "FILTER ((!BOUND(?g) || ?g NOT IN (<http://prov>)))" in rewritten
    assert expand_prefixed_names("ASK { ?s wsis:x 'wsis:y' }", {"wsis": "http://w#"}) == (
        "ASK { ?s <http://w#x> 'wsis:y' }"
    )


def _rows(graph: rdflib.Graph, query: str, initNs: dict[str, Any]) -> list[Any]:  # noqa: N803
    """The rows of a SELECT over ``graph`` (a list of tuples)."""
    return [tuple(row) for row in graph.query(query, initNs=initNs)]  # type: ignore[arg-type]


def test_service_description_leads_to_the_graphs_prefixes_ontology_and_queries(
    server: tuple[str, Path],
) -> None:
    """From the endpoint alone an analyst finds the named graphs (with sizes), the prefixes a
    query may use undeclared, the ontology and the named queries, each at its address here."""
    base, _ = server
    response = httpx.get(f"{base}/sparql", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    sizes = {
        str(row[0]): int(row[1])
        for row in _rows(
            graph,
            "SELECT ?name ?size WHERE { ?d sd:namedGraph [ sd:name ?name ; "
            "sd:graph [ void:triples ?size ] ] }",
            initNs={"sd": sd, "void": void},
        )
    }
    assert sizes == httpx.get(f"{base}/graphs").json()["graphs"]
    assert sizes["https://w3id.org/wsis-kg/id/graph/sdg-targets"] == 2538
    prefixes = {
        str(row[0]): str(row[1])
        for row in _rows(
            graph,
            "SELECT ?p ?n WHERE { ?s sh:declare [ sh:prefix ?p ; sh:namespace ?n ] }",
            initNs={"sh": sh},
        )
    }
    assert prefixes["wsis"] == "https://w3id.org/wsis-kg/ontology#"
    assert prefixes["skos"] == "http://www.w3.org/2004/02/skos/core#"
    # a query with a declared prefix and no PREFIX line runs
    ask = httpx.get(f"{base}/sparql", params={"query": "ASK { ?a a wsis:ActionLine }"})
    assert ask.json()["boolean"] is True
    service = rdflib.URIRef(f"{base}/sparql#service")
    see_also = {str(o) for o in graph.objects(service, rdflib.RDFS.seeAlso)}
    assert {f"{base}/ontology", f"{base}/queries", f"{base}/docs"} <= see_also
    ontology = httpx.get(f"{base}/ontology")
    assert ontology.headers["content-type"].startswith("text/turtle")
    owl = rdflib.Graph().parse(data=ontology.text, format="turtle")
    assert (rdflib.URIRef("https://w3id.org/wsis-kg/ontology#ActionLine"), None, None) in owl
    assert (None, void.vocabulary, rdflib.URIRef("https://w3id.org/wsis-kg/ontology")) in graph
    queries = httpx.get(f"{base}/queries").json()["queries"]
    parts = {str(o) for o in graph.objects(rdflib.URIRef(f"{base}/queries"), None)}
    named = {q["name"]: q for q in queries}
    assert named["supporting-work"]["url"] == f"{base}/queries/supporting-work"
    assert named["supporting-work"]["url"] in parts
    # a named query's text runs as it is on /sparql
    text = httpx.get(named["sdgs"]["url"])
    assert text.headers["content-type"].startswith("application/sparql-query")
    rows = httpx.get(f"{base}/sparql", params={"query": text.text}, timeout=60).json()["results"][
        "bindings"
    ]
    assert len(rows) == 17
    missing = httpx.get(f"{base}/queries/no-such-query")
    assert missing.status_code == 404
    assert missing.json()["error"].startswith("no named query")
