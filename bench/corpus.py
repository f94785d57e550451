"""Loading a corpus: 1,000 generated resolutions, and the API's lookups while documents load.

Issue 15's corpus targets, measured on this machine in one run:

- ``wsiskg load DIR`` of ``--documents`` seeded synthetic WTSA resolutions of ``--pages``
  page(s) each (bench/textload_texts.py) into a copy of the built-in store: wall time, in
  batches (graph/corpus.py); target ≤ 60 s for 1,000;
- the API while documents load: ``wsiskg serve`` over another copy (a write token set); one
  client sends ``--posted`` of the documents by ``POST /documents``, one after the other,
  while two clients ask lookups (an Action Line, an SDG goal, a resolution, the study groups)
  in turn without pause; the latency of every lookup made while a write was under way or
  just done, p50 / p99 / max; target p99 ≤ 100 ms. The same lookups are then timed with no
  write, side by side; and the time of each POST.
- the same over a third copy with ``WSISKG_WARM_ANSWERS=0``: the server then publishes each
  write at once, without computing the answers asked before it on the new release (as before
  issue 15's change), so every lookup after a write computes its answer again.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bench import machine
from bench.http_systems import say
from bench.report import table, write_section
from bench.servers import ROOT, BenchError, run_step, wsiskg
from bench.textload_texts import synthetic_resolution
from bench.write import builtin_store, post_document, writable_server

LOOKUPS = ("/action-lines/C5", "/sdgs/9", "/resolutions/wtsa/75", "/study-groups")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--documents", type=int, default=1000, help="documents (default 1000)")
    parser.add_argument("--pages", type=int, default=1, help="pages each (default 1)")
    parser.add_argument(
        "--posted", type=int, default=200, help="documents sent by POST (default 200)"
    )
    parser.add_argument(
        "--from-store",
        type=Path,
        help="copy this store (the built-in data, not in use) instead of loading one",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=ROOT / "docs" / "benchmarks.md",
        help="the report (default docs/benchmarks.md); its 'corpus' section is rewritten",
    )
    parser.add_argument(
        "--smoke", action="store_true", help="10 documents, 3 posted: checks the benchmark runs"
    )


def run(args: argparse.Namespace) -> int:
    started = datetime.now(UTC)
    documents, posted = (10, 3) if args.smoke else (args.documents, args.posted)
    facts = machine.describe(["pyoxigraph", "fastapi", "uvicorn"])
    work = Path(tempfile.mkdtemp(prefix="wsiskg-bench-corpus-"))
    try:
        base = builtin_store(work, args.from_store)
        folder = work / "corpus"
        folder.mkdir()
        for n in range(documents):
            text = synthetic_resolution(args.pages, seed=20_000 + n)
            (folder / f"corpus-{n:04d}.txt").write_text(text, encoding="utf-8")
        shutil.copytree(base, work / "cli")
        say(f"wsiskg load of {documents} documents ...")
        seconds = run_step(
            [*wsiskg(), "load", "--store", str(work / "cli"), str(folder)], work / "load.log"
        )
        files = sorted(folder.iterdir())[:posted]
        # the lookups with no write: 5 s or more (a smoke run: 1 s; its clients keep both
        # cores busy, and its figures mean nothing)
        quiet = 1.0 if args.smoke else max(5.0, posted * 0.05)
        warmed = _lookups(work, base, files, "served", {}, quiet)
        cold = _lookups(work, base, files, "served-cold", {"WSISKG_WARM_ANSWERS": "0"}, quiet)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    facts["load average after the run"] = machine.load_average()
    command = "python -m bench " + " ".join(sys.argv[1:])
    text = _render(facts, command, started, documents, args.pages, seconds, posted, warmed, cold)
    if args.smoke:
        text = text.replace(
            "### Machine", "**A smoke run: its figures mean nothing.**\n\n### Machine", 1
        )
    write_section(args.output, "corpus", text)
    say(f"wrote {args.output}")
    return 0


Timings = tuple[list[float], list[float], list[float]]


def _lookups(
    work: Path, base: Path, files: list[Path], name: str, env: dict[str, str], quiet: float
) -> Timings:
    """(latencies while documents are posted, latencies with no write for ``quiet``
    seconds, the time of each POST), in seconds, on a server over a copy of ``base``
    (``work/name``) with ``env``."""
    server = writable_server(work, base, name, env)
    posts: list[float] = []
    try:
        for path in LOOKUPS:  # warm: each answer once
            httpx.get(server.base + path, timeout=60).raise_for_status()
        during = _while(server.base, lambda: _post_all(server.base, files, posts))
        still = _while(server.base, lambda: time.sleep(quiet))
        return during, still, posts
    finally:
        server.stop()


def _post_all(base: str, files: list[Path], seconds: list[float]) -> None:
    with httpx.Client(base_url=base, timeout=300) as client:
        for path in files:
            started = time.perf_counter()
            post_document(client, path)
            seconds.append(time.perf_counter() - started)


def _while(base: str, work: object) -> list[float]:
    """Latencies of the lookups two clients make, in turn, while ``work()`` runs."""
    stop = threading.Event()
    latencies: list[float] = []
    errors: list[str] = []

    def client(offset: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as http:
            n = offset
            while not stop.is_set():
                path = LOOKUPS[n % len(LOOKUPS)]
                started = time.perf_counter()
                response = http.get(path)
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200:
                    errors.append(f"{path}: {response.status_code} {response.text[:300]}")
                n += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    try:
        work()  # type: ignore[operator]
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
    if errors:
        raise BenchError(f"lookups failed: {errors[:5]}")
    return latencies


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _render(
    facts: dict[str, str],
    command: str,
    started: datetime,
    documents: int,
    pages: int,
    seconds: float,
    posted: int,
    warmed: Timings,
    cold: Timings,
) -> str:
    lines = [
        "## Corpus loads",
        "",
        f"Command: `{command}`  ",
        f"Date: {started:%Y-%m-%d %H:%M} UTC",
        "",
        "### Machine",
        "",
        table(["", ""], list(facts.items())),
        "### How",
        "",
        (__doc__ or "").split("\n\n", 1)[1].strip(),
        "",
        "### `wsiskg load DIR`",
        "",
        table(
            ["documents", "pages each", "seconds", "documents/s", "target"],
            [
                [
                    f"{documents:,}",
                    str(pages),
                    f"{seconds:.1f}",
                    f"{documents / seconds:.1f}",
                    ("met" if seconds <= 60 else "MISSED") + " (≤ 60 s for 1,000)"
                    if documents >= 1000
                    else "(target is for 1,000)",
                ]
            ],
            "rrrrl",
        ),
        f"### Lookups while {posted} documents are posted (ms)",
        "",
    ]
    rows = []
    for server, (during, quiet, _) in (("", warmed), (", WSISKG_WARM_ANSWERS=0", cold)):
        for label, values in (("while posting", during), ("no write", quiet)):
            rows.append(
                [
                    label + server,
                    f"{len(values):,}",
                    f"{statistics.median(values) * 1000:.1f}",
                    f"{_pct(values, 0.99) * 1000:.1f}",
                    f"{max(values) * 1000:.1f}",
                ]
            )
    p99 = _pct(warmed[0], 0.99)
    lines += [
        table(["", "lookups", "p50", "p99", "max"], rows, "lrrrr"),
        f"Target p99 ≤ 100 ms while loading: {'met' if p99 <= 0.1 else 'MISSED'} "
        f"({p99 * 1000:.1f} ms).",
        "",
        "### The POSTs (seconds)",
        "",
        table(
            ["", "POSTs", "in all", "p50", "p99"],
            [
                [
                    "server as shipped" + server,
                    str(len(posts)),
                    f"{sum(posts):.1f}",
                    f"{statistics.median(posts):.3f}",
                    f"{_pct(posts, 0.99):.3f}",
                ]
                for server, (_, _, posts) in (("", warmed), (", WSISKG_WARM_ANSWERS=0", cold))
            ],
            "lrrrr",
        ),
        "A POST returns once its release is published; as shipped, the answers of the lookups"
        " asked before it are computed on the new release first (graph/service.py). The two"
        " clients ask without pause, so the faster they are answered, the more they ask: the"
        " lookups answered per second while posting are part of the POSTs' cost.",
        "",
    ]
    return "\n".join(lines)
