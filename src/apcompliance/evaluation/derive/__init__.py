"""Derive: turn a case into the flat facts the rules speak about.

Derive computes only what the engine cannot: calendar arithmetic, periods of exclusion,
links between facts and "did X happen" aggregates. It never decides whether a clause applies.
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from apcompliance.calendar.school_calendar import SchoolCalendar
from apcompliance.errors import CaseError
from apcompliance.evaluation.derive.events import event_facts
from apcompliance.evaluation.derive.exclusions import exclusion_facts
from apcompliance.evaluation.derive.placements import index_events, placement_facts
from apcompliance.evaluation.derive.register import register_facts
from apcompliance.facts import Case
from apcompliance.facts.pupil import compulsory_school_age_from
from apcompliance.facts.vocabulary import (
    EngineFact,
    PolicyFact,
    PolicyReviewFact,
    ProviderFact,
    PupilFact,
)
from apcompliance.policy.settings import PolicySettings

PUPIL_FACT_ID = "~pupil"
"""The pupil fact's id: outside the case id pattern, so it never collides with a case's ids."""

POLICY_FACT_ID = "~policy"
REVIEW_INTERVAL = relativedelta(years=3)
"""R.1: "a formal review every three years"."""

__all__ = ["POLICY_FACT_ID", "PUPIL_FACT_ID", "derive", "derive_policy"]


def _pupil(case: Case, as_of: date) -> PupilFact:
    pupil = case.pupil
    if problem := pupil.date_of_birth_problem(as_of):
        raise CaseError(case.case_id, problem)
    born = pupil.reliable_date_of_birth(as_of)  # None: not recorded, or too far from the age
    return PupilFact(
        id=PUPIL_FACT_ID,
        year_group=pupil.year_group,
        looked_after=pupil.looked_after,
        ehc_plan=pupil.ehc_plan,
        send=pupil.send,
        semh_needs=pupil.semh_needs,
        disabled=pupil.disabled,
        pastoral_support_programme=pupil.pastoral_support_programme,
        social_worker=pupil.social_worker,
        social_worker_known=pupil.social_worker is not None,
        other_agencies_involved=bool(pupil.other_agencies),
        fsm_eligible=pupil.fsm_eligible,
        registered_at_school=pupil.registered_at_school,
        date_of_birth_recorded=born is not None,
        # Only in Reception does the age turn on the date of birth: elsewhere the year group
        # says it, and a date from the date of birth is not put where it is not needed.
        compulsory_school_age_from=compulsory_school_age_from(born)
        if pupil.year_group == 0
        else None,
    )


def derive(
    case: Case, calendar: SchoolCalendar, settings: PolicySettings, *, as_of: date
) -> list[EngineFact]:
    """All engine facts of a case as known on `as_of`, in a deterministic order. (Events dated
    later are planned: they can meet a deadline as "scheduled", but counts of what has
    happened leave them out.)"""
    exclusions = exclusion_facts(case, calendar, settings)
    indexed = index_events(case)
    placements = placement_facts(case, calendar, settings, exclusions, as_of=as_of, events=indexed)
    providers = [
        ProviderFact(
            id=p.id,
            kind=p.kind,
            school=p.school,
            registered=p.registered,
            on_la_approved_list=p.on_la_approved_list,
            main_address_recorded=any(a.site == "main" for a in p.addresses),
            other_sites=p.other_sites,
            other_site_address_recorded=any(a.site != "main" for a in p.addresses),
        )
        for p in case.providers
    ]
    events = event_facts(case, calendar, settings, exclusions, indexed)
    register = register_facts(case, calendar, settings)
    return [_pupil(case, as_of), *providers, *exclusions, *placements, *events, *register]


def derive_policy(settings: PolicySettings, *, as_of: date) -> list[EngineFact]:
    """The facts of a review of the policy itself: the policy and its formal reviews. The last
    review is the latest held on or before `as_of`; later dates are planned reviews."""
    reviews = sorted(set(settings.policy_reviews))
    held = [d for d in reviews if d <= as_of]
    last = held[-1] if held else None
    policy = PolicyFact(
        id=POLICY_FACT_ID,
        last_reviewed_on=last,
        next_review_opens=last + relativedelta(days=1) if last else None,
        next_review_due=last + REVIEW_INTERVAL if last else None,
    )
    return [
        policy,
        *(PolicyReviewFact(id=f"~review-{d.isoformat()}", reviewed_on=d) for d in reviews),
    ]
