"""Derive: turn a case into the flat facts the rules speak about.

Derive computes only what the engine cannot: calendar arithmetic, periods of exclusion,
links between facts and "did X happen" aggregates. It never decides whether a clause applies.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Literal

from apcompliance.calendar import SchoolCalendar
from apcompliance.clock import local
from apcompliance.derive.engine_facts import (
    EngineFact,
    ExclusionFact,
    NoticeFact,
    PepRecordFact,
    PlacementFact,
    PupilFact,
    WorkSetFact,
)
from apcompliance.derive.exclusions import check_permanent_exclusion, suspension_periods
from apcompliance.facts import (
    Case,
    ExclusionNotice,
    PepRecord,
    PermanentExclusion,
    Placement,
    ShortNoticeConsent,
    Suspension,
    WorkSet,
)
from apcompliance.settings import PolicySettings

PUPIL_FACT_ID = "~pupil"
"""The pupil fact's id: outside the case id pattern, so it never collides with a case's ids."""

__all__ = ["PUPIL_FACT_ID", "derive"]


def _public_exams_left(case: Case, on: date) -> Literal["yes", "no", "unknown"]:
    entries = case.pupil.exam_entries
    if entries is None:
        return "unknown"
    return "yes" if any(e.last_paper_on >= on for e in entries) else "no"


def _exclusions(case: Case, calendar: SchoolCalendar) -> list[ExclusionFact]:
    suspensions = [e for e in case.events if isinstance(e, Suspension)]
    permanents = [e for e in case.events if isinstance(e, PermanentExclusion)]
    final_year = case.pupil.in_final_year_of_compulsory_education
    out: list[ExclusionFact] = []
    for period in suspension_periods(suspensions, calendar, case.case_id):
        out.append(
            ExclusionFact(
                id=period.id,
                permanent=False,
                first_day=period.first_day,
                last_day=period.last_day,
                school_days=len(period.days),
                suspensions=len(period.suspensions),
                events=tuple(s.id for s in period.suspensions),
                pupil_in_final_year=final_year,
                public_exams_left=_public_exams_left(case, period.first_day),
                provision_in_first_five_days=False,
            )
        )
    for exclusion in sorted(permanents, key=lambda e: (e.first_day, e.id)):
        check_permanent_exclusion(exclusion, calendar, case.case_id)
        out.append(
            ExclusionFact(
                id=exclusion.id,
                permanent=True,
                first_day=exclusion.first_day,
                last_day=None,
                school_days=None,
                suspensions=0,
                events=(exclusion.id,),
                pupil_in_final_year=final_year,
                public_exams_left=_public_exams_left(case, exclusion.first_day),
                provision_in_first_five_days=False,
            )
        )
    return out


def _exclusion_for(placement: Placement, exclusions: list[ExclusionFact]) -> ExclusionFact | None:
    """The exclusion a placement provides for: named by `for_exclusion`, else by its dates."""
    if placement.for_exclusion is not None:
        return next(x for x in exclusions if placement.for_exclusion in x.events)
    if placement.kind == "suspension_provision":
        return next(
            (
                x
                for x in exclusions
                if not x.permanent
                and x.first_day <= placement.start_date <= (x.last_day or x.first_day)
            ),
            None,
        )
    if placement.kind == "permanent_exclusion_provision":
        earlier = [x for x in exclusions if x.permanent and x.first_day <= placement.start_date]
        return earlier[-1] if earlier else None
    return None


def _start_at(placement: Placement, settings: PolicySettings) -> datetime:
    if settings.provision_starts_at == "first_session" and placement.session_times is not None:
        return datetime.combine(placement.start_date, placement.session_times.starts)
    return datetime.combine(placement.start_date, time(0, 0))


def _placements(
    case: Case, calendar: SchoolCalendar, settings: PolicySettings, exclusions: list[ExclusionFact]
) -> list[PlacementFact]:
    consents = [e for e in case.events if isinstance(e, ShortNoticeConsent)]
    out: list[PlacementFact] = []
    for placement in case.placements:
        exclusion = _exclusion_for(placement, exclusions)
        before_sixth = runs_on_sixth = None
        if exclusion is not None:
            sixth = calendar.nth_school_day(exclusion.first_day, 6)
            before_sixth = placement.start_date < sixth
            runs_on_sixth = placement.end_date is None or placement.end_date >= sixth
        given = tuple(
            sorted(
                c.id
                for c in consents
                if c.placement_id == placement.id and c.given_on <= placement.start_date
            )
        )
        out.append(
            PlacementFact(
                id=placement.id,
                kind=placement.kind,
                full_time=placement.full_time,
                start_date=placement.start_date,
                end_date=placement.end_date,
                start_at=_start_at(placement, settings),
                exclusion=exclusion.id if exclusion else None,
                starts_before_sixth_day=before_sixth,
                runs_on_sixth_day=runs_on_sixth,
                short_notice_consent=bool(given),
                consent_ids=given,
            )
        )
    return out


def _with_first_five_days(
    exclusions: list[ExclusionFact], placements: list[PlacementFact], calendar: SchoolCalendar
) -> list[ExclusionFact]:
    out = []
    for x in exclusions:
        days = 5 if x.school_days is None else min(5, x.school_days)
        fifth = calendar.nth_school_day(x.first_day, days)
        early = any(p.exclusion == x.id and p.start_date <= fifth for p in placements)
        out.append(x.model_copy(update={"provision_in_first_five_days": early}))
    return out


def _period_of(event_id: str, exclusions: list[ExclusionFact]) -> str:
    return next(x.id for x in exclusions if event_id in x.events)


def derive(case: Case, calendar: SchoolCalendar, settings: PolicySettings) -> list[EngineFact]:
    """All engine facts of a case, in a deterministic order."""
    pupil = case.pupil
    exclusions = _exclusions(case, calendar)
    placements = _placements(case, calendar, settings, exclusions)
    exclusions = _with_first_five_days(exclusions, placements, calendar)
    facts: list[EngineFact] = [
        PupilFact(
            id=PUPIL_FACT_ID,
            year_group=pupil.year_group,
            final_year=pupil.in_final_year_of_compulsory_education,
            looked_after=pupil.looked_after,
            ehc_plan=pupil.ehc_plan,
            send=pupil.send,
            semh_needs=pupil.semh_needs,
        ),
        *exclusions,
        *placements,
    ]
    for event in case.events:
        if isinstance(event, ExclusionNotice):
            facts.append(
                NoticeFact(
                    id=event.id,
                    exclusion=_period_of(event.about, exclusions),
                    sent_at=local(event.sent_at),
                    sent_on=local(event.sent_at).date(),
                    in_writing=event.in_writing,
                    method=event.method,
                    gives_start_date=event.provision_start_date is not None,
                    gives_session_times=event.session_times is not None,
                    gives_address=event.provision_address is not None,
                    gives_report_to=event.report_to is not None,
                )
            )
        elif isinstance(event, WorkSet):
            facts.append(
                WorkSetFact(
                    id=event.id,
                    exclusion=_period_of(event.about, exclusions),
                    set_on=event.set_on,
                    marked_on=event.marked_on,
                )
            )
        elif isinstance(event, PepRecord):
            facts.append(
                PepRecordFact(
                    id=event.id,
                    exclusion=_period_of(event.about, exclusions),
                    recorded_on=event.recorded_on,
                    records_immediate_provision=event.records_immediate_provision,
                )
            )
    return facts
