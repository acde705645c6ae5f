"""The rule format, and the loader that reads `rules/*.yaml` and checks every rule.

A rule file holds one policy section: its rules (one per clause) and the clauses recorded as
not machine-checkable, with the reason. The loader rejects unknown keys, unknown fact types
and fields, unknown clause ids and quotes that are not the clause's own words, naming the file
and the rule. See docs/rule-format.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import pickle
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import VERSION as PYDANTIC_VERSION
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from apcompliance import textfiles, usercache
from apcompliance.errors import NotUtf8Error, RuleFileError
from apcompliance.facts.vocabulary import FACT_TYPES, EngineFact
from apcompliance.language.conditions import (
    Condition,
    Expr,
    MetByPattern,
    Pattern,
    RuleConditions,
)
from apcompliance.language.parse import (
    ConditionError,
    Parser,
    TermDefinition,
    Vocabulary,
    all_of,
    count_limit,
)
from apcompliance.language.terms import (
    TERMS_FILE,
    TermEntry,
    definitions,
    parse_terms_file,
    vocabulary,
)
from apcompliance.policy.document import Policy, load_policy, normalise_space, policy_text
from apcompliance.policy.settings import PolicySettings
from apcompliance.policy.statutes import SCHOOL_TYPES, SchoolType, load_statutes

Tier = Literal["policy", "statutory"]
"""policy: a duty of the Trust's policy, citing its clause; statutory: a duty of the law beside
the policy (on by default; `PolicySettings.policy_only` turns the tier off), citing the
regulation for the school type."""
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
MET_BY_ALIAS = "met_by"
"""The alias `met_by.where` binds the satisfying fact to (no rule may use it in when)."""
DEADLINE_FORMS = (
    "nth_school_day",
    "school_days_before",
    "hours_before",
    "at",
    "before",
    "every",
    "every_weeks",
    "every_months",
)
ALIAS = r"[a-z][a-z_]*"
REF = re.compile(rf"^({ALIAS})\.([a-z][a-z_]*)$")
ANY = re.compile(r"^any(?: ([a-z][a-z_]*))?$")
"""`alias: any` in `when`: any fact of the alias's type; `alias: any <fact type>` names it."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class PolicyQuote(_Strict):
    """Another clause of the policy this rule rests on, quoted."""

    clause: str
    says: str


class StatuteCitation(_Strict):
    """A statutory source: regulation, section or guidance."""

    statute: str


class LawQuote(_Strict):
    """A provision of the law and its own words, as `data/statutes.yaml` holds them."""

    cite: str
    says: str


class LawCitation(_Strict):
    """What a statutory rule cites, for each school type (`PolicySettings.school_type`)."""

    academy: LawQuote
    maintained: LawQuote

    def for_school(self, school_type: SchoolType) -> LawQuote:
        return self.academy if school_type == "academy" else self.maintained


