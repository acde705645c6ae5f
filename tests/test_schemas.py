"""The JSON Schemas of a case and of an assessment are versioned and stable; pseudonymised
output replaces the case id by a keyed pseudonym."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from apcompliance import evaluate
from apcompliance.outputs.pseudonymise import pseudonym, pseudonymise
from apcompliance.outputs.schemas import SCHEMA_VERSION, assessment_schema, case_schema

SCHEMAS = Path(__file__).resolve().parents[1] / "docs" / "schemas"


@pytest.mark.parametrize(
    ("name", "build"), [("case", case_schema), ("assessment", assessment_schema)]
)
def test_a_schema_changes_only_with_its_version(name, build):
    committed = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert committed == build(), (
        f"the {name} model changed: bump SCHEMA_VERSION in apcompliance/outputs/schemas.py and "
        f"regenerate docs/schemas/{name}.schema.json"
    )
    assert committed["version"] == SCHEMA_VERSION
    assert committed["$id"] == f"urn:apcompliance:schema:{name}:v{SCHEMA_VERSION}"


def test_the_case_schema_names_every_event_kind():
    text = json.dumps(case_schema())
    for kind in ("suspension", "referral_notice", "placement_review", "part_time_timetable"):
        assert f'"{kind}"' in text


def test_pseudonymised_output_carries_a_keyed_pseudonym_not_the_case_id(example_case, calendar):
    key = b"a-secret-key-of-the-trust-0001"
    assessment = evaluate(example_case, as_of=date(2025, 11, 10), calendar=calendar)
    shared = pseudonymise(assessment, key)
    assert shared.case_id == pseudonym("EX-2025-014", key) != "EX-2025-014"
    assert shared.case_id.startswith("p-") and len(shared.case_id) == 18
    assert "EX-2025-014" not in shared.to_json()
    assert shared.findings == assessment.findings
    assert assessment.trace is not None and shared.trace is None  # the derived facts stay
    assert pseudonym("EX-2025-014", b"another-key-entirely-0002") != shared.case_id


def test_a_short_key_is_refused():
    with pytest.raises(ValueError, match="at least 16 bytes"):
        pseudonym("EX-1", b"short")


def test_the_schema_command_prints_either_versioned_schema(capsys):
    from apcompliance.cli import main

    assert main(["schema", "--assessment"]) == 0
    assert json.loads(capsys.readouterr().out)["$id"].startswith(
        "urn:apcompliance:schema:assessment"
    )
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["$id"].startswith("urn:apcompliance:schema:case")


def test_check_pseudonymises_with_a_key_file(capsys, tmp_path, example_case_json):
    from importlib import resources

    from apcompliance.cli import main

    calendar = str(resources.files("apcompliance") / "data/calendars/example-la-2025-26.yaml")
    case = tmp_path / "case.json"
    case.write_text(example_case_json)
    key = tmp_path / "key"
    key.write_bytes(b"a-secret-key-of-the-trust-0001")
    args = ["check", str(case), "--as-of", "2025-11-10", "--calendar", calendar, "--json"]
    main([*args, "--pseudonymise", str(key)])
    out = capsys.readouterr().out
    assert json.loads(out)["case_id"] == pseudonym("EX-2025-014", key.read_bytes())
    assert "EX-2025-014" not in out
    key.write_bytes(b"short")
    assert main([*args, "--pseudonymise", str(key)]) == 2
    assert "at least 16 bytes" in capsys.readouterr().err
