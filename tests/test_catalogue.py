"""Named queries (graph/queries/*.rq), the REST routes built on them, and `query --named`."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest

from api.app import create_app
from graph import catalogue
from graph.store import KnowledgeGraph
from graph.values import solution_rows
from tests.conftest import run_cli

# stated specific links to C5 in force today: ITU (2 sources: the two web pages; its role
# read in WTDC Res. 30 (Rev. Dubai, 2014) is dated by that text, superseded in 2017), PP Res.
# 130 and 135, WTSA Res. 51, 52 and 75 (README: six stated works); WTDC Res. 30 is stated in
# its Dubai 2014 text, superseded in 2017 (as_of=any lists both). SG17's lead study group roles
# are no longer stated links to C5: no source read names the line (loaders/data/README.md);
# they are inferred
C5_STATED = 7
SEED = "000_104f64d2c729d048"
INJECTION = 'C5" } ; DROP ALL ; #'


class Client:
    """The application in process, over httpx's ASGI transport (no server, real routing)."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.app = create_app(kg)

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        async def call() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                return await client.get(url, **kwargs)

        return asyncio.run(call())


@pytest.fixture(scope="module")
def client(builtin_kg: KnowledgeGraph) -> Client:
    return Client(builtin_kg)


def _item(items: list[dict[str, Any]], label: str) -> dict[str, Any]:
    matches = [i for i in items if i["label"] == label]
    assert len(matches) == 1, [i["label"] for i in items]
    return matches[0]


# ------------------------------------------------------------------ the catalogue


def test_every_query_file_parses_with_documented_parameters() -> None:
    queries = catalogue.catalogue()
    assert set(queries) >= {
        "action-lines",
        "supporting-work",
        "sdgs",
        "sdg",
        "sdg-action-lines",
        "matrix",
        "study-groups",
        "resolutions",
        "resolution-clauses",
        "document-changes",
    }
    for query in queries.values():
        assert query.description
        for p in query.params:
            assert p.description
            assert p.example
            # a bound variable must be in the SELECT projection (SEP-0007 substitution)
            assert f"?{p.name}" in query.text.split("WHERE", 1)[0], (query.name, p.name)


@pytest.mark.parametrize("name", sorted(catalogue.catalogue()))
def test_every_example_runs_and_gives_rows(builtin_kg: KnowledgeGraph, name: str) -> None:
    query = catalogue.get(name)
    for values in (query.example(), {p.name: p.example for p in query.params}):
        answer = catalogue.run(builtin_kg, name, values)
        # without its parameters the gap query counts any link of any Sector: in the built-in
        # data every line has one, so that answer is empty (and right)
        if name == "gaps-action-lines" and not values:
            assert answer.rows == []
            continue
        assert answer.rows, (name, values)
        assert set().union(*answer.rows) <= set(answer.columns)
        for p in query.params:
            if p.name in values:  # the bound value comes back in its column
                assert {str(r[p.name]) for r in answer.rows} == {values[p.name]}


def test_every_query_runs_standalone_as_written(builtin_kg: KnowledgeGraph) -> None:
    for query in catalogue.catalogue().values():
        result = builtin_kg.query(query.text)  # its own PREFIX lines, nothing predeclared
        assert isinstance(result, ox.QuerySolutions)


def test_parameter_checks() -> None:
    supporting = catalogue.get("supporting-work")
    with pytest.raises(catalogue.ParameterError, match="needs parameter 'action_line'"):
        supporting.bindings({})
    with pytest.raises(catalogue.ParameterError, match="does not match"):
        supporting.bindings({"action_line": "C12"})
    with pytest.raises(catalogue.ParameterError, match="no parameter 'colour'"):
        supporting.bindings({"action_line": "C5", "colour": "red"})
    with pytest.raises(catalogue.ParameterError, match="not one of stated, extracted, inferred"):
        supporting.bindings({"action_line": "C5", "evidence": "rumoured"})
    with pytest.raises(catalogue.ParameterError, match="takes one value"):
        supporting.bindings({"action_line": ["C5", "C6"]})
    # a repeatable parameter runs once per value; an enum is matched in any letter case
    runs = supporting.bindings({"action_line": "C7.e-health", "evidence": ["Stated", "inferred"]})
    assert [r["evidence"] for r in runs] == [ox.Literal("stated"), ox.Literal("inferred")]
    assert catalogue.get("resolutions").param("body").check("wtsa") == "WTSA"
    with pytest.raises(catalogue.UnknownQueryError, match="no named query 'nope'"):
        catalogue.get("nope")


