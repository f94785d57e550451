"""The base of every answer and the parts answers share (a reference, an error)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ontology.ids import DEFAULT_BASE

Evidence = Literal["stated", "extracted", "inferred", "suggested"]
RELEASE = "20261205T132301695387Z-816e581c"
EXAMPLE_ID = DEFAULT_BASE  # the examples' IRIs: the default base


class ApiModel(BaseModel):
    """The base of every answer: no unnamed field; numbers given for a text become text."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


def examples(*examples: dict[str, Any]) -> ConfigDict:
    return ConfigDict(
        extra="forbid", coerce_numbers_to_str=True, json_schema_extra={"examples": list(examples)}
    )


class Ref(ApiModel):
    """A resource the answer points to: its IRI and its label."""

    iri: str = Field(description="The IRI of the resource.")
    label: str | None = Field(
        description="Its label (its IRI when it has none; search: null when it has none)."
    )


class ErrorAnswer(ApiModel):
    """Every answer other than 2xx and 304: what is wrong, in one line."""

    model_config = examples({"error": "no Action Line C8"})

    error: str = Field(description="What is wrong, in one line.")


class TooManyRowsAnswer(ErrorAnswer):
    """``/sparql``: an answer of more rows than the service gives (422): add a LIMIT."""

    model_config = examples(
        {"error": "the answer has more than 100000 rows", "max_result_rows": 100000}
    )

    max_result_rows: int = Field(description="The most rows an answer may have.")
