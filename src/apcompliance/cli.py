"""The `apcompliance` command: demo, check, check-many, report, import, template,
review-policy, coverage, drift, handbook, reference, gaps, rules, policy, schema, test. Also
`python -m apcompliance`.

`-` for a file reads standard input (the case of `check`, the cases of `check-many`). Every text
file read may start with a UTF-8 byte-order mark; one that is not UTF-8 is an error naming the
file and the byte offset (exit status 2).

Exit status of each command (EXIT_STATUS, also at the end of each command's --help):
    demo: 0 the examples were assessed.
    check: 0 no violations; 1 the case has violations; 2 bad input (the case, calendar,
        settings or key file).
    check-many: 0 no violations; 1 some case has violations; 2 some case could not be assessed
        (the others still are), or bad input (the cases, calendar or settings file).
    report: 0 the report was written; 2 bad input, or some case could not be assessed (the
        report is still written and lists it).
    import: 0 the cases were written; 2 the export has problems (each named by file, row and
        column; nothing is written).
    template: 0 the files were written; 2 they could not be.
    review-policy: 0 no violations; 1 the policy has violations (its review is overdue); 2 bad
        input (the settings file).
    coverage: 0 every normative sentence is covered; 1 some are not.
    drift: 0 the new policy text keeps every quote; 1 some rule must be revisited; 2 the file
        cannot be read or is not a policy text laid out like the bundled one.
    reference, handbook, gaps, rules, policy, schema: 0 printed.
    test: 0 every scenario passed; 1 some failed; 2 a file is malformed or a case could not be
        assessed (the other files still run).
Also 2, for every command: a usage error, or a file that cannot be read (named in the message);
    128 + N, stopped by signal N (130 Ctrl-C, SIGINT; 143 SIGTERM; 129 SIGHUP): files not
    finished were left as they were.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from apcompliance import textfiles
from apcompliance.calendar.clock import day
from apcompliance.calendar.school_calendar import SchoolCalendar
from apcompliance.errors import ApComplianceError, DuplicateKeyError
from apcompliance.evaluation.clusters import dask_executor
from apcompliance.evaluation.cohort import (
    DEFAULT_CASE_TIMEOUT,
    MAX_PROCESSES,
    CaseResult,
    CohortSummary,
    evaluate_many,
    read_jsonl,
)
from apcompliance.evaluation.evaluator import (
    ENGINE_CHOICES,
    EngineChoice,
    default_evaluator,
    gaps_evaluator,
    shared_evaluator,
)
from apcompliance.facts import Case
from apcompliance.facts.problems import validation_problems
from apcompliance.interruption import Interrupted, stopping_on_signals
from apcompliance.jsontext import validate_json
from apcompliance.language.rulebook import StatuteCitation
from apcompliance.outputs.about import version_text
from apcompliance.outputs.atomic import AtomicFile
from apcompliance.outputs.exports import Exports, ExportTargets
from apcompliance.outputs.filters import add_filter_arguments, filter_of
from apcompliance.outputs.ical import PENDING_STATUSES
from apcompliance.outputs.pseudonymise import pseudonym, pseudonymise, pseudonymise_result
from apcompliance.outputs.render import (
    assessment_json,
    assessment_text,
    catalogue_text,
    coverage_text,
)
from apcompliance.outputs.rendered import RenderedCase
from apcompliance.policy.document import load_policy
from apcompliance.policy.settings import PolicySettings
from apcompliance.policy.statutes import SCHOOL_TYPES
from apcompliance.results.selection import FindingFilter

# Each command imports the modules only it needs (the HTML report, the export reader, the
# reference texts, the scenarios) where it runs: `check` starts without them.

DEMOS: tuple[tuple[str, date], ...] = (
    ("suspension-case.json", date(2025, 11, 10)),
    ("off-site-direction-case.json", date(2026, 1, 20)),
)
"""The bundled example cases (policy sections I and H, L) and the date each is assessed as of."""
DEMO_REPORT = "apcompliance-demo-report.html"


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _processes(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes (0 or more)")
    if n > MAX_PROCESSES:
        raise argparse.ArgumentTypeError(f"{n} processes: at most {MAX_PROCESSES}")
    return n


def _seconds(text: str) -> float:
    try:
        n = float(text)
    except ValueError:
        n = -1.0
    if not (n > 0 and math.isfinite(n)):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds (more than 0)")
    return n


CALENDAR_HELP = "school calendar: YAML, or iCalendar by the extension .ics (see docs/calendar.md)"
GAPS_HELP = (
    "also apply the optional gap rules of sections G and H (where guidance or regulations ask "
    "more than the policy outside exclusions; `apcompliance gaps`)"
)
POLICY_ONLY_HELP = (
    "assess the policy's own duties only: leave out the statutory duties on exclusions (the "
    "law beside the policy, assessed by default; the setting policy_only)"
)
SCHOOL_TYPE_HELP = (
    "which regulations bind the school, for the statutory findings' citations (the setting "
    "school_type; default academy)"
)
ICAL_HELP = (
    "also write the pending deadlines (statuses: "
    + ", ".join(sorted(PENDING_STATUSES))
    + ") to FILE as iCalendar"
)
STDIN = "-"
"""The file name that means standard input."""

_PRINTED = "0 printed"
EXIT_STATUS: dict[str, str] = {
    "demo": "0 the examples were assessed",
    "check": "0 no violations; 1 the case has violations; 2 bad input (the case, calendar, "
    "settings or key file)",
    "check-many": "0 no violations; 1 some case has violations; 2 some case could not be "
    "assessed (the others still are), or bad input (the cases, calendar or settings file)",
    "report": "0 the report was written; 2 bad input, or some case could not be assessed (the "
    "report is still written and lists it)",
    "import": "0 the cases were written; 2 the export has problems (each named by file, row "
    "and column; nothing is written)",
    "template": "0 the files were written; 2 they could not be",
    "review-policy": "0 no violations; 1 the policy has violations (its review is overdue); 2 "
    "bad input (the settings file)",
    "coverage": "0 every normative sentence is covered; 1 some are not",
    "drift": "0 the new policy text keeps every quote; 1 some rule must be revisited; 2 the file "
    "cannot be read or is not a policy text laid out like the bundled one",
    "reference": _PRINTED,
    "handbook": _PRINTED,
    "gaps": _PRINTED,
    "rules": _PRINTED,
    "policy": _PRINTED,
    "schema": _PRINTED,
    "test": "0 every scenario passed; 1 some failed; 2 a file is malformed or a case could not "
    "be assessed (the other files still run)",
}
"""Each command's exit status, shown at the end of its --help (and in this module's docstring)."""
USAGE_EXIT = (
    "Also 2: a usage error, or a file that cannot be read (named in the message); 128 + N: "
    "stopped by signal N (130 Ctrl-C, SIGINT; 143 SIGTERM; 129 SIGHUP), files not finished "
    "left as they were."
)


def exit_status_epilog(command: str) -> str:
    """The end of a command's --help: its exit status."""
    return f"Exit status: {EXIT_STATUS[command]}. {USAGE_EXIT}"


