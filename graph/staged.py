"""The staged path of a big write: the same graphs, records and entailments as the one
transaction of graph/writing.py, written behind a checkpoint instead, several times faster.

Why: Oxigraph applies an update in one RocksDB transaction, and an ``INSERT DATA`` of half a
million triples is slow there (the built-in data: 25 s on disk, 2 s into a store in memory,
2026-12-06); its ``bulk_extend`` writes the same quads outside a transaction in a second or
two. So a write of :data:`STAGED_TRIPLES` triples or more, into an embedded store on disk
that this process holds alone and nothing in it reads meanwhile (``wsiskg load``:
:func:`graph.bulk_guard.can_bulk_load`), takes this path, all or nothing as the bulk path of
a big file is (graph/bulk.py, docs/reliability.md section 7):

1. a checkpoint of the store beside it, and the marker naming it (graph/bulk_guard.py): a
   crash or a failure from here on puts the store back as it was;
2. one update: the scope of the store-wide rules collected from the graphs as they were,
   then the old graphs and their PROV-O records dropped (what the transaction does first);
3. the new triples of every graph added with one ``bulk_extend`` (each call has a cost of
   its own: 30 ms, which a corpus batch of 100 documents paid 100 times);
4. the PROV-O records of the write (one update), then the entailments of the graphs
   written (graph/entailments.py), the parts the transaction ends with, each on its own
   (an INSERT-only part as its CONSTRUCT, whose triples ``bulk_extend`` adds; any other an
   update: :func:`graph.entailments.apply_part`): nothing reads the store meanwhile and the
   checkpoint undoes them all, and in one transaction every part reads the store through
   the writes of the parts before it (Oxigraph): the entailments of a batch of 100 documents
   took 3.5 times as long; the built-in data's whole write, each INSERT an update, 22 s
   instead of 15 (2026-12-07);
5. the marker removed (the write has happened), then the checkpoint.

The store then holds what the transaction would have written: the same triples (no
literal, IRI or blank node is rewritten on either path), records and entailments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ontology import sparql_prefixes

from .bulk_guard import BulkGuard, can_bulk_load, restore_in_process
from .entailments import apply_part
from .provenance import forget_record

if TYPE_CHECKING:
    from .store import KnowledgeGraph

# The fewest triples a write must have to take the staged path (a checkpoint costs
# milliseconds, but a small write gains nothing from it).
STAGED_TRIPLES = 50_000


@dataclass(frozen=True)
class StagedGraph:
    """One graph of a staged write: its triples, and the SPARQL text of its PROV-O record."""

    graph: ox.NamedNode
    triples: Sequence[ox.Triple]
    provenance: str


def can_stage(kg: KnowledgeGraph, triples: int) -> bool:
    """Whether a write of ``triples`` triples into ``kg`` takes the staged path."""
    return triples >= STAGED_TRIPLES and can_bulk_load(kg)


def staged_write(
    kg: KnowledgeGraph,
    graphs: Sequence[StagedGraph],
    before: str,
    after: Sequence[str],
    about: str,
) -> None:
    """Steps 1 to 5 of the module docstring, under the caller's write lock; ``before`` is
    the entailment text the transaction would run first, ``after`` the parts it would run
    last. A failure puts the checkpoint back and is raised again (the store is as it was)."""
    assert kg.location is not None
    guard = BulkGuard(kg.location)
    prefixes = sparql_prefixes()
    with guard.locked():
        store = kg.store
        assert isinstance(store, ox.Store)
        guard.begin(store, {"graphs": [g.graph.value for g in graphs], "write": about})
        try:
            drops = "".join(
                f"DROP SILENT GRAPH {g.graph} ;\n" + forget_record(kg.provenance_graph, g.graph)
                for g in graphs
            )
            store.update(prefixes + (before + " ;\n" if before else "") + drops.rstrip(" ;\n"))
            store.bulk_extend(
                ox.Quad(t.subject, t.predicate, t.object, g.graph)
                for g in graphs
                for t in g.triples
            )
            records = "\n".join(g.provenance for g in graphs)
            store.update(
                prefixes + f"INSERT DATA {{ GRAPH {kg.provenance_graph} {{\n{records}\n}} }}"
            )
            for part in after:  # outside a transaction: an INSERT as CONSTRUCT + bulk_extend
                apply_part(store, part)
        except BaseException as e:
            del store  # the last reference but the graph's: the restore closes the store
            restore_in_process(kg, guard, e)
            raise
        guard.end()
