"""Hypothesis strategies for property-testing an integration with apcompliance.

Every strategy here generates objects that are *valid by construction*: cases that
`Case.model_validate` accepts and that `evaluate` assesses without raising, on a calendar that
covers every date they name. Use them to check your own code around the library, e.g. that
your export of a school system's records round-trips, or that your report never crashes::

    from hypothesis import given, settings
    from apcompliance import evaluate
    from apcompliance.testing import cases

    @settings(max_examples=50, deadline=None)
    @given(cases())
    def test_my_report_renders_every_assessment(scenario):
        case, calendar, as_of = scenario
        assessment = evaluate(case, as_of=as_of, calendar=calendar)
        assert my_report(assessment)  # your code

Needs the optional extra: ``pip install 'apcompliance[testing]'`` (Hypothesis).

What "valid by construction" means here:

* **Calendars** (:func:`calendars`) are one English school year: six half-terms, Monday to
  Friday, with holidays between them and a few INSET closures inside.
* **Dates** fall inside the calendar. Suspensions and permanent exclusions begin on a school
  day; placements start on a school day at least :data:`LEAD_SCHOOL_DAYS` school days after the
  calendar's first (so deadlines counted back from a start, such as two clear school days'
  notice, stay inside it); nothing is dated in the last :data:`TAIL_SCHOOL_DAYS` school days,
  so a follow-up counted forward from an event (ten school days by default) stays inside it
  too. With `PolicySettings(follow_up_within_school_days=...)` above that margin, an event near
  the end of the year needs next year's calendar, and `evaluate` rightly says so.
* **Ids** are unique across providers (``PRV-n``), placements (``PL-n``), exclusions
  (``SUS-n``, ``PEX-n``) and other events (``EV-n``), and every reference resolves.
* **Ordering within an event** holds: an absence is reported on or after it happened, an
  off-site direction is arranged on or before it starts, a placement ends on or after it
  starts, work is marked on or after it is set, and so on.

An event kind with no strategy of its own here is drawn from its model's fields
(`_from_model`): in the family its reference puts it in (a placement's, an exclusion's, a
provider's or the pupil's), its first date where that family's events fall, later dates on or
after it, choices, bounded numbers, subsets of a tuple of choices and placeholder text. So a new
event kind is generated as soon as it is in the `Event` union.

Generation draws small lists and uses no randomness of its own, so Hypothesis can shrink,
replay (``@example``, the example database) and derandomise (``derandomize=True``) it.
"""

from __future__ import annotations

import functools
import types
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Annotated, Any, Literal, NamedTuple, Union, get_args, get_origin

from pydantic import BaseModel

from apcompliance.calendar.school_calendar import SchoolCalendar
from apcompliance.errors import MissingExtraError
from apcompliance.facts import (
    Absence,
    AttendanceUpdate,
    BehaviourConcern,
    Case,
    DirectionMeeting,
    EhcPlanReview,
    Event,
    ExclusionNotice,
    ExclusionNotification,
    FinalReport,
    FsmArrangement,
    InformationShared,
    Intervention,
    LearningPlan,
    LunchtimeExclusion,
    NeedsConsideration,
    ParentalAgreement,
    PartTimeTimetable,
    PepRecord,
    PermanentExclusion,
    Placement,
    PlacementRecord,
    PlacementReview,
    ProgressRecord,
    Provider,
    ProviderCheck,
    ProviderReport,
    Pupil,
    ReferralNotice,
    ReviewRequest,
    SafeguardingConcern,
    SeriousIncident,
    ShortNoticeConsent,
    SuitabilityCheck,
    Suspension,
    TimetableReview,
    Visit,
    WorkSet,
)
from apcompliance.facts._base import Fact
from apcompliance.facts.commissioning import InformationItem, PlanPart, ProviderCheckKind
from apcompliance.facts.events import Session
from apcompliance.facts.needs import InterventionType
from apcompliance.facts.placement import (
    WEEKDAYS,
    AttendanceCode,
    DateRange,
    PlacementKind,
    SessionTimes,
    SingleSession,
    TwoSessions,
    WeeklyTimetable,
)
from apcompliance.facts.provider import Address, ProviderKind
from apcompliance.facts.pupil import Agency, ExamEntry
from apcompliance.facts.reviews import Attendee, ReviewTopic
from apcompliance.facts.vocabulary import EVENT_MODELS

try:
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - exercised only without the extra
    raise MissingExtraError(
        "apcompliance.testing needs Hypothesis, an optional extra: "
        "pip install 'apcompliance[testing]'"
    ) from None

__all__ = [
    "LEAD_SCHOOL_DAYS",
    "TAIL_SCHOOL_DAYS",
    "Scenario",
    "as_of_dates",
    "calendars",
    "case_ids",
    "cases",
    "events",
    "exclusions",
    "placements",
    "providers",
    "pupils",
]

LEAD_SCHOOL_DAYS = 5
"""School days left free at the start of a calendar: placements and exclusions begin on the
(LEAD_SCHOOL_DAYS + 1)th school day or later."""

TAIL_SCHOOL_DAYS = 12
"""School days left free at the end of a calendar: no generated date falls in them."""

Exclusion = Suspension | PermanentExclusion

# --- calendars --------------------------------------------------------------------------------


def _friday_on_or_before(d: date) -> date:
    return d - timedelta(days=(d.weekday() - 4) % 7)


def _monday_on_or_after(d: date) -> date:
    return d + timedelta(days=(7 - d.weekday()) % 7)


@functools.lru_cache(maxsize=512)
def _calendar(
    blocks: tuple[tuple[date, date], ...], closures: tuple[date, ...], name: str
) -> SchoolCalendar:
    # Building a calendar looks up the bank holidays (~20 ms); equal draws share one instance
    # (a SchoolCalendar is immutable, so sharing is safe).
    return SchoolCalendar.from_terms(
        blocks, {d: "INSET day" for d in closures}, name=name, term_names=None
    )


