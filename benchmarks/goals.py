"""Every goal of issue 20 ("Speed and scale") in one run, against another checkout in the same run.

    .venv/bin/python -m benchmarks.goals                                    # this checkout only
    .venv/bin/python -m benchmarks.goals --against /work/before-20/.venv/bin/python
    .venv/bin/python -m benchmarks.goals --against PYTHON --write-docs      # docs/performance.md
    .venv/bin/python -m benchmarks.goals --big 100000                       # the real 100,000

Each measurement runs in a fresh process of this checkout's interpreter and, with `--against`,
of another checkout's interpreter (its own installed apcompliance; the cohort and this module
come from this checkout), interleaved: this, against, against, this, ... for `--repeats`
rounds. The figure shown is the median of the rounds, the ratio is this / against (below 1:
this is faster or smaller), and the spread of the rounds is shown beside it. The goals and how
each figure is taken are in `GOALS` and in benchmarks/README.md ("The goals of issue 20").
Nothing printed holds pupil data: the cohort is synthetic and only timings are reported.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.cohort import DEFAULT_AS_OF, generate, write_jsonl
from benchmarks.run import DEFAULT_CALENDAR, RESULTS, git_state, log, machine_info

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs" / "performance.md"
MARKER = "goals"
"""docs/performance.md holds the table between `<!-- goals:start -->` and `<!-- goals:end -->`."""
HISTORY_SIZES = (35, 1300)
"""Records of the short and the long pupil of `benchmarks.history.history_case`."""
TARGET_CASES = 100_000
"""The cohort size of goal 6."""
SMALL_COHORT = 50
"""Cases of the short `check-many` runs whose cost is subtracted as the fixed part."""

Json = dict[str, Any]


@dataclass(frozen=True)
class Goal:
    """One row of the issue's table: met when the figure is at most `limit`."""

    label: str
    key: str
    figure: str
    unit: str
    limit: float | None
    digits: int = 2


GOALS = (
    Goal("1", "evaluate_ms", "evaluate, typical case", "ms", 2.0),
    Goal("2", "all_phases_ms", "all phases incl. JSON and iCalendar", "ms", 3.5),
    Goal(
        "3",
        "pool_parent_share",
        "parent CPU per case in a pool, against one case's whole work",
        "",
        0.05,
        3,
    ),
    Goal("4", "history_ratio", "µs per event, 1,300-event pupil against a 35-event one", "×", 1.2),
    Goal("5", "cold_check_cpu_s", "cold `check` of one case, CPU (rule-book cache warm)", "s", 0.4),
    Goal("5′", "cold_check_first_cpu_s", "the same, first run (cache empty)", "s", None),
    Goal("6", "cohort_minutes", "100,000 cases, JSON Lines → summary + iCalendar", "min", 4.0, 1),
)
"""The issue's goals, in its order. A goal without a limit is shown for information."""


# --- running one command, with its own CPU apart from its children's ---------------------------


@dataclass(frozen=True)
class Run:
    """A finished process: wall seconds, and CPU seconds (user plus system) of the process
    itself, of its waited-for descendants, and of both (`os.wait4`)."""

    code: int
    wall_s: float
    own_cpu_s: float
    children_cpu_s: float
    total_cpu_s: float
    maxrss_mib: float


def proc_times(stat: str, ticks_per_s: int) -> tuple[float, float]:
    """From a /proc/PID/stat line: the process's own CPU seconds (utime + stime, all its
    threads) and its waited-for children's (cutime + cstime). The command name, field 2, may
    hold spaces and parentheses, so fields are counted after its last ')'."""
    fields = stat.rsplit(")", 1)[1].split()
    utime, stime, cutime, cstime = (int(v) for v in fields[11:15])  # fields 14-17 of proc(5)
    return (utime + stime) / ticks_per_s, (cutime + cstime) / ticks_per_s


