"""Seed ques.8 (with ques.1, 2, 3): one real pool per size maps a workload over its
inputs, timed the seed's way: pool creation + map + shutdown.

Workers run :mod:`concviz.engine.workloads`; each task is timed in its worker and
reported through a pipe that a collector thread here turns into events. The
start method is spawn: this program runs threads, and fork would copy their
locks mid-use (forkserver would leave its server process running).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.pool
import platform
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from concviz.engine.cpu_sampler import allowed_cores, cores_busy, read_times
from concviz.engine.demo import Demo, Stopped
from concviz.engine.events import Event
from concviz.engine.spawning import children_ignore_the_terminal, ensure_resource_tracker
from concviz.engine.workloads import WORKLOADS, init_worker, run_task

SIZES = (2, 4, 8)
MIN_SIZE, MAX_SIZE = 1, 64
EXECUTORS = {
    "pool": "multiprocessing.Pool.map",
    "process-executor": "ProcessPoolExecutor.map",
    "threads": "ThreadPoolExecutor.map",
}
DEFAULT_N = {"square": 10, "primes": 1_000_000, "sleep": 10, "raises": 10}
MAX_N = {"square": 10_000, "primes": 10_000_000, "sleep": 100, "raises": 10_000}
PRIME_CHUNKS = 16
NAP = 0.2  # nominal seconds of one sleep task (divided by the speed factor)
POLL = 0.05  # seconds between looks at the stop flag while a pool works
JOIN = 1.0


@dataclass(frozen=True, slots=True)
class RunStarting(Event):
    run: int = 0  # 0-based place in the plan
    of: int = 0  # runs planned
    size: int = 0
    workload: str = ""
    executor: str = ""
    inputs: int = 0
    cores: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class WorkerStarted(Event):
    """A worker (``thread`` names it) ran its initializer; ``at`` is its own clock."""

    run: int = 0
    size: int = 0
    pid: int = 0
    at: float = 0.0


@dataclass(frozen=True, slots=True)
class TaskStarted(Event):
    run: int = 0
    size: int = 0
    index: int = 0
    arg: str = ""
    pid: int = 0
    at: float = 0.0


@dataclass(frozen=True, slots=True)
class TaskFinished(Event):
    """``duration`` (wall) and ``cpu`` (the worker thread's CPU time) measured in the worker."""

    run: int = 0
    size: int = 0
    index: int = 0
    arg: str = ""
    pid: int = 0
    duration: float = 0.0
    cpu: float = 0.0
    result: str = ""


@dataclass(frozen=True, slots=True)
class TaskFailed(Event):
    run: int = 0
    size: int = 0
    index: int = 0
    arg: str = ""
    pid: int = 0
    duration: float = 0.0
    error: str = ""


@dataclass(frozen=True, slots=True)
class RunFinished(Event):
    """``speedup`` is the time of the run of size ``against`` over this one's."""

    run: int = 0
    of: int = 0
    size: int = 0
    workload: str = ""
    executor: str = ""
    wall: float = 0.0
    results: tuple[Any, ...] = ()
    speedup: float | None = None
    against: int | None = None
    cores: tuple[int, ...] = ()
    cpu: tuple[float, ...] = ()  # mean busy % of each core during the run


@dataclass(frozen=True, slots=True)
class RunFailed(Event):
    run: int = 0
    of: int = 0
    size: int = 0
    workload: str = ""
    executor: str = ""
    wall: float = 0.0
    error: str = ""
    cores: tuple[int, ...] = ()
    cpu: tuple[float, ...] = ()


def make_inputs(workload: str, n: int, speed: float = 1.0) -> list[Any]:
    if workload == "primes":
        return [(n * i // PRIME_CHUNKS, n * (i + 1) // PRIME_CHUNKS) for i in range(PRIME_CHUNKS)]
    if workload == "sleep":
        return [round(NAP / speed, 4)] * n
    return list(range(1, n + 1))


def show_input(workload: str, arg: Any) -> str:
    if workload == "primes":
        return f"[{arg[0]:,}, {arg[1]:,})"
    if workload == "sleep":
        return f"{arg:g}s"
    return str(arg)


def describe(workload: str, n: int) -> str:
    """The workload in a phrase, for the header of a transcript or the pane."""
    match workload:
        case "primes":
            return f"count the primes below {n:,} (in {PRIME_CHUNKS} chunks)"
        case "sleep":
            return f"sleep {NAP:g} s (÷ speed), {n} times: I/O-bound"
        case "raises":
            return f"square(n) for n in 1..{n}, where input 7 raises"
    return f"square(n) for n in 1..{n}"


def gil_enabled() -> bool:
    """Whether this interpreter's GIL is on (always, before free-threaded 3.13 builds)."""
    check = getattr(sys, "_is_gil_enabled", None)
    return True if check is None else bool(check())


def python_info() -> str:
    state = "on" if gil_enabled() else "OFF (free-threaded)"
    return f"Python {platform.python_version()}, GIL {state}"


def verdict(runs: Sequence[RunFinished]) -> str:
    """What the measured times say, in words; only what the numbers show."""
    if not runs:
        return "No run finished."
    fastest = min(runs, key=lambda r: r.wall)
    slowest = max(runs, key=lambda r: r.wall)
    said = f"Fastest: size {fastest.size} ({fastest.wall:.3f} s)."
    if len(runs) > 1 and slowest is max(runs, key=lambda r: r.size):
        said += f" The biggest, size {slowest.size}, was slowest ({slowest.wall:.3f} s): "
        if slowest.executor != "threads":
            said += "starting its processes cost more than they saved."
        elif gil_enabled() and slowest.workload == "primes":
            said += "more threads, but one GIL: one thread at a time runs Python."
        else:
            said += "more threads did not help."
    elif len(runs) > 1:
        said += f" Slowest: size {slowest.size} ({slowest.wall:.3f} s)."
    if fastest.speedup is not None and fastest.speedup >= 1.3:
        said += f" {fastest.speedup:.2f}x the speed of size {fastest.against}."
    return said


class PoolRuns(Demo):
    name = "pool"
    summary = "multiprocessing.Pool of 2, 4 and 8 processes: time, speed-up, CPU per core (ques.8)."

    def __init__(
        self,
        *,
        sizes: Sequence[int] = SIZES,
        workload: str = "square",
        executor: str = "pool",
        n: int | None = None,
        baseline: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if workload not in WORKLOADS or executor not in EXECUTORS:
            raise ValueError(f"unknown workload {workload!r} or executor {executor!r}")
        if not all(MIN_SIZE <= size <= MAX_SIZE for size in sizes):
            raise ValueError(f"pool sizes must be from {MIN_SIZE} to {MAX_SIZE}")
        self.sizes = tuple(sizes)
        self.workload, self.executor = workload, executor
        self.n = DEFAULT_N[workload] if n is None else n
        self.plan = ((1,) if baseline else ()) + self.sizes
        self.ctx = multiprocessing.get_context("spawn")
        self._halt = threading.Event()  # set by stop() before it kills anything
        self._current: Any = None  # the pool or executor at work
        self._cancel = threading.Event()  # asks thread workers to stop (they cannot be killed)

    def run(self) -> None:
        ensure_resource_tracker()
        cores = allowed_cores()
        base: RunFinished | None = None
        for run, size in enumerate(self.plan):
            self.emit(RunStarting, run=run, of=len(self.plan), size=size,
                      workload=self.workload, executor=self.executor,
                      inputs=len(make_inputs(self.workload, self.n)), cores=cores)
            done = self._run_one(run, size, cores, base)
            if run == 0 and isinstance(done, RunFinished):
                base = done

    def _run_one(self, run: int, size: int, cores: tuple[int, ...],
                 base: RunFinished | None) -> Event:
        inputs = make_inputs(self.workload, self.n, self.speed)
        shown = [show_input(self.workload, arg) for arg in inputs]
        reader, writer = self.ctx.Pipe(duplex=False)
        lock = self.ctx.Lock()  # the workers share the pipe: one report at a time
        writers_done = threading.Event()
        collector = self.spawn(f"reports-{run + 1}",
                               lambda: self._collect(reader, (run, size, shown), writers_done),
                               role="reads the workers' reports")
        error: Exception | None = None
        try:
            before = read_times()
            started = time.perf_counter()
            try:
                results = self._timed_map(size, list(enumerate(inputs)), (writer, lock))
            except Exception as exc:  # the workload raised, in a worker
                if self._halt.is_set():
                    raise Stopped from None
                error = exc
            wall = time.perf_counter() - started
            cpu = cores_busy(before, read_times(), cores)
            writers_done.set()  # every worker has been joined: all reports are in the pipe
            collector.join()
        finally:
            writers_done.set()
            writer.close()
        reader.close()
        common = dict(run=run, of=len(self.plan), size=size, workload=self.workload,
                      executor=self.executor, wall=wall, cores=cores, cpu=cpu)
        if error is not None:
            return self.emit(RunFailed, error=f"{type(error).__name__}: {error}", **common)
        speedup = base.wall / wall if base is not None else (1.0 if run == 0 else None)
        against = base.size if base is not None else (size if run == 0 else None)
        return self.emit(RunFinished, results=tuple(results), speedup=speedup,
                         against=against, **common)

    def _timed_map(self, size: int, items: list[tuple[int, Any]], reports: tuple) -> list:
        """The seed's timed block: create the pool, map, shut it down."""
        if self.executor == "pool":
            with children_ignore_the_terminal():  # its workers, and the thread restarting them
                pool = self.ctx.Pool(processes=size, initializer=init_worker,
                                     initargs=(*reports, self.workload, None))
            with pool:
                self._current = pool
                self._check_halt()
                pending = pool.map_async(run_task, items)  # what Pool.map does, stoppable
                while not pending.ready():
                    pending.wait(POLL)
                    self._check_halt()
                return pending.get()
        if self.executor == "process-executor":
            with ProcessPoolExecutor(max_workers=size, mp_context=self.ctx,
                                     initializer=init_worker,
                                     initargs=(*reports, self.workload, None)) as executor:
                self._current = executor
                self._check_halt()
                with children_ignore_the_terminal():  # map() submits all, starting the workers
                    results = executor.map(run_task, items)
                return list(results)
        with ThreadPoolExecutor(max_workers=size, thread_name_prefix="worker-thread",
                                initializer=init_worker,
                                initargs=(*reports, self.workload, self._cancel)) as executor:
            return list(executor.map(run_task, items))

    def _check_halt(self) -> None:
        if self._halt.is_set():
            raise Stopped

    def _collect(self, reader: Connection, about: tuple[int, int, list[str]],
                 writers_done: threading.Event) -> None:
        """Turn the workers' reports into events until every worker has been joined."""
        while True:
            if reader.poll(POLL):
                self._report(reader.recv(), *about)
            elif writers_done.is_set():
                while reader.poll(0):  # written before the flag was set
                    self._report(reader.recv(), *about)
                return
            elif self._halt.is_set():
                return

    def _report(self, message: tuple, run: int, size: int, shown: list[str]) -> None:
        kind, pid, who, *rest = message
        offset = self.now() - time.monotonic()  # the workers' clock is the system's
        match kind:
            case "worker":
                self._emit_as(who, WorkerStarted, run=run, size=size, pid=pid,
                              at=rest[0] + offset)
            case "start":
                index, at = rest
                self._emit_as(who, TaskStarted, run=run, size=size, index=index,
                              arg=shown[index], pid=pid, at=at + offset)
            case "done":
                index, duration, cpu, result = rest
                self._emit_as(who, TaskFinished, run=run, size=size, index=index,
                              arg=shown[index], pid=pid, duration=duration, cpu=cpu,
                              result=repr(result))
            case "failed":
                index, duration, error = rest
                self._emit_as(who, TaskFailed, run=run, size=size, index=index,
                              arg=shown[index], pid=pid, duration=duration, error=error)

    def _emit_as(self, who: str, cls: type[Event], **fields: Any) -> None:
        """Emit on behalf of a worker (its name in ``thread``), through the pause gate."""
        self._pass_gate()
        self.channel.put(cls(t=self.now(), thread=who, **fields))

    def stop(self, timeout: float = 1.0) -> None:
        """Stop the workers first (so a blocked ``map`` returns), then the threads."""
        self._halt.set()
        self._cancel.set()
        self._end_workers()
        super().stop(timeout)
        self._end_workers()

    def _end_workers(self) -> None:
        current = self._current
        if isinstance(current, multiprocessing.pool.Pool):
            current.terminate()  # idempotent: a Finalize runs once
            return
        processes = getattr(current, "_processes", None) or {}  # ProcessPoolExecutor's
        for process in list(processes.values()):
            with contextlib.suppress(ValueError, AttributeError):
                process.terminate()
        for process in list(processes.values()):
            with contextlib.suppress(ValueError, AttributeError, AssertionError):
                process.join(JOIN)
                if process.is_alive():
                    process.kill()
                    process.join(JOIN)
