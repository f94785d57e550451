"""Named queries: the SPARQL files in ``graph/queries/`` that the REST API and the CLI run.

Each file starts with a header of ``#`` comment lines, then the SPARQL (with the PREFIX lines
it uses, so that the same text runs as it is through ``/sparql``)::

    # name: supporting-work
    # description: Which ITU-T work supports an Action Line ...
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
only test it in a ``FILTER``. A repeatable parameter given several values runs the query once
per value and concatenates the rows (without duplicates).

A ``suggested`` line, ``# suggested: supporting-work-suggested``, names the query whose rows
are the answer's for evidence ``suggested`` (ranked guesses, loaders/suggest): they come only
when asked for, never from the query's own text.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import date
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
from graph.store import KnowledgeGraph, StoreError
from graph.values import Row, Value, join_by_link, solution_rows, split_suggested, split_values
from ontology import XSD

ParamValues = Mapping[str, str | Sequence[str] | None]

Term = ox.NamedNode | ox.BlankNode | ox.Literal
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


_NAME = re.compile(r"[a-z][a-z0-9-]*")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MAX_VALUE = 500
# a day YYYY-MM-DD: "date" also takes "any" (whatever the dates), "day" does not
DAY_TYPES = ("date", "day")


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # "iri" | "string" | "integer" | "date" | "day" | "enum"
    required: bool
    repeatable: bool
    example: str
    description: str
    choices: tuple[str, ...] = ()
    pattern: str | None = None

    def check(self, value: str) -> str:
        """The value, checked (and, for an enum, in its canonical spelling)."""
        if not isinstance(value, str):
            raise ParameterError(f"parameter {self.name!r}: expected text, got {value!r}")
        if len(value) > _MAX_VALUE:
            raise ParameterError(f"parameter {self.name!r}: longer than {_MAX_VALUE} characters")
        if any(ord(c) < 32 for c in value):
            raise ParameterError(f"parameter {self.name!r}: contains control characters")
        if self.type == "enum":
            for choice in self.choices:
                if choice.lower() == value.lower():
                    return choice
            raise ParameterError(
                f"parameter {self.name!r}: {value!r} is not one of {', '.join(self.choices)}"
            )
        if self.type in DAY_TYPES:
            return self._day(value)
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?[0-9]{1,18}", value):
                raise ParameterError(f"parameter {self.name!r}: {value!r} is not an integer")
        elif self.type == "iri":
            if not re.match(r"https?://", value):
                raise ParameterError(f"parameter {self.name!r}: {value!r} is not an http(s) IRI")
            try:
                ox.NamedNode(value)
            except ValueError as e:
                raise ParameterError(f"parameter {self.name!r}: bad IRI {value!r}: {e}") from e
        if self.pattern is not None and not re.fullmatch(self.pattern, value):
            raise ParameterError(
                f"parameter {self.name!r}: {value!r} does not match {self.pattern}"
            )
        return value

    def _day(self, value: str) -> str:
        """A day YYYY-MM-DD; for a ``date``, also "any"."""
        if value.lower() == "any":
            if self.type == "date":
                return "any"
            raise ParameterError(
                f"parameter {self.name!r}: a day YYYY-MM-DD, not 'any' (the answer is of one day)"
            )
        try:
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
                raise ValueError("expected YYYY-MM-DD")
            date.fromisoformat(value)
        except ValueError as e:
            also = " (nor 'any')" if self.type == "date" else ""
            raise ParameterError(
                f"parameter {self.name!r}: {value!r} is not a day YYYY-MM-DD{also}: {e}"
            ) from e
        return value

    def term(self, value: str) -> ox.NamedNode | ox.Literal:
        """The RDF term a (checked) value is bound as."""
        checked = self.check(value)
        if self.type == "iri":
            return ox.NamedNode(checked)
        if self.type == "integer":
            return ox.Literal(str(int(checked)), datatype=XSD.integer)
        if self.type in DAY_TYPES and checked != "any":
            return ox.Literal(checked, datatype=XSD.date)
        return ox.Literal(checked)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    text: str
    file: str
    # "# precompute: COUNT by PARAM ...": the count column and the parameters derived
    count: str | None = None
    derived: tuple[str, ...] = ()
    # "# suggested: NAME": evidence=suggested gives that query's rows (only when asked for)
    suggested: str | None = None

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise ParameterError(f"query {self.name!r} has no parameter {name!r}")

    def example(self) -> dict[str, str]:
        """The example values of the required parameters."""
        return {p.name: p.example for p in self.params if p.required}

    def bindings(self, values: ParamValues) -> list[dict[str, ox.NamedNode | ox.Literal]]:
        """The bindings to run with: one set, or one per combination of repeated values."""
        per_param: list[list[tuple[str, ox.NamedNode | ox.Literal]]] = []
        known = {p.name for p in self.params}
        for name in values:
            if name not in known:
                expected = ", ".join(sorted(known)) or "none"
                raise ParameterError(
                    f"query {self.name!r} has no parameter {name!r} (parameters: {expected})"
                )
        for p in self.params:
            given = values.get(p.name)
            items = [given] if isinstance(given, str) else list(given or [])
            if p.type in DAY_TYPES and not p.required:  # an empty date field: not given
                items = [item for item in items if item.strip()]
            if not items:
                if p.required:
                    raise ParameterError(f"query {self.name!r} needs parameter {p.name!r}")
                continue
            if len(items) > 1 and not p.repeatable:
                raise ParameterError(f"parameter {p.name!r} takes one value, got {len(items)}")
            terms: list[tuple[str, ox.NamedNode | ox.Literal]] = []
            for item in items:
                term = p.term(item)
                if (p.name, term) not in terms:
                    terms.append((p.name, term))
            per_param.append(terms)
        return [dict(combo) for combo in itertools.product(*per_param)]


@dataclass(frozen=True)
class Answer:
    """The rows of a named query, as plain values (IRIs and literals as strings, numbers and
    booleans as Python numbers and booleans); unbound variables are left out of a row."""

    query: NamedQuery
    columns: list[str]
    rows: list[Row]


def parse(text: str, file: str) -> NamedQuery:
    """A query file: its header and its SPARQL."""
    fields: dict[str, str] = {}
    param_lines: list[str] = []
    patterns: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        key, sep, rest = line[1:].strip().partition(":")
        if not sep:
            continue
        key, rest = key.strip(), rest.strip()
        if key == "param":
            param_lines.append(rest)
        elif key == "pattern":
            name, _, regex = rest.partition(" ")
            if not regex.strip():
                raise CatalogueFileError(
                    f"{file}, line {number}: a pattern needs a name and a regex"
                )
            try:
                re.compile(regex.strip())
            except re.error as e:
                raise CatalogueFileError(f"{file}, line {number}: bad pattern: {e}") from e
            patterns[name] = regex.strip()
        elif key in ("name", "description", "precompute", "suggested"):
            fields[key] = rest
    name = fields.get("name", "")
    if not _NAME.fullmatch(name):
        raise CatalogueFileError(f"{file}: missing or bad '# name:' line")
    if f"{name}.rq" != file:
        raise CatalogueFileError(f"{file}: the name {name!r} does not match the file name")
    if not fields.get("description"):
        raise CatalogueFileError(f"{file}: missing '# description:' line")
    params = tuple(_param(line, patterns, file) for line in param_lines)
    unused = set(patterns) - {p.name for p in params}
    if unused:
        raise CatalogueFileError(f"{file}: a pattern for an undeclared parameter: {unused}")
    if len({p.name for p in params}) != len(params):
        raise CatalogueFileError(f"{file}: a parameter is declared twice")
    count, derived = _precompute(fields.get("precompute"), params, file)
    suggested = fields.get("suggested")
    return NamedQuery(name, fields["description"], params, text, file, count, derived, suggested)


def _precompute(
    line: str | None, params: Sequence[Param], file: str
) -> tuple[str | None, tuple[str, ...]]:
    if line is None:
        return None, ()
    parts = line.split()
    if len(parts) < 3 or parts[1] != "by" or not _VARIABLE.fullmatch(parts[0]):
        raise CatalogueFileError(
            f"{file}: bad precompute line {line!r} (expected '<count> by <param> ...')"
        )
    by_name = {p.name: p for p in params}
    for name in parts[2:]:
        param = by_name.get(name)
        if param is None or param.required or param.type != "enum":
            raise CatalogueFileError(
                f"{file}: precompute by {name!r}: not an optional enum parameter of the query"
            )
    return parts[0], tuple(parts[2:])


def _param(line: str, patterns: Mapping[str, str], file: str) -> Param:
    head, sep, description = line.partition(" — ")
    parts = head.split()
    if not sep or len(parts) != 4 or not description.strip():
        raise CatalogueFileError(
            f"{file}: bad param line {line!r} (expected "
            "'<name> <type> <required|optional|repeatable> <example> — <description>')"
        )
    name, kind, presence, example = parts
    if not _VARIABLE.fullmatch(name):
        raise CatalogueFileError(f"{file}: bad parameter name {name!r}")
    choices: tuple[str, ...] = ()
    if kind.startswith("enum:"):
        choices = tuple(c for c in kind[5:].split(",") if c)
        kind = "enum"
        if not choices:
            raise CatalogueFileError(f"{file}: enum parameter {name!r} has no values")
    if kind not in ("iri", "string", "integer", *DAY_TYPES, "enum"):
        raise CatalogueFileError(f"{file}: parameter {name!r} has an unknown type {kind!r}")
    if presence not in ("required", "optional", "repeatable"):
        raise CatalogueFileError(f"{file}: parameter {name!r}: {presence!r} is not a presence")
    param = Param(
        name=name,
        type=kind,
        required=presence == "required",
        repeatable=presence == "repeatable",
        example=example,
        description=description.strip(),
        choices=choices,
        pattern=patterns.get(name),
    )
    try:
        param.check(example)
    except ParameterError as e:
        raise CatalogueFileError(f"{file}: the example does not pass: {e}") from e
    return param


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


__all__ = ["Answer", "NamedQuery", "get", "join_by_link", "run", "split_values"]
