"""Written notices to parents: when and how a notice was sent, and which methods are writing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from apcompliance.facts._base import Fact

NoticeMethod = Literal["letter", "email", "text_message", "hand_delivered", "phone", "in_person"]
"""Which methods are writing is the named term `in_writing` (rules/terms.yaml, policy I.3)."""


class SentNotice(Fact):
    """What every notice records: when it was sent (local time if no timezone) and how."""

    sent_at: datetime
    method: NoticeMethod

    @property
    def occurred_on(self) -> date:
        return self.sent_at.date()
