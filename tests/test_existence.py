"""Existence tests (`exists`, `not_exists`) and the evaluation date (`{ref: as_of}`) in the
condition language: the loader refuses bad syntax naming the file, the rule and the key; the
tree; three-valued truth (true, false, unknown with what is missing); the order of the facts
never matters; durable-rules is never sent one; explanations and `why_not` say it in words."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from apcompliance import RuleFileError
from apcompliance.engines.compiler import compile_rulebook, split
from apcompliance.evaluation.evaluator import Evaluator
from apcompliance.language import words
from apcompliance.language.conditions import (
    AnyOf,
    Compare,
    EvaluationDate,
    Exists,
    Field,
    aliases_read,
)
from apcompliance.language.parse import Parser
from apcompliance.language.rulebook import load_rulebook, parse_rule_file
from apcompliance.language.semantics import Context, evaluate
from apcompliance.results.explain import describe
from tests.scenarios import CAL, case, direction
from tests.test_oracle import make_fact, rule_book, when

RULE = {
    "id": "I.6-exists",
    "clause": "I.6",
    "says": "the LA may review the plan",
    "kind": "permission",
    "duty_holder": "local_authority",
    "action": "may review the plan",
}
RETURN = {"fact": "return_to_school", "where": {"placement": {"ref": "placement.id"}}}


def rule_text(conditions: dict[str, Any]) -> str:
    rule = {**RULE, "when": conditions}
    return yaml.safe_dump({"section": "I", "title": "test", "rules": [rule]})


def parsed(tests: dict[str, Any]) -> tuple[Any, ...]:
    """The tests of a placement in `when`, as the loader parses them."""
    text = rule_text({"placement": tests})
    return parse_rule_file(text, "rules/exists.yaml").rules[0].conditions.patterns[0].tests


# -- the tree ------------------------------------------------------------------------------------


def test_an_existence_test_parses_into_one_node():
    (node,) = parsed({"exists": RETURN})
    assert isinstance(node, Exists) and node.present and node.fact_type == "return_to_school"
    (test,) = node.tests
    assert test == Compare("eq", Field(node.alias, "placement"), Field("placement", "id"))
    assert aliases_read(node) == {"placement"}  # not its own candidate
    (negated,) = parsed({"not_exists": RETURN})
    assert isinstance(negated, Exists) and not negated.present
    (anything,) = parsed({"exists": {"fact": "return_to_school"}})
    assert isinstance(anything, Exists) and anything.tests == ()


def test_the_evaluation_date_is_a_date_conditions_can_compare():
    (node,) = parsed({"start_date": {"lte": {"ref": "as_of"}}})
    assert node == Compare("lte", Field("placement", "start_date"), EvaluationDate())


def test_existence_tests_nest_with_candidates_of_their_own():
    (node,) = parsed(
        {
            "exists": {
                "fact": "placement_review",
                "where": {
                    "placement": {"ref": "placement.id"},
                    "not_exists": {
                        "fact": "return_to_school",
                        "where": {"placement": {"ref": "placement.id"}},
                    },
                },
            }
        }
    )
    assert isinstance(node, Exists)
    (inner,) = [t for t in node.tests if isinstance(t, Exists)]
    assert not inner.present and inner.alias != node.alias


BAD = [
    ({"exists": "return_to_school"}, "when.placement.exists", r"\{fact: <fact type>, where:"),
    ({"exists": {"where": {}}}, "when.placement.exists", r"\{fact: <fact type>"),
    ({"exists": {**RETURN, "when": {}}}, "when.placement.exists", r"\{fact: <fact type>"),
    (
        {"exists": {"fact": "return", "where": {}}},
        "when.placement.exists.fact",
        "unknown fact type 'return'",
    ),
    (
        {"not_exists": {"fact": "return_to_school", "where": {}}},
        "when.placement.not_exists.where",
        "a mapping of tests of the fact; leave `where` out for any",
    ),
    (
        {"exists": {"fact": "return_to_school", "where": {"returns": True}}},
        "when.placement.exists.where",
        "fact 'return_to_school' has no field or term 'returns'",
    ),
    (
        {"exists": {"fact": "return_to_school", "where": {"placement": {"ref": "exclusion.id"}}}},
        "when.placement.exists.where.placement",
        "'exclusion' is not an alias in when",
    ),
    (
        {
            "exists": {
                "fact": "return_to_school",
                "where": {"returns_on": {"ref": "placement.full_time"}},
            }
        },
        "when.placement.exists.where.returns_on",
        "compares a date with true/false",
    ),
    (
        {"full_time": {"ref": "as_of"}},
        "when.placement.full_time",
        "compares true/false with a date",
    ),
    (
        {"start_date": {"lt": {"ref": "asof"}}},
        "when.placement.start_date",
        "'asof' is not a reference of the form alias.name",
    ),
]


@pytest.mark.parametrize(("tests", "key", "message"), BAD, ids=[b[2] for b in BAD])
def test_bad_existence_syntax_names_the_file_the_rule_and_the_key(tests, key, message):
    with pytest.raises(RuleFileError, match=message) as caught:
        parse_rule_file(rule_text({"placement": tests}), "rules/exists.yaml")
    text = str(caught.value)
    assert text.startswith("rules/exists.yaml") and "'I.6-exists'" in text
    assert f"{key}:" in text


def test_a_term_may_be_an_existence_test_and_refers_to_its_own_fact(tmp_path):
    (tmp_path / "terms.yaml").write_text(
        "title: local\nterms:\n"
        "  - term: reviewed\n    of: placement\n    means:\n"
        "      exists: {fact: placement_review, where: {placement: {ref: placement.id}}}\n"
        "  - term: wrong\n    of: placement\n    means:\n"
        "      exists: {fact: placement_review, where: {placement: {ref: exclusion.id}}}\n",
        encoding="utf-8",
    )
    (tmp_path / "I-exists.yaml").write_text(rule_text({"placement": {"reviewed": True}}))
    with pytest.raises(RuleFileError, match=r"term wrong\.exists\.where\.placement: "
                       r"'exclusion\.id': a term of placement refers only to its own"):  # fmt: skip
        load_rulebook([tmp_path / "terms.yaml", tmp_path / "I-exists.yaml"])


def test_weeks_before_is_a_whole_number_of_weeks(tmp_path):
    (tmp_path / "terms.yaml").write_text(
        "title: local\nterms:\n"
        "  - term: long_ago\n    of: placement\n    value: {weeks_before: 0, of: start_date}\n",
        encoding="utf-8",
    )
    (tmp_path / "I-exists.yaml").write_text(rule_text({"placement": "any"}))
    with pytest.raises(
        RuleFileError, match=r"term long_ago\.value: weeks_before: a whole number from 1"
    ):
        load_rulebook([tmp_path / "terms.yaml", tmp_path / "I-exists.yaml"])


# -- what it means ---------------------------------------------------------------------------

PLACEMENT = make_fact("placement", "P", full_time=True)
UNRECORDED = "provider_full_time_pupils_with_this"
"""A field whose absence is unknown, not none."""


def _truth(tests: dict[str, Any], *others: Any) -> tuple[bool | None, list[str]]:
    parser = Parser({"placement": "placement"}, load_rulebook().terms)
    (node,) = parser.tests("placement", tests, "test")
    ctx = Context(CAL, date(2025, 11, 10)).with_facts([PLACEMENT, *others])
    verdict = evaluate(node, {"placement": PLACEMENT}, ctx)
    return verdict.truth, sorted(str(m) for m in verdict.missing)


def _return(fact_id: str, placement: str = "P", on: date = date(2025, 12, 1)) -> Any:
    return make_fact("return_to_school", fact_id, placement=placement, returns_on=on)


AMONG_PLACEMENTS = {
    "fact": "placement",
    "where": {"id": {"ne": {"ref": "placement.id"}}, UNRECORDED: {"gte": 5}},
}
"""Another placement whose provider has five or more full-time pupils."""
TRUTH = [
    ("one passes", {"exists": RETURN}, [_return("R1", "Q"), _return("R2")], (True, [])),
    ("none passes", {"exists": RETURN}, [_return("R1", "Q")], (False, [])),
    ("none at all", {"exists": RETURN}, [], (False, [])),
    ("not_exists, none passes", {"not_exists": RETURN}, [_return("R1", "Q")], (True, [])),
    ("not_exists, one passes", {"not_exists": RETURN}, [_return("R2")], (False, [])),
    (
        "a test of the evaluation date",
        {"exists": {**RETURN, "where": {"returns_on": {"lte": {"ref": "as_of"}}}}},
        [_return("R1", on=date(2025, 11, 11))],
        (False, []),
    ),
    (
        "unknown: the only candidate's number is not recorded",
        {"exists": AMONG_PLACEMENTS},
        [make_fact("placement", "Q")],
        (None, ["placement Q: provider.full_time_pupils is not recorded"]),
    ),
    (
        "true: another candidate passes, whatever the unknown one",
        {"exists": AMONG_PLACEMENTS},
        [make_fact("placement", "Q"), make_fact("placement", "R", **{UNRECORDED: 6})],
        (True, []),
    ),
    (
        "false: every candidate fails (the rule's own placement excluded by its test)",
        {"exists": AMONG_PLACEMENTS},
        [make_fact("placement", "R", **{UNRECORDED: 4})],
        (False, []),
    ),
    (
        "not_exists of an unknown is unknown",
        {"not_exists": AMONG_PLACEMENTS},
        [make_fact("placement", "Q")],
        (None, ["placement Q: provider.full_time_pupils is not recorded"]),
    ),
]


@pytest.mark.parametrize(
    ("tests", "others", "expected"), [t[1:] for t in TRUTH], ids=[t[0] for t in TRUTH]
)
def test_an_existence_test_is_true_false_or_unknown(tests, others, expected):
    assert _truth(tests, *others) == expected


def test_without_the_cases_facts_an_existence_test_is_unknown_never_false():
    parser = Parser({"placement": "placement"}, load_rulebook().terms)
    (node,) = parser.tests("placement", {"not_exists": RETURN}, "test")
    verdict = evaluate(node, {"placement": PLACEMENT}, Context(CAL))
    assert verdict.truth is None and [str(m) for m in verdict.missing] == [
        "the case: its facts is not recorded"
    ]


ORDERED_FACTS = [
    make_fact("placement", "Q"),
    make_fact("placement", "R", **{UNRECORDED: 6}),
    make_fact("placement", "S", **{UNRECORDED: 2}),
    _return("R1", "Q"),
    _return("R2"),
]


@given(st.permutations(ORDERED_FACTS), st.sampled_from([t[1] for t in TRUTH]))
def test_the_order_of_the_facts_never_changes_an_existence_test(facts, tests):
    """durable-rules' none() depends on fact order (ENGINE-NOTES); an existence test does not."""
    assert _truth(tests, *facts) == _truth(tests, *ORDERED_FACTS)


