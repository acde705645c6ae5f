"""Fact models: what a school information system knows about a pupil, as strict Pydantic v2."""

from apcompliance.facts.case import Case
from apcompliance.facts.direction import (
    AgenciesNotified,
    DirectionMeeting,
    LaSenConsultation,
    ParentalAgreement,
    ReferralNotice,
    SuitabilityCheck,
)
from apcompliance.facts.events import (
    Event,
    ExclusionNotice,
    PepRecord,
    PermanentExclusion,
    ShortNoticeConsent,
    Suspension,
    WorkSet,
)
from apcompliance.facts.needs import (
    BehaviourConcern,
    Intervention,
    NeedsAssessment,
    NeedsConsideration,
)
from apcompliance.facts.placement import Placement, SessionTimes, SingleSession, TwoSessions
from apcompliance.facts.provider import Address, Provider
from apcompliance.facts.pupil import ExamEntry, Pupil
from apcompliance.facts.reviews import PlacementReview, ProgressRecord, ReviewRequest

__all__ = [
    "Address",
    "AgenciesNotified",
    "BehaviourConcern",
    "Case",
    "DirectionMeeting",
    "Event",
    "ExamEntry",
    "ExclusionNotice",
    "Intervention",
    "LaSenConsultation",
    "NeedsAssessment",
    "NeedsConsideration",
    "ParentalAgreement",
    "PepRecord",
    "PermanentExclusion",
    "Placement",
    "PlacementReview",
    "ProgressRecord",
    "Provider",
    "Pupil",
    "ReferralNotice",
    "ReviewRequest",
    "SessionTimes",
    "ShortNoticeConsent",
    "SingleSession",
    "SuitabilityCheck",
    "Suspension",
    "TwoSessions",
    "WorkSet",
]
