"""Recurring windows (src/apcompliance/evaluation/cadence.py): fixed term / half-term windows
and rolling "every N weeks" windows, on the example calendar "Example Borough Council 2025-26".

The dates these tests lean on (worked out by hand):

    half-terms  1 Sep - 17 Oct 2025 (autumn), 27 Oct - 19 Dec 2025 (autumn),
                5 Jan - 13 Feb 2026 (spring), 23 Feb - 27 Mar 2026 (spring),
                13 Apr - 22 May 2026 (summer), 1 Jun - 21 Jul 2026 (summer).
    INSET       Mon 1, Tue 2 Sep, Mon 27 Oct 2025, Mon 5 Jan, Mon 1 Jun 2026.
    Each half-term's last day (Fri 17 Oct, Fri 19 Dec, Fri 13 Feb, Fri 27 Mar, Fri 22 May,
    Tue 21 Jul) is a school day. Fri 3 Apr 2026 is Good Friday, in the Easter holiday.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apcompliance import CalendarError, SchoolCalendar
from apcompliance.calendar.clock import day
from apcompliance.evaluation.cadence import (
    Cadence,
    Window,
    fixed_windows,
    last_school_day_on_or_before,
    rolling_windows,
)

CAL = SchoolCalendar.example()

AUTUMN_2 = Window(
    date(2025, 10, 27),
    date(2025, 12, 19),
    "autumn term 2025, half-term 2",
    closes=date(2026, 1, 4),
)
SPRING_1 = Window(
    date(2026, 1, 5), date(2026, 2, 13), "spring term 2026, half-term 1", closes=date(2026, 2, 22)
)
SPRING_2 = Window(
    date(2026, 2, 23), date(2026, 3, 27), "spring term 2026, half-term 2", closes=date(2026, 4, 12)
)
SUMMER_1 = Window(
    date(2026, 4, 13), date(2026, 5, 22), "summer term 2026, half-term 1", closes=date(2026, 5, 31)
)
SUMMER_2 = Window(
    date(2026, 6, 1), date(2026, 7, 21), "summer term 2026, half-term 2", closes=date(2026, 7, 21)
)
SPRING = Window(date(2026, 1, 5), date(2026, 3, 27), "spring term 2026", closes=date(2026, 4, 12))
SUMMER = Window(date(2026, 4, 13), date(2026, 7, 21), "summer term 2026", closes=date(2026, 7, 21))

SEP15 = date(2025, 9, 15)  # Mon, in autumn half-term 1
END = date(2026, 7, 21)  # the calendar's last day


# --- fixed windows ----------------------------------------------------------------------------


def test_term_windows_start_with_the_term_after_the_one_containing_the_start() -> None:
    # Started Mon 15 Sep 2025, in the autumn term: the autumn term is covered by the event that
    # started the duty; spring and summer each need one.
    assert fixed_windows(CAL, "term", SEP15, None, END) == [SPRING, SUMMER]


def test_half_term_windows_start_with_the_half_term_after_the_start() -> None:
    assert fixed_windows(CAL, "half_term", SEP15, None, END) == [
        AUTUMN_2,
        SPRING_1,
        SPRING_2,
        SUMMER_1,
        SUMMER_2,
    ]


def test_a_start_on_a_blocks_first_day_is_in_that_block() -> None:
    # Mon 5 Jan 2026 opens spring half-term 1 (it is an INSET day, but still in the block).
    assert fixed_windows(CAL, "half_term", date(2026, 1, 5), None, END)[0] == SPRING_2


def test_a_start_in_a_holiday_makes_the_next_block_the_first_window() -> None:
    # Mon 22 Dec 2025, in the Christmas holiday: no block contains it; spring comes next.
    assert fixed_windows(CAL, "half_term", date(2025, 12, 22), None, END)[0] == SPRING_1
    assert fixed_windows(CAL, "term", date(2025, 12, 22), None, END) == [SPRING, SUMMER]


def test_a_start_in_the_october_half_term_belongs_to_the_autumn_term() -> None:
    # Wed 22 Oct 2025 falls between the two autumn half-terms, inside the autumn term.
    assert fixed_windows(CAL, "term", date(2025, 10, 22), None, END)[0] == SPRING
    assert fixed_windows(CAL, "half_term", date(2025, 10, 22), None, END)[0] == AUTUMN_2


def test_fixed_windows_stop_at_the_first_due_on_or_after_as_of() -> None:
    # Mon 1 Dec 2025: autumn half-term 2 (due Fri 19 Dec) is the current one.
    assert fixed_windows(CAL, "half_term", SEP15, None, date(2025, 12, 1)) == [AUTUMN_2]
    assert fixed_windows(CAL, "term", SEP15, None, date(2025, 12, 1)) == [SPRING]


def test_as_of_on_a_due_day_stops_at_that_window() -> None:
    assert fixed_windows(CAL, "half_term", SEP15, None, date(2026, 2, 13)) == [AUTUMN_2, SPRING_1]


def test_as_of_in_the_christmas_holiday_shows_the_next_block() -> None:
    # Mon 22 Dec 2025: autumn half-term 2 is past (due Fri 19 Dec); spring half-term 1 is next.
    assert fixed_windows(CAL, "half_term", SEP15, None, date(2025, 12, 22)) == [AUTUMN_2, SPRING_1]


def test_as_of_in_the_easter_holiday_shows_the_summer_term() -> None:
    # Mon 30 Mar 2026: spring (due Fri 27 Mar) is past; summer is next.
    assert fixed_windows(CAL, "term", SEP15, None, date(2026, 3, 30)) == [SPRING, SUMMER]


def test_a_last_block_run_at_least_half_is_due_by_the_end_of_the_duty() -> None:
    # The duty ends Tue 10 Feb 2026: it ran 26 of spring half-term 1's 29 school days (Tue 6
    # Jan - Fri 13 Feb), so that half-term's window is due by Tue 10 Feb.
    cut = Window(
        date(2026, 1, 5),
        date(2026, 2, 10),
        "spring term 2026, half-term 1",
        closes=date(2026, 2, 10),
    )
    assert fixed_windows(CAL, "half_term", SEP15, date(2026, 2, 10), END) == [AUTUMN_2, cut]
    # Ending on the due day itself: the whole half-term.
    assert fixed_windows(CAL, "half_term", SEP15, date(2026, 2, 13), END) == [AUTUMN_2, SPRING_1]
    # Ending Fri 16 Jan 2026 (9 of 29 school days): that half-term is not required.
    assert fixed_windows(CAL, "half_term", SEP15, date(2026, 1, 16), END) == [AUTUMN_2]
    # By term: ending Fri 20 Mar 2026 (49 of 54 spring school days), due Fri 20 Mar.
    (spring,) = fixed_windows(CAL, "term", SEP15, date(2026, 3, 20), END)
    assert (spring.due, spring.closes) == (date(2026, 3, 20), date(2026, 3, 20))


def test_a_fixed_due_is_the_last_school_day_of_the_block() -> None:
    # A calendar whose first block ends on Sun 19 Oct 2025 and second on Fri 19 Dec, a closure:
    # the windows are due on the last school days, Fri 17 Oct and Thu 18 Dec.
    cal = SchoolCalendar.from_terms(
        [
            (date(2025, 9, 1), date(2025, 9, 26)),
            (date(2025, 9, 29), date(2025, 10, 19)),
            (date(2025, 11, 3), date(2025, 12, 19)),
        ],
        {date(2025, 12, 19): "staff training"},
        name="Test calendar",
        term_names=["autumn", "autumn", "spring"],
    )
    assert fixed_windows(cal, "half_term", date(2025, 9, 3), None, date(2025, 12, 19)) == [
        Window(
            date(2025, 9, 29),
            date(2025, 10, 17),
            "autumn term 2025, half-term 2",
            closes=date(2025, 11, 2),
        ),
        Window(
            date(2025, 11, 3),
            date(2025, 12, 18),
            "spring term 2025, half-term 1",
            closes=date(2025, 12, 19),
        ),
    ]


def test_fixed_windows_after_the_calendar_ends_raise_naming_the_date() -> None:
    with pytest.raises(CalendarError, match="2026-08-03") as err:
        fixed_windows(CAL, "term", SEP15, None, date(2026, 8, 3))
    assert "2026-07-21" in str(err.value)
    assert "Example Borough Council 2025-26" in str(err.value)


def test_a_duty_ending_within_the_calendar_can_be_dated_after_it() -> None:
    assert fixed_windows(CAL, "term", SEP15, date(2026, 7, 21), date(2026, 9, 1)) == [
        SPRING,
        SUMMER,
    ]


# --- rolling windows --------------------------------------------------------------------------

NOV17 = date(2025, 11, 17)  # Mon


def test_rolling_windows_chain_from_the_review_done_in_time() -> None:
    # Every 4 weeks from Mon 17 Nov 2025: due Mon 15 Dec; done Fri 12 Dec, so the next is due 4
    # weeks from Fri 12 Dec: Fri 9 Jan 2026. Done Wed 7 Jan: next due Wed 4 Feb.
    done = [date(2025, 12, 12), date(2026, 1, 7)]
    assert rolling_windows(CAL, 4, NOV17, None, date(2026, 1, 20), done) == [
        Window(
            date(2025, 11, 18),
            date(2025, 12, 15),
            "4 weeks from Mon 17 Nov 2025",
            closes=date(2025, 12, 15),
        ),
        Window(
            date(2025, 12, 13),
            date(2026, 1, 9),
            "4 weeks from Fri 12 Dec 2025",
            closes=date(2026, 1, 9),
        ),
        Window(
            date(2026, 1, 8),
            date(2026, 2, 4),
            "4 weeks from Wed 7 Jan 2026",
            closes=date(2026, 2, 4),
        ),
    ]


def test_rolling_windows_chain_from_the_last_review_done_in_a_window() -> None:
    # Two reviews in the first window (Mon 1 Dec and Fri 12 Dec): the count restarts from the
    # later one.
    done = [date(2025, 12, 1), date(2025, 12, 12)]
    windows = rolling_windows(CAL, 4, NOV17, None, date(2026, 1, 5), done)
    assert [w.label for w in windows] == [
        "4 weeks from Mon 17 Nov 2025",
        "4 weeks from Fri 12 Dec 2025",
    ]


def test_a_review_after_a_missed_deadline_counts_for_the_next_window() -> None:
    # Due Mon 15 Dec 2025; nothing by then, so the first window stays missed and the next counts
    # from its due date: 4 weeks from Mon 15 Dec is Mon 12 Jan 2026 (a school day). The review
    # on Wed 7 Jan 2026 falls in that window (Tue 16 Dec - Mon 12 Jan), so the third counts
    # from it: 4 weeks from Wed 7 Jan is Wed 4 Feb.
    jan7 = date(2026, 1, 7)
    windows = rolling_windows(CAL, 4, NOV17, None, date(2026, 1, 20), [jan7])
    assert windows == [
        Window(
            date(2025, 11, 18),
            date(2025, 12, 15),
            "4 weeks from Mon 17 Nov 2025",
            closes=date(2025, 12, 15),
        ),
        Window(
            date(2025, 12, 16),
            date(2026, 1, 12),
            "4 weeks from Mon 15 Dec 2025",
            closes=date(2026, 1, 12),
        ),
        Window(
            date(2026, 1, 8),
            date(2026, 2, 4),
            "4 weeks from Wed 7 Jan 2026",
            closes=date(2026, 2, 4),
        ),
    ]
    # The review never counts for the missed window (as done late), only for the one it is in.
    assert [w.counts(jan7) for w in windows] == [False, True, False]


def test_every_missed_window_is_its_own_window_up_to_the_evaluation_date() -> None:
    # Nothing done: each window counts from the previous one's due date. 4 weeks from Mon 17
    # Nov 2025 is Mon 15 Dec; from there Mon 12 Jan 2026, Mon 9 Feb, Mon 9 Mar (all school
    # days). On Mon 2 Mar the first three are past; Mon 9 Mar is the current one.
    assert rolling_windows(CAL, 4, NOV17, None, date(2026, 3, 2), []) == [
        Window(
            date(2025, 11, 18),
            date(2025, 12, 15),
            "4 weeks from Mon 17 Nov 2025",
            closes=date(2025, 12, 15),
        ),
        Window(
            date(2025, 12, 16),
            date(2026, 1, 12),
            "4 weeks from Mon 15 Dec 2025",
            closes=date(2026, 1, 12),
        ),
        Window(
            date(2026, 1, 13),
            date(2026, 2, 9),
            "4 weeks from Mon 12 Jan 2026",
            closes=date(2026, 2, 9),
        ),
        Window(
            date(2026, 2, 10),
            date(2026, 3, 9),
            "4 weeks from Mon 9 Feb 2026",
            closes=date(2026, 3, 9),
        ),
    ]


def test_missed_windows_run_on_to_the_calendars_end() -> None:
    # Continuing the chain above: 4 weeks from Mon 9 Mar 2026 is Easter Monday, 6 Apr, in the
    # holiday: due Fri 27 Mar. Then Fri 24 Apr, Fri 22 May, Fri 19 Jun, Fri 17 Jul; 4 weeks
    # from Fri 17 Jul is Fri 14 Aug, after the calendar's last day (Tue 21 Jul): on Tue 21 Jul
    # the last window shown is past, and the next cannot be dated.
    windows = rolling_windows(CAL, 4, NOV17, None, END, [])
    assert [w.due for w in windows] == [
        date(2025, 12, 15),
        date(2026, 1, 12),
        date(2026, 2, 9),
        date(2026, 3, 9),
        date(2026, 3, 27),
        date(2026, 4, 24),
        date(2026, 5, 22),
        date(2026, 6, 19),
        date(2026, 7, 17),
    ]
    assert windows[4].label == "4 weeks from Mon 9 Mar 2026"
    assert windows[5].label == "4 weeks from Fri 27 Mar 2026"


def test_a_review_after_as_of_does_not_carry_the_chain() -> None:
    # On Mon 5 Jan 2026 the first window (due Mon 15 Dec) is overdue and the second (due Mon 12
    # Jan, counted from the missed due date) is the current one; a review dated Wed 7 Jan has
    # not happened yet and changes nothing (the judge passes only what was done by as_of).
    expected = [
        Window(
            date(2025, 11, 18),
            date(2025, 12, 15),
            "4 weeks from Mon 17 Nov 2025",
            closes=date(2025, 12, 15),
        ),
        Window(
            date(2025, 12, 16),
            date(2026, 1, 12),
            "4 weeks from Mon 15 Dec 2025",
            closes=date(2026, 1, 12),
        ),
    ]
    assert rolling_windows(CAL, 4, NOV17, None, date(2026, 1, 5), [date(2026, 1, 7)]) == expected
    assert rolling_windows(CAL, 4, NOV17, None, date(2026, 1, 5), []) == expected


def test_a_review_on_the_start_day_does_not_open_the_chain() -> None:
    # A window opens the day after the date it counts from: a review on Mon 17 Nov itself counts
    # for no window, so the first is missed and the second counts from its due, Mon 15 Dec.
    windows = rolling_windows(CAL, 4, NOV17, None, date(2026, 1, 5), [NOV17])
    assert windows == [
        Window(
            date(2025, 11, 18),
            date(2025, 12, 15),
            "4 weeks from Mon 17 Nov 2025",
            closes=date(2025, 12, 15),
        ),
        Window(
            date(2025, 12, 16),
            date(2026, 1, 12),
            "4 weeks from Mon 15 Dec 2025",
            closes=date(2026, 1, 12),
        ),
    ]
    assert not any(w.counts(NOV17) for w in windows)


def test_a_rolling_due_in_a_holiday_rolls_back_to_the_last_school_day() -> None:
    # 2 weeks from Mon 8 Dec 2025 is Mon 22 Dec, in the Christmas holiday: due Fri 19 Dec. The
    # window stays open to Mon 22 Dec: a review in the holiday would be late, not missing.
    assert rolling_windows(CAL, 2, date(2025, 12, 8), None, date(2025, 12, 10), []) == [
        Window(
            date(2025, 12, 9),
            date(2025, 12, 19),
            "2 weeks from Mon 8 Dec 2025",
            closes=date(2025, 12, 22),
        )
    ]
    # 4 weeks from Fri 6 Mar 2026 is Good Friday, 3 Apr: due Fri 27 Mar.
    (w,) = rolling_windows(CAL, 4, date(2026, 3, 6), None, date(2026, 3, 9), [])
    assert w.due == date(2026, 3, 27)


def test_a_review_after_a_rolled_back_due_but_within_the_weeks_is_late_for_its_window() -> None:
    # 4 weeks from Fri 6 Mar 2026 is Good Friday, 3 Apr: due Fri 27 Mar. A review on Wed 1 Apr,
    # in the Easter holiday, is within the four weeks: it belongs to this window (late), and
    # the next counts from it (4 weeks on is Wed 29 Apr).
    first, second = rolling_windows(
        CAL, 4, date(2026, 3, 6), None, date(2026, 4, 20), [date(2026, 4, 1)]
    )
    assert (first.due, first.closes, first.counts(date(2026, 4, 1))) == (
        date(2026, 3, 27),
        date(2026, 4, 3),
        True,
    )
    assert (second.opens, second.due) == (date(2026, 4, 2), date(2026, 4, 29))


def test_a_calendar_ending_in_closures_ends_the_chain_quietly() -> None:
    # A one-half-term calendar whose last fortnight is closed: the weekly review after Fri 26
    # Sep has no school day left to fall on, so the chain stops there.
    closed = {date(2025, 9, d): "INSET" for d in (22, 23, 24, 25, 26, 29, 30)}
    closed |= {date(2025, 10, d): "INSET" for d in (1, 2, 3)}
    cal = SchoolCalendar.from_terms(
        [(date(2025, 9, 1), date(2025, 10, 3))], closed, name="Test", term_names=["autumn"]
    )
    windows = rolling_windows(cal, 1, date(2025, 9, 8), None, date(2025, 9, 30), [])
    assert [w.due for w in windows] == [date(2025, 9, 15), date(2025, 9, 19)]


def test_a_rolling_due_rolls_forward_when_no_school_day_lies_in_the_interval() -> None:
    # 1 week from Fri 19 Dec 2025 is Fri 26 Dec; no school day lies in Sat 20 - Fri 26 Dec, so
    # it is due on the first school day after: Tue 6 Jan 2026 (Mon 5 Jan is INSET).
    (w,) = rolling_windows(CAL, 1, date(2025, 12, 19), None, date(2025, 12, 22), [])
    assert (w.opens, w.due) == (date(2025, 12, 20), date(2026, 1, 6))
    assert "from Fri 19 Dec 2025" in w.label
    # 1 week from Fri 17 Oct 2025 is Fri 24 Oct, in half-term: Tue 28 Oct (Mon 27 Oct INSET).
    (w,) = rolling_windows(CAL, 1, date(2025, 10, 17), None, date(2025, 10, 20), [])
    assert w.due == date(2025, 10, 28)


def test_an_early_review_before_a_holiday_can_share_the_next_windows_due() -> None:
    # Documents the reading "within N weeks of the previous one, by the last school day on or
    # before that date": 4 weeks from Mon 24 Nov 2025 is Mon 22 Dec (holiday), due Fri 19 Dec;
    # done early on Mon 1 Dec, the next is due 4 weeks after it, Mon 29 Dec (holiday), so also
    # by Fri 19 Dec. Dues never decrease, but need not strictly increase. Nothing is done in
    # that second window (Tue 2 - Fri 19 Dec), so the third counts from its due date: 4 weeks
    # from Fri 19 Dec is Fri 16 Jan 2026, the current one on Mon 22 Dec.
    windows = rolling_windows(
        CAL, 4, date(2025, 11, 24), None, date(2025, 12, 22), [date(2025, 12, 1)]
    )
    assert [w.due for w in windows] == [date(2025, 12, 19), date(2025, 12, 19), date(2026, 1, 16)]
    assert [w.opens for w in windows] == [date(2025, 11, 25), date(2025, 12, 2), date(2025, 12, 20)]
    assert windows[2].label == "4 weeks from Fri 19 Dec 2025"


def test_until_before_a_rolling_windows_due_drops_it() -> None:
    # Every 4 weeks from Mon 17 Nov, done Fri 12 Dec; the duty ends Wed 7 Jan 2026, before the
    # second window's due (Fri 9 Jan).
    done = [date(2025, 12, 12)]
    assert rolling_windows(CAL, 4, NOV17, date(2026, 1, 7), date(2026, 2, 2), done) == [
        Window(
            date(2025, 11, 18),
            date(2025, 12, 15),
            "4 weeks from Mon 17 Nov 2025",
            closes=date(2025, 12, 15),
        )
    ]
    # Ending on the due day keeps the window.
    assert len(rolling_windows(CAL, 4, NOV17, date(2026, 1, 9), date(2026, 2, 2), done)) == 2


def test_until_compares_with_the_rolled_back_due() -> None:
    # 4 weeks from Fri 6 Mar 2026 reaches Fri 3 Apr but is due Fri 27 Mar: a duty ending Fri 27
    # Mar still needs it; one ending Thu 26 Mar does not.
    start = date(2026, 3, 6)
    assert len(rolling_windows(CAL, 4, start, date(2026, 3, 27), date(2026, 4, 20), [])) == 1
    assert rolling_windows(CAL, 4, start, date(2026, 3, 26), date(2026, 4, 20), []) == []


def test_rolling_windows_stop_at_the_calendars_end() -> None:
    # 4 weeks from Mon 6 Jul 2026 is Mon 3 Aug, after the calendar ends: no window is dated.
    assert rolling_windows(CAL, 4, date(2026, 7, 6), None, date(2026, 7, 10), []) == []


def test_rolling_windows_after_the_calendar_ends_raise_naming_the_date() -> None:
    with pytest.raises(CalendarError, match="2026-09-01") as err:
        rolling_windows(CAL, 4, NOV17, None, date(2026, 9, 1), [])
    assert "after 2026-07-21, the end of Example Borough Council 2025-26" in str(err.value)


def test_a_rolling_duty_ended_within_the_calendar_can_be_dated_after_it() -> None:
    # Ended Fri 20 Mar 2026, nothing done: every window due by then is missed (Mon 15 Dec, Mon
    # 12 Jan, Mon 9 Feb, Mon 9 Mar); the next, due Fri 27 Mar, is after the end.
    windows = rolling_windows(CAL, 4, NOV17, date(2026, 3, 20), date(2026, 9, 1), [])
    assert windows[0] == Window(
        date(2025, 11, 18),
        date(2025, 12, 15),
        "4 weeks from Mon 17 Nov 2025",
        closes=date(2025, 12, 15),
    )
    assert [(w.opens, w.due) for w in windows] == [
        (date(2025, 11, 18), date(2025, 12, 15)),
        (date(2025, 12, 16), date(2026, 1, 12)),
        (date(2026, 1, 13), date(2026, 2, 9)),
        (date(2026, 2, 10), date(2026, 3, 9)),
    ]


def test_last_school_day_on_or_before() -> None:
    assert last_school_day_on_or_before(CAL, date(2026, 1, 7)) == date(2026, 1, 7)
    assert last_school_day_on_or_before(CAL, date(2026, 1, 5)) == date(2025, 12, 19)
    assert last_school_day_on_or_before(CAL, date(2025, 11, 16)) == date(2025, 11, 14)


# --- properties ------------------------------------------------------------------------------

in_calendar = st.dates(min_value=CAL.first_day, max_value=CAL.last_day)


@settings(max_examples=150, deadline=None)
@given(
    cadence=st.sampled_from(("term", "half_term")),
    start=st.dates(min_value=date(2025, 8, 1), max_value=CAL.last_day),
    as_of=in_calendar,
    until=st.none() | in_calendar,
)
def test_fixed_windows_properties(
    cadence: Cadence, start: date, as_of: date, until: date | None
) -> None:
    windows = fixed_windows(CAL, cadence, start, until, as_of)
    for w in windows:
        assert CAL.is_school_day(w.due)
        assert w.opens <= w.due
        assert w.opens > start
        assert until is None or w.due <= until
    dues = [w.due for w in windows]
    assert dues == sorted(set(dues))  # strictly increasing
    assert all(d < as_of for d in dues[:-1])  # only the last may be on or after as_of


def _rolling_due(anchor: date, weeks: int) -> date:
    """The due date of an occurrence counted from `anchor`, by brute force over the calendar:
    the last school day in (anchor, anchor + N weeks], or the first school day after it."""
    reach = anchor + timedelta(weeks=weeks)
    days = [anchor + timedelta(days=i) for i in range(1, 7 * weeks + 1)]
    in_interval = [d for d in days if CAL.is_school_day(d)]
    if in_interval:
        return in_interval[-1]
    d = reach + timedelta(days=1)
    while not CAL.is_school_day(d):
        d += timedelta(days=1)
    return d


def _anchor_after(w: Window, done: list[date]) -> date:
    """What the window after `w` counts from: the last thing done in `w`, else its due date."""
    return max((d for d in done if w.counts(d)), default=w.due)


@settings(max_examples=200, deadline=None)
@given(
    weeks=st.integers(min_value=1, max_value=10),
    start=in_calendar,
    as_of=in_calendar,
    until=st.none() | in_calendar,
    done=st.lists(in_calendar, max_size=12),
)
def test_rolling_windows_properties(
    weeks: int, start: date, as_of: date, until: date | None, done: list[date]
) -> None:
    windows = rolling_windows(CAL, weeks, start, until, as_of, done)
    every = "1 week" if weeks == 1 else f"{weeks} weeks"
    past = [d for d in done if d <= as_of]  # what is still to come moves nothing
    anchors = [start, *(_anchor_after(w, past) for w in windows)]
    for w, anchor in zip(windows, anchors[:-1], strict=True):
        assert CAL.is_school_day(w.due)
        # A window closes N weeks on, or at its due when that was rolled forward past them.
        assert w.closes == max(w.due, anchor + timedelta(weeks=weeks))
        assert w.opens == anchor + timedelta(days=1)  # the day after what it counts from
        assert w.label == f"{every} from {day(anchor)}"
        assert w.due == _rolling_due(anchor, weeks)
        assert w.opens <= w.due  # a window never opens after its due
        assert w.due <= w.opens - timedelta(days=1) + timedelta(weeks=weeks) or not any(
            CAL.is_school_day(w.opens + timedelta(days=i)) for i in range(7 * weeks)
        )
        assert until is None or w.due <= until
        assert w.due <= CAL.last_day
    opens = [w.opens for w in windows]
    dues = [w.due for w in windows]
    assert opens == sorted(set(opens))  # each window opens after the one before
    assert dues == sorted(dues)  # dues never go back
    assert all(d < as_of for d in dues[:-1])  # only the last may be on or after as_of
    # No gap: every day from the start to the last due is in some window.
    assert all(b.opens <= a.closes + timedelta(days=1) for a, b in pairwise(windows))
    # Nothing done counts for two windows.
    for d in past:
        assert sum(w.counts(d) for w in windows) <= 1
    # The chain reaches the first due on or after as_of, unless the next occurrence would
    # reach beyond the calendar or fall due after `until`.
    if not windows or windows[-1].due < as_of:
        anchor = anchors[-1]
        beyond = anchor + timedelta(weeks=weeks) > CAL.last_day
        assert beyond or (until is not None and _rolling_due(anchor, weeks) > until)
    # What was done after as_of changes nothing.
    assert rolling_windows(CAL, weeks, start, until, as_of, past) == windows


@settings(max_examples=150, deadline=None)
@given(weeks=st.integers(min_value=1, max_value=10), start=in_calendar, as_of=in_calendar)
def test_a_review_held_on_its_due_day_moves_the_chain_as_a_missed_one_does(
    weeks: int, start: date, as_of: date
) -> None:
    # With nothing done, each window counts from the previous one's due date; a review held on
    # each due day gives the same windows. Only a review held early in its window can give the
    # next window the same due (see the example above): here dues strictly increase.
    missed = rolling_windows(CAL, weeks, start, None, as_of, [])
    on_due_days = [w.due for w in missed if w.due <= as_of]
    assert rolling_windows(CAL, weeks, start, None, as_of, on_due_days) == missed
    dues = [w.due for w in missed]
    assert dues == sorted(set(dues))
    assert all(b.opens == a.due + timedelta(days=1) for a, b in pairwise(missed))
