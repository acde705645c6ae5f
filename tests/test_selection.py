"""What matters first (issue 18, point 1): the finding filter (`results/selection.py`) behind
`check`/`check-many` --only/--section/--duty-holder/--status/--within and `to_frame(...)`,
the summary that opens the text report, and the cohort summary's duties met.

Calendar facts (the example calendar, 2025-26): Fri 17 Oct 2025 is the last school day before
the October half-term (Mon 20 to Fri 24 Oct); Mon 27 Oct is an INSET day, so the next school
day after Fri 17 Oct is Tue 28 Oct. Mon 10 Nov 2025 to Mon 17 Nov are school days (Mon 17 Nov
is the fifth school day after Mon 10 Nov)."""

from __future__ import annotations

import json
from datetime import date, datetime
from importlib import resources

import pytest

from apcompliance import Case, SchoolCalendar, evaluate
from apcompliance.cli import main
from apcompliance.evaluation.cohort import CaseResult, CohortSummary
from apcompliance.outputs.render import assessment_text
from apcompliance.results.assessment import Assessment
from apcompliance.results.selection import (
    DUE_STATUSES,
    OPEN_STATUSES,
    FilterError,
    FindingFilter,
    horizon,
    tally,
)

EXAMPLES = resources.files("apcompliance") / "data/examples"
CALENDAR = str(resources.files("apcompliance") / "data/calendars/example-la-2025-26.yaml")
SUSPENSION_ON = date(2025, 11, 10)
DIRECTION_ON = date(2026, 1, 20)


def _case(name: str) -> Case:
    return Case.model_validate_json((EXAMPLES / name).read_text("utf-8"))


@pytest.fixture(scope="module")
def suspension() -> Assessment:
    return evaluate(
        _case("suspension-case.json"), as_of=SUSPENSION_ON, calendar=SchoolCalendar.example()
    )


@pytest.fixture(scope="module")
def direction() -> Assessment:
    return evaluate(
        _case("off-site-direction-case.json"), as_of=DIRECTION_ON, calendar=SchoolCalendar.example()
    )


def ids(findings) -> list[str]:
    return [f"{f.rule_id} {f.subject} {f.period or ''}".strip() for f in findings]


# -- each option -------------------------------------------------------------------------------


def test_only_violations_selects_the_assessments_violations(suspension):
    chosen = FindingFilter(only="violations").select(suspension)
    assert chosen == suspension.violations and len(chosen) == 10


def test_only_due_selects_the_duties_due_within_five_school_days(suspension):
    # Mon 10 Nov: five school days on is Mon 17 Nov; E.7 is due Fri 14 Nov, Q.5's review Mon 17
    chosen = FindingFilter(only="due").select(suspension)
    assert [(f.rule_id, f.due, f.status) for f in chosen] == [
        ("E.7-full-records", date(2025, 11, 14), "pending"),
        ("Q.5-strategy-reviewed-after-suspension", date(2025, 11, 17), "pending"),
    ]


def test_only_open_selects_duties_neither_met_nor_violated(direction):
    chosen = FindingFilter(only="open").select(direction)
    expected = [
        f
        for f in direction.findings
        if f.kind in ("obligation", "requirement") and f.status not in ("met", "overdue", "late")
    ]
    assert chosen == tuple(expected) and len(chosen) == 11
    assert {f.status for f in chosen} <= OPEN_STATUSES
    # due is the part of open with a deadline in the window
    due = FindingFilter(only="due", within=1000).select(direction)
    assert due == tuple(f for f in chosen if f.status in DUE_STATUSES)


def test_only_needs_info_selects_what_the_case_does_not_record(suspension):
    chosen = FindingFilter(only="needs-info").select(suspension)
    assert [f.rule_id for f in chosen] == ["I.law-tell-social-worker-of-suspension"]
    assert chosen[0].missing


def test_sections_duty_holders_and_statuses_take_values_lists_and_comma_lists(suspension):
    of_i = FindingFilter.of(section="i").select(suspension)
    assert of_i and {f.section for f in of_i} == {"I"}
    assert (
        FindingFilter.of(section="I,Q").select(suspension)
        == FindingFilter.of(section=["I", "Q"]).select(suspension)
        == tuple(f for f in suspension.findings if f.section in ("I", "Q"))
    )
    heads = FindingFilter.of(duty_holder="headteacher").select(suspension)
    assert heads and {f.duty_holder for f in heads} == {"headteacher"}
    assert FindingFilter.of(duty_holder="ap-lead").duty_holders == {"ap_lead"}
    late = FindingFilter.of(status="LATE").select(suspension)
    assert [f.rule_id for f in late] == [
        "I.7-work-set",
        "I.2-first-day-notice-of-further-suspension",
        "I.1-sixth-day-provision",
    ]
    assert FindingFilter.of(status="due-today").statuses == {"due_today"}


