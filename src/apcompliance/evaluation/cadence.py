"""Recurring duties: the windows in which something must happen again and again.

Two kinds:

* fixed windows of the school calendar: each school week, half-term or term ("reviews at least
  half-termly", "updated on a weekly basis");
* a rolling chain, each occurrence due within an interval of the previous one ("every N
  weeks"; "one visit per month or every ten sessions, whichever is more frequent").

Windows run from the duty's start to the first whose deadline is on or after the evaluation
date, so the current or next occurrence is shown (when the calendar reaches its deadline), and
every missed one is a window of its own.
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from math import ceil
from typing import Literal

from dateutil.relativedelta import relativedelta

from apcompliance.calendar.clock import day
from apcompliance.calendar.school_calendar import HalfTerm, SchoolCalendar, Term
from apcompliance.errors import CalendarError

Cadence = Literal["week", "half_term", "term"]
FirstWindow = Literal["next", "current", "current_if_half_left"]
"""Which block is the first window: the one after the block containing the start (`next`: the
event that starts the duty covers its own block), the block containing the start (`current`),
or that block only when at least half of its school days remain (`current_if_half_left`)."""
MonthReading = Literal["rolling", "calendar"]
SESSIONS_PER_SCHOOL_DAY = 2
"""A school day has two sessions, morning and afternoon."""


@dataclass(frozen=True)
class Window:
    """One occurrence of a recurring duty: done on or after `opens`, by `due`. Where `closes`
    is set, only what is done by then counts for this occurrence: a later one belongs to the
    next window, never to this one as done late."""

    opens: date
    due: date
    label: str
    closes: date | None = None

    def counts(self, d: date) -> bool:
        """Whether something done on d counts for this occurrence (in time, or late but before
        the window closes)."""
        return self.opens <= d and (self.closes is None or d <= self.closes)


@dataclass(frozen=True)
class _Block:
    first_day: date
    last_day: date
    label: str


def last_school_day_on_or_before(calendar: SchoolCalendar, d: date) -> date:
    return calendar.school_day_on_or_before(d)


def _require_calendar_reaches(calendar: SchoolCalendar, as_of: date, until: date | None) -> None:
    if as_of > calendar.last_day and (until is None or until > calendar.last_day):
        raise CalendarError(
            f"the evaluation date {as_of.isoformat()} is after {calendar.last_day.isoformat()}, "
            f"the end of {calendar.name}: a recurring duty cannot be dated without the next "
            "year's calendar"
        )


def _label(block: Term | HalfTerm, calendar: SchoolCalendar) -> str:
    if isinstance(block, Term):
        return f"{block.name} term {block.first_day.year}"
    term = calendar.term_of(block.first_day)
    position = 1 if term is None else term.half_terms.index(block) + 1
    return f"{block.term} term {block.first_day.year}, half-term {position}"


@functools.lru_cache(maxsize=32)
def _blocks(calendar: SchoolCalendar, cadence: Cadence) -> tuple[_Block, ...]:
    """The calendar's weeks, half-terms or terms (computed once per calendar and cadence)."""
    return tuple(_compute_blocks(calendar, cadence))


def _compute_blocks(calendar: SchoolCalendar, cadence: Cadence) -> list[_Block]:
    if cadence == "week":
        monday = calendar.first_day - timedelta(days=calendar.first_day.weekday())
        weeks = []
        while monday <= calendar.last_day:
            first, last = (
                max(monday, calendar.first_day),
                min(monday + timedelta(days=6), calendar.last_day),
            )
            if calendar.school_days_between(first, last) or calendar.is_school_day(last):
                weeks.append(_Block(first, last, f"week of {day(monday)}"))
            monday += timedelta(weeks=1)
        return weeks
    blocks: tuple[Term | HalfTerm, ...] = (
        calendar.terms() if cadence == "term" else calendar.half_terms
    )
    return [_Block(b.first_day, b.last_day, _label(b, calendar)) for b in blocks]


