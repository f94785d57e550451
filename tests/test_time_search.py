"""Search as of a day (issue 17): only texts in force that day, without it today's; any: all.

The seed is the Russian Federation's proposal to revise WTSA Resolution 75 (Rev. Geneva,
2022): a clause it keeps from Rev. Geneva, 2022 is that version's text, in force from the last
day of WTSA-20 (9 March 2022); a clause only the proposal has is never in force."""

from __future__ import annotations

import re
from typing import Any

import pytest

from graph.clock import today
from graph.store import KnowledgeGraph
from tests.conftest import load_builtin_but_recommendations
from tests.test_catalogue import Client

WSIS = "https://w3id.org/wsis-kg/ontology#"
SEED = "000_104f64d2c729d048"


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return load_builtin_but_recommendations(KnowledgeGraph.in_memory())


@pytest.fixture(scope="module")
def client(kg: KnowledgeGraph) -> Client:
    return Client(kg)


def _clause(kg: KnowledgeGraph, reading: str) -> tuple[str, str]:
    """A clause of the seed read ``reading``, and the longest word of its text."""
    rows = kg.select(
        f"""PREFIX wsis: <{WSIS}>
        SELECT ?clause ?text WHERE {{
          ?clause wsis:reading "{reading}" ; wsis:text ?text .
          FILTER(CONTAINS(STR(?clause), "{SEED}"))
        }} ORDER BY DESC(STRLEN(?text)) LIMIT 1"""
    )
    assert rows, f"the seed has no clause read {reading!r}"
    text = str(rows[0]["text"].value)
    word = max(re.findall(r"[A-Za-z]{4,}", text), key=len)
    return str(rows[0]["clause"].value), word


def _search(client: Client, word: str, as_of: str | None) -> dict[str, Any]:
    params = {"q": word, "document": SEED, "kind": "clause", "limit": 100}
    response = client.get("/search", params={**params, **({"as_of": as_of} if as_of else {})})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _found(body: dict[str, Any]) -> set[str]:
    return {hit["iri"] for hit in body["hits"]}


def test_a_clause_only_the_proposal_has_is_never_in_force(
    kg: KnowledgeGraph, client: Client
) -> None:
    clause, word = _clause(kg, "after")
    now = _search(client, word, None)
    assert now["as_of"] == today()
    assert clause not in _found(now)
    assert now["left_out"] >= 1
    every = _search(client, word, "any")
    assert every["as_of"] == "any"
    assert clause in _found(every)
    assert every["left_out"] == 0
    assert every["total"] == now["total"] + now["left_out"]


def test_a_clause_the_proposal_keeps_is_in_force_with_the_version_it_amends(
    kg: KnowledgeGraph, client: Client
) -> None:
    clause, word = _clause(kg, "both")
    assert clause in _found(_search(client, word, None))
    assert clause in _found(_search(client, word, "2023-01-01"))
    assert clause in _found(_search(client, word, "2022-03-09"))  # WTSA-20's last day
    assert clause not in _found(_search(client, word, "2022-03-08"))
    assert clause not in _found(_search(client, word, "2021-06-01"))
    # the hit says which version it is in force with: the amended one, not the draft
    (hit,) = [h for h in _search(client, word, "2023-01-01")["hits"] if h["iri"] == clause]
    assert "proposed" in hit["version"]["label"]
    assert hit["in_force_with"] == {
        "iri": "https://w3id.org/wsis-kg/id/resolution/wtsa/75/2022-geneva",
        "label": "WTSA Resolution 75 (Rev. Geneva, 2022)",
    }


def test_a_version_title_is_found_while_the_version_is_in_force(client: Client) -> None:
    """PP Resolution 178 (Rev. Guadalajara, 2010): PP-10 closed on 22 October 2010."""

    def titles(as_of: str) -> set[str]:
        response = client.get(
            "/search", params={"q": "Internet", "kind": "title", "as_of": as_of, "limit": 100}
        )
        assert response.status_code == 200, response.text
        return {h["version"]["iri"] for h in response.json()["hits"] if h["version"]}

    version = "https://w3id.org/wsis-kg/id/resolution/pp/178/2010-guadalajara"
    assert version not in titles("2010-01-01")
    assert version in titles("2011-01-01")


def test_a_bad_day_is_a_422_naming_as_of(client: Client) -> None:
    response = client.get("/search", params={"q": "Internet", "as_of": "2023-02-30"})
    assert response.status_code == 422
    assert "as_of" in response.text


def test_a_resolution_is_found_by_its_name_and_number(client: Client) -> None:
    """An analyst types "Resolution 75" or "WTSA 75": the resolution's title comes first."""
    for words in ("Resolution 75", "WTSA 75"):
        body = client.get("/search", params={"q": words}).json()
        assert body["total"] >= 1, words
        first = body["hits"][0]
        assert first["kind"] == "title"
        assert first["snippet"].startswith("WTSA Resolution 75")
        assert first["resolution"]["iri"].endswith("/resolution/wtsa/75")
