"""Properties of the sixth-school-day duty (policy I.1, I.4) on the example calendar.

Suspensions start on a school day drawn from the whole example year, leaving 30 school days
before the calendar ends so that every deadline (at most the 15th school day plus a little)
stays inside the calendar.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from apcompliance import Assessment, Case, SchoolCalendar
from tests.conftest import section_evaluator
from tests.scenarios import suspension

CAL = SchoolCalendar.example()
SCHOOL_DAYS: tuple[date, ...] = (*CAL.school_days(CAL.first_day, CAL.last_day), CAL.last_day)
STARTS = SCHOOL_DAYS[:-30]
SIXTH = "I.1-sixth-day-provision"
NOTICE_RULES = frozenset(
    {
        "I.1.i-notice-start-date",
        "I.1.ii-notice-session-times",
        "I.1.iii-notice-address",
        "I.1.iv-notice-report-to",
    }
)
AS_ARRANGED_RULES = frozenset(f"{rule}-as-arranged" for rule in NOTICE_RULES)
PER_DECISION = frozenset({"I.2-first-day-notice-of-further-suspension", *NOTICE_RULES})
"""Rules about each decision to exclude: a suspension cut into pieces is several decisions,
each with its own notice to the parents by the end of its first day (I.2), which may carry
the details of provision starting during it, so splitting may change them."""
PROPS = settings(max_examples=60, deadline=None)
SESSION = {"form": "single_session", "session_starts": "09:30", "session_ends": "15:00"}

starts = st.sampled_from(STARTS)
lengths = st.integers(min_value=6, max_value=15)
offsets = st.integers(min_value=-10, max_value=60)  # as_of, in calendar days from the start


# --- building cases ---------------------------------------------------------------------------


def _iso(value: object) -> str:
    if isinstance(value, (date, time)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def case(
    events: list[dict[str, Any]],
    placements: list[dict[str, Any]],
    register: list[dict[str, Any]] | None = None,
    **pupil: Any,
) -> Case:
    data = {
        "case_id": "PROP-1",
        "pupil": {"year_group": 9, **pupil},
        "placements": placements,
        "events": events,
        "register_marks": register or [],
    }
    return Case.model_validate_json(json.dumps(data, default=_iso))


def placement(id: str, start: date, for_exclusion: str | None, full_time: bool = True) -> dict:
    out: dict[str, Any] = {
        "id": id,
        "kind": "suspension_provision",
        "start_date": start,
        "full_time": full_time,
        "session_times": SESSION,
    }
    if for_exclusion is not None:
        out["for_exclusion"] = for_exclusion
    return out


def full_notice(
    id: str, about: str, sent_at: datetime, method: str = "email", start: date | None = None
) -> dict[str, Any]:
    """A notice with all four I.1 details, of provision starting on `start` (default: the day
    it is sent)."""
    return {
        "kind": "exclusion_notice",
        "id": id,
        "about": about,
        "sent_at": sent_at,
        "method": method,
        "provision_start_date": start or sent_at.date(),
        "session_times": SESSION,
        "provision_address": "1 Mill Lane, Riverside RV1 2AB",
        "report_to": "the centre's duty manager",
    }


def assess(c: Case, as_of: date) -> Assessment:
    return section_evaluator("I").evaluate(c, as_of=as_of, calendar=CAL)


def key(a: Assessment) -> list[tuple[Any, ...]]:
    """What a finding concludes (its explanation aside)."""
    return [
        (f.rule_id, f.clause, f.subject, f.due, f.status, f.met_by, f.met_on) for f in a.findings
    ]


def sixth_day_due(a: Assessment) -> date:
    (f,) = [f for f in a.findings if f.rule_id == SIXTH]
    assert isinstance(f.due, date)
    return f.due


@st.composite
def pieces(draw: st.DrawFn, start: date, length: int) -> list[dict[str, Any]]:
    """One suspension of `length` school days from `start`, cut into back-to-back pieces: each
    piece's first day is the school day after the previous piece's last. The first piece is
    S-1, as is the whole, since a period takes its first suspension's id."""
    cuts = draw(st.sets(st.integers(1, length - 1), max_size=min(4, length - 1)))
    bounds = [0, *sorted(cuts), length]
    return [
        suspension(f"S-{k + 1}", CAL.nth_school_day(start, a + 1), b - a)
        for k, (a, b) in enumerate(pairwise(bounds))
    ]


