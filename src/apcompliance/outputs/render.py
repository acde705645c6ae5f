"""Plain-text rendering of assessments and the rule catalogue, for the command line."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from apcompliance.calendar.clock import day, deadline_text
from apcompliance.language.rulebook import RuleBook
from apcompliance.outputs.coverage import COVERAGES, CoverageReport
from apcompliance.results.assessment import Assessment
from apcompliance.results.findings import Finding

WIDTH = 100
ADVISORY_NOTES = {
    "aim": "(an aim of the policy: an advisory, never a violation)",
    "recommendation": "(a recommendation of the policy: an advisory, never a violation)",
    "permission": "(a permission: for information)",
    "advisory": "(a remark on applying the policy to this case: for information)",
}


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(
        text, WIDTH, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
    )


def finding_block(f: Finding) -> str:
    subject = f"{f.subject}, {f.period}" if f.period else f.subject
    clause = f"[law] {f.clause}" if f.tier == "statutory" else f.clause
    due = deadline_text(f.due) if f.due or f.status != "undetermined" else "cannot be dated"
    head = f"  {f.status.upper():<10} {clause:<8} due {due:<24} {subject}"
    lines = [head, _wrap(f"{f.duty_holder}: {f.action}", " " * 13)]
    if f.status == "undetermined":  # the calendar's reason, naming the date
        lines += [_wrap(f"undetermined: {reason}", " " * 13) for reason in f.missing]
    elif f.status == "information_needed":  # the facts and fields the case does not give
        lines += [_wrap(f"needs: {what}", " " * 13) for what in f.missing]
    if f.met_by:
        lines.append(_wrap(f"done {deadline_text(f.met_on)} ({f.met_by})", " " * 13))
    if f.uncovered:
        days = "; ".join(
            day(r.first) if r.first == r.last else f"{day(r.first)} to {day(r.last)}"
            for r in f.uncovered
        )
        lines.append(_wrap(f"school days not covered: {days}", " " * 13))
    if f.kind in ADVISORY_NOTES:
        lines.append(_wrap(ADVISORY_NOTES[f.kind], " " * 13))
    if f.tier == "statutory":
        lines.append(_wrap(f"the law: “{f.says}”  [{f.rule_id}]", " " * 13))
    else:
        lines.append(_wrap(f"“{f.says}”  [{f.rule_id}]", " " * 13))
    return "\n".join(lines)


def _group(title: str, findings: Iterable[Finding]) -> list[str]:
    items = list(findings)
    if not items:
        return []
    return [f"{title} ({len(items)})", *(finding_block(f) for f in items), ""]


def assessment_text(a: Assessment) -> str:
    """The assessment as a report: the policy's findings (violations first, then open duties,
    met ones, advisories), then the law's (the statutory tier), each group on its own."""
    policy = [f for f in a.findings if f.tier == "policy"]
    law = [f for f in a.findings if f.tier == "statutory"]
    violations = [f for f in policy if f.is_violation]
    rest = [f for f in policy if f.kind in ("obligation", "requirement") and not f.is_violation]
    outstanding = [f for f in rest if f.status not in ("met",)]
    met = [f for f in rest if f.status == "met"]
    advisories = [f for f in policy if f in a.advisories]
    law_violations = [f for f in law if f.is_violation]
    lines = [
        f"Case {a.case_id} as of {day(a.as_of)} on {a.calendar}",
        f"{len(violations)} violation(s), {len(outstanding)} outstanding, {len(met)} met, "
        f"{len(advisories)} advisory/permission",
    ]
    if law:
        lines.append(
            f"the law beside the policy: {len(law_violations)} violation(s), "
            f"{len(law) - len(law_violations)} other finding(s)"
        )
    lines.append("")
    lines += _group("VIOLATIONS", violations)
    lines += _group("OUTSTANDING", outstanding)
    lines += _group("MET", met)
    lines += _group("ADVISORIES AND PERMISSIONS", advisories)
    school = a.readings.get("school_type", {}).get("value", "academy")
    lines += _group(f"THE LAW: STATUTORY DUTIES ({school} school)", law)
    changed = [k for k, v in a.readings.items() if v["value"] != v["default"]]
    if changed:
        lines.append("Readings changed from the defaults: " + ", ".join(changed))
    return "\n".join(lines).rstrip() + "\n"


def coverage_text(report: CoverageReport, *, sentences: bool = False) -> str:
    """Normative sentences per section: implemented, advisory, not machine-checkable, uncovered."""
    head = f"{'section':<9}" + "".join(f"{c:>24}" for c in COVERAGES)
    lines = [head]
    letters = sorted({s.clause.split(".")[0] for s in report.sentences})
    for letter in letters:
        counts = report.counts(letter)
        lines.append(f"{letter:<9}" + "".join(f"{counts[c]:>24}" for c in COVERAGES))
    total = report.counts()
    lines.append(f"{'total':<9}" + "".join(f"{total[c]:>24}" for c in COVERAGES))
    shown = report.sentences if sentences else report.uncovered
    if shown:
        lines.append("")
    for s in shown:
        lines.append(f"  {s.coverage.upper():<22} {s.clause:<8} {', '.join(s.rules) or '-'}")
        lines.append(_wrap(f"“{s.text}”", " " * 4))
    return "\n".join(lines) + "\n"


def catalogue_text(book: RuleBook) -> str:
    """Every rule: id, clause, kind, duty holder and the quoted words."""
    lines = []
    for name, rule_file in book.files:
        lines.append(f"Section {rule_file.section}: {rule_file.title}  ({name})")
        for r in rule_file.rules:
            lines.append(f"  {r.id:<40} {r.label:<8} {r.kind:<14} {r.duty_holder}")
            if r.law is not None:
                for school_type in ("academy", "maintained"):
                    cite, says = r.cited(school_type)
                    lines.append(_wrap(f"the law ({school_type}, {cite}): “{says}”", " " * 4))
            else:
                lines.append(_wrap(f"“{' '.join(r.cited()[1].split())}”", " " * 4))
        for n in rule_file.not_checkable:
            lines.append(f"  not machine-checkable   {n.clause:<8} “{' '.join(n.says.split())}”")
            lines.append(_wrap(f"why: {' '.join(n.reason.split())}", " " * 4))
        lines.append("")
    return "\n".join(lines)
