"""The reporting dashboard for CWG-WSIS&SDG: server-rendered HTML pages over the named queries.

Every number on a page comes from the same catalogue call as the REST route that gives it
(``graph/catalogue.py``, cached per release), so the dashboard's numbers are the API's. Pages
are rendered with Jinja2 (autoescaping on: a ``<script>`` in a literal shows as text) and work
without JavaScript; ``api/static/dashboard.js`` only enhances them (cell evidence in place, the
C7 sub-lines, arrow keys, PNG export, the SPARQL editor). Every response carries a strict
Content-Security-Policy: no inline script or style, nothing from another origin.
"""

from __future__ import annotations

from importlib import resources
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response

from api import shaping
from api.dashboard_data import (
    Multi,
    Text,
    action_lines,
    build_matrix,
    cell_evidence,
    choices,
    example_text,
    filter_params,
    goals,
    matrix_filters,
    one_of,
    run,
    run_sparql,
    sdgs_note,
    sparql_csv,
    wants_csv,
)
from api.deps import Service
from api.http import HttpError
from api.pages import (
    EVIDENCE,
    MAX_SPARQL_ROWS,
    SECTORS,
    STATIC_FILES,
    STATIC_TYPES,
    DashboardRoute,
    anchor,
    cite,
    csv_download,
    environment,
    full,
    href,
    render,
    unquoted,
)
from graph import catalogue
from graph.clock import today
from graph.values import Row

__all__ = ["cite", "router", "unquoted"]


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
    as_of: Text = None,
    suggested: Text = None,
) -> Response:
    kinds, sources = matrix_filters(evidence, source)
    expanded = one_of(sublines, ("show", "hide"), "sublines", "hide") == "show"
    shown = _suggestions_shown(suggested)
    as_of = as_of or None  # an empty date field: today
    matrix = build_matrix(graph, kinds, sources, as_of)
    cell = None
    if action_line or goal:
        if not (action_line and goal):
            raise HttpError(422, "a cell needs both action_line and goal")
        cell = cell_evidence(graph, action_line, goal, kinds, sources, as_of, suggested=shown)
    params = filter_params(kinds, sources, expanded, as_of, shown)
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
        as_of=as_of,
        today=today(),
        show_suggested=shown,
    )


def _suggestions_shown(suggested: str | None) -> bool:
    """Whether a page shows the suggested links (``suggested=show``): off unless asked."""
    return one_of(suggested, ("show", "hide"), "suggested", "hide") == "show"


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
    as_of: Text = None,
    suggested: Text = None,
) -> Response:
    if not (action_line and goal):
        raise HttpError(422, "a cell needs both action_line and goal")
    kinds, sources = matrix_filters(evidence, source)
    expanded = one_of(sublines, ("show", "hide"), "sublines", "hide") == "show"
    shown = _suggestions_shown(suggested)
    as_of = as_of or None
    cell = cell_evidence(graph, action_line, goal, kinds, sources, as_of, suggested=shown)
    if wants_csv(format):
        return csv_download(
            cell.answer.columns, cell.answer.rows, f"evidence-{action_line}-sdg-{goal}"
        )
    return render(
        request,
        "cell_fragment.html" if fragment else "cell.html",
        cell=cell,
        params=filter_params(kinds, sources, expanded, as_of, shown),
        filters={"evidence": kinds, "source": sources},
    )


@router.get("/dashboard/matrix.svg")
def matrix_svg(
    request: Request,
    graph: Service,
    evidence: Multi = None,
    source: Multi = None,
    sublines: Text = None,
    as_of: Text = None,
) -> Response:
    kinds, sources = matrix_filters(evidence, source)
    expanded = one_of(sublines, ("show", "hide"), "sublines", "hide") == "show"
    matrix = build_matrix(graph, kinds, sources, as_of or None)
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
    return render(request, "action_lines.html", lines=shaping.action_lines(answer.rows))


