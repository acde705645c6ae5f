"""Findings and assessments are plain data: they pickle, round-trip through `model_dump` and
JSON, and cross process boundaries; `why_not` and the explanations work from the trace the
evaluator keeps (the derived facts, the calendar, the rule book's identity), with a custom rule
book given explicitly."""

from __future__ import annotations

import pickle
from datetime import date

import pytest

from apcompliance import ApComplianceError, Assessment, Evaluator, SchoolCalendar, evaluate
from apcompliance.evaluation.cohort import evaluate_many
from apcompliance.evaluation.derive import derive
from apcompliance.evaluation.evaluator import default_evaluator, gaps_evaluator
from apcompliance.language.rulebook import load_rulebook
from apcompliance.policy.settings import PolicySettings
from apcompliance.results.data import CalendarData
from apcompliance.results.trace import book_identity, rule_book_digest, traced_facts
from tests.conftest import make_case
from tests.test_cohort import DIRECTION, SUSPENSION
from tests.test_custom_rules import REQUIREMENT, notice

AS_OF = date(2025, 11, 10)


@pytest.fixture()
def assessment(example_case, calendar) -> Assessment:
    return evaluate(example_case, as_of=AS_OF, calendar=calendar)


# -- plain data ------------------------------------------------------------------------------


def test_an_assessment_round_trips_through_pickle_model_dump_and_json(assessment):
    assert pickle.loads(pickle.dumps(assessment)) == assessment
    assert Assessment.model_validate(assessment.model_dump()) == assessment
    assert Assessment.model_validate(assessment.model_dump(mode="json")) == assessment
    assert Assessment.model_validate_json(assessment.model_dump_json()) == assessment
    assert Assessment.model_validate_json(assessment.to_json(trace=True)) == assessment
    for finding in assessment.findings:
        assert type(finding).model_validate_json(finding.model_dump_json()) == finding
        assert pickle.loads(pickle.dumps(finding)) == finding


def test_readings_are_kept_as_json_data(calendar, example_case):
    # a tuple of dates reads back from JSON as a list of ISO dates: kept that way from the start
    settings = PolicySettings(policy_reviews=(date(2024, 9, 1),))
    a = evaluate(example_case, as_of=AS_OF, calendar=calendar, settings=settings)
    assert a.readings["policy_reviews"]["value"] == ["2024-09-01"]
    assert a.readings["policy_reviews"]["default"] == []
    assert Assessment.model_validate_json(a.model_dump_json()) == a
    assert "Readings changed from the defaults: policy_reviews." in a.explain()
    assert (
        "Readings changed" not in evaluate(example_case, as_of=AS_OF, calendar=calendar).explain()
    )


def test_the_trace_keeps_the_derived_facts_the_rules_ran_on(assessment, example_case, calendar):
    assert assessment.trace is not None
    derived = derive(example_case, calendar, PolicySettings(), as_of=AS_OF)
    kept = traced_facts(assessment.trace, assessment.case_id)
    by_type = sorted(derived, key=lambda f: list(assessment.trace.facts).index(f.type_name))
    assert kept == by_type  # each type in the order derive made them
    assert len(kept) == len(derived) > 10


def test_facts_that_no_longer_fit_are_named_not_a_traceback(assessment):
    assert assessment.trace is not None
    facts = {**assessment.trace.facts, "no_such_fact": ({"id": "X"},)}
    odd = assessment.model_copy(
        update={"trace": assessment.trace.model_copy(update={"facts": facts})}
    )
    with pytest.raises(ApComplianceError, match="do not fit this version"):
        odd.why_not("H.2-notice-to-parents")


@pytest.mark.parametrize(
    "calendar",
    [
        SchoolCalendar.example(),
        SchoolCalendar(
            [(date(2025, 9, 3), date(2025, 10, 17)), (date(2025, 10, 27), date(2025, 12, 19))],
            {date(2025, 10, 27): "INSET day", date(2025, 11, 14): None},
            name="two half-terms",
            term_names=["autumn", "autumn"],
        ),
    ],
)
def test_a_calendar_is_rebuilt_from_its_data(calendar):
    data = CalendarData.of(calendar)
    assert data.calendar() == calendar
    again = CalendarData.model_validate_json(data.model_dump_json())
    assert again == data and again.calendar() == calendar
    assert [t.name for t in again.calendar().terms()] == [t.name for t in calendar.terms()]
    for day in (date(2025, 10, 27), date(2025, 11, 14), date(2025, 11, 13)):
        assert again.calendar().non_school_reason(day) == calendar.non_school_reason(day)


# -- across processes ------------------------------------------------------------------------


