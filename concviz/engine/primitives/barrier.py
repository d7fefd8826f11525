"""``threading.Barrier``: parties arrive one by one and leave together.

Phase 1: four parties meet at a ``Barrier(4)`` twice; nobody passes before
the fourth arrives. Phase 2: a third meeting (meetings are numbered across the
run, as the summary counts them), at a new barrier with ``wait(timeout)``, and one
party is late: the first to run out of time breaks the barrier, every waiter
gets BrokenBarrierError, and so does the late one when it arrives. On stop()
the demo calls ``abort()``, which frees anyone still waiting.
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
from concviz.engine.words import plural

PARTIES = 4
MEETINGS = 2  # in phase 1
ARRIVE = (0.2, 0.9)  # nominal seconds before a party arrives
LEAVE = 0.2  # nominal seconds a party walks on after passing
ON_TIME = (0.1, 0.3)  # phase 2: nominal seconds before the punctual parties arrive
LATE = 2.0  # phase 2: nominal seconds before the late party arrives
TIMEOUT = 0.6  # phase 2: nominal seconds each party waits before giving up


@dataclass(frozen=True, slots=True)
class Arrived(Event):
    """The party calls ``wait()`` for meeting ``meeting`` of barrier ``barrier``."""

    barrier: int = 1
    meeting: int = 1
    parties: int = PARTIES
    timeout: float = 0.0  # wall seconds, 0 for none


@dataclass(frozen=True, slots=True)
class Passed(Event):
    """``wait()`` returned ``index``: 0 to parties-1, a different one for each party."""

    barrier: int = 1
    meeting: int = 1
    index: int = 0
    waited: float = 0.0


@dataclass(frozen=True, slots=True)
class Broken(Event):
    """``wait()`` raised BrokenBarrierError; ``timed_out``: this party's own timeout
    ran out (it broke the barrier); ``already``: it was broken when the party came;
    ``waited``: how long the party was in ``wait()``."""

    barrier: int = 1
    meeting: int = 1
    timed_out: bool = False
    already: bool = False
    waited: float = 0.0


@dataclass(frozen=True, slots=True)
class BarrierDemoFinished(Event):
    meetings: int = 0  # meetings everyone passed
    broken: bool = False
    timed_out: tuple[str, ...] = ()


class BarrierDemo(Demo):
    name = "barrier"
    summary = "threading.Barrier: parties arrive one by one, leave together; a timeout breaks it."
    card: ClassVar[Card] = Card(
        title="threading.Barrier",
        purpose="A meeting point: each thread waits there until all N have arrived, then all "
        "go on together.",
        use_when="Threads work in rounds and none may start round k+1 before every one has "
        "finished round k (simulations, phased tests).",
        trade_off="Everyone moves at the pace of the slowest party; one party that never "
        "comes holds all the others, unless a timeout breaks the barrier for everyone.",
        say_in_class="A timeout does not just fail the thread that waited too long: it "
        "breaks the barrier, and every party, present or yet to come, gets the error.",
    )

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.barrier = threading.Barrier(PARTIES)
        self.met = 0
        self.timed_out: list[str] = []
        self._book = threading.Lock()

    def run(self) -> None:
        try:
            self.emit(PhaseStarted, phase=1, title=f"Barrier({PARTIES}): {MEETINGS} meetings")
            self._phase(1, {i: [self.rng(f"party-{i}").uniform(*ARRIVE)
                                for _ in range(MEETINGS)] for i in range(1, PARTIES + 1)},
                        timeout=None, first=1)
            self.emit(PhaseFinished, phase=1,
                      outcome=f"{plural(self.met, 'meeting')}, all passed together")

            self.barrier = threading.Barrier(PARTIES)
            late = self.rng("late").randrange(1, PARTIES + 1)
            limit = TIMEOUT / self.speed  # wall seconds, scaled like every sleep, fixed
            self.emit(PhaseStarted, phase=2,  # for the phase: the title shows what wait() gets
                      title=f"wait(timeout={limit:.2f}) and party-{late} is late")
            self._phase(2, {i: [LATE if i == late else self.rng(f"on-time-{i}").uniform(*ON_TIME)]
                            for i in range(1, PARTIES + 1)},
                        timeout=limit, first=MEETINGS + 1)
            broken = self.barrier.broken
            self.emit(PhaseFinished, phase=2, ok=not broken,
                      outcome=f"broken: {', '.join(self.timed_out) or 'nobody'} timed out"
                      if broken else "not broken: the late party made it")
        finally:
            self.barrier.abort()  # on stop(): frees anyone still in wait()
        self.emit(BarrierDemoFinished, meetings=self.met, broken=broken,
                  timed_out=tuple(self.timed_out))

    def _phase(self, barrier: int, delays: dict[int, list[float]],
               timeout: float | None, first: int) -> None:
        """``delays[i]``: party i's nominal seconds before each of its arrivals;
        ``timeout``: the wall seconds each ``wait()`` is given (None: no timeout);
        ``first``: the number of the phase's first meeting."""
        parties = [
            self.spawn(f"party-{i}", lambda d=d: self._party(barrier, d, timeout, first),
                       "meets the others")
            for i, d in delays.items()
        ]
        join_all(self, parties)

    def _party(self, barrier: int, delays: list[float], limit: float | None,
               first: int) -> None:
        for meeting, delay in enumerate(delays, first):
            self.sleep(delay)
            self.emit(Arrived, barrier=barrier, meeting=meeting, timeout=limit or 0.0)
            already = self.barrier.broken
            asked = self.now()  # run time: a pause is no wait
            try:
                index = self.barrier.wait(limit)
            except threading.BrokenBarrierError:
                self.check_stop()  # abort() on stop() breaks it too: not news
                waited = self.now() - asked
                timed_out = limit is not None and waited >= limit
                if timed_out:
                    with self._book:
                        self.timed_out.append(threading.current_thread().name)
                self.emit(Broken, barrier=barrier, meeting=meeting, timed_out=timed_out,
                          already=already, waited=waited)
                return
            self.emit(Passed, barrier=barrier, meeting=meeting, index=index,
                      waited=self.now() - asked)
            if index == 0:
                with self._book:
                    self.met += 1
            self.sleep(LEAVE)
