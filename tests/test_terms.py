"""Named terms (rules/terms.yaml): each definition true, false and, where a value can be
missing or outside the calendar, unknown; references to the term's own fact under any alias;
the loader refusing a bad term, naming the file and the term; and the census of the rule
language (benchmarks.rule_language_census) at its goals."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest

from apcompliance import SchoolCalendar
from apcompliance.errors import RuleFileError
from apcompliance.facts.vocabulary import FACT_TYPES, EngineFact
from apcompliance.language.conditions import Term
from apcompliance.language.parse import Parser
from apcompliance.language.rulebook import load_rulebook
from apcompliance.language.semantics import Context, evaluate
from benchmarks import rule_language_census
from tests.test_rulebook import with_rule

CALENDAR = SchoolCalendar.example()
"""2025-09-01 to 2026-07-21; the first school day is Wed 3 Sep 2025 (two INSET days)."""


def fact(type_name: str, **values: Any) -> EngineFact:
    """A fact of the type with only the given fields (the others not recorded)."""
    cls = FACT_TYPES[type_name]
    fields = dict.fromkeys(cls.model_fields) | {"id": "F-1"} | values
    return cls.model_construct(**fields)


def truth(
    fact_type: str,
    term: str,
    alias: str | None = None,
    *,
    ctx: Context | None = None,
    **values: Any,
) -> bool | None:
    """Whether the named condition holds of a fact with these fields, bound to `alias`."""
    alias = alias or fact_type
    ctx = ctx or Context(CALENDAR)
    parser = Parser({alias: fact_type}, load_rulebook().terms)
    node = parser.term_test(alias, term, True, term)
    assert isinstance(node, Term)
    return evaluate(node, {alias: fact(fact_type, **values)}, ctx).truth


def other(type_name: str, fact_id: str, **values: Any) -> EngineFact:
    """Another fact of the case, with only the given fields."""
    return fact(type_name, id=fact_id, **values)


def case(*facts: EngineFact, as_of: date | None = None) -> Context:
    """The context of a case holding `facts` (the fact under test is not among them: no term
    here looks for a fact of its own type), assessed as of `as_of`."""
    return Context(CALENDAR, as_of).with_facts(facts)


START = date(2025, 10, 20)
"""The placement's start: Mon 20 Oct 2025."""
REQUESTED = date(2025, 11, 20)
"""The review request's day: Thu 20 Nov 2025; ten weeks before it is Thu 11 Sep 2025."""


def _consent(on: date, placement: str = "F-1") -> EngineFact:
    return other("short_notice_consent", "CNS-1", placement=placement, given_on=on)


def _meeting(on: date, meeting: bool = True, placement: str = "PL-1") -> EngineFact:
    return other("placement_review", "RV-1", placement=placement, held_on=on, meeting=meeting)


# Terms read from the case's other facts or the evaluation date:
# (fact type, term, its fields, the context, expected truth).
IN_CONTEXT: list[tuple[str, str, dict[str, Any], Context, bool | None]] = [
    ("placement", "short_notice_consent", {"start_date": START}, case(_consent(START)), True),
    (  # given the day before provision starts
        "placement",
        "short_notice_consent",
        {"start_date": START},
        case(_consent(date(2025, 10, 19)), _consent(date(2025, 10, 22))),
        True,
    ),
    (  # given the day after it started
        "placement",
        "short_notice_consent",
        {"start_date": START},
        case(_consent(date(2025, 10, 21))),
        False,
    ),
    (  # about another placement
        "placement",
        "short_notice_consent",
        {"start_date": START},
        case(_consent(START, placement="PL-2")),
        False,
    ),
    ("placement", "short_notice_consent", {"start_date": START}, case(), False),
    (  # the case's facts are not at hand (never so in an engine): unknown, not false
        "placement",
        "short_notice_consent",
        {"start_date": START},
        Context(CALENDAR),
        None,
    ),
    (
        "placement",
        "return_planned",
        {},
        case(other("return_to_school", "RTS-1", placement="F-1", returns_on=START)),
        True,
    ),
    (
        "placement",
        "return_planned",
        {},
        case(other("return_to_school", "RTS-1", placement="PL-2", returns_on=START)),
        False,
    ),
    ("placement", "return_planned", {}, case(), False),
    *(
        (
            "review_request",
            "meeting_in_previous_ten_weeks",
            {"placement": "PL-1", "requested_on": REQUESTED},
            case(meeting),
            expected,
        )
        for meeting, expected in (
            (_meeting(date(2025, 9, 11)), True),  # ten weeks before: the first day counted
            (_meeting(date(2025, 9, 10)), False),  # a day earlier
            (_meeting(date(2025, 11, 19)), True),  # the day before the request
            (_meeting(REQUESTED), False),  # the day of the request is not before it
            (_meeting(date(2025, 11, 19), meeting=False), False),  # reviewed without a meeting
            (_meeting(date(2025, 11, 19), placement="PL-2"), False),  # another placement's
        )
    ),
    *(
        ("safeguarding_concern", "raised", {"raised_on": REQUESTED}, Context(as_of=as_of), expected)
        for as_of, expected in (
            (REQUESTED, True),
            (date(2025, 11, 19), False),  # raised after the evaluation date: not yet known
            (None, None),  # no evaluation date given: unknown
        )
    ),
    *(
        ("safeguarding_concern", "resolved", values, Context(as_of=REQUESTED), expected)
        for values, expected in (
            ({"resolved_on": REQUESTED}, True),
            ({"resolved_on": date(2025, 11, 21)}, False),  # resolved after the evaluation date
            ({}, False),  # not resolved
        )
    ),
]


