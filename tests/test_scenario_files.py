"""YAML scenario files (docs/scenarios.md): loading, matching, the failure report, the errors a
malformed file gives, `apcompliance test` and its exit codes, and the bundled
tests/scenarios/*.yaml themselves (each passes, each can fail, each quotes its clause).

Dates are those of the example calendar (SchoolCalendar.example()). The running example: a
seven-school-day suspension S1 from Tue 14 Oct 2025: Tue 14 - Fri 17 Oct are days 1-4,
half-term (Mon 20 - Fri 24 Oct) and the INSET day Mon 27 Oct are skipped, Tue 28 Oct is day 5
and Wed 29 Oct 2025 day 6, the sixth school day of exclusion.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import get_args

import pytest

from apcompliance.cli import main
from apcompliance.policy.document import load_policy
from apcompliance.policy.statutes import load_statutes
from apcompliance.results.findings import Status
from apcompliance.scenarios import (
    STATUSES,
    Expectation,
    ScenarioFileError,
    compare,
    load_scenario_file,
    run_scenario_file,
)

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_FILES = sorted((ROOT / "tests" / "scenarios").glob("*.yaml"))

PASSING = """\
rules: [I]
calendar: example
scenarios:
  - name: A seven-day suspension with full-time provision from the sixth day is met
    says: I.1 — "This provision will begin no later than the sixth school day of exclusion"
    as_of: 2025-11-14
    case:
      pupil: {year_group: 9}
      events:
        - {kind: suspension, id: S1, first_day: 2025-10-14, school_days: 7}
      placements:
        - {id: PL-1, kind: suspension_provision, start_date: 2025-10-29, full_time: true}
    expect:
      - {rule: I.1-sixth-day-provision, subject: exclusion S1, due: 2025-10-29,
         status: met, met_by: PL-1}
    expect_absent: [I.5-la-sixth-day-provision]
"""

WRONG_DUE = PASSING.replace("due: 2025-10-29", "due: 2025-10-28")


def write(tmp_path: Path, text: str, name: str = "scenarios.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str) -> str:
    with pytest.raises(ScenarioFileError) as caught:
        load_scenario_file(write(tmp_path, text))
    return str(caught.value)


# --- running and matching ---------------------------------------------------------------------


def test_a_scenario_whose_findings_are_as_expected_passes(tmp_path):
    (result,) = run_scenario_file(write(tmp_path, PASSING))
    assert (result.passed, result.outcome, result.problems, result.error) == (
        True,
        "passed",
        (),
        None,
    )
    assert (
        result.name == "A seven-day suspension with full-time provision from the sixth day is met"
    )
    assert result.index == 0


def test_a_failure_names_what_was_expected_and_what_the_rule_found(tmp_path):
    (result,) = run_scenario_file(write(tmp_path, WRONG_DUE))
    assert not result.passed
    assert result.outcome == "failed"
    report = result.report()
    assert report.splitlines() == [
        "expected exactly one finding {rule: I.1-sixth-day-provision, subject: exclusion S1, "
        "due: 2025-10-28, status: met, met_by: PL-1}",
        "  but none matches; the findings of I.1-sixth-day-provision are:",
        "    {rule: I.1-sixth-day-provision, subject: exclusion S1, due: 2025-10-29, "
        "status: met, met_by: PL-1}",
    ]


def test_an_absent_rule_that_has_a_finding_fails(tmp_path):
    text = PASSING.replace("expect_absent: [I.5-la-sixth-day-provision]", "expect_absent: [I.7]")
    (result,) = run_scenario_file(write(tmp_path, text))
    assert "expected no finding of I.7" in result.report()
    assert "{rule: I.7-work-set, subject: exclusion S1, due: 2025-10-14, status: overdue" in (
        result.report()
    )


def test_count_and_expect_only(tmp_path):
    # Two separate three-day suspensions: two I.7-work-set findings, one per period.
    text = """\
