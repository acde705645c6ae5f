"""The one syntax tree of rule conditions: `when`, `unless`, `except.when` and `met_by.where`.

The loader parses every condition of a rule file into these nodes once (`language.parse`),
checked against the fact vocabulary and typed. Everything that needs conditions works from the
tree: the engines (`engines.network` sends durable-rules the part it evaluates soundly, the
rest runs in Python), the evaluator (`language.semantics`, three-valued), explanations and
`why_not`, the handbook. A rule's conditions are one `Pattern` per fact it matches, each a
conjunction of tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

CompareOp = Literal["eq", "ne", "gt", "gte", "lt", "lte"]
COMPARE_OPS: tuple[CompareOp, ...] = ("eq", "ne", "gt", "gte", "lt", "lte")

ValueType = Literal["bool", "int", "float", "str", "date", "datetime"]
"""The types a value in a condition can have; a `str` may be limited to a set of choices."""


@dataclass(frozen=True)
class Const:
    """A constant written in the rule file."""

    value: Any


@dataclass(frozen=True)
class Field:
    """A field of the fact bound to `alias`: `placement.start_date`."""

    alias: str
    name: str

    def __str__(self) -> str:
        return f"{self.alias}.{self.name}"


@dataclass(frozen=True)
class TermValue:
    """A named value of a fact, defined in `rules/terms.yaml` (`exclusion.sixth_school_day`),
    with its definition written in terms of that fact."""

    alias: str
    name: str
    body: Expr = field(compare=False)

    def __str__(self) -> str:
        return f"{self.alias}.{self.name}"


FIRST_RECORDED = "first_recorded"
"""`first_recorded(a, b, ...)`: the first of the values the case records (not a calendar
function: it counts nothing)."""


@dataclass(frozen=True)
class Call:
    """A calendar function: `nth_school_day(n, date)` is the nth school day counting the date
    as day 1 when it is a school day; `school_day_on_or_before(date)`;
    `first_school_day_of_school_year(date)`, of the school year containing the date;
    `next_school_day(date)` and `previous_school_day(date)`, the school day strictly after or
    before it. Or `first_recorded(a, b, ...)` (`FIRST_RECORDED`)."""

    function: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class EvaluationDate:
    """The evaluation date (`{ref: as_of}`): the day the case is assessed as of, a date."""

    def __str__(self) -> str:
        return "as_of"


Expr = Const | Field | TermValue | Call | EvaluationDate


@dataclass(frozen=True)
class Compare:
    """`left op right`; false where either side is not recorded (absent), unknown where
    either side is a value the case does not record but should (see `semantics`)."""

    op: CompareOp
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Recorded:
    """`field: {exists: true|false}`: whether the fact records the field."""

    subject: Field
    present: bool


@dataclass(frozen=True)
class AllOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    item: Condition


@dataclass(frozen=True)
class Term:
    """A named condition of a fact, defined in `rules/terms.yaml` (`placement.school_commissioned`):
    true where its definition holds. `expected` is the truth the rule asks of it."""

    alias: str
    name: str
    body: Condition = field(compare=False)
    expected: bool = True

    def __str__(self) -> str:
        return f"{self.alias}.{self.name}"


@dataclass(frozen=True)
class Exists:
    """`exists: {fact: T, where: {tests}}`: some fact of type T of the case (a *candidate*,
    bound to `alias` while its tests run) passes `tests`, which test the candidate's fields and
    may read the rule's facts; with `present` false (`not_exists`), none does. The candidates
    are every fact of the type, in any order: the result never depends on their order."""

    alias: str
    fact_type: str
    tests: tuple[Condition, ...]
    present: bool = True


Condition = Compare | Recorded | AllOf | AnyOf | Not | Term | Exists


@dataclass(frozen=True)
class Pattern:
    """One fact a rule matches: its alias, its type, and the tests written under its alias
    (each a conjunct; a test may read the fields of other aliases)."""

    alias: str
    fact_type: str
    tests: tuple[Condition, ...]


@dataclass(frozen=True)
class Covers:
    """The days a satisfying fact covers: from its field `start` to its field `end` (a date
    range; where the fact has no `end`, open-ended), or, where `end` is None, the single day
    `start` (a day-level record, such as an attendance mark)."""

    start: Field
    end: Field | None = None


@dataclass(frozen=True)
class CoveredBy:
    """Facts that mark days of a period (`except_covered_by`, `also_covered_by`,
    `uncovered_by`): the school days a fact of `fact_type` passing `tests` (which may read the
    rule's aliases) covers, as `covers` says. The fact is bound to `alias`."""

    alias: str
    fact_type: str
    tests: tuple[Condition, ...]
    covers: Covers


@dataclass(frozen=True)
class EverySchoolDay:
    """A duty over a period: every school day from `first` to `last` (both included, dates
    of the rule's facts) must be covered by a satisfying fact, as `covers` says. Where `last`
    is not recorded the period has not ended: it runs to the evaluation date.

    `excused` (`except_covered_by`): the days such facts cover need no cover (I.7: a day with
    provision needs no work). `also` (`also_covered_by`): the days such facts cover are
    covered too (the register's marks of provision). `against` (`uncovered_by`): the days
    such facts cover are not covered, whatever else covers them (the register's mark E: no
    provision that day); days excused stay excused."""

    first: Expr
    last: Expr
    covers: Covers
    excused: CoveredBy | None = None
    also: CoveredBy | None = None
    against: CoveredBy | None = None


@dataclass(frozen=True)
class MetByPattern:
    """What satisfies a duty: a fact of `fact_type` passing `tests`, which may refer to the
    rule's aliases; bound to `alias` (never one of the rule's). With `period`, a duty over a
    period: met only when the satisfying facts cover every school day of it."""

    alias: str
    fact_type: str
    tests: tuple[Condition, ...]
    period: EverySchoolDay | None = None


@dataclass(frozen=True)
class RuleConditions:
    """Everything a rule asks of the facts, parsed: the facts it matches (`patterns`, in the
    order of `when`), its `unless` (over any of them), the condition under which its deadline
    exception applies, and what satisfies it."""

    rule_id: str
    patterns: tuple[Pattern, ...]
    unless: Condition | None = None
    exception: Condition | None = None
    met_by: MetByPattern | None = None
    values: tuple[tuple[str, Expr], ...] = ()
    """The named values its deadlines (and `met_by.on_or_after`) read, by reference
    (`exclusion.return_day`): each a term's value, worked out on the rule's facts."""

    @property
    def aliases(self) -> tuple[str, ...]:
        return tuple(p.alias for p in self.patterns)

    def conjuncts(self) -> tuple[Condition, ...]:
        """Every test of the match, `unless` as its negation."""
        tests = tuple(t for p in self.patterns for t in p.tests)
        return tests if self.unless is None else (*tests, Not(self.unless))


# -- walking the tree --------------------------------------------------------------------------


def children(node: Condition) -> tuple[Condition, ...]:
    """The conditions inside `node` over the same facts (an existence test's own tests read
    its candidate: see `existence_tests`)."""
    if isinstance(node, (AllOf, AnyOf)):
        return node.items
    if isinstance(node, Not):
        return (node.item,)
    if isinstance(node, Term):
        return (node.body,)
    return ()


def existence_tests(node: Condition) -> Iterator[Exists]:
    """Every existence test in the condition, nested ones and those in terms included."""
    if isinstance(node, Exists):
        yield node
        for test in node.tests:
            yield from existence_tests(test)
    for child in children(node):
        yield from existence_tests(child)


def expressions(node: Condition) -> Iterator[Expr]:
    """Every expression the condition reads of the facts it is evaluated on (and the
    evaluation date), terms' definitions included: an existence test's reads of its own
    candidate are not among them."""
    if isinstance(node, Compare):
        yield from _walk_expr(node.left)
        yield from _walk_expr(node.right)
    elif isinstance(node, Recorded):
        yield node.subject
    elif isinstance(node, Exists):
        for test in node.tests:
            for expr in expressions(test):
                if not (isinstance(expr, (Field, TermValue)) and expr.alias == node.alias):
                    yield expr
    for child in children(node):
        yield from expressions(child)


def _walk_expr(expr: Expr) -> Iterator[Expr]:
    yield expr
    if isinstance(expr, TermValue):
        yield from _walk_expr(expr.body)
    elif isinstance(expr, Call):
        for arg in expr.args:
            yield from _walk_expr(arg)


def fields_read(node: Condition) -> Iterator[Field]:
    for expr in expressions(node):
        if isinstance(expr, Field):
            yield expr


def aliases_read(node: Condition) -> frozenset[str]:
    """The aliases whose facts the condition reads."""
    return frozenset(f.alias for f in fields_read(node))


def terms_used(node: Condition) -> Iterator[Term | TermValue]:
    """Every named term the condition uses, nested ones included."""
    if isinstance(node, Term):
        yield node
    if isinstance(node, Compare):
        for side in (node.left, node.right):
            yield from (e for e in _walk_expr(side) if isinstance(e, TermValue))
    for child in (*children(node), *(node.tests if isinstance(node, Exists) else ())):
        yield from terms_used(child)
