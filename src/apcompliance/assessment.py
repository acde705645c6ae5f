"""The assessment of one case: its findings, the readings in force, and exports."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from apcompliance.findings import Finding

ADVISORY_KINDS = frozenset({"aim", "recommendation", "permission", "advisory"})


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