def _school_days_in(calendar: SchoolCalendar, first: date, last: date) -> int:
    return calendar.school_days_between(first, last) + calendar.is_school_day(last)


def _is_first(block: _Block, start: date, first: FirstWindow, calendar: SchoolCalendar) -> bool:
    """Whether the block containing `start` is itself the first window."""
    if first == "next":
        return False
    if first == "current":
        return True
    left = _school_days_in(calendar, start, block.last_day)
    return 2 * left >= _school_days_in(calendar, block.first_day, block.last_day)


def fixed_windows(
    calendar: SchoolCalendar,
    cadence: Cadence,
    start: date,
    until: date | None,
    as_of: date,
    first: FirstWindow = "next",
) -> list[Window]:
    """A window for each week, half-term or term from the first (see FirstWindow) up to the
    first whose last school day is on or after `as_of`, each due on its last school day and
    closing the day before the next block (so something done in the holiday after it is late
    for it). A last block cut short by `until` is a window, due by the last school day on or
    before `until`, when the duty ran for at least half of its school days; otherwise it is
    not required."""
    _require_calendar_reaches(calendar, as_of, until)
    out: list[Window] = []
    blocks = _blocks(calendar, cadence)
    for block, after in zip(blocks, [*blocks[1:], None], strict=True):
        if block.last_day < start:
            continue
        if block.first_day <= start and not _is_first(block, start, first, calendar):
            continue
        due = last_school_day_on_or_before(calendar, block.last_day)
        if due < start:
            continue
        opens = max(block.first_day, start)
        closes = block.last_day if after is None else after.first_day - timedelta(days=1)
        if until is not None and until < due:
            if not _ran_half_of(block, opens, until, calendar):
                break
            due = last_school_day_on_or_before(calendar, until)
            if due < opens:
                break
            closes = until
        out.append(Window(opens, due, block.label, closes=closes))
        if due >= as_of or closes == until:
            break
    return out


def _ran_half_of(block: _Block, opens: date, until: date, calendar: SchoolCalendar) -> bool:
    """Whether a duty ending on `until` ran for at least half the block's school days."""
    ran = _school_days_in(calendar, opens, until)
    return 2 * ran >= _school_days_in(calendar, block.first_day, block.last_day)


Step = Callable[[date, date], date | None]
"""The latest date the next occurrence may fall on, counted from the previous one (the
anchor) and the window's first day (None: it would fall beyond the calendar)."""


def rolling_chain(
    calendar: SchoolCalendar,
    step: Step,
    describe: Callable[[date], str],
    start: date,
    until: date | None,
    as_of: date,
    done: list[date],
    *,
    from_start: bool = False,
) -> list[Window]:
    """Each occurrence due by `step(previous, opens)`: by the last school day on or before it,
    or the first school day after it when no school day falls in between. A window opens the
    day after the previous occurrence (with `from_start`, the first opens on `start` itself:
    something done on the first day counts for it, and the next window, counted from the day
    after, says so in its label). It closes at the step's date (or at its
    due, if later): something done after the due but by then is late for it. The next counts
    from the last one done in its window, or from the missed deadline when none was, so every
    missed occurrence is a window of its own and nothing done counts twice. An occurrence that
    would fall due after the calendar ends is not shown (the evaluation date is then inside
    the calendar: it is still to come)."""
    _require_calendar_reaches(calendar, as_of, until)
    done = sorted(d for d in done if d <= as_of)  # what is still to come moves nothing yet
    out: list[Window] = []
    anchor = start
    opens = start if from_start else start + timedelta(days=1)
    while True:
        reach = step(anchor, opens)
        if reach is None or reach > calendar.last_day:
            break
        due = last_school_day_on_or_before(calendar, reach)
        if due <= anchor:
            try:
                due = calendar.next_school_day(reach)
            except CalendarError:  # no school day left in the calendar to hold it on
                break
        if until is not None and until < due:
            break
        closes = max(due, reach)
        label = describe(anchor)
        if out and anchor == start:  # done on the first day: the next counts from the day after
            label += " (counted after the first day)"
        out.append(Window(opens, due, label, closes=closes))
        if due >= as_of:
            break
        latest = bisect_right(done, closes)  # the last one done in the window, if any
        anchor = done[latest - 1] if latest and done[latest - 1] >= opens else due
        opens = anchor + timedelta(days=1)
    return out


