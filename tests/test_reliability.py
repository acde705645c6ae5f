"""Reliability and safety: nothing silently dropped, bad input answered clearly at the command
line, memory flat over many evaluations, no eval and only safe YAML loading."""

from __future__ import annotations

import gc
import json
import re
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from apcompliance import Case, Evaluator, SchoolCalendar, evaluate
from apcompliance.cli import main
from apcompliance.outputs.usage import ignored, used_ids

ROOT = Path(__file__).resolve().parents[1]
CALENDAR = str(resources.files("apcompliance") / "data/calendars/example-la-2025-26.yaml")
EXAMPLES = resources.files("apcompliance") / "data/examples"


def example(name: str) -> Case:
    return Case.model_validate_json((EXAMPLES / name).read_text("utf-8"))


# --- nothing silently dropped -------------------------------------------------------------------


def test_every_fact_of_a_case_is_used_or_reported_as_ignored_with_the_reason():
    case = example("off-site-direction-case.json")
    assessment = evaluate(case, as_of=date(2026, 1, 20), calendar=SchoolCalendar.example())
    unused = ignored(case, assessment)
    given = {p.id for p in case.providers} | {p.id for p in case.placements}
    given |= {e.id for e in case.events}
    assert given == (used_ids(assessment) & given) | {i.id for i in unused}
    # PC-2 is the provider's undertaking to report changes, not in writing: G.2.3 wants writing.
    assert [(i.id, i.kind) for i in unused] == [("PC-2", "provider_check")]
    assert all(i.reason for i in unused)


def test_an_event_after_the_evaluation_date_is_reported_as_such():
    case = example("off-site-direction-case.json")
    assessment = evaluate(case, as_of=date(2025, 11, 12), calendar=SchoolCalendar.example())
    dates = {e.id: e.occurred_on for e in case.events}
    later = [i for i in ignored(case, assessment) if dates.get(i.id, date.min) > date(2025, 11, 12)]
    assert later  # e.g. the attendance updates of December and January
    assert {i.reason for i in later} == {"dated after the evaluation date 2025-11-12"}


# --- bad input at the command line -------------------------------------------------------------

GOOD = {"case_id": "BAD-1", "pupil": {"year_group": 9}}
SUSPENSION = {"kind": "suspension", "id": "S1", "first_day": "2025-10-16", "school_days": 2}
PLACEMENT = {"id": "P1", "kind": "other", "start_date": "2025-11-03", "full_time": True}


@pytest.mark.parametrize(
    ("case", "named"),
    [
        ({**GOOD, "pupil": {"year_group": "nine"}}, "pupil.year_group"),
        ({**GOOD, "events": [{**SUSPENSION, "first_day": "2025-02-30"}]}, "first_day"),
        (
            {**GOOD, "placements": [{**PLACEMENT, "end_date": "2025-10-01"}]},
            "end_date is before start_date",
        ),
        ({**GOOD, "events": [{**SUSPENSION, "kind": "detention"}]}, "events[0]"),
        ({**GOOD, "events": [SUSPENSION, SUSPENSION]}, "events[1].id: the id of events[0] again"),
        (
            {
                **GOOD,
                "events": [
                    {"kind": "visit", "id": "V1", "placement_id": "P9", "visited_on": "2025-11-04"}
                ],
            },
            "no placement of the case has this id",
        ),
        (
            {**GOOD, "events": [{**SUSPENSION, "first_day": "2026-09-07"}]},
            "2026-09-07",
        ),
        ({**GOOD, "events": [{**SUSPENSION, "first_day": "2025-10-18"}]}, "is not a school day"),
        ({**GOOD, "colour": "red"}, "colour"),
    ],
)
def test_a_malformed_case_is_exit_2_with_a_message_naming_what_is_wrong(
    case, named, tmp_path, capsys
):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    assert main(["check", str(path), "--as-of", "2025-11-20", "--calendar", CALENDAR]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert named in captured.err
    assert "Traceback" not in captured.err


def test_a_malformed_json_file_and_a_missing_file_are_named(tmp_path, capsys):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert main(["check", str(broken), "--as-of", "2025-11-20", "--calendar", CALENDAR]) == 2
    assert "broken.json" in capsys.readouterr().err
    missing = tmp_path / "missing.json"
    assert main(["check", str(missing), "--as-of", "2025-11-20", "--calendar", CALENDAR]) == 2
    assert "missing.json" in capsys.readouterr().err


def test_a_malformed_calendar_file_is_named(tmp_path, capsys):
    case = tmp_path / "case.json"
    case.write_text(json.dumps(GOOD))
    calendar = tmp_path / "cal.yaml"
    calendar.write_text(
        "name: x\nhalf_terms:\n  - {term: autumn, first_day: soon, last_day: 2025-12-19}\n"
    )
    assert main(["check", str(case), "--as-of", "2025-11-20", "--calendar", str(calendar)]) == 2
    err = capsys.readouterr().err
    assert "cal.yaml" in err and "half_terms[0].first_day" in err


# --- memory --------------------------------------------------------------------------------------


def _rss_kib() -> int:
    fields = Path("/proc/self/statm").read_text().split()
    return int(fields[1]) * 4  # resident pages of 4 KiB


@pytest.mark.slow
def test_memory_stays_flat_over_many_evaluations():
    """A smaller-scale check; docs/performance.md carries the 100,000-evaluation figure."""
    if not Path("/proc/self/statm").exists():
        pytest.skip("needs /proc (Linux)")
    evaluator = Evaluator()
    calendar = SchoolCalendar.example()
    case = example("off-site-direction-case.json")
    for _ in range(100):  # warm up: caches, the engine's first allocations
        evaluator.evaluate(case, as_of=date(2026, 1, 20), calendar=calendar)
    gc.collect()
    before = _rss_kib()
    for _ in range(600):
        evaluator.evaluate(case, as_of=date(2026, 1, 20), calendar=calendar)
    gc.collect()
    grown = _rss_kib() - before
    assert grown < 0.10 * before, f"RSS grew by {grown} KiB from {before} KiB"


# --- no eval, safe YAML -----------------------------------------------------------------------


def test_the_library_never_calls_eval_or_exec_and_loads_yaml_safely():
    sources = list((ROOT / "src" / "apcompliance").rglob("*.py"))
    assert sources
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(?<![\w.])(eval|exec)\(", text), path
        assert "yaml.load(" not in text and "yaml.unsafe_load" not in text, path
