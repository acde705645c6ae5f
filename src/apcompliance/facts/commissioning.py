"""Commissioning a placement (policy sections C, F, G, K, M, P): checks of the provider, what is
shared with it, the personalised learning plan, visits and free school meals.

Checks of a provider name the provider (`provider_id`); the rest name the placement.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field

from apcompliance.facts._base import ID_FIELD, Distinct, Fact, FactId, Flags, TimedRecord

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
    TIME_OF = ("checked_on", "checked_at")
    id: FactId = ID_FIELD
    provider_id: FactId
    checked_on: date
    checked_at: datetime | None = None
    """The time, where recorded (it must fall on checked_on): on a placement's first day it shows
    whether this came before the pupil first attended."""
    check: ProviderCheckKind
    in_writing: bool = False
    placement_id: FactId | None = None
    """The placement it was made for, where it names one: under the per_placement reading of
    G.2.2 and G.2.3 (the `safeguarding_confirmation_scope` switch) a confirmation naming a
    placement counts for that placement only."""

    @property
    def occurred_on(self) -> date:
        return self.checked_on


class InformationShared(TimedRecord):
    """Information the school gave the provider of a placement."""

    kind: Literal["information_shared"] = "information_shared"
    TIME_OF = ("shared_on", "shared_at")
    id: FactId = ID_FIELD
    placement_id: FactId
    shared_on: date
    shared_at: datetime | None = None
    """The time, where recorded (it must fall on shared_on): on a placement's first day it shows
    whether this came before the pupil first attended."""
    items: Annotated[tuple[InformationItem, ...], Distinct, Flags("{}")] = Field(min_length=1)

    @property
    def occurred_on(self) -> date:
        return self.shared_on


class LearningPlan(TimedRecord):
    """The personalised learning plan of a placement, prepared by the AP lead (G.3)."""

    kind: Literal["learning_plan"] = "learning_plan"
    TIME_OF = ("agreed_on", "agreed_at")
    id: FactId = ID_FIELD
    placement_id: FactId
    agreed_on: date
    agreed_at: datetime | None = None
    """The time, where recorded (it must fall on agreed_on): on a placement's first day it shows
    whether this came before the pupil first attended."""
    includes: Annotated[tuple[PlanPart, ...], Distinct, Flags("{}")] = ()
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
    id: FactId = ID_FIELD
    placement_id: FactId
    visited_on: date
    form: Literal["visit", "meeting"] = "visit"
    by: Literal["ap_lead", "other_staff"] = "ap_lead"

    @property
    def occurred_on(self) -> date:
        return self.visited_on


class FsmArrangement(Fact):
    """How a pupil eligible for free school meals keeps receiving them at a placement (P.1)."""

    kind: Literal["fsm_arrangement"] = "fsm_arrangement"
    id: FactId = ID_FIELD
    placement_id: FactId
    arranged_on: date
    provision: Literal["meals", "vouchers", "food"]

    @property
    def occurred_on(self) -> date:
        return self.arranged_on
