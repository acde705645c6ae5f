"""Policy section I (arranging provision for suspended pupils), rule by rule, as legal scenarios.

Every deadline below is worked out by hand on the example calendar, "Example Borough Council
2025-26" (SchoolCalendar.example()). The dates these tests lean on:

    Sep 2025  Mon 1, Tue 2 INSET (not school days); school days from Wed 3.
    Oct 2025  Thu 16, Fri 17 school days; Mon 20 - Fri 24 half-term (holiday between
              half-terms); Mon 27 INSET; Tue 28, Wed 29, Thu 30, Fri 31 school days.
              British Summer Time ends Sun 26 Oct 2025 at 02:00 BST (01:00 UTC): the clocks
              go back to 01:00 GMT.
    Nov 2025  Sat 1, Sun 2; Mon 3 - Fri 7 and Mon 10 - Fri 14 school days, no closures.

Times without a timezone are the school's local time (Europe/London).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from apcompliance import (
    Assessment,
    CalendarError,
    Case,
    CaseError,
    PolicySettings,
)
from apcompliance.policy.document import load_policy, normalise_space
from tests import scenarios
from tests.scenarios import rule_ids, suspension, the

CAL = scenarios.CAL
RULE_FILE = Path(__file__).resolve().parents[1] / "rules" / "I-suspension-provision.yaml"
RULES: dict[str, dict[str, Any]] = {
    r["id"]: r for r in yaml.safe_load(RULE_FILE.read_text(encoding="utf-8"))["rules"]
}
NOTICE_RULES = {
    "I.1.i": "I.1.i-notice-start-date",
    "I.1.ii": "I.1.ii-notice-session-times",
    "I.1.iii": "I.1.iii-notice-address",
    "I.1.iv": "I.1.iv-notice-report-to",
}
NOTICE_DETAIL = {  # the notice field that carries each I.1 item
    "I.1.i": "provision_start_date",
    "I.1.ii": "session_times",
    "I.1.iii": "provision_address",
    "I.1.iv": "report_to",
}
SESSIONS = {
    "form": "two_sessions",
    "morning_starts": "09:00",
    "break_starts": "12:00",
    "break_ends": "12:45",
    "afternoon_ends": "15:15",
}
ADDRESS = "Riverside Learning Centre, 1 Mill Lane, Riverside RV1 2AB"


# --- building cases ---------------------------------------------------------------------------


def case(*events: dict[str, Any], placements: Any = (), **pupil: Any) -> Case:
    """One pupil's case, validated exactly as a school system's JSON would be."""
    return scenarios.case(*events, placements=placements, case_id="CASE-I", **pupil)


def permanent_exclusion(id: str, first_day: date) -> dict[str, Any]:
    return {"kind": "permanent_exclusion", "id": id, "first_day": first_day}


def placement(
    start: date,
    *,
    id: str = "PL-1",
    full_time: bool = True,
    kind: str = "suspension_provision",
    for_exclusion: str | None = None,
    sessions: dict[str, str] | None = SESSIONS,
    **extra: Any,
) -> dict[str, Any]:
    out: dict[str, Any] = {"id": id, "kind": kind, "start_date": start, "full_time": full_time}
    if sessions is not None:
        out["session_times"] = sessions
    if for_exclusion is not None:
        out["for_exclusion"] = for_exclusion
    return out | extra


def notice(
    id: str,
    about: str,
    sent_at: datetime,
    method: str = "email",
    *,
    omit: tuple[str, ...] = (),
    details: bool = True,
    start: date = date(2025, 11, 3),
) -> dict[str, Any]:
    """A notice to the parents; with `details`, it gives all four I.1 items except `omit`
    (the provision starting on `start`)."""
    out: dict[str, Any] = {
        "kind": "exclusion_notice",
        "id": id,
        "about": about,
        "sent_at": sent_at,
        "method": method,
    }
    if details:
        items = {
            "I.1.i": ("provision_start_date", start),
            "I.1.ii": ("session_times", SESSIONS),
            "I.1.iii": ("provision_address", ADDRESS),
            "I.1.iv": ("report_to", "Ms Patel, Head of Centre"),
        }
        for clause, (field, value) in items.items():
            if clause not in omit:
                out[field] = value
    return out


def consent(id: str, placement_id: str, given_on: date) -> dict[str, Any]:
    return {
        "kind": "short_notice_consent",
        "id": id,
        "placement_id": placement_id,
        "given_on": given_on,
    }


def work_set(
    id: str, about: str, set_on: date, marked_on: date | None = None, until: date | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": "work_set", "id": id, "about": about, "set_on": set_on}
    if marked_on is not None:
        out["marked_on"] = marked_on
    if until is not None:
        out["set_for_until"] = until
    return out


def pep_record(id: str, about: str, on: date, immediate: bool = True) -> dict[str, Any]:
    return {
        "kind": "pep_record",
        "id": id,
        "about": about,
        "recorded_on": on,
        "records_immediate_provision": immediate,
    }


def assess(c: Case, as_of: date, settings: PolicySettings | None = None) -> Assessment:
    return scenarios.assess(c, as_of, "I", settings=settings)


# The running example: a seven-school-day suspension from Mon 3 Nov 2025. Its school days are
# Mon 3, Tue 4, Wed 5, Thu 6, Fri 7 (days 1-5), then the weekend (not counted), Mon 10 (day 6)
# and Tue 11 (day 7). The sixth school day of exclusion is therefore Mon 10 Nov 2025.
NOV3 = date(2025, 11, 3)
SIXTH_DAY = date(2025, 11, 10)
LATER = date(2025, 11, 24)


def seven_days(*events: dict[str, Any], placements: Any = (), **pupil: Any) -> Case:
    return case(suspension("SUS-1", NOV3, 7), *events, placements=placements, **pupil)


# --- I.1 / I.4: full-time provision from the sixth school day ---------------------------------


def test_a_six_day_suspension_needs_full_time_provision_by_the_sixth_school_day() -> None:
    # Six school days from Mon 3 Nov: Mon 3 .. Fri 7 are days 1-5; Sat 8 and Sun 9 are not
    # counted; Mon 10 Nov is day 6. With nothing arranged by 24 Nov the duty is overdue.
    a = assess(case(suspension("SUS-1", NOV3, 6)), LATER)
    f = the(a, "I.1-sixth-day-provision")
    assert f.subject == "exclusion SUS-1"
    assert f.due == date(2025, 11, 10)
    assert f.status == "overdue"
    assert f.kind == "obligation"
    assert f.duty_holder == "school"
    assert f in a.violations


def test_a_five_day_suspension_needs_no_sixth_day_provision() -> None:
    # Five school days (Mon 3 - Fri 7 Nov) is not "more than five school days".
    a = assess(case(suspension("SUS-1", NOV3, 5)), LATER)
    assert "I.1-sixth-day-provision" not in rule_ids(a)
    assert "I.1-looked-after-first-day" not in rule_ids(a)


def test_provision_starting_on_the_sixth_school_day_meets_the_duty() -> None:
    a = assess(seven_days(placements=[placement(SIXTH_DAY)]), LATER)
    f = the(a, "I.1-sixth-day-provision")
    assert (f.due, f.status, f.met_by, f.met_on) == (SIXTH_DAY, "met", "PL-1", SIXTH_DAY)
    assert f not in a.violations


def test_provision_arranged_on_time_but_still_to_come_is_scheduled() -> None:
    # Evaluated on Fri 7 Nov, provision starting Mon 10 Nov (the deadline) is scheduled.
    a = assess(seven_days(placements=[placement(SIXTH_DAY)]), date(2025, 11, 7))
    assert the(a, "I.1-sixth-day-provision").status == "scheduled"


def test_provision_starting_after_the_sixth_school_day_is_late() -> None:
    # Provision from Tue 11 Nov, the seventh school day: one school day late.
    a = assess(seven_days(placements=[placement(date(2025, 11, 11))]), LATER)
    f = the(a, "I.1-sixth-day-provision")
    assert (f.due, f.status, f.met_by) == (SIXTH_DAY, "late", "PL-1")
    assert f in a.violations


def test_no_provision_and_the_sixth_day_passed_is_overdue() -> None:
    a = assess(seven_days(), date(2025, 11, 11))
    f = the(a, "I.1-sixth-day-provision")
    assert (f.due, f.status, f.met_by) == (SIXTH_DAY, "overdue", None)
    assert f in a.violations


def test_no_provision_before_the_sixth_day_is_pending() -> None:
    a = assess(seven_days(), date(2025, 11, 7))
    f = the(a, "I.1-sixth-day-provision")
    assert (f.due, f.status) == (SIXTH_DAY, "pending")
    assert f not in a.violations


def test_no_provision_on_the_sixth_day_itself_is_due_today() -> None:
    a = assess(seven_days(), SIXTH_DAY)
    f = the(a, "I.1-sixth-day-provision")
    assert (f.due, f.status) == (SIXTH_DAY, "due_today")
    assert f not in a.violations


def test_provision_arranged_only_for_after_the_sixth_day_is_at_risk_before_it() -> None:
    # Provision booked from Tue 11 Nov (day 7); on Thu 6 Nov the Mon 10 Nov deadline is still
    # to come, but what is arranged will miss it.
    a = assess(seven_days(placements=[placement(date(2025, 11, 11))]), date(2025, 11, 6))
    f = the(a, "I.1-sixth-day-provision")
    assert (f.due, f.status, f.met_by) == (SIXTH_DAY, "at_risk", "PL-1")
    assert f not in a.violations


def test_part_time_provision_does_not_meet_the_full_time_duty() -> None:
    a = assess(seven_days(placements=[placement(SIXTH_DAY, full_time=False)]), LATER)
    f = the(a, "I.1-sixth-day-provision")
    assert (f.status, f.met_by) == ("overdue", None)


def test_a_suspension_across_half_term_and_an_inset_day_counts_only_school_days() -> None:
    # Seven school days from Thu 16 Oct 2025: day 1 Thu 16 Oct, day 2 Fri 17 Oct; Mon 20 - Fri
    # 24 Oct (half-term) and Mon 27 Oct (INSET) are skipped; day 3 Tue 28, day 4 Wed 29, day 5
    # Thu 30, day 6 Fri 31 Oct 2025.
    a = assess(case(suspension("SUS-1", date(2025, 10, 16), 7)), LATER)
    f = the(a, "I.1-sixth-day-provision")
    assert f.due == date(2025, 10, 31)
    (step,) = [s for s in f.explanation.steps if s.startswith("due:")]
    assert "Mon 27 Oct 2025 (closure (INSET day))" in step
    assert "Mon 20 Oct 2025" in step
    assert "(holiday between half-terms)" in step


def test_a_five_day_suspension_across_half_term_needs_no_provision() -> None:
    # Thu 16, Fri 17, Tue 28, Wed 29, Thu 30 Oct: five school days over twelve calendar days.
    a = assess(case(suspension("SUS-1", date(2025, 10, 16), 5)), LATER)
    assert "I.1-sixth-day-provision" not in rule_ids(a)


def test_back_to_back_suspensions_of_three_and_three_days_are_one_period() -> None:
    # I.4: SUS-A covers Mon 3 - Wed 5 Nov, SUS-B covers Thu 6, Fri 7, Mon 10 Nov. No school day
    # lies between them, so they are one six-day period from Mon 3 Nov; its sixth school day is
    # Mon 10 Nov. The period is named after its first suspension.
    c = case(suspension("SUS-A", NOV3, 3), suspension("SUS-B", date(2025, 11, 6), 3))
    a = assess(c, LATER)
    f = the(a, "I.1-sixth-day-provision")
    assert (f.subject, f.due, f.status) == ("exclusion SUS-A", SIXTH_DAY, "overdue")
    assert f.explanation.facts["exclusion"]["school_days"] == 6


def test_suspensions_either_side_of_a_weekend_are_back_to_back() -> None:
    # SUS-A: Wed 5, Thu 6, Fri 7 Nov; SUS-B: Mon 10, Tue 11, Wed 12 Nov. Only a weekend lies
    # between, so the period runs from Wed 5 Nov: days 5, 6, 7, 10, 11 Nov, then day 6 Wed 12.
    c = case(suspension("SUS-A", date(2025, 11, 5), 3), suspension("SUS-B", SIXTH_DAY, 3))
    f = the(assess(c, LATER), "I.1-sixth-day-provision")
    assert (f.subject, f.due) == ("exclusion SUS-A", date(2025, 11, 12))


def test_provision_for_the_second_suspension_serves_the_whole_period() -> None:
    c = case(
        suspension("SUS-A", NOV3, 3),
        suspension("SUS-B", date(2025, 11, 6), 3),
        placements=[placement(SIXTH_DAY, for_exclusion="SUS-B")],
    )
    f = the(assess(c, LATER), "I.1-sixth-day-provision")
    assert (f.status, f.met_by) == ("met", "PL-1")


def test_suspensions_separated_by_a_school_day_stay_separate_and_quiet() -> None:
    # SUS-A: Mon 3 - Wed 5 Nov; Thu 6 Nov is a school day the pupil attends; SUS-B: Fri 7, Mon
    # 10, Tue 11 Nov. Two three-day periods: neither is more than five school days.
    c = case(suspension("SUS-A", NOV3, 3), suspension("SUS-B", date(2025, 11, 7), 3))
    a = assess(c, LATER)
    assert "I.1-sixth-day-provision" not in rule_ids(a)
    # Two periods, each with its own I.7 finding, due on its own first day.
    assert {(f.subject, f.due) for f in a.findings if f.rule_id == "I.7-work-set"} == {
        ("exclusion SUS-A", NOV3),
        ("exclusion SUS-B", date(2025, 11, 7)),
    }


def test_a_year_11_pupil_with_no_exams_to_sit_is_exempt_under_I8() -> None:
    a = assess(seven_days(year_group=11, exam_entries=[]), LATER)
    assert "I.1-sixth-day-provision" not in rule_ids(a)
    f = the(a, "I.8-final-year-exemption")
    assert (f.kind, f.status, f.due, f.subject) == (
        "permission",
        "permitted",
        None,
        "exclusion SUS-1",
    )
    assert f in a.advisories
    assert f not in a.violations


def test_a_year_11_pupil_whose_exams_are_all_behind_them_is_exempt() -> None:
    entries = [{"subject": "English language resit", "last_paper_on": date(2025, 6, 20)}]
    a = assess(seven_days(year_group=11, exam_entries=entries), LATER)
    assert "I.1-sixth-day-provision" not in rule_ids(a)
    assert the(a, "I.8-final-year-exemption").status == "permitted"


def test_a_year_11_pupil_with_an_exam_still_to_sit_keeps_the_sixth_day_duty() -> None:
    entries = [{"subject": "GCSE mathematics", "last_paper_on": date(2026, 6, 10)}]
    a = assess(seven_days(year_group=11, exam_entries=entries), LATER)
    assert the(a, "I.1-sixth-day-provision").due == SIXTH_DAY
    assert "I.8-final-year-exemption" not in rule_ids(a)


def test_a_year_11_pupil_whose_exam_entries_are_unknown_needs_them_recorded() -> None:
    # Neither a silent duty nor a silent exemption: both findings ask for the entries.
    a = assess(seven_days(year_group=11), LATER)  # exam_entries left out: None, not known
    duty, exemption = the(a, "I.1-sixth-day-provision"), the(a, "I.8-final-year-exemption")
    assert (duty.due, duty.status) == (SIXTH_DAY, "information_needed")
    assert exemption.status == "information_needed"
    assert duty.missing == ("exclusion SUS-1: pupil.exam_entries is not recorded",)


def test_a_year_10_pupil_with_no_exam_entries_is_not_in_the_final_year() -> None:
    a = assess(seven_days(year_group=10, exam_entries=[]), LATER)
    assert the(a, "I.1-sixth-day-provision").due == SIXTH_DAY
    assert "I.8-final-year-exemption" not in rule_ids(a)


def test_provision_that_ended_before_the_sixth_day_does_not_meet_the_duty() -> None:
    # Full-time provision on Tue 4 and Wed 5 Nov only; nothing from Mon 10 Nov, the sixth day.
    short = placement(date(2025, 11, 4), end_date=date(2025, 11, 5))
    f = the(assess(seven_days(placements=[short]), LATER), "I.1-sixth-day-provision")
    assert f.status == "overdue"


# --- I.1: looked-after pupils, provision from the first day (an aim) --------------------------


def test_a_looked_after_pupil_should_have_provision_from_the_first_day() -> None:
    # The aim's date is day 1 of the period: Mon 3 Nov 2025. Nothing arranged: missed.
    a = assess(seven_days(looked_after=True), LATER)
    f = the(a, "I.1-looked-after-first-day")
    assert (f.kind, f.due, f.status, f.duty_holder) == ("aim", NOV3, "missed", "school")
    assert f in a.advisories
    assert f not in a.violations
    assert f not in a.obligations


def test_a_looked_after_pupil_with_provision_from_day_one_meets_the_aim() -> None:
    a = assess(seven_days(placements=[placement(NOV3)], looked_after=True), LATER)
    f = the(a, "I.1-looked-after-first-day")
    assert (f.due, f.status, f.met_by) == (NOV3, "met", "PL-1")


def test_provision_from_day_two_misses_the_aim_but_is_no_violation() -> None:
    # Provision from Tue 4 Nov 09:00, notified in full on Fri 31 Oct (more than 48 hours ahead).
    told = notice("NTC-1", "SUS-1", datetime(2025, 10, 31, 12, 0), start=date(2025, 11, 4))
    work = work_set("WRK-1", "SUS-1", NOV3, NOV3)  # work for Mon 3 Nov, the day without provision
    a = assess(
        seven_days(told, work, placements=[placement(date(2025, 11, 4))], looked_after=True),
        LATER,
    )
    f = the(a, "I.1-looked-after-first-day")
    assert (f.due, f.status) == (NOV3, "missed")
    assert a.violations == ()
    assert the(a, "I.1-sixth-day-provision").status == "met"


def test_the_first_day_aim_is_pending_before_the_exclusion_starts() -> None:
    a = assess(seven_days(looked_after=True), date(2025, 10, 31))
    assert the(a, "I.1-looked-after-first-day").status == "pending"


def test_the_first_day_aim_does_not_apply_to_a_pupil_who_is_not_looked_after() -> None:
    a = assess(seven_days(looked_after=False), LATER)
    assert "I.1-looked-after-first-day" not in rule_ids(a)


def test_the_first_day_aim_applies_to_a_five_day_suspension_by_default() -> None:
    # looked_after_first_day_aim=every_suspension: Mon 3 - Fri 7 Nov 2025, nothing arranged.
    a = assess(case(suspension("SUS-1", NOV3, 5), looked_after=True), LATER)
    f = the(a, "I.1-looked-after-first-day")
    assert (f.due, f.status) == (NOV3, "missed")


def test_the_first_day_aim_does_not_apply_to_a_five_day_suspension_when_read_so() -> None:
    settings = PolicySettings(looked_after_first_day_aim="over_five_days")
    a = assess(case(suspension("SUS-1", NOV3, 5), looked_after=True), LATER, settings)
    assert "I.1-looked-after-first-day" not in rule_ids(a)


# --- I.1.i-iv and I.2: what the parents are told, and by when ---------------------------------
#
# The notice scenarios: a ten-school-day suspension from Tue 28 Oct 2025. Its school days are
# Tue 28, Wed 29, Thu 30, Fri 31 Oct (days 1-4), Mon 3 Nov (day 5), Tue 4 Nov (day 6). Provision
# PL-1 starts Mon 3 Nov 2025 with a 09:00 morning session. 48 hours before Mon 3 Nov 09:00 GMT is
# Sat 1 Nov 2025 09:00 GMT (no clock change in between: BST ended on 26 Oct).

OCT28 = date(2025, 10, 28)
NOTICE_SIXTH = date(2025, 11, 4)
NOTICE_DUE = datetime(2025, 11, 1, 9, 0)


FIRST_DAY_NOTICE = notice("NTC-0", "SUS-1", datetime(2025, 10, 28, 12, 0), details=False)
"""The notice of the suspension on its first day (I.2), without the provision's details."""
NOTICE_READINGS = {
    "afternoon_session_ends": "15:00:00",
    "first_day_notice_by": "afternoon_session_ends",
}
"""The switches of the first-day notice's cut-off: the I.1.i-iv deadlines are never earlier."""


