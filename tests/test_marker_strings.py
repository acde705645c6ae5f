"""No output echoes personal data, error paths included (issue 19, point 3).

Marker strings go into every free-text field of a case (the pupil's name, UPN and date of birth,
addresses, names, reasons), and into the wrong places of broken copies of it: every id and
reference field (a name where an id belongs), values of a megabyte, wrong types, unknown keys,
an unknown kind. Every output is then searched: `check` (text, --json, stderr), `check-many`
(stdout, stderr, --json, the summary), `--ical`, `--ical-dir`, `--xlsx` (unzipped), `--csv`,
`report -o`, `import`, `test` (scenario files), the web example's replies, with and without
`--pseudonymise`. The only thing allowed to appear is the valid case id, and that only where the
outputs are not pseudonymised.
"""

from __future__ import annotations

import copy
import json
import zipfile
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from apcompliance.cli import main
from apcompliance.facts import Case
from apcompliance.facts._base import ID_PATTERN
from apcompliance.facts.problems import validation_problems
from apcompliance.language.rulebook import load_rulebook

ROOT = Path(__file__).parent.parent
CALENDAR = str(ROOT / "src/apcompliance/data/calendars/example-la-2025-26.yaml")
AS_OF = "2026-02-02"
CASE_ID = "PDMARK-7"
NAME = "ZQXNAME Quillfeather"
UPN = "Z98765432101Q"
DOB = "2010-07-19"
MARKERS = ("ZQX", UPN, DOB, "20100719")
"""Every free-text value below holds `ZQX`; the UPN and date of birth are searched for too."""
MEGABYTE = "ZQX" + "x" * 1_000_000


def marked_case() -> dict[str, Any]:
    """The off-site direction example, with a suspension, its provision, notice and work, a
    reintegration note, a part-time timetable and its review, an EHC plan review: every kind
    of reference, and a marker in every free-text field."""
    example = resources.files("apcompliance.data.examples") / "off-site-direction-case.json"
    data = json.loads(example.read_text(encoding="utf-8"))
    data["case_id"] = CASE_ID
    data["pupil"].update(
        name=NAME,
        upn=UPN,
        date_of_birth=DOB,
        exam_entries=[{"subject": "ZQXSUBJECT", "last_paper_on": "2026-06-19"}],
    )
    provider = data["providers"][0]
    provider.update(name="ZQXPROVIDER Centre")
    provider["addresses"] = [{"lines": ["ZQXLINE One", "ZQXLINE Two"], "postcode": "ZQX 1AB"}]
    data["placements"][0].update(address="ZQXADDRESS Mill Lane", report_to="ZQXREPORT Okafor")
    for event in data["events"]:
        if event["kind"] == "referral_notice":
            event.update(
                provision_address="ZQXADDRESS Mill Lane",
                report_to="ZQXREPORT Okafor",
                reasons="ZQXREASONS",
                objectives="ZQXOBJECTIVES",
                review_arrangements="ZQXREVIEW",
            )
    data["placements"].append(
        {
            "id": "SP-1",
            "kind": "suspension_provision",
            "for_exclusion": "S1",
            "provider_id": provider["id"],
            "arranged_on": "2025-10-01",
            "start_date": "2025-10-09",
            "end_date": "2025-10-10",
            "full_time": True,
            "address": "ZQXADDRESS Two",
            "report_to": "ZQXREPORT Two",
        }
    )
    data["events"] += [
        {"kind": "suspension", "id": "S1", "first_day": "2025-10-02", "school_days": 7},
        {
            "kind": "exclusion_notice",
            "id": "EN-1",
            "about": "S1",
            "sent_at": "2025-10-02T15:00:00",
            "method": "letter",
            "provision_address": "ZQXADDRESS Three",
            "report_to": "ZQXREPORT Three",
        },
        {"kind": "work_set", "id": "WS-1", "about": "S1", "set_on": "2025-10-02"},
        {
            "kind": "not_possible",
            "id": "NP-1",
            "about": "S1",
            "what": "parents_at_meeting",
            "recorded_on": "2025-10-13",
            "reason": "ZQXNOTPOSSIBLE",
        },
        {
            "kind": "part_time_timetable",
            "id": "PTT-1",
            "starts_on": "2026-01-05",
            "reason": "medical",
        },
        {
            "kind": "timetable_review",
            "id": "TR-1",
            "timetable_id": "PTT-1",
            "reviewed_on": "2026-01-19",
        },
        {
            "kind": "ehc_plan_review",
            "id": "EHC-1",
            "held_on": "2026-01-20",
            "provider_contributions": [provider["id"]],
        },
    ]
    return data


