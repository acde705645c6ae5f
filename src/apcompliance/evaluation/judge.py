"""The judge: dates and grades what the conditions found. It never decides whether a clause applies.

For each firing it computes the deadline (or the exception's deadline, where the rule's
`except.when` holds), finds what satisfied the obligation (the facts `met_by` accepts, by the
same evaluator as every condition), and grades it as of the evaluation date. A firing whose
conditions need a value the case does not record is `information_needed`; a deadline the
calendar cannot date is `undetermined`; neither stops the rest of the case being judged.
"""

from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from apcompliance.calendar.clock import day, day_or_moment
from apcompliance.calendar.school_calendar import SchoolCalendar
from apcompliance.engines.network import Firing
from apcompliance.errors import CalendarError
from apcompliance.evaluation.cadence import (
    Cadence,
    SessionsOn,
    Window,
    fixed_windows,
    rolling_windows,
    visit_windows,
)
from apcompliance.evaluation.deadlines import compute_due, resolve, switched_by
from apcompliance.facts.index import CaseIndex
from apcompliance.facts.placement import FULL_WEEK, WeeklyTimetable
from apcompliance.facts.vocabulary import EngineFact
from apcompliance.language import words
from apcompliance.language.conditions import (
    CoveredBy,
    EverySchoolDay,
    Expr,
    MetByPattern,
    RuleConditions,
    TermValue,
)
from apcompliance.language.rulebook import (
    CADENCES,
    GRADED_KINDS,
    Deadline,
    Kind,
    MetBy,
    PolicyQuote,
    Rule,
    RuleBook,
)
from apcompliance.language.semantics import (
    ABSENT,
    Context,
    Missing,
    Unknown,
    all_of,
    covered,
    day_runs,
    evaluate,
    narrowed,
    period_days,
    value,
)
from apcompliance.policy.document import normalise_space
from apcompliance.policy.settings import PolicySettings
from apcompliance.policy.statutes import load_statutes
from apcompliance.results.findings import (
    PERIOD_STEP,
    Citation,
    DayRange,
    Explanation,
    Finding,
    PendingExplanation,
    Status,
    trusted,
)

When = date | datetime


def _as_date(value: When) -> date:
    return value.date() if isinstance(value, datetime) else value


def _on_or_before(done: When, due: When) -> bool:
    if isinstance(done, datetime) and isinstance(due, datetime):
        return done <= due
    return _as_date(done) <= _as_date(due)


@dataclass(frozen=True)
class _Done:
    """A fact that satisfies an obligation: when it happened (`on`, its `dated` field) and the
    date compared with the deadline (`counts_on`, its `timed` field, else `on`)."""

    on: When
    counts_on: When
    fact: EngineFact


def _satisfiers(
    met_by: MetBy,
    pattern: MetByPattern,
    bound: dict[str, EngineFact],
    facts: Iterable[EngineFact],
    ctx: _Context,
    values: dict[str, object],
) -> tuple[list[_Done], list[tuple[_Done, frozenset[Missing]]]]:
    """Facts that satisfy the obligation, earliest first; and the candidates that might (their
    tests are unknown), each with what is missing to tell."""
    found: list[_Done] = []
    unsure: list[tuple[_Done, frozenset[Missing]]] = []
    scope = dict(bound)
    for f in facts:
        if getattr(f, met_by.dated) is None:
            continue
        scope[pattern.alias] = f
        verdict = all_of(evaluate(t, scope, ctx.conditions) for t in pattern.tests)
        if verdict.truth is not False:
            on = getattr(f, met_by.dated)
            timed = getattr(f, met_by.timed) if met_by.timed else None
            done = _Done(on, on if timed is None else timed, f)
            if verdict.truth is True:
                found.append(done)
            else:
                unsure.append((done, verdict.missing))
    floor = resolve(met_by.on_or_after, bound, values) if met_by.on_or_after else None
    if isinstance(floor, date):
        found = [d for d in found if _as_date(d.on) >= _as_date(floor)]
    return sorted(found, key=lambda d: (_as_date(d.on), str(d.on), d.fact.id)), unsure


Marked = tuple[tuple[EngineFact, tuple[date, ...]], ...]
"""Facts that mark days of a period, each with the days it marks."""


@dataclass(frozen=True)
class _Period:
    """A duty over a period, as the facts cover it: its school days, those no satisfying fact
    covers, the fact provision began with (the earliest covering its first school day), and
    every satisfying fact that covers one of its days, earliest first."""

    days: tuple[date, ...]
    uncovered: tuple[date, ...]
    starter: _Done | None
    covering: tuple[tuple[_Done, tuple[date, ...]], ...]
    """Each fact that covers a day of the period, earliest first, with the days it covers
    (those `also_covered_by` marks included)."""
    excused: Marked = ()
    """Each fact whose days need no cover (`except_covered_by`), with those days."""
    school_days: tuple[date, ...] = ()
    """Every school day from the period's first to its last, excused ones included."""
    also: Marked = ()
    """Each fact whose days are covered too (`also_covered_by`), with those days."""
    against: Marked = ()
    """Each fact whose days are not covered whatever else covers them (`uncovered_by`)."""

    @property
    def runs(self) -> tuple[DayRange, ...]:
        return _day_ranges(self.uncovered, self.school_days or self.days)


