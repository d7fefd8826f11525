"""The shared list as cells: items enter at the tail and leave from the head."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

CELL = 5  # "[ 12]" fits items up to 999


class ListCells:
    """``contents`` drawn as boxed cells; the newest item is marked, the last removed
    one is shown leaving on the left. Too many cells for the width fold into ``+N``."""

    def __init__(
        self, contents: tuple[int, ...], added: int | None = None, removed: int | None = None
    ) -> None:
        self.contents = contents
        self.added = added
        self.removed = removed

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        line = Text()
        line.append("out ◀ ", style="bold")
        if self.removed is not None:
            line.append(f"{self.removed} ", style="strike")
        line.append("HEAD ", style="italic")
        room = max(1, (options.max_width - len(line) - 14) // (CELL + 1))
        shown = self.contents if len(self.contents) <= room else self.contents[: room - 1]
        for item in shown:
            newest = item == self.added and item == self.contents[-1]
            style = "bold black on green" if newest else "bold reverse"
            line.append(f"{item:^{CELL}}", style=style)
            line.append(" ")
        if len(shown) < len(self.contents):
            line.append(f"… +{len(self.contents) - len(shown)} ", style="bold")
        if not self.contents:
            line.append("(empty) ", style="italic")
        line.append("TAIL ◀ in", style="bold")
        yield line
