"""The bad-input corpus (issue 19): every kind of malformed input, grouped, each with the
route(s) it goes through, the documented error and the words its message must (and must not)
contain. The data are the `*.yaml` files of this folder (the format: `README.md`); this module
loads them, writes each input to a folder and runs it through the Python API and the command
line. `tests/test_bad_inputs.py` asserts on every entry; `python -m tests.bad_inputs.figures`
counts them (docs/reliability.md).
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

HERE = Path(__file__).resolve().parent
CALENDAR = str(resources.files("apcompliance") / "data/calendars/example-la-2025-26.yaml")
AS_OF = date(2025, 11, 20)
GOOD_CASE = {"case_id": "BAD-1", "pupil": {"year_group": 9}}
GOOD_SUSPENSION = {"kind": "suspension", "id": "S1", "first_day": "2025-10-16", "school_days": 2}
GOOD_RULE_CASE = {
    "case_id": "RULES-1",
    "pupil": {"year_group": 9},
    "events": [
        {"kind": "suspension", "id": "S1", "first_day": "2025-11-03", "school_days": 7},
        {
            "kind": "exclusion_notice",
            "id": "N1",
            "about": "S1",
            "sent_at": "2025-11-03T16:00:00",
            "method": "phone",
        },
    ],
}
"""The case a rule file is tried on once loaded (a seven-day suspension, a notice by phone)."""

GROUPS = (
    "cases",
    "cohorts",
    "calendars",
    "settings",
    "rules",
    "scenarios",
    "imports",
    "keys",
    "cli",
)
"""The corpus files, one per kind of input, in the order the figures list them."""

ROUTES = ("api", "cli")


@dataclass(frozen=True)
class Entry:
    """One bad input: what it is, how it is written, where it goes and what must be said."""

    group: str
    name: str
    route: str
    """How the input is read: case, cohort, calendar, settings, rules, scenario, import, key
    or argv (the group's default, `route:` at the top of its file)."""
    files: dict[str, Any]
    """File name (relative to the entry's folder) to content spec (`README.md`)."""
    args: tuple[str, ...] = ()
    """Extra command-line arguments, or the whole command line for route `argv`."""
    error: str | None = None
    """The documented error type of the API route (a class name), None for CLI-only entries."""
    says: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Route to the words its message must contain (file, line, field, date); in the data a
    list for every route, or a mapping `{api: [...], cli: [...]}`."""
    never: tuple[str, ...] = ()
    """Words that must appear nowhere: the marker values of the input."""
    routes: tuple[str, ...] = ROUTES
    xfail: dict[str, str] = field(default_factory=dict)
    """Route to `<part> <why>`: a known failure, owned by another part of issue 19."""
    hangs: bool = False
    """The input may hang the current code: run only in a subprocess with a timeout."""

    @property
    def id(self) -> str:
        return f"{self.group}/{self.name}"

    def part(self, route: str) -> str | None:
        reason = self.xfail.get(route)
        return reason.split()[0] if reason else None


# --- the data ---------------------------------------------------------------------------------


def _entries(group: str) -> Iterator[Entry]:
    data = yaml.safe_load((HERE / f"{group}.yaml").read_text("utf-8"))
    route = data["route"]
    default_name = data.get("file")
    routes = tuple(data.get("routes", ROUTES))
    for raw in data["entries"]:
        raw = dict(raw)
        files = raw.pop("files", None)
        if files is None:
            content, name = _content_of(raw), raw.pop("file", default_name)
            files = {name: content} if name else {}
        xfail = raw.pop("xfail", {})
        if isinstance(xfail, str):
            xfail = dict.fromkeys(raw.get("routes", routes), xfail)
        says = raw.pop("says", [])
        by_route = says if isinstance(says, dict) else dict.fromkeys(ROUTES, says)
        by_route = {r: [w] if isinstance(w, str) else list(w) for r, w in by_route.items()}
        yield Entry(
            group=group,
            name=raw.pop("name"),
            route=raw.pop("route", route),
            files=files,
            args=tuple(str(a) for a in raw.pop("args", ())),
            error=raw.pop("error", None),
            says={r: tuple(w) for r, w in by_route.items()},
            never=tuple(raw.pop("not", ())),
            routes=tuple(raw.pop("routes", routes)),
            xfail=xfail,
            hangs=raw.pop("hangs", False),
        )
        unknown = set(raw) - {"note"}
        if unknown:
            raise ValueError(f"{group}.yaml: entry has unknown keys {sorted(unknown)}")


_CONTENT_KEYS = ("json", "text", "bytes", "repeat", "make", "missing")


def _content_of(raw: dict[str, Any]) -> dict[str, Any]:
    found = {k: raw.pop(k) for k in _CONTENT_KEYS if k in raw}
    if len(found) > 1:
        raise ValueError(f"entry {raw.get('name')}: one of {_CONTENT_KEYS}, not {sorted(found)}")
    return found


def load(groups: Sequence[str] = GROUPS) -> list[Entry]:
    """Every entry of the corpus, group by group."""
    entries = [e for g in groups for e in _entries(g)]
    seen: set[str] = set()
    for e in entries:
        if e.id in seen:
            raise ValueError(f"two entries are named {e.id}")
        seen.add(e.id)
    return entries


# --- writing an input -------------------------------------------------------------------------


def content_bytes(spec: Any) -> bytes:
    """The bytes a content spec stands for (`README.md`)."""
    if not isinstance(spec, dict):
        spec = {"text": spec}
    if "json" in spec:
        return json.dumps(spec["json"], ensure_ascii=False).encode("utf-8")
    if "text" in spec:
        return str(spec["text"]).encode("utf-8")
    if "bytes" in spec:  # YAML's "\xe9" is U+00E9: Latin-1 gives back the byte E9
        return str(spec["bytes"]).encode("latin-1")
    if "repeat" in spec:
        r = spec["repeat"]
        middle = str(r["text"]) * int(r["times"])
        return (str(r.get("before", "")) + middle + str(r.get("after", ""))).encode("utf-8")
    if "make" in spec:
        name, *args = str(spec["make"]).split()
        return MAKERS[name](*args).encode("utf-8")
    return b""  # an empty file


def _many_absences(count: str) -> str:
    """A case whose placement has `count` absences (the judge's look-ups, issue 19 point 4)."""
    case: dict[str, Any] = {
        "case_id": "MANY-1",
        "pupil": {"year_group": 9},
        "placements": [
            {"id": "P1", "kind": "other", "start_date": "2025-09-03", "full_time": True}
        ],
        "events": [
            {
                "kind": "absence",
                "id": f"A{i}",
                "placement_id": "P1",
                "absent_on": "2025-10-06",
                "provider_reported_on": "2025-10-06",
            }
            for i in range(int(count))
        ],
    }
    return json.dumps(case)


def _any_of(count: str) -> str:
    """A rule whose `any_of` has `count` alternatives (issue 19: 512 hangs `evaluate`)."""
    tests = ", ".join(f"{{school_days: {i}}}" for i in range(1, int(count) + 1))
    return RULE_TEMPLATE.format(when=f"exclusion: {{any_of: [{tests}]}}")


def _any_of_pairs(count: str) -> str:
    """`count` alternatives of two tests each (14 gave durable-rules' "error code: 113")."""
    tests = ", ".join(f"{{school_days: {i}, permanent: false}}" for i in range(1, int(count) + 1))
    return RULE_TEMPLATE.format(when=f"exclusion: {{any_of: [{tests}]}}")


RULE_TEMPLATE = """section: I
title: a Trust's own rule
rules:
  - id: I.3-trust-rule
    clause: I.3
    says: The notice must be provided in writing
    kind: requirement
    duty_holder: headteacher
    action: give the notice in writing
    when:
        {when}
    due: {{at: exclusion.first_day}}
"""

MAKERS: dict[str, Callable[..., str]] = {
    "many_absences": _many_absences,
    "any_of": _any_of,
    "any_of_pairs": _any_of_pairs,
}


def write(entry: Entry, folder: Path) -> dict[str, Path]:
    """Write the entry's files (and the good files its route needs) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "good.json").write_text(json.dumps(GOOD_CASE), "utf-8")
    (folder / "good.jsonl").write_text(json.dumps(GOOD_CASE) + "\n", "utf-8")
    (folder / "key.txt").write_text("a key of more than sixteen bytes\n", "utf-8")
    paths = {}
    for name, spec in entry.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not (isinstance(spec, dict) and spec.get("missing")):
            path.write_bytes(content_bytes(spec))
        paths[name] = path
    if entry.route == "rules":
        rule_file = next(iter(paths.values()))
        (folder / "scenario.yaml").write_text(_rules_scenario(rule_file.name), "utf-8")
    return paths


def _rules_scenario(rule_file: str) -> str:
    """A scenario file that loads the rule file beside a bundled section, so that it is valid
    whenever the rule file is (the command line reads rule files only through scenarios)."""
    return f"""rules: [C, {rule_file}]
scenarios:
  - name: the rule file loads
    as_of: 2025-11-20
    case: {json.dumps(GOOD_RULE_CASE)}
    expect_absent: [C.4.i-safeguarding-policy]
"""


# --- the routes ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one route made of one input."""

    error: BaseException | None = None
    """The exception the API raised (None: accepted, or an error reported in a result)."""
    message: str = ""
    """The text a user sees: the error's message, an error record, or stderr at the CLI."""
    stdout: str = ""
    status: int | None = None
    """The exit status (CLI)."""
    crashed: bool = False
    """An exception that is not a documented error (API), or one that escaped `main` (CLI)."""


def api_message(exc: BaseException) -> str:
    """How the library renders an error: pydantic's errors as the boundary renders them (field
    paths and messages, never the input values), any other error as its text."""
    if isinstance(exc, ValidationError):
        from apcompliance.evaluation.cohort import validation_problems

        return validation_problems(exc)
    return str(exc)


def documented_errors() -> tuple[type[BaseException], ...]:
    from apcompliance.errors import ApComplianceError

    return (ApComplianceError, ValidationError)


def run_api(entry: Entry, folder: Path, paths: dict[str, Path]) -> Outcome:
    """Run the entry through its Python route; an error the library raises is the outcome."""
    try:
        message = _API[entry.route](entry, folder, paths)
    except (*documented_errors(), _CaseResultError) as exc:
        return Outcome(error=exc, message=api_message(exc))
    except RecursionError as exc:  # caught apart: pytest's reporting of one is itself slow
        return Outcome(error=exc, message="RecursionError", crashed=True)
    except Exception as exc:
        return Outcome(error=exc, message=f"{type(exc).__name__}: {exc}", crashed=True)
    return Outcome(message=message or "")


def _api_case(entry: Entry, folder: Path, paths: dict[str, Path]) -> str:
    from apcompliance import Case, SchoolCalendar, evaluate, textfiles

    path = paths["case.json"]
    case = Case.model_validate_json(textfiles.decode(path.read_bytes(), str(path)))
    evaluate(case, as_of=AS_OF, calendar=SchoolCalendar.example())
    return ""


def _api_cohort(entry: Entry, folder: Path, paths: dict[str, Path]) -> str:
    from apcompliance import SchoolCalendar, evaluate_many
    from apcompliance.evaluation.cohort import read_jsonl

    results = evaluate_many(
        read_jsonl(paths["cohort.jsonl"]), as_of=AS_OF, calendar=SchoolCalendar.example()
    )
    errors = [r.error for r in results if r.error]
    if errors:
        raise _CaseResultError("\n".join(errors))
    return ""


def _api_calendar(entry: Entry, folder: Path, paths: dict[str, Path]) -> str:
    from apcompliance import Case, SchoolCalendar, evaluate

    calendar = SchoolCalendar.from_file(next(iter(paths.values())))
    case = Case.model_validate_json(json.dumps({**GOOD_CASE, "events": [GOOD_SUSPENSION]}))
    evaluate(case, as_of=AS_OF, calendar=calendar)
    return ""


def _api_settings(entry: Entry, folder: Path, paths: dict[str, Path]) -> str:
    from apcompliance import PolicySettings, textfiles

    PolicySettings.model_validate_json(textfiles.read_text(paths["settings.json"]))
    return ""


def _api_rules(entry: Entry, folder: Path, paths: dict[str, Path]) -> str:
    from apcompliance import Case, Evaluator, SchoolCalendar
    from apcompliance.language.rulebook import load_rulebook

    names = [n for n in entry.files if not n.startswith("_")]
    evaluator = Evaluator(load_rulebook([folder / n for n in names]))
    case = Case.model_validate_json(json.dumps(GOOD_RULE_CASE))
    evaluator.evaluate(case, as_of=AS_OF, calendar=SchoolCalendar.example())
    return ""


def _api_scenario(entry: Entry, folder: Path, paths: dict[str, Path]) -> str:
    from apcompliance.scenarios import load_scenario_file

    suite = load_scenario_file(paths["scenario.yaml"])
    errors = [r.error for r in suite.run() if r.error]
    if errors:
        raise _CaseResultError("\n".join(errors))
    return ""


def _api_import(entry: Entry, folder: Path, paths: dict[str, Path]) -> str:
    from apcompliance.importing.reader import read_export

    read_export(sorted(p for n, p in paths.items() if n.endswith(".csv")))
    return ""


class _Remote(Exception):
    """An error raised in a child process, known by the names of its classes."""

    def __init__(self, message: str, names: list[str]) -> None:
        super().__init__(message, names)
        self.names = names


class _CaseResultError(Exception):
    """Errors reported in results (`CaseResult.error`, `ScenarioResult.error`), not raised."""


_API: dict[str, Callable[[Entry, Path, dict[str, Path]], str]] = {
    "case": _api_case,
    "cohort": _api_cohort,
    "calendar": _api_calendar,
    "settings": _api_settings,
    "rules": _api_rules,
    "scenario": _api_scenario,
    "import": _api_import,
}


def error_name(outcome: Outcome) -> str | None:
    """The name an entry's `error:` gives for the outcome: the class, or `CaseResult` for an
    error reported in a result."""
    if outcome.error is None:
        return None
    if isinstance(outcome.error, _CaseResultError):
        return "CaseResult"
    if isinstance(outcome.error, _Remote):
        return outcome.error.names[0]
    return type(outcome.error).__name__


def error_matches(expected: str, outcome: Outcome) -> bool:
    """Whether the outcome's error is of the documented type (or a subclass of it)."""
    if outcome.error is None or outcome.crashed:
        return False
    if isinstance(outcome.error, _CaseResultError):
        return expected == "CaseResult"
    if isinstance(outcome.error, _Remote):
        return expected in outcome.error.names
    return expected in {c.__name__ for c in type(outcome.error).__mro__}


def argv(entry: Entry, folder: Path, paths: dict[str, Path]) -> list[str]:
    """The command line the entry is run with."""
    first = str(next(iter(paths.values()))) if paths else ""
    places = {
        "dir": str(folder),
        "calendar": CALENDAR,
        "case": str(folder / "good.json"),
        "cohort": str(folder / "good.jsonl"),
        "key": str(folder / "key.txt"),
        "file": first,
    }
    extra = [a.format(**places) for a in entry.args]
    date_args = ["--as-of", AS_OF.isoformat()]
    if entry.route == "case":
        return ["check", first, *date_args, "--calendar", CALENDAR, *extra]
    if entry.route == "cohort":
        return ["check-many", first, *date_args, "--calendar", CALENDAR, "--quiet", *extra]
    if entry.route == "calendar":
        return ["check", places["case"], *date_args, "--calendar", first, *extra]
    if entry.route == "settings":
        return ["check", places["case"], *date_args, "--calendar", CALENDAR, "--settings", first]
    if entry.route == "rules":
        return ["test", str(folder / "scenario.yaml")]
    if entry.route == "scenario":
        return ["test", str(paths["scenario.yaml"])]
    if entry.route == "import":
        csvs = sorted(str(p) for n, p in paths.items() if n.endswith(".csv"))
        return ["import", *csvs, "--out", str(folder / "out.jsonl"), *extra]
    if entry.route == "key":
        key = str(folder / "key.bin")
        return ["check", places["case"], *date_args, "--calendar", CALENDAR, "--pseudonymise", key]
    return extra  # route argv: the whole command line


def run_cli(entry: Entry, folder: Path, paths: dict[str, Path]) -> Outcome:
    """Run `apcompliance.cli.main` in this process, capturing its output and exit status."""
    from apcompliance.cli import main

    out, err = io.StringIO(), io.StringIO()
    crashed = False
    stdin = sys.stdin
    try:
        sys.stdin = io.TextIOWrapper(io.BytesIO(b""))
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status: int | None = main(argv(entry, folder, paths))
            except SystemExit as exc:  # argparse's usage errors
                status = exc.code if isinstance(exc.code, int) else 2
            except RecursionError:
                status, crashed = None, True
                err.write("Traceback (RecursionError)\n")
            except Exception as exc:
                status, crashed = None, True
                err.write(f"Traceback (escaped main): {type(exc).__name__}: {exc}\n")
    finally:
        sys.stdin = stdin
    return Outcome(message=err.getvalue(), stdout=out.getvalue(), status=status, crashed=crashed)


def leftovers(folder: Path, entry: Entry) -> list[str]:
    """Files a failed run must not leave: temporary `.part` files, and an import's output."""
    found = [str(p.relative_to(folder)) for p in folder.rglob("*.part")]
    if entry.route == "import" and (folder / "out.jsonl").exists():
        found.append("out.jsonl")
    return found


# --- checking -----------------------------------------------------------------------------------


def problems(entry: Entry, route: str, outcome: Outcome, folder: Path) -> list[str]:
    """What is wrong with the outcome of one route (empty: the input is handled as documented)."""
    found = []
    text = outcome.message + "\n" + outcome.stdout
    if route == "api":
        if outcome.crashed:
            found.append(f"undocumented error {outcome.message[:300]}")
        elif entry.error and not error_matches(entry.error, outcome):
            got = error_name(outcome) or "no error (accepted)"
            found.append(f"expected {entry.error}, got {got}")
        text = outcome.message
    else:
        if outcome.status != 2:
            found.append(f"exit status {outcome.status}, not 2")
        if "Traceback" in outcome.message:
            found.append("a traceback on stderr")
        left = leftovers(folder, entry)
        if left:
            found.append(f"left behind: {left}")
    says = entry.says.get(route, ())
    shown = outcome.message
    if route == "cli" and entry.route in ("cohort", "scenario"):  # errors listed on stdout
        shown = text
    missing = [w for w in says if w.format(dir=folder) not in shown]
    if missing and not found:
        found.append(f"message lacks {missing}: {outcome.message[:400]!r}")
    leaked = [w for w in entry.never if w in text]
    if leaked:
        found.append(f"leaks {leaked}")
    return found


def classify(entry: Entry, route: str, outcome: Outcome, folder: Path) -> str:
    """`clear` (handled as documented), `silent` (accepted), `leak` (a marker shown) or
    `unclear` (an error, but not the documented one or without the words)."""
    if any(w in outcome.message + "\n" + outcome.stdout for w in entry.never):
        return "leak"
    if not problems(entry, route, outcome, folder):
        return "clear"
    if route == "api" and outcome.error is None:
        return "silent"
    if route == "cli" and outcome.status in (0, 1) and not outcome.crashed:
        return "silent"
    return "unclear"


PARTS = ("ruletypes", "identifiers", "linear", "shutdown", "consistency", "unowned")
"""The parts of issue 19 an `xfail` names (`unowned`: no helper's part; for the lead)."""


def run_forked(
    entry: Entry, folder: Path, paths: dict[str, Path], route: str, *, timeout: float
) -> Outcome | None:
    """Run one route in a forked child process; None if it gives no answer within `timeout`
    seconds (the child is then killed). The outcome's exception is kept as its text only."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        outcome = (run_api if route == "api" else run_cli)(entry, folder, paths)
        if outcome.error is not None:  # sent as the names of its classes (picklable)
            names = [c.__name__ for c in type(outcome.error).__mro__]
            if isinstance(outcome.error, _CaseResultError):
                names = ["CaseResult"]
            outcome.error = _Remote(outcome.message, names)
        send.send(outcome)

    process = context.Process(target=child, daemon=True)
    process.start()
    send.close()
    answer = None
    if receive.poll(timeout):
        try:
            answer = receive.recv()
        except EOFError:  # the child died without answering
            answer = Outcome(message="Traceback (the process died)", crashed=True)
    process.join(1)
    if process.is_alive():
        process.kill()
        process.join()
    receive.close()
    return answer
