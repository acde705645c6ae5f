"""The two engines against each other: durable-rules' network with residual tests in Python
(`matching.NetworkEngine`) and the Python evaluator of the whole condition tree
(`oracle.PythonEngine`) give identical findings.

Three layers, from the conditions up:

* the split (`compiler.split`), checked when the rules load: the bundled rules' network holds
  only the shapes durable-rules evaluates soundly, and what it cannot evaluate (dates, joins but
  equality with an earlier fact, joins in groups, `unless`, `not`, named terms, unrecorded
  fields, large groups) is a residual test; a constant of the wrong type is a rule-file error.
* rule conditions, firing by firing: a table of hand-written rules over hand-made facts, and
  random rule files over random facts of real fact types. The durable engine runs each of these
  cases in a process of its own (tests/durable_child.py), so that a crash fails the case only.
* whole cases: the bundled examples on several dates, scenario cases, and random valid cases
  (pupil, providers, placements, events of every kind), compared finding by finding and as
  JSON (all but the `engine` field); and a slow test re-runs the rule scenario tests with every
  evaluation shadowed by the other engine.

And the choice of engine: explicit, automatic, named in the assessment, on the command line.
Where durable-rules cannot be imported (CPython 3.13+) this module is skipped; there
tests/test_engine.py checks that `auto` runs the Python evaluator.
"""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from apcompliance import (
    ApComplianceError,
    Case,
    EngineError,
    EngineUnavailableError,
    Evaluator,
    PolicySettings,
    SchoolCalendar,
    evaluate,
)
from apcompliance.cli import main
from apcompliance.engines import durable as engine_module
from apcompliance.engines.compiler import (
    CATCH_ALL,
    MAX_NETWORK_LEAVES,
    MAX_NETWORK_OPTIONS,
    CompiledRules,
    compile_rulebook,
    split,
)
from apcompliance.engines.durable import ENGINE_NAME
from apcompliance.engines.network import NetworkEngine
from apcompliance.engines.python import PYTHON_ENGINE_NAME, PythonEngine
from apcompliance.errors import RuleFileError
from apcompliance.evaluation.evaluator import shared_evaluator
from apcompliance.facts.placement import PlacementKind
from apcompliance.facts.provider import ProviderKind
from apcompliance.facts.vocabulary import FACT_TYPES, EngineFact
from apcompliance.language.conditions import (
    AllOf,
    AnyOf,
    Call,
    Compare,
    Condition,
    EvaluationDate,
    Exists,
    Field,
    Not,
    Term,
    TermValue,
    children,
    existence_tests,
    expressions,
    fields_read,
)
from apcompliance.language.parse import REF, Parser, Type, field_type
from apcompliance.language.rulebook import RuleBook, load_rulebook
from apcompliance.language.semantics import Context
from tests.durable_child import durable_firings, firings
from tests.scenarios import direction, initial_meeting, suspension

pytestmark = pytest.mark.durable  # compares with durable-rules: skipped where it cannot import

CAL = SchoolCalendar.example()
FIRST, LAST = date(2025, 9, 1), date(2026, 7, 21)
ROOT = Path(__file__).resolve().parents[1]
FLIPPED = PolicySettings(
    provision_starts_at="start_of_day",
    referral_notice_clear_days=False,
    termly_means="half_term",
    month_means="calendar",
)
"""Every switch the rules' deadlines read, away from its default."""


# --- comparing the two engines on a case ------------------------------------------------------


def outcome(evaluator: Evaluator, case: Case, as_of: date, settings: PolicySettings | None) -> Any:
    """What an evaluation gives: the findings and the assessment's JSON without `engine`, or
    the error (an engine failure by its kind only: the two engines word it differently)."""
    try:
        assessment = evaluator.evaluate(case, as_of=as_of, calendar=CAL, settings=settings)
    except EngineError as exc:
        return ("EngineError", str(exc).split(":", 1)[0])
    except ApComplianceError as exc:
        return (type(exc).__name__, str(exc))
    assert assessment.engine == evaluator.engine_name
    view = json.loads(assessment.to_json())
    del view["engine"]
    return ("ok", assessment.findings, view)


def assert_same(
    case: Case, as_of: date, settings: PolicySettings | None = None, *, gaps: bool = False
) -> Any:
    durable = outcome(shared_evaluator(gaps=gaps, engine="durable"), case, as_of, settings)
    python = outcome(shared_evaluator(gaps=gaps, engine="python"), case, as_of, settings)
    assert python == durable
    return durable


def example(name: str) -> Case:
    text = (resources.files("apcompliance") / "data/examples" / name).read_text("utf-8")
    return Case.model_validate_json(text)


@pytest.mark.parametrize("gaps", [False, True], ids=["rules", "rules+gaps"])
@pytest.mark.parametrize("name", ["suspension-case.json", "off-site-direction-case.json"])
@pytest.mark.parametrize(
    "as_of",
    [date(2025, 9, 15), date(2025, 11, 10), date(2026, 1, 20), date(2026, 3, 27), LAST],
    ids=str,
)
def test_the_bundled_examples_give_identical_findings(name, as_of, gaps):
    for switches in (None, FLIPPED):
        result = assert_same(example(name), as_of, switches, gaps=gaps)
        assert result[0] == "ok" and result[1]


def test_the_policy_review_gives_identical_findings():
    durable, python = (shared_evaluator(engine=e) for e in ("durable", "python"))
    for as_of in (date(2025, 11, 10), date(2029, 1, 1)):
        settings = PolicySettings(policy_reviews=(date(2024, 1, 15),))
        a = durable.review_policy(as_of=as_of, settings=settings)
        b = python.review_policy(as_of=as_of, settings=settings)
        assert a.findings == b.findings and a.findings
        assert (a.engine, b.engine) == (ENGINE_NAME, PYTHON_ENGINE_NAME)


def _scenario(*events: dict[str, Any], **data: Any) -> Case:
    payload = {"case_id": "SCN", "pupil": {"year_group": 9}, "events": list(events), **data}
    return Case.model_validate_json(json.dumps(payload, default=lambda v: v.isoformat()))


SESSIONS = {"form": "single_session", "session_starts": "09:30", "session_ends": "13:30"}
PROVIDER = {"id": "PRV", "name": "P", "kind": "unregistered", "on_la_approved_list": True}
SCENARIOS: dict[str, Case] = {
    "no events": _scenario(),
    "a long suspension without provision": _scenario(suspension("S1", date(2025, 10, 16), 7)),
    "back-to-back suspensions with provision and a late notice": _scenario(
        suspension("S1", date(2025, 10, 16), 3),
        suspension("S2", date(2025, 10, 29), 4),
        {
            "kind": "exclusion_notice",
            "id": "N1",
            "about": "S2",
            "method": "phone",
            "sent_at": datetime(2025, 11, 4, 16, 0),
            "provision_start_date": date(2025, 11, 5),
        },
        placements=[
            {
                "id": "PL",
                "kind": "suspension_provision",
                "start_date": date(2025, 11, 5),
                "full_time": True,
                "session_times": SESSIONS,
            }
        ],
        pupil={"year_group": 11, "looked_after": True, "exam_entries": []},
    ),
    "a permanent exclusion": _scenario(
        {"kind": "permanent_exclusion", "id": "PX", "first_day": date(2026, 2, 2)},
        {"kind": "work_set", "id": "W", "about": "PX", "set_on": date(2026, 2, 3)},
    ),
    "an off-site direction, everything done": _scenario(
        initial_meeting("M1", date(2025, 11, 11), review_interval_weeks=4),
        {
            "kind": "parental_agreement",
            "id": "A1",
            "placement_id": "OSD-1",
            "outcome": "agreed",
            "recorded_on": date(2025, 11, 11),
        },
        {
            "kind": "placement_review",
            "id": "R1",
            "placement_id": "OSD-1",
            "formal": True,
            "held_on": date(2025, 12, 9),
            "attendees": ["parents", "pupil", "commissioner"],
        },
        {
            "kind": "progress_record",
            "id": "P1",
            "placement_id": "OSD-1",
            "recorded_on": date(2025, 12, 9),
            "progress": "unsatisfactory",
        },
        placements=[
            direction(
                date(2025, 11, 17),
                date(2025, 11, 10),
                provider_id="PRV",
                end_date=date(2026, 3, 27),
                sessions_per_week=4,
            )
        ],
        providers=[PROVIDER],
        pupil={"year_group": 10, "ehc_plan": True, "send": True, "social_worker": True},
    ),
    "two placements side by side at two providers": _scenario(
        {"kind": "visit", "id": "V1", "placement_id": "PA", "visited_on": date(2025, 9, 20)},
        {
            "kind": "provider_check",
            "id": "C1",
            "provider_id": "PRV",
            "check": "quality_assured",
            "checked_on": date(2025, 9, 1),
        },
        placements=[
            {
                "id": "PA",
                "kind": "other",
                "start_date": date(2025, 9, 22),
                "full_time": False,
                "provider_id": "PRV",
            },
            {
                "id": "PB",
                "kind": "medical",
                "start_date": date(2025, 10, 1),
                "full_time": True,
                "provider_id": "SCH",
                "dual_registered_on": date(2025, 10, 1),
                "attendance_code": "D",
            },
        ],
        providers=[PROVIDER, {"id": "SCH", "name": "S", "kind": "pupil_referral_unit"}],
        pupil={"year_group": 8, "fsm_eligible": True},
    ),
    "a part-time timetable, reviewed once": _scenario(
        {
            "kind": "part_time_timetable",
            "id": "T1",
            "starts_on": date(2026, 1, 12),
            "reason": "reintegration",
            "review_every_weeks": 2,
        },
        {
            "kind": "timetable_review",
            "id": "T1R",
            "timetable_id": "T1",
            "reviewed_on": date(2026, 1, 23),
        },
    ),
}


