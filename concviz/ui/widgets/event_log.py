"""The event log: a demo's transcript, newest line at the bottom.

Unlike ``RichLog`` it never scrolls: it draws the newest lines that fit, so a
write repaints one widget instead of relaying out the whole screen. It draws
line by line (Textual's line API) and keeps each line's strip, so a redraw
renders only the lines that are new: re-rendering every visible ``Text`` at
each write was the most costly part of the app while a demo ran.
"""

from __future__ import annotations

from collections import deque

from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from concviz.ui.renderables.tail import line_strip, tail_start

KEEP = 500


class EventLog(Widget):
    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.lines: deque[Text] = deque(maxlen=KEEP)
        self._written = 0  # lines ever written: numbers the lines for the strip cache
        self._strips: LRUCache[tuple, Strip] = LRUCache(4 * 64)
        self._style = Style()

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
        self._style = self.rich_style  # once per redraw, not once per line
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width, height = self.size
        style = self._style
        index = tail_start(len(self.lines), height) + y
        if index >= len(self.lines):
            return Strip.blank(width, style)
        key = (self._written - len(self.lines) + index, width, style)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._strips[key] = line_strip(self.lines[index], width, style,
                                                   self.app.console)
        return strip
