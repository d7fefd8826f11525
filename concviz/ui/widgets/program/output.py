"""The program's own output (what it wrote to stdout and stderr), apart from
concviz's narration: the lines it prints, stderr's marked in red with a bar."""

from __future__ import annotations

from rich.text import Text

from concviz.ui.widgets.event_log import EventLog

STDERR = "▌"  # a mark, not only a colour: stderr's lines read apart on any projector
STDERR_STYLE = "bold red"


class ProgramOutput(EventLog):
    """Writes come in chunks (``print`` writes its text, then its end): they are joined
    into lines. A line with no newline yet shows once it is a beat old (a prompt, a
    progress dot), or when :meth:`flush` is called at the program's end."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._open: dict[str, str] = {}  # stream -> the line it has begun
        self._stale: set[str] = set()  # streams whose open line a beat has seen

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
        super().clear()

    def _line(self, stream: str, line: str) -> None:
        if stream == "stderr":
            self.write(Text.assemble((STDERR, STDERR_STYLE), (line, "red")))
        else:
            self.write(line)
