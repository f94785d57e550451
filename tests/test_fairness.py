"""The budget of query time per client and the fair, bounded queue (graph/fairness.py), without
processes: a clock the test moves, and threads standing for requests."""

from __future__ import annotations

import threading
import time

import pytest

from graph.errors import OverBudgetError, QueueFullError, QueueWaitError
from graph.fairness import QueryBudget, WorkerGate
from graph.settings import Settings


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_client_past_its_burst_is_refused_until_its_time_refills() -> None:
    clock = Clock()
    budget = QueryBudget(budget=10, window=60, burst=20, clock=clock)
    budget.check("a")
    budget.charge("a", 15)
    budget.check("a")  # 5 s left
    budget.charge("a", 10)  # a query stopped at its deadline: in debt, -5 s
    with pytest.raises(OverBudgetError) as refused:
        budget.check("a")
    assert refused.value.http_status == 429
    # 5 s of debt at 10 s per 60 s: 30 s until it has query time again
    assert refused.value.headers == {"Retry-After": "31"}
    assert "a has used its query time: 10 s per 60 s" in str(refused.value)
    budget.check("b")  # another client is not touched
    clock.now += 31
    budget.check("a")
    assert budget.left("a") == pytest.approx(1 / 6)


def test_debt_is_at_most_one_burst_and_no_client_means_no_budget() -> None:
    clock = Clock()
    budget = QueryBudget(budget=60, window=60, burst=5, clock=clock)
    budget.charge("a", 1000)
    assert budget.left("a") == -5
    budget.charge(None, 1000)
    budget.check(None)
    off = QueryBudget(budget=0, window=60, burst=5, clock=clock)
    off.charge("a", 1000)
    off.check("a")


@pytest.fixture
def gate() -> WorkerGate:
    # 3 workers, 1 kept for lookups: analytics may hold 2
    return WorkerGate(workers=3, reserved=1, max_waiting=3, max_wait=2.0)


def _hold(gate: WorkerGate, lane: str, client: str, release: threading.Event) -> threading.Thread:
    entered = threading.Event()

    def run() -> None:
        with gate.slot(lane, client):  # type: ignore[arg-type]
            entered.set()
            release.wait(10)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert entered.wait(2)
    return thread


def test_analytics_cannot_take_the_workers_kept_for_lookups() -> None:
    gate = WorkerGate(workers=3, reserved=1, max_waiting=3, max_wait=0.3)
    release = threading.Event()
    holders = [_hold(gate, "analytics", f"heavy{i}", release) for i in range(2)]
    started = time.monotonic()
    with gate.slot("lookup", "reader"):
        pass
    assert time.monotonic() - started < 0.1
    with pytest.raises(QueueWaitError) as waited, gate.slot("analytics", "other"):
        pass
    assert 0.3 <= time.monotonic() - started < 1
    assert waited.value.http_status == 503
    assert waited.value.headers == {"Retry-After": "1"}
    release.set()
    for thread in holders:
        thread.join(2)


def test_the_next_worker_goes_to_a_client_that_runs_fewer(gate: WorkerGate) -> None:
    releases = [threading.Event(), threading.Event()]
    holders = [
        _hold(gate, "analytics", c, r) for c, r in zip(["busy", "heavy"], releases, strict=True)
    ]
    order: list[str] = []
    lock = threading.Lock()

    def ask(client: str) -> None:
        with gate.slot("analytics", client):
            with lock:
                order.append(client)
            time.sleep(0.2)

    waiters = [threading.Thread(target=ask, args=("heavy",)) for _ in range(2)]
    for thread in waiters:
        thread.start()
    time.sleep(0.1)  # the heavy client's two are queued first
    other = threading.Thread(target=ask, args=("light",))
    other.start()
    time.sleep(0.1)
    assert gate.waiting("analytics") == 3
    with pytest.raises(QueueFullError) as full:
        gate._enter("analytics", "more")
    assert full.value.headers == {"Retry-After": "1"}
    releases[0].set()  # one worker's place comes free
    time.sleep(0.1)
    # not to the heavy client, which runs one already (half of the 2 analytical workers)
    assert order == ["light"]  # though it came last
    releases[1].set()
    for thread in [*holders, *waiters, other]:
        thread.join(5)
    assert order == ["light", "heavy", "heavy"]
    assert gate.stats.queue_full == 1


def test_lookups_go_before_waiting_analytics() -> None:
    gate = WorkerGate(workers=2, reserved=0, max_waiting=10, max_wait=5.0)
    releases = [threading.Event(), threading.Event()]
    holders = [_hold(gate, "analytics", f"c{i}", r) for i, r in enumerate(releases)]
    order: list[str] = []

    def ask(lane: str) -> None:
        with gate.slot(lane, "x"):  # type: ignore[arg-type]
            order.append(lane)
            time.sleep(0.2)

    first = threading.Thread(target=ask, args=("analytics",))
    first.start()
    time.sleep(0.05)
    second = threading.Thread(target=ask, args=("lookup",))
    second.start()
    time.sleep(0.05)
    releases[0].set()
    time.sleep(0.1)
    assert order == ["lookup"]  # though the analytical query came first
    releases[1].set()
    for thread in [*holders, first, second]:
        thread.join(5)
    assert order == ["lookup", "analytics"]


