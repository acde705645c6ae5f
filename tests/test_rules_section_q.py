"""Policy section Q (reintegration, part-time timetables and Year 11 destinations): every rule
of rules/Q-reintegration.yaml, as legal scenarios.

Every deadline below is worked out by hand on the example calendar, "Example Borough Council
2025-26" (SchoolCalendar.example()). The dates these tests lean on:

    Nov 2025  Mon 3 the direction is decided; Mon 17 the provision starts.
    Jan 2026  Mon 5 INSET (not a school day); Mon 12 a part-time timetable starts.
    Feb 2026  Mon 9 - Fri 13 school days (Mon 9: the return to school is day 1, Fri 13 day 5);
              Mon 16 - Fri 20 half-term (no school days); Mon 23 - Fri 27 school days (days 6
              to 10 counting from Mon 9).
    Mar 2026  Mon 2 the assessment date, unless a test says otherwise.
    Jul 2026  Tue 21 the last school day of the 2025-26 school year and of the calendar.

The running example: Hollybrook Made-Up Academy directs a Year 10 pupil to the Meadowgate
Made-Up Learning Centre (a pupil referral unit) from Mon 17 Nov 2025 (placement OSD-1, decided
on Mon 3 Nov). The pupil returns to the academy on Mon 9 Feb 2026 (RTS-1): Q.1-Q.5 are due
that day, and the first review of the reintegration strategy by the 10th school day counting
the return as day 1, Fri 27 Feb 2026.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from apcompliance import Assessment, Case, Finding, PolicySettings, SchoolCalendar
from tests import scenarios
from tests.conftest import section_evaluator
from tests.scenarios import CAL, findings, rule_ids, the

DECIDED = date(2025, 11, 3)  # Mon: the direction is decided
START = date(2025, 11, 17)  # Mon: the provision starts
RETURN = date(2026, 2, 9)  # Mon: the pupil returns to school
REVIEW_DUE = date(2026, 2, 27)  # Fri: the 10th school day counting Mon 9 Feb as day 1
LATER = date(2026, 3, 2)  # Mon: the assessment date
BEFORE = date(2026, 2, 2)  # Mon: a week before the return
YEAR_END = date(2026, 7, 21)  # Tue: the last school day of 2025-26

PLACEMENT = "placement OSD-1"
RETURNING = "return_to_school RTS-1"  # the subject of Q.1-Q.5
TIMETABLE = "part_time_timetable PTT-1"
PROVIDER = {
    "id": "PRV-1",
    "name": "Meadowgate Made-Up Learning Centre",
    "kind": "pupil_referral_unit",
}

PLAN = "Q.1-reintegration-plan"
REPORT = "Q.2-final-report"
VIEWS = "Q.3-pupil-views"
MEETING = "Q.5-reintegration-meeting"
PARENTS = "Q.5-parents-at-meeting"
NOT_PREVENTED = "Q.5-return-not-prevented"
STRATEGY = "Q.5-strategy-reviewed"
BEHAVIOUR = "Q.7-not-to-manage-behaviour"
TIME_LIMIT = "Q.7-time-limit"
ARRANGEMENTS = "Q.7-review-arrangements"
C2 = "Q.7-absence-authorised"
TT_REVIEWED = "Q.7-reviewed-with-pupil-and-parents"
DESTINATION = "Q.9-next-destination-recorded"

RETURN_OBLIGATIONS = (PLAN, REPORT, VIEWS, MEETING)
RETURN_RULES = {*RETURN_OBLIGATIONS, PARENTS, STRATEGY}
TIMETABLE_REQUIREMENTS = (BEHAVIOUR, TIME_LIMIT, ARRANGEMENTS, C2)


# --- building cases ---------------------------------------------------------------------------


def direction(*, id: str = "OSD-1", **extra: Any) -> dict[str, Any]:
    return scenarios.direction(START, DECIDED, id=id, provider_id="PRV-1") | extra


def case(
    *events: dict[str, Any], placements: Any = None, year_group: int = 10, **pupil: Any
) -> Case:
    """The pupil's case; by default with the running example's direction OSD-1."""
    return scenarios.case(
        *events,
        placements=[direction()] if placements is None else placements,
        providers=[PROVIDER],
        case_id="CASE-Q",
        year_group=year_group,
        **pupil,
    )


def returning(*events: dict[str, Any], on: date = RETURN, **pupil: Any) -> Case:
    """The running example with the return to school RTS-1 recorded."""
    return case(return_to_school("RTS-1", on), *events, **pupil)


def return_to_school(id: str, on: date, placement_id: str = "OSD-1") -> dict[str, Any]:
    return {"kind": "return_to_school", "id": id, "placement_id": placement_id, "returns_on": on}


def plan(
    id: str, on: date, *, with_provider: bool = True, placement_id: str = "OSD-1"
) -> dict[str, Any]:
    return {
        "kind": "reintegration_plan",
        "id": id,
        "placement_id": placement_id,
        "agreed_on": on,
        "developed_with_provider": with_provider,
    }


ALL_PARTS = ("attainment_and_progress", "attendance", "behaviour_change")


def final_report(id: str, on: date, covers: tuple[str, ...] = ALL_PARTS) -> dict[str, Any]:
    return {
        "kind": "final_report",
        "id": id,
        "placement_id": "OSD-1",
        "received_on": on,
        "covers": list(covers),
    }


def pupil_views(id: str, on: date, *, by_headteacher: bool = True) -> dict[str, Any]:
    return {
        "kind": "pupil_views",
        "id": id,
        "placement_id": "OSD-1",
        "heard_on": on,
        "by_headteacher": by_headteacher,
    }


def meeting(id: str, on: date, *, parents: bool = False, strategy: bool = True) -> dict[str, Any]:
    return {
        "kind": "reintegration_meeting",
        "id": id,
        "placement_id": "OSD-1",
        "held_on": on,
        "strategy_communicated": strategy,
        "parents_attended": parents,
    }


def review(id: str, on: date, covered: tuple[str, ...] = ("reintegration_plan",)) -> dict[str, Any]:
    return {
        "kind": "placement_review",
        "id": id,
        "placement_id": "OSD-1",
        "held_on": on,
        "attendees": ["pupil", "parents", "ap_lead"],
        "covered": list(covered),
    }


def timetable(starts_on: date = date(2026, 1, 12), **fields: Any) -> dict[str, Any]:
    """Part-time timetable PTT-1: by default everything Q.7 asks is in place (a reason other
    than behaviour, an end date, a review every 2 weeks, code C2); `fields` override it."""
    out: dict[str, Any] = {
        "kind": "part_time_timetable",
        "id": "PTT-1",
        "starts_on": starts_on,
        "ends_on": date(2026, 3, 27),
        "reason": "reintegration",
        "review_every_weeks": 2,
        "absence_code": "C2",
    } | fields
    return {k: v for k, v in out.items() if v is not None}


def timetable_review(id: str, on: date, *, with_pupil_and_parents: bool = True) -> dict[str, Any]:
    return {
        "kind": "timetable_review",
        "id": id,
        "timetable_id": "PTT-1",
        "reviewed_on": on,
        "with_pupil_and_parents": with_pupil_and_parents,
    }


def placement_record(id: str, on: date, *includes: str) -> dict[str, Any]:
    return {
        "kind": "placement_record",
        "id": id,
        "placement_id": "OSD-1",
        "recorded_on": on,
        "includes": list(includes),
    }


def assess(c: Case, as_of: date = LATER, *, settings: PolicySettings | None = None) -> Assessment:
    return scenarios.assess(c, as_of, "Q", settings=settings)


def assert_advisory(a: Assessment, f: Finding) -> None:
    """For information only: never a violation."""
    assert f in a.advisories
    assert f not in a.violations


# --- Q.1-Q.5 apply only once a return is recorded ---------------------------------------------


def test_no_return_recorded_no_reintegration_duties() -> None:
    a = assess(case())
    assert not RETURN_RULES & rule_ids(a)
    assert NOT_PREVENTED not in rule_ids(a)


def test_a_return_with_nothing_done_makes_every_return_duty_overdue() -> None:
    a = assess(returning())
    for rule_id in RETURN_OBLIGATIONS:
        f = the(a, rule_id, RETURNING)
        assert (f.kind, f.status, f.due, f.met_by) == ("obligation", "overdue", RETURN, None)
        assert f in a.violations, rule_id
    f = the(a, STRATEGY, RETURNING)
    assert (f.status, f.due) == ("overdue", REVIEW_DUE)
    assert f in a.violations


def test_before_the_return_the_duties_are_pending() -> None:
    a = assess(returning(), BEFORE)
    for rule_id in RETURN_OBLIGATIONS:
        f = the(a, rule_id, RETURNING)
        assert (f.status, f.due) == ("pending", RETURN), rule_id
    assert (the(a, STRATEGY).status, the(a, STRATEGY).due) == ("pending", REVIEW_DUE)
    assert not a.violations


def test_on_the_day_of_the_return_the_duties_are_due_today() -> None:
    a = assess(returning(), RETURN)
    for rule_id in RETURN_OBLIGATIONS:
        f = the(a, rule_id, RETURNING)
        assert (f.status, f.due) == ("due_today", RETURN), rule_id
    assert not a.violations


def test_the_duties_follow_the_placement_the_return_is_from() -> None:
    # Two placements; only OSD-2's return is recorded, and OSD-1's plan does not serve it.
    c = case(
        return_to_school("RTS-2", RETURN, placement_id="OSD-2"),
        plan("RP-1", date(2026, 1, 28), placement_id="OSD-1"),
        placements=[direction(), direction(id="OSD-2")],
    )
    a = assess(c)
    assert len(findings(a, PLAN)) == 1
    f = the(a, PLAN, "return_to_school RTS-2")
    assert f.explanation.facts["placement"]["id"] == "OSD-2"
    assert (f.status, f.due, f.met_by) == ("overdue", RETURN, None)


# --- Q.1: the reintegration plan --------------------------------------------------------------


def test_a_plan_developed_with_the_provider_before_the_return_meets_q1() -> None:
    # Agreed with the provider on Wed 28 Jan 2026.
    a = assess(returning(plan("RP-1", date(2026, 1, 28))))
    f = the(a, PLAN, RETURNING)
    assert (f.status, f.due, f.met_by, f.met_on) == ("met", RETURN, "RP-1", date(2026, 1, 28))
    assert f not in a.violations


def test_a_plan_not_developed_with_the_provider_does_not_meet_q1() -> None:
    a = assess(returning(plan("RP-1", date(2026, 1, 28), with_provider=False)))
    f = the(a, PLAN, RETURNING)
    assert (f.status, f.due, f.met_by) == ("overdue", RETURN, None)
    assert f in a.violations


def test_a_plan_agreed_after_the_return_is_late() -> None:
    # Agreed on Wed 11 Feb, the third day back.
    a = assess(returning(plan("RP-1", date(2026, 2, 11))))
    f = the(a, PLAN, RETURNING)
    assert (f.status, f.due, f.met_by) == ("late", RETURN, "RP-1")
    assert f in a.violations


def test_a_plan_arranged_for_before_the_return_is_scheduled() -> None:
    # As of Mon 2 Feb, the plan is to be agreed on Thu 5 Feb.
    f = the(assess(returning(plan("RP-1", date(2026, 2, 5))), BEFORE), PLAN, RETURNING)
    assert (f.status, f.due, f.met_by) == ("scheduled", RETURN, "RP-1")


# --- Q.2: the final report --------------------------------------------------------------------


def test_a_final_report_covering_all_three_parts_meets_q2() -> None:
    a = assess(returning(final_report("FR-1", date(2026, 2, 6))))
    f = the(a, REPORT, RETURNING)
    assert (f.kind, f.duty_holder) == ("obligation", "headteacher")
    assert (f.status, f.due, f.met_by) == ("met", RETURN, "FR-1")


@pytest.mark.parametrize("missing", ALL_PARTS)
def test_a_final_report_missing_one_part_does_not_meet_q2(missing: str) -> None:
    covers = tuple(p for p in ALL_PARTS if p != missing)
    a = assess(returning(final_report("FR-1", date(2026, 2, 6), covers)))
    f = the(a, REPORT, RETURNING)
    assert (f.status, f.due, f.met_by) == ("overdue", RETURN, None)
    assert f in a.violations


def test_a_complete_report_after_an_incomplete_one_and_after_the_return_is_late() -> None:
    # Attendance only on Fri 30 Jan; the complete report on Wed 11 Feb, after the return.
    c = returning(
        final_report("FR-1", date(2026, 1, 30), ("attendance",)),
        final_report("FR-2", date(2026, 2, 11)),
    )
    f = the(assess(c), REPORT, RETURNING)
    assert (f.status, f.due, f.met_by) == ("late", RETURN, "FR-2")


# --- Q.3: the pupil's views -------------------------------------------------------------------


def test_the_headteacher_hearing_the_pupil_before_the_return_meets_q3() -> None:
    f = the(assess(returning(pupil_views("PV-1", date(2026, 2, 4)))), VIEWS, RETURNING)
    assert (f.status, f.due, f.met_by) == ("met", RETURN, "PV-1")


def test_views_heard_by_someone_other_than_the_headteacher_do_not_meet_q3() -> None:
    a = assess(returning(pupil_views("PV-1", date(2026, 2, 4), by_headteacher=False)))
    f = the(a, VIEWS, RETURNING)
    assert (f.status, f.due, f.met_by) == ("overdue", RETURN, None)
    assert f in a.violations


# --- Q.5: the reintegration meeting, the parents, the review of the strategy ------------------


def test_a_meeting_on_the_first_day_back_meets_q5() -> None:
    # "before or at the beginning of the pupil's return": Mon 9 Feb itself is in time.
    f = the(assess(returning(meeting("RM-1", RETURN, parents=True))), MEETING, RETURNING)
    assert (f.status, f.due, f.met_by) == ("met", RETURN, "RM-1")


def test_a_meeting_the_day_after_the_return_is_late() -> None:
    a = assess(returning(meeting("RM-1", date(2026, 2, 10), parents=True)))
    f = the(a, MEETING, RETURNING)
    assert (f.status, f.due, f.met_by) == ("late", RETURN, "RM-1")
    assert f in a.violations


def test_a_meeting_that_did_not_communicate_the_strategy_does_not_meet_q5() -> None:
    a = assess(returning(meeting("RM-1", date(2026, 2, 5), parents=True, strategy=False)))
    f = the(a, MEETING, RETURNING)
    assert (f.status, f.due, f.met_by) == ("overdue", RETURN, None)
    # The parents came, so the recommendation was followed all the same.
    assert (the(a, PARENTS).status, the(a, PARENTS).met_by) == ("met", "RM-1")


def test_a_meeting_arranged_only_for_after_the_return_is_at_risk() -> None:
    # As of Mon 2 Feb, the meeting is booked for Tue 10 Feb, the day after the return.
    a = assess(returning(meeting("RM-1", date(2026, 2, 10), parents=True)), BEFORE)
    f = the(a, MEETING, RETURNING)
    assert (f.status, f.due, f.met_by) == ("at_risk", RETURN, "RM-1")
    assert f not in a.violations


# "Where possible this meeting should include the pupil's parents" (the where_possible_means
# switch): an obligation by default (was a recommendation), unless the case records why it was
# not possible. The parents' absence no longer gives a permission: Q.5-return-not-prevented is
# a prohibition, breached only by a return held back until a late meeting.


def test_a_meeting_without_the_parents_and_no_reason_recorded_is_overdue() -> None:
    # Held on Thu 5 Feb without the parents: the meeting itself meets Q.5.
    a = assess(returning(meeting("RM-1", date(2026, 2, 5))))
    assert the(a, MEETING, RETURNING).status == "met"
    f = the(a, PARENTS, RETURNING)
    assert (f.kind, f.status, f.due, f.met_by) == ("obligation", "overdue", RETURN, None)
    assert NOT_PREVENTED not in rule_ids(a)
    # The violations are the other return duties left undone, and the parents' part.
    assert {f.rule_id for f in a.violations} == {PLAN, REPORT, VIEWS, STRATEGY, PARENTS}


def test_a_meeting_without_the_parents_is_a_missed_recommendation_under_that_reading() -> None:
    settings = PolicySettings(where_possible_means="recommendation")
    a = assess(returning(meeting("RM-1", date(2026, 2, 5))), settings=settings)
    f = the(a, PARENTS, RETURNING)
    assert (f.kind, f.status, f.due, f.met_by) == ("recommendation", "missed", RETURN, None)
    assert_advisory(a, f)


def test_the_reason_the_parents_could_not_come_recorded_by_the_return_excuses_q5() -> None:
    not_possible = {
        "kind": "not_possible",
        "id": "NP-1",
        "placement_id": "OSD-1",
        "what": "parents_at_meeting",
        "recorded_on": date(2026, 2, 5),
        "reason": "invited twice; unable to attend",
    }
    a = assess(returning(meeting("RM-1", date(2026, 2, 5)), not_possible))
    assert PARENTS not in rule_ids(a)
    # Recorded the day after the return, it comes too late to excuse it.
    late = not_possible | {"recorded_on": date(2026, 2, 10)}
    a = assess(returning(meeting("RM-1", date(2026, 2, 5)), late))
    assert the(a, PARENTS, RETURNING).status == "overdue"


def test_a_meeting_with_the_parents_meets_q5() -> None:
    a = assess(returning(meeting("RM-1", date(2026, 2, 5), parents=True)))
    f = the(a, PARENTS, RETURNING)
    assert (f.status, f.due, f.met_by) == ("met", RETURN, "RM-1")
    assert NOT_PREVENTED not in rule_ids(a)


def test_no_meeting_at_all_is_overdue_for_the_parents_too() -> None:
    a = assess(returning())
    f = the(a, PARENTS, RETURNING)
    assert (f.kind, f.status, f.due) == ("obligation", "overdue", RETURN)
    assert f in a.violations
    assert NOT_PREVENTED not in rule_ids(a)


def test_the_parents_part_is_pending_before_the_return() -> None:
    f = the(assess(returning(), BEFORE), PARENTS, RETURNING)
    assert (f.status, f.due) == ("pending", RETURN)


def test_a_review_of_the_strategy_by_the_tenth_school_day_meets_q5() -> None:
    # Wed 25 Feb is the 8th school day back (the half-term week does not count).
    a = assess(returning(review("PR-1", date(2026, 2, 25))))
    f = the(a, STRATEGY, RETURNING)
    assert (f.status, f.due, f.met_by) == ("met", REVIEW_DUE, "PR-1")


def test_a_review_on_the_tenth_school_day_is_in_time() -> None:
    f = the(assess(returning(review("PR-1", REVIEW_DUE))), STRATEGY, RETURNING)
    assert (f.status, f.due, f.met_by) == ("met", REVIEW_DUE, "PR-1")


def test_a_review_on_the_eleventh_school_day_is_late() -> None:
    a = assess(returning(review("PR-1", date(2026, 3, 2))))
    f = the(a, STRATEGY, RETURNING)
    assert (f.status, f.due, f.met_by) == ("late", REVIEW_DUE, "PR-1")
    assert f in a.violations


def test_a_review_before_the_return_does_not_review_the_strategy_after_it() -> None:
    # Reviewed on Wed 4 Feb, before the pupil was back: not the review Q.5 asks for.
    a = assess(returning(review("PR-1", date(2026, 2, 4))))
    f = the(a, STRATEGY, RETURNING)
    assert (f.status, f.due, f.met_by) == ("overdue", REVIEW_DUE, None)


def test_a_review_not_covering_the_reintegration_plan_does_not_meet_q5() -> None:
    a = assess(returning(review("PR-1", date(2026, 2, 25), covered=("progress", "attendance"))))
    assert (the(a, STRATEGY).status, the(a, STRATEGY).met_by) == ("overdue", None)


def test_the_strategy_review_is_pending_in_the_half_term_week() -> None:
    # Wed 18 Feb, half-term: five school days back, five to go.
    f = the(assess(returning(), date(2026, 2, 18)), STRATEGY, RETURNING)
    assert (f.status, f.due) == ("pending", REVIEW_DUE)


def test_the_strategy_review_follows_the_follow_up_setting() -> None:
    # Five school days counting Mon 9 Feb: Fri 13 Feb.
    settings = PolicySettings(follow_up_within_school_days=5)
    f = the(assess(returning(), settings=settings), STRATEGY, RETURNING)
    assert (f.status, f.due) == ("overdue", date(2026, 2, 13))
    assert f.explanation.readings == {"follow_up_within_school_days": 5}


def test_everything_done_in_time_leaves_no_violation() -> None:
    c = returning(
        plan("RP-1", date(2026, 1, 28)),
        final_report("FR-1", date(2026, 2, 6)),
        pupil_views("PV-1", date(2026, 2, 4)),
        meeting("RM-1", date(2026, 2, 5), parents=True),
        review("PR-1", date(2026, 2, 24)),
    )
    a = assess(c)
    assert {f.rule_id: f.status for f in a.findings} == {
        PLAN: "met",
        REPORT: "met",
        VIEWS: "met",
        MEETING: "met",
        PARENTS: "met",
        STRATEGY: "met",
    }


# --- Q.7: part-time timetables ----------------------------------------------------------------

TT_START = date(2026, 1, 12)  # Mon


def test_a_timetable_with_everything_q7_asks_breaks_no_requirement() -> None:
    a = assess(case(timetable()))
    assert not set(TIMETABLE_REQUIREMENTS) & rule_ids(a)


@pytest.mark.parametrize(
    ("rule_id", "change"),
    [
        pytest.param(BEHAVIOUR, {"reason": "managing_behaviour"}, id="to-manage-behaviour"),
        pytest.param(TIME_LIMIT, {"ends_on": None}, id="no-time-limit"),
        pytest.param(ARRANGEMENTS, {"review_every_weeks": None}, id="no-review-arrangements"),
        pytest.param(C2, {"absence_code": "other"}, id="absence-not-authorised"),
    ],
)
def test_each_q7_requirement_is_breached_from_the_first_day(
    rule_id: str, change: dict[str, Any]
) -> None:
    a = assess(case(timetable(**change)))
    f = the(a, rule_id, TIMETABLE)
    assert (f.kind, f.status, f.due) == ("requirement", "breached", TT_START)
    assert f in a.violations
    # Only that one: the other three are in place.
    assert set(TIMETABLE_REQUIREMENTS) & rule_ids(a) == {rule_id}


@pytest.mark.parametrize("rule_id", TIMETABLE_REQUIREMENTS)
def test_a_q7_requirement_is_at_risk_before_the_timetable_starts(rule_id: str) -> None:
    bad = timetable(
        reason="managing_behaviour", ends_on=None, review_every_weeks=None, absence_code="other"
    )
    # Wed 7 Jan 2026, the week before the timetable starts.
    a = assess(case(bad), date(2026, 1, 7))
    f = the(a, rule_id, TIMETABLE)
    assert (f.status, f.due) == ("at_risk", TT_START)
    assert f not in a.violations


def test_a_q7_requirement_is_breached_on_the_day_the_timetable_starts() -> None:
    a = assess(case(timetable(reason="managing_behaviour")), TT_START)
    f = the(a, BEHAVIOUR, TIMETABLE)
    assert (f.status, f.due) == ("breached", TT_START)


@pytest.mark.parametrize("reason", ["medical", "reintegration", "other"])
def test_a_timetable_for_another_reason_is_not_to_manage_behaviour(reason: str) -> None:
    assert BEHAVIOUR not in rule_ids(assess(case(timetable(reason=reason))))


def test_absence_not_yet_coded_is_neither_a_breach_nor_a_pass_of_c2() -> None:
    # No code recorded is not known to be a code other than C2, nor to be C2: Q.7 asks for it.
    (f,) = [f for f in assess(case(timetable(absence_code=None))).findings if f.rule_id == C2]
    assert (f.status, f.missing) == (
        "information_needed",
        ("part_time_timetable PTT-1: absence_code is not recorded",),
    )


def test_timetable_reviews_chain_every_two_weeks_one_finding_per_window() -> None:
    # From Mon 12 Jan to Fri 27 Mar 2026, reviewed every 2 weeks; reviews on Thu 22 Jan and
    # Wed 11 Feb. As of Mon 2 Mar:
    #   1. from Mon 12 Jan: by Mon 26 Jan - met on Thu 22 Jan;
    #   2. from Thu 22 Jan: by Thu 5 Feb - missed (overdue);
    #   3. from Thu 5 Feb: 2 weeks on is Thu 19 Feb, half-term, so by the last school day
    #      before it, Fri 13 Feb - met on Wed 11 Feb;
    #   4. from Wed 11 Feb: by Wed 25 Feb - missed (overdue);
    #   5. from Wed 25 Feb: by Wed 11 Mar - still to come (pending).
    c = case(
        timetable(),
        timetable_review("TR-1", date(2026, 1, 22)),
        timetable_review("TR-2", date(2026, 2, 11)),
    )
    a = assess(c)
    got = [(f.period, f.due, f.status, f.met_by) for f in findings(a, TT_REVIEWED, TIMETABLE)]
    assert got == [
        ("2 weeks from Mon 12 Jan 2026", date(2026, 1, 26), "met", "TR-1"),
        ("2 weeks from Thu 22 Jan 2026", date(2026, 2, 5), "overdue", None),
        ("2 weeks from Thu 5 Feb 2026", date(2026, 2, 13), "met", "TR-2"),
        ("2 weeks from Wed 11 Feb 2026", date(2026, 2, 25), "overdue", None),
        ("2 weeks from Wed 25 Feb 2026", date(2026, 3, 11), "pending", None),
    ]
    overdue = [f for f in findings(a, TT_REVIEWED) if f.status == "overdue"]
    assert len(overdue) == 2 and all(f in a.violations for f in overdue)


def test_a_review_in_the_half_term_holiday_is_late_for_its_window() -> None:
    # Window 3 (from Thu 5 Feb) is due Fri 13 Feb but runs to Thu 19 Feb: a review on Wed
    # 18 Feb is late for it, and the next counts from it (due Wed 4 Mar, still to come).
    c = case(
        timetable(),
        timetable_review("TR-1", date(2026, 1, 22)),
        timetable_review("TR-2", date(2026, 2, 18)),
    )
    got = [(f.due, f.status, f.met_by) for f in findings(assess(c), TT_REVIEWED, TIMETABLE)]
    assert got == [
        (date(2026, 1, 26), "met", "TR-1"),
        (date(2026, 2, 5), "overdue", None),
        (date(2026, 2, 13), "late", "TR-2"),
        (date(2026, 3, 4), "pending", None),
    ]


def test_a_review_without_the_pupil_and_parents_does_not_count() -> None:
    # Reviewed by staff alone on Thu 22 Jan: the first window (due Mon 26 Jan) is missed.
    c = case(timetable(), timetable_review("TR-1", date(2026, 1, 22), with_pupil_and_parents=False))
    first = findings(assess(c), TT_REVIEWED, TIMETABLE)[0]
    assert (first.due, first.status, first.met_by) == (date(2026, 1, 26), "overdue", None)


def test_no_review_is_due_after_the_timetable_ends() -> None:
    # Ending Fri 6 Feb: the second review (due Thu 5 Feb) is still asked for, the third (due
    # Fri 13 Feb) falls after the end and is not.
    c = case(timetable(ends_on=date(2026, 2, 6)), timetable_review("TR-1", date(2026, 1, 22)))
    got = [(f.due, f.status) for f in findings(assess(c), TT_REVIEWED, TIMETABLE)]
    assert got == [(date(2026, 1, 26), "met"), (date(2026, 2, 5), "overdue")]


def test_without_review_arrangements_no_recurring_review_is_dated() -> None:
    a = assess(case(timetable(review_every_weeks=None)))
    assert TT_REVIEWED not in rule_ids(a)
    assert ARRANGEMENTS in rule_ids(a)


def test_before_the_first_review_is_due_it_is_pending() -> None:
    # As of Mon 19 Jan, a week in: one window, due Mon 26 Jan.
    got = findings(assess(case(timetable()), date(2026, 1, 19)), TT_REVIEWED, TIMETABLE)
    assert [(f.due, f.status) for f in got] == [(date(2026, 1, 26), "pending")]


# --- Q.9: the next destination of a Year 11 pupil ---------------------------------------------


def test_a_year_11_pupil_with_no_return_needs_a_destination_by_the_end_of_the_year() -> None:
    a = assess(case(year_group=11))
    f = the(a, DESTINATION, PLACEMENT)
    assert (f.kind, f.status, f.due, f.met_by) == ("obligation", "pending", YEAR_END, None)
    assert f not in a.violations


def test_the_destination_is_due_today_on_the_last_school_day() -> None:
    f = the(assess(case(year_group=11), YEAR_END), DESTINATION, PLACEMENT)
    assert (f.status, f.due) == ("due_today", YEAR_END)


def test_no_destination_recorded_by_the_end_of_year_11_is_overdue() -> None:
    # Wed 22 Jul 2026, the first day of the summer holiday.
    a = assess(case(year_group=11), date(2026, 7, 22))
    f = the(a, DESTINATION, PLACEMENT)
    assert (f.status, f.due, f.met_by) == ("overdue", YEAR_END, None)
    assert f in a.violations


def test_a_record_of_the_destination_meets_q9() -> None:
    # Recorded on Fri 10 Jul 2026; the rest of the placement record is not needed for Q.9.
    c = case(placement_record("REC-1", date(2026, 7, 10), "destination"), year_group=11)
    f = the(assess(c, date(2026, 7, 22)), DESTINATION, PLACEMENT)
    assert (f.status, f.due, f.met_by) == ("met", YEAR_END, "REC-1")


def test_a_record_without_the_destination_does_not_meet_q9() -> None:
    c = case(
        placement_record("REC-1", date(2026, 7, 10), "progress", "achievements"), year_group=11
    )
    f = the(assess(c, date(2026, 7, 22)), DESTINATION, PLACEMENT)
    assert (f.status, f.met_by) == ("overdue", None)


@pytest.mark.parametrize(
    "start",
    [date(2025, 9, 15), date(2026, 4, 13)],
    ids=["autumn-start", "summer-start"],
)
def test_q9_is_due_at_the_end_of_the_school_year_the_placement_starts_in(start: date) -> None:
    c = case(placements=[scenarios.direction(start, start, provider_id="PRV-1")], year_group=11)
    f = the(assess(c, start), DESTINATION, PLACEMENT)
    assert (f.status, f.due) == ("pending", YEAR_END)


@pytest.mark.parametrize(
    ("placements", "year_group", "events"),
    [
        pytest.param(None, 10, (), id="year-10"),
        pytest.param(None, 11, (return_to_school("RTS-1", RETURN),), id="return-recorded"),
        pytest.param(
            [{"id": "OSD-1", "kind": "in_school_unit", "start_date": START, "full_time": True}],
            11,
            (),
            id="in-school-unit",
        ),
        pytest.param([direction(arranged_by="local_authority")], 11, (), id="la-arranged"),
    ],
)
def test_q9_is_only_for_year_11_in_school_commissioned_provision_with_no_return(
    placements: Any, year_group: int, events: tuple[dict[str, Any], ...]
) -> None:
    a = assess(case(*events, placements=placements, year_group=year_group))
    assert DESTINATION not in rule_ids(a)


AUTUMN_ONLY = SchoolCalendar.from_terms(
    [(h.first_day, h.last_day) for h in CAL.half_terms[:2]],
    {d: CAL.closure_reason(d) for d in CAL.closures if d <= date(2025, 12, 19)},
    name="Example Borough Council, autumn term 2025 only",
    term_names=["autumn", "autumn"],
)


def test_q9_is_not_dated_on_a_calendar_that_stops_before_the_end_of_the_year() -> None:
    # The calendar covers only the autumn term 2025: it does not reach the end of Year 11
    # (Tue 21 Jul 2026 on the full calendar), so the destination cannot be dated on it. Fri
    # 19 Dec 2025 is merely the calendar's last day, not the last school day of the year.
    c = case(year_group=11)
    a = section_evaluator("Q").evaluate(c, as_of=date(2025, 12, 1), calendar=AUTUMN_ONLY)
    assert DESTINATION not in rule_ids(a)
