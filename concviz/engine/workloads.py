"""What the pool workers run: module-level functions (spawn pickles them by name)
importing nothing from concviz, so a worker process starts fast.

:func:`run_task` wraps the workload so each task is timed inside the worker that
runs it and reported from there, through a pipe the parent reads while the pool
runs. A report is written before the task's result goes back, so the parent has
every report of a run once ``map`` has returned.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

BLOCK = 2048  # numbers checked between two looks at the cancel flag
ERROR_CHARS = 200  # a report must stay one atomic pipe write (< 4096 bytes)


class Cancelled(Exception):
    """A thread worker was asked to stop: threads cannot be killed from outside."""


def square(n: int) -> int:
    """The seed's workload (ques.2, ques.8)."""
    return n * n


def count_primes(bounds: tuple[int, int]) -> int:
    """How many primes in ``[low, high)``, by trial division: pure Python, so a
    thread needs the GIL for every step. While another thread waits for it, CPython
    asks the running one to let go every 5 ms (sys.getswitchinterval()): threads
    take turns, never computing at once."""
    low, high = bounds
    count = 0
    for start in range(max(low, 2), high, BLOCK):
        if _cancelled():
            raise Cancelled("stopped")
        for k in range(start, min(start + BLOCK, high)):
            if k % 2 == 0:
                count += k == 2
                continue
            d = 3
            while d * d <= k:
                if k % d == 0:
                    break
                d += 2
            else:
                count += 1
    return count


def nap(seconds: float) -> float:
    """I/O-bound stand-in: waiting releases the GIL, like a network call."""
    cancel = getattr(_worker, "cancel", None)
    if cancel is None:
        time.sleep(seconds)
    elif cancel.wait(seconds):
        raise Cancelled("stopped")
    return seconds


def unlucky_square(n: int) -> int:
    """The seed's square, except that input 7 raises in its worker."""
    if n == 7:
        raise ValueError("7 is unlucky: this worker raised")
    return n * n


WORKLOADS: dict[str, Callable[[Any], Any]] = {
    "square": square,
    "primes": count_primes,
    "sleep": nap,
    "raises": unlucky_square,
}

_worker = threading.local()  # per worker thread (in a process: its main thread)


def init_worker(reports: Any, lock: Any, workload: str, cancel: threading.Event | None) -> None:
    """Pool initializer: runs once in each worker as it starts.

    ``cancel`` is given to thread workers only; process workers are terminated.
    """
    _worker.reports, _worker.lock, _worker.cancel = reports, lock, cancel
    _worker.fn = WORKLOADS[workload]
    if cancel is None:
        _worker.name = multiprocessing.current_process().name
        # Ctrl+C in a terminal signals the whole process group: the parent ends
        # the workers itself, so they need not each print a KeyboardInterrupt.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    else:
        _worker.name = threading.current_thread().name
    _send("worker", time.monotonic())


def run_task(item: tuple[int, Any]) -> Any:
    """Run the workload on one input, timing it here, in the worker."""
    index, arg = item
    if _cancelled():
        raise Cancelled("stopped")
    _send("start", index, time.monotonic())
    started, cpu = time.perf_counter(), time.thread_time()
    try:
        result = _worker.fn(arg)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:ERROR_CHARS]
        _send("failed", index, time.perf_counter() - started, error)
        raise
    _send("done", index, time.perf_counter() - started, time.thread_time() - cpu, result)
    return result


def _send(kind: str, *fields: Any) -> None:
    with _worker.lock:  # several workers share one pipe
        _worker.reports.send((kind, os.getpid(), _worker.name, *fields))


def _cancelled() -> bool:
    cancel = getattr(_worker, "cancel", None)
    return cancel is not None and cancel.is_set()
