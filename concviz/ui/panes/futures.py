"""Seed ques.7 animated: a card per future, the order as_completed gives them in, and a
timeline per worker; failures, cancellation and the executor under the teacher's keys."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal

from concviz.commands.futures import summary_line, transcript_line
from concviz.engine.events import Event
from concviz.engine.futures import (
    DELAYS,
    EXECUTORS,
    FactorialFutures,
    FutureYielded,
    TaskStarted,
)
from concviz.engine.words import plural
from concviz.ui.listings import Listing
from concviz.ui.listings.futures import listing
from concviz.ui.models.futures import FuturesModel
from concviz.ui.pane import DemoPane
from concviz.ui.renderables.completion_order import CompletionOrder
from concviz.ui.renderables.future_card import FutureCards, FutureDetail
from concviz.ui.renderables.gantt import Gantt
from concviz.ui.widgets.drawing import Drawing
from concviz.ui.widgets.event_log import EventLog

MAX_PANE_WORKERS = 16
N_MAX_STEPS = (10, 100, 1000)
TALL, WIDE = 30, 90  # pane sizes from which the detail, the log and side-by-side appear


def failing(n_max: int) -> int:
    """The n a failure is injected at: far enough in that some results come first."""
    return max(1, round(n_max * 0.7))


class FuturesPane(DemoPane):
    TITLE = "Futures · as_completed (ques.7)"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left_square_bracket", "workers(-1)", "Workers", key_display="[/]",
                tooltip="One worker fewer"),  # the palette names each of the two
        Binding("right_square_bracket", "workers(1)", "+Worker", key_display="]", show=False,
                tooltip="One worker more"),
        Binding("f", "toggle_fail", "Fail"),
        Binding("x", "cancel", "Cancel"),
        Binding("d", "cycle_delay", "Delay"),
        Binding("e", "toggle_executor", "Executor"),
        Binding("m", "cycle_n_max", "How many"),
        Binding("down", "select(1)", "Select", key_display="↑/↓"),
        Binding("up", "select(-1)", "Select previous", key_display="↑", show=False),
    ]

    def __init__(
        self,
        *,
        n_max: int = 10,
        workers: int = 4,
        delay: str = "random",
        fail: int | None = None,
        executor: str = "thread",
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.n_max = n_max
        self.max_workers = workers
        self.delay = delay
        self.fail = fail
        self.executor = executor
        self.selected: int | None = None
        self.model = FuturesModel()
        # What the two auto-height drawings last showed: only a new shape costs a layout.
        self._gantt_rows = 0
        self._detail_shape: tuple = ()

    def compose(self) -> ComposeResult:
        yield Drawing(classes="caption")
        with Horizontal(classes="fu-top"):
            yield Drawing(classes="fu-cards")
            yield Drawing(classes="fu-order")
        yield Drawing(classes="fu-detail")
        yield Drawing(classes="fu-gantt")
        with Horizontal(classes="fu-logs"):  # the program's output apart from concviz's notes
            yield EventLog(classes="fu-log")
            yield EventLog(classes="fu-notes")

    def on_mount(self) -> None:
        self.query_one(".fu-order").border_title = "as_completed order"
        self.query_one(".fu-detail").border_title = "selected future"
        self.query_one(".fu-gantt").border_title = "who ran what, when"
        self.query_one(".fu-log").border_title = "print(): the program's output"
        self.query_one(".fu-notes").border_title = "concviz: what happened"
        self._show_config()
        self._draw()  # Textual calls DemoPane.on_mount after this: no super() call

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.height >= TALL, "-tall")
        self.set_class(event.size.width >= WIDE, "-wide")
        self._draw()

    @property
    def listing(self) -> Listing:
        return listing(self.executor, self.max_workers, self.n_max, self.delay, self.fail)

    # -- a run --------------------------------------------------------------------

    def make_demo(self) -> FactorialFutures:
        return FactorialFutures(n_max=self.n_max, workers=self.max_workers, delay=self.delay,
                                fail=self.fail, executor=self.executor, seed=self.seed,
                                speed=self.speed)

    def reset_view(self) -> None:
        self.model = FuturesModel()
        if self.status == "running":
            self.model.caption.text = "Starting: a real pool is being made."
        if self.selected is not None and self.selected > self.n_max:
            self.selected = None
        self._show_config()
        for log in self.query(EventLog):
            log.clear()
        self.query_one(".fu-notes", EventLog).write(
            Text(f"New run · seed {self.seed}: {self.config_text()}", style="bold"))
        self._draw()

    def apply(self, events: list[Event]) -> None:
        printed, notes = self.query_one(".fu-log", EventLog), self.query_one(".fu-notes", EventLog)
        for event in events:
            self.model.apply(event)
            line = transcript_line(event)
            if isinstance(event, FutureYielded):  # the listing's print, cancelled ones too
                printed.write(Text(line[:200]))  # a long result is cut: the detail has it all
            elif line is not None:
                notes.write(Text(line))
            elif isinstance(event, TaskStarted):
                notes.write(Text(f"{event.thread} started factorial({event.n})", style="italic"))
        if self.model.finished is not None and events[-1] is self.model.finished:
            notes.write(Text(summary_line(self.model.finished), style="bold"))
        self._draw()

    def tick(self) -> None:
        """Running bars grow and running times count up even when no event arrives."""
        if self.running and self.model.running:
            self._draw()

    # -- drawing ----------------------------------------------------------------------

    def config_text(self) -> str:
        workers = plural(self.max_workers, "thread") if self.executor == "thread" else \
            plural(self.max_workers, "process", "processes")
        fail = f" · {self.fail}! fails" if self.fail is not None else ""
        return f"{self.n_max} on {workers} · {self.delay}{fail}"

    def _show_config(self) -> None:
        self.set_title(f"Futures · {self.config_text()}")

    def _draw(self) -> None:
        if not self.is_mounted:
            return
        model = self.model
        tall, wide = self.has_class("-tall"), self.has_class("-wide")
        now = self.demo.now() if self.demo is not None else 0.0
        caption = model.caption.text
        self.query_one(".caption", Drawing).show(Text(caption, style="bold"), key=caption)
        version = (model.version, self.selected, tall, wide)
        cards = list(model.cards.values())
        self.query_one(".fu-cards", Drawing).show(FutureCards(cards, self.selected), key=version)
        order = CompletionOrder(model.order, model.cards, lines=None if wide else 2, listed=wide)
        self.query_one(".fu-order", Drawing).show(order, key=version)
        card = model.cards.get(self.selected) if self.selected is not None else None
        detail = FutureDetail(card, now, lines=8 if tall else 1)
        shape, self._detail_shape = self._detail_shape, (card and card.state, tall)
        self.query_one(".fu-detail", Drawing).show(detail, key=(version, round(now, 1)),
                                                   layout=shape != self._detail_shape)
        gantt = Gantt(model.rows, now, max_rows=12 if tall else 5)
        rows, self._gantt_rows = self._gantt_rows, len(model.rows)
        self.query_one(".fu-gantt", Drawing).show(gantt, key=(version, round(now, 2), tall),
                                                  layout=rows != self._gantt_rows)

    # -- actions (the keys in the footer) -------------------------------------------------

    def action_workers(self, delta: int) -> None:
        """max_workers is fixed when the pool is made: a new run with the new size."""
        self.max_workers = max(1, min(MAX_PANE_WORKERS, self.max_workers + delta))
        self.restart(f"max_workers={self.max_workers}")

    def action_toggle_fail(self) -> None:
        """Make one factorial raise ValueError (or stop it), in a new run."""
        self.fail = None if self.fail is not None else failing(self.n_max)
        self.restart(f"factorial({self.fail}) raises" if self.fail is not None else "no failure")

    def action_cycle_delay(self) -> None:
        self.delay = DELAYS[(DELAYS.index(self.delay) + 1) % len(DELAYS)]
        self.restart(f"delay {self.delay}")

    def action_toggle_executor(self) -> None:
        self.executor = EXECUTORS[(EXECUTORS.index(self.executor) + 1) % len(EXECUTORS)]
        self.restart(f"{self.executor} executor")

    def action_cycle_n_max(self) -> None:
        self.n_max = next((n for n in N_MAX_STEPS if n > self.n_max), N_MAX_STEPS[0])
        if self.fail is not None:
            self.fail = failing(self.n_max)
        self.restart(f"{self.n_max} futures")

    def action_cancel(self) -> None:
        """future.cancel() on every future still pending, in the running program."""
        if not self.running:
            self.notify("Nothing to cancel: start a run first (space).", severity="warning")
            return
        cancelled, refused = self.demo.cancel_pending()
        if not cancelled and not refused:
            self.notify("Every future is already done.", severity="warning")
            return
        self.notify(f"cancel() said yes to {plural(len(cancelled), 'pending future')}, no to "
                    f"{len(refused)} already running: {' '.join(map(str, refused[:12]))}",
                    title="Cancel pending")

    def action_select(self, delta: int) -> None:
        """Move the selection along the cards; the detail shows the whole value."""
        last = max(self.n_max, 1)
        current = self.selected if self.selected is not None else (0 if delta > 0 else last + 1)
        self.selected = (current + delta - 1) % last + 1
        self._draw()
