"""Parsing rule conditions from YAML into the condition tree, typed and checked once.

A fact's tests are a mapping (see docs/rule-format.md):

    field: value                         equality with a constant
    field: {eq|ne|gt|gte|lt|lte: value}  a comparison with a constant
    field: {OP: {ref: alias.name}}       a comparison with another fact's field or named value
    field: {ref: alias.name}             equality with another fact's field (a join)
    field: {exists: true|false}          whether the fact records the field
    term: true|false                     a named condition of the fact (rules/terms.yaml)
    any_of: [{tests}, {tests}, …]        at least one set holds
    all_of: [{tests}, …]                 every set holds
    not: {tests}                         the set does not hold
    exists: {fact: T, where: {tests}}    some fact of type T passes the tests (of its own
                                         fields; refs name the rule's facts)
    not_exists: {fact: T, where: {…}}    no fact of type T passes them

`field` may also be a named value of the fact (`sixth_school_day`); `{ref: as_of}` is the
evaluation date. Constants are checked against the field's type and choices; both sides of a
comparison must have one type. Errors are `ConditionError`s naming where, which the loader
turns into rule-file errors.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import types
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from apcompliance.facts.vocabulary import FACT_TYPES, EngineFact
from apcompliance.language.conditions import (
    COMPARE_OPS,
    FIRST_RECORDED,
    AllOf,
    AnyOf,
    Call,
    Compare,
    Condition,
    Const,
    CoveredBy,
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
    ValueType,
)

REF = re.compile(r"^([a-z][a-z_]*)\.([a-z][a-z_]*)$")
ANY_OF, ALL_OF, NOT = "any_of", "all_of", "not"
GROUPS = (ANY_OF, ALL_OF, NOT)
EXISTS, NOT_EXISTS = "exists", "not_exists"
EXISTENCE = (EXISTS, NOT_EXISTS)
AS_OF = "as_of"
"""`{ref: as_of}`: the evaluation date."""
CALENDAR_FUNCTIONS = (
    "nth_school_day",
    "school_day_on_or_before",
    "first_school_day_of_school_year",
    "next_school_day",
    "previous_school_day",
    "weeks_before",
)
"""The closed set of date functions a named value may use (docs/rule-format.md): counted on
the school calendar, or (`weeks_before`) in calendar weeks."""
OF_N = ("nth_school_day", "weeks_before")
"""The date functions of a number and a date: `{function: N, of: name}`."""
COUNT_LIMITS: dict[str, tuple[int, str]] = {
    "nth_school_day": (400, "school days"),
    "school_days_before": (400, "school days"),
    "weeks_before": (104, "weeks"),
    "every_weeks": (104, "weeks"),
    "every_months": (24, "months"),
    "hours_before": (8760, "hours"),
    "or_every_sessions": (800, "sessions"),
}
"""The largest count a rule file may give each counting key (docs/rule-format.md, Limits):
about two school years (190 school days a year), a year of hours; no clause counts more, and a
count of 100,000,000 school days would be a typing error. A larger one is refused at load."""


def count_limit(key: str, n: int) -> str | None:
    """Why the count `n` of `key` is too large (None: it is within `COUNT_LIMITS`)."""
    most, unit = COUNT_LIMITS.get(key, (n, ""))
    return f"at most {most} {unit} (docs/rule-format.md, Limits)" if n > most else None


OF_ONE_DATE = (
    "school_day_on_or_before",
    "first_school_day_of_school_year",
    "next_school_day",
    "previous_school_day",
)
"""The calendar functions of one date: `{function: name}`."""
EXCEPT_COVERED_BY = "except_covered_by"
"""In `every_school_day`: the facts whose days need no cover."""
ALSO_COVERED_BY = "also_covered_by"
"""In `every_school_day`: facts whose days are covered too (the register's marks)."""
UNCOVERED_BY = "uncovered_by"
"""In `every_school_day`: facts whose days are not covered, whatever else covers them."""
EXCUSED_ALIAS = "excused"
"""The alias `except_covered_by.where` binds the excusing fact to."""
SOURCE_ALIASES = {
    EXCEPT_COVERED_BY: EXCUSED_ALIAS,
    ALSO_COVERED_BY: "also",
    UNCOVERED_BY: "against",
}
"""The alias each source of marked days binds its fact to in its `where`."""
EARLIEST_OF = "earliest_of"
"""`{earliest_of: [date, date, …]}`: the earliest of the dates the facts record (a date not
recorded is passed over; none recorded: not recorded)."""

MAX_OPTIONS = 12
"""At most this many sets in one `any_of` (ENGINE-NOTES: durable-rules hangs on hundreds)."""


class ConditionError(ValueError):
    """A condition that does not parse or check; `where` is its key path in the rule."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where, self.message = where, message


@dataclass(frozen=True)
class Type:
    """A value's type, with its choices where it is limited to a set of strings."""

    name: ValueType
    choices: tuple[str, ...] | None = None

    def __str__(self) -> str:
        if self.choices:
            return "one of " + ", ".join(self.choices)
        return {
            "bool": "true/false",
            "int": "a whole number",
            "float": "a number",
            "str": "text",
        }.get(self.name, f"a {self.name}")


_PLAIN: dict[type, ValueType] = {
    bool: "bool",
    int: "int",
    float: "float",
    str: "str",
    dt.datetime: "datetime",
    dt.date: "date",
}


@functools.cache
def field_type(fact_type: type[EngineFact], name: str) -> Type | None:
    """The type of a fact's field, or None where conditions cannot test it (a list)."""
    annotation = fact_type.model_fields[name].annotation
    options = _flatten(annotation)
    options = [o for o in options if o is not type(None)]
    literal = [o for o in options if get_origin(o) is Literal]
    if literal:
        return Type("str", tuple(str(v) for o in literal for v in get_args(o)))
    for kind, name_ in _PLAIN.items():
        if options and all(o is kind for o in options):
            return Type(name_)
    return None


def _flatten(annotation: Any) -> list[Any]:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _flatten(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return [x for a in get_args(annotation) for x in _flatten(a)]
    return [annotation]


def const_type(value: Any) -> Type | None:
    for kind, name in _PLAIN.items():
        if type(value) is kind:
            return Type(name)
    return None


# -- terms ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TermDefinition:
    """A named value (`value:`) or condition (`means:`) of one fact type, from terms.yaml."""

    name: str
    of: str
    body: Any
    is_value: bool
    file: str
    says: str | None = None
    note: str | None = None


Vocabulary = Mapping[tuple[str, str], TermDefinition]
"""Named terms by (fact type, name)."""


class Parser:
    """Parses the conditions of one rule. `aliases` maps each alias in scope to its fact type
    (for `met_by`, the satisfying fact's own alias too); `terms` is the named vocabulary."""

    def __init__(self, aliases: Mapping[str, str], terms: Vocabulary) -> None:
        self.aliases = dict(aliases)
        self.terms = terms
        self._expanding: list[tuple[str, str]] = []
        self._own: list[tuple[str, str]] = []
        """While a term's definition is parsed: its fact type's name, which its references
        use for the fact it describes, and the alias that fact has in the rule."""

    def fact_type(self, alias: str, where: str) -> type[EngineFact]:
        name = self.aliases.get(alias)
        if name is None:
            raise ConditionError(where, f"{alias!r} is not an alias in when")
        if name not in FACT_TYPES:
            known = ", ".join(sorted(FACT_TYPES))
            raise ConditionError(where, f"unknown fact type {name!r} (known: {known})")
        return FACT_TYPES[name]

    # -- a fact's tests

    def tests(self, alias: str, conds: Any, where: str) -> tuple[Condition, ...]:
        """One fact's tests (a mapping), each a conjunct."""
        if not isinstance(conds, Mapping):
            raise ConditionError(where, "a mapping of tests, e.g. {field: value}")
        fact = self.fact_type(alias, where)
        out: list[Condition] = []
        for key, test in conds.items():
            here = f"{where}.{key}"
            if key == "fact":
                continue
            if key in GROUPS:
                out.append(self.group(alias, key, test, here))
            elif key in EXISTENCE:
                out.append(self.existence(key, test, here))
            elif key in fact.model_fields:
                out.append(
                    self.test(Field(alias, key), self.type_of_field(fact, key, here), test, here)
                )
            elif (fact.type_name, key) in self.terms:
                out.append(self.term_test(alias, key, test, here))
            else:
                raise ConditionError(where, f"fact {fact.type_name!r} has no field or term {key!r}")
        return tuple(out)

    def group(self, alias: str, key: str, body: Any, where: str) -> Condition:
        if key == NOT:
            return Not(_all(self.tests(alias, body, where)))
        if not isinstance(body, list) or len(body) < 2:
            raise ConditionError(where, f"{key}: a list of two or more sets of tests")
        if key == ANY_OF and len(body) > MAX_OPTIONS:
            raise ConditionError(where, f"any_of: at most {MAX_OPTIONS} sets of tests")
        items = []
        for i, option in enumerate(body):
            if not isinstance(option, Mapping) or not option:
                raise ConditionError(f"{where}[{i}]", "a mapping of tests")
            items.append(_all(self.tests(alias, option, f"{where}[{i}]")))
        return AnyOf(tuple(items)) if key == ANY_OF else AllOf(tuple(items))

    def existence(self, key: str, body: Any, where: str) -> Exists:
        """`exists: {fact: T, where: {tests}}` (or `not_exists`): the tests are of a candidate
        fact of type T, by its field names, and may refer to the facts in scope (`{ref:
        alias.name}`; in a term, to the fact it describes); the candidate has no alias of its
        own."""
        if not isinstance(body, Mapping) or "fact" not in body or set(body) - {"fact", "where"}:
            raise ConditionError(
                where, f"{key}: {{fact: <fact type>, where: {{tests of that fact}}}}"
            )
        fact = body["fact"]
        if not isinstance(fact, str) or fact not in FACT_TYPES:
            known = ", ".join(sorted(FACT_TYPES))
            raise ConditionError(f"{where}.fact", f"unknown fact type {fact!r} (known: {known})")
        tests = body.get("where", {})
        if not isinstance(tests, Mapping) or ("where" in body and not tests):
            raise ConditionError(
                f"{where}.where", "a mapping of tests of the fact; leave `where` out for any"
            )
        # the candidate's alias: one no rule can write (`~`), unique while existence tests nest
        candidate = f"{fact}~{sum(1 for a in self.aliases if '~' in a)}"
        self.aliases[candidate] = fact
        try:
            parsed = self.tests(candidate, tests, f"{where}.where") if tests else ()
        finally:
            del self.aliases[candidate]
        return Exists(candidate, fact, parsed, present=key == EXISTS)

    def type_of_field(self, fact: type[EngineFact], name: str, where: str) -> Type:
        typed = field_type(fact, name)
        if typed is None:
            raise ConditionError(
                where, f"{fact.type_name}.{name} is a list; conditions cannot test it"
            )
        return typed

    def test(self, left: Expr, left_type: Type, test: Any, where: str) -> Condition:
        """One test of a value: a constant, `{ref}`, `{op: operand}` or `{exists}`."""
        if isinstance(test, Mapping) and "ref" not in test:
            if len(test) != 1:
                raise ConditionError(
                    where,
                    f"a test is a value, {{ref: alias.name}} or one of "
                    f"{{{', '.join((*COMPARE_OPS, 'exists'))}: value}}; got {sorted(test)}",
                )
            ((op, operand),) = test.items()
            if op == "exists":
                if not isinstance(operand, bool) or not isinstance(left, Field):
                    raise ConditionError(where, "exists: true or false, on a field")
                return Recorded(left, operand)
            if op not in COMPARE_OPS:
                raise ConditionError(
                    where, f"unknown operator {op!r} (one of {', '.join((*COMPARE_OPS, 'exists'))})"
                )
        else:
            op, operand = "eq", test
        right, right_type = self.operand(operand, where)
        self.check_types(op, left_type, right, right_type, where)
        return Compare(op, left, right)

    def operand(self, operand: Any, where: str) -> tuple[Expr, Type]:
        if isinstance(operand, Mapping):
            if set(operand) != {"ref"}:
                raise ConditionError(where, "a reference is {ref: alias.name}")
            return self.ref(str(operand["ref"]), where)
        if operand is None:
            raise ConditionError(where, "compare with a value; test {exists: false} for none")
        typed = const_type(operand)
        if typed is None:
            raise ConditionError(where, f"{operand!r} is not a value a condition can compare")
        return Const(operand), typed

    def check_types(self, op: str, left: Type, right: Expr, right_type: Type, where: str) -> None:
        if left.name != right_type.name:
            raise ConditionError(
                where, f"compares {left} with {right_type} ({_shown(right)}); they must be alike"
            )
        if left.choices and isinstance(right, Const) and right.value not in left.choices:
            raise ConditionError(where, f"{right.value!r} is not {left}")
        if op not in ("eq", "ne") and (left.name == "bool" or left.choices):
            raise ConditionError(where, f"{op} compares order; {left} has none")

    def ref(self, ref: str, where: str) -> tuple[Expr, Type]:
        """`alias.name`: a field or a named value of a fact in scope; `as_of`: the evaluation
        date."""
        if ref == AS_OF:
            return EvaluationDate(), DATE
        m = REF.match(ref)
        if not m:
            raise ConditionError(where, f"{ref!r} is not a reference of the form alias.name")
        alias, name = m.groups()
        if self._own:
            own, bound = self._own[-1]
            if alias != own:
                raise ConditionError(
                    where, f"{ref!r}: a term of {own} refers only to its own fields ({own}.name)"
                )
            alias = bound
        fact = self.fact_type(alias, where)
        if name in fact.model_fields:
            return Field(alias, name), self.type_of_field(fact, name, where)
        definition = self.terms.get((fact.type_name, name))
        if definition is not None and definition.is_value:
            return self.term_value(alias, definition, where)
        raise ConditionError(where, f"fact {fact.type_name!r} has no field or named value {name!r}")

    # -- named terms

    def _enter(self, definition: TermDefinition, alias: str, where: str) -> None:
        key = (definition.of, definition.name)
        if key in self._expanding:
            chain = " -> ".join(n for _, n in [*self._expanding, key])
            raise ConditionError(where, f"term {definition.name!r} is defined by itself ({chain})")
        self._expanding.append(key)
        self._own.append((definition.of, alias))

    def _leave(self) -> None:
        self._expanding.pop()
        self._own.pop()

    def term_value(self, alias: str, definition: TermDefinition, where: str) -> tuple[Expr, Type]:
        self._enter(definition, alias, where)
        try:
            body, typed = self.value_expr(alias, definition.body, f"term {definition.name}")
        finally:
            self._leave()
        return TermValue(alias, definition.name, body), typed

    def term_test(self, alias: str, name: str, test: Any, where: str) -> Condition:
        definition = self.terms[(self.aliases[alias], name)]
        if definition.is_value:
            expr, typed = self.term_value(alias, definition, where)
            return self.test(expr, typed, test, where)
        if not isinstance(test, bool):
            raise ConditionError(where, f"{name} is a named condition: test it with true or false")
        self._enter(definition, alias, where)
        try:
            body = _all(self.tests(alias, definition.body, f"term {definition.name}"))
        finally:
            self._leave()
        return Term(alias, name, body, expected=test)

    def value_expr(self, alias: str, body: Any, where: str) -> tuple[Expr, Type]:
        """A named value's definition: a field or value of the same fact (by name), or a
        calendar function of them: `{nth_school_day: N, of: name}`,
        `{school_day_on_or_before: name}`, `{first_school_day_of_school_year: name}`."""
        fact = self.fact_type(alias, where)
        if body == AS_OF:
            return EvaluationDate(), DATE
        if isinstance(body, str):
            if body in fact.model_fields:
                return Field(alias, body), self.type_of_field(fact, body, where)
            definition = self.terms.get((fact.type_name, body))
            if definition is not None and definition.is_value:  # another named value
                return self.term_value(alias, definition, where)
            return self.ref(f"{alias}.{body}", where)
        if isinstance(body, Mapping):
            if set(body) == {FIRST_RECORDED}:
                return self._first_recorded(alias, body[FIRST_RECORDED], where)
            call = self._calendar_call(body, where, lambda arg: self.value_expr(alias, arg, where))
            if call is not None:
                return call
        raise ConditionError(
            where,
            "a named value is a field, another named value, one of "
            f"{', '.join(CALENDAR_FUNCTIONS)} ({{nth_school_day: N, of: name}}), or "
            "{first_recorded: [name, ...]}",
        )

    def _first_recorded(self, alias: str, options: Any, where: str) -> tuple[Expr, Type]:
        """`{first_recorded: [a, b, ...]}`: two or more values of one type, the first the case
        records (a field not recorded is skipped; one that should be is unknown)."""
        if not isinstance(options, list) or len(options) < 2:
            raise ConditionError(where, f"{FIRST_RECORDED}: a list of two or more values")
        parsed = [
            self.value_expr(alias, o, f"{where}.{FIRST_RECORDED}[{i}]")
            for i, o in enumerate(options)
        ]
        typed = parsed[0][1]
        for i, (_, t) in enumerate(parsed):
            if t.name != typed.name:
                raise ConditionError(
                    f"{where}.{FIRST_RECORDED}[{i}]", f"is {t}, not {typed} as the first value"
                )
        return Call(FIRST_RECORDED, tuple(e for e, _ in parsed)), typed

    def _calendar_call(
        self, body: Mapping[str, Any], where: str, date_of: Callable[[Any], tuple[Expr, Type]]
    ) -> tuple[Expr, Type] | None:
        """`{nth_school_day: N, of: date}`, `{school_day_on_or_before: date}` or
        `{first_school_day_of_school_year: date}`, each date read by `date_of`; None where
        `body` is none of them."""
        function = next((f for f in (*CALENDAR_FUNCTIONS, EARLIEST_OF) if f in body), None)
        if function in OF_N and set(body) == {function, "of"}:
            n = body[function]
            count: Expr
            if isinstance(n, str):  # a whole number the fact records (a term's own field)
                count, counted = date_of(n)
                if counted.name != "int":
                    raise ConditionError(where, f"{function}: {n} is {counted}, not a number")
            elif not isinstance(n, int) or isinstance(n, bool) or n < 1:
                raise ConditionError(where, f"{function}: a whole number from 1")
            elif (too_many := count_limit(function, n)) is not None:
                raise ConditionError(where, f"{function}: {too_many}")
            else:
                count = Const(n)
            start, typed = date_of(body["of"])
            if typed.name != "date":
                raise ConditionError(where, f"{function} counts from a date, not {typed}")
            return Call(function, (count, start)), Type("date")
        if function == EARLIEST_OF and len(body) == 1:
            dates = body[EARLIEST_OF]
            if not isinstance(dates, list) or len(dates) < 2:
                raise ConditionError(where, f"{EARLIEST_OF}: a list of two or more dates")
            args = []
            for each in dates:
                day, typed = date_of(each)
                if typed.name != "date":
                    raise ConditionError(where, f"{EARLIEST_OF} takes dates, not {typed}")
                args.append(day)
            return Call(function, tuple(args)), Type("date")
        if function in OF_ONE_DATE and len(body) == 1:
            day, typed = date_of(body[function])
            if typed.name != "date":
                raise ConditionError(where, f"{function} takes a date, not {typed}")
            return Call(function, (day,)), Type("date")
        return None

    # -- duties over a period

    def date_expr(self, body: Any, where: str) -> Expr:
        """A date of the rule's facts: `alias.name` (a field or named value) or a calendar
        function of one (`{nth_school_day: 6, of: exclusion.first_day}`)."""
        if isinstance(body, str):
            expr, typed = self.ref(body, where)
        elif isinstance(body, Mapping) and (
            call := self._calendar_call(body, where, lambda arg: (self.date_expr(arg, where), DATE))
        ):
            expr, typed = call
        else:
            raise ConditionError(
                where,
                "a date: alias.name, or a calendar function of one "
                "({nth_school_day: N, of: alias.name} or {school_day_on_or_before: alias.name})",
            )
        if typed.name != "date":
            raise ConditionError(where, f"{_shown(expr)} is {typed}, not a date")
        return expr

    def period(self, every: Any, covers: Covers, where: str) -> EverySchoolDay:
        """`every_school_day: {from: date, to: date}` (`where`): dates of the rule's facts;
        `covers` says which days each satisfying fact covers (see `covers`). Optional sources
        of marked days, each `{fact: type, where: {tests}, covers: …}`: `except_covered_by`
        (days that need no cover), `also_covered_by` (days covered too), `uncovered_by` (days
        not covered, whatever else covers them)."""
        if not isinstance(every, Mapping) or not {"from", "to"} <= set(every) <= {
            "from",
            "to",
            *SOURCE_ALIASES,
        }:
            raise ConditionError(
                where,
                "{from: date, to: date}: the period's first and last day (and optionally "
                f"{', '.join(SOURCE_ALIASES)})",
            )
        first = self.date_expr(every["from"], f"{where}.from")
        last = self.date_expr(every["to"], f"{where}.to")
        sources = {
            key: self.covered_by(every[key], alias, f"{where}.{key}")
            for key, alias in SOURCE_ALIASES.items()
            if key in every
        }
        return EverySchoolDay(
            first,
            last,
            covers,
            sources.get(EXCEPT_COVERED_BY),
            sources.get(ALSO_COVERED_BY),
            sources.get(UNCOVERED_BY),
        )

    def covered_by(self, body: Any, alias: str, where: str) -> CoveredBy:
        """`{fact: type, where: {tests}, covers: {from: field, to: field} | {day: field}}`,
        the fact bound to `alias`."""
        if not isinstance(body, Mapping) or not {"fact", "covers"} <= set(body) <= {
            "fact",
            "where",
            "covers",
        }:
            raise ConditionError(where, "{fact: type, where: {tests}, covers: {...}}")
        fact = body["fact"]
        if fact not in FACT_TYPES:
            raise ConditionError(f"{where}.fact", f"unknown fact type {fact!r}")
        if alias in self.aliases:
            raise ConditionError(where, f"the alias {alias!r} is taken")
        inner = Parser({**self.aliases, alias: fact}, self.terms)
        tests = inner.tests(alias, body.get("where") or {}, f"{where}.where")
        return CoveredBy(alias, fact, tests, inner.covers(body["covers"], alias, f"{where}.covers"))

    def covers(self, covers: Any, alias: str, where: str) -> Covers:
        """`covers: {from: field, to: field}` (a date range of the fact bound to `alias`; no
        `to` recorded: open-ended) or `covers: {day: field}` (a day-level record)."""
        if covers is None:
            raise ConditionError(
                where,
                "missing: the days each fact covers, {from: field, to: field} or {day: field}",
            )
        fact = self.fact_type(alias, where)
        if isinstance(covers, Mapping) and set(covers) == {"day"}:
            return Covers(self._day_field(fact, alias, covers["day"], f"{where}.day"))
        if isinstance(covers, Mapping) and set(covers) == {"from", "to"}:
            start = self._day_field(fact, alias, covers["from"], f"{where}.from")
            end = self._day_field(fact, alias, covers["to"], f"{where}.to")
            return Covers(start, end)
        raise ConditionError(
            where,
            "{from: field, to: field} (a date range; no `to` recorded: open-ended) or "
            "{day: field} (a single day)",
        )

    def _day_field(self, fact: type[EngineFact], alias: str, name: Any, where: str) -> Field:
        if not isinstance(name, str) or name not in fact.model_fields:
            raise ConditionError(where, f"fact {fact.type_name!r} has no field {name!r}")
        typed = self.type_of_field(fact, name, where)
        if typed.name != "date":
            raise ConditionError(where, f"{fact.type_name}.{name} is {typed}, not a date")
        return Field(alias, name)


DATE = Type("date")


def _all(items: Sequence[Condition]) -> Condition:
    return items[0] if len(items) == 1 else AllOf(tuple(items))


def all_of(items: Sequence[Condition]) -> Condition:
    """One condition of several conjuncts (none: always true)."""
    return _all(items)


def _shown(expr: Expr) -> str:
    return repr(expr.value) if isinstance(expr, Const) else str(expr)
