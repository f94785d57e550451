"""The W3C SPARQL 1.1 Protocol tests, all of them, against a real `wsiskg serve`.

``tests/w3c/protocol/manifest.ttl`` (see tests/w3c/README.md) is read with rdflib; each of its
34 ``mf:entries`` is one test case, in the manifest's order. A case first resets the server's
graphs and loads its ``ut:graphData`` (each data file into the graph its ``rdfs:label``
names) with an authorised SPARQL update, then replays its ``ht:Request`` s in order: the method,
``ht:absolutePath`` with the manifest's ``/sparql/`` replaced by our ``/sparql``, the headers,
and the body encoded in its ``cnt:characterEncoding`` (UTF-16 for the non-UTF-8 tests). An
update carries ``Authorization: Bearer <token>``. Each response must have a status of one of
the ``mf:expectedStatus`` classes and, where the manifest says so, parse (with rdflib, not
with the server's own library) as the ``mf:expectedFormat`` ("boolean", "tabular" or "RDF")
with the ``mf:expectedBoolean``.

The server runs on 127.0.0.1 with a fresh, empty on-disk store (``serve --no-builtin``) and a
random write token; it is started once for the module. The module ends with what the
manifest does not test: the token (none: 403, wrong: 401), rdflib's SPARQLUpdateStore as a
client, and the release an update makes.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.query import Result

from tests.servers import running_server

PROTOCOL = Path(__file__).parent / "w3c" / "protocol"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = rdflib.Namespace("http://www.w3.org/2011/http-statusCodes#")
TOKEN = secrets.token_urlsafe(32)


# ---------------------------------------------------------------------- the manifest


@dataclass(frozen=True)
class ProtocolRequest:
    method: str
    path: str  # with our endpoint's path
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    statuses: frozenset[str]  # "2", "3", "4": the classes of status allowed
    expected_format: str | None  # "boolean", "tabular", "RDF"
    expected_boolean: bool | None

    @property
    def is_update(self) -> bool:
        content_type = dict(self.headers).get("content-type", "")
        if content_type.startswith("application/sparql-update"):
            return True
        query = parse_qs(urlsplit(self.path).query)
        try:
            form = parse_qs((self.body or b"").decode("utf-8"))
        except UnicodeDecodeError:
            form = {}
        return "update" in query or "update" in form


@dataclass(frozen=True)
class ProtocolTest:
    name: str  # the local name of the test in the manifest, e.g. query_post_form
    title: str  # mf:name
    graph_data: tuple[tuple[Path, str], ...]  # (data file, graph IRI)
    requests: tuple[ProtocolRequest, ...]


def _local_name(node: rdflib.term.Node) -> str:
    return str(node).rsplit("#", 1)[-1]


def _request(manifest: rdflib.Graph, node: rdflib.term.Node) -> ProtocolRequest:
    path = str(manifest.value(node, HT.absolutePath))
    assert path.startswith("/sparql/"), path
    headers: list[tuple[str, str]] = []
    header_list = manifest.value(node, HT.headers)
    if header_list is not None:
        for header in Collection(manifest, header_list):
            headers.append(
                (
                    str(manifest.value(header, HT.fieldName)).lower(),
                    str(manifest.value(header, HT.fieldValue)),
                )
            )
    body = None
    content = manifest.value(node, HT.body)
    if content is not None:
        encoding = str(manifest.value(content, CNT.characterEncoding) or "UTF-8")
        body = str(manifest.value(content, CNT.chars)).encode(encoding)
    response = manifest.value(node, HT.resp)
    statuses = frozenset(
        _local_name(s).removeprefix("StatusCode")[0]
        for s in manifest.objects(response, MF.expectedStatus)
    )
    expected_format = manifest.value(response, MF.expectedFormat)
    expected_boolean = manifest.value(response, MF.expectedBoolean)
    return ProtocolRequest(
        method=str(manifest.value(node, HT.methodName)),
        path="/sparql" + path.removeprefix("/sparql/"),
        headers=tuple(headers),
        body=body,
        statuses=statuses,
        expected_format=str(expected_format) if expected_format is not None else None,
        expected_boolean=(
            bool(expected_boolean.toPython()) if expected_boolean is not None else None
        ),
    )


def load_manifest() -> list[ProtocolTest]:
    manifest = rdflib.Graph().parse(PROTOCOL / "manifest.ttl", format="turtle")
    root = manifest.value(predicate=rdflib.RDF.type, object=MF.Manifest)
    assert root is not None
    tests = []
    for entry in Collection(manifest, manifest.value(root, MF.entries)):
        graph_data = tuple(
            (
                PROTOCOL / str(manifest.value(data, UT.graph)).rsplit("/", 1)[-1],
                str(manifest.value(data, rdflib.RDFS.label)),
            )
            for data in manifest.objects(entry, UT.graphData)
        )
        action = manifest.value(entry, MF.action)
        requests = tuple(
            _request(manifest, node)
            for node in Collection(manifest, manifest.value(action, HT.requests))
        )
        tests.append(
            ProtocolTest(
                _local_name(entry), str(manifest.value(entry, MF.name)), graph_data, requests
            )
        )
    return tests


TESTS = load_manifest()


# ---------------------------------------------------------------------- the server


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The /sparql URL of a server over a fresh, empty store, with a write token."""
    store = tmp_path_factory.mktemp("w3c") / "store"
    with running_server(store, {"WSISKG_WRITE_TOKEN": TOKEN}, args=["--no-builtin"]) as base:
        yield f"{base}/sparql"


