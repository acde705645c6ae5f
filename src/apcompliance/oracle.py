"""The second evaluator: the compiled rule conditions evaluated in plain Python.

`PythonEngine` takes the same `CompiledRules` as `engine.Engine` and answers the same
`run(facts, case_id) -> list[Match]`, but never touches durable-rules. It serves twice: as the
oracle of the differential tests (tests/test_oracle.py: both engines give identical findings on
thousands of generated cases), and as the evaluator where durable-rules cannot be imported
(CPython 3.13+; `Evaluator(engine="python")`, or `"auto"` there).

It reads the durable-rules JSON the compiler emits (each rule `{"all": [{alias: condition}, …]}`;
conditions built of `$and`, `$or`, `$ex`, `$nex`, `$neq`, `$gt`, `$gte`, `$lt`, `$lte`,
equality `{field: value}`, and joins, where the value is `{alias: field}`) and finds every
binding of distinct facts to the aliases, in alias order, pruning as soon as an alias fails.

It gives what durable-rules 2.0.28 gives, measured fact by fact (tests/test_oracle.py), and
not only what the rule format promises. durable-rules splits a condition in two: the tests
against constants (and "this field exists" for every join) decide which facts reach an alias;
the joins alone, kept in their `$and`/`$or` structure, are then evaluated against the facts
bound to the other aliases. Hence:

* A test on a missing field never holds: not even `$neq`; only `$nex` does.
* A join whose own field is missing fails quietly. So does an equality join among the first
  tests of the alias's `$and` (before any group) that names a missing field of another fact:
  durable-rules looks those up by hash first, and the lookup finds nothing.
* Any other join that is evaluated and meets a missing field — a `$neq`, `$gt`, … join, a join
  inside a group, an alias condition that is a bare equality join — fails the whole case
  (durable-rules' error 311; here `EngineError`), even for a binding of one fact to two
  aliases: the joins are evaluated before the facts are checked to be distinct.
* The joins are evaluated as durable-rules' `reduceExpressionSequence` does. A branch of an
  `$or` without joins counts as true there, so `{$or: [a == 1, b == x.b]}` holds only when the
  join does; and the end of a nested group ends the whole evaluation, so a join after a group
  (`{$and: [{$or: [...]}, b == x.b]}`) is never evaluated.
* Equality joins compare printed forms first: `true` never joins `1`.

No bundled rule has a join other than an equality among the first tests of its alias's
`$and`, nor compares values of different kinds (tests/test_oracle.py checks both), so only the
first two points arise with them. Not mirrored: values of different kinds compared (a string
with a number: durable-rules compares printed forms, this engine says they differ), the order
of strings beyond plain code-point order, and a join naming its own alias or a later one
(checked here once every alias it names is bound). Where durable-rules corrupts its heap
after failing a case (and may abort the process), this engine only raises; where it reads
uninitialised memory (a `$lt`/`$lte` join that does not hold: tests/test_memory_safety.py),
this engine compares as written. The rule loader refuses both kinds of join.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from apcompliance.compiler import CATCH_ALL, CompiledRules
from apcompliance.engine import Match
from apcompliance.errors import EngineError

PYTHON_ENGINE_NAME = "python (apcompliance.oracle)"

Fact = dict[str, Any]

_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "$gt": operator.gt,
    "$gte": operator.ge,
    "$lt": operator.lt,
    "$lte": operator.le,
}
_COMPARISONS = frozenset({"eq", "$neq", *_ORDER})
_PRESENCE = frozenset({"$ex", "$nex"})


@dataclass(frozen=True)
class _Test:
    """One test of a fact's field: against a constant, a join (`ref`), or presence."""

    field: str
    op: str
    """"eq", "$neq", "$gt", "$gte", "$lt", "$lte", "$ex" or "$nex"."""
    value: Any = None
    ref: tuple[str, str] | None = None
    """(alias, field) of a join."""


@dataclass(frozen=True)
class _Group:
    op: str
    """"$and" or "$or"."""
    items: tuple[_Node, ...]


_Node = _Test | _Group


class _JoinFailed(Exception):
    """A join named a missing field where durable-rules fails the case (its error 311)."""

    def __init__(self, test: _Test) -> None:
        self.test = test
        self.alias = "?"