def run_command(
    args: Sequence[str], *, env: dict[str, str] | None = None, stdout: Path | None = None
) -> Run:
    """Run a command to its end. Once it has exited, and before it is reaped, its
    /proc/PID/stat is final: `os.waitid(..., WEXITED | WNOWAIT)` waits for that moment, the
    stat line gives its own CPU and its reaped children's, then `os.wait4` reaps it and gives
    the whole (its own plus every descendant it waited for). Exit codes 0 and 1 (findings are
    violations) are normal; any other raises with the end of its stderr."""
    with tempfile.TemporaryFile() as err:
        out = stdout.open("wb") if stdout is not None else subprocess.DEVNULL
        began = time.perf_counter()
        try:
            proc = subprocess.Popen(list(args), cwd=REPO, env=env, stdout=out, stderr=err)
            os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)
            wall = time.perf_counter() - began
            with open(f"/proc/{proc.pid}/stat", encoding="ascii", errors="replace") as stat:
                own, children = proc_times(stat.read(), os.sysconf("SC_CLK_TCK"))
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            if stdout is not None and not isinstance(out, int):
                out.close()
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-3000:]
            raise RuntimeError(f"{' '.join(args[:4])} ... failed (exit {code}):\n{tail}")
    return Run(
        code=code,
        wall_s=wall,
        own_cpu_s=own,
        children_cpu_s=children,
        total_cpu_s=usage.ru_utime + usage.ru_stime,
        maxrss_mib=round(usage.ru_maxrss / 1024, 1),
    )


def cli(python: str) -> list[str]:
    """The `apcompliance` command of an interpreter's environment (its console script, as a
    user runs it), or `python -m apcompliance`."""
    script = Path(python).with_name("apcompliance")
    return [str(script)] if script.exists() else [python, "-m", "apcompliance"]


# --- child tasks: run by each interpreter in a fresh process -------------------------------------


def _phases(spec: Json) -> Json:
    """Goals 1 and 2, and the serial CPU per case that goal 3 divides by.

    For each of the first `n` cases of the cohort, after one warm-up case: validate from the
    JSON line (`Case.model_validate_json`), `Evaluator.evaluate` (the default engine), the JSON
    `check-many --json` prints (`assessment.to_json(indent=None)`), and the case's iCalendar
    events as `check-many --ical` writes them (`ical.deadline_events_ical`). The median per
    case of evaluate alone and of all four, in CPU time (`time.process_time`: on a shared
    machine, wall time also counts waiting for a core) and in wall time; the mean CPU of all
    four per case."""
    from apcompliance import Case, Evaluator, SchoolCalendar
    from apcompliance.outputs.ical import deadline_events_ical

    with open(spec["cohort"], encoding="utf-8") as cohort:
        lines = [line for _, line in zip(range(spec["n"]), cohort, strict=False)]
    calendar = SchoolCalendar.from_yaml(spec["calendar"])
    as_of = date.fromisoformat(spec["as_of"])
    evaluator = Evaluator()
    warm = evaluator.evaluate(Case.model_validate_json(lines[0]), as_of=as_of, calendar=calendar)
    warm.to_json(indent=None)
    deadline_events_ical(warm)
    cpu, wall = time.process_time, time.perf_counter
    spans: dict[str, list[float]] = {"evaluate": [], "all": [], "evaluate_wall": [], "all_wall": []}
    findings = 0
    for line in lines:
        c0, w0 = cpu(), wall()
        case = Case.model_validate_json(line)
        c1, w1 = cpu(), wall()
        assessment = evaluator.evaluate(case, as_of=as_of, calendar=calendar)
        c2, w2 = cpu(), wall()
        assessment.to_json(indent=None)
        deadline_events_ical(assessment)
        c3, w3 = cpu(), wall()
        spans["evaluate"].append((c2 - c1) * 1e3)
        spans["all"].append((c3 - c0) * 1e3)
        spans["evaluate_wall"].append((w2 - w1) * 1e3)
        spans["all_wall"].append((w3 - w0) * 1e3)
        findings += len(assessment.findings)
    cases = len(lines)
    return {
        "engine": evaluator.engine_name,
        "cases": cases,
        "evaluate_ms": statistics.median(spans["evaluate"]),
        "all_phases_ms": statistics.median(spans["all"]),
        "evaluate_wall_ms": statistics.median(spans["evaluate_wall"]),
        "all_phases_wall_ms": statistics.median(spans["all_wall"]),
        "cpu_ms_per_case": statistics.fmean(spans["all"]),
        "findings_per_case": findings / cases,
    }


