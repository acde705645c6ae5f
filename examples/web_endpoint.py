"""An example web endpoint: how a school information system can call apcompliance over HTTP.

Run it (docs/web.md):

    pip install -e '.[web]'           # in a checkout: FastAPI and uvicorn
    APCOMPLIANCE_CALENDAR=calendar.yaml uvicorn examples.web_endpoint:app

POST a case as JSON (`Content-Type: application/json`) to `/assess?as_of=YYYY-MM-DD`; the reply
is the assessment as JSON. The calendar is the file `APCOMPLIANCE_CALENDAR` names (YAML, or
iCalendar by the extension .ics), loaded once at start-up; without it, the bundled example. A
calendar that cannot be loaded stops start-up with a message naming the file and the fault.

No reply ever echoes the request: a body is personal data (a pupil's name, date of birth, UPN).
Every error names the problem (the field's path, the type expected) and never a value sent:

- 413: the body is larger than `MAX_BODY_BYTES` (5 MB);
- 415: the body is not JSON by its content type;
- 422: the body is not JSON, not a case (a list, a string, a number, null), a case with bad
  fields, or a case with a date outside the calendar (named: dates are not personal data);
  a bad `as_of` likewise. A key the case model does not know is named only where it looks
  like a field name (a misspelling: `date_of_brith`), else shown as `<unknown key>` (it may be
  a pupil's name); an unknown `kind` likewise.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from apcompliance import ApComplianceError, Case, NotUtf8Error, SchoolCalendar, evaluate
from apcompliance.errors import DuplicateKeyError
from apcompliance.facts.problems import problem_list
from apcompliance.jsontext import validate_json
from apcompliance.textfiles import decode

CALENDAR_ENV = "APCOMPLIANCE_CALENDAR"
MAX_BODY_BYTES = 5_000_000
"""The largest body read, in bytes (a case with years of register marks is well under it)."""


def load_calendar(path: str | None) -> SchoolCalendar:
    """The calendar of `path` (YAML, or iCalendar by .ics), or the bundled example for none."""
    return SchoolCalendar.from_file(path) if path else SchoolCalendar.example()


def problems(errors: Sequence[Any]) -> list[dict[str, str]]:
    """Pydantic's errors as `{"field", "problem", "type"}`, never with the input's values (the
    library's one way of putting a validation error into words, `facts.problems`)."""
    return [{**p, "field": p["field"] or "(body)"} for p in problem_list(errors, Case)]


def create_app(calendar: SchoolCalendar) -> FastAPI:
    """The application, assessing every case on `calendar`."""
    app = FastAPI(title="apcompliance example", version="1")

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's own handler echoes the `input` of each error: this one never does.
        return JSONResponse(status_code=422, content={"detail": problems(exc.errors())})

    @app.post(
        "/assess",
        openapi_extra={
            "requestBody": {
                "required": True,
                "description": "a case: see `apcompliance schema`",
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
        },
    )
    async def assess(
        request: Request,
        as_of: Annotated[date, Query(description="the evaluation date")],
    ) -> dict[str, Any]:
        """Assess one case against the Trust's policy as of a date."""
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            raise HTTPException(415, "the body must be a case as JSON (application/json)")
        body = await _read_body(request)
        try:
            # Validated from JSON text exactly as `apcompliance check` does (strict types, ISO
            # dates); a UTF-8 byte-order mark is dropped, other bytes must be UTF-8.
            case = validate_json(Case, decode(body, "the body"))
        except DuplicateKeyError as exc:  # names the key's path, not a value
            raise HTTPException(422, str(exc)) from None
        except ValidationError as exc:
            detail = problems(exc.errors(include_url=False))
            raise HTTPException(422, detail) from None
        except NotUtf8Error as exc:  # names the byte offset, not the byte
            raise HTTPException(422, f"the body is not UTF-8 (byte offset {exc.offset})") from None
        try:
            assessment = await run_in_threadpool(evaluate, case, as_of=as_of, calendar=calendar)
        except ApComplianceError as exc:  # e.g. a date outside the calendar, named
            raise HTTPException(422, str(exc)) from None
        return assessment.model_dump(mode="json")

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok", "calendar": calendar.name}

    return app


async def _read_body(request: Request) -> bytes:
    """The body, read no further than `MAX_BODY_BYTES` (else 413)."""
    too_large = HTTPException(413, f"the body is larger than {MAX_BODY_BYTES} bytes")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


try:
    app = create_app(load_calendar(os.environ.get(CALENDAR_ENV)))
except ApComplianceError as exc:  # stop start-up with the reason, not a traceback
    raise SystemExit(f"apcompliance web example: {CALENDAR_ENV}: {exc}") from None
