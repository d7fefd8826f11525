"""The globals the program shows (``--show NAME``, ``# concviz: show NAME``): a list as
cells, a number big and bold, a dict as key/value cells, anything else as its repr."""

from __future__ import annotations

from typing import Any

from rich.console import Console, ConsoleOptions, RenderResult
from rich.style import Style
from rich.text import Text

from concviz.engine.words import plural
from concviz.ui.renderables.chips import PROJECTOR, Palette, chip, flow
from concviz.ui.widgets.program.layout import AutoRows
from concviz.watch.state import ProgramState

CELL_WIDTH = 16  # an item's text is cut to this in its cell
MAX_ROWS = 3  # rows of cells a value may take; the rest is counted


def as_python(value: Any) -> str:
    """A value as Python prints it: JSON's null is None, a string has its quotes, and
    what the probe could only repr (``{"repr": ...}``) is that repr."""
    if isinstance(value, dict) and set(value) == {"repr"}:
        return str(value["repr"])
    if isinstance(value, list):
        return "[" + ", ".join(map(as_python, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key!r}: {as_python(item)}" for key, item in value.items()) + "}"
    return repr(value)


def cell(text: str, item: Style) -> Text:
    return chip(text if len(text) <= CELL_WIDTH else text[:CELL_WIDTH - 1] + "…", item)


def cells(items: list[Text], width: int, lead: Text, dim: Style, beyond: int = 0) -> list[Text]:
    """``lead`` then the cells, on at most ``MAX_ROWS`` rows; the last says how many
    more there are when they do not all fit (``beyond``: those never made into cells)."""

    def rows(shown: int) -> list[Text]:
        hidden = len(items) - shown + beyond
        more = [Text(f"… +{hidden} more", dim)] if hidden else []
        return flow([lead, *items[:shown], *more], width)

    # the most cells that fit: rows only grow with cells, so halve the range (a list of
    # a thousand items is drawn at every beat)
    low, high = 0, len(items)
    while low < high:
        middle = (low + high + 1) // 2
        if len(rows(middle)) <= MAX_ROWS:
            low = middle
        else:
            high = middle - 1
    return rows(low) if len(rows(low)) <= MAX_ROWS else flow([lead], width)


def value_rows(name: str, value: Any, width: int, palette: Palette) -> list[Text]:
    lead = Text(f"{name} =", style="bold")
    item, dim = palette.item, palette.dim
    room = MAX_ROWS * width // 3  # the cells that could fit: with its gap, 3 columns or more
    if isinstance(value, list):
        lead.append(f" ({plural(len(value), 'item')})", style=dim)
        return cells([cell(as_python(entry), item) for entry in value[:room]]
                     or [Text("[]", dim)], width, lead, dim, max(0, len(value) - room))
    if isinstance(value, dict) and set(value) != {"repr"}:
        shown = list(value.items())[:room]
        return cells([cell(f"{key!r}: {as_python(entry)}", item) for key, entry in shown]
                     or [Text("{}", dim)], width, lead, dim, len(value) - len(shown))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return flow([lead, chip(str(value), item)], width)
    return flow([lead, Text(as_python(value))], width)


class ShownData:
    """Rich renderable: each shown global, in the order the program first changed it,
    its cells in ``palette``'s."""

    def __init__(self, data: dict[str, Any], palette: Palette = PROJECTOR) -> None:
        self.data = data
        self.palette = palette

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        for name, value in self.data.items():
            for row in value_rows(name, value, width, self.palette):
                row.truncate(width, overflow="ellipsis")
                yield row


class DataView(AutoRows):
    """Shown only when the program shows data (the screen hides it otherwise)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.data: dict[str, Any] = {}

    def show(self, state: ProgramState) -> None:
        """Redraw, if a shown global changed (each change is a new value: the fold
        never changes one in place)."""
        if state.data != self.data:
            self.data = dict(state.data)
            self.draw()

    def drawing(self) -> ShownData:
        return ShownData(self.data, self.palette)
