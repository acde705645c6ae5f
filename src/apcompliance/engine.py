"""The engine: the only module that imports durable-rules (see ENGINE-NOTES.md).

Each `Engine` owns a private host (no global `durable.lang` state) with its background
dispatcher timers never started, registers one ruleset under a unique name, and evaluates one
case at a time behind a lock, in one session that is deleted afterwards — so cases never mix,
the 1,024-session cap and sid hash collisions cannot be reached, and several threads may share
one engine. Exceptions inside actions are collected and re-raised to the caller.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from apcompliance.compiler import CATCH_ALL, CompiledRules
from apcompliance.errors import EngineError, EngineUnavailableError

try:  # durable-rules 2.0.28 compiles on CPython 3.13 but fails at import there.
    import durable_rules_engine
    from durable import engine as _durable
except ImportError as exc:  # pragma: no cover - exercised by tests that hide the module
    _durable = None
    durable_rules_engine = None
    _IMPORT_ERROR: ImportError | None = exc
else:
    _IMPORT_ERROR = None

ENGINE_NAME = "durable-rules 2.0.28"
_SESSION = "0"
_names = itertools.count(1)


@dataclass(frozen=True)
class Match:
    """One firing: the engine rule and the id of the fact bound to each alias."""

    engine_rule: str
    facts: tuple[tuple[str, str], ...]


def _require_durable() -> Any:
    if _durable is None:
        import sys

        raise EngineUnavailableError(
            f"durable-rules cannot be imported on Python {sys.version_info.major}."
            f"{sys.version_info.minor} ({_IMPORT_ERROR}); it runs on CPython 3.10-3.12. "
            'Use engine="python" or "auto" (see docs/python-versions.md)'
        )
    return _durable


def _quiet_host_class() -> type:
    durable = _require_durable()

    class QuietHost(durable.Host):  # type: ignore[name-defined]
        """A host whose two self-re-arming dispatcher timer threads never start."""

        def _run(self) -> None:
            return None

    return QuietHost


def _free(rulesets: list[Any]) -> None:
    for ruleset in rulesets:
        with contextlib.suppress(Exception):
            durable_rules_engine.delete_ruleset(ruleset._handle)


class Engine:
    """A compiled rule book registered on a private durable-rules host."""

    def __init__(self, compiled: CompiledRules) -> None:
        self._compiled = compiled
        self._lock = threading.Lock()
        self._matches: list[Match] = []
        self._errors: list[tuple[str, BaseException]] = []
        self._register()

    def _register(self) -> None:
        """Register the rules on a new host under a new name (ENGINE-NOTES: global state)."""
        self.name = f"apcompliance_{next(_names)}"
        definition = copy.deepcopy(self._compiled.definition)
        for rule_name, body in definition.items():
            body["run"] = self._action(rule_name)
        self._host = _quiet_host_class()()
        self._host.register_rulesets({self.name: definition})
        self._finalizer = weakref.finalize(self, _free, list(self._host._ruleset_list))

    def _abandon(self) -> None:
        """Give up this host after durable-rules rejected a batch, and register afresh.

        After a rejection (error 311: a join met a missing field) durable-rules' session
        state is corrupt: deleting it, or the ruleset, aborts the process (`free(): invalid
        pointer`). So neither is touched again; the ruleset's memory is left allocated.
        Loaded rule files cannot cause this (the loader accepts only joins the engine
        evaluates cleanly); a hand-built `CompiledRules` can."""
        self._finalizer.detach()
        self._register()

    def _action(self, rule_name: str) -> Callable[[Any], None]:
        if rule_name == CATCH_ALL:

            def ignore(c: Any) -> None:
                return None

            return ignore
        aliases = self._compiled.engine_rules[rule_name].aliases

        def record(c: Any) -> None:
            try:
                ids = tuple((alias, str(getattr(c, alias)["id"])) for alias in aliases)
                self._matches.append(Match(rule_name, ids))
            except BaseException as exc:  # surfaced by run(); durable would swallow it
                self._errors.append((rule_name, exc))

        return record

    def run(self, facts: list[dict[str, Any]], case_id: str) -> list[Match]:
        """Assert one case's facts in a fresh session; return every firing."""
        batch = [{**fact, "sid": _SESSION} for fact in facts]
        with self._lock:
            self._matches, self._errors = [], []
            try:
                if batch:
                    self._host.assert_facts(self.name, batch)
            except Exception as exc:
                self._abandon()
                raise EngineError(
                    f"case {case_id}: the rule engine failed ({type(exc).__name__})"
                ) from None
            self._delete_session(case_id)
            if self._errors:
                rule_name, error = self._errors[0]
                rule_id = self._compiled.engine_rules[rule_name].rule_id
                raise EngineError(
                    f"case {case_id}: rule {rule_id} failed in the engine: {type(error).__name__}"
                ) from error
            return list(self._matches)

    def _delete_session(self, case_id: str) -> None:
        try:
            self._host.delete_state(self.name, _SESSION)
        except Exception as exc:
            raise EngineError(
                f"case {case_id}: the engine could not clear the case's session "
                f"({type(exc).__name__}); discard this engine"
            ) from None

    def close(self) -> None:
        """Free the engine's C ruleset now rather than at garbage collection."""
        self._finalizer()
