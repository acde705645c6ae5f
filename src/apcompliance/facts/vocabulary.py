"""The flat facts the rules speak about: the vocabulary of `rules/*.yaml` conditions.

Derive builds these from a case; the rule loader checks every field a rule names against
them; the engine receives them as JSON (dates as ordinals, `None` fields left out).

One vocabulary: the engine fact of every event kind is generated, once at import, from the
kind's model (the `Event` union), so the rules speak of the names the case records:

* `id` is copied; the event's `kind` is the fact's type (`type_name`);
* a reference is renamed: `placement_id` → `placement`, `provider_id` → `provider`, any
  `<x>_id` → `<x>`; `about` (an exclusion event) → `exclusion`, the id of its period of
  exclusion (policy I.4);
* dates, booleans, whole numbers and choices (`Literal`) are copied, None where the model
  allows it (keeping an `Unrecorded` mark); date-times as the school's local time;
* free text and structured details (addresses, reasons, session times) never enter the
  engine: only whether they are given, as `gives_<field>` (or the name `GivenAs` declares);
* a tuple of choices becomes one true/false field per choice, `<field>_<choice>` (or as its
  `Flags` pattern declares: `Flags("to_{}")` makes `to_parents`, `to_pupil`…);
* a number with a fraction (a percentage) is copied as a `float`;
* anything else (a tuple of ids) gives no field of its own.

Every field derive computes rather than copies carries a `Derivation` mark (facts/_base.py):
`presence` on the generated `gives_<field>` and per-choice flags (set here), and on the
fields of `facts/derived.py` and the aggregates below as they declare. The census of the rule
language (benchmarks/rule_language_census.py) reads the marks (`EngineFact.derived_fields`).

What the rules need beyond that is declared in `facts/derived.py` (type + docstring) and
computed by `evaluation/derive/events.py`. Declared by hand here are only the aggregates no
single model gives: the pupil, a provider, a period of exclusion (back-to-back suspensions
merged, I.4), a placement linked to its exclusion, provider and events, and the policy under
review. Suspensions and permanent exclusions also form periods of exclusion (`exclusion`).
"""

from __future__ import annotations

import datetime as dt
import functools
import types
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, create_model

from apcompliance.calendar.clock import local
from apcompliance.facts._base import (
    UNRECORDED,
    Derivation,
    Fact,
    Flags,
    GivenAs,
    Unrecorded,
    aggregate,
    presence,
)
from apcompliance.facts.derived import DERIVED, FIRST_DAY_NOTICE, TEXT_KEY, Derived
from apcompliance.facts.events import Event, PermanentExclusion
from apcompliance.facts.placement import AttendanceCode, PlacementKind, WeeklyTimetable
from apcompliance.facts.provider import ProviderKind

EPOCH = datetime(1970, 1, 1)
M = TypeVar("M")


