"""The import from census-style exports (docs/importing.md): the synthetic export under
examples/export/ against the same cases written by hand (tests/importing/by-hand.jsonl),
the templates, and every kind of problem an export can have, each named by file, row and
column without the cell's value."""

from __future__ import annotations

import json
import shutil
import typing
from datetime import date
from pathlib import Path

import pytest

from apcompliance.calendar.school_calendar import SchoolCalendar
from apcompliance.cli import main
from apcompliance.errors import ExportFileError
from apcompliance.evaluation.cohort import evaluate_many, read_jsonl
from apcompliance.facts import Case
from apcompliance.importing import read_export
from apcompliance.importing.columns import model_columns
from apcompliance.importing.files import EVENT_FILES, FILES, event_models
from apcompliance.importing.pseudonym import pseudonym

ROOT = Path(__file__).parent.parent
EXPORT = ROOT / "examples" / "export"
BY_HAND = Path(__file__).parent / "importing" / "by-hand.jsonl"
CALENDAR = ROOT / "src/apcompliance/data/calendars/example-la-2025-26.yaml"
AS_OF = date(2026, 1, 20)
KEY = b"a-secret-key-of-32-bytes-exactly"


def _findings(cases: typing.Iterable[Case | str]) -> list[str]:
    results = evaluate_many(cases, as_of=AS_OF, calendar=SchoolCalendar.example())
    out = []
    for result in results:
        assert result.assessment is not None, result.error
        out.append(result.assessment.to_json(indent=None))
    return out


# --- end to end ------------------------------------------------------------------------------


def test_the_example_export_gives_the_findings_of_the_same_cases_written_by_hand():
    imported = read_export([EXPORT]).cases
    by_hand = [Case.model_validate_json(line) for line in BY_HAND.read_text().splitlines()]
    assert [c.case_id for c in imported] == [c.case_id for c in by_hand]
    findings = _findings(imported)
    assert findings == _findings(by_hand)
    assert sum(len(json.loads(f)["findings"]) for f in findings) > 50  # not vacuous
    assert any(c.register_marks for c in imported)  # the register is read, not left out


def test_the_imported_cases_are_the_cases_written_by_hand():
    by_hand = {
        c.case_id: c for c in map(Case.model_validate_json, BY_HAND.read_text().splitlines())
    }
    for case in read_export([EXPORT]).cases:
        expected = by_hand[case.case_id]
        assert case.model_copy(update={"events": ()}) == expected.model_copy(update={"events": ()})
        assert sorted(case.events, key=lambda e: e.id) == sorted(
            expected.events, key=lambda e: e.id
        )


def test_import_then_check_many_on_the_command_line(tmp_path, capsys):
    out, summary = tmp_path / "cohort.jsonl", tmp_path / "summary.json"
    assert main(["import", str(EXPORT), "--out", str(out), "--summary", str(summary)]) == 0
    err = capsys.readouterr().err
    assert "4 case(s)" in err and "providers.csv: 4 row(s): 3 providers, 1 skipped" in err
    counts = json.loads(summary.read_text())
    assert counts["cases"] == 4
    assert counts["files"]["exclusions.csv"] == {
        "rows": 5,
        "became": {
            "suspension events": 3,
            "lunchtime_exclusion events": 1,
            "permanent_exclusion events": 1,
        },
        "skipped": {},
    }
    assert counts["files"]["attendance.csv"] == {
        "rows": 6,
        "became": {"register marks": 6},
        "skipped": {},
    }
    every_row = sum(f["rows"] for f in counts["files"].values())
    accounted = sum(
        sum(f["became"].values()) + sum(f["skipped"].values()) for f in counts["files"].values()
    )
    assert every_row == accounted  # nothing dropped silently
    argv = ["--as-of", AS_OF.isoformat(), "--calendar", str(CALENDAR), "--json", "--quiet"]
    main(["check-many", str(out), *argv])
    from_import = capsys.readouterr().out
    main(["check-many", str(BY_HAND), *argv])
    assert from_import == capsys.readouterr().out
    assert [json.loads(line)["case_id"] for _, line in read_jsonl(out)] == [
        "EXP-001", "EXP-002", "EXP-003", "EXP-004",
    ]  # fmt: skip


# --- the files mirror the models ---------------------------------------------------------------