def test_combined_options_each_apply(suspension):
    chosen = FindingFilter.of(only="violations", section="Q", duty_holder="school").select(
        suspension
    )
    assert [f.rule_id for f in chosen] == [
        "Q.4-strategy-after-suspension",
        "Q.5-meeting-after-suspension",
        "Q.5-parents-at-meeting-after-suspension",
    ]
    assert FindingFilter.of(only="due", section="E").select(suspension)[0].rule_id == (
        "E.7-full-records"
    )
    assert FindingFilter.of(only="violations", status="pending").select(suspension) == ()


# -- within: school days on the assessment's calendar -------------------------------------------


@pytest.fixture(scope="module")
def before_half_term() -> Assessment:
    """An assessment as of Fri 17 Oct 2025 whose findings are one pending duty due on each of
    several days around the half-term."""
    a = evaluate(
        _case("suspension-case.json"), as_of=date(2025, 10, 17), calendar=SchoolCalendar.example()
    )
    duty = next(f for f in a.findings if f.kind == "obligation")
    days = [(10, 16), (10, 17), (10, 22), (10, 27), (10, 28), (10, 29)]
    dues = [*(date(2025, m, d) for m, d in days), datetime(2025, 10, 28, 15)]
    findings = tuple(duty.model_copy(update={"due": d, "status": "pending"}) for d in dues)
    return a.model_copy(update={"findings": findings})


def _dues(findings) -> list[str]:
    return [f.due.isoformat() for f in findings]


def test_within_counts_school_days_and_skips_the_half_term_and_an_inset_day(before_half_term):
    assert horizon(before_half_term, 1) == date(2025, 10, 28)  # not Mon 20 Oct, nor the INSET day
    chosen = FindingFilter(within=1).select(before_half_term)
    assert _dues(chosen) == [
        "2025-10-17",
        "2025-10-22",
        "2025-10-27",
        "2025-10-28",
        "2025-10-28T15:00:00",
    ]  # not Thu 16 Oct (before the assessment's date) nor Wed 29 Oct (the second school day)
    assert _dues(FindingFilter(within=0).select(before_half_term)) == ["2025-10-17"]
    assert "2025-10-29" in _dues(FindingFilter(only="due", within=2).select(before_half_term))


def test_within_past_the_calendars_end_leaves_nothing_out(before_half_term):
    assert horizon(before_half_term, 10_000) == date.max


def test_within_needs_a_calendar_an_assessment_without_its_trace_cannot_give(before_half_term):
    stored = Assessment.model_validate_json(before_half_term.to_json())
    assert stored.trace is None
    with pytest.raises(FilterError, match="needs the school calendar"):
        FindingFilter(within=1).select(stored)
    chosen = FindingFilter(within=1).select(stored, calendar=SchoolCalendar.example())
    assert len(chosen) == 5
    assert FindingFilter(sections=frozenset({"I"})).select(stored)  # no school days: no calendar


# -- bad values --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"section": "I,Z"}, r"unknown section 'Z' \(the sections: A, B, C, .*, S\)"),
        ({"duty_holder": "caretaker"}, r"unknown duty holder 'caretaker' \(the duty holders: sch"),
        ({"status": "done"}, r"unknown status 'done' \(the statuses: met, scheduled, .*undeter"),
        ({"only": "soon"}, r"unknown only 'soon' \(the choices: violations, due, open, needs-info"),
        ({"within": -1}, r"within must be a number of school days"),
        ({"within": True}, r"within must be a number of school days"),
    ],
)
def test_unknown_values_are_a_clear_error_listing_the_valid_ones(options, message):
    with pytest.raises(FilterError, match=message):
        FindingFilter.of(**options)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--section", "Z"], "unknown section 'Z' (the sections: A, B"),
        (["--duty-holder", "caretaker"], "unknown duty holder 'caretaker'"),
        (["--status", "done"], "unknown status 'done'"),
        (["--only", "violations", "--all"], "--all shows every finding"),
        (["--only", "soon"], "invalid choice: 'soon'"),
        (["--within", "x"], "'x' is not a number of school days"),
    ],
)
def test_check_exits_2_on_a_bad_filter(capsys, tmp_path, args, message):
    case = tmp_path / "case.json"
    case.write_text((EXAMPLES / "suspension-case.json").read_text("utf-8"))
    argv = ["check", str(case), "--as-of", "2025-11-10", "--calendar", CALENDAR, *args]
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and message in err


