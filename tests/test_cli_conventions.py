"""The command line's conventions (issue 18, point 6): `-` reads standard input for `check` and
`check-many`; `--version`; `python -m apcompliance`; every command's --help states its exit
status; every text file may start with a UTF-8 byte-order mark (as Excel and Notepad write),
and one that is not UTF-8 is exit status 2 naming the file and the byte offset, never the
bytes, never a traceback."""

from __future__ import annotations

import argparse
import io
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from importlib import metadata, resources
from pathlib import Path

import pytest

from apcompliance import NotUtf8Error, RuleFileError, SchoolCalendar, cli, evaluate
from apcompliance.cli import EXIT_STATUS, main
from apcompliance.facts import Case
from apcompliance.language.rulebook import load_rulebook
from apcompliance.outputs.ical import school_calendar_ical
from apcompliance.outputs.schemas import SCHEMA_VERSION
from apcompliance.textfiles import decode, find_not_utf8, read_text

DATA = resources.files("apcompliance") / "data"
CALENDAR_YAML = (DATA / "calendars/example-la-2025-26.yaml").read_bytes()
CASE = (DATA / "examples/suspension-case.json").read_bytes()
OTHER_CASE = (DATA / "examples/off-site-direction-case.json").read_bytes()
RULES_I = Path("rules/I-suspension-provision.yaml").read_bytes()
BOM = b"\xef\xbb\xbf"
MARKER = "Quillfeather"
"""A surname written in Latin-1 into each file that is not UTF-8: no error may show it."""
KEY = b"a-secret-key-of-32-bytes-exactly"


def one_line(case: bytes) -> bytes:
    return json.dumps(json.loads(case)).encode() + b"\n"


COHORT = one_line(CASE) + one_line(OTHER_CASE)
SCENARIO = b"""\
# The bundled suspension example (I.1: provision by Fri 31 Oct 2025, the sixth school day of
# the suspension from Fri 24 Oct across half term; it starts Mon 3 Nov), on the example calendar.
rules: [rules.yaml]
calendar: calendar.yaml
scenarios:
  - name: the example's provision is late
    as_of: 2025-11-10
    case_file: case.json
    expect:
      - {rule: I.1-sixth-day-provision, due: 2025-10-31, status: late, met_by: PL-1}
"""
PUPILS = (
    b"UPN,NCyearActual,SENprovision,InCare,FSMeligible,DOB\n"
    b"Z10000000009A,9,N,false,false,2011-02-03\n"
)


def latin1(content: bytes) -> tuple[bytes, int]:
    """The content with a surname in Latin-1 at the start of its second line, and the offset
    of its first byte that is not UTF-8 (the é)."""
    first, rest = content.split(b"\n", 1)
    word = f"{MARKER}é ".encode("latin-1")
    return first + b"\n" + word + rest, len(first) + 1 + len(MARKER)


# --- every kind of text file, through every command that reads it ------------------------------


CHECK = "check {d}/case.json --as-of 2025-11-10 --calendar {d}/calendar.yaml"
REVIEW = "review-policy --as-of 2025-11-10 --settings {d}/settings.json"
IMPORT = "import {d}/pupils.csv --out {d}/out.jsonl --key {d}/key"
MANY = "check-many {d}/cohort.jsonl --as-of 2026-01-20 --calendar {d}/calendar.yaml --quiet"
ICS = school_calendar_ical(SchoolCalendar.example())
SETTINGS = b'{\n"policy_only": false\n}\n'
BASE = {
    "case.json": CASE,
    "calendar.yaml": CALENDAR_YAML,
    "calendar.ics": ICS,
    "cohort.jsonl": COHORT,
    "settings.json": SETTINGS,
    "rules.yaml": RULES_I,
    "scenario.yaml": SCENARIO,
    "pupils.csv": PUPILS,
    "key": KEY,
}


@dataclass(frozen=True)
class Kind:
    """A kind of text file read by a command: the file under test (in a folder holding all of
    BASE), the command line (`{d}` the folder) and its exit status when the file is good."""

    name: str
    file: str
    command: str
    status: int
    stdin: bool = False

    def argv(self, folder: Path) -> list[str]:
        return self.command.format(d=folder).split()


