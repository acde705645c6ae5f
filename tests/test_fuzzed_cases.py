"""Properties of evaluation over generated cases, using the strategies the package ships
(`apcompliance.testing`): valid cases on generated school calendars, with generated evaluation
dates inside them.

* evaluation never raises on a valid case;
* the same case gives the same findings every time, and in every order of its facts;
* a case's findings do not depend on which other cases were evaluated before it or alongside
  it (sequentially, interleaved, or from four threads at once);
* adding an event that satisfies an obligation never adds a violation;
* moving the evaluation date later never turns an overdue obligation into a met one without a
  new event.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from typing import Any, get_args

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apcompliance import Assessment, Case, Finding, PolicySettings, evaluate
from apcompliance.facts import (
    AgenciesNotified,
    DirectionMeeting,
    Event,
    ExclusionNotification,
    FinalReport,
    FsmArrangement,
    InformationShared,
    Intervention,
    LaContacted,
    LaSenConsultation,
    LearningPlan,
    NeedsAssessment,
    NeedsConsideration,
    PepRecord,
    PermanentExclusion,
    PlacementRecord,
    PlacementReview,
    ProviderCheck,
    ProviderReport,
    PupilViews,
    ReintegrationMeeting,
    ReintegrationPlan,
    ReintegrationReview,
    SuitabilityCheck,
    Suspension,
    TimetableReview,
    Visit,
    WorkSet,
)
from apcompliance.facts.commissioning import InformationItem, PlanPart
from apcompliance.facts.reviews import Attendee, ReviewTopic
from apcompliance.facts.vocabulary import FACT_TYPES
from apcompliance.language.rulebook import Rule, load_rulebook
from apcompliance.testing import LEAD_SCHOOL_DAYS, TAIL_SCHOOL_DAYS, Scenario, cases
from tests.scenarios import CAL

FUZZ = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
RULES: dict[str, Rule] = {r.id: r for r in load_rulebook().rules}

Key = tuple[str, str, str | None]


def _key(f: Finding) -> Key:
    return (f.rule_id, f.subject, f.period)


def _violations(a: Assessment) -> set[Key]:
    return {_key(f) for f in a.violations}


def _assess(s: Scenario, as_of: date | None = None, case: Case | None = None) -> Assessment:
    return evaluate(case or s.case, as_of=as_of or s.as_of, calendar=s.calendar)


# --- never raises -----------------------------------------------------------------------------

readings = st.builds(
    PolicySettings,
    provision_starts_at=st.sampled_from(("first_session", "start_of_day")),
    work_set_by_school_day=st.integers(1, 5),
    referral_notice_clear_days=st.booleans(),
    termly_means=st.sampled_from(("term", "half_term")),
    # apcompliance.testing leaves TAIL_SCHOOL_DAYS (12) school days free at the end of the
    # calendar: a follow-up of up to ten school days stays inside it.
    follow_up_within_school_days=st.integers(1, 10),
    month_means=st.sampled_from(("rolling", "calendar")),
    prompt_by_school_day=st.integers(1, 5),
    attendance_target_percent=st.sampled_from((0.0, 85.0, 90.0, 95.0, 100.0)),
)


def _dates(value: Any) -> list[date]:
    """Every date (and date of a date-time) in a dumped model."""
    if isinstance(value, dict):
        return [d for v in value.values() for d in _dates(v)]
    if isinstance(value, (list, tuple)):
        return [d for v in value for d in _dates(v)]
    if isinstance(value, datetime):
        return [value.date()]
    return [value] if isinstance(value, date) else []


def _check_valid_by_construction(scenario: Scenario) -> None:
    """What apcompliance.testing promises of a generated case, checked independently."""
    case, calendar = scenario.case, scenario.calendar
    assert Case.model_validate_json(case.model_dump_json()) == case
    assert calendar.covers(scenario.as_of)
    school_days = [
        d
        for d in (*calendar.school_days(calendar.first_day, calendar.last_day), calendar.last_day)
        if calendar.is_school_day(d)
    ]
    earliest_start = school_days[LEAD_SCHOOL_DAYS]
    latest = school_days[-1 - TAIL_SCHOOL_DAYS]
    facts = case.model_dump(include={"providers", "placements", "events"})
    assert all(calendar.first_day <= d <= latest for d in _dates(facts))
    for event in case.events:
        if isinstance(event, (Suspension, PermanentExclusion)):
            assert calendar.is_school_day(event.first_day)
            assert event.first_day >= earliest_start
    for placement in case.placements:
        assert placement.start_date >= earliest_start
        if placement.kind == "off_site_direction":
            assert placement.arranged_on is not None
            assert placement.arranged_on <= placement.start_date


@settings(max_examples=80, **FUZZ)
@given(cases())
def test_evaluation_never_raises_on_a_valid_case(scenario):
    _check_valid_by_construction(scenario)
    assessment = _assess(scenario)
    assert assessment.case_id == scenario.case.case_id
    assert all(isinstance(f, Finding) for f in assessment.findings)


@settings(max_examples=40, **FUZZ)
@given(cases(calendar=CAL), readings)
def test_evaluation_never_raises_under_any_reading_of_the_policy(scenario, reading):
    assessment = evaluate(
        scenario.case, as_of=scenario.as_of, calendar=scenario.calendar, settings=reading
    )
    assert assessment.readings["follow_up_within_school_days"]["value"] == (
        reading.follow_up_within_school_days
    )


# --- deterministic, in any order --------------------------------------------------------------


def _shuffled(case: Case, rng: random.Random) -> Case:
    def mix(items: tuple[Any, ...]) -> tuple[Any, ...]:
        out = list(items)
        rng.shuffle(out)
        return tuple(out)

    return case.model_copy(
        update={
            "providers": mix(case.providers),
            "placements": mix(case.placements),
            "events": mix(case.events),
        }
    )


@settings(max_examples=50, **FUZZ)
@given(cases(), st.randoms(use_true_random=False))
def test_the_same_case_gives_the_same_findings_every_time_and_in_every_fact_order(scenario, rng):
    first = _assess(scenario).findings
    assert _assess(scenario).findings == first
    shuffled = _shuffled(scenario.case, rng)
    assert Case.model_validate(shuffled.model_dump()) == shuffled  # still a valid case
    assert _assess(scenario, case=shuffled).findings == first


# --- isolation ----------------------------------------------------------------------------------


@settings(max_examples=30, **FUZZ)
@given(cases(), st.lists(cases(), min_size=1, max_size=3))
def test_a_cases_findings_do_not_depend_on_the_cases_evaluated_before_or_alongside_it(
    scenario, others
):
    alone = _assess(scenario).findings
    expected = [_assess(o).findings for o in others]

    # after the others
    for other in others:
        _assess(other)
    assert _assess(scenario).findings == alone

    # interleaved with them
    for other, theirs in zip(others, expected, strict=True):
        assert _assess(other).findings == theirs
        assert _assess(scenario).findings == alone

    # from four threads at once: this case twice, each other case once
    jobs = [scenario, *others, scenario]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda s: _assess(s).findings, jobs))
    assert results == [alone, *expected, alone]


# --- adding what an obligation asks for ---------------------------------------------------------

INFORMATION: tuple[InformationItem, ...] = get_args(InformationItem)
PLAN_PARTS: tuple[PlanPart, ...] = get_args(PlanPart)
ATTENDEES: tuple[Attendee, ...] = get_args(Attendee)
TOPICS: tuple[ReviewTopic, ...] = get_args(ReviewTopic)
REPORT_COVERS = ("progress", "behaviour", "welfare")

Builder = Callable[[str, date, dict[str, Any]], Event | None]
"""(id, date, the met_by `where` with references resolved) -> a complete event of that kind
doing what is asked on that date, or None where the kind cannot be added as a new event."""

SATISFIERS: dict[str, Builder] = {
    "information_shared": lambda i, d, w: InformationShared(
        id=i, placement_id=w["placement"], shared_on=d, items=INFORMATION
    ),
    "provider_check": lambda i, d, w: ProviderCheck(
        id=i, provider_id=w["provider"], checked_on=d, check=w["check"], in_writing=True
    ),
    "learning_plan": lambda i, d, w: LearningPlan(
        id=i,
        placement_id=w["placement"],
        agreed_on=d,
        includes=PLAN_PARTS,
        pupil_involved=True,
        pupil_told_reasons_and_outcome=True,
    ),
    "visit": lambda i, d, w: Visit(id=i, placement_id=w["placement"], visited_on=d),
    "placement_review": lambda i, d, w: PlacementReview(
        id=i,
        placement_id=w["placement"],
        held_on=d,
        meeting=True,
        formal=bool(w.get("formal")),
        attendees=ATTENDEES,
        parents_consulted=True,
        covered=TOPICS,
    ),
    "needs_assessment": lambda i, d, w: NeedsAssessment(id=i, assessed_on=d),
    "needs_consideration": lambda i, d, w: NeedsConsideration(
        id=i, considered_on=d, by=("headteacher", "dsl", "senco")
    ),
    "intervention": lambda i, d, w: Intervention(
        id=i, started_on=d, intervention="pastoral_support_programme"
    ),
    "suitability_check": lambda i, d, w: SuitabilityCheck(
        id=i,
        placement_id=w["placement"],
        checked_on=d,
        addresses_sen=True,
        venue_appropriate=True,
        accommodation_suitable=True,
        reasonable_adjustments_considered=True,
        safeguarding_arrangements=True,
        pastoral_support=True,
        health_and_safety=True,
        transport=True,
    ),
    "direction_meeting": lambda i, d, w: (
        None  # setting a review interval creates the duty to review at it
        if "sets_review_interval" in w
        else DirectionMeeting(
            id=i,
            placement_id=w["placement"],
            held_on=d,
            pupil_invited=True,
            parents_invited=True,
            reasons_explained=True,
            not_an_exclusion_explained=True,
            support_responsibilities_set=True,
            agreement_review_timescales_set=True,
        )
    ),
    "agencies_notified": lambda i, d, w: AgenciesNotified(
        id=i, placement_id=w["placement"], notified_on=d
    ),
    "la_sen_consultation": lambda i, d, w: LaSenConsultation(
        id=i, placement_id=w["placement"], consulted_on=d, officer_has_sen_expertise=True
    ),
    "la_contacted": lambda i, d, w: LaContacted(id=i, placement_id=w["placement"], contacted_on=d),
    "fsm_arrangement": lambda i, d, w: FsmArrangement(
        id=i, placement_id=w["placement"], arranged_on=d, provision="meals"
    ),
    "provider_report": lambda i, d, w: ProviderReport(
        id=i,
        placement_id=w["placement"],
        received_on=d,
        covers=("progress", "behaviour", "welfare"),
    ),
    "reintegration_plan": lambda i, d, w: ReintegrationPlan(
        id=i,
        placement_id=w.get("placement"),
        about=w.get("exclusion"),
        agreed_on=d,
        developed_with_provider=True,
    ),
    "final_report": lambda i, d, w: FinalReport(
        id=i,
        placement_id=w["placement"],
        received_on=d,
        covers=("attainment_and_progress", "attendance", "behaviour_change"),
    ),
    "pupil_views": lambda i, d, w: PupilViews(id=i, placement_id=w["placement"], heard_on=d),
    "reintegration_meeting": lambda i, d, w: ReintegrationMeeting(
        id=i,
        placement_id=w.get("placement"),
        about=w.get("exclusion"),
        held_on=d,
        parents_attended=True,
    ),
    "reintegration_review": lambda i, d, w: ReintegrationReview(
        id=i, about=w["exclusion"], held_on=d
    ),
    "placement_record": lambda i, d, w: PlacementRecord(
        id=i,
        placement_id=w["placement"],
        recorded_on=d,
        includes=("progress", "achievements", "destination", "pupil_assessment"),
    ),
    "timetable_review": lambda i, d, w: TimetableReview(
        id=i, timetable_id=w["timetable"], reviewed_on=d
    ),
    "work_set": lambda i, d, w: WorkSet(id=i, about=w["exclusion"], set_on=d, marked_on=d),
    "pep_record": lambda i, d, w: PepRecord(
        id=i, about=w["exclusion"], recorded_on=d, records_immediate_provision=True
    ),
    "exclusion_notification": lambda i, d, w: ExclusionNotification(
        id=i, about=w["exclusion"], notified_on=d, to=w["to"]
    ),
}
"""What can be added as a new event to do what an obligation asks. Not here: the events an
obligation names by id (an absence reported, an incident acted on: they are updated, not
added), notices (judged by when they count as given), parental agreements and attendance
updates (each starts duties of its own: termly reviews, interventions when attendance falls)."""

NOT_DONE = frozenset({"open", "pending", "due_today", "at_risk", "overdue", "late"})


def _as_date(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return datetime.fromisoformat(str(value)).date()


def _resolve(value: Any, finding: Finding) -> Any:
    """A met_by `where` value, with an {"ref": "alias.field"} read from the finding's facts."""
    if isinstance(value, dict) and "ref" in value:
        alias, field = value["ref"].split(".")
        return finding.explanation.facts[alias].get(field)
    return value