def _provision(id: str, start: date, end: date | None, full_time: bool = True) -> dict:
    out: dict[str, Any] = {
        "id": id,
        "kind": "suspension_provision",
        "start_date": start,
        "full_time": full_time,
        "for_exclusion": "S1",
    }
    return out if end is None else {**out, "end_date": end}


PERIODS: dict[str, Case] = {
    "provision on one day of a two-week period": _scenario(
        suspension("S1", date(2025, 11, 3), 15),
        placements=[_provision("P1", date(2025, 11, 10), date(2025, 11, 10))],
    ),
    "a gap between two placements, and part-time provision": _scenario(
        suspension("S1", date(2025, 11, 3), 15),
        placements=[
            _provision("P1", date(2025, 11, 10), date(2025, 11, 12)),
            _provision("P2", date(2025, 11, 13), date(2025, 11, 14), full_time=False),
            _provision("P3", date(2025, 11, 17), None),
        ],
    ),
    "a late, open-ended placement": _scenario(
        suspension("S1", date(2025, 11, 3), 15),
        placements=[_provision("P1", date(2025, 11, 12), None)],
    ),
}
"""Cases of the duty over a period (I.1 on every school day from the sixth to the last)."""
SCENARIOS.update(PERIODS)


@pytest.mark.parametrize("name", PERIODS)
def test_duties_over_a_period_give_identical_uncovered_days(name):
    """The period runs in the judge, from the one tree, whichever engine fired the rule: both
    give the same uncovered days, and on every date some are uncovered."""
    for as_of in (date(2025, 11, 11), date(2025, 11, 19), date(2025, 12, 1)):
        _, findings, _ = assert_same(PERIODS[name], as_of)
        (sixth,) = [f for f in findings if f.rule_id == "I.1-sixth-day-provision"]
        assert sixth.uncovered, sixth


@pytest.mark.parametrize("gaps", [False, True], ids=["rules", "rules+gaps"])
@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_cases_give_identical_findings(name, gaps):
    for as_of in (date(2025, 10, 1), date(2025, 12, 1), date(2026, 2, 20), date(2026, 7, 1)):
        for switches in (None, FLIPPED):
            assert_same(SCENARIOS[name], as_of, switches, gaps=gaps)


# --- random valid cases -----------------------------------------------------------------------

DAYS = [FIRST + timedelta(n) for n in range((LAST - FIRST).days + 1)]
SCHOOL_DAYS = [d for d in DAYS if CAL.is_school_day(d)]
DAY = st.sampled_from(DAYS)
SCHOOL_DAY = st.sampled_from(SCHOOL_DAYS[:-10])
MOMENT = st.builds(
    lambda d, h, m: datetime.combine(d, time(h, m)),
    DAY,
    st.integers(7, 19),
    st.sampled_from([0, 30]),
)
TEXT = st.just("x")
SESSION_TIMES = st.sampled_from(
    [
        SESSIONS,
        {
            "form": "two_sessions",
            "morning_starts": "09:00",
            "break_starts": "12:00",
            "break_ends": "12:45",
            "afternoon_ends": "15:15",
        },
    ]
)


class Ref:
    """The id of something already in the case: a provider, placement, exclusion, timetable."""

    def __init__(self, kind: str) -> None:
        self.kind = kind


class After:
    """A date on or up to `days` after an earlier field's."""

    def __init__(self, field: str, days: int = 40) -> None:
        self.field, self.days = field, days


class Opt:
    """Left out half the time."""

    def __init__(self, spec: Any) -> None:
        self.spec = spec


def sub(*values: str, at_least: int = 0) -> Any:
    return st.lists(st.sampled_from(values), unique=True, min_size=at_least)


B = st.booleans()
PLACEMENT, EXCLUSION = Ref("placement"), Ref("exclusion")
EVENTS: dict[str, dict[str, Any]] = {
    "exclusion_notice": {"about": EXCLUSION, "sent_at": MOMENT, "method": st.sampled_from(
        ["letter", "email", "phone"]), "provision_start_date": Opt(DAY),
        "session_times": Opt(SESSION_TIMES), "provision_address": Opt(TEXT),
        "report_to": Opt(TEXT)},
    "exclusion_notification": {"about": EXCLUSION, "notified_on": DAY, "to": st.sampled_from(
        ["local_authority", "social_worker", "virtual_school_head"])},
    "short_notice_consent": {"placement_id": PLACEMENT, "given_on": DAY},
    "work_set": {"about": EXCLUSION, "set_on": DAY, "marked_on": Opt(After("set_on"))},
    "pep_record": {"about": EXCLUSION, "recorded_on": DAY, "records_immediate_provision": B},
    "referral_notice": {"placement_id": PLACEMENT, "sent_at": MOMENT, "method": st.sampled_from(
        ["letter", "email", "text_message", "in_person"]), "recipients": sub(
        "parents", "pupil", "local_authority", at_least=1), "start_date": Opt(DAY),
        "provision_address": Opt(TEXT), "report_to": Opt(TEXT),
        "number_of_days": Opt(st.integers(1, 90)), "reasons": Opt(TEXT), "objectives": Opt(TEXT),
        "session_times": Opt(SESSION_TIMES), "review_arrangements": Opt(TEXT)},
    "direction_meeting": {"placement_id": PLACEMENT, "held_on": DAY, "pupil_invited": B,
        "parents_invited": B, "reasons_explained": B, "not_an_exclusion_explained": B,
        "support_responsibilities_set": B, "agreement_review_timescales_set": B,
        "review_interval_weeks": Opt(st.integers(1, 12))},
    "parental_agreement": {"placement_id": PLACEMENT, "recorded_on": DAY, "outcome":
        st.sampled_from(["agreed", "refused", "not_possible"]),
        "review_arrangements_shared_with": sub("parents", "pupil", "provider")},
    "agencies_notified": {"placement_id": PLACEMENT, "notified_on": DAY},
    "la_sen_consultation": {"placement_id": PLACEMENT, "consulted_on": DAY,
        "officer_has_sen_expertise": B},
    "suitability_check": {"placement_id": PLACEMENT, "checked_on": DAY, "addresses_sen": B,
        "venue_appropriate": B, "accommodation_suitable": B,
        "reasonable_adjustments_considered": B, "safeguarding_arrangements": B,
        "pastoral_support": B, "health_and_safety": B, "transport": B},
    "placement_review": {"placement_id": PLACEMENT, "held_on": DAY, "meeting": B, "formal": B,
        "attendees": sub("commissioner", "ap_lead", "pupil", "parents", "provider",
        "headteacher"), "parents_consulted": B, "covered": sub("progress",
        "length_of_placement", "reintegration_plan", "parental_agreement", "safeguarding")},
    "review_request": {"placement_id": PLACEMENT, "requested_on": DAY, "by": st.sampled_from(
        ["parents", "local_authority"]), "in_writing": B},
    "progress_record": {"placement_id": PLACEMENT, "recorded_on": DAY, "progress":
        st.sampled_from(["satisfactory", "unsatisfactory"])},
    "behaviour_concern": {"recorded_on": DAY, "concern": st.sampled_from(
        ["behaviour", "risk_of_exclusion"])},
    "intervention": {"started_on": DAY, "intervention": st.sampled_from(
        ["behaviour_plan", "mentoring", "in_school_unit", "other"])},
    "needs_consideration": {"considered_on": DAY, "by": sub("headteacher", "dsl", "senco",
        at_least=1)},
    "needs_assessment": {"assessed_on": DAY},
    "provider_check": {"provider_id": Ref("provider"), "checked_on": DAY, "check":
        st.sampled_from(["staff_safeguarding_checks_confirmed", "all_adults_cleared",
        "will_report_changes", "safeguarding_policy", "child_protection_policy",
        "health_and_safety_policy", "absence_follow_up_arrangements",
        "information_sharing_agreed", "quality_assured", "fsm_coverage_assessed"]),
        "in_writing": B},
    "information_shared": {"placement_id": PLACEMENT, "shared_on": DAY, "items": sub(
        "attainment_data", "send_details", "semh_details", "objectives",
        "safeguarding_chronology", "other_providers", "child_protection_policy",
        "additional_risk_of_harm", "raise_concerns_with_dsl", at_least=1)},
    "learning_plan": {"placement_id": PLACEMENT, "agreed_on": DAY, "includes": sub(
        "objectives", "timeframes", "transition_arrangements", "assessment_arrangements",
        "baseline", "ehc_plan_link", "qualifications"), "pupil_involved": B,
        "pupil_told_reasons_and_outcome": B},
    "visit": {"placement_id": PLACEMENT, "visited_on": DAY, "form": st.sampled_from(
        ["visit", "meeting"]), "by": st.sampled_from(["ap_lead", "other_staff"])},
    "fsm_arrangement": {"placement_id": PLACEMENT, "arranged_on": DAY, "provision":
        st.sampled_from(["meals", "vouchers", "food"])},
    "absence": {"placement_id": PLACEMENT, "absent_on": DAY, "provider_reported_on":
        Opt(After("absent_on", 5)), "parents_contacted_on": Opt(After("absent_on", 5))},
    "attendance_update": {"placement_id": PLACEMENT, "updated_on": DAY, "attendance_percent":
        st.sampled_from([40.0, 89.5, 90.0, 100.0]), "shared_with": sub("ap_lead",
        "headteacher")},
    "attendance_intervention": {"placement_id": PLACEMENT, "started_on": DAY},
    "provider_report": {"placement_id": PLACEMENT, "received_on": DAY, "covers": sub(
        "progress", "behaviour", "welfare")},
    "serious_incident": {"placement_id": PLACEMENT, "occurred_on": DAY, "school_informed_on":
        Opt(After("occurred_on", 3)), "action_decided_on": Opt(After("occurred_on", 5)),
        "decided_with": sub("slt", "headteacher")},
    "safeguarding_concern": {"placement_id": PLACEMENT, "raised_on": DAY, "resolved_on":
        Opt(After("raised_on"))},
    "ehc_plan_review": {"held_on": DAY, "provider_contributions": Ref("providers")},
    "return_to_school": {"placement_id": PLACEMENT, "returns_on": DAY},
    "reintegration_plan": {"placement_id": PLACEMENT, "agreed_on": DAY,
        "developed_with_provider": B},
    "final_report": {"placement_id": PLACEMENT, "received_on": DAY, "covers": sub(
        "attainment_and_progress", "attendance", "behaviour_change")},
    "pupil_views": {"placement_id": PLACEMENT, "heard_on": DAY, "by_headteacher": B},
    "reintegration_meeting": {"placement_id": PLACEMENT, "held_on": DAY,
        "strategy_communicated": B, "parents_attended": B},
    "placement_record": {"placement_id": PLACEMENT, "recorded_on": DAY, "includes": sub(
        "progress", "achievements", "destination", "pupil_assessment")},
    "la_contacted": {"placement_id": PLACEMENT, "contacted_on": DAY},
    "part_time_timetable": {"starts_on": DAY, "ends_on": Opt(After("starts_on", 60)),
        "reason": st.sampled_from(["medical", "reintegration", "managing_behaviour", "other"]),
        "review_every_weeks": Opt(st.integers(1, 6)), "absence_code": Opt(
        st.sampled_from(["C2", "other"]))},
    "timetable_review": {"timetable_id": Ref("timetable"), "reviewed_on": DAY,
        "with_pupil_and_parents": B},
}  # fmt: skip
"""Every event kind but the exclusions (drawn first, so that others can name them)."""


