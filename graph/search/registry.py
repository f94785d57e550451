"""The search index of each KnowledgeGraph in this process: opened on first use, kept in step
by a ``KnowledgeGraph.on_commit`` callback, closed by :func:`detach`.

Each committed write updates the index before the writer returns; the first search after a
start catches up (:meth:`SearchIndex.ensure_current`) with writes made while no index was
attached (``wsiskg load`` from the command line).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence

from ..store import KnowledgeGraph
from .hits import SearchResult
from .index import SearchIndex, index_path
from .syntax import parse_query

_attached: weakref.WeakKeyDictionary[KnowledgeGraph, SearchIndex] = weakref.WeakKeyDictionary()
_attach_lock = threading.Lock()


def attach(kg: KnowledgeGraph) -> SearchIndex:
    """The search index of ``kg``, opened on first use (beside the store, or in memory) and
    kept in step by a ``kg.on_commit`` callback. It is not synced here:
    :meth:`SearchIndex.ensure_current` does that when it is needed."""
    with _attach_lock:
        index = _attached.get(kg)
        if index is not None and not index.closed:
            return index
        index = SearchIndex(index_path(kg))
        _attached[kg] = index
        kg.on_commit[:] = [c for c in kg.on_commit if not isinstance(c, _SyncAfterCommit)]
        kg.on_commit.append(_SyncAfterCommit(weakref.ref(kg), index))
        return index


def detach(kg: KnowledgeGraph) -> None:
    """Close the index of ``kg`` and stop keeping it in step."""
    with _attach_lock:
        index = _attached.pop(kg, None)
        kg.on_commit[:] = [c for c in kg.on_commit if not isinstance(c, _SyncAfterCommit)]
    if index is not None:
        index.close()


class _SyncAfterCommit:
    """The on_commit callback: sync the index; never raise (a failed sync is retried by the
    next search, whose release check finds the index behind)."""

    def __init__(self, kg: weakref.ref[KnowledgeGraph], index: SearchIndex) -> None:
        self.kg = kg
        self.index = index

    def __call__(self, release: str | None) -> None:
        kg, index = self.kg(), self.index
        if kg is None or index.closed:
            return
        try:
            index.sync(kg)
        except Exception as e:  # the callback must not raise: the write has committed
            index.stats.errors.append(f"sync to {release}: {type(e).__name__}: {e}")


def search(
    kg: KnowledgeGraph,
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    kinds: Sequence[str] = (),
    resolution: str | None = None,
    document: str | None = None,
) -> SearchResult:
    """Search ``kg``'s texts: its attached index, brought up to date first if it is behind."""
    parsed = parse_query(query)  # a bad query costs nothing
    index = attach(kg)
    index.ensure_current(kg)
    return index.search(
        parsed, limit=limit, offset=offset, kinds=kinds, resolution=resolution, document=document
    )
