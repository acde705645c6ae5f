"""The flat facts the rules speak about: the vocabulary of `rules/*.yaml` conditions.

Derive builds these from a case; the rule loader checks every field a rule names against
them; the engine receives them as JSON (dates as ordinals, `None` fields left out).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

EPOCH = datetime(1970, 1, 1)


class EngineFact(BaseModel):
    """A derived fact. `type_name` is its `t` in the engine; `id` is unique within a case."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    type_name: ClassVar[str]
    id: str

    def to_engine(self) -> dict[str, Any]:
        """JSON-ready dict: dates become day ordinals, datetimes minutes since 1970."""
        out: dict[str, Any] = {"t": self.type_name}
        for name, value in self:
            if value is None or isinstance(value, tuple):
                continue
            if isinstance(value, datetime):
                value = int((value.replace(tzinfo=None) - EPOCH).total_seconds() // 60)
            elif isinstance(value, date):
                value = value.toordinal()
            out[name] = value
        return out


class PupilFact(EngineFact):
    """The pupil (one per case)."""

    type_name: ClassVar[str] = "pupil"
    year_group: int
    final_year: bool
    looked_after: bool
    ehc_plan: bool
    send: bool
    semh_needs: bool


class ExclusionFact(EngineFact):
    """One period of exclusion: a run of back-to-back suspensions (policy I.4), or a
    permanent exclusion. Its id is its first event's id."""

    type_name: ClassVar[str] = "exclusion"
    permanent: bool
    first_day: date
    last_day: date | None
    """The last school day of a suspension period; None for a permanent exclusion."""
    school_days: int | None
    """School days excluded, summed over the period's suspensions; None when permanent."""
    suspensions: int
    events: tuple[str, ...]
    pupil_in_final_year: bool
    public_exams_left: Literal["yes", "no", "unknown"]
    """Whether the pupil has a public examination still to sit on or after `first_day`."""
    provision_in_first_five_days: bool
    """A placement for this exclusion starts within its first five school days."""


class PlacementFact(EngineFact):
    """A placement, linked to the exclusion it provides for (if any)."""

    type_name: ClassVar[str] = "placement"
    kind: str
    full_time: bool
    start_date: date
    end_date: date | None
    start_at: datetime
    """When provision starts, per the `provision_starts_at` switch."""
    exclusion: str | None
    starts_before_sixth_day: bool | None
    runs_on_sixth_day: bool | None
    """Provision has not ended before the sixth school day of its exclusion."""
    short_notice_consent: bool
    consent_ids: tuple[str, ...]


class NoticeFact(EngineFact):
    """A notice to parents about an exclusion, with the AP details it gives (I.1.i–iv)."""

    type_name: ClassVar[str] = "notice"
    exclusion: str
    sent_at: datetime
    sent_on: date
    in_writing: bool
    method: str
    gives_start_date: bool
    gives_session_times: bool
    gives_address: bool
    gives_report_to: bool


class WorkSetFact(EngineFact):
    """Work set during an exclusion (I.7)."""

    type_name: ClassVar[str] = "work_set"
    exclusion: str
    set_on: date
    marked_on: date | None


class PepRecordFact(EngineFact):
    """A PEP entry about an exclusion's provision (I.5)."""

    type_name: ClassVar[str] = "pep_record"
    exclusion: str
    recorded_on: date
    records_immediate_provision: bool


FACT_TYPES: dict[str, type[EngineFact]] = {
    cls.type_name: cls
    for cls in (PupilFact, ExclusionFact, PlacementFact, NoticeFact, WorkSetFact, PepRecordFact)
}