def _fill(
    draw: Callable[..., Any],
    spec: dict[str, Any],
    ids: dict[str, list[str]],
    out: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """`out` with the fields of `spec` drawn, in order (an `After` names an earlier field)."""
    out = dict(out or {})
    for field, what in spec.items():
        if isinstance(what, Opt):
            if draw(st.booleans()):
                continue
            what = what.spec
        if isinstance(what, Ref):
            if what.kind == "providers":  # a list of them
                known = ids["provider"]
                out[field] = draw(st.lists(st.sampled_from(known), unique=True)) if known else []
                continue
            out[field] = draw(st.sampled_from(ids[what.kind]))
        elif isinstance(what, After):
            out[field] = min(LAST, out[what.field] + timedelta(draw(st.integers(0, what.days))))
        else:
            out[field] = draw(what)
    return out


def _needs(spec: dict[str, Any]) -> set[str]:
    return {
        w.kind
        for w in spec.values()
        if isinstance(w, Ref) and w.kind != "providers"  # an empty list is fine
    }


@st.composite
def cases(draw: Callable[..., Any]) -> Case:
    """A valid case on the example calendar: a pupil, 0-3 providers, 0-3 placements (starting
    on a school day; an off-site direction decided on or before it) and 0-15 events."""
    pupil = {
        "year_group": draw(st.sampled_from([0, 3, 7, 9, 10, 11, 11, 12, 14])),
        **{
            flag: draw(B)
            for flag in (
                "looked_after",
                "ehc_plan",
                "send",
                "semh_needs",
                "fsm_eligible",
                "social_worker",
                "disabled",
                "pastoral_support_programme",
            )
        },
        "registered_at_school": draw(st.sampled_from([True, True, True, False])),
        "other_agencies": draw(sub("mental_health", "early_help", "police")),
    }
    exams = draw(st.sampled_from([None, [], [date(2026, 5, 20)], [date(2025, 12, 1)]]))
    if exams is not None:
        pupil["exam_entries"] = [{"subject": "Maths", "last_paper_on": d} for d in exams]
    ids: dict[str, list[str]] = {"provider": [], "placement": [], "exclusion": [], "timetable": []}
    providers = []
    for i in range(draw(st.integers(0, 3))):
        provider = {
            "id": f"PRV-{i}",
            "name": "P",
            "kind": draw(st.sampled_from(get_args(ProviderKind))),
            "on_la_approved_list": draw(st.sampled_from([None, True, False])),
            "addresses": draw(
                st.sampled_from([[], [{"lines": ["1 Road"], "postcode": "RV1 2AB"}]])
            ),
            "full_time_pupils": draw(st.sampled_from([None, 0, 4, 6])),
        }
        providers.append(provider)
        ids["provider"].append(provider["id"])
    events: list[dict[str, Any]] = []
    budget = draw(st.integers(0, 15))
    for i in range(draw(st.integers(0, min(2, budget)))):
        first_day = draw(SCHOOL_DAY)
        if draw(st.integers(0, 4)):
            events.append(
                {
                    "kind": "suspension",
                    "id": f"SUS-{i}",
                    "first_day": first_day,
                    "school_days": draw(st.integers(1, 8)),
                }
            )
        else:
            events.append({"kind": "permanent_exclusion", "id": f"SUS-{i}", "first_day": first_day})
        ids["exclusion"].append(f"SUS-{i}")
    placements = []
    for i in range(draw(st.integers(0, 3))):
        start = draw(SCHOOL_DAY)
        kind = draw(st.sampled_from(get_args(PlacementKind)))
        placement: dict[str, Any] = {
            "id": f"PL-{i}",
            "kind": kind,
            "start_date": start,
            "full_time": draw(B),
        }
        if kind == "off_site_direction" or draw(B):
            placement["arranged_on"] = max(FIRST, start - timedelta(draw(st.integers(0, 20))))
        spec: dict[str, Any] = {
            "end_date": Opt(After("start_date", 120)),
            "session_times": Opt(SESSION_TIMES),
            "address": Opt(TEXT),
            "report_to": Opt(TEXT),
            "arranged_by": st.sampled_from(["school", "school", "local_authority"]),
            "dual_registered_on": Opt(After("start_date", 5)),
            "attendance_code": Opt(st.sampled_from(["B", "D", "K", "/"])),
            "sessions_per_week": Opt(st.integers(1, 10)),
        }
        if ids["provider"]:
            spec["provider_id"] = Opt(Ref("provider"))
        if ids["exclusion"]:
            spec["for_exclusion"] = Opt(EXCLUSION)
        placement = _fill(draw, spec, ids, placement)
        placements.append(placement)
        ids["placement"].append(placement["id"])
    for i in range(budget - len(events)):
        kinds = [k for k, spec in EVENTS.items() if all(ids[n] for n in _needs(spec))]
        kind = draw(st.sampled_from(kinds))
        item = {"kind": kind, "id": f"EV-{i}", **_fill(draw, EVENTS[kind], ids)}
        events.append(item)
        if kind == "part_time_timetable":
            ids["timetable"].append(item["id"])
    payload = {
        "case_id": "GEN",
        "pupil": pupil,
        "providers": providers,
        "placements": placements,
        "events": events,
    }
    return Case.model_validate_json(json.dumps(payload, default=lambda v: v.isoformat()))


def _random_case_checked(case: Case, as_of: date, gaps: bool, flipped: bool) -> None:
    result = assert_same(case, as_of, FLIPPED if flipped else None, gaps=gaps)
    found = f"ok, {min(len(result[1]) // 20 * 20, 100)}+ findings" if result[0] == "ok" else ""
    event(found or result[0])


RANDOM = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}


@settings(max_examples=600, **RANDOM)
@given(case=cases(), as_of=DAY, gaps=st.booleans(), flipped=st.booleans())
def test_random_cases_give_identical_findings(case, as_of, gaps, flipped):
    _random_case_checked(case, as_of, gaps, flipped)


@pytest.mark.slow
@settings(max_examples=1500, **RANDOM)
@given(case=cases(), as_of=DAY, gaps=st.booleans(), flipped=st.booleans())
def test_thousands_more_random_cases_give_identical_findings(case, as_of, gaps, flipped):
    _random_case_checked(case, as_of, gaps, flipped)


# --- rule books of our own: the split, and both engines firing alike ---------------------------

RULE = {
    "clause": "I.6",
    "says": "the LA may review the plan",
    "kind": "permission",
    "duty_holder": "local_authority",
    "action": "may review the plan",
}
"""The fixed part of a test rule: a real clause, quoted verbatim (the loader checks both); a
permission takes no deadline and nothing meets it, so the rule is its conditions."""
RULE_FILE = "I-test.yaml"


