"""Seed ques.7: factorials submitted to a ``ThreadPoolExecutor``, collected with ``as_completed``.

``math.factorial`` takes microseconds, so each task also does a chosen amount of
work (a seeded sleep, one proportional to n, or none) and the futures really
finish out of order. A chosen n may raise, and the futures still pending may be
cancelled mid-run. With ``executor="process"`` the same tasks run in a
``ProcessPoolExecutor`` of spawned children, which report back over a queue; one of
them dying (killed from outside) breaks the pool, as it does in any program.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import queue
import signal
import threading
import time
from concurrent.futures import (
    BrokenExecutor,
    CancelledError,
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    as_completed,
)
from dataclasses import dataclass
from random import Random
from typing import Any, TypeVar

from concviz.engine.demo import Demo, Stopped
from concviz.engine.events import Event
from concviz.engine.spawning import (
    children_ignore_the_terminal,
    end_with_parent,
    ensure_resource_tracker,
)

E = TypeVar("E", bound=Event)

MAX_WORKERS = 32
MAX_N = 1000
DELAYS = ("random", "proportional", "none")
EXECUTORS = ("thread", "process")
LONGEST = 1.0  # nominal seconds of the longest task in a run of 10
POLL = 0.05  # seconds between checks for stop while waiting
JOIN = 1.0  # seconds the pool's processes get to end before they are terminated


def scale(n_max: int) -> float:
    """Shrinks each task's work as runs grow: a whole run costs about the same work
    (some 5 s, shared by the workers) whatever ``n_max``, so 1000 futures end in seconds."""
    return LONGEST * min(1.0, 10 / n_max)


def factorial(n: int, fail: int | None = None) -> int:
    """The seed's task; ``fail`` names the n that raises instead (failure injection)."""
    if n == fail:
        raise ValueError(f"factorial({n}) failed on purpose")
    return math.factorial(n)


# -- what runs in each worker process (spawn pickles these by name) -------------

_reports: Any = None  # a multiprocessing.Queue back to the demo
_halt: Any = None  # the read end of a pipe whose write end the demo closes when it stops


def init_process(reports: Any, halt: Any) -> None:
    """The pool's initializer: keep the demo's queue and stop pipe in this process,
    and end with the demo's process (a SIGKILLed parent cleans up nothing). Ctrl+C
    and a hangup are blocked from the start (see ``children_ignore_the_terminal``)."""
    global _reports, _halt
    end_with_parent()
    _reports, _halt = reports, halt


def process_task(n: int, seconds: float, fail: int | None) -> int:
    """``factorial(n)`` in a worker process, telling the demo when it starts and ends."""
    pid = os.getpid()
    _reports.put(("started", n, pid, None, ""))
    if seconds and _halt.poll(seconds):  # ready: the demo closed its end
        raise RuntimeError("stopped")  # the demo is ending: nobody reads this result
    try:
        result = factorial(n, fail)
    except ValueError as exc:
        _reports.put(("finished", n, pid, None, f"{type(exc).__name__}: {exc}"))
        raise
    _reports.put(("finished", n, pid, result, ""))
    return result


# -- events -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FuturesStarting(Event):
    n_max: int = 0
    workers: int = 0
    executor: str = "thread"
    delay: str = "random"
    fail: int | None = None


@dataclass(frozen=True, slots=True)
class FutureSubmitted(Event):
    """``executor.submit(factorial, n)`` returned a pending future (``future`` is its id)."""

    n: int = 0
    future: int = 0


@dataclass(frozen=True, slots=True)
class TaskStarted(Event):
    """A worker (``thread``: a pool thread's name, or ``pid N``) began ``factorial(n)``."""

    n: int = 0
    pid: int = 0


@dataclass(frozen=True, slots=True)
class TaskFinished(Event):
    """The task's function returned ``result`` or raised (``error`` is ``Type: message``)."""

    n: int = 0
    pid: int = 0
    result: int | None = None
    error: str = ""


