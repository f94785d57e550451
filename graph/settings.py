"""Configuration in one place: environment variables prefixed ``WSISKG_``.

Nothing else in the code base reads ``os.environ``.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ontology.ids import DEFAULT_BASE

MIN_TOKEN_LENGTH = 24
MIN_TOKEN_DISTINCT = 10


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

    write_token: SecretStr | None = Field(
        default=None,
        description="Bearer token that enables writes (SPARQL update, POST /documents). "
        "Unset: the service is read-only and every write is refused. At least 24 characters.",
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Origins allowed to call the API from a browser (CORS), e.g. "
        '\'["https://dashboards.example.org"]\'; "*" allows any. Empty: no CORS headers.',
    )
    max_upload_bytes: int = Field(
        default=20 * 1024 * 1024, ge=1024, description="Largest document POST /documents takes."
    )

    @field_validator("write_token")
    @classmethod
    def _write_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        token = value.get_secret_value()
        if not token:
            return None  # WSISKG_WRITE_TOKEN= (empty) means unset: read-only
        if len(token) < MIN_TOKEN_LENGTH or len(set(token)) < MIN_TOKEN_DISTINCT:
            raise ValueError(
                f"a write token needs at least {MIN_TOKEN_LENGTH} characters, "
                f"{MIN_TOKEN_DISTINCT} of them different (e.g. `python -c "
                '"import secrets; print(secrets.token_urlsafe(32))"`)'
            )
        return value

    @field_validator("base_iri")
    @classmethod
    def _base_iri(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")) or not value.endswith(("/", "#")):
            raise ValueError("must be an http(s) IRI ending with '/' or '#'")
        return value
