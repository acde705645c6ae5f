"""Properties of suspensions recorded in sessions (half days) and of lunchtime exclusions
(issue 17, point 2), on the example calendar: whole days and sessions agree, a later first
session never brings the sixth day forward, lunchtimes never touch a period, and the 45-day
limit counts half days.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from typing import Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apcompliance import Assessment, Case, Evaluator, PolicySettings
from apcompliance.errors import CaseError
from apcompliance.evaluation.derive import derive
from apcompliance.language.rulebook import load_rulebook
from tests.conftest import RULES_DIR
from tests.scenarios import suspension, suspension_in_sessions
from tests.test_sixth_day_properties import (
    CAL,
    SCHOOL_DAYS,
    STARTS,
    case,
    extras,
    findings_of,
    provisions,
    work,
)

PROPS = settings(max_examples=60, deadline=None)
SIXTH = "I.1-sixth-day-provision"
SECTION_I = frozenset(
    {
        SIXTH,
        "I.1-looked-after-first-day",
        "I.7-work-set",
        "I.7-work-marked",
        "I.8-final-year-exemption",
        "I.law-45-day-limit",
        "I.law-tell-local-authority-of-suspension",
    }
)

starts = st.sampled_from(STARTS)
offsets = st.integers(min_value=-10, max_value=60)


@cache
def section_i_and_the_law() -> Evaluator:
    """The rules of section I with the statutory duties beside it (the 45-day limit)."""
    return Evaluator(load_rulebook(sorted(RULES_DIR.glob("I-*.yaml"))))


Reading = Literal["school_days", "sessions"]


def assess(c: Case, as_of: date, five_days_counted_in: Reading = "school_days") -> Assessment:
    return section_i_and_the_law().evaluate(
        c,
        as_of=as_of,
        calendar=CAL,
        settings=PolicySettings(five_days_counted_in=five_days_counted_in),
    )


def sixth_days(a: Assessment) -> list[date]:
    return [f.due for f in a.findings if f.rule_id == SIXTH]  # type: ignore[misc]


@PROPS
@given(data=st.data(), start=starts, days=st.integers(1, 15), offset=offsets)
def test_n_whole_days_are_2n_sessions_from_the_morning(
    data: st.DataObject, start: date, days: int, offset: int
) -> None:
    as_of = start + timedelta(days=offset)
    events, placements, pupil = data.draw(extras(start, days))
    placements += data.draw(provisions(start, days, prefix="MORE"))
    events += data.draw(work(start, days))
    first = data.draw(st.sampled_from([None, "AM"]))
    whole = assess(case([suspension("S-1", start, days), *events], placements, **pupil), as_of)
    halves = assess(
        case([suspension_in_sessions("S-1", start, 2 * days, first), *events], placements, **pupil),
        as_of,
    )
    assert findings_of(halves, SECTION_I) == findings_of(whole, SECTION_I)


@PROPS
@given(start=starts, sessions=st.integers(1, 30), offset=offsets)
def test_a_later_first_session_never_gives_an_earlier_sixth_day(
    start: date, sessions: int, offset: int
) -> None:
    as_of = start + timedelta(days=offset)
    sixth = SCHOOL_DAYS[SCHOOL_DAYS.index(start) + 5]
    readings: tuple[Reading, ...] = ("school_days", "sessions")
    for name in readings:
        am = case([suspension_in_sessions("S-1", start, sessions, "AM")], [])
        pm = case([suspension_in_sessions("S-1", start, sessions, "PM")], [])
        morning, afternoon = (
            sixth_days(assess(am, as_of, name)),
            sixth_days(assess(pm, as_of, name)),
        )
        # the sixth school day is counted from the first day, a part first day being day 1
        assert set(morning) | set(afternoon) <= {sixth}
        # an afternoon start never loses the duty a morning start has, nor brings it forward
        assert len(afternoon) >= len(morning)
        assert all(b >= a for a, b in zip(morning, afternoon, strict=False))


@PROPS
@given(start=starts, sessions=st.integers(1, 30), pm=st.booleans(), offset=offsets)
def test_the_duty_arises_as_the_reading_counts_more_than_five_school_days(
    start: date, sessions: int, pm: bool, offset: int
) -> None:
    as_of = start + timedelta(days=offset)
    c = case([suspension_in_sessions("S-1", start, sessions, "PM" if pm else "AM")], [])
    touched = (pm + sessions + 1) // 2  # the school days the sessions touch
    assert bool(sixth_days(assess(c, as_of, "school_days"))) == (touched > 5)
    assert bool(sixth_days(assess(c, as_of, "sessions"))) == (sessions > 10)


@PROPS
@given(
    data=st.data(),
    start=starts,
    days=st.integers(1, 15),
    offset=offsets,
)
def test_lunchtime_exclusions_never_change_the_periods_findings(
    data: st.DataObject, start: date, days: int, offset: int
) -> None:
    as_of = start + timedelta(days=offset)
    events, placements, pupil = data.draw(extras(start, days))
    base = [suspension("S-1", start, days), *events]
    i = SCHOOL_DAYS.index(start)
    lunchtimes = [
        {
            "kind": "lunchtime_exclusion",
            "id": f"LUN-{k}",
            "first_day": SCHOOL_DAYS[i + data.draw(st.integers(-5, days + 5))],
            "lunchtimes": data.draw(st.integers(1, 5)),
        }
        for k in range(1, data.draw(st.integers(1, 3)) + 1)
    ]
    before = assess(case(base, placements, **pupil), as_of)
    after = assess(case([*base, *lunchtimes], placements, **pupil), as_of)
    periods = SECTION_I - {"I.law-45-day-limit"}
    assert findings_of(after, periods) == findings_of(before, periods)


@PROPS
@given(days=st.integers(40, 45), lunchtimes=st.integers(1, 15), as_late=st.booleans())
def test_the_limit_counts_a_lunchtime_as_half_a_day(
    days: int, lunchtimes: int, as_late: bool
) -> None:
    first = SCHOOL_DAYS[0]
    after = SCHOOL_DAYS[days]  # the school day after the suspension's last
    events = [
        suspension("S-1", first, days),
        {
            "kind": "lunchtime_exclusion",
            "id": "LUN-1",
            "first_day": after,
            "lunchtimes": lunchtimes,
        },
    ]
    as_of = SCHOOL_DAYS[days + 20] if as_late else first
    found = [
        f for f in assess(case(events, []), as_of).findings if f.rule_id.startswith("I.law-45")
    ]
    half_days = 2 * days + lunchtimes
    if half_days <= 90:
        assert found == []
    else:
        (f,) = found
        assert (f.rule_id, f.subject) == (
            "I.law-45-day-limit-lunchtime",
            "lunchtime_exclusion LUN-1",
        )
        assert f.due == SCHOOL_DAYS[days + (91 - 2 * days) - 1]  # the lunchtime of the 91st
        assert f.status == ("breached" if as_late else "at_risk")


def test_a_lunchtime_exclusion_on_a_day_without_school_names_the_event() -> None:
    saturday = {"kind": "lunchtime_exclusion", "id": "LUN-1", "first_day": date(2025, 11, 8)}
    with pytest.raises(
        CaseError, match=r"lunchtime exclusion LUN-1: first_day 2025-11-08 .*weekend"
    ):
        assess(case([saturday], []), date(2025, 11, 10))


def test_sessions_past_the_calendar_leave_the_period_open() -> None:
    last = SCHOOL_DAYS[-1]  # Tue 21 Jul 2026: its afternoon, then 8 sessions past the end
    facts = derive(
        case([suspension_in_sessions("S-1", last, 9, "PM")], []), CAL, PolicySettings(), as_of=last
    )
    (exclusion,) = [f for f in facts if f.type_name == "exclusion"]
    assert (exclusion.last_day, exclusion.sessions, exclusion.school_days) == (None, 9, 5)
    assert exclusion.ends_at_lunchtime is None  # not known: it runs on past the calendar
