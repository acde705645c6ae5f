"""No import cycle among the package's modules, and no import from a layer above its own
(the layers of docs/architecture.md).

Every module under src/apcompliance is parsed with `ast` (nothing is imported), and every
import of an apcompliance module is an edge: at module level, inside functions, and under
`if TYPE_CHECKING:` alike. `from apcompliance.x import y` is an edge to the submodule
`apcompliance.x.y` where there is one, else to `apcompliance.x`; relative imports are resolved
the same way. The package's own `__init__` may re-export from its submodules; a submodule that
imports the package back makes a cycle. Nothing here names a module, so the check holds
whatever the layout.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

import apcompliance

Graph = Mapping[str, set[str]]


def modules(root: Path, package: str) -> dict[str, Path]:
    """Every module of the package at `root`, by dotted name (a package by its own name)."""
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = [package, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _known(name: str, known: Mapping[str, Path]) -> str | None:
    """`name`, or the innermost module it is inside of, if that is one of `known`."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def imports(name: str, path: Path, known: Mapping[str, Path]) -> set[str]:
    """The modules of `known` that the module `name` (at `path`) imports, anywhere in it."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(t for a in node.names if (t := _known(a.name, known)))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                target = submodule if submodule in known else _known(base, known)
                if target:
                    found.add(target)
    found.discard(name)
    return found


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    known = modules(root, package)
    return {name: imports(name, path, known) for name, path in known.items()}


def cycles(graph: Graph) -> list[list[str]]:
    """One cycle, `[a, b, …, a]`, through each group of modules that import each other."""
    found = []
    for group in _strongly_connected(graph):
        if len(group) > 1:
            found.append(_cycle_through(min(group), graph, group))
    return sorted(found)


def _strongly_connected(graph: Graph) -> Iterator[set[str]]:
    """Tarjan's algorithm, iteratively."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                yield group


def _cycle_through(start: str, graph: Graph, group: set[str]) -> list[str]:
    """A shortest path from `start` back to itself within `group` (breadth first)."""
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(graph.get(node, ())):
                if child not in group or child in came_from:
                    continue
                came_from[child] = node
                if child == start:
                    path = [start]
                    while path[-1] != start or len(path) == 1:
                        path.append(came_from[path[-1]])
                    return path[::-1]
                following.append(child)
        frontier = following
    raise AssertionError(f"{start} is in no cycle")  # pragma: no cover


def _describe(found: list[list[str]]) -> str:
    return "import cycles:\n" + "\n".join("  " + " -> ".join(cycle) for cycle in found)


# -- the package -----------------------------------------------------------------------------


def test_no_module_of_the_package_imports_itself_round_a_cycle():
    root = Path(apcompliance.__file__).parent
    graph = import_graph(root, "apcompliance")
    # not vacuous: the whole package is read, and its modules do import each other
    assert len(graph) > 20 and sum(len(targets) for targets in graph.values()) > len(graph)
    found = cycles(graph)
    assert not found, _describe(found)


# -- the check itself ------------------------------------------------------------------------


def test_a_cycle_is_found_and_shown_as_a_path():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"a"}}
    assert cycles(graph) == [["a", "b", "c", "a"]]
    assert _describe(cycles(graph)) == "import cycles:\n  a -> b -> c -> a"
    two = {"a": {"b"}, "b": {"a"}, "x": {"y"}, "y": {"z"}, "z": {"x", "a"}}
    assert cycles(two) == [["a", "b", "a"], ["x", "y", "z", "x"]]


