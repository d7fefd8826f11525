"""The producer/consumer pane's state, folded from the demo's events."""

from __future__ import annotations

from dataclasses import dataclass, field

from concviz.engine.events import Event
from concviz.engine.producer_consumer import (
    ItemAdded,
    ItemRemoved,
    ListEmpty,
    RaceDetected,
    RunFinished,
)
from concviz.engine.traced_lock import LockAcquired, LockBlocked, LockReleased
from concviz.ui.models.lanes import Lanes


@dataclass
class ProducerConsumerModel:
    locked: bool = True
    lanes: Lanes = field(default_factory=Lanes)
    contents: tuple[int, ...] = ()
    last_added: int | None = None
    last_removed: int | None = None
    owner: str | None = None
    waiters: list[str] = field(default_factory=list)
    produced: int = 0
    consumed: int = 0
    lock_waits: int = 0
    longest_wait: float = 0.0
    empty_hits: int = 0
    races: int = 0
    last_race: str = ""
    finished: RunFinished | None = None

    def apply(self, event: Event) -> None:
        self.lanes.apply(event)
        match event:
            case ItemAdded(item=item, contents=contents):
                self.contents, self.last_added = contents, item
                self.produced += 1
            case ItemRemoved(item=item, contents=contents):
                self.contents, self.last_removed = contents, item
                self.consumed += 1
            case ListEmpty():
                self.empty_hits += 1
            case LockBlocked(thread=who):
                self.waiters.append(who)
            case LockAcquired(thread=who, waited=waited):
                self.owner = who
                if who in self.waiters:
                    self.waiters.remove(who)
                    self.lock_waits += 1
                    self.longest_wait = max(self.longest_wait, waited)
            case LockReleased():
                self.owner = None
            case RaceDetected(thread=who, detail=detail):
                self.races += 1
                self.last_race = f"{who}: {detail}"
            case RunFinished():
                self.finished = event
