"""Scale: load, questions, HTTP and memory from 10 thousand to 10 million triples, side by
side with pyoxigraph's own bulk load and queries (the floor), rdflib and its endpoint (what
many Python projects use), Oxigraph's server and a constant FastAPI route (the ceiling).

For each scale (``--scales 10k,100k,1m``) one run:

1. generates a domain-shaped graph of that size (bench/generate.py, ``--seed``);
2. loads the same N-Triples file three ways, each in a new process whose peak resident
   memory is read by ``os.wait4``: wsis-kg's loader (``graph.files.load_file``: parse,
   checks, one transaction with provenance and entailments), pyoxigraph's ``bulk_load``
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
(docs/benchmarks-scale.png). ``--smoke``: 10k triples, a few runs, a second of HTTP per
system, no report unless ``--output`` is given (tests/test_bench_scale_smoke.py runs it).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import machine
from bench.generate import _size, generate_file
from bench.report import table, write_section
from bench.servers import ROOT, BenchError, wait_ready

TIMES = "\u00d7"
QUESTIONS = {
    "headline": "the headline question: `supporting-work` for C5 "
    "(`GET /action-lines/C5/supporting-work`)",
    "matrix": "the matrix: `matrix`, all evidence and sources (`GET /matrix`)",
    "search": "full-text search for *security* (wsis-kg: its SQLite FTS5 index, 20 best of all "
    "hits; SPARQL: every clause whose text contains the word)",
    "three-hop": "three hops: clauses supporting C5 → sections → resolution versions → "
    "resolutions, counted (bench/scale_child.py)",
}
NAMED = ("headline", "matrix", "three-hop")  # the questions wsis-kg answers from a SPARQL query

# the targets of issue 8
LOAD_TARGET = 1.5  # our load / pyoxigraph bulk_load
UNCACHED_TARGET = 1.2  # our uncached named query / the same SPARQL on raw pyoxigraph
CACHED_TARGET = 0.001  # seconds, p50 in process
MATRIX_TARGET = 0.050  # seconds, /matrix uncached at 1M triples
CEILING_TARGET = 0.5  # headline route throughput / constant-JSON ceiling
RDFLIB_TARGET = 50.0  # headline route throughput / rdflib-endpoint at 100k triples


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


@dataclass
class Settings:
    scales: list[int]
    seed: int
    repeat: int
    rdflib_max: int
    rdflib_load_max: int
    rdflib_seconds: float
    http: bool
    http_duration: float
    http_rounds: int
    connections: int
    rdflib_requests: int
    textload: bool
    smoke: bool
    output: Path | None
    plot: Path | None
    workdir: Path | None


def settings_from(args: argparse.Namespace) -> Settings:
    scales = sorted({_size(part) for part in args.scales.split(",") if part.strip()})
    if args.smoke:
        return Settings(
            scales=[10_000],
            seed=args.seed,
            repeat=3,
            rdflib_max=10_000,
            rdflib_load_max=10_000,
            rdflib_seconds=5.0,
            http=not args.no_http,
            http_duration=1.0,
            http_rounds=1,
            connections=args.connections,
            rdflib_requests=2,
            textload=not args.no_textload,
            smoke=True,
            output=args.output,
            plot=args.plot,
            workdir=args.workdir,
        )
    if not scales or args.repeat < 1 or args.http_duration <= 0 or args.http_rounds < 1:
        raise BenchError("--scales, --repeat, --http-duration and --http-rounds must be positive")
    return Settings(
        scales=scales,
        seed=args.seed,
        repeat=args.repeat,
        rdflib_max=args.rdflib_max,
        rdflib_load_max=args.rdflib_load_max,
        rdflib_seconds=args.rdflib_seconds,
        http=not args.no_http,
        http_duration=args.http_duration,
        http_rounds=args.http_rounds,
        connections=args.connections,
        rdflib_requests=args.rdflib_requests,
        textload=not args.no_textload,
        smoke=False,
        output=args.output or ROOT / "docs" / "benchmarks.md",
        plot=args.plot or ROOT / "docs" / "benchmarks-scale.png",
        workdir=args.workdir,
    )


def say(message: str) -> None:
    print(f"[scale] {message}", file=sys.stderr, flush=True)


def label(triples: int) -> str:
    if triples >= 1_000_000 and triples % 1_000_000 == 0:
        return f"{triples // 1_000_000}M"
    if triples >= 1_000 and triples % 1_000 == 0:
        return f"{triples // 1_000}k"
    return f"{triples:,}"


# ---------------------------------------------------------------- child processes


@dataclass
class ChildResult:
    data: dict[str, Any]
    peak_rss: int  # bytes
    wall: float


def run_child(args: list[str], log: Path) -> ChildResult:
    """``python -m bench.scale_child ARGS`` in a new process; its JSON answer and its peak
    resident memory (``ru_maxrss``, read when it is reaped)."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, log.open("ab") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "bench.scale_child", *args],
            cwd=ROOT,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        lines = out.read().decode("utf-8", "replace").strip().splitlines()
    wall = time.monotonic() - started
    if process.returncode != 0 or not lines:
        raise BenchError(
            f"bench.scale_child {' '.join(args)} failed (exit {process.returncode}); see {log}"
        )
    return ChildResult(json.loads(lines[-1]), usage.ru_maxrss * 1024, wall)


