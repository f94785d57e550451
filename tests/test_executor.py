"""Queries with a deadline: real worker processes over checkpoints of a real on-disk store."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.executor import (
    ExecutorError,
    ExecutorUnavailableError,
    NotAcceptableError,
    QueryExecutor,
    QueryTimeout,
    WorkerCrashedError,
)
from graph.store import KnowledgeGraph, StoreError
from graph.worker import WORKER_NICENESS
from loaders.reference import load_sdg_goals, load_sdg_targets
from ontology import sparql_prefixes

P = sparql_prefixes()
GOALS = "SELECT ?g ?label WHERE { ?g a sdgo:Goal ; skos:prefLabel ?label } ORDER BY ?g"
COUNT_TARGETS = "SELECT (COUNT(?t) AS ?n) WHERE { ?t a sdgo:Target }"
# the store crossed with itself four times: does not finish in any reasonable time
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture
def kg(tmp_path: Path) -> Iterator[KnowledgeGraph]:
    graph = KnowledgeGraph.open(tmp_path / "store")
    graph.load_ontology()
    graph.load(load_sdg_goals(graph.ids))
    yield graph
    graph.close()


@pytest.fixture
def executor(kg: KnowledgeGraph) -> Iterator[QueryExecutor]:
    with QueryExecutor(kg, workers=2, timeout=5.0) as ex:
        yield ex


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


_OTHERS: set[int] = set()


@pytest.fixture(autouse=True)
def _others_before() -> Iterator[None]:
    """The children this process had before the test (a session-scoped server of another
    module run by the same test worker): not the executor's, so not counted."""
    _OTHERS.clear()
    _OTHERS.update(_live_children())
    yield
    _OTHERS.clear()


def children() -> set[int]:
    """The live child processes that appeared since the test started."""
    return _live_children() - _OTHERS


