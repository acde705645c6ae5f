"""The school census code sets the import reads (DfE school census, Common Basic Data Set).

Each code set says where it was confirmed; docs/importing.md lists the same, and says which
items could not be confirmed from a published source.
"""

from __future__ import annotations

import re
from typing import Final

UPN_PATTERN: Final = re.compile(r"^[A-Z][0-9]{11}[0-9A-Z]$")
"""A unique pupil number: 13 characters, a letter then 11 digits, then a digit (a letter in a
temporary UPN). GOV.UK, "Alternative provision (AP) census: data items" (UPN)."""

EXCLUSION_CATEGORIES: Final = ("FIXD", "PERM", "LNCH")
"""Exclusion category: FIXD a suspension (fixed period), PERM a permanent exclusion, LNCH a
lunchtime exclusion. DfE, Find & explore NPD data: "Type of exclusion (PERM, FIXD, LNCH)"."""

EXCLUSION_REASONS: Final = (
    "BU", "DA", "DB", "DM", "DS", "LG", "MT", "OW", "PA", "PH", "PP", "RA", "SM", "TH", "VA", "VP",
)  # fmt: skip
"""Exclusion reason codes (up to three a suspension or exclusion since autumn 2020): BU
bullying, DA drug and alcohol related, DB persistent or general disruptive behaviour, DM damage
to property, DS abuse relating to disability, LG abuse against sexual orientation and gender
identity, MT inappropriate use of social media or online technology, OW use or threat of use of
an offensive weapon or prohibited item, PA / PP physical assault against an adult / a pupil,
PH wilful and repeated transgression of protective measures in place to protect public health,
RA racist abuse, SM sexual misconduct, TH theft, VA / VP verbal abuse or threatening behaviour
against an adult / a pupil. Confirmed from MIS and local-authority guidance that reproduces the
DfE list (Arbor's mapping to DfE codes; egfl.org.uk; ScholarPack), not from the DfE's own
code-set table; PH was added for 2020 to 2021 and is accepted for older records."""

SEN_PROVISION: Final = ("E", "K", "N")
"""SEN provision: E an education, health and care plan, K SEN support, N no special
educational need (local-authority census guidance: Devon, Norfolk)."""

SEN_TYPES: Final = (
    "SPLD", "MLD", "SLD", "PMLD", "SLCN", "SEMH", "ASD", "VI", "HI", "MSI", "PD", "NSA", "OTH",
)  # fmt: skip
"""SEN type (primary and further needs). SEMH: social, emotional and mental health. The list
is from local-authority guidance reproducing the census codes (Redcar and Cleveland); OTH
(other difficulty or disability) is the census's and was not confirmed there."""

AP_SETTING_TYPES: Final = ("NFE", "OOT", "OTH", "WBP")
"""AP setting type, where the placement has no URN or UKPRN: NFE non-maintained further
education, OOT one-to-one tuition, OTH other unregistered provider, WBP work-based placement
(the AP census data items, reproduced on FE News; DOMAIN-NOTES)."""

YEAR_GROUPS: Final = ("R", *(str(n) for n in range(1, 15)))
"""National curriculum year (actual): R reception, 1 to 14. The census's nursery and early
years codes are not accepted: the policy's duties are to pupils of school age."""

SESSIONS: Final = ("AM", "PM")
"""The two sessions of a school day (School Attendance (Pupil Registration) (England)
Regulations 2024)."""


def year_group(code: str) -> int:
    """The model's year group of a census year code: reception is 0."""
    return 0 if code == "R" else int(code)