class EngineFact(BaseModel):
    """A derived fact. `type_name` is its `t` in the engine; `id` is unique within a case."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    type_name: ClassVar[str]
    id: str

    @classmethod
    @functools.cache
    def derived_fields(cls) -> dict[str, Derivation]:
        """The fields derive computes, with their `Derivation` marks."""
        return {
            name: mark
            for name, info in cls.model_fields.items()
            for mark in info.metadata
            if isinstance(mark, Derivation)
        }

    @classmethod
    @functools.cache
    def unrecorded_fields(cls) -> frozenset[str]:
        """The fields marked `Unrecorded`: None there is unknown, not none."""
        return frozenset(cls.to_record())

    @classmethod
    @functools.cache
    def to_record(cls) -> dict[str, str]:
        """Each field marked `Unrecorded`, with the case's field that gives it: itself, or
        for a derived field the one its mark names (`provider.full_time_pupils`)."""
        return {
            name: mark.record or name
            for name, info in cls.model_fields.items()
            if (mark := _meta(info.metadata, Unrecorded)) is not None
        }

    def to_engine(self, only: Container[str] | None = None) -> dict[str, Any]:
        """JSON-ready dict: dates become day ordinals, datetimes minutes since 1970. `only`:
        the fields to give (the others are left out), e.g. those the rules read."""
        out: dict[str, Any] = {"t": self.type_name}
        for name, value in self.__dict__.items():
            if (
                value is None
                or isinstance(value, tuple | BaseModel)  # ids, a timetable: never in the engine
                or (only is not None and name not in only)
            ):
                continue
            if isinstance(value, datetime):
                value = int((value.replace(tzinfo=None) - EPOCH).total_seconds() // 60)
            elif isinstance(value, date):
                value = value.toordinal()
            out[name] = value
        return out


class PupilFact(EngineFact, use_attribute_docstrings=True):
    """The pupil (one per case)."""

    type_name: ClassVar[str] = "pupil"
    year_group: int
    looked_after: bool
    ehc_plan: bool
    send: bool
    semh_needs: bool
    disabled: bool
    pastoral_support_programme: bool
    social_worker: Annotated[bool | None, UNRECORDED]
    """A social worker (a registered social worker assigned to the pupil: a statutory role) is
    working with the pupil; None where the case does not record whether one is. A charity
    mentor or youth worker is one of `other_agencies`, not a social worker."""
    social_worker_known: Annotated[
        bool, presence("the case records whether the pupil has a social worker")
    ]
    """The case records whether the pupil has a social worker (true or false)."""
    other_agencies_involved: Annotated[
        bool, presence("another agency is recorded as working with the pupil or family")
    ]
    """Another agency is recorded as working with the pupil or family."""
    fsm_eligible: bool
    registered_at_school: bool
    date_of_birth_recorded: Annotated[
        bool,
        presence(
            "the case records the pupil's date of birth, one that fits the year group (never "
            "the date itself)"
        ),
    ]
    """The case records the pupil's date of birth (H.2: whether the pupil is 18 or over), one
    within 2 years of the usual age of the year group (`pupil.date_of_birth`); further out it
    is not relied on, as if not recorded."""
    compulsory_school_age_from: Annotated[
        date | None,
        Unrecorded("pupil.date_of_birth"),
        aggregate("the prescribed day on or after the pupil's fifth birthday (a date)"),
    ] = None
    """For a pupil in Reception, the day the pupil begins to be of compulsory school age
    (Education Act 1996 s.8(2): the fifth birthday if it is 31 March, 31 August or 31
    December, else the next of these); None where the case does not record the date of birth
    (unknown), and in every other year group, whose age the year group tells (Q.7)."""


class ProviderFact(EngineFact, use_attribute_docstrings=True):
    """A provider the school commissions."""

    type_name: ClassVar[str] = "provider"
    kind: ProviderKind
    school: bool
    """A school, at which a pupil can be dual registered (a PRU, academy, special school…)."""
    registered: bool
    on_la_approved_list: Annotated[bool | None, UNRECORDED]
    """On the local authority's approved list of unregistered providers (K.3); None where the
    case does not record whether it is (unknown, not "no")."""
    main_address_recorded: Annotated[
        bool, presence("the address of the provider's main site is recorded")
    ]
    """The address of the provider itself (its main site) is recorded (G.2.4); a satellite or
    subcontracted site's address alone is not it."""
    other_sites: Annotated[bool | None, UNRECORDED]
    """Pupils may attend a satellite site or subcontracted provision of the provider (G.2.4);
    false where the case records that there is none, None where it does not say."""
    other_site_address_recorded: Annotated[
        bool, presence("an address of a satellite site or subcontracted provision is recorded")
    ]
    """An address of a satellite site or of subcontracted provision is recorded (G.2.4)."""


