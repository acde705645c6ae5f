"""Explanations in plain English (Finding.explain, Assessment.explain) and Assessment.why_not,
on the bundled examples and on scenario cases."""

from __future__ import annotations

import json
import pickle
import pickletools
import re
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from apcompliance import ApComplianceError, Assessment, Case, Finding, evaluate
from apcompliance.evaluation.evaluator import default_evaluator
from apcompliance.facts.vocabulary import PlacementFact
from apcompliance.language.conditions import Not
from apcompliance.language.parse import Parser
from apcompliance.language.rulebook import load_rulebook
from apcompliance.language.semantics import Context
from apcompliance.results.explain import UnknownRuleError, describe, holds
from apcompliance.results.trace import traced_facts
from tests.conftest import make_case
from tests.scenarios import CAL, case, direction, suspension, the

AS_OF = date(2025, 11, 10)
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def assessment(example_case, calendar) -> Assessment:
    """The bundled suspension example: back-to-back suspensions across the October half-term."""
    return evaluate(example_case, as_of=AS_OF, calendar=calendar)


# -- Finding.explain -------------------------------------------------------------------------


def test_the_sixth_day_finding_explains_the_count_across_half_term_and_the_inset_day(assessment):
    text = the(assessment, "I.1-sixth-day-provision").explain()
    assert text.startswith("I.1-sixth-day-provision: LATE — exclusion SUS-1")
    # the clause's own words, with its id
    assert "Clause I.1 says: “The school will arrange suitable full-time education" in text
    # the facts and derived values that made the rule fire, and the exception that did not
    assert (
        "exclusion SUS-1: permanent is false; five_days_counted_in is school_days and school_days"
        " is 7\n    (more than 5)" in text
    )
    assert (
        "and its exception (unless final_year_exemption is true) does not apply: here "
        "pupil_year_group is 9" in " ".join(text.split())
    )
    # how the deadline was counted
    assert "the 6th school day from Thu 16 Oct 2025 is Fri 31 Oct 2025" in " ".join(text.split())
    assert "holiday between half-terms" in text
    assert "INSET day" in text
    # what met it, and the status in words
    assert "What met it: placement PL-1, on Mon 3 Nov 2025, after the deadline." in text
    assert (
        "Status: late: done on Mon 3 Nov 2025, after the deadline of Fri 31 Oct 2025. "
        "This is a violation." in " ".join(text.split())
    )
    assert "Interpretation switches: none bears on this finding." in text
    assert "I.4: “Consecutive fixed-period suspensions" in text


def test_an_explanation_names_its_switches_and_what_would_meet_it(assessment):
    text = " ".join(the(assessment, "I.1.iv-notice-report-to").explain().split())
    assert "placement PL-1: exclusion is SUS-1, matching exclusion.id" in text
    assert "(I.2 sets it: “it must be provided without delay" in text
    assert "48 hours before Mon 3 Nov 2025 09:00 is Sat 1 Nov 2025 09:00" in text
    assert "provision_starts_at = first_session (the default): I.2" in text
    assert (
        "Nothing in the case meets it yet: it would be met by a notice where exclusion is SUS-1 "
        "and in_writing is true and gives_report_to is true and not (report_to_key is not "
        "placement.report_to_key), dated by its sent_at." in text
    )
    assert "Status: overdue" in text and "(Sat 1 Nov 2025 09:00)" in text


def test_an_explanation_shows_which_alternative_of_any_of_held(assessment):
    text = " ".join(the(assessment, "L.1-consider-support-after-suspension").explain().split())
    assert "the pupil: semh_needs is true and looked_after is true" in text
    assert "follow_up_within_school_days = 10 (the default)" in text


def test_a_changed_switch_is_shown_against_its_default(example_case, calendar):
    from apcompliance import PolicySettings

    settings = PolicySettings(provision_starts_at="start_of_day")
    a = evaluate(example_case, as_of=AS_OF, calendar=calendar, settings=settings)
    text = the(a, "I.1.iv-notice-report-to").explain()
    assert "provision_starts_at = start_of_day (default first_session)" in text
    assert "Readings changed from the defaults: provision_starts_at." in a.explain()


def test_a_finding_read_back_from_json_explains_as_the_one_evaluated(assessment):
    again = Assessment.model_validate_json(assessment.to_json())
    assert again.findings == assessment.findings
    assert [f.explain() for f in again.findings] == [f.explain() for f in assessment.findings]
    assert "Why the rule applies:" in the(again, "I.1-sixth-day-provision").explain()


