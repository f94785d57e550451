"""Named queries: the SPARQL files in ``graph/queries/`` that the REST API and the CLI run.

Each file starts with a header of ``#`` comment lines, then the SPARQL (with the PREFIX lines
it uses, so that the same text runs as it is through ``/sparql``)::

    # name: supporting-work
    # description: Which work supports an Action Line ...
    # param: action_line string required C5 — the Action Line code
    # param: evidence enum:stated,extracted,inferred repeatable stated — only links with ...
    # pattern: action_line C([1-9]|1[01])(\\.e-[a-z]+)?

A ``param`` line gives the name (a variable of the query's SELECT projection), the type
(``iri``, ``string``, ``integer``, ``date``, ``day`` or ``enum:a,b,c``), ``required``,
``optional`` or ``repeatable`` (optional, any number of values), an example and, after `` — ``,
a description. A ``pattern`` line gives the regular expression a string value must match in
full. A ``day`` value is one day, YYYY-MM-DD (bound as an ``xsd:date``): for an answer that is
of one day (a state, an edition in force), ``any`` is refused with a 422 that names the
parameter. A ``date`` value is a day, or ``any`` (bound as a plain string: the query gives
everything, whatever its dates).

A ``precompute`` line, ``# precompute: links by evidence source``, says that the query counts
``links`` per group and that its answer for any values of the (repeatable, optional) parameters
``evidence`` and ``source`` can be derived from its answer without them: the rows of each group
(the other columns) whose parameter columns have the values, or, when none has, one row with
the count 0 and the parameter values, exactly what the query gives when the values are bound.
That answer is computed once per data release (:func:`precomputed`; the API computes it when it
starts and after each write), so no request waits for the whole count (the matrix: about 1.7 s
at a million triples).

Values are checked here and BOUND to the query's variables as RDF terms (pyoxigraph
substitutions); they are never written into the query text. A substitution joins the variable
with the value after the query's pattern is evaluated (as a trailing ``VALUES`` would), so a
query must *produce* each parameter variable, with a triple pattern or a ``BIND``, rather than
only test it in a ``FILTER``. A repeatable parameter given several values gives the rows of
one run per combination of values, concatenated (without duplicates): for a choice (an enum)
they are taken from one run without it (:func:`_narrow`), for a query with a ``precompute``
line from its precomputed answer.

A ``suggested`` line, ``# suggested: supporting-work-suggested``, names the query whose rows
are the answer's for evidence ``suggested`` (ranked guesses, loaders/suggest): they come only
when asked for, never from the query's own text.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Protocol

import pyoxigraph as ox

from graph.cache import AnswerCache
from graph.clock import today
from graph.errors import CatalogueError as CatalogueError  # noqa: PLC0414 (exported)
from graph.errors import CatalogueFileError as CatalogueFileError  # noqa: PLC0414
from graph.errors import ParameterError as ParameterError  # noqa: PLC0414
from graph.errors import UnknownQueryError as UnknownQueryError  # noqa: PLC0414
from graph.query_files import DAY_TYPES as DAY_TYPES  # noqa: PLC0414 (exported)
from graph.query_files import Answer, NamedQuery, Param, ParamValues, Term, parse
from graph.store import KnowledgeGraph, StoreError
from graph.values import Row, Value, join_by_link, solution_rows, split_suggested, split_values

Solutions = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class Queries(Protocol):
    """Where named queries run: the query service (graph/service.py), which runs them in its
    worker processes with the deadline, or in this process, and keeps their answers per data
    release: ``answers`` (any query and values) and ``precomputed`` (the answers without
    values of the queries with a ``precompute`` line: name -> (release, answer))."""

    kg: KnowledgeGraph
    answers: AnswerCache
    precomputed: dict[tuple[str, str | None], Answer]
    precompute_lock: threading.Lock

    def current_release(self) -> str | None:
        """The release the source answers from (the one published, when a write is being
        prepared; the one a warming computation is pinned to)."""
        ...

    def snapshot(self) -> AbstractContextManager[str | None]:
        """A block whose queries all run on the release it gives."""
        ...

    def solutions(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> Solutions:
        """The answer of ``sparql`` with ``bindings`` substituted as values."""
        ...


# a bare KnowledgeGraph: the query runs in this process, nothing kept (one-off readers: the
# review table, tests)
Source = KnowledgeGraph | Queries


def _graph(source: Source) -> KnowledgeGraph:
    return source if isinstance(source, KnowledgeGraph) else source.kg


@cache
def catalogue() -> dict[str, NamedQuery]:
    """Every named query, loaded once, by name."""
    folder = resources.files("graph").joinpath("queries")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".rq"))
    queries = [parse(folder.joinpath(n).read_text(encoding="utf-8"), n) for n in names]
    return {q.name: q for q in queries}


def get(name: str) -> NamedQuery:
    try:
        return catalogue()[name]
    except KeyError:
        raise UnknownQueryError(
            f"no named query {name!r} (named queries: {', '.join(catalogue())})"
        ) from None


def run(source: Source, name: str, values: ParamValues | None = None) -> Answer:
    """Run a named query with its parameters bound; rows without duplicates. The query
    service keeps the answers per data release (``answers``): a repeat costs a dictionary
    look-up, and a query with a ``precompute`` line is answered from its answer of the
    release (:func:`derive`). A bare KnowledgeGraph runs the query every time."""
    query = get(name)
    several = _several_choices(query, values or {})
    if several:  # one run without them, its rows narrowed to each combination of the choices
        whole = run(source, name, {k: v for k, v in (values or {}).items() if k not in several})
        return _narrow(whole, values or {}, several)
    if isinstance(source, KnowledgeGraph):
        return _run(source, query, values or {})
    key: tuple[object, ...] = (name, _freeze(values or {}))
    if "NOW()" in query.text:  # "today" (an as_of left out) is part of the answer
        key = (*key, today())  # NOW() is UTC, and so is today()
    given = dict(values or {})
    recipe = _Derived if query.derived and set(given) <= set(query.derived) else _Plain
    with source.snapshot() as release:  # every query of the answer on one release
        return source.answers.get_or_compute(release, key, recipe(query, given), source)


@dataclass(frozen=True)
class _Plain:
    """How a cached answer is computed again from a query source (the answer cache keeps
    it, to compute the answers asked most recently for a new release before it is
    published: graph/service.py)."""

    query: NamedQuery
    values: ParamValues

    def __call__(self, source: Queries) -> Answer:
        return _run(source, self.query, self.values)


@dataclass(frozen=True)
class _Derived(_Plain):
    """An answer derived from the query's answer without parameters (:func:`derive`)."""

    def __call__(self, source: Queries) -> Answer:
        full = precomputed(source, self.query, source.current_release())
        return derive(self.query, full, self.values)


