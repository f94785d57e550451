"""The /sparql endpoint as SPARQL 1.1 Protocol clients use it: real server, real clients."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import rdflib
from SPARQLWrapper import JSON, XML, SPARQLWrapper

from tests.test_api import server  # noqa: F401 - the module-scoped real server fixture

ASK_C5 = "ASK { ?s <http://www.w3.org/2004/02/skos/core#notation> 'C5' }"
SELECT_C5 = (
    "SELECT ?s WHERE { ?s <http://www.w3.org/2004/02/skos/core#notation> 'C5' ; "
    "a <https://w3id.org/wsis-kg/ontology#ActionLine> }"
)


def test_post_direct_sparql_query(server: tuple[str, Path]) -> None:  # noqa: F811
    base, _ = server
    response = httpx.post(
        f"{base}/sparql",
        content=ASK_C5.encode(),
        headers={"Content-Type": "application/sparql-query; charset=UTF-8"},
    )
    assert response.status_code == 200
    assert response.json() == {"head": {}, "boolean": True}


def test_service_description_says_the_default_graph_is_the_union(
    server: tuple[str, Path],  # noqa: F811
) -> None:
    base, _ = server
    response = httpx.get(f"{base}/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, sd.feature, sd.UnionDefaultGraph) in graph
    assert (None, sd.endpoint, rdflib.URIRef(f"{base}/sparql")) in graph


def test_protocol_errors_are_4xx_with_a_reason(server: tuple[str, Path]) -> None:  # noqa: F811
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


def test_sparqlwrapper_get_and_post_json_and_xml(server: tuple[str, Path]) -> None:  # noqa: F811
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


def test_rdflib_sparqlstore(server: tuple[str, Path]) -> None:  # noqa: F811
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    base, _ = server
    store = SPARQLStore(f"{base}/sparql", returnFormat="json")
    rows = list(store.query(SELECT_C5))
    assert [str(r[0]) for r in rows] == ["https://w3id.org/wsis-kg/id/action-line/C5"]


def test_curl_data_urlencode(server: tuple[str, Path]) -> None:  # noqa: F811
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
