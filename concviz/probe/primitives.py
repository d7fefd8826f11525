"""Locks and the other ``threading`` primitives, probed.

Each wrapper does what the real one does, through the real one, and reports it. An
object made by the standard library itself (a Queue's Conditions, an executor's locks)
is the real, unprobed object, only counted: the views show the program's own.
Events are sent so that the stream's order is the real order: a release is reported
before the lock is let go, an acquire after it is taken.
"""

from __future__ import annotations

import _thread
import threading
from collections.abc import Callable
from typing import Any

from concviz.probe.core import Probe, _monotonic

_allocate_lock = _thread.allocate_lock
_RLock = _thread.RLock
PROBE: Probe  # set by install()
QUIET_WAIT = 0.001  # seconds: while counting quietly, a wait for a Lock told only past this


def _waited(since: float) -> float:
    return round(_monotonic() - since, 6)


def timed(timeout: float | None) -> dict[str, float]:
    """A wait's ``timeout`` field: only a wait that gives up by itself has one (-1 and
    None both mean forever)."""
    return {} if timeout is None or timeout < 0 else {"timeout": timeout}


def probed_acquire(obj: int, frame: Any, take: Callable[..., bool], blocking: bool,
                   timeout: Any, took: Callable[[Any, float], None]) -> bool:
    """The acquire RLock and the semaphores share: a probed point; then the real
    ``take`` at once, or told as a wait (a refusal, a timeout) before it blocks."""
    if not blocking and timeout not in (None, -1):
        return take(blocking, timeout)  # raises ValueError, as the real one does
    PROBE.gate(frame)
    if take(False):
        took(frame, 0.0)
        return True
    if not blocking:
        PROBE.at("busy", frame, obj)
        return False
    PROBE.at("block", frame, obj, **timed(timeout))
    since = _monotonic()
    if not take(True, timeout):
        PROBE.at("timeout", frame, obj, waited=_waited(since))
        return False
    took(frame, _waited(since))
    return True