def _day_ranges(days: Iterable[date], among: tuple[date, ...]) -> tuple[DayRange, ...]:
    return tuple(trusted(DayRange, first=a, last=b) for a, b in day_runs(days, among))


def _cover(
    period: EverySchoolDay,
    alias: str,
    bound: dict[str, EngineFact],
    found: list[_Done],
    unsure: list[tuple[_Done, frozenset[Missing]]],
    ctx: _Context,
) -> tuple[_Period | Unknown, frozenset[Missing]]:
    """The period covered by the facts found (by `language.semantics`), and what is missing
    to tell whether the candidates whose tests (or dates) are unknown cover a day left
    uncovered. The days `except_covered_by` marks need no cover; those `also_covered_by`
    marks are covered; those `uncovered_by` marks are not, whatever covers them."""
    all_days = period_days(period, bound, ctx.conditions, ctx.as_of)
    if isinstance(all_days, Unknown):
        return all_days, frozenset()
    undecided: set[Missing] = set()
    excused, maybe = _marked(period.excused, bound, all_days, ctx)
    undecided |= maybe
    free = _days_of(excused)
    days = tuple(d for d in all_days if d not in free)
    against, maybe_against = _marked(period.against, bound, days, ctx)
    vetoed = _days_of(against)
    also, maybe_also = _marked(period.also, bound, days, ctx)
    done_days: set[date] = set()
    covering: list[tuple[_Done, tuple[date, ...]]] = []
    for d in found:
        got = covered(period.covers, {**bound, alias: d.fact}, ctx.conditions, days)
        if isinstance(got, Unknown):
            undecided |= got.missing
            continue
        got = tuple(day for day in got if day not in vetoed)
        if got:
            covering.append((d, got))
            done_days.update(got)
    for fact, got in also:
        got = tuple(day for day in got if day not in vetoed)
        if got and period.also is not None:
            on = getattr(fact, period.also.covers.start.name)
            covering.append((_Done(on, on, fact), got))
            done_days.update(got)
    covering.sort(key=lambda c: (_as_date(c[0].on), str(c[0].on), c[0].fact.id))
    starter = next((d for d, got in covering if got[0] == days[0]), None)
    uncovered = tuple(day for day in days if day not in done_days)
    open_days = tuple(day for day in uncovered if day not in vetoed)
    for d, missing in unsure:
        got = covered(period.covers, {**bound, alias: d.fact}, ctx.conditions, open_days)
        if isinstance(got, Unknown):
            undecided |= missing | got.missing
        elif got:
            undecided |= missing
    undecided |= maybe_also | maybe_against
    if not uncovered:
        undecided = set()
    period_covered = _Period(
        days, uncovered, starter, tuple(covering), excused, all_days, also, against
    )
    return period_covered, frozenset(undecided)


def _days_of(marked: Marked) -> set[date]:
    return {d for _, got in marked for d in got}


def _marked(
    source: CoveredBy | None, bound: dict[str, EngineFact], days: tuple[date, ...], ctx: _Context
) -> tuple[Marked, set[Missing]]:
    """The facts of `source` that mark days of `days`, each with those days, in the order of
    their first day, then id (never the order the facts were given in); and what is missing to
    tell of a fact whose tests (or dates) are unknown (it marks no day). A day-level source
    (`covers: {day: field}`) looks only at the facts dated on one of `days`, so a register of
    thousands of marks costs a look-up each."""
    if source is None:
        return (), set()
    out: list[tuple[EngineFact, tuple[date, ...]]] = []
    unsure: set[Missing] = set()
    day_field = source.covers.start.name if source.covers.end is None else None
    if day_field is not None:  # the facts dated on one of the days, or with no date
        candidates: Iterable[EngineFact] = ctx.by_type.where_or_unset(
            source.fact_type, day_field, days
        )
    else:
        candidates = narrowed(source.alias, source.fact_type, source.tests, bound, ctx.conditions)
    for fact in candidates:
        scope = {**bound, source.alias: fact}
        verdict = all_of(evaluate(t, scope, ctx.conditions) for t in source.tests)
        if verdict.truth is False:
            continue
        got = covered(source.covers, scope, ctx.conditions, days)
        if isinstance(got, Unknown):
            unsure |= verdict.missing | got.missing
        elif got and verdict.truth is None:
            unsure |= verdict.missing
        elif got:
            out.append((fact, got))
    return tuple(sorted(out, key=lambda e: (e[1][0], e[0].id))), unsure


