"""Clean shutdown (issue 19, point 5): a command told to stop ends its workers, removes its
temporary files, leaves the previous outputs as they were, prints no traceback and exits with
128 + the signal's number; a parent killed outright leaves no worker behind.

The kill tests run `python -m apcompliance check-many` on a generated cohort (the benchmark
generator, 400 cases: several seconds of work for two workers) in its own process group, with
an `out.ics` from an earlier run, and stop it once both workers exist. Processes are found with
psutil where it is installed, else in /proc.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from apcompliance.cli import main
from apcompliance.interruption import Interrupted, stopping_on_signals
from apcompliance.outputs import atomic
from apcompliance.outputs.atomic import AtomicFile
from benchmarks.cohort import generate, write_jsonl
from tests.test_cohort import CALENDAR
from tests.test_importing import EXPORT

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs POSIX signals")

CASES = 400
AS_OF = "2026-06-15"
PREVIOUS = b"BEGIN:VCALENDAR\r\nX-WR-CALNAME:the previous run\r\nEND:VCALENDAR\r\n"
ENDS_WITHIN = 20.0
"""Seconds allowed for every process to be gone (a loaded shared machine; usually < 2)."""


# --- processes ------------------------------------------------------------------------------------


def _proc_stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, process group) of `pid` from /proc, None if it is gone (or a zombie)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rpartition(")")[2].split()  # after the command name, which may hold spaces
    if fields[0] == "Z":
        return None
    return int(fields[1]), int(fields[2])


def _pids() -> Iterator[int]:
    return (int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit())


def children(pid: int) -> list[int]:
    """The live child processes of `pid`."""
    try:
        import psutil
    except ImportError:
        return [p for p in _pids() if (s := _proc_stat(p)) and s[0] == pid]
    try:
        kids = psutil.Process(pid).children()
    except psutil.NoSuchProcess:
        return []
    return [k.pid for k in kids if _alive(k.pid)]


def group(pgid: int) -> list[int]:
    """The live processes of process group `pgid`."""
    try:
        import psutil
    except ImportError:
        return [p for p in _pids() if (s := _proc_stat(p)) and s[1] == pgid]
    found = []
    for process in psutil.process_iter():
        try:
            if os.getpgid(process.pid) == pgid and _alive(process.pid):
                found.append(process.pid)
        except (ProcessLookupError, PermissionError):
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        import psutil
    except ImportError:
        return _proc_stat(pid) is not None
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def wait_until(condition, timeout: float = ENDS_WITHIN) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


# --- a real run, stopped ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cohort") / "big.jsonl"
    write_jsonl(path, generate(CASES, seed=0))
    return path


@pytest.fixture()
def start_run(big_cohort: Path, tmp_path: Path) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    """Starts the run in `tmp_path`; at the end, whatever the test found, nothing of the run's
    process group is left running."""
    started: list[int] = []

    def start() -> subprocess.Popen[bytes]:
        run = _start(tmp_path, big_cohort)
        started.append(run.pid)
        return run

    yield start
    for pgid in started:
        for pid in group(pgid):
            os.kill(pid, signal.SIGKILL)


def _sigint_as_from_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(folder: Path, cohort: Path) -> subprocess.Popen[bytes]:
    """`check-many --processes 2` writing out.ics (which holds an earlier run's calendar) and
    out.xlsx, in a new process group, its temporary files (openpyxl's) in `folder/tmp`."""
    (folder / "out.ics").write_bytes(PREVIOUS)
    (folder / "tmp").mkdir()
    env = {**os.environ, "TMPDIR": str(folder / "tmp")}
    command = [
        sys.executable, "-m", "apcompliance", "check-many", str(cohort), "--processes", "2",
        "--as-of", AS_OF, "--calendar", CALENDAR, "--ical", "out.ics", "--xlsx", "out.xlsx",
    ]  # fmt: skip
    run = subprocess.Popen(
        command,
        cwd=folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own session and process group, pgid == pid
        # as from a terminal: a background job of a script (CI's other Pythons run so) starts
        # with SIGINT ignored, and the command rightly keeps ignoring a signal ignored at start
        preexec_fn=_sigint_as_from_a_terminal,
    )
    if not wait_until(lambda: len(children(run.pid)) >= 2 or run.poll() is not None, 60):
        os.killpg(run.pid, signal.SIGKILL)
        pytest.fail("the workers never started")
    assert run.poll() is None, "the run ended before it could be stopped"
    time.sleep(0.3)  # well into the work: chunks in flight, files half written
    return run


def assert_left_clean(folder: Path, run: subprocess.Popen[bytes], workers: list[int]) -> None:
    assert wait_until(lambda: not group(run.pid) and not any(map(_alive, workers))), (
        f"still running: {group(run.pid)}, workers {[w for w in workers if _alive(w)]}"
    )
    assert (folder / "out.ics").read_bytes() == PREVIOUS
    assert not (folder / "out.xlsx").exists()
    assert sorted(p.name for p in folder.iterdir()) == ["out.ics", "tmp"]  # no .part
    run.wait(ENDS_WITHIN)


@pytest.mark.parametrize(
    ("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["TERM", "INT"]
)
@pytest.mark.parametrize("whole_group", [False, True], ids=["parent", "group"])
def test_a_stopped_run_ends_its_workers_and_leaves_the_previous_output(
    start_run, tmp_path, signum, status, whole_group
):
    """SIGTERM (`kill`) or SIGINT to the parent, or to the whole group (Ctrl-C in a terminal,
    `kill -- -PGID`, a service manager)."""
    run = start_run()
    workers = children(run.pid)
    if whole_group:
        os.killpg(run.pid, signum)
    else:
        os.kill(run.pid, signum)
    assert_left_clean(tmp_path, run, workers)
    assert run.returncode == status
    assert run.stderr is not None
    stderr = run.stderr.read().decode()
    assert "Traceback" not in stderr
    assert stderr.endswith(
        f"apcompliance: stopped by {signum.name}; files not finished were left as they were\n"
    )
    assert not list((tmp_path / "tmp").iterdir())  # openpyxl's sheets removed too


def test_a_parent_killed_outright_leaves_no_worker_and_no_file(start_run, tmp_path):
    """SIGKILL to the parent alone: the kernel ends the workers (PR_SET_PDEATHSIG on Linux;
    elsewhere they notice within a second). The temporary files have no name (O_TMPFILE),
    so nothing is left beside the outputs."""
    run = start_run()
    workers = children(run.pid)
    os.kill(run.pid, signal.SIGKILL)
    if not hasattr(os, "O_TMPFILE"):
        for part in tmp_path.glob(".*.part"):
            part.unlink()  # elsewhere a killed process cannot remove its named part files
    assert_left_clean(tmp_path, run, workers)
    assert run.returncode == -signal.SIGKILL
    assert run.stderr is not None
    assert "Traceback" not in run.stderr.read().decode()


WATCHED = textwrap.dedent(
    """
    import os, sys, time
    from concurrent.futures import ProcessPoolExecutor
    from apcompliance import interruption

    interruption._kill_me_with_my_parent = lambda: False  # as where prctl is absent

    def work(_):
        print(os.getpid(), flush=True)
        time.sleep(60)

    pool = ProcessPoolExecutor(1, initializer=interruption.serve_parent, initargs=(os.getpid(),))
    pool.submit(work, 0)
    time.sleep(60)
    """
)


def test_without_prctl_a_worker_ends_within_seconds_of_its_parent(tmp_path):
    run = subprocess.Popen(
        [sys.executable, "-c", WATCHED],
        stdout=subprocess.PIPE,
        start_new_session=True,
    )
    assert run.stdout is not None
    worker = int(run.stdout.readline())
    os.kill(run.pid, signal.SIGKILL)
    run.wait(ENDS_WITHIN)
    try:
        assert wait_until(lambda: not _alive(worker), 10)
    finally:
        if _alive(worker):
            os.kill(worker, signal.SIGKILL)


# --- in this process: the signal handlers, report and import ------------------------------------


def test_a_signal_within_the_block_raises_interrupted_and_the_handlers_come_back():
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(Interrupted) as stop, stopping_on_signals():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler runs at once
    assert (stop.value.name, stop.value.exit_status) == ("SIGTERM", 143)
    assert signal.getsignal(signal.SIGTERM) == before


def test_a_signal_ignored_at_the_start_stays_ignored():
    before = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        with stopping_on_signals():
            os.kill(os.getpid(), signal.SIGHUP)
            time.sleep(0.1)
            assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, before)


@pytest.fixture()
def terminated_while_finishing(monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGTERM arrives once a file is written whole, just before it replaces the target."""
    finish = AtomicFile.finish

    def interrupted(self: AtomicFile) -> None:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
        finish(self)

    monkeypatch.setattr(AtomicFile, "finish", interrupted)


def test_a_report_stopped_leaves_the_previous_page(tmp_path, capsys, terminated_while_finishing):
    cohort = tmp_path / "cohort.jsonl"
    write_jsonl(cohort, generate(2, seed=0))
    out = tmp_path / "report.html"
    out.write_text("the previous report")
    args = ["report", str(cohort), "--as-of", AS_OF, "--calendar", CALENDAR, "--out", str(out)]
    assert main(args) == 143
    assert out.read_text() == "the previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cohort.jsonl", "report.html"]
    assert "stopped by SIGTERM" in capsys.readouterr().err


def test_an_import_stopped_leaves_the_previous_cases(tmp_path, capsys, terminated_while_finishing):
    out = tmp_path / "cases.jsonl"
    out.write_text("the previous cases\n")
    assert main(["import", str(EXPORT), "--out", str(out)]) == 143
    assert out.read_text() == "the previous cases\n"
    assert [p.name for p in tmp_path.iterdir()] == ["cases.jsonl"]
    assert "stopped by SIGTERM" in capsys.readouterr().err


# --- the temporary file ---------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "O_TMPFILE"), reason="Linux only")
def test_the_temporary_file_has_no_name_until_it_replaces_the_target(tmp_path):
    target = tmp_path / "out.csv"
    with AtomicFile(target, "CSV file", encoding="utf-8") as out:
        out.file.write("a,b\r\n")
        assert list(tmp_path.iterdir()) == []  # a SIGKILL now leaves nothing
    assert target.read_bytes() == b"a,b\r\n"
    assert list(tmp_path.iterdir()) == [target]


@pytest.mark.parametrize("link", ["linkat", "proc", "copy"])
def test_each_way_of_naming_the_temporary_file_gives_the_whole_file(tmp_path, monkeypatch, link):
    if link != "linkat":
        monkeypatch.setattr(atomic, "libc", lambda: None)
    if link == "copy":
        monkeypatch.setattr(atomic.os, "link", _refuse)
    target = tmp_path / "out.bin"
    target.write_bytes(b"previous")
    data = bytes(range(256)) * 5000  # more than one chunk of the copy
    with AtomicFile(target, "workbook") as out:
        out.file.write(data)
    assert target.read_bytes() == data
    assert list(tmp_path.iterdir()) == [target]


def _refuse(*args: object, **kwargs: object) -> None:
    raise OSError(18, "Invalid cross-device link")


def test_without_unnamed_files_the_part_file_is_removed_on_failure(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "_unnamed_file", lambda folder: None)
    target = tmp_path / "out.ics"
    target.write_bytes(PREVIOUS)
    with pytest.raises(KeyboardInterrupt), AtomicFile(target, "calendar") as out:
        out.file.write(b"half a calendar")
        assert sorted(p.name for p in tmp_path.iterdir()) == [".out.ics.part", "out.ics"]
        raise KeyboardInterrupt
    assert target.read_bytes() == PREVIOUS
    assert list(tmp_path.iterdir()) == [target]
