"""evaluate(): a case, a date and a calendar in; an Assessment out."""

from __future__ import annotations

import functools
import threading
from datetime import date, timedelta
from typing import Literal, Protocol, get_args

from apcompliance.calendar.school_calendar import SchoolCalendar
from apcompliance.engines.compiler import CompiledRules, compile_rulebook
from apcompliance.engines.network import Firing, NetworkEngine
from apcompliance.engines.python import PYTHON_ENGINE_NAME, PythonEngine
from apcompliance.errors import CalendarError, EngineError, EngineUnavailableError
from apcompliance.evaluation.derive import derive, derive_policy
from apcompliance.evaluation.judge import RulePlans, judge
from apcompliance.facts import Case
from apcompliance.facts.vocabulary import EngineFact
from apcompliance.language.rulebook import RuleBook, load_rulebook
from apcompliance.language.semantics import Context
from apcompliance.policy.settings import PolicySettings
from apcompliance.results.assessment import Assessment
from apcompliance.results.findings import Finding
from apcompliance.results.trace import BookIdentity, book_identity, make_trace

EngineChoice = Literal["auto", "durable", "python"]
"""Which engine evaluates the rule conditions: durable-rules, the plain-Python evaluator
(`apcompliance.engines.python`), or durable-rules where it can be imported and else the
Python one."""
ENGINE_CHOICES: tuple[str, ...] = get_args(EngineChoice)


class RuleEngine(Protocol):
    """What an evaluator needs of an engine (`matching.NetworkEngine`, `oracle.PythonEngine`)."""

    def firings(self, facts: list[EngineFact], case_id: str, ctx: Context) -> list[Firing]: ...

    def close(self) -> None: ...


AS_OF_MARGIN = timedelta(days=366)
"""How far outside its calendar an evaluation date may fall: a year. In the summer holiday, or
early in a school year whose calendar is not loaded yet, what the calendar dates is graded and
the rest is `undetermined` (docs/calendar.md, "Outside the calendar"); further out, the date or
the calendar is wrong (`--as-of 2030-01-01` with a 2025-26 calendar): a `CalendarError`."""


def require_evaluation_date(as_of: date, calendar: SchoolCalendar) -> None:
    """Refuse an evaluation date more than `AS_OF_MARGIN` outside the calendar, naming the
    date and the calendar's range."""
    if as_of > calendar.last_day + AS_OF_MARGIN:
        side, end = "after", "ends"
    elif as_of < calendar.first_day - AS_OF_MARGIN:
        side, end = "before", "begins"
    else:
        return
    raise CalendarError(
        f"the evaluation date {as_of.isoformat()} is more than a year {side} the calendar "
        f"{calendar.name!r} ({calendar.first_day.isoformat()}..{calendar.last_day.isoformat()}) "
        f"{end}: give the calendar of the school year it falls in"
    )


def _build_engine(compiled: CompiledRules, choice: str) -> tuple[RuleEngine, str]:
    if choice not in ENGINE_CHOICES:
        raise ValueError(f"engine must be one of {', '.join(ENGINE_CHOICES)}; got {choice!r}")
    if choice == "python":
        return PythonEngine(compiled), PYTHON_ENGINE_NAME
    try:
        engine = NetworkEngine(compiled)
        return engine, engine.name
    except (EngineUnavailableError, EngineError):  # not importable, or the book cannot be
        if choice == "durable":  # registered (about 600 rules: durable-rules' error 108)
            raise
        return PythonEngine(compiled), PYTHON_ENGINE_NAME


