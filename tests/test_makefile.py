"""The Makefile's two commands: `make serve` sets up only the runtime, `make test` the extras.

Checked with `make -n -B` (print every command, run none): nothing is installed."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import ROOT


def planned(target: str) -> list[str]:
    make = shutil.which("make")
    if make is None:
        pytest.fail("`make` is not installed (the README's two commands need it)")
    result = subprocess.run(
        [make, "-n", "-B", "-C", str(ROOT), target],
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in result.stdout.splitlines() if not line.startswith("make")]


def test_make_serve_installs_only_the_runtime_dependencies() -> None:
    commands = planned("serve")
    installs = [c for c in commands if "pip install" in c and "--upgrade pip" not in c]
    assert installs == [".venv/bin/python -m pip install --quiet -e ."]
    assert not any("dev" in c or "bench" in c for c in commands)
    assert commands[-1] == ".venv/bin/wsiskg serve"


def test_make_test_installs_the_dev_and_bench_extras() -> None:
    commands = planned("test")
    assert ".venv/bin/python -m pip install --quiet -e '.[dev,bench]'" in commands
    # the runtime is part of it: a later `make serve` installs nothing more
    assert "touch .venv/.installed .venv/.runtime" in commands
    # the last recipe: the schema fuzzing in the background, the rest beside it, and the
    # target fails if either does
    recipe = " ".join(commands).split(".venv/bin/python -m pytest tests/test_fuzz_api.py", 1)
    assert len(recipe) == 2, commands
    # both share a fresh folder for what is made once for the run (the built-in store),
    # removed once both have ended
    assert "export WSISKG_TESTS_SHARED=$shared;" in recipe[0], recipe[0]
    rest = recipe[1]
    assert rest.startswith(" > .venv/fuzz.log 2>&1 & fuzz=$!;"), rest
    assert (
        "env -u PYTHONDONTWRITEBYTECODE PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 "
        ".venv/bin/python -m pytest -p xdist.plugin -p _hypothesis_pytestplugin -n 2 "
        "--dist loadscope --no-loadscope-reorder --durations=25 --ignore=tests/test_fuzz_api.py; "
        'status=$?; wait $fuzz; fuzz_status=$?; rm -rf "$shared";'
    ) in rest.replace("\\ ", "")
    assert rest.rstrip().endswith("test $status -eq 0 && test $fuzz_status -eq 0")


def test_both_commands_compile_the_project_s_modules_once() -> None:
    # with PYTHONDONTWRITEBYTECODE set every process would compile them again from source
    compile_runtime = ".venv/bin/python -m compileall -q -j 0 api graph loaders ontology"
    for target in ("serve", "test"):
        commands = planned(target)
        assert compile_runtime in commands, (target, commands)
        assert commands.index(compile_runtime) < len(commands) - 1  # before what runs
    assert ".venv/bin/python -m compileall -q -j 0 bench" in planned("test")