# -- where it runs ---------------------------------------------------------------------------


def test_durable_rules_is_never_sent_an_existence_test():
    """Alone, in a group the network would otherwise take, or in a named term: residual."""
    book = rule_book(
        when({"placement": {"full_time": True, "exists": RETURN}}),
        when({"placement": {"any_of": [{"full_time": True}, {"not_exists": RETURN}]}}),
        when({"placement": {"return_planned": False}}),
    )
    for rule in book.rules:
        network, residual = split(book.conditions(rule.id))
        ((_, taken),) = network
        assert all(not isinstance(t, (Exists, AnyOf)) for t in taken), rule.id
        assert residual, rule.id
    compiled = compile_rulebook(book)
    assert "return_to_school" not in str(compiled.definition)


@pytest.mark.parametrize("engine", ["python", "durable"])
def test_both_engines_look_through_every_fact_whatever_its_order(engine):
    try:
        evaluator = Evaluator(rule_book(when({"placement": {"not_exists": RETURN}})), engine=engine)
    except Exception as exc:  # pragma: no cover - durable-rules not importable here
        pytest.skip(str(exc))
    facts = [make_fact("placement", "P"), make_fact("placement", "Q"), _return("R1", "P")]
    seen = set()
    for seed in range(6):
        random.Random(seed).shuffle(facts)
        found = evaluator.engine.firings(list(facts), "C", Context(CAL))
        seen.add(tuple(sorted(f.facts for f in found)))
    assert seen == {((("placement", "Q"),),)}


