"""Policy section G (quality assurance: choosing appropriate alternative provision), as legal
scenarios: every rule of rules/G-choosing-provision.yaml.

"A placement" here is one the school commissions from an outside provider: not its own
in-school unit, not provision the local authority arranges, not provision after a permanent
exclusion (placement.school_commissioned).

Every deadline below is worked out by hand on the example calendar, "Example Borough Council
2025-26" (SchoolCalendar.example()). The dates these tests lean on:

    Oct 2025  Mon 13 - Fri 17 school days (Fri 17: the last day of autumn half-term 1);
              Mon 20 - Fri 24 half-term; Mon 27 INSET; Tue 28 - Fri 31 school days.
    Nov 2025  Mon 3 - Fri 28, every weekday a school day. Sat 15, Sun 16 a weekend.
    Dec 2025  Mon 1 - Fri 19 school days (Fri 19: the last day of autumn half-term 2);
              Sat 20 Dec - Sun 4 Jan the Christmas holiday.
    Jan 2026  Mon 5 INSET; school days from Tue 6.
    Feb 2026  Fri 13 the last day of spring half-term 1; Mon 23 spring half-term 2 begins.
    Mar 2026  Fri 27 the last day of spring half-term 2 (and of the spring term).

Autumn half-term 2 (Mon 27 Oct - Fri 19 Dec) has 39 school days: Tue 28 - Fri 31 Oct (4),
Mon 3 - Fri 28 Nov (20), Mon 1 - Fri 19 Dec (15). A placement starting in it has it as its
first half-term for reviews (G.2.5) when at least 19.5, so 20, of them remain: from Mon 24 Nov
(Mon 24 Nov - Fri 19 Dec is 5 + 15 = 20 school days) but not from Tue 25 Nov (19).

The running example: the school commissions placement PL-1 for a Year 9 pupil at Harbour View
Learning (PRV-1, an unregistered provider whose address the school holds), starting Mon 3 Nov
2025. Deadlines "by the start" fall on Mon 3 Nov. Unless said otherwise the case is assessed
on Mon 1 Dec 2025.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from apcompliance import Assessment, Case, Finding, PolicySettings
from tests import scenarios
from tests.conftest import section_evaluator
from tests.scenarios import findings, rule_ids, the

START = date(2025, 11, 3)  # Mon 3 Nov 2025: the first day of PL-1
BEFORE = date(2025, 10, 30)  # Thu 30 Oct 2025: a school day before the start
LATER = date(2025, 12, 1)  # Mon 1 Dec 2025: the assessment date
SUBJECT = "placement PL-1"

VISIT_FIT = "G.1-visit-to-assess-fit"
SUITABLE = "G.2-arrangements-suitable"
STAFF_CHECKS = "G.2.2-written-safeguarding-confirmation"
REPORT_CHANGES = "G.2.3-undertaking-to-report-changes"
ABSENCE = "G.2.4-absence-follow-up-arrangements"
PROVIDER_RECORDED = "G.2.4-provider-address-recorded"
ADDRESS_MISSING = "G.2.4-provider-address-missing"
OTHER_SITES = "G.2.4-other-site-addresses-missing"
HALF_TERMLY = "G.2.5-half-termly-review"
IMMEDIATE = "G.2.6-immediate-review-after-safeguarding-concern"
UNRESOLVED = "G.2.6-unresolved-concern"
RISK_OF_HARM = "G.2.7-additional-risk-of-harm"
OBJECTIVES = "G.3-learning-plan-objectives"
TIMEFRAMES = "G.3.i-plan-timeframes"
TRANSITION = "G.3.i-plan-transition-arrangements"
ASSESSMENT = "G.3.i-plan-assessment-arrangements"
BASELINE = "G.3.i-plan-baseline"
EHC_LINK = "G.3.ii-plan-linked-to-ehc-plan"
SHARING_AGREED = "G.4-information-sharing-agreed"
SEND_SHARED = "G.4-send-information-shared"
SEMH_SHARED = "G.4-semh-information-shared"
VISITS = "G.4.i-visits"
EHC_REVIEW = "G.4.ii-provider-contributes-to-ehc-plan-review"
OTHER_PROVIDERS = "G.5.i-each-provider-knows-the-others"
CHRONOLOGY = "G.5.iii-safeguarding-chronology-shared"

G_RULES = frozenset(
    {
        VISIT_FIT,
        SUITABLE,
        STAFF_CHECKS,
        REPORT_CHANGES,
        ABSENCE,
        PROVIDER_RECORDED,
        ADDRESS_MISSING,
        OTHER_SITES,
        HALF_TERMLY,
        IMMEDIATE,
        UNRESOLVED,
        RISK_OF_HARM,
        OBJECTIVES,
        TIMEFRAMES,
        TRANSITION,
        ASSESSMENT,
        BASELINE,
        EHC_LINK,
        SHARING_AGREED,
        SEND_SHARED,
        SEMH_SHARED,
        VISITS,
        EHC_REVIEW,
        OTHER_PROVIDERS,
        CHRONOLOGY,
    }
)

PLAN_PARTS = {
    OBJECTIVES: "objectives",
    TIMEFRAMES: "timeframes",
    TRANSITION: "transition_arrangements",
    ASSESSMENT: "assessment_arrangements",
    BASELINE: "baseline",
}
"""The parts of the personalised learning plan (G.3, G.3.i) and the rule that asks for each."""

OUTSET_OBLIGATIONS = (
    SUITABLE,
    STAFF_CHECKS,
    REPORT_CHANGES,
    ABSENCE,
    RISK_OF_HARM,
    *PLAN_PARTS,
    EHC_LINK,
    SHARING_AGREED,
    SEND_SHARED,
    SEMH_SHARED,
    CHRONOLOGY,
)
"""The obligations due on the placement's first day."""

AUTUMN_2 = "autumn term 2025, half-term 2"
SPRING_1 = "spring term 2026, half-term 1"
SPRING_2 = "spring term 2026, half-term 2"


# --- building cases ---------------------------------------------------------------------------


def provider(
    id: str = "PRV-1",
    *,
    name: str = "Harbour View Learning",
    kind: str = "unregistered",
    address: bool = True,
    **extra: Any,
) -> dict[str, Any]:
    addresses = [{"lines": ["4 Quayside Yard", "Northam"], "postcode": "ZZ9 4QY"}]
    return {
        "id": id,
        "name": name,
        "kind": kind,
        "addresses": addresses if address else [],
        "other_sites": False,
    } | extra


OTHER_PROVIDER = provider(
    "PRV-2", name="Larchfield Skills Centre", kind="further_education_college"
)


def placement(
    id: str = "PL-1",
    *,
    start: date = START,
    provider_id: str | None = "PRV-1",
    kind: str = "other",
    **extra: Any,
) -> dict[str, Any]:
    """A placement the school commissions (unless `extra` says otherwise)."""
    out = {"id": id, "kind": kind, "start_date": start, "full_time": True} | extra
    if provider_id is not None:
        out["provider_id"] = provider_id
    return out


def case(
    *events: dict[str, Any], placements: Any = None, providers: Any = None, **pupil: Any
) -> Case:
    """The pupil's case; by default with the running example's PL-1 at PRV-1."""
    return scenarios.case(
        *events,
        placements=[placement()] if placements is None else placements,
        providers=[provider(), OTHER_PROVIDER] if providers is None else providers,
        case_id="CASE-G",
        **pupil,
    )


def assess(c: Case, as_of: date = LATER, **settings: Any) -> Assessment:
    return scenarios.assess(c, as_of, "G", settings=PolicySettings(**settings))


def provider_check(
    id: str, on: date, check: str, *, provider_id: str = "PRV-1", in_writing: bool = True
) -> dict[str, Any]:
    return {
        "kind": "provider_check",
        "id": id,
        "provider_id": provider_id,
        "checked_on": on,
        "check": check,
        "in_writing": in_writing,
    }


