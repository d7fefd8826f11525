"""Seed ques.5, ``queue.Queue``: a bounded, thread-safe line of items.

A producer puts nine jobs on a ``Queue(maxsize=3)``: fast at first, so the
queue fills and ``put()`` blocks; slowly at the end, so it empties and the
consumers' ``get()`` blocks. Each consumer calls ``task_done()`` per item; the
manager's ``join()`` returns when every item put has been done, then it puts
one ``None`` per consumer to stop them.
"""

from __future__ import annotations

import itertools
import queue
import threading
from dataclasses import dataclass
from typing import ClassVar

from concviz.engine.card import Card
from concviz.engine.demo import Demo
from concviz.engine.events import Event
from concviz.engine.primitives.events import Waiting, Woken
from concviz.engine.primitives.traced import join_all
from concviz.engine.traced_lock import POLL

MAXSIZE = 3
CONSUMERS = 2
# nominal seconds before each put: faster than the consumers (who hold two, the
# queue three), then slower
PUT_GAPS = (0.05,) * (CONSUMERS + MAXSIZE + 1) + (0.8,) * 3
JOBS = len(PUT_GAPS)
WORK = (0.35, 0.6)  # nominal seconds a consumer spends on a job
STOP = 0  # how the sentinel None is shown (jobs are 1..JOBS)
QUEUE = "queue"


@dataclass(frozen=True, slots=True)
class Queued(Event):
    """``put(item)`` returned; ``contents`` is the queue read under its own mutex
    right after, ``seq`` orders those reads (events may arrive out of order)."""

    item: int = 0
    contents: tuple[int, ...] = ()
    seq: int = 0


@dataclass(frozen=True, slots=True)
class Got(Event):
    item: int = 0
    contents: tuple[int, ...] = ()
    seq: int = 0


@dataclass(frozen=True, slots=True)
class TaskDone(Event):
    item: int = 0
    unfinished: int = 0  # items put and not yet marked done, right after


@dataclass(frozen=True, slots=True)
class AllDone(Event):
    """``join()`` returned: every item put has been ``task_done()``."""

    waited: float = 0.0


@dataclass(frozen=True, slots=True)
class QueueDemoFinished(Event):
    jobs: int = 0
    done: int = 0
    longest: int = 0  # the most items the queue held
    put_blocks: int = 0
    get_blocks: int = 0


class QueueDemo(Demo):
    name = "queue"
    summary = "queue.Queue(maxsize=3): put() blocks when full, get() when empty (ques.5)."
    card: ClassVar[Card] = Card(
        title="queue.Queue",
        purpose="Pass items between threads safely: put() at one end, get() at the other, "
        "first in, first out.",
        use_when="Passing data between threads: producers and consumers, a pool of workers "
        "fed with jobs.",
        trade_off="A bounded queue makes a fast producer wait (back-pressure); an unbounded "
        "one never blocks it and can grow until memory runs out.",
        say_in_class="The queue does the locking for you: no Lock, no Condition in sight. "
        "task_done() and join() tell you when the work is finished, not just taken.",
    )

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.queue: queue.Queue[int | None] = queue.Queue(maxsize=MAXSIZE)
        self._seq = itertools.count(1)
        self._book = threading.Lock()  # the tallies below, updated by several threads
        self.tally = {"done": 0, "longest": 0, "put_blocks": 0, "get_blocks": 0}

    def run(self) -> None:
        manager = self.spawn("manager", self._manager, "join(), then stop the consumers")
        join_all(self, [manager])
        self.emit(QueueDemoFinished, jobs=JOBS, **self.tally)

    def _count(self, key: str) -> None:
        with self._book:
            self.tally[key] += 1

    def _read(self) -> tuple[tuple[int, ...], int]:
        """The queue's contents and an order number, read under its mutex."""
        with self.queue.mutex:
            contents = tuple(STOP if item is None else item for item in self.queue.queue)
            seq = next(self._seq)
        with self._book:
            self.tally["longest"] = max(self.tally["longest"], len(contents))
        return contents, seq

    def _put(self, item: int | None) -> None:
        try:
            self.queue.put_nowait(item)
        except queue.Full:
            self._count("put_blocks")
            self.emit(Waiting, on=QUEUE, why=f"full ({MAXSIZE} items)")
            asked = self.now()  # run time: a pause is no wait
            while True:
                try:
                    self.queue.put(item, timeout=POLL)
                    break
                except queue.Full:
                    self.check_stop()
            self.emit(Woken, on=QUEUE, waited=self.now() - asked)
        contents, seq = self._read()
        self.emit(Queued, item=STOP if item is None else item, contents=contents, seq=seq)

    def _get(self) -> int | None:
        try:
            item = self.queue.get_nowait()
        except queue.Empty:
            self._count("get_blocks")
            self.emit(Waiting, on=QUEUE, why="empty")
            asked = self.now()  # run time: a pause is no wait
            while True:
                try:
                    item = self.queue.get(timeout=POLL)
                    break
                except queue.Empty:
                    self.check_stop()
            self.emit(Woken, on=QUEUE, waited=self.now() - asked)
        contents, seq = self._read()
        self.emit(Got, item=STOP if item is None else item, contents=contents, seq=seq)
        return item

    def _manager(self) -> None:
        consumers = [self.spawn(f"consumer-{i + 1}", self._consumer, "get()")
                     for i in range(CONSUMERS)]
        producer = self.spawn("producer", self._producer, "put()")
        join_all(self, [producer])
        self._join()
        for _ in consumers:
            self._put(None)
        join_all(self, consumers)

    def _join(self) -> None:
        """``queue.join()``, which takes no timeout: its own loop with one, for stop()."""
        done = self.queue.all_tasks_done  # the Condition join() waits on
        with done:
            unfinished = self.queue.unfinished_tasks
        asked = self.now()  # run time: a pause is no wait
        if unfinished:
            self.emit(Waiting, on="queue.join()", why=f"{unfinished} not done yet")
            with done:
                while self.queue.unfinished_tasks:
                    done.wait(POLL)
                    self.check_stop()
        self.emit(AllDone, waited=self.now() - asked)

    def _producer(self) -> None:
        for job, gap in enumerate(PUT_GAPS, 1):
            self.sleep(gap)
            self._put(job)

    def _consumer(self) -> None:
        rng = self.rng(threading.current_thread().name)
        while (job := self._get()) is not None:
            self.sleep(rng.uniform(*WORK))
            self._finish(job)
        self._finish(STOP)

    def _finish(self, job: int) -> None:
        self.queue.task_done()
        with self.queue.mutex:
            unfinished = self.queue.unfinished_tasks
        if job != STOP:
            self._count("done")
        self.emit(TaskDone, item=job, unfinished=unfinished)
