"""Which of a case's facts an assessment used, and which it did not (with the reason), so that
nothing a school system sends is silently dropped."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from apcompliance.facts import Case
from apcompliance.results.assessment import Assessment


@dataclass(frozen=True)
class Ignored:
    """A fact of the case that no finding used, and why."""

    id: str
    kind: str
    reason: str


def _ids_in(value: Any) -> Iterable[str]:
    """Fact ids in a finding's explanation facts: `id`, `events` (a period's suspensions) and
    `consent_ids`; an EHC plan review's per-placement id names the review."""
    if not isinstance(value, dict):
        return
    if isinstance(value.get("id"), str):
        yield value["id"].split("@")[0]
    for key in ("events", "consent_ids", "exclusion", "placement", "provider"):
        item = value.get(key)
        if isinstance(item, str):
            yield item
        elif isinstance(item, list | tuple):
            yield from (i for i in item if isinstance(i, str))


def used_ids(assessment: Assessment) -> set[str]:
    """The ids of the facts that the findings matched, or that met them."""
    used: set[str] = set()
    for finding in assessment.findings:
        for view in finding.explanation.facts.values():
            used.update(_ids_in(view))
        if finding.met_by:
            used.add(finding.met_by.split("@")[0])
    return used


def ignored(case: Case, assessment: Assessment) -> list[Ignored]:
    """The providers, placements and events of `case` that no finding of `assessment` used."""
    used = used_ids(assessment)
    out: list[Ignored] = []
    for provider in case.providers:
        if provider.id not in used:
            out.append(
                Ignored(provider.id, "provider", "no placement that a rule applied to uses it")
            )
    for placement in case.placements:
        if placement.id not in used:
            out.append(Ignored(placement.id, "placement", "no rule applied to it"))
    for event in case.events:
        if event.id in used:
            continue
        if event.occurred_on > assessment.as_of:
            reason = f"dated after the evaluation date {assessment.as_of.isoformat()}"
        else:
            reason = "no rule that applies to this case uses it"
        out.append(Ignored(event.id, event.kind, reason))
    return out
