"""Loading a corpus: many files, or the files of directories, in batches.

Each document keeps its own named graph, its own load record and its own sha256 (an unchanged
file is skipped); a batch of documents is stored in ONE transaction (graph/writing.py), so
that a corpus of hundreds of resolutions does not pay a commit and an entailment pass per
file. A file that cannot be read is reported with its place and problem and left out; the
others load (the store never holds half of a document, nor half of a batch).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from loaders.documents import DOCUMENT_SUFFIXES
from loaders.errors import LoadError
from loaders.formats import ReadLimits
from loaders.rdf import LoadReport, LoadResult
from ontology.ids import Ids

from .files import RDF_FORMATS, prepare_all
from .store import KnowledgeGraph
from .writing import LoadRecord

# a batch closes at this many documents or this many triples, whichever comes first
BATCH_DOCUMENTS = 100
BATCH_TRIPLES = 400_000
READ_AHEAD = 2 * BATCH_DOCUMENTS  # files read ahead of the batch being stored, at most
CORPUS_SUFFIXES = (*DOCUMENT_SUFFIXES, ".csv", *RDF_FORMATS)


@dataclass
class CorpusReport:
    """What a corpus load did: the records of what was stored, the reports of each file,
    and the files that could not be read (with the error)."""

    records: list[LoadRecord] = field(default_factory=list)
    reports: list[tuple[Path, LoadReport]] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)
    batches: int = 0


def corpus_files(paths: Iterable[Path]) -> list[Path]:
    """The files to load: each file named, and the files of each directory named (all its
    sub-directories, hidden ones left out) whose suffix a loader takes, in name order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in CORPUS_SUFFIXES
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def load_corpus(
    kg: KnowledgeGraph,
    paths: Sequence[Path],
    *,
    force: bool = False,
    limits: ReadLimits | None = None,
    batch_documents: int = BATCH_DOCUMENTS,
    batch_triples: int = BATCH_TRIPLES,
    progress: Callable[[Path], None] | None = None,
) -> CorpusReport:
    """Read ``paths`` (files, directories) and store them in batches; ``progress`` is called
    after each file is read. A :class:`graph.errors.StoreError` of a batch stops the load
    (the batches before it stay stored, the rest is not)."""
    report = CorpusReport()
    kg.load_ontology()  # the data is read against the current ontology (skipped if unchanged)
    batch: list[LoadResult] = []
    triples = 0
    # Reading is Python and storing is Oxigraph's (which lets go of the GIL while it writes):
    # a thread reads the next files while this one stores a batch.
    # It reads at most READ_AHEAD files ahead, so that memory stays bounded when storing is
    # the slower of the two.
    files = iter(corpus_files(paths))
    pending: deque[Future[tuple[Path, list[LoadResult], str | None]]] = deque()
    with ThreadPoolExecutor(1, thread_name_prefix="wsiskg-read") as reader:

        def top_up() -> None:
            while len(pending) < READ_AHEAD and (path := next(files, None)) is not None:
                pending.append(reader.submit(_read, path, kg.ids, limits))

        top_up()
        while pending:
            path, results, problem = pending.popleft().result()
            top_up()
            if problem is not None:
                report.failed.append((path, problem))
            else:
                report.reports.append((path, _report_of(path, results)))
                batch.extend(results)
                triples += sum(len(r.triples) for r in results)
            if progress is not None:
                progress(path)
            if len(batch) >= batch_documents or triples >= batch_triples:
                _store(kg, batch, force, report)
                batch, triples = [], 0
    if batch:
        _store(kg, batch, force, report)
    return report


def _read(
    path: Path, ids: Ids, limits: ReadLimits | None
) -> tuple[Path, list[LoadResult], str | None]:
    try:
        results, _ = prepare_all(path, ids, limits)
    except LoadError as e:
        return path, [], str(e)
    return path, results, None


def _report_of(path: Path, results: list[LoadResult]) -> LoadReport:
    if len(results) == 1:
        return results[0].report
    merged = LoadReport(path.name)
    merged.count("documents", len(results))
    for result in results:
        for what, n in result.report.counts.items():
            merged.count(what, n)
        merged.warnings.extend(result.report.warnings)
    return merged


def _store(kg: KnowledgeGraph, batch: list[LoadResult], force: bool, report: CorpusReport) -> None:
    graphs = [r.graph for r in batch]
    if len(set(graphs)) != len(graphs):  # two files of one graph: the later one wins
        last = {r.graph: r for r in batch}
        batch = list(last.values())
    report.records.extend(kg.load_many(batch, force=force))
    report.batches += 1
