"""The CSV files of an export: their names, columns and what each column fills.

Four files carry the school census's data items (pupils, exclusions, AP placements, the
attendance register), with the census's names for its items; `providers.csv` and one file per
event kind the census has no item for (`visit.csv`, `exclusion_notice.csv`, …) mirror the case
model's fields, so their columns are generated from the models.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass, field
from typing import Final

from pydantic import BaseModel

from apcompliance.facts import Event, Placement, Provider, Pupil, RegisterMark
from apcompliance.facts.events import EXCLUSION_KINDS, PermanentExclusion
from apcompliance.facts.placement import AttendanceCode
from apcompliance.importing import census
from apcompliance.importing.columns import (
    Column,
    code_parser,
    first_sentence,
    list_parser,
    model_columns,
    parse_bool,
    parse_date,
    parse_int,
    parse_text,
)

UPN: Final = Column(
    "UPN",
    (),
    parse_text,
    True,
    "the pupil's unique pupil number (13 characters)",
    "Links the row to its pupil in pupils.csv; never written to a case.",
)
"""The column that links every row to its pupil in pupils.csv (never written to a case)."""


@dataclass(frozen=True)
class ExportFile:
    """One CSV file of an export."""

    name: str
    """The file's name without `.csv`."""
    about: str
    columns: tuple[Column, ...]
    fields: dict[str, str] = field(default_factory=dict)
    """For a census column that fills a model field of another name: the field's dotted path
    to the column (an error about the field names the column)."""
    model: type[BaseModel] | None = None
    """The model a row becomes."""

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    def column_of(self, path: str) -> str | None:
        """The column a model field's error belongs to, if the file has one."""
        names = {c.name for c in self.columns}
        while path:
            if path in self.fields:
                return self.fields[path]
            if path in names:
                return path
            path = path.rpartition(".")[0]
        return None


def _optional_id(columns: list[Column]) -> list[Column]:
    """The model's columns with `id` optional: a blank id is made from the row."""
    return [
        dataclasses.replace(c, required=False, expects=c.expects + "; blank: made from the row")
        if c.name == "id"
        else c
        for c in columns
    ]


def _code_list(name: str, codes: tuple[str, ...], what: str) -> Column:
    """An optional census column of codes from a code set, `;` between them."""
    expects = f"{what}, `;` between: " + ", ".join(codes)
    return Column(name, (), list_parser(code_parser(codes)), False, expects)


PUPILS = ExportFile(
    "pupils",
    "One row a pupil: the census's pupil items the rules use",
    (
        UPN,
        Column(
            "CaseRef",
            (),
            parse_text,
            False,
            "the school's own case reference, used as the case id; blank: a keyed "
            "pseudonym of the UPN (--key)",
        ),
        Column("DOB", ("date_of_birth",), parse_date, False, "date of birth, YYYY-MM-DD"),
        Column(
            "NCyearActual",
            ("year_group",),
            code_parser(census.YEAR_GROUPS),
            True,
            "national curriculum year: " + ", ".join(census.YEAR_GROUPS),
        ),
        Column(
            "SENprovision",
            (),
            code_parser(census.SEN_PROVISION),
            True,
            "E (EHC plan), K (SEN support) or N (no SEN)",
        ),
        _code_list("SENtype", census.SEN_TYPES, "SEN type codes"),
        Column("InCare", ("looked_after",), parse_bool, True, "looked after: true or false"),
        Column(
            "FSMeligible", ("fsm_eligible",), parse_bool, True, "eligible for free school meals"
        ),
        *model_columns(
            Pupil,
            skip=frozenset(
                {
                    "upn",
                    "name",
                    "date_of_birth",
                    "year_group",
                    "looked_after",
                    "ehc_plan",
                    "send",
                    "semh_needs",
                    "fsm_eligible",
                }
            ),
        ),
    ),
    fields={
        "date_of_birth": "DOB",
        "year_group": "NCyearActual",
        "looked_after": "InCare",
        "fsm_eligible": "FSMeligible",
        "ehc_plan": "SENprovision",
        "send": "SENprovision",
        "semh_needs": "SENtype",
    },
    model=Pupil,
)

EXCLUSIONS = ExportFile(
    "exclusions",
    "One row a suspension or permanent exclusion, as the census's exclusion items",
    (
        UPN,
        Column(
            "ID",
            (),
            parse_text,
            False,
            "an id for other files to refer to; blank: "
            "suspension-START or permanent_exclusion-START",
        ),
        Column(
            "Category",
            (),
            code_parser(census.EXCLUSION_CATEGORIES),
            True,
            "FIXD (suspension), PERM (permanent exclusion) or LNCH (lunchtime)",
        ),
        Column("StartDate", ("first_day",), parse_date, True, "the first day, YYYY-MM-DD"),
        Column(
            "StartSession",
            (),
            code_parser(("AM", "PM")),
            False,
            "FIXD: the session it starts with, AM or PM (blank: AM)",
        ),
        Column(
            "Sessions",
            (),
            parse_int,
            False,
            "FIXD: sessions (half days) excluded; required. LNCH: lunchtimes (blank: 1)",
        ),
        _code_list("Reason", census.EXCLUSION_REASONS, "up to three reason codes"),
        *model_columns(PermanentExclusion, skip=frozenset({"id", "first_day"})),
    ),
    fields={
        "first_day": "StartDate",
        "school_days": "Sessions",
        "sessions": "Sessions",
        "lunchtimes": "Sessions",
        "first_session": "StartSession",
        "id": "ID",
    },
)

