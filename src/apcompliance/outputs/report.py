"""The cohort report: one self-contained HTML file (no network, no script; inline CSS with a
print stylesheet) for a Trust's AP lead and governors.

    html = cohort_report(read_jsonl("cohort.jsonl"), as_of=day, calendar=cal)

It shows compliance rates (met against violated) per section and per rule, the same by
looked-after, EHC plan, SEN and free school meals (a characteristic the case does not record is
its own group, "not recorded", never counted as no), a to-do list per duty holder (violations,
due within ten school days, information needed) and a timeline per pupil
(`results.timeline`, drawn by the macro the notebook view uses). Bad lines of the cohort are
listed by line number only.

Pupil data: the report names a pupil only by the case id, or by its keyed pseudonym where a key
is given; aggregates by characteristic hold counts only. The page is built by the Jinja2
templates in `templates/` (autoescaped).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from apcompliance.calendar.school_calendar import SchoolCalendar
from apcompliance.errors import CalendarError, DuplicateKeyError
from apcompliance.evaluation.cohort import evaluate_many
from apcompliance.evaluation.evaluator import Evaluator, default_evaluator
from apcompliance.facts import Case
from apcompliance.importing.pseudonym import pseudonym
from apcompliance.jsontext import validate_json
from apcompliance.outputs.atomic import AtomicFile
from apcompliance.policy.document import load_policy
from apcompliance.policy.settings import PolicySettings
from apcompliance.results.assessment import Assessment
from apcompliance.results.data import FindingData, compliance_rate
from apcompliance.results.explain import duty_holder_words
from apcompliance.results.html import environment
from apcompliance.results.timeline import Timeline, timeline_of

__all__ = [
    "CHARACTERISTICS",
    "DUE_SOON_SCHOOL_DAYS",
    "CohortReport",
    "cohort_report",
    "write_report",
]

DUE_SOON_SCHOOL_DAYS = 10
"""A to-do is due soon when its deadline is within this many school days of the as-of date."""
CHARACTERISTICS: tuple[tuple[str, str], ...] = (
    ("looked_after", "Looked after"),
    ("ehc_plan", "EHC plan"),
    ("send", "SEN (special educational needs or disabilities)"),
    ("fsm_eligible", "Eligible for free school meals"),
)
"""The pupil's fields the report breaks the rates down by, with their headings."""
GROUPS = ("yes", "no", "not recorded")
DUE_SOON_STATUSES = frozenset({"pending", "scheduled", "due_today", "at_risk"})


@dataclass
class Tally:
    """Findings counted: met, violated (overdue, late, breached) and the rest."""

    met: int = 0
    violated: int = 0
    other: int = 0

    def add(self, f: FindingData) -> None:
        if f.is_violation:
            self.violated += 1
        elif f.is_met_duty:
            self.met += 1
        else:
            self.other += 1

    @property
    def rate(self) -> float | None:
        """The share met of those met or violated (None when there are none)."""
        return compliance_rate(self.met, self.violated)


@dataclass(frozen=True)
class Todo:
    """One line of a duty holder's to-do list."""

    case: str
    anchor: str
    clause: str
    rule_id: str
    status: str
    due: date | datetime | None
    action: str
    missing: str


@dataclass
class Pupil:
    """One assessed case as the report shows it."""

    label: str
    anchor: str
    line: int
    as_of: date
    counts: Counter[str]
    timeline: Timeline | None


