"""The answers about the service itself: health, graphs, updates, the named queries."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from api.models.base import EXAMPLE_ID, RELEASE, ApiModel, examples


class Health(ApiModel):
    """``GET /health``: the service answers, and from which release."""

    model_config = examples({"status": "ok", "release": RELEASE, "quads": 444573, "pid": 30871})

    status: Literal["ok"] = Field(description="Always ok: the service answers.")
    release: str | None = Field(
        description="The id of the latest committed release (null: an empty store)."
    )
    quads: int = Field(description="The number of quads in the store.")
    pid: int = Field(description="The process that answered (several may serve one store).")


class Graphs(ApiModel):
    """``GET /graphs``: the named graphs of the current release and their sizes."""

    model_config = examples(
        {
            "release": RELEASE,
            "graphs": {
                f"{EXAMPLE_ID}graph/action-lines": 1174,
                f"{EXAMPLE_ID}graph/sdg-targets": 2538,
            },
        }
    )

    release: str | None = Field(description="The release the sizes are of.")
    graphs: dict[str, int] = Field(description="Each named graph (IRI) and its triples.")


class UpdateDone(ApiModel):
    """``POST /sparql`` with an update: the release the update made."""

    model_config = examples({"release": RELEASE})

    release: str | None = Field(description="The new release (null: nothing committed).")


class QueryParameter(ApiModel):
    """A parameter of a named query (and of the REST route built on it)."""

    name: str = Field(description="Its name, also the name of the query's variable.")
    type: str = Field(
        description="string, integer, iri, enum (one of its choices), day (a day, YYYY-MM-DD) "
        "or date (a day, YYYY-MM-DD, or any: whatever the dates)."
    )
    required: bool = Field(description="Whether the query needs it.")
    repeatable: bool = Field(description="Whether it takes several values.")
    example: str = Field(description="A value it takes.")
    description: str = Field(description="What it selects.")
    choices: list[str] = Field(
        default_factory=list, description="The values it takes (only when it has a fixed list)."
    )


class NamedQueryInfo(ApiModel):
    """One named query: its name, what it answers, where its text is and its parameters."""

    name: str = Field(description="The name of the query (its file graph/queries/NAME.rq).")
    description: str = Field(description="What it answers.")
    url: str = Field(description="Where its SPARQL text is (GET: it runs as it is on /sparql).")
    parameters: list[QueryParameter] = Field(description="Its parameters.")


class QueryCatalogue(ApiModel):
    """``GET /queries``: the prefixes the service declares and the named queries."""

    model_config = examples(
        {
            "prefixes": {"wsis": "https://w3id.org/wsis-kg/ontology#"},
            "queries": [
                {
                    "name": "action-lines",
                    "description": "The WSIS Action Lines C1-C11 and the C7 sub-lines: "
                    "code, title, parent, Geneva Plan of Action paragraph, ITU's role and the "
                    "facilitating agencies; lines_from, the day the Action Lines came into "
                    "existence (the Geneva Plan of Action's adoption).",
                    "url": "http://127.0.0.1:8000/queries/action-lines",
                    "parameters": [
                        {
                            "name": "action_line",
                            "type": "string",
                            "required": False,
                            "repeatable": False,
                            "example": "C5",
                            "description": "an Action Line code (C1 to C11, or a C7 sub-line "
                            "such as C7.e-health); without it, every Action Line",
                        }
                    ],
                }
            ],
        }
    )

    prefixes: dict[str, str] = Field(description="Prefix -> namespace, usable on /sparql.")
    queries: list[NamedQueryInfo] = Field(description="Every named query.")
