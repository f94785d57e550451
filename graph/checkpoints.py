"""The checkpoints the query workers answer from (graph/executor.py): made when the store
moved, published by a writer that prepares its release first, pinned for a computation that
must run on one release, pruned when nothing uses them.

A mixin of :class:`~graph.executor.QueryExecutor`, which owns the state it works on (the
attributes declared below: the worker pool's own lock guards them); kept apart because
choosing the release a query answers from is a job of its own beside running the workers.
See graph/executor.py's docstring, "Why checkpoints", "What is atomic" and "Publishing a
release".
"""

from __future__ import annotations

import contextlib
import itertools
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.errors import ExecutorError, StoreError
from graph.readonly import checkpoint_name
from graph.store import KnowledgeGraph


@dataclass(frozen=True)
class Checkpoint:
    """An immutable copy of the store holding one release (see the module's docstring)."""

    path: Path
    release: str | None
    generation: int  # the store's count of its writes when it was made (KnowledgeGraph.writes)


# the checkpoint the queries of this thread (context) run on instead of the current one: a
# release being prepared before it is published (:meth:`QueryExecutor.next_release`)
_PINNED: ContextVar[Checkpoint | None] = ContextVar("wsiskg_pinned_checkpoint", default=None)
# when the pinned queries must have ended (time.monotonic()): a warming's time is bounded
_UNTIL: ContextVar[float | None] = ContextVar("wsiskg_pinned_until", default=None)


def pinned_checkpoint() -> Checkpoint | None:
    """The checkpoint this context's queries are pinned to, if any."""
    return _PINNED.get()


def pinned_until() -> float | None:
    """When this context's pinned queries must have ended (time.monotonic()), if ever."""
    return _UNTIL.get()


