"""A seeded generator of realistic, synthetic AP cohorts for benchmarking.

    from benchmarks.cohort import generate
    for case in generate(1000, seed=0):     # JSON-ready dicts, valid for Case.model_validate_json
        ...

    python -m benchmarks.cohort 1000 --seed 0 -o cohort.jsonl

Each case is one pupil's year on the bundled example calendar (2025-26): suspensions (1 to 15
school days, sometimes back to back), permanent exclusions, off-site directions and other
placements of 2 to 30 weeks, with the records a school keeps around them: notices, checks of
the provider, information shared, learning plans, visits, reviews, weekly attendance updates,
absences, provider reports, safeguarding concerns, serious incidents and the return to school.
Each case has a compliance profile (good, patchy or poor): each duty's record is made on time,
late or not at all with the profile's odds, so a cohort yields a realistic mix of findings.

Everything is synthetic: pupils are "Synthetic Pupil N", providers "Synthetic ... N", postcodes
in the non-geographic ZZ area. Case `i` of a seed depends only on (seed, i), so a smaller
cohort is a prefix of a larger one. Only the standard library's `random.Random` is used.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal, get_args

from apcompliance.calendar.school_calendar import SchoolCalendar
from apcompliance.facts.commissioning import ProviderCheckKind

__all__ = ["DEFAULT_AS_OF", "SchoolDays", "generate", "main", "school_days", "write_jsonl"]

DEFAULT_AS_OF = date(2026, 6, 15)
"""The evaluation date the cohorts are built for: late in the 2025-26 school year."""

LEAD_SCHOOL_DAYS = 5
"""No exclusion or placement starts in the calendar's first school days (deadlines counted
back from a start, such as 48 hours' notice, stay inside the calendar)."""

TAIL_SCHOOL_DAYS = 12
"""No date falls in the calendar's last school days (follow-ups counted forward from an
event, ten school days by default, stay inside the calendar)."""

Outcome = Literal["on_time", "late", "missing"]
Json = dict[str, Any]

PROFILES: dict[str, tuple[float, float, float]] = {
    "good": (0.93, 0.04, 0.03),
    "patchy": (0.72, 0.14, 0.14),
    "poor": (0.45, 0.25, 0.30),
}
"""Odds (on time, late, missing) of each duty's record, by a case's compliance profile."""

PROFILE_WEIGHTS = (("good", 0.62), ("patchy", 0.28), ("poor", 0.10))

SCENARIO_WEIGHTS = (
    ("suspensions", 0.34),
    ("permanent_exclusion", 0.08),
    ("off_site_direction", 0.26),
    ("suspensions_then_direction", 0.10),
    ("other_placement", 0.22),
)
"""What a pupil's year holds."""

_AGENCIES = ("mental_health", "early_help", "youth_justice", "health", "police", "charity")
_SUBJECTS = ("English Language", "Mathematics", "Combined Science", "Art", "History", "ICT")
_INFORMATION = (
    "attainment_data",
    "objectives",
    "safeguarding_chronology",
    "child_protection_policy",
    "additional_risk_of_harm",
    "raise_concerns_with_dsl",
)
_CHECKS = tuple(  # the provider checks of G.2, without the quality and FSM assurances
    k for k in get_args(ProviderCheckKind) if k not in ("quality_assured", "fsm_coverage_assessed")
)
_IN_WRITING = frozenset({"staff_safeguarding_checks_confirmed", "will_report_changes"})
_WRITTEN = ("letter", "email", "email", "text_message", "hand_delivered")
_SPOKEN = ("phone", "in_person")
_PLAN_PARTS = ("objectives", "timeframes", "transition_arrangements", "assessment_arrangements")
_REVIEW_TOPICS = ("progress", "length_of_placement", "reintegration_plan", "attendance")


# --- the calendar's school days -------------------------------------------------------------


class SchoolDays:
    """The school days of a calendar as an indexed sequence, with the range dates may take."""

    def __init__(self, calendar: SchoolCalendar) -> None:
        days = list(calendar.school_days(calendar.first_day, calendar.last_day))
        if calendar.is_school_day(calendar.last_day):
            days.append(calendar.last_day)
        self.calendar = calendar
        self.days: tuple[date, ...] = tuple(days)
        self.lo = LEAD_SCHOOL_DAYS
        self.hi = len(days) - 1 - TAIL_SCHOOL_DAYS
        if self.hi - self.lo < 60:
            raise ValueError(f"{calendar.name}: too few school days for a realistic cohort")

    def clamp(self, i: int) -> int:
        return max(0, min(self.hi, i))

    def on(self, i: int) -> date:
        """The school day with index i, clamped to the usable range."""
        return self.days[self.clamp(i)]

    def index(self, d: date) -> int:
        """The index of the school day on or after d (the last usable one after the range)."""
        return min(bisect_left(self.days, d), self.hi)

    def index_on_or_before(self, d: date) -> int:
        """The index of the school day on or before d."""
        return max(0, bisect_right(self.days, d) - 1)

    @functools.cached_property
    def week_ends(self) -> tuple[int, ...]:
        """The index of the last school day of each calendar week."""
        days = self.days
        return tuple(
            i
            for i in range(len(days))
            if i == len(days) - 1 or days[i + 1].isocalendar()[:2] != days[i].isocalendar()[:2]
        )

    def blocks(self, cadence: Literal["half_term", "term"]) -> tuple[tuple[int, int], ...]:
        """(first index, last index) of each half-term or term."""
        cal = self.calendar
        spans = cal.half_terms if cadence == "half_term" else cal.terms()
        return tuple((self.index(b.first_day), self.index_on_or_before(b.last_day)) for b in spans)


