"""Beyond one machine (issue 20, point 6): `evaluate_many(..., executor=...)` with any
`concurrent.futures` executor, and `check-many --dask SCHEDULER` on a Dask cluster, give what
the serial run gives, in input order, errors with their line numbers."""

from __future__ import annotations

import json
import pickle
import sys
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from apcompliance.cli import main
from apcompliance.evaluation import clusters, cohort
from apcompliance.evaluation.cohort import evaluate_many
from apcompliance.evaluation.evaluator import Evaluator, gaps_evaluator
from apcompliance.language.rulebook import load_rulebook
from benchmarks.cohort import DEFAULT_AS_OF, generate
from tests.scenarios import CAL

CALENDAR = str(resources.files("apcompliance") / "data/calendars/example-la-2025-26.yaml")
RULES = Path(__file__).resolve().parents[1] / "rules"  # the repository's, installed or not


def _cohort(n: int) -> list[str]:
    """`n` benchmark cases, with a line that is not JSON, an invalid case and a repeated case
    id among them."""
    lines = [json.dumps(c) for c in generate(n, seed=0)]
    lines[3] = "{not json"
    lines[7] = '{"case_id": "BAD-7", "pupil": {"year_group": "ten"}}'
    lines[11] = lines[10]
    return lines


LINES = _cohort(24)


def _summary(results: list[cohort.CaseResult]) -> list[tuple[int, str | None, str | None, str]]:
    return [
        (r.line, r.case_id, r.error, r.assessment.to_json() if r.assessment else "")
        for r in results
    ]


@pytest.fixture(scope="module")
def serial() -> list[cohort.CaseResult]:
    return list(evaluate_many(LINES, as_of=DEFAULT_AS_OF, calendar=CAL))


@pytest.mark.parametrize("pool", [ThreadPoolExecutor, ProcessPoolExecutor])
def test_any_executor_gives_the_serial_results_in_input_order(serial, pool):
    with pool(max_workers=2) as executor:
        results = list(
            evaluate_many(LINES, as_of=DEFAULT_AS_OF, calendar=CAL, executor=executor, chunksize=5)
        )
    assert _summary(results) == _summary(serial)
    assert [r.line for r in results] == list(range(1, len(LINES) + 1))
    errors = {r.line: r.error for r in results if not r.ok}
    assert sorted(errors) == [4, 8, 12]
    assert errors[4] is not None and errors[4].startswith("line 4: not valid JSON")
    assert errors[12] is not None and "the same case_id as line 11" in errors[12]


class _Counting(ThreadPoolExecutor):
    """A thread pool that records how many batches were sent and not yet done at once."""

    def __init__(self) -> None:
        super().__init__(max_workers=1)
        self.most = 0
        self.open: set[object] = set()

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def,override]
        future = super().submit(fn, *args, **kwargs)
        self.open.add(future)
        self.most = max(self.most, len(self.open))
        future.add_done_callback(self.open.discard)
        return future


def test_batches_in_flight_are_bounded_so_a_long_input_streams():
    read = 0

    def endless() -> Iterator[str]:
        nonlocal read
        while True:
            read += 1
            yield LINES[0].replace(json.loads(LINES[0])["case_id"], f"C-{read}")

    with _Counting() as executor:
        results = evaluate_many(
            endless(),
            as_of=DEFAULT_AS_OF,
            calendar=CAL,
            executor=executor,
            chunksize=2,
            in_flight=3,
        )
        first = [next(results) for _ in range(5)]
        results.close()
        assert [r.line for r in first] == [1, 2, 3, 4, 5]
        assert read <= 6 + 3 * 2  # the batches read from, and three more in flight at most
        assert executor.most <= 3


def test_a_trusts_own_rule_book_is_sent_to_the_workers(serial):
    """A custom book is pickled once and built into an evaluator in each worker process; a
    bundled one (here with the gap rules) is named, and loaded there."""
    own = Evaluator(load_rulebook([RULES / "I-suspension-provision.yaml"]), engine="python")
    assert own.book_identity.name == "custom"
    for evaluator in (own, gaps_evaluator()):
        want = list(
            evaluate_many(LINES[:6], as_of=DEFAULT_AS_OF, calendar=CAL, evaluator=evaluator)
        )
        with ProcessPoolExecutor(max_workers=2) as executor:
            got = list(
                evaluate_many(
                    LINES[:6],
                    as_of=DEFAULT_AS_OF,
                    calendar=CAL,
                    evaluator=evaluator,
                    executor=executor,
                    chunksize=2,
                )
            )
        assert _summary(got) == _summary(want)
        sections = {f.section for r in got if r.assessment for f in r.assessment.findings}
        assert (sections == {"I"}) == (evaluator is own)


