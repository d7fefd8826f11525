"""Make sure no child process outlives concviz, however it is quit."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator


def reap_children(timeout: float = 1.0) -> int:
    """Terminate, then kill, every descendant process; returns how many there were."""
    import psutil  # here, not at the top: the TUI's first frame should not wait for it

    try:
        children = psutil.Process().children(recursive=True)
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
def interrupt_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP (a closed terminal) into KeyboardInterrupt."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
