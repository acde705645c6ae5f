"""The package's layers (docs/architecture.md): a module imports only from its own layer or the
layers below it. Imports are read from the source with `ast`, at module level and inside
functions alike, so a deferred import cannot hide an arrow that runs back up."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "src"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "data"),
    ("facts", "calendar", "policy"),
    ("language",),
    ("results",),
    ("engines",),
    ("evaluation",),
    ("outputs",),
    ("cli", "scenarios", "testing", "__init__"),
)
"""From the bottom up: the first part of a module's name below `apcompliance` gives its layer
(`apcompliance.evaluation.judge` is in `evaluation`; the package itself is `__init__`)."""


def _module_name(path: Path, source: Path = SOURCE) -> str:
    parts = list(path.relative_to(source).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, source: Path = SOURCE) -> set[str]:
    """The apcompliance modules (or packages) `path` imports, wherever the import stands."""
    package = _module_name(path if path.name == "__init__.py" else path.parent, source)
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "apcompliance"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            if module.split(".")[0] == "apcompliance":
                found.add(module)
    return found


def layer_of(module: str) -> int:
    parts = module.split(".")
    head = parts[1] if len(parts) > 1 else "__init__"
    for rank, names in enumerate(LAYERS):
        if head in names:
            return rank
    raise AssertionError(f"{module} is in no layer: add it to LAYERS and docs/architecture.md")


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted((SOURCE / "apcompliance").rglob("*.py"))}


def test_every_module_is_in_a_layer():
    for module in _modules():
        layer_of(module)


def test_no_module_imports_from_a_layer_above_it():
    upward = [
        f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
        for module, path in _modules().items()
        for target in sorted(imports_of(path))
        if layer_of(target) > layer_of(module)
    ]
    assert upward == []


def test_the_layer_check_sees_an_import_inside_a_function(tmp_path):
    """The check can fail: a deferred import from a higher layer is found, relative ones too."""
    package = tmp_path / "apcompliance" / "results"
    package.mkdir(parents=True)
    module = package / "findings.py"
    module.write_text(
        "def explain():\n    from apcompliance.evaluation import judge\n"
        "    from ..engines import network\n"
    )
    targets = imports_of(module, tmp_path)
    assert targets == {"apcompliance.evaluation", "apcompliance.engines"}
    assert layer_of("apcompliance.evaluation") > layer_of("apcompliance.results.findings")


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
