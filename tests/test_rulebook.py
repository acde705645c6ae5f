"""The rule files: every quote is the policy's own words; typos are errors naming file and rule."""

from __future__ import annotations

import json
from importlib import resources

import pytest
import yaml

from apcompliance import RuleFileError
from apcompliance.engines.compiler import compile_rulebook
from apcompliance.language.conditions import Not
from apcompliance.language.rulebook import PolicyQuote, load_rulebook, parse_rule_file
from apcompliance.policy.document import load_policy
from apcompliance.policy.statutes import load_statutes

GOOD = {
    "section": "I",
    "title": "test",
    "rules": [
        {
            "id": "I.7-work-set",
            "clause": "I.7",
            "says": "the headteacher will ensure that the pupil is set work",
            "kind": "obligation",
            "duty_holder": "headteacher",
            "action": "set work",
            "when": {"exclusion": {"permanent": False}},
            "due": {"nth_school_day": 1, "of": "exclusion.first_day"},
            "met_by": {
                "fact": "work_set",
                "where": {"exclusion": {"ref": "exclusion.id"}},
                "dated": "set_on",
            },
        }
    ],
}


def with_rule(**changes):
    rule = {**GOOD["rules"][0], **changes}
    return yaml.safe_dump({**GOOD, "rules": [rule]}, allow_unicode=True)


def test_a_well_formed_rule_file_loads():
    parsed = parse_rule_file(with_rule(), "test.yaml")
    assert parsed.rules[0].id == "I.7-work-set"


def test_every_bundled_rule_quotes_its_clause_word_for_word():
    policy = load_policy()
    book = load_rulebook()
    assert book.rules, "no rules loaded"
    for rule in book.rules:
        if rule.tier == "statutory":  # the law's words: tests/test_statutory_duties.py
            for school_type in ("academy", "maintained"):
                cite, says = rule.cited(school_type)
                passage = load_statutes().passage(cite)
                assert passage is not None and passage.quotes(says), rule.id
                assert passage.applies_to == school_type, rule.id
            continue
        assert policy.quotes(rule.clause, rule.says), rule.id
        for cite in rule.also_cites:
            if isinstance(cite, PolicyQuote):
                assert policy.quotes(cite.clause, cite.says), rule.id
    for item in book.not_checkable:
        assert policy.quotes(item.clause, item.says), item.clause


