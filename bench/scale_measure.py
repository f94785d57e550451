"""Measuring one scale of the scale benchmark: the graph generated, loaded three ways in child
processes (peak memory read when each is reaped), the questions asked in a child, then the
same servers and load as `python -m bench http`; the results kept as JSON as soon as measured.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import http_load, http_systems
from bench.generate import _size, generate_file
from bench.servers import ROOT, BenchError, wait_ready
from bench.soak_process import process_tree, rss_bytes


@dataclass
class Settings:
    scales: list[int]
    seed: int
    repeat: int
    rdflib_max: int
    rdflib_load_max: int
    rdflib_seconds: float
    # questions rdflib's engine is not asked (a smoke run: the matrix takes it ~45 s alone)
    rdflib_skip: tuple[str, ...]
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
            # each measure run as few times as gives a figure: a smoke run checks that the
            # benchmark runs, its figures mean nothing
            repeat=2,
            rdflib_max=10_000,
            rdflib_load_max=10_000,
            rdflib_seconds=1.0,
            rdflib_skip=("matrix",),
            http=not args.no_http,
            http_duration=0.5,
            http_rounds=1,
            connections=min(args.connections, http_systems.SMOKE_CONNECTIONS),
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
        rdflib_skip=(),
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
    load_path: str = "transaction"  # or "bulk" (graph/bulk.py)
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
            result.load_path = str(child.data.get("path", "transaction"))
            if result.load_path == "bulk":
                result.load_parts = {k: float(v) for k, v in child.data["phases"].items()}
            else:
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
        for question in settings.rdflib_skip:
            args += ["--rdflib-skip", question]
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

    work = here / "http"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    servers = http_systems.make_servers(work, builtin=False)
    with_rdflib = result.target <= settings.rdflib_max
    if not with_rdflib:
        del servers["rdflib"]
    try:
        say(f"{label(result.target)}: HTTP: preparing the servers' data")
        http_systems.prepare(work, store, servers["rdflib"].start if with_rdflib else None)
        for key, server in servers.items():
            if key != "rdflib":
                server.start()
        wait_ready(list(servers.values()))
        query = http_systems.sparql_text()
        result.http_checks = http_systems.check_answers(servers, query)
        systems = http_systems.systems_of(servers, query)
        http_settings = http_systems.Settings(
            duration=settings.http_duration * settings.http_rounds,
            connections=settings.connections,
            rounds=settings.http_rounds,
            warmup=min(2.0, settings.http_duration / 4),
            rdflib_requests=settings.rdflib_requests,
            smoke=settings.smoke,
        )
        http_load.run_rounds(systems, http_settings)
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
