"""Program listings for the code panel: each demo's program as the seed writes it,
and which of its lines a thread is at, read off the event that thread emitted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from concviz.engine.events import Event

LineFor = Callable[[Event, str], "int | None"]


@dataclass(frozen=True)
class Listing:
    """``code`` as shown; ``line_for(event, role)`` gives the 1-based line the
    emitting thread is at after that event, or None when the event moves nobody."""

    title: str
    code: str
    line_for: LineFor

    def line_of(self, marker: str) -> int:
        """The line holding ``marker`` (a comment-free fragment of the code)."""
        for number, line in enumerate(self.code.splitlines(), 1):
            if marker in line:
                return number
        raise ValueError(f"{marker!r} is not in the listing {self.title!r}")
