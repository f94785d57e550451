"""Loading a file the user names: a resolution text (.txt, .docx), a curated table (.csv),
or RDF (Turtle, N-Triples). Each file goes into its own named graph in one transaction; an
RDF file of ``bulk_bytes`` or more, into an embedded store that this process holds alone, by
the bulk path (graph/bulk.py: Oxigraph's ``bulk_load`` behind a checkpoint, all or nothing
too), with no limit of size."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from loaders.documents import DOCUMENT_SUFFIXES, load_documents
from loaders.errors import DocumentError, LoadError
from loaders.formats import ReadLimits, accepted, sniff_document
from loaders.rdf import LoadReport, LoadResult, SourceInfo
from loaders.recommendations import load_recommendations
from loaders.registry import REFERENCE_LOADERS
from loaders.safety import parse_rdf
from loaders.tables import PROJECT_TABLES, REFERENCE_TABLES
from loaders.unicode import check_rdf
from ontology.ids import IdentifierError, Ids, show

from .bulk import DEFAULT_BULK_BYTES, BulkFile, Phases, bulk_load_file
from .bulk_guard import can_bulk_load
from .store import KnowledgeGraph, LoadRecord

RDF_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES}
MAX_FILE_BYTES = 200 * 1024 * 1024

# the tables a load reads by file name: those with a loader (itut_wsis_links.csv is kept as the
# shared copy its reviewed successor, itu_action_line_links.csv, names row by row)
_TABLE_BY_FILE = {
    Path(rel).name: name
    for name, rel in {**REFERENCE_TABLES, **PROJECT_TABLES}.items()
    if name in REFERENCE_LOADERS or name == "itut-recommendations"
}


@dataclass(frozen=True)
class FileLoad:
    record: LoadRecord | None  # None for a dry run
    report: LoadReport
    parse: dict[str, Any] | None = None  # the parse of a resolution text, as JSON
    records: tuple[LoadRecord, ...] = ()  # every graph the file gave (a volume: several)


def _check(path: Path) -> str:
    if not path.is_file():
        raise LoadError(str(path), "no such file")
    size = path.stat().st_size
    if size == 0:
        raise DocumentError(str(path), "the file is empty")
    if size > MAX_FILE_BYTES:
        raise DocumentError(str(path), f"{size} bytes is over the limit of {MAX_FILE_BYTES}")
    suffix = path.suffix.lower()
    if suffix not in (".csv", *RDF_FORMATS, *DOCUMENT_SUFFIXES):
        # a resolution text by its content (a PDF, Word file or web page saved without its
        # suffix, or under another): the registry's sniffing, never plain text by default
        found = sniff_document(path)
        if found is not None:
            return found
        raise LoadError(
            str(path),
            f"cannot load {suffix or 'a file without extension'} files "
            f"(resolution texts: {accepted()}; tables: .csv; RDF: {', '.join(RDF_FORMATS)})",
        )
    return suffix


def prepare_all(
    path: Path, ids: Ids, limits: ReadLimits | None = None
) -> tuple[list[LoadResult], dict[str, Any] | None]:
    """Read a file into the quads of its named graphs (one, or one per resolution of a
    volume); nothing is stored."""
    suffix = _check(path)
    try:
        if suffix in DOCUMENT_SUFFIXES or suffix.startswith("format:"):
            loaded = load_documents(path, ids, limits)
            return loaded.results, loaded.parse_json()
        if suffix == ".csv":
            return [_table(path, ids)], None
        return [_rdf(path, ids, RDF_FORMATS[suffix])], None
    except IdentifierError as e:  # an identifier the loaders did not place more precisely
        raise LoadError(show(path.name), f"cannot make an identifier: {e}") from e


def prepare(
    path: Path, ids: Ids, limits: ReadLimits | None = None
) -> tuple[LoadResult, dict[str, Any] | None]:
    """Read a file into the quads of its named graph; a volume's report sums its parts'."""
    results, parse = prepare_all(path, ids, limits)
    return (results[0] if len(results) == 1 else _volume_result(path, results)), parse


def _volume_result(path: Path, results: list[LoadResult]) -> LoadResult:
    report = LoadReport(path.name)
    report.count("documents", len(results))
    triples: list[ox.Triple] = []
    for result in results:
        for what, n in result.report.counts.items():
            report.count(what, n)
        for warning in result.report.warnings:
            report.warnings.append(warning)
        triples.extend(result.triples)
    return LoadResult(results[0].graph, triples, report, results[0].source)


def load_file(
    kg: KnowledgeGraph,
    path: Path,
    *,
    force: bool = False,
    dry_run: bool = False,
    limits: ReadLimits | None = None,
    bulk_bytes: int = DEFAULT_BULK_BYTES,
    phases: Phases | None = None,
) -> FileLoad:
    """Load one file into its named graph(s), in one transaction, or an RDF file of
    ``bulk_bytes`` or more (0: never) by the bulk path where the store takes it; LoadError
    names the file and the problem, and nothing is stored then. ``phases``: where a bulk
    load's time went (the benchmarks)."""
    bulk = None if dry_run else _bulk_file(kg, path, bulk_bytes)
    if bulk is not None:
        kg.load_ontology()
        record = bulk_load_file(kg, bulk, force=force, phases=phases)
        triples = record.triples if record.release else kg.graph_size(bulk.graph)
        return FileLoad(record, LoadReport(path.name, {"triples": triples}), None, (record,))
    results, parse = prepare_all(path, kg.ids, limits)
    report = results[0].report if len(results) == 1 else _volume_result(path, results).report
    if dry_run:
        return FileLoad(None, report, parse)
    kg.load_ontology()  # the data is read against the current ontology (skipped if unchanged)
    records = kg.load_many(results, force=force)
    return FileLoad(records[0], report, parse, tuple(records))


