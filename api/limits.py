"""Limits of one request and of one client: a pure ASGI middleware.

- **Body size.** A request body larger than ``WSISKG_MAX_BODY_BYTES`` (``POST /documents``:
  ``WSISKG_MAX_UPLOAD_BYTES`` plus room for the multipart envelope; the route itself then
  checks the file) is a 413 with a JSON reason. A ``Content-Length`` over the limit is
  refused before a byte of the body is read; a body without one (chunked) is counted while it
  arrives and refused as soon as it passes the limit, so nothing larger is ever held or
  spooled to disk.
- **URL size.** A query string longer than the body limit is a 414 (long SPARQL goes by
  POST; the HTTP server refuses a request head over 16 KiB before it gets here anyway).
- **Concurrency per client.** A client may have ``WSISKG_MAX_CONCURRENT_PER_CLIENT``
  requests in progress at once; one more is answered at once with 429, ``Retry-After: 1`` and
  a JSON reason, and never waits for a query worker or a thread. A client is its TCP peer
  address, or, when the peer is one of ``WSISKG_TRUSTED_PROXIES``, the address its
  ``X-Forwarded-For`` names (the right-most one that is not itself a trusted proxy): a
  forwarded header from anyone else is ignored, so it cannot be used to dodge the limit.
  Static files, ``/health`` and ``/metrics`` are not counted (a page loads its static files
  in parallel; a monitor must see the service even when a client is at its limit).

The client is also whose query time a request's queries use (graph/fairness.py: ``asker``,
the budget per client and the fair queue).

The query-length and result-size limits belong to ``/sparql`` (api/app.py,
graph/executor.py). See docs/reliability.md, section 2.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.fairness import asker
from graph.settings import Settings

# Room for the multipart envelope of an upload (boundaries, part headers, the form fields).
UPLOAD_OVERHEAD = 64 * 1024
UNCOUNTED_PATHS = frozenset({"/health", "/metrics"})
UNCOUNTED_PREFIXES = ("/dashboard/static/",)
UPLOAD_PATH = "/documents"


class _BodyTooLargeError(Exception):
    pass


async def send_json(
    send: Send, status: int, body: dict[str, object], headers: Iterable[tuple[str, str]] = ()
) -> None:
    data = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
                *((name.encode(), value.encode()) for name, value in headers),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


def client_key(scope: Scope, trusted_proxies: frozenset[str]) -> str:
    """Who sent the request: the peer address, or the client a trusted proxy names."""
    client = scope.get("client")
    peer = str(client[0]) if client else "unknown"
    if peer not in trusted_proxies:
        return peer
    forwarded = Headers(scope=scope).getlist("x-forwarded-for")
    hops = [hop.strip() for value in forwarded for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops):  # the right-most address no trusted proxy added for itself
        if hop not in trusted_proxies:
            return hop
    return peer


class ClientSlots:
    """Requests in progress per client, at most ``limit`` each (thread-safe)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._active: dict[str, int] = {}
        self._lock = threading.Lock()
        self.refused = 0

    def acquire(self, key: str) -> bool:
        with self._lock:
            active = self._active.get(key, 0)
            if active >= self.limit:
                self.refused += 1
                return False
            self._active[key] = active + 1
            return True

    def release(self, key: str) -> None:
        with self._lock:
            active = self._active.get(key, 0) - 1
            if active > 0:
                self._active[key] = active
            else:
                self._active.pop(key, None)

    def active(self, key: str) -> int:
        with self._lock:
            return self._active.get(key, 0)


class LimitsMiddleware:
    """413 for a body over its limit, 414 for an over-long URL, 429 for a client over its
    share of concurrent requests; everything else passes through untouched."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.max_body = settings.max_body_bytes
        self.max_upload = settings.max_upload_bytes + UPLOAD_OVERHEAD
        self.trusted = frozenset(settings.trusted_proxies)
        self.slots = ClientSlots(settings.max_concurrent_per_client)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        if len(scope.get("query_string", b"")) > self.max_body:
            await send_json(
                send,
                414,
                {"error": f"the URL is longer than {self.max_body} bytes: send the query by POST"},
            )
            return
        upload = path == UPLOAD_PATH and scope.get("method") == "POST"
        limit = self.max_upload if upload else self.max_body
        length = Headers(scope=scope).get("content-length")
        if length is not None and length.strip().isdigit() and int(length) > limit:
            await self._too_large(send, limit)
            return
        if path in UNCOUNTED_PATHS or path.startswith(UNCOUNTED_PREFIXES):
            await self._bounded(scope, receive, send, limit)
            return
        key = client_key(scope, self.trusted)
        if not self.slots.acquire(key):
            await send_json(
                send,
                429,
                {
                    "error": f"too many requests in progress from {key}: at most "
                    f"{self.slots.limit} at once; retry when one has been answered"
                },
                [("retry-after", "1")],
            )
            return
        who = asker.set(key)  # whose query time the queries of this request use
        try:
            await self._bounded(scope, receive, send, limit)
        finally:
            asker.reset(who)
            self.slots.release(key)

    async def _bounded(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Run the app with the body counted as it arrives: past ``limit`` bytes, reading it
        fails and the answer is a 413, whatever the app makes of the failure."""
        received = 0
        tripped = False
        started = False

        async def limited_receive() -> Message:
            nonlocal received, tripped
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    tripped = True
                    raise _BodyTooLargeError
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if tripped:
                return  # the app's answer to a body it could not read: ours replaces it
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except _BodyTooLargeError:
            pass
        except Exception:
            if not tripped:
                raise
        if tripped and not started:
            await self._too_large(send, limit)

    @staticmethod
    async def _too_large(send: Send, limit: int) -> None:
        await send_json(
            send,
            413,
            {"error": f"the request body is larger than the limit of {limit} bytes"},
            [("connection", "close")],
        )
