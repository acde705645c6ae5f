"""The coverage report: every normative sentence of the policy is implemented, advisory or
recorded as not machine-checkable; none is uncovered."""

from __future__ import annotations

import json
from pathlib import Path

from apcompliance.cli import main
from apcompliance.language.rulebook import load_rulebook
from apcompliance.outputs.coverage import coverage_report, sentences_of

RULES = Path(__file__).resolve().parents[1] / "rules"


def test_no_normative_sentence_of_the_policy_is_uncovered():
    report = coverage_report(load_rulebook())
    assert report.uncovered == []
    total = report.counts()
    assert total["uncovered"] == 0
    assert sum(total.values()) == len(report.sentences) > 200
    assert {s.clause.split(".")[0] for s in report.sentences} == set("ABCDEFGHIJKLMNOPQR")


def test_a_clause_with_no_rule_or_reason_is_reported_uncovered():
    without_a = [p for p in sorted(RULES.glob("*.yaml")) if not p.name.startswith("A-")]
    report = coverage_report(load_rulebook(without_a))
    assert {s.clause for s in report.uncovered} == {"A.1", "A.2"}
    assert report.counts("A") == {
        "implemented": 0,
        "advisory": 0,
        "not machine-checkable": 0,
        "uncovered": 3,
    }


def test_what_covers_a_sentence_decides_its_class():
    by_text = {s.text: s for s in coverage_report(load_rulebook()).sentences}
    # G.1's "where possible ... should" is an obligation (where_possible_means; it was a
    # recommendation, so advisory); H.5's "it is recommended" is only a recommendation.
    visit = next(t for t in by_text if t.startswith("This should involve a visit to the site"))
    assert by_text[visit].coverage == "implemented"
    assert by_text[visit].rules == ("G.1-visit-to-assess-fit",)
    agencies = next(t for t in by_text if t.startswith("Where a pastoral support programme"))
    assert by_text[agencies].coverage == "advisory"  # only a recommendation quotes it
    assert by_text[agencies].rules == ("H.5-notify-other-agencies",)
    sixth = next(t for t in by_text if t.startswith("This provision will begin no later"))
    assert by_text[sixth].coverage == "implemented"
    keep_in_touch = by_text["Keep in touch with the pupil throughout the placement."]
    assert keep_in_touch.coverage == "not machine-checkable"
    assert "frequency" in keep_in_touch.reasons[0]


def test_sentences_split_at_full_stops_before_a_capital():
    assert sentences_of("One thing. Another, e.g. this; and that. Third") == [
        "One thing.",
        "Another, e.g. this; and that.",
        "Third",
    ]


def test_the_coverage_command_prints_the_counts_and_exits_0(capsys):
    assert main(["coverage"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == [
        "section",
        "implemented",
        "advisory",
        "not",
        "machine-checkable",
        "uncovered",
    ]
    assert out.splitlines()[-1].split()[-1] == "0"


def test_the_coverage_command_as_json(capsys):
    assert main(["coverage", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"]["uncovered"] == 0
    assert data["sections"]["H"]["implemented"] > 0
    assert all({"clause", "text", "coverage"} <= set(s) for s in data["sentences"])


def test_every_rule_is_named_by_a_test():
    from apcompliance.outputs.handbook import tests_by_rule

    book = load_rulebook()
    named = tests_by_rule(Path(__file__).parent, (r.id for r in book.rules))
    assert [r.id for r in book.rules if r.id not in named] == []


def test_the_committed_handbook_is_up_to_date():
    from apcompliance.outputs.handbook import handbook_markdown

    committed = (RULES.parent / "docs" / "handbook.md").read_text(encoding="utf-8")
    fresh = handbook_markdown(load_rulebook(), tests_dir=Path(__file__).parent)
    assert committed == fresh, "run: apcompliance handbook --tests tests > docs/handbook.md"
