"""ETags from the data release: the data changes only when something is loaded.

Every successful GET carries ``ETag: "<release>-<digest of the request>"`` (the request's path,
query string and Accept header, so two representations never share a tag, and the day: an
answer without ``as_of`` is what is in force today, so it changes at midnight (UTC)) and
``Cache-Control: no-cache`` (clients revalidate); ``If-None-Match`` with a current tag gets
``304 Not Modified`` without running the route at all.

The same key also keys a response cache (:class:`ResponseCache`): a 200 answer to a GET is kept,
headers and body, until the release changes, so a dashboard's repeat call is answered from
memory without routing, parameter validation, shaping or serialisation. Bounded by entry and
total size (LRU). ``/metrics`` and ``/health`` describe the process, not the data: they carry
no ETag and are never cached.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.clock import today


def entity_tag(release: str, scope: Scope) -> str:
    headers = Headers(scope=scope)
    request = b"\x1f".join(
        [
            scope.get("path", "").encode(),
            scope.get("query_string", b""),
            headers.get("accept", "").encode(),
            today().encode(),
        ]
    )
    return f'"{release}-{hashlib.sha256(request).hexdigest()[:16]}"'


def _matches(if_none_match: str, tag: str) -> bool:
    candidates = [c.strip().removeprefix("W/") for c in if_none_match.split(",")]
    return "*" in candidates or tag in candidates


# Answers about the process, not the data: they change without a new release.
UNCACHED_PATHS = frozenset({"/metrics", "/health"})


class ResponseCache:
    """Complete 200 answers of the current release, keyed by their entity tag (LRU)."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024, max_entry: int = 4 * 1024 * 1024):
        self.max_bytes = max_bytes
        self.max_entry = max_entry
        self._entries: OrderedDict[str, tuple[list[tuple[bytes, bytes]], bytes]] = OrderedDict()
        self._release: str | None = None
        self._size = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, release: str, tag: str) -> tuple[list[tuple[bytes, bytes]], bytes] | None:
        with self._lock:
            if release != self._release:
                self._entries.clear()
                self._size = 0
                self._release = release
            entry = self._entries.get(tag)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(tag)
            self.hits += 1
            return entry

    def put(self, release: str, tag: str, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        if len(body) > self.max_entry:
            return
        with self._lock:
            if release != self._release or tag in self._entries:
                return  # a load committed meanwhile: this answer may be of the old release
            self._entries[tag] = (headers, body)
            self._size += len(body)
            while self._size > self.max_bytes and self._entries:
                _, (_, old) = self._entries.popitem(last=False)
                self._size -= len(old)

    def __len__(self) -> int:
        return len(self._entries)


class ReleaseETagMiddleware:
    """Pure ASGI middleware: ETags, 304s, and a per-release cache of complete GET answers
    (a response is buffered only while it stays under the cache's entry limit)."""

    def __init__(
        self,
        app: ASGIApp,
        release: Callable[[], str | None],
        cache: ResponseCache | None = None,
    ) -> None:
        self.app = app
        self.release = release
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or scope.get("path") in UNCACHED_PATHS
        ):
            await self.app(scope, receive, send)
            return
        release = self.release()
        if release is None:
            await self.app(scope, receive, send)
            return
        tag = entity_tag(release, scope)
        if_none_match = Headers(scope=scope).get("if-none-match")
        if if_none_match and _matches(if_none_match, tag):
            await send(
                {
                    "type": "http.response.start",
                    "status": 304,
                    "headers": [(b"etag", tag.encode()), (b"cache-control", b"no-cache")],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return

        cache = self.cache
        request_headers = Headers(scope=scope)
        cacheable = cache is not None and "authorization" not in request_headers
        if cacheable and cache is not None:
            hit = cache.get(release, tag)
            if hit is not None:
                headers, body = hit
                await send({"type": "http.response.start", "status": 200, "headers": list(headers)})
                await send(
                    {
                        "type": "http.response.body",
                        "body": b"" if scope["method"] == "HEAD" else body,
                    }
                )
                return

        start: list[tuple[bytes, bytes]] | None = None  # the headers, as this app sent them
        chunks: list[bytes] = []
        size = 0

        async def send_with_tag(message: Message) -> None:
            nonlocal start, size, cacheable
            if message["type"] == "http.response.start":
                if message["status"] == 200:
                    headers = MutableHeaders(scope=message)
                    headers["ETag"] = tag
                    headers.setdefault("Cache-Control", "no-cache")
                    cacheable = cacheable and "no-store" not in headers.get("cache-control", "")
                    # a copy now: outer middlewares (CORS) edit the message's headers in place
                    start = list(message["headers"])
                else:
                    cacheable = False
            elif message["type"] == "http.response.body" and cacheable and cache is not None:
                body = message.get("body", b"")
                size += len(body)
                if size > cache.max_entry or scope["method"] == "HEAD":
                    cacheable = False
                else:
                    chunks.append(body)
                    if not message.get("more_body", False) and start is not None:
                        cache.put(release, tag, start, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, send_with_tag)
