"""core's services and queries import each other in one direction only.

A cycle (cases <-> sanctions, overview <-> subjects) used to be hidden behind imports
inside functions; this walks every import in core, at any depth of the file, so one
written inside a function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "core"


def _module_name(path: Path) -> str:
    parts = path.relative_to(CORE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in CORE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        # A package's __init__ is imported with each of its modules; only module to
        # module edges can form a cycle worth reporting.
        graph[name] = {
            m for m in found if m in modules and m != name and modules[m].stem != "__init__"
        }
    return graph


def _cycle_from(graph: dict[str, set[str]], start: str) -> list[str] | None:
    path: list[str] = []
    done: set[str] = set()

    def visit(node: str) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        path.append(node)
        for nxt in sorted(graph[node]):
            if cycle := visit(nxt):
                return cycle
        path.pop()
        done.add(node)
        return None

    return visit(start)


def test_core_modules_import_each_other_without_cycles():
    graph = _imports()
    assert "core.services.cases" in graph and "core.queries.sanctions" in graph
    for start in sorted(graph):
        cycle = _cycle_from(graph, start)
        assert cycle is None, " -> ".join(cycle)
