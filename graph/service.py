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
two applications over one graph does not stack callbacks) and calls its subscribers from it;
the per-release answers of the named queries with a ``precompute`` line (graph/catalogue.py)
are one, computed in the background so that no request waits for them. The executor needs no
callback: it sees a write by :attr:`KnowledgeGraph.writes`.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import pyoxigraph as ox

from graph import catalogue
from graph.cache import AnswerCache
from graph.errors import StoreError
from graph.executor import QueryExecutor
from graph.results import Accept, Answer, QueryResult, media_types, serialise
from graph.settings import Settings
from graph.store import KnowledgeGraph

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Subscriber = Callable[[str | None], None]

_log = logging.getLogger("wsiskg.service")


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
        # the answers of the named queries, kept per data release (graph/catalogue.py)
        self.answers = AnswerCache()
        self.precomputed: dict[str, tuple[str | None, catalogue.Answer]] = {}
        self.precompute_lock = threading.Lock()
        self.subscribers: list[Subscriber] = [self._precompute_in_background]
        self._hook: _CommitHook | None = None
        # per release: (release, the named graphs and their sizes), (release, quads)
        self._sizes: tuple[str | None, dict[str, int]] | None = None
        self._quads: tuple[str | None, int] | None = None

    # ------------------------------------------------------------------ answering

    def current_release(self) -> str | None:
        return self.kg.current_release()

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
        return self._runner.execute(
            sparql,
            accept=accept,
            timeout=self.deadline if timeout is None else min(timeout, self.deadline),
            bindings=bindings,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            base_iri=base_iri,
            max_rows=max_rows,
        )

    def solutions(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> Answer:
        """The answer of a named query (``bindings`` substituted as values): run in this
        process, or in a worker (with the deadline) and read back."""
        return self._runner.solutions(sparql, bindings or {})

    # ------------------------------------------------------------------ after a write

    def start(self) -> QueryService:
        """Hang the service's hook on its graph (in place of an earlier service's) and
        precompute the per-release answers now, in the background."""
        kg = self.kg
        kg.on_commit[:] = [c for c in kg.on_commit if not isinstance(c, _CommitHook)]
        self._hook = _CommitHook(self)
        kg.on_commit.append(self._hook)
        self._precompute_in_background(None)
        return self

    def close(self) -> None:
        """Take the hook off the graph (the executor and the graph are their owners')."""
        hook, self._hook = self._hook, None
        if hook is not None and hook in self.kg.on_commit:
            self.kg.on_commit.remove(hook)

    def committed(self, release: str | None) -> None:
        """After each committed write: every subscriber, none of which may raise."""
        for subscriber in list(self.subscribers):
            try:
                subscriber(release)
            except Exception as e:  # a subscriber's failure must not fail the write
                _log.warning("after the commit of %s: %s: %s", release, type(e).__name__, e)

    def _precompute_in_background(self, _release: str | None) -> None:
        def work() -> None:
            try:
                catalogue.precompute(self)
            except Exception as e:  # a background job: the first request computes it instead
                _log.warning("precomputing the per-release answers failed: %s", e)

        threading.Thread(target=work, name="wsiskg-precompute", daemon=True).start()


def build_service(
    kg: KnowledgeGraph,
    settings: Settings | None = None,
    executor: QueryExecutor | None = None,
    *,
    background: bool = True,
) -> QueryService:
    """The composition root of the query service: what the API application (api/app.py)
    and the command line (api/cli.py) answer through. ``background``: hang the commit hook
    and precompute (a service that serves); a one-shot command passes False."""
    service = QueryService(kg, settings, executor)
    return service.start() if background else service