@st.composite
def extras(draw: st.DrawFn, start: date, length: int) -> tuple[list[dict], list[dict], dict]:
    """Optional events and placements about the period S-1, and the pupil's flags."""
    events: list[dict[str, Any]] = []
    placements: list[dict[str, Any]] = []
    if draw(st.booleans()):
        day = CAL.nth_school_day(start, draw(st.integers(1, length)))
        placements.append(placement("PL-1", day, draw(st.sampled_from([None, "S-1"]))))
        if draw(st.booleans()):
            events.append(
                {
                    "kind": "short_notice_consent",
                    "id": "CNS-1",
                    "placement_id": "PL-1",
                    "given_on": start,
                }
            )
    if draw(st.booleans()):
        sent = datetime.combine(start, time(draw(st.integers(8, 17)), 0))
        method = draw(st.sampled_from(["email", "letter", "phone"]))
        events.append(
            full_notice("NTC-1", "S-1", sent + timedelta(days=draw(st.integers(0, 6))), method)
        )
    if draw(st.booleans()):
        set_on = CAL.nth_school_day(start, draw(st.integers(1, 4)))
        marked = draw(st.sampled_from([None, set_on + timedelta(days=2)]))
        work = {"kind": "work_set", "id": "WRK-1", "about": "S-1", "set_on": set_on}
        if marked is not None:
            work["marked_on"] = marked
        events.append(work)
    pupil = draw(
        st.sampled_from(
            [
                {},
                {"looked_after": True},
                {"year_group": 11, "exam_entries": []},
                {"year_group": 11},
                {
                    "year_group": 11,
                    "exam_entries": [{"subject": "GCSE art", "last_paper_on": "2026-07-01"}],
                },
            ]
        )
    )
    return events, placements, pupil


# --- properties -------------------------------------------------------------------------------


@PROPS
@given(start=starts, length=lengths, offset=offsets)
def test_the_deadline_is_the_school_day_after_exactly_five_school_days_of_exclusion(
    start: date, length: int, offset: int
) -> None:
    as_of = start + timedelta(days=offset)
    due = sixth_day_due(assess(case([suspension("S-1", start, length)], []), as_of))
    assert CAL.is_school_day(due)
    assert CAL.school_days_between(start, due) == 5
    assert due == SCHOOL_DAYS[SCHOOL_DAYS.index(start) + 5]


@PROPS
@given(start=starts, length=lengths, offset=offsets)
def test_with_nothing_arranged_the_status_follows_the_evaluation_date(
    start: date, length: int, offset: int
) -> None:
    as_of = start + timedelta(days=offset)
    a = assess(case([suspension("S-1", start, length)], []), as_of)
    (f,) = [f for f in a.findings if f.rule_id == SIXTH]
    assert isinstance(f.due, date)
    expected = "pending" if as_of < f.due else "due_today" if as_of == f.due else "overdue"
    assert f.status == expected
    assert (f in a.violations) == (expected == "overdue")


@PROPS
@given(
    first=starts,
    second=starts,
    length_1=lengths,
    length_2=lengths,
)
def test_a_later_start_never_gives_an_earlier_deadline(
    first: date, second: date, length_1: int, length_2: int
) -> None:
    early, late = sorted((first, second))
    due_early = sixth_day_due(assess(case([suspension("S-1", early, length_1)], []), early))
    due_late = sixth_day_due(assess(case([suspension("S-1", late, length_2)], []), early))
    assert due_early <= due_late
    if early < late:
        assert due_early < due_late  # the sixth day moves with the first, school day by day


@PROPS
@given(data=st.data(), start=starts, length=lengths, offset=offsets)
def test_back_to_back_pieces_give_the_same_findings_as_one_suspension(
    data: st.DataObject, start: date, length: int, offset: int
) -> None:
    as_of = start + timedelta(days=offset)
    split = data.draw(pieces(start, length))
    events, placements, pupil = data.draw(extras(start, length))
    whole = assess(case([suspension("S-1", start, length), *events], placements, **pupil), as_of)
    cut = assess(case([*split, *events], placements, **pupil), as_of)
    assert [k for k in key(cut) if k[0] not in PER_DECISION] == [
        k for k in key(whole) if k[0] not in PER_DECISION
    ]
    assert sum(s["school_days"] for s in split) == length


