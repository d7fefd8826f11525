"""The watched program's code, the file that runs, with each thread's current line
marked with its name: the dashboard's code panel, fed from the fold instead of a pane."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

from concviz.ui.renderables.code_view import CodeLegend, CodeView
from concviz.ui.widgets.code_panel import CodePanel
from concviz.ui.widgets.drawing import Drawing
from concviz.watch import state as st
from concviz.watch.state import ProgramState

ENDED = (st.FINISHED, st.DIED)


def read_code(path: str) -> str | None:
    """The program's text, or None if it cannot be read (gone, not UTF-8)."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def marks(state: ProgramState) -> tuple[dict[str, int], frozenset[str]]:
    """Each program thread's line in the file that runs; the ones that ended (their mark
    stays, with a tick). Threads in the program's other files have no mark here."""
    program = state.header.get("program")
    at: dict[str, int] = {}
    done: set[str] = set()
    for thread in state.threads.values():
        if thread.internal or thread.line is None or thread.file != program:
            continue
        at[thread.name] = thread.line
        if thread.state in ENDED:
            done.add(thread.name)
    return at, frozenset(done)


class WatchCode(CodePanel):
    """The app's ``c`` (toggle) and ``z`` (the whole width) and its scroll keys work on
    it as on the dashboard's code panel; the screen hands it what to draw."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.title = "Code"
        self.code: str | None = None
        self.waiting = "The program's code shows once it starts."
        self.marks: dict[str, int] = {}
        self.done: frozenset[str] = frozenset()

    def show(self, title: str, code: str | None, state: ProgramState) -> None:
        """``code``: the text of the file that runs (None: it could not be read)."""
        self.title, self.code = title, code
        if code is None and state.header:
            self.waiting = f"Could not read {state.header.get('program')}."
        self.marks, self.done = marks(state)
        if self.display:
            self.follow()

    def open(self) -> None:
        self.follow()

    def close(self) -> None:
        """Nothing to leave: the screen's beat draws it (see :meth:`show`)."""

    def follow(self) -> None:
        legend, body = self.query(Drawing)
        self._label(self.title, None)
        if self.code is None:
            legend.show(Text(""), key=None)
            body.show(Text(self.waiting, style="bold"), key=self.waiting)
            return
        key = (self.code, tuple(sorted(self.marks.items())), self.done)
        view = CodeView(self.code, self.marks, self.done)
        legend.show(CodeLegend(view), key=key, layout=True)
        body.show(view, key=key)
