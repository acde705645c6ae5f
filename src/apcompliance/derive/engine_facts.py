"""The flat facts the rules speak about: the vocabulary of `rules/*.yaml` conditions.

Derive builds these from a case; the rule loader checks every field a rule names against
them; the engine receives them as JSON (dates as ordinals, `None` fields left out).
"""

from __future__ import annotations

import functools
from collections.abc import Container
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from apcompliance.facts.placement import AttendanceCode, PlacementKind
from apcompliance.facts.provider import ProviderKind

EPOCH = datetime(1970, 1, 1)


class Unrecorded:
    """Field metadata: where the field is None, the case does not record a value it should,
    so a condition on it is unknown (the finding asks for it), not false. Without it, None
    means there is none (an open-ended placement has no end date)."""

    def __repr__(self) -> str:
        return "UNRECORDED"


UNRECORDED = Unrecorded()

DerivedKind = Literal["presence", "aggregate", "decision"]


class Derived:
    """Field metadata: derive computes this value rather than copying it from the case.

    `kind` says what sort of computation it is (the census of the rule language,
    `python -m benchmarks.rule_language_census`, reads these marks):

    * `presence`: whether the case records a value, or an item in a recorded list (a notice
      gives a start date; the parents attended). A recorded fact, not a decision.
    * `aggregate`: computed over other facts, the calendar or the evaluation date in a way
      the condition language cannot express (a link, a count, "the previous update").
    * `decision`: Python deciding what a clause's words mean; the goal is none (a named term
      in rules/terms.yaml decides instead).

    `why` says what the value stands for and why Python computes it."""

    def __init__(self, kind: DerivedKind, why: str) -> None:
        self.kind, self.why = kind, why

    def __repr__(self) -> str:
        return f"Derived({self.kind!r}, {self.why!r})"


def presence(why: str) -> Derived:
    return Derived("presence", why)


def aggregate(why: str) -> Derived:
    return Derived("aggregate", why)


def decision(why: str) -> Derived:
    return Derived("decision", why)


class EngineFact(BaseModel):
    """A derived fact. `type_name` is its `t` in the engine; `id` is unique within a case."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    type_name: ClassVar[str]
    id: str

    @classmethod
    @functools.cache
    def derived_fields(cls) -> dict[str, Derived]:
        """The fields marked `Derived`, with their marks."""
        return {
            name: mark
            for name, info in cls.model_fields.items()
            for mark in info.metadata
            if isinstance(mark, Derived)
        }

    @classmethod
    @functools.cache
    def unrecorded_fields(cls) -> frozenset[str]:
        """The fields marked `Unrecorded`: None there is unknown, not none."""
        return frozenset(
            name
            for name, info in cls.model_fields.items()
            if any(isinstance(m, Unrecorded) for m in info.metadata)
        )

    def to_engine(self, only: Container[str] | None = None) -> dict[str, Any]:
        """JSON-ready dict: dates become day ordinals, datetimes minutes since 1970. `only`:
        the fields to give (the others are left out), e.g. those the rules read."""
        out: dict[str, Any] = {"t": self.type_name}
        for name, value in self.__dict__.items():
            if value is None or isinstance(value, tuple) or (only is not None and name not in only):
                continue
            if isinstance(value, datetime):
                value = int((value.replace(tzinfo=None) - EPOCH).total_seconds() // 60)
            elif isinstance(value, date):
                value = value.toordinal()
            out[name] = value
        return out


class PupilFact(EngineFact):
    """The pupil (one per case)."""

    type_name: ClassVar[str] = "pupil"
    year_group: int
    looked_after: bool
    ehc_plan: bool
    send: bool
    semh_needs: bool
    disabled: bool
    pastoral_support_programme: bool
    social_worker: bool
    other_agencies_involved: Annotated[
        bool, presence("another agency is recorded as working with the pupil or family")
    ]
    fsm_eligible: bool
    registered_at_school: bool


class ProviderFact(EngineFact):
    """A provider the school commissions."""

    type_name: ClassVar[str] = "provider"
    kind: ProviderKind
    school: bool
    """A school, at which a pupil can be dual registered (a PRU, academy, special school…)."""
    registered: bool
    on_la_approved_list: bool | None
    approved: Literal["yes", "no", "unknown"]
    """On the local authority's approved list of unregistered providers (K.3)."""
    address_recorded: Annotated[bool, presence("an address of the provider is recorded")]
    """At least one address of the provider is recorded (G.2.4)."""


