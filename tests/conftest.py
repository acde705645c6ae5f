"""Shared fixtures: the example calendar and a case builder for scenario tests."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from apcompliance import Case, SchoolCalendar


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
