"""The Jinja2 templates of the HTML views (autoescaped: every value is escaped unless a
template marks it safe), and the timeline drawn by its macro (`templates/timeline.html.j2`)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from apcompliance.calendar.clock import day, deadline_text
from apcompliance.results.timeline import Timeline
from apcompliance.results.tones import TONES

if TYPE_CHECKING:
    from jinja2 import BaseLoader, Environment

__all__ = ["environment", "timeline_html"]


def environment(*loaders: BaseLoader) -> Environment:
    """A Jinja2 environment over `loaders` and this package's templates (the timeline macro),
    autoescaped, with the filters `day` and `deadline` and the status colours `tones`. (Jinja2
    is imported here: only a command that writes HTML needs it.)"""
    from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=ChoiceLoader([*loaders, PackageLoader("apcompliance.results", "templates")]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = day
    env.filters["deadline"] = deadline_text
    env.globals["tones"] = TONES
    return env


@functools.cache
def _timeline_macros() -> object:
    return environment().get_template("timeline.html.j2").module


def timeline_html(timeline: Timeline, *, legend: bool = True) -> str:
    """The timeline as an SVG figure, with its legend and its contents in words for screen
    readers."""
    return str(_timeline_macros().timeline(timeline, legend))  # type: ignore[attr-defined]