class ExclusionFact(EngineFact):
    """One period of exclusion: a run of back-to-back suspensions (policy I.4), or a
    permanent exclusion. Its id is its first event's id."""

    type_name: ClassVar[str] = "exclusion"
    permanent: Annotated[
        bool,
        presence(
            "the period is a permanent exclusion, not suspensions (the kind of event recorded)"
        ),
    ]
    first_day: date
    last_day: date | None
    """The last school day of a suspension period; None for a permanent exclusion."""
    school_days: int | None
    """School days excluded, summed over the period's suspensions; None when permanent."""
    suspensions: int
    events: tuple[str, ...]
    pupil_year_group: Annotated[
        int, aggregate("the pupil's year group, carried on the exclusion (a link)")
    ]
    public_exams_left: Literal["yes", "no", "unknown"]
    """Whether the pupil has a public examination still to sit on or after `first_day`."""
    first_provision_on: Annotated[
        date | None,
        aggregate("the earliest start of the placements for this exclusion (a link)"),
    ]
    """The first day of the earliest placement provided for this exclusion, if any."""
    suspension_days_in_school_year: int
    """School days of suspension in the school year of this period, up to and including it."""


class PlacementFact(EngineFact):
    """A placement, linked to the exclusion it provides for (if any)."""

    type_name: ClassVar[str] = "placement"
    kind: PlacementKind
    full_time: bool
    start_date: date
    end_date: date | None
    start_at: datetime
    """When provision starts, per the `provision_starts_at` switch."""
    exclusion: str | None
    short_notice_consent: Annotated[
        bool,
        aggregate(
            "a short-notice consent about the placement given on or before "
            "its start (a link to other events)"
        ),
    ]
    consent_ids: tuple[str, ...]
    provider: str | None
    provider_kind: ProviderKind | None
    """The kind of the placement's provider, where it names one the case records."""
    arranged_on: date | None
    arranged_by: Literal["school", "local_authority"]
    pupil_aged_18_or_over: Literal["yes", "no", "unknown"]
    """On the first day of provision; unknown without a date of birth."""
    session_form: str | None
    dual_registered_on: date | None
    attendance_code: AttendanceCode | None
    review_interval_weeks: int | None
    """How often the placement is to be reviewed, as set at the latest initial meeting (H.3.iii)."""
    parental_agreement: Literal["agreed", "refused", "not_possible", "not_recorded"]
    """The latest recorded outcome of seeking the parents' agreement (H.9)."""
    agreed_on: date | None
    """The day the parents' current agreement was recorded (the first of a run of "agreed"
    records not broken by a refusal)."""
    formal_reviews_without_improvement: int
    """Formal review meetings held since the latest satisfactory progress record, while the
    latest progress record is unsatisfactory (H.4)."""
    sessions_per_week: int | None
    provider_full_time_pupils_with_this: Annotated[int | None, UNRECORDED]
    """The provider's other full-time pupils of compulsory school age, plus this pupil if the
    placement is full time and the pupil is of compulsory school age."""
    concurrent_from: date | None
    """The first day on which another of the pupil's placements runs alongside this one."""
    return_planned: Annotated[
        bool,
        aggregate("a return to school from the placement is recorded (a link to other events)"),
    ]
    """A return to school from this placement is recorded (planned or done)."""
    school_year_ends_on: date | None
    """The last school day of the school year the placement starts in (None where the
    calendar does not reach it)."""


class NoticeFact(EngineFact):
    """A notice to parents about an exclusion, with the AP details it gives (I.1.i–iv)."""

    type_name: ClassVar[str] = "notice"
    exclusion: str
    sent_at: datetime
    sent_on: date
    in_writing: bool
    method: str
    gives_start_date: Annotated[bool, presence("the notice records a start date")]
    gives_session_times: Annotated[bool, presence("the notice records session times")]
    gives_address: Annotated[bool, presence("the notice records an address")]
    gives_report_to: Annotated[bool, presence("the notice records whom to report to")]