def test_the_bundled_rules_are_read_from_the_installed_package():
    names = {e.name for e in resources.files("apcompliance.rules").iterdir()}
    assert "I-suspension-provision.yaml" in names
    assert {name for name, _ in load_rulebook().files} == {
        f"rules/{n}" for n in names if n.endswith(".yaml") and n != "terms.yaml"
    }
    assert ("exclusion", "sixth_school_day") in load_rulebook().terms


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"clause": "I.99"}, r"unknown clause id 'I\.99'"),
        ({"says": "the headteacher will ensure that the pupil is set homework"}, r"not found"),
        ({"colour": "red"}, r"colour: Extra inputs are not permitted"),
        (
            {"when": {"exclusion": {"days_off": 3}}},
            r"fact 'exclusion' has no field or term 'days_off'",
        ),
        ({"when": {"exclusion": {"fact": "holiday"}}}, r"unknown fact type 'holiday'"),
        (
            {"when": {"exclusion": {"school_days": {"more_than": 5}}}},
            r"unknown operator 'more_than'",
        ),
        # constants are typed against their field (durable-rules would compare printed forms)
        (
            {"when": {"exclusion": {"school_days": {"gt": "10"}}}},
            r"compares a whole number with text",
        ),
        (
            {"when": {"exclusion": {"pep_record_after": "Any"}}},
            r"'Any' is not one of any_exclusion, permanent_exclusion",
        ),
        ({"when": {"exclusion": {"permanent": 1}}}, r"compares true/false with a whole number"),
        ({"when": {"exclusion": {"permanent": {"gt": False}}}}, r"gt compares order"),
        ({"when": {"exclusion": {"first_day": {"lt": 5}}}}, r"compares a date with a whole number"),
        ({"when": {"exclusion": {"events": "S1"}}}, r"is a list; conditions cannot test it"),
        ({"due": {"nth_school_day": 6, "of": "exclusion.start"}}, r"has no field 'start'"),
        ({"due": {"nth_school_day": 6, "of": "exclusion.school_days"}}, r"not a date or time"),
        ({"due": {"nth_school_day": "sixth", "of": "exclusion.first_day"}}, r"no setting named"),
        ({"due": {"nth_school_day": 6}}, r"needs `of: alias.field`"),
        ({"due": {"nth_school_day": 0, "of": "exclusion.first_day"}}, r"counts from 1"),
        ({"kind": "duty"}, r"kind: Input should be"),
        ({"duty_holder": "caretaker"}, r"duty_holder: Input should be"),
        ({"met_by": {"fact": "work_set", "dated": "colour"}}, r"not a date field"),
        (
            {
                "met_by": {
                    "fact": "work_set",
                    "where": {"exclusion": {"ref": "pupil.id"}},
                    "dated": "set_on",
                }
            },
            r"'pupil' is not an alias",
        ),
        (
            {"unless": {"exclusion": {"permanent": True}, "pupil": {"ehc_plan": True}}},
            r"unless\.pupil: 'pupil' is not an alias in when",
        ),
        ({"id": "H.7-work-set"}, r"section"),
        ({"when": {"exclusion": {"any_of": [{"permanent": True}]}}}, r"two or more"),
        ({"when": {"exclusion": {"any_of": [{"permanent": True}, {"colour": 1}]}}}, r"any_of\[1\]"),
        ({"when": {"exclusion": {"any_of": [{"permanent": True}, "x"]}}}, r"a mapping"),
        (
            {"due": {"school_days_before": 2, "clear_days": "clear", "of": "exclusion.first_day"}},
            r"no setting named 'clear'",
        ),
        (
            {
                "due": {
                    "school_days_before": 2,
                    "clear_days": "termly_means",
                    "of": "exclusion.first_day",
                }
            },
            r"setting 'termly_means' does not give one of",
        ),
        (
            {"due": {"nth_school_day": 2, "clear_days": True, "of": "exclusion.first_day"}},
            r"clear_days: only with school_days_before",
        ),
        ({"due": {"every": "fortnight", "from": "exclusion.first_day"}}, r"no setting named"),
        ({"due": {"every": "term"}}, r"need `from:`"),
        (
            {
                "due": {
                    "nth_school_day": 2,
                    "of": "exclusion.first_day",
                    "from": "exclusion.first_day",
                }
            },
            r"need `from:`",
        ),
        (
            {"due": {"every_weeks": "exclusion.colour", "from": "exclusion.first_day"}},
            r"has no field 'colour'",
        ),
        ({"due": {"every_weeks": 0, "from": "exclusion.first_day"}}, r"at least 1"),
        (
            {"due": {"every": "term", "from": "exclusion.first_day", "of": "exclusion.first_day"}},
            r"counts `from:`, not `of:`",
        ),
        (
            {"due": {"at": "exclusion.first_day", "every": "term", "from": "exclusion.first_day"}},
            r"exactly one of",
        ),
        (
            {"met_by": {"fact": "work_set", "dated": "set_on", "on_or_after": "exclusion.nope"}},
            r"has no field 'nope'",
        ),
        (
            {"due": {"at": "exclusion.first_day", "not_before": "exclusion.school_days"}},
            r"due\.not_before: exclusion\.school_days is not a date or time",
        ),
        (
            {
                "due": {
                    "every": "term",
                    "from": "exclusion.first_day",
                    "not_before": "exclusion.first_day",
                }
            },
            r"due\.not_before: only with a one-off deadline",
        ),
        ({"kind": "advisory"}, r"advisory: takes no due, except or met_by"),
        ({"kind": "recommendation", "met_by": None}, r"recommendation: needs met_by"),
        (
            {
                "when": {
                    "exclusion": {"permanent": False},
                    "placement": {"start_date": {"gt": {"ref": "exclusion.permanent"}}},
                }
            },
            r"when\.placement\.start_date: compares a date with true/false",
        ),
    ],
)
def test_a_typo_in_a_rule_file_names_the_file_and_the_rule(changes, message):
    with pytest.raises(RuleFileError, match=message) as caught:
        parse_rule_file(with_rule(**changes), "rules/typo.yaml")
    assert str(caught.value).startswith("rules/typo.yaml")
    if "id" not in changes:
        assert "'I.7-work-set'" in str(caught.value)


def test_malformed_yaml_names_the_file():
    with pytest.raises(RuleFileError, match=r"^broken\.yaml: not valid YAML"):
        parse_rule_file("section: I\nrules: [\n", "broken.yaml")


def test_a_not_checkable_quote_is_checked_too():
    text = yaml.safe_dump(
        {**GOOD, "not_checkable": [{"clause": "I.2", "says": "without haste", "reason": "x"}]}
    )
    with pytest.raises(
        RuleFileError, match=r"not_checkable: quote not found verbatim in clause I\.2"
    ):
        parse_rule_file(text, "nc.yaml")


def test_duplicate_rule_ids_across_files_are_rejected(tmp_path):
    one, two = tmp_path / "one.yaml", tmp_path / "two.yaml"
    one.write_text(with_rule())
    two.write_text(with_rule())
    with pytest.raises(RuleFileError, match=r"two\.yaml, rule 'I\.7-work-set': duplicate rule id"):
        load_rulebook([one, two])


SPLIT = [
    # (what durable-rules cannot evaluate soundly, the rule's `when`/`unless`)
    (
        "a join inside any_of",
        {
            "when": {
                "exclusion": {"permanent": False},
                "placement": {
                    "any_of": [{"exclusion": {"ref": "exclusion.id"}}, {"full_time": True}]
                },
            }
        },
    ),
    (
        "an unless with a join",
        {
            "when": {
                "exclusion": {"permanent": False},
                "placement": {"full_time": True},
            },
            "unless": {"placement": {"exclusion": {"ref": "exclusion.id"}}},
        },
    ),
    (
        "a date comparison between two facts",
        {
            "when": {
                "exclusion": {"permanent": False},
                "placement": {"start_date": {"gt": {"ref": "exclusion.first_day"}}},
            }
        },
    ),
    (
        "a join with a fact listed later",
        {
            "when": {
                "exclusion": {"id": {"ref": "placement.exclusion"}},
                "placement": {"full_time": True},
            }
        },
    ),
    (
        "a named value counted on the calendar",
        {
            "when": {
                "exclusion": {"permanent": False},
                "placement": {"start_date": {"lt": {"ref": "exclusion.sixth_school_day"}}},
            }
        },
    ),
]


