"""iCalendar content lines written directly, byte for byte as the `icalendar` package (7.x)
writes them, at a fraction of its cost: `ical.py` writes every deadline event with these
(`deadline_event`, built with `icalendar`, stays the reference; tests/test_ical_text.py checks
that both give the same bytes).

The rules copied from `icalendar`:
- TEXT escaping (`icalendar.parser.string._escape_char`): a literal `\\N` first becomes a
  newline, then `\\` `;` `,` are escaped with a backslash and CRLF, LF and a lone CR each become
  `\\n`.
- The value of a line loses one leading U+FEFF (icalendar decodes it as "utf-8-sig").
- Folding (`_foldline`): a line's pieces are at most 74 octets of UTF-8, cut between
  characters, each piece as long as it can be, except that a piece never ends with `\\` or `^`
  (that character begins the next piece); pieces are joined by CRLF and one space, and every
  line ends with CRLF.
"""

from __future__ import annotations

from datetime import date, datetime

__all__ = ["content_line", "date_text", "text", "utc_datetime_text"]

_LIMIT = 74
"""The most octets in a piece of a folded line (icalendar breaks before reaching 75)."""
_FOLD = b"\r\n "
_ESCAPE_PREFIX = (0x5C, 0x5E)  # "\" and "^": never left at the end of a piece


def text(value: str) -> str:
    """A TEXT value escaped as icalendar's `vText` escapes it."""
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def date_text(day: date) -> str:
    """A DATE value (`20260615`)."""
    return day.isoformat().replace("-", "")


def utc_datetime_text(moment: datetime) -> str:
    """A DATE-TIME value in UTC (`20260615T130500Z`); `moment` must already be in UTC."""
    return (
        f"{moment.year:04}{moment.month:02}{moment.day:02}"
        f"T{moment.hour:02}{moment.minute:02}{moment.second:02}Z"
    )


def content_line(name: str, value: str) -> bytes:
    """One content line, folded, with its CRLF: `name` may carry parameters
    (`DTSTART;VALUE=DATE`); `value` is as written (a TEXT value escaped with `text`)."""
    if value[:1] == "\ufeff":
        value = value[1:]
    line = f"{name}:{value}".encode()
    if len(line) <= _LIMIT:
        return line + b"\r\n"
    return _fold(line) + b"\r\n"


def _fold(line: bytes) -> bytes:
    pieces = []
    start = 0
    end = len(line)
    while end - start > _LIMIT:
        cut = start + _LIMIT
        while line[cut] & 0xC0 == 0x80:  # inside a character: cut before it
            cut -= 1
        if line[cut - 1] in _ESCAPE_PREFIX:
            cut -= 1
        pieces.append(line[start:cut])
        start = cut
    pieces.append(line[start:])
    return _FOLD.join(pieces)
