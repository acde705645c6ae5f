"""What a condition means: the one evaluator of the condition tree, three-valued.

A condition is true, false, or unknown. A field a fact does not have is *absent*: every
comparison with it is false (`exists: false` is true), which is also what durable-rules does
with a missing field. A field the fact model marks `Unrecorded` (the case should record it and
does not) is *unknown*: a comparison with it is unknown, and so is a date the calendar cannot
count (before its first day or after its last). `all_of`, `any_of` and `not` follow Kleene's
logic (false and unknown is false; true or unknown is true), and an unknown result carries what
is missing, so a finding can ask for it. An existence test (`exists`) is true where some fact
of its type passes its tests, false where every one fails them, and unknown otherwise; it reads
the case's facts from the `Context`, as `{ref: as_of}` reads the evaluation date. Every engine
and every explanation evaluates conditions here; nothing else interprets the tree.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Literal

from apcompliance.calendar.school_calendar import SchoolCalendar
from apcompliance.errors import CalendarError
from apcompliance.facts.index import CaseIndex
from apcompliance.facts.vocabulary import EngineFact
from apcompliance.language.conditions import (
    FIRST_RECORDED,
    AllOf,
    AnyOf,
    Call,
    Compare,
    Condition,
    Const,
    Covers,
    EvaluationDate,
    EverySchoolDay,
    Exists,
    Expr,
    Field,
    Not,
    Recorded,
    Term,
    TermValue,
    aliases_read,
)

Truth = bool | None
"""True, false, or None for unknown."""


@dataclass(frozen=True, order=True)
class Missing:
    """What a condition needed and the case could not give: a field not recorded, or a date
    the calendar cannot count. Names the fact by type and id only (never pupil data)."""

    kind: Literal["not_recorded", "outside_calendar"]
    fact: str
    """`placement PL-1`."""
    field: str
    reason: str = ""

    def __str__(self) -> str:
        if self.kind == "outside_calendar":
            return f"{self.fact}: {self.field} cannot be counted on the calendar ({self.reason})"
        return f"{self.fact}: {self.field} is not recorded"


NOTHING: frozenset[Missing] = frozenset()


@dataclass(frozen=True)
class Verdict:
    truth: Truth
    missing: frozenset[Missing] = NOTHING


TRUE, FALSE = Verdict(True), Verdict(False)


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()
"""A field the fact does not have."""


@dataclass(frozen=True)
class Unknown:
    """A value the case does not give, and why."""

    missing: frozenset[Missing]


FactsByType = Mapping[str, Sequence[EngineFact]]
"""A case's facts by fact type."""


@dataclass(frozen=True)
class Context:
    """What conditions are evaluated against besides the facts bound to a rule's aliases: the
    calendar that counts school days (None: calendar functions are unknown), the evaluation
    date (`{ref: as_of}`; None: unknown), and the case's facts by type, which existence tests
    look through (None: unknown)."""

    calendar: SchoolCalendar | None = None
    as_of: date | None = None
    facts: FactsByType | None = None
    terms: dict[tuple[Any, ...], Verdict] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    """The verdict of each named condition's definition on the facts it read, worked out
    once in this context (`_term`): many rules test the same term of the same fact."""

    def with_facts(self, facts: Iterable[EngineFact]) -> Context:
        """This context over the case's facts `facts` (grouped by type, in the order given)."""
        return replace(self, facts=by_type(facts))


def by_type(facts: Iterable[EngineFact]) -> CaseIndex[EngineFact]:
    """Facts grouped by fact type, each group in the order given, and indexed by a field's
    value when a test looks one up (`narrowed`)."""
    return CaseIndex(facts, _type_name)


def _type_name(fact: EngineFact) -> str:
    return fact.type_name


Bound = Mapping[str, EngineFact]

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


def _name(fact: EngineFact) -> str:
    return f"{fact.type_name} {fact.id}"


