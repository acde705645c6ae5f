"""Commissioning a placement (policy sections C, F, G, K, M, P): checks of the provider, what is
shared with it, the personalised learning plan, visits and free school meals.

Checks of a provider name the provider (`provider_id`); the rest name the placement.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field

from apcompliance.facts._base import (
    ID_FIELD,
    PLACEMENT_ID,
    Distinct,
    Fact,
    FactId,
    Flags,
    TimedRecord,
)

ProviderCheckKind = Literal[
    "staff_safeguarding_checks_confirmed",
    "all_adults_cleared",
    "will_report_changes",
    "safeguarding_policy",
    "child_protection_policy",
    "health_and_safety_policy",
    "absence_follow_up_arrangements",
    "information_sharing_agreed",
    "quality_assured",
    "fsm_coverage_assessed",
]
"""What was checked or confirmed about a provider:

* staff_safeguarding_checks_confirmed: the provider confirmed that the checks the school would
  make on its own staff were made on its staff (G.2.2; in writing);
* all_adults_cleared: every adult at the provision is cleared to work with pupils, e.g. DBS
  (C.4.ii);
* will_report_changes: the provider undertook to tell the school of changes that may put a
  pupil at risk, e.g. staff changes (G.2.3; in writing);
* safeguarding_policy / child_protection_policy / health_and_safety_policy: the provider has
  the policy (C.4.i);
* absence_follow_up_arrangements: it follows up absences promptly (G.2.4);
* information_sharing_agreed: robust and secure information sharing agreed (G.4);
* quality_assured: the school assured itself of an unregistered provider's safety, quality and
  fit for the pupil (K.2);
* fsm_coverage_assessed: whether the provider must provide free school meals under the
  Education Act 1996 (P.2).
"""

InformationItem = Literal[
    "attainment_data",
    "send_details",
    "semh_details",
    "objectives",
    "safeguarding_chronology",
    "other_providers",
    "child_protection_policy",
    "additional_risk_of_harm",
    "raise_concerns_with_dsl",
]
"""What the school gave the provider: the pupil's attainment data (N.1), SEND details (C.7.i),
SEMH details (C.5.ii), the placement's objectives (M.1), the safeguarding chronology (G.5.iii),
which other providers the pupil attends (G.5.i), the school's Child Protection and Safeguarding
Policy (C.4.iii), the additional risk of harm pupils in AP may face (G.2.7), and that concerns
are raised with the DSL (M.4)."""

PlanPart = Literal[
    "objectives",
    "timeframes",
    "transition_arrangements",
    "assessment_arrangements",
    "baseline",
    "ehc_plan_link",
    "qualifications",
]
"""What a personalised learning plan sets out (G.3, G.3.i, G.3.ii; F.5: qualifications)."""


class ProviderCheck(TimedRecord):
    """A check of a provider, or an assurance it gave (see ProviderCheckKind)."""

    kind: Literal["provider_check"] = "provider_check"
    """The event kind: always `provider_check`."""
    TIME_OF = ("checked_on", "checked_at")
    id: FactId = ID_FIELD
    provider_id: FactId = Field(examples=["PRV-1"])
    """The provider checked: the `id` of one of the case's `providers`."""
    checked_on: date
    """The day it was checked, or the assurance received."""
    checked_at: datetime | None = Field(
        default=None, examples=["2025-11-10T08:45:00+00:00", "2025-11-10T08:45:00"]
    )
    """The time, where recorded (it must fall on checked_on): on a placement's first day it shows
    whether this came before the pupil first attended."""
    check: ProviderCheckKind
    """What was checked or confirmed, one check a record: each value's meaning is under
    `ProviderCheckKind` in docs/reference.md."""
    in_writing: bool = False
    """The assurance was given in writing (G.2.2 and G.2.3 ask for it in writing)."""
    placement_id: FactId | None = Field(default=None, examples=["PL-1"])
    """The placement it was made for, where it names one: under the per_placement reading of
    G.2.2 and G.2.3 (the `safeguarding_confirmation_scope` switch) a confirmation naming a
    placement counts for that placement only."""

    @property
    def occurred_on(self) -> date:
        return self.checked_on


