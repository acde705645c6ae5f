"""Stopping cleanly: a signal unwinds the command, and worker processes die with their parent.

    with stopping_on_signals():       # SIGINT, SIGTERM, SIGHUP raise Interrupted (main thread)
        run()                         # its `finally` blocks and context managers still run

    def initializer(parent: int) -> None:
        serve_parent(parent)          # first thing in a worker process

A command that is told to stop (Ctrl-C, `kill`, the terminal closing) raises `Interrupted` in
its main thread instead of dying where it stands, so what it holds is let go on the way out:
worker processes ended, temporary files removed (`outputs.atomic`), previous outputs left as
they were. Its exit status is 128 + the signal's number (130 for SIGINT, 143 for SIGTERM).

A worker process leaves stopping to its parent, and dies with it: even killed with SIGKILL, a
parent leaves no worker behind (on Linux the kernel kills the worker, `PR_SET_PDEATHSIG`, which
also ends a worker stuck in C code that holds the GIL, as durable-rules can be).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from types import FrameType

__all__ = ["Interrupted", "libc", "serve_parent", "stopping_on_signals"]

STOPPING_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
"""The signals that ask a command to stop (SIGHUP, the terminal closing, where there is one)."""

PR_SET_PDEATHSIG = 1
"""prctl(2): the signal the calling process gets when its parent dies (Linux)."""

PARENT_POLL_SECONDS = 1.0
"""Where prctl is absent, how often a worker checks that its parent still lives."""


class Interrupted(KeyboardInterrupt):
    """The process was told to stop by signal `signum` (raised in the main thread by the
    handler `stopping_on_signals` installs). A KeyboardInterrupt, so code that lets Ctrl-C
    through lets every stopping signal through."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.name = signal.Signals(signum).name
        super().__init__(self.name)

    @property
    def exit_status(self) -> int:
        """128 + the signal's number, the shell's convention: 130 SIGINT, 143 SIGTERM."""
        return 128 + self.signum


@contextlib.contextmanager
def stopping_on_signals() -> Iterator[None]:
    """Within the block, SIGINT, SIGTERM and SIGHUP raise `Interrupted` in the main thread.

    A signal ignored when the block starts (`nohup`, a background job of a script) stays
    ignored. Once one has arrived, the others are ignored while the block unwinds (ending the
    workers and removing temporary files is quick; a second Ctrl-C must not cut it short).
    The previous handlers are put back at the end. Outside the main thread (where Python
    cannot set handlers) nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    owner = os.getpid()

    def stop(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != owner:  # a forked worker, before `serve_parent` set its own
            if signum != signal.SIGINT:
                os._exit(128 + signum)
            return
        for s in previous:
            signal.signal(s, signal.SIG_IGN)
        raise Interrupted(signum)

    previous = {
        s: handler for s in STOPPING_SIGNALS if (handler := signal.getsignal(s)) != signal.SIG_IGN
    }
    for s in previous:
        signal.signal(s, stop)
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@functools.cache
def libc() -> ctypes.CDLL | None:
    """The C library (for prctl and linkat), or None where ctypes cannot load it."""
    if os.name != "posix":
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def serve_parent(parent: int) -> None:
    """Set up a worker process of `parent` (its pid, as the parent saw it).

    SIGINT is ignored (Ctrl-C reaches the whole process group; the parent decides and ends
    its workers); SIGTERM and SIGHUP end the worker at once. And the worker dies with its
    parent: on Linux the kernel sends it SIGKILL when the parent dies (prctl
    PR_SET_PDEATHSIG; with the forkserver start method, when the fork server dies, which it
    does with the parent); elsewhere a daemon thread ends it within a second of its parent's
    death, once the worker runs Python code (Windows: the worker stops when its work queue,
    a pipe from the parent, closes).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for s in STOPPING_SIGNALS:
        if s != signal.SIGINT and signal.getsignal(s) != signal.SIG_IGN:
            signal.signal(s, signal.SIG_DFL)
    if _kill_me_with_my_parent():
        # the parent may have died before the request took hold: then no signal will come
        if os.getppid() != parent and not _exists(parent):
            os._exit(1)
        return
    if os.name == "posix":
        threading.Thread(
            target=_watch_parent, args=(os.getppid(),), name="watch-parent", daemon=True
        ).start()


def _kill_me_with_my_parent() -> bool:
    """Ask Linux for SIGKILL when the parent dies; False where that cannot be asked."""
    c = libc()
    if c is None or not sys.platform.startswith("linux"):
        return False
    try:
        return bool(c.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)
    except AttributeError:
        return False


def _exists(pid: int) -> bool:
    """Whether process `pid` exists (POSIX)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _watch_parent(ppid: int) -> None:
    """End this process once its parent has died (it is then adopted: its ppid changes)."""
    while os.getppid() == ppid:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)
