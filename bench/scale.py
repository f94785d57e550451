"""Scale: load, questions, HTTP and memory from 10 thousand to 10 million triples, side by
side with pyoxigraph's own bulk load and queries (the floor), rdflib and its endpoint (what
many Python projects use), Oxigraph's server and a constant FastAPI route (the ceiling).

For each scale (``--scales 10k,100k,1m``) one run:

1. generates a domain-shaped graph of that size (bench/generate.py, ``--seed``);
2. loads the same N-Triples file three ways, each in a new process whose peak resident
   memory is read by ``os.wait4``: wsis-kg's loader (``graph.files.load_file``: parse,
   checks, one transaction with provenance and entailments; from 32 MiB, the 1M file and up,
   its bulk path, graph/bulk.py), pyoxigraph's ``bulk_load``
   (no transaction: the floor) and rdflib parsing into a ``Graph``;
3. asks four questions in one process on the store wsis-kg loaded (bench/scale_child.py):
   the headline question (``supporting-work`` for C5), the matrix, a full-text search and
   a three-hop query, p50 and p99 of ``--repeat`` runs: wsis-kg uncached (a new answer
   cache each run) and cached (per release), the same SPARQL on raw pyoxigraph (the same
   store) and on rdflib's engine (a ``Dataset`` of the store's N-Quads export; up to
   ``--rdflib-max``);
4. over HTTP at 16 connections on 127.0.0.1 (bench/http.py, the same servers and load
   generator as ``python -m bench http``): wsis-kg's headline route and ``/sparql``, Oxigraph
   server, rdflib-endpoint (up to ``--rdflib-max``) and the constant-JSON ceiling, taking
   turns; then the resident memory of each serving process (with its query workers);

then the text loader (bench/textload.py) once, and writes the figures, the ratios and the
targets into docs/benchmarks.md (section "scale") with a plot of cost against size
(docs/benchmarks-scale.png). ``--smoke``: 10k triples, a few runs (rdflib's engine not asked
the matrix), a second of HTTP per system, no report unless ``--output`` is given
(tests/test_bench_scale_smoke.py runs it).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench import machine, textload
from bench.generate import _size
from bench.report import write_section
from bench.scale_measure import ScaleResult, Settings, measure_scale, run_child, say, settings_from
from bench.scale_plot import write_plot
from bench.scale_report import render, verdicts


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scales", default="10k,100k,1m", help="sizes in triples (10k, 1m ...)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=30, help="runs per question and system")
    parser.add_argument(
        "--rdflib-max",
        type=_size,
        default=100_000,
        help="the largest scale at which rdflib's engine and rdflib-endpoint run (default 100k)",
    )
    parser.add_argument(
        "--rdflib-load-max",
        type=_size,
        default=1_000_000,
        help="the largest scale at which rdflib parses the file (default 1m)",
    )
    parser.add_argument("--rdflib-seconds", type=float, default=60.0, help="per question")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP part")
    parser.add_argument("--http-duration", type=float, default=8.0, help="seconds per system")
    parser.add_argument("--http-rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rdflib-requests", type=int, default=32)
    parser.add_argument("--no-textload", action="store_true", help="skip the text loader")
    parser.add_argument("--workdir", type=Path, help="keep the data here (default: temporary)")
    parser.add_argument("--output", type=Path, help="the report (default docs/benchmarks.md)")
    parser.add_argument("--plot", type=Path, help="the PNG (default docs/benchmarks-scale.png)")
    parser.add_argument("--smoke", action="store_true", help="10k triples, seconds, no report")


# ---------------------------------------------------------------- running it


def run(args: argparse.Namespace) -> int:
    return _run(settings_from(args))


def _run(settings: Settings) -> int:
    started = datetime.now(UTC)
    command = (
        "python -m bench " + " ".join(sys.argv[1:]) if sys.argv[1:] else "python -m bench scale"
    )
    facts = machine.describe(["pyoxigraph", "rdflib", "rdflib-endpoint", "fastapi", "uvicorn"])
    work = settings.workdir or Path(tempfile.mkdtemp(prefix="wsiskg-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    baseline = run_child(["baseline"], work / "baseline.log")
    results: list[ScaleResult] = []
    try:
        for target in settings.scales:
            results.append(measure_scale(target, settings, work))
    finally:
        if settings.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    facts["load average after the run"] = machine.load_average()
    for v in verdicts(results):
        mark = "not run" if v.met is None else ("met" if v.met else "MISSED")
        say(f"{mark}: {v.target}: {v.measured}")
    if settings.output is None:
        return 0
    if settings.plot is not None:
        write_plot(results, settings.plot)
        say(f"wrote {settings.plot}")
    text = render(
        results, settings, command, started, facts, baseline.peak_rss, settings.plot, __doc__ or ""
    )
    write_section(settings.output, "scale", text)
    # the figures as measured, for a later plot or comparison
    figures = settings.output.with_name(settings.output.stem + "-scale.json")
    figures.write_text(json.dumps([dataclasses.asdict(r) for r in results], indent=1) + "\n")
    say(f"wrote {settings.output} and {figures}")
    if settings.textload:
        say("the text loader (bench/textload.py)")
        return textload.run(
            argparse.Namespace(
                lengths=None,
                seconds=None,
                seed=settings.seed,
                smoke=settings.smoke,
                output=settings.output,
            )
        )
    return 0
