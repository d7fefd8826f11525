"""A program listing, syntax highlighted, with the line each thread is at marked."""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

GUTTER = 14  # columns for the thread names beside the code


class CodeView:
    """``marks`` maps a thread's name to its current line (1-based); the threads in
    ``done`` have ended there (shown with a tick)."""

    def __init__(self, code: str, marks: dict[str, int], done: frozenset[str] = frozenset()):
        self.code = code
        self.marks = marks
        self.done = done
        self.lines = len(code.splitlines())

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        at: dict[int, list[str]] = defaultdict(list)
        for thread, line in sorted(self.marks.items()):
            at[line].append(f"{thread} ✓" if thread in self.done else thread)
        gutter = min(GUTTER, max((len(", ".join(names)) for names in at.values()), default=0))
        from rich.syntax import Syntax  # pygments: imported when the panel first opens

        # ansi_dark uses the terminal's own palette: readable on 16 colours and any theme
        highlighted = Syntax(self.code, "python", theme="ansi_dark").highlight(self.code)
        for number, line in enumerate(highlighted.split("\n"), 1):
            if number > self.lines:
                break
            names = ", ".join(at.get(number, ()))
            if len(names) > gutter:
                names = names[: gutter - 1] + "…"
            row = Text(f"{names:>{gutter}}", style="bold")
            row.append(" ▶ " if names else "   ", style="bold")
            row.append(f"{number:>2} ", style="dim")
            body = len(row)
            row.append_text(line)
            if names:
                row.stylize("reverse", body)
            row.no_wrap = True
            row.overflow = "ellipsis"
            yield row
