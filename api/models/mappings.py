"""The answer of ``GET /mappings``: the SSSOM mapping sets (graph/mappings.py) and their sizes."""

from __future__ import annotations

from pydantic import Field

from api.models.base import EXAMPLE_ID, RELEASE, ApiModel, examples


class MappingSetInfo(ApiModel):
    """One mapping set: what it holds, its SSSOM id, where its TSV is, how many mappings."""

    name: str = Field(description="The set's name, as in its address and `--set`.")
    title: str = Field(description="The set's title (mapping_set_title).")
    description: str = Field(description="What the set holds (mapping_set_description).")
    mapping_set_id: str = Field(description="The set's SSSOM mapping_set_id.")
    sssom: str = Field(description="Its SSSOM/TSV: `GET` this path (`?evidence=` for a subset).")
    mappings: int = Field(description="Its number of mappings (rows).")
    evidence: dict[str, int] = Field(
        description="Its number of mappings per evidence kind (stated, extracted, inferred)."
    )


class MappingSets(ApiModel):
    """``GET /mappings``: the mapping sets, each exported as SSSOM/TSV."""

    model_config = examples(
        {
            "release": RELEASE,
            "sets": [
                {
                    "name": "action-line-sdg",
                    "title": "WSIS Action Lines to SDG goals and targets",
                    "description": "The WSIS-SDG Matrix: each Action Line (or C7 sub-line) and "
                    "the SDG goals and targets it contributes to.",
                    "mapping_set_id": f"{EXAMPLE_ID}mapping-set/action-line-sdg",
                    "sssom": "/mappings/action-line-sdg.sssom.tsv",
                    "mappings": 203,
                    "evidence": {"stated": 203},
                }
            ],
        }
    )

    release: str | None = Field(
        description="The release the sets are of (their mapping_set_version; null: empty store)."
    )
    sets: list[MappingSetInfo] = Field(description="The mapping sets.")
