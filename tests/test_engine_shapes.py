"""The shapes of condition durable-rules 2.0.28 cannot evaluate safely, enumerated: each is
refused when the rules load, or evaluated by both engines with the same firings.

Measured on durable-rules' C core (docs/rule-format.md, "Limits"): an `$or` of 14
alternatives of two tests, or two groups of 7 and 6 in one fact's condition, fail with
"error code: 113"; more than 64 tests pending for one fact fail the case with 303; 512 tests
under one node never return (the GIL held: no watchdog thread runs). The loader refuses an
`any_of` of more than 12 sets; the compiler sends the network at most one flat group of at
most 8 sets and 16 tests per fact and 48 tests per fact type, and everything else runs in
Python. The durable-rules side runs in a child process with a timeout, so a hang fails the
test instead of freezing the run.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from apcompliance.errors import RuleFileError
from apcompliance.language.rulebook import load_rulebook
from tests.test_oracle import RULE  # the same one-rule template

ROOT = Path(__file__).resolve().parents[1]


def _rule_file(whens: list[dict[str, Any]]) -> str:
    rules = [{"id": f"I.6-r{i}", **RULE, "when": w} for i, w in enumerate(whens)]
    return yaml.safe_dump({"section": "I", "title": "Shapes", "rules": rules}, sort_keys=False)


def one(n: int, k: int = 1, field: str = "sessions_per_week") -> list[dict[str, Any]]:
    """n sets of k tests each (the first a number test, the others true/false or a kind)."""
    extra = [{"full_time": True}, {"kind": {"ne": "medical"}}, {"provider": {"exists": False}}]
    return [
        {field: i, **{k_: v for e in extra[: k - 1] for k_, v in e.items()}}
        if k <= 4
        else {"all_of": [{field: {"gte": i}}, *({field: {"ne": 100 + j}} for j in range(k - 1))]}
        for i in range(n)
    ]


def placement(tests: dict[str, Any]) -> dict[str, Any]:
    return {"placement": tests}


SHAPES: list[tuple[str, list[dict[str, Any]]]] = [
    *((f"any_of of {n} tests", [placement({"any_of": one(n)})])
      for n in (2, 8, 9, 12, 13, 512, 513)),
    *((f"any_of of {n} sets of 2", [placement({"any_of": one(n, 2)})])
      for n in (2, 8, 9, 12, 13, 14)),
    ("any_of of 4 sets of 4", [placement({"any_of": one(4, 4)})]),
    ("any_of of 3 sets of 6", [placement({"any_of": one(3, 6)})]),
    ("any_of of 2 sets of 8", [placement({"any_of": one(2, 8)})]),
    ("two groups of 8 sets of 2", [placement({"any_of": one(8, 2), "all_of": [
        {"any_of": one(8, 2)}, {"full_time": True}]})]),
    ("two groups of 7 and 6 sets of 2", [placement({"any_of": one(7, 2), "all_of": [
        {"any_of": one(6, 2)}, {"kind": {"ne": "other"}}]})]),
    ("any_of nested 2 deep", [placement({"any_of": [{"any_of": one(4, 2)}, *one(4, 2)]})]),
    ("any_of nested 3 deep", [placement({"any_of": [
        {"any_of": [{"any_of": one(3)}, *one(3, 2)]}, *one(3, 2)]})]),
    ("all_of of any_of", [placement({"all_of": [{"any_of": one(3, 2)}, {"any_of": one(3, 2)}]})]),
    ("not of any_of", [placement({"not": {"any_of": one(8, 2)}})]),
    ("any_of and many plain tests", [placement({
        "any_of": one(8, 2), "full_time": True, "kind": {"ne": "other"},
        "sessions_per_week": {"lt": 19}, "provider": {"exists": False}})]),
    ("100 rules of one fact type, a less-than each", [
        placement({"sessions_per_week": {"lt": i}}) for i in range(100)]),
    ("100 rules of one fact type, an any_of of 8 each", [
        placement({"any_of": one(8, 1, "sessions_per_week")[i % 2:], "full_time": i % 3 == 0})
        for i in range(100)]),
    ("600 rules of one fact type, a different constant each", [
        placement({"sessions_per_week": i}) for i in range(600)]),
]  # fmt: skip
"""Each shape: a list of `when`s (one rule each), all of placement facts."""

CHILD = """
import json, sys
from tests.test_oracle import CONTEXT, make_fact
from apcompliance.engines.compiler import compile_rulebook
from apcompliance.engines.network import NetworkEngine
from apcompliance.engines.python import PythonEngine
from apcompliance.language.rulebook import load_rulebook

book = load_rulebook([sys.argv[1]])
compiled = compile_rulebook(book)
facts = [
    make_fact("placement", f"P{n}-{full}-{kind}", sessions_per_week=n, full_time=full, kind=kind)
    for n in (0, 1, 2, 5, 7, 8, 13, 20)
    for full in (False, True)
    for kind in ("medical", "other")
]
out = {}
for name, engine in (("durable", NetworkEngine(compiled)), ("python", PythonEngine(compiled))):
    firings = engine.firings(facts, "SHAPE", CONTEXT)
    out[name] = sorted([f.rule_id, f.facts, f.known] for f in firings)