class ProbedLock:
    """``threading.Lock()`` made by the program: a real lock, with an owner reported.

    While the program makes events faster than a screen can show (``PROBE.quiet``), an
    acquire that gets the lock at once is not told but claimed (``_claim`` holds the
    holder's thread ident), and the release that follows only counts the pair. If
    anything else happens meanwhile (the holder does something else, another thread
    waits for the lock, concviz pauses) the acquire is told after all, and then the
    release too. Claims change hands by single list operations, which the GIL makes
    atomic: no lock of the probe's is taken on this path, so threads never queue on
    one. Counts stay exact.
    """

    __slots__ = ("_lock", "_obj", "_claim", "_waiting", "__weakref__")

    def __init__(self, obj: int | None = None) -> None:
        self._lock = _allocate_lock()
        self._claim: list[int] = []  # the thread holding it untold, if one does
        self._waiting: list[None] = []  # one entry a thread told as waiting for it
        self._obj = PROBE.new("Lock", self) if obj is None else obj

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if not blocking and timeout != -1:
            return self._lock.acquire(blocking, timeout)  # raises as the real one does
        if PROBE.quiet and not PROBE.paused:
            if not self._waiting and self._lock.acquire(False):
                self._claim_quietly()
                return True
            # a wait too short to see on any screen is counted with the rest; a longer
            # one is told (the thread waits either way: only the telling differs)
            since = _monotonic()
            if blocking and timeout < 0 and self._lock.acquire(True, QUIET_WAIT):
                if not self._waiting:
                    self._claim_quietly()
                    return True
                # somebody is shown waiting for it: who took it instead is told
                PROBE.at("acquired", PROBE.user_frame(2), self._obj, waited=_waited(since))
                return True
        frame = PROBE.user_frame(2)
        PROBE.gate(frame)
        if self._lock.acquire(False):
            PROBE.at("acquired", frame, self._obj, waited=0.0)
            return True
        if not blocking:
            PROBE.at("busy", frame, self._obj)
            return False
        self._waiting.append(None)  # first: a holder claiming now sees it and tells
        self._tell_holder()  # then: the wait names a told holder
        PROBE.at("block", frame, self._obj, **timed(timeout))
        since = _monotonic()
        try:
            taken = self._lock.acquire(True, timeout)
        finally:
            self._waiting.pop()
        PROBE.at("acquired" if taken else "timeout", frame, self._obj, waited=_waited(since))
        return taken

    def release(self) -> None:
        if self._claim and not PROBE.paused:
            me = _thread.get_ident()
            try:
                self._claim.remove(me)  # nothing happened since the untold acquire
            except ValueError:  # somebody told it: the release is told too, after it
                with PROBE.claim_lock:
                    pass
            else:
                PROBE.forget_held(me, self)
                PROBE.count_pair(me, self._obj)
                self._lock.release()
                return
        self._tell_holder()
        frame = PROBE.user_frame(2)
        PROBE.gate(frame)
        if not self._lock.locked():
            PROBE.at("error", frame, self._obj, error="RuntimeError: release unlocked lock")
        else:
            PROBE.at("release", frame, self._obj)
        self._lock.release()

    def _claim_quietly(self) -> None:
        me = _thread.get_ident()
        self._claim.append(me)
        PROBE.silent_held.setdefault(me, []).append(self)
        if self._waiting:  # a thread began to wait meanwhile: it must see a holder
            self._tell_holder()

    def _tell_holder(self) -> None:
        """Tell the untold acquire of this lock, if there is one, as its holder's (the
        claim is taken by one atomic pop: the holder's release then finds none)."""
        with PROBE.claim_lock:
            try:
                holder = self._claim.pop()
            except IndexError:
                return
            PROBE.forget_held(holder, self)
            PROBE.tell_held(holder, [self])

    __enter__ = acquire

    def __exit__(self, *exc: object) -> None:
        self.release()

    def locked(self) -> bool:
        return self._lock.locked()

    # What Condition uses when its lock has them: wait() lets the lock go and takes it
    # back without a probed point of its own (the wait is the point).
    def _is_owned(self) -> bool:
        return self._lock.locked()

    def _release_save(self) -> None:
        self._tell_holder()
        PROBE.at("release", PROBE.user_frame(2), self._obj)
        self._lock.release()

    def _acquire_restore(self, state: None) -> None:
        frame = PROBE.user_frame(2)
        if self._lock.acquire(False):
            PROBE.at("acquired", frame, self._obj, waited=0.0)
            return
        PROBE.at("block", frame, self._obj)
        since = _monotonic()
        self._lock.acquire()
        PROBE.at("acquired", frame, self._obj, waited=_waited(since))

    def _at_fork_reinit(self) -> None:
        self._lock = _allocate_lock()
        self._claim, self._waiting = [], []

    def __repr__(self) -> str:
        state = "locked" if self._lock.locked() else "unlocked"
        return f"<{state} {type(self).__module__}.Lock object at {id(self):#x}>"


