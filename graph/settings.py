"""Configuration in one place: environment variables prefixed ``WSISKG_``.

Nothing else in the code base reads ``os.environ``.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ontology.ids import DEFAULT_BASE


def _default_store() -> Path:
    return Path.home() / ".local" / "share" / "wsis-kg" / "store"


class Settings(BaseSettings):
    """Settings of the store, the loaders and the service."""

    model_config = SettingsConfigDict(env_prefix="WSISKG_", extra="ignore")

    store: Path = Field(
        default_factory=_default_store,
        description="Directory of the embedded Oxigraph store (created on first use).",
    )
    base_iri: str = Field(default=DEFAULT_BASE, description="Base of every IRI the graph mints.")
    host: str = Field(default="127.0.0.1", description="Address `wsiskg serve` binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `wsiskg serve` binds to.")
    query_timeout: float = Field(
        default=10.0, gt=0, le=300, description="Deadline of one query, in seconds."
    )
    query_workers: int = Field(
        default=2, ge=1, le=64, description="Worker processes answering queries with a deadline."
    )

    @field_validator("base_iri")
    @classmethod
    def _base_iri(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")) or not value.endswith(("/", "#")):
            raise ValueError("must be an http(s) IRI ending with '/' or '#'")
        return value
