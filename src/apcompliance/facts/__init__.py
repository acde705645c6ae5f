"""Fact models: what a school information system knows about a pupil, as strict Pydantic v2."""

from apcompliance.facts.case import Case
from apcompliance.facts.commissioning import (
    FsmArrangement,
    InformationShared,
    LearningPlan,
    ProviderCheck,
    Visit,
)
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
    ExclusionNotification,
    PepRecord,
    PermanentExclusion,
    ShortNoticeConsent,
    Suspension,
    WorkSet,
)
from apcompliance.facts.monitoring import (
    Absence,
    AttendanceIntervention,
    AttendanceUpdate,
    EhcPlanReview,
    ProviderReport,
    SafeguardingConcern,
    SeriousIncident,
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
from apcompliance.facts.reintegration import (
    FinalReport,
    LaContacted,
    PartTimeTimetable,
    PlacementRecord,
    PupilViews,
    ReintegrationMeeting,
    ReintegrationPlan,
    ReintegrationReview,
    ReturnToSchool,
    TimetableReview,
)
from apcompliance.facts.reviews import PlacementReview, ProgressRecord, ReviewRequest

__all__ = [
    "Absence",
    "Address",
    "AgenciesNotified",
    "AttendanceIntervention",
    "AttendanceUpdate",
    "BehaviourConcern",
    "Case",
    "DirectionMeeting",
    "EhcPlanReview",
    "Event",
    "ExamEntry",
    "ExclusionNotice",
    "ExclusionNotification",
    "FinalReport",
    "FsmArrangement",
    "InformationShared",
    "Intervention",
    "LaContacted",
    "LaSenConsultation",
    "LearningPlan",
    "NeedsAssessment",
    "NeedsConsideration",
    "ParentalAgreement",
    "PartTimeTimetable",
    "PepRecord",
    "PermanentExclusion",
    "Placement",
    "PlacementRecord",
    "PlacementReview",
    "ProgressRecord",
    "Provider",
    "ProviderCheck",
    "ProviderReport",
    "Pupil",
    "PupilViews",
    "ReferralNotice",
    "ReintegrationMeeting",
    "ReintegrationPlan",
    "ReintegrationReview",
    "ReturnToSchool",
    "ReviewRequest",
    "SafeguardingConcern",
    "SeriousIncident",
    "SessionTimes",
    "ShortNoticeConsent",
    "SingleSession",
    "SuitabilityCheck",
    "Suspension",
    "TimetableReview",
    "TwoSessions",
    "Visit",
    "WorkSet",
]