def test_a_finding_no_rule_of_the_book_can_have_made_explains_its_facts(assessment):
    finding = the(assessment, "I.1-sixth-day-provision")
    # a rule id the bundled rules do not have
    unknown = finding.model_copy(update={"rule_id": "I.1-a-trusts-own-reading"})
    # the same id, but facts the bundled rule's tests fail (a Trust's rule of the same id)
    facts = dict(finding.explanation.facts)
    facts["exclusion"] = {**facts["exclusion"], "school_days": 3}
    other = finding.model_copy(
        update={"explanation": finding.explanation.model_copy(update={"facts": facts})}
    )
    for text in (unknown.explain(), other.explain()):
        assert "Why the rule applies:" not in text
        assert "The facts it matched:" in text
        assert "exclusion SUS-1: permanent false, first_day Thu 16 Oct 2025" in text


def test_the_assessment_explains_every_finding_violations_first(assessment):
    text = assessment.explain()
    assert text.startswith(
        "Case EX-2025-014 as of Mon 10 Nov 2025 on Example Borough Council 2025-26: "
        "10 violations, 5 outstanding, 30 met, 1 advisories and permissions."
    )
    assert text.count("\nStatus: ") == len(assessment.findings)
    assert text.index("== Violations (10) ==") < text.index("== Outstanding (5) ==")
    assert text.index("== Outstanding (5) ==") < text.index("== Met (30) ==")
    violations = text[: text.index("== Outstanding")]
    assert "I.1-sixth-day-provision: LATE" in violations
    assert "I.1.i-notice-start-date: MET" not in violations


def test_explanations_carry_no_pupil_name_or_date_of_birth(calendar):
    c = make_case(
        "PD2",
        pupil={
            "year_group": 9,
            "name": "Zebedee Quillfeather",
            "upn": "A12345678901Z",
            "date_of_birth": "2011-02-03",
            "looked_after": True,
        },
        events=[{"kind": "suspension", "id": "S1", "first_day": "2025-10-16", "school_days": 7}],
    )
    a = evaluate(c, as_of=AS_OF, calendar=calendar)
    texts = [a.explain(), a.why_not("H.2-notice-to-parents"), a.why_not("I.1-sixth-day-provision")]
    texts += [a._repr_html_(), *(f._repr_html_() for f in a.findings)]
    for text in texts:
        for marker in ("Zebedee", "Quillfeather", "A12345678901Z", "2011", "3 Feb"):
            assert marker not in text


# -- why_not ---------------------------------------------------------------------------------


def test_why_not_a_direction_rule_on_a_suspension_case(assessment):
    text = assessment.why_not("H.2-notice-to-parents")
    assert text.startswith("H.2-notice-to-parents (clause H.2; the headteacher: give the parents")
    assert "did not fire for case EX-2025-014 as of Mon 10 Nov 2025." in text
    assert "  - placement: a placement of kind off_site_direction" in text
    assert "PL-1 fails: of kind off_site_direction (its kind is suspension_provision)" in text
    assert "There is no placement of kind off_site_direction." in text


def test_why_not_a_rule_that_fired_gives_its_statuses(assessment):
    text = assessment.why_not("I.1-sixth-day-provision")
    assert "fired for case EX-2025-014 as of Mon 10 Nov 2025: 1 finding(s)." in text
    assert "exclusion SUS-1: late (due Fri 31 Oct 2025; done by PL-1 on Mon 3 Nov 2025)" in text


def test_why_not_names_the_missing_facts_that_would_decide_it(assessment):
    text = " ".join(assessment.why_not("C.3.iii-course-of-action-after-serious-incident").split())
    assert "incident: no serious_incident fact at all." in text
    assert (
        "The case has no serious_incident: a serious_incident where placement must match "
        "placement.id and school_informed_on is recorded would decide this condition." in text
    )


def test_why_not_reports_an_unless_that_holds(assessment):
    text = assessment.why_not("G.2.4-provider-address-recorded")
    assert "unless, for the placement, provider is recorded" in text
    assert "PL-1 is excepted by unless: provider is recorded (PRV-RLC)" in text