# -- in words --------------------------------------------------------------------------------


def test_an_existence_test_in_words():
    (node,) = parsed({"exists": RETURN})
    assert describe(node, "placement") == (
        "there is a return_to_school where placement must match placement.id"
    )
    (none,) = parsed({"not_exists": {"fact": "placement_review"}})
    assert describe(none, "placement") == "there is no placement_review"
    (dated,) = parsed({"start_date": {"lte": {"ref": "as_of"}}})
    assert describe(dated, "placement") == "start_date is on or before the evaluation date"


def _with_return(*returns: tuple[str, str]) -> Any:
    events = [
        {"kind": "return_to_school", "id": i, "placement_id": p, "returns_on": date(2025, 12, 1)}
        for i, p in returns
    ]
    placements = [
        direction(date(2025, 11, 20), date(2025, 11, 10)),
        direction(date(2025, 11, 24), date(2025, 11, 10), id="OSD-2"),
    ]
    return case(*events, placements=placements)


def test_why_not_says_which_fact_an_existence_test_found():
    book = rule_book(when({"placement": {"not_exists": RETURN}}))
    a = Evaluator(book).evaluate(
        _with_return(("RTS-1", "OSD-1"), ("RTS-2", "OSD-2")), as_of=date(2025, 11, 12), calendar=CAL
    )
    text = " ".join(a.why_not("I.6-r0", book=book).split())
    assert (
        "OSD-1 fails: there is no return_to_school where placement must match placement.id "
        "(RTS-1 passes; its id is OSD-1)" in text
    ), text


