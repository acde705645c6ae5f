"""Import rows per second: a generated census-style export (docs/importing.md) read into cases.

    .venv/bin/python -m benchmarks.importing                 # 10,000 pupils, about a minute
    .venv/bin/python -m benchmarks.importing --pupils 1000 --keep DIR

Each pupil has a row in pupils.csv and, drawn with `random.Random(seed)`, zero to three
suspensions, sometimes a permanent exclusion, zero to two AP placements at one of 50
providers, and the records the census has no item for: exclusion notices, visits (one a
fortnight of placement), provider checks and placement reviews. The report gives the rows of
each file, the time of `read_export` and of writing the JSON Lines, rows per second, and the
time per case beside the time one case takes to assess (`evaluate_many`, a sample), so the
two can be compared: the import should never be the slow part of a cohort run.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import tempfile
import time
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

from apcompliance.calendar.school_calendar import SchoolCalendar
from apcompliance.evaluation.cohort import evaluate_many
from apcompliance.importing import read_export

PROVIDERS = 50
FIRST = date(2025, 9, 8)


def _write(path: Path, header: list[str], rows: Iterable[list[str]]) -> int:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        n = 0
        for row in rows:
            writer.writerow(row)
            n += 1
    return n


CALENDAR = SchoolCalendar.example()


def _school_day(start: date, rng: random.Random, within: int) -> date:
    """A school day of the example calendar, up to `within` days from `start`."""
    d = start + timedelta(days=rng.randrange(within))
    return d if CALENDAR.is_school_day(d) else CALENDAR.next_school_day(d)


def generate_export(folder: Path, pupils: int, seed: int = 0) -> dict[str, int]:
    """Write a synthetic export of `pupils` pupils to `folder`; the rows written per file."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, tuple[list[str], list[list[str]]]] = {
        "pupils": (["UPN", "CaseRef", "DOB", "NCyearActual", "SENprovision", "SENtype",
                    "InCare", "FSMeligible"], []),
        "exclusions": (["UPN", "Category", "StartDate", "Sessions", "Reason"], []),
        "ap_placements": (["UPN", "ID", "URN", "EntryDate", "LeavingDate", "kind", "full_time",
                           "sessions_per_week", "attendance_code"], []),
        "exclusion_notice": (["UPN", "about", "sent_at", "method"], []),
        "visit": (["UPN", "placement_id", "visited_on", "form", "by"], []),
        "provider_check": (["UPN", "provider_id", "checked_on", "check", "in_writing"], []),
        "placement_review": (["UPN", "placement_id", "held_on", "meeting", "formal",
                              "attendees", "parents_consulted", "covered"], []),
    }  # fmt: skip
    rows = {name: spec[1] for name, spec in files.items()}
    for i in range(pupils):
        upn = f"Z{i:012d}"
        year = rng.randrange(7, 12)
        rows["pupils"].append([
            upn, f"BENCH-{i}", f"{2024 - year - 5}-0{rng.randrange(1, 10)}-1{rng.randrange(10)}",
            str(year), rng.choice("NNNKKE"), rng.choice(["", "SEMH", "ASD;SEMH"]),
            rng.choice(["false"] * 9 + ["true"]), rng.choice(["false", "true"]),
        ])  # fmt: skip
        starts: set[date] = set()
        for _ in range(rng.randrange(4)):
            start = _school_day(FIRST, rng, 250)
            if start in starts:
                continue
            starts.add(start)
            rows["exclusions"].append(
                [upn, "FIXD", start.isoformat(), str(2 * rng.randrange(1, 8)), "DB"]
            )
            rows["exclusion_notice"].append(
                [upn, f"suspension-{start.isoformat()}", f"{start.isoformat()}T15:00", "letter"]
            )
        if rng.random() < 0.08:
            start = _school_day(FIRST, rng, 250)
            if start not in starts:
                rows["exclusions"].append([upn, "PERM", start.isoformat(), "", "PA"])
        for p in range(rng.randrange(3)):
            provider = rng.randrange(PROVIDERS)
            start = _school_day(FIRST, rng, 200)
            weeks = rng.randrange(2, 20)
            end = start + timedelta(weeks=weeks)
            pid = f"PL-{p}"
            rows["ap_placements"].append([
                upn, pid, f"{100000 + provider}", start.isoformat(), end.isoformat(),
                rng.choice(["medical", "other"]),
                "false", str(rng.randrange(2, 9)), "B",
            ])  # fmt: skip
            rows["provider_check"].append(
                [upn, f"PRV-{provider}", start.isoformat(), "safeguarding_policy", "true"]
            )
            for week in range(0, weeks, 2):
                visit = start + timedelta(weeks=week)
                rows["visit"].append([upn, pid, visit.isoformat(), "visit", "ap_lead"])
            rows["placement_review"].append([
                upn, pid, (start + timedelta(weeks=weeks // 2)).isoformat(), "true", "true",
                "ap_lead;pupil;parents", "true", "progress;attendance",
            ])  # fmt: skip
    provider_rows = [
        [f"PRV-{n}", f"Provider {n}", "ap_academy", f"{100000 + n}"] for n in range(PROVIDERS)
    ]
    written = {"providers": _write(folder / "providers.csv", ["id", "name", "kind", "urn"],
                                   provider_rows)}  # fmt: skip
    for name, (header, body) in files.items():
        written[name] = _write(folder / f"{name}.csv", header, body)
    return written


def run(pupils: int, seed: int, folder: Path, sample: int) -> dict[str, object]:
    written = generate_export(folder, pupils, seed)
    total = sum(written.values())
    started = time.perf_counter()
    result = read_export([folder])
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    result.write_jsonl(folder / "cohort.jsonl")
    write_s = time.perf_counter() - started
    cases = result.cases[:sample]
    for _ in evaluate_many(cases[:1], as_of=date(2026, 6, 15), calendar=CALENDAR):
        pass  # the rule book loaded before the clock starts
    started = time.perf_counter()
    for outcome in evaluate_many(cases, as_of=date(2026, 6, 15), calendar=CALENDAR):
        assert outcome.assessment is not None, outcome.error
    assess_s = time.perf_counter() - started
    return {
        "pupils": pupils,
        "rows": written,
        "rows_total": total,
        "read_export_s": round(read_s, 2),
        "write_jsonl_s": round(write_s, 2),
        "rows_per_s": round(total / read_s),
        "import_ms_per_case": round(1000 * (read_s + write_s) / pupils, 3),
        "assess_ms_per_case": round(1000 * assess_s / len(cases), 3),
        "assess_sample": len(cases),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sample", type=int, default=200, help="cases assessed for comparison")
    parser.add_argument("--keep", type=Path, help="write the export here and keep it")
    args = parser.parse_args()
    if args.keep is not None:
        report = run(args.pupils, args.seed, args.keep, args.sample)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            report = run(args.pupils, args.seed, Path(tmp), args.sample)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
