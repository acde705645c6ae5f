"""Policy section H, the referral notice of an off-site direction (H.2, H.2.i-vi, H.3.i), as
legal scenarios.

H.2: "Parents, and the pupil where they are over 18, must be notified of the referral at least
two school days before the education provision begins." The rules date the notice by
`given_on` and count back from the placement's start date on the school calendar:

* clear-days reading (referral_notice_clear_days=True, the default): two whole school days must
  lie between the notice and the first day, so it is due on the 3rd school day before the start;
* plain reading (False): due on the 2nd school day before the start.

A notice sent on a non-school day counts as given on the school day before it (clear days) or
after it (plain reading). Only a written notice (letter, email, text message, hand delivered)
to the right recipient counts, and each item rule needs its item in that notice.

Every date below is worked out by hand on the example calendar, "Example Borough Council
2025-26" (SchoolCalendar.example()). The dates these tests lean on:

    Oct 2025  Thu 16, Fri 17 school days; Sat 18, Sun 19; Mon 20 - Fri 24 half-term (holiday
              between half-terms); Mon 27 INSET; Tue 28, Wed 29, Thu 30, Fri 31 school days.
    Nov 2025  Mon 3 - Fri 7, Mon 10 - Fri 14, Mon 17 - Fri 21 school days, no closures;
              Sat 15, Sun 16 weekend.
    Dec 2025  Thu 18, Fri 19 the last school days of the autumn term.
    Jan 2026  Mon 5 INSET; Tue 6, Wed 7 school days.

The running example: off-site direction OSD-1, decided Mon 3 Nov, provision from Mon 17 Nov
2025. Counting back: Fri 14 Nov (1st school day before), Thu 13 Nov (2nd), Wed 12 Nov (3rd).
So the notice is due Wed 12 Nov under the clear-days reading and Thu 13 Nov under the plain one.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from apcompliance import Assessment, Case, Finding, PolicySettings
from apcompliance.policy.document import normalise_space
from tests import scenarios
from tests.scenarios import SINGLE_SESSION, TWO_SESSIONS, rule_ids, the

RULE_FILE = Path(__file__).resolve().parents[1] / "rules" / "H-off-site-direction.yaml"
RULES: dict[str, dict[str, Any]] = {
    r["id"]: r for r in yaml.safe_load(RULE_FILE.read_text(encoding="utf-8"))["rules"]
}

TO_PARENTS = "H.2-notice-to-parents"
TO_ADULT_PUPIL = "H.2-notice-to-adult-pupil"
ADDRESS_RULE = "H.2.i-notice-address"
REPORT_TO_RULE = "H.2.ii-notice-report-to"
DAYS_RULE = "H.2.iv-notice-number-of-days"
REASONS_RULE = "H.2.v-notice-reasons-and-objectives"
SESSIONS_RULE = "H.2.vi-notice-session-times"
INFO_PARENTS = "H.3.i-information-to-parents"
INFO_LA = "H.3.i-information-to-local-authority"

NOTICE_RULES: dict[str, str] = {  # rule id -> clause
    TO_PARENTS: "H.2",
    TO_ADULT_PUPIL: "H.2",
    ADDRESS_RULE: "H.2.i",
    REPORT_TO_RULE: "H.2.ii",
    DAYS_RULE: "H.2.iv",
    REASONS_RULE: "H.2.v",
    SESSIONS_RULE: "H.2.vi",
    INFO_PARENTS: "H.3.i",
    INFO_LA: "H.3.i",
}
PARENT_RULES = frozenset(NOTICE_RULES) - {TO_ADULT_PUPIL, INFO_LA}

START = date(2025, 11, 17)  # Mon
ARRANGED = date(2025, 11, 3)  # Mon
CLEAR_DUE = date(2025, 11, 12)  # Wed: the 3rd school day before Mon 17 Nov
PLAIN_DUE = date(2025, 11, 13)  # Thu: the 2nd school day before Mon 17 Nov
LATER = date(2025, 11, 24)
PLAIN = PolicySettings(referral_notice_clear_days=False)

ADDRESS = "Brookside Learning Centre, 7 Tannery Row, Riverside RV2 4CD"
ITEMS: dict[str, Any] = {  # the notice fields that carry the H.2 and H.3.i items
    "start_date": START,
    "provision_address": ADDRESS,
    "report_to": "Mr Quillan, Centre Lead",
    "number_of_days": 30,
    "reasons": "Repeated disruption of lessons despite a behaviour support plan.",
    "objectives": "Re-engage with learning and return to full-time lessons in school.",
    "session_times": TWO_SESSIONS,
    "review_arrangements": "Reviewed every four weeks with the parents and the centre.",
}
NEEDED_BY: dict[str, frozenset[str]] = {  # the rules a notice without the item fails
    "start_date": frozenset({INFO_PARENTS}),
    "provision_address": frozenset({ADDRESS_RULE, INFO_PARENTS}),
    "report_to": frozenset({REPORT_TO_RULE}),
    "number_of_days": frozenset({DAYS_RULE}),
    "reasons": frozenset({REASONS_RULE, INFO_PARENTS}),
    "objectives": frozenset({REASONS_RULE}),
    "session_times": frozenset({SESSIONS_RULE}),
    "review_arrangements": frozenset({INFO_PARENTS}),
}
ADULT = {"date_of_birth": date(2007, 11, 17), "year_group": 11}  # 18 on Mon 17 Nov 2025, the
# first day: in Year 11, two years older than usual (a date of birth further from the year
# group's age is not relied on: docs/reference.md, pupil.date_of_birth)
EVERY_RULE = {**ADULT, "ehc_plan": True}  # makes all nine rules fire


# --- building cases ---------------------------------------------------------------------------


def direction(
    start: date = START,
    *,
    id: str = "OSD-1",
    arranged_on: date | None = None,
    sessions: dict[str, str] | None = TWO_SESSIONS,
    **extra: Any,
) -> dict[str, Any]:
    """An off-site direction decided on `arranged_on` (default: two weeks before `start`)."""
    out = scenarios.direction(start, arranged_on or start - timedelta(days=14), id=id)
    if sessions is not None:
        out["session_times"] = sessions
    return out | extra


def referral_notice(
    id: str,
    sent_at: datetime,
    method: str = "email",
    *,
    to: tuple[str, ...] = ("parents",),
    placement: str = "OSD-1",
    omit: tuple[str, ...] = (),
    only: tuple[str, ...] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A referral notice giving every item except `omit` (or, with `only`, just those items);
    `fields` override item values."""
    out: dict[str, Any] = {
        "kind": "referral_notice",
        "id": id,
        "placement_id": placement,
        "sent_at": sent_at,
        "method": method,
        "recipients": list(to),
    }
    items = ITEMS if only is None else {k: ITEMS[k] for k in only}
    out |= {k: v for k, v in items.items() if k not in omit}
    return out | fields


