"""The assessment of one case: its findings, the readings in force, and exports."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, PrivateAttr

from apcompliance.calendar.school_calendar import SchoolCalendar
from apcompliance.errors import MissingExtraError
from apcompliance.facts.vocabulary import EngineFact
from apcompliance.language.rulebook import RuleBook, load_rulebook
from apcompliance.results.findings import ADVISORY_KINDS, Finding

__all__ = ["ADVISORY_KINDS", "FRAME_COLUMNS", "Assessment", "MissingExtraError"]

FRAME_COLUMNS = (
    "case_id",
    "rule_id",
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
    "says",
    "action",
)
"""The columns of `Assessment.to_frame()`, one row per finding."""


def _bundled_key(book: RuleBook | None) -> str | None:
    """ "rules" or "rules+gaps" when `book` is one of the bundled rule books, else None."""
    names = [name for name, _ in book.files] if book is not None else []
    if not names or not all(name.startswith("rules/") for name in names):
        return None  # not bundled: checked first so that no bundled book is built to compare
    gaps = any(name.startswith("rules/gaps/") for name in names)
    if book is load_rulebook(gaps=gaps):
        return "rules+gaps" if gaps else "rules"
    return None


class Assessment(BaseModel):
    """What the policy asks of the school for one case, as of one date."""

    model_config = ConfigDict(frozen=True)
    case_id: str
    as_of: date
    calendar: str
    engine: str
    readings: dict[str, Any]
    """Every interpretation switch: value, default, the clause it interprets, its meaning."""
    findings: tuple[Finding, ...]

    _facts: tuple[EngineFact, ...] | None = PrivateAttr(default=None)
    """The derived engine facts the rules were run on (no names or dates of birth); kept by
    `Evaluator.evaluate` for `why_not`, never serialised."""
    _book: RuleBook | None = PrivateAttr(default=None)
    _calendar: SchoolCalendar | None = PrivateAttr(default=None)
    """The calendar the case was assessed on, for `why_not` (named terms count school days)."""
    """The rule book the case was assessed against (for `why_not`), never serialised."""

    def __eq__(self, other: object) -> bool:
        """Equal when every field is: the facts and rule book kept for `why_not` are not part
        of the value (an assessment read back from JSON equals the one written)."""
        if not isinstance(other, Assessment):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __getstate__(self) -> dict[Any, Any]:
        # A bundled rule book travels by name (it is ~150 kB pickled), so assessments sent
        # between processes stay small; it is loaded again (once per process) on arrival.
        state = super().__getstate__()
        private = dict(state.get("__pydantic_private__") or {})
        key = _bundled_key(private.get("_book"))
        if key is not None:
            private["_book"] = key
            state["__pydantic_private__"] = private
        return state

    def __setstate__(self, state: dict[Any, Any]) -> None:
        private = state.get("__pydantic_private__")
        if private and isinstance(private.get("_book"), str):
            private = {**private, "_book": load_rulebook(gaps=private["_book"] == "rules+gaps")}
            state = {**state, "__pydantic_private__": private}
        super().__setstate__(state)

    def _keep_context(
        self, facts: Iterable[EngineFact], book: RuleBook, calendar: SchoolCalendar | None = None
    ) -> None:
        """Keep the derived facts, the rule book and the calendar for `why_not`, and give each
        finding its rule for `Finding.explain` (called by `Evaluator`; serialisation is
        unchanged)."""
        self._facts = tuple(facts)
        self._book = book
        self._calendar = calendar
        rules = {r.id: r for r in book.rules}
        for finding in self.findings:
            finding._rule = rules.get(finding.rule_id)

    @property
    def obligations(self) -> tuple[Finding, ...]:
        """Duties with a deadline or condition to meet (obligations and requirements)."""
        return tuple(f for f in self.findings if f.kind in ("obligation", "requirement"))

    @property
    def violations(self) -> tuple[Finding, ...]:
        """Obligations overdue or met late, and requirements breached."""
        return tuple(f for f in self.findings if f.is_violation)

    @property
    def advisories(self) -> tuple[Finding, ...]:
        """Aims, recommendations, permissions and remarks: for information, never violations."""
        return tuple(f for f in self.findings if f.kind in ADVISORY_KINDS)

    def to_json(self, *, indent: int | None = 2) -> str:
        """The assessment as JSON (dates ISO 8601). Holds no pupil data beyond the case id."""
        return self.model_dump_json(indent=indent)

    def explain(self) -> str:
        """Every finding's explanation in plain English (`Finding.explain`), violations first,
        then duties still outstanding, duties met, and advisories."""
        from apcompliance.results.explain import explain_assessment

        return explain_assessment(self)

    def why_not(self, rule_id: str) -> str:
        """Why the rule `rule_id` did not fire for this case, or which missing facts would
        decide it; if it fired, the statuses of its findings.

        Re-checks the rule's conditions against the derived facts kept from the evaluation
        (no engine run). Raises `UnknownRuleError` for a rule id not in the rule book, and
        ApComplianceError for an assessment not made by `evaluate` (e.g. read from JSON).
        """
        from apcompliance.results.explain import why_not

        return why_not(self, rule_id)

    def to_frame(self) -> Any:
        """The findings as a pandas DataFrame, one row per finding, columns `FRAME_COLUMNS`.

        `due` and `met_on` are datetimes (a deadline that is a day shows as midnight at its
        start); `is_violation` is boolean. Needs pandas: `pip install 'apcompliance[notebook]'`.
        """
        try:
            pd = importlib.import_module("pandas")
        except ImportError:
            raise MissingExtraError(
                "Assessment.to_frame() needs pandas, an optional extra: "
                "pip install 'apcompliance[notebook]'"
            ) from None
        rows = [
            {
                "case_id": self.case_id,
                "rule_id": f.rule_id,
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
                "says": f.says,
                "action": f.action,
            }
            for f in self.findings
        ]
        frame = pd.DataFrame(rows, columns=list(FRAME_COLUMNS))
        for column in ("due", "met_on"):
            frame[column] = pd.to_datetime(frame[column].astype(object))
        frame["is_violation"] = frame["is_violation"].astype(bool)
        return frame

    def _repr_html_(self) -> str:
        from apcompliance.results.explain import assessment_html

        return assessment_html(self)
