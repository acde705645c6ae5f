"""Explanations in plain English, `why_not`, and the HTML views of findings and assessments.

`explain_finding` says which facts made a rule apply, how its deadline was counted, the
interpretation switches it depends on, what met it, its status and the clause's words.
`why_not` re-checks one rule's conditions against the derived facts an assessment kept from its
evaluation: nothing here runs the engine. The check mirrors the compiled tests (compiler.py): a
field a fact does not have (None, or a list, which the engine never sees) fails every test but
`exists: false`, and `unless` is negated test by test, as the engine does.

Nothing here prints, and nothing names a pupil: findings and derived facts hold none.
"""

from __future__ import annotations

import difflib
import html
import itertools
import operator
import re
import textwrap
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from apcompliance.deadlines import day, moment
from apcompliance.derive.engine_facts import FACT_TYPES, EngineFact
from apcompliance.errors import ApComplianceError, UnknownRuleError
from apcompliance.findings import ADVISORY_KINDS, Citation, Finding
from apcompliance.rulebook import REF, Rule
ANY_OF = "any_of"
from apcompliance.settings import PolicySettings

if TYPE_CHECKING:
    from apcompliance.assessment import Assessment

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


def _when(value: date | datetime | None) -> str:
    if value is None:
        return "no deadline"
    return moment(value) if isinstance(value, datetime) else day(value)


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


@dataclass(frozen=True)
class Ref:
    """`{ref: alias.field}`: a value of another fact the rule matched."""

    alias: str
    field: str

    def __str__(self) -> str:
        return f"{self.alias}.{self.field}"


@dataclass(frozen=True)
class Test:
    """One single-field test: `op` is eq, ne, gt, gte, lt, lte or exists."""

    field: str
    op: str
    operand: Any


@dataclass(frozen=True)
class AnyOf:
    """`any_of`: at least one set of tests holds."""

    options: tuple[tuple[Test, ...], ...]


Node = Test | AnyOf


def parse_conditions(conds: Mapping[str, Any]) -> tuple[Node, ...]:
    """A fact's tests from a rule's `when` or `unless` (the `fact:` key is not a test)."""
    out: list[Node] = []
    for field, test in conds.items():
        if field == "fact":
            continue
        if field == ANY_OF:
            out.append(
                AnyOf(tuple(tuple(_tests_only(parse_conditions(option))) for option in test))
            )
            continue
        op, operand = "eq", test
        if isinstance(test, dict) and "ref" not in test:
            ((op, operand),) = test.items()
        if isinstance(operand, dict) and "ref" in operand:
            m = REF.match(str(operand["ref"]))
            if m is None:  # pragma: no cover - the rule loader rejects malformed references
                raise ValueError(f"{operand['ref']!r} is not a fact reference")
            operand = Ref(*m.groups())
        out.append(Test(field, op, operand))
    return tuple(out)


def _tests_only(nodes: Iterable[Node]) -> Iterator[Test]:
    for node in nodes:
        if isinstance(node, Test):  # the loader allows no any_of inside any_of
            yield node


_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}
_OPPOSITE = {"eq": "ne", "ne": "eq", "gt": "lte", "gte": "lt", "lt": "gte", "lte": "gt"}
_WORDS = {
    "gt": ("more than", "after"),
    "gte": ("at least", "on or after"),
    "lt": ("less than", "before"),
    "lte": ("at most", "on or before"),
}

Bound = Mapping[str, EngineFact]
Truth = bool | None
"""True, False, or None where a test refers to a fact not yet chosen."""


def _engine_value(fact: EngineFact, field: str) -> Any:
    """The field as the engine sees it: None and lists are left out of engine facts."""
    value = getattr(fact, field, None)
    return None if isinstance(value, (tuple, list)) else value


def _operand(test: Test, bound: Bound) -> tuple[bool, Any]:
    if isinstance(test.operand, Ref):
        other = bound.get(test.operand.alias)
        if other is None:
            return False, None
        return True, _engine_value(other, test.operand.field)
    return True, test.operand


