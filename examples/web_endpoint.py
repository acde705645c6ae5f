"""An example web endpoint: how a school information system can call apcompliance over HTTP.

Run it with `uvicorn examples.web_endpoint:app` (FastAPI and uvicorn are not dependencies of
apcompliance; install them yourself). POST a case as JSON to `/assess?as_of=YYYY-MM-DD`; the
reply is the assessment as JSON. A malformed case gets a 422 naming the field, never the
pupil's data; a date outside the school calendar a 422 naming the date.

The calendar here is the bundled example; a real deployment loads its own
(`SchoolCalendar.from_yaml(...)`) once at start-up.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import Body, FastAPI, HTTPException, Query
from pydantic import ValidationError

from apcompliance import ApComplianceError, Case, SchoolCalendar, evaluate

app = FastAPI(title="apcompliance example", version="1")
CALENDAR = SchoolCalendar.example()


@app.post("/assess")
def assess(
    case: Annotated[dict[str, Any], Body(description="a case: see `apcompliance schema`")],
    as_of: Annotated[date, Query(description="the evaluation date")],
) -> dict[str, Any]:
    """Assess one case against the Trust's policy as of a date."""
    try:
        # Validated from JSON text exactly as `apcompliance check` does (strict types, ISO dates).
        parsed = Case.model_validate_json(json.dumps(case))
    except ValidationError as exc:
        problems = [
            {"field": ".".join(str(p) for p in e["loc"]), "problem": e["msg"]}
            for e in exc.errors(include_input=False)
        ]
        raise HTTPException(status_code=422, detail=problems) from None
    try:
        assessment = evaluate(parsed, as_of=as_of, calendar=CALENDAR)
    except ApComplianceError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None
    return assessment.model_dump(mode="json")


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
