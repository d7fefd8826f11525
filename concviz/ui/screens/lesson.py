"""``concviz lesson``: the seed's questions one screen each, the live demo beside the
explanation and the talking points; n and b turn the pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from concviz.lesson import PAGES, Page
from concviz.programs import catalogue
from concviz.ui.labels import LABEL_MARGIN, shortest_needed
from concviz.ui.pane import Pane
from concviz.ui.widgets.code_panel import CodePanel
from concviz.ui.widgets.key_footer import KeyFooter
from concviz.ui.widgets.title_bar import TitleBar

PaneFactory = Callable[[], list[Pane]]


def lesson_demos() -> dict[int, PaneFactory]:
    """The live demos of each lesson page (seed question number -> its panes): the
    catalogue's programs for that page (its ``page``), the first one running, each in the
    dashboard's pane when it has one (the same keys: l, p, o; x, f); the pool and the
    process demos on the engine (the probe does not follow processes yet)."""
    from concviz.ui.panes.gallery import engine_pane, program_pane  # load on use
    from concviz.ui.panes.pool import PoolPane
    from concviz.ui.panes.programs import FuturesPane, ProducerConsumerPane

    entries = catalogue.CATALOGUE
    dashboard = {pane.ENTRY: pane for pane in (ProducerConsumerPane, FuturesPane)}

    def pane_for(name: str, **options: Any) -> Pane:
        kind = dashboard.get(name)
        return kind(**options) if kind is not None else program_pane(entries[name], **options)

    def on_page(number: int) -> list[Pane]:
        names = [entry.name for entry in entries.values() if entry.page == number]
        return [pane_for(name, autostart=index == 0) for index, name in enumerate(names)]

    return {
        # ques.1: CPU-bound work on two threads, then (space in the right pane) on two
        # processes; one after the other, so the core meters show each alone
        1: lambda: [PoolPane(workload="primes", executor="threads", sizes=(2,), autostart=True),
                    PoolPane(workload="primes", executor="pool", sizes=(2,))],
        2: lambda: [PoolPane(executor="process-executor", sizes=(4,), autostart=True)],
        3: lambda: [engine_pane(entries["process"], autostart=True)],
        4: lambda: on_page(4),
        5: lambda: [*on_page(5), engine_pane(entries["mp-counter"])],
        # factorial(7) raises: result() raises it again in the thread that asks
        6: lambda: [*on_page(6), pane_for("futures", knobs={"FAIL": "7"}, autostart=False)],
        7: lambda: on_page(7),
        8: lambda: [PoolPane(autostart=True)],
    }


def talking_points(page: Page) -> Group:
    points = Table.grid(padding=(0, 1))
    points.add_column(style="bold", no_wrap=True)
    points.add_column(ratio=1)
    card = page.points
    for label, text in (("Solves", card.purpose), ("Use when", card.use_when),
                        ("Trade-off", card.trade_off), ("Say it", card.say_in_class)):
        points.add_row(f"{label}:", Text(text))  # plain: code has brackets
    return Group(
        Text(page.question, style="italic"),
        Text(""),
        Text(page.explanation),
        Text(""),
        Text(f"Talking points · {card.title}", style="bold underline"),
        points,
    )


class LessonScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,right,pagedown", "turn(1)", "Next page", key_display="n"),
        Binding("b,left,pageup", "turn(-1)", "Back", key_display="b"),
        Binding("escape", "app.pop_screen", "Dashboard"),
    ]

    def __init__(self, demos: dict[int, PaneFactory], page: int = 1) -> None:
        super().__init__()
        self.demos = demos
        self.index = max(0, min(len(PAGES) - 1, page - 1))

    @property
    def page(self) -> Page:
        return PAGES[self.index]

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="lesson"):
            yield Horizontal(id="lesson-demo")
            with VerticalScroll(id="lesson-text"):
                yield Static(id="lesson-points")
            yield CodePanel(id="code")
        yield KeyFooter(compact=True, show_command_palette=False)

    async def on_mount(self) -> None:
        await self.show_page()

    async def show_page(self) -> None:
        """Show the page; the old page's panes are wholly removed and the new ones wholly
        mounted before the next key is handled (a burst of keys must never crash)."""
        page = self.page
        self.sub_title = f"Lesson · ques.{page.number} of {len(PAGES)}: {page.title}"
        text = self.query_one("#lesson-text")
        text.border_title = f"ques.{page.number} · {page.title}"
        text.border_subtitle = "n next · b back"
        self.query_one("#lesson-points", Static).update(talking_points(page))
        demo = self.query_one("#lesson-demo")
        await demo.remove_children()  # unmounting a pane stops its demo's threads and processes
        factory = self.demos.get(page.number)
        demo.display = factory is not None
        panes: list[Widget] = list(factory()) if factory is not None else []
        if panes:
            await demo.mount_all(panes)
            panes[0].focus()
        self.call_after_refresh(self.fit_borders)  # once the panes have their widths

    def on_resize(self) -> None:
        self.call_after_refresh(self.fit_borders)

    def fit_borders(self) -> None:
        """The lesson text's title as it fits its border (the panes fit their own)."""
        text = self.query_one("#lesson-text")
        room = text.outer_size.width - LABEL_MARGIN
        page = self.page
        text.border_title = Content(shortest_needed(f"ques.{page.number} · {page.title}", room))

    async def action_turn(self, step: int) -> None:
        index = self.index + step
        if 0 <= index < len(PAGES):
            self.index = index
            await self.show_page()
