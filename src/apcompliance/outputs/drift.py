"""Policy drift: what a new version of the policy's text changes for the words the rules quote.

Every rule quotes its clause's words (`says`, `also_cites`, the clauses its deadlines cite) and
the rule files record the sentences no machine can check, by their words too; the loader checks
each quote with `Policy.quotes` (whitespace normalised, otherwise exact). Against a new version
of the text, checked the same way, each quote is

* still there under its clause (nothing to do);
* ``moved``: found verbatim, but under another clause id or section (numbering moved);
* ``reworded``: not found verbatim, with a passage of the new text close to it (`SIMILAR`);
* ``gone``: not found, and nothing close.

Words the rules quote informally (a double-quoted phrase in a rule's note or action, a named
term's description, a not-checkable reason or a switch's description) count where they are the
old policy's words verbatim; they are reported reworded or gone, never moved (their clause ids
are prose). The new text's normative sentences that are not in the old one and that no quote
covers (as `apcompliance coverage` decides, with the quotes moved to where they now are) are
``added``; sections retitled, added, removed or moved are reported once each.
"""

from __future__ import annotations

import dataclasses
import json
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Literal

from apcompliance.errors import ApComplianceError, PolicyIndexError
from apcompliance.language.rulebook import RuleBook, load_rulebook
from apcompliance.outputs.coverage import Quote, policy_quotes, quotes_coverage, sentences_of
from apcompliance.policy.document import (
    Policy,
    load_policy,
    normalise_space,
    parse_policy_version,
)
from apcompliance.policy.settings import PolicySettings
from apcompliance.textfiles import read_text

__all__ = [
    "DRIFT_KINDS",
    "SIMILAR",
    "DriftKind",
    "DriftRecord",
    "DriftReport",
    "drift_text",
    "policy_drift",
    "read_policy_text",
]

DriftKind = Literal[
    "section_retitled",
    "section_added",
    "section_removed",
    "section_moved",
    "gone",
    "reworded",
    "moved",
    "added",
]
DRIFT_KINDS: tuple[DriftKind, ...] = (
    "section_retitled",
    "section_added",
    "section_removed",
    "section_moved",
    "gone",
    "reworded",
    "moved",
    "added",
)
"""The kinds of record, in the order a section lists them."""
SIMILAR = 0.6
"""How alike (difflib's ratio) a passage of the new text must be to quoted words that are no
longer there for them to count as reworded rather than gone."""
_CANDIDATES = 5
"""Clauses (those sharing most words with a quote) whose text is searched for its nearest
passage."""
_INFORMAL = re.compile(r"\"([^\"]{12,}?)\"|“([^”]{12,}?)”")


@dataclass(frozen=True)
class DriftRecord:
    """One thing a reviewer revisits before adopting the new text."""

    kind: DriftKind
    section: str
    """The section the record is listed under: the quote's (old) section, else the new one's."""
    clause: str | None = None
    """The clause the quote cites (old numbering); for `added`, the new clause's id."""
    new_clause: str | None = None
    """moved: where the words now are; reworded: the clause of the nearest passage."""
    new_section: str | None = None
    """section_moved: the section's new letter."""
    rule: str | None = None
    """The rule that quotes the words (None for a not-checkable sentence, a term, a switch)."""
    file: str | None = None
    """The file that holds the quote."""
    where: str | None = None
    """Which key quotes it: says, also_cites, due.cites, except.due.cites, except.cites,
    not_checkable; or note, action, not_checkable.reason, `term <name>`, `switch <name>`."""
    says: str | None = None
    """The quoted words (whitespace normalised)."""
    nearest: str | None = None
    """reworded: the nearest passage of the new text."""
    similarity: float | None = None
    """reworded: how alike the quote and the nearest passage are (0 to 1)."""
    text: str | None = None
    """added: the new normative sentence."""
    title: str | None = None
    """The section's title in the old text."""
    new_title: str | None = None
    """The section's title in the new text."""

    def to_dict(self) -> dict[str, object]:
        """The record as a JSON-ready mapping (every field, None where it does not apply)."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class DriftReport:
    """What a new version of the policy's text changes for the rules, grouped by section."""

    source: str
    """The new text's file, or `the new policy text`."""
    records: tuple[DriftRecord, ...]
    previous: Policy
    new: Policy

    @property
    def drifted(self) -> bool:
        """Whether anything is to be revisited (the command's exit status 1)."""
        return bool(self.records)

    def by_section(self) -> dict[str, list[DriftRecord]]:
        """The records of each section, sections in letter order."""
        out: dict[str, list[DriftRecord]] = {}
        for record in self.records:
            out.setdefault(record.section, []).append(record)
        return out

    def to_dicts(self) -> list[dict[str, object]]:
        """The records as JSON-ready mappings."""
        return [record.to_dict() for record in self.records]

    def to_json(self) -> str:
        """The records as a JSON array."""
        return json.dumps(self.to_dicts(), indent=2, ensure_ascii=False) + "\n"


