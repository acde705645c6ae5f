"""The policy handbook: the policy's text section by section, each clause followed by the rules
that implement it (Catala-style), generated from the policy index and the rule book.

`apcompliance handbook --tests tests > docs/handbook.md` regenerates docs/handbook.md; a test
fails when the committed file is stale.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from apcompliance.evaluation.deadlines import switched_by
from apcompliance.language.rulebook import (
    CADENCES,
    GRADED_KINDS,
    Deadline,
    PolicyQuote,
    Rule,
    RuleBook,
)
from apcompliance.outputs.coverage import COVERAGES, coverage_report
from apcompliance.policy.document import Policy, load_policy, normalise_space
from apcompliance.policy.settings import PolicySettings


def _field(ref: str | None) -> str:
    return f"`{ref}`" if ref else "?"


def deadline_words(due: Deadline | None) -> str:
    """A deadline expression in words."""
    if due is None:
        return "no deadline"
    if due.nth_school_day is not None:
        n = due.nth_school_day
        count = f"`{n}` (switch)" if isinstance(n, str) else str(n)
        return f"school day {count} counting from {_field(due.of)}"
    if due.school_days_before is not None:
        clear = " (clear days: switch)" if isinstance(due.clear_days, str) else ""
        return f"{due.school_days_before} school days before {_field(due.of)}{clear}"
    floor = f", not before {_field(due.not_before)}" if due.not_before else ""
    if due.hours_before is not None:
        return f"{due.hours_before} hours before {_field(due.of)}{floor}"
    if due.at is not None:
        return f"on {_field(due.at)}{floor}"
    if due.before is not None:
        return f"before the pupil first attends on {_field(due.before)}"
    if due.every is not None:
        every = due.every if due.every in CADENCES else f"`{due.every}` (switch)"
        return f"each {every} from {_field(due.from_)}"
    if due.every_weeks is not None:
        return f"every {due.every_weeks} weeks from {_field(due.from_)}"
    sessions = f" or {due.or_every_sessions} sessions" if due.or_every_sessions else ""
    return f"every {due.every_months} month(s){sessions} from {_field(due.from_)}"


def switches_of(rule: Rule) -> list[str]:
    """The interpretation switches a rule's deadline (or, `where_possible`, its kind) depends
    on."""
    out: set[str] = {"where_possible_means"} if rule.where_possible else set()
    for due in (rule.due, rule.except_.due if rule.except_ else None):
        if due is None:
            continue
        for name in (due.nth_school_day, due.clear_days, due.every):
            if isinstance(name, str) and name in PolicySettings.model_fields:
                out.add(name)
        if due.every_months is not None:
            out.add("month_means")
        if due.before is not None and rule.kind in GRADED_KINDS:
            out.add("same_day_before_attendance")
        out |= switched_by(due)
    return sorted(out)


def _strings(node: ast.AST, constants: dict[str, set[str]]) -> set[str]:
    """String literals in a node, and those of the module-level names it refers to."""
    found: set[str] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            found.add(sub.value)
        elif isinstance(sub, ast.Name) and sub.id in constants:
            found |= constants[sub.id]
    return found


def tests_by_rule(tests_dir: Path, rule_ids: Iterable[str]) -> dict[str, list[str]]:
    """For each rule id, the test functions that name it (directly or through a module-level
    constant), as `file::function`."""
    wanted = set(rule_ids)
    out: dict[str, set[str]] = defaultdict(set)
    for path in sorted(tests_dir.glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants: dict[str, set[str]] = {}
        for node in tree.body:
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                values = _strings(node.value, constants)
                for target in targets:
                    if isinstance(target, ast.Name):
                        constants[target.id] = values
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                for rule_id in _strings(node, constants) & wanted:
                    out[rule_id].add(f"{path.name}::{node.name}")
    return {k: sorted(v) for k, v in out.items()}


def _cell(text: str) -> str:
    return normalise_space(text).replace("|", "\\|")


def handbook_markdown(
    book: RuleBook, policy: Policy | None = None, tests_dir: Path | None = None
) -> str:
    """The handbook as Markdown."""
    policy = policy or load_policy()
    tests = tests_by_rule(tests_dir, (r.id for r in book.rules)) if tests_dir else {}
    report = coverage_report(book, policy)
    own: dict[str, list[Rule]] = defaultdict(list)
    cited: dict[str, list[str]] = defaultdict(list)
    law: list[Rule] = []
    for rule in book.rules:
        if rule.clause is None:
            law.append(rule)  # a statutory rule: listed after the policy's sections
            continue
        own[rule.clause].append(rule)
        for c in rule.also_cites:
            if isinstance(c, PolicyQuote) and c.clause != rule.clause:
                cited[c.clause].append(rule.id)
    reasons = defaultdict(list)
    for n in book.not_checkable:
        reasons[n.clause].append(n)
    total = report.counts()
    lines = [
        "# The policy handbook",
        "",
        "Generated by `apcompliance handbook --tests tests > docs/handbook.md`; do not edit by",
        "hand (a test fails when it is stale). Each clause of the policy, in its own words, is",
        "followed by the rules that implement it: id, kind, duty holder, deadline, the",
        "interpretation switches that touch it and the tests that exercise it; or by the reason",
        "it is not machine-checkable.",
        "",
        "Normative sentences: "
        + ", ".join(f"{total[c]} {c}" for c in COVERAGES)
        + " (`apcompliance coverage`).",
        "",
    ]
    for section in policy.sections.values():
        lines += [f"## {section.letter}. {section.title}", ""]
        for clause_id in section.clause_ids:
            clause = policy.clause(clause_id)
            lines += [f"### {clause_id}", "", f"> {clause.text}", ""]
            rules = own.get(clause_id, [])
            if rules:
                lines += [
                    "| rule | kind | duty holder | deadline | switches | tests |",
                    "| --- | --- | --- | --- | --- | --- |",
                ]
                for r in rules:
                    switches = ", ".join(f"`{s}`" for s in switches_of(r)) or "-"
                    ran = "<br>".join(tests.get(r.id, [])) or "-"
                    lines.append(
                        f"| `{r.id}` | {r.kind} | {r.duty_holder} | "
                        f"{_cell(deadline_words(r.due))} | {switches} | {ran} |"
                    )
                lines.append("")
            if cited.get(clause_id):
                names = ", ".join(f"`{i}`" for i in sorted(set(cited[clause_id])))
                lines += [f"Also cited by: {names}.", ""]
            for n in reasons.get(clause_id, []):
                lines += [
                    f"*Not machine-checkable:* “{_cell(n.says)}” — {_cell(n.reason)}",
                    "",
                ]
    if law:
        lines += _law_section(law, tests)
    return "\n".join(lines).rstrip() + "\n"


def _law_section(rules: list[Rule], tests: dict[str, list[str]]) -> list[str]:
    """The statutory rules (tier statutory): the law beside the policy, on by default."""
    lines = [
        "## The law beside the policy",
        "",
        "Statutory duties that bind the Trust's schools whatever the policy says: assessed by",
        "default as their own tier of findings (`tier: statutory`), turned off by",
        "`PolicySettings(policy_only=True)` or `--policy-only`. Each cites the provision for the",
        "school type (`school_type`), in the law's own words (`data/statutes.yaml`).",
        "",
    ]
    for r in rules:
        assert r.law is not None
        lines += [f"### `{r.id}`", ""]
        for school_type in ("academy", "maintained"):
            cite, says = r.cited(school_type)
            lines += [f"> {cite} ({school_type} schools): {_cell(says)}", ">"]
        lines[-1] = ""
        switches = ", ".join(f"`{s}`" for s in switches_of(r)) or "-"
        ran = "<br>".join(tests.get(r.id, [])) or "-"
        lines += [
            "| kind | duty holder | deadline | switches | tests |",
            "| --- | --- | --- | --- | --- |",
            f"| {r.kind} | {r.duty_holder} | {_cell(deadline_words(r.due))} | {switches} | {ran} |",
            "",
        ]
    return lines
