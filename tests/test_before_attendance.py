"""Duties done before the pupil first attends (`due: {before: ...}`): the loader's checks, the
explanation's words and the time a record gives. The grading itself is in the YAML scenarios,
tests/scenarios/placement-before-attendance.yaml.

Placement PL-1 starts Mon 3 Nov 2025 (example calendar), its first session at 09:00.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from apcompliance import RuleFileError
from apcompliance.facts import ProviderCheck
from apcompliance.language.rulebook import load_rulebook, parse_rule_file
from apcompliance.outputs.handbook import switches_of
from tests.scenarios import TWO_SESSIONS, assess, case, the
from tests.test_rulebook import with_rule

START = date(2025, 11, 3)
G22 = "G.2.2-written-safeguarding-confirmation"


def _case(*events: dict[str, Any]) -> Any:
    return case(
        *events,
        providers=[
            {
                "id": "PRV-1",
                "name": "Harbour View Learning",
                "kind": "unregistered",
                "on_la_approved_list": True,
                "addresses": [{"lines": ["4 Quayside Yard"], "postcode": "ZZ9 4QY"}],
            }
        ],
        placements=[
            {
                "id": "PL-1",
                "kind": "other",
                "start_date": START,
                "full_time": True,
                "provider_id": "PRV-1",
                "session_times": TWO_SESSIONS,
            }
        ],
    )


def _check(on: str, at: str | None = None) -> dict[str, Any]:
    check = {
        "kind": "provider_check",
        "id": "CHK-1",
        "provider_id": "PRV-1",
        "checked_on": on,
        "check": "staff_safeguarding_checks_confirmed",
        "in_writing": True,
    }
    return check if at is None else {**check, "checked_at": at}


def test_not_done_on_the_first_day_says_it_had_to_come_before_the_pupil_attended() -> None:
    f = the(assess(_case(), START, "G"), G22)
    assert f.explanation.steps[0] == (
        "due: must be done before the pupil first attends on Mon 3 Nov 2025"
        " (placement.start_date); its first session starts at 09:00"
    )
    text = f.explain()
    assert "overdue: not done before the pupil first attended on Mon 3 Nov 2025" in text
    assert f.explanation.readings == {"same_day_before_attendance": False}


def test_a_record_after_the_first_session_says_why_it_is_late() -> None:
    a = assess(_case(_check("2025-11-03", "2025-11-03T10:00")), date(2025, 11, 10), "G")
    f = the(a, G22)
    assert f.status == "late"
    assert "provider_check CHK-1 came at 10:00, not before the first session at 09:00" in (
        f.explanation.steps
    )
    assert "late: done on Mon 3 Nov 2025, not before the pupil first attended" in f.explain()


def test_a_record_of_the_first_day_without_a_time_says_the_switch_decides() -> None:
    f = the(assess(_case(_check("2025-11-03")), date(2025, 11, 10), "G"), G22)
    assert f.status == "late"
    assert any("(same_day_before_attendance is false)" in s for s in f.explanation.steps)


def test_a_record_before_the_first_session_is_met_before_the_pupil_attended() -> None:
    a = assess(_case(_check("2025-11-03", "2025-11-03T08:59")), date(2025, 11, 10), "G")
    f = the(a, G22)
    assert (f.status, f.met_by) == ("met", "CHK-1")
    assert "met: done on Mon 3 Nov 2025, before the pupil first attended" in f.explain()


def test_a_records_time_must_fall_on_its_day() -> None:
    with pytest.raises(ValidationError, match="checked_at is not on the day checked_on gives"):
        ProviderCheck.model_validate_json(
            '{"id": "C", "provider_id": "P", "checked_on": "2025-11-03",'
            ' "checked_at": "2025-11-04T08:00", "check": "all_adults_cleared"}'
        )


def test_the_switch_bears_only_on_duties_met_by_a_record() -> None:
    rules = {r.id: r for r in load_rulebook().rules}
    assert switches_of(rules[G22]) == ["same_day_before_attendance"]
    assert switches_of(rules["K.3-on-approved-list"]) == []


@pytest.mark.parametrize(
    ("due", "message"),
    [
        (
            {"at": "exclusion.first_day", "first_session": "exclusion.first_day"},
            r"due\.first_session: only with before",
        ),
        (
            {"before": "exclusion.first_day", "not_before": "exclusion.first_day"},
            r"due\.not_before: not with before",
        ),
        ({"before": "exclusion.school_days"}, r"due\.before: exclusion\.school_days is not a date"),
    ],
)
def test_the_loader_checks_a_before_deadline(due: dict[str, str], message: str) -> None:
    with pytest.raises(RuleFileError, match=message):
        parse_rule_file(with_rule(due=due), "rules/typo.yaml")


def test_a_requirement_may_be_due_before_an_event() -> None:
    text = with_rule(kind="requirement", met_by=None, due={"before": "exclusion.first_day"})
    assert parse_rule_file(text, "rules/ok.yaml").rules[0].due.before == "exclusion.first_day"  # type: ignore[union-attr]
