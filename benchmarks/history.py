"""Cost per event of a long history: one pupil with 35 to 10,000 records.

    .venv/bin/python -m benchmarks.history                       # 35, 300, 1,300, 3,000, 10,000
    .venv/bin/python -m benchmarks.history --events 35,2000 --against /work/main/.venv/bin/python
    .venv/bin/python -m benchmarks.history --profile 3000         # cProfile of one evaluation

`history_case(n)` is one pupil's 2025-26 year with a placement at an unregistered provider
from the autumn to the evaluation date (its commissioning records, from the cohort generator
`benchmarks/cohort.py`), then absences, visits, weekly attendance updates and register marks
until the case holds `n` records (events and register marks). Each size is timed over repeated
`Evaluator.evaluate` calls; the report gives milliseconds per case and microseconds per record,
and each size's µs per record against the smallest. With `--against PYTHON`, the same figures
are taken in the same run by another interpreter (another checkout's venv: the code before a
change), and the ratio of the two is shown.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.cohort import DEFAULT_AS_OF, Json, _CaseBuilder, school_days

SIZES = (35, 300, 1300, 3000, 10000)
"""Records per case: a typical case, then ever longer histories."""
MIX = ("absence", "absence", "visit", "attendance_update", "register_mark")
"""What each added record is, in turn (a register mark only while a session is unmarked)."""
BUDGET_SECONDS = 2.0
"""Each size is evaluated repeatedly for about this long (at least once), the best run kept."""


def history_case(n: int, seed: int = 0, as_of: date = DEFAULT_AS_OF) -> Json:
    """One pupil with a placement and `n` records in all (events and register marks): the
    placement's commissioning from the cohort generator, then absences, visits, attendance
    updates and register marks on the placement's school days in turn."""
    days = school_days()
    b = _CaseBuilder(random.Random(f"apcompliance-history:{seed}"), days, as_of, f"HIST-{n}")
    b.odds = (0.8, 0.15, 0.05)
    b.make_pupil(1)
    provider_id = b.make_provider("unregistered")
    start = days.lo + 10
    placement = b.placement("other", provider_id, start, None, full_time=True, arranged=start - 8)
    b.date_provider_checks(provider_id, start)
    b.commissioning(placement["id"], start)
    marks: list[Json] = []
    sessions = [(i, s) for i in range(start, b.known + 1) for s in ("AM", "PM")]
    turn = 0
    while len(b.events) + len(marks) < n:
        kind = MIX[turn % len(MIX)]
        i = start + turn % (b.known - start + 1)
        turn += 1
        if kind == "register_mark":
            if len(marks) < len(sessions):
                day, session = sessions[len(marks)]
                marks.append({"date": b.day(day), "session": session, "code": "B"})
                continue
            kind = "absence"
        if kind == "absence":
            b.event(
                "absence",
                "ABS",
                placement_id=placement["id"],
                absent_on=b.day(i),
                provider_reported_on=b.day(i),
                parents_contacted_on=b.day(i + b.rng.randint(0, 2)),
            )
        elif kind == "visit":
            b.event("visit", "VIS", placement_id=placement["id"], visited_on=b.day(i))
        else:
            b.event(
                "attendance_update",
                "ATT",
                placement_id=placement["id"],
                updated_on=b.day(i),
                attendance_percent=round(b.rng.uniform(80.0, 99.0), 1),
                shared_with=["ap_lead", "headteacher"],
            )
    case = b.build()
    if marks:
        case["register_marks"] = marks
    return case


def records(case: Json) -> int:
    """The records of a case: its events and register marks."""
    return len(case["events"]) + len(case.get("register_marks", ()))