@st.composite
def _calendars(
    draw: st.DrawFn, first_year: int, last_year: int, max_closures: int
) -> SchoolCalendar:
    year = draw(st.integers(first_year, last_year))
    # Autumn: the first half-term starts on a weekday in the first week of September and runs
    # six to eight weeks; a one- or two-week holiday; the second ends on the last Friday on or
    # before 22 December.
    first = date(year, 9, 1) + timedelta(days=draw(st.integers(0, 6)))
    if first.weekday() >= 5:
        first = _monday_on_or_after(first)
    week_one = first - timedelta(days=first.weekday())
    blocks: list[tuple[date, date]] = []
    end = week_one + timedelta(weeks=draw(st.integers(6, 8)), days=-3)
    blocks.append((first, end))
    start = end + timedelta(days=3, weeks=draw(st.integers(1, 2)))
    end = _friday_on_or_before(date(year, 12, 22))
    blocks.append((start, end))
    # Spring and summer: from the first Monday on or after 2 January, three half-terms of five
    # or six weeks, followed by holidays of one, two (Easter) and one week; the last half-term
    # ends on a weekday between 17 and 24 July.
    start = _monday_on_or_after(date(year + 1, 1, 2))
    for holiday_weeks in (1, 2, 1):
        end = start + timedelta(weeks=draw(st.integers(5, 6)), days=-3)
        blocks.append((start, end))
        start = end + timedelta(days=3, weeks=holiday_weeks)
    last = date(year + 1, 7, 17) + timedelta(days=draw(st.integers(0, 7)))
    while last.weekday() >= 5:
        last -= timedelta(days=1)
    blocks.append((start, last))
    # INSET closures: often the first day of a half-term, sometimes any weekday in one.
    weekdays = [
        a + timedelta(days=i)
        for a, b in blocks
        for i in range((b - a).days + 1)
        if (a + timedelta(days=i)).weekday() < 5
    ]
    picks = draw(
        st.lists(
            st.one_of(
                st.integers(0, len(blocks) - 1).map(lambda k: blocks[k][0]),
                st.integers(0, len(weekdays) - 1).map(weekdays.__getitem__),
            ),
            max_size=max_closures,
        )
    )
    chosen = sorted(set(picks))
    name = f"Fuzzed school year {year}-{(year + 1) % 100:02d}"
    return _calendar(tuple(blocks), tuple(chosen), name)


def calendars(
    *, first_year: int = 2023, last_year: int = 2030, max_closures: int = 5
) -> st.SearchStrategy[SchoolCalendar]:
    """School calendars of one school year, starting in September of a year in
    `[first_year, last_year]`: six half-terms (autumn, autumn, spring, spring, summer, summer)
    with holidays between them (the Christmas holiday spans the new year), up to
    `max_closures` INSET days inside them, and the England bank holidays. Built with
    `SchoolCalendar.from_terms`; equal draws return the same (immutable) instance.

    Example::

        @given(calendars())
        def test_my_term_export_covers_every_school_day(calendar):
            exported = my_export(calendar)  # your code
            assert all(calendar.is_school_day(d) for d in exported.school_days)
    """
    if first_year > last_year:
        raise ValueError("first_year must not be after last_year")
    return _calendars(first_year, last_year, max_closures)


# --- the calendar's school days ---------------------------------------------------------------


@dataclass(frozen=True)
class _Days:
    """The school days of a calendar, and the index range generated dates may take."""

    calendar: SchoolCalendar
    days: tuple[date, ...]
    lo: int
    """The first index at which a placement or exclusion may begin."""
    hi: int
    """The last index any generated date may take."""

    def index(self, d: date) -> int:
        """The index of the school day on or after d."""
        return min(bisect_left(self.days, d), len(self.days) - 1)

    def clamp(self, i: int) -> int:
        return max(0, min(self.hi, i))

    def day(self, draw: st.DrawFn, a: int, b: int) -> date:
        """A school day with index in [a, b] (clamped to the usable range)."""
        a, b = self.clamp(a), self.clamp(b)
        return self.days[draw(st.integers(min(a, b), max(a, b)))]

    def when(self, draw: st.DrawFn, a: int, b: int) -> date:
        """A school day with index in [a, b], or now and then the day after one (a weekend,
        holiday or closure where the school day is the last before one): records are not
        always dated on school days."""
        d = self.day(draw, a, b)
        if d < self.days[self.hi] and draw(st.integers(0, 9)) == 0:
            return d + timedelta(days=1)
        return d

    def later(self, draw: st.DrawFn, d: date, most: int) -> date:
        """A date from d to `most` school days after it (at least d itself)."""
        i = self.index(d)
        return max(d, self.when(draw, i, i + most))


@functools.lru_cache(maxsize=512)
def _days_of(calendar: SchoolCalendar) -> _Days:
    days = (*calendar.school_days(calendar.first_day, calendar.last_day),)
    if calendar.is_school_day(calendar.last_day):
        days = (*days, calendar.last_day)
    hi = len(days) - 1 - TAIL_SCHOOL_DAYS
    if hi - LEAD_SCHOOL_DAYS < 20:
        raise ValueError(
            f"{calendar.name} has {len(days)} school days: the strategies need at least "
            f"{LEAD_SCHOOL_DAYS + TAIL_SCHOOL_DAYS + 21}"
        )
    return _Days(calendar, days, LEAD_SCHOOL_DAYS, hi)


def as_of_dates(calendar: SchoolCalendar) -> st.SearchStrategy[date]:
    """Evaluation dates inside `calendar` (any day from its first to its last, holidays and
    weekends included): recurring duties can only be dated inside the calendar.

    Example::

        @given(st.data())
        def test_a_later_evaluation_date_is_accepted(data):
            calendar = SchoolCalendar.example()
            as_of = data.draw(as_of_dates(calendar))
            assert my_scheduler(calendar, as_of)  # your code
    """
    return st.dates(min_value=calendar.first_day, max_value=calendar.last_day)


# --- pupils -----------------------------------------------------------------------------------

_NAMES = ("Alex Example", "Sam Sample", "Jordan Fictional", "Riley Placeholder", "Casey Test")
_AGENCIES: tuple[Agency, ...] = get_args(Agency)


@st.composite
def _upns(draw: st.DrawFn) -> str:
    letter = draw(st.sampled_from("ABCDEFGHJKLMNPQRSTUVWXYZ"))
    digits = "".join(str(d) for d in draw(st.lists(st.integers(0, 9), min_size=11, max_size=11)))
    return letter + digits + draw(st.sampled_from("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"))


@st.composite
def _pupils(draw: st.DrawFn, school_year: int | None) -> Pupil:
    year = school_year if school_year is not None else draw(st.integers(2023, 2030))
    year_group = draw(st.one_of(st.integers(7, 11), st.integers(0, 14)))
    # Year N pupils are N + 4 on 1 September: born between 1 September and 31 August.
    born_from = date(year - year_group - 5, 9, 1)
    date_of_birth = draw(st.none() | st.dates(born_from, born_from + timedelta(days=364)))
    exam_entries = draw(
        st.none()
        | st.lists(
            st.builds(
                ExamEntry,
                subject=st.sampled_from(("English", "Maths", "Science", "Art", "History")),
                last_paper_on=st.dates(date(year + 1, 5, 10), date(year + 1, 6, 25)),
            ),
            max_size=3,
        ).map(tuple)
    )
    return Pupil(
        upn=draw(st.none() | _upns()),
        name=draw(st.none() | st.sampled_from(_NAMES)),
        date_of_birth=date_of_birth,
        year_group=year_group,
        looked_after=draw(st.booleans()),
        ehc_plan=draw(st.booleans()),
        send=draw(st.booleans()),
        semh_needs=draw(st.booleans()),
        fsm_eligible=draw(st.booleans()),
        social_worker=draw(st.booleans()),
        disabled=draw(st.booleans()),
        pastoral_support_programme=draw(st.booleans()),
        other_agencies=tuple(draw(st.lists(st.sampled_from(_AGENCIES), max_size=2, unique=True))),
        registered_at_school=draw(st.booleans() | st.just(True)),
        exam_entries=exam_entries,
    )


