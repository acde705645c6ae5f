"""A machine-readable index of the Trust's Alternative Provision policy.

Every clause of the verbatim policy text gets a stable id of the form
``<section>.<n>[.<item>[.<subitem>]]`` (see ``docs/citations.md``), its own text with
editorial tags stripped, its parent/children and the sub-heading it sits under.
Rules cite these ids and quote clause words; :meth:`Policy.quotes` checks such quotes.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from types import MappingProxyType
from typing import Literal

from apcompliance.errors import PolicyIndexError

__all__ = [
    "SECTION_TITLES",
    "SUBHEADINGS",
    "Clause",
    "Policy",
    "Section",
    "load_policy",
    "normalise_space",
    "parse_policy",
    "parse_policy_version",
]

POLICY_TITLE = "Alternative Provision Policy"
_RESOURCE = "data/alternative-provision-policy.txt"

#: The 19 sections, in order, with their titles exactly as the text spells them. The text runs
#: each title into its first paragraph with no delimiter, so titles cannot be found by parsing.
SECTION_TITLES: Mapping[str, str] = MappingProxyType(
    {
        "A": "Introduction",
        "B": "Legal framework",
        "C": "Roles and Responsibilities",
        "D": "Purpose of alternative provision",
        "E": "Planning for alternative provision",
        "F": "Good Alternative Provision",
        "G": "Quality Assurance – Choosing Appropriate Alternative Provision",
        "H": "Referral process for Off-site direction",
        "I": "Arranging provision for suspended pupils",
        "J": "In-school unit",
        "K": "Unregistered alternative provision",
        "L": "Pupils with additional needs",
        "M": "Communication with providers",
        "N": "Monitoring academic progress, behaviour and welfare",
        "O": "Monitoring attendance",
        "P": "Free school meals (FSM)",
        "Q": "Reintegration",
        "R": "Monitoring and Review",
        "S": "Supporting Documentation",
    }
)

#: Sub-headings that stand on a line of their own without brackets, per section. They cannot be
#: told apart from a hard-wrapped sentence fragment by shape alone, so they are listed here.
#: (Bracketed labels such as ``[Secondary schools]`` are recognised without a list.)
SUBHEADINGS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"H": ("Before deciding to refer off-site",)}
)

# Editorial tags that are not part of the policy's words. Bookmark names may contain one level
# of nested brackets (the text has ``[bookmark: _[Updated]_Roles_and]``).
_NOISE_TAG = re.compile(r"\[bookmark:\s*(?:[^\[\]]|\[[^\[\]]*\])*\]|\[New\]|\[Updated\]")
_SECTION_BOOKMARK = re.compile(r"\[bookmark:\s*([A-Z])\]")
_LABEL = re.compile(r"\[([^\[\]]+)\]\s*(.*)")
_PART = re.compile(r"(\d+)\.\s+(.*)")
_MARKER = re.compile(r"([a-z]+)\.\s+(.*)")
_BULLET = re.compile(r"[·•]\s*(.*)")
_ROMAN = re.compile(r"m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})")
_SENTENCE_END = re.compile(r"[.!?:;][’”\"')\]]*$")
_RUN_ON = re.compile(r"(?<=[a-z)])(?=[A-Z][a-z])|\[")
"""Where a title run into its first paragraph visibly ends: a capitalised word straight after
a lower-case letter or `)` (``frameworkThis``), or a bracketed label (``unit[Units only…``)."""
_LONGEST_TITLE = 100
_OPENING_WORDS = 4

ClauseKind = Literal["paragraph", "part", "item"]


@dataclass(frozen=True)
class Clause:
    """One citable unit of the policy: a paragraph, a numbered part or a list item."""

    id: str
    section: str
    kind: ClauseKind
    text: str
    """Own text only (no descendants), tags and list markers stripped, whitespace normalised."""
    parent: str | None
    children: tuple[str, ...]
    heading: str | None
    """The sub-heading or qualifier label the clause sits under, if any."""


@dataclass(frozen=True)
class Section:
    """A lettered section (A–S) with its exact title and its clause ids in document order."""

    letter: str
    title: str
    clause_ids: tuple[str, ...]


def normalise_space(text: str) -> str:
    """Collapse every run of whitespace to a single space and strip both ends."""
    return " ".join(text.split())


class Policy:
    """The indexed policy: sections A–S and their clauses. Immutable, safe to share."""

    __slots__ = ("_clauses", "_full_text", "_sections", "_title")

    def __init__(
        self, title: str, sections: Mapping[str, Section], clauses: Mapping[str, Clause]
    ) -> None:
        """Build from sections (in order) and clauses (in document order); use `parse_policy`."""
        self._title = title
        self._sections: Mapping[str, Section] = MappingProxyType(dict(sections))
        self._clauses: Mapping[str, Clause] = MappingProxyType(dict(clauses))
        full: dict[str, str] = {}
        for clause in reversed(list(self._clauses.values())):  # children before parents
            full[clause.id] = " ".join([clause.text, *(full[c] for c in clause.children)])
        self._full_text: Mapping[str, str] = MappingProxyType(full)

    @property
    def title(self) -> str:
        """The policy's title, "Alternative Provision Policy"."""
        return self._title

    @property
    def sections(self) -> Mapping[str, Section]:
        """Sections keyed by letter, A to S in order."""
        return self._sections

    def __repr__(self) -> str:
        counts = f"{len(self._sections)} sections, {len(self._clauses)} clauses"
        return f"Policy({self.title!r}, {counts})"

    def clause(self, clause_id: str) -> Clause:
        """The clause with this id; PolicyIndexError (with close ids) if there is none."""
        try:
            return self._clauses[clause_id]
        except (KeyError, TypeError):
            raise PolicyIndexError(self._unknown(clause_id)) from None

    def has_clause(self, clause_id: str) -> bool:
        """Whether a clause with this id exists."""
        return isinstance(clause_id, str) and clause_id in self._clauses

    def clauses(self) -> Iterator[Clause]:
        """Every clause, in document order."""
        return iter(self._clauses.values())

    def full_text(self, clause_id: str) -> str:
        """The clause's own text followed by all its descendants' text, single-spaced."""
        self.clause(clause_id)
        return self._full_text[clause_id]

    def quotes(self, clause_id: str, words: str) -> bool:
        """Whether `words` (whitespace-normalised, otherwise exact) occur in the clause's full text.

        Empty or whitespace-only `words` never count as a quote.
        """
        needle = normalise_space(words)
        return bool(needle) and needle in self.full_text(clause_id)

    def section_of(self, clause_id: str) -> Section:
        """The section that contains the clause."""
        return self._sections[self.clause(clause_id).section]

    def _unknown(self, clause_id: object) -> str:
        message = f"unknown policy clause id {clause_id!r}"
        if isinstance(clause_id, str):
            ids = list(self._clauses)
            close = [i for i in ids if i.casefold() == clause_id.casefold()]
            close += [
                i
                for i in difflib.get_close_matches(clause_id, ids, n=3, cutoff=0.6)
                if i not in close
            ][: 3 - len(close)]
            if close:
                message += f"; did you mean {', '.join(close)}?"
        return message


# --------------------------------------------------------------------------- parsing


@dataclass
class _Line:
    """One logical line of a section after tags are stripped and the line is classified."""

    kind: Literal["blank", "heading", "para", "part", "item", "bullet"]
    text: str = ""
    marker: str = ""


def _strip_tags(line: str) -> str:
    return _NOISE_TAG.sub("", line)


def _ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text.rstrip()))


