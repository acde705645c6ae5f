"""Scenario files: a Trust's own readings of the policy, written as YAML and checked against
the rules (see docs/scenarios.md).

    suite = load_scenario_file("tests/scenarios/I-suspension-provision.yaml")
    for result in suite.run():
        print("PASS" if result.passed else "FAIL", result.name)
        if not result.passed:
            print(result.report())

A file names the rule files to load, a calendar and interpretation switches, then scenarios:
a case (the JSON case format, inline or in a file), an evaluation date and the findings
expected. Bad input raises `ScenarioFileError` naming the file, the scenario and the key; its
messages carry ids, field names and the case id, never pupil data.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, get_args
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StrictBool,
    StrictInt,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from apcompliance import (
    ApComplianceError,
    Case,
    Evaluator,
    Finding,
    NotUtf8Error,
    PolicySettings,
    SchoolCalendar,
    textfiles,
)
from apcompliance.facts._base import is_identifier
from apcompliance.facts.problems import problem_text, validation_problems
from apcompliance.language.rulebook import load_rulebook
from apcompliance.results.findings import DayRange, Status

STATUSES: tuple[str, ...] = get_args(Status)
"""The statuses a finding may have: read from `apcompliance.results.findings.Status`."""

KINDS: tuple[str, ...] = get_args(Finding.model_fields["kind"].annotation)
"""The kinds of rule a finding may come from: read from `Finding.kind`."""

MATCH_KEYS: tuple[str, ...] = (
    "subject",
    "period",
    "due",
    "status",
    "met_by",
    "kind",
    "uncovered",
)
"""The finding fields an expectation may pin, besides `rule` and `clause`."""

EXAMPLE_CALENDAR = "example"
SCHOOL_TIMEZONE = ZoneInfo("Europe/London")
_SECTION = re.compile(r"^[A-Z]$")


class ScenarioFileError(ApComplianceError, ValueError):
    """A scenario file is malformed. Names the file and, where known, the scenario (its index
    in `scenarios` and its name) and the key at fault; never a value from the case."""

    def __init__(
        self,
        file: str,
        message: str,
        *,
        scenario: int | None = None,
        name: str | None = None,
        key: str | None = None,
    ) -> None:
        self.file = file
        self.message = message
        self.scenario = scenario
        self.name = name
        self.key = key
        where = file
        if scenario is not None:
            where += f": scenarios[{scenario}]"
            if name:
                where += f" {json.dumps(name, ensure_ascii=False)}"
        if key:
            where += f": {key}"
        super().__init__(f"{where}: {message}")


# --- reading YAML ----------------------------------------------------------------------------


def read_yaml(text: str, source: str) -> Any:
    """Parse scenario YAML (`textfiles.parse_yaml`: dates stay text, a key given twice is an
    error). Errors name the source, line and column but never quote the text: a case may hold
    personal data."""
    try:
        return textfiles.parse_yaml(text)
    except textfiles.YamlError as exc:
        raise ScenarioFileError(source, f"not valid YAML: {exc}") from None


# --- the format ------------------------------------------------------------------------------


_DATETIME = TypeAdapter(datetime)


def parse_when(value: object) -> date | datetime | None:
    """A date ("2025-11-14") or a date-time ("2025-11-01T09:00", an offset allowed) from YAML
    or ISO text; a date-time with an offset becomes local time in England, as findings give
    it."""
    if value is None:
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return value
    elif isinstance(value, str) and len(value.strip()) == 10:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError("not a date (YYYY-MM-DD)") from None
    elif isinstance(value, str):
        try:
            moment = _DATETIME.validate_python(value.strip())
        except ValidationError:
            raise ValueError("not a date-time (YYYY-MM-DDTHH:MM, optionally an offset)") from None
    else:
        raise ValueError("a date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM) is expected")
    if moment.tzinfo is not None:
        moment = moment.astimezone(SCHOOL_TIMEZONE).replace(tzinfo=None)
    return moment


When = Annotated[date | datetime | None, PlainValidator(parse_when)]


def _a_day(value: object, where: str) -> date:
    try:
        day = parse_when(value) if isinstance(value, str) and len(value.strip()) == 10 else None
    except ValueError:
        day = None
    if not isinstance(day, date) or isinstance(day, datetime):
        raise ValueError(f"{where}: not a date (YYYY-MM-DD)")
    return day


def parse_uncovered(value: object) -> tuple[DayRange, ...]:
    """School days not covered, as a finding lists them: a list whose entries are a date (one
    school day) or `{first: date, last: date}` (a run of school days); `[]` for none."""
    if not isinstance(value, (list, tuple)):
        raise ValueError("a list of dates or {first: date, last: date} runs of school days")
    out = []
    for i, entry in enumerate(value):
        if isinstance(entry, dict):
            if set(entry) != {"first", "last"}:
                raise ValueError(f"[{i}]: a run of school days is {{first: date, last: date}}")
            first = _a_day(entry["first"], f"[{i}].first")
            last = _a_day(entry["last"], f"[{i}].last")
            if last < first:
                raise ValueError(f"[{i}]: last is before first")
        else:
            first = last = _a_day(entry, f"[{i}]")
        out.append(DayRange(first=first, last=last))
    return tuple(out)


Uncovered = Annotated[tuple[DayRange, ...] | None, PlainValidator(parse_uncovered)]


class Expectation(BaseModel):
    """A finding expected: `rule` (a rule id) or `clause`, and the values it must have. It
    must match exactly one finding, unless `count` says how many."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str | None = None
    clause: str | None = None
    subject: str | None = None
    period: str | None = None
    due: When = None
    status: str | None = None
    met_by: str | None = None
    kind: str | None = None
    uncovered: Uncovered = None
    """For a duty over a period: the school days no fact covers, as the finding lists them."""
    count: StrictInt | None = Field(default=None, ge=0)

    @field_validator("status")
    @classmethod
    def _a_status(cls, value: str | None) -> str | None:
        if value is not None and value not in STATUSES:
            raise ValueError(f"{value!r} is not a status; one of: {', '.join(STATUSES)}")
        return value

    @field_validator("kind")
    @classmethod
    def _a_kind(cls, value: str | None) -> str | None:
        if value is not None and value not in KINDS:
            raise ValueError(f"{value!r} is not a kind; one of: {', '.join(KINDS)}")
        return value

    @model_validator(mode="after")
    def _names_a_rule_or_clause(self) -> Expectation:
        if self.rule is None and self.clause is None:
            raise ValueError("an expectation names a `rule` (rule id) or a `clause`")
        return self

    @property
    def pinned(self) -> dict[str, object]:
        """The finding fields this expectation pins, by `Finding` field name."""
        given = self.model_fields_set
        out: dict[str, object] = {}
        if self.rule is not None:
            out["rule_id"] = self.rule
        if self.clause is not None:
            out["clause"] = self.clause
        for key in MATCH_KEYS:
            if key in given:
                out[key] = getattr(self, key)
        return out

    def matches(self, finding: Finding) -> bool:
        return all(_same(getattr(finding, k), v) for k, v in self.pinned.items())

    def describe(self) -> str:
        """The expectation as the YAML flow mapping a reader would write."""
        shown = {("rule" if k == "rule_id" else k): v for k, v in self.pinned.items()}
        if self.count is not None:
            shown["count"] = self.count
        return _flow(shown)


