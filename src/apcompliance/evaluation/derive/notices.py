"""What notices to parents are compared by: the first-day cut-off (I.2) and keys of free text.

A notice must say what was arranged (I.1.i-iv, H.2): its address and the person the pupil
reports to are compared with the placement's by a key, so the text itself never enters the
engine, a trace or a finding.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, time

from apcompliance.policy.settings import PolicySettings

_NOT_WORD = re.compile(r"[\W_]+")
END_OF_DAY = time(23, 59)


def first_day_notice_due(first_day: date, settings: PolicySettings) -> datetime:
    """When the notice of an exclusion beginning on `first_day` is due (I.2; SI 2007/1870 reg
    6(2)): the end of the afternoon session of that day, or the end of the day, per the
    `first_day_notice_by` switch."""
    if settings.first_day_notice_by == "end_of_day":
        return datetime.combine(first_day, END_OF_DAY)
    return datetime.combine(first_day, settings.afternoon_session_ends)


def normalised(text: str) -> str:
    """The text compared: case folded, punctuation and runs of spaces made one space."""
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def text_key(case_id: str, text: str | None) -> str | None:
    """A key of free text (an address, a person), equal for texts equal once `normalised`,
    salted with the case so keys are comparable only within one case; None for none."""
    if text is None:
        return None
    digest = hashlib.sha256(f"{case_id}\x00{normalised(text)}".encode())
    return digest.hexdigest()[:16]
