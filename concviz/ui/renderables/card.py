"""A gallery demo's teaching card: what it is for, when to use it, its cost, what to say."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from concviz.engine.card import Card

ROWS = (("For", "purpose"), ("Use when", "use_when"), ("Trade-off", "trade_off"),
        ("Say it", "say_in_class"))


def card_table(card: Card) -> Table:
    """Labels in a column of their own, so the card reads down the left edge."""
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    for label, attr in ROWS:
        table.add_row(f"{label}:", Text(getattr(card, attr)))  # plain: code has brackets
    return table
