"""Dated events in a pupil's history, a discriminated union on `kind`.

Each event kind is one class; add a kind by adding a class to `Event`. Times without a
timezone are the school's local time (Europe/London).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from apcompliance.facts._base import EXCLUSION_ID, ID_FIELD, PLACEMENT_ID, Fact, FactId, GivenAs
from apcompliance.facts.commissioning import (
    FsmArrangement,
    InformationShared,
    LearningPlan,
    ProviderCheck,
    Visit,
)
from apcompliance.facts.direction import (
    AgenciesNotified,
    DirectionMeeting,
    LaSenConsultation,
    ParentalAgreement,
    ReferralNotice,
    SuitabilityCheck,
)
from apcompliance.facts.monitoring import (
    Absence,
    AttendanceIntervention,
    AttendanceUpdate,
    EhcPlanReview,
    ProviderReport,
    SafeguardingConcern,
    SeriousIncident,
)
from apcompliance.facts.needs import (
    BehaviourConcern,
    Intervention,
    NeedsAssessment,
    NeedsConsideration,
)
from apcompliance.facts.notices import SentNotice
from apcompliance.facts.placement import SessionTimes
from apcompliance.facts.reintegration import (
    FinalReport,
    LaContacted,
    NotPossible,
    PartTimeTimetable,
    PlacementRecord,
    PupilViews,
    ReintegrationMeeting,
    ReintegrationPlan,
    ReintegrationReview,
    ReturnToSchool,
    TimetableReview,
)
from apcompliance.facts.reviews import PlacementReview, ProgressRecord, ReviewRequest

Session = Literal["AM", "PM"]
"""A half of a school day: the morning (AM) or the afternoon (PM) session."""


class Suspension(Fact):
    """A fixed-period exclusion (suspension) from `first_day`, for a number of whole school
    days (`school_days`) or of sessions, half days (`sessions`, from `first_session`), as
    school systems and the school census record it: exactly one of the two.

    Three sessions from a Monday afternoon are Monday PM, Tuesday AM and Tuesday PM; the
    suspension's school days are the days it touches (Monday and Tuesday), and it ends at
    lunchtime where its last session is a morning (docs/suspensions.md)."""

    kind: Literal["suspension"] = "suspension"
    """The event kind: always `suspension`."""
    id: FactId = ID_FIELD
    first_day: date
    """The first school day of the suspension (the day of its first session)."""
    school_days: int | None = Field(default=None, ge=1, le=45)
    """Its length in whole school days, from the morning of `first_day`. Give this or
    `sessions`, not both."""
    sessions: int | None = Field(default=None, ge=1, le=90)
    """Its length in sessions (half days: a morning or an afternoon), from `first_session` of
    `first_day`, as the school census records it (5 days = 10 sessions). Give this or
    `school_days`, not both."""
    first_session: Session | None = None
    """With `sessions`: the session it starts with, `AM` or `PM` (not recorded: `AM`)."""

    @model_validator(mode="after")
    def _one_length(self) -> Suspension:
        if self.school_days is None and self.sessions is None:
            raise ValueError(
                "school_days or sessions is required: the suspension's length in whole school "
                "days or in sessions (half days)"
            )
        if self.school_days is not None and self.sessions is not None:
            raise ValueError("school_days and sessions are both given: give one of them")
        if self.school_days is not None and self.first_session == "PM":
            raise ValueError(
                "first_session PM needs sessions: school_days are whole days from the "
                "morning; give the length in sessions"
            )
        return self

    @property
    def occurred_on(self) -> date:
        return self.first_day

    @property
    def starts_in_afternoon(self) -> bool:
        """Its first session is the afternoon of `first_day`."""
        return self.first_session == "PM"

    @property
    def session_count(self) -> int:
        """Its length in sessions (a whole school day is two)."""
        return self.sessions if self.sessions is not None else 2 * (self.school_days or 0)


class LunchtimeExclusion(Fact):
    """An exclusion from the school premises for the lunchtime period (a suspension for the
    lunchtime only), on `lunchtimes` consecutive school days from `first_day`. Each counts as
    half a school day towards the 45 school days of suspension a school year allows; it never
    starts or lengthens a period of exclusion (the sixth-day duty, I.1, I.4)."""

    kind: Literal["lunchtime_exclusion"] = "lunchtime_exclusion"
    """The event kind: always `lunchtime_exclusion`."""
    id: FactId = ID_FIELD
    first_day: date
    """The school day of the (first) lunchtime."""
    lunchtimes: int = Field(default=1, ge=1, le=90)
    """How many lunchtimes, on consecutive school days from `first_day` (default one)."""

    @property
    def occurred_on(self) -> date:
        return self.first_day


class PermanentExclusion(Fact):
    """A permanent exclusion taking effect on `first_day`."""

    kind: Literal["permanent_exclusion"] = "permanent_exclusion"
    """The event kind: always `permanent_exclusion`."""
    id: FactId = ID_FIELD
    first_day: date
    """The first school day the permanent exclusion takes effect (the pupil is excluded from it
    on)."""
    on_new_school_roll_from: date | None = None
    """The day the pupil is on a new school's roll, where known: the local authority's
    provision (I.5) is due until the school day before. Not recorded: not yet on a new roll."""

    @model_validator(mode="after")
    def _roll_after_exclusion(self) -> PermanentExclusion:
        joined = self.on_new_school_roll_from
        if joined is not None and joined <= self.first_day:
            raise ValueError("on_new_school_roll_from must be after first_day")
        return self

    @property
    def occurred_on(self) -> date:
        return self.first_day


class ExclusionNotice(SentNotice):
    """A notice to the parents about a suspension or permanent exclusion (`about`).

    The four alternative-provision details (policy I.1.i–iv) are given when present.
    """

    kind: Literal["exclusion_notice"] = "exclusion_notice"
    """The event kind: always `exclusion_notice`."""
    id: FactId = ID_FIELD
    about: FactId = EXCLUSION_ID
    provision_start_date: date | None = None
    """I.1.i: the day the alternative provision starts, as the notice gives it (compared with the
    placement's `start_date`). Not recorded: the notice does not give it."""
    session_times: SessionTimes | None = Field(default=None, discriminator="form")
    """I.1.ii: the provision's session times, as the notice gives them (compared with the
    placement's `session_times`)."""
    provision_address: Annotated[str | None, GivenAs("gives_address")] = Field(
        default=None, min_length=1, max_length=400
    )
    """I.1.iii: the address at which the provision will take place, as the notice gives it to the
    parents. It must match the placement's `address` (compared ignoring case, spaces and
    punctuation); the provider's `addresses` are where it teaches, not what the parents were
    told. Free text: only whether it is given, and a key for the comparison, reach the rules."""
    report_to: str | None = Field(default=None, min_length=1, max_length=200)
    """I.1.iv: who the pupil reports to on the first day, as the notice gives it (compared with the
    placement's `report_to`). Free text: only whether it is given, and a key for the
    comparison, reach the rules."""


class ExclusionNotification(Fact):
    """A suspension or permanent exclusion notified to the local authority, the pupil's social
    worker or the virtual school head (the law asks this; the policy does not: see the
    statutory duties, rules/I-statutory-duties.yaml)."""

    kind: Literal["exclusion_notification"] = "exclusion_notification"
    """The event kind: always `exclusion_notification`."""
    id: FactId = ID_FIELD
    about: FactId = EXCLUSION_ID
    notified_on: date
    """The day they were told."""
    to: Literal["local_authority", "social_worker", "virtual_school_head"]
    """Who was told: the local authority (of every suspension and permanent exclusion), the pupil's
    social worker (only for a pupil who has one: `pupil.social_worker`) or the virtual school
    head (a looked-after pupil). One event for each."""

    @property
    def occurred_on(self) -> date:
        return self.notified_on


class ShortNoticeConsent(Fact):
    """The parents' consent to less than 48 hours' notice of provision (policy I.2)."""

    kind: Literal["short_notice_consent"] = "short_notice_consent"
    """The event kind: always `short_notice_consent`."""
    id: FactId = ID_FIELD
    placement_id: FactId = PLACEMENT_ID
    given_on: date
    """The day the parents consented."""

    @property
    def occurred_on(self) -> date:
        return self.given_on


class WorkSet(Fact):
    """Work set for the pupil during an exclusion (`about`), and when it was marked (I.7)."""

    kind: Literal["work_set"] = "work_set"
    """The event kind: always `work_set`."""
    id: FactId = ID_FIELD
    about: FactId = EXCLUSION_ID
    set_on: date
    """The day the work was set (given to the pupil)."""
    set_for_until: date | None = None
    """The last day the work is set for, where it is set for more days than the one it is
    set on (a week's work set on a Monday: that Friday). Not recorded: the day it is set."""
    marked_on: date | None = None
    """The day the work was marked (I.7). Not recorded: not yet marked. Never before
    `set_on` (work cannot be marked before it is set: an error, never "met")."""

    @model_validator(mode="after")
    def _marked_after_set(self) -> WorkSet:
        if self.marked_on is not None and self.marked_on < self.set_on:
            raise ValueError("marked_on is before set_on")
        if self.set_for_until is not None and self.set_for_until < self.set_on:
            raise ValueError("set_for_until is before set_on")
        return self

    @property
    def occurred_on(self) -> date:
        return self.set_on


class PepRecord(Fact):
    """An entry in a looked-after pupil's personal education plan (PEP) about provision (I.5)."""

    kind: Literal["pep_record"] = "pep_record"
    """The event kind: always `pep_record`."""
    id: FactId = ID_FIELD
    about: FactId = EXCLUSION_ID
    recorded_on: date
    """The day the entry was made in the PEP."""
    records_immediate_provision: bool
    """The entry documents the immediate suitable education the pupil received after the exclusion
    (I.5)."""

    @property
    def occurred_on(self) -> date:
        return self.recorded_on


Event = Annotated[
    Suspension
    | LunchtimeExclusion
    | PermanentExclusion
    | ExclusionNotice
    | ExclusionNotification
    | ShortNoticeConsent
    | WorkSet
    | PepRecord
    | ReferralNotice
    | DirectionMeeting
    | ParentalAgreement
    | AgenciesNotified
    | LaSenConsultation
    | SuitabilityCheck
    | PlacementReview
    | ReviewRequest
    | ProgressRecord
    | BehaviourConcern
    | Intervention
    | NeedsConsideration
    | NeedsAssessment
    | ProviderCheck
    | InformationShared
    | LearningPlan
    | Visit
    | FsmArrangement
    | Absence
    | AttendanceUpdate
    | AttendanceIntervention
    | ProviderReport
    | SeriousIncident
    | SafeguardingConcern
    | EhcPlanReview
    | ReturnToSchool
    | ReintegrationPlan
    | FinalReport
    | PupilViews
    | ReintegrationMeeting
    | NotPossible
    | ReintegrationReview
    | PlacementRecord
    | LaContacted
    | PartTimeTimetable
    | TimetableReview,
    Field(discriminator="kind"),
]
"""Every event kind: exclusions and their notices (section I), the events of an off-site
direction (H), reviews (H.3, H.4), the pupil's needs (H.1, L), commissioning a placement (C, F,
G, K, M, P), monitoring it (G, N, O), and returning to school (Q, E.7, J.5)."""
EXCLUSION_KINDS: frozenset[str] = frozenset({"suspension", "permanent_exclusion"})
