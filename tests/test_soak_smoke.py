"""The soak (bench/soak.py), short: 8 clients for about 25 s against a real `wsiskg serve` over
a copy of the loaded store (the built-in data, no synthetic triples). It checks what must hold
on any machine, never a latency: no unexpected answer, the pathological queries stopped with
a 503 within the longest wait for a worker + the deadline + 1 s, an abusive client refused,
no file descriptors leaked, the server still answering.
The full soak (`python -m bench soak`, minutes over ~1M triples) is in docs/reliability.md."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench.soak import (
    END,
    START,
    SoakResult,
    SoakSettings,
    render,
    soak,
    synthetic_copies,
    write_report,
)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("soak")


@pytest.fixture(scope="module")
def smoke(loaded_store: Path, work: Path) -> SoakResult:
    store = work / "store"
    shutil.copytree(loaded_store, store)
    return soak(store, SoakSettings.for_smoke(), work / "serve.log")


@pytest.mark.slow
def test_no_unexpected_answer(smoke: SoakResult, work: Path) -> None:
    """Every request answered, with a 200, or a 503 for a query past its deadline or its
    longest wait (or a 429, bounded by the next test).

    Which ordinary queries miss their deadline or wait too long for a worker is a matter of
    latency, which this test never asserts: on a machine busy with other work, while
    pathological queries hold the analytical workers, some analytical queries may (the full
    soak counts them as errors, docs/reliability.md). So a 503 is allowed for them, as long
    as most of each kind are answered; any other status, or no answer, or a traceback in the
    server's log, is a failure."""
    assert smoke.of("lookup")
    assert smoke.of("analytical")
    assert not smoke.failures, smoke.failures  # every request got an answer
    for kind in ("lookup", "analytical"):
        seen = smoke.of(kind)
        statuses = {o.status for o in seen}
        assert statuses <= {200, 503, 429}, (kind, statuses)  # 429: the test below
        assert sum(1 for o in seen if o.status == 200) >= 0.5 * len(seen), kind
    log = (work / "serve.log").read_text(errors="replace")
    assert "Traceback" not in log
    assert '" 500 ' not in log


@pytest.mark.slow
def test_pathological_queries_are_stopped_at_their_deadline(smoke: SoakResult) -> None:
    deadline = smoke.settings.deadline
    pathological = smoke.of("pathological")
    assert len(pathological) >= 2  # one every 8 s, the first after 4 s
    for o in pathological:
        assert o.status == 503
        # it may wait for the analytical worker (one on a 2-core machine) behind the abusive
        # client's query, then runs to its deadline
        assert o.seconds <= smoke.settings.max_wait + deadline + 1.0


@pytest.mark.slow
def test_the_abusive_client_is_refused_while_the_others_are_answered(smoke: SoakResult) -> None:
    """Issue 18: a client sending nothing but the pathological query, again and again, uses
    its 8 s of query time with two of them (with one, past half of it, when the service is
    busy), then gets 429s at once, never a 200 (unless the queue refused every one of its
    queries: see below). No lookup is ever refused for
    a budget (the REST routes' named queries have none). An ordinary client may be refused
    a SPARQL query when three of its own failed within the minute on a busy machine (the
    defence doing its job), never most of them."""
    deadline = smoke.settings.deadline
    abusive = smoke.of("abusive")
    statuses = [o.status for o in abusive]
    seen = [(o.status, round(o.seconds, 1)) for o in abusive]
    assert set(statuses) <= {429, 503}, seen
    # Its budget is charged for queries that ran (one stopped at its deadline: the whole
    # deadline). On a machine so busy that the analytical queue stays full, every one of its
    # queries is refused at once (503, queue full) and none runs: refused all the same, with
    # nothing to charge. Once one has run, two more requests at most and it gets a 429 (the
    # next is refused as over half its burst when the service is busy, or runs and empties it).
    ran = [i for i, o in enumerate(abusive) if o.status == 503 and o.seconds >= deadline]
    if ran and len(abusive) - ran[0] > 2:
        assert 429 in statuses[ran[0] :], seen
    assert all(o.seconds < 1.0 for o in abusive if o.status == 429)
    assert all(o.status != 429 for o in smoke.of("lookup"))
    analytical = smoke.of("analytical")
    assert sum(1 for o in analytical if o.status == 429) <= 0.1 * len(analytical)


@pytest.mark.slow
def test_no_file_descriptors_leak_and_the_server_still_answers(smoke: SoakResult) -> None:
    # the search index opens one SQLite connection (2 fds) per thread of the pool, and one
    # thread serves each request in progress: a bounded growth, then a plateau
    clients = smoke.settings.clients
    assert smoke.fds_after[0] - smoke.fds_before[0] <= 4 * clients, (
        smoke.fds_before,
        smoke.fds_after,
    )
    assert smoke.health_after == 200
    assert smoke.samples
    assert all(s.server_rss > 0 for s in smoke.samples)


@pytest.mark.slow
def test_the_report_renders(smoke: SoakResult, tmp_path: Path) -> None:
    text = render(smoke, "python -m bench soak --smoke", datetime.now(UTC), {"CPU": "x"}, {})
    assert "p50 / p99 of lookups" in text
    assert "/sparql (cross product)" in text
    report = tmp_path / "reliability.md"
    report.write_text("# R\n\n## 10. Soak\n<!-- section:soak -->\n\n## 11. Backups\nkept\n")
    write_report(report, text)
    write_report(report, text)  # a second run replaces its block
    written = report.read_text()
    assert written.count(START) == written.count(END) == 1
    assert written.index("<!-- section:soak -->") < written.index(START)
    assert written.index(END) < written.index("## 11. Backups")
    assert written.endswith("## 11. Backups\nkept\n")


def test_synthetic_copies_are_seeded_and_own_their_iris(tmp_path: Path) -> None:
    base = "https://w3id.org/wsis-kg/id/"
    lines = []
    for n in range(50):
        rec, pub = f"<{base}itu-t/rec/X.{n}>", f"<{base}itu-t/pub/X.{n}_2020-01>"
        lines += [
            f"{pub} <http://purl.org/dc/terms/isVersionOf> {rec} .",
            f'{rec} <http://www.w3.org/2004/02/skos/core#notation> "X.{n}" .',
            f"{rec} <https://w3id.org/wsis-kg/ontology#inSeries> <{base}itu-t/series/X> .",
        ]
    export = tmp_path / "export.nt"
    export.write_text("\n".join(lines) + "\n")
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    files = synthetic_copies(export, first, 260, seed=7)
    again = synthetic_copies(export, second, 260, seed=7)
    assert [f.read_text() for f in files] == [f.read_text() for f in again]
    assert len(files) == 2  # one whole copy (150) and a seeded part of another
    written = [line for f in files for line in f.read_text().splitlines()]
    assert 260 <= len(written) < 263  # whole subjects: at most one subject's lines over
    assert f"<{base}synthetic/1/itu-t/rec/X.0>" in files[0].read_text()
    assert all("/synthetic/" in line.split(" ")[0] for line in written)
    # what the copies point to stays shared
    assert f"<{base}itu-t/series/X>" in files[1].read_text()
