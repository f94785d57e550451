"""The answer of ``GET /resolutions/{body}/{number}/changes``: two versions of a resolution
compared clause by clause, in the model of a proposal's changes (``GET /documents/{id}/
changes``: the same fields where they apply), with the differences of words."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from api.models.base import EXAMPLE_ID, ApiModel, examples

SEED_DRAFT = f"{EXAMPLE_ID}resolution/wtsa/75/2024-new-delhi/proposed-by/000_104f64d2c729d048"
SEED_GRAPH = f"{EXAMPLE_ID}graph/document-000_104f64d2c729d048"


class WordChange(ApiModel):
    """One operation of the difference of words between the two texts of a clause."""

    op: Literal["equal", "insert", "delete", "replace"] = Field(
        description="equal (the words of both), insert (words only in to), delete (words "
        "only in from) or replace (the words of from replaced by those of to)."
    )
    before: str | None = Field(description="The words of from (null: insert).")
    after: str | None = Field(description="The words of to (null: delete).")


class VersionRead(ApiModel):
    """One side of a comparison: the version and the text it was read from."""

    path: str = Field(description="The version's path below the resolution (from, to).")
    iri: str = Field(description="The version's IRI.")
    label: str | None = Field(description="Its label.")
    status: str | None = Field(description="adopted or proposed (null: not stated).")
    source: Literal["text", "proposal"] = Field(
        description="text: its own text (a loaded resolution text, or a proposal's draft "
        "after the change); proposal: the text before the change recorded by a proposal "
        "that changes it (its own text is not loaded)."
    )
    draft: str | None = Field(
        description="The proposal's draft version whose clauses were read (null: a text "
        "that is not a proposal's)."
    )
    flattened: bool = Field(
        description="Read from a proposal's text without tracked changes: the words before "
        "and after each change run together in it, so its words are those of both readings."
    )
    document: str | None = Field(description="The document the text was read from.")
    file: str | None = Field(description="That document's file name.")
    graph: str | None = Field(description="The named graph the text was read from.")
    other_documents: list[str] = Field(
        description="Other proposals that record the text before their change, not read."
    )


class VersionChange(ApiModel):
    """A clause of either version and what became of it."""

    iri: str = Field(description="The clause's IRI in to (in from, when deleted).")
    previous_iri: str | None = Field(description="Its IRI in from (null: added).")
    section: str | None = Field(description="The heading of its section (in from, if deleted).")
    label: str | None = Field(description="Its label (section heading and clause label).")
    clause_label: str | None = Field(description="Its own label in to, e.g. b) or b) i).")
    previous_label: str | None = Field(description="Its label in from, where it differs.")
    previous_section: str | None = Field(description="Its section in from, when it moved.")
    status: str = Field(
        description="moved, relabelled, modified, unchanged, added, deleted; likely deleted "
        "and undetermined as the proposal read says (flattened text)."
    )
    status_cues: str | None = Field(description="What a likely deletion was read from.")
    similarity: float | None = Field(
        description="How alike its words are in from and to, 0 to 1 (null: added, deleted, "
        "or both read from the same flattened proposal, whose words cannot be compared)."
    )
    text_before: str | None = Field(description="Its text in from.")
    text_after: str | None = Field(description="Its text in to.")
    words: list[WordChange] | None = Field(
        description="The differences of words from text_before to text_after (null where "
        "similarity is null)."
    )


class VersionChanges(ApiModel):
    """``GET /resolutions/{body}/{number}/changes``: what changed from one version of a
    resolution to another, clause by clause."""

    model_config = examples(
        {
            "body": "WTSA",
            "number": "75",
            "from_version": {
                "path": "2022-geneva",
                "iri": f"{EXAMPLE_ID}resolution/wtsa/75/2022-geneva",
                "label": "WTSA Resolution 75 (Rev. Geneva, 2022)",
                "status": "adopted",
                "source": "proposal",
                "draft": SEED_DRAFT,
                "flattened": True,
                "document": "000_104f64d2c729d048",
                "file": "000_104f64d2c729d048.txt",
                "graph": SEED_GRAPH,
                "other_documents": [],
            },
            "to_version": {
                "path": "2024-new-delhi/proposed-by/000_104f64d2c729d048",
                "iri": SEED_DRAFT,
                "label": "WTSA Resolution 75 (Rev. New Delhi, 2024 (proposed) in "
                "000_104f64d2c729d048.txt)",
                "status": "proposed",
                "source": "text",
                "draft": SEED_DRAFT,
                "flattened": True,
                "document": "000_104f64d2c729d048",
                "file": "000_104f64d2c729d048.txt",
                "graph": SEED_GRAPH,
                "other_documents": [],
            },
            "counts": {"moved": 1},
            "clauses": [
                {
                    "iri": f"{SEED_DRAFT}/recognising/a",
                    "previous_iri": f"{SEED_DRAFT}/recognising/a",
                    "section": "recognising",
                    "label": "recognising a)",
                    "clause_label": "a)",
                    "previous_label": "g)",
                    "previous_section": "consideringrecalling",
                    "status": "moved",
                    "status_cues": None,
                    "similarity": 0.889,
                    "text_before": "the role of ITU-T in building the information society;",
                    "text_after": "the role of ITU-T in building the digital society;",
                    "words": [
                        {
                            "op": "equal",
                            "before": "the role of ITU-T in building the",
                            "after": "the role of ITU-T in building the",
                        },
                        {"op": "replace", "before": "information", "after": "digital"},
                        {"op": "equal", "before": "society;", "after": "society;"},
                    ],
                }
            ],
        }
    )

    body: str = Field(description="The body, as the graph spells it.")
    number: str = Field(description="The resolution's number.")
    from_version: VersionRead = Field(description="The version compared from (from).")
    to_version: VersionRead = Field(description="The version compared to (to).")
    counts: dict[str, int] = Field(description="Status -> how many clauses have it.")
    clauses: list[VersionChange] = Field(
        description="The clauses of to in its order, each clause only in from where it stood."
    )
