"""Tests for apcompliance.calendar.school_calendar: school-day arithmetic, validation, YAML
loading, invariants."""

from __future__ import annotations

import pickle
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import holidays
import pytest
from hypothesis import HealthCheck, assume, given, reject, settings
from hypothesis import strategies as st

from apcompliance.calendar.school_calendar import HalfTerm, SchoolCalendar, Term
from apcompliance.errors import CalendarError

D = date
EX = SchoolCalendar.example()
EX_NAME = "Example Borough Council 2025-26"
EX_RANGE = "2025-09-01..2026-07-21"
INSET = {D(2025, 9, 1), D(2025, 9, 2), D(2025, 10, 27), D(2026, 1, 5), D(2026, 6, 1)}
BLOCKS = [
    (D(2025, 9, 1), D(2025, 10, 17)),
    (D(2025, 10, 27), D(2025, 12, 19)),
    (D(2026, 1, 5), D(2026, 2, 13)),
    (D(2026, 2, 23), D(2026, 3, 27)),
    (D(2026, 4, 13), D(2026, 5, 22)),
    (D(2026, 6, 1), D(2026, 7, 21)),
]

PROPS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- the example calendar, to the day ---------------------------------------------------------


def test_example_shape() -> None:
    assert EX.name == EX_NAME
    assert (EX.first_day, EX.last_day) == (D(2025, 9, 1), D(2026, 7, 21))
    assert [(h.first_day, h.last_day) for h in EX.half_terms] == BLOCKS
    assert [h.number for h in EX.half_terms] == [1, 2, 3, 4, 5, 6]
    assert [h.term for h in EX.half_terms] == ["autumn"] * 2 + ["spring"] * 2 + ["summer"] * 2
    assert EX.closures == frozenset(INSET)
    assert all(EX.closure_reason(d) == "INSET day" for d in INSET)
    assert EX.closure_reason(D(2025, 9, 3)) is None


def test_example_school_day_count() -> None:
    # Weekdays per half-term 35, 40, 30, 25, 30, 37 = 197; minus 5 INSET and 4 May 2026.
    per_half_term = [
        sum(1 for _ in EX.school_days(h.first_day, h.last_day)) + EX.is_school_day(h.last_day)
        for h in EX.half_terms
    ]
    assert per_half_term == [33, 39, 29, 25, 29, 36]
    assert EX.school_days_between(EX.first_day, EX.last_day) == 190  # last day excluded
    assert EX.school_day_index(EX.last_day) == 191


def test_example_is_the_bundled_yaml() -> None:
    path = Path(__file__).parents[1] / "src/apcompliance/data/calendars/example-la-2025-26.yaml"
    assert SchoolCalendar.from_yaml(path) == EX
    assert SchoolCalendar.example() is EX


def test_sixth_school_day_across_october_half_term() -> None:
    # Thu 16, Fri 17 Oct; half-term 20-24 Oct; Mon 27 Oct INSET; Tue 28, Wed 29, Thu 30, Fri 31.
    start = D(2025, 10, 16)
    assert [EX.nth_school_day(start, n) for n in range(1, 7)] == [
        D(2025, 10, 16),
        D(2025, 10, 17),
        D(2025, 10, 28),
        D(2025, 10, 29),
        D(2025, 10, 30),
        D(2025, 10, 31),
    ]
    assert EX.school_days_between(start, D(2025, 10, 31)) == 5


def test_may_day_2026_is_not_a_school_day() -> None:
    assert not EX.is_school_day(D(2026, 5, 4))
    assert EX.non_school_reason(D(2026, 5, 4)) == "bank holiday"
    assert EX.is_school_day(D(2026, 5, 1)) and EX.is_school_day(D(2026, 5, 5))
    assert EX.nth_school_day(D(2026, 5, 1), 2) == D(2026, 5, 5)
    assert EX.next_school_day(D(2026, 5, 1)) == D(2026, 5, 5)


def test_first_pupil_day_has_index_one() -> None:
    assert not EX.is_school_day(D(2025, 9, 1))
    assert not EX.is_school_day(D(2025, 9, 2))
    assert EX.school_day_index(D(2025, 9, 3)) == 1
    assert EX.school_day_index(D(2025, 9, 4)) == 2
    assert EX.school_day_index(D(2025, 10, 17)) == 33
    assert EX.school_day_index(D(2025, 10, 28)) == 34
    assert EX.nth_school_day(D(2025, 9, 1), 1) == D(2025, 9, 3)


