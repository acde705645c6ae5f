"""Recurring windows (src/apcompliance/evaluation/cadence.py), continued: school-week windows
(O.4, C.6), the first-window options ("next", "current", "current_if_half_left"), and the
visit windows of
G.4.i (a month or ten sessions, whichever comes first: month_step, sessions_step,
visit_windows). On the example calendar "Example Borough Council 2025-26".

The dates these tests lean on (worked out by hand):

    Weeks run Monday to Sunday; a week with no school day (Christmas 22 Dec - 4 Jan, the
    October half-term 20 - 24 Oct, spring half-term 16 - 20 Feb, Easter 30 Mar - 10 Apr, May
    half-term 25 - 29 May) is no window.
    INSET       Mon 1, Tue 2 Sep, Mon 27 Oct 2025, Mon 5 Jan, Mon 1 Jun 2026.
    Bank holidays in term: Mon 4 May 2026.
    School days: autumn term 72 (half-term 1: 33; half-term 2, 28 Oct - 19 Dec: 39); spring
    term 54; summer term 65. From Fri 31 Oct 2025, 36 of the autumn term's remain; from Mon 3
    Nov, 35. From Mon 24 Nov, 20 of autumn half-term 2's remain; from Tue 25 Nov, 19.
    The calendar's last week is Mon 20 - Tue 21 Jul 2026.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apcompliance import SchoolCalendar
from apcompliance.calendar.clock import day
from apcompliance.evaluation.cadence import (
    Cadence,
    FirstWindow,
    MonthReading,
    Window,
    fixed_windows,
    last_school_day_on_or_before,
    month_step,
    sessions_step,
    visit_windows,
)

CAL = SchoolCalendar.example()
END = date(2026, 7, 21)  # the calendar's last day
NOV17 = date(2025, 11, 17)  # Mon

Span = tuple[date, date, str]
"""A fixed window's (opens, due, label); the day each closes on (the day before the next
block) is tested on its own."""

SPRING: Span = (date(2026, 1, 5), date(2026, 3, 27), "spring term 2026")
SUMMER: Span = (date(2026, 4, 13), date(2026, 7, 21), "summer term 2026")
SPRING_1: Span = (date(2026, 1, 5), date(2026, 2, 13), "spring term 2026, half-term 1")


def spans(windows: list[Window]) -> list[Span]:
    return [(w.opens, w.due, w.label) for w in windows]


def fixed(
    cadence: Cadence, start: date, until: date | None, as_of: date, first: FirstWindow = "next"
) -> list[Span]:
    return spans(fixed_windows(CAL, cadence, start, until, as_of, first))


def week(monday: date, *, opens: date | None = None, due: date | None = None) -> Span:
    """The school week starting `monday`, due on its Friday unless told."""
    return (opens or monday, due or monday + timedelta(days=4), f"week of {day(monday)}")


# --- school weeks ------------------------------------------------------------------------------


def test_week_windows_include_the_week_of_the_start_when_current() -> None:
    # From Wed 10 Dec 2025: the week of Mon 8 Dec opens on the start and is due Fri 12 Dec. The
    # Christmas holiday weeks (22 Dec, 29 Dec) have no school day; the week of Mon 5 Jan (INSET
    # that day) is a window all the same. On Mon 12 Jan the week of 12 Jan is the current one.
    assert fixed("week", date(2025, 12, 10), None, date(2026, 1, 12), "current") == [
        week(date(2025, 12, 8), opens=date(2025, 12, 10)),
        week(date(2025, 12, 15)),
        week(date(2026, 1, 5)),
        week(date(2026, 1, 12)),
    ]


def test_a_week_before_a_holiday_stays_open_through_it() -> None:
    # Each week closes the day before the next week with a school day: the week of Mon 15 Dec
    # 2025 is due Fri 19 Dec but open to Sun 4 Jan 2026, so an update in the Christmas holiday
    # is late for it, never a first one for the week of 5 Jan.
    windows = fixed_windows(CAL, "week", date(2025, 12, 8), None, date(2026, 1, 6), "current")
    assert [(w.label, w.due, w.closes) for w in windows] == [
        ("week of Mon 8 Dec 2025", date(2025, 12, 12), date(2025, 12, 14)),
        ("week of Mon 15 Dec 2025", date(2025, 12, 19), date(2026, 1, 4)),
        ("week of Mon 5 Jan 2026", date(2026, 1, 9), date(2026, 1, 11)),
    ]
    assert [w.counts(date(2025, 12, 27)) for w in windows] == [False, True, False]


def test_week_windows_start_with_the_next_week_by_default() -> None:
    assert fixed("week", date(2025, 12, 10), None, date(2025, 12, 15)) == [week(date(2025, 12, 15))]


def test_a_half_term_week_is_no_window() -> None:
    # From Mon 9 Feb 2026: the week of 16 Feb is spring half-term.
    assert fixed("week", date(2026, 2, 9), None, date(2026, 2, 23), "current") == [
        week(date(2026, 2, 9)),
        week(date(2026, 2, 23)),
    ]
    # May half-term (25 - 29 May), then the week of Mon 1 Jun (INSET that day), due Fri 5 Jun.
    assert fixed("week", date(2026, 5, 18), None, date(2026, 6, 1), "current") == [
        week(date(2026, 5, 18)),
        week(date(2026, 6, 1)),
    ]


def test_a_week_with_a_bank_holiday_monday_is_still_due_on_friday() -> None:
    assert fixed("week", date(2026, 5, 5), None, date(2026, 5, 5), "current") == [
        week(date(2026, 5, 4), opens=date(2026, 5, 5))
    ]


def test_the_first_week_of_the_calendar_begins_on_its_first_day() -> None:
    # Mon 1 and Tue 2 Sep 2025 are INSET: the first school day is Wed 3 Sep.
    assert fixed("week", date(2025, 9, 3), None, date(2025, 9, 3), "current") == [
        week(date(2025, 9, 1), opens=date(2025, 9, 3))
    ]


def test_the_last_week_of_the_calendar_ends_on_its_last_day() -> None:
    # Mon 20 - Tue 21 Jul 2026: due and closed on Tue 21 Jul.
    assert fixed("week", date(2026, 7, 13), None, END, "current") == [
        week(date(2026, 7, 13)),
        (date(2026, 7, 20), END, "week of Mon 20 Jul 2026"),
    ]


def test_a_week_whose_friday_is_closed_is_due_on_thursday() -> None:
    # A one-half-term calendar with Fri 12 Sep 2025 closed: that week is due Thu 11 Sep.
    cal = SchoolCalendar.from_terms(
        [(date(2025, 9, 1), date(2025, 10, 17))],
        {date(2025, 9, 12): "staff training"},
        name="Test calendar",
    )
    assert spans(
        fixed_windows(cal, "week", date(2025, 9, 8), None, date(2025, 9, 15), "current")
    ) == [
        week(date(2025, 9, 8), due=date(2025, 9, 11)),
        week(date(2025, 9, 15)),
    ]


def test_a_start_at_the_weekend_makes_the_next_week_the_first() -> None:
    # Sat 22 Nov 2025, with "current": the week of 17 Nov was due Fri 21 Nov, before the start.
    assert fixed("week", date(2025, 11, 22), None, date(2025, 11, 24), "current") == [
        week(date(2025, 11, 24))
    ]


def test_a_start_in_the_christmas_holiday_makes_the_week_of_5_january_the_first() -> None:
    assert fixed("week", date(2025, 12, 23), None, date(2026, 1, 6), "current") == [
        week(date(2026, 1, 5))
    ]


def test_week_windows_stop_at_the_first_due_on_or_after_as_of() -> None:
    # As of Fri 21 Nov, that week is the current one; as of Sat 22 Nov, the next is.
    assert fixed("week", NOV17, None, date(2025, 11, 21), "current") == [week(NOV17)]
    assert fixed("week", NOV17, None, date(2025, 11, 22), "current") == [
        week(NOV17),
        week(date(2025, 11, 24)),
    ]


def test_a_last_week_is_required_when_the_duty_ran_at_least_half_of_it() -> None:
    # Ends Wed 10 Dec 2025 (three of five school days): four weeks, the last due Wed 10 Dec.
    # Ends Tue 9 Dec (two of five): three. Ending on Fri 12 Dec: four whole weeks.
    weeks = [NOV17, date(2025, 11, 24), date(2025, 12, 1), date(2025, 12, 8)]
    cut = fixed("week", NOV17, date(2025, 12, 10), END, "current")
    assert cut[:3] == [week(m) for m in weeks[:3]]
    assert cut[3] == week(date(2025, 12, 8), due=date(2025, 12, 10))
    assert fixed("week", NOV17, date(2025, 12, 9), END, "current") == [week(m) for m in weeks[:3]]
    assert fixed("week", NOV17, date(2025, 12, 12), END, "current") == [week(m) for m in weeks]
    # A placement of Mon 17 - Tue 18 Nov (two of five days) needs no weekly window at all.
    assert fixed("week", NOV17, date(2025, 11, 18), END, "current") == []


# --- the first window ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "first_is_own_week"),
    [
        (date(2025, 12, 10), True),  # Wed: 3 of 5 school days left
        (date(2025, 12, 11), False),  # Thu: 2 of 5
        (date(2025, 9, 4), True),  # Thu: 2 of the 3 school days of the week of 1 Sep
        (date(2025, 9, 5), False),  # Fri: 1 of 3
        (date(2025, 10, 30), True),  # Thu: 2 of 4 (Mon 27 Oct INSET), exactly half
        (date(2025, 10, 31), False),  # Fri: 1 of 4
    ],
)
def test_current_if_half_left_for_weeks(start: date, first_is_own_week: bool) -> None:
    (first, *_) = fixed("week", start, None, END, "current_if_half_left")
    monday = start - timedelta(days=start.weekday())
    if first_is_own_week:
        assert first == week(monday, opens=start)
    else:
        assert first == week(monday + timedelta(weeks=1))


def test_current_term_opens_on_the_start_day() -> None:
    assert fixed("term", NOV17, None, END, "current") == [
        (NOV17, date(2025, 12, 19), "autumn term 2025"),
        SPRING,
        SUMMER,
    ]


def test_current_if_half_left_counts_the_term_from_exactly_half() -> None:
    # Fri 31 Oct 2025: 36 of 72 autumn school days remain; Mon 3 Nov: 35.
    first = fixed("term", date(2025, 10, 31), None, END, "current_if_half_left")[0]
    assert first == (date(2025, 10, 31), date(2025, 12, 19), "autumn term 2025")
    first = fixed("term", date(2025, 11, 3), None, END, "current_if_half_left")[0]
    assert first == SPRING


def test_current_if_half_left_by_half_term() -> None:
    # Autumn half-term 2 has 39 school days: from Mon 24 Nov 20 remain (20 * 2 >= 39); from Tue
    # 25 Nov, 19.
    (first, *_) = fixed("half_term", date(2025, 11, 24), None, END, "current_if_half_left")
    assert first == (date(2025, 11, 24), date(2025, 12, 19), "autumn term 2025, half-term 2")
    (first, *_) = fixed("half_term", date(2025, 11, 25), None, END, "current_if_half_left")
    assert first == SPRING_1


def test_a_start_on_an_inset_day_counts_the_whole_half_term() -> None:
    # Mon 27 Oct 2025 (INSET) opens autumn half-term 2: all 39 school days remain.
    (first, *_) = fixed("half_term", date(2025, 10, 27), None, END, "current_if_half_left")
    assert first[:2] == (date(2025, 10, 27), date(2025, 12, 19))


def test_a_start_in_the_october_half_term_is_in_the_autumn_term() -> None:
    # Wed 22 Oct 2025 is in the autumn term (between its half-terms): with "current" the autumn
    # term opens on the start; 39 of its 72 school days are still to come, so
    # "current_if_half_left" agrees. By half-term, no block contains it: autumn half-term 2 is
    # the first either way.
    for first_window in ("current", "current_if_half_left"):
        windows = fixed("term", date(2025, 10, 22), None, END, first_window)
        assert windows[0] == (date(2025, 10, 22), date(2025, 12, 19), "autumn term 2025")
        windows = fixed("half_term", date(2025, 10, 22), None, END, first_window)
        assert windows[0][:2] == (date(2025, 10, 27), date(2025, 12, 19))


@pytest.mark.parametrize("first_window", ["next", "current", "current_if_half_left"])
def test_a_start_between_terms_makes_the_next_term_the_first(first_window: FirstWindow) -> None:
    assert fixed("term", date(2025, 12, 22), None, END, first_window) == [
        SPRING,
        SUMMER,
    ]


# --- month_step -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("anchor", "months", "reading", "expected"),
    [
        (NOV17, 1, "rolling", date(2025, 12, 17)),
        (date(2026, 1, 31), 1, "rolling", date(2026, 2, 28)),  # no 31 Feb: the month's end
        (date(2025, 12, 31), 2, "rolling", date(2026, 2, 28)),
        (date(2026, 2, 28), 1, "rolling", date(2026, 3, 28)),
        (NOV17, 1, "calendar", date(2025, 12, 31)),  # any day of December
        (date(2025, 12, 1), 1, "calendar", date(2026, 1, 31)),
        (date(2026, 1, 31), 1, "calendar", date(2026, 2, 28)),
        (NOV17, 2, "calendar", date(2026, 1, 31)),
    ],
)
def test_month_step(anchor: date, months: int, reading: MonthReading, expected: date) -> None:
    assert month_step(anchor, months, reading) == expected


# --- sessions_step ----------------------------------------------------------------------------

# Ten sessions at per_week sessions a week, spread over five days: ceil(10 / (per_week / 5))
# school days after the anchor, counted from the day after it. From Mon 17 Nov 2025 the school
# days run Tue 18 - Fri 21 (1-4), Mon 24 - Fri 28 (5-9), Mon 1 - Fri 5 Dec (10-14), Mon 8 - Fri 12
# (15-19), Mon 15 - Fri 19 (20-24), Tue 6 Jan 2026 (25), ..., Tue 10 Feb (50).


@pytest.mark.parametrize(
    ("per_week", "school_days", "expected"),
    [
        (10, 5, date(2025, 11, 24)),
        (9, 6, date(2025, 11, 25)),  # 5.6 days
        (8, 7, date(2025, 11, 26)),  # 6.25
        (7, 8, date(2025, 11, 27)),  # 7.1
        (6, 9, date(2025, 11, 28)),  # 8.3
        (5, 10, date(2025, 12, 1)),  # exactly 10, not 11
        (4, 13, date(2025, 12, 4)),  # 12.5
        (3, 17, date(2025, 12, 10)),  # 16.7
        (2, 25, date(2026, 1, 6)),
        (1, 50, date(2026, 2, 10)),
    ],
)
def test_ten_sessions_are_spread_over_the_school_week(
    per_week: int, school_days: int, expected: date
) -> None:
    assert sessions_step(CAL, NOV17, 10, per_week) == expected
    assert CAL.school_days_between(NOV17 + timedelta(days=1), expected) + 1 == school_days


def test_sessions_are_counted_on_school_days_only() -> None:
    # From Fri 19 Dec 2025, full time: Tue 6, Wed 7, Thu 8, Fri 9, Mon 12 Jan 2026 (Mon 5 Jan is
    # INSET).
    assert sessions_step(CAL, date(2025, 12, 19), 10, 10) == date(2026, 1, 12)
    # Twenty sessions full time: ten school days from Mon 17 Nov, Mon 1 Dec.
    assert sessions_step(CAL, NOV17, 20, 10) == date(2025, 12, 1)


def test_sessions_beyond_the_calendar_are_none() -> None:
    # From Wed 1 Jul 2026 only 14 school days remain; one session a week needs 50.
    assert sessions_step(CAL, date(2026, 7, 1), 10, 1) is None
    assert sessions_step(CAL, date(2026, 7, 1), 10, 10) == date(2026, 7, 8)


# --- visit_windows ----------------------------------------------------------------------------


def test_visits_by_sessions_or_month_whichever_comes_first() -> None:
    # Four sessions a week from Mon 17 Nov 2025, nothing done, as of Tue 20 Jan 2026:
    # - from Mon 17 Nov: 13 school days is Thu 4 Dec, before a month (Wed 17 Dec);
    # - from Thu 4 Dec: a month is Sun 4 Jan, in the holiday: due Fri 19 Dec, the window open
    #   to Sun 4 Jan; 13 school days would be Wed 7 Jan;
    # - from Fri 19 Dec: a month is Mon 19 Jan (13 school days: Thu 22 Jan);
    # - from Mon 19 Jan: 13 school days is Thu 5 Feb (a month, Thu 19 Feb, is half-term).
    every = "a month or 10 sessions from"
    assert visit_windows(CAL, 1, "rolling", 10, 4, NOV17, None, date(2026, 1, 20), []) == [
        Window(
            date(2025, 11, 18), date(2025, 12, 4), f"{every} Mon 17 Nov 2025", date(2025, 12, 4)
        ),
        Window(date(2025, 12, 5), date(2025, 12, 19), f"{every} Thu 4 Dec 2025", date(2026, 1, 4)),
        Window(
            date(2025, 12, 20), date(2026, 1, 19), f"{every} Fri 19 Dec 2025", date(2026, 1, 19)
        ),
        Window(date(2026, 1, 20), date(2026, 2, 5), f"{every} Mon 19 Jan 2026", date(2026, 2, 5)),
    ]


def test_visits_without_a_timetable_are_monthly() -> None:
    # From Mon 17 Nov: Wed 17 Dec; from Wed 17 Dec: Sat 17 Jan, so Fri 16 Jan (open to Sat 17
    # Jan); from Fri 16 Jan: Mon 16 Feb is half-term, so Fri 13 Feb (open to Mon 16 Feb).
    expected = [
        Window(
            date(2025, 11, 18),
            date(2025, 12, 17),
            "a month from Mon 17 Nov 2025",
            date(2025, 12, 17),
        ),
        Window(
            date(2025, 12, 18), date(2026, 1, 16), "a month from Wed 17 Dec 2025", date(2026, 1, 17)
        ),
        Window(
            date(2026, 1, 17), date(2026, 2, 13), "a month from Fri 16 Jan 2026", date(2026, 2, 16)
        ),
    ]
    assert visit_windows(CAL, 1, "rolling", 10, None, NOV17, None, date(2026, 2, 2), []) == expected
    assert (
        visit_windows(CAL, 1, "rolling", None, None, NOV17, None, date(2026, 2, 2), []) == expected
    )


def test_visits_by_calendar_month() -> None:
    # One session a week (50 school days: never first here). From Mon 17 Nov: any day of
    # December, by Fri 19 Dec (open to Wed 31 Dec); from Fri 19 Dec: January, by Fri 30 Jan
    # (open to Sat 31 Jan).
    every = "a month or 10 sessions from"
    assert visit_windows(CAL, 1, "calendar", 10, 1, NOV17, None, date(2026, 1, 20), []) == [
        Window(
            date(2025, 11, 18), date(2025, 12, 19), f"{every} Mon 17 Nov 2025", date(2025, 12, 31)
        ),
        Window(
            date(2025, 12, 20), date(2026, 1, 30), f"{every} Fri 19 Dec 2025", date(2026, 1, 31)
        ),
    ]


def test_calendar_months_count_one_month_at_a_time() -> None:
    with pytest.raises(ValueError, match="one month at a time"):
        visit_windows(CAL, 2, "calendar", None, None, NOV17, None, date(2026, 1, 20), [])
    (w, *_) = visit_windows(CAL, 2, "rolling", None, None, NOV17, None, date(2026, 1, 20), [])
    assert (w.due, w.label) == (date(2026, 1, 16), "2 months from Mon 17 Nov 2025")


def test_an_early_visit_brings_the_next_one_forward() -> None:
    # Full time (5 school days): due Mon 24 Nov; visited Thu 20 Nov, so the next is due 5 school
    # days after it, Thu 27 Nov.
    windows = visit_windows(
        CAL, 1, "rolling", 10, 10, NOV17, None, date(2025, 11, 25), [date(2025, 11, 20)]
    )
    assert [(w.opens, w.due) for w in windows] == [
        (date(2025, 11, 18), date(2025, 11, 24)),
        (date(2025, 11, 21), date(2025, 11, 27)),
    ]


def test_a_visit_on_the_start_day_counts_for_no_window() -> None:
    windows = visit_windows(CAL, 1, "rolling", 10, 10, NOV17, None, date(2025, 11, 25), [NOV17])
    assert [(w.opens, w.due) for w in windows] == [
        (date(2025, 11, 18), date(2025, 11, 24)),
        (date(2025, 11, 25), date(2025, 12, 1)),
    ]
    assert not any(w.counts(NOV17) for w in windows)


def test_a_holiday_visit_after_a_rolled_back_due_is_late_for_its_window() -> None:
    # Four a week: the window from Thu 4 Dec is due Fri 19 Dec but open to Sun 4 Jan. A visit on
    # Mon 22 Dec counts for it (late), and the next counts from it: a month on is Thu 22 Jan,
    # 13 school days on Thu 22 Jan too.
    dec22 = date(2025, 12, 22)
    windows = visit_windows(CAL, 1, "rolling", 10, 4, NOV17, None, date(2026, 1, 20), [dec22])
    assert [w.counts(dec22) for w in windows] == [False, True, False]
    assert (windows[2].opens, windows[2].due) == (date(2025, 12, 23), date(2026, 1, 22))


def test_a_visit_window_due_after_until_is_dropped() -> None:
    # Four a week, ending Wed 3 Dec 2025: the first visit, due Thu 4 Dec, is not required.
    assert visit_windows(CAL, 1, "rolling", 10, 4, NOV17, date(2025, 12, 3), END, []) == []
    windows = visit_windows(CAL, 1, "rolling", 10, 4, NOV17, date(2025, 12, 4), END, [])
    assert [w.due for w in windows] == [date(2025, 12, 4)]


def test_when_the_sessions_run_beyond_the_calendar_the_month_decides() -> None:
    # From Mon 15 Jun 2026 at one session a week, ten sessions run past Tue 21 Jul; a month is
    # Wed 15 Jul.
    assert visit_windows(CAL, 1, "rolling", 10, 1, date(2026, 6, 15), None, END, []) == [
        Window(
            date(2026, 6, 16),
            date(2026, 7, 15),
            "a month or 10 sessions from Mon 15 Jun 2026",
            closes=date(2026, 7, 15),
        )
    ]


# --- properties -------------------------------------------------------------------------------

SCHOOL_DAYS: tuple[date, ...] = (*CAL.school_days(CAL.first_day, CAL.last_day), CAL.last_day)
in_calendar = st.dates(min_value=CAL.first_day, max_value=CAL.last_day)


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


@settings(max_examples=100, deadline=None)
@given(
    start=in_calendar,
    as_of=in_calendar,
    until=st.none() | in_calendar,
    first=st.sampled_from(("next", "current", "current_if_half_left")),
)
def test_week_windows_properties(
    start: date, as_of: date, until: date | None, first: FirstWindow
) -> None:
    windows = fixed_windows(CAL, "week", start, until, as_of, first)
    for w in windows:
        monday = _monday(w.due)
        # Each window is one Monday-Sunday week, due on its last school day.
        assert w.label == f"week of {day(monday)}"
        week_end = min(monday + timedelta(days=6), END)
        if until is not None and until < week_end and w is windows[-1]:
            # A last week the duty ran at least half of is due by its last school day.
            week_end = until
        assert w.due == last_school_day_on_or_before(CAL, week_end)
        assert monday <= w.opens <= w.due <= monday + timedelta(days=6)
        assert w.closes is not None and w.due <= w.closes
        assert w.opens >= start and (until is None or w.due <= until)
    # Consecutive windows are consecutive school weeks: every school day between them is in the
    # later one's week.
    for a, b in pairwise(windows):
        between = list(CAL.school_days(a.due + timedelta(days=1), b.due))
        assert all(_monday(d) == _monday(b.due) for d in between)
        # Each closes the day before the next opens; no school day falls after its due.
        assert a.closes == b.opens - timedelta(days=1)
        assert a.closes is not None
        assert not list(CAL.school_days(a.due + timedelta(days=1), a.closes + timedelta(days=1)))
    assert all(w.due < as_of for w in windows[:-1])
    # The first is the start's own week (when it has a school day on or after the start), or
    # the next; "current" always takes the start's own.
    if windows and first == "current":
        in_own_week = [d for d in SCHOOL_DAYS if d >= start and _monday(d) == _monday(start)]
        if in_own_week:
            assert _monday(windows[0].due) == _monday(start)


@settings(max_examples=100, deadline=None)
@given(
    per_week=st.none() | st.integers(min_value=1, max_value=10),
    reading=st.sampled_from(("rolling", "calendar")),
    start=st.sampled_from(SCHOOL_DAYS),
    as_of=in_calendar,
    done=st.lists(st.sampled_from(SCHOOL_DAYS), max_size=8),
)
def test_visit_windows_properties(
    per_week: int | None, reading: MonthReading, start: date, as_of: date, done: list[date]
) -> None:
    windows = visit_windows(CAL, 1, reading, 10, per_week, start, None, as_of, done)
    anchor = start
    for w in windows:
        assert w.opens == anchor + timedelta(days=1)
        reach = month_step(anchor, 1, reading)
        by_sessions = None if per_week is None else sessions_step(CAL, anchor, 10, per_week)
        if by_sessions is not None:
            reach = min(reach, by_sessions)
        # Due by the last school day on or before the reach (every reach here has one after
        # the anchor: a month, or at least five school days).
        assert w.due == last_school_day_on_or_before(CAL, reach)
        assert anchor < w.due and CAL.is_school_day(w.due)
        assert w.closes == max(w.due, reach)
        anchor = max((d for d in done if w.counts(d)), default=w.due)
    assert all(w.due < as_of for w in windows[:-1])


@pytest.mark.parametrize("cadence", ["week", "half_term", "term"])
def test_the_first_window_options_only_differ_in_the_starts_own_block(cadence: Cadence) -> None:
    # For every school day as a start: "current" adds the start's block to "next"; and
    # "current_if_half_left" is one of the two.
    for start in SCHOOL_DAYS[::7]:
        following = fixed_windows(CAL, cadence, start, None, END, "next")
        current = fixed_windows(CAL, cadence, start, None, END, "current")
        half = fixed_windows(CAL, cadence, start, None, END, "current_if_half_left")
        assert current[1:] == following
        assert current[0].opens == start
        assert half in (following, current)
