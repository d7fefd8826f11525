"""Two threads take two locks in opposite order: concviz's order check warns, then it
deadlocks.

Phase 1: T1 takes A then B, T2 takes B then A, round after round; T2 starts each
round a little sooner after T1. concviz's order graph (the idea of the kernel's
lockdep; Python has none) warns as soon as both orders have been seen (before
either thread blocks), long before the rounds overlap.
When T2 grabs B while T1 holds A, each waits for the other: the detector finds
the cycle and concviz ends it as a database would, by aborting one victim; plain
Python would leave both threads waiting forever.
Phase 2: both take A then B, at the same tight timing: no warning, no deadlock.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from typing import ClassVar

from concviz.engine.card import Card
from concviz.engine.demo import Demo
from concviz.engine.events import Event
from concviz.engine.failures.deadlock import (
    ENDED,
    POLL,
    SHOW_DEADLOCK,
    WaitsFor,
    WatchedLock,
    join,
    watch,
)
from concviz.engine.failures.events import DeadlockEnded, PhaseFinished, PhaseStarted
from concviz.engine.words import plural

OFFSETS = (0.8, 0.6, 0.3, 0.0, 0.0, 0.0)  # nominal seconds T2 starts after T1, per round
FIXED_OFFSETS = (0.3, 0.0, 0.0)
JITTER = 0.04
HOLD = 0.2  # nominal seconds between taking the first lock and asking for the second
WORK = 0.2  # nominal seconds holding both


@dataclass(frozen=True, slots=True)
class RoundStarted(Event):
    round: int = 0
    offset: float = 0.0  # nominal seconds this thread waits before its first lock


@dataclass(frozen=True, slots=True)
class Transferred(Event):
    """The thread holds both locks and did its work."""

    round: int = 0


@dataclass(frozen=True, slots=True)
class LockOrderFinished(Event):
    warned: bool = False
    deadlocked: bool = False
    deadlock_round: int = 0
    fixed_rounds: int = 0  # rounds both threads completed in phase 2


class RoundGate:
    """Both threads begin round r together (scaffolding: the timing is the lesson)."""

    def __init__(self, demo: Demo, parties: int) -> None:
        self._demo = demo
        self._parties = parties
        self._cond = threading.Condition()
        self._arrived: Counter[int] = Counter()
        self._cancelled = False

    def wait(self, round_: int) -> bool:
        """False once the rounds are called off."""
        with self._cond:
            self._arrived[round_] += 1
            self._cond.notify_all()
            while self._arrived[round_] < self._parties and not self._cancelled:
                self._cond.wait(POLL)
                self._demo.check_stop()
            return not self._cancelled

    def cancel(self) -> None:
        with self._cond:
            self._cancelled = True
            self._cond.notify_all()


class LockOrder(Demo):
    name = "lock-order"
    summary = "Two threads take two locks in opposite order: a lock-order warning, then deadlock."
    card: ClassVar[Card] = Card(
        title="Lock order",
        purpose="Show that taking two locks in opposite orders is a deadlock waiting for "
        "the right timing, and that the order itself can be checked.",
        use_when="Whenever a thread holds one lock while taking another: fix one global "
        "order (A before B) and keep to it everywhere.",
        trade_off="A global order is a rule every caller must know; the alternative, "
        "acquire with a timeout and back off, turns hangs into retries.",
        say_in_class="The bug is there from the first round; tests pass until the timing "
        "lines up. Python has no check for it: concviz's lock-order check, like the Linux "
        "kernel's lockdep, warns on the first round, from the order alone.",
    )

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.completed: Counter[str] = Counter()  # rounds each thread finished
        self.warned = False

    def run(self) -> None:
        deadlock_round = self._phase(1, ("T1", "T2"), opposite=True, offsets=OFFSETS)
        fixed = self._phase(2, ("T3", "T4"), opposite=False, offsets=FIXED_OFFSETS)
        self.emit(
            LockOrderFinished,
            warned=self.warned,
            deadlocked=deadlock_round > 0,
            deadlock_round=deadlock_round,
            fixed_rounds=fixed,
        )

    def _phase(self, phase: int, names: tuple[str, str], opposite: bool,
               offsets: tuple[float, ...]) -> int:
        """Phase 1 returns the round that deadlocked (0: none); phase 2 the rounds done."""
        title = "T1 takes A then B, T2 takes B then A" if opposite else (
            "T3 and T4 both take A then B"
        )
        self.emit(PhaseStarted, phase=phase, title=title)
        graph = WaitsFor()
        a, b = WatchedLock(self, "A", graph), WatchedLock(self, "B", graph)
        gate = RoundGate(self, 2)
        rng = self.rng(f"phase-{phase}")
        late = [max(0.0, o + rng.uniform(-JITTER, JITTER)) if o else 0.0 for o in offsets]
        first = self.spawn(names[0], lambda: self._rounds(a, b, gate, [0.0] * len(late)),
                           "A then B")
        second_order = (b, a) if opposite else (a, b)
        second = self.spawn(names[1], lambda: self._rounds(*second_order, gate, late),
                            "B then A" if opposite else "A then B")
        found = watch(self, graph, [first, second])
        deadlock_round = 0
        if found is not None:
            self.sleep(SHOW_DEADLOCK)  # leave the stuck picture on screen a moment
            victim = found.last  # its request closed the cycle
            deadlock_round = self._round_of(victim)
            gate.cancel()
            graph.abort((victim,), ENDED)
            join(self, [first, second])
            self.emit(DeadlockEnded, how=f"{ENDED}: it aborted {victim.name}, whose "
                      "locks were released",
                      victims=(victim.name,))
        done = min(self.completed[n] for n in names)
        self.warned = self.warned or bool(graph.warned)
        if opposite:
            outcome = (f"deadlock in round {deadlock_round}, ended by concviz" if found
                       else "no deadlock this time: the timing never lined up")
        else:
            outcome = f"{plural(done, 'round')}, no warning, no deadlock"
        self.emit(PhaseFinished, phase=phase, outcome=outcome, ok=found is None)
        return deadlock_round if opposite else done

    def _round_of(self, thread: threading.Thread) -> int:
        return self.completed[thread.name] + 1

    def _rounds(self, first: WatchedLock, second: WatchedLock, gate: RoundGate,
                offsets: list[float]) -> None:
        me = threading.current_thread().name
        for round_, offset in enumerate(offsets, 1):
            if not gate.wait(round_):
                return
            self.emit(RoundStarted, round=round_, offset=offset)
            if offset:
                self.sleep(offset)
            with first:
                self.sleep(HOLD)
                with second:
                    self.emit(Transferred, round=round_)
                    self.sleep(WORK)
            self.completed[me] += 1
