"""The assessment of one case: its findings, the readings in force, and exports."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from typing import Any

from apcompliance.calendar.school_calendar import SchoolCalendar
from apcompliance.errors import MissingExtraError
from apcompliance.language.rulebook import RuleBook
from apcompliance.results.data import ADVISORY_KINDS, AssessmentData
from apcompliance.results.explain import assessment_html, explain_assessment, why_not
from apcompliance.results.findings import Finding
from apcompliance.results.selection import FindingFilter

__all__ = ["ADVISORY_KINDS", "FRAME_COLUMNS", "Assessment", "MissingExtraError"]

FRAME_COLUMNS = (
    "case_id",
    "rule_id",
    "tier",
    "clause",
    "section",
    "kind",
    "duty_holder",
    "subject",
    "period",
    "due",
    "status",
    "is_violation",
    "met_by",
    "met_on",
    "uncovered",
    "says",
    "action",
)
"""The columns of `Assessment.to_frame()`, one row per finding."""


class Assessment(AssessmentData[Finding]):
    """What the policy asks of the school for one case, as of one date."""

    # Plain data (`data.AssessmentData`): the findings, the readings in force and the trace
    # of the evaluation; the methods here put them in words and tables.

    def to_json(self, *, indent: int | None = 2, trace: bool = False) -> str:
        """The assessment as JSON (dates ISO 8601). Holds no pupil data beyond the case id.
        With `trace`, also the evaluation's trace (the derived facts, the calendar and the
        rule book's identity), so that an assessment read back can still answer `why_not`."""
        return self.model_dump_json(indent=indent, exclude=None if trace else {"trace"})

    def explain(self, *, book: RuleBook | None = None) -> str:
        """Every finding's explanation in plain English (`Finding.explain`), violations first,
        then duties still outstanding, duties met, and advisories. The rules are those of the
        bundled rule book the assessment was made with, or of `book` (pass it for an
        assessment of a custom rule book)."""
        return explain_assessment(self, book)

    def why_not(self, rule_id: str, *, book: RuleBook | None = None) -> str:
        """Why the rule `rule_id` did not fire for this case, or which missing facts would
        decide it; if it fired, the statuses of its findings.

        Re-checks the rule's conditions against the derived facts kept in `trace` (no engine
        run), with the rules of the bundled rule book the assessment names, or of `book`: an
        assessment of a custom rule book needs it. Raises `UnknownRuleError` for a rule id
        not in the rule book, and ApComplianceError for an assessment without a trace (e.g.
        read from `to_json()`), for a custom rule book not given, or for a rule book other
        than the one the assessment was made with.
        """
        return why_not(self, rule_id, book)

    def rows(self, findings: Iterable[Finding] | None = None) -> Iterator[dict[str, Any]]:
        """The findings (or the given ones of them) as rows, keyed by `FRAME_COLUMNS` in that
        order: the rows of `to_frame()` and of the CSV and Excel exports (`outputs.tables`).

        `due` and `met_on` are dates or date-times, as in the finding; `uncovered` the school
        days a duty over a period missed as text (`2025-11-11 to 2025-11-21; 2025-11-24`), or
        None."""
        for f in self.findings if findings is None else findings:
            yield {
                "case_id": self.case_id,
                "rule_id": f.rule_id,
                "tier": f.tier,
                "clause": f.clause,
                "section": f.section,
                "kind": f.kind,
                "duty_holder": f.duty_holder,
                "subject": f.subject,
                "period": f.period,
                "due": f.due,
                "status": f.status,
                "is_violation": f.is_violation,
                "met_by": f.met_by,
                "met_on": f.met_on,
                "uncovered": "; ".join(str(r) for r in f.uncovered) or None,
                "says": f.says,
                "action": f.action,
            }

    def to_frame(
        self,
        *,
        only: str | None = None,
        section: str | Iterable[str] | None = None,
        duty_holder: str | Iterable[str] | None = None,
        status: str | Iterable[str] | None = None,
        within: int | None = None,
        calendar: SchoolCalendar | None = None,
    ) -> Any:
        """The findings as a pandas DataFrame, one row per finding (`rows()`), columns
        `FRAME_COLUMNS`.

        The keyword arguments select findings as `check`'s options do (`FindingFilter.of`:
        `only` one of violations, due, open, needs-info; `section`, `duty_holder`, `status`
        a value, a comma list or several; `within` school days from `as_of`, counted on
        `calendar` or the one the trace keeps); FilterError names an unknown value.

        `due` and `met_on` are datetimes (a deadline that is a day shows as midnight at its
        start); `is_violation` is boolean; `uncovered` lists the school days a duty over a
        period missed (`2025-11-11 to 2025-11-21; 2025-11-24`), or is empty. Needs pandas:
        `pip install 'apcompliance[notebook]'`.
        """
        try:
            pd = importlib.import_module("pandas")
        except ImportError:
            raise MissingExtraError(
                "Assessment.to_frame() needs pandas, an optional extra: "
                "pip install 'apcompliance[notebook]'"
            ) from None
        selection = FindingFilter.of(
            only=only, section=section, duty_holder=duty_holder, status=status, within=within
        )
        rows = self.rows(selection.select(self, calendar=calendar))
        frame = pd.DataFrame(list(rows), columns=list(FRAME_COLUMNS))
        for column in ("due", "met_on"):
            frame[column] = pd.to_datetime(frame[column].astype(object))
        frame["is_violation"] = frame["is_violation"].astype(bool)
        return frame

    def _repr_html_(self) -> str:
        return assessment_html(self)