class Deadline(_Strict):
    """A deadline expression: exactly one of `nth_school_day`, `school_days_before`,
    `hours_before`, `at`, `before` (one deadline) or `every`, `every_weeks` (a recurring
    duty)."""

    nth_school_day: int | str | None = None
    """N, or the name of a PolicySettings switch giving N."""
    school_days_before: int | None = Field(default=None, ge=1)
    clear_days: bool | str | None = None
    """With school_days_before: count clear school days (true/false or a switch's name)."""
    hours_before: int | None = Field(default=None, ge=1)
    at: str | None = None
    before: str | None = None
    """`alias.field`, the day the pupil first attends: the duty must be done before it (a
    record on that day counts only where its time shows it came before `first_session`, or
    under the `same_day_before_attendance` switch). Not done: overdue on that day."""
    first_session: str | None = None
    """With before: `alias.field`, the moment the pupil first attends that day (the first
    session's start), where the case records it."""
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
    """With or_every_sessions: `alias.field` giving the sessions a week on the timetable
    (spread evenly over the school week where no `timetable` is recorded)."""
    timetable: str | None = None
    """With or_every_sessions: `alias.field` giving the weekly timetable, by weekday and
    session, the sessions are counted from where it is recorded."""
    of: str | None = None
    from_: str | None = Field(default=None, alias="from")
    until: str | None = None
    not_before: str | None = None
    """With a one-off deadline: `alias.field`, a date or time the deadline is never earlier
    than (the later of the two counts; not recorded: the deadline alone). I.2: a first-day
    notice is never late against the 48 hours."""
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

    @field_validator(
        "nth_school_day",
        "school_days_before",
        "hours_before",
        "every_weeks",
        "every_months",
        "or_every_sessions",
    )
    @classmethod
    def _within_limits(cls, value: int | str | None, info: ValidationInfo) -> int | str | None:
        if isinstance(value, int) and not isinstance(value, bool):
            too_many = count_limit(str(info.field_name), value)
            if too_many is not None:
                raise ValueError(too_many)
        return value

    @field_validator("at", "before", "first_session", "of", "from_", "until", "not_before")
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
    every_school_day: Any = None
    """A duty over a period: `{from: date, to: date}`, every school day of which must be
    covered by a fact that satisfies it (see docs/rule-format.md, "Duties over a period")."""
    covers: Any = None
    """With every_school_day: the days each such fact covers, `{from: field, to: field}` (a
    date range; no `to` recorded: open-ended) or `{day: field}` (one day)."""


class Rule(_Strict):
    """One clause as a rule."""

    id: str = Field(pattern=r"^[A-S]\.([0-9]+(\.[0-9a-z]+)*|law)-[a-z0-9]+(-[a-z0-9]+)*$")
    """`<clause>-<name>` for a policy rule; `<section>.law-<name>` for a statutory one."""
    tier: Tier = "policy"
    clause: str | None = None
    """The policy clause (policy rules; a statutory rule cites `law` instead)."""
    says: str | None = None
    """The clause's own words (policy rules)."""
    law: LawCitation | None = None
    """The provision of the law and its words, per school type (statutory rules)."""
    kind: Kind
    duty_holder: DutyHolder
    action: str
    when: dict[str, dict[str, Any] | str]
    """Each fact the rule matches, by alias: its tests, or `any` (`any <fact type>`)."""
    unless: dict[str, dict[str, Any]] | None = None
    subject: str | None = None
    due: Deadline | None = None
    except_: DeadlineException | None = Field(default=None, alias="except")
    met_by: MetBy | None = None
    also_cites: tuple[PolicyQuote | StatuteCitation, ...] = ()
    note: str | None = None
    where_possible: bool = False
    """The clause says "where possible … should": an obligation (`kind: obligation`) under the
    `where_possible_means` switch's default, a recommendation under its other reading."""
    _conditions: RuleConditions | None = PrivateAttr(default=None)

    def kind_under(self, settings: PolicySettings) -> Kind:
        """The rule's kind under the switches: `kind`, except that a `where_possible` rule is
        a recommendation where `where_possible_means` is `recommendation`."""
        if self.where_possible and settings.where_possible_means == "recommendation":
            return "recommendation"
        return self.kind

    @property
    def conditions(self) -> RuleConditions:
        """The rule's conditions as one tree (set by the loader, which parses and checks them)."""
        if self._conditions is None:
            raise ValueError(f"rule {self.id} was not loaded by the rule loader")
        return self._conditions

    @property
    def section(self) -> str:
        """The policy section: the clause's, or for a statutory rule the one its id names (the
        section it stands beside)."""
        return (self.clause or self.id).split(".", 1)[0]

    def cited(self, school_type: SchoolType = "academy") -> tuple[str, str]:
        """What the rule cites and its words: the policy clause, or the provision of the law
        for the school type."""
        if self.law is not None:
            quote = self.law.for_school(school_type)
            return quote.cite, quote.says
        assert self.clause is not None and self.says is not None  # checked by the loader
        return self.clause, self.says

    @property
    def label(self) -> str:
        """What the rule cites, in short: the clause id, or the law (both school types)."""
        if self.law is not None:
            academy, maintained = self.law.academy.cite, self.law.maintained.cite
            return academy if academy == maintained else f"{academy} / {maintained}"
        return str(self.clause)

    @property
    def subject_alias(self) -> str:
        return self.subject or next(iter(self.when))

    def fact_type(self, alias: str) -> str:
        conds = self.when[alias]
        if isinstance(conds, str):
            m = ANY.match(conds)
            return m.group(1) or alias if m else alias
        return str(conds.get("fact", alias))


