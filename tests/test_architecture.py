"""The package's layout, as tests: imports flow one way, and every module stays small.

Imports are read from the source with `ast` (every import, also those inside
functions), so a cycle or a wrong-way import fails here before it can bite at
import time in some rarely used order.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "tinygrad_edu"

#: What each part of the package may import from the others (besides numpy and the standard library).
#: The engines, the report and the data need nothing of the rest; the course may use everything.
ALLOWED = {
    "tinygrad_edu": {"autograd"},
    "autograd": set(),
    "report": set(),
    "data": set(),
    "interop": set(),
    "nn": {"autograd"},
    "optim": {"autograd"},
    "gradcheck": {"autograd"},
    "testing": {"autograd", "gradcheck"},
    "viz": {"autograd"},
    "crosscheck": {"autograd", "nn", "data", "report"},
    "train": {"autograd", "nn", "optim", "data", "report"},
    "course": None,  # anything
}
MAX_LINES = 450


def module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported_modules(name, path):
    """The tinygrad_edu modules `name` imports: `from a.b import c` counts as a.b.c if that is a module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from . import x, from ..a import b
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {module for module in found if module in MODULES and module != name}


GRAPH = {name: imported_modules(name, path) for name, path in MODULES.items()}


def part(module):
    """The top-level part a module belongs to: tinygrad_edu.nn.linear -> "nn"."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def find_cycle(graph):
    """One import cycle as a list of modules (first == last), or None."""
    state = {}  # absent: unvisited; 1: on the current path; 2: done

    def visit(node, path):
        state[node] = 1
        for child in sorted(graph[node]):
            if state.get(child) == 1:
                return path[path.index(child):] + [child]
            if child not in state and (cycle := visit(child, path + [child])):
                return cycle
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start, [start])):
            return cycle
    return None


def test_the_import_graph_has_no_cycle():
    assert find_cycle(GRAPH) is None, " -> ".join(find_cycle(GRAPH))


def test_the_cycle_finder_finds_a_planted_cycle():
    idx = "tinygrad_edu.data.idx"
    planted = {**GRAPH, idx: GRAPH[idx] | {"tinygrad_edu.data.download"}}
    cycle = find_cycle(planted)
    assert cycle is not None and cycle[0] == cycle[-1] and "tinygrad_edu.data.download" in cycle


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_flow_one_way(name):
    allowed = ALLOWED[part(name)]
    if allowed is None:
        return
    wrong = sorted(m for m in GRAPH[name] if part(m) != part(name) and part(m) not in allowed)
    assert not wrong, f"{name} imports {wrong}; {part(name)} may import only {sorted(allowed) or 'itself'}"


def test_every_part_of_the_package_has_a_rule():
    assert {part(name) for name in MODULES} == set(ALLOWED)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_longer_than_the_limit(name):
    lines = MODULES[name].read_text().count("\n")
    assert lines <= MAX_LINES, f"{name} has {lines} lines; split it by job (limit {MAX_LINES})"

