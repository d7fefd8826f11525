"""Seed ques.5, ``threading.Condition``: a bounded buffer, and why a notify() must
reach the right kind of thread.

One producer, two consumers, a buffer of one item. In every phase the producer
starts once both consumers wait in ``wait()`` (so each run tells the same story)
and puts its items in one go, holding the lock: it lets go only inside ``wait()``.

Phase 1: ONE Condition for both kinds, and ``notify()``. The producer puts an item
and notifies (a consumer wakes), finds the buffer full and waits. That consumer
takes the item and notifies to say "there is room": CPython wakes the thread that
has waited longest, the other consumer, not the producer. It finds the buffer
empty and waits again; so does the first, back for more. All three wait and
nobody is left to notify: plain Python would wait forever. concviz sees every
thread of the program in ``wait()`` (its own check, from the real state) and ends
the phase itself: it raises its own flag and calls ``notify_all()``.
Phase 2: the same single Condition with ``notify_all()``: every change wakes
everyone, the wrong kind re-check and wait again, but no wake-up is lost.
Phase 3: two Conditions on one lock, ``not_empty`` and ``not_full``, as inside
``queue.Queue``: each ``notify()`` can only wake a thread of the right kind.
Waits have no timeout: on stop() the demo wakes everyone itself.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from threading import Condition
from typing import ClassVar, TypeVar

from concviz.engine.card import Card
from concviz.engine.demo import Demo
from concviz.engine.events import Event
from concviz.engine.failures.events import PhaseFinished, PhaseStarted
from concviz.engine.primitives.events import Waiting
from concviz.engine.primitives.traced import join_all
from concviz.engine.traced_lock import POLL, Traced
from concviz.engine.words import plural

CAPACITY = 1
CONSUMERS = 2
ITEMS = 4  # the producer's items in each phase
WORK = (0.2, 0.4)  # nominal seconds a consumer spends on an item, lock released
SHOW_ASLEEP = 1.0  # nominal seconds concviz leaves everyone asleep on screen
LOCK = "condition lock"
PHASES = (  # (the Conditions' names: one shared, or not_empty then not_full; the notify)
    (("cond", "cond"), "notify"),
    (("cond", "cond"), "notify_all"),
    (("not_empty", "not_full"), "notify"),
)
ENDED = "concviz woke everyone: plain Python would wait forever"

T = TypeVar("T")


def kind(thread: str) -> str:
    """``producer`` or ``consumer``, from the thread's name."""
    return thread.split("-")[0]


@dataclass(frozen=True, slots=True)
class Conditions(Event):
    """The phase's program made these Conditions (one name: one Condition for both kinds)."""

    names: tuple[str, ...] = ()


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
    its ``wait()``; it woke ``woken``, the longest waiters first, as CPython does;
    ``missed``: a notify() woke only threads of the caller's own kind while one of
    the kind it was meant for kept waiting."""

    on: str = ""
    how: str = "notify"
    waiting: int = 0
    woke: int = 0
    woken: tuple[str, ...] = ()
    missed: bool = False


@dataclass(frozen=True, slots=True)
class Rechecked(Event):
    """Woken by a notify, the thread has the lock back and re-checks its condition:
    ``ok`` means it may go on, else it waits again."""

    on: str = ""
    ok: bool = True
    waited: float = 0.0
    contents: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class EveryoneAsleep(Event):
    """concviz's check: every thread of the program is in ``wait()`` (``asleep``),
    none has been notified, so none can ever notify another."""

    asleep: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class WokenByConcviz(Event):
    """The thread left ``wait()`` by concviz's own notify_all() and stops."""

    on: str = ""


@dataclass(frozen=True, slots=True)
class ConditionFinished(Event):
    taken: tuple[int, ...] = ()  # items consumed, per phase
    asleep: bool = False  # phase 1 ended with everyone asleep
    waited_again: tuple[int, ...] = ()  # wakes whose re-check failed, per phase
    items: int = ITEMS  # put by the producer in each phase