@functools.cache
def school_days(calendar: SchoolCalendar | None = None) -> SchoolDays:
    """The school days of `calendar` (default: the bundled example calendar), built once."""
    return SchoolDays(calendar if calendar is not None else SchoolCalendar.example())


# --- one case ---------------------------------------------------------------------------------


def _iso(d: date) -> str:
    return d.isoformat()


class _CaseBuilder:
    """Builds one case: ids, dates on school days, the compliance profile's coin tosses."""

    def __init__(self, rng: random.Random, days: SchoolDays, as_of: date, case_id: str) -> None:
        self.rng = rng
        self.days = days
        self.case_id = case_id
        # Records exist up to the evaluation date; later ones have not happened yet.
        self.known = min(days.hi, days.index(as_of + timedelta(days=1)) - 1)
        profile = rng.choices([p for p, _ in PROFILE_WEIGHTS], [w for _, w in PROFILE_WEIGHTS])
        self.odds = PROFILES[profile[0]]
        self.providers: list[Json] = []
        self.placements: list[Json] = []
        self.events: list[Json] = []
        self._serial = 0
        self.pupil: Json = {}

    # ids, dates, coin tosses

    def next_id(self, prefix: str) -> str:
        self._serial += 1
        return f"{prefix}-{self._serial}"

    def outcome(self) -> Outcome:
        on_time, late, _ = self.odds
        r = self.rng.random()
        return "on_time" if r < on_time else "late" if r < on_time + late else "missing"

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def day(self, i: int) -> str:
        return _iso(self.days.on(i))

    def happened(self, i: int) -> bool:
        """Whether a record dated on school day i exists by the evaluation date."""
        return i <= self.known

    def event(self, kind: str, prefix: str, **fields: Any) -> str:
        event_id = self.next_id(prefix)
        self.events.append({"kind": kind, "id": event_id, **fields})
        return event_id

    def sent_at(self, i: int) -> str:
        """A moment on school day i in working hours (local time)."""
        moment = datetime.combine(
            self.days.on(i), time(self.rng.randint(8, 17), self.rng.choice((0, 15, 30, 45)))
        )
        return moment.isoformat()

    # the pupil

    def make_pupil(self, number: int) -> None:
        rng = self.rng
        year_group = rng.choices((5, 6, 7, 8, 9, 10, 11), (2, 3, 10, 15, 22, 25, 23))[0]
        looked_after = self.chance(0.10)
        ehc_plan = self.chance(0.15)
        born_from = date(self.days.calendar.first_day.year - year_group - 5, 9, 1)
        pupil: Json = {
            "name": f"Synthetic Pupil {number}",
            "date_of_birth": _iso(born_from + timedelta(days=rng.randrange(365))),
            "year_group": year_group,
            "looked_after": looked_after,
            "ehc_plan": ehc_plan,
            "send": ehc_plan or self.chance(0.20),
            "semh_needs": self.chance(0.35),
            "fsm_eligible": self.chance(0.40),
            "social_worker": looked_after or self.chance(0.12),
            "disabled": self.chance(0.06),
            "pastoral_support_programme": self.chance(0.25),
            "other_agencies": sorted(rng.sample(_AGENCIES, rng.choices((0, 1, 2), (6, 3, 1))[0])),
        }
        if year_group == 11:
            r = rng.random()
            if r < 0.75:
                pupil["exam_entries"] = [
                    {
                        "subject": subject,
                        "last_paper_on": _iso(date(2026, 5, 11) + timedelta(rng.randrange(45))),
                    }
                    for subject in rng.sample(_SUBJECTS, rng.randint(1, 4))
                ]
            elif r < 0.85:
                pupil["exam_entries"] = []
        self.pupil = pupil

    # providers

    def make_provider(self, kind: str) -> str:
        rng = self.rng
        n = len(self.providers) + 1
        provider_id = f"PRV-{n}"
        label = {
            "pupil_referral_unit": "Pupil Referral Unit",
            "ap_academy": "AP Academy",
            "ap_free_school": "AP Free School",
            "special_school": "Special School",
            "further_education_college": "College",
            "unregistered": "Skills Project",
            "in_school_unit": "Inclusion Unit",
        }[kind]
        provider: Json = {
            "id": provider_id,
            "name": f"Synthetic {label} {n}",
            "kind": kind,
            "on_la_approved_list": rng.choice((True, True, True, False, None)),
            "addresses": [
                {
                    "lines": [f"{rng.randint(1, 99)} Example Street", "Testville"],
                    "postcode": f"ZZ{rng.randint(1, 9)} {rng.randint(1, 9)}ZZ",
                }
            ],
        }
        if kind in ("pupil_referral_unit", "ap_academy", "ap_free_school", "special_school"):
            provider["urn"] = str(rng.randint(100000, 999999))
        if kind in ("further_education_college", "unregistered") and self.chance(0.7):
            provider["ukprn"] = f"1{rng.randint(0, 9_999_999):07d}"
        if kind == "unregistered":
            provider["full_time_pupils"] = rng.choices((0, 1, 2, 3, 5, 6), (3, 3, 3, 2, 1, 1))[0]
        self.providers.append(provider)
        self._provider_checks(provider_id, kind)
        return provider_id

    def _provider_checks(self, provider_id: str, kind: str) -> None:
        """Checks of a provider, around the start of its first placement (fixed up later)."""
        checks = list(_CHECKS)
        if kind == "unregistered":
            checks.append("quality_assured")
        if self.pupil.get("fsm_eligible"):
            checks.append("fsm_coverage_assessed")
        for check in checks:
            outcome = self.outcome()
            if outcome == "missing":
                continue
            self.event(
                "provider_check",
                "PC",
                provider_id=provider_id,
                checked_on=f"@check:{provider_id}:{outcome}",  # dated once placed
                check=check,
                in_writing=check in _IN_WRITING and (outcome == "on_time" or self.chance(0.5)),
            )

    def date_provider_checks(self, provider_id: str, start: int) -> None:
        """Date the provider's checks against the start of its first placement."""
        for event in self.events:
            marker = event.get("checked_on")
            if isinstance(marker, str) and marker.startswith(f"@check:{provider_id}:"):
                late = marker.endswith(":late")
                offset = self.rng.randint(1, 12) if late else -self.rng.randint(2, 20)
                event["checked_on"] = self.day(start + offset)

    # exclusions

    def suspensions(self, start: int, runs: int) -> list[tuple[list[tuple[str, int, int]], int]]:
        """Up to `runs` suspensions from school day `start`, some back to back (one cumulative
        period). Returns the periods as ([(id, first index, school days)], total days)."""
        rng = self.rng
        periods: list[tuple[list[tuple[str, int, int]], int]] = []
        cursor = start
        for _ in range(runs):
            length = rng.choices(
                (1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15), (22, 18, 16, 10, 10, 6, 5, 4, 4, 3, 2)
            )[0]
            if cursor + length + 8 > self.known:
                break
            suspension_id = self.next_id("SUS")
            self.events.append(
                {
                    "kind": "suspension",
                    "id": suspension_id,
                    "first_day": self.day(cursor),
                    "school_days": length,
                }
            )
            back_to_back = bool(periods) and cursor == self._period_end
            if back_to_back:
                members, total = periods[-1]
                periods[-1] = ([*members, (suspension_id, cursor, length)], total + length)
            else:
                periods.append(([(suspension_id, cursor, length)], length))
            self._period_end = cursor + length
            cursor += length + (0 if self.chance(0.25) else rng.randint(5, 45))
        return periods

    _period_end = -1

    def exclusion_records(
        self, about: str, first: int, provision: tuple[int, str, Json] | None
    ) -> None:
        """The notice, work set and PEP record about one exclusion (first school day `first`);
        `provision` is (start index, placement id, placement) when provision is arranged."""
        outcome = self.outcome()
        if outcome != "missing":
            sent = first if outcome == "on_time" else first + self.rng.randint(2, 4)
            if provision is not None and outcome == "on_time":
                sent = min(sent, provision[0] - 3)
            notice: Json = {
                "sent_at": self.sent_at(max(sent, first - 1)),
                "method": self.rng.choice(_WRITTEN if self.chance(0.9) else _SPOKEN),
            }
            if provision is not None:
                _, _, placement = provision
                details = {
                    "provision_start_date": placement["start_date"],
                    "session_times": placement.get("session_times"),
                    "provision_address": placement.get("address"),
                    "report_to": placement.get("report_to"),
                }
                for key, value in details.items():
                    if value is not None and (outcome == "on_time" or self.chance(0.6)):
                        notice[key] = value
            self.event("exclusion_notice", "NTC", about=about, **notice)
        outcome = self.outcome()
        if outcome != "missing":
            set_on = first if outcome == "on_time" else first + self.rng.randint(1, 3)
            work: Json = {"set_on": self.day(set_on)}
            if self.chance(0.8):
                work["marked_on"] = self.day(set_on + self.rng.randint(1, 6))
            self.event("work_set", "WRK", about=about, **work)
        if self.pupil["looked_after"]:
            outcome = self.outcome()
            if outcome != "missing":
                self.event(
                    "pep_record",
                    "PEP",
                    about=about,
                    recorded_on=self.day(first + (1 if outcome == "on_time" else 8)),
                    records_immediate_provision=outcome == "on_time" or self.chance(0.5),
                )
        if self.chance(0.5):
            self.event(
                "exclusion_notification",
                "XN",
                about=about,
                notified_on=self.day(first + self.rng.randint(0, 2)),
                to="local_authority",
            )

    # placements

    def session_times(self) -> Json:
        if self.chance(0.8):
            return {
                "form": "two_sessions",
                "morning_starts": self.rng.choice(("08:45", "09:00", "09:15")),
                "break_starts": "12:00",
                "break_ends": self.rng.choice(("12:30", "12:45")),
                "afternoon_ends": self.rng.choice(("14:45", "15:00", "15:15")),
            }
        starts = self.rng.choice((9, 10, 13))
        return {
            "form": "single_session",
            "session_starts": f"{starts:02d}:00",
            "session_ends": f"{starts + 3:02d}:00",
        }

    def placement(
        self,
        kind: str,
        provider_id: str,
        start: int,
        end: int | None,
        *,
        full_time: bool,
        arranged: int | None = None,
        for_exclusion: str | None = None,
        arranged_by: str = "school",
        school: bool = False,
    ) -> Json:
        placement_id = self.next_id("PL")
        placement: Json = {
            "id": placement_id,
            "kind": kind,
            "provider_id": provider_id,
            "start_date": self.day(start),
            "full_time": full_time,
            "arranged_by": arranged_by,
        }
        if end is not None:
            placement["end_date"] = self.day(end)
        if arranged is not None:
            placement["arranged_on"] = self.day(min(arranged, start))
        if self.chance(0.95):
            placement["session_times"] = self.session_times()
        if self.chance(0.9):
            placement["address"] = f"Synthetic provision site {len(self.placements) + 1}, Testville"
        if self.chance(0.9):
            placement["report_to"] = "The centre reception (synthetic)"
        # Attendance codes (H.13): D where dual registered at a school, K where the local
        # authority arranged it, else B; sometimes wrong, or the registration late.
        o = self.outcome()
        if school and o != "missing":
            placement["dual_registered_on"] = self.day(start + (0 if o == "on_time" else 3))
        code = "D" if school else "K" if arranged_by == "local_authority" else "B"
        if self.outcome() != "on_time":
            code = self.rng.choice(("B", "D", "K", "/"))
        placement["attendance_code"] = code
        if not full_time:
            placement["sessions_per_week"] = self.rng.randint(2, 8)
        if for_exclusion is not None:
            placement["for_exclusion"] = for_exclusion
        self.placements.append(placement)
        return placement

    def commissioning(self, placement_id: str, start: int) -> None:
        """Needs assessed, suitability checked, information shared, a learning plan, free
        school meals and the local authority contacted, before the placement starts."""
        pupil = self.pupil

        def when(outcome: Outcome, early: int = 8) -> int:
            return (
                start - self.rng.randint(1, early)
                if outcome == "on_time"
                else start + self.rng.randint(2, 15)
            )

        if (o := self.outcome()) != "missing":
            self.event("needs_assessment", "NA", assessed_on=self.day(when(o)))
        if (o := self.outcome()) != "missing":
            flags = {
                "addresses_sen": pupil["send"],
                "venue_appropriate": True,
                "accommodation_suitable": True,
                "reasonable_adjustments_considered": pupil["disabled"],
                "safeguarding_arrangements": True,
                "pastoral_support": True,
                "health_and_safety": True,
                "transport": True,
            }
            if o != "on_time":
                flags = {k: v and self.chance(0.7) for k, v in flags.items()}
            self.event(
                "suitability_check",
                "SC",
                placement_id=placement_id,
                checked_on=self.day(when(o)),
                **flags,
            )
        if (o := self.outcome()) != "missing":
            items = list(_INFORMATION)
            if pupil["send"]:
                items.append("send_details")
            if pupil["semh_needs"]:
                items.append("semh_details")
            if o != "on_time":
                items = [i for i in items if self.chance(0.75)] or ["attainment_data"]
            self.event(
                "information_shared",
                "INF",
                placement_id=placement_id,
                shared_on=self.day(when(o, 5)),
                items=items,
            )
        if (o := self.outcome()) != "missing":
            parts = list(_PLAN_PARTS)
            if self.chance(0.8):
                parts.append("baseline")
            if pupil["ehc_plan"]:
                parts.append("ehc_plan_link")
            if pupil["year_group"] >= 10:
                parts.append("qualifications")
            if o != "on_time":
                parts = [p for p in parts if self.chance(0.7)]
            self.event(
                "learning_plan",
                "PLN",
                placement_id=placement_id,
                agreed_on=self.day(when(o, 5)),
                includes=parts,
                pupil_involved=o == "on_time" or self.chance(0.5),
                pupil_told_reasons_and_outcome=o == "on_time" or self.chance(0.5),
            )
        if pupil["fsm_eligible"] and (o := self.outcome()) != "missing":
            self.event(
                "fsm_arrangement",
                "FSM",
                placement_id=placement_id,
                arranged_on=self.day(when(o, 4)),
                provision=self.rng.choice(("meals", "meals", "vouchers", "food")),
            )
        if pupil["ehc_plan"] and (o := self.outcome()) != "missing":
            self.event(
                "la_contacted",
                "LAC",
                placement_id=placement_id,
                contacted_on=self.day(when(o, 15)),
            )

    def review(self, placement_id: str, held: int, o: Outcome, **extra: Any) -> None:
        """A review meeting of a placement, in full when on time."""
        attendees = ["commissioner", "ap_lead", "provider"]
        if o == "on_time" or self.chance(0.5):
            attendees += ["pupil", "parents"]
        fields: Json = {
            "meeting": True,
            "formal": False,
            "attendees": attendees,
            "parents_consulted": "parents" not in attendees and self.chance(0.5),
            "covered": [t for t in _REVIEW_TOPICS if o == "on_time" or self.chance(0.6)],
        }
        fields.update(extra)
        self.event(
            "placement_review", "REV", placement_id=placement_id, held_on=self.day(held), **fields
        )

    def _reviews_due(self, start: int, last: int, interval_weeks: int | None) -> list[int]:
        """When reviews fall due: every `interval_weeks` calendar weeks from the start (an
        off-site direction, H.3.iii), else once in each half-term (G.2.5)."""
        rng = self.rng
        dues: list[int] = []
        if interval_weeks is not None:
            due = self.days.on(start)
            while True:
                due += timedelta(weeks=interval_weeks)
                i = self.days.index_on_or_before(due) - rng.choice((0, 0, 1, 2))
                if i > last:
                    return dues
                dues.append(i)
        for first, final in self.days.blocks("half_term"):
            lo, hi = max(first, start), min(final, last)
            if lo <= hi and 2 * (final - lo + 1) >= final - first + 1:
                dues.append(rng.randint(lo, hi))
        return dues

    def monitoring(
        self,
        placement: Json,
        start: int,
        end: int,
        *,
        interval_weeks: int | None = None,
    ) -> None:
        """Visits, weekly attendance updates, absences, reviews, progress, provider reports,
        concerns and incidents, from school day `start` to `end` (as far as has happened)."""
        rng = self.rng
        placement_id = placement["id"]
        last = min(end, self.known)
        if last < start:
            return
        # Visits: one a month or every ten sessions, whichever is sooner (G.4.i).
        sessions = 10 if placement["full_time"] else placement.get("sessions_per_week", 5)
        step = max(4, min(18, 50 // sessions))
        i = start - rng.randint(1, 5)
        while i <= last:
            if self.happened(i):
                self.event(
                    "visit",
                    "VIS",
                    placement_id=placement_id,
                    visited_on=self.day(i),
                    form=rng.choice(("visit", "visit", "meeting")),
                    by="ap_lead" if self.chance(0.9) else "other_staff",
                )
            o = self.outcome()
            i += step - rng.randint(0, 1) if o == "on_time" else step + rng.randint(4, 10)
        # Weekly attendance updates, an intervention when attendance falls below 90% (O.5).
        attendance = rng.uniform(82.0, 99.0)
        below = False
        for week_end in self.days.week_ends:
            if week_end < start:
                continue
            if week_end > last:
                break
            attendance = max(30.0, min(100.0, attendance + rng.uniform(-5.0, 4.5)))
            o = self.outcome()
            if o == "missing":
                continue
            self.event(
                "attendance_update",
                "ATT",
                placement_id=placement_id,
                updated_on=self.day(week_end + (0 if o == "on_time" else 2)),
                attendance_percent=round(attendance, 1),
                shared_with=["ap_lead", "headteacher"] if o == "on_time" else ["ap_lead"],
            )
            if attendance < 90.0 and not below:
                o = self.outcome()
                lag = rng.randint(1, 6) if o == "on_time" else rng.randint(12, 20)
                if o != "missing" and self.happened(week_end + lag):
                    self.event(
                        "attendance_intervention",
                        "AI",
                        placement_id=placement_id,
                        started_on=self.day(week_end + lag),
                    )
            below = attendance < 90.0
        # Absences: reported by the provider and followed up with the parents (O.2, O.3).
        for _ in range(rng.choices((0, 1, 2, 3, 5), (4, 3, 2, 1, 1))[0]):
            absent = rng.randint(start, last)
            record: Json = {"absent_on": self.day(absent)}
            o = self.outcome()
            if o != "missing":
                record["provider_reported_on"] = self.day(absent + (0 if o == "on_time" else 2))
            o = self.outcome()
            if o != "missing":
                record["parents_contacted_on"] = self.day(absent + (0 if o == "on_time" else 3))
            self.event("absence", "ABS", placement_id=placement_id, **record)
        # Reviews with the parents and the pupil, a progress judgement at each, and a formal
        # review after unsatisfactory progress (H.4, N.6).
        for due in self._reviews_due(start, last, interval_weeks):
            o = self.outcome()
            held = due if o == "on_time" else due + rng.randint(5, 15)
            if o == "missing" or not self.happened(held):
                continue
            self.review(placement_id, held, o)
            progress = "satisfactory" if self.chance(0.82) else "unsatisfactory"
            self.event(
                "progress_record",
                "PRG",
                placement_id=placement_id,
                recorded_on=self.day(held),
                progress=progress,
            )
            if progress == "unsatisfactory":
                o = self.outcome()
                follow = held + (rng.randint(3, 8) if o == "on_time" else rng.randint(12, 18))
                if o != "missing" and self.happened(follow):
                    attendees = ["commissioner", "ap_lead", "parents", "pupil", "provider"]
                    if o == "on_time":
                        attendees.append("headteacher")
                    self.review(placement_id, follow, o, formal=True, attendees=attendees)
        # Termly provider reports on progress, behaviour and welfare (N.3).
        for first, final in self.days.blocks("term"):
            lo, hi = max(first, start), min(final, last)
            if lo > hi or 2 * (final - lo + 1) < final - first + 1:
                continue
            if (o := self.outcome()) != "missing":
                received = rng.randint(max(lo, hi - 10), hi) + (0 if o == "on_time" else 8)
                if self.happened(received):
                    self.event(
                        "provider_report",
                        "RPT",
                        placement_id=placement_id,
                        received_on=self.day(received),
                        covers=["progress", "behaviour", "welfare"][: 3 if o == "on_time" else 2],
                    )
        # Now and then a safeguarding concern (reviewed at once, G.2.6) or a serious incident.
        if self.chance(0.10):
            raised = rng.randint(start, last)
            concern: Json = {"raised_on": self.day(raised)}
            o = self.outcome()
            if o != "missing":
                resolved = raised + (rng.randint(0, 5) if o == "on_time" else rng.randint(10, 25))
                if self.happened(resolved):
                    concern["resolved_on"] = self.day(resolved)
                review = raised + (0 if o == "on_time" else rng.randint(2, 6))
                if self.happened(review):
                    self.review(placement_id, review, o, covered=["safeguarding"])
            self.event("safeguarding_concern", "SG", placement_id=placement_id, **concern)
        if self.chance(0.10):
            occurred = rng.randint(start, last)
            incident: Json = {"occurred_on": self.day(occurred)}
            o = self.outcome()
            if o != "missing":
                incident["school_informed_on"] = self.day(occurred + (0 if o == "on_time" else 3))
            o = self.outcome()
            decided = occurred + (rng.randint(1, 7) if o == "on_time" else rng.randint(12, 20))
            if o != "missing" and self.happened(decided):
                incident["action_decided_on"] = self.day(decided)
                incident["decided_with"] = ["slt", "headteacher"]
            self.event("serious_incident", "INC", placement_id=placement_id, **incident)

    def ending(self, placement_id: str, start: int, end: int, *, returns: bool) -> None:
        """Around the end of a placement that has ended: the reintegration plan and meeting,
        the final report, the pupil's views, the return to school and the record kept."""
        if end > self.known:
            return
        rng = self.rng

        def dated(o: Outcome, on_time: int, late: int) -> str:
            return self.day(end + (on_time if o == "on_time" else late))

        if returns:
            if (o := self.outcome()) != "missing":
                self.event(
                    "reintegration_plan",
                    "RIP",
                    placement_id=placement_id,
                    agreed_on=dated(o, -rng.randint(5, 15), rng.randint(1, 5)),
                    developed_with_provider=o == "on_time" or self.chance(0.5),
                )
            if (o := self.outcome()) != "missing":
                self.event(
                    "reintegration_meeting",
                    "RIM",
                    placement_id=placement_id,
                    held_on=dated(o, -rng.randint(1, 5), rng.randint(3, 8)),
                    strategy_communicated=True,
                    parents_attended=self.chance(0.8),
                )
            self.event(
                "return_to_school",
                "RTS",
                placement_id=placement_id,
                returns_on=self.day(end + 1),
            )
            # The reintegration strategy reviewed after the return (Q.5).
            o = self.outcome()
            review = end + 1 + (rng.randint(2, 8) if o == "on_time" else rng.randint(12, 18))
            if o != "missing" and self.happened(review):
                self.review(placement_id, review, o, covered=["progress", "reintegration_plan"])
        if (o := self.outcome()) != "missing" and end - start >= 10:
            self.event(
                "final_report",
                "FR",
                placement_id=placement_id,
                received_on=dated(o, -rng.randint(0, 5), rng.randint(2, 10)),
                covers=["attainment_and_progress", "attendance", "behaviour_change"],
            )
        if (o := self.outcome()) != "missing" and end - start >= 10:
            self.event(
                "pupil_views",
                "PV",
                placement_id=placement_id,
                heard_on=dated(o, -rng.randint(0, 5), rng.randint(2, 10)),
                by_headteacher=self.chance(0.85),
            )
        if (o := self.outcome()) != "missing":
            includes = ["progress", "achievements", "destination", "pupil_assessment"]
            if o != "on_time":
                includes = includes[: rng.randint(1, 3)]
            self.event(
                "placement_record",
                "REC",
                placement_id=placement_id,
                recorded_on=dated(o, rng.randint(1, 8), rng.randint(12, 20)),
                includes=includes,
            )

    def part_time_timetable(self, starts: int) -> None:
        """A part-time timetable on the return to school, with its reviews."""
        if starts > self.known:
            return
        weeks = self.rng.randint(2, 4)
        ends = starts + self.rng.randint(15, 40)
        timetable_id = self.event(
            "part_time_timetable",
            "PTT",
            starts_on=self.day(starts),
            ends_on=self.day(ends),
            reason="reintegration",
            review_every_weeks=weeks,
            absence_code="C2" if self.chance(0.9) else "other",
        )
        i = starts + 5 * weeks
        while i <= min(ends, self.known):
            o = self.outcome()
            if o != "missing":
                held = i if o == "on_time" else i + 5
                if self.happened(held):
                    self.event(
                        "timetable_review",
                        "TTR",
                        timetable_id=timetable_id,
                        reviewed_on=self.day(held),
                        with_pupil_and_parents=o == "on_time",
                    )
            i += 5 * weeks

    def ehc_plan_review(self) -> None:
        i = self.rng.randint(self.days.lo, self.known)
        self.event(
            "ehc_plan_review",
            "EHC",
            held_on=self.day(i),
            provider_contributions=[p["id"] for p in self.providers if self.chance(0.7)],
        )

    def build(self) -> Json:
        return {
            "case_id": self.case_id,
            "pupil": self.pupil,
            "providers": self.providers,
            "placements": self.placements,
            "events": self.events,
        }


# --- scenarios --------------------------------------------------------------------------------


def _weeks(rng: random.Random, low: int = 2, high: int = 30) -> int:
    """A placement's length in school days: 2 to 30 weeks, shorter ones more common."""
    return 5 * min(high, max(low, int(rng.triangular(low, high, 6))))


def _suspensions(b: _CaseBuilder, start: int, runs: int) -> None:
    """Suspensions from school day `start`; provision from the sixth day of each cumulative
    period of more than five school days."""
    rng = b.rng
    for members, total in b.suspensions(start, runs):
        first = members[0][1]
        provision: tuple[int, str, Json] | None = None
        if total > 5:
            o = b.outcome()
            if o != "missing":
                # On time: from the sixth school day (sometimes earlier); late: a day or two on.
                begin = first + (rng.choice((2, 3, 4, 5, 5, 5)) if o == "on_time" else 6)
                begin = max(begin, b.days.lo)
                kind = rng.choice(("pupil_referral_unit", "ap_academy", "in_school_unit"))
                provider_id = b.make_provider(kind)
                containing = next((m for m in members if m[1] <= begin < m[1] + m[2]), members[-1])
                linked = b.chance(0.5) or begin >= first + total  # else linked by its dates
                placement = b.placement(
                    "suspension_provision",
                    provider_id,
                    begin,
                    max(begin, first + total - 1),
                    full_time=o == "on_time" or b.chance(0.5),
                    arranged=first,
                    for_exclusion=containing[0] if linked else None,
                    school=kind != "in_school_unit",
                )
                b.date_provider_checks(provider_id, begin)
                provision = (begin, placement["id"], placement)
                if begin - first < 5 and b.chance(0.3):
                    b.event(
                        "short_notice_consent",
                        "SNC",
                        placement_id=placement["id"],
                        given_on=b.day(begin - 1),
                    )
                b.commissioning(placement["id"], begin)
                b.monitoring(placement, begin, first + total - 1)
        # The provision's details go in the notice of the latest suspension begun at least two
        # school days before the provision starts (else the first one's).
        told = members[0][0]
        if provision is not None:
            told = max((m for m in members if m[1] <= provision[0] - 2), default=members[0])[0]
        for suspension_id, first_day, _ in members:
            b.exclusion_records(
                suspension_id, first_day, provision if suspension_id == told else None
            )
        # Senior staff consider the pupil's needs after a suspension (L.1).
        pupil = b.pupil
        needs = pupil["send"] or pupil["semh_needs"] or pupil["ehc_plan"] or pupil["looked_after"]
        if needs and (o := b.outcome()) != "missing":
            b.event(
                "needs_consideration",
                "NC",
                considered_on=b.day(first + (rng.randint(1, 8) if o == "on_time" else 12)),
                by=["headteacher", "dsl", "senco"] if o == "on_time" else ["headteacher", "dsl"],
            )


def _permanent_exclusion(b: _CaseBuilder) -> None:
    rng = b.rng
    if b.chance(0.5):
        _suspensions(b, rng.randint(b.days.lo, b.days.lo + 40), rng.randint(1, 2))
    earliest = max(b.days.lo + 45, b._period_end + 5)
    first = rng.randint(earliest, max(earliest, b.known - 20))
    exclusion_id = b.next_id("PEX")
    b.events.append({"kind": "permanent_exclusion", "id": exclusion_id, "first_day": b.day(first)})
    provision = None
    o = b.outcome()
    if o != "missing":
        begin = first + (5 if o == "on_time" else rng.randint(7, 12))
        provider_id = b.make_provider(rng.choice(("pupil_referral_unit", "ap_academy")))
        end = begin + _weeks(rng) if b.chance(0.4) else None
        placement = b.placement(
            "permanent_exclusion_provision",
            provider_id,
            begin,
            end if end is not None and end <= b.days.hi else None,
            full_time=True,
            arranged=first,
            arranged_by="local_authority",
            school=True,
        )
        b.date_provider_checks(provider_id, begin)
        provision = (begin, placement["id"], placement)
        b.commissioning(placement["id"], begin)
        b.monitoring(placement, begin, end or b.days.hi)
    b.exclusion_records(exclusion_id, first, provision)


def _direction(b: _CaseBuilder, earliest: int) -> None:
    """An off-site direction (policy H): interventions and needs first, the decision, the
    meeting, the parents' agreement, the referral notice, then the placement itself."""
    rng = b.rng
    pupil = b.pupil
    latest = b.known - 15
    if earliest > latest:
        return
    decided = rng.randint(earliest, latest)
    start = decided + rng.randint(4, 12)
    length = _weeks(rng)
    end = start + length
    ongoing = end > b.days.hi or b.chance(0.15)
    if (o := b.outcome()) != "missing":
        b.event(
            "intervention",
            "INT",
            started_on=b.day(decided - rng.randint(20, 60) if o == "on_time" else decided + 2),
            intervention=rng.choice(("behaviour_plan", "mentoring", "pastoral_support_programme")),
        )
    concern = decided - rng.randint(10, 30)
    b.event(
        "behaviour_concern",
        "BC",
        recorded_on=b.day(concern),
        concern=rng.choice(("behaviour", "risk_of_exclusion")),
    )
    if (o := b.outcome()) != "missing":
        by = ["headteacher", "dsl", "senco"] if o == "on_time" else ["headteacher"]
        b.event(
            "needs_consideration",
            "NC",
            considered_on=b.day(concern + (rng.randint(1, 7) if o == "on_time" else 14)),
            by=by,
        )
    kind = rng.choice(
        ("unregistered", "further_education_college", "ap_free_school", "pupil_referral_unit")
    )
    provider_id = b.make_provider(kind)
    school = kind in ("ap_free_school", "pupil_referral_unit")
    placement = b.placement(
        "off_site_direction",
        provider_id,
        start,
        None if ongoing else end,
        full_time=b.chance(0.4),
        arranged=decided,
        school=school,
    )
    placement_id = placement["id"]
    b.date_provider_checks(provider_id, start)
    if (pupil["send"] or pupil["ehc_plan"]) and (o := b.outcome()) != "missing":
        b.event(
            "la_sen_consultation",
            "LSC",
            placement_id=placement_id,
            consulted_on=b.day(decided - rng.randint(1, 5) if o == "on_time" else decided + 2),
            officer_has_sen_expertise=o == "on_time" or b.chance(0.5),
        )
    interval = rng.choice((4, 6, 6, 8))
    if (o := b.outcome()) != "missing":
        full = o == "on_time"
        b.event(
            "direction_meeting",
            "MTG",
            placement_id=placement_id,
            held_on=b.day(decided + (rng.randint(0, 2) if full else rng.randint(6, 10))),
            pupil_invited=True,
            parents_invited=True,
            reasons_explained=full or b.chance(0.7),
            not_an_exclusion_explained=full or b.chance(0.7),
            support_responsibilities_set=full or b.chance(0.7),
            agreement_review_timescales_set=full or b.chance(0.7),
            review_interval_weeks=interval,
        )
    if (o := b.outcome()) != "missing":
        b.event(
            "parental_agreement",
            "AGR",
            placement_id=placement_id,
            recorded_on=b.day(decided + rng.randint(0, 3)),
            outcome=rng.choices(("agreed", "refused", "not_possible"), (88, 7, 5))[0],
            review_arrangements_shared_with=(
                ["parents", "pupil", "provider"] if o == "on_time" else ["parents"]
            ),
        )
    if (pupil["social_worker"] or pupil["other_agencies"]) and (o := b.outcome()) != "missing":
        b.event(
            "agencies_notified",
            "AGN",
            placement_id=placement_id,
            notified_on=b.day(decided + (rng.randint(0, 3) if o == "on_time" else 15)),
        )
    if (o := b.outcome()) != "missing":
        notice: Json = {
            "sent_at": b.sent_at(start - (rng.randint(3, 6) if o == "on_time" else 1)),
            "method": rng.choice(_WRITTEN),
            "recipients": ["parents", "local_authority"] if pupil["ehc_plan"] else ["parents"],
            "start_date": placement["start_date"],
            "provision_address": placement.get("address") or "Synthetic provision site",
            "report_to": placement.get("report_to") or "The centre reception (synthetic)",
            "number_of_days": length,
            "reasons": "Synthetic reasons for the direction.",
            "objectives": "Synthetic objectives of the placement.",
            "session_times": placement.get("session_times") or b.session_times(),
            "review_arrangements": f"Reviewed with the parents every {interval} weeks.",
        }
        if o != "on_time":
            for key in ("report_to", "number_of_days", "objectives", "review_arrangements"):
                if b.chance(0.4):
                    del notice[key]
        b.event("referral_notice", "REF", placement_id=placement_id, **notice)
    b.commissioning(placement_id, start)
    b.monitoring(placement, start, end, interval_weeks=interval)
    if b.chance(0.05):
        requested = rng.randint(start, min(end, b.known))
        b.event(
            "review_request",
            "RRQ",
            placement_id=placement_id,
            requested_on=b.day(requested),
            by="parents",
            in_writing=True,
        )
    if not ongoing:
        b.ending(placement_id, start, end, returns=True)
        if b.chance(0.15):
            b.part_time_timetable(end + 1)


def _other_placement(b: _CaseBuilder) -> None:
    """An in-school unit, medical or other placement, part time or full time."""
    rng = b.rng
    kind, provider_kind = rng.choice(
        (
            ("in_school_unit", "in_school_unit"),
            ("medical", "special_school"),
            ("other", "further_education_college"),
            ("other", "unregistered"),
        )
    )
    provider_id = b.make_provider(provider_kind)
    start = rng.randint(b.days.lo + 5, b.known - 10)
    length = _weeks(rng)
    end = start + length
    ongoing = end > b.days.hi or b.chance(0.15)
    if b.chance(0.5):
        b.event(
            "behaviour_concern",
            "BC",
            recorded_on=b.day(start - rng.randint(15, 30)),
            concern="behaviour",
        )
    placement = b.placement(
        kind,
        provider_id,
        start,
        None if ongoing else end,
        full_time=b.chance(0.3),
        arranged=start - rng.randint(3, 15) if b.chance(0.8) else None,
        school=provider_kind == "special_school",
    )
    b.date_provider_checks(provider_id, start)
    b.commissioning(placement["id"], start)
    b.monitoring(placement, start, end)
    if not ongoing:
        b.ending(placement["id"], start, end, returns=kind != "other" or b.chance(0.5))


def _case(seed: int, number: int, days: SchoolDays, as_of: date) -> Json:
    rng = random.Random(f"apcompliance-benchmark:{seed}:{number}")
    b = _CaseBuilder(rng, days, as_of, f"BENCH-{seed}-{number:07d}")
    b.make_pupil(number)
    scenario = rng.choices([s for s, _ in SCENARIO_WEIGHTS], [w for _, w in SCENARIO_WEIGHTS])[0]
    if scenario == "suspensions":
        _suspensions(
            b, rng.randint(days.lo, b.known - 20), rng.choices((1, 2, 3, 4), (4, 3, 2, 1))[0]
        )
    elif scenario == "permanent_exclusion":
        _permanent_exclusion(b)
    elif scenario == "off_site_direction":
        _direction(b, days.lo + 10)
    elif scenario == "suspensions_then_direction":
        _suspensions(b, rng.randint(days.lo, days.lo + 60), rng.randint(1, 3))
        _direction(b, max(b._period_end + 10, days.lo + 20))
    else:
        _other_placement(b)
    if b.pupil["ehc_plan"] and b.chance(0.7):
        b.ehc_plan_review()
    return b.build()


def generate(
    n: int,
    seed: int = 0,
    *,
    as_of: date = DEFAULT_AS_OF,
    calendar: SchoolCalendar | None = None,
) -> Iterator[Json]:
    """`n` synthetic cases (JSON-ready dicts) as known on `as_of`, on `calendar` (default:
    the bundled 2025-26 example calendar). Deterministic in (seed, position)."""
    if n < 0:
        raise ValueError("n must be >= 0")
    days = school_days(calendar)
    if not days.calendar.covers(as_of):
        raise ValueError(f"as_of {as_of.isoformat()} is outside {days.calendar.name}")
    for number in range(1, n + 1):
        yield _case(seed, number, days, as_of)


def write_jsonl(path: str | Path, cases: Sequence[Json] | Iterator[Json]) -> int:
    """Write cases one JSON object per line; return how many were written."""
    count = 0
    with Path(path).open("w", encoding="utf-8") as handle:
        for case in cases:
            handle.write(json.dumps(case, separators=(",", ":")))
            handle.write("\n")
            count += 1
    return count


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m benchmarks.cohort N --seed S -o FILE.jsonl`."""
    parser = argparse.ArgumentParser(description="Write a synthetic AP cohort as JSON Lines.")
    parser.add_argument("n", type=int, help="number of cases")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--as-of", type=date.fromisoformat, default=DEFAULT_AS_OF)
    parser.add_argument("-o", "--out", type=Path, required=True, help="the .jsonl file to write")
    args = parser.parse_args(argv)
    written = write_jsonl(args.out, generate(args.n, args.seed, as_of=args.as_of))
    print(f"wrote {written} cases to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
