"""durable-rules' firings for hand-made rule sets, in a worker process of their own.

durable-rules fails some cases by corrupting its memory: deleting a session in which it
rejected a batch aborts the process. So the cases run in a worker forked from a server that
has imported this module and nothing else of the test run (the "forkserver" start method): no
case inherits the test process's heap, and a worker that saw a case fail or crash is not used
again. Each case's engine is closed before its answer is returned, so a crash while freeing a
case's memory is that case's crash.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from apcompliance.compiler import CompiledRules
from apcompliance.engine import Engine
from apcompliance.errors import EngineError

TIMEOUT = 120
"""Seconds a case may take."""

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload([__name__])
_worker: list[ProcessPoolExecutor] = []


def firings(engine: Any, facts: list[dict[str, Any]]) -> Any:
    """(engine rule, facts) of every firing, sorted; or "error" where the engine failed."""
    try:
        return sorted({(m.engine_rule, m.facts) for m in engine.run(facts, "C")})
    except EngineError:
        return "error"


def _silence() -> None:
    faulthandler.disable()  # should it crash, say nothing: the parent reports it
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)


def _run(compiled: CompiledRules, facts: list[dict[str, Any]]) -> Any:
    engine = Engine(compiled)
    try:
        return firings(engine, facts)
    finally:
        engine.close()


def durable_firings(compiled: CompiledRules, facts: list[dict[str, Any]]) -> Any:
    """durable-rules' firings; "error" where it failed the case; "crash" where it took its
    process down."""
    if not _worker:
        _worker.append(ProcessPoolExecutor(1, mp_context=_CONTEXT, initializer=_silence))
    try:
        result = _worker[0].submit(_run, compiled, facts).result(timeout=TIMEOUT)
    except BrokenProcessPool:
        result = "crash"
    if result in ("error", "crash"):
        _worker.pop().shutdown(wait=True)
    return result
