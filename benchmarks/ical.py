"""Cost per case of the iCalendar output: each case's pending deadlines as VEVENT bytes, written
directly (`ical.deadline_events_ical`, what `check-many --ical`, `--ical-dir` and the worker
processes use) against building them with the `icalendar` package (`ical.deadline_event(...)
.to_ical()`, the reference the direct writer copies byte for byte).

    .venv/bin/python -m benchmarks.ical                    # 1,000 cases, seed 0, as of 2026-06-15
    .venv/bin/python -m benchmarks.ical --cases 300 --repeats 7

The cohort (`benchmarks/cohort.py`) is assessed once, outside the timing; then both ways are
timed over every assessment in turn, `--repeats` times each, interleaved, the best run kept.
Both ways must give the same bytes, or the run stops. The report gives the events, the
milliseconds per case of each way and their ratio.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from datetime import date

from apcompliance import Assessment, Case, Evaluator, SchoolCalendar
from apcompliance.outputs.ical import PENDING_STATUSES, deadline_event, deadline_events_ical
from benchmarks.cohort import DEFAULT_AS_OF, generate


def icalendar_events(assessment: Assessment) -> bytes:
    """The pending deadlines built as `icalendar` objects and serialised by it (the way before
    issue 20)."""
    return b"".join(
        deadline_event(assessment.case_id, f, assessment.as_of).to_ical()
        for f in assessment.findings
        if f.status in PENDING_STATUSES and f.due is not None
    )


def assess(n: int, seed: int, as_of: date) -> list[Assessment]:
    """The first `n` cases of the benchmark cohort, assessed on the example calendar."""
    calendar = SchoolCalendar.example()
    evaluator = Evaluator()
    return [
        evaluator.evaluate(Case.model_validate_json(json.dumps(c)), as_of=as_of, calendar=calendar)
        for c in generate(n, seed, as_of=as_of)
    ]


def best_seconds(
    ways: dict[str, Callable[[Assessment], bytes]], assessments: Sequence[Assessment], repeats: int
) -> dict[str, float]:
    """Each way's best time over all the assessments, the ways interleaved run by run."""
    best = dict.fromkeys(ways, float("inf"))
    clock = time.perf_counter
    for _ in range(repeats):
        for name, way in ways.items():
            t = clock()
            for a in assessments:
                way(a)
            best[name] = min(best[name], clock() - t)
    return best


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000, help="cohort size (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="the cohort's seed (default 0)")
    parser.add_argument("--as-of", type=date.fromisoformat, default=DEFAULT_AS_OF)
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of each way")
    args = parser.parse_args(argv)

    assessments = assess(args.cases, args.seed, args.as_of)
    ways = {"icalendar": icalendar_events, "direct": deadline_events_ical}
    for a in assessments:
        if icalendar_events(a) != deadline_events_ical(a):
            raise SystemExit(f"{a.case_id}: the two ways give different bytes")
    events = sum(deadline_events_ical(a).count(b"BEGIN:VEVENT\r\n") for a in assessments)
    best = best_seconds(ways, assessments, args.repeats)
    old, new = (best[name] * 1000 / len(assessments) for name in ways)
    print(f"{len(assessments)} cases as of {args.as_of}, {events} events, best of {args.repeats}")
    print("| way | ms per case | µs per event |")
    print("| --- | ---: | ---: |")
    for name, seconds in best.items():
        print(
            f"| {name} | {seconds * 1000 / len(assessments):.3f} | {seconds * 1e6 / events:.1f} |"
        )
    print(f"direct is {old / new:.1f}x faster (same bytes)")


if __name__ == "__main__":
    main()
