"""Builders for scenario tests: cases from plain data, and lookups of findings.

Dates are those of the example calendar, "Example Borough Council 2025-26"
(SchoolCalendar.example()): half-terms 1 Sep-17 Oct, 27 Oct-19 Dec 2025, 5 Jan-13 Feb,
23 Feb-27 Mar, 13 Apr-22 May, 1 Jun-21 Jul 2026; INSET days 1-2 Sep, 27 Oct 2025, 5 Jan and
1 Jun 2026; bank holidays from the `holidays` package.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any

from apcompliance import Assessment, Case, Finding, PolicySettings, SchoolCalendar
from tests.conftest import section_evaluator

CAL = SchoolCalendar.example()

TWO_SESSIONS = {
    "form": "two_sessions",
    "morning_starts": "09:00",
    "break_starts": "12:00",
    "break_ends": "12:45",
    "afternoon_ends": "15:15",
}
SINGLE_SESSION = {"form": "single_session", "session_starts": "09:30", "session_ends": "13:30"}


def _iso(value: object) -> str:
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def case(
    *events: dict[str, Any],
    placements: Any = (),
    providers: Any = (),
    case_id: str = "CASE-1",
    **pupil: Any,
) -> Case:
    """One pupil's case, validated exactly as a school system's JSON would be."""
    data = {
        "case_id": case_id,
        "pupil": {"year_group": 9, **pupil},
        "providers": list(providers),
        "placements": list(placements),
        "events": list(events),
    }
    return Case.model_validate_json(json.dumps(data, default=_iso))


def assess(
    c: Case, as_of: date, *sections: str, settings: PolicySettings | None = None
) -> Assessment:
    """Assess a case against the rule files of the given sections only."""
    return section_evaluator(*sections).evaluate(c, as_of=as_of, calendar=CAL, settings=settings)


def rule_ids(a: Assessment) -> set[str]:
    return {f.rule_id for f in a.findings}


def findings(a: Assessment, rule_id: str, subject: str | None = None) -> list[Finding]:
    """Every finding of `rule_id` (about `subject`, when given), in the assessment's order."""
    return [
        f for f in a.findings if f.rule_id == rule_id and (subject is None or f.subject == subject)
    ]


def the(a: Assessment, rule_id: str, subject: str | None = None) -> Finding:
    """The one finding of `rule_id` (about `subject`, when given)."""
    found = findings(a, rule_id, subject)
    assert len(found) == 1, f"{rule_id}: {[(f.subject, f.period, f.status) for f in a.findings]}"
    return found[0]


# --- events and placements ----------------------------------------------------------------------


def suspension(id: str, first_day: date, school_days: int) -> dict[str, Any]:
    return {"kind": "suspension", "id": id, "first_day": first_day, "school_days": school_days}


def suspension_in_sessions(
    id: str, first_day: date, sessions: int, first_session: str | None = None
) -> dict[str, Any]:
    """A suspension of `sessions` half days from `first_session` (not recorded: none given)."""
    start = {} if first_session is None else {"first_session": first_session}
    return {"kind": "suspension", "id": id, "first_day": first_day, "sessions": sessions, **start}


def direction(start: date, arranged_on: date, *, id: str = "OSD-1", **extra: Any) -> dict[str, Any]:
    """An off-site direction decided on `arranged_on`, beginning on `start`."""
    return {
        "id": id,
        "kind": "off_site_direction",
        "start_date": start,
        "arranged_on": arranged_on,
        "full_time": True,
    } | extra


def initial_meeting(
    id: str, held_on: date, *, placement_id: str = "OSD-1", **changes: Any
) -> dict[str, Any]:
    """The initial meeting of a direction (H.8, H.10): by default everything the policy asks of
    it is done; `changes` override it (e.g. `reasons_explained=False`,
    `review_interval_weeks=4`)."""
    return {
        "kind": "direction_meeting",
        "id": id,
        "placement_id": placement_id,
        "held_on": held_on,
        "pupil_invited": True,
        "parents_invited": True,
        "reasons_explained": True,
        "not_an_exclusion_explained": True,
        "support_responsibilities_set": True,
        "agreement_review_timescales_set": True,
    } | changes