class NotCheckable(_Strict):
    """A normative sentence no machine can check, and why."""

    clause: str
    says: str
    reason: str


class RuleFile(_Strict):
    section: str = Field(pattern=r"^[A-S]$")
    title: str
    terms: tuple[TermEntry, ...] = ()
    """Named terms this file's rules use (rules/terms.yaml holds the shared ones)."""
    rules: tuple[Rule, ...] = ()
    not_checkable: tuple[NotCheckable, ...] = ()


class RuleBook(BaseModel):
    """Every rule and every not-checkable clause, from all rule files, in file order."""

    model_config = ConfigDict(frozen=True)
    files: tuple[tuple[str, RuleFile], ...]
    _conditions: dict[str, RuleConditions] = PrivateAttr(default_factory=dict)
    _terms: dict[tuple[str, str], TermDefinition] = PrivateAttr(default_factory=dict)

    def conditions(self, rule_id: str) -> RuleConditions:
        """A rule's conditions as one tree (parsed and checked by the loader)."""
        return self._conditions[rule_id]

    @property
    def terms(self) -> dict[tuple[str, str], TermDefinition]:
        """The named terms in force, by (fact type, name)."""
        return dict(self._terms)

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

    def __init__(self, file: str, rule: Rule, policy: Policy, terms: Vocabulary) -> None:
        self.file, self.rule, self.policy, self.terms = file, rule, policy, terms

    def fail(self, message: str) -> RuleFileError:
        return RuleFileError(self.file, message, self.rule.id)

    def check(self) -> RuleConditions:
        """Check the rule and parse its conditions."""
        rule = self.rule
        if rule.tier == "statutory":
            self.law()
        else:
            if rule.clause is None or rule.says is None:
                raise self.fail("a policy rule needs clause and says (the clause's own words)")
            if rule.law is not None:
                raise self.fail("law: only for a statutory rule (tier: statutory)")
            if rule.id.split(".", 1)[1].startswith("law-"):
                raise self.fail("id: `<section>.law-...` is for statutory rules (tier: statutory)")
            self.quote(rule.clause, rule.says, "says")
        for cite in rule.also_cites:
            if isinstance(cite, PolicyQuote):
                self.quote(cite.clause, cite.says, "also_cites")
        if rule.section != rule.id.split(".", 1)[0]:
            raise self.fail(f"id does not begin with its clause's section {rule.section!r}")
        if not rule.when:
            raise self.fail("when: names no fact")
        if rule.subject is not None and rule.subject not in rule.when:
            raise self.fail(f"subject: {rule.subject!r} is not an alias in when")
        self.deadline_rules()
        if rule.met_by is not None:
            self.met_by(rule.met_by)
        return self.parse_conditions()

    def law(self) -> None:
        """A statutory rule quotes the law's own words for each school type, from the passage
        of `data/statutes.yaml` its citation names, which must bind that school type."""
        rule = self.rule
        if rule.clause is not None or rule.says is not None:
            raise self.fail(
                "a statutory rule cites the law (law.academy, law.maintained), not a clause"
            )
        if rule.law is None:
            raise self.fail("law: a statutory rule needs law: {academy: ..., maintained: ...}")
        if not rule.id.split(".", 1)[1].startswith("law-"):
            raise self.fail("id: a statutory rule's id is `<section>.law-<name>`")
        statutes = load_statutes()
        for school_type in SCHOOL_TYPES:
            quote = rule.law.for_school(school_type)
            where = f"law.{school_type}"
            passage = statutes.passage(quote.cite)
            if passage is None:
                known = ", ".join(p.cite for p in statutes.passages)
                raise self.fail(
                    f"{where}.cite: no passage {quote.cite!r} in the extract of the law "
                    f"(data/statutes.yaml; known: {known})"
                )
            if passage.applies_to != school_type:
                raise self.fail(
                    f"{where}.cite: {quote.cite} binds {passage.applies_to} schools, "
                    f"not {school_type} ones"
                )
            if not passage.quotes(quote.says):
                raise self.fail(
                    f"{where}.says: the quoted words are not found verbatim in {quote.cite}: "
                    f"{normalise_space(quote.says)[:80]!r}"
                )

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
            if want_date and (fact_type.type_name, field) in self.terms:
                self.named_value(ref, where)
                return
            raise self.fail(f"{where}: fact {fact_type.type_name!r} has no field {field!r}")
        if want_date and not _is_date_field(fact_type, field):
            raise self.fail(f"{where}: {ref} is not a date or time")

    def named_value(self, ref: str, where: str) -> Expr:
        """A date a deadline reads that is a named value (`exclusion.return_day`), parsed."""
        aliases = {alias: self.rule.fact_type(alias) for alias in self.rule.when}
        try:
            expr, typed = Parser(aliases, self.terms).ref(ref, where)
        except ConditionError as exc:
            raise self.fail(str(exc)) from None
        if typed.name not in ("date", "datetime"):
            raise self.fail(f"{where}: {ref} is {typed}, not a date or time")
        return expr

    def deadline_values(self) -> tuple[tuple[str, Expr], ...]:
        """The named values the rule's deadlines and `met_by.on_or_after` read."""
        rule = self.rule
        refs = [rule.met_by.on_or_after if rule.met_by is not None else None]
        for due in (rule.due, rule.except_.due if rule.except_ is not None else None):
            if due is not None:
                refs += [due.at, due.before, due.first_session, due.of, due.from_]
                refs += [due.until, due.not_before]
        out: dict[str, Expr] = {}
        for ref in refs:
            m = REF.match(ref) if ref is not None else None
            if ref is None or m is None or ref in out:
                continue
            alias, field = m.groups()
            if alias in rule.when and field not in self.fact_type_of(alias, ref).model_fields:
                out[ref] = self.named_value(ref, ref)
        return tuple(out.items())

    def parse_conditions(self) -> RuleConditions:
        """The rule's conditions as one tree, typed and checked (see language.parse)."""
        rule = self.rule
        aliases = {alias: rule.fact_type(alias) for alias in rule.when}
        if MET_BY_ALIAS in aliases:
            raise self.fail(f"when: {MET_BY_ALIAS!r} is reserved for what meets the rule")
        parser = Parser(aliases, self.terms)
        try:
            for alias in aliases:
                parser.fact_type(alias, f"when.{alias}")
            patterns = tuple(
                Pattern(alias, aliases[alias], self.when_tests(parser, alias, conds))
                for alias, conds in rule.when.items()
            )
            unless = self.combined(parser, rule.unless, "unless")
            exception = (
                self.combined(parser, rule.except_.when, "except.when")
                if rule.except_ is not None
                else None
            )
            met_by = None
            if rule.met_by is not None:
                fact = rule.met_by.fact
                if fact not in FACT_TYPES:
                    raise ConditionError("met_by.fact", f"unknown fact type {fact!r}")
                met_parser = Parser({**aliases, MET_BY_ALIAS: fact}, self.terms)
                tests = met_parser.tests(MET_BY_ALIAS, rule.met_by.where, "met_by.where")
                period = None
                if rule.met_by.every_school_day is not None:
                    if rule.met_by.timed is not None:
                        raise ConditionError(
                            "met_by.timed", "not with every_school_day: the days covered count"
                        )
                    if rule.due is not None and rule.due.recurring:
                        raise ConditionError(
                            "met_by.every_school_day", "not with a recurring deadline"
                        )
                    # the period's days are the rule's facts' dates; what covers them, the
                    # satisfying fact's
                    period = Parser(aliases, self.terms).period(
                        rule.met_by.every_school_day,
                        met_parser.covers(rule.met_by.covers, MET_BY_ALIAS, "met_by.covers"),
                        "met_by.every_school_day",
                    )
                elif rule.met_by.covers is not None:
                    raise ConditionError(
                        "met_by.covers", "only with every_school_day (a duty over a period)"
                    )
                met_by = MetByPattern(MET_BY_ALIAS, fact, tests, period)
        except ConditionError as exc:
            raise self.fail(str(exc)) from None
        return RuleConditions(rule.id, patterns, unless, exception, met_by, self.deadline_values())

    @staticmethod
    def when_tests(
        parser: Parser, alias: str, conds: dict[str, Any] | str
    ) -> tuple[Condition, ...]:
        """One fact's tests in `when`. A fact with no test is written `any`, never `{}`."""
        where = f"when.{alias}"
        if isinstance(conds, str):
            if not ANY.match(conds):
                raise ConditionError(
                    where,
                    f"{conds!r}: a fact's tests are a mapping, or `any` (`any <fact type>`) "
                    "for any fact of its type",
                )
            return ()
        if not conds:
            raise ConditionError(where, f"no test: write `{alias}: any` for any such fact")
        return parser.tests(alias, conds, where)

    def combined(
        self, parser: Parser, conds: dict[str, dict[str, Any]] | None, where: str
    ) -> Condition | None:
        """`unless` or `except.when`: tests on one or more of the rule's facts, all of which
        hold (the fact type is set in when only)."""
        if not conds:
            return None
        tests: list[Condition] = []
        for alias, mapping in conds.items():
            if isinstance(mapping, dict) and "fact" in mapping:
                raise ConditionError(f"{where}.{alias}.fact", "the fact type is set in when only")
            if isinstance(mapping, dict) and not mapping:
                raise ConditionError(f"{where}.{alias}", "no test: give at least one")
            tests += parser.tests(alias, mapping, f"{where}.{alias}")
        return all_of(tests)

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
        if due.timetable is not None:
            if due.or_every_sessions is None:
                raise self.fail(f"{where}.timetable: only with or_every_sessions")
            self.ref(due.timetable, f"{where}.timetable")
        if due.first_session is not None:
            if form != "before":
                raise self.fail(f"{where}.first_session: only with before")
            self.ref(due.first_session, f"{where}.first_session", want_date=True)
        if form in ("at", "before"):
            ref = due.at if form == "at" else due.before
            assert ref is not None
            self.ref(ref, f"{where}.{form}", want_date=True)
            if form == "before" and due.not_before is not None:
                raise self.fail(f"{where}.not_before: not with before")
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
        if due.not_before is not None:
            if due.recurring:
                raise self.fail(f"{where}.not_before: only with a one-off deadline")
            self.ref(due.not_before, f"{where}.not_before", want_date=True)
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
        if rule.kind == "requirement" and (
            rule.due is None or (rule.due.at is None and rule.due.before is None)
        ):
            raise self.fail(
                "requirement: needs `due: {at: alias.field}` (or `before:`), the day it is breached"
            )
        if rule.kind in UNGRADED_KINDS and (rule.due or rule.met_by or rule.except_):
            raise self.fail(f"{rule.kind}: takes no due, except or met_by")
        if rule.where_possible and rule.kind != "obligation":
            raise self.fail(
                f"where_possible: only an obligation may follow the where_possible_means "
                f"switch (kind is {rule.kind})"
            )
        if rule.due is not None:
            self.deadline(rule.due, "due")
        if rule.except_ is not None:
            if rule.due is None:
                raise self.fail("except: needs a due to make an exception to")
            self.deadline(rule.except_.due, "except.due")
            if rule.due.recurring or rule.except_.due.recurring:
                raise self.fail("except: not with a recurring deadline")
            if rule.except_.cites is not None:
                self.quote(rule.except_.cites.clause, rule.except_.cites.says, "except.cites")

    def met_by(self, met_by: MetBy) -> None:
        if met_by.fact not in FACT_TYPES:
            raise self.fail(f"met_by.fact: unknown fact type {met_by.fact!r}")
        fact_type = FACT_TYPES[met_by.fact]
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