def case(*events: dict[str, Any], placements: Any = None, **pupil: Any) -> Case:
    return scenarios.case(
        *events,
        placements=[direction()] if placements is None else placements,
        case_id="CASE-H",
        **pupil,
    )


def assess(c: Case, as_of: date, settings: PolicySettings | None = None) -> Assessment:
    return scenarios.assess(c, as_of, "H", settings=settings)


def at(d: date, hour: int = 15, minute: int = 30) -> datetime:
    return datetime(d.year, d.month, d.day, hour, minute)


def notice_violations(a: Assessment) -> set[str]:
    """The notice rules among the assessment's violations (the other H rules aside)."""
    return {f.rule_id for f in a.violations if f.rule_id in NOTICE_RULES}


def outcome(f: Finding) -> tuple[str, object]:
    return f.status, f.due


# --- every rule fires for a direction, due on the 3rd school day before the start -------------


@pytest.mark.parametrize("rule_id", sorted(NOTICE_RULES))
def test_with_no_notice_each_rule_is_overdue_from_the_third_school_day_before(
    rule_id: str,
) -> None:
    # Mon 17 Nov start: Fri 14, Thu 13 must be whole school days after the notice, so it is due
    # by the end of Wed 12 Nov 2025. Nothing given by Mon 24 Nov: overdue.
    a = assess(case(**EVERY_RULE), LATER)
    f = the(a, rule_id)
    assert (f.status, f.due) == ("overdue", date(2025, 11, 12))
    assert f.clause == NOTICE_RULES[rule_id]
    assert f.subject == "placement OSD-1"
    assert f.kind == "obligation"
    assert f.says == normalise_space(RULES[rule_id]["says"])
    assert f.met_by is None
    assert f in a.violations
    assert f.explanation.readings == {"referral_notice_clear_days": True}
    (step,) = [s for s in f.explanation.steps if s.startswith("due:")]
    assert step == (
        "due: 2 clear school days before Mon 17 Nov 2025: given by the end of Wed 12 Nov 2025"
    )


@pytest.mark.parametrize("rule_id", sorted(NOTICE_RULES))
def test_a_complete_written_notice_to_everyone_on_the_due_day_meets_each_rule(
    rule_id: str,
) -> None:
    sent = at(CLEAR_DUE)  # Wed 12 Nov 15:30: the last day that leaves Thu 13 and Fri 14 clear
    c = case(
        referral_notice("REF-1", sent, to=("parents", "pupil", "local_authority")), **EVERY_RULE
    )
    a = assess(c, LATER)
    f = the(a, rule_id)
    assert (f.status, f.due, f.met_by, f.met_on) == ("met", CLEAR_DUE, "REF-1", CLEAR_DUE)
    assert f not in a.violations
    assert notice_violations(a) == set()


def test_the_duty_holders_are_the_headteacher_for_h2_and_the_school_for_h3() -> None:
    a = assess(case(**EVERY_RULE), LATER)
    for rule_id in NOTICE_RULES:
        expected = "school" if rule_id.startswith("H.3") else "headteacher"
        assert the(a, rule_id).duty_holder == expected, rule_id


@pytest.mark.parametrize("kind", ["suspension_provision", "in_school_unit", "medical", "other"])
def test_no_notice_rule_fires_for_a_placement_that_is_not_an_off_site_direction(kind: str) -> None:
    other = {"id": "PL-1", "kind": kind, "start_date": START, "full_time": True}
    a = assess(case(placements=[other], **EVERY_RULE), LATER)
    assert not rule_ids(a) & set(NOTICE_RULES)


