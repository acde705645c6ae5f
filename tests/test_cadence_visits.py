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
    timetabled_step,
    visit_windows,
)
from apcompliance.facts import DateRange, ExtraSessions, WeeklyTimetable

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
# school days, the first day's counted. From Mon 17 Nov 2025 the school days run Mon 17 - Fri 21
# (1-5), Mon 24 - Fri 28 (6-10), Mon 1 - Fri 5 Dec (11-15), Mon 8 - Fri 12 (16-20), Mon 15 -
# Fri 19 (21-25), Tue 6 Jan 2026 (26; Mon 5 Jan is INSET), ..., Mon 9 Feb (50).


@pytest.mark.parametrize(
    ("per_week", "school_days", "expected"),
    [
        (10, 5, date(2025, 11, 21)),
        (9, 6, date(2025, 11, 24)),  # 5.6 days
        (8, 7, date(2025, 11, 25)),  # 6.25
        (7, 8, date(2025, 11, 26)),  # 7.1
        (6, 9, date(2025, 11, 27)),  # 8.3
        (5, 10, date(2025, 11, 28)),  # exactly 10, not 11
        (4, 13, date(2025, 12, 3)),  # 12.5
        (3, 17, date(2025, 12, 9)),  # 16.7
        (2, 25, date(2025, 12, 19)),
        (1, 50, date(2026, 2, 9)),
    ],
)
def test_ten_sessions_are_spread_over_the_school_week(
    per_week: int, school_days: int, expected: date
) -> None:
    assert sessions_step(CAL, NOV17, 10, per_week) == expected
    assert CAL.school_days_between(NOV17, expected) + 1 == school_days


def test_sessions_are_counted_on_school_days_only() -> None:
    # From Sat 20 Dec 2025, full time: Tue 6, Wed 7, Thu 8, Fri 9, Mon 12 Jan 2026 (Mon 5 Jan is
    # INSET).
    assert sessions_step(CAL, date(2025, 12, 20), 10, 10) == date(2026, 1, 12)
    # Twenty sessions full time: ten school days from Mon 17 Nov, Fri 28 Nov.
    assert sessions_step(CAL, NOV17, 20, 10) == date(2025, 11, 28)


def test_sessions_beyond_the_calendar_are_none() -> None:
    # From Wed 1 Jul 2026 only 15 school days remain; one session a week needs 50.
    assert sessions_step(CAL, date(2026, 7, 1), 10, 1) is None
    assert sessions_step(CAL, date(2026, 7, 1), 10, 10) == date(2026, 7, 7)


# --- timetabled_step: sessions from the weekly timetable --------------------------------------

MON_ALL_DAY_WED_AM = WeeklyTimetable(monday=("AM", "PM"), wednesday=("AM",))


def test_ten_sessions_of_a_timetable_count_the_first_days() -> None:
    # Mon all day and Wed morning, from Mon 17 Nov 2025: Mon 17 (2), Wed 19 (3), Mon 24 (5),
    # Wed 26 (6), Mon 1 Dec (8), Wed 3 Dec (9), Mon 8 Dec (11): the tenth session is on the
    # morning of Mon 8 Dec.
    on = MON_ALL_DAY_WED_AM.sessions_on
    assert timetabled_step(CAL, NOV17, 10, on, END) == date(2025, 12, 8)
    # Counting from Tue 18 Nov (the day after a visit on the first day): Wed 19 (1), Mon 24
    # (3), Wed 26 (4), Mon 1 Dec (6), Wed 3 (7), Mon 8 (9), Wed 10 Dec (10).
    assert timetabled_step(CAL, date(2025, 11, 18), 10, on, END) == date(2025, 12, 10)
    # Not by Sun 7 Dec: None.
    assert timetabled_step(CAL, NOV17, 10, on, date(2025, 12, 7)) is None