AP_PLACEMENTS = ExportFile(
    "ap_placements",
    "One row an alternative provision placement, as the census's AP placement items, with "
    "the case model's placement fields the census has no item for",
    (
        UPN,
        Column(
            "ID",
            (),
            parse_text,
            False,
            "an id for other files to refer to; blank: placement-ENTRYDATE",
        ),
        Column("URN", (), parse_text, False, "the provider's URN (it must be in providers.csv)"),
        Column(
            "UKPRN", (), parse_text, False, "the provider's UKPRN (it must be in providers.csv)"
        ),
        Column(
            "APSettingType",
            (),
            code_parser(census.AP_SETTING_TYPES),
            False,
            "where no URN or UKPRN: " + ", ".join(census.AP_SETTING_TYPES),
        ),
        Column("EntryDate", ("start_date",), parse_date, True, "the first day of provision"),
        Column("LeavingDate", ("end_date",), parse_date, False, "the last day, where it ended"),
        *model_columns(Placement, skip=frozenset({"id", "start_date", "end_date"})),
    ),
    fields={"start_date": "EntryDate", "end_date": "LeavingDate", "id": "ID"},
    model=Placement,
)


def _mark_meaning(name: str) -> str:
    return first_sentence(RegisterMark.model_fields[name].description or "")


ATTENDANCE_CODES: Final = tuple(str(c) for c in typing.get_args(AttendanceCode))
"""The register's codes (School Attendance (Pupil Registration) (England) Regulations 2024)."""

ATTENDANCE = ExportFile(
    "attendance",
    "The attendance register: one row a pupil, date and session, with its mark (the case's "
    "`register_marks`)",
    (
        UPN,
        Column("Date", ("date",), parse_date, True, "the day, YYYY-MM-DD", _mark_meaning("date")),
        Column(
            "Session",
            ("session",),
            code_parser(census.SESSIONS),
            True,
            "AM or PM",
            _mark_meaning("session"),
        ),
        Column(
            "Mark",
            ("code",),
            code_parser(ATTENDANCE_CODES),
            True,
            "one of: " + ", ".join(ATTENDANCE_CODES),
            _mark_meaning("code"),
        ),
    ),
    fields={"date": "Date", "session": "Session", "code": "Mark"},
)

PROVIDERS = ExportFile(
    "providers",
    "One row a provider (the model's provider fields); placements find theirs by id, URN or UKPRN",
    tuple(model_columns(Provider)),
    model=Provider,
)


def event_models() -> dict[str, type[BaseModel]]:
    """Every event kind of the case model, by kind."""
    members = typing.get_args(typing.get_args(Event)[0])
    return {m.model_fields["kind"].default: m for m in members}


def _event_file(kind: str, model: type[BaseModel]) -> ExportFile:
    doc = (model.__doc__ or "").strip().split("\n\n")[0]
    return ExportFile(
        kind,
        " ".join(doc.split()),
        (UPN, *_optional_id(model_columns(model))),
        model=model,
    )


FROM_EXCLUSIONS: Final = EXCLUSION_KINDS | {"lunchtime_exclusion"}
"""The event kinds exclusions.csv gives (FIXD, PERM, LNCH)."""

EVENT_FILES: Final = tuple(
    _event_file(kind, model)
    for kind, model in event_models().items()
    if kind not in FROM_EXCLUSIONS
)
"""One file per event kind the census has no item for; suspensions, permanent exclusions and
lunchtime exclusions come from exclusions.csv."""

CENSUS_FILES: Final = (PUPILS, EXCLUSIONS, AP_PLACEMENTS, ATTENDANCE)
FILES: Final = {f.name: f for f in (*CENSUS_FILES, PROVIDERS, *EVENT_FILES)}
"""Every file an export may hold, by name."""


def files_markdown() -> str:
    """Every file of an export and its columns, as Markdown (docs/importing.md holds it)."""
    lines = []
    for spec in FILES.values():
        lines += [f"### `{spec.filename}`", "", spec.about.rstrip(".") + ".", ""]
        lines += ["| column | required | holds | meaning |", "| --- | --- | --- | --- |"]
        for column in spec.columns:
            holds = column.expects.replace("|", "\\|")
            meaning = column.meaning.replace("|", "\\|")
            required = "yes" if column.required else ""
            lines.append(f"| `{column.name}` | {required} | {holds} | {meaning} |")
        lines.append("")
    return "\n".join(lines)