def test_without_a_placement_no_notice_rule_fires() -> None:
    a = assess(case(placements=[], **EVERY_RULE), LATER)
    assert not rule_ids(a) & set(NOTICE_RULES)


# --- the statuses of the parents' notice, as of different days --------------------------------


def test_before_the_due_day_with_nothing_sent_the_notice_is_pending() -> None:
    f = the(assess(case(), date(2025, 11, 11)), TO_PARENTS)
    assert (f.status, f.due) == ("pending", CLEAR_DUE)


def test_on_the_due_day_with_nothing_sent_the_notice_is_due_today() -> None:
    a = assess(case(), CLEAR_DUE)
    f = the(a, TO_PARENTS)
    assert (f.status, f.due) == ("due_today", date(2025, 11, 12))
    assert f not in a.violations


def test_the_day_after_the_due_day_with_nothing_sent_the_notice_is_overdue() -> None:
    f = the(assess(case(), date(2025, 11, 13)), TO_PARENTS)
    assert (f.status, f.due) == ("overdue", date(2025, 11, 12))


def test_a_notice_recorded_for_the_due_day_is_scheduled_before_it() -> None:
    a = assess(case(referral_notice("REF-1", at(CLEAR_DUE))), date(2025, 11, 10))
    f = the(a, TO_PARENTS)
    assert (f.status, f.due, f.met_by) == ("scheduled", date(2025, 11, 12), "REF-1")


def test_a_notice_recorded_for_after_the_due_day_is_at_risk_before_it() -> None:
    a = assess(case(referral_notice("REF-1", at(date(2025, 11, 13)))), date(2025, 11, 10))
    f = the(a, TO_PARENTS)
    assert (f.status, f.due, f.met_by) == ("at_risk", date(2025, 11, 12), "REF-1")
    assert f not in a.violations


def test_a_notice_given_one_school_day_short_is_late() -> None:
    # Sent Thu 13 Nov: only Fri 14 Nov lies whole between it and Mon 17 Nov.
    a = assess(case(referral_notice("REF-1", at(date(2025, 11, 13), 8, 0))), LATER)
    f = the(a, TO_PARENTS)
    assert (f.status, f.due, f.met_by, f.met_on) == (
        "late",
        date(2025, 11, 12),
        "REF-1",
        date(2025, 11, 13),
    )
    assert f in a.violations
    assert notice_violations(a) == PARENT_RULES


def test_a_notice_sent_late_in_the_evening_of_the_due_day_is_in_time() -> None:
    # The deadline is a day, not a time: a Wed 12 Nov 23:59 email still leaves Thu and Fri clear.
    a = assess(case(referral_notice("REF-1", at(CLEAR_DUE, 23, 59))), LATER)
    assert {the(a, r).status for r in PARENT_RULES} == {"met"}


def test_a_notice_time_with_a_utc_offset_is_dated_in_local_time() -> None:
    # "2025-11-13T00:30:00+01:00" is Wed 12 Nov 23:30 UTC, which is 23:30 GMT in England on
    # Wed 12 Nov: in time. Dropping the offset would date it Thu 13 Nov: late.
    sent = referral_notice("REF-1", at(CLEAR_DUE))
    sent["sent_at"] = "2025-11-13T00:30:00+01:00"
    a = assess(case(sent), LATER)
    f = the(a, TO_PARENTS)
    assert (f.status, f.met_on) == ("met", date(2025, 11, 12))


# --- the clear-days switch ----------------------------------------------------------------------


def test_the_switch_moves_the_due_day_from_the_third_to_the_second_school_day_before() -> None:
    c = case(**EVERY_RULE)
    clear = assess(c, date(2025, 11, 3))
    plain = assess(c, date(2025, 11, 3), PLAIN)
    for rule_id in NOTICE_RULES:
        assert outcome(the(clear, rule_id)) == ("pending", date(2025, 11, 12)), rule_id
        assert outcome(the(plain, rule_id)) == ("pending", date(2025, 11, 13)), rule_id
    (step,) = the(plain, TO_PARENTS).explanation.steps
    assert step == "due: the 2nd school day before Mon 17 Nov 2025 is Thu 13 Nov 2025"


def test_a_notice_on_the_boundary_day_is_late_on_clear_days_but_in_time_on_plain() -> None:
    # Sent Thu 13 Nov: clear days, due Wed 12 Nov, late (only Fri 14 lies between); plain
    # reading, due Thu 13 Nov, in time (Thu 13 and Fri 14 are two school days before Mon 17).
    c = case(referral_notice("REF-1", at(date(2025, 11, 13))))
    clear = assess(c, LATER)
    plain = assess(c, LATER, PLAIN)
    for rule_id in PARENT_RULES:
        assert (the(clear, rule_id).status, the(clear, rule_id).due) == ("late", CLEAR_DUE)
        assert (the(plain, rule_id).status, the(plain, rule_id).due) == ("met", PLAIN_DUE)
    assert notice_violations(clear) == PARENT_RULES
    assert notice_violations(plain) == set()


