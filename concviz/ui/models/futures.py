"""The futures pane's state, folded from the demo's events: a card per future, the
order ``as_completed`` gave them in, and what each worker ran when."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from enum import Enum

from concviz.engine.events import Event, ThreadFailed
from concviz.engine.futures import (
    CancelRefused,
    FuturesFinished,
    FuturesStarting,
    FutureSubmitted,
    FutureYielded,
    PoolBroken,
    TaskCancelled,
    TaskFinished,
    TaskStarted,
)
from concviz.engine.words import plural
from concviz.ui.models.producer_consumer import Caption


class FutureState(Enum):
    """A future's life; each has a word and a symbol, so colour is never the only cue."""

    PENDING = ("pending", "·")
    RUNNING = ("running", "▶")
    DONE = ("done", "✓")
    FAILED = ("FAILED", "✗")
    CANCELLED = ("cancelled", "⊘")

    def __init__(self, word: str, symbol: str) -> None:
        self.word = word
        self.symbol = symbol


def short_number(value: int | None, width: int) -> str:
    """A result in at most ``width`` characters: whole if it fits, else its head and
    its number of digits (a factorial soon has hundreds)."""
    if value is None:
        return ""
    text = str(value)
    if len(text) <= width:
        return text
    tail = f"…({len(text)} digits)"
    if width - len(tail) >= 2:
        return text[: width - len(tail)] + tail
    tail = f"{len(text)} digits"
    return tail if len(tail) <= width else f"{len(text)}d"[:width]


@dataclass
class FutureCard:
    n: int
    future: int = 0  # id() of the real Future object
    state: FutureState = FutureState.PENDING
    worker: str = ""
    started: float | None = None
    ended: float | None = None
    result: int | None = None
    error: str = ""
    position: int | None = None  # where as_completed yielded it (1-based)
    refused: bool = False  # cancel() was asked and said no: it was already running


@dataclass
class Bar:
    """One task on a worker's timeline; ``end`` is None while it runs."""

    n: int
    start: float
    end: float | None = None
    failed: bool = False


def narrate(event: Event, model: FuturesModel) -> tuple[str, int] | None:
    """A caption for the events a class should notice; None for the rest."""
    who = event.thread
    match event:
        case FuturesStarting(n_max=n_max, workers=workers, executor=kind, fail=fail):
            failing = f"; factorial({fail}) will raise" if fail is not None else ""
            return f"submit() {n_max} tasks to {workers} {kind} workers{failing}", 0
        case TaskStarted(n=n):
            return f"{who} runs factorial({n})", 0
        case TaskFinished(n=n, error=error) if error:
            return f"factorial({n}) raised on {who}: its future keeps the exception", 2
        case TaskCancelled(n=n):
            return f"cancel() on {n}: it was pending, so it never runs", 1
        case CancelRefused(n=n, worker=worker):
            where = f"is running on {worker}" if worker else "was handed to a worker"
            return f"cancel() on {n} returned False: it {where}", 2
        case FutureYielded(n=n, error=error) if error.startswith("BrokenProcessPool"):
            return f"result() of {n} re-raised BrokenProcessPool: a worker process died", 2
        case FutureYielded(n=n, error=error) if error:
            return f"result() of {n} re-raised {error.split(':')[0]}; the others go on", 2
        case PoolBroken():
            return "BrokenProcessPool: a worker process died, so every future not done fails", 2
        case FutureYielded(n=n, position=position, cancelled=False):
            ahead = model.overtaken(n)
            if ahead:
                before = plural(ahead, "earlier future")
                return f"as_completed #{position}: {n}! done before {before}", 1
            return f"as_completed #{position}: {n}! = {short_number(model.card(n).result, 20)}", 0
        case FuturesFinished(completed=completed, submitted=submitted, failed=failed,
                             cancelled=cancelled):
            ok = len(completed) - len(failed) - len(cancelled)
            order = "in submission order this time" if completed == submitted else \
                "OUT of submission order"
            return (f"Done: {ok} ok, {len(failed)} failed, {len(cancelled)} cancelled; "
                    f"finished {order}"), 2
        case ThreadFailed(error=error):
            return f"{who} died: {error}", 2
    return None


@dataclass
class FuturesModel:
    cards: dict[int, FutureCard] = field(default_factory=dict)
    order: list[int] = field(default_factory=list)  # n in as_completed order
    rows: dict[str, list[Bar]] = field(default_factory=dict)  # worker -> its tasks
    running: int = 0
    max_running: int = 0
    starting: FuturesStarting | None = None
    finished: FuturesFinished | None = None
    caption: Caption = field(default_factory=lambda: Caption("Press space: a real pool starts."))
    version: int = 0  # bumped by every event, so drawings know when to redraw
    _yielded: list[int] = field(default_factory=list)  # the order, sorted

    def apply(self, event: Event) -> None:
        self.version += 1
        self._fold(event)
        said = narrate(event, self)
        if said is not None:
            self.caption.say(event.t, *said)

    def _fold(self, event: Event) -> None:
        match event:
            case FuturesStarting():
                self.starting = event
            case FutureSubmitted(n=n, future=future):
                self.cards[n] = FutureCard(n, future)
            case TaskStarted(n=n):
                card = self.card(n)
                card.state, card.worker, card.started = FutureState.RUNNING, event.thread, event.t
                self.rows.setdefault(event.thread, []).append(Bar(n, event.t))
                self.running += 1
                self.max_running = max(self.max_running, self.running)
            case TaskFinished(n=n, result=result, error=error):
                card = self.card(n)
                card.state = FutureState.FAILED if error else FutureState.DONE
                card.result, card.error, card.ended = result, error, event.t
                for bar in reversed(self.rows.get(card.worker, [])):
                    if bar.n == n:
                        bar.end, bar.failed = event.t, bool(error)
                        break
                self.running -= 1
            case TaskCancelled(n=n):
                self.card(n).state = FutureState.CANCELLED
            case CancelRefused(n=n):
                self.card(n).refused = True
            case FutureYielded(n=n, position=position, error=error):
                card = self.card(n)
                card.position = position
                if error and card.state in (FutureState.PENDING, FutureState.RUNNING):
                    self._broke(card, error, event.t)  # its task never told its end
                self.order.append(n)
                bisect.insort(self._yielded, n)
            case FuturesFinished():
                self.finished = event

    def _broke(self, card: FutureCard, error: str, t: float) -> None:
        """A future failed by a broken pool: its worker died, or it never ran."""
        if card.state is FutureState.RUNNING:
            self.running -= 1
            for bar in reversed(self.rows.get(card.worker, [])):
                if bar.n == card.n and bar.end is None:
                    bar.end, bar.failed = t, True
                    break
        card.state, card.error, card.ended = FutureState.FAILED, error, t

    def card(self, n: int) -> FutureCard:
        if n not in self.cards:
            self.cards[n] = FutureCard(n)
        return self.cards[n]

    def overtaken(self, n: int) -> int:
        """How many futures submitted before n were still to come when n was yielded."""
        return n - 1 - bisect.bisect_left(self._yielded, n)

