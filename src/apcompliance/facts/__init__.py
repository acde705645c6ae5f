"""Fact models: what a school information system knows about a pupil, as strict Pydantic v2."""

from apcompliance.facts.case import Case
from apcompliance.facts.events import (
    Event,
    ExclusionNotice,
    PepRecord,
    PermanentExclusion,
    ShortNoticeConsent,
    Suspension,
    WorkSet,
)
from apcompliance.facts.placement import Placement, SessionTimes, SingleSession, TwoSessions
from apcompliance.facts.provider import Address, Provider
from apcompliance.facts.pupil import ExamEntry, Pupil

__all__ = [
    "Address",
    "Case",
    "Event",
    "ExamEntry",
    "ExclusionNotice",
    "PepRecord",
    "PermanentExclusion",
    "Placement",
    "Provider",
    "Pupil",
    "SessionTimes",
    "ShortNoticeConsent",
    "SingleSession",
    "Suspension",
    "TwoSessions",
    "WorkSet",
]
