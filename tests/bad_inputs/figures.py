"""The bad-input corpus's figures: inputs tried, clear errors, silent acceptances, hangs and
leaks, by group (docs/reliability.md).

    python -m tests.bad_inputs.figures              # measure: each input in a forked process
    python -m tests.bad_inputs.figures --timeout 20 # seconds before an input counts as a hang
    python -m tests.bad_inputs.figures --write-docs # also rewrite docs/reliability.md's blocks

Each entry is tried through each of its routes (the Python API, the command line), in a child
process with a time limit: *clear* is the documented error with the words asked for (exit 2 at
the command line, no traceback, nothing left behind); *silent* is an input accepted without an
error; *unclear* is an error that is not the documented one or lacks the words (a traceback, a
raw exception); *hang* gives no answer in time; *leak* shows a marker value of the input.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

from tests import bad_inputs as corpus

DOCS = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"
COLUMNS = ("tried", "clear", "silent", "unclear", "hang", "leak")


def measure(timeout: float, groups: tuple[str, ...] = corpus.GROUPS) -> dict[str, Counter[str]]:
    """Try every entry through every route; the counts of each outcome, by group."""
    from apcompliance.evaluation.evaluator import shared_evaluator

    shared_evaluator()  # built once, before the children are forked
    table: dict[str, Counter[str]] = {g: Counter() for g in groups}
    with tempfile.TemporaryDirectory() as tmp:
        for n, entry in enumerate(corpus.load(groups)):
            for route in entry.routes:
                folder = Path(tmp) / f"{n}-{route}"
                paths = corpus.write(entry, folder)
                outcome = corpus.run_forked(entry, folder, paths, route, timeout=timeout)
                if outcome is None:
                    kind = "hang"
                elif entry.hangs:  # a valid input, or one refused: answered in time
                    bad = outcome.crashed or "Traceback" in outcome.message
                    kind = "unclear" if bad else "clear"
                else:
                    kind = corpus.classify(entry, route, outcome, folder)
                table[entry.group]["tried"] += 1
                table[entry.group][kind] += 1
                print(f"{kind:8} {entry.id} ({route})", file=sys.stderr, flush=True)
    return table


def measured_markdown(table: dict[str, Counter[str]]) -> str:
    """The measured figures as a Markdown table, a row per group and the total."""
    lines = ["| group | " + " | ".join(COLUMNS) + " |", "|---" * (len(COLUMNS) + 1) + "|"]
    total: Counter[str] = Counter()
    for group, counts in table.items():
        total.update(counts)
        lines.append(f"| {group} | " + " | ".join(str(counts[c]) for c in COLUMNS) + " |")
    lines.append("| **all** | " + " | ".join(f"**{total[c]}**" for c in COLUMNS) + " |")
    return "\n".join(lines) + "\n"


def expected_markdown() -> str:
    """The corpus as the tests hold it: per group, the entries and the routes tried, those
    answered as documented, and the known failures by the part of issue 19 that fixes them
    (strict xfails: a test fails when one of these figures stops being true)."""
    entries = corpus.load()
    parts = [p for p in corpus.PARTS if any(p == e.part(r) for e in entries for r in e.routes)]
    head = ["group", "entries", "routes tried", "answered as documented", *parts]
    lines = ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    rows: list[list[int]] = []
    for group in corpus.GROUPS:
        mine = [e for e in entries if e.group == group]
        pairs = [(e, r) for e in mine for r in e.routes]
        failing = Counter(e.part(r) for e, r in pairs if e.part(r))
        row = [len(mine), len(pairs), len(pairs) - sum(failing.values())]
        row += [failing[p] for p in parts]
        rows.append(row)
        lines.append(f"| {group} | " + " | ".join(map(str, row)) + " |")
    total = [sum(col) for col in zip(*rows, strict=True)]
    lines.append("| **all** | " + " | ".join(f"**{t}**" for t in total) + " |")
    return "\n".join(lines) + "\n"


def _replace(text: str, name: str, block: str) -> str:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    before, rest = text.split(start)
    _, after = rest.split(end)
    return f"{before}{start}\n{block}{end}{after}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bad_inputs.figures", description=__doc__)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per input")
    parser.add_argument("--group", action="append", choices=corpus.GROUPS)
    parser.add_argument("--write-docs", action="store_true", help="rewrite docs/reliability.md")
    args = parser.parse_args(argv)
    table = measure(args.timeout, tuple(args.group or corpus.GROUPS))
    measured = measured_markdown(table)
    print(measured, end="")
    if args.write_docs:
        text = DOCS.read_text("utf-8")
        text = _replace(text, "figures", expected_markdown())
        if not args.group:
            text = _replace(text, "measured", measured)
        DOCS.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