class ExclusionFact(EngineFact, use_attribute_docstrings=True):
    """One period of exclusion: a run of back-to-back suspensions (policy I.4), or a
    permanent exclusion. Its id is its first event's id."""

    type_name: ClassVar[str] = "exclusion"
    permanent: Annotated[
        bool,
        presence(
            "the period is a permanent exclusion, not suspensions (the kind of event recorded)"
        ),
    ]
    first_day: date
    last_day: Annotated[
        date | None, aggregate("the calendar: the last school day of the merged suspensions")
    ]
    """The last school day of a suspension period; None for a permanent exclusion, or for a
    period that runs past the calendar's last day (its end is not yet dated: it runs on)."""
    school_days: Annotated[
        int | None, aggregate("the calendar: school days counted over the merged suspensions")
    ]
    """The school days the period's suspensions cover, a part day (a suspension from an
    afternoon, or to lunchtime) counted as a day; None when permanent."""
    sessions: Annotated[
        int | None,
        aggregate("the calendar: sessions (half days) counted over the merged suspensions"),
    ] = None
    """The sessions (half days) the period's suspensions cover: `sessions`, or two a school
    day for one recorded in `school_days`; None when permanent."""
    ends_at_lunchtime: Annotated[
        bool | None, aggregate("the calendar: the period's last session is a morning")
    ] = None
    """The period's last session is the morning of its last day: the pupil is not excluded
    that afternoon. None when permanent, or where it runs past the calendar's end."""
    suspensions: Annotated[int, aggregate("a count of the suspensions merged (I.4)")]
    events: tuple[str, ...]
    pupil_year_group: Annotated[
        int, aggregate("the pupil's year group, carried on the exclusion (a link)")
    ]
    """The pupil's year group (as `pupil.year_group`)."""
    public_exam_entries: Annotated[
        int | None,
        Unrecorded("pupil.exam_entries"),
        aggregate("a count of the pupil's public examination entries"),
    ]
    """How many public examinations the pupil is entered for (`pupil.exam_entries`); None
    where the case does not record the entries (unknown, not none: I.8)."""
    last_public_exam_on: Annotated[
        date | None, aggregate("the latest last paper of the pupil's examination entries")
    ]
    """The day of the pupil's last public examination paper; None where the pupil is entered
    for none (or the entries are not recorded: see `public_exam_entries`)."""
    sixth_day_counted_from: Annotated[
        date,
        aggregate(
            "the first day, or the first day of the suspensions straight before a permanent "
            "exclusion (the suspension_then_permanent switch)"
        ),
    ]
    """The day the sixth school day of exclusion is counted from (day 1): `first_day`; for a
    permanent exclusion under the `suspension_then_permanent: one_period` reading, the first
    day of the period of suspension it follows with no school day between."""
    work_set_by_school_day: int
    """The school day of the exclusion from which work is expected (the
    `work_set_by_school_day` switch, I.7)."""
    looked_after_first_day_aim: Literal["every_suspension", "over_five_days"]
    """The reading of I.1's first-day aim for a looked-after pupil (the
    `looked_after_first_day_aim` switch)."""
    pep_record_after: Literal["any_exclusion", "permanent_exclusion"]
    """The reading of I.5's PEP record (the `pep_record_after` switch)."""
    five_days_counted_in: Literal["school_days", "sessions"]
    """The reading of I.1's "more than five school days" for a suspension in sessions (the
    `five_days_counted_in` switch): the school days touched, or more than ten sessions."""
    notice_due_at: Annotated[datetime, aggregate(FIRST_DAY_NOTICE)]
    """I.2: when the written notice of its first suspension or permanent exclusion is due:
    the end of the afternoon session of the first day (the `first_day_notice_by` and
    `afternoon_session_ends` switches). A later suspension of the period has its own
    (`further_suspension.notice_due_at`)."""
    suspension_half_days_in_school_year: Annotated[
        int,
        aggregate(
            "the calendar: half days of suspension in the school year (sessions of suspension "
            "and lunchtime exclusions), a count"
        ),
    ]
    """Half days of suspension in the school year of this period, up to and including it: each
    session (a morning or an afternoon) of suspension and each lunchtime exclusion is one, a
    whole school day two, so the law's 45 school days are 90. For a permanent exclusion, those
    up to and including its first day."""
    suspension_limit_passed_on: Annotated[
        date | None,
        aggregate(
            "the calendar: the first school day of the period on which the school year's "
            "days of suspension number more than 45"
        ),
    ] = None
    """The first school day of this period on which the pupil has been suspended for more
    than 45 school days in its school year (the day of the 91st half day, or the period's
    first day where earlier suspensions or lunchtimes passed 45); None where no day of the
    period does, and for a permanent exclusion. The limit the law sets (SI 2012/1033;
    rules/I-statutory-duties.yaml)."""
    on_new_school_roll_from: date | None = None
    """A permanent exclusion's `on_new_school_roll_from`: the day the pupil is on a new
    school's roll, where recorded (None for suspensions)."""
    returns_on: Annotated[
        date | None,
        aggregate("the earliest return to school recorded about the period (a link)"),
    ] = None
    """A suspension period's recorded return to school, if any (`return_to_school` with
    `about`); the rules' `return_day` otherwise counts the first school day after it."""
    permanently_excluded_on: Annotated[
        date | None,
        aggregate(
            "the first day of the earliest permanent exclusion on or after a suspension "
            "period's first day (a link)"
        ),
    ] = None
    """For a suspension period: the first day of a permanent exclusion that follows it, if
    any (the pupil then does not return)."""


