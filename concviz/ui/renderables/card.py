"""A catalogue program's teaching card: what it is for, when to use it, its cost, what
to say."""

from __future__ import annotations

from rich.text import Text

from concviz.programs.catalogue import Card

ROWS = (("For", "purpose"), ("Use when", "use_when"), ("Trade-off", "trade_off"),
        ("Say it", "say_in_class"))


def card_table(card: Card) -> Text:
    """Each row a paragraph led by its bold label: in a pane a third of the screen wide a
    column of labels took ten columns from every line, and the card twice the rows."""
    rows = (Text.assemble((f"{label}: ", "bold"), getattr(card, attr)) for label, attr in ROWS)
    return Text("\n").join(rows)  # plain: code has brackets
