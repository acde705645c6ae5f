"""Properties of the recurring duties, evaluated end to end (derive, engine, judge) on the
example calendar "Example Borough Council 2025-26":

* G.2.5-half-termly-review: a review in each half-term (the start's when half of it is left);
* G.4.i-visits: a visit within a month (month_means) or ten sessions, whichever comes first;
* O.4-weekly-attendance-records: an update in each school week, the start's included;
* N.3-termly-provider-report: a report each term (termly_means; the start's when half is left).

Placements are school-commissioned, start on a school day, may end on or after it, and have 1-10
sessions a week; reviews, visits, updates and reports fall on school days anywhere in the year;
the evaluation date is any day of the calendar.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from apcompliance import Assessment, Case, Finding, PolicySettings
from apcompliance.evaluation.cadence import (
    MonthReading,
    last_school_day_on_or_before,
    month_step,
    sessions_step,
    timetabled_step,
)
from apcompliance.facts import WeeklyTimetable
from apcompliance.results.findings import VIOLATION_STATUSES
from tests import scenarios
from tests.scenarios import CAL

SCHOOL_DAYS: tuple[date, ...] = (*CAL.school_days(CAL.first_day, CAL.last_day), CAL.last_day)
PROPS = settings(max_examples=60, deadline=None)

HALF_TERMLY = "G.2.5-half-termly-review"
VISITS = "G.4.i-visits"
WEEKLY = "O.4-weekly-attendance-records"
TERMLY = "N.3-termly-provider-report"
RECURRING = (HALF_TERMLY, VISITS, WEEKLY, TERMLY)
SECTIONS = ("G", "N", "O")
KIND_FOR = {
    HALF_TERMLY: "placement_review",
    VISITS: "visit",
    WEEKLY: "attendance_update",
    TERMLY: "provider_report",
}
BAD = VIOLATION_STATUSES | {"missed"}
"""Violations, and a recommendation (G.4.i) not followed."""


# --- the calendar's blocks --------------------------------------------------------------------

Block = tuple[date, date]


def _weeks() -> list[Block]:
    """Each Monday-Sunday week that has a school day (clipped to the calendar)."""
    mondays = sorted({d - timedelta(days=d.weekday()) for d in SCHOOL_DAYS})
    return [(max(m, CAL.first_day), min(m + timedelta(days=6), CAL.last_day)) for m in mondays]


WEEKS = _weeks()
HALF_TERMS = [(h.first_day, h.last_day) for h in CAL.half_terms]
TERMS = [(t.first_day, t.last_day) for t in CAL.terms()]


def _school_days_in(first: date, last: date) -> list[date]:
    return [d for d in SCHOOL_DAYS if first <= d <= last]


def _block_of(blocks: list[Block], d: date) -> int:
    (i,) = [i for i, (first, last) in enumerate(blocks) if first <= d <= last]
    return i


def _block_due(block: Block) -> date:
    return last_school_day_on_or_before(CAL, block[1])


# --- building cases ---------------------------------------------------------------------------


@st.composite
def placements(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(st.sampled_from(SCHOOL_DAYS))
    out: dict[str, Any] = {
        "id": "PL-1",
        "kind": "other",
        "provider_id": "PRV-1",
        "start_date": start,
        "full_time": False,
    }
    # The sessions: a weekly timetable, or so many a week spread evenly (assumed).
    if draw(st.booleans()):
        out["sessions_per_week"] = draw(st.integers(min_value=1, max_value=10))
    else:
        days = draw(st.tuples(*(SESSIONS for _ in WEEK)).filter(any))
        out["timetable"] = {d: list(s) for d, s in zip(WEEK, days, strict=True) if s}
    end = draw(st.none() | st.dates(min_value=start, max_value=CAL.last_day))
    if end is not None:
        out["end_date"] = end
    return out


def event(kind: str, n: int, on: date) -> dict[str, Any]:
    """A review, visit, attendance update or provider report of PL-1 on `on`."""
    common = {"kind": kind, "id": f"EV-{n}", "placement_id": "PL-1"}
    if kind == "placement_review":
        return common | {"held_on": on}
    if kind == "visit":
        return common | {"visited_on": on}
    if kind == "attendance_update":
        return common | {"updated_on": on, "attendance_percent": 96.0}
    return common | {"received_on": on, "covers": ["progress", "behaviour", "welfare"]}


def event_day(e: dict[str, Any]) -> date:
    (on,) = [v for k, v in e.items() if k.endswith("_on")]
    assert isinstance(on, date)
    return on


SESSIONS = st.lists(st.sampled_from(("AM", "PM")), unique=True)
WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday")


def timetable_of(pl: dict[str, Any]) -> WeeklyTimetable | None:
    got = pl.get("timetable")
    return None if got is None else WeeklyTimetable(**{d: tuple(s) for d, s in got.items()})


events = st.lists(
    st.tuples(st.sampled_from(tuple(KIND_FOR.values())), st.sampled_from(SCHOOL_DAYS)),
    max_size=14,
).map(lambda drawn: [event(kind, n, on) for n, (kind, on) in enumerate(drawn)])

readings = st.builds(
    PolicySettings,
    termly_means=st.sampled_from(("term", "half_term")),
    month_means=st.sampled_from(("rolling", "calendar")),
)
in_calendar = st.dates(min_value=CAL.first_day, max_value=CAL.last_day)


PROVIDER = {"id": "PRV-1", "name": "Made-Up Vocational Centre", "kind": "unregistered"}


def case(pl: dict[str, Any], evs: list[dict[str, Any]]) -> Case:
    return scenarios.case(*evs, placements=[pl], providers=[PROVIDER], case_id="PROP-REC")


def assess(c: Case, as_of: date, s: PolicySettings) -> Assessment:
    return scenarios.assess(c, as_of, *SECTIONS, settings=s)


def of(a: Assessment, rule_id: str) -> list[Finding]:
    return [f for f in a.findings if f.rule_id == rule_id]


def due_of(f: Finding) -> date:
    assert isinstance(f.due, date)
    return f.due


def anchor_of(f: Finding) -> date:
    """What a visit window counts from: its period is "<interval> from Mon 17 Nov 2025" (after
    a visit on the first day, with " (counted after the first day)")."""
    anchor = str(f.period).split(" from ")[1].removesuffix(" (counted after the first day)")
    return datetime.strptime(anchor, "%a %d %b %Y").date()


# --- (b): the cadence, rule by rule -----------------------------------------------------------


def check_fixed(
    fs: list[Finding],
    blocks: list[Block],
    start: date,
    end: date | None,
    as_of: date,
    *,
    half: bool,
) -> None:
    """One window per block, each due on its block's last school day, in consecutive blocks
    from the start's (or, when `half` and less than half of it is left, the next), up to the
    first due on or after as_of. A last block cut short by the end is a window, due by the
    end's last school day, when the placement ran at least half of it; otherwise dropped."""

    def ran_half(i: int) -> bool:
        assert end is not None
        ran = len(_school_days_in(max(start, blocks[i][0]), min(end, blocks[i][1])))
        return 2 * ran >= len(_school_days_in(*blocks[i]))

    dues = [due_of(f) for f in fs]
    indices = [_block_of(blocks, d) for d in dues]
    for k, (d, i) in enumerate(zip(dues, indices, strict=True)):
        if end is not None and end < _block_due(blocks[i]):
            assert k == len(dues) - 1 and ran_half(i)  # only the last may be cut short
            assert d == last_school_day_on_or_before(CAL, end)
        else:
            assert d == _block_due(blocks[i])
    assert all(j == i + 1 for i, j in pairwise(indices)), indices  # no block without a window
    own = _block_of(blocks, start)
    left = len(_school_days_in(max(start, blocks[own][0]), blocks[own][1]))
    total = len(_school_days_in(*blocks[own]))
    first = own if not half or 2 * left >= total else own + 1
    following = (indices[-1] + 1) if indices else first
    if indices:
        assert indices[0] == first
    if not dues or dues[-1] < as_of:
        # The next block is beyond the calendar, or the placement ended: with this window cut
        # short, or before the next block's due having run less than half of it.
        cut = bool(dues) and end is not None and end < _block_due(blocks[indices[-1]])
        assert (
            following >= len(blocks)
            or cut
            or (
                end is not None
                and _block_due(blocks[following]) > end
                and (end < blocks[following][0] or not ran_half(following))
            )
        )
    assert all(d < as_of for d in dues[:-1])


