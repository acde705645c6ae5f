"""The fact model and the interpretation switches as Markdown, generated from the Pydantic
models themselves (`apcompliance reference > docs/reference.md`; a test keeps it current)."""

from __future__ import annotations

import ast
import functools
import inspect
import itertools
import json
import re
import sys
import typing
from collections.abc import Iterator
from types import ModuleType, NoneType, UnionType
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import to_jsonable_python

from apcompliance.facts import Case
from apcompliance.facts.events import Event
from apcompliance.facts.vocabulary import AGGREGATES, EVENT_FACTS, FACT_TYPES, FOLDED
from apcompliance.policy.settings import PolicySettings
from apcompliance.results.assessment import Assessment

FORMATS = """\
## How values are written

A case is JSON (or the same data in Python). Dates are ISO 8601, `2025-11-10`; a date-time is
`2025-11-10T15:30:00+00:00`, or without an offset the school's local time (Europe/London);
a time of day is `15:30`. A list is a JSON array, each entry at most once where the field says
so. A field left out takes its default; where the default is `null` and the meaning says "not
recorded", the value is unknown, and a duty that turns on it is `information_needed`, naming
the field (never a silent pass or breach). A field whose default is `false` or `[]` records
that default when left out: leave it out only when it is so. Ids (`case_id`, every `id`) are
made up by the school system: 1–64 letters, digits and `_ . : -`, starting with a letter or
digit; they appear in findings and logs, so never a name, a UPN or a date of birth. Every
reference to an id (`about`, `placement_id`, `provider_id`, `timetable_id`, `for_exclusion`,
`provider_contributions`) has the same form. An error names the field at fault, never its
value: not even an id, unless it is the valid `case_id`.
"""

WHICH_IS_WHICH = """\
## Fields that look alike

* **Which address counts.** `placements[].address` is where the pupil attends that
  placement, as arranged. A notice to the parents must give it:
  `exclusion_notice.provision_address` (I.1.iii) and `referral_notice.provision_address`
  (H.2.i) are what the notice told them, compared with the placement's address (ignoring
  case, spaces and punctuation). `providers[].addresses` are the provider's own site (`main`)
  and its `satellite` or `subcontracted` sites: the school's record of where its pupils may be
  (G.2.4), never compared with a notice.
* **Which notice goes to whom.** `exclusion_notice`: to the parents, about a suspension or
  permanent exclusion (`about`): the notice of the exclusion itself, by the end of the
  afternoon session of its first day (I.2; each further suspension of a back-to-back period
  has its own), and any later notice giving the provision's details (I.1.i–iv, no later than
  48 hours before provision starts, or less with `short_notice_consent`). `referral_notice`:
  the notice of an off-site direction (H.2), to the parents, the pupil over 18 and, for a
  pupil with an EHC plan, the local authority (`recipients`), two school days before the
  provision begins. `exclusion_notification`: the law's notification of an exclusion to the
  local authority, the social worker or the virtual school head (`to`): not a notice to the
  parents.
* **`sent_at`, `sent_on`, `…_on`, `…_at`.** A notice records `sent_at`, a date-time, and
  `method`, how it was sent (letter, email, text message or by hand are in writing, I.3; phone
  or in person are not). `sent_on` is not a field of the case: rules see the local day of
  `sent_at` under that name. Other events record a day (`held_on`, `checked_on`…); the
  optional `held_at`, `checked_at`, `shared_at`, `agreed_at` give the time on that day, which
  shows whether a record made on a placement's first day came before the pupil first attended.
* **References.** `about` always names a suspension or permanent exclusion (its event `id`);
  `placement_id` a placement, `provider_id` a provider, `timetable_id` a part-time timetable.
  `placements[].for_exclusion` ties provision to the exclusion it is for (without it, a
  `suspension_provision` or `permanent_exclusion_provision` placement is tied to the exclusion
  whose days its start date falls in). The events of a return to school give exactly one of
  `placement_id` (from a placement) and `about` (from a suspension).
* **Ids.** `case_id` and every `id` are the school system's own references, never personal
  data. A provider's `id` is not its `urn` or `ukprn` (those identify it in the school census).
* **Dates of a placement.** `start_date` is the first day of provision as arranged;
  `arranged_on` the day it was decided; a notice's `start_date` or `provision_start_date` is
  what the notice told the parents.
"""


def _type_name(annotation: Any) -> str:
    """A field's type in words: `one of \\`a\\`, \\`b\\``, `list of X`, `X \\| None`."""
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is Annotated:
        text = _type_name(args[0])
    elif origin is Literal:
        text = "one of " + ", ".join(f"`{a}`" for a in args)
    elif origin in (typing.Union, UnionType):
        text = " | ".join(_type_name(a) for a in args)
    elif origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        text = f"list of {_type_name(args[0])}"
    elif origin is tuple:
        text = "[" + ", ".join(_type_name(a) for a in args) + "]"
    elif origin is dict:
        text = f"map of {_type_name(args[0])} to {_type_name(args[1])}"
    elif annotation is NoneType:
        text = "None"
    elif annotation is Any:
        text = "any"
    elif isinstance(annotation, type):
        text = annotation.__name__
    else:
        text = re.sub(r"typing\.|datetime\.|apcompliance\.[a-z_.]+\.", "", repr(annotation))
    return text.replace("|", "\\|")


