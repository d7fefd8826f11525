"""How busy each core this process may use is, read from the operating system.

A core's busy % is what ``psutil.cpu_percent(percpu=True)`` gives: busy time over
elapsed time between two readings of the per-core times. The readings are kept
here rather than in psutil (``cpu_percent`` keeps one "previous reading" for the
whole process, so a second caller would shorten the sampler's interval). On Linux
the sampler reads ``/proc`` itself, as psutil does, at under half psutil's cost
(see benchmarks/bench_pool.py); elsewhere it asks psutil, imported on first use so
the TUI's first frame does not wait for it.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

HZ = 10.0
KEEP = 600  # samples kept for whoever reads them late (a minute at 10 Hz)
PROC = "/proc"
HAS_PROC = os.path.exists(f"{PROC}/stat")  # Linux
CoreTimes = Mapping[int, tuple[float, float]]  # core -> (total, idle) seconds or ticks


def allowed_cores() -> tuple[int, ...]:
    """The cores the scheduler may run this process on (all of them where it cannot say)."""
    if hasattr(os, "sched_getaffinity"):
        return tuple(sorted(os.sched_getaffinity(0)))
    return tuple(range(os.cpu_count() or 1))


def _read(path: str, size: int) -> bytes:
    fd = os.open(path, os.O_RDONLY)
    try:
        return os.read(fd, size)
    finally:
        os.close(fd)


def _proc_times() -> dict[int, tuple[float, float]]:
    """``/proc/stat``: user nice system idle iowait irq softirq steal guest guest_nice,
    in ticks; guest time is already inside user and nice, so it is not added again."""
    times = {}
    for line in _read(f"{PROC}/stat", 1 << 16).split(b"\n"):
        if line.startswith(b"cpu") and line[3:4].isdigit():
            name, *values = line.split()
            ticks = [int(v) for v in values[:8]]
            times[int(name[3:])] = (float(sum(ticks)), float(ticks[3] + ticks[4]))
    return times


def _psutil_times() -> dict[int, tuple[float, float]]:
    import psutil

    times = {}
    for core, t in enumerate(psutil.cpu_times(percpu=True)):
        idle = t.idle + getattr(t, "iowait", 0.0)
        guests = getattr(t, "guest", 0.0) + getattr(t, "guest_nice", 0.0)
        times[core] = (sum(t) - guests, idle)
    return times


def read_times() -> CoreTimes:
    """Each core's total and idle time so far, by core number."""
    return _proc_times() if HAS_PROC else _psutil_times()


def busy_percent(before: tuple[float, float], after: tuple[float, float]) -> float:
    """Busy % of one core between two of its (total, idle) readings."""
    elapsed = after[0] - before[0]
    if elapsed <= 0:
        return 0.0
    busy = elapsed - (after[1] - before[1])
    return round(min(100.0, max(0.0, 100.0 * busy / elapsed)), 1)


def cores_busy(before: CoreTimes, after: CoreTimes, cores: Sequence[int]) -> tuple[float, ...]:
    return tuple(busy_percent(before[core], after[core]) if core in before and core in after
                 else 0.0 for core in cores)


def core_of(pid: int) -> int | None:
    """The core a process last ran on, where the platform says (None: gone or unknown)."""
    if HAS_PROC:
        try:  # field 39 of /proc/PID/stat, counting from the one after the (name)
            return int(_read(f"{PROC}/{pid}/stat", 4096).rsplit(b")", 1)[1].split()[36])
        except (OSError, IndexError, ValueError):
            return None
    import psutil

    try:
        return psutil.Process(pid).cpu_num()
    except (psutil.Error, AttributeError):  # gone, denied, or no cpu_num on this platform
        return None


@dataclass(frozen=True, slots=True)
class CpuSample:
    """Each allowed core's busy % since the previous sample, and where the watched
    processes last ran (pid, core) where the platform says."""

    t: float  # time.monotonic() of the reading
    cores: tuple[int, ...]
    percent: tuple[float, ...]
    where: tuple[tuple[int, int], ...] = ()


class CpuSampler:
    """A thread reading the allowed cores at a fixed rate until :meth:`stop`.

    Readers call :meth:`take` for the samples since their last call; the thread
    never waits for them (a bounded deque, appends are atomic).
    """

    def __init__(self, hz: float = HZ, cores: Sequence[int] | None = None) -> None:
        self.period = 1.0 / hz
        self.cores = tuple(cores) if cores is not None else allowed_cores()
        self.samples: deque[CpuSample] = deque(maxlen=KEEP)
        self.cost = 0.0  # CPU seconds the sampling thread itself used
        self._watched: frozenset[int] = frozenset()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def watch(self, pids: Iterable[int]) -> None:
        """Report which core each of these processes is on (replaces the last set)."""
        self._watched = frozenset(pids)  # one assignment: the thread sees old or new

    def start(self) -> CpuSampler:
        self._thread = threading.Thread(target=self._loop, name="cpu-sampler", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 1.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def take(self) -> list[CpuSample]:
        out: list[CpuSample] = []
        try:
            while True:
                out.append(self.samples.popleft())
        except IndexError:
            return out

    def _loop(self) -> None:
        previous = read_times()
        deadline = time.monotonic()
        while True:
            deadline = max(deadline + self.period, time.monotonic())  # never catch up in bursts
            if self._stop.wait(max(0.0, deadline - time.monotonic())):
                return
            cpu = time.thread_time()
            now, current = time.monotonic(), read_times()
            self.samples.append(CpuSample(now, self.cores,
                                          cores_busy(previous, current, self.cores),
                                          self._where()))
            previous = current
            self.cost += time.thread_time() - cpu

    def _where(self) -> tuple[tuple[int, int], ...]:
        where = ((pid, core_of(pid)) for pid in sorted(self._watched))
        return tuple((pid, core) for pid, core in where if core is not None)
