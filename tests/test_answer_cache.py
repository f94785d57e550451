"""Named-query answers are cached per release, and a load invalidates them."""

from __future__ import annotations

from graph import catalogue
from graph.cache import GENERATIONS, AnswerCache
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
        cache.get_or_compute("r1", n, compute, n)
    assert len(cache) == 2
    assert cache.get_or_compute("r1", 3, compute, 99) == 3
    assert cache.get_or_compute("r2", 3, compute, 33) == 33
    assert calls == [1, 2, 3, 33]


def test_the_cache_keeps_the_releases_used_most_recently() -> None:
    cache = AnswerCache()
    computed: list[str] = []

    def recipe(source: str) -> str:
        computed.append(source)
        return f"answer of {source}"

    assert GENERATIONS == 3  # the one answering, and two writes being prepared after it
    assert cache.get_or_compute("r1", "k", recipe, "r1") == "answer of r1"
    cache.open("r2")  # a write prepares its release
    cache.open("r3")  # and the next write its own, before the first is published
    # the release answering meanwhile keeps its answers
    assert cache.get_or_compute("r1", "k", recipe, "r1") == "answer of r1"
    assert computed == ["r1"]
    cache.put("r2", "k", "warmed", recipe, 0.1)
    cache.put("r3", "k", "warmed", recipe, 0.1)
    cache.get_or_compute("r4", "k", recipe, "r4")  # the least recently used (r2) is dropped
    cache.put("r2", "late", "kept?", recipe, 0.1)
    assert cache.recent("r2", 10) == []
    assert cache.get_or_compute("r1", "k", recipe, "r1") == "answer of r1"
    assert cache.get_or_compute("r3", "k", recipe, "r3") == "warmed"
    assert computed == ["r1", "r4"]


def test_the_most_recently_asked_come_first_with_their_recipes() -> None:
    cache = AnswerCache()
    for key in ("a", "b", "c"):
        cache.get_or_compute("r", key, str.upper, key)
    cache.get_or_compute("r", "a", str.upper, "a")  # asked again: the most recent
    assert [kept.key for kept in cache.recent("r", 10)] == ["a", "c", "b"]
    assert [kept.key for kept in cache.recent("r", 2)] == ["a", "c"]
    assert cache.recent("r", 1)[0].recipe("x") == "X"
    assert all(kept.seconds >= 0 for kept in cache.recent("r", 10))
