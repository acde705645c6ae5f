"""iCalendar: pending deadlines out (one event per deadline, stable UIDs, the clause's words, no
pupil names), and term dates in (`SchoolCalendar.from_ical`, its convention and its errors)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from importlib import resources

import pytest
from icalendar import Calendar

from apcompliance import CalendarError, Case, SchoolCalendar, evaluate
from apcompliance.cli import main
from apcompliance.outputs.ical import (
    PENDING_STATUSES,
    DeadlinesWriter,
    deadline_uid,
    deadlines_calendar,
    deadlines_ical,
    school_calendar_ical,
)
from tests.scenarios import CAL, case, suspension

EXAMPLES = resources.files("apcompliance") / "data/examples"
CALENDAR = str(resources.files("apcompliance") / "data/calendars/example-la-2025-26.yaml")


def example(name: str) -> Case:
    return Case.model_validate_json((EXAMPLES / name).read_text("utf-8"))


def events_of(data: bytes) -> list:
    return Calendar.from_ical(data).walk("VEVENT")


def rule_of(event) -> str:
    return str(event["DESCRIPTION"]).splitlines()[0].removeprefix("Rule: ")


@pytest.fixture(scope="module")
def direction():
    return evaluate(example("off-site-direction-case.json"), as_of=date(2026, 1, 20), calendar=CAL)


# --- deadlines out --------------------------------------------------------------------------------


def test_the_direction_example_has_an_all_day_event_for_the_formal_review_on_21_january(direction):
    events = events_of(deadlines_ical(direction))
    (h4,) = [e for e in events if rule_of(e) == "H.4-formal-review-meeting"]
    assert h4.decoded("DTSTART") == date(2026, 1, 21)
    assert h4.decoded("DTEND") == date(2026, 1, 22)  # exclusive: one whole day
    assert str(h4["SUMMARY"]) == (
        "H.4: hold a formal review meeting after progress is found unsatisfactory [EX-2025-031]"
    )
    assert str(h4["DESCRIPTION"]).splitlines() == [
        "Rule: H.4-formal-review-meeting",
        "Clause H.4: “Pupils who are not making satisfactory progress at their placement will "
        "undergo a formal review meeting”",
        "Duty holder: school",
        "Action: hold a formal review meeting after progress is found unsatisfactory",
        "Case: EX-2025-031",
        "About: progress_record PRG-1",
        "Status as of 2026-01-20: pending",
    ]
    assert h4.decoded("DTSTAMP") == datetime(2026, 1, 20, tzinfo=timezone.utc)


def test_one_event_per_pending_deadline_and_none_for_met_or_late_duties(direction):
    events = events_of(deadlines_ical(direction))
    expected = [
        (f.rule_id, f.due)
        for f in direction.findings
        if f.status in PENDING_STATUSES and f.due is not None
    ]
    assert [(rule_of(e), e.decoded("DTSTART")) for e in events] == expected
    assert len(events) == 21
    overdue = [e for e in events if str(e["SUMMARY"]).startswith("OVERDUE ")]
    assert len(overdue) == 9
    assert {"scheduled", "pending", "due_today", "at_risk", "overdue"} == PENDING_STATUSES
    done = {
        deadline_uid("EX-2025-031", f) for f in direction.findings if f.status in ("met", "late")
    }
    assert len(done) > 50
    assert not done & {str(e["UID"]) for e in events}


def test_a_deadline_with_a_time_is_a_timed_event_in_utc():
    suspended = evaluate(example("suspension-case.json"), as_of=date(2025, 11, 10), calendar=CAL)
    events = events_of(deadlines_ical(suspended))
    (notice,) = [e for e in events if rule_of(e) == "I.1.iv-notice-report-to"]
    # 09:00 on Sat 1 Nov 2025 in England is 09:00 UTC (GMT since 26 Oct)
    assert notice.decoded("DTSTART") == datetime(2025, 11, 1, 9, 0, tzinfo=timezone.utc)
    assert "DTEND" not in notice
    assert 'Deadline from I.2: "it must be provided without delay' in str(notice["DESCRIPTION"])


def test_uids_are_stable_per_case_rule_subject_and_period(direction):
    later = evaluate(example("off-site-direction-case.json"), as_of=date(2026, 2, 2), calendar=CAL)
    uids = {
        rule_of(e) + str(e.decoded("DTSTART")): str(e["UID"])
        for e in events_of(deadlines_ical(direction))
    }
    again = {
        rule_of(e) + str(e.decoded("DTSTART")): str(e["UID"])
        for e in events_of(deadlines_ical(later))
    }
    same = uids.keys() & again.keys()
    assert "H.3.iii-keep-under-review2026-02-06" in same
    assert all(uids[k] == again[k] for k in same)
    assert len(set(uids.values())) == len(uids)  # two periods of one rule: two UIDs
    f = direction.findings[0]
    assert deadline_uid("A", f) != deadline_uid("B", f)
    assert deadline_uid("A", f).endswith("@apcompliance")


def test_a_cohort_calendar_has_the_events_of_every_case_and_its_name(direction):
    suspended = evaluate(example("suspension-case.json"), as_of=date(2026, 1, 20), calendar=CAL)
    cal = deadlines_calendar([suspended, direction], name="Cohort deadlines")
    assert str(cal["X-WR-CALNAME"]) == "Cohort deadlines"
    assert str(cal["PRODID"]) == "-//apcompliance//AP policy deadlines//EN"
    cases = {str(e["SUMMARY"]).rsplit("[", 1)[1] for e in cal.walk("VEVENT")}
    assert cases == {"EX-2025-014]", "EX-2025-031]"}


def test_a_calendar_written_case_by_case_is_the_same_bytes(direction, tmp_path):
    suspended = evaluate(example("suspension-case.json"), as_of=date(2026, 1, 20), calendar=CAL)
    path = tmp_path / "cohort.ics"
    with path.open("wb") as out, DeadlinesWriter(out, name="Cohort deadlines") as ics:
        ics.add(suspended)
        ics.add(direction)
    assert ics.events == len(events_of(path.read_bytes())) > 0
    assert path.read_bytes() == deadlines_ical([suspended, direction], name="Cohort deadlines")


def test_no_pupil_names_reach_the_calendar():
    marked = case(
        suspension("S1", date(2025, 10, 16), 7),
        case_id="PD-3",
        name="Zebedee Quillfeather",
        upn="A12345678901Z",
        date_of_birth="2011-02-03",
    )
    text = deadlines_ical(evaluate(marked, as_of=date(2025, 10, 20), calendar=CAL)).decode()
    assert "PD-3" in text
    for marker in ("Zebedee", "Quillfeather", "A12345678901Z", "20110203", "2011-02-03"):
        assert marker not in text


def test_check_writes_the_case_deadlines(capsys, tmp_path):
    path = tmp_path / "case.json"
    path.write_text((EXAMPLES / "off-site-direction-case.json").read_text("utf-8"))
    ics = tmp_path / "case.ics"
    argv = ["check", str(path), "--as-of", "2026-01-20", "--calendar", CALENDAR]
    assert main([*argv, "--ical", str(ics)]) == 1
    cal = Calendar.from_ical(ics.read_bytes())
    assert str(cal["X-WR-CALNAME"]) == "AP deadlines: case EX-2025-031 as of 2026-01-20"
    assert len(cal.walk("VEVENT")) == 21


# --- term dates in --------------------------------------------------------------------------------


def test_the_example_calendar_round_trips_through_ics_with_the_same_school_days():
    back = SchoolCalendar.from_ical(school_calendar_ical(CAL))
    assert back == CAL
    assert back.name == "Example Borough Council 2025-26"
    covered = [CAL.first_day + timedelta(days=i) for i in range(324)]
    assert covered[-1] == CAL.last_day
    assert [d for d in covered if back.is_school_day(d)] == [
        d for d in covered if CAL.is_school_day(d)
    ]
    assert sum(back.is_school_day(d) for d in covered) == 191
    assert [back.non_school_reason(d) for d in covered] == [
        CAL.non_school_reason(d) for d in covered
    ]
    assert back.closure_reason(date(2025, 10, 27)) == "INSET day"
    assert [h.term for h in back.half_terms] == ["autumn"] * 2 + ["spring"] * 2 + ["summer"] * 2


ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Some MIS//EN
X-WR-CALNAME:Riverside Academy 2025-26 (autumn)
BEGIN:VEVENT
UID:ht2
DTSTART;VALUE=DATE:20251027
DTEND;VALUE=DATE:20251220
SUMMARY:autumn
CATEGORIES:HALF-TERM
END:VEVENT
BEGIN:VEVENT
UID:ht1
DTSTART;VALUE=DATE:20250901
DTEND;VALUE=DATE:20251018
SUMMARY:autumn
CATEGORIES:School,Half-Term
END:VEVENT
BEGIN:VEVENT
UID:inset
DTSTART;VALUE=DATE:20250901
DTEND;VALUE=DATE:20250903
SUMMARY:INSET days
CATEGORIES:INSET
END:VEVENT
BEGIN:VEVENT
UID:vote
DTSTART;VALUE=DATE:20251105
SUMMARY:Polling station
CATEGORIES:CLOSURE
END:VEVENT
BEGIN:VEVENT
UID:trip
DTSTART:20251008T090000
DTEND:20251008T150000
SUMMARY:Year 9 trip
END:VEVENT
END:VCALENDAR
"""