def precomputed(source: Queries, query: NamedQuery, release: str | None = None) -> Answer:
    """The answer of ``query`` without parameters for the store's release: computed once per
    release and kept beside the service's answer cache (``precomputed``), which may evict it."""
    release = source.current_release() if release is None else release
    # an answer for today (NOW(): as_of left out) is kept for the day it was computed on
    kept_for = f"{release} {today()}" if "NOW()" in query.text else release
    with source.precompute_lock:
        kept = source.precomputed.get((query.name, kept_for))
        if kept is not None:
            return kept
        answer = _run(source, query, {})
        if source.current_release() == release:  # else a write came in between: not kept
            # two per query: the release published and the one being prepared after a write
            older = [k for k in source.precomputed if k[0] == query.name]
            for stale in older[: max(0, len(older) - 1)]:
                del source.precomputed[stale]
            source.precomputed[(query.name, kept_for)] = answer
        return answer


def precompute(source: Queries) -> list[str]:
    """Compute the answers of every query with a ``precompute`` line for the current
    release (the API calls this when it starts and after each write); their names."""
    done = []
    for query in catalogue().values():
        if query.derived:
            precomputed(source, query)
            done.append(query.name)
    return done


def derive(query: NamedQuery, full: Answer, values: ParamValues) -> Answer:
    """``query``'s answer for ``values`` (of its ``precompute`` parameters) from its answer
    without them, row for row what the query gives with the values bound: per combination of
    values, the rows of each group whose columns have them, or one row counting 0."""
    count = query.count
    assert count is not None
    derived = set(query.derived)
    groups: dict[tuple[Value | None, ...], list[Row]] = {}
    keys = [c for c in full.columns if c != count and c not in derived]
    for row in full.rows:
        groups.setdefault(tuple(row.get(k) for k in keys), []).append(row)
    rows: list[Row] = []
    seen: set[tuple[tuple[str, Value], ...]] = set()
    for bindings in query.bindings(values):
        wanted = {name: term.value for name, term in bindings.items()}
        for group_key, group in groups.items():
            matching = [
                row
                for row in group
                if row.get(count) and all(row.get(k) == v for k, v in wanted.items())
            ]
            if not matching:
                cells = {**dict(zip(keys, group_key, strict=True)), **wanted, count: 0}
                zero: Row = {}
                for column in full.columns:  # in the order of the columns, as solution rows
                    value = cells.get(column)
                    if value is not None:
                        zero[column] = value
                matching = [zero]
            for row in matching:
                seen_key = tuple(row.items())
                if seen_key not in seen:
                    seen.add(seen_key)
                    rows.append(row)
    return Answer(query, list(full.columns), rows)


