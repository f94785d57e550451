"""The JSON answers of the REST API against their models (api/models), and the shapers
(api/shaping) against the routes.

Every JSON route is asked with representative parameters (the application in process over
the built-in data, real routing over httpx's ASGI transport) and its body must validate
strictly (no field the model does not name, no number for a text, no text for a number) and
dump back to exactly the body (a field left out stays left out). Then the shapers, given the
rows of the same named queries, must give exactly the route's answer (the routes and the
dashboard shape with them). The application's OpenAPI document shows each answer's model
with an example, and flags an answer that drifts from it. ``ROUTE_MODELS`` (which model each
route answers) is also what the schema fuzzing checks bodies with (tests/test_fuzz_api.py).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel, SecretStr, TypeAdapter, ValidationError
from pydantic.json_schema import models_json_schema

from api import models, shaping
from api.app import create_app
from api.search import version_labels, versions_in_force
from graph import catalogue
from graph.catalogue import join_by_link
from graph.clock import today
from graph.settings import Settings
from graph.store import KnowledgeGraph
from graph.values import Row
from loaders.tables import SEEDS, data_path

TOKEN = "in-process-token-0123456789abcdefghij"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SEED = data_path(SEEDS["seed-wtsa-res75-rus"])
DOCUMENT = "000_104f64d2c729d048"  # the built-in proposal (the same seed)
# the built-in proposal against its base
VERSIONS = f"/resolutions/WTSA/75/changes?from=2022-geneva&to=2024-new-delhi/proposed-by/{DOCUMENT}"

# (method, path as OpenAPI writes it) -> the model of its 2xx JSON answer
ROUTE_MODELS: dict[tuple[str, str], Any] = {
    ("GET", "/health"): models.Health,
    ("GET", "/graphs"): models.Graphs,
    ("GET", "/queries"): models.QueryCatalogue,
    ("GET", "/action-lines"): models.ActionLines,
    ("GET", "/action-lines/{id}"): models.ActionLine,
    ("GET", "/action-lines/{id}/supporting-work"): models.SupportingWork,
    ("GET", "/sdgs"): models.Sdgs,
    ("GET", "/sdgs/{goal}"): models.SdgDetail,
    ("GET", "/sdgs/{goal}/action-lines"): models.SdgActionLines,
    ("GET", "/matrix"): models.Matrix,
    ("GET", "/study-groups"): models.StudyGroups,
    ("GET", "/study-groups/{period}/{sg}"): models.StudyGroup,
    ("GET", "/resolutions"): models.Resolutions,
    ("GET", "/resolutions/{body}/{number}"): models.Resolution,
    ("GET", "/resolutions/{body}/{number}/clauses"): models.ResolutionClauses,
    ("GET", "/documents/{id}/changes"): models.DocumentChanges,
    ("GET", "/resolutions/{body}/{number}/changes"): models.VersionChanges,
    ("GET", "/search"): models.SearchAnswer,
    ("POST", "/documents"): models.UploadReport,
    ("GET", "/releases"): models.Releases,
    ("GET", "/mappings"): models.MappingSets,
    ("POST", "/releases/{release}/rollback"): models.RolledBack,
}
# JSON answers that are not the 2xx of a REST route: an update's, and every error's
OTHER_MODELS = (models.UpdateDone, models.ErrorAnswer, models.TooManyRowsAnswer)


def _model_schemas() -> dict[str, Any]:
    """The JSON schemas of every model, as OpenAPI components (``#/components/schemas/``)."""
    named = {m for m in ROUTE_MODELS.values() if isinstance(m, type)}
    listed = {m.__args__[0] for m in ROUTE_MODELS.values() if not isinstance(m, type)}
    _, definitions = models_json_schema(
        [(m, "serialization") for m in sorted((*named, *listed, *OTHER_MODELS), key=str)],
        ref_template="#/components/schemas/{model}",
    )
    schemas: dict[str, Any] = definitions["$defs"]
    return schemas


def conforms(model: Any, body: object) -> Any:
    """The body validated strictly by ``model``; it must dump back to exactly the body."""
    adapter: TypeAdapter[Any] = TypeAdapter(model)
    value = adapter.validate_python(body, strict=True)
    assert adapter.dump_python(value, exclude_unset=True) == body
    return value


def dumped(value: BaseModel | list[Any]) -> Any:
    """A shaper's answer as the route would send it."""
    if isinstance(value, list):
        return [dumped(v) for v in value]
    return json.loads(value.model_dump_json(exclude_unset=True))


class App:
    """The application in process, over httpx's ASGI transport (no server, real routing)."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        async def call() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                return await client.request(method, url, **kwargs)

        return asyncio.run(call())

    def json(self, url: str, *, status: int = 200, **params: Any) -> Any:
        response = self.request("GET", url, params=params or None)
        assert response.status_code == status, response.text[:1000]
        assert response.headers["content-type"].startswith("application/json")
        return response.json()


@pytest.fixture(scope="module")
def app(builtin_kg: KnowledgeGraph) -> App:
    return App(create_app(builtin_kg))


@pytest.fixture
def writable() -> tuple[App, KnowledgeGraph]:
    """An empty store (the ontology only) that takes writes: uploads and updates."""
    kg = KnowledgeGraph.in_memory()
    kg.load_ontology()
    settings = Settings(write_token=SecretStr(TOKEN), max_result_rows=5)
    return App(create_app(kg, settings)), kg


def rows(kg: KnowledgeGraph, name: str, **values: Any) -> list[Row]:
    return catalogue.run(kg, name, values).rows


ACTION_LINES = [
    "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C7.e-health", "C8", "C9", "C10", "C11",
]  # fmt: skip


# ---------------------------------------------------------------- the models themselves


def test_every_route_model_and_its_examples() -> None:
    """Each model's examples (shown by OpenAPI) are answers it takes, and its JSON schema
    forbids fields it does not name (so that the fuzzing flags them)."""
    named = {m for m in ROUTE_MODELS.values() if isinstance(m, type)}
    listed = {m.__args__[0] for m in ROUTE_MODELS.values() if not isinstance(m, type)}
    for model in [*named, *listed, *OTHER_MODELS]:
        schema = model.model_json_schema(mode="serialization")
        assert schema["additionalProperties"] is False, model
        assert schema.get("description"), model
        examples = schema.get("examples")
        assert examples, f"{model.__name__} has no example"
        for example in examples:
            conforms(model, example)
    for name, schema in _model_schemas().items():
        for field, spec in schema.get("properties", {}).items():
            assert spec.get("description"), f"{name}.{field} has no description"


def test_a_drift_fails() -> None:
    answer = {"status": "ok", "release": None, "quads": 1, "pid": 2}
    conforms(models.Health, answer)
    with pytest.raises(ValidationError):
        conforms(models.Health, {**answer, "uptime": 3})  # a field no model names
    with pytest.raises(ValidationError):
        conforms(models.Health, {**answer, "quads": "1"})  # a number as a text
    with pytest.raises(ValidationError):
        conforms(models.Health, {"status": "ok", "release": None, "quads": 1})  # one missing


# ---------------------------------------------------------------- the service


def test_health_graphs_and_queries(app: App, builtin_kg: KnowledgeGraph) -> None:
    health = conforms(models.Health, app.json("/health"))
    assert health.release == builtin_kg.current_release()
    graphs = conforms(models.Graphs, app.json("/graphs"))
    assert graphs.graphs == builtin_kg.named_graphs()
    queries = conforms(models.QueryCatalogue, app.json("/queries"))
    assert {q.name for q in queries.queries} == set(catalogue.catalogue())
    # a parameter with a fixed list has its choices; one without has none in the answer
    body = app.json("/queries")
    params = [p for q in body["queries"] for p in q["parameters"]]
    assert any("choices" in p for p in params)
    assert any("choices" not in p for p in params)


def test_the_example_of_the_query_catalogue_is_the_builtin_one(app: App) -> None:
    """The example OpenAPI shows for ``GET /queries`` is a part of the real answer (its
    server's address aside): its prefixes, and its query as the catalogue describes it."""
    body = app.json("/queries")
    (example,) = models.QueryCatalogue.model_json_schema()["examples"]
    assert example["prefixes"].items() <= body["prefixes"].items()
    served = {q["name"]: q for q in body["queries"]}
    for query in example["queries"]:
        path = query["url"].removeprefix("http://127.0.0.1:8000")
        assert {**query, "url": "http://test" + path} == served[query["name"]]


# ---------------------------------------------------------------- Action Lines


def test_action_lines(app: App, builtin_kg: KnowledgeGraph) -> None:
    body = app.json("/action-lines")
    conforms(models.ActionLines, body)
    assert dumped(shaping.action_lines(rows(builtin_kg, "action-lines"))) == body
    for line in ACTION_LINES:
        one = app.json(f"/action-lines/{line}")
        conforms(models.ActionLine, one)
        found = rows(builtin_kg, "action-lines", action_line=line)
        assert dumped(shaping.action_line(found[0])) == one
        assert one in body


def supporting_work(
    kg: KnowledgeGraph, line: str, kinds: list[str], sectors: list[str], offset: int, limit: int
) -> models.SupportingWork:
    """What the route computes, through the shaper: the same three catalogue calls."""
    answer = rows(kg, "supporting-work", action_line=line, evidence=kinds, sector=sectors)
    cited = rows(kg, "supporting-work-citations", action_line=line, evidence=kinds)
    every = rows(kg, "statements-all-action-lines", evidence=kinds, sector=sectors)
    return shaping.supporting_work(
        line, join_by_link(answer, cited), every, sectors=sectors, offset=offset, limit=limit
    )


@pytest.mark.parametrize("line", ACTION_LINES)
def test_supporting_work_of_every_action_line(
    app: App, builtin_kg: KnowledgeGraph, line: str
) -> None:
    body = app.json(f"/action-lines/{line}/supporting-work", limit=1000)
    conforms(models.SupportingWork, body)
    assert dumped(supporting_work(builtin_kg, line, [], [], 0, 1000)) == body


@pytest.mark.parametrize(
    ("evidence", "sector", "offset", "limit"),
    [
        (["stated"], [], 0, 100),
        (["stated", "inferred"], ["ITU-T"], 3, 5),
        ([], ["ITU", "PP"], 0, 1),
        (["extracted"], [], 1000, 10),  # past the end: an empty page, the total still given
    ],
)
def test_supporting_work_filtered_and_paged(
    app: App,
    builtin_kg: KnowledgeGraph,
    evidence: list[str],
    sector: list[str],
    offset: int,
    limit: int,
) -> None:
    params: dict[str, Any] = {
        "evidence": evidence,
        "sector": sector,
        "offset": offset,
        "limit": limit,
    }
    body = app.json("/action-lines/C5/supporting-work", **params)
    conforms(models.SupportingWork, body)
    assert dumped(supporting_work(builtin_kg, "C5", evidence, sector, offset, limit)) == body


# ---------------------------------------------------------------- SDGs


def test_sdgs(app: App, builtin_kg: KnowledgeGraph) -> None:
    body = app.json("/sdgs")
    conforms(models.Sdgs, body)
    assert dumped(shaping.sdg_summaries(rows(builtin_kg, "sdgs"))) == body
    assert len(body) == 17
    for goal in range(1, 18):
        detail = app.json(f"/sdgs/{goal}")
        conforms(models.SdgDetail, detail)
        assert dumped(shaping.sdg_detail(rows(builtin_kg, "sdg", goal=str(goal)))) == detail


@pytest.mark.parametrize("evidence", [[], ["stated"], ["inferred", "extracted"]])
def test_sdg_action_lines(app: App, builtin_kg: KnowledgeGraph, evidence: list[str]) -> None:
    for goal in ("4", "9", "16", "17"):
        body = app.json(f"/sdgs/{goal}/action-lines", evidence=evidence)
        conforms(models.SdgActionLines, body)
        found = rows(builtin_kg, "sdg-action-lines", goal=goal, evidence=evidence)
        assert dumped(shaping.sdg_action_lines(goal, found)) == body


@pytest.mark.parametrize(
    ("evidence", "source"),
    [([], []), (["stated"], ["matrix"]), (["inferred"], ["resolutions", "curated"])],
)
def test_matrix(
    app: App, builtin_kg: KnowledgeGraph, evidence: list[str], source: list[str]
) -> None:
    body = app.json("/matrix", evidence=evidence, source=source)
    conforms(models.Matrix, body)
    assert any("rolled_up_from" in r for r in body["rows"])  # C7 only: left out elsewhere
    shaped = shaping.matrix(
        rows(builtin_kg, "matrix", evidence=evidence, source=source),
        evidence=evidence or list(shaping.EVIDENCE_ORDER),
        sources=source or list(catalogue.get("matrix").param("source").choices),
        sub_lines=shaping.sub_lines(rows(builtin_kg, "action-lines")),
    )
    assert dumped(shaped) == body


# ---------------------------------------------------------------- ITU-T and resolutions


def test_study_groups(app: App, builtin_kg: KnowledgeGraph) -> None:
    body = app.json("/study-groups")
    conforms(models.StudyGroups, body)
    assert dumped(shaping.study_groups(rows(builtin_kg, "study-groups"))) == body
    period = app.json("/study-groups", period="2022-2024")
    in_period = rows(builtin_kg, "study-groups", period="2022-2024")
    assert dumped(shaping.study_groups(in_period)) == period
    one = app.json("/study-groups/2022-2024/SG17")
    conforms(models.StudyGroup, one)
    assert one in period
    found = rows(builtin_kg, "study-groups", period="2022-2024", group="SG17")
    assert dumped(shaping.study_group(found[0])) == one


@pytest.mark.parametrize("body", [None, "WTSA", "PP", "UNGA"])
def test_resolutions(app: App, builtin_kg: KnowledgeGraph, body: str | None) -> None:
    params: dict[str, Any] = {"body": body} if body else {}
    answer = app.json("/resolutions", **params)
    conforms(models.Resolutions, answer)
    states = _states(builtin_kg, body=body)
    assert dumped(shaping.resolutions(rows(builtin_kg, "resolutions", body=body), states)) == answer


def _states(kg: KnowledgeGraph, **values: str | None) -> dict[str, str]:
    """Each version's state today, as the resolution routes add it (resolution-versions)."""
    return {str(r["version"]): str(r["state"]) for r in rows(kg, "resolution-versions", **values)}


@pytest.mark.parametrize(("body", "number"), [("WTSA", "75"), ("PP", "140"), ("UNGA", "70-125")])
def test_one_resolution_and_its_clauses(
    app: App, builtin_kg: KnowledgeGraph, body: str, number: str
) -> None:
    values = {"body": body, "number": number.replace("-", "/")}
    one = app.json(f"/resolutions/{body}/{number}")
    conforms(models.Resolution, one)
    states = _states(builtin_kg, **values)
    assert dumped(shaping.resolutions(rows(builtin_kg, "resolutions", **values), states)[0]) == one
    clauses = app.json(f"/resolutions/{body}/{number}/clauses")
    conforms(models.ResolutionClauses, clauses)
    found = rows(builtin_kg, "resolution-clauses", **values)
    assert dumped(shaping.resolution_clauses(body, values["number"], found)) == clauses


def test_document_changes(app: App, builtin_kg: KnowledgeGraph) -> None:
    body = app.json(f"/documents/{DOCUMENT}/changes")
    conforms(models.DocumentChanges, body)
    found = rows(builtin_kg, "document-changes", document=DOCUMENT)
    assert dumped(shaping.document_changes(found)) == body


def test_version_changes(app: App, builtin_kg: KnowledgeGraph) -> None:
    from graph import version_diff

    draft = f"2024-new-delhi/proposed-by/{DOCUMENT}"
    body = app.json("/resolutions/WTSA/75/changes", **{"from": "2022-geneva", "to": draft})
    conforms(models.VersionChanges, body)
    versions = rows(builtin_kg, "resolutions", body="WTSA", number="75")
    by_path = {str(r["version"]).removeprefix(f"{r['iri']}/"): r for r in versions}
    new_rows = rows(builtin_kg, "version-clauses", version=str(by_path[draft]["version"]))
    new = version_diff.read_side(str(by_path[draft]["version"]), new_rows)
    base = str(by_path["2022-geneva"]["version"])
    old = version_diff.read_side(base, rows(builtin_kg, "version-clauses", version=base), DOCUMENT)
    assert old is not None
    assert new is not None
    shaped = shaping.version_changes(
        "WTSA",
        "75",
        shaping.version_read("2022-geneva", by_path["2022-geneva"], old),
        shaping.version_read(draft, by_path[draft], new),
        version_diff.compare(old, new),
    )
    assert dumped(shaped) == body


# ---------------------------------------------------------------- search


@pytest.mark.parametrize(
    "params",
    [
        {"q": "cybersecurity"},
        {"q": "information society", "kind": "clause", "limit": 3, "offset": 1},
        {"q": "recognising", "kind": ["section", "title"]},
        {"q": "secur*", "resolution": "WTSA 75"},
        {"q": "zzzznothing"},
    ],
)
def test_search(app: App, builtin_kg: KnowledgeGraph, params: dict[str, Any]) -> None:
    body = app.json("/search", **params)
    conforms(models.SearchAnswer, body)
    kinds = params.get("kind", [])
    result = app.app.state.service.search(
        params["q"],
        limit=params.get("limit", 20),
        offset=params.get("offset", 0),
        kinds=[kinds] if isinstance(kinds, str) else kinds,
        resolution=f"{builtin_kg.ids.resolution('WTSA', '75').value}"
        if "resolution" in params
        else None,
        in_force=versions_in_force(app.app.state.service, today()),  # as of today
    )
    shaped = shaping.search_answer(
        params["q"],
        result,
        offset=params.get("offset", 0),
        limit=params.get("limit", 20),
        as_of=today(),
        labels=version_labels(app.app.state.service),
    )
    assert dumped(shaped) == body


# ---------------------------------------------------------------- writes and errors


def test_uploads_and_updates(writable: tuple[App, KnowledgeGraph]) -> None:
    from tests.test_formats import volume_text

    app, _ = writable
    seen = []
    for name, data, params, status in [
        ("res75-dry.txt", SEED.read_bytes(), {"dry_run": "true"}, 200),
        ("res75.txt", SEED.read_bytes(), {}, 201),
        ("res75.txt", SEED.read_bytes(), {}, 200),  # the same bytes: unchanged
        ("acts.txt", volume_text().encode(), {}, 201),
        ("acts-dry.txt", volume_text().encode(), {"dry_run": "true"}, 200),
    ]:
        files = {"file": (name, data, "application/octet-stream")}
        response = app.request("POST", "/documents", files=files, params=params, headers=AUTH)
        assert response.status_code == status, response.text
        report = conforms(models.UploadReport, response.json())
        seen.append(set(report.model_fields_set))
    assert {"dry_run", "parse"} <= seen[0]
    assert "graph" not in seen[0]
    assert {"graph", "triples", "release", "unchanged"} <= seen[1]
    assert {"graphs", "documents"} <= seen[3]
    update = app.request(
        "POST",
        "/sparql",
        content=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        headers={**AUTH, "Content-Type": "application/sparql-update"},
    )
    assert update.status_code == 200, update.text
    conforms(models.UpdateDone, update.json())
    too_many = app.request("GET", "/sparql", params={"query": "SELECT * { ?s ?p ?o }"})
    assert too_many.status_code == 422, too_many.text
    conforms(models.TooManyRowsAnswer, too_many.json())


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/action-lines/C99", 422),
        ("/action-lines/C5/supporting-work?limit=-1", 422),
        ("/resolutions/WTSA/9999", 404),
        ("/resolutions/WTSA/9999/clauses", 404),
        ("/documents/no-such-document/changes", 404),
        ("/resolutions/WTSA/75/changes?from=2022-geneva&to=2022-geneva", 422),
        ("/resolutions/WTSA/75/changes?from=1999-nowhere&to=2022-geneva", 404),
        ("/resolutions/WTSA/9999/changes?from=a&to=b", 404),
        ("/study-groups/2022-2024/SG99", 404),
        ("/search?q=%22%22", 422),
        ("/search?q=x&kind=poem", 422),
        ("/no/such/route", 404),
        ("/sparql?query=SELEC", 400),
    ],
)
def test_errors(app: App, url: str, status: int) -> None:
    conforms(models.ErrorAnswer, app.json(url, status=status))


