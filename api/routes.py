"""REST answers built from the named queries (``graph/queries/*.rq``).

Each route is thin: it checks its parameters, makes one catalogue call (a second one only to
tell an unknown id from an empty answer), and shapes the rows into JSON, or returns them as
CSV (``?format=csv`` or ``Accept: text/csv``). So every answer is what the same named query
gives through ``/sparql``, grouped. Routes are plain ``def``: store calls block.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from api.deps import Service
from api.http import Format, HttpError, to_csv, wants_csv
from graph import catalogue
from graph.catalogue import Answer, ParamValues, Row, Value
from graph.errors import ExecutorError, QueryTimeout

EVIDENCE_ORDER = ("stated", "extracted", "inferred")
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


def _split(value: Value | None, separator: str = "; ") -> list[str]:
    return [v for v in str(value).split(separator) if v] if value not in (None, "") else []


def _ref(row: Row, iri: str, label: str) -> dict[str, Value] | None:
    if iri not in row:
        return None
    return {"iri": row[iri], "label": row.get(label, row[iri])}


# ---------------------------------------------------------------- shaping rows into answers


def action_line(row: Row) -> dict[str, object]:
    return {
        "id": row["action_line"],
        "iri": row["iri"],
        "title": row.get("title"),
        "label": row.get("label"),
        "parent": row.get("parent"),
        "sub_lines": _split(row.get("sub_lines")),
        "geneva_plan_paragraph": row.get("geneva_plan_paragraph"),
        "itu_role": row.get("itu_role"),
        "lead_facilitators": _split(row.get("lead_facilitators")),
        "co_facilitators": _split(row.get("co_facilitators")),
    }


def supporting_work_items(rows: Iterable[Row]) -> list[dict[str, Any]]:
    """The rows of ``supporting-work`` grouped per work (a resolution, a Recommendation, a
    study group under its latest successor, an organ), each work once, strongest evidence
    first (stated, extracted, inferred), then by label. Its sources are the links that make
    it: each names what the source names (``via``: a version, a clause, an edition, the study
    group of a period), its evidence and where it is stated."""
    items: dict[Value, dict[str, Any]] = {}
    for row in rows:
        if "work" not in row:
            continue
        item = items.setdefault(
            row["work"],
            {
                "iri": row["work"],
                "label": row.get("work_label", row["work"]),
                "type": row.get("work_type") or None,
                "sector": row.get("sector"),
                "scope": row.get("scope", "specific"),
                "evidence": row["evidence"],
                "sources": [],
            },
        )
        if _rank(row["evidence"]) < _rank(item["evidence"]):
            item["evidence"] = row["evidence"]
        item["sources"].append(
            {
                "link": row["link"],
                "evidence": row["evidence"],
                "confidence": row.get("confidence"),
                "via": _ref(row, "via", "via_label"),
                "relation": row.get("relation"),
                "source_relation": row.get("source_relation"),
                "document_symbol": row.get("document_symbol"),
                "locator": row.get("locator"),
                "quotation": row.get("quotation"),
                "addresses": _split(row.get("addresses"), " "),
                "mirrors": _split(row.get("mirrors"), " "),
                "row": _ref(row, "source_row", "source_row_label"),
                "clause": _ref(row, "clause", "clause_label"),
                "document": _ref(row, "document", "document_label"),
                "rule": _ref(row, "rule", "rule_label"),
            }
        )
    ordered = sorted(
        items.values(), key=lambda i: (_rank(i["evidence"]), str(i["label"]).lower(), i["iri"])
    )
    for item in ordered:
        item["sources"].sort(key=lambda s: (_rank(s["evidence"]), str(s["link"])))
    return ordered


def _rank(evidence: Value) -> int:
    return EVIDENCE_ORDER.index(str(evidence)) if evidence in EVIDENCE_ORDER else 99


def sdg_detail(rows: list[Row]) -> dict[str, Any]:
    first = rows[0]
    targets: dict[Value, dict[str, Any]] = {}
    for row in rows:
        if "target" not in row:
            continue
        target = targets.setdefault(
            row["target"],
            {
                "id": row["target"],
                "iri": row["target_iri"],
                "title": row.get("target_title"),
                "indicators": [],
            },
        )
        if "indicator" in row:
            target["indicators"].append(
                {
                    "id": row["indicator"],
                    "iri": row["indicator_iri"],
                    "title": row.get("indicator_title"),
                }
            )
    return {
        "goal": first["goal"],
        "iri": first["iri"],
        "title": first.get("title"),
        "short_title": first.get("short_title"),
        "targets": list(targets.values()),
    }


def matrix(rows: Iterable[Row]) -> tuple[list[str], list[dict[str, Any]]]:
    goals: list[str] = []
    lines: dict[str, dict[str, Any]] = {}
    for row in rows:
        goal, line = str(row["goal"]), str(row["action_line"])
        if goal not in goals:
            goals.append(goal)
        entry = lines.setdefault(line, {"action_line": line, "counts": {}, "total": 0})
        count = int(row.get("links", 0))
        entry["counts"][goal] = entry["counts"].get(goal, 0) + count
        entry["total"] += count
    goals.sort(key=int)
    for entry in lines.values():
        entry["counts"] = {g: entry["counts"].get(g, 0) for g in goals}
    return goals, list(lines.values())


def _sub_lines(graph: catalogue.Source) -> dict[str, list[str]]:
    """Action Line -> its sub-lines (C7 -> C7.e-government ...), from the named query."""
    return {
        str(r["action_line"]): _split(r.get("sub_lines"))
        for r in run(graph, "action-lines", {}).rows
        if r.get("sub_lines")
    }


def study_group(row: Row) -> dict[str, object]:
    return {
        "period": row["period"],
        "group": row["group"],
        "iri": row["iri"],
        "title": row.get("title"),
        "label": row.get("label"),
        "notes": row.get("notes"),
        "predecessors": _split(row.get("predecessors"), " "),
        "successors": _split(row.get("successors"), " "),
    }


def resolutions(rows: Iterable[Row]) -> list[dict[str, Any]]:
    out: dict[Value, dict[str, Any]] = {}
    for row in rows:
        res = out.setdefault(
            row["iri"],
            {
                "body": row["body"],
                "number": row["number"],
                "iri": row["iri"],
                "label": row.get("label"),
                "title": row.get("title"),
                "versions": [],
            },
        )
        if "version" in row:
            res["versions"].append(
                {
                    "iri": row["version"],
                    "label": row.get("version_label"),
                    "status": row.get("status"),
                    "revision": row.get("revision"),
                    "year": row.get("year"),
                    "draft": row.get("draft", False),
                    "sections": row.get("sections", 0),
                }
            )
    return list(out.values())


def resolution_clauses(rows: Iterable[Row]) -> list[dict[str, Any]]:
    versions: dict[Value, dict[str, Any]] = {}
    sections: dict[Value, dict[str, Any]] = {}
    for row in rows:
        version = versions.setdefault(
            row["version"],
            {"iri": row["version"], "label": row.get("version_label"), "sections": []},
        )
        section = sections.get(row["section"])
        if section is None:
            section = sections[row["section"]] = {
                "iri": row["section"],
                "heading": row.get("section_heading"),
                "kind": row.get("section_kind"),
                "order": row.get("section_order"),
                "clauses": [],
            }
            version["sections"].append(section)
        if "clause" in row:
            section["clauses"].append(
                {
                    "iri": row["clause"],
                    "parent": row.get("parent"),
                    "label": row.get("label"),
                    "clause_label": row.get("clause_label"),
                    "status": row.get("status"),
                    "text": row.get("text"),
                    "line": row.get("line"),
                }
            )
    return list(versions.values())


CHANGE_FIELDS = (
    "section",
    "label",
    "clause_label",
    "previous_label",
    "previous_section",
    "label_as_written",
    "reading",
    "status",
    "text",
    "text_before",
    "text_after",
    "status_cues",
    "line",
)


def document_changes(rows: list[Row]) -> dict[str, Any]:
    first = rows[0]
    counts: dict[str, int] = {}
    clauses = []
    for row in rows:
        status = str(row.get("status", "undetermined"))
        counts[status] = counts.get(status, 0) + 1
        clauses.append({"iri": row["clause"], **{f: row.get(f) for f in CHANGE_FIELDS}})
    return {
        "document": first["document"],
        "file": first.get("file"),
        "draft": first.get("draft"),
        "counts": dict(sorted(counts.items())),
        "clauses": clauses,
    }


# ---------------------------------------------------------------- the routes


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
        "evidence": sorted({str(r["evidence"]) for r in answer.rows}, key=_rank),
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
                "row": _ref(row, "source_row", "source_row_label"),
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
