"""Undatable never aborts (issue 16, point 4): every rule whose deadline is counted in school
days, or read from a named value counted on the calendar, is assessed with a calendar cut
short so that its deadline falls outside it. The finding is `undetermined`, its reason names
the date, and the case's other findings are still judged (see docs/calendar.md)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from apcompliance.calendar.school_calendar import SchoolCalendar
from apcompliance.cli import main
from apcompliance.errors import ApComplianceError
from apcompliance.evaluation.evaluator import shared_evaluator
from apcompliance.facts import Case
from apcompliance.language.conditions import Call, TermValue
from apcompliance.language.parse import CALENDAR_FUNCTIONS
from apcompliance.language.rulebook import Deadline, Rule, RuleBook, load_rulebook
from apcompliance.policy.settings import PolicySettings
from apcompliance.results.assessment import Assessment
from apcompliance.scenarios import load_scenario_file

SCENARIOS = Path(__file__).parent / "scenarios"
EXAMPLE = SchoolCalendar.example()
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _counts_school_days(expr: object) -> bool:
    """Whether a named value's expression counts on the calendar."""
    if isinstance(expr, TermValue):
        return _counts_school_days(expr.body)
    if isinstance(expr, Call):
        return expr.function in CALENDAR_FUNCTIONS or any(_counts_school_days(a) for a in expr.args)
    return False


def _deadlines(rule: Rule) -> list[Deadline]:
    return [d for d in (rule.due, rule.except_.due if rule.except_ else None) if d is not None]


def undatable_rules(book: RuleBook) -> dict[str, str]:
    """The rules whose deadline can leave the calendar, each with the way it can: `after`
    (counted forward: the Nth school day from a date), `before` (counted back: N school
    days before a date) or `either` (a named value counted on the calendar)."""
    out: dict[str, str] = {}
    for rule in book.rules:
        for d in _deadlines(rule):
            if d.nth_school_day is not None:
                out[rule.id] = "after"
            elif d.school_days_before is not None:
                out[rule.id] = "before"
        if rule.id not in out and any(
            _counts_school_days(expr) for _, expr in book.conditions(rule.id).values
        ):
            out[rule.id] = "either"
    return out


@dataclass(frozen=True)
class Example:
    """A case where a rule fires, and how it is assessed."""

    case: Case
    as_of: date
    settings: PolicySettings


@functools.cache
def _book() -> RuleBook:
    return load_rulebook(gaps=True)


@functools.cache
def _examples() -> dict[str, list[Example]]:
    """The bundled scenarios' cases where each rule has a dated one-off finding."""
    found: dict[str, list[Example]] = {}
    evaluator = shared_evaluator(gaps=True)
    for path in sorted(SCENARIOS.glob("*.yaml")):
        suite = load_scenario_file(path)
        if suite.calendar != EXAMPLE:
            continue
        for s in suite.scenarios:
            a = evaluator.evaluate(
                s.case, as_of=s.spec.as_of, calendar=EXAMPLE, settings=s.settings
            )
            for rule_id in {f.rule_id for f in a.findings if f.due is not None and not f.period}:
                found.setdefault(rule_id, []).append(Example(s.case, s.spec.as_of, s.settings))
    return found


def _n_switch(rule: Rule) -> str | None:
    """The switch giving a rule's N school days, if N is a switch."""
    return next(
        (d.nth_school_day for d in _deadlines(rule) if isinstance(d.nth_school_day, str)), None
    )


def clipped(first: date | None = None, last: date | None = None) -> SchoolCalendar:
    """The example calendar cut to begin on `first` and end on `last`."""
    blocks, names = [], []
    for h in EXAMPLE.half_terms:
        a, b = max(h.first_day, first or h.first_day), min(h.last_day, last or h.last_day)
        if a <= b:
            blocks.append((a, b))
            names.append(h.term)
    closures = {
        d: EXAMPLE.closure_reason(d) for d in EXAMPLE.closures if blocks[0][0] <= d <= blocks[-1][1]
    }
    return SchoolCalendar(blocks, closures, name="cut short", term_names=names)


def _assess(
    case: Case, as_of: date, calendar: SchoolCalendar, settings: PolicySettings
) -> Assessment | None:
    try:
        return shared_evaluator(gaps=True).evaluate(
            case, as_of=as_of, calendar=calendar, settings=settings
        )
    except ApComplianceError:  # another of the case's dates is off this calendar: the input's
        return None


RULES = undatable_rules(_book())


