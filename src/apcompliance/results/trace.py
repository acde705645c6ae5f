"""The evaluator's trace of one case (`data.Trace`): made by `Evaluator.evaluate`, and
read back by `why_not` and the explanations: the rule book it names, its calendar, its facts.

A rule book is named by where it comes from (`rules`, `rules+gaps`, or `custom`) and by a
digest of its rules and terms. A bundled rule book is found again by its name; a custom one
must be given (`Assessment.why_not(rule_id, book=...)`). Either way the digest must match, so
an assessment is never re-checked against rules other than those it was made with.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable
from dataclasses import replace
from typing import Any, Literal, NamedTuple

from pydantic import TypeAdapter, ValidationError

from apcompliance.calendar.school_calendar import SchoolCalendar
from apcompliance.errors import ApComplianceError
from apcompliance.facts.vocabulary import FACT_TYPES, EngineFact
from apcompliance.language.rulebook import RuleBook, load_rulebook
from apcompliance.results.data import CalendarData, Trace

BookName = Literal["rules", "rules+gaps", "custom"]
BUNDLED_BOOKS: dict[str, bool] = {"rules": False, "rules+gaps": True}
"""The bundled rule books by name, and whether each has the statutory gap rules."""


class BookIdentity(NamedTuple):
    """Which rule book an assessment was made with: its name and digest."""

    name: BookName
    digest: str


def rule_book_digest(book: RuleBook) -> str:
    """A digest of the rule book's rules and the terms in force (the first 16 hex digits of
    their SHA-256): equal for rule books that decide alike, wherever their files are."""
    rules = [rule_file.model_dump(mode="json") for _, rule_file in book.files]
    terms = [(key, replace(term, file="")) for key, term in sorted(book.terms.items(), key=_first)]
    text = json.dumps(rules, sort_keys=True) + "\n" + repr(terms)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _first(item: tuple[tuple[str, str], object]) -> tuple[str, str]:
    return item[0]


@functools.cache
def _bundled(gaps: bool) -> tuple[RuleBook, str]:
    book = load_rulebook(gaps=gaps)
    return book, rule_book_digest(book)


def book_identity(book: RuleBook) -> BookIdentity:
    """The identity a trace records for `book` (computed once per evaluator): a bundled rule
    book is named as such, also when it is a copy (a worker process's, unpickled)."""
    names = [name for name, _ in book.files]
    if names and all(name.startswith("rules/") for name in names):  # checked first: no
        gaps = any(name.startswith("rules/gaps/") for name in names)  # bundled book is built
        bundled, digest = _bundled(gaps)  # to compare with a Trust's own rule files
        if book is bundled or rule_book_digest(book) == digest:
            return BookIdentity("rules+gaps" if gaps else "rules", digest)
    return BookIdentity("custom", rule_book_digest(book))


def make_trace(
    facts: Iterable[EngineFact], book: BookIdentity, calendar: SchoolCalendar | None
) -> Trace:
    """The trace of one evaluation: its derived facts as plain data, the calendar and the
    rule book's identity."""
    by_type: dict[str, list[EngineFact]] = {}
    for fact in facts:
        by_type.setdefault(fact.type_name, []).append(fact)
    return Trace(
        rule_book=book.name,
        rule_book_digest=book.digest,
        calendar=CalendarData.of(calendar) if calendar is not None else None,
        facts={name: _as_json(group) for name, group in by_type.items()},
    )


def _as_json(facts: list[EngineFact]) -> tuple[dict[str, Any], ...]:
    """Facts of one type as JSON data, each as its `model_dump(mode="json")`: in one call
    where they are all of one class."""
    cls = type(facts[0])
    if any(type(fact) is not cls for fact in facts):
        return tuple(fact.model_dump(mode="json") for fact in facts)
    return tuple(_fact_list(cls).dump_python(facts, mode="json"))


@functools.cache
def _fact_list(cls: type[EngineFact]) -> TypeAdapter[list[EngineFact]]:
    return TypeAdapter(list[cls])  # type: ignore[valid-type]


def traced_book(trace: Trace, case_id: str, book: RuleBook | None = None) -> RuleBook:
    """The rule book `trace` was made with: `book` if given (it must be that book), else the
    bundled one it names. ApComplianceError for a custom book not given, or a book (given or
    bundled) whose rules differ from those the case was assessed against."""
    if book is not None:
        if rule_book_digest(book) != trace.rule_book_digest:
            raise ApComplianceError(
                f"case {case_id}: the rule book given is not the one this assessment was made "
                f"with (its rules or terms differ; digest {trace.rule_book_digest})"
            )
        return book
    if trace.rule_book not in BUNDLED_BOOKS:
        raise ApComplianceError(
            f"case {case_id}: this assessment was made with a custom rule book; pass it, e.g. "
            "why_not(rule_id, book=load_rulebook([...])) with the rule files it was made with"
        )
    bundled, digest = _bundled(BUNDLED_BOOKS[trace.rule_book])
    if digest != trace.rule_book_digest:
        raise ApComplianceError(
            f"case {case_id}: this assessment was made with another version of the bundled "
            f"rules ({trace.rule_book}); evaluate the case again"
        )
    return bundled


def traced_facts(trace: Trace, case_id: str) -> list[EngineFact]:
    """The derived facts kept in `trace`, as engine facts again."""
    try:
        return [
            FACT_TYPES[name].model_validate(values)
            for name, group in trace.facts.items()
            for values in group
        ]
    except (KeyError, ValidationError):
        raise ApComplianceError(
            f"case {case_id}: the facts this assessment keeps do not fit this version of "
            "apcompliance; evaluate the case again"
        ) from None


def traced_calendar(trace: Trace) -> SchoolCalendar | None:
    """The calendar the case was assessed on (None for the policy's own review)."""
    return trace.calendar.calendar() if trace.calendar is not None else None
