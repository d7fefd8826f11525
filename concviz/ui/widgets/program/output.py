"""The program's own output (what it wrote to stdout and stderr), apart from
concviz's narration: the lines it prints, stderr's marked in red with a bar."""

from __future__ import annotations

from collections import deque
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip

from concviz.ui.widgets.event_log import KEEP, EventLog

STDERR = "▌"  # a mark, not only a colour: stderr's lines read apart on any projector
STDERR_STYLE = Style.parse("red")  # the projector's; the widget's comes from its CSS
BOLD = Style(bold=True)


class ProgramOutput(EventLog):
    """Writes come in chunks (``print`` writes its text, then its end): they are joined
    into lines. A line with no newline yet shows once it is a beat old (a prompt, a
    progress dot), or when :meth:`flush` is called at the program's end."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"program-output--stderr"}
    """
    | Class | Description |
    | :- | :- |
    | `program-output--stderr` | A line the program wrote to stderr, and its mark. |
    """

    SCOPED_CSS = False  # the projector's rule begins at the App
    DEFAULT_CSS = """
    ProgramOutput > .program-output--stderr { color: $text-error; }
    App.-theme-projector ProgramOutput > .program-output--stderr { color: ansi_red; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._open: dict[str, str] = {}  # stream -> the line it has begun
        self._stale: set[str] = set()  # streams whose open line a beat has seen
        self._shown: deque[tuple[str, str]] = deque(maxlen=KEEP)  # (stream, line) written
        self._stderr = STDERR_STYLE  # what stderr's lines were written in

    def add(self, stream: str, text: str) -> None:
        """A chunk of ``stream`` (``stdout`` or ``stderr``), as the program wrote it."""
        *lines, rest = (self._open.pop(stream, "") + text).split("\n")
        for line in lines:
            self._line(stream, line)
        if rest:
            self._open[stream] = rest
        self._stale.discard(stream)

    def beat(self) -> None:
        """A line left open since the last beat is shown as it is."""
        for stream in [s for s in self._open if s in self._stale]:
            self._line(stream, self._open.pop(stream))
        self._stale = set(self._open)

    def flush(self) -> None:
        for stream in list(self._open):
            self._line(stream, self._open.pop(stream))

    def clear(self) -> None:
        self._open, self._stale = {}, set()
        self._shown.clear()
        super().clear()

    def render_lines(self, crop: Region) -> list[Strip]:
        """After a change of theme, the lines again in its colours."""
        stderr = self.get_component_rich_style("program-output--stderr", default=self._stderr)
        if stderr != self._stderr:
            self._stderr = stderr
            shown = list(self._shown)
            self._shown.clear()
            super().clear()
            for stream, line in shown:
                self._line(stream, line)
        return super().render_lines(crop)

    def _line(self, stream: str, line: str) -> None:
        self._shown.append((stream, line))
        if stream == "stderr":
            self.write(Text.assemble((STDERR, self._stderr + BOLD), (line, self._stderr)))
        else:
            self.write(line)
