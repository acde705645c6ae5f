"""Shared fixtures: the example calendar and a case builder for scenario tests; and the
collection of the YAML scenario files, tests/scenarios/*.yaml (docs/scenarios.md), one test
item per scenario. The suite's cache (`apcompliance.usercache`) is a temporary folder, never
the user's, for this process and the commands it starts."""

from __future__ import annotations

import atexit
import functools
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from apcompliance import Case, Evaluator, SchoolCalendar
from apcompliance.engines import durable as engine_module
from apcompliance.language.rulebook import load_rulebook
from apcompliance.scenarios import (
    PreparedScenario,
    ScenarioFileError,
    ScenarioResult,
    ScenarioSuite,
    load_scenario_file,
)
from apcompliance.usercache import CACHE_DIR_VARIABLE

_CACHE = tempfile.mkdtemp(prefix="apcompliance-test-cache-")
os.environ[CACHE_DIR_VARIABLE] = _CACHE  # read by the cache at each use, never at import
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

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
    """An evaluator of the bundled policy rule files of the given sections only, so a
    section's tests see its own findings (built once per process). The statutory rules beside
    a section (`I-statutory-duties.yaml`) are left out: tests/scenarios/I-statutory.yaml and
    tests/test_statutory_duties.py test them."""
    paths = sorted(
        p
        for s in sections
        for p in RULES_DIR.glob(f"{s}-*.yaml")
        if not p.name.endswith("-statutory-duties.yaml")
    )
    assert paths, sections
    return Evaluator(load_rulebook(paths))


# --- scenario files: every tests/scenarios/*.yaml, each scenario a test item -------------------

SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix == ".yaml" and file_path.parent == SCENARIO_DIR:
        return ScenarioYamlFile.from_parent(parent, path=file_path)
    return None


class ScenarioYamlFile(pytest.File):
    """A scenario file; a malformed one is a collection error naming the file, the scenario
    and the key (the ScenarioFileError's message, no traceback)."""

    def collect(self) -> Iterator[pytest.Item]:
        suite = load_scenario_file(self.path, source=self.nodeid)
        for scenario in suite.scenarios:
            yield ScenarioItem.from_parent(self, name=scenario.name, suite=suite, scenario=scenario)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> Any:
        if isinstance(excinfo.value, ScenarioFileError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


class ScenarioFailed(Exception):
    """A scenario's findings are not what it expects."""

    def __init__(self, result: ScenarioResult) -> None:
        super().__init__(result.report())
        self.result = result


class ScenarioItem(pytest.Item):
    """One scenario of a scenario file. A failure reports what was expected and the findings
    the rules made (rule id, subject, period, due, status, met_by), not a traceback."""

    def __init__(self, *, suite: ScenarioSuite, scenario: PreparedScenario, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.suite = suite
        self.scenario = scenario

    def runtest(self) -> None:
        result = self.suite.run_one(self.scenario)
        if not result.passed:
            raise ScenarioFailed(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, ScenarioFailed):
            return f"scenarios[{self.scenario.index}]: {excinfo.value.result.report()}"
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"scenario: {self.name}"
