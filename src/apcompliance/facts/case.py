"""A case: one pupil's facts, the unit the library evaluates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pydantic import Field, model_validator

from apcompliance.facts._base import Fact, FactId, id_field
from apcompliance.facts.events import EXCLUSION_KINDS, Event
from apcompliance.facts.placement import Placement
from apcompliance.facts.provider import Provider
from apcompliance.facts.pupil import Pupil
from apcompliance.facts.register import RegisterMark, duplicate_sessions


def _duplicates(ids: Iterable[str]) -> list[str]:
    return sorted(i for i, n in Counter(ids).items() if n > 1)


class Case(Fact):
    """One pupil's facts. `case_id` is the only identifier that appears in errors and logs."""

    case_id: FactId = id_field(
        "The case's reference, made up by the school system: the only identifier that appears "
        "in errors, logs and assessments (and, with `--pseudonymise`, is replaced by a keyed "
        "pseudonym). Never personal data: not the pupil's name, UPN or date of birth.",
        ["EX-2025-014", "case-0042"],
    )
    pupil: Pupil
    """The pupil the case is about."""
    providers: tuple[Provider, ...] = ()
    """The providers of the pupil's placements (a placement names its provider by `provider_id`)."""
    placements: tuple[Placement, ...] = ()
    """The provision arranged for the pupil: alternative provision after an exclusion or an
    off-site direction, an in-school unit, and so on."""
    events: tuple[Event, ...] = Field(default=())
    """What happened, each a dated event of one of the kinds below (`kind`), in any order:
    exclusions, notices, meetings, checks, reviews, absences, returns to school."""
    register_marks: tuple[RegisterMark, ...] = ()
    """The pupil's attendance register: one mark per session (date, AM or PM, code), in any
    order, each session at most once. Marks of provision (B, D, K) in both sessions of a
    school day cover it for the sixth-day duties; a mark of E leaves it uncovered
    (docs/suspensions.md, "The register as evidence")."""

    @model_validator(mode="after")
    def _references_resolve(self) -> Case:
        all_ids = [p.id for p in self.providers]
        all_ids += [p.id for p in self.placements]
        all_ids += [e.id for e in self.events]
        if dup := _duplicates(all_ids):
            raise ValueError(
                f"duplicate id(s) {', '.join(dup)}: provider, placement and event ids "
                "share one namespace within a case"
            )
        if twice := duplicate_sessions(self.register_marks):
            shown = ", ".join(twice[:5]) + (f" and {len(twice) - 5} more" if len(twice) > 5 else "")
            raise ValueError(f"register_marks: a session is marked more than once: {shown}")
        provider_ids = {p.id for p in self.providers}
        exclusion_ids = {e.id for e in self.events if e.kind in EXCLUSION_KINDS}
        for i, placement in enumerate(self.placements):
            if placement.provider_id is not None and placement.provider_id not in provider_ids:
                raise ValueError(
                    f"placements[{i}].provider_id: no provider with id {placement.provider_id!r}"
                )
            if placement.for_exclusion is not None and placement.for_exclusion not in exclusion_ids:
                raise ValueError(
                    f"placements[{i}].for_exclusion: no suspension or permanent exclusion "
                    f"with id {placement.for_exclusion!r}"
                )
        placement_ids = {p.id for p in self.placements}
        timetable_ids = {e.id for e in self.events if e.kind == "part_time_timetable"}
        for i, event in enumerate(self.events):
            fields = event.__dict__  # its fields, whatever its kind (no AttributeError to raise)
            about = fields.get("about")
            if about is not None and about not in exclusion_ids:
                raise ValueError(
                    f"events[{i}].about: no suspension or permanent exclusion with id {about!r}"
                )
            placement_id = fields.get("placement_id")
            if placement_id is not None and placement_id not in placement_ids:
                raise ValueError(f"events[{i}].placement_id: no placement with id {placement_id!r}")
            timetable_id = fields.get("timetable_id")
            if timetable_id is not None and timetable_id not in timetable_ids:
                raise ValueError(
                    f"events[{i}].timetable_id: no part-time timetable with id {timetable_id!r}"
                )
            provider_id = fields.get("provider_id")
            if provider_id is not None and provider_id not in provider_ids:
                raise ValueError(f"events[{i}].provider_id: no provider with id {provider_id!r}")
            for j, contributor in enumerate(fields.get("provider_contributions", ())):
                if contributor not in provider_ids:
                    raise ValueError(
                        f"events[{i}].provider_contributions[{j}]: no provider with id "
                        f"{contributor!r}"
                    )
        return self
