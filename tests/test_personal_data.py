"""Pupil data never leaves through outputs, logs or errors (UK GDPR)."""

from __future__ import annotations

import json
import logging
from datetime import date

import pytest

from apcompliance import CaseError, Evaluator
from apcompliance.cli import main
from tests.conftest import make_case

MARKERS = ("Zebedee", "Quillfeather", "A12345678901Z", "2011-02-03")


def marked_pupil(**more):
    return {
        "year_group": 9,
        "name": "Zebedee Quillfeather",
        "upn": "A12345678901Z",
        "date_of_birth": "2011-02-03",
        "looked_after": True,
        **more,
    }


def test_assessments_carry_no_names_upns_or_dates_of_birth(calendar, caplog, capsys, tmp_path):
    case = make_case(
        "PD1",
        pupil=marked_pupil(),
        events=[{"kind": "suspension", "id": "S1", "first_day": "2025-10-16", "school_days": 7}],
    )
    caplog.set_level(logging.DEBUG)
    assessment = Evaluator().evaluate(case, as_of=date(2025, 11, 10), calendar=calendar)
    path = tmp_path / "case.json"
    path.write_text(case.model_dump_json())
    calendar_file = tmp_path / "cal.yaml"
    calendar_file.write_text(
        "name: test\nhalf_terms:\n  - {term: autumn, first_day: 2025-09-01, last_day: 2025-12-19}\n"
    )
    main(["check", str(path), "--as-of", "2025-11-10", "--calendar", str(calendar_file), "--json"])
    main(["check", str(path), "--as-of", "2025-11-10", "--calendar", str(calendar_file)])
    outputs = [assessment.to_json(), capsys.readouterr().out, caplog.text]
    assert assessment.violations  # the case did produce findings to inspect
    for text in outputs:
        for marker in MARKERS:
            assert marker not in text


def test_errors_about_a_case_name_only_its_id(calendar):
    case = make_case(
        "PD2",
        pupil=marked_pupil(),
        events=[{"kind": "suspension", "id": "S1", "first_day": "2025-10-18", "school_days": 2}],
    )
    with pytest.raises(CaseError) as caught:
        Evaluator().evaluate(case, as_of=date(2025, 11, 10), calendar=calendar)
    message = str(caught.value)
    assert message.startswith("case PD2: suspension S1: first_day 2025-10-18 is not a school day")
    for marker in MARKERS:
        assert marker not in message


def test_the_json_of_an_assessment_has_no_pupil_section(calendar):
    case = make_case("PD3", pupil=marked_pupil())
    data = json.loads(
        Evaluator().evaluate(case, as_of=date(2025, 11, 10), calendar=calendar).to_json()
    )
    assert "pupil" not in data


DIRECTION_MARKERS = ("Wobblecombe", "Tarragon-Vane", "Pickleworth", "Ostrich")


def test_the_free_text_of_a_referral_notice_never_reaches_an_assessment(calendar, caplog):
    """Reasons, objectives, addresses and names in a notice are the pupil's data: the engine
    sees only whether they were given."""
    case = make_case(
        "PD4",
        pupil=marked_pupil(ehc_plan=True),
        placements=[
            {
                "id": "OSD-1",
                "kind": "off_site_direction",
                "arranged_on": "2025-11-10",
                "start_date": "2025-11-17",
                "full_time": True,
                "address": "1 Wobblecombe Road",
                "report_to": "Ms Tarragon-Vane",
            }
        ],
        events=[
            {
                "kind": "referral_notice",
                "id": "R1",
                "placement_id": "OSD-1",
                "sent_at": "2025-11-14T09:00:00",
                "method": "letter",
                "recipients": ["parents"],
                "provision_address": "1 Wobblecombe Road",
                "report_to": "Ms Tarragon-Vane",
                "reasons": "Pickleworth incident",
                "objectives": "Ostrich objectives",
            }
        ],
    )
    caplog.set_level(logging.DEBUG)
    assessment = Evaluator().evaluate(case, as_of=date(2025, 12, 1), calendar=calendar)
    assert assessment.violations  # the notice was late: there is something to inspect
    for text in (assessment.to_json(), caplog.text):
        for marker in MARKERS + DIRECTION_MARKERS:
            assert marker not in text
