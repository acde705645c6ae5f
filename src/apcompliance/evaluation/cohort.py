"""Cohorts: assess many cases (a Trust's whole AP cohort) in one pass, streaming the results.

    from apcompliance.evaluation.cohort import CohortSummary, evaluate_many, read_jsonl

    summary = CohortSummary()
    for result in evaluate_many(read_jsonl("cohort.jsonl"), as_of=day, calendar=cal):
        summary.add(result)
        if result.error:
            print(result.error)          # "line 3: not valid JSON (...)"

`evaluate_many` takes any iterable of cases: `Case` objects, JSON texts, mappings (rows of a
DataFrame via `df.to_dict("records")`) or `(line, item)` pairs such as `read_jsonl` yields. It
yields one `CaseResult` per item, in input order, as soon as it is ready. A bad item (invalid
JSON, a case that fails validation, a date outside the calendar) becomes a result with an
`error` naming its line and, when known, its case id; the other cases are assessed as usual.
With `processes > 1` the cases are assessed in worker processes, each with its own evaluator;
the results still come in input order.

Nothing here prints; errors never carry pupil data (at most the case id and line number).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import math
import os
import pickle
import signal
import sys
import textwrap
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import islice
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from apcompliance import textfiles
from apcompliance.calendar.school_calendar import SchoolCalendar
from apcompliance.errors import ApComplianceError, DuplicateKeyError, EngineUnavailableError
from apcompliance.evaluation.evaluator import (
    EngineChoice,
    Evaluator,
    default_evaluator,
    require_evaluation_date,
)
from apcompliance.facts import Case, problems
from apcompliance.facts._base import is_identifier
from apcompliance.interruption import serve_parent
from apcompliance.jsontext import validate_json
from apcompliance.language.rulebook import load_rulebook
from apcompliance.policy.settings import PolicySettings
from apcompliance.results.assessment import Assessment
from apcompliance.results.data import AssessmentData, compliance_rate

__all__ = [
    "DEFAULT_CASE_TIMEOUT",
    "CaseCounts",
    "CaseResult",
    "CohortSummary",
    "evaluate_many",
    "read_jsonl",
    "validation_problems",
]

MAX_PROCESSES = 64
"""The most worker processes `evaluate_many` starts (`check-many --processes`): each builds its
own evaluator, and past a few per CPU more only crowd the machine. More is refused (a
`ValueError`; exit status 2 at the command line); `processes=None` is one per CPU, at most
this many."""

VIOLATION_ORDER: tuple[str, ...] = ("overdue", "late", "breached")
"""The violation statuses (`findings.VIOLATION_STATUSES`), in the order the summary shows them."""


@dataclass(frozen=True)
class CaseResult:
    """The outcome for one item of a cohort: an assessment, or an error naming the item.

    `line` is the item's line in the JSON Lines file (when the input came from `read_jsonl`, or
    as `(line, item)` pairs), otherwise its 1-based position in the input. `case_id` is None
    only when the item was too broken to tell it.
    """

    line: int
    case_id: str | None
    assessment: Assessment | None = None
    error: str | None = None
    rendered: object = None
    """What `evaluate_many(..., render=f)` made of the assessment: `f(assessment)`, computed
    where the case was assessed (in the worker process, with `processes` > 1). With
    `assessments=False` it is all the result carries: `assessment` is then None."""

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def label(self) -> str:
        """`case EX-1 (line 3)`, or `line 3` when the case id is unknown."""
        return f"case {self.case_id} (line {self.line})" if self.case_id else f"line {self.line}"


def read_jsonl(source: str | os.PathLike[str] | IO[bytes]) -> Iterator[tuple[int, str]]:
    """The non-blank lines of a JSON Lines file as (line number, text), numbered from 1.

    `source` is a path, or a file open in binary (such as `sys.stdin.buffer`, named by its
    `name`), read once, a line at a time. The text is UTF-8, a leading byte-order mark dropped;
    a byte that is not UTF-8 raises `NotUtf8Error` naming the file, the byte offset and the
    line (the lines before it have been yielded). Raises `ApComplianceError` naming the file
    if it cannot be read, or if it holds no case ("no cases in cohort.jsonl": it is empty, or
    every line is blank; a school system that exported nothing should be noticed).
    """
    if not isinstance(source, (str, os.PathLike)):
        yield from _nonblank(source, str(getattr(source, "name", "<stream>")))
        return
    try:
        with Path(source).open("rb") as handle:
            yield from _nonblank(handle, os.fspath(source))
    except OSError as exc:
        raise ApComplianceError(f"{os.fspath(source)}: cannot read ({exc.strerror})") from None


def _nonblank(handle: IO[bytes], name: str) -> Iterator[tuple[int, str]]:
    found = False
    for number, text in textfiles.lines(handle, name):
        if stripped := text.strip():
            found = True
            yield number, stripped
    if not found:
        raise ApComplianceError(f"no cases in {name}: the file is empty or every line is blank")


def validation_problems(exc: ValidationError) -> str:
    """A case's validation errors as `field.path: problem; ...` (`facts.problems`: never an
    input value, at most ten problems)."""
    return problems.validation_problems(exc, Case)


# --- one item -----------------------------------------------------------------------------------

_Item = Case | str


def _jsonable(value: object) -> object:
    """json.dumps fallback for rows from a DataFrame: dates, numpy values, tuples, sets."""
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, (tuple, set, frozenset)):
        return list(value)
    tolist = getattr(value, "tolist", None)  # numpy scalars and arrays
    if callable(tolist):
        return tolist()
    isoformat = getattr(value, "isoformat", None)  # pandas Timestamp and the like
    if callable(isoformat):
        return isoformat()
    raise TypeError(f"cannot be written as JSON: {type(value).__name__}")


def _missing(value: object) -> bool:
    """None or NaN: how a DataFrame row marks a column this case does not have."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def _case_id_of(data: object) -> str | None:
    """The item's case id, if it is a valid one (an invalid one is never shown: it may be
    anything, a pupil's name included; the line number names the item instead)."""
    if isinstance(data, dict):
        case_id = data.get("case_id")
        if is_identifier(case_id):
            return str(case_id)
    return None


