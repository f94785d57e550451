"""Every module of the packages has one job and stays short: at most ``LIMIT`` lines.

A long module is a sign of several jobs in one file (issue 14): split it by job, the way
``loaders/resolution_text/`` and ``loaders/references/`` are split, and keep its public names
importable from where they were. Only Python modules count: the data files (CSV, templates,
Turtle) are not code.

``STILL_SPLITTING`` lists the modules over the limit today, each expected to fail (strictly:
the test fails once a module is split, so that it is taken off the list, and tightens the
rule).
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ontology", "graph", "loaders", "api", "bench")
LIMIT = 500

STILL_SPLITTING: set[str] = set()  # graph/store.py, the last, split with issue 15


def _modules() -> list[str]:
    return sorted(
        path.relative_to(ROOT).as_posix()
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
    )


def _param(module: str) -> object:
    if module in STILL_SPLITTING:
        mark = pytest.mark.xfail(strict=True, reason="over the limit: being split (issue 14)")
        return pytest.param(module, marks=mark)
    return module


def test_the_list_names_only_modules_that_exist() -> None:
    assert STILL_SPLITTING - set(_modules()) == set()


@pytest.mark.parametrize("module", [_param(m) for m in _modules()])
def test_module_is_short(module: str) -> None:
    lines = len((ROOT / module).read_text(encoding="utf-8").splitlines())
    assert lines <= LIMIT, f"{module} has {lines} lines (limit {LIMIT}): split it by job"
