"""What derive adds to an event kind's engine fact, beyond the fields of the kind's model.

Each class here declares, once, the extra fields of one event kind's engine fact: the type,
a docstring saying what the field means, and, for a value computed rather than copied, its
`Derivation` mark: `presence`, `aggregate` or `decision` (facts/_base.py; the census of the
rule language counts the rules' reliance on them). `evaluation/derive/events.py` computes
them (one small function per kind); `facts/vocabulary.py` generates the engine fact from the
model and these fields. A kind that needs nothing beyond its model's fields has no class here.
Whether a clause applies is never decided here: named terms in rules/terms.yaml read these
values instead.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, ClassVar, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

from apcompliance.facts._base import Fact, aggregate, presence
from apcompliance.facts.commissioning import ProviderCheck
from apcompliance.facts.direction import DirectionMeeting, ReferralNotice
from apcompliance.facts.events import ExclusionNotice, LunchtimeExclusion, Suspension, WorkSet
from apcompliance.facts.monitoring import AttendanceUpdate, EhcPlanReview
from apcompliance.facts.reviews import ProgressRecord

__all__ = ["DERIVED", "Derived", "derives"]


class Derived(BaseModel):
    """The extra fields of one event kind's engine fact (never instantiated). A field of the
    same name as one generated from the model replaces it."""

    model_config = ConfigDict(use_attribute_docstrings=True)
    type_name: ClassVar[str | None] = None
    """The fact's type in the rules, where it is not the event's `kind`."""
    one_per: ClassVar[str | None] = None
    """Where an event gives one fact per item (per placement), what the item is."""


DERIVED: dict[type[Fact], type[Derived]] = {}
"""Each event kind's extra fields, where it has any."""

D = TypeVar("D", bound=type[Derived])


def derives(model: type[Fact]) -> Callable[[D], D]:
    """Declare a `Derived` class as the extra fields of `model`'s engine fact."""

    def register(derived: D) -> D:
        if model in DERIVED:
            raise TypeError(f"{model.__name__} has two declarations of derived fields")
        DERIVED[model] = derived
        return derived

    return register


FIRST_DAY_NOTICE = (
    "the calendar and the switches: the end of the afternoon session of the first day "
    "(first_day_notice_by, afternoon_session_ends)"
)
TEXT_KEY = (
    "a digest of the recorded text, normalised (case, spaces and punctuation), never the "
    "text itself"
)


@derives(Suspension)
class SuspensionDerived(Derived):
    """A suspension that continues a period of exclusion begun by an earlier one (I.4): its own
    decision to exclude, which needs its own notice to the parents (I.2). The period's first
    suspension is the period itself (`exclusion`, with the same id), so it has no fact here."""

    type_name: ClassVar[str | None] = "further_suspension"
    one_per: ClassVar[str | None] = "suspension continuing a period (none for the period's first)"
    exclusion: Annotated[str, aggregate("the period of exclusion the event belongs to (a link)")]
    """The period of exclusion it continues (I.4): the id of the period's first event."""
    notice_due_at: Annotated[datetime, aggregate(FIRST_DAY_NOTICE)]
    """I.2: when the written notice to the parents is due: the end of the afternoon session of
    its first day (the `first_day_notice_by` and `afternoon_session_ends` switches)."""


@derives(LunchtimeExclusion)
class LunchtimeExclusionDerived(Derived):
    """A lunchtime exclusion's place in the school year's 45 school days of suspension: each
    of its lunchtimes counts half a day (it never starts a period of exclusion)."""

    suspension_half_days_in_school_year: Annotated[
        int,
        aggregate(
            "the calendar: half days of suspension in the school year (sessions of suspension "
            "and lunchtime exclusions), a count"
        ),
    ]
    """Half days of suspension in its school year up to and including its last lunchtime,
    suspensions and lunchtime exclusions together (a session or a lunchtime is one; the law's
    45 school days are 90)."""
    suspension_limit_passed_on: Annotated[
        date | None,
        aggregate(
            "the calendar: the first of its lunchtimes beyond the school year's 45 days of "
            "suspension"
        ),
    ] = None
    """The day of its first lunchtime on which the pupil has been suspended for more than 45
    school days in the school year; None where none is."""


