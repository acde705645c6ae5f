"""Clock time in England (notices and sessions are in the school's local time), and days and
times written as people read them."""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

SCHOOL_TIMEZONE = ZoneInfo("Europe/London")


def local(t: datetime) -> datetime:
    """`t` as naive local time in England; a naive `t` is taken to be local already."""
    if t.tzinfo is None:
        return t
    return t.astimezone(SCHOOL_TIMEZONE).replace(tzinfo=None)


def hours_before(t: datetime, hours: int) -> datetime:
    """`hours` real hours before local time `t`, as local time: a clock change counts."""
    aware = t.replace(tzinfo=SCHOOL_TIMEZONE).astimezone(timezone.utc) - timedelta(hours=hours)
    return aware.astimezone(SCHOOL_TIMEZONE).replace(tzinfo=None)


@functools.lru_cache(maxsize=4096)
def day(d: date) -> str:
    """`Thu 16 Oct 2025`."""
    return d.strftime("%a %d %b %Y").replace(" 0", " ")


def moment(t: datetime) -> str:
    """`Thu 16 Oct 2025 15:30`."""
    return f"{day(t.date())} {t:%H:%M}"


def day_or_moment(value: date) -> str:
    """A day (`Thu 16 Oct 2025`), or a day and time where `value` is a date-time."""
    return moment(value) if isinstance(value, datetime) else day(value)


def deadline_text(value: date | None) -> str:
    """A deadline in words: its day or moment, or "no deadline"."""
    return "no deadline" if value is None else day_or_moment(value)
