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
