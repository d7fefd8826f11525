"""The producer/consumer pane's state, folded from the demo's events."""

from __future__ import annotations

from dataclasses import dataclass, field

from concviz.engine.events import Event, ThreadStarted
from concviz.engine.producer_consumer import (
    ItemAdded,
    ItemRemoved,
    ListEmpty,
    RaceDetected,
    Retiring,
    RunFinished,
)
from concviz.engine.traced_lock import LockAcquired, LockBlocked, LockReleased, LockRequested
from concviz.ui.models.lanes import Lanes

HOLD = 1.5  # demo seconds an important caption stays before routine news replaces it


@dataclass
class Caption:
    """The narration line: what the last important event means, in plain words."""

    text: str = "Press space: real threads will start."
    weight: int = 0  # 0 routine, 1 worth a look, 2 the point of the lesson
    t: float = 0.0
    holding: bool = True  # an important caption stays HOLD seconds (not while stepping)

    def say(self, t: float, text: str, weight: int = 0) -> None:
        if not self.holding or weight >= self.weight or t - self.t > HOLD:
            self.text, self.weight, self.t = text, weight, t


def narrate(event: Event, model: ProducerConsumerModel) -> tuple[str, int] | None:
    """A caption for the events a class should notice; None for the rest."""
    who = event.thread
    match event:
        case LockBlocked():  # the holder as the lock box shows it: one fold, one truth
            holder = f"{model.owner} holds the lock" if model.owner else \
                "the lock is changing hands"
            return f"{who} waits: {holder}", 2
        case LockReleased() if model.waiters:  # Python's Lock promises no order
            waiting = model.waiters[0] if len(model.waiters) == 1 else \
                f"one of {', '.join(model.waiters)}"
            return f"{who} released the lock: {waiting} can take it now", 2
        case LockAcquired(waited=waited) if who in model.waiters:
            return f"{who} got the lock after waiting {waited * 1000:.0f} ms", 2
        case ItemAdded(item=item, contents=contents):
            return f"{who} appended {item}: {len(contents)} in the list", 0
        case ItemRemoved(item=item):
            return f"{who} popped {item} from the head of the list", 0
        case ListEmpty():
            return f"{who} found the list empty: nothing to take yet", 1
        case RaceDetected(detail=detail):
            return f"RACE in {who}: {detail}", 2
        case Retiring():
            return f"{who} was asked to stop: it ends after this step", 1
        case ThreadStarted(role=role) if event.t > 0.1:
            return f"{who} joins the run: one more {role} for the same list", 1
        case RunFinished(races=races, locked=locked, race_window=window):
            if races:
                what = "race" if races == 1 else "races"
                return f"Done: {races} {what}. Without the lock the list was not safe.", 2
            if locked:
                return "Done: every item was consumed exactly once, thanks to the lock.", 2
            if len(model.consumers) < 2:
                return ("Done: every item consumed once. With one consumer there is nothing "
                        "to race with.", 2)
            if not window:
                return ("Done: no race. With nothing between check and pop(0), CPython "
                        "(almost) never switches there; still wrong.", 2)
            return "Done: no race this run, by luck: nothing in the code prevents one.", 2
    return None


@dataclass
class ProducerConsumerModel:
    locked: bool = True
    lanes: Lanes = field(default_factory=Lanes)
    contents: tuple[int, ...] = ()
    last_added: int | None = None
    last_removed: int | None = None
    owner: str | None = None
    waiters: list[str] = field(default_factory=list)
    askers: list[str] = field(default_factory=list)  # asked for the lock, not yet blocked
    produced: int = 0
    consumed: int = 0
    lock_waits: int = 0
    longest_wait: float = 0.0
    empty_hits: int = 0
    races: int = 0
    last_race: str = ""
    consumers: set[str] = field(default_factory=set)  # every consumer thread of the run
    finished: RunFinished | None = None
    caption: Caption = field(default_factory=Caption)

    def apply(self, event: Event) -> None:
        said = narrate(event, self)  # before the fold: it reads who was waiting
        if said is not None:
            self.caption.say(event.t, *said)
        self.lanes.apply(event)
        match event:
            case ThreadStarted(thread=who, role="consumer"):
                self.consumers.add(who)
            case ItemAdded(item=item, contents=contents):
                self.contents, self.last_added = contents, item
                self.produced += 1
            case ItemRemoved(item=item, contents=contents):
                self.contents, self.last_removed = contents, item
                self.consumed += 1
            case ListEmpty():
                self.empty_hits += 1
            case LockRequested(thread=who):
                self.askers.append(who)
            case LockBlocked(thread=who):
                self.waiters.append(who)
                if who in self.askers:
                    self.askers.remove(who)
            case LockAcquired(thread=who, waited=waited):
                self.owner = who
                if who in self.askers:
                    self.askers.remove(who)
                if who in self.waiters:
                    self.waiters.remove(who)
                    self.lock_waits += 1
                    self.longest_wait = max(self.longest_wait, waited)
            case LockReleased():
                self.owner = None
            case RaceDetected(thread=who, detail=detail):
                self.races += 1
                self.last_race = f"{who}: {detail}"
            case Retiring(thread=who):
                if who in self.lanes.lanes:
                    self.lanes.lanes[who].detail = "asked to stop after this step"
            case RunFinished():
                self.finished = event
