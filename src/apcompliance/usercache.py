"""Results kept between runs in the user's cache directory: the rule book as checked from its
files, and the bank holidays of a calendar's years (docs/command-line.md, "The cache").

Each entry is one file named by a key: a SHA-256 digest of everything the result depends on
(the content of the rule files or the years asked for, this package's own files by size and
modification time as Python's bytecode cache does, and the Python and library versions). A
changed input is a new key, so a stale entry is never read; it is dropped once the folder
holds `KEEP` entries of its kind.

An entry starts with a digest of the rest, checked before use: a file cut short, corrupted or
written by something else is ignored and written again. A rule book is stored as a pickle,
which can run code when read, so the cache is used only in a folder that the user owns and
no one else can write to (as Python trusts its own `__pycache__`). Entries are written to a
temporary file and renamed into place, so two processes starting at once each read a whole
entry or none. `APCOMPLIANCE_NO_CACHE=1`, or a folder that cannot be used, turns the cache off:
every result is then computed afresh, silently.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

CACHE_DIR_VARIABLE = "APCOMPLIANCE_CACHE_DIR"
"""The folder to use instead of `$XDG_CACHE_HOME/apcompliance` (`~/.cache/apcompliance`)."""
NO_CACHE_VARIABLE = "APCOMPLIANCE_NO_CACHE"
"""Set (to anything but empty or 0): nothing is read from or written to the cache."""
KEEP = 16
"""Entries of each kind kept; the oldest beyond these are removed when one is written."""
_MAGIC = b"apcompliance cache 1\n"
_PACKAGE = Path(__file__).resolve().parent

__all__ = ["CACHE_DIR_VARIABLE", "KEEP", "NO_CACHE_VARIABLE", "directory", "key", "read", "write"]


def directory() -> Path | None:
    """The cache folder (created, readable and writable only by the user), or None when the
    cache is turned off or the folder cannot be made, is not the user's, or others can write
    to it."""
    if os.environ.get(NO_CACHE_VARIABLE, "") not in ("", "0"):
        return None
    given = os.environ.get(CACHE_DIR_VARIABLE)
    if given:
        folder = Path(given)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
        folder = Path(base) / "apcompliance"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(folder.stat()):
            return None
    except (OSError, RuntimeError):  # RuntimeError: no home directory to be found
        return None
    return folder


def _private(status: os.stat_result) -> bool:
    """Owned by this user and writable by no one else (always, where there are no owners)."""
    if not hasattr(os, "getuid"):
        return True
    return status.st_uid == os.getuid() and not status.st_mode & 0o022


@functools.cache
def _environment() -> bytes:
    """What every entry depends on besides its inputs: the Python, and this package's own
    files (their names, sizes and modification times)."""
    parts = [sys.version, sys.implementation.cache_tag or ""]
    for path in sorted(_PACKAGE.rglob("*")):
        if "__pycache__" not in path.parts and path.is_file():
            status = path.stat()
            parts.append(f"{path.relative_to(_PACKAGE)} {status.st_size} {status.st_mtime_ns}")
    return "\n".join(parts).encode("utf-8", "surrogateescape")


def key(kind: str, *parts: str | bytes) -> str:
    """The name of the entry of `kind` computed from `parts` (texts, versions): `kind-DIGEST`."""
    digest = hashlib.sha256(_environment())
    for part in (kind, *parts):
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return f"{kind}-{digest.hexdigest()}"


def read(name: str) -> bytes | None:
    """The entry `name` (from `key`) as written, or None: no cache, no such entry, or one that
    is cut short, corrupted or not the user's own."""
    folder = directory()
    if folder is None:
        return None
    try:
        with (folder / name).open("rb") as handle:
            if not _private(os.fstat(handle.fileno())):
                return None
            raw = handle.read()
    except OSError:
        return None
    header = len(_MAGIC) + 64
    if len(raw) < header or not raw.startswith(_MAGIC):
        return None
    payload = raw[header:]
    if hashlib.sha256(payload).hexdigest().encode("ascii") != raw[len(_MAGIC) : header]:
        return None
    return payload


def write(name: str, payload: bytes) -> None:
    """Keep `payload` as the entry `name`: whole or not at all (a temporary file renamed into
    place), and nothing if the cache cannot be written."""
    folder = directory()
    if folder is None:
        return
    digest = hashlib.sha256(payload).hexdigest().encode("ascii")
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".writing-")
        with os.fdopen(handle, "wb") as out:
            out.write(_MAGIC + digest + payload)
        os.replace(temporary, folder / name)
        temporary = None
        _prune(folder, name.partition("-")[0])
    except OSError:
        pass
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _prune(folder: Path, kind: str) -> None:
    """Remove the oldest entries of `kind` beyond `KEEP`, and temporary files more than an
    hour old (left by a process killed while it wrote)."""
    entries = []
    abandoned = time.time_ns() - 3600 * 10**9
    for path in [*folder.glob(f"{kind}-*"), *folder.glob(".writing-*")]:
        try:
            entries.append((path.stat().st_mtime_ns, path))
        except OSError:  # removed meanwhile by another process
            continue
    written = sorted((e for e in entries if not e[1].name.startswith(".")), reverse=True)
    stale = [e for e in entries if e[1].name.startswith(".") and e[0] < abandoned]
    for _, path in written[KEEP:] + stale:
        with contextlib.suppress(OSError):
            path.unlink()
