"""Exports for people (issue 18, points 4 and 5): the findings as CSV and as an Excel workbook
(`--csv`, `--xlsx`), the pending deadlines as one iCalendar feed per duty holder (`--ical-dir`),
on `check` and `check-many`; every file written whole or not at all; and with `--pseudonymise`
the case id in no output at all, the calendar's name included.

The cohort is the two bundled examples and a bad third line, as of 2026-01-20 on the example
calendar (`SchoolCalendar.example()`).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar

from apcompliance import Case, evaluate
from apcompliance.cli import main
from apcompliance.errors import MissingExtraError
from apcompliance.outputs.ical import deadlines_ical, holder_slug
from apcompliance.outputs.tables import FindingsCsv, FindingsWorkbook
from apcompliance.results.assessment import FRAME_COLUMNS
from tests.scenarios import CAL, case, suspension
from tests.test_cohort import CALENDAR, DIRECTION, SUSPENSION

openpyxl = pytest.importorskip("openpyxl")

DAY = "2026-01-20"
MARKER = "MARKER-CASE-7731"
"""A case id to search for in every output's bytes."""


@pytest.fixture()
def cohort(tmp_path: Path) -> Path:
    path = tmp_path / "cohort.jsonl"
    bad = json.dumps({"case_id": "EX-2025-040", "pupil": {"year_group": "nine"}})
    path.write_text(f"{SUSPENSION}\n{DIRECTION}\n{bad}\n", encoding="utf-8")
    return path


def assessed() -> list:
    return [
        evaluate(Case.model_validate_json(t), as_of=date(2026, 1, 20), calendar=CAL)
        for t in (SUSPENSION, DIRECTION)
    ]


def many(cohort: Path, *options: str) -> int:
    return main(["check-many", str(cohort), "--as-of", DAY, "--calendar", CALENDAR, *options])


def events(path: Path) -> list:
    return Calendar.from_ical(path.read_bytes()).walk("VEVENT")


# --- one definition of a row ----------------------------------------------------------------------


def test_rows_are_keyed_by_the_frame_columns_and_to_frame_is_made_of_them():
    pandas = pytest.importorskip("pandas")
    assessment = assessed()[0]
    rows = list(assessment.rows())
    assert len(rows) == len(assessment.findings)
    assert all(tuple(row) == FRAME_COLUMNS for row in rows)
    frame = assessment.to_frame()
    assert frame["rule_id"].tolist() == [r["rule_id"] for r in rows]
    uncovered = [None if pandas.isna(v) else v for v in frame["uncovered"]]
    assert uncovered == [r["uncovered"] for r in rows]

    def moment(value):
        return (
            value
            if isinstance(value, datetime) or value is None
            else datetime(*value.timetuple()[:3])
        )

    due = [None if pandas.isna(v) else v.to_pydatetime() for v in frame["due"]]
    assert due == [moment(r["due"]) for r in rows]


# --- CSV -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("processes", ["1", "2"])
def test_check_many_writes_every_finding_as_a_csv_row_utf8_with_bom_and_iso_dates(
    cohort, tmp_path, processes
):
    out = tmp_path / "findings.csv"
    assert many(cohort, "--csv", str(out), "--processes", processes, "--quiet") == 2
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf" + b",".join(c.encode() for c in FRAME_COLUMNS) + b"\r\n")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    expected = [row for a in assessed() for row in a.rows()]
    assert len(rows) == len(expected) == 141
    assert [(r["case_id"], r["rule_id"]) for r in rows] == [
        (e["case_id"], e["rule_id"]) for e in expected
    ]
    h4 = next(r for r in rows if r["rule_id"] == "H.4-formal-review-meeting")
    assert (h4["due"], h4["status"], h4["is_violation"]) == ("2026-01-21", "pending", "FALSE")
    i7 = next(r for r in rows if r["rule_id"] == "I.7-work-set")
    assert (i7["is_violation"], i7["met_on"]) == ("TRUE", "2025-10-17")
    assert i7["uncovered"] == "2025-10-16; 2025-10-29 to 2025-10-30"
    # RFC 4180: a field with a comma or a quote is quoted, its quotes doubled; lines end CRLF.
    assert b'"For LAC, this process will be streamlined' in data
    assert data.count(b"\r\n") == 1 + 141 and data.count(b"\n") == data.count(b"\r\n")


