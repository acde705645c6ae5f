"""The docs stay true: the rule-format page names every fact field rules can use."""

from __future__ import annotations

from pathlib import Path

from apcompliance.derive.engine_facts import FACT_TYPES

ROOT = Path(__file__).resolve().parent.parent


def test_the_rule_format_page_lists_every_fact_and_field():
    text = (ROOT / "docs" / "rule-format.md").read_text(encoding="utf-8")
    rows = {
        line.split("|")[1].strip(" `"): line.split("|")[2]
        for line in text.splitlines()
        if line.startswith("| `")
    }
    for name, fact_type in FACT_TYPES.items():
        assert name in rows, name
        for field in fact_type.model_fields:
            assert f"`{field}`" in rows[name], f"{name}.{field}"