def _doc(model: type[BaseModel]) -> str:
    return " ".join((inspect.getdoc(model) or "").split())


def _cell(text: str | None) -> str:
    return " ".join((text or "").split()).replace("|", "\\|")


def _parts(annotation: Any) -> Iterator[Any]:
    """The annotation and every type inside it (unions, tuples, Annotated, dicts)."""
    yield annotation
    for arg in get_args(annotation):
        if get_origin(annotation) is not Literal:
            yield from _parts(arg)


def reachable_models(root: type[BaseModel], *, skip: tuple[str, ...] = ()) -> list[type[BaseModel]]:
    """`root` and every model its fields hold, depth first in field order (each once);
    `skip` leaves out fields of `root` by name."""
    seen: list[type[BaseModel]] = []

    def visit(model: type[BaseModel], leave_out: tuple[str, ...] = ()) -> None:
        if model in seen:
            return
        seen.append(model)
        for name, info in model.model_fields.items():
            if name in leave_out:
                continue
            for part in _parts(info.annotation):
                if isinstance(part, type) and issubclass(part, BaseModel):
                    visit(part)

    visit(root, skip)
    return seen


@functools.cache
def _alias_docs(module: ModuleType) -> dict[Any, tuple[str, str]]:
    """The module's documented Literal aliases (`Name = Literal[...]` followed by a string):
    the Literal -> (its name, its docstring)."""
    try:
        tree = ast.parse(inspect.getsource(module))
    except (OSError, TypeError):
        return {}
    found: dict[Any, tuple[str, str]] = {}
    body = tree.body
    for node, after in itertools.pairwise(body):
        target = node.targets[0] if isinstance(node, ast.Assign) else None
        if isinstance(node, ast.AnnAssign):
            target = node.target
        if not isinstance(target, ast.Name) or not isinstance(after, ast.Expr):
            continue
        if isinstance(after.value, ast.Constant) and isinstance(after.value.value, str):
            value = getattr(module, target.id, None)
            if get_origin(value) is Literal:
                found[value] = (target.id, inspect.cleandoc(after.value.value))
    return found


def value_notes(model: type[BaseModel]) -> list[tuple[str, str, str]]:
    """(field, alias name, what its values mean) for each of the model's fields whose choices
    are a documented alias (`NoticeMethod`, `Status`…)."""
    modules = {sys.modules[c.__module__] for c in model.__mro__ if c.__module__ in sys.modules}
    docs: dict[Any, tuple[str, str]] = {}
    for module in modules:
        docs.update(_alias_docs(module))
    notes = []
    for name, info in model.model_fields.items():
        for part in _parts(info.annotation):
            if get_origin(part) is Literal and part in docs:
                notes.append((name, *docs[part]))
                break
    return notes


def _json(value: Any) -> str:
    return json.dumps(to_jsonable_python(value), ensure_ascii=False)


def _examples(info: FieldInfo) -> str:
    return ", ".join(f"`{_json(e)}`" for e in info.examples or ())