def test_assessments_from_worker_processes_are_plain_data_and_answer_why_not(calendar):
    items = [SUSPENSION, DIRECTION]
    day = date(2026, 1, 20)
    serial = list(evaluate_many(items, as_of=day, calendar=calendar))
    parallel = list(evaluate_many(items, as_of=day, calendar=calendar, processes=2))
    assert parallel == serial
    for here, there in zip(serial, parallel, strict=True):
        assert here.assessment is not None and there.assessment is not None
        assert there.assessment.trace is not None
        assert there.assessment.trace.rule_book == "rules"
        for rule in ("H.2-notice-to-parents", "I.1-sixth-day-provision"):
            assert there.assessment.why_not(rule) == here.assessment.why_not(rule)
        assert there.assessment.explain() == here.assessment.explain()


def test_a_worker_s_copy_of_the_gaps_rules_is_named_as_the_bundled_book(calendar):
    (result,) = evaluate_many(
        [SUSPENSION],
        as_of=date(2026, 1, 20),
        calendar=calendar,
        processes=2,
        evaluator=gaps_evaluator(),
    )
    assert result.assessment is not None and result.assessment.trace is not None
    assert result.assessment.trace.rule_book == "rules+gaps"
    why_not = result.assessment.why_not("G.0-gap-tell-local-authority-of-placement")
    assert "fired for case" in why_not
    copy = pickle.loads(pickle.dumps(load_rulebook(gaps=True)))
    assert book_identity(copy) == book_identity(load_rulebook(gaps=True))
    assert book_identity(load_rulebook()).name == "rules"


# -- which rule book ---------------------------------------------------------------------------


@pytest.fixture()
def custom(tmp_path, calendar) -> tuple[Evaluator, Assessment]:
    path = tmp_path / "I-stricter.yaml"
    path.write_text(REQUIREMENT, encoding="utf-8")
    evaluator = Evaluator(load_rulebook([path]))
    case = make_case(
        events=[
            {"kind": "suspension", "id": "S1", "first_day": "2025-10-16", "school_days": 2},
            notice("N1", "phone", "2025-10-16T16:00:00"),
        ]
    )
    return evaluator, evaluator.evaluate(case, as_of=AS_OF, calendar=calendar)


def test_why_not_of_a_custom_rule_book_needs_that_book(custom, tmp_path):
    evaluator, a = custom
    assert a.trace is not None and a.trace.rule_book == "custom"
    assert a.trace.rule_book_digest == rule_book_digest(evaluator.book)
    with pytest.raises(ApComplianceError, match=r"custom rule book; pass it.*book="):
        a.why_not("I.3-notice-never-by-phone")
    answer = a.why_not("I.3-notice-never-by-phone", book=evaluator.book)
    assert "fired for case T1" in " ".join(answer.split())
    # read back from JSON with its trace, and given the same rule file again, copied elsewhere
    again = Assessment.model_validate_json(a.to_json(trace=True))
    copy = tmp_path / "elsewhere" / "stricter.yaml"
    copy.parent.mkdir()
    copy.write_text(REQUIREMENT, encoding="utf-8")
    same = load_rulebook([copy])
    assert again.why_not("I.3-notice-never-by-phone", book=same) == a.why_not(
        "I.3-notice-never-by-phone", book=evaluator.book
    )


def test_a_rule_book_other_than_the_one_used_is_refused(custom, assessment):
    _, a = custom
    with pytest.raises(ApComplianceError, match="not the one this assessment was made with"):
        a.why_not("I.3-notice-never-by-phone", book=load_rulebook())
    with pytest.raises(ApComplianceError, match="not the one this assessment was made with"):
        assessment.why_not("H.2-notice-to-parents", book=load_rulebook(gaps=True))
    with pytest.raises(ApComplianceError, match="not the one this assessment was made with"):
        assessment.explain(book=load_rulebook(gaps=True))
    assert assessment.why_not("H.2-notice-to-parents", book=load_rulebook()) == (
        assessment.why_not("H.2-notice-to-parents")
    )


def test_an_assessment_from_another_version_of_the_bundled_rules_is_not_re_checked(assessment):
    assert assessment.trace is not None
    older = assessment.model_copy(
        update={"trace": assessment.trace.model_copy(update={"rule_book_digest": "0" * 16})}
    )
    with pytest.raises(ApComplianceError, match="another version of the bundled rules"):
        older.why_not("H.2-notice-to-parents")


def test_a_custom_rule_s_finding_explains_with_its_book(custom):
    evaluator, a = custom
    (finding,) = a.findings
    with_book = finding.explain(book=evaluator.book)
    assert "Why the rule applies:" in with_book
    assert "notice N1: in_writing is false" in " ".join(with_book.split())
    # the bundled rules have no rule of that id: its facts are listed instead
    assert "The facts it matched:" in finding.explain()
    assert a.explain(book=evaluator.book).count("Why the rule applies:") == 1
    assert "Why the rule applies:" not in a.explain()


def test_the_shared_evaluator_names_the_bundled_book():
    assert default_evaluator().book_identity.name == "rules"
    assert gaps_evaluator().book_identity.name == "rules+gaps"
    assert default_evaluator().book_identity.digest != gaps_evaluator().book_identity.digest
