"""The store: on disk, one transaction per load, provenance, releases, entailments."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.builtin import load_builtin
from graph.store import KnowledgeGraph, LoadRecord, StoreError
from loaders.errors import TableError
from loaders.rdf import LoadResult
from loaders.reference import load_action_lines, load_sdg_goals, load_sdg_targets
from loaders.tables import table_path
from ontology import sparql_prefixes
from ontology.ids import Ids

P = sparql_prefixes()


def snapshot(kg: KnowledgeGraph) -> bytes:
    """Every quad, sorted: two snapshots are equal only if the store did not change."""
    return b"\n".join(sorted(str(q).encode() for q in kg.quads()))


def test_a_load_survives_reopening_the_store(tmp_path: Path) -> None:
    kg = KnowledgeGraph.open(tmp_path / "s")
    kg.load_ontology()
    record = kg.load(load_sdg_goals(kg.ids))
    before = snapshot(kg)
    kg.close()
    del kg
    again = KnowledgeGraph.open(tmp_path / "s")
    assert snapshot(again) == before
    assert again.named_graphs()[record.graph] == record.triples
    assert again.current_release() == record.release


def test_replacing_a_graph_replaces_exactly_it(disk_kg: KnowledgeGraph, tmp_path: Path) -> None:
    disk_kg.load_ontology()
    disk_kg.load(load_sdg_goals(disk_kg.ids))
    targets = disk_kg.load(load_sdg_targets(disk_kg.ids))
    goals_before = disk_kg.named_graphs()[disk_kg.ids.graph("sdg-goals").value]
    # a new version of the targets table with one target fewer
    lines = load_sdg_targets.__globals__["table_path"]("sdg-targets").read_text().splitlines()
    smaller = tmp_path / "sdg_targets.csv"
    smaller.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    record = disk_kg.load(load_sdg_targets(disk_kg.ids, smaller))
    graphs = disk_kg.named_graphs()
    assert graphs[disk_kg.ids.graph("sdg-goals").value] == goals_before
    assert 0 < record.triples < targets.triples
    assert graphs[record.graph] == record.triples
    n = disk_kg.select(P + "SELECT (COUNT(?t) AS ?n) WHERE { ?t a sdgo:Target }")
    assert int(n[0]["n"].value) == 168


def _half_way(result: LoadResult, after: int) -> Iterator[ox.Triple]:
    for i, triple in enumerate(result.triples):
        if i == after:
            raise TableError("sdg_targets.csv", "simulated failure", f"triple {after}")
        yield triple


def test_a_load_that_fails_half_way_leaves_the_store_exactly_as_it_was(
    disk_kg: KnowledgeGraph,
) -> None:
    disk_kg.load_ontology()
    disk_kg.load(load_sdg_goals(disk_kg.ids))
    first = disk_kg.load(load_sdg_targets(disk_kg.ids))
    before = snapshot(disk_kg)
    release = disk_kg.current_release()
    result = load_sdg_targets(disk_kg.ids)
    with pytest.raises(TableError, match="simulated failure"):
        disk_kg.replace_graph(result.graph, _half_way(result, 1000), result.source, force=True)
    assert snapshot(disk_kg) == before
    assert disk_kg.current_release() == release == first.release


def test_a_bad_table_leaves_the_store_exactly_as_it_was(
    disk_kg: KnowledgeGraph, tmp_path: Path
) -> None:
    disk_kg.load_ontology()
    disk_kg.load(load_action_lines(disk_kg.ids))
    before = snapshot(disk_kg)
    bad = tmp_path / "action_lines.csv"
    text = table_path("action-lines").read_text()
    bad.write_text(text.replace("\nC9,,", "\nC99,,", 1), encoding="utf-8")
    with pytest.raises(TableError, match=r"action_lines.csv, row \d+ \(line \d+\), column 'id'"):
        disk_kg.load(load_action_lines(disk_kg.ids, bad))
    assert snapshot(disk_kg) == before


def test_the_store_refuses_to_load_its_own_bookkeeping_graphs(kg: KnowledgeGraph) -> None:
    result = load_sdg_goals(kg.ids)
    with pytest.raises(StoreError, match="maintained by the store"):
        kg.replace_graph(kg.provenance_graph, result.triples, result.source)


def test_each_load_is_a_prov_activity_with_checksum_time_and_version(kg: KnowledgeGraph) -> None:
    record = kg.load(load_sdg_goals(kg.ids))
    rows = kg.select(
        P + "SELECT ?g ?sha ?v ?n ?start ?end ?rel ?file WHERE { GRAPH ?p { "
        "?g prov:wasGeneratedBy ?load . ?load a wsis:Load ; wsis:sha256 ?sha ; "
        "wsis:loaderVersion ?v ; wsis:tripleCount ?n ; prov:startedAtTime ?start ; "
        "prov:endedAtTime ?end ; prov:generated ?r ; wsis:fileName ?file ; prov:used ?ds . "
        "?r wsis:releaseId ?rel } }",
        {"g": ox.NamedNode(record.graph)},
    )
    assert len(rows) == 1
    row = rows[0]
    import hashlib

    from loaders.tables import table_path

    expected = hashlib.sha256(table_path("sdg-goals").read_bytes()).hexdigest()
    assert row["sha"].value == expected
    assert row["file"].value == "sdgs.csv"
    assert int(row["n"].value) == record.triples
    assert row["rel"].value == record.release == kg.current_release()
    # wall-clock times (this machine's clock can step): both valid, and close together
    start = datetime.fromisoformat(row["start"].value)
    end = datetime.fromisoformat(row["end"].value)
    assert abs((end - start).total_seconds()) < 60


def test_an_unchanged_input_is_not_reloaded_and_a_change_makes_a_new_release(
    kg: KnowledgeGraph,
) -> None:
    first = kg.load(load_sdg_goals(kg.ids))
    again = kg.load(load_sdg_goals(kg.ids))
    assert again.release is None
    assert kg.current_release() == first.release
    forced = kg.load(load_sdg_goals(kg.ids), force=True)
    assert forced.release is not None
    assert forced.release > (first.release or "")
    assert kg.current_release() == forced.release
    # the graph still names exactly one generating activity, the latest
    rows = kg.select(
        P + "SELECT ?g ?load WHERE { ?g prov:wasGeneratedBy ?load }",
        {"g": ox.NamedNode(forced.graph)},
    )
    assert len(rows) == 1


def test_what_produces_the_data_is_in_the_loader_version() -> None:
    """An unchanged input is skipped only while its loader is unchanged: every module that
    writes triples must count, the suggester's (loaders/suggest: its weights change every
    stored suggestion) and the other subpackages' too, and the label texts it ranks."""
    from graph.provenance import fingerprinted_files

    root = Path(__file__).resolve().parent.parent
    hashed = {path.resolve() for path in fingerprinted_files()}
    modules = set((root / "loaders").rglob("*.py")) | set((root / "ontology").rglob("*.py"))
    assert {m.resolve() for m in modules} <= hashed
    for name in (
        "loaders/suggest/fusion.py",
        "loaders/data/suggest_keywords.csv",
        "loaders/data/reference/sdg_targets.csv",
        "ontology/wsis.ttl",
        "graph/rules/40-subline-rollup.rq",
    ):
        assert (root / name).resolve() in hashed, name


