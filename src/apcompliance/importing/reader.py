"""Reading an export: CSV files in, one valid `Case` per pupil out, and a summary of what
every row became.

Every problem names the file, the row (the spreadsheet's row: the header is row 1) and the
column, never a cell's value; all of them are reported together (up to `MAX_PROBLEMS`).
Nothing is dropped silently: a row becomes a case, a placement, a provider or an event, or is
counted as skipped with its reason.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel, ValidationError

from apcompliance import textfiles
from apcompliance.errors import ExportFileError
from apcompliance.facts import Case, Placement, Provider, Pupil, RegisterMark
from apcompliance.facts._base import ID_RULE, is_identifier
from apcompliance.facts.events import LunchtimeExclusion, PermanentExclusion, Suspension
from apcompliance.facts.problems import problem_text
from apcompliance.importing import census
from apcompliance.importing.columns import CellError, put
from apcompliance.importing.files import (
    AP_PLACEMENTS,
    ATTENDANCE,
    EXCLUSIONS,
    FILES,
    PROVIDERS,
    PUPILS,
    ExportFile,
)
from apcompliance.importing.pseudonym import pseudonym

MAX_PROBLEMS = 50
"""Problems listed in full; beyond them, only counted."""

_CASE_ITEM = re.compile(r"^(events|placements)\[(\d+)\]\.?(\S*): (.*)$", re.DOTALL)


# --- where a problem is ------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A row of a file."""

    file: str
    row: int

    def at(self, column: str | None = None) -> str:
        return f"{self.file}, row {self.row}" + (f", column {column}" if column else "")


class Problems:
    """The problems found so far; `raise_any` raises them all at once."""

    def __init__(self) -> None:
        self.found: list[str] = []
        self.more = 0

    def add(self, where: str, message: str) -> None:
        if len(self.found) < MAX_PROBLEMS:
            self.found.append(f"{where}: {message}")
        else:
            self.more += 1

    def validation(self, source: Source, spec: ExportFile, exc: ValidationError) -> None:
        """A model's validation errors, each at the column its field came from."""
        for error in exc.errors(include_input=False, include_url=False):
            path = ".".join(str(p) for p in error["loc"] if isinstance(p, str))
            column = spec.column_of(path) if path else None
            if column is None and path:
                column = next((c.name for c in spec.columns if c.name.startswith(path)), None)
            self.add(source.at(column), problem_text(error))

    def raise_any(self) -> None:
        if self.found:
            raise ExportFileError(self.found, self.more)


# --- the summary -------------------------------------------------------------------------------


@dataclass
class FileSummary:
    """What the rows of one file became."""

    rows: int = 0
    became: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "became": dict(self.became), "skipped": dict(self.skipped)}


@dataclass
class ImportSummary:
    """What every file's rows became, and the cases made."""

    files: dict[str, FileSummary] = field(default_factory=dict)
    cases: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"cases": self.cases, "files": {n: s.to_dict() for n, s in self.files.items()}}

    def to_text(self) -> str:
        lines = [f"{self.cases} case(s)"]
        for name, summary in self.files.items():
            parts = [f"{n} {what}" for what, n in sorted(summary.became.items())]
            parts += [f"{n} skipped ({why})" for why, n in sorted(summary.skipped.items())]
            lines.append(f"  {name}: {summary.rows} row(s): " + (", ".join(parts) or "none"))
        return "\n".join(lines) + "\n"


@dataclass
class ImportResult:
    """The cases of an export, one per pupil, and what every row became."""

    cases: list[Case]
    summary: ImportSummary

    def write_jsonl(self, out: Path | IO[str]) -> None:
        """The cases as JSON Lines, one case a line (what `check-many` reads), to the file
        `out` (a path, or a file open for text)."""
        if isinstance(out, Path):
            with out.open("w", encoding="utf-8") as file:
                self.write_jsonl(file)
            return
        for case in self.cases:
            out.write(case.model_dump_json(exclude_none=True) + "\n")


# --- reading the files -------------------------------------------------------------------------


@dataclass
class _Row:
    source: Source
    values: dict[str, Any]
    """Parsed cells by column name; a blank cell is absent."""