class Scenario(BaseModel):
    """One scenario: a case, the date it is assessed as of, and what is expected."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    says: str | None = None
    """The clause's words, for the reader (not checked)."""
    as_of: date
    settings: dict[str, Any] = {}
    case: dict[str, Any] | None = None
    case_file: str | None = None
    expect: tuple[Expectation, ...] = ()
    expect_absent: tuple[str, ...] = ()
    """Rule ids or clause ids that must have no finding."""
    expect_only: StrictBool = False
    """No finding of the rules (or clauses) named in `expect` other than those expected."""

    @field_validator("expect_absent", mode="before")
    @classmethod
    def _one_or_more(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value

    @field_validator("as_of", mode="before")
    @classmethod
    def _a_date(cls, value: object) -> object:
        when = parse_when(value)
        if isinstance(when, datetime):
            raise ValueError("not a date (YYYY-MM-DD): the evaluation date is a day")
        return when

    @model_validator(mode="after")
    def _complete(self) -> Scenario:
        if (self.case is None) == (self.case_file is None):
            raise ValueError("give exactly one of `case` (inline) or `case_file` (a path)")
        if not self.expect and not self.expect_absent:
            raise ValueError("a scenario expects something: give `expect` or `expect_absent`")
        return self


class ScenarioDocument(BaseModel):
    """A scenario file: the rules to load, the calendar, the switches, and the scenarios."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: tuple[str, ...] | None = None
    """Sections of the bundled rules (`I`, `H`...) or paths to rule files, relative to the
    scenario file; by default every bundled rule."""
    gaps: StrictBool = False
    calendar: str = EXAMPLE_CALENDAR
    """`example`, or a calendar file (YAML, or iCalendar by `.ics`) relative to the scenario
    file."""
    settings: dict[str, Any] = {}
    scenarios: tuple[Scenario, ...]

    @field_validator("rules", mode="before")
    @classmethod
    def _one_or_more(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _some(self) -> ScenarioDocument:
        if not self.scenarios:
            raise ValueError("`scenarios` is empty: a file holds one or more scenarios")
        return self


# --- loading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreparedScenario:
    """A scenario with its case and switches validated, ready to run."""

    index: int
    spec: Scenario
    case: Case
    settings: PolicySettings

    @property
    def name(self) -> str:
        return self.spec.name


@dataclass(frozen=True)
class ScenarioSuite:
    """A loaded scenario file: its rule book's evaluator, its calendar and its scenarios."""

    path: Path
    source: str
    """How results and errors name the file."""
    evaluator: Evaluator
    calendar: SchoolCalendar
    scenarios: tuple[PreparedScenario, ...]

    def run(self) -> list[ScenarioResult]:
        """Run every scenario, in file order."""
        return [self.run_one(s) for s in self.scenarios]

    def run_one(self, scenario: PreparedScenario) -> ScenarioResult:
        """Assess the scenario's case and compare the findings with what it expects. A case the
        library refuses (e.g. a suspension starting on a Saturday) is an error result."""
        try:
            assessment = self.evaluator.evaluate(
                scenario.case,
                as_of=scenario.spec.as_of,
                calendar=self.calendar,
                settings=scenario.settings,
            )
        except ApComplianceError as exc:
            return ScenarioResult(
                self.source, scenario.index, scenario.name, error=f"cannot assess: {exc}"
            )
        problems, checked = compare(scenario.spec, assessment.findings)
        return ScenarioResult(
            self.source, scenario.index, scenario.name, problems=problems, checked=checked
        )


def load_scenario_file(path: str | Path, *, source: str | None = None) -> ScenarioSuite:
    """Read, validate and prepare a scenario file. Raises `ScenarioFileError` naming the file,
    the scenario and the key for: invalid YAML, unknown keys, bad dates or statuses, a case or
    switches that do not validate, an unknown rule or clause, a missing calendar or case file.
    `source` is how errors and results name the file (default: the path as given); the paths
    in it (calendar, rule and case files) are relative to the file's folder."""
    path = Path(path)
    source = source or str(path)
    try:
        text = textfiles.read_text(path)
    except (OSError, NotUtf8Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else exc.reason
        raise ScenarioFileError(source, f"cannot read the scenario file ({reason})") from None
    data = read_yaml(text, source)
    if not isinstance(data, dict):
        raise ScenarioFileError(source, "a scenario file is a mapping with a `scenarios` list")
    try:
        doc = ScenarioDocument.model_validate(data)
    except ValidationError as exc:
        raise _document_error(source, data, exc) from None
    seen: dict[str, int] = {}
    for i, s in enumerate(doc.scenarios):
        if s.name in seen:
            raise ScenarioFileError(
                source,
                f"the name is also scenarios[{seen[s.name]}]'s",
                scenario=i,
                name=s.name,
                key="name",
            )
        seen[s.name] = i
    _settings(doc.settings, source, None, None)  # the file's own, blamed on the file
    base = path.parent
    evaluator = _evaluator_for(doc, base, source)
    calendar = _calendar_for(doc.calendar, base, source)
    _check_names(doc, evaluator, source)
    prepared = tuple(
        PreparedScenario(
            index=i,
            spec=s,
            case=_case_for(s, i, base, source),
            settings=_settings({**doc.settings, **s.settings}, source, i, s.name),
        )
        for i, s in enumerate(doc.scenarios)
    )
    return ScenarioSuite(
        path=path, source=source, evaluator=evaluator, calendar=calendar, scenarios=prepared
    )


def run_scenario_file(path: str | Path) -> list[ScenarioResult]:
    """Load a scenario file and run every scenario in it."""
    return load_scenario_file(path).run()


def _document_error(source: str, data: dict[str, Any], exc: ValidationError) -> ScenarioFileError:
    """A scenario file's validation errors, each located by scenario and key: the first as the
    error's own file, scenario and key, any others on lines of their own."""
    raw = data.get("scenarios")
    located = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        scenario: int | None = None
        name: str | None = None
        if len(loc) >= 2 and loc[0] == "scenarios" and isinstance(loc[1], int):
            scenario, loc = loc[1], loc[2:]
            if isinstance(raw, list) and scenario < len(raw) and isinstance(raw[scenario], dict):
                raw_name = raw[scenario].get("name")
                name = raw_name if isinstance(raw_name, str) else None
        message = problem_text(err)
        if err["type"] == "extra_forbidden":
            model: type[BaseModel] = ScenarioDocument
            if scenario is not None:
                model = Expectation if len(loc) == 3 and loc[0] == "expect" else Scenario
            message = f"unknown key (allowed: {', '.join(model.model_fields)})"
        elif err["type"] == "missing":
            message = "missing (required)"
        located.append(
            ScenarioFileError(source, message, scenario=scenario, name=name, key=_key(loc) or None)
        )
    first, *others = located
    if not others:
        return first
    also = "".join(f"\n  also: {str(e).removeprefix(source + ': ')}" for e in others)
    return ScenarioFileError(
        source,
        first.message + also,
        scenario=first.scenario,
        name=first.name,
        key=first.key,
    )


def _key(loc: Sequence[object]) -> str:
    """A pydantic error location as a key path: `expect[0].status`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _bundled_sections(sections: Iterable[tuple[int, str]], source: str) -> list[tuple[str, str]]:
    """(name, text) of the bundled rule files of the given sections (each with its index in
    `rules`, to name it in an error)."""
    root = resources.files("apcompliance.rules")
    entries = sorted((e for e in root.iterdir() if e.name.endswith(".yaml")), key=lambda e: e.name)
    out = []
    for i, section in sections:
        own = [e for e in entries if e.name.startswith(f"{section}-")]
        if not own:
            raise ScenarioFileError(
                source, f"no bundled rule file for section {section!r}", key=f"rules[{i}]"
            )
        out += [(e.name, e.read_text(encoding="utf-8")) for e in own]
    return out


def _evaluator_for(doc: ScenarioDocument, base: Path, source: str) -> Evaluator:
    if doc.rules is None:
        return _cached_evaluator(None, doc.gaps)
    sections = [(i, r) for i, r in enumerate(doc.rules) if _SECTION.match(r)]
    files: list[tuple[str, str]] = []
    for i, entry in enumerate(doc.rules):
        if _SECTION.match(entry):
            continue
        path = base / entry
        try:
            files.append((str(path), textfiles.read_text(path)))
        except NotUtf8Error as exc:
            raise ScenarioFileError(source, str(exc), key=f"rules[{i}]") from None
        except OSError:
            hint = " (a bundled section is one capital letter, e.g. I)" if len(entry) < 3 else ""
            raise ScenarioFileError(
                source, f"cannot read the rule file {path}{hint}", key=f"rules[{i}]"
            ) from None
    digests = tuple(
        hashlib.sha256(text.encode()).hexdigest()
        for _, text in [*_bundled_sections(sections, source), *files]
    )
    try:
        letters = tuple(r for _, r in sections)
        return _cached_evaluator(digests, doc.gaps, letters, tuple(p for p, _ in files))
    except ApComplianceError as exc:
        raise ScenarioFileError(source, f"the rules do not load: {exc}", key="rules") from None


@functools.lru_cache(maxsize=32)
def _cached_evaluator(
    key: tuple[str, ...] | None,
    gaps: bool,
    sections: tuple[str, ...] = (),
    paths: tuple[str, ...] = (),
) -> Evaluator:
    """One evaluator per rule set (compiling a rule book costs), shared by every file that
    loads the same rules; `key` holds each file's digest, so an edited rule file is reloaded."""
    if key is None:
        return Evaluator(load_rulebook(gaps=gaps))
    root = resources.files("apcompliance.rules")
    with contextlib.ExitStack() as stack:
        bundled = [
            stack.enter_context(resources.as_file(e))
            for e in sorted(root.iterdir(), key=lambda e: e.name)
            if e.name.endswith(".yaml") and any(e.name.startswith(f"{s}-") for s in sections)
        ]
        return Evaluator(load_rulebook([*bundled, *map(Path, paths)], gaps=gaps))


def _calendar_for(name: str, base: Path, source: str) -> SchoolCalendar:
    if name == EXAMPLE_CALENDAR:
        return SchoolCalendar.example()
    path = base / name
    if not path.is_file():
        raise ScenarioFileError(source, f"no calendar file {path}", key="calendar")
    try:
        return SchoolCalendar.from_file(path)
    except ApComplianceError as exc:
        raise ScenarioFileError(source, f"invalid calendar: {exc}", key="calendar") from None


def _check_names(doc: ScenarioDocument, evaluator: Evaluator, source: str) -> None:
    """Every rule id and clause an expectation names is in the rule book loaded."""
    rules = {r.id for r in evaluator.book.rules}
    clauses = {
        r.cited(school_type)[0]
        for r in evaluator.book.rules
        for school_type in ("academy", "maintained")
    }

    def fail(i: int, s: Scenario, key: str, message: str, near: str) -> ScenarioFileError:
        close = difflib.get_close_matches(near, sorted(rules | clauses), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        return ScenarioFileError(source, message + hint, scenario=i, name=s.name, key=key)

    for i, s in enumerate(doc.scenarios):
        for j, e in enumerate(s.expect):
            if e.rule is not None and e.rule not in rules:
                raise fail(i, s, f"expect[{j}].rule", f"no rule {e.rule!r} is loaded", e.rule)
            if e.clause is not None and e.clause not in clauses:
                msg = f"no rule loaded implements clause {e.clause!r}"
                raise fail(i, s, f"expect[{j}].clause", msg, e.clause)
        for j, name in enumerate(s.expect_absent):
            if name not in rules and name not in clauses:
                msg = f"{name!r} is neither a rule id nor a clause of the rules loaded"
                raise fail(i, s, f"expect_absent[{j}]", msg, name)


def _default_case_id(name: str, index: int) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")[:64].rstrip("-")
    return slug or f"scenario-{index + 1}"


def _json_value(value: object) -> object:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot be written as JSON: {type(value).__name__}")


def _case_for(s: Scenario, index: int, base: Path, source: str) -> Case:
    key = "case"
    data: object = s.case
    if s.case_file is not None:
        key = "case_file"
        path = base / s.case_file
        try:
            text = textfiles.read_text(path)
        except (OSError, NotUtf8Error) as exc:
            why = f"cannot read the case file {path}" if isinstance(exc, OSError) else str(exc)
            raise ScenarioFileError(source, why, scenario=index, name=s.name, key=key) from None
        if path.suffix.lower() in (".yaml", ".yml"):
            data = read_yaml(text, str(path))
        else:
            try:
                data = textfiles.load_json(text)
            except json.JSONDecodeError as exc:
                raise ScenarioFileError(
                    source,
                    f"{path} is not JSON (line {exc.lineno}, column {exc.colno})",
                    scenario=index,
                    name=s.name,
                    key=key,
                ) from None
    if not isinstance(data, dict):
        raise ScenarioFileError(
            source,
            "a case is a mapping (the JSON case format)",
            scenario=index,
            name=s.name,
            key=key,
        )
    data = {"case_id": _default_case_id(s.name, index), **data}
    try:
        return Case.model_validate_json(json.dumps(data, default=_json_value))
    except ValidationError as exc:
        case_id = data.get("case_id")
        shown = f" (case {case_id})" if is_identifier(case_id) else ""
        raise ScenarioFileError(
            source,
            f"the case does not validate{shown}: {validation_problems(exc, Case)}",
            scenario=index,
            name=s.name,
            key=key,
        ) from None


def _settings(
    values: dict[str, Any], source: str, index: int | None, name: str | None
) -> PolicySettings:
    try:
        return PolicySettings.model_validate_json(json.dumps(values, default=_json_value))
    except ValidationError as exc:
        known = ""
        if any(e["type"] == "extra_forbidden" for e in exc.errors()):
            known = f" (the switches: {', '.join(PolicySettings.model_fields)})"
        raise ScenarioFileError(
            source,
            f"invalid switches: {validation_problems(exc, PolicySettings)}{known}",
            scenario=index,
            name=name,
            key="settings",
        ) from None


# --- comparing -------------------------------------------------------------------------------


def _same(actual: object, expected: object) -> bool:
    """Equal, and of the same kind: a date never equals a date-time."""
    if isinstance(actual, datetime) != isinstance(expected, datetime):
        return False
    return actual == expected


def _scalar(value: object) -> str:
    """A value as YAML flow text a reader can paste back into a scenario."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes" if not value.second else "seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, DayRange):
        if value.first == value.last:
            return _scalar(value.first)
        return f"{{first: {_scalar(value.first)}, last: {_scalar(value.last)}}}"
    if isinstance(value, tuple):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    text = str(value)
    if (
        not text
        or re.search(r"[,:{}\[\]#&*!|>'\"%@`]|^[-?\s]|\s$", text)
        or not _reads_back(text)  # as null, a number or a boolean
    ):
        return json.dumps(text, ensure_ascii=False)
    return text


def _reads_back(text: str) -> bool:
    """Whether plain `text` in a scenario file would be read as that text."""
    try:
        return bool(read_yaml(text, "<value>") == text)
    except ScenarioFileError:
        return False


def _flow(values: dict[str, object]) -> str:
    return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in values.items()) + "}"


def describe_finding(f: Finding) -> str:
    """A finding as a scenario would pin it: rule id, subject, period, due, status, met_by,
    and the school days not covered where there are some (fields that carry no personal
    data)."""
    shown: dict[str, object] = {"rule": f.rule_id, "subject": f.subject}
    if f.period is not None:
        shown["period"] = f.period
    shown |= {"due": f.due, "status": f.status, "met_by": f.met_by}
    if f.uncovered:
        shown["uncovered"] = f.uncovered
    return _flow(shown)


def compare(
    scenario: Scenario, findings: Sequence[Finding]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What the findings break of the scenario's expectations (readable problems, empty when it
    passes) and what they satisfied (one line per finding matched)."""
    problems: list[str] = []
    checked: list[str] = []
    matched: set[int] = set()
    for e in scenario.expect:
        hits = [i for i, f in enumerate(findings) if e.matches(f)]
        matched.update(hits)
        wanted = 1 if e.count is None else e.count
        if len(hits) == wanted:
            checked += [f"matched {describe_finding(findings[i])}" for i in hits]
            if not hits:
                checked.append(f"no finding matches {e.describe()}")
            continue
        what = "exactly one finding" if e.count is None else f"{e.count} finding(s)"
        got = "none matches" if not hits else f"{len(hits)} match"
        name = e.rule or e.clause or ""
        of_rule = [f for f in findings if _of(f, e.rule, e.clause)]
        lines = [f"expected {what} {e.describe()}"]
        if of_rule:
            lines.append(f"  but {got}; the findings of {name} are:")
            lines += [f"    {describe_finding(f)}" for f in of_rule]
        else:
            lines.append(f"  but {name} has no finding")
        problems.append("\n".join(lines))
    if scenario.expect_only:
        named = [(e.rule, e.clause) for e in scenario.expect]
        extra = [
            f
            for i, f in enumerate(findings)
            if i not in matched and any(_of(f, r, c) for r, c in named)
        ]
        if extra:
            lines = ["expected no other finding of the rules named (expect_only)", "  but found:"]
            lines += [f"    {describe_finding(f)}" for f in extra]
            problems.append("\n".join(lines))
    for name in scenario.expect_absent:
        present = [f for f in findings if name in (f.rule_id, f.clause)]
        if present:
            lines = [f"expected no finding of {name}", "  but found:"]
            lines += [f"    {describe_finding(f)}" for f in present]
            problems.append("\n".join(lines))
        else:
            checked.append(f"no finding of {name}")
    return tuple(problems), tuple(checked)


def _of(f: Finding, rule: str | None, clause: str | None) -> bool:
    return (rule is None or f.rule_id == rule) and (clause is None or f.clause == clause)


@dataclass(frozen=True)
class ScenarioResult:
    """The outcome of one scenario: passed, failed (`problems`), or could not be assessed
    (`error`, naming only ids)."""

    file: str
    index: int
    name: str
    problems: tuple[str, ...] = ()
    error: str | None = None
    checked: tuple[str, ...] = field(default=(), repr=False)
    """For a verbose report: each expectation met, and the finding that met it."""

    @property
    def passed(self) -> bool:
        return not self.problems and self.error is None

    @property
    def outcome(self) -> str:
        """passed, failed, or error."""
        if self.error is not None:
            return "error"
        return "failed" if self.problems else "passed"

    def report(self) -> str:
        """What was expected and what the rules found, one problem after another."""
        if self.error is not None:
            return self.error
        return "\n".join(self.problems)


__all__ = [
    "KINDS",
    "STATUSES",
    "Expectation",
    "PreparedScenario",
    "Scenario",
    "ScenarioDocument",
    "ScenarioFileError",
    "ScenarioResult",
    "ScenarioSuite",
    "compare",
    "describe_finding",
    "load_scenario_file",
    "parse_when",
    "read_yaml",
    "run_scenario_file",
]