def model_table(model: type[BaseModel], level: str = "###") -> list[str]:
    """A model's fields: type, required or default, meaning, examples; and what the values
    of its documented choices mean."""
    lines = [
        f"{level} `{model.__name__}`",
        "",
        _doc(model),
        "",
        "| field | type | required / default | meaning | examples |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, field in model.model_fields.items():
        default = "required" if field.is_required() else f"`{_json(field.default)}`"
        kind = "list of the event kinds below" if name == "events" else _type_name(field.annotation)
        lines.append(
            f"| `{name}` | {kind} | {default} | {_cell(field.description)} | {_examples(field)} |"
        )
    lines.append("")
    fields_of: dict[tuple[str, str], list[str]] = {}
    for name, alias, doc in value_notes(model):
        fields_of.setdefault((alias, doc), []).append(f"`{name}`")
    for (alias, doc), names in fields_of.items():
        lines += [f"*{', '.join(names)}* (`{alias}`): {_paragraphs(doc)}", ""]
    return lines


def _paragraphs(doc: str) -> str:
    """A docstring as Markdown: lines joined, except that a `* ` item starts a list line."""
    items = re.split(r"\n(?=\* )", doc)
    return "\n".join(" ".join(item.split()) for item in items)


def event_models() -> list[type[BaseModel]]:
    union = typing.get_args(Event)[0]
    return list(typing.get_args(union))


def engine_fact_tables() -> list[str]:
    """The facts rules speak about: each fact type's fields, where each comes from."""
    lines = [
        "## The facts rules speak about",
        "",
        "What `rules/*.yaml` conditions name (`facts/vocabulary.py`). The fact of each event",
        "kind is generated from its model above: its fields come from the event's own (references",
        "renamed, free text only as whether it is given, a tuple of choices as one true/false",
        "field per choice) plus the derived fields `facts/derived.py` declares. The pupil,",
        "providers, periods of exclusion, placements and the policy are aggregates declared by",
        "hand. In the engine, dates are day ordinals and times minutes since 1970; `None` fields",
        "are left out. A value derive computes is marked in *from*: `presence` (whether the case",
        "records a value or an item), `aggregate` (over other facts, the calendar, the settings",
        "or the evaluation date); what a clause's words mean is a named term (`rules/terms.yaml`).",
        "",
    ]
    generated = {e.fact_type: e for e in EVENT_FACTS.values()}
    for name, fact in FACT_TYPES.items():
        event = generated.get(fact)
        if event is None:
            kind = "derive: an aggregate declared by hand"
            folded = sorted(m.model_fields["kind"].default for m, t in FOLDED.items() if t == name)
            if folded:
                kind += "; folds in " + ", ".join(f"`{k}`" for k in folded)
        else:
            kind = (
                f"the `{event.model.model_fields['kind'].default}` event (`{event.model.__name__}`)"
            )
        lines += [f"### `{name}`", "", f"From {kind}.", "", "| field | type | from | meaning |"]
        lines.append("| --- | --- | --- | --- |")
        derived = event.derived.model_fields if event and event.derived else {}
        own = dict(event.copied) if event else {}
        for field_name, info in fact.model_fields.items():
            if fact in AGGREGATES:
                source = "derive"
            elif field_name in derived:
                source = "derived"
            else:
                source = "event" if field_name in own else "derive"
            mark = fact.derived_fields().get(field_name)
            if mark is not None:
                source += f" ({mark.kind})"
            meaning = _cell(info.description)
            typed = _type_name(info.annotation)
            if field_name in fact.unrecorded_fields():
                typed += " (unrecorded is unknown)"
            lines.append(f"| `{field_name}` | {typed} | {source} | {meaning} |")
        lines.append("")
    return lines


EVENT_GROUPS = {
    "apcompliance.facts.events": "Exclusions, their notices and provision (section I)",
    "apcompliance.facts.direction": "An off-site direction (section H)",
    "apcompliance.facts.reviews": "Reviews of a placement (H.3, H.4)",
    "apcompliance.facts.needs": "The pupil's needs (H.1, H.6, L)",
    "apcompliance.facts.commissioning": "Commissioning a placement (C, F, G, K, M, P)",
    "apcompliance.facts.monitoring": "Monitoring a placement (G, N, O)",
    "apcompliance.facts.reintegration": (
        "Returning to school and part-time timetables (Q, E.7, J.5)"
    ),
}
"""The heading of each module's event kinds (another module's: its docstring's first line)."""


def event_tables(shown: list[type[BaseModel]]) -> list[str]:
    """Every event kind, grouped by the module (the policy section) that defines it, each
    followed by the models only it holds; `shown` collects what is rendered."""
    groups: dict[str, list[type[BaseModel]]] = {}
    for model in event_models():
        groups.setdefault(model.__module__, []).append(model)
    lines = ["## Events", "", "Every event has a `kind`, which names its table.", ""]
    for module, models in groups.items():
        doc = (sys.modules[module].__doc__ or module).strip().split("\n")[0]
        lines += [f"### {EVENT_GROUPS.get(module, doc)}", ""]
        for model in models:
            for part in reachable_models(model):
                if part not in shown:
                    shown.append(part)
                    lines += model_table(part, "####")
    return lines


def settings_table() -> list[str]:
    lines = [
        "## Interpretation switches and parameters (`PolicySettings`)",
        "",
        "| switch | default | clause | meaning |",
        "| --- | --- | --- | --- |",
    ]
    for name, reading in PolicySettings().readings().items():
        meaning = _cell(str(reading["meaning"]))
        lines.append(f"| `{name}` | `{reading['default']!r}` | {reading['clause']} | {meaning} |")
    return [*lines, ""]


def reference_markdown() -> str:
    """The case model, every event kind, the assessment, the engine facts and every switch."""
    lines = [
        "# Reference: cases, events, assessments and switches",
        "",
        "Generated from the Pydantic models by `apcompliance reference > docs/reference.md`; do",
        "not edit by hand. `apcompliance schema --case` / `--assessment` prints the same models",
        "as JSON Schema, with the same meanings and examples.",
        "",
        *FORMATS.splitlines(),
        "",
        *WHICH_IS_WHICH.splitlines(),
        "",
        "## A case",
        "",
    ]
    shown = reachable_models(Case, skip=("events",))
    for model in shown:
        lines += model_table(model)
    lines += event_tables(shown)
    lines += [
        "## An assessment",
        "",
        "What `evaluate` returns and `apcompliance check --json` prints (`Assessment.to_json()`;",
        "`trace` only when asked for).",
        "",
    ]
    for model in reachable_models(Assessment):
        lines += model_table(model)
    lines += engine_fact_tables()
    lines += settings_table()
    return "\n".join(lines).rstrip("\n") + "\n"