def export_files(paths: Sequence[Path]) -> dict[str, Path]:
    """The export's files by name: the CSV files of each folder given, and each file given."""
    found: dict[str, Path] = {}
    problems = Problems()
    for path in paths:
        members = sorted(path.glob("*.csv")) if path.is_dir() else [path]
        if path.is_dir() and not members:
            problems.add(str(path), "no CSV files in this folder")
        for member in members:
            name = member.name.removesuffix(".csv") if member.suffix == ".csv" else None
            if name not in FILES:
                problems.add(
                    member.name,
                    "not a file of an export; the files are: "
                    + ", ".join(f.filename for f in FILES.values()),
                )
            elif name in found:
                problems.add(member.name, "given twice")
            else:
                found[name] = member
    if not problems.found and PUPILS.name not in found:
        problems.add(PUPILS.filename, "missing: every export needs its pupils")
    problems.raise_any()
    return found


def _rows(spec: ExportFile, path: Path, problems: Problems, summary: FileSummary) -> Iterator[_Row]:
    """The file's rows, each cell parsed; a row with a bad cell is reported, not yielded."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        problems.add(spec.filename, f"cannot be read ({exc.strerror})")
        return
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
        except UnicodeDecodeError:
            problems.add(spec.filename, _not_utf8(path))
            return
        except csv.Error:
            problems.add(spec.filename, "not a CSV file in UTF-8")
            return
        if header is None:
            return
        columns = _header(spec, header, problems)
        if columns is None:
            return
        try:
            for cells in reader:
                row = _row(spec, Source(spec.filename, reader.line_num), columns, cells, problems)
                if row is None:
                    continue
                summary.rows += 1
                if not row.values:
                    summary.skipped["blank row"] += 1
                    continue
                yield row
        except UnicodeDecodeError:  # the text is decoded ahead of the rows: not row-accurate
            problems.add(spec.filename, _not_utf8(path))
        except csv.Error:
            problems.add(f"{spec.filename}, row {reader.line_num}", "not readable as CSV in UTF-8")


def _not_utf8(path: Path) -> str:
    """Where a file that failed to decode stops being UTF-8 (its byte offset and line)."""
    error = textfiles.find_not_utf8(path)
    return error.reason if error is not None else "not UTF-8 text"


def _header(spec: ExportFile, header: list[str], problems: Problems) -> list[Any] | None:
    by_name = {c.name.lower(): c for c in spec.columns}
    columns: list[Any] = []
    ok = True
    for position, text in enumerate(header, 1):
        column = by_name.get(text.strip().lower())
        if column is None:
            problems.add(
                f"{spec.filename}, header, column {position}",
                "not a column of this file; its columns are: "
                + ", ".join(c.name for c in spec.columns),
            )
            ok = False
        elif column in columns:
            problems.add(f"{spec.filename}, header, column {column.name}", "given twice")
            ok = False
        columns.append(column)
    for column in spec.columns:
        if column.required and column not in columns:
            problems.add(f"{spec.filename}, header, column {column.name}", "missing (required)")
            ok = False
    return columns if ok else None


def _row(
    spec: ExportFile, source: Source, columns: list[Any], cells: list[str], problems: Problems
) -> _Row | None:
    if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
        problems.add(source.at(), f"more cells than the header's {len(columns)} columns")
        return None
    values: dict[str, Any] = {}
    ok = True
    for column, cell in zip(columns, cells, strict=False):
        if not cell.strip():
            continue
        try:
            values[column.name] = column.parse(cell)
        except CellError as exc:
            problems.add(source.at(column.name), str(exc))
            ok = False
    if values:
        for column in spec.columns:
            if column.required and column.name not in values and ok:
                problems.add(source.at(column.name), "blank (required)")
                ok = False
    return _Row(source, values) if ok else None


def _model_input(spec: ExportFile, row: _Row) -> dict[str, Any]:
    """The model fields a row's generated columns fill (nested by their dotted paths)."""
    data: dict[str, Any] = {}
    for column in spec.columns:
        if column.path and column.name in row.values:
            put(data, column.path, row.values[column.name])
    return data


def _validate(
    model: type[BaseModel], data: dict[str, Any], spec: ExportFile, row: _Row, problems: Problems
) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.validation(row.source, spec, exc)
        return None


