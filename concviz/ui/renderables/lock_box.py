"""The lock: free or held, by whom, and who waits for it."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text


class LockBox:
    def __init__(self, owner: str | None, waiters: list[str], enabled: bool = True) -> None:
        self.owner = owner
        self.waiters = waiters
        self.enabled = enabled

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.enabled:
            warning = " ✗ NO LOCK: consumers check-then-act, races possible "
            yield Text(warning, style="bold white on red")
            return
        line = Text()
        if self.owner:
            line.append(f" ◆ LOCKED by {self.owner} ", style="bold black on green")
        else:
            line.append(" ○ free ", style="bold reverse")
        line.append("   ")
        if self.waiters:
            line.append(f" ■ waiting: {', '.join(self.waiters)} ", style="bold black on yellow")
        else:
            line.append("nobody waiting", style="italic")
        yield line
