"""The goals report of issue 20 (benchmarks/goals.py): its figures, table and docs block, on
made-up results. (Timings live in benchmarks/, never in tests: nothing here is timed.)"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from benchmarks import goals

ROOT = Path(__file__).resolve().parent.parent


def _round(scale: float) -> dict:
    """The raw results of one round of one interpreter, every time `scale` times a base."""
    return {
        "phases": {
            "engine": "durable-rules",
            "cases": 300,
            "evaluate_ms": 5.0 * scale,
            "all_phases_ms": 10.0 * scale,
            "evaluate_wall_ms": 5.5 * scale,
            "all_phases_wall_ms": 11.0 * scale,
            "cpu_ms_per_case": 10.0 * scale,
            "findings_per_case": 52.0,
        },
        "history": {
            "rows": [
                {"records": 35, "seconds": 0.007 * scale, "us_per_record": 200.0 * scale},
                {"records": 1300, "seconds": 0.1 * scale, "us_per_record": 100.0 * scale},
            ]
        },
        "pool": {
            "parent_cpu_ms_per_case": 3.0 * scale,
            "parent_fixed_cpu_s": 1.5,
            "workers_cpu_s": 10.0,
            "total_cpu_s": 14.0,
            "wall_s": 9.0,
        },
        "cold": {
            "first_cpu_s": 1.3 * scale,
            "first_wall_s": 1.8,
            "warm_cpu_s": [1.2 * scale, 1.0 * scale],
            "warm_wall_s": [1.7, 1.6],
        },
        "cohort": {
            "wall_s": 8.0,
            "small_wall_s": 2.0,
            "projected_minutes": 13.0 * scale,
            "maxrss_mib": 80.0,
        },
    }


def _results(this: list[float], against: list[float] | None) -> dict:
    results = {
        "date": "2026-12-07",
        "machine": {"cpu": "Test CPU", "cores": 2, "python": "3.11.7", "load": [0.5, 0.7]},
        "settings": {
            "cases": 1000,
            "sample": 300,
            "rounds": len(this),
            "as_of": "2026-06-15",
            "calendar": "x/example-la-2025-26.yaml",
            "processes": 2,
        },
        "this": {"python": "this", "commit": "abc1234", "rounds": [_round(s) for s in this]},
    }
    if against is not None:
        results["against"] = {
            "python": "/other/python",
            "commit": "def5678",
            "rounds": [_round(s) for s in against],
        }
    return results


def _row(table: str, label: str) -> list[str]:
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0] == label:
            return cells
    raise AssertionError(f"no row {label}")


def test_each_goal_is_taken_from_its_measurements_round_by_round():
    fig = goals.figures(_results([1.0, 0.5], None)["this"]["rounds"])
    assert fig["evaluate_ms"] == [5.0, 2.5]
    assert fig["all_phases_ms"] == [10.0, 5.0]
    assert fig["pool_parent_share"] == [pytest.approx(0.3), pytest.approx(0.3)]
    assert fig["history_ratio"] == [0.5, 0.5]
    assert fig["cold_check_cpu_s"] == [1.2, 1.0, 0.6, 0.5]  # every warm run
    assert fig["cold_check_first_cpu_s"] == [1.3, 0.65]
    assert fig["cohort_minutes"] == [13.0, 6.5]
    assert set(fig) == {goal.key for goal in goals.GOALS}


def test_the_table_shows_medians_ratios_goals_and_whether_each_is_met():
    table = goals.report(_results([0.3, 0.2, 0.4], [1.0, 1.0, 1.1]))
    assert "abc1234" in table and "def5678" in table
    one = _row(table, "1")
    assert one[1:] == [
        "evaluate, typical case",
        "1.50 ms",
        "5.00 ms",
        "0.30",
        "≤ 2.00 ms",
        "**yes**",
    ]
    two = _row(table, "2")
    assert two[2:] == ["3.00 ms", "10.00 ms", "0.30", "≤ 3.50 ms", "**yes**"]
    three = _row(table, "3")  # the parent's share is a ratio within each interpreter
    assert three[2:] == ["0.300", "0.300", "1.00", "≤ 0.050", "no"]
    assert _row(table, "5′")[-2:] == ["—", "(information)"]
    six = _row(table, "6")
    assert "**projected** from 1,000 and 50 cases" in six[1]
    assert six[2:] == ["3.9 min", "13.0 min", "0.30", "≤ 4.0 min", "**yes**"]
    spread = table.split("The spread of the rounds")[1]
    assert _row(spread, "1")[1:] == ["1.00–2.00", "5.00–5.50", "0.20–0.36"]


def test_without_another_interpreter_the_other_columns_are_empty():
    table = goals.report(_results([1.0], None))
    assert _row(table, "1")[2:] == ["5.00 ms", "—", "—", "≤ 2.00 ms", "no"]
    assert "--against" not in table.splitlines()[0]


def test_a_big_run_replaces_the_projection():
    results = _results([1.0], [1.0])
    results["big"] = {"cases": 100000, "this": 3.5, "this_wall_s": 210.0}
    six = _row(goals.report(results), "6")
    assert "measured: 100,000 cases" in six[1]
    assert six[2:] == ["3.5 min", "—", "—", "≤ 4.0 min", "**yes**"]


def test_the_projection_adds_the_cost_per_case_to_the_fixed_part():
    # 50 cases in 2 s, 1,000 in 21 s: 0.02 s per case beyond the first 50.
    assert goals.projection(2.0, 21.0, 1000) == pytest.approx(2.0 + 0.02 * 99_950)


def test_write_docs_replaces_only_what_lies_between_the_markers(tmp_path, monkeypatch):
    page = tmp_path / "performance.md"
    page.write_text(
        "# Performance\n\nbefore\n<!-- goals:start -->\nold table\n<!-- goals:end -->\nafter\n",
        encoding="utf-8",
    )
    saved = tmp_path / "goals.json"
    saved.write_text(json.dumps(_results([1.0], [2.0])), encoding="utf-8")
    monkeypatch.setattr(goals, "DOCS", page)
    assert goals.main(["--report", str(saved), "--write-docs"]) == 0
    text = page.read_text(encoding="utf-8")
    head, rest = text.split("<!-- goals:start -->\n")
    block, tail = rest.split("<!-- goals:end -->")
    assert head == "# Performance\n\nbefore\n"
    assert tail == "\nafter\n"
    assert "old table" not in block
    assert block == goals.report(_results([1.0], [2.0]))
    assert goals.main(["--report", str(saved), "--write-docs"]) == 0  # again: the same page
    assert page.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    "text",
    [
        "no markers",
        "<!-- goals:end --> <!-- goals:start -->",
        "<!-- goals:start --> <!-- goals:start --> <!-- goals:end -->",
    ],
)
def test_a_page_without_one_pair_of_markers_is_refused(text):
    with pytest.raises(ValueError, match="goals:start"):
        goals.replace_block(text, "block")


def test_the_performance_page_holds_one_goals_table():
    text = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    block = text.split("<!-- goals:start -->\n")[1].split("<!-- goals:end -->")[0]
    assert goals.replace_block(text, block) == text
    for goal in goals.GOALS:
        assert f"| {goal.label} | {goal.figure}" in block


def test_the_process_times_are_read_after_the_command_name():
    # proc(5): utime, stime, cutime, cstime are fields 14-17; a name may hold ") (".
    stat = "4242 (a) (b c) S 1 4242 4242 0 -1 4194304 10 0 0 0 250 50 1200 300 20 0 3 0"
    assert goals.proc_times(stat, 100) == (3.0, 15.0)


def test_a_command_that_fails_is_reported_with_its_stderr():
    ok = goals.run_command([sys.executable, "-c", "import sys; sys.exit(1)"])
    assert ok.code == 1  # findings that are violations: a normal end
    fail = "import sys; sys.stderr.write('no such file'); sys.exit(2)"
    with pytest.raises(RuntimeError, match=r"exit 2\):\nno such file"):
        goals.run_command([sys.executable, "-c", fail])
