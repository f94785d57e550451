"""`python -m bench corpus --smoke`: the corpus benchmark runs end to end on the session's
built-in store: `wsiskg load DIR`, then lookups while documents are posted and with no write.
Timings are never asserted (a shared machine makes them noise)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_smoke_run_reports_the_load_and_the_lookups(loaded_store: Path, tmp_path: Path) -> None:
    output = tmp_path / "benchmarks.md"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "corpus",
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
    assert "<!-- bench:corpus:start -->" in report
    assert "A smoke run" in report
    load = report.split("### `wsiskg load DIR`", 1)[1].split("###", 1)[0]
    cells = [c.strip() for c in load.splitlines()[4].strip("|").split("|")]
    assert cells[0] == "10"
    assert float(cells[2]) > 0
    lookups = report.split("### Lookups while 3 documents are posted", 1)[1]
    for label in ("while posting", "no write"):
        for server in ("", ", WSISKG_WARM_ANSWERS=0"):
            row = next(
                line for line in lookups.splitlines() if line.startswith(f"| {label}{server} |")
            )
            assert int(row.split("|")[2].strip().replace(",", "")) > 0, row
    assert "Target p99" in lookups
    posts = report.split("### The POSTs (seconds)", 1)[1]
    for server in ("", ", WSISKG_WARM_ANSWERS=0"):
        row = next(
            line for line in posts.splitlines() if line.startswith(f"| server as shipped{server} |")
        )
        assert row.split("|")[2].strip() == "3", row
