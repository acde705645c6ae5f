"""The strict base every fact model shares."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from apcompliance.calendar.clock import local

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$"
"""An id: letters, digits and `_ . : -`, starting with a letter or digit."""
ID_MAX_LENGTH = 64
"""The longest id, in characters."""
ID_RULE = f"1–{ID_MAX_LENGTH} letters, digits and _ . : -, starting with a letter or digit"
"""What an id is, in words (for an error message, which never quotes the value)."""

Identifier = Annotated[
    str, StringConstraints(min_length=1, max_length=ID_MAX_LENGTH, pattern=ID_PATTERN)
]
"""An id or a reference to one (`case_id`, a record's `id`, `about`, `placement_id`…): every
identifier of the case model has this one pattern and length limit (`ID_PATTERN`)."""

FactId = Identifier
"""An id unique within one case (event, placement and provider ids share one namespace per kind)."""

_ID = re.compile(ID_PATTERN.removeprefix("^").removesuffix("$"))


def is_identifier(value: object) -> bool:
    """Whether `value` is a valid id (`Identifier`): safe to show in a message or a log."""
    return isinstance(value, str) and len(value) <= ID_MAX_LENGTH and bool(_ID.fullmatch(value))


def id_field(description: str, examples: list[str]) -> Any:
    """The field of an id (an `Identifier`), with its meaning and examples."""
    return Field(description=description, examples=examples)


ID_FIELD = id_field(
    "This record's id, made up by the school system: unique within the case among the "
    "providers, placements and events (one namespace), and how other records refer to it "
    "(`about`, `placement_id`…). 1–64 letters, digits and `_ . : -`. Never personal data "
    "(not a name, not the UPN): ids appear in findings.",
    ["SUS-1", "NOTICE-2025-11-10", "ev:0042"],
)
PLACEMENT_ID = Field(
    description="The placement it is about: the `id` of one of the case's `placements`.",
    examples=["PL-1"],
)
EXCLUSION_ID = Field(
    description="The suspension or permanent exclusion it is about: the `id` of a "
    "`suspension` or `permanent_exclusion` event of the case (a placement is named by "
    "`placement_id`, never by `about`).",
    examples=["SUS-1"],
)


class Fact(BaseModel):
    """Strict, immutable, and closed: unknown fields are errors, never silently dropped.

    Strict mode with JSON input still accepts ISO date strings ("2025-10-16") for date
    fields, so cases round-trip through JSON. Errors name the field but never echo the input
    value: a case holds personal data.
    """

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        frozen=True,
        hide_input_in_errors=True,
        use_attribute_docstrings=True,
    )


class TimedRecord(Fact):
    """A record that may also give the time it was made (`TIME_OF`: its date field and its
    optional date-time field). On the first day of a placement the time shows whether it came
    before the pupil first attended (duties due `before:` the start, docs/rule-format.md)."""

    TIME_OF: ClassVar[tuple[str, str]]

    @model_validator(mode="after")
    def _time_on_its_day(self) -> TimedRecord:
        on, at = self.TIME_OF
        when: datetime | None = getattr(self, at)
        day: date = getattr(self, on)
        if when is not None and local(when).date() != day:
            raise ValueError(f"{at} is not on the day {on} gives (school's local time)")
        return self


def _all_distinct(values: tuple[str, ...]) -> tuple[str, ...]:
    if len(set(values)) != len(values):
        raise ValueError("lists each entry once")
    return values


Distinct = AfterValidator(_all_distinct)
"""For a tuple field: each entry at most once (`Annotated[tuple[X, ...], Distinct]`)."""


# --- how a field enters the engine fact of its event kind (see facts/vocabulary.py) -----------


@dataclass(frozen=True)
class Unrecorded:
    """Field metadata: where the field is None, the case does not record a value it should,
    so a condition on it is unknown (the finding asks for it), not false. Without it, None
    means there is none (an open-ended placement has no end date). `record`: for a field
    derived from another, the case's field to record (what the finding names as needed)."""

    record: str | None = None

    def __repr__(self) -> str:
        return f"UNRECORDED({self.record})" if self.record else "UNRECORDED"


UNRECORDED = Unrecorded()


@dataclass(frozen=True)
class Flags:
    """Field metadata for a tuple of choices: its engine fact has one true/false field per
    choice, named by `pattern` (`Flags("to_{}")` on `recipients`: `to_parents`, `to_pupil`…).
    Without it the flags are named `<field>_<choice>`."""

    pattern: str


@dataclass(frozen=True)
class GivenAs:
    """Field metadata for free text or a structured detail (which never enters the engine):
    the engine fact's true/false field saying whether it is given is named `name`. Without it,
    `gives_<field>`."""

    name: str


DerivationKind = Literal["presence", "aggregate", "decision"]


@dataclass(frozen=True)
class Derivation:
    """Field metadata on an engine fact: derive computes this value rather than copying it
    from the case. `kind` says what sort of computation it is (the census of the rule
    language, `python -m benchmarks.rule_language_census`, reads these marks):

    * `presence`: whether the case records a value, or an item in a recorded list (a notice
      gives a start date; the parents attended). A recorded fact, not a decision. The
      generated `gives_<field>` and per-choice flags carry it without being declared.
    * `aggregate`: computed over other facts, the calendar, the settings or the evaluation
      date in a way the condition language cannot express (a link, a count, "the previous
      update").
    * `decision`: Python deciding what a clause's words mean. The goal is none: a named term
      in rules/terms.yaml decides instead.

    `why` says what the value stands for and why Python computes it. A field that merely
    copies a recorded value (a date, a choice) carries no mark."""

    kind: DerivationKind
    why: str


def presence(why: str) -> Derivation:
    """Mark: whether the case records a value or an item (see `Derivation`)."""
    return Derivation("presence", why)


def aggregate(why: str) -> Derivation:
    """Mark: computed over other facts, the calendar or the date (see `Derivation`)."""
    return Derivation("aggregate", why)


def decision(why: str) -> Derivation:
    """Mark: Python deciding a clause (see `Derivation`); the goal is none."""
    return Derivation("decision", why)
