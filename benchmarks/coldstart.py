"""Cold start: the CPU time (user + system) of one whole `apcompliance` command, a new process
each run, against another installation's in the same run (issue 20: goal 0.4 s for `check`).

    .venv/bin/python -m benchmarks.coldstart                              # this one only
    .venv/bin/python -m benchmarks.coldstart --against /work/main/.venv/bin/python --runs 7

Three figures: `check` of the bundled suspension case with an empty cache (the first run
after an install or a change of rules: the rule book is checked and the bank holidays are
computed, then kept), `check` with the cache filled (every later run), and `--version`. The
two interpreters run in turn, A B A B ..., each figure the median of the runs and the ratio
the median of the pairs' ratios, so that a machine whose speed drifts still compares fairly.
Both run with bytecode caching on (in a temporary folder, `PYTHONPYCACHEPREFIX`), as an
installed package does, after one run each not counted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

AS_OF = "2026-06-15"


def _check_arguments() -> list[str]:
    data = resources.files("apcompliance.data")
    case = data / "examples" / "suspension-case.json"
    calendar = data / "calendars" / "example-la-2025-26.yaml"
    return ["check", str(case), "--as-of", AS_OF, "--calendar", str(calendar)]


def cpu_seconds(command: Sequence[str], environment: dict[str, str]) -> float:
    """The user + system CPU seconds of `command`, run to its end (its output discarded)."""
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):  # 1: the case has violations
        raise SystemExit(f"{' '.join(command)}: exit status {process.returncode}")
    return usage.ru_utime + usage.ru_stime


def measure(pythons: Sequence[str], runs: int, folder: Path) -> dict[str, list[list[float]]]:
    """Each figure's CPU seconds: a list per interpreter, `runs` long."""
    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    base["PYTHONPYCACHEPREFIX"] = str(folder / "bytecode")
    warm = {**base, "APCOMPLIANCE_CACHE_DIR": str(folder / "warm")}
    figures: dict[str, tuple[list[str], bool]] = {
        "check, empty cache": (_check_arguments(), True),
        "check, cache filled": (_check_arguments(), False),
        "--version": (["--version"], False),
    }
    for python in pythons:  # not counted: writes the bytecode, fills the warm cache
        cpu_seconds([python, "-m", "apcompliance", *_check_arguments()], warm)
    results: dict[str, list[list[float]]] = {name: [[] for _ in pythons] for name in figures}
    for run in range(runs):
        for name, (arguments, empty) in figures.items():
            for index, python in enumerate(pythons):
                environment = warm
                if empty:
                    fresh = folder / f"empty-{run}-{index}"
                    environment = {**base, "APCOMPLIANCE_CACHE_DIR": str(fresh)}
                command = [python, "-m", "apcompliance", *arguments]
                results[name][index].append(cpu_seconds(command, environment))
    return results


def report(results: dict[str, list[list[float]]], against: str | None) -> str:
    """The figures as a Markdown table."""
    if against is None:
        lines = ["| figure | CPU s (median) | min | max |", "|---|---|---|---|"]
        for name, (ours,) in results.items():
            lines.append(
                f"| {name} | {statistics.median(ours):.3f} | {min(ours):.3f} | {max(ours):.3f} |"
            )
        return "\n".join(lines)
    lines = [
        f"against: {against}",
        "",
        "| figure | this, CPU s | against, CPU s | ratio (median of pairs) |",
        "|---|---|---|---|",
    ]
    for name, (ours, theirs) in results.items():
        ratio = statistics.median(a / b for a, b in zip(ours, theirs, strict=True))
        lines.append(
            f"| {name} | {statistics.median(ours):.3f} | {statistics.median(theirs):.3f} "
            f"| {ratio:.2f} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", help="another installation's python, run in turn")
    parser.add_argument("--runs", type=int, default=5, help="counted runs of each (default 5)")
    args = parser.parse_args(argv)
    pythons = [sys.executable, *([args.against] if args.against else [])]
    with tempfile.TemporaryDirectory(prefix="apcompliance-coldstart-") as folder:
        results = measure(pythons, args.runs, Path(folder))
    print(report(results, args.against))
    return 0


if __name__ == "__main__":
    sys.exit(main())
