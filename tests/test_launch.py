"""The `wsiskg` script stays light for the query workers (api/launch.py).

The "spawn" start method runs the parent's main script again in every query worker, as
``__mp_main__`` (multiprocessing.spawn runs it with ``runpy.run_path``). Run that way, the
installed script must not import the command, the loaders or the web application."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import _SCRIPT, ROOT

_AS_A_WORKER = """
import runpy, sys
runpy.run_path(sys.argv[1], run_name="__mp_main__")
import graph.worker  # what a worker then imports to run its queries
heavy = sorted(m for m in ("api.cli", "api.app", "loaders", "wordllama", "fastapi", "rdflib")
               if m in sys.modules)
print(",".join(heavy))
"""


def _printed(code: str, *args: str) -> str:
    """What ``python -c code args`` prints, run from the project's folder."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout.strip()


def test_a_query_worker_does_not_import_the_command() -> None:
    assert _SCRIPT.exists(), "the wsiskg script is not installed: pip install -e ."
    imported = _printed(_AS_A_WORKER, str(_SCRIPT))
    assert imported == "", f"a worker would import: {imported}"


def test_the_script_still_runs_the_command() -> None:
    done = subprocess.run(
        [str(_SCRIPT), "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "serve" in done.stdout
    assert "load" in done.stdout


def test_the_command_loads_the_ranker_only_to_rank() -> None:
    """The ranker (numpy, bm25s, the embeddings) is imported when a text is first ranked
    (loaders/suggest/triples.py): `wsiskg query`, `graphs`, `export`... start without it."""
    imported = _printed(
        "import sys, api.cli; "
        "print(','.join(m for m in ('numpy', 'bm25s', 'wordllama', 'loaders.suggest.rank') "
        "if m in sys.modules))"
    )
    assert imported == "", f"the command imports: {imported}"