@pytest.mark.parametrize(
    ("fact_type", "term", "values", "ctx", "expected"),
    IN_CONTEXT,
    ids=[f"{t}-{i}" for i, (_, t, _, _, _) in enumerate(IN_CONTEXT)],
)
def test_a_named_condition_over_the_case_or_the_evaluation_date(
    fact_type, term, values, ctx, expected
):
    assert truth(fact_type, term, ctx=ctx, **values) is expected


def test_an_unknown_existence_names_what_is_missing():
    """A term that reads the evaluation date or the case's facts, without them: unknown,
    naming what it waits for."""
    parser = Parser({"concern": "safeguarding_concern"}, load_rulebook().terms)
    node = parser.term_test("concern", "raised", True, "here")
    verdict = evaluate(node, {"concern": fact("safeguarding_concern", raised_on=START)}, Context())
    assert verdict.truth is None
    assert [str(m) for m in verdict.missing] == [
        "the assessment: as_of (the evaluation date) is not recorded"
    ]


# (fact type, term, fields, expected truth); None is unknown.
TABLE: list[tuple[str, str, dict[str, Any], bool | None]] = [
    ("pupil", "final_year", {"year_group": 11}, True),
    # the register: B, D or K in both sessions is a provision day; E in either session is not
    ("register_day", "provision_day", {"am": "B", "pm": "K"}, True),
    ("register_day", "provision_day", {"am": "D", "pm": "D"}, True),
    ("register_day", "provision_day", {"am": "B", "pm": "/"}, False),
    ("register_day", "provision_day", {"am": "B"}, False),  # the afternoon not marked
    ("register_day", "provision_day", {"am": "/", "pm": "\\"}, False),  # at the school itself
    ("register_day", "no_provision_day", {"am": "B", "pm": "E"}, True),
    ("register_day", "no_provision_day", {"am": "E"}, True),
    ("register_day", "no_provision_day", {"am": "C2", "pm": "B"}, False),
    ("pupil", "final_year", {"year_group": 10}, False),
    ("pupil", "compulsory_school_age", {"year_group": 11}, True),
    ("pupil", "compulsory_school_age", {"year_group": 0}, True),
    ("pupil", "compulsory_school_age", {"year_group": 12}, False),
    (
        "pupil",
        "agencies_involved",
        {"social_worker": True, "social_worker_known": True, "other_agencies_involved": False},
        True,
    ),
    (
        "pupil",
        "agencies_involved",
        {"social_worker": False, "social_worker_known": True, "other_agencies_involved": True},
        True,
    ),
    (
        "pupil",
        "agencies_involved",
        {"social_worker": False, "social_worker_known": True, "other_agencies_involved": False},
        False,
    ),
    # "known to be working": a social worker the case does not record is not known (H.5)
    (
        "pupil",
        "agencies_involved",
        {"social_worker": None, "social_worker_known": False, "other_agencies_involved": False},
        False,
    ),
    ("exclusion", "pupil_in_final_year", {"pupil_year_group": 11}, True),
    ("exclusion", "pupil_in_final_year", {"pupil_year_group": 9}, False),
    # I.8, judged on the sixth school day. A period from Mon 15 Sep 2025: day 6 is Mon 22 Sep.
    (  # entered for none
        "exclusion",
        "no_further_public_examination",
        {"sixth_day_counted_from": date(2025, 9, 15), "public_exam_entries": 0},
        True,
    ),
    (  # the last paper on day 5, Fri 19 Sep: nothing left on the sixth day
        "exclusion",
        "no_further_public_examination",
        {
            "sixth_day_counted_from": date(2025, 9, 15),
            "public_exam_entries": 2,
            "last_public_exam_on": date(2025, 9, 19),
        },
        True,
    ),
    (  # the last paper on the sixth day itself: still to sit
        "exclusion",
        "no_further_public_examination",
        {
            "sixth_day_counted_from": date(2025, 9, 15),
            "public_exam_entries": 1,
            "last_public_exam_on": date(2025, 9, 22),
        },
        False,
    ),
    (  # the entries are not recorded: unknown, never a silent exemption
        "exclusion",
        "no_further_public_examination",
        {"sixth_day_counted_from": date(2025, 9, 15)},
        None,
    ),
    (  # the sixth school day falls after the calendar's end
        "exclusion",
        "no_further_public_examination",
        {
            "sixth_day_counted_from": date(2026, 7, 20),
            "public_exam_entries": 1,
            "last_public_exam_on": date(2026, 6, 1),
        },
        None,
    ),
    (
        "exclusion",
        "final_year_exemption",
        {
            "pupil_year_group": 11,
            "sixth_day_counted_from": date(2025, 9, 15),
            "public_exam_entries": 0,
        },
        True,
    ),
    (  # not in the final year: false whether or not the entries are known
        "exclusion",
        "final_year_exemption",
        {"pupil_year_group": 10, "sixth_day_counted_from": date(2025, 9, 15)},
        False,
    ),
    (
        "exclusion",
        "final_year_exemption",
        {"pupil_year_group": 11, "sixth_day_counted_from": date(2025, 9, 15)},
        None,
    ),
    (
        "placement",
        "starts_on_first_day_of_school_year",
        {"start_date": date(2025, 9, 3)},
        True,
    ),
    (  # an INSET day before it is no school day
        "placement",
        "starts_on_first_day_of_school_year",
        {"start_date": date(2025, 9, 1)},
        False,
    ),
    (
        "placement",
        "starts_on_first_day_of_school_year",
        {"start_date": date(2026, 1, 5)},
        False,
    ),
    (  # the calendar does not reach back to September 2024
        "placement",
        "starts_on_first_day_of_school_year",
        {"start_date": date(2025, 6, 2)},
        None,
    ),
    (
        "referral_notice",
        "gives_session_times_as_placement_runs",
        {"gives_session_times": True, "session_times_form": "two_sessions"},
        True,
    ),
    (
        "referral_notice",
        "gives_session_times_as_placement_runs",
        {
            "gives_session_times": True,
            "session_times_form": "two_sessions",
            "placement_session_form": "two_sessions",
        },
        True,
    ),
    (
        "referral_notice",
        "gives_session_times_as_placement_runs",
        {
            "gives_session_times": True,
            "session_times_form": "single_session",
            "placement_session_form": "two_sessions",
        },
        False,
    ),
    (
        "referral_notice",
        "gives_session_times_as_placement_runs",
        {"gives_session_times": False, "placement_session_form": "two_sessions"},
        False,
    ),
    ("notice", "in_writing", {"method": "text_message"}, True),
    ("notice", "in_writing", {"method": "phone"}, False),
    ("referral_notice", "in_writing", {"method": "hand_delivered"}, True),
    ("referral_notice", "in_writing", {"method": "in_person"}, False),
    (
        "parental_agreement",
        "arrangements_shared_with_all",
        {
            "review_arrangements_shared_with_parents": True,
            "review_arrangements_shared_with_pupil": True,
            "review_arrangements_shared_with_provider": True,
        },
        True,
    ),
    (
        "parental_agreement",
        "arrangements_shared_with_all",
        {
            "review_arrangements_shared_with_parents": True,
            "review_arrangements_shared_with_pupil": False,
            "review_arrangements_shared_with_provider": True,
        },
        False,
    ),
    (
        "placement_review",
        "parents_involved",
        {"parents_attended": False, "parents_consulted": True},
        True,
    ),
    (
        "placement_review",
        "parents_involved",
        {"parents_attended": True, "parents_consulted": False},
        True,
    ),
    (
        "placement_review",
        "parents_involved",
        {"parents_attended": False, "parents_consulted": False},
        False,
    ),
    (
        "suitability_check",
        "arrangements_suitable",
        {
            "safeguarding_arrangements": True,
            "pastoral_support": True,
            "health_and_safety": True,
            "transport": True,
        },
        True,
    ),
    (
        "suitability_check",
        "arrangements_suitable",
        {
            "safeguarding_arrangements": True,
            "pastoral_support": True,
            "health_and_safety": True,
            "transport": False,
        },
        False,
    ),
    (
        "serious_incident",
        "decided_with_slt_and_headteacher",
        {"decided_with_slt": True, "decided_with_headteacher": True},
        True,
    ),
    (
        "serious_incident",
        "decided_with_slt_and_headteacher",
        {"decided_with_slt": True, "decided_with_headteacher": False},
        False,
    ),
    (
        "attendance_update",
        "shared_with_ap_lead_and_headteacher",
        {"shared_with_ap_lead": True, "shared_with_headteacher": True},
        True,
    ),
    (
        "attendance_update",
        "shared_with_ap_lead_and_headteacher",
        {"shared_with_ap_lead": False, "shared_with_headteacher": True},
        False,
    ),
    (  # the first update, below the target
        "attendance_update",
        "falls_below_target",
        {"attendance_percent": 89.9, "attendance_target_percent": 90.0},
        True,
    ),
    (
        "attendance_update",
        "falls_below_target",
        {
            "attendance_percent": 85.0,
            "previous_attendance_percent": 90.0,
            "attendance_target_percent": 90.0,
        },
        True,
    ),
    (  # it was below already
        "attendance_update",
        "falls_below_target",
        {
            "attendance_percent": 85.0,
            "previous_attendance_percent": 89.0,
            "attendance_target_percent": 90.0,
        },
        False,
    ),
    (
        "attendance_update",
        "falls_below_target",
        {"attendance_percent": 90.0, "attendance_target_percent": 90.0},
        False,
    ),
    (
        "provider_report",
        "covers_progress_behaviour_and_welfare",
        {"covers_progress": True, "covers_behaviour": True, "covers_welfare": True},
        True,
    ),
    (
        "provider_report",
        "covers_progress_behaviour_and_welfare",
        {"covers_progress": True, "covers_behaviour": False, "covers_welfare": True},
        False,
    ),
    (
        "final_report",
        "complete",
        {
            "covers_attainment_and_progress": True,
            "covers_attendance": True,
            "covers_behaviour_change": True,
        },
        True,
    ),
    (
        "final_report",
        "complete",
        {
            "covers_attainment_and_progress": True,
            "covers_attendance": True,
            "covers_behaviour_change": False,
        },
        False,
    ),
    (
        "placement_record",
        "complete",
        {
            "progress": True,
            "achievements": True,
            "destination": True,
            "pupil_assessment": True,
        },
        True,
    ),
    (
        "placement_record",
        "complete",
        {
            "progress": True,
            "achievements": True,
            "destination": False,
            "pupil_assessment": True,
        },
        False,
    ),
    # I.5: PX from Mon 3 Nov 2025, day 6 Mon 10 Nov; on a new roll on or before it, or not
    (
        "exclusion",
        "on_new_roll_by_sixth_school_day",
        {
            "first_day": date(2025, 11, 3),
            "sixth_day_counted_from": date(2025, 11, 3),
            "on_new_school_roll_from": date(2025, 11, 10),
        },
        True,
    ),
    (
        "exclusion",
        "on_new_roll_by_sixth_school_day",
        {
            "first_day": date(2025, 11, 3),
            "sixth_day_counted_from": date(2025, 11, 3),
            "on_new_school_roll_from": date(2025, 11, 11),
        },
        False,
    ),
    ("exclusion", "on_new_roll_by_sixth_school_day", {"first_day": date(2025, 11, 3)}, False),
    # Q.4: suspended Mon 3 - Wed 5 Nov 2025: the return is Thu 6 Nov
    (
        "exclusion",
        "returns_from_suspension",
        {"permanent": False, "first_day": date(2025, 11, 3), "last_day": date(2025, 11, 5)},
        True,
    ),
    (  # a permanent exclusion from the day of return: no return
        "exclusion",
        "returns_from_suspension",
        {
            "permanent": False,
            "first_day": date(2025, 11, 3),
            "last_day": date(2025, 11, 5),
            "permanently_excluded_on": date(2025, 11, 6),
        },
        False,
    ),
    (  # a return recorded for Mon 10 Nov; a permanent exclusion from Fri 7 Nov comes first
        "exclusion",
        "returns_from_suspension",
        {
            "permanent": False,
            "first_day": date(2025, 11, 3),
            "last_day": date(2025, 11, 5),
            "returns_on": date(2025, 11, 10),
            "permanently_excluded_on": date(2025, 11, 7),
        },
        False,
    ),
    (  # a permanent exclusion after the return
        "exclusion",
        "returns_from_suspension",
        {
            "permanent": False,
            "first_day": date(2025, 11, 3),
            "last_day": date(2025, 11, 5),
            "permanently_excluded_on": date(2025, 11, 7),
        },
        True,
    ),
    (
        "exclusion",
        "returns_from_suspension",
        {"first_day": date(2025, 11, 3), "permanent": True},
        False,
    ),
    (  # the last day is the calendar's last: the return cannot be dated
        "exclusion",
        "returns_from_suspension",
        {
            "permanent": False,
            "first_day": date(2026, 7, 20),
            "last_day": date(2026, 7, 21),
            "permanently_excluded_on": date(2026, 7, 21),
        },
        None,
    ),
]


