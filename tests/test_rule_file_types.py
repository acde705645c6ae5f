"""Bad rule files: each a `RuleFileError` naming the file (and the rule and key where there is
one), never a TypeError, an OSError or a UnicodeDecodeError; every constant typed against its
field when the rules load (durable-rules compares values of different types by their printed
form: `school_days: {gt: "10"}` held for 7)."""

from __future__ import annotations

from pathlib import Path

import pytest

from apcompliance.errors import RuleFileError
from apcompliance.language.rulebook import load_rulebook

HEAD = "section: I\ntitle: Test\n"
RULE = """rules:
- id: I.6-r0
  clause: I.6
  says: the LA may review the plan
  kind: permission
  duty_holder: local_authority
  action: may review the plan
  when: {when}
"""
BAD: list[tuple[str, str, str | None, str]] = [
    ("a number compared with text", RULE.format(when="{exclusion: {school_days: {gt: '10'}}}"),
     "I.6-r0", "when.exclusion.school_days: compares a whole number with text"),
    ("text for true/false", RULE.format(when="{provider: {registered: 'no'}}"),
     "I.6-r0", "when.provider.registered: compares true/false with text"),
    ("text for a named condition", RULE.format(when="{notice: {in_writing: 'no'}}"),
     "I.6-r0", "when.notice.in_writing: in_writing is a named condition: test it with true"),
    ("a kind that does not exist", RULE.format(when="{placement: {kind: residential}}"),
     "I.6-r0", "when.placement.kind: 'residential' is not one of suspension_provision"),
    ("a whole number for a number of days given as 1.5",
     RULE.format(when="{exclusion: {school_days: {gt: 1.5}}}"),
     "I.6-r0", "when.exclusion.school_days: compares a whole number with a number"),
    ("a date given as text", RULE.format(when="{placement: {start_date: {gte: '2025-13-01'}}}"),
     "I.6-r0", "when.placement.start_date: compares a date with text"),
    ("an any_of of 512 sets",
     RULE.format(when="{placement: {any_of: [" + ", ".join(
         f"{{sessions_per_week: {i}}}" for i in range(512)) + "]}}"),
     "I.6-r0", "when.placement.any_of: any_of: at most 12 sets of tests"),
    ("a fact's tests that are a number", RULE.format(when="{exclusion: 5}"),
     "I.6-r0", "when.exclusion: Input should be a valid dictionary"),
    ("rules: 5", "rules: 5\n", None, "rules: a list of rules"),
    ("rules: text", "rules: abc\n", None, "rules: a list of rules"),
    ("terms: 5", "terms: 5\n", None, "terms: Input should be a valid tuple"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "rule", "words"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_bad_rule_file_is_a_rule_file_error_naming_file_rule_and_key(tmp_path, text, rule, words):
    path = tmp_path / "I-bad.yaml"
    path.write_text(HEAD + text, encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rulebook([path])
    error = caught.value
    assert (error.file, error.rule) == (str(path), rule)
    assert words in str(error), str(error)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "cannot read the rule file (No such file or directory)"),
        ("folder", "cannot read the rule file (Is a directory)"),
        (b"section: I\ntitle: \xff\n", "not UTF-8 text: the byte at offset 18 (line 2)"),
        (b"- a\n- b\n", "a rule file is a mapping with section, title and rules"),
        (b"", "a rule file is a mapping with section, title and rules"),
        (b"a: [\n", "not valid YAML"),
    ],
    ids=["missing", "a folder", "not UTF-8", "a list", "empty", "not YAML"],
)
def test_a_rule_file_that_cannot_be_read_is_a_rule_file_error_naming_it(tmp_path, content, words):
    path = tmp_path / "I-bad.yaml"
    if content == "folder":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    with pytest.raises(RuleFileError) as caught:
        load_rulebook([path])
    assert caught.value.file == str(path) and caught.value.rule is None
    assert str(caught.value).startswith(f"{path}: ") and words in str(caught.value)


def test_the_message_names_no_union_branch_of_the_model(tmp_path):
    path = Path(tmp_path) / "I-bad.yaml"
    path.write_text(HEAD + RULE.format(when="{exclusion: 5}"), encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"when\.exclusion: ") as caught:
        load_rulebook([path])
    assert "dict[" not in str(caught.value)


DEADLINE_RULE = """rules:
- id: I.3-r0
  clause: I.3
  says: The notice must be provided in writing
  kind: obligation
  duty_holder: headteacher
  action: give the notice in writing
  when:
    notice: {{in_writing: false}}
  due: {due}
"""


@pytest.mark.parametrize(
    "due",
    [
        "{nth_school_day: 401, of: notice.sent_on}",
        "{nth_school_day: 100000000, of: notice.sent_on}",
        "{school_days_before: 401, of: notice.sent_on}",
        "{hours_before: 8761, of: notice.sent_at}",
        "{every_weeks: 105, from: notice.sent_on}",
        "{every_months: 25, from: notice.sent_on}",
    ],
)
def test_a_count_past_the_limits_is_refused_naming_rule_and_key(tmp_path, due):
    """docs/rule-format.md, Limits: no clause counts more than 400 school days."""
    path = tmp_path / "I-bad.yaml"
    path.write_text(HEAD + DEADLINE_RULE.format(due=due), encoding="utf-8")
    key = due[1 : due.index(":")]
    with pytest.raises(RuleFileError, match=rf"due\.{key}: .*at most \d+ ") as caught:
        load_rulebook([path])
    assert caught.value.rule == "I.3-r0"


PERIOD_RULES = Path(__file__).parent / "scenarios" / "rules" / "period-day-records.yaml"
"""A rule file whose period runs to `{nth_school_day: 400, of: exclusion.first_day}`."""


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("", "", None),
        ("due: {nth_school_day: 1,", "due: {nth_school_day: 400,", None),
        ("nth_school_day: 400", "nth_school_day: 401", "nth_school_day: at most 400 school days"),
        ("due: {nth_school_day: 1,", "due: {nth_school_day: 401,", "at most 400 school days"),
    ],
    ids=["as written", "a deadline of 400", "a period of 401", "a deadline of 401"],
)
def test_400_school_days_are_counted_and_401_refused(tmp_path, old, new, words):
    text = PERIOD_RULES.read_text("utf-8")
    assert old in text
    path = tmp_path / PERIOD_RULES.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    if words is None:
        load_rulebook([path])
        return
    with pytest.raises(RuleFileError, match=words):
        load_rulebook([path])


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (HEAD + "title: Again\nrules: []\n", "the key 'title' is given twice (duplicate keys"),
        (HEAD + "rules: " + "[" * 100_000, "nested more than 100 deep (line 3, column 107)"),
    ],
    ids=["a key given twice", "nested 100,000 deep"],
)
def test_yaml_a_rule_file_cannot_hold_is_a_rule_file_error(tmp_path, text, words):
    path = tmp_path / "I-bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rulebook([path])
    assert words in str(caught.value)
