"""A bare app hosting one pane, for pane tests and snapshots at a fixed size."""

from __future__ import annotations

import asyncio
import time

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Footer

from concviz.ui.app import STYLES
from concviz.ui.demo_pane import DemoPane
from concviz.ui.pane import Pane
from concviz.ui.widgets.program.pane import ProgramPane


class PaneApp(App):
    CSS_PATH = [STYLES / "app.tcss"]

    def __init__(self, pane: Pane, extra_css: list | None = None) -> None:
        self.CSS_PATH = [*PaneApp.CSS_PATH, *(extra_css or [])]
        super().__init__()
        self.pane = pane

    def compose(self) -> ComposeResult:
        yield self.pane
        yield Footer()

    def on_mount(self) -> None:
        self.pane.focus()


async def wait_finished(pilot: Pilot, pane: DemoPane, timeout: float = 20.0) -> None:
    """Wait until the pane's run is over and its last events are on screen."""
    deadline = time.monotonic() + timeout
    while not pane.status.startswith("finished"):
        assert time.monotonic() < deadline, f"run not finished: {pane.status}"
        await asyncio.sleep(0.05)
    await pilot.pause()


async def wait_ended(pilot: Pilot, pane: ProgramPane, timeout: float = 30.0) -> None:
    """Wait until the pane's program has ended and the pane has drawn its last events:
    the beat that writes the narration's last line ("The program exited...") draws every
    view from the state too."""
    narration = pane.narration
    deadline = time.monotonic() + timeout
    while not (pane.ended and narration.lines and narration.lines[-1].plain.startswith(
            "The program ")):
        assert time.monotonic() < deadline, f"the program did not end: {pane.phase}"
        await asyncio.sleep(0.05)
    await pilot.pause()