def _is_roman(marker: str) -> bool:
    return bool(marker) and _ROMAN.fullmatch(marker) is not None


def _to_roman(number: int) -> str:
    digits = (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    )
    out = []
    for value, symbol in digits:
        count, number = divmod(number, value)
        out.append(symbol * count)
    return "".join(out)


def _classify(text: str, letter: str, out: list[_Line]) -> None:
    """Append the logical line(s) for one tag-stripped physical line."""
    text = text.strip()
    if not text:
        out.append(_Line("blank"))
        return
    label = _LABEL.fullmatch(text)
    if label:
        out.append(_Line("heading", normalise_space(label.group(1))))
        _classify(label.group(2), letter, out)
        return
    if normalise_space(text) in SUBHEADINGS.get(letter, ()):
        out.append(_Line("heading", normalise_space(text)))
        return
    if match := _PART.fullmatch(text):
        out.append(_Line("part", match.group(2), match.group(1)))
    elif match := _MARKER.fullmatch(text):
        out.append(_Line("item", match.group(2), match.group(1)))
    elif match := _BULLET.fullmatch(text):
        out.append(_Line("bullet", match.group(1)))
    else:
        out.append(_Line("para", text))


def _joins(previous: _Line, following: _Line) -> bool:
    """Whether `following` is a hard-wrapped continuation of `previous`."""
    if previous.kind not in ("para", "part", "item", "bullet") or following.kind != "para":
        return False
    if _ends_sentence(previous.text):
        return False
    last_word = previous.text.split()[-1]
    return (
        following.text[:1].islower()
        or last_word[:1].islower()
        or previous.text.count("(") > previous.text.count(")")
    )