rules: [I]
scenarios:
  - name: two periods
    as_of: 2025-11-24
    case:
      pupil: {year_group: 9}
      events:
        - {kind: suspension, id: SUS-A, first_day: 2025-11-03, school_days: 3}
        - {kind: suspension, id: SUS-B, first_day: 2025-11-07, school_days: 3}
    expect:
      - {clause: I.7, kind: obligation, status: overdue, count: 2}
  - name: only one of them is expected
    as_of: 2025-11-24
    expect_only: true
    case:
      pupil: {year_group: 9}
      events:
        - {kind: suspension, id: SUS-A, first_day: 2025-11-03, school_days: 3}
        - {kind: suspension, id: SUS-B, first_day: 2025-11-07, school_days: 3}
    expect:
      - {rule: I.7-work-set, subject: exclusion SUS-A, due: 2025-11-03}
  - name: exactly one is expected but two match
    as_of: 2025-11-24
    case:
      pupil: {year_group: 9}
      events:
        - {kind: suspension, id: SUS-A, first_day: 2025-11-03, school_days: 3}
        - {kind: suspension, id: SUS-B, first_day: 2025-11-07, school_days: 3}
    expect:
      - {rule: I.7-work-set, status: overdue}
"""
    counted, only, ambiguous = run_scenario_file(write(tmp_path, text))
    assert counted.passed  # clause I.7 has two rules; only I.7-work-set is an obligation
    assert not only.passed
    assert only.report().splitlines() == [
        "expected no other finding of the rules named (expect_only)",
        "  but found:",
        "    {rule: I.7-work-set, subject: exclusion SUS-B, due: 2025-11-07, status: overdue, "
        "met_by: null, uncovered: [{first: 2025-11-07, last: 2025-11-11}]}",
    ]
    assert "but 2 match" in ambiguous.report()


def test_dates_may_be_yaml_dates_or_iso_strings_and_times_carry_offsets(tmp_path):
    # The 48-hour notice deadline (I.2) of provision from Mon 3 Nov 09:00 is Sat 1 Nov 09:00
    # GMT; 2025-11-01T09:00:00Z is the same instant.
    text = """\
rules: [I]
scenarios:
  - name: notice
    as_of: "2025-10-28"
    case:
      pupil: {year_group: 9}
      events:
        - {kind: suspension, id: SUS-1, first_day: "2025-10-28", school_days: 10}
      placements:
        - id: PL-1
          kind: suspension_provision
          start_date: 2025-11-03
          full_time: true
          session_times:
            form: two_sessions
            morning_starts: 09:00
            break_starts: 12:00
            break_ends: 12:45
            afternoon_ends: 15:15
    expect:
      - {rule: I.1.i-notice-start-date, due: 2025-11-01T09:00, status: pending}
      - {rule: I.1.ii-notice-session-times, due: "2025-11-01 09:00:00", status: pending}
      - {rule: I.1.iii-notice-address, due: 2025-11-01T09:00:00Z, status: pending}
"""
    (result,) = run_scenario_file(write(tmp_path, text))
    assert result.passed, result.report()  # 12:00 is text, not 720 (YAML 1.1's base 60)


def test_a_date_never_matches_a_date_time(tmp_path):
    text = """\
rules: [I]
scenarios:
  - name: notice
    as_of: 2025-10-28
    case:
      pupil: {year_group: 9}
      events:
        - {kind: suspension, id: SUS-1, first_day: 2025-10-28, school_days: 10}
      placements:
        - {id: PL-1, kind: suspension_provision, start_date: 2025-11-03, full_time: true}
    expect:
      - {rule: I.1.i-notice-start-date, due: 2025-11-01}
"""
    (result,) = run_scenario_file(write(tmp_path, text))
    assert "due: 2025-11-01T00:00" in result.report()


def test_a_null_pins_a_field_that_has_no_value(tmp_path):
    text = PASSING.replace("met_by: PL-1}", "met_by: null}")
    (result,) = run_scenario_file(write(tmp_path, text))
    assert not result.passed


def test_settings_of_the_scenario_override_the_files(tmp_path):
    # I.7: work set by the third school day of a suspension from Mon 3 Nov: Wed 5 Nov.
    text = """\
