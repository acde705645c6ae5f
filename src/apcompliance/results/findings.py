"""Findings: what the judge concludes for each rule that applies, with its citation.

A `Finding` is plain data (`data.FindingData`); its `explain()` and notebook view are
worked out on demand by `explain`, from the finding and the rule book it names.
"""

from __future__ import annotations

from apcompliance.language.rulebook import RuleBook
from apcompliance.results.data import (
    ADVISORY_KINDS,
    PERIOD_STEP,
    VIOLATION_STATUSES,
    Citation,
    DayRange,
    Explanation,
    FindingData,
    PendingExplanation,
    Status,
    trusted,
)
from apcompliance.results.explain import explain_finding, finding_html, rule_for

__all__ = [
    "ADVISORY_KINDS",
    "PERIOD_STEP",
    "VIOLATION_STATUSES",
    "Citation",
    "DayRange",
    "Explanation",
    "Finding",
    "PendingExplanation",
    "Status",
    "trusted",
]


class Finding(FindingData):
    """One rule's conclusion for one set of matched facts."""

    def explain(self, *, book: RuleBook | None = None) -> str:
        """In plain English: the facts that made the rule apply, how the deadline was counted,
        the interpretation switches it depends on, what met it, its status and the clause.

        The rule is looked up by id in `book`, or in the bundled rules; it is used only if it
        is the rule that made this finding (the same clause, kind, duty and action, and tests
        the matched facts do not fail). Without it, the explanation lists every field of the
        facts matched. Pass `book=` for a finding of a custom rule book."""
        return explain_finding(self, rule_for(self, book))

    def _repr_html_(self) -> str:
        return finding_html(self)