def test_the_rules_whose_deadline_can_leave_the_calendar_are_found() -> None:
    assert RULES["H.2-notice-to-parents"] == "before"
    assert RULES["I.1-sixth-day-provision"] == "after"
    assert RULES["Q.5-meeting-after-suspension"] == "either"  # exclusion.return_day
    assert len(RULES) >= 35


def test_every_such_rule_has_a_case_that_dates_it() -> None:
    assert sorted(set(RULES) - set(_examples())) == []


NEVER_LEAVES = {"I.1-looked-after-first-day"}
"""The first school day of an exclusion: its first day, which must be on the calendar (a first
day off it is refused, naming the field: the input's fault, see docs/calendar.md)."""


@pytest.mark.parametrize("rule_id", sorted(set(RULES) - NEVER_LEAVES))
def test_a_deadline_outside_the_calendar_is_undetermined_and_the_case_still_assessed(
    rule_id: str,
) -> None:
    rule = next(r for r in _book().rules if r.id == rule_id)
    for example in _examples()[rule_id]:
        settings = example.settings
        switch = _n_switch(rule)
        if switch is not None and getattr(settings, switch) == 1:  # the day itself: count on
            settings = settings.model_copy(update={switch: 5})
        full = _assess(example.case, example.as_of, EXAMPLE, settings)
        assert full is not None
        for dated in [f for f in full.findings if f.rule_id == rule_id and f.due and not f.period]:
            due = dated.due if type(dated.due) is date else dated.due.date()  # type: ignore[union-attr]
            cuts = {
                "after": [clipped(last=due - timedelta(days=1))],
                "before": [clipped(first=due + timedelta(days=1))],
            }
            kind = RULES[rule_id]
            for calendar in cuts["after"] + cuts["before"] if kind == "either" else cuts[kind]:
                a = _assess(example.case, example.as_of, calendar, settings)
                if a is None:
                    continue
                mine = [
                    f for f in a.findings if f.rule_id == rule_id and f.subject == dated.subject
                ]
                assert [f.status for f in mine] == ["undetermined"], (calendar, mine)
                (reason,) = mine[0].missing
                assert ISO_DATE.search(reason) and "calendar" in reason, reason
                # the case's other one-off findings dated inside the calendar stand, as graded
                kept = {
                    (f.rule_id, f.subject, f.due, f.status)
                    for f in full.findings
                    if f.rule_id not in RULES
                    and f.period is None
                    and type(f.due) is date
                    and calendar.covers(f.due)
                    and example.as_of <= calendar.last_day
                }
                now = {(f.rule_id, f.subject, f.due, f.status) for f in a.findings}
                assert kept <= now, sorted(kept - now)
                return
    pytest.fail(f"no calendar cut short puts {rule_id}'s deadline outside and keeps the case")


def test_a_first_day_off_the_calendar_is_refused_naming_the_field() -> None:
    example = _examples()["I.1-looked-after-first-day"][0]
    first = min(e.first_day for e in example.case.events if hasattr(e, "first_day"))
    with pytest.raises(ApComplianceError, match=f"first_day {first.isoformat()} is outside"):
        shared_evaluator(gaps=True).evaluate(
            example.case,
            as_of=example.as_of,
            calendar=clipped(first=first + timedelta(days=1)),
            settings=example.settings,
        )


def test_check_exits_with_the_findings_and_shows_the_reason(capsys, tmp_path) -> None:
    # A direction from Wed 3 Sep 2025, the first school day of the example calendar: H.2's
    # notice, two clear school days before, is due in the summer holiday, before the calendar.
    case = tmp_path / "case.json"
    case.write_text(
        '{"case_id": "U-1", "pupil": {"year_group": 9}, "placements": [{"id": "OSD-1", '
        '"kind": "off_site_direction", "start_date": "2025-09-03", "arranged_on": '
        '"2025-09-03", "full_time": true}]}'
    )
    calendar = str(SCENARIOS.parent.parent / "src/apcompliance/data/calendars")
    calendar += "/example-la-2025-26.yaml"
    code = main(["check", str(case), "--as-of", "2025-09-10", "--calendar", calendar, "--all"])
    out, err = capsys.readouterr()
    assert code == 1 and err == ""
    assert "BREACHED   H.1      due Wed 3 Sep 2025" in out
    assert "UNDETERMINED H.2      due cannot be dated          placement OSD-1" in out
    assert "undetermined: placement OSD-1: the deadline cannot be counted on the calendar (2" in out
    assert "before placement.start_date, 2025-09-03" in " ".join(out.split())
