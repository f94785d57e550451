"""Fair shares of the query workers: a query-time budget per client, two lanes, a fair queue.

One analyst's runaway queries must not take the service from everyone else (issue 18). Three
mechanisms, all in front of the workers, so a refused query never reaches one:

Why a budget of query time
    A limit on requests in progress (api/limits.py) does not stop a client from keeping a
    worker busy for its whole deadline, again and again. So each client has, like the
    Wikidata Query Service's users, so many seconds of query time per window with a burst
    allowance (a token bucket: ``burst`` seconds at most, refilled at ``budget / window``
    seconds per second). Each SPARQL query a client wrote is charged the time it held a
    worker, a query stopped at its deadline the whole deadline. A client whose bucket is
    empty is refused at once with :class:`OverBudgetError` (429) and the seconds until it has
    query time again; when the service is busy (the query would wait), so is a client that
    has used more than half of its burst, rather than let it wait behind everyone else's
    queries and hold a thread and a place in the queue. The named queries of the REST
    routes have no budget (they are the
    service's own, bounded, and their answers are kept per release); answers from a cache
    cost nothing at all.

Why two lanes
    The named queries behind the REST routes and the dashboard (lookups) are small and
    bounded; SPARQL text a client writes (analytics) may be anything. Analytics may hold at
    most ``workers - reserved`` workers at once, so ``reserved`` workers are always left for
    lookups, whatever arrives on /sparql; a lookup may use any free worker and goes first
    (between lookups, fairly between clients too).
    One client may run at most half of the analytical share at once (at least one query),
    so with two analytical workers or more, one client's runaway queries never hold them
    all.

Why a bounded, fair queue
    When the analytical workers are busy a query waits, but not in arrival order: the next
    worker goes to the waiting client with the fewest queries running, then to the one with
    the most query time left (the one that used least of late), then to the one served least
    recently, so a client with four queries waiting does not make the others wait four times,
    and a client whose queries run to their deadline waits behind those whose queries are
    small. At most ``max_waiting`` analytical queries wait (more: :class:`QueueFullError`,
    503 at once), and none waits longer than ``max_wait`` seconds (:class:`QueueWaitError`,
    503). Both carry ``Retry-After``. The wait does not count against the query's deadline:
    a query behind one that runs to its deadline is still answered.

Who is asking: the API sets :data:`asker` for each request (api/limits.py, the client as the
concurrency limit counts it); work with no asker (the per-release answers computed in the
background, the command line) has no budget.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Literal

from graph.errors import OverBudgetError, QueueFullError, QueueWaitError

Lane = Literal["lookup", "analytics"]

# The client the current request comes from (None: no client, e.g. background work).
asker: ContextVar[str | None] = ContextVar("wsiskg_asker", default=None)

# Clients remembered by a budget before those with a full bucket are forgotten.
_MAX_CLIENTS = 10_000
# The weight of a query's time in its client's running mean of query time (an exponential
# moving average: about the last five queries count).
_COST_WEIGHT = 0.3


class QueryBudget:
    """Seconds of query time per client: a token bucket of ``burst`` seconds refilled at
    ``budget`` seconds per ``window`` seconds (thread-safe). ``budget`` 0: no limit.

    And, as the Wikidata Query Service also counts a client's errors, ``failures`` queries
    stopped at their deadline per ``window``. ``failures`` 0: not counted. (Queries refused
    after the longest wait are not counted as failures: on a busy service that would refuse
    every client whose queries wait, the ordinary ones first.)

    A query refused after the longest wait never ran, so it has no time to charge; it is
    charged what the client's queries cost when they run (:meth:`dropped`: the running mean
    of the time they held a worker, the deadline for one stopped at it). A client whose
    queries are small loses little when the service is busy; one whose queries run to their
    deadline loses a deadline's worth each time, so waiting in the queue uses up its budget
    as running would have, and it is refused with 429 rather than waiting again and again
    (what tells a heavy client from a busy service)."""

    def __init__(
        self,
        budget: float,
        window: float,
        burst: float,
        clock: Callable[[], float] = time.monotonic,
        failures: float = 0,
    ) -> None:
        self.budget = budget
        self.window = window
        self.burst = burst
        self.failures = failures
        self.rate = budget / window if window > 0 else 0.0
        self._failure_rate = failures / window if window > 0 else 0.0
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}  # client: (seconds left, when)
        self._failed: dict[str, tuple[float, float]] = {}  # client: (failures left, when)
        self._cost: dict[str, float] = {}  # client: running mean of a query's time, seconds
        self.refused = 0

    @property
    def enabled(self) -> bool:
        return self.budget > 0

    def _left(self, client: str, now: float) -> float:
        left, when = self._buckets.get(client, (self.burst, now))
        return min(self.burst, left + (now - when) * self.rate)

    def left(self, client: str | None) -> float:
        """The seconds of query time ``client`` has now (no client: a full bucket)."""
        if client is None or not self.enabled:
            return self.burst
        with self._lock:
            return self._left(client, self._clock())

    def _failures_left(self, client: str, now: float) -> float:
        left, when = self._failed.get(client, (self.failures, now))
        return min(self.failures, left + (now - when) * self._failure_rate)

    def check(self, client: str | None) -> None:
        """Raise :class:`OverBudgetError` if ``client`` has no query time left, or too many
        of its queries failed of late."""
        if client is None or not self.enabled:
            return
        with self._lock:
            now = self._clock()
            left = self._left(client, now)
            failures = self._failures_left(client, now) if self.failures > 0 else 1.0
            if left > 0 and failures >= 1:
                return
            self.refused += 1
        if failures < 1:
            raise OverBudgetError(
                f"too many queries of {client} failed (past their deadline, or waited too "
                f"long): at most {self.failures:g} per {self.window:g} s",
                (1 - failures) / self._failure_rate,
            )
        raise OverBudgetError(
            f"{client} has used its query time: {self.budget:g} s per {self.window:g} s, at "
            f"most {self.burst:g} s at once",
            (1e-3 - left) / self.rate,
        )

    def charge(self, client: str | None, seconds: float) -> None:
        """Take ``seconds`` of query time from ``client`` (its debt is at most one burst)."""
        if client is None or not self.enabled:
            return
        with self._lock:
            cost = self._cost.get(client)
            self._cost[client] = seconds if cost is None else cost + _COST_WEIGHT * (seconds - cost)
            self._take(client, seconds)

    def _take(self, client: str, seconds: float) -> None:
        now = self._clock()
        left = max(-self.burst, self._left(client, now) - seconds)
        self._buckets[client] = (left, now)
        if len(self._buckets) > _MAX_CLIENTS:
            self._forget_full(now)

    def cost(self, client: str | None) -> float:
        """What a query of ``client`` costs when it runs: the running mean of the time its
        queries held a worker (0 for a client none of whose queries ran)."""
        with self._lock:
            return self._cost.get(client, 0.0) if client is not None else 0.0

    def dropped(self, client: str | None) -> None:
        """Charge ``client`` for a query refused after the longest wait: what its queries
        cost when they run (:meth:`cost`)."""
        if client is None or not self.enabled:
            return
        with self._lock:
            self._take(client, self._cost.get(client, 0.0))

    def check_busy(self, client: str | None) -> None:
        """When the service is busy: raise :class:`OverBudgetError` if ``client`` has used
        more than half of its burst (it would wait behind everyone else, and keep a thread
        and a place in the queue meanwhile)."""
        if client is None or not self.enabled:
            return
        half = self.burst / 2
        with self._lock:
            left = self._left(client, self._clock())
            if left >= half:
                return
            self.refused += 1
        raise OverBudgetError(
            f"the service is busy and {client} has used more than half of its query time "
            f"({self.budget:g} s per {self.window:g} s, at most {self.burst:g} s at once)",
            (half - left) / self.rate,
        )

    def failed(self, client: str | None) -> None:
        """Count a failed query of ``client``."""
        if client is None or not self.enabled or self.failures <= 0:
            return
        with self._lock:
            now = self._clock()
            self._failed[client] = (max(0.0, self._failures_left(client, now) - 1), now)
            if len(self._failed) > _MAX_CLIENTS:
                self._forget_full(now)

    def _forget_full(self, now: float) -> None:
        """Forget the clients whose buckets have refilled: they are as if never seen."""
        full = [c for c in self._buckets if self._left(c, now) >= self.burst]
        for client in full:
            del self._buckets[client]
            self._cost.pop(client, None)
        full = [c for c in self._failed if self._failures_left(c, now) >= self.failures]
        for client in full:
            del self._failed[client]


@dataclass(eq=False)
class _Ticket:
    lane: Lane
    client: str | None
    seq: int
    granted: bool = False


@dataclass
class _Client:
    running: int = 0
    analytics: int = 0  # of which analytical
    served: float = 0.0  # when it was last given a worker


@dataclass
class GateStats:
    """What the gate has done, for /metrics and the tests."""

    granted: dict[str, int] = field(default_factory=lambda: {"lookup": 0, "analytics": 0})
    queue_full: int = 0
    waited_too_long: int = 0


class WorkerGate:
    """Who runs next on the ``workers`` query workers (thread-safe); see the module's
    docstring. :meth:`slot` holds one worker's place while a query runs."""

    def __init__(
        self,
        workers: int,
        reserved: int,
        max_waiting: int,
        max_wait: float,
        clock: Callable[[], float] = time.monotonic,
        left: Callable[[str | None], float] | None = None,
    ) -> None:
        if workers < 1 or not 0 <= reserved < max(workers, 2):
            raise ValueError("need at least one worker, and fewer reserved than workers")
        self.workers = workers
        self.reserved = min(reserved, workers - 1)
        self.max_waiting = max_waiting
        self.max_wait = max_wait
        self._clock = clock
        self._left = left or (lambda _client: 0.0)  # query time left: more goes first
        self._cond = threading.Condition()
        self._running = {"lookup": 0, "analytics": 0}
        self._waiting: list[_Ticket] = []
        self._clients: dict[str | None, _Client] = {}
        self._seq = 0
        self.stats = GateStats()

    @property
    def analytics_workers(self) -> int:
        return self.workers - self.reserved

    @property
    def per_client(self) -> int:
        """The most analytical queries one client may run at once: half the share."""
        return max(1, self.analytics_workers // 2)

    def waiting(self, lane: Lane) -> int:
        with self._cond:
            return sum(1 for t in self._waiting if t.lane == lane)

    def busy(self, client: str | None) -> bool:
        """Whether an analytical query of ``client`` would have to wait now."""
        with self._cond:
            state = self._clients.get(client)
            return (
                any(t.lane == "analytics" for t in self._waiting)
                or self._running["analytics"] >= self.analytics_workers
                or sum(self._running.values()) >= self.workers
                or (state is not None and state.analytics >= self.per_client)
            )

    @contextlib.contextmanager
    def slot(self, lane: Lane, client: str | None) -> Iterator[None]:
        """Wait for a worker's place in ``lane`` (fairly), hold it for the block."""
        ticket = self._enter(lane, client)
        try:
            yield
        finally:
            self._leave(ticket)

    def _enter(self, lane: Lane, client: str | None) -> _Ticket:
        with self._cond:
            if lane == "analytics":
                waiting = sum(1 for t in self._waiting if t.lane == "analytics")
                if waiting >= self.max_waiting:
                    self.stats.queue_full += 1
                    raise QueueFullError(
                        f"{waiting} analytical queries are already waiting for a query worker",
                        self.max_wait / 2,
                    )
            self._seq += 1
            ticket = _Ticket(lane, client, self._seq)
            self._clients.setdefault(client, _Client())
            self._waiting.append(ticket)
            self._dispatch()
            end = self._clock() + self.max_wait
            while not ticket.granted:
                left = end - self._clock()
                if left <= 0:
                    self._waiting.remove(ticket)
                    self._forget(client)
                    self.stats.waited_too_long += 1
                    raise QueueWaitError(
                        f"no query worker became free within {self.max_wait:g} s (the "
                        "service is busy)",
                        self.max_wait / 2,
                    )
                self._cond.wait(left)
            return ticket

    def _leave(self, ticket: _Ticket) -> None:
        with self._cond:
            self._running[ticket.lane] -= 1
            state = self._clients[ticket.client]
            state.running -= 1
            if ticket.lane == "analytics":
                state.analytics -= 1
            self._forget(ticket.client)
            self._dispatch()

    def _forget(self, client: str | None) -> None:
        state = self._clients.get(client)
        waiting = any(t.client == client for t in self._waiting)
        if state is not None and state.running == 0 and not waiting:
            del self._clients[client]

    def _dispatch(self) -> None:
        """Give free places to waiting tickets (with the lock held): lookups first, then
        analytics within its share; within a lane, fairly between clients (:meth:`_next`).
        A client is forgotten when it has nothing running or waiting, so "served least
        recently" orders the clients that are asking now."""
        granted = False
        while self._waiting and sum(self._running.values()) < self.workers:
            ticket = self._next()
            if ticket is None:
                break
            self._waiting.remove(ticket)
            ticket.granted = True
            granted = True
            self._running[ticket.lane] += 1
            state = self._clients[ticket.client]
            state.running += 1
            state.analytics += ticket.lane == "analytics"
            state.served = self._clock()
            self.stats.granted[ticket.lane] += 1
        if granted:
            self._cond.notify_all()

    def _next(self) -> _Ticket | None:
        def rank(t: _Ticket) -> tuple[int, float, float, int]:
            state = self._clients[t.client]
            return (state.running, -self._left(t.client), state.served, t.seq)

        lookups = [t for t in self._waiting if t.lane == "lookup"]
        if lookups:
            return min(lookups, key=rank)
        if self._running["analytics"] >= self.analytics_workers:
            return None

        allowed = [t for t in self._waiting if self._clients[t.client].analytics < self.per_client]
        return min(allowed, key=rank, default=None)
