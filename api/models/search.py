"""The answer of the search route."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from api.models.base import EXAMPLE_ID, RELEASE, ApiModel, Ref, examples


class SearchHit(ApiModel):
    """A text that matches: where it is and the snippet that matches."""

    kind: Literal["clause", "section", "title"] = Field(
        description="clause (a clause's text), section (a heading) or title."
    )
    iri: str = Field(description="The IRI of what matched (a clause, a section, a resolution).")
    label: str | None = Field(description="Its label.")
    resolution: Ref | None = Field(description="The resolution it belongs to.")
    version: Ref | None = Field(description="The version it belongs to.")
    in_force_with: Ref | None = Field(
        default=None,
        description="Only when it is not `version`: the version whose time in force the text "
        "takes. A clause of a proposal's draft that the amended version already had is that "
        "version's text as the proposal shows it, found while that version is in force.",
    )
    document: Ref | None = Field(description="The document it was read from.")
    section: str | None = Field(description="The heading of its section.")
    clause: str | None = Field(description="The clause's own label.")
    snippet: str = Field(description="The matching text (or an excerpt of it).")
    snippet_html: str = Field(description="The snippet as HTML: escaped, matches in <mark>.")
    highlights: list[list[int]] = Field(
        description="The matches in the snippet: [start, end) in code points."
    )
    score: float = Field(description="How well it matches: higher is better.")
    graph: str = Field(description="The named graph the text is in.")


class SearchAnswer(ApiModel):
    """``GET /search``: the texts that match, best first, one page of them."""

    model_config = examples(
        {
            "query": "cybersecurity",
            "terms": ["cybersecurity"],
            "release": RELEASE,
            "as_of": "2026-12-05",
            "left_out": 0,
            "total": 1,
            "offset": 0,
            "limit": 20,
            "hits": [
                {
                    "kind": "title",
                    "iri": f"{EXAMPLE_ID}resolution/wtsa/50",
                    "label": "WTSA Resolution 50",
                    "resolution": {
                        "iri": f"{EXAMPLE_ID}resolution/wtsa/50",
                        "label": "WTSA Resolution 50",
                    },
                    "version": None,
                    "document": None,
                    "section": None,
                    "clause": None,
                    "snippet": "Cybersecurity",
                    "snippet_html": "<mark>Cybersecurity</mark>",
                    "highlights": [[0, 13]],
                    "score": 7.159131,
                    "graph": f"{EXAMPLE_ID}graph/wtsa-resolutions",
                }
            ],
        }
    )

    query: str = Field(description="The query as given.")
    terms: list[str] = Field(description="What is searched for, as the query wrote it.")
    release: str | None = Field(description="The release the index is at.")
    as_of: str = Field(
        description="The day the texts were in force on (YYYY-MM-DD; today when not asked), "
        "or any: every text, whatever its dates."
    )
    left_out: int = Field(
        description="How many texts that match the day left out (not in force on it: a "
        "superseded or later version's, a proposal's); as_of=any lists them."
    )
    total: int = Field(description="How many items there are in all (every page).")
    offset: int = Field(description="How many items were skipped before this page.")
    limit: int = Field(description="At most this many items are on the page.")
    hits: list[SearchHit] = Field(description="The hits of this page, best first.")