def test_text_a_spreadsheet_would_run_as_a_formula_stays_text(tmp_path):
    # Ids cannot begin with "=" (ID_PATTERN): this guards the exports against what they cannot
    # foresee, so the assessment is altered by hand.
    formula = '=HYPERLINK("http://example.invalid","x")'
    assessment = assessed()[1].model_copy(update={"case_id": formula})
    with FindingsCsv(tmp_path / "f.csv") as table:
        table.add(assessment)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "f.csv").read_text("utf-8-sig"))))
    assert {r["case_id"] for r in rows} == {"'" + formula}
    with FindingsWorkbook(
        tmp_path / "f.xlsx", source="s", as_of=date(2026, 1, 20), calendar="c"
    ) as book:
        book.add(assessment)
    cell = openpyxl.load_workbook(tmp_path / "f.xlsx")["Findings"]["A2"]
    assert (cell.value, cell.data_type) == (formula, "s")


def test_a_time_of_day_is_written_in_the_schools_local_time():
    from apcompliance.outputs.tables import _cell_text

    assert _cell_text(datetime(2025, 10, 16, 15, 0)) == "2025-10-16T15:00:00"
    assert _cell_text(date(2025, 10, 16)) == "2025-10-16"
    assert _cell_text(None) == "" and _cell_text(True) == "TRUE"
    assert _cell_text("=HYPERLINK(1)") == "'=HYPERLINK(1)"


# --- Excel ---------------------------------------------------------------------------------------


def test_check_many_writes_a_workbook_with_summary_findings_and_the_cases_not_assessed(
    cohort, tmp_path
):
    out = tmp_path / "findings.xlsx"
    assert many(cohort, "--xlsx", str(out), "--processes", "2", "--quiet") == 2
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Summary", "Findings", "Not assessed"]

    findings = book["Findings"]
    assert findings.freeze_panes == "A2"
    assert findings.auto_filter.ref == "A1:Q142"
    header, *rows = list(findings.iter_rows(values_only=True))
    assert header == FRAME_COLUMNS and len(rows) == 141
    h4 = next(
        findings[r] for r in range(2, 143) if findings[r][1].value == "H.4-formal-review-meeting"
    )
    due = h4[FRAME_COLUMNS.index("due")]
    assert due.is_date and due.value == datetime(2026, 1, 21) and due.number_format == "yyyy-mm-dd"
    assert findings.column_dimensions["P"].width == 70  # says

    summary = {r[0]: r for r in book["Summary"].iter_rows(values_only=True) if r[0]}
    assert summary["Source"][1] == "cohort cohort.jsonl"
    assert summary["As of"][1] == datetime(2026, 1, 20)
    assert summary["Calendar"][1] == CAL.name
    assert [summary[k][1] for k in ("Cases", "Assessed", "Could not be assessed")] == [3, 2, 1]
    assert (summary["Findings"][1], summary["Violations"][1]) == (141, 22)
    assert (summary["met"][2], summary["overdue"][2], summary["late"][2]) == (100, 18, 4)
    # Section I: 4 duties met, 6 violated (3 overdue, 3 late): a compliance rate of 40%.
    section_i = summary["I"]
    assert section_i[1] == "Arranging provision for suspended pupils"
    assert section_i[2:6] == (14, 4, 6, 0.4)
    assert summary["dsl"][1:6] == ("the designated safeguarding lead (DSL)", 16, 15, 1, 0.9375)

    errors = list(book["Not assessed"].iter_rows(values_only=True))
    assert errors == [
        ("line", "case", "error"),
        (
            3,
            "EX-2025-040",
            "case EX-2025-040 (line 3): invalid case: pupil.year_group: Input should be a "
            "valid integer",
        ),
    ]


