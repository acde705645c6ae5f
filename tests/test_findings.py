"""Findings built on the judge's fast path equal, and serialise as, validated ones."""

from __future__ import annotations

import pickle
from datetime import date

import pytest

from apcompliance.results.findings import Citation, Explanation, Finding, trusted

VALUES = {
    "rule_id": "I.7-work-set",
    "clause": "I.7",
    "section": "I",
    "says": "the headteacher will ensure that the pupil is set work",
    "kind": "obligation",
    "duty_holder": "headteacher",
    "action": "set work",
    "subject": "exclusion S1",
    "period": None,
    "due": date(2025, 10, 16),
    "status": "overdue",
    "met_by": None,
    "met_on": None,
    "deadline_citation": Citation(clause="I.1", section="I", says="sixth school day"),
    "also_cites": (Citation(statute="SI 2007/1870"),),
}


def explanation() -> Explanation:
    return Explanation(facts={"exclusion": {"id": "S1"}}, steps=("due: day 1",), readings={})


def test_a_trusted_finding_equals_and_serialises_as_a_validated_one():
    fast = trusted(Finding, **VALUES, explanation=trusted(Explanation, **dict(explanation())))
    slow = Finding(**VALUES, explanation=explanation())
    assert fast == slow
    assert fast.model_dump_json() == slow.model_dump_json()
    assert fast.__pydantic_private__ is None and fast.is_violation
    assert pickle.loads(pickle.dumps(fast)) == slow
    assert fast.model_copy(update={"status": "met"}).status == "met"


def test_fields_left_out_take_their_defaults_and_unknown_fields_are_refused():
    short = {k: v for k, v in VALUES.items() if k not in ("period", "met_by", "also_cites")}
    assert trusted(Finding, **short, explanation=explanation()) == Finding(
        **short, explanation=explanation()
    )
    with pytest.raises(TypeError, match="Finding has no field 'colour'"):
        trusted(Finding, **VALUES, explanation=explanation(), colour="red")
