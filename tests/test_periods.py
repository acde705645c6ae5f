"""Duties over a period (`met_by.every_school_day` with `covers`): the loader refuses bad
syntax naming the file, the rule and the key; the tree and the evaluator's pieces."""

from __future__ import annotations

import json
from datetime import date

import pytest
import yaml

from apcompliance import Case, Finding, RuleFileError, SchoolCalendar, evaluate
from apcompliance.language.conditions import Call, Covers, EverySchoolDay, Field, TermValue
from apcompliance.language.rulebook import load_rulebook, parse_rule_file
from apcompliance.language.semantics import day_runs

CAL = SchoolCalendar.example()

PERIOD_RULE = {
    "id": "I.1-every-day",
    "clause": "I.1",
    "says": "The school will arrange suitable full-time education",
    "kind": "obligation",
    "duty_holder": "school",
    "action": "full-time provision on every school day from the sixth",
    "when": {"exclusion": {"permanent": False}},
    "due": {"nth_school_day": 6, "of": "exclusion.first_day"},
    "met_by": {
        "fact": "placement",
        "where": {"exclusion": {"ref": "exclusion.id"}, "full_time": True},
        "every_school_day": {"from": "exclusion.sixth_school_day", "to": "exclusion.last_day"},
        "covers": {"from": "start_date", "to": "end_date"},
        "dated": "start_date",
    },
}


def with_met_by(**changes: object) -> str:
    met_by = {k: v for k, v in {**PERIOD_RULE["met_by"], **changes}.items() if v is not None}
    rule = {**PERIOD_RULE, "met_by": met_by}
    return yaml.safe_dump({"section": "I", "title": "test", "rules": [rule]})


def test_a_period_parses_into_the_tree():
    parsed = parse_rule_file(with_met_by(), "rules/period.yaml")
    period = parsed.rules[0].conditions.met_by.period
    assert isinstance(period, EverySchoolDay)
    assert isinstance(period.first, TermValue) and str(period.first) == "exclusion.sixth_school_day"
    assert period.last == Field("exclusion", "last_day")
    assert period.covers == Covers(Field("met_by", "start_date"), Field("met_by", "end_date"))


def test_a_period_may_be_bounded_by_a_calendar_function_and_covered_day_by_day():
    text = with_met_by(
        fact="work_set",
        where={"exclusion": {"ref": "exclusion.id"}},
        every_school_day={
            "from": "exclusion.first_day",
            "to": {"nth_school_day": 5, "of": "exclusion.first_day"},
        },
        covers={"day": "set_on"},
        dated="set_on",
    )
    period = parse_rule_file(text, "rules/period.yaml").rules[0].conditions.met_by.period
    assert isinstance(period.last, Call) and period.last.function == "nth_school_day"
    assert period.covers == Covers(Field("met_by", "set_on"))


def test_the_bundled_sixth_day_duty_is_a_duty_over_a_period():
    book = load_rulebook()
    period = book.conditions("I.1-sixth-day-provision").met_by.period
    assert period is not None and str(period.first) == "exclusion.sixth_school_day"
    assert book.conditions("I.7-work-marked").met_by.period is None  # a one-off duty stays one
    work = book.conditions("I.7-work-set").met_by.period
    assert work is not None and work.excused is not None  # the days with provision need none
    assert work.excused.fact_type == "placement"


FIRST, LAST = "exclusion.first_day", "exclusion.last_day"
REGISTER_BAD_FACT = {"fact": "register", "covers": {"day": "date"}}
REGISTER_BAD_CODE = {"fact": "register_day", "where": {"am": "E9"}, "covers": {"day": "date"}}


@pytest.mark.parametrize(
    ("changes", "key", "message"),
    [
        ({"every_school_day": {"from": "exclusion.first_day"}}, "met_by.every_school_day", "from"),
        (
            {"every_school_day": {"from": "exclusion.start", "to": "exclusion.last_day"}},
            "met_by.every_school_day.from",
            "has no field or named value 'start'",
        ),
        (
            {"every_school_day": {"from": "exclusion.school_days", "to": "exclusion.last_day"}},
            "met_by.every_school_day.from",
            "not a date",
        ),
        (
            {"every_school_day": {"from": "met_by.start_date", "to": "exclusion.last_day"}},
            "met_by.every_school_day.from",
            "'met_by' is not an alias in when",
        ),
        (
            {"every_school_day": {"from": "exclusion.first_day", "to": {"weeks": 2}}},
            "met_by.every_school_day.to",
            "a calendar function",
        ),
        ({"covers": None}, "met_by.covers", "missing"),
        ({"covers": {"from": "start_date"}}, "met_by.covers", r"\{from: field, to: field\}"),
        ({"covers": {"day": "begins"}}, "met_by.covers.day", "has no field 'begins'"),
        ({"covers": {"day": "start_at"}}, "met_by.covers.day", "not a date"),
        ({"covers": {"from": "start_date", "to": "full_time"}}, "met_by.covers.to", "not a date"),
        ({"every_school_day": None}, "met_by.covers", "only with every_school_day"),
        ({"timed": "start_date"}, "met_by.timed", "not with every_school_day"),
        (
            {"every_school_day": {"from": FIRST, "to": LAST, "also_covered_by": {"fact": "day"}}},
            "met_by.every_school_day.also_covered_by",
            r"\{fact: type, where: \{tests\}, covers",
        ),
        (
            {"every_school_day": {"from": FIRST, "to": LAST, "uncovered_by": REGISTER_BAD_FACT}},
            "met_by.every_school_day.uncovered_by.fact",
            "unknown fact type 'register'",
        ),
        (
            {"every_school_day": {"from": FIRST, "to": LAST, "uncovered_by": REGISTER_BAD_CODE}},
            "met_by.every_school_day.uncovered_by.where.am",
            "'E9' is not one of /",
        ),
    ],
)
def test_bad_period_syntax_names_the_file_the_rule_and_the_key(changes, key, message):
    with pytest.raises(RuleFileError, match=message) as caught:
        parse_rule_file(with_met_by(**changes), "rules/period.yaml")
    text = str(caught.value)
    assert text.startswith("rules/period.yaml")
    assert "'I.1-every-day'" in text
    assert f"{key}:" in text


