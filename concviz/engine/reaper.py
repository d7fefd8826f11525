"""Make sure no child process outlives concviz, however it is quit."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a plain transcript or a spawned worker never needs asyncio
    import asyncio


def reap_children(timeout: float = 1.0) -> int:
    """Terminate, then kill, every descendant process; returns how many there were."""
    import psutil  # here, not at the top: the TUI's first frame should not wait for it

    def ours(child: psutil.Process) -> bool:
        # multiprocessing's resource tracker ends by itself when we do, after its
        # clean-up; killing it would leak what it tracks.
        try:
            return "resource_tracker" not in " ".join(child.cmdline())
        except psutil.Error:
            return False

    try:
        children = [c for c in psutil.Process().children(recursive=True) if ours(c)]
    except psutil.Error:
        return 0
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.terminate()
    _, alive = psutil.wait_procs(children, timeout=timeout)
    for child in alive:
        with contextlib.suppress(psutil.Error):
            child.kill()
    psutil.wait_procs(alive, timeout=timeout)
    return len(children)


QUIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP)  # SIGHUP: the terminal was closed
GRACE = 5.0  # seconds the TUI has to end by itself after one of them


@contextlib.contextmanager
def interrupt_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into a KeyboardInterrupt: an orderly end of a plain
    transcript (or of anything but the TUI, which uses :func:`quit_on_signals`)."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, handler) for sig in QUIT_SIGNALS}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


@contextlib.contextmanager
def quit_on_signals(loop: asyncio.AbstractEventLoop,
                    quit_loop: Callable[[int], None]) -> Iterator[None]:
    """Have SIGTERM and SIGHUP call ``quit_loop(signum)`` from the event loop itself,
    and end the process ``GRACE`` seconds later if it is still there.

    A Python signal handler runs between any two bytecodes of the main thread, even
    inside Textual's own queue and lock code, and can leave it waiting forever;
    asyncio's handler only wakes the loop, which runs ``quit_loop`` between two of
    its callbacks. Textual's own SIGCONT handler (which a closed terminal sends after
    SIGHUP) is still a Python one, and its output thread dies on a terminal that is
    gone, after which a write can wait forever: hence the deadline. On the way out a
    signal only sets that deadline: a second hangup must not cut the clean-up short
    (asyncio would leave the default action, which ends the process at once and
    leaves its children), and a stuck clean-up must still end.
    """

    deadline: list[threading.Timer] = []  # at most one

    def end_soon(signum: int) -> None:
        if not deadline:
            deadline.append(threading.Timer(GRACE, exit_now, args=(128 + signum,)))
            deadline[0].daemon = True
            deadline[0].start()

    def on_signal(signum: int) -> None:
        end_soon(signum)
        quit_loop(signum)

    for sig in QUIT_SIGNALS:
        loop.add_signal_handler(sig, on_signal, sig)
    try:
        yield
    finally:
        for sig in QUIT_SIGNALS:
            loop.remove_signal_handler(sig)
            # the loop is gone: a signal now only sets the deadline, so a clean-up that
            # hangs after q still ends (ignoring it left such a process unkillable)
            signal.signal(sig, lambda signum, frame: end_soon(signum))


def exit_now(code: int) -> None:
    """End every child, then this process at once, without Python's own clean-up
    (which could wait on what is stuck)."""
    reap_children()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a terminal that is gone fails the write
            stream.flush()
    os._exit(code)


def exit_without_stragglers(code: int, timeout: float = 2.0) -> int:
    """Give non-daemon threads (an executor's workers) ``timeout`` seconds to end;
    if one is stuck, leave anyway: Python's shutdown would otherwise wait for it
    forever, with no terminal left to quit from."""
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join(max(0.0, deadline - time.monotonic()))
    if any(t.is_alive() and not t.daemon for t in threading.enumerate()
           if t is not threading.main_thread()):
        exit_now(code)
    return code
