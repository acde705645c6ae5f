"""The Python evaluator: every rule's whole condition tree evaluated in plain Python.

`PythonEngine` takes the same `CompiledRules` as the durable-rules engine and gives the same
firings, without durable-rules: it binds distinct facts to a rule's aliases in the order of
`when`, running each test (`language.semantics`) as soon as every fact it reads is bound and
pruning where one is false. It serves twice: as the oracle of the differential tests
(tests/test_oracle.py: both engines give identical findings), and as the engine where
durable-rules cannot be imported (CPython 3.13+; `Evaluator(engine="python")`, or `"auto"`).
"""

from __future__ import annotations

from dataclasses import dataclass

from apcompliance.engines.compiler import CATCH_ALL, CompiledRules, EngineRule
from apcompliance.engines.network import Firing
from apcompliance.errors import EngineError
from apcompliance.facts.vocabulary import EngineFact
from apcompliance.language.conditions import Condition, aliases_read
from apcompliance.language.semantics import Context, Missing, evaluate, narrowed

PYTHON_ENGINE_NAME = "python (apcompliance.engines.python)"


@dataclass(frozen=True)
class _Plan:
    """A rule's aliases with their fact types, and the tests to run once alias i is bound."""

    rule: EngineRule
    types: tuple[str, ...]
    tests_at: tuple[tuple[Condition, ...], ...]
    needs: frozenset[str]
    """The fact types it binds: a case without one of them gives it no firing."""


def _plan(rule: EngineRule) -> _Plan:
    conditions = rule.conditions
    position = {alias: i for i, alias in enumerate(conditions.aliases)}
    tests_at: list[list[Condition]] = [[] for _ in position]
    for test in conditions.conjuncts():
        read = aliases_read(test)
        at = max((position[a] for a in read), default=0)
        tests_at[at].append(test)
    types = tuple(p.fact_type for p in conditions.patterns)
    return _Plan(rule, types, tuple(tuple(t) for t in tests_at), frozenset(types))


class PythonEngine:
    """The compiled rule book evaluated in plain Python (the interface of the durable engine)."""

    name = PYTHON_ENGINE_NAME

    def __init__(self, compiled: CompiledRules) -> None:
        self._compiled = compiled
        self._plans = [
            _plan(rule) for name, rule in compiled.engine_rules.items() if name != CATCH_ALL
        ]

    def firings(self, facts: list[EngineFact], case_id: str, ctx: Context) -> list[Firing]:
        """Every firing of every rule over one case's facts."""
        if len({fact.id for fact in facts}) < len(facts):
            raise EngineError(f"case {case_id}: the rule engine failed (duplicate fact id)")
        ctx = ctx.with_facts(facts)  # by type: what the aliases bind and existence tests read
        present = {fact.type_name for fact in facts}
        out: list[Firing] = []
        for plan in self._plans:
            if plan.needs <= present:
                out += self._bindings(plan, ctx)
        return out

    def _bindings(self, plan: _Plan, ctx: Context) -> list[Firing]:
        aliases = plan.rule.aliases
        found: list[Firing] = []
        bound: dict[str, EngineFact] = {}
        used: set[str] = set()
        last = len(aliases) - 1

        def extend(i: int, missing: frozenset[Missing], known: bool) -> None:
            # only the facts the tests at i might not rule out (by an index of the case)
            for fact in narrowed(aliases[i], plan.types[i], plan.tests_at[i], bound, ctx):
                if fact.id in used:
                    continue
                bound[aliases[i]] = fact
                here_known, here_missing, holds = known, missing, True
                for test in plan.tests_at[i]:
                    verdict = evaluate(test, bound, ctx)
                    if verdict.truth is False:
                        holds = False
                        break
                    if verdict.truth is None:
                        here_known = False
                        here_missing = here_missing | verdict.missing
                if holds:
                    if i == last:
                        ids = tuple((a, bound[a].id) for a in aliases)
                        found.append(Firing(plan.rule.rule_id, ids, here_known, here_missing))
                    else:
                        used.add(fact.id)
                        extend(i + 1, here_missing, here_known)
                        used.discard(fact.id)
                del bound[aliases[i]]

        extend(0, frozenset(), True)
        return found

    def close(self) -> None:
        """Nothing to free (the interface of the durable engine)."""
