"""The review of the policy itself (Evaluator.review_policy, `apcompliance review-policy`):
R.1's formal review every three years, and the advisories about the policy's own words that
the law has overtaken (B.1, G.4, H.6, H.7, J.4). None of them is ever about a pupil.

R.1's deadlines are in calendar dates (three years after the last formal review, from the
`policy_reviews` setting), not school days. The running example: the Trust's governing board
last reviewed the policy formally on Thu 14 Sep 2023, so the next review is due Mon 14 Sep
2026.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from apcompliance import Assessment, Case, Evaluator, PolicySettings
from apcompliance.cli import main
from apcompliance.evaluation.evaluator import default_evaluator
from tests import scenarios
from tests.scenarios import CAL, rule_ids, the

LAST_REVIEW = date(2023, 9, 14)  # Thu
NEXT_DUE = date(2026, 9, 14)  # Mon: three years on
POLICY = "policy ~policy"

R1 = "R.1-formal-review-every-three-years"
R1_UNKNOWN = "R.1-review-dates-unknown"
SUPERSEDED = (
    "B.1-framework-omits-what-the-policy-relies-on",
    "G.4-superseded-working-together",
    "H.6-statements-are-now-ehc-plans",
    "H.7-superseded-disability-discrimination-acts",
    "J.4-superseded-registration-regulations",
)
POLICY_RULES = {R1, R1_UNKNOWN, *SUPERSEDED}


def evaluator() -> Evaluator:
    return default_evaluator()


def review(as_of: date, *reviews: date) -> Assessment:
    """The policy reviewed as of `as_of`, its formal reviews held on `reviews`."""
    return evaluator().review_policy(as_of=as_of, settings=PolicySettings(policy_reviews=reviews))


# --- R.1: a formal review every three years ---------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        pytest.param(date(2025, 11, 10), "pending", id="well-before"),
        pytest.param(date(2026, 9, 13), "pending", id="the-day-before"),
        pytest.param(NEXT_DUE, "due_today", id="on-the-day"),
        pytest.param(date(2026, 9, 15), "overdue", id="the-day-after"),
        pytest.param(date(2027, 3, 1), "overdue", id="months-after"),
    ],
)
def test_the_next_formal_review_is_due_three_years_after_the_last(as_of: date, status: str) -> None:
    a = review(as_of, LAST_REVIEW)
    f = the(a, R1, POLICY)
    assert (f.kind, f.duty_holder) == ("obligation", "governing_board")
    assert (f.status, f.due, f.met_by) == (status, NEXT_DUE, None)
    assert (f in a.violations) == (status == "overdue")
    assert R1_UNKNOWN not in rule_ids(a)


@pytest.mark.parametrize(
    "reviews",
    [
        (date(2017, 6, 5), date(2020, 6, 1), LAST_REVIEW),
        (LAST_REVIEW, date(2020, 6, 1), date(2017, 6, 5)),
        (date(2020, 6, 1), LAST_REVIEW, date(2017, 6, 5), LAST_REVIEW),
    ],
    ids=["oldest-first", "newest-first", "shuffled-with-a-duplicate"],
)
def test_the_latest_review_counts_whatever_order_the_dates_are_given(
    reviews: tuple[date, ...],
) -> None:
    # The earlier reviews (2017, 2020) would have made the next one overdue long ago.
    f = the(review(date(2026, 1, 20), *reviews), R1, POLICY)
    assert (f.status, f.due) == ("pending", NEXT_DUE)


def test_the_docs_example_two_reviews_the_last_in_2022_is_overdue_in_2026() -> None:
    # Reviewed Mon 1 Jul 2019 and Thu 1 Sep 2022: due Mon 1 Sep 2025, overdue on Tue 20 Jan 2026.
    a = review(date(2026, 1, 20), date(2019, 7, 1), date(2022, 9, 1))
    f = the(a, R1, POLICY)
    assert (f.status, f.due) == ("overdue", date(2025, 9, 1))
    assert [v.rule_id for v in a.violations] == [R1]


def test_a_review_on_29_february_is_next_due_on_28_february() -> None:
    # Three years after Thu 29 Feb 2024 is Sun 28 Feb 2027 (2027 is not a leap year): a review
    # on Mon 1 Mar 2027 would already be more than three years after the last.
    f = the(review(date(2027, 3, 1), date(2024, 2, 29)), R1, POLICY)
    assert (f.status, f.due) == ("overdue", date(2027, 2, 28))


def test_r1_is_not_dated_in_school_days() -> None:
    # Reviewed Wed 6 Jan 2027: due Sun 6 Jan 2030, a weekend, long after the example calendar
    # ends (Tue 21 Jul 2026); overdue on Mon 7 Jan 2030.
    f = the(review(date(2030, 1, 7), date(2027, 1, 6)), R1, POLICY)
    assert (f.status, f.due) == ("overdue", date(2030, 1, 6))


def test_a_review_still_to_come_does_not_reset_the_three_years() -> None:
    # Last held Thu 14 Sep 2023; the next is only planned for Thu 1 Oct 2026. As of Sun 20
    # Sep 2026 it has not happened: the review due Mon 14 Sep 2026 is overdue (not pending
    # until Mon 1 Oct 2029).
    a = review(date(2026, 9, 20), LAST_REVIEW, date(2026, 10, 1))
    f = the(a, R1, POLICY)
    assert (f.status, f.due) == ("overdue", NEXT_DUE)
    assert f in a.violations


def test_a_review_planned_before_the_due_date_is_scheduled() -> None:
    # Last held Thu 14 Sep 2023; the next planned for Mon 1 Jun 2026, before it falls due on
    # Mon 14 Sep 2026. As of Tue 20 Jan 2026 it is scheduled; once held, it is met.
    planned = date(2026, 6, 1)
    f = the(review(date(2026, 1, 20), LAST_REVIEW, planned), R1, POLICY)
    assert (f.status, f.due, f.met_on) == ("scheduled", NEXT_DUE, planned)
    # Held: as of 2 Jun 2026 it is the last review, and the next is due three years on.
    f = the(review(date(2026, 6, 2), LAST_REVIEW, planned), R1, POLICY)
    assert (f.status, f.due) == ("pending", date(2029, 6, 1))


# --- R.1: review dates not recorded -----------------------------------------------------------


def test_no_review_dates_is_an_advisory_not_a_violation() -> None:
    a = evaluator().review_policy(as_of=date(2026, 1, 20))
    f = the(a, R1_UNKNOWN, POLICY)
    assert (f.kind, f.status, f.due, f.duty_holder) == (
        "advisory",
        "flagged",
        None,
        "governing_board",
    )
    assert f in a.advisories
    assert not a.violations
    assert R1 not in rule_ids(a)


def test_default_settings_are_the_same_as_no_review_dates() -> None:
    a = evaluator().review_policy(as_of=date(2026, 1, 20), settings=PolicySettings())
    assert rule_ids(a) == {R1_UNKNOWN, *SUPERSEDED}


# --- the policy's words the law has overtaken -------------------------------------------------


@pytest.mark.parametrize("reviews", [(), (LAST_REVIEW,)], ids=["no-dates", "reviewed-2023"])
@pytest.mark.parametrize("rule_id", SUPERSEDED)
def test_each_superseded_reference_is_flagged_citing_r1(
    rule_id: str, reviews: tuple[date, ...]
) -> None:
    a = review(date(2026, 1, 20), *reviews)
    f = the(a, rule_id, POLICY)
    assert (f.kind, f.status, f.due, f.met_by) == ("advisory", "flagged", None, None)
    assert f.duty_holder == "governing_board"
    assert f in a.advisories and f not in a.violations
    assert "R.1" in {c.clause for c in f.also_cites}
    assert f.clause == rule_id.split("-")[0]


def test_an_overdue_review_is_the_only_violation() -> None:
    # As of Tue 15 Sep 2026: R.1 overdue; the five advisories for information.
    a = review(date(2026, 9, 15), LAST_REVIEW)
    assert rule_ids(a) == {R1, *SUPERSEDED}
    assert [f.rule_id for f in a.violations] == [R1]
    assert {f.rule_id for f in a.advisories} == set(SUPERSEDED)


# --- never in a pupil's case ------------------------------------------------------------------


def test_no_policy_rule_appears_in_the_example_case(example_case: Case) -> None:
    settings = PolicySettings(policy_reviews=(date(2019, 7, 1),))  # R.1 long overdue
    a = evaluator().evaluate(
        example_case, as_of=date(2025, 11, 10), calendar=CAL, settings=settings
    )
    assert a.findings  # the case itself is assessed
    assert not POLICY_RULES & rule_ids(a)


def test_no_policy_rule_appears_in_a_case_the_superseded_words_are_about() -> None:
    # A disabled Year 9 pupil with an EHC plan, from another school, in the academy's unit
    # (J.4's registration, H.6's statements, H.7's discrimination acts), and an off-site
    # direction: the pupil rules of H and J fire, the policy's own never do.
    c = scenarios.case(
        placements=[
            {
                "id": "PSU-1",
                "kind": "in_school_unit",
                "start_date": date(2025, 11, 10),
                "full_time": True,
            },
            scenarios.direction(date(2025, 11, 17), date(2025, 11, 3), id="OSD-1"),
        ],
        ehc_plan=True,
        send=True,
        disabled=True,
        registered_at_school=False,
    )
    a = evaluator().evaluate(c, as_of=date(2025, 12, 1), calendar=CAL)
    ids = rule_ids(a)
    assert "J.4-pupils-from-other-schools-dual-registered" in ids
    assert "H.7.ii-reasonable-adjustments" in ids
    assert not POLICY_RULES & ids


def test_the_review_of_the_policy_holds_only_the_policys_rules() -> None:
    a = review(date(2026, 1, 20), LAST_REVIEW)
    assert a.case_id == "policy"
    assert rule_ids(a) <= POLICY_RULES
    assert {f.subject for f in a.findings} == {POLICY}


# --- the command line -------------------------------------------------------------------------


def settings_file(tmp_path: Path, *reviews: str) -> str:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"policy_reviews": list(reviews)}))
    return str(path)


def test_cli_exits_1_when_the_formal_review_is_overdue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = settings_file(tmp_path, "2019-07-01", "2022-09-01")
    assert main(["review-policy", "--as-of", "2026-01-20", "--settings", settings]) == 1
    out = capsys.readouterr().out
    assert "Case policy as of Tue 20 Jan 2026" in out
    assert "OVERDUE    R.1      due Mon 1 Sep 2025" in out
    assert "J.4-superseded-registration-regulations" in out


@pytest.mark.parametrize("as_of", ["2026-01-20", "2026-09-14"], ids=["pending", "due-today"])
def test_cli_exits_0_while_the_review_is_not_overdue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], as_of: str
) -> None:
    settings = settings_file(tmp_path, "2023-09-14")
    assert main(["review-policy", "--as-of", as_of, "--settings", settings]) == 0
    assert "0 violation(s)" in capsys.readouterr().out


def test_cli_without_settings_flags_the_unknown_review_dates(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["review-policy", "--as-of", "2026-01-20"]) == 0
    assert "[R.1-review-dates-unknown]" in capsys.readouterr().out


def test_cli_json_parses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = settings_file(tmp_path, "2020-06-01", "2023-09-14")
    assert main(["review-policy", "--as-of", "2026-09-15", "--settings", settings, "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert (data["case_id"], data["as_of"]) == ("policy", "2026-09-15")
    r1 = next(f for f in data["findings"] if f["rule_id"] == R1)
    assert (r1["status"], r1["due"]) == ("overdue", "2026-09-14")
    assert {f["rule_id"] for f in data["findings"]} == {R1, *SUPERSEDED}
    assert data["readings"]["policy_reviews"]["value"] == ["2020-06-01", "2023-09-14"]


@pytest.mark.parametrize(
    "content",
    [
        pytest.param('{"policy_reviews": ["2019-07-01", "soon"]}', id="not-a-date"),
        pytest.param('{"policy_reveiws": ["2019-07-01"]}', id="misspelt-key"),
        pytest.param('{"policy_reviews": ', id="not-json"),
    ],
)
def test_cli_bad_settings_exit_2_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    bad = tmp_path / "trust-settings.json"
    bad.write_text(content)
    assert main(["review-policy", "--as-of", "2026-01-20", "--settings", str(bad)]) == 2
    captured = capsys.readouterr()
    assert f"{bad}: invalid settings" in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_cli_missing_settings_file_exits_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such-settings.json"
    assert main(["review-policy", "--as-of", "2026-01-20", "--settings", str(missing)]) == 2
    assert str(missing) in capsys.readouterr().err
