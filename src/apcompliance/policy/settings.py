"""Interpretation switches: where the policy's words admit two readings, a Trust chooses.

Each switch names the clause it interprets; every assessment records the readings in force.
"""

from __future__ import annotations

from datetime import date, time
from typing import Literal

from pydantic import ConfigDict, Field
from pydantic_core import to_jsonable_python

from apcompliance.jsontext import RefusesDuplicateKeys
from apcompliance.policy.statutes import SchoolType


class PolicySettings(RefusesDuplicateKeys):
    """The readings a Trust has chosen. The defaults are the library's documented choices."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    provision_starts_at: Literal["first_session", "start_of_day"] = Field(
        default="first_session",
        description=(
            'I.2 "no later than 48 hours before the provision is due to start": provision '
            "starts when its first session begins (first_session; midnight where the session "
            "times are not known), or at midnight at the start of its first day (start_of_day)."
        ),
        json_schema_extra={"clause": "I.2"},
    )
    first_day_notice_by: Literal["afternoon_session_ends", "end_of_day"] = Field(
        default="afternoon_session_ends",
        description=(
            'I.2 "by the end of the afternoon session on the first day of the suspension or '
            'permanent exclusion" (SI 2007/1870 reg 6(2), as substituted by SI 2012/1033): the '
            "written notice of the exclusion is due by the end of the school's afternoon "
            "session on its first day, at the time `afternoon_session_ends` gives "
            "(afternoon_session_ends), or by the end of that day, 23:59 (end_of_day)."
        ),
        json_schema_extra={"clause": "I.2"},
    )
    afternoon_session_ends: time = Field(
        default=time(15, 0),
        examples=["15:20"],
        description=(
            "I.2: the time the school's afternoon session ends, for the first-day notice "
            "(first_day_notice_by: afternoon_session_ends). Set the school's own time; the "
            "default, 15:00, is earlier than the end of most schools' afternoon session, so a "
            "notice is never taken to be in time when it may not have been."
        ),
        json_schema_extra={"clause": "I.2"},
    )
    work_set_by_school_day: int = Field(
        default=1,
        ge=1,
        le=5,
        description=(
            "I.7 sets no deadline for setting work during the first five school days of an "
            "exclusion. The library expects work for every school day without provision from "
            "this school day of the exclusion to the fifth (default: from the first); the days "
            "before it need none."
        ),
        json_schema_extra={"clause": "I.7"},
    )
    suspension_then_permanent: Literal["two_periods", "one_period"] = Field(
        default="two_periods",
        description=(
            "I.4, I.5: a permanent exclusion that follows a suspension with no school day "
            "between them. two_periods (the law's words: SI 2007/1870 reg 4(3)(a) counts the "
            "local authority's sixth day as 'the sixth school day of the exclusion', and the "
            "consecutive-days amendment of SI 2014/3216 reaches only fixed periods): the local "
            "authority's sixth school day is counted from the permanent exclusion's first day. "
            "one_period: from the first day of the suspensions before it, as one period of "
            "exclusion."
        ),
        json_schema_extra={"clause": "I.4, I.5"},
    )
    five_days_counted_in: Literal["school_days", "sessions"] = Field(
        default="school_days",
        description=(
            'I.1, I.4 "a fixed-period exclusion of more than five school days" where a '
            "suspension is recorded in sessions (half days) and starts in an afternoon or ends "
            "at lunchtime: school_days counts the school days on which the pupil is excluded, "
            "a part day as a day, as the law counts 'the sixth school day of the exclusion' "
            "(SI 2007/1870 reg 3) and 'the first day on which the pupil is excluded' (reg 6(2)): "
            "ten sessions from a Monday afternoon touch six school days, and full-time "
            "provision is due on the sixth. sessions counts the length as the school records "
            "it: more than ten sessions (five and a half days or more). Either way the sixth "
            "school day is the sixth counted from the first day, a part first day being day 1, "
            "and whole-day suspensions are the same under both."
        ),
        json_schema_extra={"clause": "I.1, I.4"},
    )
    looked_after_first_day_aim: Literal["every_suspension", "over_five_days"] = Field(
        default="every_suspension",
        description=(
            'I.1 "For LAC, this process will be streamlined and the school will aim to get this '
            'in place from the first day of the exclusion": the aim of full-time provision from '
            "the first day holds for every suspension of a looked-after pupil (every_suspension; "
            "the DfE's suspension guidance asks schools to arrange provision for a looked-after "
            "child from the first day, whatever the length), or only for suspensions of more "
            'than five school days, those "this process" (the sixth-day duty) covers '
            "(over_five_days)."
        ),
        json_schema_extra={"clause": "I.1"},
    )
    pep_record_after: Literal["any_exclusion", "permanent_exclusion"] = Field(
        default="any_exclusion",
        description=(
            'I.5 "The school must document the provision of immediate suitable education in the '
            "pupil's PEP\": for a looked-after pupil, after every suspension or permanent "
            "exclusion (any_exclusion: the personal education plan is the record of the "
            "looked-after child's education, kept up to date whenever it is disrupted), or only "
            "after a permanent exclusion, the paragraph the sentence stands in "
            "(permanent_exclusion)."
        ),
        json_schema_extra={"clause": "I.5"},
    )
    register_overrides_arrangement: bool = Field(
        default=True,
        description=(
            'I.1, I.5 "suitable full-time education ... no later than the sixth school day": '
            "where the attendance register marks a session of a school day E (suspended or "
            "excluded, no alternative provision), that day is not covered by provision, "
            "whatever a placement recorded for it says (true: the register is the school's "
            "own record of the day, and protects the child), or the placement's dates decide "
            "(false). Register marks of provision (B, D, K in both sessions) cover a day "
            "either way."
        ),
        json_schema_extra={"clause": "I.1, I.5"},
    )

    where_possible_means: Literal["obligation_unless_recorded_not_possible", "recommendation"] = (
        Field(
            default="obligation_unless_recorded_not_possible",
            description=(
                '"Where possible … should" (G.1 a visit to the site; H.9 the parents\' '
                "agreement sought; Q.5 the parents at the reintegration meeting): an obligation, "
                "met by doing it or by recording, by its deadline, why it was not possible "
                "(obligation_unless_recorded_not_possible: the reading that protects the child, "
                "so that not doing it without a reason is a violation), or a recommendation, "
                "never a violation (recommendation)."
            ),
            json_schema_extra={"clause": "G.1, H.9, Q.5"},
        )
    )

    referral_notice_clear_days: bool = Field(
        default=True,
        description=(
            'H.2 "at least two school days before the education provision begins" (SI 2010/1156 '
            "reg 3): two clear school days between the day the notice is given and the first "
            "day of provision (true), or the notice given on or before the second school day "
            "before it (false)."
        ),
        json_schema_extra={"clause": "H.2"},
    )
    termly_means: Literal["term", "half_term"] = Field(
        default="term",
        description=(
            'H.9 "reviewed on at least a termly basis": once in each of the three terms '
            "(term), or in each of the six blocks some local authorities call terms (half_term)."
        ),
        json_schema_extra={"clause": "H.9"},
    )
    follow_up_within_school_days: int = Field(
        default=10,
        ge=1,
        le=30,
        description=(
            "Where the policy asks for an action after an event but sets no deadline (a review "
            "meeting on request, H.3.iv; a formal review after unsatisfactory progress, H.4; "
            "senior staff considering support after a concern, L.1; a course of action after a "
            "serious incident, C.3.iii; a formal review, N.6; an attendance intervention, O.5), "
            "the library expects it within this many school days of the event, counting the "
            "event's day as day 1."
        ),
        json_schema_extra={"clause": "H.3.iv, H.4, L.1, C.3.iii, N.6, O.5"},
    )

    same_day_before_attendance: bool = Field(
        default=False,
        description=(
            "Duties that must be done before the pupil first attends a placement (`due: "
            "{before: …}`: G.2.2's written safeguarding confirmation, which Keeping children "
            "safe in education has obtained before a pupil is placed; C.4's policies and "
            "cleared adults; K.2; the information the provider needs; docs/placements.md "
            "lists them): a record dated the first day counts only where its time shows it "
            "came before the first session (false, protecting the child: without a time it "
            "is late), or (true) whenever its time does not show it came after."
        ),
        json_schema_extra={"clause": "G.2.2, G.2, C.4, K.2 (before the placement)"},
    )
    month_means: Literal["rolling", "calendar"] = Field(
        default="rolling",
        description=(
            'G.4.i "one visit/meeting at the alternative provision per month": within a month of '
            "the previous visit or of the start (rolling), or one in every calendar month after "
            "the one of the previous visit or of the start (calendar)."
        ),
        json_schema_extra={"clause": "G.4.i.a"},
    )
    safeguarding_confirmation_scope: Literal[
        "per_placement", "once_per_provider", "renewed_yearly"
    ] = Field(
        default="per_placement",
        description=(
            "G.2.2, G.2.3: which of the provider's written confirmations (that \"appropriate "
            'safeguarding checks have been carried out" on its staff, and that it "will inform '
            'the school of any changes") count for a placement. per_placement (protects the '
            "child: staff change between placements): one naming the placement, or, naming "
            "none, obtained in the 52 weeks before its first day or later and after every "
            "earlier placement of the pupil with the provider had ended. renewed_yearly: any "
            "obtained in the 52 weeks before its first day or later. once_per_provider: any "
            "from the provider, however old."
        ),
        json_schema_extra={"clause": "G.2.2, G.2.3"},
    )
    visits_without_timetable: Literal["information_needed", "month_only"] = Field(
        default="information_needed",
        description=(
            'G.4.i.b "one visit every ten sessions ... whichever is more frequent": where a '
            "part-time placement records neither its timetable nor its sessions a week, the ten "
            "sessions cannot be counted (full time: every session). information_needed: each "
            "visit is dated by the month, and a visit not already missed by it asks for the "
            "placement's timetable (ten sessions "
            "may have come sooner); month_only: the month alone decides."
        ),
        json_schema_extra={"clause": "G.4.i.b"},
    )
    prompt_by_school_day: int = Field(
        default=1,
        ge=1,
        le=5,
        description=(
            'Where the policy asks for something at once ("immediately reviewed", G.2.6; '
            'absence information "shared daily", G.5.ii; the provider contacts the school '
            '"whenever" the pupil is absent, O.2, or after a serious incident, N.5; the school '
            "contacts the parents, O.3), the library expects it by this school day, counting "
            "the event's day as day 1 (default: the same school day)."
        ),
        json_schema_extra={"clause": "G.2.6, G.5.ii, N.5, O.2, O.3"},
    )
    attendance_target_percent: float = Field(
        default=90.0,
        ge=0,
        le=100,
        description=(
            "O.5: the school's attendance target. Attendance at a provision falling below it "
            "calls for interventions under the school's Attendance and Truancy Policy."
        ),
        json_schema_extra={"clause": "O.5"},
    )

    policy_only: bool = Field(
        default=False,
        description=(
            "The statutory duties on exclusions (rules of tier statutory: telling the local "
            "authority, the social worker and the virtual school head of a suspension or "
            "permanent exclusion; the 45-school-day limit on suspensions in a school year) bind "
            "the Trust's schools whatever the policy says, and are assessed by default (false). "
            "True assesses the policy's own duties only."
        ),
        json_schema_extra={"clause": "I (the law beside it: SI 2012/1033)"},
    )
    school_type: SchoolType = Field(
        default="academy",
        description=(
            "Which regulations bind the school, so that a statutory finding cites the right "
            "one: an academy (SI 2012/1033 Part 4: regs 22-23) or a maintained school (Part 2: "
            "regs 4-5). The duties are the same in substance; only the citation differs. "
            "Default: academy, the school of an academy Trust."
        ),
        json_schema_extra={"clause": "I (the law beside it: SI 2012/1033)"},
    )

    policy_reviews: tuple[date, ...] = Field(
        default=(),
        description=(
            "R.1: the dates of the policy's formal reviews (for `apcompliance review-policy`); "
            "the next is due three years after the last."
        ),
        json_schema_extra={"clause": "R.1"},
    )

    def readings(self, *, plain: bool = False) -> dict[str, dict[str, object]]:
        """Each switch with its value and the clause it interprets. `plain`: values and
        defaults as JSON data (lists, ISO dates), as an assessment keeps them."""
        out: dict[str, dict[str, object]] = {}
        as_data = to_jsonable_python if plain else _same
        for name, field in type(self).model_fields.items():
            extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
            out[name] = {
                "value": as_data(getattr(self, name)),
                "default": as_data(field.default),
                "clause": extra.get("clause"),
                "meaning": field.description,
            }
        return out


def _same(value: object) -> object:
    return value
