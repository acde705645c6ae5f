"""The school calendar: which dates are school days, and school-day arithmetic over them.

A calendar is a sequence of pupil-attendance blocks (half-terms), a set of closures (INSET and
other non-pupil days) and the England & Wales bank holidays. A *school day* is a date inside a
half-term, Monday to Friday, not a closure and not a bank holiday.

The calendar covers ``[first_day, last_day]`` (first day of the first half-term to last day of the
last). Holidays between half-terms are covered: they are known non-school days. Any date outside
the coverage, or any answer that would fall outside it, raises :class:`CalendarError`: the
calendar never guesses.

Instances are immutable, hashable and safe to share between threads. Every lookup is O(1) or
O(log n) over a precomputed sorted tuple of school days.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, NoReturn

from apcompliance import textfiles, usercache
from apcompliance.errors import CalendarError, NotUtf8Error

__all__ = ["HalfTerm", "SchoolCalendar", "Term", "school_year_of"]

#: Default term names, each used for two consecutive blocks, repeating each academic year.
DEFAULT_TERM_CYCLE: tuple[str, ...] = ("autumn", "spring", "summer")

#: Where the bundled example calendar lives inside the package.
EXAMPLE_RESOURCE = "data/calendars/example-la-2025-26.yaml"
ICAL_SUFFIXES = (".ics", ".ical", ".ifb", ".icalendar")
"""The endings of a calendar file's name that `SchoolCalendar.from_file` reads as iCalendar."""

WEEKEND = "weekend"
BANK_HOLIDAY = "bank holiday"
CLOSURE = "closure"
BETWEEN_HALF_TERMS = "holiday between half-terms"

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

MAX_SPAN_DAYS = 3660
"""The most days a calendar may span from its first day to its last, both counted: ten years
(a school calendar covers a school year, or a few). A longer one is refused: building it
(bank holidays, every day) would take seconds to minutes, and it is a typing error."""


@functools.lru_cache(maxsize=16)
def _bank_holidays(first_year: int, last_year: int) -> frozenset[date]:
    """England's bank holidays in the years `first_year` to `last_year`, from the `holidays`
    package: kept in the user's cache (`usercache`), since importing it and computing them
    takes longer than the rest of a calendar."""
    entry = usercache.key("bank-holidays", _holidays_release(), str(first_year), str(last_year))
    cached = usercache.read(entry)
    if cached is not None:
        try:
            return frozenset(date.fromisoformat(d) for d in textfiles.load_json(cached.decode()))
        except (ValueError, TypeError):  # not a list of dates: computed again
            pass
    import holidays  # about 300 modules: only when the cache does not have the years

    years = range(first_year, last_year + 1)
    found = frozenset(holidays.country_holidays("GB", subdiv="ENG", years=years))
    usercache.write(entry, json.dumps(sorted(d.isoformat() for d in found)).encode("ascii"))
    return found


def _holidays_release() -> str:
    """Which `holidays` package is installed (its location, version file and size and time of
    its `__init__`), found without importing it."""
    spec = importlib.util.find_spec("holidays")
    if spec is None or spec.origin is None:
        return ""
    init = Path(spec.origin)
    status = init.stat()
    version = init.with_name("version.py")
    release = version.read_text("utf-8", "replace") if version.is_file() else ""
    return f"{init} {status.st_size} {status.st_mtime_ns}\n{release}"


@dataclass(frozen=True)
class HalfTerm:
    """A pupil-attendance block, inclusive of both ends.

    ``number`` is its 1-based position in the calendar; ``term`` is the name of its term.
    """

    term: str
    number: int
    first_day: date
    last_day: date

    def __contains__(self, d: object) -> bool:
        return _is_date(d) and self.first_day <= d <= self.last_day  # type: ignore[operator]


@dataclass(frozen=True)
class Term:
    """A run of consecutive half-terms with the same term name, e.g. the autumn term."""

    name: str
    first_day: date
    last_day: date
    half_terms: tuple[HalfTerm, ...]

    def __contains__(self, d: object) -> bool:
        return _is_date(d) and self.first_day <= d <= self.last_day  # type: ignore[operator]