def ten_days(*events: dict[str, Any], start: date = NOV3, told: bool = True, **kw: Any) -> Case:
    # Work for the days before provision (Tue 28 - Fri 31 Oct), set and marked (I.7); with
    # `told`, the suspension notified on its first day without the provision's details.
    work = work_set("WRK-0", "SUS-1", OCT28, date(2025, 11, 3), until=date(2025, 10, 31))
    return case(
        suspension("SUS-1", OCT28, 10),
        work,
        *([FIRST_DAY_NOTICE] if told else []),
        *events,
        placements=[placement(start, **kw)],
    )


def test_a_placement_for_the_exclusion_triggers_all_four_notice_items() -> None:
    a = assess(ten_days(), OCT28)
    for clause, rule_id in NOTICE_RULES.items():
        f = the(a, rule_id)
        assert f.clause == clause
        assert f.subject == "placement PL-1"
        assert f.duty_holder == "headteacher"
        assert f.due == NOTICE_DUE
        assert f.status == "pending"
        assert f.deadline_citation is not None
        assert f.deadline_citation.clause == "I.2"
        assert "48 hours" in (f.deadline_citation.says or "")
        assert f.explanation.readings == {"provision_starts_at": "first_session"} | NOTICE_READINGS


def test_a_complete_written_notice_sent_in_time_meets_all_four_items() -> None:
    sent = datetime(2025, 10, 31, 15, 30)
    a = assess(ten_days(notice("NTC-1", "SUS-1", sent)), LATER)
    for rule_id in NOTICE_RULES.values():
        f = the(a, rule_id)
        assert (f.status, f.met_by, f.met_on) == ("met", "NTC-1", sent)
    assert a.violations == ()


