"""CSV cells and columns: what a cell may hold, parsed into the value a model field takes.

The columns of a file that mirrors a model are generated from the model's fields
(`model_columns`): a field is a column of the same name; a nested model's fields are dotted
columns (`session_times.form`, `timetable.monday`); a list of plain values is one cell, its
items separated by `;`; a list of nested models (an address list, a timetable's days off) is
one cell holding JSON. A blank cell leaves the field out (the model's default, or "not
recorded" where the model says so). A cell's value is never quoted back in an error: the
error names the file, the row and the column.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Literal, Union

from pydantic import BaseModel, TypeAdapter, ValidationError

from apcompliance.facts.problems import validation_problems

LIST_SEPARATOR = ";"
"""Between the items of a list in one cell (`AM;PM`, `parents;pupil`)."""

TRUE = frozenset({"true", "yes", "y", "1"})
FALSE = frozenset({"false", "no", "n", "0"})


class CellError(ValueError):
    """A cell's value is not valid. The message says what is expected, never the value."""


def parse_bool(text: str) -> bool:
    folded = text.strip().lower()
    if folded in TRUE:
        return True
    if folded in FALSE:
        return False
    raise CellError("not true or false (true/false, yes/no, Y/N or 1/0)")


def parse_date(text: str) -> date:
    """YYYY-MM-DD (the census's format), or DD/MM/YYYY as spreadsheets in England show it."""
    text = text.strip()
    try:
        if "/" in text:
            d, m, y = text.split("/")
            return date(int(y), int(m), int(d))
        return date.fromisoformat(text)
    except ValueError:
        raise CellError("not a date (YYYY-MM-DD or DD/MM/YYYY)") from None


def parse_datetime(text: str) -> datetime:
    """A date and a time: `2025-10-06T15:30`, `2025-10-06 15:30` or `06/10/2025 15:30`
    (the school's local time unless an offset is given)."""
    text = text.strip()
    try:
        if "/" in text:
            day_part, _, time_part = text.partition(" ")
            return datetime.combine(parse_date(day_part), time.fromisoformat(time_part))
        return datetime.fromisoformat(text)
    except (ValueError, CellError):
        raise CellError("not a date and time (YYYY-MM-DDTHH:MM)") from None


def parse_time(text: str) -> time:
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise CellError("not a time of day (HH:MM)") from None


def parse_int(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise CellError("not a whole number") from None


def parse_float(text: str) -> float:
    try:
        return float(text.strip())
    except ValueError:
        raise CellError("not a number") from None


def parse_text(text: str) -> str:
    return text.strip()


def code_parser(valid: Sequence[str]) -> Callable[[str], str]:
    """A parser for a code of a code set: matched without regard to case; an unknown code is
    an error listing the valid ones."""
    canonical = {v.lower(): v for v in valid}

    def parse(text: str) -> str:
        try:
            return canonical[text.strip().lower()]
        except KeyError:
            raise CellError(f"unknown code; valid codes: {', '.join(valid)}") from None

    return parse


def list_parser(item: Callable[[str], Any]) -> Callable[[str], tuple[Any, ...]]:
    def parse(text: str) -> tuple[Any, ...]:
        return tuple(item(part) for part in text.split(LIST_SEPARATOR) if part.strip())

    return parse


def json_parser(annotation: Any) -> Callable[[str], Any]:
    """A cell holding JSON, validated as the field's type (dates as ISO text)."""
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)

    def parse(text: str) -> Any:
        try:
            return adapter.validate_json(text)
        except ValidationError as exc:
            raise CellError(f"not valid JSON for this column: {problems(exc)}") from None

    return parse


def problems(exc: ValidationError) -> str:
    """A validation error's problems, by location, without the input values."""
    return validation_problems(exc)


# --- the columns of a model ------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of a CSV file: its header, where its value goes, and how a cell is read."""

    name: str
    path: tuple[str, ...]
    """The field (and sub-field) the value fills in the model's input."""
    parse: Callable[[str], Any]
    required: bool
    expects: str
    """What a cell holds, in a few words (the docs and `apcompliance template` show it)."""
    meaning: str = ""
    """What the value means: the first sentence of the model field's description."""


def _strip(annotation: Any) -> tuple[Any, bool]:
    """The annotation without `Annotated` and `None`, and whether None was allowed."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        inner = args[0] if len(args) == 1 else Union[tuple(args)]  # noqa: UP007
        stripped, _ = _strip(inner) if len(args) == 1 else (inner, False)
        return stripped, optional
    return annotation, False


def _models(annotation: Any) -> tuple[type[BaseModel], ...]:
    """The model classes an annotation is (one, or a union of them); empty if not models."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return (annotation,)
    if typing.get_origin(annotation) in (Union, types.UnionType):
        members = [_strip(a)[0] for a in typing.get_args(annotation)]
        if all(isinstance(m, type) and issubclass(m, BaseModel) for m in members):
            return tuple(members)
    return ()