@pytest.mark.parametrize(
    ("workers", "lookup_workers", "reserved"),
    [(1, None, 0), (2, None, 1), (4, None, 1), (8, None, 2), (8, 5, 5), (2, 0, 0)],
)
def test_the_workers_kept_for_lookups(
    workers: int, lookup_workers: int | None, reserved: int
) -> None:
    settings = Settings(query_workers=workers, lookup_workers=lookup_workers)
    assert settings.reserved_workers(workers) == reserved


def test_workers_follow_the_machine_and_lookups_leave_one_for_sparql(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for cores, workers in ((1, 3), (2, 3), (4, 5), (8, 10)):
        monkeypatch.setattr("os.sched_getaffinity", lambda _pid, n=cores: set(range(n)))
        settings = Settings()
        assert settings.query_workers == workers
        assert workers - settings.reserved_workers(workers) == max(2, cores)
    with pytest.raises(ValueError, match="WSISKG_LOOKUP_WORKERS"):
        Settings(query_workers=2, lookup_workers=2)


def test_a_client_that_used_its_query_time_waits_behind_one_that_did_not() -> None:
    budget = QueryBudget(budget=10, window=60, burst=20, clock=Clock())
    budget.charge("runaway", 15)
    gate = WorkerGate(workers=1, reserved=0, max_waiting=5, max_wait=5.0, left=budget.left)
    release = threading.Event()
    holder = _hold(gate, "analytics", "someone", release)
    order: list[str] = []

    def ask(client: str) -> None:
        with gate.slot("analytics", client):
            order.append(client)

    runaway = threading.Thread(target=ask, args=("runaway",))
    runaway.start()
    time.sleep(0.05)
    small = threading.Thread(target=ask, args=("small",))
    small.start()
    time.sleep(0.05)
    release.set()
    for thread in (holder, runaway, small):
        thread.join(5)
    assert order == ["small", "runaway"]  # though the runaway client asked first


def test_a_client_whose_queries_keep_failing_is_refused_too() -> None:
    """Queries that wait too long and never run use no query time: counted as failures."""
    clock = Clock()
    budget = QueryBudget(budget=10, window=60, burst=20, clock=clock, failures=3)
    for _ in range(3):
        budget.check("a")
        budget.failed("a")
    with pytest.raises(OverBudgetError) as refused:
        budget.check("a")
    assert "too many queries of a failed" in str(refused.value)
    assert refused.value.headers == {"Retry-After": "20"}  # one failure back: 60 s / 3
    budget.check("b")
    clock.now += 20
    budget.check("a")


def test_when_busy_a_client_past_half_its_burst_is_refused_rather_than_queued() -> None:
    clock = Clock()
    budget = QueryBudget(budget=10, window=60, burst=20, clock=clock)
    budget.check_busy("fresh")
    budget.charge("heavy", 11)  # 9 s left of 20: less than half
    budget.check("heavy")  # not busy: it may still run
    with pytest.raises(OverBudgetError) as refused:
        budget.check_busy("heavy")
    assert "the service is busy" in str(refused.value)
    assert refused.value.headers == {"Retry-After": "6"}  # 1 s to refill at 1/6 s per s
    gate = WorkerGate(workers=2, reserved=1, max_waiting=5, max_wait=5.0)
    assert not gate.busy("a")
    release = threading.Event()
    holder = _hold(gate, "analytics", "a", release)
    assert gate.busy("b")
    release.set()
    holder.join(5)
    assert not gate.busy("b")


def test_a_query_refused_after_the_longest_wait_costs_what_the_clients_queries_cost() -> None:
    """What tells a heavy client from a busy service: a dropped query is charged the running
    mean of the client's own queries. One whose queries run to a 5 s deadline is refused
    with 429 after a few drops; one whose queries take 0.2 s loses almost nothing."""
    clock = Clock()
    budget = QueryBudget(budget=15, window=60, burst=30, clock=clock)
    budget.charge("heavy", 5.0)  # its first query ran to the deadline
    budget.charge("light", 0.2)
    assert budget.cost("heavy") == pytest.approx(5.0)
    assert budget.cost("new") == 0.0
    budget.dropped("new")  # none of its queries ran: nothing to charge
    assert budget.left("new") == 30
    for _ in range(5):  # waited 10 s behind the others each time, then dropped
        budget.check("heavy")
        budget.dropped("heavy")
        budget.check("light")
        budget.dropped("light")
        clock.now += 10
    # 30 s - 6 x 5 s charged + 50 s x 0.25 s/s refilled
    assert budget.left("heavy") == pytest.approx(12.5)
    for _ in range(3):
        budget.check("heavy")
        budget.dropped("heavy")
    with pytest.raises(OverBudgetError) as refused:  # -2.5 s
        budget.check("heavy")
    assert refused.value.http_status == 429
    assert budget.left("light") == pytest.approx(30)  # 6 x 0.2 s, refilled meanwhile
    budget.charge("heavy", 0.1)  # a small query moves the mean, not all of it
    assert 0.1 < budget.cost("heavy") < 5.0