def _auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _update(endpoint: str, text: str, token: str = TOKEN) -> httpx.Response:
    return httpx.post(
        endpoint,
        content=text.encode(),
        headers={**_auth(token), "Content-Type": "application/sparql-update"},
        timeout=30,
    )


def _reset(endpoint: str, graph_data: tuple[tuple[Path, str], ...]) -> None:
    """Drop every graph the client can drop, then load the test's data (one update)."""
    blocks = "\n".join(
        f"GRAPH <{graph}> {{\n{path.read_text(encoding='utf-8')}\n}}" for path, graph in graph_data
    )
    response = _update(endpoint, f"DROP ALL ;\nINSERT DATA {{\n{blocks}\n}}")
    assert response.status_code == 200, response.text


# ---------------------------------------------------------------------- the W3C tests


def _check(request: ProtocolRequest, response: httpx.Response) -> None:
    status = str(response.status_code)[0]
    assert status in request.statuses, (
        f"{request.method} {request.path}: status {response.status_code} not in "
        f"{sorted(c + 'xx' for c in request.statuses)}: {response.text[:500]}"
    )
    if request.expected_format is None:
        return
    media = response.headers.get("content-type", "").split(";")[0].strip()
    if request.expected_format == "RDF":
        graph = rdflib.Graph().parse(data=response.content, format=media)
        assert isinstance(graph, rdflib.Graph)
        return
    result = Result.parse(io.BytesIO(response.content), content_type=media)
    if request.expected_format == "boolean":
        assert result.type == "ASK", (media, response.text)
        if request.expected_boolean is not None:
            assert result.askAnswer is request.expected_boolean, response.text
    else:
        assert request.expected_format == "tabular", request.expected_format
        assert result.type == "SELECT", (media, response.text)


def test_the_manifest_has_34_tests_in_order() -> None:
    names = [t.name for t in TESTS]
    assert len(names) == 34
    assert len(set(names)) == 34
    assert names[0] == "query_post_form"
    assert names[-1] == "bad_update_dataset_conflict"
    assert sum(len(t.requests) for t in TESTS) == 39


@pytest.mark.parametrize("case", TESTS, ids=[t.name for t in TESTS])
def test_w3c_protocol(endpoint: str, case: ProtocolTest) -> None:
    _reset(endpoint, case.graph_data)
    with httpx.Client(timeout=30) as client:
        for request in case.requests:
            headers = dict(request.headers)
            if request.is_update:
                headers.update(_auth())
            response = client.request(
                request.method,
                endpoint.removesuffix("/sparql") + request.path,
                headers=headers,
                content=request.body,
            )
            _check(request, response)


# ---------------------------------------------------------------------- beyond the manifest


def _release(endpoint: str) -> str:
    health = httpx.get(endpoint.removesuffix("/sparql") + "/health", timeout=10).json()
    release: str = health["release"]
    return release


