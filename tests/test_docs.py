"""The docs stay true: the reference page names every fact field rules can use."""

from __future__ import annotations

from pathlib import Path

import pytest

from apcompliance.facts.vocabulary import FACT_TYPES

ROOT = Path(__file__).resolve().parent.parent


def test_the_reference_page_lists_every_fact_and_field():
    text = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    facts = text.split("## The facts rules speak about")[1].split("\n## ")[0]
    sections = {part.split("`")[1]: part for part in facts.split("\n### ")[1:]}
    for name, fact_type in FACT_TYPES.items():
        assert name in sections, name
        for field in fact_type.model_fields:
            assert f"| `{field}` |" in sections[name], f"{name}.{field}"


@pytest.mark.parametrize(
    ("page", "sections"),
    [
        ("off-site-direction.md", "HL"),
        ("placements.md", "CFGKMNOP"),
        ("reintegration-and-governance.md", "QJERB"),
        ("suspensions.md", "I"),
    ],
)
def test_the_section_guides_name_every_rule_of_their_sections(page, sections):
    from apcompliance.language.rulebook import load_rulebook

    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    own = [r for r in load_rulebook().rules if r.section in sections]
    missing = [r.id for r in own if r.id not in text]
    assert missing == []


def test_the_worked_example_in_the_section_guide_is_the_real_output():
    from datetime import date
    from importlib import resources

    from apcompliance import Case, SchoolCalendar, evaluate
    from apcompliance.outputs.render import assessment_text

    text = (ROOT / "docs" / "off-site-direction.md").read_text(encoding="utf-8")
    case = Case.model_validate_json(
        (resources.files("apcompliance") / "data/examples/off-site-direction-case.json").read_text(
            "utf-8"
        )
    )
    real = assessment_text(
        evaluate(case, as_of=date(2026, 1, 20), calendar=SchoolCalendar.example()), complete=True
    ).splitlines()
    shown = text.split("```\n")[1].splitlines()
    for line in shown:
        if line.strip() != "...":
            assert line in real, line


def test_the_committed_reference_is_up_to_date():
    from apcompliance.outputs.reference import reference_markdown

    committed = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    assert committed == reference_markdown(), "run: apcompliance reference > docs/reference.md"