class PlacementEventFact(EngineFact):
    """An event about one placement (section H): `placement` is its id."""

    placement: str


class ReferralNoticeFact(PlacementEventFact):
    """A referral notice of an off-site direction (H.2), with the contents it gives."""

    type_name: ClassVar[str] = "referral_notice"
    sent_at: datetime
    sent_on: date
    given_on: date
    """The school day the notice counts as given on when counting school days: the day it was
    sent, or for a notice sent on a non-school day the previous school day (clear-days reading)
    or the next (plain reading). A notice sent before the calendar begins keeps its date."""
    in_writing: bool
    to_parents: Annotated[bool, presence("the notice is addressed to the parents")]
    to_pupil: Annotated[bool, presence("the notice is addressed to the pupil")]
    to_local_authority: Annotated[bool, presence("the notice is addressed to the local authority")]
    gives_start_date: Annotated[bool, presence("the notice records a start date")]
    gives_address: Annotated[bool, presence("the notice records an address")]
    gives_report_to: Annotated[bool, presence("the notice records whom to report to")]
    gives_number_of_days: Annotated[bool, presence("the notice records the number of days")]
    gives_reasons: Annotated[bool, presence("the notice records the reasons")]
    gives_objectives: Annotated[bool, presence("the notice records the objectives")]
    session_times_form: str | None
    """The form of the session times the notice gives (two sessions or one), if it gives any."""
    placement_session_form: Annotated[
        str | None, aggregate("the form the placement's sessions take, where known (a link)")
    ]
    gives_review_arrangements: Annotated[
        bool, presence("the notice records the review arrangements")
    ]


class DirectionMeetingFact(PlacementEventFact):
    """The initial meeting with the pupil and parents (H.8, H.10)."""

    type_name: ClassVar[str] = "direction_meeting"
    held_on: date
    pupil_invited: bool
    parents_invited: bool
    reasons_explained: bool
    not_an_exclusion_explained: bool
    support_responsibilities_set: bool
    agreement_review_timescales_set: bool
    sets_review_interval: Annotated[bool, presence("the meeting records a review interval")]


class ParentalAgreementFact(PlacementEventFact):
    """A record of seeking the parents' agreement (H.9)."""

    type_name: ClassVar[str] = "parental_agreement"
    recorded_on: date
    outcome: str
    shared_with_parents: Annotated[bool, presence("the arrangements shared with the parents")]
    shared_with_pupil: Annotated[bool, presence("the arrangements shared with the pupil")]
    shared_with_provider: Annotated[bool, presence("the arrangements shared with the provider")]


class AgenciesNotifiedFact(PlacementEventFact):
    """Other agencies told of the referral (H.5)."""

    type_name: ClassVar[str] = "agencies_notified"
    notified_on: date


class LaSenConsultationFact(PlacementEventFact):
    """A local authority officer consulted before the direction (H.6)."""

    type_name: ClassVar[str] = "la_sen_consultation"
    consulted_on: date
    officer_has_sen_expertise: bool


class SuitabilityCheckFact(PlacementEventFact):
    """The school's record that the placement fits the pupil (H.6, H.7.ii)."""

    type_name: ClassVar[str] = "suitability_check"
    checked_on: date
    addresses_sen: bool
    venue_appropriate: bool
    accommodation_suitable: bool
    reasonable_adjustments_considered: bool
    safeguarding_arrangements: bool
    pastoral_support: bool
    health_and_safety: bool
    transport: bool