def _parse(condition: Any) -> _Node:
    if not isinstance(condition, dict) or len(condition) != 1:
        raise ValueError(f"a condition is a mapping with one key, got {condition!r}")
    ((key, body),) = condition.items()
    if key in ("$and", "$or"):
        if not isinstance(body, list):
            raise ValueError(f"{key} takes a list, got {body!r}")
        return _Group(key, tuple(_parse(item) for item in body))
    if key.startswith("$"):
        if key not in _PRESENCE and key not in _COMPARISONS:
            raise ValueError(f"operator {key} is not supported by the python engine")
        if not isinstance(body, dict) or len(body) != 1:
            raise ValueError(f"{key} takes a mapping of one field, got {body!r}")
        ((field, value),) = body.items()
        op = key
    else:
        field, value, op = key, body, "eq"
    if op in _PRESENCE:
        return _Test(field, op)
    if isinstance(value, dict):
        if len(value) != 1:
            raise ValueError(f"a join is {{alias: field}}, got {value!r}")
        ((alias, other),) = value.items()
        return _Test(field, op, ref=(str(alias), str(other)))
    return _Test(field, op, value=value)


# --- comparing two values as durable-rules does ------------------------------------------------


def _compare(op: str, left: Any, right: Any) -> bool:
    """`left op right` for two present values. Numbers and booleans compare as numbers, strings
    as strings, JSON null equals only null; other mixtures differ (see the module notes)."""
    if left is None or right is None:
        same = left is None and right is None
        return same if op == "eq" else (not same if op == "$neq" else False)
    numeric = isinstance(left, (bool, int, float)) and isinstance(right, (bool, int, float))
    if not numeric and not (isinstance(left, str) and isinstance(right, str)):
        return op == "$neq"
    if op == "eq":
        return bool(left == right)
    if op == "$neq":
        return bool(left != right)
    return _ORDER[op](left, right)


def _printed(value: Any) -> str:
    """The form durable-rules hashes an equality join's value by."""
    if value is None:
        return "\x00null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:f}"
    return str(value)


# --- the two stages of a condition ------------------------------------------------------------


def _admits(node: _Node, fact: Fact) -> bool:
    """The first stage: constants and presence (a join only asks its own field to exist)."""
    if isinstance(node, _Group):
        if node.op == "$and":
            return all(_admits(item, fact) for item in node.items)
        return any(_admits(item, fact) for item in node.items)
    if node.op == "$ex":
        return node.field in fact
    if node.op == "$nex":
        return node.field not in fact
    if node.field not in fact:
        return False
    if node.ref is not None:
        return True
    return _compare(node.op, fact[node.field], node.value)


_END = "end"
_Step = _Test | str
"""One step of a join sequence: a join, or a marker ("$and", "$or", "end")."""


def _join_sequence(node: _Node) -> list[_Step]:
    """The second stage as durable-rules holds it: only the joins, each group opened by its
    marker and closed by an end marker (a group without joins keeps its markers)."""
    if isinstance(node, _Group):
        steps: list[_Step] = [node.op]
        for item in node.items:
            steps += _join_sequence(item)
        return [*steps, _END]
    return [node] if node.ref is not None else []


def _hashed(node: _Node) -> tuple[list[_Test], bool]:
    """The equality joins durable-rules looks up by hash before evaluating the joins, and
    whether a missing field there fails the case (a bare join) or only the lookup: those from
    the opening `$and` up to the first `$or` marker or end marker."""
    if isinstance(node, _Test):
        return ([node], True) if node.ref is not None and node.op == "eq" else ([], False)
    sequence = _join_sequence(node)
    found: list[_Test] = []
    if sequence[0] == "$and":
        for step in sequence[1:]:
            if step in ("$or", _END):
                break
            if isinstance(step, _Test) and step.op == "eq":
                found.append(step)
    return found, False


def _join(test: _Test, fact: Fact, bound: dict[str, Fact]) -> bool:
    assert test.ref is not None
    alias, field = test.ref
    other = bound[alias]
    if test.field not in fact or field not in other:
        raise _JoinFailed(test)
    return _compare(test.op, fact[test.field], other[field])


