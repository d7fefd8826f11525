"""A program listing, syntax highlighted, with the line each thread is at marked.

The code is the lesson, so none of it is ever cut: a line wider than the panel wraps,
its continuation indented under it. A marked line is shown reversed with a one-column
``▶`` in the gutter; the names of the threads there stand at its right end when they
fit, else in the legend (:class:`CodeLegend`) above the code.
"""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

MARK = "▶"
BREAKS = " ,.("  # a wrapped line breaks after one of these when it can
GAP = 2  # columns between the end of the code and the thread names at its right


class CodeView:
    """``marks`` maps a thread's name to its current line (1-based); the threads in
    ``done`` have ended there (shown with a tick)."""

    def __init__(self, code: str, marks: dict[str, int], done: frozenset[str] = frozenset()):
        self.code = code
        self.lines = code.splitlines()
        at: dict[int, list[str]] = defaultdict(list)
        for thread, line in sorted(marks.items()):
            at[line].append(f"{thread} ✓" if thread in done else thread)
        self.names = {line: ", ".join(names) for line, names in at.items()}
        self.number_width = len(str(len(self.lines)))

    @property
    def gutter(self) -> int:
        return len(MARK) + 1 + self.number_width + 1  # "▶ 14 "

    def _hang(self, number: int, width: int) -> int:
        line = self.lines[number - 1]
        return min(len(line) - len(line.lstrip()) + 4, width // 2)

    def rows(self, number: int, width: int) -> list[tuple[int, int]]:
        """Where line ``number`` breaks at a code width of ``width``: (start, end) of each
        row, the rows after the first indented by the line's indent and 4 more."""
        line, hang = self.lines[number - 1], self._hang(number, width)
        spans, start, room = [], 0, width
        while len(line) - start > room:
            cut = start + room
            after = max(line.rfind(mark, start + 1, cut) + 1 for mark in BREAKS)
            if after > start + room // 3:  # break after a space or a punctuation mark if near
                cut = after
            spans.append((start, cut))
            start, room = cut, width - hang
        spans.append((start, len(line)))
        return spans

    def names_fit(self, number: int, width: int) -> bool:
        """Whether line ``number``'s thread names fit at the right of its last row."""
        names = self.names.get(number)
        if names is None:
            return True
        spans = self.rows(number, width)
        used = spans[-1][1] - spans[-1][0] + (0 if len(spans) == 1 else self._hang(number, width))
        return used + GAP + len(names) <= width

    def unplaced(self, width: int) -> dict[int, str]:
        """The marked lines whose thread names go to the legend at this panel width."""
        code_width = max(1, width - self.gutter)
        return {line: names for line, names in sorted(self.names.items())
                if line <= len(self.lines) and not self.names_fit(line, code_width)}

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.syntax import Syntax  # pygments: imported when the panel first opens

        width = max(1, options.max_width - self.gutter)
        # ansi_dark uses the terminal's own palette: readable on 16 colours and any theme
        highlighted = Syntax(self.code, "python", theme="ansi_dark").highlight(self.code)
        for number, line in enumerate(highlighted.split("\n")[:len(self.lines)], 1):
            names = self.names.get(number)
            spans = self.rows(number, width)
            hang = self._hang(number, width)
            for index, (start, end) in enumerate(spans):
                first, last = index == 0, index == len(spans) - 1
                row = Text()
                row.append(MARK if names and first else " ", style="bold")
                row.append(f" {number:>{self.number_width}} " if first else
                           " " * (self.number_width + 2), style="bold")
                body = len(row)
                if not first:
                    row.append(" " * hang)
                row.append_text(line[start:end])
                if names and last and self.names_fit(number, width):
                    row.append(" " * (options.max_width - len(row) - len(names)))
                    row.append(names, style="bold")
                if names:
                    row.pad_right(options.max_width - len(row))
                    row.stylize("reverse", body)
                row.no_wrap = True
                yield row


class CodeLegend:
    """Which thread is on which marked line, for the lines whose names did not fit
    beside the code: one entry a line, ``▶ 18 Consumer, Consumer-2``, then a blank line."""

    def __init__(self, view: CodeView):
        self.view = view

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        entries = self.view.unplaced(options.max_width)
        if not entries:
            return
        rows = [Text()]
        for line, names in entries.items():  # an entry breaks only if it is wider than a row
            entry = Text.assemble((f"{MARK} {line} ", "bold reverse"), (f" {names}", "bold"))
            if rows[-1] and len(rows[-1]) + 3 + len(entry) > options.max_width:
                rows.append(Text())
            if rows[-1]:
                rows[-1].append("   ")
            rows[-1].append_text(entry)
        yield from rows
        yield Text("")
