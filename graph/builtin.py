"""The built-in data: the ontology and the curated reference tables, in load order."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from loaders.documents import document_name, load_document
from loaders.rdf import LoadResult
from loaders.recommendations import load_recommendations
from loaders.registry import REFERENCE_LOADERS
from loaders.tables import SEEDS, data_path, table_path
from ontology.ids import Ids

from .store import KnowledgeGraph, LoadRecord, loader_version


@dataclass(frozen=True)
class Source:
    name: str  # of its named graph
    path: Path  # its input
    load: Callable[[Ids, Path], LoadResult]


def _document(ids: Ids, path: Path) -> LoadResult:
    return load_document(path, ids)[0]


# The largest last: every load recomputes the entailments, which is cheap while the graph is
# small.
BUILTIN_SOURCES: tuple[Source, ...] = (
    *(Source(name, table_path(name), loader) for name, loader in REFERENCE_LOADERS.items()),
    *(Source(document_name(data_path(rel)), data_path(rel), _document) for rel in SEEDS.values()),
    Source("itut-recommendations", table_path("itut-recommendations"), load_recommendations),
)


def load_builtin(
    kg: KnowledgeGraph,
    *,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> list[LoadRecord]:
    """Load the ontology and every built-in table, each into its own named graph.

    A source whose input and loader version are unchanged since its last load is skipped
    before it is even parsed; the others are written in ONE transaction, with one pass of
    entailments, so that a reader never sees half of the built-in data.
    """
    version = loader_version()
    results = [kg.ontology_load()]
    skipped: list[LoadRecord] = []
    to_read: list[Source] = []
    for source in BUILTIN_SOURCES:
        graph = kg.ids.graph(source.name)
        sha = hashlib.sha256(source.path.read_bytes()).hexdigest()
        if not force and kg.graph_source(graph) == (sha, version):
            skipped.append(LoadRecord(graph.value, source.name, 0, None, 0))
        else:
            to_read.append(source)
    total = len(BUILTIN_SOURCES)
    if progress:
        if not to_read:
            progress(f"all {total} sources unchanged since their last load: nothing to read")
        elif skipped:
            progress(
                f"{len(skipped)} of {total} sources unchanged since their last load (not read "
                f"again); reading {len(to_read)}"
            )
    for number, source in enumerate(to_read, start=1):
        if progress:
            progress(f"reading {source.name} ({number} of {len(to_read)})")
        results.append(source.load(kg.ids, source.path))
    if progress and to_read:
        progress(
            f"writing {len(to_read)} graph{'s' if len(to_read) != 1 else ''} to the store "
            "(one transaction) and computing the entailments"
        )
    return kg.load_many(results, force=force) + skipped


def is_empty(kg: KnowledgeGraph) -> bool:
    return len(kg) == 0