def shared(id: str, on: date, *items: str, placement_id: str = "PL-1") -> dict[str, Any]:
    return {
        "kind": "information_shared",
        "id": id,
        "placement_id": placement_id,
        "shared_on": on,
        "items": list(items),
    }


def plan(id: str, on: date, *parts: str, placement_id: str = "PL-1") -> dict[str, Any]:
    return {
        "kind": "learning_plan",
        "id": id,
        "placement_id": placement_id,
        "agreed_on": on,
        "includes": list(parts),
    }


def visit(id: str, on: date, *, placement_id: str = "PL-1", form: str = "visit") -> dict[str, Any]:
    return {"kind": "visit", "id": id, "placement_id": placement_id, "visited_on": on, "form": form}


def review(id: str, held_on: date, *covered: str, placement_id: str = "PL-1") -> dict[str, Any]:
    return {
        "kind": "placement_review",
        "id": id,
        "placement_id": placement_id,
        "held_on": held_on,
        "attendees": ["ap_lead", "provider"],
        "covered": list(covered) or ["progress", "attendance"],
    }


def suitability(id: str, on: date, *, placement_id: str = "PL-1", **flags: bool) -> dict[str, Any]:
    """A suitability check (G.2); by default all four arrangements found suitable."""
    four = {
        "safeguarding_arrangements": True,
        "pastoral_support": True,
        "health_and_safety": True,
        "transport": True,
    }
    return {
        "kind": "suitability_check",
        "id": id,
        "placement_id": placement_id,
        "checked_on": on,
    } | (four | flags)


def concern(
    id: str, raised_on: date, *, resolved_on: date | None = None, placement_id: str = "PL-1"
) -> dict[str, Any]:
    out = {
        "kind": "safeguarding_concern",
        "id": id,
        "placement_id": placement_id,
        "raised_on": raised_on,
    }
    return out | ({"resolved_on": resolved_on} if resolved_on else {})


def ehc_review(id: str, held_on: date, *contributors: str) -> dict[str, Any]:
    return {
        "kind": "ehc_plan_review",
        "id": id,
        "held_on": held_on,
        "provider_contributions": list(contributors),
    }


def windows(a: Assessment, rule_id: str, subject: str = SUBJECT) -> list[tuple[Any, ...]]:
    """(period, due, status, met_by) of each finding of a recurring rule, in order."""
    return [(f.period, f.due, f.status, f.met_by) for f in findings(a, rule_id, subject)]


def assert_advisory(a: Assessment, f: Finding) -> None:
    """For information only: never a violation."""
    assert f in a.advisories
    assert f not in a.violations


# --- which placements the section applies to --------------------------------------------------


POLICY_RULES = frozenset({"G.4-superseded-working-together"})
"""Rules about the policy itself, tested in tests/test_policy_review.py."""


def test_the_rule_file_holds_exactly_the_rules_tested_here() -> None:
    assert {r.id for r in section_evaluator("G").book.rules} == G_RULES | POLICY_RULES


def every_rule_case(
    kind: str = "other",
    *,
    arranged_by: str = "school",
    provider_kind: str = "unregistered",
) -> Case:
    """A case in which every rule of section G applies when the school commissions it: PL-1 at
    a provider whose address, and whether it has other sites, are not recorded, with an
    unresolved safeguarding concern and a review of the EHC plan the provider did not
    contribute to; PL-2, alongside it from Mon 17 Nov, names no provider. The pupil has SEND,
    SEMH needs and an EHC plan."""
    common = {"kind": kind, "arranged_by": arranged_by}
    return case(
        concern("SC-1", date(2025, 11, 12)),
        ehc_review("EHC-1", date(2025, 11, 20)),
        {"kind": "permanent_exclusion", "id": "PEX-1", "first_day": date(2025, 10, 28)},
        placements=[
            placement(**common),
            placement("PL-2", start=date(2025, 11, 17), provider_id=None, **common),
        ],
        providers=[provider(kind=provider_kind, address=False, other_sites=None)],
        send=True,
        semh_needs=True,
        ehc_plan=True,
    )


def test_every_rule_applies_to_placements_the_school_commissions() -> None:
    assert rule_ids(assess(every_rule_case())) == G_RULES


@pytest.mark.parametrize(
    "c",
    [
        pytest.param(every_rule_case("in_school_unit"), id="in-school-unit"),
        pytest.param(every_rule_case("permanent_exclusion_provision"), id="permanent-exclusion"),
        pytest.param(every_rule_case(arranged_by="local_authority"), id="arranged-by-the-la"),
    ],
)
def test_no_rule_applies_to_provision_the_school_does_not_commission(c: Case) -> None:
    assert rule_ids(assess(c)) == set()


def test_no_rule_applies_to_a_placement_at_the_schools_own_unit() -> None:
    # A placement of kind "other" at a provider that is the school's in-school unit.
    c = case(
        concern("SC-1", date(2025, 11, 12)),
        ehc_review("EHC-1", date(2025, 11, 20)),
        placements=[placement(), placement("PL-2", start=date(2025, 11, 17))],
        providers=[provider(name="The Bridge Room", kind="in_school_unit", address=False)],
        send=True,
        semh_needs=True,
        ehc_plan=True,
    )
    assert rule_ids(assess(c)) == set()


@pytest.mark.parametrize("kind", ["other", "medical", "suspension_provision", "off_site_direction"])
def test_other_kinds_of_placement_from_an_outside_provider_are_commissioned(kind: str) -> None:
    c = case(placements=[placement(kind=kind, arranged_on=date(2025, 10, 20))])
    f = the(assess(c), SUITABLE, SUBJECT)
    assert (f.status, f.due) == ("overdue", START)


@pytest.mark.parametrize("rule_id", OUTSET_OBLIGATIONS)
def test_with_nothing_done_every_outset_obligation_is_overdue_from_the_first_day(
    rule_id: str,
) -> None:
    a = assess(case(send=True, semh_needs=True, ehc_plan=True))
    f = the(a, rule_id, SUBJECT)
    assert (f.kind, f.status, f.due, f.met_by) == ("obligation", "overdue", START, None)
    assert f in a.violations


@pytest.mark.parametrize("rule_id", OUTSET_OBLIGATIONS)
def test_before_the_first_day_every_outset_obligation_is_pending(rule_id: str) -> None:
    f = the(assess(case(send=True, semh_needs=True, ehc_plan=True), BEFORE), rule_id, SUBJECT)
    assert (f.status, f.due) == ("pending", START)


# --- G.1: a visit to assess the fit (a recommendation) ----------------------------------------


@pytest.mark.parametrize("form", ["visit", "meeting"])
def test_a_visit_or_meeting_before_the_start_follows_g1(form: str) -> None:
    f = the(assess(case(visit("VIS-1", BEFORE, form=form))), VISIT_FIT, SUBJECT)
    assert (f.kind, f.status, f.due, f.met_by) == ("obligation", "met", START, "VIS-1")


def test_a_visit_on_the_first_day_is_too_late_to_assess_the_fit() -> None:
    # G.1 comes before the pupil attends: a visit that day does not show it came first.
    f = the(assess(case(visit("VIS-1", START))), VISIT_FIT, SUBJECT)
    assert (f.status, f.due, f.met_on) == ("late", START, START)
    f = the(
        assess(case(visit("VIS-1", START)), where_possible_means="recommendation"),
        VISIT_FIT,
        SUBJECT,
    )
    assert (f.status, f.due, f.met_on) == ("missed", START, START)


def test_a_visit_the_day_before_the_start_follows_g1() -> None:
    f = the(assess(case(visit("VIS-1", BEFORE))), VISIT_FIT, SUBJECT)
    assert (f.status, f.due, f.met_on) == ("met", START, BEFORE)


# "Where possible ... should" (the where_possible_means switch): an obligation by default (was
# a recommendation: missed, never a violation), unless the case records why it was not possible.