def test_a_notice_a_day_before_the_boundary_is_in_time_on_both_readings() -> None:
    c = case(referral_notice("REF-1", at(date(2025, 11, 12))))
    assert {the(assess(c, LATER), r).status for r in PARENT_RULES} == {"met"}
    assert {the(assess(c, LATER, PLAIN), r).status for r in PARENT_RULES} == {"met"}


def test_a_notice_on_the_friday_before_a_monday_start_is_late_on_both_readings() -> None:
    # Sent Fri 14 Nov: one school day (itself) before Mon 17 Nov, none clear.
    c = case(referral_notice("REF-1", at(date(2025, 11, 14))))
    assert outcome(the(assess(c, LATER), TO_PARENTS)) == ("late", date(2025, 11, 12))
    assert outcome(the(assess(c, LATER, PLAIN), TO_PARENTS)) == ("late", date(2025, 11, 13))


def test_the_switch_is_recorded_in_each_finding_and_in_the_assessment() -> None:
    for settings, value in ((None, True), (PLAIN, False)):
        a = assess(case(**EVERY_RULE), LATER, settings)
        for rule_id in NOTICE_RULES:
            assert the(a, rule_id).explanation.readings == {"referral_notice_clear_days": value}
        reading = a.readings["referral_notice_clear_days"]
        assert (reading["value"], reading["default"], reading["clause"]) == (value, True, "H.2")


# --- notices on non-school days and across half-term -----------------------------------------
#
# OSD-1 from Thu 30 Oct 2025. Counting back: Wed 29 Oct (1st), Tue 28 Oct (2nd), then Mon 27 Oct
# (INSET), Mon 20 - Fri 24 Oct (half-term) and the weekend are skipped: Fri 17 Oct (3rd). Due
# Fri 17 Oct (clear days) or Tue 28 Oct (plain reading).

OCT30 = date(2025, 10, 30)


def test_the_deadline_before_a_start_after_half_term_skips_the_holiday_and_inset_day() -> None:
    a = assess(case(placements=[direction(OCT30)]), date(2025, 10, 1))
    f = the(a, TO_PARENTS)
    assert (f.status, f.due) == ("pending", date(2025, 10, 17))
    (step,) = f.explanation.steps
    assert "given by the end of Fri 17 Oct 2025" in step
    assert "Mon 20 Oct 2025 to Fri 24 Oct 2025 (holiday between half-terms)" in step
    assert "Mon 27 Oct 2025 (closure (INSET day))" in step
    f = the(assess(case(placements=[direction(OCT30)]), date(2025, 10, 1), PLAIN), TO_PARENTS)
    assert (f.status, f.due) == ("pending", date(2025, 10, 28))


@pytest.mark.parametrize(
    "sent_on",
    [date(2025, 10, 18), date(2025, 10, 22)],
    ids=["saturday", "half-term-wednesday"],
)
def test_a_notice_sent_in_the_holiday_before_two_school_days_is_in_time(sent_on: date) -> None:
    # Between the notice and Thu 30 Oct lie two whole school days, Tue 28 and Wed 29 Oct.
    # Clear days: it counts as given Fri 17 Oct, the due day. Plain: as given Tue 28 Oct, the
    # due day. In time either way.
    c = case(referral_notice("REF-1", at(sent_on, 11, 0)), placements=[direction(OCT30)])
    clear = the(assess(c, date(2025, 11, 3)), TO_PARENTS)
    assert (clear.status, clear.due, clear.met_by) == ("met", date(2025, 10, 17), "REF-1")
    plain = the(assess(c, date(2025, 11, 3), PLAIN), TO_PARENTS)
    assert (plain.status, plain.due, plain.met_by) == ("met", date(2025, 10, 28), "REF-1")


def test_a_saturday_notice_before_a_start_one_school_day_after_half_term_is_late() -> None:
    # OSD-1 from Wed 29 Oct: 1st school day before is Tue 28 Oct, 2nd Fri 17 Oct, 3rd Thu 16 Oct.
    # Sent Sat 18 Oct: only Tue 28 Oct lies between, so one school day's notice. Late on both
    # readings: the weekend and the holiday count for nothing.
    c = case(
        referral_notice("REF-1", at(date(2025, 10, 18))),
        placements=[direction(date(2025, 10, 29))],
    )
    clear = the(assess(c, date(2025, 11, 3)), TO_PARENTS)
    assert outcome(clear) == ("late", date(2025, 10, 16))
    plain = the(assess(c, date(2025, 11, 3), PLAIN), TO_PARENTS)
    assert outcome(plain) == ("late", date(2025, 10, 17))