# ---------------------------------------------------------------- one scale


@dataclass
class Load:
    system: str
    seconds: float
    peak_rss: int
    count: int


@dataclass
class HttpRow:
    key: str
    name: str
    request: str
    requests: int
    errors: int
    throughput: float
    p50: float
    p99: float


@dataclass
class ScaleResult:
    target: int
    triples: int
    file_bytes: int
    generate_seconds: float
    quads: int = 0
    entailments: int = 0
    loads: list[Load] = field(default_factory=list)
    load_parts: dict[str, float] = field(default_factory=dict)  # of wsis-kg's load
    questions: dict[str, dict[str, Any]] = field(default_factory=dict)
    index_seconds: float = 0.0
    rdflib_parse_seconds: float | None = None
    query_peak_rss: int = 0
    http: list[HttpRow] = field(default_factory=list)
    http_checks: list[str] = field(default_factory=list)
    serving_rss: dict[str, int] = field(default_factory=dict)  # server name -> bytes
    notes: list[str] = field(default_factory=list)

    def load(self, system: str) -> Load | None:
        return next((x for x in self.loads if x.system == system), None)

    def http_row(self, key: str) -> HttpRow | None:
        return next((x for x in self.http if x.key == key), None)


def measure_scale(target: int, settings: Settings, work: Path) -> ScaleResult:
    here = work / label(target)
    here.mkdir(parents=True, exist_ok=True)
    log = here / "steps.log"
    data = here / "graph.nt"
    marker = here / "graph.json"
    wanted = {"target": target, "seed": settings.seed}
    if data.exists() and marker.exists() and json.loads(marker.read_text())["wanted"] == wanted:
        facts = json.loads(marker.read_text())
        say(f"{label(target)}: reusing {data}")
    else:
        say(f"{label(target)}: generating {target:,} triples")
        started = time.monotonic()
        count = generate_file(target, data, settings.seed)
        facts = {"wanted": wanted, "triples": count, "seconds": time.monotonic() - started}
        marker.write_text(json.dumps(facts))
    result = ScaleResult(target, facts["triples"], data.stat().st_size, facts["seconds"])

    # 2. the loads, each into a new store
    ours_store = here / "store"
    for system in ("bulk", "extend", "ours", "rdflib"):
        if system == "rdflib" and target > settings.rdflib_load_max:
            result.notes.append(
                f"rdflib did not parse the file at this scale (--rdflib-load-max "
                f"{label(settings.rdflib_load_max)}): see 'Where it stops'"
            )
            continue
        store = here / f"store-{system}" if system != "ours" else ours_store
        shutil.rmtree(store, ignore_errors=True)
        say(f"{label(target)}: load ({system})")
        args = [f"load-{system}", str(data)] + ([str(store)] if system != "rdflib" else [])
        child = run_child(args, log)
        count = int(child.data.get("quads", child.data.get("triples", 0)))
        result.loads.append(Load(system, float(child.data["seconds"]), child.peak_rss, count))
        if system == "ours":
            result.quads = count
            result.entailments = int(child.data["entailments"])
            result.load_parts = {
                k: float(child.data[k])
                for k in ("read_seconds", "transaction_seconds", "rules_seconds")
            }
        if system in ("bulk", "extend"):
            shutil.rmtree(store, ignore_errors=True)

    # 3. the questions in process
    say(f"{label(target)}: questions in process")
    args = ["queries", str(ours_store), "--repeat", str(settings.repeat)]
    if target <= settings.rdflib_max:
        args += ["--rdflib", "--rdflib-seconds", str(settings.rdflib_seconds)]
    child = run_child(args, log)
    result.questions = child.data["questions"]
    result.index_seconds = float(child.data["index_seconds"])
    result.rdflib_parse_seconds = child.data.get("rdflib_parse_seconds")
    result.query_peak_rss = child.peak_rss

    # 4. HTTP
    if settings.http:
        try:
            measure_http(result, settings, here, ours_store)
        except BenchError as e:  # the other figures of this scale stand; the report says so
            if settings.smoke:
                raise
            say(f"{label(target)}: HTTP not measured: {e}")
            result.notes.append(f"HTTP not measured: {e}")
    # kept as soon as measured: a later scale that fails does not lose this one
    (here / "result.json").write_text(json.dumps(dataclasses.asdict(result), indent=1) + "\n")
    return result


