"""The results as plain data: what a finding and an assessment say, and the trace the evaluator
keeps of its work. Nothing here refers back to a rule book, an engine or a calendar object;
everything pickles and round-trips through `model_dump`/`model_validate` and JSON.

`findings.Finding` and `assessment.Assessment` add the explaining methods on top of these
models (by calling `explain`, which works on these models), so that the data sits below the
explanations and nothing imports in a circle.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from apcompliance.calendar.school_calendar import SchoolCalendar

Status = Literal[
    "met",
    "scheduled",
    "pending",
    "due_today",
    "at_risk",
    "overdue",
    "late",
    "breached",
    "open",
    "missed",
    "permitted",
    "flagged",
    "information_needed",
    "undetermined",
]
"""met: done by the deadline. scheduled: arranged for a date on or before the deadline that
is still to come. pending: not yet done, deadline still to come. due_today: not yet done,
deadline is the evaluation date. at_risk: only arranged for after the deadline, which is still
to come; or a requirement that will be broken on its day, still to come, unless the facts
change, or a duty over a period whose arranged provision leaves a school day still to come
uncovered. overdue: deadline passed, not done. late: done, but after the deadline. breached: a
requirement broken, or a duty over a period not kept on a school day that has passed (the
first of `Finding.uncovered`). open: the clause sets no deadline and it is not yet done.
missed: an aim or recommendation not followed. permitted: something the policy allows, reported for
information. flagged: a remark on applying the policy to the case. information_needed: whether
the rule applies, or whether it was met, turns on a value the case does not record (the finding
names it in `missing`); never a silent pass, never a silent breach. undetermined: the calendar
cannot date the deadline (before its first day or after its last; `missing` says which)."""

VIOLATION_STATUSES: frozenset[str] = frozenset({"overdue", "late", "breached"})
ADVISORY_KINDS: frozenset[str] = frozenset({"aim", "recommendation", "permission", "advisory"})
"""Kinds reported for information: never violations."""
DUTY_KINDS: frozenset[str] = frozenset({"obligation", "requirement"})
"""The kinds that are duties: met or violated, and counted in a compliance rate (met against
met and violated) wherever one is shown (check's summary, check-many, the report, Excel)."""


def compliance_rate(met: int, violated: int) -> float | None:
    """Duties met against duties met or violated, from 0 to 1; None where there are neither.
    The one definition behind every compliance rate shown."""
    return met / (met + violated) if met + violated else None


_Model = TypeVar("_Model", bound=BaseModel)


def trusted(cls: type[_Model], **values: Any) -> _Model:
    """An instance of `cls` from every one of its fields' values, already of the right types,
    without validation: the judge's hot path, where every value comes from validated facts
    and rules. About a third of the cost of validating, a sixth of `model_construct`
    (docs/performance.md); tests/test_findings.py checks the result equals and
    serialises as the validated model."""
    count, private, names = _shape(cls)
    if len(values) != count or not names.issuperset(values):  # a default, or a typo
        fields = cls.model_fields
        unknown = set(values) - set(fields)
        if unknown:
            raise TypeError(f"{cls.__name__} has no field {sorted(unknown)[0]!r}")
        values = {
            name: values[name] if name in values else f.get_default(call_default_factory=True)
            for name, f in fields.items()
        }
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", values)
    object.__setattr__(obj, "__pydantic_fields_set__", set(values))
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", dict(private) if private else None)
    return obj


class PendingExplanation:
    """A finding's explanation not made yet: `explain` makes it when it is first asked for
    (read, serialised, compared, copied or pickled), once. The judge's hot path: most
    explanations are never read.

    It stands in the finding's `__dict__` in the explanation's place; reading
    `finding.explanation` puts the explanation there instead. Serialising the finding reads
    the explanation's fields through `__dict__` (as pydantic does for any model), so a finding
    serialises as one explained, in any container."""

    __slots__ = ("_explain", "_made")

    def __init__(self, explain: Callable[[], Explanation]) -> None:
        self._explain: Callable[[], Explanation] | None = explain
        self._made: Explanation | None = None

    def made(self) -> Explanation:
        made = self._made
        if made is None:
            explain = self._explain
            if explain is None:  # another thread made it meanwhile
                made = self._made
                assert made is not None
                return made
            made = self._made = explain()
            self._explain = None  # what it was made from is let go
        return made

    @property
    def __dict__(self) -> dict[str, Any]:  # type: ignore[override]
        """The explanation's fields: what pydantic serialises a model field's value by."""
        return self.made().__dict__

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PendingExplanation):
            other = other.made()
        return self.made() == other

    def __hash__(self) -> int:
        return hash(self.made())

    def __repr__(self) -> str:
        return repr(self.made())

    def __reduce__(self) -> str | tuple[Any, ...]:
        return self.made().__reduce__()