def rule_file(*rules: dict[str, Any]) -> str:
    """The YAML text of a rule file of section I holding `rules` (each its `when`, and its
    `unless` if any), with ids I.6-r0, I.6-r1, … in order."""
    body = [{"id": f"I.6-r{i}", **RULE, **r} for i, r in enumerate(rules)]
    return yaml.safe_dump({"section": "I", "title": "Test rules", "rules": body}, sort_keys=False)


def rule_book(*rules: dict[str, Any]) -> RuleBook:
    """The rule book of one such file, loaded from disk as any rule file is: parsed into the
    condition tree, typed and checked (the bundled vocabulary of terms included)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / RULE_FILE
        path.write_text(rule_file(*rules), encoding="utf-8")
        return load_rulebook([path])


def when(conditions: dict[str, Any], unless: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"when": conditions} if unless is None else {"when": conditions, "unless": unless}


AS_OF = date(2025, 10, 23)
"""The evaluation date of the hand-made and random facts (`{ref: as_of}`)."""
CONTEXT = Context(CAL, AS_OF)
TEXTS = ("F0", "F1", "F2", "x")
"""Text values of random facts; fact ids among them, so that joins on ids hold."""
DATES = (
    date(2025, 8, 29),  # before the calendar: its school days cannot be counted
    FIRST,
    date(2025, 10, 16),
    date(2025, 10, 23),
    date(2025, 10, 31),
    LAST,
    date(2026, 8, 3),  # after it
)
MOMENTS = (datetime(2025, 10, 16, 9, 0), datetime(2025, 10, 16, 16, 30), datetime(2025, 10, 31, 9))


def _may_be_none(fact: type[EngineFact], name: str) -> bool:
    return type(None) in get_args(fact.model_fields[name].annotation)


def make_fact(type_name: str, fact_id: str, **values: Any) -> EngineFact:
    """A fact of `type_name` with the given fields, every other at a plain default: None where
    the field may be None, else false, 0, its first choice, "x", the calendar's first day."""
    cls = FACT_TYPES[type_name]
    fields: dict[str, Any] = {}
    for name in cls.model_fields:
        if name == "id":
            continue
        typed = field_type(cls, name)
        if typed is None:  # a tuple of ids, or a structured detail (a timetable)
            default: Any = None if _may_be_none(cls, name) else ()
        elif _may_be_none(cls, name):
            default = None
        elif typed.choices:
            default = typed.choices[0]
        else:
            default = {"bool": False, "int": 0, "float": 0.0, "str": "x", "date": FIRST}.get(
                typed.name, MOMENTS[0]
            )
        fields[name] = values.pop(name, default)
    assert not values, f"{type_name} has no field {sorted(values)}"
    return cls(id=fact_id, **fields)


Shown = tuple[tuple[tuple[str, str], ...], bool, tuple[str, ...]]


def hit(*bound: str, missing: tuple[str, ...] = ()) -> Shown:
    """A firing of the test rule: `alias=id` for each alias in order, and what it lacks (each
    `kind field`: then it is unknown, not known)."""
    return (tuple(tuple(b.split("=")) for b in bound), not missing, tuple(sorted(missing)))  # type: ignore[misc]


def shown(found: Any) -> Any:
    """Firings as `hit` writes them (what is missing without its reason), or the failure."""
    if isinstance(found, str):
        return found
    return [(facts, known, tuple(sorted(f"{m.kind} {m.field}" for m in missing)))
            for _, facts, known, missing in found]  # fmt: skip


def fire_alike(compiled: CompiledRules, facts: list[EngineFact]) -> Any:
    """Both engines' firings of compiled rules over one case: durable-rules' network and the
    residual tests (in a worker of its own, tests/durable_child.py), and the Python evaluator
    of the whole tree. They must be equal, firing by firing, known or unknown with the same
    things missing."""
    durable = durable_firings(compiled, facts, CONTEXT)
    python = firings(PythonEngine(compiled), facts, CONTEXT)
    assert durable == python
    return durable


needs_forkserver = pytest.mark.skipif(
    "forkserver" not in multiprocessing.get_all_start_methods(),
    reason="runs durable-rules in processes forked from a server",
)

RETURN = {"fact": "return_to_school", "where": {"placement": {"ref": "placement.id"}}}
"""A return to school from the rule's placement."""
_RETURNS = [
    make_fact("placement", "P"),
    make_fact("placement", "Q"),
    make_fact("return_to_school", "R1", placement="Q", returns_on=FIRST),
    make_fact("return_to_school", "R2", placement="X", returns_on=FIRST),
]
ORDERS = [
    ("the return first", [_RETURNS[2], _RETURNS[3], _RETURNS[0], _RETURNS[1]]),
    ("the return last", [_RETURNS[0], _RETURNS[1], _RETURNS[3], _RETURNS[2]]),
    ("the return between", [_RETURNS[0], _RETURNS[2], _RETURNS[1], _RETURNS[3]]),
]
"""The same facts in three orders: durable-rules' none() would depend on it (ENGINE-NOTES)."""
HOLDS = {"eq": False, "ne": True, "gt": True, "gte": True, "lt": False, "lte": False}
"""4 op 3."""
PL = "placement=P"
EX = "exclusion=E"
SIXTH = CAL.nth_school_day(date(2025, 10, 16), 6)
"""The sixth school day of an exclusion from 16 October (after half term)."""
UNRECORDED = "provider_full_time_pupils_with_this"
NEEDS = "not_recorded provider.full_time_pupils"
"""What a finding waits for when it is not recorded: the case's field that gives it."""
"""The one field whose absence is unknown (`Unrecorded`), not none."""
JOIN_EARLIER = {
    "a": {"fact": "placement"},
    "b": {"fact": "placement", "provider": {"ref": "a.provider"}},
}
JOIN_LATER = {
    "a": {"fact": "placement", "provider": {"ref": "b.provider"}},
    "b": {"fact": "placement"},
}
SEMANTICS: list[tuple[str, dict[str, Any], list[EngineFact], Any]] = [
    *((f"{op} 3 on a missing number", when({"placement": {"sessions_per_week": {op: 3}}}),
       [make_fact("placement", "P")], []) for op in HOLDS),
    *((f"4 {op} 3", when({"placement": {"sessions_per_week": {op: 3}}}),
       [make_fact("placement", "P", sessions_per_week=4)], [hit(PL)] if holds else [])
      for op, holds in HOLDS.items()),
    *((f"exists: {present} on a {'present' if value else 'missing'} field",
       when({"placement": {"sessions_per_week": {"exists": present}}}),
       [make_fact("placement", "P", sessions_per_week=value)],
       [hit(PL)] if present == (value is not None) else [])
      for present in (True, False) for value in (None, 0)),
    ("text compares in code-point order", when({"placement": {"provider": {"gt": "F0"}}}),
     [make_fact("placement", "P", provider="F1"), make_fact("placement", "Q", provider="E9")],
     [hit(PL)]),
    ("an equality join with an earlier fact", when({"exclusion": "any", "placement": {
        "exclusion": {"ref": "exclusion.id"}}}),
     [make_fact("exclusion", "E"), make_fact("exclusion", "E2"),
      make_fact("placement", "P", exclusion="E")], [hit(EX, PL)]),
    ("an equality join on the other fact's missing field",
     when(JOIN_EARLIER),
     [make_fact("placement", "P"), make_fact("placement", "Q", provider="X")],
     []),
    ("an equality join with both fields missing is false",
     when(JOIN_EARLIER),
     [make_fact("placement", "P"), make_fact("placement", "Q")], []),
    ("an equality join with a fact listed later", when(JOIN_LATER),
     [make_fact("placement", "P", provider="X"), make_fact("placement", "Q", provider="X")],
     [hit("a=P", "b=Q"), hit("a=Q", "b=P")]),
    *((f"a join, 4 {op} 3", when({"exclusion": "any", "placement": {
        "sessions_per_week": {op: {"ref": "exclusion.school_days"}}}}),
       [make_fact("exclusion", "E", school_days=3),
        make_fact("placement", "P", sessions_per_week=4)],
       [hit(EX, PL)] if holds else []) for op, holds in HOLDS.items()),
    ("a greater-than join on the other fact's missing field (durable-rules failed the case)",
     when({"exclusion": "any", "placement": {
         "sessions_per_week": {"gt": {"ref": "exclusion.school_days"}}}}),
     [make_fact("exclusion", "E"), make_fact("placement", "P", sessions_per_week=4)], []),
    ("a join inside any_of on a missing field (durable-rules failed the case)",
     when({"a": {"fact": "placement"}, "b": {"fact": "placement", "any_of": [
         {"provider": {"ref": "a.provider"}}, {"full_time": True}]}}),
     [make_fact("placement", "P"), make_fact("placement", "Q", provider="X", full_time=True)],
     [hit("a=P", "b=Q")]),
    ("a date against a constant", when({"placement": {"start_date": {"gte": date(2025, 10, 23)}}}),
     [make_fact("placement", "P", start_date=date(2025, 10, 23)),
      make_fact("placement", "Q", start_date=date(2025, 10, 16))], [hit(PL)]),
    ("a date against the sixth school day, counted on the calendar",
     when({"exclusion": "any", "placement": {
         "exclusion": {"ref": "exclusion.id"},
         "start_date": {"lte": {"ref": "exclusion.sixth_school_day"}}}}),
     [make_fact("exclusion", "E", first_day=date(2025, 10, 16),
                sixth_day_counted_from=date(2025, 10, 16)),
      make_fact("placement", "P", exclusion="E", start_date=SIXTH),
      make_fact("placement", "Q", exclusion="E", start_date=SIXTH + timedelta(1))],
     [hit(EX, PL)]),
    ("a school day the calendar cannot count is unknown",
     when({"exclusion": {"sixth_school_day": {"gte": FIRST}}}),
     [make_fact("exclusion", "E", first_day=date(2025, 8, 29),
                sixth_day_counted_from=date(2025, 8, 29))],
     [hit(EX, missing=("outside_calendar sixth_day_counted_from",))]),
    *((f"an unrecorded number, {value}", when({"placement": {UNRECORDED: {"gt": 5}}}),
       [make_fact("placement", "P", **{UNRECORDED: value})], expected)
      for value, expected in ((None, [hit(PL, missing=(NEEDS,))]),
                              (6, [hit(PL)]), (5, []))),
    ("unless an unrecorded number: unknown",
     when({"placement": {"full_time": True}}, unless={"placement": {UNRECORDED: {"gt": 5}}}),
     [make_fact("placement", "P", full_time=True)],
     [hit(PL, missing=(NEEDS,))]),
    ("unless", when({"placement": "any"}, unless={"placement": {"full_time": True}}),
     [make_fact("placement", "P"), make_fact("placement", "Q", full_time=True)], [hit(PL)]),
    ("not", when({"placement": {"not": {"full_time": True, "kind": "medical"}}}),
     [make_fact("placement", "P", full_time=True),
      make_fact("placement", "Q", full_time=True, kind="medical")], [hit(PL)]),
    *((f"a named condition, {expected}", when({"placement": {"school_commissioned": expected}}),
       [make_fact("placement", "P", arranged_by="school", kind="other"),
        make_fact("placement", "Q", arranged_by="school", kind="in_school_unit")],
       [hit(PL if expected else "placement=Q")]) for expected in (True, False)),
    ("two aliases take two distinct facts, in both orders",
     when({"a": {"fact": "placement"}, "b": {"fact": "placement"}}),
     [make_fact("placement", "P"), make_fact("placement", "Q")],
     [hit("a=P", "b=Q"), hit("a=Q", "b=P")]),
    ("a fact of a type no rule names is no failure", when({"placement": "any"}),
     [make_fact("placement", "P"), make_fact("pupil", "U")], [hit(PL)]),
    ("two facts with one id fail the case", when({"placement": "any"}),
     [make_fact("placement", "P"), make_fact("exclusion", "P")], "error"),
    *((f"exists, {order}", when({"placement": {"exists": RETURN}}), facts, [hit("placement=Q")])
      for order, facts in ORDERS),
    *((f"not_exists, {order}", when({"placement": {"not_exists": RETURN}}), facts, [hit(PL)])
      for order, facts in ORDERS),
    ("exists among facts of the rule's own type (itself excluded by its test)",
     when({"placement": {"exists": {"fact": "placement", "where": {
         "id": {"ne": {"ref": "placement.id"}}, UNRECORDED: {"gte": 5}}}}}),
     [make_fact("placement", "P", **{UNRECORDED: 6}), make_fact("placement", "Q")],
     [hit("placement=P", missing=(NEEDS,)), hit("placement=Q")]),
    ("exists joined with two of the rule's facts",
     when({"exclusion": "any", "placement": {"exclusion": {"ref": "exclusion.id"}, "exists": {
         "fact": "return_to_school", "where": {
             "placement": {"ref": "placement.id"},
             "returns_on": {"gt": {"ref": "exclusion.first_day"}}}}}}),
     [make_fact("exclusion", "E", first_day=date(2025, 10, 16)),
      make_fact("placement", "P", exclusion="E"), make_fact("placement", "Q", exclusion="E"),
      make_fact("return_to_school", "R1", placement="P", returns_on=date(2025, 10, 23)),
      make_fact("return_to_school", "R2", placement="Q", returns_on=date(2025, 10, 16))],
     [hit(EX, PL)]),
    *((f"starting {start} the evaluation date",
       when({"placement": {"start_date": {"lte": {"ref": "as_of"}}}}),
       [make_fact("placement", "P", start_date=day)], expected)
      for start, day, expected in (("on", AS_OF, [hit(PL)]),
                                   ("the day after", AS_OF + timedelta(1), []))),
]  # fmt: skip


