"""Chips that carry a word and a symbol (never colour alone) and rows of cells that wrap
whole cells: the primitive pictures' and the watch screen's. Rich only, so the watch
screen draws them without loading the simulated engine the primitive demos need."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

HOLD = "bold black on green"
WAIT = "bold black on yellow"
ERROR = "bold white on red"
ITEM = "bold reverse"
DIM = "italic"  # quiet text; not "dim": grey on black fades out on a projector


def chip(text: str, style: str) -> Text:
    return Text(f" {text} ", style=style)


def names(label: str, who: Sequence[str], style: str = WAIT, empty: str = "nobody") -> Text:
    """``label`` then the names as one chip, or a dim ``empty``."""
    line = Text(f"{label} ")
    if who:
        line.append_text(chip(", ".join(who), style))
    else:
        line.append(empty, style=DIM)
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
