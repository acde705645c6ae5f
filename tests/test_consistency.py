"""Consistency checks on facts (issue 19, point 6): facts that cannot all be true are clear
errors naming the fields, never a value; a cohort lists each case once."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from apcompliance.calendar.school_calendar import SchoolCalendar
from apcompliance.cli import main
from apcompliance.errors import CaseError, DuplicateKeyError
from apcompliance.evaluation.cohort import CohortSummary, evaluate_many
from apcompliance.evaluation.evaluator import shared_evaluator
from apcompliance.facts import Case
from apcompliance.jsontext import reject_duplicate_keys, validate_json
from apcompliance.policy.settings import PolicySettings

CAL = SchoolCalendar.example()
CALENDAR_FILE = (
    Path(__file__).parents[1] / "src/apcompliance/data/calendars/example-la-2025-26.yaml"
)
AS_OF = date(2025, 11, 24)


def case(case_id: str = "C-1", **pupil: Any) -> dict[str, Any]:
    return {"case_id": case_id, "pupil": {"year_group": 10, **pupil}}


# --- work marked before it was set ---------------------------------------------------------------


def work(**fields: str) -> dict[str, Any]:
    out = case()
    out["events"] = [
        {"kind": "suspension", "id": "SUS-1", "first_day": "2025-11-03", "school_days": 3},
        {"kind": "work_set", "id": "W-1", "about": "SUS-1", "set_on": "2025-11-04", **fields},
    ]
    return out


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"marked_on": "2025-11-03"}, "marked_on is before set_on"),
        ({"set_for_until": "2025-11-03"}, "set_for_until is before set_on"),
    ],
)
def test_work_marked_before_it_was_set_is_invalid(fields: dict[str, str], words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Case.model_validate_json(json.dumps(work(**fields)))
    assert words in str(caught.value) and "2025-11-03" not in str(caught.value)


def test_work_marked_the_day_it_was_set_is_valid() -> None:
    Case.model_validate_json(json.dumps(work(marked_on="2025-11-04")))


# --- duplicate JSON keys -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ('{"case_id": "A", "case_id": "B"}', "case_id"),
        ('{"pupil": {"year_group": 9, "year_group": 11}}', "pupil.year_group"),
        ('{"events": [{"id": "E1"}, {"id": "E2", "about": "x", "about": "y"}]}', "events.1.about"),
        ('{"pupil": {"Jane Doe": 1, "Jane Doe": 2}}', "pupil.<key>"),
    ],
)
def test_a_duplicate_key_names_its_path_and_no_value(text: str, path: str) -> None:
    with pytest.raises(DuplicateKeyError) as caught:
        reject_duplicate_keys(text)
    assert caught.value.path == path
    assert "Jane" not in str(caught.value) and '"B"' not in str(caught.value)


def test_text_without_duplicates_or_not_json_passes_to_the_model() -> None:
    reject_duplicate_keys('{"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}]}')
    reject_duplicate_keys("{not json")
    with pytest.raises(DuplicateKeyError):
        validate_json(
            PolicySettings,
            '{"referral_notice_clear_days": true, "referral_notice_clear_days": false}',
        )


def test_check_refuses_a_duplicate_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "case.json"
    file.write_text('{"case_id": "C-1", "pupil": {"year_group": 9, "year_group": 11}}')
    code = main(["check", str(file), "--as-of", "2025-11-24", "--calendar", str(CALENDAR_FILE)])
    err = capsys.readouterr().err
    assert code == 2
    assert "pupil.year_group: duplicate key" in err and "Traceback" not in err


def test_check_many_reports_a_line_with_a_duplicate_key_and_goes_on() -> None:
    lines = [
        (1, json.dumps(case("A"))),
        (2, '{"case_id": "B", "pupil": {"year_group": 9, "year_group": 11}}'),
        (3, json.dumps(case("C"))),
    ]
    results = list(evaluate_many(lines, as_of=AS_OF, calendar=CAL))
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].error == (
        "case B (line 2): invalid case: pupil.year_group: duplicate key (given twice in one "
        "object; remove one: which to keep cannot be guessed)"
    )


# --- duplicate case ids in a cohort --------------------------------------------------------------


@pytest.mark.parametrize("processes", [1, 2])
def test_a_later_line_with_a_case_id_already_seen_is_an_error(processes: int) -> None:
    lines = [(1, json.dumps(case("A"))), (2, json.dumps(case("B"))), (4, json.dumps(case("A")))]
    lines.append((7, json.dumps(case("A"))))
    results = list(
        evaluate_many(lines, as_of=AS_OF, calendar=CAL, processes=processes, chunksize=1)
    )
    assert [r.ok for r in results] == [True, True, False, False]
    assert results[2].error == (
        "case A (line 4): the same case_id as line 1: a cohort lists each case once (this "
        "line is left out)"
    )
    assert "line 7" in (results[3].error or "") and "line 1" in (results[3].error or "")
    summary = CohortSummary.of(results)
    assert (summary.assessed, summary.errors) == (2, 2)


# --- dates of birth against the year group -------------------------------------------------------


def test_a_date_of_birth_before_1900_is_invalid() -> None:
    with pytest.raises(ValidationError) as caught:
        Case.model_validate_json(json.dumps(case(date_of_birth="1800-01-01")))
    assert "before 1900" in str(caught.value)
    assert "1800" not in str(caught.value)


@pytest.mark.parametrize(
    ("born", "words"),
    [
        ("2026-01-01", "pupil.date_of_birth is after the evaluation date"),
        ("2004-08-31", "pupil.date_of_birth does not fit pupil.year_group"),  # 6 years older
        ("2016-09-01", "pupil.date_of_birth does not fit pupil.year_group"),  # 6 years younger
    ],
)
def test_an_impossible_date_of_birth_is_a_case_error(born: str, words: str) -> None:
    c = Case.model_validate_json(json.dumps(case(date_of_birth=born)))
    with pytest.raises(CaseError) as caught:
        shared_evaluator().evaluate(c, as_of=AS_OF, calendar=CAL)
    assert words in str(caught.value) and born[:4] not in str(caught.value)


@pytest.mark.parametrize(
    ("year_group", "born", "older"),
    [
        (10, "2010-09-01", 0),  # the first day of the usual school year of birth
        (10, "2011-08-31", 0),  # its last
        (10, "2010-08-31", 1),
        (10, "2005-09-01", 5),
        (0, "2020-09-01", 0),
        (14, "2000-09-01", 6),  # kept on beyond Year 13: up to 25
    ],
)
def test_years_older_than_the_year_group(year_group: int, born: str, older: int) -> None:
    c = Case.model_validate_json(json.dumps(case(year_group=year_group, date_of_birth=born)))
    assert c.pupil.years_older_than_year_group(AS_OF) == older
    assert c.pupil.date_of_birth_problem(AS_OF) is None
    relied_on = c.pupil.reliable_date_of_birth(AS_OF) is not None
    assert relied_on == (older <= 2 or year_group == 14)


def test_check_refuses_the_1800_date_of_birth(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "case.json"
    file.write_text(json.dumps(case(date_of_birth="1800-01-01")))
    code = main(["check", str(file), "--as-of", "2025-11-24", "--calendar", str(CALENDAR_FILE)])
    err = capsys.readouterr().err
    assert code == 2 and "pupil.date_of_birth: before 1900" in err and "1800-01" not in err
