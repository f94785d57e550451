"""The answers about SDGs, their targets and indicators, and the WSIS-SDG matrix."""

from __future__ import annotations

from pydantic import Field

from api.models.base import EXAMPLE_ID, ApiModel, Evidence, Ref, examples


class SdgSummary(ApiModel):
    """An item of ``GET /sdgs``: one goal, the row of the ``sdgs`` query as it is (a field
    the graph has no value for is left out)."""

    model_config = examples(
        {
            "goal": "1",
            "iri": "http://metadata.un.org/sdg/1",
            "title": "End poverty in all its forms everywhere",
            "short_title": "No poverty",
            "label": "SDG 1: No poverty",
            "targets": 7,
            "action_lines": 10,
        }
    )

    goal: str = Field(description="The goal's number, 1 to 17.")
    iri: str = Field(description="Its IRI.")
    title: str = Field(description="Its title.")
    short_title: str | None = Field(default=None, description="Its short title.")
    label: str | None = Field(default=None, description="Its label.")
    targets: int = Field(description="How many targets it has.")
    action_lines: int = Field(
        description="How many Action Lines contribute to it or to one of its targets."
    )


class Indicator(ApiModel):
    """An indicator of an SDG target."""

    id: str = Field(description="Its number (e.g. 16.1.1).")
    iri: str = Field(description="Its IRI.")
    title: str | None = Field(description="What it measures.")


class Target(ApiModel):
    """A target of an SDG, with its indicators."""

    id: str = Field(description="Its number (e.g. 16.1).")
    iri: str = Field(description="Its IRI.")
    title: str | None = Field(description="Its text.")
    indicators: list[Indicator] = Field(description="Its indicators.")


class SdgDetail(ApiModel):
    """``GET /sdgs/{goal}``: one goal with its targets and their indicators."""

    model_config = examples(
        {
            "goal": "16",
            "iri": "http://metadata.un.org/sdg/16",
            "title": "Promote peaceful and inclusive societies for sustainable development, "
            "provide access to justice for all and build effective, accountable and inclusive "
            "institutions at all levels",
            "short_title": "Peace, justice and strong institutions",
            "targets": [
                {
                    "id": "16.1",
                    "iri": "http://metadata.un.org/sdg/16.1",
                    "title": "Significantly reduce all forms of violence and related death "
                    "rates everywhere",
                    "indicators": [
                        {
                            "id": "16.1.1",
                            "iri": "http://metadata.un.org/sdg/C160101",
                            "title": "Number of victims of intentional homicide per 100,000 "
                            "population, by sex and age",
                        }
                    ],
                }
            ],
        }
    )

    goal: str = Field(description="The goal's number, 1 to 17.")
    iri: str = Field(description="Its IRI.")
    title: str | None = Field(description="Its title.")
    short_title: str | None = Field(description="Its short title.")
    targets: list[Target] = Field(description="Its targets.")


class SdgLinkSource(ApiModel):
    """One link between an Action Line and a goal or target: the row that states it."""

    sdg: str = Field(description="The goal or target linked (e.g. 16 or 16.10).")
    link: str = Field(description="The IRI of the link.")
    evidence: Evidence = Field(description="stated, extracted or inferred.")
    row: Ref | None = Field(description="The row of the WSIS-SDG Matrix that states it.")


class SdgActionLine(ApiModel):
    """An Action Line linked to a goal or to its targets, with the links."""

    action_line: str = Field(description="The Action Line's code.")
    title: str | None = Field(description="Its title.")
    sdgs: list[str] = Field(description="The goal and targets it is linked to, each once.")
    sources: list[SdgLinkSource] = Field(description="The links.")


class SdgActionLines(ApiModel):
    """``GET /sdgs/{goal}/action-lines``: the Action Lines linked to a goal or its targets."""

    model_config = examples(
        {
            "goal": "16",
            "action_lines": [
                {
                    "action_line": "C3",
                    "title": "Access to information and knowledge",
                    "sdgs": ["16"],
                    "sources": [
                        {
                            "sdg": "16",
                            "link": f"{EXAMPLE_ID}link/17934ad5a4e6ce132d47",
                            "evidence": "stated",
                            "row": {
                                "iri": f"{EXAMPLE_ID}dataset/wsis-sdg-matrix/row/31",
                                "label": "wsis-sdg-matrix row 31",
                            },
                        }
                    ],
                }
            ],
        }
    )

    goal: str = Field(description="The goal asked about.")
    action_lines: list[SdgActionLine] = Field(description="The Action Lines linked to it.")


class MatrixRow(ApiModel):
    """One Action Line of the matrix: its number of links per goal."""

    action_line: str = Field(description="The Action Line's code.")
    counts: dict[str, int] = Field(description="Goal number -> links (every goal of the matrix).")
    total: int = Field(description="Its links to every goal.")
    rolled_up_from: list[str] | None = Field(
        default=None,
        description="Only an Action Line with sub-lines (C7): its counts include theirs, each "
        "target once.",
    )


class Matrix(ApiModel):
    """``GET /matrix``: Action Line x SDG goal, the numbers of links."""

    model_config = examples(
        {
            "as_of": "2026-12-05",
            "evidence": ["stated", "extracted", "inferred"],
            "source": ["matrix", "resolutions", "curated"],
            "goals": ["1", "16", "17"],
            "rows": [
                {"action_line": "C1", "counts": {"1": 1, "16": 3, "17": 1}, "total": 5},
                {
                    "action_line": "C7",
                    "counts": {"1": 3, "16": 3, "17": 9},
                    "total": 15,
                    "rolled_up_from": ["C7.e-government", "C7.e-health"],
                },
            ],
        }
    )

    as_of: str = Field(
        description="The day the links counted were in force on (YYYY-MM-DD; today when not "
        "asked), or any: every link, whatever its dates."
    )
    evidence: list[str] = Field(description="The kinds of evidence counted.")
    source: list[str] = Field(description="The sources counted.")
    goals: list[str] = Field(description="The goals (columns), in number order.")
    rows: list[MatrixRow] = Field(description="One row per Action Line.")
    sdgs_from: str | None = Field(
        default=None,
        description="The day the SDGs came into existence (the day UN General Assembly "
        "resolution 70/1, which established them, came into force): no link to a goal counts "
        "before it.",
    )
    note: str | None = Field(
        default=None,
        description="Only for a day before sdgs_from: why every count is 0.",
    )
