"""Seed ques.5, ``threading.Semaphore`` and ``BoundedSemaphore``: N slots, N holders at most.

Five downloads share three slots. Then a bug: one download releases twice.
A plain Semaphore accepts the extra release without a word and from then on
lets four in; a BoundedSemaphore raises ValueError and stays at three. The
capacity after the bug is measured, not assumed: a probe takes slots without
blocking until one is refused. Then the five run again.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import ClassVar

from concviz.engine.card import Card
from concviz.engine.demo import Demo
from concviz.engine.events import Event
from concviz.engine.failures.events import PhaseFinished, PhaseStarted
from concviz.engine.primitives.traced import join_all
from concviz.engine.traced_lock import Traced

SLOTS = 3
WORKERS = 5
ROUNDS = 2  # per worker, in the first phase
THINK = (0.05, 0.3)  # nominal seconds before asking for a slot
HOLD = (0.3, 0.6)  # nominal seconds a slot is held
PROBE_LIMIT = 3 * SLOTS  # a probe never takes more than this many slots


@dataclass(frozen=True, slots=True)
class ExtraRelease(Event):
    """One ``release()`` more than acquires: ``ok`` if the semaphore accepted it."""

    ok: bool = True
    error: str = ""


@dataclass(frozen=True, slots=True)
class Probed(Event):
    """A probe took ``capacity`` slots without blocking before one was refused."""

    capacity: int = 0


@dataclass(frozen=True, slots=True)
class SemaphoreFinished(Event):
    bounded: bool = False
    slots: int = SLOTS
    capacity_after: int = SLOTS  # measured after the extra release
    error: str = ""


class SemaphoreDemo(Demo):
    name = "semaphore"
    summary = "threading.Semaphore: N slots; an extra release() silently adds one (ques.5)."
    bounded: ClassVar[bool] = False
    card: ClassVar[Card] = Card(
        title="threading.Semaphore",
        purpose="A counter of free slots: acquire() takes one (or waits), release() gives one "
        "back.",
        use_when="Allowing N threads to use something at once: connections, downloads, a "
        "rate-limited API.",
        trade_off="Nothing checks that releases match acquires: one release too many and the "
        "limit quietly becomes N+1, forever.",
        say_in_class="A Semaphore is not owned: any thread may release() it, even one that "
        "never acquired. That is what makes it useful for signalling, and easy to break.",
    )

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        kind = threading.BoundedSemaphore if self.bounded else threading.Semaphore
        self.semaphore = kind(SLOTS)
        self.label = f"{kind.__name__}({SLOTS})"
        self.error = ""  # what the extra release raised

    def run(self) -> None:
        slots = Traced(self, self.semaphore, self.label, owned=False)
        self.emit(PhaseStarted, phase=1, title=f"{WORKERS} downloads share {SLOTS} slots")
        self._crowd(slots, ROUNDS)
        self.emit(PhaseFinished, phase=1, outcome=f"at most {SLOTS} at once")

        self.emit(PhaseStarted, phase=2, title="a bug: one download releases twice")
        buggy = self.spawn("buggy", lambda: self._release_twice(slots), "releases twice")
        join_all(self, [buggy])
        capacity = self._probe()
        self.emit(PhaseFinished, phase=2, outcome=f"the semaphore now admits {capacity}",
                  ok=capacity == SLOTS)

        self.emit(PhaseStarted, phase=3, title=f"{WORKERS} downloads again")
        self._crowd(slots, 1)  # the same names: their lanes start again
        self.emit(PhaseFinished, phase=3, outcome=f"at most {capacity} at once")
        self.emit(SemaphoreFinished, bounded=self.bounded, slots=SLOTS,
                  capacity_after=capacity, error=self.error)

    def _crowd(self, slots: Traced, rounds: int) -> None:
        workers = [
            self.spawn(f"download-{i + 1}", lambda: self._download(slots, rounds), "download")
            for i in range(WORKERS)
        ]
        join_all(self, workers)

    def _download(self, slots: Traced, rounds: int) -> None:
        rng = self.rng(threading.current_thread().name)
        for _ in range(rounds):
            self.sleep(rng.uniform(*THINK))
            with slots:
                self.sleep(rng.uniform(*HOLD))

    def _release_twice(self, slots: Traced) -> None:
        with slots:
            self.sleep(HOLD[0])
        try:
            self.semaphore.release()  # the bug: a second release for one acquire
        except ValueError as exc:
            self.error = f"ValueError: {exc}"
        self.emit(ExtraRelease, ok=not self.error, error=self.error)

    def _probe(self) -> int:
        """How many slots are free now, nobody holding any: take them, then give them back."""
        taken = 0
        while taken < PROBE_LIMIT and self.semaphore.acquire(blocking=False):
            taken += 1
        for _ in range(taken):
            self.semaphore.release()
        self.emit(Probed, capacity=taken)
        return taken


class BoundedSemaphoreDemo(SemaphoreDemo):
    name = "bounded-semaphore"
    summary = "threading.BoundedSemaphore: N slots; an extra release() raises ValueError (ques.5)."
    bounded = True
    card: ClassVar[Card] = Card(
        title="threading.BoundedSemaphore",
        purpose="A Semaphore that refuses to count above its starting value.",
        use_when="Allowing N threads to use something at once, when every release should "
        "match an acquire (nearly always).",
        trade_off="The check costs almost nothing; it only catches releasing too often, not "
        "forgetting to release (that still leaks a slot).",
        say_in_class="The bug is the same line as in the plain Semaphore demo: here it fails "
        "loudly, at the spot, instead of silently raising the limit.",
    )
