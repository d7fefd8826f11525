"""A real Lock (or Semaphore, or a Condition's lock) that reports who asks for it, who
waits and who holds it."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Protocol

from concviz.engine.events import Event

if TYPE_CHECKING:
    from concviz.engine.demo import Demo

POLL = 0.05  # wall seconds: how often a blocked thread looks at stop()


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


class Acquirable(Protocol):
    def acquire(self, blocking: bool = ..., timeout: float = ...) -> bool: ...

    def release(self) -> None: ...


class Traced:
    """A real Lock, Semaphore or Condition used with ``with``; each step is an event.

    A thread is reported as blocked only when a non-blocking ``acquire`` really
    failed, so "waits for the lock" on screen is always true; it then blocks in
    short timed tries, so ``stop()`` gets it back. ``owned`` is False for a
    Semaphore: it has holders, not an owner.
    """

    def __init__(self, demo: Demo, primitive: Acquirable, label: str, owned: bool = True):
        self._demo = demo
        self.primitive = primitive
        self.label = label
        self._owned = owned
        self.owner: str | None = None
        self.waits = 0  # acquisitions that really blocked
        self.longest_wait = 0.0
        self._since: dict[str, float] = {}
        self._book = threading.Lock()  # a Semaphore's holders update the tallies together

    def acquire(self) -> float:
        """Acquire, returning how long this thread waited."""
        demo, me = self._demo, threading.current_thread().name
        demo.emit(LockRequested, lock=self.label)
        asked = demo.now()
        if not self.primitive.acquire(blocking=False):
            demo.emit(LockBlocked, lock=self.label, late=self._holder)
            while not self.primitive.acquire(timeout=POLL):
                demo.check_stop()
            with self._book:
                self.waits += 1
                self.longest_wait = max(self.longest_wait, demo.now() - asked)
        waited = demo.now() - asked
        self._since[me] = demo.now()
        try:  # the owner changes as the stream says so, not before
            demo.emit(LockAcquired, lock=self.label, waited=waited, late=lambda: self._own(me))
        except BaseException:
            self._release(me)
            raise
        return waited

    def release(self) -> None:
        """Published just before the real release, so the stream never shows the
        next holder ahead of this release."""
        me = threading.current_thread().name
        try:
            held = self._demo.now() - self._since.get(me, self._demo.now())
            self._demo.emit(LockReleased, lock=self.label, held=held, late=self._disown)
        finally:
            self._release(me)

    def _holder(self) -> dict[str, str]:
        """Who holds the lock as far as the stream has said (a Semaphore has no owner)."""
        return {"owner": (self.owner or "") if self._owned else ""}

    def _own(self, me: str) -> dict:
        if self._owned:
            self.owner = me
        return {}

    def _disown(self) -> dict:
        self.owner = None
        return {}

    def _release(self, me: str) -> None:
        self._since.pop(me, None)
        if self._owned:
            self.owner = None
        self.primitive.release()

    def __enter__(self) -> Traced:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
