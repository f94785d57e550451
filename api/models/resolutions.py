"""The answers about ITU-T study groups, resolutions, their clauses and proposed changes."""

from __future__ import annotations

from pydantic import Field

from api.models.base import EXAMPLE_ID, ApiModel, Ref, examples


class StudyGroup(ApiModel):
    """``GET /study-groups/{period}/{sg}`` (and each item of ``GET /study-groups``)."""

    model_config = examples(
        {
            "period": "2022-2024",
            "group": "SG17",
            "iri": f"{EXAMPLE_ID}study-group/2022-2024/SG17",
            "title": "Security",
            "label": "ITU-T SG17 (2022-2024): Security",
            "notes": "Lead study group on security: general-knowledge (not retrieved).",
            "predecessors": ["2017-2020/SG17"],
            "successors": ["2025-2028/SG17"],
        }
    )

    period: str = Field(description="The study period (e.g. 2022-2024).")
    group: str = Field(description="The study group (e.g. SG17).")
    iri: str = Field(description="Its IRI.")
    title: str | None = Field(description="Its title.")
    label: str | None = Field(description="Its label.")
    notes: str | None = Field(description="Notes on where the facts come from.")
    predecessors: list[str] = Field(description="The groups it continues (period/group).")
    successors: list[str] = Field(description="The groups that continue it (period/group).")


class ResolutionVersion(ApiModel):
    """A version of a resolution: an edition adopted at a conference, or a proposed draft."""

    iri: str = Field(description="Its IRI.")
    label: str | None = Field(description="Its label.")
    status: str | None = Field(description="adopted or proposed (null: not stated).")
    revision: str | None = Field(description="The revision as written (e.g. Rev. Dubai, 2012).")
    year: int | None = Field(description="Its year.")
    draft: bool = Field(description="Whether it is a draft proposed in a document.")
    sections: int = Field(description="How many sections of its text the graph holds.")
    state: str | None = Field(
        None,
        description="Its state on the day asked (as_of; today when not asked): in force, "
        "superseded, suppressed, not yet adopted, proposed, not yet proposed or unknown (see "
        "/resolutions/{body}/{number}/versions).",
    )


class Resolution(ApiModel):
    """``GET /resolutions/{body}/{number}`` (and each item of ``GET /resolutions``)."""

    model_config = examples(
        {
            "body": "WTSA",
            "number": "75",
            "iri": f"{EXAMPLE_ID}resolution/wtsa/75",
            "label": "WTSA Resolution 75",
            "title": "ITU Telecommunication Standardization Sector's contribution in "
            "implementing the outcomes of the World Summit on the Information Society, taking "
            "into account the 2030 Agenda for Sustainable Development",
            "versions": [
                {
                    "iri": f"{EXAMPLE_ID}resolution/wtsa/75/2022-geneva",
                    "label": "WTSA Resolution 75 (Rev. Geneva, 2022)",
                    "status": "adopted",
                    "revision": "Rev. Geneva, 2022",
                    "year": 2022,
                    "draft": False,
                    "sections": 0,
                }
            ],
        }
    )

    body: str = Field(description="The body that adopts it (WTSA, PP, WTDC, UNGA ...).")
    number: str = Field(description="Its number (e.g. 75, 70/125).")
    iri: str = Field(description="Its IRI.")
    label: str | None = Field(description="Its label.")
    title: str | None = Field(description="Its title.")
    versions: list[ResolutionVersion] = Field(description="Its versions.")


class Clause(ApiModel):
    """A clause of a resolution text."""

    iri: str = Field(description="Its IRI.")
    parent: str | None = Field(description="The section or clause it is in (IRI).")
    label: str | None = Field(description="Its label (section heading and clause label).")
    clause_label: str | None = Field(description="Its own label (e.g. a)).")
    status: str | None = Field(description="What a proposal does to it (added, deleted ...).")
    text: str | None = Field(description="Its text.")
    line: int | None = Field(description="The line of the document it was read from.")


class Section(ApiModel):
    """A section of a resolution text (a preambular heading, the operative part ...)."""

    iri: str = Field(description="Its IRI.")
    heading: str | None = Field(description="Its heading.")
    kind: str | None = Field(description="preambular section, operative section ...")
    order: int | None = Field(description="Its place in the text.")
    clauses: list[Clause] = Field(description="Its clauses, in the order of the text.")


class VersionText(ApiModel):
    """A version of a resolution whose text the graph holds: its sections."""

    iri: str = Field(description="The version's IRI.")
    label: str | None = Field(description="Its label.")
    sections: list[Section] = Field(description="Its sections.")


