"""The reporting dashboard for CWG-WSIS&SDG: server-rendered HTML pages over the named queries.

Every number on a page comes from the same catalogue call as the REST route that gives it
(``graph/catalogue.py``, cached per release), so the dashboard's numbers are the API's. Pages
are rendered with Jinja2 (autoescaping on: a ``<script>`` in a literal shows as text) and work
without JavaScript; ``api/static/dashboard.js`` only enhances them (cell evidence in place, the
C7 sub-lines, arrow keys, PNG export, the SPARQL editor). Every response carries a strict
Content-Security-Policy: no inline script or style, nothing from another origin.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Coroutine, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlencode

import jinja2
import pyoxigraph as ox
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute

from api import routes
from api.deps import Service, get_kg
from api.http import HttpError, to_csv
from graph import catalogue
from graph.catalogue import Answer, ParamValues, Row, Value
from graph.errors import ExecutorError, QueryTimeout, StoreError
from graph.service import QueryService

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
EVIDENCE = ("stated", "extracted", "inferred")
# the Sectors and organs a page filters on (the work of UN agencies: their codes also work
# through the API's sector=)
SECTORS = ("ITU-T", "ITU-D", "ITU-R", "ITU", "PP", "Council")
SOURCES = {
    "matrix": "WSIS-SDG Matrix",
    "resolutions": "resolution texts",
    "curated": "curated ITU links",
}
# viridis, light to dark: more links, darker; each with the text colour of better contrast
SCALE = ("#fde725", "#a0da39", "#4ac16d", "#1fa187", "#277f8e", "#365c8d", "#46327e", "#440154")
SCALE_TEXT = ("#000", "#000", "#000", "#000", "#fff", "#fff", "#fff", "#fff")
ZERO_FILL = "#ffffff"
MAX_SPARQL_ROWS = 1000
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
STATIC_FILES = ("dashboard.css", "dashboard.js")


# ---------------------------------------------------------------- rendering


@cache
def static_version(name: str) -> str:
    """A digest of a static file, so that its URL changes when its content does."""
    data = resources.files("api").joinpath("static", name).read_bytes()
    return hashlib.sha256(data).hexdigest()[:12]


def static_url(name: str) -> str:
    return f"/dashboard/static/{name}?v={static_version(name)}"


def href(path: str, params: Mapping[str, object] | None = None, anchor: str = "") -> str:
    """A URL with its query string: lists repeat their parameter, empty values are left out."""
    pairs: list[tuple[str, str]] = []
    for key, value in (params or {}).items():
        values = value if isinstance(value, list | tuple) else [value]
        pairs.extend((key, str(v)) for v in values if v is not None and v is not False and v != "")
    query = urlencode(pairs)
    return f"{path}{'?' + query if query else ''}{'#' + anchor if anchor else ''}"


def anchor(iri: object) -> str:
    """The stable HTML id of a clause (or any resource) on a page."""
    return "c-" + hashlib.sha256(str(iri).encode()).hexdigest()[:12]


def web_address(value: object) -> str | None:
    """An address that may become a link: http(s) only (never javascript: or data:)."""
    text = str(value or "")
    return text if text.startswith(("https://", "http://")) else None


# a quotation the source already gives in quotation marks: the page's <q> adds its own
QUOTE_PAIRS = (
    ('"', '"'),
    ("\u201c", "\u201d"),
    ("\u201e", "\u201c"),
    ("\u2018", "\u2019"),
    ("'", "'"),
    ("\u00ab", "\u00bb"),
)


def unquoted(value: object) -> str:
    """A quotation without the quotation marks around it, if it has a pair (``<q>`` shows the
    page's own): ``"words"`` is ``words``, never ``\u201c"words"\u201d``. Marks inside stay."""
    text = str(value or "").strip()
    for opening, closing in QUOTE_PAIRS:
        inner = text[len(opening) : -len(closing)]
        if (
            len(text) > len(opening) + len(closing)
            and text.startswith(opening)
            and text.endswith(closing)
            and opening not in inner
            and closing not in inner
        ):
            return inner.strip()
    return text


def cite(
    citation: object, addresses: Iterable[object]
) -> tuple[list[tuple[str, str | None]], list[str]]:
    """A citation as pieces of text, each with the web address it links to (None for plain
    text), and the addresses it does not name: an address the citation already gives is a
    link where it stands and is not listed again after it, so that each address shows once."""
    text = str(citation or "")
    listed = list(dict.fromkeys(str(a) for a in addresses if a))
    named = [a for a in listed if text and _address_in(a).search(text)]
    rest = [a for a in listed if a not in named]
    links = sorted((a for a in named if web_address(a)), key=len, reverse=True)
    if not links:
        return ([(text, None)] if text else []), rest
    pattern = re.compile("(" + "|".join(_address_in(a).pattern for a in links) + ")")
    parts = pattern.split(text)  # text, address, text, ...: the captured ones at odd places
    pieces = [(part, part if i % 2 else None) for i, part in enumerate(parts) if part]
    return pieces, rest


def _address_in(address: str) -> re.Pattern[str]:
    """An address in a text, not the start of a longer one."""
    return re.compile(re.escape(address) + r"(?![\w/#?=&%~+-])")


def plural(count: object, noun: str) -> str:
    """``1 link``, ``2 links``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def document_id(value: object) -> str:
    """The id the document routes take: the file name without its extension."""
    name = str(value or "").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("api", "templates"),
        autoescape=True,  # every template, HTML and SVG alike
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        static_url=static_url,
        href=href,
        evidence_kinds=EVIDENCE,
        source_names=SOURCES,
        web_address=web_address,
        document_id=document_id,
        cite=cite,
    )
    env.filters["anchor"] = anchor
    env.filters["unquoted"] = unquoted
    env.filters["plural"] = plural
    return env


def render(
    request: Request, template: str, *, status_code: int = 200, **context: object
) -> HTMLResponse:
    kg = get_kg(request)
    page = environment().get_template(template)
    html = page.render(release=kg.current_release(), path=request.url.path, **context)
    return HTMLResponse(html, status_code=status_code)


def full(answer: Answer, rows: Iterable[Row] | None = None) -> list[dict[str, Value | None]]:
    """Rows with every column (None where unbound), for the templates."""
    return [{c: r.get(c) for c in answer.columns} for r in (answer.rows if rows is None else rows)]


def split(value: Value | None, separator: str = "; ") -> list[str]:
    return [v for v in str(value).split(separator) if v] if value not in (None, "") else []


def csv_download(
    columns: Sequence[str], rows: Iterable[Mapping[str, Value]], name: str
) -> Response:
    response = to_csv(columns, rows)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


class DashboardRoute(APIRoute):
    """Every dashboard response carries the security headers; a HttpError is an HTML page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def secured(request: Request) -> Response:
            try:
                response = await handler(request)
            except HttpError as e:
                response = render(
                    request, "error.html", status_code=e.status, status=e.status, message=e.message
                )
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
            return response

        return secured


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


def build_matrix(kg: catalogue.Source, evidence: list[str], sources: list[str]) -> Matrix:
    answer = run(kg, "matrix", {"evidence": evidence, "source": sources})
    goal_ids, api_rows = routes.matrix(answer.rows)
    by_line = {str(r["action_line"]): r["counts"] for r in api_rows}
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
    )


