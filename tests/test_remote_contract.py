"""One contract, every store: the embedded Oxigraph store and real SPARQL servers behind the
same KnowledgeGraph. Each backend loads the reference data and the seed, replaces a graph,
fails a load half-way (in the loader, and inside the server's transaction), runs every named
query, and must give the answers of an in-memory embedded store that went through the same
steps.

Backends: ``embedded`` (an on-disk store) and ``oxigraph-server`` (a real `oxigraph serve`,
always: it fails, never skips, without the binary). Virtuoso, which cannot keep this contract,
has its own opt-in module that pins down how it deviates (tests/test_remote_virtuoso.py).
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import catalogue
from graph.builtin import BUILTIN_SOURCES
from graph.connect import remote_graph
from graph.endpoints import Endpoints
from graph.service import QueryService
from graph.store import KnowledgeGraph, StoreError
from loaders.errors import TableError
from loaders.rdf import LoadResult
from loaders.reference import load_sdg_goals, load_sdg_targets
from ontology import sparql_prefixes
from tests.servers import oxigraph_server

P = sparql_prefixes()
BACKENDS = ["embedded", "oxigraph-server"]
# the bulk of the built-in data (296k triples); the contract loads the rest
LEFT_OUT = "itut-recommendations"


def reference_data(kg: KnowledgeGraph) -> list[LoadResult]:
    """The ontology, the reference tables and the seed document: one batch."""
    return [
        kg.ontology_load(),
        *(s.load(kg.ids, s.path) for s in BUILTIN_SOURCES if s.name != LEFT_OUT),
    ]


def concatenated(text: str) -> dict[str, str]:
    """The columns of a query made by GROUP_CONCAT, with their separators: SPARQL leaves the
    order of the parts open (two stores may differ), so they are compared as sets."""
    found: dict[str, str] = {}
    for match in re.finditer(r"GROUP_CONCAT\((.*?)\)\s+AS\s+\?(\w+)", text, re.S):
        separator = re.search(r'separator\s*=\s*"([^"]*)"', match[1])
        found[match[2]] = separator[1] if separator else " "
    return found


def rows_of(
    kg: KnowledgeGraph, name: str, values: catalogue.ParamValues
) -> set[tuple[object, ...]]:
    query = catalogue.get(name)
    answer = catalogue._run(kg, query, values)  # not cached: each run is real
    separators = concatenated(query.text)
    rows = set()
    for row in answer.rows:
        normal = {
            column: "\x1f".join(sorted(value.split(separators[column])))
            if column in separators and isinstance(value, str)
            else value
            for column, value in row.items()
        }
        rows.add(tuple(sorted(normal.items())))
    return rows


def quads_of(kg: KnowledgeGraph, *, without: tuple[str, ...] = ()) -> set[str]:
    return {str(q) for q in kg.quads() if getattr(q.graph_name, "value", None) not in without}


def comparable(quads: set[str]) -> tuple[set[str], int]:
    """Quads of two stores, comparable: those without blank nodes (each store labels its
    own), and how many have one."""
    plain = {q for q in quads if "_:" not in q}
    return plain, len(quads) - len(plain)


def graphs_of(kg: KnowledgeGraph) -> dict[str, int]:
    """The named graphs and their sizes, but the provenance graph (its timestamps are of the
    moment each store was loaded: two loads in the same millisecond share a literal)."""
    return {g: n for g, n in kg.named_graphs().items() if g != kg.provenance_graph.value}


class Pair:
    """A backend and an in-memory embedded store that went through the same steps."""

    def __init__(self, name: str, kg: KnowledgeGraph) -> None:
        self.name = name
        self.kg = kg
        self.reference = KnowledgeGraph.in_memory()

    def both(self) -> tuple[KnowledgeGraph, KnowledgeGraph]:
        return self.kg, self.reference


@pytest.fixture(scope="module", params=BACKENDS)
def pair(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Pair]:
    name: str = request.param
    folder = tmp_path_factory.mktemp(name)
    if name == "embedded":
        kg = KnowledgeGraph.open(folder / "store")
        yield Pair(name, kg)
        kg.close()
    else:
        with oxigraph_server(folder / "db") as base:
            kg = remote_graph(Endpoints.oxigraph(base), release_ttl=0)
            yield Pair(name, kg)
            kg.close()


@pytest.fixture(scope="module")
def loaded(pair: Pair) -> Pair:
    """The reference data and the seed, loaded into both stores: one batch, one transaction."""
    for kg in pair.both():
        records = kg.load_many(reference_data(kg))
        assert len({r.release for r in records}) == 1
    return pair


def test_loading_the_reference_data_and_the_seed_gives_the_same_graphs(loaded: Pair) -> None:
    kg, reference = loaded.both()
    assert graphs_of(kg) == graphs_of(reference)
    assert kg.current_release() is not None
    assert len(kg) > 15_000
    # one release, and one recorded load per graph
    rows = kg.select(
        P + "SELECT (COUNT(DISTINCT ?r) AS ?n) (COUNT(DISTINCT ?l) AS ?loads) WHERE { "
        f"GRAPH {kg.provenance_graph} {{ ?l a wsis:Load ; prov:generated ?r . "
        "?r a wsis:Release } }"
    )
    assert int(rows[0]["n"].value) == 1
    assert int(rows[0]["loads"].value) == len(BUILTIN_SOURCES)  # the ontology, not LEFT_OUT


def test_every_named_query_gives_the_embedded_answer(loaded: Pair) -> None:
    kg, reference = loaded.both()
    runs: list[tuple[str, catalogue.ParamValues]] = [
        (name, query.example()) for name, query in catalogue.catalogue().items()
    ]
    runs += [
        ("supporting-work", {"action_line": "C5", "evidence": ["stated", "extracted"]}),
        ("supporting-work", {"action_line": "C7.e-health"}),
        ("sdg", {"goal": "9"}),
    ]
    empty = []
    for name, values in runs:
        expected = rows_of(reference, name, values)
        assert rows_of(kg, name, values) == expected, f"{name} {values}"
        if not expected:
            empty.append(name)
    assert len(empty) < len(runs) // 2, f"too many empty answers to compare: {empty}"


def test_the_query_forms_and_datasets_give_the_embedded_answer(loaded: Pair) -> None:
    kg, reference = loaded.both()
    goals = kg.ids.graph("sdg-goals").value
    targets = kg.ids.graph("sdg-targets").value

    def same(text: str, **dataset: list[str]) -> None:
        got, want = kg.endpoint_query(text, **dataset), reference.endpoint_query(text, **dataset)
        if isinstance(want, ox.QueryBoolean):
            assert bool(got) == bool(want), text
        elif isinstance(want, ox.QueryTriples):
            assert isinstance(got, ox.QueryTriples)
            assert {str(t) for t in got} == {str(t) for t in want}, text
        else:
            assert isinstance(got, ox.QuerySolutions)
            assert {str(s) for s in got} == {str(s) for s in want}, text

    same("SELECT (COUNT(*) AS ?n) WHERE { ?s a sdgo:Goal }")
    same(f"SELECT (COUNT(*) AS ?n) FROM <{goals}> WHERE {{ ?s ?p ?o }}")
    same("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graphs=[goals])
    same(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        named_graphs=[targets],
    )
    same("ASK { ?t skos:notation '9.c' }")
    same("ASK { ?t skos:notation 'no such thing' }")
    same("CONSTRUCT { ?g ?p ?o } WHERE { ?g a sdgo:Goal ; skos:notation '9' ; ?p ?o }")
    with pytest.raises(StoreError, match="syntax"):
        kg.endpoint_query("SELECT WHERE {")


def test_replacing_a_graph_replaces_exactly_it(loaded: Pair, tmp_path: Path) -> None:
    kg, reference = loaded.both()
    lines = load_sdg_targets.__globals__["table_path"]("sdg-targets").read_text().splitlines()
    smaller = tmp_path / "sdg_targets.csv"
    smaller.write_text("\n".join(lines[:-3]) + "\n", encoding="utf-8")
    before = graphs_of(kg)
    release = kg.current_release()
    for store in (kg, reference):
        record = store.load(load_sdg_targets(store.ids, smaller))
        assert record.release is not None
    after = graphs_of(kg)
    graph = kg.ids.graph("sdg-targets").value
    assert after[graph] < before[graph]
    changed = {g for g in after if after[g] != before.get(g)}
    # the graph, its entailments, the store-wide roll-ups: no other graph
    own = kg.ids.entailments_of(ox.NamedNode(graph)).value
    assert changed <= {graph, own, kg.entailment_graph.value}
    assert own in changed
    assert after == graphs_of(reference)
    assert kg.current_release() not in (None, release)
    assert rows_of(kg, "sdg", {"goal": "17"}) == rows_of(reference, "sdg", {"goal": "17"})
    # the graph's record names exactly one load, the latest
    rows = kg.select(
        P + f"SELECT ?g ?load WHERE {{ GRAPH {kg.provenance_graph} "
        "{ ?g prov:wasGeneratedBy ?load } }",
        {"g": ox.NamedNode(graph)},
    )
    assert len(rows) == 1


def _half_way(result: LoadResult, after: int) -> Iterator[ox.Triple]:
    for i, triple in enumerate(result.triples):
        if i == after:
            raise TableError("sdg_targets.csv", "simulated failure", f"triple {after}")
        yield triple


def test_a_load_that_fails_half_way_in_the_loader_changes_nothing(loaded: Pair) -> None:
    kg = loaded.kg
    before, release = quads_of(kg), kg.current_release()
    goals, targets = load_sdg_goals(kg.ids), load_sdg_targets(kg.ids)
    with pytest.raises(TableError, match="simulated failure"):
        kg.replace_graphs(
            [
                (goals.graph, goals.triples, goals.source),
                (targets.graph, _half_way(targets, 500), targets.source),
            ],
            force=True,
        )
    assert quads_of(kg) == before
    assert kg.current_release() == release


def test_a_load_that_fails_inside_the_store_half_way_through_changes_nothing(
    loaded: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The update reaches the store and fails at its very end, after the graph was dropped
    and refilled and the provenance written: the store's transaction takes it all back."""
    kg = loaded.kg
    before, release = quads_of(kg), kg.current_release()
    texts = kg._entailment_texts

    def failing_at_the_end(graphs: list[ox.NamedNode]) -> tuple[str, list[str]]:
        before, after = texts(graphs)
        # CREATE GRAPH of a graph that exists is an error when it runs (SPARQL 1.1 Update
        # 3.2.1): after the entailments were derived
        return before, [*after, f"CREATE GRAPH {kg.ontology_graph}"]

    monkeypatch.setattr(kg, "_entailment_texts", failing_at_the_end)
    goals = load_sdg_goals(kg.ids)
    with pytest.raises(StoreError, match="loading sdg-goals failed"):
        kg.replace_graphs([(goals.graph, goals.triples, goals.source)], force=True)
    assert quads_of(kg) == before
    assert kg.current_release() == release