def _atom(test: Test, fact: EngineFact, bound: Bound, *, negated: bool = False) -> Truth:
    value = _engine_value(fact, test.field)
    if test.op == "exists":
        return (value is not None) == (bool(test.operand) != negated)
    known, operand = _operand(test, bound)
    if not known:
        return None
    if value is None or operand is None:
        return False  # the engine fails every comparison with a missing field, negated or not
    op = _OPPOSITE[test.op] if negated else test.op
    try:
        return bool(_COMPARE[op](value, operand))
    except TypeError:
        return False


def _all(values: Iterable[Truth]) -> Truth:
    seen = list(values)
    if False in seen:
        return False
    return None if None in seen else True


def _any(values: Iterable[Truth]) -> Truth:
    seen = list(values)
    if True in seen:
        return True
    return None if None in seen else False


def _node(node: Node, fact: EngineFact, bound: Bound, *, negated: bool = False) -> Truth:
    if isinstance(node, Test):
        return _atom(node, fact, bound, negated=negated)
    if negated:  # not (a or b) = (not a) and (not b); not (x and y) = (not x) or (not y)
        return _all(
            _any(_atom(t, fact, bound, negated=True) for t in option) for option in node.options
        )
    return _any(_all(_atom(t, fact, bound) for t in option) for option in node.options)


def holds(nodes: Sequence[Node], fact: EngineFact, bound: Bound) -> Truth:
    """Whether every test holds for `fact` (None: it depends on a fact not yet chosen)."""
    return _all(_node(n, fact, bound) for n in nodes)


def excepted(nodes: Sequence[Node], fact: EngineFact, bound: Bound) -> Truth:
    """Whether a rule's `unless` keeps the rule off `fact`. The engine keeps a fact when the
    negation of the tests, pushed down to each test, holds."""
    if not nodes:
        return False
    kept = _any(_node(n, fact, bound, negated=True) for n in nodes)
    return None if kept is None else not kept


def describe(node: Node) -> str:
    """A test in words: `school_days is more than 5`, `of kind off_site_direction`."""
    if isinstance(node, AnyOf):
        parts = [
            " and ".join(describe(t) for t in option)
            if len(option) == 1
            else "(" + " and ".join(describe(t) for t in option) + ")"
            for option in node.options
        ]
        return "either " + " or ".join(parts)
    field, operand = node.field, node.operand
    if node.op == "exists":
        return f"{field} is recorded" if operand else f"{field} is not recorded"
    shown = str(operand) if isinstance(operand, Ref) else show(operand)
    if node.op == "eq":
        if isinstance(operand, Ref):
            return f"{field} must match {operand}"
        return f"of kind {shown}" if field == "kind" else f"{field} is {shown}"
    if node.op == "ne":
        return f"{field} is not {shown}"
    numeric, dated = _WORDS[node.op]
    return f"{field} is {dated if isinstance(operand, date) else numeric} {shown}"


def describe_all(nodes: Sequence[Node]) -> str:
    return " and ".join(describe(n) for n in nodes)


def wanted(fact_type: str, nodes: Sequence[Node], *, article: bool = True) -> str:
    """What a rule asks of one fact: `a placement of kind off_site_direction where …`."""
    kinds = [
        n
        for n in nodes
        if isinstance(n, Test) and n.field == "kind" and n.op == "eq"
        if not isinstance(n.operand, Ref)
    ]
    rest = [n for n in nodes if n not in kinds[:1]]
    text = _article(fact_type) if article else fact_type
    if kinds:
        text += f" of kind {show(kinds[0].operand)}"
    if rest:
        text += " where " + describe_all(rest)
    return text


def _actual(node: Node, fact: EngineFact, bound: Bound) -> str:
    """What the fact has, for a test it fails."""
    if isinstance(node, AnyOf):
        fields = dict.fromkeys(t.field for option in node.options for t in option)
        return "; ".join(_its(f, getattr(fact, f, None)) for f in fields)
    text = _its(node.field, getattr(fact, node.field, None))
    if isinstance(node.operand, Ref) and node.operand.alias in bound:
        other = getattr(bound[node.operand.alias], node.operand.field, None)
        text += f"; {node.operand} is {show(other)}"
    return text


def _its(field: str, value: Any) -> str:
    if value is None:
        return f"its {field} is not recorded"
    return f"its {field} is {show(value)}"


