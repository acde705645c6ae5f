"""evaluate(): a case, a date and a calendar in; an Assessment out."""

from __future__ import annotations

import functools
import threading
from datetime import date

from apcompliance.assessment import Assessment
from apcompliance.calendar import SchoolCalendar
from apcompliance.compiler import CompiledRules, compile_rulebook
from apcompliance.derive import derive, derive_policy
from apcompliance.engine import ENGINE_NAME, Engine
from apcompliance.errors import CalendarError
from apcompliance.facts import Case
from apcompliance.judge import judge
from apcompliance.rulebook import RuleBook, load_rulebook
from apcompliance.settings import PolicySettings


class Evaluator:
    """A rule book compiled onto its own engine. Build one per rule book; share it freely
    between threads (the engine serialises cases)."""

    def __init__(self, book: RuleBook | None = None) -> None:
        self.book = book or load_rulebook()
        self.compiled: CompiledRules = compile_rulebook(self.book)
        self.engine = Engine(self.compiled)

    def evaluate(
        self,
        case: Case,
        *,
        as_of: date,
        calendar: SchoolCalendar,
        settings: PolicySettings | None = None,
    ) -> Assessment:
        settings = settings or PolicySettings()
        facts = derive(case, calendar, settings, as_of=as_of)
        matches = self.engine.run([f.to_engine() for f in facts], case.case_id)
        try:
            findings = judge(
                self.book,
                self.compiled,
                matches,
                facts,
                as_of=as_of,
                calendar=calendar,
                settings=settings,
            )
        except CalendarError as exc:
            raise CalendarError(f"case {case.case_id}: {exc}") from None
        assessment = Assessment(
            case_id=case.case_id,
            as_of=as_of,
            calendar=calendar.name,
            engine=ENGINE_NAME,
            readings=settings.readings(),
            findings=tuple(findings),
        )
        assessment._keep_context(facts, self.book)  # for why_not and explain; not serialised
        return assessment

    def review_policy(self, *, as_of: date, settings: PolicySettings | None = None) -> Assessment:
        """Assess the policy itself (its formal review, R.1; references the law has overtaken,
        B and elsewhere) as of a date. No pupil is involved."""
        settings = settings or PolicySettings()
        calendar = SchoolCalendar.example()  # the policy's rules date nothing in school days
        facts = derive_policy(settings, as_of=as_of)
        matches = self.engine.run([f.to_engine() for f in facts], POLICY_CASE_ID)
        findings = judge(
            self.book,
            self.compiled,
            matches,
            facts,
            as_of=as_of,
            calendar=calendar,
            settings=settings,
        )
        assessment = Assessment(
            case_id=POLICY_CASE_ID,
            as_of=as_of,
            calendar="(none: the policy's own duties are in calendar dates)",
            engine=ENGINE_NAME,
            readings=settings.readings(),
            findings=tuple(findings),
        )
        assessment._keep_context(facts, self.book)
        return assessment


POLICY_CASE_ID = "policy"

_lock = threading.Lock()


@functools.cache
def _default() -> Evaluator:
    return Evaluator()


def default_evaluator() -> Evaluator:
    """The evaluator of the bundled rules, built once per process."""
    with _lock:
        return _default()


@functools.cache
def _with_gaps() -> Evaluator:
    return Evaluator(load_rulebook(gaps=True))


def gaps_evaluator() -> Evaluator:
    """The evaluator of the bundled rules and the statutory gap rules (`rules/gaps/`)."""
    with _lock:
        return _with_gaps()


def evaluate(
    case: Case,
    *,
    as_of: date,
    calendar: SchoolCalendar,
    settings: PolicySettings | None = None,
) -> Assessment:
    """Assess one case against the bundled rules as of `as_of` on `calendar`."""
    return default_evaluator().evaluate(case, as_of=as_of, calendar=calendar, settings=settings)
