"""Soak: N clients for M minutes against `wsiskg serve` over about a million triples: p99 of
lookups, error rate, memory drift and open file descriptors.

One run prepares a store (the built-in data, ~384k quads, plus seeded synthetic copies of the
ITU-T Recommendations graph under their own graph names and IRIs, up to ``--triples``; each
copy is an N-Triples file loaded by `wsiskg load`), starts `wsiskg serve` on a free port of
127.0.0.1 with ``WSISKG_QUERY_TIMEOUT=--deadline``, and runs ``--clients`` closed-loop clients
(bench/loadgen.py connections, each from its own loopback address, 127.0.0.2 and up, as
separate users) for ``--minutes``. Each client sends, at random (seeded):

  lookup       GET /action-lines/C5, /sdgs/16, /health and other single resources
  analytical   /matrix and /action-lines/{id}/supporting-work with varying evidence, offset
               and limit (so that the response cache is not always hit), /search, and SPARQL
               aggregates POSTed to /sparql (never cached)
  pathological every ``--pathological-every`` seconds, one client sends a cross product of
               the store, counted so that no row limit stops it first
               (``SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }``): it must be a 503
               within the deadline + 1 s

A 503 is expected only for the pathological queries; any other status that is not 200, and
any request that got no answer, is an error. Every few seconds the resident memory of the
server and of its query workers (/proc) is sampled; the drift is the mean of the last minute
against that of the first; open file descriptors (/proc/PID/fd) are counted before the
clients connect and after they left. The figures go into docs/reliability.md, section soak.

``--smoke``: about 40 seconds over the built-in data only, a pathological query every 10 s;
it checks that the soak works and writes no report unless ``--output`` is given (the test
tests/test_soak_smoke.py runs it in CI).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import math
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench import machine
from bench.loadgen import Connection, HttpError, get_request, percentile
from bench.report import table
from bench.servers import HOST, ROOT, BenchError, Server, free_port, run_step, wait_ready, wsiskg

RECOMMENDATIONS_GRAPH = "graph/itut-recommendations"
# the IRIs of the Recommendations graph that each synthetic copy makes its own; the study
# groups, series, rules and Action Lines they point to stay shared, as in the real graph
_OWN_IRIS = re.compile(r"<([^>]*?/)(itu-t/rec/|itu-t/pub/|link/|dataset/itut-recommendations)")
# Counted, so that it sends no rows: an uncounted cross product streams rows fast enough on a
# quick machine to reach the 100,000-row limit (a 422) before the deadline.
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"
REQUEST_TIMEOUT = 120.0  # seconds: a request without an answer by then is a failure
SEED = 20251129
START_TIMEOUT = 600.0  # seconds for `wsiskg serve` to answer

ACTION_LINES = [f"C{n}" for n in range(1, 12)]
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


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--minutes", type=float, help="minutes of load (default 5; with --smoke 0.67)"
    )
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument(
        "--triples",
        type=int,
        help="make the store about this big with synthetic copies of the Recommendations "
        "graph (default 1000000; with --smoke 0: the built-in data only)",
    )
    parser.add_argument(
        "--deadline",
        type=float,
        default=5.0,
        help="WSISKG_QUERY_TIMEOUT of the server, seconds (default 5)",
    )
    parser.add_argument(
        "--pathological-every",
        type=float,
        help="seconds between two pathological queries (default 30; with --smoke 10)",
    )
    parser.add_argument(
        "--sample-every",
        type=float,
        help="seconds between two samples of memory and file descriptors (default 2; with "
        "--smoke 1)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="the report (default docs/reliability.md; with --smoke none: the figures are "
        "printed); its soak section is rewritten",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        help="keep the prepared store here and reuse it on the next run "
        "(default: a temporary directory, removed afterwards)",
    )
    parser.add_argument(
        "--from-store",
        type=Path,
        help="copy this store (loaded with the built-in data, not in use) instead of "
        "loading a new one",
    )
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="about 40 s over the built-in data only: checks that the soak works",
    )


@dataclass(frozen=True)
class SoakSettings:
    minutes: float = 5.0
    clients: int = 8
    triples: int = 1_000_000
    deadline: float = 5.0
    pathological_every: float = 30.0
    sample_every: float = 2.0
    seed: int = SEED
    smoke: bool = False

    @property
    def seconds(self) -> float:
        return self.minutes * 60

    @classmethod
    def for_smoke(cls) -> SoakSettings:
        """About 40 s over the built-in data, a pathological query every 10 s."""
        return cls(
            minutes=40 / 60, triples=0, pathological_every=10.0, sample_every=1.0, smoke=True
        )


OPTIONS = (
    "minutes",
    "clients",
    "triples",
    "deadline",
    "pathological_every",
    "sample_every",
    "seed",
)


def settings_from(args: argparse.Namespace) -> SoakSettings:
    base = SoakSettings.for_smoke() if args.smoke else SoakSettings()
    given: dict[str, Any] = {
        name: value for name in OPTIONS if (value := getattr(args, name)) is not None
    }
    settings = dataclasses.replace(base, **given)
    if settings.clients < 1 or settings.minutes <= 0 or settings.deadline <= 0:
        raise BenchError("--clients, --minutes and --deadline must be positive")
    if settings.pathological_every <= 0 or settings.sample_every <= 0:
        raise BenchError("--pathological-every and --sample-every must be positive")
    return settings


def say(message: str) -> None:
    print(f"[soak] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- the store


def synthetic_copies(export: Path, out_dir: Path, needed: int, seed: int) -> list[Path]:
    """N-Triples files of about ``needed`` triples in all: copies of the Recommendations
    graph (``export``), each with its own IRIs (``.../synthetic/K/itu-t/rec/...``); the last
    copy keeps a seeded random part of the subjects."""
    lines = [line for line in export.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not lines:
        raise BenchError(f"{export} is empty: is the Recommendations graph loaded?")
    by_subject: dict[str, list[str]] = {}
    for line in lines:
        by_subject.setdefault(line.split(" ", 1)[0], []).append(line)
    rng = random.Random(seed)
    files: list[Path] = []
    copy = 0
    remaining = needed
    while remaining > 0:
        copy += 1
        subjects = list(by_subject)
        if remaining < len(lines):  # the last copy: a seeded part of it
            rng.shuffle(subjects)
            chosen, count = [], 0
            for subject in subjects:
                if count >= remaining:
                    break
                chosen.append(subject)
                count += len(by_subject[subject])
            subjects = chosen
        path = out_dir / f"synthetic-recommendations-{copy}.nt"
        written = 0
        with path.open("w", encoding="utf-8") as out:
            for subject in subjects:
                for line in by_subject[subject]:
                    out.write(_OWN_IRIS.sub(rf"<\g<1>synthetic/{copy}/\g<2>", line) + "\n")
                    written += 1
        files.append(path)
        remaining -= written
    return files


def prepare(
    work: Path, settings: SoakSettings, from_store: Path | None
) -> tuple[Path, dict[str, float]]:
    """The store to serve (built-in data and synthetic copies) and the seconds each step
    took."""
    store = work / "store"
    log = work / "prepare.log"
    env = {"WSISKG_STORE": str(store)}
    steps: dict[str, float] = {}
    if not (store / "CURRENT").exists() and from_store is not None:
        started = time.monotonic()
        shutil.copytree(from_store, store)
        steps["copy the loaded store"] = time.monotonic() - started
    # into a new store: everything; into a copy or a kept store: what changed (usually
    # nothing), so that `wsiskg serve` starts at once instead of loading it first
    say("loading the built-in data (wsiskg load)")
    steps["wsiskg load (built-in data)"] = run_step([*wsiskg(), "load"], log, env)
    quads = store_quads(store, log)
    if settings.triples > quads:
        existing = sorted(work.glob("synthetic-recommendations-*.nt"))
        export = work / "itut-recommendations.nt"
        if not existing:
            from graph.settings import Settings

            graph = Settings().base_iri.rstrip("/") + "/" + RECOMMENDATIONS_GRAPH
            say(f"exporting {graph}")
            steps["wsiskg export (Recommendations graph)"] = run_step(
                [*wsiskg(), "export", "--format", "ntriples", "--graph", graph, "-o", str(export)],
                log,
                env,
            )
            started = time.monotonic()
            existing = synthetic_copies(export, work, settings.triples - quads, settings.seed)
            steps["generate synthetic copies"] = time.monotonic() - started
        for path in existing:
            say(f"loading {path.name}")
            steps[f"wsiskg load {path.name}"] = run_step([*wsiskg(), "load", str(path)], log, env)
    return store, steps


def store_quads(store: Path, log: Path) -> int:
    """The number of quads in ``store`` (`wsiskg graphs`)."""
    import subprocess

    done = subprocess.run(
        [
            *wsiskg(),
            "query",
            "--format",
            "csv",
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
        ],
        cwd=ROOT,
        env={**os.environ, "WSISKG_STORE": str(store)},
        capture_output=True,
        text=True,
        check=False,
    )
    with log.open("a") as out:
        out.write(done.stdout + done.stderr)
    numbers = re.findall(r"^\d+$", done.stdout, re.MULTILINE)
    if done.returncode != 0 or not numbers:
        raise BenchError(f"cannot count the quads of {store}:\n{done.stderr}")
    return int(numbers[-1])


# ---------------------------------------------------------------- the server's processes


def process_tree(root: int) -> list[int]:
    """``root`` and its descendants (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            text = (entry / "stat").read_text()
            parents[int(entry.name)] = int(text[text.rindex(")") + 2 :].split()[1])
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(child for child, parent in parents.items() if parent == pid)
    return tree


def rss_bytes(pid: int) -> int:
    """Resident memory of one process (VmRSS), 0 if it is gone."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def open_fds(pid: int) -> int:
    """Open file descriptors of one process, 0 if it is gone."""
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


@dataclass(frozen=True)
class Sample:
    at: float  # seconds since the load started
    server_rss: int
    tree_rss: int  # the server and its query workers
    server_fds: int
    tree_fds: int
    processes: int


def sample(pid: int, at: float) -> Sample:
    tree = process_tree(pid)
    return Sample(
        at,
        rss_bytes(pid),
        sum(rss_bytes(p) for p in tree),
        open_fds(pid),
        sum(open_fds(p) for p in tree),
        len(tree),
    )


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
        """Whether an answer is an error: not a 200 (a 503 within deadline + 1 s for a
        pathological query), or no answer at all."""
        if o.kind == "pathological":
            return o.status != 503 or o.seconds > self.settings.deadline + 1.0
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

    async def sampler() -> None:
        while True:
            result.samples.append(sample(pid, time.perf_counter() - started))
            if time.perf_counter() >= end:
                return
            await asyncio.sleep(settings.sample_every)

    async def client(number: int) -> None:
        mix = Mix(HOST, server.port, settings.seed * 1000 + number)
        connection = ClientConnection(HOST, server.port, source_address(number))
        try:
            while (now := time.perf_counter()) < end:
                if now >= next_pathological[0]:
                    next_pathological[0] = now + settings.pathological_every
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
        finally:
            await connection.close()

    await asyncio.gather(sampler(), *(client(n) for n in range(settings.clients)))
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
        {"WSISKG_STORE": str(store), "WSISKG_QUERY_TIMEOUT": f"{settings.deadline:g}"},
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
            f"{settings.clients} clients for {settings.seconds:.0f} s against {server.base} "
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


# ---------------------------------------------------------------- the report


NONE = "-"


def _ms(seconds: float) -> str:
    if math.isnan(seconds):
        return NONE
    return f"{seconds * 1000:.0f}" if seconds >= 0.1 else f"{seconds * 1000:.1f}"


def _mib(n: float) -> str:
    return f"{n / 1024 / 1024:.0f}"


def drift(samples: list[Sample], key: str, window: float) -> tuple[float, float]:
    """Mean of ``key`` over the first and over the last ``window`` seconds."""
    if not samples:
        return math.nan, math.nan
    last = samples[-1].at
    first = [getattr(s, key) for s in samples if s.at <= window] or [getattr(samples[0], key)]
    final = [getattr(s, key) for s in samples if s.at >= last - window] or [
        getattr(samples[-1], key)
    ]
    return statistics.fmean(first), statistics.fmean(final)


def per_window(samples: list[Sample], key: str, window: float) -> list[float]:
    """The mean of ``key`` over each successive ``window`` seconds."""
    buckets: dict[int, list[float]] = {}
    for s in samples:
        buckets.setdefault(int(s.at // window), []).append(getattr(s, key))
    return [statistics.fmean(v) for _, v in sorted(buckets.items())]


def window_of(result: SoakResult) -> float:
    return min(60.0, max(result.elapsed / 4, 1.0))


def summary_rows(result: SoakResult) -> list[list[str]]:
    rows = []
    for kind in ("lookup", "analytical", "pathological"):
        seen = result.of(kind)
        answered = [o.seconds for o in seen]
        errors = [o for o in seen if result.unexpected(o)]
        statuses = Counter(o.status if o.status is not None else "none" for o in seen)
        rows.append(
            [
                kind,
                str(len(seen)),
                _ms(percentile(answered, 50)),
                _ms(percentile(answered, 99)),
                _ms(max(answered) if answered else math.nan),
                ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items(), key=str)),
                f"{len(errors)} ({100 * len(errors) / len(seen):.2f} %)" if seen else NONE,
            ]
        )
    return rows


def route_rows(result: SoakResult) -> list[list[str]]:
    names = sorted({(o.kind, o.name) for o in result.observations})
    rows = []
    for kind, name in names:
        seen = [o for o in result.observations if o.name == name and o.kind == kind]
        times = [o.seconds for o in seen]
        rows.append(
            [
                kind,
                f"`{name}`",
                str(len(seen)),
                _ms(percentile(times, 50)),
                _ms(percentile(times, 99)),
                str(sum(1 for o in seen if result.unexpected(o))),
            ]
        )
    return rows


def figures(result: SoakResult) -> list[list[str]]:
    """The headline figures of a run, as rows of (figure, value)."""
    s = result.settings
    window = window_of(result)
    total = len(result.observations)
    errors = len(result.errors)
    rss0, rss1 = drift(result.samples, "server_rss", window)
    tree0, tree1 = drift(result.samples, "tree_rss", window)
    peak = max((x.tree_rss for x in result.samples), default=0)
    patho = result.of("pathological")
    in_time = sum(1 for o in patho if not result.unexpected(o))
    slowest = max((o.seconds for o in patho), default=math.nan)
    lookups = [o.seconds for o in result.of("lookup")]
    rate = total / result.elapsed if result.elapsed else 0.0
    rows = [
        ["requests", f"{total:,} ({rate:.0f}/s)"],
        [
            "errors (not a 200; for a pathological query, not a 503 within deadline + 1 s)",
            f"{errors} ({100 * errors / total:.3f} %)" if total else NONE,
        ],
        [
            "p50 / p99 of lookups",
            f"{_ms(percentile(lookups, 50))} / {_ms(percentile(lookups, 99))} ms",
        ],
        [
            f"pathological queries: 503 within {s.deadline:g} + 1 s",
            f"{in_time} of {len(patho)}, slowest {_ms(slowest)} ms",
        ],
    ]
    if rss0 and tree0:
        rows += [
            [
                f"server RSS, mean of the first / last {window:.0f} s",
                f"{_mib(rss0)} / {_mib(rss1)} MiB: drift {_mib(rss1 - rss0)} MiB "
                f"({100 * (rss1 - rss0) / rss0:+.1f} %)",
            ],
            [
                f"server + query workers RSS, first / last {window:.0f} s",
                f"{_mib(tree0)} / {_mib(tree1)} MiB: drift {100 * (tree1 - tree0) / tree0:+.1f} %"
                f"; peak {_mib(peak)} MiB",
            ],
        ]
    if result.samples:
        rows.append(
            [
                f"server RSS, mean of each {window:.0f} s (MiB)",
                ", ".join(_mib(m) for m in per_window(result.samples, "server_rss", window)),
            ]
        )
    fds0, fds1 = drift(result.samples, "server_fds", window)
    rows += [
        [
            f"open fds of the server, mean of the first / last {window:.0f} s of the load",
            f"{fds0:.0f} / {fds1:.0f}",
        ],
        [
            "open fds of the server, before / after the load",
            f"{result.fds_before[0]} / {result.fds_after[0]}",
        ],
        [
            "open fds of the server and its workers, before / after",
            f"{result.fds_before[1]} / {result.fds_after[1]}",
        ],
        ["GET /health after the load", str(result.health_after)],
    ]
    return rows


def render(
    result: SoakResult,
    command: str,
    started: datetime,
    facts: dict[str, str],
    prepared: dict[str, float],
) -> str:
    s = result.settings
    parts = [
        f"Made by `{command}` on {started:%Y-%m-%d %H:%M} UTC: {s.clients} clients for "
        f"{result.elapsed / 60:.1f} minutes against `wsiskg serve` over {result.quads:,} quads "
        f"(`WSISKG_QUERY_TIMEOUT={s.deadline:g}`), loopback only, seed {s.seed}.",
        table(["figure", "value"], figures(result), "ll"),
        "Per kind of request (latency from writing the request to reading the last byte, "
        "ms):\n\n"
        + table(
            ["kind", "requests", "p50", "p99", "max", "statuses", "errors"],
            summary_rows(result),
            "lrrrrll",
        ),
        "Per route:\n\n"
        + table(
            ["kind", "route", "requests", "p50 ms", "p99 ms", "errors"],
            route_rows(result),
            "llrrrr",
        ),
    ]
    if result.failures:
        parts.append(
            "Requests without an answer:\n\n"
            + "".join(f"- {n}: {why}\n" for why, n in result.failures.most_common(10))
        )
    parts.append("Machine:\n\n" + table(["", ""], [[k, v] for k, v in facts.items()]))
    if prepared:
        parts.append(
            "Preparation (seconds):\n\n"
            + table(["step", "s"], [[k, f"{v:.1f}"] for k, v in prepared.items()], "lr")
        )
    return "\n".join(p.rstrip("\n") + "\n" for p in parts)


START, END = "<!-- bench:soak:start -->", "<!-- bench:soak:end -->"
ANCHOR = "<!-- section:soak -->"


def write_report(path: Path, body: str) -> None:
    """Put ``body`` between the soak markers of ``path`` (below ``<!-- section:soak -->``
    the first time), leaving the rest of the file as it is."""
    text = path.read_text(encoding="utf-8") if path.exists() else f"## Soak\n{ANCHOR}\n"
    block = f"{START}\n{body.strip()}\n{END}"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + block + rest.split(END, 1)[1]
    elif ANCHOR in text:
        text = text.replace(ANCHOR, f"{ANCHOR}\n{block}", 1)
    else:
        text = text.rstrip("\n") + f"\n\n{ANCHOR}\n{block}\n"
    path.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- the command


def run(args: argparse.Namespace) -> int:
    try:
        settings = settings_from(args)
        result, text = run_soak(args, settings)
    except BenchError as e:
        say(f"error: {e}")
        return 1
    output = (
        args.output
        if args.output is not None
        else (None if settings.smoke else ROOT / "docs" / "reliability.md")
    )
    if output is not None:
        write_report(output, text)
        say(f"wrote {output}")
    else:
        print(text)
    errors = result.errors
    say(f"{len(result.observations)} requests, {len(errors)} errors")
    return 1 if errors or result.health_after != 200 else 0


def run_soak(args: argparse.Namespace, settings: SoakSettings) -> tuple[SoakResult, str]:
    started = datetime.now(UTC)
    command = (
        "python -m bench " + " ".join(sys.argv[1:]) if sys.argv[1:] else "python -m bench soak"
    )
    facts = machine.describe(["pyoxigraph", "fastapi", "starlette", "uvicorn"])
    temporary = args.workdir is None
    work = Path(tempfile.mkdtemp(prefix="wsiskg-soak-")) if temporary else args.workdir
    work.mkdir(parents=True, exist_ok=True)
    try:
        store, prepared = prepare(work, settings, args.from_store)
        result = soak(store, settings, work / f"serve-{os.getpid()}.log")
    finally:
        if temporary:
            shutil.rmtree(work, ignore_errors=True)
    facts["load average after the run"] = machine.load_average()
    return result, render(result, command, started, facts, prepared)