@PROPS
@given(data=st.data(), start=starts, length=lengths, offset=offsets)
def test_the_order_of_events_and_placements_does_not_matter(
    data: st.DataObject, start: date, length: int, offset: int
) -> None:
    as_of = start + timedelta(days=offset)
    split = data.draw(pieces(start, length))
    events, placements, pupil = data.draw(extras(start, length))
    # A second, separate period three school days after the first one ends, and a second
    # placement, so that there is more than one of everything to shuffle.
    last = CAL.nth_school_day(start, length)
    other = CAL.nth_school_day(last, 4)
    events = [*split, *events, suspension("T-1", other, 6)]
    placements = [*placements, placement("PL-2", CAL.nth_school_day(other, 6), "T-1")]
    base = assess(case(events, placements, **pupil), as_of)
    shuffled_events = data.draw(st.permutations(events))
    shuffled_placements = data.draw(st.permutations(placements))
    again = assess(case(shuffled_events, shuffled_placements, **pupil), as_of)
    assert key(again) == key(base)


@PROPS
@given(data=st.data(), start=starts, length=lengths, offset=offsets)
def test_full_time_provision_by_the_deadline_never_adds_a_violation(
    data: st.DataObject, start: date, length: int, offset: int
) -> None:
    as_of = start + timedelta(days=offset)
    split = data.draw(pieces(start, length))
    events, placements, pupil = data.draw(extras(start, length))
    before = assess(case([*split, *events], placements, **pupil), as_of)
    due = CAL.nth_school_day(start, 6)
    # Any calendar day from five days before the exclusion to the sixth school day itself.
    begins = data.draw(st.dates(min_value=start - timedelta(days=5), max_value=due))
    told_in_time = data.draw(st.booleans())
    added_events = list(events)
    if told_in_time:  # all four I.1 details in writing, three days ahead
        sent = datetime.combine(begins - timedelta(days=3), time(8, 0))
        added_events.append(full_notice("NTC-9", "S-1", sent, start=begins))
    after = assess(
        case(
            [*split, *added_events],
            [*placements, placement("PL-9", begins, "S-1")],
            **pupil,
        ),
        as_of,
    )
    new = {(f.rule_id, f.subject) for f in after.violations} - {
        (f.rule_id, f.subject) for f in before.violations
    }
    # an earlier notice giving a start date no placement had may now contradict PL-9's
    contradicted = {(r, subject) for r, subject in new if r in AS_ARRANGED_RULES}
    assert {subject for _, subject in contradicted} <= {"notice NTC-1"}
    new -= contradicted
    if told_in_time:
        assert new == set()
    else:  # the only new duties are the notice items for the new placement
        assert {rule_id for rule_id, _ in new} <= NOTICE_RULES
        assert {subject for _, subject in new} <= {"placement PL-9"}
    assert SIXTH not in {f.rule_id for f in after.violations}


# --- the record of an assessment does not depend on the order of events ---------------------


def test_the_assessment_record_does_not_depend_on_the_order_of_consents() -> None:
    start = date(2025, 10, 28)
    consents = [
        {"kind": "short_notice_consent", "id": "CNS-1", "placement_id": "PL-1", "given_on": start},
        {"kind": "short_notice_consent", "id": "CNS-2", "placement_id": "PL-1", "given_on": start},
    ]
    sus = suspension("S-1", start, 10)
    pl = [placement("PL-1", date(2025, 11, 3), None)]
    one = assess(case([sus, *consents], pl), date(2025, 11, 24))
    other = assess(case([sus, *reversed(consents)], pl), date(2025, 11, 24))
    assert key(one) == key(other)  # the conclusions agree ...
    assert one.to_json() == other.to_json()  # ... but the recorded explanation does not


# --- the duty over the period: every school day from the sixth to the last -------------------


@st.composite
def provisions(draw: st.DrawFn, start: date, length: int, prefix: str = "PL") -> list[dict]:
    """Up to four placements for S-1 (or for no exclusion), full-time or not, starting
    around the period and ending within it, after it or never."""
    out = []
    for k in range(draw(st.integers(0, 4))):
        begins = start + timedelta(days=draw(st.integers(-5, 2 * length)))
        p = placement(
            f"{prefix}-{k + 1}",
            begins,
            draw(st.sampled_from(["S-1", "S-1", None])),
            full_time=draw(st.sampled_from([True, True, False])),
        )
        ends = draw(st.none() | st.integers(0, 2 * length))
        if ends is not None:
            p["end_date"] = begins + timedelta(days=ends)
        out.append(p)
    return out


def uncovered_days(a: Assessment) -> list[date]:
    (f,) = [f for f in a.findings if f.rule_id == SIXTH]
    return [d for r in f.uncovered for d in (*CAL.school_days(r.first, r.last), r.last)]


