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
    failed, so "waits for the lock" on screen is always true; it then waits for a
    release and tries again (``Demo.publish_when``), so ``stop()`` gets it back.
    Every real acquire and release happens as its event is published: the stream,
    and so every view, never lags the lock. ``owned`` is False for a
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
        """Acquire, returning how long this thread waited (run time)."""
        demo, me = self._demo, threading.current_thread().name
        demo.emit(LockRequested, lock=self.label)
        asked = demo.now()
        first = demo.emit_outcome(lambda: self._try(me, asked) or self._blocked())
        if isinstance(first, LockAcquired):
            return first.waited
        taken = demo.publish_when(lambda: self._try(me, asked))
        with self._book:
            self.waits += 1
            self.longest_wait = max(self.longest_wait, taken.waited)
        return taken.waited

    def release(self) -> None:
        """The real release happens as LockReleased enters the stream, so the stream
        never shows the next holder ahead of this release, nor this one after it."""
        me = threading.current_thread().name
        held = self._demo.now() - self._since.get(me, self._demo.now())
        try:
            self._demo.emit(LockReleased, lock=self.label, held=held,
                            late=lambda: self._let_go(me))
        finally:
            if me in self._since:  # stopped at the gate: the real lock still goes back
                self._let_go(me, wake=False)  # stop() wakes the waiters

    def _try(self, me: str, asked: float) -> tuple[type[Event], dict] | None:
        """One non-blocking acquire, with the demo's publishing lock held: taken and
        announced as one step, so no thread ever holds this lock unannounced."""
        if not self.primitive.acquire(blocking=False):
            return None
        self._since[me] = self._demo.now()
        if self._owned:
            self.owner = me
        return LockAcquired, {"lock": self.label, "waited": self._since[me] - asked}

    def _blocked(self) -> tuple[type[Event], dict]:
        """It was taken: who holds it, as the stream has said (a Semaphore has none)."""
        owner = (self.owner or "") if self._owned else ""
        return LockBlocked, {"lock": self.label, "owner": owner}

    def _let_go(self, me: str, wake: bool = True) -> dict:
        """The real release (in LockReleased's ``late``): waiters try again at once."""
        self._since.pop(me, None)
        if self._owned:
            self.owner = None
        self.primitive.release()
        if wake:
            self._demo.changed()
        return {}

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
