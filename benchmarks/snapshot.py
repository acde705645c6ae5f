"""Findings snapshots: what the library says about the bundled examples and a seeded cohort,
written once and compared after a change, so a refactoring can show it changed no finding.

    .venv/bin/python -m benchmarks.snapshot write before.jsonl            # 2,000 cases + examples
    .venv/bin/python -m benchmarks.snapshot compare before.jsonl          # exit 1 on a difference
    .venv/bin/python -m benchmarks.snapshot compare before.jsonl --cases 500 --show 5

Each line is one case on one date: its id and its findings' essentials (rule, clause, subject,
period, due, status, met_by), sorted. Explanations and wording are left out on purpose: they
may change with the rule language; what a finding decides may not.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from apcompliance import Case, Evaluator, SchoolCalendar
from benchmarks import cohort

AS_OF = (date(2025, 11, 20), date(2026, 3, 2), date(2026, 6, 15))
"""The bundled examples are assessed on each of these dates; the cohort on the last."""

FIELDS = ("rule_id", "clause", "subject", "period", "due", "status", "met_by")


def _calendar() -> SchoolCalendar:
    path = resources.files("apcompliance.data.calendars") / "example-la-2025-26.yaml"
    return SchoolCalendar.from_yaml(str(path))


def _cases(n: int) -> Iterator[tuple[str, Case, date]]:
    examples = resources.files("apcompliance.data.examples")
    for name in sorted(p.name for p in examples.iterdir() if p.name.endswith(".json")):
        case = Case.model_validate_json((examples / name).read_text())
        for as_of in AS_OF:
            yield f"{name}@{as_of}", case, as_of
    for i, raw in enumerate(cohort.generate(n, seed=0)):
        yield f"cohort-{i}@{AS_OF[-1]}", Case.model_validate_json(json.dumps(raw)), AS_OF[-1]


def _essentials(finding: Any) -> list[Any]:
    data = finding.model_dump(mode="json")
    return [data.get(name) for name in FIELDS]


def snapshot(n: int, engine: str) -> Iterator[dict[str, Any]]:
    evaluator = Evaluator(engine=engine)  # type: ignore[arg-type]
    calendar = _calendar()
    for key, case, as_of in _cases(n):
        try:
            result = evaluator.evaluate(case, as_of=as_of, calendar=calendar)
            rows = sorted((_essentials(f) for f in result.findings), key=json.dumps)
        except Exception as exc:  # an error is part of what a case gives
            rows = [["error", type(exc).__name__]]
        yield {"case": key, "findings": rows}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.snapshot", description=__doc__)
    parser.add_argument("action", choices=("write", "compare"))
    parser.add_argument("file", type=Path)
    parser.add_argument("--cases", type=int, default=2000, help="cohort cases (default 2000)")
    parser.add_argument("--engine", default="auto")
    parser.add_argument("--show", type=int, default=10, help="differences to print")
    args = parser.parse_args(argv)
    if args.action == "write":
        with args.file.open("w") as out:
            for line in snapshot(args.cases, args.engine):
                out.write(json.dumps(line) + "\n")
        return 0
    before = {}
    for text in args.file.read_text().splitlines():
        line = json.loads(text)
        before[line["case"]] = line["findings"]
    differing = 0
    for line in snapshot(args.cases, args.engine):
        old = before.get(line["case"])
        if old == line["findings"]:
            continue
        differing += 1
        if differing <= args.show:
            gone = [r for r in (old or []) if r not in line["findings"]]
            new = [r for r in line["findings"] if r not in (old or [])]
            print(f"{line['case']}:\n  before only: {gone}\n  after only:  {new}")
    print(f"{differing} case(s) differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
