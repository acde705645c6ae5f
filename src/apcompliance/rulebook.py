"""The rule format, and the loader that reads `rules/*.yaml` and checks every rule.

A rule file holds one policy section: its rules (one per clause) and the clauses recorded as
not machine-checkable, with the reason. The loader rejects unknown keys, unknown fact types
and fields, unknown clause ids and quotes that are not the clause's own words, naming the file
and the rule. See docs/rule-format.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from apcompliance.derive.engine_facts import FACT_TYPES, EngineFact
from apcompliance.errors import RuleFileError
from apcompliance.policy import Policy, load_policy, normalise_space
from apcompliance.settings import PolicySettings

Kind = Literal["obligation", "requirement", "aim", "recommendation", "permission", "advisory"]
"""obligation: must be done by a deadline; requirement: breached at once when it fires;
aim: the policy's stated aim, and recommendation: what it recommends (missing either is an
advisory, never a violation); permission: something the policy allows; advisory: a remark on
applying the policy to the case (e.g. its words do not fit the provider)."""
GRADED_KINDS: frozenset[str] = frozenset({"obligation", "aim", "recommendation"})
"""Kinds that are met by something happening (and need `met_by`)."""
UNGRADED_KINDS: frozenset[str] = frozenset({"permission", "advisory"})
"""Kinds reported for information only: they take no deadline and nothing meets them."""
CADENCES = ("week", "half_term", "term")
FIRST_WINDOWS = ("next", "current", "current_if_half_left")

DutyHolder = Literal[
    "school",
    "headteacher",
    "governing_board",
    "local_authority",
    "dsl",
    "senco",
    "ap_lead",
    "attendance_lead",
    "provider",
]
OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte", "exists")
ANY_OF = "any_of"
"""`any_of: [{tests}, {tests}]` in a fact's tests: at least one set holds."""
DEADLINE_FORMS = (
    "nth_school_day",
    "school_days_before",
    "hours_before",
    "at",
    "every",
    "every_weeks",
    "every_months",
)
ALIAS = r"[a-z][a-z_]*"
REF = re.compile(rf"^({ALIAS})\.([a-z][a-z_]*)$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class PolicyQuote(_Strict):
    """Another clause of the policy this rule rests on, quoted."""

    clause: str
    says: str


class StatuteCitation(_Strict):
    """A statutory source: regulation, section or guidance."""

    statute: str


class Deadline(_Strict):
    """A deadline expression: exactly one of `nth_school_day`, `school_days_before`,
    `hours_before`, `at` (one deadline) or `every`, `every_weeks` (a recurring duty)."""

    nth_school_day: int | str | None = None
    """N, or the name of a PolicySettings switch giving N."""
    school_days_before: int | None = Field(default=None, ge=1)
    clear_days: bool | str | None = None
    """With school_days_before: count clear school days (true/false or a switch's name)."""
    hours_before: int | None = Field(default=None, ge=1)
    at: str | None = None
    every: str | None = None
    """`week`, `half_term` or `term` (fixed windows of the calendar), or a switch naming one."""
    first_window: Literal["next", "current", "current_if_half_left"] | None = None
    """With `every`: which block is the first window (default `next`; see cadence.py)."""
    every_weeks: int | str | None = None
    """A rolling interval in weeks: N, or `alias.field` giving N."""
    every_months: int | None = Field(default=None, ge=1)
    """A rolling interval in months (read per the `month_means` switch)."""
    or_every_sessions: int | None = Field(default=None, ge=1)
    """With every_months: or every N timetabled sessions, whichever comes first."""
    sessions_per_week: str | None = None
    """With or_every_sessions: `alias.field` giving the sessions a week on the timetable."""
    of: str | None = None
    from_: str | None = Field(default=None, alias="from")
    until: str | None = None
    cites: PolicyQuote | None = None

    @property
    def recurring(self) -> bool:
        return any(f is not None for f in (self.every, self.every_weeks, self.every_months))

    @field_validator("nth_school_day")
    @classmethod
    def _positive(cls, value: int | str | None) -> int | str | None:
        if isinstance(value, int) and value < 1:
            raise ValueError("nth_school_day counts from 1 (the first school day)")
        return value

    @field_validator("at", "of", "from_", "until")
    @classmethod
    def _is_ref(cls, value: str | None) -> str | None:
        if value is not None and not REF.match(value):
            raise ValueError(f"{value!r} is not a fact reference of the form alias.field")
        return value


class DeadlineException(_Strict):
    """A different deadline where an exception in the policy applies (decided by the engine)."""

    when: dict[str, dict[str, Any]]
    due: Deadline
    cites: PolicyQuote | None = None


class MetBy(_Strict):
    """What satisfies an obligation: a fact of `fact` type matching `where`, dated by `dated`."""

    fact: str
    where: dict[str, Any] = Field(default_factory=dict)
    dated: str
    timed: str | None = None
    """The date compared with the deadline, where it is not `dated` (a notice counted as
    given on a school day); `dated` still says when it happened."""
    on_or_after: str | None = None
    """Only facts dated on or after this `alias.field` count (e.g. a meeting after a request)."""


class Rule(_Strict):
    """One clause as a rule."""

    id: str = Field(pattern=r"^[A-S]\.[0-9]+(\.[0-9a-z]+)*-[a-z0-9]+(-[a-z0-9]+)*$")
    clause: str
    says: str
    kind: Kind
    duty_holder: DutyHolder
    action: str
    when: dict[str, dict[str, Any]]
    unless: dict[str, dict[str, Any]] | None = None
    subject: str | None = None
    due: Deadline | None = None
    except_: DeadlineException | None = Field(default=None, alias="except")
    met_by: MetBy | None = None
    also_cites: tuple[PolicyQuote | StatuteCitation, ...] = ()
    note: str | None = None

    @property
    def section(self) -> str:
        return self.clause.split(".", 1)[0]

    @property
    def subject_alias(self) -> str:
        return self.subject or next(iter(self.when))

    def fact_type(self, alias: str) -> str:
        return str(self.when[alias].get("fact", alias))


class NotCheckable(_Strict):
    """A normative sentence no machine can check, and why."""

    clause: str
    says: str
    reason: str


class RuleFile(_Strict):
    section: str = Field(pattern=r"^[A-S]$")
    title: str
    rules: tuple[Rule, ...] = ()
    not_checkable: tuple[NotCheckable, ...] = ()


class RuleBook(BaseModel):
    """Every rule and every not-checkable clause, from all rule files, in file order."""

    model_config = ConfigDict(frozen=True)
    files: tuple[tuple[str, RuleFile], ...]

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(r for _, f in self.files for r in f.rules)

    @property
    def not_checkable(self) -> tuple[NotCheckable, ...]:
        return tuple(n for _, f in self.files for n in f.not_checkable)


# -- checking -----------------------------------------------------------------------------


def _is_date_field(fact_type: type[EngineFact], field: str) -> bool:
    ann = fact_type.model_fields[field].annotation
    return any(a in (dt.date, dt.datetime) for a in (ann, *get_args(ann)))


class _Checker:
    """Checks one rule's references against the fact vocabulary, the policy and the settings."""

    def __init__(self, file: str, rule: Rule, policy: Policy) -> None:
        self.file, self.rule, self.policy = file, rule, policy

    def fail(self, message: str) -> RuleFileError:
        return RuleFileError(self.file, message, self.rule.id)

    def check(self) -> None:
        rule = self.rule
        self.quote(rule.clause, rule.says, "says")
        for cite in rule.also_cites:
            if isinstance(cite, PolicyQuote):
                self.quote(cite.clause, cite.says, "also_cites")
        if rule.section != rule.id.split(".", 1)[0]:
            raise self.fail(f"id does not begin with its clause's section {rule.section!r}")
        if not rule.when:
            raise self.fail("when: names no fact")
        for alias, conds in rule.when.items():
            self.conditions(f"when.{alias}", alias, conds, allow_fact=True, joins=True)
        if rule.unless:
            if len(rule.unless) != 1:
                raise self.fail(
                    "unless: may test one fact only (negation across facts is ambiguous)"
                )
            for alias, conds in rule.unless.items():
                self.conditions(f"unless.{alias}", alias, conds, allow_fact=False, joins=False)
        if rule.subject is not None and rule.subject not in rule.when:
            raise self.fail(f"subject: {rule.subject!r} is not an alias in when")
        self.deadline_rules()
        if rule.met_by is not None:
            self.met_by(rule.met_by)

    def quote(self, clause: str, says: str, key: str) -> None:
        if not self.policy.has_clause(clause):
            raise self.fail(f"{key}: unknown clause id {clause!r}")
        if not self.policy.quotes(clause, says):
            raise self.fail(
                f"{key}: the quoted words are not found verbatim in clause {clause}: "
                f"{normalise_space(says)[:80]!r}"
            )

    def fact_type_of(self, alias: str, where: str) -> type[EngineFact]:
        if alias not in self.rule.when:
            raise self.fail(f"{where}: {alias!r} is not an alias in when")
        name = self.rule.fact_type(alias)
        if name not in FACT_TYPES:
            known = ", ".join(sorted(FACT_TYPES))
            raise self.fail(f"{where}: unknown fact type {name!r} (known: {known})")
        return FACT_TYPES[name]

    def ref(self, ref: str, where: str, *, want_date: bool = False) -> None:
        m = REF.match(ref)
        if not m:
            raise self.fail(f"{where}: {ref!r} is not a fact reference of the form alias.field")
        alias, field = m.groups()
        fact_type = self.fact_type_of(alias, where)
        if field not in fact_type.model_fields:
            raise self.fail(f"{where}: fact {fact_type.type_name!r} has no field {field!r}")
        if want_date and not _is_date_field(fact_type, field):
            raise self.fail(f"{where}: {ref} is not a date or time")

    def conditions(
        self, where: str, alias: str, conds: dict[str, Any], *, allow_fact: bool, joins: bool
    ) -> None:
        """One fact's tests. `joins`: whether a reference to another fact may stand here (in
        `when` and `except.when`, not inside `any_of` or `unless`)."""
        fact_type = self.fact_type_of(alias, where)
        for field, test in conds.items():
            if field == "fact":
                if not allow_fact:
                    raise self.fail(f"{where}.fact: the fact type is set in when only")
                continue
            if field == ANY_OF:
                if not isinstance(test, list) or len(test) < 2:
                    raise self.fail(f"{where}.any_of: a list of two or more sets of tests")
                for i, option in enumerate(test):
                    if not isinstance(option, dict) or not option or ANY_OF in option:
                        raise self.fail(
                            f"{where}.any_of[{i}]: a mapping of field tests (not nested any_of)"
                        )
                    self.conditions(
                        f"{where}.any_of[{i}]", alias, option, allow_fact=False, joins=False
                    )
                continue
            if field not in fact_type.model_fields:
                raise self.fail(f"{where}: fact {fact_type.type_name!r} has no field {field!r}")
            if isinstance(test, dict) and "ref" not in test:
                unknown = set(test) - set(OPERATORS)
                if unknown or len(test) != 1:
                    raise self.fail(
                        f"{where}.{field}: a test is a value, {{ref: alias.field}} or one of "
                        f"{{{', '.join(OPERATORS)}: value}}; got {sorted(test)}"
                    )
                ((op, test),) = test.items()
            else:
                op = "eq"
            if isinstance(test, dict):
                if set(test) != {"ref"}:
                    raise self.fail(f"{where}.{field}: a reference is {{ref: alias.field}}")
                self.join(str(test["ref"]), f"{where}.{field}", alias, op, allowed=joins)

    def join(self, ref: str, where: str, alias: str, op: str, *, allowed: bool) -> None:
        """A reference in a condition: a join the engine evaluates. Only the form both engines
        evaluate as written is accepted: an equality with a field of a fact named earlier in
        `when`, outside `any_of` and `unless` (durable-rules 2.0.28 evaluates joins inside a
        group wrongly, and fails the whole case when a compared field is missing; ENGINE-NOTES,
        apcompliance.oracle)."""
        if not allowed:
            raise self.fail(
                f"{where}: a reference to another fact may not stand inside any_of or unless "
                "(the engine evaluates such joins wrongly); derive the test as a field instead"
            )
        if op != "eq":
            raise self.fail(
                f"{where}: a reference to another fact may only be tested for equality, "
                f"not {op} (the engine fails the case when either field is missing); derive "
                "the comparison as a field instead"
            )
        self.ref(ref, where)
        aliases = list(self.rule.when)
        other = ref.split(".", 1)[0]
        if aliases.index(other) >= aliases.index(alias):
            raise self.fail(f"{where}: {ref} must name a fact listed in when before {alias!r}")

    def setting(self, name: str, where: str, values: tuple[object, ...]) -> None:
        """`name` is a PolicySettings switch whose every value is one of `values`."""
        field = PolicySettings.model_fields.get(name)
        if field is None:
            raise self.fail(f"{where}: no setting named {name!r}")
        allowed = get_args(field.annotation) or (field.annotation,)
        if not set(allowed) <= set(values):
            raise self.fail(f"{where}: setting {name!r} does not give one of {values}")

    def deadline(self, due: Deadline, where: str) -> None:
        forms = [f for f in DEADLINE_FORMS if getattr(due, f) is not None]
        if len(forms) != 1:
            raise self.fail(f"{where}: give exactly one of {', '.join(DEADLINE_FORMS)}")
        form = forms[0]
        if due.clear_days is not None and form != "school_days_before":
            raise self.fail(f"{where}.clear_days: only with school_days_before")
        if (due.from_ is not None or due.until is not None) != due.recurring:
            raise self.fail(
                f"{where}: every, every_weeks and every_months need `from:`; nothing else takes it"
            )
        if due.first_window is not None and form != "every":
            raise self.fail(f"{where}.first_window: only with every")
        if (due.or_every_sessions is None) != (due.sessions_per_week is None) or (
            due.or_every_sessions is not None and form != "every_months"
        ):
            raise self.fail(
                f"{where}: or_every_sessions goes with every_months and sessions_per_week"
            )
        if due.sessions_per_week is not None:
            self.ref(due.sessions_per_week, f"{where}.sessions_per_week")
        if form == "at":
            assert due.at is not None
            self.ref(due.at, f"{where}.at", want_date=True)
        elif due.recurring:
            assert due.from_ is not None
            self.ref(due.from_, f"{where}.from", want_date=True)
            if due.until is not None:
                self.ref(due.until, f"{where}.until", want_date=True)
            if due.of is not None:
                raise self.fail(f"{where}: a recurring deadline counts `from:`, not `of:`")
        else:
            if due.of is None:
                raise self.fail(f"{where}: {form} needs `of: alias.field`")
            self.ref(due.of, f"{where}.of", want_date=True)
        if isinstance(due.nth_school_day, str):
            self.setting(due.nth_school_day, f"{where}.nth_school_day", (int,))
        if isinstance(due.clear_days, str):
            self.setting(due.clear_days, f"{where}.clear_days", (bool,))
        if due.every is not None and due.every not in CADENCES:
            self.setting(due.every, f"{where}.every", CADENCES)
        if isinstance(due.every_weeks, str):
            self.ref(due.every_weeks, f"{where}.every_weeks")
        elif isinstance(due.every_weeks, int) and due.every_weeks < 1:
            raise self.fail(f"{where}.every_weeks: at least 1")
        if due.cites is not None:
            self.quote(due.cites.clause, due.cites.says, f"{where}.cites")

    def deadline_rules(self) -> None:
        rule = self.rule
        if rule.kind in GRADED_KINDS and rule.met_by is None:
            raise self.fail(
                f"{rule.kind}: needs met_by (and due, unless the clause sets no deadline)"
            )
        if rule.kind == "requirement" and (rule.due is None or rule.due.at is None):
            raise self.fail("requirement: needs `due: {at: alias.field}`, the day it is breached")
        if rule.kind in UNGRADED_KINDS and (rule.due or rule.met_by or rule.except_):
            raise self.fail(f"{rule.kind}: takes no due, except or met_by")
        if rule.due is not None:
            self.deadline(rule.due, "due")
        if rule.except_ is not None:
            if rule.due is None:
                raise self.fail("except: needs a due to make an exception to")
            for alias, conds in rule.except_.when.items():
                self.conditions(f"except.when.{alias}", alias, conds, allow_fact=False, joins=True)
            self.deadline(rule.except_.due, "except.due")
            if rule.due.recurring or rule.except_.due.recurring:
                raise self.fail("except: not with a recurring deadline")
            if rule.except_.cites is not None:
                self.quote(rule.except_.cites.clause, rule.except_.cites.says, "except.cites")

    def met_by(self, met_by: MetBy) -> None:
        if met_by.fact not in FACT_TYPES:
            raise self.fail(f"met_by.fact: unknown fact type {met_by.fact!r}")
        fact_type = FACT_TYPES[met_by.fact]
        for field, value in met_by.where.items():
            if field not in fact_type.model_fields:
                raise self.fail(f"met_by.where: fact {met_by.fact!r} has no field {field!r}")
            if isinstance(value, dict):
                if set(value) != {"ref"}:
                    raise self.fail(f"met_by.where.{field}: a reference is {{ref: alias.field}}")
                self.ref(str(value["ref"]), f"met_by.where.{field}")
        if met_by.dated not in fact_type.model_fields or not _is_date_field(
            fact_type, met_by.dated
        ):
            raise self.fail(f"met_by.dated: {met_by.fact}.{met_by.dated} is not a date field")
        if met_by.timed is not None and (
            met_by.timed not in fact_type.model_fields
            or not _is_date_field(fact_type, met_by.timed)
        ):
            raise self.fail(f"met_by.timed: {met_by.fact}.{met_by.timed} is not a date field")
        if met_by.on_or_after is not None:
            self.ref(met_by.on_or_after, "met_by.on_or_after", want_date=True)


def parse_rule_file(text: str, file: str, policy: Policy | None = None) -> RuleFile:
    """Parse and check one rule file's YAML text. `file` names it in errors."""
    policy = policy or load_policy()
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleFileError(file, f"not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise RuleFileError(file, "a rule file is a mapping with section, title and rules")
    raw_rules = data.get("rules") or []
    rule_ids = [r.get("id") if isinstance(r, dict) else None for r in raw_rules]
    try:
        parsed = RuleFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = list(first["loc"])
        rule_id = None
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
            rule_id = rule_ids[loc[1]] if loc[1] < len(rule_ids) else None
            loc = loc[2:]
        where = ".".join(str(p) for p in loc) or "(rule)"
        raise RuleFileError(file, f"{where}: {first['msg']}", rule_id) from None
    for rule in parsed.rules:
        if rule.section != parsed.section:
            raise RuleFileError(
                file, f"clause {rule.clause} is not in section {parsed.section}", rule.id
            )
        _Checker(file, rule, policy).check()
    for item in parsed.not_checkable:
        if not policy.has_clause(item.clause):
            raise RuleFileError(file, f"not_checkable: unknown clause id {item.clause!r}")
        if not policy.quotes(item.clause, item.says):
            raise RuleFileError(
                file, f"not_checkable: quote not found verbatim in clause {item.clause}"
            )
    return parsed


def load_rulebook(paths: Iterable[str | Path] | None = None, *, gaps: bool = False) -> RuleBook:
    """Load rule files: the bundled `rules/` (via importlib.resources) or the given paths.

    With `gaps`, the bundled statutory gap rules (`rules/gaps/`: where the law asks more than
    the policy) are added; they are off by default.
    """
    if paths is None:
        return _bundled_rulebook(gaps)
    files = [(str(p), Path(p).read_text(encoding="utf-8")) for p in paths]
    return _build(files + (_bundled_files("gaps") if gaps else []))


def _bundled_files(folder: str | None = None) -> list[tuple[str, str]]:
    root = resources.files("apcompliance.rules")
    where = "rules"
    if folder is not None:
        root, where = root / folder, f"rules/{folder}"
    entries = sorted((e for e in root.iterdir() if e.name.endswith(".yaml")), key=lambda e: e.name)
    return [(f"{where}/{e.name}", e.read_text(encoding="utf-8")) for e in entries]


@functools.cache
def _bundled_rulebook(gaps: bool = False) -> RuleBook:
    return _build(_bundled_files() + (_bundled_files("gaps") if gaps else []))


def _build(files: list[tuple[str, str]]) -> RuleBook:
    policy = load_policy()
    parsed = tuple((name, parse_rule_file(text, name, policy)) for name, text in files)
    seen: dict[str, str] = {}
    for name, rule_file in parsed:
        for rule in rule_file.rules:
            if rule.id in seen:
                raise RuleFileError(name, f"duplicate rule id (also in {seen[rule.id]})", rule.id)
            seen[rule.id] = name
    return RuleBook(files=parsed)


__all__ = [
    "ANY_OF",
    "CADENCES",
    "DEADLINE_FORMS",
    "GRADED_KINDS",
    "OPERATORS",
    "REF",
    "UNGRADED_KINDS",
    "Deadline",
    "DeadlineException",
    "MetBy",
    "NotCheckable",
    "PolicyQuote",
    "Rule",
    "RuleBook",
    "RuleFile",
    "StatuteCitation",
    "load_rulebook",
    "parse_rule_file",
]
