"""A placement's weekly timetable (G.4.i) and its end (the derived `ends_on`): the model's
checks, the derived facts, and what the explanations say. The findings themselves, dated by
hand, are in tests/scenarios/placement-timetable-and-end.yaml.

Example calendar: every weekday of November 2025 is a school day; Mon 3 - Wed 5 Nov is a
three-day suspension below; Fri 14 Nov is the school day before Mon 17 Nov.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from apcompliance.evaluation.derive import derive
from apcompliance.facts import Case, WeeklyTimetable
from apcompliance.facts.vocabulary import PlacementFact
from apcompliance.policy.settings import PolicySettings
from tests import scenarios
from tests.scenarios import CAL

NOV3 = date(2025, 11, 3)
PROVIDER = {"id": "PRV-1", "name": "Made-Up Skills Centre", "kind": "unregistered"}
VISITS = "G.4.i-visits"
WEEKLY = "O.4-weekly-attendance-records"


def placement(**extra: Any) -> dict[str, Any]:
    return {
        "id": "PL-1",
        "kind": "other",
        "provider_id": "PRV-1",
        "start_date": NOV3,
        "full_time": False,
    } | extra


def case(*events: dict[str, Any], **extra: Any) -> Case:
    return scenarios.case(*events, placements=[placement(**extra)], providers=[PROVIDER])


def placement_fact(c: Case) -> PlacementFact:
    (fact,) = [
        f
        for f in derive(c, CAL, PolicySettings(), as_of=date(2025, 12, 1))
        if isinstance(f, PlacementFact)
    ]
    return fact


def steps(c: Case, rule_id: str, as_of: date, **settings: Any) -> list[str]:
    a = scenarios.assess(c, as_of, "G", "O", settings=PolicySettings(**settings))
    return list(scenarios.findings(a, rule_id)[0].explanation.steps)


# --- the timetable: what the model accepts -----------------------------------------------------


@pytest.mark.parametrize(
    ("timetable", "field", "says"),
    [
        ({"saturday": ["AM"]}, "saturday", "Extra inputs are not permitted"),
        ({"monday": ["AM", "AM"]}, "monday", "each entry once"),
        ({"monday": ["EVE"]}, "monday", "'AM' or 'PM'"),
        ({}, "timetable", "at least one session on a weekday"),
        (
            {
                "monday": ["AM"],
                "not_running": [{"first_day": "2025-11-10", "last_day": "2025-11-07"}],
            },
            "not_running",
            "last_day is before first_day",
        ),
        (
            {"monday": ["AM"], "extra_sessions": [{"on": "2025-11-11", "sessions": []}]},
            "extra_sessions",
            "at least 1 item",
        ),
    ],
)
def test_a_timetable_names_what_is_wrong(timetable: dict[str, Any], field: str, says: str) -> None:
    with pytest.raises(ValidationError) as err:
        case(timetable=timetable)
    assert field in str(err.value) and says in str(err.value)


def test_sessions_per_week_must_agree_with_the_timetable() -> None:
    with pytest.raises(ValidationError, match=r"sessions_per_week \(4\) differs from the 3"):
        case(timetable={"monday": ["AM", "PM"], "wednesday": ["AM"]}, sessions_per_week=4)
    c = case(timetable={"monday": ["AM", "PM"], "wednesday": ["AM"]}, sessions_per_week=3)
    assert c.placements[0].timetable == WeeklyTimetable(monday=("AM", "PM"), wednesday=("AM",))


# --- the timetable and the explanation of G.4.i -------------------------------------------------


def test_the_explanation_says_which_sessions_were_counted() -> None:
    timetabled = steps(case(timetable={"monday": ["AM", "PM"], "wednesday": ["AM"]}), VISITS, NOV3)
    assert "sessions counted from placement.timetable (Mon AM PM, Wed AM), on school days" in (
        timetabled
    )
    spread = steps(case(sessions_per_week=4), VISITS, NOV3)
    assert "placement.sessions_per_week (4) spread evenly over the school week: assumed" in spread
    full_time = steps(case(full_time=True), VISITS, NOV3)
    assert "placement.sessions_per_week (10): every session of each school day" in full_time


def test_without_either_the_visit_asks_for_the_timetable() -> None:
    a = scenarios.assess(case(), NOV3, "G")
    f = scenarios.findings(a, VISITS)[0]
    assert (f.status, f.missing) == (
        "information_needed",
        ("placement PL-1: timetable is not recorded",),
    )
    assert f.explanation.readings["visits_without_timetable"] == "information_needed"
    assert any("dated by the month alone" in s for s in f.explanation.steps)
    # A timetable recorded: the switch plays no part.
    a = scenarios.assess(case(sessions_per_week=4), NOV3, "G")
    assert "visits_without_timetable" not in scenarios.findings(a, VISITS)[0].explanation.readings


# --- the placement's end -----------------------------------------------------------------------

SUSPENSION = scenarios.suspension("SUS-1", NOV3, 3)


def test_a_suspension_placement_ends_with_the_suspension_unless_its_end_date_says_otherwise() -> (
    None
):
    ended = placement_fact(case(SUSPENSION, kind="suspension_provision", full_time=True))
    assert (ended.ends_on, ended.ends_by, ended.end_date) == (
        date(2025, 11, 5),
        "suspension_ends",
        None,
    )
    kept = case(
        SUSPENSION, kind="suspension_provision", full_time=True, end_date=date(2025, 11, 14)
    )
    assert (placement_fact(kept).ends_on, placement_fact(kept).ends_by) == (
        date(2025, 11, 14),
        "end_date",
    )


def test_provision_for_a_permanent_exclusion_ends_before_the_new_roll_if_recorded() -> None:
    def pex(**roll: Any) -> dict[str, Any]:
        return {"kind": "permanent_exclusion", "id": "PEX-1", "first_day": NOV3} | roll

    kind = {"kind": "permanent_exclusion_provision", "start_date": date(2025, 11, 10)}
    on_roll = placement_fact(case(pex(on_new_school_roll_from=date(2025, 11, 17)), **kind))
    assert (on_roll.ends_on, on_roll.ends_by) == (date(2025, 11, 14), "on_new_roll")
    # Beyond the calendar: the day before the new roll.
    later = placement_fact(case(pex(on_new_school_roll_from=date(2026, 9, 7)), **kind))
    assert (later.ends_on, later.ends_by) == (date(2026, 9, 6), "on_new_roll")
    open_ = placement_fact(case(pex(), **kind))
    assert (open_.ends_on, open_.ends_by) == (None, None)


def test_other_placements_without_an_end_date_are_open() -> None:
    fact = placement_fact(case())
    assert (fact.ends_on, fact.ends_by) == (None, None)


def test_the_explanation_says_how_far_a_recurring_duty_runs() -> None:
    open_ = steps(case(full_time=True), WEEKLY, date(2025, 11, 12))
    assert (
        "runs on: placement.ends_on is not recorded (no end date), so up to the evaluation date"
        in open_
    )
    ended = steps(
        case(SUSPENSION, kind="suspension_provision", full_time=True), WEEKLY, date(2025, 11, 12)
    )
    assert "runs until placement.ends_on: Wed 5 Nov 2025" in ended