def test_half_terms_and_closures_follow_the_categories_convention(tmp_path):
    cal = SchoolCalendar.from_ical(ICS)
    assert cal.name == "Riverside Academy 2025-26 (autumn)"
    assert [(h.first_day, h.last_day) for h in cal.half_terms] == [
        (date(2025, 9, 1), date(2025, 10, 17)),
        (date(2025, 10, 27), date(2025, 12, 19)),
    ]
    assert sorted(cal.closures) == [date(2025, 9, 1), date(2025, 9, 2), date(2025, 11, 5)]
    assert cal.non_school_reason(date(2025, 9, 2)) == "closure (INSET days)"
    assert cal.non_school_reason(date(2025, 11, 5)) == "closure (Polling station)"
    assert cal.is_school_day(date(2025, 10, 8))  # the trip (no category) is ignored
    assert cal.nth_school_day(date(2025, 9, 1), 1) == date(2025, 9, 3)
    path = tmp_path / "riverside.ics"
    path.write_text(ICS.replace("X-WR-CALNAME:Riverside Academy 2025-26 (autumn)\n", ""))
    assert SchoolCalendar.from_ical(path).name == "riverside"  # the file's stem
    assert SchoolCalendar.from_ical(path, name="Mine").name == "Mine"


def event(body: str) -> str:
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nX-WR-CALNAME:t\n{body}END:VCALENDAR\n"


