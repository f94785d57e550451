"""What the dashboard's pages show: the catalogue calls behind them (a bad parameter a 422
page, a deadline a 503 page), the matrix and its colour scale, a cell's evidence, and the
SPARQL page's answers (run by the query service, as /sparql runs them).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Annotated

import pyoxigraph as ox
from fastapi import Query
from fastapi.responses import Response

from api import shaping
from api.http import HttpError
from api.pages import (
    EVIDENCE,
    MAX_SPARQL_ROWS,
    SCALE,
    SCALE_TEXT,
    SOURCES,
    ZERO_FILL,
    full,
    split,
)
from graph import catalogue
from graph.catalogue import Answer, ParamValues
from graph.errors import ExecutorError, OverBudgetError, QueryTimeout, StoreError
from graph.service import QueryService
from graph.values import Row, Value

# ---------------------------------------------------------------- data


Multi = Annotated[list[str] | None, Query()]
Text = Annotated[str | None, Query()]


def run(source: catalogue.Source, name: str, values: ParamValues | None = None) -> Answer:
    """One catalogue call; a bad parameter is a 422 page, a deadline a 503 page."""
    try:
        return catalogue.run(source, name, values or {})
    except catalogue.ParameterError as e:
        raise HttpError(422, str(e)) from e
    except QueryTimeout as e:
        raise HttpError(503, f"{e}; try again") from e
    except ExecutorError as e:
        raise HttpError(503, f"the query could not be answered: {e}") from e


def choices(values: list[str] | None, allowed: Iterable[str], name: str) -> list[str]:
    """Checked, canonical, in the order of ``allowed``: repeated or comma-separated values."""
    given = {v.lower() for v in catalogue.split_values(values)}
    allowed = list(allowed)
    unknown = given - {a.lower() for a in allowed}
    if unknown:
        raise HttpError(
            422, f"{name}: {', '.join(sorted(unknown))} is not one of {', '.join(allowed)}"
        )
    return [a for a in allowed if a.lower() in given]


def one_of(value: str | None, allowed: Iterable[str], name: str, default: str) -> str:
    allowed = list(allowed)
    if value in (None, ""):
        return default
    if value not in allowed:
        raise HttpError(422, f"{name}: {value!r} is not one of {', '.join(allowed)}")
    return value


def wants_csv(fmt: str | None) -> bool:
    if fmt in (None, "", "html"):
        return False
    if fmt == "csv":
        return True
    raise HttpError(422, f"format: {fmt!r} is not one of html, csv")


@dataclass
class Line:
    code: str
    title: str
    parent: str | None
    sub_lines: list[str]


def action_lines(kg: catalogue.Source) -> list[Line]:
    return [
        Line(
            code=str(r["action_line"]),
            title=str(r.get("title", "")),
            parent=str(r["parent"]) if r.get("parent") else None,
            sub_lines=split(r.get("sub_lines")),
        )
        for r in run(kg, "action-lines").rows
    ]


def goals(kg: catalogue.Source) -> list[dict[str, str]]:
    return [
        {
            "goal": str(r["goal"]),
            "title": str(r.get("title", "")),
            "short_title": str(r.get("short_title", r.get("title", ""))),
        }
        for r in run(kg, "sdgs").rows
    ]


# ---------------------------------------------------------------- the matrix


@dataclass
class Scale:
    """Counts to colour classes: 0 is white, 1 to the largest count spread over viridis."""

    largest: int
    width: int = 1
    bins: list[tuple[int, int, int]] = field(default_factory=list)  # (low, high, class)

    @classmethod
    def of(cls, largest: int) -> Scale:
        scale = cls(largest)
        steps = len(SCALE)
        if largest <= steps:
            for value in range(1, largest + 1):
                index = 1 if largest == 1 else 1 + round((value - 1) * (steps - 1) / (largest - 1))
                scale.bins.append((value, value, index))
        else:
            scale.width = -(-largest // steps)
            for index in range(1, steps + 1):
                low = (index - 1) * scale.width + 1
                if low > largest:
                    break
                scale.bins.append((low, min(index * scale.width, largest), index))
        return scale

    def level(self, count: int) -> int:
        if count <= 0:
            return 0
        for low, high, index in self.bins:
            if low <= count <= high:
                return index
        return len(SCALE)

    @staticmethod
    def fill(level: int) -> str:
        return ZERO_FILL if level == 0 else SCALE[level - 1]

    @staticmethod
    def ink(level: int) -> str:
        return "#000" if level == 0 else SCALE_TEXT[level - 1]

    def legend(self) -> list[dict[str, object]]:
        entries: list[dict[str, object]] = [{"label": "0", "level": 0}]
        for low, high, index in self.bins:
            entries.append(
                {"label": str(low) if low == high else f"{low}\u2013{high}", "level": index}
            )
        return entries


@dataclass
class MatrixRow:
    code: str
    title: str
    counts: list[int]
    total: int
    sub_line: bool
    rolled_up: bool  # C7: its own links and its sub-lines'


@dataclass
class Matrix:
    goals: list[dict[str, str]]
    rows: list[MatrixRow]
    column_totals: list[int]
    total: int
    scale: Scale
    note: str | None = None  # a day before the SDGs existed: why every count is 0


def build_matrix(
    kg: catalogue.Source, evidence: list[str], sources: list[str], as_of: str | None = None
) -> Matrix:
    answer = run(kg, "matrix", {"evidence": evidence, "source": sources, "as_of": as_of})
    goal_ids, api_rows = shaping.matrix_rows(answer.rows)
    note = shaping.before_sdgs_note(as_of or "any", _sdgs_from(answer.rows))
    by_line = {r.action_line: r.counts for r in api_rows}
    titles = {g["goal"]: g for g in goals(kg)}
    lines = action_lines(kg)

    def counts(code: str) -> list[int]:
        own = by_line.get(code, {})
        return [int(own.get(g, 0)) for g in goal_ids]

    rows: list[MatrixRow] = []
    for line in lines:
        values = counts(line.code)  # C7's row is the query's roll-up: each target once
        rows.append(
            MatrixRow(
                code=line.code,
                title=line.title,
                counts=values,
                total=sum(values),
                sub_line=line.parent is not None,
                rolled_up=bool(line.sub_lines),
            )
        )
    top = [r for r in rows if not r.sub_line]
    column_totals = [sum(r.counts[i] for r in top) for i in range(len(goal_ids))]
    largest = max((c for r in rows for c in r.counts), default=0)
    return Matrix(
        goals=[titles.get(g, {"goal": g, "title": "", "short_title": ""}) for g in goal_ids],
        rows=rows,
        column_totals=column_totals,
        total=sum(column_totals),
        scale=Scale.of(largest),
        note=note,
    )


def _sdgs_from(rows: list[Row]) -> str | None:
    return next((str(r["sdgs_from"]) for r in rows if r.get("sdgs_from")), None)


def sdgs_note(kg: catalogue.Source, as_of: str | None) -> str | None:
    """For a day before the SDGs existed, why no link to a goal counts (else None): the day
    they came into existence is in every row of the matrix's answer for that day."""
    if not as_of or as_of == "any":
        return None
    return shaping.before_sdgs_note(as_of, _sdgs_from(run(kg, "matrix", {"as_of": as_of}).rows))