def test_the_store_refuses_to_load_its_own_bookkeeping_graphs(loaded: Pair) -> None:
    kg = loaded.kg
    goals = load_sdg_goals(kg.ids)
    with pytest.raises(StoreError, match="maintained by the store"):
        kg.replace_graph(kg.provenance_graph, goals.triples, goals.source)


def test_a_sparql_update_is_one_release_with_its_record(loaded: Pair) -> None:
    kg, reference = loaded.both()
    text = (
        "INSERT DATA { GRAPH <https://example.org/contract> "
        '{ <https://example.org/x> rdfs:label "contract" } }'
    )
    releases = [store.update(text) for store in (kg, reference)]
    assert releases[0] is not None
    assert kg.current_release() == releases[0]
    assert graphs_of(kg) == graphs_of(reference)
    with pytest.raises(StoreError, match="refused"):
        kg.update(f"DROP GRAPH {kg.provenance_graph}")
    assert kg.current_release() == releases[0]


def test_the_export_holds_the_same_quads(loaded: Pair) -> None:
    kg, reference = loaded.both()
    # the provenance and the entailments about it name each store's own loads
    bookkeeping = (kg.provenance_graph.value, kg.entailment_graph.value)
    assert comparable(quads_of(kg, without=bookkeeping)) == comparable(
        quads_of(reference, without=bookkeeping)
    )
    graph = kg.ids.graph("sdg-goals").value
    buffer = io.BytesIO()
    kg.export("ntriples", buffer, graph)
    exported = buffer.getvalue()
    triples = {str(q.triple) for q in ox.parse(exported, format=ox.RdfFormat.N_TRIPLES)}
    assert len(triples) == kg.named_graphs()[graph]


