"""A placement: provision arranged for the pupil at a provider."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated, Literal

from pydantic import Field, model_validator

from apcompliance.facts._base import Distinct, Fact, FactId, id_field

PlacementKind = Literal[
    "suspension_provision",
    "permanent_exclusion_provision",
    "off_site_direction",
    "in_school_unit",
    "medical",
    "other",
]

AttendanceCode = Literal[
    "/", "\\", "L", "B", "D", "K", "V", "P", "W", "C1", "M", "J", "S", "X", "C2", "C",
    "E", "I", "Q", "R", "T", "G", "N", "O", "U", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7", "Z", "#",
]  # fmt: skip
"""Attendance codes of the School Attendance (Pupil Registration) (England) Regulations 2024.
B: off-site educational activity; D: dual registered, at the other school; K: attending
education arranged by the local authority."""


FULL_WEEK = 10
"""Sessions (half days) in a school week: a full-time placement's timetable at the provider."""


class TwoSessions(Fact):
    """A two-session day: the policy's H.2.vi.a and I.1.ii ("times for morning and afternoon")."""

    form: Literal["two_sessions"] = "two_sessions"
    """Always `two_sessions`: a day of a morning and an afternoon session."""
    morning_starts: time = Field(examples=["09:00", "15:15"])
    """When the morning session starts. A local time of day, `HH:MM`."""
    break_starts: time = Field(examples=["09:00", "15:15"])
    """When the break between the sessions starts (the morning session ends). A local time of day,
    `HH:MM`."""
    break_ends: time = Field(examples=["09:00", "15:15"])
    """When the break ends (the afternoon session starts). A local time of day, `HH:MM`."""
    afternoon_ends: time = Field(examples=["09:00", "15:15"])
    """When the afternoon session ends. A local time of day, `HH:MM`."""

    @model_validator(mode="after")
    def _in_order(self) -> TwoSessions:
        if not self.morning_starts < self.break_starts <= self.break_ends < self.afternoon_ends:
            raise ValueError(
                "session times must run morning_starts < break_starts <= break_ends "
                "< afternoon_ends"
            )
        return self

    @property
    def starts(self) -> time:
        return self.morning_starts

    @property
    def hours(self) -> str:
        """The times as text: `09:00-12:00, 12:45-15:15`."""
        return (
            f"{self.morning_starts:%H:%M}-{self.break_starts:%H:%M}, "
            f"{self.break_ends:%H:%M}-{self.afternoon_ends:%H:%M}"
        )


class SingleSession(Fact):
    """A single-session day (H.2.vi.b)."""

    form: Literal["single_session"] = "single_session"
    """Always `single_session`: a day of one session."""
    session_starts: time = Field(examples=["09:00", "15:15"])
    """When the session starts. A local time of day, `HH:MM`."""
    session_ends: time = Field(examples=["09:00", "15:15"])
    """When the session ends. A local time of day, `HH:MM`."""

    @model_validator(mode="after")
    def _in_order(self) -> SingleSession:
        if not self.session_starts < self.session_ends:
            raise ValueError("session_starts must be before session_ends")
        return self

    @property
    def starts(self) -> time:
        return self.session_starts

    @property
    def hours(self) -> str:
        """The times as text: `09:00-15:00`."""
        return f"{self.session_starts:%H:%M}-{self.session_ends:%H:%M}"


SessionTimes = TwoSessions | SingleSession


Session = Literal["AM", "PM"]
"""A session of a school day: the morning (AM) or the afternoon (PM). A school day has two
(SI 2024/208 reg 2; G.4.i.b: "one session being the equivalent of half a day")."""

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
"""The days of a weekly timetable: a school week runs Monday to Friday."""


Sessions = Annotated[tuple[Session, ...], Distinct]
"""The sessions of a day, each at most once."""


class DateRange(Fact):
    """Days on which the timetable does not run: one day, or `first_day` to `last_day`."""

    first_day: date
    """The first day (or the only one)."""
    last_day: date | None = None
    """The last day (inclusive); absent: `first_day` only."""

    @model_validator(mode="after")
    def _in_order(self) -> DateRange:
        if self.last_day is not None and self.last_day < self.first_day:
            raise ValueError("last_day is before first_day")
        return self

    def __contains__(self, d: date) -> bool:
        return self.first_day <= d <= (self.last_day or self.first_day)


class ExtraSessions(Fact):
    """Sessions on one day beyond the weekly timetable (a catch-up day)."""

    on: date
    """The school day of the extra sessions."""
    sessions: Sessions = Field(min_length=1)
    """The sessions that day: `[AM]`, `[PM]` or `[AM, PM]`."""


