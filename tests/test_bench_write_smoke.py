"""`python -m bench write --smoke`: the write benchmark runs end to end on the session's built-in
store and reports every measure and its ratio. Timings are never asserted (a shared machine
makes them noise)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_smoke_run_reports_every_measure(loaded_store: Path, tmp_path: Path) -> None:
    output = tmp_path / "benchmarks.md"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "write",
            "--smoke",
            "--from-store",
            str(loaded_store),
            "--output",
            str(output),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = output.read_text(encoding="utf-8")
    assert "<!-- bench:write:start -->" in report
    assert "<!-- bench:write:end -->" in report
    assert "A smoke run" in report
    times = report.split("### Times", 1)[1].split("###", 1)[0]
    rows = [line for line in times.splitlines() if line.startswith("| `") or "in process" in line]
    assert len(rows) == 8, times  # with the two POSTs over an Oxigraph server
    assert "over an Oxigraph server, a new version" in times
    for row in rows:
        p50, p90 = (float(c.strip().replace(",", "")) for c in row.strip("|").split("|")[1:3])
        assert 0 < p50 <= p90, row
    ratios = report.split("### Ratios", 1)[1].split("###", 1)[0]
    assert ratios.count("met") + ratios.count("MISSED") == 5, ratios
    drift = report.split("### Drift over 10 reloads", 1)[1]
    assert "compacted every 100 writes" in drift
    assert "never compacted" in drift