# --- which fields hold what ---------------------------------------------------------------------


def _schema_strings() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(model, field, the string's schema) for every string field of the case model (a list's
    items included)."""
    schema = Case.model_json_schema()
    models = {**schema["$defs"], "Case": schema}
    for model, body in models.items():
        for name, prop in body.get("properties", {}).items():
            for option in prop.get("anyOf", [prop]):
                if option.get("type") == "array":
                    option = option.get("items", {})
                if option.get("type") == "string":
                    yield model, name, option


def _is_reference(name: str) -> bool:
    return name in ("id", "about", "for_exclusion", "provider_contributions") or name.endswith(
        ("_id", "_ids")
    )


def test_every_id_and_reference_field_is_an_identifier():
    """One pattern and one length limit for the case id, every record's id and every
    reference to one: no reference can carry a name or a megabyte."""
    references = [(m, n, s) for m, n, s in _schema_strings() if _is_reference(n)]
    assert len(references) >= 90  # every event kind has an id
    for model, name, schema in references:
        assert (schema.get("pattern"), schema.get("maxLength")) == (ID_PATTERN, 64), (model, name)


def _marked_fields(data: object, path: str = "") -> Iterator[str]:
    """The dotted names (`pupil.name`) of the marked values of a case's data."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _marked_fields(value, key)
    elif isinstance(data, list):
        for item in data:
            yield from _marked_fields(item, path)
    elif isinstance(data, str) and any(m in data for m in MARKERS):
        yield path


def test_the_marked_case_marks_every_free_text_field():
    """Every string field that is not an id, a choice, a date or a code holds a marker."""
    free_text = {
        name
        for _, name, schema in _schema_strings()
        if not _is_reference(name) and not {"enum", "const", "format", "pattern"} & set(schema)
    }
    assert free_text <= set(_marked_fields(marked_case())) | {"case_id"}


# --- the broken copies ----------------------------------------------------------------------


def _references(data: object) -> Iterator[tuple[Any, Any, str]]:
    """(container, key, what it is) of every id and reference value in a case's data."""
    if isinstance(data, dict):
        kind = f"{data['kind']} " if isinstance(data.get("kind"), str) else ""
        for key, value in data.items():
            if _is_reference(key) and isinstance(value, str):
                yield data, key, f"{kind}{key}"
            elif _is_reference(key) and isinstance(value, list):
                yield from ((value, i, f"{kind}{key}") for i in range(len(value)))
            else:
                yield from _references(value)
    elif isinstance(data, list):
        for item in data:
            yield from _references(item)


def _broken_ids() -> dict[str, Callable[[dict[str, Any]], None]]:
    """One broken copy per kind of id or reference (the first of each field of each kind of
    record): a name where the id belongs; for the first three, a megabyte."""
    found: dict[str, Callable[[dict[str, Any]], None]] = {}
    for n, (_, _, what) in enumerate(_references(marked_case())):
        if f"a name as {what}" in found:
            continue

        def put(data: dict[str, Any], n: int = n, value: str = NAME) -> None:
            where, at, _ = list(_references(data))[n]
            where[at] = value

        found[f"a name as {what}"] = put
        if len(found) <= 5:
            found[f"a megabyte as {what}"] = lambda d, put=put: put(d, value=MEGABYTE)
    return found


def _set(path: tuple[Any, ...], value: object) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return change


