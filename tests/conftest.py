"""Shared fixtures: real stores (in memory and on disk), the built-in data, the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from graph.builtin import load_builtin
from graph.store import KnowledgeGraph

ROOT = Path(__file__).resolve().parent.parent
_SCRIPT = Path(sys.executable).parent / "wsiskg"
# the installed console script, as a user runs it (the module where it is not installed)
WSISKG = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "api.cli"]


@pytest.fixture(scope="session")
def builtin_kg() -> KnowledgeGraph:
    """An in-memory graph with the ontology and all built-in data. Read-only for tests."""
    kg = KnowledgeGraph.in_memory()
    load_builtin(kg)
    return kg


@pytest.fixture
def kg() -> KnowledgeGraph:
    """An empty in-memory graph with only the ontology."""
    graph = KnowledgeGraph.in_memory()
    graph.load_ontology()
    return graph


@pytest.fixture(scope="session")
def loaded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store loaded once by the real `wsiskg load`; copy it before changing it.
    What that first load wrote on standard error is in ``load.stderr`` beside it."""
    path = tmp_path_factory.mktemp("store") / "store"
    result = run_cli("load", store=path, check=True)
    (path.parent / "load.stderr").write_text(result.stderr, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def oxigraph_builtin(loaded_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server (`oxigraph serve`) over a copy of the session's loaded store (the
    same database format): the built-in data, loaded once. Its base URL. Read-only for tests."""
    from tests.servers import oxigraph_server

    location = tmp_path_factory.mktemp("oxigraph-builtin") / "db"
    shutil.copytree(loaded_store, location)
    with oxigraph_server(location) as base:
        yield base


@pytest.fixture
def store_copy(loaded_store: Path, tmp_path: Path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(loaded_store, target)
    return target


def run_cli(
    *args: str,
    store: Path,
    check: bool = False,
    timeout: float = 600,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the real `wsiskg` command in a child process, as a user would (with extra
    environment ``env``)."""
    env = {
        **os.environ,
        "WSISKG_STORE": str(store),
        "COLUMNS": "200",
        "NO_COLOR": "1",
        **(env or {}),
    }
    result = subprocess.run(
        [*WSISKG, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=timeout,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"wsiskg {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture
def disk_kg(tmp_path: Path) -> Iterator[KnowledgeGraph]:
    graph = KnowledgeGraph.open(tmp_path / "store")
    yield graph
    graph.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say whether this run tested Virtuoso (an opt-in: tests/virtuoso.py)."""
    from tests import virtuoso

    terminalreporter.write_line(virtuoso.summary())


# --------------------------------------------------------------------------- make test-fast

# what makes a test need more than this process: a server (ours, Oxigraph's, rdflib's), a
# browser, the real CLI in a child process, or the store the real `wsiskg load` builds
_OUT_OF_PROCESS = ("running_server", "oxigraph_server", "playwright", "run_cli(", "bench.__main__")
_OUT_OF_PROCESS_FIXTURES = {"loaded_store", "oxigraph_builtin", "store_copy"}
_MODULE_NEEDS: dict[str, bool] = {}


def _module_needs_processes(path: Path) -> bool:
    key = str(path)
    if key not in _MODULE_NEEDS:
        text = path.read_text(encoding="utf-8")
        _MODULE_NEEDS[key] = any(marker in text for marker in _OUT_OF_PROCESS)
    return _MODULE_NEEDS[key]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``processes`` every test that starts servers, a browser or the CLI, or uses the
    store the real CLI builds: ``make test-fast`` runs the others (``-m "not processes"``)."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & _OUT_OF_PROCESS_FIXTURES or _module_needs_processes(item.path):
            item.add_marker(pytest.mark.processes)