class PlacementFact(EngineFact, use_attribute_docstrings=True):
    """A placement, linked to the exclusion it provides for (if any)."""

    type_name: ClassVar[str] = "placement"
    kind: PlacementKind
    full_time: bool
    start_date: date
    end_date: date | None
    ends_on: Annotated[
        date | None,
        aggregate(
            "end_date where recorded; else the end of the suspension it provides for, or the "
            "school day before the pupil is on a new school's roll (links to the exclusion)"
        ),
    ] = None
    """The placement's last day, which its recurring duties run to: its `end_date`; else, for
    provision for a suspension (suspension_provision), the last school day of the suspension's
    period of exclusion; else, for provision for a permanent exclusion, the school day before
    the pupil is on a new school's roll (`on_new_school_roll_from`), where recorded. None:
    open (no end date is recorded), to the evaluation date."""
    ends_by: Annotated[
        Literal["end_date", "suspension_ends", "on_new_roll"] | None,
        aggregate("which of the three gives ends_on (links to the exclusion)"),
    ] = None
    """What gives `ends_on`: the recorded `end_date`, the end of the suspension
    (`suspension_ends`) or the new school's roll (`on_new_roll`); None: open."""
    start_at: Annotated[
        datetime, aggregate("the start date at the time the provision_starts_at switch gives")
    ]
    """When provision starts, per the `provision_starts_at` switch."""
    first_session_at: Annotated[
        datetime | None, aggregate("the start date at its first session's start time")
    ] = None
    """When the pupil first attends: the first day at its first session's start, where the
    placement records its session times (None otherwise). A duty due `before:` the start
    date counts a record on that day only where its time is earlier."""
    exclusion: Annotated[
        str | None, aggregate("the period of exclusion the placement provides for (a link)")
    ]
    consent_ids: tuple[str, ...]
    """The short-notice consents about the placement given on or before its start (which
    facts a finding used; the rules read the consents themselves: the term
    `short_notice_consent`)."""
    provider: str | None
    provider_kind: Annotated[ProviderKind | None, aggregate("the provider's kind (a link)")]
    """The kind of the placement's provider, where it names one the case records."""
    arranged_on: date | None
    arranged_by: Literal["school", "local_authority"]
    pupil_aged_18_or_over: Annotated[
        Literal["yes", "no"] | None,
        Unrecorded("pupil.date_of_birth"),
        aggregate("the pupil's age on the first day, from the date of birth"),
    ]
    """On the first day of provision; None (unknown) without a date of birth."""
    session_form: str | None
    """The form of the placement's session times (`two_sessions`, `single_session`), if given."""
    dual_registered_on: date | None
    attendance_code: Annotated[AttendanceCode | None, UNRECORDED]
    """The code the school records for the pupil's sessions at the provision (H.13); None
    where the case does not record it (unknown: the code rules ask for it)."""
    review_interval_weeks: Annotated[
        int | None, aggregate("as set at the latest initial meeting (a link to other events)")
    ]
    """How often the placement is to be reviewed, as set at the latest initial meeting (H.3.iii)."""
    parental_agreement: Annotated[
        Literal["agreed", "refused", "not_possible", "not_recorded"],
        aggregate("the latest recorded outcome (a link to other events)"),
    ]
    """The latest recorded outcome of seeking the parents' agreement (H.9)."""
    agreed_on: Annotated[
        date | None, aggregate("the first of the current run of agreements (other events)")
    ]
    """The day the parents' current agreement was recorded (the first of a run of "agreed"
    records not broken by a refusal)."""
    formal_reviews_without_improvement: Annotated[
        int, aggregate("a count of review meetings since the latest satisfactory progress")
    ]
    """Formal review meetings held since the latest satisfactory progress record, while the
    latest progress record is unsatisfactory (H.4)."""
    sessions_per_week: Annotated[
        int | None,
        aggregate("as recorded; for a full-time placement that records none, every session"),
    ]
    """Sessions a week at the provision (G.4.i): as recorded, else 10 (every session of the
    school week) where the placement is full time; None where neither tells."""
    timetable: WeeklyTimetable | None = None
    """The pupil's weekly timetable at the provision, where recorded (G.4.i). It never enters
    the engine: the visit windows count the sessions from it."""
    session_hours: str | None
    """Its session times as text (`09:00-12:00, 12:45-15:15`; one session: `09:00-15:00`),
    where recorded: a notice's `session_hours` must match them (I.1.ii, H.2.vi)."""
    address_key: Annotated[str | None, aggregate(TEXT_KEY)]
    """A key of its address, where recorded: a notice's `address_key` must match it (I.1.iii,
    H.2.i); the address itself never enters the engine."""
    report_to_key: Annotated[str | None, aggregate(TEXT_KEY)]
    """A key of whom the pupil reports to, where recorded (I.1.iv, H.2.ii)."""
    first_day_notice_due_at: Annotated[datetime | None, aggregate(FIRST_DAY_NOTICE)] = None
    """I.2: the end of the afternoon session of the first day of the latest suspension or
    permanent exclusion of its period that began on or before its start date: a notice with
    the details by then is a first-day notice, never late against the 48 hours (None where
    the placement is for no exclusion)."""
    provider_full_time_pupils_with_this: Annotated[
        int | None,
        Unrecorded("provider.full_time_pupils"),
        aggregate("a count: the provider's recorded pupils plus this one (K.5)"),
    ]
    """The provider's other full-time pupils of compulsory school age, plus this pupil if the
    placement is full time and the pupil is of compulsory school age."""
    concurrent_from: Annotated[
        date | None,
        aggregate("the first day a placement at another provider overlaps (other placements)"),
    ]
    """The first day on which another of the pupil's placements, at another provider, runs
    alongside this one: not one at the same provider, nor one in the school's own in-school
    unit (the school itself, not a provider)."""
    school_year_ends_on: Annotated[
        date | None, aggregate("the calendar: the last school day of the school year")
    ]
    """The last school day of the school year the placement starts in (None where the
    calendar does not reach it)."""


