"""The user's cache (`apcompliance.usercache`): a rule book or a calendar's bank holidays read
back from it are the ones computed afresh; a changed rule file, a corrupt or foreign entry, a
folder that cannot be used, or two processes starting at once never give a wrong answer; and
a warm `check` imports neither `holidays` nor the modules of other commands."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from datetime import date
from importlib import resources
from pathlib import Path

import holidays
import pytest

from apcompliance import Case, Evaluator, SchoolCalendar, usercache
from apcompliance.calendar import school_calendar
from apcompliance.language import rulebook
from apcompliance.language.rulebook import load_rulebook

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = resources.files("apcompliance") / "data/examples/suspension-case.json"
CALENDAR = ROOT / "src/apcompliance/data/calendars/example-la-2025-26.yaml"
AS_OF = date(2026, 6, 15)
OWN_RULE = """\
section: I
title: a Trust's stricter reading of I.3
rules:
  - id: I.3-notice-{n}
    clause: I.3
    says: {says}
    kind: requirement
    duty_holder: headteacher
    action: never give the notice by phone alone
    when:
      notice: {{in_writing: false}}
    due: {{at: notice.sent_on}}
"""
WRITING = "The notice must be provided in writing"


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of the test's own."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(usercache.CACHE_DIR_VARIABLE, str(folder))
    monkeypatch.delenv(usercache.NO_CACHE_VARIABLE, raising=False)
    return folder


def _entries(folder: Path, kind: str) -> list[Path]:
    return sorted(folder.glob(f"{kind}-*"))


def _bundled() -> list[tuple[str, str]]:
    return rulebook._bundled_files()


def _assessment_json(book: rulebook.RuleBook) -> str:
    case = Case.model_validate_json(EXAMPLE.read_text("utf-8"))
    calendar = SchoolCalendar.from_file(CALENDAR)
    return Evaluator(book).evaluate(case, as_of=AS_OF, calendar=calendar).to_json()


def _not_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(files: object) -> None:
        raise AssertionError("the rule files were checked again")

    monkeypatch.setattr(rulebook, "_check_files", refuse)


def test_a_cached_rule_book_is_the_book_checked_afresh_and_gives_the_same_findings(
    cache, monkeypatch
):
    fresh = rulebook._check_files(_bundled())
    first = rulebook._build(_bundled())  # checked, and written
    assert len(_entries(cache, "rulebook")) == 1
    with monkeypatch.context() as patched:
        _not_checked(patched)
        cached = rulebook._build(_bundled())  # read back
    assert cached is not first and cached == first == fresh
    assert [cached.conditions(r.id) for r in cached.rules] == [
        fresh.conditions(r.id) for r in fresh.rules
    ]
    assert _assessment_json(cached) == _assessment_json(fresh)


def test_a_changed_rule_file_is_checked_again_never_read_stale(cache, tmp_path, monkeypatch):
    path = tmp_path / "own.yaml"
    path.write_text(OWN_RULE.format(n="one", says=WRITING), "utf-8")
    assert [r.id for r in load_rulebook([path]).rules] == ["I.3-notice-one"]
    path.write_text(OWN_RULE.format(n="two", says=WRITING), "utf-8")
    assert [r.id for r in load_rulebook([path]).rules] == ["I.3-notice-two"]
    path.write_text(OWN_RULE.format(n="two", says="not in the policy"), "utf-8")
    with pytest.raises(rulebook.RuleFileError, match=r"own\.yaml"):  # an error is never cached
        load_rulebook([path])
    assert len(_entries(cache, "rulebook")) == 2


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # cut short
        lambda raw: raw[:-10] + bytes(10),  # corrupted: the digest no longer matches
        lambda raw: b"",
        lambda raw: b"not a cache entry at all",
    ],
    ids=["truncated", "corrupted", "empty", "foreign"],
)
def test_a_damaged_entry_is_ignored_and_written_again(cache, damage):
    book = rulebook._build(_bundled())
    (entry,) = _entries(cache, "rulebook")
    whole = entry.read_bytes()
    entry.write_bytes(damage(whole))
    assert rulebook._build(_bundled()) == book
    assert entry.read_bytes() == whole


def test_an_entry_that_is_not_a_rule_book_is_not_used(cache, monkeypatch):
    book = rulebook._build(_bundled())
    (entry,) = _entries(cache, "rulebook")
    usercache.write(entry.name, pickle.dumps({"not": "a rule book"}))  # a valid digest
    assert rulebook._build(_bundled()) == book


def test_no_cache_or_an_unusable_folder_computes_every_time(tmp_path, monkeypatch):
    monkeypatch.setenv(usercache.CACHE_DIR_VARIABLE, str(tmp_path / "cache"))
    monkeypatch.setenv(usercache.NO_CACHE_VARIABLE, "1")
    assert usercache.directory() is None
    assert rulebook._build(_bundled()) == rulebook._check_files(_bundled())
    assert not (tmp_path / "cache").exists()
    monkeypatch.delenv(usercache.NO_CACHE_VARIABLE)
    (tmp_path / "a-file").write_text("", "utf-8")
    monkeypatch.setenv(usercache.CACHE_DIR_VARIABLE, str(tmp_path / "a-file" / "cache"))
    assert usercache.directory() is None
    assert rulebook._build(_bundled()) == rulebook._check_files(_bundled())


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="a folder's owner and mode: POSIX only")
def test_a_folder_others_can_write_to_is_not_used(cache):
    cache.mkdir(mode=0o700)
    cache.chmod(0o777)
    assert usercache.directory() is None
    rulebook._build(_bundled())
    assert _entries(cache, "rulebook") == []
    cache.chmod(0o700)
    assert usercache.directory() == cache


def test_bank_holidays_from_the_cache_are_the_holidays_package_s(cache):
    school_calendar._bank_holidays.cache_clear()
    first = school_calendar._bank_holidays(2025, 2027)
    school_calendar._bank_holidays.cache_clear()
    again = school_calendar._bank_holidays(2025, 2027)  # read from the cache
    expected = set(holidays.country_holidays("GB", subdiv="ENG", years=range(2025, 2028)))
    assert first == again == expected and date(2026, 5, 4) in again
    (entry,) = _entries(cache, "bank-holidays")
    assert json.loads(usercache.read(entry.name) or b"") == sorted(d.isoformat() for d in expected)
    usercache.write(entry.name, b'["not a date"]')  # a valid digest, a foreign content
    school_calendar._bank_holidays.cache_clear()
    assert school_calendar._bank_holidays(2025, 2027) == expected


def _check(cache: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "apcompliance",
        "check",
        str(EXAMPLE),
        "--as-of",
        AS_OF.isoformat(),
        "--calendar",
        str(CALENDAR),
        "--json",
        *extra,
    ]


def test_two_processes_starting_at_once_on_an_empty_cache_both_answer_alike(cache):
    environment = {**os.environ, usercache.CACHE_DIR_VARIABLE: str(cache)}
    started = [
        subprocess.Popen(
            _check(cache), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=300) for process in started]
    assert [process.returncode for process in started] == [1, 1]  # violations found
    assert outputs[0] == outputs[1] and outputs[0][1] == b""
    later = subprocess.run(_check(cache), capture_output=True, env=environment, check=False)
    assert later.stdout == outputs[0][0]
    assert len(_entries(cache, "rulebook")) == 1 and len(_entries(cache, "bank-holidays")) == 1
    assert not list(cache.glob(".writing-*"))


SHOWS_IMPORTS = """
import sys
from apcompliance.cli import main
status = main(sys.argv[1:])
heavy = ("holidays", "jinja2", "pandas", "openpyxl", "tqdm", "apcompliance.importing.reader",
         "apcompliance.scenarios", "apcompliance.outputs.report")