def test_no_visit_before_the_start_is_overdue_unless_recorded_not_possible() -> None:
    a = assess(case())
    f = the(a, VISIT_FIT, SUBJECT)
    assert (f.kind, f.status, f.due, f.met_by) == ("obligation", "overdue", START, None)
    assert f in a.violations


def test_no_visit_before_the_start_is_a_missed_recommendation_under_that_reading() -> None:
    a = assess(case(), where_possible_means="recommendation")
    f = the(a, VISIT_FIT, SUBJECT)
    assert (f.kind, f.status, f.due, f.met_by) == ("recommendation", "missed", START, None)
    assert_advisory(a, f)


def test_a_visit_after_the_start_is_late_or_under_the_recommendation_reading_missed() -> None:
    # Visited on Wed 5 Nov, two days into the placement.
    c = case(visit("VIS-1", date(2025, 11, 5)))
    a = assess(c)
    f = the(a, VISIT_FIT, SUBJECT)
    assert (f.status, f.due, f.met_by) == ("late", START, "VIS-1")
    assert f in a.violations
    a = assess(c, where_possible_means="recommendation")
    f = the(a, VISIT_FIT, SUBJECT)
    assert (f.status, f.due, f.met_by) == ("missed", START, "VIS-1")
    assert_advisory(a, f)


def test_a_visit_about_another_placement_does_not_follow_g1() -> None:
    c = case(
        visit("VIS-1", BEFORE, placement_id="PL-2"),
        placements=[placement(), placement("PL-2", start=date(2026, 1, 6), provider_id="PRV-2")],
    )
    a = assess(c)
    assert (the(a, VISIT_FIT, SUBJECT).status, the(a, VISIT_FIT, SUBJECT).due) == ("overdue", START)
    assert the(a, VISIT_FIT, "placement PL-2").status == "met"


# --- G.2: safeguarding, pastoral, health and safety and transport arrangements ----------------


def test_all_four_arrangements_found_suitable_before_the_start_meets_g2() -> None:
    a = assess(case(suitability("SUI-1", BEFORE)))
    f = the(a, SUITABLE, SUBJECT)
    assert (f.status, f.due, f.met_by, f.met_on) == ("met", START, "SUI-1", BEFORE)
    assert f not in a.violations


@pytest.mark.parametrize(
    "unchecked", ["safeguarding_arrangements", "pastoral_support", "health_and_safety", "transport"]
)
def test_a_check_that_leaves_one_arrangement_out_does_not_meet_g2(unchecked: str) -> None:
    f = the(assess(case(suitability("SUI-1", BEFORE, **{unchecked: False}))), SUITABLE, SUBJECT)
    assert (f.status, f.due, f.met_by) == ("overdue", START, None)


def test_the_arrangements_checked_after_the_start_are_late() -> None:
    # Checked on Mon 10 Nov, a week into the placement.
    a = assess(case(suitability("SUI-1", date(2025, 11, 10))))
    f = the(a, SUITABLE, SUBJECT)
    assert (f.status, f.due, f.met_by) == ("late", START, "SUI-1")
    assert f in a.violations


def test_a_check_of_another_placement_does_not_meet_g2() -> None:
    c = case(
        suitability("SUI-1", BEFORE, placement_id="PL-2"),
        placements=[placement(), placement("PL-2", start=date(2026, 1, 6), provider_id="PRV-2")],
    )
    f = the(assess(c), SUITABLE, SUBJECT)
    assert (f.status, f.due) == ("overdue", START)


# --- G.2.2: written confirmation of the provider's safeguarding checks ------------------------


def test_written_confirmation_of_staff_checks_before_the_start_meets_g22() -> None:
    c = case(provider_check("CHK-1", BEFORE, "staff_safeguarding_checks_confirmed"))
    f = the(assess(c), STAFF_CHECKS, SUBJECT)
    assert (f.duty_holder, f.status, f.due, f.met_by) == ("dsl", "met", START, "CHK-1")


def test_confirmation_of_staff_checks_not_in_writing_does_not_meet_g22() -> None:
    c = case(
        provider_check("CHK-1", BEFORE, "staff_safeguarding_checks_confirmed", in_writing=False)
    )
    a = assess(c)
    f = the(a, STAFF_CHECKS, SUBJECT)
    assert (f.status, f.due, f.met_by) == ("overdue", START, None)
    assert f in a.violations


def test_confirmation_from_another_provider_does_not_meet_g22() -> None:
    c = case(
        provider_check("CHK-1", BEFORE, "staff_safeguarding_checks_confirmed", provider_id="PRV-2")
    )
    f = the(assess(c), STAFF_CHECKS, SUBJECT)
    assert (f.status, f.due) == ("overdue", START)


def test_another_assurance_from_the_provider_does_not_meet_g22() -> None:
    # The undertaking to report changes (G.2.3) is not confirmation of the staff checks.
    f = the(assess(case(provider_check("CHK-1", BEFORE, "will_report_changes"))), STAFF_CHECKS)
    assert (f.status, f.due) == ("overdue", START)


def test_read_once_per_provider_one_confirmation_serves_each_placement_with_it() -> None:
    # Confirmed on Mon 10 Nov: a week late for PL-1 (from Mon 3 Nov), in time for PL-2 at the
    # same provider from Tue 6 Jan 2026.
    c = case(
        provider_check("CHK-1", date(2025, 11, 10), "staff_safeguarding_checks_confirmed"),
        placements=[placement(), placement("PL-2", start=date(2026, 1, 6))],
    )
    a = assess(c, safeguarding_confirmation_scope="once_per_provider")
    first, second = the(a, STAFF_CHECKS, SUBJECT), the(a, STAFF_CHECKS, "placement PL-2")
    assert (first.status, first.due, first.met_by) == ("late", START, "CHK-1")
    assert (second.status, second.due, second.met_by) == ("met", date(2026, 1, 6), "CHK-1")


def test_per_placement_a_confirmation_obtained_while_an_earlier_placement_runs_is_its_own() -> None:
    # The default reading: CHK-1 (Mon 10 Nov) was obtained while PL-1 ran (open-ended), so it
    # does not serve PL-2 at the same provider from Tue 6 Jan 2026; one naming PL-2 does.
    checks = provider_check("CHK-1", date(2025, 11, 10), "staff_safeguarding_checks_confirmed")
    placements = [placement(), placement("PL-2", start=date(2026, 1, 6))]
    a = assess(case(checks, placements=placements), date(2026, 1, 12))
    second = the(a, STAFF_CHECKS, "placement PL-2")
    assert (second.status, second.due, second.met_by) == ("overdue", date(2026, 1, 6), None)
    named = checks | {"id": "CHK-2", "placement_id": "PL-2", "checked_on": date(2025, 12, 1)}
    a = assess(case(checks, named, placements=placements), date(2026, 1, 12))
    second = the(a, STAFF_CHECKS, "placement PL-2")
    assert (second.status, second.met_by) == ("met", "CHK-2")
    assert the(a, STAFF_CHECKS, SUBJECT).met_by == "CHK-1"


# --- G.2.3: a written undertaking to report changes -------------------------------------------


def test_a_written_undertaking_to_report_changes_meets_g23() -> None:
    f = the(assess(case(provider_check("CHK-1", BEFORE, "will_report_changes"))), REPORT_CHANGES)
    assert (f.subject, f.status, f.due, f.met_by) == (SUBJECT, "met", START, "CHK-1")


def test_an_undertaking_on_the_first_day_with_no_time_is_late_for_g23() -> None:
    # Before the pupil attends: a record of the first day must show it came first.
    f = the(assess(case(provider_check("CHK-1", START, "will_report_changes"))), REPORT_CHANGES)
    assert (f.subject, f.status, f.due, f.met_by) == (SUBJECT, "late", START, "CHK-1")


def test_an_undertaking_to_report_changes_not_in_writing_does_not_meet_g23() -> None:
    c = case(provider_check("CHK-1", BEFORE, "will_report_changes", in_writing=False))
    a = assess(c)
    f = the(a, REPORT_CHANGES, SUBJECT)
    assert (f.status, f.due) == ("overdue", START)
    assert f in a.violations


