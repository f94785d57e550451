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
    behaviour. The data only changes when something is loaded, so after each committed write
    (:attr:`KnowledgeGraph.on_commit`) the executor marks its checkpoint stale, and the next
    query makes a new one with :meth:`KnowledgeGraph.checkpoint` (``Store.backup``: RocksDB
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

Answers cross the process boundary serialised (bytes and a media type): the worker
serialises with pyoxigraph, so no pyoxigraph object is ever pickled. Bindings travel as
N-Triples terms and are substituted as values in the worker, never spliced into the text.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import multiprocessing
import os
import queue
import shutil
import signal
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import TracebackType
from typing import IO, Literal, cast

import pyoxigraph as ox

from graph.readonly import checkpoint_name
from graph.readonly import checkpoints_dir as default_checkpoints_dir
from graph.sparql_text import fetches, query_dataset, syntax_error_message
from graph.store import KnowledgeGraph, StoreError
from ontology import PREFIXES
from ontology.errors import BadQueryError, DeadlineError, UnavailableError

QueryKind = Literal["select", "ask", "construct"]
Format = ox.QueryResultsFormat | ox.RdfFormat
Accept = str | Format | Sequence[str | Format]
Term = ox.NamedNode | ox.BlankNode | ox.Literal

# How long a worker may outlive its deadline before it kills itself: a backstop for a parent
# that could not kill it (the parent normally kills it at the deadline).
_WORKER_GRACE = 5.0
# How long a worker may take to start and answer its first query.
_START_TIMEOUT = 30.0
# How long to wait for a worker to exit after SIGTERM before sending SIGKILL.
_TERMINATE_WAIT = 0.3


class ExecutorError(UnavailableError):
    """The executor could not answer (not the query's fault: not a :class:`StoreError`)."""


class ExecutorUnavailableError(ExecutorError):
    """No executor for this store (an in-memory store: run the query in-process instead)."""


class QueryTimeout(ExecutorError, DeadlineError):  # noqa: N818 - the name the API uses
    """The query did not finish within its deadline (its worker was killed and replaced)."""

    def __init__(self, deadline: float, detail: str = "") -> None:
        self.deadline = deadline
        text = f"the query did not finish within its deadline of {deadline:g} s"
        super().__init__(f"{text} ({detail})" if detail else text)


class WorkerCrashedError(ExecutorError):
    """The worker running the query died (e.g. killed by the OS); it has been replaced."""


class NotAcceptableError(ExecutorError):
    """None of the accepted formats can serialise this kind of answer."""

    def __init__(self, kind: QueryKind, accept: Sequence[str]) -> None:
        self.kind = kind
        self.accept = tuple(accept)
        super().__init__(f"a {kind} answer cannot be serialised as {', '.join(accept)}")


class TooManyRowsError(StoreError, BadQueryError):
    """The answer has more rows (or triples) than the limit: the query's fault (add a LIMIT),
    never answered with a truncated result."""

    http_status = 422

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(
            f"the answer has more than {limit} rows, the most this service returns at once: "
            "add a LIMIT (and page through it with OFFSET), or narrow the query"
        )


class _RowCounter:
    """A binary output for a serialiser writing one line per row (SPARQL TSV, N-Triples):
    keeps what is written and stops the serialiser (raises) past ``limit`` rows."""

    def __init__(self, limit: int, header_lines: int) -> None:
        self.most = limit + header_lines
        self.limit = limit
        self.lines = 0
        self.chunks: list[bytes] = []

    @property
    def exceeded(self) -> bool:
        return self.lines > self.most

    def write(self, data: bytes) -> int:
        self.lines += data.count(b"\n")
        if self.exceeded:
            raise TooManyRowsError(self.limit)
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def cap_rows(
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, max_rows: int | None
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | list[ox.Triple]:
    """``result`` with at most ``max_rows`` rows (SELECT) or triples (CONSTRUCT, DESCRIBE),
    ready to serialise; :class:`TooManyRowsError` when it has more: a large answer is refused,
    never cut. The rows are counted as they are written in a line-per-row format (SPARQL TSV,
    which keeps every term exactly; N-Triples), stopping at ``max_rows + 1``, and read back
    from it, because an answer can be read only once."""
    if max_rows is None or isinstance(result, ox.QueryBoolean):
        return result
    if isinstance(result, ox.QueryTriples):
        counter = _RowCounter(max_rows, 0)
        fmt: ox.RdfFormat | ox.QueryResultsFormat = ox.RdfFormat.N_TRIPLES
    elif not result.variables:  # rows without columns: an empty TSV line each
        rows = sum(1 for _ in itertools.islice(result, max_rows + 1))
        if rows > max_rows:
            raise TooManyRowsError(max_rows)
        empty = json.dumps({"head": {"vars": []}, "results": {"bindings": [{}] * rows}})
        return ox.parse_query_results(empty.encode(), format=ox.QueryResultsFormat.JSON)
    else:
        counter = _RowCounter(max_rows, 1)  # the header line
        fmt = ox.QueryResultsFormat.TSV
    try:
        output = cast("IO[bytes]", counter)
        if isinstance(result, ox.QueryTriples):
            ox.serialize(result, output, format=ox.RdfFormat.N_TRIPLES)
        else:
            result.serialize(output, format=ox.QueryResultsFormat.TSV)
    except Exception:
        if counter.exceeded:
            raise TooManyRowsError(max_rows) from None
        raise
    data = b"".join(counter.chunks)
    if isinstance(fmt, ox.RdfFormat):
        return [ox.Triple(t.subject, t.predicate, t.object) for t in ox.parse(data, fmt)]
    return ox.parse_query_results(data, format=fmt)


@dataclass(frozen=True)
class QueryResult:
    """A serialised answer and the release it was computed from."""

    kind: QueryKind
    media_type: str
    body: bytes
    release: str | None


# ---------------------------------------------------------------------- the worker process


@dataclass(frozen=True)
class _Task:
    checkpoint: str
    sparql: str
    bindings: tuple[tuple[str, str], ...]  # (variable, N-Triples term)
    with_prefixes: bool
    accept: tuple[str, ...]  # media types in order of preference; "*/*" is the default
    timeout: float
    # the protocol's dataset (None: not given; see graph.sparql_text.query_dataset)
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None
    max_rows: int | None = None  # more rows is a TooManyRowsError (None: no limit)


@dataclass(frozen=True)
class _Reply:
    error: Literal["syntax", "unacceptable", "failed", "too_many"] | None
    kind: QueryKind | None = None
    media_type: str = ""
    body: bytes = b""
    message: str = ""


_DEFAULT_FORMAT: dict[QueryKind, Format] = {
    "select": ox.QueryResultsFormat.JSON,
    "ask": ox.QueryResultsFormat.JSON,
    "construct": ox.RdfFormat.TURTLE,
}


def _choose(kind: QueryKind, accept: Sequence[str]) -> Format | None:
    for item in accept:
        media_type = item.split(";", 1)[0].strip().lower()
        if media_type in ("*/*", ""):
            return _DEFAULT_FORMAT[kind]
        if kind == "construct":
            if media_type == "application/json":
                continue  # SPARQL JSON results here (as the API offers it), not JSON-LD
            rdf = ox.RdfFormat.from_media_type(media_type)
            if rdf is not None:
                return rdf
        else:
            results = ox.QueryResultsFormat.from_media_type(media_type)
            if results is not None:
                return results
    return None


def _answered_as(kind: QueryKind, fmt: Format, accept: Sequence[str]) -> str:
    """The media type of an answer in ``fmt``: the accepted type that chose it, so that a
    client asking for application/json gets application/json (as in-process), else ``fmt``'s
    own."""
    for item in accept:
        if _choose(kind, [item]) == fmt:
            media_type = item.split(";", 1)[0].strip().lower()
            return fmt.media_type if media_type in ("*/*", "") else media_type
    return fmt.media_type


def _term(text: str) -> Term:
    quads = list(ox.parse(f"<urn:s> <urn:p> {text} .", format=ox.RdfFormat.N_TRIPLES))
    term = quads[0].object
    if not isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        raise ValueError(f"cannot bind {text}")
    return term


def _answer(store: ox.Store, task: _Task) -> _Reply:
    """Run one query and serialise its answer (in the worker)."""
    keyword = fetches(task.sparql)
    if keyword is not None:  # Oxigraph would send the request itself (docs/reliability.md)
        return _Reply(
            "syntax", message=f"{keyword} is not supported: this service never fetches data"
        )
    try:
        subs: dict[ox.Variable, Term] = {ox.Variable(k): _term(v) for k, v in task.bindings}
        union, default_graph, named_graphs = query_dataset(
            task.sparql, task.default_graphs, task.named_graphs
        )
        result = store.query(
            task.sparql,
            use_default_graph_as_union=union,
            default_graph=default_graph,
            named_graphs=named_graphs,
            base_iri=task.base_iri,
            substitutions=dict(subs) or None,
            prefixes=PREFIXES if task.with_prefixes else None,
        )
    except SyntaxError as e:
        return _Reply(
            "syntax",
            message=syntax_error_message(task.sparql, e, PREFIXES if task.with_prefixes else ()),
        )
    except Exception as e:
        return _Reply("failed", message=f"the query failed: {type(e).__name__}: {e}")
    kind: QueryKind
    if isinstance(result, ox.QuerySolutions):
        kind = "select"
    elif isinstance(result, ox.QueryBoolean):
        kind = "ask"
    else:
        kind = "construct"
    fmt = _choose(kind, task.accept)
    if fmt is None:
        return _Reply("unacceptable", kind=kind)
    try:
        answer = cap_rows(result, task.max_rows)
        if isinstance(fmt, ox.RdfFormat):
            assert isinstance(answer, ox.QueryTriples | list)
            body = ox.serialize(answer, format=fmt, prefixes=PREFIXES)
        else:
            assert isinstance(answer, ox.QuerySolutions | ox.QueryBoolean)
            body = answer.serialize(format=fmt)
    except TooManyRowsError as e:
        return _Reply("too_many", kind=kind, message=str(e))
    except Exception as e:  # evaluation errors surface while the answer is consumed
        return _Reply("failed", message=f"the query failed: {type(e).__name__}: {e}")
    media_type = _answered_as(kind, fmt, task.accept)
    return _Reply(None, kind=kind, media_type=media_type, body=body or b"")


def _watchdog(parent: int, deadline: list[float]) -> None:
    """Exit when the parent is gone, or a query runs far past its deadline (a backstop)."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent or (deadline[0] and time.monotonic() > deadline[0]):
            os._exit(3)


def _worker_main(conn: Connection, parent: int) -> None:
    """The loop of one worker process: receive a task, answer it, until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
    deadline = [0.0]
    threading.Thread(target=_watchdog, args=(parent, deadline), daemon=True).start()
    store: ox.Store | None = None
    opened = message = ""
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if not isinstance(task, _Task):
            return
        deadline[0] = time.monotonic() + task.timeout + _WORKER_GRACE
        if task.checkpoint != opened:
            store, opened = None, ""  # close the old checkpoint before opening the new one
            try:
                store, opened = ox.Store.read_only(task.checkpoint), task.checkpoint
            except OSError as e:
                message = f"cannot open the checkpoint {task.checkpoint}: {e}"
        reply = _answer(store, task) if store is not None else _Reply("failed", message=message)
        deadline[0] = 0.0
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return


# ---------------------------------------------------------------------- the parent side


@dataclass(frozen=True)
class _Checkpoint:
    path: Path
    release: str | None
    generation: int  # the number of commits the executor had seen when it was made


class _Worker:
    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.pid = process.pid or 0
        self.checkpoint: Path | None = None  # the checkpoint it has open (or is opening)
        self.stopped = False
        self.lock = threading.Lock()


class QueryExecutor:
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
            from graph.settings import Settings

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
        self._current: _Checkpoint | None = None
        self._commits = 0
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
        self.kg.on_commit.append(self._on_commit)
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
        with contextlib.suppress(ValueError):
            self.kg.on_commit.remove(self._on_commit)
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
        if not self._started or self._closed:
            raise ExecutorError(f"the executor is {'closed' if self._closed else 'not started'}")
        terms = tuple((name, str(term)) for name, term in (bindings or {}).items())
        return self._run(
            sparql,
            _media_types(accept),
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
                checkpoint = self._current
                assert checkpoint is not None
                worker.checkpoint = checkpoint.path
            task = _Task(
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
            if not isinstance(reply, _Reply):
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
            target=_worker_main,
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

    # ------------------------------------------------------------------ checkpoints

    def _on_commit(self, release: str | None) -> None:
        self._commits += 1

    def _checkpoint(self) -> _Checkpoint:
        """The current checkpoint, made first if the store changed since the last one."""
        with self._checkpoint_lock:
            current = self._current
            generation = self._commits  # read before the backup: a later commit re-triggers
            if current is not None and current.generation == generation:
                return current
            temporary = self.checkpoints_dir / f".tmp-{uuid.uuid4().hex}"
            try:
                release = self.kg.checkpoint(temporary)
                path = self.checkpoints_dir / checkpoint_name(next(self._sequence), release)
                temporary.rename(path)
            except (StoreError, OSError) as e:
                shutil.rmtree(temporary, ignore_errors=True)
                raise ExecutorError(f"cannot checkpoint the store: {e}") from e
            checkpoint = _Checkpoint(path, release, generation)
            with self._lock:
                self._current = checkpoint
                self._checkpoints.append(path)
        self._prune()
        return checkpoint

    def _prune(self) -> None:
        """Delete the checkpoints that are neither current nor open in a worker."""
        with self._lock:
            if self._current is None:
                return
            keep = {self._current.path} | {w.checkpoint for w in self._pool}
            stale = [p for p in self._checkpoints if p not in keep]
            self._checkpoints = [p for p in self._checkpoints if p in keep]
        for path in stale:
            shutil.rmtree(path, ignore_errors=True)


def _media_types(accept: Accept) -> tuple[str, ...]:
    items: Sequence[str | Format] = (
        [accept] if isinstance(accept, str | ox.QueryResultsFormat | ox.RdfFormat) else accept
    )
    return tuple(i if isinstance(i, str) else i.media_type for i in items) or ("*/*",)
