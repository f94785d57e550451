"""Rolling the embedded store back to a kept release (graph/history.py): the undo of a write.

A rollback is a write like any other: ONE SPARQL update, so one transaction (a rollback that
fails or is killed leaves the store exactly as it was), recorded in the provenance as a
``wsis:Rollback`` activity that generates a new release (ETags and caches move on), followed
by the commit hook (query workers, search index, precomputed answers) and kept as a
checkpoint itself, so that a rollback can be undone too.

What it writes, from the checkpoint of the release rolled back to:

* every data graph (each named graph but the provenance, and the default graph) that differs
  from the checkpoint's is dropped and its triples as they were are inserted; a graph equal to
  the checkpoint's (same size, same N-Triples) is left alone, so undoing a small update costs
  little, while undoing a ``DROP ALL`` re-inserts everything (22-44 s for the 444k quads
  of the built-in store on a 2-core machine: the write lock is held that long, readers answer
  from the release before);
* the provenance keeps every record, plus the rollback's. Only the links that say which load
  generated each graph now (``?graph prov:wasGeneratedBy ?load``, ``?load prov:generated
  ?graph``), which a load moves too, become the checkpoint's: a later load of an unchanged
  source is then skipped or not as it would have been at that release.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pyoxigraph as ox

from loaders.rdf import SourceInfo
from ontology import PROV, WSIS

from .errors import StoreError
from .history import NoHistoryError, ReleaseHistory
from .provenance import release_id, rollback_record

if TYPE_CHECKING:
    from .store import KnowledgeGraph

Graph = ox.NamedNode | ox.DefaultGraph


@dataclass(frozen=True)
class RolledBack:
    """What a rollback did."""

    release: str  # the new release it made
    target: str  # the release rolled back to
    graphs: list[str]  # the graphs it put back ("" the default graph)
    quads: int  # the quads it inserted
    seconds: float


def _no_history(kg: KnowledgeGraph) -> NoHistoryError:
    if kg.shared:
        return NoHistoryError(
            f"the store is a SPARQL server ({kg.describe()}): it keeps no checkpoints of its "
            "releases, so there is nothing to list or roll back to here; use the server's own "
            "backups (docs/deploy.md)"
        )
    if kg.location is None:
        return NoHistoryError("an in-memory store keeps no checkpoints of its releases")
    return NoHistoryError(
        f"the store at {kg.describe()} keeps no checkpoints of its releases "
        "(WSISKG_KEEP_RELEASES=0)"
    )


def history_of(kg: KnowledgeGraph) -> ReleaseHistory:
    """The kept releases of ``kg``, or :class:`NoHistoryError` saying why there are none."""
    if kg.history is None or kg.shared or kg.location is None:
        raise _no_history(kg)
    return kg.history


def _sizes(store: ox.Store) -> dict[Graph, int]:
    """Triples per data graph (named graphs and the default graph)."""
    sizes: dict[Graph, int] = {}
    result = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert isinstance(result, ox.QuerySolutions)
    for row in result:
        graph, count = row["g"], row["n"]
        if isinstance(graph, ox.NamedNode) and count is not None:
            sizes[graph] = int(count.value)
    default = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    if default:
        sizes[ox.DefaultGraph()] = default
    return sizes


def _triples(store: ox.Store, graph: Graph) -> bytes:
    return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b""


def _links(store: ox.Store, provenance: ox.NamedNode) -> str:
    """The checkpoint's links from each graph to the load that generated it, as N-Triples."""
    result = store.query(
        f"CONSTRUCT {{ ?g {PROV.wasGeneratedBy} ?l . ?l {PROV.generated} ?g }} WHERE {{ "
        f"GRAPH {provenance} {{ ?l {WSIS.namedGraph} ?g . "
        f"{{ ?g {PROV.wasGeneratedBy} ?l }} UNION {{ ?l {PROV.generated} ?g }} }} }}"
    )
    assert isinstance(result, ox.QueryTriples)
    # keep only the links the checkpoint states (the CONSTRUCT builds both from either)
    stated = [t for t in result if ox.Quad(t.subject, t.predicate, t.object, provenance) in store]
    return "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in stated)