def _history(spec: Json) -> Json:
    """Goal 4: `benchmarks.history.measure` of the short and the long pupil (best of repeated
    evaluations each)."""
    from benchmarks.history import measure

    return {"rows": measure(spec["sizes"])}


def _where(spec: Json) -> Json:
    """The checkout this interpreter's apcompliance comes from."""
    import apcompliance

    return {"package": str(Path(apcompliance.__file__).resolve().parent)}


CHILD_TASKS: dict[str, Callable[[Json], Json]] = {
    "phases": _phases,
    "history": _history,
    "where": _where,
}


def _child(task: str, spec_text: str) -> int:
    spec = json.loads(spec_text)
    Path(spec["result"]).write_text(json.dumps(CHILD_TASKS[task](spec)), encoding="utf-8")
    return 0


def spawn(python: str, task: str, spec: Json, work: Path) -> Json:
    """Run a child task in a fresh process of `python` (from this checkout's root, so it runs
    this module and this generator with its own installed apcompliance)."""
    result = work / f"{task}-{time.monotonic_ns()}.json"
    spec = {**spec, "result": str(result)}
    args = [python, "-m", "benchmarks.goals", "--child", task, "--spec", json.dumps(spec)]
    run_command(args)
    answer: Json = json.loads(result.read_text(encoding="utf-8"))
    result.unlink()
    return answer


# --- the measurements of one round for one interpreter -------------------------------------------


@dataclass(frozen=True)
class Setup:
    """What every measurement of a run shares."""

    work: Path
    cohort: Path
    small: Path
    one_case: Path
    cases: int
    sample: int
    calendar: str
    as_of: str
    processes: int
    cold_runs: int


def _check_many(python: str, setup: Setup, cohort: Path, *extra: str) -> Run:
    args = [
        *cli(python),
        "check-many",
        str(cohort),
        "--as-of",
        setup.as_of,
        "--calendar",
        setup.calendar,
        *extra,
        "--quiet",
    ]
    return run_command(args, stdout=setup.work / "check-many.out")


def _pool(python: str, setup: Setup) -> Json:
    """Goal 3's numerator: the CPU the parent `apcompliance check-many --processes 2 --json
    --ical` process spends itself, per case: its own CPU on the cohort less its own CPU on the
    first `SMALL_COHORT` cases (start-up, building the rule book, starting the pool: the fixed
    part), over the difference in cases."""
    ics = str(setup.work / "pool.ics")
    options = ("--processes", "2", "--json", "--ical", ics)
    small = _check_many(python, setup, setup.small, *options)
    full = _check_many(python, setup, setup.cohort, *options)
    per_case = (full.own_cpu_s - small.own_cpu_s) / (setup.cases - SMALL_COHORT)
    return {
        "parent_cpu_ms_per_case": per_case * 1e3,
        "parent_cpu_s": full.own_cpu_s,
        "parent_fixed_cpu_s": small.own_cpu_s,
        "workers_cpu_s": full.children_cpu_s,
        "total_cpu_s": full.total_cpu_s,
        "wall_s": full.wall_s,
    }


def _cold(python: str, setup: Setup, cache: Path) -> list[Run]:
    """Goal 5: `apcompliance check CASE --as-of D --calendar C` from a fresh interpreter; CPU
    of the whole process (`os.wait4`). The first run with `cache` empty, then `cold_runs`
    more with it as the first left it (`APCOMPLIANCE_CACHE_DIR`, and `XDG_CACHE_HOME`)."""
    env = {**os.environ, "APCOMPLIANCE_CACHE_DIR": str(cache), "XDG_CACHE_HOME": str(cache)}
    args = [
        *cli(python),
        "check",
        str(setup.one_case),
        "--as-of",
        setup.as_of,
        "--calendar",
        setup.calendar,
    ]
    return [run_command(args, env=env) for _ in range(1 + setup.cold_runs)]


