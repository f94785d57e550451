"""The query worker process (graph/executor.py starts and kills it): it opens a checkpoint
read-only, answers one query at a time and sends the answer back serialised (bytes and a
media type, by graph/results.py), so that no pyoxigraph object is ever pickled.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Literal

import pyoxigraph as ox

from graph.errors import NotAcceptableError, QueryKind, TooManyRowsError
from graph.results import serialise
from graph.sparql_text import fetches, query_dataset, syntax_error_message
from ontology import PREFIXES

Term = ox.NamedNode | ox.BlankNode | ox.Literal

# How long a worker may outlive its deadline before it kills itself: a backstop for a parent
# that could not kill it (the parent normally kills it at the deadline).
_WORKER_GRACE = 5.0
# How much lower than the API process a worker runs (nice(2)): see worker_main
WORKER_NICENESS = 5


@dataclass(frozen=True)
class Task:
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
class Reply:
    error: Literal["syntax", "unacceptable", "failed", "too_many"] | None
    kind: QueryKind | None = None
    media_type: str = ""
    body: bytes = b""
    message: str = ""


def _term(text: str) -> Term:
    quads = list(ox.parse(f"<urn:s> <urn:p> {text} .", format=ox.RdfFormat.N_TRIPLES))
    term = quads[0].object
    if not isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        raise ValueError(f"cannot bind {text}")
    return term


def _answer(store: ox.Store, task: Task) -> Reply:
    """Run one query and serialise its answer (in the worker)."""
    keyword = fetches(task.sparql)
    if keyword is not None:  # Oxigraph would send the request itself (docs/reliability.md)
        return Reply(
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
        return Reply(
            "syntax",
            message=syntax_error_message(task.sparql, e, PREFIXES if task.with_prefixes else ()),
        )
    except Exception as e:
        return Reply("failed", message=f"the query failed: {type(e).__name__}: {e}")
    try:
        answer = serialise(result, task.accept, task.max_rows)
    except NotAcceptableError as e:
        return Reply("unacceptable", kind=e.kind)
    except TooManyRowsError as e:
        return Reply("too_many", message=str(e))
    except Exception as e:  # evaluation errors surface while the answer is consumed
        return Reply("failed", message=f"the query failed: {type(e).__name__}: {e}")
    return Reply(None, kind=answer.kind, media_type=answer.media_type, body=answer.body)


def _watchdog(parent: int, deadline: list[float]) -> None:
    """Exit when the parent is gone, or a query runs far past its deadline (a backstop)."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent or (deadline[0] and time.monotonic() > deadline[0]):
            os._exit(3)


def worker_main(conn: Connection, parent: int) -> None:
    """The loop of one worker process: receive a task, answer it, until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
    # Below the API process: queries that run to their deadline keep every core busy, and the
    # event loop answering cached lookups must still get the CPU (docs/reliability.md, 12)
    with contextlib.suppress(OSError, AttributeError):
        os.nice(WORKER_NICENESS)
    deadline = [0.0]
    threading.Thread(target=_watchdog, args=(parent, deadline), daemon=True).start()
    store: ox.Store | None = None
    opened = message = ""
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if not isinstance(task, Task):
            return
        deadline[0] = time.monotonic() + task.timeout + _WORKER_GRACE
        if task.checkpoint != opened:
            store, opened = None, ""  # close the old checkpoint before opening the new one
            try:
                store, opened = ox.Store.read_only(task.checkpoint), task.checkpoint
            except OSError as e:
                message = f"cannot open the checkpoint {task.checkpoint}: {e}"
        reply = _answer(store, task) if store is not None else Reply("failed", message=message)
        deadline[0] = 0.0
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return