class PolicyFact(EngineFact, use_attribute_docstrings=True):
    """The policy itself (sections B, R): only in a review of the policy, never in a case."""

    type_name: ClassVar[str] = "policy"
    last_reviewed_on: date | None
    next_review_opens: Annotated[date | None, aggregate("the day after the last review")]
    """The day after the last formal review."""
    next_review_due: Annotated[
        date | None, aggregate("three years after the last review (R.1): date arithmetic")
    ]
    """Three years after the last formal review (R.1)."""


class PolicyReviewFact(EngineFact, use_attribute_docstrings=True):
    """A formal review of the policy (R.1)."""

    type_name: ClassVar[str] = "policy_review"
    reviewed_on: date


class RegisterDayFact(EngineFact, use_attribute_docstrings=True):
    """A school day of the pupil's attendance register: its two sessions' marks
    (`case.register_marks`, one fact for each day marked). Only duties over a period read it
    (`also_covered_by`, `uncovered_by`); the rule network never sees it."""

    type_name: ClassVar[str] = "register_day"
    date: Annotated[dt.date, aggregate("the register: the day of one or two session marks")]
    """The day marked."""
    am: Annotated[AttendanceCode | None, aggregate("the register: the day's AM mark")]
    """The morning session's code (None: not marked)."""
    pm: Annotated[AttendanceCode | None, aggregate("the register: the day's PM mark")]
    """The afternoon session's code (None: not marked)."""
    register_overrides_arrangement: bool
    """Whether a day the register marks as without provision is uncovered whatever a
    placement arranged for it says (the `register_overrides_arrangement` switch)."""


