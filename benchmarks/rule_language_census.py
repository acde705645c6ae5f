"""A census of the rule language: where the rules still lean on Python, and how they are written.

    .venv/bin/python -m benchmarks.rule_language_census            # the report
    .venv/bin/python -m benchmarks.rule_language_census --check    # exit 1 unless the goals hold

It counts, over `rules/*.yaml` and `rules/gaps/*.yaml`:

(a) every test in a rule condition (`when`, `unless`, `except.when`, `met_by.where`) that reads
    a true/false field of an engine fact which derive computes rather than copies from the case.
    Fields are found by their `Derivation` mark (facts/_base.py; `EngineFact.derived_fields()`:
    set by the generator on `gives_<field>` and per-choice flags, declared on the derived fields
    in facts/derived.py and on the aggregates in facts/vocabulary.py; never a hand list), by
    kind: `decision` (Python deciding what a clause means), `aggregate` (computed over other
    facts, the calendar or the evaluation date; the goal for both is none: existence tests
    and `{ref: as_of}` say these in the rules) and `presence` (whether the case records a
    value: a recorded fact, not a decision). Tests inside the definitions of named terms are
    counted separately, once per definition; an existence test's own tests are counted with
    the condition they are written in.
(b) YAML anchors (`&name`) and aliases (`*name`) in the rule files, by the key they stand for.
(c) empty conditions: a fact in `when`, `unless` or `except.when` with no test at all
    (`exclusion: {}`), and an explicit `met_by.where: {}`.

The `--check` exit status makes the goals testable: no `decision` or `aggregate` test in (a),
no anchor or alias inside a rule condition in (b) (the condition is written out where it
applies), none in (c).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from apcompliance.facts._base import Derivation
from apcompliance.facts.vocabulary import FACT_TYPES
from apcompliance.language.conditions import (
    Compare,
    Condition,
    Exists,
    Field,
    Recorded,
    Term,
    children,
    existence_tests,
)
from apcompliance.language.parse import Parser, field_type
from apcompliance.language.rulebook import MET_BY_ALIAS, load_rulebook

PARTS = ("when", "unless", "except", "met_by")
RULE_KEYS = ("when", "unless", "except", "met_by", "due", "says", "note", "also_cites")


@dataclass(frozen=True)
class Reading:
    """One test that reads a derived true/false field."""

    where: str
    """`rule I.7-work-set when` or `term final_year_exemption`."""
    fact: str
    field: str
    mark: Derivation


def _direct_tests(node: Condition) -> Iterator[Compare | Recorded]:
    """The tests written in a condition itself (an existence test's own tests included), not
    inside a named term's definition."""
    if isinstance(node, (Compare, Recorded)):
        yield node
    if isinstance(node, Term):
        return
    for child in (*children(node), *(node.tests if isinstance(node, Exists) else ())):
        yield from _direct_tests(child)


def _fields(test: Compare | Recorded) -> Iterator[Field]:
    if isinstance(test, Recorded):
        yield test.subject
    else:
        yield from (side for side in (test.left, test.right) if isinstance(side, Field))


def _readings(where: str, node: Condition, types: dict[str, str]) -> Iterator[Reading]:
    types = types | {e.alias: e.fact_type for e in existence_tests(node)}  # their candidates
    for test in _direct_tests(node):
        for f in _fields(test):
            fact = FACT_TYPES[types[f.alias]]
            mark = fact.derived_fields().get(f.name)
            typed = field_type(fact, f.name)
            if mark is not None and typed is not None and typed.name == "bool":
                yield Reading(where, fact.type_name, f.name, mark)


def derived_readings() -> tuple[list[Reading], list[Reading]]:
    """(a): readings in rule conditions, and in terms' definitions."""
    book = load_rulebook(gaps=True)
    in_rules: list[Reading] = []
    for rule in book.rules:
        conditions = book.conditions(rule.id)
        types = {p.alias: p.fact_type for p in conditions.patterns}
        parts: list[tuple[str, Condition]] = [
            ("when", t) for p in conditions.patterns for t in p.tests
        ]
        if conditions.unless is not None:
            parts.append(("unless", conditions.unless))
        if conditions.exception is not None:
            parts.append(("except.when", conditions.exception))
        if conditions.met_by is not None:
            types[MET_BY_ALIAS] = conditions.met_by.fact_type
            parts += [("met_by.where", t) for t in conditions.met_by.tests]
        for part, node in parts:
            in_rules += _readings(f"rule {rule.id} {part}", node, types)
    in_terms: list[Reading] = []
    for (fact, name), definition in book.terms.items():
        if definition.is_value:
            continue
        parser = Parser({fact: fact}, book.terms)
        term = parser.term_test(fact, name, True, name)
        assert isinstance(term, Term)
        in_terms += _readings(f"term {name}", term.body, {fact: fact})
    return in_rules, in_terms


def _rule_files() -> list[tuple[str, str]]:
    root = resources.files("apcompliance.rules")
    out = []
    for folder, where in ((root, "rules"), (root / "gaps", "rules/gaps")):
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".yaml"):
                out.append((f"{where}/{entry.name}", entry.read_text(encoding="utf-8")))
    return out