def _cohort_run(python: str, setup: Setup) -> Json:
    """Goal 6: `apcompliance check-many FILE --ical OUT --processes CPUS --quiet`, wall time;
    and the same on the first `SMALL_COHORT` cases, for the projection to 100,000."""
    options = ("--ical", str(setup.work / "cohort.ics"), "--processes", str(setup.processes))
    small = _check_many(python, setup, setup.small, *options)
    full = _check_many(python, setup, setup.cohort, *options)
    return {
        "wall_s": full.wall_s,
        "small_wall_s": small.wall_s,
        "projected_minutes": projection(small.wall_s, full.wall_s, setup.cases) / 60,
        "maxrss_mib": full.maxrss_mib,
    }


def projection(small_s: float, full_s: float, cases: int, target: int = TARGET_CASES) -> float:
    """Seconds for `target` cases: the fixed part (the `SMALL_COHORT`-case run) plus the cost
    per case between the two runs times the rest."""
    per_case = (full_s - small_s) / (cases - SMALL_COHORT)
    return small_s + per_case * (target - SMALL_COHORT)


def one_round(python: str, setup: Setup, step: str) -> Json:
    """One measurement `step` of one round for one interpreter."""
    spec = {"cohort": str(setup.cohort), "calendar": setup.calendar, "as_of": setup.as_of}
    if step == "phases":
        return spawn(python, "phases", {**spec, "n": setup.sample}, setup.work)
    if step == "history":
        return spawn(python, "history", {"sizes": list(HISTORY_SIZES)}, setup.work)
    if step == "pool":
        return _pool(python, setup)
    if step == "cold":
        with tempfile.TemporaryDirectory(prefix="apcompliance-cache-") as cache:
            runs = _cold(python, setup, Path(cache))
        return {
            "first_cpu_s": runs[0].total_cpu_s,
            "first_wall_s": runs[0].wall_s,
            "warm_cpu_s": [r.total_cpu_s for r in runs[1:]],
            "warm_wall_s": [r.wall_s for r in runs[1:]],
        }
    if step == "cohort":
        return _cohort_run(python, setup)
    raise ValueError(step)


STEPS = ("phases", "history", "pool", "cold", "cohort")


def figures(rounds: list[Json]) -> dict[str, list[float]]:
    """Each goal's figure in every round (the cold check: every warm run) from the raw
    results of one interpreter."""
    out: dict[str, list[float]] = {goal.key: [] for goal in GOALS}
    for r in rounds:
        phases, history = r["phases"], r["history"]["rows"]
        out["evaluate_ms"].append(phases["evaluate_ms"])
        out["all_phases_ms"].append(phases["all_phases_ms"])
        out["pool_parent_share"].append(
            r["pool"]["parent_cpu_ms_per_case"] / phases["cpu_ms_per_case"]
        )
        out["history_ratio"].append(history[-1]["us_per_record"] / history[0]["us_per_record"])
        out["cold_check_cpu_s"].extend(r["cold"]["warm_cpu_s"])
        out["cold_check_first_cpu_s"].append(r["cold"]["first_cpu_s"])
        out["cohort_minutes"].append(r["cohort"]["projected_minutes"])
    return out


# --- the report -------------------------------------------------------------------------------


def _fmt(value: float | None, goal: Goal) -> str:
    if value is None:
        return "—"
    unit = goal.unit if goal.unit in ("", "×") else f" {goal.unit}"
    return f"{value:,.{goal.digits}f}{unit}"


def _spread(values: Sequence[float], digits: int) -> str:
    if not values:
        return "—"
    return f"{min(values):,.{digits}f}–{max(values):,.{digits}f}"


