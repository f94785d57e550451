"""The answers about WSIS Action Lines and the ITU work that supports them."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from api.models.base import EXAMPLE_ID, ApiModel, Evidence, Ref, examples


class ActionLine(ApiModel):
    """``GET /action-lines/{id}`` (and each item of ``GET /action-lines``): one Action Line."""

    model_config = examples(
        {
            "id": "C5",
            "iri": f"{EXAMPLE_ID}action-line/C5",
            "title": "Building confidence and security in the use of ICTs",
            "label": "C5 Building confidence and security in the use of ICTs",
            "parent": None,
            "sub_lines": [],
            "geneva_plan_paragraph": "12",
            "itu_role": "sole facilitator",
            "lead_facilitators": ["ITU"],
            "co_facilitators": [],
        }
    )

    id: str = Field(description="Its code: C1 to C11, or a C7 sub-line (C7.e-health).")
    iri: str = Field(description="Its IRI.")
    title: str | None = Field(description="Its title.")
    label: str | None = Field(description="Its code and title.")
    parent: str | None = Field(description="The Action Line of a C7 sub-line (else null).")
    sub_lines: list[str] = Field(description="The codes of its sub-lines (C7 only).")
    geneva_plan_paragraph: str | None = Field(
        description="The paragraph(s) of the Geneva Plan of Action that state it."
    )
    itu_role: str | None = Field(description="ITU's role in it (e.g. sole facilitator).")
    lead_facilitators: list[str] = Field(description="The agencies that lead it.")
    co_facilitators: list[str] = Field(description="The agencies that co-facilitate it.")


class WorkSource(ApiModel):
    """One link that makes a work support an Action Line: what it names, its evidence and
    where it is stated."""

    link: str = Field(description="The IRI of the link (a reified statement).")
    evidence: Evidence = Field(
        description="stated, extracted or inferred; suggested (a ranked guess from text "
        "similarity) only when asked for."
    )
    confidence: str | None = Field(description="How sure the source is (high, medium, low).")
    via: Ref | None = Field(
        description="What the source names: a version, a clause, an edition, the study group "
        "of a period."
    )
    relation: str | None = Field(description="The property the link states (IRI).")
    source_relation: str | None = Field(description="The relation as the source table names it.")
    document_symbol: str | None = Field(description="The document that states it.")
    locator: str | None = Field(description="Where in that document.")
    quotation: str | None = Field(description="The words of the document, when quoted.")
    addresses: list[str] = Field(description="Web addresses of the document.")
    mirrors: list[str] = Field(description="Other copies of the document on the web.")
    row: Ref | None = Field(description="The row of the table the link comes from.")
    clause: Ref | None = Field(description="The clause of a resolution text that states it.")
    document: Ref | None = Field(description="The document the clause was read from.")
    rule: Ref | None = Field(description="The rule that inferred it (inferred links).")
    in_force_from: str | None = Field(
        None,
        description="The first day what it names was in force (a version: the last day of "
        "the meeting that adopted it; a study group: its study period's first day; a "
        "Recommendation: its first edition), when known.",
    )
    in_force_until: str | None = Field(
        None,
        description="The day it stopped being in force (the next version or edition, the "
        "end of the study period), when known; null: in force, as far as the data knows.",
    )
    in_force_note: str | None = Field(
        None,
        description="What is not known of when it is in force (a meeting without dates, "
        "later meetings with nothing recorded for the resolution); proposed: never in force.",
    )
    score: float | None = Field(
        None, description="A suggestion's score, as its method gives it (suggested links)."
    )
    similarity: float | None = Field(
        None,
        description="A suggestion's semantic similarity: the cosine of the embeddings of its "
        "text and of the Action Line's texts (1 alike in meaning, 0 unrelated); the fused score "
        "is the same for every stored suggestion, this one tells them apart.",
    )
    method: str | None = Field(None, description="The method that suggested it (fusion).")
    method_version: str | None = Field(
        None, description="The method's version, with the libraries and model it ran on."
    )
    words: str | None = Field(
        None,
        description="The words (stems) of the text found in the Action Line's texts, rarest "
        "first: why it was suggested.",
    )


class CitedWorkSource(WorkSource):
    """A source as the dashboard shows it: with the citation as the source table gives it."""

    citation: str | None = Field(description="The citation, as the source table gives it.")


class WorkItem(ApiModel):
    """A work (a resolution, a Recommendation, a study group of its study period, an organ)
    that supports an Action Line, once, with every link that makes it."""

    iri: str = Field(description="The IRI of the work.")
    label: str = Field(description="Its label (its IRI when it has none).")
    type: str | None = Field(description="Its kind (e.g. ITU-T Recommendation, resolution).")
    sector: str | None = Field(description="The Sector or organ whose work it is.")
    scope: Literal["specific", "all"] = Field(
        description="specific: this Action Line; all: a statement about every Action Line."
    )
    evidence: Evidence = Field(description="The strongest evidence of its sources.")
    sources: list[WorkSource] = Field(
        description="The links that make it, strongest evidence first."
    )


class CitedWorkItem(WorkItem):
    """A work as the dashboard shows it: each source with its citation."""

    sources: list[CitedWorkSource] = Field(  # type: ignore[assignment]
        description="The links that make it, strongest evidence first, with citations."
    )


_SOURCE_EXAMPLE = {
    "link": f"{EXAMPLE_ID}link/27b7d2abccf17d8c5dd2",
    "evidence": "stated",
    "confidence": "high",
    "via": {
        "iri": f"{EXAMPLE_ID}agency/ITU",
        "label": "International Telecommunication Union (ITU)",
    },
    "relation": "https://w3id.org/wsis-kg/ontology#moderatorFacilitatorOf",
    "source_relation": "moderator_facilitator",
    "document_symbol": "ITU-T web page on WSIS",
    "locator": "page text, the same sentence as for C2",
    "quotation": None,
    "addresses": ["http://www.itu.int/en/ITU-T/wsis/Pages/default.aspx"],
    "mirrors": [],
    "row": {
        "iri": f"{EXAMPLE_ID}dataset/itu-action-line-links/row/2",
        "label": "itu-action-line-links row 2",
    },
    "clause": None,
    "document": None,
    "rule": None,
}
_ITEM_EXAMPLE = {
    "iri": f"{EXAMPLE_ID}agency/ITU",
    "label": "International Telecommunication Union (ITU)",
    "type": "Sector or organ",
    "sector": "ITU",
    "scope": "specific",
    "evidence": "stated",
    "sources": [_SOURCE_EXAMPLE],
}


class SupportingWork(ApiModel):
    """``GET /action-lines/{id}/supporting-work``: which work supports an Action Line, one
    page of it, with the statements about all Action Lines beside it (never counted)."""

    model_config = examples(
        {
            "action_line": "C5",
            "as_of": "2026-12-05",
            "evidence": ["stated", "extracted", "inferred"],
            "sector": None,
            "total": 324,
            "offset": 0,
            "limit": 1,
            "items": [_ITEM_EXAMPLE],
            "all_action_lines": [{**_ITEM_EXAMPLE, "scope": "all", "sources": []}],
        }
    )

    action_line: str = Field(description="The Action Line asked about.")
    as_of: str = Field(
        description="The day the work listed was in force on (YYYY-MM-DD; today when not "
        "asked), or any: every link, whatever its dates."
    )
    evidence: list[Evidence] = Field(
        description="The kinds of evidence among the answer's links, strongest first."
    )
    sector: list[str] | None = Field(description="The sectors asked for (null: all).")
    total: int = Field(description="How many items there are in all (every page).")
    offset: int = Field(description="How many items were skipped before this page.")
    limit: int = Field(description="At most this many items are on the page.")
    items: list[WorkItem] = Field(
        description="The works of this page. With evidence=suggested among others, a work "
        "that both has other links and is suggested is two items: its suggestions are an "
        "item of their own (evidence suggested), after the others."
    )
    note: str | None = Field(
        default=None,
        description="Only for a day before the Action Lines existed (the Geneva Plan of "
        "Action, adopted on 12 December 2003): why there is no work.",
    )
    all_action_lines: list[WorkItem] = Field(
        description="Works stated to support every Action Line: shown with each, not counted."
    )
