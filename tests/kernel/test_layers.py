"""The kernel reads bottom-up: no import circles inside it, counting every import a reader
follows (module level, inside functions, and type-only ones under ``TYPE_CHECKING``); the
Persian package stands on nothing but ``kernel.errors``; and the kernel imports no module.
"""

from __future__ import annotations

import ast
from pathlib import Path

KERNEL = Path(__file__).resolve().parents[2] / "kernel"


def module_names() -> dict[str, Path]:
    names = {}
    for path in KERNEL.rglob("*.py"):
        parts = ("kernel", *path.relative_to(KERNEL).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


MODULES = module_names()


def _owner(dotted: str) -> str | None:
    """The kernel module a dotted import name lives in (``kernel.db.Base`` → ``kernel.db``)."""
    while dotted and dotted not in MODULES:
        dotted = dotted.rpartition(".")[0]
    return dotted or None


def imports_of(path: Path) -> dict[str, int]:
    """Every module-qualified name imported anywhere in the file → its first line."""
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.setdefault(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                found.setdefault(f"{node.module}.{alias.name}", node.lineno)
    return found


def kernel_graph() -> dict[str, dict[str, int]]:
    graph: dict[str, dict[str, int]] = {}
    for name, path in MODULES.items():
        edges: dict[str, int] = {}
        for imported, line in imports_of(path).items():
            target = _owner(imported) if imported.split(".")[0] == "kernel" else None
            if target and target != name:
                edges.setdefault(target, line)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Tarjan's strongly connected components of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_kernel_has_no_import_circles():
    graph = kernel_graph()
    assert len(graph) > 40 and graph["kernel.kernel"]  # the scan really read the kernel
    described = [
        " ↔ ".join(c) + ": " + "; ".join(f"{a} imports {b} (line {graph[a][b]})" for a in c for b in graph[a] if b in c)
        for c in cycles(graph)
    ]
    assert described == []


def test_the_cycle_finder_finds_a_circle():
    assert cycles({"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}) == [["a", "b", "c"]]


def test_the_persian_package_stands_on_errors_alone():
    graph = kernel_graph()
    persian = [m for m in graph if m.startswith("kernel.persian")]
    assert len(persian) >= 9
    outside = {(m, t) for m in persian for t in graph[m] if not (t.startswith("kernel.persian") or t == "kernel.errors")}
    assert outside == set()


def test_the_kernel_imports_no_module():
    offending = [(str(p.relative_to(KERNEL)), name) for p in KERNEL.rglob("*.py")
                 for name in imports_of(p) if name.split(".")[0] in ("modules", "examples", "devices")]
    assert offending == []