def measure(sizes: Sequence[int], engine: str = "auto") -> list[dict[str, Any]]:
    """For each size: records, findings, the best seconds per evaluation, µs per record."""
    from apcompliance import Case, Evaluator, SchoolCalendar

    evaluator = Evaluator(engine=engine)  # type: ignore[arg-type]
    calendar = SchoolCalendar.example()
    rows = []
    for n in sizes:
        raw = history_case(n)
        case = Case.model_validate_json(json.dumps(raw))
        best = float("inf")
        spent = 0.0
        runs = 0
        findings = 0
        while runs < 1 or spent < BUDGET_SECONDS:
            began = time.perf_counter()
            result = evaluator.evaluate(case, as_of=DEFAULT_AS_OF, calendar=calendar)
            took = time.perf_counter() - began
            best, spent, runs = min(best, took), spent + took, runs + 1
            findings = len(result.findings)
        count = records(raw)
        rows.append(
            {
                "records": count,
                "findings": findings,
                "seconds": best,
                "us_per_record": best / count * 1e6,
                "runs": runs,
            }
        )
    return rows


def _other(python: str, sizes: Sequence[int], engine: str, cwd: Path) -> list[dict[str, Any]]:
    """The same measurement by another interpreter (its own installed apcompliance), run from
    this folder's parent so it uses this generator."""
    code = (
        "import json, sys; from benchmarks.history import measure; "
        f"print(json.dumps(measure({list(sizes)!r}, {engine!r})))"
    )
    env_path = str(cwd)
    out = subprocess.run(
        [python, "-c", f"import sys; sys.path.insert(0, {env_path!r}); {code}"],
        check=True,
        capture_output=True,
        text=True,
        cwd="/",
    )
    return list(json.loads(out.stdout.splitlines()[-1]))


def report(rows: list[dict[str, Any]], before: list[dict[str, Any]] | None) -> str:
    head = (
        "| records | findings | ms per case | µs per record | against the smallest "
        "| µs per finding |"
    )
    rule = "| ---: | ---: | ---: | ---: | ---: | ---: |"
    if before is not None:
        head += " before: ms per case | before: µs per record | before / after |"
        rule += " ---: | ---: | ---: |"
    lines = [head, rule]
    base = rows[0]["us_per_record"]
    for i, row in enumerate(rows):
        line = (
            f"| {row['records']:,} | {row['findings']:,} | {row['seconds'] * 1e3:,.1f} "
            f"| {row['us_per_record']:,.0f} | {row['us_per_record'] / base:.2f}× "
            f"| {row['seconds'] / row['findings'] * 1e6:,.0f} |"
        )
        if before is not None and i >= len(before):
            line += " — | — | — |"
        elif before is not None:
            old = before[i]
            line += (
                f" {old['seconds'] * 1e3:,.1f} | {old['us_per_record']:,.0f} "
                f"| {old['seconds'] / row['seconds']:.1f}× |"
            )
        lines.append(line)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.history", description=__doc__)
    parser.add_argument(
        "--events",
        default=",".join(map(str, SIZES)),
        help="records per case, comma-separated (default %(default)s)",
    )
    parser.add_argument("--engine", default="auto")
    parser.add_argument("--against", metavar="PYTHON", help="another interpreter to compare")
    parser.add_argument(
        "--against-up-to",
        type=int,
        metavar="N",
        help="measure only the sizes up to N records with --against (quadratic code is slow)",
    )
    parser.add_argument("--profile", type=int, metavar="N", help="profile one case of N records")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.profile:
        from apcompliance import Case, Evaluator, SchoolCalendar

        evaluator = Evaluator(engine=args.engine)
        case = Case.model_validate_json(json.dumps(history_case(args.profile)))
        calendar = SchoolCalendar.example()
        with cProfile.Profile() as profile:
            evaluator.evaluate(case, as_of=DEFAULT_AS_OF, calendar=calendar)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
        return 0
    sizes = [int(s) for s in args.events.split(",")]
    before = None
    if args.against:
        theirs = [n for n in sizes if args.against_up_to is None or n <= args.against_up_to]
        before = _other(args.against, theirs, args.engine, Path(__file__).resolve().parent.parent)
    rows = measure(sizes, args.engine)
    print(report(rows, before))
    if args.json:
        args.json.write_text(json.dumps({"after": rows, "before": before}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