@dataclass(frozen=True, slots=True)
class TaskCancelled(Event):
    """``future.cancel()`` returned True: the task was still pending and will never run."""

    n: int = 0


@dataclass(frozen=True, slots=True)
class CancelRefused(Event):
    """``future.cancel()`` returned False: the task was running on ``worker`` (empty when
    a process pool had already handed it to its call queue, not yet begun)."""

    n: int = 0
    worker: str = ""


@dataclass(frozen=True, slots=True)
class FutureYielded(Event):
    """``as_completed`` gave this future at ``position`` (1-based); ``result()`` returned
    ``result``, re-raised ``error``, or raised CancelledError (``cancelled``)."""

    n: int = 0
    position: int = 0
    result: int | None = None
    error: str = ""
    cancelled: bool = False


@dataclass(frozen=True, slots=True)
class PoolBroken(Event):
    """A worker process ended abruptly (killed or crashed), so the executor marked the
    pool broken: every future not done failed with ``error`` (BrokenProcessPool) and
    it ended its other workers. ``exits``: each worker's pid and exit code (-N: the
    signal N ended it)."""

    error: str = ""
    exits: tuple[tuple[int, int | None], ...] = ()


@dataclass(frozen=True, slots=True)
class FuturesFinished(Event):
    submitted: tuple[int, ...] = ()
    completed: tuple[int, ...] = ()
    failed: tuple[int, ...] = ()
    cancelled: tuple[int, ...] = ()
    refused: tuple[int, ...] = ()
    workers: int = 0
    executor: str = "thread"
    delay: str = "random"
    elapsed: float = 0.0


def broken_pool(event: PoolBroken) -> str:
    """What a broken process pool did, with how each of its workers ended."""

    def ended(code: int | None) -> str:
        if code is None:
            return "running"
        return signal.Signals(-code).name if code < 0 else f"exit {code}"

    how = ", ".join(f"pid {pid} {ended(code)}" for pid, code in event.exits)
    return (f"BrokenProcessPool: a worker process died; the executor failed every future "
            f"not done and ended the others. Workers: {how}")


def outcome(future: Future) -> dict[str, Any]:
    """What the seed's ``future.result()`` does: return the value or re-raise."""
    try:
        return {"result": future.result()}
    except CancelledError:
        return {"cancelled": True}
    except Exception as exc:  # the task's own exception, re-raised by result()
        return {"error": f"{type(exc).__name__}: {exc}"}


