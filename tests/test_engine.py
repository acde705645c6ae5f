"""The engine wrapper: isolation between cases, rebuilds, threads, errors surfaced."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from apcompliance import EngineError, EngineUnavailableError, Evaluator
from apcompliance.engines import durable as engine_module
from apcompliance.engines.python import PYTHON_ENGINE_NAME
from tests.conftest import DURABLE_RULES, make_case

AS_OF = date(2025, 11, 10)


def suspension_case(case_id: str, first_day: str, days: int):
    return make_case(
        case_id,
        events=[{"kind": "suspension", "id": "S1", "first_day": first_day, "school_days": days}],
    )


def summary(assessment):
    return sorted((f.rule_id, str(f.due), f.status, f.subject) for f in assessment.findings)


def test_a_case_sees_none_of_the_previous_cases_facts(calendar):
    evaluator = Evaluator()
    long = suspension_case("A", "2025-10-16", 7)
    short = suspension_case("B", "2025-11-03", 2)
    alone = summary(Evaluator().evaluate(short, as_of=AS_OF, calendar=calendar))
    evaluator.evaluate(long, as_of=AS_OF, calendar=calendar)
    after = summary(evaluator.evaluate(short, as_of=AS_OF, calendar=calendar))
    assert after == alone
    assert not any(rule == "I.1-sixth-day-provision" for rule, *_ in after)


def test_building_the_rule_set_twice_in_one_process_works(calendar):
    case = suspension_case("A", "2025-10-16", 7)
    first = Evaluator().evaluate(case, as_of=AS_OF, calendar=calendar)
    second = Evaluator().evaluate(case, as_of=AS_OF, calendar=calendar)
    assert summary(first) == summary(second)
    assert ("I.1-sixth-day-provision", "2025-10-31", "overdue", "exclusion S1") in summary(first)


def test_many_rebuilds_start_no_threads():
    before = threading.active_count()
    for _ in range(20):
        Evaluator().engine.close()
    assert threading.active_count() <= before


def test_eight_threads_give_the_same_findings_as_one(calendar):
    evaluator = Evaluator()
    cases = [
        suspension_case(f"C{i}", start, days)
        for i, (start, days) in enumerate(
            [("2025-10-16", 7), ("2025-11-03", 2), ("2025-09-15", 6), ("2025-12-01", 9)] * 6
        )
    ]
    sequential = [summary(evaluator.evaluate(c, as_of=AS_OF, calendar=calendar)) for c in cases]
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(
            pool.map(
                lambda c: summary(evaluator.evaluate(c, as_of=AS_OF, calendar=calendar)), cases
            )
        )
    assert parallel == sequential


@pytest.mark.durable
def test_an_exception_in_an_action_reaches_the_caller(calendar, monkeypatch):
    evaluator = Evaluator(engine="durable")
    case = suspension_case("X", "2025-10-16", 7)

    def broken_match(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(engine_module, "Match", broken_match)
    with pytest.raises(EngineError, match=r"case X: rule I\.\S+ failed in the engine"):
        evaluator.evaluate(case, as_of=AS_OF, calendar=calendar)
    monkeypatch.undo()
    # The failed case left nothing behind: the engine still answers correctly.
    assert ("I.1-sixth-day-provision", "2025-10-31", "overdue", "exclusion S1") in summary(
        evaluator.evaluate(case, as_of=AS_OF, calendar=calendar)
    )


def test_without_durable_rules_the_error_says_which_python(monkeypatch):
    monkeypatch.setattr(engine_module, "_durable", None)
    monkeypatch.setattr(engine_module, "_IMPORT_ERROR", ImportError("undefined symbol"))
    with pytest.raises(EngineUnavailableError, match=r"Python 3\.\d+.*3\.10-3\.12\. Use engine="):
        Evaluator(engine="durable")  # "auto", the default, falls back (tests/test_oracle.py)


@pytest.mark.skipif(DURABLE_RULES, reason="durable-rules imports on this Python")
def test_where_durable_rules_cannot_be_imported_auto_runs_the_python_evaluator(
    example_case, calendar
):
    evaluator = Evaluator()
    assert evaluator.engine_name == PYTHON_ENGINE_NAME
    assessment = evaluator.evaluate(example_case, as_of=date(2025, 11, 10), calendar=calendar)
    assert assessment.engine == PYTHON_ENGINE_NAME
    assert sorted(f.rule_id for f in assessment.violations) == [
        "I.1-sixth-day-provision",
        "I.1.iv-notice-report-to",
        "I.2-first-day-notice-of-further-suspension",
        "I.7-work-set",
        "I.law-tell-local-authority-of-suspension",
        "I.law-tell-virtual-school-head-of-suspension",
        "L.1-consider-support-after-suspension",
        "Q.4-strategy-after-suspension",
        "Q.5-meeting-after-suspension",
        "Q.5-parents-at-meeting-after-suspension",
    ]
    with pytest.raises(EngineUnavailableError, match=r"3\.10-3\.12\. Use engine="):
        Evaluator(engine="durable")


def test_a_deadline_before_the_calendar_begins_names_the_case_rule_and_date(calendar):
    case = make_case(
        "CAL-1",
        placements=[
            {
                "id": "P1",
                "kind": "off_site_direction",
                "arranged_on": "2025-09-01",
                "start_date": "2025-09-04",
                "full_time": True,
            }
        ],
    )
    # One finding the calendar cannot date never aborts the case: it is `undetermined`, with
    # the reason and the calendar's range, and the rest of the case is still assessed.
    a = Evaluator().evaluate(case, as_of=date(2025, 10, 1), calendar=calendar)
    (f,) = [f for f in a.findings if f.rule_id == "H.2-notice-to-parents"]
    assert (f.status, f.due, f.subject) == ("undetermined", None, "placement P1")
    (missing,) = f.missing
    assert missing.startswith("placement P1: the deadline cannot be counted on the calendar")
    assert "school day n=3 before 2025-09-04" in missing
    assert not f.is_violation and f not in a.violations
    assert len(a.findings) > 1


FAILED_CASES = """
import json, sys
from apcompliance.engines.compiler import CATCH_ALL, CompiledRules, EngineRule
from apcompliance.engines.durable import Engine
from apcompliance.errors import EngineError