class ProbedRLock:
    """``threading.RLock()`` made by the program: owner and recursion count reported."""

    __slots__ = ("_lock", "_obj", "_owner", "_count", "__weakref__")

    def __init__(self) -> None:
        self._lock = _RLock()
        self._owner: int | None = None
        self._count = 0
        self._obj = PROBE.new("RLock", self)

    def _took(self, frame: Any, waited: float) -> None:
        me = _thread.get_ident()
        if self._owner == me:
            self._count += 1
        else:
            self._owner, self._count = me, 1
        PROBE.at("acquired", frame, self._obj, waited=waited, count=self._count)

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        return probed_acquire(self._obj, PROBE.user_frame(2), self._lock.acquire, blocking,
                              timeout, self._took)

    def release(self) -> None:
        frame = PROBE.user_frame(2)
        PROBE.gate(frame)
        if self._owner != _thread.get_ident():
            PROBE.at("error", frame, self._obj,
                     error="RuntimeError: cannot release un-acquired lock")
        else:
            self._count -= 1
            PROBE.at("release", frame, self._obj, count=self._count)
            if self._count == 0:
                self._owner = None
        self._lock.release()

    __enter__ = acquire

    def __exit__(self, *exc: object) -> None:
        self.release()

    def _is_owned(self) -> bool:
        return self._owner == _thread.get_ident()

    def _release_save(self) -> int:
        """Condition.wait(): let go of every level at once, as the real RLock does."""
        count = self._count
        PROBE.at("release", PROBE.user_frame(2), self._obj, count=0)
        self._owner, self._count = None, 0
        for _ in range(count):
            self._lock.release()
        return count

    def _acquire_restore(self, count: int) -> None:
        frame = PROBE.user_frame(2)
        since = _monotonic()
        if not self._lock.acquire(False):
            PROBE.at("block", frame, self._obj)
            self._lock.acquire()
        for _ in range(count - 1):
            self._lock.acquire()
        self._owner, self._count = _thread.get_ident(), count
        PROBE.at("acquired", frame, self._obj, waited=_waited(since), count=count)

    def _at_fork_reinit(self) -> None:
        self._lock = _RLock()
        self._owner, self._count = None, 0

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.RLock count={self._count} at {id(self):#x}>"


def lock_factory(real: Any) -> Any:
    def Lock() -> Any:  # noqa: N802 -- it stands for threading.Lock
        if PROBE.enabled and PROBE.called_from_program(2):
            return ProbedLock()
        PROBE.count_internal("Lock")
        return real()

    return Lock


def rlock_factory(real: Any) -> Any:
    def RLock(*args: Any, **kwargs: Any) -> Any:  # noqa: N802 -- threading.RLock
        if PROBE.enabled and PROBE.called_from_program(2):
            return ProbedRLock()
        PROBE.count_internal("RLock")
        return real(*args, **kwargs)

    return RLock


class _Semaphores:
    """Acquire and release of Semaphore and BoundedSemaphore, with the slots left."""

    _cz: int | None = None
    _value: int

    def acquire(self, blocking: bool = True, timeout: float | None = None) -> bool:
        if self._cz is None:
            return super().acquire(blocking, timeout)  # type: ignore[misc]
        def took(frame: Any, waited: float) -> None:
            PROBE.at("acquired", frame, self._cz, waited=waited, value=self._value)

        return probed_acquire(self._cz, PROBE.user_frame(2), super().acquire,  # type: ignore[misc]
                              blocking, timeout, took)

    def __enter__(self) -> bool:  # the base's __enter__ is its own acquire
        return self.acquire()

    def release(self, n: int = 1) -> None:
        if self._cz is None:
            return super().release(n)  # type: ignore[misc]
        frame = PROBE.user_frame(2)
        PROBE.gate(frame)
        limit = getattr(self, "_initial_value", None)
        if limit is not None and self._value + n > limit:
            PROBE.at("error", frame, self._cz,
                     error="ValueError: Semaphore released too many times")
        else:
            PROBE.at("release", frame, self._cz, value=self._value + n)
        super().release(n)  # type: ignore[misc]


def semaphore_classes() -> tuple[type, type]:
    real = threading.Semaphore

    class Semaphore(_Semaphores, real):
        def __init__(self, value: int = 1) -> None:
            real.__init__(self, value)
            if not isinstance(self, Semaphore):
                # threading.BoundedSemaphore.__init__ calls ``Semaphore.__init__`` by
                # the module's name, which is now this class: the bounded one is
                # announced as itself
                return
            if PROBE.enabled and PROBE.called_from_program(2):
                self._cz = PROBE.new("Semaphore", self, value=value)
            else:
                PROBE.count_internal("Semaphore")

    class BoundedSemaphore(_Semaphores, threading.BoundedSemaphore):
        def __init__(self, value: int = 1) -> None:
            super().__init__(value)
            if PROBE.enabled and PROBE.called_from_program(2):
                self._cz = PROBE.new("BoundedSemaphore", self, value=value)
            else:
                PROBE.count_internal("BoundedSemaphore")

    return Semaphore, BoundedSemaphore


def condition_class() -> type:
    class Condition(threading.Condition):
        """Wait, notify and notify_all, with who was woken. CPython's Condition wakes
        its waiters in the order they began to wait; the probe keeps that order."""

        def __init__(self, lock: Any = None) -> None:
            self._cz: int | None = None
            self._cz_waiters: list[int] = []
            self._cz_woken_by: dict[int, int] = {}
            if not (PROBE.enabled and PROBE.called_from_program(2)):
                PROBE.count_internal("Condition")
                super().__init__(lock)
                return
            if lock is None:  # the RLock a Condition makes for itself is the program's
                lock = ProbedRLock()
            super().__init__(lock)
            self._cz = PROBE.new("Condition", self, lock=getattr(lock, "_obj", None))

        def wait(self, timeout: float | None = None) -> bool:
            if self._cz is None:
                return super().wait(timeout)
            frame = PROBE.user_frame(2)
            PROBE.gate(frame)
            me = PROBE.tid_of(threading.current_thread())
            PROBE.at("cond-wait", frame, self._cz, timeout=timeout)
            self._cz_waiters.append(me)  # under the lock: wait() needs it held
            since = _monotonic()
            try:
                result = super().wait(timeout)
            finally:
                if me in self._cz_waiters:  # timed out: nobody woke it
                    self._cz_waiters.remove(me)
            PROBE.at("cond-woken", frame, self._cz, result=result, waited=_waited(since),
                     by=self._cz_woken_by.pop(me, None))
            return result

        def notify(self, n: int = 1) -> None:
            if self._cz is None or not self._is_owned():  # not held: raises, as Python's
                return super().notify(n)
            self._cz_notify("notify", n)
            super().notify(n)

        def notify_all(self) -> None:
            if self._cz is None or not self._is_owned():
                return super().notify_all()
            self._cz_notify("notify-all", None)
            super().notify_all()


        def _cz_notify(self, kind: str, n: int | None) -> None:
            frame = PROBE.user_frame(3)
            PROBE.gate(frame)
            count = len(self._cz_waiters) if n is None else n
            woke, self._cz_waiters[:count] = self._cz_waiters[:count], []
            me = PROBE.tid_of(threading.current_thread())
            for tid in woke:
                self._cz_woken_by[tid] = me
            fields: dict[str, Any] = {"woke": woke}
            if n is not None:
                fields["n"] = n
            PROBE.at(kind, frame, self._cz, **fields)

    return Condition


def event_class() -> type:
    class Event(threading.Event):
        def __init__(self) -> None:
            super().__init__()
            self._cz_waiters: list[int] = []
            if PROBE.enabled and PROBE.called_from_program(2):
                self._cz: int | None = PROBE.new("Event", self)
            else:
                self._cz = None
                PROBE.count_internal("Event")

        def set(self) -> None:
            if self._cz is not None:
                frame = PROBE.user_frame(2)
                PROBE.gate(frame)
                PROBE.at("event-set", frame, self._cz, woke=list(self._cz_waiters))
            super().set()

        def clear(self) -> None:
            if self._cz is not None:
                frame = PROBE.user_frame(2)
                PROBE.gate(frame)
                PROBE.at("event-clear", frame, self._cz)
            super().clear()

        def wait(self, timeout: float | None = None) -> bool:
            if self._cz is None:
                return super().wait(timeout)
            frame = PROBE.user_frame(2)
            PROBE.gate(frame)
            me = PROBE.tid_of(threading.current_thread())
            PROBE.at("event-wait", frame, self._cz, timeout=timeout, is_set=self.is_set())
            self._cz_waiters.append(me)
            since = _monotonic()
            try:
                result = super().wait(timeout)
            finally:
                self._cz_waiters.remove(me)
            PROBE.at("event-waited", frame, self._cz, result=result, waited=_waited(since))
            return result

    return Event


def barrier_class() -> type:
    class Barrier(threading.Barrier):
        def __init__(self, parties: int, action: Any = None,
                     timeout: float | None = None) -> None:
            super().__init__(parties, action, timeout)
            if PROBE.enabled and PROBE.called_from_program(2):
                self._cz: int | None = PROBE.new("Barrier", self, parties=parties)
            else:
                self._cz = None
                PROBE.count_internal("Barrier")

        def wait(self, timeout: float | None = None) -> int:
            if self._cz is None:
                return super().wait(timeout)
            frame = PROBE.user_frame(2)
            PROBE.gate(frame)
            PROBE.at("barrier-wait", frame, self._cz, arrived=self.n_waiting + 1,
                     parties=self.parties)
            since = _monotonic()
            try:
                index = super().wait(timeout)
            except threading.BrokenBarrierError:
                PROBE.at("barrier-broken", frame, self._cz, waited=_waited(since))
                raise
            PROBE.at("barrier-pass", frame, self._cz, index=index, waited=_waited(since))
            return index

    return Barrier


def install(probe: Probe) -> None:
    global PROBE
    PROBE = probe
    threading.Lock = lock_factory(threading.Lock)  # type: ignore[misc]
    threading.RLock = rlock_factory(threading.RLock)  # type: ignore[misc]
    threading.Semaphore, threading.BoundedSemaphore = semaphore_classes()  # type: ignore[misc]
    threading.Condition = condition_class()  # type: ignore[misc]
    threading.Event = event_class()  # type: ignore[misc]
    threading.Barrier = barrier_class()  # type: ignore[misc]