BROKEN_IDS = _broken_ids()
BROKEN: dict[str, Callable[[dict[str, Any]], None]] = {
    **BROKEN_IDS,
    "a megabyte of name": _set(("pupil", "name"), MEGABYTE),
    "a megabyte of address": _set(("placements", 0, "address"), MEGABYTE),
    "a megabyte of reasons": _set(("events", -4, "reason"), MEGABYTE),
    "a name as the year group": _set(("pupil", "year_group"), NAME),
    "a name as the date of birth": _set(("pupil", "date_of_birth"), NAME),
    "a UPN-like value as the UPN": _set(("pupil", "upn"), "ZQX1234567890A"),
    "a UPN-like value as a date": _set(("events", -7, "first_day"), "ZQX1234567890A"),
    "a number as a name": _set(("pupil", "name"), 20100719),
    "a name as a key": _set(("pupil", NAME), DOB),
    "a snake_case key holding a name": _set(("pupil", "zqx_unknown"), NAME),
    "a megabyte key": _set(("pupil", MEGABYTE), 1),
    "a name as an event's kind": _set(("events", 0, "kind"), NAME),
    "a name as a placement's kind": _set(("placements", 0, "kind"), NAME),
    "an event that is a name": _set(("events", 0), NAME),
    "an unknown reference that looks like an id": _set(("events", -5, "about"), "ZQXNAME"),
    "a duplicate id that looks like an id": lambda d: [
        e.update(id="ZQXDUPLICATE") for e in d["events"][-2:]
    ],
}
"""Broken copies of the marked case, by what is wrong."""


def broken(name: str) -> dict[str, Any]:
    data = copy.deepcopy(marked_case())
    BROKEN[name](data)
    return data


def _unfolded(text: str) -> str:
    """iCalendar text with its folded lines joined again (a marker may straddle a fold)."""
    return text.replace("\r\n ", "").replace("\n ", "")


def _clean(text: str, where: str, *, case_id_allowed: bool = True) -> None:
    text = _unfolded(text)
    for marker in MARKERS:
        assert marker not in text, f"{where}: {marker} found"
    if not case_id_allowed:
        assert CASE_ID not in text, f"{where}: the real case id found"


# --- the one way a validation error becomes text -------------------------------------------


def _refused(data: dict[str, Any]) -> tuple[str, int]:
    """The problems of a case's data that does not validate, in words; how many there are."""
    with pytest.raises(ValidationError) as caught:
        Case.model_validate_json(json.dumps(data))
    return validation_problems(caught.value, Case), caught.value.error_count()


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_broken_case_is_refused_in_short_words_without_its_values(name):
    message, _ = _refused(broken(name))
    _clean(message, name)
    assert len(message) < 2_000


def test_a_name_where_an_id_belongs_is_named_by_its_field_and_what_an_id_is():
    data = marked_case()
    data["events"][0]["id"] = NAME
    assert _refused(data)[0] == (
        "events[0].intervention.id: not an id (1–64 letters, digits and _ . : -, starting "
        "with a letter or digit)"
    )


def test_an_unknown_key_is_named_only_where_it_looks_like_a_field_name():
    data = broken("a name as a key")
    data["pupil"]["date_of_brith"] = DOB
    assert _refused(data)[0] == (
        "pupil.<unknown key>: unknown key; "
        "pupil.date_of_brith: unknown key (did you mean date_of_birth?)"
    )


def test_an_unknown_kind_is_named_only_where_it_looks_like_one():
    data = marked_case()
    data["events"][0]["kind"] = "exclusion_notise"
    data["events"][1]["kind"] = NAME
    first, second = _refused(data)[0].split("; ", 1)
    assert first.startswith(
        "events[0]: not a known 'kind' 'exclusion_notise' (did you mean exclusion_notice?): "
        "expected 'suspension', "
    )
    assert second.startswith("events[1]: not a known 'kind': expected 'suspension', ")


def test_at_most_ten_problems_are_listed():
    data = marked_case()
    for event in data["events"]:
        event["id"] = NAME
    message, count = _refused(data)
    assert message.count("not an id") == 10
    assert message.endswith(f"; and {count - 10} more problem(s)")


# --- the command line ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The marked case; a cohort of it and every broken copy (one per line); a key file."""
    root = tmp_path_factory.mktemp("markers")
    case = root / "case.json"
    case.write_text(json.dumps(marked_case()), encoding="utf-8")
    cohort = root / "cohort.jsonl"
    lines = [json.dumps(marked_case()), *(json.dumps(broken(name)) for name in BROKEN)]
    cohort.write_text("\n".join(lines) + "\n", encoding="utf-8")
    key = root / "key"
    key.write_bytes(b"a-secret-key-of-32-bytes-exactly")
    return {"root": root, "case": case, "cohort": cohort, "key": key}


