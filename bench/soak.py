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
               within the longest wait for a worker (WSISKG_QUERY_MAX_WAIT, 10 s), the
               deadline and 1 s
  abusive      ``--abusive`` more clients send nothing but that query, again and again (a
               runaway notebook; 0.2 s after a refusal): each must be refused, a 429 once
               its query time is used up (graph/fairness.py) or a 503, never answer 200

A 503 is expected only for the pathological queries; any other status that is not 200, and
any request that got no answer, is an error. Every few seconds the resident memory of the
server and of its query workers (/proc) is sampled; the drift is the mean of the last minute
against that of the first; open file descriptors (/proc/PID/fd) are counted before the
clients connect and after they left. The figures go into docs/reliability.md, section soak.

``--smoke``: about 25 seconds over the built-in data only, a pathological query every 8 s,
one abusive client, a budget of 8 s (``--budget``: the server's query time per client);
it checks that the soak works and writes no report unless ``--output`` is given (the test
tests/test_soak_smoke.py runs it in CI).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench import machine
from bench.servers import ROOT
from bench.soak_clients import SoakResult, soak
from bench.soak_report import END, START, render, write_report
from bench.soak_settings import SEED, SoakSettings, say, settings_from
from bench.soak_store import prepare, synthetic_copies


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
    parser.add_argument(
        "--abusive",
        type=int,
        help="clients, besides --clients, that send only the pathological query, back to back "
        "(default 0; with --smoke 1)",
    )
    parser.add_argument(
        "--budget",
        type=float,
        help="the server's WSISKG_QUERY_BUDGET and WSISKG_QUERY_BUDGET_BURST, seconds of "
        "query time per client per minute (default: the server's defaults; with --smoke 8)",
    )
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="about 25 s over the built-in data only: checks that the soak works",
    )


# ---------------------------------------------------------------- the command


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    result, text = run_soak(args, settings)
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


__all__ = [  # what tests and other benchmarks use, wherever it is written
    "END",
    "START",
    "SoakResult",
    "SoakSettings",
    "add_arguments",
    "render",
    "run",
    "soak",
    "synthetic_copies",
    "write_report",
]