def goals_table(
    this: dict[str, list[float]],
    against: dict[str, list[float]] | None,
    *,
    cases: int,
    big: Json | None = None,
) -> str:
    """The goals as one Markdown table: the median of the rounds for this checkout and the
    other, this / against, the goal and whether this checkout meets it; then the rounds'
    spread. `big` (the `--big` run: its cases and minutes for "this", maybe "against")
    replaces goal 6's projection by the measured figure."""
    head = [
        "| # | figure | this | against | this / against | goal | met? |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    spread = [
        "| # | this: rounds | against: rounds | this / against, round by round |",
        "| --- | ---: | ---: | ---: |",
    ]
    for goal in GOALS:
        mine = this[goal.key]
        theirs = against[goal.key] if against else []
        a = statistics.median(mine) if mine else None
        b = statistics.median(theirs) if theirs else None
        figure = goal.figure
        if goal.key == "cohort_minutes" and big:
            a, b = big["this"], big.get("against")
            figure += f" (measured: {big['cases']:,} cases)"
        elif goal.key == "cohort_minutes":
            figure += f" (**projected** from {cases:,} and {SMALL_COHORT} cases)"
        ratio = f"{a / b:.2f}" if a is not None and b else "—"
        if goal.limit is None:
            target, met = "—", "(information)"
        else:
            target = f"≤ {_fmt(goal.limit, goal)}"
            met = "—" if a is None else ("**yes**" if a <= goal.limit else "no")
        head.append(
            f"| {goal.label} | {figure} | {_fmt(a, goal)} | {_fmt(b, goal)} | {ratio} "
            f"| {target} | {met} |"
        )
        pairs = [x / y for x, y in zip(mine, theirs) if y]  # noqa: B905 (either may be empty)
        spread.append(
            f"| {goal.label} | {_spread(mine, goal.digits)} | {_spread(theirs, goal.digits)} "
            f"| {_spread(pairs, 2)} |"
        )
    return "\n".join(head) + "\n\nThe spread of the rounds (min–max):\n\n" + "\n".join(spread)


def details(this: list[Json], against: list[Json] | None) -> str:
    """The measurements behind the figures, median of the rounds."""

    def cell(rounds: list[Json] | None, value: Callable[[Json], list[float]], digits: int) -> str:
        values = [v for r in rounds or () for v in value(r)]
        return f"{statistics.median(values):,.{digits}f}" if values else "—"

    def one(step: str, key: str) -> Callable[[Json], list[float]]:
        return lambda r: [r[step][key]]

    rows: list[tuple[str, Callable[[Json], list[float]], int]] = [
        ("evaluate, wall ms (median case)", one("phases", "evaluate_wall_ms"), 2),
        ("all phases, wall ms (median case)", one("phases", "all_phases_wall_ms"), 2),
        (
            "all phases, CPU ms per case (mean: goal 3's divisor)",
            one("phases", "cpu_ms_per_case"),
            2,
        ),
        ("findings per case", one("phases", "findings_per_case"), 1),
        (
            "pool: the parent's CPU ms per case (beyond its fixed part)",
            one("pool", "parent_cpu_ms_per_case"),
            2,
        ),
        ("pool: the parent's fixed CPU s", one("pool", "parent_fixed_cpu_s"), 2),
        ("pool: the workers' CPU s", one("pool", "workers_cpu_s"), 2),
        ("pool: wall s", one("pool", "wall_s"), 2),
    ]
    for i, size in enumerate(HISTORY_SIZES):
        rows.append(
            (
                f"history, {size:,} records: ms per case",
                lambda r, i=i: [r["history"]["rows"][i]["seconds"] * 1e3],
                1,
            )
        )
        rows.append(
            (
                f"history, {size:,} records: µs per record",
                lambda r, i=i: [r["history"]["rows"][i]["us_per_record"]],
                0,
            )
        )
    rows += [
        ("cold check, first run, wall s", lambda r: [r["cold"]["first_wall_s"]], 2),
        ("cold check, warm cache, wall s", lambda r: r["cold"]["warm_wall_s"], 2),
        ("check-many, wall s", one("cohort", "wall_s"), 1),
        (f"check-many on {SMALL_COHORT} cases, wall s", one("cohort", "small_wall_s"), 2),
        ("check-many, peak RSS MiB (largest process)", one("cohort", "maxrss_mib"), 0),
    ]
    engines = [
        ", ".join(sorted({r["phases"]["engine"] for r in rounds})) if rounds else "—"
        for rounds in (this, against)
    ]
    lines = ["| measurement | this | against |", "| --- | ---: | ---: |"]
    lines.append(f"| engine | {engines[0]} | {engines[1]} |")
    for label, value, digits in rows:
        lines.append(f"| {label} | {cell(this, value, digits)} | {cell(against, value, digits)} |")
    return "\n".join(lines)