def failures(nodes: Sequence[Node], fact: EngineFact, bound: Bound) -> list[str]:
    """Each test `fact` fails, in words, with what it has instead."""
    return [
        f"{describe(n)} ({_actual(n, fact, bound)})"
        for n in nodes
        if _node(n, fact, bound) is False
    ]


def _held(node: Node, fact: EngineFact, bound: Bound) -> str:
    """A test the fact passes, with its value: `school_days is 7 (more than 5)`."""
    if isinstance(node, AnyOf):
        passing = [
            " and ".join(_held(t, fact, bound) for t in option)
            for option in node.options
            if _all(_atom(t, fact, bound) for t in option)
        ]
        return " and ".join(passing) if passing else describe(node)
    value = getattr(fact, node.field, None)
    if node.op == "exists":
        return describe(node) + (f" ({show(value)})" if value is not None else "")
    if node.field == "kind" and node.op == "eq" and not isinstance(node.operand, Ref):
        return f"of kind {show(value)}"
    text = f"{node.field} is {show(value)}"
    if isinstance(node.operand, Ref):
        return f"{text}, matching {node.operand}"
    if node.op == "eq":
        return text
    return f"{text} ({describe(node).split(' is ', 1)[1]})"


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


def status_words(f: Finding) -> str:
    """The finding's status in a sentence, with its dates."""
    due = _when(f.due)
    done = _when(f.met_on) if f.met_on is not None else None
    if f.status == "at_risk":
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


def _why_it_applies(f: Finding, rule: Rule | None) -> list[str]:
    facts = f.explanation.facts
    if rule is None or not set(rule.when) <= set(facts):
        lines = ["The facts it matched:"]
        lines += [_wrap(_fact_line(alias, view), "  - ", "    ") for alias, view in facts.items()]
        return lines
    bound: dict[str, EngineFact] = {}
    for alias in rule.when:
        rebuilt = _as_fact(rule.fact_type(alias), facts[alias])
        if rebuilt is None:
            return _why_it_applies(f, None)
        bound[alias] = rebuilt
    lines = ["Why the rule applies:"]
    for alias, conds in rule.when.items():
        fact, nodes = bound[alias], parse_conditions(conds)
        fact_type = rule.fact_type(alias)
        tests = "; ".join(_held(n, fact, bound) for n in nodes) or f"any {fact_type}"
        lines.append(_wrap(f"{_name(fact_type, fact.id)}: {tests}", "  - ", "    "))
    for alias, conds in (rule.unless or {}).items():
        fact, nodes = bound[alias], parse_conditions(conds)
        fields = dict.fromkeys(t.field for t in _flat(nodes))
        here = " and ".join(f"{k} is {show(getattr(fact, k, None))}" for k in fields)
        lines.append(
            _wrap(
                f"and its exception (unless {describe_all(nodes)}) does not apply: here {here}",
                "  - ",
                "    ",
            )
        )
    return lines


def _flat(nodes: Iterable[Node]) -> Iterator[Test]:
    for node in nodes:
        if isinstance(node, Test):
            yield node
        else:
            for option in node.options:
                yield from option


def _met_by_fact(f: Finding, rule: Rule | None) -> str:
    if rule is not None and rule.met_by is not None:
        return f"{rule.met_by.fact} {f.met_by}"
    for step in f.explanation.steps:  # "done late: placement PL-1 (Mon 3 Nov 2025)"
        head, _, rest = step.partition(": ")
        if head in ("done", "done late") and f" {f.met_by} (" in f" {rest}":
            return rest.rsplit(" (", 1)[0]
    return str(f.met_by)


def _resolve_in(f: Finding, value: Any) -> Any:
    """A `met_by.where` value, with `{ref: alias.field}` read from the matched facts."""
    if isinstance(value, dict) and "ref" in value:
        m = REF.match(str(value["ref"]))
        if m is not None:
            alias, field = m.groups()
            return f.explanation.facts.get(alias, {}).get(field, value["ref"])
    return value


