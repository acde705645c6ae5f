"""Policy section L (pupils with additional needs), rule by rule, as legal scenarios.

Every deadline below is worked out by hand on the example calendar, "Example Borough Council
2025-26" (SchoolCalendar.example()). L.1 sets no deadline; the library expects the
consideration within `follow_up_within_school_days` school days (default 10), counting the day
of the concern (or the first day of the suspension) as day 1. The dates these tests lean on:

    Oct 2025  Wed 15, Thu 16, Fri 17 school days; Mon 20 - Fri 24 half-term; Mon 27 INSET;
              Tue 28, Wed 29, Thu 30, Fri 31 school days.
    Nov 2025  Mon 3 - Fri 7, Mon 10 - Fri 14, Mon 17 - Fri 21 school days, no closures.

A concern recorded on Thu 16 Oct 2025: day 1 Thu 16, day 2 Fri 17 Oct; the half-term and the
INSET day (Mon 20 - Mon 27 Oct) are skipped; day 3 Tue 28, day 4 Wed 29, day 5 Thu 30, day 6
Fri 31 Oct, day 7 Mon 3, day 8 Tue 4, day 9 Wed 5, day 10 Thu 6 Nov 2025.

A suspension from Mon 3 Nov 2025: days 1-5 Mon 3 - Fri 7 Nov, days 6-10 Mon 10 - Fri 14 Nov;
the tenth school day is Fri 14 Nov 2025.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from apcompliance import Assessment, Case, PolicySettings
from tests import scenarios
from tests.scenarios import rule_ids, suspension, the

CONCERN_DAY = date(2025, 10, 16)  # Thu 16 Oct 2025
CONCERN_DUE = date(2025, 11, 6)  # Thu 6 Nov 2025: the tenth school day counting Thu 16 Oct
SUSPENDED = date(2025, 11, 3)  # Mon 3 Nov 2025
SUSPENSION_DUE = date(2025, 11, 14)  # Fri 14 Nov 2025: the tenth school day counting Mon 3 Nov
START = date(2025, 11, 17)  # Mon 17 Nov 2025: a placement's first day
LATER = date(2025, 12, 1)  # Mon 1 Dec 2025: the assessment date

ADDITIONAL_NEEDS = [
    pytest.param({"send": True}, id="send"),
    pytest.param({"semh_needs": True}, id="semh-needs"),
    pytest.param({"ehc_plan": True}, id="ehc-plan"),
    pytest.param({"looked_after": True}, id="looked-after"),
]
NO_ADDITIONAL_NEEDS = {  # none of the four L.1 names, though much else is known
    "disabled": True,
    "social_worker": True,
    "pastoral_support_programme": True,
    "fsm_eligible": True,
}
PLACEMENT_KINDS = [
    "suspension_provision",
    "permanent_exclusion_provision",
    "off_site_direction",
    "in_school_unit",
    "medical",
    "other",
]
L1_RULES = {"L.1-consider-support-after-concern", "L.1-consider-support-after-suspension"}


# --- building cases ---------------------------------------------------------------------------


def case(*events: dict[str, Any], placements: Any = (), **pupil: Any) -> Case:
    return scenarios.case(*events, placements=placements, case_id="CASE-L", **pupil)


def concern(id: str = "BC-1", on: date = CONCERN_DAY, about: str = "behaviour") -> dict[str, Any]:
    return {"kind": "behaviour_concern", "id": id, "recorded_on": on, "concern": about}


def consideration(
    id: str, on: date, by: tuple[str, ...] = ("headteacher", "dsl", "senco")
) -> dict[str, Any]:
    return {"kind": "needs_consideration", "id": id, "considered_on": on, "by": list(by)}


def needs_assessment(id: str, on: date) -> dict[str, Any]:
    return {"kind": "needs_assessment", "id": id, "assessed_on": on}


def placement(kind: str, *, id: str = "PL-1", start: date = START) -> dict[str, Any]:
    out: dict[str, Any] = {"id": id, "kind": kind, "start_date": start, "full_time": True}
    if kind == "off_site_direction":
        out["arranged_on"] = date(2025, 11, 3)  # required: the day the direction was decided
    return out


def assess(c: Case, as_of: date = LATER, settings: PolicySettings | None = None) -> Assessment:
    return scenarios.assess(c, as_of, "L", settings=settings)


# --- L.1: after a concern about behaviour or risk of exclusion --------------------------------


@pytest.mark.parametrize("pupil", ADDITIONAL_NEEDS)
def test_no_consideration_after_a_concern_is_overdue(pupil: dict[str, Any]) -> None:
    a = assess(case(concern(), **pupil))
    f = the(a, "L.1-consider-support-after-concern")
    assert f.subject == "behaviour_concern BC-1"
    assert (f.kind, f.duty_holder) == ("obligation", "headteacher")
    assert (f.status, f.due, f.met_by) == ("overdue", CONCERN_DUE, None)
    assert f in a.violations


def test_a_concern_about_the_risk_of_exclusion_also_brings_in_l1() -> None:
    a = assess(case(concern(about="risk_of_exclusion"), send=True, looked_after=True))
    f = the(a, "L.1-consider-support-after-concern")
    assert (f.status, f.due) == ("overdue", CONCERN_DUE)


def test_l1_does_not_apply_to_a_pupil_without_additional_needs() -> None:
    c = case(concern(), suspension("SUS-1", SUSPENDED, 2), **NO_ADDITIONAL_NEEDS)
    assert not L1_RULES & rule_ids(assess(c))


def test_a_consideration_by_all_three_within_ten_school_days_meets_l1() -> None:
    # Tue 28 Oct: the third school day counting Thu 16 Oct.
    a = assess(case(concern(), consideration("NC-1", date(2025, 10, 28)), semh_needs=True))
    f = the(a, "L.1-consider-support-after-concern")
    assert (f.status, f.due, f.met_by, f.met_on) == (
        "met",
        CONCERN_DUE,
        "NC-1",
        date(2025, 10, 28),
    )
    assert f not in a.violations


def test_a_consideration_on_the_day_of_the_concern_meets_l1() -> None:
    a = assess(case(concern(), consideration("NC-1", CONCERN_DAY), ehc_plan=True))
    f = the(a, "L.1-consider-support-after-concern")
    assert (f.status, f.met_by) == ("met", "NC-1")


def test_a_consideration_on_the_tenth_school_day_meets_l1() -> None:
    a = assess(case(concern(), consideration("NC-1", CONCERN_DUE), looked_after=True))
    f = the(a, "L.1-consider-support-after-concern")
    assert (f.status, f.due, f.met_by) == ("met", CONCERN_DUE, "NC-1")


def test_a_consideration_on_the_eleventh_school_day_is_late() -> None:
    # Fri 7 Nov 2025 is the eleventh school day counting Thu 16 Oct.
    a = assess(case(concern(), consideration("NC-1", date(2025, 11, 7)), send=True))
    f = the(a, "L.1-consider-support-after-concern")
    assert (f.status, f.due, f.met_by) == ("late", CONCERN_DUE, "NC-1")
    assert f in a.violations


@pytest.mark.parametrize(
    "by",
    [
        pytest.param(("headteacher", "dsl"), id="without-the-senco"),
        pytest.param(("headteacher", "senco"), id="without-the-dsl"),
        pytest.param(("dsl", "senco"), id="without-the-headteacher"),
    ],
)
def test_a_consideration_missing_one_of_the_three_does_not_meet_l1(by: tuple[str, ...]) -> None:
    a = assess(case(concern(), consideration("NC-1", date(2025, 10, 28), by), send=True))
    f = the(a, "L.1-consider-support-after-concern")
    assert (f.status, f.due, f.met_by) == ("overdue", CONCERN_DUE, None)
    assert f in a.violations


def test_a_consideration_before_the_concern_does_not_meet_l1() -> None:
    # Wed 15 Oct, the day before the concern was recorded: it cannot be a response to it.
    a = assess(case(concern(), consideration("NC-0", date(2025, 10, 15)), semh_needs=True))
    f = the(a, "L.1-consider-support-after-concern")
    assert (f.status, f.due, f.met_by) == ("overdue", CONCERN_DUE, None)


def test_l1_is_pending_before_the_tenth_school_day_and_due_on_it() -> None:
    c = case(concern(), send=True)
    pending = the(assess(c, date(2025, 11, 3)), "L.1-consider-support-after-concern")
    assert (pending.status, pending.due) == ("pending", CONCERN_DUE)
    today = the(assess(c, CONCERN_DUE), "L.1-consider-support-after-concern")
    assert (today.status, today.due) == ("due_today", CONCERN_DUE)


def test_a_shorter_follow_up_setting_brings_the_deadline_forward() -> None:
    # Five school days counting Thu 16 Oct: Thu 16, Fri 17, Tue 28, Wed 29, Thu 30 Oct.
    settings = PolicySettings(follow_up_within_school_days=5)
    a = assess(case(concern(), send=True), settings=settings)
    f = the(a, "L.1-consider-support-after-concern")
    assert (f.status, f.due) == ("overdue", date(2025, 10, 30))
    assert f.explanation.readings == {"follow_up_within_school_days": 5}


def test_each_concern_is_its_own_finding_and_one_consideration_can_answer_both() -> None:
    # BC-1 Thu 16 Oct (due Thu 6 Nov); BC-2 Mon 3 Nov (due Fri 14 Nov). NC-1 on Wed 5 Nov is on
    # or after both and within both deadlines.
    c = case(
        concern("BC-1"),
        concern("BC-2", SUSPENDED, "risk_of_exclusion"),
        consideration("NC-1", date(2025, 11, 5)),
        ehc_plan=True,
    )
    a = assess(c)
    one = the(a, "L.1-consider-support-after-concern", "behaviour_concern BC-1")
    two = the(a, "L.1-consider-support-after-concern", "behaviour_concern BC-2")
    assert (one.status, one.due, one.met_by) == ("met", CONCERN_DUE, "NC-1")
    assert (two.status, two.due, two.met_by) == ("met", date(2025, 11, 14), "NC-1")


# --- L.1: after a suspension ------------------------------------------------------------------


@pytest.mark.parametrize("pupil", ADDITIONAL_NEEDS)
def test_no_consideration_after_a_suspension_is_overdue(pupil: dict[str, Any]) -> None:
    a = assess(case(suspension("SUS-1", SUSPENDED, 2), **pupil))
    f = the(a, "L.1-consider-support-after-suspension")
    assert f.subject == "exclusion SUS-1"
    assert (f.status, f.due, f.met_by) == ("overdue", SUSPENSION_DUE, None)
    assert f in a.violations


def test_a_consideration_during_the_suspension_meets_l1() -> None:
    c = case(suspension("SUS-1", SUSPENDED, 2), consideration("NC-1", date(2025, 11, 5)), send=True)
    f = the(assess(c), "L.1-consider-support-after-suspension")
    assert (f.status, f.due, f.met_by) == ("met", SUSPENSION_DUE, "NC-1")


def test_a_consideration_after_the_tenth_school_day_of_the_suspension_is_late() -> None:
    # Mon 17 Nov is the eleventh school day counting Mon 3 Nov.
    c = case(suspension("SUS-1", SUSPENDED, 2), consideration("NC-1", START), semh_needs=True)
    f = the(assess(c), "L.1-consider-support-after-suspension")
    assert (f.status, f.due, f.met_by) == ("late", SUSPENSION_DUE, "NC-1")


def test_a_consideration_before_the_suspension_does_not_meet_l1() -> None:
    # Considered on Fri 31 Oct, before the suspension from Mon 3 Nov.
    c = case(
        suspension("SUS-1", SUSPENDED, 2),
        consideration("NC-0", date(2025, 10, 31)),
        looked_after=True,
    )
    f = the(assess(c), "L.1-consider-support-after-suspension")
    assert (f.status, f.due, f.met_by) == ("overdue", SUSPENSION_DUE, None)


def test_a_consideration_missing_the_senco_does_not_meet_l1_after_a_suspension() -> None:
    c = case(
        suspension("SUS-1", SUSPENDED, 2),
        consideration("NC-1", date(2025, 11, 5), ("headteacher", "dsl")),
        send=True,
    )
    f = the(assess(c), "L.1-consider-support-after-suspension")
    assert (f.status, f.met_by) == ("overdue", None)


def test_back_to_back_suspensions_are_one_period_for_l1() -> None:
    # I.4: SUS-A Mon 3 - Wed 5 Nov, SUS-B Thu 6, Fri 7, Mon 10 Nov; one period from Mon 3 Nov,
    # named after its first suspension, with one deadline: Fri 14 Nov.
    c = case(
        suspension("SUS-A", SUSPENDED, 3),
        suspension("SUS-B", date(2025, 11, 6), 3),
        semh_needs=True,
    )
    a = assess(c)
    f = the(a, "L.1-consider-support-after-suspension")
    assert (f.subject, f.status, f.due) == ("exclusion SUS-A", "overdue", SUSPENSION_DUE)


def test_l1_does_not_apply_after_a_permanent_exclusion() -> None:
    # The pupil leaves the school's roll: L.1's consideration is not asked of it.
    c = case({"kind": "permanent_exclusion", "id": "PEX-1", "first_day": SUSPENDED}, ehc_plan=True)
    assert "L.1-consider-support-after-suspension" not in rule_ids(assess(c))


# --- L.2: needs assessed before every placement -----------------------------------------------


@pytest.mark.parametrize("kind", PLACEMENT_KINDS)
def test_a_placement_without_an_assessment_of_needs_is_overdue(kind: str) -> None:
    a = assess(case(placements=[placement(kind)]))
    f = the(a, "L.2-needs-assessed-before-placement")
    assert f.subject == "placement PL-1"
    assert (f.kind, f.duty_holder) == ("obligation", "school")
    assert (f.status, f.due, f.met_by) == ("overdue", START, None)
    assert f in a.violations


@pytest.mark.parametrize("kind", PLACEMENT_KINDS)
@pytest.mark.parametrize(
    ("assessed_on", "status"),
    [
        pytest.param(date(2025, 11, 10), "met", id="a-week-before"),
        pytest.param(START, "late", id="on-the-first-day"),  # before the pupil attends
        pytest.param(date(2025, 11, 18), "late", id="the-day-after"),
    ],
)
def test_l2_is_met_by_an_assessment_before_the_start_and_late_on_or_after_it(
    kind: str, assessed_on: date, status: str
) -> None:
    a = assess(case(needs_assessment("NA-1", assessed_on), placements=[placement(kind)]))
    f = the(a, "L.2-needs-assessed-before-placement")
    assert (f.status, f.due, f.met_by, f.met_on) == (status, START, "NA-1", assessed_on)
    assert (f in a.violations) == (status == "late")


def test_l2_applies_to_a_pupil_with_no_additional_needs() -> None:
    # "Always": L.2 is not limited to the pupils L.1 names.
    a = assess(case(placements=[placement("medical")], **NO_ADDITIONAL_NEEDS))
    assert the(a, "L.2-needs-assessed-before-placement").status == "overdue"


def test_l2_is_pending_before_the_placement_starts() -> None:
    f = the(
        assess(case(placements=[placement("other")]), date(2025, 11, 10)),
        "L.2-needs-assessed-before-placement",
    )
    assert (f.status, f.due) == ("pending", START)


def test_no_placement_no_l2() -> None:
    assert "L.2-needs-assessed-before-placement" not in rule_ids(assess(case(concern(), send=True)))


def test_each_placement_needs_an_assessment_on_or_before_its_own_start() -> None:
    # PL-1 from Mon 17 Nov 2025; PL-2 from Tue 6 Jan 2026 (Mon 5 Jan is INSET). Needs assessed
    # on Mon 1 Dec: after PL-1 began, before PL-2.
    c = case(
        needs_assessment("NA-1", date(2025, 12, 1)),
        placements=[
            placement("off_site_direction"),
            placement("in_school_unit", id="PL-2", start=date(2026, 1, 6)),
        ],
    )
    a = assess(c, date(2026, 1, 12))
    first = the(a, "L.2-needs-assessed-before-placement", "placement PL-1")
    second = the(a, "L.2-needs-assessed-before-placement", "placement PL-2")
    assert (first.status, first.due, first.met_by) == ("late", START, "NA-1")
    assert (second.status, second.due, second.met_by) == ("met", date(2026, 1, 6), "NA-1")