def test_a_timetable_skips_holidays_inset_days_and_its_own_exceptions() -> None:
    # From Mon 13 Oct 2025: Mon 13 (2), Wed 15 (3); half-term 20 - 24 Oct; Mon 27 Oct is INSET;
    # Wed 29 Oct (4), Mon 3 Nov (6), Wed 5 Nov (7), Mon 10 (9), Wed 12 Nov (10).
    on = MON_ALL_DAY_WED_AM.sessions_on
    assert timetabled_step(CAL, date(2025, 10, 13), 10, on, END) == date(2025, 11, 12)
    # Not running Mon 3 - Fri 7 Nov, and an extra afternoon on Tue 11 Nov: Wed 29 Oct (4),
    # Mon 10 (6), Tue 11 (7), Wed 12 (8), Mon 17 Nov (10).
    closed = WeeklyTimetable(
        monday=("AM", "PM"),
        wednesday=("AM",),
        not_running=(DateRange(first_day=date(2025, 11, 3), last_day=date(2025, 11, 7)),),
        extra_sessions=(ExtraSessions(on=date(2025, 11, 11), sessions=("PM",)),),
    )
    assert timetabled_step(CAL, date(2025, 10, 13), 10, closed.sessions_on, END) == NOV17


def test_an_extra_session_on_a_timetabled_one_counts_once() -> None:
    t = WeeklyTimetable(
        monday=("AM",), extra_sessions=(ExtraSessions(on=NOV17, sessions=("AM", "PM")),)
    )
    assert [t.sessions_on(NOV17 + timedelta(days=n)) for n in range(8)] == [2, 0, 0, 0, 0, 0, 0, 1]
    assert t.weekly == "Mon AM"
    assert MON_ALL_DAY_WED_AM.weekly == "Mon AM PM, Wed AM"


# --- visit_windows ----------------------------------------------------------------------------


def test_visits_by_sessions_or_month_whichever_comes_first() -> None:
    # Four sessions a week from Mon 17 Nov 2025, nothing done, as of Tue 20 Jan 2026:
    # - from Mon 17 Nov (counted): 13 school days is Wed 3 Dec, before a month (Wed 17 Dec);
    # - from Wed 3 Dec: a month is Sat 3 Jan, in the holiday: due Fri 19 Dec, the window open
    #   to Sat 3 Jan; 13 school days from Thu 4 Dec would be Wed 7 Jan;
    # - from Fri 19 Dec: a month is Mon 19 Jan (13 school days: Thu 22 Jan);
    # - from Mon 19 Jan: 13 school days from Tue 20 Jan is Thu 5 Feb (a month, Thu 19 Feb, is
    #   half-term).
    every = "a month or 10 sessions from"
    assert visit_windows(CAL, 1, "rolling", 10, 4, NOV17, None, date(2026, 1, 20), []) == [
        Window(NOV17, date(2025, 12, 3), f"{every} Mon 17 Nov 2025", date(2025, 12, 3)),
        Window(date(2025, 12, 4), date(2025, 12, 19), f"{every} Wed 3 Dec 2025", date(2026, 1, 3)),
        Window(
            date(2025, 12, 20), date(2026, 1, 19), f"{every} Fri 19 Dec 2025", date(2026, 1, 19)
        ),
        Window(date(2026, 1, 20), date(2026, 2, 5), f"{every} Mon 19 Jan 2026", date(2026, 2, 5)),
    ]


def test_visits_by_the_timetable() -> None:
    # Mon all day and Wed morning from Mon 17 Nov 2025: the tenth session is Mon 8 Dec, before
    # a month (Wed 17 Dec). A visit on the first day meets the first window, and the count
    # starts again on Tue 18 Nov: the next is due Wed 10 Dec.
    every = "a month or 10 sessions from"
    on = MON_ALL_DAY_WED_AM.sessions_on
    assert visit_windows(CAL, 1, "rolling", 10, None, NOV17, None, NOV17, [], on) == [
        Window(NOV17, date(2025, 12, 8), f"{every} Mon 17 Nov 2025", date(2025, 12, 8)),
    ]
    windows = visit_windows(
        CAL, 1, "rolling", 10, None, NOV17, None, date(2025, 12, 1), [NOV17], on
    )
    assert windows == [
        Window(NOV17, date(2025, 12, 8), f"{every} Mon 17 Nov 2025", date(2025, 12, 8)),
    ]
    windows = visit_windows(
        CAL, 1, "rolling", 10, None, NOV17, None, date(2025, 12, 9), [NOV17], on
    )
    again = f"{every} Mon 17 Nov 2025 (counted after the first day)"
    assert windows[1] == Window(date(2025, 11, 18), date(2025, 12, 10), again, date(2025, 12, 10))
    assert windows[0].counts(NOV17)