# ---------------------------------------------------------------- the OpenAPI document


@pytest.mark.parametrize(
    ("method", "path", "url"),
    [
        ("GET", "/health", "/health"),
        ("GET", "/graphs", "/graphs"),
        ("GET", "/queries", "/queries"),
        ("GET", "/action-lines", "/action-lines"),
        ("GET", "/action-lines", "/action-lines?format=csv"),
        ("GET", "/action-lines/{id}", "/action-lines/C7"),
        ("GET", "/action-lines/{id}/supporting-work", "/action-lines/C5/supporting-work"),
        ("GET", "/sdgs", "/sdgs"),
        ("GET", "/sdgs/{goal}", "/sdgs/9"),
        ("GET", "/sdgs/{goal}/action-lines", "/sdgs/9/action-lines"),
        ("GET", "/matrix", "/matrix"),
        ("GET", "/matrix", "/matrix?format=csv"),
        ("GET", "/study-groups", "/study-groups"),
        ("GET", "/study-groups/{period}/{sg}", "/study-groups/2022-2024/SG17"),
        ("GET", "/resolutions", "/resolutions"),
        ("GET", "/resolutions/{body}/{number}", "/resolutions/UNGA/70-125"),
        ("GET", "/resolutions/{body}/{number}/clauses", "/resolutions/WTSA/75/clauses"),
        ("GET", "/documents/{id}/changes", f"/documents/{DOCUMENT}/changes"),
        ("GET", "/resolutions/{body}/{number}/changes", VERSIONS),
        ("GET", "/resolutions/{body}/{number}/changes", f"{VERSIONS}&format=csv"),
        ("GET", "/search", "/search?q=information%20society"),
        ("GET", "/search", "/search?q=information%20society&format=csv"),
        ("GET", "/mappings", "/mappings"),
    ],
)
def test_the_answers_conform_to_the_document(app: App, method: str, path: str, url: str) -> None:
    """What the schema fuzzing checks, over answers of the built-in data: each answer
    conforms to its operation in the application's own OpenAPI document, which has the
    models (``response_model=``; CSV: documented, not read)."""
    import schemathesis
    from schemathesis.core.transport import Response

    operation = schemathesis.openapi.from_dict(app.app.openapi())[path][method]
    response = app.request(method, url)
    assert response.status_code == 200, response.text[:1000]
    operation.validate_response(Response.from_httpx(response, verify=False))