@pytest.mark.parametrize("missing", sorted(NOTICE_RULES))
def test_an_item_missing_from_the_written_notice_is_overdue_while_the_others_are_met(
    missing: str,
) -> None:
    sent = datetime(2025, 10, 31, 15, 30)
    a = assess(ten_days(notice("NTC-1", "SUS-1", sent, omit=(missing,))), LATER)
    for clause, rule_id in NOTICE_RULES.items():
        f = the(a, rule_id)
        if clause == missing:
            assert (f.status, f.due, f.met_by) == ("overdue", NOTICE_DUE, None)
        else:
            assert (f.status, f.met_by) == ("met", "NTC-1")
    (violation,) = a.violations
    assert violation.rule_id == NOTICE_RULES[missing]
    assert violation.clause == missing
    assert violation.says == normalise_space(RULES[NOTICE_RULES[missing]]["says"])


def test_a_later_notice_can_supply_the_missing_item_before_the_deadline() -> None:
    # I.2: details not known on day 1 "may be provided in a subsequent notice".
    first = notice("NTC-1", "SUS-1", datetime(2025, 10, 28, 15, 0), omit=("I.1.iv",))
    second = notice("NTC-2", "SUS-1", datetime(2025, 10, 31, 12, 0))
    a = assess(ten_days(first, second), LATER)
    assert the(a, "I.1.iv-notice-report-to").met_by == "NTC-2"
    assert the(a, "I.1.i-notice-start-date").met_by == "NTC-1"
    assert a.violations == ()