def _bookmarks(lines: list[str], letters: Sequence[str] | None) -> dict[str, int]:
    """The line of each section bookmark (of `letters`, or of any letter where None)."""
    found: dict[str, int] = {}
    for index, line in enumerate(lines):
        for match in _SECTION_BOOKMARK.finditer(line):
            letter = match.group(1)
            if letters is not None and letter not in letters:
                continue
            if letter in found:
                raise PolicyIndexError(f"policy text: section {letter} is bookmarked twice")
            found[letter] = index
    return found


def _locate_sections(
    lines: list[str], letters: Sequence[str] = tuple(SECTION_TITLES)
) -> list[tuple[str, int]]:
    """(letter, first line index) for every section, in order; PolicyIndexError if not found."""
    found = _bookmarks(lines, letters)
    letters = list(letters)
    for position, letter in enumerate(letters):
        if letter in found:
            continue
        # No bookmark (section E in the text): the line between its neighbours that starts
        # with its title, once tags are stripped.
        if letter not in SECTION_TITLES:
            raise PolicyIndexError(f"policy text: section {letter} has no [bookmark: {letter}]")
        start = max((found[x] for x in letters[:position] if x in found), default=-1) + 1
        end = min((found[x] for x in letters[position + 1 :] if x in found), default=len(lines))
        title = SECTION_TITLES[letter]
        candidates = [
            i for i in range(start, end) if _strip_tags(lines[i]).lstrip().startswith(title)
        ]
        if len(candidates) != 1:
            raise PolicyIndexError(
                f"policy text: cannot find section {letter} {title!r} "
                f"({len(candidates)} candidate lines)"
            )
        found[letter] = candidates[0]
    ordered = [(letter, found[letter]) for letter in letters]
    if [index for _, index in ordered] != sorted(index for _, index in ordered):
        raise PolicyIndexError(f"policy text: sections are not in order A–{letters[-1]}")
    if len({index for _, index in ordered}) != len(ordered):
        raise PolicyIndexError("policy text: two sections start on the same line")
    return ordered


def _section_lines(letter: str, raw: list[str], title: str) -> list[_Line]:
    """Classify and join a section's lines; the first must start with the section's title."""
    first = _strip_tags(raw[0]).lstrip()
    if not first.startswith(title):
        raise PolicyIndexError(
            f"policy text: section {letter} does not start with its title {title!r} "
            f"(starts {normalise_space(first)[:60]!r})"
        )
    logical: list[_Line] = []
    _classify(first[len(title) :], letter, logical)
    for raw_line in raw[1:]:
        _classify(_strip_tags(raw_line), letter, logical)
    joined: list[_Line] = []
    for line in logical:
        if joined and _joins(joined[-1], line):
            joined[-1].text = f"{joined[-1].text} {line.text}"
        else:
            joined.append(line)
    return joined


@dataclass
class _Draft:
    id: str
    kind: ClauseKind
    text: str
    parent: str | None
    heading: str | None