class Evaluator:
    """A rule book compiled onto its own engine. Build one per rule book; share it freely
    between threads (the engine serialises cases).

    `engine`: "durable" (durable-rules; EngineUnavailableError where it cannot be imported),
    "python" (the plain-Python evaluator of the same compiled conditions), or "auto" (the
    default: durable-rules where it imports and can register the book, else Python, as on
    CPython 3.13+ or for a book of about 600 rules or more). Both give the
    same findings (tests/test_oracle.py); `engine_name`, also every assessment's `engine`,
    names the one in use.
    """

    def __init__(self, book: RuleBook | None = None, *, engine: EngineChoice = "auto") -> None:
        self.book = book or load_rulebook()
        self.compiled: CompiledRules = compile_rulebook(self.book)
        self.engine_choice: EngineChoice = engine
        self.engine: RuleEngine
        self.engine, self.engine_name = _build_engine(self.compiled, engine)
        self._rule_order = {r.id: i for i, r in enumerate(self.book.rules)}
        self._plans = RulePlans(self.book)
        self.book_identity: BookIdentity = book_identity(self.book)
        """Which rule book every assessment's trace names (`trace.book_identity`)."""

    def _run(
        self,
        facts: list[EngineFact],
        case_id: str,
        calendar: SchoolCalendar | None = None,
        as_of: date | None = None,
    ) -> list[Firing]:
        """The rules that apply (or may) as of `as_of`, in rule-book order, then by the facts
        bound: the same order whichever engine found them and in whatever order (findings
        that sort equal keep it)."""
        firings = self.engine.firings(facts, case_id, Context(calendar, as_of))
        return sorted(firings, key=lambda m: (self._rule_order[m.rule_id], m.facts))

    def _judge(
        self,
        case_id: str,
        facts: list[EngineFact],
        firings: list[Firing],
        *,
        as_of: date,
        calendar: SchoolCalendar,
        settings: PolicySettings,
    ) -> list[Finding]:
        """Judge every firing; a calendar error names the case."""
        try:
            return judge(
                self.book,
                firings,
                facts,
                as_of=as_of,
                calendar=calendar,
                settings=settings,
                plans=self._plans,
            )
        except CalendarError as exc:
            raise CalendarError(f"case {case_id}: {exc}") from None

    def _assessment(
        self,
        case_id: str,
        facts: list[EngineFact],
        findings: list[Finding],
        *,
        as_of: date,
        calendar_name: str,
        settings: PolicySettings,
        calendar: SchoolCalendar | None = None,
    ) -> Assessment:
        return Assessment(
            case_id=case_id,
            as_of=as_of,
            calendar=calendar_name,
            engine=self.engine_name,
            readings=settings.readings(plain=True),
            findings=tuple(findings),
            trace=make_trace(facts, self.book_identity, calendar),
        )

    def evaluate(
        self,
        case: Case,
        *,
        as_of: date,
        calendar: SchoolCalendar,
        settings: PolicySettings | None = None,
    ) -> Assessment:
        """Assess one case: derive its facts, match the rules, judge each firing. (The steps
        are `derive`, `_run`, `_judge` and `_assessment`; benchmarks/run.py times each.)"""
        require_evaluation_date(as_of, calendar)
        settings = settings or PolicySettings()
        facts = derive(case, calendar, settings, as_of=as_of)
        firings = self._run(facts, case.case_id, calendar, as_of)
        findings = self._judge(
            case.case_id, facts, firings, as_of=as_of, calendar=calendar, settings=settings
        )
        return self._assessment(
            case.case_id,
            facts,
            findings,
            as_of=as_of,
            calendar_name=calendar.name,
            settings=settings,
            calendar=calendar,
        )

    def review_policy(self, *, as_of: date, settings: PolicySettings | None = None) -> Assessment:
        """Assess the policy itself (its formal review, R.1; references the law has overtaken,
        B and elsewhere) as of a date. No pupil is involved."""
        settings = settings or PolicySettings()
        calendar = SchoolCalendar.example()  # the policy's rules date nothing in school days
        facts = derive_policy(settings, as_of=as_of)
        firings = self._run(facts, POLICY_CASE_ID, calendar, as_of)
        findings = self._judge(
            POLICY_CASE_ID, facts, firings, as_of=as_of, calendar=calendar, settings=settings
        )
        return self._assessment(
            POLICY_CASE_ID,
            facts,
            findings,
            as_of=as_of,
            calendar_name="(none: the policy's own duties are in calendar dates)",
            settings=settings,
        )


POLICY_CASE_ID = "policy"

_lock = threading.Lock()


@functools.cache
def _shared(gaps: bool, engine: EngineChoice) -> Evaluator:
    return Evaluator(load_rulebook(gaps=True) if gaps else None, engine=engine)


def shared_evaluator(*, gaps: bool = False, engine: EngineChoice = "auto") -> Evaluator:
    """The evaluator of the bundled rules (and the statutory gap rules, `rules/gaps/`, with
    `gaps`) on `engine`, built once per process."""
    with _lock:
        return _shared(gaps, engine)


def default_evaluator() -> Evaluator:
    """The evaluator of the bundled rules, built once per process."""
    return shared_evaluator()


def gaps_evaluator() -> Evaluator:
    """The evaluator of the bundled rules and the statutory gap rules (`rules/gaps/`)."""
    return shared_evaluator(gaps=True)


def evaluate(
    case: Case,
    *,
    as_of: date,
    calendar: SchoolCalendar,
    settings: PolicySettings | None = None,
    engine: EngineChoice = "auto",
) -> Assessment:
    """Assess one case against the bundled rules as of `as_of` on `calendar` (`engine`: see
    `Evaluator`)."""
    return shared_evaluator(engine=engine).evaluate(
        case, as_of=as_of, calendar=calendar, settings=settings
    )