def _run_sequence(sequence: Sequence[_Step], fact: Fact, bound: dict[str, Fact]) -> bool:
    """The join sequence evaluated step by step as durable-rules 2.0.28 does
    (`reduceExpressionSequence`): one value shared by every level, set to true on entering a
    group; a group returns at the first end marker it meets, so a nested group's end also ends
    every enclosing group; a group that short-circuits skips to the first end marker after the
    step that follows the one it decided on."""
    value = True
    i = 0

    def reduce(op: str | None) -> None:
        nonlocal value, i
        value = True
        while i < len(sequence):
            step = sequence[i]
            if step == _END:
                return
            if isinstance(step, str):
                i += 1
                reduce(step)
            else:
                value = _join(step, fact, bound)
                i += 1
            if (op == "$and" and not value) or (op == "$or" and value):
                i += 1
                while i < len(sequence) and sequence[i] != _END:
                    i += 1
                return

    reduce(None)
    return value


@dataclass(frozen=True)
class _Alias:
    alias: str
    condition: _Node
    joins: tuple[_Step, ...]
    """Its join sequence; empty where it has no joins (a sequence without joins holds)."""
    hashed: tuple[_Test, ...]
    bare_join: bool
    names: frozenset[str]
    """The aliases its joins refer to."""
    fact_type: str | None
    """The `t` it requires, where its condition says so directly (an index, nothing more)."""

    @classmethod
    def of(cls, alias: str, condition: Any) -> _Alias:
        node = _parse(condition)
        sequence = _join_sequence(node)
        hashed, bare = _hashed(node)
        return cls(
            alias=alias,
            condition=node,
            joins=tuple(sequence) if any(isinstance(s, _Test) for s in sequence) else (),
            hashed=tuple(hashed),
            bare_join=bare,
            names=frozenset(t.ref[0] for t in _tests(node) if t.ref is not None),
            fact_type=_required_type(node),
        )

    def lookup_finds(self, fact: Fact, bound: dict[str, Fact]) -> bool:
        """Whether the hash lookup pairs `fact` with the facts bound (see `_hashed`)."""
        mine = [_printed(fact[t.field]) for t in self.hashed if t.field in fact]
        theirs = []
        for t in self.hashed:
            assert t.ref is not None
            other = bound[t.ref[0]]
            if t.ref[1] in other:
                theirs.append(_printed(other[t.ref[1]]))
            elif self.bare_join:
                raise _JoinFailed(t)
        return mine == theirs

    def joins_hold(self, fact: Fact, bound: dict[str, Fact]) -> bool:
        if not self.joins:
            return True
        try:
            return self.lookup_finds(fact, bound) and _run_sequence(self.joins, fact, bound)
        except _JoinFailed as failed:
            failed.alias = self.alias
            raise


def _tests(node: _Node) -> Iterator[_Test]:
    if isinstance(node, _Group):
        for item in node.items:
            yield from _tests(item)
    else:
        yield node


def _required_type(node: _Node) -> str | None:
    items = node.items if isinstance(node, _Group) and node.op == "$and" else (node,)
    for item in items:
        if isinstance(item, _Test) and item.field == "t" and item.op == "eq" and item.ref is None:
            return str(item.value) if isinstance(item.value, str) else None
    return None


@dataclass(frozen=True)
class _Rule:
    name: str
    rule_id: str
    aliases: tuple[_Alias, ...]
    checks: tuple[tuple[int, ...], ...]
    """For each position i, the aliases whose joins are checked once aliases 0..i are bound."""


def _rule(name: str, rule_id: str, body: Any) -> _Rule:
    if not isinstance(body, dict) or set(body) - {"all", "run"} or "all" not in body:
        raise ValueError(f"rule {name}: the python engine reads only {{'all': [...]}} rules")
    aliases = []
    for entry in body["all"]:
        if not isinstance(entry, dict) or len(entry) != 1:
            raise ValueError(f"rule {name}: each entry of 'all' is {{alias: condition}}")
        ((alias, condition),) = entry.items()
        aliases.append(_Alias.of(str(alias), condition))
    position = {a.alias: i for i, a in enumerate(aliases)}
    checks: list[list[int]] = [[] for _ in aliases]
    for i, a in enumerate(aliases):
        unknown = a.names - set(position)
        if unknown:
            raise ValueError(f"rule {name}: a join names no alias of the rule: {sorted(unknown)}")
        checks[max([i, *(position[n] for n in a.names)])].append(i)
    return _Rule(name, rule_id, tuple(aliases), tuple(tuple(c) for c in checks))


