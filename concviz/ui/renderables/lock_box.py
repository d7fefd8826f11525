"""The lock: free or held, by whom, and who waits for it."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text


def no_lock_warning(consumers: int, race_window: float) -> str:
    """What the missing lock means for this run, short enough for the lock's one line
    in a half-width pane: with one consumer nothing can race."""
    if consumers < 2:
        return " ✗ NO LOCK · one consumer: nothing to race with "
    if not race_window:
        return " ✗ NO LOCK · race window 0: rare races, still wrong "
    return f" ✗ NO LOCK · race window {race_window * 1000:g} ms · races possible "


class LockBox:
    def __init__(self, owner: str | None, waiters: list[str], enabled: bool = True,
                 warning: str = "", askers: tuple[str, ...] = ()) -> None:
        """``warning``: what is said when the lock is off (see :func:`no_lock_warning`);
        ``askers``: threads in ``acquire()`` that have not yet found it taken."""
        self.owner = owner
        self.waiters = waiters
        self.askers = askers
        self.enabled = enabled
        self.warning = warning

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.enabled:
            yield Text(self.warning or " ✗ NO LOCK ", style="bold white on red")
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
        if self.askers:
            line.append(f"   ? asks: {', '.join(self.askers)}", style="bold")
        yield line