def _visit_reach(
    anchor: date,
    opens: date,
    per_week: int | None,
    timetable: WeeklyTimetable | None,
    reading: MonthReading,
) -> date:
    """A month (`reading`) after `anchor` or ten sessions counted from `opens` (the first
    day's counted), whichever comes first."""
    by_month = month_step(anchor, 1, reading)
    if timetable is not None:
        by_sessions = timetabled_step(CAL, opens, 10, timetable.sessions_on, by_month)
    else:
        assert per_week is not None
        by_sessions = sessions_step(CAL, opens, 10, per_week)
    return by_month if by_sessions is None else min(by_month, by_sessions)


def check_visits(
    fs: list[Finding],
    start: date,
    end: date | None,
    per_week: int | None,
    timetable: WeeklyTimetable | None,
    visited: list[date],
    as_of: date,
    reading: MonthReading,
) -> None:
    """Each visit due by a month (or ten sessions, whichever is first) after what its window
    counts from, rolled back to a school day; the first counts from the start, each next from
    the last visit in the previous window (done by as_of; a window stays open to the month's or
    sessions' end when its due was rolled back) or from its missed due."""
    anchor, opens = start, start  # the first window opens on the start
    for f in fs:
        assert anchor_of(f) == anchor
        reach = _visit_reach(anchor, opens, per_week, timetable, reading)
        assert opens <= due_of(f) == last_school_day_on_or_before(CAL, reach) <= reach
        closes = max(due_of(f), reach)
        in_window = [d for d in visited if opens <= d <= closes and d <= as_of]
        anchor = max(in_window, default=due_of(f))
        opens = anchor + timedelta(days=1)
    assert all(due_of(f) < as_of for f in fs[:-1])
    if not fs or due_of(fs[-1]) < as_of:
        # The next visit would be due beyond the calendar, or after the placement's end.
        reach = _visit_reach(anchor, opens, per_week, timetable, reading)
        assert reach > CAL.last_day or (
            end is not None and last_school_day_on_or_before(CAL, reach) > end
        )


