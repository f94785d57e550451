"""``GET /resolutions/{body}/{number}/changes``: two versions of a resolution compared clause
by clause (issue 17, "version to version").

Each side's clauses come from the named query ``version-clauses`` (its own text, or the
text before the change recorded by a proposal that changes it), the resolution's versions
from ``resolutions``; graph/version_diff.py aligns them and api/shaping/versions.py shapes
the answer, in the fields of a proposal's changes (``GET /documents/{id}/changes``). Unlike
the routes of api/routes.py the answer is not one named query's rows grouped: the
alignment is computed, so its CSV is one line per aligned clause.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from api import models, shaping
from api.deps import Service
from api.http import CSV_RESPONSE, Format, HttpError, to_csv, wants_csv
from api.routes import Body, Number, run
from graph import catalogue, version_diff
from graph.catalogue import ParamValues
from graph.values import Row

router = APIRouter()


def _version_query(which: str, example: str) -> Any:
    return Query(
        alias=which,
        min_length=1,
        max_length=300,
        description=f"The version compared {which}: its path below the resolution's IRI, "
        "e.g. 2022-geneva, or 2024-new-delhi/proposed-by/000_104f64d2c729d048 for a "
        "proposal's draft.",
        examples=[example],
    )


@router.get(
    "/resolutions/{body}/{number}/changes",
    summary="What changed from one version of a resolution to another, clause by clause",
    description="Aligns the clauses of two versions whose text the graph holds (two loaded "
    "texts, or a proposal and its base): moved, relabelled, added, deleted, modified (with "
    "the differences of words), unchanged, in the fields of a proposal's changes "
    "(`/documents/{id}/changes`). A version whose own text is not loaded is read from a "
    "proposal that changes it (the text before each change); the answer says which text "
    "each side was read from.",
    tags=["resolutions"],
    response_model=models.VersionChanges,
    responses=CSV_RESPONSE,
    response_model_exclude_unset=True,
)
def get_version_changes(
    body: Body,
    number: Number,
    graph: Service,
    request: Request,
    from_: Annotated[str, _version_query("from", "2022-geneva")],
    to: Annotated[str, _version_query("to", "2024-new-delhi/proposed-by/000_104f64d2c729d048")],
    fmt: Format = None,
) -> object:
    if from_ == to:
        raise HttpError(422, f"from and to name the same version ({from_}): name two versions")
    values = {"body": body, "number": number.replace("-", "/")}
    found = run(graph, "resolutions", values)
    if not found.rows:
        raise HttpError(404, f"no resolution {body} {number}")
    versions = _version_paths(found.rows)
    for which, path in (("from", from_), ("to", to)):
        if path not in versions:
            raise HttpError(
                404,
                f"no version {path} ({which}) of {body} {number}; its versions: "
                f"{', '.join(versions)}",
            )
    rows = {
        path: run(graph, "version-clauses", {"version": str(versions[path]["version"])}).rows
        for path in (from_, to)
    }
    sides = []
    for path, other in ((from_, to), (to, from_)):
        # a proposal and its base: the base read through that proposal
        drafted = [r for r in rows[other] if r.get("source") == "text" and "document" in r]
        prefer = str(drafted[0]["document"]) if drafted else None
        side = version_diff.read_side(str(versions[path]["version"]), rows[path], prefer)
        if side is None:
            with_text = _versions_with_text(graph, values, versions)
            raise HttpError(
                404,
                f"the graph holds no text of version {path} of {body} {number}, neither its "
                f"own nor a proposal's that changes it; versions with a text: "
                f"{', '.join(with_text) or 'none'}",
            )
        sides.append(side)
    old, new = sides
    payload = shaping.version_changes(
        str(found.rows[0]["body"]),
        values["number"],
        shaping.version_read(from_, versions[from_], old),
        shaping.version_read(to, versions[to], new),
        version_diff.compare(old, new),
    )
    if wants_csv(request, fmt):
        return to_csv(shaping.VERSION_CSV_COLUMNS, shaping.version_changes_rows(payload))
    return payload


def _version_paths(rows: Sequence[Row]) -> dict[str, Row]:
    """The versions of a resolution (rows of ``resolutions``) by their path below its IRI."""
    out: dict[str, Row] = {}
    for row in rows:
        if "version" in row:
            prefix = f"{row['iri']}/"
            iri = str(row["version"])
            out.setdefault(iri.removeprefix(prefix), row)
    return out


def _versions_with_text(
    graph: catalogue.Source, values: ParamValues, versions: dict[str, Row]
) -> list[str]:
    """The paths of the versions whose text the graph holds, own or through a proposal."""
    changed = {str(r.get("changes")) for r in run(graph, "proposals", values).rows}
    return [
        path
        for path, row in versions.items()
        if (shaping.integer(row.get("sections")) or 0) > 0 or str(row["version"]) in changed
    ]