def matrix_filters(
    evidence: list[str] | None, source: list[str] | None
) -> tuple[list[str], list[str]]:
    return choices(evidence, EVIDENCE, "evidence"), choices(source, SOURCES, "source")


def filter_params(evidence: list[str], sources: list[str], sublines: bool) -> dict[str, object]:
    return {"evidence": evidence, "source": sources, "sublines": "show" if sublines else None}


@dataclass
class Cell:
    action_line: str
    goal: str
    title: str
    goal_title: str
    rows: list[dict[str, Value | None]]
    answer: Answer


def cell_evidence(
    kg: catalogue.Source, action_line: str, goal: str, evidence: list[str], sources: list[str]
) -> Cell:
    answer = run(
        kg,
        "matrix-cell",
        {"action_line": action_line, "goal": goal, "evidence": evidence, "source": sources},
    )
    line = next((x for x in action_lines(kg) if x.code == action_line), None)
    if line is None:
        raise HttpError(404, f"no Action Line {action_line}")
    goal_row = next((g for g in goals(kg) if g["goal"] == goal), None)
    if goal_row is None:
        raise HttpError(404, f"no SDG {goal}")
    return Cell(action_line, goal, line.title, goal_row["short_title"], full(answer), answer)


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
    except ExecutorError as e:
        raise HttpError(503, f"the query failed: {e}") from e
    except (OSError, SyntaxError, ValueError) as e:
        raise HttpError(400, f"the query failed: {e}") from e