def matrix_filters(
    evidence: list[str] | None, source: list[str] | None
) -> tuple[list[str], list[str]]:
    return choices(evidence, EVIDENCE, "evidence"), choices(source, SOURCES, "source")


def filter_params(
    evidence: list[str],
    sources: list[str],
    sublines: bool,
    as_of: str | None = None,
    suggested: bool = False,
) -> dict[str, object]:
    return {
        "evidence": evidence,
        "source": sources,
        "sublines": "show" if sublines else None,
        "as_of": as_of,
        "suggested": "show" if suggested else None,
    }


@dataclass
class Cell:
    action_line: str
    goal: str
    title: str
    goal_title: str
    rows: list[dict[str, Value | None]]
    answer: Answer
    # the suggested links of the cell, shown apart (None: not asked for, the default)
    suggested: list[dict[str, Value | None]] | None = None
    note: str | None = None  # a day before the SDGs existed: why it has no links


def cell_evidence(
    kg: catalogue.Source,
    action_line: str,
    goal: str,
    evidence: list[str],
    sources: list[str],
    as_of: str | None = None,
    suggested: bool = False,
) -> Cell:
    """The links behind a cell; with ``suggested``, its suggestions too, apart (they are
    never among its links, and no filter of evidence or source applies to them)."""
    answer = run(
        kg,
        "matrix-cell",
        {
            "action_line": action_line,
            "goal": goal,
            "evidence": evidence,
            "source": sources,
            "as_of": as_of,
        },
    )
    line = next((x for x in action_lines(kg) if x.code == action_line), None)
    if line is None:
        raise HttpError(404, f"no Action Line {action_line}")
    goal_row = next((g for g in goals(kg) if g["goal"] == goal), None)
    if goal_row is None:
        raise HttpError(404, f"no SDG {goal}")
    cell = Cell(action_line, goal, line.title, goal_row["short_title"], full(answer), answer)
    cell.note = sdgs_note(kg, as_of)
    if suggested:
        values = {"action_line": action_line, "goal": goal, "as_of": as_of}
        cell.suggested = full(run(kg, "matrix-cell", {**values, "evidence": ["suggested"]}))
    return cell