def read_policy_text(path: Path) -> str:
    """A policy text file's text: UTF-8, a byte-order mark allowed. An unreadable file is an
    ApComplianceError naming the file; a non-UTF-8 one a NotUtf8Error (file, byte offset)."""
    try:
        return read_text(path)
    except OSError as exc:
        raise ApComplianceError(f"{path}: cannot read the file ({exc.strerror or exc})") from None


def policy_drift(
    new: str | Path,
    *,
    book: RuleBook | None = None,
    previous: Policy | None = None,
) -> DriftReport:
    """What a new version of the policy changes for the rules that quote the current one.

    `new` is the new text, or a path to it (a `Path`, or a string with no line break); `book`
    defaults to every bundled rule file, gap rules included, and `previous` to the bundled
    policy. Raises ApComplianceError when the file cannot be read and PolicyIndexError, naming
    the file, when its text cannot be indexed as a policy.
    """
    if isinstance(new, Path) or "\n" not in new:
        source, text = str(new), read_policy_text(Path(new))
    else:
        source, text = "the new policy text", new
    book = book if book is not None else load_rulebook(gaps=True)
    previous = previous if previous is not None else load_policy()
    try:
        policy = parse_policy_version(text, previous)
    except PolicyIndexError as exc:
        raise PolicyIndexError(f"{source}: {exc}") from None
    return DriftReport(source, _records(book, previous, policy), previous, policy)


# --------------------------------------------------------------------------- comparing


def _records(book: RuleBook, old: Policy, new: Policy) -> tuple[DriftRecord, ...]:
    records = list(_sections(old, new))
    mapped: list[Quote] = []  # the quotes under the clauses they now cite
    for quote in policy_quotes(book):
        record, now = _quote_drift(quote, old, new)
        if record is not None:
            records.append(record)
        if now is not None and not quote.statutory:
            mapped.append(dataclasses.replace(quote, clause=now))
    records += _informal(book, old, new)
    records += _added(mapped, old, new)
    letters = [*old.sections, *(s for s in new.sections if s not in old.sections)]
    order = {c.id: i for i, c in enumerate(old.clauses())}
    new_order = {c.id: i for i, c in enumerate(new.clauses())}

    def key(record: DriftRecord) -> tuple[int, int, int, bool, str]:
        where = (new_order if record.kind == "added" else order).get(record.clause or "", -1)
        return (
            letters.index(record.section),
            DRIFT_KINDS.index(record.kind),
            where,
            record.rule is None,  # rules first, then not-checkable sentences, terms, switches
            record.rule or record.where or "",
        )

    return tuple(sorted(records, key=key))


def _sections(old: Policy, new: Policy) -> Iterator[DriftRecord]:
    """Sections retitled, moved to another letter, removed or added."""
    old_titles = {s.title: s.letter for s in old.sections.values()}
    new_titles = {s.title: s.letter for s in new.sections.values()}
    retitled: set[str] = set()
    for letter, section in old.sections.items():
        now = new.sections.get(letter)
        if section.title in new_titles:
            if new_titles[section.title] != letter:
                yield DriftRecord(
                    "section_moved",
                    letter,
                    new_section=new_titles[section.title],
                    title=section.title,
                )
        elif now is not None and now.title not in old_titles:
            retitled.add(letter)
            yield DriftRecord("section_retitled", letter, title=section.title, new_title=now.title)
        else:
            yield DriftRecord("section_removed", letter, title=section.title)
    for letter, section in new.sections.items():
        if section.title not in old_titles and letter not in retitled:
            yield DriftRecord("section_added", letter, new_title=section.title)


def _found_in(policy: Policy, words: str, depth_of: int | None = None) -> str | None:
    """The clause of `policy` that quotes `words` (Policy.quotes, as the loader checks): one
    as deep as `depth_of` where there is one, else the deepest; the first in document order."""
    found = [c.id for c in policy.clauses() if policy.quotes(c.id, words)]
    if not found:
        return None
    depth = {cid: _depth(policy, cid) for cid in found}
    same = [cid for cid in found if depth[cid] == depth_of]
    return same[0] if same else max(found, key=lambda cid: (depth[cid], -found.index(cid)))


