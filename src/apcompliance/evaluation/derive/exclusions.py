"""Periods of exclusion: back-to-back suspensions merged into one (policy I.4).

"Consecutive fixed-period suspensions are regarded as a cumulative period." A suspension
continues the period when no school day lies between the period's last day and its first day.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from apcompliance.calendar.school_calendar import SchoolCalendar, school_year_of
from apcompliance.errors import CalendarError, CaseError
from apcompliance.evaluation.derive.notices import first_day_notice_due
from apcompliance.facts import Case
from apcompliance.facts.events import PermanentExclusion, Suspension
from apcompliance.facts.reintegration import ReturnToSchool
from apcompliance.facts.vocabulary import ExclusionFact
from apcompliance.policy.settings import PolicySettings

SUSPENSION_DAYS_LIMIT = 45
"""The most school days of suspension the law allows in a school year (SI 2012/1033; the rule
I.law-45-day-limit tests `suspension_days_in_school_year` against it in its rule file)."""


@dataclass(frozen=True)
class SuspensionPeriod:
    """One cumulative period: its suspensions and the school days they cover (those the
    calendar holds; `beyond`: how many more run past its last day, not yet dated)."""

    suspensions: tuple[Suspension, ...]
    days: tuple[date, ...]
    beyond: int = 0

    @property
    def id(self) -> str:
        return self.suspensions[0].id

    @property
    def first_day(self) -> date:
        return self.days[0]

    @property
    def last_day(self) -> date:
        return self.days[-1]


@contextmanager
def naming_case(case_id: str, what: str) -> Iterator[None]:
    """Calendar errors about an event name the case and the event (never the pupil)."""
    try:
        yield
    except CalendarError as exc:
        raise CalendarError(f"case {case_id}: {what}: {exc}") from None


def require_first_day_covered(first_day: date, calendar: SchoolCalendar) -> None:
    """An exclusion's first day must be on the calendar: its school days are counted from it
    (the input's fault otherwise: give the calendar of that school year)."""
    if not calendar.covers(first_day):
        raise CalendarError(
            f"first_day {first_day.isoformat()} is outside the calendar {calendar.name!r} "
            f"({calendar.first_day.isoformat()}..{calendar.last_day.isoformat()}): "
            "give a calendar that covers it"
        )


def school_days_of(suspension: Suspension, calendar: SchoolCalendar, case_id: str) -> list[date]:
    """The school days a suspension covers that the calendar holds. Its first day must be a
    school day (see `days_beyond` for those that run past the calendar's end)."""
    with naming_case(case_id, f"suspension {suspension.id}"):
        return _school_days_of(suspension, calendar, case_id)


def days_beyond(suspension: Suspension, days: list[date]) -> int:
    """How many of a suspension's school days fall after the calendar's last day."""
    return suspension.school_days - len(days)


def _school_days_of(suspension: Suspension, calendar: SchoolCalendar, case_id: str) -> list[date]:
    require_first_day_covered(suspension.first_day, calendar)
    if not calendar.is_school_day(suspension.first_day):
        reason = calendar.non_school_reason(suspension.first_day)
        raise CaseError(
            case_id,
            f"suspension {suspension.id}: first_day {suspension.first_day.isoformat()} "
            f"is not a school day ({reason})",
        )
    try:
        last = calendar.nth_school_day(suspension.first_day, suspension.school_days)
    except CalendarError:  # it runs past the calendar's end: the days it holds
        days = list(calendar.school_days(suspension.first_day, calendar.last_day))
        return days + [calendar.last_day] * calendar.is_school_day(calendar.last_day)
    return [*calendar.school_days(suspension.first_day, last), last]


def suspension_periods(
    suspensions: list[Suspension], calendar: SchoolCalendar, case_id: str
) -> list[SuspensionPeriod]:
    """Merge suspensions into cumulative periods, in date order, independent of input order."""
    periods: list[SuspensionPeriod] = []
    ordered = sorted(suspensions, key=lambda s: (s.first_day, s.id))
    for suspension in ordered:
        days = school_days_of(suspension, calendar, case_id)
        beyond = days_beyond(suspension, days)
        if periods and calendar.school_days_between(periods[-1].last_day, days[0]) <= 1:
            last = periods[-1]
            merged = tuple(sorted(set(last.days) | set(days)))
            beyond = max(last.beyond, beyond)  # both run to the calendar's end: the longer
            periods[-1] = SuspensionPeriod((*last.suspensions, suspension), merged, beyond)
        else:
            periods.append(SuspensionPeriod((suspension,), tuple(days), beyond))
    return periods


def check_permanent_exclusion(
    exclusion: PermanentExclusion, calendar: SchoolCalendar, case_id: str
) -> None:
    """A permanent exclusion takes effect on a school day."""
    with naming_case(case_id, f"permanent exclusion {exclusion.id}"):
        require_first_day_covered(exclusion.first_day, calendar)
        school_day = calendar.is_school_day(exclusion.first_day)
    if not school_day:
        reason = calendar.non_school_reason(exclusion.first_day)
        raise CaseError(
            case_id,
            f"permanent exclusion {exclusion.id}: first_day {exclusion.first_day.isoformat()} "
            f"is not a school day ({reason})",
        )


def _exam_entries(case: Case) -> dict[str, object]:
    """The pupil's public examination entries, read on each exclusion (I.8): how many (None
    where the case does not record them) and the day of the last paper."""
    entries = case.pupil.exam_entries
    if entries is None:
        return {"public_exam_entries": None, "last_public_exam_on": None}
    return {
        "public_exam_entries": len(entries),
        "last_public_exam_on": max((e.last_paper_on for e in entries), default=None),
    }


def _readings(settings: PolicySettings) -> dict[str, object]:
    """The interpretation switches the section I rules read on an exclusion."""
    return {
        "work_set_by_school_day": settings.work_set_by_school_day,
        "looked_after_first_day_aim": settings.looked_after_first_day_aim,
        "pep_record_after": settings.pep_record_after,
    }


def _follows(
    exclusion: PermanentExclusion, periods: list[SuspensionPeriod], calendar: SchoolCalendar
) -> SuspensionPeriod | None:
    """The period of suspension a permanent exclusion follows with no school day between
    (it starts the school day after the period's last day, or during it), if any."""
    for period in periods:
        if period.first_day <= exclusion.first_day and (
            calendar.school_days_between(period.last_day, exclusion.first_day) <= 1
        ):
            return period
    return None


def exclusion_facts(
    case: Case, calendar: SchoolCalendar, settings: PolicySettings
) -> list[ExclusionFact]:
    """One fact per period of back-to-back suspensions and per permanent exclusion."""
    suspensions = [e for e in case.events if isinstance(e, Suspension)]
    permanents = [e for e in case.events if isinstance(e, PermanentExclusion)]
    out: list[ExclusionFact] = []
    periods = suspension_periods(suspensions, calendar, case.case_id)
    suspended_days = sorted(d for period in periods for d in period.days)
    exams = _exam_entries(case)
    readings = _readings(settings)

    def days_in_year_to(last: date) -> int:
        start = date(school_year_of(last), 9, 1)
        return sum(1 for d in suspended_days if start <= d <= last)

    # the number of each day of suspension within its school year (1 for the first)
    nth_in_year: dict[date, int] = {}
    year, count = None, 0
    for d in suspended_days:  # in date order
        if school_year_of(d) != year:
            year, count = school_year_of(d), 0
        count += 1
        nth_in_year[d] = count

    def past_limit_on(days: Iterable[date]) -> date | None:
        return next((d for d in sorted(days) if nth_in_year[d] > SUSPENSION_DAYS_LIMIT), None)

    returns = [e for e in case.events if isinstance(e, ReturnToSchool) and e.about is not None]

    def returns_on(period: SuspensionPeriod) -> date | None:
        ids = {s.id for s in period.suspensions}
        return min((r.returns_on for r in returns if r.about in ids), default=None)

    def permanently_excluded_on(period: SuspensionPeriod) -> date | None:
        return min(
            (p.first_day for p in permanents if p.first_day >= period.first_day), default=None
        )

    for period in periods:
        out.append(
            ExclusionFact(
                id=period.id,
                permanent=False,
                first_day=period.first_day,
                last_day=None if period.beyond else period.last_day,  # past the calendar's end
                school_days=len(period.days) + period.beyond,
                suspensions=len(period.suspensions),
                events=tuple(s.id for s in period.suspensions),
                pupil_year_group=case.pupil.year_group,
                notice_due_at=first_day_notice_due(period.first_day, settings),
                sixth_day_counted_from=period.first_day,
                suspension_days_in_school_year=days_in_year_to(period.last_day),
                suspension_limit_passed_on=past_limit_on(period.days),
                returns_on=returns_on(period),
                permanently_excluded_on=permanently_excluded_on(period),
                **exams,
                **readings,
            )
        )
    for exclusion in sorted(permanents, key=lambda e: (e.first_day, e.id)):
        check_permanent_exclusion(exclusion, calendar, case.case_id)
        counted_from = exclusion.first_day
        if settings.suspension_then_permanent == "one_period":
            with naming_case(case.case_id, f"permanent exclusion {exclusion.id}"):
                before = _follows(exclusion, periods, calendar)
            if before is not None:
                counted_from = before.first_day
        out.append(
            ExclusionFact(
                id=exclusion.id,
                permanent=True,
                first_day=exclusion.first_day,
                last_day=None,
                school_days=None,
                suspensions=0,
                events=(exclusion.id,),
                pupil_year_group=case.pupil.year_group,
                notice_due_at=first_day_notice_due(exclusion.first_day, settings),
                sixth_day_counted_from=counted_from,
                suspension_days_in_school_year=days_in_year_to(exclusion.first_day),
                on_new_school_roll_from=exclusion.on_new_school_roll_from,
                **exams,
                **readings,
            )
        )
    return out
