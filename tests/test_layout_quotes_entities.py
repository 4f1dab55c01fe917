"""The quotes and entities packages stay readable: modules under 400 lines, no import circles."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

STAGES = Path(__file__).resolve().parents[1] / "src" / "wiretrace" / "stages"
PACKAGES = ("quotes", "entities")


def _modules() -> dict[str, Path]:
    return {
        f"wiretrace.stages.{pkg}.{p.stem}": p
        for pkg in PACKAGES
        for p in sorted((STAGES / pkg).glob("*.py"))
    }


@pytest.mark.parametrize("name", sorted(_modules()))
def test_layout_module_is_under_400_lines(name: str) -> None:
    lines = _modules()[name].read_text(encoding="utf-8").count("\n")
    assert lines <= 400, f"{name} has {lines} lines"


def _imports(path: Path) -> set[str]:
    """Modules of the same packages that ``path`` imports, at module level or inside functions."""
    mods = set(_modules())
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            out.update(m for m in (base, *(f"{base}.{a.name}" for a in node.names)) if m in mods)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in mods)
    return out


def test_layout_no_import_circles_in_quotes_and_entities() -> None:
    graph = {name: _imports(path) - {name} for name, path in _modules().items()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, set()):
            if state.get(nxt) == 1:
                raise AssertionError("import circle: " + " -> ".join([*trail, node, nxt]))
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [])
