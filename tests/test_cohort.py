"""Cohorts: evaluate_many streams results in input order, one bad case never stops the rest,
workers give the same answers, the summary counts violations by section, duty holder and case;
and `apcompliance check-many` with its progress bar, JSON Lines, iCalendar and exit status."""

from __future__ import annotations

import io
import itertools
import json
import sys
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from apcompliance import ApComplianceError, Case, NotUtf8Error, evaluate
from apcompliance.cli import main
from apcompliance.evaluation.cohort import CaseResult, CohortSummary, evaluate_many, read_jsonl
from apcompliance.evaluation.evaluator import gaps_evaluator
from tests.scenarios import CAL, case, suspension

EXAMPLES = resources.files("apcompliance") / "data/examples"
CALENDAR = str(resources.files("apcompliance") / "data/calendars/example-la-2025-26.yaml")
DAY = date(2026, 1, 20)


def example_text(name: str) -> str:
    """A bundled example case as one line of JSON."""
    return json.dumps(json.loads((EXAMPLES / name).read_text("utf-8")))


SUSPENSION = example_text("suspension-case.json")
DIRECTION = example_text("off-site-direction-case.json")


@pytest.fixture()
def cohort_file(tmp_path: Path) -> Path:
    """The two bundled examples and a malformed third line (a blank line at the end)."""
    path = tmp_path / "cohort.jsonl"
    path.write_text(f"{SUSPENSION}\n{DIRECTION}\n{{oops\n\n", encoding="utf-8")
    return path


def outside_the_calendar(case_id: str = "OUT-1") -> Case:
    return case(suspension("S1", date(2026, 8, 3), 2), case_id=case_id)


# --- evaluate_many --------------------------------------------------------------------------------


def test_two_examples_and_a_malformed_line_give_two_assessments_and_an_error_naming_line_3(
    cohort_file,
):
    results = list(evaluate_many(read_jsonl(cohort_file), as_of=DAY, calendar=CAL))
    assert [(r.line, r.case_id, r.ok) for r in results] == [
        (1, "EX-2025-014", True),
        (2, "EX-2025-031", True),
        (3, None, False),
    ]
    assert results[2].assessment is None
    assert results[2].error == (
        "line 3: not valid JSON (Expecting property name enclosed in double quotes at column 2)"
    )
    # the same assessments as one at a time
    for r, text in zip(results, (SUSPENSION, DIRECTION), strict=False):
        assert r.assessment == evaluate(Case.model_validate_json(text), as_of=DAY, calendar=CAL)
    assert [len(r.assessment.violations) for r in results[:2]] == [12, 10]


def test_every_kind_of_bad_item_is_an_error_for_that_item_only(calendar):
    items = [
        outside_the_calendar(),
        json.dumps({"case_id": "V-1", "pupil": {"year_group": "nine"}}),
        "[1, 2]",
        42,
        b"\xff\xfe",
        DIRECTION,
    ]
    results = list(evaluate_many(items, as_of=DAY, calendar=calendar))
    errors = [r.error for r in results]
    assert errors[0].startswith("case OUT-1 (line 1): ")
    assert "2026-08-03" in errors[0]
    assert "case OUT-1 (line 1): case OUT-1" not in errors[0]  # the case id is named once
    assert (
        errors[1]
        == "case V-1 (line 2): invalid case: pupil.year_group: Input should be a valid integer"
    )
    assert errors[2] == "line 3: expected a JSON object (a case), got list"
    assert errors[3] == "line 4: expected a case (a Case, JSON text or a mapping), got int"
    assert errors[4] == "line 5: not UTF-8 text"
    assert errors[5] is None
    assert results[5].assessment is not None
    assert results[5].assessment.case_id == "EX-2025-031"


def test_errors_never_echo_the_input_values(calendar):
    row = {"case_id": "PD-1", "pupil": {"year_group": 9, "name": 12345, "upn": "A123"}}
    (result,) = evaluate_many([row], as_of=DAY, calendar=calendar)
    assert result.error.startswith("case PD-1 (line 1): invalid case: pupil.upn: ")
    assert result.error.endswith("; pupil.name: Input should be a valid string")
    assert "12345" not in result.error and "A123" not in result.error


