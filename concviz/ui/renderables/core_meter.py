"""One meter per core: a bar of its busy %, the number, and its recent history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

BAR = 10
PER_COLUMN = 3  # samples averaged into one column of history (0.3 s at 10 Hz)
LEVELS = "▁▂▃▄▅▆▇█"  # idle still shows a floor: a blank would read as "no data"
MIN_HISTORY = 4
KEEP_HISTORY = 12  # history columns kept before any pid is shown


@dataclass(frozen=True)
class CoreRow:
    core: int
    percent: float | None  # None: no sample yet
    history: tuple[float, ...] = ()
    pids: tuple[int, ...] = ()  # worker processes seen on this core at the last sample


# One colour at every load: the bar's length and the number say how busy a core is.
# Red would read as an error, yet full cores are what a pool is for.
BUSY = "bold green"


def spark(history: Sequence[float], width: int) -> Text:
    """The newest samples as block heights, newest on the right, ``PER_COLUMN``
    samples to a column so a whole run fits."""
    samples = list(history)[-width * PER_COLUMN:]
    start = len(samples) % PER_COLUMN  # the newest column is always a whole one
    shown = [sum(samples[i:i + PER_COLUMN]) / PER_COLUMN
             for i in range(start, len(samples), PER_COLUMN)]
    text = Text(" " * (width - len(shown)))
    for percent in shown:
        step = round(percent / 100 * (len(LEVELS) - 1))
        text.append(LEVELS[max(0, min(len(LEVELS) - 1, step))], style=BUSY)
    return text


class CoreMeters:
    """``core 0 ▕██████░░░░▏  62% ▂▃▅▇█▇  last ◆4242``: the words and numbers carry the
    meaning; the colour is the same at every load."""

    def __init__(self, rows: Sequence[CoreRow]) -> None:
        self.rows = rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.rows:
            yield Text("no cores to show", style="italic")
            return
        label = max(len(f"core {row.core}") for row in self.rows)
        # a sample of where each worker last ran, not where it runs now: said so
        pids = {row.core: "  last " + " ".join(f"◆{pid}" for pid in row.pids) if row.pids else ""
                for row in self.rows}
        column = max(map(len, pids.values()))  # the same for every row: histories align
        for row in self.rows:
            line = Text(f"core {row.core}".ljust(label), style="bold")
            line.append(" ▕")
            if row.percent is None:
                line.append("·" * BAR, style="dim")
                line.append("▏  --%")
            else:
                filled = round(BAR * row.percent / 100)
                line.append("█" * filled, style=BUSY)
                line.append("░" * (BAR - filled), style="dim")
                line.append(f"▏ {row.percent:3.0f}%", style="bold")
            room = options.max_width - len(line) - 1
            width = column if room - column >= KEEP_HISTORY else 0  # history first
            if room - width >= MIN_HISTORY:
                line.append(" ")
                line.append_text(spark(row.history, room - width))
            if width:
                line.append(pids[row.core], style="bold")
            line.truncate(options.max_width, overflow="ellipsis")
            yield line