@pytest.mark.parametrize(
    ("start", "sent_on", "status"),
    [
        # Wed 19 Nov start (due Fri 14 clear, Mon 17 plain); Sat 15 Nov leaves Mon 17 and
        # Tue 18 Nov whole: in time.
        (date(2025, 11, 19), date(2025, 11, 15), "met"),
        # Tue 18 Nov start (due Thu 13 clear, Fri 14 plain); Sun 16 Nov leaves only Mon 17.
        (date(2025, 11, 18), date(2025, 11, 16), "late"),
    ],
    ids=["saturday-in-time", "sunday-late"],
)
def test_a_weekend_notice_is_judged_alike_on_both_readings(
    start: date, sent_on: date, status: str
) -> None:
    # A non-school day never counts itself, so "two school days before" and "two clear school
    # days before" ask the same of it.
    c = case(referral_notice("REF-1", at(sent_on)), placements=[direction(start)])
    assert the(assess(c, LATER), TO_PARENTS).status == status
    assert the(assess(c, LATER, PLAIN), TO_PARENTS).status == status


def test_a_weekend_notice_still_to_come_is_scheduled_not_met_clear_days() -> None:
    # OSD-1 from Thu 30 Oct, due Fri 17 Oct. As of Fri 17 Oct the Sat 18 Oct notice is still to
    # come: arranged in time, not yet done.
    c = case(referral_notice("REF-1", at(date(2025, 10, 18))), placements=[direction(OCT30)])
    f = the(assess(c, date(2025, 10, 17)), TO_PARENTS)
    assert (f.status, f.due, f.met_by) == ("scheduled", date(2025, 10, 17), "REF-1")


def test_a_weekend_notice_already_sent_is_met_not_scheduled_plain_reading() -> None:
    # OSD-1 from Thu 30 Oct, due Tue 28 Oct (plain). As of Mon 20 Oct the Sat 18 Oct notice has
    # been sent, in time: met.
    c = case(referral_notice("REF-1", at(date(2025, 10, 18))), placements=[direction(OCT30)])
    f = the(assess(c, date(2025, 10, 20), PLAIN), TO_PARENTS)
    assert (f.status, f.due, f.met_by) == ("met", date(2025, 10, 28), "REF-1")


def test_a_weekend_notice_is_reported_as_done_on_the_day_it_was_sent() -> None:
    c = case(referral_notice("REF-1", at(date(2025, 10, 18))), placements=[direction(OCT30)])
    for settings in (None, PLAIN):
        f = the(assess(c, date(2025, 11, 3), settings), TO_PARENTS)
        assert f.met_on is not None
        met_on = f.met_on.date() if isinstance(f.met_on, datetime) else f.met_on
        assert met_on == date(2025, 10, 18)
        done = "done: referral_notice REF-1 (Sat 18 Oct 2025"
        assert any(s.startswith(done) for s in f.explanation.steps)


# --- only a written notice counts ---------------------------------------------------------------


@pytest.mark.parametrize("method", ["phone", "in_person"])
def test_a_notice_given_by_phone_or_in_person_meets_no_rule(method: str) -> None:
    everyone = ("parents", "pupil", "local_authority")
    told = referral_notice("REF-1", at(date(2025, 11, 10)), method, to=everyone)
    a = assess(case(told, **EVERY_RULE), LATER)
    for rule_id in NOTICE_RULES:
        f = the(a, rule_id)
        assert (f.status, f.due, f.met_by) == ("overdue", date(2025, 11, 12), None), rule_id
    assert notice_violations(a) == set(NOTICE_RULES)


@pytest.mark.parametrize("method", ["letter", "email", "text_message", "hand_delivered"])
def test_each_written_method_counts(method: str) -> None:
    a = assess(case(referral_notice("REF-1", at(date(2025, 11, 10)), method)), LATER)
    assert {the(a, r).status for r in PARENT_RULES} == {"met"}


def test_a_phone_call_followed_by_a_letter_in_time_is_met_by_the_letter() -> None:
    c = case(
        referral_notice("REF-1", at(date(2025, 11, 10), 9, 0), "phone"),
        referral_notice("REF-2", at(date(2025, 11, 11)), "letter"),
    )
    f = the(assess(c, LATER), ADDRESS_RULE)
    assert (f.status, f.met_by, f.met_on) == ("met", "REF-2", date(2025, 11, 11))


# --- the items of the notice (H.2.i-vi, H.3.i) ------------------------------------------------


@pytest.mark.parametrize("item", sorted(NEEDED_BY))
def test_a_notice_without_an_item_is_a_violation_of_the_clause_that_names_it(item: str) -> None:
    a = assess(case(referral_notice("REF-1", at(date(2025, 11, 10)), omit=(item,))), LATER)
    failed = NEEDED_BY[item]
    assert notice_violations(a) == failed
    for rule_id in PARENT_RULES:
        f = the(a, rule_id)
        if rule_id in failed:
            assert (f.status, f.due, f.met_by) == ("overdue", date(2025, 11, 12), None)
        else:
            assert (f.status, f.met_by) == ("met", "REF-1")
    for f in a.violations:
        if f.rule_id in failed:
            assert f.clause == NOTICE_RULES[f.rule_id]
            assert f.rule_id.startswith(f"{f.clause}-")
            assert f.says == normalise_space(RULES[f.rule_id]["says"])


