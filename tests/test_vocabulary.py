"""One vocabulary: every event kind's engine fact is generated from its model, so a new event
kind needs its model (and its rules and tests), not a second hand-written class."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import pytest

from apcompliance.facts._base import ID_FIELD, Distinct, Fact, FactId, Flags, GivenAs
from apcompliance.facts.derived import Derived
from apcompliance.facts.vocabulary import (
    EVENT_FACTS,
    EVENT_MODELS,
    FACT_TYPES,
    FOLDED,
    engine_fields,
    event_fact,
)


class Tutoring(Fact):
    """A throwaway event kind, as a new one would be written."""

    kind: Literal["tutoring"] = "tutoring"
    id: FactId = ID_FIELD
    placement_id: FactId
    held_on: date
    started_at: datetime
    minutes: int
    online: bool = False
    subject: Literal["english", "maths"]
    notes: str | None = None
    tutor_address: Annotated[str | None, GivenAs("gives_venue")] = None
    present: Annotated[tuple[Literal["pupil", "parents"], ...], Distinct, Flags("{}_present")] = ()
    topics: Annotated[tuple[Literal["reading", "number"], ...], Distinct] = ()
    score: float = 0.0


def test_a_new_event_model_gets_its_engine_fact_by_the_conventions():
    fact = event_fact(Tutoring).fact_type
    assert fact.type_name == "tutoring"
    assert list(fact.model_fields) == [
        "id",
        "placement",
        "held_on",
        "started_at",
        "minutes",
        "online",
        "subject",
        "gives_notes",
        "gives_venue",
        "pupil_present",
        "parents_present",
        "topics_reading",
        "topics_number",
        "score",
    ]  # the free text only as whether it is given; a number with a fraction copied
    event = Tutoring(
        id="T-1",
        placement_id="PL-1",
        held_on=date(2025, 10, 16),
        started_at=datetime(2025, 10, 16, 9, 30),
        minutes=60,
        subject="maths",
        notes="Private words that never reach the engine.",
        present=("pupil",),
        topics=("number",),
    )
    made = fact(**event_fact(Tutoring).values(event, {}))
    assert made.placement == "PL-1" and made.gives_notes and not made.gives_venue
    assert (made.pupil_present, made.parents_present) == (True, False)
    assert (made.topics_reading, made.topics_number) == (False, True)
    assert made.score == 0.0
    assert "Private" not in repr(made.to_engine())


def test_the_generator_marks_what_it_computes_and_only_that():
    """`gives_<field>` and per-choice flags are presence; copies carry no mark."""
    fact = event_fact(Tutoring).fact_type
    marks = {name: mark.kind for name, mark in fact.derived_fields().items()}
    assert marks == {
        "gives_notes": "presence",
        "gives_venue": "presence",
        "pupil_present": "presence",
        "parents_present": "presence",
        "topics_reading": "presence",
        "topics_number": "presence",
    }


def test_marks_declared_on_derived_fields_and_aggregates_reach_the_engine_facts():
    update = FACT_TYPES["attendance_update"].derived_fields()
    assert update["previous_attendance_percent"].kind == "aggregate"
    assert "attendance_percent" not in update and "updated_on" not in update
    assert FACT_TYPES["notice"].derived_fields()["gives_start_date"].kind == "presence"
    assert FACT_TYPES["placement"].derived_fields()["concurrent_from"].kind == "aggregate"
    assert "full_time" not in FACT_TYPES["placement"].derived_fields()
    assert FACT_TYPES["pupil"].derived_fields()["other_agencies_involved"].kind == "presence"
    assert FACT_TYPES["work_set"].derived_fields()["exclusion"].kind == "aggregate"
    assert FACT_TYPES["attendance_update"].model_fields["attendance_percent"].annotation is float


def test_derived_fields_are_declared_once_and_may_replace_a_generated_one():
    class TutoringDerived(Derived):
        type_name = "tutoring_session"
        gives_notes: bool
        """Notes that say what was covered (replaces the generated flag)."""
        long: bool
        """At least an hour."""

    generated = event_fact(Tutoring, TutoringDerived)
    fields = generated.fact_type.model_fields
    assert generated.fact_type.type_name == "tutoring_session"
    assert fields["long"].description == "At least an hour."
    assert "gives_notes" not in dict(generated.copied)  # computed by derive, not copied


def test_a_name_given_twice_is_refused_when_the_fact_is_generated():
    class Clash(Fact):
        kind: Literal["clash"] = "clash"
        id: FactId = ID_FIELD
        notes: str | None = None
        gives_notes: bool = False

    with pytest.raises(TypeError, match="Clash: engine fields named twice: gives_notes"):
        event_fact(Clash)


@pytest.mark.parametrize("model", EVENT_MODELS, ids=lambda m: m.__name__)
def test_every_event_kind_has_an_engine_fact_with_each_of_its_fields(model):
    """Registering an event kind is adding its model to the `Event` union: then it has an
    engine fact the loader knows (or is folded into an aggregate), carrying each of its fields
    the engine can hold."""
    if model in FOLDED:
        assert FOLDED[model] in FACT_TYPES
        return
    fact = EVENT_FACTS[model].fact_type
    assert FACT_TYPES[fact.type_name] is fact
    for f in engine_fields(model):
        assert f.name in fact.model_fields, f"{model.__name__}.{f.source} -> {f.name}"
    sources = {f.source for f in engine_fields(model)}
    for name, info in model.model_fields.items():
        simple = info.annotation in (date, bool, int, datetime, date | None, int | None)
        if simple and name != "kind":
            assert name in sources, f"{model.__name__}.{name} is not in its engine fact"


def test_the_strategies_draw_a_new_event_kind_from_its_model():
    """`apcompliance.testing` draws an event kind with no strategy of its own from its model:
    valid, its first date the one given, later dates on or after it."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from apcompliance.calendar.school_calendar import SchoolCalendar
    from apcompliance.testing import _days_of, _from_model

    days = _days_of(SchoolCalendar.example())
    on = days.days[10]
    seen: set[tuple[bool, bool]] = set()

    @settings(max_examples=60, database=None, derandomize=True, deadline=None)
    @given(st.data(), st.booleans())
    def draw(data, thorough):
        refs = {"placement_id": "PL-1"}
        event = _from_model(data.draw, days, Tutoring, "EV-1", on, refs, thorough)
        assert isinstance(event, Tutoring) and event.placement_id == "PL-1"
        assert event.held_on == on and event.started_at.date() <= on
        assert 0 <= event.minutes <= 20
        if thorough:
            assert event.notes is not None and event.present == ("pupil", "parents")
        seen.add((event.online, event.notes is None))

    draw()
    assert len(seen) == 4  # each bool and optional field drawn both ways