def test_an_undertaking_to_report_changes_from_another_provider_does_not_meet_g23() -> None:
    c = case(provider_check("CHK-1", BEFORE, "will_report_changes", provider_id="PRV-2"))
    f = the(assess(c), REPORT_CHANGES, SUBJECT)
    assert (f.status, f.due) == ("overdue", START)


def test_an_undertaking_to_report_changes_given_after_the_start_is_late() -> None:
    c = case(provider_check("CHK-1", date(2025, 11, 4), "will_report_changes"))
    f = the(assess(c), REPORT_CHANGES, SUBJECT)
    assert (f.status, f.due, f.met_on) == ("late", START, date(2025, 11, 4))


# --- G.2.4: the provider follows up absences --------------------------------------------------


def test_the_provider_s_absence_arrangements_checked_meets_g24_writing_or_not() -> None:
    c = case(provider_check("CHK-1", BEFORE, "absence_follow_up_arrangements", in_writing=False))
    f = the(assess(c), ABSENCE, SUBJECT)
    assert (f.duty_holder, f.status, f.due, f.met_by) == ("school", "met", START, "CHK-1")


def test_absence_arrangements_not_checked_are_overdue() -> None:
    # A check of another provider's arrangements does not count.
    c = case(provider_check("CHK-1", BEFORE, "absence_follow_up_arrangements", provider_id="PRV-2"))
    a = assess(c)
    f = the(a, ABSENCE, SUBJECT)
    assert (f.status, f.due) == ("overdue", START)
    assert f in a.violations


# --- G.2.4: the provider and its address recorded ---------------------------------------------


def test_a_placement_naming_no_provider_breaches_g24_on_its_first_day() -> None:
    a = assess(case(placements=[placement(provider_id=None)]))
    f = the(a, PROVIDER_RECORDED, SUBJECT)
    assert (f.kind, f.status, f.due) == ("requirement", "breached", START)
    assert f in a.violations


def test_a_placement_still_to_start_naming_no_provider_is_at_risk() -> None:
    f = the(assess(case(placements=[placement(provider_id=None)]), BEFORE), PROVIDER_RECORDED)
    assert (f.status, f.due) == ("at_risk", START)


def test_the_checks_of_the_provider_cannot_apply_where_no_provider_is_named() -> None:
    a = assess(case(placements=[placement(provider_id=None)]))
    for rule_id in (STAFF_CHECKS, REPORT_CHANGES, ABSENCE, SHARING_AGREED, ADDRESS_MISSING):
        assert rule_id not in rule_ids(a)


def test_a_placement_naming_its_provider_does_not_breach_g24() -> None:
    a = assess(case())
    assert PROVIDER_RECORDED not in rule_ids(a)
    assert ADDRESS_MISSING not in rule_ids(a)


def test_a_provider_without_an_address_breaches_g24_on_the_first_day() -> None:
    a = assess(case(providers=[provider(address=False)]))
    f = the(a, ADDRESS_MISSING, SUBJECT)
    assert (f.kind, f.status, f.due) == ("requirement", "breached", START)
    assert f in a.violations
    assert PROVIDER_RECORDED not in rule_ids(a)


def test_a_provider_with_only_a_satellite_address_breaches_g24() -> None:
    satellite = {"lines": ["Unit 2", "Mill Lane"], "postcode": "ZZ9 5ML", "site": "satellite"}
    a = assess(case(providers=[provider(addresses=[satellite], other_sites=True)]))
    f = the(a, ADDRESS_MISSING, SUBJECT)
    assert (f.kind, f.duty_holder, f.status, f.due) == ("requirement", "school", "breached", START)
    assert OTHER_SITES not in rule_ids(a)


@pytest.mark.parametrize(
    ("other_sites", "status"),
    [(True, "breached"), (None, "information_needed"), (False, None)],
    ids=["has-other-sites", "not-recorded", "none"],
)
def test_satellite_or_subcontracted_sites_are_recorded_or_asked_for(
    other_sites: bool | None, status: str | None
) -> None:
    a = assess(case(providers=[provider(other_sites=other_sites)]))
    if status is None:
        assert OTHER_SITES not in rule_ids(a)
        return
    f = the(a, OTHER_SITES, SUBJECT)
    assert (f.kind, f.duty_holder, f.status, f.due) == ("requirement", "school", status, START)
    if other_sites is None:
        assert f.missing == ("provider PRV-1: other_sites is not recorded",)


def test_a_provider_without_an_address_before_the_start_is_at_risk() -> None:
    f = the(assess(case(providers=[provider(address=False)]), BEFORE), ADDRESS_MISSING, SUBJECT)
    assert (f.status, f.due) == ("at_risk", START)


# --- G.2.5: reviews at least half-termly ------------------------------------------------------


def test_a_placement_from_3_nov_is_first_reviewed_in_the_autumn_half_term() -> None:
    # 35 of the half-term's 39 school days remain from Mon 3 Nov: it counts; due Fri 19 Dec.
    a = assess(case())
    assert windows(a, HALF_TERMLY) == [(AUTUMN_2, date(2025, 12, 19), "pending", None)]


def test_a_review_in_the_first_half_term_meets_g25() -> None:
    a = assess(case(review("REV-1", date(2025, 11, 20))), date(2025, 12, 19))
    assert windows(a, HALF_TERMLY) == [(AUTUMN_2, date(2025, 12, 19), "met", "REV-1")]


def test_a_placement_from_15_dec_is_first_reviewed_in_the_spring_half_term() -> None:
    # Only Mon 15 - Fri 19 Dec (5 of 39 school days) remain: the first review is due in spring
    # half-term 1, by Fri 13 Feb 2026.
    a = assess(case(placements=[placement(start=date(2025, 12, 15))]), date(2026, 1, 6))
    assert windows(a, HALF_TERMLY) == [(SPRING_1, date(2026, 2, 13), "pending", None)]


@pytest.mark.parametrize(
    ("start", "first"),
    [
        pytest.param(date(2025, 11, 24), AUTUMN_2, id="Mon-24-Nov-20-of-39-left"),
        pytest.param(date(2025, 11, 25), SPRING_1, id="Tue-25-Nov-19-of-39-left"),
    ],
)
def test_the_first_half_term_counts_when_at_least_half_of_it_remains(
    start: date, first: str
) -> None:
    a = assess(case(placements=[placement(start=start)]), date(2025, 12, 1))
    assert [w[0] for w in windows(a, HALF_TERMLY)] == [first]


def test_one_review_finding_per_half_term() -> None:
    # Reviews on Thu 20 Nov and Tue 10 Feb; assessed on Mon 2 Mar 2026, in spring half-term 2.
    c = case(review("REV-1", date(2025, 11, 20)), review("REV-2", date(2026, 2, 10)))
    a = assess(c, date(2026, 3, 2))
    assert windows(a, HALF_TERMLY) == [
        (AUTUMN_2, date(2025, 12, 19), "met", "REV-1"),
        (SPRING_1, date(2026, 2, 13), "met", "REV-2"),
        (SPRING_2, date(2026, 3, 27), "pending", None),
    ]


def test_two_reviews_in_one_half_term_do_not_cover_the_next() -> None:
    # Reviews on Thu 20 Nov and Wed 17 Dec, none in spring half-term 1; assessed on Mon 16 Feb
    # 2026, in the half-term holiday after its last school day (Fri 13 Feb).
    c = case(review("REV-1", date(2025, 11, 20)), review("REV-2", date(2025, 12, 17)))
    a = assess(c, date(2026, 2, 16))
    assert windows(a, HALF_TERMLY) == [
        (AUTUMN_2, date(2025, 12, 19), "met", "REV-1"),
        (SPRING_1, date(2026, 2, 13), "overdue", None),
        (SPRING_2, date(2026, 3, 27), "pending", None),
    ]


