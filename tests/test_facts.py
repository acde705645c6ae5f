"""Fact models: strict, closed, JSON round-trip, errors naming the field and never the data."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from pydantic import ValidationError

from apcompliance import Case
from tests.conftest import make_case
from tests.scenarios import initial_meeting


def test_the_example_case_round_trips_through_json(example_case):
    again = Case.model_validate_json(example_case.model_dump_json())
    assert again == example_case


def error_locations(exc: ValidationError) -> list[str]:
    return [".".join(str(p) for p in e["loc"]) for e in exc.errors()]


@pytest.mark.parametrize(
    ("data", "location"),
    [
        ({"pupil": {"year_group": "9"}}, "pupil.year_group"),
        ({"pupil": {"year_group": 9, "favourite_colour": "red"}}, "pupil.favourite_colour"),
        ({"pupil": {"year_group": 9, "upn": "12345"}}, "pupil.upn"),
        (
            {
                "events": [
                    {"kind": "suspension", "id": "S1", "first_day": "2025-13-01", "school_days": 2}
                ]
            },
            "events.0.suspension.first_day",
        ),
        (
            {
                "events": [
                    {"kind": "suspension", "id": "S1", "first_day": "2025-10-16", "school_days": 0}
                ]
            },
            "events.0.suspension.school_days",
        ),
        ({"events": [{"kind": "holiday", "id": "H1"}]}, "events.0"),
        (
            {
                "placements": [
                    {
                        "id": "P1",
                        "kind": "suspension_provision",
                        "start_date": "2025-11-03",
                        "end_date": "2025-11-01",
                        "full_time": True,
                    }
                ]
            },
            "placements.0",
        ),
    ],
)
def test_invalid_input_names_the_field(data, location):
    with pytest.raises(ValidationError) as caught:
        make_case(**data)
    assert any(loc.startswith(location) for loc in error_locations(caught.value)), caught.value


def test_errors_never_echo_the_pupils_data():
    with pytest.raises(ValidationError) as caught:
        make_case(pupil={"year_group": 9, "name": "Zebedee Quill", "date_of_birth": "Zebedee-DOB"})
    assert "Zebedee" not in str(caught.value)
    assert "pupil.date_of_birth" in error_locations(caught.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {
                "events": [
                    {"kind": "suspension", "id": "S1", "first_day": "2025-10-16", "school_days": 2},
                    {"kind": "suspension", "id": "S1", "first_day": "2025-11-16", "school_days": 2},
                ]
            },
            "events[1].id: the id of events[0] again",
        ),
        (
            {
                "events": [
                    {
                        "kind": "work_set",
                        "id": "W1",
                        "about": "S9",
                        "set_on": "2025-10-16",
                    }
                ]
            },
            "events[0].about: no suspension or permanent exclusion of the case has this id",
        ),
        (
            {
                "placements": [
                    {
                        "id": "P1",
                        "kind": "off_site_direction",
                        "arranged_on": "2025-10-20",
                        "provider_id": "NOPE",
                        "start_date": "2025-11-03",
                        "full_time": True,
                    }
                ]
            },
            "placements[0].provider_id: no provider of the case has this id",
        ),
        (
            {
                "events": [
                    {
                        "kind": "short_notice_consent",
                        "id": "C1",
                        "placement_id": "P9",
                        "given_on": "2025-10-16",
                    }
                ]
            },
            "events[0].placement_id: no placement of the case has this id",
        ),
    ],
)
def test_references_inside_a_case_must_resolve(data, message):
    with pytest.raises(ValidationError) as caught:
        make_case(**data)
    assert message in str(caught.value)


def test_session_times_must_run_in_order():
    with pytest.raises(ValidationError, match="session_starts must be before session_ends"):
        make_case(
            placements=[
                {
                    "id": "P1",
                    "kind": "suspension_provision",
                    "start_date": "2025-11-03",
                    "full_time": True,
                    "session_times": {
                        "form": "single_session",
                        "session_starts": "15:00",
                        "session_ends": "09:00",
                    },
                }
            ]
        )


def test_the_case_schema_is_a_json_schema_with_the_event_union():
    schema = Case.model_json_schema()
    assert schema["title"] == "Case"
    text = json.dumps(schema)
    for kind in ("suspension", "permanent_exclusion", "exclusion_notice", "work_set"):
        assert f'"{kind}"' in text


def direction(**extra):
    return {
        "id": "OSD-1",
        "kind": "off_site_direction",
        "arranged_on": "2025-11-10",
        "start_date": "2025-11-17",
        "full_time": True,
        **extra,
    }


def test_an_off_site_direction_must_say_when_it_was_decided():
    placement = direction()
    del placement["arranged_on"]
    with pytest.raises(ValidationError, match="arranged_on is required for an off_site_direction"):
        make_case(placements=[placement])


@pytest.mark.parametrize(
    ("event", "location"),
    [
        (
            {
                "kind": "referral_notice",
                "id": "R1",
                "placement_id": "OSD-1",
                "sent_at": "2025-11-12T15:00:00",
                "method": "email",
                "recipients": [],
            },
            "events.0.referral_notice.recipients",
        ),
        (
            {
                "kind": "referral_notice",
                "id": "R1",
                "placement_id": "OSD-1",
                "sent_at": "2025-11-12T15:00:00",
                "method": "email",
                "recipients": ["parents", "parents"],
            },
            "events.0.referral_notice.recipients",
        ),
        (
            {
                "kind": "placement_review",
                "id": "V1",
                "placement_id": "OSD-1",
                "held_on": "2025-12-01",
                "attendees": ["pupil", "headmaster"],
            },
            "events.0.placement_review.attendees.1",
        ),
        (
            {
                "kind": "needs_consideration",
                "id": "N1",
                "considered_on": "2025-11-05",
                "by": [],
            },
            "events.0.needs_consideration.by",
        ),
        (
            initial_meeting("M1", "2025-11-11", review_interval_weeks=0),
            "events.0.direction_meeting.review_interval_weeks",
        ),
        (
            {
                "kind": "progress_record",
                "id": "G1",
                "placement_id": "OSD-1",
                "recorded_on": "2025-12-01",
                "progress": "poor",
            },
            "events.0.progress_record.progress",
        ),
    ],
)
def test_direction_events_name_the_field_at_fault(event, location):
    with pytest.raises(ValidationError) as caught:
        make_case(placements=[direction()], events=[event])
    assert location in error_locations(caught.value)


def test_an_attendance_code_outside_the_2024_regulations_is_rejected():
    with pytest.raises(ValidationError) as caught:
        make_case(placements=[direction(attendance_code="Q9")])
    assert "placements.0.attendance_code" in error_locations(caught.value)


def test_a_direction_event_must_name_a_placement_of_the_case():
    event = {
        "kind": "agencies_notified",
        "id": "A1",
        "placement_id": "OSD-9",
        "notified_on": "2025-11-12",
    }
    with pytest.raises(
        ValidationError, match=r"events\[0\]\.placement_id: no placement of the case has this id"
    ):
        make_case(placements=[direction()], events=[event])


def test_the_off_site_direction_example_round_trips_through_json():
    text = (
        resources.files("apcompliance") / "data/examples/off-site-direction-case.json"
    ).read_text("utf-8")
    case = Case.model_validate_json(text)
    assert Case.model_validate_json(case.model_dump_json()) == case


PROVIDER = {"id": "PRV-1", "name": "Northgate Skills Centre", "kind": "unregistered"}


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (
            {
                "kind": "provider_check",
                "id": "PC1",
                "provider_id": "PRV-9",
                "checked_on": "2025-11-07",
                "check": "all_adults_cleared",
            },
            r"events\[0\]\.provider_id: no provider of the case has this id",
        ),
        (
            {
                "kind": "ehc_plan_review",
                "id": "EHC1",
                "held_on": "2025-12-01",
                "provider_contributions": ["PRV-1", "PRV-9"],
            },
            r"events\[0\]\.provider_contributions\[1\]: no provider of the case has this id",
        ),
        (
            {
                "kind": "absence",
                "id": "A1",
                "placement_id": "OSD-1",
                "absent_on": "2025-12-02",
                "parents_contacted_on": "2025-12-01",
            },
            "parents_contacted_on is before absent_on",
        ),
        (
            {
                "kind": "serious_incident",
                "id": "SI1",
                "placement_id": "OSD-1",
                "occurred_on": "2025-12-02",
                "school_informed_on": "2025-12-01",
            },
            "school_informed_on is before occurred_on",
        ),
        (
            {
                "kind": "safeguarding_concern",
                "id": "SC1",
                "placement_id": "OSD-1",
                "raised_on": "2025-12-02",
                "resolved_on": "2025-11-30",
            },
            "resolved_on is before raised_on",
        ),
    ],
)
def test_monitoring_events_name_what_is_wrong(event, message):
    with pytest.raises(ValidationError, match=message):
        make_case(providers=[PROVIDER], placements=[direction()], events=[event])


@pytest.mark.parametrize(
    ("event", "location"),
    [
        (
            {
                "kind": "provider_check",
                "id": "PC1",
                "provider_id": "PRV-1",
                "checked_on": "2025-11-07",
                "check": "vibes",
            },
            "events.0.provider_check.check",
        ),
        (
            {
                "kind": "information_shared",
                "id": "I1",
                "placement_id": "OSD-1",
                "shared_on": "2025-11-07",
                "items": [],
            },
            "events.0.information_shared.items",
        ),
        (
            {
                "kind": "information_shared",
                "id": "I1",
                "placement_id": "OSD-1",
                "shared_on": "2025-11-07",
                "items": ["objectives", "objectives"],
            },
            "events.0.information_shared.items",
        ),
        (
            {
                "kind": "attendance_update",
                "id": "U1",
                "placement_id": "OSD-1",
                "updated_on": "2025-11-21",
                "attendance_percent": 104,
            },
            "events.0.attendance_update.attendance_percent",
        ),
        (
            {
                "kind": "learning_plan",
                "id": "L1",
                "placement_id": "OSD-1",
                "agreed_on": "2025-11-14",
                "includes": ["horoscope"],
            },
            "events.0.learning_plan.includes.0",
        ),
    ],
)
def test_commissioning_events_name_the_field_at_fault(event, location):
    with pytest.raises(ValidationError) as caught:
        make_case(providers=[PROVIDER], placements=[direction()], events=[event])
    assert location in error_locations(caught.value)


def test_sessions_per_week_run_from_one_to_ten():
    with pytest.raises(ValidationError) as caught:
        make_case(placements=[direction(sessions_per_week=11)])
    assert "placements.0.sessions_per_week" in error_locations(caught.value)


SUS = {"kind": "suspension", "id": "S1", "first_day": "2025-10-16"}


@pytest.mark.parametrize(
    ("given", "location", "message"),
    [
        ({}, "events.0.suspension", "school_days or sessions is required"),
        ({"school_days": 2, "sessions": 4}, "events.0.suspension", "are both given"),
        ({"school_days": 2, "first_session": "PM"}, "events.0.suspension", "PM needs sessions"),
        ({"sessions": 0}, "events.0.suspension.sessions", "greater than or equal to 1"),
        ({"sessions": 91}, "events.0.suspension.sessions", "less than or equal to 90"),
        ({"sessions": 3, "first_session": "noon"}, "events.0.suspension.first_session", "'AM'"),
    ],
)
def test_a_suspension_has_one_length_in_days_or_in_sessions(given, location, message):
    with pytest.raises(ValidationError) as caught:
        make_case(events=[{**SUS, **given}])
    (error,) = caught.value.errors()
    assert ".".join(str(p) for p in error["loc"]) == location
    assert message in error["msg"]


def test_a_suspension_in_sessions_starts_in_the_morning_unless_it_says_so():
    (suspension,) = make_case(events=[{**SUS, "sessions": 3}]).events
    assert suspension.session_count == 3 and not suspension.starts_in_afternoon
    (whole,) = make_case(events=[{**SUS, "school_days": 2, "first_session": "AM"}]).events
    assert whole.session_count == 4