def _is_tag(annotation: Any) -> bool:
    """A field of a single possible value: the discriminator of an event kind."""
    return typing.get_origin(annotation) is Literal and len(typing.get_args(annotation)) == 1


def _is_list(annotation: Any) -> Any | None:
    """The item type of `tuple[X, ...]`, else None."""
    if typing.get_origin(annotation) is tuple:
        args = typing.get_args(annotation)
        if len(args) == 2 and args[1] is Ellipsis:
            return args[0]
    return None


def scalar_parser(annotation: Any) -> tuple[Callable[[str], Any], str] | None:
    """The parser of a plain value's cell, and what it expects; None if not plain."""
    annotation, _ = _strip(annotation)
    if typing.get_origin(annotation) is Literal:
        values = [str(v) for v in typing.get_args(annotation)]
        return code_parser(values), "one of: " + ", ".join(values)
    simple: dict[Any, tuple[Callable[[str], Any], str]] = {
        bool: (parse_bool, "true or false"),
        int: (parse_int, "a whole number"),
        float: (parse_float, "a number"),
        date: (parse_date, "a date, YYYY-MM-DD"),
        datetime: (parse_datetime, "a date and time, YYYY-MM-DDTHH:MM"),
        time: (parse_time, "a time, HH:MM"),
        str: (parse_text, "text"),
    }
    return simple.get(annotation)


def first_sentence(text: str) -> str:
    """The first sentence of a description, on one line."""
    line = " ".join(text.split())
    end = line.find(". ")
    return line if end < 0 else line[: end + 1]


def model_columns(
    model: type[BaseModel], *, skip: frozenset[str] = frozenset(), prefix: tuple[str, ...] = ()
) -> list[Column]:
    """The columns of a model's fields (see the module's docstring); `skip` leaves fields out
    (a file's own columns fill them). An event's discriminator `kind` (a field of one value)
    is never a column: the file it is in gives it."""
    columns: list[Column] = []
    for name, field in model.model_fields.items():
        annotation, optional = _strip(field.annotation)
        if name in skip or (not prefix and _is_tag(annotation)):
            continue
        path = (*prefix, name)
        header = ".".join(path)
        required = field.is_required() and not prefix
        meaning = first_sentence(field.description or "")
        item = _is_list(annotation)
        nested = _models(annotation)
        if nested and not prefix:
            columns += _union_columns(nested, path)
            continue
        if nested or (item is not None and _models(_strip(item)[0])):
            expects = "JSON: " + ("a list" if item is not None else "an object")
            columns.append(
                Column(header, path, json_parser(annotation), required, expects, meaning)
            )
            continue
        if item is not None:
            plain = scalar_parser(item)
            if plain is None:  # pragma: no cover - every list field holds plain values
                raise TypeError(f"{model.__name__}.{name}: no column for {annotation!r}")
            parse, expects = plain
            columns.append(
                Column(
                    header,
                    path,
                    list_parser(parse),
                    required,
                    f"a list ({expects}), `;` between",
                    meaning,
                )
            )
            continue
        plain = scalar_parser(annotation)
        if plain is None:  # pragma: no cover - a new kind of field needs a column here
            raise TypeError(f"{model.__name__}.{name}: no column for {annotation!r}")
        parse, expects = plain
        columns.append(Column(header, path, parse, required and not optional, expects, meaning))
    return columns


def _union_columns(members: Sequence[type[BaseModel]], path: tuple[str, ...]) -> list[Column]:
    """The dotted columns of a nested model, or of a union of models told apart by a
    discriminator field (`session_times.form`: its codes are every member's)."""
    by_name: dict[str, Column] = {}
    tags: dict[str, list[str]] = {}
    for member in members:
        for column in model_columns(member, prefix=path):
            by_name.setdefault(column.name, column)
            field = member.model_fields[column.path[-1]]
            annotation, _ = _strip(field.annotation)
            if len(members) > 1 and typing.get_origin(annotation) is Literal:
                tags.setdefault(column.name, []).extend(str(v) for v in typing.get_args(annotation))
    for name, values in tags.items():
        if len(values) == len(members):  # in every member: the discriminator
            by_name[name] = Column(
                name,
                by_name[name].path,
                code_parser(values),
                False,
                "one of: " + ", ".join(values),
                by_name[name].meaning,
            )
    return list(by_name.values())


def put(data: dict[str, Any], path: Sequence[str], value: Any) -> None:
    """Set `value` at `path` within nested dicts."""
    for part in path[:-1]:
        data = data.setdefault(part, {})
    data[path[-1]] = value
