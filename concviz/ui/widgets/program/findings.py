"""What concviz's own checks found (a deadlock, two locks taken in opposite orders), in
a box of its own that says they are concviz's: CPython has no such checks."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual.content import Content

from concviz.ui.renderables.chips import PROJECTOR, Palette, chip
from concviz.ui.widgets.program.layout import AutoRows
from concviz.watch.state import Finding, ProgramState

TITLE = "concviz's checks (Python has none)"
HEADLINES = {"deadlock": "✗ DEADLOCK", "lock-order": "⚠ LOCK ORDER"}
FOREVER = ("Plain Python ends none of these waits: only a release by another thread could. "
           "concviz does not end the program by itself: k ends it.")


def foretold(finding: Finding, deadlocks: list[Finding]) -> bool:
    """A lock-order warning about locks a deadlock found since holds: it is said short."""
    return finding.kind == "lock-order" and any(
        set(finding.objs) <= set(deadlock.objs) for deadlock in deadlocks)


class FindingsList:
    """Rich renderable: the deadlocks first, then the other findings, newest first; while
    the program runs, a deadlock's box begins with the key that ends it. A lock-order
    warning the deadlock bore out is one short line: the box has the deadlock to say.
    A deadlock's headline is an error chip in ``palette``, the others warnings."""

    def __init__(self, findings: list[Finding], running: bool, state: ProgramState,
                 palette: Palette = PROJECTOR) -> None:
        self.findings = findings
        self.running = running
        self.state = state
        self.palette = palette

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        deadlocks = [f for f in self.findings if f.kind == "deadlock"]
        if self.running and deadlocks:
            yield Text(FOREVER, style="bold")
        for finding in [*reversed(deadlocks), *(f for f in reversed(self.findings)
                                                if f.kind != "deadlock")]:
            words = HEADLINES.get(finding.kind, f"⚠ {finding.kind}")
            style = self.palette.error if finding.kind == "deadlock" else self.palette.wait
            if foretold(finding, deadlocks):
                locks = " and ".join(self.state.prims[obj].name if obj in self.state.prims
                                     else str(obj) for obj in finding.objs)
                yield Text.assemble(chip(words, style),
                                    f" warned first: {locks} taken in opposite orders")
            else:
                yield Text.assemble(chip(words, style), " ", finding.text)


class FindingsView(AutoRows):
    """Shown only once a check found something (the screen hides it otherwise)."""

    DEFAULT_CSS = """
    FindingsView {
        max-height: 10; border: heavy $error; border-title-style: bold; padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.findings: list[Finding] = []
        self.running = False
        self.state = ProgramState()

    def on_mount(self) -> None:
        self.border_title = Content(TITLE)  # plain text, never markup

    def show(self, state: ProgramState, running: bool) -> None:
        """``running``: whether the program still runs (the deadlock's key still works)."""
        self.findings, self.running, self.state = list(state.findings), running, state
        self.draw()

    def drawing(self) -> FindingsList:
        return FindingsList(self.findings, self.running, self.state, self.palette)