def test_a_graph_that_only_looks_down_has_no_cycle():
    assert cycles({"top": {"middle", "bottom"}, "middle": {"bottom"}, "bottom": set()}) == []
    assert cycles({}) == []


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_every_kind_of_import_is_an_edge(tmp_path):
    root = tmp_path / "pkg"
    _write(
        root,
        {
            "__init__.py": "from pkg.data import Thing\n",  # a re-export: fine
            "data.py": "import os\n",
            "words.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from pkg.data import Thing\n"
            ),
            "explain.py": "from . import words\nfrom .sub import deep\n",
            "sub/__init__.py": "",
            "sub/deep.py": (
                "import pkg.data.missing_attribute\n"
                "def late():\n    from .. import explain\n    from pkg import VERSION\n"
            ),
        },
    )
    assert import_graph(root, "pkg") == {
        "pkg": {"pkg.data"},
        "pkg.data": set(),
        "pkg.words": {"pkg.data"},
        "pkg.explain": {"pkg.words", "pkg.sub.deep"},
        "pkg.sub": set(),
        # a function-level import, a relative one, and `from pkg import <not a module>`
        "pkg.sub.deep": {"pkg.data", "pkg.explain", "pkg"},
    }
    # the function-level import closes a loop; `from pkg import VERSION` does not, since
    # the package's __init__ only re-exports from pkg.data
    assert cycles(import_graph(root, "pkg")) == [["pkg.explain", "pkg.sub.deep", "pkg.explain"]]


def test_the_check_fails_on_a_cycle_only_a_function_level_import_makes(tmp_path):
    root = tmp_path / "pkg"
    _write(
        root,
        {
            "__init__.py": "",
            "findings.py": "def explain():\n    from pkg.explain import say\n    return say()\n",
            "explain.py": "from pkg.findings import explain\n",
        },
    )
    found = cycles(import_graph(root, "pkg"))
    assert found == [["pkg.explain", "pkg.findings", "pkg.explain"]]
    with pytest.raises(AssertionError, match=r"pkg\.explain -> pkg\.findings -> pkg\.explain"):
        assert not found, _describe(found)


# -- the layers (docs/architecture.md) ---------------------------------------------------------

LAYERS: tuple[tuple[str, ...], ...] = (
    (
        "errors",
        "textfiles",
        "jsontext",
        "interruption",
        "usercache",
        "lazyexports",
        "data",
        "rules",
    ),
    ("facts", "calendar", "policy"),
    ("importing",),
    ("language",),
    ("results",),
    ("engines",),
    ("evaluation",),
    ("outputs",),
    ("cli", "__main__", "scenarios", "testing", "__init__"),
)
"""From the bottom up: the first part of a module's name below `apcompliance` gives its layer
(`apcompliance.evaluation.judge` is in `evaluation`; the package itself is `__init__`; `data` and
`rules` hold the bundled files)."""


def layer_of(module: str) -> int:
    parts = module.split(".")
    head = parts[1] if len(parts) > 1 else "__init__"
    for rank, names in enumerate(LAYERS):
        if head in names:
            return rank
    raise AssertionError(f"{module} is in no layer: add it to LAYERS and docs/architecture.md")


def upward_imports(graph: Graph) -> list[str]:
    """Every import from a module of one layer into a module of a layer above it."""
    return [
        f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
        for module, targets in sorted(graph.items())
        for target in sorted(targets)
        if layer_of(target) > layer_of(module)
    ]


def test_no_module_imports_from_a_layer_above_its_own():
    graph = import_graph(Path(apcompliance.__file__).parent, "apcompliance")
    for module in graph:
        layer_of(module)
    assert upward_imports(graph) == []


def test_the_layer_check_finds_an_import_that_runs_back_up(tmp_path):
    """The check can fail: a function-level import from a higher layer is found."""
    _write(
        tmp_path,
        {
            "__init__.py": "",
            "results/__init__.py": "",
            "results/findings.py": "def explain():\n    from ..evaluation import judge\n",
            "evaluation/__init__.py": "",
            "evaluation/judge.py": "from apcompliance.results import findings\n",
        },
    )
    graph = import_graph(tmp_path, "apcompliance")
    assert upward_imports(graph) == [
        "apcompliance.results.findings (results) imports apcompliance.evaluation.judge (evaluation)"
    ]


@pytest.mark.parametrize(
    ("module", "layer"),
    [
        ("apcompliance", "cli"),
        ("apcompliance.errors", "errors"),
        ("apcompliance.facts.vocabulary", "facts"),
        ("apcompliance.evaluation.derive.events", "evaluation"),
    ],
)
def test_a_module_takes_the_layer_of_its_top_folder(module, layer):
    assert LAYERS[layer_of(module)][0] == layer
