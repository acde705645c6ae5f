"""What derive adds to an event kind's engine fact, beyond the fields of the kind's model.

Each class here declares, once, the extra fields of one event kind's engine fact: the type and
a docstring saying what the field means. `evaluation/derive/events.py` computes them (one
small function per kind); `facts/vocabulary.py` generates the engine fact from the model and
these fields. A kind that needs nothing beyond its model's fields has no class here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

from apcompliance.facts._base import Fact
from apcompliance.facts.direction import (
    DirectionMeeting,
    ParentalAgreement,
    ReferralNotice,
    SuitabilityCheck,
)
from apcompliance.facts.events import ExclusionNotice
from apcompliance.facts.monitoring import (
    AttendanceUpdate,
    EhcPlanReview,
    ProviderReport,
    SafeguardingConcern,
    SeriousIncident,
)
from apcompliance.facts.reintegration import FinalReport, PlacementRecord
from apcompliance.facts.reviews import PlacementReview, ProgressRecord, ReviewRequest

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


@derives(ExclusionNotice)
class ExclusionNoticeDerived(Derived):
    type_name: ClassVar[str | None] = "notice"
    """Its type in the rules: `notice`."""
    sent_on: date
    """The day it was sent, in the school's local time."""
    in_writing: bool
    """Sent by a written method (I.3: letter, email, text message, by hand)."""
    gives_start_date: bool
    """I.1.i: the start date of the provision is given."""


@derives(ReferralNotice)
class ReferralNoticeDerived(Derived):
    sent_on: date
    """The day it was sent, in the school's local time."""
    given_on: date
    """The school day the notice counts as given on when counting school days: the day it was
    sent, or for a notice sent on a non-school day the previous school day (clear-days reading)
    or the next (plain reading). A notice sent before the calendar begins keeps its date."""
    in_writing: bool
    """Sent by a written method."""
    gives_start_date: bool
    """H.2: the start date is given."""
    gives_number_of_days: bool
    """H.2.iv: the number of days is given."""
    gives_session_times: bool
    """Session times in the form the provision runs (two sessions or one), where known."""


@derives(DirectionMeeting)
class DirectionMeetingDerived(Derived):
    sets_review_interval: bool
    """H.3.iii: the meeting set how often the placement will be reviewed."""


@derives(ParentalAgreement)
class ParentalAgreementDerived(Derived):
    arrangements_shared_with_all: bool
    """The review timescales and responsibilities made clear to provider, parents and pupil."""


@derives(SuitabilityCheck)
class SuitabilityCheckDerived(Derived):
    arrangements_suitable: bool
    """G.2: safeguarding, pastoral support, health and safety and transport all suitable."""


@derives(PlacementReview)
class PlacementReviewDerived(Derived):
    parents_involved: bool
    """The parents attended or gave their views."""


@derives(ReviewRequest)
class ReviewRequestDerived(Derived):
    meeting_in_previous_ten_weeks: bool
    """A review meeting of the placement was held in the ten weeks before the request."""


@derives(ProgressRecord)
class ProgressRecordDerived(Derived):
    satisfactory: bool
    """The progress was judged satisfactory."""


@derives(AttendanceUpdate)
class AttendanceUpdateDerived(Derived):
    shared_with_ap_lead_and_headteacher: bool
    """C.6.ii: the update was given to both the AP lead and the headteacher."""
    falls_below_target: bool
    """Below the attendance target, where the previous update (if any) was not."""


@derives(ProviderReport)
class ProviderReportDerived(Derived):
    covers_progress_behaviour_and_welfare: bool
    """N.3: the report covers progress, behaviour and welfare."""


@derives(SeriousIncident)
class SeriousIncidentDerived(Derived):
    decided_with_slt_and_headteacher: bool
    """C.3.iii: the course of action was decided with the SLT and the headteacher."""


@derives(SafeguardingConcern)
class SafeguardingConcernDerived(Derived):
    resolved: bool
    """Resolved on or before the evaluation date."""
    raised: bool
    """Raised on or before the evaluation date (a concern dated later is not yet known)."""


@derives(EhcPlanReview)
class EhcPlanReviewDerived(Derived):
    """One fact per placement running on the day of the review (G.4.ii), with the id
    `<review>@<placement>`."""

    one_per: ClassVar[str | None] = "placement running on the day of the review"

    placement: str
    """A placement running on the day of the review."""
    provider_contributed: bool
    """The placement's provider attended or sent a written report."""


@derives(FinalReport)
class FinalReportDerived(Derived):
    complete: bool
    """Covers attainment and progress, attendance and evidence of a change in behaviour."""


@derives(PlacementRecord)
class PlacementRecordDerived(Derived):
    complete: bool
    """Progress, achievements, destination and the pupil's own assessment."""
