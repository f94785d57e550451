"""Remote store: the API on the embedded store and the same API on an Oxigraph server, side by
side in one run, for the headline question (the REST route and its query through /sparql).

One run prepares a wsis-kg store with the built-in data once (loaded by `wsiskg load`, or a
copy of ``--from-store``) and gives a copy of it to an Oxigraph server (`oxigraph serve`: the
same Oxigraph 0.5 and database format, so the server holds exactly the same quads and
releases). It starts, each in its own process on a free port of 127.0.0.1:

  embedded         `wsiskg serve --store STORE` (the embedded store, query worker processes)
  server           `wsiskg serve` with WSISKG_STORE_URL = the Oxigraph server (one process)
  server, 2 procs  the same with `--workers 2` (two API processes over the one server)
  Oxigraph server  `oxigraph serve` itself, asked the same SPARQL directly (the floor)

checks that they all give the same answer, then loads each in turn, round after round, and
writes the figures into the report (docs/benchmarks.md, its "remote" section). The server
CPU of a system over the Oxigraph server counts the API's processes and the Oxigraph server's.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import httpx

from bench import machine
from bench.http_load import measured_load
from bench.http_report import HEADER, TIMES, _div, ms, ratio, ratio_cells, result_row
from bench.http_systems import ROUTE, SPARQL_JSON, say, sparql_answer, sparql_text
from bench.loadgen import RunResult, get_request
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


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--duration", type=float, default=20.0, help="seconds of load per system (default 20)"
    )
    parser.add_argument(
        "--connections", type=int, default=16, help="concurrent connections (default 16)"
    )
    parser.add_argument("--rounds", type=int, default=4, help="rounds over the systems (default 4)")
    parser.add_argument(
        "--warmup", type=float, default=2.0, help="seconds of warm-up per system (default 2)"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=ROOT / "docs" / "benchmarks.md",
        help="the report (default docs/benchmarks.md); its 'remote' section is rewritten",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        help="keep the prepared store here and reuse it (default: a temporary directory)",
    )
    parser.add_argument(
        "--from-store",
        type=Path,
        help="copy this store (loaded with the built-in data, not in use) instead of loading "
        "a new one",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a few seconds in all: checks the benchmark works, its figures mean nothing",
    )


@dataclass
class Options:
    duration: float
    connections: int
    rounds: int
    warmup: float
    smoke: bool


@dataclass
class System:
    key: str
    scenario: str  # "route" or "sparql"
    name: str
    request: str
    front: Server  # the server the load generator talks to
    behind: list[Server]  # every server whose CPU counts (front included)
    path: str
    params: dict[str, str] | None = None
    accept: str = "application/json"
    result: RunResult = field(default_factory=RunResult)

    def raw(self) -> bytes:
        if self.scenario == "sparql":
            return post_query(HOST, self.front.port, self.path, self.params or {}, self.accept)
        return get_request(HOST, self.front.port, self.path, self.params, self.accept)

    def cpu(self) -> float | None:
        total = 0.0
        for server in self.behind:
            seconds = server.cpu_seconds()
            if seconds is None:
                return None
            total += seconds
        return total


def post_query(host: str, port: int, path: str, params: dict[str, str], accept: str) -> bytes:
    """A POST of the query as ``application/sparql-query`` (keep-alive): never answered from
    a cache, so every request runs the query (a GET /sparql is kept in the API's per-release
    response cache)."""
    body = params["query"].encode("utf-8")
    rest = {k: v for k, v in params.items() if k != "query"}
    target = f"{path}?{urlencode(rest)}" if rest else path
    head = (
        f"POST {target} HTTP/1.1\r\n"
        f"Host: {host}:{port}\r\n"
        f"Accept: {accept}\r\n"
        "Content-Type: application/sparql-query; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n"
        "User-Agent: wsiskg-bench\r\n"
        "\r\n"
    )
    return head.encode("ascii") + body


def options_from(args: argparse.Namespace) -> Options:
    if args.smoke:
        return Options(0.5, args.connections, 1, 0.2, True)
    if args.duration <= 0 or args.rounds < 1 or args.connections < 1:
        raise BenchError("--duration, --rounds and --connections must be positive")
    return Options(args.duration, args.connections, args.rounds, max(0.0, args.warmup), False)


def prepare(work: Path, source: Path | None) -> dict[str, float]:
    """A store with the built-in data (reused when ``work`` has one) and the Oxigraph server's
    copy of it (made anew: a server writes its database)."""
    store, database = work / "store", work / "oxigraph"
    steps: dict[str, float] = {}
    if not (store / "CURRENT").is_file():
        shutil.rmtree(store, ignore_errors=True)
        started = time.monotonic()
        if source is not None:
            if not (source / "CURRENT").is_file():
                raise BenchError(f"{source} is not a store (an Oxigraph database directory)")
            say(f"copying the store {source} ...")
            shutil.copytree(source, store)
            steps["copy of a loaded store"] = time.monotonic() - started
        else:
            say("loading the built-in data into a new store (wsiskg load) ...")
            steps["wsiskg load"] = run_step(
                [*wsiskg(), "load", "--store", str(store)], work / "prepare.log"
            )
    else:
        say(f"reusing the store prepared in {work}")
    shutil.rmtree(database, ignore_errors=True)
    started = time.monotonic()
    shutil.copytree(store, database)
    steps["copy for the Oxigraph server"] = time.monotonic() - started
    return steps


def make_servers(work: Path) -> dict[str, Server]:
    logs = work / "logs"
    logs.mkdir(exist_ok=True)
    oxigraph_port = free_port()
    oxigraph = Server(
        "Oxigraph server",
        [
            executable("oxigraph"),
            "serve",
            "--location",
            str(work / "oxigraph"),
            "--bind",
            f"{HOST}:{oxigraph_port}",
        ],
        oxigraph_port,
        "/query?query=ASK%20%7B%7D",
        logs / "oxigraph.log",
    )
    # every connection comes from 127.0.0.1, one client: lift the per-client limits
    unlimited = {"WSISKG_MAX_CONCURRENT_PER_CLIENT": "1000", "WSISKG_QUERY_BUDGET": "0"}
    remote_env = {**unlimited, "WSISKG_STORE_URL": oxigraph.base}

    def api(name: str, key: str, extra: list[str], env: dict[str, str]) -> Server:
        port = free_port()
        return Server(
            name,
            [*wsiskg(), "serve", "--port", str(port), *extra],
            port,
            "/health",
            logs / f"{key}.log",
            env=env,
        )

    store = str(work / "store")
    return {
        "oxigraph": oxigraph,
        "embedded": api(
            "wsis-kg, embedded",
            "embedded",
            ["--store", store],
            {**unlimited, "WSISKG_STORE": store},
        ),
        "server": api("wsis-kg on the server", "server", [], remote_env),
        "server2": api(
            "wsis-kg on the server, 2 processes", "server2", ["--workers", "2"], remote_env
        ),
    }


def systems_of(servers: dict[str, Server], query: str) -> list[System]:
    q = {"query": query}
    ox_ = servers["oxigraph"]
    embedded, one, two = servers["embedded"], servers["server"], servers["server2"]
    route = f"GET {ROUTE}"
    return [
        System("route-embedded", "route", "embedded", route, embedded, [embedded], ROUTE),
        System("route-server", "route", "Oxigraph server", route, one, [one, ox_], ROUTE),
        System(
            "route-server2", "route", "Oxigraph server, 2 API processes", route, two, [two, ox_],
            ROUTE,
        ),
        System(
            "sparql-embedded", "sparql", "embedded", "POST /sparql", embedded, [embedded],
            "/sparql", q, SPARQL_JSON,
        ),
        System(
            "sparql-server", "sparql", "Oxigraph server", "POST /sparql", one, [one, ox_],
            "/sparql", q, SPARQL_JSON,
        ),
        System(
            "sparql-server2", "sparql", "Oxigraph server, 2 API processes", "POST /sparql", two,
            [two, ox_], "/sparql", q, SPARQL_JSON,
        ),
        System(
            "sparql-oxigraph", "sparql", "Oxigraph server itself (no API)", "POST /query", ox_,
            [ox_], "/query", {**q, "union-default-graph": "true"}, SPARQL_JSON,
        ),
    ]  # fmt: skip


def check_answers(servers: dict[str, Server], query: str) -> list[str]:
    """The same rows from every system, and the same route answer byte for byte."""
    reference = sparql_answer(servers["embedded"].base + "/sparql", query)
    for key in ("server", "server2"):
        answer = sparql_answer(servers[key].base + "/sparql", query)
        if answer.rows != reference.rows or answer.links != reference.links:
            raise BenchError(
                f"{servers[key].name} gives {answer.rows} rows, embedded {reference.rows}"
            )
    direct = httpx.get(
        servers["oxigraph"].base + "/query",
        params={"query": query, "union-default-graph": "true"},
        headers={"Accept": SPARQL_JSON},
        timeout=600,
    )
    if len(direct.json()["results"]["bindings"]) != reference.rows:
        raise BenchError("the Oxigraph server asked directly gives another number of rows")
    bodies = {
        key: httpx.get(servers[key].base + ROUTE, timeout=120).content
        for key in ("embedded", "server", "server2")
    }
    if len(set(bodies.values())) != 1:
        raise BenchError(f"GET {ROUTE} differs between the embedded store and the server")
    return [
        f"`GET /sparql` gave the same {reference.rows} rows ({len(reference.works)} works) on "
        "every system, and the Oxigraph server asked directly the same number",
        f"`GET {ROUTE}` gave the same {len(bodies['embedded']) / 1024:.0f} KB, byte for byte, "
        "on the embedded store and on the server (one and two API processes)",
    ]


def measure(system: System, options: Options, seconds: float) -> RunResult:
    return measured_load(
        system.front.port, system.raw(), system.cpu, options.connections, seconds, None
    )


def run_rounds(systems: list[System], options: Options) -> None:
    for system in systems:
        if options.warmup > 0:
            measure(system, options, options.warmup)
    slot = options.duration / options.rounds
    for r in range(options.rounds):
        order = systems[r % len(systems) :] + systems[: r % len(systems)]
        for system in order:
            result = measure(system, options, slot)
            system.result.merge(result)
            say(
                f"round {r + 1}/{options.rounds} {system.key:<16} {result.requests:>6} req "
                f"{result.throughput:>8.1f} req/s  p50 {ms(result.percentile(50))} ms  "
                f"p99 {ms(result.percentile(99))} ms  errors {result.errors}"
            )


def row(system: System) -> list[str]:
    return result_row(system.name, system.request, system.result)


def render(
    systems: list[System],
    options: Options,
    command: str,
    started: datetime,
    facts: dict[str, str],
    prepared: dict[str, float],
    checks: list[str],
    servers: dict[str, Server],
) -> str:
    by = {s.key: s for s in systems}
    title = "## Remote store: the API on the embedded store and on an Oxigraph server"
    if options.smoke:
        title += " (smoke run: the figures mean nothing)"
    parts = [title]
    parts.append(
        f"Command: `{command}`  \n"
        f"Date: {started:%Y-%m-%d %H:%M} UTC  \n"
        f"Load per system: {options.duration:g} s in {options.rounds} round(s) (after a "
        f"{options.warmup:g} s warm-up); {options.connections} keep-alive connections on "
        "127.0.0.1."
    )
    parts.append("### Machine\n\n" + table(["", ""], [[k, v] for k, v in facts.items()]))
    parts.append(
        "### How\n\n"
        "The same data in both stores: the Oxigraph server (`oxigraph serve`, read-write, as "
        "a deployment runs it) serves a copy of the embedded store's directory (same Oxigraph "
        "0.5, same database format), so both hold the same quads and the same release. "
        "`wsiskg serve` runs over the embedded store (its queries in query worker processes, "
        "as shipped), and with `WSISKG_STORE_URL` over the server, in one API process and in "
        "two (`--workers 2`, the server's default release refresh of 500 ms). The load "
        "generator, the order of the systems and the measures are those of the `http` "
        "section (`bench/loadgen.py`). The route is a GET, as dashboards call it, so it is "
        "answered from the per-release caches; the query is POSTed "
        "(`application/sparql-query`), which no cache keeps, so every request runs it. "
        "The server CPU of a system over the Oxigraph server adds the API's processes and "
        "the Oxigraph server's. All connections come from 127.0.0.1, one client: the "
        "per-client limits are lifted (`WSISKG_MAX_CONCURRENT_PER_CLIENT=1000`, "
        "`WSISKG_QUERY_BUDGET=0`).\n\n"
        "Before timing, the answers were compared:\n\n" + "".join(f"- {c}\n" for c in checks)
    )
    routes = [row(by[k]) for k in ("route-embedded", "route-server", "route-server2")]
    parts.append("### The headline route\n\n" + table(HEADER, routes, "llrrrrrrrrrr"))
    parts.append(
        "### SPARQL: the query behind the route\n\n"
        + table(
            HEADER,
            [
                row(by[k])
                for k in ("sparql-embedded", "sparql-server", "sparql-server2", "sparql-oxigraph")
            ],
            "llrrrrrrrrrr",
        )
    )
    pairs = [
        ("headline route", "route-server", "route-embedded"),
        ("headline route", "route-server2", "route-embedded"),
        ("/sparql", "sparql-server", "sparql-embedded"),
        ("/sparql", "sparql-server2", "sparql-embedded"),
        ("/sparql", "sparql-server", "sparql-oxigraph"),
    ]
    ratio_rows = []
    for label, key, other in pairs:
        a, b = by[key].result, by[other].result
        ratio_rows.append([label, by[key].name, by[other].name, *ratio_cells(a, b)])
    parts.append(
        "### Ratios\n\n"
        f"Throughput below 1{TIMES} and latency above 1{TIMES}: the first system is slower.\n\n"
        + table(
            ["", "system", "against", "req/s", "p50", "p99"],
            ratio_rows,
            "lllrrr",
        )
    )
    parts.append("### What it means\n\n" + "".join(f"- {line}\n" for line in observations(by)))
    setup = [[step, f"{seconds:.1f}"] for step, seconds in prepared.items()]
    setup += [
        [f"{server.name} ready after", f"{server.started_in:.1f}"]
        for server in servers.values()
        if server.started_in is not None
    ]
    parts.append("### Set-up (seconds)\n\n" + table(["step", "s"], setup, "lr"))
    return "\n\n".join(parts) + "\n"


def observations(by: dict[str, System]) -> list[str]:
    route_e, route_s = by["route-embedded"].result, by["route-server"].result
    sparql_e, sparql_s = by["sparql-embedded"].result, by["sparql-server"].result
    direct = by["sparql-oxigraph"].result
    lines = [
        "The headline route answers from the per-release response cache on both stores: no "
        "SPARQL runs per request. On the server each API process also re-reads the release "
        "(one small SELECT) at most every 500 ms (WSISKG_STORE_REFRESH_MS). Its throughput "
        f"on the server is {ratio(_div(route_s.throughput, route_e.throughput))} the "
        "embedded store's.",
        "A /sparql request is not cached. On the embedded store it goes from the API "
        "process to a query worker process (which can be killed at the deadline) and back; "
        "on the server it goes over HTTP to the Oxigraph server, which evaluates it on its "
        "own threads, and its SPARQL JSON is parsed and serialised again by the API. p50 "
        f"{ms(sparql_s.percentile(50))} ms on the server against "
        f"{ms(sparql_e.percentile(50))} ms embedded "
        f"({ratio(_div(sparql_s.percentile(50), sparql_e.percentile(50)))}); the Oxigraph "
        f"server asked directly: {ms(direct.percentile(50))} ms.",
        "Two API processes over one server bring more cores to the API's own work (HTTP, "
        "JSON); the query work stays on the Oxigraph server, which every process shares. On "
        "a machine with few cores the two processes, the server and the load generator "
        "compete for them.",
    ]
    return lines


def run(args: argparse.Namespace) -> int:
    return _run(args, options_from(args))


def _run(args: argparse.Namespace, options: Options) -> int:
    started = datetime.now(UTC)
    command = "python -m bench " + " ".join(sys.argv[1:]) if sys.argv[1:] else "python -m bench"
    facts = machine.describe(
        ["pyoxigraph", "fastapi", "uvicorn", "httpx"],
        {"oxigraph (server)": [executable("oxigraph"), "--version"]},
    )
    temporary = args.workdir is None
    work = Path(tempfile.mkdtemp(prefix="wsiskg-bench-remote-")) if temporary else args.workdir
    work.mkdir(parents=True, exist_ok=True)
    servers = make_servers(work)
    try:
        prepared = prepare(work, args.from_store)
        servers["oxigraph"].start()
        servers["embedded"].start()
        wait_ready([servers["oxigraph"], servers["embedded"]])
        # one after the other: the first checks the built-in data on the server
        servers["server"].start()
        wait_ready([servers["server"]])
        servers["server2"].start()
        wait_ready([servers["server2"]])
        for server in servers.values():
            say(f"{server.name} answers on {server.base} ({server.started_in:.1f} s after start)")
        query = sparql_text()
        checks = check_answers(servers, query)
        systems = systems_of(servers, query)
        run_rounds(systems, options)
    finally:
        for server in servers.values():
            server.stop()
        if temporary:
            shutil.rmtree(work, ignore_errors=True)
    facts["load average after the run"] = machine.load_average()
    text = render(systems, options, command, started, facts, prepared, checks, servers)
    write_section(args.output, "remote", text)
    say(f"wrote {args.output}")
    return 0
