"""The law beside the policy: the statutory duties on exclusions (tier statutory, on by
default; rules/I-statutory-duties.yaml, scenarios in tests/scenarios/I-statutory.yaml) and the
optional gap rules of sections G and H (`--gaps`).

Dates on the example calendar: Mon 3 Nov 2025 is a school day; the half-term is 20-24 Oct and
Mon 27 Oct is an INSET day.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from importlib import resources

import pytest

from apcompliance import Assessment, Case, Evaluator, PolicySettings
from apcompliance.cli import main
from apcompliance.errors import RuleFileError
from apcompliance.language.rulebook import load_rulebook, parse_rule_file
from apcompliance.policy.statutes import load_statutes
from tests.scenarios import CAL, direction, rule_ids, suspension, the
from tests.scenarios import case as build_case

NOV3 = date(2025, 11, 3)
GAP_RULES = {
    "G.0-gap-tell-local-authority-of-placement",
    "H.3.iv-gap-la-requests-review-meeting",
}
STATUTORY_RULES = {
    "I.law-tell-local-authority-of-suspension",
    "I.law-tell-local-authority-of-permanent-exclusion",
    "I.law-tell-social-worker-of-suspension",
    "I.law-tell-social-worker-of-permanent-exclusion",
    "I.law-tell-virtual-school-head-of-suspension",
    "I.law-tell-virtual-school-head-of-permanent-exclusion",
    "I.law-45-day-limit",
    "I.law-45-day-limit-lunchtime",
}


@cache
def with_gaps() -> Evaluator:
    return Evaluator(load_rulebook(gaps=True))


def assess(c: Case, as_of: date) -> Assessment:
    return with_gaps().evaluate(c, as_of=as_of, calendar=CAL)


def test_the_statutory_rules_are_on_by_default_and_the_gap_rules_off():
    default = {r.id for r in load_rulebook().rules}
    assert default >= STATUTORY_RULES
    assert default & GAP_RULES == set()
    assert {r.id for r in load_rulebook(gaps=True).rules} >= GAP_RULES | STATUTORY_RULES
    assert {r.id for r in load_rulebook().rules if r.tier == "statutory"} == STATUTORY_RULES


def test_a_statutory_finding_is_of_its_own_tier_and_cites_the_law_for_the_school_type():
    c = build_case(suspension("S1", NOV3, 2))
    evaluator = Evaluator()
    academy = evaluator.evaluate(c, as_of=date(2025, 11, 4), calendar=CAL)
    f = the(academy, "I.law-tell-local-authority-of-suspension")
    assert (f.tier, f.clause, f.status) == ("statutory", "SI 2012/1033 reg 23(1)(a)", "overdue")
    assert f.citation.statute == "SI 2012/1033 reg 23(1)(a)" and f.citation.clause is None
    assert f.also_cites[0].url == "https://www.legislation.gov.uk/uksi/2012/1033/regulation/23"
    assert load_statutes().passage(f.clause).quotes(f.says)  # type: ignore[union-attr]
    assert academy.readings["policy_only"]["value"] is False
    assert academy.readings["school_type"]["value"] == "academy"
    maintained = evaluator.evaluate(
        c, as_of=date(2025, 11, 4), calendar=CAL, settings=PolicySettings(school_type="maintained")
    )
    g = the(maintained, "I.law-tell-local-authority-of-suspension")
    assert (g.clause, g.also_cites[0].url) == (
        "SI 2012/1033 reg 5(1)(a)",
        "https://www.legislation.gov.uk/uksi/2012/1033/regulation/5",
    )
    assert "head teacher" in g.says and "principal" in f.says
    assert all(p.tier == "policy" for p in academy.findings if not p.rule_id.startswith("I.law"))
    frame_row = json.loads(academy.to_json())["findings"]
    assert {x["tier"] for x in frame_row} == {"policy", "statutory"}


def test_policy_only_leaves_out_the_statutory_tier_and_the_assessment_records_it():
    c = build_case(suspension("S1", NOV3, 2), looked_after=True, social_worker=True)
    a = Evaluator().evaluate(
        c, as_of=date(2025, 11, 4), calendar=CAL, settings=PolicySettings(policy_only=True)
    )
    assert not rule_ids(a) & STATUTORY_RULES
    assert a.readings["policy_only"]["value"] is True
    b = Evaluator().evaluate(c, as_of=date(2025, 11, 4), calendar=CAL)
    assert rule_ids(b) & STATUTORY_RULES == {
        "I.law-tell-local-authority-of-suspension",
        "I.law-tell-social-worker-of-suspension",
        "I.law-tell-virtual-school-head-of-suspension",
    }


MISQUOTED = """
section: I
title: a misquoted statute
rules:
  - id: I.law-misquoted
    tier: statutory
    law:
      academy:
        cite: SI 2012/1033 reg 23(1)(a)
        says: the principal may, when convenient, inform the local authority
      maintained:
        cite: SI 2012/1033 reg 5(1)(a)
        says: the head teacher must, without delay
    kind: obligation
    duty_holder: headteacher
    action: tell the local authority
    when:
      exclusion: any
    due: {nth_school_day: 1, of: exclusion.first_day}
    met_by:
      fact: exclusion_notification
      where: {exclusion: {ref: exclusion.id}, to: local_authority}
      dated: notified_on