@derives(ExclusionNotice)
class ExclusionNoticeDerived(Derived):
    type_name: ClassVar[str | None] = "notice"
    """Its type in the rules: `notice`."""
    about: str
    """The suspension or permanent exclusion it is about (its own id, as the case records it;
    `exclusion` is the period of exclusion that event belongs to)."""
    sent_on: date
    """The day it was sent, in the school's local time."""
    gives_start_date: Annotated[bool, presence("the notice records a start date")]
    """I.1.i: the start date of the provision is given."""
    first_day_notice_due_at: Annotated[datetime, aggregate(FIRST_DAY_NOTICE)]
    """I.2: the end of the afternoon session of the first day of the suspension or permanent
    exclusion it is about: a notice sent by then is that exclusion's first-day notice."""
    session_hours: str | None
    """I.1.ii: the session times it gives, as text (`09:00-12:00, 12:45-15:15`; one session:
    `09:00-15:00`), compared with the placement's."""
    address_key: Annotated[str | None, aggregate(TEXT_KEY)]
    """I.1.iii: a key of the address it gives (equal keys: the same address, ignoring case,
    spaces and punctuation); the address itself never enters the engine."""
    report_to_key: Annotated[str | None, aggregate(TEXT_KEY)]
    """I.1.iv: a key of whom it says the pupil reports to, as `address_key`."""


@derives(WorkSet)
class WorkSetDerived(Derived):
    set_for_last_day: Annotated[
        date, aggregate("set_for_until where recorded, else the day the work is set (set_on)")
    ]
    """I.7: the last day the work is set for: `set_for_until`, or the day it is set on where
    the case records no more (work set covers the days from `set_on` to this one)."""


@derives(ReferralNotice)
class ReferralNoticeDerived(Derived):
    sent_on: date
    """The day it was sent, in the school's local time."""
    given_on: Annotated[
        date, aggregate("the calendar: the school day it counts as given on, per a switch")
    ]
    """The school day the notice counts as given on when counting school days: the day it was
    sent, or for a notice sent on a non-school day the previous school day (clear-days reading)
    or the next (plain reading). A notice sent outside the calendar keeps its date."""
    gives_start_date: Annotated[bool, presence("the notice records a start date")]
    """H.2: the start date is given."""
    gives_number_of_days: Annotated[bool, presence("the notice records the number of days")]
    """H.2.iv: the number of days is given."""
    session_times_form: str | None
    """The form of the session times the notice gives (`two_sessions` or `single_session`),
    if it gives any."""
    placement_session_form: Annotated[
        str | None, aggregate("the form the placement's sessions take, where known (a link)")
    ]
    """The form the placement's sessions take (`two_sessions` or `single_session`), where the
    placement records it."""
    session_hours: str | None
    """H.2.vi: the session times it gives, as text (as `notice.session_hours`)."""
    address_key: Annotated[str | None, aggregate(TEXT_KEY)]
    """H.2.i: a key of the address it gives (as `notice.address_key`)."""
    report_to_key: Annotated[str | None, aggregate(TEXT_KEY)]
    """H.2.ii: a key of whom it says the pupil reports to (as `notice.address_key`)."""


@derives(DirectionMeeting)
class DirectionMeetingDerived(Derived):
    sets_review_interval: Annotated[bool, presence("the meeting records a review interval")]
    """H.3.iii: the meeting set how often the placement will be reviewed."""


@derives(ProgressRecord)
class ProgressRecordDerived(Derived):
    satisfactory: Annotated[bool, presence("the recorded progress is 'satisfactory'")]
    """The progress was judged satisfactory."""


@derives(AttendanceUpdate)
class AttendanceUpdateDerived(Derived):
    previous_attendance_percent: Annotated[
        float | None,
        aggregate("the previous update's attendance about the same placement, if any"),
    ]
    """The attendance the previous update about the same placement gave, if there is one."""
    attendance_target_percent: float
    """The school's attendance target (the `attendance_target_percent` switch)."""


@derives(ProviderCheck)
class ProviderCheckDerived(Derived):
    safeguarding_confirmation_scope: Literal["per_placement", "once_per_provider", "renewed_yearly"]
    """Which confirmations count for a placement (the `safeguarding_confirmation_scope`
    switch, G.2.2, G.2.3)."""


@derives(EhcPlanReview)
class EhcPlanReviewDerived(Derived):
    """One fact per placement running on the day of the review (G.4.ii), with the id
    `<review>@<placement>`."""

    one_per: ClassVar[str | None] = "placement running on the day of the review"

    placement: Annotated[str, aggregate("a placement running on the day of the review (a link)")]
    """A placement running on the day of the review."""
    provider_contributed: Annotated[
        bool, presence("the placement's provider is among the review's contributors")
    ]
    """The placement's provider attended or sent a written report."""