def _prepare(line: int, item: object) -> _Item | CaseResult:
    """Turn an input item into a Case or JSON text (cheap, picklable), or an error result."""
    if isinstance(item, Case):
        return item
    if isinstance(item, (bytes, bytearray)):
        try:
            return bytes(item).decode("utf-8")
        except UnicodeDecodeError:
            return CaseResult(line, None, error=f"line {line}: not UTF-8 text")
    if isinstance(item, str):
        return item
    if isinstance(item, dict) or hasattr(item, "keys"):
        # A DataFrame row has every column: a field a case leaves out is None or NaN there.
        data = {k: v for k, v in dict(item).items() if not _missing(v)}  # type: ignore[call-overload]
        try:
            return json.dumps(data, default=_jsonable, ensure_ascii=False)
        except (TypeError, ValueError) as exc:
            where = CaseResult(line, _case_id_of(data)).label
            return CaseResult(line, _case_id_of(data), error=f"{where}: {exc}")
    return CaseResult(
        line,
        None,
        error=f"line {line}: expected a case (a Case, JSON text or a mapping), "
        f"got {type(item).__name__}",
    )


def _parse(line: int, item: _Item) -> Case | CaseResult:
    if isinstance(item, Case):
        return item
    try:  # the usual case, parsed once; a line that fails is parsed again to say why
        return validate_json(Case, item)
    except (ValidationError, DuplicateKeyError):
        pass
    try:
        data = textfiles.load_json(item)
    except json.JSONDecodeError as exc:
        return CaseResult(
            line, None, error=f"line {line}: not valid JSON ({exc.msg} at column {exc.colno})"
        )
    case_id = _case_id_of(data)
    where = CaseResult(line, case_id).label
    if not isinstance(data, dict):
        return CaseResult(
            line, None, error=f"{where}: expected a JSON object (a case), got {type(data).__name__}"
        )
    try:
        return validate_json(Case, item)
    except DuplicateKeyError as exc:
        return CaseResult(line, case_id, error=f"{where}: invalid case: {exc}")
    except ValidationError as exc:
        return CaseResult(line, case_id, error=f"{where}: invalid case: {validation_problems(exc)}")