def _data_changes(
    live: ox.Store, checkpoint: ox.Store, provenance: ox.NamedNode
) -> list[tuple[Graph, bytes, int]]:
    """The graphs that differ between the live store and the checkpoint, and the
    checkpoint's triples of each: [(graph, N-Triples bytes, triples)]."""
    now, then = _sizes(live), _sizes(checkpoint)
    changes: list[tuple[Graph, bytes, int]] = []
    for graph in sorted({*now, *then}, key=str):
        if graph == provenance:
            continue
        triples = _triples(checkpoint, graph) if graph in then else b""
        if now.get(graph, 0) == then.get(graph, 0) and triples == _triples(live, graph):
            continue
        changes.append((graph, triples, then.get(graph, 0)))
    return changes


def rollback(kg: KnowledgeGraph, target: str) -> RolledBack:
    """Put the data graphs of ``kg`` back as they were at the kept release ``target``, in one
    transaction, recorded as a new release (see the module's docstring). Raises
    :class:`NoHistoryError` (no checkpoints kept), :class:`UnknownReleaseError` (none of
    ``target``) or :class:`StoreError` (the update failed: nothing changed)."""
    history = history_of(kg)
    kg._writable()
    clock = time.monotonic()
    provenance = kg.provenance_graph
    with kg._write_lock:
        path = history.path_of(target)
        assert isinstance(kg.store, ox.Store)
        try:
            checkpoint = ox.Store.read_only(str(path))
        except OSError as e:
            raise StoreError(f"cannot open the checkpoint of release {target}: {e}") from e
        try:
            changes = _data_changes(kg.store, checkpoint, provenance)
            links = _links(checkpoint, provenance)
        finally:
            del checkpoint
        drops: list[str] = []
        blocks: list[str] = []
        digest = hashlib.sha256()
        for graph, triples, _ in changes:
            digest.update(f"{graph}\n".encode())
            digest.update(triples)
            text = triples.decode()
            if isinstance(graph, ox.DefaultGraph):
                drops.append("DROP SILENT DEFAULT")
                blocks.insert(0, text)
            else:
                drops.append(f"DROP SILENT GRAPH {graph}")
                blocks.append(f"GRAPH {graph} {{\n{text}\n}}")
        started = datetime.now(UTC)
        release = release_id(started, [SourceInfo("rollback", target, digest.hexdigest())])
        record = rollback_record(kg.ids, target, digest.hexdigest(), started, release)
        update = "".join(f"{d} ;\n" for d in drops) + (
            f"DELETE {{ GRAPH {provenance} {{ ?g {PROV.wasGeneratedBy} ?l }} }} WHERE {{ "
            f"GRAPH {provenance} {{ ?l {WSIS.namedGraph} ?g . ?g {PROV.wasGeneratedBy} ?l }} }} ;\n"
            f"DELETE {{ GRAPH {provenance} {{ ?l {PROV.generated} ?g }} }} WHERE {{ "
            f"GRAPH {provenance} {{ ?l {WSIS.namedGraph} ?g ; {PROV.generated} ?g }} }} ;\n"
            "INSERT DATA {\n"
            + "\n".join(blocks)
            + f"\nGRAPH {provenance} {{\n{links}\n{record}\n}}\n}}"
        )
        try:
            kg.store.update(update)
        except (SyntaxError, OSError, RuntimeError, ValueError) as e:
            raise StoreError(f"the rollback to release {target} failed: {e}") from e
        kg._set_release(release)
    kg._committed()
    return RolledBack(
        release,
        target,
        [g.value if isinstance(g, ox.NamedNode) else "" for g, _, _ in changes],
        sum(n for _, _, n in changes),
        time.monotonic() - clock,
    )


def keep_current(kg: KnowledgeGraph) -> None:
    """Keep a checkpoint of the current release unless one is (a store written before it
    kept its releases, or with none kept yet): when the service starts, so that the release
    it serves can be rolled back to."""
    history = kg.history
    if history is not None and isinstance(kg.store, ox.Store) and kg.read_only_of is None:
        with kg._write_lock:
            history.record_current(kg.store, kg.current_release())
