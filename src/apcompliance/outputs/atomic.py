"""Files written whole or not at all: the bytes go to a temporary file beside the target
(`.NAME.part`), which replaces the target only once everything is written. An error, or an
interruption, leaves the previous file as it was and removes the temporary one.

    out = AtomicFile(Path("deadlines.ics"), "calendar")
    with out.writing():
        out.file.write(data)
    out.finish()                                  # or out.discard() on failure

Every `OSError` becomes an `ApComplianceError` naming the target and what it is
(`deadlines.ics: cannot write the calendar (No space left on device)`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

from apcompliance.errors import ApComplianceError

__all__ = ["AtomicFile", "Output"]


class AtomicFile:
    """`path` written through a temporary file beside it, opened at once (so an unwritable
    place is reported before any work); `encoding` opens it as text (`newline=""`: the writer
    chooses its line ends), else binary."""

    def __init__(self, path: Path, what: str, *, encoding: str | None = None) -> None:
        self.path = path
        self.what = what
        self._part = path.with_name(f".{path.name}.part")
        self.file: IO[Any]
        with self.writing():
            if encoding is None:
                self.file = self._part.open("wb")
            else:
                self.file = self._part.open("w", encoding=encoding, newline="")

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Turn an `OSError` into an `ApComplianceError` naming the file."""
        try:
            yield
        except OSError as exc:
            raise ApComplianceError(
                f"{self.path}: cannot write the {self.what} ({exc.strerror})"
            ) from None

    def finish(self) -> None:
        """Close the temporary file and put it in the target's place."""
        with self.writing():
            self.file.close()
            self._part.replace(self.path)

    def discard(self) -> None:
        """Close and remove the temporary file (after `finish`, nothing is left to remove)."""
        with contextlib.suppress(OSError):
            self.file.close()
        self._part.unlink(missing_ok=True)


_Out = TypeVar("_Out", bound="Output")


class Output:
    """Files written whole or not at all: `finish` puts them in place, `discard` drops what is
    not (after `finish`, nothing). As a context manager: `finish` when the block succeeds,
    `discard` always."""

    def finish(self) -> None:
        raise NotImplementedError

    def discard(self) -> None:
        raise NotImplementedError

    def __enter__(self: _Out) -> _Out:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None:
                self.finish()
        finally:
            self.discard()
