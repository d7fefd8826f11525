"""What every demo that starts processes needs, in one place."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Iterator
from multiprocessing import resource_tracker

# What a terminal sends to its whole foreground process group: Ctrl+C, and a hangup
# when it is closed.
TERMINAL_SIGNALS = {signal.SIGINT, signal.SIGHUP}


def ensure_resource_tracker() -> None:
    """Start multiprocessing's resource tracker (spawn's first Lock or Queue does) with
    a real stderr: it hands ``sys.stderr.fileno()`` to the new process, and under the
    TUI that is Textual's print capture, whose fileno() is -1: the start would fail
    with "bad value(s) in fds_to_keep". It starts deaf to the terminal, as children do."""
    try:
        usable = sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    with children_ignore_the_terminal():
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
def children_ignore_the_terminal() -> Iterator[None]:
    """Start processes, and the threads that start more of them (a Pool's worker
    handler), with SIGINT and SIGHUP blocked: a child inherits the signal mask of the
    thread that starts it, from its first instruction. Ctrl+C and a closed terminal
    reach the whole process group, but concviz alone should answer and end its
    children: a worker dead of the hangup behind its pool's back has a Pool start a
    replacement and then wait forever in terminate(). Blocked in this thread only,
    for the block's duration: the main thread still gets them."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, TERMINAL_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def end_with_parent() -> None:
    """In a spawned child: end this process as soon as its parent is gone. A SIGKILLed
    concviz runs no clean-up, and an idle ProcessPoolExecutor worker would wait for work
    forever; spawn gives each child a pipe from its parent that closes when the parent
    dies, and ``parent_process().join()`` waits for exactly that."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os._exit(1)  # from a thread: nothing is left to clean up for

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()