@router.get("/dashboard/action-lines/{id}")
def action_line_page(
    request: Request,
    graph: Service,
    id: Annotated[str, Path()],
    evidence: Multi = None,
    sector: Multi = None,
    as_of: Text = None,
    format: Text = None,
    suggested: Text = None,
) -> Response:
    kinds = choices(evidence, EVIDENCE, "evidence")
    shown = _suggestions_shown(suggested)
    sectors = choices(sector, SECTORS, "sector")
    as_of = as_of or None  # an empty date field: today
    found = run(graph, "action-lines", {"action_line": id})
    if not found.rows:
        raise HttpError(404, f"no Action Line {id}")
    answer = run(
        graph,
        "supporting-work",
        {"action_line": id, "evidence": kinds, "sector": sectors, "as_of": as_of},
    )
    cited = run(graph, "supporting-work-citations", {"action_line": id, "evidence": kinds})
    if wants_csv(format):  # the REST answer's table: each link with its citation and the day
        columns, rows = shaping.supporting_work_table(
            answer.columns,
            cited.columns,
            catalogue.join_by_link(answer.rows, cited.rows),
            as_of or today(),
        )
        return csv_download(columns, rows, f"supporting-work-{id}")
    # the route's items, each source with the citation as the table gives it
    items = shaping.cited_work_items(catalogue.join_by_link(answer.rows, cited.rows))
    every = run(
        graph,
        "statements-all-action-lines",
        {"evidence": kinds, "sector": sectors, "as_of": as_of},
    )
    general = shaping.work_items(every.rows)
    by_evidence = {k: sum(1 for i in items if i.evidence == k) for k in EVIDENCE}
    # suggestions apart, only when asked for: never among the work that supports the line
    values = {"action_line": id, "sector": sectors, "as_of": as_of, "evidence": ["suggested"]}
    suggestions = shaping.work_items(run(graph, "supporting-work", values).rows) if shown else None
    types: dict[str, int] = {}
    for item in items:
        kind = str(item.type or "other")
        types[kind] = types.get(kind, 0) + 1
    return render(
        request,
        "action_line.html",
        line=shaping.action_line(found.rows[0]),
        items=items,
        general=general,
        by_evidence=by_evidence,
        types=sorted(types.items(), key=lambda t: (-t[1], t[0])),
        sector_choices=[(s, s) for s in SECTORS],
        filters={"evidence": kinds, "sector": sectors},
        params={
            "evidence": kinds,
            "sector": sectors,
            **({"as_of": as_of} if as_of else {}),
            **({"suggested": "show"} if shown else {}),
        },
        as_of=as_of,
        today=today(),
        suggestions=suggestions,
        lines_note=shaping.before_lines_note(
            as_of or today(), _lines_from(found.rows[0].get("lines_from"))
        ),
    )


def _lines_from(value: object) -> str | None:
    return None if value is None else str(value)


@router.get("/dashboard/gaps")
def gaps_page(
    request: Request,
    graph: Service,
    weakest: Text = None,
    sector: Text = None,
    goal: Text = None,
    table: Text = None,
    format: Text = None,
    as_of: Text = None,
) -> Response:
    threshold = one_of(weakest, EVIDENCE, "weakest", "inferred")
    organ = one_of(sector, SECTORS, "sector", "") or None
    as_of = as_of or None  # an empty date field: today
    line_values = {"weakest": threshold, "sector": organ, "as_of": as_of}
    target_values = {"weakest": threshold, "goal": goal, "as_of": as_of}
    if wants_csv(format):  # the one table asked for, not both
        which = one_of(table, ("action-lines", "targets"), "table", "action-lines")
        chosen = (
            run(graph, "gaps-action-lines", line_values)
            if which == "action-lines"
            else run(graph, "gaps-sdg-targets", target_values)
        )
        return csv_download(chosen.columns, chosen.rows, f"gaps-{which}-{threshold}")
    lines = run(graph, "gaps-action-lines", line_values)
    targets = run(graph, "gaps-sdg-targets", target_values)
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
        sdgs_note=sdgs_note(graph, as_of),
        lines_note=shaping.before_lines_note(
            as_of or today(),
            _lines_from(next(iter(run(graph, "action-lines", {}).rows), {}).get("lines_from")),
        ),
        params={"weakest": threshold, "sector": organ, "goal": goal, "as_of": as_of},
        as_of=as_of,
        today=today(),
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
        resolutions=shaping.resolutions(answer.rows),
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
    as_of: Text = None,
    format: Text = None,
) -> Response:
    values = {"body": body, "number": number.replace("-", "/")}
    found = run(graph, "resolutions", values)
    if not found.rows:
        raise HttpError(404, f"no resolution {body} {number}")
    as_of = as_of or None  # an empty date field: today; "any": 422 (the query's "day")
    timeline = run(graph, "resolution-versions", {**values, "as_of": as_of}).rows
    named: dict[str, list[Row]] = {}
    for row in run(graph, "version-action-lines", values).rows:
        named.setdefault(str(row["version"]), []).append(row)
    answer = run(graph, "resolution-clauses", values)
    if wants_csv(format):
        return csv_download(answer.columns, answer.rows, f"resolution-{body}-{number}")
    resolution = shaping.resolutions(found.rows)[0]
    proposals = full(run(graph, "proposals", values))
    by_draft = {str(p["draft"]): p for p in proposals}
    # dicts: the page adds each version's proposal and each clause's depth
    versions = [v.model_dump() for v in shaping.version_texts(answer.rows)]
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
        timeline=shaping.timeline(timeline, as_of or today()) if timeline else None,
        named=named,
        as_of=as_of,
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
    changes = shaping.document_changes(answer.rows).model_dump()
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