def _exports(folder: Path) -> list[str]:
    """`--ical`, `--ical-dir`, `--xlsx` and `--csv` into `folder`."""
    return [
        "--ical",
        str(folder / "all.ics"),
        "--ical-dir",
        str(folder / "feeds"),
        "--xlsx",
        str(folder / "findings.xlsx"),
        "--csv",
        str(folder / "findings.csv"),
    ]


def _written(folder: Path) -> Iterator[tuple[str, str]]:
    """(name, text) of every file under `folder`, a workbook's parts unzipped."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                for part in book.namelist():
                    yield f"{path.name}:{part}", book.read(part).decode("utf-8", "replace")
        else:
            yield path.name, path.read_text(encoding="utf-8", errors="replace")


@pytest.mark.parametrize("pseudonymised", [False, True], ids=["plain", "pseudonymised"])
def test_check_of_the_marked_case_shows_no_marker(files, tmp_path, capsys, pseudonymised):
    key = ["--pseudonymise", str(files["key"])] if pseudonymised else []
    base = ["check", str(files["case"]), "--as-of", AS_OF, "--calendar", CALENDAR, *key]
    assert main([*base, *_exports(tmp_path)]) == 1  # findings to inspect: violations
    assert main([*base, "--json"]) == 1
    out, err = capsys.readouterr()
    assert "overdue" in out
    written = list(_written(tmp_path))
    assert len(written) > 5  # the calendar, the feeds and their README, the workbook, the CSV
    for where, text in [("stdout", out), ("stderr", err), *written]:
        _clean(text, where, case_id_allowed=not pseudonymised)
    if not pseudonymised:
        assert CASE_ID in out


SOME = [
    *(name for name in BROKEN if name not in BROKEN_IDS or "megabyte" in name),
    "a name as suspension id",
    "a name as exclusion_notice about",
    "a name as ehc_plan_review provider_contributions",
    "a name as timetable_review timetable_id",
    "a name as visit placement_id",
    "a name as suspension_provision for_exclusion",
]
"""The broken copies tried one by one on the command line (all of them are in the cohort)."""


@pytest.mark.parametrize("name", SOME)
def test_check_of_a_broken_case_names_the_field_never_the_value(tmp_path, capsys, name):
    case = tmp_path / "case.json"
    case.write_text(json.dumps(broken(name)), encoding="utf-8")
    for json_flag in ([], ["--json"]):
        argv = ["check", str(case), "--as-of", AS_OF, "--calendar", CALENDAR, *json_flag]
        assert main(argv) == 2
    out, err = capsys.readouterr()
    assert "invalid case" in err and len(err) < 5_000
    for where, text in (("stdout", out), ("stderr", err)):
        _clean(text, f"{name}: {where}")


@pytest.mark.parametrize("pseudonymised", [False, True], ids=["plain", "pseudonymised"])
def test_check_many_shows_no_marker_and_no_invalid_case_id(files, tmp_path, capsys, pseudonymised):
    key = ["--pseudonymise", str(files["key"])] if pseudonymised else []
    base = ["check-many", str(files["cohort"]), "--as-of", AS_OF, "--calendar", CALENDAR]
    assert main([*base, *key, "--quiet", *_exports(tmp_path)]) == 2  # bad lines: 2
    text_out, text_err = capsys.readouterr()
    assert main([*base, *key, "--quiet", "--json"]) == 2
    json_out, json_err = capsys.readouterr()
    records = [json.loads(line) for line in json_out.splitlines()]
    errors = [r for r in records if "error" in r]
    assert len(errors) == len(BROKEN)
    for record in errors:  # a broken line is named by its line, its case id only if valid
        assert (
            record["case"] in (None, CASE_ID) if not pseudonymised else CASE_ID not in str(record)
        )
    assert "line 2: invalid case: case_id: not an id" in text_out + text_err
    outputs = [
        ("stdout", text_out),
        ("stderr", text_err),
        ("--json", json_out),
        ("--json stderr", json_err),
        *_written(tmp_path),
    ]
    for where, text in outputs:
        _clean(text, where, case_id_allowed=not pseudonymised)


@pytest.mark.parametrize("pseudonymised", [False, True], ids=["plain", "pseudonymised"])
def test_the_report_shows_no_marker(files, tmp_path, capsys, pseudonymised):
    key = ["--pseudonymise", str(files["key"])] if pseudonymised else []
    page = tmp_path / "report.html"
    argv = ["report", str(files["cohort"]), "--as-of", AS_OF, "--calendar", CALENDAR, "-o"]
    main([*argv, str(page), *key])
    out, err = capsys.readouterr()
    html = page.read_text(encoding="utf-8")
    assert "<html" in html.lower()
    for where, text in (("stdout", out), ("stderr", err), ("report", html)):
        _clean(text, where, case_id_allowed=not pseudonymised)


ANY_G_RULE = min(r.id for r in load_rulebook().rules if r.id.startswith("G."))
"""A rule of section G for a scenario to name (looked up, so that the handbook does not list
this file among the rule's tests)."""

SCENARIO_NAMES = [
    "a name as the year group",
    "a name as a key",
    "a name as an event's kind",
    "a megabyte of name",
    "an unknown reference that looks like an id",
    next(name for name in BROKEN if name.startswith("a megabyte as")),
]


@pytest.mark.parametrize("name", SCENARIO_NAMES)
def test_a_scenario_file_with_a_broken_case_names_the_field_never_the_value(tmp_path, capsys, name):
    data = broken(name)
    data["case_id"] = NAME  # an invalid case id: never shown either
    scenario = {
        "rules": ["G"],
        "scenarios": [
            {
                "name": "a broken case",
                "as_of": AS_OF,
                "case": data,
                "expect_absent": [ANY_G_RULE],
            }
        ],
    }
    path = tmp_path / "broken.yaml"
    path.write_text(json.dumps(scenario), encoding="utf-8")  # JSON is YAML
    assert main(["test", str(path)]) == 2
    out, err = capsys.readouterr()
    assert "the case does not validate" in out + err
    for where, text in (("stdout", out), ("stderr", err)):
        _clean(text, f"{name}: {where}")


def test_import_names_the_row_and_column_never_the_value(tmp_path, capsys):
    export = tmp_path / "export"
    export.mkdir()
    (export / "pupils.csv").write_text(
        "UPN,CaseRef,NCyearActual,SENprovision,InCare,FSMeligible,DOB\n"
        f"{UPN},{NAME},9,N,false,false,{DOB}\n"
        f"Z10000000009A,OK-1,{NAME},N,false,false,{DOB}\n",
        encoding="utf-8",
    )
    (export / "visit.csv").write_text(
        f"UPN,placement_id,visited_on,form,by\nZ10000000009A,{NAME},2025-10-06,visit,ap_lead\n"
        f"Z10000000009A,ZQXNAME,2025-10-06,visit,ap_lead\n",
        encoding="utf-8",
    )
    summary = tmp_path / "summary.json"
    argv = ["import", str(export), "--out", str(tmp_path / "cases.jsonl"), "--summary"]
    assert main([*argv, str(summary)]) == 2
    out, err = capsys.readouterr()
    assert "pupils.csv, row 2, column CaseRef: not a case id" in err
    written = summary.read_text(encoding="utf-8") if summary.exists() else ""
    for where, text in (("stdout", out), ("stderr", err), ("summary", written)):
        _clean(text, where)


# --- the web example ------------------------------------------------------------------------


def test_the_web_example_replies_with_no_marker():
    pytest.importorskip("fastapi", reason="the web example needs FastAPI (test extra)")
    from fastapi.testclient import TestClient

    from examples.web_endpoint import app

    client = TestClient(app)
    for name in ["the marked case", *BROKEN]:
        data = marked_case() if name == "the marked case" else broken(name)
        reply = client.post("/assess", params={"as_of": AS_OF}, json=data)
        assert reply.status_code == (200 if name == "the marked case" else 422), name
        assert len(reply.text) < (1_000_000 if reply.status_code == 200 else 10_000), name
        _clean(reply.text, f"web: {name}")
