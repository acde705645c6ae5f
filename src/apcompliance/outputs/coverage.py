"""Policy coverage: for every normative sentence of the policy, what the machine does with it.

A sentence is normative when it says what someone will, must, should, may or is responsible
for doing, or what the policy itself undergoes or has regard to (or it is a list item under
such a sentence); the words are `NORMATIVE`. It is *implemented* when an obligation or
requirement quotes it (as its `says`, in `also_cites`, or as the clause a deadline comes
from), *advisory* when only aims, recommendations, permissions or remarks do, *not
machine-checkable* when only a recorded reason covers it, and *uncovered* otherwise.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Literal

from apcompliance.language.rulebook import PolicyQuote, RuleBook
from apcompliance.policy.document import Policy, load_policy, normalise_space

Coverage = Literal["implemented", "advisory", "not machine-checkable", "uncovered"]
COVERAGES: tuple[Coverage, ...] = ("implemented", "advisory", "not machine-checkable", "uncovered")
NORMATIVE = re.compile(
    r"\b(will|must|should|shall|may|can|need|needs|required|responsible|responsibility|"
    r"recommends?|recommended|ensure|aims?|strives?|undergoes|has due regard)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z‘“(])")
MIN_OVERLAP = 30
"""Characters a quote must share with a sentence to cover it (or the whole sentence)."""


@dataclass(frozen=True)
class Sentence:
    """One normative sentence of a clause, and what covers it."""

    clause: str
    text: str
    coverage: Coverage
    rules: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Quote:
    """Words of a policy clause quoted in a rule file."""

    clause: str
    words: str
    by: str
    """The rule's id, or `not_checkable <clause>`."""
    kind: str
    """The rule's kind, or `not_checkable`."""
    reason: str = ""
    """A not-checkable sentence's reason."""
    file: str = ""
    where: str = "says"
    """Which key quotes it: says, also_cites, due.cites, except.due.cites, except.cites or
    not_checkable."""
    statutory: bool = False
    """Quoted by a statutory rule (which implements the law, not the clause)."""


@dataclass
class CoverageReport:
    """Every normative sentence, and counts per section and in total."""

    sentences: list[Sentence] = field(default_factory=list)

    def counts(self, section: str | None = None) -> dict[Coverage, int]:
        c = Counter(
            s.coverage
            for s in self.sentences
            if section is None or s.clause.split(".")[0] == section
        )
        return {k: c.get(k, 0) for k in COVERAGES}

    @property
    def uncovered(self) -> list[Sentence]:
        return [s for s in self.sentences if s.coverage == "uncovered"]

    def to_dict(self) -> dict[str, object]:
        sections = sorted({s.clause.split(".")[0] for s in self.sentences})
        return {
            "total": self.counts(),
            "sections": {letter: self.counts(letter) for letter in sections},
            "sentences": [s.__dict__ for s in self.sentences],
        }


def sentences_of(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(normalise_space(text)) if s]


def policy_quotes(book: RuleBook) -> list[Quote]:
    """Every quote of the policy in the rule book: each rule's `says`, `also_cites`, and the
    clauses its deadlines and exception cite (rules in file order), then every sentence
    recorded as not machine-checkable."""
    out = []
    for file, rule_file in book.files:
        for rule in rule_file.rules:
            statutory = rule.clause is None or rule.says is None
            if rule.clause is not None and rule.says is not None:
                out.append(Quote(rule.clause, rule.says, rule.id, rule.kind, file=file))
            cites = [("also_cites", c) for c in rule.also_cites if isinstance(c, PolicyQuote)]
            for where, due in (
                ("due.cites", rule.due),
                ("except.due.cites", rule.except_.due if rule.except_ else None),
            ):
                if due is not None and due.cites is not None:
                    cites.append((where, due.cites))
            if rule.except_ is not None and rule.except_.cites is not None:
                cites.append(("except.cites", rule.except_.cites))
            out += [
                Quote(c.clause, c.says, rule.id, rule.kind, "", file, where, statutory)
                for where, c in cites
            ]
    out += [
        Quote(
            n.clause,
            n.says,
            f"not_checkable {n.clause}",
            "not_checkable",
            n.reason,
            file,
            "not_checkable",
        )
        for file, rule_file in book.files
        for n in rule_file.not_checkable
    ]
    return out


def _covers(quote: str, sentence: str) -> bool:
    q, s = normalise_space(quote), normalise_space(sentence)
    if (q in s and len(q) >= min(MIN_OVERLAP, len(s))) or s in q:
        return True
    match = SequenceMatcher(None, q, s, autojunk=False).find_longest_match()
    return match.size >= min(MIN_OVERLAP, len(s))


def _ancestors(policy: Policy, clause_id: str) -> list[str]:
    out = [clause_id]
    parent = policy.clause(clause_id).parent
    while parent is not None:
        out.append(parent)
        parent = policy.clause(parent).parent
    return out


def _normative(policy: Policy, clause_id: str, sentence: str) -> bool:
    if NORMATIVE.search(sentence):
        return True
    parent = policy.clause(clause_id).parent
    return parent is not None and bool(NORMATIVE.search(policy.clause(parent).text))


def coverage_report(book: RuleBook, policy: Policy | None = None) -> CoverageReport:
    """What covers each normative sentence of the policy."""
    # a statutory rule implements the law beside the policy, not a clause
    quotes = [q for q in policy_quotes(book) if not q.statutory]
    return quotes_coverage(quotes, policy or load_policy())


def quotes_coverage(quotes: list[Quote], policy: Policy) -> CoverageReport:
    """What covers each normative sentence of `policy`, of the given quotes (their clause ids
    are `policy`'s)."""
    report = CoverageReport()
    for clause in policy.clauses():
        lineage = set(_ancestors(policy, clause.id))
        mine = [q for q in quotes if q.clause in lineage]
        for sentence in sentences_of(clause.text):
            if not _normative(policy, clause.id, sentence):
                continue
            hits = [q for q in mine if _covers(q.words, sentence)]
            kinds = {q.kind for q in hits}
            coverage: Coverage
            if kinds & {"obligation", "requirement"}:
                coverage = "implemented"
            elif kinds - {"not_checkable"}:
                coverage = "advisory"
            elif kinds:
                coverage = "not machine-checkable"
            else:
                coverage = "uncovered"
            report.sentences.append(
                Sentence(
                    clause=clause.id,
                    text=sentence,
                    coverage=coverage,
                    rules=tuple(sorted({q.by for q in hits if q.kind != "not_checkable"})),
                    reasons=tuple(q.reason for q in hits if q.kind == "not_checkable"),
                )
            )
    return report