class FactorialFutures(Demo):
    name = "futures"
    summary = "Factorials in a ThreadPoolExecutor, collected with as_completed (ques.7)."

    def __init__(
        self,
        *,
        n_max: int = 10,
        workers: int = 4,
        delay: str = "random",
        fail: int | None = None,
        executor: str = "thread",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if delay not in DELAYS or executor not in EXECUTORS:
            raise ValueError(f"unknown delay {delay!r} or executor {executor!r}")
        self.n_max = n_max
        self.workers = workers
        self.delay = delay
        self.fail = fail
        self.executor = executor
        self.futures: dict[int, Future] = {}  # n -> its future, once announced
        self._books = threading.Lock()  # guards futures and the cancel lists
        self._cancelled: list[int] = []
        self._refused: list[int] = []
        self._running_on: dict[int, str] = {}  # n -> the worker that began it
        # Per n: FutureSubmitted is out (a worker's TaskStarted waits for it), and the
        # task's last word is out (FutureYielded waits for it): the stream stays in order.
        numbers = range(1, n_max + 1)
        self._announced = {n: threading.Event() for n in numbers}
        self._told = {n: threading.Event() for n in numbers}
        self._halt: Any = None  # (reader, writer) of the stop pipe, with processes
        self._reports: Any = None
        self._broken = ""  # the BrokenExecutor a future raised, if the pool broke
        self._exits: tuple[tuple[int, int | None], ...] = ()
        self._relay: threading.Thread | None = None
        self._relay_done = threading.Event()

    # -- the work each task does ------------------------------------------------

    def work(self, n: int, rng: Random) -> float:
        """Nominal seconds of work for task n."""
        if self.delay == "random":
            return rng.uniform(0.1, 1.0) * scale(self.n_max)
        if self.delay == "proportional":
            return n / 10 * scale(self.n_max) ** 2
        return 0.0

    # -- the program ------------------------------------------------------------

    def run(self) -> None:
        started = self.now()  # run time: paused time is not part of it
        self.emit(FuturesStarting, n_max=self.n_max, workers=self.workers,
                  executor=self.executor, delay=self.delay, fail=self.fail)
        executor = self._open()
        try:
            yielded = self._submit_and_collect(executor)
        finally:
            self._close(executor)
        if self._broken:
            self.emit(PoolBroken, error=self._broken, exits=self._exits)
        with self._books:
            cancelled, refused = tuple(self._cancelled), tuple(self._refused)
        self.emit(
            FuturesFinished,
            submitted=tuple(range(1, self.n_max + 1)),
            completed=tuple(e.n for e in yielded),
            failed=tuple(sorted(e.n for e in yielded if e.error)),
            cancelled=cancelled,
            refused=refused,
            workers=self.workers,
            executor=self.executor,
            delay=self.delay,
            elapsed=self.now() - started,
        )

    def _submit_and_collect(self, executor: Executor) -> list[FutureYielded]:
        """The seed's two lines: a list of submitted futures, then ``as_completed``."""
        rng = self.rng("work")
        numbers: dict[Future, int] = {}
        for n in range(1, self.n_max + 1):
            self._pass_gate()  # paused: nothing more is submitted
            with children_ignore_the_terminal():  # submit() starts the worker processes
                future = self._submit(executor, n, self.work(n, rng))
            numbers[future] = n
            with self._books:  # whatever cancel_pending sees has been announced
                self.futures[n] = future
                self._publish(FutureSubmitted, n=n, future=id(future))
            self._announced[n].set()
        yielded: list[FutureYielded] = []
        for future in as_completed(numbers):
            n = numbers[future]
            self._await_report(n, future)
            yielded.append(self.emit(FutureYielded, n=n, position=len(yielded) + 1,
                                     **outcome(future)))
        return yielded

    def _await_report(self, n: int, future: Future) -> None:
        """Hold the yield until the task's own last event is out (a broken pool has none)."""
        if not future.cancelled() and isinstance(future.exception(), BrokenExecutor):
            error = future.exception()
            self._broken = f"{type(error).__name__}: {error}"
            return
        self._wait(self._told[n])

    def _wait(self, flag: threading.Event) -> None:
        while not flag.wait(POLL):
            self.check_stop()

    # -- threads ------------------------------------------------------------------

    def _thread_task(self, n: int, seconds: float) -> int:
        """Runs on a pool thread: the seed's ``factorial(n)`` between two events."""
        self._running_on[n] = threading.current_thread().name
        self._wait(self._announced[n])
        pid = os.getpid()
        self.emit(TaskStarted, n=n, pid=pid)
        if seconds:
            self.sleep(seconds)
        try:
            result = factorial(n, self.fail)
        except ValueError as exc:
            self.emit(TaskFinished, n=n, pid=pid, error=f"{type(exc).__name__}: {exc}")
            self._told[n].set()
            raise
        self.emit(TaskFinished, n=n, pid=pid, result=result)
        self._told[n].set()
        return result

    # -- processes ------------------------------------------------------------------

    def _open(self) -> Executor:
        if self.executor == "thread":
            return ThreadPoolExecutor(self.workers, thread_name_prefix="Worker")
        # spawn, never fork: this program runs threads, and fork copies their locks mid-use
        ctx = multiprocessing.get_context("spawn")
        ensure_resource_tracker()
        # A pipe, not a multiprocessing.Event: Event.set() waits for every sleeper to
        # wake, forever for a worker that was killed; a closed pipe wakes them all.
        self._reports, self._halt = ctx.Queue(), ctx.Pipe(duplex=False)
        self._relay = threading.Thread(target=self._relay_reports, name=f"{self.name}-relay",
                                       daemon=True)
        self._threads.append(self._relay)  # joined and counted with the demo's own
        self._relay.start()
        return ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=init_process,
                                   initargs=(self._reports, self._halt[0]))

    def _submit(self, executor: Executor, n: int, seconds: float) -> Future:
        if self.executor == "thread":
            return executor.submit(self._thread_task, n, seconds)
        # a child sleeps on its own clock: the speed is the one at submission
        return executor.submit(process_task, n, seconds / self.speed, self.fail)

    def _relay_reports(self) -> None:
        """Publish what the worker processes say, each on behalf of its process."""
        with contextlib.suppress(Stopped):
            while not self._relay_done.is_set():
                try:
                    kind, n, pid, result, error = self._reports.get(timeout=POLL)
                except queue.Empty:
                    continue
                who = f"pid {pid}"
                self._wait(self._announced[n])
                if kind == "started":
                    self._running_on[n] = who
                    self._emit_as(who, TaskStarted, n=n, pid=pid)
                else:
                    self._emit_as(who, TaskFinished, n=n, pid=pid, result=result, error=error)
                    self._told[n].set()

    def _emit_as(self, who: str, cls: type[E], **fields: Any) -> E:
        """Emit on behalf of a worker process, through the pause gate."""
        self._pass_gate()
        return self._publish(cls, who, **fields)

    def _publish(self, cls: type[E], who: str | None = None, **fields: Any) -> E:
        """Stamp and publish without waiting at the gate (the caller has passed it, or
        is the UI thread, which must never wait)."""
        event = cls(t=self.now(), thread=who or threading.current_thread().name, **fields)
        self.channel.put(event)
        return event

    # -- cancel, stop and clean up ----------------------------------------------------

    def cancel_pending(self) -> tuple[list[int], list[int]]:
        """``future.cancel()`` on every future not done yet. Returns the ns cancelled
        (they were pending) and those refused (already running). Called from the UI
        thread, so it publishes without waiting at the pause gate."""
        cancelled: list[int] = []
        refused: list[int] = []
        with self._books:
            for n, future in self.futures.items():
                if future.done():
                    continue
                if future.cancel():
                    cancelled.append(n)
                    self._publish(TaskCancelled, n=n)
                    self._told[n].set()
                elif not future.done():
                    refused.append(n)
                    self._publish(CancelRefused, n=n, worker=self._running_on.get(n, ""))
            self._cancelled += cancelled
            self._refused += refused
        return cancelled, refused

    def stop(self, timeout: float = 1.0) -> None:
        self._stop.set()  # first, so whatever the halt wakes sees the demo stopping
        self._halt_workers()  # worker processes end their sleep at once
        super().stop(timeout)

    def _halt_workers(self) -> None:
        """Close the stop pipe's write end: every worker's poll() returns at once."""
        with self._books:  # stop() (the UI thread) and _close() may both call it
            if self._halt is not None:
                self._halt[1].close()

    def _close(self, executor: Executor) -> None:
        with self._books:
            for future in self.futures.values():
                future.cancel()  # the pending ones only; running ones say no
        if isinstance(executor, ThreadPoolExecutor):
            executor.shutdown(wait=True, cancel_futures=True)  # every wait ends at stop
            return
        self._halt_workers()
        # The pool's own processes and thread (Python 3.14 adds terminate_workers()).
        processes = list((executor._processes or {}).values())
        manager = executor._executor_manager_thread
        executor.shutdown(wait=False, cancel_futures=True)
        if self.stopping:  # no waiting for children still booting or working
            for process in processes:
                process.terminate()
        deadline = time.monotonic() + JOIN
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
        for process in processes:
            if process.is_alive():
                process.kill()
                process.join(JOIN)
        if manager is not None:
            manager.join(JOIN)
        self._exits = tuple((process.pid, process.exitcode) for process in processes)
        self._stop_relay()

    def _stop_relay(self) -> None:
        self._relay_done.set()
        if self._relay is not None:
            self._relay.join(JOIN)
        self._reports.close()
        self._halt[0].close()
