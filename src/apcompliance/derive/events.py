"""Event facts: each event of a case as the flat fact its rules compare.

Only whether a free-text item is given enters the engine, never the text itself.
"""

from __future__ import annotations

from datetime import date, timedelta

from apcompliance.calendar import SchoolCalendar
from apcompliance.clock import local
from apcompliance.derive.engine_facts import (
    AgenciesNotifiedFact,
    BehaviourConcernFact,
    DirectionMeetingFact,
    EngineFact,
    ExclusionFact,
    InterventionFact,
    LaSenConsultationFact,
    NeedsAssessmentFact,
    NeedsConsiderationFact,
    NoticeFact,
    ParentalAgreementFact,
    PepRecordFact,
    PlacementReviewFact,
    ProgressRecordFact,
    ReferralNoticeFact,
    ReviewRequestFact,
    SuitabilityCheckFact,
    WorkSetFact,
)
from apcompliance.derive.exclusions import naming_case
from apcompliance.derive.placements import events_about
from apcompliance.errors import CalendarError
from apcompliance.facts import (
    AgenciesNotified,
    BehaviourConcern,
    Case,
    DirectionMeeting,
    Event,
    ExclusionNotice,
    Intervention,
    LaSenConsultation,
    NeedsAssessment,
    NeedsConsideration,
    ParentalAgreement,
    PepRecord,
    Placement,
    PlacementReview,
    ProgressRecord,
    ReferralNotice,
    ReviewRequest,
    SuitabilityCheck,
    WorkSet,
)
from apcompliance.settings import PolicySettings

TEN_WEEKS = timedelta(weeks=10)
"""SI 2010/1156 reg 4A: no further meeting is required where one was held in the 10 weeks
before a written request."""


def given_on(sent_on: date, calendar: SchoolCalendar, clear_days: bool) -> date:
    """The school day a notice counts as given on (see ReferralNoticeFact.given_on)."""
    if sent_on < calendar.first_day or calendar.is_school_day(sent_on):
        return sent_on
    try:
        if clear_days:
            return calendar.previous_school_day(sent_on)
        return calendar.next_school_day(sent_on)
    except CalendarError:  # no school day before (or after) it in the calendar
        return sent_on


def _referral_notice(
    event: ReferralNotice, placement: Placement, calendar: SchoolCalendar, clear_days: bool
) -> ReferralNoticeFact:
    sent = local(event.sent_at)
    form = placement.session_times.form if placement.session_times else None
    times = event.session_times
    return ReferralNoticeFact(
        id=event.id,
        placement=event.placement_id,
        sent_at=sent,
        sent_on=sent.date(),
        given_on=given_on(sent.date(), calendar, clear_days),
        in_writing=event.in_writing,
        to_parents="parents" in event.recipients,
        to_pupil="pupil" in event.recipients,
        to_local_authority="local_authority" in event.recipients,
        gives_start_date=event.start_date is not None,
        gives_address=event.provision_address is not None,
        gives_report_to=event.report_to is not None,
        gives_number_of_days=event.number_of_days is not None,
        gives_reasons=event.reasons is not None,
        gives_objectives=event.objectives is not None,
        gives_session_times=times is not None and (form is None or times.form == form),
        gives_review_arrangements=event.review_arrangements is not None,
    )


def _review(event: PlacementReview) -> PlacementReviewFact:
    attended = set(event.attendees)
    return PlacementReviewFact(
        id=event.id,
        placement=event.placement_id,
        held_on=event.held_on,
        meeting=event.meeting,
        formal=event.formal,
        parents_involved="parents" in attended or event.parents_consulted,
        commissioner_attended="commissioner" in attended,
        pupil_attended="pupil" in attended,
        parents_attended="parents" in attended,
        provider_attended="provider" in attended,
        covers_length_of_placement="length_of_placement" in event.covered,
        covers_reintegration_plan="reintegration_plan" in event.covered,
        covers_parental_agreement="parental_agreement" in event.covered,
    )


def _review_request(event: ReviewRequest, case: Case) -> ReviewRequestFact:
    meetings = events_about(case, PlacementReview, event.placement_id)
    return ReviewRequestFact(
        id=event.id,
        placement=event.placement_id,
        requested_on=event.requested_on,
        by=event.by,
        in_writing=event.in_writing,
        meeting_in_previous_ten_weeks=any(
            m.meeting and event.requested_on - TEN_WEEKS <= m.held_on < event.requested_on
            for m in meetings
        ),
    )