def measure_http(result: ScaleResult, settings: Settings, here: Path, store: Path) -> None:
    from bench import http
    from bench.soak import process_tree, rss_bytes

    work = here / "http"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    servers = http.make_servers(work, builtin=False)
    with_rdflib = result.target <= settings.rdflib_max
    if not with_rdflib:
        del servers["rdflib"]
    try:
        say(f"{label(result.target)}: HTTP: preparing the servers' data")
        http.prepare(work, store, servers["rdflib"].start if with_rdflib else None)
        for key, server in servers.items():
            if key != "rdflib":
                server.start()
        wait_ready(list(servers.values()))
        query = http.sparql_text()
        result.http_checks = http.check_answers(servers, query)
        systems = http.systems_of(servers, query)
        http_settings = http.Settings(
            duration=settings.http_duration * settings.http_rounds,
            connections=settings.connections,
            rounds=settings.http_rounds,
            warmup=min(2.0, settings.http_duration / 4),
            rdflib_requests=settings.rdflib_requests,
            smoke=settings.smoke,
        )
        http.run_rounds(systems, http_settings)
        for key, server in servers.items():
            if server.process is not None:
                pids = process_tree(server.process.pid)
                result.serving_rss[key] = sum(rss_bytes(pid) for pid in pids)
        for s in systems:
            r = s.result
            result.http.append(
                HttpRow(
                    s.key,
                    s.name,
                    s.request,
                    r.requests,
                    r.errors,
                    r.throughput,
                    r.percentile(50),
                    r.percentile(99),
                )
            )
    finally:
        for server in servers.values():
            server.stop()
        shutil.rmtree(work / "store", ignore_errors=True)
        shutil.rmtree(work / "oxigraph", ignore_errors=True)


# ---------------------------------------------------------------- the report


def ms(seconds: float | None) -> str:
    if seconds is None or math.isnan(seconds):
        return "—"
    value = seconds * 1000
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 1:
        return f"{value:.1f}"
    if value >= 0.01:
        return f"{value:.3f}"
    return f"{value:.4f}"


def seconds_text(seconds: float) -> str:
    return f"{seconds:,.1f}" if seconds >= 10 else f"{seconds:.2f}"


