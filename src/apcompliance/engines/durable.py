"""The engine: the only module that imports durable-rules (see ENGINE-NOTES.md).

Each `Engine` registers one ruleset under a unique name directly on durable-rules' C core
(`durable_rules_engine`), without its Python host: no global `durable.lang` state, no
dispatcher threads, and none of the host's per-firing work (a context object and the session
state serialised to JSON after every action, which cost more than the matching itself;
docs/performance.md). It evaluates one case at a time behind a lock, in one session that is
deleted afterwards — so cases never mix, the 1,024-session cap and sid hash collisions cannot
be reached, and several threads may share one engine. It drives the C core as the host's
`assert_facts` does (assert the batch, then take each action and complete it), and raises
every error to the caller instead of swallowing it.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import threading
import weakref
from dataclasses import dataclass
from typing import Any

from apcompliance.engines.compiler import CATCH_ALL, CompiledRules
from apcompliance.errors import EngineError, EngineUnavailableError

try:  # durable-rules 2.0.28 compiles on CPython 3.13 but fails at import there.
    import durable_rules_engine as _durable
except ImportError as exc:  # pragma: no cover - exercised by tests that hide the module
    _durable = None
    _IMPORT_ERROR: ImportError | None = exc
else:
    _IMPORT_ERROR = None

ENGINE_NAME = "durable-rules 2.0.28"
_names = itertools.count(1)
_SESSION = "0"
_ERROR_CODE = re.compile(r"error code: (\d+)")
_CORE_ERRORS = {
    101: "out of memory",
    108: "more rules than it allows",
    113: "a condition with more expressions than it allows",
    302: "a fact with too many fields",
    303: "a fact that reaches too many tests at once",
    311: "a join that met a missing field",
}
"""durable-rules' error codes (src/rules/rules.h) a user can meet, in words."""
_CATCH_ALL_MESSAGE = f'{{"{CATCH_ALL}":'
"""How the C core's message for a firing of the catch-all begins."""
_NOT_HANDLED, _OBSERVED = 1, 2
"""`assert_facts` status codes: a fact no rule reads; a fact seen before (a duplicate id)."""


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


def _failure(exc: BaseException) -> str:
    """What durable-rules' exception means, in words, with its error code where it gives one
    (its own message is never the only text: "Could not create ruleset, error code: 113")."""
    found = _ERROR_CODE.search(str(exc))
    if found is None:
        return type(exc).__name__
    code = int(found.group(1))
    return f"{_CORE_ERRORS.get(code, 'an internal error')}: durable-rules error {code}"


def _free(handle: int) -> None:
    with contextlib.suppress(Exception):
        _durable.delete_ruleset(handle)


_Bound = tuple[str, tuple[tuple[str, str], ...]]
"""A firing read off durable-rules' message: the engine rule, and (alias, fact id) for each
alias."""
_ID_AFTER_TYPE = '", "id": "'