def _grade_period(kind: Kind, p: _Period, as_of: date) -> tuple[Status, _Done | None]:
    """A duty over a period as of a date, by its first school day not covered (the day it is
    breached): none, met (scheduled while the fact it began with is to come); the period's
    first day, graded as a deadline on that day (late where provision began after it, at_risk
    where it is arranged to, pending, due_today or overdue where nothing covers it); a later
    day, breached once it has passed, due_today on it, at_risk while it is to come."""
    if not p.days:
        return "met", None
    if not p.uncovered:
        assert p.starter is not None
        return ("met" if _as_date(p.starter.on) <= as_of else "scheduled"), p.starter
    breach = p.uncovered[0]
    status: Status
    done: _Done | None = None
    if breach == p.days[0]:
        happened = [d for d, _ in p.covering if _as_date(d.on) <= as_of]
        if happened:
            status, done = "late", happened[0]
        elif as_of < breach:
            status, done = ("at_risk", p.covering[0][0]) if p.covering else ("pending", None)
        else:
            status = "due_today" if as_of == breach else "overdue"
    else:
        done = p.starter
        status = "breached" if breach < as_of else "due_today" if breach == as_of else "at_risk"
    if kind in ("aim", "recommendation") and status in ("late", "overdue", "breached"):
        status = "missed"
    return status, done


def _school_days(n: int) -> str:
    return f"{n} school day" if n == 1 else f"{n} school days"


def _runs_text(runs: Iterable[DayRange]) -> str:
    return "; ".join(
        day(r.first) if r.first == r.last else f"{day(r.first)} to {day(r.last)}" for r in runs
    )


def _marked_steps(marked: Marked, among: tuple[date, ...], says: str) -> list[str]:
    """One step for all the facts of a source of marked days (a register's days, however
    many), by type: `the register day records cover Mon 17 Nov 2025 to Fri 21 Nov 2025`."""
    by_type: dict[str, set[date]] = {}
    for f, days in marked:
        by_type.setdefault(f.type_name, set()).update(days)
    return [
        f"the {name.replace('_', ' ')} records " + says.format(_runs_text(_day_ranges(days, among)))
        for name, days in sorted(by_type.items())
    ]


def _period_steps(p: _Period, as_of: date) -> list[str]:
    steps = [
        f"{f.type_name} {f.id} covers {_runs_text(_day_ranges(days, p.school_days))}: "
        "those days need no cover"
        for f, days in p.excused
    ]
    if not p.days:
        if p.excused:
            return [PERIOD_STEP + s for s in [*steps, "no other school day needs cover"]]
        return [PERIOD_STEP + "it holds no school day"]
    if p.excused:
        steps.append(
            f"every other school day from {day(p.days[0])} to {day(p.days[-1])} "
            f"({_school_days(len(p.days))}) must be covered"
        )
    else:
        steps.append(
            f"every school day from {day(p.days[0])} to {day(p.days[-1])} "
            f"({_school_days(len(p.days))}) must be covered"
        )
    marks = {f.id for f, _ in p.also}
    steps += [
        f"{d.fact.type_name} {d.fact.id} covers {_runs_text(_day_ranges(days, p.school_days))}"
        for d, days in p.covering
        if d.fact.id not in marks
    ]
    steps += _marked_steps(p.also, p.school_days, "cover {}")
    steps += _marked_steps(p.against, p.school_days, "leave {} uncovered, whatever covers it")
    if p.uncovered:
        steps.append(f"not covered ({_school_days(len(p.uncovered))}): {_runs_text(p.runs)}")
        first = p.uncovered[0]
        if first < as_of:
            steps.append(f"breached on {day(first)}, the first school day not covered")
        else:
            when = "today" if first == as_of else f"{day(first)}, still to come"
            steps.append(f"the first school day not covered is {when}")
    return [PERIOD_STEP + s for s in steps]


@dataclass(frozen=True)
class _Before:
    """A duty to be done before the pupil first attends (`due: {before: …}`): on `day`, at
    `at` where the case records the first session's start; `same_day`: the
    `same_day_before_attendance` switch."""

    day: date
    at: datetime | None
    same_day: bool

    def precedes(self, done: When) -> bool:
        """Whether something done then came before the pupil first attended: a day before; on
        the day, a time before the first session, or (the switch) no time showing it after."""
        if _as_date(done) != self.day:
            return _as_date(done) < self.day
        if isinstance(done, datetime) and self.at is not None:
            return done < self.at
        return self.same_day

    def why_late(self, done: _Done) -> str | None:
        """Why something done on the day does not count as done before the pupil attended."""
        when = done.counts_on
        if _as_date(when) != self.day or self.precedes(when):
            return None
        what = f"{done.fact.type_name} {done.fact.id}"
        if isinstance(when, datetime) and self.at is not None:
            return f"{what} came at {when:%H:%M}, not before the first session at {self.at:%H:%M}"
        if isinstance(when, datetime):
            shown = f"came at {when:%H:%M}, but no first session time is recorded to show"
        else:
            shown = "is dated the first day with no time to show"
        return (
            f"{what} {shown} it came before the pupil attended "
            "(same_day_before_attendance is false)"
        )


