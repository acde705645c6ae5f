"""How a notice was sent, and which methods count as writing."""

from __future__ import annotations

from typing import Literal

NoticeMethod = Literal["letter", "email", "text_message", "hand_delivered", "phone", "in_person"]
WRITTEN_METHODS: frozenset[str] = frozenset({"letter", "email", "text_message", "hand_delivered"})
"""Policy I.3: "in writing but can be provided by any effective method including text or email"."""


def written(method: str) -> bool:
    """True for a method that leaves a written notice."""
    return method in WRITTEN_METHODS
