"""The help screen (``?``): every key, read off the bindings themselves so it never lies."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

INTRO = (  # the dashboard's; a screen of another kind gives its own (the watch screen)
    "concviz runs real threads and processes and draws what they do. "
    "Tab moves between panes; the keys of the focused pane show in the footer."
)


def rows(bindings: list[BindingType], key_display) -> list[tuple[str, str]]:
    """One row a key: a binding on several keys ("plus,equals_sign") is one row, and a
    key an earlier row already names ("-" in "+/- Speed") gets none of its own."""
    found: list[tuple[str, str]] = []
    actions: set[str] = set()
    named: set[str] = set()
    for binding in Binding.make_bindings(bindings):
        key = key_display(binding)
        if not binding.description or binding.action in actions or key in named:
            continue
        actions.add(binding.action)
        named.update(key.split("/"), [key])
        found.append((key, binding.description))
    return found


def key_table(title: str, bindings: list[BindingType], key_display) -> Table:
    table = Table(title=Text(title, style="bold"), title_justify="left", show_header=False,
                  box=None, padding=(0, 2, 0, 0), expand=True)
    table.add_column("key", style="bold reverse", justify="center", min_width=7)
    table.add_column("what it does", ratio=1)
    for key, description in rows(bindings, key_display):
        table.add_row(Text(f" {key} "), Text(description))
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close help"),
        Binding("s", "app.save_svg", "Screenshot"),  # the help itself is worth showing
    ]

    def __init__(self, sections: list[tuple[str, list[BindingType]]], intro: str = INTRO) -> None:
        """``intro``: what the screen that opened the help shows, before its keys (plain
        text: never read as markup)."""
        super().__init__()
        self.sections = sections
        self.intro = intro

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Content(self.intro), classes="help-intro")
            for title, bindings in self.sections:
                yield Static(key_table(title, bindings, self.app.get_key_display))

    def on_mount(self) -> None:
        self.query_one("#help").border_title = "Help · every key"
        self.query_one("#help").border_subtitle = "escape closes · s screenshot"
