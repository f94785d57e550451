"""Answers cached per data release: the data changes only when something is loaded.

The cache belongs to one KnowledgeGraph; a key is only ever looked up under the release it was
stored under, and the first look-up under a new release empties it, so a load invalidates
every cached answer at once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class AnswerCache:
    """A thread-safe LRU of answers for the current release."""

    def __init__(self, max_entries: int = 2048) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._release: str | None = None
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, release: str | None, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if release != self._release:
                self._entries.clear()
                self._release = release
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key]  # type: ignore[return-value]
            self.misses += 1
        value = compute()  # outside the lock: a slow query must not block cache hits
        with self._lock:
            if release == self._release:
                self._entries[key] = value
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)
