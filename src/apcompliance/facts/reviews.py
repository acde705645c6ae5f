"""Reviews of a placement (H.3, H.4): review meetings, requests for one, and progress records."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from apcompliance.facts._base import ID_FIELD, PLACEMENT_ID, Distinct, Fact, FactId, Flags

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
    """The event kind: always `placement_review`."""
    id: FactId = ID_FIELD
    placement_id: FactId = PLACEMENT_ID
    held_on: date
    """The day the review was held."""
    meeting: bool = True
    """The review was held as a meeting (false: reviewed without a meeting)."""
    formal: bool = False
    """A formal review meeting under H.4 (after unsatisfactory progress), attended by the
    commissioner, the pupil, the parents and the provider."""
    attendees: Annotated[tuple[Attendee, ...], Distinct, Flags("{}_attended")] = ()
    """Who took part (the commissioner is the school's officer who arranged the placement)."""
    parents_consulted: bool = False
    """The parents gave their views without attending (H.3.iii "involve the pupil's parents")."""
    covered: Annotated[tuple[ReviewTopic, ...], Distinct, Flags("covers_{}")] = ()
    """What the review covered: progress, the length of the placement and the reintegration plan
    (H.3.v), the parents' agreement (H.9), attendance, safeguarding."""

    @property
    def occurred_on(self) -> date:
        return self.held_on


class ReviewRequest(Fact):
    """A request for a review meeting (H.3.iv; SI 2010/1156 reg 4A)."""

    kind: Literal["review_request"] = "review_request"
    """The event kind: always `review_request`."""
    id: FactId = ID_FIELD
    placement_id: FactId = PLACEMENT_ID
    requested_on: date
    """The day the review meeting was requested."""
    by: Literal["parents", "local_authority"]
    """Who asked: the parents, or the local authority."""
    in_writing: bool
    """The request was made in writing."""

    @property
    def occurred_on(self) -> date:
        return self.requested_on


class ProgressRecord(Fact):
    """A judgement of the pupil's progress at the placement, from a review, report or data."""

    kind: Literal["progress_record"] = "progress_record"
    """The event kind: always `progress_record`."""
    id: FactId = ID_FIELD
    placement_id: FactId = PLACEMENT_ID
    recorded_on: date
    """The day the judgement was recorded."""
    progress: Literal["satisfactory", "unsatisfactory"]
    """The judgement: satisfactory or unsatisfactory (unsatisfactory calls for a formal review
    meeting, H.4)."""

    @property
    def occurred_on(self) -> date:
        return self.recorded_on
