"""The findings as tables for people who work in spreadsheets (governors, a local authority):
CSV and an Excel workbook, one row per finding with the columns of `Assessment.to_frame()`
(`FRAME_COLUMNS`, from `Assessment.rows()`), written as the cases are assessed.

    with FindingsCsv(Path("findings.csv")) as out:
        for assessment in assessments:
            out.add(assessment)

CSV: UTF-8 with a byte order mark (so that Excel reads it as UTF-8, not the PC's code page),
RFC 4180 (comma, double quotes where needed, CRLF), dates in ISO 8601 (`2025-11-12`, a time of
day `2025-10-16T15:00:00` in the school's local time), `TRUE`/`FALSE`, and an empty cell for no
value. A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is written
with a leading `'`, so that a spreadsheet never runs it as a formula.

Excel (`FindingsWorkbook`, needs openpyxl: `pip install 'apcompliance[xlsx]'`): a Summary
sheet (counts by status, by section and by duty holder, with met against violated and the
compliance rate), a Findings sheet (autofilter, frozen header row, dates as Excel dates) and a
Not assessed sheet (line and error of each case that could not be assessed).

Each file is written to a temporary file that replaces the target only when complete
(`atomic.AtomicFile`). Nothing here holds more than one assessment at a time.
"""

from __future__ import annotations

import contextlib
import csv
import importlib
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, get_args

from apcompliance.calendar.clock import local
from apcompliance.errors import MissingExtraError
from apcompliance.outputs.atomic import AtomicFile, Output
from apcompliance.outputs.ical import PENDING_STATUSES
from apcompliance.policy.document import load_policy
from apcompliance.results.assessment import FRAME_COLUMNS, Assessment
from apcompliance.results.data import DUTY_KINDS, Status, compliance_rate
from apcompliance.results.explain import duty_holder_words

__all__ = [
    "CSV_ENCODING",
    "FindingTally",
    "FindingsCsv",
    "FindingsWorkbook",
    "Row",
    "csv_text",
    "finding_rows",
]

CSV_ENCODING = "utf-8-sig"
"""UTF-8 with a byte order mark: Excel opens such a file as UTF-8 (without it, as the PC's
code page, and `“` or `é` come out garbled); pandas and Python's `csv` read it as usual with
`encoding="utf-8-sig"`."""

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell_text(value: object) -> str:
    """A value as CSV text: ISO dates (a time in the school's local time), TRUE/FALSE, empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return local(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


Row = tuple[Any, ...]
"""A finding's row: the values of `FRAME_COLUMNS`, in that order (`finding_rows`)."""


def finding_rows(assessment: Assessment) -> tuple[Row, ...]:
    """The assessment's rows (`Assessment.rows()`) as tuples in `FRAME_COLUMNS` order: what
    the workbook is filled from, small enough to send from a worker process."""
    return tuple(tuple(row[c] for c in FRAME_COLUMNS) for row in assessment.rows())


def csv_text(rows: Iterable[Row]) -> str:
    """The rows as CSV text (`FindingsCsv`'s lines, without the header)."""
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\r\n").writerows(
        [_cell_text(value) for value in row] for row in rows
    )
    return text.getvalue()


class FindingsCsv(Output):
    """The findings of each assessment added, as CSV rows under a `FRAME_COLUMNS` header."""

    def __init__(self, path: Path) -> None:
        self._out = AtomicFile(path, "CSV file", encoding=CSV_ENCODING)
        with self._out.writing():
            csv.writer(self._out.file, lineterminator="\r\n").writerow(FRAME_COLUMNS)

    def add(self, assessment: Assessment) -> None:
        self.add_text(csv_text(finding_rows(assessment)))

    def add_text(self, text: str) -> None:
        """Rows already written as CSV text (`csv_text`, in a worker process)."""
        with self._out.writing():
            self._out.file.write(text)

    def finish(self) -> None:
        self._out.finish()

    def discard(self) -> None:
        self._out.discard()


# --- the counts of the Summary sheet --------------------------------------------------------------