def _several_choices(query: NamedQuery, values: ParamValues) -> set[str]:
    """The repeatable enum parameters given several values (an Apply of the dashboard's
    checkboxes sends every one ticked), whose answer :func:`_narrow` takes from the answer
    without them: one query where one run per combination of values took one each (three
    evidence kinds and six Sectors: 18 runs, some 10 s of a page). Not for a query answered
    from its precomputed answer (:func:`derive` gives a combination without rows its row
    counting 0, where its rows narrowed would have none), nor when the suggestions are asked
    with other evidence (the rows of a query of their own follow all the others; narrowed,
    they would follow each combination's). tests/test_catalogue.py checks, query by query,
    that the narrowed answer is the one the runs give."""
    if query.derived:
        return set()
    if query.suggested:
        _, asked, others = split_suggested(values)
        if asked and others:
            return set()
    several = set()
    for p in query.params:
        given = values.get(p.name)
        items = [given] if isinstance(given, str) else list(given or [])
        if p.type == "enum" and p.repeatable and len(items) > 1:
            several.add(p.name)
    return several


def _narrow(whole: Answer, values: ParamValues, names: set[str]) -> Answer:
    """``whole``'s rows for each combination of the values of ``names`` in turn, as the query
    gives them with the values bound, run after run (a value is joined with the rows as a
    trailing VALUES: a row without the column takes it), without duplicates."""
    query = whole.query
    rows: list[Row] = []
    seen: set[tuple[tuple[str, Value], ...]] = set()
    for bindings in query.bindings(values):
        wanted: dict[str, Value] = {n: bindings[n].value for n in names}
        for found in whole.rows:
            if any(found.get(n, v) != v for n, v in wanted.items()):
                continue
            row = found
            if not wanted.keys() <= found.keys():
                filled = {**found, **wanted}
                row = {c: filled[c] for c in whole.columns if c in filled}
            key = tuple(row.items())
            if key not in seen:
                seen.add(key)
                rows.append(row)
    return Answer(query, list(whole.columns), rows)


def _freeze(values: ParamValues) -> tuple[tuple[str, tuple[str, ...]], ...]:
    frozen = []
    for name, value in sorted(values.items()):
        if value is not None:
            frozen.append((name, (value,) if isinstance(value, str) else tuple(value)))
    return tuple(frozen)


def _run(source: Source, query: NamedQuery, values: ParamValues) -> Answer:
    if query.suggested:  # evidence "suggested": the rows of a query of its own, when asked
        values, asked, others = split_suggested(values)
        main = _run(source, replace(query, suggested=None), values) if others else None
        if main and not asked:
            return main
        more = get(query.suggested)
        extra = _run(source, more, {p.name: values.get(p.name) for p in more.params})
        return Answer(query, extra.columns, [*(main.rows if main else []), *extra.rows])
    columns: list[str] = []
    rows: list[Row] = []
    seen: set[tuple[tuple[str, Value], ...]] = set()
    for bindings in query.bindings(values or {}):
        columns, part = _rows(source, query, bindings)
        for row in part:
            key = tuple(row.items())
            if key not in seen:
                seen.add(key)
                rows.append(row)
    return Answer(query, columns, rows)


def _rows(
    source: Source, query: NamedQuery, bindings: Mapping[str, Term]
) -> tuple[list[str], list[Row]]:
    """One set of bindings' answer as plain rows. The store's solutions object lives only in
    this frame: it belongs to the thread that made it, and a later set's error (its deadline
    passed) must not carry it in a traceback to the thread that frees it."""
    result = _solutions(source, query.text, bindings)
    if not isinstance(result, ox.QuerySolutions):
        raise StoreError(f"the named query {query.name!r} is not a SELECT query")
    return solution_rows(result)


def _solutions(source: Source, text: str, bindings: Mapping[str, Term]) -> Solutions:
    """Run in this process (a bare graph), or as the query service runs it (in one of its
    worker processes with the deadline: QueryTimeout past it, which the caller answers 503)."""
    if isinstance(source, KnowledgeGraph):
        return source.query(text, bindings)
    return source.solutions(text, bindings)


__all__ = [
    "DAY_TYPES",
    "Answer",
    "NamedQuery",
    "Param",
    "ParamValues",
    "Term",
    "get",
    "join_by_link",
    "parse",
    "run",
    "split_values",
]