def test_school_day_index_of_a_non_school_day_raises() -> None:
    with pytest.raises(CalendarError, match=r"2025-09-01 is not a school day \(closure"):
        EX.school_day_index(D(2025, 9, 1))


def test_nth_school_day_from_a_saturday() -> None:
    sat = D(2025, 9, 6)
    assert sat.weekday() == 5
    assert EX.nth_school_day(sat, 1) == D(2025, 9, 8)
    assert EX.nth_school_day(sat, 5) == D(2025, 9, 12)
    assert EX.nth_school_day(sat, 6) == D(2025, 9, 15)


def test_nth_school_day_from_a_holiday() -> None:
    assert EX.nth_school_day(D(2025, 12, 25), 1) == D(2026, 1, 6)
    assert EX.nth_school_day(D(2025, 10, 22), 1) == D(2025, 10, 28)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (D(2025, 9, 1), D(2025, 9, 8), 3),  # 3, 4, 5 Sep
        (D(2025, 9, 3), D(2025, 9, 4), 1),
        (D(2025, 9, 3), D(2025, 9, 3), 0),
        (D(2025, 9, 10), D(2025, 9, 3), 0),
        (D(2025, 12, 19), D(2026, 1, 6), 1),  # 19 Dec only; 5 Jan is INSET
        (D(2025, 12, 20), D(2026, 1, 6), 0),
        (D(2026, 4, 27), D(2026, 5, 11), 9),  # two weeks less 4 May
        (D(2026, 5, 18), D(2026, 6, 8), 9),  # 18-22 May, 2-5 Jun
    ],
)
def test_school_days_between_examples(a: date, b: date, expected: int) -> None:
    assert EX.school_days_between(a, b) == expected
    assert len(list(EX.school_days(a, b))) == expected


def test_school_days_lists_days() -> None:
    assert list(EX.school_days(D(2026, 5, 1), D(2026, 5, 7))) == [
        D(2026, 5, 1),
        D(2026, 5, 5),
        D(2026, 5, 6),
    ]


@pytest.mark.parametrize(
    ("d", "following"),
    [
        (D(2025, 10, 17), D(2025, 10, 28)),  # October half-term, then INSET
        (D(2025, 10, 22), D(2025, 10, 28)),
        (D(2025, 12, 19), D(2026, 1, 6)),  # Christmas, then INSET
        (D(2025, 12, 25), D(2026, 1, 6)),
        (D(2026, 2, 13), D(2026, 2, 23)),
        (D(2026, 3, 27), D(2026, 4, 13)),  # Easter
        (D(2026, 5, 22), D(2026, 6, 2)),  # May half-term, then INSET
        (D(2025, 9, 5), D(2025, 9, 8)),  # weekend
    ],
)
def test_next_school_day_across_breaks(d: date, following: date) -> None:
    assert EX.next_school_day(d) == following


@pytest.mark.parametrize(
    ("d", "preceding"),
    [
        (D(2025, 10, 28), D(2025, 10, 17)),
        (D(2025, 10, 27), D(2025, 10, 17)),
        (D(2026, 1, 6), D(2025, 12, 19)),
        (D(2025, 12, 25), D(2025, 12, 19)),
        (D(2026, 4, 13), D(2026, 3, 27)),
        (D(2026, 5, 5), D(2026, 5, 1)),
        (D(2026, 6, 2), D(2026, 5, 22)),
    ],
)
def test_previous_school_day_across_breaks(d: date, preceding: date) -> None:
    assert EX.previous_school_day(d) == preceding
    assert EX.nth_school_day_before(d, 1) == preceding


def test_nth_school_day_before() -> None:
    assert EX.nth_school_day_before(D(2025, 10, 28), 3) == D(2025, 10, 15)
    assert EX.nth_school_day_before(D(2026, 1, 6), 5) == D(2025, 12, 15)
    assert EX.nth_school_day_before(D(2025, 9, 4), 1) == D(2025, 9, 3)