@pytest.mark.parametrize(("what", "changes"), SPLIT, ids=[w for w, _ in SPLIT])
def test_what_durable_rules_cannot_evaluate_is_split_off_at_load_time(what, changes, tmp_path):
    """Such a test loads, and runs in Python on each network match: it is never sent to
    durable-rules (whose network holds only types, constants, exists and equality joins)."""
    path = tmp_path / "I-split.yaml"
    path.write_text(with_rule(**changes), encoding="utf-8")
    compiled = compile_rulebook(load_rulebook([path]))
    (rule,) = compiled.engine_rules.values()
    assert len(rule.residual) == 1
    network = json.dumps(compiled.definition["r0"])
    assert "$lt" not in network and '"exclusion": "first_day"' not in network
    assert '"placement": "exclusion"' not in network and "sixth" not in network


def test_unless_runs_in_python_as_the_negation_of_its_tests():
    compiled = compile_rulebook(load_rulebook())
    name = next(
        n for n, r in compiled.engine_rules.items() if r.rule_id == "I.1-sixth-day-provision"
    )
    (condition,) = compiled.definition[name]["all"]
    assert condition["exclusion"]["$and"] == [
        {"t": "exclusion"},
        {"permanent": False},
        {
            "$or": [  # "more than five school days", as the five_days_counted_in switch reads it
                {"$and": [{"five_days_counted_in": "school_days"}, {"$gt": {"school_days": 5}}]},
                {"$and": [{"five_days_counted_in": "sessions"}, {"$gt": {"sessions": 10}}]},
            ]
        },
    ]
    (residual,) = compiled.engine_rules[name].residual
    assert isinstance(residual, Not)


def test_a_join_is_compiled_first_after_the_fact_type(tmp_path):
    rule = {
        **GOOD["rules"][0],
        "when": {
            "exclusion": {"permanent": False},
            "placement": {
                "full_time": True,
                "kind": "suspension_provision",
                "exclusion": {"ref": "exclusion.id"},
            },
        },
    }
    path = tmp_path / "I-join.yaml"
    path.write_text(yaml.safe_dump({**GOOD, "rules": [rule]}), encoding="utf-8")
    compiled = compile_rulebook(load_rulebook([path]))
    _, placement = compiled.definition["r0"]["all"]
    assert placement["placement"]["$and"] == [
        {"t": "placement"},
        {"exclusion": {"exclusion": "id"}},
        {"full_time": True},
        {"kind": "suspension_provision"},
    ]


def test_a_rules_exception_is_a_condition_of_its_own_tree():
    book = load_rulebook()
    excepted = {r.id for r in book.rules if book.conditions(r.id).exception is not None}
    assert excepted == {
        "I.1.i-notice-start-date",
        "I.1.ii-notice-session-times",
        "I.1.iii-notice-address",
        "I.1.iv-notice-report-to",
    }


def cited_clauses(book) -> set[str]:
    """Every clause a rule implements, cites, or takes a deadline from; and the not-checkable."""
    cited = {n.clause for n in book.not_checkable}
    for rule in book.rules:
        cited.add(rule.clause)
        cited |= {c.clause for c in rule.also_cites if isinstance(c, PolicyQuote)}
        for cite in (rule.due and rule.due.cites, rule.except_ and rule.except_.cites):
            if cite:
                cited.add(cite.clause)
    return cited


@pytest.mark.parametrize("section", list("ABCDEFGHIJKLMNOPQRS"))
def test_every_clause_of_an_implemented_section_is_a_rule_or_recorded_as_not_checkable(section):
    policy = load_policy()
    clauses = set(policy.sections[section].clause_ids)
    assert clauses - cited_clauses(load_rulebook()) == set()


def test_any_of_compiles_to_or_and_a_named_term_runs_in_python():
    compiled = compile_rulebook(load_rulebook())

    def engine_rule(rule_id: str):
        name = next(n for n, r in compiled.engine_rules.items() if r.rule_id == rule_id)
        return name, compiled.engine_rules[name]

    name, _ = engine_rule("L.1-consider-support-after-concern")
    pupil = next(c["pupil"] for c in compiled.definition[name]["all"] if "pupil" in c)["$and"]
    assert {
        "$or": [{"send": True}, {"semh_needs": True}, {"ehc_plan": True}, {"looked_after": True}]
    } in pupil
    _, rule = engine_rule("K.5-five-or-more-full-time-pupils")
    residual = {type(t).__name__ for t in rule.residual}
    assert residual == {"Term", "Compare"}  # school_commissioned; an Unrecorded field
