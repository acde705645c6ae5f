"""Reviews of a placement (H.3, H.4): review meetings, requests for one, and progress records."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from apcompliance.facts._base import ID_FIELD, Distinct, Fact, FactId, Flags

Attendee = Literal[
    "commissioner",
    "ap_lead",
    "pupil",
    "parents",
    "provider",
    "local_authority",
    "headteacher",
    "dsl",
    "senco",
    "social_worker",
]
"""Who took part. The commissioner is the school's officer who arranged the placement."""

ReviewTopic = Literal[
    "progress",
    "length_of_placement",
    "reintegration_plan",
    "parental_agreement",
    "attendance",
    "safeguarding",
]
"""What a review covered: H.3.v asks for the length of time in AP and the reintegration plan;
H.9 for the parents' agreement."""


class PlacementReview(Fact):
    """A review of a placement. `meeting`: held as a meeting; `formal`: a formal review
    meeting under H.4."""

    kind: Literal["placement_review"] = "placement_review"
    id: FactId = ID_FIELD
    placement_id: FactId
    held_on: date
    meeting: bool = True
    formal: bool = False
    attendees: Annotated[tuple[Attendee, ...], Distinct, Flags("{}_attended")] = ()
    parents_consulted: bool = False
    """The parents gave their views without attending (H.3.iii "involve the pupil's parents")."""
    covered: Annotated[tuple[ReviewTopic, ...], Distinct, Flags("covers_{}")] = ()

    @property
    def occurred_on(self) -> date:
        return self.held_on


class ReviewRequest(Fact):
    """A request for a review meeting (H.3.iv; SI 2010/1156 reg 4A)."""

    kind: Literal["review_request"] = "review_request"
    id: FactId = ID_FIELD
    placement_id: FactId
    requested_on: date
    by: Literal["parents", "local_authority"]
    in_writing: bool

    @property
    def occurred_on(self) -> date:
        return self.requested_on


class ProgressRecord(Fact):
    """A judgement of the pupil's progress at the placement, from a review, report or data."""

    kind: Literal["progress_record"] = "progress_record"
    id: FactId = ID_FIELD
    placement_id: FactId
    recorded_on: date
    progress: Literal["satisfactory", "unsatisfactory"]

    @property
    def occurred_on(self) -> date:
        return self.recorded_on
