"""The libyaml loader (`textfiles.parse_yaml`'s fast path) reads every YAML text as PyYAML's
pure-Python loader does: the same data, or the same error with the same wording, line and
column. Tried on every bundled YAML file, the scenario files and the bad-input corpus."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from apcompliance import textfiles
from tests import bad_inputs as corpus

ROOT = Path(__file__).resolve().parents[1]
LARGEST = 20_000
"""Bytes: a longer text (a corpus input made to be slow) is left to the corpus's own tests."""


def _texts() -> list[tuple[str, bytes]]:
    texts = [
        (str(p.relative_to(ROOT)), p.read_bytes())
        for folder in ("rules", "tests/scenarios", "src/apcompliance/data")
        for p in sorted((ROOT / folder).rglob("*.yaml"))
    ]
    for entry in corpus.load():
        for name, spec in entry.files.items():
            missing = isinstance(spec, dict) and "missing" in spec
            if name.endswith((".yaml", ".yml")) and not missing:
                raw = corpus.content_bytes(spec)
                if len(raw) <= LARGEST:
                    texts.append((f"{entry.id}/{name}", raw))
    return texts


TEXTS = _texts()


def _outcome(text: str, dates: bool) -> Any:
    try:
        return ("data", textfiles.parse_yaml(text, dates=dates))
    except textfiles.YamlError as exc:
        return ("error", str(exc))


def test_pyyaml_here_has_libyaml():
    assert yaml.__with_libyaml__ and textfiles._FAST[True] is not None


def test_the_corpus_holds_texts_both_read_and_refused():
    refused = sum(_outcome(t.decode("utf-8", "replace"), True)[0] == "error" for _, t in TEXTS)
    assert refused >= 10 and len(TEXTS) - refused >= 100


@pytest.mark.parametrize("dates", [False, True])
def test_libyaml_reads_every_text_as_the_pure_loader_does(dates, monkeypatch):
    texts = [(name, raw.decode("utf-8", "replace")) for name, raw in TEXTS]
    fast = [_outcome(text, dates) for _, text in texts]
    with monkeypatch.context() as patched:
        patched.setattr(textfiles, "_FAST", {False: None, True: None})
        pure = [_outcome(text, dates) for _, text in texts]
    differ = [name for (name, _), f, p in zip(texts, fast, pure, strict=True) if f != p]
    assert differ == []


def test_a_text_libyaml_reads_is_read_without_the_pure_loader(monkeypatch):
    """Only a refused text is read twice: the bundled rule files go through libyaml alone."""
    text = (resources.files("apcompliance.rules") / "C-roles.yaml").read_text("utf-8")

    def refuse(*_: object) -> None:
        raise AssertionError("the pure loader was used")

    monkeypatch.setattr(textfiles._DatedLoader, "get_single_data", refuse)
    assert textfiles.parse_yaml(text, dates=True)["section"] == "C"
