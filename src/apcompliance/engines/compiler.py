"""The engine split: what durable-rules' network matches, and what runs in Python on each match.

A rule's conditions are one tree (`language.conditions`). This module sends durable-rules only
the tests its network evaluates soundly (ENGINE-NOTES.md): the fact's type, tests of a field
against a constant of the same type (never a date, which it has no type for), `exists`, groups
of these (`any_of` bounded in size), and equality joins with a fact listed earlier in `when`,
among an alias's first tests. Everything else — comparisons between two facts' fields other
than equality, dates and date-times, calendar functions and the evaluation date, negation
(`unless`, `not`), existence tests (`exists`, `not_exists`: durable-rules' `none()` depends on
the order of the facts, ENGINE-NOTES.md), fields whose absence is unknown rather than none —
is a *residual* test, run in Python on each
candidate match by the one evaluator (`language.semantics`), as CLIPS runs its `test`
conditional element. A rule author never chooses: the split is made here, from the tree.

One catch-all rule sees every fact, so no fact is ever rejected as unhandled (ENGINE-NOTES:
MessageNotHandledException). It fires for every fact, so every case has an action:
durable-rules 2.0.28 frees a session in which no action ever fired twice (`double free or
corruption`, tests/test_engine.py).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from apcompliance.facts.vocabulary import FACT_TYPES, EngineFact
from apcompliance.language.conditions import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Const,
    Exists,
    Field,
    Not,
    Pattern,
    Recorded,
    RuleConditions,
    Term,
)
from apcompliance.language.parse import field_type
from apcompliance.language.rulebook import RuleBook

CATCH_ALL = "catch_all"
MAX_NETWORK_OPTIONS = 8
"""An `any_of` with more sets than this runs in Python (ENGINE-NOTES: durable-rules fails to
create a ruleset with 14 alternatives of two tests, and hangs on hundreds)."""
MAX_NETWORK_LEAVES = 16
_OPS = {"gt": "$gt", "gte": "$gte", "lt": "$lt", "lte": "$lte", "ne": "$neq"}
_NETWORK_TYPES = frozenset({"bool", "int", "str"})


@dataclass(frozen=True)
class EngineRule:
    """One compiled engine rule: the policy rule it stands for, its aliases in order, and the
    tests that run in Python on each match the network makes."""

    name: str
    rule_id: str
    aliases: tuple[str, ...]
    residual: tuple[Condition, ...]
    conditions: RuleConditions
    """The whole tree, which the Python evaluator runs."""


@dataclass(frozen=True)
class CompiledRules:
    definition: dict[str, Any]
    """The durable-rules ruleset definition (the network part), without actions."""
    engine_rules: dict[str, EngineRule]

    @functools.cached_property
    def fields(self) -> frozenset[str]:
        """Every fact field the network reads (with `id` and `t`): the only fields the engine
        needs to see, since no other can change a network match."""
        names = {"id", "t"}
        for body in self.definition.values():
            for entry in body["all"]:
                for condition in entry.values():
                    names |= _fields_read(condition)
        return frozenset(names)

    @functools.cached_property
    def matched_types(self) -> frozenset[str]:
        """The fact types some rule matches in `when`: the only facts the network needs to
        see (others, such as the register's days, are read by existence tests and periods,
        from the case's facts, never from the network)."""
        return frozenset(
            pattern.fact_type
            for rule in self.engine_rules.values()
            for pattern in rule.conditions.patterns
        )


def _fields_read(condition: dict[str, Any]) -> set[str]:
    ((op, body),) = condition.items()
    if op in ("$and", "$or"):
        return set().union(*(_fields_read(c) for c in body))
    ((field, value),) = body.items() if op.startswith("$") else ((op, body),)
    joined = set(value.values()) if isinstance(value, dict) else set()
    return {field} | joined


# -- which tests the network takes ----------------------------------------------------------------


def _sound_field(field: Field, types: dict[str, type[EngineFact]]) -> bool:
    """A field durable-rules compares soundly: typed bool, int or text, and absent only where
    absent means none (an `Unrecorded` field's absence is unknown, which the network cannot
    say)."""
    fact = types[field.alias]
    typed = field_type(fact, field.name)
    return (
        typed is not None
        and typed.name in _NETWORK_TYPES
        and field.name not in fact.unrecorded_fields()
    )


def _leaves(node: Condition) -> int:
    if isinstance(node, (AllOf, AnyOf)):
        return sum(_leaves(i) for i in node.items)
    if isinstance(node, Term):
        return _leaves(node.body)
    return 1


def _network_test(
    node: Condition,
    alias: str,
    earlier: frozenset[str],
    types: dict[str, type[EngineFact]],
    *,
    top: bool,
) -> bool:
    """Whether durable-rules evaluates `node`, a test of `alias`'s fact, as the tree means it."""
    if isinstance(node, Exists):
        return False  # never sent: durable-rules' none() depends on the order of the facts
    if isinstance(node, Compare):
        left, right = node.left, node.right
        if not (isinstance(left, Field) and left.alias == alias and _sound_field(left, types)):
            return False
        if isinstance(right, Const):
            return type(right.value) in (bool, int, str)
        return (  # an equality join with a fact bound earlier, among the alias's first tests
            top
            and node.op == "eq"
            and isinstance(right, Field)
            and right.alias in earlier
            and _sound_field(right, types)
        )
    if isinstance(node, Recorded):
        return node.subject.alias == alias and _sound_field(node.subject, types)
    if isinstance(node, (AllOf, AnyOf)):
        if isinstance(node, AnyOf) and len(node.items) > MAX_NETWORK_OPTIONS:
            return False
        return _leaves(node) <= MAX_NETWORK_LEAVES and all(
            _network_test(i, alias, earlier, types, top=False) for i in node.items
        )
    return False  # a named term, and not: run in Python


def split(
    conditions: RuleConditions,
) -> tuple[list[tuple[Pattern, list[Condition]]], list[Condition]]:
    """Each pattern with the tests the network takes, and the residual tests for Python."""
    types = {p.alias: FACT_TYPES[p.fact_type] for p in conditions.patterns}
    network: list[tuple[Pattern, list[Condition]]] = []
    residual: list[Condition] = []
    earlier: frozenset[str] = frozenset()
    for pattern in conditions.patterns:
        taken = []
        for test in pattern.tests:
            if _network_test(test, pattern.alias, earlier, types, top=True):
                taken.append(test)
            else:
                residual.append(test)
        network.append((pattern, taken))
        earlier |= {pattern.alias}
    if conditions.unless is not None:
        residual.append(Not(conditions.unless))
    return network, residual


# -- durable-rules JSON ----------


def _json(node: Condition) -> dict[str, Any]:
    if isinstance(node, Compare):
        assert isinstance(node.left, Field)
        field = node.left.name
        if isinstance(node.right, Field):
            return {field: {node.right.alias: node.right.name}}
        assert isinstance(node.right, Const)
        if node.op == "eq":
            return {field: node.right.value}
        return {_OPS[node.op]: {field: node.right.value}}
    if isinstance(node, Recorded):
        return {"$ex" if node.present else "$nex": {node.subject.name: 1}}
    if isinstance(node, AllOf):
        return _all([_json(i) for i in node.items])
    if isinstance(node, AnyOf):
        return {"$or": [_json(i) for i in node.items]}
    if isinstance(node, Term):
        return _json(node.body)
    raise TypeError(f"not a network test: {node!r}")


def _all(tests: list[dict[str, Any]]) -> dict[str, Any]:
    return tests[0] if len(tests) == 1 else {"$and": tests}


def _is_join(node: Condition) -> bool:
    return isinstance(node, Compare) and isinstance(node.right, Field)


def _pattern_json(pattern: Pattern, tests: list[Condition]) -> dict[str, Any]:
    """One alias's network condition: its type, then its joins (durable-rules looks equality
    joins up by hash only while they come first, before any group), then its other tests."""
    ordered = [*filter(_is_join, tests), *(t for t in tests if not _is_join(t))]
    return {"$and": [{"t": pattern.fact_type}, *(_json(t) for t in ordered)]}


def compile_rulebook(book: RuleBook) -> CompiledRules:
    """The durable-rules network of a rule book, and the table mapping engine rules back with
    each rule's residual tests."""
    definition: dict[str, Any] = {}
    table: dict[str, EngineRule] = {}
    for index, rule in enumerate(book.rules):
        conditions = book.conditions(rule.id)
        network, residual = split(conditions)
        name = f"r{index}"
        definition[name] = {"all": [{p.alias: _pattern_json(p, tests)} for p, tests in network]}
        table[name] = EngineRule(name, rule.id, conditions.aliases, tuple(residual), conditions)
    definition[CATCH_ALL] = {"all": [{"m": {"$ex": {"t": 1}}}]}
    return CompiledRules(definition=definition, engine_rules=table)
