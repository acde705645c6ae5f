"""Recurring duties: the windows in which something must happen again and again.

Two kinds: fixed windows of the school calendar (each term or half-term, "reviewed on at
least a termly basis"), and a rolling interval ("every N weeks": each occurrence counted from
the previous one). Windows run from the duty's start to the first whose deadline is on or
after the evaluation date, so the current or next occurrence is shown (when the calendar reaches
its deadline).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from apcompliance.calendar import HalfTerm, SchoolCalendar, Term
from apcompliance.deadlines import day
from apcompliance.errors import CalendarError

Cadence = Literal["term", "half_term"]


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


def last_school_day_on_or_before(calendar: SchoolCalendar, d: date) -> date:
    return d if calendar.is_school_day(d) else calendar.previous_school_day(d)


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


def fixed_windows(
    calendar: SchoolCalendar, cadence: Cadence, start: date, until: date | None, as_of: date
) -> list[Window]:
    """A window for each term (or half-term) that begins after `start`, up to the first whose
    last school day is on or after `as_of`. The window containing `start` is covered by the
    event that starts the duty. A last window cut short by `until` is not required."""
    _require_calendar_reaches(calendar, as_of, until)
    blocks: tuple[Term | HalfTerm, ...] = (
        calendar.terms() if cadence == "term" else calendar.half_terms
    )
    out: list[Window] = []
    for block in blocks:
        if block.first_day <= start:
            continue
        due = last_school_day_on_or_before(calendar, block.last_day)
        if until is not None and until < due:
            break
        out.append(Window(block.first_day, due, _label(block, calendar), closes=block.last_day))
        if due >= as_of:
            break
    return out


def rolling_windows(
    calendar: SchoolCalendar,
    weeks: int,
    start: date,
    until: date | None,
    as_of: date,
    done: list[date],
) -> list[Window]:
    """Each occurrence due within `weeks` of the previous one (or of `start`): by the last school
    day on or before that date, or the first school day after it when no school day falls in
    the interval. A window closes N weeks on (or at its due, if later): something done after
    the due but by then is late for it. The next counts from the last one done in its window,
    or from the missed deadline when none was, so every missed occurrence is a window of its
    own and nothing done counts twice. An occurrence that would fall due after the calendar
    ends is not shown (the evaluation date is then inside the calendar: it is still to come).
    """
    _require_calendar_reaches(calendar, as_of, until)
    out: list[Window] = []
    anchor = start
    every = f"{weeks} week" if weeks == 1 else f"{weeks} weeks"
    while True:
        reach = anchor + timedelta(weeks=weeks)
        if reach > calendar.last_day:
            break
        due = last_school_day_on_or_before(calendar, reach)
        if due <= anchor:
            try:
                due = calendar.next_school_day(reach)
            except CalendarError:  # no school day left in the calendar to hold it on
                break
        if until is not None and until < due:
            break
        opens = anchor + timedelta(days=1)
        closes = max(due, reach)
        out.append(Window(opens, due, f"{every} from {day(anchor)}", closes=closes))
        if due >= as_of:
            break
        done_here = [d for d in done if opens <= d <= closes]
        anchor = max(done_here) if done_here else due
    return out