def test_a_missed_half_term_is_overdue_and_a_review_in_the_next_does_not_make_it_late() -> None:
    # No review before Fri 19 Dec; the next on Tue 6 Jan 2026 counts for spring half-term 1.
    a = assess(case(review("REV-1", date(2026, 1, 6))), date(2026, 1, 7))
    assert windows(a, HALF_TERMLY) == [
        (AUTUMN_2, date(2025, 12, 19), "overdue", None),
        (SPRING_1, date(2026, 2, 13), "met", "REV-1"),
    ]
    missed = findings(a, HALF_TERMLY)[0]
    assert missed in a.violations


def test_a_last_half_term_cut_short_by_the_end_of_the_placement_is_not_required() -> None:
    # The placement ends on Fri 6 Mar 2026, two weeks into spring half-term 2 (due Fri 27 Mar).
    c = case(review("REV-1", date(2026, 1, 6)), placements=[placement(end_date=date(2026, 3, 6))])
    a = assess(c, date(2026, 4, 1))
    assert windows(a, HALF_TERMLY) == [
        (AUTUMN_2, date(2025, 12, 19), "overdue", None),
        (SPRING_1, date(2026, 2, 13), "met", "REV-1"),
    ]


def test_a_placement_ending_on_the_last_day_of_a_half_term_is_reviewed_in_it() -> None:
    c = case(placements=[placement(end_date=date(2026, 3, 27))])
    a = assess(c, date(2026, 4, 1))
    assert [(p, due, status) for p, due, status, _ in windows(a, HALF_TERMLY)] == [
        (AUTUMN_2, date(2025, 12, 19), "overdue"),
        (SPRING_1, date(2026, 2, 13), "overdue"),
        (SPRING_2, date(2026, 3, 27), "overdue"),
    ]


def test_a_review_of_another_placement_does_not_meet_g25() -> None:
    c = case(
        review("REV-1", date(2025, 11, 20), placement_id="PL-2"),
        placements=[placement(), placement("PL-2", start=date(2025, 11, 10), provider_id="PRV-2")],
    )
    a = assess(c, date(2025, 12, 19))
    assert windows(a, HALF_TERMLY) == [(AUTUMN_2, date(2025, 12, 19), "due_today", None)]
    assert windows(a, HALF_TERMLY, "placement PL-2") == [
        (AUTUMN_2, date(2025, 12, 19), "met", "REV-1")
    ]


# --- G.2.6: an immediate review after a safeguarding concern ----------------------------------

CONCERN = "safeguarding_concern SC-1"
RAISED = date(2025, 11, 12)  # Wed 12 Nov 2025, a school day


def test_a_review_covering_safeguarding_the_same_day_meets_g26() -> None:
    c = case(concern("SC-1", RAISED), review("REV-1", RAISED, "safeguarding"))
    f = the(assess(c), IMMEDIATE, CONCERN)
    assert (f.duty_holder, f.status, f.due, f.met_by) == ("dsl", "met", RAISED, "REV-1")


def test_no_review_after_a_concern_is_overdue_from_the_same_school_day() -> None:
    a = assess(case(concern("SC-1", RAISED)))
    f = the(a, IMMEDIATE, CONCERN)
    assert (f.status, f.due, f.met_by) == ("overdue", RAISED, None)
    assert f in a.violations


def test_a_review_the_next_day_is_late() -> None:
    c = case(concern("SC-1", RAISED), review("REV-1", date(2025, 11, 13), "safeguarding"))
    a = assess(c)
    f = the(a, IMMEDIATE, CONCERN)
    assert (f.status, f.due, f.met_by) == ("late", RAISED, "REV-1")
    assert f in a.violations


def test_a_review_that_does_not_cover_safeguarding_does_not_meet_g26() -> None:
    c = case(concern("SC-1", RAISED), review("REV-1", RAISED, "progress", "attendance"))
    f = the(assess(c), IMMEDIATE, CONCERN)
    assert (f.status, f.due) == ("overdue", RAISED)


def test_a_review_before_the_concern_does_not_meet_g26() -> None:
    # A safeguarding review on Tue 11 Nov, the day before the concern was raised.
    c = case(concern("SC-1", RAISED), review("REV-1", date(2025, 11, 11), "safeguarding"))
    f = the(assess(c), IMMEDIATE, CONCERN)
    assert (f.status, f.due, f.met_by) == ("overdue", RAISED, None)


def test_a_review_of_another_placement_does_not_meet_g26() -> None:
    c = case(
        concern("SC-1", RAISED),
        review("REV-1", RAISED, "safeguarding", placement_id="PL-2"),
        placements=[placement(), placement("PL-2", start=date(2025, 11, 10), provider_id="PRV-2")],
    )
    f = the(assess(c), IMMEDIATE, CONCERN)
    assert (f.status, f.due) == ("overdue", RAISED)


def test_a_concern_raised_on_a_saturday_is_due_on_monday() -> None:
    # Raised on Sat 15 Nov; the first school day counting from it is Mon 17 Nov.
    c = case(concern("SC-1", date(2025, 11, 15)))
    f = the(assess(c, date(2025, 11, 17)), IMMEDIATE, CONCERN)
    assert (f.status, f.due) == ("due_today", date(2025, 11, 17))
    c = case(
        concern("SC-1", date(2025, 11, 15)), review("REV-1", date(2025, 11, 17), "safeguarding")
    )
    f = the(assess(c), IMMEDIATE, CONCERN)
    assert (f.status, f.due, f.met_by) == ("met", date(2025, 11, 17), "REV-1")


def test_prompt_by_school_day_three_gives_until_the_third_school_day() -> None:
    # Raised on Thu 13 Nov: Thu 13 (1), Fri 14 (2), Mon 17 Nov (3).
    c = case(
        concern("SC-1", date(2025, 11, 13)), review("REV-1", date(2025, 11, 17), "safeguarding")
    )
    a = assess(c, prompt_by_school_day=3)
    f = the(a, IMMEDIATE, CONCERN)
    assert (f.status, f.due, f.met_by) == ("met", date(2025, 11, 17), "REV-1")
    assert f.explanation.readings == {"prompt_by_school_day": 3}


def test_each_concern_needs_its_own_review_on_or_after_it() -> None:
    # SC-1 on Wed 12 Nov is reviewed the same day; SC-2 on Tue 18 Nov is not.
    c = case(
        concern("SC-1", RAISED),
        concern("SC-2", date(2025, 11, 18)),
        review("REV-1", RAISED, "safeguarding"),
    )
    a = assess(c)
    assert the(a, IMMEDIATE, CONCERN).status == "met"
    f = the(a, IMMEDIATE, "safeguarding_concern SC-2")
    assert (f.status, f.due) == ("overdue", date(2025, 11, 18))


# --- G.2.6: a concern not yet addressed (an advisory) -----------------------------------------


def test_an_unresolved_concern_is_flagged() -> None:
    a = assess(case(concern("SC-1", RAISED)))
    f = the(a, UNRESOLVED, CONCERN)
    assert (f.kind, f.status, f.due) == ("advisory", "flagged", None)
    assert_advisory(a, f)


def test_a_resolved_concern_is_not_flagged() -> None:
    a = assess(case(concern("SC-1", RAISED, resolved_on=date(2025, 11, 20))))
    assert UNRESOLVED not in rule_ids(a)
    assert IMMEDIATE in rule_ids(a)


def test_a_concern_resolved_only_after_the_assessment_date_is_still_flagged() -> None:
    # Assessed on Mon 1 Dec 2025; the concern was only addressed on Mon 12 Jan 2026.
    a = assess(case(concern("SC-1", RAISED, resolved_on=date(2026, 1, 12))))
    f = the(a, UNRESOLVED, CONCERN)
    assert f.status == "flagged"


# --- G.2.7: the additional risk of harm -------------------------------------------------------


