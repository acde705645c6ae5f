"""Placement facts: each placement linked to its exclusion and provider, with the values the
rules of sections H and I compare (sixth school day, start of the school year, the latest
initial meeting, the parents' agreement, formal reviews without improvement)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Literal, TypeVar, cast

from dateutil.relativedelta import relativedelta

from apcompliance.calendar.school_calendar import SchoolCalendar, school_year_of
from apcompliance.errors import CalendarError
from apcompliance.evaluation.derive.exclusions import naming_case
from apcompliance.evaluation.derive.notices import first_day_notice_due, text_key
from apcompliance.facts import (
    Case,
    DirectionMeeting,
    Event,
    ParentalAgreement,
    Placement,
    PlacementReview,
    ProgressRecord,
    ShortNoticeConsent,
)
from apcompliance.facts.index import CaseIndex
from apcompliance.facts.placement import FULL_WEEK
from apcompliance.facts.vocabulary import ExclusionFact, PlacementFact
from apcompliance.policy.settings import PolicySettings

E = TypeVar("E")

ADULT_AGE = 18
"""H.2: "the pupil where they are over 18" (SI 2010/1156 reg 3: a pupil aged 18 or over)."""


Events = CaseIndex[Event]
"""A case's events by model (`type(event).__name__`), looked up by reference or id."""


def index_events(case: Case) -> Events:
    """The case's events indexed by model, once per evaluation."""
    return CaseIndex(case.events, _model_name)


def _model_name(event: Event) -> str:
    return type(event).__name__


def events_about(events: Events, kind: type[E], placement_id: str) -> list[E]:
    """The case's events of one kind about one placement, in the case's order."""
    return cast(list[E], events.where(kind.__name__, "placement_id", placement_id))


def first_day_of(placement: Placement, calendar: SchoolCalendar) -> date:
    """The placement's first school day, which links it to the period of exclusion it serves:
    its `start_date` where that is a school day or outside the calendar, else the next school
    day, as an exclusion's days are counted (a start recorded at a weekend, in a holiday or on
    an INSET day). Its `start_date` where no school day follows within the calendar, or before
    its `end_date`. The placement's own dates (deadlines, what a notice must say) stay those
    recorded: the provider's days are not the school's."""
    start = placement.start_date
    if not calendar.covers(start) or calendar.is_school_day(start):
        return start
    try:
        first = calendar.next_school_day(start)
    except CalendarError:  # no school day follows in this calendar
        return start
    return start if placement.end_date is not None and first > placement.end_date else first


def _exclusion_for(
    placement: Placement, exclusions: list[ExclusionFact], calendar: SchoolCalendar
) -> ExclusionFact | None:
    """The exclusion a placement provides for: named by `for_exclusion`, else by its first
    day (`first_day_of`: a start in the holiday before a period links to that period)."""
    if placement.for_exclusion is not None:
        return next(x for x in exclusions if placement.for_exclusion in x.events)
    first = first_day_of(placement, calendar)
    if placement.kind == "suspension_provision":
        return next(
            (
                x
                for x in exclusions
                if not x.permanent and x.first_day <= first <= (x.last_day or date.max)
            ),
            None,
        )
    if placement.kind == "permanent_exclusion_provision":
        earlier = [x for x in exclusions if x.permanent and x.first_day <= first]
        return earlier[-1] if earlier else None
    return None


EndsBy = Literal["end_date", "suspension_ends", "on_new_roll"]


def placement_end(
    placement: Placement, exclusion: ExclusionFact | None, calendar: SchoolCalendar
) -> tuple[date | None, EndsBy | None]:
    """The last day of a placement, and what gives it: its `end_date`; else, for provision
    for a suspension, the last school day of the suspension (its period of exclusion); else,
    for provision for a permanent exclusion, the school day before the pupil is on a new
    school's roll, where recorded. (None, None): open."""
    if placement.end_date is not None:
        return placement.end_date, "end_date"
    if exclusion is None:
        return None, None
    if placement.kind == "suspension_provision" and not exclusion.permanent:
        return exclusion.last_day, "suspension_ends"
    roll = exclusion.on_new_school_roll_from
    if placement.kind == "permanent_exclusion_provision" and exclusion.permanent and roll:
        try:
            return calendar.previous_school_day(roll), "on_new_roll"
        except CalendarError:  # the new roll is beyond the calendar: the day before it
            return roll - timedelta(days=1), "on_new_roll"
    return None, None


