"""One lane per thread: its state folded from the events it emitted."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from concviz.engine.events import Event, Sleeping, ThreadFailed, ThreadFinished, ThreadStarted
from concviz.engine.traced_lock import LockAcquired, LockBlocked, LockReleased, LockRequested


class LaneState(Enum):
    """What a thread is doing; each has a word and a symbol, so colour is never the only cue."""

    STARTING = ("starting", "·")
    RUNNING = ("running", "▶")
    SLEEPING = ("sleeping", "◷")
    ASKING = ("asks for lock", "?")
    WAITING = ("WAITS for lock", "■")
    BLOCKED = ("WAITS", "■")  # on an Event, a Condition, a Queue or a Barrier
    HOLDING = ("HOLDS lock", "◆")
    FINISHED = ("finished", "✓")
    FAILED = ("DIED", "✗")
    ENDED = ("ENDED", "✗")  # by concviz, not by Python: to end a deadlock it detected

    def __init__(self, word: str, symbol: str) -> None:
        self.word = word
        self.symbol = symbol


@dataclass
class Lane:
    name: str
    role: str = ""
    state: LaneState = LaneState.STARTING
    since: float = 0.0  # demo time the state began
    until: float | None = None  # demo time a sleep ends
    detail: str = ""
    steps: int = 0  # events this thread emitted
    waits_on: str | None = None  # the lock it is blocked on


class Lanes:
    """Folds the generic thread and lock events; demos may add ``set_state`` calls."""

    def __init__(self) -> None:
        self.lanes: dict[str, Lane] = {}
        self.holders: dict[str, list[str]] = {}  # lock -> who holds it, as the stream says

    def lane(self, name: str) -> Lane:
        if name not in self.lanes:
            self.lanes[name] = Lane(name)
        return self.lanes[name]

    def set_state(self, event: Event, state: LaneState, detail: str = "") -> None:
        lane = self.lane(event.thread)
        lane.state, lane.since, lane.until, lane.detail = state, event.t, None, detail
        lane.waits_on = None

    def _waiting_for(self, lock: str) -> str:
        """Who holds ``lock`` now, as the stream says: a waiter's lane never names a
        holder that has let go (a stepped run once showed just that)."""
        holders = self.holders.get(lock)
        return f"{', '.join(holders)} holds {lock}" if holders else f"{lock}: just freed"

    def _retell_waiters(self, lock: str) -> None:
        for lane in self.lanes.values():
            if lane.state is LaneState.WAITING and lane.waits_on == lock:
                lane.detail = self._waiting_for(lock)

    def apply(self, event: Event) -> None:
        """Fold one event; threads get a lane when they announce themselves with ThreadStarted."""
        if event.thread not in self.lanes and not isinstance(event, ThreadStarted):
            return  # the demo's own coordinating thread (run finished, summaries)
        lane = self.lane(event.thread)
        lane.steps += 1
        match event:
            case ThreadStarted(role=role):
                lane.role = role
                self.set_state(event, LaneState.RUNNING)
            case Sleeping(duration=duration):
                self.set_state(event, LaneState.SLEEPING)
                lane.until = event.t + duration
            case LockRequested(lock=lock):
                self.set_state(event, LaneState.ASKING, lock)
            case LockBlocked(lock=lock):
                self.set_state(event, LaneState.WAITING, self._waiting_for(lock))
                lane.waits_on = lock
            case LockAcquired(lock=lock):
                self.set_state(event, LaneState.HOLDING, lock)
                self.holders.setdefault(lock, []).append(event.thread)
                self._retell_waiters(lock)
            case LockReleased(lock=lock):
                self.set_state(event, LaneState.RUNNING)
                if event.thread in self.holders.get(lock, []):
                    self.holders[lock].remove(event.thread)
                self._retell_waiters(lock)
            case ThreadFinished():
                self.set_state(event, LaneState.FINISHED)
            case ThreadFailed(error=error):
                self.set_state(event, LaneState.FAILED, error)

    @property
    def any_sleeping(self) -> bool:
        return any(lane.state is LaneState.SLEEPING for lane in self.lanes.values())
