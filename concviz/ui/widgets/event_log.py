"""The event log: a demo's transcript, newest line at the bottom.

Unlike ``RichLog`` it never scrolls: it draws the newest rows that fit, so a
write repaints one widget instead of relaying out the whole screen. A long line
wraps onto several rows rather than losing its end. It draws row by row
(Textual's line API) and keeps each line's rows, so a redraw renders only the
lines that are new: re-rendering every visible ``Text`` at each write was the
most costly part of the app while a demo ran.
"""

from __future__ import annotations

from collections import deque

from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from concviz.ui.renderables.tail import line_rows, tail_rows

KEEP = 500


class EventLog(Widget):
    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.lines: deque[Text] = deque(maxlen=KEEP)
        self._written = 0  # lines ever written: numbers the lines for the strip cache
        self._strips: LRUCache[tuple, tuple[Strip, ...]] = LRUCache(4 * 64)
        self._style = Style()
        self._rows: list[Strip] = []  # what this redraw shows, laid out by render_lines

    def write(self, line: str | Text) -> None:
        """Add a line; a ``str`` is plain text, never markup: lines carry the program's
        data (thread names, values), and ``[/]`` in them once ended the app."""
        self.lines.append(Text(line) if isinstance(line, str) else line)
        self._written += 1
        self.refresh()

    def clear(self) -> None:
        self.lines.clear()
        self._strips.clear()
        self.refresh()

    @property
    def text(self) -> str:
        return "\n".join(line.plain for line in self.lines)

    def render_lines(self, crop: Region) -> list[Strip]:
        # once per redraw, not once per row: the style, and which rows show
        self._style = self.rich_style
        self._rows = tail_rows(self._line_rows, len(self.lines), self.size.height)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        if y < len(self._rows):
            return self._rows[y]
        return Strip.blank(self.size.width, self._style)

    def _line_rows(self, index: int) -> tuple[Strip, ...]:
        width, style = self.size.width, self._style
        key = (self._written - len(self.lines) + index, width, style)
        rows = self._strips.get(key)
        if rows is None:
            rows = self._strips[key] = line_rows(self.lines[index], width, style,
                                                 self.app.console)
        return rows