def _grade(
    kind: Kind,
    due: When | None,
    found: list[_Done],
    as_of: date,
    before: _Before | None = None,
) -> tuple[Status, _Done | None]:
    if kind == "permission":
        return "permitted", None
    if kind == "advisory":
        return "flagged", None
    if kind == "requirement":
        planned = due is not None and _as_date(due) > as_of
        return ("at_risk" if planned else "breached"), None
    if due is None:
        done = found[0] if found else None
        if done is None:
            return "open", None
        return ("met" if _as_date(done.on) <= as_of else "scheduled"), done
    if before is not None:
        timely = [d for d in found if before.precedes(d.counts_on)]
    else:
        timely = [d for d in found if _on_or_before(d.counts_on, due)]
    if timely:
        return ("met" if _as_date(timely[0].on) <= as_of else "scheduled"), timely[0]
    happened = [d for d in found if _as_date(d.on) <= as_of]
    due_day = _as_date(due)
    if happened:
        status: Status = "late"
        done = happened[0]
    elif as_of < due_day:
        status, done = ("at_risk", found[0]) if found else ("pending", None)
    elif as_of == due_day and before is None:
        status, done = "due_today", None
    else:
        status, done = "overdue", None
    if kind in ("aim", "recommendation") and status in ("late", "overdue"):
        status = "missed"
    return status, done


@functools.lru_cache(maxsize=1024)
def _quoted(clause: str, says: str) -> Citation:
    return Citation(clause=clause, section=clause.split(".")[0], says=says)


def _citation(quote: PolicyQuote) -> Citation:
    return _quoted(quote.clause, quote.says)


@functools.lru_cache(maxsize=1024)
def _statute(statute: str) -> Citation:
    return Citation(statute=statute)


@functools.lru_cache(maxsize=1024)
def _says(says: str) -> str:
    return normalise_space(says)


@functools.lru_cache(maxsize=64)
def _law(cite: str) -> Citation:
    """The source of a provision of the law a statutory rule cites: the instrument, the
    provision's heading and its address (data/statutes.yaml)."""
    statutes = load_statutes()
    passage = statutes.passage(cite)
    assert passage is not None  # checked by the loader
    statute = f"{cite} ({passage.applies_to} schools): {passage.heading}"
    if passage.checked == "unverified":
        statute += " [wording not yet verified against the legislation]"
    return Citation(statute=statute, url=passage.url)


@dataclass(frozen=True)
class _Context:
    """What every firing is judged against."""

    facts: list[EngineFact]
    as_of: date
    calendar: SchoolCalendar
    settings: PolicySettings
    readings: dict[str, dict[str, object]]
    by_type: CaseIndex[EngineFact]
    """The case's facts by type, each in the order given, indexed by a field's value."""
    conditions: Context
    views: _Views = field(default_factory=lambda: _Views())


class _Views:
    """The case's facts as JSON-ready data, for explanations (each made once, when first
    asked for)."""

    __slots__ = ("made",)

    def __init__(self) -> None:
        self.made: dict[str, dict[str, Any]] = {}

    def view(self, fact: EngineFact) -> dict[str, Any]:
        view = self.made.get(fact.id)
        if view is None:
            view = self.made[fact.id] = fact.model_dump(mode="json", exclude_none=True)
        return view


class _Explaining:
    """What makes a finding's explanation when it is first asked for (`PendingExplanation`): the
    facts the rule matched, the steps, and the readings of the switches it used. Holds the
    matched facts and the case's views and readings, never the whole case."""

    __slots__ = ("bound", "readings", "steps", "used", "views")

    def __init__(
        self,
        bound: dict[str, EngineFact],
        steps: tuple[str, ...],
        used: AbstractSet[str],
        readings: dict[str, dict[str, object]],
        views: _Views,
    ) -> None:
        self.bound, self.steps, self.used, self.readings, self.views = (
            bound,
            steps,
            used,
            readings,
            views,
        )

    def __call__(self) -> Explanation:
        return trusted(
            Explanation,
            facts={alias: self.views.view(f) for alias, f in self.bound.items()},
            steps=self.steps,
            readings={name: self.readings[name]["value"] for name in sorted(self.used)},
        )


def _settings_used(expr: Deadline | None, rule: Rule) -> set[str]:
    """The interpretation switches a finding's deadline depends on."""
    if expr is None:
        return set()
    used = {
        name
        for name in (expr.nth_school_day, expr.clear_days, expr.every)
        if isinstance(name, str) and name in PolicySettings.model_fields
    }
    if expr.every_months is not None:
        used.add("month_means")
    if expr.before is not None and rule.kind in GRADED_KINDS:
        used.add("same_day_before_attendance")
    return used | switched_by(expr)


@dataclass(frozen=True)
class _Undatable:
    """Occurrences of a recurring duty the calendar cannot date: before its first day (a
    fixed cadence from an earlier start) or after its last (an evaluation date beyond it)."""

    label: str
    field: str
    reason: str


def _until_step(ref: str | None, until: date | None) -> list[str]:
    """How far a recurring duty runs: to its end, or open to the evaluation date."""
    if ref is None:
        return []
    if until is None:
        return [f"runs on: {ref} is not recorded (no end date), so up to the evaluation date"]
    return [f"runs until {ref}: {day(until)}"]