AGGREGATES: tuple[type[EngineFact], ...] = (
    PupilFact,
    ProviderFact,
    ExclusionFact,
    PlacementFact,
    PolicyFact,
    PolicyReviewFact,
    RegisterDayFact,
)
"""The facts declared by hand: not one event model's fields, but what derive forms from several
(or, for the policy, from the settings)."""


# --- the engine fact of each event kind, generated from its model -----------------------------

EVENT_MODELS: tuple[type[Fact], ...] = get_args(get_args(Event)[0])
"""Every event kind's model, in the order of the `Event` union."""

FOLDED: dict[type[Fact], str] = {PermanentExclusion: "exclusion"}
"""Event kinds with no engine fact of their own: the aggregate fact they are folded into.
A permanent exclusion is a period of exclusion of its own (`exclusion`). A suspension is
folded into its period too (whose id is its first suspension's); one that continues a period
begun by an earlier one also has a fact of its own (`further_suspension`), since each
decision to exclude needs its own notice to the parents (I.2)."""


Copy = Callable[[Any, Mapping[str, str]], Any]
"""Reads one engine field off an event, given the period of exclusion of each exclusion id."""

_COPIED = (bool, int, float, date, datetime)


def _options(annotation: Any) -> list[Any]:
    """The alternatives of a type, None left out (`X | None`, `Annotated[X, …]` unwrapped)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _options(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return [x for a in get_args(annotation) for x in _options(a)]
    return [] if annotation is type(None) else [annotation]


def _meta(metadata: list[Any], kind: type[M]) -> M | None:
    return next((m for m in metadata if isinstance(m, kind)), None)


def _getter(name: str) -> Copy:
    return lambda event, period_of: getattr(event, name)


def _flag(name: str, choice: str) -> Copy:
    return lambda event, period_of: choice in getattr(event, name)


def _given(name: str) -> Copy:
    return lambda event, period_of: getattr(event, name) is not None


def _local(name: str) -> Copy:
    def get(event: Any, period_of: Mapping[str, str]) -> Any:
        value = getattr(event, name)
        return None if value is None else local(value)

    return get


def _period(name: str) -> Copy:
    def get(event: Any, period_of: Mapping[str, str]) -> str | None:
        about = getattr(event, name)
        return None if about is None else period_of[about]

    return get


@dataclass(frozen=True)
class EngineField:
    """One field an event model's own field gives its engine fact."""

    name: str
    source: str
    """The model's field it comes from."""
    annotation: Any
    description: str | None
    get: Copy