class _Version(argparse.Action):
    """--version: computed only when asked (it loads the policy and the rule book)."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(version_text(), end="")
        parser.exit()


PSEUDONYMISE_HELP = "replace the case id by a keyed pseudonym (the key: a file of 16+ bytes)"
ENGINE_HELP = (
    "the rule engine: durable (durable-rules), python (the plain-Python evaluator) or auto "
    "(durable where it can be imported, else python; the default)"
)


def _export_arguments(parser: argparse.ArgumentParser) -> None:
    """--ical-dir, --xlsx and --csv (docs/exports.md)."""
    parser.add_argument(
        "--ical-dir",
        type=Path,
        metavar="DIR",
        help="also write the pending deadlines as one iCalendar feed per duty holder in DIR, "
        "with README.txt saying which file is whose",
    )
    parser.add_argument(
        "--xlsx",
        type=Path,
        metavar="FILE",
        help="also write the findings as an Excel workbook: Summary, Findings and Not assessed "
        "sheets (needs apcompliance[xlsx])",
    )
    parser.add_argument(
        "--csv", type=Path, metavar="FILE", help="also write the findings as CSV (UTF-8)"
    )


def _export_targets(args: argparse.Namespace) -> ExportTargets:
    return ExportTargets(ical=args.ical, ical_dir=args.ical_dir, xlsx=args.xlsx, csv=args.csv)


def _reading_arguments(parser: argparse.ArgumentParser) -> None:
    """The options that choose how a case is read and assessed, the same on check, check-many
    and report: settings, the gap rules, policy only, the school's type, the engine."""
    parser.add_argument("--settings", type=Path, help="interpretation switches, as JSON")
    parser.add_argument("--gaps", action="store_true", help=GAPS_HELP)
    parser.add_argument("--policy-only", action="store_true", help=POLICY_ONLY_HELP)
    parser.add_argument("--school-type", choices=SCHOOL_TYPES, help=SCHOOL_TYPE_HELP)
    parser.add_argument("--engine", choices=ENGINE_CHOICES, default="auto", help=ENGINE_HELP)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="apcompliance",
        description="Check a pupil's alternative provision case against the Trust's AP policy.",
        epilog="Exit status: 0 fine; 1 violations found (check, check-many, review-policy), "
        "uncovered sentences (coverage), quotes a new policy text drifts from (drift) or failed "
        "scenarios (test); 2 bad input, named in the "
        "message. Each command's --help says which.",
    )
    parser.add_argument(
        "--version",
        action=_Version,
        help="print the version, the schema version, and the policy text and rules applied",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="assess the bundled example cases")
    demo.add_argument("--json", action="store_true", help="print the assessments as a JSON array")
    demo.add_argument("--all", action="store_true", help="show every finding in full")
    demo.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help=f"write the HTML report of the two cases to FILE (default: {DEMO_REPORT} in the "
        "current folder; with --json, only when given)",
    )
    check = sub.add_parser("check", help="assess a case file")
    check.add_argument(
        "case", type=Path, help="the case, as JSON (see `apcompliance schema`); - reads stdin"
    )
    check.add_argument("--as-of", type=_iso_date, required=True, help="evaluation date")
    check.add_argument("--calendar", type=Path, required=True, help=CALENDAR_HELP)
    _reading_arguments(check)
    check.add_argument("--json", action="store_true", help="print the assessment as JSON")
    check.add_argument("--pseudonymise", type=Path, metavar="KEYFILE", help=PSEUDONYMISE_HELP)
    check.add_argument("--ical", type=Path, metavar="FILE", help=ICAL_HELP)
    _export_arguments(check)
    add_filter_arguments(check)
    many = sub.add_parser(
        "check-many",
        help="assess a cohort: one case per line of a JSON Lines file",
        description="Assess every case of a JSON Lines file (one case per line, as for "
        "`check`). Prints a summary of violations by section, duty holder and case; a bad "
        "line is reported with its line number and the rest are still assessed.",
    )
    many.add_argument("cases", type=Path, help="the cases, one JSON object per line; - reads stdin")
    many.add_argument("--as-of", type=_iso_date, required=True, help="evaluation date")
    many.add_argument("--calendar", type=Path, required=True, help=CALENDAR_HELP)
    _reading_arguments(many)
    many.add_argument(
        "--processes",
        type=_processes,
        default=1,
        metavar="N",
        help=f"assess in N worker processes (0: one per CPU; default 1; at most {MAX_PROCESSES})",
    )
    many.add_argument(
        "--dask",
        metavar="SCHEDULER",
        help="assess on a Dask cluster instead, its scheduler at SCHEDULER (e.g. "
        "tcp://10.0.0.5:8786); needs apcompliance[dask] (docs/scale.md)",
    )
    many.add_argument(
        "--case-timeout",
        type=_seconds,
        default=DEFAULT_CASE_TIMEOUT,
        metavar="S",
        help="report a case not assessed within S seconds as an error for that case and go on "
        f"(default {DEFAULT_CASE_TIMEOUT:g}: far beyond any realistic case)",
    )
    many.add_argument(
        "--json",
        action="store_true",
        help="print JSON Lines: one assessment per case, in input order; a bad line as "
        '{"line": ..., "case": ..., "error": ...}',
    )
    many.add_argument("--ical", type=Path, metavar="FILE", help=ICAL_HELP)
    _export_arguments(many)
    many.add_argument(
        "--pseudonymise",
        type=Path,
        metavar="KEYFILE",
        help=PSEUDONYMISE_HELP + ", in every output (JSON, summary, calendars, workbook, CSV)",
    )
    many.add_argument("--quiet", action="store_true", help="no progress bar")
    add_filter_arguments(many, all_option=False)
    report = sub.add_parser(
        "report",
        help="write a cohort's HTML report: rates, to-do lists, a timeline per pupil",
        description="Assess every case of a JSON Lines file (as for `check-many`) and write one "
        "self-contained HTML page (docs/report.md): compliance rates by section and duty, by "
        "looked-after, EHC plan, SEN and FSM, a to-do list per duty holder and a timeline per "
        "pupil.",
    )
    report.add_argument("cases", type=Path, help="the cases, one JSON object per line")
    report.add_argument("--as-of", type=_iso_date, required=True, help="evaluation date")
    report.add_argument("--calendar", type=Path, required=True, help=CALENDAR_HELP)
    report.add_argument(
        "-o", "--out", type=Path, required=True, metavar="FILE", help="the HTML file to write"
    )
    _reading_arguments(report)
    report.add_argument(
        "--pseudonymise",
        type=Path,
        metavar="KEYFILE",
        help="show keyed pseudonyms instead of case ids (the key: a file of 16+ bytes)",
    )
    imports = sub.add_parser(
        "import",
        help="make cases from a school-system export (census-style CSV files)",
        description="Read an export's CSV files (docs/importing.md) and write one case per "
        "pupil as JSON Lines, for `check-many`. A summary of what every row became goes to "
        "stderr.",
    )
    imports.add_argument(
        "export", nargs="+", type=Path, metavar="EXPORT", help="a folder of CSV files, or files"
    )
    imports.add_argument("--out", type=Path, required=True, help="the cases file (JSON Lines)")
    imports.add_argument(
        "--key",
        type=Path,
        metavar="KEYFILE",
        help="a secret (a file of 16+ bytes) to make each case id a keyed pseudonym of the "
        "UPN, where pupils.csv gives no CaseRef",
    )
    imports.add_argument(
        "--summary", type=Path, metavar="FILE", help="also write the summary as JSON to FILE"
    )
    template = sub.add_parser(
        "template",
        help="write every CSV file of an export: its header and one example row",
    )
    template.add_argument("folder", type=Path, metavar="DIR", help="where to write the files")
    review = sub.add_parser(
        "review-policy",
        help="assess the policy itself: its formal review (R.1), references the law overtook",
    )
    review.add_argument("--as-of", type=_iso_date, required=True, help="evaluation date")
    review.add_argument(
        "--settings", type=Path, help="settings as JSON, with policy_reviews (review dates)"
    )
    review.add_argument("--json", action="store_true", help="print the assessment as JSON")
    cover = sub.add_parser(
        "coverage", help="what the rules do with every normative sentence of the policy"
    )
    cover.add_argument("--json", action="store_true", help="print the report as JSON")
    cover.add_argument(
        "--sentences", action="store_true", help="list every sentence, not only uncovered ones"
    )
    drift = sub.add_parser(
        "drift",
        help="list the rules a new version of the policy's text affects (quotes reworded, "
        "gone or moved; new sentences; sections retitled)",
        description="Compare a new version of the policy's plain text with the bundled one: "
        "every rule (and not-checkable sentence, term, switch) whose quoted words are no longer "
        "found verbatim under its clause (reworded, with the nearest passage; gone; or moved "
        "to another clause), new normative sentences no rule quotes, and sections retitled, "
        "added or removed. See docs/citations.md.",
    )
    drift.add_argument("new_policy", type=Path, metavar="NEW-POLICY.txt", help="the new text")
    drift.add_argument("--json", action="store_true", help="print the records as a JSON array")
    sub.add_parser("reference", help="print the case, event and switch reference (Markdown)")
    hand = sub.add_parser("handbook", help="print the policy handbook (Markdown)")
    hand.add_argument("--tests", type=Path, help="the tests folder, to list the tests of each rule")
    gaps = sub.add_parser(
        "gaps", help="list where the law asks more or other than the policy (optional rules)"
    )
    gaps.add_argument("--json", action="store_true")
    rules = sub.add_parser("rules", help="list the rule catalogue")
    rules.add_argument("--json", action="store_true")
    policy = sub.add_parser("policy", help="print the policy's clause index (ids and text)")
    policy.add_argument("--json", action="store_true")
    schema = sub.add_parser("schema", help="print the versioned JSON Schema of a case (input)")
    which = schema.add_mutually_exclusive_group()
    which.add_argument("--case", action="store_true", help="the schema of a case (the default)")
    which.add_argument(
        "--assessment", action="store_true", help="the schema of an assessment (output)"
    )
    test = sub.add_parser(
        "test",
        help="run scenario files: the Trust's own readings of the policy (docs/scenarios.md)",
        description="Run every scenario of each YAML scenario file: one line per scenario "
        "(PASS, FAIL, or ERROR where its case cannot be assessed), and for a failure what was "
        "expected and the findings the rules made.",
    )
    test.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="scenario files (a folder: its *.yaml)"
    )
    test.add_argument(
        "--verbose", action="store_true", help="also show what each scenario checked and matched"
    )
    for name, command in sub.choices.items():
        if name in EXIT_STATUS:
            command.epilog = exit_status_epilog(name)
    return parser