def test_telling_the_provider_of_the_additional_risk_of_harm_meets_g27() -> None:
    c = case(shared("INF-1", BEFORE, "additional_risk_of_harm", "safeguarding_chronology"))
    f = the(assess(c), RISK_OF_HARM, SUBJECT)
    assert (f.duty_holder, f.status, f.due, f.met_by) == ("school", "met", START, "INF-1")


def test_sharing_other_information_does_not_meet_g27() -> None:
    a = assess(case(shared("INF-1", BEFORE, "safeguarding_chronology", "send_details")))
    f = the(a, RISK_OF_HARM, SUBJECT)
    assert (f.status, f.due) == ("overdue", START)
    assert f in a.violations


def test_the_risk_of_harm_told_to_another_placement_s_provider_does_not_meet_g27() -> None:
    c = case(
        shared("INF-1", BEFORE, "additional_risk_of_harm", placement_id="PL-2"),
        placements=[placement(), placement("PL-2", start=date(2026, 1, 6), provider_id="PRV-2")],
    )
    f = the(assess(c), RISK_OF_HARM, SUBJECT)
    assert (f.status, f.due) == ("overdue", START)


def test_the_risk_of_harm_told_after_the_start_is_late() -> None:
    f = the(
        assess(case(shared("INF-1", date(2025, 11, 7), "additional_risk_of_harm"))), RISK_OF_HARM
    )
    assert (f.status, f.due, f.met_on) == ("late", START, date(2025, 11, 7))


# --- G.3, G.3.i: the personalised learning plan -----------------------------------------------


@pytest.mark.parametrize("rule_id", PLAN_PARTS)
def test_a_full_plan_agreed_before_the_start_meets_each_part(rule_id: str) -> None:
    a = assess(case(plan("PLN-1", BEFORE, *PLAN_PARTS.values())))
    f = the(a, rule_id, SUBJECT)
    assert (f.duty_holder, f.status, f.due, f.met_by) == ("ap_lead", "met", START, "PLN-1")


@pytest.mark.parametrize("rule_id", PLAN_PARTS)
def test_a_plan_without_one_part_is_overdue_for_that_part_only(rule_id: str) -> None:
    parts = [p for r, p in PLAN_PARTS.items() if r != rule_id]
    a = assess(case(plan("PLN-1", BEFORE, *parts)))
    f = the(a, rule_id, SUBJECT)
    assert (f.status, f.due, f.met_by) == ("overdue", START, None)
    assert f in a.violations
    others = [the(a, r, SUBJECT).status for r in PLAN_PARTS if r != rule_id]
    assert others == ["met"] * 4


@pytest.mark.parametrize("rule_id", PLAN_PARTS)
def test_a_plan_agreed_after_the_start_is_late(rule_id: str) -> None:
    # Agreed on Mon 17 Nov, two weeks after the start: not "at the outset".
    a = assess(case(plan("PLN-1", date(2025, 11, 17), *PLAN_PARTS.values())))
    f = the(a, rule_id, SUBJECT)
    assert (f.status, f.due, f.met_by) == ("late", START, "PLN-1")


def test_a_plan_for_another_placement_does_not_meet_g3() -> None:
    c = case(
        plan("PLN-1", BEFORE, *PLAN_PARTS.values(), placement_id="PL-2"),
        placements=[placement(), placement("PL-2", start=date(2026, 1, 6), provider_id="PRV-2")],
    )
    f = the(assess(c), OBJECTIVES, SUBJECT)
    assert (f.status, f.due) == ("overdue", START)


# --- G.3.ii: the plan linked to the EHC plan --------------------------------------------------


def test_a_plan_linked_to_the_ehc_plan_meets_g3ii() -> None:
    a = assess(case(plan("PLN-1", BEFORE, "objectives", "ehc_plan_link"), ehc_plan=True))
    f = the(a, EHC_LINK, SUBJECT)
    assert (f.status, f.due, f.met_by) == ("met", START, "PLN-1")


def test_a_plan_not_linked_to_the_ehc_plan_is_overdue() -> None:
    a = assess(case(plan("PLN-1", BEFORE, *PLAN_PARTS.values()), ehc_plan=True))
    f = the(a, EHC_LINK, SUBJECT)
    assert (f.status, f.due, f.met_by) == ("overdue", START, None)
    assert f in a.violations


def test_no_ehc_plan_link_is_asked_for_a_pupil_without_an_ehc_plan() -> None:
    assert EHC_LINK not in rule_ids(assess(case(send=True)))


# --- G.4: information sharing arrangements agreed ---------------------------------------------


def test_information_sharing_agreed_with_the_provider_meets_g4() -> None:
    c = case(provider_check("CHK-1", BEFORE, "information_sharing_agreed", in_writing=False))
    f = the(assess(c), SHARING_AGREED, SUBJECT)
    assert (f.status, f.due, f.met_by) == ("met", START, "CHK-1")


def test_information_sharing_agreed_only_with_another_provider_is_overdue() -> None:
    c = case(provider_check("CHK-1", BEFORE, "information_sharing_agreed", provider_id="PRV-2"))
    a = assess(c)
    f = the(a, SHARING_AGREED, SUBJECT)
    assert (f.status, f.due) == ("overdue", START)
    assert f in a.violations


# --- G.4: SEND and SEMH information shared ----------------------------------------------------


@pytest.mark.parametrize("pupil", [{"send": True}, {"ehc_plan": True}], ids=["send", "ehc-plan"])
def test_send_details_not_shared_are_overdue(pupil: dict[str, bool]) -> None:
    a = assess(case(shared("INF-1", BEFORE, "semh_details"), **pupil))
    f = the(a, SEND_SHARED, SUBJECT)
    assert (f.duty_holder, f.status, f.due) == ("senco", "overdue", START)
    assert f in a.violations


def test_send_details_shared_before_the_start_meet_g4() -> None:
    f = the(assess(case(shared("INF-1", BEFORE, "send_details"), send=True)), SEND_SHARED)
    assert (f.status, f.due, f.met_by) == ("met", START, "INF-1")


def test_no_send_details_are_asked_for_a_pupil_without_send() -> None:
    assert SEND_SHARED not in rule_ids(assess(case(semh_needs=True)))


def test_semh_details_not_shared_are_overdue() -> None:
    a = assess(case(shared("INF-1", BEFORE, "send_details"), semh_needs=True))
    f = the(a, SEMH_SHARED, SUBJECT)
    assert (f.duty_holder, f.status, f.due) == ("school", "overdue", START)
    assert f in a.violations


def test_semh_details_shared_before_the_start_meet_g4() -> None:
    f = the(assess(case(shared("INF-1", BEFORE, "semh_details"), semh_needs=True)), SEMH_SHARED)
    assert (f.status, f.due, f.met_by) == ("met", START, "INF-1")


def test_semh_details_shared_on_the_first_day_with_no_time_are_late_for_g4() -> None:
    f = the(assess(case(shared("INF-1", START, "semh_details"), semh_needs=True)), SEMH_SHARED)
    assert (f.status, f.due, f.met_by) == ("late", START, "INF-1")


def test_no_semh_details_are_asked_for_a_pupil_without_semh_needs() -> None:
    assert SEMH_SHARED not in rule_ids(assess(case(send=True, ehc_plan=True)))


# --- G.4.i: visits each month or every ten sessions (a recommendation) ------------------------

PART_TIME = [placement(full_time=False)]
"""A part-time placement recording neither a timetable nor sessions a week: only the month
dates its visits (a full-time one has every session, ten a week)."""


