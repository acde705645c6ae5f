"""The pupil: who the policy's duties are owed to."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from apcompliance.facts._base import Distinct, Fact

Agency = Literal[
    "mental_health", "early_help", "youth_justice", "health", "police", "charity", "other"
]

FINAL_YEAR_OF_COMPULSORY_EDUCATION = 11
"""Year 11: the final year of compulsory education in England (policy I.8)."""
PRESCRIBED_DAYS = ((3, 31), (8, 31), (12, 31))
"""The days on which a child begins to be of compulsory school age, as (month, day): 31 March,
31 August and 31 December (Education Act 1996 s.8(2); SI 1998/1607)."""


class ExamEntry(Fact):
    """A public examination the pupil is entered for (GCSE, functional skills, …)."""

    subject: str = Field(min_length=1, max_length=120)
    """The subject or qualification (free text)."""
    last_paper_on: date
    """The date of the entry's last paper: after it, the pupil has nothing left to sit."""


class Pupil(Fact):
    """What a school system knows about the pupil.

    `upn`, `name` and `date_of_birth` are personal data: optional, never logged, never put
    into an error message, and left out of default outputs.
    """

    upn: str | None = Field(
        default=None, pattern=r"^[A-Z][0-9]{11}[0-9A-Z]$", examples=["A123456789012"]
    )
    """The unique pupil number (13 characters: a check letter, 11 digits, a digit or letter).
    Personal data: optional, and no rule uses it; leave it out unless the case is matched back
    to the school system by it."""
    name: str | None = Field(default=None, max_length=200)
    """The pupil's name. Personal data: optional, and no rule uses it."""
    date_of_birth: date | None = None
    """Personal data, kept only where a rule needs it: from it the day the pupil reaches compulsory
    school age (Education Act 1996 s.8). Not recorded: a duty that depends on it asks for it."""
    year_group: int = Field(ge=0, le=14)
    """National curriculum year: 0 = Reception, 1–13; 14 for a pupil kept on beyond Year 13."""
    looked_after: bool = False
    """A looked-after child (LAC): in the care of a local authority (I.1, I.5: the virtual school
    head is told; provision aimed for from the first day)."""
    ehc_plan: bool = False
    """The pupil has an education, health and care (EHC) plan (H.3.i, H.3.iv, J.5, G.4.ii)."""
    send: bool = False
    """The pupil has special educational needs or disabilities (SEND), with or without an EHC plan
    (H.6, C.7.i)."""
    semh_needs: bool = False
    """The pupil has social, emotional and mental health (SEMH) needs (C.5.ii, L)."""
    fsm_eligible: bool = False
    """Eligible for free school meals (P.1)."""
    social_worker: bool | None = None
    """The pupil has a social worker: a registered social worker assigned to the pupil by
    children's social care (a statutory role; SI 2012/1033 reg 2). `False`: recorded as having
    none; `None` (the default): not recorded, so a duty that depends on it asks for it
    (`information_needed`). A charity mentor, youth worker or other non-statutory agency is
    one of `other_agencies`, never a social worker."""
    disabled: bool = False
    """Disabled within the Equality Act 2010 (policy H.7: the Disability Discrimination Acts)."""
    pastoral_support_programme: bool = False
    """A pastoral support programme is in place (H.5)."""
    other_agencies: Annotated[tuple[Agency, ...], Distinct] = ()
    """Other agencies known to be working with the pupil or the family (H.5): a charity
    mentor is `charity`. A social worker is `social_worker`, never one of these."""
    registered_at_school: bool = True
    """On this school's roll. False for a pupil from another school placed in its in-school
    unit (J.1, J.4)."""
    exam_entries: tuple[ExamEntry, ...] | None = None
    """Public examination entries. `None` means not known — then no exemption under I.8 is
    assumed; an empty list means the pupil is entered for none."""

    @property
    def of_compulsory_school_age(self) -> bool:
        """Up to the end of Year 11 (Reception counted in: most reach the age during it)."""
        return self.year_group <= FINAL_YEAR_OF_COMPULSORY_EDUCATION

    @property
    def compulsory_school_age_from(self) -> date | None:
        """The day the pupil begins to be of compulsory school age: the fifth birthday where
        it is a prescribed day, else the next prescribed day (Education Act 1996 s.8(2));
        None where `date_of_birth` is not recorded. A birthday on 29 February is reached on
        1 March in a year that has none."""
        if self.date_of_birth is None:
            return None
        year = self.date_of_birth.year + 5
        try:
            fifth = self.date_of_birth.replace(year=year)
        except ValueError:
            fifth = date(year, 3, 1)
        return min(d for d in (date(year, m, n) for m, n in PRESCRIBED_DAYS) if d >= fifth)

    @property
    def in_final_year_of_compulsory_education(self) -> bool:
        return self.year_group == FINAL_YEAR_OF_COMPULSORY_EDUCATION
