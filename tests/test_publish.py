"""A write's release is published once the answers asked most recently are computed on it
(issue 15: lookups while a corpus is posted): until then every query answers from the
release before the write, whole; after it, from the new one, whose cached answers are those
a fresh computation gives. Real worker processes over checkpoints of a real on-disk store,
and a real server over HTTP."""

from __future__ import annotations

import gc
import json
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bench.textload_texts import synthetic_resolution
from graph import catalogue
from graph.cache import Kept
from graph.executor import ExecutorError, QueryExecutor, QueryTimeout
from graph.publish import affordable
from graph.service import QueryService
from graph.settings import Settings
from graph.store import KnowledgeGraph, StoreError
from loaders.reference import load_sdg_goals, load_sdg_targets
from ontology import sparql_prefixes
from tests.servers import running_server

COUNT_TARGETS = sparql_prefixes() + "SELECT (COUNT(?t) AS ?n) WHERE { ?t a sdgo:Target }"
TOKEN = "a-write-token-of-enough-length-0123456789"


# ---------------------------------------------------------------------- the executor


@pytest.fixture
def kg(tmp_path: Path) -> Iterator[KnowledgeGraph]:
    graph = KnowledgeGraph.open(tmp_path / "store")
    graph.load_ontology()
    graph.load(load_sdg_goals(graph.ids))
    yield graph
    graph.close()


def _targets(executor: QueryExecutor) -> int:
    answer = executor.execute(COUNT_TARGETS, accept="application/sparql-results+json")
    return int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"])


def test_with_a_publisher_queries_see_a_commit_only_once_it_is_published(
    kg: KnowledgeGraph,
) -> None:
    with QueryExecutor(kg, workers=2, timeout=30.0) as executor:
        executor.attach_publisher()
        before = executor.release
        assert _targets(executor) == 0
        kg.load(load_sdg_targets(kg.ids))  # no hook publishes it
        assert _targets(executor) == 0
        assert executor.release == before != kg.current_release()
        seen_elsewhere: list[int] = []
        with executor.next_release() as staged:
            assert staged is not None
            assert staged.release == kg.current_release()
            with executor.pinned(staged):
                assert _targets(executor) == 169
                assert executor.release == staged.release
            # another thread, meanwhile: the release before the write, whole
            other = threading.Thread(target=lambda: seen_elsewhere.append(_targets(executor)))
            other.start()
            other.join(60)
            assert executor.release == before
        assert seen_elsewhere == [0]
        assert _targets(executor) == 169
        assert executor.release == kg.current_release()
        # nothing new: nothing to stage
        with executor.next_release() as staged:
            assert staged is None
        # detached: the next query checkpoints the commit itself, as without a publisher
        executor.detach_publisher()
        kg.update(sparql_prefixes() + "DELETE WHERE { GRAPH ?g { ?t a sdgo:Target } }")
        assert _targets(executor) == 0


def test_a_commit_left_unpublished_is_seen_once_its_lease_runs_out(kg: KnowledgeGraph) -> None:
    with QueryExecutor(kg, workers=1, timeout=30.0) as executor:
        executor.attach_publisher()
        executor.lease = 0.5
        kg.load(load_sdg_targets(kg.ids))  # a write whose hook never publishes it
        assert _targets(executor) == 0
        time.sleep(0.8)
        assert _targets(executor) == 169
        assert executor.release == kg.current_release()