def _flags(document: dict[str, Any], path: str, response: httpx.Response) -> None:
    """The response conformance check of the fuzzing fails ``response`` (a GET of ``path``)."""
    import schemathesis
    from schemathesis.core.failures import FailureGroup
    from schemathesis.core.transport import Response

    operation = schemathesis.openapi.from_dict(document)[path]["GET"]
    with pytest.raises((AssertionError, FailureGroup)):
        operation.validate_response(Response.from_httpx(response, verify=False))


def test_the_document_flags_a_drift(app: App) -> None:
    """An answer with a field its model does not name fails the check that the fuzzing makes:
    one drifted after it was sent, and one sent by a route that bypasses the model (a
    ``JSONResponse``, which FastAPI sends unchecked) though it declares it."""
    answer = app.request("GET", "/action-lines/C5")
    drifted = httpx.Response(200, json={**answer.json(), "uptime": 1}, request=answer.request)
    drifted.elapsed = answer.elapsed
    _flags(app.app.openapi(), "/action-lines/{id}", drifted)

    demo = FastAPI()

    @demo.get("/action-lines/{id}", response_model=models.ActionLine)
    def unchecked(id: str) -> JSONResponse:
        return JSONResponse({**answer.json(), "uptime": 1})

    sent = App(demo).request("GET", "/action-lines/C5")
    assert sent.json()["uptime"] == 1  # sent as it is: only the document can tell
    _flags(demo.openapi(), "/action-lines/{id}", sent)


