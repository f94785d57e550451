"""``POST /documents``: upload a resolution text (any format of ``loaders.formats``) into its
own named graph.

Off unless a write token is configured (api/auth.py): the route checks the token before it
reads the body. The upload goes through the same code as ``wsiskg load`` (graph/files.py), so
the document's graph is replaced in one transaction with its PROV-O record, a new release and
the entailments; a document that cannot be read is a 422 naming the file, the place and the
problem, and the store is left exactly as it was.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from api import models, shaping
from api.auth import require_writer
from api.deps import get_kg, get_settings
from api.http import HttpError
from graph.files import load_file
from graph.store import KnowledgeGraph, StoreError
from loaders.documents import DOCUMENT_SUFFIXES, document_key
from loaders.errors import LoadError
from loaders.formats import accepted, sniff_document

# A file name names the document: in any script, kept as given; its identifier (IRI, named
# graph) is derived from it (loaders.documents.document_key). No path, no control characters.
_MAX_NAME = 255
_CHUNK = 1024 * 1024


def _file_name(raw: str | None) -> str:
    name = Path((raw or "").replace("\\", "/")).name
    if not name:
        raise HttpError(422, "the upload has no file name (it names the document)")
    if len(name) > _MAX_NAME or name.startswith(".") or name in ("..",):
        raise HttpError(422, f"file name {name!r}: at most {_MAX_NAME} characters, not hidden")
    try:
        document_key(name)
    except LoadError as e:
        raise HttpError(422, f"file name {name!r}: {e.problem}") from e
    return name


def _check_format(name: str, path: Path) -> None:
    """A resolution text by its suffix, or by its content (a PDF, Word file or web page saved
    under another name or none): else 415, listing what the registry reads."""
    if Path(name).suffix.lower() in DOCUMENT_SUFFIXES or sniff_document(path) is not None:
        return
    raise HttpError(415, f"{name}: upload a resolution text ({accepted()})")


async def _save(upload: UploadFile, target: Path, limit: int) -> int:
    size = 0
    with target.open("wb") as out:
        while chunk := await upload.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise HttpError(413, f"{target.name}: larger than the limit of {limit} bytes")
            out.write(chunk)
    if size == 0:
        raise HttpError(422, f"{target.name}: the file is empty")
    return size


router = APIRouter(tags=["writes"])


@router.post(
    "/documents",
    summary="Load a resolution text (" + accepted() + ") into its own named graph",
    description="Needs `Authorization: Bearer <WSISKG_WRITE_TOKEN>`; refused (403) when "
    "no write token is configured. The file name names the document "
    "(`res75-rev.txt` → `/documents/res75-rev/changes`). A new version of the same file "
    "replaces its graph; the same bytes again change nothing. Returns the load report: "
    "counts, warnings (each with its place), the named graph and the new release.",
    dependencies=[Depends(require_writer)],
    status_code=201,
    response_model=models.UploadReport,
    response_model_exclude_unset=True,
    responses={
        200: {
            "description": "dry run, or the same file was already loaded",
            "model": models.UploadReport,
        },
        401: {"description": "no or wrong Bearer token"},
        403: {"description": "writes are not enabled"},
        413: {"description": "larger than WSISKG_MAX_UPLOAD_BYTES"},
        415: {"description": "not a resolution text: " + accepted()},
        422: {"description": "the document cannot be read: the file, place and problem"},
    },
)
async def upload_document(
    request: Request,
    response: Response,
    file: UploadFile,
    dry_run: Annotated[
        bool,
        Query(description="Parse and report, store nothing.", examples=[True]),
    ] = False,
    force: Annotated[bool, Query(description="Reload even if the same file was loaded.")] = False,
) -> JSONResponse | models.UploadReport:
    kg: KnowledgeGraph = get_kg(request)
    limit: int = get_settings(request).max_upload_bytes
    tmp = ""
    try:
        name = _file_name(file.filename)
        with tempfile.TemporaryDirectory(prefix="wsiskg-upload-") as tmp:
            path = Path(tmp) / name
            await _save(file, path, limit)
            _check_format(name, path)
            loaded = await run_in_threadpool(
                load_file,
                kg,
                path,
                force=force,
                dry_run=dry_run,
                limits=get_settings(request).read_limits(),
            )
    except HttpError as e:
        return JSONResponse({"error": e.message}, status_code=e.status)
    except LoadError as e:
        # the client knows its file by its name, not by our temporary directory
        message = str(e).replace(f"{tmp}/", "") if tmp else str(e)
        return JSONResponse({"error": message}, status_code=422)
    except StoreError as e:
        return JSONResponse({"error": str(e)}, status_code=503)
    created = loaded.record is not None and loaded.record.release is not None
    if created:
        response.headers["Location"] = f"/documents/{document_key(name)}/changes"
    response.status_code = 201 if created else 200
    return shaping.upload_report(name, loaded, kg.ids)
