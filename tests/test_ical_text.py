"""The deadline events written directly (`ical.deadline_event_ical`, `outputs/ical_text.py`) are
byte for byte what the `icalendar` package writes for `ical.deadline_event` (the reference), on
the benchmark cohort and on arbitrary text, and read back with `icalendar` to the same values.
(Timings live in benchmarks/ical.py, never in tests.)"""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event

from apcompliance import Assessment, Case, Finding, SchoolCalendar, evaluate
from apcompliance.calendar.clock import SCHOOL_TIMEZONE
from apcompliance.outputs.ical import (
    PENDING_STATUSES,
    DeadlinesWriter,
    deadline_event,
    deadline_event_ical,
    deadline_events_by_holder,
    deadline_events_ical,
    deadline_uid,
    deadlines_calendar,
    deadlines_ical,
)
from apcompliance.outputs.ical_text import content_line, text
from apcompliance.results.data import Citation, Explanation
from benchmarks.cohort import generate

PROPS = settings(max_examples=150, deadline=None)

SPECIAL = "\\;,:^\"'\r\n\t \ufeffNn“”’é€😀\U0010fffd\x00\x0b\x85\u2028"
TEXT = st.lists(
    st.sampled_from([*SPECIAL, "\\N", "\\n", "\r\n"]) | st.characters(codec="utf-8"), max_size=300
).map("".join)
"""Any Unicode (no lone surrogates: they cannot be written as UTF-8), with the characters
escaping and folding treat specially over-represented: backslash, `\\N`, `;`, `,`, CR, LF, `^`,
U+FEFF, multi-byte and 4-byte characters."""


def reference_events(assessment: Assessment) -> bytes:
    """The pending deadlines' VEVENTs as icalendar writes them."""
    return b"".join(
        deadline_event(assessment.case_id, f, assessment.as_of).to_ical()
        for f in assessment.findings
        if f.status in PENDING_STATUSES and f.due is not None
    )


NAME = "AP deadlines: cohort.jsonl as of 2026-06-15, “quoted”; with, commas"


@pytest.fixture(scope="module")
def cohort() -> list[Assessment]:
    """60 benchmark cases, each assessed late in the year (mostly overdue) and in the autumn
    (pending, scheduled, due today, at risk)."""
    calendar = SchoolCalendar.example()
    cases = [Case.model_validate_json(json.dumps(c)) for c in generate(60, seed=3)]
    return [
        evaluate(c, as_of=as_of, calendar=calendar)
        for as_of in (date(2026, 6, 15), date(2025, 11, 3))
        for c in cases
    ]


@pytest.fixture(scope="module")
def reference(cohort: list[Assessment]) -> list[bytes]:
    """Each assessment's pending deadlines as icalendar writes them."""
    return [reference_events(a) for a in cohort]


# --- byte identity on the cohort ------------------------------------------------------------------


def test_the_cohort_covers_every_pending_status_and_both_kinds_of_due(cohort):
    pending = [
        f for a in cohort for f in a.findings if f.status in PENDING_STATUSES and f.due is not None
    ]
    assert {f.status for f in pending} == PENDING_STATUSES
    assert {type(f.due) for f in pending} == {date, datetime}
    assert len(pending) > 1000


def test_each_assessment_s_events_are_the_bytes_icalendar_writes(cohort, reference):
    for a, events in zip(cohort, reference, strict=True):
        assert deadline_events_ical(a) == events, a.case_id
        assert b"".join(e for _, e in deadline_events_by_holder(a)) == events, a.case_id


def test_a_calendar_is_the_bytes_icalendar_writes(cohort):
    for a in cohort[:10]:
        assert deadlines_ical(a) == deadlines_calendar(a).to_ical(), a.case_id
    assert deadlines_ical(cohort[-10:], name=NAME) == (
        deadlines_calendar(cohort[-10:], name=NAME).to_ical()
    )


def test_the_cohort_s_calendar_and_the_writer_are_the_bytes_icalendar_writes(cohort, reference):
    head = deadlines_calendar([], name=NAME).to_ical().removesuffix(b"END:VCALENDAR\r\n")
    whole = head + b"".join(reference) + b"END:VCALENDAR\r\n"
    assert deadlines_ical(cohort, name=NAME) == whole
    out = io.BytesIO()
    with DeadlinesWriter(out, name=NAME) as ics:
        for a in cohort[:50]:
            ics.add(a)
        for a in cohort[50:]:
            ics.add_events(deadline_events_ical(a))
    assert out.getvalue() == whole
    assert ics.events == whole.count(b"BEGIN:VEVENT\r\n")


@PROPS
@given(name=st.none() | TEXT)
def test_an_empty_calendar_is_the_bytes_icalendar_writes_whatever_its_name(name: str | None):
    """X-WR-CALNAME is written verbatim, as icalendar writes an extension property."""
    assert deadlines_ical([], name=name) == deadlines_calendar([], name=name).to_ical()


