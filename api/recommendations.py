"""``GET /study-groups/{sg}/recommendations``: a study group's Recommendations in force on a
day (issue 17), from the named query ``recommendations-in-force`` (its rows, one per
Recommendation, as the items; CSV: the rows)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from api import models
from api.deps import Service
from api.http import CSV_RESPONSE, Format, HttpError
from api.routes import respond, run
from api.shaping.values import text
from graph.clock import today

router = APIRouter()


@router.get(
    "/study-groups/{sg}/recommendations",
    summary="A study group's Recommendations in force on a day, each with its edition",
    tags=["study groups"],
    response_model=models.RecommendationsInForce,
    responses=CSV_RESPONSE,
    response_model_exclude_unset=True,
)
def get_recommendations_in_force(
    sg: Annotated[str, Path(description="The study group, e.g. SG17.", examples=["SG17"])],
    graph: Service,
    request: Request,
    as_of: Annotated[
        str | None,
        Query(
            description="A day, YYYY-MM-DD: the group of that day's study period, and the "
            "edition of each Recommendation in force that day; without it, today.",
            examples=["2024-12-31"],
        ),
    ] = None,
    fmt: Format = None,
) -> object:
    # as_of is a "day" of the query: "any" is refused there (422), as a bad day is
    answer = run(graph, "recommendations-in-force", {"group": sg, "as_of": as_of})
    if not answer.rows and not run(graph, "study-groups", {"group": sg}).rows:
        raise HttpError(404, f"no study group {sg}")
    first = answer.rows[0] if answer.rows else {}
    payload = models.RecommendationsInForce(
        group=sg,
        as_of=as_of or today(),
        study_group=text(first.get("study_group")),
        period=text(first.get("period")),
        total=len(answer.rows),
        items=[
            models.RecommendationInForce(
                iri=str(r["recommendation"]),
                label=text(r.get("label")),
                edition=str(r["edition"]),
                docid=text(r.get("docid")),
                title=text(r.get("title")),
                in_force_from=str(r["in_force_from"]),
                in_force_until=text(r.get("in_force_until")),
                approved_by=str(r["approved_by"]),
            )
            for r in answer.rows
        ],
    )
    return respond(request, fmt, payload, answer)