def test_no_school_day_before_the_first_or_after_the_last() -> None:
    with pytest.raises(CalendarError, match="no school day before 2025-09-03"):
        EX.previous_school_day(D(2025, 9, 3))
    with pytest.raises(CalendarError, match="2025-09-04"):
        EX.nth_school_day_before(D(2025, 9, 4), 2)
    with pytest.raises(CalendarError, match="no school day after 2026-07-21"):
        EX.next_school_day(D(2026, 7, 21))


def test_half_term_of_and_term_of() -> None:
    first = EX.half_term_of(D(2025, 9, 1))
    assert first == HalfTerm("autumn", 1, D(2025, 9, 1), D(2025, 10, 17))
    assert EX.half_term_of(D(2025, 10, 17)) == first
    assert EX.half_term_of(D(2025, 10, 22)) is None
    second = EX.half_term_of(D(2025, 10, 27))
    assert second is not None and second.number == 2 and second.term == "autumn"
    summer2 = EX.half_term_of(D(2026, 7, 21))
    assert summer2 is not None and summer2.number == 6

    autumn = EX.term_of(D(2025, 9, 1))
    assert autumn == Term("autumn", D(2025, 9, 1), D(2025, 12, 19), EX.half_terms[:2])
    assert EX.term_of(D(2025, 10, 22)) == autumn  # October half-term is within the autumn term
    assert EX.term_of(D(2025, 12, 25)) is None  # Christmas is between terms
    assert EX.term_of(D(2026, 4, 1)) is None  # Easter
    summer = EX.term_of(D(2026, 5, 27))  # May half-term
    assert summer is not None and summer.name == "summer"
    assert [t.name for t in EX.terms()] == ["autumn", "spring", "summer"]
    assert [(t.first_day, t.last_day) for t in EX.terms()] == [
        (D(2025, 9, 1), D(2025, 12, 19)),
        (D(2026, 1, 5), D(2026, 3, 27)),
        (D(2026, 4, 13), D(2026, 7, 21)),
    ]


@pytest.mark.parametrize(
    ("d", "reason"),
    [
        (D(2025, 9, 3), None),
        (D(2025, 9, 6), "weekend"),
        (D(2025, 9, 7), "weekend"),
        (D(2026, 5, 4), "bank holiday"),
        (D(2025, 12, 25), "bank holiday"),  # bank holiday outranks the holiday
        (D(2025, 9, 1), "closure (INSET day)"),
        (D(2026, 6, 1), "closure (INSET day)"),
        (D(2025, 10, 22), "holiday between half-terms"),
        (D(2025, 12, 22), "holiday between half-terms"),
        (D(2025, 10, 25), "weekend"),  # weekend outranks the holiday
    ],
)
def test_non_school_reason(d: date, reason: str | None) -> None:
    assert EX.non_school_reason(d) == reason
    assert EX.is_school_day(d) == (reason is None)


def test_closure_without_reason() -> None:
    cal = SchoolCalendar.from_terms([(D(2025, 9, 1), D(2025, 9, 12))], [D(2025, 9, 5)])
    assert cal.non_school_reason(D(2025, 9, 5)) == "closure"
    assert cal.closure_reason(D(2025, 9, 5)) is None


# --- coverage errors --------------------------------------------------------------------------


@pytest.mark.parametrize("d", [D(2025, 8, 31), D(2026, 7, 22), D(2026, 8, 3), D(2030, 1, 1)])
def test_dates_outside_coverage_raise(d: date) -> None:
    message = f"{d.isoformat()} is outside the calendar '{EX_NAME}' ({EX_RANGE})"
    calls = [
        lambda: EX.is_school_day(d),
        lambda: EX.nth_school_day(d, 1),
        lambda: EX.nth_school_day_before(d, 1),
        lambda: EX.school_days_between(d, D(2025, 10, 1)),
        lambda: EX.school_days_between(D(2025, 10, 1), d),
        lambda: EX.school_days(D(2025, 10, 1), d),
        lambda: EX.next_school_day(d),
        lambda: EX.previous_school_day(d),
        lambda: EX.school_day_index(d),
        lambda: EX.half_term_of(d),
        lambda: EX.term_of(d),
        lambda: EX.non_school_reason(d),
        lambda: EX.closure_reason(d),
    ]
    for call in calls:
        with pytest.raises(CalendarError) as info:
            call()
        assert str(info.value) == message
    assert not EX.covers(d)