def _is_date(value: object) -> bool:
    """True for a ``datetime.date`` that is not a ``datetime.datetime``."""
    return isinstance(value, date) and not isinstance(value, datetime)


def _default_term_name(k: int) -> str:
    """Name of 0-based block k when no names are given: autumn, autumn, spring, spring, ..."""
    return DEFAULT_TERM_CYCLE[(k // 2) % len(DEFAULT_TERM_CYCLE)]


def _rebuild(
    name: str,
    blocks: tuple[tuple[date, date], ...],
    closures: dict[date, str | None],
    term_names: tuple[str, ...],
) -> SchoolCalendar:
    """Unpickling helper."""
    return SchoolCalendar(blocks, closures, name=name, term_names=term_names)


class SchoolCalendar:
    """A school calendar: half-terms, closures and bank holidays, with school-day arithmetic.

    Build one with :meth:`from_terms`, :meth:`from_yaml`, :meth:`from_yaml_text`,
    :meth:`from_ical` or :meth:`example`. Methods given a date outside
    ``[first_day, last_day]`` raise :class:`CalendarError` naming the date and the covered
    range.
    """

    __slots__ = (
        "_bank_holidays",
        "_closure_reasons",
        "_day_set",
        "_days",
        "_half_term_starts",
        "_hash",
        "_key",
        "_term_by_half_term",
        "_terms",
        "closures",
        "first_day",
        "half_terms",
        "last_day",
        "name",
    )

    name: str
    half_terms: tuple[HalfTerm, ...]
    closures: frozenset[date]
    first_day: date
    last_day: date
    _bank_holidays: frozenset[date]
    _closure_reasons: Mapping[date, str | None]
    _day_set: frozenset[date]
    _days: tuple[date, ...]
    _half_term_starts: tuple[date, ...]
    _hash: int
    _key: tuple[object, ...]
    _term_by_half_term: Mapping[int, Term]
    _terms: tuple[Term, ...]

    def __init__(
        self,
        terms: Sequence[tuple[date, date]],
        closures: Iterable[date] | Mapping[date, str | None] = (),
        *,
        name: str = "calendar",
        term_names: Sequence[str] | None = None,
    ) -> None:
        """See :meth:`from_terms`."""
        if not isinstance(name, str) or not name.strip():
            raise CalendarError(f"calendar name must be a non-empty string, got {name!r}")
        half_terms = _build_half_terms(terms, term_names)
        first_day, last_day = half_terms[0].first_day, half_terms[-1].last_day
        _require_span(first_day, last_day, "the calendar")
        reasons = _build_closures(closures, name, first_day, last_day)

        bank = _bank_holidays(first_day.year, last_day.year)
        span = (last_day - first_day).days + 1
        covered = [first_day + timedelta(days=i) for i in range(span)]
        bank_holidays = frozenset(d for d in covered if d in bank)

        days = tuple(
            d
            for h in half_terms
            for d in _date_range(h.first_day, h.last_day)
            if d.weekday() < 5 and d not in reasons and d not in bank_holidays
        )
        _require_school_days(half_terms, days)
        term_objs = _group_terms(half_terms)

        s = object.__setattr__
        s(self, "name", name)
        s(self, "half_terms", half_terms)
        s(self, "closures", frozenset(reasons))
        s(self, "first_day", first_day)
        s(self, "last_day", last_day)
        s(self, "_closure_reasons", MappingProxyType(reasons))
        s(self, "_bank_holidays", bank_holidays)
        s(self, "_days", days)
        s(self, "_day_set", frozenset(days))
        s(self, "_half_term_starts", tuple(h.first_day for h in half_terms))
        s(self, "_terms", term_objs)
        s(
            self,
            "_term_by_half_term",
            MappingProxyType({h.number: t for t in term_objs for h in t.half_terms}),
        )
        key = (name, half_terms, tuple(sorted(reasons.items())))
        s(self, "_key", key)
        s(self, "_hash", hash(key))

    # --- construction -------------------------------------------------------------------------

    @classmethod
    def from_terms(
        cls,
        terms: Sequence[tuple[date, date]],
        closures: Iterable[date] | Mapping[date, str | None] = (),
        *,
        name: str = "calendar",
        term_names: Sequence[str] | None = None,
    ) -> SchoolCalendar:
        """Build a calendar from pupil-attendance blocks (half-terms) and closures.

        ``terms`` are ``(first_day, last_day)`` pairs, inclusive, strictly ordered and
        non-overlapping. ``closures`` are non-pupil days inside the coverage; a mapping from date
        to reason (or ``None``) keeps the reasons. ``term_names`` gives one term name per block;
        by default blocks pair up as autumn, autumn, spring, spring, summer, summer, repeating
        for further academic years. Consecutive blocks with the same name form one :class:`Term`.
        """
        return cls(terms, closures, name=name, term_names=term_names)

    @classmethod
    def from_yaml(cls, path: str | os.PathLike[str]) -> SchoolCalendar:
        """Load a calendar file (see docs/calendar.md); errors name the file and key path."""
        source = os.fspath(path)
        return cls.from_yaml_text(_read_calendar_file(source), source=source)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> SchoolCalendar:
        """Load a calendar file: iCalendar when its name ends with one of `ICAL_SUFFIXES`
        (`.ics`), else YAML (see docs/calendar.md). Errors are `CalendarError`s naming it."""
        if Path(path).suffix.lower() in ICAL_SUFFIXES:
            return cls.from_ical(path)
        return cls.from_yaml(path)

    @classmethod
    def from_yaml_text(cls, text: str, *, source: str = "<string>") -> SchoolCalendar:
        """Parse calendar YAML text; ``source`` labels error messages."""
        try:
            data = textfiles.parse_yaml(text)  # dates stay text: a bad one names its key
        except textfiles.YamlError as exc:
            raise CalendarError(f"{source}: not a valid calendar YAML document: {exc}") from None
        name, blocks, term_names, closures = _parse_document(data, source)
        try:
            return cls(blocks, closures, name=name, term_names=term_names)
        except CalendarError as exc:
            raise CalendarError(f"{source}: {exc}") from exc

    @classmethod
    def from_ical(
        cls, path_or_text: str | bytes | os.PathLike[str], *, name: str | None = None
    ) -> SchoolCalendar:
        """Read term dates from an iCalendar (.ics) file or text (see docs/calendar.md).

        All-day VEVENTs whose CATEGORIES include ``HALF-TERM`` are the half-terms: SUMMARY is
        the term name, DTSTART the first day and DTEND the day after the last (exclusive, as
        calendar programs write all-day events; without DTEND the half-term is one day).
        VEVENTs whose CATEGORIES include ``CLOSURE`` or ``INSET`` are closures, one per day from
        DTSTART to DTEND (exclusive), SUMMARY the reason (optional). Every other event is
        ignored. The name is ``name``, else the calendar's X-WR-CALNAME, else the file's stem.
        Text is taken as iCalendar when it begins ``BEGIN:VCALENDAR``, else as a path.
        Bad input raises :class:`CalendarError` naming the source and the event.
        """
        if isinstance(path_or_text, bytes):
            source = "<ical>"
            try:
                text = textfiles.decode(path_or_text, source)
            except NotUtf8Error as exc:
                raise CalendarError(str(exc)) from None
        elif isinstance(path_or_text, str) and _looks_like_ical(path_or_text):
            text, source = path_or_text.removeprefix(textfiles.BOM), "<ical>"
        else:
            source = os.fspath(path_or_text)
            text = _read_calendar_file(source)
        fallback = Path(source).stem if source != "<ical>" else None
        title, blocks, term_names, closures = _parse_ical(text, source)
        chosen = name or title or fallback
        if not chosen:
            raise CalendarError(
                f"{source}: the calendar has no name: give name= or an X-WR-CALNAME"
            )
        try:
            return cls(blocks, closures, name=chosen, term_names=term_names)
        except CalendarError as exc:
            raise CalendarError(f"{source}: {exc}") from exc

    @classmethod
    def example(cls) -> SchoolCalendar:
        """The bundled example calendar, "Example Borough Council 2025-26" (shared instance)."""
        return _example()

    # --- identity -----------------------------------------------------------------------------

    def __setattr__(self, key: str, value: object) -> NoReturn:
        raise AttributeError(f"SchoolCalendar is immutable; cannot set {key!r}")

    def __delattr__(self, key: str) -> NoReturn:
        raise AttributeError(f"SchoolCalendar is immutable; cannot delete {key!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SchoolCalendar):
            return NotImplemented
        return self._key == other._key

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return (
            f"SchoolCalendar(name={self.name!r}, {self.first_day.isoformat()}.."
            f"{self.last_day.isoformat()}, {len(self.half_terms)} half-terms, "
            f"{len(self._days)} school days)"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        blocks = tuple((h.first_day, h.last_day) for h in self.half_terms)
        names = tuple(h.term for h in self.half_terms)
        return (_rebuild, (self.name, blocks, dict(self._closure_reasons), names))

    # --- queries ------------------------------------------------------------------------------

    def covers(self, d: date) -> bool:
        """True if ``first_day <= d <= last_day``."""
        _require_date(d)
        return self.first_day <= d <= self.last_day

    def is_school_day(self, d: date) -> bool:
        """True if d is a school day."""
        self._require_covered(d)
        return d in self._day_set

    def nth_school_day(self, start: date, n: int) -> date:
        """The nth school day counting from ``start``.

        Day 1 is ``start`` if it is a school day, else the first school day after it.
        """
        _require_n(n)
        self._require_covered(start)
        i = bisect_left(self._days, start) + n - 1
        if i >= len(self._days):
            raise CalendarError(
                f"school day n={n} counting from {start.isoformat()} would fall after "
                f"{self.last_day.isoformat()}, the end of {self._describe()}"
            )
        return self._days[i]

    def nth_school_day_before(self, d: date, n: int) -> date:
        """The nth school day strictly before d (n=1: the previous school day)."""
        _require_n(n)
        self._require_covered(d)
        i = bisect_left(self._days, d) - n
        if i < 0:
            raise CalendarError(
                f"school day n={n} before {d.isoformat()} would fall before "
                f"{self.first_day.isoformat()}, the start of {self._describe()}"
            )
        return self._days[i]

    def school_days_between(self, a: date, b: date) -> int:
        """The number of school days d with ``a <= d < b`` (0 if ``b <= a``)."""
        self._require_covered(a)
        self._require_covered(b)
        if b <= a:
            return 0
        return bisect_left(self._days, b) - bisect_left(self._days, a)

    def school_days(self, a: date, b: date) -> Iterator[date]:
        """The school days in ``[a, b)``, in order (empty if ``b <= a``)."""
        self._require_covered(a)
        self._require_covered(b)
        if b <= a:
            return iter(())
        return iter(self._days[bisect_left(self._days, a) : bisect_left(self._days, b)])

    def next_school_day(self, d: date) -> date:
        """The first school day strictly after d."""
        self._require_covered(d)
        i = bisect_right(self._days, d)
        if i >= len(self._days):
            raise CalendarError(
                f"there is no school day after {d.isoformat()} in {self._describe()}"
            )
        return self._days[i]

    def previous_school_day(self, d: date) -> date:
        """The last school day strictly before d."""
        self._require_covered(d)
        i = bisect_left(self._days, d) - 1
        if i < 0:
            raise CalendarError(
                f"there is no school day before {d.isoformat()} in {self._describe()}"
            )
        return self._days[i]

    def school_day_on_or_before(self, d: date) -> date:
        """d if it is a school day, else the last school day before it."""
        return d if self.is_school_day(d) else self.previous_school_day(d)

    def first_school_day_of_school_year(self, d: date) -> date:
        """The first school day of the school year (1 September to 31 August) containing d.

        Raises CalendarError where the calendar does not reach back to the start of that year
        (it begins after September of that year)."""
        _require_date(d)
        september = date(school_year_of(d), 9, 1)
        if self.covers(september):
            return self.nth_school_day(september, 1)
        if september < self.first_day <= september.replace(day=30):
            return self.nth_school_day(self.first_day, 1)
        raise CalendarError(
            f"the school year of {d.isoformat()} begins on or after {september.isoformat()}, "
            f"before the start of {self._describe()}"
        )

    def school_day_index(self, d: date) -> int:
        """The 1-based ordinal of school day d in the calendar."""
        self._require_covered(d)
        if d not in self._day_set:
            raise CalendarError(
                f"{d.isoformat()} is not a school day ({self.non_school_reason(d)}) "
                f"in {self._describe()}"
            )
        return bisect_left(self._days, d) + 1

    def half_term_of(self, d: date) -> HalfTerm | None:
        """The half-term containing d, or None in a holiday between half-terms."""
        self._require_covered(d)
        h = self.half_terms[bisect_right(self._half_term_starts, d) - 1]
        return h if d <= h.last_day else None

    def term_of(self, d: date) -> Term | None:
        """The term whose ``[first_day, last_day]`` contains d, or None between terms.

        A holiday between two half-terms of the same term (e.g. the October half-term week)
        belongs to that term; a holiday between terms (e.g. Christmas) does not.
        """
        self._require_covered(d)
        h = self.half_terms[bisect_right(self._half_term_starts, d) - 1]
        term = self._term_by_half_term[h.number]
        return term if d <= term.last_day else None

    def terms(self) -> tuple[Term, ...]:
        """The terms, in order."""
        return self._terms

    def closure_reason(self, d: date) -> str | None:
        """The reason given for closure d, or None if d is not a closure or has no reason."""
        self._require_covered(d)
        return self._closure_reasons.get(d)

    def non_school_reason(self, d: date) -> str | None:
        """Why d is not a school day, or None if it is one.

        One of "weekend", "bank holiday", "closure (<reason>)" (or "closure" without a reason),
        "holiday between half-terms", checked in that order.
        """
        self._require_covered(d)
        if d in self._day_set:
            return None
        if d.weekday() >= 5:
            return WEEKEND
        if d in self._bank_holidays:
            return BANK_HOLIDAY
        if d in self._closure_reasons:
            reason = self._closure_reasons[d]
            return f"{CLOSURE} ({reason})" if reason else CLOSURE
        return BETWEEN_HALF_TERMS

    # --- helpers ------------------------------------------------------------------------------

    def _describe(self) -> str:
        return (
            f"the calendar {self.name!r} "
            f"({self.first_day.isoformat()}..{self.last_day.isoformat()})"
        )

    def _require_covered(self, d: date) -> None:
        _require_date(d)
        if not self.first_day <= d <= self.last_day:
            raise CalendarError(f"{d.isoformat()} is outside {self._describe()}")


@functools.cache
def _example() -> SchoolCalendar:
    source = f"apcompliance/{EXAMPLE_RESOURCE}"
    text = resources.files("apcompliance").joinpath(EXAMPLE_RESOURCE).read_text("utf-8")
    return SchoolCalendar.from_yaml_text(text, source=source)


def school_year_of(d: date) -> int:
    """The calendar year in which d's school year (1 September to 31 August) began."""
    return d.year if d.month >= 9 else d.year - 1


def _require_date(d: object) -> None:
    if not _is_date(d):
        raise CalendarError(f"expected a datetime.date, got {type(d).__name__} {d!r}")


def _require_n(n: object) -> None:
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise CalendarError(f"n must be an integer >= 1, got n={n!r}")


def _date_range(first: date, last: date) -> Iterator[date]:
    for i in range((last - first).days + 1):
        yield first + timedelta(days=i)


def _span(first: date, last: date) -> str:
    return f"{first.isoformat()}..{last.isoformat()}"


def _require_span(first: date, last: date, what: str) -> None:
    """Refuse a span of more than `MAX_SPAN_DAYS` days (a calendar, or an iCalendar event)."""
    if (last - first).days >= MAX_SPAN_DAYS:
        raise CalendarError(
            f"{what} ({_span(first, last)}) spans more than {MAX_SPAN_DAYS} days (ten years); "
            "a school calendar covers a school year or a few"
        )


def _require_school_days(half_terms: Sequence[HalfTerm], days: Sequence[date]) -> None:
    """Refuse a half-term without a school day (every day a weekend, a bank holiday or a
    closure): nothing could be due in it, and its windows (`every: half_term`) would close
    before they open."""
    found = set(days)
    for h in half_terms:
        if not any(d in found for d in _date_range(h.first_day, h.last_day)):
            raise CalendarError(
                f"half-term {h.number} ({h.term}, {_span(h.first_day, h.last_day)}) has no "
                "school day: every day is a weekend, a bank holiday or a closure"
            )


def _build_half_terms(
    terms: Sequence[tuple[date, date]], term_names: Sequence[str] | None
) -> tuple[HalfTerm, ...]:
    blocks = list(terms)
    if not blocks:
        raise CalendarError("a calendar needs at least one half-term")
    if term_names is not None:
        if isinstance(term_names, str):
            raise CalendarError("term_names must be a sequence of names, not a string")
        names = list(term_names)
        if len(names) != len(blocks):
            raise CalendarError(
                f"term_names has {len(names)} names for {len(blocks)} half-terms; "
                "give one name per half-term"
            )
    else:
        names = [_default_term_name(k) for k in range(len(blocks))]

    result: list[HalfTerm] = []
    for k, (block, term) in enumerate(zip(blocks, names, strict=True)):
        number = k + 1
        if (
            not isinstance(block, Sequence)
            or len(block) != 2
            or not (_is_date(block[0]) and _is_date(block[1]))
        ):
            raise CalendarError(
                f"half-term {number}: expected a (first_day, last_day) pair of dates, got {block!r}"
            )
        first, last = block
        if not isinstance(term, str) or not term.strip():
            raise CalendarError(
                f"half-term {number} ({_span(first, last)}): term name must be a non-empty "
                f"string, got {term!r}"
            )
        if last < first:
            raise CalendarError(
                f"half-term {number} ({_span(first, last)}): last_day before first_day"
            )
        if result:
            prev = result[-1]
            if first <= prev.last_day:
                how = "overlaps" if first >= prev.first_day else "is before"
                raise CalendarError(
                    f"half-term {number} ({_span(first, last)}) {how} half-term {prev.number} "
                    f"({_span(prev.first_day, prev.last_day)}); half-terms must be in date "
                    "order and must not overlap"
                )
        result.append(HalfTerm(term=term, number=number, first_day=first, last_day=last))
    return tuple(result)


def _build_closures(
    closures: Iterable[date] | Mapping[date, str | None],
    name: str,
    first_day: date,
    last_day: date,
) -> dict[date, str | None]:
    if isinstance(closures, Mapping):
        items: list[tuple[Any, Any]] = list(closures.items())
    elif isinstance(closures, (str, bytes)):
        raise CalendarError("closures must be an iterable of dates, not a string")
    else:
        items = [(d, None) for d in closures]
    reasons: dict[date, str | None] = {}
    for d, reason in items:
        if not _is_date(d):
            raise CalendarError(f"closure: expected a date, got {type(d).__name__} {d!r}")
        if not first_day <= d <= last_day:
            raise CalendarError(
                f"closure {d.isoformat()} is outside the calendar {name!r} "
                f"({_span(first_day, last_day)})"
            )
        if reason is not None and (not isinstance(reason, str) or not reason.strip()):
            raise CalendarError(
                f"closure {d.isoformat()}: reason must be a non-empty string or None, "
                f"got {reason!r}"
            )
        reasons[d] = reason
    return dict(sorted(reasons.items()))


def _group_terms(half_terms: tuple[HalfTerm, ...]) -> tuple[Term, ...]:
    groups: list[list[HalfTerm]] = []
    for h in half_terms:
        if groups and groups[-1][-1].term == h.term:
            groups[-1].append(h)
        else:
            groups.append([h])
    return tuple(
        Term(name=g[0].term, first_day=g[0].first_day, last_day=g[-1].last_day, half_terms=tuple(g))
        for g in groups
    )


# --- YAML parsing ---------------------------------------------------------------------------

_TOP_KEYS = {"name": True, "half_terms": True, "closures": False}
_HALF_TERM_KEYS = {"term": True, "first_day": True, "last_day": True}
_CLOSURE_KEYS = {"date": True, "reason": False}


def _fail(source: str, path: str, message: str) -> NoReturn:
    raise CalendarError(f"{source}: {path}: {message}" if path else f"{source}: {message}")


def _check_keys(source: str, path: str, value: object, spec: Mapping[str, bool]) -> dict[Any, Any]:
    """Check value is a mapping with exactly the allowed keys and all required keys."""
    if not isinstance(value, dict):
        _fail(source, path, f"expected a mapping, got {_describe_value(value)}")
    allowed = ", ".join(spec)
    for key in value:
        if key not in spec:
            _fail(source, path, f"unknown key {key!r} (allowed: {allowed})")
    for key, required in spec.items():
        if required and key not in value:
            _fail(source, path, f"missing key {key!r}")
    return value


def _describe_value(value: object) -> str:
    """What a value is, without showing it."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    kinds = {str: "text", int: "a number", float: "a number", list: "a list", dict: "a mapping"}
    return kinds.get(type(value), type(value).__name__)


def _yaml_date(source: str, path: str, value: object) -> date:
    if _is_date(value):
        return value  # type: ignore[return-value]
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            _fail(source, path, f"{value.strip()} is not a date: there is no such day")
    _fail(source, path, f"expected a date (YYYY-MM-DD), got {_describe_value(value)}")


def _yaml_text(source: str, path: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        _fail(source, path, f"expected a non-empty string, got {_describe_value(value)}")
    return value.strip()


def _yaml_list(source: str, path: str, value: object) -> list[Any]:
    if not isinstance(value, list):
        _fail(source, path, f"expected a list, got {_describe_value(value)}")
    return value


def _parse_document(
    data: object, source: str
) -> tuple[str, list[tuple[date, date]], list[str], dict[date, str | None]]:
    if not isinstance(data, dict):
        _fail(source, "", f"expected a mapping at the top level, got {_describe_value(data)}")
    doc = _check_keys(source, "", data, _TOP_KEYS)
    name = _yaml_text(source, "name", doc["name"])

    entries = _yaml_list(source, "half_terms", doc["half_terms"])
    if not entries:
        _fail(source, "half_terms", "expected at least one half-term")
    blocks: list[tuple[date, date]] = []
    term_names: list[str] = []
    for i, entry in enumerate(entries):
        path = f"half_terms[{i}]"
        h = _check_keys(source, path, entry, _HALF_TERM_KEYS)
        term_names.append(_yaml_text(source, f"{path}.term", h["term"]))
        first = _yaml_date(source, f"{path}.first_day", h["first_day"])
        last = _yaml_date(source, f"{path}.last_day", h["last_day"])
        blocks.append((first, last))

    raw_closures = doc.get("closures")
    closures: dict[date, str | None] = {}
    if raw_closures is not None:
        for i, entry in enumerate(_yaml_list(source, "closures", raw_closures)):
            path = f"closures[{i}]"
            c = _check_keys(source, path, entry, _CLOSURE_KEYS)
            d = _yaml_date(source, f"{path}.date", c["date"])
            if d in closures:
                _fail(source, f"{path}.date", f"duplicate closure {d.isoformat()}")
            reason = c.get("reason")
            closures[d] = None if reason is None else _yaml_text(source, f"{path}.reason", reason)
    return name, blocks, term_names, closures


# --- iCalendar parsing (from_ical) ---------------------------------------------------------------

ICAL_HALF_TERM = "HALF-TERM"
ICAL_CLOSURES = frozenset({"CLOSURE", "INSET"})


def _read_calendar_file(source: str) -> str:
    """A calendar file's text (UTF-8, a byte-order mark dropped); errors as `CalendarError`."""
    try:
        return textfiles.read_text(source)
    except OSError as exc:
        raise CalendarError(f"{source}: cannot read calendar file ({exc.strerror})") from None
    except NotUtf8Error as exc:
        raise CalendarError(str(exc)) from None


def _looks_like_ical(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n")[:15].upper() == "BEGIN:VCALENDAR"


def _ical_categories(event: Any) -> set[str]:
    value = event.get("CATEGORIES")
    if value is None:
        return set()
    groups = value if isinstance(value, list) else [value]
    return {str(c).strip().upper() for g in groups for c in getattr(g, "cats", [g])}


def _ical_text(event: Any, key: str) -> str | None:
    value = event.get(key)
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def _when(value: object) -> str:
    if isinstance(value, datetime):
        return f"the date-time {value.isoformat(' ', 'minutes')}"
    return f"{type(value).__name__} {value!r}"


def _ical_days(event: Any, source: str, label: str) -> tuple[date, date]:
    """(first day, last day) of an all-day event: DTEND is exclusive; absent, one day."""
    bad = [
        f"{key}: {why}" for key, why in getattr(event, "errors", []) if key in ("DTSTART", "DTEND")
    ]
    if bad:
        raise CalendarError(f"{source}: {label}: {'; '.join(bad)}")
    if event.get("RRULE") is not None or event.get("RDATE") is not None:
        raise CalendarError(f"{source}: {label}: repeating events are not supported; list each")
    if event.get("DTSTART") is None:
        raise CalendarError(f"{source}: {label}: no DTSTART")
    start = event.decoded("DTSTART")
    if not _is_date(start):
        raise CalendarError(
            f"{source}: {label}: DTSTART must be a date (an all-day event), not {_when(start)}"
        )
    if event.get("DTEND") is None:
        if event.get("DURATION") is not None:
            duration = event.decoded("DURATION")
            if not isinstance(duration, timedelta) or duration.days < 1 or duration.seconds:
                raise CalendarError(f"{source}: {label}: DURATION must be whole days")
            return start, start + duration - timedelta(days=1)
        return start, start
    end = event.decoded("DTEND")
    if not _is_date(end):
        raise CalendarError(
            f"{source}: {label}: DTEND must be a date (an all-day event), not {_when(end)}"
        )
    if end <= start:
        raise CalendarError(
            f"{source}: {label}: DTEND {end.isoformat()} must be after DTSTART "
            f"{start.isoformat()} (DTEND is the day after the last day)"
        )
    return start, end - timedelta(days=1)


def _parse_ical(
    text: str, source: str
) -> tuple[str | None, list[tuple[date, date]], list[str], dict[date, str | None]]:
    import icalendar

    try:
        cal = icalendar.Calendar.from_ical(text)
    except ValueError as exc:
        raise CalendarError(f"{source}: not a valid iCalendar file: {exc}") from exc
    if cal.name != "VCALENDAR":
        raise CalendarError(f"{source}: expected a VCALENDAR, got {cal.name}")
    title = _ical_text(cal, "X-WR-CALNAME")
    half_terms: list[tuple[date, date, str]] = []
    closures: dict[date, str | None] = {}
    closure_events: dict[date, str] = {}
    for number, event in enumerate(cal.walk("VEVENT"), start=1):
        categories = _ical_categories(event)
        is_half_term = ICAL_HALF_TERM in categories
        is_closure = bool(categories & ICAL_CLOSURES)
        if not (is_half_term or is_closure):
            continue
        summary = _ical_text(event, "SUMMARY")
        label = f"event {number}" + (f" {summary!r}" if summary else "")
        uid = _ical_text(event, "UID")
        if uid:
            label += f" (UID {uid})"
        if is_half_term and is_closure:
            raise CalendarError(
                f"{source}: {label}: CATEGORIES has both HALF-TERM and CLOSURE/INSET; "
                "an event is one or the other"
            )
        first, last = _ical_days(event, source, label)
        try:
            _require_span(first, last, "the event")
        except CalendarError as exc:
            raise CalendarError(f"{source}: {label}: {exc}") from None
        if is_half_term:
            if summary is None:
                raise CalendarError(
                    f"{source}: {label}: a HALF-TERM needs a SUMMARY, the term name"
                )
            half_terms.append((first, last, summary))
            continue
        for d in _date_range(first, last):
            if d in closures:
                raise CalendarError(
                    f"{source}: {label}: closure {d.isoformat()} is already given by "
                    f"{closure_events[d]}"
                )
            closures[d] = summary
            closure_events[d] = label
    if not half_terms:
        raise CalendarError(
            f"{source}: no half-terms: mark each half-term's all-day VEVENT with "
            "CATEGORIES:HALF-TERM"
        )
    half_terms.sort()
    blocks = [(first, last) for first, last, _ in half_terms]
    term_names = [term for _, _, term in half_terms]
    return title, blocks, term_names, dict(sorted(closures.items()))
