"""Make sure no child process outlives concviz, however it is quit."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator


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


@contextlib.contextmanager
def interrupt_on_signals(quit_loop: Callable[[int], None] | None = None) -> Iterator[None]:
    """Turn SIGTERM and SIGHUP (a closed terminal) into an orderly end.

    With an asyncio loop running (the TUI), ``quit_loop(signum)`` is scheduled on it:
    raising inside the loop would leave the app running. Otherwise the signal
    becomes a KeyboardInterrupt.
    """

    def handler(signum: int, frame: object) -> None:
        import asyncio  # here: a plain transcript or a spawned worker never needs it

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if quit_loop is None or loop is None:
            raise KeyboardInterrupt(signal.Signals(signum).name)
        loop.call_soon_threadsafe(quit_loop, signum)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def exit_without_stragglers(code: int, timeout: float = 2.0) -> int:
    """Give non-daemon threads (an executor's workers) ``timeout`` seconds to end;
    if one is stuck, leave anyway: Python's shutdown would otherwise wait for it
    forever, with no terminal left to quit from."""
    import os
    import sys
    import threading
    import time

    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join(max(0.0, deadline - time.monotonic()))
    if any(t.is_alive() and not t.daemon for t in threading.enumerate()
           if t is not threading.main_thread()):
        reap_children()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code
