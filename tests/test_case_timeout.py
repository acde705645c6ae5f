"""`check-many --case-timeout S` / `evaluate_many(..., case_timeout=S)` (issue 19, point 4): a
case not assessed within S seconds is an error for that case, and the rest are assessed, in
input order, with or without worker processes. The slow case is a long history (10,000
records: several seconds) against half a second; every other case takes milliseconds."""

from __future__ import annotations

import contextlib
import json
import sys
import threading
import time
from importlib import resources
from pathlib import Path

import pytest

from apcompliance import Case
from apcompliance.cli import main
from apcompliance.evaluation.cohort import DEFAULT_CASE_TIMEOUT, CaseResult, evaluate_many
from benchmarks.cohort import DEFAULT_AS_OF
from benchmarks.history import history_case
from tests.scenarios import CAL

LIMIT = 0.5
CALENDAR = str(resources.files("apcompliance") / "data/calendars/example-la-2025-26.yaml")


@pytest.fixture(scope="module")
def slow_line() -> str:
    return json.dumps(history_case(10000))


def _cohort(slow_line: str) -> list[str]:
    quick = [json.dumps(history_case(35) | {"case_id": f"QUICK-{i}"}) for i in (1, 2)]
    return [quick[0], slow_line, quick[1]]


def _check(results: list[CaseResult]) -> None:
    assert [r.line for r in results] == [1, 2, 3]
    assert [r.case_id for r in results] == ["QUICK-1", "HIST-10000", "QUICK-2"]
    assert results[0].ok and results[2].ok
    assert results[1].error == f"case HIST-10000 (line 2): not assessed within {LIMIT:g} s"


@pytest.mark.parametrize("processes", [1, 2])
def test_a_case_over_the_limit_is_an_error_and_the_rest_are_assessed(slow_line, processes):
    results = list(
        evaluate_many(
            _cohort(slow_line),
            as_of=DEFAULT_AS_OF,
            calendar=CAL,
            processes=processes,
            chunksize=1,
            case_timeout=LIMIT,
        )
    )
    _check(results)


def test_outside_the_main_thread_one_worker_process_enforces_it(slow_line):
    got: list[CaseResult] = []

    def run() -> None:
        got.extend(
            evaluate_many(_cohort(slow_line), as_of=DEFAULT_AS_OF, calendar=CAL, case_timeout=LIMIT)
        )

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    _check(got)


def test_the_next_case_is_assessed_as_usual_after_an_interruption(slow_line):
    quick = Case.model_validate_json(json.dumps(history_case(300)))
    before = list(evaluate_many([quick], as_of=DEFAULT_AS_OF, calendar=CAL))
    after = list(
        evaluate_many([slow_line, quick], as_of=DEFAULT_AS_OF, calendar=CAL, case_timeout=LIMIT)
    )
    assert not after[0].ok
    assert after[1].assessment == before[0].assessment


def test_check_many_reports_it_and_goes_on(slow_line, tmp_path: Path, capsys):
    cases = tmp_path / "cohort.jsonl"
    cases.write_text("\n".join(_cohort(slow_line)) + "\n")
    argv = ["check-many", str(cases), "--as-of", "2026-06-15", "--calendar", CALENDAR]
    assert main([*argv, "--case-timeout", str(LIMIT), "--json", "--quiet"]) == 2
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(lines) == 3
    assert lines[1]["error"] == f"case HIST-10000 (line 2): not assessed within {LIMIT:g} s"
    assert "error" not in lines[0] and "error" not in lines[2]


@pytest.mark.parametrize("bad", ["0", "-1", "nan", "inf", "soon"])
def test_a_timeout_that_is_not_a_positive_number_is_refused(bad, capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_:
        main(
            [
                "check-many",
                "x.jsonl",
                "--as-of",
                "2026-06-15",
                "--calendar",
                "c.yaml",
                "--case-timeout",
                bad,
            ]
        )
    assert exit_.value.code == 2
    assert "is not a number of seconds" in capsys.readouterr().err
    with pytest.raises(ValueError, match="case_timeout"):
        list(evaluate_many([], as_of=DEFAULT_AS_OF, calendar=CAL, case_timeout=0))


def test_the_default_is_far_beyond_a_long_history():
    assert DEFAULT_CASE_TIMEOUT >= 60


class _Swallowing:
    """An evaluator in which the interruption is swallowed on its way out, as a finaliser or a
    broad `except` would: the case still counts as not assessed in time."""

    def evaluate(self, case: Case, **options: object) -> object:
        with contextlib.suppress(Exception):
            time.sleep(30)
        return "never used"


def test_an_interruption_swallowed_on_its_way_still_reports_the_case():
    hook = sys.unraisablehook
    quick = json.dumps(history_case(35))
    (result,) = evaluate_many(
        [quick],
        as_of=DEFAULT_AS_OF,
        calendar=CAL,
        evaluator=_Swallowing(),  # type: ignore[arg-type]
        case_timeout=0.2,
    )
    assert result.error == "case HIST-35 (line 1): not assessed within 0.2 s"
    assert sys.unraisablehook is hook
