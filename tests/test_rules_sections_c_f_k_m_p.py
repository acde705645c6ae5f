"""Policy sections C (roles), F (good provision), K (unregistered provision), M (communication)
and P (free school meals), rule by rule, as legal scenarios.

Every deadline below is worked out by hand on the example calendar, "Example Borough Council
2025-26" (SchoolCalendar.example()). The dates these tests lean on:

    Oct 2025  Mon 13 - Fri 17 school days (Fri 17 the last day of the first half-term);
              Mon 20 - Fri 24 half-term; Mon 27 INSET; Tue 28 - Fri 31 school days.
    Nov 2025  Mon 3 - Fri 7, Mon 10 - Fri 14, Mon 17 - Fri 21, Mon 24 - Fri 28 school days,
              no closures.
    Dec 2025  Mon 1 - Fri 5 school days.

The running example: Elmbrook Academy commissions a placement, PL-1, for a Year 9 pupil at
Hollybank Learning Centre (PRV-1), beginning Mon 17 Nov 2025. Every duty "before the placement
begins" is due on Mon 17 Nov. Unless said otherwise the case is assessed on Mon 1 Dec 2025,
when that day has passed; "before the start" scenarios are assessed on Mon 10 Nov 2025.

C.3.iii sets no deadline: the library expects the decision by the tenth school day
(`follow_up_within_school_days`) counting the day the school was told as day 1.

C.6.ii is weekly: one finding per Monday-to-Sunday week with a school day, from the week the
placement starts, each due on the week's last school day (a Friday in every week used here).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from apcompliance import Assessment, Case, Finding
from tests import scenarios
from tests.scenarios import findings, rule_ids, the

START = date(2025, 11, 17)  # Mon 17 Nov 2025: the first day of the placement
BEFORE = date(2025, 11, 10)  # Mon 10 Nov 2025: a week before it
LATER = date(2025, 12, 1)  # Mon 1 Dec 2025: the assessment date
SUBJECT = "placement PL-1"

PROVIDER_CHECK_RULES = [
    pytest.param("C.4.i-safeguarding-policy", "safeguarding_policy", id="safeguarding"),
    pytest.param("C.4.i-child-protection-policy", "child_protection_policy", id="child-protection"),
    pytest.param("C.4.i-health-and-safety-policy", "health_and_safety_policy", id="health-safety"),
    pytest.param("C.4.ii-adults-cleared", "all_adults_cleared", id="adults-cleared"),
]
INFORMATION_RULES = [
    pytest.param(
        "C.4.iii-child-protection-policy-received", "child_protection_policy", id="C.4.iii"
    ),
    pytest.param("M.1-objectives-communicated", "objectives", id="M.1"),
    pytest.param("M.4-concerns-raised-with-dsl", "raise_concerns_with_dsl", id="M.4"),
]
FIRST_DAY = [
    pytest.param(*p.values, s, id=p.id)
    for p, s in zip(INFORMATION_RULES, ("late", "met", "late"), strict=True)
]
"""Each item given on the first day with no time: before the pupil attends (late), or that
day may do (met)."""
ALL_RULES = {
    "C.3.iii-course-of-action-after-serious-incident",
    "C.4.i-safeguarding-policy",
    "C.4.i-child-protection-policy",
    "C.4.i-health-and-safety-policy",
    "C.4.ii-adults-cleared",
    "C.4.iii-child-protection-policy-received",
    "C.6.ii-weekly-attendance-updates",
    "F.4-pupil-involved",
    "F.4-pupil-told-reasons-and-outcome",
    "F.5-qualifications-offered",
    "K.1-unregistered-provision-allowed",
    "K.2-assured-of-safety-and-quality",
    "K.3-on-approved-list",
    "K.5-five-or-more-full-time-pupils",
    "K.5-looked-after-or-ehc-plan-full-time",
    "M.1-objectives-communicated",
    "M.4-concerns-raised-with-dsl",
    "P.1-fsm-continues",
    "P.2-fsm-coverage-assessed",
    "P.3-la-considers-a-meal",
}


# --- building cases ---------------------------------------------------------------------------


def provider(
    kind: str = "ap_academy",
    *,
    id: str = "PRV-1",
    name: str = "Hollybank Learning Centre",
    **extra: Any,
) -> dict[str, Any]:
    return {"id": id, "name": name, "kind": kind} | extra


def unregistered(*, id: str = "PRV-1", **extra: Any) -> dict[str, Any]:
    """An unregistered provider (by default with no recorded place on the LA's list)."""
    return provider("unregistered", id=id, name="Oakfield Farm Project", **extra)


def placement(
    *, id: str = "PL-1", provider_id: str | None = "PRV-1", start: date = START, **extra: Any
) -> dict[str, Any]:
    """A placement the school commissions, by default full time at PRV-1 from Mon 17 Nov."""
    return {
        "id": id,
        "kind": "other",
        "provider_id": provider_id,
        "start_date": start,
        "full_time": True,
    } | extra


def case(
    *events: dict[str, Any], placements: Any = None, providers: Any = None, **pupil: Any
) -> Case:
    """The pupil's case; by default PL-1 at PRV-1, a registered AP academy."""
    if placements is None:
        placements = [placement()]
    if providers is None:
        providers = [provider()]
    return scenarios.case(
        *events, placements=placements, providers=providers, case_id="CASE-CFKMP", **pupil
    )


def check(id: str, check: str, on: date, *, provider_id: str = "PRV-1") -> dict[str, Any]:
    return {
        "kind": "provider_check",
        "id": id,
        "provider_id": provider_id,
        "checked_on": on,
        "check": check,
    }


def shared(id: str, on: date, *items: str, placement_id: str = "PL-1") -> dict[str, Any]:
    return {
        "kind": "information_shared",
        "id": id,
        "placement_id": placement_id,
        "shared_on": on,
        "items": list(items),
    }


def plan(id: str, on: date, *includes: str, **flags: bool) -> dict[str, Any]:
    return {
        "kind": "learning_plan",
        "id": id,
        "placement_id": "PL-1",
        "agreed_on": on,
        "includes": list(includes),
    } | flags


def update(
    id: str,
    on: date,
    shared_with: tuple[str, ...] = ("ap_lead", "headteacher"),
    *,
    placement_id: str = "PL-1",
) -> dict[str, Any]:
    return {
        "kind": "attendance_update",
        "id": id,
        "placement_id": placement_id,
        "updated_on": on,
        "attendance_percent": 94.0,
        "shared_with": list(shared_with),
    }


def incident(
    id: str,
    occurred_on: date,
    informed_on: date | None,
    decided_on: date | None = None,
    decided_with: tuple[str, ...] = (),
    *,
    placement_id: str = "PL-1",
) -> dict[str, Any]:
    return {
        "kind": "serious_incident",
        "id": id,
        "placement_id": placement_id,
        "occurred_on": occurred_on,
        "school_informed_on": informed_on,
        "action_decided_on": decided_on,
        "decided_with": list(decided_with),
    }


def fsm(id: str, on: date, provision: str = "vouchers") -> dict[str, Any]:
    return {
        "kind": "fsm_arrangement",
        "id": id,
        "placement_id": "PL-1",
        "arranged_on": on,
        "provision": provision,
    }


def assess(c: Case, as_of: date = LATER, sections: str = "CFKMP") -> Assessment:
    return scenarios.assess(c, as_of, *sections)


def assert_violation(a: Assessment, f: Finding) -> None:
    assert f in a.violations


def assert_advisory(a: Assessment, f: Finding) -> None:
    """For information only: never a violation."""
    assert f in a.advisories
    assert f not in a.violations


# --- C.3.iii: a course of action after a serious incident --------------------------------------

# An incident on Wed 15 Oct 2025, the school told on Thu 16 Oct: day 1 Thu 16, day 2 Fri 17 Oct;
# the half-term (Mon 20 - Fri 24 Oct) and the INSET day (Mon 27 Oct) are skipped; day 3 Tue 28,
# day 4 Wed 29, day 5 Thu 30, day 6 Fri 31 Oct, day 7 Mon 3, day 8 Tue 4, day 9 Wed 5, day 10
# Thu 6 Nov 2025.
OCT_START = date(2025, 10, 6)  # Mon 6 Oct 2025: the placement of the half-term scenario
OCT_INCIDENT = date(2025, 10, 15)  # Wed 15 Oct 2025
OCT_INFORMED = date(2025, 10, 16)  # Thu 16 Oct 2025
OCT_DUE = date(2025, 11, 6)  # Thu 6 Nov 2025

# An incident on Thu 20 Nov 2025, the school told on Fri 21 Nov: day 1 Fri 21, days 2-6
# Mon 24 - Fri 28 Nov, days 7-10 Mon 1 - Thu 4 Dec 2025 (two weekends skipped).
NOV_INCIDENT = date(2025, 11, 20)  # Thu 20 Nov 2025
NOV_INFORMED = date(2025, 11, 21)  # Fri 21 Nov 2025
NOV_DUE = date(2025, 12, 4)  # Thu 4 Dec 2025
AFTER_NOV_DUE = date(2025, 12, 8)  # Mon 8 Dec 2025
C3 = "C.3.iii-course-of-action-after-serious-incident"
BOTH = ("slt", "headteacher")


def test_no_course_of_action_after_an_incident_is_overdue_from_the_tenth_school_day() -> None:
    c = case(
        incident("SI-1", OCT_INCIDENT, OCT_INFORMED),
        placements=[placement(start=OCT_START)],
    )
    a = assess(c, LATER, "C")
    f = the(a, C3, "serious_incident SI-1")
    assert (f.kind, f.duty_holder) == ("obligation", "ap_lead")
    assert (f.status, f.due, f.met_by) == ("overdue", OCT_DUE, None)
    assert_violation(a, f)


def test_the_decision_is_counted_from_the_day_the_school_was_told_not_the_incident() -> None:
    # Told on Fri 21 Nov, the day after the incident: the tenth school day is Thu 4 Dec, not
    # Wed 3 Dec (the tenth counting the incident's own day).
    c = case(incident("SI-1", NOV_INCIDENT, NOV_INFORMED))
    f = the(assess(c, AFTER_NOV_DUE, "C"), C3)
    assert (f.status, f.due) == ("overdue", NOV_DUE)


def test_before_the_tenth_school_day_the_decision_is_pending() -> None:
    f = the(assess(case(incident("SI-1", NOV_INCIDENT, NOV_INFORMED)), LATER, "C"), C3)
    assert (f.status, f.due) == ("pending", NOV_DUE)


def test_a_decision_with_the_slt_and_headteacher_on_the_tenth_school_day_meets_c3() -> None:
    c = case(incident("SI-1", NOV_INCIDENT, NOV_INFORMED, NOV_DUE, BOTH))
    a = assess(c, AFTER_NOV_DUE, "C")
    f = the(a, C3)
    assert (f.status, f.due, f.met_by, f.met_on) == ("met", NOV_DUE, "SI-1", NOV_DUE)
    assert f not in a.violations


def test_a_decision_after_the_half_term_but_by_the_tenth_school_day_meets_c3() -> None:
    # Wed 5 Nov is the ninth school day counting Thu 16 Oct.
    decided = date(2025, 11, 5)
    c = case(
        incident("SI-1", OCT_INCIDENT, OCT_INFORMED, decided, BOTH),
        placements=[placement(start=OCT_START)],
    )
    f = the(assess(c, LATER, "C"), C3)
    assert (f.status, f.due, f.met_on) == ("met", OCT_DUE, decided)


def test_a_decision_after_the_tenth_school_day_is_late() -> None:
    # Fri 5 Dec 2025: the eleventh school day counting Fri 21 Nov.
    c = case(incident("SI-1", NOV_INCIDENT, NOV_INFORMED, date(2025, 12, 5), BOTH))
    a = assess(c, AFTER_NOV_DUE, "C")
    f = the(a, C3)
    assert (f.status, f.due, f.met_by) == ("late", NOV_DUE, "SI-1")
    assert_violation(a, f)


@pytest.mark.parametrize(
    "decided_with", [("slt",), ("headteacher",), ()], ids=["slt", "head", "alone"]
)
def test_a_decision_without_both_the_slt_and_the_headteacher_does_not_count(
    decided_with: tuple[str, ...],
) -> None:
    c = case(incident("SI-1", NOV_INCIDENT, NOV_INFORMED, date(2025, 11, 24), decided_with))
    f = the(assess(c, AFTER_NOV_DUE, "C"), C3)
    assert (f.status, f.due, f.met_by) == ("overdue", NOV_DUE, None)


def test_each_incident_needs_its_own_decision() -> None:
    c = case(
        incident("SI-1", NOV_INCIDENT, NOV_INFORMED, date(2025, 11, 24), BOTH),
        incident("SI-2", NOV_INCIDENT, NOV_INFORMED),
    )
    a = assess(c, AFTER_NOV_DUE, "C")
    assert (the(a, C3, "serious_incident SI-1").status) == "met"
    f = the(a, C3, "serious_incident SI-2")
    assert (f.status, f.due) == ("overdue", NOV_DUE)


def test_an_incident_the_school_was_not_told_of_is_not_c3s() -> None:
    a = assess(case(incident("SI-1", NOV_INCIDENT, None)), AFTER_NOV_DUE, "C")
    assert C3 not in rule_ids(a)


# --- C.4.i, C.4.ii: the provider's policies and cleared adults, checked before the start ---------


@pytest.mark.parametrize(("rule_id", "kind"), PROVIDER_CHECK_RULES)
def test_a_provider_not_checked_before_the_start_is_overdue(rule_id: str, kind: str) -> None:
    a = assess(case(), LATER, "C")
    f = the(a, rule_id, SUBJECT)
    assert (f.kind, f.duty_holder) == ("obligation", "dsl")
    assert (f.status, f.due, f.met_by) == ("overdue", START, None)
    assert_violation(a, f)


@pytest.mark.parametrize(("rule_id", "kind"), PROVIDER_CHECK_RULES)
def test_a_check_of_the_provider_before_the_start_meets_it(rule_id: str, kind: str) -> None:
    a = assess(case(check("CHK-1", kind, BEFORE)), LATER, "C")
    f = the(a, rule_id, SUBJECT)
    assert (f.status, f.due, f.met_by, f.met_on) == ("met", START, "CHK-1", BEFORE)


@pytest.mark.parametrize(("rule_id", "kind"), PROVIDER_CHECK_RULES)
def test_a_check_of_the_provider_a_year_earlier_still_counts(rule_id: str, kind: str) -> None:
    # One check of a provider serves every later placement with it.
    c = case(check("CHK-1", kind, date(2025, 9, 10)))
    assert the(assess(c, LATER, "C"), rule_id).status == "met"


@pytest.mark.parametrize(("rule_id", "kind"), PROVIDER_CHECK_RULES)
def test_a_check_after_the_start_is_late(rule_id: str, kind: str) -> None:
    a = assess(case(check("CHK-1", kind, date(2025, 11, 20))), LATER, "C")
    f = the(a, rule_id, SUBJECT)
    assert (f.status, f.due, f.met_by) == ("late", START, "CHK-1")
    assert_violation(a, f)


@pytest.mark.parametrize(("rule_id", "kind"), PROVIDER_CHECK_RULES)
def test_a_check_of_another_provider_does_not_count(rule_id: str, kind: str) -> None:
    # PRV-2, Willowmead College, was checked for PL-2; PL-1 at PRV-1 was not.
    c = case(
        check("CHK-1", kind, BEFORE, provider_id="PRV-2"),
        placements=[placement(), placement(id="PL-2", provider_id="PRV-2")],
        providers=[
            provider(),
            provider("further_education_college", id="PRV-2", name="Willowmead College"),
        ],
    )
    a = assess(c, LATER, "C")
    assert (the(a, rule_id, SUBJECT).status, the(a, rule_id, SUBJECT).due) == ("overdue", START)
    assert the(a, rule_id, "placement PL-2").status == "met"


def test_each_check_meets_only_its_own_clause() -> None:
    a = assess(case(check("CHK-1", "safeguarding_policy", BEFORE)), LATER, "C")
    assert the(a, "C.4.i-safeguarding-policy").status == "met"
    for rule_id in (
        "C.4.i-child-protection-policy",
        "C.4.i-health-and-safety-policy",
        "C.4.ii-adults-cleared",
    ):
        assert (the(a, rule_id).status, the(a, rule_id).due) == ("overdue", START)


def test_a_check_planned_before_the_start_is_scheduled() -> None:
    # Assessed on Mon 10 Nov, the check planned for Fri 14 Nov.
    f = the(
        assess(case(check("CHK-1", "all_adults_cleared", date(2025, 11, 14))), BEFORE, "C"),
        "C.4.ii-adults-cleared",
    )
    assert (f.status, f.due) == ("scheduled", START)


def test_no_provider_checks_are_asked_for_a_placement_without_a_provider() -> None:
    a = assess(case(placements=[placement(provider_id=None)], providers=[]), LATER, "C")
    assert not {r.values[0] for r in PROVIDER_CHECK_RULES} & rule_ids(a)


# --- C.4.iii, M.1, M.4: what the provider is given by the start --------------------------------


@pytest.mark.parametrize(("rule_id", "item"), INFORMATION_RULES)
def test_nothing_given_to_the_provider_by_the_start_is_overdue(rule_id: str, item: str) -> None:
    a = assess(case())
    f = the(a, rule_id, SUBJECT)
    assert f.kind == "obligation"
    assert (f.status, f.due, f.met_by) == ("overdue", START, None)
    assert_violation(a, f)


@pytest.mark.parametrize(("rule_id", "item"), INFORMATION_RULES)
def test_the_item_given_before_the_start_meets_it(rule_id: str, item: str) -> None:
    f = the(assess(case(shared("INF-1", BEFORE, item))), rule_id, SUBJECT)
    assert (f.status, f.due, f.met_by, f.met_on) == ("met", START, "INF-1", BEFORE)


@pytest.mark.parametrize(("rule_id", "item", "status"), FIRST_DAY)
def test_the_item_given_on_the_first_day_meets_it_only_where_that_day_may_do(
    rule_id: str, item: str, status: str
) -> None:
    # M.1 may be done on the first day; C.4.iii and M.4 must come before the pupil attends,
    # and a record of that day with no time does not show it did.
    f = the(assess(case(shared("INF-1", START, item))), rule_id, SUBJECT)
    assert (f.status, f.due) == (status, START)


@pytest.mark.parametrize(("rule_id", "item"), INFORMATION_RULES)
def test_the_item_given_after_the_start_is_late(rule_id: str, item: str) -> None:
    a = assess(case(shared("INF-1", date(2025, 11, 19), item)))
    f = the(a, rule_id, SUBJECT)
    assert (f.status, f.due, f.met_by) == ("late", START, "INF-1")
    assert_violation(a, f)


@pytest.mark.parametrize(("rule_id", "item"), INFORMATION_RULES)
def test_other_information_does_not_meet_it(rule_id: str, item: str) -> None:
    others = [
        i for i in ("child_protection_policy", "objectives", "raise_concerns_with_dsl") if i != item
    ]
    f = the(assess(case(shared("INF-1", BEFORE, *others, "attainment_data"))), rule_id, SUBJECT)
    assert (f.status, f.due) == ("overdue", START)


@pytest.mark.parametrize(("rule_id", "item"), INFORMATION_RULES)
def test_information_given_for_another_placement_does_not_count(rule_id: str, item: str) -> None:
    c = case(
        shared("INF-1", BEFORE, item, placement_id="PL-2"),
        placements=[placement(), placement(id="PL-2")],
    )
    a = assess(c)
    assert (the(a, rule_id, SUBJECT).status, the(a, rule_id, SUBJECT).due) == ("overdue", START)
    assert the(a, rule_id, "placement PL-2").status == "met"


@pytest.mark.parametrize(("rule_id", "item"), INFORMATION_RULES)
def test_it_is_asked_even_of_a_placement_without_a_recorded_provider(
    rule_id: str, item: str
) -> None:
    f = the(assess(case(placements=[placement(provider_id=None)], providers=[])), rule_id, SUBJECT)
    assert (f.status, f.due) == ("overdue", START)


# --- C.6.ii: weekly attendance updates to the AP lead and headteacher ---------------------------

C6 = "C.6.ii-weekly-attendance-updates"
WEEK_17 = "week of Mon 17 Nov 2025"  # due Fri 21 Nov 2025
WEEK_24 = "week of Mon 24 Nov 2025"  # due Fri 28 Nov 2025
WEEK_1 = "week of Mon 1 Dec 2025"  # due Fri 5 Dec 2025


def weekly(a: Assessment) -> list[tuple[str | None, date | None, str]]:
    return [(f.period, f.due, f.status) for f in findings(a, C6, SUBJECT)]


def test_no_updates_gives_one_overdue_finding_per_past_week_and_the_current_one_pending() -> None:
    # Assessed Mon 1 Dec: the weeks of 17 and 24 Nov have passed; the week of 1 Dec is shown.
    a = assess(case(), LATER, "C")
    assert weekly(a) == [
        (WEEK_17, date(2025, 11, 21), "overdue"),
        (WEEK_24, date(2025, 11, 28), "overdue"),
        (WEEK_1, date(2025, 12, 5), "pending"),
    ]
    f = findings(a, C6)[0]
    assert (f.kind, f.duty_holder) == ("obligation", "attendance_lead")
    assert_violation(a, f)


def test_an_update_in_each_week_meets_each_week() -> None:
    c = case(update("ATT-1", date(2025, 11, 21)), update("ATT-2", date(2025, 11, 26)))
    a = assess(c, date(2025, 11, 29), "C")  # Sat 29 Nov: both weeks' last school days passed
    # The week of 1 Dec, the next to fall due, is shown as well.
    assert weekly(a) == [
        (WEEK_17, date(2025, 11, 21), "met"),
        (WEEK_24, date(2025, 11, 28), "met"),
        (WEEK_1, date(2025, 12, 5), "pending"),
    ]
    assert [f.met_by for f in findings(a, C6)] == ["ATT-1", "ATT-2", None]


def test_the_week_the_placement_starts_counts_even_from_midweek() -> None:
    # PL-1 starts Wed 19 Nov: the week of Mon 17 Nov is the first, due Fri 21 Nov.
    c = case(placements=[placement(start=date(2025, 11, 19))])
    f = findings(assess(c, date(2025, 11, 24), "C"), C6)[0]
    assert (f.period, f.status, f.due) == (WEEK_17, "overdue", date(2025, 11, 21))


def test_an_update_before_the_placement_starts_does_not_count_for_its_first_week() -> None:
    # An update on Tue 18 Nov, the day before PL-1 starts on Wed 19 Nov.
    c = case(update("ATT-1", date(2025, 11, 18)), placements=[placement(start=date(2025, 11, 19))])
    f = findings(assess(c, date(2025, 11, 24), "C"), C6)[0]
    assert (f.period, f.status, f.due) == (WEEK_17, "overdue", date(2025, 11, 21))


@pytest.mark.parametrize(
    "shared_with", [("ap_lead",), ("headteacher",), ()], ids=["ap-lead", "head", "nobody"]
)
def test_an_update_not_given_to_both_the_ap_lead_and_headteacher_does_not_count(
    shared_with: tuple[str, ...],
) -> None:
    c = case(update("ATT-1", date(2025, 11, 20), shared_with))
    f = findings(assess(c, LATER, "C"), C6)[0]
    assert (f.period, f.status, f.due, f.met_by) == (WEEK_17, "overdue", date(2025, 11, 21), None)


def test_an_update_the_next_week_does_not_make_a_missed_week_late() -> None:
    # Nothing in the week of 24 Nov; an update on Mon 1 Dec counts for the week of 1 Dec only.
    c = case(update("ATT-1", date(2025, 11, 21)), update("ATT-2", LATER))
    a = assess(c, LATER, "C")
    assert weekly(a) == [
        (WEEK_17, date(2025, 11, 21), "met"),
        (WEEK_24, date(2025, 11, 28), "overdue"),
        (WEEK_1, date(2025, 12, 5), "met"),
    ]
    assert [f.met_by for f in findings(a, C6)] == ["ATT-1", None, "ATT-2"]


def test_an_update_at_the_weekend_after_the_last_school_day_is_late_for_that_week() -> None:
    # Sat 29 Nov: after the week's last school day (Fri 28 Nov), before it closes (Sun 30 Nov).
    c = case(update("ATT-1", date(2025, 11, 21)), update("ATT-2", date(2025, 11, 29)))
    a = assess(c, LATER, "C")
    f = findings(a, C6, SUBJECT)[1]
    assert (f.period, f.status, f.due, f.met_by) == (WEEK_24, "late", date(2025, 11, 28), "ATT-2")


def test_the_half_term_week_is_skipped() -> None:
    # PL-1 from Mon 13 Oct, assessed Mon 3 Nov: the half-term week of 20 Oct has no school day;
    # the week of 27 Oct (INSET Monday) has Tue 28 - Fri 31 Oct.
    c = case(update("ATT-1", date(2025, 10, 17)), placements=[placement(start=date(2025, 10, 13))])
    a = assess(c, date(2025, 11, 3), "C")
    assert weekly(a) == [
        ("week of Mon 13 Oct 2025", date(2025, 10, 17), "met"),
        ("week of Mon 27 Oct 2025", date(2025, 10, 31), "overdue"),
        ("week of Mon 3 Nov 2025", date(2025, 11, 7), "pending"),
    ]


def test_a_last_week_run_at_least_half_is_due_on_the_placements_last_day() -> None:
    # PL-1 ends Wed 26 Nov: three of the week's five school days, so the week's update is due
    # by Wed 26 Nov. Ending Tue 25 Nov (two days), the week needs none.
    c = case(
        update("ATT-1", date(2025, 11, 21)), placements=[placement(end_date=date(2025, 11, 26))]
    )
    assert weekly(assess(c, LATER, "C")) == [
        (WEEK_17, date(2025, 11, 21), "met"),
        (WEEK_24, date(2025, 11, 26), "overdue"),
    ]
    c = case(
        update("ATT-1", date(2025, 11, 21)), placements=[placement(end_date=date(2025, 11, 25))]
    )
    assert weekly(assess(c, LATER, "C")) == [(WEEK_17, date(2025, 11, 21), "met")]


def test_a_placement_ending_on_the_weeks_last_school_day_needs_that_weeks_update() -> None:
    c = case(
        update("ATT-1", date(2025, 11, 21)), placements=[placement(end_date=date(2025, 11, 28))]
    )
    assert weekly(assess(c, LATER, "C")) == [
        (WEEK_17, date(2025, 11, 21), "met"),
        (WEEK_24, date(2025, 11, 28), "overdue"),
    ]


def test_before_the_placement_starts_only_its_first_week_is_shown() -> None:
    assert weekly(assess(case(), BEFORE, "C")) == [(WEEK_17, date(2025, 11, 21), "pending")]


# --- F.4: the pupil involved, and told the reasons and intended outcome -------------------------

F4_RULES = [
    pytest.param("F.4-pupil-involved", "pupil_involved", id="involved"),
    pytest.param("F.4-pupil-told-reasons-and-outcome", "pupil_told_reasons_and_outcome", id="told"),
]


@pytest.mark.parametrize(("rule_id", "flag"), F4_RULES)
def test_no_learning_plan_recording_it_is_overdue(rule_id: str, flag: str) -> None:
    a = assess(case(plan("LP-1", BEFORE, "objectives")), LATER, "F")
    f = the(a, rule_id, SUBJECT)
    assert (f.kind, f.duty_holder) == ("obligation", "ap_lead")
    assert (f.status, f.due, f.met_by) == ("overdue", START, None)
    assert_violation(a, f)


@pytest.mark.parametrize(("rule_id", "flag"), F4_RULES)
def test_a_learning_plan_recording_it_before_the_start_meets_it(rule_id: str, flag: str) -> None:
    f = the(assess(case(plan("LP-1", BEFORE, **{flag: True})), LATER, "F"), rule_id, SUBJECT)
    assert (f.status, f.due, f.met_by, f.met_on) == ("met", START, "LP-1", BEFORE)


@pytest.mark.parametrize(("rule_id", "flag"), F4_RULES)
def test_a_learning_plan_recording_it_after_the_start_is_late(rule_id: str, flag: str) -> None:
    a = assess(case(plan("LP-1", date(2025, 11, 24), **{flag: True})), LATER, "F")
    f = the(a, rule_id, SUBJECT)
    assert (f.status, f.due, f.met_by) == ("late", START, "LP-1")


# --- F.5: qualifications, from Year 10 ----------------------------------------------------------

F5 = "F.5-qualifications-offered"


@pytest.mark.parametrize("year_group", [10, 11, 12])
def test_a_key_stage_4_plan_without_qualifications_is_overdue(year_group: int) -> None:
    a = assess(
        case(plan("LP-1", BEFORE, "objectives", "timeframes"), year_group=year_group), LATER, "F"
    )
    f = the(a, F5, SUBJECT)
    assert (f.status, f.due, f.met_by) == ("overdue", START, None)
    assert_violation(a, f)


def test_a_plan_setting_out_qualifications_meets_f5() -> None:
    a = assess(case(plan("LP-1", BEFORE, "qualifications"), year_group=10), LATER, "F")
    f = the(a, F5, SUBJECT)
    assert (f.status, f.due, f.met_by) == ("met", START, "LP-1")


@pytest.mark.parametrize("year_group", [7, 9])
def test_f5_is_not_asked_before_year_10(year_group: int) -> None:
    assert F5 not in rule_ids(assess(case(year_group=year_group), LATER, "F"))


# --- K.1: unregistered provision is allowed ------------------------------------------------------

K1 = "K.1-unregistered-provision-allowed"


def test_an_unregistered_provider_is_permitted() -> None:
    a = assess(case(providers=[unregistered(on_la_approved_list=True)]), LATER, "K")
    f = the(a, K1, SUBJECT)
    assert (f.kind, f.status, f.due) == ("permission", "permitted", None)
    assert_advisory(a, f)


@pytest.mark.parametrize(
    "kind", ["ap_academy", "pupil_referral_unit", "independent_school", "further_education_college"]
)
def test_no_permission_is_reported_for_a_registered_provider(kind: str) -> None:
    assert K1 not in rule_ids(assess(case(providers=[provider(kind)]), LATER, "K"))


# --- K.2: assured of safety and quality ---------------------------------------------------------

K2 = "K.2-assured-of-safety-and-quality"


def test_an_unregistered_provider_not_quality_assured_by_the_start_is_overdue() -> None:
    a = assess(case(providers=[unregistered(on_la_approved_list=True)]), LATER, "K")
    f = the(a, K2, SUBJECT)
    assert (f.kind, f.duty_holder) == ("obligation", "school")
    assert (f.status, f.due, f.met_by) == ("overdue", START, None)
    assert_violation(a, f)


def test_quality_assurance_before_the_start_meets_k2() -> None:
    c = case(
        check("CHK-1", "quality_assured", BEFORE),
        providers=[unregistered(on_la_approved_list=True)],
    )
    f = the(assess(c, LATER, "K"), K2, SUBJECT)
    assert (f.status, f.due, f.met_by) == ("met", START, "CHK-1")


def test_quality_assurance_of_another_provider_does_not_meet_k2() -> None:
    c = case(
        check("CHK-1", "quality_assured", BEFORE, provider_id="PRV-2"),
        providers=[
            unregistered(on_la_approved_list=True),
            unregistered(id="PRV-2", on_la_approved_list=True),
        ],
    )
    f = the(assess(c, LATER, "K"), K2, SUBJECT)
    assert (f.status, f.due) == ("overdue", START)


def test_k2_is_not_asked_of_a_registered_provider() -> None:
    assert K2 not in rule_ids(assess(case(), LATER, "K"))


# --- K.3: on the LA's approved list -------------------------------------------------------------

K3 = "K.3-on-approved-list"


def test_an_unregistered_provider_not_on_the_approved_list_breaches_k3() -> None:
    a = assess(case(providers=[unregistered(on_la_approved_list=False)]), LATER, "K")
    f = the(a, K3, SUBJECT)
    assert (f.kind, f.duty_holder) == ("requirement", "dsl")
    assert (f.status, f.due) == ("breached", START)
    assert_violation(a, f)


def test_an_unregistered_provider_whose_place_on_the_list_is_not_recorded_is_asked_about() -> None:
    # Unknown is neither a breach nor a pass: K.3 asks for provider.on_la_approved_list.
    a = assess(case(providers=[unregistered()]), LATER, "K")
    f = the(a, K3, SUBJECT)
    assert (f.status, f.due) == ("information_needed", START)
    assert f.missing == ("provider PRV-1: on_la_approved_list is not recorded",)
    assert f not in a.violations


def test_before_the_start_k3_is_at_risk_not_breached() -> None:
    a = assess(case(providers=[unregistered(on_la_approved_list=False)]), BEFORE, "K")
    f = the(a, K3, SUBJECT)
    assert (f.status, f.due) == ("at_risk", START)
    assert f not in a.violations


def test_an_approved_unregistered_provider_meets_k3() -> None:
    assert K3 not in rule_ids(
        assess(case(providers=[unregistered(on_la_approved_list=True)]), LATER, "K")
    )


@pytest.mark.parametrize("kind", ["ap_academy", "independent_school", "further_education_college"])
def test_a_registered_provider_off_the_list_does_not_breach_k3(kind: str) -> None:
    c = case(providers=[provider(kind, on_la_approved_list=False)])
    assert K3 not in rule_ids(assess(c, LATER, "K"))


# --- K.5: not so many full-time pupils that the setting must register ---------------------------

K5_FIVE = "K.5-five-or-more-full-time-pupils"
K5_LAC = "K.5-looked-after-or-ehc-plan-full-time"


def test_a_fifth_full_time_pupil_at_an_unregistered_setting_breaches_k5() -> None:
    # Four other pupils full time there, and this pupil full time: five.
    a = assess(
        case(providers=[unregistered(on_la_approved_list=True, full_time_pupils=4)]), LATER, "K"
    )
    f = the(a, K5_FIVE, SUBJECT)
    assert (f.kind, f.duty_holder) == ("requirement", "school")
    assert (f.status, f.due) == ("breached", START)
    assert_violation(a, f)


def test_a_fourth_full_time_pupil_does_not_breach_k5() -> None:
    c = case(providers=[unregistered(on_la_approved_list=True, full_time_pupils=3)])
    assert K5_FIVE not in rule_ids(assess(c, LATER, "K"))


@pytest.mark.parametrize("others", [4, 5])
def test_a_part_time_placement_does_not_breach_k5(others: int) -> None:
    c = case(
        placements=[placement(full_time=False)],
        providers=[unregistered(on_la_approved_list=True, full_time_pupils=others)],
    )
    assert K5_FIVE not in rule_ids(assess(c, LATER, "K"))


def test_a_registered_provider_with_many_full_time_pupils_does_not_breach_k5() -> None:
    c = case(providers=[provider("independent_school", full_time_pupils=40)])
    assert K5_FIVE not in rule_ids(assess(c, LATER, "K"))


def test_before_the_start_a_fifth_full_time_pupil_is_at_risk() -> None:
    a = assess(
        case(providers=[unregistered(on_la_approved_list=True, full_time_pupils=4)]), BEFORE, "K"
    )
    f = the(a, K5_FIVE, SUBJECT)
    assert (f.status, f.due) == ("at_risk", START)
    assert f not in a.violations


@pytest.mark.parametrize(
    "pupil", [{"looked_after": True}, {"ehc_plan": True}], ids=["looked-after", "ehc-plan"]
)
def test_a_looked_after_or_ehc_plan_pupil_full_time_at_an_unregistered_setting_breaches_k5(
    pupil: dict[str, Any],
) -> None:
    a = assess(
        case(providers=[unregistered(on_la_approved_list=True, full_time_pupils=0)], **pupil),
        LATER,
        "K",
    )
    f = the(a, K5_LAC, SUBJECT)
    assert (f.kind, f.status, f.due) == ("requirement", "breached", START)
    assert_violation(a, f)
    assert K5_FIVE not in rule_ids(a)


@pytest.mark.parametrize(
    "pupil", [{"looked_after": True}, {"ehc_plan": True}], ids=["looked-after", "ehc-plan"]
)
def test_a_looked_after_or_ehc_plan_pupil_part_time_does_not_breach_k5(
    pupil: dict[str, Any],
) -> None:
    c = case(
        placements=[placement(full_time=False)],
        providers=[unregistered(on_la_approved_list=True)],
        **pupil,
    )
    assert K5_LAC not in rule_ids(assess(c, LATER, "K"))


def test_a_pupil_neither_looked_after_nor_with_an_ehc_plan_does_not_breach_k5() -> None:
    c = case(providers=[unregistered(on_la_approved_list=True)], send=True, social_worker=True)
    assert K5_LAC not in rule_ids(assess(c, LATER, "K"))


def test_a_looked_after_pupil_full_time_at_a_registered_school_does_not_breach_k5() -> None:
    c = case(providers=[provider("independent_school")], looked_after=True, ehc_plan=True)
    assert K5_LAC not in rule_ids(assess(c, LATER, "K"))


def test_before_the_start_a_looked_after_pupil_full_time_is_at_risk() -> None:
    a = assess(
        case(providers=[unregistered(on_la_approved_list=True)], looked_after=True), BEFORE, "K"
    )
    f = the(a, K5_LAC, SUBJECT)
    assert (f.status, f.due) == ("at_risk", START)
    assert f not in a.violations


# A setting must register as an independent school when it educates full time five or more
# pupils of compulsory school age, or at least one pupil "of that age" who is looked after or
# has an EHC plan (Education Act 1996 s.463; Education and Skills Act 2008 s.92), the statute
# K.5's rules cite. A Year 12 pupil is over compulsory school age (it ends on the last Friday
# of June of Year 11), so placing one full time does not make the setting need registering.


def test_a_looked_after_year_12_pupil_full_time_does_not_breach_k5() -> None:
    c = case(providers=[unregistered(on_la_approved_list=True)], looked_after=True, year_group=12)
    assert K5_LAC not in rule_ids(assess(c, LATER, "K"))


def test_a_year_12_pupil_does_not_make_a_fifth_pupil_of_compulsory_school_age() -> None:
    c = case(providers=[unregistered(on_la_approved_list=True, full_time_pupils=4)], year_group=12)
    assert K5_FIVE not in rule_ids(assess(c, LATER, "K"))


def test_a_looked_after_year_11_pupil_is_still_of_compulsory_school_age() -> None:
    c = case(providers=[unregistered(on_la_approved_list=True)], looked_after=True, year_group=11)
    f = the(assess(c, LATER, "K"), K5_LAC, SUBJECT)
    assert (f.status, f.due) == ("breached", START)


# --- P.1, P.2, P.3: free school meals -----------------------------------------------------------

P1 = "P.1-fsm-continues"
P2 = "P.2-fsm-coverage-assessed"
P3 = "P.3-la-considers-a-meal"


def test_no_fsm_arrangement_for_an_eligible_pupil_is_overdue() -> None:
    a = assess(case(fsm_eligible=True), LATER, "P")
    f = the(a, P1, SUBJECT)
    assert (f.kind, f.duty_holder) == ("obligation", "school")
    assert (f.status, f.due, f.met_by) == ("overdue", START, None)
    assert_violation(a, f)


@pytest.mark.parametrize("provision", ["meals", "vouchers", "food"])
def test_an_fsm_arrangement_by_the_start_meets_p1(provision: str) -> None:
    f = the(assess(case(fsm("FSM-1", BEFORE, provision), fsm_eligible=True), LATER, "P"), P1)
    assert (f.status, f.due, f.met_by) == ("met", START, "FSM-1")


def test_an_fsm_arrangement_after_the_start_is_late() -> None:
    f = the(assess(case(fsm("FSM-1", date(2025, 11, 18)), fsm_eligible=True), LATER, "P"), P1)
    assert (f.status, f.due, f.met_by) == ("late", START, "FSM-1")


def test_p1_and_p2_are_not_asked_for_a_pupil_not_eligible_for_fsm() -> None:
    a = assess(case(providers=[unregistered()]), LATER, "P")
    assert not {P1, P2, P3} & rule_ids(a)


def test_no_fsm_coverage_assessment_before_the_start_is_overdue() -> None:
    a = assess(case(fsm_eligible=True), LATER, "P")
    f = the(a, P2, SUBJECT)
    assert (f.status, f.due, f.met_by) == ("overdue", START, None)
    assert_violation(a, f)


def test_an_fsm_coverage_assessment_of_the_provider_meets_p2() -> None:
    f = the(
        assess(
            case(check("CHK-1", "fsm_coverage_assessed", BEFORE), fsm_eligible=True), LATER, "P"
        ),
        P2,
    )
    assert (f.status, f.due, f.met_by) == ("met", START, "CHK-1")


def test_an_fsm_coverage_assessment_of_another_provider_does_not_meet_p2() -> None:
    c = case(
        check("CHK-1", "fsm_coverage_assessed", BEFORE, provider_id="PRV-2"),
        providers=[provider(), provider("pupil_referral_unit", id="PRV-2", name="Birchwood PRU")],
        fsm_eligible=True,
    )
    f = the(assess(c, LATER, "P"), P2, SUBJECT)
    assert (f.status, f.due) == ("overdue", START)


def test_p2_is_not_asked_for_a_placement_without_a_provider() -> None:
    a = assess(
        case(placements=[placement(provider_id=None)], providers=[], fsm_eligible=True), LATER, "P"
    )
    assert P2 not in rule_ids(a)
    assert the(a, P1).status == "overdue"


@pytest.mark.parametrize(
    "prv",
    [unregistered(on_la_approved_list=True), provider("independent_school")],
    ids=["unregistered", "independent-school"],
)
def test_an_unregistered_or_private_setting_is_flagged_for_the_la_to_consider_a_meal(
    prv: dict[str, Any],
) -> None:
    a = assess(case(providers=[prv], fsm_eligible=True), LATER, "P")
    f = the(a, P3, SUBJECT)
    assert (f.kind, f.duty_holder, f.status, f.due) == (
        "advisory",
        "local_authority",
        "flagged",
        None,
    )
    assert_advisory(a, f)


@pytest.mark.parametrize("kind", ["pupil_referral_unit", "ap_academy", "further_education_college"])
def test_p3_is_not_flagged_for_a_state_funded_provider(kind: str) -> None:
    assert P3 not in rule_ids(
        assess(case(providers=[provider(kind)], fsm_eligible=True), LATER, "P")
    )


# --- provision the school does not commission ---------------------------------------------------


def everything_case(**change: Any) -> Case:
    """A case on which every rule of these sections fires: an FSM-eligible, looked-after
    Year 10 pupil full time at an unregistered, unlisted setting with four other full-time
    pupils, and a serious incident the school was told of."""
    prv = unregistered(full_time_pupils=4) | change.pop("provider", {})
    pl = placement() | change.pop("placement", {})
    return case(
        incident("SI-1", NOV_INCIDENT, NOV_INFORMED),
        placements=[pl],
        providers=[prv],
        year_group=10,
        looked_after=True,
        fsm_eligible=True,
    )


def test_every_rule_fires_for_a_commissioned_placement() -> None:
    assert rule_ids(assess(everything_case())) == ALL_RULES


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"placement": {"kind": "in_school_unit"}}, id="in-school-unit-placement"),
        pytest.param({"provider": {"kind": "in_school_unit"}}, id="in-school-unit-provider"),
        pytest.param({"placement": {"arranged_by": "local_authority"}}, id="la-arranged"),
        pytest.param(
            {"placement": {"kind": "permanent_exclusion_provision"}}, id="permanent-exclusion"
        ),
    ],
)
def test_nothing_fires_for_provision_the_school_does_not_commission(change: dict[str, Any]) -> None:
    a = assess(everything_case(**change))
    assert rule_ids(a) == set()
    assert a.violations == ()
