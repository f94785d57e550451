"""REST answers built from the named queries (``graph/queries/*.rq``).

Each route is thin: it checks its parameters, makes one catalogue call (a second one only to
tell an unknown id from an empty answer), and shapes the rows into its answer's model
(api/shaping, the dashboard's shaping too), or returns them as CSV (``?format=csv`` or
``Accept: text/csv``). Each route declares its model (``response_model=``): FastAPI checks the
answer against it and the OpenAPI document shows it, with an example. So every answer is
what the same named query gives through ``/sparql``, grouped. Routes are plain ``def``: store
calls block.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from api import models, shaping
from api.deps import Service
from api.http import CSV_RESPONSE, Format, HttpError, to_csv, wants_csv
from graph import catalogue
from graph.catalogue import Answer, ParamValues
from graph.clock import today
from graph.errors import ExecutorError, QueryTimeout
from graph.values import Row

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
        "parameter or separate values with commas. Without it, all. Where an answer has "
        "suggestions (supporting work, a matrix cell, the mapping sets), suggested (a ranked "
        "guess from text similarity, with its score, method and words) only when asked for.",
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
AsOf = Annotated[
    str | None,
    Query(
        description="Only what was in force on this day (YYYY-MM-DD): resolution versions "
        "from the meeting that adopted them until the next version, study groups in their "
        "study period, Recommendations from their first edition; proposed versions never. "
        "Without it, today; any: everything, whatever its dates.",
        examples=["2023-01-01"],
    ),
]
AsOfMatrix = Annotated[
    str | None,
    Query(
        description="Only the links in force on this day (YYYY-MM-DD): a link read in a "
        "resolution's clause with the version of the clause (from the meeting that adopted it "
        "until the next version; a proposed version never); a link from a table (the WSIS-SDG "
        "Matrix) has no dates and counts on every day. Without it, today; any: every link, "
        "whatever its dates.",
        examples=["2023-01-01"],
    ),
]
AsOfVersions = Annotated[
    str | None,
    Query(
        description="Only the versions in force on this day (YYYY-MM-DD), each with its "
        "state; without it (or any), every version, each with its state today.",
        examples=["2023-01-01"],
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


Shaped = BaseModel | Sequence[BaseModel]  # an answer of api/shaping: a model or a list


def respond(
    request: Request,
    fmt: str | None,
    payload: Shaped,
    answer: Answer,
    rows: list[Row] | None = None,
) -> Response | Shaped:
    """CSV of the query's rows when asked for (``?format=csv`` or ``Accept: text/csv``), else
    the model: FastAPI checks it against the route's ``response_model`` and sends its fields
    (those left out stay out: ``response_model_exclude_unset``)."""
    if wants_csv(request, fmt):
        return to_csv(answer.columns, answer.rows if rows is None else rows)
    return payload


router = APIRouter()


@router.get(
    "/action-lines",
    summary="The Action Lines C1-C11 and the C7 sub-lines",
    tags=["action lines"],
    response_model=models.ActionLines,
    responses=CSV_RESPONSE,
    response_model_exclude_unset=True,
)
def list_action_lines(graph: Service, request: Request, fmt: Format = None) -> object:
    answer = run(graph, "action-lines", {})
    return respond(request, fmt, shaping.action_lines(answer.rows), answer)


@router.get(
    "/action-lines/{id}",
    summary="One Action Line",
    tags=["action lines"],
    response_model=models.ActionLine,
    response_model_exclude_unset=True,
)
def get_action_line(id: ActionLineId, graph: Service) -> models.ActionLine:
    answer = run(graph, "action-lines", {"action_line": id})
    if not answer.rows:
        raise HttpError(404, f"no Action Line {id}")
    return shaping.action_line(answer.rows[0])


@router.get(
    "/action-lines/{id}/supporting-work",
    summary="Which work supports an Action Line (each with its Sector or organ; sector=ITU-T "
    "for ITU-T's), with evidence and sources",
    tags=["action lines"],
    response_model=models.SupportingWork,
    responses=CSV_RESPONSE,
    response_model_exclude_unset=True,
)
def supporting_work(
    id: ActionLineId,
    graph: Service,
    request: Request,
    evidence: Evidence = None,
    sector: Sector = None,
    as_of: AsOf = None,
    limit: Annotated[
        int,
        Query(ge=1, le=MAX_LIMIT, description="At most this many items.", examples=[20]),
    ] = DEFAULT_LIMIT,
    offset: Annotated[
        int, Query(ge=0, description="Skip this many items first.", examples=[0])
    ] = 0,
    fmt: Format = None,
) -> object:
    kinds = catalogue.split_values(evidence)
    sectors = catalogue.split_values(sector)
    answer = run(
        graph,
        "supporting-work",
        {"action_line": id, "evidence": kinds, "sector": sectors, "as_of": as_of},
    )
    line = run(graph, "action-lines", {"action_line": id}).rows
    if not line:
        raise HttpError(404, f"no Action Line {id}")
    cited = run(graph, "supporting-work-citations", {"action_line": id, "evidence": kinds})
    every = run(
        graph,
        "statements-all-action-lines",
        {"evidence": kinds, "sector": sectors, "as_of": as_of},
    )
    joined = catalogue.join_by_link(answer.rows, cited.rows)
    # statements about all Action Lines: shown with each line, never counted
    payload = shaping.supporting_work(
        id,
        joined,
        every.rows,
        sectors=sectors,
        offset=offset,
        limit=limit,
        as_of=as_of and catalogue.get("supporting-work").param("as_of").check(as_of),
        lines_from=str(line[0]["lines_from"]) if line[0].get("lines_from") else None,
    )
    if wants_csv(request, fmt):
        # the rows of the page, each with its citation and the day it is given for
        links = {s.link for item in payload.items for s in item.sources}
        page = [r for r in joined if r.get("link") in links]
        return to_csv(
            *shaping.supporting_work_table(answer.columns, cited.columns, page, payload.as_of)
        )
    return payload


@router.get(
    "/sdgs",
    summary="The 17 Sustainable Development Goals",
    tags=["SDGs"],
    response_model=models.Sdgs,
    responses=CSV_RESPONSE,
    response_model_exclude_unset=True,
)
def list_sdgs(graph: Service, request: Request, fmt: Format = None) -> object:
    answer = run(graph, "sdgs", {})
    return respond(request, fmt, shaping.sdg_summaries(answer.rows), answer)


@router.get(
    "/sdgs/{goal}",
    summary="One goal with its targets and indicators",
    tags=["SDGs"],
    response_model=models.SdgDetail,
    responses=CSV_RESPONSE,
    response_model_exclude_unset=True,
)
def get_sdg(goal: Goal, graph: Service, request: Request, fmt: Format = None) -> object:
    answer = run(graph, "sdg", {"goal": goal})
    if not answer.rows:
        raise HttpError(404, f"no SDG {goal}")
    return respond(request, fmt, shaping.sdg_detail(answer.rows), answer)


@router.get(
    "/sdgs/{goal}/action-lines",
    summary="The Action Lines linked to a goal or to its targets",
    tags=["SDGs"],
    response_model=models.SdgActionLines,
    responses=CSV_RESPONSE,
    response_model_exclude_unset=True,
)
def sdg_action_lines(
    goal: Goal, graph: Service, request: Request, evidence: Evidence = None, fmt: Format = None
) -> object:
    kinds = catalogue.split_values(evidence)
    answer = run(graph, "sdg-action-lines", {"goal": goal, "evidence": kinds})
    if not answer.rows and not run(graph, "sdgs", {"goal": goal}).rows:
        raise HttpError(404, f"no SDG {goal}")
    return respond(request, fmt, shaping.sdg_action_lines(goal, answer.rows), answer)


@router.get(
    "/matrix",
    summary="Action Line x SDG goal: numbers of WSIS-SDG Matrix links",
    tags=["SDGs"],
    response_model=models.Matrix,
    responses=CSV_RESPONSE,
    response_model_exclude_unset=True,
)
def get_matrix(
    graph: Service,
    request: Request,
    evidence: Evidence = None,
    source: Source = None,
    as_of: AsOfMatrix = None,
    fmt: Format = None,
) -> object:
    kinds = catalogue.split_values(evidence)
    sources = catalogue.split_values(source)
    answer = run(graph, "matrix", {"evidence": kinds, "source": sources, "as_of": as_of})
    payload = shaping.matrix(
        answer.rows,
        evidence=kinds or list(shaping.EVIDENCE_ORDER),
        sources=sources or list(catalogue.get("matrix").param("source").choices),
        sub_lines=shaping.sub_lines(run(graph, "action-lines", {}).rows),
        as_of=as_of and catalogue.get("matrix").param("as_of").check(as_of),
    )
    if wants_csv(request, fmt):
        # each row says the day its counts are for (a file kept for later keeps its day)
        flat: list[Row] = [
            {"action_line": r.action_line, **r.counts, "as_of": payload.as_of} for r in payload.rows
        ]
        return to_csv(["action_line", *payload.goals, "as_of"], flat)
    return payload


@router.get(
    "/study-groups",
    summary="ITU-T study groups per study period",
    tags=["ITU-T"],
    response_model=models.StudyGroups,
    responses=CSV_RESPONSE,
    response_model_exclude_unset=True,
)
def list_study_groups(
    graph: Service,
    request: Request,
    period: Annotated[str | None, Query(**_doc("study-groups", "period"))] = None,
    fmt: Format = None,
) -> object:
    answer = run(graph, "study-groups", {"period": period})
    return respond(request, fmt, shaping.study_groups(answer.rows), answer)


@router.get(
    "/study-groups/{period}/{sg}",
    summary="One study group, with predecessors and successors",
    tags=["ITU-T"],
    response_model=models.StudyGroup,
    response_model_exclude_unset=True,
)
def get_study_group(
    period: Annotated[str, Path(**_doc("study-groups", "period"))],
    sg: Annotated[str, Path(**_doc("study-groups", "group"))],
    graph: Service,
) -> models.StudyGroup:
    answer = run(graph, "study-groups", {"period": period, "group": sg})
    if not answer.rows:
        raise HttpError(404, f"no study group {sg} in {period}")
    return shaping.study_group(answer.rows[0])


@router.get(
    "/resolutions",
    summary="Resolutions and their versions",
    tags=["resolutions"],
    response_model=models.Resolutions,
    responses=CSV_RESPONSE,
    response_model_exclude_unset=True,
)
def list_resolutions(
    graph: Service,
    request: Request,
    body: Annotated[str | None, Query(**_doc("resolutions", "body"))] = None,
    as_of: AsOfVersions = None,
    fmt: Format = None,
) -> object:
    answer = run(graph, "resolutions", {"body": body})
    states = _states(graph, {"body": body}, as_of)
    payload = shaping.resolutions(answer.rows, states, in_force_only=_given(as_of))
    return respond(request, fmt, payload, answer, _kept(answer, payload))


def _given(as_of: str | None) -> bool:
    """A day was asked for (not left out, not "any")."""
    return as_of is not None and as_of.strip() != "" and as_of.lower() != "any"


def _states(graph: Service, values: ParamValues, as_of: str | None) -> dict[str, str]:
    """Each version's state on the day asked (today when not asked; "any": today)."""
    day = as_of if _given(as_of) else None
    answer = run(graph, "resolution-versions", {**values, "as_of": day})
    return {str(r["version"]): str(r["state"]) for r in answer.rows}