class ResolutionClauses(ApiModel):
    """``GET /resolutions/{body}/{number}/clauses``: the texts the graph holds, clause by
    clause."""

    model_config = examples(
        {
            "body": "WTSA",
            "number": "75",
            "versions": [
                {
                    "iri": f"{EXAMPLE_ID}resolution/wtsa/75/2024-new-delhi/proposed-by/"
                    "000_104f64d2c729d048",
                    "label": "WTSA Resolution 75 (Rev. New Delhi, 2024 (proposed) in "
                    "000_104f64d2c729d048.txt)",
                    "sections": [
                        {
                            "iri": f"{EXAMPLE_ID}resolution/wtsa/75/2024-new-delhi/proposed-by/"
                            "000_104f64d2c729d048/recognising",
                            "heading": "recognising",
                            "kind": "preambular section",
                            "order": 2,
                            "clauses": [
                                {
                                    "iri": f"{EXAMPLE_ID}resolution/wtsa/75/2024-new-delhi/"
                                    "proposed-by/000_104f64d2c729d048/recognising/b",
                                    "parent": f"{EXAMPLE_ID}resolution/wtsa/75/2024-new-delhi/"
                                    "proposed-by/000_104f64d2c729d048/recognising",
                                    "label": "recognising b)",
                                    "clause_label": "b)",
                                    "status": "moved",
                                    "text": "that, despite the previous decade's "
                                    "achievements in ICT connectivity, many forms of digital "
                                    "divide remain ...",
                                    "line": 40,
                                }
                            ],
                        }
                    ],
                }
            ],
        }
    )

    body: str = Field(description="The body, as the graph spells it.")
    number: str = Field(description="The resolution's number.")
    versions: list[VersionText] = Field(description="The versions whose text the graph holds.")


class ChangedClause(ApiModel):
    """A clause of a proposal: what it proposes for it."""

    iri: str = Field(description="The clause's IRI.")
    section: str | None = Field(description="The heading of its section.")
    label: str | None = Field(description="Its label (section heading and clause label).")
    clause_label: str | None = Field(description="Its own label in the proposal.")
    previous_label: str | None = Field(description="Its label in the text it changes.")
    previous_section: str | None = Field(description="Its section there, when it moved.")
    label_as_written: str | None = Field(description="Its label as the document writes it.")
    reading: str | None = Field(description="before, after, or both readings of the text.")
    status: str | None = Field(description="added, deleted, modified, moved, ...")
    text: str | None = Field(description="Its text.")
    text_before: str | None = Field(description="Its text before the change.")
    text_after: str | None = Field(description="Its text after the change.")
    status_cues: str | None = Field(description="What the status was read from (' | ').")
    line: int | None = Field(description="The line of the document.")


class DocumentChanges(ApiModel):
    """``GET /documents/{id}/changes``: what a contribution proposes, clause by clause."""

    model_config = examples(
        {
            "document": "000_104f64d2c729d048",
            "file": "000_104f64d2c729d048.txt",
            "draft": f"{EXAMPLE_ID}resolution/wtsa/75/2024-new-delhi/proposed-by/"
            "000_104f64d2c729d048",
            "counts": {"deleted": 1},
            "clauses": [
                {
                    "iri": f"{EXAMPLE_ID}resolution/wtsa/75/2024-new-delhi/proposed-by/"
                    "000_104f64d2c729d048/considering/before_a",
                    "section": "consideringrecalling",
                    "label": "consideringrecalling a)",
                    "clause_label": None,
                    "previous_label": "a)",
                    "previous_section": None,
                    "label_as_written": "a)",
                    "reading": "before",
                    "status": "deleted",
                    "text": "the relevant outcomes of both phases of the World Summit on the "
                    "Information Society (WSIS);",
                    "text_before": None,
                    "text_after": None,
                    "status_cues": None,
                    "line": 18,
                }
            ],
        }
    )

    document: str = Field(description="The document's id (its file name without extension).")
    file: str | None = Field(description="Its file name.")
    draft: str | None = Field(description="The version it proposes (IRI).")
    counts: dict[str, int] = Field(description="Status -> how many clauses have it.")
    clauses: list[ChangedClause] = Field(description="Its clauses, in the order of the text.")


class Meeting(ApiModel):
    """A meeting of an adopting body (WTSA-20), with its dates where the data has them."""

    iri: str = Field(description="Its IRI.")
    name: str | None = Field(description="Its short name (WTSA-20), where known.")
    start: str | None = Field(description="Its first day (YYYY-MM-DD), where known.")
    end: str | None = Field(description="Its last day (YYYY-MM-DD), where known.")