def _start_at(placement: Placement, settings: PolicySettings) -> datetime:
    if settings.provision_starts_at == "first_session" and placement.session_times is not None:
        return datetime.combine(placement.start_date, placement.session_times.starts)
    return datetime.combine(placement.start_date, time(0, 0))


def _aged_18_or_over(case: Case, on: date, as_of: date) -> Literal["yes", "no"] | None:
    """Whether the pupil is 18 or over on `on`, by a date of birth that fits the year group
    (`Pupil.reliable_date_of_birth`); None where there is none."""
    born = case.pupil.reliable_date_of_birth(as_of)
    if born is None:
        return None
    return "yes" if relativedelta(on, born).years >= ADULT_AGE else "no"


def _latest_review_interval(meetings: list[DirectionMeeting]) -> int | None:
    set_ = [m for m in meetings if m.review_interval_weeks is not None]
    return max(set_, key=lambda m: (m.held_on, m.id)).review_interval_weeks if set_ else None


def _agreement(
    records: list[ParentalAgreement],
) -> tuple[Literal["agreed", "refused", "not_possible", "not_recorded"], date | None]:
    if not records:
        return "not_recorded", None
    ordered = sorted(records, key=lambda r: (r.recorded_on, r.id))
    agreed_on = None
    for record in ordered:
        if record.outcome != "agreed":
            agreed_on = None
        elif agreed_on is None:
            agreed_on = record.recorded_on
    return ordered[-1].outcome, agreed_on


def formal_reviews_without_improvement(
    progress: list[ProgressRecord], reviews: list[PlacementReview], as_of: date
) -> int:
    """Formal review meetings held since progress was last found unsatisfactory after being
    satisfactory, while it is still unsatisfactory (0 when the latest record is satisfactory).
    Only records and meetings dated on or before `as_of` count."""
    ordered = sorted(
        (r for r in progress if r.recorded_on <= as_of), key=lambda r: (r.recorded_on, r.id)
    )
    if not ordered or ordered[-1].progress == "satisfactory":
        return 0
    since = ordered[-1].recorded_on
    for record in reversed(ordered):
        if record.progress == "satisfactory":
            break
        since = record.recorded_on
    return sum(1 for r in reviews if r.formal and since <= r.held_on <= as_of)


def placement_facts(
    case: Case,
    calendar: SchoolCalendar,
    settings: PolicySettings,
    exclusions: list[ExclusionFact],
    *,
    as_of: date,
    events: Events | None = None,
) -> list[PlacementFact]:
    """One fact per placement, in the case's order (`events`: the case's events indexed, if
    the caller has them)."""
    events = events if events is not None else index_events(case)
    out: list[PlacementFact] = []
    ends = {
        p.id: placement_end(p, _exclusion_for(p, exclusions, calendar), calendar)[0]
        for p in case.placements
    }
    for placement in case.placements:
        with naming_case(case.case_id, f"placement {placement.id}"):
            out.append(
                _placement_fact(
                    case, placement, calendar, settings, exclusions, as_of, ends, events
                )
            )
    return out


def _first_day_notice_due_at(
    events: Events,
    placement: Placement,
    exclusion: ExclusionFact | None,
    settings: PolicySettings,
) -> datetime | None:
    """The first-day notice cut-off (I.2) of the latest exclusion event of the placement's
    period that began on or before its start (the period's first, if none did)."""
    if exclusion is None:
        return None
    found = (events.with_id(i) for i in dict.fromkeys(exclusion.events))
    firsts = sorted(e.occurred_on for e in found if e is not None)
    began = [d for d in firsts if d <= placement.start_date] or firsts[:1]
    return first_day_notice_due(began[-1], settings) if began else None