class PlacementReviewFact(PlacementEventFact):
    """A review of a placement (H.3, H.4)."""

    type_name: ClassVar[str] = "placement_review"
    held_on: date
    meeting: bool
    formal: bool
    parents_consulted: bool
    commissioner_attended: Annotated[bool, presence("the commissioner is among the attendees")]
    pupil_attended: Annotated[bool, presence("the pupil is among the attendees")]
    parents_attended: Annotated[bool, presence("the parents is among the attendees")]
    provider_attended: Annotated[bool, presence("the provider is among the attendees")]
    headteacher_attended: Annotated[bool, presence("the headteacher is among the attendees")]
    ap_lead_attended: Annotated[bool, presence("the ap lead is among the attendees")]
    covers_length_of_placement: Annotated[
        bool, presence("the review covered the length of placement")
    ]
    covers_reintegration_plan: Annotated[
        bool, presence("the review covered the reintegration plan")
    ]
    covers_parental_agreement: Annotated[
        bool, presence("the review covered the parental agreement")
    ]
    covers_safeguarding: Annotated[bool, presence("the review covered the safeguarding")]


class ReviewRequestFact(PlacementEventFact):
    """A request for a review meeting (H.3.iv)."""

    type_name: ClassVar[str] = "review_request"
    requested_on: date
    by: str
    in_writing: bool
    meeting_in_previous_ten_weeks: Annotated[
        bool,
        aggregate(
            "a review meeting of the placement was held in the ten weeks "
            "before the request (an existence over other facts)"
        ),
    ]
    """A review meeting of the placement was held in the ten weeks before the request."""


class ProgressRecordFact(PlacementEventFact):
    """A judgement of the pupil's progress at a placement (H.4)."""

    type_name: ClassVar[str] = "progress_record"
    recorded_on: date
    satisfactory: Annotated[bool, presence("the recorded progress is 'satisfactory'")]


class BehaviourConcernFact(EngineFact):
    """A concern about behaviour or risk of exclusion (L.1)."""

    type_name: ClassVar[str] = "behaviour_concern"
    recorded_on: date
    concern: str


class InterventionFact(EngineFact):
    """An intervention tried within the school (H.1)."""

    type_name: ClassVar[str] = "intervention"
    started_on: date
    intervention: str


class NeedsConsiderationFact(EngineFact):
    """Senior staff considering additional support or placement (L.1, H.6)."""

    type_name: ClassVar[str] = "needs_consideration"
    considered_on: date
    by_headteacher: Annotated[bool, presence("the headteacher is among those who considered it")]
    by_dsl: Annotated[bool, presence("the dsl is among those who considered it")]
    by_senco: Annotated[bool, presence("the senco is among those who considered it")]


class NeedsAssessmentFact(EngineFact):
    """An assessment of the pupil's needs (L.2)."""

    type_name: ClassVar[str] = "needs_assessment"
    assessed_on: date


class ProviderCheckFact(EngineFact):
    """A check of a provider or an assurance it gave."""

    type_name: ClassVar[str] = "provider_check"
    provider: str
    checked_on: date
    check: str
    in_writing: bool


class InformationSharedFact(PlacementEventFact):
    """Information the school gave a provider."""

    type_name: ClassVar[str] = "information_shared"
    shared_on: date
    attainment_data: Annotated[bool, presence("an item among those shared")]
    send_details: Annotated[bool, presence("an item among those shared")]
    semh_details: Annotated[bool, presence("an item among those shared")]
    objectives: Annotated[bool, presence("an item among those shared")]
    safeguarding_chronology: Annotated[bool, presence("an item among those shared")]
    other_providers: Annotated[bool, presence("an item among those shared")]
    child_protection_policy: Annotated[bool, presence("an item among those shared")]
    additional_risk_of_harm: Annotated[bool, presence("an item among those shared")]
    raise_concerns_with_dsl: Annotated[bool, presence("an item among those shared")]


class LearningPlanFact(PlacementEventFact):
    """A personalised learning plan and what it sets out."""

    type_name: ClassVar[str] = "learning_plan"
    agreed_on: date
    objectives: Annotated[bool, presence("a part the plan includes")]
    timeframes: Annotated[bool, presence("a part the plan includes")]
    transition_arrangements: Annotated[bool, presence("a part the plan includes")]
    assessment_arrangements: Annotated[bool, presence("a part the plan includes")]
    baseline: Annotated[bool, presence("a part the plan includes")]
    ehc_plan_link: Annotated[bool, presence("a part the plan includes")]
    qualifications: Annotated[bool, presence("a part the plan includes")]
    pupil_involved: bool
    pupil_told_reasons_and_outcome: bool


