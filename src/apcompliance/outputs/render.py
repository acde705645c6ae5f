"""Plain-text rendering of assessments and the rule catalogue, for the command line."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

from apcompliance.calendar.clock import day, deadline_text
from apcompliance.calendar.school_calendar import SchoolCalendar
from apcompliance.language.rulebook import RuleBook
from apcompliance.outputs.coverage import COVERAGES, CoverageReport
from apcompliance.results.assessment import ADVISORY_KINDS, Assessment
from apcompliance.results.findings import Finding
from apcompliance.results.selection import DUE_WITHIN, FilterError, FindingFilter, tally

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


def finding_block(f: Finding, *, words: bool = True) -> str:
    """One finding: status, clause, deadline and subject; who must do what; what it waits
    for, what met it, the school days not covered; and (with `words`) the clause's words,
    else just the rule id."""
    subject = f"{f.subject}, {f.period}" if f.period else f.subject
    clause = f"[law] {f.clause}" if f.tier == "statutory" else f.clause
    due = deadline_text(f.due) if f.due or f.status != "undetermined" else "cannot be dated"
    head = f"  {f.status.upper():<10} {clause:<8} due {due:<24} {subject}"
    action = f"{f.duty_holder}: {f.action}" + ("" if words else f"  [{f.rule_id}]")
    lines = [head, _wrap(action, " " * 13)]
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
    if not words:
        return "\n".join(lines)
    if f.kind in ADVISORY_NOTES:
        lines.append(_wrap(ADVISORY_NOTES[f.kind], " " * 13))
    if f.tier == "statutory":
        lines.append(_wrap(f"the law: “{f.says}”  [{f.rule_id}]", " " * 13))
    else:
        lines.append(_wrap(f"“{f.says}”  [{f.rule_id}]", " " * 13))
    return "\n".join(lines)


def _group(title: str, findings: Iterable[Finding], *, words: bool = True) -> list[str]:
    items = list(findings)
    if not items:
        return []
    return [f"{title} ({len(items)})", *(finding_block(f, words=words) for f in items), ""]


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {what}" for what, n in counts.items())


def summary_lines(a: Assessment, calendar: SchoolCalendar | None = None) -> list[str]:
    """The report's opening: the case and date, then the counts of `selection.tally`
    (violations, due within five school days, information needed, met; then the others)."""
    t = tally(a, calendar)
    due = f"{t.due} due within {DUE_WITHIN} school days, " if t.due is not None else ""
    lines = [
        f"Case {a.case_id} as of {day(a.as_of)} on {a.calendar}",
        f"{t.violations} violation(s), {due}{t.information_needed} information needed, {t.met} met",
    ]
    if t.others:
        lines.append(f"also: {_counts(t.others)}")
    law = [f for f in a.findings if f.tier == "statutory"]
    if law:
        law_violations = sum(f.is_violation for f in law)
        lines.append(
            f"the law beside the policy: {law_violations} of the violation(s), "
            f"{len(law) - law_violations} other finding(s)"
        )
    return lines


def _complete(a: Assessment, findings: Sequence[Finding]) -> list[str]:
    """`findings` (of `a`) in groups: the policy's violations, open duties, met ones,
    advisories; then the law's (the statutory tier)."""
    policy = [f for f in findings if f.tier == "policy"]
    law = [f for f in findings if f.tier == "statutory"]
    duties = [f for f in policy if f.kind in ("obligation", "requirement")]
    lines = _group("VIOLATIONS", [f for f in duties if f.is_violation])
    lines += _group("OUTSTANDING", [f for f in duties if f.status != "met" and not f.is_violation])
    lines += _group("MET", [f for f in duties if f.status == "met" and not f.is_violation])
    lines += _group("ADVISORIES AND PERMISSIONS", [f for f in policy if f.kind in ADVISORY_KINDS])
    school = a.readings.get("school_type", {}).get("value", "academy")
    lines += _group(f"THE LAW: STATUTORY DUTIES ({school} school)", law)
    return lines


def assessment_text(
    a: Assessment,
    *,
    selection: FindingFilter | None = None,
    complete: bool = False,
    calendar: SchoolCalendar | None = None,
) -> str:
    """The assessment as a report, opening with its summary (`summary_lines`).

    By default, what matters first: the violations, then the duties due within five school
    days, each without the clause's words, and a last line counting the findings left out.
    With `selection`, the findings it selects (`FindingFilter.select`) in full, grouped as
    below. With `complete`, every finding in full: the policy's violations, open duties, met
    ones, advisories, then the law's. `calendar` counts the school days; without it, the
    calendar the assessment's trace keeps."""
    if selection is not None and selection.is_empty:
        selection = None
    lines = [*summary_lines(a, calendar), ""]
    if complete or selection is not None:
        shown = (
            a.findings if complete or selection is None else selection.select(a, calendar=calendar)
        )
        if not complete and selection is not None:
            lines += [f"SELECTED: {selection.describe()} ({len(shown)} of {len(a.findings)})", ""]
        lines += _complete(a, shown)
    else:
        violations = list(a.violations)
        try:
            due = FindingFilter(only="due").select(a, calendar=calendar)
            title = f"DUE WITHIN {DUE_WITHIN} SCHOOL DAYS"
        except FilterError:  # no calendar to count school days: every open duty
            due = FindingFilter(only="open").select(a)
            title = "OPEN"
        lines += _group("VIOLATIONS", violations, words=False)
        lines += _group(title, due, words=False)
        shown = (*violations, *due)
    changed = [k for k, v in a.readings.items() if v["value"] != v["default"]]
    if changed:
        lines.append("Readings changed from the defaults: " + ", ".join(changed))
    rest = len(a.findings) - len(shown)
    if selection is not None and rest:
        lines.append(f"{rest} more finding(s) not selected: --all shows every finding")
    elif not complete and rest:
        needs = sum(f.status == "information_needed" for f in a.findings)
        hint = f" (--only needs-info: the {needs} information needed)" if needs else ""
        lines.append(f"{rest} more finding(s) not shown{hint}: --all shows every finding in full")
    elif not complete:
        lines.append("--all shows every finding in full, with the clause's words")
    return "\n".join(lines).rstrip() + "\n"


def assessment_json(
    a: Assessment, selection: FindingFilter | None = None, calendar: SchoolCalendar | None = None
) -> str:
    """The assessment as JSON (`Assessment.to_json`): every finding, or those `selection`
    selects."""
    return (selection.apply(a, calendar=calendar) if selection is not None else a).to_json()


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
