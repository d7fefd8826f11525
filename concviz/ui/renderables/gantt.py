"""A timeline per worker: which task ran on it, and when (a Gantt chart in text)."""

from __future__ import annotations

import math
import re

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from concviz.ui.models.futures import Bar

DONE_STYLES = ("bold black on green", "bold black on cyan")  # alternate: neighbours differ
RUNNING = "bold black on yellow"
FAILED = "bold white on red"
IDLE = "·"
NARROW = "▌"  # a bar too short for its number
TICK = 7  # columns per axis label ("0.25s" and a gap)


def nice_span(seconds: float, ticks: int = 8) -> tuple[float, float]:
    """The axis length and its tick step: a 1-2-5 step, at most ``ticks`` of them.
    Rounding up keeps the bars in place when the run's last milliseconds vary."""
    seconds, ticks = max(seconds, 0.1), max(1, ticks)
    magnitude = 10 ** math.floor(math.log10(seconds / ticks))
    for factor in (1, 2, 5, 10):
        step = factor * magnitude
        if seconds / step <= ticks:
            break
    return math.ceil(seconds / step - 1e-9) * step, step


def natural(name: str) -> tuple:
    """Worker_2 before Worker_10; pid 99 before pid 100."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name))


class Gantt:
    """``rows`` maps a worker to its tasks; ``now`` is the demo time (running bars grow
    to it). Shows at most ``max_rows`` lines, the axis included."""

    def __init__(self, rows: dict[str, list[Bar]], now: float, max_rows: int = 12) -> None:
        self.rows = rows
        self.now = now
        self.max_rows = max_rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.rows:
            yield Text("no task has started yet", style="italic")
            return
        names = sorted(self.rows, key=natural)
        label = max(len(name) for name in names)
        width = max(4, options.max_width - label - 1)
        ends = [bar.end for bars in self.rows.values() for bar in bars if bar.end is not None]
        running = any(bar.end is None for bars in self.rows.values() for bar in bars)
        span, step = nice_span(max([*ends, self.now if running else 0.0]), width // TICK)
        shown = names if len(names) <= self.max_rows - 1 else names[: max(0, self.max_rows - 2)]
        for name in shown:
            line = Text(name.ljust(label) + " ", style="bold")
            line.append_text(self._row(self.rows[name], span, width))
            yield line
        if len(shown) < len(names):
            yield Text(f"… {len(names) - len(shown)} more workers", style="italic")
        yield Text(" " * (label + 1)) + axis(span, step, width)

    def _row(self, bars: list[Bar], span: float, width: int) -> Text:
        def column(t: float) -> int:
            return min(width, int(t / span * width))

        now = column(self.now) if any(bar.end is None for bar in bars) else 0
        last = max([now, *(column(bar.end) for bar in bars if bar.end is not None)])
        chars = [IDLE if i < last else " " for i in range(width)]
        styles = ["dim"] * width
        for index, bar in enumerate(bars):
            end = self.now if bar.end is None else bar.end
            start = min(column(bar.start), width - 1)
            stop = max(start + 1, column(end))
            if bar.end is None:
                text, style = f"{bar.n}▶", RUNNING
            elif bar.failed:
                text, style = f"{bar.n}✗", FAILED
            else:
                text, style = str(bar.n), DONE_STYLES[index % 2]
            # a label needs a space after it, or two short bars read as one number
            text = text.ljust(stop - start) if stop - start > len(text) else NARROW * (stop - start)
            for offset, char in enumerate(text):
                chars[start + offset] = char
                styles[start + offset] = style
        line = Text()
        for char, style in zip(chars, styles, strict=True):
            line.append(char, style=style)
        return line


def axis(span: float, step: float, width: int) -> Text:
    """Tick labels under the bars: ``0s``, then each step where it fits."""
    chars = [" "] * width
    ticks = round(span / step)
    for i in range(ticks + 1):
        label = f"{i * step:g}s"
        at = min(width - len(label), int(i * step / span * width))
        if at >= 0 and all(c == " " for c in chars[max(0, at - 1): at + len(label)]):
            chars[at: at + len(label)] = label
    return Text("".join(chars))
