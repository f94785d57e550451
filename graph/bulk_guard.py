"""The checkpoint that makes a bulk load crash-safe (graph/bulk.py; docs/reliability.md,
section 7).

A bulk load writes the store outside any transaction (Oxigraph's ``bulk_load`` adds its
files as it goes). Before its first write it takes a checkpoint of the store beside it:

    <store>.bulk/checkpoint/   ``Store.backup``: the data files hard-linked (milliseconds)
    <store>.bulk/marker.json   written (and fsynced) once the checkpoint is complete: which
                               graph, which file, which process
    <store>.bulk/lock          ``flock``ed by the loading process while it runs

and removes the marker once the load's last transaction (its provenance and release) has
committed. A marker that is still there means a bulk load that did not finish: whoever opens
the store next (:func:`recover`, from ``KnowledgeGraph.open``) puts the checkpoint back in
place of the store, by renames that a second recovery repeats or completes if the first was
killed, and says so in the log. The lock keeps a recovery from running while a load is
still under way, and two recoveries apart. A load that fails in its own process (a bad IRI,
a syntax error) restores the same way at once (graph/bulk.py).
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import json
import logging
import os
import shutil
import traceback
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .errors import StoreError, StoreInUseError

if TYPE_CHECKING:
    from .store import KnowledgeGraph

_log = logging.getLogger("wsiskg.bulk")


def guard_dir(location: Path) -> Path:
    """Where the bulk loads of the store at ``location`` keep their checkpoint."""
    return location.parent / f"{location.name}.bulk"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class BulkGuard:
    """The checkpoint, marker and lock of the store at ``location``."""

    def __init__(self, location: Path) -> None:
        self.location = location
        self.directory = guard_dir(location)
        self.checkpoint = self.directory / "checkpoint"
        self.marker = self.directory / "marker.json"
        self.failed = self.directory / "failed"
        self.lock_path = self.directory / "lock"

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the lock (:class:`StoreInUseError` if another process does)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with self.lock_path.open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as e:
                raise StoreInUseError(
                    f"the store at {self.location} is being bulk-loaded (or recovered) by "
                    "another process"
                ) from e
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def pending(self) -> bool:
        """Whether a bulk load did not finish (its checkpoint is to be put back)."""
        return self.marker.exists()

    def begin(self, store: ox.Store, about: dict[str, Any]) -> None:
        """Checkpoint ``store`` (under the lock), then write the marker: from here on, a
        crash puts the store back as it is now."""
        if self.pending():
            raise StoreError(f"{self.marker} is there: open the store again to recover first")
        self.directory.mkdir(parents=True, exist_ok=True)
        # what a crash before a marker, or after it, left (RocksDB writes <checkpoint>.tmp)
        for stale in (self.checkpoint, self.checkpoint.with_suffix(".tmp"), self.failed):
            shutil.rmtree(stale, ignore_errors=True)
        store.flush()
        try:
            store.backup(str(self.checkpoint))
        except OSError as e:
            raise StoreError(f"cannot checkpoint the store into {self.checkpoint}: {e}") from e
        _fsync_dir(self.directory)
        record = {
            **about,
            "store": str(self.location),
            "pid": os.getpid(),
            "started": datetime.now(UTC).isoformat(),
        }
        partial = self.directory / "marker.json.partial"
        with partial.open("w", encoding="utf-8") as handle:
            json.dump(record, handle)
            handle.flush()
            os.fsync(handle.fileno())
        partial.replace(self.marker)
        _fsync_dir(self.directory)

    def end(self) -> None:
        """The load committed: the marker goes first (the store is the new one from here on),
        then the checkpoint."""
        self.marker.unlink(missing_ok=True)
        _fsync_dir(self.directory)
        shutil.rmtree(self.checkpoint, ignore_errors=True)

    def restore(self) -> bool:
        """Put the checkpoint back in place of the store (the store must not be open), then
        drop the marker; every step can be repeated, so a recovery that is killed is
        completed by the next one. Whether there was anything to restore."""
        if not self.pending():
            return False
        about = self.marker.read_text(encoding="utf-8")
        if self.checkpoint.exists():
            if self.location.exists():
                shutil.rmtree(self.failed, ignore_errors=True)
                self.location.rename(self.failed)
                _fsync_dir(self.location.parent)
            self.checkpoint.rename(self.location)
            _fsync_dir(self.location.parent)
        elif not self.location.exists():
            raise StoreError(
                f"a bulk load into {self.location} did not finish and neither the store nor "
                f"its checkpoint {self.checkpoint} is there"
            )
        self.marker.unlink()
        _fsync_dir(self.directory)
        shutil.rmtree(self.failed, ignore_errors=True)
        _log.warning(
            "a bulk load did not finish (%s): the store at %s is back as it was before it",
            about,
            self.location,
        )
        return True


def recover(location: Path) -> bool:
    """Before the store at ``location`` is opened: put it back as it was before a bulk load
    that did not finish (:class:`StoreInUseError` while a load is under way). Whether it
    was."""
    guard = BulkGuard(location)
    if not guard.pending():
        return False
    with guard.locked():
        return guard.restore()


def can_bulk_load(kg: KnowledgeGraph) -> bool:
    """Whether ``kg`` takes bulk loads: an embedded store on disk, held by this process
    alone and read by nobody else in it (no query service hooked to its commits)."""
    return (
        isinstance(kg.store, ox.Store)
        and kg.location is not None
        and kg.read_only_of is None
        and not kg.on_commit
    )


def restore_in_process(kg: KnowledgeGraph, guard: BulkGuard, error: BaseException) -> None:
    """After a failed bulk or staged write, put the checkpoint back in place of the store, in
    this process: the store is closed (its last reference dropped, with those the failure's
    traceback holds), restored and opened again. If that fails, the marker stays, and the
    next open restores."""
    location = guard.location
    traceback.clear_frames(error.__traceback__)
    kg.store = ox.Store()  # nothing refers to the store on disk any more: RocksDB closes it
    gc.collect()
    try:
        guard.restore()
    except (OSError, StoreError) as e:
        _log.error("could not put the store at %s back yet: %s", location, e)
    try:
        kg.store = ox.Store(str(location))
    except OSError as e:  # the next open restores it (the marker is there)
        raise StoreError(
            f"the write failed ({error}) and the store at {location} could not be opened "
            f"again: {e}; open it again to put it back as it was"
        ) from e
    kg._length = None
