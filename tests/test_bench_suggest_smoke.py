"""`python -m bench suggest --smoke`: the suggestion benchmark runs end to end and reports
every method and the baseline. Its labelled sentences here are three written for this test
(the real run reads the WSIS-SDG Matrix's rationales from the shared data folder)."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from loaders.suggest.rank import METHODS
from tests.conftest import ROOT

SENTENCES = [
    ("C5", "9", "9.1", "Teams that respond to computer incidents keep networks running."),
    ("C7.e-health", "3", "3.8", "Remote consultations bring doctors to villages."),
    ("C4", "4", "4.4", "Training courses teach young people to build software."),
]


def test_smoke_run_reports_every_method(tmp_path: Path) -> None:
    rationales = tmp_path / "rationales.csv"
    with rationales.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["rationale_id", "action_line", "listed_under_goal", "source_sub_id", "rationale"]
        )
        for number, (line, goal, target, sentence) in enumerate(SENTENCES):
            writer.writerow([str(number), line, goal, target, sentence])
    output = tmp_path / "benchmarks.md"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "suggest",
            "--smoke",
            "--rationales",
            str(rationales),
            "--output",
            str(output),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = output.read_text(encoding="utf-8")
    assert "<!-- bench:suggest:start -->" in report
    assert "A smoke run" in report
    for method in METHODS:
        assert f"| {method} |" in report
    assert "### Speed" in report
