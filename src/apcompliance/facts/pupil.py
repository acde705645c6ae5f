"""The pupil: who the policy's duties are owed to."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, field_validator

from apcompliance.facts._base import Distinct, Fact

Agency = Literal[
    "mental_health", "early_help", "youth_justice", "health", "police", "charity", "other"
]

FINAL_YEAR_OF_COMPULSORY_EDUCATION = 11
"""Year 11: the final year of compulsory education in England (policy I.8)."""
EARLIEST_DATE_OF_BIRTH = date(1900, 1, 1)
"""A date of birth before it is a typing error (the case is invalid)."""
YEARS_OUT_PLAUSIBLE = 2
"""How many years a pupil's age may be from the usual age of the year group and the date of
birth still be relied on (a pupil taught out of year group: held back, moved up, or a
summer-born child whose start was deferred). Further out, and within `YEARS_OUT_ABSURD`, a
duty that turns on the age asks for the date of birth (`information_needed`)."""
YEARS_OUT_ABSURD = 5
"""Further than this from the usual age of the year group, the date of birth (or the year
group) is wrong: the case is invalid (docs/reference.md, `pupil.date_of_birth`)."""
KEPT_ON_OLDER = 7
"""Year 14 (kept on beyond Year 13): the pupil may be this many years older still (up to 25,
the age to which an EHC plan may run: Children and Families Act 2014 s.46)."""
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
    school age (Education Act 1996 s.8) and whether the pupil is 18 or over (H.2). Not
    recorded: a duty that depends on it asks for it. It must fit the year group: a pupil in
    year group Y in the school year from 1 September S is normally aged Y+4 on 31 August S
    (Y+5 by the next 31 August). Up to 2 years from that age it is relied on (a pupil out of
    year group); 3 to 5 years from it, it is not (a duty that depends on it asks for it); more
    than 5 years from it (Year 14: more than 12 years older), after the evaluation date, or
    before 1900, the case is invalid."""
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

    @field_validator("date_of_birth")
    @classmethod
    def _born_since_1900(cls, born: date | None) -> date | None:
        if born is not None and born < EARLIEST_DATE_OF_BIRTH:
            raise ValueError("before 1900: not a pupil's date of birth")
        return born

    def years_older_than_year_group(self, on: date) -> int | None:
        """How many years older (negative: younger) the pupil is than the usual age of the
        year group in the school year of `on` (0: the usual age); None where the date of
        birth is not recorded. Counted in school years of birth (1 September to 31 August)."""
        born = self.date_of_birth
        if born is None:
            return None
        school_year = on.year if on.month >= 9 else on.year - 1
        born_in = born.year if born.month >= 9 else born.year - 1
        return (school_year - self.year_group - 5) - born_in

    def date_of_birth_problem(self, on: date) -> str | None:
        """Why the date of birth cannot be right for the year group on `on` (never the date
        itself), or None."""
        older = self.years_older_than_year_group(on)
        if older is None:
            return None
        if self.date_of_birth is not None and self.date_of_birth > on:
            return "pupil.date_of_birth is after the evaluation date"
        kept_on = KEPT_ON_OLDER if self.year_group == 14 else 0
        if not -YEARS_OUT_ABSURD <= older <= YEARS_OUT_ABSURD + kept_on:
            return (
                f"pupil.date_of_birth does not fit pupil.year_group: more than "
                f"{YEARS_OUT_ABSURD} years from the usual age of the year group (correct one "
                "of them)"
            )
        return None

    def reliable_date_of_birth(self, on: date) -> date | None:
        """The date of birth where it is within `YEARS_OUT_PLAUSIBLE` of the usual age of the
        year group on `on` (Year 14: or up to `KEPT_ON_OLDER` years older still), else None:
        a duty that turns on the age then asks for it."""
        older = self.years_older_than_year_group(on)
        if older is None:
            return None
        kept_on = KEPT_ON_OLDER if self.year_group == 14 else 0
        if -YEARS_OUT_PLAUSIBLE <= older <= YEARS_OUT_PLAUSIBLE + kept_on:
            return self.date_of_birth
        return None

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
        return compulsory_school_age_from(self.date_of_birth)

    @property
    def in_final_year_of_compulsory_education(self) -> bool:
        return self.year_group == FINAL_YEAR_OF_COMPULSORY_EDUCATION


def compulsory_school_age_from(born: date | None) -> date | None:
    """The day a child born on `born` begins to be of compulsory school age (see
    `Pupil.compulsory_school_age_from`); None where `born` is None."""
    if born is None:
        return None
    year = born.year + 5
    try:
        fifth = born.replace(year=year)
    except ValueError:
        fifth = date(year, 3, 1)
    return min(d for d in (date(year, m, n) for m, n in PRESCRIBED_DAYS) if d >= fifth)
