"""Shared drawing for the primitive pictures: chips and rows of cells (from
:mod:`concviz.ui.renderables.chips`, here for the pictures), lines cut to the width, and
the tracking of who waits on what, folded from the generic lock and wait events."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.text import Text

from concviz.engine.events import Event
from concviz.engine.primitives.events import Waiting, Woken
from concviz.engine.traced_lock import LockAcquired, LockBlocked, LockReleased
from concviz.ui.renderables.chips import DIM, ERROR, HOLD, ITEM, WAIT, chip, flow, names

__all__ = ["DIM", "ERROR", "HOLD", "ITEM", "WAIT", "Holders", "Picture", "Waiters", "chip",
           "flow", "names"]


class Picture:
    """Lines of Text, each cut to the width; rows of cells (lists) wrap between whole
    cells; other renderables (a LockBox...) draw themselves."""

    def __init__(self, lines: Iterable[RenderableType | list[Text]]) -> None:
        self.lines = list(lines)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        for line in self.lines:
            for row in flow(line, width) if isinstance(line, list) else [line]:
                if isinstance(row, Text):
                    row = row.copy()
                    row.truncate(width, overflow="ellipsis")
                yield row


class Holders:
    """Who holds ``lock`` (in the order they got it) and who is blocked on it."""

    def __init__(self, lock: str) -> None:
        self.lock = lock
        self.holders: dict[str, float] = {}  # name -> demo time it got the lock
        self.blocked: list[str] = []
        self.blocks = 0

    def apply(self, event: Event) -> None:
        match event:
            case LockBlocked(lock=self.lock, thread=who):
                self.blocked.append(who)
                self.blocks += 1
            case LockAcquired(lock=self.lock, thread=who, t=t):
                self.holders[who] = t
                if who in self.blocked:
                    self.blocked.remove(who)
            case LockReleased(lock=self.lock, thread=who):
                self.holders.pop(who, None)

    @property
    def owner(self) -> str | None:
        return next(iter(self.holders), None)


class Waiters:
    """Who is blocked in a wait on each ``on`` (Waiting until the matching Woken)."""

    def __init__(self) -> None:
        self.on: dict[str, list[str]] = {}
        self.why: dict[str, str] = {}  # the latest reason given, per ``on``

    def apply(self, event: Event) -> None:
        match event:
            case Waiting(on=on, why=why, thread=who):
                self.on.setdefault(on, []).append(who)
                self.why[on] = why
            case Woken(on=on, thread=who):
                self.drop(on, who)

    def drop(self, on: str, who: str) -> None:
        if who in self.on.get(on, []):
            self.on[on].remove(who)

    def __getitem__(self, on: str) -> list[str]:
        return self.on.get(on, [])