@dataclass
class CohortReport:
    """The report built case by case (`add`, `add_error`), then rendered (`html`)."""

    calendar: SchoolCalendar
    title: str = "Alternative provision: cohort report"
    source: str = ""
    key: bytes | None = None
    pupils: list[Pupil] = field(default_factory=list)
    errors: list[int] = field(default_factory=list)
    sections: dict[str, Tally] = field(default_factory=dict)
    rules: dict[tuple[str, str, str], Tally] = field(default_factory=dict)
    groups: dict[tuple[str, str], Tally] = field(default_factory=dict)
    group_pupils: Counter[tuple[str, str]] = field(default_factory=Counter)
    todos: dict[str, dict[str, list[Todo]]] = field(default_factory=dict)
    total: Tally = field(default_factory=Tally)

    def add_error(self, line: int) -> None:
        """A line that could not be assessed: listed by its number only (its message may
        quote what the line holds; `check-many` says why)."""
        self.errors.append(line)

    def add(self, line: int, case: Case | None, assessment: Assessment) -> None:
        """One assessed case (`case`, when given, tells which characteristics it records)."""
        label = (
            pseudonym(assessment.case_id, self.key) if self.key is not None else assessment.case_id
        )
        anchor = f"pupil-{len(self.pupils) + 1}"
        groups = [(name, _group(case, name)) for name, _ in CHARACTERISTICS]
        self.group_pupils.update(groups)
        horizon = self._horizon(assessment.as_of)
        counts: Counter[str] = Counter()
        for f in assessment.findings:
            if not f.is_duty:
                counts["advisory"] += 1
                continue
            self.total.add(f)
            self.sections.setdefault(f.section, Tally()).add(f)
            self.rules.setdefault((f.section, f.clause, f.rule_id), Tally()).add(f)
            for group in groups:
                self.groups.setdefault(group, Tally()).add(f)
            todo = _todo_list(f, assessment.as_of, horizon)
            counts[todo or ("met" if f.is_met_duty else "other")] += 1
            if todo is not None:
                lists = self.todos.setdefault(f.duty_holder, {})
                lists.setdefault(todo, []).append(
                    Todo(
                        label,
                        anchor,
                        f.clause,
                        f.rule_id,
                        f.status,
                        f.due,
                        f.action,
                        ", ".join(f.missing),
                    )
                )
        self.pupils.append(
            Pupil(label, anchor, line, assessment.as_of, counts, timeline_of(assessment, label))
        )

    @property
    def summary(self) -> str:
        """One line: pupils, violations, met, the rate, lines not assessed."""
        rate = "no duty decided" if self.total.rate is None else f"{self.total.rate:.0%}"
        return (
            f"{len(self.pupils)} pupil(s), {self.total.violated} violation(s), "
            f"{self.total.met} duties met (compliance {rate}), "
            f"{len(self.errors)} line(s) not assessed"
        )

    def _horizon(self, as_of: date) -> date:
        try:
            return self.calendar.nth_school_day(as_of + timedelta(days=1), DUE_SOON_SCHOOL_DAYS)
        except CalendarError:  # near or past the calendar's end: two weeks, as a fallback
            return as_of + timedelta(days=14)

    def html(self) -> str:
        """The report as one HTML page."""
        titles = {k: v.title for k, v in load_policy().sections.items()}
        sections = sorted(self.sections.items())
        rules = sorted(self.rules.items(), key=lambda item: (item[0][0], _clause_key(item[0][1])))
        breakdowns = [
            (
                heading,
                [
                    (group, self.group_pupils[(name, group)], self.groups.get((name, group)))
                    for group in GROUPS
                ],
            )
            for name, heading in CHARACTERISTICS
        ]
        todo_order = ("violations", "due_soon", "information_needed")
        holders = [
            (duty_holder_words(holder), [(k, lists.get(k, [])) for k in todo_order])
            for holder, lists in sorted(self.todos.items())
        ]
        for _, lists in holders:
            for _, items in lists:
                items.sort(key=_todo_key)
        as_ofs = sorted({p.as_of for p in self.pupils})
        template = _environment().get_template("report.html.j2")
        return template.render(
            title=self.title,
            source=self.source,
            calendar=self.calendar.name,
            as_ofs=as_ofs,
            pseudonymised=self.key is not None,
            total=self.total,
            sections=sections,
            section_titles=titles,
            rules=rules,
            breakdowns=breakdowns,
            holders=holders,
            pupils=self.pupils,
            errors=self.errors,
            due_soon_days=DUE_SOON_SCHOOL_DAYS,
        )


def _group(case: Case | None, name: str) -> str:
    """yes, no, or not recorded (a field the case leaves out, or no case to tell)."""
    if case is None or name not in case.pupil.model_fields_set:
        return "not recorded"
    return "yes" if getattr(case.pupil, name) else "no"


def _todo_list(f: FindingData, as_of: date, horizon: date) -> str | None:
    """Which to-do list the finding goes in, if any."""
    if f.is_violation:
        return "violations"
    if f.status == "information_needed":
        return "information_needed"
    due = f.due.date() if isinstance(f.due, datetime) else f.due
    if f.status in DUE_SOON_STATUSES and due is not None and as_of <= due <= horizon:
        return "due_soon"
    return None


def _todo_key(t: Todo) -> tuple[str, str, str]:
    due = t.due.isoformat() if t.due is not None else "9999"
    return (due, t.case, t.rule_id)


def _clause_key(clause: str) -> tuple[Any, ...]:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in clause.split("."))


def _environment() -> Any:
    from jinja2 import PackageLoader  # as `results.html` does: only when HTML is written

    env = environment(PackageLoader("apcompliance.outputs", "templates"))
    env.filters["percent"] = lambda rate: "–" if rate is None else f"{rate:.0%}"
    return env


def _cases(items: Iterable[tuple[int, str]], cases: dict[int, Case]) -> Iterator[Any]:
    """The cohort's lines as `(line, Case)` where the line is a valid case (kept in `cases`,
    for the characteristics it records), else `(line, text)` for `evaluate_many` to report."""
    for line, text in items:
        try:
            case = validate_json(Case, text)
        except (ValidationError, DuplicateKeyError):
            yield line, text
            continue
        cases[line] = case
        yield line, case


def cohort_report(
    items: Iterable[tuple[int, str]],
    *,
    as_of: date,
    calendar: SchoolCalendar,
    settings: PolicySettings | None = None,
    evaluator: Evaluator | None = None,
    key: bytes | None = None,
    source: str = "",
) -> CohortReport:
    """The report of a cohort given as `(line, JSON text)` pairs (as `read_jsonl` yields),
    built: `.html()` renders it."""
    report = CohortReport(calendar=calendar, source=source, key=key)
    cases: dict[int, Case] = {}
    for result in evaluate_many(
        _cases(items, cases),
        as_of=as_of,
        calendar=calendar,
        settings=settings,
        evaluator=evaluator or default_evaluator(),
    ):
        case = cases.pop(result.line, None)  # held only until its result comes back
        if result.assessment is None:
            report.add_error(result.line)
        else:
            report.add(result.line, case, result.assessment)
    return report


def write_report(path: str | os.PathLike[str], html: str) -> None:
    """Write the page to `path` (UTF-8), whole or not at all (`AtomicFile`: an error or an
    interruption leaves the previous page); ApComplianceError naming the file if it cannot."""
    with AtomicFile(Path(path), "report", encoding="utf-8") as out, out.writing():
        out.file.write(html)