class VisitFact(PlacementEventFact):
    """A visit to, or meeting at, the provision."""

    type_name: ClassVar[str] = "visit"
    visited_on: date
    form: str
    by: str


class FsmArrangementFact(PlacementEventFact):
    """Free school meals arranged for a placement."""

    type_name: ClassVar[str] = "fsm_arrangement"
    arranged_on: date
    provision: str


class AbsenceFact(PlacementEventFact):
    """A day absent from the provision."""

    type_name: ClassVar[str] = "absence"
    absent_on: date
    provider_reported_on: date | None
    parents_contacted_on: date | None


class AttendanceUpdateFact(PlacementEventFact):
    """The attendance record brought up to date."""

    type_name: ClassVar[str] = "attendance_update"
    updated_on: date
    shared_with_ap_lead: Annotated[bool, presence("shared with the AP lead")]
    shared_with_headteacher: Annotated[bool, presence("shared with the headteacher")]
    attendance_percent: float
    previous_attendance_percent: Annotated[
        float | None,
        aggregate("the previous update's attendance about the same placement, if any"),
    ]
    attendance_target_percent: float
    """The school's attendance target (the `attendance_target_percent` switch)."""


class AttendanceInterventionFact(PlacementEventFact):
    """An attendance intervention."""

    type_name: ClassVar[str] = "attendance_intervention"
    started_on: date


class ProviderReportFact(PlacementEventFact):
    """A provider's report."""

    type_name: ClassVar[str] = "provider_report"
    received_on: date
    covers_progress: Annotated[bool, presence("the report covers progress")]
    covers_behaviour: Annotated[bool, presence("the report covers behaviour")]
    covers_welfare: Annotated[bool, presence("the report covers welfare")]


class SeriousIncidentFact(PlacementEventFact):
    """A serious behaviour incident."""

    type_name: ClassVar[str] = "serious_incident"
    occurred_on: date
    school_informed_on: date | None
    action_decided_on: date | None
    decided_with_slt: Annotated[bool, presence("the action decided with the SLT")]
    decided_with_headteacher: Annotated[bool, presence("the action decided with the headteacher")]


class SafeguardingConcernFact(PlacementEventFact):
    """A safeguarding concern."""

    type_name: ClassVar[str] = "safeguarding_concern"
    raised_on: date
    resolved_on: date | None
    resolved: Annotated[
        bool, aggregate("resolved on or before the evaluation date, which conditions cannot read")
    ]
    """Resolved on or before the evaluation date."""
    raised: Annotated[
        bool, aggregate("raised on or before the evaluation date, which conditions cannot read")
    ]
    """Raised on or before the evaluation date (a concern dated later is not yet known)."""


class EhcPlanReviewFact(PlacementEventFact):
    """A review of the pupil's EHC plan held while a placement ran (one fact per placement)."""

    type_name: ClassVar[str] = "ehc_plan_review"
    held_on: date
    provider_contributed: Annotated[
        bool, presence("the placement's provider is among the review's contributors")
    ]
    """The placement's provider attended or sent a written report."""


class ReturnToSchoolFact(PlacementEventFact):
    """A return to school from a placement (Q)."""

    type_name: ClassVar[str] = "return_to_school"
    returns_on: date


class ReintegrationPlanFact(PlacementEventFact):
    """A reintegration plan (Q.1)."""

    type_name: ClassVar[str] = "reintegration_plan"
    agreed_on: date
    developed_with_provider: bool


class FinalReportFact(PlacementEventFact):
    """A final report (Q.2)."""

    type_name: ClassVar[str] = "final_report"
    received_on: date
    covers_attainment_and_progress: Annotated[bool, presence("covers attainment and progress")]
    covers_attendance: Annotated[bool, presence("covers attendance")]
    covers_behaviour_change: Annotated[bool, presence("covers evidence of a change in behaviour")]


class PupilViewsFact(PlacementEventFact):
    """The pupil's views heard (Q.3)."""

    type_name: ClassVar[str] = "pupil_views"
    heard_on: date
    by_headteacher: bool


