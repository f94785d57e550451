"""Named-query answers are cached per release, and a load invalidates them."""

from __future__ import annotations

from graph import catalogue
from graph.cache import AnswerCache
from graph.service import QueryService
from graph.store import KnowledgeGraph
from loaders.reference import load_wsis_sdg_matrix
from tests.conftest import load_builtin_but_recommendations


def test_a_repeat_is_a_cache_hit_and_a_load_invalidates() -> None:
    kg = load_builtin_but_recommendations(KnowledgeGraph.in_memory())
    service = QueryService(kg)  # the service keeps the answers, not the graph
    first = catalogue.run(service, "matrix", {"evidence": ["stated"]})
    hits = service.answers.hits
    again = catalogue.run(service, "matrix", {"evidence": ["stated"]})
    assert again is first
    assert service.answers.hits == hits + 1
    other = catalogue.run(service, "matrix", {"evidence": ["inferred"]})
    assert other is not first
    kg.load(load_wsis_sdg_matrix(kg.ids), force=True)  # a new release
    fresh = catalogue.run(service, "matrix", {"evidence": ["stated"]})
    assert fresh is not first
    assert fresh.rows == first.rows  # same data, recomputed


def test_a_bare_graph_keeps_nothing() -> None:
    """Outside a query service a named query runs every time: the graph holds no answers."""
    kg = load_builtin_but_recommendations(KnowledgeGraph.in_memory())
    first = catalogue.run(kg, "sdgs", {})
    again = catalogue.run(kg, "sdgs", {})
    assert again is not first
    assert again.rows == first.rows
    assert not hasattr(kg, "answers")
    assert not hasattr(kg, "precomputed")


def test_the_cache_is_bounded_and_keyed_by_release() -> None:
    cache = AnswerCache(max_entries=2)
    calls: list[int] = []

    def compute(n: int) -> int:
        calls.append(n)
        return n

    for n in (1, 2, 3):
        cache.get_or_compute("r1", n, lambda n=n: compute(n))  # type: ignore[misc]
    assert len(cache) == 2
    assert cache.get_or_compute("r1", 3, lambda: compute(99)) == 3
    assert cache.get_or_compute("r2", 3, lambda: compute(33)) == 33
    assert calls == [1, 2, 3, 33]