def test_the_served_document_shows_every_answer_with_an_example(app: App) -> None:
    """``/openapi.json``: each JSON route's success answer is its model (``response_model=``),
    the model's schema has an example, and a route that takes ``format=csv`` shows CSV too."""
    document = app.json("/openapi.json")
    schemas = document["components"]["schemas"]
    for (method, path), model in ROUTE_MODELS.items():
        operation = document["paths"][path][method.lower()]
        status = "201" if (method, path) == ("POST", "/documents") else "200"
        content = operation["responses"][status]["content"]
        schema = content["application/json"]["schema"]
        if isinstance(model, type):
            name = model.__name__
            assert schema == {"$ref": f"#/components/schemas/{name}"}, path
        else:
            name = model.__args__[0].__name__
            assert schema["items"] == {"$ref": f"#/components/schemas/{name}"}, path
        assert schemas[name]["examples"], name
        assert schemas[name]["additionalProperties"] is False, name
        takes_csv = any(p["name"] == "format" for p in operation.get("parameters", []))
        assert ("text/csv" in content) == takes_csv, path
        if takes_csv:
            assert content["text/csv"] == {"schema": {"type": "string"}}, path


def test_the_sparql_endpoint_documents_its_text_answers(app: App) -> None:
    """``/sparql`` answers CSV, TSV, XML and RDF syntaxes besides JSON: each is documented,
    as text, for GET and POST."""
    document = app.json("/openapi.json")
    for method in ("get", "post"):
        content = document["paths"]["/sparql"][method]["responses"]["200"]["content"]
        for media_type in ("text/csv", "text/tab-separated-values", "text/turtle"):
            assert content[media_type] == {"schema": {"type": "string"}}, (method, media_type)
        assert "application/json" in content


