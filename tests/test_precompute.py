"""The matrix is precomputed per release (``# precompute:`` in graph/queries/matrix.rq): any
filtered answer derived from the unfiltered one is, row for row and in order, what the query
gives with the filters bound; the API computes it when it starts and after each write."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from bench.generate import generate_file
from graph import catalogue
from graph.catalogue import CatalogueFileError, parse
from graph.files import load_file
from graph.service import QueryService
from graph.settings import Settings
from graph.store import KnowledgeGraph
from tests.conftest import load_builtin_but_recommendations
from tests.servers import running_server

EVIDENCE = ("stated", "extracted", "inferred")
SOURCES = ("matrix", "resolutions", "curated")


def _subsets(items: tuple[str, ...]) -> list[list[str]]:
    return [list(c) for n in range(len(items) + 1) for c in itertools.combinations(items, n)]


def _every_filter() -> list[dict[str, list[str]]]:
    out = []
    for evidence, sources in itertools.product(_subsets(EVIDENCE), _subsets(SOURCES)):
        values = {}
        if evidence:
            values["evidence"] = evidence
        if sources:
            values["source"] = sources
        out.append(values)
    return out


def _assert_derived_is_bound(kg: KnowledgeGraph) -> None:
    query = catalogue.get("matrix")
    full = catalogue._run(kg, query, {})
    assert any(row["links"] for row in full.rows)
    for values in _every_filter():  # 64 combinations
        bound = catalogue._run(kg, query, values)
        derived = catalogue.derive(query, full, values)
        assert derived.columns == bound.columns
        assert derived.rows == bound.rows, values


def test_derived_answers_are_the_bound_ones_on_the_builtin_data(
    builtin_kg: KnowledgeGraph,
) -> None:
    _assert_derived_is_bound(builtin_kg)


def test_derived_answers_are_the_bound_ones_on_a_generated_graph(tmp_path: Path) -> None:
    # links from every source: the matrix table, resolution clauses, curated tables
    path = tmp_path / "graph.nt"
    generate_file(30_000, path, seed=5)
    kg = KnowledgeGraph.open(tmp_path / "store")
    load_file(kg, path)
    _assert_derived_is_bound(kg)


def test_the_precomputed_answer_is_that_of_the_current_release(tmp_path: Path) -> None:
    kg = KnowledgeGraph.open(tmp_path / "store")
    kg.load_ontology()
    service = QueryService(kg)
    query = catalogue.get("matrix")
    first = catalogue.precomputed(service, query)
    assert catalogue.precomputed(service, query) is first  # once per release
    path = tmp_path / "graph.nt"
    generate_file(12_000, path, seed=1)
    load_file(kg, path)
    second = catalogue.precomputed(service, query)
    assert second is not first
    assert sum(int(row["links"]) for row in second.rows) > sum(
        int(row["links"]) for row in first.rows
    )
    # a filtered answer of the new release comes from it
    answer = catalogue.run(service, "matrix", {"evidence": ["stated"]})
    assert answer.rows == catalogue._run(kg, query, {"evidence": ["stated"]}).rows


def _kept(service: QueryService, name: str) -> dict[str | None, catalogue.Answer]:
    """What the service keeps of query ``name``'s answer: release (and day) -> answer."""
    return {for_: answer for (query, for_), answer in service.precomputed.items() if query == name}


def _wait_for(service: QueryService, release: str | None) -> catalogue.Answer:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        # kept for the release (and the day, for an answer as of today)
        for kept_for, answer in _kept(service, "matrix").items():
            if (kept_for or "").split(" ")[0] == release:
                return answer
        time.sleep(0.05)
    raise AssertionError(f"the matrix was not precomputed for {release} within 60 s")


def test_an_answer_for_today_is_kept_for_its_day_only(tmp_path: Path) -> None:
    """The matrix without as_of is today's: the kept answer names its day, and an answer
    kept for another day is not served (the links of a version that ended at midnight
    would still count)."""
    kg = load_builtin_but_recommendations(KnowledgeGraph.in_memory())
    service = create_app(kg, Settings()).state.service
    query = catalogue.get("matrix")
    answer = catalogue.precomputed(service, query)
    assert len(answer.rows) > 100
    (kept_for,) = _kept(service, "matrix")
    assert kept_for == f"{kg.current_release()} {datetime.now(UTC).date().isoformat()}"
    stale = catalogue.Answer(query, list(answer.columns), [])
    service.precomputed.clear()
    service.precomputed[("matrix", f"{kg.current_release()} 2001-01-01")] = stale
    assert catalogue.precomputed(service, query).rows == answer.rows