def test_a_bare_written_notice_notifies_the_parents_but_gives_no_item() -> None:
    a = assess(case(referral_notice("REF-1", at(date(2025, 11, 10)), "letter", only=())), LATER)
    f = the(a, TO_PARENTS)
    assert (f.status, f.due, f.met_by) == ("met", date(2025, 11, 12), "REF-1")
    assert notice_violations(a) == PARENT_RULES - {TO_PARENTS}
    for rule_id in PARENT_RULES - {TO_PARENTS}:
        assert outcome(the(a, rule_id)) == ("overdue", date(2025, 11, 12))


def test_the_address_and_report_to_rules_each_cite_item_iii() -> None:
    # Item iii ("the address for the purposes of receiving the educational provision") ends
    # item ii in the Regulations; both H.2.i and H.2.ii cite it.
    a = assess(case(), LATER)
    for rule_id in (ADDRESS_RULE, REPORT_TO_RULE):
        cited = {c.clause: c.says for c in the(a, rule_id).also_cites if c.clause}
        assert cited.get("H.2.iii") == (
            "the address for the purposes of receiving the educational provision"
        ), rule_id
    for rule_id in (DAYS_RULE, REASONS_RULE, SESSIONS_RULE):
        assert "H.2.iii" not in {c.clause for c in the(a, rule_id).also_cites}


def test_there_is_no_separate_rule_for_item_iii() -> None:
    a = assess(case(**EVERY_RULE), LATER)
    assert not any(f.clause == "H.2.iii" for f in a.findings)


def test_a_second_notice_in_time_supplies_the_missing_item() -> None:
    # REF-1 (Mon 10 Nov) leaves out who the pupil reports to; REF-2 (Wed 12 Nov, the due day)
    # gives it. Nothing is late.
    c = case(
        referral_notice("REF-1", at(date(2025, 11, 10)), omit=("report_to",)),
        referral_notice("REF-2", at(CLEAR_DUE), "letter", only=("report_to",)),
    )
    a = assess(c, LATER)
    f = the(a, REPORT_TO_RULE)
    assert (f.status, f.due, f.met_by, f.met_on) == ("met", CLEAR_DUE, "REF-2", CLEAR_DUE)
    assert (the(a, ADDRESS_RULE).met_by, the(a, TO_PARENTS).met_by) == ("REF-1", "REF-1")
    assert notice_violations(a) == set()


def test_a_second_notice_after_the_deadline_supplies_the_item_late() -> None:
    c = case(
        referral_notice("REF-1", at(date(2025, 11, 10)), omit=("report_to",)),
        referral_notice("REF-2", at(date(2025, 11, 14)), "letter", only=("report_to",)),
    )
    a = assess(c, LATER)
    f = the(a, REPORT_TO_RULE)
    assert (f.status, f.due, f.met_by, f.met_on) == (
        "late",
        date(2025, 11, 12),
        "REF-2",
        date(2025, 11, 14),
    )
    assert notice_violations(a) == {REPORT_TO_RULE}


def test_items_spread_over_two_notices_do_not_combine_for_one_rule() -> None:
    # H.2.v needs reasons and objectives in one notice: reasons in REF-1, objectives in REF-2.
    c = case(
        referral_notice("REF-1", at(date(2025, 11, 10)), omit=("objectives",)),
        referral_notice("REF-2", at(date(2025, 11, 11)), only=("objectives",)),
    )
    f = the(assess(c, LATER), REASONS_RULE)
    assert outcome(f) == ("overdue", date(2025, 11, 12))


def test_reasons_without_objectives_do_not_meet_h2v() -> None:
    a = assess(case(referral_notice("REF-1", at(date(2025, 11, 10)), omit=("objectives",))), LATER)
    assert outcome(the(a, REASONS_RULE)) == ("overdue", date(2025, 11, 12))
    assert the(a, INFO_PARENTS).status == "met"  # H.3.i asks for the reasons only


def test_a_notice_without_review_arrangements_fails_only_h3i() -> None:
    a = assess(
        case(referral_notice("REF-1", at(date(2025, 11, 10)), omit=("review_arrangements",))),
        LATER,
    )
    f = the(a, INFO_PARENTS)
    assert (f.status, f.due, f.clause) == ("overdue", date(2025, 11, 12), "H.3.i")
    assert notice_violations(a) == {INFO_PARENTS}


# --- H.2.vi: session times in the form the provision runs --------------------------------------


def test_single_session_times_do_not_describe_a_two_session_day() -> None:
    c = case(referral_notice("REF-1", at(date(2025, 11, 10)), session_times=SINGLE_SESSION))
    f = the(assess(c, LATER), SESSIONS_RULE)
    assert (f.status, f.due, f.met_by) == ("overdue", date(2025, 11, 12), None)


def test_two_session_times_do_not_describe_a_single_session_day() -> None:
    c = case(
        referral_notice("REF-1", at(date(2025, 11, 10))),
        placements=[direction(sessions=SINGLE_SESSION)],
    )
    f = the(assess(c, LATER), SESSIONS_RULE)
    assert (f.status, f.due) == ("overdue", date(2025, 11, 12))


def test_single_session_times_meet_h2vi_for_a_single_session_day() -> None:
    c = case(
        referral_notice("REF-1", at(date(2025, 11, 10)), session_times=SINGLE_SESSION),
        placements=[direction(sessions=SINGLE_SESSION)],
    )
    f = the(assess(c, LATER), SESSIONS_RULE)
    assert (f.status, f.met_by) == ("met", "REF-1")


