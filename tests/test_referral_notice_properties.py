"""Properties of the referral-notice deadline of an off-site direction (policy H.2, H.3.i) on
the example calendar.

The notice is due `school_days_before: 2` of the placement's start: on the clear-days reading
(the default) the 3rd school day before the start, on the plain reading the 2nd. Start dates
are school days of the example calendar with at least four school days before them, so both
deadlines, and the school day before them, lie inside the calendar.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from apcompliance import Assessment, Case, Finding, PolicySettings
from tests import scenarios
from tests.scenarios import CAL, SINGLE_SESSION, TWO_SESSIONS

NOTICE_RULES = frozenset(
    {
        "H.2-notice-to-parents",
        "H.2-notice-to-adult-pupil",
        "H.2.i-notice-address",
        "H.2.ii-notice-report-to",
        "H.2.iv-notice-number-of-days",
        "H.2.v-notice-reasons-and-objectives",
        "H.2.vi-notice-session-times",
        "H.3.i-information-to-parents",
        "H.3.i-information-to-local-authority",
    }
)
PROPS = settings(max_examples=60, deadline=None)
CLEAR = PolicySettings()
PLAIN = PolicySettings(referral_notice_clear_days=False)
READINGS = {True: CLEAR, False: PLAIN}
COMPLIANT = frozenset({"met", "scheduled"})
PUPIL = {"date_of_birth": date(2007, 9, 1), "year_group": 11, "ehc_plan": True}
"""Every rule fires: 18 by Sep 2025, in Year 11 (two years older than usual)."""

_DAYS = (CAL.last_day - CAL.first_day).days + 1
SCHOOL_DAYS: tuple[date, ...] = tuple(
    d for d in (CAL.first_day + timedelta(days=i) for i in range(_DAYS)) if CAL.is_school_day(d)
)
STARTS = SCHOOL_DAYS[4:]  # at least four school days before each

ITEMS: dict[str, Any] = {
    "start_date": date(2025, 9, 1),  # the value is not checked, only that it is given
    "provision_address": "Alder House, 3 Weir Street, Riverside RV5 1EF",
    "report_to": "Ms Thorne, Head of Centre",
    "number_of_days": 20,
    "reasons": "Persistent defiance of staff after a pastoral support programme.",
    "objectives": "Rebuild routines and return to lessons within the half-term.",
    "session_times": TWO_SESSIONS,
    "review_arrangements": "Fortnightly review calls with the parents.",
}
RECIPIENTS = ("parents", "pupil", "local_authority")

starts = st.sampled_from(STARTS)
clear_days = st.booleans()
times_of_day = st.times(min_value=time(6, 0), max_value=time(23, 59))


# --- building cases ---------------------------------------------------------------------------


def direction(start: date, id: str = "OSD-1") -> dict[str, Any]:
    return {
        "id": id,
        "kind": "off_site_direction",
        "start_date": start,
        "arranged_on": start - timedelta(days=21),
        "full_time": True,
        "session_times": TWO_SESSIONS,
    }


def full_notice(id: str, sent_at: datetime, placement: str = "OSD-1") -> dict[str, Any]:
    """A written notice giving every item, to the parents, the pupil and the authority."""
    return {
        "kind": "referral_notice",
        "id": id,
        "placement_id": placement,
        "sent_at": sent_at,
        "method": "email",
        "recipients": list(RECIPIENTS),
        **ITEMS,
    }


def case(events: list[dict[str, Any]], placements: list[dict[str, Any]]) -> Case:
    return scenarios.case(*events, placements=placements, case_id="PROP-H", **PUPIL)


def assess(c: Case, as_of: date, clear: bool) -> Assessment:
    return scenarios.assess(c, as_of, "H", settings=READINGS[clear])


def notice_findings(a: Assessment) -> dict[tuple[str, str], Finding]:
    found = {(f.rule_id, f.subject): f for f in a.findings if f.rule_id in NOTICE_RULES}
    assert len(found) == sum(1 for f in a.findings if f.rule_id in NOTICE_RULES)
    return found


def due(a: Assessment) -> date:
    """The one deadline all nine notice rules of OSD-1 share."""
    dues = {f.due for f in a.findings if f.rule_id in NOTICE_RULES}
    assert len(dues) == 1, dues
    (d,) = dues
    assert isinstance(d, date)
    return d


def sent(start: date, days_before: int, at: time) -> datetime:
    """`days_before` calendar days before `start` (after it, when negative), at `at`; never
    after the calendar ends, where no school day can be counted."""
    return datetime.combine(min(start - timedelta(days=days_before), CAL.last_day), at)


# --- (a) the deadline is a school day before the start ----------------------------------------


@PROPS
@given(start=starts, clear=clear_days)
def test_the_deadline_is_a_school_day_before_the_start(start: date, clear: bool) -> None:
    a = assess(case([], [direction(start)]), start, clear)
    assert {f.rule_id for f in a.findings} >= NOTICE_RULES
    d = due(a)
    assert d < start
    assert CAL.is_school_day(d)
    # Clear days: the deadline and two whole school days before the start; plain: two.
    assert CAL.school_days_between(d, start) == (3 if clear else 2)


# --- (b) a later start never makes a compliant notice late -------------------------------------


@PROPS
@given(
    start=starts,
    later_by=st.integers(min_value=1, max_value=15),
    days_before=st.integers(min_value=-2, max_value=14),
    at=times_of_day,
    clear=clear_days,
)
def test_moving_the_start_later_never_makes_a_compliant_notice_late(
    start: date, later_by: int, days_before: int, at: time, clear: bool
) -> None:
    i = SCHOOL_DAYS.index(start)
    later = SCHOOL_DAYS[min(i + later_by, len(SCHOOL_DAYS) - 1)]
    notice = full_notice("REF-1", sent(start, days_before, at))
    as_of = later + timedelta(days=1)
    before = notice_findings(assess(case([notice], [direction(start)]), as_of, clear))
    after = notice_findings(assess(case([notice], [direction(later)]), as_of, clear))
    assert before.keys() == after.keys()
    for key, f in before.items():
        assert isinstance(f.due, date) and isinstance(after[key].due, date)
        assert after[key].due >= f.due
        if f.status in COMPLIANT:
            assert after[key].status in COMPLIANT, (key, f.status, after[key].status)


# --- (c) the clear-days reading is never more lenient than the plain one ----------------------


@PROPS
@given(
    start=starts,
    days_before=st.integers(min_value=-2, max_value=14),
    at=times_of_day,
    as_of_offset=st.integers(min_value=-10, max_value=5),
)
def test_clear_days_is_never_more_lenient_than_the_plain_reading(
    start: date, days_before: int, at: time, as_of_offset: int
) -> None:
    c = case([full_notice("REF-1", sent(start, days_before, at))], [direction(start)])
    as_of = start + timedelta(days=as_of_offset)
    clear = notice_findings(assess(c, as_of, True))
    plain = notice_findings(assess(c, as_of, False))
    assert clear.keys() == plain.keys()
    clear_due, plain_due = due(assess(c, as_of, True)), due(assess(c, as_of, False))
    assert clear_due < plain_due
    assert CAL.next_school_day(clear_due) == plain_due  # exactly one school day earlier
    for key, f in clear.items():
        if f.status in COMPLIANT:
            assert plain[key].status in COMPLIANT, (key, f.status, plain[key].status)


@PROPS
@given(start=starts, days_before=st.integers(min_value=1, max_value=14), at=times_of_day)
def test_a_notice_sent_on_a_non_school_day_is_judged_alike_on_both_readings(
    start: date, days_before: int, at: time
) -> None:
    # A non-school day never counts itself, so "two school days before" and "two clear school
    # days before" ask the same of it (judged well after the start, when nothing is to come).
    when = sent(start, days_before, at)
    if CAL.covers(when.date()) and CAL.is_school_day(when.date()):
        when = datetime.combine(_non_school_day_before(when.date()), at)
    c = case([full_notice("REF-1", when)], [direction(start)])
    as_of = start + timedelta(days=7)
    clear = notice_findings(assess(c, as_of, True))
    plain = notice_findings(assess(c, as_of, False))
    assert {k: f.status in COMPLIANT for k, f in clear.items()} == {
        k: f.status in COMPLIANT for k, f in plain.items()
    }


def _non_school_day_before(d: date) -> date:
    while CAL.covers(d) and CAL.is_school_day(d):
        d -= timedelta(days=1)
    return d


# --- (d) the order of the events does not matter ----------------------------------------------

PARTIAL_ITEMS = st.lists(st.sampled_from(sorted(ITEMS)), unique=True, max_size=len(ITEMS))


@st.composite
def notice_events(draw: st.DrawFn, start: date, second_start: date) -> list[dict[str, Any]]:
    """Two to four notices about either direction (any method, recipients, items and day), and
    up to two initial meetings and two records of the parents' agreement about OSD-1."""
    out: list[dict[str, Any]] = []
    for k in range(draw(st.integers(min_value=0, max_value=2))):
        out.append(
            {
                "kind": "direction_meeting",
                "id": f"MTG-{k + 1}",
                "placement_id": "OSD-1",
                "held_on": start - timedelta(days=draw(st.integers(0, 14))),
                "pupil_invited": True,
                "parents_invited": draw(st.booleans()),
                "reasons_explained": draw(st.booleans()),
                "not_an_exclusion_explained": draw(st.booleans()),
                "support_responsibilities_set": True,
                "agreement_review_timescales_set": draw(st.booleans()),
                "review_interval_weeks": draw(st.sampled_from([2, 4, 6])),
            }
        )
    for k in range(draw(st.integers(min_value=0, max_value=2))):
        out.append(
            {
                "kind": "parental_agreement",
                "id": f"AGR-{k + 1}",
                "placement_id": "OSD-1",
                "recorded_on": start - timedelta(days=draw(st.integers(0, 14))),
                "outcome": draw(st.sampled_from(["agreed", "refused", "not_possible"])),
            }
        )
    for k in range(draw(st.integers(min_value=2, max_value=4))):
        placement = draw(st.sampled_from(["OSD-1", "OSD-2"]))
        base = start if placement == "OSD-1" else second_start
        items = draw(PARTIAL_ITEMS)
        notice: dict[str, Any] = {
            "kind": "referral_notice",
            "id": f"REF-{k + 1}",
            "placement_id": placement,
            "sent_at": sent(base, draw(st.integers(-1, 12)), draw(times_of_day)),
            "method": draw(st.sampled_from(["letter", "email", "phone", "text_message"])),
            "recipients": draw(
                st.lists(st.sampled_from(RECIPIENTS), unique=True, min_size=1, max_size=3)
            ),
            **{item: ITEMS[item] for item in items},
        }
        if "session_times" in items and draw(st.booleans()):
            notice["session_times"] = SINGLE_SESSION
        out.append(notice)
    return out


def conclusions(a: Assessment) -> list[tuple[Any, ...]]:
    return [
        (f.rule_id, f.subject, f.period, f.due, f.status, f.met_by, f.met_on) for f in a.findings
    ]


@PROPS
@given(data=st.data(), start=starts, clear=clear_days)
def test_the_order_of_the_events_does_not_change_the_findings(
    data: st.DataObject, start: date, clear: bool
) -> None:
    i = SCHOOL_DAYS.index(start)
    second_start = SCHOOL_DAYS[min(i + data.draw(st.integers(0, 10)), len(SCHOOL_DAYS) - 1)]
    events = data.draw(notice_events(start, second_start))
    shuffled = data.draw(st.permutations(events))
    placements = [direction(start), direction(second_start, "OSD-2")]
    as_of = min(start + timedelta(days=data.draw(st.integers(-10, 10))), CAL.last_day)
    a = assess(case(events, placements), as_of, clear)
    b = assess(case(list(shuffled), placements[::-1]), as_of, clear)
    assert conclusions(a) == conclusions(b)
    assert a.findings == b.findings