def _yaml(text: str, file: str) -> Any:
    try:
        return textfiles.parse_yaml(text, dates=True)  # date constants
    except textfiles.YamlError as exc:
        raise RuleFileError(file, f"not valid YAML: {exc}") from None


def _rule_file(data: Any, file: str) -> RuleFile:
    if not isinstance(data, dict):
        raise RuleFileError(file, "a rule file is a mapping with section, title and rules")
    raw_rules = data.get("rules") or []
    if not isinstance(raw_rules, list):
        raise RuleFileError(file, "rules: a list of rules (each a mapping: id, kind, when, ...)")
    rule_ids = [r.get("id") if isinstance(r, dict) else None for r in raw_rules]
    rule_ids = [r if isinstance(r, str) else None for r in rule_ids]
    try:
        return RuleFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = list(first["loc"])
        rule_id = None
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
            rule_id = rule_ids[loc[1]] if loc[1] < len(rule_ids) else None
            loc = loc[2:]
        # pydantic names the branch of a union it tried (`dict[str,any]`): not a key of the file
        where = ".".join(str(p) for p in loc if not (isinstance(p, str) and "[" in p)) or "(rule)"
        raise RuleFileError(file, f"{where}: {first['msg']}", rule_id) from None


def _check_file(
    parsed: RuleFile, file: str, policy: Policy, terms: Vocabulary
) -> dict[str, RuleConditions]:
    conditions: dict[str, RuleConditions] = {}
    for rule in parsed.rules:
        if rule.section != parsed.section:
            raise RuleFileError(
                file, f"clause {rule.clause} is not in section {parsed.section}", rule.id
            )
        conditions[rule.id] = rule._conditions = _Checker(file, rule, policy, terms).check()
    for item in parsed.not_checkable:
        if not policy.has_clause(item.clause):
            raise RuleFileError(file, f"not_checkable: unknown clause id {item.clause!r}")
        if not policy.quotes(item.clause, item.says):
            raise RuleFileError(
                file, f"not_checkable: quote not found verbatim in clause {item.clause}"
            )
    return conditions


