"""Where a SPARQL 1.1 server answers and how each kind of server (its dialect) is asked for
what the service needs: the endpoints, the credentials, the deadlines. The dialect names are
defined here once (the setting ``WSISKG_STORE_DIALECT`` takes them from here)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:
    from graph.settings import Settings

__all__ = [
    "DIALECTS",
    "DIALECT_NAMES",
    "Dialect",
    "DialectInfo",
    "Endpoints",
    "Param",
    "endpoints_from_settings",
]

Dialect = Literal["oxigraph", "virtuoso", "fuseki", "graphdb", "neptune", "generic"]

DIALECT_NAMES: tuple[str, ...] = get_args(Dialect)

# a query-string parameter of a request
Param = tuple[str, str | int | float | bool | None]


@dataclass(frozen=True)
class DialectInfo:
    """How one kind of server is asked for what the service needs."""

    union: tuple[Param, ...]  # query parameters that make the default graph the union
    default_graph_is_union: bool  # without them, a query's default graph is already the union
    dataset_dump: bool  # GET on the Graph Store endpoint without ?graph gives every quad
    auth: Literal["basic", "digest"] = "basic"
    # POST queries and updates as forms (query=, update=) rather than as
    # application/sparql-query / -update bodies
    form: bool = False
    blank_nodes_in_insert_data: bool = True  # SPARQL 1.1 allows them


DIALECTS: dict[str, DialectInfo] = {
    # ?union-default-graph per request; GET /store gives the whole dataset (N-Quads)
    "oxigraph": DialectInfo((("union-default-graph", "true"),), False, True),
    # TDB2's union of the named graphs, by name (or tdb2:unionDefaultGraph in the config)
    "fuseki": DialectInfo((("default-graph-uri", "urn:x-arq:UnionGraph"),), False, False),
    # the default graph of a query without FROM is every graph; /sparql-auth is digest
    # (7.2 does not answer a POST of application/sparql-query: forms)
    "virtuoso": DialectInfo((), True, False, "digest", form=True, blank_nodes_in_insert_data=False),
    # GraphDB and Neptune: the default graph is the union of all graphs
    "graphdb": DialectInfo((), True, False),
    "neptune": DialectInfo((), True, False),
    # a server configured so that its default graph is the union of the named graphs
    "generic": DialectInfo((), True, False),
}


@dataclass(frozen=True)
class Endpoints:
    """Where a SPARQL 1.1 server answers, and how to talk to it."""

    query: str
    update: str
    store: str | None = None  # Graph Store Protocol (dumps); None: CONSTRUCT through query
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    dialect: Dialect = "oxigraph"
    timeout: float = 10.0  # a query's deadline, seconds
    update_timeout: float = 1800.0  # a load of the whole built-in data is one update
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def info(self) -> DialectInfo:
        return DIALECTS[self.dialect]

    @classmethod
    def for_server(
        cls,
        base: str,
        dialect: Dialect = "oxigraph",
        *,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 10.0,
        update_timeout: float = 1800.0,
    ) -> Endpoints:
        """The usual endpoints of a server at ``base``: Oxigraph ``/query``, ``/update``,
        ``/store``; Fuseki (``base`` = the dataset, ``http://host:3030/ds``) ``/query``,
        ``/update``, ``/data``; Virtuoso ``/sparql`` (``/sparql-auth``, digest, with
        credentials: updates need them); GraphDB (``base`` = the repository,
        ``http://host:7200/repositories/wsis``) the repository and ``/statements``; Neptune
        (``https://host:8182/sparql``) and generic: ``base`` itself for both."""
        base = base.rstrip("/")
        store: str | None = None
        if dialect == "oxigraph":
            query, update, store = f"{base}/query", f"{base}/update", f"{base}/store"
        elif dialect == "fuseki":
            query, update, store = f"{base}/query", f"{base}/update", f"{base}/data"
        elif dialect == "virtuoso":
            root = base.removesuffix("/sparql").removesuffix("/sparql-auth")
            query = update = f"{root}/sparql-auth" if username else f"{root}/sparql"
        elif dialect == "graphdb":
            query, update = base, f"{base}/statements"
        else:
            query = update = base
        return cls(
            query,
            update,
            store,
            username=username,
            password=password,
            dialect=dialect,
            timeout=timeout,
            update_timeout=update_timeout,
        )

    @classmethod
    def oxigraph(cls, base: str) -> Endpoints:
        """An Oxigraph server at ``base`` (``http://127.0.0.1:7878``)."""
        return cls.for_server(base, "oxigraph")

    def with_timeout(self, timeout: float) -> Endpoints:
        return replace(self, timeout=timeout)


def endpoints_from_settings(settings: Settings) -> Endpoints | None:
    """The server the settings name (WSISKG_STORE_URL, or the explicit endpoint URLs, with
    the credentials and the dialect), or None: the embedded store."""
    if not settings.remote_store:
        return None
    password = settings.store_password.get_secret_value() if settings.store_password else None
    derived = Endpoints.for_server(
        settings.store_url or settings.store_query_url or "",
        settings.store_dialect,
        username=settings.store_user or None,
        password=password or None,
        timeout=settings.query_timeout,
        update_timeout=settings.store_update_timeout,
    )
    return replace(
        derived,
        query=settings.store_query_url or derived.query,
        update=settings.store_update_url or derived.update,
        store=settings.store_gsp_url or (derived.store if settings.store_url else None),
    )