def _sessions(
    expr: Deadline, bound: dict[str, EngineFact], ctx: _Context
) -> tuple[SessionsOn | None, int | None, list[str], frozenset[Missing]]:
    """How the sessions of `or_every_sessions` are counted: from the timetable, else the
    sessions a week spread evenly (assumed), else not at all; with the steps saying which, and,
    where neither is recorded, what is missing to tell whether the sessions came sooner."""
    timetable = resolve(expr.timetable, bound) if expr.timetable else None
    per_week = resolve(expr.sessions_per_week, bound) if expr.sessions_per_week else None
    assert timetable is None or isinstance(timetable, WeeklyTimetable)
    assert per_week is None or isinstance(per_week, int)
    if expr.or_every_sessions is None:
        return None, None, [], frozenset()
    if timetable is not None:
        return (
            timetable.sessions_on,
            None,
            [f"sessions counted from {expr.timetable} ({timetable.weekly}), on school days"],
            frozenset(),
        )
    if per_week is not None:
        return (
            None,
            per_week,
            [
                f"{expr.sessions_per_week} ({per_week}): every session of each school day"
                if per_week >= FULL_WEEK
                else f"{expr.sessions_per_week} ({per_week}) spread evenly over the school "
                "week: assumed"
            ],
            frozenset(),
        )
    ref = str(expr.timetable or expr.sessions_per_week)
    alias, field_name = ref.split(".", 1)
    fact = bound[alias]
    steps = [
        f"{ref} and {expr.sessions_per_week} are not recorded: dated by the month alone, "
        f"not knowing whether {expr.or_every_sessions} sessions came sooner"
    ]
    if ctx.settings.visits_without_timetable == "month_only":
        return None, None, steps, frozenset()
    return (
        None,
        None,
        steps,
        frozenset({Missing("not_recorded", f"{fact.type_name} {fact.id}", field_name)}),
    )


def _sessions_unknown_used(expr: Deadline, bound: dict[str, EngineFact]) -> set[str]:
    """The switch a duty counted in sessions depends on where no timetable is recorded."""
    refs = [r for r in (expr.timetable, expr.sessions_per_week) if r is not None]
    if expr.or_every_sessions is None or any(resolve(r, bound) is not None for r in refs):
        return set()
    return {"visits_without_timetable"}


def _windows(
    expr: Deadline,
    bound: dict[str, EngineFact],
    found: list[_Done],
    ctx: _Context,
    values: dict[str, object],
) -> tuple[list[Window], list[_Undatable], list[str], frozenset[Missing]]:
    """The windows of a recurring duty the calendar can date (up to its last day where the
    evaluation date is beyond it); the stretches it cannot (each one `undetermined` finding);
    the steps saying how far it runs and how its sessions are counted; and what is missing to
    tell whether each fell due sooner."""
    start = resolve(str(expr.from_), bound, values)
    until = resolve(expr.until, bound, values) if expr.until else None
    assert isinstance(start, date) and (until is None or isinstance(until, date))
    steps = _until_step(expr.until, until)
    calendar, as_of = ctx.calendar, ctx.as_of
    undatable: list[_Undatable] = []
    if as_of > calendar.last_day and (until is None or until > calendar.last_day):
        as_of = calendar.last_day  # date what the calendar covers; the rest is undetermined
        undatable.append(
            _Undatable(
                f"after {day(calendar.last_day)}, the end of the calendar",
                f"the occurrences after {calendar.last_day.isoformat()}",
                f"the evaluation date {ctx.as_of.isoformat()} is after "
                f"{calendar.last_day.isoformat()}, the end of the calendar {calendar.name!r}: "
                "they cannot be dated without the next year's calendar",
            )
        )
    if expr.every is not None:
        every = expr.every if expr.every in CADENCES else getattr(ctx.settings, expr.every)
        cadence = cast(Cadence, every)
        first = expr.first_window or "next"
        if start < calendar.first_day:
            undatable.insert(
                0,
                _Undatable(
                    f"before {day(calendar.first_day)}, the start of the calendar",
                    f"the occurrences before {calendar.first_day.isoformat()}",
                    f"{expr.from_} {start.isoformat()} is before "
                    f"{calendar.first_day.isoformat()}, the start of the calendar "
                    f"{calendar.name!r}",
                ),
            )
        windows = fixed_windows(calendar, cadence, start, until, as_of, first)
        return windows, undatable, steps, frozenset()
    done = [_as_date(d.counts_on) for d in found if _as_date(d.on) <= as_of]
    if expr.every_months is not None:
        sessions_on, per_week, how, sooner = _sessions(expr, bound, ctx)
        windows = visit_windows(
            calendar,
            expr.every_months,
            ctx.settings.month_means,
            expr.or_every_sessions,
            per_week,
            start,
            until,
            as_of,
            done,
            sessions_on,
        )
        return windows, undatable, [*steps, *how], sooner
    weeks = (
        resolve(expr.every_weeks, bound) if isinstance(expr.every_weeks, str) else expr.every_weeks
    )
    assert isinstance(weeks, int)
    windows = rolling_windows(calendar, weeks, start, until, as_of, done)
    return windows, undatable, steps, frozenset()


_WAITING: frozenset[str] = frozenset({"overdue", "late", "missed", "due_today", "open"})
"""Statuses that would say nothing met the duty: where a candidate's tests are unknown, the
finding asks for what is missing instead."""
_WAITING_OVER_PERIOD: frozenset[str] = _WAITING | {"breached"}
"""The same for a duty over a period, where a later school day left uncovered breaches it."""
_FAILED: frozenset[str] = frozenset({"overdue", "late", "missed", "breached"})
"""Statuses that fail a duty by its deadline: an earlier deadline would fail it all the more."""