@pytest.mark.parametrize(
    ("fact_type", "term", "values", "expected"),
    TABLE,
    ids=[f"{t}-{i}" for i, (_, t, _, _) in enumerate(TABLE)],
)
def test_a_named_condition_is_true_false_or_unknown(fact_type, term, values, expected):
    assert truth(fact_type, term, **values) is expected


def test_every_named_condition_has_a_true_and_a_false_row():
    book = load_rulebook()
    conditions = {k for k, d in book.terms.items() if not d.is_value}
    rows = [(f, t, e) for f, t, _, e in TABLE] + [(f, t, e) for f, t, _, _, e in IN_CONTEXT]
    tested = {(f, t) for f, t, _ in rows}
    untested = conditions - tested - {("placement", "school_commissioned")}  # tests/test_rules_*
    assert not untested
    for key in tested:
        found = {e for f, t, e in rows if (f, t) == key}
        assert {True, False} <= found, key


def test_a_term_refers_to_its_own_fact_whatever_its_alias_in_the_rule():
    """`attendance_update.attendance_target_percent` in the definition is the update's own
    field, also where the rule calls the update `update` (O.5)."""
    values = {"attendance_percent": 80.0, "attendance_target_percent": 90.0}
    assert truth("attendance_update", "falls_below_target", alias="update", **values) is True
    values["attendance_percent"] = 95.0
    assert truth("attendance_update", "falls_below_target", alias="update", **values) is False