def test_every_event_kind_but_the_census_exclusions_has_a_file_with_every_field():
    kinds = set(event_models())
    assert {f.name for f in EVENT_FILES} == kinds - {
        "suspension",
        "permanent_exclusion",
        "lunchtime_exclusion",
    }
    for spec in EVENT_FILES:
        assert spec.model is not None
        fields = {c.path[0] for c in spec.columns if c.path}
        assert fields == set(spec.model.model_fields) - {"kind"}, spec.name
        assert spec.columns[0].name == "UPN"


def test_a_nested_model_is_dotted_columns_and_a_list_of_models_is_one_json_cell():
    from apcompliance.facts import Placement

    names = [c.name for c in model_columns(Placement)]
    assert "session_times.form" in names and "session_times.session_starts" in names
    assert "timetable.monday" in names and "timetable.not_running" in names
    form = next(c for c in model_columns(Placement) if c.name == "session_times.form")
    assert form.parse("single_session") == "single_session"


def test_the_templates_import_as_they_are(tmp_path, capsys):
    assert main(["template", str(tmp_path)]) == 0
    assert {p.name for p in tmp_path.iterdir()} == {f.filename for f in FILES.values()}
    result = read_export([tmp_path])
    (case,) = result.cases
    kinds = {e.kind for e in case.events}
    assert kinds == set(event_models()) - {
        "permanent_exclusion",
        "lunchtime_exclusion",
    }  # a FIXD row
    assert case.placements and case.providers
    assert [(m.session, m.code) for m in case.register_marks] == [("AM", "B")]


# --- pseudonymous case ids ---------------------------------------------------------------------