# ---------------------------------------------------------------- SPARQL


@dataclass
class SparqlAnswer:
    kind: str  # select | ask | construct
    columns: list[str]
    rows: list[list[str]]
    total: int
    boolean: bool | None
    seconds: float


def _term_text(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return str(term.value)
    return str(term)


def run_sparql(service: QueryService, text: str) -> SparqlAnswer:
    """Run a query as /sparql does (graph/service.py: in a worker with the deadline, or in
    this process). Errors are pages (400 for the query's fault, 503 past the deadline)."""
    started = time.perf_counter()
    result: ox.QuerySolutions | ox.QueryBoolean | Iterable[ox.Triple]
    try:
        answer = service.execute(
            text, accept=["application/sparql-results+json", "application/n-triples"]
        )
        if answer.kind == "construct":
            result = [q.triple for q in ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES)]
        else:
            result = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
        return _tabulate(result, time.perf_counter() - started)
    except StoreError as e:
        raise HttpError(400, str(e)) from e
    except QueryTimeout as e:
        raise HttpError(503, str(e)) from e
    except (ExecutorError, OverBudgetError) as e:
        raise _unavailable(e) from e
    except (OSError, SyntaxError, ValueError) as e:
        raise HttpError(400, f"the query failed: {e}") from e


def _unavailable(e: ExecutorError | OverBudgetError) -> HttpError:
    """A query that did not run: the client's query time used up (429), no worker in time
    (503), both with their Retry-After (graph/fairness.py); or a worker that failed (503)."""
    if e.headers:
        return HttpError(e.http_status or 503, str(e), e.headers)
    return HttpError(503, f"the query failed: {e}")


def sparql_csv(service: QueryService, text: str) -> Response:
    """The results as CSV (SELECT) or N-Triples (CONSTRUCT, DESCRIBE), as /sparql gives them."""
    try:
        answer = service.execute(text, accept=["text/csv", "application/n-triples"])
    except StoreError as e:
        raise HttpError(400, str(e)) from e
    except (ExecutorError, OverBudgetError) as e:
        raise _unavailable(e) from e
    except (OSError, SyntaxError, ValueError) as e:
        raise HttpError(400, f"the query failed: {e}") from e
    name = "results.csv" if answer.media_type.startswith("text/csv") else "results.nt"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(answer.body, media_type=answer.media_type, headers=headers)


def _tabulate(
    result: ox.QuerySolutions | ox.QueryBoolean | Iterable[ox.Triple], seconds: float
) -> SparqlAnswer:
    if isinstance(result, ox.QueryBoolean):
        return SparqlAnswer("ask", [], [], 0, bool(result), seconds)
    if isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        rows: list[list[str]] = []
        total = 0
        for solution in result:
            total += 1
            if len(rows) < MAX_SPARQL_ROWS:
                rows.append([_term_text(solution[c]) for c in columns])
        return SparqlAnswer("select", columns, rows, total, None, seconds)
    rows = []
    total = 0
    for triple in result:
        total += 1
        if len(rows) < MAX_SPARQL_ROWS:
            rows.append(
                [
                    _term_text(triple.subject),
                    _term_text(triple.predicate),
                    _term_text(triple.object),
                ]
            )
    return SparqlAnswer("construct", ["subject", "predicate", "object"], rows, total, None, seconds)


def _sparql_value(param: catalogue.Param) -> str:
    if param.type == "iri":
        return f"<{param.example}>"
    if param.type == "integer":
        return param.example
    return '"' + param.example.replace("\\", "\\\\").replace('"', '\\"') + '"'


def example_text(query: catalogue.NamedQuery) -> str:
    """A named query as it runs by itself: the example values of its required parameters
    bound with VALUES at the start of its WHERE clause (the catalogue binds them the same way,
    by substitution; never by splicing a user's value)."""
    required = [p for p in query.params if p.required]
    text = query.text
    if not required:
        return text
    variables = " ".join(f"?{p.name}" for p in required)
    values = " ".join(_sparql_value(p) for p in required)
    head, sep, tail = text.partition("WHERE {\n")
    if not sep:
        return text
    return f"{head}{sep}  VALUES ({variables}) {{ ({values}) }}\n{tail}"