def value(expr: Expr, bound: Bound, ctx: Context) -> Any:
    """The value of an expression: a Python value, ABSENT, or an `Unknown`."""
    if isinstance(expr, Const):
        return expr.value
    if isinstance(expr, Field):
        fact = bound[expr.alias]
        got = getattr(fact, expr.name)
        if got is None or isinstance(got, tuple):
            if (needs := fact.to_record().get(expr.name)) is not None:
                return Unknown(frozenset({Missing("not_recorded", _name(fact), needs)}))
            return ABSENT
        return got
    if isinstance(expr, TermValue):
        return value(expr.body, bound, ctx)
    if isinstance(expr, EvaluationDate):
        if ctx.as_of is None:
            return Unknown(frozenset({NO_EVALUATION_DATE}))
        return ctx.as_of
    return _call(expr, bound, ctx)


NO_EVALUATION_DATE = Missing("not_recorded", "the assessment", "as_of (the evaluation date)")


def _call(expr: Call, bound: Bound, ctx: Context) -> Any:
    if expr.function == FIRST_RECORDED:
        return _first_recorded(expr, bound, ctx)
    args = [value(a, bound, ctx) for a in expr.args]
    unknown = [a for a in args if isinstance(a, Unknown)]
    if unknown:
        return Unknown(frozenset().union(*(u.missing for u in unknown)))
    if expr.function == "earliest_of":  # the earliest of the dates recorded
        return min((a for a in args if a is not ABSENT), default=ABSENT)
    if any(a is ABSENT for a in args):
        return ABSENT
    if expr.function == "weeks_before":
        weeks, day = args
        return day - timedelta(weeks=weeks)
    fact, field = _subject(expr, bound)
    if ctx.calendar is None:
        return Unknown(frozenset({Missing("outside_calendar", fact, field, "no calendar")}))
    try:
        if expr.function == "nth_school_day":
            n, start = args
            return ctx.calendar.nth_school_day(start, n)
        if expr.function == "school_day_on_or_before":
            (day,) = args
            return ctx.calendar.school_day_on_or_before(day)
        if expr.function == "first_school_day_of_school_year":
            (day,) = args
            return ctx.calendar.first_school_day_of_school_year(day)
        if expr.function == "next_school_day":
            (day,) = args
            return ctx.calendar.next_school_day(day)
        if expr.function == "previous_school_day":
            (day,) = args
            return ctx.calendar.previous_school_day(day)
    except CalendarError as exc:
        return Unknown(frozenset({Missing("outside_calendar", fact, field, str(exc))}))
    raise ValueError(f"unknown calendar function {expr.function!r}")  # the loader refuses it


def _first_recorded(expr: Call, bound: Bound, ctx: Context) -> Any:
    """The first of the values that is recorded, read in order: one not recorded is skipped,
    one that should be recorded and is not (or cannot be counted) is unknown."""
    for arg in expr.args:
        got = value(arg, bound, ctx)
        if got is not ABSENT:
            return got
    return ABSENT


def _subject(expr: Call, bound: Bound) -> tuple[str, str]:
    """The fact and field a calendar call counts from, to name in a Missing."""
    for arg in expr.args:
        if isinstance(arg, Field):
            return _name(bound[arg.alias]), arg.name
        if isinstance(arg, TermValue):
            return _name(bound[arg.alias]), arg.name
    return "the calendar", expr.function


def evaluate(node: Condition, bound: Bound, ctx: Context) -> Verdict:
    """Whether `node` holds for the facts bound to its aliases."""
    if isinstance(node, Compare):
        left, right = value(node.left, bound, ctx), value(node.right, bound, ctx)
        if left is ABSENT or right is ABSENT:
            return FALSE
        if isinstance(left, Unknown) or isinstance(right, Unknown):
            missing = [v.missing for v in (left, right) if isinstance(v, Unknown)]
            return Verdict(None, frozenset().union(*missing))
        if isinstance(left, date) != isinstance(right, date):
            return FALSE  # the loader types both sides alike; a hand-made tree may not
        return TRUE if _COMPARE[node.op](left, right) else FALSE
    if isinstance(node, Recorded):
        got = value(node.subject, bound, ctx)
        if isinstance(got, Unknown):
            return Verdict(None, got.missing)
        return TRUE if (got is not ABSENT) == node.present else FALSE
    if isinstance(node, AllOf):
        return all_of(evaluate(item, bound, ctx) for item in node.items)
    if isinstance(node, AnyOf):
        return any_of(evaluate(item, bound, ctx) for item in node.items)
    if isinstance(node, Not):
        return negate(evaluate(node.item, bound, ctx))
    if isinstance(node, Term):
        verdict = _term(node, bound, ctx)
        return verdict if node.expected else negate(verdict)
    if isinstance(node, Exists):
        if ctx.facts is None:  # every engine and the judge give them; an explanation may not
            return Verdict(None, frozenset({Missing("not_recorded", "the case", "its facts")}))
        found = any_of(
            passes(node, c, bound, ctx)
            for c in narrowed(node.alias, node.fact_type, node.tests, bound, ctx)
        )
        return found if node.present else negate(found)
    raise TypeError(f"not a condition: {node!r}")


