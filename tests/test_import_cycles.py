"""The import graph of the project's packages: one way, no cycles.

Every ``import`` statement counts, including those inside functions: an import moved into a
function hides a cycle from Python's import machinery but not from the design. The packages
are layered ``ontology ← loaders ← graph ← api ← bench``; a module imports only from its own
layer or those below, and within a layer the modules form no cycle.

Read with :mod:`ast` (nothing is imported or executed); a module's imports are resolved to
the project's modules (``from graph import store`` is ``graph.store``; a package is its
``__init__``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("ontology", "loaders", "graph", "api", "bench")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            if "results" in path.relative_to(ROOT).parts:
                continue
            found[_module_name(path)] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The project module an imported name lives in (the longest known prefix), or None."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in MODULES:
            return candidate
        parts.pop()
    return None


def _imports(module: str, path: Path) -> Iterator[tuple[str, int]]:
    """(imported project module, line) for every import statement of one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _resolve(alias.name)
                if target:
                    yield target, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                stem = ".".join([*base, node.module] if node.module else base)
            else:
                stem = node.module or ""
            for alias in node.names:
                target = _resolve(f"{stem}.{alias.name}") or _resolve(stem)
                if target:
                    yield target, node.lineno


def _type_checking_lines(path: Path) -> set[int]:
    """Lines under ``if TYPE_CHECKING:``: annotations only, never run, not an edge."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                for inner in ast.walk(child):
                    if hasattr(inner, "lineno"):
                        lines.add(inner.lineno)
    return lines


@cache  # read once for the module's tests (each parse of the ~250 modules took ~3 s)
def _graph() -> dict[str, dict[str, int]]:
    edges: dict[str, dict[str, int]] = {}
    for module, path in MODULES.items():
        skip = _type_checking_lines(path)
        out = edges.setdefault(module, {})
        for target, line in _imports(module, path):
            # a package's __init__ importing its own modules, or a module its own package's
            # __init__, is how packages are assembled, not a cycle between jobs
            if target == module or line in skip:
                continue
            if module.startswith(target + ".") or target.startswith(module + "."):
                continue
            out.setdefault(target, line)
    return edges


def _cycles(edges: dict[str, dict[str, int]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0
    for root, targets in edges.items():
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(targets))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, {}))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return components


def test_the_reader_sees_imports_inside_functions(tmp_path: Path) -> None:
    """The check would be toothless if it missed function-level or relative imports."""
    module = tmp_path / "probe.py"
    module.write_text(
        "def f():\n    from graph import store\n    return store\n"
        "def g():\n    from .catalogue import run\n    return run\n",
        encoding="utf-8",
    )
    found = {target for target, _line in _imports("graph.probe", module)}
    assert found == {"graph.store", "graph.catalogue"}


def test_no_import_cycle() -> None:
    edges = _graph()
    cycles = _cycles(edges)
    described = []
    for component in cycles:
        members = set(component)
        lines = [
            f"  {a} -> {b} (line {edges[a][b]})"
            for a in component
            for b in sorted(edges[a])
            if b in members
        ]
        described.append("\n".join([" <-> ".join(component), *lines]))
    assert not cycles, "import cycles:\n" + "\n\n".join(described)


@pytest.mark.parametrize("layer", LAYERS)
def test_layers_import_one_way(layer: str) -> None:
    """ontology ← loaders ← graph ← api ← bench: nothing imports from a layer above it."""
    edges = _graph()
    allowed = set(LAYERS[: LAYERS.index(layer) + 1])
    wrong = [
        f"{module} -> {target} (line {line})"
        for module, targets in edges.items()
        if module.split(".")[0] == layer
        for target, line in targets.items()
        if target.split(".")[0] not in allowed
    ]
    assert not wrong, f"{layer} imports from a layer above it:\n" + "\n".join(wrong)
