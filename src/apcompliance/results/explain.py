"""Explanations in plain English, `why_not`, and the HTML views of findings and assessments.

`explain_finding` says which facts made a rule apply, how its deadline was counted, the
interpretation switches it depends on, what met it, its status and the clause's words.
`why_not` re-checks one rule's conditions against the derived facts an assessment keeps in its
trace (`data.Trace`): nothing here runs the engine. The check mirrors the compiled tests
(compiler.py): a field a fact does not have (None, or a list, which the engine never sees)
fails every test but `exists: false`, and `unless` is negated test by test, as the engine does.

Nothing here prints, and nothing names a pupil: findings and derived facts hold none.
"""

from __future__ import annotations

import difflib
import functools
import html
import itertools
import re
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from pydantic_core import to_jsonable_python

from apcompliance.calendar.clock import day, deadline_text, moment
from apcompliance.calendar.school_calendar import SchoolCalendar
from apcompliance.errors import ApComplianceError, UnknownRuleError
from apcompliance.facts.vocabulary import FACT_TYPES, EngineFact
from apcompliance.language import words
from apcompliance.language.conditions import (
    Compare,
    Condition,
    Const,
    Field,
    Not,
    RuleConditions,
    aliases_read,
    fields_read,
)
from apcompliance.language.rulebook import REF, Rule, RuleBook, load_rulebook
from apcompliance.language.semantics import Context, by_type, evaluate
from apcompliance.policy.settings import PolicySettings
from apcompliance.results.data import (
    BEFORE_ATTENDING,
    PERIOD_STEP,
    AssessmentData,
    Citation,
    FindingData,
)
from apcompliance.results.html import timeline_html
from apcompliance.results.timeline import timeline_of
from apcompliance.results.tones import TONES, tone
from apcompliance.results.trace import traced_book, traced_calendar, traced_facts

__all__ = [
    "UnknownRuleError",
    "assessment_html",
    "explain_assessment",
    "explain_finding",
    "finding_html",
    "rule_for",
    "why_not",
]

Assessment = AssessmentData[Any]
"""An assessment as the functions here read it: its data (`assessment.Assessment` adds the
methods that call them)."""

WIDTH = 100
MAX_LISTED = 12
"""At most this many facts of one type are listed one by one in `why_not`."""
MAX_COMBINATIONS = 200_000
"""`why_not` stops looking for a combination of facts that meets every condition after this many."""


