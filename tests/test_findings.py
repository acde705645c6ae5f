"""Findings built on the judge's fast path equal, and serialise as, validated ones."""

from __future__ import annotations

import pickle
from datetime import date

import pytest
from pydantic import TypeAdapter

from apcompliance.results.assessment import Assessment
from apcompliance.results.findings import (
    Citation,
    Explanation,
    Finding,
    PendingExplanation,
    trusted,
)

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


class _Counted:
    """An explanation maker that counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> Explanation:
        self.calls += 1
        return explanation()


def pending(explain) -> Finding:
    return trusted(Finding, **VALUES, explanation=PendingExplanation(explain))


def test_an_unexplained_finding_makes_its_explanation_once_when_first_asked_for():
    made = _Counted()
    lazy = pending(made)
    assert made.calls == 0 and lazy.status == "overdue" and lazy.is_violation
    assert lazy.explanation == explanation() and made.calls == 1
    assert lazy.explanation.steps == ("due: day 1",) and made.calls == 1


@pytest.mark.parametrize(
    "use",
    [
        lambda f: f.model_dump_json(),
        lambda f: f.model_dump(),
        lambda f: f.model_dump(mode="json", exclude={"status"}),
        lambda f: Assessment(
            case_id="C1",
            as_of=date(2026, 1, 5),
            calendar="x",
            engine="e",
            readings={},
            findings=(f,),
        ).model_dump_json(),
        lambda f: TypeAdapter(list[Finding]).dump_json([f]),  # any container, e.g. a web API's
        repr,
        lambda f: list(f),
        lambda f: pickle.loads(pickle.dumps(f)).model_dump_json(),
        lambda f: f.model_copy(update={"status": "met"}).model_dump_json(),
        lambda f: f.model_copy(deep=True).model_dump_json(),
    ],
)
def test_an_unexplained_finding_reads_serialises_and_copies_as_an_explained_one(use):
    made = _Counted()
    lazy = pending(made)
    slow = Finding(**VALUES, explanation=explanation())
    assert use(lazy) == use(slow)
    assert made.calls <= 1
    assert lazy == slow and slow == lazy and made.calls == 1
    assert lazy.__dict__ == slow.__dict__ and type(lazy.__dict__["explanation"]) is Explanation


def test_unexplained_findings_compare_by_their_explanations():
    other = Explanation(facts={"exclusion": {"id": "S2"}}, steps=("due: day 1",), readings={})
    first = pending(_Counted())
    assert first != pending(lambda: other)
    assert first == pending(_Counted())
    with pytest.raises(TypeError):  # as a validated finding: its explanation holds dicts
        hash(pending(_Counted()))
