"""`python -m bench http --smoke`: the benchmark runs end to end, every system answers and the
report names them all. Timings are never asserted (a shared machine makes them noise)."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

SYSTEMS = (
    "wsis-kg",
    "ceiling (async def)",
    "ceiling (def)",
    "Oxigraph server",
    "rdflib-endpoint",
)


def _bench_installed() -> bool:
    oxigraph = (Path(sys.executable).parent / "oxigraph").exists() or shutil.which("oxigraph")
    return bool(oxigraph) and importlib.util.find_spec("rdflib_endpoint") is not None


def _table_rows(report: str, heading: str) -> list[list[str]]:
    section = report.split(heading, 1)[1].split("\n### ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[1:]]


@pytest.mark.slow
def test_smoke_run_reports_every_system(tmp_path: Path) -> None:
    # `make test` installs the bench extra: without it this fails, it is never skipped
    assert _bench_installed(), "the bench extra is not installed: pip install -e '.[dev,bench]'"
    output = tmp_path / "benchmarks.md"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "http",
            "--smoke",  # on reduced data, which it loads itself
            "--workdir",
            str(tmp_path / "work"),
            "--output",
            str(output),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        # on the reduced data rdflib-endpoint answers the headline query in seconds (over the
        # whole built-in data: about 95 s; that is the full run's)
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = output.read_text(encoding="utf-8")
    assert "<!-- bench:http:start -->" in report
    assert "<!-- bench:http:end -->" in report
    assert "smoke run on reduced data, the built-in data without itut-recommendations" in report
    assert "wsiskg load (reduced data)" in report  # loaded anew, not a copy of the built-in data

    route = _table_rows(report, "### The headline route")
    sparql = _table_rows(report, "### SPARQL: the query behind the route")
    names = {r[0].rstrip("¹") for r in route} | {r[0] for r in sparql}
    assert set(SYSTEMS) <= names
    assert {r[0] for r in sparql} == {"wsis-kg", "Oxigraph server", "rdflib-endpoint"}
    for cells in [*route, *sparql]:
        requests, errors, throughput = (float(c.replace(",", "")) for c in cells[2:5])
        assert requests > 0, cells
        assert errors == 0, cells
        assert throughput > 0, cells
    # the answers were compared before timing, and the targets judged
    assert re.search(r"each SPARQL system gave the same \d+ rows", report)
    assert report.count("**met**") + report.count("**missed**") == 5