def mib(n: int) -> str:
    return f"{n / 2**20:,.0f}"


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def ratio_text(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 100:
        return f"{value:,.0f}{TIMES}"
    if value >= 10:
        return f"{value:.1f}{TIMES}"
    return f"{value:.2f}{TIMES}"


def p50(results: ScaleResult, question: str, system: str) -> float | None:
    entry = results.questions.get(question, {}).get(system)
    return None if entry is None else float(entry["p50"])


def p99(results: ScaleResult, question: str, system: str) -> float | None:
    entry = results.questions.get(question, {}).get(system)
    return None if entry is None else float(entry["p99"])


@dataclass
class Verdict:
    target: str
    measured: str
    met: bool | None  # None: not measured in this run


def verdicts(results: list[ScaleResult]) -> list[Verdict]:
    out: list[Verdict] = []
    for r in results:
        ours, bulk = r.load("ours"), r.load("bulk")
        if ours and bulk:
            value = ours.seconds / bulk.seconds
            out.append(
                Verdict(
                    f"load ≤ {LOAD_TARGET}{TIMES} pyoxigraph bulk_load ({label(r.target)})",
                    f"{ratio_text(value)} ({seconds_text(ours.seconds)} s vs "
                    f"{seconds_text(bulk.seconds)} s)",
                    value <= LOAD_TARGET,
                )
            )
    for r in results:
        for q in NAMED:
            against = ratio(p50(r, q, "ours_uncached"), p50(r, q, "raw"))
            if against is not None:
                out.append(
                    Verdict(
                        f"uncached {q} ≤ {UNCACHED_TARGET}{TIMES} raw pyoxigraph, p50 "
                        f"({label(r.target)})",
                        f"{ratio_text(against)} ({ms(p50(r, q, 'ours_uncached'))} ms vs "
                        f"{ms(p50(r, q, 'raw'))} ms)",
                        against <= UNCACHED_TARGET,
                    )
                )
    worst = max(
        (
            (p50(r, q, "ours_cached") or 0.0, label(r.target), q)
            for r in results
            for q in NAMED
            if p50(r, q, "ours_cached") is not None
        ),
        default=None,
    )
    if worst is not None:
        out.append(
            Verdict(
                "cached answers ≤ 1 ms p50 in process, at every scale",
                f"worst {ms(worst[0])} ms ({worst[2]}, {worst[1]})",
                worst[0] <= CACHED_TARGET,
            )
        )
    at_1m = next((r for r in results if r.target == 1_000_000), None)
    if at_1m is not None and p50(at_1m, "matrix", "ours_uncached") is not None:
        value = p50(at_1m, "matrix", "ours_uncached") or 0.0
        out.append(
            Verdict(
                "/matrix at 1M triples ≤ 50 ms uncached (p50)",
                f"{ms(value)} ms (raw SPARQL {ms(p50(at_1m, 'matrix', 'raw'))} ms)",
                value <= MATRIX_TARGET,
            )
        )
    else:
        out.append(Verdict("/matrix at 1M triples ≤ 50 ms uncached", "1M not run", None))
    for r in results:
        route, ceiling = r.http_row("ours-route"), r.http_row("ceiling-async")
        if route and ceiling:
            value = route.throughput / ceiling.throughput
            out.append(
                Verdict(
                    f"HTTP headline ≥ {CEILING_TARGET}{TIMES} the constant-JSON ceiling "
                    f"({label(r.target)})",
                    f"{ratio_text(value)} ({route.throughput:,.0f} vs "
                    f"{ceiling.throughput:,.0f} req/s)",
                    value >= CEILING_TARGET,
                )
            )
    at_100k = next((r for r in results if r.target == 100_000), None)
    if at_100k is not None:
        route, rdflib = at_100k.http_row("ours-route"), at_100k.http_row("rdflib")
        if route and rdflib and rdflib.throughput > 0:
            value = route.throughput / rdflib.throughput
            out.append(
                Verdict(
                    f"HTTP headline ≥ {RDFLIB_TARGET:.0f}{TIMES} rdflib-endpoint at 100k",
                    f"{ratio_text(value)} ({route.throughput:,.0f} vs "
                    f"{rdflib.throughput:,.2f} req/s)",
                    value >= RDFLIB_TARGET,
                )
            )
    return out


def render(
    results: list[ScaleResult],
    settings: Settings,
    command: str,
    started: datetime,
    facts: dict[str, str],
    baseline_rss: int,
    plot: Path | None,
) -> str:
    parts = [
        "## Scale: from 10 thousand to millions of triples",
        "",
        f"Command: `{command}`  ",
        f"Date: {started:%Y-%m-%d %H:%M} UTC  ",
        f"Scales: {', '.join(label(r.target) for r in results)} (seed {settings.seed}); "
        f"{settings.repeat} runs per question and system in process; HTTP "
        f"{settings.http_duration:g} s {TIMES} {settings.http_rounds} rounds per system at "
        f"{settings.connections} connections.",
        "",
        "### Machine",
        "",
        table(["", ""], [[k, v] for k, v in facts.items()]),
        "### How",
        "",
        (__doc__ or "").split("\n\n", 1)[1].strip(),
        "",
        "Peak memory is the peak resident set of the process that did the step, which "
        "includes the Python interpreter and the imported libraries "
        f"({mib(baseline_rss)} MiB for a process that only imports "
        "them). Latencies are wall-clock seconds in process, from the call to the last row "
        "in Python values; the systems' runs of one question are made one after the other, "
        "question by question.",
    ]
    if plot is not None:
        parts += ["", f"![cost against size]({plot.name})"]
    parts += ["", "### Targets", ""]
    rows = []
    for v in verdicts(results):
        mark = "not run" if v.met is None else ("met" if v.met else "**missed**")
        rows.append([v.target, v.measured, mark])
    parts.append(table(["target", "measured", ""], rows))
    parts += ["### The data", ""]
    parts.append(
        table(
            [
                "scale",
                "triples in the file",
                "N-Triples MB",
                "generated in s",
                "quads in the store",
                "of them entailed",
                "search index built in s",
            ],
            [
                [
                    label(r.target),
                    f"{r.triples:,}",
                    f"{r.file_bytes / 1e6:,.1f}",
                    seconds_text(r.generate_seconds),
                    f"{r.quads:,}",
                    f"{r.entailments:,}",
                    seconds_text(r.index_seconds),
                ]
                for r in results
            ],
            "lrrrrrr",
        )
    )
    parts += [
        "The store holds the file's triples, the ontology, the provenance of the load and the "
        "entailments the rules derive from them (graph/rules/); the questions run on it.",
        "",
        "### Bulk load",
        "",
    ]
    names = {
        "ours": "wsis-kg `load_file`",
        "bulk": "pyoxigraph `bulk_load`",
        "extend": "pyoxigraph `Store.extend` (one transaction)",
        "rdflib": "rdflib `Graph.parse`",
    }
    load_rows = []
    for r in results:
        bulk = r.load("bulk")
        for system in ("ours", "bulk", "extend", "rdflib"):
            x = r.load(system)
            if x is None:
                continue
            load_rows.append(
                [
                    label(r.target),
                    names[system],
                    seconds_text(x.seconds),
                    f"{r.triples / x.seconds:,.0f}",
                    mib(x.peak_rss),
                    ratio_text(ratio(x.seconds, bulk.seconds if bulk else None)),
                ]
            )
    parts.append(
        table(
            ["scale", "system", "seconds", "triples/s", "peak RSS MiB", "time vs bulk_load"],
            load_rows,
            "llrrrr",
        )
    )
    part_rows = []
    for r in results:
        bulk, parts_of = r.load("bulk"), r.load_parts
        if not parts_of or bulk is None:
            continue
        part_rows.append(
            [
                label(r.target),
                seconds_text(parts_of["read_seconds"]),
                seconds_text(parts_of["transaction_seconds"]),
                seconds_text(parts_of["rules_seconds"]),
                seconds_text(bulk.seconds),
                ratio_text(ratio(parts_of["transaction_seconds"], bulk.seconds)),
            ]
        )
    if part_rows:
        parts += [
            "Where wsis-kg's load time goes: reading the file (pyoxigraph's parser, then the "
            "NFC and identifier checks of loaders/unicode.py in Python), and the one "
            "transaction that replaces the graph and records its provenance, the release and "
            "the entailments; the entailment rules alone (graph/rules/, run again after the "
            "load) are part of that transaction.",
            "",
            table(
                [
                    "scale",
                    "read s",
                    "transaction s",
                    "of it, the rules s",
                    "bulk_load s",
                    "transaction vs bulk_load",
                ],
                part_rows,
                "lrrrrr",
            ),
        ]
    parts += ["### The questions in process", ""]
    for q, title in QUESTIONS.items():
        parts += [f"**{q}**: {title}", ""]
        q_rows = []
        for r in results:
            entry = r.questions.get(q)
            if not entry:
                continue
            rows_count = entry["ours_uncached"]["rows"]
            raw_rows = entry["raw"]["rows"]
            q_rows.append(
                [
                    label(r.target),
                    f"{rows_count:,}" + (f" / {raw_rows:,}" if raw_rows != rows_count else ""),
                    f"{ms(p50(r, q, 'ours_uncached'))} / {ms(p99(r, q, 'ours_uncached'))}",
                    f"{ms(p50(r, q, 'ours_cached'))} / {ms(p99(r, q, 'ours_cached'))}"
                    if "ours_cached" in entry
                    else "—",
                    f"{ms(p50(r, q, 'raw'))} / {ms(p99(r, q, 'raw'))}",
                    f"{ms(p50(r, q, 'rdflib'))} / {ms(p99(r, q, 'rdflib'))} "
                    f"({entry['rdflib']['runs']} runs)"
                    if "rdflib" in entry
                    else "not run",
                    ratio_text(ratio(p50(r, q, "ours_uncached"), p50(r, q, "raw"))),
                    ratio_text(ratio(p50(r, q, "rdflib"), p50(r, q, "raw"))),
                ]
            )
        parts.append(
            table(
                [
                    "scale",
                    "rows",
                    "wsis-kg uncached p50 / p99 ms",
                    "wsis-kg cached",
                    "raw pyoxigraph",
                    "rdflib engine",
                    "uncached / raw",
                    "rdflib / raw",
                ],
                q_rows,
                "lrrrrrrr",
            )
        )
    precompute_rows = [
        f"{label(r.target)}: {ms(p50(r, 'matrix', 'precompute'))} ms"
        for r in results
        if p50(r, "matrix", "precompute") is not None
    ]
    if precompute_rows:
        parts += [
            "wsis-kg answers the matrix from its unfiltered answer, computed once per data "
            "release (`# precompute:` in graph/queries/matrix.rq; the API computes it when it "
            "starts and after each write, in the background): the uncached column is a "
            "matrix request after a release, with an empty answer cache; computing the "
            "unfiltered answer itself took (p50) " + "; ".join(precompute_rows) + ".",
            "",
        ]
    parse_rows = [
        [label(r.target), seconds_text(r.rdflib_parse_seconds)]
        for r in results
        if r.rdflib_parse_seconds is not None
    ]
    if parse_rows:
        parts += [
            "rdflib's engine queried a `Dataset(default_union=True)` parsed from the store's "
            "N-Quads export (the same quads), parsed in: "
            + "; ".join(f"{a}: {b} s" for a, b in parse_rows)
            + ".",
            "",
        ]
    if any(r.http for r in results):
        parts += ["### HTTP at " + str(settings.connections) + " connections", ""]
        http_rows = []
        for r in results:
            for h in r.http:
                http_rows.append(
                    [
                        label(r.target),
                        h.name,
                        f"`{h.request}`",
                        f"{h.requests:,}",
                        str(h.errors),
                        f"{h.throughput:,.1f}",
                        ms(h.p50),
                        ms(h.p99),
                    ]
                )
        parts.append(
            table(
                ["scale", "system", "request", "requests", "errors", "req/s", "p50 ms", "p99 ms"],
                http_rows,
                "lllrrrrr",
            )
        )
        checks = [
            f"- {label(r.target)}: " + "; ".join(r.http_checks) for r in results if r.http_checks
        ]
        if checks:
            parts += ["Before timing, the answers were compared:", "", *checks, ""]
        parts += ["### Memory of a serving process", ""]
        names_rss = {
            "ours": "wsis-kg (`wsiskg serve` and its query workers)",
            "oxigraph": "Oxigraph server",
            "rdflib": "rdflib-endpoint",
            "ceiling": "ceiling (constant FastAPI)",
        }
        mem_rows = []
        for r in results:
            for key, name in names_rss.items():
                if key in r.serving_rss:
                    mem_rows.append([label(r.target), name, mib(r.serving_rss[key])])
        parts.append(table(["scale", "server", "resident MiB after the load"], mem_rows, "llr"))
    notes = [f"- {label(r.target)}: {n}" for r in results for n in r.notes]
    if notes:
        parts += ["### Notes", "", *notes, ""]
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------- the plot


def write_plot(results: list[ScaleResult], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r.triples for r in results]
    fig, axes = plt.subplots(2, 2, figsize=(12, 9))
    ax = axes[0][0]
    for system, name in (
        ("ours", "wsis-kg load"),
        ("bulk", "pyoxigraph bulk_load"),
        ("extend", "pyoxigraph extend"),
        ("rdflib", "rdflib parse"),
    ):
        points = [(r.triples, x.seconds) for r in results if (x := r.load(system))]
        if points:
            ax.plot(*zip(*points, strict=True), marker="o", label=name)
    ax.set_title("bulk load: seconds")
    ax = axes[0][1]
    for question, style in (("headline", "-"), ("matrix", "--")):
        for system, name in (
            ("ours_uncached", "wsis-kg uncached"),
            ("ours_cached", "wsis-kg cached"),
            ("raw", "raw pyoxigraph"),
            ("rdflib", "rdflib engine"),
        ):
            points = [
                (r.triples, v) for r in results if (v := p50(r, question, system)) is not None
            ]
            if points:
                ax.plot(*zip(*points, strict=True), style, marker="o", label=f"{question}: {name}")
    ax.set_title("questions in process: p50 seconds")
    ax = axes[1][0]
    for system, name in (
        ("ours", "wsis-kg load"),
        ("bulk", "pyoxigraph bulk_load"),
        ("extend", "pyoxigraph extend"),
        ("rdflib", "rdflib parse"),
    ):
        points = [(r.triples, x.peak_rss / 2**20) for r in results if (x := r.load(system))]
        if points:
            ax.plot(*zip(*points, strict=True), marker="o", label=f"peak, {name}")
    for key, name in (("ours", "serving: wsis-kg"), ("oxigraph", "serving: Oxigraph server")):
        points = [(r.triples, r.serving_rss[key] / 2**20) for r in results if key in r.serving_rss]
        if points:
            ax.plot(*zip(*points, strict=True), "--", marker="s", label=name)
    ax.set_title("memory: MiB resident")
    ax = axes[1][1]
    for key, name in (
        ("ours-route", "wsis-kg headline route"),
        ("ceiling-async", "constant-JSON ceiling"),
        ("ours-sparql", "wsis-kg /sparql"),
        ("oxigraph", "Oxigraph server /query"),
        ("rdflib", "rdflib-endpoint"),
    ):
        points = [(r.triples, h.throughput) for r in results if (h := r.http_row(key))]
        if points:
            ax.plot(*zip(*points, strict=True), marker="o", label=name)
    ax.set_title("HTTP: requests per second at 16 connections")
    for row in axes:
        for ax in row:
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xlabel("triples")
            ax.grid(True, which="both", alpha=0.3)
            ax.legend(fontsize=7)
    fig.suptitle(f"wsis-kg: cost against size ({', '.join(label(s) for s in sizes)} triples)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)


# ---------------------------------------------------------------- running it


def run(args: argparse.Namespace) -> int:
    try:
        settings = settings_from(args)
        return _run(settings)
    except BenchError as e:
        say(f"error: {e}")
        return 1


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
    text = render(results, settings, command, started, facts, baseline.peak_rss, settings.plot)
    write_section(settings.output, "scale", text)
    # the figures as measured, for a later plot or comparison
    figures = settings.output.with_name(settings.output.stem + "-scale.json")
    figures.write_text(json.dumps([dataclasses.asdict(r) for r in results], indent=1) + "\n")
    say(f"wrote {settings.output} and {figures}")
    if settings.textload:
        from bench import textload

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