def test_a_batch_pickled_again_after_a_copy_carries_the_same_work():
    """Dask may copy a task through pickle before sending it on: the copy pickles as the
    original did (it once raised in the client, and the run waited for ever)."""
    work = cohort._Work(None, cohort._Job(DEFAULT_AS_OF, CAL, None, None, None))
    sent = pickle.dumps(work)
    copy = pickle.loads(sent)
    assert pickle.dumps(copy) == sent
    assert copy.here is None and copy.book_key == ("rules", False, "auto")
    evaluator, job = cohort._worker_state(pickle.loads(pickle.dumps(copy)))
    assert job.as_of == DEFAULT_AS_OF and evaluator.engine_choice == "auto"


def test_processes_and_an_executor_are_not_both_given():
    with ThreadPoolExecutor(1) as executor, pytest.raises(ValueError, match="not both"):
        evaluate_many(LINES, as_of=date(2026, 1, 20), calendar=CAL, processes=2, executor=executor)


# --- check-many --dask -------------------------------------------------------------------------


def _check_many(cohort_file: Path, out: Path, *options: str) -> tuple[int, dict[str, bytes]]:
    out.mkdir()
    argv = ["check-many", str(cohort_file), "--as-of", DEFAULT_AS_OF.isoformat()]
    argv += ["--calendar", CALENDAR, "--quiet", "--ical", str(out / "all.ics")]
    argv += ["--csv", str(out / "findings.csv"), *options]
    stdout = sys.stdout
    with open(out / "out.jsonl", "w", encoding="utf-8") as printed:
        sys.stdout = printed
        try:
            status = main([*argv, "--json"])
            summary = out / "summary.txt"
            with open(summary, "w", encoding="utf-8") as text:
                sys.stdout = text
                main(argv)
        finally:
            sys.stdout = stdout
    return status, {p.name: p.read_bytes() for p in sorted(out.iterdir())}


@pytest.fixture(scope="module")
def dask_cluster() -> Iterator[str]:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


@pytest.mark.slow
def test_check_many_on_a_dask_cluster_writes_what_the_serial_run_writes(dask_cluster, tmp_path):
    cohort_file = tmp_path / "cohort.jsonl"
    cohort_file.write_text("\n".join(_cohort(60)) + "\n", encoding="utf-8")
    serial = _check_many(cohort_file, tmp_path / "serial")
    on_dask = _check_many(cohort_file, tmp_path / "dask", "--dask", dask_cluster)
    assert serial[0] == on_dask[0] == 2  # the bad lines
    assert on_dask[1] == serial[1]
    lines = serial[1]["out.jsonl"].decode().splitlines()
    assert [json.loads(lines[i]).get("line") for i in (3, 7, 11)] == [4, 8, 12]


@pytest.mark.slow
def test_evaluate_many_on_a_dask_executor_gives_the_serial_results(dask_cluster, serial):
    distributed = pytest.importorskip("distributed")
    with distributed.Client(dask_cluster, set_as_default=False) as client:
        executor: Executor = client.get_executor(pure=False)
        results = list(
            evaluate_many(LINES, as_of=DEFAULT_AS_OF, calendar=CAL, executor=executor, chunksize=4)
        )
    assert _summary(results) == _summary(serial)


def test_dask_not_installed_names_the_extra(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)
    cohort_file = tmp_path / "cohort.jsonl"
    cohort_file.write_text(LINES[0] + "\n", encoding="utf-8")
    argv = ["check-many", str(cohort_file), "--as-of", DEFAULT_AS_OF.isoformat()]
    assert main([*argv, "--calendar", CALENDAR, "--dask", "tcp://127.0.0.1:1"]) == 2
    assert "needs apcompliance[dask]" in capsys.readouterr().err


def test_a_scheduler_that_cannot_be_reached_is_named(monkeypatch, tmp_path, capsys):
    pytest.importorskip("distributed")
    monkeypatch.setattr(clusters, "DASK_CONNECT_TIMEOUT", 0.5)
    cohort_file = tmp_path / "cohort.jsonl"
    cohort_file.write_text(LINES[0] + "\n", encoding="utf-8")
    argv = ["check-many", str(cohort_file), "--as-of", DEFAULT_AS_OF.isoformat()]
    address = "tcp://127.0.0.1:9"
    assert main([*argv, "--calendar", CALENDAR, "--dask", address]) == 2
    err = capsys.readouterr().err
    assert f"apcompliance: error: cannot connect to the Dask scheduler at {address}" in err
    assert "Traceback" not in err
    assert main([*argv, "--calendar", CALENDAR, "--dask", address, "--processes", "2"]) == 2
    assert "--dask and --processes" in capsys.readouterr().err
