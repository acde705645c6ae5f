"""Periods of exclusion: back-to-back suspensions merged into one (policy I.4).

"Consecutive fixed-period suspensions are regarded as a cumulative period." A suspension
continues the period when no school day lies between the period's last day and its first day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from math import ceil

from apcompliance.calendar.school_calendar import SchoolCalendar, school_year_of
from apcompliance.errors import CalendarError, CaseError
from apcompliance.evaluation.derive.notices import first_day_notice_due
from apcompliance.facts import Case
from apcompliance.facts.events import LunchtimeExclusion, PermanentExclusion, Session, Suspension
from apcompliance.facts.reintegration import ReturnToSchool
from apcompliance.facts.vocabulary import ExclusionFact
from apcompliance.policy.settings import PolicySettings

SUSPENSION_DAYS_LIMIT = 45
"""The most school days of suspension the law allows in a school year (SI 2012/1033; the rules
I.law-45-day-limit and I.law-45-day-limit-lunchtime test `suspension_half_days_in_school_year`
against twice it, in half days, in their rule file)."""


HalfDay = tuple[date, Session]
"""One session of exclusion: a school day and its morning (AM) or afternoon (PM)."""


@dataclass(frozen=True)
class SuspensionPeriod:
    """One cumulative period: its suspensions and the sessions they cover (those the calendar
    holds, in order; `beyond`: how many more sessions run past its last day, not yet dated)."""

    suspensions: tuple[Suspension, ...]
    sessions: tuple[HalfDay, ...]
    beyond: int = 0

    @property
    def id(self) -> str:
        return self.suspensions[0].id

    @property
    def days(self) -> tuple[date, ...]:
        """The school days it touches, a part day included, in order."""
        return tuple(sorted({d for d, _ in self.sessions}))

    @property
    def first_day(self) -> date:
        return self.sessions[0][0]

    @property
    def last_day(self) -> date:
        return self.sessions[-1][0]

    @property
    def school_days(self) -> int:
        """The school days it touches, with those past the calendar's end (whose sessions
        start in a morning, after a whole last day within it)."""
        return len(self.days) + ceil(self.beyond / 2)

    @property
    def session_count(self) -> int:
        return len(self.sessions) + self.beyond

    @property
    def ends_at_lunchtime(self) -> bool:
        """Its last session the calendar holds is a morning."""
        return self.sessions[-1][1] == "AM"


@contextmanager
def naming_case(case_id: str, what: str | Callable[[], str]) -> Iterator[None]:
    """Calendar errors about an event name the case and the event (never the pupil); `what`
    names it, or says which when called (for a loop over events: the one at fault)."""
    try:
        yield
    except CalendarError as exc:
        named = what if isinstance(what, str) else what()
        raise CalendarError(f"case {case_id}: {named}: {exc}") from None


def require_first_day_covered(first_day: date, calendar: SchoolCalendar) -> None:
    """An exclusion's first day must be on the calendar: its school days are counted from it
    (the input's fault otherwise: give the calendar of that school year)."""
    if not calendar.covers(first_day):
        raise CalendarError(
            f"first_day {first_day.isoformat()} is outside the calendar {calendar.name!r} "
            f"({calendar.first_day.isoformat()}..{calendar.last_day.isoformat()}): "
            "give a calendar that covers it"
        )


def require_school_day(what: str, first_day: date, calendar: SchoolCalendar, case_id: str) -> None:
    """An exclusion's first day is a school day on the calendar."""
    with naming_case(case_id, what):
        require_first_day_covered(first_day, calendar)
    if not calendar.is_school_day(first_day):
        reason = calendar.non_school_reason(first_day)
        raise CaseError(
            case_id, f"{what}: first_day {first_day.isoformat()} is not a school day ({reason})"
        )


def school_days_from(first_day: date, count: int, calendar: SchoolCalendar) -> list[date]:
    """`count` consecutive school days from `first_day` (a school day), those the calendar
    holds: fewer where they run past its last day."""
    try:
        last = calendar.nth_school_day(first_day, count)
    except CalendarError:  # it runs past the calendar's end: the days it holds
        days = list(calendar.school_days(first_day, calendar.last_day))
        return days + [calendar.last_day] * calendar.is_school_day(calendar.last_day)
    return [*calendar.school_days(first_day, last), last]


def sessions_of(
    suspension: Suspension, calendar: SchoolCalendar, case_id: str
) -> tuple[list[HalfDay], int]:
    """The sessions a suspension covers that the calendar holds, in order, from the first
    session of its first day (which must be a school day), and how many more run past the
    calendar's last day. Three sessions from a Monday afternoon: Mon PM, Tue AM, Tue PM."""
    require_school_day(f"suspension {suspension.id}", suspension.first_day, calendar, case_id)
    skip = 1 if suspension.starts_in_afternoon else 0
    count = suspension.session_count
    days = school_days_from(suspension.first_day, (skip + count + 1) // 2, calendar)
    halves: list[HalfDay] = [(d, half) for d in days for half in ("AM", "PM")]
    held = halves[skip : skip + count]
    return held, count - len(held)


def suspension_periods(
    suspensions: list[Suspension], calendar: SchoolCalendar, case_id: str
) -> list[SuspensionPeriod]:
    """Merge suspensions into cumulative periods, in date order, independent of input order.
    A suspension continues a period when no whole school day lies between the period's last
    day and its first (a half day at school between them does not part them: I.4, read to
    protect the child)."""
    periods: list[SuspensionPeriod] = []
    ordered = sorted(suspensions, key=lambda s: (s.first_day, s.starts_in_afternoon, s.id))
    for suspension in ordered:
        sessions, beyond = sessions_of(suspension, calendar, case_id)
        if periods and calendar.school_days_between(periods[-1].last_day, sessions[0][0]) <= 1:
            last = periods[-1]
            merged = tuple(sorted(set(last.sessions) | set(sessions)))
            beyond = max(last.beyond, beyond)  # both run to the calendar's end: the longer
            periods[-1] = SuspensionPeriod((*last.suspensions, suspension), merged, beyond)
        else:
            periods.append(SuspensionPeriod((suspension,), tuple(sessions), beyond))
    return periods


def lunchtimes_of(
    exclusion: LunchtimeExclusion, calendar: SchoolCalendar, case_id: str
) -> list[date]:
    """The school days of a lunchtime exclusion's lunchtimes that the calendar holds."""
    what = f"lunchtime exclusion {exclusion.id}"
    require_school_day(what, exclusion.first_day, calendar, case_id)
    return school_days_from(exclusion.first_day, exclusion.lunchtimes, calendar)


@dataclass(frozen=True)
class SuspensionTally:
    """The half days of suspension in each school year, in time order (the morning session,
    a lunchtime, the afternoon session), for the 45-school-day limit: where each period of
    suspension and each lunchtime exclusion (by id) stands in it."""

    units: tuple[tuple[date, int, str], ...]
    """(day, 0 morning / 1 lunchtime / 2 afternoon, the period's or lunchtime's id)."""
    nth: tuple[int, ...]
    """The number of each unit within its school year (1 for the first)."""

    @classmethod
    def of(
        cls, periods: Sequence[SuspensionPeriod], lunchtimes: dict[str, list[date]]
    ) -> SuspensionTally:
        order = {"AM": 0, "PM": 2}
        units = sorted(
            [(d, order[half], p.id) for p in periods for d, half in p.sessions]
            + [(d, 1, id) for id, days in lunchtimes.items() for d in days]
        )
        years = [school_year_of(d) for d, _, _ in units]
        starts = [i == 0 or years[i] != years[i - 1] for i in range(len(units))]
        nth = list(accumulate(starts, lambda n, new: 1 if new else n + 1, initial=0))[1:]
        return cls(tuple(units), tuple(nth))

    def half_days_to(self, owner: str) -> int:
        """Half days of suspension in its school year up to and including the owner's last."""
        return max(
            (n for (_, _, o), n in zip(self.units, self.nth, strict=True) if o == owner), default=0
        )

    def half_days_by(self, day: date) -> int:
        """Half days of suspension in the school year of `day`, up to and including it."""
        year = school_year_of(day)
        return sum(1 for d, _, _ in self.units if d <= day and school_year_of(d) == year)

    def limit_passed_on(self, owner: str) -> date | None:
        """The owner's first day with a half day beyond the 45 school days of its school
        year (the 91st half day, or a later one)."""
        return next(
            (
                d
                for (d, _, o), n in zip(self.units, self.nth, strict=True)
                if o == owner and n > 2 * SUSPENSION_DAYS_LIMIT
            ),
            None,
        )


def check_permanent_exclusion(
    exclusion: PermanentExclusion, calendar: SchoolCalendar, case_id: str
) -> None:
    """A permanent exclusion takes effect on a school day."""
    require_school_day(
        f"permanent exclusion {exclusion.id}", exclusion.first_day, calendar, case_id
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
        "five_days_counted_in": settings.five_days_counted_in,
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


def suspension_tally(case: Case, calendar: SchoolCalendar) -> SuspensionTally:
    """The case's half days of suspension, periods and lunchtime exclusions (the 45-day
    limit), each lunchtime exclusion checked against the calendar."""
    suspensions = [e for e in case.events if isinstance(e, Suspension)]
    return _tally(suspension_periods(suspensions, calendar, case.case_id), case, calendar)


def _tally(
    periods: list[SuspensionPeriod], case: Case, calendar: SchoolCalendar
) -> SuspensionTally:
    lunchtimes = {
        e.id: lunchtimes_of(e, calendar, case.case_id)
        for e in case.events
        if isinstance(e, LunchtimeExclusion)
    }
    return SuspensionTally.of(periods, lunchtimes)


def exclusion_facts(
    case: Case, calendar: SchoolCalendar, settings: PolicySettings
) -> list[ExclusionFact]:
    """One fact per period of back-to-back suspensions and per permanent exclusion."""
    suspensions = [e for e in case.events if isinstance(e, Suspension)]
    permanents = [e for e in case.events if isinstance(e, PermanentExclusion)]
    out: list[ExclusionFact] = []
    periods = suspension_periods(suspensions, calendar, case.case_id)
    tally = _tally(periods, case, calendar)
    exams = _exam_entries(case)
    readings = _readings(settings)

    returns: dict[str, list[date]] = {}  # by the exclusion event each is about
    for event in case.events:
        if isinstance(event, ReturnToSchool) and event.about is not None:
            returns.setdefault(event.about, []).append(event.returns_on)

    def returns_on(period: SuspensionPeriod) -> date | None:
        ids = {s.id for s in period.suspensions}
        return min((day for i in ids for day in returns.get(i, ())), default=None)

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
                school_days=period.school_days,
                sessions=period.session_count,
                ends_at_lunchtime=None if period.beyond else period.ends_at_lunchtime,
                suspensions=len(period.suspensions),
                events=tuple(s.id for s in period.suspensions),
                pupil_year_group=case.pupil.year_group,
                notice_due_at=first_day_notice_due(period.first_day, settings),
                sixth_day_counted_from=period.first_day,
                suspension_half_days_in_school_year=tally.half_days_to(period.id),
                suspension_limit_passed_on=tally.limit_passed_on(period.id),
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
                sessions=None,
                ends_at_lunchtime=None,
                suspensions=0,
                events=(exclusion.id,),
                pupil_year_group=case.pupil.year_group,
                notice_due_at=first_day_notice_due(exclusion.first_day, settings),
                sixth_day_counted_from=counted_from,
                suspension_half_days_in_school_year=tally.half_days_by(exclusion.first_day),
                on_new_school_roll_from=exclusion.on_new_school_roll_from,
                **exams,
                **readings,
            )
        )
    return out
