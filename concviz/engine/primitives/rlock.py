"""Seed ques.5, ``threading.RLock``: the owner may take it again; a count tracks how deep.

``transfer()`` takes the account's RLock and calls ``withdraw()`` and
``deposit()``, which take it too: the count goes 1, 2, 1, 2, 1, 0 and only at
0 is the lock free. Meanwhile a clerk thread calls ``release()`` on it and
gets RuntimeError (it is not the owner), then waits its turn. Last, the same
nesting with a plain Lock: the inner ``acquire`` waits for the thread itself.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import ClassVar

from concviz.engine.card import Card
from concviz.engine.demo import Demo
from concviz.engine.events import Event
from concviz.engine.primitives.traced import join_all
from concviz.engine.traced_lock import POLL, LockAcquired, LockBlocked, LockReleased, LockRequested

LABEL = "rlock"
STEP = (0.25, 0.4)  # nominal seconds of work inside each method
CLERK_DELAY = 0.6  # nominal seconds before the clerk tries its release()
SELF_WAIT = 0.6  # nominal seconds the plain Lock's inner acquire waits before giving up


@dataclass(frozen=True, slots=True)
class RLockCount(Event):
    """The RLock's own recursion count, read right after ``method`` took or gave it back."""

    count: int = 0
    method: str = ""
    entered: bool = True


@dataclass(frozen=True, slots=True)
class ReleaseRefused(Event):
    """This thread called ``release()`` on a lock another thread owns."""

    owner: str = ""
    error: str = ""


@dataclass(frozen=True, slots=True)
class SelfBlocked(Event):
    """A plain Lock taken again by its own owner: ``acquire(timeout)`` gave up."""

    waited: float = 0.0


@dataclass(frozen=True, slots=True)
class RLockDemoFinished(Event):
    deepest: int = 0
    free: bool = True  # another thread could take it at the end: the count is back to 0
    refused: int = 0
    self_blocked: bool = False


class TracedRLock:
    """A real ``threading.RLock`` whose count events read the lock's own count."""

    def __init__(self, demo: Demo) -> None:
        self._demo = demo
        self.rlock = threading.RLock()
        self.owner: str | None = None
        self.deepest = 0

    def count(self) -> int:
        """The count as the RLock itself keeps it (0 unless the caller owns it):
        CPython's RLock reads it out with ``_recursion_count()`` (3.11+)."""
        return self.rlock._recursion_count()

    def acquire(self, method: str) -> None:
        demo, me = self._demo, threading.current_thread().name
        outer = self.owner != me
        if outer:
            demo.emit(LockRequested, lock=LABEL)
        asked = demo.now()  # run time: a pause is no wait
        if not self.rlock.acquire(blocking=False):  # never fails for the owner
            demo.emit(LockBlocked, lock=LABEL, owner=self.owner or "")
            while not self.rlock.acquire(timeout=POLL):
                demo.check_stop()
        self.owner = me
        count = self.count()
        self.deepest = max(self.deepest, count)
        try:
            if outer:
                demo.emit(LockAcquired, lock=LABEL, waited=demo.now() - asked)
            demo.emit(RLockCount, count=count, method=method, entered=True)
        except BaseException:
            self.release(method, quiet=True)
            raise

    def release(self, method: str, quiet: bool = False) -> None:
        count = self.count() - 1
        try:
            if not quiet:
                self._demo.emit(RLockCount, count=count, method=method, entered=False)
                if count == 0:
                    self._demo.emit(LockReleased, lock=LABEL)
        finally:
            if count == 0:
                self.owner = None
            self.rlock.release()

    @contextmanager
    def hold(self, method: str) -> Iterator[None]:
        """``with lock.hold("withdraw()"):`` is ``with rlock:`` inside ``withdraw()``."""
        self.acquire(method)
        try:
            yield
        finally:
            self.release(method)

    def is_free(self) -> bool:
        """Free for another thread? (Tried without blocking, and given back.)"""
        if self.rlock.acquire(blocking=False):
            self.rlock.release()
            return True
        return False


class RLockDemo(Demo):
    name = "rlock"
    summary = "threading.RLock: the owner re-enters, a count goes up and down (ques.5)."
    card: ClassVar[Card] = Card(
        title="threading.RLock",
        purpose="A lock its owner may take again: methods that take it can call each other.",
        use_when="Protecting shared data when one locked method calls another locked method "
        "of the same object.",
        trade_off="Easy to nest without noticing how long the lock is held; a bit slower than "
        "Lock, and every acquire needs its own release.",
        say_in_class="An RLock knows its owner: release() from another thread raises "
        "RuntimeError. A plain Lock taken twice by one thread just waits for itself, forever.",
    )

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.refused = 0
        self.self_blocked = False

    def run(self) -> None:
        lock = TracedRLock(self)
        account = self.spawn("account", lambda: self._account(lock), "transfer()")
        clerk = self.spawn("clerk", lambda: self._clerk(lock), "another thread")
        join_all(self, [account, clerk])
        self.emit(
            RLockDemoFinished,
            deepest=lock.deepest,
            free=lock.is_free(),
            refused=self.refused,
            self_blocked=self.self_blocked,
        )

    def _account(self, lock: TracedRLock) -> None:
        rng = self.rng("account")
        with lock.hold("transfer()"):
            self.sleep(rng.uniform(*STEP))
            with lock.hold("withdraw()"):  # the same thread takes it again: count 2
                self.sleep(rng.uniform(*STEP))
            with lock.hold("deposit()"):
                self.sleep(rng.uniform(*STEP))
        self.self_blocked = self._plain_lock_twice()

    def _plain_lock_twice(self) -> bool:
        """The same nesting with a Lock: the inner acquire can only time out."""
        plain = threading.Lock()
        self.sleep(0.2)
        self.emit(LockRequested, lock="plain Lock")
        plain.acquire()
        self.emit(LockAcquired, lock="plain Lock")
        try:
            self.emit(LockRequested, lock="plain Lock")
            asked, run_asked = time.monotonic(), self.now()  # the timeout is wall time
            got = plain.acquire(blocking=False)
            if not got:  # its owner is this very thread
                self.emit(LockBlocked, lock="plain Lock", owner="account")
                deadline = asked + SELF_WAIT / self.speed
                while not got and (left := deadline - time.monotonic()) > 0:
                    got = plain.acquire(timeout=min(POLL, left))
                    self.check_stop()
            if got:  # pragma: no cover - a Lock never lets its owner in twice
                plain.release()
            self.emit(SelfBlocked, waited=self.now() - run_asked)
            return not got
        finally:
            self.emit(LockReleased, lock="plain Lock")
            plain.release()

    def _clerk(self, lock: TracedRLock) -> None:
        self.sleep(CLERK_DELAY)
        try:
            lock.rlock.release()  # not the owner: RLock refuses
        except RuntimeError as exc:
            self.refused += 1
            self.emit(ReleaseRefused, owner=lock.owner or "", error=f"RuntimeError: {exc}")
        with lock.hold("audit()"):
            self.sleep(self.rng("clerk").uniform(*STEP))