def _read_case(path: Path) -> Case:
    stdin = str(path) == STDIN
    name = "<stdin>" if stdin else str(path)
    try:
        raw = sys.stdin.buffer.read() if stdin else path.read_bytes()
    except OSError as exc:
        raise ApComplianceError(f"{name}: cannot read the case file ({exc.strerror})") from None
    try:
        return validate_json(Case, textfiles.decode(raw, name))
    except DuplicateKeyError as exc:
        raise ApComplianceError(f"{name}: invalid case: {exc}") from None
    except ValidationError as exc:
        raise ApComplianceError(f"{name}: invalid case: {validation_problems(exc, Case)}") from None


def _read_calendar(path: Path) -> SchoolCalendar:
    """A calendar file: iCalendar when its name ends .ics (or .ical), else YAML."""
    return SchoolCalendar.from_file(path)


def _read_settings(path: Path | None) -> PolicySettings:
    if path is None:
        return PolicySettings()
    try:
        return validate_json(PolicySettings, textfiles.read_text(path))
    except OSError as exc:
        raise ApComplianceError(f"{path}: cannot read the settings ({exc.strerror})") from None
    except DuplicateKeyError as exc:
        raise ApComplianceError(f"{path}: invalid settings: {exc}") from None
    except ValidationError as exc:
        problems = validation_problems(exc, PolicySettings)
        raise ApComplianceError(f"{path}: invalid settings: {problems}") from None


