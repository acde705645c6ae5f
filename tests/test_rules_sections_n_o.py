"""Policy sections N (monitoring progress, behaviour and welfare) and O (monitoring attendance):
every rule of rules/N-monitoring-progress.yaml and rules/O-monitoring-attendance.yaml, as
scenarios.

Every deadline below is worked out by hand on the example calendar, "Example Borough Council
2025-26" (SchoolCalendar.example()). The dates these tests lean on:

    Terms     autumn 1 Sep - 19 Dec 2025 (72 school days: 33 in half-term 1, 39 in half-term
              2, 28 Oct - 19 Dec, as Mon 27 Oct is INSET); spring 5 Jan - 27 Mar 2026 (54);
              summer 13 Apr - 21 Jul 2026 (65).
    Nov 2025  Mon 17 the placement PL-1 starts (a school day). From Fri 31 Oct, 36 of the
              autumn term's 72 school days remain (half); from Mon 3 Nov, 35.
    Dec 2025  Mon 1 - Fri 19 school days; Sat 20 Dec - Sun 4 Jan the Christmas holiday.
    Jan 2026  Mon 5 INSET (not a school day); school days from Tue 6.
    Feb 2026  Fri 13 the last school day of spring half-term 1; Mon 16 - Fri 20 half-term;
              school days again from Mon 23.
    Mar 2026  Fri 27 the last school day of the spring term; Easter holiday to Sun 12 Apr.
    May 2026  Mon 4 the early May bank holiday (not a school day).
    Jul 2026  Tue 21 the last day of the summer term and of the calendar.

Unless a test says otherwise, PL-1 is part-time provision the school commissions from an
independent school ("Larkfield Made-Up Academy"), from Mon 17 Nov 2025, with no end date.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from apcompliance import Assessment, Case, PolicySettings
from tests import scenarios
from tests.scenarios import findings, rule_ids, the

START = date(2025, 11, 17)  # Mon
PLACEMENT = "placement PL-1"
PROVIDER = {"id": "PRV-1", "name": "Larkfield Made-Up Academy", "kind": "independent_school"}

ATTAINMENT = "N.1-attainment-data"
TERMLY = "N.3-termly-provider-report"
INCIDENT = "N.5-provider-reports-serious-incident"
FORMAL = "N.6-formal-review-meeting"
N6_ATTENDEES = ("headteacher", "ap_lead", "pupil", "parents", "provider")
N6_RULE = {
    "headteacher": "N.6-formal-review-attended-by-headteacher",
    "ap_lead": "N.6-formal-review-attended-by-ap-lead",
    "pupil": "N.6-formal-review-attended-by-pupil",
    "parents": "N.6-formal-review-attended-by-parents",
    "provider": "N.6-formal-review-attended-by-provider",
}
MAY_END = "N.7-may-end-placement"
SAFEGUARDING = "N.8-may-end-after-safeguarding-concern"
ABSENCE_REPORTED = "O.2-provider-reports-absence"
PARENTS_CONTACTED = "O.3-school-contacts-parents"
WEEKLY = "O.4-weekly-attendance-records"
INTERVENTION = "O.5-interventions-below-target"

N_RULES = {ATTAINMENT, TERMLY, INCIDENT, FORMAL, MAY_END, SAFEGUARDING, *N6_RULE.values()}
O_RULES = {ABSENCE_REPORTED, PARENTS_CONTACTED, WEEKLY, INTERVENTION}


# --- building cases ---------------------------------------------------------------------------


def placement(
    start: date = START, *, end: date | None = None, kind: str = "other", **extra: Any
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": "PL-1",
        "kind": kind,
        "provider_id": "PRV-1",
        "start_date": start,
        "full_time": False,
        "sessions_per_week": 4,
    }
    if end is not None:
        out["end_date"] = end
    return out | extra


def case(*events: dict[str, Any], pl: dict[str, Any] | None = None) -> Case:
    return scenarios.case(
        *events,
        placements=[pl or placement()],
        providers=[PROVIDER],
        case_id="CASE-NO",
    )


def direction_case(*events: dict[str, Any]) -> Case:
    """An off-site direction OSD-1, decided Mon 10 Nov 2025, from Mon 17 Nov."""
    return scenarios.case(
        *events,
        placements=[scenarios.direction(START, date(2025, 11, 10), provider_id="PRV-1")],
        providers=[PROVIDER],
        case_id="CASE-NO",
    )


def assess(
    c: Case, as_of: date, *sections: str, settings: PolicySettings | None = None
) -> Assessment:
    return scenarios.assess(c, as_of, *(sections or ("N", "O")), settings=settings)


def windows(a: Assessment, rule_id: str) -> list[tuple[str | None, object, str, str | None]]:
    """(period, due, status, met_by) of each finding of a recurring rule, in order."""
    return [(f.period, f.due, f.status, f.met_by) for f in findings(a, rule_id, PLACEMENT)]


def shared(id: str, shared_on: date, *items: str, placement_id: str = "PL-1") -> dict[str, Any]:
    return {
        "kind": "information_shared",
        "id": id,
        "placement_id": placement_id,
        "shared_on": shared_on,
        "items": list(items or ("attainment_data",)),
    }


def report(
    id: str,
    received_on: date,
    covers: tuple[str, ...] = ("progress", "behaviour", "welfare"),
) -> dict[str, Any]:
    return {
        "kind": "provider_report",
        "id": id,
        "placement_id": "PL-1",
        "received_on": received_on,
        "covers": list(covers),
    }


def incident(id: str, occurred_on: date, informed_on: date | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": "serious_incident",
        "id": id,
        "placement_id": "PL-1",
        "occurred_on": occurred_on,
    }
    if informed_on is not None:
        out["school_informed_on"] = informed_on
    return out


def progress(
    id: str, recorded_on: date, outcome: str = "unsatisfactory", *, placement_id: str = "PL-1"
) -> dict[str, Any]:
    return {
        "kind": "progress_record",
        "id": id,
        "placement_id": placement_id,
        "recorded_on": recorded_on,
        "progress": outcome,
    }


def review(
    id: str,
    held_on: date,
    *,
    attendees: tuple[str, ...] = N6_ATTENDEES,
    formal: bool = True,
    placement_id: str = "PL-1",
) -> dict[str, Any]:
    return {
        "kind": "placement_review",
        "id": id,
        "placement_id": placement_id,
        "held_on": held_on,
        "formal": formal,
        "attendees": list(attendees),
        "covered": ["progress"],
    }


def concern(id: str, raised_on: date, *, placement_id: str = "PL-1") -> dict[str, Any]:
    return {
        "kind": "safeguarding_concern",
        "id": id,
        "placement_id": placement_id,
        "raised_on": raised_on,
    }


def absence(
    id: str,
    absent_on: date,
    *,
    reported_on: date | None = None,
    parents_on: date | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": "absence",
        "id": id,
        "placement_id": "PL-1",
        "absent_on": absent_on,
    }
    if reported_on is not None:
        out["provider_reported_on"] = reported_on
    if parents_on is not None:
        out["parents_contacted_on"] = parents_on
    return out


def update(id: str, updated_on: date, percent: float = 95.0) -> dict[str, Any]:
    return {
        "kind": "attendance_update",
        "id": id,
        "placement_id": "PL-1",
        "updated_on": updated_on,
        "attendance_percent": percent,
    }


def intervention(id: str, started_on: date) -> dict[str, Any]:
    return {
        "kind": "attendance_intervention",
        "id": id,
        "placement_id": "PL-1",
        "started_on": started_on,
    }


NOT_COMMISSIONED = {
    "arranged by the local authority": placement(arranged_by="local_authority"),
    "the school's own unit": placement(kind="in_school_unit"),
    "provision for a permanent exclusion": placement(kind="permanent_exclusion_provision"),
}


# --- not commissioned by the school: sections N and O stay quiet ------------------------------


@pytest.mark.parametrize("pl", NOT_COMMISSIONED.values(), ids=NOT_COMMISSIONED.keys())
def test_provision_the_school_does_not_commission_is_outside_n_and_o(pl: dict[str, Any]) -> None:
    c = case(
        incident("INC-1", date(2025, 12, 5)),
        progress("PRG-1", date(2026, 2, 9)),
        review("FRM-1", date(2026, 2, 25), attendees=()),
        concern("SGC-1", date(2026, 1, 14)),
        absence("ABS-1", date(2026, 1, 16)),
        update("UPD-1", date(2026, 1, 16), 70.0),
        pl=pl,
    )
    a = assess(c, date(2026, 3, 30))
    assert not (N_RULES | O_RULES) & rule_ids(a)


# --- N.1: the pupil's attainment data, upon placement ----------------------------------------


def test_attainment_data_not_given_by_the_start_is_overdue() -> None:
    a = assess(case(), date(2025, 11, 18))
    f = the(a, ATTAINMENT)
    assert (f.status, f.due, f.subject, f.met_by) == ("overdue", START, PLACEMENT, None)
    assert (f.kind, f.duty_holder) == ("obligation", "school")
    assert f in a.violations


def test_attainment_data_given_before_the_start_meets_n1() -> None:
    a = assess(case(shared("INF-1", date(2025, 11, 12))), date(2025, 11, 18))
    f = the(a, ATTAINMENT)
    assert (f.status, f.due, f.met_by, f.met_on) == ("met", START, "INF-1", date(2025, 11, 12))
    assert f not in a.violations


def test_attainment_data_given_after_the_start_is_late() -> None:
    a = assess(case(shared("INF-1", date(2025, 11, 19))), date(2025, 11, 24))
    f = the(a, ATTAINMENT)
    assert (f.status, f.due, f.met_by) == ("late", START, "INF-1")
    assert f in a.violations


def test_attainment_data_is_pending_before_the_start_and_due_on_it() -> None:
    assert the(assess(case(), date(2025, 11, 10)), ATTAINMENT).status == "pending"
    assert the(assess(case(), START), ATTAINMENT).status == "due_today"


def test_other_information_is_not_the_attainment_data() -> None:
    c = case(shared("INF-1", date(2025, 11, 12), "send_details", "objectives"))
    f = the(assess(c, date(2025, 11, 18)), ATTAINMENT)
    assert (f.status, f.due, f.met_by) == ("overdue", START, None)


def test_attainment_data_given_about_another_placement_does_not_count() -> None:
    # A second placement PL-2 from Mon 1 Dec 2025; the data is given for PL-2 only.
    second = placement(date(2025, 12, 1)) | {"id": "PL-2"}
    c = scenarios.case(
        shared("INF-1", date(2025, 11, 12), placement_id="PL-2"),
        placements=[placement(), second],
        providers=[PROVIDER],
        case_id="CASE-NO",
    )
    a = assess(c, date(2025, 12, 1))
    f = the(a, ATTAINMENT, PLACEMENT)
    assert (f.status, f.due, f.met_by) == ("overdue", START, None)
    f = the(a, ATTAINMENT, "placement PL-2")
    assert (f.status, f.due, f.met_by) == ("met", date(2025, 12, 1), "INF-1")


# --- N.3: a termly report from the provider ---------------------------------------------------


def test_a_placement_starting_with_less_than_half_the_term_left_reports_from_spring() -> None:
    # From Mon 17 Nov 2025, 25 of the autumn term's 72 school days remain: the first report is
    # due in the spring term, by Fri 27 Mar 2026. Nothing by Mon 30 Mar: overdue; the summer
    # term's (by Tue 21 Jul) is still to come.
    a = assess(case(), date(2026, 3, 30))
    assert windows(a, TERMLY) == [
        ("spring term 2026", date(2026, 3, 27), "overdue", None),
        ("summer term 2026", date(2026, 7, 21), "pending", None),
    ]
    f = findings(a, TERMLY)[0]
    # "Providers will be required to": the school's duty to obtain it (was the provider's).
    assert (f.kind, f.duty_holder) == ("obligation", "ap_lead")
    assert f.action.startswith("obtain the provider's termly report")
    assert f in a.violations
    assert f.explanation.readings == {"termly_means": "term"}


def test_a_report_covering_progress_behaviour_and_welfare_meets_its_term() -> None:
    a = assess(case(report("REP-1", date(2026, 3, 20))), date(2026, 3, 30))
    assert windows(a, TERMLY) == [
        ("spring term 2026", date(2026, 3, 27), "met", "REP-1"),
        ("summer term 2026", date(2026, 7, 21), "pending", None),
    ]
    assert not [f for f in a.violations if f.rule_id == TERMLY]


def test_a_report_that_leaves_out_welfare_does_not_count() -> None:
    c = case(report("REP-1", date(2026, 3, 20), covers=("progress", "behaviour")))
    a = assess(c, date(2026, 3, 30))
    assert windows(a, TERMLY)[0] == ("spring term 2026", date(2026, 3, 27), "overdue", None)


def test_a_report_booked_for_later_in_the_term_is_scheduled() -> None:
    a = assess(case(report("REP-1", date(2026, 3, 20))), date(2026, 2, 2))
    assert windows(a, TERMLY) == [("spring term 2026", date(2026, 3, 27), "scheduled", "REP-1")]


def test_a_report_in_the_autumn_term_does_not_count_for_spring() -> None:
    # Received Fri 12 Dec 2025: the autumn term is not one of the placement's windows, and the
    # report cannot count for the spring term.
    a = assess(case(report("REP-1", date(2025, 12, 12))), date(2026, 3, 30))
    assert windows(a, TERMLY)[0] == ("spring term 2026", date(2026, 3, 27), "overdue", None)


def test_a_report_in_the_summer_term_is_not_a_late_spring_report() -> None:
    a = assess(case(report("REP-1", date(2026, 4, 20))), date(2026, 4, 27))
    assert windows(a, TERMLY) == [
        ("spring term 2026", date(2026, 3, 27), "overdue", None),
        ("summer term 2026", date(2026, 7, 21), "met", "REP-1"),
    ]


def test_the_start_term_counts_when_at_least_half_of_it_remains() -> None:
    # Fri 31 Oct 2025: 36 of 72 school days remain, exactly half: the autumn term counts (by
    # Fri 19 Dec). Mon 3 Nov: 35 remain, so the first report is the spring term's.
    a = assess(case(pl=placement(date(2025, 10, 31))), date(2025, 12, 1))
    assert windows(a, TERMLY) == [("autumn term 2025", date(2025, 12, 19), "pending", None)]
    a = assess(case(pl=placement(date(2025, 11, 3))), date(2025, 12, 1))
    assert windows(a, TERMLY) == [("spring term 2026", date(2026, 3, 27), "pending", None)]


def test_a_placement_from_early_september_reports_in_the_autumn_term() -> None:
    # From Mon 8 Sep 2025; a report on Wed 17 Dec meets the autumn term. On Mon 5 Jan 2026 the
    # spring term's is still to come.
    a = assess(
        case(report("REP-1", date(2025, 12, 17)), pl=placement(date(2025, 9, 8))), date(2026, 1, 5)
    )
    assert windows(a, TERMLY) == [
        ("autumn term 2025", date(2025, 12, 19), "met", "REP-1"),
        ("spring term 2026", date(2026, 3, 27), "pending", None),
    ]


HALF_TERMS = PolicySettings(termly_means="half_term")


def test_termly_means_half_term_asks_for_a_report_each_half_term() -> None:
    # From Mon 17 Nov, 25 of autumn half-term 2's 39 school days remain (more than half): that
    # half-term counts, by Fri 19 Dec. Then spring half-term 1 (by Fri 13 Feb) and half-term 2
    # (by Fri 27 Mar). A report on Tue 10 Feb meets spring half-term 1 only.
    a = assess(case(report("REP-1", date(2026, 2, 10))), date(2026, 3, 2), settings=HALF_TERMS)
    assert windows(a, TERMLY) == [
        ("autumn term 2025, half-term 2", date(2025, 12, 19), "overdue", None),
        ("spring term 2026, half-term 1", date(2026, 2, 13), "met", "REP-1"),
        ("spring term 2026, half-term 2", date(2026, 3, 27), "pending", None),
    ]
    for f in findings(a, TERMLY):
        assert f.explanation.readings == {"termly_means": "half_term"}


def test_a_placement_ending_on_the_terms_last_day_still_owes_its_report() -> None:
    # Ends Fri 27 Mar 2026, the spring term's last school day: the spring report is due.
    a = assess(case(pl=placement(end=date(2026, 3, 27))), date(2026, 4, 20))
    assert windows(a, TERMLY) == [("spring term 2026", date(2026, 3, 27), "overdue", None)]


def test_a_placement_ending_in_the_summer_term_owes_no_summer_report_after_it() -> None:
    # Ends Fri 8 May 2026: the spring report is met; no window runs past the end.
    c = case(report("REP-1", date(2026, 3, 20)), pl=placement(end=date(2026, 5, 8)))
    a = assess(c, date(2026, 7, 21))
    assert ("summer term 2026", date(2026, 7, 21)) not in [w[:2] for w in windows(a, TERMLY)]
    assert windows(a, TERMLY)[0] == ("spring term 2026", date(2026, 3, 27), "met", "REP-1")


def test_a_placement_running_most_of_a_term_owes_a_report_for_it() -> None:
    # The rule's note: "One report in each term the placement runs". This one runs from Mon 17
    # Nov 2025 (less than half the autumn term left, so autumn is rightly skipped) to Fri 20
    # Mar 2026, one week short of the spring term's end. Nothing was reported: on Mon 20 Apr
    # the spring term's report is overdue, whether it was due by the term's last school day or
    # by the placement's.
    a = assess(case(pl=placement(end=date(2026, 3, 20))), date(2026, 4, 20))
    assert [(f.period, f.status) for f in findings(a, TERMLY)] == [("spring term 2026", "overdue")]


# --- N.5: the provider tells the school about a serious incident ------------------------------

DEC5 = date(2025, 12, 5)  # Fri
DEC8 = date(2025, 12, 8)  # Mon


def test_a_serious_incident_must_be_reported_the_same_school_day() -> None:
    a = assess(case(incident("INC-1", DEC5)), DEC8)
    f = the(a, INCIDENT)
    assert (f.status, f.due, f.subject) == ("overdue", DEC5, "serious_incident INC-1")
    # The AP lead is informed (C.3.iii): the school's duty to obtain the contact (was the
    # provider's).
    assert (f.kind, f.duty_holder) == ("obligation", "ap_lead")
    assert f.action.startswith("obtain the provider's contact")
    assert f.explanation.readings == {"prompt_by_school_day": 1}
    assert f in a.violations


def test_an_incident_reported_the_same_day_is_met() -> None:
    f = the(assess(case(incident("INC-1", DEC5, DEC5)), DEC8), INCIDENT)
    assert (f.status, f.due, f.met_by, f.met_on) == ("met", DEC5, "INC-1", DEC5)


def test_an_incident_on_a_friday_reported_on_monday_is_late() -> None:
    a = assess(case(incident("INC-1", DEC5, DEC8)), DEC8)
    f = the(a, INCIDENT)
    assert (f.status, f.due, f.met_by) == ("late", DEC5, "INC-1")
    assert f in a.violations


def test_an_unreported_incident_is_due_today_on_its_day() -> None:
    f = the(assess(case(incident("INC-1", DEC5)), DEC5), INCIDENT)
    assert (f.status, f.due) == ("due_today", DEC5)


def test_prompt_by_the_second_school_day_allows_the_next_monday() -> None:
    # Fri 5 Dec (day 1), Mon 8 Dec (day 2).
    settings = PolicySettings(prompt_by_school_day=2)
    f = the(assess(case(incident("INC-1", DEC5, DEC8)), DEC8, settings=settings), INCIDENT)
    assert (f.status, f.due, f.met_by) == ("met", DEC8, "INC-1")
    assert f.explanation.readings == {"prompt_by_school_day": 2}


def test_no_incident_no_n5() -> None:
    assert INCIDENT not in rule_ids(assess(case(), DEC8))


# --- N.6: a formal review meeting after unsatisfactory progress -------------------------------

# Progress recorded unsatisfactory on Mon 9 Feb 2026 (day 1): Tue 10 (2), Wed 11 (3), Thu 12 (4),
# Fri 13 (5); half-term Mon 16 - Fri 20 Feb not counted; Mon 23 (6), Tue 24 (7), Wed 25 (8),
# Thu 26 (9), Fri 27 Feb 2026 (10).
FEB9 = date(2026, 2, 9)
FORMAL_DUE = date(2026, 2, 27)
MAR2 = date(2026, 3, 2)


def test_unsatisfactory_progress_needs_a_formal_review_within_ten_school_days() -> None:
    a = assess(case(progress("PRG-1", FEB9)), MAR2)
    f = the(a, FORMAL)
    assert (f.status, f.due, f.subject) == ("overdue", FORMAL_DUE, "progress_record PRG-1")
    assert (f.kind, f.duty_holder) == ("obligation", "school")
    assert f.explanation.readings == {"follow_up_within_school_days": 10}
    assert f in a.violations


def test_a_formal_review_within_ten_school_days_meets_n6() -> None:
    a = assess(case(progress("PRG-1", FEB9), review("FRM-1", date(2026, 2, 25))), MAR2)
    f = the(a, FORMAL)
    assert (f.status, f.due, f.met_by) == ("met", FORMAL_DUE, "FRM-1")


def test_a_formal_review_after_the_tenth_school_day_is_late() -> None:
    a = assess(case(progress("PRG-1", FEB9), review("FRM-1", MAR2)), MAR2)
    f = the(a, FORMAL)
    assert (f.status, f.due, f.met_by) == ("late", FORMAL_DUE, "FRM-1")


def test_a_formal_review_before_the_record_or_an_ordinary_review_does_not_meet_n6() -> None:
    c = case(
        review("FRM-0", date(2026, 2, 6)),
        progress("PRG-1", FEB9),
        review("REV-1", date(2026, 2, 25), formal=False),
    )
    f = the(assess(c, MAR2), FORMAL)
    assert (f.status, f.due, f.met_by) == ("overdue", FORMAL_DUE, None)


def test_the_follow_up_switch_sets_the_formal_review_deadline() -> None:
    # Five school days: Mon 9 - Fri 13 Feb.
    settings = PolicySettings(follow_up_within_school_days=5)
    f = the(assess(case(progress("PRG-1", FEB9)), MAR2, settings=settings), FORMAL)
    assert (f.status, f.due) == ("overdue", date(2026, 2, 13))


def test_satisfactory_progress_needs_no_formal_review() -> None:
    assert FORMAL not in rule_ids(assess(case(progress("PRG-1", FEB9, "satisfactory")), MAR2))


def test_for_an_off_site_direction_n6_leaves_the_meeting_to_h4() -> None:
    c = direction_case(progress("PRG-1", FEB9, placement_id="OSD-1"))
    a = assess(c, MAR2, "N", "H")
    assert FORMAL not in rule_ids(a)
    f = the(a, "H.4-formal-review-meeting")
    assert (f.status, f.due) == ("overdue", FORMAL_DUE)


# --- N.6: who attends the formal review meeting -----------------------------------------------

FEB25 = date(2026, 2, 25)


@pytest.mark.parametrize("absent", N6_ATTENDEES)
def test_each_missing_attendee_breaches_its_own_requirement(absent: str) -> None:
    present = tuple(x for x in N6_ATTENDEES if x != absent)
    c = case(progress("PRG-1", FEB9), review("FRM-1", FEB25, attendees=present))
    a = assess(c, MAR2)
    broken = [f for f in a.findings if f.rule_id.startswith("N.6-formal-review-attended-by-")]
    assert [f.rule_id for f in broken] == [N6_RULE[absent]]
    (f,) = broken
    assert (f.kind, f.status, f.due, f.subject) == (
        "requirement",
        "breached",
        FEB25,
        "placement_review FRM-1",
    )
    assert f in a.violations
    assert the(a, FORMAL).status == "met"  # the meeting itself was held in time


def test_the_duty_holders_of_the_attendance_requirements() -> None:
    a = assess(case(review("FRM-1", FEB25, attendees=())), MAR2)
    holders = {f.rule_id: f.duty_holder for f in a.findings if f.rule_id in N6_RULE.values()}
    assert holders == {
        N6_RULE["headteacher"]: "headteacher",
        N6_RULE["ap_lead"]: "ap_lead",
        N6_RULE["pupil"]: "school",
        N6_RULE["parents"]: "school",
        N6_RULE["provider"]: "school",
    }
    assert all(the(a, r).due == FEB25 for r in N6_RULE.values())


def test_a_formal_review_everyone_attended_breaches_nothing() -> None:
    a = assess(case(progress("PRG-1", FEB9), review("FRM-1", FEB25)), MAR2)
    assert not set(N6_RULE.values()) & rule_ids(a)


def test_attendance_at_an_ordinary_review_is_not_checked() -> None:
    a = assess(case(review("REV-1", FEB25, attendees=("ap_lead",), formal=False)), MAR2)
    assert not set(N6_RULE.values()) & rule_ids(a)


def test_a_formal_review_still_to_come_without_the_headteacher_is_at_risk() -> None:
    # Booked for Wed 25 Feb without the headteacher; on Mon 23 Feb that day is still to come.
    present = tuple(x for x in N6_ATTENDEES if x != "headteacher")
    a = assess(case(review("FRM-1", FEB25, attendees=present)), date(2026, 2, 23))
    f = the(a, N6_RULE["headteacher"])
    assert (f.status, f.due) == ("at_risk", FEB25)
    assert f not in a.violations
    # On the day itself it is breached.
    f = the(assess(case(review("FRM-1", FEB25, attendees=present)), FEB25), N6_RULE["headteacher"])
    assert (f.status, f.due) == ("breached", FEB25)


def test_for_an_off_site_direction_n6_asks_only_for_the_headteacher_and_ap_lead() -> None:
    # The pupil, parents and provider missing from a direction's formal review are H.4's
    # (H.4-formal-review-attended-by-*), not N.6's; the headteacher and AP lead are N.6's alone.
    c = direction_case(review("FRM-1", FEB25, attendees=("commissioner",), placement_id="OSD-1"))
    a = assess(c, MAR2, "N", "H")
    n6 = {f.rule_id: f for f in a.findings if f.rule_id in N6_RULE.values()}
    assert set(n6) == {N6_RULE["headteacher"], N6_RULE["ap_lead"]}
    for f in n6.values():
        assert (f.status, f.due, f.subject) == ("breached", FEB25, "placement_review FRM-1")
        assert f in a.violations
    h4 = {f.rule_id for f in a.findings if f.rule_id.startswith("H.4-formal-review-attended-by-")}
    assert h4 == {
        "H.4-formal-review-attended-by-pupil",
        "H.4-formal-review-attended-by-parents",
        "H.4-formal-review-attended-by-provider",
    }


def test_a_direction_review_with_everyone_breaches_neither_n6_nor_h4() -> None:
    everyone = ("commissioner", *N6_ATTENDEES)
    c = direction_case(review("FRM-1", FEB25, attendees=everyone, placement_id="OSD-1"))
    a = assess(c, MAR2, "N", "H")
    assert not [f for f in a.findings if "formal-review-attended-by" in f.rule_id]


# --- N.7: the school may end the placement after three formal reviews ------------------------

# Progress found unsatisfactory on Thu 8 Jan 2026; formal reviews on Thu 15 Jan, Thu 5 Feb and
# Thu 5 Mar 2026, with no improvement recorded.
JAN8 = date(2026, 1, 8)
THREE_FORMAL = (
    review("FRM-1", date(2026, 1, 15)),
    review("FRM-2", date(2026, 2, 5)),
    review("FRM-3", date(2026, 3, 5)),
)
MAR9 = date(2026, 3, 9)


def test_three_formal_reviews_without_improvement_permit_ending_the_placement() -> None:
    a = assess(case(progress("PRG-1", JAN8), *THREE_FORMAL), MAR9)
    f = the(a, MAY_END)
    assert (f.kind, f.status, f.due, f.subject) == ("permission", "permitted", None, PLACEMENT)
    assert f in a.advisories
    assert f not in a.violations
    assert f.explanation.facts["placement"]["formal_reviews_without_improvement"] == 3


def test_two_formal_reviews_do_not_yet_permit_ending() -> None:
    assert MAY_END not in rule_ids(assess(case(progress("PRG-1", JAN8), *THREE_FORMAL[:2]), MAR9))


def test_a_third_formal_review_still_to_come_does_not_yet_count() -> None:
    assert MAY_END not in rule_ids(assess(case(progress("PRG-1", JAN8), *THREE_FORMAL), MAR2))


def test_improvement_after_the_reviews_withdraws_the_permission() -> None:
    c = case(progress("PRG-1", JAN8), *THREE_FORMAL, progress("PRG-2", MAR9, "satisfactory"))
    assert MAY_END not in rule_ids(assess(c, date(2026, 3, 10)))


def test_for_an_off_site_direction_n7_leaves_the_permission_to_h4() -> None:
    c = direction_case(
        progress("PRG-1", JAN8, placement_id="OSD-1"),
        *(
            review(f"FRM-{i}", d, placement_id="OSD-1")
            for i, d in enumerate((date(2026, 1, 15), date(2026, 2, 5), date(2026, 3, 5)), start=1)
        ),
    )
    a = assess(c, MAR9, "N", "H")
    assert MAY_END not in rule_ids(a)
    assert the(a, "H.4-may-end-placement").status == "permitted"


# --- N.8: the placement may be ended after a safeguarding concern ----------------------------


def test_a_safeguarding_concern_permits_ending_the_placement() -> None:
    a = assess(case(concern("SGC-1", date(2026, 1, 14))), date(2026, 1, 19))
    f = the(a, SAFEGUARDING)
    assert (f.kind, f.status, f.due, f.subject) == (
        "permission",
        "permitted",
        None,
        "safeguarding_concern SGC-1",
    )
    assert (f.duty_holder, f.met_by) == ("school", None)
    assert f in a.advisories
    assert f not in a.violations


def test_n8_applies_to_an_off_site_direction_too() -> None:
    a = assess(direction_case(concern("SGC-1", date(2026, 1, 14), placement_id="OSD-1")), MAR2)
    assert the(a, SAFEGUARDING).subject == "safeguarding_concern SGC-1"


def test_a_concern_raised_after_the_evaluation_date_does_not_yet_permit_ending() -> None:
    # The concern is raised on Sat 14 Mar 2026; on Mon 19 Jan nothing has happened yet.
    a = assess(case(concern("SGC-1", date(2026, 3, 14))), date(2026, 1, 19))
    assert SAFEGUARDING not in rule_ids(a)
    # Once it has been raised (as of Mon 16 Mar), the permission is reported.
    f = the(assess(case(concern("SGC-1", date(2026, 3, 14))), date(2026, 3, 16)), SAFEGUARDING)
    assert f.status == "permitted"


def test_without_a_concern_n8_is_quiet() -> None:
    assert SAFEGUARDING not in rule_ids(assess(case(), MAR2))


def test_no_permission_is_ever_a_violation() -> None:
    c = case(progress("PRG-1", JAN8), *THREE_FORMAL, concern("SGC-1", date(2026, 1, 14)))
    a = assess(c, MAR9)
    assert {MAY_END, SAFEGUARDING} <= rule_ids(a)
    assert not [f for f in a.violations if f.kind == "permission"]


# --- O.2 / O.3: an absence is reported to the school, and the parents contacted --------------

JAN16 = date(2026, 1, 16)  # Fri
JAN19 = date(2026, 1, 19)  # Mon


@pytest.mark.parametrize("rule_id", [ABSENCE_REPORTED, PARENTS_CONTACTED])
def test_an_absence_is_due_to_be_acted_on_the_same_school_day(rule_id: str) -> None:
    a = assess(case(absence("ABS-1", JAN16)), JAN19)
    f = the(a, rule_id)
    assert (f.status, f.due, f.subject, f.met_by) == ("overdue", JAN16, "absence ABS-1", None)
    assert f.explanation.readings == {"prompt_by_school_day": 1}
    assert f in a.violations
    assert the(assess(case(absence("ABS-1", JAN16)), JAN16), rule_id).status == "due_today"


def test_the_duty_holders_of_o2_and_o3() -> None:
    a = assess(case(absence("ABS-1", JAN16)), JAN19)
    # The attendance lead monitors attendance (C.6.i, O.1) and obtains the provider's report
    # (was the provider's duty).
    assert the(a, ABSENCE_REPORTED).duty_holder == "attendance_lead"
    assert the(a, ABSENCE_REPORTED).action.startswith("obtain the provider's report")
    assert the(a, PARENTS_CONTACTED).duty_holder == "attendance_lead"


def test_an_absence_reported_and_followed_up_the_same_day_is_met() -> None:
    a = assess(case(absence("ABS-1", JAN16, reported_on=JAN16, parents_on=JAN16)), JAN19)
    for rule_id in (ABSENCE_REPORTED, PARENTS_CONTACTED):
        f = the(a, rule_id)
        assert (f.status, f.due, f.met_by, f.met_on) == ("met", JAN16, "ABS-1", JAN16)


def test_an_absence_on_a_friday_reported_on_monday_is_late() -> None:
    a = assess(case(absence("ABS-1", JAN16, reported_on=JAN19, parents_on=JAN16)), JAN19)
    f = the(a, ABSENCE_REPORTED)
    assert (f.status, f.due, f.met_by) == ("late", JAN16, "ABS-1")
    assert f in a.violations
    assert the(a, PARENTS_CONTACTED).status == "met"


def test_parents_contacted_only_on_monday_is_late() -> None:
    a = assess(case(absence("ABS-1", JAN16, reported_on=JAN16, parents_on=JAN19)), JAN19)
    f = the(a, PARENTS_CONTACTED)
    assert (f.status, f.due) == ("late", JAN16)
    assert the(a, ABSENCE_REPORTED).status == "met"


def test_prompt_by_the_second_school_day_moves_o2_and_o3_to_monday() -> None:
    settings = PolicySettings(prompt_by_school_day=2)
    c = case(absence("ABS-1", JAN16, reported_on=JAN19, parents_on=JAN19))
    a = assess(c, JAN19, settings=settings)
    for rule_id in (ABSENCE_REPORTED, PARENTS_CONTACTED):
        f = the(a, rule_id)
        assert (f.status, f.due, f.met_by) == ("met", JAN19, "ABS-1")
        assert f.explanation.readings == {"prompt_by_school_day": 2}


def test_the_second_school_day_after_half_term_friday_is_after_the_holiday() -> None:
    # Absent Fri 13 Feb 2026 (day 1); half-term Mon 16 - Fri 20 Feb; day 2 is Mon 23 Feb.
    settings = PolicySettings(prompt_by_school_day=2)
    a = assess(case(absence("ABS-1", date(2026, 2, 13))), date(2026, 2, 18), settings=settings)
    f = the(a, ABSENCE_REPORTED)
    assert (f.status, f.due) == ("pending", date(2026, 2, 23))


def test_each_absence_is_its_own_finding() -> None:
    c = case(absence("ABS-1", JAN16, reported_on=JAN16), absence("ABS-2", JAN19))
    a = assess(c, date(2026, 1, 20))
    by_subject = {f.subject: (f.status, f.due) for f in findings(a, ABSENCE_REPORTED)}
    assert by_subject == {"absence ABS-1": ("met", JAN16), "absence ABS-2": ("overdue", JAN19)}


def test_no_absence_no_o2_or_o3() -> None:
    a = assess(case(), JAN19)
    assert not {ABSENCE_REPORTED, PARENTS_CONTACTED} & rule_ids(a)


# --- O.4: the attendance record updated each week ---------------------------------------------


def test_every_school_week_of_the_placement_needs_an_update() -> None:
    # From Mon 17 Nov 2025, one update a week, by each week's last school day (a Friday), the
    # week it starts included. The Christmas holiday weeks (22 Dec, 29 Dec) have no school day
    # and need none; the week of Mon 5 Jan (INSET that day) does. Updates on Thu 20 Nov, Fri 28
    # Nov and Wed 3 Dec; nothing since. On Mon 12 Jan 2026 the week of 12 Jan is the current one.
    c = case(
        update("UPD-1", date(2025, 11, 20)),
        update("UPD-2", date(2025, 11, 28)),
        update("UPD-3", date(2025, 12, 3)),
    )
    a = assess(c, date(2026, 1, 12))
    assert windows(a, WEEKLY) == [
        ("week of Mon 17 Nov 2025", date(2025, 11, 21), "met", "UPD-1"),
        ("week of Mon 24 Nov 2025", date(2025, 11, 28), "met", "UPD-2"),
        ("week of Mon 1 Dec 2025", date(2025, 12, 5), "met", "UPD-3"),
        ("week of Mon 8 Dec 2025", date(2025, 12, 12), "overdue", None),
        ("week of Mon 15 Dec 2025", date(2025, 12, 19), "overdue", None),
        ("week of Mon 5 Jan 2026", date(2026, 1, 9), "overdue", None),
        ("week of Mon 12 Jan 2026", date(2026, 1, 16), "pending", None),
    ]
    f = findings(a, WEEKLY)[3]
    assert (f.kind, f.duty_holder, f.subject) == ("obligation", "attendance_lead", PLACEMENT)
    assert f in a.violations
    assert len([f for f in a.violations if f.rule_id == WEEKLY]) == 3


def test_a_placement_starting_on_a_friday_needs_an_update_that_day() -> None:
    # From Fri 21 Nov 2025: its own week is due that very day.
    a = assess(case(pl=placement(date(2025, 11, 21))), date(2025, 11, 21))
    assert windows(a, WEEKLY) == [
        ("week of Mon 17 Nov 2025", date(2025, 11, 21), "due_today", None)
    ]


def test_an_update_in_the_next_week_is_not_a_late_one_for_the_missed_week() -> None:
    # Nothing in the week of Mon 17 Nov; an update on Mon 24 Nov is that week's.
    a = assess(case(update("UPD-1", date(2025, 11, 24))), date(2025, 11, 25))
    assert windows(a, WEEKLY) == [
        ("week of Mon 17 Nov 2025", date(2025, 11, 21), "overdue", None),
        ("week of Mon 24 Nov 2025", date(2025, 11, 28), "met", "UPD-1"),
    ]


def test_an_update_in_the_christmas_holiday_is_late_for_the_last_week_of_term() -> None:
    # From Mon 15 Dec 2025; the update is only made on Sat 27 Dec, in the holiday: late for the
    # week of 15 Dec (due Fri 19 Dec), not the week of 5 Jan 2026's.
    c = case(update("UPD-1", date(2025, 12, 27)), pl=placement(date(2025, 12, 15)))
    a = assess(c, date(2026, 1, 6))
    assert windows(a, WEEKLY) == [
        ("week of Mon 15 Dec 2025", date(2025, 12, 19), "late", "UPD-1"),
        ("week of Mon 5 Jan 2026", date(2026, 1, 9), "pending", None),
    ]
    assert findings(a, WEEKLY)[0] in a.violations


def test_an_update_booked_for_later_in_the_week_is_scheduled() -> None:
    a = assess(case(update("UPD-1", date(2025, 11, 20))), date(2025, 11, 18))
    assert windows(a, WEEKLY) == [
        ("week of Mon 17 Nov 2025", date(2025, 11, 21), "scheduled", "UPD-1")
    ]


def test_the_half_term_week_needs_no_update_and_bank_holidays_are_skipped() -> None:
    # Spring half-term (Mon 16 - Fri 20 Feb 2026) has no school day; the week of Mon 4 May (the
    # early May bank holiday) is due Fri 8 May.
    a = assess(case(pl=placement(date(2026, 2, 9))), date(2026, 2, 23))
    assert [f.period for f in findings(a, WEEKLY)] == [
        "week of Mon 9 Feb 2026",
        "week of Mon 23 Feb 2026",
    ]
    a = assess(case(pl=placement(date(2026, 5, 5))), date(2026, 5, 5))
    assert windows(a, WEEKLY) == [("week of Mon 4 May 2026", date(2026, 5, 8), "pending", None)]


def test_a_last_week_run_at_least_half_is_due_on_the_placements_last_day() -> None:
    # Ends Wed 10 Dec 2025: it ran Mon 8 - Wed 10 Dec, three of that week's five school days,
    # so the week needs its update, by the placement's last day.
    c = case(update("UPD-1", date(2025, 11, 21)), pl=placement(end=date(2025, 12, 10)))
    a = assess(c, date(2025, 12, 15))
    assert windows(a, WEEKLY) == [
        ("week of Mon 17 Nov 2025", date(2025, 11, 21), "met", "UPD-1"),
        ("week of Mon 24 Nov 2025", date(2025, 11, 28), "overdue", None),
        ("week of Mon 1 Dec 2025", date(2025, 12, 5), "overdue", None),
        ("week of Mon 8 Dec 2025", date(2025, 12, 10), "overdue", None),
    ]


def test_a_last_week_run_less_than_half_is_not_required() -> None:
    # Ends Tue 9 Dec 2025: two of the week's five school days.
    c = case(update("UPD-1", date(2025, 11, 21)), pl=placement(end=date(2025, 12, 9)))
    a = assess(c, date(2025, 12, 15))
    assert [w[0] for w in windows(a, WEEKLY)][-1] == "week of Mon 1 Dec 2025"


def test_the_last_week_of_the_calendar_is_due_on_its_last_day() -> None:
    # Mon 20 and Tue 21 Jul 2026 are the calendar's last school days.
    a = assess(case(pl=placement(date(2026, 7, 13))), date(2026, 7, 20))
    assert windows(a, WEEKLY) == [
        ("week of Mon 13 Jul 2026", date(2026, 7, 17), "overdue", None),
        ("week of Mon 20 Jul 2026", date(2026, 7, 21), "pending", None),
    ]


# --- O.5: an intervention when attendance falls below the target -----------------------------

# Attendance 95% on Fri 21 Nov, 85% on Fri 28 Nov 2025. Ten school days from Fri 28 Nov (day 1):
# Mon 1 - Fri 5 Dec (2-6), Mon 8 - Thu 11 Dec (7-10).
NOV21 = date(2025, 11, 21)
NOV28 = date(2025, 11, 28)
DEC11 = date(2025, 12, 11)
DEC12 = date(2025, 12, 12)


def test_attendance_falling_below_the_target_needs_an_intervention() -> None:
    a = assess(case(update("UPD-1", NOV21, 95), update("UPD-2", NOV28, 85)), DEC12)
    f = the(a, INTERVENTION)
    assert (f.status, f.due, f.subject) == ("overdue", DEC11, "attendance_update UPD-2")
    assert (f.kind, f.duty_holder) == ("obligation", "attendance_lead")
    assert f.explanation.readings == {"follow_up_within_school_days": 10}
    assert f in a.violations


def test_an_intervention_within_ten_school_days_meets_o5() -> None:
    c = case(update("UPD-1", NOV21, 95), update("UPD-2", NOV28, 85), intervention("INT-1", DEC8))
    f = the(assess(c, DEC12), INTERVENTION)
    assert (f.status, f.due, f.met_by, f.met_on) == ("met", DEC11, "INT-1", DEC8)


def test_an_intervention_on_the_day_of_the_update_counts() -> None:
    c = case(update("UPD-1", NOV21, 95), update("UPD-2", NOV28, 85), intervention("INT-1", NOV28))
    assert the(assess(c, DEC12), INTERVENTION).status == "met"


def test_an_intervention_before_the_fall_does_not_count() -> None:
    c = case(update("UPD-1", NOV21, 95), intervention("INT-1", NOV21), update("UPD-2", NOV28, 85))
    f = the(assess(c, DEC12), INTERVENTION)
    assert (f.status, f.due, f.met_by) == ("overdue", DEC11, None)


def test_an_intervention_after_the_tenth_school_day_is_late() -> None:
    c = case(update("UPD-1", NOV21, 95), update("UPD-2", NOV28, 85), intervention("INT-1", DEC12))
    f = the(assess(c, DEC12), INTERVENTION)
    assert (f.status, f.due, f.met_by) == ("late", DEC11, "INT-1")


def test_only_the_update_where_attendance_first_falls_below_fires() -> None:
    # 85% on 28 Nov, still 80% on 5 Dec: one finding, about UPD-2.
    c = case(
        update("UPD-1", NOV21, 95),
        update("UPD-2", NOV28, 85),
        update("UPD-3", DEC5, 80),
    )
    a = assess(c, DEC12)
    assert [f.subject for f in findings(a, INTERVENTION)] == ["attendance_update UPD-2"]


def test_a_first_update_below_the_target_fires() -> None:
    f = the(assess(case(update("UPD-1", NOV28, 70)), DEC12), INTERVENTION)
    assert (f.status, f.due, f.subject) == ("overdue", DEC11, "attendance_update UPD-1")


def test_falling_again_after_recovering_fires_again() -> None:
    # Below on 28 Nov (intervention 1 Dec), back to 92% on 5 Dec, below again on 12 Dec: the
    # second fall is due by the 10th school day from Fri 12 Dec: Mon 15 - Fri 19 Dec (2-6),
    # Tue 6 - Fri 9 Jan 2026 (7-10).
    c = case(
        update("UPD-1", NOV21, 95),
        update("UPD-2", NOV28, 85),
        intervention("INT-1", date(2025, 12, 1)),
        update("UPD-3", DEC5, 92),
        update("UPD-4", DEC12, 88),
    )
    a = assess(c, date(2026, 1, 12))
    assert [(f.subject, f.status, f.due, f.met_by) for f in findings(a, INTERVENTION)] == [
        ("attendance_update UPD-2", "met", DEC11, "INT-1"),
        ("attendance_update UPD-4", "overdue", date(2026, 1, 9), None),
    ]


def test_attendance_at_the_target_is_not_below_it() -> None:
    c = case(update("UPD-1", NOV21, 95), update("UPD-2", NOV28, 90))
    assert INTERVENTION not in rule_ids(assess(c, DEC12))


def test_the_target_is_the_attendance_target_switch() -> None:
    c = case(update("UPD-1", NOV21, 95), update("UPD-2", NOV28, 85))
    a = assess(c, DEC12, settings=PolicySettings(attendance_target_percent=80.0))
    assert INTERVENTION not in rule_ids(a)
    c = case(update("UPD-1", NOV21, 97), update("UPD-2", NOV28, 94))
    a = assess(c, DEC12, settings=PolicySettings(attendance_target_percent=95.0))
    assert the(a, INTERVENTION).due == DEC11
