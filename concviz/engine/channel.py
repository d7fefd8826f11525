"""A thread-safe, non-blocking event channel between a demo and its front ends."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from concviz.engine.events import Event


class Channel:
    """Many writers (demo threads), one reader (a front end).

    ``deque.append`` and ``popleft`` are atomic in CPython, so writers never
    block on the reader and the reader never blocks at all.
    """

    def __init__(self) -> None:
        self._items: deque[Event] = deque()

    def put(self, event: Event) -> None:
        self._items.append(event)

    def drain(self, max_items: int = 1000) -> list[Event]:
        """Take up to ``max_items`` events, oldest first, without waiting."""
        out: list[Event] = []
        pop = self._items.popleft
        try:
            for _ in range(max_items):
                out.append(pop())
        except IndexError:
            pass
        return out

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Event]:
        """Drain everything (for transcripts and tests, after a run)."""
        while batch := self.drain():
            yield from batch
