"""Events of an off-site direction (policy section H): the referral notice, the initial
meeting, the parents' agreement, and the checks made before the pupil is directed.

Every event names the placement it is about (`placement_id`). Free-text contents (reasons,
objectives, addresses) are personal data: the library only ever uses whether they are given.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field

from apcompliance.facts._base import (
    ID_FIELD,
    PLACEMENT_ID,
    Distinct,
    Fact,
    FactId,
    Flags,
    GivenAs,
    TimedRecord,
)
from apcompliance.facts.notices import SentNotice
from apcompliance.facts.placement import SessionTimes

NoticeRecipient = Literal["parents", "pupil", "local_authority"]
Informed = Literal["parents", "pupil", "provider"]


class ReferralNotice(SentNotice):
    """The written notice of an off-site direction (H.2), to `recipients`, at least two school
    days before the provision begins.

    The contents H.2.i–vi (and H.3.i's "how it will be reviewed") are given when present. Not
    the notice of a suspension or permanent exclusion (`exclusion_notice`, I.1–I.3).
    """

    kind: Literal["referral_notice"] = "referral_notice"
    """The event kind: always `referral_notice`."""
    id: FactId = ID_FIELD
    placement_id: FactId = PLACEMENT_ID
    recipients: Annotated[tuple[NoticeRecipient, ...], Distinct, Flags("to_{}")] = Field(
        min_length=1
    )
    """Who the notice was sent to: the parents (always, H.2), the pupil (where over 18, H.2),
    the local authority (where the pupil has an EHC plan, H.3.i). One notice may go to several;
    a notice sent separately is its own event."""
    start_date: date | None = None
    """H.3.i: the day the provision begins, as the notice gives it (compared with the placement's
    `start_date`)."""
    provision_address: Annotated[str | None, GivenAs("gives_address")] = Field(
        default=None, min_length=1, max_length=400
    )
    """H.2.i (and H.2.iii): the address at which the provision is to be provided, as the notice
    gives it. It must match the placement's `address` (compared ignoring case, spaces and
    punctuation); the provider's `addresses` are where it teaches, not what the parents were
    told. Free text: only whether it is given, and a key for the comparison, reach the rules."""
    report_to: str | None = Field(default=None, min_length=1, max_length=200)
    """H.2.ii: who the pupil should report to on first attending, as the notice gives it
    (compared with the placement's `report_to`)."""
    number_of_days: int | None = Field(default=None, ge=1, le=400, examples=[30])
    """H.2.iv: the number of days for which the requirement is imposed (a count of days, as the
    notice states it)."""
    reasons: str | None = Field(default=None, min_length=1, max_length=2000)
    """H.2.v: the reasons for the direction. Free text: only whether it is given reaches the
    rules."""
    objectives: str | None = Field(default=None, min_length=1, max_length=2000)
    """H.2.v: the objectives of the placement. Free text: only whether it is given reaches the
    rules."""
    session_times: SessionTimes | None = Field(default=None, discriminator="form")
    """H.2.vi: the times of the sessions, as the notice gives them (compared with the placement's
    `session_times`)."""
    review_arrangements: str | None = Field(default=None, min_length=1, max_length=2000)
    """H.3.i: how the placement will be reviewed."""


class DirectionMeeting(TimedRecord):
    """The initial meeting with the pupil and parents once the direction is decided (H.8, H.10)."""

    kind: Literal["direction_meeting"] = "direction_meeting"
    """The event kind: always `direction_meeting`."""
    TIME_OF = ("held_on", "held_at")
    id: FactId = ID_FIELD
    placement_id: FactId = PLACEMENT_ID
    held_on: date
    """The day the meeting was held."""
    held_at: datetime | None = Field(
        default=None, examples=["2025-11-10T08:45:00+00:00", "2025-11-10T08:45:00"]
    )
    """The time, where recorded (it must fall on held_on): on a placement's first day it shows
    whether this came before the pupil first attended."""
    pupil_invited: bool
    """The pupil was called to the meeting (H.8)."""
    parents_invited: bool
    """The parents were called to the meeting (H.8)."""
    reasons_explained: bool
    """H.8: a clear explanation of the reasons for the direction."""
    not_an_exclusion_explained: bool
    """H.2: made clear that the direction is not an exclusion."""
    support_responsibilities_set: bool
    """H.10: responsibilities for supporting the pupil."""
    agreement_review_timescales_set: bool
    """H.10: timescales for reviewing the alternative provision agreement."""
    review_interval_weeks: int | None = Field(default=None, ge=1, le=52, examples=[6])
    """H.3.iii: how often the placement will be reviewed, in weeks, decided case by case."""

    @property
    def occurred_on(self) -> date:
        return self.held_on


class ParentalAgreement(Fact):
    """The outcome of seeking the parents' agreement to the direction (H.9)."""

    kind: Literal["parental_agreement"] = "parental_agreement"
    """The event kind: always `parental_agreement`."""
    id: FactId = ID_FIELD
    placement_id: FactId = PLACEMENT_ID
    recorded_on: date
    """The day the outcome was recorded."""
    outcome: Literal["agreed", "refused", "not_possible"]
    """agreed: the parents agreed to the direction; refused: they did not; not_possible: seeking
    their agreement was not possible (H.9 "where possible")."""
    review_arrangements_shared_with: Annotated[tuple[Informed, ...], Distinct] = ()
    """H.9: who has been told the timescales and responsibilities for reviewing the agreement."""

    @property
    def occurred_on(self) -> date:
        return self.recorded_on


class AgenciesNotified(Fact):
    """Other agencies working with the pupil told of the off-site referral (H.5)."""

    kind: Literal["agencies_notified"] = "agencies_notified"
    """The event kind: always `agencies_notified`."""
    id: FactId = ID_FIELD
    placement_id: FactId = PLACEMENT_ID
    notified_on: date
    """The day the agencies were told."""

    @property
    def occurred_on(self) -> date:
        return self.notified_on


class LaSenConsultation(Fact):
    """A local authority officer consulted before the direction was decided (H.6)."""

    kind: Literal["la_sen_consultation"] = "la_sen_consultation"
    """The event kind: always `la_sen_consultation`."""
    id: FactId = ID_FIELD
    placement_id: FactId = PLACEMENT_ID
    consulted_on: date
    """The day the officer was consulted."""
    officer_has_sen_expertise: bool
    """The officer has expertise in special educational needs (H.6)."""

    @property
    def occurred_on(self) -> date:
        return self.consulted_on


class SuitabilityCheck(TimedRecord):
    """The school's record of making sure the placement fits the pupil (H.6, H.7.ii, G.2)."""

    kind: Literal["suitability_check"] = "suitability_check"
    """The event kind: always `suitability_check`."""
    TIME_OF = ("checked_on", "checked_at")
    id: FactId = ID_FIELD
    placement_id: FactId = PLACEMENT_ID
    checked_on: date
    """The day the check was recorded."""
    checked_at: datetime | None = Field(
        default=None, examples=["2025-11-10T08:45:00+00:00", "2025-11-10T08:45:00"]
    )
    """The time, where recorded (it must fall on checked_on): on a placement's first day it shows
    whether this came before the pupil first attended."""
    addresses_sen: bool = False
    """H.6: the education or training addresses the pupil's special educational needs."""
    venue_appropriate: bool = False
    """H.6: the venue is appropriate to the pupil's needs."""
    accommodation_suitable: bool = False
    """H.6: the accommodation is suitable."""
    reasonable_adjustments_considered: bool = False
    """H.7.ii: reasonable adjustments for a disabled pupil were considered."""
    safeguarding_arrangements: bool = False
    """G.2: the safeguarding arrangements at the provision are suitable for the pupil (G.2
    asks this, `pastoral_support`, `health_and_safety` and `transport` all: the named term
    `arrangements_suitable`)."""
    pastoral_support: bool = False
    """G.2: the pastoral support at the provision is suitable for the pupil."""
    health_and_safety: bool = False
    """G.2: the health and safety arrangements at the provision are suitable."""
    transport: bool = False
    """G.2: the transport arrangements are suitable."""

    @property
    def occurred_on(self) -> date:
        return self.checked_on
