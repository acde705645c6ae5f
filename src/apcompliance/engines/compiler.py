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
import json
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
"""An `any_of` with more sets than this runs in Python. durable-rules 2.0.28 (measured,
tests/test_engine_shapes.py) fails to create a ruleset with 14 alternatives of two tests, or
two groups of 7 and 6 such alternatives in one fact's condition ("error code: 113", its limit
of 32 expressions in a sequence); with 512 single-test alternatives it never returns."""
MAX_NETWORK_LEAVES = 16
"""At most this many tests in the one group of a fact's condition the network takes."""
MAX_NETWORK_TESTS_PER_TYPE = 48
"""At most this many alpha nodes (tests, a group counting each of its tests) under one fact
type in the network; a fact's tests that would pass it run in Python. durable-rules fails a
fact that has more than 64 tests pending at once ("error code: 303") and never returns with
512 tests under one node (measured, tests/test_engine_shapes.py). The bundled rules use at
most 13 for one type."""
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
        if not top or len(node.items) > MAX_NETWORK_OPTIONS or _leaves(node) > MAX_NETWORK_LEAVES:
            return False  # a group inside a group, or a large one: shapes durable-rules fails
        options = [i.items if isinstance(i, AllOf) else (i,) for i in node.items]
        return all(
            not isinstance(t, (AllOf, AnyOf)) and _network_test(t, alias, earlier, types, top=False)
            for option in options
            for t in option
        )
    return False  # a named term, and not: run in Python


class AlphaBudget:
    """The alpha nodes the network has under each fact type so far (`MAX_NETWORK_TESTS_PER_TYPE`):
    the tests of each fact's condition in the order sent, a path from the type's node; paths
    share their common beginning, as durable-rules' nodes do."""

    def __init__(self) -> None:
        self._paths: dict[str, set[tuple[str, ...]]] = {}
        self._used: dict[str, int] = {}

    def take(self, pattern: Pattern, tests: list[Condition]) -> bool:
        """Count `tests` (one fact's network tests) under its type, unless that would pass the
        budget: then count nothing and say False (the tests run in Python instead)."""
        paths = self._paths.setdefault(pattern.fact_type, set())
        path: tuple[str, ...] = ()
        if any(isinstance(t, (AllOf, AnyOf)) for t in tests):
            path = (str(len(paths)),)  # measured: paths through a group are not shared
        new: list[tuple[str, ...]] = []
        cost = 0
        for test in _ordered(tests):
            path = (*path, json.dumps(_json(test), sort_keys=True))
            if path not in paths:
                new.append(path)
                cost += _leaves(test)
        used = self._used.get(pattern.fact_type, 0) + cost
        if used > MAX_NETWORK_TESTS_PER_TYPE:
            return False
        paths.update(new)
        self._used[pattern.fact_type] = used
        return True


def split(
    conditions: RuleConditions, budget: AlphaBudget | None = None
) -> tuple[list[tuple[Pattern, list[Condition]]], list[Condition]]:
    """Each pattern with the tests the network takes, and the residual tests for Python. At
    most one group (`any_of`, `all_of`) of a fact's tests goes to the network; with `budget`,
    the network's tests under each fact type are bounded too."""
    types = {p.alias: FACT_TYPES[p.fact_type] for p in conditions.patterns}
    network: list[tuple[Pattern, list[Condition]]] = []
    residual: list[Condition] = []
    earlier: frozenset[str] = frozenset()
    for pattern in conditions.patterns:
        taken: list[Condition] = []
        kept: list[Condition] = []
        grouped = False
        for test in pattern.tests:
            group = isinstance(test, (AllOf, AnyOf))
            if not (group and grouped) and _network_test(
                test, pattern.alias, earlier, types, top=True
            ):
                taken.append(test)
                grouped = grouped or group
            else:
                kept.append(test)
        if taken and budget is not None and not budget.take(pattern, taken):
            kept, taken = list(pattern.tests), []
        residual += kept
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
    return {"$and": [{"t": pattern.fact_type}, *(_json(t) for t in _ordered(tests))]}


def _ordered(tests: list[Condition]) -> list[Condition]:
    return [*filter(_is_join, tests), *(t for t in tests if not _is_join(t))]


def compile_rulebook(book: RuleBook) -> CompiledRules:
    """The durable-rules network of a rule book, and the table mapping engine rules back with
    each rule's residual tests."""
    definition: dict[str, Any] = {}
    table: dict[str, EngineRule] = {}
    budget = AlphaBudget()
    for index, rule in enumerate(book.rules):
        conditions = book.conditions(rule.id)
        network, residual = split(conditions, budget)
        name = f"r{index}"
        definition[name] = {"all": [{p.alias: _pattern_json(p, tests)} for p, tests in network]}
        table[name] = EngineRule(name, rule.id, conditions.aliases, tuple(residual), conditions)
    definition[CATCH_ALL] = {"all": [{"m": {"$ex": {"t": 1}}}]}
    return CompiledRules(definition=definition, engine_rules=table)