def test_a_notice_exactly_48_hours_ahead_is_in_time_and_one_minute_later_is_late() -> None:
    on_time = assess(ten_days(notice("NTC-1", "SUS-1", NOTICE_DUE)), LATER)
    assert {the(on_time, r).status for r in NOTICE_RULES.values()} == {"met"}
    late_at = datetime(2025, 11, 1, 9, 1)
    late = assess(ten_days(notice("NTC-1", "SUS-1", late_at)), LATER)
    assert {the(late, r).status for r in NOTICE_RULES.values()} == {"late"}
    assert len(late.violations) == 4


def test_with_provision_starting_at_the_start_of_the_day_the_deadline_is_midnight() -> None:
    # provision_starts_at="start_of_day": provision starts Mon 3 Nov 00:00, so the notice is
    # due 48 hours earlier, Sat 1 Nov 2025 00:00.
    settings = PolicySettings(provision_starts_at="start_of_day")
    a = assess(ten_days(), OCT28, settings)
    for rule_id in NOTICE_RULES.values():
        f = the(a, rule_id)
        assert f.due == datetime(2025, 11, 1, 0, 0)
        assert f.explanation.readings == {"provision_starts_at": "start_of_day"} | NOTICE_READINGS
    assert a.readings["provision_starts_at"]["value"] == "start_of_day"


def test_without_session_times_the_first_session_is_taken_to_start_at_midnight() -> None:
    a = assess(ten_days(sessions=None), OCT28)
    assert the(a, "I.1.i-notice-start-date").due == datetime(2025, 11, 1, 0, 0)


# --- the 48 hours are real hours across the end of British Summer Time ------------------------
#
# The clocks go back at 02:00 BST on Sun 26 Oct 2025, i.e. at 01:00 UTC. Provision for the
# suspension from Thu 16 Oct 2025 (school days 16, 17, 28, 29, 30, 31 Oct: the sixth is Fri 31).


def _dst_case(start: date) -> Case:
    return case(
        suspension("SUS-1", date(2025, 10, 16), 7),
        placements=[placement(start, for_exclusion="SUS-1")],
    )