def pupils(*, school_year: int | None = None) -> st.SearchStrategy[Pupil]:
    """Pupils of any year group (Reception to beyond Year 13, mostly 7 to 11) with any mix of
    needs and flags: looked after, EHC plan, SEND, SEMH, free school meals, social worker,
    other agencies, exam entries (none known, none, or some). A date of birth, when given,
    fits the year group in the school year beginning in September of `school_year` (drawn
    when not given). Names are obvious placeholders.

    Example::

        @given(pupils())
        def test_my_pseudonymiser_drops_the_name(pupil):
            assert pupil.name is None or pupil.name not in my_pseudonymise(pupil)  # your code
    """
    return _pupils(school_year)


# --- providers --------------------------------------------------------------------------------

_PROVIDER_NAMES = (
    "Riverside Learning Centre",
    "Northgate Pupil Referral Unit",
    "Hillside Academy",
    "Meadow Farm Skills",
    "Canal Street College",
    "The Bridge (in-school unit)",
)
_STREETS = ("1 Mill Lane", "22 High Street", "Unit 4, Canal Wharf", "The Old School House")
_POSTCODES = ("RV1 2AB", "NG7 1XY", "M1 4BT", "LS2 9JT", "B15 2TT")
_PROVIDER_KINDS: tuple[ProviderKind, ...] = get_args(ProviderKind)


@st.composite
def _provider(draw: st.DrawFn, n: int) -> Provider:
    kind = draw(st.sampled_from(_PROVIDER_KINDS))
    digits = st.integers(0, 9).map(str)
    urn = ukprn = None
    if kind not in ("unregistered", "in_school_unit", "further_education_college"):
        urn = draw(st.none() | st.lists(digits, min_size=6, max_size=6).map("".join))
    if kind in ("further_education_college", "unregistered"):
        ukprn = draw(
            st.none() | st.lists(digits, min_size=7, max_size=7).map(lambda d: "1" + "".join(d))
        )
    addresses = draw(
        st.lists(
            st.builds(
                Address,
                lines=st.tuples(st.sampled_from(_STREETS), st.just("Riverside")),
                postcode=st.sampled_from(_POSTCODES),
                site=st.sampled_from(("main", "satellite", "subcontracted")),
            ),
            max_size=2,
        )
    )
    return Provider(
        id=f"PRV-{n}",
        name=draw(st.sampled_from(_PROVIDER_NAMES)),
        kind=kind,
        urn=urn,
        ukprn=ukprn,
        on_la_approved_list=draw(st.none() | st.booleans()),
        addresses=tuple(addresses),
        full_time_pupils=draw(st.none() | st.integers(0, 8)),
    )


@st.composite
def _providers(draw: st.DrawFn, max_size: int) -> list[Provider]:
    count = draw(st.integers(0, max_size))
    return [draw(_provider(n)) for n in range(1, count + 1)]


def providers(*, max_size: int = 3) -> st.SearchStrategy[list[Provider]]:
    """Lists of up to `max_size` providers of any kind (registered schools and colleges,
    unregistered provision, in-school units), with ids ``PRV-1``, ``PRV-2``, …, a URN or
    UKPRN where the kind has one, addresses, LA approval and numbers of other pupils.

    Example::

        @given(providers())
        def test_my_provider_sync_keeps_every_id(providers):
            assert {p.id for p in my_sync(providers)} == {p.id for p in providers}  # your code
    """
    return _providers(max_size)


# --- exclusions -------------------------------------------------------------------------------


@st.composite
def _exclusions(
    draw: st.DrawFn, calendar: SchoolCalendar, max_suspensions: int, permanent: bool | None
) -> list[Exclusion]:
    days = _days_of(calendar)
    out: list[Exclusion] = []
    # Suspensions in date order: each may follow the last directly (one cumulative period,
    # policy I.4) or after a gap. Room is left for the sixth school day and a follow-up.
    cursor = days.lo + draw(st.integers(0, 60))
    for n in range(1, draw(st.integers(0, max_suspensions)) + 1):
        length = draw(st.one_of(st.integers(1, 5), st.integers(1, 15)))
        if cursor + max(length, 6) > days.hi:
            break
        first_day = days.days[cursor]
        if draw(st.booleans()):  # whole school days
            out.append(Suspension(id=f"SUS-{n}", first_day=first_day, school_days=length))
        else:  # in sessions, as the census records it, touching `length` school days:
            # from a morning or an afternoon, to the end of a day or to lunchtime
            pm = draw(st.booleans())
            sessions = max(1, 2 * length - pm - draw(st.sampled_from((0, 1))))
            starts: tuple[Session | None, ...] = ("PM",) if pm else (None, "AM")
            first_session = draw(st.sampled_from(starts))
            out.append(
                Suspension(
                    id=f"SUS-{n}",
                    first_day=first_day,
                    sessions=sessions,
                    first_session=first_session,
                )
            )
        cursor += length + draw(st.one_of(st.just(0), st.integers(0, 50)))
    if permanent is None:
        permanent = draw(st.integers(0, 3)) == 0
    if permanent:
        first_day = days.day(draw, days.lo, days.hi - 6)
        out.append(PermanentExclusion(id="PEX-1", first_day=first_day))
    return out


def exclusions(
    calendar: SchoolCalendar, *, max_suspensions: int = 3, permanent: bool | None = None
) -> st.SearchStrategy[list[Exclusion]]:
    """Exclusion events on `calendar`: up to `max_suspensions` suspensions (``SUS-n``; of 1 to
    15 school days, some back to back so they form one cumulative period) and, when
    `permanent` is true (sometimes, when None), one permanent exclusion (``PEX-1``). Each begins
    on a school day. Pass them to :func:`placements` and :func:`events`.

    Example::

        @given(st.data())
        def test_my_exclusion_export(data):
            calendar = data.draw(calendars())
            history = data.draw(exclusions(calendar))
            assert len(my_export(history)) == len(history)  # your code
    """
    return _exclusions(calendar, max_suspensions, permanent)


# --- placements -------------------------------------------------------------------------------

_ADDRESSES = ("Riverside Learning Centre, 1 Mill Lane, Riverside RV1 2AB", "Room 4, main site")
_REPORT_TO = ("Ms Patel, Head of Centre", "Mr Jones, reception", "The AP lead")
_ATTENDANCE_CODES: tuple[AttendanceCode, ...] = get_args(AttendanceCode)
_USUAL_CODES: tuple[AttendanceCode, ...] = ("B", "D", "K")
"""B: off-site educational activity; D: dual registered; K: education arranged by the LA."""