def test_declared_as_response_models_they_document_the_answers_with_examples() -> None:
    """What ``response_model=`` gives, on a small application of its own that answers each
    model's example: the OpenAPI document shows every answer with its fields and example, and
    an answer is sent exactly as given (``response_model_exclude_unset=True``: a field left out
    stays out)."""
    demo = FastAPI()
    examples: dict[str, Any] = {}
    for (_, path), model in ROUTE_MODELS.items():
        item: Any = model if isinstance(model, type) else model.__args__[0]
        example = item.model_json_schema()["examples"][0]
        answer = example if isinstance(model, type) else [example]
        url = "/demo" + path.replace("{", "").replace("}", "")
        examples[url] = answer

        def route(answer: Any = answer) -> Any:
            return answer

        demo.add_api_route(
            url, route, methods=["GET"], response_model=model, response_model_exclude_unset=True
        )
    document = demo.openapi()
    schemas = document["components"]["schemas"]
    for url in examples:
        schema = document["paths"][url]["get"]["responses"]["200"]["content"]["application/json"]
        name = schema["schema"].get("$ref", schema["schema"].get("items", {}).get("$ref", ""))
        assert schemas[name.rsplit("/", 1)[1]]["examples"], url
    client = App(demo)
    for url, answer in examples.items():
        assert client.json(url) == answer, url
