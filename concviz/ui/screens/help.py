"""The help screen (``?``): every key, read off the bindings themselves so it never lies."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

INTRO = (
    "concviz runs real threads and processes and draws what they do. "
    "Tab moves between panes; the keys of the focused pane show in the footer."
)


def key_table(title: str, bindings: list[BindingType], key_display) -> Table:
    table = Table(title=Text(title, style="bold"), title_justify="left", show_header=False,
                  box=None, padding=(0, 2, 0, 0), expand=True)
    table.add_column("key", style="bold reverse", justify="center", min_width=7)
    table.add_column("what it does", ratio=1)
    seen: set[str] = set()
    for binding in Binding.make_bindings(bindings):
        if binding.description and binding.action not in seen:  # "plus,equals_sign": one row
            seen.add(binding.action)
            table.add_row(Text(f" {key_display(binding)} "), Text(binding.description))
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close help"),
    ]

    def __init__(self, sections: list[tuple[str, list[BindingType]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(INTRO, classes="help-intro")
            for title, bindings in self.sections:
                yield Static(key_table(title, bindings, self.app.get_key_display))

    def on_mount(self) -> None:
        self.query_one("#help").border_title = "Help · every key"
        self.query_one("#help").border_subtitle = "escape closes"
