"""A catalogue entry in a pane, for the gallery and the lesson: a program file runs under
the probe in a :class:`ProgramPane`; an engine demo (it starts processes, which the probe
does not follow yet) in a :class:`GalleryDemoPane`: its card, its thread lanes, its own
picture (a ``StateView``) and its transcript, with the transport keys every pane has."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType

from rich.text import Text
from textual.app import ComposeResult

from concviz.engine.demo import Demo
from concviz.engine.events import Event
from concviz.programs.catalogue import Card, Entry
from concviz.ui.demo_pane import DemoPane
from concviz.ui.models.lanes import Lanes
from concviz.ui.models.state_view import StateView
from concviz.ui.renderables.card import card_table
from concviz.ui.widgets.drawing import Drawing
from concviz.ui.widgets.event_log import EventLog
from concviz.ui.widgets.lanes import ThreadLanes
from concviz.ui.widgets.program.pane import ProgramPane
from concviz.watch.programs import Program

LineFor = Callable[[Event], str | None]
FoldLanes = Callable[[Lanes, Event], None]  # Lanes.apply, or a demo family's richer fold


def program_pane(entry: Entry, **options) -> ProgramPane:
    """The program file of ``entry`` in a pane, with the views it opens with; ``options``
    go to :class:`ProgramPane` (seed, speed, knobs, autostart, clock)."""
    assert entry.path is not None, f"{entry.name} is an engine demo, not a program file"
    program = Program(entry.path, entry.name, entry.summary, entry.processes, entry.show)
    pane = ProgramPane(program, views=entry.views, **options)
    if entry.card is not None:
        pane.title_text = f"{entry.card.title} · {entry.name}"
    return pane


def engine_pane(entry: Entry, **options) -> GalleryDemoPane:
    """The engine demo of ``entry`` (``module:Class``) with the picture, lane fold and
    transcript its command module gives it; ``options`` go to the pane (seed, speed,
    autostart)."""
    module, _, name = entry.engine.partition(":")
    demo: type[Demo] = getattr(importlib.import_module(module), name)
    command, view, fold = _shown_by(demo)
    assert entry.card is not None, f"{entry.name} has no card"
    return GalleryDemoPane(demo, entry.card, view, fold, command.transcript_line,
                           getattr(command, "summary_line", None), **options)


def _shown_by(demo: type[Demo]) -> tuple[ModuleType, Callable[[], StateView], FoldLanes]:
    """A failure demo's (mp-counter, mp-queue, process-exception) or the seed's Process."""
    if demo.__module__.startswith("concviz.engine.failures."):
        from concviz.commands import failures
        from concviz.ui.renderables.failures import VIEWS

        return failures, VIEWS[demo.name], Lanes.apply
    from concviz.commands import seed_process
    from concviz.ui.renderables.process_view import ProcessView

    return seed_process, ProcessView, Lanes.apply


class GalleryDemoPane(DemoPane):
    def __init__(
        self,
        demo_class: type[Demo],
        card: Card,
        make_view: Callable[[], StateView],
        fold_lanes: FoldLanes,
        transcript_line: LineFor,
        summary_line: LineFor | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.demo_class = demo_class
        self.card = card
        self.make_view = make_view
        self.fold_lanes = fold_lanes
        self.transcript_line = transcript_line
        self.summary_line = summary_line
        self.view = make_view()
        self.lanes = Lanes()
        self.last_t = 0.0  # the demo time of the newest event shown
        self._dirty = False
        self._state_rows = 0
        self.title_text = f"{card.title} · {demo_class.name}"

    def compose(self) -> ComposeResult:
        yield Drawing(classes="gallery-card")
        yield ThreadLanes(classes="gallery-lanes")
        yield Drawing(classes="gallery-state")
        yield EventLog(classes="gallery-log")

    def on_mount(self) -> None:
        card = self.query_one(".gallery-card", Drawing)
        card.show(card_table(self.card), key=self.card)
        self.query_one(".gallery-log", EventLog).write(Text(self.demo_class.summary, "italic"))
        self._draw()  # Textual calls DemoPane.on_mount after this: no super() call

    def make_demo(self) -> Demo:
        return self.demo_class(seed=self.seed, speed=self.speed)

    def reset_view(self) -> None:
        self.view, self.lanes, self.last_t = self.make_view(), Lanes(), 0.0
        log = self.query_one(EventLog)
        log.clear()
        log.write(Text(f"New run · seed {self.seed} · {self.demo_class.summary}", "bold"))
        self._draw()

    def apply(self, events: list[Event]) -> None:
        log = self.query_one(EventLog)
        for event in events:
            self.fold_lanes(self.lanes, event)
            self.view.apply(event)
            for line_for, style in ((self.transcript_line, ""), (self.summary_line, "bold")):
                said = line_for(event) if line_for is not None else None
                for line in (said or "").splitlines():
                    log.write(Text(line, style))
        self.last_t = events[-1].t
        self._dirty = True

    def tick(self) -> None:
        """Redraw after new events, and while running also without: countdowns (and a
        picture that reads the clock) move between events."""
        if self._dirty or self.running:
            self._draw()

    def _draw(self) -> None:
        self._dirty = False
        now = self.demo.now() if self.running else self.last_t
        self.query_one(ThreadLanes).show(self.lanes, now)
        state = self.query_one(".gallery-state", Drawing)
        picture = self.view.render(now)
        console = self.app.console
        width = max(1, state.content_size.width)
        rows = len(console.render_lines(picture, console.options.update_width(width)))
        state.show(picture, key=object(), layout=rows != self._state_rows)  # auto height
        self._state_rows = rows