def _number_section(
    letter: str, lines: list[_Line], *, subheadings_required: bool = True
) -> list[_Draft]:
    """Assign ids to a section's logical lines (see docs/citations.md for the scheme)."""
    has_parts = any(line.kind == "part" for line in lines)
    drafts: list[_Draft] = []
    heading: str | None = None
    paragraphs = 0  # plain paragraphs numbered so far (sections without parts)
    intro = 0  # paragraphs before the first part (sections with parts)
    last_part = 0
    part: str | None = None  # id of the current numbered part
    continuation = 1  # paragraphs of the current part, counting its opening
    top: str | None = None  # the paragraph or part that list items attach to
    item: str | None = None  # the latest roman/bullet item, for letter sub-items
    top_items = 0  # roman/bullet items under `top` so far
    sub_letters: list[str] = []  # letter sub-items under `item` so far

    def where() -> str:
        return f"policy text: section {letter}"

    for line in lines:
        text = normalise_space(line.text)
        if line.kind == "blank":
            continue
        if line.kind == "heading":
            heading, top, item = line.text, None, None
            continue
        if line.kind == "para":
            if part is not None:
                continuation += 1
                draft = _Draft(f"{part}.{continuation}", "paragraph", text, part, heading)
            elif has_parts:
                intro += 1
                suffix = "0" if intro == 1 else f"0.{intro}"
                draft = _Draft(f"{letter}.{suffix}", "paragraph", text, None, heading)
            else:
                paragraphs += 1
                draft = _Draft(f"{letter}.{paragraphs}", "paragraph", text, None, heading)
            top, item, top_items = draft.id, None, 0
        elif line.kind == "part":
            number = int(line.marker)
            if number != last_part + 1:
                raise PolicyIndexError(f"{where()}: part {number} follows part {last_part}")
            last_part = number
            part = top = f"{letter}.{number}"
            continuation, item, top_items = 1, None, 0
            draft = _Draft(part, "part", text, None, heading)
        else:
            if top is None:
                raise PolicyIndexError(f"{where()}: list item with no paragraph: {text[:60]!r}")
            marker = line.marker
            is_letter = line.kind == "item" and item is not None and len(marker) == 1
            if is_letter:
                expected = chr(ord(sub_letters[-1]) + 1) if sub_letters else "a"
                is_letter = marker == expected or not _is_roman(marker)
            elif line.kind == "item" and not _is_roman(marker):
                is_letter = len(marker) == 1
                if not is_letter:
                    raise PolicyIndexError(f"{where()}: unknown list marker {marker + '.'!r}")
            if is_letter:
                parent = item if item is not None else top
                draft = _Draft(f"{parent}.{marker}", "item", text, parent, heading)
                sub_letters.append(marker)
            else:
                top_items += 1
                own = marker if line.kind == "item" else _to_roman(top_items)
                draft = _Draft(f"{top}.{own}", "item", text, top, heading)
                item, sub_letters = draft.id, []
        if not text:
            raise PolicyIndexError(f"{where()}: clause {draft.id} has no text")
        drafts.append(draft)
    if not drafts:
        raise PolicyIndexError(f"{where()}: no clauses after the title")
    seen = [line.text for line in lines if line.kind == "heading"]
    for subheading in SUBHEADINGS.get(letter, ()):
        if seen.count(subheading) > 1 or (subheadings_required and not seen.count(subheading)):
            raise PolicyIndexError(f"{where()}: sub-heading {subheading!r} not found exactly once")
    return drafts


def parse_policy(text: str) -> Policy:
    """Index a policy text laid out like the Trust's (sections A–S; see docs/citations.md).

    Raises PolicyIndexError when a section or its title cannot be found, text appears before
    section A, or the clause structure cannot be numbered unambiguously.
    """
    lines = text.splitlines()
    located = _locate_sections(lines)
    titles = {letter: SECTION_TITLES[letter] for letter, _ in located}
    return _index(lines, located, titles, subheadings_required=True)