def test_reloading_gives_the_same_iris(kg: KnowledgeGraph) -> None:
    first = {t.subject for t in load_action_lines(kg.ids).triples}
    second = {t.subject for t in load_action_lines(Ids()).triples}
    assert first == second
    assert Ids().action_line("C7.e-health").value.endswith("/action-line/C7.e-health")


# ------------------------------------------------------------------ entailments


def test_entailments(builtin_kg: KnowledgeGraph) -> None:
    ids = Ids()
    store_wide, prefix = builtin_kg.entailment_graph, builtin_kg.entailments.prefix

    def entailed(s: ox.NamedNode, p: str, o: ox.NamedNode) -> bool:
        """In an entailment graph: the store-wide one, or a source's."""
        q = P + (
            f"ASK {{ GRAPH ?e {{ {s} {p} {o} }} "
            f'FILTER (?e = {store_wide} || STRSTARTS(STR(?e), "{prefix}")) }}'
        )
        return bool(builtin_kg.query(q))

    # inverse: the goal lists its targets although the table only says target -> goal, in
    # the entailments of the targets table
    assert entailed(Ids.sdg_goal(9), "sdgo:hasTarget", Ids.sdg_target("9.c"))
    targets = builtin_kg.entailments.ids.entailments_of(ids.graph("sdg-targets"))
    q = P + f"ASK {{ GRAPH {targets} {{ {Ids.sdg_goal(9)} sdgo:hasTarget ?t }} }}"
    assert builtin_kg.query(q)
    # property hierarchy: facilitating an Action Line is supporting it
    assert entailed(ids.agency("ITU"), "wsis:supportsActionLine", ids.action_line("C5"))
    # class hierarchy
    assert (
        entailed(
            ids.action_line("C7.e-health"),
            "a",
            ox.NamedNode("http://www.w3.org/2004/02/skos/core#Concept"),
        )
        is False
    )  # asserted, not re-entailed
    assert builtin_kg.query(P + "ASK { ?p a wsis:Edition , prov:Entity }")


