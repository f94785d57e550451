"""Shared fixtures: real stores (in memory and on disk), the built-in data, the CLI."""

from __future__ import annotations

import fcntl
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from graph.builtin import BUILTIN_SOURCES, load_builtin
from graph.store import KnowledgeGraph, LoadRecord
from tests import cli_child

ROOT = Path(__file__).resolve().parent.parent
_SCRIPT = Path(sys.executable).parent / "wsiskg"
# the installed console script, as a user runs it (the module where it is not installed)
WSISKG = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "api.cli"]

# A test process lives for the whole run and holds large heaps (the session's fixtures, the
# parsed graphs, Hypothesis's state): with Python's default thresholds its collector walked
# them about 6 % of its CPU time (10.6 of 160 s in five modules measured with gc.callbacks);
# with these, 5.0 s. Garbage is still collected, less often.
gc.set_threshold(10_000, 20, 100)


@pytest.fixture(scope="session")
def builtin_load(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[KnowledgeGraph, list[LoadRecord]]:
    """The built-in data loaded into an empty in-memory store, and what that first load
    returned (tests/test_store.py loads it again: a load that must change nothing).

    Under pytest-xdist the load is made once for the run, by whichever worker asks first,
    which writes the store's quads (N-Quads) and the records into a folder of the workers;
    the other worker reads them into its own in-memory store: the same quads (the ontology's
    blank nodes under other labels, as every load of it gives them), in a few seconds where
    the load takes some 18."""
    kg = KnowledgeGraph.in_memory()
    if not _shared_run():
        return kg, load_builtin(kg)
    with _once_for_the_run(tmp_path_factory, "builtin-once") as (shared, first):
        quads, records = shared / "builtin.nq", shared / "records.json"
        if first:
            loaded = load_builtin(kg)
            kg.store.dump(str(quads), format=ox.RdfFormat.N_QUADS)
            records.write_text(json.dumps([asdict(r) for r in loaded]), encoding="utf-8")
            return kg, loaded
    kg.store.bulk_load(path=str(quads), format=ox.RdfFormat.N_QUADS)
    read = [LoadRecord(**r) for r in json.loads(records.read_text(encoding="utf-8"))]
    return kg, read


# A folder that pytest processes started together share (`make test` gives one to the main
# run and to the schema fuzzing beside it): what :func:`_once_for_the_run` makes is then
# made once for all of them, not once per process.
SHARED_ENV = "WSISKG_TESTS_SHARED"


def _shared_run() -> bool:
    """Whether this process shares its once-made fixtures with others of the run."""
    return "PYTEST_XDIST_WORKER" in os.environ or bool(os.environ.get(SHARED_ENV))


def _shared_root(factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get(SHARED_ENV)
    return Path(given) if given else factory.getbasetemp().parent


@contextmanager
def _once_for_the_run(factory: pytest.TempPathFactory, name: str) -> Iterator[tuple[Path, bool]]:
    """Under pytest-xdist (or with :data:`SHARED_ENV`): the common folder ``name`` of the
    run's processes and whether this one is the first to ask (it makes what the folder
    shares, holding the lock, which the others wait on; what it makes counts as done only if
    it did not fail)."""
    shared = _shared_root(factory) / name
    shared.mkdir(exist_ok=True)
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        first = not (shared / "done").exists()
        yield shared, first
        if first:
            (shared / "done").touch()


@pytest.fixture(scope="session")
def builtin_kg(builtin_load: tuple[KnowledgeGraph, list[LoadRecord]]) -> KnowledgeGraph:
    """An in-memory graph with the ontology and all built-in data. Read-only for tests."""
    return builtin_load[0]


def load_builtin_but_recommendations(kg: KnowledgeGraph) -> KnowledgeGraph:
    """Load into ``kg`` the ontology and every built-in source but the Recommendations table
    (350k of the 444k triples), as the built-in data is loaded: one write, one entailment
    pass. About 26k quads, a dozen sources (the tables, the seed documents) with their
    entailments: for tests of the write path that need real, varied data, not all of it."""
    sources = [s for s in BUILTIN_SOURCES if s.name != "itut-recommendations"]
    kg.load_many([kg.ontology_load(), *(s.load(kg.ids, s.path) for s in sources)])
    return kg


@pytest.fixture
def kg() -> KnowledgeGraph:
    """An empty in-memory graph with only the ontology."""
    graph = KnowledgeGraph.in_memory()
    graph.load_ontology()
    return graph


@pytest.fixture(scope="session")
def loaded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store of the built-in data, as a new user's first `wsiskg serve` over an
    empty store builds it (the README's command): loaded once, then served; copy it before
    changing it. Beside it, from that first start: ``load.stderr`` (what the load wrote on
    standard error, each stage) and ``health.json`` and ``graphs.json`` (what /health and
    /graphs answered once it served).

    Under pytest-xdist (`make test` runs two workers, and the schema fuzzing beside) the
    load is made once for the run, by whichever process asks first, into a folder no test
    opens; each then reads its own copy (145 MB, about a second), so no two processes ever
    open one store. What is beside it is that first start's, the store's path in it
    written as the copy's."""
    path = tmp_path_factory.mktemp("store") / "store"
    if not _shared_run():
        return _first_serve(path)
    with _once_for_the_run(tmp_path_factory, "loaded-once") as (shared, first):
        if first:
            _first_serve(shared / "store")
    shutil.copytree(shared / "store", path)
    for name in _FIRST_SERVE:  # naming the copy, as if its own
        said = (shared / name).read_text(encoding="utf-8")
        (path.parent / name).write_text(said.replace(str(shared / "store"), str(path)))
    return path


_FIRST_SERVE = ("load.stderr", "health.json", "graphs.json")


def _first_serve(path: Path) -> Path:
    """`wsiskg serve` over the empty store ``path`` until it answers, then stopped; beside
    ``path``, what it wrote while loading the built-in data and its first /health and
    /graphs (:data:`_FIRST_SERVE`)."""
    from tests.servers import running_server

    path.parent.mkdir(parents=True, exist_ok=True)
    log = path.parent / "serve.log"
    with running_server(path, log=log) as base:
        for route in ("health", "graphs"):
            answer = httpx.get(f"{base}/{route}", timeout=60)
            assert answer.status_code == 200, (route, answer.text)
            (path.parent / f"{route}.json").write_text(answer.text, encoding="utf-8")
    lines = log.read_text(encoding="utf-8").splitlines()
    first = next(n for n, line in enumerate(lines) if line.startswith(f"store {path}"))
    last = next(n for n, line in enumerate(lines) if "graphs loaded" in line)
    (path.parent / "load.stderr").write_text("\n".join(lines[first : last + 1]) + "\n")
    return path


# The query deadline of the shared server (loaded_server). The headline
# question through /sparql (supporting-work, its Action Line bound at the start) takes about
# 1 s here on a quiet machine; under the suite's load 3 s, then 6 s were passed (503s).
SERVER_DEADLINE = 10


def bound_query(name: str, **values: str) -> str:
    """The named query ``name`` as an analyst sends it to /sparql: each value (a literal)
    bound by a VALUES block at the start of its WHERE clause, as the dashboard's query page
    shows it (api/dashboard_data.example_text) and the benchmarks send it. (A trailing VALUES
    is joined only after the whole pattern, every Action Line, is evaluated: some 5 s for
    supporting-work here, past a server's deadline on a busy machine.)"""
    from graph.catalogue import get

    head, sep, tail = get(name).text.partition("WHERE {\n")
    assert sep, f"{name}: no 'WHERE {{' line"
    blocks = "".join(f'  VALUES ?{k} {{ "{v}" }}\n' for k, v in values.items())
    return f"{head}{sep}{blocks}{tail}"


@pytest.fixture(scope="session")
def loaded_server(
    loaded_store: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    """`wsiskg serve` over a copy of the session's loaded store: the built-in data, found
    unchanged, so it starts in seconds (the first start, which loaded it, is
    ``loaded_store``'s).
    A query deadline of :data:`SERVER_DEADLINE`. Its base URL and its store. Read-only for
    tests."""
    from tests.servers import running_server

    store = tmp_path_factory.mktemp("serve-copy") / "store"
    shutil.copytree(loaded_store, store)
    with running_server(store, {"WSISKG_QUERY_TIMEOUT": str(SERVER_DEADLINE)}) as base:
        yield base, store


@pytest.fixture(scope="session")
def oxigraph_builtin(loaded_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server (`oxigraph serve`) over a copy of the session's loaded store (the
    same database format): the built-in data, loaded once. Its base URL. Read-only for tests."""
    from tests.servers import oxigraph_server

    location = tmp_path_factory.mktemp("oxigraph-builtin") / "db"
    shutil.copytree(loaded_store, location)
    with oxigraph_server(location) as base:
        yield base


@pytest.fixture(scope="session")
def remote_builtin_server(
    oxigraph_builtin: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """`wsiskg serve` with WSISKG_STORE_URL: the session's Oxigraph server, which holds the
    built-in data. Served as it is (`--no-builtin`): it holds exactly the session's loaded
    store, whatever a check of the built-in data would do. Its base URL. Read-only for tests."""
    from tests.servers import running_server

    folder = tmp_path_factory.mktemp("remote-api")
    env = {"WSISKG_STORE_URL": oxigraph_builtin, "WSISKG_QUERY_TIMEOUT": "30"}
    with running_server(folder / "unused", env, args=["--no-builtin"]) as base:
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
    script: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run `wsiskg` in a child process, as a user would (with extra environment ``env``):
    forked from a server that has imported the CLI (tests/cli_child.py), or with ``script``
    the installed console script in a new interpreter."""
    env = {
        **os.environ,
        "WSISKG_STORE": str(store),
        "COLUMNS": "200",
        "NO_COLOR": "1",
        **(env or {}),
    }
    if script:
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
    else:
        with tempfile.TemporaryDirectory(prefix="wsiskg-cli-") as folder:
            out, err = Path(folder) / "stdout", Path(folder) / "stderr"
            try:
                code, _ = cli_child.run(args, env, ROOT, out, err, timeout=timeout)
            except cli_child.CommandTimedOutError as e:
                raise subprocess.TimeoutExpired(["wsiskg", *args], timeout) from e
            assert code is not None  # a child is killed only past its timeout (raised above)
            result = subprocess.CompletedProcess(
                ["wsiskg", *args],
                code,
                out.read_text(encoding="utf-8"),
                err.read_text(encoding="utf-8"),
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
_OUT_OF_PROCESS_FIXTURES = {
    "loaded_store",
    "oxigraph_builtin",
    "store_copy",
    "loaded_server",
    "remote_builtin_server",
}
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
    items[:] = _long_poles_first(items)


def _long_poles_first(items: list[pytest.Item]) -> list[pytest.Item]:
    """The modules with a ``slow`` test first, then those with a ``processes`` one, then the
    rest; each module's tests in their own order. `make test` hands whole modules to two
    xdist workers in this order (``--dist loadscope --no-loadscope-reorder``): the longest
    start first and the many short ones fill in at the end, so both finish together."""
    rank: dict[Path, int] = {}
    for item in items:
        weight = (
            0
            if item.get_closest_marker("slow")
            else 1
            if item.get_closest_marker("processes")
            else 2
        )
        rank[item.path] = min(rank.get(item.path, 2), weight)
    return sorted(items, key=lambda item: rank[item.path])  # stable: the order within a module
