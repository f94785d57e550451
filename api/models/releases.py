"""The answers about the kept releases: ``GET /releases`` and a rollback."""

from __future__ import annotations

from pydantic import Field

from api.models.base import EXAMPLE_ID, RELEASE, ApiModel, examples

_BEFORE = "20261205T131958101253Z-5c1f0a3e"


class KeptRelease(ApiModel):
    """One release kept as a checkpoint: what made it and its size."""

    release: str = Field(description="The release id.")
    created: str | None = Field(description="When it was made (xsd:dateTime, UTC).")
    kind: str = Field(
        description="What kind of write made it: load, update, rollback (other: several)."
    )
    made_by: str = Field(description="What made it, in one line (the first activity's label).")
    activities: list[str] = Field(description="The labels of the activities that made it.")
    quads: int = Field(description="The quads the store held at this release.")


class Releases(ApiModel):
    """``GET /releases``: the releases kept as checkpoints, newest first."""

    model_config = examples(
        {
            "current": RELEASE,
            "keep": 10,
            "releases": [
                {
                    "release": RELEASE,
                    "created": "2026-12-05T13:23:01.695Z",
                    "kind": "update",
                    "made_by": f"SPARQL update {RELEASE}",
                    "activities": [f"SPARQL update {RELEASE}"],
                    "quads": 287,
                },
                {
                    "release": _BEFORE,
                    "created": "2026-12-05T13:19:58.101Z",
                    "kind": "load",
                    "made_by": f"load of wsis.ttl into {EXAMPLE_ID}graph/ontology (+13 more)",
                    "activities": [f"load of wsis.ttl into {EXAMPLE_ID}graph/ontology"],
                    "quads": 444726,
                },
            ],
        }
    )

    current: str | None = Field(description="The current release (null: an empty store).")
    keep: int = Field(description="How many releases are kept (WSISKG_KEEP_RELEASES).")
    releases: list[KeptRelease] = Field(description="The kept releases, newest first.")


class RolledBack(ApiModel):
    """``POST /releases/{release}/rollback``: the new release the rollback made."""

    model_config = examples(
        {
            "release": RELEASE,
            "rolled_back_to": _BEFORE,
            "graphs": [f"{EXAMPLE_ID}graph/action-lines"],
            "quads": 1174,
            "seconds": 2.5,
        }
    )

    release: str = Field(description="The new release: the data as at ``rolled_back_to``.")
    rolled_back_to: str = Field(description="The release whose data graphs were put back.")
    graphs: list[str] = Field(
        description='The graphs that differed and were put back ("": the default graph).'
    )
    quads: int = Field(description="The triples put back.")
    seconds: float = Field(description="How long the rollback took.")
