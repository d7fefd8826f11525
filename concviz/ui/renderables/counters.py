"""A row of labelled counters, big values first so they read from the back of a room."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

GAP = "   "


class Counters:
    """Counters laid out left to right, wrapping whole counters onto the next line."""

    def __init__(self, items: list[tuple[str, str]], alert: set[str] | None = None) -> None:
        self.items = items
        self.alert = alert or set()

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        line = Text()
        for label, value in self.items:
            style = "bold white on red" if label in self.alert else "bold reverse"
            cell = Text.assemble((f" {value} ", style), f" {label}")
            if line and len(line) + len(GAP) + len(cell) > options.max_width:
                yield line
                line = Text()
            if line:
                line.append(GAP)
            line.append_text(cell)
        yield line
