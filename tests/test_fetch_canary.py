"""Nothing is fetched on a query's behalf (docs/reliability.md, section 3).

Every way a request could make the service dereference an IRI is pointed at a canary HTTP
server on 127.0.0.1 that counts connections, and at a secret local file: ``SERVICE`` (every
spelling), ``LOAD``, ``FROM`` / ``FROM NAMED``, the protocol's dataset parameters, ``USING``,
a JSON-LD remote ``@context``, an RDF/XML external DTD, and ``owl:imports`` in data that
validation reads. The canary must see no connection at all and the secret must not appear
in any answer, through the real server (``wsiskg serve`` over a copy of the loaded store, with
a write token), the command line (``wsiskg query``, ``load``, ``validate``) and the library.

What the service answers:

* ``SERVICE`` in a query or an update, ``LOAD`` in an update: refused, 400 (the CLI: exit 1,
  one line), before Oxigraph sees the text (pyoxigraph would send the request itself).
* ``FROM`` / ``FROM NAMED`` / ``default-graph-uri`` / ``named-graph-uri`` / ``USING``: the IRI
  names a graph *of the store*; a graph the store does not have is empty, so the answer is
  empty (200), and nothing is fetched. ``wsiskg query`` always queries the union of the
  named graphs: a FROM there changes nothing and fetches nothing.
* RDF cannot be uploaded over HTTP: ``POST /documents`` takes .txt and .docx only (415 for
  anything else); SPARQL ``INSERT DATA`` writes triples, it reads no document.
"""

from __future__ import annotations

import ast
import shutil
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from graph.store import KnowledgeGraph, StoreError
from loaders.errors import LoadError
from loaders.rdf import LoadReport, LoadResult, SourceInfo
from loaders.safety import parse_rdf
from tests.canary import Canary, Secret, canary_server, make_secret
from tests.conftest import ROOT, run_cli
from tests.servers import running_server

TOKEN = "fetch-canary-token-0123456789abcdefghijklmnop"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
OWL_IMPORTS = "http://www.w3.org/2002/07/owl#imports"
PYTHON_MODULE = (
    "http://www.lesfleursdunormal.fr/static/_downloads/owlready_ontology.owl#python_module"
)
ONTOLOGY = "https://w3id.org/wsis-kg/ontology"
REFUSED = "is not supported: this service never fetches data"


@pytest.fixture
def canary() -> Iterator[Canary]:
    with canary_server() as server:
        yield server


@pytest.fixture
def secret(tmp_path: Path) -> Secret:
    return make_secret(tmp_path)


def service_queries(url: str) -> list[str]:
    """SERVICE in every spelling a client could use, each at a distinct canary path."""
    return [
        f"SELECT * WHERE {{ SERVICE <{url}/plain> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}/silent> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{url}/lower> {{ ?s ?p ?o }} }}",
        f"PREFIX c: <{url}/> SELECT * WHERE {{ SERVICE c:prefixed {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{url}/variable> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        f"ASK {{ OPTIONAL {{ SELECT * WHERE {{ SERVICE <{url}/nested> {{ ?s ?p ?o }} }} }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/construct> {{ ?s ?p ?o }} }}",
        # '<' read as "less than" by Oxigraph, as an IRI by a naive lexer that would then
        # miss the SERVICE after it
        f"SELECT * {{ FILTER(?a<'x>') SERVICE <{url}/ambiguous> {{ ?s ?p ?o }} #'\n}}",
        # a codepoint escape: Oxigraph 0.5 reads escapes only in IRIs and strings (a syntax
        # error here); if it ever unescaped the whole text first, this would be SERVICE
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}/escaped> {{ ?s ?p ?o }} }}",
    ]


def dataset_queries(url: str, secret: Secret) -> list[str]:
    """Queries that name their dataset with IRIs the store does not have."""
    return [
        f"SELECT * FROM <{url}/from> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{url}/named> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{secret.uri}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{secret.uri}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} FROM <{url}/construct> WHERE {{ ?s ?p ?o }}",
        f"SELECT * WHERE {{ GRAPH <{url}/graph> {{ ?s ?p ?o }} }}",
    ]