def test_why_not_reports_facts_that_do_not_join():
    # a suspension of six days and an off-site direction: the direction is no exclusion's
    # provision, so the notice rules of I.1 (exclusion and placement joined) do not fire
    c = case(
        suspension("SUS-1", date(2025, 11, 3), 6),
        placements=[direction(date(2025, 11, 20), date(2025, 11, 10))],
    )
    a = evaluate(c, as_of=date(2025, 11, 12), calendar=CAL)
    text = a.why_not("I.1.iv-notice-report-to")
    assert "  - exclusion: 1 exclusion; 1 passes." in text
    assert "  - placement: 1 placement; 1 passes." in text
    assert "So: the facts that pass their own tests do not fit together." in text
    assert "placement OSD-1: its exclusion is not recorded, so it cannot match exclusion.id" in text


def test_why_not_a_recurring_duty_with_no_occurrence(assessment):
    # PL-1 runs on one day only: no week of weekly attendance updates falls within it
    text = " ".join(assessment.why_not("C.6.ii-weekly-attendance-updates").split())
    assert "Every condition holds for placement PL-1, so the rule applies" in text
    assert "its recurring deadline has no occurrence within the dates the duty runs" in text


@pytest.mark.parametrize(
    ("example", "as_of"),
    [("suspension-case.json", AS_OF), ("off-site-direction-case.json", date(2026, 1, 20))],
)
def test_why_not_agrees_with_the_engine_on_every_rule(example, as_of):
    text = (resources.files("apcompliance") / f"data/examples/{example}").read_text("utf-8")
    a = evaluate(Case.model_validate_json(text), as_of=as_of, calendar=CAL)
    fired = {f.rule_id for f in a.findings}
    for rule in default_evaluator().book.rules:
        answer = " ".join(a.why_not(rule.id).split())
        assert ("fired for case" in answer) == (rule.id in fired), answer
        if "Every condition holds" in answer:  # only a recurring duty may apply unseen
            assert rule.due is not None and rule.due.recurring, answer
        assert "please report this" not in answer


def test_an_unknown_rule_id_is_named(assessment):
    with pytest.raises(UnknownRuleError, match=r"no rule 'I\.1-sixth-day' in the rule book") as e:
        assessment.why_not("I.1-sixth-day")
    assert isinstance(e.value, ApComplianceError) and isinstance(e.value, LookupError)
    assert "did you mean I.1-sixth-day-provision" in str(e.value)


def test_why_not_needs_the_trace_which_to_json_leaves_out_unless_asked(assessment):
    report = Assessment.model_validate_json(assessment.to_json())
    assert report.trace is None
    with pytest.raises(ApComplianceError, match="evaluate the case again"):
        report.why_not("H.2-notice-to-parents")
    kept = Assessment.model_validate_json(assessment.to_json(trace=True))
    assert kept == assessment
    for rule_id in (
        "H.2-notice-to-parents",
        "I.1-sixth-day-provision",
        "G.2.4-provider-address-recorded",
    ):
        assert kept.why_not(rule_id) == assessment.why_not(rule_id)
    assert kept.explain() == assessment.explain()


def test_the_trace_is_plain_data_that_round_trips(assessment):
    trace = assessment.trace
    assert trace is not None and (trace.rule_book, len(trace.rule_book_digest)) == ("rules", 16)
    assert trace.calendar is not None and trace.calendar.name == assessment.calendar
    assert trace.calendar.calendar() == CAL
    assert set(trace.facts) >= {"pupil", "exclusion", "placement"}
    assert [f["id"] for f in trace.facts["exclusion"]] == ["SUS-1"]
    # only fields: no private state, no custom pickling
    assert assessment.__pydantic_private__ is None
    assert all(f.__pydantic_private__ is None for f in assessment.findings)
    assert "__getstate__" not in vars(Assessment) and "__getstate__" not in vars(Finding)
    dumped = assessment.model_dump()
    assert set(dumped) == {
        "case_id",
        "as_of",
        "calendar",
        "engine",
        "readings",
        "findings",
        "trace",
    }
    assert Assessment.model_validate(dumped) == assessment
    assert Assessment.model_validate_json(assessment.model_dump_json()) == assessment
    # the report is as before: no trace
    report = json.loads(assessment.to_json())
    assert set(report) == {"case_id", "as_of", "calendar", "engine", "readings", "findings"}


