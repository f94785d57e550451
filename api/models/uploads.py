"""The answer of a document upload."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from api.models.base import EXAMPLE_ID, RELEASE, ApiModel, examples


class LoadWarning(ApiModel):
    """Something the reader of a document noted: where and what."""

    place: str = Field(description="Where in the document (a line, a clause, the file).")
    message: str = Field(description="What was noted.")


class UploadReport(ApiModel):
    """``POST /documents``: the load report. A dry run has ``dry_run`` and ``parse``; a load
    has ``graph``, ``triples``, ``release`` and ``unchanged`` (a volume also ``graphs``); a
    volume has ``documents``. Fields that do not apply are left out."""

    model_config = examples(
        {
            "file": "res75.txt",
            "document": f"{EXAMPLE_ID}document/res75",
            "counts": {"sections": 13, "clauses": 61, "triples": 3085},
            "warnings": [
                {
                    "place": "line 12",
                    "message": "'New Delfi' normalised to 'New Delhi' [place_spelling]",
                }
            ],
            "graph": f"{EXAMPLE_ID}graph/document-res75",
            "triples": 3085,
            "release": RELEASE,
            "unchanged": False,
        }
    )

    file: str = Field(description="The file name, as uploaded.")
    document: str = Field(description="The document's IRI.")
    counts: dict[str, int] = Field(description="What was read: sections, clauses, triples ...")
    warnings: list[LoadWarning] = Field(description="What the reader noted, with places.")
    dry_run: bool | None = Field(default=None, description="A dry run: nothing was stored.")
    parse: dict[str, Any] | None = Field(
        None, description="A dry run: the document as read (as `wsiskg parse --json`)."
    )
    graph: str | None = Field(default=None, description="The named graph it was loaded into.")
    triples: int | None = Field(default=None, description="The triples loaded.")
    release: str | None = Field(default=None, description="The new release (null: unchanged).")
    unchanged: bool | None = Field(default=None, description="The same file was already loaded.")
    graphs: list[str] | None = Field(default=None, description="A volume: the graph of each part.")
    documents: list[str] | None = Field(default=None, description="A volume: each part's document.")