def test_full_time_the_ten_sessions_come_first_and_missed_visits_are_never_violations() -> None:
    # Ten sessions a week is two a school day: ten sessions are five school days, the first
    # day's counted. From Mon 3 Nov: Mon 3 (1), Tue 4, Wed 5, Thu 6, Fri 7 Nov (5); a month
    # would be Wed 3 Dec. With no visit each next one counts from the day after the missed due.
    a = assess(case(placements=[placement(sessions_per_week=10)]))
    assert windows(a, VISITS) == [
        ("a month or 10 sessions from Mon 3 Nov 2025", date(2025, 11, 7), "missed", None),
        ("a month or 10 sessions from Fri 7 Nov 2025", date(2025, 11, 14), "missed", None),
        ("a month or 10 sessions from Fri 14 Nov 2025", date(2025, 11, 21), "missed", None),
        ("a month or 10 sessions from Fri 21 Nov 2025", date(2025, 11, 28), "missed", None),
        ("a month or 10 sessions from Fri 28 Nov 2025", date(2025, 12, 5), "pending", None),
    ]
    for f in findings(a, VISITS):
        assert f.kind == "recommendation"
        assert_advisory(a, f)


def test_full_time_weekly_visits_follow_g4i() -> None:
    # Visits on Fri 7, Fri 14, Fri 21 and Fri 28 Nov: each next is due five school days on.
    c = case(
        *(visit(f"VIS-{n}", date(2025, 11, d)) for n, d in enumerate((7, 14, 21, 28), 1)),
        placements=[placement(sessions_per_week=10)],
    )
    a = assess(c)
    assert windows(a, VISITS) == [
        ("a month or 10 sessions from Mon 3 Nov 2025", date(2025, 11, 7), "met", "VIS-1"),
        ("a month or 10 sessions from Fri 7 Nov 2025", date(2025, 11, 14), "met", "VIS-2"),
        ("a month or 10 sessions from Fri 14 Nov 2025", date(2025, 11, 21), "met", "VIS-3"),
        ("a month or 10 sessions from Fri 21 Nov 2025", date(2025, 11, 28), "met", "VIS-4"),
        ("a month or 10 sessions from Fri 28 Nov 2025", date(2025, 12, 5), "pending", None),
    ]


def test_full_time_the_ten_sessions_skip_the_half_term_holiday() -> None:
    # From Tue 14 Oct: Tue 14 (1) - Fri 17 (4); half-term Mon 20 - Fri 24; Mon 27 INSET;
    # Tue 28 Oct is the fifth school day.
    c = case(placements=[placement(start=date(2025, 10, 14), sessions_per_week=10)])
    a = assess(c, date(2025, 10, 21))
    assert windows(a, VISITS) == [
        ("a month or 10 sessions from Tue 14 Oct 2025", date(2025, 10, 28), "pending", None)
    ]


def test_two_sessions_a_week_the_month_comes_first() -> None:
    # Ten sessions at two a week are 25 school days (Fri 5 Dec); a month from Mon 3 Nov is
    # Wed 3 Dec, which comes first.
    a = assess(case(placements=[placement(sessions_per_week=2)]))
    assert windows(a, VISITS) == [
        ("a month or 10 sessions from Mon 3 Nov 2025", date(2025, 12, 3), "pending", None)
    ]


def test_without_a_timetable_the_month_alone_applies_under_month_only() -> None:
    # A visit on Wed 26 Nov; the next is due a month on, Fri 26 Dec, in the Christmas holiday:
    # on the last school day before it, Fri 19 Dec.
    c = case(visit("VIS-1", date(2025, 11, 26)), placements=PART_TIME)
    a = assess(c, date(2025, 12, 10), visits_without_timetable="month_only")
    assert windows(a, VISITS) == [
        ("a month from Mon 3 Nov 2025", date(2025, 12, 3), "met", "VIS-1"),
        ("a month from Wed 26 Nov 2025", date(2025, 12, 19), "pending", None),
    ]
    f = findings(a, VISITS)[0]
    assert f.explanation.readings["visits_without_timetable"] == "month_only"
    assert any("dated by the month alone" in s for s in f.explanation.steps)


def test_without_a_timetable_a_visit_not_missed_by_the_month_asks_for_the_timetable() -> None:
    # By default: the month dates each visit; ten sessions may have come sooner, so a visit in
    # the month (met by it) or one still to come asks for placement.timetable. A month missed
    # is missed all the same.
    a = assess(case(visit("VIS-1", date(2025, 11, 26)), placements=PART_TIME), date(2025, 12, 10))
    assert windows(a, VISITS) == [
        ("a month from Mon 3 Nov 2025", date(2025, 12, 3), "information_needed", None),
        ("a month from Wed 26 Nov 2025", date(2025, 12, 19), "information_needed", None),
    ]
    for f in findings(a, VISITS):
        assert f.missing == ("placement PL-1: timetable is not recorded",)
    a = assess(case(placements=PART_TIME), date(2025, 12, 10))
    assert [w[2] for w in windows(a, VISITS)] == ["missed", "information_needed"]


def test_a_missed_month_is_missed_and_the_next_counts_from_its_due_date() -> None:
    # No visit by Wed 3 Dec; the next is due a month on, Sat 3 Jan, so by Fri 19 Dec; then
    # Mon 19 Jan 2026.
    a = assess(case(placements=PART_TIME), date(2026, 1, 6), visits_without_timetable="month_only")
    assert windows(a, VISITS) == [
        ("a month from Mon 3 Nov 2025", date(2025, 12, 3), "missed", None),
        ("a month from Wed 3 Dec 2025", date(2025, 12, 19), "missed", None),
        ("a month from Fri 19 Dec 2025", date(2026, 1, 19), "pending", None),
    ]
    for f in findings(a, VISITS):
        assert_advisory(a, f)


def test_two_windows_due_on_one_day_are_listed_in_the_order_they_open() -> None:
    # Start Wed 19 Nov (one session a week: the month comes first), a visit the next day.
    # A month from 19 Nov is Fri 19 Dec; a month from the visit, Sat 20 Dec, in the Christmas
    # holiday: rolled back to Fri 19 Dec too. The window from 19 Nov comes first, though
    # "Thu" sorts before "Wed".
    pl = placement(start=date(2025, 11, 19), full_time=False, sessions_per_week=1)
    a = assess(case(visit("VIS-1", date(2025, 11, 20)), placements=[pl]), date(2026, 1, 1))
    assert windows(a, VISITS) == [
        ("a month or 10 sessions from Wed 19 Nov 2025", date(2025, 12, 19), "met", "VIS-1"),
        ("a month or 10 sessions from Thu 20 Nov 2025", date(2025, 12, 19), "missed", None),
        ("a month or 10 sessions from Fri 19 Dec 2025", date(2026, 1, 19), "pending", None),
    ]


def test_a_visit_before_the_start_does_not_count_as_the_first_monthly_visit() -> None:
    # The visit to assess the fit (G.1) is not one of the placement's regular visits.
    a = assess(case(visit("VIS-1", BEFORE), placements=PART_TIME), date(2025, 12, 4))
    assert windows(a, VISITS)[0] == (
        "a month from Mon 3 Nov 2025",
        date(2025, 12, 3),
        "missed",
        None,
    )
    assert the(a, VISIT_FIT, SUBJECT).status == "met"


def test_calendar_months_one_visit_in_the_month_after_the_start() -> None:
    # month_means=calendar: a visit in December, the calendar month after the start's; its
    # last school day is Fri 19 Dec.
    a = assess(
        case(placements=PART_TIME),
        date(2025, 12, 1),
        month_means="calendar",
        visits_without_timetable="month_only",
    )
    f = the(a, VISITS, SUBJECT)
    assert (f.period, f.status, f.due) == (
        "a month from Mon 3 Nov 2025",
        "pending",
        date(2025, 12, 19),
    )
    assert f.explanation.readings == {
        "month_means": "calendar",
        "visits_without_timetable": "month_only",
    }


def test_calendar_months_a_december_visit_then_one_in_january() -> None:
    # Visited Wed 10 Dec; the next is due in January, by its last school day, Fri 30 Jan.
    a = assess(
        case(visit("VIS-1", date(2025, 12, 10)), placements=PART_TIME),
        date(2026, 1, 6),
        month_means="calendar",
        visits_without_timetable="month_only",
    )
    assert windows(a, VISITS) == [
        ("a month from Mon 3 Nov 2025", date(2025, 12, 19), "met", "VIS-1"),
        ("a month from Wed 10 Dec 2025", date(2026, 1, 30), "pending", None),
    ]


