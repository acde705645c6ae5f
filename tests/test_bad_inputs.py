"""The bad-input corpus (tests/bad_inputs/, issue 19): every malformed input is answered with
its documented error, naming the file, line, field or date, through the Python API and the
command line (exit status 2, no traceback, nothing half-written), and no marker value of the
input appears in any message or output.

Entries marked `xfail: <part> <why>` in the corpus are known failures that another part of
issue 19 fixes; they run as strict xfails, so a fix turns them into failures until the mark is
removed. Inputs that may hang run only in a subprocess with a time limit (marked slow).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests import bad_inputs as corpus

ENTRIES = corpus.load()
TIME_LIMIT = 60.0
"""Seconds a hanging input may take in the subprocess check (the current code takes minutes or
never returns)."""


def _params(route: str) -> list[object]:
    params = []
    for entry in ENTRIES:
        if route not in entry.routes or entry.hangs:
            continue
        marks = []
        if route in entry.xfail:
            marks.append(pytest.mark.xfail(reason=entry.xfail[route], strict=True))
        params.append(pytest.param(entry, id=entry.id, marks=marks))
    return params


def _hanging() -> list[object]:
    return [
        pytest.param(
            e,
            id=e.id,
            marks=[pytest.mark.xfail(reason=next(iter(e.xfail.values())), strict=True)]
            if e.xfail
            else [],
        )
        for e in ENTRIES
        if e.hangs
    ]


@pytest.mark.parametrize("entry", _params("api"))
def test_the_api_raises_the_documented_error_naming_what_is_wrong(entry, tmp_path):
    paths = corpus.write(entry, tmp_path)
    outcome = corpus.run_api(entry, tmp_path, paths)
    assert corpus.problems(entry, "api", outcome, tmp_path) == []


@pytest.mark.parametrize("entry", _params("cli"))
def test_the_command_line_exits_2_naming_what_is_wrong(entry, tmp_path):
    paths = corpus.write(entry, tmp_path)
    outcome = corpus.run_cli(entry, tmp_path, paths)
    assert corpus.problems(entry, "cli", outcome, tmp_path) == []


@pytest.mark.slow
@pytest.mark.parametrize("entry", _hanging())
def test_an_input_that_once_hung_is_answered_within_the_time_limit(entry, tmp_path):
    paths = corpus.write(entry, tmp_path)
    finished = corpus.run_forked(entry, tmp_path, paths, "cli", timeout=TIME_LIMIT)
    assert finished is not None, f"no answer within {TIME_LIMIT:.0f} s"
    assert finished.status in (0, 1, 2) and "Traceback" not in finished.message
    if any(entry.says.values()):  # an input to refuse: refused as documented
        assert corpus.problems(entry, "cli", finished, tmp_path) == []


def test_the_corpus_is_large_and_covers_every_kind_of_input():
    """At least the 164 kinds of the issue, in every group, each with words to look for."""
    assert len(ENTRIES) >= 164
    assert {e.group for e in ENTRIES} == set(corpus.GROUPS)
    for entry in ENTRIES:
        assert entry.routes, entry.id
        assert all(entry.says.get(r) for r in entry.routes) or entry.hangs, (
            f"{entry.id}: no words the message must contain"
        )
        if "api" in entry.routes and not entry.hangs:
            assert entry.error, f"{entry.id}: no documented error type"
        for reason in entry.xfail.values():
            assert reason.split()[0] in corpus.PARTS, f"{entry.id}: xfail names no part"


def test_the_command_line_in_a_real_process_exits_2_without_a_traceback(tmp_path):
    """One smoke check outside pytest's capture: a case file saved as Latin-1."""
    case = tmp_path / "case.json"
    case.write_bytes('{"case_id": "C-1", "pupil": {"name": "Ren\xe9e"}}'.encode("latin-1"))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "apcompliance",
            "check",
            str(case),
            "--as-of",
            "2025-11-20",
            "--calendar",
            corpus.CALENDAR,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "case.json" in done.stderr and "Traceback" not in done.stderr
    assert "Ren" not in done.stderr + done.stdout


def test_the_figures_in_docs_reliability_are_current():
    """docs/reliability.md's figures are `python -m tests.bad_inputs.figures --markdown`."""
    from tests.bad_inputs import figures

    text = (Path(__file__).resolve().parents[1] / "docs" / "reliability.md").read_text("utf-8")
    start, end = "<!-- figures:start -->", "<!-- figures:end -->"
    assert start in text and end in text
    shown = text.split(start)[1].split(end)[0].strip()
    assert shown == figures.expected_markdown().strip(), (
        "regenerate: python -m tests.bad_inputs.figures --write-docs"
    )