def _worth_binding(rule: _Rule, candidates: list[list[int]]) -> bool:
    """Whether binding can fire the rule, or fail the case: durable-rules evaluates an alias's
    joins for every binding of the aliases before it, whether or not later aliases have facts."""
    empty = next((i for i, c in enumerate(candidates) if not c), None)
    if empty is None:
        return True
    return any(a.joins for a in rule.aliases[:empty]) or rule.aliases[empty].bare_join


class PythonEngine:
    """The compiled rule book evaluated in plain Python; the interface of `engine.Engine`."""

    name = PYTHON_ENGINE_NAME

    def __init__(self, compiled: CompiledRules) -> None:
        self._compiled = compiled
        self._rules: list[_Rule] = []
        for name, body in compiled.definition.items():
            rule_id = CATCH_ALL if name == CATCH_ALL else compiled.engine_rules[name].rule_id
            try:
                self._rules.append(_rule(name, rule_id, body))
            except ValueError as exc:
                raise EngineError(f"rule {rule_id}: {exc}") from None

    def run(self, facts: list[dict[str, Any]], case_id: str) -> list[Match]:
        """Every firing of every rule over one case's facts (the catch-all's excepted)."""
        if not facts:
            return []
        seen: set[Any] = set()
        for fact in facts:
            key = fact.get("id")
            if key in seen:  # durable-rules: MessageObservedException
                raise EngineError(f"case {case_id}: the rule engine failed (duplicate fact id)")
            seen.add(key)
        by_type: dict[Any, list[int]] = defaultdict(list)
        for index, fact in enumerate(facts):
            by_type[fact.get("t")].append(index)
        everything = list(range(len(facts)))
        handled: set[int] = set()
        matches: list[Match] = []
        for rule in self._rules:
            candidates = []
            for a in rule.aliases:
                pool = by_type.get(a.fact_type, []) if a.fact_type is not None else everything
                admitted = [i for i in pool if _admits(a.condition, facts[i])]
                handled.update(admitted)
                candidates.append(admitted)
            if rule.name == CATCH_ALL or not _worth_binding(rule, candidates):
                continue
            try:
                matches += self._bindings(rule, candidates, facts)
            except _JoinFailed as failed:
                raise EngineError(
                    f"case {case_id}: the rule engine failed (rule {rule.rule_id}: the join on "
                    f"{failed.alias}.{failed.test.field} met a missing field, where "
                    "durable-rules fails the case too)"
                ) from None
        if len(handled) < len(facts):  # durable-rules: MessageNotHandledException
            raise EngineError(f"case {case_id}: the rule engine failed (a fact no rule reads)")
        return matches

    def _bindings(
        self, rule: _Rule, candidates: list[list[int]], facts: list[dict[str, Any]]
    ) -> list[Match]:
        found: list[Match] = []
        bound: dict[str, Fact] = {}
        used: list[int] = []
        last = len(rule.aliases) - 1

        def extend(i: int) -> None:
            a = rule.aliases[i]
            if a.bare_join and a.alias not in a.names and i in rule.checks[i]:
                try:  # durable-rules hashes the facts bound so far before any candidate
                    a.lookup_finds({}, bound)
                except _JoinFailed as failed:
                    failed.alias = a.alias
                    raise
            for index in candidates[i]:
                fact = facts[index]
                bound[a.alias] = fact
                held = all(
                    rule.aliases[j].joins_hold(bound[rule.aliases[j].alias], bound)
                    for j in rule.checks[i]
                )
                if held and index not in used:  # distinct facts, checked after the joins
                    if i == last:
                        found.append(
                            Match(
                                rule.name,
                                tuple((x.alias, str(bound[x.alias]["id"])) for x in rule.aliases),
                            )
                        )
                    else:
                        used.append(index)
                        extend(i + 1)
                        used.pop()
                del bound[a.alias]

        extend(0)
        return found

    def close(self) -> None:
        """Nothing to free (the interface of `engine.Engine`)."""
