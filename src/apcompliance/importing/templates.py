"""`apcompliance template DIR`: every file of an export, its header and one example row of
synthetic values, a starting point for a school without a census export. The example rows
fit together (one pupil, a suspension, a placement at a provider, one event of each kind, a
register mark of the placement's code), so the templates import as they are."""

from __future__ import annotations

import csv
from pathlib import Path

from apcompliance.importing.columns import Column
from apcompliance.importing.files import FILES, ExportFile

EXAMPLES: dict[str, str] = {
    "UPN": "A12345678901B",
    "CaseRef": "case-1",
    "DOB": "2011-05-14",
    "NCyearActual": "9",
    "SENprovision": "K",
    "SENtype": "SEMH",
    "InCare": "false",
    "FSMeligible": "true",
    "Category": "FIXD",
    "StartDate": "2025-10-06",
    "StartSession": "AM",
    "Sessions": "4",
    "Reason": "DB",
    "URN": "100001",
    "urn": "100001",
    "EntryDate": "2025-10-06",
    "LeavingDate": "2025-10-07",
    "name": "Example Learning Centre",
    "kind": "suspension_provision",
    "addresses": '[{"lines": ["1 Example Street", "Exampletown"], "postcode": "EX1 1AA"}]',
    "address": "1 Example Street, Exampletown EX1 1AA",
    "provision_address": "1 Example Street, Exampletown EX1 1AA",
    "attendance_code": "B",
    "Date": "2025-10-06",
    "Session": "AM",
    "Mark": "B",
    "about": "suspension-1",
    "for_exclusion": "suspension-1",
    "placement_id": "placement-1",
    "provider_id": "provider-1",
    "provider_contributions": "provider-1",
    "timetable_id": "part_time_timetable-1",
    "session_times.form": "two_sessions",
    "session_times.morning_starts": "09:00",
    "session_times.break_starts": "12:00",
    "session_times.break_ends": "12:45",
    "session_times.afternoon_ends": "15:15",
    "attendance_percent": "95.0",
    "full_time_pupils": "12",
}
"""Example cells by column; other columns take their type's example (`_by_type`)."""

BLANK = frozenset(
    {
        "UKPRN", "ukprn", "APSettingType", "sessions_per_week", "on_new_school_roll_from",
        "session_times.session_starts", "session_times.session_ends", "timetable.not_running",
        "timetable.extra_sessions", "exam_entries",
    }
)  # fmt: skip
"""Columns left blank in the example: they would contradict another example cell (a single
session beside two, sessions a week beside the timetable's), or need a value the example has
no use for."""

IDS = {"exclusions": "suspension-1", "ap_placements": "placement-1", "providers": "provider-1"}
PER_FILE = {("providers", "kind"): "ap_academy"}


def _by_type(column: Column) -> str:
    expects = column.expects
    if column.name.startswith("timetable."):
        return "AM;PM"
    if expects.startswith("one of: "):
        return expects.removeprefix("one of: ").split(", ")[0]
    if expects.startswith("a list (one of: "):
        return expects.removeprefix("a list (one of: ").split(",")[0].split(")")[0]
    for start, example in (
        ("a date and time", "2025-10-06T15:30"),
        ("a date", "2025-10-06"),
        ("a time", "09:00"),
        ("true or false", "true"),
        ("a whole number", "1"),
        ("a number", "1.0"),
    ):
        if expects.startswith(start):
            return example
    return "example text"


def example_row(spec: ExportFile) -> list[str]:
    """The example cell of each column of a file."""
    cells = []
    names = {c.name for c in spec.columns}
    for column in spec.columns:
        if (spec.name, column.name) in PER_FILE:
            cells.append(PER_FILE[spec.name, column.name])
        elif column.name in BLANK or (
            # placement_id or about, never both (an event about either)
            column.name == "about" and not column.required and "placement_id" in names
        ):
            cells.append("")
        elif column.name in ("id", "ID"):
            cells.append(IDS.get(spec.name, f"{spec.name}-1"))
        elif column.name in EXAMPLES:
            cells.append(EXAMPLES[column.name])
        else:
            cells.append(_by_type(column))
    return cells


def write_templates(folder: Path) -> list[Path]:
    """Write every file of an export to `folder` (made if need be): its header and one
    example row."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in FILES.values():
        path = folder / spec.filename
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([c.name for c in spec.columns])
            writer.writerow(example_row(spec))
        written.append(path)
    return written
