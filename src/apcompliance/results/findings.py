"""Findings: what the judge concludes for each rule that applies, with its citation."""

from __future__ import annotations

import functools
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, PrivateAttr

if TYPE_CHECKING:
    from apcompliance.language.rulebook import Rule

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


_Model = TypeVar("_Model", bound=BaseModel)


def trusted(cls: type[_Model], **values: Any) -> _Model:
    """An instance of `cls` from every one of its fields' values, already of the right types,
    without validation: the judge's hot path, where every value comes from validated facts
    and rules. About a third of the cost of validating, a sixth of `model_construct`
    (docs/performance.md); tests/test_findings.py checks the result equals and
    serialises as the validated model."""
    count, private = _shape(cls)
    if len(values) != count or values.keys() - cls.model_fields.keys():  # a default, or a typo
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


@functools.cache
def _shape(cls: type[BaseModel]) -> tuple[int, dict[str, Any]]:
    """A model's number of fields, and its private attributes' defaults."""
    private = {k: v.get_default() for k, v in cls.__private_attributes__.items()}
    return len(cls.model_fields), private


class Citation(BaseModel):
    """A clause of the policy and its own words, or a statutory source."""

    model_config = ConfigDict(frozen=True)
    clause: str | None = None
    section: str | None = None
    says: str | None = None
    statute: str | None = None

    def __str__(self) -> str:
        if self.statute:
            return self.statute
        return f'{self.clause}: "{self.says}"'


class Explanation(BaseModel):
    """Why a finding exists: the facts the rule matched, the values derived, the readings."""

    model_config = ConfigDict(frozen=True)
    facts: dict[str, dict[str, Any]]
    steps: tuple[str, ...] = ()
    readings: dict[str, Any] = {}


PERIOD_STEP = "period: "
"""The prefix of an explanation step about a duty over a period (`explain` groups them)."""


class DayRange(BaseModel):
    """A run of consecutive school days, `first` to `last` (both included; the same day for
    one): the school days between them are all in the run."""

    model_config = ConfigDict(frozen=True)
    first: date
    last: date

    def __str__(self) -> str:
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()} to {self.last.isoformat()}"


class Finding(BaseModel):
    """One rule's conclusion for one set of matched facts."""

    model_config = ConfigDict(frozen=True)
    rule_id: str
    clause: str
    section: str
    says: str
    kind: Literal["obligation", "requirement", "aim", "recommendation", "permission", "advisory"]
    duty_holder: str
    action: str
    subject: str
    period: str | None = None
    """For a recurring duty: which occurrence (e.g. "spring term 2026")."""
    due: date | datetime | None
    status: Status
    met_by: str | None = None
    met_on: date | datetime | None = None
    deadline_citation: Citation | None = None
    also_cites: tuple[Citation, ...] = ()
    explanation: Explanation
    missing: tuple[str, ...] = ()
    """For `information_needed` and `undetermined`: each value the finding waits for, by fact
    and field (`placement PL-1: provider_full_time_pupils_with_this is not recorded`)."""
    uncovered: tuple[DayRange, ...] = ()
    """For a duty over a period (`met_by.every_school_day`): the school days of the period no
    satisfying fact covers, as runs of consecutive school days, earliest first. Days still to
    come are listed too; the first one on or before the evaluation date is when the duty was
    breached."""
    _rule: Rule | None = PrivateAttr(default=None)
    """The rule that made this finding (set by `Evaluator.evaluate`; never serialised)."""

    def __eq__(self, other: object) -> bool:
        """Equal when every field is: the private rule reference is not part of the value."""
        if not isinstance(other, Finding):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __getstate__(self) -> dict[Any, Any]:
        # A rule of a bundled rule book travels as (gaps, rule id) and is looked up again on
        # arrival, so findings sent between processes stay small.
        state = super().__getstate__()
        private = state.get("__pydantic_private__") or {}
        key = _bundled_rule_key(private.get("_rule"))
        if key is not None:
            state = {**state, "__pydantic_private__": {**private, "_rule": key}}
        return state

    def __setstate__(self, state: dict[Any, Any]) -> None:
        private = state.get("__pydantic_private__")
        if private and isinstance(private.get("_rule"), tuple):
            gaps, rule_id = private["_rule"]
            rule = _bundled_rules(gaps).get(rule_id)
            state = {**state, "__pydantic_private__": {**private, "_rule": rule}}
        super().__setstate__(state)

    @property
    def is_violation(self) -> bool:
        return self.kind in ("obligation", "requirement") and self.status in VIOLATION_STATUSES

    @property
    def citation(self) -> Citation:
        return Citation(clause=self.clause, section=self.section, says=self.says)

    def explain(self) -> str:
        """In plain English: the facts that made the rule apply, how the deadline was counted,
        the interpretation switches it depends on, what met it, its status and the clause."""
        from apcompliance.results.explain import explain_finding

        return explain_finding(self, self._rule)

    def _repr_html_(self) -> str:
        from apcompliance.results.explain import finding_html

        return finding_html(self)


@functools.cache
def _bundled_rules(gaps: bool) -> dict[str, Rule]:
    from apcompliance.language.rulebook import load_rulebook

    return {r.id: r for r in load_rulebook(gaps=gaps).rules}


def _bundled_rule_key(rule: Rule | None) -> tuple[bool, str] | None:
    """(gaps, rule id) when `rule` is one of a bundled rule book's own rules, else None."""
    if rule is None:
        return None
    for gaps in (False, True):
        if _bundled_rules(gaps).get(rule.id) is rule:
            return gaps, rule.id
    return None
