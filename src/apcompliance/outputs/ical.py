"""iCalendar out: pending deadlines as a calendar an AP lead can subscribe to, and a school
calendar's term dates as .ics (the convention `SchoolCalendar.from_ical` reads back).

    from apcompliance.outputs.ical import deadlines_ical
    Path("deadlines.ics").write_bytes(deadlines_ical(assessment))     # or a list of them

One event per finding whose status is in `PENDING_STATUSES` and that has a due date: an
all-day event on the due date (DTEND the next day), or, for a deadline with a time of day
(England's clock), an event at that moment written in UTC.
Its UID is stable for the same (case, rule, subject, period), so a later export updates the
event in a subscribed calendar instead of adding a second one. Assessments hold no pupil
names, so neither do the events: only the case id.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING, Protocol

from apcompliance.calendar.clock import SCHOOL_TIMEZONE
from apcompliance.calendar.school_calendar import SchoolCalendar
from apcompliance.outputs.ical_text import content_line, date_text, text, utc_datetime_text
from apcompliance.results.assessment import Assessment
from apcompliance.results.explain import duty_holder_words
from apcompliance.results.findings import Finding

if TYPE_CHECKING:  # icalendar is imported where an object is built: the writers do without it
    from icalendar import Calendar, Event

__all__ = [
    "PENDING_STATUSES",
    "DeadlinesWriter",
    "deadline_event",
    "deadline_event_ical",
    "deadline_events",
    "deadline_events_by_holder",
    "deadline_events_ical",
    "deadlines_calendar",
    "deadlines_ical",
    "holder_slug",
    "school_calendar_ical",
]

PENDING_STATUSES: frozenset[str] = frozenset(
    {"scheduled", "pending", "due_today", "at_risk", "overdue"}
)
"""The statuses of a deadline still to act on, which the export includes: scheduled (arranged
in time, still to happen), pending, due_today, at_risk (arranged too late, or a requirement
that will be broken) and overdue (passed, not done). Left out: met and late (done), breached
(a requirement already broken), missed (an advisory past), open (no deadline), permitted and
flagged (for information)."""

PRODID = "-//apcompliance//AP policy deadlines//EN"
TERM_DATES_PRODID = "-//apcompliance//school term dates//EN"
UID_DOMAIN = "apcompliance"

HALF_TERM = "HALF-TERM"
"""CATEGORIES value of a half-term event (see `SchoolCalendar.from_ical`)."""
CLOSURE = "CLOSURE"
"""CATEGORIES value of a closure event; INSET is accepted too."""


def deadline_uid(case_id: str, finding: Finding) -> str:
    """Stable per (case, rule, subject, period): the same duty keeps its UID across exports."""
    key = "\x1f".join((case_id, finding.rule_id, finding.subject, finding.period or ""))
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@{UID_DOMAIN}"


def _stamp(as_of: date) -> datetime:
    """DTSTAMP: midnight UTC of the evaluation date, so an export is reproducible."""
    return datetime.combine(as_of, time(0), tzinfo=timezone.utc)


def _description(case_id: str, f: Finding, as_of: date) -> str:
    lines = [
        f"Rule: {f.rule_id}",
        f"Clause {f.clause}: “{' '.join(f.says.split())}”",
        f"Duty holder: {f.duty_holder}",
        f"Action: {f.action}",
        f"Case: {case_id}",
        f"About: {f.subject}" + (f", {f.period}" if f.period else ""),
        f"Status as of {as_of.isoformat()}: {f.status}",
    ]
    if f.kind not in ("obligation", "requirement"):
        lines.append(f"A {f.kind} of the policy: advisory, never a violation.")
    if f.deadline_citation is not None and f.deadline_citation.clause != f.clause:
        lines.append(f"Deadline from {f.deadline_citation}")
    return "\n".join(lines)


def _due_utc(due: datetime) -> datetime:
    """A deadline with a time of day (England's clock), in UTC: no VTIMEZONE needed, and a
    calendar shows it in local time."""
    aware = due if due.tzinfo else due.replace(tzinfo=SCHOOL_TIMEZONE)
    return aware.astimezone(timezone.utc)


def _summary(case_id: str, finding: Finding) -> str:
    prefix = "OVERDUE " if finding.status == "overdue" else ""
    return f"{prefix}{finding.clause}: {finding.action} [{case_id}]"


def _categories(finding: Finding) -> list[str]:
    return [finding.status.upper(), f"SECTION {finding.section}"]


def deadline_event(case_id: str, finding: Finding, as_of: date) -> Event:
    """One VEVENT for a finding with a due date (whatever its status): the reference for the
    bytes `deadline_event_ical` writes."""
    from icalendar import Event

    if finding.due is None:
        raise ValueError(f"{finding.rule_id}: a finding without a due date has no event")
    event = Event()
    event.add("uid", deadline_uid(case_id, finding))
    event.add("dtstamp", _stamp(as_of))
    due = finding.due
    if isinstance(due, datetime):
        event.add("dtstart", _due_utc(due))
    else:
        event.add("dtstart", due)
        event.add("dtend", due + timedelta(days=1))
    event.add("summary", _summary(case_id, finding))
    event.add("description", _description(case_id, finding, as_of))
    event.add("categories", _categories(finding))
    event.add("transp", "TRANSPARENT")
    return event


_EVENT_END = b"TRANSP:TRANSPARENT\r\nEND:VEVENT\r\n"


def deadline_event_ical(case_id: str, finding: Finding, as_of: date) -> bytes:
    """`deadline_event(case_id, finding, as_of).to_ical()`, the same bytes, written directly
    (`ical_text`): the properties in icalendar's order for an event."""
    due = finding.due
    if due is None:
        raise ValueError(f"{finding.rule_id}: a finding without a due date has no event")
    if isinstance(due, datetime):
        when = b"DTSTART:" + utc_datetime_text(_due_utc(due)).encode() + b"\r\n"
    else:
        end = due + timedelta(days=1)
        when = (
            f"DTSTART;VALUE=DATE:{date_text(due)}\r\nDTEND;VALUE=DATE:{date_text(end)}\r\n"
        ).encode()
    return b"".join(
        (
            b"BEGIN:VEVENT\r\n",
            content_line("SUMMARY", text(_summary(case_id, finding))),
            when,
            f"DTSTAMP:{date_text(as_of)}T000000Z\r\n".encode(),
            content_line("UID", text(deadline_uid(case_id, finding))),
            content_line("CATEGORIES", ",".join(map(text, _categories(finding)))),
            content_line("DESCRIPTION", text(_description(case_id, finding, as_of))),
            _EVENT_END,
        )
    )


def _pending(assessment: Assessment) -> Iterator[Finding]:
    return (f for f in assessment.findings if f.status in PENDING_STATUSES and f.due is not None)


def deadline_events(assessment: Assessment) -> Iterator[Event]:
    """The events of an assessment's pending deadlines (`PENDING_STATUSES`), in its order."""
    for f in _pending(assessment):
        yield deadline_event(assessment.case_id, f, assessment.as_of)


def deadline_events_by_holder(assessment: Assessment) -> tuple[tuple[str, bytes], ...]:
    """Each pending deadline's duty holder and VEVENT bytes, in the assessment's order: joined,
    the bytes are `deadline_events_ical`; grouped by holder, the per-holder feeds."""
    case_id, as_of = assessment.case_id, assessment.as_of
    return tuple(
        (f.duty_holder, deadline_event_ical(case_id, f, as_of)) for f in _pending(assessment)
    )


def holder_slug(duty_holder: str) -> str:
    """The file name stem of a duty holder's feed, from the holder in words
    (`dsl` -> `designated-safeguarding-lead`, `ap_lead` -> `ap-lead`): stable across exports,
    so a subscription keeps working."""
    words = re.sub(r"\s*\(.*?\)", "", duty_holder_words(duty_holder)).removeprefix("the ")
    return re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-") or "duty-holder"


def _empty_calendar(name: str | None) -> Calendar:
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _calendar_name(name))
    return cal