def explained(finding: BaseModel) -> None:
    """Put the finding's explanation in its `__dict__` if it is still pending."""
    fields = finding.__dict__
    explanation = fields.get("explanation")
    if type(explanation) is PendingExplanation:
        fields["explanation"] = explanation.made()


class _Explanation:
    """`FindingData.explanation`: reading it makes the explanation if it is still pending
    (and keeps it). A data descriptor, so it is found before the instance's `__dict__`."""

    def __get__(self, finding: BaseModel | None, owner: type | None = None) -> Explanation:
        if finding is None:  # not a default for pydantic to find on the class
            raise AttributeError("explanation")
        explained(finding)
        explanation: Explanation = finding.__dict__["explanation"]
        return explanation

    def __set__(self, finding: BaseModel, value: object) -> None:
        raise AttributeError("a finding is frozen")


@functools.cache
def _shape(cls: type[BaseModel]) -> tuple[int, dict[str, Any], frozenset[str]]:
    """A model's number of fields, its private attributes' defaults, and its fields' names."""
    private = {k: v.get_default() for k, v in cls.__private_attributes__.items()}
    return len(cls.model_fields), private, frozenset(cls.model_fields)


class Citation(BaseModel):
    """A clause of the policy and its own words, or a statutory source (with the law's own
    words, for a statutory finding, and the source's address where known)."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)
    clause: str | None = None
    """The policy's clause id (`I.2`, `G.4.i.a`); for a statutory source, none."""
    section: str | None = None
    """The policy section the clause belongs to (`I`)."""
    says: str | None = None
    """The clause's (or the law's) own words, as quoted in the rule and checked against the text on
    load."""
    statute: str | None = None
    """For a statutory source: the instrument and provision (`SI 2012/1033 reg 23(1)(a)`)."""
    url: str | None = None
    """The source's address (legislation.gov.uk), where known."""

    def __str__(self) -> str:
        if self.statute:
            return f'{self.statute}: "{self.says}"' if self.says else self.statute
        return f'{self.clause}: "{self.says}"'


class Explanation(BaseModel):
    """Why a finding exists: the facts the rule matched, the values derived, the readings."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)
    facts: dict[str, dict[str, Any]]
    """The facts the rule matched, by their alias in the rule (`exclusion`, `placement`,
    `notice`…), each as its engine fields."""
    steps: tuple[str, ...] = ()
    """How the deadline was counted and the period covered, in words, one step a line."""
    readings: dict[str, Any] = {}
    """The interpretation switches the rule depends on, with their values."""


PERIOD_STEP = "period: "
"""The prefix of an explanation step about a duty over a period (`explain` groups them)."""
BEFORE_ATTENDING = "must be done before the pupil first attends on "
"""How a `before:` deadline is counted (a step `due: ` + this + the day): the duty must be
done before the pupil first attends, so nothing done is overdue on that day."""


class DayRange(BaseModel):
    """A run of consecutive school days, `first` to `last` (both included; the same day for
    one): the school days between them are all in the run."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)
    first: date
    """The first school day of the run."""
    last: date
    """The last school day of the run (the same as `first` for one day)."""

    def __str__(self) -> str:
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()} to {self.last.isoformat()}"


