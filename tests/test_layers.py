"""The layers read top to bottom: `monev.core` (pure) ← `monev.io` (formats) ← `monev.web` and
`monev.pemda` (Django) ← `monev.cli` (the command line). A module may import its own layer and
those below it, never one above; and no two modules of the engine or the formats import each
other (directly or through others), so that each can be read without the other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

#: Lower number = lower layer. `monev` itself (version, __main__) and `monev.synthetic` sit with
#: the formats: the synthetic generator writes flat files.
LAYERS = {
    "monev": 0,
    "monev.core": 0,
    "monev.io": 1,
    "monev.synthetic": 1,
    "monev.web": 2,
    "monev.pemda": 2,
    "monev.cli": 3,
    "monev.__main__": 3,
}


def layer_of(module: str) -> int | None:
    best: tuple[int, int] | None = None
    for prefix, layer in LAYERS.items():
        if (module == prefix or module.startswith(prefix + ".")) and (
            best is None or len(prefix) > best[0]
        ):
            best = (len(prefix), layer)
    return None if best is None else best[1]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Return every monev module that `path` imports, at module level or inside a function
    (a lazy import is still a dependency), TYPE_CHECKING imports included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = (
        module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    )
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            # `from monev.core import rules` imports the module monev.core.rules
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return {name for name in found if name == "monev" or name.startswith("monev.")}


MODULES = {
    module_name(path): path
    for path in sorted((SRC / "monev").rglob("*.py"))
    if "migrations" not in path.parts
}
GRAPH = {
    name: {dep for dep in imports_of(path) if dep in MODULES and dep != name}
    for name, path in MODULES.items()
}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_a_higher_layer(module: str) -> None:
    own = layer_of(module)
    assert own is not None, f"{module} belongs to no layer: add it to LAYERS"
    higher = sorted(dep for dep in GRAPH[module] if (layer_of(dep) or 0) > own)
    assert not higher, f"{module} imports a higher layer: {higher}"


def cycles(prefixes: tuple[str, ...]) -> list[list[str]]:
    nodes = {m for m in GRAPH if m.startswith(prefixes)}
    found: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for dep in sorted(GRAPH[module] & nodes):
            # a package's __init__ re-exporting its modules is not a cycle of meaning
            if module.startswith(dep + ".") or dep.startswith(module + "."):
                continue
            if state.get(dep) == 1:
                found.append([*stack[stack.index(dep) :], dep])
            elif dep not in state:
                visit(dep)
        stack.pop()
        state[module] = 2

    for module in sorted(nodes):
        if module not in state:
            visit(module)
    return found


def test_engine_and_formats_have_no_import_cycles() -> None:
    assert cycles(("monev.core", "monev.io")) == []


def test_the_layer_test_sees_an_upward_import() -> None:
    # guards the guard: the command line does import the web
    assert any(layer_of(dep) == 2 for dep in GRAPH["monev.cli.laporan"])


#: A module a newcomer can hold in mind; split where the domain splits when one grows past it.
MAX_LINES = 600


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_over_600_lines(module: str) -> None:
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module}: {lines} lines"