def test_what_supports_a_sub_line_supports_c7_with_an_inferred_link(
    builtin_kg: KnowledgeGraph,
) -> None:
    ids = Ids()
    rec = ids.recommendation("H.810")  # e-health range -> C7.e-health (inferred by rule)
    rows = builtin_kg.select(
        P + "SELECT ?rec ?e ?rule ?from WHERE { ?l wsis:subject ?rec ; "
        "wsis:object ?c7 ; wsis:evidence ?e ; wsis:rule ?rule ; prov:wasDerivedFrom ?from . "
        "?c7 skos:notation 'C7' }",
        {"rec": rec},
    )
    assert len(rows) >= 1
    assert rows[0]["e"].value.endswith("#Inferred")
    assert rows[0]["rule"].value.endswith("#SubLineRollUp")


def test_builtin_load_is_complete(builtin_kg: KnowledgeGraph) -> None:
    names = {g.rsplit("/", 1)[1] for g in builtin_kg.named_graphs()}
    assert {
        "ontology",
        "provenance",
        "entailments",
        "action-lines",
        "sdg-goals",
        "sdg-targets",
        "sdg-indicators",
        "wsis-sdg-matrix",
        "itut-study-groups",
        "wtsa-resolutions",
        "itu-action-line-links",
        "organs",
        "itut-recommendations",
        "resolutions-cited-in-seed",
    } <= names


def test_builtin_load_twice_changes_nothing(
    builtin_load: tuple[KnowledgeGraph, list[LoadRecord]],
) -> None:
    kg, _ = builtin_load
    before = snapshot(kg)
    records = load_builtin(kg)
    assert all(r.release is None for r in records)
    assert snapshot(kg) == before


def test_the_builtin_data_is_written_in_one_transaction_and_release(
    builtin_load: tuple[KnowledgeGraph, list[LoadRecord]],
) -> None:
    kg, records = builtin_load
    releases = {r.release for r in records}
    assert len(releases) == 1
    assert None not in releases
    rows = kg.select(
        P + "SELECT (COUNT(DISTINCT ?r) AS ?n) (COUNT(DISTINCT ?l) AS ?loads) "
        "WHERE { ?l a wsis:Load ; prov:generated ?r . ?r a wsis:Release }"
    )
    assert int(rows[0]["n"].value) == 1
    assert int(rows[0]["loads"].value) == len(records)


def test_a_batch_that_fails_half_way_writes_none_of_its_graphs(kg: KnowledgeGraph) -> None:
    before = snapshot(kg)
    goals = load_sdg_goals(kg.ids)
    targets = load_sdg_targets(kg.ids)
    with pytest.raises(TableError, match="simulated failure"):
        kg.replace_graphs(
            [
                (goals.graph, goals.triples, goals.source),
                (targets.graph, _half_way(targets, 500), targets.source),
            ]
        )
    assert snapshot(kg) == before


def test_an_unknown_prefix_is_named_with_its_place(kg: KnowledgeGraph) -> None:
    """The message of the CLI, of /sparql in process (``endpoint_query``) and of updates."""
    expected = "SPARQL syntax error: unknown prefix `foo:` at line 1, column 21"
    with pytest.raises(StoreError) as raised:
        kg.query("SELECT * WHERE { ?s foo:p ?o }", with_prefixes=True)
    assert str(raised.value) == expected
    with pytest.raises(StoreError) as raised:
        kg.endpoint_query("SELECT * WHERE { ?s foo:p ?o }")
    assert str(raised.value) == expected
    with pytest.raises(StoreError) as raised:
        kg.update("INSERT DATA { <urn:a> foo:p 1 }")
    assert str(raised.value) == "SPARQL syntax error: unknown prefix `foo:` at line 1, column 23"
    # without the predeclared prefixes, wsis: is unknown too; other errors stay Oxigraph's
    with pytest.raises(StoreError, match="unknown prefix `wsis:` at line 1, column 21"):
        kg.query("SELECT * WHERE { ?s wsis:p ?o }")
    with pytest.raises(StoreError, match=r"^SPARQL syntax error: error at 1:[0-9]+: expected"):
        kg.query("SELEC nothing")
