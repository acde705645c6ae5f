"""Event facts: each event of a case as the flat fact its rules compare.

An event's fact is generated from its model (`facts/vocabulary.py`): it shares the event's
fields by name (`placement_id` becomes `placement`). What the rules need beyond them is
declared in `facts/derived.py` and computed here, one small function per event kind that
needs one. Only whether a free-text item is given enters the engine, never the text itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from apcompliance.calendar.clock import local
from apcompliance.calendar.school_calendar import SchoolCalendar
from apcompliance.errors import CalendarError
from apcompliance.evaluation.derive.exclusions import (
    SuspensionTally,
    naming_case,
    suspension_tally,
)
from apcompliance.evaluation.derive.notices import first_day_notice_due, text_key
from apcompliance.evaluation.derive.placements import Events, index_events
from apcompliance.facts import (
    AttendanceUpdate,
    Case,
    DirectionMeeting,
    EhcPlanReview,
    ExclusionNotice,
    LunchtimeExclusion,
    ProgressRecord,
    ProviderCheck,
    ReferralNotice,
    Suspension,
    WorkSet,
)
from apcompliance.facts._base import Fact
from apcompliance.facts.derived import DERIVED
from apcompliance.facts.vocabulary import EVENT_FACTS, EngineFact, ExclusionFact
from apcompliance.policy.settings import PolicySettings

Derived = dict[str, Any]


@dataclass(frozen=True)
class _Context:
    case: Case
    calendar: SchoolCalendar
    settings: PolicySettings
    period_of: dict[str, str]
    """Exclusion event id → the id of its period of exclusion."""
    events: Events
    """The case's events, indexed."""
    _previous_updates: dict[str, AttendanceUpdate | None] = field(default_factory=dict)
    _tally: list[SuspensionTally] = field(default_factory=list)

    @property
    def tally(self) -> SuspensionTally:
        """The half days of suspension of the case (the 45-day limit), computed once."""
        if not self._tally:
            self._tally.append(suspension_tally(self.case, self.calendar))
        return self._tally[0]

    def previous_update(self, event: AttendanceUpdate) -> AttendanceUpdate | None:
        """The attendance update about the same placement just before this one, if any."""
        if not self._previous_updates:
            by_placement: dict[str, list[AttendanceUpdate]] = {}
            for e in self.events.get(AttendanceUpdate.__name__, ()):
                assert isinstance(e, AttendanceUpdate)
                by_placement.setdefault(e.placement_id, []).append(e)
            for updates in by_placement.values():
                updates.sort(key=lambda u: (u.updated_on, u.id))
                for before, update in zip([None, *updates], updates, strict=False):
                    self._previous_updates[update.id] = before
        return self._previous_updates[event.id]


def given_on(sent_on: date, calendar: SchoolCalendar, clear_days: bool) -> date:
    """The school day a notice counts as given on (see `referral_notice.given_on`). Sent
    outside the calendar, it keeps its date (whether that is a school day is not known)."""
    if not calendar.covers(sent_on) or calendar.is_school_day(sent_on):
        return sent_on
    try:
        if clear_days:
            return calendar.previous_school_day(sent_on)
        return calendar.next_school_day(sent_on)
    except CalendarError:  # no school day before (or after) it in the calendar
        return sent_on


def _further(event: Suspension, ctx: _Context) -> list[Derived]:
    """A fact for an exclusion that continues a period; none for a period's first."""
    period = ctx.period_of[event.id]
    if period == event.id:
        return []
    due = first_day_notice_due(event.first_day, ctx.settings)
    return [{"id": event.id, "exclusion": period, "notice_due_at": due}]


def _lunchtime(event: LunchtimeExclusion, ctx: _Context) -> Derived:
    return {
        "suspension_half_days_in_school_year": ctx.tally.half_days_to(event.id),
        "suspension_limit_passed_on": ctx.tally.limit_passed_on(event.id),
    }


def _exclusion_notice(event: ExclusionNotice, ctx: _Context) -> Derived:
    about = ctx.events.with_id(event.about)
    assert about is not None  # the case's references resolve (Case validates them)
    key = ctx.case.case_id
    return {
        "about": event.about,
        "sent_on": local(event.sent_at).date(),
        "gives_start_date": event.provision_start_date is not None,
        "first_day_notice_due_at": first_day_notice_due(about.occurred_on, ctx.settings),
        "session_hours": event.session_times.hours if event.session_times else None,
        "address_key": text_key(key, event.provision_address),
        "report_to_key": text_key(key, event.report_to),
    }