TALLY_COLUMNS = ("findings", "met", "violated", "compliance rate", "to do", "information needed")
"""The columns of the by-section and by-duty-holder tables. met: duties (obligations and
requirements) met in time; violated: overdue, late or breached; compliance rate: met ÷ (met +
violated); to do: deadlines still to act on (the statuses the iCalendar export includes);
information needed: findings waiting for a value the case does not record."""


_KIND, _STATUS, _SECTION, _HOLDER, _VIOLATION = (
    FRAME_COLUMNS.index(c) for c in ("kind", "status", "section", "duty_holder", "is_violation")
)


def _marks(row: Row) -> Iterable[str]:
    status = row[_STATUS]
    yield "findings"
    if row[_KIND] in DUTY_KINDS and status == "met":  # FindingData.is_met_duty
        yield "met"
    if row[_VIOLATION]:
        yield "violated"
    if status in PENDING_STATUSES:
        yield "to do"
    if status == "information_needed":
        yield "information needed"


def _tally() -> dict[str, Counter[str]]:
    return {}


@dataclass
class FindingTally:
    """Counts over the findings of the assessments added: by status, and by section and by
    duty holder (`TALLY_COLUMNS`); cases assessed and not."""

    assessed: int = 0
    errors: int = 0
    cases_with_violations: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    by_section: dict[str, Counter[str]] = field(default_factory=_tally)
    by_duty_holder: dict[str, Counter[str]] = field(default_factory=_tally)

    def add(self, assessment: Assessment) -> None:
        self.add_rows(finding_rows(assessment))

    def add_rows(self, rows: Sequence[Row]) -> None:
        """One assessed case's rows (`finding_rows`)."""
        self.assessed += 1
        self.cases_with_violations += any(row[_VIOLATION] for row in rows)
        for row in rows:
            self.by_status[row[_STATUS]] += 1
            marks = list(_marks(row))
            self.by_section.setdefault(row[_SECTION], Counter()).update(marks)
            self.by_duty_holder.setdefault(row[_HOLDER], Counter()).update(marks)

    @staticmethod
    def rate(counts: Counter[str]) -> float | None:
        """met ÷ (met + violated), or None when there is neither."""
        return compliance_rate(counts["met"], counts["violated"])


# --- the workbook --------------------------------------------------------------------------------

FINDINGS_WIDTHS: dict[str, int] = {
    "case_id": 20,
    "rule_id": 36,
    "tier": 9,
    "clause": 14,
    "section": 8,
    "kind": 13,
    "duty_holder": 16,
    "subject": 24,
    "period": 18,
    "due": 17,
    "status": 18,
    "is_violation": 12,
    "met_by": 14,
    "met_on": 17,
    "uncovered": 30,
    "says": 70,
    "action": 60,
}
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def _openpyxl() -> Any:
    try:
        return importlib.import_module("openpyxl")
    except ImportError:
        raise MissingExtraError(
            "the Excel export (--xlsx) needs openpyxl, an optional extra: "
            "pip install 'apcompliance[xlsx]'"
        ) from None


