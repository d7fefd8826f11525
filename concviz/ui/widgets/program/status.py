"""The line under the title: the program's state, and what concviz changes about its
run (held threads, faster or slower sleeps), said as concviz's doing."""

from __future__ import annotations

from typing import NamedTuple

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from concviz.ui.renderables.chips import PROJECTOR, Palette, chip
from concviz.ui.widgets.program.layout import AutoRows
from concviz.watch.programs import PROCESSES_NOTE


class Status(NamedTuple):  # see catalogue.Card: why not a dataclass
    phase: str  # "starting", "running", "paused", "stepping" or "ended"
    exit_text: str = ""  # the session's, once the program ended
    speed: float = 1.0
    seed: int | None = None
    processes: bool = False  # the program starts processes: say what is not shown
    error: str = ""  # what went wrong on concviz's side (the program could not start...)


def headline(status: Status, palette: Palette) -> Text:
    match status.phase:
        case "ready":
            return Text.assemble(chip("○ ready", palette.item), " space runs it")
        case "starting":
            return chip("… starting", palette.item)
        case "running":
            return chip("▶ running", palette.hold)
        case "paused":
            return Text.assemble(chip("▮▮ PAUSED by concviz", palette.wait),
                                 " space resumes · . steps one operation")
        case "stepping":
            return Text.assemble(chip("▮▮ STEPPING (concviz)", palette.wait),
                                 " . lets one more operation through · space resumes")
    ended = palette.error if "died" in status.exit_text else palette.item
    return Text.assemble(chip(f"■ {status.exit_text or 'ended'}", ended), " r runs it again")


class StatusLine:
    """Rich renderable of a :class:`Status`: the headline, then concviz's changes, in
    ``palette``'s chips."""

    def __init__(self, status: Status, palette: Palette = PROJECTOR) -> None:
        self.status = status
        self.palette = palette

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        status, palette = self.status, self.palette
        line = Text()  # not the headline itself: a chip's style is its whole Text's
        line.append_text(headline(status, palette))
        if status.speed != 1:
            line.append("   ")
            line.append_text(chip(f"sleeps x{status.speed:g} (concviz)", palette.item))
        if status.seed is not None:
            line.append(f"   random.seed({status.seed}) by concviz", style=palette.dim)
        yield line
        if status.error:
            yield Text.assemble(chip("✗ concviz", palette.error), f" {status.error}")
        if status.processes:
            yield Text(f"⚠ {PROCESSES_NOTE}", style="bold")


class StatusView(AutoRows):
    """The status line; redrawn only when the :class:`Status` differs."""

    DEFAULT_CSS = """
    StatusView { padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.status: Status | None = None

    def show(self, status: Status) -> None:
        if status != self.status:
            self.status = status
            self.draw()

    def drawing(self) -> StatusLine:
        return StatusLine(self.status or Status("starting"), self.palette)
