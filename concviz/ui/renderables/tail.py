"""The newest rows of a transcript that fit a given height; a long line wraps onto rows.

A line is never cut: its end is often the point (a summary, what a race did), so
it wraps, and its continuation rows are indented so they read as one line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

INDENT = 2  # cells before each continuation row of a wrapped line
Row = TypeVar("Row")


def line_rows(line: Text, width: int, style: Style, console: Console) -> tuple[Strip, ...]:
    """One transcript line as rows of ``width`` cells: wrapped at spaces (a word
    longer than a row is folded), continuation rows indented by ``INDENT``."""
    if width < 1:
        return (Strip.blank(0, style),)
    if line.cell_len <= width and "\n" not in line.plain:  # most lines: no wrap to do
        return (_strip(line.copy(), width, style, console),)
    if "\t" in line.plain:  # wrap expands tabs: the offsets below count expanded text
        line = line.copy()
        line.expand_tabs()
    first = _wrap(line, width, console)[0]
    rows = [first]
    rest = line[len(first.plain):]
    rest = rest[len(rest.plain) - len(rest.plain.lstrip()):]  # the break's spaces
    if rest.plain:
        indent = INDENT if width > INDENT else 0
        rows += [Text.assemble(" " * indent, row)
                 for row in _wrap(rest, width - indent, console)]
    return tuple(_strip(row, width, style, console) for row in rows)


def _wrap(line: Text, width: int, console: Console) -> list[Text]:
    """Rows as cut from ``line``, never padded (a justified line would be)."""
    return list(line.wrap(console, width, justify="default", overflow="fold"))


def _strip(row: Text, width: int, style: Style, console: Console) -> Strip:
    row.stylize_before(row.style)  # Text.render drops the base style of a Text with no span
    row.stylize_before(style)
    return Strip(row.render(console)).extend_cell_length(width, style).crop(0, width)


def tail_rows(rows_of: Callable[[int], Sequence[Row]], count: int, height: int) -> list[Row]:
    """The newest ``height`` rows of ``count`` lines, oldest first; ``rows_of(i)`` gives
    line ``i``'s rows. Only the lines that show are asked for (from the newest back),
    so the top line may show only its last rows."""
    shown: list[Sequence[Row]] = []
    total = 0
    index = count
    while index > 0 and total < height:
        index -= 1
        rows = rows_of(index)
        shown.append(rows)
        total += len(rows)
    flat = [row for rows in reversed(shown) for row in rows]
    return flat[len(flat) - height:] if total > height else flat
