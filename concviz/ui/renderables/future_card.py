"""How many futures are in each state, in one line: the head of the futures box."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from concviz.ui.models.futures import FutureCard, FutureState

STYLES = {
    FutureState.PENDING: "none",
    FutureState.RUNNING: "bold black on yellow",
    FutureState.DONE: "bold green",
    FutureState.FAILED: "bold white on red",
    FutureState.CANCELLED: "strike",
}


def counts_line(cards: Sequence[FutureCard], width: int) -> Text:
    """How many futures are in each state (the states no future is in are left out);
    without the words when they do not fit."""
    tally = {state: 0 for state in FutureState}
    for card in cards:
        tally[card.state] += 1
    for words in (True, False):
        line = Text()
        for state, count in tally.items():
            if count:
                if line:
                    line.append("  ")
                line.append(f"{state.symbol} {count}" + (f" {state.word}" if words else ""),
                            style=STYLES[state])
        if len(line) <= width:
            break
    line.truncate(width, overflow="ellipsis")
    return line
