"""The bulk path of a load: a big RDF file into the embedded store at the speed of
Oxigraph's ``bulk_load``, still all or nothing (docs/reliability.md, section 7).

The transactional path (graph/writing.py) holds the whole load in one transaction: about
4.4 GiB per million triples and 9.5x the time of ``bulk_load`` (docs/benchmarks.md). For an
RDF file above ``WSISKG_BULK_LOAD_BYTES``, into an embedded store on disk that this process
holds alone (``wsiskg load``: a running ``wsiskg serve`` holds the store, and its uploads stay
transactional), graph/files.py takes this path instead, under the write lock:

1. a checkpoint of the store beside it, and a marker naming it (graph/bulk_guard.py): from
   here until the marker is removed, a crash or a failure puts the store back as it was;
2. the scope of the store-wide rules, collected from the graph as it was (as a write's
   transaction does first), then the old graph and its entailments dropped;
3. ``Store.bulk_load`` of the file into the graph (Oxigraph parses and writes in Rust,
   without the GIL), while a thread checks the file (loaders/rdf_scan.py); a bad IRI, say,
   fails the load once ``bulk_load`` returns, and the checkpoint is put back;
4. the literals the file does not hold in NFC replaced by their NFC form (one update);
5. the source rules (graph/rules/, scope ``source``) derived from the file while step 3 runs
   and written beside it (graph/bulk_rules.py); when they cannot be (a blank node the rules
   read), they run after it as CONSTRUCT queries, in order,
   their triples added with ``Store.bulk_extend`` to the graph's entailment graph: what each
   rule's INSERT writes in the transactional path;
6. the store-wide rules for the scope (as in the transactional path), then the PROV-O record
   of the load and its release, each an update of its own (the marker still covers them); a
   part that only inserts into one graph (the scope, the roll-up) as a CONSTRUCT whose
   triples ``bulk_extend`` adds;
7. the marker removed (the load has happened), then the checkpoint.

Readers in this process would see the graph half loaded between 2 and 6: the path is taken
only when nothing in the process reads the store meanwhile (no commit hook: no query
service).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from loaders.errors import LoadError
from loaders.rdf import SourceInfo
from loaders.rdf_scan import Scan, ScanCancelledError, scan_rdf, sha256_of
from ontology import sparql_prefixes

from .bulk_guard import BulkGuard, can_bulk_load, restore_in_process
from .bulk_rules import Derivation, read_axioms, streamable
from .entailments import apply_part, into_graph, joined
from .errors import StoreError
from .provenance import forget_record, load_record, loader_version, release_id
from .writing import LoadRecord

if TYPE_CHECKING:
    from .store import KnowledgeGraph

_log = logging.getLogger("wsiskg.bulk")

DEFAULT_BULK_BYTES = 32 * 1024 * 1024
# The source rules' triples are written beside bulk_load for a file under this size, after
# it for a bigger one. Beside, the two bulk writes hold their buffers at once: at 1M triples
# (155 MB) the peak stays 1.1x bulk_load's and the load is 1.6 s shorter; at 10M (1.56 GB)
# the peak reached 1.8-2.05x bulk_load's 1.9 GiB, against 1.3x written after it
# (docs/benchmarks.md, the bulk path).
WRITE_BESIDE_BYTES = 512 * 1024 * 1024


@dataclass
class BulkFile:
    """The file a bulk load reads, and what it is loaded as."""

    path: Path
    fmt: ox.RdfFormat
    graph: ox.NamedNode
    name: str  # the source's name (file-<file name>), as the provenance records it
    base_iri: str


@dataclass
class Phases:
    """Where a bulk load's time went (seconds), for the benchmark and the log: ``seconds``
    per phase (they add up to the load), ``parts`` within one (each update of the commit)."""

    seconds: dict[str, float] = field(default_factory=dict)
    parts: dict[str, float] = field(default_factory=dict)

    def timed(self, name: str, started: float) -> float:
        now = time.perf_counter()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - started
        return now


def bulk_load_file(
    kg: KnowledgeGraph, file: BulkFile, *, force: bool = False, phases: Phases | None = None
) -> LoadRecord:
    """Replace ``file.graph`` with the file's triples through ``bulk_load`` (the module
    docstring); :class:`LoadError` for a file that fails the checks or does not parse,
    :class:`StoreError` for a store that cannot be written. Either way the store is as it
    was."""
    if not can_bulk_load(kg) or kg.location is None:
        raise StoreError(f"{kg.describe()} does not take bulk loads")
    if kg.entailments.maintained(file.graph.value):
        raise StoreError(f"{file.graph.value} is maintained by the store and cannot be loaded")
    phases = phases or Phases()
    version = loader_version()
    guard = BulkGuard(kg.location)
    store = kg.store
    assert isinstance(store, ox.Store)
    with kg._write_lock, guard.locked():
        started = time.perf_counter()
        known = kg.graph_source(file.graph)
        # loaded before: skipped if unchanged, as the transactional path does (the file is
        # read once more for its checksum first)
        if known is not None and not force and known == (sha256_of(file.path), version):
            return LoadRecord(file.graph.value, file.name, 0, None, 0)
        started = phases.timed("checksum", started)
        begun = datetime.now(UTC)
        guard.begin(store, {"graph": file.graph.value, "file": str(file.path)})
        del store
        phases.timed("checkpoint", started)
        try:
            count, source = _write(kg, file, phases)
            started = time.perf_counter()
            release = release_id(begun, [source])
            _commit(kg, file.graph, source, count, begun, release, version, phases)
            phases.timed("commit", started)
        except BaseException as e:
            restore_in_process(kg, guard, e)
            raise
        guard.end()
        kg._set_release(release)
    kg._committed()
    entailed = kg.graph_size(kg.ids.entailments_of(file.graph))
    _log.info("bulk load of %s: %s (%s)", file.path.name, phases.seconds, phases.parts)
    return LoadRecord(file.graph.value, file.name, count, release, entailed)


def _write(kg: KnowledgeGraph, file: BulkFile, phases: Phases) -> tuple[int, SourceInfo]:
    """Steps 2 to 5 of the module docstring; the triples in the graph, and the source (its
    checksum read by the checks)."""
    store = kg.store
    assert isinstance(store, ox.Store)
    graph, target = file.graph, kg.ids.entailments_of(file.graph)
    started = time.perf_counter()
    before = joined(kg.entailments.collect_scope([graph], lines_first=True))
    store.update(
        sparql_prefixes()
        + (before + " ;\n" if before else "")
        + f"DROP SILENT GRAPH {graph} ;\nDROP SILENT GRAPH {target}"
    )
    started = phases.timed("drop", started)
    why_not = streamable(graph, kg.entailments.ontology)
    derivation = (
        Derivation(read_axioms(store, kg.entailments.ontology)) if why_not is None else None
    )
    beside = file.path.stat().st_size < WRITE_BESIDE_BYTES
    scan = _load_and_scan(store, file, derivation, target if beside else None)
    started = phases.timed("bulk_load", started)
    if derivation is not None and not beside:
        derivation.write(store, target, scan.nfc)
    if derivation is not None and not derivation.written:
        why_not = derivation.fallback or "not derived"
    if why_not is not None:
        # bulk_load leaves its files as it wrote them: compacted, the rules' queries below
        # take about half the time (1M triples: 2 s of compaction, 4 s saved)
        store.optimize()
        started = phases.timed("optimize", started)
    if scan.nfc:
        store.update(_nfc_text(graph, scan.nfc))
    started = phases.timed("nfc", started)
    if why_not is not None:
        _log.info("the rules of %s run as SPARQL: %s", file.path.name, why_not)
        for query in kg.entailments.source_queries(graph):
            result = store.query(query)
            assert isinstance(result, ox.QueryTriples)
            store.bulk_extend(into_graph(result, target))
            del result
    started = phases.timed("rules", started)
    # the file's triples as the transactional path counts them (the scan counts N-Triples
    # lines; a Turtle file: the distinct triples stored)
    count = scan.triples if scan.triples is not None else kg.graph_size(graph)
    phases.timed("count", started)
    return count, SourceInfo(file.name, file.path.name, scan.sha256)


def _load_and_scan(
    store: ox.Store, file: BulkFile, derivation: Derivation | None, target: ox.NamedNode | None
) -> Scan:
    """``bulk_load`` in this thread (it releases the GIL), the checks in another and, in a
    third, the ``derivation`` (graph/bulk_rules.py): it reads the file and, given a
    ``target``, waits for the checks (the literals they put in NFC) and writes the
    entailments into it while ``bulk_load`` still runs. The checks' error, or the
    derivation's, once all are done."""
    outcome: list[Scan | BaseException] = []
    failed: list[BaseException] = []
    stop = threading.Event()
    name = file.path.name

    def check() -> None:
        try:
            outcome.append(scan_rdf(file.path, file.fmt, name, file.base_iri, stop))
        except BaseException as e:  # re-raised in the loading thread
            outcome.append(e)

    checker = threading.Thread(target=check, name="bulk-load-checks", daemon=True)
    helpers = [checker]

    def derive() -> None:
        assert derivation is not None
        try:
            derivation.read(file.path, file.fmt, file.base_iri, stop)
            checker.join()
            checked = outcome[0] if outcome else None
            if target is not None and isinstance(checked, Scan) and not stop.is_set():
                derivation.write(store, target, checked.nfc)
        except BaseException as e:  # re-raised in the loading thread: the load fails
            failed.append(e)

    if derivation is not None:
        helpers.append(threading.Thread(target=derive, name="bulk-load-rules", daemon=True))
    for helper in helpers:
        helper.start()
    try:
        store.bulk_load(
            path=str(file.path), format=file.fmt, base_iri=file.base_iri, to_graph=file.graph
        )
    except SyntaxError as e:
        stop.set()
        _join(helpers)
        found = outcome[0] if outcome else None
        if isinstance(found, LoadError):  # the checks name the line of what they refuse
            raise found from e
        raise LoadError(name, f"not valid {file.fmt.name}: {e}") from e
    except BaseException:
        stop.set()
        _join(helpers)
        raise
    _join(helpers)
    found = outcome[0]
    if isinstance(found, ScanCancelledError):
        raise StoreError(f"the checks of {name} were stopped")
    if isinstance(found, BaseException):
        raise found
    if failed:
        raise StoreError(f"the entailments of {name} could not be written: {failed[0]}") from (
            failed[0]
        )
    return found


