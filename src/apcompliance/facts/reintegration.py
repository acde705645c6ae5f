"""Returning to school (policy section Q), part-time timetables (Q.7), and what is kept on
record when a placement ends (E.7, Q.9)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from apcompliance.facts._base import (
    ID_FIELD,
    PLACEMENT_ID,
    UNRECORDED,
    Distinct,
    Fact,
    FactId,
    Flags,
)


class _FromPlacementOrSuspension(Fact):
    """An event about a placement (`placement_id`) or a suspension (`about`): exactly one."""

    @model_validator(mode="after")
    def _one_of(self) -> _FromPlacementOrSuspension:
        fields = self.__dict__
        if (fields.get("placement_id") is None) == (fields.get("about") is None):
            raise ValueError(
                "give exactly one of placement_id (a placement) and about (a suspension)"
            )
        return self


class ReturnToSchool(_FromPlacementOrSuspension):
    """The pupil's return to mainstream school, planned or done (Q.1–Q.5): from a placement
    (`placement_id`), or from a suspension (`about`) where it is not the first school day
    after the suspension's last day."""

    kind: Literal["return_to_school"] = "return_to_school"
    """The event kind: always `return_to_school`."""
    id: FactId = ID_FIELD
    placement_id: FactId | None = Field(default=None, examples=["PL-1"])
    """The placement the pupil returns from: the `id` of one of the case's `placements`. Give
    exactly one of `placement_id` and `about`."""
    about: FactId | None = Field(default=None, examples=["SUS-1"])
    """The suspension the pupil returns from (instead of a placement)."""
    returns_on: date
    """The day the pupil returns (or is planned to return) to the school."""

    @property
    def occurred_on(self) -> date:
        return self.returns_on


class ReintegrationPlan(_FromPlacementOrSuspension):
    """A reintegration plan (strategy) for a placement (Q.1, Q.4, J.2.ix), or for the return
    from a suspension (`about`, Q.4)."""

    kind: Literal["reintegration_plan"] = "reintegration_plan"
    """The event kind: always `reintegration_plan`."""
    id: FactId = ID_FIELD
    placement_id: FactId | None = Field(default=None, examples=["PL-1"])
    """The placement the pupil returns from: the `id` of one of the case's `placements`. Give
    exactly one of `placement_id` and `about`."""
    about: FactId | None = Field(default=None, examples=["SUS-1"])
    """The suspension the pupil returns from (instead of a placement)."""
    agreed_on: date
    """The day the plan was agreed."""
    developed_with_provider: bool = False
    """The plan was developed with the provider (Q.1)."""

    @property
    def occurred_on(self) -> date:
        return self.agreed_on


class FinalReport(Fact):
    """The final report on the pupil's achievements during a placement (Q.2)."""

    kind: Literal["final_report"] = "final_report"
    """The event kind: always `final_report`."""
    id: FactId = ID_FIELD
    placement_id: FactId = PLACEMENT_ID
    received_on: date
    """The day the school received the report."""
    covers: Annotated[
        tuple[Literal["attainment_and_progress", "attendance", "behaviour_change"], ...], Distinct
    ] = ()
    """What the report covers (Q.2): attainment and progress, attendance, and the change in
    behaviour."""

    @property
    def occurred_on(self) -> date:
        return self.received_on


class PupilViews(Fact):
    """The headteacher heard the pupil's views on the success of the placement (Q.3)."""

    kind: Literal["pupil_views"] = "pupil_views"
    """The event kind: always `pupil_views`."""
    id: FactId = ID_FIELD
    placement_id: FactId = PLACEMENT_ID
    heard_on: date
    """The day the pupil's views were heard."""
    by_headteacher: bool = True
    """The headteacher heard them (Q.3); false: someone else did."""

    @property
    def occurred_on(self) -> date:
        return self.heard_on


class ReintegrationMeeting(_FromPlacementOrSuspension):
    """The reintegration meeting (Q.5), on the return from a placement or a suspension."""

    kind: Literal["reintegration_meeting"] = "reintegration_meeting"
    """The event kind: always `reintegration_meeting`."""
    id: FactId = ID_FIELD
    placement_id: FactId | None = Field(default=None, examples=["PL-1"])
    """The placement the pupil returns from: the `id` of one of the case's `placements`. Give
    exactly one of `placement_id` and `about`."""
    about: FactId | None = Field(default=None, examples=["SUS-1"])
    """The suspension the pupil returns from (instead of a placement)."""
    held_on: date
    """The day of the meeting."""
    strategy_communicated: bool = True
    """The reintegration strategy was communicated at the meeting (Q.5)."""
    parents_attended: bool = False
    """The parents attended the meeting (Q.5: where possible)."""

    @property
    def occurred_on(self) -> date:
        return self.held_on


