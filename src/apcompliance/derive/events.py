"""Event facts: each event of a case as the flat fact its rules compare.

An event's fact shares the event's fields by name (`placement_id` becomes `placement`); what
the rules need beyond them is derived here, one small function per event kind. Only whether a
free-text item is given enters the engine, never the text itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar

from apcompliance.calendar import SchoolCalendar
from apcompliance.clock import local
from apcompliance.derive.engine_facts import (
    AbsenceFact,
    AgenciesNotifiedFact,
    AttendanceInterventionFact,
    AttendanceUpdateFact,
    BehaviourConcernFact,
    DirectionMeetingFact,
    EhcPlanReviewFact,
    EngineFact,
    ExclusionFact,
    ExclusionNotificationFact,
    FinalReportFact,
    FsmArrangementFact,
    InformationSharedFact,
    InterventionFact,
    LaContactedFact,
    LaSenConsultationFact,
    LearningPlanFact,
    NeedsAssessmentFact,
    NeedsConsiderationFact,
    NoticeFact,
    ParentalAgreementFact,
    PartTimeTimetableFact,
    PepRecordFact,
    PlacementRecordFact,
    PlacementReviewFact,
    ProgressRecordFact,
    ProviderCheckFact,
    ProviderReportFact,
    PupilViewsFact,
    ReferralNoticeFact,
    ReintegrationMeetingFact,
    ReintegrationPlanFact,
    ReturnToSchoolFact,
    ReviewRequestFact,
    SafeguardingConcernFact,
    SeriousIncidentFact,
    SuitabilityCheckFact,
    TimetableReviewFact,
    VisitFact,
    WorkSetFact,
)
from apcompliance.derive.exclusions import naming_case
from apcompliance.derive.placements import events_about
from apcompliance.errors import CalendarError
from apcompliance.facts import (
    Absence,
    AgenciesNotified,
    AttendanceIntervention,
    AttendanceUpdate,
    BehaviourConcern,
    Case,
    DirectionMeeting,
    EhcPlanReview,
    ExclusionNotice,
    ExclusionNotification,
    FinalReport,
    FsmArrangement,
    InformationShared,
    Intervention,
    LaContacted,
    LaSenConsultation,
    LearningPlan,
    NeedsAssessment,
    NeedsConsideration,
    ParentalAgreement,
    PartTimeTimetable,
    PepRecord,
    PlacementRecord,
    PlacementReview,
    ProgressRecord,
    ProviderCheck,
    ProviderReport,
    PupilViews,
    ReferralNotice,
    ReintegrationMeeting,
    ReintegrationPlan,
    ReturnToSchool,
    ReviewRequest,
    SafeguardingConcern,
    SeriousIncident,
    SuitabilityCheck,
    TimetableReview,
    Visit,
    WorkSet,
)
from apcompliance.facts._base import Fact
from apcompliance.settings import PolicySettings

TEN_WEEKS = timedelta(weeks=10)
"""SI 2010/1156 reg 4A: no further meeting is required where one was held in the 10 weeks
before a written request."""

F = TypeVar("F", bound=EngineFact)


@dataclass(frozen=True)
class _Context:
    case: Case
    calendar: SchoolCalendar
    settings: PolicySettings
    period_of: dict[str, str]
    """Exclusion event id → the id of its period of exclusion."""
    as_of: date
    _previous_updates: dict[str, AttendanceUpdate | None] = field(default_factory=dict)

    def previous_update(self, event: AttendanceUpdate) -> AttendanceUpdate | None:
        """The attendance update about the same placement just before this one, if any."""
        if not self._previous_updates:
            by_placement: dict[str, list[AttendanceUpdate]] = {}
            for e in self.case.events:
                if isinstance(e, AttendanceUpdate):
                    by_placement.setdefault(e.placement_id, []).append(e)
            for updates in by_placement.values():
                updates.sort(key=lambda u: (u.updated_on, u.id))
                for before, update in zip([None, *updates], updates, strict=False):
                    self._previous_updates[update.id] = before
        return self._previous_updates[event.id]


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


def _exclusion_notice(event: ExclusionNotice, ctx: _Context) -> dict[str, Any]:
    sent = local(event.sent_at)
    return {
        "exclusion": ctx.period_of[event.about],
        "sent_at": sent,
        "sent_on": sent.date(),
        "in_writing": event.in_writing,
        "gives_start_date": event.provision_start_date is not None,
        "gives_session_times": event.session_times is not None,
        "gives_address": event.provision_address is not None,
        "gives_report_to": event.report_to is not None,
    }


def _about_exclusion(
    event: WorkSet | PepRecord | ExclusionNotification, ctx: _Context
) -> dict[str, Any]:
    return {"exclusion": ctx.period_of[event.about]}


def _referral_notice(event: ReferralNotice, ctx: _Context) -> dict[str, Any]:
    sent = local(event.sent_at)
    placement = next(p for p in ctx.case.placements if p.id == event.placement_id)
    form = placement.session_times.form if placement.session_times else None
    times = event.session_times
    clear = ctx.settings.referral_notice_clear_days
    return {
        "sent_at": sent,
        "sent_on": sent.date(),
        "given_on": given_on(sent.date(), ctx.calendar, clear),
        "in_writing": event.in_writing,
        "to_parents": "parents" in event.recipients,
        "to_pupil": "pupil" in event.recipients,
        "to_local_authority": "local_authority" in event.recipients,
        "gives_start_date": event.start_date is not None,
        "gives_address": event.provision_address is not None,
        "gives_report_to": event.report_to is not None,
        "gives_number_of_days": event.number_of_days is not None,
        "gives_reasons": event.reasons is not None,
        "gives_objectives": event.objectives is not None,
        "session_times_form": times.form if times is not None else None,
        "placement_session_form": form,
        "gives_review_arrangements": event.review_arrangements is not None,
    }


def _direction_meeting(event: DirectionMeeting, ctx: _Context) -> dict[str, Any]:
    return {"sets_review_interval": event.review_interval_weeks is not None}


def _parental_agreement(event: ParentalAgreement, ctx: _Context) -> dict[str, Any]:
    told = set(event.review_arrangements_shared_with)
    return {f"shared_with_{who}": who in told for who in ("parents", "pupil", "provider")}


def _placement_review(event: PlacementReview, ctx: _Context) -> dict[str, Any]:
    attended = set(event.attendees)
    return {
        "commissioner_attended": "commissioner" in attended,
        "pupil_attended": "pupil" in attended,
        "parents_attended": "parents" in attended,
        "provider_attended": "provider" in attended,
        "headteacher_attended": "headteacher" in attended,
        "ap_lead_attended": "ap_lead" in attended,
        "covers_length_of_placement": "length_of_placement" in event.covered,
        "covers_reintegration_plan": "reintegration_plan" in event.covered,
        "covers_parental_agreement": "parental_agreement" in event.covered,
        "covers_safeguarding": "safeguarding" in event.covered,
    }


def _review_request(event: ReviewRequest, ctx: _Context) -> dict[str, Any]:
    meetings = events_about(ctx.case, PlacementReview, event.placement_id)
    recent = any(
        m.meeting and event.requested_on - TEN_WEEKS <= m.held_on < event.requested_on
        for m in meetings
    )
    return {"meeting_in_previous_ten_weeks": recent}


def _progress_record(event: ProgressRecord, ctx: _Context) -> dict[str, Any]:
    return {"satisfactory": event.progress == "satisfactory"}


def _needs_consideration(event: NeedsConsideration, ctx: _Context) -> dict[str, Any]:
    return {f"by_{role}": role in event.by for role in ("headteacher", "dsl", "senco")}


def _provider_check(event: ProviderCheck, ctx: _Context) -> dict[str, Any]:
    return {"provider": event.provider_id}


def _information_shared(event: InformationShared, ctx: _Context) -> dict[str, Any]:
    names = InformationSharedFact.model_fields.keys() - {"id", "placement", "shared_on"}
    return {name: name in event.items for name in names}


def _learning_plan(event: LearningPlan, ctx: _Context) -> dict[str, Any]:
    parts = LearningPlanFact.model_fields.keys() - {
        "id",
        "placement",
        "agreed_on",
        "pupil_involved",
        "pupil_told_reasons_and_outcome",
    }
    return {name: name in event.includes for name in parts}


def _attendance_update(event: AttendanceUpdate, ctx: _Context) -> dict[str, Any]:
    before = ctx.previous_update(event)
    return {
        "shared_with_ap_lead": "ap_lead" in event.shared_with,
        "shared_with_headteacher": "headteacher" in event.shared_with,
        "previous_attendance_percent": None if before is None else before.attendance_percent,
        "attendance_target_percent": ctx.settings.attendance_target_percent,
    }


def _provider_report(event: ProviderReport, ctx: _Context) -> dict[str, Any]:
    return {
        f"covers_{topic}": topic in event.covers for topic in ("progress", "behaviour", "welfare")
    }


def _serious_incident(event: SeriousIncident, ctx: _Context) -> dict[str, Any]:
    return {f"decided_with_{who}": who in event.decided_with for who in ("slt", "headteacher")}


def _safeguarding_concern(event: SafeguardingConcern, ctx: _Context) -> dict[str, Any]:
    return {
        "resolved": event.resolved_on is not None and event.resolved_on <= ctx.as_of,
        "raised": event.raised_on <= ctx.as_of,
    }


def _final_report(event: FinalReport, ctx: _Context) -> dict[str, Any]:
    parts = ("attainment_and_progress", "attendance", "behaviour_change")
    return {f"covers_{part}": part in event.covers for part in parts}


def _placement_record(event: PlacementRecord, ctx: _Context) -> dict[str, Any]:
    parts = ("progress", "achievements", "pupil_assessment")
    return {
        **{f"records_{part}": part in event.includes for part in parts},
        "destination": "destination" in event.includes,
    }


def _timetable_review(event: TimetableReview, ctx: _Context) -> dict[str, Any]:
    return {"timetable": event.timetable_id}


def _nothing(event: Any, ctx: _Context) -> dict[str, Any]:
    return {}


def ehc_plan_review_facts(review: EhcPlanReview, case: Case) -> list[EhcPlanReviewFact]:
    """One fact per placement running on the day of the review (G.4.ii), named
    `<review>@<placement>`."""
    return [
        EhcPlanReviewFact(
            id=f"{review.id}@{p.id}",
            placement=p.id,
            held_on=review.held_on,
            provider_contributed=p.provider_id in review.provider_contributions,
        )
        for p in case.placements
        if p.start_date <= review.held_on and (p.end_date is None or review.held_on <= p.end_date)
    ]


_FACTS: dict[type[Fact], tuple[type[EngineFact], Callable[[Any, _Context], dict[str, Any]]]] = {
    ExclusionNotice: (NoticeFact, _exclusion_notice),
    WorkSet: (WorkSetFact, _about_exclusion),
    PepRecord: (PepRecordFact, _about_exclusion),
    ExclusionNotification: (ExclusionNotificationFact, _about_exclusion),
    ReferralNotice: (ReferralNoticeFact, _referral_notice),
    DirectionMeeting: (DirectionMeetingFact, _direction_meeting),
    ParentalAgreement: (ParentalAgreementFact, _parental_agreement),
    AgenciesNotified: (AgenciesNotifiedFact, _nothing),
    LaSenConsultation: (LaSenConsultationFact, _nothing),
    SuitabilityCheck: (SuitabilityCheckFact, _nothing),
    PlacementReview: (PlacementReviewFact, _placement_review),
    ReviewRequest: (ReviewRequestFact, _review_request),
    ProgressRecord: (ProgressRecordFact, _progress_record),
    BehaviourConcern: (BehaviourConcernFact, _nothing),
    Intervention: (InterventionFact, _nothing),
    NeedsConsideration: (NeedsConsiderationFact, _needs_consideration),
    NeedsAssessment: (NeedsAssessmentFact, _nothing),
    ProviderCheck: (ProviderCheckFact, _provider_check),
    InformationShared: (InformationSharedFact, _information_shared),
    LearningPlan: (LearningPlanFact, _learning_plan),
    Visit: (VisitFact, _nothing),
    FsmArrangement: (FsmArrangementFact, _nothing),
    Absence: (AbsenceFact, _nothing),
    AttendanceUpdate: (AttendanceUpdateFact, _attendance_update),
    AttendanceIntervention: (AttendanceInterventionFact, _nothing),
    ProviderReport: (ProviderReportFact, _provider_report),
    SeriousIncident: (SeriousIncidentFact, _serious_incident),
    SafeguardingConcern: (SafeguardingConcernFact, _safeguarding_concern),
    ReturnToSchool: (ReturnToSchoolFact, _nothing),
    ReintegrationPlan: (ReintegrationPlanFact, _nothing),
    FinalReport: (FinalReportFact, _final_report),
    PupilViews: (PupilViewsFact, _nothing),
    ReintegrationMeeting: (ReintegrationMeetingFact, _nothing),
    PlacementRecord: (PlacementRecordFact, _placement_record),
    LaContacted: (LaContactedFact, _nothing),
    PartTimeTimetable: (PartTimeTimetableFact, _nothing),
    TimetableReview: (TimetableReviewFact, _timetable_review),
}
"""Each event kind's fact type and what is derived for it. Suspensions and permanent
exclusions become exclusion facts, and short-notice consents placement fields, elsewhere."""


def copied(fact_type: type[F], event: Fact, **derived: Any) -> F:
    """`fact_type` from an event's fields of the same names (`placement_id` as `placement`),
    plus the derived values."""
    values = {
        name: getattr(event, "placement_id" if name == "placement" else name)
        for name in fact_type.model_fields
        if name not in derived
    }
    return fact_type(**values, **derived)


def event_facts(
    case: Case,
    calendar: SchoolCalendar,
    settings: PolicySettings,
    exclusions: list[ExclusionFact],
    *,
    as_of: date,
) -> list[EngineFact]:
    """One fact per event that is not itself an exclusion or a consent, in the case's order.
    Whether something has happened (a concern resolved) is as known on `as_of`."""
    ctx = _Context(case, calendar, settings, {e: x.id for x in exclusions for e in x.events}, as_of)
    out: list[EngineFact] = []
    for event in case.events:
        if isinstance(event, EhcPlanReview):
            out += ehc_plan_review_facts(event, case)
            continue
        if type(event) not in _FACTS:
            continue
        fact_type, derive_more = _FACTS[type(event)]
        with naming_case(case.case_id, f"{event.kind} {event.id}"):
            out.append(copied(fact_type, event, **derive_more(event, ctx)))
    return out
