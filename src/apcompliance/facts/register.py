"""The attendance register: the school's session marks for the pupil, as its system exports
them (one row per pupil per session: the date, AM or PM, the code)."""

from __future__ import annotations

import datetime as dt

from apcompliance.facts._base import Fact
from apcompliance.facts.placement import AttendanceCode, Session


class RegisterMark(Fact):
    """One session's mark in the school's attendance register (School Attendance (Pupil
    Registration) (England) Regulations 2024): `{date: 2025-11-10, session: AM, code: B}`.
    B, D and K record provision away from the school; E a suspended or excluded pupil with
    no alternative provision (docs/suspensions.md, "The register as evidence")."""

    date: dt.date
    """The day of the session: a school day of the calendar (ISO date, `2025-11-10`)."""
    session: Session
    """The morning (AM) or the afternoon (PM) session."""
    code: AttendanceCode
    """The attendance code recorded for the session: `/` or `\\` present, `B` off-site
    educational activity, `D` dual registered (at the other school), `K` education arranged
    by the local authority, `E` suspended or excluded with no alternative provision, and the
    Regulations' other codes."""


def duplicate_sessions(marks: tuple[RegisterMark, ...]) -> list[str]:
    """The sessions marked more than once, as `2025-11-10 AM`, in date order."""
    seen: set[tuple[dt.date, str]] = set()
    twice: set[tuple[dt.date, str]] = set()
    for mark in marks:
        key = (mark.date, mark.session)
        (twice if key in seen else seen).add(key)
    return [f"{day.isoformat()} {session}" for day, session in sorted(twice)]
