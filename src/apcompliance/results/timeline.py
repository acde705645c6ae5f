"""A pupil's timeline as plain data: the school days and holidays, the exclusion periods, the
placements, the school days covered and not covered by provision, and each deadline as a marker,
with the x position of everything (in the SVG's own units) worked out here.

`timeline_of(assessment)` reads what the evaluator kept in the assessment's trace (the derived
`exclusion` and `placement` facts and the calendar): no case is needed, and no pupil data beyond
the case id (or the label given instead of it) is put in. The SVG is drawn by the template macro
`templates/timeline.html.j2` (`results.html.timeline_html`), which both the notebook view of an
assessment and the cohort report use.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from apcompliance.calendar.clock import day, deadline_text
from apcompliance.calendar.school_calendar import SchoolCalendar
from apcompliance.results.data import AssessmentData, FindingData
from apcompliance.results.tones import marker_tone
from apcompliance.results.trace import traced_calendar

__all__ = ["Marker", "Row", "Span", "Tick", "Timeline", "timeline_of"]

WIDTH = 1000.0
"""The SVG's width in its own units (it is scaled to the page's width)."""
GUTTER = 110.0
"""The room on the left for the rows' labels."""
ROW_HEIGHT = 16.0
LANE_HEIGHT = 14.0
MARKER_GAP = 11.0
"""Two markers closer than this (in units) go in different lanes of the deadlines row."""
MAX_LANES = 8
PADDING_DAYS = 3
"""Days shown before the first and after the last date of the timeline."""
TOP = 18.0
"""Room at the top for the month labels."""


@dataclass(frozen=True)
class Span:
    """A run of days drawn as one rectangle: `kind` says what it is (a day's kind: `school`,
    `weekend`, `holiday`, `closure`, `outside`; or `exclusion`, `permanent_exclusion`,
    `placement`, `covered`, `uncovered`)."""

    first: date
    last: date
    x: float
    width: float
    y: float
    height: float
    kind: str
    label: str


@dataclass(frozen=True)
class Marker:
    """One deadline: a finding's due day, coloured by its status' tone."""

    x: float
    y: float
    due: date
    status: str
    tone: str
    violation: bool
    clause: str
    rule_id: str
    text: str
    """The finding in a sentence: clause, status, deadline, duty holder and action."""


@dataclass(frozen=True)
class Row:
    label: str
    y: float
    height: float


@dataclass(frozen=True)
class Tick:
    """The first day of a month, labelled."""

    x: float
    label: str


@dataclass(frozen=True)
class Timeline:
    """Everything the SVG shows, positioned; `summary` says it in words (for screen readers)."""

    case_id: str
    as_of: date
    first: date
    last: date
    width: float
    height: float
    rows: tuple[Row, ...]
    ticks: tuple[Tick, ...]
    days: tuple[Span, ...]
    exclusions: tuple[Span, ...]
    placements: tuple[Span, ...]
    provision: tuple[Span, ...]
    markers: tuple[Marker, ...]
    as_of_x: float | None
    summary: tuple[str, ...]


