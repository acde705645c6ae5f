"""`apcompliance drift`: a new version of the policy's text against the rules' quotes.

Each new version here is the bundled text with one small edit made in code, so each expected
record is worked out from the edit and the rule files that quote the edited words.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

import apcompliance
from apcompliance.cli import main
from apcompliance.errors import ApComplianceError, PolicyIndexError
from apcompliance.outputs.drift import DriftReport, drift_text, policy_drift
from apcompliance.policy.document import load_policy, parse_policy_version

SOURCE = (resources.files("apcompliance") / "data/alternative-provision-policy.txt").read_text(
    encoding="utf-8"
)
SHARED = Path("/work/shared/policy/alternative-provision-policy.txt")


def edited(old: str, new: str) -> str:
    """The bundled text with `old` (found exactly once) replaced by `new`."""
    assert SOURCE.count(old) == 1, old
    return SOURCE.replace(old, new)


def lines_of() -> list[str]:
    return SOURCE.splitlines(keepends=True)


def line_starting(lines: list[str], start: str) -> int:
    (index,) = [i for i, line in enumerate(lines) if line.startswith(start)]
    return index


I7 = "Where it is not possible or appropriate to arrange alternative provision during the first"
I8 = "Provision does not have to be arranged for a pupil in the final year"


def rule_id(clause: str, name: str) -> str:
    """A rule's id, put together so that the handbook (which lists the tests naming a rule id)
    does not list these tests, which check the drift report, as tests of the rules' readings."""
    return f"{clause}-{name}"


def summary(report: DriftReport) -> set[tuple[str | None, ...]]:
    return {(r.kind, r.rule, r.where, r.clause, r.new_clause) for r in report.records}


def test_the_bundled_policy_against_itself_has_no_drift(capsys: pytest.CaptureFixture[str]):
    report = policy_drift(SOURCE)
    assert report.records == () and not report.drifted
    assert "No drift" in drift_text(report)
    if SHARED.exists():  # the copy the project keeps beside the code
        assert main(["drift", str(SHARED)]) == 0
        assert "No drift" in capsys.readouterr().out


def test_the_lenient_parse_of_the_bundled_text_is_the_bundled_index():
    again, bundled = parse_policy_version(SOURCE), load_policy()
    assert list(again.clauses()) == list(bundled.clauses())
    assert dict(again.sections) == dict(bundled.sections)


def test_a_word_changed_in_a_quoted_clause_is_one_reworded_rule():
    report = policy_drift(
        edited(
            "later than the sixth school day of exclusion;",
            "later than the fifth school day of exclusion;",
        )
    )
    (record,) = report.records
    assert (record.kind, record.rule, record.clause, record.new_clause) == (
        "reworded",
        rule_id("I.1", "sixth-day-provision"),
        "I.1",
        "I.1",
    )
    assert (record.file, record.where, record.section) == (
        "rules/I-suspension-provision.yaml",
        "says",
        "I",
    )
    assert record.says is not None and record.says.endswith("the sixth school day of exclusion")
    assert record.nearest is not None and "no later than the fifth school day" in record.nearest
    assert record.similarity is not None and record.similarity > 0.9
    assert "changed: ‘sixth’ → ‘fifth’" in drift_text(report)


def test_a_word_changed_in_a_clause_a_gap_rule_quotes_lists_the_gap_rule_too():
    report = policy_drift(
        edited("Hold a review meeting upon the request", "Hold a review meeting at the request")
    )
    assert summary(report) == {
        ("reworded", rule, "says", "H.3.iv", "H.3.iv")
        for rule in (
            rule_id("H.3.iv", "gap-la-requests-review-meeting"),
            rule_id("H.3.iv", "review-meeting-on-request"),
            rule_id("H.3.iv", "review-meetings-for-ehc-plan"),
            rule_id("H.3.iv", "ten-week-rule"),
        )
    }
    files = {r.rule: r.file for r in report.records}
    assert (
        files[rule_id("H.3.iv", "gap-la-requests-review-meeting")]
        == "rules/gaps/H-statutory-gaps.yaml"
    )


def test_a_not_checkable_sentence_reworded_is_listed():
    report = policy_drift(edited("Education Act 2002", "Education Act 1996"))
    (record,) = report.records
    assert (record.kind, record.rule, record.where, record.clause) == (
        "reworded",
        None,
        "not_checkable",
        "B.1.iv",
    )
    assert record.file == "rules/B-legal-framework.yaml"
    assert record.nearest == "Education Act 1996"


def test_a_clause_renumbered_is_moved_old_to_new():
    lines = lines_of()
    i7, i8 = line_starting(lines, I7), line_starting(lines, I8)
    lines[i7], lines[i8] = lines[i8], lines[i7]
    report = policy_drift("".join(lines))
    assert summary(report) == {
        ("moved", rule_id("I.7", "work-marked"), "says", "I.7", "I.8"),
        ("moved", rule_id("I.7", "work-set"), "says", "I.7", "I.8"),
        ("moved", rule_id("I.8", "final-year-exemption"), "says", "I.8", "I.7"),
    }
    assert "MOVED      I.7 → I.8        I.7-work-set" in drift_text(report)


