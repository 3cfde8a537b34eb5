"""The package's shape: no import cycles (function-level imports included), no module over 600 lines, and no
spaCy component importing another (what two components share lives outside extractor.nlp.components).

The import graph is read with `ast` from src/extractor, not by importing: every `import` and `from ... import`
statement anywhere in a module (inside functions too) is an edge, except those under `if TYPE_CHECKING:`, which
never run. `from a.b import c` is an edge to the module `a.b.c` when there is one, else to `a.b`; the parent
packages Python imports on the way are not edges (every module would otherwise depend on `extractor/__init__`).
`python -m tests.test_layout` prints the cycles and the longest modules.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "extractor"
MAX_LINES = 600
NLP = "extractor.nlp"
COMPONENTS = "extractor.nlp.components"


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _type_checking_only(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that `name` imports, at any depth of its code."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join([*anchor, base] if base else anchor)
        for alias in node.names:
            target = f"{base}.{alias.name}"
            if target in known:
                found.add(target)
            elif base in known:
                found.add(base)
    found.discard(name)
    return found


def import_graph() -> dict[str, set[str]]:
    paths = modules()
    known = set(paths)
    return {name: imports(name, path, known) for name, path in paths.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted; sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def line_counts() -> dict[str, int]:
    return {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in modules().items()}


def _in_nlp(name: str) -> bool:
    return name == NLP or name.startswith(NLP + ".")


def test_the_graph_sees_function_level_imports() -> None:
    """The check must not be blind to the lazy imports that hid the old cycles."""
    graph = import_graph()
    assert "extractor.ingest.pdf" in graph["extractor.ingest"]  # imported inside load_document


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycles_outside_nlp() -> None:
    found = [cycle for cycle in cycles(import_graph()) if not all(_in_nlp(name) for name in cycle)]
    assert found == [], "import cycles:\n" + "\n".join(" <-> ".join(cycle) for cycle in found)


def test_no_import_cycles_in_nlp() -> None:
    found = [cycle for cycle in cycles(import_graph()) if all(_in_nlp(name) for name in cycle)]
    assert found == [], "import cycles:\n" + "\n".join(" <-> ".join(cycle) for cycle in found)


def test_no_module_over_600_lines_outside_nlp() -> None:
    long = {name: n for name, n in line_counts().items() if n > MAX_LINES and not _in_nlp(name)}
    assert long == {}


def test_no_module_over_600_lines_in_nlp() -> None:
    long = {name: n for name, n in line_counts().items() if n > MAX_LINES and _in_nlp(name)}
    assert long == {}


def component_imports(graph: dict[str, set[str]]) -> dict[str, list[str]]:
    """Modules under extractor.nlp.components that import another module under it (the package excluded)."""
    inside = {name for name in graph if name.startswith(COMPONENTS + ".")}
    return {name: sorted(graph[name] & inside) for name in sorted(inside) if graph[name] & inside}


def test_component_imports_are_found() -> None:
    graph = {f"{COMPONENTS}.a": {f"{COMPONENTS}.b", NLP}, f"{COMPONENTS}.b": {COMPONENTS}, NLP: {f"{COMPONENTS}.a"}}
    assert component_imports(graph) == {f"{COMPONENTS}.a": [f"{COMPONENTS}.b"]}


def test_no_component_imports_another() -> None:
    """A component reads what an earlier one wrote on the Doc, never its module: shared readers, lexicons and
    matchers live in nlp/text/ (or beside the Doc in nlp/), so each component is its factory and its readers."""
    found = component_imports(import_graph())
    assert found == {}, "\n".join(f"{name} imports {', '.join(targets)}" for name, targets in found.items())


if __name__ == "__main__":
    for cycle in cycles(import_graph()):
        print("cycle:", " <-> ".join(cycle))
    for name, targets in component_imports(import_graph()).items():
        print("component import:", name, "->", ", ".join(targets))
    for name, n in sorted(line_counts().items(), key=lambda item: -item[1])[:5]:
        print(f"{n:5d} {name}")