def parse_rule_file(text: str, file: str, policy: Policy | None = None) -> RuleFile:
    """Parse and check one rule file's YAML text (with the bundled vocabulary of terms and the
    file's own). `file` names it in errors."""
    policy = policy or load_policy()
    parsed = _rule_file(_yaml(text, file), file)
    terms = vocabulary([*_bundled_terms(), *definitions(parsed.terms, file)])
    _check_file(parsed, file, policy, terms)
    return parsed


def load_rulebook(paths: Iterable[str | Path] | None = None, *, gaps: bool = False) -> RuleBook:
    """Load rule files: the bundled `rules/` (via importlib.resources) or the given paths.

    With `gaps`, the bundled statutory gap rules (`rules/gaps/`: where the law asks more than
    the policy) are added; they are off by default. The bundled vocabulary of terms
    (`rules/terms.yaml`) is always loaded; a given path named `terms.yaml` adds to it.
    """
    if paths is None:
        return _bundled_rulebook(gaps)
    files = [(str(p), _read_rule_file(p)) for p in paths]
    return _build(files + (_bundled_files("gaps") if gaps else []))


def _read_rule_file(path: str | Path) -> str:
    """A rule file's text (UTF-8, a byte-order mark dropped); bytes that are not UTF-8, or a
    file that cannot be read (missing, a folder, no permission), are a `RuleFileError` naming
    the file (and the byte offset)."""
    try:
        return textfiles.read_text(path)
    except NotUtf8Error as exc:
        raise RuleFileError(str(path), exc.reason) from None
    except OSError as exc:
        raise RuleFileError(str(path), f"cannot read the rule file ({exc.strerror})") from None