print(json.dumps(out))
"""


@pytest.mark.durable
@pytest.mark.parametrize("whens", [s[1] for s in SHAPES], ids=[s[0] for s in SHAPES])
def test_each_shape_is_refused_at_load_or_evaluated_alike_by_both_engines(whens, tmp_path):
    path = tmp_path / "I-shapes.yaml"
    path.write_text(_rule_file(whens), encoding="utf-8")
    try:
        load_rulebook([path])
    except RuleFileError as exc:
        assert exc.file == str(path) and exc.rule is not None
        assert "any_of: at most 12 sets of tests" in str(exc), str(exc)
        return
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        capture_output=True,
        text=True,
        timeout=120,  # a hang in durable-rules fails here
        cwd=ROOT,
    )
    if len(whens) >= 600:  # past durable-rules' limit of rules: a clear EngineError
        assert "durable-rules cannot register the rules (more rules than it allows: " in (
            child.stderr
        ), child.stderr[-2000:]
        return
    assert child.returncode == 0, child.stderr[-2000:]
    found = json.loads(child.stdout)
    assert found["durable"] == found["python"]
    assert found["python"]  # every shape fires on some facts: the comparison has work to do


def test_a_large_any_of_is_refused_naming_the_file_the_rule_and_the_limit():
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "I-large.yaml"
        path.write_text(_rule_file([placement({"any_of": one(512)})]), encoding="utf-8")
        with pytest.raises(RuleFileError) as caught:
            load_rulebook([path])
    assert str(caught.value) == (
        f"{path}, rule 'I.6-r0': when.placement.any_of: any_of: at most 12 sets of tests"
    )


@pytest.mark.durable
def test_both_engines_fire_the_same_rules_on_the_same_facts_for_the_bundled_examples():
    """durable-rules fires a rule once for each alternative of an `any_of` that holds
    (I.1-looked-after-first-day twice for the suspension example: 43 firings against 41); the
    engine keeps each binding once, so the firings are the same list on both engines."""
    from datetime import date
    from importlib import resources

    from apcompliance import Case, SchoolCalendar
    from apcompliance.engines.network import NetworkEngine
    from apcompliance.engines.python import PythonEngine
    from apcompliance.evaluation.evaluator import Evaluator

    examples = resources.files("apcompliance") / "data/examples"
    counts = []
    for name in ("suspension-case.json", "off-site-direction-case.json"):
        case = Case.model_validate_json((examples / name).read_text("utf-8"))
        found = {}
        for engine in ("durable", "python"):
            evaluator = Evaluator(engine=engine)
            assert isinstance(
                evaluator.engine, NetworkEngine if engine == "durable" else PythonEngine
            )
            runs: list[Any] = []
            original = evaluator._run
            evaluator._run = lambda *a, _o=original, _r=runs, **k: _r.append(_o(*a, **k)) or _r[-1]  # type: ignore[method-assign]
            evaluator.evaluate(case, as_of=date(2026, 1, 20), calendar=SchoolCalendar.example())
            (firings,) = runs
            found[engine] = [(f.rule_id, f.facts, f.known) for f in firings]
        assert found["durable"] == found["python"]
        assert len(set(found["durable"])) == len(found["durable"])
        counts.append(len(found["durable"]))
    assert all(counts)


AUTO_CHILD = """
import json, sys
from datetime import date
from apcompliance import Case, Evaluator, SchoolCalendar
from apcompliance.errors import EngineError
from apcompliance.language.rulebook import load_rulebook

book = load_rulebook([sys.argv[1]])
try:
    Evaluator(book, engine="durable")
    refused = None
except EngineError as exc:
    refused = str(exc)
auto = Evaluator(book, engine="auto")
case = Case.model_validate_json(json.dumps({
    "case_id": "MANY-1",
    "pupil": {"year_group": 9},
    "placements": [{"id": "P1", "kind": "other", "start_date": "2025-09-03", "full_time": False,
                    "sessions_per_week": 7}],
}))
found = auto.evaluate(case, as_of=date(2025, 11, 20), calendar=SchoolCalendar.example())
print(json.dumps({"refused": refused, "auto": auto.engine_name,
                  "fired": sorted({f.rule_id for f in found.findings})}))
"""


@pytest.mark.durable
def test_auto_runs_a_book_durable_rules_cannot_register_in_python(tmp_path):
    """About 600 rules: durable-rules refuses to register them (its error 108); engine="auto"
    then evaluates in Python, engine="durable" is an EngineError saying so."""
    path = tmp_path / "I-many.yaml"
    path.write_text(_rule_file([placement({"sessions_per_week": i}) for i in range(600)]), "utf-8")
    child = subprocess.run(
        [sys.executable, "-c", AUTO_CHILD, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    found = json.loads(child.stdout)
    assert "more rules than it allows" in found["refused"]
    assert 'engine="python" or "auto"' in found["refused"]
    assert found["auto"].startswith("python")
    assert "I.6-r7" in found["fired"]  # the rule of the placement's seven sessions
