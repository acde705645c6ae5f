"""Policy section H (off-site direction): the rules about reviewing a placement, as legal
scenarios. H.3.iii-v (keeping the placement under review), H.4 (formal review meetings) and
H.9 (reviewing the parents' agreement every term).

Every deadline below is worked out by hand on the example calendar, "Example Borough Council
2025-26" (SchoolCalendar.example()). The dates these tests lean on:

    Nov 2025  Mon 10 the direction is decided; Tue 11 the initial meeting; Mon 17 the
              placement starts. All school days.
    Dec 2025  Mon 1 - Fri 19 school days; Sat 20 Dec - Sun 4 Jan the Christmas holiday.
    Jan 2026  Mon 5 INSET (not a school day); school days from Tue 6.
    Feb 2026  Fri 13 the last school day of spring half-term 1; Mon 16 - Fri 20 half-term;
              school days again from Mon 23.
    Mar 2026  Fri 27 the last school day of the spring term; the Easter holiday runs Sat 28
              Mar - Sun 12 Apr (Fri 3 Apr is Good Friday).
    Apr 2026  Mon 13 the summer term starts.
    May 2026  Fri 22 the last school day of summer half-term 1.
    Jul 2026  Tue 21 the last day of the summer term and of the calendar.

Each placement is an off-site direction OSD-1 of a made-up pupil. Rolling reviews ("every N
weeks") fall due N weeks after the last review held in the previous window (or after the start),
on the last school day on or before that date. A window in which no review was held stays
overdue, and the next counts from its due date; a review held after a due date counts for the
window it falls in, never for the missed one.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from apcompliance import Assessment, Case, PolicySettings
from tests import scenarios
from tests.scenarios import findings, rule_ids, the

DECIDED = date(2025, 11, 10)  # Mon: the direction is decided (arranged_on)
MET = date(2025, 11, 11)  # Tue: the initial meeting, which sets the review interval
START = date(2025, 11, 17)  # Mon: the first day of the provision

PLACEMENT = "placement OSD-1"
KEEP = "H.3.iii-keep-under-review"
FREQUENCY = "H.3.iii-review-frequency-decided"
ON_REQUEST = "H.3.iv-review-meeting-on-request"
TEN_WEEKS = "H.3.iv-ten-week-rule"
EHC = "H.3.iv-review-meetings-for-ehc-plan"
LENGTH = "H.3.v-length-and-reintegration-reviewed"
FORMAL = "H.4-formal-review-meeting"
MAY_END = "H.4-may-end-placement"
TERMLY = "H.9-agreement-reviewed-termly"
ATTENDEES = ("commissioner", "pupil", "parents", "provider")
ATTENDANCE_RULES = {
    "commissioner": "H.4-formal-review-attended-by-commissioner",
    "pupil": "H.4-formal-review-attended-by-pupil",
    "parents": "H.4-formal-review-attended-by-parents",
    "provider": "H.4-formal-review-attended-by-provider",
}
EVERYONE = ATTENDEES

FROM_START = "4 weeks from Mon 17 Nov 2025"


# --- building cases ---------------------------------------------------------------------------


def direction(*, end: date | None = None) -> dict[str, Any]:
    return scenarios.direction(START, DECIDED, **({"end_date": end} if end else {}))


def meeting(held_on: date = MET, weeks: int | None = 4, *, id: str = "MTG-1") -> dict[str, Any]:
    """The initial meeting (H.8, H.10); `weeks` is the review interval decided there."""
    interval = {} if weeks is None else {"review_interval_weeks": weeks}
    return scenarios.initial_meeting(id, held_on, **interval)


def review(
    id: str,
    held_on: date,
    *,
    attendees: tuple[str, ...] = ("commissioner", "parents"),
    covered: tuple[str, ...] = ("progress",),
    meeting: bool = True,
    formal: bool = False,
    parents_consulted: bool = False,
) -> dict[str, Any]:
    return {
        "kind": "placement_review",
        "id": id,
        "placement_id": "OSD-1",
        "held_on": held_on,
        "meeting": meeting,
        "formal": formal,
        "attendees": list(attendees),
        "covered": list(covered),
        "parents_consulted": parents_consulted,
    }


def formal_review(
    id: str, held_on: date, *, attendees: tuple[str, ...] = EVERYONE
) -> dict[str, Any]:
    return review(id, held_on, attendees=attendees, formal=True)


def request(
    id: str, requested_on: date, *, by: str = "parents", in_writing: bool = True
) -> dict[str, Any]:
    return {
        "kind": "review_request",
        "id": id,
        "placement_id": "OSD-1",
        "requested_on": requested_on,
        "by": by,
        "in_writing": in_writing,
    }


def progress(id: str, recorded_on: date, outcome: str = "unsatisfactory") -> dict[str, Any]:
    return {
        "kind": "progress_record",
        "id": id,
        "placement_id": "OSD-1",
        "recorded_on": recorded_on,
        "progress": outcome,
    }


def agreement(id: str, recorded_on: date, outcome: str = "agreed") -> dict[str, Any]:
    return {
        "kind": "parental_agreement",
        "id": id,
        "placement_id": "OSD-1",
        "recorded_on": recorded_on,
        "outcome": outcome,
        "review_arrangements_shared_with": ["parents", "pupil", "provider"],
    }


def case(*events: dict[str, Any], end: date | None = None, **pupil: Any) -> Case:
    """A direction from Mon 17 Nov 2025 with the given events (and nothing else)."""
    return scenarios.case(*events, placements=[direction(end=end)], case_id="CASE-H", **pupil)


def assess(c: Case, as_of: date, settings: PolicySettings | None = None) -> Assessment:
    return scenarios.assess(c, as_of, "H", settings=settings)


def windows(a: Assessment, rule_id: str) -> list[tuple[str | None, object, str, str | None]]:
    """(period, due, status, met_by) of each finding of a recurring rule, in order."""
    return [(f.period, f.due, f.status, f.met_by) for f in findings(a, rule_id, PLACEMENT)]


# --- H.3.iii: keep the placement under review, with the parents involved ---------------------


def test_reviews_chain_from_the_date_each_review_was_actually_held() -> None:
    # Every 4 weeks from Mon 17 Nov 2025: the first review is due by Mon 15 Dec (a school day).
    # It is held early, on Fri 12 Dec, so the next is due 4 weeks after that: Fri 9 Jan 2026
    # (not 4 weeks after 15 Dec). Nothing by Mon 12 Jan: overdue. The next counts from that
    # missed due date: 4 weeks from Fri 9 Jan is Fri 6 Feb, still to come.
    a = assess(case(meeting(), review("REV-1", date(2025, 12, 12))), date(2026, 1, 12))
    assert windows(a, KEEP) == [
        (FROM_START, date(2025, 12, 15), "met", "REV-1"),
        ("4 weeks from Fri 12 Dec 2025", date(2026, 1, 9), "overdue", None),
        ("4 weeks from Fri 9 Jan 2026", date(2026, 2, 6), "pending", None),
    ]
    f = findings(a, KEEP)[1]
    assert (f.status, f.due, f.period) == (
        "overdue",
        date(2026, 1, 9),
        "4 weeks from Fri 12 Dec 2025",
    )
    assert f in a.violations
    assert (f.kind, f.duty_holder, f.subject) == ("obligation", "school", PLACEMENT)


def test_reviews_held_in_time_keep_the_chain_going_and_show_the_next_one() -> None:
    # Fri 12 Dec (due Mon 15 Dec), then Wed 7 Jan 2026 (due Fri 9 Jan); the next is due 4 weeks
    # after Wed 7 Jan: Wed 4 Feb 2026, still to come on Mon 12 Jan.
    c = case(meeting(), review("REV-1", date(2025, 12, 12)), review("REV-2", date(2026, 1, 7)))
    a = assess(c, date(2026, 1, 12))
    assert windows(a, KEEP) == [
        (FROM_START, date(2025, 12, 15), "met", "REV-1"),
        ("4 weeks from Fri 12 Dec 2025", date(2026, 1, 9), "met", "REV-2"),
        ("4 weeks from Wed 7 Jan 2026", date(2026, 2, 4), "pending", None),
    ]
    assert not [f for f in a.violations if f.rule_id == KEEP]


def test_the_first_review_is_pending_before_it_falls_due() -> None:
    a = assess(case(meeting()), date(2025, 12, 1))
    assert windows(a, KEEP) == [(FROM_START, date(2025, 12, 15), "pending", None)]


def test_a_review_after_a_missed_deadline_counts_for_the_next_window() -> None:
    # Due by Mon 15 Dec 2025; the first review is only held on Wed 7 Jan 2026. The first window
    # stays overdue, with nothing to its name; the next counts from its due date, Mon 15 Dec:
    # 4 weeks on is Mon 12 Jan 2026 (a school day), and the review of Wed 7 Jan falls in that
    # window (Tue 16 Dec - Mon 12 Jan), in time. The third counts from Wed 7 Jan: due Wed 4
    # Feb, still to come on Tue 20 Jan.
    a = assess(case(meeting(), review("REV-1", date(2026, 1, 7))), date(2026, 1, 20))
    assert windows(a, KEEP) == [
        (FROM_START, date(2025, 12, 15), "overdue", None),
        ("4 weeks from Mon 15 Dec 2025", date(2026, 1, 12), "met", "REV-1"),
        ("4 weeks from Wed 7 Jan 2026", date(2026, 2, 4), "pending", None),
    ]
    missed, met, _ = findings(a, KEEP)
    assert (missed.met_by, missed.met_on) == (None, None)
    assert missed in a.violations
    assert (met.met_by, met.met_on) == ("REV-1", date(2026, 1, 7))
    assert met not in a.violations


def test_every_missed_window_is_overdue_up_to_the_evaluation_date() -> None:
    # No review at all. Each window counts from the previous one's due date, 4 weeks on:
    #   from Mon 17 Nov 2025: Mon 15 Dec        from Mon 15 Dec: Mon 12 Jan 2026
    #   from Mon 12 Jan:      Mon 9 Feb         from Mon 9 Feb:  Mon 9 Mar
    #   from Mon 9 Mar:       Mon 6 Apr is Easter Monday, in the holiday: Fri 27 Mar
    #   from Fri 27 Mar:      Fri 24 Apr        from Fri 24 Apr: Fri 22 May
    #   from Fri 22 May:      Fri 19 Jun        from Fri 19 Jun: Fri 17 Jul
    # On Mon 8 Jun 2026 the first seven are overdue and the one due Fri 19 Jun is still to come.
    a = assess(case(meeting()), date(2026, 6, 8))
    assert windows(a, KEEP) == [
        (FROM_START, date(2025, 12, 15), "overdue", None),
        ("4 weeks from Mon 15 Dec 2025", date(2026, 1, 12), "overdue", None),
        ("4 weeks from Mon 12 Jan 2026", date(2026, 2, 9), "overdue", None),
        ("4 weeks from Mon 9 Feb 2026", date(2026, 3, 9), "overdue", None),
        ("4 weeks from Mon 9 Mar 2026", date(2026, 3, 27), "overdue", None),
        ("4 weeks from Fri 27 Mar 2026", date(2026, 4, 24), "overdue", None),
        ("4 weeks from Fri 24 Apr 2026", date(2026, 5, 22), "overdue", None),
        ("4 weeks from Fri 22 May 2026", date(2026, 6, 19), "pending", None),
    ]
    overdue = [f for f in a.violations if f.rule_id == KEEP]
    assert len(overdue) == 7
    assert len({f.period for f in overdue}) == 7  # one finding per missed window
    # On Tue 21 Jul, the calendar's last day, the window due Fri 17 Jul is overdue too; the next
    # (4 weeks from Fri 17 Jul: Fri 14 Aug) is beyond the calendar and not shown.
    a = assess(case(meeting()), date(2026, 7, 21))
    assert [f.due for f in findings(a, KEEP)][-3:] == [
        date(2026, 5, 22),
        date(2026, 6, 19),
        date(2026, 7, 17),
    ]
    assert [f.status for f in findings(a, KEEP)] == ["overdue"] * 9


def test_a_review_without_the_parents_involved_does_not_count() -> None:
    # Fri 12 Dec: the commissioner and the provider review the placement; the parents neither
    # attend nor give their views. It does not meet H.3.iii.
    # The first window stays overdue; the next counts from its due date, Mon 15 Dec, and is due
    # Mon 12 Jan 2026, the evaluation date.
    c = case(meeting(), review("REV-1", date(2025, 12, 12), attendees=("commissioner", "provider")))
    a = assess(c, date(2026, 1, 12))
    assert windows(a, KEEP) == [
        (FROM_START, date(2025, 12, 15), "overdue", None),
        ("4 weeks from Mon 15 Dec 2025", date(2026, 1, 12), "due_today", None),
    ]


def test_parents_who_give_their_views_without_attending_are_involved() -> None:
    c = case(
        meeting(),
        review("REV-1", date(2025, 12, 12), attendees=("commissioner",), parents_consulted=True),
    )
    a = assess(c, date(2026, 1, 5))
    assert windows(a, KEEP) == [
        (FROM_START, date(2025, 12, 15), "met", "REV-1"),
        ("4 weeks from Fri 12 Dec 2025", date(2026, 1, 9), "pending", None),
    ]


MONTHLY = (
    review("REV-1", date(2025, 12, 12)),  # due Mon 15 Dec
    review("REV-2", date(2026, 1, 9)),  # due Fri 9 Jan (4 weeks from Fri 12 Dec)
    review("REV-3", date(2026, 2, 6)),  # due Fri 6 Feb (4 weeks from Fri 9 Jan)
    review("REV-4", date(2026, 3, 6)),  # due Fri 6 Mar (4 weeks from Fri 6 Feb)
)


def test_a_window_falling_due_in_the_easter_holiday_is_due_on_the_last_school_day() -> None:
    # 4 weeks from Fri 6 Mar is Fri 3 Apr 2026, Good Friday in the Easter holiday: the review is
    # due by the last school day before it, Fri 27 Mar. Nothing by Mon 20 Apr: overdue. The next
    # counts from that due date: 4 weeks from Fri 27 Mar is Fri 24 Apr, still to come.
    a = assess(case(meeting(), *MONTHLY), date(2026, 4, 20))
    assert windows(a, KEEP)[-2:] == [
        ("4 weeks from Fri 6 Mar 2026", date(2026, 3, 27), "overdue", None),
        ("4 weeks from Fri 27 Mar 2026", date(2026, 4, 24), "pending", None),
    ]
    assert [f.status for f in findings(a, KEEP)] == ["met"] * 4 + ["overdue", "pending"]


def test_the_end_of_the_placement_cuts_off_later_windows() -> None:
    # The placement ends on Fri 20 Mar 2026, before the fifth review's due date (Fri 27 Mar):
    # that review is not required. Four windows, all met; nothing overdue on Mon 20 Apr.
    a = assess(case(meeting(), *MONTHLY, end=date(2026, 3, 20)), date(2026, 4, 20))
    assert windows(a, KEEP) == [
        (FROM_START, date(2025, 12, 15), "met", "REV-1"),
        ("4 weeks from Fri 12 Dec 2025", date(2026, 1, 9), "met", "REV-2"),
        ("4 weeks from Fri 9 Jan 2026", date(2026, 2, 6), "met", "REV-3"),
        ("4 weeks from Fri 6 Feb 2026", date(2026, 3, 6), "met", "REV-4"),
    ]


def test_a_placement_ending_on_the_due_day_still_needs_that_review() -> None:
    a = assess(case(meeting(), *MONTHLY, end=date(2026, 3, 27)), date(2026, 4, 20))
    assert windows(a, KEEP)[-1] == (
        "4 weeks from Fri 6 Mar 2026",
        date(2026, 3, 27),
        "overdue",
        None,
    )


def test_a_finished_placement_can_be_assessed_after_the_calendar_ends() -> None:
    # Ended Fri 20 Mar 2026: no window reaches beyond the calendar, so an assessment on
    # Tue 1 Sep 2026 (after the calendar's last day, Tue 21 Jul) still dates every review.
    a = assess(case(meeting(), *MONTHLY, end=date(2026, 3, 20)), date(2026, 9, 1))
    assert [f.status for f in findings(a, KEEP)] == ["met"] * 4


def test_an_open_placement_cannot_be_dated_after_the_calendar_ends() -> None:
    # The rolling reviews run past the calendar's last day: those findings are undetermined
    # (naming the date), never guessed, and the rest of the case is still assessed.
    a = assess(case(meeting(), *MONTHLY), date(2026, 9, 1))
    undetermined = [f for f in a.findings if f.status == "undetermined"]
    assert undetermined and all("2026-09-01" in f.missing[0] for f in undetermined)
    assert any(f.status != "undetermined" for f in a.findings)


def test_without_a_review_interval_the_rolling_review_rules_stay_quiet() -> None:
    # The initial meeting did not decide how often to review: H.3.iii cannot be dated (and its
    # companion H.3.iii-review-frequency-decided reports the gap).
    a = assess(case(meeting(weeks=None), ehc_plan=True), date(2026, 1, 12))
    assert not {KEEP, EHC, LENGTH} & rule_ids(a)
    f = the(a, FREQUENCY)
    assert (f.status, f.due, f.met_by) == ("overdue", START, None)


def test_the_interval_from_the_latest_initial_meeting_is_used() -> None:
    # A second meeting on Thu 13 Nov sets 6 weeks: the first review is due 6 weeks from Mon 17
    # Nov, Mon 29 Dec, in the Christmas holiday, so by the last school day before it, Fri 19 Dec.
    c = case(meeting(), meeting(date(2025, 11, 13), 6, id="MTG-2"))
    a = assess(c, date(2025, 12, 1))
    assert windows(a, KEEP) == [
        ("6 weeks from Mon 17 Nov 2025", date(2025, 12, 19), "pending", None)
    ]


# --- H.3.iii: the frequency is decided, before the placement begins ---------------------------


def test_the_review_frequency_decided_at_the_initial_meeting_is_met() -> None:
    f = the(assess(case(meeting()), date(2025, 12, 1)), FREQUENCY)
    assert (f.status, f.due, f.met_by, f.met_on) == ("met", START, "MTG-1", MET)


def test_a_frequency_decided_only_after_the_placement_began_is_late() -> None:
    # The placement began on Mon 17 Nov; the interval was only set on Tue 18 Nov.
    c = case(meeting(weeks=None), meeting(date(2025, 11, 18), id="MTG-2"))
    f = the(assess(c, date(2025, 12, 1)), FREQUENCY)
    assert (f.status, f.due, f.met_by) == ("late", START, "MTG-2")


# --- H.3.iv: a review meeting on the parents' request ----------------------------------------


def test_a_parents_request_needs_a_meeting_within_ten_school_days() -> None:
    # Requested Wed 10 Dec 2025 (day 1): Thu 11 (2), Fri 12 (3), Mon 15 (4), Tue 16 (5), Wed 17
    # (6), Thu 18 (7), Fri 19 (8); the Christmas holiday and Mon 5 Jan (INSET) are not counted;
    # Tue 6 Jan (9), Wed 7 Jan 2026 (10). No meeting by Mon 12 Jan: overdue.
    a = assess(case(meeting(), request("REQ-1", date(2025, 12, 10))), date(2026, 1, 12))
    f = the(a, ON_REQUEST)
    assert (f.status, f.due, f.subject) == ("overdue", date(2026, 1, 7), "review_request REQ-1")
    assert f.explanation.readings == {"follow_up_within_school_days": 10}
    assert TEN_WEEKS not in rule_ids(a)  # no meeting in the ten weeks before it


def test_a_review_meeting_after_the_request_meets_it() -> None:
    c = case(meeting(), request("REQ-1", date(2025, 12, 10)), review("REV-1", date(2025, 12, 16)))
    f = the(assess(c, date(2026, 1, 12)), ON_REQUEST)
    assert (f.status, f.due, f.met_by) == ("met", date(2026, 1, 7), "REV-1")


def test_a_review_that_was_not_a_meeting_does_not_answer_the_request() -> None:
    paper = review("REV-1", date(2025, 12, 16), meeting=False, parents_consulted=True)
    f = the(
        assess(case(meeting(), request("REQ-1", date(2025, 12, 10)), paper), date(2026, 1, 12)),
        ON_REQUEST,
    )
    assert (f.status, f.due) == ("overdue", date(2026, 1, 7))


def test_the_follow_up_switch_sets_the_deadline() -> None:
    # follow_up_within_school_days = 5: Wed 10 (1), Thu 11, Fri 12, Mon 15, Tue 16 Dec (5).
    settings = PolicySettings(follow_up_within_school_days=5)
    a = assess(case(meeting(), request("REQ-1", date(2025, 12, 10))), date(2026, 1, 12), settings)
    f = the(a, ON_REQUEST)
    assert (f.status, f.due) == ("overdue", date(2025, 12, 16))
    assert f.explanation.readings == {"follow_up_within_school_days": 5}


def test_a_request_by_the_local_authority_is_not_a_parents_request() -> None:
    c = case(meeting(), request("REQ-1", date(2025, 12, 10), by="local_authority"))
    a = assess(c, date(2026, 1, 12))
    assert ON_REQUEST not in rule_ids(a)
    assert TEN_WEEKS not in rule_ids(a)


def test_the_ten_week_rule_is_noted_alongside_the_policys_own_duty() -> None:
    # A review meeting on Fri 12 Dec 2025; the parents ask in writing on Fri 6 Feb 2026, eight
    # weeks later. The Regulations do not require a meeting, but the policy still does: the
    # 10th school day from Fri 6 Feb is Fri 6 (1), Mon 9 - Fri 13 (2-6), half-term skipped, Mon
    # 23 (7), Tue 24 (8), Wed 25 (9), Thu 26 Feb (10). The 12 Dec meeting came before the request
    # and does not answer it: overdue on Mon 2 Mar.
    c = case(meeting(), review("REV-1", date(2025, 12, 12)), request("REQ-1", date(2026, 2, 6)))
    a = assess(c, date(2026, 3, 2))
    permission = the(a, TEN_WEEKS)
    assert (permission.kind, permission.status, permission.due) == ("permission", "permitted", None)
    assert permission.subject == "review_request REQ-1"
    assert permission in a.advisories
    assert permission not in a.violations
    duty = the(a, ON_REQUEST)
    assert (duty.status, duty.due, duty.met_by) == ("overdue", date(2026, 2, 26), None)


def test_the_ten_week_rule_needs_a_written_request() -> None:
    c = case(
        meeting(),
        review("REV-1", date(2025, 12, 12)),
        request("REQ-1", date(2026, 2, 6), in_writing=False),
    )
    a = assess(c, date(2026, 3, 2))
    assert TEN_WEEKS not in rule_ids(a)
    assert the(a, ON_REQUEST).status == "overdue"


def test_the_ten_week_rule_does_not_reach_a_meeting_eleven_weeks_before() -> None:
    # Fri 12 Dec 2025 + 11 weeks = Fri 27 Feb 2026.
    c = case(meeting(), review("REV-1", date(2025, 12, 12)), request("REQ-1", date(2026, 2, 27)))
    assert TEN_WEEKS not in rule_ids(assess(c, date(2026, 3, 2)))


@pytest.mark.parametrize(
    ("requested", "applies"),
    [
        (date(2026, 2, 19), True),  # Thu 11 Dec 2025 + 10 weeks: the meeting's day counts
        (date(2026, 2, 20), False),  # ten weeks and a day
        (date(2025, 12, 12), True),  # the day after the meeting
        (date(2025, 12, 11), False),  # the same day: a meeting that day is not before it
    ],
)
def test_the_ten_weeks_are_counted_to_the_day(requested: date, applies: bool) -> None:
    """The existence test of meeting_in_previous_ten_weeks (rules/terms.yaml): a review
    meeting held from ten weeks before the request up to the day before it."""
    c = case(meeting(), review("REV-1", date(2025, 12, 11)), request("REQ-1", requested))
    assert (TEN_WEEKS in rule_ids(assess(c, date(2026, 3, 2)))) is applies


def test_the_ten_week_rule_counts_meetings_not_paper_reviews() -> None:
    paper = review("REV-1", date(2025, 12, 12), meeting=False, parents_consulted=True)
    c = case(meeting(), paper, request("REQ-1", date(2026, 2, 6)))
    assert TEN_WEEKS not in rule_ids(assess(c, date(2026, 3, 2)))


# --- H.3.iv: for a pupil with an EHC plan, each review is a meeting ---------------------------


def test_a_pupil_with_an_ehc_plan_needs_each_review_held_as_a_meeting() -> None:
    # Fri 12 Dec: a paper review with the parents' views. It meets H.3.iii but not H.3.iv's EHC
    # plan duty, whose first window (due Mon 15 Dec) is overdue on Mon 12 Jan; its second counts
    # from that due date and is due that very day, Mon 12 Jan.
    paper = review("REV-1", date(2025, 12, 12), meeting=False, parents_consulted=True)
    a = assess(case(meeting(), paper, ehc_plan=True), date(2026, 1, 12))
    assert windows(a, EHC) == [
        (FROM_START, date(2025, 12, 15), "overdue", None),
        ("4 weeks from Mon 15 Dec 2025", date(2026, 1, 12), "due_today", None),
    ]
    assert windows(a, KEEP)[0] == (FROM_START, date(2025, 12, 15), "met", "REV-1")


def test_review_meetings_meet_the_ehc_plan_duty() -> None:
    a = assess(
        case(meeting(), review("REV-1", date(2025, 12, 12)), ehc_plan=True), date(2026, 1, 5)
    )
    assert windows(a, EHC) == [
        (FROM_START, date(2025, 12, 15), "met", "REV-1"),
        ("4 weeks from Fri 12 Dec 2025", date(2026, 1, 9), "pending", None),
    ]


def test_the_ehc_plan_duty_does_not_apply_without_a_plan() -> None:
    a = assess(case(meeting(), ehc_plan=False), date(2026, 1, 12))
    assert EHC not in rule_ids(a)
    assert KEEP in rule_ids(a)


# --- H.3.v: the length of the placement and the reintegration plan ----------------------------


def test_a_review_must_cover_both_the_length_and_the_reintegration_plan() -> None:
    partial = review("REV-1", date(2025, 12, 12), covered=("progress", "length_of_placement"))
    a = assess(case(meeting(), partial), date(2026, 1, 12))
    assert windows(a, LENGTH) == [
        (FROM_START, date(2025, 12, 15), "overdue", None),
        ("4 weeks from Mon 15 Dec 2025", date(2026, 1, 12), "due_today", None),
    ]


def test_a_review_covering_both_meets_h3v() -> None:
    both = review(
        "REV-1", date(2025, 12, 12), covered=("length_of_placement", "reintegration_plan")
    )
    a = assess(case(meeting(), both), date(2026, 1, 5))
    assert windows(a, LENGTH) == [
        (FROM_START, date(2025, 12, 15), "met", "REV-1"),
        ("4 weeks from Fri 12 Dec 2025", date(2026, 1, 9), "pending", None),
    ]


# --- H.4: a formal review meeting after unsatisfactory progress -------------------------------

# Progress recorded unsatisfactory on Mon 9 Feb 2026 (day 1): Tue 10 (2), Wed 11 (3), Thu 12 (4),
# Fri 13 (5); half-term Mon 16 - Fri 20 Feb and the weekends are not counted; Mon 23 (6), Tue 24
# (7), Wed 25 (8), Thu 26 (9), Fri 27 Feb 2026 (10).
FEB9 = date(2026, 2, 9)
FORMAL_DUE = date(2026, 2, 27)


def test_unsatisfactory_progress_needs_a_formal_review_within_ten_school_days() -> None:
    a = assess(case(meeting(), progress("PRG-1", FEB9)), date(2026, 3, 2))
    f = the(a, FORMAL)
    assert (f.status, f.due, f.subject) == ("overdue", FORMAL_DUE, "progress_record PRG-1")
    assert f.explanation.readings == {"follow_up_within_school_days": 10}
    assert f in a.violations


def test_the_formal_review_deadline_counts_over_a_weekend() -> None:
    # Thu 8 Jan 2026 (1), Fri 9 (2), Mon 12 - Fri 16 (3-7), Mon 19 (8), Tue 20 (9), Wed 21 (10).
    a = assess(case(meeting(), progress("PRG-1", date(2026, 1, 8))), date(2026, 1, 21))
    f = the(a, FORMAL)
    assert (f.status, f.due) == ("due_today", date(2026, 1, 21))


def test_a_formal_review_within_the_deadline_meets_it() -> None:
    c = case(meeting(), progress("PRG-1", FEB9), formal_review("FRM-1", date(2026, 2, 25)))
    f = the(assess(c, date(2026, 3, 2)), FORMAL)
    assert (f.status, f.due, f.met_by) == ("met", FORMAL_DUE, "FRM-1")


def test_a_formal_review_booked_after_half_term_is_scheduled_during_it() -> None:
    c = case(meeting(), progress("PRG-1", FEB9), formal_review("FRM-1", date(2026, 2, 24)))
    f = the(assess(c, date(2026, 2, 18)), FORMAL)
    assert (f.status, f.due, f.met_by) == ("scheduled", FORMAL_DUE, "FRM-1")


def test_a_formal_review_before_the_progress_record_does_not_meet_it() -> None:
    # Fri 6 Feb: a formal review; Mon 9 Feb: progress found unsatisfactory. It needs a formal
    # review on or after 9 Feb.
    c = case(meeting(), formal_review("FRM-0", date(2026, 2, 6)), progress("PRG-1", FEB9))
    f = the(assess(c, date(2026, 3, 2)), FORMAL)
    assert (f.status, f.due, f.met_by) == ("overdue", FORMAL_DUE, None)


def test_an_ordinary_review_is_not_a_formal_review() -> None:
    c = case(meeting(), progress("PRG-1", FEB9), review("REV-1", date(2026, 2, 25)))
    f = the(assess(c, date(2026, 3, 2)), FORMAL)
    assert f.status == "overdue"


def test_satisfactory_progress_needs_no_formal_review() -> None:
    a = assess(case(meeting(), progress("PRG-1", FEB9, "satisfactory")), date(2026, 3, 2))
    assert FORMAL not in rule_ids(a)


# --- H.4: who attends the formal review meeting ----------------------------------------------


@pytest.mark.parametrize("absent", ATTENDEES)
def test_each_missing_attendee_breaches_its_own_requirement(absent: str) -> None:
    present = tuple(x for x in ATTENDEES if x != absent)
    c = case(
        meeting(),
        progress("PRG-1", FEB9),
        formal_review("FRM-1", date(2026, 2, 25), attendees=present),
    )
    a = assess(c, date(2026, 3, 2))
    broken = [f for f in a.findings if f.rule_id.startswith("H.4-formal-review-attended-by-")]
    assert [f.rule_id for f in broken] == [ATTENDANCE_RULES[absent]]
    (f,) = broken
    assert (f.kind, f.status, f.due, f.subject) == (
        "requirement",
        "breached",
        date(2026, 2, 25),
        "placement_review FRM-1",
    )
    assert f in a.violations
    assert the(a, FORMAL).status == "met"  # the meeting itself was held in time


def test_a_formal_review_everyone_attended_breaches_nothing() -> None:
    c = case(meeting(), progress("PRG-1", FEB9), formal_review("FRM-1", date(2026, 2, 25)))
    a = assess(c, date(2026, 3, 2))
    assert not set(ATTENDANCE_RULES.values()) & rule_ids(a)


def test_attendance_at_an_ordinary_review_is_not_checked_under_h4() -> None:
    c = case(meeting(), review("REV-1", date(2025, 12, 12), attendees=("parents",)))
    a = assess(c, date(2026, 1, 5))
    assert not set(ATTENDANCE_RULES.values()) & rule_ids(a)


# --- H.4 / N.7: the school may end the placement after three formal reviews ------------------

# Progress found unsatisfactory on Thu 8 Jan 2026; formal reviews on Thu 15 Jan, Thu 5 Feb and
# Thu 5 Mar 2026, with no improvement recorded.
JAN8 = date(2026, 1, 8)
THREE_FORMAL = (
    formal_review("FRM-1", date(2026, 1, 15)),
    formal_review("FRM-2", date(2026, 2, 5)),
    formal_review("FRM-3", date(2026, 3, 5)),
)


def test_three_formal_reviews_without_improvement_permit_ending_the_placement() -> None:
    a = assess(case(meeting(), progress("PRG-1", JAN8), *THREE_FORMAL), date(2026, 3, 9))
    f = the(a, MAY_END)
    assert (f.kind, f.status, f.due, f.subject) == ("permission", "permitted", None, PLACEMENT)
    assert f in a.advisories
    assert f not in a.violations
    assert f.explanation.facts["placement"]["formal_reviews_without_improvement"] == 3


def test_two_formal_reviews_are_not_yet_enough() -> None:
    a = assess(case(meeting(), progress("PRG-1", JAN8), *THREE_FORMAL[:2]), date(2026, 3, 9))
    assert MAY_END not in rule_ids(a)


def test_a_formal_review_before_progress_was_found_unsatisfactory_does_not_count() -> None:
    # FRM-0 on Tue 6 Jan precedes the unsatisfactory record of Thu 8 Jan: two count, not three.
    c = case(
        meeting(),
        formal_review("FRM-0", date(2026, 1, 6)),
        progress("PRG-1", JAN8),
        *THREE_FORMAL[:2],
    )
    assert MAY_END not in rule_ids(assess(c, date(2026, 3, 9)))


def test_satisfactory_progress_after_the_reviews_withdraws_the_permission() -> None:
    c = case(
        meeting(),
        progress("PRG-1", JAN8),
        *THREE_FORMAL,
        progress("PRG-2", date(2026, 3, 9), "satisfactory"),
    )
    assert MAY_END not in rule_ids(assess(c, date(2026, 3, 10)))


def test_the_count_restarts_when_progress_slips_again_after_improving() -> None:
    # Satisfactory on Mon 9 Mar, unsatisfactory again on Mon 16 Mar: only the formal reviews
    # from 16 Mar count, and there is one (Thu 19 Mar).
    c = case(
        meeting(),
        progress("PRG-1", JAN8),
        *THREE_FORMAL,
        progress("PRG-2", date(2026, 3, 9), "satisfactory"),
        progress("PRG-3", date(2026, 3, 16)),
        formal_review("FRM-4", date(2026, 3, 19)),
    )
    assert MAY_END not in rule_ids(assess(c, date(2026, 3, 23)))


def test_a_third_formal_review_still_to_come_does_not_yet_permit_ending() -> None:
    # On Mon 9 Feb 2026 only FRM-1 (15 Jan) and FRM-2 (5 Feb) have been held; FRM-3 is booked
    # for Thu 5 Mar. "Following further formal review meetings" (read as N.7: three) has not
    # happened yet.
    a = assess(case(meeting(), progress("PRG-1", JAN8), *THREE_FORMAL), date(2026, 2, 9))
    assert MAY_END not in rule_ids(a)


# --- H.9: the parents' agreement reviewed every term -----------------------------------------

AGREED = date(2025, 11, 11)  # Tue, in the autumn term (and in its second half-term)


def agreement_review(id: str, held_on: date) -> dict[str, Any]:
    return review(id, held_on, covered=("progress", "parental_agreement"))


def test_termly_agreement_reviews_by_term() -> None:
    # Agreed in the autumn term: reviews are due in the spring term (5 Jan - 27 Mar 2026, by its
    # last school day Fri 27 Mar) and the summer term (13 Apr - 21 Jul 2026, by Tue 21 Jul).
    # A review of the agreement on Thu 12 Mar meets the spring term; summer is still to come.
    c = case(meeting(), agreement("AGR-1", AGREED), agreement_review("REV-1", date(2026, 3, 12)))
    a = assess(c, date(2026, 4, 20))
    assert windows(a, TERMLY) == [
        ("spring term 2026", date(2026, 3, 27), "met", "REV-1"),
        ("summer term 2026", date(2026, 7, 21), "pending", None),
    ]
    for f in findings(a, TERMLY):
        assert f.explanation.readings == {"termly_means": "term"}


HALF_TERMS = PolicySettings(termly_means="half_term")


def test_termly_agreement_reviews_by_half_term() -> None:
    # termly_means = half_term: agreed in autumn half-term 2, so the first block due is spring
    # half-term 1 (5 Jan - 13 Feb, by Fri 13 Feb), met on Thu 12 Feb; spring half-term 2 (23 Feb
    # - 27 Mar, by Fri 27 Mar) is met on Thu 12 Mar; summer half-term 1 (13 Apr - 22 May, by Fri
    # 22 May) is still to come on Mon 20 Apr.
    c = case(
        meeting(),
        agreement("AGR-1", AGREED),
        agreement_review("REV-1", date(2026, 2, 12)),
        agreement_review("REV-2", date(2026, 3, 12)),
    )
    a = assess(c, date(2026, 4, 20), HALF_TERMS)
    assert windows(a, TERMLY) == [
        ("spring term 2026, half-term 1", date(2026, 2, 13), "met", "REV-1"),
        ("spring term 2026, half-term 2", date(2026, 3, 27), "met", "REV-2"),
        ("summer term 2026, half-term 1", date(2026, 5, 22), "pending", None),
    ]
    for f in findings(a, TERMLY):
        assert f.explanation.readings == {"termly_means": "half_term"}
    assert a.readings["termly_means"]["value"] == "half_term"


def test_no_agreement_reviews_by_half_term_are_overdue_block_by_block() -> None:
    # Unlike a rolling interval, a fixed block is due whether or not the last one was done.
    a = assess(case(meeting(), agreement("AGR-1", AGREED)), date(2026, 4, 20), HALF_TERMS)
    assert windows(a, TERMLY) == [
        ("spring term 2026, half-term 1", date(2026, 2, 13), "overdue", None),
        ("spring term 2026, half-term 2", date(2026, 3, 27), "overdue", None),
        ("summer term 2026, half-term 1", date(2026, 5, 22), "pending", None),
    ]
    f = findings(a, TERMLY)[0]
    assert (f.status, f.due, f.period) == (
        "overdue",
        date(2026, 2, 13),
        "spring term 2026, half-term 1",
    )
    assert f in a.violations


def test_the_same_case_by_term_has_one_spring_review_due() -> None:
    a = assess(case(meeting(), agreement("AGR-1", AGREED)), date(2026, 4, 20))
    assert windows(a, TERMLY) == [
        ("spring term 2026", date(2026, 3, 27), "overdue", None),
        ("summer term 2026", date(2026, 7, 21), "pending", None),
    ]
    assert findings(a, TERMLY)[0].explanation.readings == {"termly_means": "term"}


def test_a_review_in_the_next_half_term_is_not_a_late_review_of_the_missed_one() -> None:
    # Nothing in spring half-term 1 (due Fri 13 Feb); one review on Thu 12 Mar, in spring
    # half-term 2. That review is half-term 2's; half-term 1's review was never held.
    c = case(meeting(), agreement("AGR-1", AGREED), agreement_review("REV-1", date(2026, 3, 12)))
    a = assess(c, date(2026, 4, 20), HALF_TERMS)
    assert windows(a, TERMLY)[:2] == [
        ("spring term 2026, half-term 1", date(2026, 2, 13), "overdue", None),
        ("spring term 2026, half-term 2", date(2026, 3, 27), "met", "REV-1"),
    ]


def test_a_review_in_the_term_of_the_agreement_does_not_count_for_the_next() -> None:
    # Reviewed on Fri 12 Dec 2025, still in the autumn term: the spring term's review (due Fri 27
    # Mar 2026) is missing on Mon 30 Mar.
    c = case(meeting(), agreement("AGR-1", AGREED), agreement_review("REV-1", date(2025, 12, 12)))
    a = assess(c, date(2026, 3, 30))
    assert windows(a, TERMLY) == [
        ("spring term 2026", date(2026, 3, 27), "overdue", None),
        ("summer term 2026", date(2026, 7, 21), "pending", None),
    ]


def test_a_review_not_covering_the_agreement_does_not_count() -> None:
    c = case(meeting(), agreement("AGR-1", AGREED), review("REV-1", date(2026, 3, 12)))
    a = assess(c, date(2026, 3, 30))
    assert windows(a, TERMLY)[0] == ("spring term 2026", date(2026, 3, 27), "overdue", None)


def test_a_placement_ending_before_the_summer_term_ends_needs_no_summer_review() -> None:
    # Ends Fri 27 Mar 2026, the spring term's last day: spring is due, summer is not.
    c = case(
        meeting(),
        agreement("AGR-1", AGREED),
        agreement_review("REV-1", date(2026, 3, 12)),
        end=date(2026, 3, 27),
    )
    a = assess(c, date(2026, 4, 20))
    assert windows(a, TERMLY) == [("spring term 2026", date(2026, 3, 27), "met", "REV-1")]


def test_no_termly_review_where_the_parents_did_not_agree() -> None:
    a = assess(case(meeting(), agreement("AGR-1", AGREED, "refused")), date(2026, 4, 20))
    assert TERMLY not in rule_ids(a)