def test_covers_boundaries_and_holidays() -> None:
    assert EX.covers(D(2025, 9, 1)) and EX.covers(D(2026, 7, 21))
    assert EX.covers(D(2025, 12, 25))  # holidays between half-terms are covered
    assert not EX.covers(D(2025, 8, 31)) and not EX.covers(D(2026, 7, 22))


def test_nth_school_day_running_past_the_end() -> None:
    assert EX.nth_school_day(D(2026, 7, 20), 2) == D(2026, 7, 21)
    with pytest.raises(CalendarError, match="n=3 counting from 2026-07-20") as info:
        EX.nth_school_day(D(2026, 7, 20), 3)
    assert "2026-07-21" in str(info.value) and EX_NAME in str(info.value)


@pytest.mark.parametrize("n", [0, -1, True, 1.5, "2"])
def test_bad_n(n: object) -> None:
    for call in (EX.nth_school_day, EX.nth_school_day_before):
        with pytest.raises(CalendarError, match=f"n={n!r}") as info:
            call(D(2025, 10, 1), n)  # type: ignore[arg-type]
        assert isinstance(info.value, ValueError)


def test_datetime_is_not_a_date() -> None:
    with pytest.raises(CalendarError, match=r"expected a datetime\.date"):
        EX.is_school_day(datetime(2025, 10, 1, 9, 0))


# --- from_terms -------------------------------------------------------------------------------


def test_from_terms_without_closures() -> None:
    cal = SchoolCalendar.from_terms([(D(2025, 9, 1), D(2025, 9, 12))])
    assert cal.name == "calendar"
    assert cal.closures == frozenset()
    assert cal.nth_school_day(D(2025, 9, 1), 1) == D(2025, 9, 1)
    assert cal.school_days_between(D(2025, 9, 1), D(2025, 9, 12)) == 9
    assert cal.terms() == (Term("autumn", D(2025, 9, 1), D(2025, 9, 12), cal.half_terms),)


def test_from_terms_matches_example() -> None:
    cal = SchoolCalendar.from_terms(
        BLOCKS, {d: "INSET day" for d in INSET}, name="Example Borough Council 2025-26"
    )
    assert cal == EX and hash(cal) == hash(EX)
    assert SchoolCalendar.from_terms(BLOCKS, INSET, name=EX_NAME) != EX  # reasons differ


def test_default_term_names_pair_up_and_repeat() -> None:
    start = D(2025, 9, 1)
    blocks = [
        (start + timedelta(weeks=2 * k), start + timedelta(weeks=2 * k, days=4)) for k in range(8)
    ]
    cal = SchoolCalendar.from_terms(blocks)
    assert [h.term for h in cal.half_terms] == [
        "autumn",
        "autumn",
        "spring",
        "spring",
        "summer",
        "summer",
        "autumn",
        "autumn",
    ]
    assert [t.name for t in cal.terms()] == ["autumn", "spring", "summer", "autumn"]
    assert [len(t.half_terms) for t in cal.terms()] == [2, 2, 2, 2]


def test_explicit_term_names() -> None:
    blocks = BLOCKS[4:]
    cal = SchoolCalendar.from_terms(blocks, term_names=["summer", "summer"])
    assert [t.name for t in cal.terms()] == ["summer"]
    with pytest.raises(CalendarError, match="term_names has 1 names for 2 half-terms"):
        SchoolCalendar.from_terms(blocks, term_names=["summer"])


def test_block_with_last_day_before_first_day() -> None:
    blocks = [*BLOCKS[:2], (D(2026, 1, 5), D(2026, 1, 2))]
    with pytest.raises(CalendarError) as info:
        SchoolCalendar.from_terms(blocks)
    assert str(info.value) == "half-term 3 (2026-01-05..2026-01-02): last_day before first_day"


def test_overlapping_blocks() -> None:
    blocks = [(D(2025, 9, 1), D(2025, 10, 17)), (D(2025, 10, 17), D(2025, 12, 19))]
    with pytest.raises(CalendarError, match=r"half-term 2 \(2025-10-17..2025-12-19\) overlaps"):
        SchoolCalendar.from_terms(blocks)


