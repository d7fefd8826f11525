"""What every demo that starts processes needs, in one place."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from multiprocessing import resource_tracker


def ensure_resource_tracker() -> None:
    """Start multiprocessing's resource tracker (spawn's first Lock or Queue does) with
    a real stderr: it hands ``sys.stderr.fileno()`` to the new process, and under the
    TUI that is Textual's print capture, whose fileno() is -1: the start would fail
    with "bad value(s) in fds_to_keep"."""
    try:
        usable = sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable:
        resource_tracker.ensure_running()
        return
    if sys.__stderr__ is not None:
        with contextlib.redirect_stderr(sys.__stderr__):
            resource_tracker.ensure_running()
        return
    with open(os.devnull, "w") as null, contextlib.redirect_stderr(null):
        resource_tracker.ensure_running()


@contextlib.contextmanager
def children_ignore_ctrl_c() -> Iterator[None]:
    """Start processes with SIGINT blocked, which they inherit: Ctrl+C reaches the whole
    process group, but the parent alone should react (and end its children), not
    every child with a traceback of its own."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