class InformationShared(TimedRecord):
    """Information the school gave the provider of a placement."""

    kind: Literal["information_shared"] = "information_shared"
    """The event kind: always `information_shared`."""
    TIME_OF = ("shared_on", "shared_at")
    id: FactId = ID_FIELD
    placement_id: FactId = PLACEMENT_ID
    shared_on: date
    """The day the information was given to the provider."""
    shared_at: datetime | None = Field(
        default=None, examples=["2025-11-10T08:45:00+00:00", "2025-11-10T08:45:00"]
    )
    """The time, where recorded (it must fall on shared_on): on a placement's first day it shows
    whether this came before the pupil first attended."""
    items: Annotated[tuple[InformationItem, ...], Distinct, Flags("{}")] = Field(min_length=1)
    """What was given: attainment_data (N.1), send_details (C.7.i), semh_details (C.5.ii),
    objectives (M.1), safeguarding_chronology (G.5.iii), other_providers the pupil attends
    (G.5.i), the school's child_protection_policy (C.4.iii), the additional_risk_of_harm of
    pupils in AP (G.2.7), that concerns are raised with the DSL (raise_concerns_with_dsl, M.4)."""

    @property
    def occurred_on(self) -> date:
        return self.shared_on


class LearningPlan(TimedRecord):
    """The personalised learning plan of a placement, prepared by the AP lead (G.3)."""

    kind: Literal["learning_plan"] = "learning_plan"
    """The event kind: always `learning_plan`."""
    TIME_OF = ("agreed_on", "agreed_at")
    id: FactId = ID_FIELD
    placement_id: FactId = PLACEMENT_ID
    agreed_on: date
    """The day the plan was agreed."""
    agreed_at: datetime | None = Field(
        default=None, examples=["2025-11-10T08:45:00+00:00", "2025-11-10T08:45:00"]
    )
    """The time, where recorded (it must fall on agreed_on): on a placement's first day it shows
    whether this came before the pupil first attended."""
    includes: Annotated[tuple[PlanPart, ...], Distinct, Flags("{}")] = ()
    """What the plan sets out: objectives, timeframes (G.3), transition_arrangements,
    assessment_arrangements (G.3.i), a baseline, the link to the EHC plan (ehc_plan_link,
    G.3.ii), qualifications (F.5)."""
    pupil_involved: bool = False
    """F.4: the pupil was involved in the decisions about their education."""
    pupil_told_reasons_and_outcome: bool = False
    """F.4: the pupil was told the reasons for and the intended outcome of the placement."""

    @property
    def occurred_on(self) -> date:
        return self.agreed_on


class Visit(Fact):
    """A visit to, or meeting at, the provision about the pupil (G.1, G.4.i, N.4)."""

    kind: Literal["visit"] = "visit"
    """The event kind: always `visit`."""
    id: FactId = ID_FIELD
    placement_id: FactId = PLACEMENT_ID
    visited_on: date
    """The day of the visit or meeting."""
    form: Literal["visit", "meeting"] = "visit"
    """visit: a visit to the provision; meeting: a meeting with the provider at the provision
    (G.4.i "one visit/meeting")."""
    by: Literal["ap_lead", "other_staff"] = "ap_lead"
    """Who made it: the school's AP lead, or other staff of the school."""

    @property
    def occurred_on(self) -> date:
        return self.visited_on


class FsmArrangement(Fact):
    """How a pupil eligible for free school meals keeps receiving them at a placement (P.1)."""

    kind: Literal["fsm_arrangement"] = "fsm_arrangement"
    """The event kind: always `fsm_arrangement`."""
    id: FactId = ID_FIELD
    placement_id: FactId = PLACEMENT_ID
    arranged_on: date
    """The day the arrangement was made."""
    provision: Literal["meals", "vouchers", "food"]
    """How the pupil receives free school meals: meals at the provision, vouchers, or food provided
    otherwise (P.1)."""

    @property
    def occurred_on(self) -> date:
        return self.arranged_on