def _bundled_files(folder: str | None = None) -> list[tuple[str, str]]:
    root = resources.files("apcompliance.rules")
    where = "rules"
    if folder is not None:
        root, where = root / folder, f"rules/{folder}"
    entries = sorted(
        (e for e in root.iterdir() if e.name.endswith(".yaml") and e.name != TERMS_FILE),
        key=lambda e: e.name,
    )
    return [(f"{where}/{e.name}", e.read_text(encoding="utf-8")) for e in entries]


@functools.cache
def _bundled_terms_text() -> str:
    return (resources.files("apcompliance.rules") / TERMS_FILE).read_text(encoding="utf-8")


@functools.cache
def _bundled_terms() -> tuple[TermDefinition, ...]:
    file = f"rules/{TERMS_FILE}"
    return tuple(parse_terms_file(_yaml(_bundled_terms_text(), file), file))


@functools.cache
def _bundled_rulebook(gaps: bool = False) -> RuleBook:
    return _build(_bundled_files() + (_bundled_files("gaps") if gaps else []))


def _build(files: list[tuple[str, str]]) -> RuleBook:
    """The rule book of `files` (name and text of each), from the user's cache when it holds
    the book of these very texts (`usercache`: the key names every input), else checked."""
    texts = (text for file in files for text in file)
    entry = usercache.key(
        "rulebook", PYDANTIC_VERSION, _bundled_terms_text(), policy_text(), *texts
    )
    cached = usercache.read(entry)
    if cached is not None:
        try:
            book = pickle.loads(cached)  # the user's own folder (usercache)
        except Exception:  # an entry that cannot be read is checked again
            book = None
        if isinstance(book, RuleBook):
            return book
    book = _check_files(files)
    usercache.write(entry, pickle.dumps(book, protocol=pickle.HIGHEST_PROTOCOL))
    return book