def _kept(answer: Answer, payload: Shaped) -> list[Row]:
    """The rows of the versions the answer kept (CSV gives the same versions as JSON)."""
    items = payload if isinstance(payload, Sequence) else [payload]
    kept = {v.iri for item in items for v in getattr(item, "versions", [])}
    iris = {getattr(item, "iri", None) for item in items}
    return [
        r
        for r in answer.rows
        if r.get("version") in kept or ("version" not in r and r.get("iri") in iris)
    ]


@router.get(
    "/resolutions/{body}/{number}",
    summary="One resolution: title and versions",
    tags=["resolutions"],
    response_model=models.Resolution,
    responses=CSV_RESPONSE,
    response_model_exclude_unset=True,
)
def get_resolution(
    body: Body,
    number: Number,
    graph: Service,
    request: Request,
    as_of: AsOfVersions = None,
    fmt: Format = None,
) -> object:
    values = {"body": body, "number": number.replace("-", "/")}
    answer = run(graph, "resolutions", values)
    if not answer.rows:
        raise HttpError(404, f"no resolution {body} {number}")
    states = _states(graph, values, as_of)
    payload = shaping.resolutions(answer.rows, states)[0]
    if _given(as_of):
        payload.versions = [v for v in payload.versions if v.state == "in force"]
    return respond(request, fmt, payload, answer, _kept(answer, payload))