class CheckpointsMixin:
    """The checkpoints of a :class:`~graph.executor.QueryExecutor` (see the module)."""

    kg: KnowledgeGraph
    checkpoints_dir: Path
    lease: float
    _lock: threading.Lock
    _checkpoint_lock: threading.Lock
    _pool: set[Any]  # the executor's workers (graph/executor.py _Worker)
    _checkpoints: list[Path]
    _current: Checkpoint | None
    _staged: set[Path]
    _publisher: bool
    _unpublished: bool
    _waiting: tuple[int, float] | None
    _pins: dict[Path, int]
    _sequence: itertools.count[int]

    def _checkpoint(self) -> Checkpoint:
        """The checkpoint a query runs on: the one pinned for this context, else the current
        one, made first if the store changed since it was (unless a writer publishes its
        commits: then the current one until it has, :meth:`attach_publisher`)."""
        pinned = _PINNED.get()
        if pinned is not None:
            return pinned
        current = self._current  # without the lock: a writer's checkpoint is not waited for
        if current is not None and (self._held() or current.generation == self.kg.writes):
            return current
        with self._checkpoint_lock:
            current = self._current
            if current is not None and (self._held() or current.generation == self.kg.writes):
                return current
            checkpoint = self._make(staged=False)
            self._unpublished = False
        self._prune()
        return checkpoint

    def _make(self, *, staged: bool) -> Checkpoint:
        """A checkpoint of the store now (with ``_checkpoint_lock`` held): current at once,
        or ``staged`` (kept, not current, until :meth:`_publish`)."""
        generation = self.kg.writes  # read before the backup: a later commit re-triggers
        temporary = self.checkpoints_dir / f".tmp-{uuid.uuid4().hex}"
        try:
            release = self.kg.checkpoint(temporary)
            path = self.checkpoints_dir / checkpoint_name(next(self._sequence), release)
            temporary.rename(path)
        except (StoreError, OSError) as e:
            shutil.rmtree(temporary, ignore_errors=True)
            raise ExecutorError(f"cannot checkpoint the store: {e}") from e
        checkpoint = Checkpoint(path, release, generation)
        with self._lock:
            self._checkpoints.append(path)
            if staged:
                self._staged.add(path)
            else:
                self._current = checkpoint
        return checkpoint

    # ------------------------------------------------------------------ publishing a release

    def attach_publisher(self) -> None:
        """From now on a commit is not checkpointed on behalf of the next query: the writer
        publishes it (:meth:`next_release`, from its commit hook) once it has prepared what
        the new release needs, and until then every query answers from the current
        checkpoint: the release before the write, whole. What the store holds now is
        published at once. A write whose hook never publishes would leave the queries on
        the old release: the query service attaches itself only with its commit hook in
        place, and detaches when the hook comes off (graph/service.py)."""
        with self._checkpoint_lock:
            self._publisher = True
            current = self._current
            if current is None or current.generation == self.kg.writes:
                return
            self._make(staged=False)
        self._prune()

    def _held(self) -> bool:
        """Whether a commit waits for its writer to publish it: while a publisher is
        attached, unless its checkpoint failed, and for at most :attr:`lease` seconds (a
        write that never reached its hook, a hook that failed before publishing)."""
        if not self._publisher or self._unpublished:
            return False
        current, writes = self._current, self.kg.writes
        if current is None or current.generation == writes:
            return True
        waiting, now = self._waiting, time.monotonic()
        if waiting is None or waiting[0] != writes:
            self._waiting = (writes, now)
            return True
        return now - waiting[1] <= self.lease

    def release_now(self) -> str | None:
        """The release the next query of this context answers from, when the writer
        publishes the commits (pinned, or the current checkpoint's); None otherwise (the
        next query checkpoints the store's latest: its release is the graph's). Never
        makes a checkpoint: cheap enough for every request."""
        pinned = _PINNED.get()
        if pinned is not None:
            return pinned.release
        current = self._current
        if current is not None and self._held():
            return current.release
        return None

    def current_checkpoint(self) -> Checkpoint:
        """The checkpoint the next query of this context runs on (made first if the store
        moved and nothing publishes it): pin it to run several queries on one release."""
        return self._checkpoint()

    def detach_publisher(self) -> None:
        """Back to checkpointing each commit for the next query."""
        with self._checkpoint_lock:
            self._publisher = False

    @property
    def publishes(self) -> bool:
        """Whether a writer publishes the commits (:meth:`attach_publisher`)."""
        return self._publisher

    @contextlib.contextmanager
    def next_release(self) -> Iterator[Checkpoint | None]:
        """The checkpoint of the store as it is now (None when the current one holds it
        already), for the block to prepare the new release on (:meth:`pinned`); it is
        published when the block ends, however it ends."""
        with self._checkpoint_lock:
            current = self._current
            try:
                staged = (
                    None
                    if current is not None and current.generation == self.kg.writes
                    else self._make(staged=True)
                )
            except BaseException:
                self._unpublished = True  # the next query checkpoints it
                raise
        try:
            yield staged
        finally:
            if staged is not None:
                self._publish(staged)

    def _publish(self, checkpoint: Checkpoint) -> None:
        # not _checkpoint_lock: a later write may hold it while it checkpoints its own commit
        with self._lock:
            self._staged.discard(checkpoint.path)
            current = self._current
            if current is None or checkpoint.generation >= current.generation:
                self._current = checkpoint
        self._prune()

    @contextlib.contextmanager
    def pinned(self, checkpoint: Checkpoint, until: float | None = None) -> Iterator[None]:
        """The queries of this context run on ``checkpoint`` while the block runs (kept from
        pruning meanwhile); with ``until`` (time.monotonic()), each with a deadline that ends
        by then at the latest."""
        with self._lock:
            self._pins[checkpoint.path] = self._pins.get(checkpoint.path, 0) + 1
        pinned, bounded = _PINNED.set(checkpoint), _UNTIL.set(until)
        try:
            yield
        finally:
            _UNTIL.reset(bounded)
            _PINNED.reset(pinned)
            with self._lock:
                left = self._pins[checkpoint.path] - 1
                if left:
                    self._pins[checkpoint.path] = left
                else:
                    del self._pins[checkpoint.path]
            self._prune()

    def _prune(self) -> None:
        """Delete the checkpoints that are neither current nor open in a worker."""
        with self._lock:
            if self._current is None:
                return
            keep = (
                {self._current.path}
                | self._staged
                | set(self._pins)
                | {w.checkpoint for w in self._pool}
            )
            stale = [p for p in self._checkpoints if p not in keep]
            self._checkpoints = [p for p in self._checkpoints if p in keep]
        for path in stale:
            shutil.rmtree(path, ignore_errors=True)