def _export(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "export"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


PUPIL = (
    "UPN,NCyearActual,SENprovision,InCare,FSMeligible,DOB\n"
    "Z10000000009A,9,N,false,false,2011-02-03\n"
)


def test_without_a_case_ref_the_case_id_is_a_keyed_pseudonym_of_the_upn(tmp_path):
    folder = _export(tmp_path, pupils=PUPIL)
    (case,) = read_export([folder], key=KEY).cases
    assert case.case_id == pseudonym("Z10000000009A", KEY)
    assert "Z10000000009A" not in case.model_dump_json()
    assert case.pupil.upn is None and case.pupil.date_of_birth == date(2011, 2, 3)
    with pytest.raises(ExportFileError, match=r"pupils.csv, row 2, column CaseRef: blank"):
        read_export([folder])


def test_the_key_file_on_the_command_line(tmp_path, capsys):
    folder = _export(tmp_path, pupils=PUPIL)
    (tmp_path / "key").write_bytes(KEY)
    out = tmp_path / "cohort.jsonl"
    assert main(["import", str(folder), "--out", str(out), "--key", str(tmp_path / "key")]) == 0
    assert json.loads(out.read_text())["case_id"] == pseudonym("Z10000000009A", KEY)
    assert main(["import", str(folder), "--out", str(out)]) == 2
    assert "Traceback" not in capsys.readouterr().err


# --- problems: file, row, column; never the value ---------------------------------------------


def _problems(folder: Path) -> str:
    with pytest.raises(ExportFileError) as caught:
        read_export([folder], key=KEY)
    return str(caught.value)


def test_an_unknown_code_lists_the_valid_ones_and_never_the_value(tmp_path):
    folder = _export(
        tmp_path,
        pupils="UPN,NCyearActual,SENprovision,InCare,FSMeligible,DOB\n"
        "Z10000000009A,Y9,Smith,maybe,false,31/02/2011\n",
    )
    message = _problems(folder)
    assert "pupils.csv, row 2, column NCyearActual: unknown code; valid codes: R, 1, 2" in message
    assert "pupils.csv, row 2, column SENprovision: unknown code; valid codes: E, K, N" in message
    assert "pupils.csv, row 2, column InCare: not true or false" in message
    assert "pupils.csv, row 2, column DOB: not a date" in message
    for value in ("Y9", "Smith", "maybe", "31/02/2011", "Z10000000009A"):
        assert value not in message


def test_a_bad_upn_is_named_by_row_and_column_not_quoted(tmp_path):
    folder = _export(
        tmp_path,
        pupils=PUPIL + "Jane Smith,9,N,false,false,\n",
        visit="UPN,placement_id,visited_on,form,by\nZ19999999999A,P-1,2025-10-06,visit,ap_lead\n",
    )
    message = _problems(folder)
    assert "pupils.csv, row 3, column UPN: not a UPN" in message
    assert "visit.csv, row 2, column UPN: no pupil with this UPN in pupils.csv" in message
    assert "Jane Smith" not in message and "Z19999999999A" not in message


def test_the_header_must_name_the_files_columns(tmp_path):
    folder = _export(tmp_path, pupils="UPN,Surname,NCyearActual,SENprovision,InCare\n")
    message = _problems(folder)
    assert (
        "pupils.csv, header, column 2: not a column of this file; its columns are: UPN," in message
    )
    assert "pupils.csv, header, column FSMeligible: missing (required)" in message


def test_an_unknown_file_is_named_with_the_files_an_export_has(tmp_path):
    folder = _export(tmp_path, pupils=PUPIL, behaviour="UPN\n")
    assert "behaviour.csv: not a file of an export; the files are: pupils.csv" in _problems(folder)


def test_a_model_error_is_at_the_census_column_it_came_from(tmp_path):
    folder = _export(
        tmp_path,
        pupils=PUPIL,
        ap_placements="UPN,EntryDate,LeavingDate,kind,full_time\n"
        "Z10000000009A,2025-10-10,2025-10-06,medical,true\n",
    )
    assert "ap_placements.csv, row 2: end_date is before start_date" in _problems(folder)


def test_a_reference_to_nothing_is_at_its_row_and_column(tmp_path):
    folder = _export(
        tmp_path,
        pupils=PUPIL,
        visit="UPN,placement_id,visited_on,form,by\nZ10000000009A,P-9,2025-10-06,visit,ap_lead\n",
    )
    problems = _problems(folder)
    assert "visit.csv, row 2, column placement_id: no placement of the case has this id" in problems


def test_a_placement_names_a_provider_the_export_does_not_have(tmp_path):
    folder = _export(
        tmp_path,
        pupils=PUPIL,
        ap_placements="UPN,URN,EntryDate,kind,full_time\nZ10000000009A,100001,2025-10-06,medical,true\n",
    )
    assert "ap_placements.csv, row 2, column URN: no provider with this URN" in _problems(folder)


def test_the_same_pupil_twice_is_an_error(tmp_path):
    folder = _export(tmp_path, pupils=PUPIL + PUPIL.splitlines()[1] + "\n")
    assert "pupils.csv, row 3, column UPN: the same pupil as row 2" in _problems(folder)


def test_a_blank_row_is_counted_as_skipped(tmp_path):
    folder = _export(tmp_path, pupils=PUPIL + ",,,,,\n")
    summary = read_export([folder], key=KEY).summary
    assert summary.files["pupils.csv"].to_dict() == {
        "rows": 2,
        "became": {"cases": 1},
        "skipped": {"blank row": 1},
    }


def test_uk_dates_and_datetimes_are_read(tmp_path):
    folder = _export(
        tmp_path,
        pupils=PUPIL,
        exclusions="UPN,Category,StartDate,Sessions\nZ10000000009A,FIXD,06/10/2025,4\n",
        exclusion_notice="UPN,about,sent_at,method\n"
        "Z10000000009A,suspension-2025-10-06,06/10/2025 15:30,letter\n",
    )
    (case,) = read_export([folder], key=KEY).cases
    suspension, notice = case.events
    assert suspension.first_day == date(2025, 10, 6) and suspension.school_days == 2
    assert notice.sent_at.hour == 15 and notice.id == "exclusion_notice-2"


# --- suspensions in sessions and lunchtime exclusions -------------------------------------------


def _events(folder: Path) -> list[dict[str, object]]:
    (case,) = read_export([folder], key=KEY).cases
    return [e.model_dump(mode="json", exclude_none=True) for e in case.events]


@pytest.mark.parametrize(
    ("row", "event"),
    [
        (  # an even number of sessions from the morning: whole school days
            "FIXD,2025-10-06,,6",
            {"kind": "suspension", "first_day": "2025-10-06", "school_days": 3},
        ),
        (  # an odd number: sessions, from the morning
            "FIXD,2025-10-06,,3",
            {"kind": "suspension", "first_day": "2025-10-06", "sessions": 3, "first_session": "AM"},
        ),
        (  # from the afternoon: sessions, whatever their number
            "FIXD,2025-10-06,PM,4",
            {"kind": "suspension", "first_day": "2025-10-06", "sessions": 4, "first_session": "PM"},
        ),
        (  # each lunchtime is one session in the census
            "LNCH,2025-10-06,,2",
            {"kind": "lunchtime_exclusion", "first_day": "2025-10-06", "lunchtimes": 2},
        ),
        (  # blank: one lunchtime
            "LNCH,2025-10-06,,",
            {"kind": "lunchtime_exclusion", "first_day": "2025-10-06", "lunchtimes": 1},
        ),
    ],
)
def test_exclusions_in_sessions_and_lunchtimes_become_their_events(tmp_path, row, event):
    folder = _export(
        tmp_path,
        pupils=PUPIL,
        exclusions=f"UPN,Category,StartDate,StartSession,Sessions\nZ10000000009A,{row}\n",
    )
    (got,) = _events(folder)
    assert {k: v for k, v in got.items() if k != "id"} == event


def test_a_start_session_is_only_for_a_suspension(tmp_path):
    folder = _export(
        tmp_path,
        pupils=PUPIL,
        exclusions="UPN,Category,StartDate,StartSession,Sessions\nZ10000000009A,LNCH,2025-10-06,PM,1\n",
    )
    assert "exclusions.csv, row 2, column StartSession: only for a suspension (FIXD)" in (
        _problems(folder)
    )


# --- the attendance register ----------------------------------------------------------------


def test_the_register_marks_go_onto_the_pupils_case_in_date_order(tmp_path):
    folder = _export(
        tmp_path,
        pupils=PUPIL,
        attendance="UPN,Date,Session,Mark\n"
        "z10000000009a,2025-10-07,pm,b\n"
        "Z10000000009A,07/10/2025,AM,D\n"
        "Z10000000009A,2025-10-06,AM,E\n"
        ",,,\n",
    )
    result = read_export([folder], key=KEY)
    (case,) = result.cases
    assert [(m.date.day, m.session, m.code) for m in case.register_marks] == [
        (6, "AM", "E"), (7, "AM", "D"), (7, "PM", "B"),
    ]  # fmt: skip
    assert result.summary.files["attendance.csv"].to_dict() == {
        "rows": 4,
        "became": {"register marks": 3},
        "skipped": {"blank row": 1},
    }


@pytest.mark.parametrize(
    ("rows", "where", "unquoted"),
    [
        (
            "Z10000000009A,2025-10-06,Morning,B\n",
            "attendance.csv, row 2, column Session: unknown code; valid codes: AM, PM",
            "Morning",
        ),
        (
            "Z10000000009A,2025-10-06,AM,Zq7\n",
            "attendance.csv, row 2, column Mark: unknown code; valid codes: /, \\, L, B, D, K",
            "Zq7",
        ),
        (
            "Z10000000009A,2025-10-06,AM,B\nZ10000000009A,2025-10-06,PM,B\n"
            "Z10000000009A,06/10/2025,am,E\n",
            "attendance.csv, row 4, column Session: the same pupil, date and session as row 2",
            "row 3",
        ),
        (
            "Z19999999999A,2025-10-06,AM,B\n",
            "attendance.csv, row 2, column UPN: no pupil with this UPN in pupils.csv",
            "Z19999999999A",
        ),
    ],
    ids=["bad session", "bad mark", "a session twice", "unknown pupil"],
)
def test_a_bad_register_row_is_named_by_row_and_column_never_quoted(
    tmp_path, rows, where, unquoted
):
    message = _problems(
        _export(tmp_path, pupils=PUPIL, attendance="UPN,Date,Session,Mark\n" + rows)
    )
    assert where in message
    assert unquoted not in message


def test_bad_input_exits_2_with_the_problems_and_no_traceback(tmp_path, capsys):
    folder = tmp_path / "export"
    shutil.copytree(EXPORT, folder)
    (folder / "exclusions.csv").write_text(
        "UPN,Category,StartDate\nZ10000000001A,EXPL,2025-10-06\n"
    )
    assert main(["import", str(folder), "--out", str(tmp_path / "out.jsonl")]) == 2
    err = capsys.readouterr().err
    assert (
        "exclusions.csv, row 2, column Category: unknown code; valid codes: FIXD, PERM, LNCH" in err
    )
    assert "Traceback" not in err and not (tmp_path / "out.jsonl").exists()


def test_the_docs_list_the_files_and_columns_the_models_give():
    from apcompliance.importing.files import files_markdown

    text = (ROOT / "docs" / "importing.md").read_text(encoding="utf-8")
    section = text.split("<!-- files:start -->\n")[1].split("<!-- files:end -->")[0]
    assert section == files_markdown(), "regenerate the section with files_markdown()"
