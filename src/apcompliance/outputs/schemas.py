"""Versioned JSON Schemas of what goes in (a case) and what comes out (an assessment).

A school system can validate against them before calling the library. They are stable: a
test compares them with the committed copies in docs/schemas/, so any change to either model
must regenerate the copies (`apcompliance schema --case` / `--assessment`), and a change of
shape (a field, a type, a constraint, what is required) must bump SCHEMA_VERSION. A change of
meaning or examples alone (the `description` and `examples` keywords, which validate nothing)
keeps the version.
"""

from __future__ import annotations

from typing import Any

from apcompliance.facts import Case
from apcompliance.results.assessment import Assessment

SCHEMA_VERSION = "10"
_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _versioned(schema: dict[str, Any], name: str) -> dict[str, Any]:
    return {
        "$schema": _DIALECT,
        "$id": f"urn:apcompliance:schema:{name}:v{SCHEMA_VERSION}",
        "version": SCHEMA_VERSION,
        **schema,
    }


def case_schema() -> dict[str, Any]:
    """The JSON Schema of a case (input)."""
    return _versioned(Case.model_json_schema(), "case")


def assessment_schema() -> dict[str, Any]:
    """The JSON Schema of an assessment (output, as `Assessment.to_json()` writes it)."""
    return _versioned(Assessment.model_json_schema(mode="serialization"), "assessment")
