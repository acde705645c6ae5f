"""The attendance register's session marks (`Case.register_marks`): what the case accepts,
what it refuses (naming the date, never the pupil), and that a register of a whole year costs
little. The register as evidence of provision is in tests/scenarios/register-evidence.yaml
and the properties in tests/test_sixth_day_properties.py."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from apcompliance import Case, SchoolCalendar
from apcompliance.errors import CaseError
from apcompliance.evaluation.derive import derive
from apcompliance.policy.settings import PolicySettings
from tests.conftest import section_evaluator

CAL = SchoolCalendar.example()
SUSPENSION = {"kind": "suspension", "id": "SUS-1", "first_day": "2025-11-03", "school_days": 10}


def case(*marks: dict[str, Any]) -> Case:
    return Case.model_validate(
        {
            "case_id": "REG-1",
            "pupil": {"year_group": 9},
            "events": [SUSPENSION],
            "register_marks": list(marks),
        },
        strict=False,
    )


def mark(day: str, session: str = "AM", code: str = "B") -> dict[str, str]:
    return {"date": day, "session": session, "code": code}


def test_an_unknown_code_is_refused_listing_the_valid_ones() -> None:
    with pytest.raises(ValidationError) as err:
        case(mark("2025-11-10", code="Q9"))
    text = str(err.value)
    assert "register_marks.0.code" in text
    for code in ("'B'", "'D'", "'K'", "'E'", "'C2'", "'X'", "'/'"):
        assert code in text


def test_a_session_is_am_or_pm() -> None:
    with pytest.raises(ValidationError, match=r"register_marks\.0\.session"):
        case(mark("2025-11-10", session="EVE"))


def test_a_session_marked_twice_is_refused_naming_the_session() -> None:
    with pytest.raises(ValidationError, match="marked more than once: 2025-11-10 AM"):
        case(mark("2025-11-10"), mark("2025-11-10", "PM"), mark("2025-11-10", code="E"))


def test_a_mark_on_a_day_that_is_not_a_school_day_is_refused_naming_the_day() -> None:
    c = case(mark("2025-11-15"))  # a Saturday
    with pytest.raises(CaseError, match=r"2025-11-15 \(Saturday\), not a school day"):
        derive(c, CAL, PolicySettings(), as_of=date(2025, 11, 24))
    c = case(mark("2025-10-27"))  # an INSET day
    with pytest.raises(CaseError, match="2025-10-27"):
        derive(c, CAL, PolicySettings(), as_of=date(2025, 11, 24))


def test_a_planned_closure_may_be_marked_on_a_day_that_is_not_a_school_day() -> None:
    c = case(mark("2025-10-27", code="#"), mark("2025-10-27", "PM", code="#"))
    facts = derive(c, CAL, PolicySettings(), as_of=date(2025, 11, 24))
    assert not [f for f in facts if f.type_name == "register_day"]


def test_a_mark_outside_the_calendar_is_refused_naming_the_day_and_the_calendar() -> None:
    c = case(mark("2026-09-07"))
    with pytest.raises(CaseError, match="2026-09-07, outside the calendar") as err:
        derive(c, CAL, PolicySettings(), as_of=date(2025, 11, 24))
    assert "REG-1" in str(err.value)


def test_one_fact_a_day_marked_with_both_sessions() -> None:
    c = case(mark("2025-11-11", "PM", "E"), mark("2025-11-10", "PM", "K"), mark("2025-11-10"))
    days = [f for f in derive(c, CAL, PolicySettings(), as_of=date(2025, 11, 24))]
    days = [f for f in days if f.type_name == "register_day"]
    assert [(f.id, f.am, f.pm) for f in days] == [  # type: ignore[attr-defined]
        ("register@2025-11-10", "B", "K"),
        ("register@2025-11-11", None, "E"),
    ]


def test_a_whole_year_of_marks_is_read_and_judged_quickly() -> None:
    """Every session of the example year (380 marks, B during the suspension, present
    otherwise): validation and evaluation stay well under a second, and the days off the
    period cost only a look-up."""
    days = [*CAL.school_days(CAL.first_day, CAL.last_day), CAL.last_day]
    marks = [
        mark(d.isoformat(), s, "B" if date(2025, 11, 10) <= d <= date(2025, 11, 14) else "/")
        for d in days
        for s in ("AM", "PM")
    ]
    evaluator = section_evaluator("I")
    started = time.perf_counter()
    c = case(*marks)
    assessment = evaluator.evaluate(c, as_of=date(2025, 11, 24), calendar=CAL)
    assert time.perf_counter() - started < 2.0
    (sixth,) = [f for f in assessment.findings if f.rule_id == "I.1-sixth-day-provision"]
    assert (sixth.status, sixth.met_by, sixth.uncovered) == ("met", "register@2025-11-10", ())
    steps = sixth.explanation.steps
    # the register's days are one step, not one a day
    assert "period: the register day records cover Mon 10 Nov 2025 to Fri 14 Nov 2025" in steps


def test_the_rule_network_never_sees_the_register_days() -> None:
    """No rule matches a register day in `when`: only periods read them, from the case's
    facts, so a register of thousands of days is never asserted into durable-rules."""
    from apcompliance.engines.compiler import compile_rulebook
    from apcompliance.language.rulebook import load_rulebook

    compiled = compile_rulebook(load_rulebook())
    assert "register_day" not in compiled.matched_types
    assert {"exclusion", "placement", "pupil"} <= compiled.matched_types
