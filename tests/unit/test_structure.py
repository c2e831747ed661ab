"""The shape of the code base: module and function sizes, which layer may import which, no cycles.

Read from the source with ``ast`` (nothing is imported), so a breach names the file and line.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("service", "models")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _modules() -> dict[str, Path]:
    out: dict[str, Path] = {}
    for base in PACKAGES:
        for path in sorted((ROOT / base).rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            out[name.removesuffix(".__init__")] = path
    return out


MODULES = _modules()


def _imports(path: Path) -> Iterator[str]:
    """Every absolute module name ``path`` imports, at module level or inside a function."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names)


def _graph() -> dict[str, set[str]]:
    return {name: {d for d in _imports(path) if d in MODULES and d != name} for name, path in MODULES.items()}


def test_no_module_is_over_the_size_limit() -> None:
    """Every module of service/ and models/ has at most 400 lines."""
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in MODULES.items()}
    over = {name: n for name, n in sizes.items() if n > MAX_MODULE_LINES}
    assert over == {}


def test_no_function_is_over_the_size_limit() -> None:
    """Every function of service/ and models/ spans at most 60 lines."""
    over = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    over.append(f"{name}.{node.name} ({lines} lines, line {node.lineno})")
    assert over == []


def test_engines_know_nothing_of_http() -> None:
    """Nothing under service/engines imports Litestar or the HTTP layer (errors, api, app)."""
    banned = ("litestar", "service.errors", "service.api", "service.app", "service.analysis")
    found = [
        (name, dep)
        for name, path in MODULES.items()
        if name.startswith("service.engines")
        for dep in _imports(path)
        if dep.startswith(banned)
    ]
    assert found == []


def test_models_name_nothing_in_service() -> None:
    """The model layer imports nothing from service/."""
    found = [
        (name, dep)
        for name, path in MODULES.items()
        if name.startswith("models")
        for dep in _imports(path)
        if dep == "service" or dep.startswith("service.")
    ]
    assert found == []


def test_no_import_cycle() -> None:
    """The import graph of service/ and models/ (lazy imports included) has no cycle."""
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while (w := stack.pop()) != v:
                comp.append(w)
            if comp:
                cycles.append(sorted([v, *comp]))

    for v in graph:
        if v not in index:
            visit(v)
    assert cycles == []