class ReintegrationMeetingFact(PlacementEventFact):
    """A reintegration meeting (Q.5)."""

    type_name: ClassVar[str] = "reintegration_meeting"
    held_on: date
    strategy_communicated: bool
    parents_attended: bool


class PlacementRecordFact(PlacementEventFact):
    """The record of a placement once it ends (E.7, Q.9)."""

    type_name: ClassVar[str] = "placement_record"
    recorded_on: date
    records_progress: Annotated[bool, presence("the record includes progress")]
    records_achievements: Annotated[bool, presence("the record includes achievements")]
    records_pupil_assessment: Annotated[
        bool, presence("the record includes the pupil's own assessment")
    ]
    destination: Annotated[bool, presence("the record includes the destination")]


class LaContactedFact(PlacementEventFact):
    """The LA contacted about a placement (J.5)."""

    type_name: ClassVar[str] = "la_contacted"
    contacted_on: date


class PartTimeTimetableFact(EngineFact):
    """A part-time timetable (Q.7)."""

    type_name: ClassVar[str] = "part_time_timetable"
    starts_on: date
    ends_on: date | None
    reason: str
    review_every_weeks: int | None
    absence_code: str | None


class TimetableReviewFact(EngineFact):
    """A review of a part-time timetable (Q.7)."""

    type_name: ClassVar[str] = "timetable_review"
    timetable: str
    reviewed_on: date
    with_pupil_and_parents: bool


class PolicyFact(EngineFact):
    """The policy itself (sections B, R): only in a review of the policy, never in a case."""

    type_name: ClassVar[str] = "policy"
    last_reviewed_on: date | None
    next_review_opens: date | None
    """The day after the last formal review."""
    next_review_due: date | None
    """Three years after the last formal review (R.1)."""


class PolicyReviewFact(EngineFact):
    """A formal review of the policy (R.1)."""

    type_name: ClassVar[str] = "policy_review"
    reviewed_on: date


class ExclusionNotificationFact(EngineFact):
    """An exclusion notified to the LA, social worker or virtual school head."""

    type_name: ClassVar[str] = "exclusion_notification"
    exclusion: str
    notified_on: date
    to: str


class WorkSetFact(EngineFact):
    """Work set during an exclusion (I.7)."""

    type_name: ClassVar[str] = "work_set"
    exclusion: str
    set_on: date
    marked_on: date | None


class PepRecordFact(EngineFact):
    """A PEP entry about an exclusion's provision (I.5)."""

    type_name: ClassVar[str] = "pep_record"
    exclusion: str
    recorded_on: date
    records_immediate_provision: bool


FACT_TYPES: dict[str, type[EngineFact]] = {
    cls.type_name: cls
    for cls in (
        PupilFact,
        ProviderFact,
        ExclusionFact,
        PlacementFact,
        NoticeFact,
        WorkSetFact,
        PepRecordFact,
        ReferralNoticeFact,
        DirectionMeetingFact,
        ParentalAgreementFact,
        AgenciesNotifiedFact,
        LaSenConsultationFact,
        SuitabilityCheckFact,
        PlacementReviewFact,
        ReviewRequestFact,
        ProgressRecordFact,
        BehaviourConcernFact,
        InterventionFact,
        NeedsConsiderationFact,
        NeedsAssessmentFact,
        ProviderCheckFact,
        InformationSharedFact,
        LearningPlanFact,
        VisitFact,
        FsmArrangementFact,
        AbsenceFact,
        AttendanceUpdateFact,
        AttendanceInterventionFact,
        ProviderReportFact,
        SeriousIncidentFact,
        SafeguardingConcernFact,
        EhcPlanReviewFact,
        ReturnToSchoolFact,
        ReintegrationPlanFact,
        FinalReportFact,
        PupilViewsFact,
        ReintegrationMeetingFact,
        PlacementRecordFact,
        LaContactedFact,
        PartTimeTimetableFact,
        TimetableReviewFact,
        PolicyFact,
        PolicyReviewFact,
        ExclusionNotificationFact,
    )
}