@needs_forkserver
@pytest.mark.parametrize(
    ("rule", "facts", "expected"),
    [case[1:] for case in SEMANTICS],
    ids=[case[0] for case in SEMANTICS],
)
def test_both_engines_read_rule_conditions_alike(rule, facts, expected):
    """Hand-written conditions over hand-made facts, on both engines: missing fields under
    every operator, joins (equality in the network; the rest, and joins in groups, in Python
    where durable-rules used to fail the case or misread memory), dates and calendar terms,
    unrecorded fields (unknown, naming what is missing), `unless`, `not`, distinct facts,
    existence tests with the same facts in three orders, and the evaluation date."""
    assert shown(fire_alike(compile_rulebook(rule_book(rule)), facts)) == expected


# random rule books over real fact types, and random facts


def _fields(type_name: str) -> dict[str, Type]:
    """The fields of a fact type a condition can test, with their types."""
    cls = FACT_TYPES[type_name]
    return {n: t for n in cls.model_fields if (t := field_type(cls, n)) is not None}


BUNDLED_TERMS = load_rulebook().terms


def _named_values(type_name: str) -> dict[str, Type]:
    """The named values of a fact type (rules/terms.yaml), with their types."""
    return {
        d.name: Parser({d.of: d.of}, BUNDLED_TERMS).term_value(d.of, d, d.name)[1]
        for (of, _), d in BUNDLED_TERMS.items()
        if of == type_name and d.is_value
    }


def _named_conditions(type_name: str) -> list[str]:
    return [d.name for (of, _), d in BUNDLED_TERMS.items() if of == type_name and not d.is_value]


def values_of(typed: Type) -> Any:
    if typed.choices:
        return st.sampled_from(typed.choices)
    return {
        "bool": st.booleans(),
        "int": st.integers(0, 5),
        "float": st.sampled_from((0.0, 89.5, 90.0, 100.0)),
        "str": st.sampled_from(TEXTS),
        "date": st.sampled_from(DATES),
        "datetime": st.sampled_from(MOMENTS),
    }[typed.name]


ORDERED = ("int", "float", "str", "date", "datetime")


Vocabulary = dict[str, dict[str, Type | None]]
"""Per fact type, the fields and named terms one example's rules test: a field or named value
with its type, a named condition with None."""


@st.composite
def vocabularies(draw: Callable[..., Any], types: list[str]) -> Vocabulary:
    """For each fact type, its id, 1-5 of its other fields and one that may be None, its
    `Unrecorded` fields and its named terms: a few, so that an example's tests and joins meet
    on the same fields. Half the time only fields durable-rules compares (bool, number, text)
    and named conditions, so that many rules go to the network whole."""
    network_only = draw(st.booleans())
    out: Vocabulary = {}
    for type_name in types:
        fields = _fields(type_name)
        names = [
            n for n, t in fields.items() if not network_only or t.name in ("bool", "int", "str")
        ]
        chosen = draw(st.lists(st.sampled_from(sorted(names)), min_size=1, max_size=5, unique=True))
        cls = FACT_TYPES[type_name]
        unrecorded = sorted(cls.unrecorded_fields())
        optional = sorted(n for n in names if _may_be_none(cls, n))  # where joins went wrong
        chosen += [draw(st.sampled_from(optional))] if optional else []
        out[type_name] = {n: fields[n] for n in ("id", *chosen, *unrecorded)}
        out[type_name] |= {} if network_only else _named_values(type_name)
        out[type_name] |= dict.fromkeys(_named_conditions(type_name))
    return out


def _absent_sometimes(scope: dict[str, str], ref: str) -> bool:
    """Whether `alias.name` is a field that may be None (absent from durable-rules' facts)."""
    alias, name = ref.split(".")
    cls = FACT_TYPES[scope[alias]]
    return name in cls.model_fields and _may_be_none(cls, name)


@st.composite
def value_tests(
    draw: Callable[..., Any],
    typed: Type,
    alias: str,
    scope: dict[str, str],
    vocab: Vocabulary,
    field: bool,
) -> Any:
    """A test of a field or named value of `alias`'s fact of type `typed`, as written in YAML:
    a constant, a comparison with one, `exists` (of a field), or a comparison with a field or
    named value of the same type of any fact in scope (a join; the loader allows each of these),
    often of a fact listed before `alias` (the joins durable-rules may take)."""
    ops = ["eq", "ne"] + (
        ["gt", "gte", "lt", "lte"] if typed.name in ORDERED and not typed.choices else []
    )
    refs = [
        f"{alias}.{name}"
        for alias, type_name in scope.items()
        for name, other in vocab[type_name].items()
        if other is not None
        and other.name == typed.name
        and REF.match(f"{alias}.{name}")  # no digits: see REF
    ]
    dated = refs + ["as_of"] * (typed.name == "date")  # the evaluation date, a date
    forms = ["constant", "compare"] + ["exists"] * field
    forms += ["join", "join", "compare join"] * bool(dated)
    form, op = draw(st.sampled_from(forms)), draw(st.sampled_from(ops))
    if form == "constant":
        return draw(values_of(typed))
    if form == "compare":
        return {op: draw(values_of(typed))}
    if form == "exists":
        return {"exists": draw(st.booleans())}
    order = list(scope)
    earlier = [r for r in refs if order.index(r.split(".")[0]) < order.index(alias)]
    missing = [r for r in earlier if _absent_sometimes(scope, r)]
    ref = {
        "ref": draw(
            st.sampled_from(draw(st.sampled_from([dated, earlier or dated, missing or dated])))
        )
    }
    return ref if form == "join" else {op: ref}