def _finding(
    plan: _Plan,
    bound: dict[str, EngineFact],
    ctx: _Context,
    *,
    due: When | None,
    found: list[_Done],
    steps: list[str],
    deadline_cite: Citation | None,
    used: AbstractSet[str],
    period: str | None = None,
    unknown: frozenset[Missing] = frozenset(),
    undecided: frozenset[Missing] = frozenset(),
    status: Status | None = None,
    over: _Period | None = None,
    before: _Before | None = None,
    sooner: frozenset[Missing] = frozenset(),
) -> Finding:
    """One finding. `unknown`: what the rule's own conditions lack (it may not apply);
    `undecided`: what is missing to tell whether a candidate met it; `status`: set outright
    (undetermined); `over`: a duty over a period, as the facts cover it; `sooner`: what is
    missing to tell whether it fell due before its deadline (unless it already failed by it)."""
    done: _Done | None = None
    missing: frozenset[Missing] = unknown if status is not None else frozenset()
    waiting = _WAITING
    kind = plan.kind
    if status is None:
        if over is not None:
            status, done = _grade_period(kind, over, ctx.as_of)
            steps = [*steps, *_period_steps(over, ctx.as_of)]
            waiting = _WAITING_OVER_PERIOD
        else:
            status, done = _grade(kind, due, found, ctx.as_of, before)
            why = before.why_late(done) if before is not None and done is not None else None
            if why is not None and status in ("late", "missed"):
                steps = [*steps, why]
        if unknown:
            status, done, missing = _unknown_status(unknown), None, unknown
            steps = [*steps, "whether the rule applies turns on values the case does not give"]
        elif undecided and status in waiting:
            status, missing = _unknown_status(undecided), undecided
            steps = [*steps, "whether it was met turns on values the case does not give"]
        elif sooner and status not in _FAILED:
            status, done, missing = _unknown_status(sooner), None, sooner
            steps = [*steps, "whether it fell due sooner turns on values the case does not give"]
    if done is not None:
        verb = "done late" if status in ("late", "missed") else "done"
        if over is not None and over.uncovered and over.uncovered[0] != over.days[0]:
            verb = "began"  # provision began in time, and a later school day is not covered
        steps = [*steps, f"{verb}: {done.fact.type_name} {done.fact.id} ({day_or_moment(done.on)})"]
    subject = bound[plan.subject_alias]
    values = plan.head.copy()  # rule_id to action, in the fields' order
    values.update(
        subject=f"{subject.type_name} {subject.id}",
        period=period,
        due=due,
        status=status,
        met_by=done.fact.id if done else None,
        met_on=done.on if done else None,
        deadline_citation=deadline_cite,
        also_cites=plan.also_cites,
        explanation=PendingExplanation(
            _Explaining(bound, tuple(steps), used, ctx.readings, ctx.views)
        ),
        missing=tuple(str(m) for m in sorted(missing)) if missing else (),
        uncovered=over.runs if over is not None and status not in _UNKNOWN else (),
    )
    return trusted(Finding, **values)


_UNKNOWN: frozenset[str] = frozenset({"information_needed", "undetermined"})
_NONE: frozenset[Missing] = frozenset()


def _unknown_status(missing: frozenset[Missing]) -> Status:
    if any(m.kind == "outside_calendar" for m in missing):
        return "undetermined"
    return "information_needed"


def _named_values(
    named: tuple[tuple[str, Expr], ...],
    bound: dict[str, EngineFact],
    ctx: _Context,
    steps: list[str],
) -> tuple[dict[str, object], frozenset[Missing]]:
    """The named values a rule's deadlines read (`exclusion.return_day`), worked out on its
    facts by the one evaluator, each with a step saying how; and what is missing where one
    cannot be (not recorded, or outside the calendar)."""
    values: dict[str, object] = {}
    missing: set[Missing] = set()
    for ref, expr in named:
        got = value(expr, bound, ctx.conditions)
        how = words.name(expr.body if isinstance(expr, TermValue) else expr, None, str)
        if isinstance(got, Unknown):
            missing |= got.missing
        elif got is ABSENT:
            fact = bound[ref.split(".", 1)[0]]
            missing.add(Missing("not_recorded", f"{fact.type_name} {fact.id}", ref))
        else:
            values[ref] = got
            assert isinstance(got, date)
            shown = day_or_moment(got)
            steps.append(f"{ref} is {how}: {shown}")
    return values, frozenset(missing)


def _undatable(
    plan: _Plan,
    bound: dict[str, EngineFact],
    ctx: _Context,
    steps: list[str],
    cite: Citation | None,
    used: AbstractSet[str],
    field: str,
    reason: str,
    period: str | None = None,
) -> Finding:
    """The `undetermined` finding of a deadline (or of occurrences of a recurring duty) the
    calendar cannot date, naming what it needed and why."""
    subject = bound[plan.subject_alias]
    missing = Missing("outside_calendar", f"{subject.type_name} {subject.id}", field, reason)
    return _finding(
        plan,
        bound,
        ctx,
        due=None,
        found=[],
        steps=[*steps, f"due: cannot be dated on the calendar: {reason}"],
        deadline_cite=cite,
        used=used,
        period=period,
        status="undetermined",
        unknown=frozenset({missing}),
    )