def test_a_pickled_assessment_is_plain_data_and_still_answers_why_not(assessment):
    data = pickle.dumps(assessment)
    again = pickle.loads(data)
    assert again == assessment
    assert again.why_not("H.2-notice-to-parents") == assessment.why_not("H.2-notice-to-parents")
    assert the(again, "I.1-sixth-day-provision").explain() == (
        the(assessment, "I.1-sixth-day-provision").explain()
    )
    # what the pickle refers to: the models' classes and values, no rule book or engine
    modules = {
        arg.split()[0] if isinstance(arg, str) and " " in arg else arg
        for op, arg, _ in pickletools.genops(data)
        if op.name in ("GLOBAL", "SHORT_BINUNICODE", "BINUNICODE")
        and isinstance(arg, str)
        and arg.startswith("apcompliance")
    }
    assert modules <= {
        "apcompliance.results.assessment",
        "apcompliance.results.findings",
        "apcompliance.results.data",
    }, modules
    plain = Assessment.model_validate_json(assessment.to_json())
    assert len(data) < len(pickle.dumps(plain)) + 10_000


def test_the_policy_review_keeps_its_facts_too():
    a = default_evaluator().review_policy(as_of=date(2026, 1, 20))
    assert "fired for case policy" in a.why_not("R.1-review-dates-unknown")


# -- the condition checker mirrors the engine's tests ----------------------------------------


def _placement(**changes) -> PlacementFact:
    c = case(placements=[direction(date(2025, 11, 20), date(2025, 11, 10))])
    a = evaluate(c, as_of=date(2025, 11, 12), calendar=CAL)
    assert a.trace is not None
    facts = traced_facts(a.trace, a.case_id)
    found = next(f for f in facts if isinstance(f, PlacementFact))
    return found.model_copy(update=changes)


def _tests(conds, **aliases):
    """A placement's tests parsed as the loader parses them (with the bundled terms)."""
    parser = Parser({"placement": "placement", **aliases}, load_rulebook().terms)
    return parser.tests("placement", conds, "test")


def test_a_missing_field_fails_every_test_but_exists_false():
    fact = _placement(end_date=None)
    bound, ctx = {"placement": fact}, Context(CAL)
    for conds in ({"end_date": {"ne": date(2026, 1, 1)}}, {"end_date": {"gt": date(2020, 1, 1)}}):
        assert holds(_tests(conds), bound, ctx) is False
    assert holds(_tests({"end_date": {"exists": False}}), bound, ctx) is True
    # `unless` means "not": a fact without the field is not excepted by a test of it
    assert holds([Not(t) for t in _tests({"end_date": date(2026, 1, 1)})], bound, ctx) is True


def test_unless_is_the_negation_of_its_tests():
    nodes = _tests({"any_of": [{"kind": "in_school_unit"}, {"full_time": False}]})
    ctx = Context(CAL)
    assert holds([Not(nodes[0])], {"placement": _placement()}, ctx) is True
    assert holds([Not(nodes[0])], {"placement": _placement(full_time=False)}, ctx) is False
    assert describe(nodes[0], "placement") == "either of kind in_school_unit or full_time is false"


def test_a_join_is_undecided_until_its_fact_is_chosen():
    nodes = _tests({"exclusion": {"ref": "exclusion.id"}}, exclusion="exclusion")
    assert holds(nodes, {"placement": _placement(exclusion="SUS-1")}, Context(CAL)) is None
    assert describe(nodes[0], "placement") == "exclusion must match exclusion.id"


# -- the documentation shows real output -----------------------------------------------------


def _doc_blocks() -> list[str]:
    text = (ROOT / "docs" / "using-it.md").read_text(encoding="utf-8")
    start = text.index("## Explanations and notebooks")
    end = text.find("\n## ", start + 1)
    section = text[start : end if end != -1 else len(text)]
    return re.findall(r"```text\n(.*?)```", section, flags=re.S)


def test_the_docs_show_the_real_explanations(assessment):
    explained, why_not, fired, frame = _doc_blocks()
    assert explained == the(assessment, "I.1-sixth-day-provision").explain() + "\n"
    assert why_not == assessment.why_not("H.2-notice-to-parents")
    assert fired in assessment.why_not("I.1-sixth-day-provision")
    violations = [f.rule_id for f in assessment.violations]
    assert [line.split()[1] for line in frame.splitlines()[1 : 1 + len(violations)]] == violations