def test_types_and_header_errors() -> None:
    text = (
        "# name: t\n# description: d\n"
        "# param: n integer required 3 — a number\n"
        "# param: r iri optional https://example.org/x — a resource\n"
        "SELECT ?n ?r WHERE { BIND(1 AS ?n) }\n"
    )
    query = catalogue.parse(text, "t.rq")
    assert query.bindings({"n": "42"}) == [
        {"n": ox.Literal("42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))}
    ]
    with pytest.raises(catalogue.ParameterError, match="not an integer"):
        query.bindings({"n": "4 2"})
    with pytest.raises(catalogue.ParameterError, match="not an http"):
        query.bindings({"n": "1", "r": "javascript:alert(1)"})
    with pytest.raises(catalogue.ParameterError, match="bad IRI"):
        query.bindings({"n": "1", "r": "https://example.org/a b>"})
    for broken, message in (
        (text.replace("# name: t", "# name: u"), "does not match the file name"),
        (text.replace("integer required 3", "integer required x"), "example does not pass"),
        (text.replace("integer", "float"), "unknown type"),
        (text.replace(" — a number", ""), "bad param line"),
        (text.replace("# description: d\n", ""), "description"),
    ):
        with pytest.raises(catalogue.CatalogueFileError, match=message):
            catalogue.parse(broken, "t.rq")


def test_a_day_takes_one_day_and_a_date_also_any() -> None:
    """A ``day`` parameter is one day (an answer of one day: a state, an edition in force):
    "any" is refused with the parameter's name; a ``date`` takes "any" (whatever the dates)."""
    text = (
        "# name: t\n# description: d\n"
        "# param: on day optional 2013-01-01 — a day\n"
        "# param: since date optional 2013-01-01 — a day, or any\n"
        "SELECT ?on ?since WHERE { BIND(1 AS ?x) }\n"
    )
    query = catalogue.parse(text, "t.rq")
    xsd_date = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
    assert query.bindings({"on": "2013-01-01", "since": "2013-01-01"}) == [
        {"on": ox.Literal("2013-01-01", datatype=xsd_date),
         "since": ox.Literal("2013-01-01", datatype=xsd_date)}
    ]  # fmt: skip
    assert query.bindings({"since": "any"}) == [{"since": ox.Literal("any")}]
    assert query.bindings({"since": "ANY"}) == [{"since": ox.Literal("any")}]
    for value in ("any", "Any"):
        with pytest.raises(catalogue.ParameterError, match=r"parameter 'on': .*not 'any'"):
            query.bindings({"on": value})
    with pytest.raises(catalogue.ParameterError, match="parameter 'on': '2013-02-30' is not a day"):
        query.bindings({"on": "2013-02-30"})
    with pytest.raises(catalogue.CatalogueFileError, match="example does not pass"):
        catalogue.parse(text.replace("on day optional 2013-01-01", "on day optional any"), "t.rq")
    # the named queries whose answer is of one day take a day, not any
    for name in ("resolution-versions", "recommendations-in-force"):
        assert catalogue.get(name).param("as_of").type == "day"
        with pytest.raises(catalogue.ParameterError, match="'as_of'"):
            catalogue.get(name).param("as_of").check("any")
    assert catalogue.get("supporting-work").param("as_of").check("any") == "any"


def test_a_value_with_sparql_syntax_is_bound_never_spliced(builtin_kg: KnowledgeGraph) -> None:
    # with a pattern, it is refused ...
    with pytest.raises(catalogue.ParameterError):
        catalogue.run(builtin_kg, "supporting-work", {"action_line": INJECTION})
    # ... and without one, it is a literal like any other: it matches nothing, drops nothing
    query = catalogue.parse(
        "# name: q\n# description: d\n# param: code string required C5 — a notation\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT ?code ?s WHERE { ?s skos:notation ?code }\n",
        "q.rq",
    )
    before = len(builtin_kg)
    (bindings,) = query.bindings({"code": INJECTION})
    rows = builtin_kg.select(query.text, bindings)
    assert rows == []
    assert len(builtin_kg) == before
    (bindings,) = query.bindings({"code": "C5"})
    assert len(builtin_kg.select(query.text, bindings)) >= 1


# ------------------------------------------------------------------ the routes


def test_supporting_work_for_c5_lists_each_work_once_with_its_sources(client: Client) -> None:
    response = client.get("/action-lines/C5/supporting-work", params={"limit": 1000})
    assert response.status_code == 200
    body = response.json()
    assert body["evidence"] == ["stated", "extracted", "inferred"]
    items = body["items"]
    assert body["total"] == len(items) == len({i["iri"] for i in items})
    # the proposal's clause is a source of Resolution 75, beside the stated 2022 text
    res75 = _item(items, "WTSA Resolution 75")
    assert (res75["evidence"], res75["sector"], res75["type"]) == ("stated", "ITU-T", "resolution")
    (clause,) = [s for s in res75["sources"] if s["evidence"] == "extracted"]
    assert clause["via"]["label"] == "recognising a)"
    assert clause["quotation"] == "C5 (Building confidence and security in the use of ICTs)"
    assert clause["document"]["iri"].endswith(f"/document/{SEED}")
    assert clause["relation"].endswith("#moderatorFacilitatorOf")
    res52 = _item(items, "WTSA Resolution 52")
    assert res52["evidence"] == "stated"
    (source,) = res52["sources"]
    assert source["document_symbol"] == "WTSA Resolution 52 (Rev. Dubai, 2012)"
    assert source["locator"] == "recognizing c)"
    assert source["via"]["label"] == "WTSA Resolution 52 (Rev. Dubai, 2012)"
    assert source["mirrors"] == [
        "https://internetdistinction.com/wsisimpacts/wsis/wtsa/wtsa-2012/wtsa_52/"
    ]
    # the Union's role is the Union's
    itu = _item(items, "International Telecommunication Union (ITU)")
    assert itu["sector"] == "ITU"
    # inferred Recommendations name their rule
    x1205 = _item(items, "ITU-T X.1205")
    assert x1205["evidence"] == "inferred"
    assert x1205["sources"][0]["rule"]["label"].startswith("rule x-security-1000")
    # stated first, then extracted, then inferred
    ranks = [("stated", "extracted", "inferred").index(i["evidence"]) for i in items]
    assert ranks == sorted(ranks)
    # statements about all Action Lines are apart, never among the items
    general = {i["label"] for i in body["all_action_lines"]}
    assert "ITU Telecommunication Standardization Sector (ITU-T)" in general
    general_links = {s["link"] for i in body["all_action_lines"] for s in i["sources"]}
    assert not general_links & {s["link"] for i in items for s in i["sources"]}


def test_supporting_work_sector_filter(client: Client) -> None:
    itu_t = client.get("/action-lines/C5/supporting-work?evidence=stated&sector=ITU-T").json()
    assert itu_t["sector"] == ["ITU-T"]
    assert {i["sector"] for i in itu_t["items"]} == {"ITU-T"}
    assert {i["label"] for i in itu_t["items"]} == {
        "WTSA Resolution 51",
        "WTSA Resolution 52",
        "WTSA Resolution 75",
    }
    lower = client.get("/action-lines/C5/supporting-work?evidence=stated&sector=itu-t").json()
    assert lower["items"] == itu_t["items"]
    two = client.get("/action-lines/C5/supporting-work?evidence=stated&sector=ITU-D,PP").json()
    # today: WTDC Resolution 30 is stated in its Dubai 2014 text, superseded by Buenos Aires
    # 2017 (assemblies.csv, resolution_versions.csv); PP 130 and 135: their meetings have
    # dates and no later version is recorded
    assert {i["label"] for i in two["items"]} == {"PP Resolution 130", "PP Resolution 135"}
    ever = client.get(
        "/action-lines/C5/supporting-work?evidence=stated&sector=ITU-D,PP&as_of=any"
    ).json()
    assert {i["label"] for i in ever["items"]} == {
        "WTDC Resolution 30",
        "PP Resolution 130",
        "PP Resolution 135",
    }
    then = client.get(
        "/action-lines/C5/supporting-work?evidence=stated&sector=ITU-D&as_of=2015-06-01"
    ).json()
    assert {i["label"] for i in then["items"]} == {"WTDC Resolution 30"}
    assert client.get("/action-lines/C5/supporting-work?sector=ITU-X").status_code == 422


def test_supporting_work_evidence_filter_and_paging(client: Client) -> None:
    stated = client.get("/action-lines/C5/supporting-work?evidence=stated").json()
    assert stated["evidence"] == ["stated"]
    assert {i["evidence"] for i in stated["items"]} == {"stated"}
    assert sum(len(i["sources"]) for i in stated["items"]) == C5_STATED
    labels = {i["label"] for i in stated["items"]}
    assert "WTSA Resolution 52" in labels
    sources = [s for i in stated["items"] for s in i["sources"]]
    assert {s["evidence"] for s in sources} == {"stated"}
    both = client.get("/action-lines/C5/supporting-work?evidence=stated,extracted").json()
    repeated = client.get(
        "/action-lines/C5/supporting-work?evidence=stated&evidence=extracted"
    ).json()
    assert both == repeated
    both_sources = {s["evidence"] for i in both["items"] for s in i["sources"]}
    assert both_sources == {"stated", "extracted"}
    page = client.get("/action-lines/C5/supporting-work?limit=5&offset=5").json()
    everything = client.get("/action-lines/C5/supporting-work?limit=1000").json()
    assert page["items"] == everything["items"][5:10]
    assert page["total"] == everything["total"] > 300
    default = client.get("/action-lines/C5/supporting-work").json()
    assert len(default["items"]) == 100
    assert client.get("/action-lines/C5/supporting-work?evidence=rumoured").status_code == 422


def test_errors_are_json(client: Client) -> None:
    unknown = client.get("/action-lines/C7.e-nothing/supporting-work")
    assert unknown.status_code == 404
    assert unknown.json() == {"error": "no Action Line C7.e-nothing"}
    assert client.get("/action-lines/C7.e-nothing").status_code == 404
    for bad in ("C12", "X5", "c5"):
        response = client.get(f"/action-lines/{bad}/supporting-work")
        assert response.status_code == 422
        assert "does not match" in response.json()["error"]
    injected = client.get(f"/action-lines/{INJECTION}/supporting-work")
    assert injected.status_code in (404, 422)
    assert "error" in injected.json()
    assert client.get("/sdgs/18").status_code == 422
    assert client.get("/study-groups/2025-2028/SG99").status_code == 404
    assert client.get("/resolutions/wtsa/9999").status_code == 404
    assert client.get("/resolutions/xyz/75").status_code == 422
    assert client.get("/documents/nothing-here/changes").status_code == 404


def test_a_c7_sub_line(client: Client) -> None:
    line = client.get("/action-lines/C7.e-health").json()
    assert line["parent"] == "C7"
    assert line["lead_facilitators"] == ["WHO"]
    work = client.get("/action-lines/C7.e-health/supporting-work?limit=1000").json()
    assert work["total"] == 87
    stated = {(i["label"], i["sector"]) for i in work["items"] if i["evidence"] == "stated"}
    assert stated == {
        ("World Health Organization (WHO)", "WHO"),  # its lead facilitator
        ("International Telecommunication Union (ITU)", "ITU"),  # a co-facilitator
    }
    # SG16's lead role on e-health (WTSA-04) names the topic, not the line: inferred, and of
    # 2005-2008: listed as SG16 of that period as of a day in it (not as SG21, which today
    # continues SG16's work), and not today
    then = client.get(
        "/action-lines/C7.e-health/supporting-work?limit=1000&as_of=2006-01-01"
    ).json()
    sg = [i for i in then["items"] if i["label"].startswith("ITU-T SG16 (2005-2008)")]
    assert [i["evidence"] for i in sg] == ["inferred"]
    assert sg[0]["iri"].endswith("/study-group/2005-2008/SG16")
    assert not [i for i in then["items"] if "SG21" in i["label"]]
    inferred = [i for i in work["items"] if i["evidence"] == "inferred"]
    assert len(inferred) == 85
    assert all(i["label"].startswith("ITU-T H.8") for i in inferred)


def test_action_lines_list(client: Client) -> None:
    lines = client.get("/action-lines").json()
    assert [line["id"] for line in lines][:3] == ["C1", "C2", "C3"]
    assert len(lines) == 19
    c7 = next(line for line in lines if line["id"] == "C7")
    assert len(c7["sub_lines"]) == 8
    table = list(csv.DictReader(io.StringIO(client.get("/action-lines?format=csv").text)))
    assert [r["action_line"] for r in table] == [line["id"] for line in lines]


def test_sdgs(client: Client) -> None:
    goals = client.get("/sdgs").json()
    assert [g["goal"] for g in goals] == [str(n) for n in range(1, 18)]
    nine = client.get("/sdgs/9").json()
    assert nine["short_title"] == "Industry, innovation and infrastructure"
    assert [t["id"] for t in nine["targets"]] == [
        "9.1", "9.2", "9.3", "9.4", "9.5", "9.a", "9.b", "9.c"
    ]  # fmt: skip
    target_c = nine["targets"][-1]
    assert [i["id"] for i in target_c["indicators"]] == ["9.c.1"]
    lines = client.get("/sdgs/9/action-lines").json()["action_lines"]
    by_line = {entry["action_line"]: entry["sdgs"] for entry in lines}
    # README: the targets of SDG 9 and their Action Lines
    assert by_line["C5"] == ["9.1", "9.c"]
    assert by_line["C2"] == ["9.1", "9.a", "9.c"]


def test_matrix_json_and_csv(client: Client) -> None:
    matrix = client.get("/matrix").json()
    assert matrix["goals"] == [str(n) for n in range(1, 18)]
    c5 = next(r for r in matrix["rows"] if r["action_line"] == "C5")
    assert c5["counts"]["9"] == 2  # 9.1 and 9.c
    assert c5["total"] == sum(c5["counts"].values()) > 0
    assert len(matrix["rows"]) == 19
    as_csv = client.get("/matrix", headers={"Accept": "text/csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    c5_csv = next(r for r in rows if r["action_line"] == "C5")
    assert {k: int(v) for k, v in c5_csv.items() if k not in ("action_line", "as_of")} == (
        c5["counts"]
    )
    assert {r["as_of"] for r in rows} == {matrix["as_of"]}
    inferred = client.get("/matrix?evidence=inferred").json()
    assert all(r["total"] == 0 for r in inferred["rows"])  # the Matrix is all stated


def test_study_groups(client: Client) -> None:
    groups = client.get("/study-groups?period=2022-2024").json()
    assert {g["period"] for g in groups} == {"2022-2024"}
    sg16 = next(g for g in groups if g["group"] == "SG16")
    assert sg16["successors"] == ["2025-2028/SG21"]
    sg17 = client.get("/study-groups/2025-2028/SG17").json()
    assert sg17["title"] == "Security"
    assert sg17["predecessors"] == ["2022-2024/SG17"]
    assert client.get("/study-groups?period=20252028").status_code == 422


def test_resolutions_and_clauses(client: Client) -> None:
    everything = client.get("/resolutions").json()
    assert any(r["body"] == "WTSA" and r["number"] == "75" for r in everything)
    assert {r["body"] for r in client.get("/resolutions?body=pp").json()} == {"PP"}
    r75 = client.get("/resolutions/wtsa/75").json()
    assert r75["title"].startswith("ITU Telecommunication Standardization Sector's contribution")
    years = [v["year"] for v in r75["versions"]]
    assert {2008, 2012, 2016, 2022, 2024} <= set(years)
    assert [v["draft"] for v in r75["versions"]].count(True) == 1
    assert client.get("/resolutions/unga/70-1").json()["number"] == "70/1"
    clauses = client.get("/resolutions/WTSA/75/clauses").json()
    (version,) = clauses["versions"]
    assert version["iri"].endswith(f"/proposed-by/{SEED}")
    recognising = next(s for s in version["sections"] if s["heading"] == "recognising")
    assert "recognising a)" in [c["label"] for c in recognising["clauses"]]
    assert sum(len(s["clauses"]) for s in version["sections"]) == 61
    # a resolution without a loaded text has no versions with sections
    assert client.get("/resolutions/wtsa/52/clauses").json()["versions"] == []


def test_document_changes(client: Client) -> None:
    response = client.get(f"/documents/{SEED}/changes")
    assert response.status_code == 200
    changes = response.json()
    # README: 3 added, 4 deleted, 10 likely deleted, 11 modified, 3 moved, 30 undetermined
    assert changes["counts"] == {
        "added": 3, "deleted": 4, "likely deleted": 10, "modified": 11, "moved": 3,
        "undetermined": 30,
    }  # fmt: skip
    assert len(changes["clauses"]) == 61
    a = next(c for c in changes["clauses"] if c["label"] == "recognising a)")
    assert (a["status"], a["previous_label"], a["label_as_written"]) == ("moved", "g)", "ga)")
    assert (a["section"], a["previous_section"]) == ("recognising", "consideringrecalling")
    viii = next(c for c in changes["clauses"] if c["label"] == "consideringrecalling viii)")
    assert viii["status"] == "likely deleted"
    assert "';:'" in viii["status_cues"]
    assert "Rev. Bucharest, 2022" in viii["status_cues"]
    as_csv = client.get(f"/documents/{SEED}/changes?format=csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert len(rows) == 61
    assert sum(r["status"] == "deleted" for r in rows) == 4


def test_supporting_work_csv_is_one_line_per_source(client: Client) -> None:
    response = client.get(
        "/action-lines/C5/supporting-work?evidence=stated", headers={"Accept": "text/csv"}
    )
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == C5_STATED
    assert {r["evidence"] for r in rows} == {"stated"}
    assert "itu-action-line-links row 29" in {r["source_row_label"] for r in rows}
    assert {r["scope"] for r in rows} == {"specific"}


def test_openapi_documents_every_parameter(client: Client) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/action-lines/{id}/supporting-work",
        "/sdgs/{goal}",
        "/matrix",
        "/study-groups/{period}/{sg}",
        "/resolutions/{body}/{number}/clauses",
        "/resolutions/{body}/{number}/changes",
        "/documents/{id}/changes",
    ):
        for param in spec["paths"][path]["get"]["parameters"]:
            assert param.get("description"), (path, param["name"])
            assert param.get("examples") or param["schema"].get("examples"), (path, param["name"])


# ------------------------------------------------------------------ the command line


def test_cli_named_query(loaded_store: Path) -> None:
    result = run_cli(
        "query",
        "--named",
        "supporting-work",
        "--param",
        "action_line=C5",
        "--param",
        "evidence=stated",
        "--format",
        "csv",
        store=loaded_store,
        check=True,
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == C5_STATED
    assert "WTSA Resolution 52" in {r["work_label"] for r in rows}
    as_json = run_cli(
        "query", "--named", "sdgs", "-p", "goal=9", "--format", "json", store=loaded_store
    )
    assert json.loads(as_json.stdout)[0]["short_title"] == "Industry, innovation and infrastructure"
    listing = run_cli("query", "--list-named", store=loaded_store, check=True)
    for name in catalogue.catalogue():
        assert f"{name}: " in listing.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--named", "nope"), "no named query 'nope'"),
        (("--named", "supporting-work"), "needs parameter 'action_line'"),
        (("--named", "supporting-work", "-p", f"action_line={INJECTION}"), "does not match"),
        (("--named", "sdgs", "-p", "goal"), "expected key=value"),
        (("SELECT * WHERE {}", "--named", "sdgs"), "only one of them"),
    ],
)
def test_cli_named_query_errors(loaded_store: Path, args: tuple[str, ...], message: str) -> None:
    result = run_cli("query", *args, store=loaded_store)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


# several values of each repeatable choice (two evidence kinds, three Sectors ...): each query
# is asked them at once, and run once per combination as the reference
_SEVERAL = {
    "evidence": ["stated", "inferred"],
    "sector": ["ITU-T", "itu", "PP"],  # any letter case
    "source": ["matrix", "resolutions", "curated"],
    "set": ["action-line-sdg", "work-action-line", "clause"],
}


@pytest.mark.parametrize(
    "name",
    sorted(
        q.name
        for q in catalogue.catalogue().values()
        if any(p.type == "enum" and p.repeatable for p in q.params)
    ),
)
def test_several_choices_give_what_a_run_per_combination_gives(
    builtin_kg: KnowledgeGraph, name: str
) -> None:
    """A repeatable choice given several values (an Apply of the dashboard's checkboxes sends
    every one ticked) is answered as one run per combination of the values would answer it,
    row for row and in that order: the rows of each run in turn, without duplicates."""
    query = catalogue.get(name)
    values: dict[str, str | list[str]] = dict(query.example())
    values |= {p.name: _SEVERAL[p.name] for p in query.params if p.name in _SEVERAL}
    expected: list[dict[str, Any]] = []
    for bindings in query.bindings(values):
        result = builtin_kg.query(query.text, bindings)
        assert isinstance(result, ox.QuerySolutions)
        for row in solution_rows(result)[1]:
            if row not in expected:
                expected.append(row)
    answer = catalogue.run(builtin_kg, name, values)
    assert answer.rows == expected
    assert expected, values  # rows to compare
    if name in ("supporting-work", "mappings"):  # rows of more than one value of a choice
        several = [p.name for p in query.params if p.name in _SEVERAL]
        assert any(len({r.get(n) for r in expected}) > 1 for n in several), values


def test_several_sectors_of_suggestions_give_what_a_run_per_sector_gives(
    builtin_kg: KnowledgeGraph,
) -> None:
    """The dashboard asks the suggestions (their own query) for every ticked Sector at once:
    the rows of one ask per Sector, in turn; with stated links too, all the stated rows come
    before the suggestions, as one ask per Sector of each would give them."""
    sectors = ["ITU-T", "ITU", "PP"]
    base = {"action_line": "C5", "as_of": "any"}
    for evidence in (["suggested"], ["stated", "suggested"]):
        expected: list[dict[str, Any]] = []
        for kinds in ([e] for e in evidence):
            for sector in sectors:
                values = {**base, "evidence": kinds, "sector": sector}
                for row in catalogue.run(builtin_kg, "supporting-work", values).rows:
                    if row not in expected:
                        expected.append(row)
        values = {**base, "evidence": evidence, "sector": sectors}
        rows = catalogue.run(builtin_kg, "supporting-work", values).rows
        assert rows == expected, evidence
        assert {r["evidence"] for r in rows} == set(evidence)
        if "stated" in evidence:  # (the suggestions of C5 are all of ITU-T work)
            assert len({r["sector"] for r in rows}) > 1
