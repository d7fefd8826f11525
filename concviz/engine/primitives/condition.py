"""Seed ques.5, ``threading.Condition``: a bounded buffer with wait and notify.

Two Conditions share one lock, as inside ``queue.Queue``: consumers wait on
``not_empty``, the producer waits on ``not_full``. Phase 1 wakes consumers
with ``notify()`` (one at a time); phase 2 with ``notify_all()`` (every
waiter wakes, one gets the item, the others re-check and wait again: that is
why the wait sits in a ``while``); phase 3 fills the buffer so the producer
waits too. Waits have no timeout: on stop() the demo wakes everyone itself.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from threading import Condition
from typing import ClassVar

from concviz.engine.card import Card
from concviz.engine.demo import Demo
from concviz.engine.events import Event
from concviz.engine.failures.events import PhaseStarted
from concviz.engine.primitives.events import Waiting
from concviz.engine.primitives.traced import join_all
from concviz.engine.traced_lock import Traced

CAPACITY = 2
CONSUMERS = 3
SPACED = 3  # items put one by one in phases 1 and 2
BURST = CONSUMERS + CAPACITY + 1  # phase 3: one more than consumers and buffer can take
GAP = (0.3, 0.5)  # nominal seconds between spaced items
WORK = (0.2, 0.3)  # nominal seconds a consumer spends on an item, lock released
LOCK = "condition lock"
PHASES = ("notify", "notify_all", "notify")


@dataclass(frozen=True, slots=True)
class Put(Event):
    item: int = 0
    contents: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Taken(Event):
    item: int = 0
    contents: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Notified(Event):
    """``how`` (notify or notify_all) was called on ``on`` with ``waiting`` threads in
    its ``wait()``; ``woke`` of them were woken."""

    on: str = ""
    how: str = "notify"
    waiting: int = 0
    woke: int = 0


@dataclass(frozen=True, slots=True)
class Rechecked(Event):
    """Woken by a notify, the thread has the lock back and re-checks its condition:
    ``ok`` means it may go on, else it waits again."""

    on: str = ""
    ok: bool = True
    waited: float = 0.0
    contents: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ConditionFinished(Event):
    items: int = 0
    taken: int = 0
    notifies: int = 0
    woken: int = 0
    waited_again: int = 0  # wakes whose re-check failed


class ConditionDemo(Demo):
    name = "condition"
    summary = "threading.Condition: a bounded buffer; notify() against notify_all() (ques.5)."
    card: ClassVar[Card] = Card(
        title="threading.Condition",
        purpose="Wait, with the lock released, until another thread changes the shared state "
        "and says so with notify().",
        use_when="One thread must wait for a condition set by another: a buffer not empty, a "
        "buffer not full, a job done.",
        trade_off="You write the loop yourself and must notify on every change; notify_all() "
        "is safe but wakes threads that go straight back to sleep.",
        say_in_class="Always `while not ready: cond.wait()`, never `if`: a woken thread is only "
        "told that something changed, and another may have taken the item first.",
    )

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.buffer: list[int] = []
        self.done = False  # the producer has finished (or the demo stops)
        self.waiting = {"not_empty": 0, "not_full": 0}  # threads inside each wait()
        self.tally = {"taken": 0, "notifies": 0, "woken": 0, "waited_again": 0}

    def run(self) -> None:
        lock = threading.Lock()
        not_empty, not_full = Condition(lock), Condition(lock)
        traced = Traced(self, not_empty, LOCK)  # `with` on either takes the same lock
        consumers = [
            self.spawn(f"consumer-{i + 1}", lambda: self._consume(traced, not_empty, not_full),
                       "waits on not_empty")
            for i in range(CONSUMERS)
        ]
        producer = self.spawn(
            "producer", lambda: self._produce(traced, not_empty, not_full), "waits on not_full"
        )
        try:
            join_all(self, [producer, *consumers])
        finally:
            self._wake_everyone(lock, not_empty, not_full)
        self.emit(ConditionFinished, items=2 * SPACED + BURST, **self.tally)

    def _wake_everyone(self, lock: threading.Lock, *conditions: Condition) -> None:
        """Untimed waits end only by a notify: on stop() this is it."""
        if lock.acquire(timeout=1.0):
            try:
                self.done = True
                for condition in conditions:
                    condition.notify_all()
            finally:
                lock.release()

    # -- the waiting, instrumented -------------------------------------------------

    def _wait(self, cond: Condition, on: str, why: str, ready: Callable[[], bool]) -> None:
        """``while not ready(): cond.wait()``, with the lock held, each step an event."""
        while not ready():
            self.waiting[on] += 1
            self.emit(Waiting, on=on, why=why)
            asked = time.monotonic()
            cond.wait()  # releases the lock; it is held again when wait() returns
            self.tally["woken"] += 1
            ok = ready()
            self.tally["waited_again"] += not ok
            self.emit(Rechecked, on=on, ok=ok, waited=time.monotonic() - asked,
                      contents=tuple(self.buffer))

    def _notify(self, cond: Condition, on: str, how: str) -> None:
        waiting = self.waiting[on]
        woke = waiting if how == "notify_all" else min(1, waiting)
        getattr(cond, how)()
        self.waiting[on] -= woke  # a notified waiter left the Condition's list
        self.tally["notifies"] += 1
        self.emit(Notified, on=on, how=how, waiting=waiting, woke=woke)

    # -- the program -------------------------------------------------------------------

    def _produce(self, lock: Traced, not_empty: Condition, not_full: Condition) -> None:
        rng = self.rng("producer")
        item = 0
        for phase, how in enumerate(PHASES, 1):
            spaced = phase < len(PHASES)
            title = (f"{how}(): wakes one waiter" if how == "notify"
                     else "notify_all(): all waiters wake and re-check")
            self.emit(PhaseStarted, phase=phase,
                      title=title if spaced else f"a burst of {BURST}: the buffer fills up")
            for _ in range(SPACED if spaced else BURST):
                if spaced:
                    self.sleep(rng.uniform(*GAP))
                item += 1
                with lock:
                    self._wait(not_full, "not_full", "buffer full",
                               lambda: len(self.buffer) < CAPACITY or self.done)
                    self.check_stop()
                    self.buffer.append(item)
                    self.emit(Put, item=item, contents=tuple(self.buffer))
                    self._notify(not_empty, "not_empty", how)
            if spaced:
                self.sleep(GAP[1])  # the consumers settle back into wait()
        with lock:
            self.done = True
            self._notify(not_empty, "not_empty", "notify_all")

    def _consume(self, lock: Traced, not_empty: Condition, not_full: Condition) -> None:
        rng = self.rng(threading.current_thread().name)
        while True:
            with lock:
                self._wait(not_empty, "not_empty", "buffer empty",
                           lambda: bool(self.buffer) or self.done)
                if not self.buffer:
                    return  # done, and nothing left
                item = self.buffer.pop(0)
                self.tally["taken"] += 1
                self.emit(Taken, item=item, contents=tuple(self.buffer))
                self._notify(not_full, "not_full", "notify")
            self.sleep(rng.uniform(*WORK))