def _placement_fact(
    case: Case,
    placement: Placement,
    calendar: SchoolCalendar,
    settings: PolicySettings,
    exclusions: list[ExclusionFact],
    as_of: date,
    ends: dict[str, date | None],
    events: Events,
) -> PlacementFact:
    def about(kind: type[E]) -> list[E]:
        return events_about(events, kind, placement.id)

    exclusion = _exclusion_for(placement, exclusions, calendar)
    provider = next((p for p in case.providers if p.id == placement.provider_id), None)
    consents = tuple(
        sorted(c.id for c in about(ShortNoticeConsent) if c.given_on <= placement.start_date)
    )
    agreement, agreed_on = _agreement(about(ParentalAgreement))
    ends_on, ends_by = placement_end(placement, exclusion, calendar)
    return PlacementFact(
        id=placement.id,
        kind=placement.kind,
        full_time=placement.full_time,
        start_date=placement.start_date,
        end_date=placement.end_date,
        ends_on=ends_on,
        ends_by=ends_by,
        start_at=_start_at(placement, settings),
        first_session_at=(
            datetime.combine(placement.start_date, placement.session_times.starts)
            if placement.session_times is not None
            else None
        ),
        exclusion=exclusion.id if exclusion else None,
        consent_ids=consents,
        provider=placement.provider_id,
        provider_kind=provider.kind if provider is not None else None,
        arranged_on=placement.arranged_on,
        arranged_by=placement.arranged_by,
        pupil_aged_18_or_over=_aged_18_or_over(case, placement.start_date, as_of),
        session_form=placement.session_times.form if placement.session_times else None,
        dual_registered_on=placement.dual_registered_on,
        attendance_code=placement.attendance_code,
        review_interval_weeks=_latest_review_interval(about(DirectionMeeting)),
        parental_agreement=agreement,
        agreed_on=agreed_on,
        formal_reviews_without_improvement=formal_reviews_without_improvement(
            about(ProgressRecord), about(PlacementReview), as_of
        ),
        sessions_per_week=(
            FULL_WEEK
            if placement.sessions_per_week is None and placement.full_time
            else placement.sessions_per_week
        ),
        timetable=placement.timetable,
        session_hours=placement.session_times.hours if placement.session_times else None,
        address_key=text_key(case.case_id, placement.address),
        report_to_key=text_key(case.case_id, placement.report_to),
        first_day_notice_due_at=_first_day_notice_due_at(events, placement, exclusion, settings),
        provider_full_time_pupils_with_this=(
            None
            if provider is None or provider.full_time_pupils is None
            else provider.full_time_pupils
            + (placement.full_time and case.pupil.of_compulsory_school_age)
        ),
        concurrent_from=concurrent_from(placement, case, ends),
        school_year_ends_on=last_day_of_school_year(placement.start_date, calendar),
    )


SUMMER_TERM_ENDS_FROM = (7, 1)
"""An English school year's summer term ends in July: a calendar whose last term that year ends
before 1 July does not reach the end of the school year."""


def last_day_of_school_year(d: date, calendar: SchoolCalendar) -> date | None:
    """The last school day of the school year (to 31 August) containing d, or None where the
    calendar does not reach to the end of that year's last term."""
    year = school_year_of(d)
    august = date(year + 1, 8, 31)
    last_term_day = max(
        (h.last_day for h in calendar.half_terms if h.last_day <= august), default=None
    )
    if last_term_day is None or last_term_day < d:
        return None
    if last_term_day < date(year + 1, *SUMMER_TERM_ENDS_FROM):
        return None
    if any(h.first_day > last_term_day and h.first_day <= august for h in calendar.half_terms):
        return None
    return calendar.school_day_on_or_before(last_term_day)


def concurrent_from(placement: Placement, case: Case, ends: dict[str, date | None]) -> date | None:
    """The first day a placement at another provider runs alongside this one (G.5.i: "each
    provider knows which other providers are involved"), if any; each runs to its end (`ends`,
    by id: see placement_end; None: open). Not one at the same provider, nor one in the
    school's own in-school unit, which is the school, not a provider (J)."""
    in_school = {p.id for p in case.providers if p.kind == "in_school_unit"}
    days = [
        max(placement.start_date, other.start_date)
        for other in case.placements
        if other.id != placement.id
        and other.kind != "in_school_unit"
        and other.provider_id not in in_school
        and (other.provider_id is None or other.provider_id != placement.provider_id)
        and other.start_date <= (ends[placement.id] or date.max)
        and placement.start_date <= (ends[other.id] or date.max)
    ]
    return min(days, default=None)
