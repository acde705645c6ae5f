"""The wheel and sdist carry the rules, policy text and example data; on Python 3.13+ pip
installs without durable-rules (which cannot be imported there).

These build and install for real (slow: about a minute). Run alone with `pytest -m slow`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow

PROBE = textwrap.dedent(
    """
    import json, sys
    from datetime import date
    from importlib import resources
    import apcompliance
    from apcompliance import Case, SchoolCalendar, evaluate
    from apcompliance.language.rulebook import load_rulebook
    rules_dir = str(resources.files("apcompliance.rules"))
    case = Case.model_validate_json(
        (resources.files("apcompliance") / "data/examples/suspension-case.json").read_text()
    )
    result = evaluate(case, as_of=date(2025, 11, 10), calendar=SchoolCalendar.example())
    print(json.dumps({
        "module": apcompliance.__file__,
        "rules_dir": rules_dir,
        "rules": len(load_rulebook().rules),
        "violations": sorted(f.rule_id for f in result.violations),
    }))
    """
)


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return out


def test_the_wheel_ships_the_rules_policy_and_examples(dist):
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {
        "apcompliance/rules/H-off-site-direction.yaml",
        "apcompliance/rules/I-suspension-provision.yaml",
        "apcompliance/rules/L-additional-needs.yaml",
        "apcompliance/data/examples/off-site-direction-case.json",
    } <= names
    assert "apcompliance/data/alternative-provision-policy.txt" in names
    assert "apcompliance/data/calendars/example-la-2025-26.yaml" in names
    assert "apcompliance/data/examples/suspension-case.json" in names


def test_the_sdist_ships_the_top_level_rules(dist):
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = archive.getnames()
    assert any(n.endswith("/rules/I-suspension-provision.yaml") for n in names)


def test_the_installed_wheel_evaluates_a_case_from_a_fresh_venv(dist, tmp_path):
    (wheel,) = dist.glob("*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True
    )
    probe = subprocess.run(
        [str(python), "-c", PROBE], check=True, capture_output=True, text=True, cwd=tmp_path
    )
    seen = json.loads(probe.stdout)
    assert seen["module"].startswith(str(venv))
    assert seen["rules_dir"].startswith(str(venv))
    assert seen["rules"] >= 13
    assert seen["violations"] == [
        "I.1-sixth-day-provision",
        "I.1.iv-notice-report-to",
        "I.2-first-day-notice-of-further-suspension",
        "I.7-work-set",
        "I.law-tell-local-authority-of-suspension",
        "I.law-tell-virtual-school-head-of-suspension",
        "L.1-consider-support-after-suspension",
        "Q.4-strategy-after-suspension",
        "Q.5-meeting-after-suspension",
        "Q.5-parents-at-meeting-after-suspension",
    ]
    demo = subprocess.run(
        [str(venv / "bin" / "apcompliance"), "demo"], capture_output=True, text=True, cwd=tmp_path
    )
    assert demo.returncode == 0 and "VIOLATIONS (10)" in demo.stdout


def python_313() -> str | None:
    """A working CPython 3.13+ interpreter on this machine, if there is one."""
    candidates = [shutil.which(f"python3.{minor}") for minor in (13, 14)]
    candidates += [str(p) for p in sorted(Path.home().glob(".pyenv/versions/3.1[34]*/bin/python3"))]
    for candidate in filter(None, candidates):
        probe = subprocess.run([candidate, "--version"], capture_output=True, text=True)
        if probe.returncode == 0:
            return candidate
    return None


PYTHON_313 = python_313()


@pytest.mark.skipif(PYTHON_313 is None, reason="no CPython 3.13+ on this machine")
def test_pip_installs_on_python_3_13_without_durable_rules(tmp_path):
    venv = tmp_path / "venv313"
    subprocess.run([str(PYTHON_313), "-m", "venv", str(venv)], check=True)
    report = tmp_path / "report.json"
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--dry-run", "--quiet"]
    result = subprocess.run(
        [*pip, "--report", str(report), str(ROOT)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    chosen = {
        item["metadata"]["name"].lower() for item in json.loads(report.read_text())["install"]
    }
    assert {"apcompliance", "pydantic", "holidays"} <= chosen
    assert "durable-rules" not in chosen


def test_every_package_of_the_source_tree_is_listed_for_the_wheel():
    """A package folder missing from pyproject's list is left out of the wheel, and the installed
    library fails at import (this happened to `apcompliance.language`)."""
    import tomllib

    root = Path(__file__).resolve().parent.parent
    listed = set(
        tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    source = root / "src"
    on_disk = {
        ".".join(p.relative_to(source).parts)
        for p in source.rglob("*")
        if p.is_dir() and any(p.glob("*.py")) and "__pycache__" not in p.parts
    }
    assert on_disk - listed == set()
    assert all(
        (source / Path(*name.split("."))).is_dir() for name in listed if ".rules" not in name
    )
    assert all((source / Path(*name.split(".")) / "__init__.py").is_file() for name in on_disk)
