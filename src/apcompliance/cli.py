"""The `apcompliance` command: demo, check, review-policy, coverage, handbook, reference, gaps,
rules, policy, schema.

Exit status: 0 fine; 1 the case has violations (check); 2 bad input (named in the message).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from apcompliance.calendar import SchoolCalendar
from apcompliance.coverage import coverage_report
from apcompliance.errors import ApComplianceError
from apcompliance.evaluate import default_evaluator, gaps_evaluator
from apcompliance.facts import Case
from apcompliance.handbook import handbook_markdown
from apcompliance.policy import load_policy
from apcompliance.reference import reference_markdown
from apcompliance.render import assessment_text, catalogue_text, coverage_text
from apcompliance.rulebook import StatuteCitation
from apcompliance.settings import PolicySettings

DEMOS: tuple[tuple[str, date], ...] = (
    ("suspension-case.json", date(2025, 11, 10)),
    ("off-site-direction-case.json", date(2026, 1, 20)),
)
"""The bundled example cases (policy sections I and H, L) and the date each is assessed as of."""


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="apcompliance",
        description="Check a pupil's alternative provision case against the Trust's AP policy.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="assess the bundled example cases")
    demo.add_argument("--json", action="store_true", help="print the assessments as a JSON array")
    check = sub.add_parser("check", help="assess a case file")
    check.add_argument("case", type=Path, help="the case, as JSON (see `apcompliance schema`)")
    check.add_argument("--as-of", type=_iso_date, required=True, help="evaluation date")
    check.add_argument("--calendar", type=Path, required=True, help="school calendar YAML")
    check.add_argument("--settings", type=Path, help="interpretation switches, as JSON")
    check.add_argument("--json", action="store_true", help="print the assessment as JSON")
    check.add_argument(
        "--gaps",
        action="store_true",
        help="also apply the statutory gap rules (where the law asks more than the policy)",
    )
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
    sub.add_parser("schema", help="print the JSON Schema of a case")
    return parser


def _read_case(path: Path) -> Case:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ApComplianceError(f"{path}: cannot read the case file ({exc.strerror})") from None
    try:
        return Case.model_validate_json(text)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(case)'}: {e['msg']}" for e in exc.errors()
        )
        raise ApComplianceError(f"{path}: invalid case: {problems}") from None


def _read_settings(path: Path | None) -> PolicySettings:
    if path is None:
        return PolicySettings()
    try:
        return PolicySettings.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError) as exc:
        raise ApComplianceError(f"{path}: invalid settings: {exc}") from None


def _assess(
    case: Case,
    as_of: date,
    calendar: SchoolCalendar,
    settings: PolicySettings,
    as_json: bool,
    gaps: bool = False,
) -> int:
    evaluator = gaps_evaluator() if gaps else default_evaluator()
    assessment = evaluator.evaluate(case, as_of=as_of, calendar=calendar, settings=settings)
    print(assessment.to_json() if as_json else assessment_text(assessment).rstrip("\n"))
    return 1 if assessment.violations else 0


def _demo(as_json: bool) -> int:
    examples = resources.files("apcompliance") / "data/examples"
    assessments = []
    for name, as_of in DEMOS:
        case = Case.model_validate_json((examples / name).read_text("utf-8"))
        assessment = default_evaluator().evaluate(
            case, as_of=as_of, calendar=SchoolCalendar.example()
        )
        if as_json:
            assessments.append(assessment.model_dump(mode="json"))
        else:
            print(f"Demo: bundled example case {name}, assessed as of {as_of}\n")
            print(assessment_text(assessment))
    if as_json:
        print(json.dumps(assessments, indent=2, ensure_ascii=False))
    return 0


def _run(args: argparse.Namespace) -> int:
    if args.command == "demo":
        return _demo(args.json)
    if args.command == "review-policy":
        assessment = default_evaluator().review_policy(
            as_of=args.as_of, settings=_read_settings(args.settings)
        )
        print(assessment.to_json() if args.json else assessment_text(assessment).rstrip("\n"))
        return 1 if assessment.violations else 0
    if args.command == "reference":
        print(reference_markdown(), end="")
        return 0
    if args.command == "handbook":
        print(handbook_markdown(default_evaluator().book, tests_dir=args.tests), end="")
        return 0
    if args.command == "coverage":
        report = coverage_report(default_evaluator().book)
        if args.json:
            print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        else:
            print(coverage_text(report, sentences=args.sentences), end="")
        return 1 if report.uncovered else 0
    if args.command == "check":
        case = _read_case(args.case)
        calendar = SchoolCalendar.from_yaml(args.calendar)
        settings = _read_settings(args.settings)
        return _assess(case, args.as_of, calendar, settings, args.json, args.gaps)
    if args.command == "gaps":
        gap_files = [(n, f) for n, f in gaps_evaluator().book.files if n.startswith("rules/gaps/")]
        rows = [
            {
                "id": r.id,
                "extends": r.clause,
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
        return 0
    if args.command == "rules":
        book = default_evaluator().book
        if args.json:
            rows = [
                {
                    "id": r.id,
                    "clause": r.clause,
                    "section": r.section,
                    "kind": r.kind,
                    "duty_holder": r.duty_holder,
                    "says": " ".join(r.says.split()),
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
    print(json.dumps(Case.model_json_schema(), indent=2))
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
        return _run(args)
    except ApComplianceError as exc:
        print(f"apcompliance: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
