"""ETags from the data release: the data changes only when something is loaded.

Every successful GET carries ``ETag: "<release>-<digest of the request>"`` (the request's path,
query string and Accept header, so two representations never share a tag) and
``Cache-Control: no-cache`` (clients revalidate); ``If-None-Match`` with a current tag gets
``304 Not Modified`` without running the route at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def entity_tag(release: str, scope: Scope) -> str:
    headers = Headers(scope=scope)
    request = b"\x1f".join(
        [
            scope.get("path", "").encode(),
            scope.get("query_string", b""),
            headers.get("accept", "").encode(),
        ]
    )
    return f'"{release}-{hashlib.sha256(request).hexdigest()[:16]}"'


def _matches(if_none_match: str, tag: str) -> bool:
    candidates = [c.strip().removeprefix("W/") for c in if_none_match.split(",")]
    return "*" in candidates or tag in candidates


class ReleaseETagMiddleware:
    """Pure ASGI middleware (no buffering of bodies, streaming-safe)."""

    def __init__(self, app: ASGIApp, release: Callable[[], str | None]) -> None:
        self.app = app
        self.release = release

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
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

        async def send_with_tag(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = MutableHeaders(scope=message)
                headers["ETag"] = tag
                headers.setdefault("Cache-Control", "no-cache")
            await send(message)

        await self.app(scope, receive, send_with_tag)