@pytest.mark.parametrize("times", [SINGLE_SESSION, TWO_SESSIONS], ids=["single", "two"])
def test_where_the_placement_records_no_session_times_either_form_is_accepted(
    times: dict[str, str],
) -> None:
    c = case(
        referral_notice("REF-1", at(date(2025, 11, 10)), session_times=times),
        placements=[direction(sessions=None)],
    )
    f = the(assess(c, LATER), SESSIONS_RULE)
    assert (f.status, f.due, f.met_by) == ("met", date(2025, 11, 12), "REF-1")


def test_a_placement_without_session_times_still_needs_them_in_the_notice() -> None:
    c = case(
        referral_notice("REF-1", at(date(2025, 11, 10)), omit=("session_times",)),
        placements=[direction(sessions=None)],
    )
    assert outcome(the(assess(c, LATER), SESSIONS_RULE)) == ("overdue", date(2025, 11, 12))


# --- who is told: parents, the adult pupil, the local authority --------------------------------


def test_a_pupil_who_is_18_on_the_first_day_must_be_notified_too() -> None:
    # Born Sat 17 Nov 2007: 18 on Mon 17 Nov 2025, the first day of the provision.
    a = assess(case(referral_notice("REF-1", at(date(2025, 11, 10))), **ADULT), LATER)
    f = the(a, TO_ADULT_PUPIL)
    assert (f.status, f.due, f.met_by) == ("overdue", date(2025, 11, 12), None)
    assert f.explanation.facts["placement"]["pupil_aged_18_or_over"] == "yes"
    assert the(a, TO_PARENTS).status == "met"
    assert notice_violations(a) == {TO_ADULT_PUPIL}


def test_a_notice_to_the_parents_and_the_adult_pupil_meets_both() -> None:
    told = referral_notice("REF-1", at(date(2025, 11, 10)), to=("parents", "pupil"))
    a = assess(case(told, **ADULT), LATER)
    for rule_id in (TO_PARENTS, TO_ADULT_PUPIL):
        f = the(a, rule_id)
        assert (f.status, f.due, f.met_by) == ("met", date(2025, 11, 12), "REF-1")


def test_the_adult_pupils_notice_follows_the_clear_days_switch() -> None:
    told = referral_notice("REF-1", at(date(2025, 11, 13)), "letter", to=("pupil",))
    a = assess(case(told, **ADULT), LATER, PLAIN)
    assert outcome(the(a, TO_ADULT_PUPIL)) == ("met", date(2025, 11, 13))
    assert outcome(the(assess(case(told, **ADULT), LATER), TO_ADULT_PUPIL)) == (
        "late",
        date(2025, 11, 12),
    )


def test_a_notice_to_the_pupil_alone_does_not_notify_the_parents() -> None:
    told = referral_notice("REF-1", at(date(2025, 11, 10)), to=("pupil",))
    a = assess(case(told, **ADULT), LATER)
    assert the(a, TO_ADULT_PUPIL).status == "met"
    assert outcome(the(a, TO_PARENTS)) == ("overdue", date(2025, 11, 12))
    assert outcome(the(a, ADDRESS_RULE)) == ("overdue", date(2025, 11, 12))


@pytest.mark.parametrize(
    "pupil",
    [{"date_of_birth": date(2007, 11, 18), "year_group": 11}, {}],
    ids=["17-on-the-first-day", "no-date-of-birth"],
)
def test_the_adult_pupil_rule_stays_quiet_for_a_pupil_under_18_or_of_unknown_age(
    pupil: dict[str, Any],
) -> None:
    # Born Sun 18 Nov 2007: still 17 on Mon 17 Nov 2025.
    a = assess(case(**pupil), LATER)
    assert TO_ADULT_PUPIL not in rule_ids(a)
    assert TO_PARENTS in rule_ids(a)


def test_a_pupil_who_turns_18_after_the_due_day_but_before_the_first_day_is_notified() -> None:
    # Born Sat 15 Nov 2007: still 17 on Wed 12 Nov, the due day, but 18 on Mon 17 Nov 2025 when
    # the provision begins. Age is taken on the first day, so the notice to them is due too.
    a = assess(case(date_of_birth=date(2007, 11, 15), year_group=13), LATER)
    assert outcome(the(a, TO_ADULT_PUPIL)) == ("overdue", date(2025, 11, 12))


def test_the_adult_pupils_notice_must_include_the_items_too() -> None:
    # The parents get everything on Mon 10 Nov; the 18-year-old pupil only a bare letter saying
    # they are referred. The pupil is notified (H.2), but their notice lacks the items.
    c = case(
        referral_notice("REF-1", at(date(2025, 11, 10))),
        referral_notice("REF-2", at(date(2025, 11, 10)), "letter", to=("pupil",), only=()),
        **ADULT,
    )
    a = assess(c, LATER)
    assert the(a, TO_ADULT_PUPIL).status == "met"
    f = the(a, "H.2-adult-pupil-notice-contents")
    assert (f.status, f.due) == ("overdue", CLEAR_DUE)
    assert f in a.violations