def _judge_firing(
    plan: _Plan, firing: Firing, bound: dict[str, EngineFact], ctx: _Context
) -> list[Finding]:
    steps: list[str] = []
    rule, conditions = plan.rule, plan.conditions
    values, unknown_values = (
        _named_values(conditions.values, bound, ctx, steps) if conditions.values else ({}, _NONE)
    )
    if unknown_values:
        return [
            _finding(
                plan,
                bound,
                ctx,
                due=None,
                found=[],
                steps=[*steps, "due: cannot be dated: a date it counts from is not known"],
                deadline_cite=None,
                used=set(),
                status=_unknown_status(unknown_values),
                unknown=unknown_values,
            )
        ]
    expr, cite, used = rule.due, plan.cite, plan.used
    if rule.except_ is not None and conditions.exception is not None:
        verdict = evaluate(conditions.exception, bound, ctx.conditions)
        quote = rule.except_.cites or rule.except_.due.cites
        where = f"the exception in {quote.clause}" if quote else "the exception"
        if verdict.truth is True:
            expr, cite, used = rule.except_.due, plan.except_cite, plan.except_used
            if quote is not None:
                steps.append(f"{where} applies")
        elif verdict.truth is None:
            steps.append(
                f"{where} is not applied: whether it applies is not known ("
                + "; ".join(str(m) for m in sorted(verdict.missing))
                + ")"
            )
    found: list[_Done] = []
    undecided: frozenset[Missing] = frozenset()
    over: _Period | None = None
    unknown_period: frozenset[Missing] = frozenset()
    if rule.met_by is not None and conditions.met_by is not None:
        pattern = conditions.met_by
        candidates = narrowed(pattern.alias, rule.met_by.fact, pattern.tests, bound, ctx.conditions)
        found, unsure = _satisfiers(rule.met_by, pattern, bound, candidates, ctx, values)
        undecided = frozenset().union(*(m for _, m in unsure))
        if pattern.period is not None:
            covering, undecided = _cover(pattern.period, pattern.alias, bound, found, unsure, ctx)
            if isinstance(covering, Unknown):
                unknown_period = covering.missing
                steps.append("the school days of the period cannot be counted")
            else:
                over = covering
    unknown = firing.missing if not firing.known else frozenset()
    try:
        if expr is not None and expr.recurring:
            windows, undatable, runs, sooner = _windows(expr, bound, found, ctx, values)
            return [
                _finding(
                    plan,
                    bound,
                    ctx,
                    due=w.due,
                    found=done,
                    steps=[
                        *steps,
                        *runs,
                        f"due: {w.label}: on or after {day(w.opens)}, by {day(w.due)}",
                    ],
                    deadline_cite=cite,
                    used=used | _sessions_unknown_used(expr, bound),
                    period=w.label,
                    unknown=unknown,
                    undecided=undecided,
                    sooner=sooner,
                )
                for w, done in zip(windows, _in_windows(found, windows), strict=True)
            ] + [
                _undatable(plan, bound, ctx, steps, cite, used, u.field, u.reason, u.label)
                for u in undatable
            ]
        due: When | None = None
        before: _Before | None = None
        if expr is not None:
            due, how = compute_due(expr, bound, ctx.calendar, ctx.settings, values)
            if expr.before is not None and rule.kind in GRADED_KINDS:
                before = _before(expr, bound, _as_date(due), ctx, values)
                how += (
                    f"; its first session starts at {before.at:%H:%M}"
                    if before.at
                    else "; no first session time is recorded"
                )
            steps.append(f"due: {how}")
    except CalendarError as exc:
        return [_undatable(plan, bound, ctx, steps, cite, used, "the deadline", str(exc))]
    return [
        _finding(
            plan,
            bound,
            ctx,
            due=due,
            found=found,
            steps=steps,
            deadline_cite=cite,
            used=used,
            unknown=unknown | unknown_period,
            undecided=undecided,
            status=_unknown_status(unknown_period) if unknown_period else None,
            over=over,
            before=before,
        )
    ]


def _in_windows(found: list[_Done], windows: list[Window]) -> Iterator[list[_Done]]:
    """For each window, what was found that counts for it (`Window.counts`), in the order
    found: by a search in the dates they count on, so a long history is not scanned once
    per window."""
    order = sorted(range(len(found)), key=lambda i: _as_date(found[i].counts_on))
    dates = [_as_date(found[i].counts_on) for i in order]
    for w in windows:
        first = bisect_left(dates, w.opens)
        last = len(dates) if w.closes is None else bisect_right(dates, w.closes)
        yield [found[i] for i in sorted(order[first:last])]