def _day(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value


def _parse(value: Any) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def _days(first: date, last: date) -> Iterator[date]:
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


def _runs(first: date, last: date, kind_of: Any) -> Iterator[tuple[date, date, str]]:
    """Runs of consecutive days of the same kind (`kind_of(day)`; None: not drawn)."""
    start: date | None = None
    current: str | None = None
    previous = first
    for d in _days(first, last):
        kind = kind_of(d)
        if kind != current:
            if current is not None and start is not None:
                yield start, previous, current
            start, current = d, kind
        previous = d
    if current is not None and start is not None:
        yield start, previous, current


class _Scale:
    def __init__(self, first: date, last: date) -> None:
        self.first = first
        self.day_width = (WIDTH - GUTTER) / ((last - first).days + 1)

    def x(self, d: date) -> float:
        return round(GUTTER + (d - self.first).days * self.day_width, 2)

    def span(self, first: date, last: date, row: Row, kind: str, label: str) -> Span:
        width = round(((last - first).days + 1) * self.day_width, 2)
        return Span(first, last, self.x(first), width, row.y, row.height, kind, label)


def _day_kind(calendar: SchoolCalendar, d: date) -> str:
    if not calendar.covers(d):
        return "outside"
    if calendar.is_school_day(d):
        return "school"
    if d.weekday() >= 5:
        return "weekend"
    return "closure" if calendar.closure_reason(d) else "holiday"


def _day_label(calendar: SchoolCalendar, first: date, last: date, kind: str) -> str:
    when = day(first) if first == last else f"{day(first)} to {day(last)}"
    if kind == "school":
        return f"school days: {when}"
    if kind == "outside":
        return f"outside the calendar: {when}"
    return f"{calendar.non_school_reason(first) or kind}: {when}"


def _findings_days(findings: Iterable[FindingData]) -> set[date]:
    """The school days a duty over a period left without provision (`Finding.uncovered`)."""
    return {d for f in findings for r in f.uncovered for d in _days(r.first, r.last)}


def timeline_of(assessment: AssessmentData[Any], label: str | None = None) -> Timeline | None:
    """The timeline of one assessed case, from its trace (None without a trace or calendar,
    e.g. an assessment read back from `to_json()`). `label` stands for the case id (a
    pseudonym)."""
    trace = assessment.trace
    calendar = traced_calendar(trace) if trace is not None else None
    if trace is None or calendar is None:
        return None
    as_of = assessment.as_of
    findings = assessment.findings
    exclusions = [
        (e["id"], _parse(e.get("first_day")), _parse(e.get("last_day")), bool(e.get("permanent")))
        for e in trace.facts.get("exclusion", ())
    ]
    placements = [
        (
            p["id"],
            str(p.get("kind") or "placement").replace("_", " ")
            + ("" if p.get("full_time") else ", part time"),
            _parse(p.get("start_date")),
            _parse(p.get("ends_on")) or _parse(p.get("end_date")),
        )
        for p in trace.facts.get("placement", ())
    ]
    dues = [(f, d) for f in findings if (d := _day(f.due)) is not None]
    uncovered = _findings_days(findings)
    dates = [as_of, *(d for _, d in dues), *uncovered]
    dates += [d for _, first, last, _ in exclusions for d in (first, last) if d]
    dates += [d for _, _, start, end in placements for d in (start, end) if d]
    first = min(dates) - timedelta(days=PADDING_DAYS)
    last = max(dates) + timedelta(days=PADDING_DAYS)
    scale = _Scale(first, last)

    names = ("School days", "Exclusions", "Placements", "Provision", "Deadlines")
    rows = [Row(name, TOP + i * (ROW_HEIGHT + 4), ROW_HEIGHT) for i, name in enumerate(names)]
    days_row, exclusion_row, placement_row, provision_row, deadline_row = rows

    def kind_of(d: date) -> str:
        return _day_kind(calendar, d)

    days = tuple(
        scale.span(a, b, days_row, kind, _day_label(calendar, a, b, kind))
        for a, b, kind in _runs(first, last, kind_of)
    )

    excluded: list[Span] = []
    summary: list[str] = []
    for fact_id, start, end, permanent in exclusions:
        if start is None:
            continue
        what = "Permanent exclusion" if permanent else "Suspension"
        # a permanent exclusion runs to the end of what is shown; a suspension whose last
        # day is not recorded, to the evaluation date
        shown_end = last if permanent else end or max(start, as_of)
        when = f"{day(start)} to {day(end)}" if end else f"from {day(start)}"
        text = f"{what} {fact_id}: {when}"
        excluded.append(
            scale.span(
                start,
                shown_end,
                exclusion_row,
                "permanent_exclusion" if permanent else "exclusion",
                text,
            )
        )
        summary.append(text)

    placed: list[Span] = []
    provided: set[date] = set()
    for fact_id, kind, start, end in placements:
        if start is None:
            continue
        shown_end = end or max(start, min(as_of, last))
        when = f"{day(start)} to {day(end)}" if end else f"from {day(start)} (no end recorded)"
        text = f"Placement {fact_id} ({kind}): {when}"
        placed.append(scale.span(start, shown_end, placement_row, "placement", text))
        provided.update(d for d in _days(start, shown_end) if calendar.is_school_day(d))
        summary.append(text)

    def provision_of(d: date) -> str | None:
        if d in uncovered and calendar.covers(d) and calendar.is_school_day(d):
            return "uncovered"
        return "covered" if d in provided else None

    provision = tuple(
        scale.span(
            a,
            b,
            provision_row,
            kind,
            f"{'within a placement' if kind == 'covered' else 'no provision'}: "
            + (day(a) if a == b else f"{day(a)} to {day(b)}"),
        )
        for a, b, kind in _runs(first, last, provision_of)
    )
    summary += [s.label for s in provision]

    markers, lanes = _markers(dues, scale, deadline_row)
    summary += [m.text for m in markers]
    months = [d for d in _days(first, last) if d.day == 1]
    if not months or (months[0] - first).days >= 8:  # room for the first month's label
        months.insert(0, first)
    ticks = tuple(
        Tick(scale.x(d), d.strftime("%b %Y") if d.month == 1 or not i else d.strftime("%b"))
        for i, d in enumerate(months)
    )
    height = deadline_row.y + max(lanes, 1) * LANE_HEIGHT + 6
    return Timeline(
        case_id=label or assessment.case_id,
        as_of=as_of,
        first=first,
        last=last,
        width=WIDTH,
        height=round(height, 2),
        rows=(*rows[:-1], Row(deadline_row.label, deadline_row.y, height - deadline_row.y - 6)),
        ticks=ticks,
        days=days,
        exclusions=tuple(excluded),
        placements=tuple(placed),
        provision=provision,
        markers=markers,
        as_of_x=round(scale.x(as_of) + scale.day_width / 2, 2),
        summary=tuple(summary),
    )


def _marker_text(f: FindingData) -> str:
    clause = f"{f.clause} (the law)" if f.tier == "statutory" else f.clause
    status = f.status.replace("_", " ")
    return (
        f"{clause}: {status}, due {deadline_text(f.due)}; {f.duty_holder.replace('_', ' ')}: "
        f"{f.action} ({f.rule_id})"
    )


def _markers(
    dues: Sequence[tuple[FindingData, date]], scale: _Scale, row: Row
) -> tuple[tuple[Marker, ...], int]:
    """One marker per dated finding, in lanes so that close markers do not hide each other
    (at most `MAX_LANES`; beyond that a marker goes in the lane that ends furthest left)."""
    ends: list[float] = []
    markers = []
    for f, due in sorted(dues, key=lambda item: (item[1], item[0].clause, item[0].rule_id)):
        x = round(scale.x(due) + scale.day_width / 2, 2)
        lane = next((i for i, end in enumerate(ends) if x - end >= MARKER_GAP), None)
        if lane is None:
            if len(ends) < MAX_LANES:
                ends.append(x)
                lane = len(ends) - 1
            else:
                lane = min(range(len(ends)), key=ends.__getitem__)
        ends[lane] = x
        markers.append(
            Marker(
                x=x,
                y=round(row.y + lane * LANE_HEIGHT + LANE_HEIGHT / 2, 2),
                due=due,
                status=f.status,
                tone=marker_tone(f),
                violation=f.is_violation,
                clause=f.clause,
                rule_id=f.rule_id,
                text=_marker_text(f),
            )
        )
    return tuple(markers), len(ends)