class WeeklyTimetable(Fact):
    """The pupil's weekly timetable at the provision (G.4.i "every ten sessions"): the sessions
    on each weekday, `{monday: [AM, PM], wednesday: [AM]}`. It runs on the school days of the
    calendar (never in a holiday or on an INSET day), except the days of `not_running`; the
    days of `extra_sessions` add sessions to it. Saturdays and Sundays are never school days,
    so a timetable has no weekend days (`saturday:` is an error, as any unknown field)."""

    monday: Sessions = ()
    """Monday's sessions: `[AM, PM]` all day, `[AM]` the morning (and so each weekday)."""
    tuesday: Sessions = ()
    """Tuesday's sessions, as for `monday`."""
    wednesday: Sessions = ()
    """Wednesday's sessions, as for `monday`."""
    thursday: Sessions = ()
    """Thursday's sessions, as for `monday`."""
    friday: Sessions = ()
    """Friday's sessions, as for `monday`."""
    not_running: tuple[DateRange, ...] = ()
    """Term-time days when the timetable does not run (the provider closed, a work-experience
    week): no sessions are counted on them, except extra sessions recorded for the day."""
    extra_sessions: tuple[ExtraSessions, ...] = ()
    """Sessions beyond the weekly timetable, on a school day (one entry a day); counted
    with the day's timetabled sessions, each session once."""

    @model_validator(mode="after")
    def _valid(self) -> WeeklyTimetable:
        if not self.sessions_per_week:
            raise ValueError("a timetable has at least one session on a weekday")
        days = [extra.on for extra in self.extra_sessions]
        if len(set(days)) != len(days):
            raise ValueError("extra_sessions: one entry a day")
        return self

    @property
    def sessions_per_week(self) -> int:
        """The sessions of the weekly timetable."""
        return sum(len(getattr(self, weekday)) for weekday in WEEKDAYS)

    def sessions_on(self, d: date) -> int:
        """The sessions on day d (a school day: the calendar decides which days count)."""
        sessions: set[str] = set()
        if d.weekday() < len(WEEKDAYS) and not any(d in r for r in self.not_running):
            sessions |= set(getattr(self, WEEKDAYS[d.weekday()]))
        for extra in self.extra_sessions:
            if extra.on == d:
                sessions |= set(extra.sessions)
        return len(sessions)

    @property
    def weekly(self) -> str:
        """The weekly timetable as text: `Mon AM PM, Wed AM`."""
        return ", ".join(
            f"{weekday[:3].title()} {' '.join(sorted(getattr(self, weekday)))}"
            for weekday in WEEKDAYS
            if getattr(self, weekday)
        )


class Placement(Fact):
    """Provision arranged for the pupil. `start_date` is the first day of provision as arranged."""

    id: FactId = id_field(
        "This placement's id within the case: what the events about it name as `placement_id`.",
        ["PL-1", "PL-2025-11-offsite"],
    )
    kind: PlacementKind
    """Why the provision is arranged: suspension_provision (for a suspension, section I),
    permanent_exclusion_provision (after a permanent exclusion, I.5), off_site_direction (the
    school directs the pupil off site to improve behaviour, section H), in_school_unit (section
    J), medical, or other."""
    provider_id: FactId | None = Field(default=None, examples=["PRV-1"])
    """The provider: the `id` of one of the case's `providers`. Not recorded: the provider is
    not known, which breaches G.2.4 for a placement the school commissions
    (G.2.4-provider-address-recorded)."""
    start_date: date
    """The first day of provision, as arranged: the day the pupil is to first attend."""
    end_date: date | None = None
    """The last day of provision, where it is set or has ended. None: open-ended, still running."""
    full_time: bool
    """Full-time provision (ten sessions a week; I.1 and I.5 ask for it), or part time."""
    session_times: SessionTimes | None = Field(default=None, discriminator="form")
    """The times of the provision's sessions (`two_sessions` or `single_session`): what the
    notices' session times must match."""
    address: str | None = Field(
        default=None, min_length=1, max_length=400, examples=["Unit 4, Mill Lane, Leeds LS1 4AB"]
    )
    """Where the pupil attends this placement: the address a notice to the parents must give
    (I.1.iii, H.2.i), compared with the notice's `provision_address`. The provider's
    `addresses` are its sites (G.2.4: where pupils may be); this is the one arranged for the
    pupil. Free text: only whether it is given, and a key for the comparison, reach the rules."""
    report_to: str | None = Field(default=None, min_length=1, max_length=200)
    """Who the pupil reports to on the first day (I.1.iv, H.2.ii)."""
    arranged_on: date | None = None
    """The day the placement was decided; required for an off-site direction (H.6: before the
    direction is decided)."""
    arranged_by: Literal["school", "local_authority"] = "school"
    """Who arranged it: the school, or the local authority (after a permanent exclusion, I.5)."""
    dual_registered_on: date | None = None
    """The day the pupil was dual registered at the provider (H.13), if it is a school."""
    attendance_code: AttendanceCode | None = None
    """The code the school records for the pupil's sessions at the provision (H.13)."""
    sessions_per_week: int | None = Field(default=None, ge=1, le=FULL_WEEK, examples=[10, 6])
    """Sessions (half days) a week on the pupil's timetable at the provision (G.4.i). Where no
    `timetable` is recorded, they are taken to be spread evenly over the school week."""
    timetable: WeeklyTimetable | None = None
    """The pupil's weekly timetable at the provision, by weekday and session (G.4.i: visits
    every ten sessions are counted from it). With `sessions_per_week`, the two must agree."""
    for_exclusion: FactId | None = Field(default=None, examples=["SUS-1"])
    """The suspension or permanent exclusion this provision is for. When absent, provision of
    kind suspension_provision / permanent_exclusion_provision is linked to the exclusion whose
    days its start date falls in."""

    @model_validator(mode="after")
    def _dates_in_order(self) -> Placement:
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        if self.arranged_on is not None and self.arranged_on > self.start_date:
            raise ValueError("arranged_on is after start_date")
        if (
            self.timetable is not None
            and self.sessions_per_week is not None
            and self.sessions_per_week != self.timetable.sessions_per_week
        ):
            raise ValueError(
                f"sessions_per_week ({self.sessions_per_week}) differs from the "
                f"{self.timetable.sessions_per_week} sessions a week of the timetable"
            )
        if self.kind == "off_site_direction" and self.arranged_on is None:
            raise ValueError(
                "arranged_on is required for an off_site_direction: the day the direction "
                "was decided (policy H)"
            )
        return self
