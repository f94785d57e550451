"""``GET /mappings`` and ``GET /mappings/{set}.sssom.tsv``: the mapping sets as SSSOM/TSV.

The sets and their rows are graph/mappings.py's (the named query ``mappings``), the TSV
graph/sssom_tsv.py's; ``wsiskg export --format sssom`` writes the same text. An unknown set
is a 404 with the service's JSON error. Routes are plain ``def``: store calls block.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response

from api import models
from api.deps import Service
from api.http import HttpError
from api.routes import Evidence
from graph import catalogue, mappings, sssom_tsv
from graph.errors import ExecutorError, QueryTimeout
from ontology.errors import WsisKgError

router = APIRouter(tags=["mappings"])


class SssomResponse(Response):
    """An SSSOM/TSV text."""

    media_type = sssom_tsv.MEDIA_TYPE


SetName = Annotated[
    str,
    Path(
        description=f"The mapping set: {', '.join(mappings.SETS)} (GET /mappings).",
        examples=["action-line-sdg"],
        max_length=200,
    ),
]


def _refusal(error: WsisKgError) -> HttpError:
    """The answer for an error of a query: a deadline or a worker that failed is a 503."""
    if isinstance(error, QueryTimeout):
        return HttpError(503, str(error), {"Retry-After": "1"})
    if isinstance(error, ExecutorError):
        return HttpError(503, f"the query could not be answered: {error}")
    if isinstance(error, catalogue.ParameterError | mappings.UnknownSetError):
        return HttpError(error.http_status or 422, str(error))
    raise error


@router.get(
    "/mappings",
    summary="The mapping sets, each exported as SSSOM/TSV",
    description="Each set of mappings the graph holds (Action Line → SDG, ITU work → Action "
    "Line, clause → Action Line or SDG), its SSSOM mapping_set_id, the address of its TSV and "
    "its numbers of mappings per evidence kind (docs/mappings.md).",
    response_model=models.MappingSets,
)
def list_mapping_sets(graph: Service) -> models.MappingSets:
    try:
        counted = mappings.counts(graph)
    except WsisKgError as e:
        raise _refusal(e) from e
    ids = graph.kg.ids
    return models.MappingSets(
        release=graph.current_release(),
        sets=[
            models.MappingSetInfo(
                name=s.name,
                title=s.title,
                description=s.description,
                mapping_set_id=ids.mapping_set(s.name).value,
                sssom=f"/mappings/{s.name}.sssom.tsv",
                mappings=sum(counted[s.name].values()),
                evidence=dict(sorted(counted[s.name].items())),
            )
            for s in mappings.SETS.values()
        ],
    )


@router.get(
    "/mappings/{set}.sssom.tsv",
    summary="One mapping set as SSSOM/TSV",
    description="The set's metadata (curie_map, mapping_set_id, mapping_set_version = the "
    "current release, license ...) and one row per qualified link: subject, predicate, "
    "object with labels, the SEMAPV justification of its evidence kind, confidence, its "
    "source (mapping_provider, see_also) and the `evidence` column; `evidence=` keeps only "
    "those kinds (a subset with its own mapping_set_id).",
    response_class=SssomResponse,
    responses={
        200: {
            "content": {sssom_tsv.MEDIA_TYPE: {"schema": {"type": "string"}}},
            "description": "The mapping set as SSSOM/TSV",
        },
        404: {
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            "description": 'No mapping set of that name: {"error": "no mapping set ..."}',
        },
    },
)
def get_mapping_set(set: SetName, graph: Service, evidence: Evidence = None) -> Response:
    kinds = catalogue.split_values(evidence)
    try:
        text = sssom_tsv.export(graph, set, kinds)
    except WsisKgError as e:
        raise _refusal(e) from e
    return SssomResponse(text)
