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
    DateRange,
    ExamEntry,
    ExtraSessions,
    Placement,
    Provider,
    Pupil,
    RegisterMark,
    SingleSession,
    TwoSessions,
    WeeklyTimetable,
)
from apcompliance.facts.events import Event
from apcompliance.facts.vocabulary import AGGREGATES, EVENT_FACTS, FACT_TYPES, FOLDED
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


def engine_fact_tables() -> list[str]:
    """The facts rules speak about: each fact type's fields, where each comes from."""
    lines = [
        "## The facts rules speak about",
        "",
        "What `rules/*.yaml` conditions name (`facts/vocabulary.py`). The fact of each event",
        "kind is generated from its model above: its fields come from the event's own (references",
        "renamed, free text only as whether it is given, a tuple of choices as one true/false",
        "field per choice) plus the derived fields `facts/derived.py` declares. The pupil,",
        "providers, periods of exclusion, placements and the policy are aggregates declared by",
        "hand. In the engine, dates are day ordinals and times minutes since 1970; `None` fields",
        "are left out. A value derive computes is marked in *from*: `presence` (whether the case",
        "records a value or an item), `aggregate` (over other facts, the calendar, the settings",
        "or the evaluation date); what a clause's words mean is a named term (`rules/terms.yaml`).",
        "",
    ]
    generated = {e.fact_type: e for e in EVENT_FACTS.values()}
    for name, fact in FACT_TYPES.items():
        event = generated.get(fact)
        if event is None:
            kind = "derive: an aggregate declared by hand"
            folded = sorted(m.model_fields["kind"].default for m, t in FOLDED.items() if t == name)
            if folded:
                kind += "; folds in " + ", ".join(f"`{k}`" for k in folded)
        else:
            kind = (
                f"the `{event.model.model_fields['kind'].default}` event (`{event.model.__name__}`)"
            )
        lines += [f"### `{name}`", "", f"From {kind}.", "", "| field | type | from | meaning |"]
        lines.append("| --- | --- | --- | --- |")
        derived = event.derived.model_fields if event and event.derived else {}
        own = dict(event.copied) if event else {}
        for field_name, info in fact.model_fields.items():
            if fact in AGGREGATES:
                source = "derive"
            elif field_name in derived:
                source = "derived"
            else:
                source = "event" if field_name in own else "derive"
            mark = fact.derived_fields().get(field_name)
            if mark is not None:
                source += f" ({mark.kind})"
            meaning = " ".join((info.description or "").split()).replace("|", "\\|")
            typed = _type_name(info.annotation)
            if field_name in fact.unrecorded_fields():
                typed += " (unrecorded is unknown)"
            lines.append(f"| `{field_name}` | {typed} | {source} | {meaning} |")
        lines.append("")
    return lines


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
        WeeklyTimetable,
        DateRange,
        ExtraSessions,
        RegisterMark,
    ]
    for model in case_models:
        lines += model_table(model)
    lines += ["## Events", "", "Every event has a `kind`; the table names it.", ""]
    for event_model in event_models():
        lines += model_table(event_model)
    lines += engine_fact_tables()
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
