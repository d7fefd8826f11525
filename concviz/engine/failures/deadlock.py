"""A lock that can be watched, and the detector that reads what it records.

The detector works only from real state: which thread owns each lock, which
thread is blocked on which lock since when, and whether an owner is still
alive. Blocked threads poll their ``acquire`` with a short timeout, so the
demo can end a deadlock it detected (a victim gives up) and ``stop()`` always
gets every thread back. The detector, the lock-order check and the ending are
concviz's own: plain Python has none of them, and its deadlocked threads wait forever.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING

from concviz.engine.failures.events import DeadlockDetected, LockOrderWarning
from concviz.engine.traced_lock import LockAcquired, LockBlocked, LockReleased, LockRequested

if TYPE_CHECKING:
    from concviz.engine.demo import Demo

POLL = 0.02  # seconds: how often a blocked thread and the detector look again
DETECT_WITHIN = 1.0  # seconds: a deadlock is reported at most this long after it formed
SHOW_DEADLOCK = 1.0  # nominal seconds a demo leaves a detected deadlock in place
ENDED = "concviz ended this deadlock: plain Python would wait forever"
ORDER_CHECK = "concviz's lock-order check, like the Linux kernel's lockdep"


class DeadlockAborted(Exception):
    """concviz's own exception, not Python's: raised in a blocked thread chosen to give
    up, so the deadlock ends."""


ABORTED = f"{DeadlockAborted.__name__}: {ENDED}"  # the error a victim's thread ends with


@dataclass(frozen=True)
class Deadlock:
    cause: str  # "cycle" or "dead-owner"
    edges: tuple[tuple[str, str, str], ...]  # (waiter, lock, owner)
    waiters: tuple[threading.Thread, ...]
    dead_owner: str
    formed: float  # demo time it formed: the last block, or the owner's death if later
    last: threading.Thread  # the thread that blocked last: its request closed the cycle


class WaitsFor:
    """The shared record of every lock of one program, and the order graph of concviz's
    lock-order check (the idea of the Linux kernel's lockdep)."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self.owners: dict[str, threading.Thread] = {}
        self.waiting: dict[threading.Thread, tuple[str, float]] = {}
        self.held: defaultdict[threading.Thread, list[str]] = defaultdict(list)
        self.order: dict[tuple[str, str], str] = {}  # (held, then taken) -> first thread seen
        self.warned: set[frozenset[str]] = set()  # lock pairs already warned about
        self.ended: dict[threading.Thread, float] = {}  # demo time a tracked thread ended
        self._aborted: dict[threading.Thread, str] = {}

    def track(self, demo: Demo, target: Callable[[], None]) -> Callable[[], None]:
        """``target``, noting when its thread ends: a lock's owner may die after its
        waiters blocked, and the deadlock dates from then."""

        def tracked() -> None:
            try:
                target()
            finally:
                with self._mutex:
                    self.ended[threading.current_thread()] = demo.now()

        return tracked

    # -- what the locks report -------------------------------------------------

    def note_request(self, thread: threading.Thread, lock: str) -> list[tuple[str, str]]:
        """Record "``lock`` taken while holding ..."; return (first, other thread)
        for each order that contradicts one already seen (concviz's check, as
        lockdep does it: made before the thread can block)."""
        warnings = []
        with self._mutex:
            for first in self.held[thread]:
                self.order.setdefault((first, lock), thread.name)
                pair = frozenset((first, lock))
                if pair not in self.warned and self._reaches(lock, first):
                    self.warned.add(pair)
                    warnings.append((first, self.order[(lock, first)]))
        return warnings

    def _reaches(self, start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            node = todo.pop()
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                todo.extend(b for a, b in self.order if a == node)
        return False

    def start_wait(self, thread: threading.Thread, lock: str, now: float) -> None:
        with self._mutex:
            self.waiting[thread] = (lock, now)

    def end_wait(self, thread: threading.Thread) -> None:
        with self._mutex:
            self.waiting.pop(thread, None)
            self._aborted.pop(thread, None)

    def acquired(self, thread: threading.Thread, lock: str) -> None:
        with self._mutex:
            self.owners[lock] = thread
            self.held[thread].append(lock)

    def released(self, thread: threading.Thread, lock: str) -> None:
        with self._mutex:
            self.owners.pop(lock, None)
            if lock in self.held[thread]:
                self.held[thread].remove(lock)

    # -- ending a deadlock -----------------------------------------------------

    def abort(self, threads: tuple[threading.Thread, ...], reason: str) -> None:
        with self._mutex:
            for thread in threads:
                self._aborted[thread] = reason

    def check_abort(self, thread: threading.Thread) -> None:
        reason = self._aborted.get(thread)
        if reason is not None:
            raise DeadlockAborted(reason)

    # -- the detector ------------------------------------------------------------

    def find(self) -> Deadlock | None:
        """A lock whose owner is dead and has waiters, or a cycle of waits."""
        with self._mutex:
            waiting = dict(self.waiting)
            owners = dict(self.owners)
            ended = dict(self.ended)
        for lock, owner in owners.items():
            if owner.is_alive():
                continue
            stuck = [(w, since) for w, (wanted, since) in waiting.items() if wanted == lock]
            if stuck:
                died = ended.get(owner, 0.0)  # untracked: dated by its waiters alone
                return Deadlock(
                    cause="dead-owner",
                    edges=tuple((w.name, lock, owner.name) for w, _ in stuck),
                    waiters=tuple(w for w, _ in stuck),
                    dead_owner=owner.name,
                    formed=max(died, *(since for _, since in stuck)),
                    last=max(stuck, key=lambda ws: ws[1])[0],
                )
        for start in waiting:
            path: list[tuple[threading.Thread, str, threading.Thread]] = []
            thread: threading.Thread | None = start
            while thread in waiting and len(path) <= len(waiting):
                lock = waiting[thread][0]
                owner = owners.get(lock)
                if owner is None:
                    break
                path.append((thread, lock, owner))
                thread = owner
                if thread is start:
                    return Deadlock(
                        cause="cycle",
                        edges=tuple((w.name, lock, o.name) for w, lock, o in path),
                        waiters=tuple(w for w, _, _ in path),
                        dead_owner="",
                        formed=max(waiting[w][1] for w, _, _ in path),
                        last=max((w for w, _, _ in path), key=lambda w: waiting[w][1]),
                    )
        return None


def watch(demo: Demo, graph: WaitsFor, threads: list[threading.Thread]) -> Deadlock | None:
    """Poll until ``threads`` have all ended (None) or a deadlock is found,
    which is then emitted from the calling thread."""
    while any(t.is_alive() for t in threads):
        found = graph.find()
        if found is not None:
            demo.emit(
                DeadlockDetected,
                cause=found.cause,
                edges=found.edges,
                dead_owner=found.dead_owner,
                formed=found.formed,
            )
            return found
        time.sleep(POLL)
        demo.check_stop()
    return None


def join(demo: Demo, threads: list[threading.Thread]) -> None:
    """Wait for ``threads`` however slow the demo runs; ``stop()`` still ends the wait."""
    for thread in threads:
        while thread.is_alive():
            thread.join(POLL)
            demo.check_stop()


class WatchedLock:
    """A real ``threading.Lock`` used like one (``with lock:`` or acquire/release),
    emitting the same events as ``Traced`` and recording into a ``WaitsFor``."""

    def __init__(self, demo: Demo, name: str, graph: WaitsFor) -> None:
        self._demo = demo
        self._lock = threading.Lock()
        self._graph = graph
        self.name = name
        self.owner: str | None = None
        self._acquired_at = 0.0

    def acquire(self) -> None:
        me = threading.current_thread()
        demo = self._demo
        demo.emit(LockRequested, lock=self.name)
        for first, other in self._graph.note_request(me, self.name):
            demo.emit(LockOrderWarning, first=first, second=self.name, other=other)
        asked = demo.now()  # run time: a pause is no wait
        if not self._lock.acquire(blocking=False):
            blocked = demo.emit(LockBlocked, lock=self.name, owner=self.owner or "")
            self._graph.start_wait(me, self.name, blocked.t)
            try:
                while not self._lock.acquire(timeout=POLL):
                    self._graph.check_abort(me)
                    demo.check_stop()
            finally:
                self._graph.end_wait(me)
        self.owner = me.name
        self._acquired_at = demo.now()
        self._graph.acquired(me, self.name)
        try:
            demo.emit(LockAcquired, lock=self.name, waited=self._acquired_at - asked)
        except BaseException:
            self.release()
            raise

    def release(self) -> None:
        me = threading.current_thread()
        held = self._demo.now() - self._acquired_at
        self._demo.channel.put(
            LockReleased(t=self._demo.now(), thread=me.name, lock=self.name, held=held)
        )
        self.owner = None
        self._graph.released(me, self.name)
        self._lock.release()

    def __enter__(self) -> WatchedLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