@st.composite
def _session_times(draw: st.DrawFn) -> SessionTimes:
    if draw(st.booleans()):
        return TwoSessions(
            morning_starts=time(8, draw(st.sampled_from((30, 45)))),
            break_starts=time(12, 0),
            break_ends=time(12, draw(st.sampled_from((30, 45)))),
            afternoon_ends=time(15, draw(st.sampled_from((0, 15, 30)))),
        )
    starts = draw(st.sampled_from((time(9, 0), time(9, 30), time(13, 0))))
    return SingleSession(session_starts=starts, session_ends=time(starts.hour + 3, 30))


@st.composite
def _timetable(draw: st.DrawFn, days: _Days, start: int) -> WeeklyTimetable:
    """A weekly timetable: some sessions on some weekdays, perhaps a week it does not run."""
    sessions = st.sampled_from(((), ("AM",), ("PM",), ("AM", "PM")))
    week = draw(st.tuples(*(sessions for _ in WEEKDAYS)).filter(any))
    off: tuple[DateRange, ...] = ()
    if draw(st.booleans()):
        first = days.when(draw, start, start + 30)
        off = (DateRange(first_day=first, last_day=days.later(draw, first, 5)),)
    return WeeklyTimetable(**dict(zip(WEEKDAYS, week, strict=True)), not_running=off)


@st.composite
def _placement(
    draw: st.DrawFn,
    days: _Days,
    n: int,
    provider_ids: tuple[str, ...],
    suspensions: tuple[Suspension, ...],
    permanents: tuple[PermanentExclusion, ...],
) -> Placement:
    kinds: list[PlacementKind] = ["off_site_direction", "in_school_unit", "medical", "other"]
    if suspensions:
        kinds += ["suspension_provision"] * 2
    if permanents:
        kinds += ["permanent_exclusion_provision"] * 2
    kind = draw(st.sampled_from(kinds))
    for_exclusion = None
    if kind == "suspension_provision":
        # Provision from the suspension's first to sixth school day; linked by id, or by its
        # start date falling within the suspension.
        suspension = draw(st.sampled_from(suspensions))
        i = days.index(suspension.first_day)
        start_date = days.day(draw, max(i, days.lo), i + 5)
        for_exclusion = draw(st.none() | st.just(suspension.id))
    elif kind == "permanent_exclusion_provision":
        exclusion = draw(st.sampled_from(permanents))
        i = days.index(exclusion.first_day)
        start_date = days.day(draw, max(i, days.lo), i + 7)
        for_exclusion = draw(st.none() | st.just(exclusion.id))
    else:
        start_date = days.day(draw, days.lo, days.hi)
    start = days.index(start_date)
    end_date = None
    if draw(st.booleans()):
        end_date = days.when(draw, start, start + draw(st.integers(0, 60)))
    arranged_on = None
    if kind == "off_site_direction" or draw(st.booleans()):
        arranged_on = min(start_date, days.when(draw, start - 20, start))
    provider_id = draw(st.none() | st.sampled_from(provider_ids)) if provider_ids else None
    dual_registered_on = None
    if draw(st.integers(0, 3)) == 0:
        dual_registered_on = days.when(draw, start - 3, start + 5)
    timetable = draw(st.none() | _timetable(days, start))
    sessions_per_week = draw(st.none() | st.integers(1, 10))
    if timetable is not None and sessions_per_week is not None:
        sessions_per_week = timetable.sessions_per_week
    return Placement(
        id=f"PL-{n}",
        kind=kind,
        provider_id=provider_id,
        start_date=start_date,
        end_date=end_date,
        full_time=draw(st.booleans()),
        session_times=draw(st.none() | _session_times()),
        address=draw(st.none() | st.sampled_from(_ADDRESSES)),
        report_to=draw(st.none() | st.sampled_from(_REPORT_TO)),
        arranged_on=arranged_on,
        arranged_by=draw(st.sampled_from(("school", "school", "local_authority"))),
        dual_registered_on=dual_registered_on,
        attendance_code=draw(
            st.none() | st.sampled_from(_USUAL_CODES) | st.sampled_from(_ATTENDANCE_CODES)
        ),
        sessions_per_week=sessions_per_week,
        timetable=timetable,
        for_exclusion=for_exclusion,
    )


@st.composite
def _placements(
    draw: st.DrawFn,
    calendar: SchoolCalendar,
    provider_ids: tuple[str, ...],
    history: tuple[Exclusion, ...],
    max_size: int,
) -> list[Placement]:
    days = _days_of(calendar)
    suspensions = tuple(e for e in history if isinstance(e, Suspension))
    permanents = tuple(e for e in history if isinstance(e, PermanentExclusion))
    count = draw(st.integers(0, max_size))
    return [
        draw(_placement(days, n, provider_ids, suspensions, permanents))
        for n in range(1, count + 1)
    ]


def placements(
    calendar: SchoolCalendar,
    providers: Sequence[Provider] = (),
    exclusions: Sequence[Event] = (),
    *,
    max_size: int = 3,
) -> st.SearchStrategy[list[Placement]]:
    """Lists of up to `max_size` placements (``PL-n``) on `calendar`, each at one of
    `providers` or at none. Off-site directions, in-school units, medical and other provision
    start on any usable school day; provision for one of `exclusions` (the suspensions and
    permanent exclusions of :func:`exclusions`) starts within its first school days and names
    it in `for_exclusion`, or not (then it is linked by its dates). Off-site directions are
    arranged on or before they start; an end date, when given, is on or after the start.

    Example::

        @given(st.data())
        def test_my_timetable_shows_every_placement(data):
            calendar = data.draw(calendars())
            at = data.draw(providers())
            for placement in data.draw(placements(calendar, at)):
                assert placement.id in my_timetable(placement)  # your code
    """
    history = tuple(e for e in exclusions if isinstance(e, (Suspension, PermanentExclusion)))
    return _placements(calendar, tuple(p.id for p in providers), history, max_size)


# --- events -----------------------------------------------------------------------------------

_INFORMATION: tuple[InformationItem, ...] = get_args(InformationItem)
_PLAN_PARTS: tuple[PlanPart, ...] = get_args(PlanPart)
_CHECKS: tuple[ProviderCheckKind, ...] = get_args(ProviderCheckKind)
_ATTENDEES: tuple[Attendee, ...] = get_args(Attendee)
_TOPICS: tuple[ReviewTopic, ...] = get_args(ReviewTopic)
_INTERVENTIONS: tuple[InterventionType, ...] = get_args(InterventionType)
_METHODS = ("letter", "email", "text_message", "hand_delivered", "phone", "in_person")
_WRITTEN = ("letter", "email", "text_message", "hand_delivered")
_TimetableReason = Literal["medical", "reintegration", "managing_behaviour", "other"]
_TIMETABLE_REASONS: tuple[_TimetableReason, ...] = get_args(_TimetableReason)
_Concern = Literal["behaviour", "risk_of_exclusion"]
_CONCERNS: tuple[_Concern, ...] = get_args(_Concern)