def _depth(policy: Policy, clause_id: str) -> int:
    parent, depth = policy.clause(clause_id).parent, 0
    while parent is not None:
        parent, depth = policy.clause(parent).parent, depth + 1
    return depth


def _quote_drift(quote: Quote, old: Policy, new: Policy) -> tuple[DriftRecord | None, str | None]:
    """The record for one quote (None: still under its clause) and the clause it now cites."""
    if new.has_clause(quote.clause) and new.quotes(quote.clause, quote.words):
        return None, quote.clause
    rule = None if quote.kind == "not_checkable" else quote.by
    base = DriftRecord(
        "moved",
        quote.clause.split(".")[0],
        clause=quote.clause,
        rule=rule,
        file=quote.file,
        where=quote.where,
        says=normalise_space(quote.words),
    )
    old_depth = _depth(old, quote.clause) if old.has_clause(quote.clause) else None
    now = _found_in(new, quote.words, old_depth)
    if now is not None:
        return dataclasses.replace(base, new_clause=now), now
    record = _missing(base, new)
    return record, record.new_clause


def _missing(base: DriftRecord, new: Policy) -> DriftRecord:
    """A quote not found verbatim: reworded (with the nearest passage) or gone."""
    assert base.says is not None
    nearest = _nearest(base.says, new)
    if nearest is None or nearest[2] < SIMILAR:
        return dataclasses.replace(base, kind="gone")
    clause, passage, ratio = nearest
    return dataclasses.replace(
        base, kind="reworded", new_clause=clause, nearest=passage, similarity=round(ratio, 3)
    )


def _nearest(words: str, policy: Policy) -> tuple[str, str, float] | None:
    """The passage of `policy` most like `words`: (clause, passage, difflib ratio)."""
    wanted = set(words.casefold().split())
    shared = sorted(
        policy.clauses(),
        key=lambda c: (
            -len(wanted & set(policy.full_text(c.id).casefold().split())),
            len(policy.full_text(c.id)),
        ),
    )[:_CANDIDATES]
    best: tuple[str, str, float] | None = None
    for clause in shared:
        passage = _passage(words, policy.full_text(clause.id))
        ratio = SequenceMatcher(None, words, passage, autojunk=False).ratio()
        if passage and (best is None or ratio > best[2]):
            best = (clause.id, passage, ratio)
    return best


def _passage(words: str, text: str) -> str:
    """The stretch of `text` (whole words) that lines up with `words`."""
    matcher = SequenceMatcher(None, words, text, autojunk=False)
    anchor = matcher.find_longest_match(0, len(words), 0, len(text))
    if not anchor.size:
        return ""
    slack = len(words) // 4 + 10
    low = max(0, anchor.b - anchor.a - slack)
    high = min(len(text), anchor.b + len(words) - anchor.a + slack)
    region = text[low:high]
    blocks = [
        b
        for b in SequenceMatcher(None, words, region, autojunk=False).get_matching_blocks()
        if b.size >= 3
    ]
    if not blocks:
        return ""
    start, end = low + blocks[0].b, low + blocks[-1].b + blocks[-1].size
    while start > 0 and text[start - 1].isalnum():  # whole words
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return text[start:end]


def _informal(book: RuleBook, old: Policy, new: Policy) -> Iterator[DriftRecord]:
    """Policy words quoted in prose (notes, actions, reasons, terms, switches) now missing."""
    for file, where, rule, prose in _prose(book):
        for match in _INFORMAL.finditer(prose):
            words = normalise_space(match.group(1) or match.group(2))
            clause = _found_in(old, words)
            if clause is None or _found_in(new, words) is not None:
                continue  # not the old policy's words, or still in the new text
            base = DriftRecord(
                "gone",
                clause.split(".")[0],
                clause=clause,
                rule=rule,
                file=file,
                where=where,
                says=words,
            )
            yield _missing(base, new)


def _prose(book: RuleBook) -> Iterator[tuple[str, str, str | None, str]]:
    """(file, key, rule, text) of every piece of prose that may quote the policy."""
    for file, rule_file in book.files:
        for rule in rule_file.rules:
            yield file, "action", rule.id, rule.action
            if rule.note:
                yield file, "note", rule.id, rule.note
        for item in rule_file.not_checkable:
            yield file, "not_checkable.reason", None, item.reason
    for term in book.terms.values():
        for text in (term.says, term.note):
            if text:
                yield term.file, f"term {term.name}", None, text
    for name, field in PolicySettings.model_fields.items():
        if field.description:
            yield "apcompliance/policy/settings.py", f"switch {name}", None, field.description


