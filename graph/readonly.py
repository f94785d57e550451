"""Reading a store that another process holds: a read-only view of its latest checkpoint.

An embedded store has one process at a time (RocksDB's lock), and opening it read-only while
that process writes is undefined behaviour (graph/executor.py). But ``wsiskg serve`` keeps
checkpoints of the store beside it (``<store>.checkpoints/NNNN-<release>``, one release each,
never changed once made): a reader links the newest one into a private directory (the
immutable ``.sst`` data files hard-linked, the few small others copied) and opens that
read-only. The server may delete its checkpoint meanwhile; the private links keep the data.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from ontology.ids import Ids

from .store import KnowledgeGraph, StoreError


class NoCheckpointError(StoreError):
    """The store is held by another process and there is no checkpoint of it to read."""


def checkpoints_dir(location: Path) -> Path:
    """Where the query executor of the store at ``location`` keeps its checkpoints."""
    return location.parent / f"{location.name}.checkpoints"


def checkpoint_name(sequence: int, release: str | None) -> str:
    return f"{sequence:04d}-{release or 'empty'}"


def latest_checkpoint(location: Path) -> Path | None:
    """The newest finished checkpoint of the store at ``location``, or None."""
    try:
        entries = list(checkpoints_dir(location).iterdir())
    except OSError:
        return None
    numbered = [
        (int(head), entry)
        for entry in entries
        if (head := entry.name.partition("-")[0]).isdigit() and entry.is_dir()
    ]
    return max(numbered)[1] if numbered else None


def _link_or_copy(source: str, target: str) -> None:
    if source.endswith(".sst"):  # immutable once written: share it
        with contextlib.suppress(OSError):
            os.link(source, target)
            return
    shutil.copy2(source, target)


@contextlib.contextmanager
def read_only_view(location: Path, ids: Ids | None = None) -> Iterator[KnowledgeGraph]:
    """The latest checkpoint of the store at ``location`` (held by another process), open
    read-only in a private directory beside it, removed on exit. Raises
    :class:`NoCheckpointError` when there is no checkpoint to read."""
    view = location.parent / f".{location.name}.view-{uuid.uuid4().hex[:12]}"
    try:
        for _attempt in range(3):  # the server may delete a checkpoint while it is linked
            checkpoint = latest_checkpoint(location)
            if checkpoint is None:
                raise NoCheckpointError(
                    f"the store at {location} is in use by another process (is `wsiskg serve` "
                    "running?) and has no checkpoint to read yet (the service makes one once "
                    "it has loaded): try again when it serves"
                )
            try:
                shutil.copytree(checkpoint, view, copy_function=_link_or_copy)
                store = ox.Store.read_only(str(view))
                break
            except (OSError, shutil.Error):
                shutil.rmtree(view, ignore_errors=True)
        else:
            raise StoreError(f"cannot read a checkpoint of the store at {location}")
        kg = KnowledgeGraph(store, ids or Ids(), view, read_only_of=location)
        try:
            yield kg
        finally:
            del kg, store
    finally:
        shutil.rmtree(view, ignore_errors=True)
