"""Which store a KnowledgeGraph runs over: the one place that builds a store from the settings.

The embedded Oxigraph store is opened by :meth:`KnowledgeGraph.open`; a SPARQL 1.1 server
(graph/remote.py) is wrapped here, so that graph/store.py knows nothing of the remote store
and the modules import one way: connect -> remote, store.
"""

from __future__ import annotations

from pathlib import Path

from ontology.ids import Ids

from .endpoints import Endpoints, endpoints_from_settings
from .errors import StoreError
from .history import ReleaseHistory
from .settings import Settings
from .store import KnowledgeGraph


def remote_graph(
    endpoints: Endpoints, ids: Ids | None = None, *, release_ttl: float = 0.5
) -> KnowledgeGraph:
    """A SPARQL 1.1 server as the store; nothing is opened locally. ``release_ttl``: how long
    (seconds) the release read from the server is trusted (other processes write it too)."""
    # imported here: the HTTP client (httpx) takes about 75 ms to import, and only a store
    # on a SPARQL server needs it, not every `wsiskg` call on the embedded store
    from .remote import RemoteStore  # noqa: PLC0415

    return KnowledgeGraph(RemoteStore(endpoints), ids or Ids(), release_ttl=release_ttl)


def graph_from_settings(settings: Settings, store: Path | None = None) -> KnowledgeGraph:
    """The store the settings name: the SPARQL server of ``WSISKG_STORE_URL`` (or of the
    explicit endpoint URLs), else the embedded store at ``store`` or ``WSISKG_STORE``."""
    ids = Ids(settings.base_iri)
    endpoints = endpoints_from_settings(settings)
    if endpoints is None:
        kg = KnowledgeGraph.open(store or settings.store, ids)
        kg.compact_every = settings.compact_every
        if settings.keep_releases and kg.location is not None:
            kg.history = ReleaseHistory(kg.location, settings.keep_releases, kg.provenance_graph)
        return kg
    if store is not None:
        raise StoreError(
            "a store directory was given, but WSISKG_STORE_URL names a SPARQL server: "
            "use one or the other"
        )
    return remote_graph(endpoints, ids, release_ttl=settings.store_refresh_ms / 1000)