def test_an_unknown_names_what_the_calendar_could_not_count():
    parser = Parser({"placement": "placement"}, load_rulebook().terms)
    node = parser.term_test("placement", "starts_on_first_day_of_school_year", True, "here")
    verdict = evaluate(
        node, {"placement": fact("placement", start_date=date(2025, 6, 2))}, Context(CALENDAR)
    )
    assert verdict.truth is None
    (missing,) = verdict.missing
    assert missing.kind == "outside_calendar" and missing.fact == "placement F-1"
    assert "2024-09-01" in missing.reason


# -- the loader refuses a bad term, naming the file and the term -----------------------------

BAD_TERMS = [
    (
        "- term: quick\n  of: placement\n  means: {no_such_field: true}\n",
        r"term quick.*no field or term 'no_such_field'",
    ),
    (
        "- term: loop\n  of: placement\n  means: {loop: true}\n",
        r"term 'loop' is defined by itself",
    ),
    (
        "- term: early\n  of: placement\n  means: {start_date: {lt: {ref: exclusion.first_day}}}\n",
        r"term early.start_date: 'exclusion.first_day': a term of placement refers only to its own",
    ),
    (
        "- term: later\n  of: placement\n  value: {weeks_after: 2, of: start_date}\n",
        r"term later.*first_school_day_of_school_year",
    ),
    (
        "- term: odd\n  of: attendance_update\n  means: {attendance_percent: {lt: 90}}\n",
        r"term odd.*a number with a whole number",
    ),
    (
        "- term: full_time\n  of: placement\n  means: {kind: off_site_direction}\n",
        r"term full_time: placement already has a field of that name",
    ),
    (
        "- term: complete\n  of: final_report\n  means: {covers_attendance: true}\n",
        r"term complete of final_report is defined twice \(also in rules/terms.yaml\)",
    ),
    ("- term: nobody\n  of: pupils\n  means: {year_group: 11}\n", r"term nobody: of: unknown"),
]


