"""Findings: what the judge concludes for each rule that applies, with its citation."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Status = Literal[
    "met",
    "scheduled",
    "pending",
    "due_today",
    "at_risk",
    "overdue",
    "late",
    "breached",
    "open",
    "missed",
    "permitted",
    "flagged",
]
"""met: done by the deadline. scheduled: arranged for a date on or before the deadline that
is still to come. pending: not yet done, deadline still to come. due_today: not yet done,
deadline is the evaluation date. at_risk: only arranged for after the deadline, which is still
to come; or a requirement that will be broken on its day, still to come, unless the facts
change. overdue: deadline passed, not done. late: done, but after the deadline. breached: a
requirement broken. open: the clause sets no deadline and it is not yet done. missed: an aim
or recommendation not followed. permitted: something the policy allows, reported for
information. flagged: a remark on applying the policy to the case."""

VIOLATION_STATUSES: frozenset[str] = frozenset({"overdue", "late", "breached"})


class Citation(BaseModel):
    """A clause of the policy and its own words, or a statutory source."""

    model_config = ConfigDict(frozen=True)
    clause: str | None = None
    section: str | None = None
    says: str | None = None
    statute: str | None = None

    def __str__(self) -> str:
        if self.statute:
            return self.statute
        return f'{self.clause}: "{self.says}"'


class Explanation(BaseModel):
    """Why a finding exists: the facts the rule matched, the values derived, the readings."""

    model_config = ConfigDict(frozen=True)
    facts: dict[str, dict[str, Any]]
    steps: tuple[str, ...] = ()
    readings: dict[str, Any] = {}


class Finding(BaseModel):
    """One rule's conclusion for one set of matched facts."""

    model_config = ConfigDict(frozen=True)
    rule_id: str
    clause: str
    section: str
    says: str
    kind: Literal["obligation", "requirement", "aim", "recommendation", "permission", "advisory"]
    duty_holder: str
    action: str
    subject: str
    period: str | None = None
    """For a recurring duty: which occurrence (e.g. "spring term 2026")."""
    due: date | datetime | None
    status: Status
    met_by: str | None = None
    met_on: date | datetime | None = None
    deadline_citation: Citation | None = None
    also_cites: tuple[Citation, ...] = ()
    explanation: Explanation

    @property
    def is_violation(self) -> bool:
        return self.kind in ("obligation", "requirement") and self.status in VIOLATION_STATUSES

    @property
    def citation(self) -> Citation:
        return Citation(clause=self.clause, section=self.section, says=self.says)