_READS: dict[int, tuple[Term, tuple[str, ...]]] = {}
"""The aliases each named condition's definition reads, by the node (kept alive here, so
that its id is never reused)."""


def _term(node: Term, bound: Bound, ctx: Context) -> Verdict:
    """The verdict of a named condition's definition: it reads only the facts bound to the
    aliases it names, the calendar, the evaluation date and the case's facts, so in one
    context it is the same wherever those facts are the same."""
    known = _READS.get(id(node))
    if known is None or known[0] is not node:
        reads = aliases_read(node.body) | {node.alias}
        known = _READS[id(node)] = (node, tuple(sorted(reads)))
    key = (node.name, *(_identity(bound.get(a)) for a in known[1]))
    verdict = ctx.terms.get(key)
    if verdict is None:
        verdict = ctx.terms[key] = evaluate(node.body, bound, ctx)
    return verdict


def _identity(fact: EngineFact | None) -> tuple[str, str] | None:
    return None if fact is None else (fact.type_name, fact.id)


def candidates(node: Exists, ctx: Context) -> Sequence[EngineFact]:
    """The facts an existence test looks through: every fact of its type in the case."""
    return () if ctx.facts is None else ctx.facts.get(node.fact_type, ())


def narrowed(
    alias: str, fact_type: str, tests: Sequence[Condition], bound: Bound, ctx: Context
) -> Sequence[EngineFact]:
    """The facts of `fact_type` that `tests` might not rule out when bound to `alias`, in
    order. Where the case's facts are a `CaseIndex` and a test requires a field of the fact to
    equal a value of the other facts (`placement: {ref: placement.id}`) or a constant, only
    the facts whose field equals it, or is not set (it may be unknown), are looked at (the
    fewest, of every such test); every other fact fails that test, so `all_of` is false for it
    whatever the rest give. Without such a test, or with a few facts of the type (`_FEW`),
    every fact of the type."""
    facts = ctx.facts
    if facts is None:
        return ()
    every = facts.get(fact_type, ())
    if not isinstance(facts, CaseIndex) or len(every) <= _FEW:
        return every
    best: tuple[int, str, Any] | None = None
    for name, other in _equalities(alias, tests):
        wanted = value(other, bound, ctx)
        if wanted is ABSENT:
            return ()  # a comparison with a value not there is false for every fact
        if isinstance(wanted, Unknown):
            continue
        size = facts.count(fact_type, name, (wanted,))
        if best is None or size < best[0]:
            best = (size, name, wanted)
    if best is None:
        return every
    return facts.where_or_unset(fact_type, best[1], (best[2],))


_FEW = 16
"""So few facts of a type that looking through them all costs less than a look-up."""


def _equalities(alias: str, tests: Iterable[Condition]) -> Iterator[tuple[str, Expr]]:
    """Each test that must hold for `all_of(tests)` to hold and requires a field of `alias`
    to equal a constant or a field of another fact: (the field, the other side)."""
    for test in tests:
        if isinstance(test, AllOf):
            yield from _equalities(alias, test.items)
        elif isinstance(test, Term) and test.expected:
            yield from _equalities(alias, (test.body,))
        elif isinstance(test, Compare) and test.op == "eq":
            for mine, other in ((test.left, test.right), (test.right, test.left)):
                fixed = isinstance(other, Const) or (
                    isinstance(other, Field) and other.alias != alias
                )
                if isinstance(mine, Field) and mine.alias == alias and fixed:
                    yield mine.name, other
                    break


def passes(node: Exists, candidate: EngineFact, bound: Bound, ctx: Context) -> Verdict:
    """Whether `candidate` passes the existence test's own tests (the rule's facts `bound`)."""
    here = {**bound, node.alias: candidate}
    return all_of(evaluate(test, here, ctx) for test in node.tests)