@router.get(
    "/resolutions/{body}/{number}/versions",
    summary="A resolution's versions in time: meetings, dates, in force when",
    tags=["resolutions"],
    response_model=models.ResolutionTimeline,
    responses=CSV_RESPONSE,
    response_model_exclude_unset=True,
)
def get_resolution_versions(
    body: Body,
    number: Number,
    graph: Service,
    request: Request,
    as_of: Annotated[
        str | None,
        Query(
            description="A day, YYYY-MM-DD: the day the states are given for; without it, today.",
            examples=["2023-01-01"],
        ),
    ] = None,
    fmt: Format = None,
) -> object:
    # as_of is a "day" of the query: "any" is refused there (422), as a bad day is
    values = {"body": body, "number": number.replace("-", "/"), "as_of": as_of}
    answer = run(graph, "resolution-versions", values)
    if not answer.rows:
        if not run(graph, "resolutions", {"body": body, "number": values["number"]}).rows:
            raise HttpError(404, f"no resolution {body} {number}")
        raise HttpError(404, f"resolution {body} {number} has no versions in the data")
    payload = shaping.timeline(answer.rows, as_of or today())
    return respond(request, fmt, payload, answer)


@router.get(
    "/resolutions/{body}/{number}/clauses",
    summary="Sections and clauses of the versions whose text the graph holds",
    tags=["resolutions"],
    response_model=models.ResolutionClauses,
    responses=CSV_RESPONSE,
    response_model_exclude_unset=True,
)
def get_resolution_clauses(
    body: Body, number: Number, graph: Service, request: Request, fmt: Format = None
) -> object:
    values = {"body": body, "number": number.replace("-", "/")}
    answer = run(graph, "resolution-clauses", values)
    if not answer.rows and not run(graph, "resolutions", values).rows:
        raise HttpError(404, f"no resolution {body} {number}")
    payload = shaping.resolution_clauses(body, values["number"], answer.rows)
    return respond(request, fmt, payload, answer)


@router.get(
    "/documents/{id}/changes",
    summary="What a contribution proposes to change, clause by clause",
    tags=["documents"],
    response_model=models.DocumentChanges,
    responses=CSV_RESPONSE,
    response_model_exclude_unset=True,
)
def get_document_changes(
    id: Annotated[str, Path(**_doc("document-changes", "document"))],
    graph: Service,
    request: Request,
    fmt: Format = None,
) -> object:
    answer = run(graph, "document-changes", {"document": id})
    if not answer.rows:
        raise HttpError(404, f"no document {id} that proposes changes")
    return respond(request, fmt, shaping.document_changes(answer.rows), answer)