@PROPS
@given(pl=placements(), evs=events, as_of=in_calendar, s=readings)
@example(  # two visit windows due on one day (a month from each is in the Christmas holiday)
    pl={"id": "PL-1", "kind": "other", "provider_id": "PRV-1", "start_date": date(2025, 11, 19),
        "full_time": False, "sessions_per_week": 1},
    evs=[event("visit", 0, date(2025, 11, 20))],
    as_of=date(2026, 1, 1),
    s=PolicySettings(month_means="rolling"),
)  # fmt: skip
@example(  # a visit on the first day meets the first window; the next counts after it
    pl={"id": "PL-1", "kind": "other", "provider_id": "PRV-1", "start_date": date(2025, 9, 3),
        "full_time": False, "sessions_per_week": 1},
    evs=[event("visit", 0, date(2025, 9, 3))],
    as_of=date(2026, 1, 1),
    s=PolicySettings(month_means="rolling"),
)  # fmt: skip
def test_recurring_dues_are_school_days_within_the_placement_without_gaps(
    pl: dict[str, Any], evs: list[dict[str, Any]], as_of: date, s: PolicySettings
) -> None:
    start: date = pl["start_date"]
    end: date | None = pl.get("end_date")
    a = assess(case(pl, evs), as_of, s)
    for rule_id in RECURRING:
        fs = of(a, rule_id)
        dues = [due_of(f) for f in fs]
        # (a) every due is a school day within the placement
        for d in dues:
            assert CAL.is_school_day(d)
            assert start <= d
            assert end is None or d <= end
        if rule_id == VISITS:
            # A rolling chain's dues never go back; two may fall on one day when both are
            # rolled back out of a holiday (a visit early in the window before it).
            assert dues == sorted(dues)
        else:
            assert dues == sorted(set(dues))
        assert len({f.period for f in fs}) == len(fs)  # one finding per window
    # (b) no gap longer than the cadence allows
    check_fixed(of(a, WEEKLY), WEEKS, start, end, as_of, half=False)
    check_fixed(of(a, HALF_TERMLY), HALF_TERMS, start, end, as_of, half=True)
    termly = TERMS if s.termly_means == "term" else HALF_TERMS
    check_fixed(of(a, TERMLY), termly, start, end, as_of, half=True)
    visited = [event_day(e) for e in evs if e["kind"] == "visit"]
    check_visits(
        of(a, VISITS),
        start,
        end,
        pl.get("sessions_per_week"),
        timetable_of(pl),
        visited,
        as_of,
        s.month_means,
    )


