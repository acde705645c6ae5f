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


def truth(fact_type: str, term: str, alias: str | None = None, **values: Any) -> bool | None:
    """Whether the named condition holds of a fact with these fields, bound to `alias`."""
    alias = alias or fact_type
    parser = Parser({alias: fact_type}, load_rulebook().terms)
    node = parser.term_test(alias, term, True, term)
    assert isinstance(node, Term)
    return evaluate(node, {alias: fact(fact_type, **values)}, Context(CALENDAR)).truth


# (fact type, term, fields, expected truth); None is unknown.
TABLE: list[tuple[str, str, dict[str, Any], bool | None]] = [
    ("pupil", "final_year", {"year_group": 11}, True),
    ("pupil", "final_year", {"year_group": 10}, False),
    ("pupil", "compulsory_school_age", {"year_group": 11}, True),
    ("pupil", "compulsory_school_age", {"year_group": 0}, True),
    ("pupil", "compulsory_school_age", {"year_group": 12}, False),
    ("pupil", "agencies_involved", {"social_worker": True, "other_agencies_involved": False}, True),
    ("pupil", "agencies_involved", {"social_worker": False, "other_agencies_involved": True}, True),
    (
        "pupil",
        "agencies_involved",
        {"social_worker": False, "other_agencies_involved": False},
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
    tested = {(f, t) for f, t, _, _ in TABLE}
    untested = conditions - tested - {("placement", "school_commissioned")}  # tests/test_rules_*
    assert not untested
    for key in tested:
        found = {e for f, t, _, e in TABLE if (f, t) == key}
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
