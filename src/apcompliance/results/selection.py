"""Which findings of an assessment to show: `FindingFilter`, the one finding filter behind
`check --only/--section/--duty-holder/--status/--within`, `check-many`'s and
`Assessment.to_frame(...)`'s keyword arguments, and the summary that opens the text report.

What each choice of `only` selects, as of the assessment's date (`as_of`):

* `violations`: obligations and requirements overdue, met late, or breached
  (`Finding.is_violation`).
* `due`: obligations and requirements not yet done, whose deadline is still to come and falls
  within `within` school days (5 unless given): statuses `scheduled`, `pending`, `due_today`,
  `at_risk` (`DUE_STATUSES`).
* `open`: obligations and requirements neither met nor a violation yet, whatever their
  deadline: `DUE_STATUSES` and `open` (no deadline), `information_needed` and `undetermined`
  (`OPEN_STATUSES`).
* `needs-info`: every finding whose status is `information_needed` (the case does not record
  a value it turns on; the finding names it).

"Within N school days" is counted on the assessment's calendar: the window runs from `as_of`
(day 0) to the Nth school day after it, both included, so that holidays and closures are not
counted (`within=0`: due on `as_of` itself). A deadline on any day of the window is within
it, a school day or not; a finding with no deadline is not. Where the calendar ends before
the Nth school day, every deadline from `as_of` on is within (nothing is left out that might
be due).

The options combine: a finding is selected when it passes each option given (`only`,
`within`, and one of the `sections`, one of the `duty_holders`, one of the `statuses` where
those are given).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal, TypeVar, cast, get_args

from apcompliance.calendar.school_calendar import SchoolCalendar
from apcompliance.errors import ApComplianceError, CalendarError
from apcompliance.language.rulebook import DutyHolder
from apcompliance.policy.document import SECTION_TITLES
from apcompliance.results.data import AssessmentData, FindingData, Status
from apcompliance.results.trace import traced_calendar

__all__ = [
    "DUE_STATUSES",
    "DUE_WITHIN",
    "ONLY_CHOICES",
    "OPEN_STATUSES",
    "FilterError",
    "FindingFilter",
    "Only",
    "Tally",
    "tally",
]

Only = Literal["violations", "due", "open", "needs-info"]
ONLY_CHOICES: tuple[str, ...] = get_args(Only)
DUE_WITHIN = 5
"""The school days `only="due"` looks ahead when `within` is not given."""
DUE_STATUSES: frozenset[str] = frozenset({"scheduled", "pending", "due_today", "at_risk"})
"""Not yet done, with a deadline still to come (or today)."""
OPEN_STATUSES: frozenset[str] = DUE_STATUSES | {"open", "information_needed", "undetermined"}
"""Neither met nor a violation yet."""
STATUSES: tuple[str, ...] = get_args(Status)
DUTY_HOLDERS: tuple[str, ...] = get_args(DutyHolder)

AnyFinding = TypeVar("AnyFinding", bound=FindingData)
_Assessment = TypeVar("_Assessment", bound=AssessmentData)


class FilterError(ApComplianceError, ValueError):
    """A filter names a section, status or duty holder that does not exist, or a bad
    number of school days; the message lists the valid values."""


def _values(value: str | Iterable[str] | None) -> frozenset[str]:
    """A comma list, or values (each possibly a comma list), as a set of stripped words."""
    if value is None:
        return frozenset()
    items = [value] if isinstance(value, str) else list(value)
    return frozenset(w.strip() for item in items for w in str(item).split(",") if w.strip())


def _checked(what: str, given: frozenset[str], valid: Iterable[str]) -> frozenset[str]:
    valid = tuple(valid)
    unknown = sorted(given - set(valid))
    if unknown:
        raise FilterError(
            f"unknown {what} {', '.join(repr(u) for u in unknown)} "
            f"(the {what}{'es' if what.endswith('s') else 's'}: {', '.join(valid)})"
        )
    return given


def _deadline_day(due: date | datetime) -> date:
    return due.date() if isinstance(due, datetime) else due


@dataclass(frozen=True)
class FindingFilter:
    """Which findings to select (the module's docstring says what each option means).

    `FindingFilter.of(...)` takes each set as a value, a comma list (`"H,I"`) or several.
    Section letters are upper-cased, statuses and duty holders lower-cased with `-` read as
    `_`. Unknown values raise `FilterError` listing the valid ones."""

    only: Only | None = None
    sections: frozenset[str] = frozenset()
    duty_holders: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    within: int | None = None
    """School days from the assessment's date (see the module's docstring)."""

    def __post_init__(self) -> None:
        if self.only is not None and self.only not in ONLY_CHOICES:
            raise FilterError(
                f"unknown only {self.only!r} (the choices: {', '.join(ONLY_CHOICES)})"
            )
        sections = frozenset(s.upper() for s in _values(self.sections))
        holders = frozenset(h.lower().replace("-", "_") for h in _values(self.duty_holders))
        statuses = frozenset(s.lower().replace("-", "_") for s in _values(self.statuses))
        object.__setattr__(self, "sections", _checked("section", sections, SECTION_TITLES))
        object.__setattr__(self, "duty_holders", _checked("duty holder", holders, DUTY_HOLDERS))
        object.__setattr__(self, "statuses", _checked("status", statuses, STATUSES))
        if self.within is not None and (
            isinstance(self.within, bool) or not isinstance(self.within, int) or self.within < 0
        ):
            raise FilterError(
                f"within must be a number of school days (0 or more), got {self.within!r}"
            )

    @classmethod
    def of(
        cls,
        *,
        only: str | None = None,
        section: str | Iterable[str] | None = None,
        duty_holder: str | Iterable[str] | None = None,
        status: str | Iterable[str] | None = None,
        within: int | None = None,
    ) -> FindingFilter:
        """The filter of the keyword arguments `to_frame` and the command line take: each of
        `section`, `duty_holder`, `status` a value, a comma list, or several (None: any)."""
        return cls(
            only=cast(Only | None, only),
            sections=_values(section),
            duty_holders=_values(duty_holder),
            statuses=_values(status),
            within=within,
        )

    @property
    def is_empty(self) -> bool:
        """True when the filter selects every finding."""
        return self == FindingFilter()

    def describe(self) -> str:
        """The filter as the command's options (`--only due --section H,I`)."""
        parts = [f"--only {self.only}"] if self.only else []
        for option, values in (
            ("--section", self.sections),
            ("--duty-holder", self.duty_holders),
            ("--status", self.statuses),
        ):
            if values:
                parts.append(f"{option} {','.join(sorted(values))}")
        if self.within is not None:
            parts.append(f"--within {self.within}")
        return " ".join(parts) or "(every finding)"

    def window(
        self, assessment: AssessmentData[AnyFinding], calendar: SchoolCalendar | None = None
    ) -> tuple[date, date] | None:
        """The days a deadline must fall on to be within the filter's school days (`within`,
        or `DUE_WITHIN` for `only="due"`), or None when the filter counts no school days.
        The calendar is `calendar`, else the one the assessment's trace keeps."""
        days = (
            self.within if self.within is not None else DUE_WITHIN if self.only == "due" else None
        )
        if days is None:
            return None
        return assessment.as_of, horizon(assessment, days, calendar)

    def matches(self, f: FindingData, window: tuple[date, date] | None = None) -> bool:
        """Whether `f` passes the filter; `window` is `self.window(...)` of its assessment."""
        if self.sections and f.section not in self.sections:
            return False
        if self.duty_holders and f.duty_holder not in self.duty_holders:
            return False
        if self.statuses and f.status not in self.statuses:
            return False
        if window is not None and (
            f.due is None or not window[0] <= _deadline_day(f.due) <= window[1]
        ):
            return False
        if self.only == "violations":
            return f.is_violation
        if self.only == "due":
            return f.is_duty and f.status in DUE_STATUSES
        if self.only == "open":
            return f.is_duty and f.status in OPEN_STATUSES
        if self.only == "needs-info":
            return f.status == "information_needed"
        return True

    def select(
        self, assessment: AssessmentData[AnyFinding], *, calendar: SchoolCalendar | None = None
    ) -> tuple[AnyFinding, ...]:
        """The assessment's findings that pass the filter, in the assessment's order, as of
        its date. `calendar` counts school days for `within` and `only="due"`; without it, the
        calendar the assessment's trace keeps (FilterError if it keeps none)."""
        window = self.window(assessment, calendar)
        return tuple(f for f in assessment.findings if self.matches(f, window))

    def apply(
        self, assessment: _Assessment, *, calendar: SchoolCalendar | None = None
    ) -> _Assessment:
        """A copy of the assessment with only the findings `select` keeps (the same for an
        empty filter)."""
        if self.is_empty:
            return assessment
        return assessment.model_copy(
            update={"findings": self.select(assessment, calendar=calendar)}
        )