def _what_met_it(f: Finding, rule: Rule | None) -> str:
    if f.met_by is not None:
        what = _met_by_fact(f, rule)
        when = _when(f.met_on)
        if f.status == "late":
            return f"What met it: {what}, on {when}, after the deadline."
        if f.status == "scheduled":
            return f"What meets it: {what}, arranged for {when}, still to come."
        if f.status == "at_risk":
            return f"What was arranged: {what}, for {when}, after the deadline."
        return f"What met it: {what}, on {when}."
    if f.kind in ("permission", "advisory", "requirement"):
        return ""
    if rule is not None and rule.met_by is not None:
        m = rule.met_by
        where = " and ".join(f"{k} is {show(_resolve_in(f, v))}" for k, v in m.where.items())
        needs = _article(m.fact) + (f" where {where}" if where else "")
        floor = f", on or after {show(_resolve_in(f, {'ref': m.on_or_after}))}"
        return (
            f"Nothing in the case meets it yet: it would be met by {needs}, dated by its "
            f"{m.dated}{floor if m.on_or_after else ''}."
        )
    return "Nothing in the case meets it yet."


def _switch_line(name: str, value: Any) -> str:
    field = PolicySettings.model_fields.get(name)
    if field is None:
        return f"{name} = {show(value)}"
    default = "the default" if value == field.default else f"default {show(field.default)}"
    return f"{name} = {show(value)} ({default}): {field.description}"


def _cite_text(c: Citation) -> str:
    return c.statute if c.statute else f"{c.clause}: “{c.says}”"


def explain_finding(f: Finding, rule: Rule | None = None) -> str:
    """The finding in plain English. With its rule (findings from `evaluate` carry it), the
    values that made each of the rule's tests hold; without, every field of the facts matched."""
    subject = f"{f.subject}, {f.period}" if f.period else f.subject
    lines = [
        f"{f.rule_id}: {f.status.upper().replace('_', ' ')} — {subject}",
        _wrap(f"Clause {f.clause} says: “{f.says}”"),
        _wrap(
            f"What the policy asks: {duty_holder_words(f.duty_holder)} — {f.action} "
            f"({_KIND_WORDS.get(f.kind, f.kind)})."
        ),
    ]
    lines += _why_it_applies(f, rule)
    counted = [s[len("due: ") :] if s.startswith("due: ") else s for s in f.explanation.steps]
    counted = [s for s in counted if not s.startswith(("done: ", "done late: "))]
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


def _groups(a: Assessment) -> list[tuple[str, list[Finding]]]:
    """Findings in reading order: violations, outstanding duties, met duties, advisories."""
    rest = [f for f in a.obligations if not f.is_violation]
    return [
        ("Violations", list(a.violations)),
        ("Outstanding", [f for f in rest if f.status != "met"]),
        ("Met", [f for f in rest if f.status == "met"]),
        ("Advisories and permissions", list(a.advisories)),
    ]


def explain_assessment(a: Assessment) -> str:
    """Every finding's explanation, violations first."""
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
            lines += ["", explain_finding(f, f._rule)]
    return "\n".join(lines) + "\n"


# -- why a rule did not fire -----------------------------------------------------------------