def load_updates(url: str, secret: Secret) -> list[str]:
    return [
        f"LOAD <{url}/load.ttl>",
        f"LOAD SILENT <{url}/silent.ttl>",
        f"LOAD <{url}/into.ttl> INTO GRAPH <urn:x:g>",
        f"LOAD <{secret.uri}> INTO GRAPH <urn:x:g>",
        f"INSERT {{ GRAPH <urn:x:g> {{ ?s ?p ?o }} }} "
        f"WHERE {{ SERVICE <{url}/upd> {{ ?s ?p ?o }} }}",
        f"INSERT DATA {{ <urn:x:a> <urn:x:b> 1 }} ; LOAD <{url}/second.ttl>",
    ]


# ---------------------------------------------------------------------- the real server


@pytest.fixture(scope="module")
def served(loaded_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("fetch") / "store"
    shutil.copytree(loaded_store, store)
    with running_server(store, {"WSISKG_WRITE_TOKEN": TOKEN}) as base:
        yield base


def _release(base: str) -> str:
    release: str = httpx.get(f"{base}/health", timeout=10).json()["release"]
    return release


def _ask(base: str, query: str, how: str, **params: str) -> httpx.Response:
    url = f"{base}/sparql"
    if how == "get":
        return httpx.get(url, params={"query": query, **params}, timeout=60)
    if how == "form":
        return httpx.post(url, data={"query": query, **params}, timeout=60)
    headers = {"Content-Type": "application/sparql-query"}
    return httpx.post(url, content=query.encode(), params=params, headers=headers, timeout=60)


@pytest.mark.parametrize("how", ["get", "form", "direct"])
def test_service_is_refused_by_the_server_in_every_spelling(
    served: str, canary: Canary, secret: Secret, how: str
) -> None:
    for query in service_queries(canary.url):
        response = _ask(served, query, how)
        assert response.status_code == 400, (query, response.text)
        error = response.json()["error"]
        assert REFUSED in error or "syntax error" in error, error
    canary.assert_untouched("SERVICE")


@pytest.mark.parametrize("how", ["get", "form", "direct"])
def test_from_and_graph_iris_name_graphs_of_the_store_and_answer_empty(
    served: str, canary: Canary, secret: Secret, how: str
) -> None:
    for query in dataset_queries(canary.url, secret):
        accept = "text/turtle" if query.startswith("CONSTRUCT") else "application/json"
        params = {"format": "turtle" if accept == "text/turtle" else "json"}
        response = _ask(served, query, how, **params)
        assert response.status_code == 200, (query, response.text)
        if accept == "application/json":
            assert response.json()["results"]["bindings"] == [], query
        else:
            assert list(ox.parse(response.content, ox.RdfFormat.TURTLE)) == [], query
        secret.assert_not_in(response.content)
    canary.assert_untouched("FROM / GRAPH")


def test_the_protocols_dataset_parameters_never_fetch(
    served: str, canary: Canary, secret: Secret
) -> None:
    query = "SELECT * WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    for params in (
        {"default-graph-uri": f"{canary.url}/default"},
        {"named-graph-uri": f"{canary.url}/named"},
        {"default-graph-uri": secret.uri, "named-graph-uri": secret.uri},
    ):
        for how in ("get", "form", "direct"):
            response = _ask(served, query, how, **params)
            assert response.status_code == 200, response.text
            assert response.json()["results"]["bindings"] == []
            secret.assert_not_in(response.content)
    canary.assert_untouched("default-graph-uri / named-graph-uri")


def test_load_and_service_in_updates_are_refused_and_change_nothing(
    served: str, canary: Canary, secret: Secret
) -> None:
    before = _release(served)
    for update in load_updates(canary.url, secret):
        for form in (True, False):
            if form:
                response = httpx.post(
                    f"{served}/sparql", data={"update": update}, headers=AUTH, timeout=60
                )
            else:
                response = httpx.post(
                    f"{served}/sparql",
                    content=update.encode(),
                    headers={**AUTH, "Content-Type": "application/sparql-update"},
                    timeout=60,
                )
            assert response.status_code == 400, (update, response.text)
            assert REFUSED in response.json()["error"], response.text
            secret.assert_not_in(response.content)
    assert _release(served) == before  # nothing was written
    canary.assert_untouched("LOAD / SERVICE in updates")