# --- the pupils and what belongs to them -------------------------------------------------------


@dataclass
class _Pupil:
    source: Source
    case_id: str
    pupil: Pupil
    placements: list[tuple[Placement, Source]] = field(default_factory=list)
    events: list[tuple[Any, Source]] = field(default_factory=list)
    marks: list[RegisterMark] = field(default_factory=list)

    def fresh_id(self, stem: str) -> str:
        """`stem`, or `stem-2`, `stem-3`… if the case already has that id."""
        taken = {p.id for p, _ in self.placements} | {e.id for e, _ in self.events}
        candidate, n = stem, 1
        while candidate in taken:
            n += 1
            candidate = f"{stem}-{n}"
        return candidate


def _pupils(
    rows: Iterable[_Row], key: bytes | None, problems: Problems, summary: FileSummary
) -> dict[str, _Pupil]:
    pupils: dict[str, _Pupil] = {}
    first_row: dict[str, Source] = {}
    case_ids: dict[str, Source] = {}
    for row in rows:
        upn = _upn(row, problems)
        if upn is None:
            continue
        if upn in first_row:
            problems.add(row.source.at("UPN"), f"the same pupil as row {first_row[upn].row}")
            continue
        first_row[upn] = row.source
        case_id = _case_id(row, upn, key, problems)
        if case_id is None:
            continue
        if case_id in case_ids:
            problems.add(
                row.source.at("CaseRef"), f"the same case id as row {case_ids[case_id].row}"
            )
            continue
        case_ids[case_id] = row.source
        data = _model_input(PUPILS, row)
        data["year_group"] = census.year_group(row.values["NCyearActual"])
        provision = row.values["SENprovision"]
        data["ehc_plan"] = provision == "E"
        data["send"] = provision in ("E", "K")
        data["semh_needs"] = "SEMH" in row.values.get("SENtype", ())
        pupil = _validate(Pupil, data, PUPILS, row, problems)
        if pupil is not None:
            pupils[upn] = _Pupil(row.source, case_id, pupil)
            summary.became["cases"] += 1
    return pupils


def _upn(row: _Row, problems: Problems) -> str | None:
    upn = str(row.values["UPN"]).upper()
    if not census.UPN_PATTERN.match(upn):
        problems.add(
            row.source.at("UPN"),
            "not a UPN (13 characters: a letter, 11 digits, then a digit or letter)",
        )
        return None
    return upn


def _case_id(row: _Row, upn: str, key: bytes | None, problems: Problems) -> str | None:
    given = row.values.get("CaseRef")
    if given is not None:
        if not is_identifier(given):
            problems.add(row.source.at("CaseRef"), f"not a case id ({ID_RULE})")
            return None
        return str(given)
    if key is None:
        problems.add(
            row.source.at("CaseRef"),
            "blank, and no key was given to make a pseudonymous case id from the UPN "
            "(give a CaseRef, or --key KEYFILE)",
        )
        return None
    return pseudonym(upn, key)


def _owner(row: _Row, pupils: dict[str, _Pupil], problems: Problems) -> _Pupil | None:
    upn = _upn(row, problems)
    if upn is None:
        return None
    owner = pupils.get(upn)
    if owner is None:
        problems.add(row.source.at("UPN"), f"no pupil with this UPN in {PUPILS.filename}")
    return owner


