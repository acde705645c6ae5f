"""Policy sections J (the in-school unit) and E (planning for alternative provision): every
pupil rule of rules/J-in-school-unit.yaml and rules/E-planning.yaml, as legal scenarios.
(J.4-superseded-registration-regulations speaks about the policy itself, not a pupil: it is
tested with the review of the policy, tests/test_policy_review.py.)

Every deadline below is worked out by hand on the example calendar, "Example Borough Council
2025-26" (SchoolCalendar.example()). The dates these tests lean on:

    Autumn half-term 2   Mon 27 Oct (INSET) - Fri 19 Dec 2025: 39 school days, Tue 28 Oct to
                         Fri 19 Dec. From Mon 10 Nov 30 of them remain; from Mon 24 Nov 20
                         (at least half); from Tue 25 Nov 19 (less than half).
    Christmas holiday    Sat 20 Dec 2025 - Sun 4 Jan 2026; Mon 5 Jan INSET.
    Spring half-term 1   Mon 5 Jan - Fri 13 Feb 2026: 29 school days, Tue 6 Jan to Fri 13 Feb
                         (Tue 6 - Fri 30 Jan: 19 of them; Tue 6 - Fri 16 Jan: 9).
    Spring half-term 2   Mon 23 Feb - Fri 27 Mar 2026, after the half-term week 16-20 Feb.

Section J's running example: Hollybrook Made-Up Academy's pupil support unit takes a Year 8
pupil on the roll of another school, Ashcombe Made-Up School, from Mon 10 Nov 2025 (placement
PSU-1). Section E's: the academy decides on Mon 3 Nov 2025 to direct a Year 9 pupil off-site
from Mon 17 Nov 2025 (placement OSD-1).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from apcompliance import Assessment, Case, Finding, PolicySettings
from tests import scenarios
from tests.scenarios import findings, rule_ids, the

UNIT_START = date(2025, 11, 10)  # Mon
DECIDED = date(2025, 11, 3)  # Mon
START = date(2025, 11, 17)  # Mon
LATER = date(2025, 12, 1)  # Mon: the assessment date for J.4, J.5, E.5 and E.6

UNIT = "placement PSU-1"
DIRECTED = "placement OSD-1"

DUAL = "J.4-pupils-from-other-schools-dual-registered"
LA_CONTACTED = "J.5-la-contacted-early"
PLANS_REVIEWED = "J.2.ix-reintegration-plans-reviewed"
CONSIDERED = "E.5-headteacher-and-senco-consider-direction"
LEARNING_PLAN = "E.6-learning-plan"
RECORDS = "E.7-full-records"


# --- building cases ---------------------------------------------------------------------------


def unit_placement(start: date = UNIT_START, **extra: Any) -> dict[str, Any]:
    return {"id": "PSU-1", "kind": "in_school_unit", "start_date": start, "full_time": True} | extra


def unit_case(
    *events: dict[str, Any], placement: dict[str, Any] | None = None, **pupil: Any
) -> Case:
    """A pupil from another school (not on the academy's roll) in the unit, unless `pupil`
    says otherwise."""
    pupil = {"year_group": 8, "registered_at_school": False} | pupil
    return scenarios.case(
        *events, placements=[placement or unit_placement()], case_id="CASE-J", **pupil
    )


def direction(**extra: Any) -> dict[str, Any]:
    return scenarios.direction(START, DECIDED) | extra


def direction_case(*events: dict[str, Any], placements: Any = None) -> Case:
    return scenarios.case(
        *events, placements=placements or [direction()], case_id="CASE-E", year_group=9
    )


def la_contacted(id: str, on: date) -> dict[str, Any]:
    return {"kind": "la_contacted", "id": id, "placement_id": "PSU-1", "contacted_on": on}


def plan_review(
    id: str, on: date, covered: tuple[str, ...] = ("reintegration_plan",)
) -> dict[str, Any]:
    return {
        "kind": "placement_review",
        "id": id,
        "placement_id": "PSU-1",
        "held_on": on,
        "covered": list(covered),
    }


def consideration(id: str, on: date, *by: str) -> dict[str, Any]:
    return {
        "kind": "needs_consideration",
        "id": id,
        "considered_on": on,
        "by": list(by or ("headteacher", "senco")),
    }


def learning_plan(id: str, on: date, placement_id: str = "OSD-1") -> dict[str, Any]:
    return {
        "kind": "learning_plan",
        "id": id,
        "placement_id": placement_id,
        "agreed_on": on,
        "includes": ["objectives", "timeframes", "baseline"],
    }


FULL_RECORD = ("progress", "achievements", "destination", "pupil_assessment")


def placement_record(
    id: str, on: date, includes: tuple[str, ...] = FULL_RECORD, placement_id: str = "PL-1"
) -> dict[str, Any]:
    return {
        "kind": "placement_record",
        "id": id,
        "placement_id": placement_id,
        "recorded_on": on,
        "includes": list(includes),
    }


def assess_j(c: Case, as_of: date = LATER) -> Assessment:
    return scenarios.assess(c, as_of, "J")


def assess_e(c: Case, as_of: date = LATER, settings: PolicySettings | None = None) -> Assessment:
    return scenarios.assess(c, as_of, "E", settings=settings)


def assert_advisory(a: Assessment, f: Finding) -> None:
    assert f in a.advisories
    assert f not in a.violations


# --- J.4: a pupil from another school is dual registered --------------------------------------


def test_a_pupil_from_another_school_not_dual_registered_is_overdue() -> None:
    a = assess_j(unit_case())
    f = the(a, DUAL, UNIT)
    assert (f.kind, f.duty_holder) == ("obligation", "attendance_lead")
    assert (f.status, f.due, f.met_by) == ("overdue", UNIT_START, None)
    assert f in a.violations


@pytest.mark.parametrize(
    "registered_on", [date(2025, 11, 7), UNIT_START], ids=["the-friday-before", "the-first-day"]
)
def test_dual_registration_by_the_first_day_meets_j4(registered_on: date) -> None:
    a = assess_j(unit_case(placement=unit_placement(dual_registered_on=registered_on)))
    f = the(a, DUAL, UNIT)
    assert (f.status, f.due, f.met_by, f.met_on) == ("met", UNIT_START, "PSU-1", registered_on)


def test_dual_registration_after_the_first_day_is_late() -> None:
    # Registered on Wed 12 Nov, the third day in the unit.
    a = assess_j(unit_case(placement=unit_placement(dual_registered_on=date(2025, 11, 12))))
    f = the(a, DUAL, UNIT)
    assert (f.status, f.due, f.met_by) == ("late", UNIT_START, "PSU-1")
    assert f in a.violations


def test_dual_registration_is_pending_before_the_placement() -> None:
    f = the(assess_j(unit_case(), date(2025, 11, 3)), DUAL, UNIT)
    assert (f.status, f.due) == ("pending", UNIT_START)


def test_the_schools_own_pupil_in_the_unit_is_not_dual_registered() -> None:
    # J.1: the unit is for pupils already registered at the school.
    assert DUAL not in rule_ids(assess_j(unit_case(registered_at_school=True)))


def test_j4_is_only_for_placements_in_the_unit() -> None:
    # A pupil not on the roll, but directed off-site: not a placement in the unit.
    c = scenarios.case(placements=[direction()], registered_at_school=False)
    assert DUAL not in rule_ids(assess_j(c))


# --- J.5: the LA contacted early for a pupil with an EHC plan ---------------------------------


def test_no_contact_with_the_la_for_a_pupil_with_an_ehc_plan_is_overdue() -> None:
    a = assess_j(unit_case(ehc_plan=True))
    f = the(a, LA_CONTACTED, UNIT)
    assert (f.status, f.due, f.met_by) == ("overdue", UNIT_START, None)
    assert f in a.violations


def test_the_la_contacted_before_the_placement_meets_j5() -> None:
    # Contacted on Mon 13 Oct, four weeks before the start.
    a = assess_j(unit_case(la_contacted("LAC-1", date(2025, 10, 13)), ehc_plan=True))
    f = the(a, LA_CONTACTED, UNIT)
    assert (f.status, f.due, f.met_by) == ("met", UNIT_START, "LAC-1")


def test_the_la_contacted_after_the_placement_began_is_late() -> None:
    a = assess_j(unit_case(la_contacted("LAC-1", date(2025, 11, 12)), ehc_plan=True))
    f = the(a, LA_CONTACTED, UNIT)
    assert (f.status, f.due, f.met_by) == ("late", UNIT_START, "LAC-1")
    assert f in a.violations


@pytest.mark.parametrize(
    "pupil",
    [
        pytest.param({"ehc_plan": False, "send": True}, id="sen-without-ehc-plan"),
        pytest.param({"ehc_plan": True, "registered_at_school": True}, id="own-pupil"),
    ],
)
def test_j5_is_only_for_a_pupil_from_another_school_with_an_ehc_plan(
    pupil: dict[str, Any],
) -> None:
    assert LA_CONTACTED not in rule_ids(assess_j(unit_case(**pupil)))


# --- J.2.ix: reintegration plans reviewed each half-term (a recommendation) -------------------


def reviews_of(a: Assessment) -> list[tuple[str | None, object, str, str | None]]:
    return [(f.period, f.due, f.status, f.met_by) for f in findings(a, PLANS_REVIEWED, UNIT)]


def test_plan_reviews_are_recommended_each_half_term_from_the_current_one() -> None:
    # From Mon 10 Nov, 30 of autumn half-term 2's 39 school days remain: it is the first
    # window (due Fri 19 Dec). Reviewed on Wed 10 Dec; none in spring half-term 1 (due Fri 13
    # Feb); spring half-term 2 (due Fri 27 Mar) is still to come on Mon 2 Mar 2026.
    a = assess_j(unit_case(plan_review("PR-1", date(2025, 12, 10))), date(2026, 3, 2))
    assert reviews_of(a) == [
        ("autumn term 2025, half-term 2", date(2025, 12, 19), "met", "PR-1"),
        ("spring term 2026, half-term 1", date(2026, 2, 13), "missed", None),
        ("spring term 2026, half-term 2", date(2026, 3, 27), "pending", None),
    ]
    for f in findings(a, PLANS_REVIEWED):
        assert f.kind == "recommendation"
        assert_advisory(a, f)
    # The only violation is J.4 (the pupil from another school is not dual registered).
    assert {f.rule_id for f in a.violations} == {DUAL}


def test_the_recommendation_applies_to_the_schools_own_pupils_too() -> None:
    a = assess_j(unit_case(registered_at_school=True), date(2025, 12, 19))
    assert reviews_of(a) == [
        ("autumn term 2025, half-term 2", date(2025, 12, 19), "due_today", None)
    ]


@pytest.mark.parametrize(
    ("start", "first_due"),
    [
        pytest.param(date(2025, 11, 24), date(2025, 12, 19), id="20-of-39-left-current"),
        pytest.param(date(2025, 11, 25), date(2026, 2, 13), id="19-of-39-left-next"),
    ],
)
def test_the_first_window_is_the_current_half_term_only_if_half_of_it_is_left(
    start: date, first_due: date
) -> None:
    a = assess_j(unit_case(placement=unit_placement(start)), date(2025, 12, 1))
    assert [(f.due, f.status) for f in findings(a, PLANS_REVIEWED, UNIT)] == [
        (first_due, "pending")
    ]


def test_a_review_in_the_holiday_after_a_half_term_is_missed_for_it() -> None:
    # Spring half-term 1 ends Fri 13 Feb; a review on Wed 18 Feb (half-term week) is late
    # for it, so the recommendation is missed - never a violation.
    c = unit_case(plan_review("PR-1", date(2025, 12, 10)), plan_review("PR-2", date(2026, 2, 18)))
    a = assess_j(c, date(2026, 3, 2))
    f = findings(a, PLANS_REVIEWED, UNIT)[1]
    assert (f.period, f.due, f.status, f.met_by) == (
        "spring term 2026, half-term 1",
        date(2026, 2, 13),
        "missed",
        "PR-2",
    )
    assert_advisory(a, f)


def test_a_review_not_covering_the_reintegration_plan_does_not_count() -> None:
    # As of Mon 22 Dec, in the Christmas holiday: the autumn window is missed, the spring
    # one (due Fri 13 Feb) is the next.
    c = unit_case(plan_review("PR-1", date(2025, 12, 10), ("progress",)))
    assert reviews_of(assess_j(c, date(2025, 12, 22))) == [
        ("autumn term 2025, half-term 2", date(2025, 12, 19), "missed", None),
        ("spring term 2026, half-term 1", date(2026, 2, 13), "pending", None),
    ]


@pytest.mark.parametrize(
    ("end", "expected"),
    [
        # Ran 19 of spring half-term 1's 29 school days: due by the end, Fri 30 Jan.
        pytest.param(
            date(2026, 1, 30),
            [
                ("autumn term 2025, half-term 2", date(2025, 12, 19), "met", "PR-1"),
                ("spring term 2026, half-term 1", date(2026, 1, 30), "missed", None),
            ],
            id="ran-most-of-the-half-term",
        ),
        # Ran 9 of the 29: not asked for that half-term.
        pytest.param(
            date(2026, 1, 16),
            [("autumn term 2025, half-term 2", date(2025, 12, 19), "met", "PR-1")],
            id="ran-less-than-half",
        ),
    ],
)
def test_a_half_term_cut_short_by_the_end_of_the_placement(
    end: date, expected: list[tuple[str, date, str, str | None]]
) -> None:
    c = unit_case(plan_review("PR-1", date(2025, 12, 10)), placement=unit_placement(end_date=end))
    assert reviews_of(assess_j(c, date(2026, 3, 2))) == expected


def test_no_plan_reviews_are_asked_of_a_placement_outside_the_unit() -> None:
    c = scenarios.case(placements=[direction()])
    assert PLANS_REVIEWED not in rule_ids(assess_j(c, date(2026, 3, 2)))


# --- E.5: the headteacher and the SENCO consider the direction --------------------------------


def test_no_consideration_before_the_direction_is_overdue() -> None:
    a = assess_e(direction_case())
    f = the(a, CONSIDERED, DIRECTED)
    assert (f.kind, f.duty_holder) == ("obligation", "headteacher")
    assert (f.status, f.due, f.met_by) == ("overdue", DECIDED, None)
    assert f in a.violations


@pytest.mark.parametrize(
    "on", [date(2025, 10, 31), DECIDED], ids=["the-friday-before", "the-day-of-the-decision"]
)
def test_the_headteacher_and_senco_considering_it_by_the_decision_meets_e5(on: date) -> None:
    f = the(assess_e(direction_case(consideration("NC-1", on))), CONSIDERED, DIRECTED)
    assert (f.status, f.due, f.met_by, f.met_on) == ("met", DECIDED, "NC-1", on)


@pytest.mark.parametrize(
    "by",
    [("headteacher",), ("senco", "dsl"), ("headteacher", "dsl")],
    ids=["headteacher-alone", "senco-without-headteacher", "headteacher-and-dsl"],
)
def test_a_consideration_without_both_headteacher_and_senco_does_not_meet_e5(
    by: tuple[str, ...],
) -> None:
    a = assess_e(direction_case(consideration("NC-1", date(2025, 10, 31), *by)))
    f = the(a, CONSIDERED, DIRECTED)
    assert (f.status, f.due, f.met_by) == ("overdue", DECIDED, None)


def test_a_consideration_after_the_decision_is_late() -> None:
    a = assess_e(direction_case(consideration("NC-1", date(2025, 11, 4))))
    f = the(a, CONSIDERED, DIRECTED)
    assert (f.status, f.due, f.met_by) == ("late", DECIDED, "NC-1")
    assert f in a.violations


def test_the_consideration_is_pending_before_the_decision() -> None:
    # As of Tue 28 Oct the direction is recorded ahead of the decision on Mon 3 Nov.
    f = the(assess_e(direction_case(), date(2025, 10, 28)), CONSIDERED, DIRECTED)
    assert (f.status, f.due) == ("pending", DECIDED)


def test_e5_and_e6_are_only_for_directions() -> None:
    c = scenarios.case(placements=[unit_placement()])
    assert not {CONSIDERED, LEARNING_PLAN} & rule_ids(assess_e(c))


# --- E.6: a personalised learning plan --------------------------------------------------------


def test_no_learning_plan_by_the_start_is_overdue() -> None:
    a = assess_e(direction_case())
    f = the(a, LEARNING_PLAN, DIRECTED)
    assert (f.status, f.due, f.met_by) == ("overdue", START, None)
    assert f in a.violations


def test_a_learning_plan_agreed_before_the_start_meets_e6() -> None:
    f = the(assess_e(direction_case(learning_plan("LP-1", date(2025, 11, 12)))), LEARNING_PLAN)
    assert (f.status, f.due, f.met_by) == ("met", START, "LP-1")


def test_a_learning_plan_agreed_after_the_start_is_late() -> None:
    a = assess_e(direction_case(learning_plan("LP-1", date(2025, 11, 19))))
    f = the(a, LEARNING_PLAN, DIRECTED)
    assert (f.status, f.due, f.met_by) == ("late", START, "LP-1")
    assert f in a.violations


def test_a_learning_plan_for_another_placement_does_not_meet_e6() -> None:
    c = direction_case(
        learning_plan("LP-2", date(2025, 11, 12), placement_id="OSD-2"),
        placements=[direction(), direction(id="OSD-2")],
    )
    a = assess_e(c)
    assert (the(a, LEARNING_PLAN, DIRECTED).status, the(a, LEARNING_PLAN, DIRECTED).met_by) == (
        "overdue",
        None,
    )
    assert the(a, LEARNING_PLAN, "placement OSD-2").status == "met"


def test_a_learning_plan_agreed_for_a_day_before_the_start_is_scheduled() -> None:
    # As of Mon 10 Nov, agreed for Fri 14 Nov.
    a = assess_e(direction_case(learning_plan("LP-1", date(2025, 11, 14))), date(2025, 11, 10))
    f = the(a, LEARNING_PLAN, DIRECTED)
    assert (f.status, f.due, f.met_by) == ("scheduled", START, "LP-1")


# --- E.7: full records of every placement -----------------------------------------------------

# PL-1 runs from Mon 17 Nov to Fri 12 Dec 2025. Counting Fri 12 Dec as day 1: Mon 15 - Fri 19
# Dec are days 2-6, then the Christmas holiday and the INSET day (Mon 5 Jan); Tue 6 - Fri 9 Jan
# are days 7-10. The record is due Fri 9 Jan 2026.
PL_END = date(2025, 12, 12)
RECORD_DUE = date(2026, 1, 9)
ENDED = "placement PL-1"


def ended_case(*events: dict[str, Any], end: date | None = PL_END, kind: str = "other") -> Case:
    placement: dict[str, Any] = {"id": "PL-1", "kind": kind, "start_date": START, "full_time": True}
    if end is not None:
        placement["end_date"] = end
    return scenarios.case(*events, placements=[placement], case_id="CASE-E7")


def test_no_record_within_ten_school_days_of_the_end_is_overdue() -> None:
    a = assess_e(ended_case(), date(2026, 1, 12))
    f = the(a, RECORDS, ENDED)
    assert (f.status, f.due, f.met_by) == ("overdue", RECORD_DUE, None)
    assert f in a.violations


def test_a_full_record_after_the_end_meets_e7() -> None:
    a = assess_e(ended_case(placement_record("REC-1", date(2025, 12, 15))), date(2026, 1, 12))
    f = the(a, RECORDS, ENDED)
    assert (f.status, f.due, f.met_by) == ("met", RECORD_DUE, "REC-1")


@pytest.mark.parametrize("missing", FULL_RECORD)
def test_a_record_missing_one_part_does_not_meet_e7(missing: str) -> None:
    parts = tuple(p for p in FULL_RECORD if p != missing)
    a = assess_e(
        ended_case(placement_record("REC-1", date(2025, 12, 15), parts)), date(2026, 1, 12)
    )
    f = the(a, RECORDS, ENDED)
    assert (f.status, f.due, f.met_by) == ("overdue", RECORD_DUE, None)
    assert f in a.violations


def test_a_record_completed_after_the_tenth_school_day_is_late() -> None:
    # Mon 12 Jan 2026 is the 11th school day.
    a = assess_e(ended_case(placement_record("REC-1", date(2026, 1, 12))), date(2026, 1, 20))
    f = the(a, RECORDS, ENDED)
    assert (f.status, f.due, f.met_by) == ("late", RECORD_DUE, "REC-1")


@pytest.mark.parametrize(
    ("as_of", "status"),
    [(date(2026, 1, 5), "pending"), (RECORD_DUE, "due_today")],
    ids=["the-inset-day", "the-tenth-school-day"],
)
def test_the_record_is_pending_then_due_today(as_of: date, status: str) -> None:
    f = the(assess_e(ended_case(), as_of), RECORDS, ENDED)
    assert (f.status, f.due) == (status, RECORD_DUE)


def test_a_placement_ending_on_a_saturday_counts_from_the_next_school_day() -> None:
    # Sat 13 Dec is not a school day: day 1 is Mon 15 Dec, days 2-5 Tue 16 - Fri 19 Dec, days
    # 6-9 Tue 6 - Fri 9 Jan, day 10 Mon 12 Jan 2026.
    f = the(assess_e(ended_case(end=date(2025, 12, 13)), date(2026, 1, 20)), RECORDS, ENDED)
    assert (f.status, f.due) == ("overdue", date(2026, 1, 12))


def test_the_record_deadline_follows_the_follow_up_setting() -> None:
    # Five school days counting Fri 12 Dec: Thu 18 Dec 2025.
    settings = PolicySettings(follow_up_within_school_days=5)
    f = the(assess_e(ended_case(), date(2026, 1, 12), settings), RECORDS, ENDED)
    assert (f.status, f.due) == ("overdue", date(2025, 12, 18))


@pytest.mark.parametrize("kind", ["in_school_unit", "off_site_direction", "medical"])
def test_e7_applies_to_every_kind_of_placement(kind: str) -> None:
    extra = {"arranged_on": DECIDED} if kind == "off_site_direction" else {}
    placement = {
        "id": "PL-1",
        "kind": kind,
        "start_date": START,
        "end_date": PL_END,
        "full_time": True,
    } | extra
    c = scenarios.case(placements=[placement])
    f = the(assess_e(c, date(2026, 1, 12)), RECORDS, ENDED)
    assert (f.status, f.due) == ("overdue", RECORD_DUE)


def test_no_record_is_asked_of_a_placement_that_has_not_ended() -> None:
    assert RECORDS not in rule_ids(assess_e(ended_case(end=None), date(2026, 1, 12)))