def replace_block(text: str, block: str, name: str = MARKER) -> str:
    """`text` with what lies between `<!-- NAME:start -->` and `<!-- NAME:end -->` replaced by
    `block`; the rest untouched. Both markers must be there, once each, in that order."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    if text.count(start) != 1 or text.count(end) != 1 or text.index(start) > text.index(end):
        raise ValueError(f"expected one {start} before one {end}")
    before, rest = text.split(start)
    _, after = rest.split(end)
    return f"{before}{start}\n{block.rstrip()}\n{end}{after}"


def report(results: Json) -> str:
    """The Markdown block: what was run, the goals table, its spread and the details."""
    m = results["machine"]
    s = results["settings"]
    against = results.get("against")
    who = f"this checkout ({results['this']['commit']})"
    if against is not None:
        who += f" against `{against['python']}` ({against['commit']})"
    lines = [
        f"Measured {results['date']} by `python -m benchmarks.goals"
        + (" --against PYTHON" if against is not None else "")
        + f"`: {who}; {m['cpu']}, {m['cores']} cores visible, Python {m['python']}, "
        f"load average {m['load'][0]} at the start and {m['load'][1]} at the end. "
        f"{s['rounds']} rounds, interleaved; the cohort: {s['cases']:,} cases "
        f"(figures 1–2: the first {s['sample']:,}), seed 0, as of {s['as_of']}, "
        f"{Path(s['calendar']).name}, check-many `--processes {s['processes']}`.",
        "",
        goals_table(
            figures(results["this"]["rounds"]),
            figures(against["rounds"]) if against is not None else None,
            big=results.get("big"),
            cases=s["cases"],
        ),
        "",
        "The measurements behind them (median of the rounds):",
        "",
        details(results["this"]["rounds"], against["rounds"] if against is not None else None),
    ]
    return "\n".join(lines) + "\n"


# --- the parent -------------------------------------------------------------------------------


def _commit(python: str, work: Path) -> str:
    """The short commit (and `+changes` when src/ or rules/ differ from it) of the checkout
    whose apcompliance `python` imports."""
    package = Path(spawn(python, "where", {}, work)["package"])
    git = git_state(package.parent.parent)
    return (git.get("commit") or "unknown") + (" +changes" if git.get("library_modified") else "")


def measure(args: argparse.Namespace, work: Path) -> Json:
    """Every round, interleaved; the raw results."""
    # Bytecode cached, as in any installation: a machine set never to write it (as the
    # development machine is, PYTHONDONTWRITEBYTECODE) would otherwise compile every module
    # in every child, and the cold start would measure the compiler. Both sides alike.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(work / "bytecode")
    as_of = date.fromisoformat(args.as_of)
    cohort = work / f"cohort-{args.cases}.jsonl"
    write_jsonl(cohort, generate(args.cases, 0, as_of=as_of))
    lines = cohort.read_text(encoding="utf-8").splitlines(keepends=True)
    small = work / f"cohort-{SMALL_COHORT}.jsonl"
    small.write_text("".join(lines[:SMALL_COHORT]), encoding="utf-8")
    one_case = work / "case.json"
    one_case.write_text(lines[0], encoding="utf-8")
    setup = Setup(
        work=work,
        cohort=cohort,
        small=small,
        one_case=one_case,
        cases=args.cases,
        sample=min(args.sample, args.cases),
        calendar=str(args.calendar),
        as_of=args.as_of,
        processes=args.processes,
        cold_runs=args.cold_runs,
    )
    pythons = {"this": sys.executable}
    if args.against:
        pythons["against"] = args.against
    load = [os.getloadavg()[0]]
    rounds: dict[str, list[Json]] = {who: [] for who in pythons}
    for n in range(args.repeats):
        order = list(pythons) if n % 2 == 0 else list(reversed(pythons))
        got: dict[str, Json] = {who: {} for who in pythons}
        for step in STEPS:
            for who in order:
                log(f"round {n + 1}/{args.repeats}: {step}, {who}")
                got[who][step] = one_round(pythons[who], setup, step)
        for who in pythons:
            rounds[who].append(got[who])
    load.append(os.getloadavg()[0])
    machine = machine_info()
    results: Json = {
        "date": date.today().isoformat(),
        "machine": {
            **{k: machine[k] for k in ("cpu", "cores", "python", "platform", "packages")},
            "load": [round(v, 1) for v in load],
        },
        "settings": {
            "cases": args.cases,
            "sample": setup.sample,
            "rounds": args.repeats,
            "as_of": args.as_of,
            "calendar": str(args.calendar),
            "processes": args.processes,
            "cold_runs": args.cold_runs,
        },
        "this": {
            "python": sys.executable,
            "commit": _commit(sys.executable, work),
            "rounds": rounds["this"],
        },
    }
    if args.against:
        results["against"] = {
            "python": args.against,
            "commit": _commit(args.against, work),
            "rounds": rounds["against"],
        }
    if args.big:
        results["big"] = _big(args, setup, pythons)
    return results


def _big(args: argparse.Namespace, setup: Setup, pythons: dict[str, str]) -> Json:
    """Goal 6 measured: check-many on `--big` cases (this checkout; the other too with
    `--big-against`), once each; minutes, scaled to 100,000 when `--big` is another size."""
    big = setup.work / f"cohort-{args.big}.jsonl"
    log(f"--big: writing {args.big:,} cases")
    write_jsonl(big, generate(args.big, 0, as_of=date.fromisoformat(args.as_of)))
    out: Json = {"cases": args.big}
    for who in ["this", "against"] if args.big_against and "against" in pythons else ["this"]:
        log(f"--big: check-many on {args.big:,} cases, {who}")
        options = ("--ical", str(setup.work / "big.ics"), "--processes", str(setup.processes))
        run = _check_many(pythons[who], setup, big, *options)
        out[who] = run.wall_s / 60 * TARGET_CASES / args.big
        out[f"{who}_wall_s"] = run.wall_s
    (setup.work / "big.ics").unlink(missing_ok=True)
    big.unlink()
    return out


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.goals",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--against", metavar="PYTHON", help="another checkout's interpreter")
    parser.add_argument("--cases", type=int, default=1000, help="cohort size (%(default)s)")
    parser.add_argument(
        "--sample", type=int, default=300, help="cases of figures 1-2 (%(default)s)"
    )
    parser.add_argument("--repeats", type=int, default=3, help="rounds (%(default)s)")
    parser.add_argument(
        "--cold-runs", type=int, default=2, help="warm-cache cold checks per round (%(default)s)"
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=os.cpu_count() or 1,
        help="check-many --processes of goal 6 (default: the CPUs, %(default)s)",
    )
    parser.add_argument("--big", type=int, metavar="N", help="also run goal 6 on N cases")
    parser.add_argument(
        "--big-against", action="store_true", help="run --big with --against too (slow)"
    )
    parser.add_argument("--as-of", default=DEFAULT_AS_OF.isoformat())
    parser.add_argument("--calendar", default=str(DEFAULT_CALENDAR))
    parser.add_argument(
        "--out", type=Path, help="raw results as JSON (default benchmarks/results/)"
    )
    parser.add_argument("--write-docs", action="store_true", help="rewrite docs/performance.md")
    parser.add_argument(
        "--report", type=Path, metavar="JSON", help="only report (and --write-docs) a past run"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--spec", help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.child:
        return _child(args.child, args.spec)
    if args.report:
        results = json.loads(args.report.read_text(encoding="utf-8"))
    else:
        if args.cases <= SMALL_COHORT:
            raise SystemExit(f"--cases must be more than {SMALL_COHORT}")
        with tempfile.TemporaryDirectory(prefix="apcompliance-goals-") as work:
            results = measure(args, Path(work))
        out = args.out or RESULTS / f"goals-{time.strftime('%Y%m%d-%H%M%S')}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        print(f"Raw results: {out}", file=sys.stderr)
    block = report(results)
    print(block)
    if args.write_docs:
        DOCS.write_text(replace_block(DOCS.read_text("utf-8"), block), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