def _exclusions(
    rows: Iterable[_Row], pupils: dict[str, _Pupil], problems: Problems, summary: FileSummary
) -> None:
    for row in rows:
        owner = _owner(row, pupils, problems)
        if owner is None:
            continue
        category = row.values["Category"]
        first_day: date = row.values["StartDate"]
        model: type[BaseModel]
        data: dict[str, Any] = _model_input(EXCLUSIONS, row)
        sessions = row.values.get("Sessions")
        start_session = row.values.get("StartSession")
        if category != "FIXD" and start_session is not None:
            problems.add(row.source.at("StartSession"), "only for a suspension (FIXD)")
            continue
        if category != "PERM" and "on_new_school_roll_from" in data:
            problems.add(row.source.at("on_new_school_roll_from"), "only for a permanent exclusion")
            continue
        if category == "LNCH":
            # each lunchtime is one session in the census; the case model counts lunchtimes
            model, kind = LunchtimeExclusion, "lunchtime_exclusion"
            data["lunchtimes"] = 1 if sessions is None else sessions
        elif category == "FIXD":
            model, kind = Suspension, "suspension"
            if sessions is None:
                problems.add(row.source.at("Sessions"), "blank (required for FIXD)")
                continue
            if sessions % 2 == 0 and start_session != "PM":
                data["school_days"] = sessions // 2  # whole days from the morning
            else:
                data["sessions"] = sessions
                data["first_session"] = start_session or "AM"
        else:
            model, kind = PermanentExclusion, "permanent_exclusion"
        data["id"] = row.values.get("ID") or owner.fresh_id(f"{kind}-{first_day.isoformat()}")
        data["first_day"] = first_day
        event = _validate(model, data, EXCLUSIONS, row, problems)
        if event is not None:
            owner.events.append((event, row.source))
            summary.became[f"{kind} events"] += 1