@PROPS
@given(data=st.data(), start=starts, length=lengths, offset=offsets)
def test_uncovered_days_are_school_days_of_the_period_from_the_sixth_to_the_last(
    data: st.DataObject, start: date, length: int, offset: int
) -> None:
    placements = data.draw(provisions(start, length))
    a = assess(case([suspension("S-1", start, length)], placements), start + timedelta(offset))
    days = uncovered_days(a)
    sixth, last = CAL.nth_school_day(start, 6), CAL.nth_school_day(start, length)
    assert all(CAL.is_school_day(d) and sixth <= d <= last for d in days)
    assert days == sorted(set(days))
    (f,) = [f for f in a.findings if f.rule_id == SIXTH]
    assert all(r.first <= r.last for r in f.uncovered)
    # exactly the school days from the sixth to the last that no full-time placement for this
    # exclusion runs on (an open-ended placement runs on every day from its start). A placement
    # naming no exclusion is linked to one by its dates (derive), so only draws where each
    # placement names its exclusion are checked day by day.
    if all("for_exclusion" in p for p in placements):
        period = SCHOOL_DAYS[SCHOOL_DAYS.index(sixth) : SCHOOL_DAYS.index(last) + 1]
        qualifying = [p for p in placements if p["full_time"]]
        expected = [
            d
            for d in period
            if not any(p["start_date"] <= d <= p.get("end_date", date.max) for p in qualifying)
        ]
        assert days == expected


@PROPS
@given(data=st.data(), start=starts, length=lengths, offset=offsets)
def test_adding_provision_never_adds_an_uncovered_day(
    data: st.DataObject, start: date, length: int, offset: int
) -> None:
    """Neither a placement nor a register mark of provision (B, D or K) for a session not yet
    marked (issue 17)."""
    as_of = start + timedelta(days=offset)
    placements = data.draw(provisions(start, length))
    more = data.draw(provisions(start, length, prefix="MORE"))
    marks = data.draw(register(start, length))
    taken = {(m["date"], m["session"]) for m in marks}
    added = [
        {**m, "code": data.draw(st.sampled_from(PROVISION_CODES))}
        for m in data.draw(register(start, length))
        if (m["date"], m["session"]) not in taken
    ]
    sus = [suspension("S-1", start, length)]
    before = uncovered_days(assess(case(sus, placements, marks), as_of))
    for with_placements, with_marks in (
        ([*placements, *more], marks),
        (placements, [*marks, *added]),
    ):
        after = uncovered_days(assess(case(sus, with_placements, with_marks), as_of))
        assert set(after) <= set(before)
    # full-time provision for the exclusion over its whole length leaves nothing uncovered
    whole = placement("ALL-1", start, "S-1")
    covered = assess(case(sus, [*placements, whole]), as_of)
    assert uncovered_days(covered) == []


@PROPS
@given(data=st.data(), start=starts, length=lengths, offset=offsets)
def test_the_order_of_placements_never_changes_the_uncovered_days(
    data: st.DataObject, start: date, length: int, offset: int
) -> None:
    """Nor the order of suspensions or of the register's marks (issue 17)."""
    as_of = start + timedelta(days=offset)
    placements = data.draw(provisions(start, length))
    split = data.draw(pieces(start, length))
    marks = data.draw(register(start, length))
    base = assess(case(split, placements, marks), as_of)
    again = assess(
        case(
            data.draw(st.permutations(split)),
            data.draw(st.permutations(placements)),
            data.draw(st.permutations(marks)),
        ),
        as_of,
    )
    assert uncovered_days(again) == uncovered_days(base)
    assert key(again) == key(base)


# --- I.8 on the sixth day and I.7 day by day, whatever the pieces (issue 15, items 6-7) -------


WORK_AND_EXEMPTION = frozenset(
    {SIXTH, "I.7-work-set", "I.7-work-marked", "I.8-final-year-exemption"}
)


@st.composite
def work(draw: st.DrawFn, start: date, length: int) -> list[dict[str, Any]]:
    """Up to three pieces of work about S-1, set on a school day of the first five (or of the
    period, if shorter), some for more days, some marked."""
    out = []
    for k in range(draw(st.integers(0, 3))):
        set_on = CAL.nth_school_day(start, draw(st.integers(1, min(5, length))))
        w: dict[str, Any] = {
            "kind": "work_set",
            "id": f"W-{k + 1}",
            "about": "S-1",
            "set_on": set_on,
        }
        if draw(st.booleans()):
            w["set_for_until"] = set_on + timedelta(days=draw(st.integers(0, 7)))
        if draw(st.booleans()):
            w["marked_on"] = set_on + timedelta(days=draw(st.integers(0, 5)))
        out.append(w)
    return out


