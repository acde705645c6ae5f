"""Monitoring a placement (policy sections G, N, O): attendance, absences, provider reports,
serious incidents, safeguarding concerns and reviews of an EHC plan."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from apcompliance.facts._base import ID_FIELD, PLACEMENT_ID, Distinct, Fact, FactId


class Absence(Fact):
    """A day the pupil was absent from the provision, and who was told (G.5.ii, O.2, O.3)."""

    kind: Literal["absence"] = "absence"
    """The event kind: always `absence`."""
    id: FactId = ID_FIELD
    placement_id: FactId = PLACEMENT_ID
    absent_on: date
    """The day the pupil was absent from the provision."""
    provider_reported_on: date | None = None
    """When the provider told the school."""
    parents_contacted_on: date | None = None
    """When the school contacted the parents."""

    @model_validator(mode="after")
    def _after_the_absence(self) -> Absence:
        for name in ("provider_reported_on", "parents_contacted_on"):
            value = getattr(self, name)
            if value is not None and value < self.absent_on:
                raise ValueError(f"{name} is before absent_on")
        return self

    @property
    def occurred_on(self) -> date:
        return self.absent_on


class AttendanceUpdate(Fact):
    """The school's attendance record for a placement brought up to date (O.4, C.6)."""

    kind: Literal["attendance_update"] = "attendance_update"
    """The event kind: always `attendance_update`."""
    id: FactId = ID_FIELD
    placement_id: FactId = PLACEMENT_ID
    updated_on: date
    """The day the record was updated."""
    attendance_percent: float = Field(ge=0, le=100, examples=[87.5])
    """Attendance at the provision to date, as a percentage (0–100) of its sessions."""
    shared_with: Annotated[tuple[Literal["ap_lead", "headteacher"], ...], Distinct] = ()
    """C.6.ii: who was given the update."""

    @property
    def occurred_on(self) -> date:
        return self.updated_on


class AttendanceIntervention(Fact):
    """An intervention under the school's Attendance and Truancy Policy (O.5)."""

    kind: Literal["attendance_intervention"] = "attendance_intervention"
    """The event kind: always `attendance_intervention`."""
    id: FactId = ID_FIELD
    placement_id: FactId = PLACEMENT_ID
    started_on: date
    """The day the intervention started."""

    @property
    def occurred_on(self) -> date:
        return self.started_on


class ProviderReport(Fact):
    """A report from the provider on the pupil (N.3)."""

    kind: Literal["provider_report"] = "provider_report"
    """The event kind: always `provider_report`."""
    id: FactId = ID_FIELD
    placement_id: FactId = PLACEMENT_ID
    received_on: date
    """The day the school received the report."""
    covers: Annotated[tuple[Literal["progress", "behaviour", "welfare"], ...], Distinct] = ()
    """What the report covers: the pupil's progress, behaviour and welfare (N.3)."""

    @property
    def occurred_on(self) -> date:
        return self.received_on


class SeriousIncident(Fact):
    """A serious behaviour incident at the provision (N.5, C.3.iii)."""

    kind: Literal["serious_incident"] = "serious_incident"
    """The event kind: always `serious_incident`."""
    id: FactId = ID_FIELD
    placement_id: FactId = PLACEMENT_ID
    occurred_on: date
    """The day of the incident."""
    school_informed_on: date | None = None
    """When the provider told the school (N.5). Not recorded: not yet told."""
    action_decided_on: date | None = None
    """When a course of action was decided (C.3.iii)."""
    decided_with: Annotated[tuple[Literal["slt", "headteacher"], ...], Distinct] = ()
    """Who decided the course of action with the AP lead: the senior leadership team (slt), the
    headteacher (C.3.iii)."""

    @model_validator(mode="after")
    def _in_order(self) -> SeriousIncident:
        if self.school_informed_on is not None and self.school_informed_on < self.occurred_on:
            raise ValueError("school_informed_on is before occurred_on")
        if self.action_decided_on is not None and self.action_decided_on < self.occurred_on:
            raise ValueError("action_decided_on is before occurred_on")
        return self


class SafeguardingConcern(Fact):
    """A safeguarding concern about a pupil at a placement (G.2.6, N.8)."""

    kind: Literal["safeguarding_concern"] = "safeguarding_concern"
    """The event kind: always `safeguarding_concern`."""
    id: FactId = ID_FIELD
    placement_id: FactId = PLACEMENT_ID
    raised_on: date
    """The day the concern was raised."""
    resolved_on: date | None = None
    """When the concern was satisfactorily addressed."""

    @model_validator(mode="after")
    def _in_order(self) -> SafeguardingConcern:
        if self.resolved_on is not None and self.resolved_on < self.raised_on:
            raise ValueError("resolved_on is before raised_on")
        return self

    @property
    def occurred_on(self) -> date:
        return self.raised_on


class EhcPlanReview(Fact):
    """A review of the pupil's EHC plan, and the providers that attended or sent a written
    report (G.4.ii)."""

    kind: Literal["ehc_plan_review"] = "ehc_plan_review"
    """The event kind: always `ehc_plan_review`."""
    id: FactId = ID_FIELD
    held_on: date
    """The day the review was held."""
    provider_contributions: Annotated[tuple[FactId, ...], Distinct] = Field(
        default=(), examples=[["PRV-1"]]
    )
    """Ids of the providers that attended or submitted a written report."""

    @property
    def occurred_on(self) -> date:
        return self.held_on
