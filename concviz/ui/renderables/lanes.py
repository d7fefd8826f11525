"""Thread lanes: a row per thread with its symbol, state word and a sleep countdown."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from concviz.ui.models.lanes import Lane, Lanes, LaneState

STYLES = {
    LaneState.STARTING: "italic",
    LaneState.RUNNING: "bold",
    LaneState.SLEEPING: "cyan",
    LaneState.FINISHED: "green",
    LaneState.FAILED: "bold white on red",
}
BAR = 12
STATE_WIDTH = max(len(s.word) for s in LaneState) + 2


def countdown(lane: Lane, now: float) -> Text:
    """A shrinking bar and the seconds left of a sleep."""
    if lane.until is None:
        return Text("")
    total = max(lane.until - lane.since, 1e-9)
    left = max(0.0, lane.until - now)
    filled = round(BAR * left / total)
    return Text.assemble(("█" * filled, "cyan"), ("░" * (BAR - filled), "dim"), f" {left:4.2f}s")


class LanesView:
    """Rich renderable of a :class:`Lanes` model at demo time ``now``.

    Plain aligned Text lines, not a Table: this is redrawn ~10 times a second.
    """

    def __init__(self, lanes: Lanes, now: float) -> None:
        self.lanes = lanes
        self.now = now

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lanes = list(self.lanes.lanes.values())
        if not lanes:
            yield Text("no threads yet", style="italic")
            return
        name_width = max(len(lane.name) for lane in lanes)
        for lane in lanes:
            state = f"{lane.state.symbol} {lane.state.word}"
            line = Text.assemble(
                (lane.name.ljust(name_width), "bold"),
                " ",
                (state.ljust(STATE_WIDTH), STYLES[lane.state]),
                " ",
                countdown(lane, self.now) if lane.until is not None else lane.detail,
            )
            line.truncate(options.max_width, overflow="ellipsis")
            yield line
