"""The soak's clients: closed-loop connections, each from its own loopback address, sending a
seeded mix of lookups, analytical requests and pathological queries to `wsiskg serve`; what
each request got, and the server's memory sampled meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.loadgen import Connection, HttpError, get_request
from bench.servers import HOST, Server, free_port, wait_ready, wsiskg
from bench.soak_process import Sample, sample
from bench.soak_settings import SoakSettings, say
from loaders.codes import ACTION_LINES

# Counted, so that it sends no rows: an uncounted cross product streams rows fast enough on a
# quick machine to reach the 100,000-row limit (a 422) before the deadline.
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"
REQUEST_TIMEOUT = 120.0  # seconds: a request without an answer by then is a failure


START_TIMEOUT = 600.0  # seconds for `wsiskg serve` to answer


EVIDENCE = ["stated", "extracted", "inferred"]
SOURCES = ["matrix", "resolutions", "curated"]
SEARCH_WORDS = [
    "cybersecurity",
    "telecommunication",
    "developing countries",
    "secur*",
    "standardization",
    "internet",
    "capacity building",
    "emergency",
    "accessibility",
    "climate",
]
AGGREGATES = [
    "SELECT ?series (COUNT(?rec) AS ?n) WHERE {{ ?rec a wsis:Recommendation ; "
    "wsis:inSeries ?series }} GROUP BY ?series ORDER BY DESC(?n) LIMIT {k}",
    "SELECT ?evidence (COUNT(?link) AS ?n) WHERE {{ ?link a wsis:Link ; wsis:evidence ?evidence "
    "}} GROUP BY ?evidence LIMIT {k}",
    "SELECT (COUNT(?pub) AS ?n) WHERE {{ ?pub a wsis:Publication ; dcterms:issued ?d "
    'FILTER(STR(?d) >= "{year}") }}',
    "SELECT ?object (COUNT(?link) AS ?n) WHERE {{ ?link wsis:rule ?rule ; wsis:object ?object "
    "}} GROUP BY ?object ORDER BY DESC(?n) LIMIT {k}",
    "SELECT ?goal (COUNT(?target) AS ?n) WHERE {{ ?target a sdgo:Target ; skos:broader ?goal "
    "}} GROUP BY ?goal ORDER BY ?goal LIMIT {k}",
]


# ---------------------------------------------------------------- the clients


@dataclass
class Observation:
    kind: str  # lookup, analytical, pathological
    name: str
    status: int | None  # None: no answer
    seconds: float


@dataclass
class SoakResult:
    settings: SoakSettings
    observations: list[Observation] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    fds_before: tuple[int, int] = (0, 0)  # server, server and workers
    fds_after: tuple[int, int] = (0, 0)
    elapsed: float = 0.0
    quads: int = 0
    health_after: int | None = None  # status of GET /health after the load
    failures: Counter[str] = field(default_factory=Counter)  # why requests got no answer

    def of(self, kind: str) -> list[Observation]:
        return [o for o in self.observations if o.kind == kind]

    def unexpected(self, o: Observation) -> bool:
        """Whether an answer is an error: not a 200 (a 503 within wait + deadline + 1 s for a
        pathological query), or no answer at all."""
        if o.kind == "pathological":
            return o.status != 503 or o.seconds > self.settings.stopped_within
        if o.kind == "abusive":  # refused: over its budget, or stopped, or never let wait
            return o.status not in (429, 503)
        return o.status != 200

    @property
    def errors(self) -> list[Observation]:
        return [o for o in self.observations if self.unexpected(o)]


class ClientConnection(Connection):
    """A keep-alive connection from its own loopback address (127.0.0.2, .3, ...): each
    client is a client of its own to the server (which limits the requests in progress per
    client address, api/limits.py), as separate users would be."""

    def __init__(self, host: str, port: int, source: str | None) -> None:
        super().__init__(host, port)
        self.source = source

    async def open(self) -> None:
        local = (self.source, 0) if self.source else None
        self.reader, self.writer = await asyncio.open_connection(
            self.host, self.port, limit=1 << 20, local_addr=local
        )


def source_address(number: int) -> str | None:
    """The loopback address of client ``number`` (Linux routes all of 127.0.0.0/8 to lo)."""
    return f"127.0.0.{number + 2}" if sys.platform.startswith("linux") and number < 250 else None


class Mix:
    """The requests of one client: seeded, so a run can be repeated."""

    def __init__(self, host: str, port: int, seed: int) -> None:
        self.host, self.port = host, port
        self.rng = random.Random(seed)

    def get(
        self, path: str, params: dict[str, str] | None = None, accept: str = "application/json"
    ) -> bytes:
        return get_request(self.host, self.port, path, params, accept)

    def post(self, path: str, body: bytes, content_type: str, accept: str) -> bytes:
        return (
            f"POST {path} HTTP/1.1\r\n"
            f"Host: {self.host}:{self.port}\r\n"
            f"Accept: {accept}\r\n"
            f"Content-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n"
            "User-Agent: wsiskg-soak\r\n"
            "\r\n"
        ).encode("ascii") + body

    def lookup(self) -> tuple[str, bytes]:
        r = self.rng
        choice = r.random()
        if choice < 0.25:
            return "/action-lines/C5", self.get("/action-lines/C5")
        if choice < 0.5:
            return "/sdgs/16", self.get("/sdgs/16")
        if choice < 0.65:
            return "/health", self.get("/health")
        if choice < 0.8:
            line = r.choice(ACTION_LINES)
            return "/action-lines/{id}", self.get(f"/action-lines/{line}")
        if choice < 0.9:
            return "/sdgs/{goal}", self.get(f"/sdgs/{r.randint(1, 17)}")
        return "/study-groups", self.get("/study-groups", {"period": "2025-2028"})

    def analytical(self) -> tuple[str, bytes]:
        r = self.rng
        choice = r.random()
        if choice < 0.2:
            params = {"evidence": ",".join(r.sample(EVIDENCE, r.randint(1, 3)))}
            if r.random() < 0.5:
                params["source"] = ",".join(r.sample(SOURCES, r.randint(1, 3)))
            return "/matrix", self.get("/matrix", params)
        if choice < 0.55:
            params = {
                "evidence": ",".join(r.sample(EVIDENCE, r.randint(1, 3))),
                "offset": str(r.randint(0, 200)),
                "limit": str(r.randint(1, 100)),
            }
            line = r.choice(["C5", "C5", *ACTION_LINES])
            path = f"/action-lines/{line}/supporting-work"
            return "/action-lines/{id}/supporting-work", self.get(path, params)
        if choice < 0.7:
            params = {"q": r.choice(SEARCH_WORDS), "offset": str(r.randint(0, 40))}
            return "/search", self.get("/search", params)
        query = r.choice(AGGREGATES).format(k=r.randint(1, 50), year=r.randint(1960, 2025))
        body = query.encode()
        return "/sparql (aggregate)", self.post(
            "/sparql", body, "application/sparql-query", "application/sparql-results+json"
        )

    def pathological(self) -> tuple[str, bytes]:
        return "/sparql (cross product)", self.get(
            "/sparql", {"query": PATHOLOGICAL}, "application/sparql-results+json"
        )


async def _load(server: Server, settings: SoakSettings, result: SoakResult) -> None:
    pid = server.process.pid if server.process else 0
    started = time.perf_counter()
    end = started + settings.seconds
    next_pathological = [started + min(settings.pathological_every / 2, 5.0)]
    # each ordinary client sends the pathological query once before any sends it again: no
    # ordinary client spends its whole query-time budget on it
    senders: set[int] = set()

    async def sampler() -> None:
        while True:
            result.samples.append(sample(pid, time.perf_counter() - started))
            if time.perf_counter() >= end:
                return
            await asyncio.sleep(settings.sample_every)

    async def client(number: int) -> None:
        mix = Mix(HOST, server.port, settings.seed * 1000 + number)
        connection = ClientConnection(HOST, server.port, source_address(number))
        abusive = number >= settings.clients
        try:
            while (now := time.perf_counter()) < end:
                if abusive:
                    kind, (name, raw) = "abusive", mix.pathological()
                elif now >= next_pathological[0] and number not in senders:
                    next_pathological[0] = now + settings.pathological_every
                    senders.add(number)
                    if len(senders) == settings.clients:
                        senders.clear()
                    kind, (name, raw) = "pathological", mix.pathological()
                elif mix.rng.random() < 0.5:
                    kind, (name, raw) = "lookup", mix.lookup()
                else:
                    kind, (name, raw) = "analytical", mix.analytical()
                sent = time.perf_counter()
                status: int | None
                try:
                    async with asyncio.timeout(REQUEST_TIMEOUT):
                        status, _ = await connection.request(raw)
                except (
                    HttpError,
                    OSError,
                    TimeoutError,
                    asyncio.IncompleteReadError,
                    ValueError,
                ) as e:
                    result.failures[f"{name}: {type(e).__name__}: {e}"] += 1
                    status = None
                    await connection.close()
                result.observations.append(
                    Observation(kind, name, status, time.perf_counter() - sent)
                )
                if abusive and status != 503:
                    await asyncio.sleep(0.2)  # refused at once: a pause, not a flood
        finally:
            await connection.close()

    everyone = settings.clients + settings.abusive
    await asyncio.gather(sampler(), *(client(n) for n in range(everyone)))
    result.elapsed = time.perf_counter() - started


def soak(store: Path, settings: SoakSettings, log: Path) -> SoakResult:
    """Serve ``store`` and run the clients against it; the server is stopped afterwards."""
    port = free_port()
    server = Server(
        "wsis-kg",
        [*wsiskg(), "serve", "--port", str(port)],
        port,
        "/health",
        log,
        {
            "WSISKG_STORE": str(store),
            "WSISKG_QUERY_TIMEOUT": f"{settings.deadline:g}",
            "WSISKG_QUERY_MAX_WAIT": f"{settings.max_wait:g}",
            **(
                {}
                if settings.budget is None
                else {
                    "WSISKG_QUERY_BUDGET": f"{settings.budget:g}",
                    "WSISKG_QUERY_BUDGET_BURST": f"{settings.budget:g}",
                }
            ),
        },
    )
    result = SoakResult(settings)
    server.start()
    try:
        wait_ready([server], timeout=START_TIMEOUT)
        health = httpx.get(server.base + "/health", timeout=30).json()
        result.quads = int(health["quads"])
        assert server.process is not None
        pid = server.process.pid
        time.sleep(1.0)  # let the query workers settle after their start
        before = sample(pid, 0.0)
        result.fds_before = (before.server_fds, before.tree_fds)
        say(
            f"{settings.clients} clients and {settings.abusive} abusive for "
            f"{settings.seconds:.0f} s against {server.base} "
            f"({result.quads} quads)"
        )
        asyncio.run(_load(server, settings, result))
        time.sleep(1.0)  # the server closes the clients' connections
        after = sample(pid, result.elapsed)
        result.fds_after = (after.server_fds, after.tree_fds)
        with contextlib.suppress(httpx.HTTPError):
            result.health_after = httpx.get(server.base + "/health", timeout=30).status_code
    finally:
        server.stop()
    return result