def _heads(aliases: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """How each alias's fact begins in a message: the C core echoes each fact as `run` sent
    it, its type and id first, with `json.dumps`' spacing (`"placement":{"t": "placement",
    "id": "PL-1", …}`)."""
    return tuple((alias, f'"{alias}":{{"t": "') for alias in aliases)


def _bound_ids(message: str, heads: dict[str, tuple[tuple[str, str], ...]]) -> _Bound | None:
    """The firing in `message` read without parsing its JSON, or None where the message is
    not in the form expected (then `_bound_ids_json` reads it): the rule's name first, then
    each alias's fact (`_heads`) in the order of `when`. A quote inside a JSON string is
    escaped and a string is never followed by a letter, so a head can only be found at an
    alias's fact, and an id is read to its closing quote (one with a backslash is not read
    here)."""
    if not message.startswith('{"'):
        return None
    at = message.find('"', 2)
    rule_name = message[2:at]
    expected = heads.get(rule_name)
    if expected is None:
        return None
    found: list[tuple[str, str]] = []
    for alias, head in expected:
        at = message.find(head, at)
        if at < 0:
            return None
        at += len(head)
        sep = message.find(_ID_AFTER_TYPE, at)
        if sep < 0 or '"' in message[at:sep]:
            return None
        at = sep + len(_ID_AFTER_TYPE)
        close = message.find('"', at)
        fact_id = message[at:close]
        if close < 0 or "\\" in fact_id:
            return None
        found.append((alias, fact_id))
        at = close
    return rule_name, tuple(found)


def _bound_ids_json(message: str, aliases: dict[str, tuple[str, ...]]) -> _Bound | None:
    """The firing in `message` (None for the firing of a rule no policy rule stands for)."""
    ((rule_name, bound),) = json.loads(message).items()
    expected = aliases.get(rule_name)
    if expected is None:
        return None
    try:
        return rule_name, tuple((a, str(bound[a]["id"])) for a in expected)
    except Exception as exc:
        raise _RuleFailed(rule_name, exc) from exc


class _RuleFailed(Exception):
    def __init__(self, rule_name: str, error: BaseException) -> None:
        self.rule_name, self.error = rule_name, error


class Engine:
    """A compiled rule book registered on durable-rules' C core."""

    def __init__(self, compiled: CompiledRules) -> None:
        self._core = _require_durable()
        self._compiled = compiled
        self._lock = threading.Lock()
        self._aliases = {
            name: rule.aliases for name, rule in compiled.engine_rules.items()
        }  # the catch-all has none: its firings are not matches
        self._heads = {name: _heads(aliases) for name, aliases in self._aliases.items()}
        self._definition = json.dumps(compiled.definition, ensure_ascii=False)
        self._register()

    def _register(self) -> None:
        """Register the rules under a new name (ENGINE-NOTES: names are global)."""
        self.name = f"apcompliance_{next(_names)}"
        try:
            self._handle = self._core.create_ruleset(self.name, self._definition)
        except Exception as exc:  # the compiler sends only shapes it accepts: a hand-built set
            raise EngineError(
                f"durable-rules cannot register the rules ({_failure(exc)}); "
                'use engine="python" or "auto" (which then runs them in Python)'
            ) from None
        self._finalizer = weakref.finalize(self, _free, self._handle)

    def _abandon(self) -> None:
        """Give up this ruleset after durable-rules rejected a batch, and register afresh.

        After a rejection (error 311: a join met a missing field; or a fact no rule reads, or
        a duplicate fact id) durable-rules' session state is corrupt: deleting it, or the
        ruleset, aborts the process (`free(): invalid pointer`). So neither is touched again;
        the ruleset's memory is left allocated (about 4.7 MB for the bundled rules; leaving
        only the session and going on in a new one saves little: about 3.3 MB). So `run`
        refuses before the engine sees them what it can: a fact without an id or a type,
        duplicate ids, a value JSON cannot carry; and loaded rule files over the facts
        `derive` makes cannot cause the rest (the loader accepts only joins the engine
        evaluates cleanly, and bounds the shapes: `compiler.MAX_NETWORK_TESTS_PER_TYPE`). A
        hand-built `CompiledRules` can."""
        self._finalizer.detach()
        self._register()

    def run(self, facts: list[dict[str, Any]], case_id: str) -> list[Match]:
        """Assert one case's facts in a fresh session; return every firing."""
        if not facts:
            return []
        if len({fact.get("id") for fact in facts}) < len(facts):
            raise EngineError(f"case {case_id}: the rule engine failed (duplicate fact id)")
        if not all(isinstance(f.get("id"), str) and isinstance(f.get("t"), str) for f in facts):
            raise EngineError(f"case {case_id}: the rule engine failed (a fact with no id or type)")
        with self._lock:
            try:
                batch = json.dumps(
                    [{**fact, "sid": _SESSION} for fact in facts], ensure_ascii=False
                )
            except (TypeError, ValueError) as exc:
                raise EngineError(
                    f"case {case_id}: the rule engine failed (a value it cannot take: "
                    f"{type(exc).__name__})"
                ) from None
            try:
                status, state = self._core.assert_facts(self._handle, batch)
            except Exception as exc:
                self._abandon()
                raise EngineError(
                    f"case {case_id}: the rule engine failed ({_failure(exc)})"
                ) from None
            if status in (_NOT_HANDLED, _OBSERVED):
                self._abandon()  # deleting this session aborts the process
                why = "a fact no rule reads" if status == _NOT_HANDLED else "duplicate fact id"
                raise EngineError(f"case {case_id}: the rule engine failed ({why})")
            try:
                matches = self._firings(state)
            except Exception as exc:
                self._core.abandon_action(self._handle, state)
                self._delete_session(case_id)
                if isinstance(exc, _RuleFailed):
                    rule_id = self._compiled.engine_rules[exc.rule_name].rule_id
                    raise EngineError(
                        f"case {case_id}: rule {rule_id} failed in the engine: "
                        f"{type(exc.error).__name__}"
                    ) from exc.error
                raise EngineError(
                    f"case {case_id}: the rule engine failed ({_failure(exc)})"
                ) from exc
            self._delete_session(case_id)
            return matches

    def _firings(self, state: int) -> list[Match]:
        """Take every action the batch made ready, as the host's `do_actions` does, and
        complete it; record the facts each rule's firing bound, each binding once.

        durable-rules makes one path through its network for each alternative of an `$or`
        (`any_of`) and fires once for each that holds: a fact for which two alternatives hold
        fires the rule twice with the same facts (I.1-looked-after-first-day on the bundled
        suspension example). A firing is a rule and the facts bound, so the second is dropped
        here, and both engines give the same firings (tests/test_engine_shapes.py)."""
        matches: list[Match] = []
        seen: set[_Bound] = set()
        ready = self._core.start_action_for_state(self._handle, state)
        message = ready[1] if ready else None
        while message:
            if message.startswith(_CATCH_ALL_MESSAGE):  # one per fact: not a match
                message = self._core.complete_and_start_action(self._handle, state)
                continue
            found = _bound_ids(message, self._heads)
            if found is None:  # not in the form the fast reading knows: read the JSON
                found = _bound_ids_json(message, self._aliases)
            if found is not None and found not in seen:
                seen.add(found)
                try:  # the action of this rule's firing
                    matches.append(Match(*found))
                except Exception as exc:
                    raise _RuleFailed(found[0], exc) from exc
            message = self._core.complete_and_start_action(self._handle, state)
        return matches

    def _delete_session(self, case_id: str) -> None:
        try:
            self._core.delete_state(self._handle, _SESSION)
        except Exception as exc:
            raise EngineError(
                f"case {case_id}: the engine could not clear the case's session "
                f"({type(exc).__name__}); discard this engine"
            ) from None

    def close(self) -> None:
        """Free the engine's C ruleset now rather than at garbage collection."""
        self._finalizer()