HALF = "BEGIN:VEVENT\nUID:h1\nDTSTART;VALUE=DATE:20250901\nDTEND;VALUE=DATE:20251018\n"
HALF_TERM = HALF + "SUMMARY:autumn\nCATEGORIES:HALF-TERM\nEND:VEVENT\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            event(
                "BEGIN:VEVENT\nUID:x1\nDTSTART:20250901T090000\nSUMMARY:autumn\n"
                "CATEGORIES:HALF-TERM\nEND:VEVENT\n"
            ),
            "<ical>: event 1 'autumn' (UID x1): DTSTART must be a date (an all-day event)",
        ),
        (
            event(
                "BEGIN:VEVENT\nUID:x2\nDTSTART;VALUE=DATE:20250901\nDTEND;VALUE=DATE:20250901\n"
                "SUMMARY:autumn\nCATEGORIES:HALF-TERM\nEND:VEVENT\n"
            ),
            "<ical>: event 1 'autumn' (UID x2): DTEND 2025-09-01 must be after DTSTART 2025-09-01",
        ),
        (
            event(HALF + "CATEGORIES:HALF-TERM\nEND:VEVENT\n"),
            "<ical>: event 1 (UID h1): a HALF-TERM needs a SUMMARY, the term name",
        ),
        (
            event(HALF + "SUMMARY:autumn\nCATEGORIES:HALF-TERM,INSET\nEND:VEVENT\n"),
            "<ical>: event 1 'autumn' (UID h1): CATEGORIES has both HALF-TERM and CLOSURE/INSET",
        ),
        (
            event(HALF + "SUMMARY:autumn\nRRULE:FREQ=YEARLY\nCATEGORIES:HALF-TERM\nEND:VEVENT\n"),
            "<ical>: event 1 'autumn' (UID h1): repeating events are not supported",
        ),
        (
            event(
                "BEGIN:VEVENT\nUID:c1\nDTSTART;VALUE=DATE:20250901\nSUMMARY:INSET\n"
                "CATEGORIES:INSET\nEND:VEVENT\n"
            ),
            "<ical>: no half-terms: mark each half-term's all-day VEVENT with CATEGORIES:HALF-TERM",
        ),
        (
            event(
                HALF_TERM + "BEGIN:VEVENT\nUID:c1\nDTSTART;VALUE=DATE:20250901\nSUMMARY:INSET\n"
                "CATEGORIES:INSET\nEND:VEVENT\n"
                "BEGIN:VEVENT\nUID:c2\nDTSTART;VALUE=DATE:20250901\nSUMMARY:Closed\n"
                "CATEGORIES:CLOSURE\nEND:VEVENT\n"
            ),
            "<ical>: event 3 'Closed' (UID c2): closure 2025-09-01 is already given by "
            "event 2 'INSET' (UID c1)",
        ),
        (
            event(
                HALF_TERM
                + "BEGIN:VEVENT\nUID:h2\nDTSTART;VALUE=DATE:20251010\nDTEND;VALUE=DATE:20251220\n"
                "SUMMARY:autumn\nCATEGORIES:HALF-TERM\nEND:VEVENT\n"
            ),
            "<ical>: half-term 2 (2025-10-10..2025-12-19) overlaps half-term 1",
        ),
        (
            event(
                HALF_TERM + "BEGIN:VEVENT\nUID:c9\nDTSTART;VALUE=DATE:20260105\nSUMMARY:INSET\n"
                "CATEGORIES:CLOSURE\nEND:VEVENT\n"
            ),
            "<ical>: closure 2026-01-05 is outside the calendar 't'",
        ),
        (
            event(HALF_TERM).replace("20251018", "20251340"),
            "<ical>: event 1 'autumn' (UID h1): DTEND: ",
        ),
        ("BEGIN:VCALENDAR\nnonsense\n", "<ical>: not a valid iCalendar file"),
    ],
)
def test_bad_ics_input_is_a_calendar_error_naming_the_event(text, message):
    with pytest.raises(CalendarError) as caught:
        SchoolCalendar.from_ical(text)
    assert str(caught.value).startswith(message), str(caught.value)


