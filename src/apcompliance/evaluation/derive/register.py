"""Register facts: the attendance register's session marks, one fact for each day marked.

Derive only groups the marks by day and checks their dates against the calendar; which codes
cover a day, and which leave it uncovered, the rules say (`rules/terms.yaml`, the register's
terms; docs/suspensions.md, "The register as evidence").
"""

from __future__ import annotations

from datetime import date

from apcompliance.calendar.school_calendar import SchoolCalendar
from apcompliance.errors import CaseError
from apcompliance.facts import Case
from apcompliance.facts.placement import AttendanceCode
from apcompliance.facts.vocabulary import RegisterDayFact
from apcompliance.policy.settings import PolicySettings

CLOSURE: AttendanceCode = "#"
"""Planned whole-school closure: the one code the register may give a day that is not a
school day of the calendar."""


def register_day_id(day: date) -> str:
    """The id of a register day's fact, `register@2025-11-10`: outside the case id pattern
    (`@`), so it never collides with a case's own ids, and plain text in YAML."""
    return f"register@{day.isoformat()}"


def register_facts(
    case: Case, calendar: SchoolCalendar, settings: PolicySettings
) -> list[RegisterDayFact]:
    """One fact for each day the register marks, in date order. CaseError naming the date for
    a mark outside the calendar, or on a day that is not a school day of it (except code #,
    a planned closure: such a day is left out)."""
    by_day: dict[date, dict[str, AttendanceCode]] = {}
    for mark in case.register_marks:
        by_day.setdefault(mark.date, {})[mark.session] = mark.code
    out: list[RegisterDayFact] = []
    for day in sorted(by_day):
        marks = by_day[day]
        if not calendar.covers(day):
            raise CaseError(
                case.case_id,
                f"register_marks: a mark on {day.isoformat()}, outside the calendar "
                f"{calendar.name!r} ({calendar.first_day.isoformat()}.."
                f"{calendar.last_day.isoformat()}): give a calendar that covers it, or leave "
                "out the marks of other school years",
            )
        if not calendar.is_school_day(day):
            if set(marks.values()) == {CLOSURE}:
                continue
            raise CaseError(
                case.case_id,
                f"register_marks: a mark on {day.isoformat()} ({day:%A}), not a school day of the "
                f"calendar {calendar.name!r}: only # (planned closure) may be recorded then",
            )
        out.append(
            RegisterDayFact.model_construct(
                id=register_day_id(day),
                date=day,
                am=marks.get("AM"),
                pm=marks.get("PM"),
                register_overrides_arrangement=settings.register_overrides_arrangement,
            )
        )
    return out
