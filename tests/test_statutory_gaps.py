"""Statutory gap rules: where the law asks more than the policy. Optional, off by default.

Dates on the example calendar: Mon 3 Nov 2025 is a school day; the half-term is 20-24 Oct and
Mon 27 Oct is an INSET day.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from typing import Any

from apcompliance import Assessment, Case, Evaluator
from apcompliance.cli import main
from apcompliance.language.rulebook import load_rulebook
from tests.scenarios import CAL, direction, rule_ids, suspension, the
from tests.scenarios import case as build_case

NOV3 = date(2025, 11, 3)
GAP_RULES = {
    "G.0-gap-tell-local-authority-of-placement",
    "H.3.iv-gap-la-requests-review-meeting",
    "I.1-gap-notify-local-authority",
    "I.1-gap-notify-social-worker",
    "I.1-gap-notify-virtual-school-head",
    "I.4-gap-45-day-limit",
}


@cache
def with_gaps() -> Evaluator:
    return Evaluator(load_rulebook(gaps=True))


def assess(c: Case, as_of: date) -> Assessment:
    return with_gaps().evaluate(c, as_of=as_of, calendar=CAL)


def notification(id: str, about: str, on: date, to: str) -> dict[str, Any]:
    return {"kind": "exclusion_notification", "id": id, "about": about, "notified_on": on, "to": to}


def test_the_gap_rules_are_off_by_default():
    assert {r.id for r in load_rulebook().rules} & GAP_RULES == set()
    assert {r.id for r in load_rulebook(gaps=True).rules} >= GAP_RULES


def test_the_local_authority_is_told_of_every_suspension_on_its_first_day():
    a = assess(build_case(suspension("S1", NOV3, 2)), date(2025, 11, 10))
    f = the(a, "I.1-gap-notify-local-authority")
    assert (f.status, f.due) == ("overdue", NOV3)
    assert f in a.violations
    told = build_case(suspension("S1", NOV3, 2), notification("N1", "S1", NOV3, "local_authority"))
    assert the(assess(told, date(2025, 11, 10)), "I.1-gap-notify-local-authority").status == "met"


def test_the_social_worker_and_virtual_school_head_only_where_there_is_one():
    plain = assess(build_case(suspension("S1", NOV3, 2)), date(2025, 11, 10))
    assert not {"I.1-gap-notify-social-worker", "I.1-gap-notify-virtual-school-head"} & rule_ids(
        plain
    )
    c = build_case(
        suspension("S1", NOV3, 2),
        notification("N1", "S1", date(2025, 11, 4), "social_worker"),
        social_worker=True,
        looked_after=True,
    )
    a = assess(c, date(2025, 11, 10))
    assert (
        the(a, "I.1-gap-notify-social-worker").status,
        the(a, "I.1-gap-notify-social-worker").due,
    ) == ("late", NOV3)
    f = the(a, "I.1-gap-notify-virtual-school-head")
    assert (f.status, f.due) == ("overdue", NOV3)


def test_more_than_45_days_of_suspension_in_a_school_year_is_breached():
    # 30 school days from Wed 3 Sep 2025 (to Tue 14 Oct), then 16 from Mon 3 Nov: 46 in the
    # school year; with 15 from Mon 3 Nov, 45.
    c = build_case(suspension("S1", date(2025, 9, 3), 30), suspension("S2", NOV3, 16))
    a = assess(c, date(2025, 12, 1))
    f = the(a, "I.4-gap-45-day-limit")
    assert (f.status, f.due, f.subject) == ("breached", NOV3, "exclusion S2")
    fewer = build_case(suspension("S1", date(2025, 9, 3), 30), suspension("S2", NOV3, 15))
    assert "I.4-gap-45-day-limit" not in rule_ids(assess(fewer, date(2025, 12, 1)))


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
    from importlib import resources

    calendar = str(resources.files("apcompliance") / "data/calendars/example-la-2025-26.yaml")
    path = tmp_path / "case.json"
    path.write_text(example_case_json)
    main(["check", str(path), "--as-of", "2025-11-10", "--calendar", calendar])
    assert "gap" not in capsys.readouterr().out
    main(["check", str(path), "--as-of", "2025-11-10", "--calendar", calendar, "--gaps"])
    assert "I.1-gap-notify-local-authority" in capsys.readouterr().out
