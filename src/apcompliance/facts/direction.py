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
    """The written notice of an off-site direction (H.2), to `recipients`.

    The contents H.2.i–vi (and H.3.i's "how it will be reviewed") are given when present.
    """

    kind: Literal["referral_notice"] = "referral_notice"
    id: FactId = ID_FIELD
    placement_id: FactId
    recipients: Annotated[tuple[NoticeRecipient, ...], Distinct, Flags("to_{}")] = Field(
        min_length=1
    )
    start_date: date | None = None
    provision_address: Annotated[str | None, GivenAs("gives_address")] = Field(
        default=None, min_length=1, max_length=400
    )
    """H.2.i (and H.2.iii): the address at which the provision is to be provided."""
    report_to: str | None = Field(default=None, min_length=1, max_length=200)
    """H.2.ii: who the pupil should report to on first attending."""
    number_of_days: int | None = Field(default=None, ge=1, le=400)
    """H.2.iv: the number of days for which the requirement is imposed."""
    reasons: str | None = Field(default=None, min_length=1, max_length=2000)
    objectives: str | None = Field(default=None, min_length=1, max_length=2000)
    session_times: SessionTimes | None = Field(default=None, discriminator="form")
    review_arrangements: str | None = Field(default=None, min_length=1, max_length=2000)
    """H.3.i: how the placement will be reviewed."""


class DirectionMeeting(TimedRecord):
    """The initial meeting with the pupil and parents once the direction is decided (H.8, H.10)."""

    kind: Literal["direction_meeting"] = "direction_meeting"
    TIME_OF = ("held_on", "held_at")
    id: FactId = ID_FIELD
    placement_id: FactId
    held_on: date
    held_at: datetime | None = None
    """The time, where recorded (it must fall on held_on): on a placement's first day it shows
    whether this came before the pupil first attended."""
    pupil_invited: bool
    parents_invited: bool
    reasons_explained: bool
    """H.8: a clear explanation of the reasons for the direction."""
    not_an_exclusion_explained: bool
    """H.2: made clear that the direction is not an exclusion."""
    support_responsibilities_set: bool
    """H.10: responsibilities for supporting the pupil."""
    agreement_review_timescales_set: bool
    """H.10: timescales for reviewing the alternative provision agreement."""
    review_interval_weeks: int | None = Field(default=None, ge=1, le=52)
    """H.3.iii: how often the placement will be reviewed, decided case by case."""

    @property
    def occurred_on(self) -> date:
        return self.held_on


class ParentalAgreement(Fact):
    """The outcome of seeking the parents' agreement to the direction (H.9)."""

    kind: Literal["parental_agreement"] = "parental_agreement"
    id: FactId = ID_FIELD
    placement_id: FactId
    recorded_on: date
    outcome: Literal["agreed", "refused", "not_possible"]
    review_arrangements_shared_with: Annotated[tuple[Informed, ...], Distinct] = ()
    """H.9: who has been told the timescales and responsibilities for reviewing the agreement."""

    @property
    def occurred_on(self) -> date:
        return self.recorded_on


class AgenciesNotified(Fact):
    """Other agencies working with the pupil told of the off-site referral (H.5)."""

    kind: Literal["agencies_notified"] = "agencies_notified"
    id: FactId = ID_FIELD
    placement_id: FactId
    notified_on: date

    @property
    def occurred_on(self) -> date:
        return self.notified_on


class LaSenConsultation(Fact):
    """A local authority officer consulted before the direction was decided (H.6)."""

    kind: Literal["la_sen_consultation"] = "la_sen_consultation"
    id: FactId = ID_FIELD
    placement_id: FactId
    consulted_on: date
    officer_has_sen_expertise: bool

    @property
    def occurred_on(self) -> date:
        return self.consulted_on


class SuitabilityCheck(TimedRecord):
    """The school's record of making sure the placement fits the pupil (H.6, H.7.ii, G.2)."""

    kind: Literal["suitability_check"] = "suitability_check"
    TIME_OF = ("checked_on", "checked_at")
    id: FactId = ID_FIELD
    placement_id: FactId
    checked_on: date
    checked_at: datetime | None = None
    """The time, where recorded (it must fall on checked_on): on a placement's first day it shows
    whether this came before the pupil first attended."""
    addresses_sen: bool = False
    venue_appropriate: bool = False
    accommodation_suitable: bool = False
    reasonable_adjustments_considered: bool = False
    safeguarding_arrangements: bool = False
    """G.2: the safeguarding, pastoral support, health and safety and transport arrangements
    at the provision are suitable for the pupil."""
    pastoral_support: bool = False
    health_and_safety: bool = False
    transport: bool = False

    @property
    def occurred_on(self) -> date:
        return self.checked_on