def test_mappings_with_date_objects_rows_of_a_data_frame_are_cases(calendar):
    row = {
        "case_id": "ROW-1",
        "pupil": {"year_group": 9},
        "events": [suspension("S1", date(2025, 10, 16), 7)],  # a datetime.date, not a string
    }
    (result,) = evaluate_many([row], as_of=date(2025, 11, 10), calendar=calendar)
    assert result.ok, result.error
    sixth = next(f for f in result.assessment.findings if f.rule_id == "I.1-sixth-day-provision")
    # the sixth school day from Thu 16 Oct 2025, skipping half-term and the INSET day 27 Oct
    assert (sixth.due, sixth.status) == (date(2025, 10, 31), "overdue")


def test_line_numbers_come_from_line_item_pairs_else_from_positions(calendar):
    pairs = [(7, DIRECTION), (12, "{")]
    assert [r.line for r in evaluate_many(pairs, as_of=DAY, calendar=calendar)] == [7, 12]
    plain = [DIRECTION, "{"]
    assert [r.line for r in evaluate_many(plain, as_of=DAY, calendar=calendar)] == [1, 2]


def test_results_stream_without_reading_the_whole_input(calendar):
    taken = itertools.count()

    def endless():
        while True:
            next(taken)
            yield DIRECTION

    first = list(itertools.islice(evaluate_many(endless(), as_of=DAY, calendar=calendar), 3))
    assert [r.case_id for r in first] == ["EX-2025-031"] * 3
    assert next(taken) == 3  # exactly three items were read


def renamed(text: str, case_id: str) -> str:
    """A case's JSON text under another case id (a cohort lists each case once)."""
    return json.dumps({**json.loads(text), "case_id": case_id})


def test_worker_processes_give_the_same_results_in_input_order(calendar):
    again = [renamed(DIRECTION, "EX-DIR-2"), renamed(SUSPENSION, "EX-SUS-2")]
    items = [SUSPENSION, "{", DIRECTION, outside_the_calendar(), *again, "[]"]
    serial = list(evaluate_many(items, as_of=DAY, calendar=calendar))
    parallel = list(evaluate_many(items, as_of=DAY, calendar=calendar, processes=2, chunksize=2))
    assert parallel == serial
    assert [r.line for r in parallel] == [1, 2, 3, 4, 5, 6, 7]
    assert [r.ok for r in parallel] == [True, False, True, False, True, True, False]


def test_each_worker_uses_the_engine_it_is_given(calendar):
    from apcompliance import Evaluator
    from apcompliance.engines.python import PYTHON_ENGINE_NAME

    (result,) = evaluate_many(
        [SUSPENSION],
        as_of=DAY,
        calendar=calendar,
        processes=2,
        evaluator=Evaluator(engine="python"),
    )
    assert result.assessment.engine == PYTHON_ENGINE_NAME


def test_each_worker_builds_the_evaluator_it_is_given(calendar):
    (result,) = evaluate_many(
        [SUSPENSION], as_of=DAY, calendar=calendar, processes=2, evaluator=gaps_evaluator()
    )
    gaps = {f.rule_id for f in result.assessment.findings if "-gap-" in f.rule_id}
    assert gaps == {"G.0-gap-tell-local-authority-of-placement"}
    law = {f.rule_id for f in result.assessment.findings if f.tier == "statutory"}
    assert law == {
        "I.law-tell-local-authority-of-suspension",
        "I.law-tell-social-worker-of-suspension",
        "I.law-tell-virtual-school-head-of-suspension",
    }


def test_bad_arguments_are_refused(calendar):
    with pytest.raises(ValueError, match="processes must be"):
        evaluate_many([], as_of=DAY, calendar=calendar, processes=0)
    with pytest.raises(ValueError, match="chunksize must be"):
        evaluate_many([], as_of=DAY, calendar=calendar, processes=2, chunksize=0)


# --- read_jsonl -----------------------------------------------------------------------------------


def test_read_jsonl_numbers_lines_skips_blanks_and_drops_a_byte_order_mark(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"a": 1}\n\n   \n{"b": "\xc3\xa9"}\r\n{"c": 3}')
    assert list(read_jsonl(path)) == [(1, '{"a": 1}'), (4, '{"b": "\u00e9"}'), (5, '{"c": 3}')]