"""


def test_the_loader_refuses_a_misquoted_statute():
    with pytest.raises(RuleFileError, match=r"law\.academy\.says: the quoted words are not found"):
        parse_rule_file(MISQUOTED, "mine.yaml")
    right = MISQUOTED.replace(
        "the principal may, when convenient, inform the local authority",
        "the principal must, without delay",
    )
    assert parse_rule_file(right, "mine.yaml").rules[0].tier == "statutory"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("reg 23(1)(a)", "reg 99"), r"law\.academy\.cite: no passage 'SI 2012/1033 reg 99'"),
        (("reg 23(1)(a)", "reg 5(1)(a)"), r"binds maintained schools, not academy ones"),
        (("I.law-misquoted", "I.1-misquoted"), r"a statutory rule's id is `<section>.law-<name>`"),
        (("    tier: statutory\n", ""), r"a policy rule needs clause and says"),
    ],
)
def test_the_loader_refuses_a_statutory_rule_that_does_not_cite_the_law_right(change, message):
    text = MISQUOTED.replace(
        "the principal may, when convenient, inform the local authority",
        "the principal must, without delay",
    ).replace(*change)
    with pytest.raises(RuleFileError, match=message):
        parse_rule_file(text, "mine.yaml")


def test_check_policy_only_leaves_out_the_law(capsys, tmp_path, example_case_json):
    calendar = str(resources.files("apcompliance") / "data/calendars/example-la-2025-26.yaml")
    path = tmp_path / "case.json"
    path.write_text(example_case_json)
    args = ["check", str(path), "--as-of", "2025-11-10", "--calendar", calendar, "--json"]
    main(args)
    default = json.loads(capsys.readouterr().out)
    assert "I.law-tell-local-authority-of-suspension" in {f["rule_id"] for f in default["findings"]}
    assert default["readings"]["policy_only"]["value"] is False
    main([*args, "--policy-only"])
    only = json.loads(capsys.readouterr().out)
    assert not {f["rule_id"] for f in only["findings"]} & STATUTORY_RULES
    assert only["readings"]["policy_only"]["value"] is True
    main([*args, "--school-type", "maintained"])
    maintained = json.loads(capsys.readouterr().out)
    assert "SI 2012/1033 reg 5(1)(a)" in {f["clause"] for f in maintained["findings"]}
    main([*args[:-1], "--all"])
    assert "THE LAW: STATUTORY DUTIES (academy school)" in capsys.readouterr().out


def test_the_local_authority_is_told_of_a_commissioned_placement_by_its_start():
    c = build_case(
        placements=[{"id": "PL-1", "kind": "other", "start_date": NOV3, "full_time": True}]
    )
    f = the(assess(c, date(2025, 11, 10)), "G.0-gap-tell-local-authority-of-placement")
    assert (f.status, f.due) == ("overdue", NOV3)
    told = build_case(
        {
            "kind": "la_contacted",
            "id": "LA-1",
            "placement_id": "PL-1",
            "contacted_on": date(2025, 10, 30),
        },
        placements=[{"id": "PL-1", "kind": "other", "start_date": NOV3, "full_time": True}],
    )
    assert (
        the(assess(told, date(2025, 11, 10)), "G.0-gap-tell-local-authority-of-placement").status
        == "met"
    )


def test_a_local_authority_request_for_a_review_meeting():
    # Requested Mon 1 Dec 2025: ten school days counting that day end Fri 12 Dec.
    request = {
        "kind": "review_request",
        "id": "RQ-1",
        "placement_id": "OSD-1",
        "requested_on": date(2025, 12, 1),
        "by": "local_authority",
        "in_writing": True,
    }
    c = build_case(request, placements=[direction(date(2025, 11, 17), date(2025, 11, 3))])
    f = the(assess(c, date(2025, 12, 15)), "H.3.iv-gap-la-requests-review-meeting")
    assert (f.status, f.due) == ("overdue", date(2025, 12, 12))
    by_parents = build_case(
        request | {"by": "parents"}, placements=[direction(date(2025, 11, 17), date(2025, 11, 3))]
    )
    assert "H.3.iv-gap-la-requests-review-meeting" not in rule_ids(
        assess(by_parents, date(2025, 12, 15))
    )


def test_the_gaps_command_lists_each_rule_with_its_law(capsys):
    assert main(["gaps", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["id"] for r in rows} == GAP_RULES
    assert all(r["law"] for r in rows)


def test_check_applies_the_gaps_only_when_asked(capsys, tmp_path, example_case_json):
    calendar = str(resources.files("apcompliance") / "data/calendars/example-la-2025-26.yaml")
    path = tmp_path / "case.json"
    path.write_text(example_case_json)
    c = build_case(
        placements=[{"id": "PL-1", "kind": "other", "start_date": NOV3, "full_time": True}]
    )
    path.write_text(c.model_dump_json())
    main(["check", str(path), "--as-of", "2025-11-10", "--calendar", calendar])
    assert "gap" not in capsys.readouterr().out
    main(["check", str(path), "--as-of", "2025-11-10", "--calendar", calendar, "--gaps"])
    assert "G.0-gap-tell-local-authority-of-placement" in capsys.readouterr().out
