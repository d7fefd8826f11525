"""Chips that carry a word and a symbol (never colour alone) and rows of cells that wrap
whole cells: the primitive pictures' and the watch screen's. Rich only, so the watch
screen draws them without loading the simulated engine the primitive demos need.

Their colours come in a :class:`Palette`: a widget fills one from its component classes
(the theme's colours); the defaults are the projector's, for a renderable drawn without
an app (a test, the primitive pictures)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from rich.style import Style
from rich.text import Text

HOLD = Style.parse("bold black on green")
WAIT = Style.parse("bold black on yellow")
ERROR = Style.parse("bold white on red")
ITEM = Style.parse("bold reverse")
DIM = Style.parse("italic")  # quiet text; not "dim": grey on black fades out on a projector


class Palette(NamedTuple):  # see catalogue.Card: why not a dataclass
    """The chips' styles: held (or set, or running), waiting, an error, an item (a value
    in a cell, a free slot) and quiet text."""

    hold: Style = HOLD
    wait: Style = WAIT
    error: Style = ERROR
    item: Style = ITEM
    dim: Style = DIM


PROJECTOR = Palette()  # the defaults: the projector theme's colours


def chip(text: str, style: Style | str) -> Text:
    return Text(f" {text} ", style=style)


def names(label: str, who: Sequence[str], style: Style | str = WAIT, empty: str = "nobody",
          dim: Style | str = DIM) -> Text:
    """``label`` then the names as one chip, or a quiet ``empty``."""
    line = Text(f"{label} ")
    if who:
        line.append_text(chip(", ".join(who), style))
    else:
        line.append(empty, style=dim)
    return line


def flow(cells: list[Text], width: int) -> list[Text]:
    """Cells left to right with one space between, a new row when one would not fit."""
    rows, row = [], Text()
    for cell in cells:
        if row and len(row) + 1 + len(cell) > width:
            rows.append(row)
            row = Text("  ")
        elif row and row.plain.strip():
            row.append(" ")
        row.append_text(cell)
    rows.append(row)
    return rows