def test_48_hours_before_tuesday_0900_after_the_clock_change_is_sunday_0900() -> None:
    # The brief expected Sun 26 Oct 10:00 here; that is wrong. Tue 28 Oct 09:00 GMT is 09:00
    # UTC; 48 real hours earlier is Sun 26 Oct 09:00 UTC, and by then (since 01:00 UTC) the
    # clocks already read GMT: Sun 26 Oct 2025 09:00 local. The window Sun 09:00 - Tue 09:00
    # does not contain the change, so wall-clock and real hours agree.
    a = assess(_dst_case(OCT28), date(2025, 10, 16))
    assert the(a, "I.1.i-notice-start-date").due == datetime(2025, 10, 26, 9, 0)


def test_a_48_hour_window_containing_the_clock_change_is_one_wall_clock_hour_shorter() -> None:
    # Provision at Mon 27 Oct 09:00 GMT = 09:00 UTC; 48 real hours earlier is Sat 25 Oct 09:00
    # UTC = 10:00 BST. Counting wall-clock hours would give 09:00: one real hour too early.
    a = assess(_dst_case(date(2025, 10, 27)), date(2025, 10, 16))
    assert the(a, "I.1.i-notice-start-date").due == datetime(2025, 10, 25, 10, 0)


def test_start_of_day_provision_on_tuesday_28_october_is_due_at_0100_on_sunday() -> None:
    # Tue 28 Oct 00:00 GMT = 00:00 UTC; minus 48 hours = Sun 26 Oct 00:00 UTC, which is 01:00
    # BST (the first 01:00 of that night; the clocks go back an hour later).
    settings = PolicySettings(provision_starts_at="start_of_day")
    a = assess(_dst_case(OCT28), date(2025, 10, 16), settings)
    assert the(a, "I.1.i-notice-start-date").due == datetime(2025, 10, 26, 1, 0)


# --- I.2: the short-notice exception ----------------------------------------------------------


def test_with_consent_provision_before_the_sixth_day_may_be_notified_up_to_its_start() -> None:
    # PL-1 starts Mon 3 Nov (day 5, before the sixth school day Tue 4 Nov) and the parents
    # consented on Tue 28 Oct: the details are due by the start itself, Mon 3 Nov 09:00.
    sent = datetime(2025, 11, 2, 18, 0)  # Sunday evening: less than 48 hours' notice
    a = assess(ten_days(consent("CNS-1", "PL-1", OCT28), notice("NTC-1", "SUS-1", sent)), LATER)
    for rule_id in NOTICE_RULES.values():
        f = the(a, rule_id)
        assert f.due == datetime(2025, 11, 3, 9, 0)
        assert (f.status, f.met_by) == ("met", "NTC-1")
        assert "the exception in I.2 applies" in f.explanation.steps
    assert a.violations == ()


def test_without_consent_short_notice_before_the_sixth_day_is_late() -> None:
    sent = datetime(2025, 11, 2, 18, 0)
    a = assess(ten_days(notice("NTC-1", "SUS-1", sent)), LATER)
    for rule_id in NOTICE_RULES.values():
        f = the(a, rule_id)
        assert (f.due, f.status) == (NOTICE_DUE, "late")
        assert "the exception in I.2 applies" not in f.explanation.steps


def test_consent_does_not_shorten_notice_of_provision_starting_on_the_sixth_day() -> None:
    # PL-1 starts Tue 4 Nov 09:00, the sixth school day itself: not "before the sixth day".
    # 48 hours before is Sun 2 Nov 2025 09:00.
    c = ten_days(consent("CNS-1", "PL-1", OCT28), start=NOTICE_SIXTH)
    a = assess(c, OCT28)
    for rule_id in NOTICE_RULES.values():
        assert the(a, rule_id).due == datetime(2025, 11, 2, 9, 0)


def test_consent_given_after_provision_started_does_not_count() -> None:
    c = ten_days(consent("CNS-1", "PL-1", date(2025, 11, 5)))
    assert the(assess(c, OCT28), "I.1.i-notice-start-date").due == NOTICE_DUE


def test_the_short_notice_deadline_cites_the_I2_exception() -> None:
    a = assess(ten_days(consent("CNS-1", "PL-1", OCT28)), OCT28)
    f = the(a, "I.1.i-notice-start-date")
    assert f.deadline_citation is not None
    assert f.deadline_citation.clause == "I.2"
    assert "less than 48 hours" in (f.deadline_citation.says or "")


def test_a_notice_by_phone_never_gives_the_four_items() -> None:
    sent = datetime(2025, 10, 28, 10, 0)
    a = assess(ten_days(notice("NTC-1", "SUS-1", sent, method="phone"), told=False), LATER)
    for rule_id in NOTICE_RULES.values():
        f = the(a, rule_id)
        assert (f.status, f.met_by) == ("overdue", None)
    assert the(a, "I.3-notice-in-writing").status == "overdue"
    assert (the(a, "I.2-first-day-notice").status, the(a, "I.2-first-day-notice").met_by) == (
        "overdue",
        None,
    )


def test_without_a_placement_no_notice_item_is_due() -> None:
    a = assess(seven_days(notice("NTC-1", "SUS-1", datetime(2025, 11, 3, 15, 0))), LATER)
    assert not rule_ids(a) & set(NOTICE_RULES.values())


def test_a_placement_linked_to_no_exclusion_needs_no_notice() -> None:
    # A medical placement with no for_exclusion is not provision for the suspension.
    c = case(suspension("SUS-1", NOV3, 7), placements=[placement(SIXTH_DAY, kind="medical")])
    a = assess(c, LATER)
    assert not rule_ids(a) & set(NOTICE_RULES.values())
    assert the(a, "I.1-sixth-day-provision").status == "overdue"


def test_provision_for_a_permanent_exclusion_also_needs_the_four_items() -> None:
    # "... during the suspension or permanent exclusion": PX-1 from Mon 3 Nov, LA provision from
    # Mon 10 Nov 09:00 (found by date: the latest permanent exclusion on or before its start).
    # 48 hours before is Sat 8 Nov 2025 09:00.
    c = case(
        permanent_exclusion("PX-1", NOV3),
        placements=[placement(SIXTH_DAY, kind="permanent_exclusion_provision")],
    )
    a = assess(c, NOV3)
    for rule_id in NOTICE_RULES.values():
        assert the(a, rule_id).due == datetime(2025, 11, 8, 9, 0)


