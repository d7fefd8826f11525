"""The gallery (g): the catalogue's programs in a picker, section by section; the chosen
one's card above its pane, run with the pane's keys. A program file runs under the probe
(its code in the code panel, c); a demo that starts processes runs on the engine."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal
from textual.events import DescendantFocus
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from concviz.programs import catalogue
from concviz.programs.catalogue import Entry
from concviz.ui.pane import Pane
from concviz.ui.panes.gallery import engine_pane, program_pane
from concviz.ui.renderables.card import card_table
from concviz.ui.widgets.code_panel import CodePanel
from concviz.ui.widgets.key_footer import KeyFooter
from concviz.ui.widgets.title_bar import TitleBar

CSS = Path(__file__).parent.parent / "styles" / "gallery.tcss"


def sections() -> list[tuple[str, list[Entry]]]:
    """The catalogue's sections in order, each with what the gallery runs: every program
    file, and the engine demos but the pool (the dashboard's pane shows it)."""
    return [(section, [entry for entry in catalogue.in_section(section)
                       if entry.file or section != catalogue.DASHBOARD])
            for section in catalogue.SECTIONS]


def card_text(entry: Entry) -> Text:
    """The program's card; a program without one (most of the seed's): its summary."""
    return card_table(entry.card) if entry.card is not None else Text(entry.summary, "italic")


class DemoPicker(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,space", "select", "Run it", key_display="space"),
    ]


class GalleryScreen(Screen[None]):
    CSS_PATH = CSS
    AUTO_FOCUS = ""  # on_mount focuses the picker, or the demo it opens on
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("g", "app.pop_screen", "Dashboard"),
    ]
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (32, "-tall")]

    def __init__(self, *, seed: int = 0, speed: float = 1.0, run: str | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """``run``: a demo to open on and start (``concviz run lock``); ``clock``: the
        program panes' (for tests)."""
        super().__init__()
        self.seed = seed
        self.speed = speed
        self.run = run
        self.clock = clock
        self.sections = sections()
        self.entries = {e.name: e for _, entries in self.sections for e in entries}
        self.pane: Pane | None = None
        self.shown: str | None = None  # the name of the entry the pane runs

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="gallery"):
            options: list[Option] = []
            for title, entries in self.sections:
                options.append(Option(Text(title, style="bold underline"), disabled=True))
                options += [Option(f" {e.name}", id=e.name) for e in entries]
            yield DemoPicker(*options, id="gallery-picker")
            yield Container(id="gallery-demo")
            yield CodePanel(id="code")
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Gallery · the catalogue's programs"
        picker = self.query_one(DemoPicker)
        picker.border_title = "Gallery"
        picker.border_subtitle = "space runs"
        if self.run is None:
            picker.highlighted = 1  # the first demo, under the first heading
            picker.focus()
            return
        picker.highlighted = picker.get_option_index(self.run)  # show() starts it

    @property
    def picker(self) -> DemoPicker:
        return self.query_one(DemoPicker)

    async def show(self, name: str) -> Pane:
        """The pane of entry ``name`` (a new one unless it is already shown), below its
        card; a program's pane waits for space.

        The old pane is wholly removed and the new one wholly mounted before the next
        key is handled: under a burst of keys a pane removed while it was still being
        mounted once found its own children gone.
        """
        if self.pane is not None and self.shown == name:
            return self.pane
        entry = self.entries[name]
        box = self.query_one("#gallery-demo")
        await box.remove_children()  # unmounting a pane ends its program or demo
        if entry.file:
            self.pane = program_pane(entry, seed=self.seed, speed=self.speed,
                                     autostart=False, clock=self.clock)
            await box.mount(Static(card_text(entry), classes="gallery-card"), self.pane)
        else:  # the engine pane shows its own card
            self.pane = engine_pane(entry, seed=self.seed, speed=self.speed)
            await box.mount(self.pane)
        self.shown = name
        if name == self.run:  # the demo the gallery was opened on: once, and started
            self.run = None
            self.pane.focus()
            self.pane.start_run()
        return self.pane

    @on(OptionList.OptionHighlighted)
    async def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        await self.show(event.option.id)

    @on(OptionList.OptionSelected)
    async def _selected(self, event: OptionList.OptionSelected) -> None:
        """Enter or space: run the program; one that ran before runs anew, and the screen
        says so (one still running goes on)."""
        name = event.option.id
        pane = await self.show(name)
        pane.focus()
        if pane.running:  # one still running goes on
            return
        if pane.has_run:
            pane.restart(f"{name} · seed {pane.seed}")
        else:
            pane.start_run()

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """On a small terminal the running demo takes the whole width (see gallery.tcss)."""
        self.set_class(self.pane is not None and self.pane in event.widget.ancestors_with_self,
                       "-demo")

    def action_back(self) -> None:
        """From the demo back to the picker; from the picker back to the dashboard."""
        if self.focused is self.picker:
            self.app.pop_screen()
        else:
            self.picker.focus()