KINDS = [
    Kind("check: the case", "case.json", CHECK, 1),
    Kind(
        "check: the case on stdin", "case.json", CHECK.replace("{d}/case.json", "-"), 1, stdin=True
    ),
    Kind("check: a YAML calendar", "calendar.yaml", CHECK, 1),
    Kind("check: an iCalendar calendar", "calendar.ics", CHECK.replace(".yaml", ".ics"), 1),
    Kind("check: the settings", "settings.json", CHECK + " --settings {d}/settings.json", 1),
    Kind("check-many: the cohort", "cohort.jsonl", MANY, 1),
    Kind(
        "check-many: the cohort on stdin",
        "cohort.jsonl",
        MANY.replace("{d}/cohort.jsonl", "-"),
        1,
        stdin=True,
    ),
    Kind("check-many: the calendar", "calendar.yaml", MANY, 1),
    Kind("check-many: the settings", "settings.json", MANY + " --settings {d}/settings.json", 1),
    Kind("review-policy: the settings", "settings.json", REVIEW, 0),
    Kind("test: the scenario file", "scenario.yaml", "test {d}/scenario.yaml", 0),
    Kind("test: its case file", "case.json", "test {d}/scenario.yaml", 0),
    Kind("test: its rule file", "rules.yaml", "test {d}/scenario.yaml", 0),
    Kind("test: its calendar", "calendar.yaml", "test {d}/scenario.yaml", 0),
    Kind("import: an export's CSV file", "pupils.csv", IMPORT, 0),
]


def _run(kind: Kind, folder: Path, content: bytes, monkeypatch, capsys) -> tuple[int, str, str]:
    for name, data in {**BASE, kind.file: content}.items():
        if not (kind.stdin and name == kind.file):
            (folder / name).write_bytes(data)
    if kind.stdin:
        stream = io.BytesIO(content)
        stream.name = "<stdin>"
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stream))
    status = main(kind.argv(folder))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_a_file_with_a_byte_order_mark_reads_as_without(kind, tmp_path, monkeypatch, capsys):
    plain, marked = tmp_path / "plain", tmp_path / "marked"
    plain.mkdir()
    marked.mkdir()
    content = BASE[kind.file]
    without = _run(kind, plain, content, monkeypatch, capsys)
    assert without[0] == kind.status, without[2]
    with_bom = _run(kind, marked, BOM + content, monkeypatch, capsys)
    assert with_bom[0] == kind.status, with_bom[2]
    assert with_bom[1].replace(str(marked), str(plain)) == without[1]


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_a_file_that_is_not_utf8_is_exit_2_naming_it_and_the_offset(
    kind, tmp_path, monkeypatch, capsys
):
    content, offset = latin1(BASE[kind.file])
    status, out, err = _run(kind, tmp_path, content, monkeypatch, capsys)
    assert status == 2
    name = "<stdin>" if kind.stdin else kind.file
    assert name in err
    assert f"the byte at offset {offset} (line 2) is not UTF-8" in err
    assert "Traceback" not in err
    for shown in (out, err):
        assert MARKER not in shown and "\\xe9" not in shown and "0xe9" not in shown


def test_every_kind_of_file_is_covered_by_name():
    """A guard on the table above: each kind of file a user gives is in it."""
    files = {Path(k.file).suffix for k in KINDS}
    assert files == {".json", ".yaml", ".ics", ".jsonl", ".csv"}
    assert {k.argv(Path("/d"))[0] for k in KINDS} == {
        "check", "check-many", "review-policy", "test", "import"
    }  # fmt: skip


def test_a_key_file_is_bytes_and_a_byte_order_mark_before_it_is_dropped(tmp_path, capsys):
    """Keys are bytes (random ones are not UTF-8); a key typed into Notepad is the same key
    as the one typed elsewhere."""
    (tmp_path / "case.json").write_bytes(CASE)
    (tmp_path / "calendar.yaml").write_bytes(CALENDAR_YAML)
    ids = []
    for key in (KEY + b"\n", BOM + KEY + b"\r\n", b"\xe9\xff" * 10):
        (tmp_path / "key").write_bytes(key)
        assert main((CHECK + " --json --pseudonymise {d}/key").format(d=tmp_path).split()) == 1
        ids.append(json.loads(capsys.readouterr().out)["case_id"])
    assert ids[0] == ids[1] != ids[2]


# --- the library's reader ----------------------------------------------------------------------


def test_decode_drops_a_bom_only_at_the_start_of_a_file():
    assert decode(BOM + b"a\n", "f") == "a\n"
    assert decode(BOM + b"a", "f", offset=10, line=2) == "\ufeffa"


def test_not_utf8_names_the_file_offset_and_line_never_the_bytes(tmp_path):
    path = tmp_path / "cal.yaml"
    path.write_bytes(b"name: x\nterms:\n  # caf\xe9\n")
    with pytest.raises(NotUtf8Error) as caught:
        read_text(path)
    assert (caught.value.file, caught.value.offset, caught.value.line) == (str(path), 22, 3)
    assert str(caught.value) == (
        f"{path}: not UTF-8 text: the byte at offset 22 (line 3) is not UTF-8; save the file as "
        "UTF-8"
    )
    assert find_not_utf8(path).offset == 22  # type: ignore[union-attr]
    path.write_bytes(BOM + b"caf\xc3\xa9\n")
    assert find_not_utf8(path) is None and read_text(path) == "café\n"