def _assess(
    case: Case,
    as_of: date,
    calendar: SchoolCalendar,
    settings: PolicySettings,
    as_json: bool,
    gaps: bool = False,
    targets: ExportTargets | None = None,
    key: bytes | None = None,
    engine: EngineChoice = "auto",
    selection: FindingFilter | None = None,
    complete: bool = False,
) -> int:
    evaluator = shared_evaluator(gaps=gaps, engine=engine)
    try:
        assessment = evaluator.evaluate(case, as_of=as_of, calendar=calendar, settings=settings)
    except ApComplianceError as exc:
        if key is None:
            raise
        alias = pseudonym(case.case_id, key)
        raise ApComplianceError(str(exc).replace(case.case_id, alias)) from None
    if key is not None:
        assessment = pseudonymise(assessment, key)
    name = f"case {assessment.case_id}"
    with Exports(
        targets or ExportTargets(),
        name=f"AP deadlines: {name} as of {as_of}",
        source=name,
        as_of=as_of,
        calendar=calendar.name,
    ) as out:
        # the tables hold the findings selected; a calendar every pending deadline (a duty
        # holder subscribed to it must not lose one because a view was filtered)
        render = replace(out.render, key=None, selection=selection, calendar=calendar)
        out.add(CaseResult(1, assessment.case_id, rendered=render(assessment)))
    if as_json:
        print(assessment_json(assessment, selection, calendar))
    else:
        text = assessment_text(
            assessment, selection=selection, complete=complete, calendar=calendar
        )
        print(text.rstrip("\n"))
    return 1 if assessment.violations else 0