def _doing_what_is_asked(
    finding: Finding, scenario: Scenario, pick: Callable[[list[date]], date]
) -> Event | None:
    """A new event that satisfies the finding's obligation, dated on or before its deadline
    (on it, for a recurring duty) and inside the calendar; None when none can be made."""
    rule = RULES[finding.rule_id]
    met = rule.met_by
    if met is None or met.fact not in SATISFIERS or finding.status not in NOT_DONE:
        return None
    if any(k == "id" for k in met.where) or met.every_school_day is not None:
        return None  # the fact itself, or a duty over a period (one event covers too little)
    where = {k: _resolve(v, finding) for k, v in met.where.items()}
    floor = scenario.calendar.first_day
    if met.on_or_after:
        alias, field = met.on_or_after.split(".")
        if field not in FACT_TYPES[rule.fact_type(alias)].model_fields:
            return None  # a named value (exclusion.return_day): not among the facts shown
        floor = max(floor, _as_date(finding.explanation.facts[alias].get(field)) or floor)
    due = _as_date(finding.due)
    if due is None:
        latest = max(floor, scenario.as_of)
    elif finding.period is not None:
        floor = latest = due  # the last day of its window: inside it whenever it opened
    elif rule.due is not None and rule.due.before is not None:
        latest = due - timedelta(days=1)  # before the pupil attends: the day itself may be late
    else:
        latest = due
    latest = min(latest, scenario.calendar.last_day)
    if latest < floor:
        return None
    days = [floor + timedelta(days=k) for k in range((latest - floor).days + 1)]
    return SATISFIERS[met.fact]("ADDED-1", pick(days[-30:]), where)


