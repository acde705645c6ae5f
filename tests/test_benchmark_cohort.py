"""The benchmark's cohort generator (benchmarks/cohort.py) makes valid, reproducible cases.
(Timings live in benchmarks/, never in tests.)"""

from __future__ import annotations

import json
from datetime import date
from itertools import islice

from apcompliance import Case, SchoolCalendar, evaluate
from benchmarks.cohort import generate


def test_the_generated_cohort_is_valid_varied_and_reproducible():
    cases = [json.dumps(c) for c in generate(120, seed=7)]
    assert cases == [json.dumps(c) for c in generate(120, seed=7)]
    assert cases[:40] == [json.dumps(c) for c in islice(generate(40, seed=7), 40)]
    assert cases != [json.dumps(c) for c in generate(120, seed=8)]
    statuses: set[str] = set()
    for text in cases:
        case = Case.model_validate_json(text)
        assessment = evaluate(case, as_of=date(2026, 6, 15), calendar=SchoolCalendar.example())
        statuses |= {f.status for f in assessment.findings}
    assert {"met", "overdue", "late", "pending"} <= statuses