def test_unordered_blocks() -> None:
    with pytest.raises(CalendarError, match=r"half-term 2 \(2025-09-01..2025-10-17\) is before"):
        SchoolCalendar.from_terms([BLOCKS[1], BLOCKS[0]])


def test_adjacent_blocks_are_allowed() -> None:
    cal = SchoolCalendar.from_terms(
        [(D(2025, 9, 1), D(2025, 9, 5)), (D(2025, 9, 6), D(2025, 9, 12))]
    )
    assert cal.school_days_between(cal.first_day, cal.last_day) == 9


@pytest.mark.parametrize("closure", [D(2025, 8, 29), D(2026, 7, 22)])
def test_closure_outside_coverage(closure: date) -> None:
    with pytest.raises(CalendarError, match=f"closure {closure.isoformat()} is outside"):
        SchoolCalendar.from_terms(BLOCKS, [closure])


def test_weekend_and_holiday_closures_are_accepted() -> None:
    cal = SchoolCalendar.from_terms(BLOCKS, [D(2025, 9, 6), D(2025, 10, 22)])
    assert cal.non_school_reason(D(2025, 9, 6)) == "weekend"
    assert cal.non_school_reason(D(2025, 10, 22)) == "closure"


@pytest.mark.parametrize(
    ("terms", "match"),
    [
        ([], "at least one half-term"),
        ([(D(2025, 9, 1),)], "half-term 1: expected a"),
        ([(datetime(2025, 9, 1), D(2025, 9, 5))], "half-term 1: expected a"),
        ([("2025-09-01", "2025-09-05")], "half-term 1: expected a"),
    ],
)
def test_malformed_blocks(terms: list[tuple[object, ...]], match: str) -> None:
    with pytest.raises(CalendarError, match=match):
        SchoolCalendar.from_terms(terms)  # type: ignore[arg-type]


def test_bad_name_and_closure_values() -> None:
    with pytest.raises(CalendarError, match="name"):
        SchoolCalendar.from_terms(BLOCKS, name="")
    with pytest.raises(CalendarError, match="closure: expected a date"):
        SchoolCalendar.from_terms(BLOCKS, ["2025-09-01"])  # type: ignore[list-item]


def test_calendar_is_immutable_hashable_and_picklable() -> None:
    with pytest.raises(AttributeError):
        EX.name = "other"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del EX.first_day
    assert {EX: 1}[SchoolCalendar.from_yaml_text(_example_yaml())] == 1
    clone = pickle.loads(pickle.dumps(EX))
    assert clone == EX and clone.closure_reason(D(2025, 9, 1)) == "INSET day"


# --- YAML -------------------------------------------------------------------------------------


def _example_yaml() -> str:
    path = Path(__file__).parents[1] / "src/apcompliance/data/calendars/example-la-2025-26.yaml"
    return path.read_text(encoding="utf-8")


GOOD = """\
name: Test
half_terms:
  - {term: autumn, first_day: 2025-09-01, last_day: 2025-10-17}
  - {term: autumn, first_day: 2025-10-27, last_day: 2025-12-19}
closures:
  - {date: 2025-09-01, reason: INSET day}
  - {date: 2025-09-02}
"""


def test_yaml_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "cal.yaml"
    path.write_text(GOOD, encoding="utf-8")
    cal = SchoolCalendar.from_yaml(path)
    assert cal.name == "Test"
    assert cal.closures == {D(2025, 9, 1), D(2025, 9, 2)}
    assert cal.non_school_reason(D(2025, 9, 1)) == "closure (INSET day)"
    assert cal.non_school_reason(D(2025, 9, 2)) == "closure"
    assert SchoolCalendar.from_yaml(str(path)) == cal


