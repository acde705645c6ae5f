"""Compile a rule book to durable-rules JSON ruleset definitions. No `eval` anywhere.

Each rule becomes one engine rule over its `when` facts, with its `unless` folded in as the
negated test on that fact. A rule with an `except` gets a companion engine rule whose match
tells the judge the exception's deadline applies. One catch-all rule sees every fact, so no
fact is ever rejected as unhandled (ENGINE-NOTES: MessageNotHandledException). It fires for
every fact, so every case has an action: durable-rules 2.0.28 frees a session in which no
action ever fired twice (`double free or corruption`, tests/test_engine.py).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from apcompliance.rulebook import ANY_OF, REF, Rule, RuleBook

_NEGATE = {"$gt": "$lte", "$gte": "$lt", "$lt": "$gte", "$lte": "$gt"}
_OPS = {"gt": "$gt", "gte": "$gte", "lt": "$lt", "lte": "$lte", "ne": "$neq"}
CATCH_ALL = "catch_all"


@dataclass(frozen=True)
class EngineRule:
    """One compiled engine rule: which policy rule it stands for, and whether it is the
    companion that detects the rule's deadline exception."""

    name: str
    rule_id: str
    aliases: tuple[str, ...]
    exception: bool


@dataclass(frozen=True)
class CompiledRules:
    definition: dict[str, Any]
    """The durable-rules ruleset definition, without actions."""
    engine_rules: dict[str, EngineRule]

    @functools.cached_property
    def fields(self) -> frozenset[str]:
        """Every fact field a condition reads (with `id` and `t`): the only fields the engine
        needs to see, since no other can change a match."""
        names = {"id", "t"}
        for body in self.definition.values():
            for entry in body["all"]:
                for condition in entry.values():
                    names |= _fields_read(condition)
        return frozenset(names)


def _fields_read(condition: dict[str, Any]) -> set[str]:
    ((op, body),) = condition.items()
    if op in ("$and", "$or"):
        return set().union(*(_fields_read(c) for c in body))
    ((field, value),) = body.items() if op.startswith("$") else ((op, body),)
    joined = set(value.values()) if isinstance(value, dict) else set()
    return {field} | joined


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise TypeError("datetimes are not comparable in conditions")
    if isinstance(value, dt.date):
        return value.toordinal()
    if isinstance(value, dict):
        alias, field = REF.match(str(value["ref"])).groups()  # type: ignore[union-attr]
        return {alias: field}
    return value


def _test(field: str, test: Any) -> dict[str, Any]:
    """One field test in durable-rules JSON."""
    if isinstance(test, dict) and "ref" not in test:
        ((op, operand),) = test.items()
        if op == "exists":
            return {"$ex" if operand else "$nex": {field: 1}}
        if op == "eq":
            return {field: _value(operand)}
        return {_OPS[op]: {field: _value(operand)}}
    return {field: _value(test)}


def _tests(conds: dict[str, Any]) -> list[dict[str, Any]]:
    """A fact's tests in durable-rules JSON; `any_of` becomes `$or` of `$and`s."""
    out = []
    for field, test in conds.items():
        if field == "fact":
            continue
        if field == ANY_OF:
            out.append({"$or": [_all(_tests(option)) for option in test]})
        else:
            out.append(_test(field, test))
    return out


def _all(tests: list[dict[str, Any]]) -> dict[str, Any]:
    return tests[0] if len(tests) == 1 else {"$and": tests}


def _negate(test: dict[str, Any]) -> dict[str, Any]:
    """not(test), pushed down to single tests (de Morgan for `$and` / `$or`)."""
    ((op, body),) = test.items()
    if op == "$and":
        return {"$or": [_negate(t) for t in body]}
    if op == "$or":
        return _all([_negate(t) for t in body])
    if op == "$ex":
        return {"$nex": body}
    if op == "$nex":
        return {"$ex": body}
    if op == "$neq":
        ((field, value),) = body.items()
        return {field: value}
    if op in _NEGATE:
        return {_NEGATE[op]: body}
    return {"$neq": {op: body}}


def _is_join(test: dict[str, Any]) -> bool:
    ((op, body),) = test.items()
    return not op.startswith("$") and isinstance(body, dict)


def _fact_condition(
    fact_type: str, conds: dict[str, Any], extra: dict[str, Any], unless: dict[str, Any] | None
) -> dict[str, Any]:
    """One alias's condition: its type, then its joins (durable-rules looks equality joins up
    by hash only while they come first, before any group), then its other tests."""
    own = [*_tests(conds), *_tests(extra)]
    tests = [{"t": fact_type}, *filter(_is_join, own), *(t for t in own if not _is_join(t))]
    if unless:
        tests.append(_negate(_all(_tests(unless))))
    return {"$and": tests}


def _rule_conditions(rule: Rule, extra: dict[str, dict[str, Any]] | None = None) -> list[Any]:
    out = []
    for alias, conds in rule.when.items():
        more = (extra or {}).get(alias, {})
        unless = (rule.unless or {}).get(alias)
        out.append({alias: _fact_condition(rule.fact_type(alias), conds, more, unless)})
    return out


def compile_rulebook(book: RuleBook) -> CompiledRules:
    """The durable-rules definition of a rule book, and the table mapping engine rules back."""
    definition: dict[str, Any] = {}
    table: dict[str, EngineRule] = {}
    for index, rule in enumerate(book.rules):
        aliases = tuple(rule.when)
        name = f"r{index}"
        definition[name] = {"all": _rule_conditions(rule)}
        table[name] = EngineRule(name, rule.id, aliases, exception=False)
        if rule.except_ is not None:
            name = f"r{index}x"
            definition[name] = {"all": _rule_conditions(rule, rule.except_.when)}
            table[name] = EngineRule(name, rule.id, aliases, exception=True)
    definition[CATCH_ALL] = {"all": [{"m": {"$ex": {"t": 1}}}]}
    return CompiledRules(definition=definition, engine_rules=table)
