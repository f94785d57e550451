"""Compaction by policy (issue 15): the embedded store is compacted every ``compact_every``
writes (``WSISKG_COMPACT_EVERY``), which changes no quad; the drift of load times over many
reloads is measured by ``python -m bench write`` (docs/benchmarks.md), never timed here."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.connect import graph_from_settings
from graph.settings import Settings
from graph.store import KnowledgeGraph
from loaders.rdf import SourceInfo
from loaders.reference import load_sdg_goals


def _reload(kg: KnowledgeGraph, times: int) -> None:
    goals = load_sdg_goals(kg.ids)
    for n in range(times):
        kg.replace_graph(goals.graph, goals.triples, SourceInfo("sdg-goals", "goals", str(n)))


def _quads(kg: KnowledgeGraph) -> set[str]:
    return {str(q) for q in kg.quads()}


def test_the_store_is_compacted_every_n_writes_and_keeps_every_quad(tmp_path: Path) -> None:
    kg = KnowledgeGraph.open(tmp_path / "store")
    kg.compact_every = 5
    kg.load_ontology()  # write 1
    _reload(kg, 11)  # writes 2-12: compacted after the 5th and the 10th
    assert kg.compactions == 2
    before = _quads(kg)
    kg.compact()
    assert kg.compactions == 3
    assert _quads(kg) == before
    kg.update("INSERT DATA { GRAPH <http://example.org/g> { <http://a> <http://b> <http://c> } }")
    _reload(kg, 4)  # 5 writes since the last compaction
    assert kg.compactions == 4
    kg.close()


def test_no_compaction_when_turned_off_or_in_memory(tmp_path: Path) -> None:
    off = KnowledgeGraph.open(tmp_path / "off")
    off.compact_every = 0
    _reload(off, 6)
    assert off.compactions == 0
    off.close()
    memory = KnowledgeGraph.in_memory()
    memory.compact_every = 1
    _reload(memory, 3)
    memory.compact()
    assert memory.compactions == 0


@pytest.mark.parametrize(("value", "expected"), [("7", 7), ("0", 0)])
def test_the_setting_reaches_the_store(tmp_path: Path, value: str, expected: int) -> None:
    settings = Settings(store=tmp_path / "s", compact_every=int(value))
    kg = graph_from_settings(settings)
    assert kg.compact_every == expected
    kg.close()


def test_a_bad_setting_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WSISKG_COMPACT_EVERY", "-1")
    with pytest.raises(ValueError, match=r"compact_every|COMPACT_EVERY"):
        Settings()
