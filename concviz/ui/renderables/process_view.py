"""Seed ques.3's picture: the parent, the child process it started, and what the
child said, each with the pid the operating system gave it."""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from concviz.engine.events import Event, ThreadFailed, ThreadFinished, ThreadStarted
from concviz.engine.seed_process import ChildPrinted, ProcessCreated, ProcessJoined


class ProcessView:
    """A StateView (see ``concviz.ui.models.state_view``) for ``concviz run process``."""

    def __init__(self) -> None:
        self.state = "not created"
        self.child = ""
        self.said = ""
        self.parent = ""

    def apply(self, event: Event) -> None:
        match event:
            case ProcessCreated(name=name):
                self.child, self.state = name, "created: an object, no process yet"
            case ThreadStarted(role=role) if self.child and event.thread == self.child:
                self.state = f"running ({role})"
            case ChildPrinted(text=text, pid=pid, parent_pid=parent):
                self.said, self.parent = f"pid {pid} printed: {text!r}", f"pid {parent}"
            case ThreadFinished() if event.thread == self.child:
                self.state = "exited"
            case ThreadFailed(error=error) if event.thread == self.child:
                self.state = f"FAILED: {error}"
            case ProcessJoined(exitcode=code, parent_pid=parent):
                self.parent = f"pid {parent}"
                self.state = f"joined: exit code {code}"

    def render(self, now: float) -> RenderableType:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        table.add_row("parent", Text(f"this program {self.parent}".rstrip()))
        table.add_row(Text(self.child or "child"), Text(self.state))
        table.add_row("output", Text(self.said or "(nothing yet)"))
        return table