def test_a_release_that_cannot_be_checkpointed_is_left_to_the_next_query(
    kg: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    with QueryExecutor(kg, workers=1, timeout=30.0) as executor:
        executor.attach_publisher()
        kg.load(load_sdg_targets(kg.ids))

        def full(target: Path) -> str | None:
            raise StoreError(f"cannot checkpoint the store into {target}: disk full")

        with monkeypatch.context() as patched:
            patched.setattr(kg, "checkpoint", full)
            with pytest.raises(ExecutorError, match="disk full"), executor.next_release():
                pass
        assert _targets(executor) == 169  # not left on the release before the write


def test_a_pinned_computation_ends_by_its_time_and_keeps_its_checkpoint(
    kg: KnowledgeGraph,
) -> None:
    with QueryExecutor(kg, workers=1, timeout=30.0) as executor:
        executor.attach_publisher()
        old = executor.current_checkpoint()
        with executor.pinned(old):
            kg.load(load_sdg_targets(kg.ids))
            with executor.next_release() as staged:
                assert staged is not None
            assert executor.release_now() == old.release
            assert _targets(executor) == 0  # on the pinned release, kept from pruning
            assert old.path.is_dir()
        assert _targets(executor) == 169
        with (
            executor.pinned(executor.current_checkpoint(), until=time.monotonic() - 1),
            pytest.raises(QueryTimeout, match="run out"),
        ):
            _targets(executor)


def test_a_service_dropped_without_closing_stops_publishing(kg: KnowledgeGraph) -> None:
    with QueryExecutor(kg, workers=1, timeout=30.0) as executor:
        service = QueryService(kg, Settings(), executor).start(precompute=False)
        assert executor.publishes
        del service
        gc.collect()
        assert not executor.publishes
        kg.load(load_sdg_targets(kg.ids))  # its hook does nothing now: the query checkpoints
        assert _targets(executor) == 169


# ---------------------------------------------------------------------- the service


@pytest.fixture
def served(kg: KnowledgeGraph) -> Iterator[QueryService]:
    with QueryExecutor(kg, workers=2, timeout=30.0) as executor:
        service = QueryService(kg, Settings(), executor).start(precompute=False)
        yield service
        service.close()


def test_the_answers_asked_before_a_write_are_computed_on_its_release_before_it_is_published(
    kg: KnowledgeGraph, served: QueryService
) -> None:
    goal = {"goal": "9"}
    first = catalogue.run(served, "sdg", goal)
    assert {row.get("target") for row in first.rows} == {None}  # the goal, no target yet
    misses, hits = served.answers.misses, served.answers.hits
    kg.load(load_sdg_targets(kg.ids))  # the service's hook warms, then publishes
    assert served.current_release() == kg.current_release()
    after = catalogue.run(served, "sdg", goal)
    assert (served.answers.misses, served.answers.hits) == (misses, hits + 1)  # warmed
    # the warmed answer is the new release's: what a computation without cache gives
    assert after.rows == catalogue.run(kg, "sdg", goal).rows
    assert len({row["target"] for row in after.rows}) == 8  # 9.1 ... 9.5, 9.a, 9.b, 9.c


def test_an_answer_that_fails_to_warm_is_computed_when_asked_and_the_write_is_published(
    kg: KnowledgeGraph, served: QueryService
) -> None:
    release = served.current_release()

    def broken(_: object) -> object:
        raise RuntimeError("cannot be computed again")

    served.answers.get_or_compute(release, "broken", lambda _: "old", served)
    served.answers.put(release, "broken", "old", broken, 0.01)
    kg.load(load_sdg_targets(kg.ids))
    assert served.current_release() == kg.current_release() != release
    fresh = served.answers.get_or_compute(
        served.current_release(), "broken", lambda _: "new", served
    )
    assert fresh == "new"


@pytest.mark.parametrize("setting", [{"warm_seconds": 0.0}, {"warm_answers": 0}])
def test_past_the_time_or_number_set_the_answers_are_computed_when_asked(
    kg: KnowledgeGraph, served: QueryService, setting: dict[str, float]
) -> None:
    served.settings = Settings(**setting)  # type: ignore[arg-type]
    catalogue.run(served, "sdg", {"goal": "9"})
    misses = served.answers.misses
    kg.load(load_sdg_targets(kg.ids))
    assert served.current_release() == kg.current_release()
    catalogue.run(served, "sdg", {"goal": "9"})
    assert served.answers.misses == misses + 1


# ---------------------------------------------------------------------- over HTTP

LOOKUPS = ("/action-lines/C5", "/sdgs/9", "/resolutions/WTSA/75", "/study-groups")


def _metric(base: str, name: str) -> float:
    text = httpx.get(f"{base}/metrics", timeout=60).text
    (value,) = re.findall(rf"^{name} (\S+)$", text, flags=re.MULTILINE)
    return float(value)


@pytest.mark.slow
def test_after_a_post_the_lookups_asked_before_it_are_answered_from_the_cache(
    store_copy: Path, tmp_path: Path
) -> None:
    document = tmp_path / "posted-resolution.txt"
    document.write_text(synthetic_resolution(1, seed=4242), encoding="utf-8")
    # the warming's time (WSISKG_WARM_SECONDS, 1 s by default) raised: on a machine busy with
    # other tests, an answer past it was computed again when asked (one more miss, seen in a
    # run on three workers); what fits in the time is tested below, not here
    env = {"WSISKG_WRITE_TOKEN": TOKEN, "WSISKG_WARM_SECONDS": "30"}
    with running_server(store_copy, env) as base:
        before = {path: httpx.get(base + path, timeout=60) for path in LOOKUPS}
        assert all(answer.status_code == 200 for answer in before.values())
        release = httpx.get(f"{base}/health", timeout=60).json()["release"]
        misses = _metric(base, "wsiskg_answer_cache_misses")
        posted = httpx.post(
            f"{base}/documents",
            files={"file": (document.name, document.read_bytes(), "text/plain")},
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=300,
        )
        assert posted.status_code == 201, posted.text
        new = posted.json()["release"]
        assert new != release
        assert httpx.get(f"{base}/health", timeout=60).json()["release"] == new
        for path in LOOKUPS:
            answer = httpx.get(base + path, timeout=60)
            assert answer.status_code == 200
            assert answer.headers["etag"].startswith(f'"{new}-')  # the new release's answer
        # each was computed on the new release before the POST returned
        assert _metric(base, "wsiskg_answer_cache_misses") == misses


def test_only_the_answers_that_fit_in_the_time_are_warmed() -> None:
    def recipe(_: object) -> None:
        return None

    kept = [
        Kept("quick", recipe, 0.1),
        Kept("slow", recipe, 1.5),  # longer than the whole time: stopped at the deadline
        Kept("medium", recipe, 0.9),
        Kept("more", recipe, 0.9),
        Kept("last", recipe, 0.2),
    ]
    # 1 s each on 2 workers: 2 s of the workers' time, the most recent first
    assert [k.key for k in affordable(kept, 1.0, 2)] == ["quick", "medium", "more"]
    assert affordable(kept, 0.0, 2) == []