def test_a_rule_file_that_is_not_utf8_is_a_rule_file_error(tmp_path):
    path = tmp_path / "rules.yaml"
    content, offset = latin1(RULES_I)
    path.write_bytes(content)
    with pytest.raises(
        RuleFileError, match=rf"rules\.yaml: not UTF-8 text: the byte at offset {offset}\b"
    ):
        load_rulebook([path])
    path.write_bytes(BOM + RULES_I)
    assert [r.id for r in load_rulebook([path]).rules] == [
        r.id for r in load_rulebook([Path("rules/I-suspension-provision.yaml")]).rules
    ]


def test_an_icalendar_given_as_bytes_or_text_may_start_with_a_bom():
    back = SchoolCalendar.from_ical(BOM + ICS)
    assert back == SchoolCalendar.from_ical(ICS)
    assert SchoolCalendar.from_ical((BOM + ICS).decode("utf-8")) == back


# --- standard input ----------------------------------------------------------------------------


def test_check_many_reads_standard_input_once(tmp_path, monkeypatch, capsys):
    (tmp_path / "calendar.yaml").write_bytes(CALENDAR_YAML)
    (tmp_path / "cohort.jsonl").write_bytes(COHORT)
    assert main([*MANY.format(d=tmp_path).split(), "--json"]) == 1
    from_file = capsys.readouterr().out

    class Once(io.BytesIO):
        """A stream that can be read through once only, as a pipe."""

        name = "<stdin>"

        def seek(self, *args: object) -> int:
            raise io.UnsupportedOperation("a pipe cannot seek")

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(Once(COHORT)))
    assert main([*KINDS[6].argv(tmp_path), "--json"]) == 1
    assert capsys.readouterr().out == from_file
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(Once(COHORT)))
    assert main(KINDS[6].argv(tmp_path)) == 1
    assert capsys.readouterr().out.startswith("Cohort standard input as of Tue 20 Jan 2026")


# --- --version, python -m, exit status in --help -----------------------------------------------


def test_version_names_the_package_schema_policy_and_rules(capsys):
    with pytest.raises(SystemExit) as leaving:
        main(["--version"])
    assert leaving.value.code == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"apcompliance {metadata.version('apcompliance')}"
    assert lines[1] == f"schema version {SCHEMA_VERSION} (cases and assessments)"
    assert re.fullmatch(
        r"policy: Alternative Provision Policy \(bundled text, sha256 [0-9a-f]{16}\)", lines[2]
    )
    # the rules' digest is the one an assessment's trace records
    assessment = evaluate(
        Case.model_validate_json(CASE), as_of=date(2025, 11, 10), calendar=SchoolCalendar.example()
    )
    assert lines[3].endswith(f"digest {assessment.trace.rule_book_digest}")


def test_python_m_apcompliance_runs_the_command(tmp_path):
    version = subprocess.run(
        [sys.executable, "-m", "apcompliance", "--version"], capture_output=True, text=True
    )
    assert version.returncode == 0
    assert version.stdout.startswith(f"apcompliance {metadata.version('apcompliance')}\n")
    content, offset = latin1(CASE)
    (tmp_path / "calendar.yaml").write_bytes(CALENDAR_YAML)
    bad = subprocess.run(
        [sys.executable, "-m", "apcompliance", *KINDS[1].argv(tmp_path)],
        input=content,
        capture_output=True,
    )
    assert bad.returncode == 2
    assert bad.stderr.decode() == (
        f"apcompliance: error: <stdin>: not UTF-8 text: the byte at offset {offset} (line 2) is "
        "not UTF-8; save the file as UTF-8\n"
    )


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = cli._parser()
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


@pytest.mark.parametrize("command", sorted(_commands()))
def test_every_commands_help_states_its_exit_status(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert f"Exit status: {EXIT_STATUS[command]}." in text


def test_the_exit_status_table_and_the_module_docstring_agree():
    assert set(EXIT_STATUS) == set(_commands())
    doc = cli.__doc__ or ""
    section = doc.split("Exit status of each command", 1)[1].split("\nAlso 2", 1)[0]
    stated: dict[str, str] = {}
    for entry in re.findall(r"^ {4}(\S.*?)(?=^ {4}\S|\Z)", section, re.MULTILINE | re.DOTALL):
        names, text = entry.split(": ", 1)
        for name in names.split(", "):
            stated[name] = " ".join(text.split()).removesuffix(".")
    assert stated == EXIT_STATUS


def test_the_docs_state_the_same_exit_status_for_every_command():
    page = (Path(__file__).parents[1] / "docs/command-line.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| `([a-z-]+)` \| (.+) \|$", page, re.MULTILINE))
    assert table == EXIT_STATUS
