"""A Trust's own rule files run through the same loader, compiler, engine and judge."""

from __future__ import annotations

from datetime import date

from apcompliance import Evaluator
from apcompliance.language.rulebook import load_rulebook
from tests.conftest import make_case

REQUIREMENT = """
section: I
title: a Trust's stricter reading of I.3
rules:
  - id: I.3-notice-never-by-phone
    clause: I.3
    says: The notice must be provided in writing
    kind: requirement
    duty_holder: headteacher
    action: never give the notice by phone alone
    when:
      notice: {in_writing: false, method: {ne: in_person}, gives_address: {exists: true}}
    due: {at: notice.sent_on}
"""


def notice(id: str, method: str, sent_at: str) -> dict[str, str]:
    return {
        "kind": "exclusion_notice",
        "id": id,
        "about": "S1",
        "sent_at": sent_at,
        "method": method,
    }


def test_a_requirement_is_breached_on_the_day_it_fires(tmp_path, calendar):
    path = tmp_path / "I-stricter.yaml"
    path.write_text(REQUIREMENT, encoding="utf-8")
    evaluator = Evaluator(load_rulebook([path]))
    case = make_case(
        events=[
            {"kind": "suspension", "id": "S1", "first_day": "2025-10-16", "school_days": 2},
            notice("N1", "phone", "2025-10-16T16:00:00"),
            notice("N2", "in_person", "2025-10-17T09:00:00"),
            notice("N3", "letter", "2025-10-17T10:00:00"),
        ]
    )
    assessment = evaluator.evaluate(case, as_of=date(2025, 11, 10), calendar=calendar)
    (finding,) = assessment.findings  # N2 is in person (ne), N3 is in writing
    assert (finding.rule_id, finding.subject, finding.status, finding.due) == (
        "I.3-notice-never-by-phone",
        "notice N1",
        "breached",
        date(2025, 10, 16),
    )
    assert assessment.violations == (finding,)


def test_a_requirement_whose_day_is_still_to_come_is_at_risk_not_breached(tmp_path, calendar):
    path = tmp_path / "I-stricter.yaml"
    path.write_text(REQUIREMENT, encoding="utf-8")
    evaluator = Evaluator(load_rulebook([path]))
    case = make_case(
        events=[
            {"kind": "suspension", "id": "S1", "first_day": "2025-10-16", "school_days": 2},
            notice("N1", "phone", "2025-10-17T16:00:00"),  # planned for Friday
        ]
    )
    before = evaluator.evaluate(case, as_of=date(2025, 10, 16), calendar=calendar)
    on_the_day = evaluator.evaluate(case, as_of=date(2025, 10, 17), calendar=calendar)
    assert [(f.status, f.due) for f in before.findings] == [("at_risk", date(2025, 10, 17))]
    assert before.violations == ()
    assert [(f.status, f.due) for f in on_the_day.findings] == [("breached", date(2025, 10, 17))]