@pytest.mark.parametrize(("terms", "message"), BAD_TERMS, ids=[m for _, m in BAD_TERMS])
def test_the_loader_refuses_a_bad_term_naming_the_file_and_the_term(terms, message, tmp_path):
    vocabulary = tmp_path / "terms.yaml"
    vocabulary.write_text("title: local\nterms:\n" + terms, encoding="utf-8")
    rules = tmp_path / "I-rules.yaml"
    rules.write_text(with_rule(), encoding="utf-8")
    with pytest.raises(RuleFileError, match=message) as caught:
        load_rulebook([vocabulary, rules])
    assert str(vocabulary) in str(caught.value)


def test_a_good_local_term_loads_and_is_used(tmp_path):
    vocabulary = tmp_path / "terms.yaml"
    vocabulary.write_text(
        "title: local\nterms:\n"
        "- term: long_period\n  of: exclusion\n  means: {school_days: {gt: 10}}\n",
        encoding="utf-8",
    )
    rules = tmp_path / "I-rules.yaml"
    rules.write_text(with_rule(when={"exclusion": {"long_period": True}}), encoding="utf-8")
    book = load_rulebook([vocabulary, rules])
    assert ("exclusion", "long_period") in book.terms


# -- the census -----------------------------------------------------------------------------


def test_no_rule_condition_reads_a_boolean_python_decided_and_none_is_empty():
    out = io.StringIO()
    decisions, anchored, empty = rule_language_census.report(out)
    assert (decisions, anchored, empty) == (0, 0, 0), out.getvalue()


