"""Every output that shows duties met and a compliance rate counts them the same way
(`FindingData.is_met_duty`, `is_violation`, `results.data.compliance_rate`): check's summary,
check-many's summary, the HTML report and the workbook. Advisories are never "met"."""

from __future__ import annotations

from collections import Counter
from datetime import date
from importlib import resources

from apcompliance import Case, SchoolCalendar, evaluate
from apcompliance.evaluation.cohort import CaseResult, CohortSummary
from apcompliance.outputs.report import CohortReport
from apcompliance.outputs.tables import FindingTally
from apcompliance.results.data import compliance_rate
from apcompliance.results.selection import tally

EXAMPLES = resources.files("apcompliance") / "data/examples"
CAL = SchoolCalendar.example()


def test_every_output_counts_the_same_duties_met_and_violated():
    runs = [
        ("suspension-case.json", date(2025, 11, 10)),
        ("off-site-direction-case.json", date(2026, 1, 20)),
    ]
    assessments = [
        evaluate(Case.model_validate_json((EXAMPLES / n).read_text("utf-8")), as_of=d, calendar=CAL)
        for n, d in runs
    ]
    cases = [Case.model_validate_json((EXAMPLES / n).read_text("utf-8")) for n, _ in runs]
    advisories_met = sum(
        f.status == "met" and not f.is_duty for a in assessments for f in a.findings
    )
    assert advisories_met, "the examples have an advisory graded met: the case this test is for"
    met = sum(f.is_met_duty for a in assessments for f in a.findings)
    violated = sum(f.is_violation for a in assessments for f in a.findings)

    assert sum(tally(a, CAL).met for a in assessments) == met
    summary = CohortSummary()
    report = CohortReport(calendar=CAL, title="t", source="s")
    book = FindingTally()
    for line, (case, a) in enumerate(zip(cases, assessments, strict=True), start=1):
        summary.add(CaseResult(line, a.case_id, a))
        report.add(line, case, a)
        book.add(a)
    assert (summary.met, summary.violations) == (met, violated)
    assert (report.total.met, report.total.violated) == (met, violated)
    by_section: Counter[str] = sum(book.by_section.values(), Counter())
    assert (by_section["met"], by_section["violated"]) == (met, violated)
    rate = compliance_rate(met, violated)
    assert summary.compliance_rate() == report.total.rate == FindingTally.rate(by_section) == rate