def test_yaml_closures_optional_and_quoted_iso_dates() -> None:
    text = (
        "name: T\nhalf_terms:\n  - {term: autumn, first_day: '2025-09-01', last_day: 2025-09-05}\n"
    )
    cal = SchoolCalendar.from_yaml_text(text)
    assert cal.closures == frozenset() and cal.last_day == D(2025, 9, 5)
    assert SchoolCalendar.from_yaml_text(text + "closures:\n") == cal


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("name: Test\n", "name: Test\ncolour: red\n", "cal.yaml: unknown key 'colour'"),
        ("name: Test\n", "", "cal.yaml: missing key 'name'"),
        ("name: Test\n", "name: ''\n", "cal.yaml: name: expected a non-empty string"),
        (
            "last_day: 2025-12-19}",
            "last_day: 2025-12-19, note: x}",
            "cal.yaml: half_terms[1]: unknown key 'note'",
        ),
        (
            ", last_day: 2025-12-19}",
            "}",
            "cal.yaml: half_terms[1]: missing key 'last_day'",
        ),
        (
            "last_day: 2025-12-19}",
            "last_day: soon}",
            "cal.yaml: half_terms[1].last_day: expected a date (YYYY-MM-DD), got text",
        ),
        (
            "first_day: 2025-09-01,",
            "first_day: 2025-09-01 10:00:00,",
            "cal.yaml: half_terms[0].first_day: expected a date (YYYY-MM-DD), got text",
        ),
        (
            "first_day: 2025-09-01,",
            "first_day: '2025-9-1',",
            "cal.yaml: half_terms[0].first_day: expected a date (YYYY-MM-DD), got text",
        ),
        ("{term: autumn,", "{term: 3,", "cal.yaml: half_terms[0].term: expected a non-empty"),
        (
            "half_terms:\n  - {term: autumn, first_day: 2025-09-01, last_day: 2025-10-17}\n"
            "  - {term: autumn, first_day: 2025-10-27, last_day: 2025-12-19}\n",
            "half_terms: 2025-09-01\n",
            "cal.yaml: half_terms: expected a list, got text",
        ),
        (
            "half_terms:\n  - {term: autumn, first_day: 2025-09-01, last_day: 2025-10-17}\n"
            "  - {term: autumn, first_day: 2025-10-27, last_day: 2025-12-19}\n",
            "half_terms: []\n",
            "cal.yaml: half_terms: expected at least one half-term",
        ),
        (
            "  - {term: autumn, first_day: 2025-10-27",
            "  - 2025-10-27\n  - {term: autumn, first_day: 2025-10-27",
            "cal.yaml: half_terms[1]: expected a mapping, got text",
        ),
        (
            "closures:\n  - {date: 2025-09-01, reason: INSET day}\n  - {date: 2025-09-02}\n",
            "closures: {date: 2025-09-01}\n",
            "cal.yaml: closures: expected a list, got a mapping",
        ),
        ("  - {date: 2025-09-02}\n", "  - {reason: x}\n", "cal.yaml: closures[1]: missing key"),
        (
            "  - {date: 2025-09-02}\n",
            "  - {date: 2025-09-02, why: x}\n",
            "cal.yaml: closures[1]: unknown key 'why'",
        ),
        (
            "  - {date: 2025-09-02}\n",
            "  - {date: tomorrow}\n",
            "cal.yaml: closures[1].date: expected a date (YYYY-MM-DD), got text",
        ),
        (
            "  - {date: 2025-09-02}\n",
            "  - {date: 2025-09-01}\n",
            "cal.yaml: closures[1].date: duplicate closure 2025-09-01",
        ),
        (
            "  - {date: 2025-09-02}\n",
            "  - {date: 2025-12-25}\n",
            "cal.yaml: closure 2025-12-25 is outside the calendar 'Test' (2025-09-01..2025-12-19)",
        ),
        (
            "last_day: 2025-10-17}",
            "last_day: 2025-11-17}",
            "cal.yaml: half-term 2 (2025-10-27..2025-12-19) overlaps half-term 1",
        ),
        (
            "2025-12-19",
            "2026-02-30",
            "cal.yaml: half_terms[1].last_day: 2026-02-30 is not a date: there is no such day",
        ),
        (
            "last_day: 2025-12-19}",
            "last_day: 2025-12-19, last_day: 2025-12-18}",
            "cal.yaml: not a valid calendar YAML document: the key 'last_day' is given twice",
        ),
        ("name: Test\n", "name: [Test\n", "cal.yaml: not a valid calendar YAML document"),
    ],
)
def test_malformed_yaml(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in GOOD
    path = tmp_path / "cal.yaml"
    path.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CalendarError) as info:
        SchoolCalendar.from_yaml(path)
    assert str(info.value).startswith(str(path))
    assert expected.removeprefix("cal.yaml") in str(info.value)
    with pytest.raises(CalendarError) as info:
        SchoolCalendar.from_yaml_text(GOOD.replace(old, new, 1), source="cal.yaml")
    assert str(info.value).startswith(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "x.yaml: expected a mapping at the top level, got nothing"),
        ("- 1\n- 2\n", "x.yaml: expected a mapping at the top level, got a list"),
        ("just text", "x.yaml: expected a mapping at the top level, got text"),
    ],
)
def test_yaml_top_level_not_a_mapping(text: str, expected: str) -> None:
    with pytest.raises(CalendarError) as info:
        SchoolCalendar.from_yaml_text(text, source="x.yaml")
    assert str(info.value).startswith(expected)


