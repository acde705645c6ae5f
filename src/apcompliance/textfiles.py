"""Reading a person's text file: UTF-8, with or without a byte-order mark.

Excel and Notepad write UTF-8 with a byte-order mark (BOM); every text file apcompliance reads
(cases, cohorts, calendars, settings, scenarios, rule files, an export's CSV files) goes
through here, so a BOM is accepted everywhere and dropped. Bytes that are not UTF-8 (a file
saved as "ANSI" or Latin-1) raise `NotUtf8Error`, naming the file, the byte offset and the
line: never the bytes themselves, since the file may hold a pupil's data.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from apcompliance.errors import NotUtf8Error

BOM = "\ufeff"
"""The byte-order mark, as text (its UTF-8 bytes are EF BB BF)."""

__all__ = ["BOM", "decode", "find_not_utf8", "lines", "read_text"]


def decode(raw: bytes, source: str, *, offset: int = 0, line: int | None = None) -> str:
    """`raw` as UTF-8 text, a leading BOM dropped when `raw` starts the file (`offset` 0).

    `raw` is the part of the file `source` that starts at byte `offset` (on line `line`, else
    line 1); a byte that is not UTF-8 raises `NotUtf8Error` with its offset in the file.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        first = 1 if line is None else line
        where = first + raw.count(b"\n", 0, exc.start)
        raise NotUtf8Error(source, offset + exc.start, where) from None
    return text.removeprefix(BOM) if offset == 0 else text


def read_text(path: str | os.PathLike[str]) -> str:
    """The text of a UTF-8 file, a leading BOM dropped (universal newlines are not applied).

    Raises `OSError` as `open` does, and `NotUtf8Error` for bytes that are not UTF-8.
    """
    return decode(Path(path).read_bytes(), os.fspath(path))


def lines(raw_lines: Iterable[bytes], source: str) -> Iterator[tuple[int, str]]:
    """Each line of a file read in binary (e.g. an open file, or `sys.stdin.buffer`), decoded,
    as (line number from 1, text with its line ending): one line held at a time.

    A BOM on line 1 is dropped; a byte that is not UTF-8 raises `NotUtf8Error` (a line ending
    byte is never inside a UTF-8 character, so each line decodes on its own).
    """
    offset = 0
    for number, raw in enumerate(raw_lines, start=1):
        yield number, decode(raw, source, offset=offset, line=number)
        offset += len(raw)


def find_not_utf8(path: str | os.PathLike[str]) -> NotUtf8Error | None:
    """The error for the first byte of the file that is not UTF-8, or None if every byte is
    (for a reader that met a `UnicodeDecodeError` in text mode and must say where)."""
    with Path(path).open("rb") as handle:
        try:
            for _ in lines(handle, os.fspath(path)):
                pass
        except NotUtf8Error as exc:
            return exc
    return None