@dataclass
class _Providers:
    by_id: dict[str, tuple[Provider, Source]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    by_number: dict[tuple[str, str], str] = field(default_factory=dict)
    """Provider ids by ("urn", URN) and ("ukprn", UKPRN)."""

    def add(self, provider: Provider, source: Source) -> None:
        self.by_id[provider.id] = (provider, source)
        for attribute in ("urn", "ukprn"):
            number = getattr(provider, attribute)
            if number is not None:
                self.by_number.setdefault((attribute, number), provider.id)

    def find(self, attribute: str, value: str) -> str | None:
        return self.by_number.get((attribute, value))


def _providers(rows: Iterable[_Row], problems: Problems) -> _Providers:
    providers = _Providers()
    for row in rows:
        provider = _validate(Provider, _model_input(PROVIDERS, row), PROVIDERS, row, problems)
        if provider is None:
            continue
        if provider.id in providers.by_id:
            first = providers.by_id[provider.id][1]
            problems.add(row.source.at("id"), f"the same id as row {first.row}")
            continue
        providers.add(provider, row.source)
    return providers


def _placements(
    rows: Iterable[_Row],
    pupils: dict[str, _Pupil],
    providers: _Providers,
    problems: Problems,
    summary: FileSummary,
) -> None:
    for row in rows:
        owner = _owner(row, pupils, problems)
        if owner is None:
            continue
        data = _model_input(AP_PLACEMENTS, row)
        given = data.get("provider_id")
        for column, attribute in (("URN", "urn"), ("UKPRN", "ukprn")):
            number = row.values.get(column)
            if number is None:
                continue
            found = providers.find(attribute, number)
            if found is None:
                problems.add(
                    row.source.at(column),
                    f"no provider with this {column} in {PROVIDERS.filename} (a case needs "
                    "the provider's name and kind)",
                )
                break
            if given is not None and given != found:
                problems.add(row.source.at(column), "another provider than provider_id's")
                break
            data["provider_id"] = given = found
        else:
            start: date = row.values["EntryDate"]
            data["id"] = row.values.get("ID") or owner.fresh_id(f"placement-{start.isoformat()}")
            placement = _validate(Placement, data, AP_PLACEMENTS, row, problems)
            if placement is not None:
                owner.placements.append((placement, row.source))
                summary.became["placements"] += 1


def _attendance(
    rows: Iterable[_Row], pupils: dict[str, _Pupil], problems: Problems, summary: FileSummary
) -> None:
    """The register's session marks, each onto its pupil's case. A mark on a day outside the
    calendar is kept: the import has no calendar, and the assessment refuses it by date."""
    first_row: dict[tuple[str, date, str], Source] = {}
    for row in rows:
        owner = _owner(row, pupils, problems)
        if owner is None:
            continue
        mark = _validate(RegisterMark, _model_input(ATTENDANCE, row), ATTENDANCE, row, problems)
        if mark is None:
            continue
        key = (owner.case_id, mark.date, mark.session)
        if key in first_row:
            problems.add(
                row.source.at("Session"),
                f"the same pupil, date and session as row {first_row[key].row}",
            )
            continue
        first_row[key] = row.source
        owner.marks.append(mark)
        summary.became["register marks"] += 1


def _events(
    spec: ExportFile,
    rows: Iterable[_Row],
    pupils: dict[str, _Pupil],
    problems: Problems,
    summary: FileSummary,
) -> None:
    assert spec.model is not None
    for row in rows:
        owner = _owner(row, pupils, problems)
        if owner is None:
            continue
        data = _model_input(spec, row)
        data.setdefault("id", owner.fresh_id(f"{spec.name}-{row.source.row}"))
        event = _validate(spec.model, data, spec, row, problems)
        if event is not None:
            owner.events.append((event, row.source))
            summary.became[f"{spec.name} events"] += 1


# --- the cases ---------------------------------------------------------------------------------


def _case(owner: _Pupil, providers: _Providers, problems: Problems) -> Case | None:
    wanted = {p.provider_id for p, _ in owner.placements if p.provider_id}
    for event, _ in owner.events:
        fields = event.__dict__
        if fields.get("provider_id"):
            wanted.add(fields["provider_id"])
        wanted.update(fields.get("provider_contributions", ()))
    known = [providers.by_id[i][0] for i in sorted(wanted) if i in providers.by_id]
    providers.used.update(p.id for p in known)
    try:
        return Case(
            case_id=owner.case_id,
            pupil=owner.pupil,
            providers=tuple(known),
            placements=tuple(p for p, _ in owner.placements),
            events=tuple(e for e, _ in owner.events),
            register_marks=tuple(sorted(owner.marks, key=lambda m: (m.date, m.session))),
        )
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            message = problem_text(error)
            match = _CASE_ITEM.match(message)
            if match:
                items = owner.events if match[1] == "events" else owner.placements
                source = items[int(match[2])][1]
                column = match[3].split("[")[0] or None
                problems.add(source.at(column), match[4])
            else:
                problems.add(f"{owner.source.at()} (case {owner.case_id})", message)
        return None


def read_export(paths: Sequence[Path], *, key: bytes | None = None) -> ImportResult:
    """The cases of an export (CSV files, or folders of them), one per pupil in the order of
    pupils.csv. `key`: the secret (16+ bytes) that makes a pupil's case id from the UPN
    where pupils.csv gives no CaseRef. Raises ExportFileError naming every problem, and where
    pupils.csv has no pupil (empty, or a header alone: nothing to import)."""
    files = export_files(paths)
    problems = Problems()
    summary = ImportSummary()

    def part(spec: ExportFile) -> FileSummary:
        return summary.files.setdefault(spec.filename, FileSummary())

    def rows(spec: ExportFile) -> Iterator[_Row]:
        return _rows(spec, files[spec.name], problems, part(spec))

    pupils = _pupils(rows(PUPILS), key, problems, part(PUPILS))
    if not pupils and not problems.found:  # an export of nothing should be noticed
        problems.add(PUPILS.filename, "no pupils: the file is empty or has no rows")
    providers = _providers(rows(PROVIDERS), problems) if PROVIDERS.name in files else _Providers()
    if EXCLUSIONS.name in files:
        _exclusions(rows(EXCLUSIONS), pupils, problems, part(EXCLUSIONS))
    if AP_PLACEMENTS.name in files:
        _placements(rows(AP_PLACEMENTS), pupils, providers, problems, part(AP_PLACEMENTS))
    if ATTENDANCE.name in files:
        _attendance(rows(ATTENDANCE), pupils, problems, part(ATTENDANCE))
    for name in files:
        spec = FILES[name]
        if spec.model is not None and spec not in (PUPILS, PROVIDERS, AP_PLACEMENTS):
            _events(spec, rows(spec), pupils, problems, part(spec))
    problems.raise_any()
    cases = [c for owner in pupils.values() if (c := _case(owner, providers, problems))]
    problems.raise_any()
    if PROVIDERS.name in files:
        used = len(providers.used)
        part(PROVIDERS).became["providers"] = used
        if len(providers.by_id) > used:
            unused = len(providers.by_id) - used
            part(PROVIDERS).skipped["no placement or event of any pupil names it"] = unused
    summary.cases = len(cases)
    return ImportResult(cases, summary)