def test_check_writes_the_workbook_and_csv_of_one_case(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(DIRECTION)
    book, table = tmp_path / "one.xlsx", tmp_path / "one.csv"
    argv = ["check", str(path), "--as-of", DAY, "--calendar", CALENDAR]
    assert main([*argv, "--xlsx", str(book), "--csv", str(table)]) == 1
    summary = {
        r[0]: r[1] for r in openpyxl.load_workbook(book)["Summary"].iter_rows(values_only=True)
    }
    assert (summary["Source"], summary["Cases"]) == ("case EX-2025-031", 1)
    assert len(table.read_text("utf-8-sig").splitlines()) == 1 + len(assessed()[1].findings)


def test_the_workbook_without_openpyxl_names_the_extra_to_install(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(__import__("sys").modules, "openpyxl", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'apcompliance\[xlsx\]'"):
        FindingsWorkbook(tmp_path / "f.xlsx", source="s", as_of=date(2026, 1, 20), calendar="c")
    path = tmp_path / "case.json"
    path.write_text(DIRECTION)
    argv = ["check", str(path), "--as-of", DAY, "--calendar", CALENDAR, "--xlsx", "f.xlsx"]
    assert main(argv) == 2
    assert "apcompliance[xlsx]" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.xlsx")) and not list(tmp_path.glob(".*.part"))


def _full_disk(*args):
    raise OSError(28, "No space left on device")


def _full_disk_on_rows(self, text):  # FindingsCsv.add_text: the rows rendered in the worker
    with self._out.writing():
        _full_disk()


@pytest.mark.parametrize(
    "option,name,writer,full_disk",
    [
        ("--xlsx", "workbook", "openpyxl.workbook.workbook.Workbook.save", _full_disk),
        (
            "--csv",
            "CSV file",
            "apcompliance.outputs.tables.FindingsCsv.add_text",
            _full_disk_on_rows,
        ),
    ],
)
def test_an_export_that_cannot_be_written_is_named_and_the_previous_file_stays(
    cohort, tmp_path, capsys, monkeypatch, option, name, writer, full_disk
):
    missing = tmp_path / "no-such-dir" / "out"
    assert many(cohort, option, str(missing)) == 2
    assert f"{missing}: cannot write the {name}" in capsys.readouterr().err
    out = tmp_path / "out"
    out.write_bytes(b"the previous export")
    monkeypatch.setattr(writer, full_disk)
    assert many(cohort, option, str(out)) == 2
    error = f"{out}: cannot write the {name} (No space left on device)"
    assert error in capsys.readouterr().err
    assert out.read_bytes() == b"the previous export"
    assert not list(tmp_path.glob(".*.part"))


# --- iCalendar per duty holder --------------------------------------------------------------------


@pytest.mark.parametrize("processes", ["1", "2"])
def test_one_feed_per_duty_holder_whose_union_is_the_single_feed(cohort, tmp_path, processes):
    single, folder = tmp_path / "all.ics", tmp_path / "feeds"
    argv = ["--ical", str(single), "--ical-dir", str(folder), "--processes", processes, "--quiet"]
    assert many(cohort, *argv) == 2
    feeds = sorted(folder.glob("*.ics"))
    assert [f.name for f in feeds] == [
        "ap-lead.ics",
        "attendance-lead.ics",
        "designated-safeguarding-lead.ics",
        "governing-board.ics",
        "headteacher.ics",
        "local-authority.ics",
        "provider.ics",
        "school.ics",
        "senco.ics",
    ]
    whole = events(single)
    assert single.read_bytes() == deadlines_ical(
        assessed(), name=f"AP deadlines: {cohort.name} as of {DAY}"
    )
    parts = {f.name: events(f) for f in feeds}  # each parses back
    union = [e.to_ical() for es in parts.values() for e in es]
    assert sorted(union) == sorted(e.to_ical() for e in whole) and len(whole) == 30
    for name, feed_events in parts.items():
        for event in feed_events:
            holder = str(event["DESCRIPTION"]).split("Duty holder: ", 1)[1].split("\n", 1)[0]
            assert holder_slug(holder) + ".ics" == name
    dsl = Calendar.from_ical((folder / "designated-safeguarding-lead.ics").read_bytes())
    assert str(dsl["X-WR-CALNAME"]).endswith("the designated safeguarding lead (DSL)")
    index = (folder / "README.txt").read_text("utf-8")
    assert "designated-safeguarding-lead.ics  the designated safeguarding lead (DSL): 1" in index
    assert all(f.name in index for f in feeds)
    docs = (Path(__file__).resolve().parents[1] / "docs" / "exports.md").read_text("utf-8")
    shown = docs.split("```text\n", 1)[1].split("```", 1)[0]
    assert [line for line in shown.splitlines() if line not in index.splitlines()] == ["..."]
    assert not list(folder.glob(".*.part"))


def test_check_writes_a_feed_per_duty_holder_for_one_case(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(DIRECTION)
    folder = tmp_path / "mine"
    main(["check", str(path), "--as-of", DAY, "--calendar", CALENDAR, "--ical-dir", str(folder)])
    counts = {f.name: len(events(f)) for f in folder.glob("*.ics")}
    assert sum(counts.values()) == len(events_of_direction()) and counts["school.ics"] > 0


def events_of_direction() -> list:
    return Calendar.from_ical(deadlines_ical(assessed()[1])).walk("VEVENT")


# --- pseudonymised, everywhere --------------------------------------------------------------------


def _every_byte(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, a workbook's zipped parts unpacked."""
    found = {}
    for path in folder.rglob("*"):
        if not path.is_file() or path.name in ("cohort.jsonl", "case.json", "key"):
            continue
        data = path.read_bytes()
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                found.update({f"{path.name}:{n}": z.read(n) for n in z.namelist()})
        found[str(path)] = data
    return found


def test_with_pseudonymise_the_case_id_is_in_no_output_of_check_many(tmp_path, capfd):
    marked = json.loads(SUSPENSION) | {"case_id": MARKER}
    bad = {"case_id": MARKER + "-B", "pupil": {"year_group": "nine"}}
    cohort = tmp_path / "cohort.jsonl"
    cohort.write_text(json.dumps(marked) + "\n" + json.dumps(bad) + "\n")
    key = tmp_path / "key"
    key.write_bytes(b"a-secret-key-of-the-trust-0001")
    out = tmp_path / "out"
    outputs = [
        "--ical", str(out / "all.ics"),
        "--ical-dir", str(out / "feeds"),
        "--xlsx", str(out / "f.xlsx"),
        "--csv", str(out / "f.csv"),
    ]  # fmt: skip
    out.mkdir()
    for extra in ([], ["--json"], ["--processes", "2"]):
        assert many(cohort, "--pseudonymise", str(key), *outputs, *extra) == 2
        printed = capfd.readouterr()
        assert MARKER not in printed.out + printed.err
        assert "p-" in printed.out
    files = _every_byte(out)
    assert len(files) >= 14
    assert [name for name, data in files.items() if MARKER.encode() in data] == []
    book = openpyxl.load_workbook(out / "f.xlsx")
    assert book["Not assessed"]["B2"].value.startswith("p-")


def test_with_pseudonymise_check_names_no_case_id_even_in_the_calendar_name(tmp_path, capfd):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(json.loads(DIRECTION) | {"case_id": MARKER}))
    key = tmp_path / "key"
    key.write_bytes(b"a-secret-key-of-the-trust-0001")
    out = tmp_path / "out"
    out.mkdir()
    argv = ["check", str(path), "--as-of", DAY, "--calendar", CALENDAR, "--pseudonymise", str(key)]
    for extra in ([], ["--json"]):
        main([*argv, *extra, "--ical", str(out / "one.ics"), "--ical-dir", str(out / "feeds"),
              "--xlsx", str(out / "one.xlsx"), "--csv", str(out / "one.csv")])  # fmt: skip
        printed = capfd.readouterr()
        assert MARKER not in printed.out + printed.err
    name = str(Calendar.from_ical((out / "one.ics").read_bytes())["X-WR-CALNAME"])
    assert name.startswith("AP deadlines: case p-")
    assert [n for n, data in _every_byte(out).items() if MARKER.encode() in data] == []


def test_with_pseudonymise_an_error_of_check_names_the_pseudonym(tmp_path, capsys):
    path = tmp_path / "case.json"
    outside = case(suspension("S1", date(2026, 8, 3), 2), case_id=MARKER)
    path.write_text(outside.model_dump_json())
    key = tmp_path / "key"
    key.write_bytes(b"a-secret-key-of-the-trust-0001")
    argv = ["check", str(path), "--as-of", DAY, "--calendar", CALENDAR]
    main(argv)
    assert MARKER in capsys.readouterr().err  # (the error names the case: the test bites)
    assert main([*argv, "--pseudonymise", str(key)]) == 2
    err = capsys.readouterr().err
    assert MARKER not in err and "p-" in err


# --- the finding filter and the exports ----------------------------------------------------------


@pytest.mark.parametrize("command", ["check", "check-many"])
def test_a_filter_selects_the_tables_rows_and_the_calendars_keep_every_deadline(
    cohort, tmp_path, command
):
    if command == "check":
        source = tmp_path / "case.json"
        source.write_text(DIRECTION)
        argv = ["check", str(source), "--as-of", DAY, "--calendar", CALENDAR]
        expected = assessed()[1:]
    else:
        argv = ["check-many", str(cohort), "--as-of", DAY, "--calendar", CALENDAR, "--quiet"]
        expected = assessed()
    table, book, single = tmp_path / "v.csv", tmp_path / "v.xlsx", tmp_path / "v.ics"
    exports = ["--csv", str(table), "--xlsx", str(book), "--ical", str(single)]
    main([*argv, *exports, "--only", "violations", "--section", "H"])
    wanted = sorted(
        (a.case_id, f.rule_id, str(f.subject))
        for a in expected
        for f in a.findings
        if f.is_violation and f.section == "H"
    )
    assert wanted, "the examples have violations in section H"
    rows = list(csv.DictReader(io.StringIO(table.read_text("utf-8-sig"))))
    assert sorted((r["case_id"], r["rule_id"], r["subject"]) for r in rows) == wanted
    sheet = openpyxl.load_workbook(book)["Findings"]
    assert sheet.max_row == 1 + len(wanted)
    unfiltered = tmp_path / "all.ics"
    main([*argv, "--ical", str(unfiltered)])
    assert len(events(single)) == len(events(unfiltered)) > len(wanted)
