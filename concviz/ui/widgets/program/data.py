"""The globals the program shows (``--show NAME``, ``# concviz: show NAME``): a list as
cells, a number big and bold, a dict as key/value cells, anything else as its repr."""

from __future__ import annotations

from typing import Any

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from concviz.engine.words import plural
from concviz.ui.renderables.chips import DIM, ITEM, chip, flow
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


def cell(text: str) -> Text:
    return chip(text if len(text) <= CELL_WIDTH else text[:CELL_WIDTH - 1] + "…", ITEM)


def cells(items: list[Text], width: int, lead: Text) -> list[Text]:
    """``lead`` then the cells, on at most ``MAX_ROWS`` rows; the last says how many
    more there are when they do not all fit."""
    most = min(len(items), MAX_ROWS * width // 3)  # a cell and its gap take 3 columns or more
    for shown in range(most, -1, -1):
        more = [Text(f"… +{len(items) - shown} more", DIM)] if shown < len(items) else []
        rows = flow([lead, *items[:shown], *more], width)
        if len(rows) <= MAX_ROWS:
            return rows
    return flow([lead], width)


def value_rows(name: str, value: Any, width: int) -> list[Text]:
    lead = Text(f"{name} =", style="bold")
    if isinstance(value, list):
        lead.append(f" ({plural(len(value), 'item')})", style=DIM)
        return cells([cell(as_python(item)) for item in value] or [Text("[]", DIM)],
                     width, lead)
    if isinstance(value, dict) and set(value) != {"repr"}:
        return cells([cell(f"{key!r}: {as_python(item)}") for key, item in value.items()]
                     or [Text("{}", DIM)], width, lead)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return flow([lead, Text(f" {value} ", style="bold reverse")], width)
    return flow([lead, Text(as_python(value))], width)


class ShownData:
    """Rich renderable: each shown global, in the order the program first changed it."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        for name, value in self.data.items():
            for row in value_rows(name, value, width):
                row.truncate(width, overflow="ellipsis")
                yield row


class DataView(AutoRows):
    """Shown only when the program shows data (the screen hides it otherwise)."""


    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.data: dict[str, Any] = {}

    def show(self, state: ProgramState) -> None:
        self.data = dict(state.data)
        self.draw(ShownData(self.data))
