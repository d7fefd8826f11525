"""Seed ques.4 animated: lanes, the lock, the list as cells, counters and the transcript."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from concviz.commands.producer_consumer import summary_line, transcript_line
from concviz.engine.events import Event
from concviz.engine.producer_consumer import (
    CONSUMER_SLEEP,
    PRODUCER_SLEEP,
    RACE_WINDOW,
    ProducerConsumer,
)
from concviz.engine.words import plural
from concviz.ui.listings import Listing
from concviz.ui.listings.producer_consumer import listing
from concviz.ui.models.producer_consumer import ProducerConsumerModel
from concviz.ui.pane import DemoPane
from concviz.ui.renderables.counters import Counters
from concviz.ui.renderables.lock_box import LockBox, no_lock_warning
from concviz.ui.renderables.shared_list import ListCells
from concviz.ui.widgets.drawing import Drawing
from concviz.ui.widgets.event_log import EventLog
from concviz.ui.widgets.lanes import ThreadLanes


class ProducerConsumerPane(DemoPane):
    TITLE = "Producer / Consumer · threading.Lock (ques.4)"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "toggle_lock", "Lock"),
        Binding("W", "toggle_window", "Race window", key_display="W"),
        Binding("p", "add('producer')", "+Producer"),
        Binding("P", "remove('producer')", "-Producer", key_display="P", show=False),
        Binding("o", "add('consumer')", "+Consumer"),
        Binding("O", "remove('consumer')", "-Consumer", key_display="O", show=False),
    ]

    def __init__(
        self,
        *,
        items: int = 10,
        producers: int = 1,
        consumers: int = 1,
        lock: bool = True,
        producer_sleep: tuple[float, float] = PRODUCER_SLEEP,
        consumer_sleep: tuple[float, float] = CONSUMER_SLEEP,
        race_window: float = RACE_WINDOW,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.race_window = race_window
        self.producer_sleep = producer_sleep
        self.consumer_sleep = consumer_sleep
        self.items = items
        self.producers = producers
        self.consumers = consumers
        self.lock = lock
        self.model = ProducerConsumerModel(locked=lock)
        self._ticks = 0

    def on_mount(self) -> None:
        # Textual also calls DemoPane.on_mount (after this one): no super() call here
        self.query_one(".pc-lock").border_title = "threading.Lock"
        self.query_one(".pc-list").border_title = "shared_list"

    @property
    def listing(self) -> Listing:
        return listing(self.lock, self.items, tuple(self.producer_sleep),
                       tuple(self.consumer_sleep), self.race_window, self.producers,
                       self.consumers)

    def compose(self) -> ComposeResult:
        yield Drawing(classes="caption")
        yield ThreadLanes(classes="pc-lanes")
        yield Drawing(classes="pc-lock")
        yield Drawing(classes="pc-list")
        yield Drawing(classes="pc-counters")
        yield EventLog(classes="pc-log")

    def make_demo(self) -> ProducerConsumer:
        return ProducerConsumer(
            items=self.items,
            producers=self.producers,
            consumers=self.consumers,
            lock=self.lock,
            producer_sleep=self.producer_sleep,
            consumer_sleep=self.consumer_sleep,
            race_window=self.race_window,
            seed=self.seed,
            speed=self.speed,
        )

    def reset_view(self) -> None:
        self.model = ProducerConsumerModel(locked=self.lock)
        self.model.caption.text = (
            f"{plural(self.producers, 'producer')} and {plural(self.consumers, 'consumer')} "
            "share one list, "
            + ("guarded by a lock." if self.lock else
               f"with NO lock; race window {self.race_window * 1000:g} ms (W changes it).")
        )
        log = self.query_one(EventLog)
        log.clear()
        log.write(Text.assemble(  # not markup: parsing it costs ~2 ms before the first frame
            ("New run", "bold"),
            f" · seed {self.seed}: {plural(self.items, 'item')}, "
            f"{plural(self.producers, 'producer')}, {plural(self.consumers, 'consumer')}, "
            f"lock {'ON' if self.lock else 'OFF'}",
            "" if self.lock else f", race window {self.race_window * 1000:g} ms",
        ))
        self._draw()

    def apply(self, events: list[Event]) -> None:
        log = self.query_one(EventLog)
        # paused or stepped, the headline tells the latest event: nothing is held over
        self.model.caption.holding = not self.demo.paused
        for event in events:
            self.model.apply(event)
            line = transcript_line(event)
            if line is not None:
                log.write(Text(line))
        if self.model.finished is not None and events[-1] is self.model.finished:
            log.write(Text(summary_line(self.model.finished), style="bold"))
        self._draw()

    def tick(self) -> None:
        """Sleep countdowns move (at 4 Hz) even when no event arrives."""
        self._ticks += 1
        if self.demo is not None and self.model.lanes.any_sleeping:
            self.query_one(ThreadLanes).show(self.model.lanes, self.demo.now())

    def _draw(self) -> None:
        model = self.model
        caption = model.caption.text
        self.query_one(".caption", Drawing).show(Text(caption, style="bold"), key=caption)
        now = self.demo.now() if self.demo is not None else 0.0
        self.query_one(ThreadLanes).show(model.lanes, now)
        warning = "" if model.locked else no_lock_warning(  # the wait as the speed makes it
            max(len(model.consumers), self.consumers), self.race_window / self.speed)
        lock = (model.owner, tuple(model.waiters), model.locked, warning, tuple(model.askers))
        self.query_one(".pc-lock", Drawing).show(LockBox(*lock), key=lock)
        cells = (model.contents, model.last_added, model.last_removed)
        self.query_one(".pc-list", Drawing).show(ListCells(*cells), key=cells)
        counters = (
            ("produced", f"{model.produced}/{self.items}"),
            ("consumed", str(model.consumed)),
            ("in list", str(len(model.contents))),
            ("waits", str(model.lock_waits)),
            ("max wait", f"{model.longest_wait * 1000:.0f}ms"),
            ("empty", str(model.empty_hits)),
            ("races", str(model.races)),
        )
        alert = {"races"} if model.races else set()
        self.query_one(".pc-counters", Drawing).show(
            Counters(list(counters), alert=alert), key=counters
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The race window is the lock-free program's: its key shows only for that one."""
        return not self.lock if action == "toggle_window" else True

    def action_toggle_lock(self) -> None:
        """Really remove (or restore) the lock: the run restarts with the other program."""
        self.lock = not self.lock
        self.refresh_bindings()
        self.restart("lock ON" if self.lock else
                     f"NO lock, race window {self.race_window * 1000:g} ms")

    def action_toggle_window(self) -> None:
        """The lock-free program's sleep between check and pop(0): 2 ms or none at all."""
        self.race_window = 0.0 if self.race_window else RACE_WINDOW
        self.restart(f"NO lock, race window {self.race_window * 1000:g} ms")

    def action_add(self, role: str) -> None:
        """Start one more real producer or consumer thread in the running program."""
        name = self.demo.add_worker(role) if self.running else None
        if name is None:
            self.notify(f"No {role} added: start a run first (space).", severity="warning")

    def action_remove(self, role: str) -> None:
        """Ask one producer or consumer to finish its step and end."""
        if not self.running:
            self.notify(f"No {role} removed: no run is going on (space starts one).",
                        severity="warning")
        elif self.demo.remove_worker(role) is None:
            self.notify(f"The last {role} stays: the run needs one.", severity="warning")
