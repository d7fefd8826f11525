"""Seed ques.6: a thread dies holding a lock it took without ``with``.

Phase 1 runs ``lock.acquire()`` ... ``lock.release()``: the holder raises in
between, so the release never runs and the waiters block on a lock whose owner
is dead. concviz's detector sees it and ends it by making the waiters give up;
plain Python would leave them waiting forever.
Phase 2 runs the same code under ``with lock:``: the exception still kills the
holder, but ``with`` releases the lock on the way out and everyone finishes.
"""

from __future__ import annotations

import threading
import time
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

WAITERS = 2
HOLD = 0.5  # nominal seconds the holder works before its bug hits
WAITER_DELAY = (0.1, 0.3)
WAITER_WORK = 0.2


@dataclass(frozen=True, slots=True)
class Updated(Event):
    """A waiter got the lock and did its update."""

    balance: int = 0


@dataclass(frozen=True, slots=True)
class HolderFinished(Event):
    deadlocked: bool = False  # phase 1 deadlocked (it always should)
    finished_with: int = 0  # waiters that finished in phase 2


class DeadLockHolder(Demo):
    name = "dead-lock-holder"
    summary = "A thread dies holding a lock taken without `with`: the others block (ques.6)."
    card: ClassVar[Card] = Card(
        title="A thread dies holding a lock",
        purpose="Show why a lock must be released on every path out, exceptions included.",
        use_when="Always take a lock with `with lock:` (or try/finally) so an exception "
        "cannot leave it held.",
        trade_off="None worth the risk: the `with` form costs nothing and the bare "
        "acquire()/release() pair hangs every other thread on the first bug.",
        say_in_class="Plain Python hangs here, silently: the waiters never wake, and only "
        "the dead thread's traceback hints why. concviz ends the hang itself (its own "
        "DeadlockAborted).",
    )

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.balance = 100
        self.phases_deadlocked: list[bool] = []
        self.updated: list[str] = []  # waiters that got the lock and finished

    def run(self) -> None:
        finished_with = 0
        for phase, use_with in ((1, False), (2, True)):
            finished_with = self._phase(phase, use_with)
        self.emit(
            HolderFinished, deadlocked=self.phases_deadlocked[0], finished_with=finished_with
        )

    def _phase(self, phase: int, use_with: bool) -> int:
        prefix = "with" if use_with else "bare"
        title = "with lock: ... (released on the way out)" if use_with else (
            "lock.acquire() ... lock.release() (no with)"
        )
        self.emit(PhaseStarted, phase=phase, title=title)
        graph = WaitsFor()
        lock = WatchedLock(self, "lock", graph)
        holder = self.spawn(
            f"{prefix}-holder", graph.track(self, lambda: self._holder(lock, use_with)), "holder"
        )
        while lock.owner is None and holder.is_alive():  # waiters start once it holds the lock
            time.sleep(POLL)
            self.check_stop()
        waiters = [
            self.spawn(f"{prefix}-waiter-{i + 1}", lambda: self._waiter(lock), "waiter")
            for i in range(WAITERS)
        ]
        found = watch(self, graph, [holder, *waiters])
        if found is not None:
            self.sleep(SHOW_DEADLOCK)  # leave the stuck picture on screen a moment
            # Every waiter gives up, also one that has not blocked yet: it would.
            graph.abort(tuple(waiters), ENDED)
            join(self, waiters)
            victims = tuple(t.name for t in waiters)
            self.emit(DeadlockEnded, how=f"{ENDED}: it made the waiters give up their "
                      "acquire()", victims=victims)
        done = sum(name.startswith(prefix) for name in self.updated)
        self.phases_deadlocked.append(found is not None)
        outcome = (
            f"deadlock: {found.dead_owner} died holding the lock, no waiter got it"
            if found
            else f"no deadlock: {done} of {WAITERS} waiters finished"
        )
        self.emit(PhaseFinished, phase=phase, outcome=outcome, ok=found is None)
        return done

    def _holder(self, lock: WatchedLock, use_with: bool) -> None:
        if use_with:
            with lock:
                self._update_with_a_bug()
        else:
            lock.acquire()
            self._update_with_a_bug()
            lock.release()  # never reached

    def _update_with_a_bug(self) -> None:
        self.sleep(HOLD)
        record = {"balance": self.balance}
        record["balance"] = record["balnce"] + 10  # KeyError: the typo is the bug

    def _waiter(self, lock: WatchedLock) -> None:
        self.sleep(self.rng(threading.current_thread().name).uniform(*WAITER_DELAY))
        with lock:
            self.balance += 10
            self.emit(Updated, balance=self.balance)
            self.sleep(WAITER_WORK)
        self.updated.append(threading.current_thread().name)