def test_a_notice_time_with_a_utc_offset_is_judged_in_local_time() -> None:
    # Sent "2025-11-01T09:30:00+01:00" = 08:30 UTC = Sat 1 Nov 08:30 GMT, half an hour before
    # the Sat 1 Nov 09:00 deadline. Dropping the offset would read 09:30: late.
    sent = notice("NTC-1", "SUS-1", NOTICE_DUE)
    sent["sent_at"] = "2025-11-01T09:30:00+01:00"
    a = assess(ten_days(sent), LATER)
    for rule_id in NOTICE_RULES.values():
        f = the(a, rule_id)
        assert (f.status, f.met_on) == ("met", datetime(2025, 11, 1, 8, 30))


# --- I.3: the notice must be in writing -------------------------------------------------------


def test_a_notice_given_by_phone_must_be_put_in_writing_the_same_day() -> None:
    # Phoned on Mon 3 Nov; no written notice at all: overdue from Tue 4 Nov, due Mon 3 Nov.
    a = assess(seven_days(notice("NTC-1", "SUS-1", datetime(2025, 11, 3, 10, 0), "phone")), LATER)
    f = the(a, "I.3-notice-in-writing")
    assert (f.subject, f.due, f.status) == ("notice NTC-1", NOV3, "overdue")
    assert f.duty_holder == "headteacher"
    assert f in a.violations


def test_a_phone_notice_on_the_evaluation_day_is_due_today() -> None:
    a = assess(seven_days(notice("NTC-1", "SUS-1", datetime(2025, 11, 3, 10, 0), "phone")), NOV3)
    assert the(a, "I.3-notice-in-writing").status == "due_today"


def test_a_written_notice_later_the_same_day_meets_the_writing_duty() -> None:
    c = seven_days(
        notice("NTC-1", "SUS-1", datetime(2025, 11, 3, 10, 0), "in_person"),
        notice("NTC-2", "SUS-1", datetime(2025, 11, 3, 16, 45), "text_message", details=False),
    )
    f = the(assess(c, LATER), "I.3-notice-in-writing")
    assert (f.due, f.status, f.met_by) == (NOV3, "met", "NTC-2")


def test_a_written_notice_sent_before_the_phone_call_meets_the_writing_duty() -> None:
    c = seven_days(
        notice("NTC-0", "SUS-1", datetime(2025, 10, 31, 15, 0), "letter", details=False),
        notice("NTC-1", "SUS-1", datetime(2025, 11, 3, 10, 0), "phone"),
    )
    f = the(assess(c, LATER), "I.3-notice-in-writing")
    assert (f.status, f.met_by) == ("met", "NTC-0")


def test_a_written_notice_the_next_day_is_late() -> None:
    c = seven_days(
        notice("NTC-1", "SUS-1", datetime(2025, 11, 3, 10, 0), "phone"),
        notice("NTC-2", "SUS-1", datetime(2025, 11, 4, 9, 0), "email", details=False),
    )
    a = assess(c, LATER)
    f = the(a, "I.3-notice-in-writing")
    assert (f.due, f.status, f.met_by) == (NOV3, "late", "NTC-2")
    assert f in a.violations


def test_a_written_notice_about_another_exclusion_does_not_meet_the_writing_duty() -> None:
    c = case(
        suspension("SUS-1", NOV3, 2),
        suspension("SUS-2", date(2025, 11, 12), 2),  # Mon 10, Tue 11 Nov lie between
        notice("NTC-1", "SUS-2", datetime(2025, 11, 12, 9, 0), "phone"),
        notice("NTC-0", "SUS-1", datetime(2025, 11, 3, 9, 0), "letter", details=False),
    )
    f = the(assess(c, LATER), "I.3-notice-in-writing")
    assert (f.due, f.status) == (date(2025, 11, 12), "overdue")


def test_written_notices_only_raise_no_writing_duty() -> None:
    c = seven_days(
        notice("NTC-1", "SUS-1", datetime(2025, 11, 3, 10, 0), "letter", details=False),
        notice("NTC-2", "SUS-1", datetime(2025, 11, 4, 10, 0), "hand_delivered", details=False),
    )
    assert "I.3-notice-in-writing" not in rule_ids(assess(c, LATER))


# --- I.5: permanent exclusion, the LA's sixth-day duty and the PEP ----------------------------


def test_a_permanent_exclusion_needs_la_provision_by_the_sixth_school_day() -> None:
    # From Mon 3 Nov: Mon 3 .. Fri 7 are days 1-5, Mon 10 Nov is day 6.
    a = assess(case(permanent_exclusion("PX-1", NOV3)), LATER)
    f = the(a, "I.5-la-sixth-day-provision")
    assert (f.subject, f.due, f.status) == ("exclusion PX-1", SIXTH_DAY, "overdue")
    assert f.duty_holder == "local_authority"
    assert "I.1-sixth-day-provision" not in rule_ids(a)


def test_a_permanent_exclusion_before_half_term_counts_only_school_days() -> None:
    # From Wed 15 Oct: Wed 15, Thu 16, Fri 17 (days 1-3), half-term and INSET Mon 27 skipped,
    # Tue 28 (day 4), Wed 29 (day 5), Thu 30 Oct 2025 (day 6).
    a = assess(case(permanent_exclusion("PX-1", date(2025, 10, 15))), LATER)
    assert the(a, "I.5-la-sixth-day-provision").due == date(2025, 10, 30)


def test_la_provision_from_the_sixth_day_meets_the_la_duty() -> None:
    c = case(
        permanent_exclusion("PX-1", NOV3),
        placements=[placement(SIXTH_DAY, kind="permanent_exclusion_provision")],
    )
    f = the(assess(c, LATER), "I.5-la-sixth-day-provision")
    assert (f.status, f.met_by) == ("met", "PL-1")


def test_a_suspension_alone_raises_no_la_duty() -> None:
    settings = PolicySettings(pep_record_after="permanent_exclusion")
    a = assess(seven_days(looked_after=True, ehc_plan=True), LATER, settings)
    assert not rule_ids(a) & {
        "I.5-la-sixth-day-provision",
        "I.5-pep-record",
        "I.6-ehc-plan-review",
    }


def test_the_la_duty_does_not_apply_to_a_final_year_pupil_with_no_exams_left() -> None:
    a = assess(case(permanent_exclusion("PX-1", NOV3), year_group=11, exam_entries=[]), LATER)
    assert "I.5-la-sixth-day-provision" not in rule_ids(a)
    assert the(a, "I.8-final-year-exemption").status == "permitted"


def test_a_looked_after_pupils_pep_must_record_the_provision() -> None:
    a = assess(case(permanent_exclusion("PX-1", NOV3), looked_after=True), LATER)
    f = the(a, "I.5-pep-record")
    assert (f.subject, f.due, f.status, f.duty_holder) == (
        "exclusion PX-1",
        None,
        "open",
        "school",
    )
    assert f not in a.violations  # no deadline: open, not overdue