def _bulk_file(kg: KnowledgeGraph, path: Path, bulk_bytes: int) -> BulkFile | None:
    """The file as the bulk path loads it, or None: not RDF, smaller than ``bulk_bytes``, or
    a store that does not take bulk loads (graph/bulk.py)."""
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None or bulk_bytes <= 0 or not path.is_file() or not can_bulk_load(kg):
        return None
    if path.stat().st_size < bulk_bytes:
        return None
    name = f"file-{path.name}"
    try:
        graph = kg.ids.graph(name)
    except IdentifierError as e:
        raise LoadError(show(path.name), f"cannot make an identifier: {e}") from e
    return BulkFile(path, fmt, graph, name, path.resolve().as_uri())


def _table(path: Path, ids: Ids) -> LoadResult:
    name = _TABLE_BY_FILE.get(path.name)
    if name is None:
        known = ", ".join(sorted(_TABLE_BY_FILE))
        raise LoadError(str(path), f"not a known reference table (expected one of: {known})")
    loader = load_recommendations if name == "itut-recommendations" else REFERENCE_LOADERS[name]
    return loader(ids, path)


def _rdf(path: Path, ids: Ids, fmt: ox.RdfFormat) -> LoadResult:
    data = path.read_bytes()
    # behind loaders/safety.py's guards (RDF/XML, if it is ever accepted, is checked first)
    quads = parse_rdf(data, fmt, source=str(path), base_iri=path.resolve().as_uri())
    triples = [ox.Triple(t.subject, t.predicate, t.object) for t in quads]
    # string literals in NFC; no invisible or bidi characters in IRIs (docs/reliability.md, 6)
    triples = check_rdf(triples, str(path), data)
    name = f"file-{path.name}"
    report = LoadReport(path.name, {"triples": len(triples)})
    source = SourceInfo(name, path.name, hashlib.sha256(data).hexdigest())
    return LoadResult(ids.graph(name), triples, report, source)
