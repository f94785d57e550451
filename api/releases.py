"""``GET /releases`` and ``POST /releases/{release}/rollback``: the undo of a write.

The embedded store keeps its latest releases as checkpoints (graph/history.py); a holder of
the write token rolls the store back to one of them (graph/rollback.py): one transaction,
recorded in the provenance as a new release. A SPARQL server as the store keeps none: 501
with the reason. Routes are plain ``def``: the store calls block.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from api import models
from api.auth import require_writer
from api.deps import KG
from api.http import HttpError
from graph.history import KeptRelease, NoHistoryError, UnknownReleaseError
from graph.rollback import history_of, rollback

router = APIRouter(tags=["releases"])

ReleaseId = Annotated[
    str,
    Path(
        description="A kept release's id (GET /releases).",
        examples=[models.RELEASE],
        max_length=200,
    ),
]


def _kept(release: KeptRelease) -> models.KeptRelease:
    return models.KeptRelease(
        release=release.release,
        created=release.created,
        kind=release.kind,
        made_by=release.made_by,
        activities=release.activities,
        quads=release.quads or 0,
    )


@router.get(
    "/releases",
    summary="The releases kept as checkpoints, newest first",
    description="Each kept release with what made it and its size; any of them can be "
    "rolled back to (`POST /releases/{release}/rollback`). An embedded store keeps the latest "
    "`WSISKG_KEEP_RELEASES`; a SPARQL server as the store keeps none (501).",
    response_model=models.Releases,
    responses={501: {"description": "the store keeps no checkpoints (a SPARQL server)"}},
)
def list_releases(kg: KG) -> models.Releases:
    try:
        history = history_of(kg)
    except NoHistoryError as e:
        raise HttpError(501, str(e)) from e
    return models.Releases(
        current=kg.current_release(),
        keep=history.keep,
        releases=[_kept(r) for r in history.list()],
    )


@router.post(
    "/releases/{release}/rollback",
    summary="Roll the data back to a kept release",
    description="Needs `Authorization: Bearer <WSISKG_WRITE_TOKEN>`; refused (403) when no "
    "write token is configured. Puts every data graph back as it was at the release (the "
    "provenance keeps everything), in one transaction recorded as a new release.",
    dependencies=[Depends(require_writer)],
    response_model=models.RolledBack,
    responses={
        401: {"description": "no or wrong Bearer token"},
        403: {"description": "writes are not enabled"},
        404: {"description": "no checkpoint of this release is kept"},
        501: {"description": "the store keeps no checkpoints (a SPARQL server)"},
    },
)
def rollback_release(release: ReleaseId, kg: KG) -> models.RolledBack:
    try:
        done = rollback(kg, release)
    except NoHistoryError as e:
        raise HttpError(501, str(e)) from e
    except UnknownReleaseError as e:
        raise HttpError(404, str(e)) from e
    return models.RolledBack(
        release=done.release,
        rolled_back_to=done.target,
        graphs=done.graphs,
        quads=done.quads,
        seconds=round(done.seconds, 3),
    )
