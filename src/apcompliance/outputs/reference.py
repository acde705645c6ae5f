"""The fact model and the interpretation switches as Markdown, generated from the Pydantic
models themselves (`apcompliance reference > docs/reference.md`; a test keeps it current)."""

from __future__ import annotations

import inspect
import re
import typing
from typing import Any, get_origin

from pydantic import BaseModel

from apcompliance.facts import (
    Address,
    Case,
    ExamEntry,
    Placement,
    Provider,
    Pupil,
    SingleSession,
    TwoSessions,
)
from apcompliance.facts.events import Event
from apcompliance.policy.settings import PolicySettings


def _type_name(annotation: Any) -> str:
    # A plain class by its name; a generic alias (`tuple[X, ...]`, which Python 3.10 also
    # reports as a type) by its repr.
    plain = isinstance(annotation, type) and get_origin(annotation) is None
    text = annotation.__name__ if plain else repr(annotation)
    text = re.sub(r"typing\.|datetime\.|apcompliance\.[a-z_.]+\.", "", text)
    text = text.replace("NoneType", "None").replace("Literal", "one of ")
    return text.replace("|", "\\|")


def _doc(model: type[BaseModel]) -> str:
    return " ".join((inspect.getdoc(model) or "").split())


def model_table(model: type[BaseModel]) -> list[str]:
    lines = [
        f"### `{model.__name__}`",
        "",
        _doc(model),
        "",
        "| field | type | default | meaning |",
        "| --- | --- | --- | --- |",
    ]
    for name, field in model.model_fields.items():
        default = "required" if field.is_required() else f"`{field.default!r}`"
        kind = "one of the event kinds below" if name == "events" else _type_name(field.annotation)
        meaning = " ".join((field.description or "").split()).replace("|", "\\|")
        lines.append(f"| `{name}` | {kind} | {default} | {meaning} |")
    return [*lines, ""]


def event_models() -> list[type[BaseModel]]:
    union = typing.get_args(Event)[0]
    return list(typing.get_args(union))


def reference_markdown() -> str:
    """The case model, every event kind and every switch."""
    lines = [
        "# Reference: cases, events and switches",
        "",
        "Generated from the Pydantic models by `apcompliance reference > docs/reference.md`; do",
        "not edit by hand. `apcompliance schema` prints the same model as JSON Schema.",
        "",
        "## A case",
        "",
    ]
    case_models: list[type[BaseModel]] = [
        Case,
        Pupil,
        ExamEntry,
        Provider,
        Address,
        Placement,
        TwoSessions,
        SingleSession,
    ]
    for model in case_models:
        lines += model_table(model)
    lines += ["## Events", "", "Every event has a `kind`; the table names it.", ""]
    for event_model in event_models():
        lines += model_table(event_model)
    lines += [
        "## Interpretation switches and parameters (`PolicySettings`)",
        "",
        "| switch | default | clause | meaning |",
        "| --- | --- | --- | --- |",
    ]
    for name, reading in PolicySettings().readings().items():
        meaning = " ".join(str(reading["meaning"]).split()).replace("|", "\\|")
        lines.append(f"| `{name}` | `{reading['default']!r}` | {reading['clause']} | {meaning} |")
    return "\n".join(lines) + "\n"
