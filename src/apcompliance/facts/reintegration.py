"""Returning to school (policy section Q), part-time timetables (Q.7), and what is kept on
record when a placement ends (E.7, Q.9)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from apcompliance.facts._base import ID_FIELD, UNRECORDED, Distinct, Fact, FactId, Flags


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
    id: FactId = ID_FIELD
    placement_id: FactId | None = None
    about: FactId | None = None
    """The suspension the pupil returns from (instead of a placement)."""
    returns_on: date

    @property
    def occurred_on(self) -> date:
        return self.returns_on


class ReintegrationPlan(_FromPlacementOrSuspension):
    """A reintegration plan (strategy) for a placement (Q.1, Q.4, J.2.ix), or for the return
    from a suspension (`about`, Q.4)."""

    kind: Literal["reintegration_plan"] = "reintegration_plan"
    id: FactId = ID_FIELD
    placement_id: FactId | None = None
    about: FactId | None = None
    """The suspension the pupil returns from (instead of a placement)."""
    agreed_on: date
    developed_with_provider: bool = False

    @property
    def occurred_on(self) -> date:
        return self.agreed_on


class FinalReport(Fact):
    """The final report on the pupil's achievements during a placement (Q.2)."""

    kind: Literal["final_report"] = "final_report"
    id: FactId = ID_FIELD
    placement_id: FactId
    received_on: date
    covers: Annotated[
        tuple[Literal["attainment_and_progress", "attendance", "behaviour_change"], ...], Distinct
    ] = ()

    @property
    def occurred_on(self) -> date:
        return self.received_on


class PupilViews(Fact):
    """The headteacher heard the pupil's views on the success of the placement (Q.3)."""

    kind: Literal["pupil_views"] = "pupil_views"
    id: FactId = ID_FIELD
    placement_id: FactId
    heard_on: date
    by_headteacher: bool = True

    @property
    def occurred_on(self) -> date:
        return self.heard_on


class ReintegrationMeeting(_FromPlacementOrSuspension):
    """The reintegration meeting (Q.5), on the return from a placement or a suspension."""

    kind: Literal["reintegration_meeting"] = "reintegration_meeting"
    id: FactId = ID_FIELD
    placement_id: FactId | None = None
    about: FactId | None = None
    """The suspension the pupil returns from (instead of a placement)."""
    held_on: date
    strategy_communicated: bool = True
    parents_attended: bool = False

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
    id: FactId = ID_FIELD
    placement_id: FactId | None = None
    about: FactId | None = None
    """The suspension the pupil returns from (instead of a placement)."""
    what: Literal["assess_fit", "parents_at_meeting"]
    recorded_on: date
    reason: str = Field(min_length=1, max_length=2000)
    """Why it was not possible (free text: only whether it is given reaches the rules)."""

    @property
    def occurred_on(self) -> date:
        return self.recorded_on


class ReintegrationReview(Fact):
    """A review of the reintegration strategy after the return from a suspension (Q.5); after
    a placement, a placement review covering the reintegration plan counts."""

    kind: Literal["reintegration_review"] = "reintegration_review"
    id: FactId = ID_FIELD
    about: FactId
    """The suspension the pupil returned from."""
    held_on: date

    @property
    def occurred_on(self) -> date:
        return self.held_on


class PlacementRecord(Fact):
    """The record kept of a placement once it ends (E.7, Q.9)."""

    kind: Literal["placement_record"] = "placement_record"
    id: FactId = ID_FIELD
    placement_id: FactId
    recorded_on: date
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
    id: FactId = ID_FIELD
    placement_id: FactId
    contacted_on: date

    @property
    def occurred_on(self) -> date:
        return self.contacted_on


class PartTimeTimetable(Fact):
    """A part-time timetable at school (Q.7)."""

    kind: Literal["part_time_timetable"] = "part_time_timetable"
    id: FactId = ID_FIELD
    starts_on: date
    ends_on: date | None = None
    """The time limit by which the pupil is expected to attend full time."""
    reason: Literal["medical", "reintegration", "managing_behaviour", "other"]
    review_every_weeks: int | None = Field(default=None, ge=1, le=26)
    """The formal arrangement for reviewing it with the pupil and parents."""
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
    id: FactId = ID_FIELD
    timetable_id: FactId
    reviewed_on: date
    with_pupil_and_parents: bool = True

    @property
    def occurred_on(self) -> date:
        return self.reviewed_on
