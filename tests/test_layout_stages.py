"""Every stage package stays readable: modules under 400 lines, no import circles among stages."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

STAGES = Path(__file__).resolve().parents[1] / "src" / "wiretrace" / "stages"
PACKAGES = tuple(sorted(p.name for p in STAGES.iterdir() if (p / "__init__.py").exists()))


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


def _absolute(path: Path, module: str | None, level: int) -> str:
    """The absolute module name of an import, relative ones resolved from ``path``."""
    if not level:
        return module or ""
    parts = ["wiretrace", *path.relative_to(STAGES.parent).with_suffix("").parts][:-level]
    return ".".join([*parts, *([module] if module else [])])


def _imports(path: Path) -> set[str]:
    """Modules of the same packages that ``path`` imports, at module level or inside functions."""
    mods = set(_modules())
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or node.level):
            base = _absolute(path, node.module, node.level)
            out.update(m for m in (base, *(f"{base}.{a.name}" for a in node.names)) if m in mods)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in mods)
    return out


def test_layout_no_import_circles_among_stages() -> None:
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