def test_visits_without_a_timetable_are_monthly() -> None:
    # From Mon 17 Nov: Wed 17 Dec; from Wed 17 Dec: Sat 17 Jan, so Fri 16 Jan (open to Sat 17
    # Jan); from Fri 16 Jan: Mon 16 Feb is half-term, so Fri 13 Feb (open to Mon 16 Feb).
    expected = [
        Window(NOV17, date(2025, 12, 17), "a month from Mon 17 Nov 2025", date(2025, 12, 17)),
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
        Window(NOV17, date(2025, 12, 19), f"{every} Mon 17 Nov 2025", date(2025, 12, 31)),
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
    # Full time (5 school days, the first day's counted): due Fri 21 Nov; visited Thu 20 Nov,
    # so the next is due 5 school days after it, Thu 27 Nov.
    windows = visit_windows(
        CAL, 1, "rolling", 10, 10, NOV17, None, date(2025, 11, 25), [date(2025, 11, 20)]
    )
    assert [(w.opens, w.due) for w in windows] == [
        (NOV17, date(2025, 11, 21)),
        (date(2025, 11, 21), date(2025, 11, 27)),
    ]


def test_a_visit_on_the_start_day_counts_and_the_count_starts_again() -> None:
    windows = visit_windows(CAL, 1, "rolling", 10, 10, NOV17, None, date(2025, 11, 25), [NOV17])
    assert [(w.opens, w.due) for w in windows] == [
        (NOV17, date(2025, 11, 21)),
        (date(2025, 11, 18), date(2025, 11, 24)),
        (date(2025, 11, 25), date(2025, 12, 1)),
    ]
    assert [w.counts(NOV17) for w in windows] == [True, False, False]


def test_a_holiday_visit_after_a_rolled_back_due_is_late_for_its_window() -> None:
    # Four a week: the window from Wed 3 Dec is due Fri 19 Dec but open to Sat 3 Jan. A visit on
    # Mon 22 Dec counts for it (late), and the next counts from it: a month on is Thu 22 Jan,
    # 13 school days from Tue 23 Dec are Thu 22 Jan too.
    dec22 = date(2025, 12, 22)
    windows = visit_windows(CAL, 1, "rolling", 10, 4, NOV17, None, date(2026, 1, 20), [dec22])
    assert [w.counts(dec22) for w in windows] == [False, True, False]
    assert (windows[2].opens, windows[2].due) == (date(2025, 12, 23), date(2026, 1, 22))


def test_a_visit_window_due_after_until_is_dropped() -> None:
    # Four a week, ending Tue 2 Dec 2025: the first visit, due Wed 3 Dec, is not required.
    assert visit_windows(CAL, 1, "rolling", 10, 4, NOV17, date(2025, 12, 2), END, []) == []
    windows = visit_windows(CAL, 1, "rolling", 10, 4, NOV17, date(2025, 12, 3), END, [])
    assert [w.due for w in windows] == [date(2025, 12, 3)]


def test_when_the_sessions_run_beyond_the_calendar_the_month_decides() -> None:
    # From Mon 15 Jun 2026 at one session a week, ten sessions run past Tue 21 Jul; a month is
    # Wed 15 Jul.
    assert visit_windows(CAL, 1, "rolling", 10, 1, date(2026, 6, 15), None, END, []) == [
        Window(
            date(2026, 6, 15),
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


SESSIONS = st.lists(st.sampled_from(("AM", "PM")), unique=True).map(tuple)
WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday")
timetables = st.builds(
    lambda days, off: WeeklyTimetable(**dict(zip(WEEK, days, strict=True)), not_running=off),
    st.tuples(*(SESSIONS for _ in WEEK)).filter(any),
    st.lists(st.builds(DateRange, first_day=in_calendar), max_size=3).map(tuple),
)


def _reach(
    anchor: date,
    opens: date,
    reading: MonthReading,
    per_week: int | None,
    timetable: WeeklyTimetable | None,
) -> date:
    """A month from the anchor, or ten sessions counted from the window's first day."""
    reach = month_step(anchor, 1, reading)
    if timetable is not None:
        by_sessions = timetabled_step(CAL, opens, 10, timetable.sessions_on, reach)
    elif per_week is not None:
        by_sessions = sessions_step(CAL, opens, 10, per_week)
    else:
        by_sessions = None
    return reach if by_sessions is None else min(reach, by_sessions)


@settings(max_examples=100, deadline=None)
@given(
    per_week=st.none() | st.integers(min_value=1, max_value=10),
    timetable=st.none() | timetables,
    reading=st.sampled_from(("rolling", "calendar")),
    start=st.sampled_from(SCHOOL_DAYS),
    as_of=in_calendar,
    done=st.lists(st.sampled_from(SCHOOL_DAYS), max_size=8),
)
def test_visit_windows_properties(
    per_week: int | None,
    timetable: WeeklyTimetable | None,
    reading: MonthReading,
    start: date,
    as_of: date,
    done: list[date],
) -> None:
    on = timetable.sessions_on if timetable is not None else None
    windows = visit_windows(CAL, 1, reading, 10, per_week, start, None, as_of, done, on)
    anchor, opens = start, start  # the first window opens on the start, counting its sessions
    for w in windows:
        assert w.opens == opens
        reach = _reach(anchor, opens, reading, per_week, timetable)
        # Due by the last school day on or before the reach (every reach here has one on or
        # after the window's first day: a month, or at least one school day of sessions).
        assert w.due == last_school_day_on_or_before(CAL, reach)
        assert opens <= w.due and CAL.is_school_day(w.due)  # never due on a non-school day
        assert w.closes == max(w.due, reach)
        anchor = max((d for d in done if w.counts(d)), default=w.due)
        opens = anchor + timedelta(days=1)
    assert all(w.due < as_of for w in windows[:-1])


@settings(max_examples=100, deadline=None)
@given(
    per_week=st.integers(min_value=1, max_value=10),
    timetable=st.none() | timetables,
    reading=st.sampled_from(("rolling", "calendar")),
    starts=st.lists(st.sampled_from(SCHOOL_DAYS), min_size=2, max_size=2).map(sorted),
)
def test_a_later_start_never_gives_an_earlier_first_visit(
    per_week: int, timetable: WeeklyTimetable | None, reading: MonthReading, starts: list[date]
) -> None:
    on = timetable.sessions_on if timetable is not None else None
    first = [visit_windows(CAL, 1, reading, 10, per_week, s, None, s, [], on) for s in starts]
    if first[0] and first[1]:
        assert first[0][0].due <= first[1][0].due


@settings(max_examples=100, deadline=None)
@given(
    fewer=timetables,
    more=timetables,
    per_week=st.integers(min_value=1, max_value=9),
    reading=st.sampled_from(("rolling", "calendar")),
    start=st.sampled_from(SCHOOL_DAYS),
)
def test_more_sessions_never_give_a_later_visit(
    fewer: WeeklyTimetable,
    more: WeeklyTimetable,
    per_week: int,
    reading: MonthReading,
    start: date,
) -> None:
    # `more`: every session of `fewer` and its own (the same days not running).
    more = WeeklyTimetable(
        **{
            day_: tuple(sorted(set(getattr(fewer, day_)) | set(getattr(more, day_))))
            for day_ in WEEK
        },
        not_running=fewer.not_running,
    )

    def due(**how: object) -> date | None:
        windows = visit_windows(
            CAL, 1, reading, 10, start=start, until=None, as_of=start, done=[], **how
        )  # type: ignore[arg-type]
        return windows[0].due if windows else None

    pairs = [
        (due(per_week=per_week, sessions_on=fewer.sessions_on),
         due(per_week=per_week, sessions_on=more.sessions_on)),
        (due(per_week=per_week, sessions_on=None), due(per_week=per_week + 1, sessions_on=None)),
        (due(per_week=None, sessions_on=None), due(per_week=per_week, sessions_on=None)),
        (due(per_week=None, sessions_on=None), due(per_week=None, sessions_on=more.sessions_on)),
    ]  # fmt: skip
    for less_often, more_often in pairs:
        if less_often is not None and more_often is not None:
            assert more_often <= less_often


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