def _live_children() -> set[int]:
    """The live (not zombie) child processes of this process, except multiprocessing's
    resource tracker (one per parent process, shared by every user of multiprocessing)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) != os.getpid() or fields[0] == "Z" or b"resource_tracker" in command:
            continue
        found.add(int(stat.parent.name))
    return found


def in_background(
    ex: QueryExecutor, timeout: float = 5.0
) -> tuple[threading.Thread, list[Exception]]:
    """Run the endless query in a thread; what it raises ends up in the list."""
    errors: list[Exception] = []

    def run() -> None:
        try:
            ex.execute(ENDLESS, timeout=timeout)
        except Exception as e:
            errors.append(e)

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.2)  # it has taken a worker
    return thread, errors


def rows(body: bytes) -> list[dict[str, str]]:
    data = json.loads(body)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def test_a_select_answers_the_same_rows_as_the_store(
    kg: KnowledgeGraph, executor: QueryExecutor
) -> None:
    result = executor.execute(GOALS, accept="application/sparql-results+json", timeout=5)
    assert result.kind == "select"
    assert result.media_type == "application/sparql-results+json"
    assert result.release == kg.current_release() is not None
    expected = [{k: v.value for k, v in row.items()} for row in kg.select(P + GOALS)]
    assert rows(result.body) == expected
    assert len(expected) == 17


def test_answers_are_serialised_in_the_accepted_format(executor: QueryExecutor) -> None:
    table = executor.execute(GOALS, accept="text/csv", timeout=5)
    assert table.media_type.startswith("text/csv")
    lines = list(csv.reader(io.StringIO(table.body.decode())))
    assert lines[0] == ["g", "label"]
    assert len(lines) == 18

    xml = executor.execute(GOALS, accept=ox.QueryResultsFormat.XML, timeout=5)
    assert xml.body.startswith(b"<?xml")
    assert b"<sparql" in xml.body

    pattern = "{ ?g a sdgo:Goal ; skos:prefLabel ?l }"
    construct = f"CONSTRUCT {pattern} WHERE {pattern}"
    graph = executor.execute(construct, accept=["text/csv", "text/turtle"], timeout=5)
    assert graph.kind == "construct"
    assert graph.media_type == "text/turtle"
    assert b"@prefix sdgo:" in graph.body  # the service's prefixes are used
    assert len(list(ox.parse(graph.body, format=ox.RdfFormat.TURTLE))) == 34

    default = executor.execute(construct, timeout=5)  # */*: Turtle for a graph
    assert default.media_type == "text/turtle"
    with pytest.raises(NotAcceptableError, match="construct"):
        executor.execute(construct, accept="text/csv", timeout=5)

    yes = executor.execute("ASK { sdg:5 a sdgo:Goal }", timeout=5)
    no = executor.execute("ASK { sdg:5 a sdgo:Target }", accept="application/json", timeout=5)
    assert yes.kind == no.kind == "ask"
    assert json.loads(yes.body)["boolean"] is True
    assert json.loads(no.body)["boolean"] is False


def test_a_query_past_its_deadline_is_killed_and_its_worker_replaced(
    executor: QueryExecutor,
) -> None:
    before = executor.pids()
    assert len(before) == 2
    started = time.monotonic()
    with pytest.raises(QueryTimeout) as info:
        executor.execute(ENDLESS, timeout=1.0)
    assert time.monotonic() - started < 2.0
    assert info.value.deadline == 1.0
    after = executor.pids()
    assert len(after) == 2
    killed = set(before) - set(after)
    assert len(killed) == 1
    assert not alive(killed.pop())
    assert children() == set(after)
    for _ in range(3):  # the replacement answers too (the queue hands out workers in turn)
        assert len(rows(executor.execute(GOALS, timeout=5).body)) == 17


def test_a_caller_cannot_raise_the_deadline(kg: KnowledgeGraph) -> None:
    with QueryExecutor(kg, workers=1, timeout=0.5) as ex, pytest.raises(QueryTimeout) as info:
        ex.execute(ENDLESS, timeout=60)
    assert info.value.deadline == 0.5


def test_other_queries_are_answered_while_a_worker_is_busy(executor: QueryExecutor) -> None:
    thread, errors = in_background(executor, timeout=2.0)
    for _ in range(3):
        started = time.monotonic()
        assert len(rows(executor.execute(GOALS, timeout=5).body)) == 17
        assert time.monotonic() - started < 0.5
    thread.join()
    assert len(errors) == 1
    assert isinstance(errors[0], QueryTimeout)


def test_waiting_for_a_free_worker_counts_against_the_deadline(kg: KnowledgeGraph) -> None:
    with QueryExecutor(kg, workers=1, timeout=5) as ex:
        thread, errors = in_background(ex)
        started = time.monotonic()
        with pytest.raises(QueryTimeout, match="no query worker became free"):
            ex.execute(GOALS, timeout=0.5)
        assert time.monotonic() - started < 1.0
        ex.close()  # kills the endless query
        thread.join()
    assert len(errors) == 1
    assert "closed" in str(errors[0])


def test_a_crashed_worker_fails_its_query_and_is_replaced(executor: QueryExecutor) -> None:
    before = set(executor.pids())
    thread, errors = in_background(executor)
    # the busy worker is the one that no longer waits in the queue of free workers
    waiting = {w.pid for w in list(executor._free.queue)}
    busy = [pid for pid in before if pid not in waiting]
    assert len(busy) == 1
    os.kill(busy[0], signal.SIGKILL)
    thread.join(timeout=2.0)
    assert not thread.is_alive()
    assert len(errors) == 1
    assert isinstance(errors[0], WorkerCrashedError)
    assert "was killed by signal 9" in str(errors[0])
    # a worker that dies while idle is replaced without failing the next query
    idle = next(pid for pid in executor.pids() if pid != busy[0])
    os.kill(idle, signal.SIGKILL)
    time.sleep(0.1)
    for _ in range(3):
        assert len(rows(executor.execute(GOALS, timeout=5).body)) == 17
    assert len(executor.pids()) == 2
    assert busy[0] not in executor.pids()
    assert idle not in executor.pids()


def test_a_load_is_answered_from_the_new_release(
    kg: KnowledgeGraph, executor: QueryExecutor
) -> None:
    first = executor.execute(COUNT_TARGETS, timeout=5)
    assert rows(first.body) == [{"n": "0"}]
    record = kg.load(load_sdg_targets(kg.ids))
    assert record.release is not None
    for _ in range(2):  # both workers reopen
        second = executor.execute(COUNT_TARGETS, timeout=5)
        assert rows(second.body) == [{"n": "169"}]
        assert second.release == record.release != first.release
    assert executor.release == kg.current_release()
    # the old checkpoint is deleted once no worker has it open
    names = [p.name for p in executor.checkpoints_dir.iterdir()]
    assert names == [f"0002-{record.release}"]


def test_errors_and_bindings(kg: KnowledgeGraph, executor: QueryExecutor) -> None:
    with pytest.raises(StoreError, match="SPARQL syntax error"):
        executor.execute("SELECT ?x WHERE { ?x ", timeout=5)
    query = "SELECT ?g ?label WHERE { ?g skos:prefLabel ?label }"
    label = kg.select(P + GOALS)[0]["label"]
    assert isinstance(label, ox.Literal)
    found = executor.execute(query, bindings={"label": label}, timeout=5)
    assert len(rows(found.body)) == 1
    # a value that would change the query if it were spliced into the text
    sneaky = ox.Literal('x" } UNION { ?g ?p ?label } #', language="en")
    assert rows(executor.execute(query, bindings={"label": sneaky}, timeout=5).body) == []
    goal = ox.NamedNode("http://metadata.un.org/sdg/5")
    ask = executor.execute("ASK { ?g a sdgo:Goal }", bindings={"g": goal}, timeout=5)
    assert json.loads(ask.body)["boolean"] is True
    # without the predeclared prefixes, a prefixed name is an error
    with pytest.raises(StoreError, match="syntax"):
        executor.execute("ASK { sdg:5 a sdgo:Goal }", with_prefixes=False, timeout=5)


def test_close_leaves_no_child_processes(kg: KnowledgeGraph) -> None:
    ex = QueryExecutor(kg, workers=2).start()
    pids = ex.pids()
    assert children() == set(pids)
    thread, errors = in_background(ex)
    started = time.monotonic()
    ex.close()
    thread.join()
    assert time.monotonic() - started < 2.0
    assert isinstance(errors[0], ExecutorError)
    assert "closed" in str(errors[0])
    assert not any(alive(pid) for pid in pids)
    assert children() == set()
    assert list(ex.checkpoints_dir.iterdir()) == []
    assert kg.on_commit == []


def test_an_in_memory_store_has_no_executor() -> None:
    with pytest.raises(ExecutorUnavailableError, match="deadlines need an on-disk store"):
        QueryExecutor(KnowledgeGraph.in_memory())


def test_recomputed_entailments_are_checkpointed_under_the_same_release(
    kg: KnowledgeGraph, executor: QueryExecutor
) -> None:
    before = executor.execute("ASK {}", timeout=5).release
    kg.recompute_entailments()
    for _ in range(2):
        assert executor.execute("ASK {}", timeout=5).release == before
    names = [p.name for p in executor.checkpoints_dir.iterdir()]
    assert names == [f"0002-{before}"]


def test_the_workers_run_below_the_api_process(executor: QueryExecutor) -> None:
    """Queries that run to their deadline must not take the CPU from the event loop that
    answers cached lookups (docs/reliability.md, section 12)."""
    for pid in executor.pids():
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        assert int(fields[16]) == min(19, os.nice(0) + WORKER_NICENESS)  # field 19: nice