@st.composite
def fact_tests(
    draw: Callable[..., Any],
    alias: str,
    scope: dict[str, str],
    vocab: Vocabulary,
    depth: int,
    at_least: int = 1,
) -> dict[str, Any]:
    """0-3 tests of `alias`'s fact: of its fields and named terms in `vocab`, and (`depth`
    levels deep) any_of (up to 10 sets, so some exceed what the network takes), all_of, not,
    and existence tests (`exists`, `not_exists`) of a fact of any type in `vocab`, whose tests
    may refer to every fact in scope."""
    type_name = scope[alias]
    model = FACT_TYPES[type_name].model_fields
    fields = {n: t for n, t in vocab[type_name].items() if n in model and t is not None}
    terms = {n: t for n, t in vocab[type_name].items() if n not in model}
    kinds = ["field"] * 3 + ["term"] * bool(terms) + ["group", "existence"] * bool(depth)
    out: dict[str, Any] = {}
    for _ in range(draw(st.integers(at_least, 3))):
        kind = draw(st.sampled_from(kinds))
        if kind == "field":
            name = draw(st.sampled_from(sorted(fields)))
            out[name] = draw(value_tests(fields[name], alias, scope, vocab, True))
        elif kind == "term":
            name = draw(st.sampled_from(sorted(terms)))
            typed = terms[name]
            out[name] = draw(B if typed is None else value_tests(typed, alias, scope, vocab, False))
        elif kind == "existence":
            fact = draw(st.sampled_from(sorted(vocab)))
            # the candidate's alias: not a reference any test can name (no `~` in REF)
            where = draw(fact_tests("c~", {**scope, "c~": fact}, vocab, depth - 1, at_least=0))
            out[draw(st.sampled_from(["exists", "not_exists"]))] = {"fact": fact} | (
                {"where": where} if where else {}
            )
        else:
            name = draw(st.sampled_from(["any_of", "all_of", "not"]))
            if name == "not":
                out[name] = draw(fact_tests(alias, scope, vocab, depth - 1))
            else:
                size = draw(st.sampled_from([3, 3, 10] if name == "any_of" else [3]))
                sets = fact_tests(alias, scope, vocab, depth - 1)
                out[name] = draw(st.lists(sets, min_size=2, max_size=size))
    return out


FACT_TYPE = st.one_of(
    st.sampled_from(["placement", "exclusion"]), st.sampled_from(sorted(FACT_TYPES))
)
"""Placements and exclusions often (they have the named terms), any fact type else."""


@st.composite
def rule_books(draw: Callable[..., Any]) -> tuple[list[dict[str, Any]], list[EngineFact]]:
    """1-3 rules of 1-3 facts each over one or two fact types (any of them), with random
    tests of a few of their fields and, one time in four, an `unless`; and 1-5 facts of those
    types, every field drawn (None often where it may be None; dates in and outside the
    calendar)."""
    types = draw(st.lists(FACT_TYPE, min_size=1, max_size=2, unique=True))
    vocab = draw(vocabularies(types))
    rules = []
    for _ in range(draw(st.integers(1, 3))):
        scope = {alias: draw(st.sampled_from(types)) for alias in "abc"[: draw(st.integers(1, 3))]}
        rule = when(
            {
                a: {"fact": t, **draw(fact_tests(a, scope, vocab, 2, at_least=0))}
                for a, t in scope.items()
            }
        )
        if draw(st.integers(0, 3)) == 0:
            aliases = draw(
                st.lists(st.sampled_from(sorted(scope)), min_size=1, max_size=2, unique=True)
            )
            rule["unless"] = {a: draw(fact_tests(a, scope, vocab, 1)) for a in aliases}
        rules.append(rule)
    facts = []
    for i in range(draw(st.integers(1, 5))):
        cls = FACT_TYPES[draw(st.sampled_from(types))]
        fields: dict[str, Any] = {}
        for name, typed in _fields(cls.type_name).items():
            if name != "id":
                none = _may_be_none(cls, name) and draw(st.integers(0, 2)) == 0
                fields[name] = None if none else draw(values_of(typed))
        lists = {  # tuples of ids; a structured detail (a timetable): None
            n: None if _may_be_none(cls, n) else ()
            for n in cls.model_fields
            if n != "id" and n not in fields
        }
        facts.append(cls(id=f"F{i}", **fields, **lists))
    return rules, facts


def _nodes(test: Condition) -> list[Condition]:
    """The test and every condition inside it."""
    nodes = [test]
    for node in nodes:
        nodes += children(node)
    return nodes


def _is_join_node(node: Condition) -> bool:
    return isinstance(node, Compare) and isinstance(node.right, Field)


def _random_rules_checked(rules: list[dict[str, Any]], facts: list[EngineFact]) -> None:
    compiled = compile_rulebook(rule_book(*rules))
    found = fire_alike(compiled, facts)
    assert found not in ("error", "crash")
    event("fired" if found else "no firing")
    if any(not known for _, _, known, _ in found):
        event("an unknown firing")
    for rule in compiled.engine_rules.values():
        network, residual = split(rule.conditions)
        if any(_is_join_node(t) for _, tests in network for t in tests):
            event("a join in the network")
        if any(_is_join_node(n) for t in residual for n in _nodes(t)[1:]):
            event("a join inside a group, in Python")
        if residual:
            event("residual tests")
        if any(existence_tests(t) for t in rule.conditions.conjuncts()):
            event("an existence test")


RANDOM_RULES = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}


@needs_forkserver
@settings(max_examples=300, **RANDOM_RULES)
@given(book=rule_books())
def test_random_rules_fire_alike_on_both_engines(book):
    """Random rule files, as the loader accepts them, over random facts of real fact types:
    durable-rules' network with the residual tests in Python gives exactly the Python
    evaluator's firings (known or unknown, with what is missing), and never fails or crashes."""
    _random_rules_checked(*book)


@pytest.mark.slow
@needs_forkserver
@settings(max_examples=3000, **RANDOM_RULES)
@given(book=rule_books())
def test_thousands_more_random_rules_fire_alike_on_both_engines(book):
    _random_rules_checked(*book)


# what durable-rules is sent, and what runs in Python


def _sound(fact: type[EngineFact], name: str) -> Type | None:
    """The type of a field durable-rules compares soundly: a bool, whole number or text whose
    absence means none (not `Unrecorded`); else None."""
    typed = field_type(fact, name) if name in fact.model_fields else None
    if typed is None or typed.name not in ("bool", "int", "str"):
        return None
    return None if name in fact.unrecorded_fields() else typed


def _is_join(item: dict[str, Any]) -> bool:
    ((key, value),) = item.items()
    return not key.startswith("$") and isinstance(value, dict)


def _leaf_count(item: dict[str, Any]) -> int:
    ((key, value),) = item.items()
    return sum(map(_leaf_count, value)) if key in ("$and", "$or") else 1


def _constant_errors(item: dict[str, Any], fact: type[EngineFact], where: str) -> list[str]:
    """What is wrong with a network test of `fact` other than a join: a group too large or
    holding a join, an operator durable-rules has no sound reading of, a field it cannot
    compare, a constant not of the field's type (a date is never one)."""
    ((key, value),) = item.items()
    if key in ("$and", "$or"):
        errors = [f"{where}: {key} of {len(value)} sets"] * (
            key == "$or" and len(value) > MAX_NETWORK_OPTIONS
        )
        errors += [f"{where}: {_leaf_count(item)} tests in one group"] * (
            _leaf_count(item) > MAX_NETWORK_LEAVES
        )
        for option in value:
            if _is_join(option):
                errors.append(f"{where}: a join inside {key}")
            else:
                errors += _constant_errors(option, fact, where)
        return errors
    if key in ("$ex", "$nex"):
        ((name, _),) = value.items()
        return [] if _sound(fact, name) else [f"{where}: {key} of {name}"]
    if key.startswith("$"):
        if key not in ("$neq", "$gt", "$gte", "$lt", "$lte"):
            return [f"{where}: operator {key}"]
        ((name, constant),) = value.items()
    else:
        name, constant = key, value
    typed = _sound(fact, name)
    if typed is None:
        return [f"{where}: {name} is not a field durable-rules compares soundly"]
    kind = {"bool": bool, "int": int, "str": str}[typed.name]
    if type(constant) is not kind or (typed.choices and constant not in typed.choices):
        return [f"{where}: {name} compared with {constant!r}"]
    return []