def test_the_dashboard_sparql_page_refuses_service_too(served: str, canary: Canary) -> None:
    # the page runs queries in the executor's workers, not through /sparql
    for query in service_queries(canary.url)[:4]:
        page = httpx.get(f"{served}/dashboard/sparql", params={"query": query}, timeout=60)
        assert page.status_code == 400, page.text
        assert "never fetches data" in page.text
        csv = httpx.get(
            f"{served}/dashboard/sparql", params={"query": query, "format": "csv"}, timeout=60
        )
        assert csv.status_code == 400, csv.text
    canary.assert_untouched("dashboard")


@pytest.mark.parametrize(
    "name",
    ["data.ttl", "data.nt", "data.jsonld", "data.rdf", "data.owl", "data.trig", "data.csv"],
)
def test_rdf_cannot_be_uploaded_over_http(served: str, canary: Canary, name: str) -> None:
    body = (
        f'{{"@context": "{canary.url}/context.jsonld", "@id": "urn:x:a", "name": "x"}}'
        if name.endswith(".jsonld")
        else f'<?xml version="1.0"?><!DOCTYPE rdf:RDF SYSTEM "{canary.url}/x.dtd"><rdf:RDF/>'
        if name.endswith((".rdf", ".owl"))
        else f"<{canary.url}/s> <{OWL_IMPORTS}> <{canary.url}/o> ."
    )
    before = _release(served)
    response = httpx.post(
        f"{served}/documents",
        files={"file": (name, body.encode(), "application/octet-stream")},
        headers=AUTH,
        timeout=60,
    )
    assert response.status_code == 415, response.text
    assert ".docx" in response.json()["error"]
    assert _release(served) == before
    canary.assert_untouched(f"upload of {name}")


