"""Corpus loads (issue 15): `wsiskg load DIR` or many files, in batches, each document its own
named graph with its own record; a file that cannot be read is named and left out; a batch
that fails leaves the batches before it and nothing of itself."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.textload_texts import synthetic_resolution
from graph.corpus import corpus_files, load_corpus
from graph.errors import StoreError
from graph.files import load_file
from graph.store import KnowledgeGraph
from ontology import sparql_prefixes
from tests.conftest import run_cli
from tests.test_entailments import assert_as_recomputed


def _corpus(folder: Path, count: int, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(start, start + count):
        path = folder / f"corpus-{n:03d}.txt"
        path.write_text(synthetic_resolution(1, seed=700 + n), encoding="utf-8")
        paths.append(path)
    return paths


def _document_graphs(kg: KnowledgeGraph) -> dict[str, int]:
    return {g: n for g, n in kg.named_graphs().items() if "/graph/document-corpus-" in g}


def _loads(kg: KnowledgeGraph, graph: str) -> int:
    rows = kg.select(
        sparql_prefixes() + f"SELECT (COUNT(?l) AS ?n) WHERE {{ GRAPH {kg.provenance_graph} "
        f"{{ ?l a wsis:Load ; wsis:namedGraph {ox.NamedNode(graph)} }} }}"
    )
    return int(rows[0]["n"].value)


def test_a_directory_loads_as_a_corpus_in_batches(tmp_path: Path) -> None:
    paths = _corpus(tmp_path / "corpus", 5)
    (tmp_path / "corpus" / ".hidden").mkdir()
    (tmp_path / "corpus" / ".hidden" / "x.txt").write_text("not loaded", encoding="utf-8")
    (tmp_path / "corpus" / "notes.md").write_text("not a loader's suffix", encoding="utf-8")
    assert corpus_files([tmp_path / "corpus"]) == paths

    kg = KnowledgeGraph.open(tmp_path / "store")
    report = load_corpus(kg, [tmp_path / "corpus"], batch_documents=2)
    assert report.batches == 3
    assert not report.failed
    graphs = _document_graphs(kg)
    assert len(graphs) == 5
    assert all(n > 100 for n in graphs.values())
    assert all(_loads(kg, g) == 1 for g in graphs)  # each its own record
    # the same as loading them one by one into another store, entailments included
    one_by_one = KnowledgeGraph.open(tmp_path / "one-by-one")
    for path in paths:
        load_file(one_by_one, path)
    assert _document_graphs(one_by_one) == graphs
    entailed = {g: n for g, n in kg.named_graphs().items() if "entailments" in g}
    assert entailed == {g: n for g, n in one_by_one.named_graphs().items() if "entailments" in g}
    assert_as_recomputed(kg)
    # again: nothing changed, nothing written
    release = kg.current_release()
    again = load_corpus(kg, [tmp_path / "corpus"], batch_documents=2)
    assert [r.release for r in again.records] == [None] * 5
    assert kg.current_release() == release
    kg.close()
    one_by_one.close()


def test_a_batch_that_fails_in_the_store_leaves_the_batches_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _corpus(tmp_path / "corpus", 5)
    kg = KnowledgeGraph.open(tmp_path / "store")
    kg.load_ontology()
    texts, calls = kg._entailment_texts, []

    def second_batch_fails(graphs: list[ox.NamedNode]) -> tuple[str, list[str]]:
        calls.append(graphs)
        before, after = texts(graphs)
        if len(calls) == 2:  # fails when it runs, after the batch's graphs were written
            after = [*after, f"CREATE GRAPH {kg.ontology_graph}"]
        return before, after

    monkeypatch.setattr(kg, "_entailment_texts", second_batch_fails)
    with pytest.raises(StoreError, match="loading document-corpus-002, document-corpus-003 failed"):
        load_corpus(kg, [tmp_path / "corpus"], batch_documents=2)
    assert sorted(g.rsplit("-", 1)[-1] for g in _document_graphs(kg)) == ["000", "001"]
    kg.close()


def test_wsiskg_load_of_a_directory_names_the_file_it_cannot_read(tmp_path: Path) -> None:
    _corpus(tmp_path / "corpus", 3)
    (tmp_path / "corpus" / "corpus-empty.txt").write_text("", encoding="utf-8")
    store = tmp_path / "store"
    result = run_cli("load", str(tmp_path / "corpus"), store=store)
    assert result.returncode == 1, result.stderr
    assert "corpus-empty.txt: the file is empty" in result.stderr
    assert "4 files: 3 documents stored" in result.stdout
    assert "1 failed" in result.stdout
    # several files named one by one are a corpus too
    more = _corpus(tmp_path / "more", 2, start=10)
    result = run_cli("load", *map(str, more), store=store, check=True)
    assert "2 files: 2 documents stored" in result.stdout
    kg = KnowledgeGraph.open(store)
    assert len(_document_graphs(kg)) == 5
    kg.close()
