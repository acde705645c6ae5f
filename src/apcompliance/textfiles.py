"""Reading a person's text file: UTF-8, with or without a byte-order mark.

Excel and Notepad write UTF-8 with a byte-order mark (BOM); every text file apcompliance reads
(cases, cohorts, calendars, settings, scenarios, rule files, an export's CSV files) goes
through here, so a BOM is accepted everywhere and dropped. Bytes that are not UTF-8 (a file
saved as "ANSI" or Latin-1) raise `NotUtf8Error`, naming the file, the byte offset and the
line: never the bytes themselves, since the file may hold a pupil's data.

JSON and YAML texts are parsed here too, each by one function (`load_json`, `parse_yaml`) that
refuses a document nested more than `MAX_NESTING` deep: Python's parsers recurse once for each
level, and a line of 100,000 `[` would otherwise end in a `RecursionError`. YAML is scanned
and parsed by libyaml where PyYAML has it (about four times as fast); PyYAML's pure-Python
loader reads again any text libyaml refuses, so every error keeps its documented wording.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from apcompliance.errors import NotUtf8Error

BOM = "\ufeff"
"""The byte-order mark, as text (its UTF-8 bytes are EF BB BF)."""

MAX_NESTING = 100
"""How deep a JSON or YAML document may nest lists and mappings inside one another. A case
nests about six deep, a rule file's conditions about a dozen; a deeper document is refused
(docs/reliability.md)."""

__all__ = [
    "BOM",
    "MAX_NESTING",
    "YamlError",
    "decode",
    "find_not_utf8",
    "lines",
    "load_json",
    "parse_yaml",
    "read_text",
]


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


# --- JSON -------------------------------------------------------------------------------------

_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
"""A JSON string (skipped: brackets inside it do not nest) or a bracket."""


def load_json(text: str, **options: Any) -> Any:
    """`json.loads(text, **options)`, but a document nested more than `MAX_NESTING` deep raises
    `json.JSONDecodeError` ("nested more than 100 deep") at the bracket that goes too deep."""
    if text.count("[") + text.count("{") > MAX_NESTING:  # else it cannot nest that deep
        depth = 0
        for token in _JSON_TOKENS.finditer(text):
            bracket = token.group()
            if bracket in "[{":
                depth += 1
                if depth > MAX_NESTING:
                    message = f"nested more than {MAX_NESTING} deep"
                    raise json.JSONDecodeError(message, text, token.start())
            elif bracket in "]}":
                depth -= 1
    return json.loads(text, **options)


# --- YAML -------------------------------------------------------------------------------------


class YamlError(ValueError):
    """A YAML text that cannot be read: what is wrong and where (line and column), never the
    text itself (it may hold a pupil's data). The caller names the file."""

    def __init__(self, problem: str, line: int | None = None, column: int | None = None) -> None:
        self.problem, self.line, self.column = problem, line, column
        at = f" (line {line}, column {column})" if line is not None else ""
        super().__init__(f"{problem}{at}")


class _Limits:
    """A key given twice is an error (`_mapping`), and so is nesting (aliases followed) more
    than `MAX_NESTING` deep: the checks every YAML loader here makes, pure or libyaml."""

    _composing = 0
    _constructing = 0

    def _next_mark(self) -> Any:
        return self.peek_event().start_mark  # type: ignore[attr-defined]

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._composing += 1
        try:
            if self._composing > MAX_NESTING:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_NESTING} deep", self._next_mark()
                )
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self._composing -= 1

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        self._constructing += 1  # an alias can nest what the text does not
        try:
            if self._constructing > MAX_NESTING:
                raise yaml.constructor.ConstructorError(
                    None, None, f"nested more than {MAX_NESTING} deep", node.start_mark
                )
            return super().construct_object(node, deep)  # type: ignore[misc]
        except (ValueError, TypeError, OverflowError):  # 2026-02-30, or a tag: `!!int x`
            if node.tag == _TIMESTAMP:  # text the date pattern matched: no personal data
                problem = f"{node.value} is not a date (no such day)"
            else:
                problem = "a value its tag (`!!...`) cannot read"
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None
        finally:
            self._constructing -= 1


class _Loader(_Limits, yaml.SafeLoader):
    """Safe YAML, closer to YAML 1.2: dates, date-times and times stay text (parsed where a
    date is expected, so a bad date names its key), `12:00` is not 720, `yes`/`no`/`on`/`off`
    are words, not booleans; with `_Limits`' checks. PyYAML's pure-Python loader: the
    reference, whose error messages (line and column) are the documented ones."""


_DROPPED = {
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in found if tag not in _DROPPED]
    for first, found in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+.0123456789"),
)


def _mapping(loader: _Loader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[object] = set()
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            if key_node.value in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"the key {key_node.value!r} is given twice (duplicate keys are refused)",
                    key_node.start_mark,
                )
            seen.add(key_node.value)
    return loader.construct_mapping(node, deep=True)


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _DatedLoader(_Loader):
    """`_Loader`, but a bare date or date-time is one (a rule file's constants:
    `start_date: {gte: 2025-10-23}`); a quoted one stays text."""


_DatedLoader.yaml_implicit_resolvers = {
    first: [
        *_Loader.yaml_implicit_resolvers.get(first, []),
        *((tag, rx) for tag, rx in found if tag == _TIMESTAMP),
    ]
    for first, found in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


_CParser: Any
try:
    from yaml._yaml import CParser as _CParser  # PyYAML built with libyaml, as its wheels are
except ImportError:  # pragma: no cover - a PyYAML built without libyaml
    _CParser = None


def _fast(pure: type[_Loader]) -> type[Any] | None:
    """`pure` with libyaml's scanner and parser under the same Python composer, constructor,
    resolvers and `_Limits` (about four times as fast on the rule files), or None without
    libyaml."""
    if _CParser is None:
        return None

    class Fast(_Limits, Composer, _CParser, SafeConstructor, Resolver):
        yaml_implicit_resolvers = pure.yaml_implicit_resolvers
        yaml_constructors = pure.yaml_constructors

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

    Fast.__name__ = Fast.__qualname__ = f"_C{pure.__name__.lstrip('_')}"
    return Fast


_FAST = {False: _fast(_Loader), True: _fast(_DatedLoader)}


def _load(loader_type: type[Any], text: str) -> Any:
    loader = loader_type(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def parse_yaml(text: str, *, dates: bool = False) -> Any:
    """The YAML document `text` (every YAML file apcompliance reads: calendars, rule files,
    named terms, scenario files, the bundled extract of the law), read by `_Loader`; with
    `dates`, a bare date or date-time is a `date` or `datetime` (rule files), else text.

    Read with libyaml where PyYAML has it; a text libyaml refuses is read again by the pure
    loader, whose message (or, should they differ, whose reading) is the one given.

    Raises `YamlError` naming the problem, line and column, never quoting the text.
    """
    fast = _FAST[dates]
    if fast is not None:
        try:
            return _load(fast, text)
        except (yaml.YAMLError, ValueError):  # ValueError: text libyaml cannot encode
            pass  # the reference loader's error below, with its documented wording
    try:
        return _load(_DatedLoader if dates else _Loader, text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = str(exc.problem or exc.context)
        if mark is None:
            raise YamlError(problem) from None
        raise YamlError(problem, mark.line + 1, mark.column + 1) from None
    except yaml.reader.ReaderError as exc:  # a control character, e.g. NUL
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        problem = f"a character YAML does not allow (#x{exc.character:04x})"
        raise YamlError(problem, line, column) from None
    except yaml.YAMLError as exc:
        raise YamlError(type(exc).__name__) from None
