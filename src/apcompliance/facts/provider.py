"""A provider of alternative provision, and the addresses pupils attend."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field, model_validator

from apcompliance.facts._base import Fact, FactId, id_field

ProviderKind = Literal[
    "pupil_referral_unit",
    "ap_academy",
    "ap_free_school",
    "special_school",
    "mainstream_school",
    "further_education_college",
    "independent_school",
    "unregistered",
    "in_school_unit",
]
"""The setting's legal form: registered schools and colleges, or unregistered provision."""

REGISTERED_KINDS: frozenset[str] = frozenset(get_args(ProviderKind)) - {
    "unregistered",
    "in_school_unit",
}
"""Registered schools and colleges (an in-school unit is part of the school itself)."""

SCHOOL_KINDS: frozenset[str] = REGISTERED_KINDS - {"further_education_college"}
"""Schools, at which a pupil can be registered (and so dual registered, policy H.13)."""


class Address(Fact):
    """A postal address where provision takes place."""

    lines: tuple[str, ...] = Field(min_length=1, max_length=6)
    """The address lines, first to last, without the postcode."""
    postcode: str = Field(min_length=5, max_length=8, examples=["LS1 4AB", "SW1A 1AA"])
    """The UK postcode (5–8 characters, with or without the space)."""
    site: Literal["main", "satellite", "subcontracted"] = "main"
    """main: the provider's own address; satellite: another site of the provider; subcontracted:
    provision the provider subcontracts (G.2.4)."""


class Provider(Fact):
    """A provider the school commissions, identified as in the school census (URN, else UKPRN)."""

    id: FactId = id_field(
        "This provider's id within the case (made up by the school system, not its URN): what "
        "a placement's `provider_id` and a provider check's `provider_id` refer to.",
        ["PRV-1", "riverside-pru"],
    )
    name: str = Field(min_length=1, max_length=200)
    """The provider's name (an organisation, not a person)."""
    kind: ProviderKind
    """The setting's legal form: a registered school or college (pupil referral unit, AP academy,
    AP free school, special, mainstream or independent school, further education college),
    unregistered provision (section K), or the school's own in-school unit (section J)."""
    urn: str | None = Field(default=None, pattern=r"^[0-9]{6,7}$", examples=["123456", "1234567"])
    """The unique reference number of a registered school or college (6 or 7 digits, as on Get
    Information about Schools). An unregistered provider has none."""
    ukprn: str | None = Field(default=None, pattern=r"^1[0-9]{7}$", examples=["10012345"])
    """The UK provider reference number (8 digits starting with 1, from the UK Register of Learning
    Providers), where the provider has one and no URN."""
    on_la_approved_list: bool | None = None
    """On the local authority's approved list of unregistered providers (K.3). None (the
    default): not recorded, so K.3 asks for it (`information_needed`)."""
    addresses: tuple[Address, ...] = ()
    """The addresses pupils attend: the provider's own (`site: main`) and any satellite site
    or subcontracted provision (G.2.4)."""
    other_sites: bool | None = None
    """Whether pupils may attend a satellite site or subcontracted provision of the provider
    (G.2.4): true where they may (each one's address belongs in `addresses`), false where the
    school has established there is none. None (the default): not recorded, so G.2.4 asks
    for it; a provider without other sites is told apart from one whose sites were never
    recorded."""
    full_time_pupils: int | None = Field(default=None, ge=0)
    """Other pupils of compulsory school age it educates full time, as the school knows (K.5:
    five or more, or one looked after or with an EHC plan, and it must register as a school)."""

    @model_validator(mode="after")
    def _other_sites_agree(self) -> Provider:
        if self.other_sites is False and any(a.site != "main" for a in self.addresses):
            raise ValueError(
                "other_sites is false, but addresses lists a satellite or subcontracted site"
            )
        return self

    @property
    def registered(self) -> bool:
        return self.kind in REGISTERED_KINDS

    @property
    def school(self) -> bool:
        return self.kind in SCHOOL_KINDS
