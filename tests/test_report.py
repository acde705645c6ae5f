"""The cohort report (outputs/report.py) and the timeline (results/timeline.py), without a
browser: what the page says, what it never says (pupil data, input values), the timeline's
geometry, the notebook view's timeline, `apcompliance report` and the demo's report.
The page in a real browser: tests/test_report_browser.py."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

import pytest

from apcompliance import Case, SchoolCalendar
from apcompliance.cli import main
from apcompliance.evaluation.evaluator import default_evaluator
from apcompliance.importing.pseudonym import pseudonym
from apcompliance.outputs.report import CohortReport, cohort_report
from apcompliance.results.timeline import timeline_of

EXAMPLES = resources.files("apcompliance") / "data/examples"
CALENDAR = str(resources.files("apcompliance") / "data/calendars/example-la-2025-26.yaml")
AS_OF = date(2025, 11, 10)


def _example(name: str = "suspension-case.json") -> dict:
    return json.loads((EXAMPLES / name).read_text("utf-8"))


@pytest.fixture(scope="module")
def suspension():
    case = Case.model_validate_json(json.dumps(_example()))
    return case, default_evaluator().evaluate(case, as_of=AS_OF, calendar=SchoolCalendar.example())


def _lines(*cases: dict | str) -> list[tuple[int, str]]:
    return [(i, c if isinstance(c, str) else json.dumps(c)) for i, c in enumerate(cases, 1)]


# -- the timeline -----------------------------------------------------------------------------


def test_the_timeline_shows_the_exclusion_placement_and_the_days_without_provision(suspension):
    # Example calendar: half-term 20-24 Oct 2025, INSET day Mon 27 Oct. SUS-1 runs from Thu 16
    # Oct to Mon 3 Nov (7 school days); PL-1 provides Mon 3 Nov; the sixth-day duty and the
    # looked-after aim leave 16-17 Oct and 28-31 Oct without provision.
    _, assessment = suspension
    t = timeline_of(assessment)
    assert t is not None and t.case_id == "EX-2025-014"
    [exclusion] = t.exclusions
    assert (exclusion.first, exclusion.last, exclusion.kind) == (
        date(2025, 10, 16),
        date(2025, 11, 3),
        "exclusion",
    )
    [placement] = t.placements
    assert (placement.first, placement.last) == (date(2025, 11, 3), date(2025, 11, 3))
    uncovered = [(s.first, s.last) for s in t.provision if s.kind == "uncovered"]
    assert uncovered == [
        (date(2025, 10, 16), date(2025, 10, 17)),
        (date(2025, 10, 28), date(2025, 10, 31)),
    ]
    assert [(s.first, s.last) for s in t.provision if s.kind == "covered"] == [
        (date(2025, 11, 3), date(2025, 11, 3))
    ]
    kinds = {s.first: s.kind for s in t.days}
    assert kinds[date(2025, 10, 20)] == "holiday" and kinds[date(2025, 10, 27)] == "closure"
    # the days tile the width, left to right, without gaps
    for a, b in zip(t.days, t.days[1:], strict=False):
        assert a.last + timedelta(days=1) == b.first
        assert b.x == pytest.approx(a.x + a.width, abs=0.02)
    assert t.days[-1].x + t.days[-1].width == pytest.approx(t.width, abs=0.05)
    # one marker per dated finding, coloured by status, at its due day
    dated = [f for f in assessment.findings if f.due is not None]
    assert len(t.markers) == len(dated)
    late = next(m for m in t.markers if m.rule_id == "I.1-sixth-day-provision")
    assert late.due == date(2025, 10, 31) and late.tone == "red" and late.violation
    assert late.text.startswith("I.1: late, due Fri 31 Oct 2025")
    assert t.as_of_x is not None and late.x < t.as_of_x
    assert {m.tone for m in t.markers} >= {"red", "green", "amber", "blue"}


def test_no_timeline_without_a_trace(suspension):
    _, assessment = suspension
    assert timeline_of(assessment.model_copy(update={"trace": None})) is None


def test_the_notebook_view_shows_the_same_timeline(suspension):
    _, assessment = suspension
    html = assessment._repr_html_()
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="apc-timeline-svg"') == 1
    assert "<title>I.1: late, due Fri 31 Oct 2025" in html
    assert 'class="apc-timeline-text"' in html  # in words, for screen readers
    without = assessment.model_copy(update={"trace": None})._repr_html_()
    assert "<svg" not in without and without.startswith('<div class="apcompliance-assessment">')


# -- the report -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report_html():
    suspension, direction = _example(), _example("off-site-direction-case.json")
    direction["pupil"].pop("ehc_plan")
    direction["pupil"]["name"] = "Pupil Secretname"
    direction["pupil"]["upn"] = "A123456789012"
    direction["pupil"]["date_of_birth"] = "2012-03-04"
    bad = json.dumps({"case_id": "BAD-1", "pupil": {"year_group": "Sensitive Value"}})
    report = cohort_report(
        _lines(suspension, direction, bad, "{not json"),
        as_of=date(2026, 1, 20),
        calendar=SchoolCalendar.example(),
        source="cohort.jsonl",
    )
    return report, report.html()


def test_the_report_is_one_self_contained_page(report_html):
    _, html = report_html
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html and '<link rel="stylesheet"' not in html
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", html))
    assert urls == {"http://www.w3.org/2000/svg"}  # the SVG namespace: nothing is fetched
    assert "@media print" in html


def test_the_report_has_rates_breakdowns_to_dos_and_a_timeline_per_pupil(report_html):
    report, html = report_html
    assert len(report.pupils) == 2 and report.total.violated > 0 and report.total.met > 0
    for heading in (
        "Compliance by section",
        "Compliance by duty",
        "Looked after",
        "EHC plan",
        "Eligible for free school meals",
        "To do, by duty holder",
        "Timeline of each pupil",
    ):
        assert heading in html
    assert html.count('class="apc-timeline-svg"') == 2
    assert '<th scope="row">I</th><td>Arranging provision for suspended pupils</td>' in html
    assert "The headteacher" in html and "Violations (" in html
    assert "Information needed (" in html and "Due within 10 school days (" in html


def test_an_unrecorded_characteristic_is_its_own_group(report_html):
    report, _ = report_html
    # the suspension case records ehc_plan: false; the direction case leaves it out; neither
    # records fsm_eligible
    assert report.group_pupils[("ehc_plan", "no")] == 1
    assert report.group_pupils[("ehc_plan", "not recorded")] == 1
    assert report.group_pupils[("ehc_plan", "yes")] == 0
    assert report.group_pupils[("fsm_eligible", "not recorded")] == 2
    assert report.group_pupils[("looked_after", "yes")] == 1


def test_bad_lines_are_listed_by_number_without_their_values_nor_pupil_data(report_html):
    report, html = report_html
    assert report.errors == [3, 4]
    assert "<li>line 3</li>" in html and "<li>line 4</li>" in html
    assert "BAD-1" not in html  # nor the case id of a line that is not a valid case
    for secret in ("Sensitive Value", "Secretname", "A123456789012", "2012-03-04", "04 Mar"):
        assert secret not in html


def test_the_report_escapes_what_it_shows(suspension):
    case, assessment = suspension
    hostile = assessment.model_copy(update={"case_id": "<b>X</b> & co"})
    report = CohortReport(calendar=SchoolCalendar.example())
    report.add(1, case, hostile)
    html = report.html()
    assert "<b>X" not in html and "Case &lt;b&gt;X&lt;/b&gt; &amp; co" in html


def test_pseudonymised_the_report_shows_no_case_id():
    key = b"0123456789abcdef-key"
    report = cohort_report(
        _lines(_example()), as_of=AS_OF, calendar=SchoolCalendar.example(), key=key
    )
    html = report.html()
    assert "EX-2025-014" not in html and pseudonym("EX-2025-014", key) in html


def test_the_report_counts_violations_as_the_assessment_does(suspension):
    case, assessment = suspension
    report = CohortReport(calendar=SchoolCalendar.example())
    report.add(1, case, assessment)
    duties = [
        f
        for f in assessment.findings
        if f.kind not in ("aim", "recommendation", "permission", "advisory")
    ]
    assert report.total.violated == sum(f.is_violation for f in duties)
    assert report.total.met == sum(f.status == "met" for f in duties)
    violations = [t for lists in report.todos.values() for t in lists.get("violations", [])]
    assert len(violations) == report.total.violated


# -- the command line -------------------------------------------------------------------------


def test_apcompliance_report_writes_the_page(tmp_path, capsys):
    cohort = tmp_path / "cohort.jsonl"
    cohort.write_text(json.dumps(_example()) + "\n", encoding="utf-8")
    out = tmp_path / "report.html"
    args = ["report", str(cohort), "--as-of", "2025-11-10", "--calendar", CALENDAR]
    assert main([*args, "-o", str(out)]) == 0
    assert "1 pupil(s)" in capsys.readouterr().out
    assert 'class="apc-timeline-svg"' in out.read_text(encoding="utf-8")
    with cohort.open("a", encoding="utf-8") as handle:
        handle.write("{broken\n")
    assert main([*args, "-o", str(out), "--policy-only"]) == 2
    assert "<li>line 2</li>" in out.read_text(encoding="utf-8")


def test_the_demo_ends_with_where_its_report_is(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["demo"]) == 0
    last = capsys.readouterr().out.rstrip("\n").splitlines()[-1]
    path = tmp_path / "apcompliance-demo-report.html"
    assert last.endswith(str(path)) and path.exists()
    other = tmp_path / "elsewhere.html"
    assert main(["demo", "--json", "--report", str(other)]) == 0
    json.loads(capsys.readouterr().out)  # still only JSON on standard output
    assert other.read_text(encoding="utf-8").count('class="apc-timeline-svg"') == 2


def test_the_docs_show_a_committed_screenshot_of_the_report():
    docs = Path(__file__).resolve().parent.parent / "docs"
    text = (docs / "report.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]+\]\(([^)]+\.png)\)", text)
    assert images and all((docs / image).is_file() for image in images)
