"""The rule files: every quote is the policy's own words; typos are errors naming file and rule."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from apcompliance import RuleFileError
from apcompliance.compiler import compile_rulebook
from apcompliance.policy import load_policy
from apcompliance.rulebook import PolicyQuote, load_rulebook, parse_rule_file

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
            "when": {"exclusion": {"provision_in_first_five_days": False}},
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
        f"rules/{n}" for n in names if n.endswith(".yaml")
    }


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"clause": "I.99"}, r"unknown clause id 'I\.99'"),
        ({"says": "the headteacher will ensure that the pupil is set homework"}, r"not found"),
        ({"colour": "red"}, r"colour: Extra inputs are not permitted"),
        ({"when": {"exclusion": {"days_off": 3}}}, r"fact 'exclusion' has no field 'days_off'"),
        ({"when": {"exclusion": {"fact": "holiday"}}}, r"unknown fact type 'holiday'"),
        ({"when": {"exclusion": {"school_days": {"more_than": 5}}}}, r"a test is a value"),
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
            r"one fact only",
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
            {
                "when": {
                    "exclusion": {"provision_in_first_five_days": False},
                    "placement": {
                        "any_of": [{"exclusion": {"ref": "exclusion.id"}}, {"full_time": True}]
                    },
                }
            },
            r"when\.placement\.any_of\[0\]\.exclusion: a reference to another fact may not stand "
            r"inside any_of or unless",
        ),
        (
            {
                "when": {
                    "exclusion": {"provision_in_first_five_days": False},
                    "placement": {"full_time": True},
                },
                "unless": {"placement": {"exclusion": {"ref": "exclusion.id"}}},
            },
            r"unless\.placement\.exclusion: a reference to another fact may not stand inside",
        ),
        (
            {
                "when": {
                    "exclusion": {"provision_in_first_five_days": False},
                    "placement": {"start_date": {"gt": {"ref": "exclusion.first_day"}}},
                }
            },
            r"when\.placement\.start_date: a reference to another fact may only be tested for "
            r"equality, not gt",
        ),
        (
            {
                "when": {
                    "exclusion": {"id": {"ref": "placement.exclusion"}},
                    "placement": {"full_time": True},
                }
            },
            r"when\.exclusion\.id: placement\.exclusion must name a fact listed in when before "
            r"'exclusion'",
        ),
        ({"kind": "advisory"}, r"advisory: takes no due, except or met_by"),
        ({"kind": "recommendation", "met_by": None}, r"recommendation: needs met_by"),
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


def test_unless_compiles_to_the_negated_test_on_the_same_fact():
    compiled = compile_rulebook(load_rulebook())
    name = next(
        n for n, r in compiled.engine_rules.items() if r.rule_id == "I.1-sixth-day-provision"
    )
    (condition,) = compiled.definition[name]["all"]
    tests = condition["exclusion"]["$and"]
    assert {"t": "exclusion"} in tests
    assert {"$gt": {"school_days": 5}} in tests
    assert {
        "$or": [{"$neq": {"pupil_in_final_year": True}}, {"$neq": {"public_exams_left": "no"}}]
    } in tests


def test_a_join_is_compiled_first_after_the_fact_type():
    rule = {
        **GOOD["rules"][0],
        "when": {
            "exclusion": {"provision_in_first_five_days": False},
            "placement": {
                "full_time": True,
                "kind": "suspension",
                "exclusion": {"ref": "exclusion.id"},
            },
        },
    }
    text = yaml.safe_dump({**GOOD, "rules": [rule]})
    compiled = compile_rulebook(parse_rule_file(text, "rules/join.yaml"))
    _, placement = compiled.definition["r0"]["all"]
    assert placement["placement"]["$and"] == [
        {"t": "placement"},
        {"exclusion": {"exclusion": "id"}},
        {"full_time": True},
        {"kind": "suspension"},
    ]


def test_a_rule_with_an_exception_gets_a_companion_engine_rule():
    compiled = compile_rulebook(load_rulebook())
    companions = [r for r in compiled.engine_rules.values() if r.exception]
    assert {r.rule_id for r in companions} == {
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


def test_any_of_compiles_to_or_and_its_negation_to_none_of():
    compiled = compile_rulebook(load_rulebook())

    def condition(rule_id: str, alias: str):
        name = next(n for n, r in compiled.engine_rules.items() if r.rule_id == rule_id)
        return next(c[alias] for c in compiled.definition[name]["all"] if alias in c)

    pupil = condition("L.1-consider-support-after-concern", "pupil")["$and"]
    assert {
        "$or": [{"send": True}, {"semh_needs": True}, {"ehc_plan": True}, {"looked_after": True}]
    } in pupil
    placement = condition("H.13-code-b", "placement")["$and"]
    assert {
        "$and": [
            {"$neq": {"kind": "in_school_unit"}},
            {"$neq": {"kind": "permanent_exclusion_provision"}},
            {"$neq": {"attendance_code": "B"}},
        ]
    } in placement
