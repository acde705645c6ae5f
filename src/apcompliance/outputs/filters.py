"""The finding filter's command-line options (`check`, `check-many`): `--only`, `--section`,
`--duty-holder`, `--status`, `--within`, `--all`, and the filter they make
(`results.selection.FindingFilter`)."""

from __future__ import annotations

import argparse

from apcompliance.results.selection import (
    DUE_WITHIN,
    DUTY_HOLDERS,
    ONLY_CHOICES,
    FilterError,
    FindingFilter,
)

FILTER_DESCRIPTION = (
    "Which findings to show (and, with --json, to write). The options combine: a finding "
    "shown passes each one given. A section, duty holder or status may be repeated or given "
    "as a comma list. The exit status is still that of the whole assessment (1 when any "
    "finding is a violation), whatever the filters show."
)


def _school_days(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of school days (0 or more)")
    return n


def add_filter_arguments(parser: argparse.ArgumentParser, *, all_option: bool = True) -> None:
    """The filter's options, in a group of their own; `--all` (every finding in full) where
    the command shows what matters first by default."""
    group = parser.add_argument_group("which findings", FILTER_DESCRIPTION)
    group.add_argument(
        "--only",
        choices=ONLY_CHOICES,
        help="violations (overdue, late, breached); due (not yet done, deadline within "
        f"--within school days, default {DUE_WITHIN}); open (neither met nor a violation yet, "
        "information needed included); needs-info (the case lacks a value a finding turns on)",
    )
    group.add_argument(
        "--section", action="append", metavar="LETTER", help="policy sections (e.g. I or H,I)"
    )
    group.add_argument(
        "--duty-holder",
        action="append",
        metavar="WHO",
        help="duty holders: " + ", ".join(DUTY_HOLDERS),
    )
    group.add_argument(
        "--status", action="append", metavar="STATUS", help="statuses (e.g. overdue,pending)"
    )
    group.add_argument(
        "--within",
        type=_school_days,
        metavar="N",
        help="deadlines from the evaluation date to the Nth school day after it (on the "
        "calendar given)",
    )
    if all_option:
        group.add_argument(
            "--all",
            action="store_true",
            help="show every finding in full, with the clause's words (by default: a "
            f"summary, the violations and what is due within {DUE_WITHIN} school days)",
        )


def filter_of(args: argparse.Namespace) -> FindingFilter:
    """The filter the options give (empty when none is given). FilterError for an unknown
    section, duty holder or status, or for `--all` with a filter."""
    selection = FindingFilter.of(
        only=args.only,
        section=args.section,
        duty_holder=args.duty_holder,
        status=args.status,
        within=args.within,
    )
    if getattr(args, "all", False) and not selection.is_empty:
        raise FilterError(
            f"--all shows every finding: leave it out to show only {selection.describe()}"
        )
    return selection
