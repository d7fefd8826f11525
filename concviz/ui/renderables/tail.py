"""The newest lines of a transcript that fit a given height, one strip per line."""

from __future__ import annotations

from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.strip import Strip


def tail_start(count: int, height: int) -> int:
    """Index of the first of ``count`` lines shown when only the newest ``height`` fit."""
    return max(0, count - max(0, height))


def line_strip(line: Text, width: int, style: Style, console: Console) -> Strip:
    """One transcript line, cut with an ellipsis at ``width`` and padded to it."""
    line = line.copy()
    line.truncate(width, overflow="ellipsis")
    line.stylize_before(style)
    return Strip(line.render(console)).extend_cell_length(width, style)