def test_a_period_is_refused_with_a_recurring_deadline():
    rule = {**PERIOD_RULE, "due": {"every": "week", "from": "exclusion.first_day"}}
    text = yaml.safe_dump({"section": "I", "title": "test", "rules": [rule]})
    with pytest.raises(RuleFileError, match=r"met_by\.every_school_day: not with a recurring"):
        parse_rule_file(text, "rules/period.yaml")


def test_uncovered_days_run_over_weekends_and_holidays_but_not_over_a_covered_day():
    days = tuple(CAL.school_days(date(2025, 10, 16), date(2025, 11, 8)))
    # Thu 16, Fri 17 Oct, half-term, the INSET day Mon 27 Oct, Tue 28 Oct: one run.
    assert day_runs([date(2025, 10, 16), date(2025, 10, 17), date(2025, 10, 28)], days) == (
        (date(2025, 10, 16), date(2025, 10, 28)),
    )
    # Wed 29 Oct covered: Tue 28 and Thu 30 Oct are two runs.
    assert day_runs([date(2025, 10, 28), date(2025, 10, 30)], days) == (
        (date(2025, 10, 28), date(2025, 10, 28)),
        (date(2025, 10, 30), date(2025, 10, 30)),
    )
    assert day_runs([], days) == ()


def _sixth_day(as_of: date, placements: list[dict]) -> Finding:
    case = Case.model_validate_json(
        json.dumps(
            {
                "case_id": "PERIOD-1",
                "pupil": {"year_group": 9},
                "events": [
                    {
                        "kind": "suspension",
                        "id": "S-1",
                        "first_day": "2025-11-03",
                        "school_days": 15,
                    }
                ],
                "placements": placements,
            }
        )
    )
    a = evaluate(case, as_of=as_of, calendar=CAL)
    (f,) = [f for f in a.findings if f.rule_id == "I.1-sixth-day-provision"]
    return f


ENDS_EARLY = {
    "id": "PL-1",
    "kind": "suspension_provision",
    "start_date": "2025-11-10",
    "end_date": "2025-11-18",
    "full_time": True,
}


def test_the_explanation_names_the_period_the_days_covered_and_the_day_of_the_breach():
    f = _sixth_day(date(2025, 11, 28), [ENDS_EARLY])
    text = " ".join(f.explain().split())
    assert "every school day from Mon 10 Nov 2025 to Fri 21 Nov 2025 (10 school days)" in text
    assert "placement PL-1 covers Mon 10 Nov 2025 to Tue 18 Nov 2025" in text
    assert "not covered (3 school days): Wed 19 Nov 2025 to Fri 21 Nov 2025" in text
    assert "breached: not kept on Wed 19 Nov 2025" in text
    assert [str(r) for r in f.uncovered] == ["2025-11-19 to 2025-11-21"]
    assert json.loads(f.model_dump_json())["uncovered"] == [
        {"first": "2025-11-19", "last": "2025-11-21"}
    ]


def test_a_covered_period_is_explained_without_a_breach():
    open_ended = {k: v for k, v in ENDS_EARLY.items() if k != "end_date"}
    f = _sixth_day(date(2025, 11, 28), [open_ended])
    text = " ".join(f.explain().split())
    assert f.status == "met" and f.uncovered == ()
    assert "placement PL-1 covers Mon 10 Nov 2025 to Fri 21 Nov 2025" in text
    assert "not covered" not in text and "breached" not in text


def test_the_facts_that_excuse_days_are_listed_in_date_order_whatever_the_fact_order():
    """Found by the fuzzed-cases property: two placements excusing the same days of I.7 were
    explained in the order the case listed them. Permanent exclusion from Mon 3 Nov 2025; both
    placements start that day, so days 1-5 (Mon 3 - Fri 7 Nov) need no work."""
    base = {
        "case_id": "ORDER-1",
        "pupil": {"year_group": 7},
        "events": [{"kind": "permanent_exclusion", "id": "PEX-1", "first_day": "2025-11-03"}],
    }
    placements = [
        {
            "id": f"PL-{n}",
            "kind": "permanent_exclusion_provision",
            "start_date": "2025-11-03",
            "full_time": False,
            "arranged_by": "school",
        }
        for n in (1, 2)
    ]
    found = []
    for order in (placements, placements[::-1]):
        case = Case.model_validate_json(json.dumps({**base, "placements": order}))
        (work,) = [
            f
            for f in evaluate(case, as_of=date(2025, 11, 10), calendar=CAL).findings
            if f.rule_id == "I.7-work-set"
        ]
        found.append(work)
    assert found[0] == found[1]
    steps = [s for s in found[0].explanation.steps if "need no cover" in s]
    assert [s.split()[2] for s in steps] == ["PL-1", "PL-2"]
    assert all("Mon 3 Nov 2025 to Fri 7 Nov 2025" in s for s in steps)
