"""A case: one pupil's facts, the unit the library evaluates."""

from __future__ import annotations

from collections import Counter

from pydantic import Field, model_validator

from apcompliance.facts._base import Fact, FactId, id_field
from apcompliance.facts.events import EXCLUSION_KINDS, Event
from apcompliance.facts.placement import Placement
from apcompliance.facts.provider import Provider
from apcompliance.facts.pupil import Pupil
from apcompliance.facts.register import RegisterMark, duplicate_sessions
from apcompliance.jsontext import RefusesDuplicateKeys


class Case(Fact, RefusesDuplicateKeys):
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
        # Messages name where the fault is (`events[2].about`), never the id itself: only the
        # case id is ever shown, and a reference may hold anything a user typed.
        records = [("providers", p.id) for p in self.providers]
        records += [("placements", p.id) for p in self.placements]
        records += [("events", e.id) for e in self.events]
        if len({record_id for _, record_id in records}) < len(records):
            first: dict[str, str] = {}  # where each id is first given, to name the second
            counts: Counter[str] = Counter()
            for name, record_id in records:
                where = f"{name}[{counts[name]}]"
                counts[name] += 1
                if record_id in first:
                    raise ValueError(
                        f"{where}.id: the id of {first[record_id]} again (provider, placement "
                        "and event ids share one namespace within a case)"
                    )
                first[record_id] = where
        if twice := duplicate_sessions(self.register_marks):
            shown = ", ".join(twice[:5]) + (f" and {len(twice) - 5} more" if len(twice) > 5 else "")
            raise ValueError(f"register_marks: a session is marked more than once: {shown}")
        provider_ids = {p.id for p in self.providers}
        exclusion_ids = {e.id for e in self.events if e.kind in EXCLUSION_KINDS}
        no_provider = "no provider of the case has this id"
        no_exclusion = "no suspension or permanent exclusion of the case has this id"
        for i, placement in enumerate(self.placements):
            if placement.provider_id is not None and placement.provider_id not in provider_ids:
                raise ValueError(f"placements[{i}].provider_id: {no_provider}")
            if placement.for_exclusion is not None and placement.for_exclusion not in exclusion_ids:
                raise ValueError(f"placements[{i}].for_exclusion: {no_exclusion}")
        placement_ids = {p.id for p in self.placements}
        timetable_ids = {e.id for e in self.events if e.kind == "part_time_timetable"}
        for i, event in enumerate(self.events):
            fields = event.__dict__  # its fields, whatever its kind (no AttributeError to raise)
            about = fields.get("about")
            if about is not None and about not in exclusion_ids:
                raise ValueError(f"events[{i}].about: {no_exclusion}")
            placement_id = fields.get("placement_id")
            if placement_id is not None and placement_id not in placement_ids:
                raise ValueError(f"events[{i}].placement_id: no placement of the case has this id")
            timetable_id = fields.get("timetable_id")
            if timetable_id is not None and timetable_id not in timetable_ids:
                raise ValueError(
                    f"events[{i}].timetable_id: no part-time timetable of the case has this id"
                )
            provider_id = fields.get("provider_id")
            if provider_id is not None and provider_id not in provider_ids:
                raise ValueError(f"events[{i}].provider_id: {no_provider}")
            for j, contributor in enumerate(fields.get("provider_contributions", ())):
                if contributor not in provider_ids:
                    raise ValueError(f"events[{i}].provider_contributions[{j}]: {no_provider}")
        return self