join = {"$and": [{"t": "b"}, {"$gt": {"x": {"a": "y"}}}]}  # the loader refuses this join
catch_all = {"all": [{"m": {"$ex": {"t": 1}}}]}
compiled = CompiledRules(
    {"r": {"all": [{"a": {"t": "a"}}, {"b": join}]}, CATCH_ALL: catch_all},
    {"r": EngineRule("r", "X.1", ("a", "b"), (), None)},
)
engine = Engine(compiled)
failing, why = json.loads(sys.argv[1])
fires = [{"id": "A", "t": "a", "y": 1}, {"id": "B", "t": "b", "x": 2}]
for _ in range(50):
    try:
        engine.run(failing, "X")
    except EngineError as exc:
        assert str(exc) == f"case X: the rule engine failed ({why})", exc
    else:
        raise AssertionError("durable-rules accepted the case")
    assert [m.facts for m in engine.run(fires, "X")] == [(("a", "A"), ("b", "B"))]
engine.close()
print("ok")
"""


@pytest.mark.durable
@pytest.mark.parametrize(
    ("failing", "why"),
    [
        (  # a.y is missing
            [{"id": "A", "t": "a"}, {"id": "B", "t": "b", "x": 1}],
            "a join that met a missing field: durable-rules error 311",
        ),
        ([{"id": "A", "t": "a"}, {"id": "Z"}], "a fact with no id or type"),
        ([{"id": "A", "t": "a"}, {"id": "A", "t": "b", "x": 1}], "duplicate fact id"),
    ],
    ids=["a rejected join", "a fact no rule reads", "a duplicate id"],
)
def test_after_durable_rules_fails_a_case_the_engine_answers_on_without_aborting(failing, why):
    """durable-rules corrupts a session it failed a case in; deleting it aborted the process.
    In a child process, so that an abort fails this test rather than the run."""
    import subprocess
    import sys

    child = subprocess.run(
        [sys.executable, "-c", FAILED_CASES, json.dumps([failing, why])],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    assert child.stdout.strip() == "ok"


@pytest.mark.durable
def test_a_case_with_one_fact_and_no_firing_rule_is_assessed(calendar):
    """A session in which no action fired made durable-rules free it twice; the catch-all
    fires for every fact, so every session has one."""
    case = make_case("ONE")
    for _ in range(3):
        assert (
            Evaluator(engine="durable")
            .evaluate(case, as_of=date(2025, 11, 10), calendar=calendar)
            .findings
            == ()
        )


@pytest.mark.durable
def test_a_failure_while_reading_the_firings_is_an_engine_error_and_the_engine_goes_on(
    calendar, monkeypatch
):
    evaluator = Evaluator(engine="durable")
    case = suspension_case("Y", "2025-10-16", 7)

    def unreadable(text):
        raise ValueError("not JSON")

    monkeypatch.setattr(engine_module, "_bound_ids", lambda message, aliases: None)
    monkeypatch.setattr(engine_module.json, "loads", unreadable)
    with pytest.raises(EngineError, match=r"^case Y: the rule engine failed \(ValueError\)$"):
        evaluator.evaluate(case, as_of=AS_OF, calendar=calendar)
    monkeypatch.undo()
    assert ("I.1-sixth-day-provision", "2025-10-31", "overdue", "exclusion S1") in summary(
        evaluator.evaluate(case, as_of=AS_OF, calendar=calendar)
    )


def test_a_message_is_read_without_json_only_in_the_form_run_sends():
    aliases = {"r1": ("placement", "provider"), "r2": ("notice",)}
    heads = {name: engine_module._heads(names) for name, names in aliases.items()}
    # values that hold what an alias's fact begins with, and a backslash, all escaped
    tricky = 'x","provider":{"t": "y", "id": "Z"\\'
    fact = json.dumps({"t": "placement", "id": "PL-1", "session_hours": tricky, "sid": "0"})
    provider = json.dumps({"t": "provider", "id": "PRV-1", "kind": "x", "sid": "0"})
    message = f'{{"r1":{{"placement":{fact},"provider":{provider}}}}}'
    expected = ("r1", (("placement", "PL-1"), ("provider", "PRV-1")))
    assert engine_module._bound_ids(message, heads) == expected
    assert engine_module._bound_ids_json(message, aliases) == expected
    # the aliases in another order, an id first, an escaped id, a rule of no policy rule:
    # not read here, but from the JSON
    swapped = f'{{"r1":{{"provider":{provider},"placement":{fact}}}}}'
    id_first = '{"r2":{"notice":{"id": "N-1", "t": "notice", "sid": "0"}}}'
    escaped = '{"r2":{"notice":{"t": "notice", "id": "N\\u00e9", "sid": "0"}}}'
    other = '{"catch_all":{"m":{"t": "notice", "id": "N-1", "sid": "0"}}}'
    for text in (swapped, id_first, escaped, other):
        assert engine_module._bound_ids(text, heads) is None
    assert engine_module._bound_ids_json(swapped, aliases) == expected
    assert engine_module._bound_ids_json(escaped, aliases) == ("r2", (("notice", "N\u00e9"),))
    assert engine_module._bound_ids_json(other, aliases) is None


@pytest.mark.durable
def test_the_firings_read_without_json_are_those_read_from_it(example_case, calendar, monkeypatch):
    evaluator = Evaluator(engine="durable")
    as_of = date(2026, 6, 15)
    fast = evaluator.evaluate(example_case, as_of=as_of, calendar=calendar)
    monkeypatch.setattr(engine_module, "_bound_ids", lambda message, aliases: None)
    slow = evaluator.evaluate(example_case, as_of=as_of, calendar=calendar)
    assert fast.findings and fast.to_json() == slow.to_json()