@st.composite
def exam_entries(draw: st.DrawFn, start: date) -> dict[str, Any]:
    """A Year 11 pupil whose exam entries are unknown, none, or end around the sixth day."""
    choice = draw(st.sampled_from(["unknown", "none", "some"]))
    if choice == "unknown":
        return {"year_group": 11}
    if choice == "none":
        return {"year_group": 11, "exam_entries": []}
    last = CAL.nth_school_day(start, 6) + timedelta(days=draw(st.integers(-6, 3)))
    return {"year_group": 11, "exam_entries": [{"subject": "GCSE maths", "last_paper_on": last}]}


def findings_of(a: Assessment, rules: frozenset[str]) -> list[tuple[Any, ...]]:
    """What the findings of `rules` conclude, the uncovered days included."""
    return [
        (f.rule_id, f.subject, f.due, f.status, f.met_by, f.met_on, f.uncovered, f.missing)
        for f in a.findings
        if f.rule_id in rules
    ]


@PROPS
@given(data=st.data(), start=starts, length=st.integers(2, 15), offset=offsets)
def test_splitting_a_suspension_never_changes_the_sixth_day_exemption_or_work_findings(
    data: st.DataObject, start: date, length: int, offset: int
) -> None:
    as_of = start + timedelta(days=offset)
    split = data.draw(pieces(start, length))
    placements = data.draw(provisions(start, length))
    events = data.draw(work(start, length))
    pupil = data.draw(st.just({"year_group": 9}) | exam_entries(start))
    whole = assess(case([suspension("S-1", start, length), *events], placements, **pupil), as_of)
    cut = assess(case([*split, *events], placements, **pupil), as_of)
    assert findings_of(cut, WORK_AND_EXEMPTION) == findings_of(whole, WORK_AND_EXEMPTION)
    assert findings_of(whole, frozenset({"I.7-work-set"}))  # I.7 is judged on every period


# --- the register's marks (issue 17): evidence of provision day by day -----------------------

PROVISION_CODES = ("B", "D", "K")
CODES = (*PROVISION_CODES, "E", "/", "\\", "C2", "I", "O")


@st.composite
def register(draw: st.DrawFn, start: date, length: int) -> list[dict[str, Any]]:
    """Up to twenty session marks on school days from the period's first to a few after its
    last, each session at most once, with provision codes, E and others."""
    days = SCHOOL_DAYS[SCHOOL_DAYS.index(start) : SCHOOL_DAYS.index(start) + length + 3]
    sessions = draw(
        st.lists(
            st.tuples(st.sampled_from(days), st.sampled_from(["AM", "PM"])),
            max_size=20,
            unique=True,
        )
    )
    return [{"date": d, "session": s, "code": draw(st.sampled_from(CODES))} for d, s in sessions]


def expected_uncovered(
    start: date, length: int, placements: list[dict[str, Any]], marks: list[dict[str, Any]]
) -> list[date]:
    """The school days from the sixth to the last that neither a full-time placement for S-1
    (on a day with no session marked E) nor the register (B, D or K in both sessions) covers."""
    sixth, last = CAL.nth_school_day(start, 6), CAL.nth_school_day(start, length)
    period = SCHOOL_DAYS[SCHOOL_DAYS.index(sixth) : SCHOOL_DAYS.index(last) + 1]
    codes: dict[date, dict[str, str]] = {}
    for m in marks:
        codes.setdefault(m["date"], {})[m["session"]] = m["code"]

    def covered(d: date) -> bool:
        day = codes.get(d, {})
        if "E" in day.values():
            return False
        if all(day.get(s) in PROVISION_CODES for s in ("AM", "PM")):
            return True
        return any(
            p["full_time"] and p["start_date"] <= d <= p.get("end_date", date.max)
            for p in placements
        )

    return [d for d in period if not covered(d)]


@PROPS
@given(data=st.data(), start=starts, length=lengths, offset=offsets)
def test_the_register_covers_and_uncovers_days_exactly(
    data: st.DataObject, start: date, length: int, offset: int
) -> None:
    placements = [p for p in data.draw(provisions(start, length)) if p.get("for_exclusion")]
    marks = data.draw(register(start, length))
    a = assess(
        case([suspension("S-1", start, length)], placements, marks), start + timedelta(offset)
    )
    assert uncovered_days(a) == expected_uncovered(start, length, placements, marks)
