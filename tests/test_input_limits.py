"""Limits on input, each a documented error naming what is wrong (issue 19; the bad-input corpus,
tests/bad_inputs/, runs the same inputs through the API and the command line): JSON and YAML
nested more than `textfiles.MAX_NESTING` deep, a YAML key given twice, a calendar's span and
its half-terms' school days, an empty cohort or export, `processes`, and an evaluation date
more than a year outside the calendar."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from apcompliance import SchoolCalendar, textfiles
from apcompliance.calendar.school_calendar import MAX_SPAN_DAYS
from apcompliance.errors import ApComplianceError, CalendarError, ExportFileError
from apcompliance.evaluation.cohort import MAX_PROCESSES, evaluate_many, read_jsonl
from apcompliance.evaluation.evaluator import AS_OF_MARGIN
from apcompliance.importing.reader import read_export

ROOT = Path(__file__).resolve().parents[1]
CAL = SchoolCalendar.example()
CASE = '{"case_id": "C-1", "pupil": {"year_group": 9}}'
D = date

# --- nesting ------------------------------------------------------------------------------------


@pytest.mark.parametrize("opening", ["[", '{"a": '])
def test_json_nested_100_deep_is_read_and_101_is_refused_at_the_bracket(opening):
    closing = "]" if opening == "[" else "}"
    assert textfiles.load_json(opening * 100 + "1" + closing * 100) is not None
    text = opening * 101 + "1" + closing * 101
    with pytest.raises(json.JSONDecodeError, match="nested more than 100 deep") as caught:
        textfiles.load_json(text)
    assert caught.value.pos == len(opening) * 100


def test_brackets_inside_json_strings_do_not_nest():
    text = json.dumps({"note": "[" * 500, "more": ["{" * 500]})
    assert textfiles.load_json(text)["note"] == "[" * 500


def test_yaml_nested_100_deep_is_read_and_101_is_refused_naming_line_and_column():
    assert textfiles.parse_yaml("[" * 100 + "]" * 100) is not None
    with pytest.raises(textfiles.YamlError) as caught:
        textfiles.parse_yaml("a: 1\nb: " + "[" * 100)
    assert str(caught.value) == "nested more than 100 deep (line 2, column 103)"


def test_yaml_aliases_cannot_nest_deeper_than_the_text_shows():
    chain = "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 200))
    data = textfiles.parse_yaml("a0: &a0 [x]\n" + chain)  # built in order: each alias is done
    assert data["a3"] == [[[["x"]]]]


def test_a_yaml_key_given_twice_and_an_impossible_date_are_named_with_their_line():
    with pytest.raises(textfiles.YamlError, match=r"'b' is given twice .*\(line 3, column 1\)"):
        textfiles.parse_yaml("a: 1\nb: 2\nb: 3\n")
    with pytest.raises(textfiles.YamlError, match=r"^2026-02-30 is not a date .*\(line 2, "):
        textfiles.parse_yaml("a: 1\nb: 2026-02-30\n", dates=True)
    assert textfiles.parse_yaml("b: 2026-02-30\n") == {"b": "2026-02-30"}  # a calendar's read


def test_yaml_and_json_are_parsed_only_in_textfiles():
    """One guard per format: no other module calls a YAML loader or `json.loads` on input
    (durable.py reads durable-rules' own messages; jsontext.py only looks for a key given twice
    in text pydantic's parser then reads, and answers a too-deep text by leaving it to that
    parser, which refuses it)."""
    pattern = re.compile(r"yaml\.(safe_load|load|SafeLoader|compose)\b|json\.loads?\(")
    for path in (ROOT / "src" / "apcompliance").rglob("*.py"):
        if path.name in ("textfiles.py", "durable.py", "jsontext.py"):
            continue
        assert not pattern.search(path.read_text("utf-8")), path


def test_a_cohort_line_nested_100000_deep_is_an_error_for_that_line():
    results = list(evaluate_many([CASE, "[" * 100_000], as_of=D(2025, 11, 20), calendar=CAL))
    assert results[0].ok
    assert results[1].error == "line 2: not valid JSON (nested more than 100 deep at column 101)"


# --- calendars ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("blocks", "closures", "words"),
    [
        ([(D(2025, 9, 1), D(2025, 9, 5)), (D(2025, 9, 13), D(2025, 9, 14))], (), "half-term 2 "),
        ([(D(2025, 9, 1), D(2025, 9, 2))], (D(2025, 9, 1), D(2025, 9, 2)), "half-term 1 "),
        ([(D(2025, 12, 25), D(2025, 12, 26))], (), "half-term 1 (spring"),
    ],
    ids=["a weekend", "every day closed", "bank holidays"],
)
def test_a_half_term_without_a_school_day_is_refused_naming_it(blocks, closures, words):
    names = ["autumn", "autumn"][: len(blocks)] if len(blocks) > 1 else ["spring"]
    with pytest.raises(CalendarError, match="has no school day") as caught:
        SchoolCalendar.from_terms(blocks, closures, term_names=names)
    assert words in str(caught.value)


def test_a_calendar_spans_at_most_3660_days():
    first = D(2025, 9, 1)

    def ending(last: date) -> SchoolCalendar:
        return SchoolCalendar.from_terms([(first, D(2025, 9, 5)), (last - timedelta(6), last)])

    assert MAX_SPAN_DAYS == 3660
    assert ending(first + timedelta(days=3659)).last_day == D(2035, 9, 8)  # 3,660 days
    with pytest.raises(CalendarError, match=r"spans more than 3660 days \(ten years\)"):
        ending(first + timedelta(days=3660))


def test_an_icalendar_event_of_ten_thousand_years_is_refused_naming_it():
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nX-WR-CALNAME:x\r\n"
        "BEGIN:VEVENT\r\nUID:1@x\r\nDTSTART;VALUE=DATE:20250901\r\nDTEND;VALUE=DATE:20251018\r\n"
        "SUMMARY:autumn\r\nCATEGORIES:HALF-TERM\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:2@x\r\nDTSTART;VALUE=DATE:00010101\r\nDTEND;VALUE=DATE:99991231\r\n"
        "CATEGORIES:CLOSURE\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    with pytest.raises(CalendarError, match=r"event 2 \(UID 2@x\): the event .* spans more"):
        SchoolCalendar.from_ical(text)


# --- cohorts and exports -------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n  \n\n"], ids=["empty", "blank lines"])
def test_a_cohort_without_cases_is_an_error_naming_the_file(tmp_path, text):
    path = tmp_path / "cohort.jsonl"
    path.write_text(text, "utf-8")
    with pytest.raises(ApComplianceError, match=r"^no cases in .*cohort\.jsonl: the file is"):
        list(read_jsonl(path))
    assert evaluate_many([], as_of=D(2025, 11, 20), calendar=CAL) is not None  # a list may be


@pytest.mark.parametrize(
    "text",
    ["", "UPN,CaseRef,DOB,NCyearActual,SENprovision,InCare,FSMeligible\n"],
    ids=["empty", "a header alone"],
)
def test_an_export_without_pupils_is_an_export_file_error(tmp_path, text):
    (tmp_path / "pupils.csv").write_text(text, "utf-8")
    with pytest.raises(ExportFileError, match=r"pupils\.csv: no pupils"):
        read_export([tmp_path / "pupils.csv"])


@pytest.mark.parametrize("processes", [0, MAX_PROCESSES + 1, 100_000])
def test_processes_outside_1_to_64_are_refused_before_any_worker_starts(processes):
    assert MAX_PROCESSES == 64
    with pytest.raises(ValueError, match="processes must be an integer from 1 to 64"):
        evaluate_many([CASE], as_of=D(2025, 11, 20), calendar=CAL, processes=processes)


# --- the evaluation date ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "refused"),
    [
        (CAL.last_day + AS_OF_MARGIN, False),
        (CAL.last_day + AS_OF_MARGIN + timedelta(days=1), True),
        (CAL.first_day - AS_OF_MARGIN, False),
        (CAL.first_day - AS_OF_MARGIN - timedelta(days=1), True),
        (D(2030, 1, 1), True),
    ],
)
def test_an_evaluation_date_more_than_a_year_outside_the_calendar_is_refused(as_of, refused):
    """Within a year (the summer holiday, the next school year's first weeks) what the calendar
    dates is graded and the rest is undetermined (tests/scenarios/undatable.yaml)."""
    results = lambda: list(evaluate_many([CASE], as_of=as_of, calendar=CAL))  # noqa: E731
    if not refused:
        assert results()[0].ok
        return
    with pytest.raises(CalendarError) as caught:
        results()
    assert str(caught.value).startswith(f"the evaluation date {as_of.isoformat()} is more than")
    assert "(2025-09-01..2026-07-21)" in str(caught.value)