class FindingData(BaseModel):
    """One rule's conclusion for one set of matched facts, as data (`findings.Finding` is
    this with its explanation in words)."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)
    rule_id: str = Field(examples=["I.2-first-day-notice", "G.4.i-visits"])
    """The rule's id in the rule book (`I.2-first-day-notice`): `apcompliance handbook` and
    docs/handbook.md list them."""
    tier: Literal["policy", "statutory"] = "policy"
    """policy: a duty of the Trust's policy (`clause` is its clause id, `says` its words);
    statutory: a duty of the law beside the policy (`clause` is the provision of the law for
    the school type, e.g. `SI 2012/1033 reg 23(1)(a)`, `says` the law's own words; the first
    of `also_cites` names the instrument and its address). Off with `policy_only`."""
    clause: str
    """The clause the finding cites (see `tier`)."""
    section: str
    """The policy section the finding belongs to (a statutory finding: the one it stands
    beside)."""
    says: str
    """The clause's own words (see `tier`)."""
    kind: Literal["obligation", "requirement", "aim", "recommendation", "permission", "advisory"]
    """What the clause asks: obligation (a duty to act, by a deadline), requirement (a condition
    that must hold), aim, recommendation, permission (something allowed), advisory (a remark).
    Only obligations and requirements can be violations."""
    duty_holder: str
    """Who the duty falls on, as the rule names it: `school`, `headteacher`, `ap_lead`, `dsl`,
    `senco`, `attendance_lead`, `governing_board`, `local_authority`."""
    action: str
    """What the duty holder must do, in words."""
    subject: str
    """What the finding is about: a fact type and its id (`placement PL-1`, `exclusion SUS-1`); ids
    only, never personal data."""
    period: str | None = None
    """For a recurring duty: which occurrence (e.g. "spring term 2026")."""
    due: date | datetime | None = Field(examples=["2025-11-12", "2025-10-16T15:00:00"])
    """The deadline: a date (by the end of that day), a date-time (by that time, the school's local
    time), or null where the clause sets none."""
    status: Status
    """Where the duty stands on the evaluation date (`as_of`): each value's meaning is under
    `Status` in docs/reference.md."""
    met_by: str | None = Field(default=None, examples=["NTC-1", "PL-1"])
    """The id of the case's record that met the duty (a notice, a placement, a visit), where one
    did."""
    met_on: date | datetime | None = Field(
        default=None, examples=["2025-11-03", "2025-10-16T14:05:00"]
    )
    """When it was met: the record's day, or its time where the deadline is a time."""
    deadline_citation: Citation | None = None
    """Where the deadline comes from, when another clause or the law sets it (a switch's reading, a
    statutory time limit)."""
    also_cites: tuple[Citation, ...] = ()
    """Further clauses or sources the finding rests on (for a statutory finding the first names the
    instrument and its address)."""
    explanation: Explanation
    """Why the finding exists: the facts matched, the steps of the deadline, the readings."""
    missing: tuple[str, ...] = ()
    """For `information_needed` and `undetermined`: each value the finding waits for, by fact
    and field (`placement PL-1: provider_full_time_pupils_with_this is not recorded`)."""
    uncovered: tuple[DayRange, ...] = ()
    """For a duty over a period (`met_by.every_school_day`): the school days of the period no
    satisfying fact covers, as runs of consecutive school days, earliest first. Days still to
    come are listed too; the first one on or before the evaluation date is when the duty was
    breached."""

    # A pending explanation (`PendingExplanation`) is made before the finding is compared,
    # pickled, iterated or shown; reading and serialising need nothing here.
    def __eq__(self, other: object) -> bool:
        explained(self)
        if isinstance(other, FindingData):
            explained(other)
        return super().__eq__(other)

    def __getstate__(self) -> dict[Any, Any]:
        explained(self)
        return super().__getstate__()

    def __iter__(self) -> Iterator[tuple[str, Any]]:  # type: ignore[override]
        explained(self)
        return super().__iter__()

    def __repr_args__(self) -> Any:
        explained(self)
        return super().__repr_args__()

    @property
    def is_duty(self) -> bool:
        """An obligation or a requirement (`DUTY_KINDS`), not an advisory."""
        return self.kind in DUTY_KINDS

    @property
    def is_violation(self) -> bool:
        return self.is_duty and self.status in VIOLATION_STATUSES

    @property
    def is_met_duty(self) -> bool:
        """A duty met: what a compliance rate counts as met."""
        return self.is_duty and self.status == "met"

    @property
    def is_statutory(self) -> bool:
        return self.tier == "statutory"

    @property
    def citation(self) -> Citation:
        if self.tier == "statutory":
            source = self.also_cites[0] if self.also_cites else None
            return Citation(
                statute=self.clause,
                section=self.section,
                says=self.says,
                url=source.url if source is not None else None,
            )
        return Citation(clause=self.clause, section=self.section, says=self.says)


setattr(FindingData, "explanation", _Explanation())  # noqa: B010 (after pydantic built it)