def engine_fields(model: type[Fact]) -> list[EngineField]:
    """The engine fields a model's own fields give, by the conventions of this module's
    docstring, in the model's order."""
    out: list[EngineField] = []
    for name, info in model.model_fields.items():
        if name == "kind":
            continue
        doc = info.description
        options = _options(info.annotation)
        optional = type(None) in get_args(info.annotation)
        if name == "id":
            out.append(EngineField("id", name, str, None, _getter(name)))
        elif name == "about" and options == [str]:
            doc = "The period of exclusion it is about (the id of its first event)."
            period: Any = str | None if optional else str
            link = Annotated[period, aggregate("the period of exclusion the event is about")]
            out.append(EngineField("exclusion", name, link, doc, _period(name)))
        elif name.endswith("_id") and options == [str]:
            ref: Any = str | None if optional else str
            out.append(EngineField(name.removesuffix("_id"), name, ref, doc, _getter(name)))
        elif len(options) == 1 and get_origin(options[0]) is tuple:
            item = get_args(options[0])[0]
            if get_origin(item) is not Literal:
                continue  # a tuple of ids: a derivation may use it
            flags = _meta(info.metadata, Flags)
            pattern = flags.pattern if flags else f"{name}_{{}}"
            for choice in get_args(item):
                said = f"`{choice}` is one of its `{name}`."
                flag = Annotated[bool, presence(said)]
                out.append(
                    EngineField(pattern.format(choice), name, flag, said, _flag(name, choice))
                )
        elif options == [str] or any(
            isinstance(o, type) and issubclass(o, BaseModel) for o in options
        ):
            given = _meta(info.metadata, GivenAs)
            target = given.name if given else f"gives_{name}"
            said = f"Given: {doc}" if doc else f"Its `{name}` is given."
            given_ = Annotated[bool, presence(said)]
            out.append(EngineField(target, name, given_, said, _given(name)))
        elif options and all(get_origin(o) is Literal or o in _COPIED for o in options):
            ann: Any = info.annotation
            if (mark := _meta(info.metadata, Unrecorded)) is not None:
                ann = Annotated[ann, mark]
            get = _local(name) if datetime in options else _getter(name)
            out.append(EngineField(name, name, ann, doc, get))
        # anything else (a percentage): no field of its own; a derivation may use it
    return out


@dataclass(frozen=True)
class EventFact:
    """An event kind's engine fact: its generated type, and how the fields that come from the
    model are read off an event (the derived ones are computed by derive)."""

    model: type[Fact]
    fact_type: type[EngineFact]
    copied: tuple[tuple[str, Copy], ...]
    derived: type[Derived] | None

    def values(self, event: Fact, period_of: Mapping[str, str]) -> dict[str, Any]:
        """The fields that come from the event's own fields."""
        return {name: get(event, period_of) for name, get in self.copied}


def event_fact(model: type[Fact], derived: type[Derived] | None = None) -> EventFact:
    """Generate the engine fact of `model`'s event kind, with the `derived` extra fields."""
    extra = derived.model_fields if derived else {}
    own = [f for f in engine_fields(model) if f.name not in extra]
    names = [f.name for f in own] + list(extra)
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise TypeError(f"{model.__name__}: engine fields named twice: {', '.join(twice)}")
    definitions: dict[str, Any] = {
        f.name: (f.annotation, Field(description=f.description)) for f in own
    }
    for name, info in extra.items():
        ann: Any = info.annotation
        for mark in info.metadata:
            if isinstance(mark, (Unrecorded, Derivation)):
                ann = Annotated[ann, mark]
        definitions[name] = (ann, Field(description=info.description))
    class_name = f"{model.__name__}Fact"
    fact_type: type[EngineFact] = create_model(
        class_name,
        __base__=EngineFact,
        __module__=__name__,
        __doc__=(derived.__doc__ if derived and derived.__doc__ else None) or model.__doc__,
        **definitions,
    )
    fact_type.type_name = (derived.type_name if derived else None) or model.model_fields[
        "kind"
    ].default
    return EventFact(model, fact_type, tuple((f.name, f.get) for f in own), derived)


def _event_facts() -> dict[type[Fact], EventFact]:
    stray = DERIVED.keys() - set(EVENT_MODELS)
    if stray:
        names = ", ".join(sorted(m.__name__ for m in stray))
        raise TypeError(f"derived fields declared for models not in Event: {names}")
    out = {
        model: event_fact(model, DERIVED.get(model))
        for model in EVENT_MODELS
        if model not in FOLDED
    }
    for generated in out.values():  # module attributes, so that facts pickle by reference
        globals()[generated.fact_type.__name__] = generated.fact_type
    return out


EVENT_FACTS: dict[type[Fact], EventFact] = _event_facts()
"""Each event kind with an engine fact of its own, generated once at import."""

FACT_TYPES: dict[str, type[EngineFact]] = {
    cls.type_name: cls
    for cls in (*AGGREGATES, *(generated.fact_type for generated in EVENT_FACTS.values()))
}
"""Every fact type, by its name in the rules."""
