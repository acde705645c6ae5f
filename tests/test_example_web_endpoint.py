"""The example web endpoint (examples/web_endpoint.py), through FastAPI's test client; and its
start-up under uvicorn, with the calendar `APCOMPLIANCE_CALENDAR` names.

No reply ever echoes the request (issue 18, point 7): each body shape is posted with marker
strings (a name, a date of birth, a UPN) and no reply may hold any of them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import pytest

fastapi = pytest.importorskip("fastapi", reason="the web example needs FastAPI (test extra)")
from fastapi.testclient import TestClient  # noqa: E402

from examples.web_endpoint import MAX_BODY_BYTES, app, create_app, load_calendar  # noqa: E402

client = TestClient(app)
CALENDAR = resources.files("apcompliance") / "data/calendars/example-la-2025-26.yaml"

NAME, DOB, UPN = "Zebedee Quillfeather", "2011-02-03", "Z10000000009A"
MARKERS = (NAME, "Zebedee", "Quillfeather", DOB, "20110203", UPN)


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


# --- no reply echoes the request -----------------------------------------------------------------

PUPIL = {"year_group": "nine", "name": NAME, "date_of_birth": DOB, "upn": UPN}
BAD_CASE = {
    "case_id": "W3",
    "pupil": {**PUPIL, NAME: DOB, "date_of_brith": UPN},  # a name as a key; a misspelt key
    "events": [
        {"kind": NAME, "id": "S1"},  # a name as the event's kind (a tag the union quotes)
        {"kind": "suspension", "id": "S2", "first_day": UPN, "school_days": DOB},
    ],
}


def _json(value: object) -> bytes:
    return json.dumps(value).encode()


BODIES: dict[str, tuple[bytes, str, int, str]] = {
    # shape: (body, content type, status, what the reply must name)
    "an object with bad fields": (_json(BAD_CASE), "application/json", 422, "pupil.year_group"),
    "a JSON list": (_json([BAD_CASE, PUPIL]), "application/json", 422, "Input should be an object"),
    "a string": (_json(NAME), "application/json", 422, "Input should be an object"),
    "a number": (b"20110203", "application/json", 422, "Input should be an object"),
    "null": (b"null", "application/json", 422, "Input should be an object"),
    "invalid JSON": (
        b'{"pupil": {"name": "' + NAME.encode() + b'", "date_of_birth": ' + DOB.encode(),
        "application/json",
        422,
        "Invalid JSON",
    ),
    "not UTF-8": (
        _json({"pupil": {"name": NAME}}).replace(b"Zebedee", b"Zeb\xe9d\xe9e"),
        "application/json",
        422,
        "not UTF-8 (byte offset 23)",  # {"pupil": {"name": "Zeb is 23 bytes
    ),
    "a huge body": (
        _json({"pupil": PUPIL, "notes": [NAME] * (MAX_BODY_BYTES // len(NAME))}),
        "application/json",
        413,
        f"larger than {MAX_BODY_BYTES} bytes",
    ),
    "a large body of the wrong shape": (
        _json([PUPIL] * 10_000),
        "application/json",
        422,
        "Input should be an object",
    ),
    "the wrong content type": (_json(BAD_CASE), "text/plain", 415, "application/json"),
    "a form": (f"name={NAME}&upn={UPN}".encode(), "application/x-www-form-urlencoded", 415, "JSON"),
}


@pytest.mark.parametrize("shape", list(BODIES))
def test_no_error_reply_echoes_the_request(shape):
    body, content_type, status, named = BODIES[shape]
    response = client.post(
        "/assess",
        params={"as_of": "2025-11-10"},
        content=body,
        headers={"content-type": content_type},
    )
    assert response.status_code == status, response.text[:500]
    assert named in response.text
    for marker in MARKERS:
        assert marker not in response.text, (shape, marker)


def test_each_bad_field_is_named_by_its_path_and_the_type_expected():
    response = client.post("/assess", params={"as_of": "2025-11-10"}, json=BAD_CASE)
    problems = {p["field"]: p["problem"] for p in response.json()["detail"]}
    assert problems["pupil.year_group"] == "Input should be a valid integer"
    assert problems["events[0]"].startswith("not a known 'kind': expected 'suspension', ")
    assert problems["events[1].suspension.first_day"].startswith("Input should be a valid date")
    assert problems["events[1].suspension.school_days"] == "Input should be a valid integer"
    # a key the case model does not know is shown only if it looks like a field name (a
    # name typed as a key may be the pupil's); a near miss is helped
    assert problems["pupil.<unknown key>"] == "unknown key"
    assert problems["pupil.date_of_brith"] == "unknown key (did you mean date_of_birth?)"


def test_a_bad_as_of_is_a_422_naming_the_query_parameter_not_its_value():
    case = {"case_id": "W4", "pupil": {"year_group": 9}}
    response = client.post("/assess", params={"as_of": NAME}, json=case)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "query.as_of"
    assert NAME not in response.text and "Zebedee" not in response.text


def test_an_assessment_carries_no_pupil_data_beyond_the_case_id(example_case_json):
    case = json.loads(example_case_json)
    case["pupil"].update(name=NAME, date_of_birth=DOB, upn=UPN)
    response = client.post("/assess", params={"as_of": "2025-11-10"}, json=case)
    assert response.status_code == 200
    for marker in MARKERS:
        assert marker not in response.text


# --- the calendar, and start-up ----------------------------------------------------------------


def test_the_calendar_is_the_one_given(tmp_path):
    path = tmp_path / "trust.yaml"
    path.write_text(CALENDAR.read_text("utf-8").replace("Example Borough", "Trust"), "utf-8")
    own = TestClient(create_app(load_calendar(str(path))))
    assert own.get("/health").json() == {"status": "ok", "calendar": "Trust Council 2025-26"}
    assert client.get("/health").json()["calendar"] == "Example Borough Council 2025-26"


def _uvicorn(calendar: str, port: int) -> subprocess.Popen[str]:
    env = {**os.environ, "APCOMPLIANCE_CALENDAR": calendar}
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "examples.web_endpoint:app", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_calendar_that_cannot_be_loaded_stops_start_up_with_a_message(tmp_path):
    pytest.importorskip("uvicorn", reason="the web example runs under uvicorn (web extra)")
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"name: x\nhalf_terms: caf\xe9\n")
    server = _uvicorn(str(bad), _free_port())
    _, err = server.communicate(timeout=60)
    assert server.returncode != 0
    assert f"APCOMPLIANCE_CALENDAR: {bad}: not UTF-8 text: the byte at offset 23 (line 2)" in err
    assert "Traceback" not in err


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_it_runs_under_uvicorn_as_the_docs_say(tmp_path):
    pytest.importorskip("uvicorn", reason="the web example runs under uvicorn (web extra)")
    import httpx

    port = _free_port()
    server = _uvicorn(str(CALENDAR), port)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                reply = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, "did not start"
                time.sleep(0.2)
        assert reply.json() == {"status": "ok", "calendar": "Example Borough Council 2025-26"}
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_uvicorn_and_fastapi_are_the_web_extra_and_in_the_test_extra():
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads(
        (Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    )["project"]
    extras = project["optional-dependencies"]
    assert extras["web"] == ["fastapi>=0.110", "uvicorn>=0.29"]
    assert set(extras["web"]) <= set(extras["test"])