def negate(verdict: Verdict) -> Verdict:
    if verdict.truth is None:
        return verdict
    return FALSE if verdict.truth else TRUE


def all_of(verdicts: Iterable[Verdict]) -> Verdict:
    """Kleene's and: false if any is false, else unknown if any is unknown."""
    missing: set[Missing] = set()
    unknown = False
    for v in verdicts:
        if v.truth is False:
            return FALSE
        if v.truth is None:
            unknown = True
            missing |= v.missing
    return Verdict(None, frozenset(missing)) if unknown else TRUE


def any_of(verdicts: Iterable[Verdict]) -> Verdict:
    """Kleene's or: true if any is true, else unknown if any is unknown."""
    missing: set[Missing] = set()
    unknown = False
    for v in verdicts:
        if v.truth is True:
            return TRUE
        if v.truth is None:
            unknown = True
            missing |= v.missing
    return Verdict(None, frozenset(missing)) if unknown else FALSE


# -- duties over a period ------------------------------------------------------------------


def _date_of(expr: Expr, bound: Bound, ctx: Context, what: str) -> date | Unknown | None:
    """A date of the period: a date, an Unknown, or None where the facts do not record it."""
    got = value(expr, bound, ctx)
    if got is ABSENT:
        return None
    if isinstance(got, Unknown):
        return got
    if not isinstance(got, date):
        raise TypeError(f"the period's {what} is not a date: {got!r}")  # the loader refuses it
    return got


def period_days(
    period: EverySchoolDay, bound: Bound, ctx: Context, as_of: date
) -> tuple[date, ...] | Unknown:
    """The school days of a duty over a period, in order: every school day from its first day
    to its last, both included. A last day the facts do not record means the period has not
    ended: it runs to the evaluation date (at least its first day). Unknown where a date is
    not recorded but should be, or the calendar cannot count the days."""
    first = _date_of(period.first, bound, ctx, "first day")
    last = _date_of(period.last, bound, ctx, "last day")
    missing: frozenset[Missing] = frozenset().union(
        *(d.missing for d in (first, last) if isinstance(d, Unknown))
    )
    if missing:
        return Unknown(missing)
    if first is None:
        expr = period.first
        fact = _name(bound[expr.alias]) if isinstance(expr, (Field, TermValue)) else "the rule"
        return Unknown(frozenset({Missing("not_recorded", fact, str(expr))}))
    assert not isinstance(first, Unknown) and not isinstance(last, Unknown)
    end = last if last is not None else max(first, as_of)
    if ctx.calendar is None:
        reason = Missing("outside_calendar", "the period", "its school days", "no calendar")
        return Unknown(frozenset({reason}))
    try:
        if end < first:
            return ()
        days = tuple(ctx.calendar.school_days(first, end))
        return (*days, end) if ctx.calendar.is_school_day(end) else days
    except CalendarError as exc:
        subject = next(iter(bound.values()))
        return Unknown(
            frozenset({Missing("outside_calendar", _name(subject), "the period", str(exc))})
        )


def covered(
    covers: Covers, bound: Bound, ctx: Context, days: Sequence[date]
) -> tuple[date, ...] | Unknown:
    """The days of `days` that the fact bound to `covers`' alias covers: those from its start
    to its end (no end recorded: open-ended), or its one day. Unknown where the fact should
    record one of these dates and does not."""
    start = value(covers.start, bound, ctx)
    end = value(covers.end, bound, ctx) if covers.end is not None else start
    missing = [v.missing for v in (start, end) if isinstance(v, Unknown)]
    if missing:
        return Unknown(frozenset().union(*missing))
    if start is ABSENT:
        return ()
    return tuple(d for d in days if start <= d and (end is ABSENT or d <= end))


def day_runs(days: Iterable[date], among: Sequence[date]) -> tuple[tuple[date, date], ...]:
    """`days` (a subset of the school days `among`) as runs of consecutive school days, each
    (first, last): no school day of `among` between them is left out."""
    wanted = set(days)
    runs: list[tuple[date, date]] = []
    current: list[date] = []
    for day in among:
        if day in wanted:
            current.append(day)
        elif current:
            runs.append((current[0], current[-1]))
            current = []
    if current:
        runs.append((current[0], current[-1]))
    return tuple(runs)