def _join(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.join()


def _nfc_text(graph: ox.NamedNode, literals: dict[ox.Literal, ox.Literal]) -> str:
    """Each literal as the file has it replaced by its NFC form, wherever it is in
    ``graph`` (what the transactional path stores: every such literal in NFC)."""
    return " ;\n".join(
        f"DELETE {{ GRAPH {graph} {{ ?s ?p {old} }} }} "
        f"INSERT {{ GRAPH {graph} {{ ?s ?p {new} }} }} WHERE {{ GRAPH {graph} {{ ?s ?p {old} }} }}"
        for old, new in literals.items()
    )


def _commit(
    kg: KnowledgeGraph,
    graph: ox.NamedNode,
    source: SourceInfo,
    count: int,
    started: datetime,
    release: str,
    version: str,
    phases: Phases,
) -> None:
    """Step 6: the store-wide rules, each part an update of its own (in one transaction,
    each part would read the store through the writes of the parts before it: at 10M triples
    that took most of the load), then the record and the release. The marker is still there:
    a failure or a crash anywhere in between puts the checkpoint back."""
    used = source.entity or kg.ids.dataset(source.name)
    provenance = load_record(kg.ids, graph, used, source, count, started, release, 1, version)
    parts = [
        *kg.entailments.store_wide_after([graph], lines_first=True),
        forget_record(kg.provenance_graph, graph)
        + f"INSERT DATA {{ GRAPH {kg.provenance_graph} {{\n{provenance}\n}} }}",
    ]
    store = kg.store
    assert isinstance(store, ox.Store)
    try:
        for number, part in enumerate(parts, start=1):
            part_started = time.perf_counter()
            apply_part(store, part)  # an INSERT as CONSTRUCT + bulk_extend
            phases.parts[f"commit {number}/{len(parts)}"] = time.perf_counter() - part_started
    except (SyntaxError, OSError, RuntimeError, ValueError) as e:
        raise StoreError(f"loading {source.name} failed: {e}") from e
