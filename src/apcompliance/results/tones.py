"""The colours of a finding's status, shared by the HTML views: the notebook's tables, the
timeline's markers and the cohort report."""

from __future__ import annotations

from apcompliance.results.data import ADVISORY_KINDS, FindingData

__all__ = ["TONES", "marker_tone", "tone"]

TONES = {
    "red": ("#fde8e8", "#9b1c1c"),
    "amber": ("#fff4dc", "#8a4b00"),
    "green": ("#e6f4ea", "#1e6b34"),
    "grey": ("#eef0f2", "#4a5058"),
    "blue": ("#e3effc", "#1d4f91"),
}
"""Background and text colour of each status tone."""


def tone(f: FindingData) -> str:
    """red: a violation; green: met; grey: an advisory or permission; amber: the rest (due
    soon, pending, scheduled, at risk, open)."""
    if f.kind in ADVISORY_KINDS:
        return "grey"
    if f.is_violation:
        return "red"
    if f.status == "met":
        return "green"
    return "amber"


def marker_tone(f: FindingData) -> str:
    """`tone`, with blue for a finding that waits for information (`information_needed`) or
    that the calendar cannot date (`undetermined`)."""
    if f.status in ("information_needed", "undetermined"):
        return "blue"
    return tone(f)
