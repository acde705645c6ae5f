"""A long history costs the same per record as a short one (issue 19, point 4): the facts a
test looks up by type and reference come from an index of the case (`facts/index.py`), never
from a scan of every fact for each firing. Counted, not timed: the conditions evaluated per
record stay flat from 300 to 1,200 records (they grew fourfold, quadratically, before), and
the index never leaves out a fact a test might not rule out. (Timings: benchmarks/history.py.)"""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apcompliance import Case, Evaluator, SchoolCalendar
from apcompliance.facts.index import CaseIndex
from apcompliance.facts.vocabulary import AbsenceFact
from apcompliance.language import semantics
from apcompliance.language.conditions import Compare, Const, Field
from apcompliance.language.semantics import Context, all_of, by_type, evaluate, narrowed
from benchmarks.cohort import DEFAULT_AS_OF
from benchmarks.history import history_case

ENGINES = ["python"] + (["durable"] if sys.version_info < (3, 13) else [])


def _conditions_evaluated(engine: str, records: int, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many conditions one evaluation of a history of `records` records evaluates."""
    calls = 0
    original = semantics.evaluate

    def counting(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        return original(*args, **kwargs)

    for name, module in list(sys.modules.items()):
        if name.startswith("apcompliance") and getattr(module, "evaluate", None) is original:
            monkeypatch.setattr(module, "evaluate", counting)
    case = Case.model_validate_json(json.dumps(history_case(records)))
    Evaluator(engine=engine).evaluate(  # type: ignore[arg-type]
        case, as_of=DEFAULT_AS_OF, calendar=SchoolCalendar.example()
    )
    monkeypatch.undo()
    return calls


@pytest.mark.parametrize("engine", ENGINES)
def test_conditions_evaluated_per_record_stay_flat_as_the_history_grows(engine, monkeypatch):
    short = _conditions_evaluated(engine, 300, monkeypatch) / 300
    long = _conditions_evaluated(engine, 1200, monkeypatch) / 1200
    assert long <= 1.2 * short, (short, long)  # on main: 4 times (python engine)


def _absence(id: str, placement: str | None, on: date, reported: date | None = None) -> AbsenceFact:
    return AbsenceFact.model_construct(  # a placement not set: a hand-made fact
        id=id,
        placement=placement,
        absent_on=on,
        provider_reported_on=reported,
        parents_contacted_on=None,
    )


def test_the_index_looks_records_up_by_kind_field_and_id_in_order():
    facts = [
        _absence("A1", "PL-1", date(2025, 11, 3)),
        _absence("A2", "PL-2", date(2025, 11, 4)),
        _absence("A3", "PL-1", date(2025, 11, 3)),
        _absence("A4", None, date(2025, 11, 5)),
    ]
    index = CaseIndex(facts, lambda f: f.type_name)
    assert list(index) == ["absence"] and len(index["absence"]) == 4
    assert [f.id for f in index.where("absence", "placement", "PL-1")] == ["A1", "A3"]
    assert index.where("absence", "placement", "PL-9") == []
    got = index.where_or_unset("absence", "placement", ["PL-2", "PL-1"])
    assert [f.id for f in got] == ["A1", "A2", "A3", "A4"]  # the unset one may be unknown
    assert index.count("absence", "placement", ["PL-2"]) == 2
    assert index.with_id("A2") is facts[1] and index.with_id("X") is None
    assert index.where("visit", "placement", "PL-1") == []


_PLACEMENTS = st.sampled_from(["PL-1", "PL-2", "PL-3", None])
_DAYS = st.sampled_from([date(2025, 11, d) for d in (3, 4, 5)] + [None])


@st.composite
def _absences(draw: st.DrawFn) -> list[AbsenceFact]:
    n = draw(st.integers(0, 40))  # more than semantics._FEW: the index is used
    return [
        _absence(f"A{i}", draw(_PLACEMENTS), draw(_DAYS) or date(2025, 11, 6), draw(_DAYS))
        for i in range(n)
    ]


_FIELDS = st.sampled_from(["placement", "absent_on", "provider_reported_on", "id"])
_TESTS = st.lists(
    st.one_of(
        st.builds(
            lambda f, g: Compare("eq", Field("met_by", f), Field("absence", g)), _FIELDS, _FIELDS
        ),
        st.builds(lambda f, v: Compare("eq", Const(v), Field("met_by", f)), _FIELDS, _PLACEMENTS),
        st.builds(lambda f, v: Compare("eq", Field("met_by", f), Const(v)), _FIELDS, _DAYS),
        st.builds(lambda f: Compare("ne", Field("met_by", f), Const("PL-1")), _FIELDS),
    ),
    max_size=3,
)


@settings(max_examples=200, deadline=None)
@given(_absences(), _TESTS, st.data())
def test_the_index_never_leaves_out_a_fact_the_tests_might_not_rule_out(facts, tests, data):
    if not facts:
        return
    subject = data.draw(st.sampled_from(facts))
    ctx = Context(SchoolCalendar.example(), DEFAULT_AS_OF).with_facts(facts)
    bound = {"absence": subject}
    got = narrowed("met_by", "absence", tests, bound, ctx)
    every = list(by_type(facts)["absence"])
    assert [f for f in every if f in got] == list(got)  # in order, each once
    for fact in every:
        if fact not in got:
            verdict = all_of(evaluate(t, {**bound, "met_by": fact}, ctx) for t in tests)
            assert verdict.truth is False, (fact, tests)


def test_a_test_of_a_reference_looks_up_only_the_facts_it_names():
    facts = [_absence(f"A{i}", f"PL-{i % 3}", date(2025, 11, 3)) for i in range(30)]
    ctx = Context(SchoolCalendar.example(), DEFAULT_AS_OF).with_facts(facts)
    tests = (Compare("eq", Field("met_by", "placement"), Field("absence", "placement")),)
    got = narrowed("met_by", "absence", tests, {"absence": facts[4]}, ctx)
    assert [f.id for f in got] == [f"A{i}" for i in range(1, 30, 3)]
    assert isinstance(ctx.facts, CaseIndex) and ctx.facts.lookups == 1
