"""Seed ques.5, ``threading.Lock``: one owner at a time, the others wait.

Three tellers add deposits to one balance: read it, work a moment, write it
back. The read-work-write happens under the lock, so no deposit is lost; the
lock has one owner, and whoever asks meanwhile really blocks in ``acquire()``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import ClassVar

from concviz.engine.card import Card
from concviz.engine.demo import Demo
from concviz.engine.events import Event
from concviz.engine.primitives.traced import join_all
from concviz.engine.traced_lock import Traced

TELLERS = 3
DEPOSITS = 3  # per teller
THINK = (0.1, 0.4)  # nominal seconds between deposits
WORK = (0.15, 0.3)  # nominal seconds between the read and the write, lock held


@dataclass(frozen=True, slots=True)
class Deposited(Event):
    """Under the lock: the balance was read as ``before`` and written as ``after``."""

    before: int = 0
    after: int = 0


@dataclass(frozen=True, slots=True)
class LockDemoFinished(Event):
    expected: int = 0
    balance: int = 0
    waits: int = 0  # acquisitions that really blocked
    longest_wait: float = 0.0


class LockDemo(Demo):
    name = "lock"
    summary = "threading.Lock: one owner at a time guards a read-modify-write (ques.5)."
    card: ClassVar[Card] = Card(
        title="threading.Lock",
        purpose="Mutual exclusion: one thread at a time runs the code between acquire and "
        "release.",
        use_when="Protecting shared mutable data (lists, dicts, counters) that several threads "
        "read and then write.",
        trade_off="Threads that want the lock wait in line: hold it for the few lines that "
        "touch the data, never across a sleep or I/O you can avoid.",
        say_in_class="A Lock has no idea who owns it: any thread may release it. Use "
        "`with lock:` so the owner always does, even when an exception flies.",
    )

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.balance = 0

    def run(self) -> None:
        lock = Traced(self, threading.Lock(), "lock")
        tellers = [
            self.spawn(f"teller-{i + 1}", lambda: self._teller(lock), "deposits")
            for i in range(TELLERS)
        ]
        join_all(self, tellers)
        self.emit(
            LockDemoFinished,
            expected=TELLERS * DEPOSITS,
            balance=self.balance,
            waits=lock.waits,
            longest_wait=lock.longest_wait,
        )

    def _teller(self, lock: Traced) -> None:
        rng = self.rng(threading.current_thread().name)
        for _ in range(DEPOSITS):
            self.sleep(rng.uniform(*THINK))
            with lock:
                before = self.balance
                self.sleep(rng.uniform(*WORK))  # another teller reading now would lose ours
                self.balance = before + 1
                self.emit(Deposited, before=before, after=self.balance)
