"""Files written whole or not at all: the bytes go to a temporary file beside the target,
which replaces the target only once everything is written. An error, or an interruption,
leaves the previous file as it was and removes the temporary one.

    out = AtomicFile(Path("deadlines.ics"), "calendar")
    with out.writing():
        out.file.write(data)
    out.finish()                                  # or out.discard() on failure

    with AtomicFile(Path("report.html"), "report", encoding="utf-8") as out, out.writing():
        out.file.write(html)                      # finished if the block succeeds

Where the system allows it (Linux: `O_TMPFILE`) the temporary file has no name while it is
written, so even a process killed outright (SIGKILL, a power cut) leaves nothing behind; it is
named `.NAME.part` only for the moment before it replaces the target. Elsewhere it is
`.NAME.part` from the start, removed by `discard` (on an error, or a signal that
`interruption.stopping_on_signals` turned into an exception).

Every `OSError` becomes an `ApComplianceError` naming the target and what it is
(`deadlines.ics: cannot write the calendar (No space left on device)`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

from apcompliance.errors import ApComplianceError
from apcompliance.interruption import libc

__all__ = ["AtomicFile", "Output"]


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


class AtomicFile(Output):
    """`path` written through a temporary file beside it, opened at once (so an unwritable
    place is reported before any work); `encoding` opens it as text (`newline=""`: the writer
    chooses its line ends), else binary. As a context manager (`Output`): finished when the
    block succeeds, discarded always."""

    def __init__(self, path: Path, what: str, *, encoding: str | None = None) -> None:
        self.path = path
        self.what = what
        self._part = path.with_name(f".{path.name}.part")
        self._named = False
        """Whether `_part` is on disk (ours to remove)."""
        self.file: IO[Any]
        with self.writing():
            fd = _unnamed_file(path.parent)
            if fd is None:
                self._named = True
                fd = os.open(self._part, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o666)
            if encoding is None:
                self.file = os.fdopen(fd, "wb")
            else:
                self.file = os.fdopen(fd, "w", encoding=encoding, newline="")

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
            self.file.flush()
            if not self._named:
                self._name()
            self.file.close()
            self._part.replace(self.path)
        self._named = False

    def _name(self) -> None:
        """Give the unnamed temporary file its name, `_part` (a stale one, left by a killed
        run of an older version, is replaced): linked where the system allows it, else
        copied."""
        self._part.unlink(missing_ok=True)
        self._named = True
        fd = self.file.fileno()
        if _link_unnamed(fd, self._part):
            return
        with self._part.open("wb") as copy:
            offset = 0
            while chunk := os.pread(fd, 1 << 20, offset):
                copy.write(chunk)
                offset += len(chunk)

    def discard(self) -> None:
        """Close and remove the temporary file (after `finish`, nothing is left to remove)."""
        with contextlib.suppress(OSError):
            self.file.close()
        if self._named:
            self._part.unlink(missing_ok=True)
            self._named = False


AT_FDCWD = -100
AT_EMPTY_PATH = 0x1000
"""linkat(2): the current directory, and "the file is the descriptor itself"."""


def _unnamed_file(folder: Path) -> int | None:
    """A descriptor of a new file without a name in `folder` (Linux's `O_TMPFILE`), or None
    where the system or the file system cannot make one."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None:
        return None
    try:
        return os.open(folder, flag | os.O_RDWR, 0o666)
    except OSError:  # not supported here: a named file says what is wrong, if anything is
        return None


def _link_unnamed(fd: int, path: Path) -> bool:
    """Give the unnamed file `fd` the name `path`; False where the system will not."""
    c = libc()
    if c is not None:
        with contextlib.suppress(AttributeError):
            if c.linkat(fd, b"", AT_FDCWD, os.fsencode(path), AT_EMPTY_PATH) == 0:
                return True
    try:
        os.link(f"/proc/self/fd/{fd}", path, follow_symlinks=True)
    except OSError:
        return False
    return True
