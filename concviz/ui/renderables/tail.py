"""The newest lines of a transcript that fit a given height."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text


class Tail:
    def __init__(self, lines: Sequence[Text], height: int) -> None:
        self.lines = lines
        self.height = height

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        shown = list(self.lines)[-self.height :] if self.height > 0 else []
        for line in shown:
            line = line.copy()
            line.truncate(options.max_width, overflow="ellipsis")
            yield line