class SuppressionRecord(ApiModel):
    """Where a resolution's suppression is recorded: the row of the curated table that states
    it, and the source that row was read in, with its confidence."""

    model_config = examples(
        {
            "row": {
                "iri": f"{EXAMPLE_ID}dataset/resolution-versions/row/58",
                "label": "resolution-versions row 58",
            },
            "table": "resolution_versions.csv",
            "row_number": 58,
            "document_symbol": "Digital Watch report of ITU Council 2016",
            "locator": "the Council suppressed Resolution 1334 (ITU's role in the 10-year "
            "overall review of WSIS)",
            "addresses": [],
            "mirrors": ["https://dig.watch/event/itu-council-2016-session"],
            "date_read": "2026-12-05",
            "confidence": "medium",
            "notes": "Third-party report. The seed, a later text, still cites 1334 as last "
            "modified in 2015: it may recite an outdated reference; not resolved.",
        }
    )

    row: Ref = Field(description="The table row that records the suppression.")
    table: str | None = Field(description="The file of that table (in loaders/data/).")
    row_number: int | None = Field(
        description="The row's number in it (the header is row 0: the file line is one more)."
    )
    document_symbol: str | None = Field(description="The document the row was read in.")
    locator: str | None = Field(description="Where in that document.")
    addresses: list[str] = Field(description="Official web addresses of the document.")
    mirrors: list[str] = Field(
        description="Third-party copies or reports it was read in (a report's own address)."
    )
    date_read: str | None = Field(description="The day the curator read it (YYYY-MM-DD).")
    confidence: str | None = Field(description="How sure the record is: high, medium or low.")
    notes: str | None = Field(description="The curator's notes on the row, verbatim.")


class Suppression(ApiModel):
    """The suppression of a resolution that ended a version, and where it is recorded."""

    meeting: Meeting = Field(description="The meeting that suppressed the resolution.")
    day: str = Field(
        description="The meeting's last day (YYYY-MM-DD): the version is in force until then."
    )
    recorded_in: list[SuppressionRecord] = Field(
        description="The rows that record the suppression, each with its source and "
        "confidence: what the version's end rests on (e.g. a third-party report)."
    )


class TimelineVersion(ApiModel):
    """One version on a resolution's time line."""

    iri: str = Field(description="Its IRI.")
    label: str | None = Field(description="Its label.")
    revision: str | None = Field(description="The revision as written (Rev. Geneva, 2022).")
    year: int | None = Field(description="The year it is named after.")
    draft: bool = Field(description="Whether it is a draft proposed in a document.")
    stated: str = Field(
        description="What the sources say of it: adopted; proposed (only a proposal names "
        "it); cited (a text cites it, nothing says more: taken as adopted)."
    )
    meeting: Meeting | None = Field(description="The meeting it is named after.")
    in_force_from: str | None = Field(
        description="The first day it was in force: the last day of its meeting (null: "
        "proposed, or the meeting has no dates in the data)."
    )
    in_force_until: str | None = Field(
        description="The day it stopped being in force: the next adopted version's first "
        "day, or the resolution's suppression (null: in force as far as the data knows)."
    )
    ended_by: str | None = Field(description="The version that replaced it (IRI).")
    state: str = Field(
        description="On the day asked: in force, superseded, suppressed, not yet adopted, "
        "proposed (never in force), not yet proposed (a draft, before the version it amends "
        "was in force) or unknown (its meeting has no dates in the data)."
    )
    note: str | None = Field(description="What the data does not know about it.")
    suppression: Suppression | None = Field(
        None,
        description="For a version ended by the resolution's suppression: that meeting, its "
        "last day and where the suppression is recorded, with its confidence (null: not "
        "ended by a suppression).",
    )


class ResolutionTimeline(ApiModel):
    """``GET /resolutions/{body}/{number}/versions``: a resolution's versions in time, and
    which one was in force on the day asked."""

    model_config = examples(
        {
            "body": "WTSA",
            "number": "75",
            "iri": f"{EXAMPLE_ID}resolution/wtsa/75",
            "as_of": "2023-01-01",
            "in_force": [f"{EXAMPLE_ID}resolution/wtsa/75/2022-geneva"],
            "versions": [
                {
                    "iri": f"{EXAMPLE_ID}resolution/wtsa/75/2022-geneva",
                    "label": "WTSA Resolution 75 (Rev. Geneva, 2022)",
                    "revision": "Rev. Geneva, 2022",
                    "year": 2022,
                    "draft": False,
                    "stated": "adopted",
                    "meeting": {
                        "iri": f"{EXAMPLE_ID}meeting/wtsa/2022",
                        "name": "WTSA-20",
                        "start": "2022-03-01",
                        "end": "2022-03-09",
                    },
                    "in_force_from": "2022-03-09",
                    "in_force_until": None,
                    "ended_by": None,
                    "state": "in force",
                    "note": None,
                    "suppression": None,
                }
            ],
        }
    )

    body: str = Field(description="The body that adopts it.")
    number: str = Field(description="Its number.")
    iri: str = Field(description="Its IRI.")
    as_of: str = Field(description="The day the states are given for (YYYY-MM-DD).")
    in_force: list[str] = Field(
        description="The versions in force on that day (IRIs): one, or none (not yet "
        "adopted, suppressed, or no version with known dates)."
    )
    versions: list[TimelineVersion] = Field(description="Its versions, oldest first.")
