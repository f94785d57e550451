"""Prometheus text metrics: requests, latencies, query durations, store size.

No client library is needed for a handful of counters and histograms; the exposition format
is plain text (https://prometheus.io/docs/instrumenting/exposition_formats/).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Histogram:
    def __init__(self) -> None:
        self.counts = [0] * (len(BUCKETS) + 1)
        self.total = 0.0
        self.n = 0

    def observe(self, seconds: float) -> None:
        for i, bound in enumerate(BUCKETS):
            if seconds <= bound:
                self.counts[i] += 1
                break
        else:
            self.counts[-1] += 1
        self.total += seconds
        self.n += 1

    def lines(self, name: str, labels: str) -> list[str]:
        out, cumulative = [], 0
        sep = "," if labels else ""
        for bound, count in zip((*map(str, BUCKETS), "+Inf"), self.counts, strict=True):
            cumulative += count
            out.append(f'{name}_bucket{{{labels}{sep}le="{bound}"}} {cumulative}')
        out.append(f"{name}_sum{{{labels}}} {self.total:.6f}")
        out.append(f"{name}_count{{{labels}}} {self.n}")
        return out


class Metrics:
    """Thread-safe counters shared by the middleware, the query path and /metrics."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: dict[tuple[str, str, int], int] = defaultdict(int)
        self.latency: dict[tuple[str, str], Histogram] = defaultdict(Histogram)
        self.queries: dict[str, Histogram] = defaultdict(Histogram)

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        with self._lock:
            self.requests[(method, route, status)] += 1
            self.latency[(method, route)].observe(seconds)

    def observe_query(self, kind: str, seconds: float) -> None:
        with self._lock:
            self.queries[kind].observe(seconds)

    def render(self, gauges: dict[str, tuple[str, float]]) -> str:
        lines = [
            "# HELP wsiskg_requests_total HTTP requests by method, route and status.",
            "# TYPE wsiskg_requests_total counter",
        ]
        with self._lock:
            for (method, route, status), n in sorted(self.requests.items()):
                lines.append(
                    f'wsiskg_requests_total{{method="{method}",route="{_esc(route)}",'
                    f'status="{status}"}} {n}'
                )
            lines += [
                "# HELP wsiskg_request_duration_seconds HTTP request latency.",
                "# TYPE wsiskg_request_duration_seconds histogram",
            ]
            for (method, route), hist in sorted(self.latency.items()):
                lines += hist.lines(
                    "wsiskg_request_duration_seconds", f'method="{method}",route="{_esc(route)}"'
                )
            lines += [
                "# HELP wsiskg_query_duration_seconds SPARQL query execution time.",
                "# TYPE wsiskg_query_duration_seconds histogram",
            ]
            for kind, hist in sorted(self.queries.items()):
                lines += hist.lines("wsiskg_query_duration_seconds", f'kind="{_esc(kind)}"')
        for name, (help_text, value) in sorted(gauges.items()):
            lines += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge", f"{name} {value:g}"]
        return "\n".join(lines) + "\n"


def _esc(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _find(routes: Iterable[Any], scope: Scope, prefix: str = "") -> tuple[Match, str | None]:
    """The best match among ``routes`` for ``scope`` and its path template. A router that
    FastAPI's ``include_router`` added is one route wrapping the router's own routes (and
    its prefix): looked into."""
    partial: str | None = None
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            sub = getattr(getattr(route, "include_context", None), "prefix", "") or ""
            if not scope["path"].startswith(sub):
                continue
            rest = {**scope, "path": scope["path"][len(sub) :] or "/"}
            match, template = _find(getattr(inner, "routes", ()), rest, prefix + sub)
        else:
            match, _ = route.matches(scope)
            path = getattr(route, "path", None)
            template = f"{prefix}{path}" if isinstance(path, str) and path else None
        if match is Match.FULL and template:
            return match, template
        if match is Match.PARTIAL and partial is None:
            partial = template
    return (Match.PARTIAL, partial) if partial else (Match.NONE, None)


def route_template(scope: Scope) -> str:
    """The path template of the route of a request: the one routing chose, or, for an answer
    given before routing (a 304 or a cached answer of api/caching.py, a refusal of
    api/limits.py), the route the request would have reached; ``(unmatched)`` when none."""
    template = getattr(scope.get("route"), "path", None)
    if not template:
        # a copy: matching may add path parameters to the scope it is given
        probe = {k: v for k, v in scope.items() if k != "route"}
        _, template = _find(getattr(scope.get("app"), "routes", ()), probe)
    return template if isinstance(template, str) and template else "(unmatched)"


class MetricsMiddleware:
    """Times every HTTP request; the route label is the route's path template, so that ids in
    paths do not make one series per id (:func:`route_template`)."""

    def __init__(
        self, app: ASGIApp, metrics: Metrics, clock: Callable[[], float] = time.perf_counter
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = self.clock()
        status = 500

        async def record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, record)
        finally:
            self.metrics.observe_request(
                scope["method"], route_template(scope), status, self.clock() - started
            )
