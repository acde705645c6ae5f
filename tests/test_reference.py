"""The reference explains itself: every field of every model a case, an assessment or the
settings hold has a meaning; every choice is listed in docs/reference.md; a value whose format
is not obvious has examples, valid ones; and the JSON Schemas carry the same meanings and
examples."""

from __future__ import annotations

import json
import re
from datetime import datetime, time
from typing import Annotated, Any, Literal, get_args, get_origin

import pytest
from pydantic import BaseModel, ConfigDict, TypeAdapter
from pydantic.fields import FieldInfo

from apcompliance.facts import Case
from apcompliance.outputs.reference import reachable_models, reference_markdown
from apcompliance.outputs.schemas import assessment_schema, case_schema
from apcompliance.policy.settings import PolicySettings
from apcompliance.results.assessment import Assessment

CASE_MODELS = reachable_models(Case)
ASSESSMENT_MODELS = reachable_models(Assessment)
MODELS = [*CASE_MODELS, *ASSESSMENT_MODELS, PolicySettings]

REFERENCES = {"id", "case_id", "about", "for_exclusion", "provider_contributions"}
"""Fields holding ids (and any `…_id`): their format is shown by examples."""


def _parts(annotation: Any) -> list[Any]:
    out = [annotation]
    if get_origin(annotation) is not Literal:
        for arg in get_args(annotation):
            out += _parts(arg)
    return out


def _choices(info: FieldInfo) -> list[str]:
    return [v for p in _parts(info.annotation) if get_origin(p) is Literal for v in get_args(p)]


def _pattern(info: FieldInfo) -> bool:
    """A string constraint `pattern` (not a `Flags` mark's)."""
    return any(
        isinstance(getattr(m, "pattern", None), str) and type(m).__module__.startswith("pydantic")
        for m in info.metadata
    )


def needs_examples(name: str, info: FieldInfo) -> bool:
    """An id or reference, a date-time, a time of day, a patterned code (UPN, URN, UKPRN), a
    postcode: values whose format a school system cannot guess."""
    timed = any(p in (datetime, time) for p in _parts(info.annotation))
    return (
        name in REFERENCES or name.endswith("_id") or name == "postcode" or timed or _pattern(info)
    )


def undescribed(models: list[type[BaseModel]]) -> list[str]:
    """`Model.field` for each field without a meaning."""
    return [
        f"{m.__name__}.{name}"
        for m in models
        for name, info in m.model_fields.items()
        if not (info.description or "").strip()
    ]


def test_every_field_of_a_case_an_assessment_and_the_settings_has_a_meaning():
    assert undescribed(MODELS) == []


def test_a_field_without_a_meaning_is_named():
    class Throwaway(BaseModel):
        model_config = ConfigDict(use_attribute_docstrings=True)
        said: int = 0
        """Said."""
        unsaid: int = 0

    assert undescribed([Throwaway]) == ["Throwaway.unsaid"]


def test_the_walk_reaches_every_event_kind_and_the_result_models():
    names = {m.__name__ for m in MODELS}
    for name in ("Suspension", "ReferralNotice", "TimetableReview", "WeeklyTimetable", "DayRange"):
        assert name in names
    assert {"Finding", "Citation", "Explanation", "Trace", "CalendarData"} <= names


def _section(text: str, model: type[BaseModel]) -> str:
    """A model's part of the reference: from its heading to the next heading."""
    start = re.search(rf"^#+ `{model.__name__}`$", text, re.M)
    assert start, f"{model.__name__} has no section in docs/reference.md"
    end = re.compile(r"^#", re.M).search(text, start.end())
    return text[start.end() : end.start() if end else len(text)]


def test_every_choice_is_listed_in_the_reference():
    text = reference_markdown()
    missing = []
    for model in [*CASE_MODELS, *ASSESSMENT_MODELS]:
        section = _section(text, model)
        for name, info in model.model_fields.items():
            missing += [
                f"{model.__name__}.{name}: {v}" for v in _choices(info) if f"`{v}`" not in section
            ]
    settings = text.split("## Interpretation switches")[1]
    for name, info in PolicySettings.model_fields.items():
        row = next(line for line in settings.splitlines() if line.startswith(f"| `{name}` |"))
        missing += [f"PolicySettings.{name}: {v}" for v in _choices(info) if v not in row]
    assert missing == []


def test_values_whose_format_is_not_obvious_have_valid_examples():
    lacking, invalid = [], []
    for model in MODELS:
        for name, info in model.model_fields.items():
            if needs_examples(name, info) and not info.examples:
                lacking.append(f"{model.__name__}.{name}")
            if not info.examples:
                continue
            typed: Any = Annotated[(info.annotation, *info.metadata)] if info.metadata else None
            adapter = TypeAdapter(typed or info.annotation, config=ConfigDict(strict=True))
            for example in info.examples:
                try:
                    adapter.validate_json(json.dumps(example))
                except ValueError:
                    invalid.append(f"{model.__name__}.{name}: {example!r}")
    assert lacking == []
    assert invalid == []


def test_the_reference_shows_meaning_type_default_and_examples_and_the_look_alikes():
    text = reference_markdown()
    assert "| field | type | required / default | meaning | examples |" in text
    assert "## Fields that look alike" in text and "## How values are written" in text
    placement = _section(text, next(m for m in CASE_MODELS if m.__name__ == "Placement"))
    assert "| `provider_id` | str \\| None | `null` | The provider:" in placement
    assert '`"PRV-1"` |' in placement
    assert "*`status`* (`Status`): met: done by the deadline." in text


def _properties(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each object definition of the schema (the root and `$defs`), by its title."""
    defs = [schema, *schema.get("$defs", {}).values()]
    return {d["title"]: d for d in defs if "properties" in d}


@pytest.mark.parametrize(
    ("build", "models"), [(case_schema, CASE_MODELS), (assessment_schema, ASSESSMENT_MODELS)]
)
def test_the_schema_carries_every_meaning_and_example(build, models):
    by_title = _properties(build())
    problems = []
    for model in models:
        definition = by_title.get(model.__name__) or by_title.get(model.__name__ + "Data")
        if definition is None and model.__name__ == "Assessment":
            definition = build()
        assert definition is not None, model.__name__
        for name, info in model.model_fields.items():
            prop = definition["properties"][name]
            if prop.get("description") != info.description:
                problems.append(f"{model.__name__}.{name}: description")
            if info.examples and prop.get("examples") != json.loads(
                json.dumps(info.examples, default=str)
            ):
                problems.append(f"{model.__name__}.{name}: examples")
    assert problems == []