def _added(quotes: list[Quote], old: Policy, new: Policy) -> Iterator[DriftRecord]:
    """New normative sentences no quote (moved to its new clause) covers."""
    old_text = "\n".join(c.text for c in old.clauses())
    fresh = {
        (clause.id, sentence)
        for clause in new.clauses()
        for sentence in sentences_of(clause.text)
        if sentence not in old_text
    }
    for sentence in quotes_coverage(quotes, new).sentences:
        if sentence.coverage == "uncovered" and (sentence.clause, sentence.text) in fresh:
            yield DriftRecord(
                "added", sentence.clause.split(".")[0], clause=sentence.clause, text=sentence.text
            )


# --------------------------------------------------------------------------- text

_WIDTH = 100
_SHOWN_CHANGES = 5
_WHAT = {
    "gone": "the quoted words are not in the new text, nor anything close",
    "reworded": "the quoted words are not in the new text verbatim",
    "moved": "the quoted words are now under another clause",
    "added": "a normative sentence not in the current text (new, or changed): no rule quotes "
    "it, and it is not recorded as not machine-checkable",
}


def _fill(text: str, indent: str) -> str:
    return textwrap.fill(
        text, _WIDTH, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
    )


def _changes(says: str, nearest: str) -> str:
    """The words changed from the quote to the nearest passage, in short."""
    old, new = says.split(), nearest.split()
    changes = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        before, after = " ".join(old[i1:i2]), " ".join(new[j1:j2])
        if op == "replace":
            changes.append(f"‘{before}’ → ‘{after}’")
        elif op == "delete":
            changes.append(f"‘{before}’ left out")
        elif op == "insert":
            changes.append(f"‘{after}’ added")
    shown = changes[:_SHOWN_CHANGES]
    more = len(changes) - len(shown)
    return "; ".join(shown) + (f"; and {more} more" if more else "")


def _record_lines(record: DriftRecord) -> list[str]:
    if record.kind == "section_retitled":
        return [f"  SECTION RETITLED  “{record.title}” → “{record.new_title}”"]
    if record.kind == "section_added":
        return [f"  SECTION ADDED     “{record.new_title}”"]
    if record.kind == "section_removed":
        return [f"  SECTION REMOVED   “{record.title}” (its quotes are listed below)"]
    if record.kind == "section_moved":
        return [f"  SECTION MOVED     “{record.title}” is now section {record.new_section}"]
    if record.kind == "added":
        return [
            f"  ADDED      {record.clause}",
            _fill(f"“{record.text}”", " " * 13),
            _fill(_WHAT["added"], " " * 13),
        ]
    who = record.rule or record.where
    place = f"{record.file}, {record.where}" if record.rule else record.file
    cited = record.clause or ""
    if record.kind == "moved":
        cited = f"{record.clause} → {record.new_clause}"
    lines = [f"  {record.kind.upper():<10} {cited:<16} {who} ({place})"]
    lines.append(_fill(f"quoted: “{record.says}”", " " * 13))
    if record.kind == "reworded":
        assert record.says is not None and record.nearest is not None
        alike = f"{(record.similarity or 0):.0%} alike"
        lines.append(_fill(f"nearest, {record.new_clause} ({alike}): “{record.nearest}”", " " * 13))
        lines.append(_fill(f"changed: {_changes(record.says, record.nearest)}", " " * 13))
    elif record.kind == "gone":
        lines.append(_fill(_WHAT["gone"], " " * 13))
    return lines


def drift_text(report: DriftReport) -> str:
    """The report for reading: per section, each record with what to revisit."""
    if not report.records:
        return (
            f"No drift: every quote of the policy is found verbatim under its clause in "
            f"{report.source}; no section is retitled, added or removed, and no new normative "
            "sentence is left uncited.\n"
        )
    count = len(report.records)
    lines = [
        f"Policy drift: {count} thing{'s' if count != 1 else ''} to revisit before adopting "
        f"{report.source} (docs/citations.md, “Adopting a new version of the policy”)."
    ]
    for letter, records in report.by_section().items():
        section = report.previous.sections.get(letter) or report.new.sections.get(letter)
        lines += ["", f"Section {letter}: {section.title if section else ''}"]
        for record in records:
            lines += _record_lines(record)
    lines += [
        "",
        "Revisit each rule listed: update its clause id and quoted words to the new text (or "
        "the rule itself), then rerun the tests.",
    ]
    return "\n".join(lines) + "\n"