# --- (c): doing more never adds a violation ---------------------------------------------------


def bad(a: Assessment, rule_id: str) -> list[Finding]:
    return [f for f in of(a, rule_id) if f.status in BAD]


@PROPS
@given(
    pl=placements(),
    evs=events,
    as_of=in_calendar,
    s=readings,
    extra=st.lists(st.integers(min_value=0, max_value=400), min_size=4, max_size=4),
)
def test_one_more_review_visit_update_or_report_never_adds_a_violation(
    pl: dict[str, Any], evs: list[dict[str, Any]], as_of: date, s: PolicySettings, extra: list[int]
) -> None:
    # One more of each kind, on a school day within the placement.
    last = pl.get("end_date", CAL.last_day)
    within = _school_days_in(pl["start_date"], last)
    added = [
        event(kind, 100 + n, within[k % len(within)])
        for n, (kind, k) in enumerate(zip(KIND_FOR.values(), extra, strict=True))
    ]
    before = assess(case(pl, evs), as_of, s)
    after = assess(case(pl, [*evs, *added]), as_of, s)
    for rule_id in (HALF_TERMLY, WEEKLY, TERMLY):  # fixed windows: compared window by window
        assert {f.period for f in bad(after, rule_id)} <= {f.period for f in bad(before, rule_id)}
    # A visit moves the rolling chain (and so the periods); the number missed never grows.
    assert len(bad(after, VISITS)) <= len(bad(before, VISITS))


# --- (d): time alone never mends a missed window ----------------------------------------------


@PROPS
@given(
    pl=placements(),
    evs=events,
    as_of=in_calendar,
    later=st.integers(min_value=1, max_value=120),
    s=readings,
)
def test_a_later_evaluation_date_never_turns_an_overdue_window_into_a_met_one(
    pl: dict[str, Any], evs: list[dict[str, Any]], as_of: date, later: int, s: PolicySettings
) -> None:
    as_of_later = min(as_of + timedelta(days=later), CAL.last_day)
    # Nothing happens between the two dates (what is planned for after both may stay).
    kept = [e for e in evs if not as_of < event_day(e) <= as_of_later]
    c = case(pl, kept)
    first, second = assess(c, as_of, s), assess(c, as_of_later, s)
    for rule_id in RECURRING:
        then = {(f.period, f.due): f.status for f in of(first, rule_id)}
        now = {(f.period, f.due): f.status for f in of(second, rule_id)}
        for window, status in then.items():
            if status in BAD:
                assert now.get(window) == status, (rule_id, window, status, now.get(window))
