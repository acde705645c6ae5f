"""Written notices to parents: when and how a notice was sent, and which methods are writing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from apcompliance.facts._base import Fact

NoticeMethod = Literal["letter", "email", "text_message", "hand_delivered", "phone", "in_person"]
"""Which methods are writing is the named term `in_writing` (rules/terms.yaml, policy I.3)."""


class SentNotice(Fact):
    """What every notice records: when it was sent (local time if no timezone) and how."""

    sent_at: datetime = Field(examples=["2025-11-10T15:30:00+00:00", "2025-11-10T15:30:00"])
    """When the notice was sent, or handed over: a date-time with an offset, or without one the
    school's local time (Europe/London). Rules see its local day (`sent_on`) and its time, and
    compare them with the deadline (I.2: the end of the afternoon session of the exclusion's
    first day; H.2: two school days before provision begins)."""
    method: NoticeMethod
    """How it was sent. A letter, email, text message or delivery by hand is in writing (the named
    term `in_writing`, I.3: "any effective method including text or email"; H.2 likewise); a
    phone call or a conversation in person is not (an exclusion notice given so needs a written
    one the same day, I.3)."""

    @property
    def occurred_on(self) -> date:
        return self.sent_at.date()