def sparql_csv(service: QueryService, text: str) -> Response:
    """The results as CSV (SELECT) or N-Triples (CONSTRUCT, DESCRIBE), as /sparql gives them."""
    try:
        answer = service.execute(text, accept=["text/csv", "application/n-triples"])
    except StoreError as e:
        raise HttpError(400, str(e)) from e
    except ExecutorError as e:
        raise HttpError(503, f"the query failed: {e}") from e
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


# ---------------------------------------------------------------- pages


router = APIRouter(route_class=DashboardRoute, include_in_schema=False)


@router.get("/")
def root() -> RedirectResponse:
    return RedirectResponse("/dashboard", status_code=307)


@router.get("/dashboard/static/{name}")
def static(name: Annotated[str, Path()]) -> Response:
    if name not in STATIC_FILES:
        raise HttpError(404, f"no static file {name}")
    data = resources.files("api").joinpath("static", name).read_bytes()
    media = STATIC_TYPES["." + name.rsplit(".", 1)[-1]]
    return Response(data, media_type=media, headers={"Cache-Control": "no-cache"})


@router.get("/dashboard")
def dashboard(
    request: Request,
    graph: Service,
    evidence: Multi = None,
    source: Multi = None,
    sublines: Text = None,
    action_line: Text = None,
    goal: Text = None,
) -> Response:
    kinds, sources = matrix_filters(evidence, source)
    expanded = one_of(sublines, ("show", "hide"), "sublines", "hide") == "show"
    matrix = build_matrix(graph, kinds, sources)
    cell = None
    if action_line or goal:
        if not (action_line and goal):
            raise HttpError(422, "a cell needs both action_line and goal")
        cell = cell_evidence(graph, action_line, goal, kinds, sources)
    params = filter_params(kinds, sources, expanded)
    return render(
        request,
        "dashboard.html",
        matrix=matrix,
        cell=cell,
        evidence=kinds,
        sources=sources,
        expanded=expanded,
        params=params,
        filters={"evidence": kinds, "source": sources},
    )


@router.get("/dashboard/cell")
def cell_page(
    request: Request,
    graph: Service,
    action_line: Text = None,
    goal: Text = None,
    evidence: Multi = None,
    source: Multi = None,
    sublines: Text = None,
    fragment: Text = None,
    format: Text = None,
) -> Response:
    if not (action_line and goal):
        raise HttpError(422, "a cell needs both action_line and goal")
    kinds, sources = matrix_filters(evidence, source)
    expanded = one_of(sublines, ("show", "hide"), "sublines", "hide") == "show"
    cell = cell_evidence(graph, action_line, goal, kinds, sources)
    if wants_csv(format):
        return csv_download(
            cell.answer.columns, cell.answer.rows, f"evidence-{action_line}-sdg-{goal}"
        )
    return render(
        request,
        "cell_fragment.html" if fragment else "cell.html",
        cell=cell,
        params=filter_params(kinds, sources, expanded),
        filters={"evidence": kinds, "source": sources},
    )


@router.get("/dashboard/matrix.svg")
def matrix_svg(
    request: Request,
    graph: Service,
    evidence: Multi = None,
    source: Multi = None,
    sublines: Text = None,
) -> Response:
    kinds, sources = matrix_filters(evidence, source)
    expanded = one_of(sublines, ("show", "hide"), "sublines", "hide") == "show"
    matrix = build_matrix(graph, kinds, sources)
    rows = [r for r in matrix.rows if expanded or not r.sub_line]
    svg = (
        environment()
        .get_template("matrix.svg")
        .render(
            matrix=matrix,
            rows=rows,
            scale=matrix.scale,
            evidence=kinds,
            sources=sources,
            release=graph.current_release(),
        )
    )
    return Response(svg, media_type="image/svg+xml")


@router.get("/dashboard/action-lines")
def action_lines_page(request: Request, graph: Service, format: Text = None) -> Response:
    answer = run(graph, "action-lines")
    if wants_csv(format):
        return csv_download(answer.columns, answer.rows, "action-lines")
    return render(request, "action_lines.html", lines=[routes.action_line(r) for r in answer.rows])