def _check_files(files: list[tuple[str, str]]) -> RuleBook:
    policy = load_policy()
    found: list[TermDefinition] = list(_bundled_terms())
    parsed: list[tuple[str, RuleFile]] = []
    for name, text in files:
        data = _yaml(text, name)
        if Path(name).name == TERMS_FILE:
            if text != _bundled_terms_text():  # the bundled vocabulary is always loaded
                found += parse_terms_file(data, name)
            continue
        rule_file = _rule_file(data, name)
        found += definitions(rule_file.terms, name)
        parsed.append((name, rule_file))
    terms = vocabulary(found)
    conditions: dict[str, RuleConditions] = {}
    seen: dict[str, str] = {}
    for name, rule_file in parsed:
        for rule in rule_file.rules:
            if rule.id in seen:
                raise RuleFileError(name, f"duplicate rule id (also in {seen[rule.id]})", rule.id)
            seen[rule.id] = name
        conditions.update(_check_file(rule_file, name, policy, terms))
    book = RuleBook(files=tuple(parsed))
    book._conditions = conditions
    book._terms = terms
    return book


__all__ = [
    "CADENCES",
    "DEADLINE_FORMS",
    "GRADED_KINDS",
    "MET_BY_ALIAS",
    "REF",
    "UNGRADED_KINDS",
    "Deadline",
    "DeadlineException",
    "LawCitation",
    "LawQuote",
    "MetBy",
    "NotCheckable",
    "PolicyQuote",
    "Rule",
    "RuleBook",
    "RuleFile",
    "StatuteCitation",
    "Tier",
    "load_rulebook",
    "parse_rule_file",
]