def _column_letter(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class FindingsWorkbook(Output):
    """An Excel workbook of the findings of each assessment added, and of the cases that could
    not be assessed, written with openpyxl's write-only (streaming) workbook."""

    def __init__(self, path: Path, *, source: str, as_of: date, calendar: str) -> None:
        openpyxl = _openpyxl()
        self._cells = importlib.import_module("openpyxl.cell")
        self._bold = importlib.import_module("openpyxl.styles").Font(bold=True)
        self.source, self.as_of, self.calendar = source, as_of, calendar
        self.tally = FindingTally()
        self._out = AtomicFile(path, "workbook")
        self._book = openpyxl.Workbook(write_only=True)
        self._summary = self._book.create_sheet("Summary")
        self._findings = self._book.create_sheet("Findings")
        self._errors = self._book.create_sheet("Not assessed")
        for i, width in enumerate((26, 44, 11, 11, 11, 16, 11, 19), start=1):
            self._summary.column_dimensions[_column_letter(i)].width = width
        for i, name in enumerate(FRAME_COLUMNS, start=1):
            self._findings.column_dimensions[_column_letter(i)].width = FINDINGS_WIDTHS[name]
        for letter, width in (("A", 8), ("B", 20), ("C", 100)):
            self._errors.column_dimensions[letter].width = width
        self._findings.freeze_panes = "A2"
        self._errors.freeze_panes = "A2"
        self._findings.append(self._header(FRAME_COLUMNS))
        self._errors.append(self._header(("line", "case", "error")))
        self._rows = 1

    def _cell(self, value: object, number_format: str | None = None) -> Any:
        """A value as openpyxl writes it, or a cell where it needs more: a time of day in the
        school's local time, text beginning with `=` kept as text (never a formula), a format."""
        if isinstance(value, datetime):
            value, number_format = local(value), number_format or DATETIME_FORMAT
        elif isinstance(value, str) and value.startswith("="):
            cell = self._cells.WriteOnlyCell(self._findings, value)
            cell.data_type = "s"
            return cell
        if number_format is None:
            return value  # a date is given openpyxl's date format, yyyy-mm-dd
        cell = self._cells.WriteOnlyCell(self._findings, value)
        cell.number_format = number_format
        return cell

    def _header(self, names: Sequence[str]) -> list[Any]:
        cells = [self._cells.WriteOnlyCell(self._findings, name) for name in names]
        for cell in cells:
            cell.font = self._bold
        return cells

    def add(self, assessment: Assessment) -> None:
        self.add_rows(finding_rows(assessment))

    def add_rows(self, rows: Sequence[Row]) -> None:
        """One assessed case's rows (`finding_rows`, made in a worker process)."""
        self.tally.add_rows(rows)
        for row in rows:
            self._findings.append([self._cell(value) for value in row])
            self._rows += 1

    def add_error(self, line: int, case_id: str | None, error: str) -> None:
        """A case that could not be assessed: its line, case id (when known) and the error
        (which names fields and lines, never the input's values)."""
        self.tally.errors += 1
        self._errors.append([line, self._cell(case_id), self._cell(error)])

    def _write_summary(self) -> None:
        t = self.tally
        sheet = self._summary
        sheet.append(self._header(["AP policy findings"]))
        for label, value in (
            ("Source", self.source),
            ("As of", self.as_of),
            ("Calendar", self.calendar),
            ("Cases", t.assessed + t.errors),
            ("Assessed", t.assessed),
            ("Could not be assessed", t.errors),
            ("Cases with violations", t.cases_with_violations),
            ("Findings", sum(t.by_status.values())),
            ("Violations", sum(c["violated"] for c in t.by_section.values())),
        ):
            sheet.append([self._cell(label), self._cell(value)])
        sheet.append([])
        sheet.append(self._header(["Status", "", "findings"]))
        for status in get_args(Status):
            sheet.append([self._cell(status), None, t.by_status[status]])
        titles = {k: v.title for k, v in load_policy().sections.items()}
        for title, rows, words in (
            ("Section", t.by_section, lambda k: titles.get(k, "")),
            ("Duty holder", t.by_duty_holder, duty_holder_words),
        ):
            sheet.append([])
            sheet.append(self._header([title, "", *TALLY_COLUMNS]))
            for key in sorted(rows):
                counts = rows[key]
                rate = self._cell(FindingTally.rate(counts), "0%")
                values = [counts[c] for c in TALLY_COLUMNS if c != "compliance rate"]
                sheet.append(
                    [self._cell(key), self._cell(words(key)), *values[:3], rate, *values[3:]]
                )

    def finish(self) -> None:
        if self._rows > 1:
            last = _column_letter(len(FRAME_COLUMNS))
            self._findings.auto_filter.ref = f"A1:{last}{self._rows}"
        self._write_summary()
        with self._out.writing():
            self._book.save(self._out.file)
        self._out.finish()

    def discard(self) -> None:
        """Drop the temporary file, and openpyxl's temporary files of the sheets (which it
        removes itself only on a successful save)."""
        for sheet in self._book.worksheets:
            with contextlib.suppress(Exception):  # already closed and removed by a save
                sheet.close()
            with contextlib.suppress(Exception):
                sheet._writer.cleanup()
        self._out.discard()