def network_errors(compiled: CompiledRules) -> list[str]:
    """Every network condition not of the shapes durable-rules evaluates soundly: per alias,
    its type, then equality joins `{field: {alias: field}}` with an alias listed earlier (the
    only joins; durable-rules looks them up by hash only while they come first), then tests of
    its own fields against constants of their type, `exists`, and bounded groups of these."""
    errors = []
    for name, body in compiled.definition.items():
        if name == CATCH_ALL:
            continue
        rule = compiled.engine_rules[name]
        types = {p.alias: FACT_TYPES[p.fact_type] for p in rule.conditions.patterns}
        assert [next(iter(e)) for e in body["all"]] == list(types), rule.rule_id
        earlier: list[str] = []
        for entry in body["all"]:
            ((alias, condition),) = entry.items()
            where = f"{rule.rule_id} {alias}"
            first, *items = condition["$and"]
            assert first == {"t": types[alias].type_name}, where
            joins_over = False
            for item in items:
                if not _is_join(item):
                    joins_over = True
                    errors += _constant_errors(item, types[alias], where)
                    continue
                ((field, ref),) = item.items()
                ((other, other_field),) = ref.items()
                mine = _sound(types[alias], field)
                theirs = _sound(types[other], other_field) if other in earlier else None
                if joins_over or mine is None or theirs is None or mine.name != theirs.name:
                    errors.append(f"{where}: join {item}")
            earlier.append(alias)
    return errors


def _python_only(test: Condition, alias: str, earlier: set[str], types: dict[str, Any]) -> str:
    """Why durable-rules cannot evaluate a top-level test of `alias`'s fact as the tree means
    it ("" where it can): written independently of the compiler, from ENGINE-NOTES.md."""
    nodes = _nodes(test)
    if any(isinstance(n, (Term, Not)) for n in nodes) or any(
        isinstance(e, (TermValue, Call, EvaluationDate)) for e in expressions(test)
    ):
        return "a named term or a negation"
    if any(isinstance(n, Exists) for n in nodes):
        return "an existence test"
    read = list(fields_read(test))
    if any(field_type(types[f.alias], f.name).name in ("date", "datetime") for f in read):  # type: ignore[union-attr]
        return "a date"
    if any(f.name in types[f.alias].unrecorded_fields() for f in read):
        return "an unrecorded field"
    joins = [n for n in nodes if _is_join_node(n)]
    if joins and not (
        len(joins) == 1
        and joins[0] is test
        and test.op == "eq"  # type: ignore[union-attr]
        and test.right.alias in earlier  # type: ignore[union-attr]
    ):
        return "a join other than equality with an earlier fact"
    if not joins and any(f.alias != alias for f in read):
        return "a test of another fact's field"
    groups = [n for n in nodes if isinstance(n, AnyOf)]
    if any(len(g.items) > MAX_NETWORK_OPTIONS for g in groups):
        return "a large any_of"
    if isinstance(test, (AllOf, AnyOf)) and any(
        isinstance(n, (AllOf, AnyOf))
        for item in test.items
        for n in (item.items if isinstance(item, AllOf) else (item,))
    ):
        return "a group inside a group (durable-rules fails such shapes: error 113)"
    if isinstance(test, AllOf) and len(test.items) > MAX_NETWORK_OPTIONS:
        return "a large all_of"
    if sum(1 for n in nodes if not isinstance(n, (AllOf, AnyOf))) > MAX_NETWORK_LEAVES:
        return "a large group"
    return ""


def split_errors(compiled: CompiledRules) -> list[str]:
    """Every test of every rule that is not where it belongs: in the residual tests (Python)
    exactly where durable-rules cannot evaluate it (`_python_only`), `unless` always; and
    every conjunct of the tree exactly once in the network or the residual tests."""
    errors = []
    for name, rule in compiled.engine_rules.items():
        conditions = rule.conditions
        types = {p.alias: FACT_TYPES[p.fact_type] for p in conditions.patterns}
        earlier: set[str] = set()
        network_items = 0
        for pattern, entry in zip(
            conditions.patterns, compiled.definition[name]["all"], strict=True
        ):
            network_items += len(entry[pattern.alias]["$and"]) - 1
            grouped = False
            for test in pattern.tests:
                why = _python_only(test, pattern.alias, earlier, types)
                if not why and isinstance(test, (AllOf, AnyOf)):
                    why, grouped = ("a second group" if grouped else ""), True
                residual = any(t is test for t in rule.residual)
                if residual != bool(why):
                    where = "residual" if residual else "network"
                    errors.append(f"{rule.rule_id}: {test} is {where} ({why or 'sound'})")
            earlier.add(pattern.alias)
        if conditions.unless is not None and Not(conditions.unless) not in rule.residual:
            errors.append(f"{rule.rule_id}: unless is not residual")
        if network_items + len(rule.residual) != len(conditions.conjuncts()):
            errors.append(f"{rule.rule_id}: the split lost or doubled a test")
    return errors


@pytest.mark.parametrize("gaps", [False, True], ids=["rules", "rules+gaps"])
def test_the_bundled_rules_send_durable_rules_only_what_it_evaluates_soundly(gaps):
    """The compiled network of the bundled rules holds only the shapes durable-rules evaluates
    soundly (no date, no join but equality with an earlier fact among the first tests, groups
    bounded), and everything else is a residual test run in Python, decided when the rules
    load; nothing is lost in the split."""
    compiled = compile_rulebook(load_rulebook(gaps=gaps))
    assert network_errors(compiled) == []
    assert split_errors(compiled) == []
    assert any(r.residual for r in compiled.engine_rules.values())  # the check has work to do


EIGHT = [{"kind": "medical", "sessions_per_week": n} for n in range(4)] + [
    {"full_time": True, "sessions_per_week": n} for n in range(4)
]
"""Eight sets of two tests: the most a network group takes (16 tests)."""
SPLITS: list[tuple[str, dict[str, Any], list[str]]] = [
    ("constants of bool, number and text, and exists, go to the network",
     when({"placement": {"full_time": True, "kind": "other", "sessions_per_week": {"gt": 2},
                         "provider": {"exists": False}, "exclusion": {"ne": "x"}}}), []),
    ("a date compared with a constant", when({"placement": {
        "start_date": {"gte": date(2025, 10, 1)}, "full_time": True}}), ["placement.start_date"]),
    ("a date-time compared with a constant", when({"notice": {
        "sent_at": {"lt": datetime(2025, 10, 1, 17)}}}), ["notice.sent_at"]),
    ("an equality join with an earlier fact goes to the network; a date join does not",
     when({"exclusion": "any", "placement": {"exclusion": {"ref": "exclusion.id"},
                                          "start_date": {"gte": {"ref": "exclusion.first_day"}}}}),
     ["placement.start_date"]),
    *((f"a {op} join", when({"exclusion": "any", "placement": {
        "sessions_per_week": {op: {"ref": "exclusion.school_days"}}}}),
       ["placement.sessions_per_week"]) for op in ("ne", "gt", "gte", "lt", "lte")),
    ("an equality join with a fact listed later",
     when({"placement": {"exclusion": {"ref": "exclusion.id"}}, "exclusion": "any"}),
     ["placement.exclusion"]),
    ("a join of a fact with itself",
     when({"placement": {"provider": {"ref": "placement.exclusion"}}}),
     ["placement.provider"]),
    *((f"a join inside {group}", when({"exclusion": "any", "placement": {group: [
        {"exclusion": {"ref": "exclusion.id"}}, {"full_time": True}]}}), [f"placement.{group}"])
      for group in ("any_of", "all_of")),
    ("an unless", when({"exclusion": {"permanent": False}},
                       unless={"exclusion": {"pupil_in_final_year": True}}), ["unless"]),
    ("a not", when({"placement": {"not": {"full_time": True}}}), ["placement.not"]),
    ("a named condition", when({"placement": {"school_commissioned": True, "full_time": True}}),
     ["placement.school_commissioned"]),
    ("a named value", when({"exclusion": {"sixth_school_day": {"gte": FIRST}}}),
     ["exclusion.sixth_school_day"]),
    ("an unrecorded field", when({"placement": {UNRECORDED: {"gt": 5}}}),
     [f"placement.{UNRECORDED}"]),
    ("whether an unrecorded field is recorded", when({"placement": {UNRECORDED: {"exists": True}}}),
     [f"placement.{UNRECORDED}"]),
    ("an unrecorded field inside any_of", when({"placement": {"any_of": [
        {UNRECORDED: 5}, {"full_time": True}]}}), ["placement.any_of"]),
    ("an any_of of eight sets of two tests goes to the network",
     when({"placement": {"any_of": EIGHT}}), []),
    ("an any_of of nine sets does not",
     when({"placement": {"any_of": [*EIGHT, {"kind": "other"}]}}),
     ["placement.any_of"]),
    ("an all_of of 17 tests does not", when({"placement": {"all_of": [
        {"any_of": EIGHT}, {"full_time": True}]}}), ["placement.all_of"]),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "expected"), [c[1:] for c in SPLITS], ids=[c[0] for c in SPLITS])
