"""Firings: the rules whose conditions hold (or might) for a case, from either engine.

A `Firing` is one rule and the facts bound to its aliases, with the verdict of its whole
condition: true, or unknown with what is missing. durable-rules' network proposes candidate
matches and `residual_firings` runs each rule's residual tests on them; the Python evaluator
(`oracle.PythonEngine`) runs the whole tree. Both evaluate tests with `language.semantics`, so a
rule file the loader accepted means the same on both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from apcompliance.engines.compiler import CompiledRules
from apcompliance.engines.durable import ENGINE_NAME, Engine, Match
from apcompliance.errors import EngineError
from apcompliance.facts.vocabulary import EngineFact
from apcompliance.language.semantics import NOTHING, Context, Missing, all_of, evaluate


@dataclass(frozen=True)
class Firing:
    """A rule that applies, or may apply, to the facts bound to its aliases."""

    rule_id: str
    facts: tuple[tuple[str, str], ...]
    """(alias, fact id) for each alias, in the order of `when`."""
    known: bool = True
    """False where the conditions could hold but need values the case does not give."""
    missing: frozenset[Missing] = NOTHING


def residual_firings(
    compiled: CompiledRules,
    matches: Iterable[Match],
    by_id: Mapping[str, EngineFact],
    ctx: Context,
) -> list[Firing]:
    """The network's matches that pass their rule's residual tests (or might), each once
    (durable-rules can fire twice for the same facts: ENGINE-NOTES)."""
    out: list[Firing] = []
    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    for match in matches:
        rule = compiled.engine_rules[match.engine_rule]
        key = (rule.rule_id, match.facts)
        if key in seen:
            continue
        seen.add(key)
        if not rule.residual:
            out.append(Firing(rule.rule_id, match.facts))
            continue
        bound = {alias: by_id[fact_id] for alias, fact_id in match.facts}
        if len(rule.residual) == 1:  # as all_of of one (most rules)
            verdict = evaluate(rule.residual[0], bound, ctx)
        else:
            verdict = all_of(evaluate(test, bound, ctx) for test in rule.residual)
        if verdict.truth is not False:
            out.append(Firing(rule.rule_id, match.facts, verdict.truth is True, verdict.missing))
    return out


class NetworkEngine:
    """durable-rules' network, then each rule's residual tests in Python."""

    def __init__(self, compiled: CompiledRules) -> None:
        self._compiled = compiled
        self._engine = Engine(compiled)
        self.name = ENGINE_NAME

    def firings(self, facts: list[EngineFact], case_id: str, ctx: Context) -> list[Firing]:
        """The firings over one case's facts; the residual tests read the case's facts (for
        existence tests) from `facts` itself, never from durable-rules."""
        if len({f.id for f in facts}) < len(facts):
            raise EngineError(f"case {case_id}: the rule engine failed (duplicate fact id)")
        fields, types = self._compiled.fields, self._compiled.matched_types
        matches = self._engine.run(
            [f.to_engine(fields) for f in facts if f.type_name in types], case_id
        )
        ctx = ctx.with_facts(facts)
        return residual_firings(self._compiled, matches, {f.id: f for f in facts}, ctx)

    def close(self) -> None:
        self._engine.close()
