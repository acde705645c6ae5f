"""JSON text in, models out: the one place cases, cohort lines and settings are parsed.

Pydantic's JSON parser (like `json.loads`) keeps the last of two equal keys in an object,
silently: `{"year_group": 9, "year_group": 11}` is a Year 11 pupil. Here a duplicate key is an
error (`DuplicateKeyError`) naming its path, before the model is validated.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

from pydantic import BaseModel
from typing_extensions import Self

from apcompliance.errors import DuplicateKeyError

__all__ = ["RefusesDuplicateKeys", "reject_duplicate_keys", "validate_json"]

M = TypeVar("M", bound=BaseModel)

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
"""A key shown in a path: a field's name. Any other key (free text) is shown as `<key>`."""


class _Duplicate(Exception):
    pass


def _unique(pairs: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    if len(pairs) > 1 and len({k for k, _ in pairs}) != len(pairs):
        raise _Duplicate
    return pairs  # never used as a mapping: the model parses the text itself


def reject_duplicate_keys(text: str | bytes | bytearray) -> None:
    """Raise `DuplicateKeyError` if an object in the JSON `text` gives a key twice (the first
    such key, in document order). Text that is not JSON passes: the model's parser says why."""
    try:
        json.loads(text, object_pairs_hook=_unique)
    except _Duplicate:
        path = _first_duplicate(json.loads(text, object_pairs_hook=lambda pairs: pairs), ()) or ()
        raise DuplicateKeyError(".".join(path) or "(top level)") from None
    except (ValueError, RecursionError):
        return


def _first_duplicate(value: Any, path: tuple[str, ...]) -> tuple[str, ...] | None:
    """The path of the first duplicate key in `value` (objects parsed as lists of pairs)."""
    if not isinstance(value, list):
        return None
    if value and all(isinstance(p, tuple) for p in value):
        seen: set[str] = set()
        for key, item in value:
            shown = key if _NAME.fullmatch(key) else "<key>"
            if key in seen:
                return (*path, shown)
            seen.add(key)
            if (found := _first_duplicate(item, (*path, shown))) is not None:
                return found
        return None
    for i, item in enumerate(value):
        if (found := _first_duplicate(item, (*path, str(i)))) is not None:
            return found
    return None


class RefusesDuplicateKeys(BaseModel):
    """A model whose `model_validate_json` refuses a key given twice (`DuplicateKeyError`),
    so that reading a case or settings from JSON the documented way (`Case.model_validate_json`)
    never keeps the last of two values silently."""

    @classmethod
    def model_validate_json(
        cls, json_data: str | bytes | bytearray, *args: Any, **kwargs: Any
    ) -> Self:
        reject_duplicate_keys(json_data)
        return super().model_validate_json(json_data, *args, **kwargs)


def validate_json(model: type[M], text: str) -> M:
    """`model.model_validate_json(text)`, refusing a duplicate key (`DuplicateKeyError`)."""
    if not issubclass(model, RefusesDuplicateKeys):
        reject_duplicate_keys(text)
    return model.model_validate_json(text)
