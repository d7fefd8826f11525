"""One lane per thread: its state folded from the events it emitted."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from concviz.engine.events import Event, Sleeping, ThreadFailed, ThreadFinished, ThreadStarted


class LaneState(Enum):
    """What a thread is doing; each has a word and a symbol, so colour is never the only cue."""

    STARTING = ("starting", "·")
    RUNNING = ("running", "▶")
    SLEEPING = ("sleeping", "◷")
    FINISHED = ("finished", "✓")
    FAILED = ("DIED", "✗")

    def __init__(self, word: str, symbol: str) -> None:
        self.word = word
        self.symbol = symbol


@dataclass
class Lane:
    name: str
    state: LaneState = LaneState.STARTING
    since: float = 0.0  # demo time the state began
    until: float | None = None  # demo time a sleep ends
    detail: str = ""


class Lanes:
    """Folds the generic thread events: start, sleep, end."""

    def __init__(self) -> None:
        self.lanes: dict[str, Lane] = {}

    def lane(self, name: str) -> Lane:
        if name not in self.lanes:
            self.lanes[name] = Lane(name)
        return self.lanes[name]

    def set_state(self, event: Event, state: LaneState, detail: str = "") -> None:
        lane = self.lane(event.thread)
        lane.state, lane.since, lane.until, lane.detail = state, event.t, None, detail

    def apply(self, event: Event) -> None:
        """Fold one event; threads get a lane when they announce themselves with ThreadStarted."""
        if event.thread not in self.lanes and not isinstance(event, ThreadStarted):
            return  # the demo's own coordinating thread (run finished, summaries)
        match event:
            case ThreadStarted():
                self.set_state(event, LaneState.RUNNING)
            case Sleeping(duration=duration):
                self.set_state(event, LaneState.SLEEPING)
                self.lanes[event.thread].until = event.t + duration
            case ThreadFinished():
                self.set_state(event, LaneState.FINISHED)
            case ThreadFailed(error=error):
                self.set_state(event, LaneState.FAILED, error)