def test_an_update_with_a_wrong_or_no_token_is_401_and_changes_nothing(endpoint: str) -> None:
    before = _release(endpoint)
    wrong = _update(endpoint, "CLEAR ALL", token=secrets.token_urlsafe(32))
    assert wrong.status_code == 401
    assert 'error="invalid_token"' in wrong.headers["www-authenticate"]
    assert wrong.json()["error"]
    none = httpx.post(endpoint, data={"update": "CLEAR ALL"}, timeout=10)
    assert none.status_code == 401
    assert none.headers["www-authenticate"].startswith("Bearer")
    # the token is checked before the update is read: a malformed one is 401 too
    garbled = _update(endpoint, "CLEAR XYZ", token="wrong")
    assert garbled.status_code == 401
    assert _release(endpoint) == before


def test_an_update_makes_a_release_that_health_shows(endpoint: str) -> None:
    before = _release(endpoint)
    response = _update(endpoint, "INSERT DATA { GRAPH <urn:x-test:g> { <urn:x-test:s> a 1 } }")
    assert response.status_code == 200
    release = response.json()["release"]
    assert release != before
    assert release > before  # release ids sort in time
    assert _release(endpoint) == release
    # the update is recorded in the provenance graph, as the activity that made the release
    ask = httpx.get(
        endpoint,
        params={
            "query": "ASK { GRAPH ?p { ?u a wsis:Update ; prov:generated ?r ; wsis:updateText "
            f'?text . ?r wsis:releaseId "{release}" FILTER CONTAINS(?text, "urn:x-test:s") }} }}'
        },
        timeout=10,
    )
    assert ask.json()["boolean"] is True


def test_the_store_maintained_graphs_cannot_be_written(endpoint: str) -> None:
    provenance = "https://w3id.org/wsis-kg/id/graph/provenance"
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{provenance}> {{ ?s ?p ?o }} }}"

    def size() -> int:
        answer = httpx.get(endpoint, params={"query": count}, timeout=10).json()
        return int(answer["results"]["bindings"][0]["n"]["value"])

    refused = _update(endpoint, f"DROP GRAPH <{provenance}>")
    assert refused.status_code == 400
    assert "maintained by the store" in refused.json()["error"]
    before = size()
    # ALL and GRAPH ?g leave it alone; each update adds its own record
    assert _update(endpoint, "DROP ALL").status_code == 200
    wildcard = "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert _update(endpoint, wildcard).status_code == 200
    assert size() > before


def test_load_and_service_are_refused(endpoint: str) -> None:
    load = _update(endpoint, "LOAD <http://127.0.0.1:9/data.ttl>")
    assert load.status_code == 400
    assert "LOAD" in load.json()["error"]
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    service = httpx.get(endpoint, params={"query": query}, timeout=10)
    assert service.status_code == 400
    assert "SERVICE" in service.json()["error"]


def test_rdflib_sparql_update_store_writes_and_reads_with_the_token(endpoint: str) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

    store = SPARQLUpdateStore(
        query_endpoint=endpoint,
        update_endpoint=endpoint,
        returnFormat="json",
        headers=_auth(),
    )
    before = _release(endpoint)
    name = rdflib.URIRef("urn:x-test:rdflib")
    graph = rdflib.Graph(store, identifier=name)
    subject = rdflib.URIRef("urn:x-test:thing")
    graph.add((subject, rdflib.RDFS.label, rdflib.Literal("written by rdflib", lang="en")))
    assert _release(endpoint) != before
    rows = list(
        store.query(
            f"SELECT ?label WHERE {{ GRAPH <{name}> {{ <{subject}> ?p ?label }} }}",
        )
    )
    assert [str(r[0]) for r in rows] == ["written by rdflib"]  # type: ignore[index]
    assert (subject, rdflib.RDFS.label, None) in graph
    graph.remove((subject, None, None))
    assert (subject, rdflib.RDFS.label, None) not in graph
    # without the token, rdflib's update fails with the server's 401
    anonymous = SPARQLUpdateStore(query_endpoint=endpoint, update_endpoint=endpoint)
    with pytest.raises(Exception, match="401"):
        rdflib.Graph(anonymous, identifier=name).add(
            (subject, rdflib.RDFS.label, rdflib.Literal("x"))
        )