# -- values ----------------------------------------------------------------------------------

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def show(value: Any) -> str:
    """A value as a reader would write it: dates as `Thu 16 Oct 2025`, true/false, lists."""
    if value is None:
        return "not recorded"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return moment(value)
    if isinstance(value, date):
        return day(value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(show(v) for v in value) if value else "none"
    if isinstance(value, str):
        try:
            if _ISO_TIME.match(value):
                return moment(datetime.fromisoformat(value))
            if _ISO_DAY.match(value):
                return day(date.fromisoformat(value))
        except ValueError:
            pass
    return str(value)


def _article(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


_HOLDERS = {
    "school": "the school",
    "headteacher": "the headteacher",
    "governing_board": "the governing board",
    "local_authority": "the local authority",
    "dsl": "the designated safeguarding lead (DSL)",
    "senco": "the SENCO",
    "ap_lead": "the AP lead",
    "attendance_lead": "the attendance lead",
    "provider": "the provider",
}


def duty_holder_words(holder: str) -> str:
    return _HOLDERS.get(holder, holder.replace("_", " "))


# -- conditions ------------------------------------------------------------------------------
# Conditions are evaluated by `language.semantics` and put in words by `language.words`; the
# functions here only bind them to this module's way of showing values.

Bound = Mapping[str, EngineFact]
Truth = bool | None
"""True, False, or None: unknown, or it depends on a fact not yet chosen."""


def describe(node: Condition, own: str | None = None) -> str:
    """A test in words: `school_days is more than 5`, `of kind off_site_direction`."""
    return words.describe(node, own, show)


def describe_all(nodes: Sequence[Condition], own: str | None = None) -> str:
    return " and ".join(describe(n, own) for n in nodes)


def truth(node: Condition, bound: Bound, ctx: Context) -> Truth:
    """Whether the test holds for the facts bound (None: unknown, or a fact it reads is not
    chosen yet)."""
    if not aliases_read(node) <= set(bound):
        return None
    return evaluate(node, bound, ctx).truth


def holds(nodes: Sequence[Condition], bound: Bound, ctx: Context) -> Truth:
    """Whether every test holds (Kleene's and)."""
    seen = [truth(n, bound, ctx) for n in nodes]
    if False in seen:
        return False
    return None if None in seen else True


def wanted(fact_type: str, nodes: Sequence[Condition], own: str, *, article: bool = True) -> str:
    """What a rule asks of one fact: `a placement of kind off_site_direction where …`."""
    kinds = [
        n
        for n in nodes
        if isinstance(n, Compare)
        and isinstance(n.left, Field)
        and n.left.name == "kind"
        and n.op == "eq"
        and isinstance(n.right, Const)
    ]
    rest = [n for n in nodes if n not in kinds[:1]]
    text = _article(fact_type) if article else fact_type
    if kinds:
        assert isinstance(kinds[0], Compare) and isinstance(kinds[0].right, Const)
        text += f" of kind {show(kinds[0].right.value)}"
    if rest:
        text += " where " + describe_all(rest, own)
    return text


def failures(nodes: Sequence[Condition], own: str, bound: Bound, ctx: Context) -> list[str]:
    """Each test the facts fail, in words, with what they have instead."""
    return [
        f"{describe(n, own)} ({words.actual(n, own, bound, ctx, show)})"
        for n in nodes
        if truth(n, bound, ctx) is False
    ]


# -- a finding in words ----------------------------------------------------------------------

_STATUS_WORDS = {
    "met": "met: done on or before the deadline",
    "scheduled": "scheduled: arranged for a date on or before the deadline, still to come",
    "pending": "pending: not done yet, and the deadline is still to come",
    "due_today": "due today: not done yet, and the deadline is the evaluation date",
    "overdue": "overdue: the deadline has passed and it has not been done",
    "late": "late: done, but after the deadline",
    "breached": "breached: a requirement of the policy is broken",
    "open": "open: the clause sets no deadline, and it has not been done yet",
    "missed": "missed: an aim or recommendation not followed (an advisory, never a violation)",
    "permitted": "permitted: something the policy allows, reported for information",
    "flagged": "flagged: a remark on applying the policy to this case, for information",
}
_KIND_WORDS = {
    "obligation": "an obligation, to be met by a deadline",
    "requirement": "a requirement, broken as soon as it applies",
    "aim": "an aim of the policy (never a violation)",
    "recommendation": "a recommendation of the policy (never a violation)",
    "permission": "a permission, for information",
    "advisory": "a remark on applying the policy to this case, for information",
}


def status_words(f: FindingData) -> str:
    """The finding's status in a sentence, with its dates."""
    due = deadline_text(f.due)
    done = deadline_text(f.met_on) if f.met_on is not None else None
    gap = deadline_text(f.uncovered[0].first) if f.uncovered else None
    if gap and f.status == "breached":
        text = f"breached: not kept on {gap}, the first school day of the period not covered"
    elif gap and f.status == "at_risk" and _began(f):
        text = f"at risk: what is arranged does not cover {gap}, a school day still to come"
    elif gap and f.status == "due_today" and _began(f):
        text = f"due today: nothing covers today, {gap}, a school day of the period"
    elif _before_attending(f) and f.status in ("overdue", "missed", "late", "met", "pending"):
        text = _before_words(f, due, done)
    elif f.status == "at_risk":
        text = (
            f"at risk: only arranged for {done}, after the deadline of {due}, which is still "
            "to come"
            if done
            else f"at risk: the requirement will be broken on {due} unless the facts change"
        )
    elif f.status == "late" and done:
        text = f"late: done on {done}, after the deadline of {due}"
    elif f.status == "met" and done:
        text = f"met: done on {done}" + (f", by the deadline of {due}" if f.due else "")
    elif f.status == "scheduled" and done:
        text = f"scheduled: arranged for {done}, by the deadline of {due}"
    elif f.status in ("pending", "overdue", "due_today", "missed") and f.due is not None:
        text = f"{_STATUS_WORDS[f.status]} ({due})"
    else:
        text = _STATUS_WORDS.get(f.status, f.status)
    if f.is_violation:
        text += ". This is a violation"
    return text + "."


def _before_attending(f: FindingData) -> bool:
    """A duty to be done before the pupil first attends (`due: {before: …}`)."""
    return any(s.startswith("due: " + BEFORE_ATTENDING) for s in f.explanation.steps)


def _before_words(f: FindingData, due: str, done: str | None) -> str:
    """The status of a duty to be done before the pupil first attends on `due`."""
    first = f"the pupil first attended on {due}"
    advisory = " (an advisory, never a violation)" if f.status == "missed" else ""
    if f.status == "met" and done:
        return f"met: done on {done}, before {first}"
    if f.status in ("late", "missed") and done:
        return f"{f.status}: done on {done}, not before {first}{advisory}"
    if f.status == "pending":
        return f"pending: to be done before the pupil first attends on {due}"
    return f"{f.status}: not done before {first}{advisory}"


def _began(f: FindingData) -> bool:
    """A duty over a period that provision began in time, with a later school day uncovered."""
    return any(s.startswith("began: ") for s in f.explanation.steps)


def _wrap(text: str, indent: str = "", hang: str | None = None) -> str:
    return textwrap.fill(
        text,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=indent + "  " if hang is None else hang,
        break_on_hyphens=False,
        break_long_words=False,
    )


def _as_fact(fact_type: str, view: Mapping[str, Any]) -> EngineFact | None:
    """A matched fact rebuilt from a finding's explanation (for checking its tests)."""
    model = FACT_TYPES.get(fact_type)
    if model is None:
        return None
    try:
        return model.model_validate({name: view.get(name) for name in model.model_fields})
    except ValidationError:
        return None


def _name(fact_type: str, fact_id: object) -> str:
    """`placement PL-1`; the one pupil of a case is `the pupil`."""
    return "the pupil" if fact_type == "pupil" else f"{fact_type} {fact_id}"


def _fact_line(fact_type: str, view: Mapping[str, Any]) -> str:
    fields = ", ".join(f"{k} {show(v)}" for k, v in view.items() if k != "id")
    return f"{_name(fact_type, view.get('id', '?'))}: {fields}"


def _conditions(rule: Rule | None) -> RuleConditions | None:
    try:
        return rule.conditions if rule is not None else None
    except ValueError:
        return None


def _why_it_applies(f: FindingData, rule: Rule | None, ctx: Context) -> list[str]:
    facts = f.explanation.facts
    conditions = _conditions(rule)
    if conditions is None or not set(conditions.aliases) <= set(facts):
        lines = ["The facts it matched:"]
        lines += [_wrap(_fact_line(alias, view), "  - ", "    ") for alias, view in facts.items()]
        return lines
    bound: dict[str, EngineFact] = {}
    for pattern in conditions.patterns:
        rebuilt = _as_fact(pattern.fact_type, facts[pattern.alias])
        if rebuilt is None:
            return _why_it_applies(f, None, ctx)
        bound[pattern.alias] = rebuilt
    lines = ["Why the rule applies:"]
    for pattern in conditions.patterns:
        fact = bound[pattern.alias]
        tests = "; ".join(
            words.held(n, pattern.alias, bound, ctx, show)
            if truth(n, bound, ctx) is not False
            else describe(n, pattern.alias)
            for n in pattern.tests
        )
        lines.append(
            _wrap(
                f"{_name(pattern.fact_type, fact.id)}: {tests or f'any {pattern.fact_type}'}",
                "  - ",
                "    ",
            )
        )
    if conditions.unless is not None:
        read = aliases_read(conditions.unless)
        own = next(iter(read)) if len(read) == 1 else None
        here = " and ".join(
            f"{field.name if field.alias == own else field} is "
            f"{show(getattr(bound[field.alias], field.name, None))}"
            for field in dict.fromkeys(fields_read(conditions.unless))
        )
        lines.append(
            _wrap(
                f"and its exception (unless {describe(conditions.unless, own)}) does not apply: "
                f"here {here}",
                "  - ",
                "    ",
            )
        )
    if f.missing:
        lines.append("What the case does not record, and the finding waits for:")
        lines += [_wrap(m, "  - ", "    ") for m in f.missing]
    return lines


def _met_by_fact(f: FindingData, rule: Rule | None) -> str:
    if rule is not None and rule.met_by is not None:
        return f"{rule.met_by.fact} {f.met_by}"
    for step in f.explanation.steps:  # "done late: placement PL-1 (Mon 3 Nov 2025)"
        head, _, rest = step.partition(": ")
        if head in ("done", "done late", "began") and f" {f.met_by} (" in f" {rest}":
            return rest.rsplit(" (", 1)[0]
    return str(f.met_by)


def _resolve_in(f: FindingData, ref: str) -> Any:
    """`alias.field` read from the matched facts."""
    m = REF.match(ref)
    if m is not None:
        alias, field = m.groups()
        return f.explanation.facts.get(alias, {}).get(field, ref)
    return ref


def _what_met_it(f: FindingData, rule: Rule | None) -> str:
    if f.met_by is not None:
        what = _met_by_fact(f, rule)
        when = deadline_text(f.met_on)
        if _began(f):
            return (
                f"Provision began with {what}, on {when}, but not every school day of the "
                "period is covered."
            )
        if f.status == "late":
            return f"What met it: {what}, on {when}, after the deadline."
        if f.status == "scheduled":
            return f"What meets it: {what}, arranged for {when}, still to come."
        if f.status == "at_risk":
            return f"What was arranged: {what}, for {when}, after the deadline."
        return f"What met it: {what}, on {when}."
    if f.kind in ("permission", "advisory", "requirement"):
        return ""
    conditions = _conditions(rule)
    if rule is not None and rule.met_by is not None and conditions is not None:
        m = rule.met_by
        tests = conditions.met_by.tests if conditions.met_by is not None else ()
        where = describe_all(tests, conditions.met_by.alias if conditions.met_by else None)
        for alias in conditions.aliases:  # name the matched facts' values, not their aliases
            for field, value in f.explanation.facts.get(alias, {}).items():
                where = where.replace(f"must match {alias}.{field}", f"is {show(value)}")
        needs = _article(m.fact) + (f" where {where}" if where else "")
        floor = f", on or after {show(_resolve_in(f, m.on_or_after))}" if m.on_or_after else ""
        period = conditions.met_by.period if conditions.met_by is not None else None
        if period is not None:
            return (
                f"Nothing in the case meets it yet: it would be met by {needs}, "
                f"{words.describe_period(period, show)}."
            )
        return (
            f"Nothing in the case meets it yet: it would be met by {needs}, dated by its "
            f"{m.dated}{floor}."
        )
    return "Nothing in the case meets it yet."


def _switch_line(name: str, value: Any) -> str:
    field = PolicySettings.model_fields.get(name)
    if field is None:
        return f"{name} = {show(value)}"
    default = to_jsonable_python(field.default)  # as the finding keeps the value
    default = "the default" if value == default else f"default {show(default)}"
    return f"{name} = {show(value)} ({default}): {field.description}"


def _cite_text(c: Citation) -> str:
    if c.statute:
        return f"{c.statute} ({c.url})" if c.url else c.statute
    return f"{c.clause}: “{c.says}”"


def explain_finding(
    f: FindingData,
    rule: Rule | None = None,
    calendar: SchoolCalendar | None = None,
    *,
    facts: Sequence[EngineFact] | None = None,
    as_of: date | None = None,
) -> str:
    """The finding in plain English. With its rule (`rule_for`), the values that made each of
    the rule's tests hold; without, every field of the facts matched. The case's `facts` (from
    the trace) let it name what an existence test found, and `as_of` the evaluation date."""
    subject = f"{f.subject}, {f.period}" if f.period else f.subject
    lines = [
        f"{f.rule_id}: {f.status.upper().replace('_', ' ')} — {subject}",
        _wrap(
            f"The law, {f.clause}, says: “{f.says}”"
            if f.tier == "statutory"
            else f"Clause {f.clause} says: “{f.says}”"
        ),
        _wrap(
            f"What the {'law' if f.tier == 'statutory' else 'policy'} asks: "
            f"{duty_holder_words(f.duty_holder)} — {f.action} "
            f"({_KIND_WORDS.get(f.kind, f.kind)})."
        ),
    ]
    if f.tier == "statutory":
        lines.append(
            _wrap(
                "A statutory duty: it binds the school whatever the policy says (off with "
                "policy_only). Source: " + "; ".join(_cite_text(c) for c in f.also_cites[:1])
            )
        )
    ctx = Context(calendar, as_of, by_type(facts) if facts is not None else None)
    lines += _why_it_applies(f, rule, ctx)
    counted = [s[len("due: ") :] if s.startswith("due: ") else s for s in f.explanation.steps]
    counted = [s for s in counted if not s.startswith(("done: ", "done late: ", "began: "))]
    over = [s.removeprefix(PERIOD_STEP) for s in counted if s.startswith(PERIOD_STEP)]
    counted = [s for s in counted if not s.startswith(PERIOD_STEP)]
    if counted:
        cite = f.deadline_citation
        lines.append(
            _wrap(
                "How the deadline was counted"
                + (f" ({cite.clause} sets it: “{cite.says}”):" if cite and cite.clause else ":")
            )
        )
        lines += [_wrap(s, "  - ", "    ") for s in counted]
    elif f.due is None and f.kind not in ("permission", "advisory"):
        lines.append("Deadline: none; the clause sets no deadline.")
    if over:
        lines.append("The period (a duty on every school day of it):")
        lines += [_wrap(s, "  - ", "    ") for s in over]
    if f.explanation.readings:
        lines.append("Interpretation switches it depends on:")
        lines += [
            _wrap(_switch_line(k, v), "  - ", "    ") for k, v in f.explanation.readings.items()
        ]
    else:
        lines.append("Interpretation switches: none bears on this finding.")
    met = _what_met_it(f, rule)
    if met:
        lines.append(_wrap(met))
    lines.append(_wrap(f"Status: {status_words(f)}"))
    if f.also_cites:
        lines.append("Also cites:")
        lines += [_wrap(_cite_text(c), "  - ", "    ") for c in f.also_cites]
    return "\n".join(lines)


def _groups(a: Assessment) -> list[tuple[str, list[FindingData]]]:
    """Findings in reading order: violations, outstanding duties, met duties, advisories."""
    rest = [f for f in a.obligations if not f.is_violation]
    return [
        ("Violations", list(a.violations)),
        ("Outstanding", [f for f in rest if f.status != "met"]),
        ("Met", [f for f in rest if f.status == "met"]),
        ("Advisories and permissions", list(a.advisories)),
    ]


def explain_assessment(a: Assessment, book: RuleBook | None = None) -> str:
    """Every finding's explanation, violations first: each with its rule from `book` (which
    must be the one the assessment was made with) or from the bundled rules (`rule_for`), on
    the calendar kept in the assessment's trace."""
    if book is not None and a.trace is not None:
        traced_book(a.trace, a.case_id, book)  # refuses a rule book it was not made with
    rules = _rules_by_id(book) if book is not None else None
    calendar = traced_calendar(a.trace) if a.trace is not None else None
    facts = traced_facts(a.trace, a.case_id) if a.trace is not None else None
    groups = _groups(a)
    counts = ", ".join(f"{len(items)} {title.lower()}" for title, items in groups)
    lines = [f"Case {a.case_id} as of {day(a.as_of)} on {a.calendar}: {counts}."]
    changed = [k for k, v in a.readings.items() if v.get("value") != v.get("default")]
    if changed:
        lines.append("Readings changed from the defaults: " + ", ".join(changed) + ".")
    for title, items in groups:
        if not items:
            continue
        lines += ["", f"== {title} ({len(items)}) =="]
        for f in items:
            lines += [
                "",
                explain_finding(f, _rule_in(f, rules), calendar, facts=facts, as_of=a.as_of),
            ]
    return "\n".join(lines) + "\n"


# -- which rule made a finding ---------------------------------------------------------------


def _rules_by_id(book: RuleBook) -> dict[str, Rule]:
    return {r.id: r for r in book.rules}


@functools.cache
def _bundled_rules(gaps: bool) -> dict[str, Rule]:
    return _rules_by_id(load_rulebook(gaps=gaps))


def rule_for(f: FindingData, book: RuleBook | None = None) -> Rule | None:
    """The rule that made `f`: the rule of its id in `book`, or in the bundled rules (with the
    statutory gap rules), if it is that rule (`_made_by`); else None."""
    return _rule_in(f, _rules_by_id(book) if book is not None else None)


def _rule_in(f: FindingData, rules: Mapping[str, Rule] | None) -> Rule | None:
    if rules is not None:
        return _made_by(f, rules.get(f.rule_id))
    rule = _bundled_rules(False).get(f.rule_id) or _bundled_rules(True).get(f.rule_id)
    return _made_by(f, rule)


def _made_by(f: FindingData, rule: Rule | None) -> Rule | None:
    """`rule` if it can have made `f`: the same clause, kind, duty holder and action, and no
    test of its conditions that the facts the finding matched fail (a rule of the same id in
    another rule book may differ)."""
    if rule is None:
        return None
    cited = {rule.cited(school_type)[0] for school_type in ("academy", "maintained")}
    kinds = {rule.kind, "recommendation"} if rule.where_possible else {rule.kind}
    same = f.kind in kinds and (rule.duty_holder, rule.action) == (f.duty_holder, f.action)
    if f.clause not in cited or not same:
        return None
    conditions = _conditions(rule)
    facts = f.explanation.facts
    if conditions is None or not set(conditions.aliases) <= set(facts):
        return rule  # explained from the facts alone (`_why_it_applies`)
    bound: dict[str, EngineFact] = {}
    for pattern in conditions.patterns:
        rebuilt = _as_fact(pattern.fact_type, facts[pattern.alias])
        if rebuilt is None:
            return rule
        bound[pattern.alias] = rebuilt
    ctx = Context()
    if any(truth(n, bound, ctx) is False for p in conditions.patterns for n in p.tests):
        return None
    return rule


# -- why a rule did not fire -----------------------------------------------------------------


def _rule_of(rules: Mapping[str, Rule], rule_id: str) -> Rule:
    if rule_id not in rules:
        close = difflib.get_close_matches(rule_id, list(rules), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownRuleError(
            f"no rule {rule_id!r} in the rule book this assessment was made with "
            f"(`apcompliance rules` lists them){hint}"
        )
    return rules[rule_id]


def _finding_line(f: FindingData) -> str:
    subject = f"{f.subject}, {f.period}" if f.period else f.subject
    text = f"{subject}: {f.status.replace('_', ' ')}"
    details = []
    if f.due is not None:
        details.append(f"due {deadline_text(f.due)}")
    if f.met_by is not None:
        details.append(f"done by {f.met_by} on {deadline_text(f.met_on)}")
    return text + (f" ({'; '.join(details)})" if details else "")


@dataclass
class _Alias:
    alias: str
    fact_type: str
    tests: tuple[Condition, ...]
    own: tuple[Condition, ...]
    """The tests that read this fact alone."""
    facts: list[EngineFact]
    candidates: list[EngineFact]


def _bindings(
    aliases: Sequence[_Alias], tests: Sequence[Condition], ctx: Context
) -> Iterator[dict[str, EngineFact]]:
    """Every choice of distinct candidates, one per alias, for which every test holds."""
    budget = itertools.count()

    def extend(i: int, bound: dict[str, EngineFact]) -> Iterator[dict[str, EngineFact]]:
        if i == len(aliases):
            if holds(tests, bound, ctx) is True:
                yield dict(bound)
            return
        a = aliases[i]
        for fact in a.candidates:
            if next(budget) > MAX_COMBINATIONS:
                raise _TooMany
            if any(fact is other for other in bound.values()):
                continue
            bound[a.alias] = fact
            if holds(tests, bound, ctx) is not False:
                yield from extend(i + 1, bound)
            del bound[a.alias]

    return extend(0, {})


class _TooMany(Exception):
    pass


def _join_failures(
    conditions: RuleConditions, aliases: Mapping[str, _Alias], ctx: Context
) -> list[str]:
    """For each candidate, the tests across two facts that no candidate of the other can meet."""
    lines: list[str] = []
    for test in conditions.conjuncts():
        read = sorted(aliases_read(test))
        if len(read) != 2:
            continue
        for mine, theirs in (read, read[::-1]):
            a, other = aliases[mine], aliases[theirs]
            written_under = next(
                (p.alias for p in conditions.patterns if test in p.tests), conditions.aliases[-1]
            )
            if mine != written_under:
                continue
            for fact in a.candidates:
                if any(
                    truth(test, {mine: fact, theirs: o}, ctx) is not False
                    for o in other.candidates
                    if o is not fact
                ):
                    continue
                lines.append(_join_failure(test, a, other, fact, ctx))
    return lines


def _join_failure(test: Condition, a: _Alias, other: _Alias, fact: EngineFact, ctx: Context) -> str:
    name = _name(a.fact_type, fact.id)
    if (
        isinstance(test, Compare)
        and isinstance(test.left, Field)
        and test.left.alias == a.alias
        and isinstance(test.right, Field)
    ):
        mine, ref = getattr(fact, test.left.name, None), test.right
        if mine is None:
            cannot = f"match {ref}" if test.op == "eq" else f"meet {describe(test, a.alias)}"
            return f"{name}: its {test.left.name} is not recorded, so it cannot {cannot}"
        have = sorted({show(getattr(o, ref.name, None)) for o in other.candidates})
        also = f" (theirs: {', '.join(have)})" if have else ""
        if test.op == "eq":
            return (
                f"{name}: its {test.left.name} is {show(mine)}, which must match {ref}; no "
                f"{other.fact_type} that passes its own tests has {ref.name} {show(mine)}{also}"
            )
    theirs = sorted(
        {words.actual(test, other.alias, {other.alias: o}, ctx, show) for o in other.candidates}
        - {""}
    )
    also = f" (theirs: {'; '.join(theirs)})" if theirs else ""
    return (
        f"{name}: {words.actual(test, a.alias, {a.alias: fact}, ctx, show)}; no "
        f"{other.fact_type} that passes its own tests meets {describe(test, a.alias)}{also}"
    )


def why_not(a: Assessment, rule_id: str, book: RuleBook | None = None) -> str:
    """Why `rule_id` did not fire for the assessed case, or which missing facts would decide
    it; if it fired, the statuses of its findings. Re-checks the rule against the facts in the
    assessment's trace, with the rule book the trace names (a custom one must be given)."""
    if a.trace is None:
        raise ApComplianceError(
            f"case {a.case_id}: this assessment keeps no trace of its evaluation (it was not "
            "made by evaluate(), or was read from to_json() without trace=True); evaluate the "
            "case again to ask why_not"
        )
    book = traced_book(a.trace, a.case_id, book)
    rule = _rule_of(_rules_by_id(book), rule_id)
    conditions = book.conditions(rule.id)
    facts = traced_facts(a.trace, a.case_id)
    ctx = Context(traced_calendar(a.trace), a.as_of, by_type(facts))
    cited = f"{'the law' if rule.law else 'clause'} {rule.label}"
    head = f"{rule.id} ({cited}; {duty_holder_words(rule.duty_holder)}: {rule.action})"
    when = f"case {a.case_id} as of {day(a.as_of)}"
    fired = [f for f in a.findings if f.rule_id == rule.id]
    if fired:
        lines = [_wrap(f"{head} fired for {when}: {len(fired)} finding(s).")]
        lines += [_wrap(_finding_line(f), "  - ", "    ") for f in fired]
        lines.append("Each finding's explain() says why it applies and how it was dated.")
        return "\n".join(lines) + "\n"

    unless = conditions.unless
    unless_alias = next(iter(aliases_read(unless)), None) if unless is not None else None
    single_unless = unless is not None and len(aliases_read(unless)) == 1
    aliases: dict[str, _Alias] = {}
    for pattern in conditions.patterns:
        of_type = [f for f in facts if f.type_name == pattern.fact_type]
        own = tuple(t for t in pattern.tests if words.reads_only(t, pattern.alias))
        checks = [*own]
        if single_unless and unless_alias == pattern.alias:
            assert unless is not None
            checks.append(Not(unless))
        candidates = [f for f in of_type if holds(checks, {pattern.alias: f}, ctx) is not False]
        aliases[pattern.alias] = _Alias(
            pattern.alias, pattern.fact_type, pattern.tests, own, of_type, candidates
        )

    lines = [_wrap(f"{head} did not fire for {when}."), "", "It applies to each set of facts:"]
    for pattern in conditions.patterns:
        label = (
            pattern.alias
            if pattern.alias == pattern.fact_type
            else f"{pattern.alias} ({pattern.fact_type})"
        )
        lines.append(
            _wrap(
                f"{label}: {wanted(pattern.fact_type, pattern.tests, pattern.alias)}",
                "  - ",
                "    ",
            )
        )
    if unless is not None and single_unless:
        lines.append(
            _wrap(
                f"unless, for the {unless_alias}, {describe(unless, unless_alias)}",
                "    ",
                "      ",
            )
        )
    elif unless is not None:
        lines.append(_wrap(f"unless {describe(unless)}", "    ", "      "))

    lines += ["", "What the case has:"]
    missing: list[str] = []
    for a_ in aliases.values():
        n = len(a_.facts)
        if n == 0:
            lines.append(f"  - {a_.alias}: no {a_.fact_type} fact at all.")
            missing.append(
                f"The case has no {a_.fact_type}: "
                f"{wanted(a_.fact_type, a_.tests, a_.alias)} would decide this condition."
            )
            continue
        passing = f"{len(a_.candidates)} pass{'es' if len(a_.candidates) == 1 else ''}"
        if not a_.candidates:
            passing = "none passes" if n > 1 else "it does not pass"
        noun = a_.fact_type if n == 1 else f"{a_.fact_type} facts"
        lines.append(f"  - {a_.alias}: {n} {noun}; {passing}.")
        shown = 0
        for fact in a_.facts:
            if fact in a_.candidates:
                continue
            shown += 1
            if shown > MAX_LISTED:
                continue
            bound = {a_.alias: fact}
            failed = failures(a_.own, a_.alias, bound, ctx)
            if failed:
                lines.append(_wrap(f"{fact.id} fails: " + "; ".join(failed), "      ", "        "))
            elif single_unless and unless_alias == a_.alias and unless is not None:
                values = words.held(unless, a_.alias, bound, ctx, show)
                lines.append(
                    _wrap(f"{fact.id} is excepted by unless: {values}", "      ", "        ")
                )
        if shown > MAX_LISTED:
            lines.append(f"      … and {shown - MAX_LISTED} more that do not pass.")
        if not a_.candidates:
            missing.append(f"There is no {wanted(a_.fact_type, a_.own, a_.alias, article=False)}.")

    lines.append("")
    if missing:
        lines.append("So:")
        lines += [_wrap(m, "  - ", "    ") for m in missing]
        return "\n".join(lines) + "\n"
    try:
        found = next(_bindings(list(aliases.values()), conditions.conjuncts(), ctx), None)
    except _TooMany:
        lines.append(
            "Each fact has candidates that pass its own tests; there are too many combinations "
            "to check how they join."
        )
        return "\n".join(lines) + "\n"
    if found is not None:
        matched = ", ".join(_name(f.type_name, f.id) for f in found.values())
        because = (
            "its recurring deadline has no occurrence within the dates the duty runs (a "
            "placement shorter than half of a week, half-term or term is not counted for it)"
            if rule.due is not None and rule.due.recurring
            else "the engine did not match these facts (please report this as a bug)"
        )
        lines.append(
            _wrap(
                f"Every condition holds for {matched}, so the rule applies; it has no finding as "
                f"of {day(a.as_of)} because {because}."
            )
        )
        return "\n".join(lines) + "\n"
    joins = _join_failures(conditions, aliases, ctx)
    if unless is not None and not single_unless:
        joins.append(f"or its exception holds: unless {describe(unless)}")
    lines.append("So: the facts that pass their own tests do not fit together.")
    lines += [_wrap(j, "  - ", "    ") for j in joins]
    return "\n".join(lines) + "\n"


# -- HTML ------------------------------------------------------------------------------------


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _badge(f: FindingData) -> str:
    bg, fg = TONES[tone(f)]
    return (
        f'<span style="background:{bg};color:{fg};padding:1px 6px;border-radius:3px;'
        f'font-weight:600;white-space:nowrap">{_e(f.status.upper().replace("_", " "))}</span>'
    )


_CELL = "text-align:left;vertical-align:top;padding:3px 8px"


def _done(f: FindingData) -> str:
    if f.met_by is None:
        return ""
    return f"{_e(f.met_by)}<br><small>{_e(deadline_text(f.met_on))}</small>"


def _clause_html(f: FindingData) -> str:
    """The clause id in bold; a statutory finding's provision of the law, marked as the law."""
    if f.tier == "statutory":
        return f"<small>THE LAW</small><br><strong>{_e(f.clause)}</strong>"
    return f"<strong>{_e(f.clause)}</strong>"


def assessment_html(a: Assessment) -> str:
    """The assessment as an HTML table: status colours, due dates, clause ids, quoted words;
    with the case's timeline above it where the assessment keeps its trace."""
    groups = _groups(a)
    counts = ", ".join(f"{len(items)} {title.lower()}" for title, items in groups)
    head = "".join(
        f'<th style="{_CELL}">{h}</th>'
        for h in ("status", "clause", "due", "subject", "duty holder", "action", "done", "says")
    )
    rows = []
    for _, items in groups:
        for f in items:
            fg = TONES[tone(f)][1]
            subject = f"{f.subject}, {f.period}" if f.period else f.subject
            cells = [
                _badge(f),
                _clause_html(f) + f"<br><small><code>{_e(f.rule_id)}</code></small>",
                f'<span style="white-space:nowrap">{_e(deadline_text(f.due))}</span>',
                _e(subject),
                _e(f.duty_holder),
                _e(f.action),
                _done(f),
                f"<q>{_e(f.says)}</q>",
            ]
            rows.append(
                f'<tr style="border-left:4px solid {fg}">'
                + "".join(f'<td style="{_CELL}">{c}</td>' for c in cells)
                + "</tr>"
            )
    return (
        '<div class="apcompliance-assessment">'
        f"<p><strong>Case {_e(a.case_id)}</strong> as of {_e(day(a.as_of))} on "
        f"{_e(a.calendar)}: {_e(counts)}.</p>"
        f"{timeline_html(timeline) if (timeline := timeline_of(a)) else ''}"
        '<table style="border-collapse:collapse">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def finding_html(f: FindingData) -> str:
    """One finding as an HTML table of its parts, with how its deadline was counted."""
    subject = f"{f.subject}, {f.period}" if f.period else f.subject
    steps = "".join(f"<li>{_e(s)}</li>" for s in f.explanation.steps)
    readings = ", ".join(f"{k} = {show(v)}" for k, v in f.explanation.readings.items())
    rows = [
        ("status", _badge(f) + (" violation" if f.is_violation else "")),
        ("rule", f"<code>{_e(f.rule_id)}</code> ({_e(f.kind)})"),
        ("clause" if f.tier == "policy" else "the law", _clause_html(f)),
        ("subject", _e(subject)),
        ("duty holder", _e(f.duty_holder)),
        ("action", _e(f.action)),
        ("due", _e(deadline_text(f.due))),
        ("done", _done(f) or "not yet"),
        ("how it was worked out", f"<ul style='margin:0'>{steps}</ul>" if steps else ""),
        ("switches", _e(readings) or "none"),
        ("says", f"<q>{_e(f.says)}</q>"),
    ]
    if f.also_cites:
        rows.append(("also cites", "<br>".join(_e(_cite_text(c)) for c in f.also_cites)))
    body = "".join(
        f'<tr><th style="{_CELL}">{k}</th><td style="{_CELL}">{v}</td></tr>' for k, v in rows
    )
    return f'<table class="apcompliance-finding" style="border-collapse:collapse">{body}</table>'
