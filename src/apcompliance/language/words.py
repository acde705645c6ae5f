"""Conditions in words, for explanations, `why_not` and the handbook: from the one tree.

`describe(node, own)` says what a test asks (`school_days is more than 5`); `held(node, …)`
what a fact has that passes it; `actual(node, …)` what it has instead. `own` is the alias
whose fact the words are about: its fields are named plainly, other facts' as `alias.field`.
An existence test reads `there is a return_to_school with placement matching placement.id`
(or `there is no …`); where the case's facts are at hand, `held` and `actual` name the facts
that pass its tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from apcompliance.language.conditions import (
    AllOf,
    AnyOf,
    Call,
    Compare,
    Condition,
    Const,
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
    fields_read,
)
from apcompliance.language.semantics import (
    ABSENT,
    Context,
    Unknown,
    candidates,
    evaluate,
    passes,
    value,
)

Show = Callable[[Any], str]

_ORDER_WORDS = {
    "gt": ("more than", "after"),
    "gte": ("at least", "on or after"),
    "lt": ("less than", "before"),
    "lte": ("at most", "on or before"),
}


def name(expr: Expr, own: str | None, show: Show) -> str:
    """An expression as a reader would name it."""
    if isinstance(expr, Const):
        return show(expr.value)
    if isinstance(expr, (Field, TermValue)):
        return expr.name if expr.alias == own else f"{expr.alias}.{expr.name}"
    if isinstance(expr, EvaluationDate):
        return "the evaluation date"
    args = ", ".join(name(a, own, show) for a in expr.args)
    return f"{expr.function}({args})"


_DATED = ("_date", "_day", "_on", "_at")


def _is_dated(expr: Expr) -> bool:
    if isinstance(expr, Const):
        return isinstance(expr.value, (date, datetime))
    if isinstance(expr, TermValue):
        return _is_dated(expr.body)
    return isinstance(expr, (Call, EvaluationDate)) or (
        isinstance(expr, Field) and expr.name.endswith(_DATED)
    )


def describe(node: Condition, own: str | None, show: Show) -> str:
    """A test in words: `school_days is more than 5`, `of kind off_site_direction`."""
    if isinstance(node, AnyOf):
        parts = [_grouped(i, own, show) for i in node.items]
        return "either " + " or ".join(parts)
    if isinstance(node, AllOf):
        return " and ".join(describe(i, own, show) for i in node.items)
    if isinstance(node, Not):
        return f"not ({describe(node.item, own, show)})"
    if isinstance(node, Term):
        subject = node.name if node.alias == own else f"{node.alias}.{node.name}"
        return f"{subject} is {'true' if node.expected else 'false'}"
    if isinstance(node, Recorded):
        field = name(node.subject, own, show)
        return f"{field} is recorded" if node.present else f"{field} is not recorded"
    if isinstance(node, Exists):
        return _there_is(node, show)
    left, right = name(node.left, own, show), name(node.right, own, show)
    joined = not isinstance(node.right, Const)
    if node.op == "eq":
        if joined:
            return f"{left} must match {right}"
        return f"of kind {right}" if left == "kind" else f"{left} is {right}"
    if node.op == "ne":
        return f"{left} is not {right}"
    numeric, dated = _ORDER_WORDS[node.op]
    return (
        f"{left} is {dated if _is_dated(node.right) or _is_dated(node.left) else numeric} {right}"
    )


def _there_is(node: Exists, show: Show, found: str = "") -> str:
    """`there is a return_to_school (RTS-1) with placement matching placement.id`."""
    article = "an" if node.fact_type[:1] in "aeiou" else "a"
    text = (
        f"there is {article} {node.fact_type}" if node.present else f"there is no {node.fact_type}"
    )
    text += f" ({found})" if found else ""
    if node.tests:
        text += " where " + " and ".join(describe(t, node.alias, show) for t in node.tests)
    return text


def passing_ids(node: Exists, bound: Mapping[str, Any], ctx: Context) -> list[str] | None:
    """The ids of the facts that pass an existence test's tests, in the case's order (None:
    the case's facts are not at hand)."""
    if ctx.facts is None:
        return None
    return [c.id for c in candidates(node, ctx) if passes(node, c, bound, ctx).truth is True]


def _grouped(node: Condition, own: str | None, show: Show) -> str:
    text = describe(node, own, show)
    return f"({text})" if isinstance(node, AllOf) and len(node.items) > 1 else text


def _value_text(expr: Expr, bound: Mapping[str, Any], ctx: Context, show: Show) -> str:
    if not aliases_read_expr(expr) <= set(bound):
        return "not yet known"
    got = value(expr, bound, ctx)
    if got is ABSENT:
        return "not recorded"
    if isinstance(got, Unknown):
        return "not known"
    return show(got)


def aliases_read_expr(expr: Expr) -> set[str]:
    if isinstance(expr, (Field, TermValue)):
        return {expr.alias}
    if isinstance(expr, Call):
        return set().union(*(aliases_read_expr(a) for a in expr.args))
    return set()  # a constant, or the evaluation date


def held(node: Condition, own: str, bound: Mapping[str, Any], ctx: Context, show: Show) -> str:
    """A test the fact passes, with its value: `school_days is 7 (more than 5)`."""
    if isinstance(node, AnyOf):
        passing = [
            held(i, own, bound, ctx, show)
            for i in node.items
            if evaluate(i, bound, ctx).truth is True
        ]
        return " and ".join(passing) if passing else describe(node, own, show)
    if isinstance(node, AllOf):
        return " and ".join(held(i, own, bound, ctx, show) for i in node.items)
    if isinstance(node, (Not, Term)):
        return describe(node, own, show)
    if isinstance(node, Exists):
        found = passing_ids(node, bound, ctx) if node.present else None
        return _there_is(node, show, ", ".join(found or ()))
    if isinstance(node, Recorded):
        got = _value_text(node.subject, bound, ctx, show)
        return describe(node, own, show) + (f" ({got})" if node.present else "")
    left = name(node.left, own, show)
    got = _value_text(node.left, bound, ctx, show)
    if left == "kind" and node.op == "eq" and isinstance(node.right, Const):
        return f"of kind {got}"
    text = f"{left} is {got}"
    if not isinstance(node.right, Const):
        other = _value_text(node.right, bound, ctx, show)
        if node.op == "eq":
            return f"{text}, matching {name(node.right, own, show)}"
        return f"{text} ({describe(node, own, show).split(' is ', 1)[1]}, {other})"
    if node.op == "eq":
        return text
    return f"{text} ({describe(node, own, show).split(' is ', 1)[1]})"


def actual(node: Condition, own: str, bound: Mapping[str, Any], ctx: Context, show: Show) -> str:
    """What the facts have, for a test they fail: `its school_days is 3`; for an existence
    test, which facts of its type pass (`none of 2 return_to_school facts passes`)."""
    parts = []
    if isinstance(node, Exists) and ctx.facts is not None:
        found = passing_ids(node, bound, ctx) or []
        total = len(candidates(node, ctx))
        if node.present:
            parts.append(
                f"the case has no {node.fact_type}"
                if not total
                else f"none of the case's {total} {node.fact_type} fact{'s' * (total > 1)} passes"
            )
        else:
            parts.append(f"{', '.join(found)} {'passes' if len(found) == 1 else 'pass'}")
    for field in dict.fromkeys(fields_read(node)):
        if field.alias not in bound:
            continue
        got = _value_text(field, bound, ctx, show)
        label = f"its {field.name}" if field.alias == own else str(field)
        parts.append(f"{label} is {got}")
    for expr in _values(node):
        if aliases_read_expr(expr) <= set(bound):
            parts.append(f"{name(expr, own, show)} is {_value_text(expr, bound, ctx, show)}")
    return "; ".join(dict.fromkeys(parts))


def _values(node: Condition) -> list[TermValue]:
    out: list[TermValue] = []
    if isinstance(node, Compare):
        out += [e for e in (node.left, node.right) if isinstance(e, TermValue)]
    for child in node.items if isinstance(node, (AllOf, AnyOf)) else ():
        out += _values(child)
    if isinstance(node, Not):
        out += _values(node.item)
    return out


def reads_only(node: Condition, alias: str) -> bool:
    """Whether the test reads no fact but `alias`'s."""
    return aliases_read(node) <= {alias}


def describe_period(period: EverySchoolDay, show: Show) -> str:
    """A duty over a period in words: `covering every school day from
    exclusion.sixth_school_day to exclusion.last_day (each from its start_date to its end_date,
    open-ended where it has none)`."""
    first, last = name(period.first, None, show), name(period.last, None, show)
    cover = period.covers
    if cover.end is None:
        each = f"each on its {cover.start.name}"
    else:
        each = (
            f"each from its {cover.start.name} to its {cover.end.name}, open-ended where it "
            "has none"
        )
    but = ""
    for source, says in (
        (period.excused, "but the days covered by"),
        (period.also, "or covered by"),
        (period.against, "and never the days marked by"),
    ):
        if source is not None:
            tests = " and ".join(describe(t, source.alias, show) for t in source.tests)
            but += f", {says} {_article_of(source.fact_type)}"
            if tests:
                but += f" where {tests}"
    return f"covering every school day from {first} to {last} ({each}){but}"


def _article_of(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun.replace("_", " ")
