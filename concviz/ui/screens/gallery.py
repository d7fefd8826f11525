"""The gallery (g): every primitive and failure demo in a picker; the chosen one's
card, lanes, picture and transcript beside it, run with the usual pane keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal
from textual.events import DescendantFocus
from textual.screen import Screen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from concviz.cli import command_modules
from concviz.engine.demo import Demo
from concviz.engine.failures import GALLERY as FAILURES
from concviz.engine.primitives import GALLERY as PRIMITIVES
from concviz.engine.seed_process import SeedProcess
from concviz.ui.models.lanes import Lanes
from concviz.ui.models.state_view import StateView
from concviz.ui.panes.gallery import FoldLanes, GalleryDemoPane
from concviz.ui.renderables.failures import VIEWS as FAILURE_VIEWS
from concviz.ui.renderables.failures import fold_lanes as fold_failure_lanes
from concviz.ui.renderables.primitives import VIEWS as PRIMITIVE_VIEWS
from concviz.ui.renderables.primitives import fold_lanes as fold_primitive_lanes
from concviz.ui.renderables.process_view import ProcessView
from concviz.ui.widgets.code_panel import CodePanel
from concviz.ui.widgets.key_footer import KeyFooter
from concviz.ui.widgets.title_bar import TitleBar

CSS = Path(__file__).parent.parent / "styles" / "gallery.tcss"
Views = dict[str, Callable[[], StateView]]
SECTIONS: tuple[tuple[str, list[type[Demo]], Views, FoldLanes], ...] = (
    ("Primitives (ques.5)", PRIMITIVES, PRIMITIVE_VIEWS, fold_primitive_lanes),
    ("Failures (ques.5-6)", FAILURES, FAILURE_VIEWS, fold_failure_lanes),
    ("Seed programs", [SeedProcess], {SeedProcess.name: ProcessView}, Lanes.apply),
)


@dataclass(frozen=True)
class Entry:
    """One demo of the gallery and what shows it: its lanes, picture and transcript."""

    demo: type[Demo]
    view: Callable[[], StateView]
    fold_lanes: FoldLanes
    module: ModuleType  # its command module: transcript_line (and summary_line)

    def pane(self, **kwargs) -> GalleryDemoPane:
        return GalleryDemoPane(self.demo, self.view, self.fold_lanes, self.module.transcript_line,
                               getattr(self.module, "summary_line", None), **kwargs)


def gallery_pane(name: str, **kwargs) -> GalleryDemoPane:
    """Demo ``name`` of the gallery in a pane of its own (the lesson uses these)."""
    entry = next(e for _, entries in sections() for e in entries if e.demo.name == name)
    return entry.pane(**kwargs)


def sections() -> list[tuple[str, list[Entry]]]:
    modules = {name: module for module in command_modules() for name in module.NAMES}
    return [
        (title, [Entry(demo, views[demo.name], fold, modules[demo.name]) for demo in gallery])
        for title, gallery, views, fold in SECTIONS
    ]


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

    def __init__(self, *, seed: int = 0, speed: float = 1.0, run: str | None = None) -> None:
        """``run``: a demo to open on and start (``concviz run lock``)."""
        super().__init__()
        self.seed = seed
        self.speed = speed
        self.run = run
        self.sections = sections()
        self.entries = {e.demo.name: e for _, entries in self.sections for e in entries}
        self.pane: GalleryDemoPane | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="gallery"):
            options: list[Option] = []
            for title, entries in self.sections:
                options.append(Option(Text(title, style="bold underline"), disabled=True))
                options += [Option(f" {e.demo.name}", id=e.demo.name) for e in entries]
            yield DemoPicker(*options, id="gallery-picker")
            yield Container(id="gallery-demo")
            yield CodePanel(id="code")
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Gallery · sync primitives, failures and the seed's programs"
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

    async def show(self, name: str) -> GalleryDemoPane:
        """The pane of demo ``name`` (a new one unless it is already shown).

        The old pane is wholly removed and the new one wholly mounted before the next
        key is handled: under a burst of keys a pane removed while it was still being
        mounted once found its own children gone.
        """
        if self.pane is not None and self.pane.demo_class.name == name:
            return self.pane
        entry = self.entries[name]
        box = self.query_one("#gallery-demo")
        await box.remove_children()  # unmounting a pane stops its demo's threads and processes
        self.pane = entry.pane(seed=self.seed, speed=self.speed)
        await box.mount(self.pane)
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
        pane = await self.show(event.option.id)
        pane.focus()
        if pane.running:
            return
        if pane.demo is not None:  # it ran before: a new run, and the screen says so
            pane.restart(f"{event.option.id} · seed {pane.seed}")
        else:
            pane.start_run()

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """On a small terminal the running demo takes the whole width (see gallery.tcss)."""
        self.set_class(event.widget is self.pane, "-demo")

    def action_back(self) -> None:
        """From the demo back to the picker; from the picker back to the dashboard."""
        if self.focused is self.picker:
            self.app.pop_screen()
        else:
            self.picker.focus()