def _rule_of(a: Assessment, rule_id: str) -> Rule:
    book = a._book
    if book is None or a._facts is None:
        raise ApComplianceError(
            f"case {a.case_id}: this assessment keeps no derived facts (it was not made by "
            "evaluate() in this process, e.g. it was read from JSON); evaluate the case again "
            "to ask why_not"
        )
    rules = {r.id: r for r in book.rules}
    if rule_id not in rules:
        close = difflib.get_close_matches(rule_id, list(rules), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownRuleError(
            f"no rule {rule_id!r} in the rule book this assessment was made with "
            f"(`apcompliance rules` lists them){hint}"
        )
    return rules[rule_id]


def _finding_line(f: Finding) -> str:
    subject = f"{f.subject}, {f.period}" if f.period else f.subject
    text = f"{subject}: {f.status.replace('_', ' ')}"
    details = []
    if f.due is not None:
        details.append(f"due {_when(f.due)}")
    if f.met_by is not None:
        details.append(f"done by {f.met_by} on {_when(f.met_on)}")
    return text + (f" ({'; '.join(details)})" if details else "")


@dataclass
class _Alias:
    alias: str
    fact_type: str
    nodes: tuple[Node, ...]
    unless: tuple[Node, ...]
    facts: list[EngineFact]
    candidates: list[EngineFact]


def _bindings(aliases: Sequence[_Alias]) -> Iterator[dict[str, EngineFact]]:
    """Every choice of one candidate per alias meeting all tests, joins and exceptions."""
    budget = itertools.count()

    def extend(i: int, bound: dict[str, EngineFact]) -> Iterator[dict[str, EngineFact]]:
        if i == len(aliases):
            if all(_settled(a, bound[a.alias], bound) for a in aliases):
                yield dict(bound)
            return
        a = aliases[i]
        for fact in a.candidates:
            if next(budget) > MAX_COMBINATIONS:
                raise _TooMany
            bound[a.alias] = fact
            if holds(a.nodes, fact, bound) is not False and excepted(a.unless, fact, bound) in (
                False,
                None,
            ):
                yield from extend(i + 1, bound)
            del bound[a.alias]

    return extend(0, {})


class _TooMany(Exception):
    pass


def _settled(a: _Alias, fact: EngineFact, bound: Bound) -> bool:
    return holds(a.nodes, fact, bound) is True and (
        not a.unless or excepted(a.unless, fact, bound) is False
    )


def _join_failures(a: _Alias, aliases: Mapping[str, _Alias]) -> list[str]:
    """For each candidate of `a`, the joins no candidate of the other alias can meet."""
    lines: list[str] = []
    joins = [t for t in _flat(a.nodes) if isinstance(t.operand, Ref)]
    for fact in a.candidates:
        for test in joins:
            ref: Ref = test.operand
            other = aliases.get(ref.alias)
            if other is None or ref.alias == a.alias:
                continue
            if any(_atom(test, fact, {ref.alias: o}) for o in other.candidates):
                continue
            value = getattr(fact, test.field, None)
            name = _name(a.fact_type, fact.id)
            if value is None:
                cannot = f"match {ref}" if test.op == "eq" else f"meet {describe(test)}"
                lines.append(f"{name}: its {test.field} is not recorded, so it cannot {cannot}")
                continue
            have = sorted({show(getattr(o, ref.field, None)) for o in other.candidates})
            also = f" (theirs: {', '.join(have)})" if have else ""
            if test.op == "eq":
                lines.append(
                    f"{name}: its {test.field} is {show(value)}, which must match {ref}; no "
                    f"{other.fact_type} that passes its own tests has {ref.field} {show(value)}"
                    f"{also}"
                )
            else:
                lines.append(
                    f"{name}: its {test.field} is {show(value)}; no {other.fact_type} that passes "
                    f"its own tests meets {describe(test)}{also}"
                )
    return lines


def why_not(a: Assessment, rule_id: str) -> str:
    """Why `rule_id` did not fire for the assessed case, or which missing facts would decide
    it; if it fired, the statuses of its findings."""
    rule = _rule_of(a, rule_id)
    facts = a._facts or ()
    head = f"{rule.id} (clause {rule.clause}; {duty_holder_words(rule.duty_holder)}: {rule.action})"
    when = f"case {a.case_id} as of {day(a.as_of)}"
    fired = [f for f in a.findings if f.rule_id == rule.id]
    if fired:
        lines = [_wrap(f"{head} fired for {when}: {len(fired)} finding(s).")]
        lines += [_wrap(_finding_line(f), "  - ", "    ") for f in fired]
        lines.append("Each finding's explain() says why it applies and how it was dated.")
        return "\n".join(lines) + "\n"

    aliases: dict[str, _Alias] = {}
    for alias, conds in rule.when.items():
        fact_type = rule.fact_type(alias)
        of_type = [f for f in facts if f.type_name == fact_type]
        nodes = parse_conditions(conds)
        unless = parse_conditions((rule.unless or {}).get(alias, {}))
        candidates = [
            f
            for f in of_type
            if holds(nodes, f, {}) is not False and excepted(unless, f, {}) is not True
        ]
        aliases[alias] = _Alias(alias, fact_type, nodes, unless, of_type, candidates)

    lines = [_wrap(f"{head} did not fire for {when}."), "", "It applies to each set of facts:"]
    for a_ in aliases.values():
        label = a_.alias if a_.alias == a_.fact_type else f"{a_.alias} ({a_.fact_type})"
        lines.append(_wrap(f"{label}: {wanted(a_.fact_type, a_.nodes)}", "  - ", "    "))
        if a_.unless:
            lines.append(
                _wrap(f"unless, for the {a_.alias}, {describe_all(a_.unless)}", "    ", "      ")
            )

    lines += ["", "What the case has:"]
    missing: list[str] = []
    for a_ in aliases.values():
        single = [n for n in a_.nodes if not any(isinstance(t.operand, Ref) for t in _flat([n]))]
        n = len(a_.facts)
        if n == 0:
            lines.append(f"  - {a_.alias}: no {a_.fact_type} fact at all.")
            missing.append(
                f"The case has no {a_.fact_type}: {wanted(a_.fact_type, a_.nodes)} would decide "
                "this condition."
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
            failed = failures(single, fact, {})
            if failed:
                lines.append(_wrap(f"{fact.id} fails: " + "; ".join(failed), "      ", "        "))
            if excepted(a_.unless, fact, {}) is True and not failed:
                values = "; ".join(_held(n, fact, {}) for n in a_.unless)
                lines.append(
                    _wrap(f"{fact.id} is excepted by unless: {values}", "      ", "        ")
                )
        if shown > MAX_LISTED:
            lines.append(f"      … and {shown - MAX_LISTED} more that do not pass.")
        if not a_.candidates:
            missing.append(f"There is no {wanted(a_.fact_type, single, article=False)}.")

    lines.append("")
    if missing:
        lines.append("So:")
        lines += [_wrap(m, "  - ", "    ") for m in missing]
        return "\n".join(lines) + "\n"
    try:
        found = next(_bindings(list(aliases.values())), None)
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
    joins = [line for a_ in aliases.values() for line in _join_failures(a_, aliases)]
    lines.append("So: the facts that pass their own tests do not fit together.")
    lines += [_wrap(j, "  - ", "    ") for j in joins]
    return "\n".join(lines) + "\n"


# -- HTML ------------------------------------------------------------------------------------

TONES = {
    "red": ("#fde8e8", "#9b1c1c"),
    "amber": ("#fff4dc", "#8a4b00"),
    "green": ("#e6f4ea", "#1e6b34"),
    "grey": ("#eef0f2", "#4a5058"),
}
"""Background and text colour of each status tone."""


def tone(f: Finding) -> str:
    """red: a violation; green: met; grey: an advisory or permission; amber: the rest (due
    soon, pending, scheduled, at risk, open)."""
    if f.kind in ADVISORY_KINDS:
        return "grey"
    if f.is_violation:
        return "red"
    if f.status == "met":
        return "green"
    return "amber"


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _badge(f: Finding) -> str:
    bg, fg = TONES[tone(f)]
    return (
        f'<span style="background:{bg};color:{fg};padding:1px 6px;border-radius:3px;'
        f'font-weight:600;white-space:nowrap">{_e(f.status.upper().replace("_", " "))}</span>'
    )


_CELL = "text-align:left;vertical-align:top;padding:3px 8px"


def _done(f: Finding) -> str:
    if f.met_by is None:
        return ""
    return f"{_e(f.met_by)}<br><small>{_e(_when(f.met_on))}</small>"


def assessment_html(a: Assessment) -> str:
    """The assessment as an HTML table: status colours, due dates, clause ids, quoted words."""
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
                f"<strong>{_e(f.clause)}</strong><br><small><code>{_e(f.rule_id)}</code></small>",
                f'<span style="white-space:nowrap">{_e(_when(f.due))}</span>',
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
        '<table style="border-collapse:collapse">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def finding_html(f: Finding) -> str:
    """One finding as an HTML table of its parts, with how its deadline was counted."""
    subject = f"{f.subject}, {f.period}" if f.period else f.subject
    steps = "".join(f"<li>{_e(s)}</li>" for s in f.explanation.steps)
    readings = ", ".join(f"{k} = {show(v)}" for k, v in f.explanation.readings.items())
    rows = [
        ("status", _badge(f) + (" violation" if f.is_violation else "")),
        ("rule", f"<code>{_e(f.rule_id)}</code> ({_e(f.kind)})"),
        ("clause", f"<strong>{_e(f.clause)}</strong>"),
        ("subject", _e(subject)),
        ("duty holder", _e(f.duty_holder)),
        ("action", _e(f.action)),
        ("due", _e(_when(f.due))),
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
