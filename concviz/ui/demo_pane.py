"""``DemoPane``: a pane that owns one run of an engine demo (the process demos) and the
transport keys for it.

The pane drains its demo's channel on a ~30 Hz timer and hands what it took to
:meth:`apply` in batches on its screen's beat, one redraw per 250 ms shared by every
pane there (a screen update costs a few ms; batching keeps the app's CPU low).
Demo threads never touch widgets.
Subclasses say how to build a demo (:meth:`make_demo`), how to clear the view
(:meth:`reset_view`) and how to show a batch of events (:meth:`apply`).
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel

from concviz.engine.demo import Demo, clamp_speed
from concviz.engine.events import Event, ThreadFailed, ThreadFinished, ThreadStarted
from concviz.ui.beat import Beat, beat
from concviz.ui.pane import DRAIN_EVERY, Pane

READY = "ready: press space"

class DemoPane(Pane):
    """Base of the engine's panes (processes: the pool pane, the gallery's process demos)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_run", "Run/Pause"),
        Binding("r", "restart", "New seed"),
        Binding("plus,equals_sign", "faster", "Speed", key_display="+/-"),
        Binding("minus", "slower", "Slower", key_display="-", show=False),
        Binding("full_stop", "step", "Step", key_display="."),
    ]
    TITLE: ClassVar[str] = "demo"
    PAUSED: ClassVar[str] = "PAUSED: space resumes, . steps"  # what a pause holds

    def __init__(
        self,
        *,
        seed: int = 0,
        speed: float = 1.0,
        autostart: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.seed = seed
        self.speed = clamp_speed(speed)
        self.autostart = autostart
        self.demo: Demo | None = None
        self._pending: list[Event] = []
        self._beat: Beat | None = None
        self.events_seen = 0  # events drained from this run's channel
        self._roles: dict[str, str] = {}
        self.status = READY

    # -- what a subclass provides ---------------------------------------------

    def make_demo(self) -> Demo:
        raise NotImplementedError

    def reset_view(self) -> None:
        """Clear the widgets before a new run."""

    def apply(self, events: list[Event]) -> None:
        """Show one batch of events (called on the UI thread)."""

    def tick(self) -> None:
        """Called at every beat while a run is on, after any batch: for countdowns."""

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """A toast in plain text unless asked: toasts carry settings and names, and data
        read as markup once ended the app."""
        self.app.notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    # -- run control ----------------------------------------------------------

    def on_mount(self) -> None:
        # The clock and the beat run only while a run does: an idle pane costs nothing.
        self._clock = self.set_interval(DRAIN_EVERY, self._drain, pause=True)
        self._beat = beat(self.screen)
        self._show_status()
        if self.autostart:
            self.start_run()

    def on_unmount(self) -> None:
        self.stop_run()
        if self._beat is not None:
            self._beat.leave(self._on_beat)

    def start_run(self) -> None:
        self.stop_run()
        self._pending, self.events_seen = [], 0
        self._roles, self.code_marks, self.code_done = {}, {}, set()
        self.status = "running"  # before reset_view: the view says a run starts, not "press space"
        self.reset_view()
        self.demo = self.make_demo()
        self.demo.speed = self.speed
        self.demo.start()
        self._clock.resume()
        self._beat.join(self._on_beat)
        self._show_status()

    def make_ready(self) -> None:
        """New settings, no run yet: clear the view and say that space starts one."""
        self.stop_run()
        self.status = READY
        self.reset_view()
        self._show_status()

    def stop_run(self) -> None:
        if self.demo is not None:
            self.demo.stop()

    def _drain(self) -> None:
        if self.demo is not None:
            drained = self.demo.channel.drain(5000)
            self.events_seen += len(drained)
            self._pending += drained

    def _on_beat(self) -> None:
        demo = self.demo
        if demo is None:
            return
        if self._pending:
            events, self._pending = self._pending, []
            self._follow_code(events)
            self.apply(events)
        self.tick()
        if demo.finished.is_set() and not len(demo.channel):
            self.status = "finished: space runs again, r new seed"
            self._show_status()
            self._clock.pause()
            self._beat.leave(self._on_beat)

    def _follow_code(self, events: list[Event]) -> None:
        """Move each thread's mark in the listing to the line its last event shows."""
        listing = self.listing
        if listing is None:
            return
        for event in events:
            if isinstance(event, ThreadStarted):
                self._roles[event.thread] = event.role
            if isinstance(event, ThreadFinished | ThreadFailed):
                self.code_done.add(event.thread)
            line = listing.line_for(event, self._roles.get(event.thread, ""))
            if line is not None:
                self.code_marks[event.thread] = line

    def _show_status(self) -> None:
        self._fit_labels()

    @property
    def status_text(self) -> str:
        return f"{self.status} · {self.speed:g}x · seed {self.seed}"

    @property
    def running(self) -> bool:
        return self.demo is not None and not self.demo.finished.is_set()

    @property
    def has_run(self) -> bool:
        return self.demo is not None

    # -- actions (the keys in the footer) ---------------------------------------

    def action_toggle_run(self) -> None:
        if not self.running:
            self.start_run()
        elif self.demo.paused:
            self.demo.resume()
            self.status = "running"
        else:
            self.demo.pause()
            self.status = self.PAUSED
        self._show_status()

    def action_restart(self) -> None:
        self.seed += 1
        self.start_run()

    def set_speed(self, speed: float) -> None:
        self.speed = speed
        if self.demo is not None:
            self.demo.speed = speed
        self._show_status()

    def action_step(self) -> None:
        """Pause if needed, then let exactly one event through."""
        if not self.running:
            return
        if not self.demo.paused:
            self.demo.pause()
        else:
            self.demo.step()
        self.status = "PAUSED: stepping"
        self._show_status()