LINK = """INSERT DATA { GRAPH <https://example.org/extra> {
  <https://example.org/link/1> a wsis:Link ;
    wsis:subject <https://w3id.org/wsis-kg/id/action-line/C5> ;
    wsis:relation wsis:contributesToSDG ; wsis:object <http://metadata.un.org/sdg/16> ;
    wsis:evidence wsis:Stated .
} }"""


def test_the_app_precomputes_when_it_starts_and_after_each_write(tmp_path: Path) -> None:
    kg = KnowledgeGraph.open(tmp_path / "store")
    path = tmp_path / "graph.nt"
    generate_file(11_000, path, seed=2)
    load_file(kg, path)
    service = create_app(kg, Settings()).state.service  # nobody asks for the matrix
    before = _wait_for(service, kg.current_release())
    release = kg.update("PREFIX wsis: <https://w3id.org/wsis-kg/ontology#>\n" + LINK)
    after = _wait_for(service, release)  # computed again by the write's commit callback
    cell = ("C5", "16", "stated", "other")  # a link with no table row or clause: "other"
    assert cell in [
        (r["action_line"], r["goal"], r.get("evidence"), r.get("source")) for r in after.rows
    ]
    assert cell not in [
        (r["action_line"], r["goal"], r.get("evidence"), r.get("source")) for r in before.rows
    ]


@pytest.mark.slow
def test_the_matrix_route_follows_a_write(store_copy: Path) -> None:
    token = "a-write-token-of-enough-length-0123456789"
    env = {"WSISKG_WRITE_TOKEN": token}
    with running_server(store_copy, env) as base:

        def other_c5_16() -> int:
            answer = httpx.get(f"{base}/matrix", params={"evidence": "stated"}, timeout=60)
            answer.raise_for_status()
            (c5,) = [row for row in answer.json()["rows"] if row["action_line"] == "C5"]
            return int(c5["counts"]["16"])

        first = other_c5_16()
        response = httpx.post(
            f"{base}/sparql",
            content="PREFIX wsis: <https://w3id.org/wsis-kg/ontology#>\n" + LINK,
            headers={
                "Content-Type": "application/sparql-update",
                "Authorization": f"Bearer {token}",
            },
            timeout=60,
        )
        assert response.status_code in (200, 204), response.text
        assert other_c5_16() == first + 1


@pytest.mark.parametrize(
    "line",
    [
        "# precompute: links evidence",  # no "by"
        "# precompute: links by nothing",  # not a parameter
        "# precompute: links by action_line",  # required, not an enum
    ],
)
def test_a_bad_precompute_line_is_refused(line: str) -> None:
    text = (
        "# name: q\n# description: d\n"
        "# param: action_line string required C5 — the code\n"
        "# param: evidence enum:stated,inferred repeatable stated — evidence\n"
        f"{line}\nSELECT ?action_line ?evidence ?links WHERE {{}}\n"
    )
    with pytest.raises(CatalogueFileError, match="precompute"):
        parse(text, "q.rq")


def test_a_burst_of_writes_is_precomputed_once_when_it_pauses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The per-release answers are computed when the service starts, then once the writes
    pause (graph/service.py, PRECOMPUTE_SETTLE): five writes in a row give one computation,
    for the last release, not five."""
    from graph import service as service_module

    monkeypatch.setattr(service_module, "PRECOMPUTE_SETTLE", 3.0)  # far above a tiny write
    computed: list[str | None] = []
    real = catalogue.precompute

    def counting(source: QueryService) -> list[str]:
        computed.append(source.kg.current_release())
        return real(source)

    monkeypatch.setattr(service_module.catalogue, "precompute", counting)
    kg = KnowledgeGraph.in_memory()
    kg.load_ontology()
    service = create_app(kg, Settings()).state.service
    _wait_for(service, kg.current_release())
    assert len(computed) == 1  # when it started
    for n in range(5):
        kg.update(f"INSERT DATA {{ GRAPH <https://example.org/burst> {{ <urn:s> <urn:p> {n} }} }}")
    time.sleep(1.0)
    assert len(computed) == 1  # not while the writes come
    _wait_for(service, kg.current_release())
    assert computed[1:] == [kg.current_release()]  # once, for the last release