def test_yaml_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    with pytest.raises(CalendarError, match=r"absent\.yaml: cannot read calendar file"):
        SchoolCalendar.from_yaml(path)


def test_yaml_uses_safe_load() -> None:
    text = "name: !!python/object/apply:os.getcwd []\nhalf_terms: []\n"
    with pytest.raises(CalendarError, match="not a valid calendar YAML document"):
        SchoolCalendar.from_yaml_text(text)


# --- properties -------------------------------------------------------------------------------


def oracle_school_days(cal: SchoolCalendar) -> list[date]:
    """School days by brute force over every covered date, straight from the definition."""
    bank = holidays.country_holidays(
        "GB", subdiv="ENG", years=range(cal.first_day.year, cal.last_day.year + 1)
    )
    days = []
    d = cal.first_day
    while d <= cal.last_day:
        in_block = any(h.first_day <= d <= h.last_day for h in cal.half_terms)
        if in_block and d.weekday() < 5 and d not in cal.closures and d not in bank:
            days.append(d)
        d += timedelta(days=1)
    return days


EX_DAYS = oracle_school_days(EX)


def nth_or_none(cal: SchoolCalendar, start: date, n: int) -> date | None:
    try:
        return cal.nth_school_day(start, n)
    except CalendarError:
        return None


def before_or_none(cal: SchoolCalendar, d: date, n: int) -> date | None:
    try:
        return cal.nth_school_day_before(d, n)
    except CalendarError:
        return None


def check_point(cal: SchoolCalendar, days: list[date], d: date, n: int) -> None:
    """Invariants at one covered date d and count n, against the brute-force school days."""
    is_day = d in days
    assert cal.is_school_day(d) == is_day
    assert (cal.non_school_reason(d) is None) == is_day
    if is_day:
        assert cal.school_day_index(d) == days.index(d) + 1
        assert cal.half_term_of(d) is not None

    # nth_school_day: the nth school day on or after d, or an error exactly when there is none.
    on_or_after = [x for x in days if x >= d]
    nth = nth_or_none(cal, d, n)
    assert nth == (on_or_after[n - 1] if len(on_or_after) >= n else None)
    if nth is not None:
        assert cal.is_school_day(nth) and nth >= d
        assert cal.school_days_between(d, nth) == n - 1  # exactly n - 1 school days before it
        if n >= 2:
            assert cal.nth_school_day_before(nth, n - 1) == on_or_after[0]

    # nth_school_day_before: r < d, and [r, d) holds exactly n school days (r counts, d doesn't).
    before = [x for x in days if x < d]
    r = before_or_none(cal, d, n)
    assert r == (before[-n] if len(before) >= n else None)
    if r is not None:
        assert r < d and cal.is_school_day(r)
        assert cal.school_days_between(r, d) == n
        # Counting n + 1 from r lands on the first school day on or after d (d itself if a school
        # day), or runs past the end if there is none.
        assert nth_or_none(cal, r, n + 1) == (on_or_after[0] if on_or_after else None)

    # next / previous.
    after = [x for x in days if x > d]
    if after:
        nxt = cal.next_school_day(d)
        assert nxt == after[0] and nxt > d and cal.is_school_day(nxt)
        assert cal.school_days_between(d, nxt) == int(is_day)
    else:
        with pytest.raises(CalendarError):
            cal.next_school_day(d)
    if before:
        prev = cal.previous_school_day(d)
        assert prev == before[-1] and prev < d and cal.is_school_day(prev)
        assert cal.school_days_between(prev, d) == 1
    else:
        with pytest.raises(CalendarError):
            cal.previous_school_day(d)


