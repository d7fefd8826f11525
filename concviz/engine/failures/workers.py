"""What runs inside the child processes: plain module-level functions (spawn
pickles them by name), importing from concviz only the standard-library helper that
ends a child with its parent, so a child starts fast."""

from __future__ import annotations

import math
import multiprocessing
import sys
import time
from typing import Any

from concviz.engine.spawning import end_with_parent


def count(counter: Any, increments: int, bursts: int, pause: float, locked: bool,
          together: Any, reports: Any) -> None:
    """Add 1 to a shared ``multiprocessing.Value`` ``increments`` times, in bursts.

    Unlocked, ``counter.value += 1`` is a read then a write (each takes the
    Value's own lock, separately): another process can write in between and
    one of the two updates is lost. The bursts start together (a Barrier), so
    they really overlap; the pause between them lets the count be watched. Each
    report carries what the counter read and when.
    """
    end_with_parent()
    name = multiprocessing.current_process().name
    done = 0
    for burst in range(bursts):
        together.wait(30)
        n = increments * (burst + 1) // bursts - done
        if locked:
            for _ in range(n):
                with counter.get_lock():
                    counter.value += 1
        else:
            for _ in range(n):
                counter.value += 1
        done += n
        reports.put(("burst", name, done, *_read(counter)))
        time.sleep(pause)
    reports.put(("done", name, done, *_read(counter)))


def _read(counter: Any) -> tuple[int, int]:
    """The counter and when it was read, as one (under its lock): the time is
    ``time.monotonic_ns()``, one clock for every process (system-wide on Linux), so the
    parent can show the reads of all processes in the order they happened, whatever
    order their reports arrive in."""
    with counter.get_lock():
        return counter.value, time.monotonic_ns()


def square_worker(tasks: Any, results: Any, speed: float) -> None:
    """Take (n, seconds) tasks until the ``None`` sentinel; report each step."""
    end_with_parent()
    name = multiprocessing.current_process().name
    while (task := tasks.get()) is not None:
        n, seconds = task
        results.put(("took", name, n))
        time.sleep(seconds / speed)
        results.put(("done", name, n, n * n))
    results.put(("bye", name, 0))


class _PipeWriter:
    """A stand-in ``sys.stderr`` sending every write to the parent at once."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def write(self, text: str) -> int:
        self._conn.send(text)
        return len(text)

    def flush(self) -> None:
        pass


def average_of_nothing(stderr: Any, delay: float) -> None:
    """Fail the way a real worker does: uncaught, so Python prints the
    traceback (to the pipe standing in for stderr) and exits with code 1."""
    end_with_parent()
    sys.stderr = _PipeWriter(stderr)
    time.sleep(delay)
    readings: list[float] = []
    print(sum(readings) / len(readings))  # ZeroDivisionError


def root(n: float) -> float:
    """A pool task: ``math.sqrt`` of a negative number raises ValueError."""
    time.sleep(0.05)
    return math.sqrt(n)
