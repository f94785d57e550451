"""Suggestions never mixed into stated answers (issue 16), on the built-in data as `wsiskg
load` stores it: every named query gives, without ``evidence=suggested``, exactly the rows it
gives on the same data with every suggestion taken out (what it gave before suggestions were
stored); with it, the suggestions, each with its score, method and words."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from api.app import create_app
from graph import catalogue
from graph.store import KnowledgeGraph

pytestmark = pytest.mark.slow

# the values each query is asked with, beside its example: Action Lines and cells with many
# suggestions (a main line and a sub-line; C1 and C3 were asked too until 2026-12-07: the
# suggestions are kept out by the same lines of each query whatever the line), and every
# evidence filter
VALUES: dict[str, list[dict[str, str | list[str]]]] = {
    "supporting-work": [{"action_line": line, "as_of": "any"} for line in ("C5", "C7.e-health")],
    "matrix-cell": [
        {"action_line": line, "goal": goal, "as_of": "any"}
        for line, goal in (("C5", "16"), ("C7", "3"))
    ],
    "matrix": [{"as_of": "any"}],
    # (without a weakest, inferred: the example's answer)
    "gaps-action-lines": [{"weakest": "stated"}],
    # (without a weakest, inferred: the example's answer; 4-5 s a run)
    "gaps-sdg-targets": [{"weakest": "stated"}],
    "mappings": [{"set": "clause"}, {"evidence": ["stated", "extracted", "inferred"]}],
}

STRIP = """
PREFIX wsis: <https://w3id.org/wsis-kg/ontology#>
DELETE { GRAPH ?g { ?link ?p ?o } } WHERE {
  { SELECT DISTINCT ?link WHERE { GRAPH ?in { ?link wsis:evidence wsis:Suggested } } }
  GRAPH ?g { ?link ?p ?o }
} ;
DELETE { GRAPH ?g { ?s ?p ?o } } WHERE {
  VALUES ?p { wsis:suggestedActionLine wsis:suggestedSDG } GRAPH ?g { ?s ?p ?o }
}
"""


@pytest.fixture(scope="module")
def graphs(
    loaded_store: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[KnowledgeGraph, KnowledgeGraph]:
    """The built-in store, and a copy of it with every suggestion taken out."""
    folder = tmp_path_factory.mktemp("suggestions")
    with_them, without = folder / "with", folder / "without"
    shutil.copytree(loaded_store, with_them)
    shutil.copytree(loaded_store, without)
    stripped = ox.Store(str(without))
    stripped.update(STRIP)
    stripped.flush()
    del stripped
    return KnowledgeGraph.open(with_them), KnowledgeGraph.open(without)


def _asks() -> Iterator[tuple[str, dict[str, str | list[str]]]]:
    for name, query in sorted(catalogue.catalogue().items()):
        if name.endswith("-suggested"):  # the suggestions' own queries
            continue
        yield name, dict(query.example())
        for values in VALUES.get(name, []):
            yield name, values


def test_the_built_in_data_has_suggestions(graphs: tuple[KnowledgeGraph, KnowledgeGraph]) -> None:
    kg, stripped = graphs
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?link wsis:evidence wsis:Suggested }"
    (found,) = list(kg.query(count, with_prefixes=True))  # type: ignore[arg-type]
    assert int(found["n"].value) > 3000  # the Recommendations' titles and the seed's clauses
    (left,) = list(stripped.query(count, with_prefixes=True))  # type: ignore[arg-type]
    assert int(left["n"].value) == 0


def test_no_answer_changes_unless_suggestions_are_asked_for(
    graphs: tuple[KnowledgeGraph, KnowledgeGraph],
) -> None:
    kg, stripped = graphs
    for name, values in _asks():
        assert catalogue.run(kg, name, values).rows == catalogue.run(stripped, name, values).rows, (
            name,
            values,
        )


def test_supporting_work_gives_the_suggestions_when_asked(
    graphs: tuple[KnowledgeGraph, KnowledgeGraph],
) -> None:
    kg, _ = graphs
    values = {"action_line": "C5", "as_of": "any"}
    rows = catalogue.run(kg, "supporting-work", {**values, "evidence": "suggested"}).rows
    assert len(rows) > 50
    for row in rows:
        assert row["evidence"] == "suggested"
        assert row["relation"] == "https://w3id.org/wsis-kg/ontology#suggestedActionLine"
        assert row["method"] == "fusion"
        assert "bm25s" in str(row["method_version"])
        assert float(row["score"]) > 0
    assert all(row.get("words") for row in rows[:10])
    # a Recommendation on security among them, and a stated filter still gives no suggestion
    assert any("X." in str(row.get("work_label", "")) for row in rows)
    both = catalogue.run(kg, "supporting-work", {**values, "evidence": ["stated", "suggested"]})
    kinds = {row["evidence"] for row in both.rows}
    assert kinds == {"stated", "suggested"}


def test_a_matrix_cell_and_the_mappings_give_suggestions_when_asked(
    graphs: tuple[KnowledgeGraph, KnowledgeGraph],
) -> None:
    kg, _ = graphs
    cell = catalogue.run(
        kg,
        "matrix-cell",
        {"action_line": "C5", "goal": "16", "as_of": "any", "evidence": "suggested"},
    ).rows
    assert cell
    for row in cell:
        assert row["evidence"] == "suggested"
        assert row["suggested_for"]
        # what the dashboard's cell prints for it ("ITU-T X.1365"), not its IRI
        assert row["suggested_for_label"]
        assert "://" not in str(row["suggested_for_label"])
        assert str(row["target"]).split(".")[0] == "16"
        assert "score" in row
    sets = catalogue.run(kg, "mappings-suggested", {}).rows
    assert len(sets) > 3000
    assert {(row["set"], row["evidence"]) for row in sets} == {("suggested", "suggested")}
    assert all(row["evidence"] != "suggested" for row in catalogue.run(kg, "mappings", {}).rows)


def _get(kg: KnowledgeGraph, url: str) -> httpx.Response:
    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(kg))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get(url, timeout=120)

    return asyncio.run(call())


def test_the_route_gives_suggestions_with_their_score_and_words_only_when_asked(
    graphs: tuple[KnowledgeGraph, KnowledgeGraph],
) -> None:
    kg, _ = graphs
    route = "/action-lines/C5/supporting-work?as_of=any&limit=500"
    plain = _get(kg, route).json()
    kinds = {s["evidence"] for item in plain["items"] for s in item["sources"]}
    assert "suggested" not in kinds
    assert all("score" not in s for item in plain["items"] for s in item["sources"])
    asked = _get(kg, route + "&evidence=suggested")
    assert asked.status_code == 200, asked.text
    sources = [s for item in asked.json()["items"] for s in item["sources"]]
    assert sources
    for source in sources:
        assert source["evidence"] == "suggested"
        assert source["score"] > 0
        assert source["method"] == "fusion"
        assert "wordllama" in source["method_version"]
        assert 0 < source["similarity"] <= 1
        assert source["confidence"] == "low"  # every suggestion's grade, said on each
        # what the guess was made from, for the analyst to check it: a clause's text, or
        # the title of a Recommendation's edition in force
        assert source["quotation"]
    assert len({s["similarity"] for s in sources}) > 1  # it tells suggestions apart
    assert any("security" in (s.get("words") or "").split() for s in sources)
    titles = {i["label"]: i["sources"][0]["quotation"] for i in asked.json()["items"]}
    assert titles["ITU-T E.409"].startswith("Incident organization and security incident")
    refused = _get(kg, "/sdgs/9/action-lines?evidence=suggested")
    assert refused.status_code == 422  # the Matrix's links have no suggestions to offer
    # asked with other evidence, a suggestion is an item of its own, never a source of an
    # item that sources state or rules derive: those items are the ones asked without it
    # (WTSA Resolution 75 states C5 and is suggested for it by some of its clauses)
    every = (
        "/action-lines/C5/supporting-work?as_of=any&limit=1000&evidence=stated,extracted,inferred"
    )
    others = _get(kg, every).json()
    both = _get(kg, every + ",suggested").json()
    assert both["total"] <= 1000  # every item on the page
    assert [i for i in both["items"] if i["evidence"] != "suggested"] == others["items"]
    suggested = [i for i in both["items"] if i["evidence"] == "suggested"]
    assert suggested == asked.json()["items"]
    assert both["total"] == others["total"] + asked.json()["total"]
    assert all(s["evidence"] == "suggested" for i in suggested for s in i["sources"])
    assert both["items"][-len(suggested) :] == suggested  # after the others
    assert {i["iri"] for i in suggested} & {i["iri"] for i in others["items"]}
