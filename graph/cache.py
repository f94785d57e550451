"""Answers cached per data release: the data changes only when something is loaded.

The cache belongs to one query service. A key is only ever looked up under the release it was
stored under: a load makes a new release, whose answers start empty, so a load invalidates
every cached answer at once. The answers of the three releases used most recently are kept:
the one answering, and those being prepared after writes (graph/service.py, "warming": a
release is filled with the answers asked most recently before it is published; two writes in
a row may overlap there).

Each answer is kept with its recipe: how to compute it again from a query source (a function
of the source, never a closure over it: the service holds the cache, and a recipe that held
the service would keep it, its graph and the graph's store alive until the garbage collector
ran).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, NamedTuple, TypeVar

T = TypeVar("T")
Recipe = Callable[[Any], Any]


class Kept(NamedTuple):
    """A kept answer's key, its recipe, and the seconds its computation took."""

    key: Hashable
    recipe: Recipe
    seconds: float


# the releases kept, the least recently used dropped first: the one published and up to two
# being warmed before they are
GENERATIONS = 3


class AnswerCache:
    """A thread-safe LRU of answers per release (of the :data:`GENERATIONS` releases used
    most recently)."""

    def __init__(self, max_entries: int = 2048) -> None:
        self.max_entries = max_entries
        # release -> key -> (answer, recipe, seconds its computation took)
        self._generations: OrderedDict[str | None, OrderedDict[Hashable, tuple[Any, Recipe, float]]]
        self._generations = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def _entries(self, release: str | None) -> OrderedDict[Hashable, tuple[Any, Recipe, float]]:
        """The answers of ``release`` (made empty when it is new; with ``_lock`` held)."""
        entries = self._generations.get(release)
        if entries is None:
            entries = self._generations[release] = OrderedDict()
            while len(self._generations) > GENERATIONS:
                self._generations.popitem(last=False)
        else:
            self._generations.move_to_end(release)
        return entries

    def get_or_compute(
        self, release: str | None, key: Hashable, recipe: Callable[[Any], T], source: object
    ) -> T:
        """The answer of ``key`` in ``release``; computed as ``recipe(source)`` when it is not
        kept, and kept with its recipe."""
        with self._lock:
            entries = self._entries(release)
            if key in entries:
                entries.move_to_end(key)
                self.hits += 1
                return entries[key][0]  # type: ignore[no-any-return]
            self.misses += 1
        started = time.monotonic()
        value = recipe(source)  # outside the lock: a slow query must not block cache hits
        self.put(release, key, value, recipe, time.monotonic() - started)
        return value

    def open(self, release: str | None) -> None:
        """Keep answers for ``release`` from now on (a release being prepared)."""
        with self._lock:
            self._entries(release)

    def put(
        self, release: str | None, key: Hashable, value: object, recipe: Recipe, seconds: float
    ) -> None:
        """Keep ``value`` as the answer of ``key`` in ``release``, computed in ``seconds``
        (unless that release was dropped meanwhile: others were used since)."""
        with self._lock:
            entries = self._generations.get(release)
            if entries is None:
                return
            entries[key] = (value, recipe, seconds)
            entries.move_to_end(key)
            while len(entries) > self.max_entries:
                entries.popitem(last=False)

    def recent(self, release: str | None, limit: int) -> list[Kept]:
        """The keys of ``release``, their recipes and costs, the most recently asked first."""
        with self._lock:
            entries = self._generations.get(release)
            if entries is None:
                return []
            kept = [Kept(key, recipe, seconds) for key, (_, recipe, seconds) in entries.items()]
            return kept[::-1][:limit]

    def __len__(self) -> int:
        """The answers of the newest release kept."""
        with self._lock:
            if not self._generations:
                return 0
            return len(next(reversed(self._generations.values())))