@settings(max_examples=80, **FUZZ)
@given(cases(), st.data())
def test_adding_an_event_that_satisfies_an_obligation_never_adds_a_violation(scenario, data):
    before = _assess(scenario)
    candidates = [
        (f, event)
        for f in before.findings
        if (event := _doing_what_is_asked(f, scenario, lambda days: days[-1])) is not None
    ]
    if not candidates:
        return
    # one kind of event first, so that kinds few obligations ask for are drawn as often
    by_kind: dict[str, list[Finding]] = {}
    for f, event in candidates:
        by_kind.setdefault(event.kind, []).append(f)
    kind = data.draw(st.sampled_from(sorted(by_kind)), label="kind of event")
    target = data.draw(st.sampled_from(by_kind[kind]), label="obligation")
    added = _doing_what_is_asked(
        target, scenario, lambda days: data.draw(st.sampled_from(days), label="done on")
    )
    assert added is not None
    case = scenario.case.model_copy(update={"events": (*scenario.case.events, added)})
    after = _assess(scenario, case=Case.model_validate(case.model_dump()))

    assert _violations(after) <= _violations(before)
    now = {_key(f): f for f in after.findings}
    if _key(target) in now:
        assert now[_key(target)].status in ("met", "scheduled"), now[_key(target)].explain()


