"""No import cycles among the project's modules (graph/ is ``openness``, api/ is ``openness.api``).

A cycle makes a module's names depend on which module was imported first, and hides itself
behind imports inside functions or a module ``__getattr__``. The graph is built from the source's
syntax tree: every import that runs when a module is loaded (module level, also inside ``try`` /
``if``, but not under ``if TYPE_CHECKING:``), and, separately, the imports inside functions.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import networkx as nx

REPO = Path(__file__).resolve().parents[1]
ROOTS = {"graph": "openness", "api": "openness.api"}


def _modules() -> dict[str, Path]:
    out: dict[str, Path] = {}
    for folder, package in ROOTS.items():
        for path in (REPO / folder).rglob("*.py"):
            parts = list(path.relative_to(REPO / folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join([package, *parts])] = path
    return out


MODULES = _modules()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(body: list[ast.stmt], in_function: bool) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Import statements with whether they run inside a function."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, in_function
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from _imports(node.orelse, in_function)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from _imports(node.body, True)
        else:
            for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                for child in getattr(node, field, []) or []:
                    if isinstance(child, ast.stmt):
                        yield from _imports([child], in_function)
                    elif hasattr(child, "body"):  # except handlers, match cases
                        yield from _imports(child.body, in_function)


def _targets(module: str, is_package: bool, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """The project modules an import statement loads."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name in MODULES:
                yield alias.name
        return
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        source = ".".join(base + ([node.module] if node.module else []))
    else:
        source = node.module or ""
    submodules = [f"{source}.{a.name}" for a in node.names if f"{source}.{a.name}" in MODULES]
    if source in MODULES and len(submodules) < len(node.names):  # a name of the module itself
        yield source
    yield from submodules


def import_graph(with_functions: bool = False) -> nx.DiGraph:
    graph = nx.DiGraph()
    for module, path in MODULES.items():
        graph.add_node(module)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node, in_function in _imports(tree.body, False):
            if in_function and not with_functions:
                continue
            for target in _targets(module, path.name == "__init__.py", node):
                if target != module:
                    graph.add_edge(module, target)
    return graph


def test_the_graph_sees_the_project() -> None:
    graph = import_graph()
    assert len(MODULES) > 50
    assert graph.has_edge("openness.gate", "openness.namespaces")
    assert graph.has_edge("openness.api.app", "openness.api.settings")
    assert graph.has_edge("openness.validation", "openness.validation.compiled")
    assert not graph.has_edge("openness.validation.compiled", "openness.validation")  # `from . import x`


def test_no_import_cycles_at_load_time() -> None:
    cycles = sorted(nx.simple_cycles(import_graph()), key=len)
    assert not cycles, "import cycles (module -> ... -> module): " + "; ".join(
        " -> ".join([*c, c[0]]) for c in cycles[:10])