def test_a_pep_entry_recording_the_provision_meets_the_duty() -> None:
    c = case(
        permanent_exclusion("PX-1", NOV3),
        pep_record("PEP-1", "PX-1", date(2025, 11, 12)),
        looked_after=True,
    )
    f = the(assess(c, LATER), "I.5-pep-record")
    assert (f.status, f.met_by, f.met_on) == ("met", "PEP-1", date(2025, 11, 12))


def test_a_pep_entry_that_does_not_record_the_provision_leaves_the_duty_open() -> None:
    c = case(
        permanent_exclusion("PX-1", NOV3),
        pep_record("PEP-1", "PX-1", date(2025, 11, 12), immediate=False),
        looked_after=True,
    )
    assert the(assess(c, LATER), "I.5-pep-record").status == "open"


def test_no_pep_duty_for_a_pupil_who_is_not_looked_after() -> None:
    a = assess(case(permanent_exclusion("PX-1", NOV3), looked_after=False), LATER)
    assert "I.5-pep-record" not in rule_ids(a)


# --- I.6: EHC plan review (a permission) ------------------------------------------------------


def test_the_la_may_review_the_ehc_plan_of_a_permanently_excluded_pupil() -> None:
    a = assess(case(permanent_exclusion("PX-1", NOV3), ehc_plan=True), LATER)
    f = the(a, "I.6-ehc-plan-review")
    assert (f.kind, f.status, f.due, f.duty_holder) == (
        "permission",
        "permitted",
        None,
        "local_authority",
    )
    assert f in a.advisories
    assert f not in a.obligations


def test_no_ehc_plan_review_without_an_ehc_plan() -> None:
    a = assess(case(permanent_exclusion("PX-1", NOV3), ehc_plan=False), LATER)
    assert "I.6-ehc-plan-review" not in rule_ids(a)


# --- I.7: work set and marked when there is no provision in the first five days ---------------


def test_without_provision_in_the_first_five_days_work_must_be_set_from_day_one() -> None:
    # Default reading (work_set_by_school_day=1): due the first school day, Mon 3 Nov 2025.
    a = assess(seven_days(), LATER)
    f = the(a, "I.7-work-set")
    assert (f.subject, f.due, f.status, f.duty_holder) == (
        "exclusion SUS-1",
        NOV3,
        "overdue",
        "headteacher",
    )
    assert f.explanation.readings == {"work_set_by_school_day": 1}
    assert "I.7-work-marked" not in rule_ids(a)  # each piece of work set is to be marked: none


def test_the_work_set_switch_moves_the_deadline_to_the_third_school_day() -> None:
    # work_set_by_school_day=3: Mon 3 (1), Tue 4 (2), Wed 5 Nov 2025 (3).
    a = assess(seven_days(), NOV3, PolicySettings(work_set_by_school_day=3))
    f = the(a, "I.7-work-set")
    assert (f.due, f.status) == (date(2025, 11, 5), "pending")
    assert f.explanation.readings == {"work_set_by_school_day": 3}
    assert a.readings["work_set_by_school_day"]["value"] == 3


def test_the_third_school_day_of_a_suspension_across_half_term() -> None:
    # From Thu 16 Oct: Thu 16 (1), Fri 17 (2), half-term and the INSET day skipped, Tue 28 Oct (3).
    c = case(suspension("SUS-1", date(2025, 10, 16), 7))
    f = the(assess(c, LATER, PolicySettings(work_set_by_school_day=3)), "I.7-work-set")
    assert f.due == date(2025, 10, 28)


def test_provision_on_every_one_of_the_first_five_school_days_needs_no_work_set() -> None:
    a = assess(seven_days(placements=[placement(NOV3)]), LATER)
    f = the(a, "I.7-work-set")
    assert (f.status, f.met_by, f.uncovered) == ("met", None, ())
    assert "I.7-work-marked" not in rule_ids(a)


def test_provision_from_the_fifth_school_day_still_needs_work_for_the_four_before() -> None:
    # Fri 7 Nov is the fifth school day of the suspension from Mon 3 Nov: Mon 3 - Thu 6 need work.
    a = assess(seven_days(placements=[placement(date(2025, 11, 7))]), LATER)
    f = the(a, "I.7-work-set")
    assert (f.status, [(r.first, r.last) for r in f.uncovered]) == (
        "overdue",
        [(NOV3, date(2025, 11, 6))],
    )


def test_provision_from_the_sixth_school_day_still_needs_work_set_before_it() -> None:
    a = assess(seven_days(placements=[placement(SIXTH_DAY)]), LATER)
    assert the(a, "I.7-work-set").due == NOV3


def test_work_set_on_day_one_and_marked_meets_both_duties() -> None:
    week = work_set("WRK-1", "SUS-1", NOV3, date(2025, 11, 6), until=date(2025, 11, 7))
    told = notice("NTC-1", "SUS-1", datetime(2025, 11, 3, 12, 0), details=False)
    a = assess(seven_days(week, told), LATER)
    set_ = the(a, "I.7-work-set")
    assert (set_.status, set_.met_by, set_.met_on) == ("met", "WRK-1", NOV3)
    marked = the(a, "I.7-work-marked")
    assert (marked.status, marked.met_by, marked.met_on) == ("met", "WRK-1", date(2025, 11, 6))
    assert a.violations == (the(a, "I.1-sixth-day-provision"),)


def test_work_set_but_not_yet_marked_leaves_marking_open() -> None:
    a = assess(seven_days(work_set("WRK-1", "SUS-1", NOV3, until=date(2025, 11, 7))), LATER)
    assert the(a, "I.7-work-set").status == "met"
    marked = the(a, "I.7-work-marked")
    assert (marked.subject, marked.status) == ("work_set WRK-1", "open")


def test_work_set_for_its_own_day_only_leaves_the_other_days_uncovered() -> None:
    # Work set Mon 3 Nov with no set_for_until covers Mon 3 only: Tue 4 - Fri 7 breach it.
    a = assess(seven_days(work_set("WRK-1", "SUS-1", NOV3)), LATER)
    f = the(a, "I.7-work-set")
    assert (f.status, [(r.first, r.last) for r in f.uncovered]) == (
        "breached",
        [(date(2025, 11, 4), date(2025, 11, 7))],
    )