def rolling_windows(
    calendar: SchoolCalendar,
    weeks: int,
    start: date,
    until: date | None,
    as_of: date,
    done: list[date],
) -> list[Window]:
    """Each occurrence within `weeks` of the previous one (or of `start`); see rolling_chain."""
    every = f"{weeks} week" if weeks == 1 else f"{weeks} weeks"
    return rolling_chain(
        calendar,
        lambda anchor, _opens: anchor + timedelta(weeks=weeks),
        lambda anchor: f"{every} from {day(anchor)}",
        start,
        until,
        as_of,
        done,
    )


def month_step(anchor: date, months: int, reading: MonthReading) -> date:
    """`months` months on: the same day (rolling), or the last day of the calendar month that
    many months after the anchor's month (calendar: one in every calendar month after it)."""
    if reading == "rolling":
        return anchor + relativedelta(months=months)
    return anchor + relativedelta(months=months, day=31)


SessionsOn = Callable[[date], int]
"""The sessions of the pupil's timetable on a school day."""


def sessions_step(
    calendar: SchoolCalendar, first: date, sessions: int, per_week: int
) -> date | None:
    """The school day on which the pupil has had `sessions` timetabled sessions, counting
    `first`'s own, at `per_week` sessions a week spread evenly over the school week (None:
    beyond the calendar)."""
    school_days = ceil(sessions * 5 / per_week - 1e-9)
    try:
        return calendar.nth_school_day(first, school_days)
    except CalendarError:
        return None


def timetabled_step(
    calendar: SchoolCalendar, first: date, sessions: int, sessions_on: SessionsOn, by: date
) -> date | None:
    """The school day on which the pupil has had `sessions` sessions of the timetable
    (`sessions_on`), counting `first`'s own; None when not on or before `by` (nor the end of
    the calendar)."""
    last = min(by, calendar.last_day)
    if last < first:
        return None
    had = 0
    for d in [*calendar.school_days(first, last), last]:
        if calendar.is_school_day(d):
            had += sessions_on(d)
            if had >= sessions:
                return d
    return None


def visit_windows(
    calendar: SchoolCalendar,
    months: int,
    reading: MonthReading,
    sessions: int | None,
    per_week: int | None,
    start: date,
    until: date | None,
    as_of: date,
    done: list[date],
    sessions_on: SessionsOn | None = None,
) -> list[Window]:
    """A visit each month (`reading`) or every `sessions` timetabled sessions, whichever comes
    first (G.4.i "whichever is more frequent"); see rolling_chain. The sessions are those of
    the timetable (`sessions_on`), else `per_week` spread evenly over the school week; the
    first window opens on the start and counts the first day's sessions, each next one counts
    from the day after the previous visit (a visit on the first day counts, and the count
    starts again after it). With neither, the monthly interval alone."""
    if reading == "calendar" and months != 1:
        raise ValueError("calendar months count one month at a time")
    counted = sessions is not None and (sessions_on is not None or per_week is not None)

    def step(anchor: date, opens: date) -> date | None:
        by_month = month_step(anchor, months, reading)
        if sessions is None:
            return by_month
        if sessions_on is not None:
            by_sessions = timetabled_step(calendar, opens, sessions, sessions_on, by_month)
        elif per_week is not None:
            by_sessions = sessions_step(calendar, opens, sessions, per_week)
        else:
            return by_month
        return by_month if by_sessions is None else min(by_month, by_sessions)

    every = "a month" if months == 1 else f"{months} months"
    if counted:
        every += f" or {sessions} sessions"

    return rolling_chain(
        calendar,
        step,
        lambda anchor: f"{every} from {day(anchor)}",
        start,
        until,
        as_of,
        done,
        from_start=True,
    )
