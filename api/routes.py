"""REST answers built from the named queries (``graph/queries/*.rq``).

Each route is thin: it checks its parameters, makes one catalogue call (a second one only to
tell an unknown id from an empty answer), and shapes the rows into JSON, or returns them as
CSV (``?format=csv`` or ``Accept: text/csv``). So every answer is what the same named query
gives through ``/sparql``, grouped. Routes are plain ``def``: store calls block.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from api.deps import Service
from api.http import Format, HttpError, to_csv, wants_csv
from api.shapes import (
    EVIDENCE_ORDER,
    action_line,
    document_changes,
    evidence_rank,
    matrix,
    ref,
    resolution_clauses,
    resolutions,
    sdg_detail,
    split_list,
    study_group,
    supporting_work_items,
)
from graph import catalogue
from graph.catalogue import Answer, ParamValues
from graph.errors import ExecutorError, QueryTimeout
from graph.values import Row, Value

# the shaping functions, as callers knew them here before they moved to api/shapes.py
__all__ = [
    "DEFAULT_LIMIT",
    "EVIDENCE_ORDER",
    "MAX_LIMIT",
    "action_line",
    "document_changes",
    "matrix",
    "resolution_clauses",
    "resolutions",
    "router",
    "sdg_detail",
    "study_group",
    "supporting_work_items",
]
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def _doc(query: str, param: str) -> dict[str, Any]:
    """The description and example of a route parameter: those of the query parameter."""
    p = catalogue.get(query).param(param)
    return {"description": p.description, "examples": [p.example]}


Evidence = Annotated[
    list[str] | None,
    Query(
        description="Only links with this evidence: stated, extracted or inferred; repeat the "
        "parameter or separate values with commas. Without it, all.",
        examples=["stated"],
    ),
]
Source = Annotated[
    list[str] | None,
    Query(
        description="Only links from this source: matrix (the WSIS-SDG Matrix table), "
        "resolutions (resolution texts) or curated (the curated tables of ITU links); repeat "
        "the parameter or separate values with commas. Without it, all.",
        examples=["matrix"],
    ),
]
Sector = Annotated[
    list[str] | None,
    Query(
        description="Only the work of this Sector or organ: ITU-T, ITU-D, ITU-R, ITU (the "
        "Union), PP, Council, GS, UNGA, WSIS, or a UN agency (UNESCO ...); repeat the parameter "
        "or separate values with commas. Without it, all.",
        examples=["ITU-T"],
    ),
]
ActionLineId = Annotated[str, Path(**_doc("action-lines", "action_line"))]
Goal = Annotated[str, Path(**_doc("sdg", "goal"))]
Body = Annotated[str, Path(**_doc("resolution-clauses", "body"))]
Number = Annotated[
    str,
    Path(
        description="The resolution number, e.g. 75; write 70/125 as 70-125.",
        examples=["75"],
    ),
]


def run(source: catalogue.Source, name: str, values: ParamValues) -> Answer:
    """One catalogue call; a bad parameter is a 422 with the reason."""
    try:
        return catalogue.run(source, name, values)
    except catalogue.ParameterError as e:
        raise HttpError(422, str(e)) from e
    except QueryTimeout as e:
        raise HttpError(503, str(e), {"Retry-After": "1"}) from e
    except ExecutorError as e:
        raise HttpError(503, f"the query could not be answered: {e}") from e


def respond(
    request: Request,
    fmt: str | None,
    payload: object,
    answer: Answer,
    rows: list[Row] | None = None,
) -> Response:
    if wants_csv(request, fmt):
        return to_csv(answer.columns, answer.rows if rows is None else rows)
    return JSONResponse(payload)


def _sub_lines(graph: catalogue.Source) -> dict[str, list[str]]:
    """Action Line -> its sub-lines (C7 -> C7.e-government ...), from the named query."""
    return {
        str(r["action_line"]): split_list(r.get("sub_lines"))
        for r in run(graph, "action-lines", {}).rows
        if r.get("sub_lines")
    }


router = APIRouter()


@router.get(
    "/action-lines",
    summary="The Action Lines C1-C11 and the C7 sub-lines",
    tags=["action lines"],
)
def list_action_lines(graph: Service, request: Request, fmt: Format = None) -> Response:
    answer = run(graph, "action-lines", {})
    return respond(request, fmt, [action_line(r) for r in answer.rows], answer)


@router.get("/action-lines/{id}", summary="One Action Line", tags=["action lines"])
def get_action_line(id: ActionLineId, graph: Service) -> dict[str, object]:
    answer = run(graph, "action-lines", {"action_line": id})
    if not answer.rows:
        raise HttpError(404, f"no Action Line {id}")
    return action_line(answer.rows[0])


@router.get(
    "/action-lines/{id}/supporting-work",
    summary="Which ITU-T work supports an Action Line, with evidence and sources",
    tags=["action lines"],
)
def supporting_work(
    id: ActionLineId,
    graph: Service,
    request: Request,
    evidence: Evidence = None,
    sector: Sector = None,
    limit: Annotated[
        int,
        Query(ge=1, le=MAX_LIMIT, description="At most this many items.", examples=[20]),
    ] = DEFAULT_LIMIT,
    offset: Annotated[
        int, Query(ge=0, description="Skip this many items first.", examples=[0])
    ] = 0,
    fmt: Format = None,
) -> Response:
    kinds = catalogue.split_values(evidence)
    sectors = catalogue.split_values(sector)
    answer = run(
        graph, "supporting-work", {"action_line": id, "evidence": kinds, "sector": sectors}
    )
    if not answer.rows and not run(graph, "action-lines", {"action_line": id}).rows:
        raise HttpError(404, f"no Action Line {id}")
    cited = run(graph, "supporting-work-citations", {"action_line": id, "evidence": kinds})
    items = supporting_work_items(catalogue.join_by_link(answer.rows, cited.rows))
    page = items[offset : offset + limit]
    links = {s["link"] for item in page for s in item["sources"]}
    every = run(graph, "statements-all-action-lines", {"evidence": kinds, "sector": sectors})
    general = supporting_work_items(every.rows)
    payload = {
        "action_line": id,
        "evidence": sorted({str(r["evidence"]) for r in answer.rows}, key=evidence_rank),
        "sector": sectors or None,
        "total": len(items),
        "offset": offset,
        "limit": limit,
        "items": page,
        # statements about all Action Lines: shown with each line, never counted
        "all_action_lines": general,
    }
    return respond(
        request, fmt, payload, answer, [r for r in answer.rows if r.get("link") in links]
    )


@router.get("/sdgs", summary="The 17 Sustainable Development Goals", tags=["SDGs"])
def list_sdgs(graph: Service, request: Request, fmt: Format = None) -> Response:
    answer = run(graph, "sdgs", {})
    return respond(request, fmt, answer.rows, answer)


@router.get("/sdgs/{goal}", summary="One goal with its targets and indicators", tags=["SDGs"])
def get_sdg(goal: Goal, graph: Service, request: Request, fmt: Format = None) -> Response:
    answer = run(graph, "sdg", {"goal": goal})
    if not answer.rows:
        raise HttpError(404, f"no SDG {goal}")
    return respond(request, fmt, sdg_detail(answer.rows), answer)


@router.get(
    "/sdgs/{goal}/action-lines",
    summary="The Action Lines linked to a goal or to its targets",
    tags=["SDGs"],
)
def sdg_action_lines(
    goal: Goal, graph: Service, request: Request, evidence: Evidence = None, fmt: Format = None
) -> Response:
    kinds = catalogue.split_values(evidence)
    answer = run(graph, "sdg-action-lines", {"goal": goal, "evidence": kinds})
    if not answer.rows and not run(graph, "sdgs", {"goal": goal}).rows:
        raise HttpError(404, f"no SDG {goal}")
    lines: dict[Value, dict[str, Any]] = {}
    for row in answer.rows:
        entry = lines.setdefault(
            row["action_line"],
            {
                "action_line": row["action_line"],
                "title": row.get("action_line_title"),
                "sdgs": [],
                "sources": [],
            },
        )
        if row["sdg"] not in entry["sdgs"]:
            entry["sdgs"].append(row["sdg"])
        entry["sources"].append(
            {
                "sdg": row["sdg"],
                "link": row["link"],
                "evidence": row["evidence"],
                "row": ref(row, "source_row", "source_row_label"),
            }
        )
    return respond(request, fmt, {"goal": goal, "action_lines": list(lines.values())}, answer)


@router.get(
    "/matrix",
    summary="Action Line x SDG goal: numbers of WSIS-SDG Matrix links",
    tags=["SDGs"],
)
def get_matrix(
    graph: Service,
    request: Request,
    evidence: Evidence = None,
    source: Source = None,
    fmt: Format = None,
) -> Response:
    kinds = catalogue.split_values(evidence)
    sources = catalogue.split_values(source)
    answer = run(graph, "matrix", {"evidence": kinds, "source": sources})
    goals, rows = matrix(answer.rows)
    sub_lines = _sub_lines(graph)
    for row in rows:
        if subs := sub_lines.get(str(row["action_line"])):
            row["rolled_up_from"] = subs  # C7 counts its sub-lines' targets, each once
    if wants_csv(request, fmt):
        flat: list[Row] = [{"action_line": r["action_line"], **r["counts"]} for r in rows]
        return to_csv(["action_line", *goals], flat)
    return JSONResponse(
        {
            "evidence": kinds or list(EVIDENCE_ORDER),
            "source": sources or list(catalogue.get("matrix").param("source").choices),
            "goals": goals,
            "rows": rows,
        }
    )


@router.get("/study-groups", summary="ITU-T study groups per study period", tags=["ITU-T"])
def list_study_groups(
    graph: Service,
    request: Request,
    period: Annotated[str | None, Query(**_doc("study-groups", "period"))] = None,
    fmt: Format = None,
) -> Response:
    answer = run(graph, "study-groups", {"period": period})
    return respond(request, fmt, [study_group(r) for r in answer.rows], answer)


@router.get(
    "/study-groups/{period}/{sg}",
    summary="One study group, with predecessors and successors",
    tags=["ITU-T"],
)
def get_study_group(
    period: Annotated[str, Path(**_doc("study-groups", "period"))],
    sg: Annotated[str, Path(**_doc("study-groups", "group"))],
    graph: Service,
) -> dict[str, object]:
    answer = run(graph, "study-groups", {"period": period, "group": sg})
    if not answer.rows:
        raise HttpError(404, f"no study group {sg} in {period}")
    return study_group(answer.rows[0])


@router.get("/resolutions", summary="Resolutions and their versions", tags=["resolutions"])
def list_resolutions(
    graph: Service,
    request: Request,
    body: Annotated[str | None, Query(**_doc("resolutions", "body"))] = None,
    fmt: Format = None,
) -> Response:
    answer = run(graph, "resolutions", {"body": body})
    return respond(request, fmt, resolutions(answer.rows), answer)


@router.get(
    "/resolutions/{body}/{number}",
    summary="One resolution: title and versions",
    tags=["resolutions"],
)
def get_resolution(
    body: Body, number: Number, graph: Service, request: Request, fmt: Format = None
) -> Response:
    answer = run(graph, "resolutions", {"body": body, "number": number.replace("-", "/")})
    if not answer.rows:
        raise HttpError(404, f"no resolution {body} {number}")
    return respond(request, fmt, resolutions(answer.rows)[0], answer)


@router.get(
    "/resolutions/{body}/{number}/clauses",
    summary="Sections and clauses of the versions whose text the graph holds",
    tags=["resolutions"],
)
def get_resolution_clauses(
    body: Body, number: Number, graph: Service, request: Request, fmt: Format = None
) -> Response:
    values = {"body": body, "number": number.replace("-", "/")}
    answer = run(graph, "resolution-clauses", values)
    if not answer.rows and not run(graph, "resolutions", values).rows:
        raise HttpError(404, f"no resolution {body} {number}")
    canonical = answer.rows[0]["body"] if answer.rows else body
    payload = {"body": canonical, "number": values["number"]}
    return respond(request, fmt, {**payload, "versions": resolution_clauses(answer.rows)}, answer)


@router.get(
    "/documents/{id}/changes",
    summary="What a contribution proposes to change, clause by clause",
    tags=["documents"],
)
def get_document_changes(
    id: Annotated[str, Path(**_doc("document-changes", "document"))],
    graph: Service,
    request: Request,
    fmt: Format = None,
) -> Response:
    answer = run(graph, "document-changes", {"document": id})
    if not answer.rows:
        raise HttpError(404, f"no document {id} that proposes changes")
    return respond(request, fmt, document_changes(answer.rows), answer)
