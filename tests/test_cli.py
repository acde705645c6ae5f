"""The command line: demo, check (table / JSON / exit status), rules, schema, bad input."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from apcompliance.cli import main

CALENDAR = str(resources.files("apcompliance") / "data/calendars/example-la-2025-26.yaml")


@pytest.fixture(autouse=True)
def _in_a_temporary_folder(tmp_path, monkeypatch):
    """The demo writes its report into the current folder: never into the repository."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture()
def case_file(tmp_path, example_case_json):
    path = tmp_path / "case.json"
    path.write_text(example_case_json)
    return path


def test_demo_shows_violations_with_clause_ids_and_the_policys_words(capsys):
    assert main(["demo", "--all"]) == 0
    out = capsys.readouterr().out
    assert "VIOLATIONS (8)" in out
    assert "LATE       I.2      due Wed 29 Oct 2025 15:00    further_suspension SUS-2" in out
    assert "I.1.iv" in out and "due Sat 1 Nov 2025 09:00" in out
    assert "LATE       I.1      due Fri 31 Oct 2025" in out
    assert "This provision will begin" in out


def test_demo_also_assesses_the_off_site_direction_example(capsys):
    assert main(["demo", "--all"]) == 0
    out = capsys.readouterr().out
    assert "Case EX-2025-031 as of Tue 20 Jan 2026" in out
    assert "10 violation(s)" in out
    assert "OVERDUE    H.2.iv   due Wed 12 Nov 2025          placement OSD-1" in out
    assert "OVERDUE    H.3.iii  due Fri 9 Jan 2026           placement OSD-1, 4 weeks from" in out
    assert "FLAGGED    H.13" in out
    assert "MISSED     H.5" in out
    assert "(a recommendation of the policy: an advisory, never a violation)" in out


def test_demo_json_is_an_array_of_the_example_assessments(capsys):
    assert main(["demo", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [a["case_id"] for a in data] == ["EX-2025-014", "EX-2025-031"]
    assert data[1]["readings"]["referral_notice_clear_days"]["value"] is True


def test_check_exits_1_when_there_are_violations(capsys, case_file):
    assert main(["check", str(case_file), "--as-of", "2025-11-10", "--calendar", CALENDAR]) == 1
    assert "Case EX-2025-014 as of Mon 10 Nov 2025" in capsys.readouterr().out


def test_check_exits_0_when_nothing_is_yet_overdue(capsys, case_file):
    assert main(["check", str(case_file), "--as-of", "2025-10-16", "--calendar", CALENDAR]) == 0
    assert "0 violation(s)" in capsys.readouterr().out


def test_check_json_is_machine_readable(capsys, case_file):
    main(["check", str(case_file), "--as-of", "2025-11-10", "--calendar", CALENDAR, "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["case_id"] == "EX-2025-014"
    sixth = next(f for f in data["findings"] if f["rule_id"] == "I.1-sixth-day-provision")
    assert (sixth["due"], sixth["status"], sixth["met_by"]) == ("2025-10-31", "late", "PL-1")
    assert data["readings"]["provision_starts_at"]["clause"] == "I.2"


def test_check_says_what_an_information_needed_finding_waits_for(capsys, tmp_path):
    case = tmp_path / "unknown-list.json"
    case.write_text(
        json.dumps(
            {
                "case_id": "K1",
                "pupil": {"year_group": 9},
                "providers": [{"id": "PRV-1", "name": "Oakfield", "kind": "unregistered"}],
                "placements": [
                    {
                        "id": "PL-1",
                        "kind": "other",
                        "start_date": "2025-11-17",
                        "full_time": False,
                        "provider_id": "PRV-1",
                    }
                ],
            }
        )
    )
    argv = ["check", str(case), "--as-of", "2025-11-17", "--calendar", CALENDAR]
    main([*argv, "--only", "needs-info"])
    out = capsys.readouterr().out
    assert "needs: provider PRV-1: on_la_approved_list is not recorded" in out
    main(argv)  # the default view counts it and says how to see it
    out = capsys.readouterr().out
    assert "--only needs-info: the " in out and "information needed" in out.splitlines()[1]


def test_a_malformed_case_is_a_clear_error_naming_the_field(capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"case_id": "B1", "pupil": {"year_group": "nine"}}))
    assert main(["check", str(bad), "--as-of", "2025-11-10", "--calendar", CALENDAR]) == 2
    err = capsys.readouterr().err
    assert "bad.json: invalid case: pupil.year_group" in err
    assert "Traceback" not in err


def test_a_date_outside_the_calendar_is_a_clear_error(capsys, tmp_path):
    case = tmp_path / "late.json"
    case.write_text(
        json.dumps(
            {
                "case_id": "L1",
                "pupil": {"year_group": 9},
                "events": [
                    {"kind": "suspension", "id": "S1", "first_day": "2026-08-03", "school_days": 2}
                ],
            }
        )
    )
    assert main(["check", str(case), "--as-of", "2026-08-10", "--calendar", CALENDAR]) == 2
    assert "2026-08-03" in capsys.readouterr().err


def test_a_missing_calendar_file_is_a_clear_error(capsys, case_file, tmp_path):
    missing = tmp_path / "nope.yaml"
    assert main(["check", str(case_file), "--as-of", "2025-11-10", "--calendar", str(missing)]) == 2
    assert "nope.yaml" in capsys.readouterr().err


def test_rules_lists_the_catalogue(capsys):
    assert main(["rules", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"id": "I.5-la-sixth-day-provision", "clause": "I.5", "section": "I"}.items() <= next(
        r for r in rows if r["id"] == "I.5-la-sixth-day-provision"
    ).items()
    assert main(["rules"]) == 0
    assert "not machine-checkable" in capsys.readouterr().out


def test_schema_prints_the_case_json_schema(capsys):
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Case"


def test_policy_prints_the_clause_index(capsys):
    assert main(["policy", "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert (
        rows["H.2.iv"]["text"] == "the number of days for which the requirement is to be imposed;"
    )
    assert rows["I.1.iv"]["parent"] == "I.1"
    assert {r["section"] for r in rows.values()} == set("ABCDEFGHIJKLMNOPQRS")
    assert main(["policy"]) == 0
    assert "I.8        Provision does not have to be arranged" in capsys.readouterr().out
