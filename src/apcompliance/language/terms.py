"""Named terms: the policy's vocabulary (`sixth_school_day`, `school_commissioned`) defined in
YAML from fields, a closed set of date functions, the evaluation date (`as_of`), existence
tests over the case's other facts (`exists`, `not_exists`) and other terms.

`rules/terms.yaml` holds the shared vocabulary; a rule file may add terms of its own under
`terms:`. A term belongs to one fact type (`of:`) and is either a named value (`value:`, e.g. a
date counted on the calendar) or a named condition (`means:`, tests written as in `when`).
Rules use a term as if it were a field of that fact; the loader expands it into the condition
tree, keeping its name for explanations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from apcompliance.errors import RuleFileError
from apcompliance.facts.vocabulary import FACT_TYPES
from apcompliance.language.parse import ConditionError, Parser, TermDefinition, Vocabulary

TERMS_FILE = "terms.yaml"
"""The shared vocabulary's file name under rules/."""


class TermEntry(BaseModel):
    """One term as written in YAML."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    term: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    of: str
    value: Any = None
    """A named value: a field or term of the same fact, or a calendar function of one."""
    means: dict[str, Any] | None = None
    """A named condition: that fact's tests, as in `when`."""
    says: str | None = None
    """What the term stands for, in the policy's or the law's words."""
    note: str | None = None

    @model_validator(mode="after")
    def _one_body(self) -> TermEntry:
        if (self.value is None) == (self.means is None):
            raise ValueError(
                "a term has exactly one of value: (a named value) or means: (a condition)"
            )
        return self


class TermsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    title: str
    terms: tuple[TermEntry, ...]


def definitions(entries: Iterable[TermEntry], file: str) -> list[TermDefinition]:
    return [
        TermDefinition(
            name=e.term,
            of=e.of,
            body=e.value if e.value is not None else e.means,
            is_value=e.value is not None,
            file=file,
            says=e.says,
            note=e.note,
        )
        for e in entries
    ]


def parse_terms_file(data: Any, file: str) -> list[TermDefinition]:
    """The terms of a vocabulary file's YAML data; errors name the file and the term."""
    try:
        parsed = TermsFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = list(first["loc"])
        where = ".".join(str(p) for p in loc) or "(file)"
        if len(loc) >= 2 and loc[0] == "terms" and isinstance(loc[1], int):
            raw = data.get("terms", [])[loc[1]] if isinstance(data, dict) else None
            if isinstance(raw, dict) and "term" in raw:
                where = f"term {raw['term']}: " + ".".join(str(p) for p in loc[2:])
        raise RuleFileError(file, f"{where}: {first['msg']}") from None
    return definitions(parsed.terms, file)


def vocabulary(found: Iterable[TermDefinition]) -> dict[tuple[str, str], TermDefinition]:
    """Every term by (fact type, name), checked: its fact type exists, its name is not a field
    of that fact, it is defined once, and its definition parses and type-checks."""
    out: dict[tuple[str, str], TermDefinition] = {}
    for d in found:
        if d.of not in FACT_TYPES:
            raise RuleFileError(d.file, f"term {d.name}: of: unknown fact type {d.of!r}")
        if d.name in FACT_TYPES[d.of].model_fields:
            raise RuleFileError(d.file, f"term {d.name}: {d.of} already has a field of that name")
        key = (d.of, d.name)
        if key in out:
            raise RuleFileError(
                d.file, f"term {d.name} of {d.of} is defined twice (also in {out[key].file})"
            )
        out[key] = d
    for d in out.values():
        check_term(d, out)
    return out


def check_term(d: TermDefinition, terms: Vocabulary) -> None:
    parser = Parser({d.of: d.of}, terms)
    try:
        if d.is_value:
            parser.value_expr(d.of, d.body, f"term {d.name}.value")
        else:
            parser.term_test(d.of, d.name, True, f"term {d.name}.means")
    except ConditionError as exc:
        raise RuleFileError(d.file, str(exc)) from None


def by_fact(terms: Mapping[tuple[str, str], TermDefinition]) -> dict[str, list[TermDefinition]]:
    """Terms grouped by fact type, in definition order (for the reference docs)."""
    out: dict[str, list[TermDefinition]] = {}
    for (fact, _), d in terms.items():
        out.setdefault(fact, []).append(d)
    return out