def test_read_jsonl_stops_at_a_byte_that_is_not_utf8_naming_its_offset_not_the_byte(tmp_path):
    """A file saved as Latin-1 is an error naming the file, the byte offset and the line (a
    byte turned into U+FFFD would change a pupil's data without a word)."""
    path = tmp_path / "c.jsonl"
    path.write_bytes(b'{"a": 1}\n\n{"b": "Zo\xeb"}\n{"c": 3}\n')
    lines = read_jsonl(path)
    assert next(lines) == (1, '{"a": 1}')
    with pytest.raises(
        NotUtf8Error,
        match=r"c\.jsonl: not UTF-8 text: the byte at offset 19 \("
        r"line 3\)",
    ) as caught:
        next(lines)
    assert (caught.value.offset, caught.value.line) == (19, 3)
    assert "\xeb" not in str(caught.value) and "Zo" not in str(caught.value)


def test_read_jsonl_reads_a_binary_stream_once_naming_it_by_its_name():
    stream = io.BytesIO(b'\xef\xbb\xbf{"a": 1}\n{"b": "\xff"}\n')
    stream.name = "<stdin>"
    lines = read_jsonl(stream)
    assert next(lines) == (1, '{"a": 1}')
    with pytest.raises(NotUtf8Error, match=r"^<stdin>: not UTF-8 text: the byte at offset 19 "):
        next(lines)


def test_read_jsonl_names_a_file_it_cannot_read(tmp_path):
    with pytest.raises(ApComplianceError, match=r"nope\.jsonl: cannot read"):
        list(read_jsonl(tmp_path / "nope.jsonl"))


# --- the summary ----------------------------------------------------------------------------------


def test_the_summary_counts_violations_by_section_duty_holder_and_case(cohort_file, calendar):
    summary = CohortSummary.of(evaluate_many(read_jsonl(cohort_file), as_of=DAY, calendar=calendar))
    data = summary.to_dict()
    assert {k: data[k] for k in ("cases", "assessed", "errors")} == {
        "cases": 3,
        "assessed": 2,
        "errors": 1,
    }
    assert (data["cases_with_violations"], data["violations"]) == (2, 22)

    def row(overdue, late=0, breached=0):
        return {"overdue": overdue, "late": late, "breached": breached}

    assert data["by_section"] == {
        "C": row(1),
        "E": row(1),
        "G": row(2),
        "H": row(6),
        "I": row(3, 3),  # with the law beside section I: the local authority, the VSH
        "L": row(1),
        "O": row(0, 1),
        "Q": row(4),  # Q.5: the parents at the meeting, "where possible" an obligation
    }
    assert data["by_duty_holder"] == {
        "ap_lead": row(1),
        "attendance_lead": row(1, 1),
        "dsl": row(1),
        "headteacher": row(5, 2),  # I.2: the second suspension's notice, the next morning
        "school": row(10, 1),
    }
    assert data["by_case"] == {"EX-2025-014": row(9, 3), "EX-2025-031": row(9, 1)}
    assert data["error_messages"] == [
        "line 3: not valid JSON (Expecting property name enclosed in double quotes at column 2)"
    ]


def test_the_summary_text_lists_at_most_the_first_errors():
    summary = CohortSummary()
    for n in range(1, 4):
        summary.add(CaseResult(n, None, error=f"line {n}: bad"))
    text = summary.to_text(max_errors=2)
    assert "3 case(s): 0 assessed, 3 error(s)" in text
    assert "  line 2: bad\n  ... and 1 more" in text


# --- the command line -----------------------------------------------------------------------------


