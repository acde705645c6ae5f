"""A placement: provision arranged for the pupil at a provider."""

from __future__ import annotations

from datetime import date, time
from typing import Literal

from pydantic import Field, model_validator

from apcompliance.facts._base import ID_FIELD, Fact, FactId

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


class TwoSessions(Fact):
    """A two-session day: the policy's H.2.vi.a and I.1.ii ("times for morning and afternoon")."""

    form: Literal["two_sessions"] = "two_sessions"
    morning_starts: time
    break_starts: time
    break_ends: time
    afternoon_ends: time

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
    session_starts: time
    session_ends: time

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


class Placement(Fact):
    """Provision arranged for the pupil. `start_date` is the first day of provision as arranged."""

    id: FactId = ID_FIELD
    kind: PlacementKind
    provider_id: FactId | None = None
    start_date: date
    end_date: date | None = None
    full_time: bool
    session_times: SessionTimes | None = Field(default=None, discriminator="form")
    address: str | None = Field(default=None, min_length=1, max_length=400)
    report_to: str | None = Field(default=None, min_length=1, max_length=200)
    """Who the pupil reports to on the first day (I.1.iv, H.2.ii)."""
    arranged_on: date | None = None
    """The day the placement was decided; required for an off-site direction (H.6: before the
    direction is decided)."""
    arranged_by: Literal["school", "local_authority"] = "school"
    dual_registered_on: date | None = None
    """The day the pupil was dual registered at the provider (H.13), if it is a school."""
    attendance_code: AttendanceCode | None = None
    """The code the school records for the pupil's sessions at the provision (H.13)."""
    sessions_per_week: int | None = Field(default=None, ge=1, le=10)
    """Sessions (half days) a week on the pupil's timetable at the provision (G.4.i)."""
    for_exclusion: FactId | None = None
    """The suspension or permanent exclusion this provision is for. When absent, provision of
    kind suspension_provision / permanent_exclusion_provision is linked to the exclusion whose
    days its start date falls in."""

    @model_validator(mode="after")
    def _dates_in_order(self) -> Placement:
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        if self.arranged_on is not None and self.arranged_on > self.start_date:
            raise ValueError("arranged_on is after start_date")
        if self.kind == "off_site_direction" and self.arranged_on is None:
            raise ValueError(
                "arranged_on is required for an off_site_direction: the day the direction "
                "was decided (policy H)"
            )
        return self
