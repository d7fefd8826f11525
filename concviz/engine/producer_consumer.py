"""Seed ques.4: producers and consumers sharing a list guarded by a ``threading.Lock``.

With ``lock=False`` the lock is really gone and consumers do check-then-act
(``if lst: lst.pop(0)``); every race that follows is caught and reported.

Run bare on CPython, that check-then-act almost never races: the interpreter
switches threads only at a few points (calls, function entries, backward jumps)
and none lies between ``if lst:`` and ``pop(0)``. So the lock-free program sleeps
``race_window`` seconds in that gap, a line the listing shows; with a window of 0
the gap is as the seed wrote it, and the same wrong code (almost) never races.
"""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from dataclasses import dataclass, field

from concviz.engine.demo import Demo
from concviz.engine.events import Event
from concviz.engine.traced_lock import Traced

MAX_ITEMS = 1000
MAX_THREADS = 8
PRODUCER_SLEEP = (0.1, 0.3)  # the seed's ranges
CONSUMER_SLEEP = (0.2, 0.4)
RACE_WINDOW = 0.002  # seconds a lock-free consumer sleeps between its check and its pop


@dataclass(frozen=True, slots=True)
class ItemAdded(Event):
    item: int = 0
    contents: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class HeadChecked(Event):
    """Lock-free consumer: it saw ``item`` at the head and will now pop."""

    item: int = 0


@dataclass(frozen=True, slots=True)
class ItemRemoved(Event):
    item: int = 0
    contents: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ListEmpty(Event):
    pass


@dataclass(frozen=True, slots=True)
class RaceDetected(Event):
    """``race`` is one of ``empty-pop``, ``stolen-head``, ``duplicate``, ``lost``.
    ``item``: the item the consumer saw at the head (-1: none); ``other``: the consumer
    that took it first, when known."""

    race: str = ""
    detail: str = ""
    item: int = -1
    other: str = ""


@dataclass(frozen=True, slots=True)
class Retiring(Event):
    """The teacher removed this thread: it finishes its current step, then ends."""


@dataclass(frozen=True, slots=True)
class RunFinished(Event):
    final: tuple[int, ...] = ()
    items: int = 0
    produced: int = 0
    consumed: int = 0
    lock_waits: int = 0
    longest_wait: float = 0.0
    empty_hits: int = 0
    races: int = 0
    locked: bool = True
    empty_pops: int = 0  # races where the seed's pop(0) raises IndexError
    stolen_heads: int = 0  # races where pop(0) took another item than the one checked
    race_window: float = RACE_WINDOW


@dataclass
class _Tally:
    """Counters kept by the demo itself (under its own bookkeeping lock)."""

    produced: list[int] = field(default_factory=list)
    consumed: list[int] = field(default_factory=list)
    empty_hits: int = 0
    races: Counter = field(default_factory=Counter)  # kind -> how many