class CalendarData(BaseModel):
    """A school calendar as the data it is built from: its half-terms (with the name of the
    term each belongs to) and its closures (with their reasons). Bank holidays are not kept:
    the calendar adds them again when it is rebuilt."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)
    name: str
    """The calendar's name (the local authority and school year)."""
    half_terms: tuple[tuple[date, date], ...]
    """Each half-term's first and last day, in order."""
    term_names: tuple[str, ...]
    """The term of each half-term, in order."""
    closures: dict[date, str | None] = {}
    """Days in term the school is closed (INSET days, closures), with their reasons where given."""

    @classmethod
    def of(cls, calendar: SchoolCalendar) -> CalendarData:
        return _calendar_data(calendar)

    def calendar(self) -> SchoolCalendar:
        """The calendar again (built once per process for each distinct calendar)."""
        return _calendar(
            self.name, self.half_terms, self.term_names, tuple(sorted(self.closures.items()))
        )


@functools.lru_cache(maxsize=16)
def _calendar_data(calendar: SchoolCalendar) -> CalendarData:
    return CalendarData(
        name=calendar.name,
        half_terms=tuple((h.first_day, h.last_day) for h in calendar.half_terms),
        term_names=tuple(h.term for h in calendar.half_terms),
        closures={d: calendar.closure_reason(d) for d in sorted(calendar.closures)},
    )


@functools.lru_cache(maxsize=16)
def _calendar(
    name: str,
    half_terms: tuple[tuple[date, date], ...],
    term_names: tuple[str, ...],
    closures: tuple[tuple[date, str | None], ...],
) -> SchoolCalendar:
    return SchoolCalendar(half_terms, dict(closures), name=name, term_names=term_names)


class Trace(BaseModel):
    """What the evaluator kept of its work on one case, as plain data, so that `why_not` and
    the explanations can re-check rules later without the case or the engine.

    Holds the derived engine facts (ids, dates, counts and flags of the case's own events and
    placements; never a name or a date of birth), the calendar the case was assessed on, and
    which rule book it was assessed against: `rules` (the bundled rules), `rules+gaps` (with
    the statutory gap rules) or `custom`, with a digest of its rules and terms, so that a
    different rule book is never used to explain it."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)
    rule_book: Literal["rules", "rules+gaps", "custom"]
    """Which rule book: the bundled rules, those with the optional gap rules (`rules+gaps`), or a
    custom one."""
    rule_book_digest: str
    """A digest of the rule book's rules and terms, so that a different rule book is never used to
    explain the assessment."""
    calendar: CalendarData | None = None
    """None for the policy's own review, whose rules count no school days."""
    facts: dict[str, tuple[dict[str, Any], ...]]
    """The derived facts by type (`pupil`, `exclusion`, `placement`, …), each as its JSON
    fields, in the order derive made them."""


AnyFinding = TypeVar("AnyFinding", bound=FindingData)


class AssessmentData(BaseModel, Generic[AnyFinding]):
    """What the policy asks of the school for one case, as of one date, as data
    (`assessment.Assessment` is this, of `findings.Finding`s, with explanations, `why_not` and
    exports)."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)
    case_id: str = Field(examples=["EX-2025-014", "p-83eeb27e66275c61"])
    """The case's `case_id` (or, pseudonymised, its keyed pseudonym `p-…`): the only identifier in
    an assessment."""
    as_of: date
    """The evaluation date: statuses are as of this day."""
    calendar: str
    """The name of the school calendar the school days were counted on."""
    engine: str
    """The rule engine that evaluated the case, and its version."""
    readings: dict[str, Any]
    """Every interpretation switch: value, default, the clause it interprets, its meaning."""
    findings: tuple[AnyFinding, ...]
    """Every finding: one for each rule that applies to each set of matched facts."""
    trace: Trace | None = None
    """What `why_not` re-checks the rules against (kept by `evaluate`). Left out of
    `to_json()` unless asked for; kept by `model_dump()`, JSON of `model_dump_json()` and
    pickling."""

    @property
    def obligations(self) -> tuple[AnyFinding, ...]:
        """Duties with a deadline or condition to meet (obligations and requirements)."""
        return tuple(f for f in self.findings if f.kind in ("obligation", "requirement"))

    @property
    def violations(self) -> tuple[AnyFinding, ...]:
        """Obligations overdue or met late, and requirements breached."""
        return tuple(f for f in self.findings if f.is_violation)

    @property
    def advisories(self) -> tuple[AnyFinding, ...]:
        """Aims, recommendations, permissions and remarks: for information, never violations."""
        return tuple(f for f in self.findings if f.kind in ADVISORY_KINDS)
