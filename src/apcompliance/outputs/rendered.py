"""What `check` and `check-many` write of one assessed case, made where the case is assessed.

    renderer = CaseRenderer(calendar=cal, selection=selection, key=key, json=True, events=True)
    for result in evaluate_many(cases, ..., render=renderer, assessments=False):
        rendered = result.rendered          # a RenderedCase, or None for an error
        summary.add(result, rendered.counts if rendered else None)

With `check-many --processes N` (or an executor) each case is assessed in a worker, and the
assessment (tens of kilobytes) never leaves it: the worker sends back only a `RenderedCase`,
the bytes of each output asked for and the counts of the summary, so that the parent process
only writes them out. The serial run renders in the same way in its own process, so the
outputs cannot depend on where a case was assessed.

With a pseudonymisation key every part carries the case's keyed pseudonym, never its id.
"""

from __future__ import annotations

from dataclasses import dataclass

from apcompliance.calendar.school_calendar import SchoolCalendar
from apcompliance.evaluation.cohort import CaseCounts
from apcompliance.outputs.ical import deadline_events_by_holder
from apcompliance.outputs.pseudonymise import pseudonymise
from apcompliance.outputs.tables import Row, csv_text, finding_rows
from apcompliance.results.assessment import Assessment
from apcompliance.results.selection import FindingFilter

__all__ = ["CaseRenderer", "Events", "RenderedCase"]

Events = tuple[tuple[str, bytes], ...]
"""Each pending deadline's duty holder and VEVENT bytes (`ical.deadline_events_by_holder`)."""


@dataclass(frozen=True)
class RenderedCase:
    """One assessed case as the outputs need it; each part None when not asked for."""

    counts: CaseCounts
    """The summary's counts of the findings selected (`CohortSummary.add`)."""
    any_violations: bool
    """Whether the whole assessment has a violation, whatever is selected (the exit status)."""
    json: str | None = None
    """The assessment of the findings selected as one line of JSON (`check-many --json`)."""
    events: Events | None = None
    """Every pending deadline's event, selected or not (a duty holder subscribed to a feed
    must not lose one because a view was filtered)."""
    csv: str | None = None
    """The findings selected as CSV lines (`tables.csv_text`)."""
    rows: tuple[Row, ...] | None = None
    """The findings selected as rows for the workbook (`tables.finding_rows`)."""


@dataclass(frozen=True)
class CaseRenderer:
    """Makes the `RenderedCase` of an assessment: pseudonymised with `key`, the findings
    `selection` keeps (counting school days on `calendar`), and the parts asked for. A
    module-level class of picklable fields: it is sent to worker processes."""

    calendar: SchoolCalendar | None = None
    selection: FindingFilter | None = None
    key: bytes | None = None
    json: bool = False
    events: bool = False
    csv: bool = False
    rows: bool = False

    def __call__(self, assessment: Assessment) -> RenderedCase:
        any_violations = bool(assessment.violations)
        if self.key is not None:
            assessment = pseudonymise(assessment, self.key)
        shown = (
            assessment
            if self.selection is None
            else self.selection.apply(assessment, calendar=self.calendar)
        )
        rows = finding_rows(shown) if self.csv or self.rows else ()
        return RenderedCase(
            counts=CaseCounts.of(shown),
            any_violations=any_violations,
            json=shown.to_json(indent=None) if self.json else None,
            events=deadline_events_by_holder(assessment) if self.events else None,
            csv=csv_text(rows) if self.csv else None,
            rows=rows if self.rows else None,
        )