def test_check_many_prints_the_summary_and_exits_2_when_a_line_is_bad(capsys, cohort_file):
    argv = ["check-many", str(cohort_file), "--as-of", "2026-01-20", "--calendar", CALENDAR]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert (
        lines[0] == "Cohort cohort.jsonl as of Tue 20 Jan 2026 on Example Borough Council 2025-26"
    )
    assert (
        lines[1] == "3 case(s): 2 assessed, 1 error(s); 2 with violations, 22 violation(s) in all"
    )
    assert lines[2] == "96 duties met, 22 violated: compliance rate 81%"
    assert "H  Referral process for Off-site direction" in out
    assert any(
        line.split()[:1] == ["I"] and line.split()[-6:] == ["3", "3", "0", "6", "4", "40%"]
        for line in lines
    )
    assert any(line.split() == ["school", "10", "1", "0", "11"] for line in lines)
    assert any(line.split() == ["EX-2025-031", "9", "1", "0", "10"] for line in lines)
    assert "  line 3: not valid JSON" in out
    assert (
        err == "apcompliance: 1 of 3 case(s) could not be assessed\n"
    )  # no progress bar: not a TTY


def test_check_many_exits_1_on_violations_and_0_without(capsys, tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text(SUSPENSION + "\n")
    base = ["check-many", str(good), "--calendar", CALENDAR]
    assert main([*base, "--as-of", "2025-11-10"]) == 1
    assert main([*base, "--as-of", "2025-10-16"]) == 0
    assert "1 case(s): 1 assessed, 0 error(s); 0 with violations" in capsys.readouterr().out


def test_check_many_json_is_one_line_per_case_in_input_order(capsys, cohort_file):
    argv = ["check-many", str(cohort_file), "--as-of", "2026-01-20", "--calendar", CALENDAR]
    assert main([*argv, "--json", "--processes", "2"]) == 2
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    first, second, third = (json.loads(line) for line in lines)
    assert (first["case_id"], second["case_id"]) == ("EX-2025-014", "EX-2025-031")
    assert second["as_of"] == "2026-01-20"
    h4 = next(f for f in second["findings"] if f["rule_id"] == "H.4-formal-review-meeting")
    assert (h4["due"], h4["status"]) == ("2026-01-21", "pending")
    assert third == {
        "line": 3,
        "case": None,
        "error": "line 3: not valid JSON (Expecting property name enclosed in double quotes "
        "at column 2)",
    }


def test_check_many_writes_the_cohorts_pending_deadlines_as_icalendar(
    capsys, cohort_file, tmp_path
):
    from icalendar import Calendar

    ics = tmp_path / "deadlines.ics"
    argv = ["check-many", str(cohort_file), "--as-of", "2026-01-20", "--calendar", CALENDAR]
    assert main([*argv, "--ical", str(ics)]) == 2
    events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    cases = {str(e["SUMMARY"]).rsplit("[", 1)[1].rstrip("]") for e in events}
    assert cases == {"EX-2025-014", "EX-2025-031"}
    h4 = [e for e in events if "Rule: H.4-formal-review-meeting" in str(e["DESCRIPTION"])]
    assert [e.decoded("DTSTART") for e in h4] == [date(2026, 1, 21)]


@pytest.mark.parametrize("processes", [1, 2])
def test_render_runs_where_each_case_is_assessed_and_its_result_is_kept(cohort_file, processes):
    from apcompliance.outputs.ical import deadline_events_ical

    results = list(
        evaluate_many(
            read_jsonl(cohort_file),
            as_of=DAY,
            calendar=CAL,
            processes=processes,
            render=deadline_events_ical,
        )
    )
    assert [r.rendered for r in results[:2]] == [
        deadline_events_ical(r.assessment) for r in results[:2]
    ]
    assert results[0].rendered.startswith(b"BEGIN:VEVENT") and results[2].rendered is None


@pytest.mark.parametrize("processes", [1, 2])
def test_without_assessments_only_what_render_made_comes_back(cohort_file, processes):
    """What check-many asks for (issue 20): the assessment stays where it was made; the
    rendered parts and the summary's counts are those of the assessment."""
    from apcompliance.outputs.rendered import CaseRenderer, RenderedCase
    from apcompliance.results.selection import FindingFilter

    selection = FindingFilter.of(only="violations")
    render = CaseRenderer(calendar=CAL, selection=selection, json=True, events=True, csv=True)
    cases = list(read_jsonl(cohort_file))
    whole = list(evaluate_many(cases, as_of=DAY, calendar=CAL))
    kept = list(
        evaluate_many(
            cases,
            as_of=DAY,
            calendar=CAL,
            processes=processes,
            render=render,
            assessments=False,
        )
    )
    assert [(r.line, r.case_id, r.error) for r in kept] == [
        (r.line, r.case_id, r.error) for r in whole
    ]
    assert all(r.assessment is None for r in kept)
    assert kept[2].rendered is None  # the malformed line: its error only
    for mine, full in zip(kept[:2], whole[:2], strict=True):
        assert isinstance(mine.rendered, RenderedCase)
        assert full.assessment is not None
        shown = selection.apply(full.assessment, calendar=CAL)
        assert mine.rendered == render(full.assessment)
        assert mine.rendered.json == shown.to_json(indent=None)
        assert mine.rendered.any_violations
    summary = CohortSummary()
    for r in kept:
        summary.add(r, r.rendered.counts if r.rendered else None)
    selected = [
        CaseResult(
            r.line, r.case_id, r.assessment and selection.apply(r.assessment, calendar=CAL), r.error
        )
        for r in whole
    ]
    assert summary == CohortSummary.of(selected)


def test_without_assessments_a_render_is_needed(cohort_file):
    with pytest.raises(ValueError, match="needs a render"):
        evaluate_many(read_jsonl(cohort_file), as_of=DAY, calendar=CAL, assessments=False)


@pytest.mark.parametrize("processes", ["1", "2"])
def test_check_many_writes_the_same_calendar_as_deadlines_ical(cohort_file, tmp_path, processes):
    from apcompliance.outputs.ical import deadlines_ical

    ics = tmp_path / "deadlines.ics"
    argv = ["check-many", str(cohort_file), "--as-of", "2026-01-20", "--calendar", CALENDAR]
    main([*argv, "--ical", str(ics), "--processes", processes, "--quiet"])
    assessed = [
        evaluate(Case.model_validate_json(t), as_of=date(2026, 1, 20), calendar=CAL)
        for t in (SUSPENSION, DIRECTION)
    ]
    name = f"AP deadlines: {cohort_file.name} as of 2026-01-20"
    assert ics.read_bytes() == deadlines_ical(assessed, name=name)


def test_check_many_names_a_calendar_it_cannot_write_and_leaves_no_partial_file(
    capsys, cohort_file, tmp_path
):
    argv = ["check-many", str(cohort_file), "--as-of", "2026-01-20", "--calendar", CALENDAR]
    missing = tmp_path / "no-such-dir" / "deadlines.ics"
    assert main([*argv, "--ical", str(missing)]) == 2
    assert f"{missing}: cannot write the calendar" in capsys.readouterr().err
    ics = tmp_path / "deadlines.ics"
    ics.write_bytes(b"the previous export")
    monkeypatched = pytest.MonkeyPatch()
    monkeypatched.setattr("apcompliance.outputs.ical.DeadlinesWriter.add_events", _full_disk)
    try:
        assert main([*argv, "--ical", str(ics)]) == 2
    finally:
        monkeypatched.undo()
    assert f"{ics}: cannot write the calendar (No space left on device)" in capsys.readouterr().err
    assert ics.read_bytes() == b"the previous export"
    assert not list(tmp_path.glob(".*.part"))


def _full_disk(self, events):
    raise OSError(28, "No space left on device")


def test_check_many_shows_a_progress_bar_on_a_terminal_unless_quiet(
    capsys, cohort_file, monkeypatch
):
    argv = ["check-many", str(cohort_file), "--as-of", "2026-01-20", "--calendar", CALENDAR]
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    main(argv)
    err = capsys.readouterr().err
    assert "assessing: 100%" in err and "3/3" in err
    main([*argv, "--quiet"])
    assert "assessing" not in capsys.readouterr().err


def test_check_many_names_an_unreadable_file(capsys, tmp_path):
    argv = ["check-many", str(tmp_path / "none.jsonl"), "--as-of", "2026-01-20"]
    assert main([*argv, "--calendar", CALENDAR]) == 2
    assert "none.jsonl: cannot read" in capsys.readouterr().err


def test_check_many_outputs_carry_no_pupil_names(capsys, tmp_path):
    marked = case(
        suspension("S1", date(2025, 10, 16), 7),
        case_id="PD-9",
        name="Zebedee Quillfeather",
        upn="A12345678901Z",
        date_of_birth="2011-02-03",
    )
    path = tmp_path / "pd.jsonl"
    path.write_text(marked.model_dump_json() + "\n" + '{"case_id": "PD-8", "pupil": {"name": 1}}\n')
    ics = tmp_path / "pd.ics"
    argv = ["check-many", str(path), "--as-of", "2025-11-10", "--calendar", CALENDAR]
    main([*argv, "--ical", str(ics)])
    main([*argv, "--json"])
    out, err = capsys.readouterr()
    for text in (out, err, ics.read_text()):
        for marker in ("Zebedee", "Quillfeather", "A12345678901Z", "2011-02-03"):
            assert marker not in text


def test_rows_of_a_data_frame_are_cases_missing_columns_and_all(calendar):
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(
        [json.loads(SUSPENSION), {"case_id": "F-2", "pupil": {"year_group": 9}}]
    )  # the second row has no providers, placements or events: NaN in those columns
    assert frame["events"].isna().tolist() == [False, True]
    results = list(evaluate_many(frame.to_dict("records"), as_of=DAY, calendar=calendar))
    assert [(r.line, r.case_id, r.error) for r in results] == [
        (1, "EX-2025-014", None),
        (2, "F-2", None),
    ]
    assert len(results[0].assessment.violations) == 12


def test_the_cohort_shown_in_the_docs_is_the_real_output(capsys, tmp_path):
    text = (Path(__file__).resolve().parents[1] / "docs" / "using-it.md").read_text("utf-8")
    section = text.split("## Cohorts and calendars", 1)[1]
    start = section.index("```\nCohort ") + 4  # the code block of the summary
    shown = section[start : section.index("```", start)]
    path = tmp_path / "cohort.jsonl"
    bad = json.dumps({"case_id": "EX-2025-040", "pupil": {"year_group": "nine"}})
    path.write_text(f"{SUSPENSION}\n{DIRECTION}\n{bad}\n")
    argv = ["check-many", str(path), "--as-of", "2026-01-20", "--calendar", CALENDAR]
    assert main(argv) == 2
    out = capsys.readouterr().out
    assert out == shown
    ics = tmp_path / "deadlines.ics"
    one = tmp_path / "off-site-direction-case.json"
    one.write_text(DIRECTION)
    main(["check", str(one), "--as-of", "2026-01-20", "--calendar", CALENDAR, "--ical", str(ics)])
    event = section.split("```text\n", 1)[1].split("```", 1)[0]
    assert event in ics.read_text("utf-8")  # (universal newlines: the file has CRLF)


@pytest.mark.parametrize("processes", ["1", "2"])
def test_a_calendar_error_in_a_case_with_only_a_permanent_exclusion_names_the_case_and_line(
    capsys, tmp_path, processes
):
    """Issue 19: a permanent exclusion outside the calendar (after it, before it) or on a
    non-school day, the case's only event: the error names the case id and the line, in the
    summary and in the JSON records, whichever process assessed it."""
    days = {"PX-1": "2027-01-11", "PX-2": "2024-03-01", "PX-3": "2025-10-19"}
    path = tmp_path / "cohort.jsonl"
    path.write_text(
        "".join(
            json.dumps(
                {
                    "case_id": case_id,
                    "pupil": {"year_group": 9},
                    "events": [{"kind": "permanent_exclusion", "id": "X1", "first_day": day}],
                }
            )
            + "\n"
            for case_id, day in days.items()
        ),
        encoding="utf-8",
    )
    args = ["check-many", str(path), "--as-of", "2025-11-20", "--calendar", CALENDAR]
    assert main([*args, "--processes", processes, "--json"]) == 2
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    for line, (record, (case_id, day)) in enumerate(zip(records, days.items(), strict=True), 1):
        assert (record["line"], record["case"]) == (line, case_id)
        assert record["error"].startswith(f"case {case_id} (line {line}): permanent exclusion X1")
        assert day in record["error"]
    assert "outside the calendar" in records[0]["error"]
    assert "not a school day" in records[2]["error"]
    assert main([*args, "--processes", processes]) == 2
    out = capsys.readouterr().out
    for line, case_id in enumerate(days, 1):
        assert f"  case {case_id} (line {line}): permanent exclusion X1: first_day" in out
