"""A future as the futures' pictures draw it (the watch screen's futures box): its state
with a word and a symbol, and a bar on a worker's timeline."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


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


@dataclass
class FutureCard:
    """A future as the counts line tallies it: its number of submission and its state."""

    n: int
    state: FutureState = FutureState.PENDING


@dataclass
class Bar:
    """One task on a worker's timeline; ``end`` is None while it runs."""

    n: int
    start: float
    end: float | None = None
    failed: bool = False
