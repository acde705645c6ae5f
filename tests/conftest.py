"""Shared fixtures: the example calendar and a case builder for scenario tests."""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from apcompliance import Case, Evaluator, SchoolCalendar
from apcompliance import engine as engine_module
from apcompliance.rulebook import load_rulebook

DURABLE_RULES = engine_module._durable is not None
"""Whether durable-rules imports here (not on CPython 3.13+, where `auto` runs the Python
evaluator and tests marked `durable` are skipped)."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if DURABLE_RULES:
        return
    skip = pytest.mark.skip(reason="needs durable-rules, which cannot be imported on this Python")
    for item in items:
        if item.get_closest_marker("durable"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def calendar() -> SchoolCalendar:
    return SchoolCalendar.example()


@pytest.fixture(scope="session")
def example_case_json() -> str:
    return (resources.files("apcompliance") / "data/examples/suspension-case.json").read_text(
        "utf-8"
    )


@pytest.fixture()
def example_case(example_case_json: str) -> Case:
    return Case.model_validate_json(example_case_json)


def make_case(case_id: str = "T1", **data: Any) -> Case:
    """A case from plain data, validated as JSON would be."""
    payload = {"case_id": case_id, "pupil": {"year_group": 9}, **data}
    return Case.model_validate_json(json.dumps(payload))


RULES_DIR = Path(__file__).resolve().parents[1] / "rules"


@functools.cache
def section_evaluator(*sections: str) -> Evaluator:
    """An evaluator of the bundled rule files of the given sections only, so a section's
    scenario tests see its own findings (built once per process)."""
    paths = sorted(p for s in sections for p in RULES_DIR.glob(f"{s}-*.yaml"))
    assert paths, sections
    return Evaluator(load_rulebook(paths))