def parse_policy_version(text: str, previous: Policy | None = None) -> Policy:
    """Index another version of the policy's text, laid out like the Trust's.

    As `parse_policy`, except that the text may differ in what a new version changes: sections
    are the bookmarked letters from A on (a section after S is a new one; one without a
    bookmark is found by its known title), a section's title is read from the text where it
    is not the known one (up to the opening words of `previous`'s first clause of the
    section, a capital run on without a space, or a bracketed label; or a whole short first
    line), and the sub-headings of `SUBHEADINGS` may be missing. `previous` defaults to the
    bundled policy. Raises PolicyIndexError saying what cannot be read.
    """
    lines = text.splitlines()
    bookmarked = _bookmarks(lines, None)
    if not bookmarked:
        raise PolicyIndexError(
            "policy text: no section bookmarks ([bookmark: A] … [bookmark: S]) found; "
            "expected the policy's plain text laid out like the bundled one"
        )
    last = max(bookmarked)
    letters = [chr(code) for code in range(ord("A"), ord(last) + 1)]
    located = _locate_sections(lines, letters)
    previous = previous if previous is not None else load_policy()
    titles = {letter: _title_of(letter, lines[start], previous) for letter, start in located}
    return _index(lines, located, titles, subheadings_required=False)


def _title_of(letter: str, line: str, previous: Policy) -> str:
    """The title a section's first line starts with (see `parse_policy_version`)."""
    first = _strip_tags(line).strip()
    known = SECTION_TITLES.get(letter)
    if known is not None and first.startswith(known):
        return known
    ends = [match.start() for match in _RUN_ON.finditer(first) if match.start() > 0][:1]
    section = previous.sections.get(letter)
    if section is not None and section.clause_ids:
        words = previous.clause(section.clause_ids[0]).text.split()[:_OPENING_WORDS]
        opening = re.search(r"\s*".join(map(re.escape, words)), first)
        if opening is not None and opening.start() > 0:
            ends.append(opening.start())
    title = first[: min(ends)].strip() if ends else first  # else alone on its line
    if not title or len(title) > _LONGEST_TITLE or _ends_sentence(title) or ". " in title:
        raise PolicyIndexError(
            f"policy text: section {letter}: cannot tell where its title ends "
            f"(starts {normalise_space(first)[:60]!r}); put the title on a line of its own"
        )
    return title


def _index(
    lines: list[str],
    located: list[tuple[str, int]],
    titles: Mapping[str, str],
    *,
    subheadings_required: bool,
) -> Policy:
    """The policy of a text whose sections start at `located` with the given titles."""
    if normalise_space(_strip_tags(" ".join(lines[: located[0][1]]))):
        raise PolicyIndexError("policy text: text before section A would not be indexed")
    bounds = [index for _, index in located] + [len(lines)]
    drafts: list[tuple[str, _Draft]] = []
    for position, (letter, start) in enumerate(located):
        raw = lines[start : bounds[position + 1]]
        section_lines = _section_lines(letter, raw, titles[letter])
        numbered = _number_section(letter, section_lines, subheadings_required=subheadings_required)
        drafts.extend((letter, draft) for draft in numbered)

    children: dict[str, list[str]] = {}
    for _, draft in drafts:
        if draft.id in children:
            raise PolicyIndexError(f"policy text: clause id {draft.id} occurs twice")
        children[draft.id] = []
        if draft.parent is not None:
            children[draft.parent].append(draft.id)
    clauses = {
        draft.id: Clause(
            id=draft.id,
            section=letter,
            kind=draft.kind,
            text=draft.text,
            parent=draft.parent,
            children=tuple(children[draft.id]),
            heading=draft.heading,
        )
        for letter, draft in drafts
    }
    sections = {
        letter: Section(
            letter=letter,
            title=titles[letter],
            clause_ids=tuple(d.id for sec, d in drafts if sec == letter),
        )
        for letter, _ in located
    }
    return Policy(POLICY_TITLE, sections, clauses)


@functools.cache
def load_policy() -> Policy:
    """The Trust's policy, read from the package data and indexed once (cached, immutable)."""
    return parse_policy(policy_text())


def policy_text() -> str:
    """The Trust's policy as bundled: the text the rules quote."""
    return (files("apcompliance") / _RESOURCE).read_text(encoding="utf-8")
