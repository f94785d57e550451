"""Configuration in one place: environment variables prefixed ``WSISKG_``.

Nothing else in the code base reads ``os.environ``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from graph.endpoints import Dialect
from loaders.formats.model import ReadLimits
from ontology.ids import DEFAULT_BASE

MIN_TOKEN_LENGTH = 24
MIN_TOKEN_DISTINCT = 10


# A list setting: a JSON array ('["a", "b"]') or, as one writes it in a shell, values
# separated by commas ("a, b"); decoded by Settings._list, not by pydantic-settings (which
# takes JSON only and fails with a traceback on anything else)
ListSetting = Annotated[list[str], NoDecode]


def _list_value(value: Any) -> Any:
    """A list setting's value from its variable: a JSON array, or comma-separated values."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.startswith("["):
        try:
            return json.loads(text)
        except json.JSONDecodeError as e:
            raise ValueError(
                f"not a JSON array ({e.msg} at character {e.pos}); or give the values "
                "separated by commas"
            ) from e
    return [part.strip() for part in text.split(",") if part.strip()]


def default_query_workers() -> int:
    """One worker per core this process may run on, at least 2, for /sparql, and a quarter as
    many more, at least 1, kept for lookups (graph/fairness.py; ``reserved_workers`` keeps a
    quarter of the workers): 3 workers on 2 cores, 5 on 4, 10 on 8."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 2
    analytics = max(2, min(cores, 48))
    return analytics + max(1, analytics // 4)


def _default_store() -> Path:
    return Path.home() / ".local" / "share" / "wsis-kg" / "store"


class Settings(BaseSettings):
    """Settings of the store, the loaders and the service."""

    model_config = SettingsConfigDict(env_prefix="WSISKG_", extra="ignore")

    store: Path = Field(
        default_factory=_default_store,
        description="Directory of the embedded Oxigraph store (created on first use).",
    )
    # A SPARQL 1.1 server as the store instead (graph/remote.py, docs/deploy.md)
    store_url: str | None = Field(
        default=None,
        description="Base URL of a SPARQL 1.1 server holding the graph, e.g. "
        "http://127.0.0.1:7878 for an Oxigraph server. Set, the embedded store is not opened "
        "and several API processes may serve the same data.",
    )
    store_query_url: str | None = Field(
        default=None, description="The server's query endpoint (default: from the base URL)."
    )
    store_update_url: str | None = Field(
        default=None, description="The server's update endpoint (default: from the base URL)."
    )
    store_gsp_url: str | None = Field(
        default=None,
        description="The server's Graph Store Protocol endpoint, for dumps (default: from the "
        "base URL where the dialect has one; none: dumps go through CONSTRUCT queries).",
    )
    store_user: str | None = Field(default=None, description="User name at the SPARQL server.")
    store_password: SecretStr | None = Field(
        default=None, description="Password at the SPARQL server."
    )
    store_dialect: Dialect = Field(
        default="oxigraph",
        description="The kind of server: how its endpoints are named and how a query asks "
        "for the union of the named graphs as its default graph.",
    )
    store_refresh_ms: int = Field(
        default=500,
        ge=0,
        le=600_000,
        description="With a SPARQL server: how often (milliseconds) each API process re-reads "
        "the current release, so that a load made by another process is seen; 0 = on every "
        "request. The longest time a process answers from the release before a load.",
    )
    store_update_timeout: float = Field(
        default=1800.0,
        gt=0,
        description="With a SPARQL server: seconds one update (a load) may take.",
    )
    compact_every: int = Field(
        default=100,
        ge=0,
        le=1_000_000,
        description="Compact the embedded store (Store.optimize) after this many writes, so "
        "that repeated loads stay as fast as the first; 0: never.",
    )
    bulk_load_bytes: int = Field(
        default=32 * 1024 * 1024,
        ge=0,
        description="`wsiskg load` of an RDF file (.nt, .ttl) of this many bytes or more into "
        "the embedded store: Oxigraph's bulk load behind a checkpoint (graph/bulk.py), all or "
        "nothing like a transaction but at the speed of bulk_load, and with no limit of size; "
        "0: every file in one transaction (then up to 200 MiB).",
    )
    warm_answers: int = Field(
        default=64,
        ge=0,
        le=2048,
        description="After a write, before its release is published: how many of the answers "
        "asked most recently are computed on it (the writer waits for them; until then the "
        "queries answer from the release before the write, with its cached answers); 0: none, "
        "every answer is computed again when it is next asked.",
    )
    warm_seconds: float = Field(
        default=1.0,
        ge=0,
        le=60,
        description="The longest a write spends computing those answers (WSISKG_WARM_ANSWERS); "
        "the rest are computed when asked.",
    )
    keep_releases: int = Field(
        default=10,
        ge=0,
        le=1000,
        description="With the embedded store: how many of the latest releases are kept as "
        "checkpoints beside it (<store>.releases/), which `wsiskg rollback` and POST "
        "/releases/{id}/rollback roll back to; 0 keeps none.",
    )
    base_iri: str = Field(default=DEFAULT_BASE, description="Base of every IRI the graph mints.")
    host: str = Field(default="127.0.0.1", description="Address `wsiskg serve` binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `wsiskg serve` binds to.")
    query_timeout: float = Field(
        default=10.0, gt=0, le=300, description="Deadline of one query, in seconds."
    )
    query_workers: int = Field(
        default_factory=default_query_workers,
        ge=1,
        le=64,
        description="Worker processes answering queries with a deadline (default: one per "
        "core, at least 2, for /sparql, and a quarter as many more, at least 1, kept for "
        "lookups: 3 on 2 cores).",
    )
    # Fair shares of the workers (graph/fairness.py, docs/reliability.md section 12)
    lookup_workers: int | None = Field(
        default=None,
        ge=0,
        le=63,
        description="Query workers kept for the named queries of the REST routes and the "
        "dashboard (lookups): SPARQL a client writes (/sparql) may use the others only. "
        "Default: a quarter of WSISKG_QUERY_WORKERS, at least 1 (0 with one worker).",
    )
    query_budget: float = Field(
        default=15.0,
        ge=0,
        le=86_400,
        description="Seconds of SPARQL query time (/sparql, the dashboard's SPARQL page) one "
        "client may use per WSISKG_QUERY_BUDGET_WINDOW (a query stopped at its deadline costs "
        "the whole deadline); past it, a 429 with Retry-After before the query reaches a "
        "worker. The REST routes' named queries and cached answers cost nothing. 0: no "
        "budget.",
    )
    query_failures: float = Field(
        default=3.0,
        ge=0,
        le=100_000,
        description="SPARQL queries of one client that may be stopped at their deadline per "
        "WSISKG_QUERY_BUDGET_WINDOW; past it, a 429 with Retry-After, as past the query "
        "time. 0: not counted.",
    )
    query_budget_window: float = Field(
        default=60.0, gt=0, le=86_400, description="The window of WSISKG_QUERY_BUDGET, seconds."
    )
    query_budget_burst: float = Field(
        default=30.0,
        gt=0,
        le=86_400,
        description="The most query time a client may use at once, seconds (the size of its "
        "bucket, refilled at WSISKG_QUERY_BUDGET per WSISKG_QUERY_BUDGET_WINDOW).",
    )
    query_queue: int = Field(
        default=16,
        ge=0,
        le=1000,
        description="Most /sparql queries waiting for a query worker at once; more is a 503 "
        "with Retry-After at once. The queue is fair: the next worker goes to the client "
        "with the fewest queries running.",
    )
    query_max_wait: float = Field(
        default=10.0,
        gt=0,
        le=600,
        description="Longest a query waits for a query worker, seconds; then a 503 with "
        "Retry-After. The wait does not count against the query's deadline.",
    )

    write_token: SecretStr | None = Field(
        default=None,
        description="Bearer token that enables writes (SPARQL update, POST /documents). "
        "Unset: the service is read-only and every write is refused. At least 24 characters.",
    )
    cors_origins: ListSetting = Field(
        default_factory=list,
        description="Origins allowed to call the API from a browser (CORS), e.g. "
        'https://dashboards.example.org,https://other.example.org (or a JSON array); "*" allows '
        "any. Empty: no CORS headers.",
    )
    max_upload_bytes: int = Field(
        default=20 * 1024 * 1024, ge=1024, description="Largest document POST /documents takes."
    )
    # What the format readers accept (loaders/formats: ReadLimits), for `wsiskg load` and uploads
    read_max_pages: int = Field(
        default=2000, ge=1, le=1_000_000, description="Most pages a PDF may have."
    )
    read_max_pdf_objects: int = Field(
        default=200_000, ge=10, description="Most indirect objects a PDF may declare."
    )
    read_max_pdf_stream_bytes: int = Field(
        default=20 * 1024 * 1024,
        ge=1024,
        description="Largest a PDF content stream may inflate to (a decompression bomb).",
    )
    read_max_html_elements: int = Field(
        default=500_000, ge=10, description="Most elements an HTML page may have."
    )
    read_max_chars: int = Field(
        default=5 * 1024 * 1024,
        ge=1024,
        description="Most characters of text a document may give, whatever its format.",
    )

    def read_limits(self) -> ReadLimits:
        """The format readers' limits from these settings."""
        return ReadLimits(
            max_chars=self.read_max_chars,
            max_pages=self.read_max_pages,
            max_pdf_objects=self.read_max_pdf_objects,
            max_pdf_stream_bytes=self.read_max_pdf_stream_bytes,
            max_html_elements=self.read_max_html_elements,
        )

    # Limits of one request (api/limits.py, docs/reliability.md section 2)
    max_body_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        description="Largest request body of every route but POST /documents (which takes "
        "WSISKG_MAX_UPLOAD_BYTES); larger is a 413, counted while the body arrives.",
    )
    max_query_chars: int = Field(
        default=100_000,
        ge=100,
        description="Longest SPARQL query /sparql runs, in characters; longer is a 413.",
    )
    max_result_rows: int = Field(
        default=100_000,
        ge=1,
        description="Most rows (SELECT) or triples (CONSTRUCT, DESCRIBE) one /sparql answer "
        "may have; a query whose answer has more is a 422 saying so (add a LIMIT), never a "
        "truncated answer.",
    )
    max_concurrent_per_client: int = Field(
        default=4,
        ge=1,
        le=1000,
        description="Requests one client (one IP address) may have in progress at once; "
        "more is a 429 with Retry-After.",
    )
    trusted_proxies: ListSetting = Field(
        default_factory=list,
        description="Addresses of reverse proxies in front of the service, e.g. "
        "127.0.0.1,10.0.0.2 (or a JSON array): a request from one of them is counted for the "
        "client its X-Forwarded-For names. Empty: every client is its own TCP peer address.",
    )

    @field_validator("cors_origins", "trusted_proxies", mode="before")
    @classmethod
    def _list(cls, value: Any) -> Any:
        return _list_value(value)

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

    @field_validator("store_url", "store_query_url", "store_update_url", "store_gsp_url")
    @classmethod
    def _store_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None  # empty means unset: the embedded store
        value = value.strip()
        if not value.startswith(("http://", "https://")) or " " in value:
            raise ValueError("must be an http(s) URL")
        return value

    @model_validator(mode="after")
    def _store_endpoints(self) -> Settings:
        if self.store_url is None and (self.store_query_url is None) != (
            self.store_update_url is None
        ):
            raise ValueError(
                "WSISKG_STORE_QUERY_URL and WSISKG_STORE_UPDATE_URL go together "
                "(or set WSISKG_STORE_URL, the server's base URL)"
            )
        password = self.store_password.get_secret_value() if self.store_password else ""
        if password and not self.store_user:
            raise ValueError("WSISKG_STORE_PASSWORD needs WSISKG_STORE_USER")
        return self

    @model_validator(mode="after")
    def _lookup_workers(self) -> Settings:
        if self.lookup_workers is not None and self.lookup_workers >= max(self.query_workers, 2):
            raise ValueError(
                f"WSISKG_LOOKUP_WORKERS ({self.lookup_workers}) must be fewer than "
                f"WSISKG_QUERY_WORKERS ({self.query_workers}): /sparql needs one"
            )
        return self

    def reserved_workers(self, workers: int) -> int:
        """The workers of ``workers`` kept for lookups (WSISKG_LOOKUP_WORKERS)."""
        if workers < 2:
            return 0
        wanted = max(1, workers // 4) if self.lookup_workers is None else self.lookup_workers
        return min(wanted, workers - 1)

    @property
    def remote_store(self) -> bool:
        """Whether the store is a SPARQL server (not the embedded store)."""
        return self.store_url is not None or self.store_query_url is not None

    @field_validator("base_iri")
    @classmethod
    def _base_iri(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")) or not value.endswith(("/", "#")):
            raise ValueError("must be an http(s) IRI ending with '/' or '#'")
        return value