# ---------------------------------------------------------------------- several processes


def test_a_load_through_one_graph_object_is_seen_by_another_within_its_refresh(
    tmp_path: Path,
) -> None:
    """Two KnowledgeGraph objects over one server, as two API processes hold them: the one
    that did not write sees the new release (and so drops its cached answers) once its last
    read of the release is ``release_ttl`` old, and not before."""
    with oxigraph_server(tmp_path / "db") as base:
        writer = remote_graph(Endpoints.oxigraph(base), release_ttl=0)
        reader = remote_graph(Endpoints.oxigraph(base), release_ttl=3600)
        try:
            writer.load_ontology()
            first = reader.current_release()
            assert first == writer.current_release()
            answers = QueryService(reader)  # keeps the answers of the release it read
            rows = catalogue.run(answers, "sdgs").rows
            record = writer.load(load_sdg_goals(writer.ids))
            assert record.release not in (None, first)
            # within its refresh interval the reader still answers from what it read
            assert reader.current_release() == first
            assert catalogue.run(answers, "sdgs").rows == rows
            reader.release_ttl = 0.2
            time.sleep(0.25)
            assert reader.current_release() == record.release
            assert len(catalogue.run(answers, "sdgs").rows) > len(rows)
        finally:
            writer.close()
            reader.close()