def test_what_durable_rules_cannot_evaluate_is_split_off_when_the_rules_load(rule, expected):
    """Which of a rule's tests (`alias.key` as written, or `unless`) the compiler leaves to
    Python: dates, joins but equality with an earlier fact, joins in groups, `unless` and
    `not`, named terms, unrecorded fields, groups too large for durable-rules. The rest goes
    to durable-rules, in shapes it evaluates soundly."""
    book = rule_book(rule)
    compiled = compile_rulebook(book)
    (engine_rule,) = compiled.engine_rules.values()
    conditions = book.conditions(engine_rule.rule_id)
    residual = []
    for pattern in conditions.patterns:
        written = rule["when"][pattern.alias]
        keys = [k for k in written if k != "fact"] if isinstance(written, dict) else []
        for key, test in zip(keys, pattern.tests, strict=True):
            if any(t is test for t in engine_rule.residual):
                residual.append(f"{pattern.alias}.{key}")
    if conditions.unless is not None and Not(conditions.unless) in engine_rule.residual:
        residual.append("unless")
    assert residual == expected
    assert network_errors(compiled) == []
    assert split_errors(compiled) == []


def test_the_compiler_never_sends_durable_rules_a_join_but_equality():
    """durable-rules 2.0.28 misreads `$lt` and `$lte` joins (under valgrind it reads
    uninitialised memory: tests/test_memory_safety.py; in a used heap, a crash), and fails the
    case where a non-equality join meets a missing field. The compiler sends it none: such a
    join is compared in Python, on the network's matches."""
    for op in ("ne", "gt", "gte", "lt", "lte"):
        rule = when(
            {
                "exclusion": "any",
                "placement": {"sessions_per_week": {op: {"ref": "exclusion.school_days"}}},
            }
        )
        compiled = compile_rulebook(rule_book(rule))
        assert compiled.definition["r0"]["all"] == [
            {"exclusion": {"$and": [{"t": "exclusion"}]}},
            {"placement": {"$and": [{"t": "placement"}]}},
        ]
        (residual,) = compiled.engine_rules["r0"].residual
        assert isinstance(residual, Compare) and residual.op == op


WRONG_TYPES = [
    (when({"exclusion": {"school_days": {"gt": "10"}}}), "when.exclusion.school_days",
     "compares a whole number with text"),
    (when({"exclusion": {"pep_record_after": "Any"}}), "when.exclusion.pep_record_after",
     "'Any' is not one of any_exclusion, permanent_exclusion"),
    (when({"placement": {"full_time": 1}}), "when.placement.full_time",
     "compares true/false with a whole number"),
    (when({"placement": {"start_date": {"gte": 739525}}}), "when.placement.start_date",
     "compares a date with a whole number"),
    (when({"placement": {"full_time": {"gt": False}}}), "when.placement.full_time",
     "gt compares order"),
    (when({"exclusion": "any", "placement": {"start_at": {"gte": {"ref": "exclusion.first_day"}}}}),
     "when.placement.start_at", "compares a datetime with a date"),
    (when({"exclusion": "any"}, unless={"exclusion": {"school_days": "5"}}),
     "unless.exclusion.school_days", "compares a whole number with text"),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "key", "message"), WRONG_TYPES, ids=[w[1] for w in WRONG_TYPES])
def test_a_constant_of_the_wrong_type_is_refused_when_the_rules_load(rule, key, message):
    """durable-rules compares values of different types by their printed form
    (`school_days: {gt: "10"}` held for 7); the loader refuses every comparison of a field with
    a value of another type, or a choice it does not have, naming the file, rule and key."""
    with pytest.raises(RuleFileError) as caught:
        rule_book(rule)
    error = caught.value
    assert (Path(error.file).name, error.rule) == (RULE_FILE, "I.6-r0")
    assert f"{key}: " in str(error) and message in str(error), str(error)


# --- choosing the engine ----------------------------------------------------------------------


def test_the_engine_is_chosen_and_named(example_case, calendar):
    as_of = date(2025, 11, 10)
    for choice, name, kind in (
        ("durable", ENGINE_NAME, NetworkEngine),
        ("python", PYTHON_ENGINE_NAME, PythonEngine),
        ("auto", ENGINE_NAME, NetworkEngine),
    ):
        evaluator = Evaluator(engine=choice)
        assert isinstance(evaluator.engine, kind) and evaluator.engine_name == name
        assert evaluator.evaluate(example_case, as_of=as_of, calendar=calendar).engine == name
        assert evaluate(example_case, as_of=as_of, calendar=calendar, engine=choice).engine == name
    assert evaluate(example_case, as_of=as_of, calendar=calendar).engine == ENGINE_NAME
    with pytest.raises(ValueError, match="engine must be one of auto, durable, python"):
        Evaluator(engine="clips")  # type: ignore[arg-type]


def test_without_durable_rules_auto_falls_back_to_python(monkeypatch, example_case, calendar):
    monkeypatch.setattr(engine_module, "_durable", None)
    monkeypatch.setattr(engine_module, "_IMPORT_ERROR", ImportError("undefined symbol"))
    evaluator = Evaluator()
    assert isinstance(evaluator.engine, PythonEngine)
    assessment = evaluator.evaluate(example_case, as_of=date(2025, 11, 10), calendar=calendar)
    assert assessment.engine == PYTHON_ENGINE_NAME == evaluator.engine_name
    assert (
        assessment.findings
        == shared_evaluator(engine="durable")
        .evaluate(example_case, as_of=date(2025, 11, 10), calendar=calendar)
        .findings
    )
    with pytest.raises(EngineUnavailableError):
        Evaluator(engine="durable")


@pytest.mark.parametrize("command", ["check", "check-many"])
def test_the_command_line_takes_an_engine(command, tmp_path, capsys, example_case_json):
    case = tmp_path / "case.json"
    case.write_text(json.dumps(json.loads(example_case_json)) + "\n", encoding="utf-8")
    calendar = resources.files("apcompliance") / "data/calendars/example-la-2025-26.yaml"
    engines = {}
    for engine in ("python", "durable"):
        args = [command, str(case), "--as-of", "2025-11-10", "--calendar", str(calendar)]
        main([*args, "--json", "--engine", engine, *(["--quiet"] if command != "check" else [])])
        engines[engine] = json.loads(capsys.readouterr().out)
    assert engines["python"]["engine"] == PYTHON_ENGINE_NAME
    assert engines["durable"]["engine"] == ENGINE_NAME
    assert engines["python"]["findings"] == engines["durable"]["findings"]
    with pytest.raises(SystemExit):
        main(
            [
                command,
                str(case),
                "--as-of",
                "2025-11-10",
                "--calendar",
                str(calendar),
                "--engine",
                "clips",
            ]
        )
    assert "invalid choice: 'clips'" in capsys.readouterr().err


# --- the suite's scenarios, shadowed ----------------------------------------------------------


def install_shadow(log: str) -> None:
    """Make every `Evaluator.evaluate` and `review_policy` also run on the other engine and
    fail unless both give the same findings (or the same error); log one line each."""
    twins: dict[tuple[int, str], tuple[Any, Evaluator]] = {}

    def twin(evaluator: Evaluator) -> Evaluator:
        other = "python" if evaluator.engine_name == ENGINE_NAME else "durable"
        key = (id(evaluator.book), other)
        if key not in twins:
            twins[key] = (evaluator.book, Evaluator(evaluator.book, engine=other))  # type: ignore[arg-type]
        return twins[key][1]

    def shadowed(method: Callable[..., Any]) -> Callable[..., Any]:
        def run(self: Evaluator, *args: Any, **kwargs: Any) -> Any:
            results = []
            for evaluator in (self, twin(self)):
                try:
                    results.append((method(evaluator, *args, **kwargs), None))
                except ApComplianceError as exc:
                    results.append((None, exc))
            (first, error), (second, other_error) = results
            if error is not None or other_error is not None:
                assert (type(error), str(error)) == (type(other_error), str(other_error))
            else:
                assert first.findings == second.findings
                assert first.model_copy(update={"engine": ""}) == second.model_copy(
                    update={"engine": ""}
                )
            with open(log, "a", encoding="utf-8") as out:
                out.write(f"{method.__name__} {'error' if error else len(first.findings)}\n")
            if error is not None:
                raise error
            return first

        return run

    Evaluator.evaluate = shadowed(Evaluator.evaluate)  # type: ignore[method-assign]
    Evaluator.review_policy = shadowed(Evaluator.review_policy)  # type: ignore[method-assign]


SHADOWED = [
    *sorted(p.name for p in (ROOT / "tests").glob("test_rules_*.py")),
    "test_statutory_duties.py",
    "test_scenario_files.py",
    "test_periods.py",
    "test_existence.py",
    "test_i5_q_after_exclusion.py",
    "test_policy_review.py",
    "test_custom_rules.py",
    "test_explain.py",
    "test_sixth_day_properties.py",
    "test_referral_notice_properties.py",
    "test_recurring_properties.py",
]


@pytest.mark.slow
def test_the_rule_scenarios_give_identical_findings_on_both_engines(tmp_path):
    log = tmp_path / "shadow.log"
    run = (
        "import sys, pytest; from tests.test_oracle import install_shadow; "
        "install_shadow(sys.argv[1]); sys.exit(pytest.main(sys.argv[2:]))"
    )
    files = [f"tests/{name}" for name in SHADOWED]
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            run,
            str(log),
            "-q",
            "-x",
            "-m",
            "not slow",
            "-p",
            "no:cacheprovider",
            *files,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    evaluations = log.read_text(encoding="utf-8").splitlines()
    assert len(evaluations) > 2000, len(evaluations)