@router.get("/dashboard/action-lines/{id}")
def action_line_page(
    request: Request,
    graph: Service,
    id: Annotated[str, Path()],
    evidence: Multi = None,
    sector: Multi = None,
    format: Text = None,
) -> Response:
    kinds = choices(evidence, EVIDENCE, "evidence")
    sectors = choices(sector, SECTORS, "sector")
    found = run(graph, "action-lines", {"action_line": id})
    if not found.rows:
        raise HttpError(404, f"no Action Line {id}")
    answer = run(
        graph, "supporting-work", {"action_line": id, "evidence": kinds, "sector": sectors}
    )
    cited = run(graph, "supporting-work-citations", {"action_line": id, "evidence": kinds})
    citations = {str(r["link"]): r for r in cited.rows}
    rows: list[Row] = []
    for r in answer.rows:  # the query's addresses, plus the citation as the table gives it
        row = dict(r)
        if "citation" in (cite := citations.get(str(r.get("link")), {})):
            row["citation"] = cite["citation"]
        rows.append(row)
    if wants_csv(format):
        return csv_download([*answer.columns, "citation"], rows, f"supporting-work-{id}")
    items = routes.supporting_work_items(catalogue.join_by_link(answer.rows, cited.rows))
    every = run(graph, "statements-all-action-lines", {"evidence": kinds, "sector": sectors})
    general = routes.supporting_work_items(every.rows)
    for item in items:
        for src in item["sources"]:
            cite = citations.get(str(src["link"]), {})
            src["citation"] = cite.get("citation")
    by_evidence = {k: sum(1 for i in items if i["evidence"] == k) for k in EVIDENCE}
    types: dict[str, int] = {}
    for item in items:
        kind = str(item["type"] or "other")
        types[kind] = types.get(kind, 0) + 1
    return render(
        request,
        "action_line.html",
        line=routes.action_line(found.rows[0]),
        items=items,
        general=general,
        by_evidence=by_evidence,
        types=sorted(types.items(), key=lambda t: (-t[1], t[0])),
        sector_choices=[(s, s) for s in SECTORS],
        filters={"evidence": kinds, "sector": sectors},
        params={"evidence": kinds, "sector": sectors},
    )


@router.get("/dashboard/gaps")
def gaps_page(
    request: Request,
    graph: Service,
    weakest: Text = None,
    sector: Text = None,
    goal: Text = None,
    table: Text = None,
    format: Text = None,
) -> Response:
    threshold = one_of(weakest, EVIDENCE, "weakest", "inferred")
    organ = one_of(sector, SECTORS, "sector", "") or None
    lines = run(graph, "gaps-action-lines", {"weakest": threshold, "sector": organ})
    targets = run(graph, "gaps-sdg-targets", {"weakest": threshold, "goal": goal})
    if wants_csv(format):
        which = one_of(table, ("action-lines", "targets"), "table", "action-lines")
        chosen = lines if which == "action-lines" else targets
        return csv_download(chosen.columns, chosen.rows, f"gaps-{which}-{threshold}")
    all_targets = sum(
        int(g.get("targets", 0))
        for g in run(graph, "sdgs", {"goal": goal}).rows
        if isinstance(g.get("targets", 0), int)
    )
    return render(
        request,
        "gaps.html",
        weakest=threshold,
        sector=organ or "",
        sectors=SECTORS,
        goal=goal or "",
        goals=goals(graph),
        lines=full(lines),
        line_count=len(action_lines(graph)),
        targets=full(targets),
        target_count=all_targets,
        params={"weakest": threshold, "sector": organ, "goal": goal},
    )


@router.get("/dashboard/resolutions")
def resolutions_page(
    request: Request, graph: Service, body: Text = None, table: Text = None, format: Text = None
) -> Response:
    answer = run(graph, "resolutions", {"body": body})
    proposals = run(graph, "proposals", {"body": body})
    if wants_csv(format):
        if one_of(table, ("resolutions", "proposals"), "table", "resolutions") == "proposals":
            return csv_download(proposals.columns, proposals.rows, "proposals")
        return csv_download(answer.columns, answer.rows, "resolutions")
    return render(
        request,
        "resolutions.html",
        resolutions=routes.resolutions(answer.rows),
        proposals=full(proposals),
        body=body or "",
        bodies=catalogue.get("resolutions").param("body").choices,
    )