def _before(
    expr: Deadline, bound: dict[str, EngineFact], on: date, ctx: _Context, values: dict[str, object]
) -> _Before:
    """A `before:` deadline: the day, and the first session's start where recorded."""
    at = resolve(expr.first_session, bound, values) if expr.first_session else None
    first = at if isinstance(at, datetime) and at.date() == on else None
    return _Before(on, first, ctx.settings.same_day_before_attendance)


@dataclass(frozen=True)
class _Plan:
    """What every finding of a rule shares under the switches, worked out once (`RulePlans`):
    its conditions, its kind, the fields that name it (`head`: rule id to action, in the
    fields' order), what it also cites, and for its deadline and its exception's: the clause
    that sets it and the switches it depends on."""

    rule: Rule
    conditions: RuleConditions
    kind: Kind
    head: dict[str, Any]
    also_cites: tuple[Citation, ...]
    subject_alias: str
    cite: Citation | None
    used: frozenset[str]
    except_cite: Citation | None
    except_used: frozenset[str]

    @classmethod
    def of(cls, rule: Rule, book: RuleBook, settings: PolicySettings) -> _Plan:
        kind = rule.kind_under(settings)
        clause, says = rule.cited(settings.school_type)
        cites = tuple(
            _citation(c) if isinstance(c, PolicyQuote) else _statute(c.statute)
            for c in rule.also_cites
        )
        if rule.tier == "statutory":
            cites = (_law(clause), *cites)
        head = {
            "rule_id": rule.id,
            "tier": rule.tier,
            "clause": clause,
            "section": rule.section,
            "says": _says(says),
            "kind": kind,
            "duty_holder": rule.duty_holder,
            "action": rule.action,
        }
        due, exception = rule.due, rule.except_
        otherwise = exception.due if exception is not None else None
        quote = (exception.cites or exception.due.cites) if exception is not None else None
        return cls(
            rule,
            book.conditions(rule.id),
            kind,
            head,
            cites,
            rule.subject_alias,
            _citation(due.cites) if due is not None and due.cites is not None else None,
            frozenset(_settings_used(due, rule)),
            _citation(quote) if otherwise is not None and quote is not None else None,
            frozenset(_settings_used(otherwise, rule)),
        )


class RulePlans:
    """What each rule of a rule book shares in all its findings under the switches in force
    (`_Plan`), worked out once per rule and reading: an `Evaluator` keeps one for its rule
    book, so each case's judge only works out what its facts decide."""

    def __init__(self, book: RuleBook) -> None:
        self.book = book
        self.rules = {r.id: r for r in book.rules}
        self._plans: dict[PolicySettings, dict[str, _Plan]] = {}

    def under(self, settings: PolicySettings) -> dict[str, _Plan]:
        """The plans under `settings`, by rule id (filled as rules fire). Keyed by the whole
        settings, not the switches `_Plan.of` reads today, so a plan can never outlive a
        reading it depends on."""
        plans = self._plans.get(settings)
        if plans is None:
            if len(self._plans) >= 16:  # a long-lived evaluator asked under many readings
                self._plans.clear()
            plans = self._plans.setdefault(settings, {})
        return plans

    def plan(self, rule_id: str, settings: PolicySettings, plans: dict[str, _Plan]) -> _Plan:
        plan = plans.get(rule_id)
        if plan is None:
            plan = plans[rule_id] = _Plan.of(self.rules[rule_id], self.book, settings)
        return plan


@functools.lru_cache(maxsize=16)
def _readings(settings: PolicySettings) -> dict[str, dict[str, object]]:
    """The readings in force, as explanations quote them (read only, so shared)."""
    return settings.readings(plain=True)


def judge(
    book: RuleBook,
    firings: list[Firing],
    facts: list[EngineFact],
    *,
    as_of: date,
    calendar: SchoolCalendar,
    settings: PolicySettings,
    plans: RulePlans | None = None,
) -> list[Finding]:
    """Findings for every firing, sorted by due date, rule id and subject; the windows of a
    recurring duty in the order they open (two may share a due date rolled back out of a
    holiday). A deadline the calendar cannot date gives that finding the status
    `undetermined`, naming the reason; the rest of the case is still judged. `plans`: those
    of `book` (an evaluator keeps them), else worked out for this case."""
    if plans is None or plans.book is not book:
        plans = RulePlans(book)
    under = plans.under(settings)
    by_id = {f.id: f for f in facts}
    conditions = Context(calendar, as_of).with_facts(facts)
    by_type = conditions.facts
    assert isinstance(by_type, CaseIndex)
    ctx = _Context(facts, as_of, calendar, settings, _readings(settings), by_type, conditions)
    findings: list[Finding] = []
    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    for firing in firings:
        key = (firing.rule_id, firing.facts)
        if key in seen:
            continue
        seen.add(key)
        plan = plans.plan(firing.rule_id, settings, under)
        if plan.rule.tier == "statutory" and settings.policy_only:
            continue  # the statutory tier is off: the policy's own duties only
        bound = {alias: by_id[fact_id] for alias, fact_id in firing.facts}
        findings += _judge_firing(plan, firing, bound, ctx)
    findings.sort(key=lambda f: (f.due is None, str(f.due or ""), f.rule_id, f.subject))
    return findings
