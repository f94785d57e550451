"""The query service (graph/service.py): one place decides where a query runs, one hook per
graph follows its writes, and the graph layer imports one way."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from api.app import create_app
from graph.executor import QueryExecutor
from graph.service import QueryService, build_service
from graph.settings import Settings
from graph.store import KnowledgeGraph

ROOT = Path(__file__).resolve().parent.parent
QUERY = "SELECT ?class WHERE { ?class a owl:Class } ORDER BY ?class LIMIT 5"


def test_two_apps_on_one_graph_do_not_stack_callbacks(kg: KnowledgeGraph) -> None:
    create_app(kg, Settings())
    hooks = list(kg.on_commit)
    create_app(kg, Settings())
    create_app(kg, Settings())
    assert len(kg.on_commit) == len(hooks)
    assert not hasattr(kg, "query_executor")


def test_a_write_reaches_the_subscribers_of_the_latest_service(kg: KnowledgeGraph) -> None:
    first, second = build_service(kg), build_service(kg)
    seen: list[tuple[str, str | None]] = []
    first.subscribers.append(lambda release: seen.append(("first", release)))
    second.subscribers.append(lambda release: seen.append(("second", release)))
    release = kg.update("INSERT DATA { <https://example.org/a> <https://example.org/b> 1 }")
    assert seen == [("second", release)]
    second.close()
    assert all(type(c).__name__ != "_CommitHook" for c in kg.on_commit)


def test_a_failing_subscriber_does_not_fail_the_write(kg: KnowledgeGraph) -> None:
    service = build_service(kg)

    def broken(release: str | None) -> None:
        raise RuntimeError("boom")

    service.subscribers.append(broken)
    assert kg.update("INSERT DATA { <https://example.org/a> <https://example.org/b> 2 }")
    service.close()


def _clause(kg: KnowledgeGraph, name: str, text: str) -> str | None:
    """Write one clause with ``text`` (a SPARQL update: a commit); the release it made."""
    return kg.update(
        f"INSERT DATA {{ GRAPH <https://example.org/{name}> {{ "
        f"<https://example.org/{name}/c1> a wsis:Clause ; wsis:text '{text}' }} }}"
    )


def test_two_services_on_two_graphs_keep_separate_search_indexes(kg: KnowledgeGraph) -> None:
    other = KnowledgeGraph.in_memory()
    other.load_ontology()
    first, second = build_service(kg), build_service(other)
    indexes = first.search_index(), second.search_index()
    assert indexes[0] is not indexes[1]
    assert first.search_index() is indexes[0]  # opened once, kept by its service
    release = _clause(kg, "one", "echidna standards")
    assert indexes[0].release == release  # synced by the commit, before the search
    _clause(other, "two", "platypus telemetry")
    assert [h.graph for h in first.search("echidna").hits] == ["https://example.org/one"]
    assert first.search("platypus").total == 0
    assert [h.graph for h in second.search("platypus").hits] == ["https://example.org/two"]
    assert second.search("echidna").total == 0
    # nothing of search hangs on the graphs: each has only its service's one hook
    for graph in (kg, other):
        assert [type(c).__name__ for c in graph.on_commit] == ["_CommitHook"]
    first.close()
    assert kg.on_commit == []
    assert indexes[0].closed
    assert not indexes[1].closed
    assert second.search("platypus").total == 1
    second.close()
    assert other.on_commit == []


def test_a_later_service_of_a_graph_searches_what_was_written_before_it(
    kg: KnowledgeGraph,
) -> None:
    """The index of a service whose hook a later service replaced is not synced by commits,
    and catches up when it is searched."""
    first = build_service(kg, precompute=False)
    index = first.search_index()
    index.ensure_current(kg)
    second = build_service(kg, precompute=False)
    release = _clause(kg, "one", "echidna standards")
    assert index.release != release  # the hook is the second service's
    assert second.search("echidna").total == 1
    assert first.search("echidna").total == 1  # caught up
    assert index.release == release
    for service in (first, second):
        service.close()
    assert kg.on_commit == []


def test_in_process_and_in_a_worker_give_the_same_answer(disk_kg: KnowledgeGraph) -> None:
    disk_kg.load_ontology()
    local = QueryService(disk_kg)
    with QueryExecutor(disk_kg, workers=1, timeout=30) as executor:
        remote = QueryService(disk_kg, executor=executor)
        for accept in ("*/*", "text/csv", "application/json"):
            mine = local.execute(QUERY, accept=accept)
            theirs = remote.execute(QUERY, accept=accept)
            assert (mine.kind, mine.media_type, mine.body) == (
                theirs.kind,
                theirs.media_type,
                theirs.body,
            )
            assert mine.release == theirs.release == disk_kg.current_release()
        graph = "CONSTRUCT { ?c a owl:Class } WHERE { ?c a owl:Class } LIMIT 2"
        assert local.execute(graph).body == remote.execute(graph).body
        bound = {"class": ox.NamedNode("https://w3id.org/wsis-kg/ontology#Link")}
        ask = "PREFIX owl: <http://www.w3.org/2002/07/owl#> ASK { ?class a owl:Class }"
        answers = [s.solutions(ask, bound) for s in (local, remote)]
        assert [bool(a) for a in answers if isinstance(a, ox.QueryBoolean)] == [True, True]