@router.get("/dashboard/resolutions/{body}/{number}")
def resolution_page(
    request: Request,
    graph: Service,
    body: Annotated[str, Path()],
    number: Annotated[str, Path()],
    format: Text = None,
) -> Response:
    values = {"body": body, "number": number.replace("-", "/")}
    found = run(graph, "resolutions", values)
    if not found.rows:
        raise HttpError(404, f"no resolution {body} {number}")
    answer = run(graph, "resolution-clauses", values)
    if wants_csv(format):
        return csv_download(answer.columns, answer.rows, f"resolution-{body}-{number}")
    resolution = routes.resolutions(found.rows)[0]
    proposals = full(run(graph, "proposals", values))
    by_draft = {str(p["draft"]): p for p in proposals}
    versions = routes.resolution_clauses(answer.rows)
    for version in versions:
        version["proposal"] = by_draft.get(str(version["iri"]))
        for section in version["sections"]:
            depth: dict[str, int] = {}
            for clause in section["clauses"]:
                parent = str(clause.get("parent") or "")
                clause["depth"] = depth.get(parent, -1) + 1
                depth[str(clause["iri"])] = clause["depth"]
    return render(
        request,
        "resolution.html",
        resolution=resolution,
        versions=versions,
        proposals=proposals,
        link_number=number.replace("/", "-"),
    )


@router.get("/dashboard/clause")
def clause_page(request: Request, graph: Service, iri: Text = None) -> Response:
    if not iri:
        raise HttpError(422, "which clause? (iri)")
    answer = run(graph, "clause", {"clause": iri})
    if not answer.rows:
        raise HttpError(404, f"no clause {iri}")
    row = answer.rows[0]
    number = str(row["number"]).replace("/", "-")
    target = href(f"/dashboard/resolutions/{row['body']}/{number}", anchor=anchor(iri))
    return RedirectResponse(target, status_code=303)


@router.get("/dashboard/documents/{id}")
def document_page(
    request: Request,
    graph: Service,
    id: Annotated[str, Path()],
    status: Text = None,
    format: Text = None,
) -> Response:
    answer = run(graph, "document-changes", {"document": id})
    if not answer.rows:
        raise HttpError(404, f"no document {id} that proposes changes")
    statuses = (
        "added", "deleted", "likely deleted", "modified", "moved", "unchanged", "undetermined",
    )  # fmt: skip
    wanted = one_of(status, statuses, "status", "")
    rows = [r for r in answer.rows if not wanted or r.get("status") == wanted]
    if wants_csv(format):
        return csv_download(answer.columns, rows, f"changes-{id}")
    changes = routes.document_changes(answer.rows)
    clauses = [c for c in changes["clauses"] if not wanted or c.get("status") == wanted]
    every = run(graph, "proposals")
    proposal = next((r for r in full(every) if r.get("document") == id), None)
    return render(
        request,
        "document.html",
        changes=changes,
        clauses=clauses,
        proposal=proposal,
        status=wanted,
        statuses=statuses,
        id=id,
    )


@router.get("/dashboard/sparql")
def sparql_page(
    request: Request,
    service: Service,
    query: Text = None,
    example: Text = None,
    format: Text = None,
) -> Response:
    if wants_csv(format):
        if not query:
            raise HttpError(422, "which query? (query)")
        return sparql_csv(service, query)
    examples = {name: example_text(q) for name, q in catalogue.catalogue().items()}
    descriptions = {name: q.description for name, q in catalogue.catalogue().items()}
    if example and example not in examples:
        raise HttpError(404, f"no named query {example}")
    text = query if query is not None else examples.get(example or "", "")
    answer = None
    error = None
    status = 200
    if query:
        try:
            answer = run_sparql(service, query)
        except HttpError as e:
            error, status = e.message, e.status
    return render(
        request,
        "sparql.html",
        status_code=status,
        text=text,
        examples=examples,
        descriptions=descriptions,
        example=example or "",
        answer=answer,
        error=error,
        share=href("/dashboard/sparql", {"query": query}) if query else None,
        limit=MAX_SPARQL_ROWS,
    )
