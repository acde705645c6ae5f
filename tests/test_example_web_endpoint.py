"""The example web endpoint (examples/web_endpoint.py), through FastAPI's test client."""

from __future__ import annotations

import json

import pytest

fastapi = pytest.importorskip("fastapi", reason="the web example needs FastAPI (test extra)")
from fastapi.testclient import TestClient  # noqa: E402

from examples.web_endpoint import app  # noqa: E402

client = TestClient(app)


def test_a_case_posted_as_json_comes_back_assessed(example_case_json):
    response = client.post(
        "/assess", params={"as_of": "2025-11-10"}, json=json.loads(example_case_json)
    )
    assert response.status_code == 200
    body = response.json()
    assert body["case_id"] == "EX-2025-014"
    overdue = [f for f in body["findings"] if f["status"] == "overdue"]
    assert any(f["rule_id"] == "I.1.iv-notice-report-to" for f in overdue)


def test_a_malformed_case_is_a_422_naming_the_field_and_not_the_data():
    case = {"case_id": "W1", "pupil": {"year_group": "nine", "name": "Zebedee Quillfeather"}}
    response = client.post("/assess", params={"as_of": "2025-11-10"}, json=case)
    assert response.status_code == 422
    assert "pupil.year_group" in response.text
    assert "Zebedee" not in response.text


def test_a_date_outside_the_calendar_is_a_422_naming_the_date():
    case = {
        "case_id": "W2",
        "pupil": {"year_group": 9},
        "events": [{"kind": "suspension", "id": "S1", "first_day": "2027-01-04", "school_days": 2}],
    }
    response = client.post("/assess", params={"as_of": "2027-01-10"}, json=case)
    assert response.status_code == 422
    assert "2027-01-04" in response.text