print(" ".join(sorted(name for name in heavy if name in sys.modules)), file=sys.stderr)
"""


def test_a_warm_check_imports_neither_holidays_nor_other_commands_modules(cache):
    environment = {**os.environ, usercache.CACHE_DIR_VARIABLE: str(cache)}
    arguments = _check(cache)[3:]  # from "check" on
    runs = [
        subprocess.run(
            [sys.executable, "-c", SHOWS_IMPORTS, *arguments],
            capture_output=True,
            env=environment,
            text=True,
            check=False,
        )
        for _ in range(2)
    ]
    assert runs[0].stderr.split() == ["holidays"]  # the first run computes the bank holidays
    assert runs[1].stderr.split() == []
    assert runs[0].stdout == runs[1].stdout


def test_the_newest_entries_of_a_kind_are_kept_and_abandoned_temporary_files_removed(cache):
    names = [usercache.key("trial", str(n)) for n in range(usercache.KEEP + 4)]
    for n, name in enumerate(names):
        usercache.write(name, b"x")
        os.utime(cache / name, ns=(n * 10**9, n * 10**9))  # oldest first
    (cache / ".writing-abandoned").write_bytes(b"")
    os.utime(cache / ".writing-abandoned", ns=(0, 0))
    (cache / ".writing-in-progress").write_bytes(b"")  # another process, writing now
    usercache.write(names[-1], b"y")
    kept = {p.name for p in _entries(cache, "trial")}
    assert kept == set(names[-usercache.KEEP :])
    assert [p.name for p in cache.glob(".writing-*")] == [".writing-in-progress"]
    assert usercache.read(names[-1]) == b"y" and usercache.read(names[0]) is None