class ProducerConsumer(Demo):
    name = "producer-consumer"
    summary = "Producers and consumers share a list guarded by a threading.Lock (ques.4)."

    def __init__(
        self,
        *,
        items: int = 10,
        producers: int = 1,
        consumers: int = 1,
        lock: bool = True,
        producer_sleep: tuple[float, float] = PRODUCER_SLEEP,
        consumer_sleep: tuple[float, float] = CONSUMER_SLEEP,
        race_window: float = RACE_WINDOW,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.race_window = race_window  # lock-free only: the gap between check and pop
        self.items = items
        self.producers = producers
        self.consumers = consumers
        self.use_lock = lock
        self.producer_sleep = producer_sleep
        self.consumer_sleep = consumer_sleep
        self.shared_list: list[int] = []
        self.lock = Traced(self, threading.Lock(), "lock")
        self._numbers = itertools.count()
        self._producers_done = threading.Event()
        self._books = threading.Lock()  # the demo's bookkeeping, not part of the lesson
        self.tally = _Tally()
        self._workers: dict[str, list[threading.Thread]] = {"producer": [], "consumer": []}
        self._staffed = False  # the run's own threads are started (see _staff)
        self._retiring: set[str] = set()
        self._taken_by: dict[int, str] = {}  # item -> the consumer whose pop(0) took it

    # -- thread names, as the seed prints them ---------------------------------

    @staticmethod
    def thread_name(role: str, index: int, count: int) -> str:
        return role if count == 1 else f"{role}-{index + 1}"

    # -- the program ----------------------------------------------------------

    def run(self) -> None:
        with self._books:
            self._staff()
        while True:  # producers may be added while we wait
            with self._books:
                live = [t for t in self._workers["producer"] if t.is_alive()]
                if not live:
                    self._producers_done.set()
                    break
            live[0].join(0.05)
        self.join_workers()
        self.check_stop()
        self._finish()

    # -- live control: the teacher adds and removes threads mid-run -------------

    def add_worker(self, role: str) -> str | None:
        """Start one more real producer or consumer thread; its name, or None when
        the run is over (or, for a producer, every item is already taken)."""
        with self._books:
            if self.finished.is_set() or self._stop.is_set() or self._producers_done.is_set():
                return None
            self._staff()  # a key pressed just after the start may come before run() does
            return self._start_worker(role, f"{role.capitalize()}-{len(self._workers[role]) + 1}")

    def remove_worker(self, role: str) -> str | None:
        """Ask the newest working thread of ``role`` to end after its current step.
        The last one of a role stays, or the run could never end; None then."""
        with self._books:
            working = [t for t in self._workers[role]
                       if t.is_alive() and t.name not in self._retiring]
            if len(working) < 2:
                return None
            name = working[-1].name
            self._retiring.add(name)
        self.channel.put(Retiring(t=self.now(), thread=name))  # not gated: the UI calls this
        return name

    def working(self, role: str) -> list[str]:
        """Names of the threads of ``role`` still at work (not finished or retiring)."""
        with self._books:
            return [t.name for t in self._workers[role]
                    if t.is_alive() and t.name not in self._retiring]

    def _staff(self) -> None:
        """Start the run's own threads, once: so that they are Producer and Consumer
        and an added one is Consumer-2, whichever of run() and add_worker comes first.
        Called with ``_books`` held."""
        if self._staffed:
            return
        self._staffed = True
        for i in range(self.producers):
            self._start_worker("producer", self.thread_name("Producer", i, self.producers))
        for i in range(self.consumers):
            self._start_worker("consumer", self.thread_name("Consumer", i, self.consumers))

    def _start_worker(self, role: str, name: str) -> str:
        """Called with ``_books`` held."""
        target = self._producer if role == "producer" else self._consumer
        self._workers[role].append(self.spawn(name, target, role))
        return name

    def _retired(self) -> bool:
        return threading.current_thread().name in self._retiring

    def _take_number(self) -> int | None:
        number = next(self._numbers)  # atomic in CPython: each item goes to one producer
        return number if number < self.items else None

    def _producer(self) -> None:
        rng = self.rng(threading.current_thread().name)
        while not self._retired() and (i := self._take_number()) is not None:
            self.sleep(rng.uniform(*self.producer_sleep))
            if self.use_lock:
                with self.lock:
                    self.shared_list.append(i)
                    self.emit(ItemAdded, item=i, contents=tuple(self.shared_list))
            else:
                self.shared_list.append(i)
                self.emit(ItemAdded, item=i, contents=tuple(self.shared_list))
            with self._books:
                self.tally.produced.append(i)

    def _consumer(self) -> None:
        rng = self.rng(threading.current_thread().name)
        step = self._locked_step if self.use_lock else self._unlocked_step
        while not self._retired():
            self.sleep(rng.uniform(*self.consumer_sleep))
            if step():
                return

    def _locked_step(self) -> bool:
        """One turn of the seed's consumer; True when there is nothing left to do."""
        with self.lock:
            if self.shared_list:
                value = self.shared_list.pop(0)
                self._taken_by[value] = threading.current_thread().name
                self.emit(ItemRemoved, item=value, contents=tuple(self.shared_list))
                self._count_consumed(value)
                return False
            done = self._producers_done.is_set()
            self.emit(ListEmpty)
            self._count_empty()
            return done

    def _unlocked_step(self) -> bool:
        """Check-then-act with no lock: another consumer may act in between. With a
        race window of 0 nothing runs between the check and the pop (no call, no event:
        each is a point where CPython may switch threads)."""
        me = threading.current_thread().name
        lst = self.shared_list
        if lst:
            try:
                head = lst[0]
            except IndexError:
                self._race("empty-pop", "the list emptied between the check and the read")
                return False
            if self.race_window:
                self.emit(HeadChecked, item=head)
                if self._stop.wait(self.race_window / self.speed):
                    return True
            try:
                value = lst.pop(0)
            except IndexError:
                other = self._taken_by.get(head, "")
                self._race("empty-pop", f"saw {head} at the head, but the list was empty at "
                           f"pop(0): {other or 'another consumer'} took {head} first",
                           item=head, other=other)
                return False
            self._taken_by[value] = me
            if value != head:
                other = self._taken_by.get(head, "")
                self._race("stolen-head", f"saw {head} at the head, but "
                           f"{other or 'another consumer'} popped it first; {me} got {value}",
                           item=head, other=other)
            self.emit(ItemRemoved, item=value, contents=tuple(lst))
            self._count_consumed(value)
            return False
        done = self._producers_done.is_set()
        self.emit(ListEmpty)
        self._count_empty()
        return done

    # -- bookkeeping ----------------------------------------------------------

    def _count_consumed(self, value: int) -> None:
        with self._books:
            self.tally.consumed.append(value)

    def _count_empty(self) -> None:
        with self._books:
            self.tally.empty_hits += 1

    def _race(self, race: str, detail: str, item: int = -1, other: str = "") -> None:
        with self._books:
            self.tally.races[race] += 1
        self.emit(RaceDetected, race=race, detail=detail, item=item, other=other)

    def _finish(self) -> None:
        tally = self.tally
        seen = Counter(tally.consumed)
        for item, times in sorted(seen.items()):
            if times > 1:
                self._race("duplicate", f"item {item} was consumed {times} times")
        left = set(self.shared_list)
        for item in sorted(set(tally.produced) - set(seen) - left):
            self._race("lost", f"item {item} was produced but never consumed")
        self.emit(
            RunFinished,
            final=tuple(self.shared_list),
            items=self.items,
            produced=len(tally.produced),
            consumed=len(tally.consumed),
            lock_waits=self.lock.waits,
            longest_wait=self.lock.longest_wait,
            empty_hits=tally.empty_hits,
            races=tally.races.total(),
            locked=self.use_lock,
            empty_pops=tally.races["empty-pop"],
            stolen_heads=tally.races["stolen-head"],
            race_window=self.race_window,
        )
