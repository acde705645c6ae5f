"""The parent process of a pool: its CPU per case against one case's whole work.

    .venv/bin/python -m benchmarks.pool                           # 1,000 cases, --processes 2
    .venv/bin/python -m benchmarks.pool --cases 400 --repeats 3 --against ../main/.venv/bin/python
    .venv/bin/python -m benchmarks.pool --outputs "--ical all.ics --ical-dir holders"

Each run is `apcompliance check-many COHORT --as-of 2026-06-15 --calendar CAL --quiet` with the
outputs of `--outputs` (default: JSON Lines on stdout, one iCalendar file and CSV), called as
`cli.main` in a fresh child process after one warm-up call on a one-case cohort (so that the
parent's own rule book, calendar and imports are not counted). The child reads its CPU time
with `resource.getrusage(RUSAGE_SELF)` (the parent only: its workers are `RUSAGE_CHILDREN`)
around the run:

- serial: `--processes 1`, CPU ms per case: one case's whole work (read, assess, render, write).
- pool: `--processes N`, the parent's CPU ms per case, and the workers'.
- parent share: the pool's parent CPU per case ÷ the serial CPU per case. A parent that spends
  a share s of a case's work on each case caps N workers at about 1/s times one process's
  speed; issue 20's goal is s ≤ 0.05.

With `--against PYTHON` (another checkout's venv: the code before a change) the same runs are
made with that interpreter, interleaved with this one's, and the ratio is shown. Each figure is
the median of `--repeats` runs.
"""

from __future__ import annotations

import argparse
import json
import shlex
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.cohort import DEFAULT_AS_OF, generate

CALENDAR = Path(__file__).parent.parent / "src/apcompliance/data/calendars/example-la-2025-26.yaml"
OUTPUTS = "--json --ical all.ics --csv findings.csv"

CHILD = r"""
import contextlib, io, json, os, resource, sys, time
from apcompliance.cli import main

args = json.loads(sys.argv[1])
def cpu(who):
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime
with contextlib.redirect_stdout(io.StringIO()):
    main(["check-many", args["warm"], *args["common"], "--processes", "1"])
sink = open(os.devnull, "w")
self0, children0 = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
wall0 = time.perf_counter()
with contextlib.redirect_stdout(sink):
    processes = ["--processes", str(args["processes"])]
    status = main(["check-many", args["cohort"], *args["common"], *processes])
wall = time.perf_counter() - wall0
print(json.dumps({
    "status": status,
    "parent": cpu(resource.RUSAGE_SELF) - self0,
    "workers": cpu(resource.RUSAGE_CHILDREN) - children0,
    "wall": wall,
}))
"""


def run_once(python: str, cohort: Path, warm: Path, processes: int, outputs: str) -> dict[str, Any]:
    """One check-many run in a fresh child process: its parent's and workers' CPU seconds."""
    common = [
        "--as-of",
        DEFAULT_AS_OF.isoformat(),
        "--calendar",
        str(CALENDAR),
        "--quiet",
        *shlex.split(outputs),
    ]
    spec = {
        "cohort": str(cohort),
        "warm": str(warm),
        "common": common,
        "processes": processes,
    }
    with tempfile.TemporaryDirectory() as folder:  # the outputs, and no checkout on the path
        done = subprocess.run(
            [python, "-c", CHILD, json.dumps(spec)],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise SystemExit(f"{python}: the run failed:\n{done.stderr}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if figures["status"] not in (0, 1):
        raise SystemExit(f"{python}: check-many exited {figures['status']}: {done.stderr}")
    return figures


def measure(
    pythons: Sequence[str], cases: int, processes: int, repeats: int, outputs: str
) -> dict[str, dict[str, float]]:
    """For each interpreter: the medians of serial and pool figures, per case."""
    with tempfile.TemporaryDirectory() as folder:
        cohort, warm = Path(folder) / "cohort.jsonl", Path(folder) / "warm.jsonl"
        lines = [json.dumps(c) for c in generate(cases, seed=0)]
        cohort.write_text("\n".join(lines) + "\n", encoding="utf-8")
        warm.write_text(lines[0] + "\n", encoding="utf-8")
        runs: dict[str, dict[str, list[float]]] = {p: {} for p in pythons}
        for _ in range(repeats):
            for python in pythons:  # interleaved: the machine's load is shared alike
                serial = run_once(python, cohort, warm, 1, outputs)
                pool = run_once(python, cohort, warm, processes, outputs)
                for name, value in (
                    ("serial_ms", serial["parent"] / cases * 1000),
                    ("serial_wall_s", serial["wall"]),
                    ("parent_ms", pool["parent"] / cases * 1000),
                    ("workers_ms", pool["workers"] / cases * 1000),
                    ("pool_wall_s", pool["wall"]),
                ):
                    runs[python].setdefault(name, []).append(value)
    result = {}
    for python, figures in runs.items():
        medians = {name: statistics.median(values) for name, values in figures.items()}
        medians["parent_share"] = medians["parent_ms"] / medians["serial_ms"]
        result[python] = medians
    return result


def report(result: dict[str, dict[str, float]], cases: int, processes: int, outputs: str) -> str:
    lines = [
        f"check-many, {cases} cases, --processes {processes}, outputs: {outputs or '(summary)'}",
        "",
        "| python | serial CPU ms/case | pool parent CPU ms/case | parent share | "
        "workers CPU ms/case | serial wall s | pool wall s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for python, m in result.items():
        lines.append(
            f"| {python} | {m['serial_ms']:.2f} | {m['parent_ms']:.3f} | "
            f"{m['parent_share']:.3f} | {m['workers_ms']:.2f} | {m['serial_wall_s']:.1f} | "
            f"{m['pool_wall_s']:.1f} |"
        )
    if len(result) == 2:
        (_, ma), (b, mb) = result.items()
        lines += [
            "",
            f"parent CPU per case, {b} ÷ this: {mb['parent_ms'] / ma['parent_ms']:.1f}×; "
            f"parent share {ma['parent_share']:.3f} against {mb['parent_share']:.3f}",
        ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1000, help="cohort size (default 1000)")
    parser.add_argument("--processes", type=int, default=2, help="the pool's workers (2)")
    parser.add_argument("--repeats", type=int, default=1, help="runs of each, median kept")
    parser.add_argument(
        "--outputs", default=OUTPUTS, help=f"check-many's output options (default {OUTPUTS!r})"
    )
    parser.add_argument("--against", metavar="PYTHON", help="also measure this interpreter")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    pythons = [sys.executable] + ([args.against] if args.against else [])
    result = measure(pythons, args.cases, args.processes, args.repeats, args.outputs)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(report(result, args.cases, args.processes, args.outputs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