def _exclusion_event(event: Event, period: str) -> EngineFact | None:
    if isinstance(event, ExclusionNotice):
        sent = local(event.sent_at)
        return NoticeFact(
            id=event.id,
            exclusion=period,
            sent_at=sent,
            sent_on=sent.date(),
            in_writing=event.in_writing,
            method=event.method,
            gives_start_date=event.provision_start_date is not None,
            gives_session_times=event.session_times is not None,
            gives_address=event.provision_address is not None,
            gives_report_to=event.report_to is not None,
        )
    if isinstance(event, WorkSet):
        return WorkSetFact(
            id=event.id, exclusion=period, set_on=event.set_on, marked_on=event.marked_on
        )
    if isinstance(event, PepRecord):
        return PepRecordFact(
            id=event.id,
            exclusion=period,
            recorded_on=event.recorded_on,
            records_immediate_provision=event.records_immediate_provision,
        )
    return None


def _placement_event(
    event: Event, case: Case, calendar: SchoolCalendar, settings: PolicySettings
) -> EngineFact | None:
    if isinstance(event, ReferralNotice):
        placement = next(p for p in case.placements if p.id == event.placement_id)
        return _referral_notice(event, placement, calendar, settings.referral_notice_clear_days)
    if isinstance(event, DirectionMeeting):
        return DirectionMeetingFact(
            id=event.id,
            placement=event.placement_id,
            held_on=event.held_on,
            pupil_invited=event.pupil_invited,
            parents_invited=event.parents_invited,
            reasons_explained=event.reasons_explained,
            not_an_exclusion_explained=event.not_an_exclusion_explained,
            support_responsibilities_set=event.support_responsibilities_set,
            agreement_review_timescales_set=event.agreement_review_timescales_set,
            sets_review_interval=event.review_interval_weeks is not None,
        )
    if isinstance(event, ParentalAgreement):
        return ParentalAgreementFact(
            id=event.id,
            placement=event.placement_id,
            recorded_on=event.recorded_on,
            outcome=event.outcome,
            arrangements_shared_with_all={"parents", "pupil", "provider"}
            <= set(event.review_arrangements_shared_with),
        )
    if isinstance(event, AgenciesNotified):
        return AgenciesNotifiedFact(
            id=event.id, placement=event.placement_id, notified_on=event.notified_on
        )
    if isinstance(event, LaSenConsultation):
        return LaSenConsultationFact(
            id=event.id,
            placement=event.placement_id,
            consulted_on=event.consulted_on,
            officer_has_sen_expertise=event.officer_has_sen_expertise,
        )
    if isinstance(event, SuitabilityCheck):
        return SuitabilityCheckFact(
            id=event.id,
            placement=event.placement_id,
            checked_on=event.checked_on,
            addresses_sen=event.addresses_sen,
            venue_appropriate=event.venue_appropriate,
            accommodation_suitable=event.accommodation_suitable,
            reasonable_adjustments_considered=event.reasonable_adjustments_considered,
        )
    if isinstance(event, PlacementReview):
        return _review(event)
    if isinstance(event, ReviewRequest):
        return _review_request(event, case)
    if isinstance(event, ProgressRecord):
        return ProgressRecordFact(
            id=event.id,
            placement=event.placement_id,
            recorded_on=event.recorded_on,
            satisfactory=event.progress == "satisfactory",
        )
    return None


def _pupil_event(event: Event) -> EngineFact | None:
    if isinstance(event, BehaviourConcern):
        return BehaviourConcernFact(
            id=event.id, recorded_on=event.recorded_on, concern=event.concern
        )
    if isinstance(event, Intervention):
        return InterventionFact(
            id=event.id, started_on=event.started_on, intervention=event.intervention
        )
    if isinstance(event, NeedsConsideration):
        return NeedsConsiderationFact(
            id=event.id,
            considered_on=event.considered_on,
            by_headteacher="headteacher" in event.by,
            by_dsl="dsl" in event.by,
            by_senco="senco" in event.by,
        )
    if isinstance(event, NeedsAssessment):
        return NeedsAssessmentFact(id=event.id, assessed_on=event.assessed_on)
    return None


def event_facts(
    case: Case,
    calendar: SchoolCalendar,
    settings: PolicySettings,
    exclusions: list[ExclusionFact],
) -> list[EngineFact]:
    """One fact per event that is not itself an exclusion, in the case's order."""
    period_of = {event_id: x.id for x in exclusions for event_id in x.events}
    out: list[EngineFact] = []
    for event in case.events:
        about = getattr(event, "about", None)
        with naming_case(case.case_id, f"{event.kind} {event.id}"):
            fact = (
                _exclusion_event(event, period_of[about])
                if about is not None
                else _placement_event(event, case, calendar, settings) or _pupil_event(event)
            )
        if fact is not None:
            out.append(fact)
    return out