def test_one_complete_notice_to_parents_and_pupil_gives_the_pupil_every_item() -> None:
    c = case(referral_notice("REF-1", at(date(2025, 11, 10)), to=("parents", "pupil")), **ADULT)
    f = the(assess(c, LATER), "H.2-adult-pupil-notice-contents")
    assert (f.status, f.due, f.met_by) == ("met", CLEAR_DUE, "REF-1")


def test_the_adult_pupils_notice_contents_are_not_asked_for_a_pupil_under_18() -> None:
    c = case(referral_notice("REF-1", at(date(2025, 11, 10))))
    assert "H.2-adult-pupil-notice-contents" not in rule_ids(assess(c, LATER))


def test_a_pupil_with_an_ehc_plan_needs_the_local_authority_told() -> None:
    # The parents are told in full, the authority not at all.
    a = assess(case(referral_notice("REF-1", at(date(2025, 11, 10))), ehc_plan=True), LATER)
    f = the(a, INFO_LA)
    assert (f.status, f.due, f.met_by) == ("overdue", date(2025, 11, 12), None)
    assert f.duty_holder == "school"
    assert notice_violations(a) == {INFO_LA}


def test_a_copy_to_the_local_authority_in_time_meets_h3i() -> None:
    c = case(
        referral_notice("REF-1", at(date(2025, 11, 10))),
        referral_notice("REF-2", at(date(2025, 11, 11)), "letter", to=("local_authority",)),
        ehc_plan=True,
    )
    f = the(assess(c, LATER), INFO_LA)
    assert (f.status, f.due, f.met_by, f.met_on) == (
        "met",
        date(2025, 11, 12),
        "REF-2",
        date(2025, 11, 11),
    )


def test_the_local_authority_must_get_the_same_information_as_the_parents() -> None:
    # One notice to the parents and the authority, without the review arrangements: H.3.i is
    # not met for either of them.
    told = referral_notice(
        "REF-1",
        at(date(2025, 11, 10)),
        to=("parents", "local_authority"),
        omit=("review_arrangements",),
    )
    a = assess(case(told, ehc_plan=True), LATER)
    assert outcome(the(a, INFO_LA)) == ("overdue", date(2025, 11, 12))
    assert outcome(the(a, INFO_PARENTS)) == ("overdue", date(2025, 11, 12))
    assert notice_violations(a) == {INFO_LA, INFO_PARENTS}


def test_without_an_ehc_plan_the_local_authority_rule_stays_quiet() -> None:
    a = assess(case(ehc_plan=False, send=True), LATER)
    assert INFO_LA not in rule_ids(a)
    assert INFO_PARENTS in rule_ids(a)


def test_the_local_authority_notice_over_christmas_and_an_inset_day() -> None:
    # OSD-1 from Wed 7 Jan 2026. Counting back: Tue 6 Jan (1st); Mon 5 Jan (INSET), the
    # Christmas holiday and its bank holidays are skipped; Fri 19 Dec 2025 (2nd), Thu 18 Dec
    # (3rd). A copy to the authority on Fri 19 Dec is late on clear days (due Thu 18 Dec) and in
    # time on the plain reading (due Fri 19 Dec).
    start = date(2026, 1, 7)
    c = case(
        referral_notice("REF-1", at(date(2025, 12, 10)), start_date=start),
        referral_notice(
            "REF-2",
            at(date(2025, 12, 19), 12, 0),
            "letter",
            to=("local_authority",),
            start_date=start,
        ),
        placements=[direction(start, arranged_on=date(2025, 12, 1))],
        ehc_plan=True,
    )
    as_of = date(2026, 1, 12)
    clear = the(assess(c, as_of), INFO_LA)
    assert (clear.status, clear.due, clear.met_by) == ("late", date(2025, 12, 18), "REF-2")
    plain = the(assess(c, as_of, PLAIN), INFO_LA)
    assert (plain.status, plain.due, plain.met_by) == ("met", date(2025, 12, 19), "REF-2")
    assert the(assess(c, as_of), INFO_PARENTS).status == "met"


# --- the notice belongs to its placement ------------------------------------------------------


def test_a_notice_about_another_direction_does_not_count() -> None:
    # OSD-2 (from Mon 1 Dec) is notified in full on Mon 10 Nov; OSD-1 (from Mon 17 Nov) is not.
    c = case(
        referral_notice("REF-2", at(date(2025, 11, 10)), placement="OSD-2"),
        placements=[
            direction(),
            direction(date(2025, 12, 1), id="OSD-2", arranged_on=ARRANGED),
        ],
    )
    a = assess(c, LATER)
    f = the(a, TO_PARENTS, "placement OSD-1")
    assert (f.status, f.due, f.met_by) == ("overdue", date(2025, 11, 12), None)
    # OSD-2 from Mon 1 Dec: Fri 28 (1st), Thu 27 (2nd), Wed 26 Nov (3rd).
    g = the(a, TO_PARENTS, "placement OSD-2")
    assert (g.status, g.due, g.met_by) == ("met", date(2025, 11, 26), "REF-2")