def test_a_section_retitled_is_one_record():
    report = policy_drift(
        edited(
            "Arranging provision for suspended pupils The",
            "Arranging education for suspended pupils The",
        )
    )
    (record,) = report.records
    assert (record.kind, record.section, record.title, record.new_title) == (
        "section_retitled",
        "I",
        "Arranging provision for suspended pupils",
        "Arranging education for suspended pupils",
    )
    assert report.new.clause("I.1").text == load_policy().clause("I.1").text


def test_a_retitled_section_whose_title_runs_on_without_a_space_is_read():
    report = policy_drift(edited("[New] Free school meals (FSM)The", "[New] School meals (FSM)The"))
    assert [(r.kind, r.new_title) for r in report.records] == [
        ("section_retitled", "School meals (FSM)")
    ]


def test_a_new_clause_no_rule_quotes_is_added():
    lines = lines_of()
    at = line_starting(lines, "[bookmark: R]")
    sentence = "The Trust will publish each new version of this policy on its website."
    lines.insert(at + 1, sentence + "\n")
    report = policy_drift("".join(lines))
    (record,) = report.records
    assert (record.kind, record.section, record.clause, record.text) == (
        "added",
        "R",
        "R.2",
        sentence,
    )


def test_a_new_section_is_added_with_its_sentences():
    new = SOURCE.rstrip("\n") + (
        "\n[bookmark: T]Data protectionThe school will keep the records of each placement "
        "for six years.\n"
    )
    report = policy_drift(new)
    assert [(r.kind, r.section, r.clause, r.new_title) for r in report.records] == [
        ("section_added", "T", None, "Data protection"),
        ("added", "T", "T.1", None),
    ]


def test_a_clause_deleted_is_gone_for_its_rule_and_the_terms_that_quote_it():
    lines = lines_of()
    del lines[line_starting(lines, I8)]
    report = policy_drift("".join(lines))
    assert summary(report) == {
        ("gone", rule_id("I.8", "final-year-exemption"), "says", "I.8", None),
        ("gone", None, "term final_year", "I.8", None),
        ("gone", None, "term no_further_public_examination", "I.8", None),
        ("gone", None, "term final_year_exemption", "I.8", None),
    }
    assert {r.file for r in report.records} == {
        "rules/I-suspension-provision.yaml",
        "rules/terms.yaml",
    }
    assert report.records[0].rule == rule_id("I.8", "final-year-exemption")  # rules before terms


def test_the_cli_exit_status_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    same = tmp_path / "same.txt"
    same.write_bytes(b"\xef\xbb\xbf" + SOURCE.encode("utf-8"))  # a byte-order mark is fine
    assert main(["drift", str(same)]) == 0
    capsys.readouterr()
    new = tmp_path / "new.txt"
    new.write_text(edited("Education Act 2002", "Education Act 1996"), encoding="utf-8")
    assert main(["drift", str(new), "--json"]) == 1
    (row,) = json.loads(capsys.readouterr().out)
    assert row["kind"] == "reworded" and row["clause"] == "B.1.iv"
    assert row["file"] == "rules/B-legal-framework.yaml" and row["nearest"] == "Education Act 1996"
    assert main(["drift", str(new)]) == 1
    out = capsys.readouterr().out
    assert "Section B: Legal framework" in out and "REWORDED   B.1.iv" in out


def test_a_file_that_is_not_a_policy_is_exit_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    other = tmp_path / "notes.txt"
    other.write_text("Minutes of the governors' meeting\nNothing to report.\n", encoding="utf-8")
    assert main(["drift", str(other)]) == 2
    err = capsys.readouterr().err
    assert str(other) in err and "no section bookmarks" in err and "Traceback" not in err


def test_a_file_that_is_not_utf8_is_exit_2_naming_it_and_the_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    latin = tmp_path / "latin1.txt"
    latin.write_bytes(b"\xef\xbb\xbf[bookmark: A]Introduction caf\xe9")
    assert main(["drift", str(latin)]) == 2
    err = capsys.readouterr().err
    assert str(latin) in err and "not UTF-8" in err and "offset 32" in err
    assert main(["drift", str(tmp_path / "missing.txt")]) == 2
    assert "cannot read the file" in capsys.readouterr().err


def test_a_section_whose_title_cannot_be_told_is_a_clear_error():
    text = edited(
        "Monitoring and Review This policy undergoes",
        "Review and monitoring of this policy, which undergoes",
    )
    with pytest.raises(PolicyIndexError, match=r"the new policy text: .*section R.*title"):
        policy_drift(text)


def test_the_python_api_takes_a_path_or_the_text(tmp_path: Path):
    path = tmp_path / "new.txt"
    path.write_text(SOURCE, encoding="utf-8")
    assert apcompliance.policy_drift(path).records == ()
    assert apcompliance.policy_drift(str(path)).source == str(path)
    with pytest.raises(ApComplianceError, match="cannot read"):
        apcompliance.policy_drift(str(tmp_path / "missing.txt"))