def _calendar_name(name: str | None) -> str:
    """X-WR-CALNAME: icalendar writes an extension property verbatim (no TEXT escaping), so a
    line break in the name (a cohort file's name) becomes a space rather than a broken line."""
    return (
        (name or "AP policy deadlines").replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    )


_CALENDAR_END = b"END:VCALENDAR\r\n"


def _calendar_head(name: str | None) -> bytes:
    """`_empty_calendar(name).to_ical()` up to its END line, written directly."""
    return b"".join(
        (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n",
            content_line("PRODID", text(PRODID)),
            b"CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n",
            content_line("X-WR-CALNAME", _calendar_name(name)),
        )
    )


def _events_ical(assessment: Assessment) -> Iterator[bytes]:
    case_id, as_of = assessment.case_id, assessment.as_of
    return (deadline_event_ical(case_id, f, as_of) for f in _pending(assessment))


def deadline_events_ical(assessment: Assessment) -> bytes:
    """The VEVENTs of an assessment's pending deadlines, as iCalendar bytes to add to a
    calendar (`DeadlinesWriter.add_events`)."""
    return b"".join(_events_ical(assessment))


def deadlines_calendar(
    assessments: Assessment | Iterable[Assessment], *, name: str | None = None
) -> Calendar:
    """A VCALENDAR of the pending deadlines of one assessment or of a cohort's."""
    items = [assessments] if isinstance(assessments, Assessment) else assessments
    cal = _empty_calendar(name)
    for assessment in items:
        for event in deadline_events(assessment):
            cal.add_component(event)
    return cal


