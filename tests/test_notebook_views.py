"""Notebook views: Assessment.to_frame() (pandas, the `notebook` extra) and the HTML shown by
Jupyter for assessments and findings."""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

import pytest

from apcompliance import ApComplianceError, Assessment, evaluate
from apcompliance.results.assessment import FRAME_COLUMNS, MissingExtraError
from apcompliance.results.explain import TONES
from tests.scenarios import the

AS_OF = date(2025, 11, 10)
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def assessment(example_case, calendar) -> Assessment:
    return evaluate(example_case, as_of=AS_OF, calendar=calendar)


# -- to_frame --------------------------------------------------------------------------------


def test_the_frame_has_one_row_per_finding(assessment):
    pd = pytest.importorskip("pandas")
    frame = assessment.to_frame()
    assert tuple(frame.columns) == FRAME_COLUMNS
    assert len(frame) == len(assessment.findings)
    assert set(frame["case_id"]) == {"EX-2025-014"}
    assert frame["is_violation"].dtype == bool
    assert frame["is_violation"].sum() == len(assessment.violations) == 10
    assert pd.api.types.is_datetime64_any_dtype(frame["due"])
    assert pd.api.types.is_datetime64_any_dtype(frame["met_on"])
    row = frame[frame["rule_id"] == "I.1-sixth-day-provision"].iloc[0]
    assert row["clause"] == "I.1" and row["section"] == "I"
    assert row["status"] == "late" and bool(row["is_violation"])
    assert row["due"] == pd.Timestamp("2025-10-31")
    assert row["met_by"] == "PL-1" and row["met_on"] == pd.Timestamp("2025-11-03")
    assert row["uncovered"] == "2025-10-31"  # the sixth day; provision began the next school day
    assert row["subject"] == "exclusion SUS-1" and row["duty_holder"] == "school"
    timed = frame[frame["rule_id"] == "I.1.iv-notice-report-to"].iloc[0]
    assert timed["due"] == pd.Timestamp("2025-11-01 09:00")
    assert pd.isna(timed["met_on"]) and timed["status"] == "overdue"
    # a notebook can sort and group it
    assert frame.sort_values("due")["due"].dropna().is_monotonic_increasing
    by_section = frame[frame["is_violation"]].groupby("section").size().to_dict()
    assert by_section == {"I": 6, "L": 1, "Q": 3}


def test_an_assessment_without_findings_gives_an_empty_frame(assessment):
    pytest.importorskip("pandas")
    frame = assessment.model_copy(update={"findings": ()}).to_frame()
    assert frame.empty and tuple(frame.columns) == FRAME_COLUMNS


def test_without_pandas_to_frame_says_which_extra_to_install(assessment, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` now raises ImportError
    with pytest.raises(MissingExtraError, match=re.escape("pip install 'apcompliance[notebook]'")):
        assessment.to_frame()
    assert issubclass(MissingExtraError, ApComplianceError)
    assert issubclass(MissingExtraError, ImportError)


def test_pandas_is_the_notebook_extra_and_in_the_test_extra():
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    assert extras["notebook"] == ["pandas>=2"]
    assert "pandas>=2" in extras["test"]
    assert not any(d.startswith("pandas") for d in project["dependencies"])


# -- HTML ------------------------------------------------------------------------------------


def _rows(html: str) -> list[str]:
    return re.findall(r"<tr style=.*?</tr>", html, flags=re.S)


def test_the_assessment_renders_as_an_html_table_with_status_colours(assessment):
    html = assessment._repr_html_()
    assert html.startswith('<div class="apcompliance-assessment">')
    assert "<strong>Case EX-2025-014</strong> as of Mon 10 Nov 2025" in html
    rows = _rows(html)
    assert len(rows) == len(assessment.findings)
    red, amber, green, grey = (TONES[t][0] for t in ("red", "amber", "green", "grey"))
    late = next(r for r in rows if "I.1-sixth-day-provision" in r)
    assert f"background:{red}" in late and ">LATE<" in late
    assert "Fri 31 Oct 2025" in late and "<strong>I.1</strong>" in late
    assert "PL-1<br><small>Mon 3 Nov 2025</small>" in late
    assert "<q>The school will arrange suitable full-time education" in late
    pending = next(r for r in rows if "E.7-full-records" in r)
    assert f"background:{amber}" in pending and ">PENDING<" in pending
    met = next(r for r in rows if "I.1.i-notice-start-date" in r)
    assert f"background:{green}" in met and ">MET<" in met
    # an aim or recommendation is an advisory, grey whatever its status; G.1's "where
    # possible" is an obligation by default (where_possible_means), green when met
    advisory = next(r for r in rows if "I.1-looked-after-first-day" in r)
    assert f"background:{grey}" in advisory
    visit = next(r for r in rows if "G.1-visit-to-assess-fit" in r)
    assert f"background:{green}" in visit and ">MET<" in visit
    # violations first, advisories last
    statuses = [re.search(r">([A-Z ]+)</span>", r).group(1) for r in rows]  # type: ignore[union-attr]
    assert statuses[:7] == ["LATE", "OVERDUE", "OVERDUE", "LATE", "LATE", "OVERDUE", "OVERDUE"]
    assert statuses[-3:] == ["MET", "MET", "MISSED"]


def test_a_finding_renders_as_an_html_table(assessment):
    html = the(assessment, "I.1-sixth-day-provision")._repr_html_()
    assert html.startswith('<table class="apcompliance-finding"')
    assert f"background:{TONES['red'][0]}" in html and "violation" in html
    assert "<code>I.1-sixth-day-provision</code> (obligation)" in html
    assert "holiday between half-terms" in html and "INSET day" in html
    assert "<q>The school will arrange" in html
    assert "I.4: “Consecutive fixed-period suspensions" in html


def test_all_text_in_the_html_is_escaped(assessment):
    finding = the(assessment, "I.1-sixth-day-provision")
    hostile = finding.model_copy(
        update={"says": "<script>alert(1)</script> & co", "subject": 'exclusion "<b>"'}
    )
    a = assessment.model_copy(update={"case_id": "<i>X</i>", "findings": (hostile,)})
    for html in (a._repr_html_(), hostile._repr_html_()):
        assert "<script>" not in html and "<b>" not in html and "<i>X" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert "exclusion &quot;&lt;b&gt;&quot;" in a._repr_html_()
    assert "&lt;i&gt;X&lt;/i&gt;" in a._repr_html_()