def anchors(files: list[tuple[str, str]]) -> list[tuple[str, str, str, int]]:
    """(b): every anchor and alias: (file, `&name` or `*name`, the rule key it is under, line)."""
    out = []
    for file, text in files:
        frames: list[list[Any]] = []  # [is_mapping, key, expecting_key] per open collection
        for event in yaml.parse(text):
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frames.pop()
                _value_done(frames)
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            is_key = bool(frames) and frames[-1][0] and frames[-1][2]
            path = [f[1] for f in frames if f[0] and f[1] is not None]
            under = next((k for k in path if k in RULE_KEYS), path[-1] if path else "")
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent):
                out.append((file, f"*{event.anchor}", str(under), line))
            elif event.anchor is not None:
                out.append((file, f"&{event.anchor}", str(under), line))
            if is_key:
                frames[-1][1] = getattr(event, "value", None)
                frames[-1][2] = False
            elif isinstance(event, yaml.MappingStartEvent):
                frames.append([True, None, True])
            elif isinstance(event, yaml.SequenceStartEvent):
                frames.append([False, None, False])
            else:
                _value_done(frames)
    return out


def _value_done(frames: list[list[Any]]) -> None:
    if frames and frames[-1][0]:
        frames[-1][2] = True


def empty_conditions(files: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(c): (file, rule id, where) for every fact given no test at all."""
    out = []
    for file, text in files:
        data = yaml.safe_load(text) or {}
        for rule in data.get("rules") or ():
            parts = {
                "when": rule.get("when"),
                "unless": rule.get("unless"),
                "except.when": (rule.get("except") or {}).get("when"),
            }
            for part, body in parts.items():
                for alias, tests in (body or {}).items():
                    if isinstance(tests, dict) and not set(tests) - {"fact"}:
                        out.append((file, rule["id"], f"{part}.{alias}"))
            met_by = rule.get("met_by") or {}
            if "where" in met_by and not met_by["where"]:
                out.append((file, rule["id"], "met_by.where"))
    return out


def report(out: Any = sys.stdout) -> tuple[int, int, int]:
    """Print the census; return the number of `decision` and `aggregate` readings (booleans
    Python made, in rules and terms), of anchors and aliases inside rule conditions, and of
    empty conditions."""
    in_rules, in_terms = derived_readings()
    print("(a) rule conditions reading a true/false field derive computes", file=out)
    by_kind = Counter(r.mark.kind for r in in_rules)
    term_kinds = Counter(r.mark.kind for r in in_terms)
    for kind in ("decision", "aggregate", "presence"):
        print(
            f"    {kind:<9} {by_kind[kind]:>4} in rules, {term_kinds[kind]:>3} in terms' "
            "definitions",
            file=out,
        )
    for kind in ("decision", "aggregate"):
        for r in [*in_rules, *in_terms]:
            if r.mark.kind == kind:
                print(f"      {kind:<9} {r.where}: {r.fact}.{r.field}", file=out)
        reasons = {
            (r.fact, r.field): r.mark.why for r in [*in_rules, *in_terms] if r.mark.kind == kind
        }
        for (fact, field), why in sorted(reasons.items()):
            print(f"        why {fact}.{field}: {why}", file=out)
    presence = Counter(
        f"{r.fact}.{r.field}" for r in [*in_rules, *in_terms] if r.mark.kind == "presence"
    )
    print(f"    presence fields read ({len(presence)}): " + ", ".join(sorted(presence)), file=out)
    files = _rule_files()
    found = anchors(files)
    print(f"(b) YAML anchors and aliases in rules/: {len(found)}", file=out)
    for key, n in sorted(Counter(k for _, _, k, _ in found).items()):
        print(f"    under {key}: {n}", file=out)
    in_conditions = [(file, name, key, line) for file, name, key, line in found if key in PARTS]
    print(f"    inside rule conditions: {len(in_conditions)}", file=out)
    for file, name, key, line in in_conditions:
        print(f"      {file}:{line} {name} ({key})", file=out)
    empty = empty_conditions(files)
    print(f"(c) empty conditions: {len(empty)}", file=out)
    for file, rule_id, where in empty:
        print(f"    {file} {rule_id} {where}", file=out)
    made = sum(by_kind[k] + term_kinds[k] for k in ("decision", "aggregate"))
    return made, len(in_conditions), len(empty)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 unless the goals hold")
    args = parser.parse_args(argv)
    python_made, in_conditions, empty = report()
    return 1 if args.check and (python_made or in_conditions or empty) else 0


if __name__ == "__main__":
    sys.exit(main())
