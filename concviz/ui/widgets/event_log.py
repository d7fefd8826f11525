"""The event log: a demo's transcript, newest line at the bottom.

Unlike ``RichLog`` it never scrolls: it draws the newest lines that fit, so a
write repaints one widget instead of relaying out the whole screen (which cost
most of the app's CPU while a demo ran).
"""

from __future__ import annotations

from collections import deque

from rich.console import RenderableType
from rich.text import Text
from textual.widget import Widget

from concviz.ui.renderables.tail import Tail

KEEP = 500


class EventLog(Widget):
    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.lines: deque[Text] = deque(maxlen=KEEP)

    def write(self, line: str | Text) -> None:
        """Add a line (a ``str`` is read as Rich markup)."""
        self.lines.append(Text.from_markup(line) if isinstance(line, str) else line)
        self.refresh()

    def clear(self) -> None:
        self.lines.clear()
        self.refresh()

    @property
    def text(self) -> str:
        return "\n".join(line.plain for line in self.lines)

    def render(self) -> RenderableType:
        return Tail(self.lines, self.content_size.height)
