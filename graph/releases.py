"""Which release is current, as a KnowledgeGraph knows it without asking the store each time.

Read from the store once and then kept up to date by the graph's own writes (the embedded
store: in this process only graph/ writes, and one store directory has one writing process),
or, on a shared store (a SPARQL server other processes write), read again when the last read
is ``ttl`` seconds old, so that another process's load is seen within that time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Releases:
    """The current release of one store."""

    def __init__(self, ttl: float | None) -> None:
        self.ttl = ttl
        self._release: str | None = None
        self._known = False
        self._read_at = 0.0  # time.monotonic() when the release was last read
        self._lock = threading.Lock()
        self.writes = 0  # own writes: a read that overlapped one is not kept

    def current(self, read: Callable[[], str | None]) -> str | None:
        """The current release; ``read`` asks the store (a query) when it is time to."""
        ttl = self.ttl
        if self._known and (ttl is None or time.monotonic() - self._read_at < ttl):
            return self._release
        writes, started = self.writes, time.monotonic()
        value = read()
        with self._lock:
            if self.writes == writes:  # else a write of ours committed meanwhile: keep it
                self._release = value
                self._known, self._read_at = True, started
            return self._release

    def written(self, release: str | None) -> None:
        """After a write of ours: ``release`` is current (None: read it again)."""
        with self._lock:
            self.writes += 1
            self._release, self._known = release, release is not None
            self._read_at = time.monotonic()