rules: [I]
settings: {work_set_by_school_day: 2}
scenarios:
  - name: the file's reading
    as_of: 2025-11-03
    case:
      pupil: {year_group: 9}
      events: [{kind: suspension, id: S1, first_day: 2025-11-03, school_days: 7}]
    expect: [{rule: I.7-work-set, due: 2025-11-04}]
  - name: the scenario's reading
    as_of: 2025-11-03
    settings: {work_set_by_school_day: 3}
    case:
      pupil: {year_group: 9}
      events: [{kind: suspension, id: S1, first_day: 2025-11-03, school_days: 7}]
    expect: [{rule: I.7-work-set, due: 2025-11-05}]
"""
    assert [r.passed for r in run_scenario_file(write(tmp_path, text))] == [True, True]


def test_a_case_file_and_a_calendar_file_are_read_beside_the_scenario_file(tmp_path):
    # A calendar with one autumn block to 19 Dec and no half-term: seven school days from Tue
    # 14 Oct are Tue 14 - Fri 17 and Mon 20 - Wed 22 Oct; the sixth is Tue 21 Oct.
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "s1.json").write_text(
        '{"case_id": "FILE-1", "pupil": {"year_group": 9}, "events": [{"kind": "suspension",'
        ' "id": "S1", "first_day": "2025-10-14", "school_days": 7}]}'
    )
    (tmp_path / "cal.yaml").write_text(
        "name: No half-term\nhalf_terms:\n"
        "  - {term: autumn, first_day: 2025-09-01, last_day: 2025-12-19}\n"
    )
    text = """\
rules: [I]
calendar: cal.yaml
scenarios:
  - name: from a file
    as_of: 2025-11-14
    case_file: cases/s1.json
    expect: [{rule: I.1-sixth-day-provision, due: 2025-10-21, status: overdue}]
