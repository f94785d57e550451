"""The query service: the knowledge graph, where its queries run, its deadline, its commit hook.

Everything that answers a query (the REST routes, ``/sparql``, the dashboard, search, the
CLI) goes through one :class:`QueryService`, built at one composition root
(:func:`build_service`). It decides once, when it is built, where queries run:

* with a :class:`~graph.executor.QueryExecutor` (an on-disk store served by the API): in a
  worker process over a checkpoint of the current release, stopped at the deadline;
* without one: in this process, over a SPARQL server (graph/remote.py, whose HTTP timeout is
  the deadline) or an in-memory graph (tests; no deadline).

Either way an answer is serialised by graph/results.py, so it is the same bytes.

The service also owns what follows a committed write: it hangs ONE hook on the
KnowledgeGraph (replacing the hook of any earlier service of the same graph, so that building
two applications over one graph does not stack callbacks) and calls its subscribers from it.
Two are its own:

* the full-text search index of the graph (graph/search/), which the service opens on first
  use (:meth:`QueryService.search_index`), syncs after each commit before the writer returns
  (a new text is found at once) and closes with itself; nothing else keeps an index, so two
  services on two graphs keep two indexes;
* the per-release answers of the named queries with a ``precompute`` line
  (graph/catalogue.py), computed in the background so that no request waits for them: when
  the service starts, and when the writes pause for a second (once for a burst of writes);
* with the worker pool, the publication of the new release, last, once the answers asked
  most recently are computed on it (graph/publish.py): the lookups made while a corpus is
  posted keep their cached answers.

The executor needs no callback: it sees a write by :attr:`KnowledgeGraph.writes`.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import weakref
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import TypeVar

import pyoxigraph as ox

from graph import catalogue
from graph.cache import AnswerCache
from graph.errors import QueueWaitError, StoreError
from graph.executor import QueryExecutor, QueryTimeout
from graph.fairness import Lane, QueryBudget, WorkerGate, asker
from graph.publish import publish
from graph.results import Accept, Answer, QueryResult, media_types, serialise
from graph.search import SearchIndex, SearchResult, index_path, parse_query
from graph.settings import Settings
from graph.store import KnowledgeGraph

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Subscriber = Callable[[str | None], None]
T = TypeVar("T")

_log = logging.getLogger("wsiskg.service")
# seconds without a write after which the per-release answers are computed again
PRECOMPUTE_SETTLE = 1.0


class _Runner:
    """Where the queries of a service run: in this process (this class) or in the workers."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.kg = kg

    def execute(
        self,
        sparql: str,
        *,
        accept: Accept,
        timeout: float,
        bindings: Mapping[str, Term] | None,
        default_graphs: Sequence[str] | None,
        named_graphs: Sequence[str] | None,
        base_iri: str | None,
        max_rows: int | None,
    ) -> QueryResult:
        release = self.kg.current_release()
        result = self.kg.endpoint_query(
            sparql,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            base_iri=base_iri,
            bindings=bindings,
        )
        return replace(serialise(result, media_types(accept), max_rows), release=release)

    def solutions(self, sparql: str, bindings: Mapping[str, Term]) -> Answer:
        return self.kg.query(sparql, bindings)


class _WorkerRunner(_Runner):
    """Queries run in the executor's worker processes, with the deadline."""

    def __init__(self, kg: KnowledgeGraph, executor: QueryExecutor) -> None:
        super().__init__(kg)
        self.executor = executor

    def execute(
        self,
        sparql: str,
        *,
        accept: Accept,
        timeout: float,
        bindings: Mapping[str, Term] | None,
        default_graphs: Sequence[str] | None,
        named_graphs: Sequence[str] | None,
        base_iri: str | None,
        max_rows: int | None,
    ) -> QueryResult:
        return self.executor.execute(
            sparql,
            accept=accept,
            timeout=timeout,
            bindings=bindings,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            base_iri=base_iri,
            max_rows=max_rows,
        )

    def solutions(self, sparql: str, bindings: Mapping[str, Term]) -> Answer:
        answer = self.executor.execute(
            sparql, accept="application/sparql-results+json", bindings=bindings
        )
        if answer.kind == "construct":
            raise StoreError("a named query must be a SELECT query")
        return ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)


