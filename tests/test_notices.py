"""Notices say what was arranged (issue 15 item 4): the finding names both values, and the
free text of an address or a person never leaves the case (it is compared by a key)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from apcompliance import Case, Evaluator
from apcompliance.calendar.school_calendar import SchoolCalendar
from apcompliance.evaluation.derive.notices import normalised, text_key
from apcompliance.results.assessment import Assessment

SCENARIOS = Path(__file__).parent / "scenarios" / "I-notices.yaml"


def _scenario(name: str) -> dict[str, Any]:
    doc = yaml.safe_load(SCENARIOS.read_text(encoding="utf-8"))
    (found,) = [s for s in doc["scenarios"] if s["name"] == name]
    return found


def _assess(name: str) -> Assessment:
    s = _scenario(name)
    case = Case.model_validate_json(json.dumps({"case_id": "NTC", **s["case"]}, default=str))
    return Evaluator().evaluate(case, as_of=s["as_of"], calendar=SchoolCalendar.example())


def _explained(a: Assessment, rule_id: str) -> str:
    (f,) = [f for f in a.findings if f.rule_id == rule_id]
    return f.explain()


def test_a_wrong_start_date_is_explained_with_both_dates() -> None:
    a = _assess("A notice giving the wrong start date breaches I.1.i and does not meet it")
    text = _explained(a, "I.1.i-notice-start-date-as-arranged")
    assert "provision_start_date is recorded (Tue 11 Nov 2025)" in text
    assert "start_date is Mon 10 Nov 2025" in text
    assert "(not notice.provision_start_date, Tue 11 Nov 2025)" in text


def test_wrong_session_times_are_explained_with_both_times() -> None:
    a = _assess("Session times that differ from the placement's breach I.1.ii")
    text = _explained(a, "I.1.ii-notice-session-times-as-arranged")
    assert "09:30-15:00" in text
    assert "09:00-15:00" in text


def test_an_address_never_leaves_the_case_in_findings_trace_or_explanations() -> None:
    a = _assess("Another address breaches I.1.iii and does not meet it")
    shown = a.to_json(trace=True) + _explained(a, "I.1.iii-notice-address-as-arranged")
    assert "Mill Lane" not in shown
    assert "mill lane" not in shown
    assert "I.1.iii-notice-address-as-arranged" in shown


def test_free_text_is_compared_ignoring_case_spaces_and_punctuation() -> None:
    assert normalised("  Riverside Learning Centre,\t1 Mill Lane;RV1 2AB ") == (
        "riverside learning centre 1 mill lane rv1 2ab"
    )
    key = text_key("C-1", "Ms Patel, Head of Centre")
    assert key == text_key("C-1", "ms patel head of centre")
    assert key != text_key("C-1", "Ms Patel, Head of Centres")
    assert text_key("C-1", "Flat 1, 2 Mill Lane") != text_key("C-1", "Flat 12 Mill Lane")
    assert key != text_key("C-2", "Ms Patel, Head of Centre")  # keys are per case
    assert text_key("C-1", None) is None


def test_the_first_day_cut_off_follows_its_switches() -> None:
    from datetime import time

    from apcompliance.evaluation.derive.notices import first_day_notice_due
    from apcompliance.policy.settings import PolicySettings

    day = date(2025, 11, 3)
    assert first_day_notice_due(day, PolicySettings()) == datetime(2025, 11, 3, 15, 0)
    school = PolicySettings(afternoon_session_ends=time(15, 20))
    assert first_day_notice_due(day, school) == datetime(2025, 11, 3, 15, 20)
    whole_day = PolicySettings(first_day_notice_by="end_of_day")
    assert first_day_notice_due(day, whole_day) == datetime(2025, 11, 3, 23, 59)


I_AS_ARRANGED = {
    "Another address breaches I.1.iii and does not meet it": "I.1.iii-notice-address-as-arranged",
    "Another person to report to breaches I.1.iv": "I.1.iv-notice-report-to-as-arranged",
    "Session times that differ from the placement's breach I.1.ii": (
        "I.1.ii-notice-session-times-as-arranged"
    ),
    "A notice giving the wrong start date breaches I.1.i and does not meet it": (
        "I.1.i-notice-start-date-as-arranged"
    ),
}


def test_each_detail_given_otherwise_than_arranged_is_a_breach_of_its_own_item() -> None:
    for name, rule_id in I_AS_ARRANGED.items():
        a = _assess(name)
        breached = {f.rule_id for f in a.violations if f.status == "breached"}
        assert {r for r in breached if r.startswith("I.")} == {rule_id}, name
        (f,) = [f for f in a.violations if f.rule_id == rule_id]
        sent = datetime(2025, 11, 3, 14, 0)  # the notice's own time: breached when sent
        assert (f.kind, f.subject, f.due) == ("requirement", "notice NTC-1", sent)


def test_the_first_day_notice_of_each_suspension_of_a_period() -> None:
    a = _assess("A further suspension of the same period needs its own notice")
    first = [f for f in a.findings if f.rule_id == "I.2-first-day-notice"]
    further = [f for f in a.findings if f.rule_id == "I.2-first-day-notice-of-further-suspension"]
    assert [(f.subject, f.status) for f in first] == [("exclusion SUS-1", "met")]
    assert [(f.subject, f.status) for f in further] == [("further_suspension SUS-2", "overdue")]
    assert further[0].explanation.readings == {
        "afternoon_session_ends": "15:00:00",
        "first_day_notice_by": "afternoon_session_ends",
    }


def test_a_referral_notice_giving_other_details_breaches_each_of_them() -> None:
    doc = yaml.safe_load((SCENARIOS.parent / "H-notices-as-arranged.yaml").read_text("utf-8"))
    (s,) = [s for s in doc["scenarios"] if s["name"].startswith("A referral notice with the wrong")]
    case = Case.model_validate_json(json.dumps({"case_id": "REF", **s["case"]}, default=str))
    a = Evaluator().evaluate(case, as_of=s["as_of"], calendar=SchoolCalendar.example())
    breached = {f.rule_id for f in a.violations if f.status == "breached"}
    assert breached >= {
        "H.3.i-notice-start-date-as-arranged",
        "H.2.i-notice-address-as-arranged",
        "H.2.ii-notice-report-to-as-arranged",
        "H.2.vi-notice-session-times-as-arranged",
    }
    assert "Riverside" not in a.to_json(trace=True)
