"""The built-in data: the ontology and the curated reference tables, in load order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from loaders.documents import load_document
from loaders.rdf import LoadResult
from loaders.recommendations import load_recommendations
from loaders.reference import REFERENCE_LOADERS
from loaders.tables import SEEDS, data_path
from ontology.ids import Ids

from .store import KnowledgeGraph, LoadRecord


@dataclass(frozen=True)
class Source:
    name: str
    load: Callable[..., LoadResult]


def _seed(relative: str) -> Callable[[Ids], LoadResult]:
    def load(ids: Ids) -> LoadResult:
        return load_document(data_path(relative), ids)[0]

    return load


# The largest last: every load recomputes the entailments, which is cheap while the graph is
# small.
BUILTIN_SOURCES: tuple[Source, ...] = (
    *(Source(name, loader) for name, loader in REFERENCE_LOADERS.items()),
    *(Source(name, _seed(relative)) for name, relative in SEEDS.items()),
    Source("itut-recommendations", load_recommendations),
)


def load_builtin(
    kg: KnowledgeGraph,
    *,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> list[LoadRecord]:
    """Load the ontology and every built-in table, each into its own named graph.

    A table whose input and loader version are unchanged since its last load is skipped.
    """
    records = [kg.load_ontology(force=force)]
    for source in BUILTIN_SOURCES:
        if progress:
            progress(source.name)
        records.append(kg.load(source.load(kg.ids), force=force))
    return records


def is_empty(kg: KnowledgeGraph) -> bool:
    return len(kg) == 0