def _read_key(path: Path | None) -> bytes | None:
    if path is None:
        return None
    try:
        key = path.read_bytes().removeprefix(codecs.BOM_UTF8).strip()  # as Notepad saves it
    except OSError as exc:
        raise ApComplianceError(f"{path}: cannot read the key file ({exc.strerror})") from None
    if len(key) < 16:
        raise ApComplianceError(f"{path}: a pseudonymisation key needs at least 16 bytes")
    return key


def _error_record(result: CaseResult) -> str:
    record = {"line": result.line, "case": result.case_id, "error": result.error}
    return json.dumps(record, ensure_ascii=False)


def _with_options(settings: PolicySettings, args: argparse.Namespace) -> PolicySettings:
    """The settings with `--policy-only` and `--school-type` applied over the settings file."""
    update: dict[str, object] = {}
    if args.policy_only:
        update["policy_only"] = True
    if args.school_type is not None:
        update["school_type"] = args.school_type
    return settings.model_copy(update=update) if update else settings


def _check_many(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    calendar = _read_calendar(args.calendar)
    settings = _with_options(_read_settings(args.settings), args)
    selection = filter_of(args)
    stdin = str(args.cases) == STDIN  # read once, as it comes: no total for the progress bar
    name = "standard input" if stdin else args.cases.name
    # counting also fails early on an unreadable file, or one that is not UTF-8
    total = None if stdin else sum(1 for _ in read_jsonl(args.cases))
    evaluator = shared_evaluator(gaps=args.gaps, engine=args.engine)
    key = _read_key(args.pseudonymise)
    exports = Exports(
        _export_targets(args),
        name=f"AP deadlines: {name} as of {args.as_of}",
        source=f"cohort {name}",
        as_of=args.as_of,
        calendar=calendar.name,
        key=key,
    )
    render = replace(exports.render, calendar=calendar, selection=selection, json=args.json)
    cluster = contextlib.ExitStack()
    executor, in_flight = None, None
    if args.dask is not None:
        if args.processes != 1:
            raise ApComplianceError("--dask and --processes: give one of them")
        executor, in_flight = cluster.enter_context(dask_executor(args.dask))
    results = evaluate_many(
        read_jsonl(sys.stdin.buffer if stdin else args.cases),
        as_of=args.as_of,
        calendar=calendar,
        settings=settings,
        processes=args.processes or None,
        evaluator=evaluator,
        render=render,  # made where each case is assessed: the assessments stay there
        assessments=False,
        case_timeout=args.case_timeout,
        executor=executor,
        in_flight=in_flight,
    )
    summary = CohortSummary()
    any_violations = False  # in the whole assessments, whatever the filter selects
    tqdm.monitor_interval = 0  # no monitor thread: worker processes may be forked
    bar = tqdm(
        total=total,
        unit="case",
        desc="assessing",
        file=sys.stderr,
        disable=args.quiet or not sys.stderr.isatty(),
    )
    with cluster, bar, exports:
        for result in results:
            if key is not None:  # the case id of an error (the rest was rendered with the key)
                result = pseudonymise_result(result, key)
            rendered = result.rendered if isinstance(result.rendered, RenderedCase) else None
            summary.add(result, rendered.counts if rendered is not None else None)
            any_violations = any_violations or (rendered is not None and rendered.any_violations)
            bar.update(1)
            bar.set_postfix(violations=summary.violations, errors=summary.errors, refresh=False)
            if args.json:
                print(rendered.json if rendered is not None else _error_record(result))
            exports.add(result)
    if not args.json:
        titles = {k: v.title for k, v in load_policy().sections.items()}
        print(f"Cohort {name} as of {day(args.as_of)} on {calendar.name}")
        if not selection.is_empty:
            print(f"Findings selected: {selection.describe()}")
        print(summary.to_text(section_titles=titles), end="")
    if summary.errors:
        print(
            f"apcompliance: {summary.errors} of {summary.cases} case(s) could not be assessed",
            file=sys.stderr,
        )
        return 2
    return 1 if any_violations else 0


def _import(args: argparse.Namespace) -> int:
    from apcompliance.importing import read_export

    result = read_export(args.export, key=_read_key(args.key))
    # each whole or not at all: an error or an interruption leaves the previous file
    with AtomicFile(args.out, "cases", encoding="utf-8") as out, out.writing():
        result.write_jsonl(out.file)
    if args.summary is not None:
        with AtomicFile(args.summary, "summary", encoding="utf-8") as out, out.writing():
            out.file.write(json.dumps(result.summary.to_dict(), indent=2) + "\n")
    print(f"{args.out}: " + result.summary.to_text(), end="", file=sys.stderr)
    return 0


def _template(folder: Path) -> int:
    from apcompliance.importing import write_templates

    try:
        written = write_templates(folder)
    except OSError as exc:
        raise ApComplianceError(f"{exc.filename}: cannot write ({exc.strerror})") from None
    print(f"{folder}: {len(written)} CSV file(s), each a header and one example row")
    return 0


def _demo(as_json: bool, report_path: Path | None, complete: bool = False) -> int:
    from apcompliance.outputs.report import CohortReport, write_report

    examples = resources.files("apcompliance") / "data/examples"
    assessments = []
    calendar = SchoolCalendar.example()
    report = CohortReport(
        calendar=calendar, title="Demo: the two bundled example cases", source="the examples"
    )
    for line, (name, as_of) in enumerate(DEMOS, start=1):
        case = Case.model_validate_json((examples / name).read_text("utf-8"))
        assessment = default_evaluator().evaluate(case, as_of=as_of, calendar=calendar)
        report.add(line, case, assessment)
        if as_json:
            assessments.append(assessment.model_dump(mode="json"))
        else:
            print(f"Demo: bundled example case {name}, assessed as of {as_of}\n")
            print(assessment_text(assessment, complete=complete))
    if as_json:
        print(json.dumps(assessments, indent=2, ensure_ascii=False))
    if report_path is None and as_json:
        return 0
    path = (report_path or Path(DEMO_REPORT)).resolve()
    write_report(path, report.html())
    print(
        f"The report of both cases (rates, to-do lists, timelines): {path}",
        file=sys.stderr if as_json else sys.stdout,
    )
    return 0


def _report(args: argparse.Namespace) -> int:
    from apcompliance.outputs.report import cohort_report, write_report

    settings = _with_options(_read_settings(args.settings), args)
    report = cohort_report(
        read_jsonl(args.cases),
        as_of=args.as_of,
        calendar=_read_calendar(args.calendar),
        settings=settings,
        evaluator=shared_evaluator(gaps=args.gaps, engine=args.engine),
        key=_read_key(args.pseudonymise),
        source=args.cases.name,
    )
    write_report(args.out, report.html())
    print(f"{args.out}: {report.summary}")
    return 2 if report.errors else 0


_LABELS = {"passed": "PASS", "failed": "FAIL", "error": "ERROR"}


def _test(paths: Sequence[Path], *, verbose: bool) -> int:
    """Run scenario files: a line per scenario, each failure's details, then a summary."""
    from apcompliance.scenarios import ScenarioFileError, load_scenario_file

    files = [f for p in paths for f in (sorted(p.glob("*.yaml")) if p.is_dir() else [p])]
    outcomes = {"passed": 0, "failed": 0, "error": 0}
    malformed = 0
    for path in files:
        try:
            suite = load_scenario_file(path)
        except ScenarioFileError as exc:
            print(f"apcompliance: error: {exc}", file=sys.stderr)
            malformed += 1
            continue
        for scenario in suite.scenarios:
            result = suite.run_one(scenario)
            outcomes[result.outcome] += 1
            print(f"{_LABELS[result.outcome]:<5}  {path}: {result.name}")
            details = list(result.problems) or ([result.error] if result.error else [])
            if verbose:
                says = [f"says: {scenario.spec.says}"] if scenario.spec.says else []
                details = says + [f"ok: {line}" for line in result.checked] + details
            for line in "\n".join(details).splitlines():
                print(f"       {line}")
    total = sum(outcomes.values())
    summary = f"{total} scenario(s): {outcomes['passed']} passed, {outcomes['failed']} failed"
    if outcomes["error"]:
        summary += f", {outcomes['error']} could not be assessed"
    if malformed:
        summary += f"; {malformed} malformed file(s)"
    print(summary)
    if malformed or outcomes["error"]:
        return 2
    return 1 if outcomes["failed"] else 0


def _run(args: argparse.Namespace) -> int:
    if args.command == "test":
        return _test(args.files, verbose=args.verbose)
    if args.command == "demo":
        return _demo(args.json, args.report, args.all)
    if args.command == "report":
        return _report(args)
    if args.command == "import":
        return _import(args)
    if args.command == "template":
        return _template(args.folder)
    if args.command == "review-policy":
        assessment = default_evaluator().review_policy(
            as_of=args.as_of, settings=_read_settings(args.settings)
        )
        text = assessment_text(assessment, complete=True)
        print(assessment.to_json() if args.json else text.rstrip("\n"))
        return 1 if assessment.violations else 0
    if args.command == "reference":
        from apcompliance.outputs.reference import reference_markdown

        print(reference_markdown(), end="")
        return 0
    if args.command == "handbook":
        from apcompliance.outputs.handbook import handbook_markdown

        print(handbook_markdown(default_evaluator().book, tests_dir=args.tests), end="")
        return 0
    if args.command == "coverage":
        from apcompliance.outputs.coverage import coverage_report

        report = coverage_report(default_evaluator().book)
        if args.json:
            print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        else:
            print(coverage_text(report, sentences=args.sentences), end="")
        return 1 if report.uncovered else 0
    if args.command == "drift":
        from apcompliance.outputs.drift import drift_text, policy_drift

        drifted = policy_drift(args.new_policy)
        print(drifted.to_json() if args.json else drift_text(drifted), end="")
        return 1 if drifted.drifted else 0
    if args.command == "check":
        case = _read_case(args.case)
        calendar = _read_calendar(args.calendar)
        settings = _with_options(_read_settings(args.settings), args)
        key = _read_key(args.pseudonymise)
        targets = _export_targets(args)
        return _assess(
            case,
            args.as_of,
            calendar,
            settings,
            args.json,
            args.gaps,
            targets,
            key,
            args.engine,
            filter_of(args),
            args.all,
        )
    if args.command == "check-many":
        return _check_many(args)
    if args.command == "gaps":
        gap_files = [(n, f) for n, f in gaps_evaluator().book.files if n.startswith("rules/gaps/")]
        rows = [
            {
                "id": r.id,
                "extends": r.label,
                "kind": r.kind,
                "duty_holder": r.duty_holder,
                "action": r.action,
                "law": [c.statute for c in r.also_cites if isinstance(c, StatuteCitation)],
            }
            for _, f in gap_files
            for r in f.rules
        ]
        if args.json:
            print(json.dumps(rows, indent=2, ensure_ascii=False))
        else:
            for row in rows:
                print(f"{row['id']}  ({row['kind']}, extends {row['extends']})")
                print(f"    {row['duty_holder']}: {row['action']}")
                for law in row["law"]:
                    print(f"    law: {' '.join(str(law).split())}")
            print("\nOff by default: `apcompliance check --gaps` applies them.")
            print(
                "The statutory duties on exclusions (rules/I-statutory-duties.yaml) are not gap "
                "rules: they are assessed by default (--policy-only leaves them out)."
            )
        return 0
    if args.command == "rules":
        book = default_evaluator().book
        if args.json:
            rows = [
                {
                    "id": r.id,
                    "tier": r.tier,
                    "clause": r.label,
                    "section": r.section,
                    "kind": r.kind,
                    "duty_holder": r.duty_holder,
                    "says": " ".join(r.cited()[1].split()),
                }
                for r in book.rules
            ]
            print(json.dumps(rows, indent=2, ensure_ascii=False))
        else:
            print(catalogue_text(book), end="")
        return 0
    if args.command == "policy":
        print(_policy_index(as_json=args.json), end="")
        return 0
    from apcompliance.outputs.schemas import assessment_schema, case_schema

    schema = assessment_schema() if args.assessment else case_schema()
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0


def _policy_index(*, as_json: bool) -> str:
    index = load_policy()
    if as_json:
        rows = [
            {
                "id": c.id,
                "section": c.section,
                "section_title": index.sections[c.section].title,
                "kind": c.kind,
                "parent": c.parent,
                "heading": c.heading,
                "text": c.text,
            }
            for c in index.clauses()
        ]
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    lines = []
    for section in index.sections.values():
        lines.append(f"{section.letter}  {section.title}")
        lines += [f"  {cid:<10} {index.clause(cid).text}" for cid in section.clause_ids]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `apcompliance` command."""
    args = _parser().parse_args(argv)
    try:
        with stopping_on_signals():  # a signal unwinds: workers ended, temporary files removed
            return _run(args)
    except Interrupted as stop:
        print(
            f"apcompliance: stopped by {stop.name}; files not finished were left as they were",
            file=sys.stderr,
        )
        return stop.exit_status
    except BrokenPipeError:  # the reader (e.g. `| head`) stopped reading: not an error
        sys.stderr.close()
        return 0
    except ApComplianceError as exc:
        print(f"apcompliance: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
