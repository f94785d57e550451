"""The store the soak runs against: the built-in data plus seeded synthetic copies of the ITU-T
Recommendations graph under their own graph names and IRIs, up to the triples asked.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import time
from pathlib import Path

from bench.servers import ROOT, BenchError, run_step, wsiskg
from bench.soak_settings import SoakSettings, say
from graph.settings import Settings

RECOMMENDATIONS_GRAPH = "graph/itut-recommendations"
# the IRIs of the Recommendations graph that each synthetic copy makes its own; the study
# groups, series, rules and Action Lines they point to stay shared, as in the real graph
_OWN_IRIS = re.compile(r"<([^>]*?/)(itu-t/rec/|itu-t/pub/|link/|dataset/itut-recommendations)")


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
