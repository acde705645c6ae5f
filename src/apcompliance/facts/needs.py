"""The pupil's needs and the school's response to concerns (H.1, H.6, section L).

These events concern the pupil, not one placement: they are dated and compared with a
placement's dates.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from apcompliance.facts._base import ID_FIELD, Distinct, Fact, FactId

InterventionType = Literal[
    "behaviour_plan",
    "pastoral_support_programme",
    "mentoring",
    "counselling",
    "in_school_unit",
    "internal_reflection",
    "external_agency_support",
    "other",
]


class BehaviourConcern(Fact):
    """A recorded concern about the pupil's behaviour or risk of exclusion (L.1)."""

    kind: Literal["behaviour_concern"] = "behaviour_concern"
    """The event kind: always `behaviour_concern`."""
    id: FactId = ID_FIELD
    recorded_on: date
    """The day the concern was recorded."""
    concern: Literal["behaviour", "risk_of_exclusion"]
    """behaviour: a concern about the pupil's behaviour; risk_of_exclusion: the pupil is at risk of
    exclusion (L.1)."""

    @property
    def occurred_on(self) -> date:
        return self.recorded_on


class Intervention(Fact):
    """An intervention tried within the school (H.1: before an off-site referral)."""

    kind: Literal["intervention"] = "intervention"
    """The event kind: always `intervention`."""
    id: FactId = ID_FIELD
    started_on: date
    """The day the intervention started."""
    intervention: InterventionType
    """What was tried: a behaviour plan, a pastoral support programme, mentoring, counselling, time
    in the in-school unit, internal reflection, support from an external agency, or other."""

    @property
    def occurred_on(self) -> date:
        return self.started_on


class NeedsConsideration(Fact):
    """Senior staff considering what additional support or placement the pupil needs (L.1, H.6)."""

    kind: Literal["needs_consideration"] = "needs_consideration"
    """The event kind: always `needs_consideration`."""
    id: FactId = ID_FIELD
    considered_on: date
    """The day the pupil's needs were considered."""
    by: Annotated[tuple[Literal["headteacher", "dsl", "senco"], ...], Distinct] = Field(
        min_length=1
    )
    """Who considered them: the headteacher, the designated safeguarding lead (dsl), the SENCO
    (L.1)."""

    @property
    def occurred_on(self) -> date:
        return self.considered_on


class NeedsAssessment(Fact):
    """An assessment of the pupil's needs (L.2)."""

    kind: Literal["needs_assessment"] = "needs_assessment"
    """The event kind: always `needs_assessment`."""
    id: FactId = ID_FIELD
    assessed_on: date
    """The day of the assessment."""

    @property
    def occurred_on(self) -> date:
        return self.assessed_on
