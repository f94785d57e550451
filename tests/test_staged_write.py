"""The staged path of a big write (graph/staged.py): behind a checkpoint, with ``bulk_extend``,
the store ends exactly as the one transaction would leave it, and a write that fails leaves it
exactly as it was.

Real stores on disk; the threshold is forced down so that a dozen sources (not the 430k
triples of the Recommendations) take the path. SIGKILLs during the built-in load, which now
takes it: tests/test_crash_safe.py."""

from __future__ import annotations

import gc
from pathlib import Path

import pyoxigraph as ox
import pytest

import graph.staged
from graph.bulk_guard import guard_dir
from graph.entailments import Entailments
from graph.errors import StoreError
from graph.store import KnowledgeGraph
from loaders.reference import load_wsis_sdg_matrix
from tests.conftest import load_builtin_but_recommendations
from tests.test_store import snapshot


def _comparable(kg: KnowledgeGraph) -> set[tuple[str, str, str, str]]:
    """Every quad but the ontology's blank nodes (new ones in each store) and the records'
    times and release ids (each write has its own)."""
    out = set()
    for q in kg.quads():
        if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
            continue
        if q.graph_name == kg.provenance_graph:
            continue
        out.add((str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)))
    return out


def _records(kg: KnowledgeGraph) -> list[tuple[str, int]]:
    rows = kg.select(
        "PREFIX prov: <http://www.w3.org/ns/prov#> "
        "PREFIX wsis: <https://w3id.org/wsis-kg/ontology#> "
        "SELECT ?g ?n WHERE { GRAPH ?p { ?g prov:wasGeneratedBy ?l . ?l wsis:tripleCount ?n } "
        'FILTER(CONTAINS(STR(?g), "/graph/")) }'
    )
    return sorted((r["g"].value, int(r["n"].value)) for r in rows)


def test_the_staged_path_stores_what_the_transaction_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = {"transaction": tmp_path / "tx", "staged": tmp_path / "staged"}
    stores = {}
    for name, path in paths.items():
        monkeypatch.setattr(graph.staged, "STAGED_TRIPLES", 1 if name == "staged" else 10**9)
        kg = KnowledgeGraph.open(path)
        load_builtin_but_recommendations(kg)
        # a reload over one graph: its old triples, record and entailments replaced
        kg.load(load_wsis_sdg_matrix(kg.ids), force=True)
        stores[name] = kg
    tx, staged = stores["transaction"], stores["staged"]
    try:
        assert _comparable(staged) == _comparable(tx)
        assert len(_comparable(tx)) > 20_000
        assert _records(staged) == _records(tx)
        assert staged.graph_size(staged.entailment_graph) == tx.graph_size(tx.entailment_graph)
        # two writes, two releases, each with one creation time
        rows = staged.select(
            "SELECT ?r (COUNT(?c) AS ?n) WHERE { GRAPH ?p { ?r a "
            "<https://w3id.org/wsis-kg/ontology#Release> ; <http://purl.org/dc/terms/created> ?c "
            "} } GROUP BY ?r"
        )
        assert sorted(int(r["n"].value) for r in rows) == [1, 1]
        # the checkpoint is gone once the write has happened; the transaction never took one
        assert not (guard_dir(paths["staged"]) / "marker.json").exists()
        assert not (guard_dir(paths["staged"]) / "checkpoint").exists()
        assert guard_dir(paths["staged"]).exists()
        assert not guard_dir(paths["transaction"]).exists()
    finally:
        for kg in stores.values():
            kg.close()


def test_a_staged_write_that_fails_leaves_the_store_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last step (the records, then the entailments, each part an update) fails at its
    last part, after the new triples, the records and every other part were written outside
    one transaction: the checkpoint is put back, quad for quad."""
    kg = KnowledgeGraph.open(tmp_path / "s")
    kg.load_ontology()
    kg.load(load_wsis_sdg_matrix(kg.ids))
    before, release = snapshot(kg), kg.current_release()
    monkeypatch.setattr(graph.staged, "STAGED_TRIPLES", 1)
    broken = Entailments.after_writing

    def after_writing(self: Entailments, graphs: list[ox.NamedNode]) -> tuple[str, list[str]]:
        first, parts = broken(self, graphs)  # the last part fails, after all the others ran
        return first, [*parts, "INSERT DATA { this is not SPARQL"]

    monkeypatch.setattr(Entailments, "after_writing", after_writing)
    with pytest.raises(StoreError, match=r"loading .* failed") as raised:
        load_builtin_but_recommendations(kg)
    del raised  # its traceback refers to the store
    assert snapshot(kg) == before
    assert kg.current_release() == release
    assert guard_dir(tmp_path / "s").exists()  # the staged path took a checkpoint
    assert not (guard_dir(tmp_path / "s") / "marker.json").exists()  # and put it back
    monkeypatch.setattr(Entailments, "after_writing", broken)
    load_builtin_but_recommendations(kg)  # the store takes the next write
    assert kg.current_release() != release
    after = snapshot(kg)
    kg.close()
    del kg  # the store closes with its last reference (as at the end of a process)
    gc.collect()
    again = KnowledgeGraph.open(tmp_path / "s")  # nothing left to recover
    assert snapshot(again) == after
    again.close()
