"""Seed ques.5, between processes: a shared ``multiprocessing.Value`` counter.

Phase 1: each process does ``counter.value += 1`` without holding the Value's
lock across the read and the write: updates are really lost, and counted
(expected total minus the final value). Phase 2: the same loop under
``with counter.get_lock():``: nothing is lost.
"""

from __future__ import annotations

import queue
from collections import deque
from dataclasses import dataclass

from concviz.engine.events import Event
from concviz.engine.failures import workers
from concviz.engine.failures.events import PhaseFinished, PhaseStarted
from concviz.engine.failures.processes import ProcessDemo
from concviz.engine.words import plural

PROCESSES, MAX_PROCESSES = 2, 8
INCREMENTS, MAX_INCREMENTS = 30_000, 1_000_000  # per process, about
BURSTS = 10
BURST_PAUSE = 0.1  # nominal seconds between bursts, so the count can be watched
POLL = 0.05


@dataclass(frozen=True, slots=True)
class Counted(Event):
    """A process (``thread`` is its name) finished a burst: ``done`` increments so far,
    and the shared value it read right after. Emitted in the order of the reads, on one
    clock for every process, not in the order the reports arrived."""

    done: int = 0
    value: int = 0


@dataclass(frozen=True, slots=True)
class CounterResult(Event):
    phase: int = 1
    locked: bool = False
    expected: int = 0
    actual: int = 0
    lost: int = 0


@dataclass(frozen=True, slots=True)
class CounterFinished(Event):
    """Every phase's result, for the one summary of the run."""

    results: tuple[CounterResult, ...] = ()


class MpCounter(ProcessDemo):
    name = "mp-counter"
    summary = "Processes increment a multiprocessing.Value, without then with its lock (ques.5)."

    def __init__(
        self,
        *,
        processes: int = PROCESSES,
        increments: int = INCREMENTS,
        phases: tuple[bool, ...] = (False, True),
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.n_processes = processes
        self.increments = increments
        self.phases = phases  # locked or not, one per phase
        self.results: list[CounterResult] = []

    def run(self) -> None:
        try:
            for phase, locked in enumerate(self.phases, 1):
                self.results.append(self._phase(phase, locked))
        finally:
            self.end_processes()
        self.emit(CounterFinished, results=tuple(self.results))

    def _phase(self, phase: int, locked: bool) -> CounterResult:
        label = "locked" if locked else "unlocked"
        code = "with counter.get_lock(): counter.value += 1" if locked else "counter.value += 1"
        self.emit(PhaseStarted, phase=phase, title=code)
        rng = self.rng(f"phase-{phase}")
        spread = self.increments // 10
        shares = [self.increments + rng.randint(-spread, spread) for _ in range(self.n_processes)]
        counter, reports = self.ctx.Value("i", 0), self.ctx.Queue()
        together = self.ctx.Barrier(self.n_processes)
        procs = [
            self.ctx.Process(
                target=workers.count,
                args=(counter, share, BURSTS, BURST_PAUSE / self.speed, locked, together, reports),
                name=f"{label}-{i + 1}",
                daemon=True,
            )
            for i, share in enumerate(shares)
        ]
        try:
            for proc in procs:
                self.start_process(proc, "adds 1, again and again")
            self._collect(procs, reports)
            for proc in procs:
                proc.join()
                self.report_exit(proc)
        finally:
            reports.close()
            reports.join_thread()
        expected, actual = sum(shares), counter.value
        result = self.emit(
            CounterResult,
            phase=phase,
            locked=locked,
            expected=expected,
            actual=actual,
            lost=expected - actual,
        )
        outcome = f"expected {expected}, got {actual}: {plural(expected - actual, 'update')} lost"
        self.emit(PhaseFinished, phase=phase, outcome=outcome, ok=actual == expected)
        return result

    def _collect(self, procs: list, reports) -> None:
        """Turn the children's reports into events, in the order the reads happened.

        Reports arrive in whatever order the processes' queue feeders deliver them,
        which is not the order of the reads. Each carries the time of its read on one
        clock, and one process's reports arrive in their order: a report is shown
        once every process still counting has one waiting (none can come earlier).
        """
        waiting: dict[str, deque[tuple[int, int, int]]] = {p.name: deque() for p in procs}
        counting = {p.name for p in procs}
        while counting:
            self._show_in_order(waiting, counting)
            try:
                kind, who, done, value, at = reports.get(timeout=POLL)
            except queue.Empty:
                self.check_stop()
                counting -= {p.name for p in procs if p.exitcode not in (None, 0)}  # crashed
                continue
            waiting[who].append((at, done, value))
            if kind == "done":
                counting.discard(who)
        self._show_in_order(waiting, counting)

    def _show_in_order(self, waiting: dict[str, deque[tuple[int, int, int]]],
                       counting: set[str]) -> None:
        """Emit the earliest waiting report while no counting process could precede it."""
        while any(waiting.values()) and all(waiting[who] for who in counting):
            who = min((w for w in waiting if waiting[w]), key=lambda w: waiting[w][0][0])
            _, done, value = waiting[who].popleft()
            self.emit_as(who, Counted, done=done, value=value)