def deadlines_ical(
    assessments: Assessment | Iterable[Assessment], *, name: str | None = None
) -> bytes:
    """The pending deadlines as iCalendar bytes (write them to a `.ics` file): the bytes of
    `deadlines_calendar(...).to_ical()`."""
    items = [assessments] if isinstance(assessments, Assessment) else assessments
    parts = [_calendar_head(name)]
    for assessment in items:
        parts.extend(_events_ical(assessment))
    parts.append(_CALENDAR_END)
    return b"".join(parts)


class BytesOut(Protocol):
    """Where a `DeadlinesWriter` writes: a file opened "wb", or anything with `write(bytes)`."""

    def write(self, data: bytes, /) -> object: ...


class DeadlinesWriter:
    """`deadlines_ical` written as it goes, for a cohort too large to hold: each assessment's
    events are written when it is added, so memory stays flat. The bytes are the same as
    `deadlines_ical` of all the assessments added, in that order.

        with open("deadlines.ics", "wb") as out, DeadlinesWriter(out, name="Cohort") as ics:
            for assessment in assessments:
                ics.add(assessment)
    """

    def __init__(self, out: BytesOut, *, name: str | None = None) -> None:
        self._out = out
        self._out.write(_calendar_head(name))
        self.events = 0

    def add(self, assessment: Assessment) -> None:
        """Write the assessment's pending deadlines (`PENDING_STATUSES`)."""
        for event in _events_ical(assessment):
            self._out.write(event)
            self.events += 1

    def add_events(self, events: bytes) -> None:
        """Write VEVENTs already made (`deadline_events_ical`, e.g. in a worker process)."""
        self._out.write(events)
        self.events += events.count(b"BEGIN:VEVENT\r\n")

    def close(self) -> None:
        """End the calendar (the file stays open: it is the caller's)."""
        self._out.write(_CALENDAR_END)

    def __enter__(self) -> DeadlinesWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.close()


def school_calendar_ical(calendar: SchoolCalendar) -> bytes:
    """A school calendar as .ics in the convention `SchoolCalendar.from_ical` reads: one
    all-day HALF-TERM event per half-term (SUMMARY the term name, DTEND the day after the last
    day) and one CLOSURE event per closure day (SUMMARY the reason)."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", TERM_DATES_PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", calendar.name)
    stamp = _stamp(calendar.first_day)
    slug = hashlib.sha256(calendar.name.encode("utf-8")).hexdigest()[:12]
    for h in calendar.half_terms:
        event = Event()
        event.add("uid", f"{slug}-half-term-{h.number}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", h.first_day)
        event.add("dtend", h.last_day + timedelta(days=1))
        event.add("summary", h.term)
        event.add("categories", [HALF_TERM])
        cal.add_component(event)
    for d in sorted(calendar.closures):
        event = Event()
        event.add("uid", f"{slug}-closure-{d.isoformat()}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", d)
        event.add("dtend", d + timedelta(days=1))
        reason = calendar.closure_reason(d)
        if reason:  # no SUMMARY: a closure without a reason, read back as such
            event.add("summary", reason)
        event.add("categories", [CLOSURE])
        cal.add_component(event)
    return cal.to_ical()
