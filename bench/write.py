"""Storing one resolution: POST /documents and `wsiskg load` against the time to parse it.

Issue 15's first target: storing one resolution (POST or ``wsiskg load``) takes at most the
CLI's parse time of the same file, p50 over 20 documents, into the store of the built-in data.
Measured side by side in one run, on the same documents (seeded synthetic WTSA resolutions of
``--pages`` pages, bench/textload_texts.py, each under its own file name):

- CLI parse: ``wsiskg load --dry-run FILE`` (a new process: start, read, parse), wall time;
- CLI load: ``wsiskg load FILE`` into a copy of the built-in store, wall time; its store part
  is the load less the parse of the same file;
- POST: ``POST /documents`` of the file to ``wsiskg serve`` (the real server, with a write
  token) over another copy, wall time of the request (parse, store, search index, answer);
  then each document is sent again, changed (a replacement);
- POST to the API over an Oxigraph server (left out with ``--no-remote``): the same, to
  ``wsiskg serve`` with ``WSISKG_STORE_URL`` set to ``oxigraph serve`` over a fourth copy
  (the remote store: every write a SPARQL update over HTTP);
- in process: ``graph.files.prepare`` (parse) and ``KnowledgeGraph.load_many`` (store) on a
  third copy, the strict figure: the store part against the parse alone;
- drift: one document loaded ``--reloads`` times (a new version each time) into two stores of
  the ontology side by side, one compacted by the default policy
  (every 100 writes), one never compacted; the median of the last third of the loads over the
  first third (1x: flat).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bench import machine
from bench.http_systems import say
from bench.report import table, write_section
from bench.servers import (
    ROOT,
    BenchError,
    Server,
    executable,
    free_port,
    run_step,
    wait_ready,
    wsiskg,
)
from bench.textload_texts import synthetic_resolution
from graph.files import prepare
from graph.store import DEFAULT_COMPACT_EVERY, KnowledgeGraph

TOKEN = "bench-write-token-0123456789abcdefXYZ"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--documents", type=int, default=20, help="documents (default 20)")
    parser.add_argument("--pages", type=int, default=5, help="pages each (default 5)")
    parser.add_argument(
        "--from-store",
        type=Path,
        help="copy this store (the built-in data, not in use) instead of loading one",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=ROOT / "docs" / "benchmarks.md",
        help="the report (default docs/benchmarks.md); its 'write' section is rewritten",
    )
    parser.add_argument(
        "--reloads", type=int, default=1000, help="reloads for the drift (default 1000)"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="2 one-page documents, 10 reloads: checks the benchmark runs",
    )
    parser.add_argument(
        "--no-remote",
        dest="remote",
        action="store_false",
        help="leave out the POSTs to the API over an Oxigraph server",
    )


@dataclass
class Measures:
    """Seconds per document, for each measure."""

    times: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, seconds: float) -> None:
        self.times.setdefault(name, []).append(seconds)

    def p50(self, name: str) -> float:
        return statistics.median(self.times[name])

    def p90(self, name: str) -> float:
        values = sorted(self.times[name])
        return values[min(len(values) - 1, round(0.9 * (len(values) - 1)))]


def run(args: argparse.Namespace) -> int:
    started = datetime.now(UTC)
    documents, pages = (2, 1) if args.smoke else (args.documents, args.pages)
    facts = machine.describe(["pyoxigraph", "fastapi", "uvicorn"])
    work = Path(tempfile.mkdtemp(prefix="wsiskg-bench-write-"))
    try:
        base = builtin_store(work, args.from_store)
        files = _documents(work / "docs", documents, pages)
        measures = Measures()
        _cli(work, base, files, measures)
        _in_process(work, base, files, measures)
        _server(work, base, files, measures)
        if args.remote:
            _remote(work, base, files, measures)
        quads = _quads(base)
        drift = _drift(work, files[0], 10 if args.smoke else args.reloads)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    facts["load average after the run"] = machine.load_average()
    command = "python -m bench " + " ".join(sys.argv[1:])
    text = render(measures, facts, command, started, documents, pages, quads, args.smoke)
    text += render_drift(drift)
    write_section(args.output, "write", text)
    say(f"wrote {args.output}")
    return 0


def builtin_store(work: Path, source: Path | None) -> Path:
    store = work / "builtin"
    if source is not None:
        if not (source / "CURRENT").is_file():
            raise BenchError(f"{source} is not a store (an Oxigraph database directory)")
        shutil.copytree(source, store)
    else:
        say("loading the built-in data into a new store (wsiskg load) ...")
        run_step([*wsiskg(), "load", "--store", str(store)], work / "prepare.log")
    return store


def _documents(folder: Path, count: int, pages: int) -> list[Path]:
    folder.mkdir(parents=True)
    files = []
    for number in range(count):
        path = folder / f"bench-write-{number:03d}.txt"
        path.write_text(synthetic_resolution(pages, seed=1000 + number), encoding="utf-8")
        files.append(path)
    return files


def _changed(path: Path) -> Path:
    """The same document with one more sentence: a new version, a replacement."""
    changed = path.with_name(path.name)  # same file name: same document, same graph
    text = path.read_text(encoding="utf-8")
    changed.write_text(text.rstrip("\n") + " A revised sentence.\n", encoding="utf-8")
    return changed


def _timed(command: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise BenchError(f"{' '.join(command)} failed: {done.stderr[-2000:]}")
    return seconds


def _cli(work: Path, base: Path, files: list[Path], measures: Measures) -> None:
    store = work / "cli"
    shutil.copytree(base, store)
    say(f"CLI: wsiskg load --dry-run and wsiskg load of {len(files)} documents ...")
    for path in files:
        measures.add("cli parse", _timed([*wsiskg(), "load", "--dry-run", str(path)]))
        measures.add("cli load", _timed([*wsiskg(), "load", "--store", str(store), str(path)]))


def _in_process(work: Path, base: Path, files: list[Path], measures: Measures) -> None:
    store = work / "in-process"
    shutil.copytree(base, store)
    kg = KnowledgeGraph.open(store)
    try:
        kg.load_ontology()
        say(f"in process: parse and store {len(files)} documents ...")
        for path in files:
            started = time.perf_counter()
            result, _ = prepare(path, kg.ids)
            parsed = time.perf_counter()
            kg.load_many([result])
            done = time.perf_counter()
            measures.add("parse", parsed - started)
            measures.add("store", done - parsed)
    finally:
        kg.close()


def writable_server(work: Path, base: Path, name: str, env: dict[str, str] | None = None) -> Server:
    """`wsiskg serve` with a write token (and ``env``) over a copy of the store ``base``
    (``work/name``), started and answering; the caller stops it."""
    store = work / name
    shutil.copytree(base, store)
    port = free_port()
    server = Server(
        "wsiskg serve",
        [*wsiskg(), "serve", "--store", str(store), "--port", str(port), "--no-builtin"],
        port,
        "/health",
        work / f"{name}.log",
        {"WSISKG_WRITE_TOKEN": TOKEN, **(env or {})},
    )
    server.start()
    try:
        wait_ready([server])
    except BaseException:
        server.stop()
        raise
    return server


def _remote(work: Path, base: Path, files: list[Path], measures: Measures) -> None:
    """The POSTs of :func:`_server` to the API over an Oxigraph server (the remote store)."""
    store = work / "oxigraph"
    shutil.copytree(base, store)
    port = free_port()
    oxigraph = Server(
        "Oxigraph server",
        [executable("oxigraph"), "serve", "--location", str(store), "--bind", f"127.0.0.1:{port}"],
        port,
        "/query?query=ASK%20%7B%7D",
        work / "oxigraph.log",
    )
    oxigraph.start()
    try:
        wait_ready([oxigraph])
        api_port = free_port()
        api = Server(
            "wsiskg serve (remote store)",
            [*wsiskg(), "serve", "--port", str(api_port), "--no-builtin"],
            api_port,
            "/health",
            work / "remote-api.log",
            {"WSISKG_WRITE_TOKEN": TOKEN, "WSISKG_STORE_URL": oxigraph.base},
        )
        api.start()
        try:
            wait_ready([api])
            say(f"POST /documents over an Oxigraph server: {len(files)} documents, then changed")
            _post_twice(api.base, files, measures, ("remote post", "remote post again"))
        finally:
            api.stop()
    finally:
        oxigraph.stop()


def post_document(client: httpx.Client, path: Path) -> None:
    """POST /documents of ``path`` with the write token; a BenchError unless 201."""
    response = client.post(
        "/documents",
        files={"file": (path.name, path.read_bytes(), "text/plain")},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    if response.status_code != 201:
        raise BenchError(f"POST {path.name}: {response.status_code} {response.text}")


def _post_twice(base: str, files: list[Path], measures: Measures, names: tuple[str, str]) -> None:
    """POST each file, then each changed (a new version), timing each under ``names``."""
    with httpx.Client(base_url=base, timeout=300) as client:
        for name, paths in ((names[0], files), (names[1], None)):
            for path in paths or [_changed(p) for p in files]:
                started = time.perf_counter()
                post_document(client, path)
                measures.add(name, time.perf_counter() - started)


def _server(work: Path, base: Path, files: list[Path], measures: Measures) -> None:
    server = writable_server(work, base, "server")
    try:
        say(f"POST /documents of {len(files)} documents, then each changed ...")
        _post_twice(server.base, files, measures, ("post", "post again, changed"))
    finally:
        server.stop()


@dataclass
class Drift:
    reloads: int
    compacted: list[float]
    never: list[float]
    compactions: int


def _drift(work: Path, document: Path, reloads: int) -> Drift:
    """Reload ``document`` (a new version each time, parsed before the clock starts) into two
    stores side by side, one compacted by the default policy and one never."""
    stores = {}
    for name, every in (("compacted", DEFAULT_COMPACT_EVERY), ("never", 0)):
        kg = KnowledgeGraph.open(work / f"drift-{name}")
        kg.compact_every = every
        kg.load_ontology()
        stores[name] = kg
    times: dict[str, list[float]] = {name: [] for name in stores}
    text = document.read_text(encoding="utf-8")
    version = work / "drift" / document.name
    version.parent.mkdir()
    say(
        f"drift: {reloads} reloads into two stores, one compacted every {DEFAULT_COMPACT_EVERY} ..."
    )
    try:
        for n in range(reloads):
            version.write_text(f"{text.rstrip()} Revision {n}.\n", encoding="utf-8")
            for name, kg in stores.items():
                result, _ = prepare(version, kg.ids)
                started = time.perf_counter()
                kg.load_many([result])
                times[name].append(time.perf_counter() - started)
        return Drift(reloads, times["compacted"], times["never"], stores["compacted"].compactions)
    finally:
        for kg in stores.values():
            kg.close()


def _ratio(times: list[float]) -> float:
    third = max(1, len(times) // 3)
    return statistics.median(times[-third:]) / statistics.median(times[:third])


def render_drift(drift: Drift) -> str:
    rows = [
        [
            label,
            _ms(statistics.median(values[: max(1, len(values) // 3)])),
            _ms(statistics.median(values[-max(1, len(values) // 3) :])),
            f"{_ratio(values):.2f}x",
        ]
        for label, values in (
            (
                f"compacted every {DEFAULT_COMPACT_EVERY} writes ({drift.compactions} in all)",
                drift.compacted,
            ),
            ("never compacted", drift.never),
        )
    ]
    return "\n" + "\n".join(
        [
            f"### Drift over {drift.reloads:,} reloads (ms per load)",
            "",
            table(["", "first third p50", "last third p50", "drift"], rows, "lrrr"),
        ]
    )


def _quads(store: Path) -> int:
    kg = KnowledgeGraph.open(store)
    try:
        return len(kg)
    finally:
        kg.close()


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def render(
    m: Measures,
    facts: dict[str, str],
    command: str,
    started: datetime,
    documents: int,
    pages: int,
    quads: int,
    smoke: bool,
) -> str:
    lines = [
        "## Writes: storing one resolution",
        "",
        f"Command: `{command}`  ",
        f"Date: {started:%Y-%m-%d %H:%M} UTC",
        "",
    ]
    if smoke:
        lines += ["**A smoke run: its figures mean nothing.**", ""]
    lines += ["### Machine", "", table(["", ""], list(facts.items())), "### How", ""]
    lines += [(__doc__ or "").split("\n\n", 1)[1].strip(), ""]
    lines += [
        f"{documents} documents of {pages} page(s) each, into a store of {quads:,} quads "
        "(the built-in data).",
        "",
    ]
    names = [
        ("cli parse", "`wsiskg load --dry-run FILE` (a new process)"),
        ("cli load", "`wsiskg load FILE` (a new process)"),
        ("post", "`POST /documents`, a new document"),
        ("post again, changed", "`POST /documents`, a new version (replacement)"),
        ("remote post", "`POST /documents` over an Oxigraph server, a new document"),
        ("remote post again", "`POST /documents` over an Oxigraph server, a new version"),
        ("parse", "in process: parse (`prepare`)"),
        ("store", "in process: store (`load_many`)"),
    ]
    rows = [[label, _ms(m.p50(key)), _ms(m.p90(key))] for key, label in names if key in m.times]
    lines += ["### Times (ms per document)", "", table(["", "p50", "p90"], rows, "lrr")]
    cli_parse = m.p50("cli parse")
    ratios = [
        ("POST, new document", m.p50("post") / cli_parse),
        ("POST, new version", m.p50("post again, changed") / cli_parse),
        *(
            [
                ("POST over an Oxigraph server, new document", m.p50("remote post") / cli_parse),
                (
                    "POST over an Oxigraph server, new version",
                    m.p50("remote post again") / cli_parse,
                ),
            ]
            if "remote post" in m.times
            else []
        ),
        (
            "`wsiskg load`, its store part (load less parse)",
            (m.p50("cli load") - cli_parse) / cli_parse,
        ),
    ]
    rows = [[what, f"{r:.2f}x", "met" if r <= 1 else "MISSED"] for what, r in ratios]
    strict = m.p50("store") / m.p50("parse")
    rows.append(["in process: store / parse (strict, no target)", f"{strict:.2f}x", ""])
    lines += [
        "### Ratios (p50 over the CLI's parse time of the same files; target ≤ 1x)",
        "",
        table(["", "ratio", "target"], rows, "lrl"),
    ]
    return "\n".join(lines)
