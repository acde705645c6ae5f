"""The files `apcompliance check` and `check-many` write beside what they print: the pending
deadlines as one iCalendar feed (`--ical`) or one feed per duty holder (`--ical-dir`), and the
findings as an Excel workbook (`--xlsx`) and CSV (`--csv`).

    with Exports(targets, name="AP deadlines: cohort.jsonl as of 2026-01-20",
                 source="cohort cohort.jsonl", as_of=day, calendar=cal.name) as out:
        for result in evaluate_many(cases, ..., render=out.render, assessments=False):
            out.add(result)

Every file is opened when `Exports` is made (an unwritable place is an error before any case
is assessed) and written as the results come, one case at a time; each replaces its target
only when `finish` is reached (`atomic.AtomicFile`), so a failed run leaves the previous files
as they were. What the files hold of each case is made where the case is assessed (`render`,
a `rendered.CaseRenderer`, in the worker processes of `check-many --processes N`): the
events as small (duty holder, bytes) pairs, the CSV lines as text, the workbook's rows.

With a pseudonymisation key every file carries the case's keyed pseudonym, never its id:
`render` pseudonymises before it renders; a result given to `add` without what `render`
made must be pseudonymised already (`pseudonymise.pseudonymise_result`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import get_args

from apcompliance.errors import ApComplianceError
from apcompliance.evaluation.cohort import CaseResult
from apcompliance.language.rulebook import DutyHolder
from apcompliance.outputs.atomic import AtomicFile, Output
from apcompliance.outputs.ical import DeadlinesWriter, holder_slug
from apcompliance.outputs.rendered import CaseRenderer, Events, RenderedCase
from apcompliance.outputs.tables import FindingsCsv, FindingsWorkbook
from apcompliance.results.explain import duty_holder_words

__all__ = ["INDEX_NAME", "ExportTargets", "Exports", "HolderFeeds"]

INDEX_NAME = "README.txt"
"""The index of an `--ical-dir` folder: which feed is whose."""


@dataclass(frozen=True)
class ExportTargets:
    """Where to write, each None when not asked for."""

    ical: Path | None = None
    ical_dir: Path | None = None
    xlsx: Path | None = None
    csv: Path | None = None

    @property
    def events(self) -> bool:
        """Whether any iCalendar output is asked for."""
        return self.ical is not None or self.ical_dir is not None


class _Calendar(Output):
    """One iCalendar file written event by event through a temporary file."""

    def __init__(self, path: Path, name: str) -> None:
        self.out = AtomicFile(path, "calendar")
        with self.out.writing():
            self.ics = DeadlinesWriter(self.out.file, name=name)

    def add(self, events: bytes) -> None:
        with self.out.writing():
            self.ics.add_events(events)

    def finish(self) -> None:
        with self.out.writing():
            self.ics.close()
        self.out.finish()

    def discard(self) -> None:
        self.out.discard()


class HolderFeeds(Output):
    """One iCalendar feed per duty holder in `folder` (`designated-safeguarding-lead.ics`…,
    `ical.holder_slug`), one for every duty holder a rule can name, so that each person's
    subscription always finds its file (empty when nothing is pending); and an index,
    `README.txt`, saying which file is whose."""

    def __init__(self, folder: Path, name: str) -> None:
        self.folder, self.name = folder, name
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ApComplianceError(
                f"{folder}: cannot make the calendars' folder ({exc.strerror})"
            ) from None
        self.feeds: dict[str, _Calendar] = {}
        for holder in get_args(DutyHolder):
            self._feed(holder)

    def _feed(self, holder: str) -> _Calendar:
        feed = self.feeds.get(holder)
        if feed is None:
            path = self.folder / f"{holder_slug(holder)}.ics"
            feed = _Calendar(path, f"{self.name} — {duty_holder_words(holder)}")
            self.feeds[holder] = feed
        return feed

    def add(self, events: Events) -> None:
        for holder, event in events:
            self._feed(holder).add(event)

    def index(self) -> str:
        """Which file is whose, and how many deadlines each holds."""
        lines = [
            f"{self.name}: one iCalendar feed per duty holder.",
            "Subscribe to your own file (it is rewritten, with stable event ids, on each run).",
            "",
        ]
        width = max(len(f.out.path.name) for f in self.feeds.values()) + 2
        for holder, feed in sorted(self.feeds.items(), key=lambda kv: kv[1].out.path.name):
            lines.append(
                f"{feed.out.path.name:<{width}}{duty_holder_words(holder)}: "
                f"{feed.ics.events} pending deadline(s)"
            )
        return "\n".join(lines) + "\n"

    def finish(self) -> None:
        index = AtomicFile(self.folder / INDEX_NAME, "index", encoding="utf-8")
        try:
            with index.writing():
                index.file.write(self.index())
            for feed in self.feeds.values():
                feed.finish()
            index.finish()
        finally:
            index.discard()

    def discard(self) -> None:
        for feed in self.feeds.values():
            feed.discard()


class Exports(Output):
    """The files asked for in `targets`, filled from each case's result (`add`) and put in
    place by `finish` (or all dropped by `discard`). `name` names the calendars, `source`
    (the cohort's file, or the case) heads the workbook's Summary."""

    def __init__(
        self,
        targets: ExportTargets,
        *,
        name: str,
        source: str,
        as_of: date,
        calendar: str,
        key: bytes | None = None,
    ) -> None:
        self.targets, self.key = targets, key
        self._ical: _Calendar | None = None
        self._feeds: HolderFeeds | None = None
        self._book: FindingsWorkbook | None = None
        self._csv: FindingsCsv | None = None
        try:
            if targets.ical is not None:
                self._ical = _Calendar(targets.ical, name)
            if targets.ical_dir is not None:
                self._feeds = HolderFeeds(targets.ical_dir, name)
            if targets.xlsx is not None:
                self._book = FindingsWorkbook(
                    targets.xlsx, source=source, as_of=as_of, calendar=calendar
                )
            if targets.csv is not None:
                self._csv = FindingsCsv(targets.csv)
        except BaseException:
            self.discard()
            raise

    @property
    def render(self) -> CaseRenderer:
        """What `evaluate_many(render=...)` makes in the workers for these files: a
        `RenderedCase` with the parts the targets need (pseudonymised with the key)."""
        t = self.targets
        return CaseRenderer(
            key=self.key, events=t.events, csv=t.csv is not None, rows=t.xlsx is not None
        )

    def add(self, result: CaseResult) -> None:
        """One case's result: what `render` made of it (`result.rendered`), or else its
        assessment (pseudonymised already when there is a key), rendered here."""
        if not result.ok or (result.assessment is None and result.rendered is None):
            if self._book is not None:
                self._book.add_error(result.line, result.case_id, result.error or result.label)
            return
        rendered = result.rendered
        if not isinstance(rendered, RenderedCase):
            assert result.assessment is not None
            rendered = replace(self.render, key=None)(result.assessment)
        wanted = (
            ("events", self.targets.events, rendered.events),
            ("rows", self._book is not None, rendered.rows),
            ("csv", self._csv is not None, rendered.csv),
        )
        if missing := [name for name, asked, part in wanted if asked and part is None]:
            raise ValueError(f"rendered without its {', '.join(missing)}: use Exports.render")
        if self._ical is not None and rendered.events is not None:
            self._ical.add(b"".join(event for _, event in rendered.events))
        if self._feeds is not None and rendered.events is not None:
            self._feeds.add(rendered.events)
        if self._book is not None and rendered.rows is not None:
            self._book.add_rows(rendered.rows)
        if self._csv is not None and rendered.csv is not None:
            self._csv.add_text(rendered.csv)

    def finish(self) -> None:
        for out in (self._ical, self._feeds, self._book, self._csv):
            if out is not None:
                out.finish()

    def discard(self) -> None:
        for out in (self._ical, self._feeds, self._book, self._csv):
            if out is not None:
                out.discard()