class NotPossible(_FromPlacementOrSuspension):
    """A record that something the policy asks for "where possible" was not possible, and why:
    a visit to the site or a meeting with the provider to assess the fit (G.1, `what:
    assess_fit`), the parents at the reintegration meeting (Q.5, `parents_at_meeting`). Under
    the `where_possible_means` switch's default it excuses the duty when recorded by its
    deadline. (H.9's parents' agreement records it as `parental_agreement.outcome`.)"""

    kind: Literal["not_possible"] = "not_possible"
    """The event kind: always `not_possible`."""
    id: FactId = ID_FIELD
    placement_id: FactId | None = Field(default=None, examples=["PL-1"])
    """The placement it concerns: the `id` of one of the case's `placements`. Give exactly one of
    `placement_id` and `about`."""
    about: FactId | None = Field(default=None, examples=["SUS-1"])
    """The suspension the pupil returns from (instead of a placement)."""
    what: Literal["assess_fit", "parents_at_meeting"]
    """What was not possible: assess_fit, a visit to the site or a meeting with the provider to
    assess the fit (G.1); parents_at_meeting, the parents at the reintegration meeting (Q.5)."""
    recorded_on: date
    """The day it was recorded (it excuses the duty only when recorded by the duty's deadline)."""
    reason: str = Field(min_length=1, max_length=2000)
    """Why it was not possible (free text: only whether it is given reaches the rules)."""

    @property
    def occurred_on(self) -> date:
        return self.recorded_on


class ReintegrationReview(Fact):
    """A review of the reintegration strategy after the return from a suspension (Q.5); after
    a placement, a placement review covering the reintegration plan counts."""

    kind: Literal["reintegration_review"] = "reintegration_review"
    """The event kind: always `reintegration_review`."""
    id: FactId = ID_FIELD
    about: FactId = Field(examples=["SUS-1"])
    """The suspension the pupil returned from."""
    held_on: date
    """The day of the review."""

    @property
    def occurred_on(self) -> date:
        return self.held_on


class PlacementRecord(Fact):
    """The record kept of a placement once it ends (E.7, Q.9)."""

    kind: Literal["placement_record"] = "placement_record"
    """The event kind: always `placement_record`."""
    id: FactId = ID_FIELD
    placement_id: FactId = PLACEMENT_ID
    recorded_on: date
    """The day the record was made."""
    includes: Annotated[
        tuple[Literal["progress", "achievements", "destination", "pupil_assessment"], ...],
        Distinct,
        Flags("{}"),
    ] = ()
    """E.7: progress, achievements, the destination after the placement, and the pupil's own
    assessment of it."""

    @property
    def occurred_on(self) -> date:
        return self.recorded_on


class LaContacted(Fact):
    """The local authority contacted about a contemplated placement of a pupil with an EHC
    plan (J.5)."""

    kind: Literal["la_contacted"] = "la_contacted"
    """The event kind: always `la_contacted`."""
    id: FactId = ID_FIELD
    placement_id: FactId = PLACEMENT_ID
    contacted_on: date
    """The day the local authority was contacted."""

    @property
    def occurred_on(self) -> date:
        return self.contacted_on


class PartTimeTimetable(Fact):
    """A part-time timetable at school (Q.7)."""

    kind: Literal["part_time_timetable"] = "part_time_timetable"
    """The event kind: always `part_time_timetable`."""
    id: FactId = ID_FIELD
    starts_on: date
    """The first day of the part-time timetable."""
    ends_on: date | None = None
    """The time limit by which the pupil is expected to attend full time."""
    reason: Literal["medical", "reintegration", "managing_behaviour", "other"]
    """Why it is in place (Q.7): medical needs, reintegration, managing behaviour, or other."""
    review_every_weeks: int | None = Field(default=None, ge=1, le=26, examples=[4])
    """How often it is reviewed with the pupil and parents, in weeks (Q.7: a formal arrangement
    for reviewing it)."""
    absence_code: Annotated[Literal["C2", "X", "other"] | None, UNRECORDED] = None
    """How the sessions the pupil is not timetabled for are recorded in the register (School
    Attendance (Pupil Registration) (England) Regulations 2024): C2, leave of absence for a
    pupil of compulsory school age on a part-time timetable; X, a pupil below (or above)
    compulsory school age not required to be in school; other, any other code. Not given: not
    recorded (Q.7 asks for it)."""

    @model_validator(mode="after")
    def _in_order(self) -> PartTimeTimetable:
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise ValueError("ends_on is before starts_on")
        return self

    @property
    def occurred_on(self) -> date:
        return self.starts_on


class TimetableReview(Fact):
    """A review of a part-time timetable (Q.7)."""

    kind: Literal["timetable_review"] = "timetable_review"
    """The event kind: always `timetable_review`."""
    id: FactId = ID_FIELD
    timetable_id: FactId = Field(examples=["PTT-1"])
    """The part-time timetable reviewed: the `id` of a `part_time_timetable` event of the case."""
    reviewed_on: date
    """The day of the review."""
    with_pupil_and_parents: bool = True
    """The review was held with the pupil and the parents (Q.7)."""

    @property
    def occurred_on(self) -> date:
        return self.reviewed_on