def test_check_many_exits_2_on_a_bad_filter(capsys, tmp_path):
    cohort = tmp_path / "cohort.jsonl"
    cohort.write_text(json.dumps(json.loads((EXAMPLES / "suspension-case.json").read_text())))
    argv = ["check-many", str(cohort), "--as-of", "2025-11-10", "--calendar", CALENDAR]
    assert main([*argv, "--section", "I,ZZ"]) == 2
    assert "unknown section 'ZZ'" in capsys.readouterr().err


# -- the summary and the default view ------------------------------------------------------------


@pytest.mark.parametrize("which", ["suspension", "direction"])
def test_the_summary_counts_agree_with_the_assessment(request, which):
    a = request.getfixturevalue(which)
    t = tally(a)
    assert t.total == len(a.findings)
    assert t.violations == len(a.violations)
    assert t.due == len(FindingFilter(only="due").select(a))
    assert t.information_needed == len(FindingFilter(only="needs-info").select(a))
    assert t.met == sum(f.is_met_duty for f in a.findings)  # advisories are never "met"
    assert t.others.get("advisory/permission", 0) == len(a.advisories) - sum(
        f.status == "information_needed" for f in a.advisories
    )
    second = assessment_text(a).splitlines()[1]
    assert second == (
        f"{t.violations} violation(s), {t.due} due within 5 school days, "
        f"{t.information_needed} information needed, {t.met} met"
    )


def test_the_default_view_shows_violations_then_what_is_due_then_how_to_see_the_rest(suspension):
    text = assessment_text(suspension)
    lines = text.splitlines()
    assert lines[1] == "10 violation(s), 2 due within 5 school days, 1 information needed, 30 met"
    assert lines[2] == "also: 2 open, 1 advisory/permission"
    assert text.index("VIOLATIONS (10)") < text.index("DUE WITHIN 5 SCHOOL DAYS (2)")
    assert "MET (" not in text and "“" not in text  # no met duties, no clause's words
    assert "[I.1-sixth-day-provision]" in text  # each finding names its rule
    assert lines[-1] == (
        "34 more finding(s) not shown (--only needs-info: the 1 information needed): "
        "--all shows every finding in full"
    )
    assert len(lines) <= 60  # a screenful


def test_the_complete_view_has_every_finding_after_the_summary(direction):
    text = assessment_text(direction, complete=True)
    assert text.splitlines()[1].startswith("10 violation(s), 4 due within 5 school days")
    assert "MET (66)" in text and "ADVISORIES AND PERMISSIONS (8)" in text
    assert text.count("  [") >= len(direction.findings) - 5  # every finding's rule id


def test_a_selection_shows_the_selected_findings_in_full(suspension):
    text = assessment_text(suspension, selection=FindingFilter.of(section="Q"))
    q = sum(f.section == "Q" for f in suspension.findings)
    assert f"SELECTED: --section Q ({q} of 46)" in text and q == 4
    assert "“They should design a reintegration strategy”" in text
    assert text.rstrip().endswith("42 more finding(s) not selected: --all shows every finding")


def test_demo_fits_a_screenful_per_case_and_says_how_to_see_the_rest(capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    cases = out.split("Demo: bundled example case")[1:]
    assert len(cases) == 2 and all(len(c.splitlines()) <= 60 for c in cases)
    assert "34 more finding(s) not shown" in cases[0]
    assert "81 more finding(s) not shown: --all shows every finding in full" in cases[1]


# -- check and check-many ----------------------------------------------------------------------


@pytest.fixture()
def case_file(tmp_path):
    path = tmp_path / "case.json"
    path.write_text((EXAMPLES / "off-site-direction-case.json").read_text("utf-8"))
    return path


def test_check_json_is_complete_unless_filtered(capsys, case_file, direction):
    argv = ["check", str(case_file), "--as-of", "2026-01-20", "--calendar", CALENDAR, "--json"]
    assert main(argv) == 1
    assert len(json.loads(capsys.readouterr().out)["findings"]) == len(direction.findings)
    assert main([*argv, "--only", "due", "--within", "10", "--duty-holder", "attendance_lead"]) == 1
    chosen = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["rule_id"], f["due"]) for f in chosen] == [
        ("O.5-interventions-below-target", "2026-01-22"),
        ("C.6.ii-weekly-attendance-updates", "2026-01-23"),
        ("O.4-weekly-attendance-records", "2026-01-23"),
    ]


def test_the_exit_status_is_the_whole_assessments_whatever_the_filter(capsys, case_file):
    argv = ["check", str(case_file), "--as-of", "2026-01-20", "--calendar", CALENDAR]
    assert main([*argv, "--only", "due"]) == 1  # no violation shown, but the case has some
    out = capsys.readouterr().out
    assert "SELECTED: --only due (4 of 95)" in out and "OVERDUE" not in out
    assert main([*argv, "--section", "Z"]) == 2


