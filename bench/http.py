"""HTTP: the headline REST route and a SPARQL query at N concurrent connections, side by side
with Oxigraph's own server, rdflib-endpoint and a constant FastAPI route (the ceiling).

One run prepares the data once (a wsis-kg store with the built-in data, its N-Quads export,
an Oxigraph server database loaded from that export), starts every server in its own process
on a free port of 127.0.0.1, checks that the SPARQL systems give the same rows, warms each
system up, then loads them in turn, round after round (the order rotating), so that all of
them see the same machine; and writes the figures, the ratios and the targets into the
report (docs/benchmarks.md, its "http" section). A smoke run (--smoke) does all this on
reduced data (bench/http_systems.py, SMOKE_LEAVES_OUT) with tiny durations.

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
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench import machine
from bench.http_load import route_breakdown, run_rounds
from bench.http_report import render, verdicts
from bench.http_systems import (
    Settings,
    check_answers,
    make_servers,
    prepare,
    say,
    settings_from,
    sparql_text,
    systems_of,
)
from bench.report import write_section
from bench.servers import (
    ROOT,
    executable,
    wait_ready,
)


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
        help="a few seconds of load in all (every system, tiny durations) on reduced data "
        "(the built-in data without the ITU-T Recommendations table, loaded anew: no "
        "--from-store): checks the benchmark works, its figures mean nothing",
    )


# ---------------------------------------------------------------- the command


def run(args: argparse.Namespace) -> int:
    return _run(args, settings_from(args))


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
    # a smoke run's reduced data is served as it is: `wsiskg serve` would load the rest
    servers = make_servers(work, builtin=not settings.smoke)
    try:
        prepared = prepare(work, args.from_store, servers["rdflib"].start, smoke=settings.smoke)
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
