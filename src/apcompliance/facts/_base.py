"""The strict base every fact model shares."""

from __future__ import annotations

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

FactId = str
"""An id unique within one case (event, placement and provider ids share one namespace per kind)."""

ID_FIELD = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")


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


def _all_distinct(values: tuple[str, ...]) -> tuple[str, ...]:
    if len(set(values)) != len(values):
        raise ValueError("lists each entry once")
    return values


Distinct = AfterValidator(_all_distinct)
"""For a tuple field: each entry at most once (`Annotated[tuple[X, ...], Distinct]`)."""