class _CommitHook:
    """The one callback a service hangs on its graph; holds the service weakly, so that a
    dropped service (an application that is gone) is not kept alive by its graph."""

    def __init__(self, service: QueryService) -> None:
        self.service = weakref.ref(service)

    def __call__(self, release: str | None) -> None:
        service = self.service()
        if service is not None:
            service.committed(release)


class _Own:
    """A subscriber that is a method of the service, held weakly: the service holds its
    subscribers, and a bound method there would be a reference cycle that keeps the
    service, its graph and the graph's store (with the store's lock) alive until the
    garbage collector runs, after the service has been dropped."""

    def __init__(self, method: Subscriber) -> None:
        self.method = weakref.WeakMethod(method)

    def __call__(self, release: str | None) -> None:
        method = self.method()
        if method is not None:
            method(release)


class QueryService:
    """One knowledge graph and how its queries are answered; see the module's docstring.

    ``executor``: the started worker pool of an on-disk store (None: queries run in this
    process). ``settings.query_timeout`` is the deadline of every query.
    """

    def __init__(
        self,
        kg: KnowledgeGraph,
        settings: Settings | None = None,
        executor: QueryExecutor | None = None,
    ) -> None:
        self.kg = kg
        self.settings = settings or Settings()
        self.executor = executor
        self.deadline = self.settings.query_timeout
        # the one decision: where the queries run
        self._runner = _Runner(kg) if executor is None else _WorkerRunner(kg, executor)
        # who runs next, and how much query time each client has (graph/fairness.py)
        s = self.settings
        workers = s.query_workers if executor is None else executor.workers
        self.budget = QueryBudget(
            s.query_budget,
            s.query_budget_window,
            s.query_budget_burst,
            failures=s.query_failures,
        )
        self.gate = WorkerGate(
            workers,
            s.reserved_workers(workers),
            s.query_queue,
            s.query_max_wait,
            left=self.budget.left,
        )
        # the answers of the named queries, kept per data release (graph/catalogue.py)
        self.answers = AnswerCache()
        self.precomputed: dict[tuple[str, str | None], catalogue.Answer] = {}
        self.precompute_lock = threading.Lock()
        # the background precomputation (one thread at a time) and when it is due
        self._settle_lock = threading.Lock()
        self._settle_at: float | None = None
        self._precomputing = False
        # the search index: opened on first use, synced by a subscriber, closed with the service
        self._search: SearchIndex | None = None
        self._search_lock = threading.Lock()
        self._precompute = _Own(self._precompute_in_background)
        self._publish = _Own(self._publish_release)
        self.subscribers: list[Subscriber] = [_Own(self._sync_search_index)]
        self._hook: _CommitHook | None = None
        # per release: (release, the named graphs and their sizes), (release, quads)
        self._sizes: tuple[str | None, dict[str, int]] | None = None
        self._quads: tuple[str | None, int] | None = None

    # ------------------------------------------------------------------ answering

    def current_release(self) -> str | None:
        """The release the service answers from: with the worker pool, the one its queries
        run on (a write is published only once its new release is prepared: :meth:`start`;
        inside that preparation, the new one), else the graph's latest."""
        executor = self.executor
        if executor is not None and executor.serving:
            release = executor.release_now()
            if release is not None:
                return release
        return self.kg.current_release()

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[str | None]:
        """Run the block's queries on one release, the one the service answers from now:
        its checkpoint pinned (with the worker pool; a write published meanwhile does not
        reach them), its id given to the block (the key of its cached answers)."""
        executor = self.executor
        if executor is None or not executor.serving:
            yield self.kg.current_release()
            return
        checkpoint = executor.current_checkpoint()
        with executor.pinned(checkpoint):
            yield checkpoint.release

    def graph_sizes(self) -> dict[str, int]:
        """The named graphs and their sizes, counted once per release (a scan of the store)."""
        release = self.kg.current_release()
        kept = self._sizes
        if kept is not None and kept[0] == release and release is not None:
            return kept[1]
        sizes = self.kg.named_graphs()
        self._sizes = (release, sizes)
        return sizes

    def quads(self) -> int:
        """The number of quads, counted once per release: ``len`` of an Oxigraph store scans
        every quad while holding the GIL (about 1 s at a million quads, during which every
        thread of this process and its event loop wait: docs/reliability.md, section 10)."""
        release = self.kg.current_release()
        kept = self._quads
        if kept is not None and kept[0] == release:
            return kept[1]
        count = len(self.kg)
        self._quads = (release, count)
        return count

    def execute(
        self,
        sparql: str,
        *,
        accept: Accept = "*/*",
        timeout: float | None = None,
        bindings: Mapping[str, Term] | None = None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        """Run ``sparql`` as the endpoint runs it (the common prefixes predeclared; the union
        of the named graphs as the default graph unless the query or the protocol's dataset
        says otherwise) and serialise its answer in the first format of ``accept`` that fits.

        Raises :class:`StoreError` (the query's fault; :class:`TooManyRowsError` past
        ``max_rows``), :class:`NotAcceptableError`, or an :class:`ExecutorError`
        (:class:`QueryTimeout` past the deadline, or ``timeout`` when it is shorter)."""
        deadline = self.deadline if timeout is None else min(timeout, self.deadline)
        return self._fairly(
            "analytics",
            lambda: self._runner.execute(
                sparql,
                accept=accept,
                timeout=deadline,
                bindings=bindings,
                default_graphs=default_graphs,
                named_graphs=named_graphs,
                base_iri=base_iri,
                max_rows=max_rows,
            ),
        )

    def solutions(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> Answer:
        """The answer of a named query (``bindings`` substituted as values): run in this
        process, or in a worker (with the deadline) and read back. A lookup: it may use the
        workers kept for lookups (graph/fairness.py)."""
        return self._fairly("lookup", lambda: self._runner.solutions(sparql, bindings or {}))

    def _fairly(self, lane: Lane, run: Callable[[], T]) -> T:
        """``run`` on a worker's place in ``lane``. Analytics (SPARQL a client wrote) only
        once the asker's budget allows it (else OverBudgetError, before any waiting), charged
        to the asker for the time it held the place: the whole deadline for a query stopped
        at it; one refused after the longest wait, what the asker's queries cost when they
        run. Lookups (the catalogue's named queries: bounded, cached per release) have no
        budget."""
        client = asker.get()
        if lane == "lookup":
            with self.gate.slot(lane, client):
                return run()
        self.budget.check(client)
        if self.gate.busy(client):
            self.budget.check_busy(client)
        try:
            with self.gate.slot(lane, client):
                started = time.monotonic()
                spent: float | None = None
                try:
                    return run()
                except QueryTimeout as e:
                    spent = max(e.deadline, time.monotonic() - started)
                    raise
                finally:
                    self.budget.charge(client, spent or time.monotonic() - started)
        except QueryTimeout:
            self.budget.failed(client)
            raise
        except QueueWaitError:
            self.budget.dropped(client)
            raise

    # ------------------------------------------------------------------ full-text search

    def search_index(self) -> SearchIndex:
        """The service's search index of its graph, opened on first use (beside the store,
        or in memory; again after :meth:`close_search_index`). It is not synced here:
        :meth:`search` brings it up to the store's release when it is behind."""
        with self._search_lock:
            index = self._search
            if index is None or index.closed:
                index = self._search = SearchIndex(index_path(self.kg))
            return index

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        offset: int = 0,
        kinds: Sequence[str] = (),
        resolution: str | None = None,
        document: str | None = None,
        in_force: Collection[str] | None = None,
    ) -> SearchResult:
        """Search the graph's texts (graph/search/): the index, brought up to date first if
        it is behind (writes made while it was closed, e.g. by ``wsiskg load``). Raises
        :class:`~graph.search.QueryError` for a query with nothing to search for (before
        the index is opened), :class:`~graph.search.SearchError` when the index cannot be
        used."""
        parsed = parse_query(query)  # a bad query costs nothing
        index = self.search_index()
        index.ensure_current(self.kg)
        return index.search(
            parsed,
            limit=limit,
            offset=offset,
            kinds=kinds,
            resolution=resolution,
            document=document,
            in_force=in_force,
        )

    def close_search_index(self) -> None:
        """Close the search index (a later search opens it again and catches up)."""
        with self._search_lock:
            index, self._search = self._search, None
        if index is not None:
            index.close()

    def _sync_search_index(self, release: str | None) -> None:
        """The subscriber that keeps an open index in step; it never raises (a failed sync
        is retried by the next search, which finds the index behind)."""
        index = self._search
        if index is None or index.closed:
            return  # not opened yet: the first search catches up
        try:
            index.sync(self.kg)
        except Exception as e:  # the write has committed: record it, do not fail it
            index.stats.errors.append(f"sync to {release}: {type(e).__name__}: {e}")

    # ------------------------------------------------------------------ after a write

    def start(self, *, precompute: bool = True) -> QueryService:
        """Hang the service's hook on its graph (in place of an earlier service's): from now
        on a commit syncs the search index. With ``precompute``, the per-release answers
        are computed now and after each commit, in the background."""
        kg = self.kg
        for hook in [c for c in kg.on_commit if isinstance(c, _CommitHook)]:
            kg.on_commit.remove(hook)
            earlier = hook.service()
            if earlier is not None and earlier.executor is not None:
                earlier.executor.detach_publisher()  # its hook is gone: nothing publishes
        self._hook = _CommitHook(self)
        kg.on_commit.append(self._hook)
        if precompute:
            if self._precompute not in self.subscribers:
                self.subscribers.append(self._precompute)
            self._precompute_in_background(None)
        if self.executor is not None:
            # last: the other subscribers run while the queries still answer from the
            # release before the write
            if self._publish not in self.subscribers:
                self.subscribers.append(self._publish)
            self.executor.attach_publisher()
            # a service dropped without close(): its hook does nothing, so nothing publishes
            weakref.finalize(self, self.executor.detach_publisher)
        return self

    def close(self) -> None:
        """Take the hook off the graph and close the search index (the executor and the
        graph are their owners')."""
        hook, self._hook = self._hook, None
        if hook is not None and hook in self.kg.on_commit:
            self.kg.on_commit.remove(hook)
            if self.executor is not None:
                self.executor.detach_publisher()
        self.close_search_index()

    def committed(self, release: str | None) -> None:
        """After each committed write: every subscriber, none of which may raise."""
        for subscriber in list(self.subscribers):
            try:
                subscriber(release)
            except Exception as e:  # a subscriber's failure must not fail the write
                _log.warning("after the commit of %s: %s: %s", release, type(e).__name__, e)

    def _publish_release(self, release: str | None) -> None:
        """The last subscriber when the queries run in the worker pool: the new release is
        published once the answers asked most recently are computed on it
        (graph/publish.py)."""
        executor = self.executor
        if executor is not None and executor.serving:
            publish(self, executor, self.settings)

    def _precompute_in_background(self, release: str | None) -> None:
        """Compute the per-release answers in one background thread, once the writes pause
        for :data:`PRECOMPUTE_SETTLE` seconds (at once when the service starts): a burst of
        writes (a corpus posted document by document) computes them once, not once per
        write, each time competing with the lookups for the CPU. A request in between
        computes what it needs itself (:func:`graph.catalogue.precomputed`)."""
        settle = 0.0 if release is None else PRECOMPUTE_SETTLE
        with self._settle_lock:
            self._settle_at = time.monotonic() + settle
            if self._precomputing:
                return
            self._precomputing = True
        threading.Thread(
            target=self._precompute_settled, name="wsiskg-precompute", daemon=True
        ).start()

    def _precompute_settled(self) -> None:
        while True:
            with self._settle_lock:
                due = self._settle_at
                wait = 0.0 if due is None else due - time.monotonic()
                if due is not None and wait <= 0:
                    self._settle_at = None  # taken: a later write sets it again
                if due is None:  # nothing written since the last computation
                    self._precomputing = False
                    return
            if wait > 0:
                time.sleep(wait)
                continue
            try:
                catalogue.precompute(self)
            except Exception as e:  # a background job: the first request computes it instead
                _log.warning("precomputing the per-release answers failed: %s", e)


def build_service(
    kg: KnowledgeGraph,
    settings: Settings | None = None,
    executor: QueryExecutor | None = None,
    *,
    background: bool = True,
    precompute: bool = True,
) -> QueryService:
    """The composition root of the query service: what the API application (api/app.py)
    and the command line (api/cli.py) answer through. ``background``: hang the commit hook
    (a service that serves: its search index follows each write) and, with ``precompute``,
    precompute the per-release answers; a one-shot command passes ``background=False``."""
    service = QueryService(kg, settings, executor)
    return service.start(precompute=precompute) if background else service