# ---------------------------------------------------------------------- the command line


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small store: the ontology and one Turtle file (loads in a few seconds)."""
    folder = tmp_path_factory.mktemp("fetch-cli")
    data = folder / "plain.ttl"
    data.write_text("<urn:x:s> <urn:x:p> 'plain' .\n", encoding="utf-8")
    store = folder / "store"
    run_cli("load", str(data), store=store, check=True)
    return store


def test_the_cli_refuses_service(cli_store: Path, canary: Canary, tmp_path: Path) -> None:
    queries = service_queries(canary.url)
    for query in (queries[0], queries[3], queries[7]):
        result = run_cli("query", query, store=cli_store)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "SERVICE is not supported" in result.stderr
        assert "Traceback" not in result.stderr
    from_file = tmp_path / "q.rq"
    from_file.write_text(queries[1], encoding="utf-8")
    result = run_cli("query", "--file", str(from_file), store=cli_store)
    assert result.returncode == 1
    assert "SERVICE is not supported" in result.stderr
    canary.assert_untouched("wsiskg query")


def test_the_cli_never_fetches_from_graphs(cli_store: Path, canary: Canary, secret: Secret) -> None:
    # `wsiskg query` queries the union of the named graphs; FROM changes nothing there
    for query in dataset_queries(canary.url, secret)[:4]:
        result = run_cli("query", query, "--format", "json", store=cli_store)
        assert result.returncode == 0, result.stderr
        secret.assert_not_in(result.stdout, result.stderr)
    canary.assert_untouched("wsiskg query FROM")


def test_loading_rdf_never_dereferences_its_iris(
    cli_store: Path, canary: Canary, secret: Secret, tmp_path: Path
) -> None:
    url = canary.url
    turtle = tmp_path / "imports.ttl"
    turtle.write_text(
        textwrap.dedent(
            f"""\
            @base <{url}/base/> .
            @prefix c: <{url}/> .
            <> <{OWL_IMPORTS}> <{url}/imported.ttl> .
            c:x <{OWL_IMPORTS}> <{secret.uri}> ;
                <http://www.w3.org/2000/01/rdf-schema#seeAlso> <{url}/see-also> .
            """
        ),
        encoding="utf-8",
    )
    refused = {
        "remote.jsonld": f'{{"@context": "{url}/context.jsonld", "@id": "urn:x:a", "n": "x"}}',
        "dtd.rdf": f'<?xml version="1.0"?><!DOCTYPE rdf:RDF SYSTEM "{url}/x.dtd"><rdf:RDF/>',
        "xxe.owl": (
            f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY s SYSTEM "{secret.uri}">]>'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&s;</rdf:RDF>'
        ),
    }
    store = tmp_path / "store"
    shutil.copytree(cli_store, store)
    result = run_cli("load", str(turtle), store=store)
    assert result.returncode == 0, result.stderr
    for name, text in refused.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = run_cli("load", str(path), store=store)
        assert result.returncode == 1
        assert f"cannot load {path.suffix} files" in result.stderr
        secret.assert_not_in(result.stdout, result.stderr)
    canary.assert_untouched("wsiskg load")


def test_validate_never_follows_owl_imports(
    cli_store: Path, canary: Canary, secret: Secret, tmp_path: Path
) -> None:
    hostile = tmp_path / "hostile.ttl"
    hostile.write_text(
        f"<{ONTOLOGY}> <{OWL_IMPORTS}> <{canary.url}/ontology.owl> , <{secret.uri}> .\n"
        f"<{canary.url}/o> a <http://www.w3.org/2002/07/owl#Ontology> ; "
        f"<{OWL_IMPORTS}> <{canary.url}/other.owl> .\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    shutil.copytree(cli_store, store)
    run_cli("load", str(hostile), store=store, check=True)
    result = run_cli("validate", store=store)
    assert "Traceback" not in result.stderr
    assert "HermiT: consistent" in result.stdout + result.stderr, result.stdout + result.stderr
    secret.assert_not_in(result.stdout, result.stderr)
    canary.assert_untouched("wsiskg validate")


# ---------------------------------------------------------------------- the library


def test_every_query_entry_point_refuses_service(canary: Canary) -> None:
    kg = KnowledgeGraph.in_memory()
    for query in service_queries(canary.url):
        for run in (
            kg.query,
            lambda q: kg.query(q, with_prefixes=True),
            kg.endpoint_query,
            kg.select,
        ):
            with pytest.raises(StoreError, match=r"SERVICE is not supported|syntax error"):
                run(query)
    canary.assert_untouched("KnowledgeGraph")


def test_every_update_refuses_load_and_service(canary: Canary, secret: Secret) -> None:
    kg = KnowledgeGraph.in_memory()
    for update in load_updates(canary.url, secret):
        with pytest.raises(StoreError, match=r"refused: (LOAD|SERVICE) is not supported"):
            kg.update(update)
    assert len(kg) == 0
    canary.assert_untouched("KnowledgeGraph.update")


def test_using_and_using_graph_uri_name_graphs_of_the_store(canary: Canary, secret: Secret) -> None:
    # the server passes using-graph-uri / using-named-graph-uri to this same method
    kg = KnowledgeGraph.in_memory()
    kg.update("INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> 1 } }")
    update = "INSERT { GRAPH <urn:x:copy> { ?s ?p ?o } } WHERE { ?s ?p ?o }"
    kg.update(update, using_graphs=[f"{canary.url}/param"])
    kg.update(update, using_named_graphs=[secret.uri])
    kg.update(
        f"INSERT {{ GRAPH <urn:x:copy> {{ ?s ?p ?o }} }} USING <{canary.url}/using> "
        f"USING NAMED <{secret.uri}> WHERE {{ ?s ?p ?o }}"
    )
    # the USING graphs are graphs of the store, and empty
    assert not bool(kg.query("ASK { GRAPH <urn:x:copy> { ?s ?p ?o } }"))
    canary.assert_untouched("USING")


def test_json_ld_remote_contexts_are_never_fetched(canary: Canary) -> None:
    document = f'{{"@context": "{canary.url}/context.jsonld", "@id": "urn:x:a", "n": "x"}}'
    with pytest.raises(SyntaxError, match="LoadDocumentCallback"):
        list(ox.parse(document.encode(), ox.RdfFormat.JSON_LD))
    with pytest.raises(LoadError, match=r"remote\.jsonld: not valid JSON-LD"):
        parse_rdf(document.encode(), ox.RdfFormat.JSON_LD, source="remote.jsonld")
    canary.assert_untouched("JSON-LD @context")


_opened: list[str] = []
_watching: list[str] = []


def _audit(event: str, args: tuple[object, ...]) -> None:
    if _watching and event == "open" and args and str(args[0]) in _watching:
        _opened.append(str(args[0]))


def test_validation_follows_no_import_and_imports_no_module(
    canary: Canary, secret: Secret, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HermiT's OWL API would follow owl:imports (http: and file:), and owlready2 would also
    import the Python module an ontology names, were it to read the reasoner's view; pySHACL
    does not (the shipped shapes run on Oxigraph, so it is called here on its own, over every
    shape)."""
    from graph.validate import check_owl, union_graph, validate_rdflib, validate_shacl

    marker = tmp_path / "imported"
    (tmp_path / "wsiskg_canary_module.py").write_text(
        f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.addaudithook(_audit)
    kg = KnowledgeGraph.in_memory()
    kg.load_ontology()
    onto, imports = ox.NamedNode(ONTOLOGY), ox.NamedNode(OWL_IMPORTS)
    triples = [
        ox.Triple(onto, imports, ox.NamedNode(f"{canary.url}/ontology.owl")),
        ox.Triple(onto, imports, ox.NamedNode(secret.uri)),
        ox.Triple(onto, ox.NamedNode(PYTHON_MODULE), ox.Literal("wsiskg_canary_module")),
        ox.Triple(
            ox.NamedNode("urn:x:s"),
            ox.NamedNode("http://www.w3.org/ns/shacl#shapesGraph"),
            ox.NamedNode(f"{canary.url}/shapes.ttl"),
        ),
    ]
    graph = kg.ids.graph("hostile")
    kg.load(LoadResult(graph, triples, LoadReport("hostile"), SourceInfo("hostile", "h", "0")))
    _watching.append(str(secret.path.resolve()))
    try:
        validate_shacl(kg)  # the shipped shapes run on Oxigraph: pySHACL is not called
        validate_rdflib(union_graph(kg.quads()))  # pySHACL itself, over every shape
        report = check_owl(kg)
    finally:
        _watching.clear()
    assert report.consistent, report.message
    assert _opened == [], "validation opened the secret file"
    assert not marker.exists(), "validation imported the module the data names"
    assert "wsiskg_canary_module" not in sys.modules
    canary.assert_untouched("validate")


def _modules() -> Iterator[Path]:
    for package in ("api", "graph", "loaders", "ontology"):
        yield from sorted((ROOT / package).rglob("*.py"))


def test_rdflib_never_evaluates_a_query() -> None:
    """Only graph/validate.py imports rdflib (SHACL needs rdflib graphs); it parses the
    shipped shapes file only and runs no SPARQL through rdflib (its SHACL-SPARQL constraints
    run on Oxigraph, behind the same SERVICE refusal). Every user query runs on Oxigraph."""
    users: dict[str, ast.Module] = {}
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n.split(".")[0] in ("rdflib", "pyshacl") for n in names):
                users[str(path.relative_to(ROOT))] = tree
    assert set(users) == {"graph/validate.py"}
    calls = [
        node.func.attr
        for node in ast.walk(users["graph/validate.py"])
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    ]
    assert "query" not in calls
    assert "update" not in calls
    parses = [
        ast.unparse(node)
        for node in ast.walk(users["graph/validate.py"])
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "parse"
    ]
    assert parses == ["rdflib.Graph().parse(shapes_path(), format='turtle')"]
