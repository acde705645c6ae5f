"""The benchmark runner: throughput, per-phase time, memory and the CLI path, for both engines.

    .venv/bin/python -m benchmarks.run                      # defaults: 1,000 cases, a few minutes
    .venv/bin/python -m benchmarks.run --sizes 1000,10000,100000 --memory-evals 10000,100000
    .venv/bin/python -m benchmarks.run --check              # the generator's own check
    .venv/bin/python -m benchmarks.run --profile 500        # cProfile of the durable engine

Every measurement runs in a fresh child process (`--child TASK`), so one run's imports, caches
and heap never flatter the next, and the child's peak RSS is its own (`os.wait4`). Results go
to a JSON file and a Markdown report on stdout. Nothing printed holds pupil data: only counts,
timings and the generator's synthetic case ids in error messages.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks.cohort import DEFAULT_AS_OF, generate, write_jsonl

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CALENDAR = REPO / "src" / "apcompliance" / "data" / "calendars" / "example-la-2025-26.yaml"
RESULTS = Path(__file__).resolve().parent / "results"
PHASES = ("validate", "derive", "engine", "judge", "assemble", "json", "ical")
"""Sequential phases, in pipeline order (see `_phases`)."""
EVALUATE_PHASES = ("derive", "engine", "judge", "assemble")
"""What `Evaluator.evaluate` does (the rest is reading the case and writing the output)."""
PACKAGES = (
    "apcompliance",
    "pydantic",
    "pydantic-core",
    "durable-rules",
    "icalendar",
    "holidays",
    "python-dateutil",
    "PyYAML",
    "tqdm",
)

Json = dict[str, Any]


# --- helpers ------------------------------------------------------------------------------------


def _rss_kib() -> int:
    """The current resident set size of this process, in KiB (Linux /proc)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _maxrss_kib(who: int = resource.RUSAGE_SELF) -> int:
    """Peak RSS in KiB (`ru_maxrss` is KiB on Linux)."""
    return resource.getrusage(who).ru_maxrss