"""
    suite = load_scenario_file(write(tmp_path, text))
    assert suite.calendar.name == "No half-term"
    assert suite.scenarios[0].case.case_id == "FILE-1"
    assert [r.passed for r in suite.run()] == [True]


def test_the_case_id_defaults_from_the_scenario_name(tmp_path):
    suite = load_scenario_file(write(tmp_path, PASSING))
    assert suite.scenarios[0].case.case_id == (
        "A-seven-day-suspension-with-full-time-provision-from-the-sixth-d"
    )


def test_a_case_the_library_refuses_is_an_error_result_naming_only_ids(tmp_path):
    # Sat 8 Nov 2025 is not a school day.
    text = PASSING.replace("first_day: 2025-10-14", "first_day: 2025-11-08").replace(
        "pupil: {year_group: 9}", "pupil: {year_group: 9, name: Zebedee Quillfeather}"
    )
    (result,) = run_scenario_file(write(tmp_path, text))
    assert result.outcome == "error"
    assert result.error is not None
    assert "S1" in result.error and "2025-11-08" in result.error
    assert "Zebedee" not in result.error


def test_the_statuses_are_those_of_the_status_literal():
    assert get_args(Status) == STATUSES
    for status in STATUSES:
        assert Expectation(rule="x", status=status).status == status


def test_the_matcher_keeps_to_the_keys_given(tmp_path):
    suite = load_scenario_file(write(tmp_path, PASSING))
    scenario = suite.scenarios[0]
    findings = suite.evaluator.evaluate(
        scenario.case, as_of=scenario.spec.as_of, calendar=suite.calendar
    ).findings
    # Clause I.7 has two rules: work set (overdue: nothing set for the days before provision)
    # and work marked (one finding per piece of work set: none here).
    loose = scenario.spec.model_copy(
        update={
            "expect": (Expectation(clause="I.7", subject="exclusion S1", count=1),),
            "expect_absent": (),
        }
    )
    problems, checked = compare(loose, findings)
    assert problems == ()
    assert [line.split(",")[0] for line in checked] == [
        "matched {rule: I.7-work-set",
    ]


# --- malformed files --------------------------------------------------------------------------


SCENARIO_NAME = '"A seven-day suspension with full-time provision from the sixth day is met"'


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            ("calendar: example", "calender: example"),
            "scenarios.yaml: calender: unknown key (allowed: rules, gaps, calendar,",
            id="unknown-key-in-the-file",
        ),
        pytest.param(
            ("    as_of:", "    as-of:"),
            f"also: scenarios[0] {SCENARIO_NAME}: as-of: unknown key (allowed: name,",
            id="unknown-key-in-a-scenario",
        ),
        pytest.param(
            ("status: met,", "state: met,"),
            f"scenarios[0] {SCENARIO_NAME}: expect[0].state: unknown key (allowed: rule, clause,",
            id="unknown-key-in-an-expectation",
        ),
        pytest.param(
            ("rule: I.1-sixth-day-provision", "rule: I.1-sixth-day-provisions"),
            f"scenarios[0] {SCENARIO_NAME}: expect[0].rule: no rule "
            "'I.1-sixth-day-provisions' is loaded (did you mean I.1-sixth-day-provision",
            id="unknown-rule-id",
        ),
        pytest.param(
            ("expect_absent: [I.5-la-sixth-day-provision]", "expect_absent: [I.5-la]"),
            f"scenarios[0] {SCENARIO_NAME}: expect_absent[0]: 'I.5-la' is neither a rule id",
            id="unknown-rule-id-in-expect-absent",
        ),
        pytest.param(
            ("rule: I.1-sixth-day-provision,", "clause: I.9,"),
            f"scenarios[0] {SCENARIO_NAME}: expect[0].clause: no rule loaded implements "
            "clause 'I.9'",
            id="unknown-clause",
        ),
        pytest.param(
            ("status: met,", "status: done,"),
            f"scenarios[0] {SCENARIO_NAME}: expect[0].status: 'done' is not a status; one of: "
            "met, scheduled,",
            id="bad-status",
        ),
        pytest.param(
            ("as_of: 2025-11-14", "as_of: 2025-13-14"),
            f"scenarios[0] {SCENARIO_NAME}: as_of: not a date (YYYY-MM-DD)",
            id="bad-date",
        ),
        pytest.param(
            ("due: 2025-10-29", "due: 2025-02-30"),
            f"scenarios[0] {SCENARIO_NAME}: expect[0].due: not a date (YYYY-MM-DD)",
            id="impossible-date",
        ),
        pytest.param(
            ("due: 2025-10-29", "due: 2025-10-29T25:00"),
            f"scenarios[0] {SCENARIO_NAME}: expect[0].due: not a date-time",
            id="bad-date-time",
        ),
        pytest.param(
            ("as_of: 2025-11-14", "as_of: 2025-11-14T09:00"),
            f"scenarios[0] {SCENARIO_NAME}: as_of: not a date (YYYY-MM-DD): the evaluation "
            "date is a day",
            id="as-of-with-a-time",
        ),
        pytest.param(
            ("school_days: 7}", "school_days: seven}"),
            f"scenarios[0] {SCENARIO_NAME}: case: the case does not validate (case "
            "A-seven-day-suspension-with-full-time-provision-from-the-sixth-d): "
            "events[0].suspension.school_days: Input should be a valid integer",
            id="case-does-not-validate",
        ),
        pytest.param(
            ("        - {id: PL-1,", "        - {colour: red, id: PL-1,"),
            "case: the case does not validate (case A-seven-day-suspension-with-full-time-"
            "provision-from-the-sixth-d): placements[0].colour: unknown key",
            id="unknown-key-in-the-case",
        ),
        pytest.param(
            ("calendar: example", "calendar: term-dates.yaml"),
            "scenarios.yaml: calendar: no calendar file",
            id="missing-calendar-file",
        ),
        pytest.param(
            ("rules: [I]", "rules: [Z]"),
            "scenarios.yaml: rules[0]: no bundled rule file for section 'Z'",
            id="unknown-section",
        ),
        pytest.param(
            ("rules: [I]", "rules: [I, my-rules.yaml]"),
            "scenarios.yaml: rules[1]: cannot read the rule file",
            id="missing-rule-file",
        ),
        pytest.param(
            ("calendar: example", "settings: {work_set_by: 2}"),
            "scenarios.yaml: settings: invalid switches: work_set_by: unknown key (did you "
            "mean work_set_by_school_day?) (the switches: provision_starts_at,",
            id="unknown-switch",
        ),
        pytest.param(
            ("    as_of: 2025-11-14", "    as_of: 2025-11-14\n    settings: {termly_means: 2}"),
            f"scenarios[0] {SCENARIO_NAME}: settings: invalid switches: termly_means: Input "
            "should be 'term' or 'half_term'",
            id="bad-switch-in-a-scenario",
        ),
        pytest.param(
            ("    expect:\n", "    case_file: case.json\n    expect:\n"),
            f"scenarios[0] {SCENARIO_NAME}: give exactly one of `case` (inline) or `case_file`",
            id="case-and-case-file",
        ),
        pytest.param(
            ("    as_of: 2025-11-14", "    as_of: 2025-11-14\n    as_of: 2025-11-15"),
            "scenarios.yaml: not valid YAML: the key 'as_of' is given twice (duplicate keys are "
            "refused) (line 7, column 5)",
            id="duplicate-key",
        ),
        pytest.param(
            ("    expect_absent: [I.5-la-sixth-day-provision]\n", "      - {status: met}\n"),
            f"scenarios[0] {SCENARIO_NAME}: expect[1]: an expectation names a `rule`",
            id="expectation-naming-no-rule",
        ),
    ],
)
def test_a_malformed_file_is_an_error_naming_the_file_scenario_and_key(
    tmp_path, change: tuple[str, str], expected: str
):
    old, new = change
    assert old in PASSING
    message = error_of(tmp_path, PASSING.replace(old, new, 1))
    assert expected in message
    assert "Traceback" not in message


def test_every_problem_of_a_file_is_listed(tmp_path):
    text = PASSING.replace("status: met,", "status: done,").replace("as_of: 2025-11-14", "as_of: x")
    message = error_of(tmp_path, text)
    assert "as_of: not a date" in message.splitlines()[0]
    assert "also: " in message and "expect[0].status: 'done' is not a status" in message


def test_a_bad_status_error_lists_every_status_of_the_literal(tmp_path):
    message = error_of(tmp_path, PASSING.replace("status: met,", "status: done,"))
    listed = message.split("one of: ", 1)[1].split(", ")
    assert listed == list(get_args(Status))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "scenarios: []\n",
        "- just a list\n",
        "rules: [I]\nscenarios:\n  - name: x\n    as_of: 2025-11-14\n    case: {pupil: {}}\n",
        "rules: [I]\nscenarios:\n  - {name: x, as_of: 2025-11-14, case: {pupil: {}}, expect: [}\n",
    ],
    ids=["empty", "no-scenarios", "not-a-mapping", "no-expectation", "invalid-yaml"],
)
def test_files_without_scenarios_or_expectations_are_refused(tmp_path, text: str):
    message = error_of(tmp_path, text)
    assert message.startswith(f"{tmp_path / 'scenarios.yaml'}: ")


def test_duplicate_scenario_names_are_refused(tmp_path):
    scenario = PASSING.split("scenarios:\n", 1)[1]
    message = error_of(tmp_path, PASSING + scenario)
    assert f"scenarios[1] {SCENARIO_NAME}: name: the name is also scenarios[0]'s" in message


def test_errors_never_carry_pupil_data(tmp_path):
    pupil = "pupil: {year_group: nine, name: Zebedee Quillfeather, upn: A12345678901Z}"
    bad_case = PASSING.replace("pupil: {year_group: 9}", pupil)
    message = error_of(tmp_path, bad_case)
    assert "pupil.year_group: Input should be a valid integer" in message
    bad_yaml = bad_case.replace("Zebedee Quillfeather", "Zebedee: Quillfeather: [")
    for text in (message, error_of(tmp_path, bad_yaml)):
        assert "Zebedee" not in text and "Quillfeather" not in text and "A1234" not in text


# --- the command line -------------------------------------------------------------------------


def test_the_cli_exits_0_when_every_scenario_passes(tmp_path, capsys):
    path = write(tmp_path, PASSING)
    assert main(["test", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"PASS   {path}: A seven-day suspension with full-time provision" in out
    assert out.rstrip().endswith("1 scenario(s): 1 passed, 0 failed")


def test_the_cli_exits_1_and_shows_expected_and_actual_when_one_fails(tmp_path, capsys):
    good, bad = write(tmp_path, PASSING, "good.yaml"), write(tmp_path, WRONG_DUE, "bad.yaml")
    assert main(["test", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"FAIL   {bad}: A seven-day suspension" in out
    assert (
        "       expected exactly one finding {rule: I.1-sixth-day-provision, "
        "subject: exclusion S1, due: 2025-10-28, status: met, met_by: PL-1}\n"
        "         but none matches; the findings of I.1-sixth-day-provision are:\n"
        "           {rule: I.1-sixth-day-provision, subject: exclusion S1, due: 2025-10-29, "
        "status: met, met_by: PL-1}\n"
    ) in out
    assert "2 scenario(s): 1 passed, 1 failed" in out


def test_the_cli_exits_2_on_a_malformed_file_and_still_runs_the_others(tmp_path, capsys):
    good = write(tmp_path, PASSING, "good.yaml")
    bad = write(tmp_path, PASSING.replace("status: met,", "status: done,"), "bad.yaml")
    assert main(["test", str(bad), str(good)]) == 2
    captured = capsys.readouterr()
    assert f"apcompliance: error: {bad}: scenarios[0] {SCENARIO_NAME}: expect[0].status:" in (
        captured.err
    )
    assert "PASS" in captured.out
    assert "1 scenario(s): 1 passed, 0 failed; 1 malformed file(s)" in captured.out


def test_the_cli_exits_2_when_a_case_cannot_be_assessed(tmp_path, capsys):
    path = write(tmp_path, PASSING.replace("first_day: 2025-10-14", "first_day: 2025-11-08"))
    assert main(["test", str(path)]) == 2
    out = capsys.readouterr().out
    assert "ERROR  " in out and "cannot assess: case A-seven-day" in out
    assert "1 could not be assessed" in out


def test_the_cli_verbose_shows_the_clause_and_what_matched(tmp_path, capsys):
    assert main(["test", "--verbose", str(write(tmp_path, PASSING))]) == 0
    out = capsys.readouterr().out
    assert 'says: I.1 — "This provision will begin no later' in out
    assert "ok: matched {rule: I.1-sixth-day-provision, subject: exclusion S1" in out
    assert "ok: no finding of I.5-la-sixth-day-provision" in out


def test_the_cli_takes_a_folder(tmp_path, capsys):
    write(tmp_path, PASSING, "a.yaml")
    write(tmp_path, PASSING, "b.yaml")
    assert main(["test", str(tmp_path)]) == 0
    assert "2 scenario(s): 2 passed, 0 failed" in capsys.readouterr().out


def test_apcompliance_test_passes_on_the_bundled_scenario_files(capsys):
    assert len(SCENARIO_FILES) >= 5
    assert main(["test", *map(str, SCENARIO_FILES)]) == 0
    out = capsys.readouterr().out
    total = sum(len(load_scenario_file(p).scenarios) for p in SCENARIO_FILES)
    assert sum(line.startswith("PASS ") for line in out.splitlines()) == total
    assert f"{total} scenario(s): {total} passed, 0 failed" in out


# --- the bundled scenario files ---------------------------------------------------------------


def test_there_are_enough_scenarios_of_sections_i_and_h():
    by_section: dict[str, int] = {}
    for path in SCENARIO_FILES:
        by_section[path.name[0]] = len(load_scenario_file(path).scenarios)
    assert by_section["I"] + by_section["H"] >= 25
    assert {"G", "Q", "N"} <= set(by_section)


SAYS = re.compile(r'^(?P<clause>[A-S](?:\.[0-9a-z]+)+) — "(?P<quote>.+)"$')
LAW_SAYS = re.compile(
    r'^(?P<cite>SI [0-9]{4}/[0-9]+ reg [0-9]+(?:\([0-9a-z]+\))*) — "(?P<quote>.+)"$'
)


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=[p.name for p in SCENARIO_FILES])
def test_each_bundled_scenario_quotes_its_clause_word_for_word(path: Path):
    policy = load_policy()
    for scenario in load_scenario_file(path).scenarios:
        says = scenario.spec.says
        assert says is not None, scenario.name
        law = LAW_SAYS.match(says)
        if law:  # a statutory duty: the law's own words (data/statutes.yaml)
            passage = load_statutes().passage(law["cite"])
            assert passage is not None and passage.quotes(law["quote"]), (scenario.name, says)
            continue
        found = SAYS.match(says)
        assert found, (scenario.name, says)
        assert policy.quotes(found["clause"], found["quote"]), (scenario.name, says)


def _shifted(e: Expectation) -> Expectation | None:
    """The expectation with its due date one day (or its due time one minute) later, or its
    status changed where it pins no due date."""
    if isinstance(e.due, datetime):
        return e.model_copy(update={"due": e.due + timedelta(minutes=1)})
    if isinstance(e.due, date):
        return e.model_copy(update={"due": e.due + timedelta(days=1)})
    if e.status is not None:
        other = next(s for s in STATUSES if s != e.status)
        return e.model_copy(update={"status": other})
    return None


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=[p.name for p in SCENARIO_FILES])
def test_each_bundled_scenario_fails_when_an_expected_date_or_status_changes(path: Path):
    suite = load_scenario_file(path)
    for scenario in suite.scenarios:
        findings = suite.evaluator.evaluate(
            scenario.case,
            as_of=scenario.spec.as_of,
            calendar=suite.calendar,
            settings=scenario.settings,
        ).findings
        assert compare(scenario.spec, findings)[0] == (), scenario.name
        for i, e in enumerate(scenario.spec.expect):
            changed = _shifted(e)
            if changed is None:
                continue
            expect = (*scenario.spec.expect[:i], changed, *scenario.spec.expect[i + 1 :])
            mutant = scenario.spec.model_copy(update={"expect": expect})
            assert compare(mutant, findings)[0], (scenario.name, i)


# --- pytest collects scenario files -----------------------------------------------------------


def test_pytest_runs_each_scenario_as_a_test_and_reports_a_failure_readably(tmp_path):
    # The conftest's collector, on a folder of our own: one passing file, one failing, one
    # malformed.
    (tmp_path / "conftest.py").write_text(
        "from tests.conftest import ScenarioYamlFile\n\n"
        "def pytest_collect_file(parent, file_path):\n"
        "    if file_path.suffix == '.yaml':\n"
        "        return ScenarioYamlFile.from_parent(parent, path=file_path)\n"
    )
    write(tmp_path, PASSING, "good.yaml")
    write(tmp_path, WRONG_DUE, "bad.yaml")
    write(tmp_path, PASSING.replace("status: met,", "status: done,"), "malformed.yaml")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *sys.path])}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-rA",
            "--rootdir",
            str(tmp_path),
            "--continue-on-collection-errors",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=600,
    )
    out = run.stdout
    assert run.returncode == 1, out + run.stderr
    assert "1 failed, 1 passed, 1 error" in out
    assert "PASSED good.yaml::A seven-day suspension with full-time provision" in out
    assert "FAILED bad.yaml::A seven-day suspension with full-time provision" in out
    assert (
        "scenarios[0]: expected exactly one finding {rule: I.1-sixth-day-provision, "
        "subject: exclusion S1, due: 2025-10-28, status: met, met_by: PL-1}"
    ) in out
    assert "  but none matches; the findings of I.1-sixth-day-provision are:" in out
    assert f"malformed.yaml: scenarios[0] {SCENARIO_NAME}: expect[0].status: 'done'" in out
    assert "def runtest" not in out and "Traceback" not in out