def _times(placement: Placement, thorough: bool) -> st.SearchStrategy[SessionTimes | None]:
    """Session times for a notice: the placement's own (always, when thorough), or any."""
    if thorough and placement.session_times is not None:
        return st.just(placement.session_times)
    if thorough:
        return _session_times()
    return st.none() | st.just(placement.session_times) | _session_times()


def _members(model: type[BaseModel], field: str) -> tuple[Any, ...]:
    """The values a field holding a tuple of choices may hold, read off the model."""
    (item, _) = get_args(model.model_fields[field].annotation)
    return get_args(item)


def _subset(items: Sequence[Any], *, min_size: int = 0) -> st.SearchStrategy[tuple[Any, ...]]:
    """A distinct subset of items, in their own order."""
    return st.lists(st.sampled_from(items), min_size=min_size, unique=True).map(
        lambda chosen: tuple(i for i in items if i in chosen)
    )


@st.composite
def _sent_at(draw: st.DrawFn, days: _Days, on: date) -> datetime:
    """A moment on `on` or a day or two before it (an evening or weekend, sometimes), local
    time, or the same moment in UTC."""
    d = max(days.calendar.first_day, on - timedelta(days=draw(st.sampled_from((0, 0, 0, 1, 2)))))
    local = datetime.combine(d, time(draw(st.integers(7, 20)), draw(st.sampled_from((0, 15, 45)))))
    if draw(st.integers(0, 4)) == 0:
        from apcompliance.calendar.clock import SCHOOL_TIMEZONE

        return local.replace(tzinfo=SCHOOL_TIMEZONE).astimezone(timezone.utc)
    return local


def _time_of_day(on: date) -> st.SearchStrategy[datetime | None]:
    """No time, or a time on `on` around the start of the school day (a record on a
    placement's first day shows by it whether it came before the first session)."""
    return st.none() | st.builds(
        lambda h, m: datetime.combine(on, time(h, m)), st.integers(7, 10), st.sampled_from((0, 30))
    )


@dataclass(frozen=True)
class _Span:
    """A placement's school-day indexes: arranged, start and (planned) end."""

    placement: Placement
    arranged: int
    start: int
    end: int


def _span(days: _Days, placement: Placement) -> _Span:
    start = days.index(placement.start_date)
    end = days.index(placement.end_date) if placement.end_date else days.clamp(start + 60)
    arranged = days.index(placement.arranged_on) if placement.arranged_on else start - 15
    return _Span(placement, arranged, start, end)


def _before(draw: st.DrawFn, days: _Days, span: _Span) -> date:
    """Around the time a placement is arranged, before it starts (or just after)."""
    return days.when(draw, min(span.arranged, span.start) - 5, span.start + 2)


def _during(draw: st.DrawFn, days: _Days, span: _Span) -> date:
    return days.when(draw, span.start, span.end)


def _at_end(draw: st.DrawFn, days: _Days, span: _Span) -> date:
    return days.when(draw, span.end - 10, span.end + 5)