def _work_set(event: WorkSet, ctx: _Context) -> Derived:
    return {"set_for_last_day": event.set_for_until or event.set_on}


def _referral_notice(event: ReferralNotice, ctx: _Context) -> Derived:
    sent = local(event.sent_at)
    placement = next(p for p in ctx.case.placements if p.id == event.placement_id)
    form = placement.session_times.form if placement.session_times else None
    times = event.session_times
    clear = ctx.settings.referral_notice_clear_days
    return {
        "sent_on": sent.date(),
        "given_on": given_on(sent.date(), ctx.calendar, clear),
        "gives_start_date": event.start_date is not None,
        "gives_number_of_days": event.number_of_days is not None,
        "session_times_form": times.form if times is not None else None,
        "placement_session_form": form,
        "session_hours": times.hours if times is not None else None,
        "address_key": text_key(ctx.case.case_id, event.provision_address),
        "report_to_key": text_key(ctx.case.case_id, event.report_to),
    }


def _direction_meeting(event: DirectionMeeting, ctx: _Context) -> Derived:
    return {"sets_review_interval": event.review_interval_weeks is not None}


def _progress_record(event: ProgressRecord, ctx: _Context) -> Derived:
    return {"satisfactory": event.progress == "satisfactory"}


def _attendance_update(event: AttendanceUpdate, ctx: _Context) -> Derived:
    before = ctx.previous_update(event)
    return {
        "previous_attendance_percent": None if before is None else before.attendance_percent,
        "attendance_target_percent": ctx.settings.attendance_target_percent,
    }


def _provider_check(event: ProviderCheck, ctx: _Context) -> Derived:
    return {"safeguarding_confirmation_scope": ctx.settings.safeguarding_confirmation_scope}


def _ehc_plan_review(review: EhcPlanReview, ctx: _Context) -> list[Derived]:
    """One fact per placement running on the day of the review (G.4.ii), named
    `<review>@<placement>`."""
    return [
        {
            "id": f"{review.id}@{p.id}",
            "placement": p.id,
            "provider_contributed": p.provider_id in review.provider_contributions,
        }
        for p in ctx.case.placements
        if p.start_date <= review.held_on and (p.end_date is None or review.held_on <= p.end_date)
    ]


_DERIVE: dict[type[Fact], Callable[[Any, _Context], Derived | list[Derived]]] = {
    Suspension: _further,
    LunchtimeExclusion: _lunchtime,
    ExclusionNotice: _exclusion_notice,
    WorkSet: _work_set,
    ReferralNotice: _referral_notice,
    DirectionMeeting: _direction_meeting,
    ProgressRecord: _progress_record,
    AttendanceUpdate: _attendance_update,
    EhcPlanReview: _ehc_plan_review,
    ProviderCheck: _provider_check,
}
"""What is computed for each event kind with derived fields (`facts/derived.py` declares
them): a dict of them, or for a kind with one fact per item, a list of dicts (each with its
`id`)."""

if _DERIVE.keys() != DERIVED.keys():  # pragma: no cover - a programming error, caught at import
    raise TypeError(
        "derived fields declared and computed differ: "
        + ", ".join(sorted(m.__name__ for m in _DERIVE.keys() ^ DERIVED.keys()))
    )


def _nothing(event: Any, ctx: _Context) -> Derived:
    return {}


def event_facts(
    case: Case,
    calendar: SchoolCalendar,
    settings: PolicySettings,
    exclusions: list[ExclusionFact],
    events: Events | None = None,
) -> list[EngineFact]:
    """One fact per event that is not itself an exclusion (an EHC plan review: one per
    placement it concerns), in the case's order (`events`: the case's events indexed, if the
    caller has them)."""
    ctx = _Context(
        case,
        calendar,
        settings,
        {e: x.id for x in exclusions for e in x.events},
        events if events is not None else index_events(case),
    )
    out: list[EngineFact] = []
    event: Any = None
    with naming_case(case.case_id, lambda: f"{event.kind} {event.id}"):  # the event at fault
        for event in case.events:
            generated = EVENT_FACTS.get(type(event))
            if generated is None:
                continue
            values = generated.values(event, ctx.period_of)
            derived = _DERIVE.get(type(event), _nothing)(event, ctx)
            if isinstance(derived, dict):
                out.append(generated.fact_type(**values, **derived))
            else:
                out += [generated.fact_type(**(values | each)) for each in derived]
    return out