def check_pair(cal: SchoolCalendar, days: list[date], a: date, b: date, n: int) -> None:
    """Invariants over two covered dates a <= b."""
    between = [x for x in days if a <= x < b]
    assert cal.school_days_between(a, b) == len(between)
    assert list(cal.school_days(a, b)) == between
    assert cal.school_days_between(b, a) == (0 if a < b else len(between))
    # Monotonic in start.
    na, nb = nth_or_none(cal, a, n), nth_or_none(cal, b, n)
    if nb is not None:
        assert na is not None and na <= nb
    # Strictly increasing in n.
    later = nth_or_none(cal, a, n + 1)
    if later is not None:
        assert na is not None and na < later
    # school_day_index is strictly increasing over school days, by one per school day.
    indices = [cal.school_day_index(x) for x in between]
    assert all(j == i + 1 for i, j in pairwise(indices))
    if between:
        assert indices[0] == cal.school_days_between(cal.first_day, between[0]) + 1
    # half_term_of / term_of agree with the blocks.
    for x in (a, b):
        h = cal.half_term_of(x)
        t = cal.term_of(x)
        assert (h is not None) == any(x in ht for ht in cal.half_terms)
        if h is not None:
            assert t is not None and h in t.half_terms


ex_dates = st.dates(EX.first_day, EX.last_day)
counts = st.integers(1, 40)


@PROPS
@given(d=ex_dates, n=counts)
def test_example_point_invariants(d: date, n: int) -> None:
    check_point(EX, EX_DAYS, d, n)


@PROPS
@given(a=ex_dates, b=ex_dates, n=counts)
def test_example_pair_invariants(a: date, b: date, n: int) -> None:
    a, b = min(a, b), max(a, b)
    check_pair(EX, EX_DAYS, a, b, n)


@PROPS
@given(start=ex_dates, n=counts)
def test_example_nth_results_are_school_days(start: date, n: int) -> None:
    result = nth_or_none(EX, start, n)
    assume(result is not None)
    assert result is not None
    assert EX.is_school_day(result)
    assert EX.school_days_between(start, result) == n - 1


def test_example_matches_oracle_everywhere() -> None:
    assert [*EX.school_days(EX.first_day, EX.last_day), EX.last_day] == EX_DAYS


@st.composite
def calendars(draw: st.DrawFn) -> SchoolCalendar:
    """Random calendars: 1-6 ordered blocks of 1-60 days with 1-21 day gaps, up to 8 closures."""
    cursor = draw(st.dates(D(2019, 1, 1), D(2032, 12, 31)))
    blocks = []
    for _ in range(draw(st.integers(1, 6))):
        last = cursor + timedelta(days=draw(st.integers(0, 59)))
        blocks.append((cursor, last))
        cursor = last + timedelta(days=draw(st.integers(1, 21)))
    closures = draw(st.sets(st.dates(blocks[0][0], blocks[-1][1]), max_size=8))
    with_reasons = draw(st.booleans())
    try:
        return SchoolCalendar.from_terms(
            blocks,
            {c: "INSET day" for c in closures} if with_reasons else closures,
            name="random",
        )
    except CalendarError as exc:  # a block of weekend, bank holiday or closed days only
        assert "has no school day" in str(exc)
        reject()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cal=calendars(), data=st.data())
def test_random_calendar_invariants(cal: SchoolCalendar, data: st.DataObject) -> None:
    days = oracle_school_days(cal)
    dates = st.dates(cal.first_day, cal.last_day)
    n = data.draw(counts, label="n")
    d = data.draw(dates, label="d")
    check_point(cal, days, d, n)
    a, b = sorted((data.draw(dates, label="a"), data.draw(dates, label="b")))
    check_pair(cal, days, a, b, n)
    # Out of coverage on either side.
    for outside in (cal.first_day - timedelta(days=1), cal.last_day + timedelta(days=1)):
        assert not cal.covers(outside)
        with pytest.raises(CalendarError, match=outside.isoformat()):
            cal.is_school_day(outside)
    # Terms partition the half-terms in order; default names pair up.
    assert tuple(h for t in cal.terms() for h in t.half_terms) == cal.half_terms
    assert [h.term for h in cal.half_terms] == [
        ("autumn", "spring", "summer")[(k // 2) % 3] for k in range(len(cal.half_terms))
    ]
