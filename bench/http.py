"""HTTP: the headline REST route and a SPARQL query at N concurrent connections, side by side
with Oxigraph's own server, rdflib-endpoint and a constant FastAPI route (the ceiling).

One run prepares the data once (a wsis-kg store with the built-in data, its N-Quads export,
an Oxigraph server database loaded from that export), starts every server in its own process
on a free port of 127.0.0.1, checks that the SPARQL systems give the same rows, warms each
system up, then loads them in turn, round after round (the order rotating), so that all of
them see the same machine; and writes the figures, the ratios and the targets into the
report (docs/benchmarks.md, its "http" section).

Systems (each a server process; the load generator is this process):
  wsis-kg route    GET /action-lines/C5/supporting-work (`wsiskg serve`; cached per release)
  ceiling          GET /constant (async def) and /constant-sync (def): bench/ceiling.py
  wsis-kg /sparql  the named query behind that route, C5 written in, PREFIXes spelled out
  Oxigraph server  the same query at /query (`oxigraph serve-read-only --union-default-graph`)
  rdflib-endpoint  the same query at /sparql (bench/rdflib_server.py); a bounded number of
                   requests: it answers one at a time, about half a second each
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench import machine
from bench.loadgen import RunResult, get_request, run_load
from bench.report import table, write_section
from bench.servers import (
    HOST,
    ROOT,
    BenchError,
    Server,
    executable,
    free_port,
    run_step,
    wait_ready,
    wsiskg,
)

ACTION_LINE = "C5"
ROUTE = f"/action-lines/{ACTION_LINE}/supporting-work"
SPARQL_JSON = "application/sparql-results+json"
NAMED_QUERY = "supporting-work"

TIMES = "\u00d7"  # the multiplication sign

# the targets of issue 4
ROUTE_VS_CEILING = 2.0  # the ceiling's throughput at most this many times ours
SPARQL_VS_OXIGRAPH = 1.5  # our /sparql latency at most this many times Oxigraph server's
FAR_AHEAD = 10.0  # "far ahead of rdflib-endpoint": at least this many times its throughput
BORDERLINE = "; borderline: within 10% of the target, inside the noise of a shared machine"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--duration",
        type=float,
        default=20.0,
        help="seconds of load per system, over all rounds (default 20)",
    )
    parser.add_argument(
        "--connections", type=int, default=16, help="concurrent connections (default 16)"
    )
    parser.add_argument("--rounds", type=int, default=4, help="rounds over the systems (default 4)")
    parser.add_argument(
        "--warmup", type=float, default=2.0, help="seconds of warm-up per system (default 2)"
    )
    parser.add_argument(
        "--rdflib-requests",
        type=int,
        default=64,
        help="requests to rdflib-endpoint, over all rounds (default 64: 16 a round)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=ROOT / "docs" / "benchmarks.md",
        help="the report (default docs/benchmarks.md); its 'http' section is rewritten",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        help="keep the prepared data here and reuse it on the next run "
        "(default: a temporary directory, removed afterwards)",
    )
    parser.add_argument(
        "--from-store",
        type=Path,
        help="copy this store (loaded with the built-in data, not in use) instead of "
        "loading a new one: saves the load (~20 s)",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a few seconds of load in all (every system, tiny durations): checks the "
        "benchmark works, its figures mean nothing",
    )


# ---------------------------------------------------------------- the query and its checks


def named_sparql(name: str, values: dict[str, str]) -> str:
    """A named query as any SPARQL server or engine takes it: every PREFIX spelled out, and
    the parameters written into the query as VALUES blocks (the terms the catalogue binds)."""
    from graph import catalogue
    from ontology import sparql_prefixes

    query = catalogue.get(name)
    lines = [
        line
        for line in query.text.splitlines()
        if not line.startswith("#") and not line.upper().startswith("PREFIX ")
    ]
    body = "\n".join(lines).strip()
    if "WHERE {" not in body:
        raise BenchError(f"the named query {name!r} has no 'WHERE {{'")
    for key, value in values.items():
        term = query.param(key).term(value)
        body = body.replace("WHERE {", f"WHERE {{\n  VALUES ?{key} {{ {term} }}", 1)
    return sparql_prefixes() + body + "\n"


def sparql_text() -> str:
    """The named query behind the headline route, C5 written in."""
    return named_sparql(NAMED_QUERY, {"action_line": ACTION_LINE})


@dataclass
class Answer:
    rows: int
    links: list[str]
    works: set[str]
    nbytes: int


def sparql_answer(url: str, query: str) -> Answer:
    response = httpx.get(url, params={"query": query}, headers={"Accept": SPARQL_JSON}, timeout=600)
    if response.status_code != 200:
        raise BenchError(f"{url}: HTTP {response.status_code}: {response.text[:500]}")
    bindings: list[dict[str, Any]] = response.json()["results"]["bindings"]
    return Answer(
        rows=len(bindings),
        links=sorted(b["link"]["value"] for b in bindings if "link" in b),
        # the works the route counts: those of specific support (statements about all Action
        # Lines come apart, uncounted)
        works={
            b["work"]["value"]
            for b in bindings
            if "work" in b and b.get("scope", {}).get("value", "specific") == "specific"
        },
        nbytes=len(response.content),
    )


# ---------------------------------------------------------------- the systems


@dataclass
class System:
    key: str
    scenario: str  # "route" or "sparql"
    name: str
    request: str  # as shown in the report
    server: Server
    path: str
    params: dict[str, str] | None = None
    accept: str = "application/json"
    bounded: bool = False  # a number of requests rather than a duration
    result: RunResult = field(default_factory=RunResult)

    def raw(self) -> bytes:
        return get_request(HOST, self.server.port, self.path, self.params, self.accept)


@dataclass
class Settings:
    duration: float
    connections: int
    rounds: int
    warmup: float
    rdflib_requests: int
    smoke: bool


def settings_from(args: argparse.Namespace) -> Settings:
    if args.smoke:
        return Settings(
            duration=0.5,
            connections=args.connections,
            rounds=1,
            warmup=0.2,
            rdflib_requests=2,
            smoke=True,
        )
    if args.duration <= 0 or args.rounds < 1 or args.connections < 1:
        raise BenchError("--duration, --rounds and --connections must be positive")
    return Settings(
        duration=args.duration,
        connections=args.connections,
        rounds=args.rounds,
        warmup=max(0.0, args.warmup),
        rdflib_requests=max(1, args.rdflib_requests),
        smoke=False,
    )


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def prepare(
    work: Path, source: Path | None = None, after_export: Callable[[], None] | None = None
) -> dict[str, float]:
    """The data, once: a wsis-kg store with the built-in data (loaded by `wsiskg load`, or
    a copy of ``source``), its N-Quads export, and an Oxigraph server database of that
    export. Reused when ``work`` already has them. ``after_export`` is called as soon as the
    export is there (to start a server that reads it while Oxigraph's database is loaded)."""
    after_export = after_export or (lambda: None)
    marker = work / "prepared.json"
    if marker.exists():
        say(f"reusing the data prepared in {work}")
        steps: dict[str, float] = json.loads(marker.read_text())
        after_export()
        return steps
    log = work / "prepare.log"
    store, export, oxigraph_db = work / "store", work / "export.nq", work / "oxigraph"
    for stale in (store, oxigraph_db):
        shutil.rmtree(stale, ignore_errors=True)
    steps = {}
    if source is not None:
        if not (source / "CURRENT").is_file():
            raise BenchError(f"{source} is not a store (an Oxigraph database directory)")
        say(f"copying the store {source} ...")
        started = time.monotonic()
        shutil.copytree(source, store)
        steps["copy of a loaded store"] = time.monotonic() - started
    else:
        say("loading the built-in data into a new store (wsiskg load) ...")
        steps["wsiskg load"] = run_step([*wsiskg(), "load", "--store", str(store)], log)
    say("exporting it as N-Quads ...")
    steps["wsiskg export"] = run_step(
        [*wsiskg(), "export", "--store", str(store), "--format", "nquads", "-o", str(export)],
        log,
    )
    after_export()
    say("loading the export into an Oxigraph server database ...")
    oxigraph = executable("oxigraph")
    steps["oxigraph load"] = run_step(
        [oxigraph, "load", "--location", str(oxigraph_db), "--file", str(export)], log
    )
    steps["oxigraph optimize"] = run_step(
        [oxigraph, "optimize", "--location", str(oxigraph_db)], log
    )
    marker.write_text(json.dumps(steps))
    return steps


def make_servers(work: Path, builtin: bool = True) -> dict[str, Server]:
    """The servers under test (not started yet), each on a free port. ``builtin=False``:
    wsis-kg serves its store as it is (bench/scale.py's generated graphs)."""
    logs = work / "logs"
    logs.mkdir(exist_ok=True)
    store = work / "store"
    servers = {
        # started first: it parses the whole export before it listens
        "rdflib": Server(
            "rdflib-endpoint",
            [
                sys.executable,
                "-m",
                "bench.rdflib_server",
                "--data",
                str(work / "export.nq"),
                "--port",
                str(port := free_port()),
            ],
            port,
            "/sparql?query=ASK%20%7B%7D",
            logs / "rdflib-endpoint.log",
        ),
        "ours": Server(
            "wsis-kg",
            [
                *wsiskg(),
                "serve",
                "--store",
                str(store),
                "--port",
                str(port := free_port()),
                *([] if builtin else ["--no-builtin"]),
            ],
            port,
            "/health",
            logs / "wsiskg.log",
            env={"WSISKG_STORE": str(store)},
        ),
        "oxigraph": Server(
            "Oxigraph server",
            [
                executable("oxigraph"),
                "serve-read-only",
                "--location",
                str(work / "oxigraph"),
                "--bind",
                f"{HOST}:{(port := free_port())}",
                "--union-default-graph",
            ],
            port,
            "/query?query=ASK%20%7B%7D",
            logs / "oxigraph.log",
        ),
        "ceiling": Server(
            "ceiling",
            [sys.executable, "-m", "bench.ceiling", "--port", str(port := free_port())],
            port,
            "/constant",
            logs / "ceiling.log",
        ),
    }
    return servers


def systems_of(servers: dict[str, Server], query: str) -> list[System]:
    q = {"query": query}
    systems = [
        System("ours-route", "route", "wsis-kg", f"GET {ROUTE}", servers["ours"], ROUTE),
        System(
            "ceiling-async",
            "route",
            "ceiling (async def)",
            "GET /constant",
            servers["ceiling"],
            "/constant",
        ),
        System(
            "ceiling-sync",
            "route",
            "ceiling (def)",
            "GET /constant-sync",
            servers["ceiling"],
            "/constant-sync",
        ),
        System(
            "ours-sparql",
            "sparql",
            "wsis-kg",
            "GET /sparql",
            servers["ours"],
            "/sparql",
            q,
            SPARQL_JSON,
        ),
        System(
            "oxigraph",
            "sparql",
            "Oxigraph server",
            "GET /query",
            servers["oxigraph"],
            "/query",
            q,
            SPARQL_JSON,
        ),
    ]
    if "rdflib" in servers:  # bench/scale.py leaves it out of the larger scales
        systems.append(
            System(
                "rdflib",
                "sparql",
                "rdflib-endpoint",
                "GET /sparql",
                servers["rdflib"],
                "/sparql",
                q,
                SPARQL_JSON,
                bounded=True,
            )
        )
    return systems


def check_answers(servers: dict[str, Server], query: str) -> list[str]:
    """Every SPARQL system gives the same rows (count and links), and the route the same
    works; else the benchmark would compare different answers. Lines for the report."""
    answers = {
        "wsis-kg /sparql": sparql_answer(servers["ours"].base + "/sparql", query),
        "Oxigraph server /query": sparql_answer(servers["oxigraph"].base + "/query", query),
    }
    if "rdflib" in servers:
        answers["rdflib-endpoint /sparql"] = sparql_answer(
            servers["rdflib"].base + "/sparql", query
        )
    reference = answers["wsis-kg /sparql"]
    for name, answer in answers.items():
        say(f"{name}: {answer.rows} rows, {len(answer.works)} works")
        if answer.rows != reference.rows or answer.links != reference.links:
            raise BenchError(
                f"{name} gives {answer.rows} rows, wsis-kg /sparql {reference.rows}: "
                "the systems do not give the same answer, so they cannot be compared"
            )
    if reference.rows == 0:
        raise BenchError("the query gives no rows: nothing to compare")
    response = httpx.get(servers["ours"].base + ROUTE, timeout=120)
    if response.status_code != 200:
        raise BenchError(f"GET {ROUTE}: HTTP {response.status_code}: {response.text[:300]}")
    route = response.json()
    if route["total"] != len(reference.works):
        raise BenchError(
            f"GET {ROUTE} counts {route['total']} works, the query {len(reference.works)}"
        )
    for path in ("/constant", "/constant-sync"):
        httpx.get(servers["ceiling"].base + path, timeout=30).raise_for_status()
    return [
        f"each SPARQL system gave the same {reference.rows} rows "
        f"(the same {len(reference.links)} links, {len(reference.works)} works); "
        f"{reference.nbytes / 1024:.0f} KB of SPARQL JSON from wsis-kg",
        f"`GET {ROUTE}` counts the same {route['total']} works and gives the first "
        f"{len(route['items'])} ({len(response.content) / 1024:.0f} KB of JSON)",
    ]


# ---------------------------------------------------------------- running the load


def measure(
    system: System, settings: Settings, seconds: float | None, count: int | None
) -> RunResult:
    before = system.server.cpu_seconds()
    result = run_load(
        HOST,
        system.server.port,
        system.raw(),
        connections=settings.connections,
        duration=seconds,
        count=count,
    )
    after = system.server.cpu_seconds()
    result.server_cpu = None if before is None or after is None else after - before
    return result


def run_rounds(systems: list[System], settings: Settings) -> None:
    for system in systems:
        if not system.bounded and settings.warmup > 0:
            # the check above already ran each query once; the bounded (slow) system's
            # warm-up is that request
            measure(system, settings, settings.warmup, None)
    slot = settings.duration / settings.rounds
    per_round = math.ceil(settings.rdflib_requests / settings.rounds)
    left = settings.rdflib_requests
    for r in range(settings.rounds):
        order = systems[r % len(systems) :] + systems[: r % len(systems)]
        for system in order:
            if system.bounded:
                count = min(per_round, left)
                if count <= 0:
                    continue
                left -= count
                result = measure(system, settings, None, count)
            else:
                result = measure(system, settings, slot, None)
            system.result.merge(result)
            say(
                f"round {r + 1}/{settings.rounds} {system.key:<14} {result.requests:>6} req "
                f"{result.throughput:>8.1f} req/s  p50 {ms(result.percentile(50))} ms  "
                f"p99 {ms(result.percentile(99))} ms  errors {result.errors}"
            )


def route_breakdown(store: Path, repeat: int) -> dict[str, float] | None:
    """Where a request to the headline route spends its time, measured in this process on
    the same store (the servers stopped): the catalogue call (a cache hit), shaping the rows
    into items, serialising the JSON answer; CPU seconds each. None if the code moved."""
    try:
        from fastapi.responses import JSONResponse

        from api.routes import DEFAULT_LIMIT, supporting_work_items
        from graph import catalogue
        from graph.store import KnowledgeGraph
    except ImportError:
        return None
    values: dict[str, str | list[str]] = {"action_line": ACTION_LINE, "evidence": []}
    try:
        kg = KnowledgeGraph.open(store)
    except Exception:  # the store's format or API changed: no breakdown, not a failure
        return None
    try:
        answer = catalogue.run(kg, NAMED_QUERY, values)
        items = supporting_work_items(answer.rows)
        payload = {"action_line": ACTION_LINE, "items": items[:DEFAULT_LIMIT]}

        def timed(step: Callable[[], object]) -> float:  # CPU seconds, like the servers'
            started = time.process_time()
            for _ in range(repeat):
                step()
            return (time.process_time() - started) / repeat

        return {
            "catalogue call (cached)": timed(lambda: catalogue.run(kg, NAMED_QUERY, values)),
            "rows into items": timed(lambda: supporting_work_items(answer.rows)),
            "JSON serialisation": timed(lambda: JSONResponse(payload)),
        }
    except Exception:
        return None
    finally:
        kg.close()


# ---------------------------------------------------------------- the report


def rate(per_second: float) -> str:
    """Requests per second: one decimal, or two significant digits below 1 (rdflib-endpoint's
    0.01 must not read as 0)."""
    if math.isnan(per_second):
        return "n/a"
    return f"{per_second:.2g}" if per_second < 1 else f"{per_second:,.1f}"


def ms(seconds: float) -> str:
    if math.isnan(seconds):
        return "n/a"
    value = seconds * 1000
    if value < 10:
        return f"{value:.2f}"
    if value < 100:
        return f"{value:.1f}"
    return f"{value:,.0f}"


def ratio(value: float) -> str:
    if math.isnan(value) or math.isinf(value):
        return "n/a"
    if value < 0.1:
        return f"{value:.2g}{TIMES}"
    return f"{value:.2f}{TIMES}" if value < 10 else f"{value:,.0f}{TIMES}"


def _div(a: float, b: float) -> float:
    return a / b if b else math.nan


def per_request_cpu(result: RunResult) -> float:
    if result.server_cpu is None or not result.requests:
        return math.nan
    return result.server_cpu / result.requests


def server_share(result: RunResult) -> str:
    """The server's CPU time over the time under load, in % of one core."""
    if result.server_cpu is None or result.elapsed <= 0:
        return "n/a"
    return f"{result.server_cpu / result.elapsed * 100:.0f}%"


def row(system: System) -> list[str]:
    return result_row(system.name, system.request, system.result)


def result_row(name: str, request: str, r: RunResult) -> list[str]:
    """One line of a results table (the HEADER's columns)."""
    cpu = per_request_cpu(r)
    return [
        name,
        f"`{request}`",
        f"{r.requests:,}",
        str(r.errors),
        rate(r.throughput),
        ms(r.percentile(50)),
        ms(r.percentile(99)),
        ms(max(r.latencies) if r.latencies else math.nan),
        f"{r.body_bytes / r.requests / 1024:,.1f}" if r.requests else "n/a",
        "n/a" if math.isnan(cpu) else f"{cpu * 1000:.2f}",
        server_share(r).removesuffix("%"),
        f"{_div(r.client_cpu, r.elapsed) * 100:.0f}",
    ]


HEADER = [
    "system",
    "request",
    "requests",
    "errors",
    "req/s",
    "p50 ms",
    "p99 ms",
    "max ms",
    "KB/answer",
    "server CPU ms/answer",
    "server CPU %",
    "client CPU %",
]


@dataclass
class Verdict:
    target: str
    measured: str
    met: bool
    detail: str


def verdicts(by: dict[str, System]) -> list[Verdict]:
    ours_route, ours_sparql = by["ours-route"].result, by["ours-sparql"].result
    ceiling, ceiling_sync = by["ceiling-async"].result, by["ceiling-sync"].result
    oxigraph, rdflib = by["oxigraph"].result, by["rdflib"].result
    found: list[Verdict] = []

    times = _div(ceiling.throughput, ours_route.throughput)
    times_sync = _div(ceiling_sync.throughput, ours_route.throughput)
    met = times <= ROUTE_VS_CEILING
    found.append(
        Verdict(
            f"the cached headline route within {ROUTE_VS_CEILING:g}{TIMES} of the ceiling's "
            "throughput",
            f"the ceiling (async def) answers {ratio(times)} as many requests per second "
            f"({ceiling.throughput:,.0f} against {ours_route.throughput:,.0f}); "
            f"the def ceiling {ratio(times_sync)}. By server CPU per answer: "
            f"{ratio(_div(per_request_cpu(ours_route), per_request_cpu(ceiling)))} and "
            f"{ratio(_div(per_request_cpu(ours_route), per_request_cpu(ceiling_sync)))}",
            met,
            (
                f"with {(1 - times / ROUTE_VS_CEILING) * 100:.0f}% to spare"
                if met
                else f"by {times / ROUTE_VS_CEILING:.1f}{TIMES}: the route would need "
                f"{ratio(times / ROUTE_VS_CEILING)} its throughput "
                f"({ceiling.throughput / ROUTE_VS_CEILING:,.0f} req/s)"
            )
            + (BORDERLINE if 0.9 < times / ROUTE_VS_CEILING < 1.1 else ""),
        )
    )
    for q in (50, 99):
        times = _div(ours_sparql.percentile(q), oxigraph.percentile(q))
        met = times <= SPARQL_VS_OXIGRAPH
        found.append(
            Verdict(
                f"/sparql within {SPARQL_VS_OXIGRAPH:g}{TIMES} of Oxigraph server's latency (p{q})",
                f"p{q} {ms(ours_sparql.percentile(q))} ms against "
                f"{ms(oxigraph.percentile(q))} ms: {ratio(times)}",
                met,
                (
                    f"with {(1 - times / SPARQL_VS_OXIGRAPH) * 100:.0f}% to spare"
                    if met
                    else f"by {times / SPARQL_VS_OXIGRAPH:.2f}{TIMES} "
                    f"(p{q} would need to be {ms(oxigraph.percentile(q) * SPARQL_VS_OXIGRAPH)}"
                    " ms)"
                )
                + (BORDERLINE if 0.9 < times / SPARQL_VS_OXIGRAPH < 1.1 else ""),
            )
        )
    for label, ours in (("the headline route", ours_route), ("/sparql", ours_sparql)):
        times = _div(ours.throughput, rdflib.throughput)
        latency = _div(rdflib.percentile(50), ours.percentile(50))
        met = times >= FAR_AHEAD
        found.append(
            Verdict(
                f"{label} far ahead of rdflib-endpoint (≥ {FAR_AHEAD:g}{TIMES} its throughput)",
                f"{ratio(times)} its throughput; p50 {ratio(latency)} lower",
                met,
                "" if met else f"by {FAR_AHEAD / times:.1f}{TIMES}",
            )
        )
    return found


def observations(
    by: dict[str, System], settings: Settings, breakdown: dict[str, float] | None
) -> list[str]:
    """Facts that explain the figures, computed from them."""
    route, ceiling, ceiling_sync = by["ours-route"], by["ceiling-async"], by["ceiling-sync"]
    sparql, oxigraph = by["ours-sparql"], by["oxigraph"]
    out: list[str] = []
    r_cpu, c_cpu = per_request_cpu(route.result), per_request_cpu(ceiling.result)
    d_cpu = per_request_cpu(ceiling_sync.result)
    if not (math.isnan(r_cpu) or math.isnan(c_cpu)):
        kb = route.result.body_bytes / max(1, route.result.requests) / 1024
        route_tp, ceiling_tp = route.result.throughput, ceiling.result.throughput
        text = (
            f"The headline route costs its server {r_cpu * 1000:.2f} ms of CPU per answer, "
            f"the constant routes {c_cpu * 1000:.2f} ms (async def) and {d_cpu * 1000:.2f} ms "
            f"(def): {ratio(_div(r_cpu, c_cpu))} and {ratio(_div(r_cpu, d_cpu))}, against "
            f"throughput ratios of {ratio(_div(ceiling_tp, route_tp))} and "
            f"{ratio(_div(ceiling_sync.result.throughput, route_tp))}. CPU per answer is the "
            "steadier comparison on a shared machine: throughput also depends on how much of "
            f"a core each server got under load (wsis-kg {server_share(route.result)}, the "
            f"ceiling {server_share(ceiling.result)} of one core). The cache keeps the "
            "query's rows per release, so no SPARQL runs; each request still pays the "
            "framework (a `def` route, so the thread pool), the ETag and metrics "
            f"middlewares, shaping the rows into items and serialising {kb:.0f} KB of JSON."
        )
        if breakdown:
            parts = ", ".join(f"{name} {sec * 1000:.2f} ms" for name, sec in breakdown.items())
            rest = r_cpu - sum(breakdown.values())
            text += f" Measured in-process (CPU time) on the same store: {parts}" + (
                f"; the other {rest * 1000:.2f} ms of the {r_cpu * 1000:.2f} ms are the HTTP "
                "server, the framework and the middlewares."
                if rest > 0
                else "."
            )
        out.append(text)
    s_cpu, o_cpu = per_request_cpu(sparql.result), per_request_cpu(oxigraph.result)
    if not (math.isnan(s_cpu) or math.isnan(o_cpu)):
        out.append(
            f"A /sparql request costs wsis-kg {s_cpu * 1000:.1f} ms of CPU (the service and "
            f"its query workers together), Oxigraph server {o_cpu * 1000:.1f} ms "
            f"({ratio(_div(s_cpu, o_cpu))}). Both evaluate the query with the same engine "
            "(Oxigraph 0.5); wsis-kg adds the hop from the event loop to a thread, to a "
            "query worker process and back (the query's deadline can kill the worker), "
            "and the HTTP framework; the query workers (WSISKG_QUERY_WORKERS, 2 by default) "
            "bound how many queries run at once, where Oxigraph's server evaluates queries "
            "on its own threads."
        )
    for system in by.values():
        share = _div(system.result.client_cpu, system.result.elapsed)
        if share > 0.8:
            out.append(
                f"The load generator used {share * 100:.0f}% of a core while loading "
                f"{system.name} (`{system.request}`): on this machine it competes with the "
                "server for the cores, so that figure is a lower bound of what the server "
                "can do."
            )
    rdflib = by["rdflib"].result
    fastest = min(rdflib.latencies) if rdflib.latencies else math.nan
    out.append(
        "rdflib-endpoint evaluates a query on its event loop, one at a time, "
        f"{ms(per_request_cpu(rdflib))} ms of CPU each, so its latency is mostly waiting in "
        f"line: its {rdflib.requests} requests went in rounds of up to "
        f"{settings.connections}, all sent at once, and took from {ms(fastest)} to "
        f"{ms(max(rdflib.latencies, default=math.nan))} ms. Its p99 is its slowest request."
    )
    return out


def busy_note(facts: dict[str, str]) -> str:
    """A warning when other work kept the machine's cores busy during the run."""
    cores = int(facts["cores"]) if facts.get("cores", "").isdigit() else 0
    loads = []
    for key in ("load average before the run", "load average after the run"):
        with contextlib.suppress(ValueError, IndexError, KeyError):
            loads.append(float(facts[key].split()[0]))
    if not cores or not loads or max(loads) <= cores:
        return ""
    return (
        f"The machine was busy with other work during this run (1-minute load average up to "
        f"{max(loads):.1f} on {cores} cores): every system got less CPU than on a quiet "
        "machine, throughputs are lower and latencies longer than they would be, and the "
        "ratios, taken side by side, are what to read; CPU per answer is the steadiest."
    )


def render(
    systems: list[System],
    settings: Settings,
    command: str,
    started: datetime,
    facts: dict[str, str],
    prepared: dict[str, float],
    checks: list[str],
    servers: dict[str, Server],
    breakdown: dict[str, float] | None,
) -> str:
    by = {s.key: s for s in systems}
    parts: list[str] = []
    title = f"## HTTP: the headline route and SPARQL at {settings.connections} connections"
    if settings.smoke:
        title += " (smoke run: the figures mean nothing)"
    parts.append(title)
    parts.append(
        f"Command: `{command}`  \n"
        f"Date: {started:%Y-%m-%d %H:%M} UTC  \n"
        f"Load per system: {settings.duration:g} s in {settings.rounds} round(s) "
        f"(after a {settings.warmup:g} s warm-up), rdflib-endpoint "
        f"{settings.rdflib_requests} requests; {settings.connections} keep-alive "
        "connections on 127.0.0.1."
    )
    machine_text = "### Machine\n\n" + table(["", ""], [[k, v] for k, v in facts.items()])
    busy = busy_note(facts)
    if busy:
        machine_text += "\n" + busy
    parts.append(machine_text)
    parts.append(
        "### How\n\n"
        "Every server runs in its own process on a free port of 127.0.0.1; the load generator "
        "(`bench/loadgen.py`: asyncio, HTTP/1.1 keep-alive, closed loop: each connection sends "
        "its next request when it has read the previous answer to the end) is the benchmark's "
        "process. The systems take turns, round after round in a rotating order, so that a "
        "change in the load of this shared machine affects them all alike; their rounds are "
        "then added up. Latency is from writing the request to reading the last byte of the "
        "answer; req/s is answers divided by the time under load. No request carries "
        "`If-None-Match`: every answer is a full 200. The servers run as shipped: `wsiskg "
        'serve` (uvicorn, `log_level="info"`, defaults otherwise, access log to a file), '
        "the ceiling and rdflib-endpoint under the same `uvicorn.run` settings, Oxigraph's "
        "`serve-read-only --union-default-graph` on a database loaded from wsis-kg's "
        "N-Quads export and optimised. Server CPU is user + system time of the server's "
        "processes (with wsis-kg's query workers) during the load, per answer; client CPU "
        "is the load generator's, in % of one core.\n\n"
        "Before timing, the answers were compared:\n\n"
        + "".join(f"- {line}\n" for line in checks)
        + "\nThe SPARQL query is the named query `"
        + NAMED_QUERY
        + '` (`graph/queries/supporting-work.rq`) with `VALUES ?action_line { "C5" }` '
        "written in and every PREFIX spelled out; the same text goes to every system "
        f"(`GET ?query=`, `Accept: {SPARQL_JSON}`)."
    )
    route_rows = [row(by[k]) for k in ("ours-route", "ceiling-async", "ceiling-sync")]
    rdflib_row = row(by["rdflib"])
    rdflib_row[0] = "rdflib-endpoint¹"
    parts.append(
        "### The headline route\n\n"
        + table(HEADER, [*route_rows, rdflib_row], "llrrrrrrrrrr")
        + "\n¹ The same question as SPARQL (rdflib-endpoint has no REST route): the row of "
        "the next table."
    )
    parts.append(
        "### SPARQL: the query behind the route\n\n"
        + table(HEADER, [row(by[k]) for k in ("ours-sparql", "oxigraph", "rdflib")], "llrrrrrrrrrr")
    )
    pairs = [
        ("headline route", "ours-route", "ceiling (async def)", "ceiling-async"),
        ("headline route", "ours-route", "ceiling (def)", "ceiling-sync"),
        ("headline route", "ours-route", "rdflib-endpoint (SPARQL)", "rdflib"),
        ("/sparql", "ours-sparql", "Oxigraph server", "oxigraph"),
        ("/sparql", "ours-sparql", "rdflib-endpoint", "rdflib"),
    ]
    ratio_rows = []
    for label, ours_key, other, other_key in pairs:
        a, b = by[ours_key].result, by[other_key].result
        ratio_rows.append(
            [
                label,
                other,
                ratio(_div(a.throughput, b.throughput)),
                ratio(_div(a.percentile(50), b.percentile(50))),
                ratio(_div(a.percentile(99), b.percentile(99))),
            ]
        )
    parts.append(
        "### Ratios (ours / theirs)\n\n"
        f"Throughput above 1{TIMES} and latency below 1{TIMES} favour wsis-kg.\n\n"
        + table(
            ["wsis-kg", "against", "req/s ours/theirs", "p50 ours/theirs", "p99 ours/theirs"],
            ratio_rows,
            "llrrr",
        )
    )
    verdict_rows = [
        [v.target, v.measured, ("**met**" if v.met else "**missed**"), v.detail]
        for v in verdicts(by)
    ]
    parts.append(
        "### Targets\n\n" + table(["target", "measured", "verdict", "by"], verdict_rows, "llll")
    )
    parts.append(
        "### Why\n\n" + "".join(f"- {line}\n" for line in observations(by, settings, breakdown))
    )
    setup = [[step, f"{seconds:.1f}"] for step, seconds in prepared.items()]
    setup += [
        [f"{server.name} ready after", f"{server.started_in:.1f}"]
        for server in servers.values()
        if server.started_in is not None
    ]
    parts.append(
        "### Set-up (seconds)\n\n"
        + table(["step", "s"], setup, "lr")
        + "\n(wsis-kg restarts on a store whose data did not change, checking it; "
        "rdflib-endpoint parses the whole export before it listens.)"
    )
    return "\n\n".join(parts) + "\n"


# ---------------------------------------------------------------- the command


def run(args: argparse.Namespace) -> int:
    try:
        settings = settings_from(args)
        return _run(args, settings)
    except BenchError as e:
        say(f"error: {e}")
        return 1


def _run(args: argparse.Namespace, settings: Settings) -> int:
    started = datetime.now(UTC)
    command = "python -m bench " + " ".join(sys.argv[1:]) if sys.argv[1:] else "python -m bench"
    facts = machine.describe(
        ["pyoxigraph", "rdflib", "rdflib-endpoint", "fastapi", "starlette", "uvicorn"],
        {"oxigraph (server)": [executable("oxigraph"), "--version"]},
    )
    temporary = args.workdir is None
    work = Path(tempfile.mkdtemp(prefix="wsiskg-bench-")) if temporary else args.workdir
    work.mkdir(parents=True, exist_ok=True)
    servers = make_servers(work)
    try:
        prepared = prepare(work, args.from_store, servers["rdflib"].start)
        for key, server in servers.items():
            if key != "rdflib":
                server.start()
        wait_ready(list(servers.values()))
        for server in servers.values():
            say(f"{server.name} answers on {server.base} ({server.started_in:.1f} s after start)")
        query = sparql_text()
        checks = check_answers(servers, query)
        systems = systems_of(servers, query)
        run_rounds(systems, settings)
        for server in servers.values():
            server.stop()
        breakdown = route_breakdown(work / "store", 20 if settings.smoke else 300)
    finally:
        for server in servers.values():
            server.stop()
        if temporary:
            shutil.rmtree(work, ignore_errors=True)
    facts["load average after the run"] = machine.load_average()
    text = render(systems, settings, command, started, facts, prepared, checks, servers, breakdown)
    write_section(args.output, "http", text)
    say(f"wrote {args.output}")
    for verdict in verdicts({s.key: s for s in systems}):
        say(f"{'met' if verdict.met else 'MISSED'}: {verdict.target}: {verdict.measured}")
    return 0
