"""Event facts: each event of a case as the flat fact its rules compare.

An event's fact shares the event's fields by name (`placement_id` becomes `placement`); what
the rules need beyond them is derived here, one small function per event kind. Only whether a
free-text item is given enters the engine, never the text itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

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
    ExclusionNotice,
    Intervention,
    LaSenConsultation,
    NeedsAssessment,
    NeedsConsideration,
    ParentalAgreement,
    PepRecord,
    PlacementReview,
    ProgressRecord,
    ReferralNotice,
    ReviewRequest,
    SuitabilityCheck,
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


def _about_exclusion(event: WorkSet | PepRecord, ctx: _Context) -> dict[str, Any]:
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
        "gives_session_times": times is not None and (form is None or times.form == form),
        "gives_review_arrangements": event.review_arrangements is not None,
    }


def _direction_meeting(event: DirectionMeeting, ctx: _Context) -> dict[str, Any]:
    return {"sets_review_interval": event.review_interval_weeks is not None}


def _parental_agreement(event: ParentalAgreement, ctx: _Context) -> dict[str, Any]:
    told = set(event.review_arrangements_shared_with)
    return {"arrangements_shared_with_all": {"parents", "pupil", "provider"} <= told}


def _placement_review(event: PlacementReview, ctx: _Context) -> dict[str, Any]:
    attended = set(event.attendees)
    return {
        "parents_involved": "parents" in attended or event.parents_consulted,
        "commissioner_attended": "commissioner" in attended,
        "pupil_attended": "pupil" in attended,
        "parents_attended": "parents" in attended,
        "provider_attended": "provider" in attended,
        "covers_length_of_placement": "length_of_placement" in event.covered,
        "covers_reintegration_plan": "reintegration_plan" in event.covered,
        "covers_parental_agreement": "parental_agreement" in event.covered,
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


def _nothing(event: Any, ctx: _Context) -> dict[str, Any]:
    return {}


_FACTS: dict[type[Fact], tuple[type[EngineFact], Callable[[Any, _Context], dict[str, Any]]]] = {
    ExclusionNotice: (NoticeFact, _exclusion_notice),
    WorkSet: (WorkSetFact, _about_exclusion),
    PepRecord: (PepRecordFact, _about_exclusion),
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
) -> list[EngineFact]:
    """One fact per event that is not itself an exclusion or a consent, in the case's order."""
    ctx = _Context(case, calendar, settings, {e: x.id for x in exclusions for e in x.events})
    out: list[EngineFact] = []
    for event in case.events:
        if type(event) not in _FACTS:
            continue
        fact_type, derive_more = _FACTS[type(event)]
        with naming_case(case.case_id, f"{event.kind} {event.id}"):
            out.append(copied(fact_type, event, **derive_more(event, ctx)))
    return out