def test_calendar_months_full_time_the_ten_sessions_still_come_first() -> None:
    a = assess(case(placements=[placement(sessions_per_week=10)]), START, month_means="calendar")
    f = the(a, VISITS, SUBJECT)
    assert (f.status, f.due) == ("pending", date(2025, 11, 7))


def test_no_visit_is_due_after_the_placement_ends() -> None:
    # PL-1 ends Fri 14 Nov; the first visit would be due Wed 3 Dec.
    a = assess(case(placements=[placement(full_time=False, end_date=date(2025, 11, 14))]))
    assert windows(a, VISITS) == []


# --- G.4.ii: the provider contributes to the review of the EHC plan ---------------------------

HELD = date(2025, 11, 20)  # Thu 20 Nov 2025


def test_a_review_of_the_ehc_plan_the_provider_did_not_contribute_to_breaches_g4ii() -> None:
    a = assess(case(ehc_review("EHC-1", HELD), ehc_plan=True))
    f = the(a, EHC_REVIEW, "ehc_plan_review EHC-1@PL-1")
    assert (f.kind, f.status, f.due) == ("requirement", "breached", HELD)
    assert f in a.violations


def test_the_provider_attending_or_reporting_to_the_review_meets_g4ii() -> None:
    assert EHC_REVIEW not in rule_ids(
        assess(case(ehc_review("EHC-1", HELD, "PRV-1"), ehc_plan=True))
    )


def test_another_provider_contributing_does_not_meet_g4ii() -> None:
    f = the(assess(case(ehc_review("EHC-1", HELD, "PRV-2"), ehc_plan=True)), EHC_REVIEW)
    assert (f.subject, f.status, f.due) == ("ehc_plan_review EHC-1@PL-1", "breached", HELD)


def test_a_review_still_to_come_without_the_provider_is_at_risk() -> None:
    f = the(assess(case(ehc_review("EHC-1", HELD), ehc_plan=True), date(2025, 11, 10)), EHC_REVIEW)
    assert (f.status, f.due) == ("at_risk", HELD)


@pytest.mark.parametrize(
    "held_on",
    [
        pytest.param(date(2025, 10, 16), id="before-the-start"),
        pytest.param(date(2026, 2, 3), id="after-the-end"),
    ],
)
def test_a_review_outside_the_placement_s_dates_does_not_concern_it(held_on: date) -> None:
    # PL-1 runs Mon 3 Nov 2025 - Fri 30 Jan 2026.
    c = case(
        ehc_review("EHC-1", held_on),
        placements=[placement(end_date=date(2026, 1, 30))],
        ehc_plan=True,
    )
    assert EHC_REVIEW not in rule_ids(assess(c, date(2026, 2, 9)))


def test_a_review_on_the_placement_s_last_day_concerns_it() -> None:
    c = case(
        ehc_review("EHC-1", date(2026, 1, 30)),
        placements=[placement(end_date=date(2026, 1, 30))],
        ehc_plan=True,
    )
    f = the(assess(c, date(2026, 2, 9)), EHC_REVIEW, "ehc_plan_review EHC-1@PL-1")
    assert (f.status, f.due) == ("breached", date(2026, 1, 30))


def test_each_placement_running_on_the_day_of_the_review_is_judged_on_its_own() -> None:
    # PL-1 (PRV-1) and PL-2 (PRV-2, from Mon 10 Nov) both run on Thu 20 Nov; only PRV-1 sent
    # a report.
    c = case(
        ehc_review("EHC-1", HELD, "PRV-1"),
        placements=[placement(), placement("PL-2", start=date(2025, 11, 10), provider_id="PRV-2")],
        ehc_plan=True,
    )
    a = assess(c)
    assert [f.subject for f in findings(a, EHC_REVIEW)] == ["ehc_plan_review EHC-1@PL-2"]
    f = the(a, EHC_REVIEW, "ehc_plan_review EHC-1@PL-2")
    assert (f.status, f.due) == ("breached", HELD)


def test_no_contribution_is_required_for_a_pupil_without_an_ehc_plan() -> None:
    assert EHC_REVIEW not in rule_ids(assess(case(ehc_review("EHC-1", HELD), send=True)))


# --- G.5.i: each provider knows the others ----------------------------------------------------


def two_placements(second_start: date = date(2025, 11, 17), **second: Any) -> list[Any]:
    return [placement(), placement("PL-2", start=second_start, provider_id="PRV-2", **second)]


def test_overlapping_placements_each_give_a_g5i_finding_due_when_the_overlap_starts() -> None:
    # PL-2 joins PL-1 on Mon 17 Nov. PL-1's provider is told that day; PL-2's is not.
    c = case(shared("INF-1", date(2025, 11, 17), "other_providers"), placements=two_placements())
    a = assess(c)
    first = the(a, OTHER_PROVIDERS, SUBJECT)
    second = the(a, OTHER_PROVIDERS, "placement PL-2")
    assert (first.status, first.due, first.met_by) == ("met", date(2025, 11, 17), "INF-1")
    assert (second.status, second.due, second.met_by) == ("overdue", date(2025, 11, 17), None)
    assert second in a.violations and first not in a.violations


def test_the_overlap_starts_with_the_later_placement_whichever_is_listed_first() -> None:
    # PL-2 has run since Mon 13 Oct; PL-1 joins it on Mon 3 Nov.
    a = assess(case(placements=two_placements(date(2025, 10, 13))))
    for subject in (SUBJECT, "placement PL-2"):
        f = the(a, OTHER_PROVIDERS, subject)
        assert (f.status, f.due) == ("overdue", START)


def test_placements_one_after_the_other_do_not_need_g5i() -> None:
    # PL-1 ends Fri 14 Nov; PL-2 starts Mon 17 Nov.
    c = case(placements=[placement(end_date=date(2025, 11, 14)), two_placements()[1]])
    assert OTHER_PROVIDERS not in rule_ids(assess(c))


def test_one_placement_alone_does_not_need_g5i() -> None:
    assert OTHER_PROVIDERS not in rule_ids(assess(case()))


def test_a_placement_ending_the_day_the_next_starts_overlaps_for_that_day() -> None:
    c = case(placements=[placement(end_date=date(2025, 11, 17)), two_placements()[1]])
    f = the(assess(c), OTHER_PROVIDERS, SUBJECT)
    assert (f.status, f.due) == ("overdue", date(2025, 11, 17))


def test_other_providers_not_told_before_the_overlap_is_pending() -> None:
    a = assess(case(placements=two_placements()), date(2025, 11, 12))
    for subject in (SUBJECT, "placement PL-2"):
        f = the(a, OTHER_PROVIDERS, subject)
        assert (f.status, f.due) == ("pending", date(2025, 11, 17))


# --- G.5.iii: the safeguarding chronology shared at the start ---------------------------------


def test_the_chronology_shared_before_the_start_meets_g5iii() -> None:
    f = the(assess(case(shared("INF-1", BEFORE, "safeguarding_chronology"))), CHRONOLOGY)
    assert (f.subject, f.status, f.due, f.met_by) == (SUBJECT, "met", START, "INF-1")


def test_the_chronology_not_shared_is_overdue() -> None:
    a = assess(case(shared("INF-1", BEFORE, "send_details", "additional_risk_of_harm")))
    f = the(a, CHRONOLOGY, SUBJECT)
    assert (f.status, f.due, f.met_by) == ("overdue", START, None)
    assert f in a.violations


def test_the_chronology_shared_after_the_start_is_late() -> None:
    a = assess(case(shared("INF-1", date(2025, 11, 5), "safeguarding_chronology")))
    f = the(a, CHRONOLOGY, SUBJECT)
    assert (f.status, f.due, f.met_by) == ("late", START, "INF-1")
    assert f in a.violations
