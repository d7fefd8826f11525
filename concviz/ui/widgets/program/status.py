"""The line under the title: the program's state, and what concviz changes about its
run (held threads, faster or slower sleeps), said as concviz's doing."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from concviz.ui.renderables.chips import DIM, ERROR, HOLD, WAIT, chip
from concviz.watch.programs import PROCESSES_NOTE


@dataclass(frozen=True)
class Status:
    phase: str  # "starting", "running", "paused", "stepping" or "ended"
    exit_text: str = ""  # the session's, once the program ended
    speed: float = 1.0
    seed: int | None = None
    processes: bool = False  # the program starts processes: say what is not shown
    error: str = ""  # what went wrong on concviz's side (the program could not start...)


def headline(status: Status) -> Text:
    match status.phase:
        case "starting":
            return chip("… starting", "bold reverse")
        case "running":
            return chip("▶ running", HOLD)
        case "paused":
            return Text.assemble(chip("▮▮ PAUSED by concviz", WAIT),
                                 " space resumes · . steps one operation")
        case "stepping":
            return Text.assemble(chip("▮▮ STEPPING (concviz)", WAIT),
                                 " . lets one more operation through · space resumes")
    ended = ERROR if "died" in status.exit_text else "bold reverse"
    return Text.assemble(chip(f"■ {status.exit_text or 'ended'}", ended), " r runs it again")


class StatusLine:
    """Rich renderable of a :class:`Status`: the headline, then concviz's changes."""

    def __init__(self, status: Status) -> None:
        self.status = status

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        status = self.status
        line = Text()
        line.append_text(headline(status))  # a chip's style is the whole Text's: not ours
        if status.speed != 1:
            line.append("   ")
            line.append_text(chip(f"sleeps x{status.speed:g} (concviz)", "bold reverse"))
        if status.seed is not None:
            line.append(f"   random.seed({status.seed}) by concviz", style=DIM)
        yield line
        if status.error:
            yield Text.assemble(chip("✗ concviz", ERROR), f" {status.error}")
        if status.processes:
            yield Text(f"⚠ {PROCESSES_NOTE}", style="bold")