def test_check_many_counts_and_writes_only_the_selected_findings(capsys, tmp_path, direction):
    cohort = tmp_path / "cohort.jsonl"
    text = (EXAMPLES / "off-site-direction-case.json").read_text("utf-8")
    cohort.write_text(json.dumps(json.loads(text)) + "\n")
    argv = ["check-many", str(cohort), "--as-of", "2026-01-20", "--calendar", CALENDAR]
    assert main([*argv, "--section", "H", "--only", "violations"]) == 1
    out = capsys.readouterr().out
    h = [f for f in direction.violations if f.section == "H"]
    assert "Findings selected: --only violations --section H" in out
    assert f"1 with violations, {len(h)} violation(s) in all" in out
    assert main([*argv, "--only", "due", "--json"]) == 1  # the case has violations
    written = json.loads(capsys.readouterr().out)
    assert [f["rule_id"] for f in written["findings"]] == [
        f.rule_id for f in FindingFilter(only="due").select(direction)
    ]
    assert main([*argv, "--json"]) == 1
    assert len(json.loads(capsys.readouterr().out)["findings"]) == len(direction.findings)


# -- to_frame ----------------------------------------------------------------------------------


def test_to_frame_takes_the_same_filters(suspension):
    pytest.importorskip("pandas")
    frame = suspension.to_frame(only="violations", section=["I", "Q"])
    expected = FindingFilter.of(only="violations", section="I,Q").select(suspension)
    assert list(frame["rule_id"]) == [f.rule_id for f in expected] and len(frame) == 9
    assert list(suspension.to_frame(only="due", within=4)["rule_id"]) == ["E.7-full-records"]
    assert suspension.to_frame(only="due", within=3).empty  # Thu 13 Nov: E.7 is due Fri 14
    assert len(suspension.to_frame(status="met,late", duty_holder="school")) == len(
        [
            f
            for f in suspension.findings
            if f.status in ("met", "late") and f.duty_holder == "school"
        ]
    )
    assert len(suspension.to_frame()) == len(suspension.findings)
    with pytest.raises(FilterError, match="unknown section 'X'"):
        suspension.to_frame(section="X")


# -- the cohort summary: duties met and the compliance rate -------------------------------------


def test_the_cohort_summary_counts_duties_met_and_a_compliance_rate_per_section(
    suspension, direction
):
    summary = CohortSummary.of(
        [CaseResult(1, "a", assessment=suspension), CaseResult(2, "b", assessment=direction)]
    )
    duties = [f for a in (suspension, direction) for f in a.obligations]
    met = [f for f in duties if f.status == "met"]
    assert summary.met == len(met) == 96
    assert summary.met_by_section["I"] == sum(f.section == "I" for f in met) == 4
    assert summary.violations == 20  # existing fields unchanged
    i_violations = sum(f.is_violation and f.section == "I" for f in duties)
    assert summary.compliance_rate("I") == 4 / (4 + i_violations)
    assert summary.compliance_rate() == 96 / (96 + 20)
    assert summary.compliance_rate("S") is None
    data = summary.to_dict()
    assert data["met"] == 96 and data["met_by_section"]["I"] == 4
    assert data["by_status"]["met"] == sum(
        f.status == "met" for a in (suspension, direction) for f in a.findings
    )
    assert set(data["by_section"]["I"]) == {"overdue", "late", "breached"}
    line = next(li for li in summary.to_text().splitlines() if li.startswith("I "))
    assert line.split()[-2:] == ["4", f"{round(100 * 4 / (4 + i_violations))}%"]


def test_the_reports_shown_in_the_docs_are_the_real_output(capsys, tmp_path):
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "using-it.md").read_text("utf-8")
    section = text.split("## What matters first", 1)[1].split("\n## ", 1)[0]
    blocks = [b.split("```", 1)[0] for b in section.split("```text\n")[1:]]
    runs = [
        ("suspension-case.json", "2025-11-10", []),
        (
            "off-site-direction-case.json",
            "2026-01-20",
            ["--only", "due", "--within", "10", "--duty-holder", "attendance_lead"],
        ),
    ]
    assert len(blocks) == len(runs)
    for shown, (name, as_of, options) in zip(blocks, runs, strict=True):
        case = tmp_path / name
        case.write_text((EXAMPLES / name).read_text("utf-8"))
        assert main(["check", str(case), "--as-of", as_of, "--calendar", CALENDAR, *options]) == 1
        assert capsys.readouterr().out == shown
