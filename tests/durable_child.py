"""The durable-rules engine's firings for hand-made rule books, in a worker process of their own.

durable-rules is C, and where it fails it can fail by corrupting its memory: deleting a session
in which it rejected a batch aborts the process. So the cases of the differential tests
(tests/test_oracle.py) run in a worker forked from a server that has imported this module and
nothing else of the test run (the "forkserver" start method): no case inherits the test
process's heap, and a worker that saw a case fail or crash is not used again. Each case's engine
is closed before its answer is returned, so a crash while freeing a case's memory is that case's
crash.

The worker runs the whole durable engine, `matching.NetworkEngine`: durable-rules' network,
then each rule's residual tests in Python, exactly as an `Evaluator(engine="durable")` does.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from apcompliance.engines.compiler import CompiledRules
from apcompliance.engines.network import NetworkEngine
from apcompliance.errors import EngineError
from apcompliance.facts.vocabulary import EngineFact
from apcompliance.language.semantics import Context

TIMEOUT = 120
"""Seconds a case may take."""

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload([__name__])
_worker: list[ProcessPoolExecutor] = []

Fired = tuple[str, tuple[tuple[str, str], ...], bool, tuple[Any, ...]]
"""A firing as compared: rule id, (alias, fact id) bound, known, what is missing (sorted)."""


def firings(engine: Any, facts: list[EngineFact], ctx: Context) -> list[Fired] | str:
    """Every firing of `engine` (either engine: `NetworkEngine` or `oracle.PythonEngine`) over
    one case's facts, sorted; or "error" where the engine failed the case."""
    try:
        found = engine.firings(facts, "C", ctx)
    except EngineError:
        return "error"
    return sorted((f.rule_id, f.facts, f.known, tuple(sorted(f.missing))) for f in found)


def _silence() -> None:
    faulthandler.disable()  # should it crash, say nothing: the parent reports it
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)


def _run(compiled: CompiledRules, facts: list[EngineFact], ctx: Context) -> list[Fired] | str:
    engine = NetworkEngine(compiled)
    try:
        return firings(engine, facts, ctx)
    finally:
        engine.close()


def durable_firings(
    compiled: CompiledRules, facts: list[EngineFact], ctx: Context
) -> list[Fired] | str:
    """The durable engine's firings; "error" where it failed the case; "crash" where it took
    its process down."""
    if not _worker:
        _worker.append(ProcessPoolExecutor(1, mp_context=_CONTEXT, initializer=_silence))
    try:
        result = _worker[0].submit(_run, compiled, facts, ctx).result(timeout=TIMEOUT)
    except BrokenProcessPool:
        result = "crash"
    if result in ("error", "crash"):
        _worker.pop().shutdown(wait=True)
    return result