@dataclass(frozen=True)
class _Job:
    as_of: date
    calendar: SchoolCalendar
    settings: PolicySettings | None
    render: Callable[[Assessment], object] | None = None
    case_timeout: float | None = None
    assessments: bool = True
    """Whether the results keep their assessments (False: `rendered` only)."""


DEFAULT_CASE_TIMEOUT = 120.0
"""`check-many --case-timeout`'s default, in seconds: far beyond any realistic case (a pupil
with 10,000 records is assessed in a few seconds; docs/performance.md)."""


class _OutOfTime(Exception):
    """Raised in the assessing thread when a case's time is up (`_case_clock`)."""


def alarm_usable() -> bool:
    """Whether this thread can be interrupted by SIGALRM (POSIX, and the main thread only)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def _case_clock(seconds: float | None) -> Iterator[list[bool]]:
    """Interrupt the block with `_OutOfTime` after `seconds` (None, or where SIGALRM cannot be
    used: no limit). Yields a flag, true once the time was up, so the caller can tell a
    timeout from an error the interruption became on its way out."""
    expired = [False]
    if seconds is None or not alarm_usable():
        yield expired
        return

    def out_of_time(signum: int, frame: object) -> None:
        expired[0] = True
        raise _OutOfTime

    hook = sys.unraisablehook

    def quiet(unraisable: Any) -> None:  # raised in a finaliser: never a traceback
        if not isinstance(unraisable.exc_value, _OutOfTime):
            hook(unraisable)

    previous = signal.signal(signal.SIGALRM, out_of_time)
    sys.unraisablehook = quiet
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield expired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        sys.unraisablehook = hook


def _assess(evaluator: Evaluator, job: _Job, line: int, item: _Item | CaseResult) -> CaseResult:
    if isinstance(item, CaseResult):
        return item
    case = _parse(line, item)
    if isinstance(case, CaseResult):
        return case
    where = CaseResult(line, case.case_id).label
    try:
        with _case_clock(job.case_timeout) as expired:
            try:
                assessment = evaluator.evaluate(
                    case, as_of=job.as_of, calendar=job.calendar, settings=job.settings
                )
            except Exception:
                if expired[0]:  # the interruption, whatever the engine made of it
                    raise _OutOfTime from None
                raise
            if expired[0]:  # interrupted where an exception is ignored (a finaliser)
                raise _OutOfTime
    except _OutOfTime:
        return CaseResult(
            line, case.case_id, error=f"{where}: not assessed within {job.case_timeout:g} s"
        )
    except EngineUnavailableError:
        raise  # not about this case: nothing can be assessed
    except ApComplianceError as exc:
        message = str(exc).removeprefix(f"case {case.case_id}: ")
        return CaseResult(line, case.case_id, error=f"{where}: {message}")
    except Exception as exc:  # a bug: report it for this case, keep going with the rest
        return CaseResult(
            line,
            case.case_id,
            error=f"{where}: unexpected {type(exc).__name__} (a bug in apcompliance; "
            "run `apcompliance check` on this case alone for the details)",
        )
    if job.render is None:
        return CaseResult(line, case.case_id, assessment=assessment)
    rendered = job.render(assessment)
    kept = assessment if job.assessments else None
    return CaseResult(line, case.case_id, assessment=kept, rendered=rendered)


# --- batches, in worker processes or any executor -------------------------------------------------


class _Work:
    """What a worker needs to assess a batch, sent with every batch and cheap to send again.

    Where the batches run in this process (threads) nothing is pickled: the caller's
    evaluator and job are used as they are (`here`). Pickled (once, however many batches),
    it is the rule book (the bundled one by name, a Trust's own whole) with the engine
    choice, and the job, each as bytes; a worker unpickles each only the first time it
    meets it, keeping the evaluator (an engine does not pickle: each process builds its
    own) and the job (`_worker_state`)."""

    book: bytes
    book_key: tuple[str, bool, str]
    job: bytes
    job_key: str

    def __init__(self, evaluator: Evaluator | None, job: _Job) -> None:
        self.here: tuple[Evaluator | None, _Job] | None = (evaluator, job)
        self._sent: dict[str, object] | None = None

    def __getstate__(self) -> dict[str, object]:
        if self._sent is None:
            assert self.here is not None
            evaluator, job = self.here
            identity = evaluator.book_identity if evaluator is not None else None
            engine: EngineChoice = evaluator.engine_choice if evaluator is not None else "auto"
            bundled = identity is None or identity.name in ("rules", "rules+gaps")
            book = None if bundled or evaluator is None else evaluator.book
            gaps = identity is not None and identity.name == "rules+gaps"
            pickled = pickle.dumps(job, pickle.HIGHEST_PROTOCOL)
            self._sent = {
                "book": pickle.dumps((book, gaps, engine), pickle.HIGHEST_PROTOCOL),
                "book_key": (identity.digest if identity is not None else "rules", gaps, engine),
                "job": pickled,
                "job_key": hashlib.sha256(pickled).hexdigest(),
            }
        return self._sent

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        # pickled again as it is (Dask may copy a task through pickle before sending it on)
        self.here, self._sent = None, dict(state)


_WORKER_CACHE = 4
"""The evaluators (and jobs) a worker keeps: a worker of a Dask cluster serves many runs."""
_worker_lock = threading.Lock()
_worker_pid: int | None = None
_evaluators: dict[tuple[str, bool, str], Evaluator] = {}
_jobs: dict[str, _Job] = {}


def _worker_state(work: _Work) -> tuple[Evaluator, _Job]:
    """This process's evaluator and job for `work`, made the first time (once, whichever
    thread asks first). A forked process makes its own: an engine is not shared."""
    global _worker_pid
    if work.here is not None:  # the calling process: its evaluator is shared by threads
        own, own_job = work.here
        return own or default_evaluator(), own_job
    with _worker_lock:
        if _worker_pid != os.getpid():
            _evaluators.clear()
            _jobs.clear()
            _worker_pid = os.getpid()
        evaluator = _evaluators.get(work.book_key)
        if evaluator is None:
            book, gaps, engine = pickle.loads(work.book)
            if book is None:
                book = load_rulebook(gaps=True) if gaps else None
            evaluator = Evaluator(book, engine=engine)
            _remember(_evaluators, work.book_key, evaluator)
        job = _jobs.get(work.job_key)
        if job is None:
            job = pickle.loads(work.job)
            _remember(_jobs, work.job_key, job)
        assert job is not None
        return evaluator, job


def _remember(cache: dict[Any, Any], key: object, value: object) -> None:
    while len(cache) >= _WORKER_CACHE:
        del cache[next(iter(cache))]
    cache[key] = value


def _assess_batch(work: _Work, batch: list[tuple[int, _Item | CaseResult]]) -> list[CaseResult]:
    """Assess a batch of cases where it was sent (a worker process, a thread, a Dask worker)."""
    evaluator, job = _worker_state(work)
    return [_assess(evaluator, job, line, item) for line, item in batch]


def _numbered(cases: Iterable[object]) -> Iterator[tuple[int, _Item | CaseResult]]:
    for position, item in enumerate(cases, start=1):
        line, payload = position, item
        if (
            isinstance(item, tuple)
            and len(item) == 2
            and isinstance(item[0], int)
            and not isinstance(item[0], bool)
        ):
            line, payload = item
        yield line, _prepare(line, payload)


def evaluate_many(
    cases: Iterable[object],
    *,
    as_of: date,
    calendar: SchoolCalendar,
    settings: PolicySettings | None = None,
    processes: int | None = 1,
    evaluator: Evaluator | None = None,
    chunksize: int = 16,
    render: Callable[[Assessment], object] | None = None,
    case_timeout: float | None = None,
    assessments: bool = True,
    executor: Executor | None = None,
    in_flight: int | None = None,
) -> Iterator[CaseResult]:
    """Assess every case of a cohort as of `as_of` on `calendar`; yield results in input order.

    `cases` may hold `Case` objects, JSON texts (str or bytes), mappings, or `(line, item)`
    pairs of those (as `read_jsonl` yields). A bad item yields a `CaseResult` whose `error`
    names its line (and case id when known) and never stops the rest.

    `processes` > 1 (at most `MAX_PROCESSES`; None: one per CPU) assesses chunks of `chunksize`
    cases in that many worker
    processes, each building its own evaluator from `evaluator.book` (default: the bundled
    rules). At most two chunks per process are in flight, so a long input is streamed, not
    loaded whole. The workers end with the results (or at once, killed, when the generator is
    closed early or an exception, such as `KeyboardInterrupt`, stops it); they ignore SIGINT,
    leaving it to the caller, and die with the calling process even if it is killed.
    `evaluator` defaults to the bundled rules' shared evaluator.

    `render`, a module-level function (it is sent to the worker processes), is called on each
    assessment where it is made, its result kept as `CaseResult.rendered`: output work such as
    iCalendar events (`ical.deadline_events_ical`) is then shared by the workers instead of
    left to the caller's process. With `assessments=False` the results carry only what
    `render` made (`assessment` is None): the assessments never leave the worker processes,
    whose results are then as small as what the caller needs (`check-many` renders its JSON
    line, calendar events, table rows and summary counts there: `outputs.rendered`).

    `executor`, any `concurrent.futures.Executor` (a thread or process pool, a Dask
    `distributed.Client.get_executor()`, ...), assesses the batches of `chunksize` cases
    instead (with `processes` left at 1): each worker builds its own evaluator from the rule
    book (sent as the bundled book's name, or pickled once) and keeps it for the next batch;
    the results still come in input order, with at most `in_flight` batches sent and not yet
    read (default: twice the executor's workers where it tells, else twice the CPUs). The
    executor is the caller's: it is not shut down, and batches not yet started are
    cancelled when the generator is closed early.

    `case_timeout` (seconds; None: no limit) bounds each case: one not assessed in that time
    yields an error result, "case X (line N): not assessed within S s", and the rest go on.
    The case is interrupted by SIGALRM where it is assessed (POSIX): in the worker process,
    or with `processes=1` in the calling thread when it is the main thread, otherwise in one
    worker process. Where SIGALRM does not exist (Windows), or with an `executor` whose
    workers run the batches outside a main thread (threads, Dask), there is no limit.
    """
    if processes is None:
        processes = min(os.cpu_count() or 1, MAX_PROCESSES)
    if not isinstance(processes, int) or not 1 <= processes <= MAX_PROCESSES:
        raise ValueError(
            f"processes must be an integer from 1 to {MAX_PROCESSES}, or None; got {processes!r}"
        )
    if not isinstance(chunksize, int) or chunksize < 1:
        raise ValueError(f"chunksize must be an integer >= 1, got {chunksize!r}")
    seconds = isinstance(case_timeout, (int, float)) and not isinstance(case_timeout, bool)
    if case_timeout is not None and not (
        seconds and math.isfinite(case_timeout) and case_timeout > 0
    ):
        raise ValueError(f"case_timeout must be a number of seconds > 0, got {case_timeout!r}")
    if not assessments and render is None:
        raise ValueError("assessments=False needs a render: the results would carry nothing")
    require_evaluation_date(as_of, calendar)  # once, not for every case
    job = _Job(as_of, calendar, settings, render, case_timeout, assessments)
    if in_flight is not None and (not isinstance(in_flight, int) or in_flight < 1):
        raise ValueError(f"in_flight must be an integer >= 1, got {in_flight!r}")
    if executor is not None:
        if processes != 1:
            raise ValueError("give processes or an executor, not both")
        workers = getattr(executor, "_max_workers", None) or os.cpu_count() or 1
        batches = _batches(cases, job, evaluator, executor, chunksize, in_flight or 2 * workers)
        return _once_each(batches)
    if processes == 1 and (case_timeout is None or alarm_usable()):
        return _once_each(_serial(cases, job, evaluator))
    return _once_each(_parallel(cases, job, evaluator, processes, chunksize))


def _once_each(results: Iterator[CaseResult]) -> Iterator[CaseResult]:
    """Each case id once: a later line with a case id already seen (in a result, assessed or
    not) is an error naming both lines, so two pupils' findings never merge under one id."""
    first_line: dict[str, int] = {}
    for result in results:
        case_id = result.case_id
        if case_id is None:
            yield result
            continue
        first = first_line.setdefault(case_id, result.line)
        if first == result.line or not result.ok:
            yield result
            continue
        yield CaseResult(
            result.line,
            case_id,
            error=f"{result.label}: the same case_id as line {first}: a cohort lists each "
            "case once (this line is left out)",
        )


def _serial(
    cases: Iterable[object], job: _Job, evaluator: Evaluator | None
) -> Iterator[CaseResult]:
    chosen = evaluator or default_evaluator()
    for line, item in _numbered(cases):
        yield _assess(chosen, job, line, item)


def _parallel(
    cases: Iterable[object],
    job: _Job,
    evaluator: Evaluator | None,
    processes: int,
    chunksize: int,
) -> Iterator[CaseResult]:
    """`processes` worker processes of our own, fed batches as any executor is (`_batches`).
    They leave stopping to this process and die with it (`interruption.serve_parent`)."""
    pool = ProcessPoolExecutor(
        max_workers=processes, initializer=serve_parent, initargs=(os.getpid(),)
    )
    try:
        end = functools.partial(_end_workers, pool)
        yield from _batches(cases, job, evaluator, pool, chunksize, 2 * processes, stop=end)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _batches(
    cases: Iterable[object],
    job: _Job,
    evaluator: Evaluator | None,
    executor: Executor,
    chunksize: int,
    in_flight: int,
    stop: Callable[[], None] | None = None,
) -> Iterator[CaseResult]:
    """The cases sent to `executor` in batches of `chunksize`, at most `in_flight` batches
    at a time (a long input is streamed); the results in input order. When the caller
    stops early (an error, an interruption, or it stopped reading), `stop()` ends our own
    pool at once; a caller's executor has its batches not yet started cancelled instead."""
    numbered = _numbered(cases)
    work = _Work(evaluator, job)
    sent: deque[Future[list[CaseResult]]] = deque()
    finished = False
    try:
        while batch := list(islice(numbered, chunksize)):
            sent.append(executor.submit(_assess_batch, work, batch))
            if len(sent) >= in_flight:
                yield from sent.popleft().result()
        while sent:
            yield from sent.popleft().result()
        finished = True
    finally:
        if not finished and stop is not None:
            stop()  # not a cancel first: a pool broken then fails on the cancelled futures
        elif not finished:
            for future in sent:
                future.cancel()


def _end_workers(pool: ProcessPoolExecutor) -> None:
    """End the pool's worker processes at once (SIGKILL), without waiting for the cases they
    are assessing: their results are no longer wanted, and a worker may be stuck in C code
    (durable-rules) where nothing else reaches it. The pool is broken afterwards."""
    kill = getattr(pool, "kill_workers", None)  # Python 3.14
    if kill is not None:
        kill()
        return
    # Do not wait for the thread feeding cases to the workers (a full pipe nobody will read).
    calls = getattr(pool, "_call_queue", None)
    if calls is not None:
        with contextlib.suppress(Exception):
            calls.cancel_join_thread()
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(Exception):  # already ended
            process.kill()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=5)
    # A worker killed while sending a result can leave half a message in the results pipe,
    # and the pool's manager thread then waits for the rest for ever (seen on Python 3.10:
    # `shutdown`, and the interpreter's exit, join that thread). With every worker gone, the
    # parent's own end is the last writer: closing it ends the wait (end of file), the thread
    # marks the pool broken and ends.
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    if writer is not None:
        with contextlib.suppress(Exception):
            writer.close()


# --- the summary ----------------------------------------------------------------------------------


def _tally() -> dict[str, Counter[str]]:
    return {}


@dataclass(frozen=True)
class CaseCounts:
    """What `CohortSummary` counts of one assessment: small and picklable, so that a worker
    process sends it instead of the assessment (`evaluate_many(..., assessments=False)`)."""

    case_id: str
    statuses: tuple[tuple[str, int], ...]
    """Status -> findings of every kind."""
    met: tuple[tuple[str, int], ...]
    """Section letter -> obligations and requirements met."""
    violations: tuple[tuple[str, str, str], ...]
    """Each violation's (section, duty holder, status), in the findings' order."""

    @classmethod
    def of(cls, assessment: AssessmentData[Any]) -> CaseCounts:
        return cls(
            case_id=assessment.case_id,
            statuses=tuple(Counter(f.status for f in assessment.findings).items()),
            met=tuple(Counter(f.section for f in assessment.findings if f.is_met_duty).items()),
            violations=tuple((f.section, f.duty_holder, f.status) for f in assessment.violations),
        )


@dataclass
class CohortSummary:
    """Counts over a cohort's results: cases, errors, and violations (overdue, late and
    breached obligations and requirements) by section, by duty holder and by case; duties met
    (obligations and requirements) by section, for a compliance rate (met against met and
    violated: `compliance_rate`); and every finding by status.

    Build it as results stream (`summary.add(result)`) or at once (`CohortSummary.of(results)`).
    """

    cases: int = 0
    """Items seen, good and bad."""
    assessed: int = 0
    errors: int = 0
    cases_with_violations: int = 0
    violations: int = 0
    """Violations in all cases."""
    by_section: dict[str, Counter[str]] = field(default_factory=_tally)
    """Section letter -> {"overdue": n, "late": n, "breached": n}."""
    by_duty_holder: dict[str, Counter[str]] = field(default_factory=_tally)
    by_case: dict[str, Counter[str]] = field(default_factory=_tally)
    """Case id -> violation counts, for the cases with violations."""
    error_messages: list[str] = field(default_factory=list)
    met: int = 0
    """Obligations and requirements met, in all cases."""
    met_by_section: Counter[str] = field(default_factory=Counter)
    """Section letter -> obligations and requirements met."""
    by_status: Counter[str] = field(default_factory=Counter)
    """Status -> findings of every kind, in all cases."""

    @classmethod
    def of(cls, results: Iterable[CaseResult]) -> CohortSummary:
        summary = cls()
        for result in results:
            summary.add(result)
        return summary

    def add(self, result: CaseResult, counts: CaseCounts | None = None) -> None:
        """One case's result; `counts` are its counts where the result carries no assessment
        (made where it was assessed, `CaseCounts.of`), by default those of its assessment."""
        self.cases += 1
        if counts is None and result.assessment is not None:
            counts = CaseCounts.of(result.assessment)
        if result.error is not None or counts is None:
            self.errors += 1
            self.error_messages.append(result.error or result.label)
            return
        self.assessed += 1
        self.by_status.update(dict(counts.statuses))
        for section, met in counts.met:
            self.met += met
            self.met_by_section[section] += met
        if not counts.violations:
            return
        self.cases_with_violations += 1
        self.violations += len(counts.violations)
        per_case = self.by_case.setdefault(counts.case_id, Counter())
        for section, duty_holder, status in counts.violations:
            self.by_section.setdefault(section, Counter())[status] += 1
            self.by_duty_holder.setdefault(duty_holder, Counter())[status] += 1
            per_case[status] += 1

    def compliance_rate(self, section: str | None = None) -> float | None:
        """Duties met against duties met or violated (of `section`, or of all), from 0 to 1;
        None where there are neither."""
        if section is None:
            met, violated = self.met, self.violations
        else:
            met = self.met_by_section[section]
            violated = sum(self.by_section.get(section, Counter()).values())
        return compliance_rate(met, violated)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready), tables sorted by key."""

        def table(rows: dict[str, Counter[str]]) -> dict[str, dict[str, int]]:
            return {key: {s: rows[key][s] for s in VIOLATION_ORDER} for key in sorted(rows)}

        return {
            "cases": self.cases,
            "assessed": self.assessed,
            "errors": self.errors,
            "cases_with_violations": self.cases_with_violations,
            "violations": self.violations,
            "by_section": table(self.by_section),
            "by_duty_holder": table(self.by_duty_holder),
            "by_case": table(self.by_case),
            "error_messages": list(self.error_messages),
            "met": self.met,
            "met_by_section": {k: self.met_by_section[k] for k in sorted(self.met_by_section)},
            "by_status": {k: self.by_status[k] for k in sorted(self.by_status)},
        }

    def to_text(
        self, *, section_titles: dict[str, str] | None = None, max_errors: int | None = 20
    ) -> str:
        """The summary as tables: by section (with titles, when given), by duty holder, by
        case; each with overdue, late, breached and total columns, the sections also with
        the duties met and the compliance rate (met / (met + violated)); then the first
        `max_errors` error messages (None: all)."""
        lines = [
            f"{self.cases} case(s): {self.assessed} assessed, {self.errors} error(s); "
            f"{self.cases_with_violations} with violations, {self.violations} violation(s) "
            "in all",
        ]
        rate = self.compliance_rate()
        if rate is not None:
            lines.append(
                f"{self.met} duties met, {self.violations} violated: "
                f"compliance rate {_percent(rate)}"
            )
        if self.by_status:
            statuses = sorted(self.by_status.items(), key=lambda kv: (-kv[1], kv[0]))
            counts = ", ".join(f"{n} {s}" for s, n in statuses)
            lines.append(
                textwrap.fill(f"findings by status: {counts}", 100, subsequent_indent="  ")
            )
        titles = section_titles or {}
        tables = [
            (
                "section",
                {
                    k: f"{k}  {titles[k]}" if k in titles else k
                    for k in {*self.by_section, *self.met_by_section}
                },
                self.by_section,
                False,
            ),
            ("duty holder", {k: k for k in self.by_duty_holder}, self.by_duty_holder, True),
            ("case", {k: k for k in self.by_case}, self.by_case, True),
        ]
        longest = max(
            len(label) for _, labels, _, _ in tables for label in [*labels.values(), "duty holder"]
        )
        width = min(longest + 2, LABEL_WIDTH)
        for title, labels, rows, by_total in tables:
            met = self.met_by_section if title == "section" else None
            lines += _table(title, labels, rows, width=width, by_total=by_total, met=met)
        if self.error_messages:
            every = self.error_messages
            shown = every if max_errors is None else every[:max_errors]
            lines += ["", f"ERRORS ({self.errors})", *(f"  {m}" for m in shown)]
            if len(shown) < len(self.error_messages):
                lines.append(f"  ... and {len(self.error_messages) - len(shown)} more")
        return "\n".join(lines) + "\n"


LABEL_WIDTH = 48
"""The widest first column of the summary tables; longer labels (section titles) are cut."""


def _table(
    title: str,
    labels: dict[str, str],
    rows: dict[str, Counter[str]],
    *,
    width: int,
    by_total: bool,
    met: Counter[str] | None = None,
) -> list[str]:
    """Rows sorted by total, largest first (or by key), then by key; with `met`, also the
    rows it counts and two more columns: met, and the compliance rate."""
    keys = set(rows) | (set(met) if met is not None else set())
    if not keys:
        return []
    head = (
        f"{title.upper():<{width}}"
        + "".join(f"{s:>10}" for s in VIOLATION_ORDER)
        + f"{'total':>10}"
        + (f"{'met':>10}{'rate':>8}" if met is not None else "")
    )
    lines = ["", head]
    empty: Counter[str] = Counter()
    for key in sorted(keys, key=lambda k: (-sum(rows.get(k, empty).values()) * by_total, k)):
        label = labels[key]
        if len(label) > width - 2:
            label = label[: width - 3] + "…"
        counts = rows.get(key, empty)
        total = sum(counts.values())
        line = (
            f"{label:<{width}}"
            + "".join(f"{counts[s]:>10}" for s in VIOLATION_ORDER)
            + f"{total:>10}"
        )
        if met is not None:
            line += f"{met[key]:>10}{_percent(met[key] / (met[key] + total)):>8}"
        lines.append(line)
    return lines


def _percent(rate: float) -> str:
    """A rate as a whole percentage, never rounded up to 100% (nor down to 0%) unless it is."""
    percent = min(max(round(rate * 100), 1 if rate > 0 else 0), 99 if rate < 1 else 100)
    return f"{percent}%"
