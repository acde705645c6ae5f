"""A validation error in words that never carry the input: the one way a pydantic
`ValidationError` becomes text (the command line, cohorts, scenario files, the importer, the web
example).

A case holds personal data, and any value in it may be a pupil's name typed in the wrong place.
So a problem names the field's path and what is expected, never the value: not a bad id, not
a long text, not a date of birth. A key the model does not know is a name the user typed: it is
shown only where it looks like a field name (`date_of_brith`), else as `<unknown key>` (a
pupil's name typed as a key stays hidden); an unknown `kind` likewise. At most
`MAX_PROBLEMS` problems are listed, so a huge input gives a short message.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterator, Sequence
from functools import cache
from typing import Any, TypedDict

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from apcompliance.facts._base import ID_PATTERN, ID_RULE

MAX_PROBLEMS = 10
"""The most problems one message lists; the rest are counted."""
UNKNOWN_KEY = "<unknown key>"
"""How a path shows a key the model does not know and that does not look like a field name."""

_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
"""What a field name (or a kind) looks like: lower case, digits and `_`, up to 40 characters."""


class Problem(TypedDict):
    """One problem: the field's path, what is wrong with it, and pydantic's error type."""

    field: str
    problem: str
    type: str


def looks_like_a_name(text: object) -> bool:
    """Whether a key or a tag the user typed is safe to show: it looks like a field name."""
    return isinstance(text, str) and bool(_NAME.fullmatch(text))


@cache
def names_of(model: type[BaseModel]) -> frozenset[str]:
    """Every field name and every constant (kinds such as `suspension`) of a model's schema:
    what a near miss is matched against."""
    return frozenset(_names(model.model_json_schema()))


def _names(schema: object) -> Iterator[str]:
    if isinstance(schema, dict):
        yield from schema.get("properties", {})
        for key in ("const", "enum"):
            value = schema.get(key)
            yield from (
                v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)
            )
        for child in schema.values():
            yield from _names(child)
    elif isinstance(schema, list):
        for child in schema:
            yield from _names(child)


def _near(text: object, known: Collection[str]) -> str:
    """` (did you mean x?)` for the known name closest to `text`, if one is close."""
    if not isinstance(text, str) or not known or len(text) > 200:
        return ""
    close = difflib.get_close_matches(text, sorted(known), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def field_path(loc: Sequence[int | str], unknown_key: bool = False) -> str:
    """`events[2].first_day`. With `unknown_key`, the last part is a key the user typed: it is
    shown only if it looks like a field name, else as `<unknown key>`."""
    path = ""
    for n, part in enumerate(loc):
        if isinstance(part, int):
            path += f"[{part}]"
            continue
        if unknown_key and n == len(loc) - 1 and not looks_like_a_name(part):
            part = UNKNOWN_KEY
        path += f".{part}" if path else part
    return path


def problem_text(error: ErrorDetails | dict[str, Any], known: Collection[str] = ()) -> str:
    """What is wrong, in words, without the input value."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return "unknown key" + _near(error["loc"][-1] if error["loc"] else None, known)
    if kind == "union_tag_invalid":
        tag = ctx.get("tag")
        field = ctx.get("discriminator") or "kind"
        shown = f" {tag!r}" if looks_like_a_name(tag) else ""
        expected = str(ctx.get("expected_tags", ""))
        near = _near(tag, re.findall(r"'([^']*)'", expected))
        return f"not a known {field}{shown}{near}: expected {expected}"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == ID_PATTERN:
        return f"not an id ({ID_RULE})"
    message = str(error["msg"]).removeprefix("Value error, ").replace("\n", " ")
    value = error.get("input")
    if kind != "value_error" and isinstance(value, str) and len(value) >= 4 and value in message:
        # pydantic's own messages do not quote the input (but for the tag, above): in case a
        # version does. A validator's own message (value_error) says what it means to.
        message = message.replace(value, "(the value)")
    return message[:500]


def problem_list(
    errors: ValidationError | Sequence[ErrorDetails] | Sequence[dict[str, Any]],
    model: type[BaseModel] | None = None,
    limit: int | None = None,
) -> list[Problem]:
    """The problems of a validation error, or of its `errors()` (`limit`: at most that many).
    `model`: the model validated, whose names a misspelt key is matched against."""
    known = names_of(model) if model is not None else frozenset()
    if isinstance(errors, ValidationError):
        errors = errors.errors(include_url=False)
    return [
        Problem(
            field=field_path(error["loc"], unknown_key=error["type"] == "extra_forbidden"),
            problem=problem_text(error, known),
            type=error["type"],
        )
        for error in errors[:limit]
    ]


def validation_problems(exc: ValidationError, model: type[BaseModel] | None = None) -> str:
    """A validation error as `field.path: problem; ...`, at most `MAX_PROBLEMS` of them, never
    with an input value."""
    shown = [
        f"{p['field']}: {p['problem']}" if p["field"] else p["problem"]
        for p in problem_list(exc, model, limit=MAX_PROBLEMS)
    ]
    more = exc.error_count() - len(shown)
    return "; ".join(shown) + (f"; and {more} more problem(s)" if more > 0 else "")
