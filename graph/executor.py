"""SPARQL queries with a deadline: run in worker processes, over immutable checkpoints.

Why processes
    pyoxigraph evaluates a query in Rust and cannot be interrupted from Python: a thread
    running a pathological query (a cross product of the whole store) runs until it is done.
    The only reliable way to stop it is to kill the process running it. So queries run in a
    pool of worker processes; when a query's deadline passes, its worker is killed (SIGTERM,
    then SIGKILL) and replaced, and the caller gets :class:`QueryTimeout`. The workers are
    started with the "spawn" method, never "fork": the parent holds a RocksDB handle and
    threads, which a forked child must not inherit.

Why checkpoints
    Opening an Oxigraph store read-only while another process writes it is undefined
    behaviour. The data only changes when something is loaded, so when the store has
    committed a write since the checkpoint was made (:attr:`KnowledgeGraph.writes` moved), the
    next query makes a new one with :meth:`KnowledgeGraph.checkpoint` (``Store.backup``: RocksDB
    hard-links the immutable data files, so it is cheap). A checkpoint never changes after it
    is made, so any number of workers may open it read-only. A checkpoint is named by the
    release it holds (``0003-<release id>``).

What is atomic
    A load is one transaction (see graph/store.py), and a checkpoint is taken under the
    store's write lock, between two writes: a checkpoint holds exactly one release. Each query
    is sent with the path of the current checkpoint; the worker reopens when the path changed,
    so a query answers from one release from start to end. A query that started before a load
    finishes on the old checkpoint; every query sent after the load committed sees it.
    A checkpoint is deleted once it is neither current nor open in a worker (a worker holds
    the one it last answered from until its next query). The checkpoint directory belongs to
    one executor: at start, checkpoints left there by an earlier run are deleted.

Publishing a release
    A writer may publish its commits itself (:meth:`QueryExecutor.attach_publisher`: the
    query service does, from its commit hook): the commit is then checkpointed by the writer
    (:meth:`QueryExecutor.next_release`), the writer computes on that checkpoint what the new
    release needs (its queries pinned to it: :meth:`QueryExecutor.pinned`), and only then
    is it made current. Meanwhile every other query answers from the release before the
    write, whole.

Answers cross the process boundary serialised (bytes and a media type): the worker
serialises with pyoxigraph, so no pyoxigraph object is ever pickled. Bindings travel as
N-Triples terms and are substituted as values in the worker, never spliced into the text.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import queue
import shutil
import threading
import time
from collections.abc import Mapping, Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import TracebackType

import pyoxigraph as ox

from graph.checkpoints import Checkpoint, CheckpointsMixin, pinned_checkpoint, pinned_until
from graph.errors import (
    ExecutorError,
    ExecutorUnavailableError,
    NotAcceptableError,
    QueryKind,
    QueryTimeout,
    StoreError,
    TooManyRowsError,
    WorkerCrashedError,
)
from graph.readonly import checkpoints_dir as default_checkpoints_dir
from graph.results import (
    Accept,
    QueryResult,
    _answered_as,
    _choose,
    cap_rows,
    media_types,
)
from graph.settings import Settings
from graph.store import KnowledgeGraph
from graph.worker import Reply, Task, worker_main

# the names callers knew here before they moved to graph/errors.py and graph/results.py
__all__ = [
    "Accept",
    "Checkpoint",
    "ExecutorError",
    "ExecutorUnavailableError",
    "NotAcceptableError",
    "QueryExecutor",
    "QueryKind",
    "QueryResult",
    "QueryTimeout",
    "StoreError",
    "TooManyRowsError",
    "WorkerCrashedError",
    "_answered_as",
    "_choose",
    "cap_rows",
]

Term = ox.NamedNode | ox.BlankNode | ox.Literal

# How long a worker may take to start and answer its first query.
_START_TIMEOUT = 30.0
# How long to wait for a worker to exit after SIGTERM before sending SIGKILL.
_TERMINATE_WAIT = 0.3


# ---------------------------------------------------------------------- the parent side


class _Worker:
    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.pid = process.pid or 0
        self.checkpoint: Path | None = None  # the checkpoint it has open (or is opening)
        self.stopped = False
        self.lock = threading.Lock()


class QueryExecutor(CheckpointsMixin):
    """A pool of worker processes answering SPARQL queries with a deadline.

    ``kg`` must be an on-disk store; this process stays its only writer. ``timeout`` is the
    longest deadline (default: ``Settings.query_timeout``); a caller may ask for a shorter one.
    Thread-safe: each :meth:`execute` takes a free worker.
    """

    def __init__(
        self,
        kg: KnowledgeGraph,
        workers: int = 2,
        checkpoints_dir: Path | None = None,
        *,
        timeout: float | None = None,
    ) -> None:
        if kg.location is None:
            raise ExecutorUnavailableError(
                "deadlines need an on-disk store: an in-memory store cannot be shared "
                "with worker processes (run the query in-process, without a deadline)"
            )
        if workers < 1:
            raise ValueError("workers must be at least 1")
        if timeout is None:
            timeout = Settings().query_timeout
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.kg = kg
        self.workers = workers
        self.timeout = timeout
        location = kg.location
        # where graph/readonly.py finds them, for the commands that read while this serves
        self.checkpoints_dir = checkpoints_dir or default_checkpoints_dir(location)
        self._context = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()  # guards _pool, _current, _checkpoints, _closed
        self._checkpoint_lock = threading.Lock()  # one checkpoint made at a time
        self._pool: set[_Worker] = set()
        self._free: queue.Queue[_Worker] = queue.Queue()
        self._checkpoints: list[Path] = []
        self._current: Checkpoint | None = None
        # made, not yet published (:meth:`next_release`): kept from pruning
        self._staged: set[Path] = set()
        # a writer publishes each commit itself (:meth:`attach_publisher`); a commit it could
        # not checkpoint is checkpointed by the next query instead (else the queries would
        # stay on the release before it until the next write)
        self._publisher = False
        self._unpublished = False
        # a commit first seen unpublished: (its generation, when); past the lease the next
        # query checkpoints it (a write whose hook failed before publishing it)
        self._waiting: tuple[int, float] | None = None
        self.lease = max(30.0, 3 * timeout)
        # checkpoints pinned by a computation (:meth:`pinned`): kept from pruning
        self._pins: dict[Path, int] = {}
        self._sequence = itertools.count(1)
        self._started = False
        self._closed = False

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> QueryExecutor:
        """Make the first checkpoint and start the workers."""
        if self._started:
            return self
        self._started = True
        self.checkpoints_dir.mkdir(parents=True, exist_ok=True)
        for entry in self.checkpoints_dir.iterdir():  # checkpoints of an earlier run
            if entry.is_dir() and (entry.name.startswith(".tmp-") or (entry / "CURRENT").exists()):
                shutil.rmtree(entry, ignore_errors=True)
        checkpoint = self._checkpoint()
        with self._lock:
            for _ in range(self.workers):
                self._add_worker(checkpoint.path)
        # Wait until every worker answers, so that the first queries do not pay the start-up
        # and a broken installation fails here rather than on the first query.
        try:
            for _ in range(self.workers):
                self._run("ASK {}", ("*/*",), max(self.timeout, _START_TIMEOUT), (), False)
        except (ExecutorError, StoreError) as e:
            self.close()
            raise ExecutorError(f"the query workers did not start: {e}") from e
        return self

    def close(self) -> None:
        """Stop the workers and delete the checkpoints."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            workers = list(self._pool)
            self._pool.clear()
        for worker in workers:
            with contextlib.suppress(OSError):
                worker.conn.send(None)  # a polite stop; killed below if it is busy
        for worker in workers:
            worker.process.join(_TERMINATE_WAIT)
            self._stop(worker)
        with self._lock:
            for path in self._checkpoints:
                shutil.rmtree(path, ignore_errors=True)
            self._checkpoints.clear()

    def __enter__(self) -> QueryExecutor:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def pids(self) -> list[int]:
        """The process ids of the current workers."""
        with self._lock:
            return sorted(w.pid for w in self._pool)

    @property
    def serving(self) -> bool:
        """Started and not closed."""
        return self._started and not self._closed

    @property
    def release(self) -> str | None:
        """The release of the current checkpoint (after any pending commit is checkpointed)."""
        return self._checkpoint().release

    # ------------------------------------------------------------------ querying

    def execute(
        self,
        sparql: str,
        *,
        accept: Accept = "*/*",
        timeout: float | None = None,
        bindings: Mapping[str, Term] | None = None,
        with_prefixes: bool = True,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        """Run ``sparql`` in a worker, with the semantics of :meth:`KnowledgeGraph.endpoint_query`
        (default graph = union of the named graphs unless the query has FROM or a dataset is
        given), and return its serialised answer.

        ``default_graphs`` / ``named_graphs``: the SPARQL protocol's dataset (IRIs), as
        :meth:`KnowledgeGraph.endpoint_query` takes it; ``base_iri`` resolves relative IRIs.

        ``accept``: media types or formats in order of preference; the first that fits the
        kind of answer is used ("*/*": JSON results, Turtle for graphs).
        ``timeout``: this query's deadline in seconds, at most the executor's ``timeout``;
        waiting for a free worker counts against it.
        ``max_rows``: an answer with more rows (or triples) is a :class:`TooManyRowsError`,
        counted in the worker before anything is serialised (None: no limit).

        Raises :class:`StoreError` (a syntax or evaluation error: the query's fault;
        :class:`TooManyRowsError`), :class:`QueryTimeout`, :class:`WorkerCrashedError` or
        :class:`NotAcceptableError`.
        """
        deadline = self.timeout if timeout is None else min(timeout, self.timeout)
        if deadline <= 0:
            raise ValueError("timeout must be positive")
        until = pinned_until()
        if until is not None:  # a pinned computation with an end (a warming)
            deadline = min(deadline, until - time.monotonic())
            if deadline <= 0:
                raise QueryTimeout(0.0, "the time given to the computation has run out")
        if not self._started or self._closed:
            raise ExecutorError(f"the executor is {'closed' if self._closed else 'not started'}")
        terms = tuple((name, str(term)) for name, term in (bindings or {}).items())
        return self._run(
            sparql,
            media_types(accept),
            deadline,
            terms,
            with_prefixes,
            default_graphs=None if default_graphs is None else tuple(default_graphs),
            named_graphs=None if named_graphs is None else tuple(named_graphs),
            base_iri=base_iri,
            max_rows=max_rows,
        )

    def _run(
        self,
        sparql: str,
        media_types: tuple[str, ...],
        deadline: float,
        terms: tuple[tuple[str, str], ...],
        with_prefixes: bool,
        *,
        default_graphs: tuple[str, ...] | None = None,
        named_graphs: tuple[str, ...] | None = None,
        base_iri: str | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        end = time.monotonic() + deadline
        self._checkpoint()  # a commit since the last query: checkpoint it now
        worker = self._acquire(end, deadline)
        replace = True
        try:
            with self._lock:
                checkpoint = pinned_checkpoint() or self._current
                assert checkpoint is not None
                worker.checkpoint = checkpoint.path
            task = Task(
                str(checkpoint.path),
                sparql,
                terms,
                with_prefixes,
                media_types,
                deadline,
                default_graphs,
                named_graphs,
                base_iri,
                max_rows,
            )
            try:
                worker.conn.send(task)
                ready = worker.conn.poll(max(0.0, end - time.monotonic()))
                reply = worker.conn.recv() if ready else None
            except (EOFError, OSError) as e:
                raise self._crashed(worker) from e
            if reply is None:
                raise QueryTimeout(deadline)
            if not isinstance(reply, Reply):
                raise self._crashed(worker)
            replace = False
        finally:
            if replace:
                self._replace(worker)
            else:
                self._free.put(worker)
            self._prune()
        if reply.error in ("syntax", "failed"):
            raise StoreError(reply.message)
        if reply.error == "too_many":
            raise TooManyRowsError(max_rows or 0)
        assert reply.kind is not None
        if reply.error == "unacceptable":
            raise NotAcceptableError(reply.kind, media_types)
        return QueryResult(reply.kind, reply.media_type, reply.body, checkpoint.release)

    def _acquire(self, end: float, deadline: float) -> _Worker:
        """A free, live worker (a worker that died while idle is replaced, not reported)."""
        while True:
            try:
                worker = self._free.get(timeout=max(0.0, end - time.monotonic()))
            except queue.Empty:
                raise QueryTimeout(deadline, "no query worker became free in time") from None
            if self._closed:
                self._free.put(worker)
                raise ExecutorError("the executor is closed")
            if not worker.stopped and worker.process.is_alive():
                return worker
            self._replace(worker)

    def _crashed(self, worker: _Worker) -> ExecutorError:
        if self._closed or worker.stopped:
            return ExecutorError("the executor was closed while the query ran")
        code: int | None = None
        with contextlib.suppress(ValueError):  # closed meanwhile by close()
            worker.process.join(_TERMINATE_WAIT)
            code = worker.process.exitcode
        if code is None:
            how = "stopped answering"
        elif code < 0:
            how = f"was killed by signal {-code}"
        else:
            how = f"exited with code {code}"
        return WorkerCrashedError(
            f"the query worker (pid {worker.pid}) {how}; it has been replaced"
        )

    # ------------------------------------------------------------------ workers

    def _add_worker(self, checkpoint: Path) -> None:
        """Start a worker (with ``_lock`` held); it opens its checkpoint on its first query."""
        ours, theirs = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=worker_main,
            args=(theirs, os.getpid()),
            name="wsiskg-query-worker",
            daemon=True,
        )
        process.start()
        theirs.close()
        worker = _Worker(process, ours)
        worker.checkpoint = checkpoint
        self._pool.add(worker)
        self._free.put(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and, unless the executor is closed, start another in its place."""
        self._stop(worker)
        with self._lock:
            if worker not in self._pool:
                return
            self._pool.discard(worker)
            if not self._closed and self._current is not None:
                self._add_worker(self._current.path)

    @staticmethod
    def _stop(worker: _Worker) -> None:
        with worker.lock:
            if worker.stopped:
                return
            worker.stopped = True
        process = worker.process
        if process.is_alive():
            process.terminate()
            process.join(_TERMINATE_WAIT)
        if process.is_alive():
            process.kill()
            process.join(_TERMINATE_WAIT)
        worker.conn.close()
        if not process.is_alive():
            process.close()