def _cpu_s(who: int) -> float:
    """User plus system CPU seconds of this process or of its waited-for children."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _mib(kib: float) -> float:
    return round(kib / 1024, 1)


def _load_calendar(path: str) -> Any:
    from apcompliance import SchoolCalendar

    return SchoolCalendar.from_yaml(path)


class _Sink(io.RawIOBase):
    """A binary file that only counts the bytes written to it."""

    def __init__(self) -> None:
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.size += len(data)
        return len(data)


# --- child tasks (each runs in its own process) -------------------------------------------------


def _phases(spec: Json) -> Json:
    """Sequential run of every case of a cohort, timing each step of `Evaluator.evaluate`
    (called one by one) plus reading the case and writing the output as the CLI does.

    validate: `Case.model_validate_json(line)` (what `evaluate_many` and the CLI do);
    derive: `derive(case, calendar, settings, as_of=...)`; engine:
    `evaluator._run(facts, id, calendar, as_of)`; judge: `evaluator._judge(...)`; assemble:
    `evaluator._assessment(...)`; json: `assessment.to_json(indent=None)` (`check-many
    --json`); ical: the case's pending deadlines written to the cohort's calendar
    (`DeadlinesWriter.add`, as `check-many --ical`).
    """
    from apcompliance import Case, Evaluator
    from apcompliance.evaluation.derive import derive
    from apcompliance.outputs.ical import DeadlinesWriter
    from apcompliance.policy.settings import PolicySettings

    lines = _lines(Path(spec["cohort"]))
    calendar = _load_calendar(spec["calendar"])
    as_of = date.fromisoformat(spec["as_of"])
    settings = PolicySettings()
    t = time.perf_counter()
    evaluator = Evaluator(engine=spec["engine"])
    setup_s = time.perf_counter() - t
    # Warm up (first-call imports and caches) on a case outside the timed loop.
    evaluator.evaluate(Case.model_validate_json(lines[0]), as_of=as_of, calendar=calendar)
    rss_start = _rss_kib()

    totals = dict.fromkeys(PHASES, 0.0)
    per_case_ms: list[float] = []
    sink = _Sink()
    ics = DeadlinesWriter(sink, name="benchmark")
    statuses: Counter[str] = Counter()
    violations = findings_n = facts_n = matches_n = 0
    sample = min(spec["sample"], len(lines))
    mismatches: list[str] = []
    clock = time.perf_counter
    for n, line in enumerate(lines):
        t0 = clock()
        case = Case.model_validate_json(line)
        t1 = clock()
        facts = derive(case, calendar, settings, as_of=as_of)
        t2 = clock()
        matches = evaluator._run(facts, case.case_id, calendar, as_of)
        t3 = clock()
        findings = evaluator._judge(
            case.case_id, facts, matches, as_of=as_of, calendar=calendar, settings=settings
        )
        t4 = clock()
        assessment = evaluator._assessment(
            case.case_id,
            facts,
            findings,
            as_of=as_of,
            calendar_name=calendar.name,
            settings=settings,
        )
        t5 = clock()
        text = assessment.to_json(indent=None)
        t6 = clock()
        ics.add(assessment)
        t7 = clock()
        spans = (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5, t7 - t6)
        for name, span in zip(PHASES, spans, strict=True):
            totals[name] += span
        per_case_ms.append((t5 - t1) * 1000)
        facts_n += len(facts)
        matches_n += len(matches)
        findings_n += len(findings)
        statuses.update(f.status for f in findings)
        violations += sum(1 for f in findings if f.is_violation)
        if n < sample:  # the pipeline above must give what evaluate gives
            expected = evaluator.evaluate(case, as_of=as_of, calendar=calendar)
            if expected.to_json(indent=None) != text:
                mismatches.append(case.case_id)
    ics.close()
    cases = len(lines)
    gc.collect()
    ordered = sorted(per_case_ms)
    return {
        "engine": evaluator.engine_name,
        "cases": cases,
        "setup_s": round(setup_s, 3),
        "total_s": round(sum(totals.values()), 3),
        "cases_per_s": round(cases / sum(totals.values()), 1),
        "phase_ms_per_case": {k: round(v * 1000 / cases, 4) for k, v in totals.items()},
        "evaluate_ms_per_case": round(sum(totals[k] for k in EVALUATE_PHASES) * 1000 / cases, 4),
        "evaluate_ms_percentiles": {
            "p50": round(ordered[len(ordered) // 2], 3),
            "p95": round(ordered[int(len(ordered) * 0.95)], 3),
            "p99": round(ordered[int(len(ordered) * 0.99)], 3),
            "max": round(ordered[-1], 3),
        },
        "per_case": {
            "facts": round(facts_n / cases, 1),
            "matches": round(matches_n / cases, 1),
            "findings": round(findings_n / cases, 1),
            "violations": round(violations / cases, 2),
        },
        "statuses": dict(statuses.most_common()),
        "ical_bytes": sink.size,
        "equivalence": {"sample": sample, "mismatches": len(mismatches), "ids": mismatches[:5]},
        "rss_mib_start": _mib(rss_start),
        "rss_mib_end": _mib(_rss_kib()),
        "maxrss_mib": _mib(_maxrss_kib()),
    }


def _throughput(spec: Json) -> Json:
    """`evaluate_many` over a JSON Lines file (`read_jsonl`), sequential or in worker
    processes, wall clock from the call to the last result (worker start-up included)."""
    from apcompliance import Evaluator, evaluate_many
    from apcompliance.evaluation.cohort import read_jsonl

    calendar = _load_calendar(spec["calendar"])
    as_of = date.fromisoformat(spec["as_of"])
    evaluator = Evaluator(engine=spec["engine"])
    processes = spec["processes"]
    if processes == 1:  # warm up as the phase run does; workers warm up on the clock
        from apcompliance import Case

        first = next(read_jsonl(spec["cohort"]))[1]
        evaluator.evaluate(Case.model_validate_json(first), as_of=as_of, calendar=calendar)
    cases = errors = violations = 0
    own, workers = _cpu_s(resource.RUSAGE_SELF), _cpu_s(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    for result in evaluate_many(
        read_jsonl(spec["cohort"]),
        as_of=as_of,
        calendar=calendar,
        processes=processes,
        evaluator=evaluator,
    ):
        cases += 1
        if result.assessment is None:
            errors += 1
        else:
            violations += len(result.assessment.violations)
    wall = time.perf_counter() - t
    own, workers = _cpu_s(resource.RUSAGE_SELF) - own, _cpu_s(resource.RUSAGE_CHILDREN) - workers
    return {
        "engine": evaluator.engine_name,
        "processes": processes,
        "cpu_s_parent": round(own, 2),
        "cpu_s_workers": round(workers, 2),
        "cpu_ms_per_case": round((own + workers) * 1000 / max(1, cases), 2),
        "cases": cases,
        "errors": errors,
        "violations": violations,
        "wall_s": round(wall, 3),
        "cases_per_s": round(cases / wall, 1),
        "maxrss_mib_parent": _mib(_maxrss_kib()),
        "maxrss_mib_largest_worker": _mib(_maxrss_kib(resource.RUSAGE_CHILDREN)),
    }


def _memory(spec: Json) -> Json:
    """Many sequential evaluations in one process: RSS (after a full collection) at each
    checkpoint. Cases stream from the generator (distinct cases, never all held at once)."""
    from apcompliance import Case, Evaluator

    calendar = _load_calendar(spec["calendar"])
    as_of = date.fromisoformat(spec["as_of"])
    evaluator = Evaluator(engine=spec["engine"])
    checkpoints = sorted(spec["checkpoints"])
    readings: dict[str, float] = {}
    t = time.perf_counter()
    done = 0
    for case_dict in generate(checkpoints[-1], spec["seed"], as_of=as_of):
        case = Case.model_validate_json(json.dumps(case_dict))
        evaluator.evaluate(case, as_of=as_of, calendar=calendar)
        done += 1
        if done == min(200, checkpoints[0]) or done in checkpoints:
            gc.collect()
            readings[str(done)] = _mib(_rss_kib())
    first, last = readings[str(checkpoints[0])], readings[str(checkpoints[-1])]
    return {
        "engine": evaluator.engine_name,
        "evaluations": done,
        "wall_s": round(time.perf_counter() - t, 1),
        "rss_mib": readings,
        "growth_pct": round((last - first) / first * 100, 2),
        "growth_between": [checkpoints[0], checkpoints[-1]],
        "maxrss_mib": _mib(_maxrss_kib()),
    }


def _profile(spec: Json) -> Json:
    """cProfile of validating and evaluating the first `n` cases of a cohort (after a
    warm-up case); the top entries by cumulative and by own time."""
    from apcompliance import Case, Evaluator

    calendar = _load_calendar(spec["calendar"])
    as_of = date.fromisoformat(spec["as_of"])
    evaluator = Evaluator(engine=spec["engine"])
    lines = _lines(Path(spec["cohort"]))[: spec["n"]]
    evaluator.evaluate(Case.model_validate_json(lines[0]), as_of=as_of, calendar=calendar)
    profiler = cProfile.Profile()
    t = time.perf_counter()
    profiler.enable()
    for line in lines:
        evaluator.evaluate(Case.model_validate_json(line), as_of=as_of, calendar=calendar)
    profiler.disable()
    wall = time.perf_counter() - t
    profiler.dump_stats(spec["out"] + ".prof")
    report: Json = {"engine": evaluator.engine_name, "cases": len(lines), "wall_s": round(wall, 2)}
    text = io.StringIO()
    for key in ("cumulative", "tottime"):
        stats = pstats.Stats(profiler, stream=text)
        stats.sort_stats(key).print_stats(spec["top"])
        rows = []
        for func in stats.fcn_list[: spec["top"]]:  # type: ignore[attr-defined]
            calls, _, own, cumulative, _ = stats.stats[func]  # type: ignore[attr-defined]
            filename, lineno, name = func
            where = f"{_short(filename)}:{lineno}({name})"
            rows.append({"function": where, "calls": calls, "tottime": own, "cumtime": cumulative})
        report[key] = rows
    Path(spec["out"] + ".txt").write_text(text.getvalue(), encoding="utf-8")
    return report


def _short(filename: str) -> str:
    for marker in ("site-packages/", "src/", "lib/python"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


CHILD_TASKS: dict[str, Callable[[Json], Json]] = {
    "phases": _phases,
    "throughput": _throughput,
    "memory": _memory,
    "profile": _profile,
}


def _child(task: str, spec_text: str) -> int:
    spec = json.loads(spec_text)
    result = CHILD_TASKS[task](spec)
    Path(spec["result"]).write_text(json.dumps(result), encoding="utf-8")
    return 0


# --- the parent: spawning, timing, reporting -----------------------------------------------------


def _wait(proc: subprocess.Popen[bytes]) -> tuple[int, float]:
    """Wait for a child; its exit code and peak RSS in MiB (the largest process of its tree:
    Linux reports the max of the child and its waited-for descendants)."""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, _mib(usage.ru_maxrss)


def _spawn(task: str, spec: Json, work: Path) -> Json:
    """Run a child task in a fresh interpreter; its result plus wall time and peak RSS."""
    result_path = work / f"{task}-{time.monotonic_ns()}.json"
    spec = {**spec, "result": str(result_path)}
    args = [sys.executable, "-m", "benchmarks.run", "--child", task, "--spec", json.dumps(spec)]
    log = work / f"{task}.stderr"
    t = time.perf_counter()
    with log.open("wb") as err:
        proc = subprocess.Popen(args, cwd=REPO, stdout=subprocess.DEVNULL, stderr=err)
        code, maxrss = _wait(proc)
    wall = time.perf_counter() - t
    if code != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise RuntimeError(f"child task {task} failed (exit {code}):\n{tail}")
    result: Json = json.loads(result_path.read_text(encoding="utf-8"))
    result["process_wall_s"] = round(wall, 2)
    result["process_maxrss_mib"] = maxrss
    return result


def _cli(cohort: Path, spec: Json, work: Path, processes: int) -> Json:
    """`apcompliance check-many FILE ... --processes N --ical OUT --quiet`, wall clock."""
    exe = Path(sys.executable).with_name("apcompliance")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "apcompliance.cli"]
    ics = work / f"{cohort.stem}.ics"
    args = [
        *command,
        "check-many",
        str(cohort),
        "--as-of",
        spec["as_of"],
        "--calendar",
        spec["calendar"],
        "--processes",
        str(processes),
        "--ical",
        str(ics),
        "--quiet",
    ]
    t = time.perf_counter()
    proc = subprocess.Popen(args, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    code, maxrss = _wait(proc)
    wall = time.perf_counter() - t
    cases = sum(1 for _ in cohort.open("rb"))
    return {
        "command": " ".join(["apcompliance", *args[len(command) :]]),
        "processes": processes,
        "cases": cases,
        "exit_code": code,
        "ok": code in (0, 1),
        "wall_s": round(wall, 2),
        "cases_per_s": round(cases / wall, 1),
        "maxrss_mib_largest_process": maxrss,
        "ical_bytes": ics.stat().st_size if ics.exists() else None,
    }


def git_state(root: Path) -> Json:
    """The checkout's short commit, and whether its src/ or rules/ differ from it (empty if
    git cannot say)."""
    git: Json = {}
    try:
        git["commit"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", "src", "rules"],
            cwd=root,
            capture_output=True,
            text=True,
        ).stdout
        git["library_modified"] = bool(changed.strip())
    except OSError:
        pass
    return git


def machine_info() -> Json:
    """CPU model, cores, Python, package versions, and the repository state."""
    cpu = "unknown"
    try:
        for line in (
            Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace").splitlines()
        ):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    git = git_state(REPO)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "packages": versions,
        "git": git,
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def _ints(text: str) -> list[int]:
    values = [int(v) for v in text.split(",") if v.strip()]
    if not values or any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(f"expected positive integers, got {text!r}")
    return values


def _words(text: str) -> list[str]:
    return [v.strip() for v in text.split(",") if v.strip()]


def _parser() -> argparse.ArgumentParser:
    cpus = os.cpu_count() or 1
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description="Benchmark apcompliance on synthetic cohorts."
    )
    parser.add_argument("--sizes", type=_ints, default=[1000], help="cohort sizes (1000)")
    parser.add_argument("--engines", type=_words, default=["durable", "python"])
    parser.add_argument(
        "--processes",
        type=_ints,
        default=sorted({1, cpus}),
        help=f"worker processes for evaluate_many (default 1,{cpus}: one core and all cores)",
    )
    parser.add_argument(
        "--phase-sizes",
        type=_ints,
        help="sizes to run the per-phase sequential breakdown on (default: every size up to 10000)",
    )
    parser.add_argument("--no-throughput", action="store_true", help="skip evaluate_many runs")
    parser.add_argument("--cli-processes", type=int, default=2)
    parser.add_argument("--no-cli", action="store_true", help="skip the check-many timing")
    parser.add_argument(
        "--memory-evals",
        type=_ints,
        default=[1000, 5000],
        help="RSS checkpoints of the memory-flatness run (default 1000,5000; the full figure: "
        "10000,100000)",
    )
    parser.add_argument("--memory-engine", default="durable")
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--sample", type=int, default=200, help="cases checked against evaluate")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--as-of", default=DEFAULT_AS_OF.isoformat())
    parser.add_argument("--calendar", default=str(DEFAULT_CALENDAR))
    parser.add_argument("--out", type=Path, help="results JSON (default benchmarks/results/)")
    parser.add_argument("--workdir", type=Path, help="keep cohorts and outputs here")
    parser.add_argument(
        "--check",
        action="store_true",
        help="only check the generator: 2,000 cases for each of seeds 0-2 evaluate cleanly",
    )
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        help="only profile N cases (cProfile) on --profile-engine",
    )
    parser.add_argument("--profile-engine", default="durable")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--spec", help=argparse.SUPPRESS)
    return parser


def _cohort(size: int, seed: int, as_of: date, work: Path) -> tuple[Path, Json]:
    """Write a cohort of `size` cases as JSON Lines; how long it took and its shape."""
    path = work / f"cohort-{size}-seed{seed}.jsonl"
    counts = Counter[str]()

    def counted() -> Iterator[Json]:
        for case in generate(size, seed, as_of=as_of):
            counts["events"] += len(case["events"])
            counts["placements"] += len(case["placements"])
            yield case

    t = time.perf_counter()
    written = write_jsonl(path, counted())
    seconds = time.perf_counter() - t
    return path, {
        "size": written,
        "generate_s": round(seconds, 2),
        "cases_per_s": round(written / seconds, 1),
        "file_mib": round(path.stat().st_size / 2**20, 1),
        "events_per_case": round(counts["events"] / max(1, written), 1),
        "placements_per_case": round(counts["placements"] / max(1, written), 2),
    }


def _check(args: argparse.Namespace, work: Path) -> int:
    """The generator's own check: deterministic, and 2,000 cases of each of three seeds
    validate and evaluate without an error on every engine asked for."""
    from apcompliance import evaluate_many
    from apcompliance.evaluation.evaluator import Evaluator

    as_of = date.fromisoformat(args.as_of)
    calendar = _load_calendar(args.calendar)
    first = [json.dumps(c) for c in generate(50, 7, as_of=as_of)]
    again = [json.dumps(c) for c in generate(60, 7, as_of=as_of)]
    assert first == again[:50], "the generator is not deterministic (or not prefix-stable)"
    failures = 0
    processes = os.cpu_count() or 1
    for engine in args.engines:
        evaluator = Evaluator(engine=engine)
        for seed in (0, 1, 2):
            statuses: Counter[str] = Counter()
            t = time.perf_counter()
            texts = (json.dumps(c) for c in generate(2000, seed, as_of=as_of))
            errors = 0
            for result in evaluate_many(
                texts, as_of=as_of, calendar=calendar, processes=processes, evaluator=evaluator
            ):
                if result.assessment is None:
                    errors += 1
                    if errors <= 5:
                        print(f"  error: {result.error}")
                else:
                    statuses.update(f.status for f in result.assessment.findings)
            failures += errors
            total = sum(statuses.values())
            share = ", ".join(f"{s} {n / total:.0%}" for s, n in statuses.most_common(6))
            print(
                f"{engine:8} seed {seed}: 2000 cases, {errors} errors, "
                f"{time.perf_counter() - t:.1f} s; findings: {share}"
            )
    print("generator check:", "OK" if failures == 0 else f"FAILED ({failures} errors)")
    return 0 if failures == 0 else 1


def _profile_only(args: argparse.Namespace, work: Path) -> int:
    as_of = date.fromisoformat(args.as_of)
    cohort, _ = _cohort(args.profile, args.seed, as_of, work)
    out = RESULTS / f"profile-{args.profile_engine}-{args.profile}"
    RESULTS.mkdir(parents=True, exist_ok=True)
    spec = {
        "cohort": str(cohort),
        "calendar": args.calendar,
        "as_of": args.as_of,
        "engine": args.profile_engine,
        "n": args.profile,
        "top": args.top,
        "out": str(out),
    }
    report = _spawn("profile", spec, work)
    print(
        f"cProfile: {report['cases']} cases on {report['engine']}, {report['wall_s']} s "
        f"under the profiler; stats in {out}.txt and {out}.prof"
    )
    for key in ("cumulative", "tottime"):
        print(f"\nTop {args.top} by {key}:\n")
        print("| function | calls | tottime s | cumtime s |\n|---|---:|---:|---:|")
        for row in report[key]:
            print(
                f"| `{row['function']}` | {row['calls']} | {row['tottime']:.3f} "
                f"| {row['cumtime']:.3f} |"
            )
    return 0


def _benchmark(args: argparse.Namespace, work: Path) -> Json:
    as_of = date.fromisoformat(args.as_of)
    base = {"calendar": args.calendar, "as_of": args.as_of}
    phase_sizes = set(args.phase_sizes or [s for s in args.sizes if s <= 10000])
    results: Json = {"machine": machine_info(), "settings": {}, "sizes": {}}
    results["settings"] = {
        "sizes": args.sizes,
        "engines": args.engines,
        "processes": args.processes,
        "seed": args.seed,
        "as_of": args.as_of,
        "calendar": Path(args.calendar).name,
    }
    for size in args.sizes:
        cohort, gen = _cohort(size, args.seed, as_of, work)
        entry: Json = {"generation": gen, "phases": {}, "throughput": [], "cli": None}
        log(f"size {size}: cohort written ({gen['generate_s']} s)")
        spec = {**base, "cohort": str(cohort)}
        if size in phase_sizes:
            for engine in args.engines:
                log(f"size {size}: phases on {engine}")
                entry["phases"][engine] = _spawn(
                    "phases", {**spec, "engine": engine, "sample": args.sample}, work
                )
        for engine in [] if args.no_throughput else args.engines:
            for processes in args.processes:
                log(f"size {size}: evaluate_many on {engine}, {processes} process(es)")
                entry["throughput"].append(
                    _spawn("throughput", {**spec, "engine": engine, "processes": processes}, work)
                )
        if not args.no_cli:
            log(f"size {size}: apcompliance check-many --processes {args.cli_processes}")
            entry["cli"] = _cli(cohort, spec, work, args.cli_processes)
        entry["ratios"] = _ratios(entry)
        results["sizes"][str(size)] = entry
    if not args.no_memory:
        log(f"memory: {args.memory_evals[-1]} sequential evaluations on {args.memory_engine}")
        results["memory"] = _spawn(
            "memory",
            {
                **base,
                "engine": args.memory_engine,
                "checkpoints": args.memory_evals,
                "seed": args.seed + 1,
            },
            work,
        )
    return results


def _ratios(entry: Json) -> Json:
    """durable-rules / Python: end to end (sequential evaluate_many), evaluate (derive to
    assemble) and the engine phase alone. Above 1: durable-rules is slower."""
    out: Json = {}
    phases = entry["phases"]
    if "durable" in phases and "python" in phases:
        d, p = phases["durable"], phases["python"]
        out["evaluate"] = round(d["evaluate_ms_per_case"] / p["evaluate_ms_per_case"], 3)
        out["engine_phase"] = round(
            d["phase_ms_per_case"]["engine"] / p["phase_ms_per_case"]["engine"], 3
        )
        out["pipeline"] = round(p["cases_per_s"] / d["cases_per_s"], 3)
    by = {(t["engine"].split()[0], t["processes"]): t for t in entry["throughput"]}
    for (engine, processes), row in by.items():
        other = by.get(("python", processes))
        if engine.startswith("durable") and other is not None:
            out[f"end_to_end_{processes}p"] = round(other["cases_per_s"] / row["cases_per_s"], 3)
    return out


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- the Markdown report ----------------------------------------------------------------------


def markdown(results: Json) -> str:
    """The results as readable Markdown tables."""
    m = results["machine"]
    out = [
        "# apcompliance benchmark",
        "",
        f"- CPU: {m['cpu']} ({m['cores']} cores visible)",
        f"- Python {m['python']} ({m['implementation']}), {m['platform']}",
        "- Packages: " + ", ".join(f"{k} {v}" for k, v in m["packages"].items() if v),
        f"- Repository: {m['git'].get('commit')}"
        + (" (src/ or rules/ modified)" if m["git"].get("library_modified") else ""),
        f"- Settings: as of {results['settings']['as_of']}, calendar "
        f"{results['settings']['calendar']}, seed {results['settings']['seed']}",
        "",
    ]
    for size, entry in results["sizes"].items():
        gen = entry["generation"]
        out += [
            f"## {int(size):,} cases",
            "",
            f"Generated in {gen['generate_s']} s ({gen['cases_per_s']:,.0f} cases/s), "
            f"{gen['file_mib']} MiB of JSON Lines; {gen['events_per_case']} events and "
            f"{gen['placements_per_case']} placements per case on average.",
            "",
            "### Throughput (`evaluate_many` on the JSON Lines file)",
            "",
            "| engine | processes | wall s | cases/s | CPU ms/case (all processes) "
            "| peak RSS MiB (parent / largest worker) | errors |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for t in entry["throughput"]:
            worker = t["maxrss_mib_largest_worker"] if t["processes"] > 1 else "-"
            out.append(
                f"| {t['engine']} | {t['processes']} | {t['wall_s']} | {t['cases_per_s']:,} "
                f"| {t['cpu_ms_per_case']} | {t['maxrss_mib_parent']} / {worker} "
                f"| {t['errors']} |"
            )
        if entry["phases"]:
            engines = list(entry["phases"])
            out += [
                "",
                "### Sequential phases (ms per case)",
                "",
                "| phase | " + " | ".join(engines) + " |",
                "|---|" + "---:|" * len(engines),
            ]
            for phase in PHASES:
                cells = []
                for e in engines:
                    p = entry["phases"][e]
                    ms = p["phase_ms_per_case"][phase]
                    share = 100 * ms * p["cases"] / 1000 / p["total_s"]
                    cells.append(f"{ms:.3f} ({share:.0f}%)")
                out.append(f"| {phase} | " + " | ".join(cells) + " |")
            rows = [
                ("evaluate (derive..assemble)", lambda p: f"{p['evaluate_ms_per_case']:.3f}"),
                ("all phases", lambda p: f"{p['total_s'] * 1000 / p['cases']:.3f}"),
                ("cases/s (all phases)", lambda p: f"{p['cases_per_s']:,}"),
                (
                    "evaluate p50 / p95 / p99 / max",
                    lambda p: " / ".join(
                        f"{p['evaluate_ms_percentiles'][k]:.1f}"
                        for k in ("p50", "p95", "p99", "max")
                    ),
                ),
                (
                    "facts / matches / findings per case",
                    lambda p: "{facts} / {matches} / {findings}".format(**p["per_case"]),
                ),
                ("violations per case", lambda p: str(p["per_case"]["violations"])),
                ("evaluator build s", lambda p: str(p["setup_s"])),
                ("peak RSS MiB", lambda p: str(p["maxrss_mib"])),
                (
                    "same as evaluate()",
                    lambda p: "{sample} checked, {mismatches} differ".format(**p["equivalence"]),
                ),
            ]
            for label, cell in rows:
                row = " | ".join(cell(entry["phases"][e]) for e in engines)
                out.append(f"| {label} | {row} |")
        if entry["ratios"]:
            out += ["", "### durable-rules / Python (time ratio; above 1: durable is slower)", ""]
            out += [f"- {k}: {v}" for k, v in entry["ratios"].items()]
        if entry["cli"]:
            c = entry["cli"]
            out += [
                "",
                "### CLI",
                "",
                f"`{c['command']}`: {c['wall_s']} s wall, {c['cases_per_s']:,} cases/s, "
                f"peak RSS {c['maxrss_mib_largest_process']} MiB (largest process), "
                f"exit {c['exit_code']}{'' if c['ok'] else ' (ERRORS)'}.",
            ]
        out.append("")
    if "memory" in results:
        mem = results["memory"]
        readings = ", ".join(f"{int(k):,}: {v} MiB" for k, v in mem["rss_mib"].items())
        a, b = mem["growth_between"]
        out += [
            "## Memory over sequential evaluations",
            "",
            f"{mem['evaluations']:,} evaluations on {mem['engine']} in one process "
            f"({mem['wall_s']} s). RSS after a full collection, by evaluations done: {readings}. "
            f"Growth from {a:,} to {b:,}: {mem['growth_pct']}%.",
            "",
        ]
    return "\n".join(out)


# --- entry point ----------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.child:
        return _child(args.child, args.spec)
    keep = args.workdir is not None
    if keep:
        args.workdir.mkdir(parents=True, exist_ok=True)
    with _workdir(args.workdir) as work:
        if args.check:
            return _check(args, work)
        if args.profile:
            return _profile_only(args, work)
        results = _benchmark(args, work)
    out = args.out or RESULTS / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(markdown(results))
    print(f"\nResults: {out}")
    return 0


class _workdir:
    """The given folder, or a temporary one removed afterwards."""

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> Path:
        if self._path is not None:
            return self._path
        self._tmp = tempfile.TemporaryDirectory(prefix="apcompliance-bench-")
        return Path(self._tmp.name)

    def __exit__(self, *exc: object) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()


if __name__ == "__main__":
    sys.exit(main())
