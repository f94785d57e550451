"""The matrix as of a day (issue 17): a link read in a resolution's clause counts while the
clause's version is in force; a link from a table row (the WSIS-SDG Matrix) has no dates.

The data: the built-in sources (but the Recommendations) and two links an analyst's RDF
might add, C5 -> SDG target 3.d, each read in a clause of the seed (the Russian Federation's
proposal to revise WTSA Resolution 75 (Rev. Geneva, 2022)): one in a clause the proposal
keeps from Rev. Geneva, 2022 (in force from the last day of WTSA-20, 9 March 2022), one in a
clause only the proposal has (never in force)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest

from graph import catalogue
from graph.store import KnowledgeGraph
from tests.conftest import load_builtin_but_recommendations
from tests.test_catalogue import Client

WSIS = "https://w3id.org/wsis-kg/ontology#"
C5 = "https://w3id.org/wsis-kg/id/action-line/C5"
TARGET = "http://metadata.un.org/sdg/3.d"
SEED = "000_104f64d2c729d048"


def _seed_clause(kg: KnowledgeGraph, reading: str) -> str:
    answer = kg.query(
        f"""PREFIX wsis: <{WSIS}>
        SELECT ?clause WHERE {{
          ?clause wsis:reading "{reading}" ; wsis:clauseOf+/wsis:sectionOf ?version .
          FILTER(CONTAINS(STR(?version), "{SEED}"))
        }} ORDER BY ?clause LIMIT 1"""
    )
    found = [str(s["clause"].value) for s in answer]  # type: ignore[union-attr]
    assert found, f"the seed has no clause read {reading!r}"
    return found[0]


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    graph = load_builtin_but_recommendations(KnowledgeGraph.in_memory())
    kept = _seed_clause(graph, "both")
    proposed = _seed_clause(graph, "after")
    links = []
    for name, clause in (("kept", kept), ("proposed", proposed)):
        links.append(
            f"<urn:test:link:{name}> a wsis:Link ; wsis:subject <{C5}> ; "
            f"wsis:relation wsis:contributesToSDG ; wsis:object <{TARGET}> ; "
            f"wsis:evidence wsis:Extracted ; wsis:sourceClause <{clause}> ."
        )
    graph.update(
        f"PREFIX wsis: <{WSIS}>\nINSERT DATA {{ GRAPH <urn:test:links> {{ "
        + " ".join(links)
        + " } }"
    )
    return graph


def _count(kg: KnowledgeGraph | Any, as_of: str | None) -> int:
    rows = catalogue.run(kg, "matrix", {"source": "resolutions", "as_of": as_of}).rows
    return sum(
        int(r["links"] or 0)  # type: ignore[arg-type]
        for r in rows
        if (r["action_line"], r["goal"]) == ("C5", "3")
    )


def test_a_link_counts_while_its_clauses_version_is_in_force(kg: KnowledgeGraph) -> None:
    assert _count(kg, "2020-01-01") == 0  # Rev. Geneva, 2022 not yet adopted
    assert _count(kg, "2022-03-08") == 0  # WTSA-20 still meeting
    assert _count(kg, "2022-03-09") == 1  # its last day: the kept clause; the proposal's never
    assert _count(kg, None) == 1  # today
    assert _count(kg, "any") == 1  # one target, counted once: both links name 3.d


def test_the_cell_gives_each_links_dates(kg: KnowledgeGraph) -> None:
    def links(as_of: str | None) -> dict[str, dict[str, Any]]:
        rows = catalogue.run(
            kg,
            "matrix-cell",
            {"action_line": "C5", "goal": "3", "source": "resolutions", "as_of": as_of},
        ).rows
        return {str(r["link"]): r for r in rows}

    today = links(None)
    assert list(today) == ["urn:test:link:kept"]
    assert str(today["urn:test:link:kept"]["in_force_from"]) == "2022-03-09"
    assert links("2021-06-01") == {}
    assert sorted(links("any")) == ["urn:test:link:kept", "urn:test:link:proposed"]


def test_the_matrix_route_takes_a_day(kg: KnowledgeGraph) -> None:
    client = Client(kg)

    def cell(params: dict[str, str]) -> tuple[str, int]:
        response = client.get("/matrix", params={"source": "resolutions", **params})
        assert response.status_code == 200, response.text
        body = response.json()
        row = next(r for r in body["rows"] if r["action_line"] == "C5")
        return body["as_of"], row["counts"]["3"]

    assert cell({"as_of": "2021-06-01"}) == ("2021-06-01", 0)
    assert cell({"as_of": "any"}) == ("any", 1)
    assert cell({}) == (date.today().isoformat(), 1)  # the service's precomputed answer
    bad = client.get("/matrix", params={"as_of": "2021-13-01"})
    assert bad.status_code == 422
    assert "as_of" in bad.text
    # the WSIS-SDG Matrix itself has no dates: its counts are the same on any day since the
    # goals exist (UNGA resolution 70/1, 25 September 2015) ...
    since = client.get("/matrix", params={"source": "matrix", "as_of": "2015-09-25"}).json()
    today = client.get("/matrix", params={"source": "matrix"}).json()
    assert since["rows"] == today["rows"]
    assert sum(r["total"] for r in today["rows"]) > 100
    assert since["sdgs_from"] == "2015-09-25"
    assert "note" not in since
    assert "note" not in today
    # ... and on a day before, no link to a goal can have been in force: every count is 0,
    # and the answer says why, in JSON (the CSV has the zeros)
    before = client.get("/matrix", params={"as_of": "2015-09-24"}).json()
    assert sum(r["total"] for r in before["rows"]) == 0
    assert "resolution 70/1" in before["note"]
    assert "2015-09-25" in before["note"]
    flat = client.get("/matrix", params={"as_of": "2001-01-01", "format": "csv"}).text
    rows = list(csv.DictReader(io.StringIO(flat)))
    assert {r.pop("as_of") for r in rows} == {"2001-01-01"}
    assert {v for r in rows for k, v in r.items() if k != "action_line"} == {"0"}
    assert client.get("/matrix", params={"as_of": "any"}).json().get("note") is None