def horizon(
    assessment: AssessmentData[AnyFinding], days: int, calendar: SchoolCalendar | None = None
) -> date:
    """The last day of a window of `days` school days from the assessment's date: the
    `days`th school day after `as_of` (`as_of` itself for 0); `date.max` where the calendar
    ends first."""
    if calendar is None and assessment.trace is not None:
        calendar = traced_calendar(assessment.trace)
    if calendar is None:
        raise FilterError(
            f"case {assessment.case_id}: counting school days needs the school calendar, and "
            "this assessment keeps none (pass calendar=, or evaluate the case again)"
        )
    if days == 0:
        return assessment.as_of
    try:
        return calendar.nth_school_day(assessment.as_of + timedelta(days=1), days)
    except CalendarError:
        return date.max


@dataclass(frozen=True)
class Tally:
    """An assessment's findings in the summary's categories, which do not overlap, each
    taking what the ones before it leave: violations; obligations and requirements due within
    `DUE_WITHIN` school days (`FindingFilter(only="due")`); information needed; met; then the
    others: aims, recommendations, permissions and remarks as `advisory/permission`, and
    obligations and requirements by status (`due later` for `DUE_STATUSES` past the window,
    unless no calendar counts the window)."""

    violations: int
    due: int | None
    """None where no calendar is at hand to count school days."""
    information_needed: int
    met: int
    others: dict[str, int]

    @property
    def total(self) -> int:
        return (self.violations + (self.due or 0) + self.information_needed + self.met) + sum(
            self.others.values()
        )


def tally(assessment: AssessmentData[AnyFinding], calendar: SchoolCalendar | None = None) -> Tally:
    """The summary's counts of `assessment` (see `Tally`)."""
    try:
        due: set[int] | None = {
            id(f) for f in FindingFilter(only="due").select(assessment, calendar=calendar)
        }
    except FilterError:
        due = None
    counts = {"violations": 0, "due": 0, "information_needed": 0, "met": 0}
    others: Counter[str] = Counter()
    for f in assessment.findings:
        if f.is_violation:
            counts["violations"] += 1
        elif due is not None and id(f) in due:
            counts["due"] += 1
        elif f.status == "information_needed" or f.is_met_duty:
            counts[f.status] += 1
        elif not f.is_duty:
            others["advisory/permission"] += 1
        elif f.status in DUE_STATUSES and due is not None:
            others["due later"] += 1
        else:
            others[f.status.replace("_", " ")] += 1
    return Tally(
        violations=counts["violations"],
        due=counts["due"] if due is not None else None,
        information_needed=counts["information_needed"],
        met=counts["met"],
        others=dict(others.most_common()),
    )