def test_the_census_finds_an_aggregate_inside_an_existence_test(monkeypatch):
    """Readings inside an existence test's own tests count: mark the placement review's
    `meeting` (read by three rules' met_by and by meeting_in_previous_ten_weeks's existence
    test) an aggregate, and the census counts it there too and fails."""
    from apcompliance.facts._base import aggregate

    cls = FACT_TYPES["placement_review"]
    marks = dict(cls.derived_fields())
    marks["meeting"] = aggregate("for the test")
    monkeypatch.setattr(cls, "derived_fields", classmethod(lambda c: marks))
    out = io.StringIO()
    python_made, _, _ = rule_language_census.report(out)
    assert python_made == 4, out.getvalue()
    assert "term meeting_in_previous_ten_weeks: placement_review.meeting" in out.getvalue()
    assert rule_language_census.main(["--check"]) == 1


def test_the_census_finds_a_decision_where_a_field_is_marked_so(monkeypatch):
    """It reads the marks: mark a field a rule reads as a decision, and it is counted."""
    from apcompliance.facts._base import decision

    cls = FACT_TYPES["placement"]
    marks = dict(cls.derived_fields())
    marks["full_time"] = decision("for the test")
    monkeypatch.setattr(cls, "derived_fields", classmethod(lambda c: marks))
    out = io.StringIO()
    decisions, _, _ = rule_language_census.report(out)
    assert decisions > 0 and "placement.full_time" in out.getvalue()


def test_the_census_finds_an_anchor_inside_a_condition_and_not_elsewhere():
    text = (
        "rules:\n"
        "  - id: A\n    when: &direction\n      placement: {kind: off_site_direction}\n"
        "    due: &outset {at: placement.start_date}\n"
        "  - id: B\n    when: *direction\n    due: *outset\n"
    )
    found = rule_language_census.anchors([("rules/X.yaml", text)])
    assert [(name, key, line) for _, name, key, line in found] == [
        ("&direction", "when", 3),
        ("&outset", "due", 5),
        ("*direction", "when", 7),
        ("*outset", "due", 8),
    ]