def test_a_line_break_in_a_calendar_s_name_is_written_as_a_space():
    ics = deadlines_ical([], name="cohort\r\n\n\r.jsonl")
    assert b"X-WR-CALNAME:cohort   .jsonl\r\n" in ics
    assert str(Calendar.from_ical(ics)["X-WR-CALNAME"]) == "cohort   .jsonl"


# --- read back ------------------------------------------------------------------------------------


def test_every_event_of_the_cohort_reads_back_with_its_values(cohort):
    events = iter(Calendar.from_ical(deadlines_ical(cohort[::3])).walk("VEVENT"))
    for a in cohort[::3]:
        for f in a.findings:
            if f.status not in PENDING_STATUSES or f.due is None:
                continue
            event = next(events)
            assert str(event["UID"]) == deadline_uid(a.case_id, f)
            assert event.decoded("DTSTAMP") == datetime(
                *a.as_of.timetuple()[:3], tzinfo=timezone.utc
            )
            if isinstance(f.due, datetime):
                assert event.decoded("DTSTART") == f.due.replace(tzinfo=SCHOOL_TIMEZONE)
                assert "DTEND" not in event
            else:
                assert event.decoded("DTSTART") == f.due
                assert event.decoded("DTEND") == f.due + timedelta(days=1)
            reference = deadline_event(a.case_id, f, a.as_of)
            for name in ("SUMMARY", "DESCRIPTION", "TRANSP"):
                assert str(event[name]) == str(reference[name])
            assert event["CATEGORIES"].cats == [f.status.upper(), f"SECTION {f.section}"]
    assert next(events, None) is None


# --- arbitrary text -------------------------------------------------------------------------------


@st.composite
def findings(draw: st.DrawFn) -> Finding:
    due = draw(
        st.dates(date(1, 1, 1), date(9999, 12, 30))
        | st.datetimes(datetime(1000, 1, 1), datetime(9000, 12, 31))
        | st.datetimes(
            datetime(2000, 1, 1),
            datetime(2100, 12, 31),
            timezones=st.just(timezone(timedelta(hours=-5))),
        )
    )
    citation = draw(st.none() | st.builds(Citation, clause=TEXT, says=TEXT))
    return Finding(
        rule_id=draw(TEXT),
        clause=draw(TEXT),
        section=draw(TEXT),
        says=draw(TEXT),
        kind=draw(st.sampled_from(["obligation", "requirement", "aim", "advisory"])),
        duty_holder=draw(TEXT),
        action=draw(TEXT),
        subject=draw(TEXT),
        period=draw(st.none() | TEXT),
        due=due,
        status=draw(st.sampled_from(sorted(PENDING_STATUSES | {"met", "breached"}))),
        deadline_citation=citation,
        explanation=Explanation(facts={}),
    )


@PROPS
@given(case_id=TEXT, finding=findings(), as_of=st.dates(date(1, 1, 1), date(9999, 12, 31)))
def test_any_text_gives_the_bytes_icalendar_writes(case_id: str, finding: Finding, as_of: date):
    assert (
        deadline_event_ical(case_id, finding, as_of)
        == deadline_event(case_id, finding, as_of).to_ical()
    )


@PROPS
@given(value=TEXT | st.text(st.sampled_from("a\\^é😀"), min_size=60, max_size=400))
@example(value="x" * 73 + "\\" + "y" * 80)
@example(value="x" * 72 + "é" + "y")
@example(value="x" * 71 + "😀" + "^" * 100)
@example(value="\ufeff" * 3 + "a")
def test_a_text_property_s_line_is_the_line_icalendar_writes(value: str):
    event = Event()
    event.add("description", value)
    reference = event.to_ical().removeprefix(b"BEGIN:VEVENT\r\n").removesuffix(b"END:VEVENT\r\n")
    line = content_line("DESCRIPTION", text(value))
    assert line == reference
    assert all(len(piece) <= 75 for piece in line.split(b"\r\n"))


@PROPS
@given(
    summary=st.text(
        st.sampled_from(SPECIAL.replace("\\", ""))
        | st.characters(codec="utf-8", exclude_characters="\\"),
        max_size=300,
    )
)
def test_text_reads_back_as_written_but_for_line_ends_and_a_leading_byte_order_mark(summary: str):
    """Line ends (CRLF, CR) come back as LF, as with icalendar itself. A backslash is left out:
    icalendar's own reading does not undo its escaping of `\\` before `n` (`a\\n` reads back
    as a newline)."""
    ics = b"BEGIN:VCALENDAR\r\n" + content_line("SUMMARY", text(summary)) + b"END:VCALENDAR\r\n"
    written = summary.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    assert str(Calendar.from_ical(ics)["SUMMARY"]) == written
