"""Seed ques.5, ``threading.Event``: one ``set()`` releases every waiter at once.

Four runners get ready at their own pace and wait for the start signal. The
starter calls ``set()``: all of them go together. It then calls ``clear()``;
runners that come back for a second start find the flag down and wait again,
until the second ``set()``. Waits have no timeout: on stop() the demo sets the
flag itself, so no runner stays blocked.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import ClassVar

from concviz.engine.card import Card
from concviz.engine.demo import Demo
from concviz.engine.events import Event
from concviz.engine.primitives.events import Waiting, Woken
from concviz.engine.primitives.traced import join_all

RUNNERS = 4
STARTS = 2
READY = (0.1, 0.7)  # nominal seconds a runner takes to get ready
RUN = (0.4, 0.9)  # nominal seconds a runner runs after a start
FIRST_SET = 1.0  # nominal seconds before the first set()
CLEAR_AFTER = 0.25  # nominal seconds between set() and clear()
NEXT_SET = 1.5  # nominal seconds between clear() and the next set()
FLAG = "event 'go'"


@dataclass(frozen=True, slots=True)
class FlagSet(Event):
    """``set()`` was called with ``waiting`` threads blocked in ``wait()``."""

    start: int = 0
    waiting: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FlagCleared(Event):
    pass


@dataclass(frozen=True, slots=True)
class PassedThrough(Event):
    """The flag was already set: ``wait()`` returned at once."""


@dataclass(frozen=True, slots=True)
class EventDemoFinished(Event):
    sets: int = 0
    released: int = 0  # waits that a set() ended
    passed: int = 0  # waits that found the flag already set


class EventDemo(Demo):
    name = "event"
    summary = "threading.Event: one set() releases every waiter; clear() and wait again (ques.5)."
    card: ClassVar[Card] = Card(
        title="threading.Event",
        purpose="A flag threads can wait on: set() raises it and wakes every waiter, clear() "
        "lowers it.",
        use_when="One thread needs to tell others to start or to stop: a start signal, a "
        "shutdown request, 'the data is loaded'.",
        trade_off="It carries no data and no count. It stays set: every wait() passes at "
        "once until clear() (a notify() that finds nobody waiting is simply lost).",
        say_in_class="wait(timeout) returns True unless it timed out: "
        "`while not stop.wait(1):` is the tidy way to run until told to stop.",
    )

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.flag = threading.Event()
        # Reporting only: each check or change of the flag and its event go out
        # together, so the stream never shows a runner waiting on a raised flag.
        self._report = threading.Lock()
        self.blocked: list[str] = []  # runners inside wait(), as reported
        self.released = 0
        self.passed = 0

    def run(self) -> None:
        runners = [self.spawn(f"runner-{i + 1}", self._runner, "waits for go")
                   for i in range(RUNNERS)]
        starter = self.spawn("starter", self._starter, "set() and clear()")
        try:
            join_all(self, [starter, *runners])
        finally:
            self.flag.set()  # on stop(): nobody stays in wait()
        self.emit(EventDemoFinished, sets=STARTS, released=self.released, passed=self.passed)

    def _starter(self) -> None:
        for start in range(1, STARTS + 1):
            self.sleep(FIRST_SET if start == 1 else NEXT_SET)
            with self._report:
                self.emit(FlagSet, start=start, waiting=tuple(self.blocked))
                self.flag.set()
            if start < STARTS:
                self.sleep(CLEAR_AFTER)
                with self._report:
                    self.flag.clear()
                    self.emit(FlagCleared)

    def _runner(self) -> None:
        me = threading.current_thread().name
        rng = self.rng(me)
        for _ in range(STARTS):
            self.sleep(rng.uniform(*READY))
            with self._report:
                if self.flag.is_set():
                    self.passed += 1
                    self.emit(PassedThrough)
                    blocked = False
                else:
                    self.blocked.append(me)
                    self.emit(Waiting, on=FLAG, why="not set yet")
                    blocked = True
            if blocked:
                asked = self.now()  # run time: a pause is no wait
                self.flag.wait()
                self.check_stop()
                with self._report:
                    self.blocked.remove(me)
                    self.released += 1
                    self.emit(Woken, on=FLAG, waited=self.now() - asked)
            self.sleep(rng.uniform(*RUN))