def test_work_set_on_day_two_is_late_under_the_default_reading() -> None:
    a = assess(seven_days(work_set("WRK-1", "SUS-1", date(2025, 11, 4))), LATER)
    assert the(a, "I.7-work-set").status == "late"


# --- every finding is cited; every assessment records its readings ----------------------------


def _rich_assessment() -> Assessment:
    """A case that makes all nineteen rules fire at least once."""
    wrong = notice("NTC-2", "SUS-1", datetime(2025, 10, 29, 10, 0), start=date(2025, 11, 5))
    wrong |= {
        "session_times": {
            "form": "single_session",
            "session_starts": "10:00",
            "session_ends": "14:00",
        },
        "provision_address": "Another Centre, 2 High Street",
        "report_to": "Mr Jones",
    }
    c = case(
        suspension("SUS-1", OCT28, 10),
        suspension("SUS-2", date(2025, 11, 11), 2),  # back to back: a further suspension
        notice("NTC-1", "SUS-1", datetime(2025, 10, 28, 10, 0), "phone"),
        wrong,
        work_set("WRK-1", "SUS-1", OCT28),
        permanent_exclusion("PX-1", date(2026, 1, 12)),
        permanent_exclusion("PX-2", date(2026, 3, 2)),
        placements=[
            placement(
                date(2025, 11, 4),
                for_exclusion="SUS-1",
                address=ADDRESS,
                report_to="Ms Patel, Head of Centre",
            )
        ],
        year_group=11,
        looked_after=True,
        ehc_plan=True,
        exam_entries=[{"subject": "GCSE history", "last_paper_on": date(2026, 2, 20)}],
    )
    return assess(c, date(2026, 3, 20))


def test_all_nineteen_rules_of_section_I_are_exercised() -> None:
    assert len(RULES) == 19
    assert rule_ids(_rich_assessment()) == set(RULES)


def test_every_finding_carries_its_clause_section_and_quoted_words() -> None:
    policy = load_policy()
    for f in _rich_assessment().findings:
        rule = RULES[f.rule_id]
        assert f.clause == rule["clause"]
        assert f.section == "I"
        assert f.says == normalise_space(rule["says"])
        assert policy.quotes(f.clause, f.says), f.rule_id
        assert f.citation.clause == f.clause
        assert f.citation.says == f.says
        assert str(f.citation).startswith(f"{f.clause}: ")


def test_the_sixth_day_duty_also_cites_the_cumulative_period_clause_and_statute() -> None:
    f = the(assess(seven_days(), LATER), "I.1-sixth-day-provision")
    clauses = [c.clause for c in f.also_cites if c.clause]
    assert clauses == ["I.4"]
    assert any(c.statute and "SI 2007/1870" in c.statute for c in f.also_cites)


def test_the_assessment_records_every_reading_with_the_clause_it_interprets() -> None:
    a = assess(seven_days(), LATER)
    assert a.readings["provision_starts_at"]["value"] == "first_session"
    assert a.readings["provision_starts_at"]["clause"] == "I.2"
    assert a.readings["work_set_by_school_day"]["value"] == 1
    assert a.readings["work_set_by_school_day"]["clause"] == "I.7"
    assert json.loads(a.to_json())["readings"]["work_set_by_school_day"]["clause"] == "I.7"


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_day", "reason"),
    [
        (date(2025, 11, 8), "weekend"),  # Sat 8 Nov 2025
        (date(2025, 10, 22), "holiday between half-terms"),  # Wed 22 Oct, half-term
        (date(2025, 10, 27), "INSET day"),  # Mon 27 Oct, INSET
        (date(2026, 5, 4), "bank holiday"),  # Mon 4 May 2026, early May bank holiday
    ],
)
def test_a_suspension_starting_on_a_non_school_day_is_refused(first_day: date, reason: str) -> None:
    c = case(suspension("SUS-BAD", first_day, 3), name="Jane Pupil-Example")
    with pytest.raises(CaseError) as caught:
        assess(c, LATER)
    message = str(caught.value)
    assert "SUS-BAD" in message
    assert first_day.isoformat() in message
    assert reason in message
    assert "Jane" not in message and "Pupil-Example" not in message
    assert caught.value.case_id == "CASE-I"


def test_a_permanent_exclusion_on_a_saturday_is_refused() -> None:
    c = case(permanent_exclusion("PX-BAD", date(2025, 11, 8)), name="Jane Pupil-Example")
    with pytest.raises(CaseError, match=r"PX-BAD.*2025-11-08.*weekend") as caught:
        assess(c, LATER)
    assert "Jane" not in str(caught.value)


def test_a_suspension_outside_the_calendar_is_refused() -> None:
    c = case(suspension("SUS-1", date(2026, 9, 7), 3), name="Jane Pupil-Example")
    with pytest.raises(CalendarError) as caught:
        assess(c, LATER)
    message = str(caught.value)
    assert "2026-09-07" in message
    assert "Jane" not in message


def test_a_suspension_running_past_the_end_of_the_calendar_is_still_assessed() -> None:
    # Mon 20 and Tue 21 Jul 2026 are the last two school days; the third falls after the
    # calendar: the notice (I.2, due on the first day) is graded, and the work set over the
    # first five school days (I.7) cannot be dated: undetermined, naming the calendar's end.
    c = case(suspension("SUS-1", date(2026, 7, 20), 3), name="Jane Pupil-Example")
    a = assess(c, date(2026, 7, 21))
    found = {f.rule_id: f for f in a.findings}
    assert found["I.2-first-day-notice"].status == "overdue"
    work = found["I.7-work-set"]
    assert work.status == "undetermined"
    assert "2026-07-21" in work.missing[0] and "Jane" not in work.missing[0]


def test_a_calendar_error_names_the_case_the_suspension_and_the_field() -> None:
    # A first day outside the calendar is the input's fault: the school days cannot be counted.
    c = case(suspension("SUS-9", date(2026, 7, 27), 3), name="Jane Pupil-Example")
    with pytest.raises(
        CalendarError, match=r"^case CASE-I: suspension SUS-9: first_day 2026-07-27 is outside"
    ) as caught:
        assess(c, LATER)
    assert "Jane" not in str(caught.value)


def test_no_first_day_aim_for_a_final_year_pupil_with_no_exams_left() -> None:
    # I.8: provision does not have to be arranged at all, so the I.1 aim for LAC is quiet too.
    c = seven_days(year_group=11, looked_after=True, exam_entries=[])
    a = assess(c, LATER)
    assert "I.1-looked-after-first-day" not in rule_ids(a)
    assert "I.8-final-year-exemption" in rule_ids(a)
