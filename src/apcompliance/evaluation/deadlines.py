"""Deadline expressions: a small closed vocabulary, computed on the school calendar.

`nth_school_day: N, of: x.date` — the Nth school day counting the date as day 1 when it is a
school day; `school_days_before: N, of: x.date` — the Nth school day before the date, or with
`clear_days` the last school day leaving N whole school days between; `hours_before: H,
of: x.time` — H hours earlier on the clock in England (so a clock change is counted in real
hours); `at: x.field` — that date or time itself; `before: x.date` — that day, for a duty done
before the pupil first attends on it (the judge grades it: `judge._Before`). Recurring
duties are in `cadence.py`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from apcompliance.calendar.clock import day, day_or_moment, hours_before, moment
from apcompliance.calendar.school_calendar import SchoolCalendar
from apcompliance.errors import CalendarError
from apcompliance.facts.vocabulary import EngineFact
from apcompliance.language.rulebook import REF, Deadline
from apcompliance.policy.settings import PolicySettings
from apcompliance.results.data import BEFORE_ATTENDING

_NOTICE_SWITCHES = frozenset({"first_day_notice_by", "afternoon_session_ends"})
SWITCHED_FIELDS: dict[str, frozenset[str]] = {
    "start_at": frozenset({"provision_starts_at"}),  # placement
    "first_day_notice_due_at": _NOTICE_SWITCHES,  # placement, notice
    "notice_due_at": _NOTICE_SWITCHES,  # exclusion, further_suspension
}
"""The date-time fields derive sets by an interpretation switch, and the switches."""


def switched_by(expr: Deadline) -> set[str]:
    """The switches that set a date or time the deadline reads (`of`, `at`, `not_before`)."""
    out: set[str] = set()
    for ref in (expr.of, expr.at, expr.before, expr.first_session, expr.not_before):
        if ref is not None and "." in ref:
            out |= SWITCHED_FIELDS.get(ref.split(".", 1)[1], frozenset())
    return out


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def resolve(
    ref: str, bound: dict[str, EngineFact], values: Mapping[str, object] | None = None
) -> object:
    """The value of `alias.field` among the facts a rule matched, or of the named value
    `alias.name` worked out on them (`values`, by reference)."""
    if values is not None and ref in values:
        return values[ref]
    alias, field = REF.match(ref).groups()  # type: ignore[union-attr]
    return getattr(bound[alias], field)


def _skipped(calendar: SchoolCalendar, start: date, end: date) -> str:
    """The non-school weekdays in [start, end), as runs: "Mon 20 Oct … to Fri 24 Oct …"."""
    runs: list[tuple[date, date, str]] = []
    d = start
    while d < end:
        reason = calendar.non_school_reason(d)
        if reason and reason != "weekend":
            if runs and runs[-1][2] == reason and calendar.school_days_between(runs[-1][1], d) == 0:
                runs[-1] = (runs[-1][0], d, reason)
            else:
                runs.append((d, d, reason))
        d += timedelta(days=1)
    if not runs:
        return ""
    parts = [
        f"{day(a)} ({why})" if a == b else f"{day(a)} to {day(b)} ({why})" for a, b, why in runs
    ]
    return ", skipping " + ", ".join(parts)


def _day_of(
    ref: str, bound: dict[str, EngineFact], values: Mapping[str, object] | None = None
) -> date:
    """The date of a referenced date or date-time."""
    value = resolve(ref, bound, values)
    assert isinstance(value, date)
    return value.date() if isinstance(value, datetime) else value


def compute_due(
    expr: Deadline,
    bound: dict[str, EngineFact],
    calendar: SchoolCalendar,
    settings: PolicySettings,
    values: Mapping[str, object] | None = None,
) -> tuple[date | datetime, str]:
    """The deadline and one sentence saying how it was counted; `values`: the named values
    it may read, by reference. With `not_before`, the later of the two."""
    due, how = _one_deadline(expr, bound, calendar, settings, values)
    if expr.not_before is None:
        return due, how
    floor = resolve(expr.not_before, bound, values)
    if not isinstance(floor, date):  # not recorded: the deadline alone
        return due, how
    shown = day_or_moment(floor)
    if _latest(floor) > _latest(due):
        return floor, f"{how}; not before {expr.not_before}, {shown}, the later"
    return due, f"{how}; not before {expr.not_before}, {shown}"


def _latest(when: date) -> datetime:
    """A deadline as the last moment it allows: a date is the end of that day."""
    return when if isinstance(when, datetime) else datetime.combine(when, time.max)


@contextmanager
def _counting(what: str) -> Iterator[None]:
    """A date the calendar cannot give names the deadline counted (the finding is then
    `undetermined`, with this reason)."""
    try:
        yield
    except CalendarError as exc:
        raise CalendarError(f"{what}: {exc}") from None


def _one_deadline(
    expr: Deadline,
    bound: dict[str, EngineFact],
    calendar: SchoolCalendar,
    settings: PolicySettings,
    values: Mapping[str, object] | None = None,
) -> tuple[date | datetime, str]:
    if expr.nth_school_day is not None:
        n = expr.nth_school_day
        if isinstance(n, str):
            n = int(getattr(settings, n))
        start = _day_of(str(expr.of), bound, values)
        with _counting(f"the {_ordinal(n)} school day from {expr.of}, {start.isoformat()}"):
            due = calendar.nth_school_day(start, n)
        how = f"the {_ordinal(n)} school day from {day(start)} is {day(due)}"
        return due, how + _skipped(calendar, start, due)
    if expr.school_days_before is not None:
        n = expr.school_days_before
        clear = expr.clear_days
        if isinstance(clear, str):
            clear = bool(getattr(settings, clear))
        start = _day_of(str(expr.of), bound, values)
        if clear:
            with _counting(f"{n} clear school days before {expr.of}, {start.isoformat()}"):
                due = calendar.nth_school_day_before(start, n + 1)
            how = f"{n} clear school days before {day(start)}: given by the end of {day(due)}"
        else:
            with _counting(f"the {_ordinal(n)} school day before {expr.of}, {start.isoformat()}"):
                due = calendar.nth_school_day_before(start, n)
            how = f"the {_ordinal(n)} school day before {day(start)} is {day(due)}"
        return due, how + _skipped(calendar, due, start)
    if expr.hours_before is not None:
        base = resolve(str(expr.of), bound, values)
        at = base if isinstance(base, datetime) else datetime.combine(base, time(0))  # type: ignore[arg-type]
        due_at = hours_before(at, expr.hours_before)
        return due_at, f"{expr.hours_before} hours before {moment(at)} is {moment(due_at)}"
    if expr.before is not None:
        first = _day_of(expr.before, bound, values)
        return first, f"{BEFORE_ATTENDING}{day(first)} ({expr.before})"
    value = resolve(str(expr.at), bound, values)
    assert isinstance(value, date)
    shown = day_or_moment(value)
    return value, f"{expr.at} is {shown}"