def _choices(annotation: Any) -> list[Any]:
    """The alternatives of a type, None left out."""
    if get_origin(annotation) is Annotated:
        return _choices(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        return [x for a in get_args(annotation) for x in _choices(a)]
    return [] if annotation is type(None) else [annotation]


def _bounds(info: Any, lo: int, hi: int) -> tuple[int, int]:
    """A number field's bounds (`ge`, `le`), within [lo, hi] where it has none."""
    for m in info.metadata:
        lo = int(getattr(m, "ge", lo))
        hi = int(getattr(m, "le", hi))
    return lo, hi


def _from_model(
    draw: st.DrawFn,
    days: _Days,
    model: type[Fact],
    id_: str,
    on: date,
    references: dict[str, str],
    thorough: bool,
) -> Event:
    """An event of `kind` drawn from its model's fields: its first date `on`, later dates on or
    after it, date-times on that day, choices, whole numbers within the model's bounds, subsets
    of a tuple of choices, placeholder text; an optional field is left out now and then (never
    when `thorough`). How a kind with no strategy of its own is generated."""
    values: dict[str, Any] = {"id": id_, **references}
    dated = False
    for name, info in model.model_fields.items():
        if name in values or name == "kind":
            continue
        options = _choices(info.annotation)
        optional = type(None) in get_args(info.annotation) or not info.is_required()
        if optional and (name == "about" or name.endswith("_id")):
            continue  # a reference not given: this event is about something else
        if optional and not thorough and draw(st.integers(0, 2)) == 0:
            continue
        if options == [date]:
            value: Any = days.later(draw, on, 10) if dated else on
            dated = True
        elif options == [datetime]:
            value = draw(_sent_at(days, on))
        elif options == [bool]:
            value = True if thorough else draw(st.booleans())
        elif options in ([int], [float]):
            lo, hi = _bounds(info, 0, 100)
            value = options[0](draw(st.integers(lo, min(hi, lo + 20))))
        elif len(options) == 1 and get_origin(options[0]) is Literal:
            value = draw(st.sampled_from(get_args(options[0])))
        elif len(options) == 1 and get_origin(options[0]) is tuple:
            item = get_args(options[0])[0]
            least = 1 if any(getattr(m, "min_length", 0) for m in info.metadata) else 0
            members = get_args(item) if get_origin(item) is Literal else ()
            if least and not members:
                continue  # a tuple of ids this builder cannot resolve: keep the default
            value = tuple(members) if thorough else draw(_subset(members, min_size=least))
        elif options == [str]:
            value = "Recorded."
        elif any(isinstance(o, type) and issubclass(o, BaseModel) for o in options):
            value = draw(_session_times())
        else:  # pragma: no cover - a field type this builder does not know
            raise TypeError(f"apcompliance.testing cannot draw {model.__name__}.{name}")
        values[name] = value
    return model.model_validate(values)  # type: ignore[return-value]


def _placement_event(
    draw: st.DrawFn, days: _Days, kind: str, id_: str, span: _Span, thorough: bool
) -> Event:
    pid = span.placement.id
    maybe = st.just(True) if thorough else st.booleans()

    def some(items: Sequence[Any], min_size: int = 0) -> st.SearchStrategy[tuple[Any, ...]]:
        return st.just(tuple(items)) if thorough else _subset(items, min_size=min_size)

    def stated(value: Any) -> st.SearchStrategy[Any]:
        return st.just(value) if thorough else st.none() | st.just(value)

    if kind == "referral_notice":
        on = _before(draw, days, span)
        return ReferralNotice(
            id=id_,
            placement_id=pid,
            sent_at=draw(_sent_at(days, on)),
            method=draw(st.sampled_from(_WRITTEN if thorough else _METHODS)),
            recipients=draw(some(_members(ReferralNotice, "recipients"), min_size=1)),
            start_date=draw(stated(span.placement.start_date)),
            provision_address=draw(stated(_ADDRESSES[0])),
            report_to=draw(stated(_REPORT_TO[0])),
            number_of_days=draw(st.integers(5, 60) if thorough else st.none() | st.integers(5, 60)),
            reasons=draw(stated("Reasons as discussed at the meeting.")),
            objectives=draw(stated("Re-engage with learning.")),
            session_times=draw(_times(span.placement, thorough)),
            review_arrangements=draw(stated("Reviewed every six weeks.")),
        )
    if kind == "direction_meeting":
        held_on = _before(draw, days, span)
        return DirectionMeeting(
            id=id_,
            placement_id=pid,
            held_on=held_on,
            held_at=draw(_time_of_day(held_on)),
            pupil_invited=draw(maybe),
            parents_invited=draw(maybe),
            reasons_explained=draw(maybe),
            not_an_exclusion_explained=draw(maybe),
            support_responsibilities_set=draw(maybe),
            agreement_review_timescales_set=draw(maybe),
            review_interval_weeks=draw(st.none() | st.integers(2, 12)),
        )
    if kind == "parental_agreement":
        return ParentalAgreement(
            id=id_,
            placement_id=pid,
            recorded_on=_before(draw, days, span),
            outcome=draw(st.sampled_from(("agreed", "agreed", "refused", "not_possible"))),
            review_arrangements_shared_with=draw(
                some(_members(ParentalAgreement, "review_arrangements_shared_with"))
            ),
        )
    if kind == "suitability_check":
        checked_on = _before(draw, days, span)
        return SuitabilityCheck(
            id=id_,
            placement_id=pid,
            checked_on=checked_on,
            checked_at=draw(_time_of_day(checked_on)),
            addresses_sen=draw(maybe),
            venue_appropriate=draw(maybe),
            accommodation_suitable=draw(maybe),
            reasonable_adjustments_considered=draw(maybe),
            safeguarding_arrangements=draw(maybe),
            pastoral_support=draw(maybe),
            health_and_safety=draw(maybe),
            transport=draw(maybe),
        )
    if kind == "short_notice_consent":
        return ShortNoticeConsent(
            id=id_, placement_id=pid, given_on=days.day(draw, span.start - 3, span.start)
        )
    if kind == "information_shared":
        shared_on = _before(draw, days, span)
        return InformationShared(
            id=id_,
            placement_id=pid,
            shared_on=shared_on,
            shared_at=draw(_time_of_day(shared_on)),
            items=draw(some(_INFORMATION, min_size=1)),
        )
    if kind == "learning_plan":
        return LearningPlan(
            id=id_,
            placement_id=pid,
            agreed_on=_before(draw, days, span),
            includes=draw(some(_PLAN_PARTS)),
            pupil_involved=draw(maybe),
            pupil_told_reasons_and_outcome=draw(maybe),
        )
    if kind == "fsm_arrangement":
        return FsmArrangement(
            id=id_,
            placement_id=pid,
            arranged_on=_before(draw, days, span),
            provision=draw(st.sampled_from(("meals", "vouchers", "food"))),
        )
    if kind == "visit":
        when = _before(draw, days, span) if draw(maybe) else _during(draw, days, span)
        return Visit(
            id=id_,
            placement_id=pid,
            visited_on=when,
            form=draw(st.sampled_from(("visit", "meeting"))),
            by=draw(st.sampled_from(("ap_lead", "other_staff"))),
        )
    if kind == "placement_review":
        return PlacementReview(
            id=id_,
            placement_id=pid,
            held_on=_during(draw, days, span),
            meeting=draw(maybe),
            formal=draw(maybe),
            attendees=draw(some(_ATTENDEES)),
            parents_consulted=draw(maybe),
            covered=draw(some(_TOPICS)),
        )
    if kind == "review_request":
        return ReviewRequest(
            id=id_,
            placement_id=pid,
            requested_on=_during(draw, days, span),
            by=draw(st.sampled_from(("parents", "local_authority"))),
            in_writing=draw(maybe),
        )
    if kind == "progress_record":
        return ProgressRecord(
            id=id_,
            placement_id=pid,
            recorded_on=_during(draw, days, span),
            progress=draw(st.sampled_from(("satisfactory", "unsatisfactory"))),
        )
    if kind == "absence":
        absent_on = _during(draw, days, span)
        return Absence(
            id=id_,
            placement_id=pid,
            absent_on=absent_on,
            provider_reported_on=draw(stated(days.later(draw, absent_on, 3))),
            parents_contacted_on=draw(stated(days.later(draw, absent_on, 3))),
        )
    if kind == "attendance_update":
        return AttendanceUpdate(
            id=id_,
            placement_id=pid,
            updated_on=_during(draw, days, span),
            attendance_percent=float(draw(st.integers(90 if thorough else 40, 100))),
            shared_with=draw(some(_members(AttendanceUpdate, "shared_with"))),
        )
    if kind == "provider_report":
        return ProviderReport(
            id=id_,
            placement_id=pid,
            received_on=_during(draw, days, span),
            covers=draw(some(_members(ProviderReport, "covers"))),
        )
    if kind == "serious_incident":
        occurred_on = _during(draw, days, span)
        informed = draw(stated(days.later(draw, occurred_on, 3)))
        decided = draw(stated(days.later(draw, informed or occurred_on, 8)))
        return SeriousIncident(
            id=id_,
            placement_id=pid,
            occurred_on=occurred_on,
            school_informed_on=informed,
            action_decided_on=decided,
            decided_with=draw(some(_members(SeriousIncident, "decided_with"))),
        )
    if kind == "safeguarding_concern":
        raised_on = _during(draw, days, span)
        return SafeguardingConcern(
            id=id_,
            placement_id=pid,
            raised_on=raised_on,
            resolved_on=draw(stated(days.later(draw, raised_on, 20))),
        )
    if kind == "final_report":
        return FinalReport(
            id=id_,
            placement_id=pid,
            received_on=_at_end(draw, days, span),
            covers=draw(some(_members(FinalReport, "covers"))),
        )
    if kind == "placement_record":
        return PlacementRecord(
            id=id_,
            placement_id=pid,
            recorded_on=_at_end(draw, days, span),
            includes=draw(some(_members(PlacementRecord, "includes"))),
        )
    if kind in _DIRECTION_KINDS + _SETUP_KINDS:
        on = _before(draw, days, span)
    elif kind in _RETURN_KINDS:
        on = _at_end(draw, days, span)
    else:
        on = _during(draw, days, span)
    return _from_model(draw, days, _MODELS[kind], id_, on, {"placement_id": pid}, thorough)


def _exclusion_event(
    draw: st.DrawFn, days: _Days, kind: str, id_: str, exclusion: Exclusion, thorough: bool
) -> Event:
    first = days.index(exclusion.first_day)

    def stated(value: Any) -> st.SearchStrategy[Any]:
        return st.just(value) if thorough else st.none() | st.just(value)

    if kind == "exclusion_notice":
        on = days.day(draw, first - 1, first + 1)
        return ExclusionNotice(
            id=id_,
            about=exclusion.id,
            sent_at=draw(_sent_at(days, on)),
            method=draw(st.sampled_from(_WRITTEN if thorough else _METHODS)),
            provision_start_date=draw(stated(days.day(draw, first, first + 5))),
            session_times=draw(stated(draw(_session_times()))),
            provision_address=draw(stated(_ADDRESSES[0])),
            report_to=draw(stated(_REPORT_TO[0])),
        )
    if kind == "exclusion_notification":
        return ExclusionNotification(
            id=id_,
            about=exclusion.id,
            notified_on=days.when(draw, first, first + 3),
            to=draw(st.sampled_from(("local_authority", "social_worker", "virtual_school_head"))),
        )
    if kind == "work_set":
        set_on = days.when(draw, first, first + 3)
        return WorkSet(
            id=id_,
            about=exclusion.id,
            set_on=set_on,
            marked_on=draw(stated(days.later(draw, set_on, 5))),
        )
    if kind == "pep_record":
        return PepRecord(
            id=id_,
            about=exclusion.id,
            recorded_on=days.when(draw, first, first + 5),
            records_immediate_provision=draw(st.just(True) if thorough else st.booleans()),
        )
    on = days.when(draw, first, first + 5)
    return _from_model(draw, days, _MODELS[kind], id_, on, {"about": exclusion.id}, thorough)


def _pupil_events(
    draw: st.DrawFn, days: _Days, kind: str, n: int, provider_ids: tuple[str, ...], thorough: bool
) -> list[Event]:
    """One event about the pupil (a part-time timetable comes with its reviews)."""
    id_ = f"EV-{n}"
    on = days.when(draw, 0, days.hi)
    if kind == "behaviour_concern":
        concern = draw(st.sampled_from(_CONCERNS))
        return [BehaviourConcern(id=id_, recorded_on=on, concern=concern)]
    if kind == "intervention":
        what = draw(st.sampled_from(_INTERVENTIONS))
        return [Intervention(id=id_, started_on=on, intervention=what)]
    if kind == "needs_consideration":
        roles = ("headteacher", "dsl", "senco")
        by = roles if thorough else draw(_subset(roles, min_size=1))
        return [NeedsConsideration(id=id_, considered_on=on, by=by)]
    if kind == "lunchtime_exclusion":  # from a school day, as a suspension
        first = days.day(draw, days.lo, days.hi)
        return [LunchtimeExclusion(id=id_, first_day=first, lunchtimes=draw(st.integers(1, 5)))]
    if kind == "ehc_plan_review":
        contributions = draw(_subset(provider_ids)) if provider_ids else ()
        return [EhcPlanReview(id=id_, held_on=on, provider_contributions=contributions)]
    if kind == "part_time_timetable":
        timetable = PartTimeTimetable(
            id=id_,
            starts_on=on,
            ends_on=draw(st.none() | st.just(days.later(draw, on, 40))),
            reason=draw(st.sampled_from(_TIMETABLE_REASONS)),
            review_every_weeks=draw(st.none() | st.integers(1, 6)),
            absence_code=draw(st.none() | st.sampled_from(("C2", "other"))),
        )
        reviews: list[Event] = [
            TimetableReview(
                id=f"{id_}.R{r}",
                timetable_id=id_,
                reviewed_on=days.later(draw, on, 40),
                with_pupil_and_parents=thorough or draw(st.booleans()),
            )
            for r in range(1, draw(st.integers(0, 2)) + 1)
        ]
        return [timetable, *reviews]
    return [_from_model(draw, days, _MODELS[kind], id_, on, {}, thorough)]


_DIRECTION_KINDS = (
    "referral_notice",
    "direction_meeting",
    "parental_agreement",
    "agencies_notified",
    "la_sen_consultation",
)
"""Events of an off-site direction (generated for off_site_direction placements)."""

_SETUP_KINDS = (
    "suitability_check",
    "short_notice_consent",
    "information_shared",
    "learning_plan",
    "fsm_arrangement",
    "la_contacted",
    "visit",
)
"""Commissioning a placement: around the time it is arranged."""

_MONITORING_KINDS: tuple[str, ...] = (
    "placement_review",
    "review_request",
    "progress_record",
    "absence",
    "attendance_update",
    "attendance_intervention",
    "provider_report",
    "serious_incident",
    "safeguarding_concern",
)
"""Monitoring a placement: while it runs."""

_RETURN_KINDS = (
    "return_to_school",
    "reintegration_plan",
    "final_report",
    "pupil_views",
    "reintegration_meeting",
    "not_possible",
    "placement_record",
)
"""Returning to school: around the time a placement ends."""

_EXCLUSION_EVENT_KINDS: tuple[str, ...] = (
    "exclusion_notice",
    "exclusion_notification",
    "work_set",
    "pep_record",
)
"""Events about a suspension or permanent exclusion (`about`)."""

_PUPIL_KINDS: tuple[str, ...] = (
    "behaviour_concern",
    "intervention",
    "needs_consideration",
    "needs_assessment",
    "ehc_plan_review",
    "part_time_timetable",
    "lunchtime_exclusion",
)
"""Events about the pupil (a part-time timetable comes with its timetable reviews)."""

_MODELS: dict[str, type[Fact]] = {m.model_fields["kind"].default: m for m in EVENT_MODELS}
_DRAWN_BY_HAND = frozenset(
    (*_DIRECTION_KINDS, *_SETUP_KINDS, *_MONITORING_KINDS, *_RETURN_KINDS),
) | frozenset((*_EXCLUSION_EVENT_KINDS, *_PUPIL_KINDS, "provider_check", "timetable_review"))
_DRAWN_BY_HAND |= {"suspension", "permanent_exclusion"}


def _by_reference(reference: str | None) -> tuple[str, ...]:
    """The kinds with no strategy of their own that refer to `reference` (None: to nothing)."""
    refs = ("placement_id", "about", "provider_id")
    return tuple(
        kind
        for kind, model in _MODELS.items()
        if kind not in _DRAWN_BY_HAND
        and (
            reference in model.model_fields
            if reference
            else not set(refs) & set(model.model_fields)
        )
    )


_MONITORING_KINDS += _by_reference("placement_id")
_EXCLUSION_EVENT_KINDS += _by_reference("about")
_PUPIL_KINDS += _by_reference(None)
_PROVIDER_KINDS_OF_EVENT = ("provider_check", *_by_reference("provider_id"))
"""A new event kind is drawn from its model (`_from_model`) in the family its reference puts it
in: a placement's (while it runs), an exclusion's, a provider's, or the pupil's."""


@st.composite
def _events(
    draw: st.DrawFn,
    calendar: SchoolCalendar,
    placements: tuple[Placement, ...],
    provider_ids: tuple[str, ...],
    history: tuple[Exclusion, ...],
    max_size: int,
) -> list[Event]:
    days = _days_of(calendar)
    spans = [_span(days, p) for p in placements]
    directions = [s for s in spans if s.placement.kind == "off_site_direction"]
    # Each family of events (about the pupil; setting up, monitoring and ending a placement; a
    # direction; an exclusion; a provider) is drawn about as often as the others.
    families: list[tuple[str, ...]] = [_PUPIL_KINDS]
    if spans:
        families += [_SETUP_KINDS, _MONITORING_KINDS, _RETURN_KINDS]
    if directions:
        families.append(_DIRECTION_KINDS)
    if history:
        families.append(_EXCLUSION_EVENT_KINDS)
    if provider_ids:
        families.append(_PROVIDER_KINDS_OF_EVENT)
    kinds = st.one_of([st.sampled_from(family) for family in families])
    # A thorough school records everything in full (every item shared, every attendee, notices
    # in writing with every detail); otherwise each detail is there or not.
    thorough = draw(st.booleans())
    out: list[Event] = list(history)
    for n, kind in enumerate(draw(st.lists(kinds, max_size=max_size)), 1):
        id_ = f"EV-{n}"
        if kind in _DIRECTION_KINDS:
            span = draw(st.sampled_from(directions))
            out.append(_placement_event(draw, days, kind, id_, span, thorough))
        elif kind in _SETUP_KINDS + _MONITORING_KINDS + _RETURN_KINDS:
            span = draw(st.sampled_from(spans))
            out.append(_placement_event(draw, days, kind, id_, span, thorough))
        elif kind in _EXCLUSION_EVENT_KINDS:
            exclusion = draw(st.sampled_from(history))
            out.append(_exclusion_event(draw, days, kind, id_, exclusion, thorough))
        elif kind in _PROVIDER_KINDS_OF_EVENT and kind != "provider_check":
            provider_id = draw(st.sampled_from(provider_ids))
            on = days.when(draw, 0, days.hi)
            out.append(
                _from_model(
                    draw, days, _MODELS[kind], id_, on, {"provider_id": provider_id}, thorough
                )
            )
        elif kind == "provider_check":
            provider_id = draw(st.sampled_from(provider_ids))
            starts = [s.start for s in spans if s.placement.provider_id == provider_id]
            anchor = min(starts) if starts else days.hi
            checked_on = days.when(draw, anchor - 20, anchor + 2)
            out.append(
                ProviderCheck(
                    id=id_,
                    provider_id=provider_id,
                    checked_on=checked_on,
                    checked_at=draw(_time_of_day(checked_on)),
                    check=draw(st.sampled_from(_CHECKS)),
                    in_writing=thorough or draw(st.booleans()),
                )
            )
        else:
            out += _pupil_events(draw, days, kind, n, provider_ids, thorough)
    return out


def events(
    calendar: SchoolCalendar,
    placements: Sequence[Placement] = (),
    providers: Sequence[Provider] = (),
    exclusions: Sequence[Event] = (),
    *,
    max_size: int = 12,
) -> st.SearchStrategy[list[Event]]:
    """A pupil's event history on `calendar`: the given `exclusions` (from
    :func:`exclusions`) followed by up to `max_size` further events (``EV-n``) of the kinds the
    rules speak about: notices, notifications, work set and PEP records about an exclusion;
    referral notices, meetings, agreements and consultations of an off-site direction; checks
    of a provider; information shared, learning plans, visits, reviews, progress, absences,
    attendance, reports, incidents, concerns and returning to school for a placement; and
    concerns, interventions, needs, EHC plan reviews and part-time timetables (with their
    reviews) for the pupil. Every reference (`placement_id`, `about`, `provider_id`,
    `timetable_id`, `provider_contributions`) resolves to one of the arguments; every date is
    inside the calendar and later-dated fields never precede earlier ones (an absence is
    reported on or after it).

    Example::

        @given(st.data())
        def test_my_event_import_round_trips(data):
            calendar = data.draw(calendars())
            at = data.draw(providers())
            placed = data.draw(placements(calendar, at))
            history = data.draw(events(calendar, placed, at))
            assert my_import(my_export(history)) == history  # your code
    """
    history = tuple(e for e in exclusions if isinstance(e, (Suspension, PermanentExclusion)))
    return _events(calendar, tuple(placements), tuple(p.id for p in providers), history, max_size)


# --- cases ------------------------------------------------------------------------------------


class Scenario(NamedTuple):
    """A generated case with the calendar it is valid on and a date to evaluate it as of."""

    case: Case
    calendar: SchoolCalendar
    as_of: date


def case_ids() -> st.SearchStrategy[str]:
    """Case ids of the form a school system might use (``AP-2025-0042``)."""
    return st.builds(
        lambda year, n: f"AP-{year}-{n:04d}", st.integers(2023, 2031), st.integers(1, 9999)
    )


@st.composite
def _cases(
    draw: st.DrawFn,
    calendar: SchoolCalendar | None,
    max_providers: int,
    max_placements: int,
    max_events: int,
) -> Scenario:
    cal = calendar if calendar is not None else draw(calendars())
    at = draw(providers(max_size=max_providers))
    history = draw(exclusions(cal))
    placed = draw(placements(cal, at, history, max_size=max_placements))
    happened = draw(events(cal, placed, at, history, max_size=max_events))
    case = Case(
        case_id=draw(case_ids()),
        pupil=draw(pupils(school_year=cal.first_day.year)),
        providers=tuple(at),
        placements=tuple(placed),
        events=tuple(happened),
    )
    return Scenario(case, cal, draw(as_of_dates(cal)))


def cases(
    calendar: SchoolCalendar | None = None,
    *,
    max_providers: int = 3,
    max_placements: int = 3,
    max_events: int = 12,
) -> st.SearchStrategy[Scenario]:
    """Whole cases, valid by construction, as :class:`Scenario` ``(case, calendar, as_of)``:
    a pupil (:func:`pupils`), providers, exclusions, placements and an event history, on
    `calendar` (drawn from :func:`calendars` when not given), and an evaluation date inside it.
    `evaluate(case, as_of=as_of, calendar=calendar)` assesses it without raising.

    Example::

        @settings(max_examples=50, deadline=None)
        @given(cases(calendar=SchoolCalendar.example()))
        def test_my_dashboard_lists_every_violation(scenario):
            assessment = evaluate(scenario.case, as_of=scenario.as_of, calendar=scenario.calendar)
            shown = my_dashboard(assessment)  # your code
            assert len(shown.violations) == len(assessment.violations)
    """
    return _cases(calendar, max_providers, max_placements, max_events)
