"""What KnowledgeGraph needs of a store: the part of ``pyoxigraph.Store`` it calls.

Two classes satisfy it: ``pyoxigraph.Store`` itself (the embedded store, on disk or in memory)
and :class:`graph.remote.RemoteStore` (a SPARQL 1.1 server over HTTP). Typed as a Protocol so
that neither has to know the other.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import IO, Any, Protocol

import pyoxigraph as ox

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
QueryAnswer = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class StoreBackend(Protocol):
    """A quad store that answers SPARQL 1.1 queries and updates."""

    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        prefixes: dict[str, str] | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: GraphName | list[GraphName] | None = None,
        named_graphs: list[ox.NamedNode | ox.BlankNode] | None = None,
        substitutions: dict[ox.Variable, Term] | None = None,
    ) -> QueryAnswer: ...

    def update(
        self, update: str, *, base_iri: str | None = None, prefixes: dict[str, str] | None = None
    ) -> None: ...

    def named_graphs(self) -> Iterator[ox.NamedNode | ox.BlankNode]: ...

    def contains_named_graph(self, graph_name: GraphName) -> bool: ...

    def dump(
        self,
        output: IO[bytes] | str | os.PathLike[str] | None = None,
        format: ox.RdfFormat | None = None,
        *,
        from_graph: GraphName | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> bytes | None: ...

    def flush(self) -> None: ...

    def backup(self, target_directory: str | os.PathLike[str]) -> None: ...

    def __len__(self) -> int: ...

    def __iter__(self) -> Any: ...  # of ox.Quad (pyoxigraph types it as Any)
