"""The answer of ``GET /study-groups/{sg}/recommendations``: a study group's Recommendations
in force on a day, each with its edition in force that day."""

from __future__ import annotations

from pydantic import Field

from api.models.base import EXAMPLE_ID, ApiModel, examples


class RecommendationInForce(ApiModel):
    """A Recommendation and its edition in force on the day asked."""

    iri: str = Field(description="The Recommendation (the work across its editions).")
    label: str | None = Field(description="Its label (ITU-T X.1205).")
    edition: str = Field(description="The edition in force that day (IRI).")
    docid: str | None = Field(description="The edition as ITU's index names it.")
    title: str | None = Field(description="The edition's title.")
    in_force_from: str = Field(description="The edition's date in ITU's index.")
    in_force_until: str | None = Field(
        description="The next edition's date, which superseded it (null: none known)."
    )
    approved_by: str = Field(
        description="The study group of the period that approved the edition (IRI), by the "
        "series rules (inferred, not stated)."
    )


class RecommendationsInForce(ApiModel):
    """``GET /study-groups/{sg}/recommendations``."""

    model_config = examples(
        {
            "group": "SG17",
            "as_of": "2024-12-31",
            "study_group": f"{EXAMPLE_ID}study-group/2025-2028/SG17",
            "period": "2025-2028",
            "total": 1,
            "items": [
                {
                    "iri": f"{EXAMPLE_ID}itu-t/rec/X.1205",
                    "label": "ITU-T X.1205",
                    "edition": f"{EXAMPLE_ID}itu-t/pub/X.1205_2008-04",
                    "docid": "ITU-T X.1205 (04/2008)",
                    "title": "Overview of cybersecurity",
                    "in_force_from": "2008-04-18",
                    "in_force_until": None,
                    "approved_by": f"{EXAMPLE_ID}study-group/2005-2008/SG17",
                }
            ],
        }
    )

    group: str = Field(description="The study group asked about (SG17).")
    as_of: str = Field(description="The day (YYYY-MM-DD).")
    study_group: str | None = Field(description="The group of that day's study period (IRI).")
    period: str | None = Field(description="That day's study period.")
    total: int = Field(description="How many Recommendations.")
    items: list[RecommendationInForce] = Field(description="The Recommendations, by label.")
