"""``Pane``: what the app asks of every pane (its title, its program and each thread's
line in it, its run). A program's pane is a ``ProgramPane`` (widgets/program/pane.py);
an engine demo's, a ``DemoPane`` (ui/demo_pane.py)."""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from textual.containers import Vertical
from textual.content import Content

from concviz.ui.labels import LABEL_MARGIN, shortest_needed

DRAIN_EVERY = 1 / 30  # seconds; the redraws follow the screen's beat (4 Hz)
SPEEDS = (0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 10.0)


def faster(speed: float) -> float:
    """The next speed up from ``speed`` (the fastest stays)."""
    return next((s for s in SPEEDS if s > speed), SPEEDS[-1])


def slower(speed: float) -> float:
    """The next speed down from ``speed`` (the slowest stays)."""
    return next((s for s in reversed(SPEEDS) if s < speed), SPEEDS[0])


class Code(NamedTuple):  # see catalogue.Card: why not a dataclass
    """A pane's program for the code panel: its title and text."""

    title: str
    code: str


class Pane(Vertical, can_focus=True):
    """Base of every pane the dashboard, the gallery and the lesson show: the code panel
    reads :attr:`listing` and the marks; the border shows the title and the status."""

    TITLE: ClassVar[str] = "demo"
    speed: float  # what the run's sleeps (or the demo's pace) are sped up by: see SPEEDS

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.code_marks: dict[str, int] = {}  # thread -> line of :attr:`listing` it is at
        self.code_done: set[str] | frozenset[str] = set()  # threads that ended (mark dimmed)
        self.title_text = self.TITLE  # the whole title; the border shows what fits
        self._labels: tuple[str, str] | None = None  # the border's, as last set

    @property
    def listing(self) -> Code | None:
        """The program this pane runs, for the code panel (None: no listing)."""
        return None

    @property
    def status_text(self) -> str:
        """The state of the run, on the border's bottom."""
        return ""

    @property
    def has_run(self) -> bool:
        """Whether a run was started (a new one is then a restart, and says so)."""
        raise NotImplementedError

    def start_run(self) -> None:
        raise NotImplementedError

    def set_speed(self, speed: float) -> None:
        raise NotImplementedError

    def action_faster(self) -> None:
        """The next speed in SPEEDS up (the keys + and -, in each pane's bindings)."""
        self.set_speed(faster(self.speed))

    def action_slower(self) -> None:
        self.set_speed(slower(self.speed))

    def restart(self, settings: str) -> None:
        """A key changed the program: run it anew, and say so (the old run ends)."""
        self.start_run()
        self.app.notify(f"Restarted: {settings}", title=self.title_text.split(" ·")[0])

    def set_title(self, title: str) -> None:
        """The pane's title (plain text, never markup), as much of it as the border fits."""
        self.title_text = title
        self._fit_labels()

    def on_resize(self) -> None:
        self._fit_labels()

    def _fit_labels(self) -> None:
        """Title and status as they fit the border: whole, else their short forms (see
        labels.shortest_needed), never cut mid-word with "…"."""
        room = self.outer_size.width - LABEL_MARGIN if self.outer_size.width else 1000
        labels = (shortest_needed(self.title_text, room), shortest_needed(self.status_text, room))
        if labels != self._labels:  # each set repaints the whole pane, border and all
            self._labels = labels
            self.border_title, self.border_subtitle = map(Content, labels)
