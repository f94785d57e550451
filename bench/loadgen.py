"""A closed-loop HTTP/1.1 load generator: N keep-alive connections, each sending its next
request as soon as the previous answer is read in full, for a fixed time or a fixed count.

It speaks just enough HTTP/1.1 over asyncio streams (Content-Length, chunked, or close-
delimited bodies) to stay light: a general client such as httpx costs several times more CPU
per request, and on a small machine the client shares the cores with the servers it measures,
so its own cost would cap what it can measure. Every response is read to its end; its status,
size and latency (from writing the request to reading the last byte) are recorded.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from ontology.errors import WsisKgError

REQUEST_TIMEOUT = 600.0  # seconds: rdflib-endpoint answers one request at a time


class HttpError(WsisKgError):
    """The server broke the protocol or the connection."""


def get_request(
    host: str,
    port: int,
    path: str,
    params: dict[str, str] | None = None,
    accept: str = "application/json",
) -> bytes:
    """The bytes of a GET request (keep-alive, no conditional headers)."""
    target = f"{path}?{urlencode(params)}" if params else path
    return (
        f"GET {target} HTTP/1.1\r\n"
        f"Host: {host}:{port}\r\n"
        f"Accept: {accept}\r\n"
        "User-Agent: wsiskg-bench\r\n"
        "\r\n"
    ).encode("ascii")


def post_form_request(
    host: str,
    port: int,
    path: str,
    params: dict[str, str],
    accept: str = "application/json",
) -> bytes:
    """The bytes of a POST request with form-encoded parameters (keep-alive): the SPARQL
    protocol's query by POST, for a query longer than a server takes in a URL."""
    body = urlencode(params).encode("ascii")
    return (
        f"POST {path} HTTP/1.1\r\n"
        f"Host: {host}:{port}\r\n"
        f"Accept: {accept}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n"
        "User-Agent: wsiskg-bench\r\n"
        "\r\n"
    ).encode("ascii") + body


class Connection:
    """One keep-alive connection; reopened when the server closes it."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        # a large limit: readuntil() reads whole chunk-size lines and header blocks
        self.reader, self.writer = await asyncio.open_connection(
            self.host, self.port, limit=1 << 20
        )

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def request(self, raw: bytes) -> tuple[int, int]:
        """Send ``raw`` and read the whole response: (status, body bytes)."""
        if self.reader is None or self.writer is None:
            await self.open()
        assert self.reader is not None
        assert self.writer is not None
        reader = self.reader
        self.writer.write(raw)
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as e:
            await self.close()
            raise HttpError("the server closed the connection before answering") from e
        lines = head.decode("latin-1").split("\r\n")
        try:
            status = int(lines[0].split(" ", 2)[1])
        except (IndexError, ValueError) as e:
            raise HttpError(f"bad status line {lines[0]!r}") from e
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if sep:
                headers[name.strip().lower()] = value.strip()
        size = 0
        if "content-length" in headers:
            size = int(headers["content-length"])
            await reader.readexactly(size)
        elif "chunked" in headers.get("transfer-encoding", "").lower():
            while True:
                size_line = await reader.readuntil(b"\r\n")
                chunk = int(size_line.split(b";", 1)[0].strip(), 16)
                if chunk == 0:
                    while (await reader.readuntil(b"\r\n")) != b"\r\n":
                        pass  # trailers
                    break
                await reader.readexactly(chunk + 2)
                size += chunk
        elif status not in (204, 304) and not 100 <= status < 200:
            size = len(await reader.read())  # delimited by the end of the connection
            await self.close()
            return status, size
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, size


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile ``q`` (0-100) of ``values``; NaN when there are none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1]


@dataclass
class RunResult:
    """What one run (or several runs of the same system, merged) measured."""

    latencies: list[float] = field(default_factory=list)  # seconds, one per answered request
    statuses: Counter[int] = field(default_factory=Counter)
    failures: int = 0  # requests without an answer (connection errors, timeouts)
    body_bytes: int = 0
    elapsed: float = 0.0  # seconds from the first request sent to the last answer read
    client_cpu: float = 0.0  # CPU seconds of the load generator's process
    server_cpu: float | None = 0.0  # CPU seconds of the server's processes (None: unknown)

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def errors(self) -> int:
        return self.failures + sum(n for status, n in self.statuses.items() if status != 200)

    @property
    def throughput(self) -> float:
        """Answered requests per second."""
        return self.requests / self.elapsed if self.elapsed > 0 else 0.0

    def percentile(self, q: float) -> float:
        """The nearest-rank percentile ``q`` (0-100) of the latencies, in seconds."""
        return percentile(self.latencies, q)

    def merge(self, other: RunResult) -> None:
        self.latencies.extend(other.latencies)
        self.statuses.update(other.statuses)
        self.failures += other.failures
        self.body_bytes += other.body_bytes
        self.elapsed += other.elapsed
        self.client_cpu += other.client_cpu
        if self.server_cpu is None or other.server_cpu is None:
            self.server_cpu = None
        else:
            self.server_cpu += other.server_cpu


async def _run(
    host: str,
    port: int,
    raw: bytes,
    connections: int,
    duration: float | None,
    count: int | None,
) -> RunResult:
    if (duration is None) == (count is None):
        raise ValueError("give a duration or a count")
    if count is not None:
        connections = max(1, min(connections, count))
    pool = [Connection(host, port) for _ in range(connections)]
    await asyncio.gather(*(c.open() for c in pool))  # connected before the clock starts
    result = RunResult()
    remaining = count if count is not None else 0
    deadline = math.inf

    async def client(connection: Connection) -> None:
        nonlocal remaining
        while True:
            if count is not None:
                if remaining <= 0:
                    return
                remaining -= 1
            elif time.perf_counter() >= deadline:
                return
            started = time.perf_counter()
            try:
                async with asyncio.timeout(REQUEST_TIMEOUT):
                    status, size = await connection.request(raw)
            except (HttpError, OSError, TimeoutError, asyncio.IncompleteReadError, ValueError):
                result.failures += 1
                await connection.close()
                continue
            result.latencies.append(time.perf_counter() - started)
            result.statuses[status] += 1
            result.body_bytes += size

    cpu = time.process_time()
    start = time.perf_counter()
    if duration is not None:
        deadline = start + duration
    try:
        await asyncio.gather(*(client(c) for c in pool))
    finally:
        result.elapsed = time.perf_counter() - start
        result.client_cpu = time.process_time() - cpu
        await asyncio.gather(*(c.close() for c in pool))
    return result


def run_load(
    host: str,
    port: int,
    raw: bytes,
    *,
    connections: int,
    duration: float | None = None,
    count: int | None = None,
) -> RunResult:
    """Send ``raw`` over ``connections`` connections for ``duration`` seconds (then wait for
    the answers in flight) or ``count`` times in all."""
    return asyncio.run(_run(host, port, raw, connections, duration, count))