class ConditionDemo(Demo):
    name = "condition"
    summary = ("threading.Condition: one Condition and notify() can wake the wrong thread; "
               "notify_all() or two Conditions (ques.5).")
    card: ClassVar[Card] = Card(
        title="threading.Condition",
        purpose="Wait, with the lock released, until another thread changes the shared state "
        "and says so with notify().",
        use_when="One thread must wait for a condition set by another: a buffer not empty, a "
        "buffer not full, a job done.",
        trade_off="With one Condition for both kinds, notify() can wake the wrong kind and "
        "all sleep: use notify_all(), or one Condition per kind on one lock (as queue.Queue).",
        say_in_class="Always `while not ready: cond.wait()`, never `if`: a woken thread is only "
        "told that something changed, and another may have taken the item first.",
    )

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.buffer: list[int] = []
        self.done = False  # the producer has finished (or the demo stops)
        self.ended = False  # concviz woke the sleepers of phase 1
        self.queue: dict[str, list[str]] = {}  # each Condition's waiters, longest first
        self.tally = {"taken": 0, "waited_again": 0}
        self._lock = threading.Lock()
        self._conditions: tuple[Condition, ...] = ()

    def run(self) -> None:
        taken, again, asleep = [], [], False
        try:
            for phase, (names, how) in enumerate(PHASES, 1):
                asleep = self._phase(phase, names, how) or asleep
                taken.append(self.tally["taken"])
                again.append(self.tally["waited_again"])
        finally:
            self._wake_everyone()  # on stop(): nobody stays in wait()
        self.emit(ConditionFinished, taken=tuple(taken), asleep=asleep,
                  waited_again=tuple(again))

    def _phase(self, phase: int, names: tuple[str, str], how: str) -> bool:
        """Run one phase; True if concviz found everyone asleep and ended it."""
        one = names[0] == names[1]
        self.emit(PhaseStarted, phase=phase, title=(
            f"one Condition for both kinds, {how}()" if one
            else f"two Conditions on one lock ({' and '.join(names)}), {how}()"))
        self.buffer, self.done, self.ended = [], False, False
        self.queue = {name: [] for name in names}
        self.tally = {"taken": 0, "waited_again": 0}
        self._lock = threading.Lock()
        not_empty = Condition(self._lock)
        not_full = not_empty if one else Condition(self._lock)
        self._conditions = (not_empty,) if one else (not_empty, not_full)
        self.emit(Conditions, names=tuple(dict.fromkeys(names)))
        lock = Traced(self, not_empty, LOCK)  # `with` on either takes the same lock
        empty, full = names
        consumers = [
            self.spawn(f"consumer-{i + 1}",
                       lambda: self._consume(lock, (not_empty, empty), (not_full, full), how),
                       f"waits on {empty}")
            for i in range(CONSUMERS)
        ]
        while self._count(lambda: sum(map(len, self.queue.values()))) < CONSUMERS:
            time.sleep(POLL)  # the producer starts once both consumers wait
            self.check_stop()
        producer = self.spawn(
            "producer", lambda: self._produce(lock, (not_empty, empty), (not_full, full), how),
            f"waits on {full}, starts once both consumers wait")
        asleep = self._watch([producer, *consumers])
        if asleep:
            self.sleep(SHOW_ASLEEP)  # leave everyone asleep on screen a moment
            self._wake_everyone(ended=True)
        join_all(self, [producer, *consumers])
        taken = self.tally["taken"]
        if asleep:
            outcome = f"everyone asleep after {taken} of {ITEMS} items; {ENDED}"
        else:
            outcome = (f"{taken} of {ITEMS} items; {plural(self.tally['waited_again'], 'wake')} "
                       "re-checked and waited again")
        self.emit(PhaseFinished, phase=phase, outcome=outcome, ok=not asleep)
        return asleep

    # -- concviz's own part: watching, waking, joining ----------------------------------

    def _count(self, read: Callable[[], T]) -> T:
        """``read()`` under the program's lock, where every count changes (a thread
        paused while holding it keeps us waiting, stop() still ends the wait)."""
        while not self._lock.acquire(timeout=POLL):
            self.check_stop()
        try:
            return read()
        finally:
            self._lock.release()

    def _watch(self, threads: list[threading.Thread]) -> bool:
        """Until ``threads`` end (False) or all that live are in ``wait()`` with no
        notify on its way to any of them (True: nobody can ever wake them)."""
        while alive := {t.name for t in threads if t.is_alive()}:
            # A thread that ends meanwhile is in no queue: it can only make this False.
            sleepers = self._count(lambda: tuple(n for q in self.queue.values() for n in q))
            if alive <= set(sleepers):
                self.emit(EveryoneAsleep, asleep=sleepers)
                return True
            time.sleep(POLL)
            self.check_stop()
        return False

    def _wake_everyone(self, ended: bool = False) -> None:
        """Untimed waits end only by a notify: on stop(), and when concviz ends phase 1,
        this is it (its own flag raised, so the woken threads stop)."""
        if self._lock.acquire(timeout=1.0):
            try:
                self.done = True
                self.ended = self.ended or ended
                for condition in self._conditions:
                    condition.notify_all()
            finally:
                self._lock.release()

    # -- the waiting, instrumented -------------------------------------------------

    def _wait(self, cond: Condition, on: str, why: str, ready: Callable[[], bool]) -> bool:
        """``while not ready(): cond.wait()``, with the lock held, each step an event;
        False when concviz woke the thread (phase 1's end): it must stop."""
        me = threading.current_thread().name
        while not ready():
            self.queue[on].append(me)
            self.emit(Waiting, on=on, why=why)
            asked = self.now()  # run time: a pause is no wait
            cond.wait()  # releases the lock; it is held again when wait() returns
            if me in self.queue[on]:  # not notified by the program: woken by concviz
                self.queue[on].remove(me)
            if self.ended:
                self.emit(WokenByConcviz, on=on)
                return False
            ok = ready()
            self.tally["waited_again"] += not ok
            self.emit(Rechecked, on=on, ok=ok, waited=self.now() - asked,
                      contents=tuple(self.buffer))
        return True

    def _notify(self, cond: Condition, on: str, how: str) -> None:
        me = threading.current_thread().name
        waiting = list(self.queue[on])
        woken = tuple(waiting if how == "notify_all" else waiting[:1])
        getattr(cond, how)()
        del self.queue[on][:len(woken)]  # CPython wakes the longest waiters first
        meant_for = "consumer" if kind(me) == "producer" else "producer"
        missed = (how == "notify" and bool(woken) and meant_for not in map(kind, woken)
                  and meant_for in map(kind, waiting))
        self.emit(Notified, on=on, how=how, waiting=len(waiting), woke=len(woken),
                  woken=woken, missed=missed)

    # -- the program -------------------------------------------------------------------

    def _produce(self, lock: Traced, not_empty: tuple[Condition, str],
                 not_full: tuple[Condition, str], how: str) -> None:
        with lock:
            for item in range(1, ITEMS + 1):
                if not self._wait(*not_full, "buffer full",
                                  lambda: len(self.buffer) < CAPACITY or self.done):
                    return
                self.check_stop()
                self.buffer.append(item)
                self.emit(Put, item=item, contents=tuple(self.buffer))
                self._notify(*not_empty, how)
            self.done = True
            self._notify(*not_empty, "notify_all")  # no more items: every consumer may end

    def _consume(self, lock: Traced, not_empty: tuple[Condition, str],
                 not_full: tuple[Condition, str], how: str) -> None:
        rng = self.rng(threading.current_thread().name)
        while True:
            with lock:
                if not self._wait(*not_empty, "buffer empty",
                                  lambda: bool(self.buffer) or self.done):
                    return
                if not self.buffer:
                    return  # done, and nothing left
                item = self.buffer.pop(0)
                self.tally["taken"] += 1
                self.emit(Taken, item=item, contents=tuple(self.buffer))
                self._notify(*not_full, how)
            self.sleep(rng.uniform(*WORK))
