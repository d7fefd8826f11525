"""The runs as a table whose time column is also a bar chart: the slowest run fills
its bar, so the sizes compare at a glance; a running pool's bar grows live."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from concviz.ui.models.pool import RunView

SIZE, TIME, SPEED = 5, 9, 8  # column widths
MIN_BAR, MAX_BAR = 6, 30
MIN_RESULTS = 8


def speed_cell(run: RunView) -> Text:
    """The speed-up with an arrow, so faster and slower read without colour."""
    if run.speedup is None:
        return Text("   –    ")
    if run.run == 0:
        return Text("  base  ", style="bold")  # the others are compared with this run
    arrow, style = ("▲", "bold green") if run.speedup >= 1.05 else \
        ("▼", "bold red") if run.speedup <= 0.95 else ("=", "bold")
    return Text(f"{run.speedup:5.2f}x{arrow} ", style=style)


class RunRows:
    def __init__(self, runs: Sequence[RunView], now: float) -> None:
        self.runs = runs
        self.now = now

    def elapsed(self, run: RunView) -> float:
        return run.wall if run.state in ("done", "failed") else max(0.0, self.now - run.started)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        fixed = SIZE + TIME + SPEED
        bar = max(MIN_BAR, min(MAX_BAR, (width - fixed) // 2))
        results = width - fixed - bar - 1
        if results < MIN_RESULTS:
            bar, results = max(MIN_BAR, width - fixed - 1), 0
        head = Text(f"{'size':>4} {'time':>8} {'':<{bar}}{'speed-up':>{SPEED}} "
                    + ("results" if results else ""), style="italic")
        head.truncate(width, overflow="ellipsis")
        yield head
        longest = max((self.elapsed(r) for r in self.runs if r.state != "waiting"), default=0.0)
        for run in self.runs:
            line = Text(f"{run.size:>4} ", style="bold")
            if run.state == "waiting":
                line.append("· waiting", style="italic")
            elif run.state == "failed":
                line.append(f"{run.wall:7.3f}s ")
                line.append(f" ✗ FAILED {run.error} ", style="bold white on red")
            else:
                seconds = self.elapsed(run)
                filled = round(bar * seconds / longest) if longest > 0 else 0
                running = run.state == "running"
                line.append(f"{seconds:7.3f}s ", style="italic" if running else "bold")
                line.append("█" * filled, style="bold cyan" if running else "bold")
                line.append("░" * (bar - filled) + " ", style="dim")
                if running:
                    line.append(f"▶ {run.done}/{run.inputs} done", style="bold")
                else:
                    line.append_text(speed_cell(run))
                    if results:
                        shown = Text(str(list(run.results)))
                        shown.truncate(results, overflow="ellipsis")
                        line.append_text(shown)
            line.truncate(width, overflow="ellipsis")
            yield line