def test_why_not_says_when_no_fact_passes():
    book = rule_book(when({"placement": {"exists": RETURN}}))
    a = Evaluator(book).evaluate(_with_return(), as_of=date(2025, 11, 12), calendar=CAL)
    text = " ".join(a.why_not("I.6-r0", book=book).split())
    assert (
        "OSD-1 fails: there is a return_to_school where placement must match placement.id "
        "(the case has no return_to_school; its id is OSD-1)" in text
    ), text


def test_an_explanation_names_the_fact_an_existence_test_found():
    book = rule_book(when({"placement": {"exists": RETURN}}))
    a = Evaluator(book).evaluate(
        _with_return(("RTS-1", "OSD-1"), ("RTS-2", "OSD-1")), as_of=date(2025, 11, 12), calendar=CAL
    )
    text = " ".join(a.explain(book=book).split())
    assert (
        "placement OSD-1: there is a return_to_school (RTS-1, RTS-2) where placement must match "
        "placement.id" in text
    ), text
    # a finding on its own has not the case's facts: it says what the test asks
    (finding,) = a.findings
    alone = " ".join(finding.explain(book=book).split())
    assert "placement OSD-1: there is a return_to_school where placement must match" in alone


def test_what_a_failed_existence_test_found_instead():
    parser = Parser({"placement": "placement"}, load_rulebook().terms)
    (found,) = parser.tests("placement", {"exists": RETURN}, "test")
    (none,) = parser.tests("placement", {"not_exists": RETURN}, "test")
    bound = {"placement": PLACEMENT}
    ctx = Context(CAL).with_facts([PLACEMENT, _return("R1", "Q"), _return("R2", "Q")])
    assert words.actual(found, "placement", bound, ctx, str) == (
        "none of the case's 2 return_to_school facts passes; its id is P"
    )
    ctx = Context(CAL).with_facts([PLACEMENT, _return("R1"), _return("R2")])
    assert words.actual(none, "placement", bound, ctx, str) == "R1, R2 pass; its id is P"
    assert words.held(found, "placement", bound, ctx, str) == (
        "there is a return_to_school (R1, R2) where placement must match placement.id"
    )