def test_a_missing_file_or_name_is_a_clear_error(tmp_path):
    with pytest.raises(CalendarError, match=r"nope\.ics: cannot read calendar file"):
        SchoolCalendar.from_ical(tmp_path / "nope.ics")
    nameless = event(HALF_TERM).replace("X-WR-CALNAME:t\n", "")
    with pytest.raises(CalendarError, match="no name: give name= or an X-WR-CALNAME"):
        SchoolCalendar.from_ical(nameless)
    assert SchoolCalendar.from_ical(nameless.encode(), name="Bytes").name == "Bytes"


def test_the_cli_reads_an_ics_calendar_by_its_extension(capsys, tmp_path):
    ics = tmp_path / "terms.ics"
    ics.write_bytes(school_calendar_ical(CAL))
    path = tmp_path / "case.json"
    path.write_text((EXAMPLES / "off-site-direction-case.json").read_text("utf-8"))
    argv = ["check", str(path), "--as-of", "2026-01-20", "--json", "--calendar"]
    assert main([*argv, CALENDAR]) == 1
    from_yaml = json.loads(capsys.readouterr().out)
    assert main([*argv, str(ics)]) == 1
    assert json.loads(capsys.readouterr().out) == from_yaml
    broken = tmp_path / "broken.ics"
    broken.write_text(event(HALF + "SUMMARY:autumn\nCATEGORIES:HALF-TERM,CLOSURE\nEND:VEVENT\n"))
    assert main([*argv, str(broken)]) == 2
    assert "broken.ics: event 1 'autumn' (UID h1): CATEGORIES has both" in capsys.readouterr().err
