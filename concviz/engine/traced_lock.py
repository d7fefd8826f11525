"""A real ``threading.Lock`` that reports who asks for it, who waits and who holds it."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING

from concviz.engine.events import Event

if TYPE_CHECKING:
    from concviz.engine.demo import Demo


@dataclass(frozen=True, slots=True)
class LockRequested(Event):
    lock: str = "lock"


@dataclass(frozen=True, slots=True)
class LockBlocked(Event):
    """The lock was taken when this thread asked: it now blocks in ``acquire()``."""

    lock: str = "lock"
    owner: str = ""


@dataclass(frozen=True, slots=True)
class LockAcquired(Event):
    lock: str = "lock"
    waited: float = 0.0


@dataclass(frozen=True, slots=True)
class LockReleased(Event):
    lock: str = "lock"
    held: float = 0.0


class TracedLock:
    """Used exactly like a Lock (``with lock:``); each step is an event.

    A thread is reported as blocked only when a non-blocking ``acquire`` really
    failed, so "waits for the lock" on screen is always true.
    """

    def __init__(self, demo: Demo, name: str = "lock") -> None:
        self._demo = demo
        self._lock = threading.Lock()
        self.name = name
        self.owner: str | None = None
        self._acquired_at = 0.0
        self.waits = 0  # acquisitions that really blocked
        self.longest_wait = 0.0

    def acquire(self) -> float:
        """Acquire, returning how long this thread waited."""
        self._demo.emit(LockRequested, lock=self.name)
        asked = time.monotonic()
        blocked = not self._lock.acquire(blocking=False)
        if blocked:
            self._demo.emit(LockBlocked, lock=self.name, owner=self.owner or "")
            self._lock.acquire()
        waited = time.monotonic() - asked
        # Updated while holding the lock, so these counters need no lock of their own.
        self.owner = threading.current_thread().name
        if blocked:
            self.waits += 1
            self.longest_wait = max(self.longest_wait, waited)
        self._acquired_at = time.monotonic()
        try:
            self._demo.emit(LockAcquired, lock=self.name, waited=waited)
        except BaseException:
            self._release()
            raise
        return waited

    def release(self) -> None:
        # Published just before the real release, so the stream never shows the next
        # owner's acquire ahead of this release. Gated like every step: while the demo
        # is paused the owner really keeps the lock.
        try:
            self._demo.emit(LockReleased, lock=self.name,
                            held=time.monotonic() - self._acquired_at)
        finally:
            self._release()

    def _release(self) -> None:
        self.owner = None
        self._lock.release()

    def locked(self) -> bool:
        return self._lock.locked()

    def __enter__(self) -> TracedLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
