"""The dashboard's program panes: a catalogue program in a :class:`ProgramPane`, with the
keys a teacher changes it by.

A key that changes the program (its other variant, one of its top-level constants)
runs it anew, a copy of the file with the constant set, and says so in a toast. A key
that acts on the running program sends it a control message, which concviz's
narration tells as concviz's doing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual.binding import Binding, BindingType

from concviz.programs.catalogue import CATALOGUE, Entry
from concviz.ui.widgets.program.pane import ProgramPane
from concviz.watch.programs import Program, constants

FUTURES_STEPS = (10, 100, 1000)  # what [ and ] step N through


def failing(n: int) -> int:
    """The factorial f makes fail, of 1 to ``n``: far enough in that some results come
    first."""
    return max(1, round(n * 0.7))


def program_of(entry: Entry) -> Program:
    """The program a catalogue entry runs."""
    return Program(entry.path, entry.name, entry.summary, entry.processes, entry.show)


class EntryPane(ProgramPane):
    """A catalogue program in a dashboard cell: of its views, those that read from the
    back of the room in a third of the screen (``VIEWS``)."""

    ENTRY: ClassVar[str]  # the catalogue's name of the program shown first
    VIEWS: ClassVar[tuple[str, ...]]

    def __init__(self, *, entry: str | None = None, knobs: Mapping[str, str] | None = None,
                 seed: int | None = None, speed: float = 1.0, autostart: bool = True,
                 id: str | None = None, classes: str | None = None) -> None:
        """``entry``: the catalogue's program to begin with (default ``ENTRY``; the other
        variant, for one)."""
        self.entry = CATALOGUE[entry or self.ENTRY]
        super().__init__(program_of(self.entry), seed=seed, speed=speed, knobs=knobs,
                         views=self.views_of(self.entry), autostart=autostart, id=id,
                         classes=classes)
        self.title_text = self.title_now()

    def views_of(self, entry: Entry) -> tuple[str, ...]:
        return tuple(view for view in self.VIEWS if view in entry.views)

    def title_now(self) -> str:
        """The program's name, then the constants changed, or else what it teaches."""
        knobs = [f"{name}={value}" for name, value in self.knobs.items()]
        card = [self.entry.card.title] if self.entry.card else []
        return " · ".join([self.entry.name, *(knobs or card)])

    def constant(self, name: str) -> int | float | str | bool | None:
        """A top-level constant's value in this run: the knob's, else the file's."""
        if name in self.knobs:
            return self.knobs[name]
        return constants(self.program.path).get(name, (None, 0))[0]

    def start_run(self) -> None:
        self.set_title(self.title_now())  # the knobs it runs with
        super().start_run()

    def set_knob(self, name: str, value: object, settings: str) -> None:
        self.knobs[name] = str(value)
        self.restart(settings)

    def action_variant(self, key: str) -> None:
        """The entry's other program for ``key`` (``l``: the one without the lock), and
        back: the old run ends, the new program runs."""
        entry = CATALOGUE[self.entry.variants[key]]
        kept = constants(entry.path)
        self.knobs = {name: value for name, value in self.knobs.items() if name in kept}
        self.entry, self.program = entry, program_of(entry)
        self.show_views(self.views_of(entry))
        card = f" ({entry.card.title})" if entry.card else ""
        self.restart(f"{entry.name}{card}")

    def action_thread(self, function: str) -> None:
        """Start one more thread running the program's ``function`` (concviz's doing:
        the narration says so, and the new thread's row)."""
        if self.live:
            self.spawn(function)
        else:
            self.app.notify(f"No {function}() started: the program is not running "
                            "(space runs it again).", title=self.TITLE, severity="warning")


class ProducerConsumerPane(EntryPane):
    """Producers and consumers share a list: the threads, the lock, the list, and what
    concviz says happens."""

    TITLE = "Producer / Consumer"
    ENTRY = "producer-consumer"
    VIEWS = ("threads", "prims", "data", "narration")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "variant('l')", "Lock",
                tooltip="The same program with no lock, and back (a new run)"),
        Binding("p", "thread('producer')", "+Producer",
                tooltip="Start another thread running producer()"),
        Binding("o", "thread('consumer')", "+Consumer",
                tooltip="Start another thread running consumer()"),
    ]


class FuturesPane(EntryPane):
    """Factorials in a thread pool: the futures, the workers, and what concviz says
    happens."""

    TITLE = "Futures"
    ENTRY = "futures"
    VIEWS = ("threads", "futures", "narration")
    FUTURES_FIRST = True  # in a dashboard cell it is what fits; each worker has a row in it
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "cancel", "Cancel",
                tooltip="cancel() every future not yet running (concviz's doing)"),
        Binding("f", "toggle_fail", "Fail", tooltip="One factorial raises, or none (a new run)"),
        Binding("left_square_bracket", "futures(-1)", "How many", key_display="[/]",
                tooltip="Fewer futures (a new run)"),  # the palette names each of the two
        Binding("right_square_bracket", "futures(1)", "More futures", key_display="]",
                show=False, tooltip="More futures (a new run)"),
    ]

    def action_cancel(self) -> None:
        """``cancel()`` on every future not yet running, in the running program."""
        if self.live:
            self.send("cancel-pending")
        else:
            self.app.notify("Nothing to cancel: the program is not running (space runs it "
                            "again).", title=self.TITLE, severity="warning")

    def action_toggle_fail(self) -> None:
        """FAIL: the n whose factorial raises ValueError; 0 for none."""
        fail = 0 if int(self.constant("FAIL") or 0) else failing(int(self.constant("N")))
        self.set_knob("FAIL", fail, f"factorial({fail}) raises" if fail else "no failure")

    def action_futures(self, step: int) -> None:
        """N, the number of futures: 10, 100 or 1000 (the fewest and the most stay)."""
        n = int(self.constant("N"))
        steps = [s for s in FUTURES_STEPS if s > n] if step > 0 else \
            [s for s in reversed(FUTURES_STEPS) if s < n]
        if not steps:
            return
        if int(self.constant("FAIL") or 0) > steps[0]:  # the failure stays among them
            self.knobs["FAIL"] = str(failing(steps[0]))
        self.set_knob("N", steps[0], f"{steps[0]} futures")