# --- a later evaluation date ------------------------------------------------------------------


@settings(max_examples=60, **FUZZ)
@given(
    cases()
    .filter(lambda s: s.as_of < s.calendar.last_day)
    .flatmap(
        lambda s: st.tuples(st.just(s), st.dates(s.as_of + timedelta(days=1), s.calendar.last_day))
    )
)
def test_a_later_evaluation_date_never_turns_an_overdue_obligation_into_a_met_one(pair):
    scenario, later = pair
    overdue = {_key(f) for f in _assess(scenario).findings if f.status == "overdue"}
    then = {_key(f): f for f in _assess(scenario, as_of=later).findings}
    for key in overdue & then.keys():
        assert then[key].status not in ("met", "scheduled"), then[key].explain()


def test_the_event_strategy_draws_every_kind_of_event():
    """Given placements of every kind, providers and exclusions, the generated histories use
    every kind of event a case can hold."""
    from datetime import date as d

    from apcompliance.facts import PermanentExclusion, Placement, Provider, Suspension
    from apcompliance.testing import events

    placed = [
        Placement(
            id=f"PL-{k}",
            kind=k,
            start_date=d(2025, 11, 10),
            full_time=True,
            arranged_on=d(2025, 11, 3),
        )
        for k in ("off_site_direction", "suspension_provision", "medical")
    ]
    at = [Provider(id="PRV-1", name="Riverside", kind="pupil_referral_unit")]
    history = [
        Suspension(id="SUS-1", first_day=d(2025, 11, 10), school_days=3),
        PermanentExclusion(id="PEX-1", first_day=d(2026, 2, 2)),
    ]
    kinds = {cls.model_fields["kind"].default for cls in get_args(get_args(Event)[0])}
    seen: set[str] = set()

    @settings(max_examples=500, database=None, derandomize=True, **FUZZ)
    @given(events(CAL, placed, at, history, max_size=30))
    def collect(generated):
        seen.update(e.kind for e in generated)

    collect()
    assert kinds - seen == set()


def test_hypothesis_is_an_optional_extra_needed_only_by_the_testing_module():
    import subprocess
    import sys

    code = (
        "import sys, apcompliance\n"
        "assert 'hypothesis' not in sys.modules\n"
        "sys.modules['hypothesis'] = None  # as if not installed\n"
        "try:\n"
        "    import apcompliance.testing\n"
        "except apcompliance.MissingExtraError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'apcompliance[testing]'" in out.stdout
