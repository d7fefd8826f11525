"""``ProgramPane``: one program run under the probe, shown from its events alone.

The pane owns the run: it drains the session on a ~30 Hz timer (at most ``MAX_DRAIN``
events a tick, so a flood never holds up a key), folds each event into a
:class:`ProgramState`, narrates it, and redraws its widgets from the state on the
screen's beat (4 Hz). Only the UI thread touches widgets: the session's reader thread
only fills its buffer. The watch screen, the dashboard, the gallery and the lesson all
show programs with it; what differs is which views a program opens with.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from concviz.ui.beat import beat
from concviz.ui.pane import DRAIN_EVERY, Code, Pane
from concviz.ui.widgets.event_log import KEEP, EventLog
from concviz.ui.widgets.program.layout import PALETTE_CLASSES
from concviz.ui.widgets.program.listing import marks, read_code
from concviz.ui.widgets.program.output import ProgramOutput
from concviz.ui.widgets.program.primitives import PrimitivesView
from concviz.ui.widgets.program.status import Status, StatusView
from concviz.ui.widgets.program.threads import WatchThreads
from concviz.watch import state as st
from concviz.watch.programs import Program, ProgramError, changed_source, with_constants
from concviz.watch.session import Session
from concviz.watch.state import ProgramState
from concviz.watch.words import describe

if TYPE_CHECKING:
    from concviz.ui.widgets.program.data import DataView
    from concviz.ui.widgets.program.findings import FindingsView
    from concviz.ui.widgets.program.futures import FuturesView

ViewT = TypeVar("ViewT", bound=Widget)
MAX_DRAIN = 5000  # events folded per tick, at most: keys are handled between ticks
STOP_GRACE = 1.0  # seconds a program has to end on SIGTERM before SIGKILL
FOUND = {"deadlock": "a deadlock", "lock-order": "two locks taken in opposite orders"}
ALL_VIEWS = ("threads", "prims", "data", "futures", "output", "narration")
TITLES = {"threads": "Threads", "prims": "Locks, queues and friends", "data": "Shown data",
          "output": "Output · the program's own", "narration": "concviz says what happens"}


class ProgramPane(Pane):
    """A program run again with ``r``; every key's effect is concviz's and the pane says
    so (paused, stepping, sleeps xN)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = set(PALETTE_CLASSES)
    """The chips' colours of the pane's boxes (see :data:`PALETTE_CLASSES`).

    | Class | Description |
    | :- | :- |
    | `palette--hold` | Held: a lock's owner, an event that is set, a program running. |
    | `palette--wait` | Waiting: a blocked thread, a paused program, a lock-order warning. |
    | `palette--error` | An error: a thread that died, a deadlock, a broken barrier. |
    | `palette--item` | A value in a cell, a free lock or slot. |
    | `palette--dim` | Quiet text: what is not there, what concviz hides. |
    """

    SCOPED_CSS = False  # the projector's rules begin at the App
    DEFAULT_CSS = """
    ProgramPane {
        height: 1fr;
        /* The threads, the primitives' boxes, the data and the futures, each as tall as
           it needs: past the bottom they scroll (the mouse wheel), never cut. */
        & > .program-state { height: 1fr; scrollbar-size-vertical: 1; }
        & > .program-state > AutoRows {  /* not *: see app.tcss */
            height: auto; border: round $secondary; border-title-style: bold;
            padding: 0 1;
        }
        /* The program's output and concviz's narration, side by side under the rest. */
        & > .program-logs { height: 27%; min-height: 5; }
        & > .program-logs > EventLog {
            width: 1fr; height: 1fr; border: round $primary-background;
            border-title-style: bold;
        }
        & > .palette--hold { color: $text; background: $success; text-style: bold; }
        & > .palette--wait { color: $text; background: $warning; text-style: bold; }
        & > .palette--error { color: $text; background: $error; text-style: bold; }
        & > .palette--item { text-style: bold reverse; }
        & > .palette--dim { color: $text-muted; text-style: italic; }
    }
    /* The projector's: black on green, black on yellow, white on red, as a washed-out
       beamer still tells apart; quiet text is white too, only italic. */
    App.-theme-projector ProgramPane {
        & > .palette--hold { color: ansi_black; background: ansi_green; }
        & > .palette--wait { color: ansi_black; background: ansi_yellow; }
        & > .palette--error { color: ansi_white; background: ansi_red; }
        & > .palette--dim { color: $foreground; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_pause", "Pause/Resume"),
        Binding("full_stop", "step", "Step", key_display="."),
        Binding("plus,equals_sign", "faster", "Speed", key_display="+/-",
                tooltip="Sleeps faster / slower (concviz scales time.sleep)"),
        Binding("minus", "slower", "Slower", key_display="-", show=False),
        Binding("k", "end", "End program"),
        Binding("r", "again", "Run again"),
        Binding("F", "spawn", "New thread", key_display="F",
                tooltip="Start a thread running one of the program's functions"),
    ]

    FUTURES_FIRST: ClassVar[bool] = False  # the futures box above the threads (a short pane)

    phase: reactive[str] = reactive("ready", init=False)
    """``ready`` (not run yet), ``starting``, ``running``, ``paused``, ``stepping`` or
    ``ended``."""
    speed: reactive[float] = reactive(1.0, init=False)
    """What each ``time.sleep`` is divided by: concviz's doing, said on the status line."""
    error: reactive[str] = reactive("", init=False)
    """Why the program could not be run, or its stream read, if so."""

    def __init__(self, program: Program, make_session: Callable[[], Session] | None = None,
                 *, seed: int | None = None, speed: float = 1.0,
                 knobs: Mapping[str, str] | None = None, views: Sequence[str] = ALL_VIEWS,
                 autostart: bool = True, clock: Callable[[], float] = time.monotonic,
                 id: str | None = None, classes: str | None = None) -> None:
        """``make_session`` makes each run's session (``r`` makes another; default: the
        program's file, or its copy with ``knobs``, under the probe); ``clock`` is the
        probe's (the machine's monotonic one), for the sleeps' countdowns."""
        super().__init__(id=id, classes=classes)
        self.program = program
        self.seed = seed
        self.knobs = dict(knobs or {})
        self.make_session = make_session or self._session
        self.views = tuple(views)
        self.autostart = autostart
        self.clock = clock
        self.set_reactive(ProgramPane.speed, speed)
        self.set_reactive(ProgramPane.phase, "starting" if autostart else "ready")
        self.session: Session | None = None
        self.state = ProgramState()
        self.code: str | None = None
        self.title_text = program.name
        self._folder: Path | None = None  # where the copy with the knobs set is written
        self._changed = False
        # narration not yet drawn, (thread, sentence, style): made into Text at the beat,
        # only the lines that will show
        self._said: deque[tuple[str, str, str]] = deque(maxlen=KEEP)
        # output not yet drawn: whole, as a line may span chunks (at most MAX_DRAIN a tick)
        self._out: deque[tuple[str, str]] = deque()
        # The widgets, held, not queried: made here, so that a status set before the
        # first frame lands, and a pane the app removes while it mounts (a quit at
        # once), which has lost its children before its Mount, has them still.
        self.status_view = StatusView(classes="program-status")
        self.threads_view = WatchThreads(classes="program-threads")
        self.prims = PrimitivesView(classes="program-prims")
        self.output = ProgramOutput(classes="program-output")
        self.narration = EventLog(classes="program-narration")
        self.state_box = VerticalScroll(self.threads_view, self.prims,
                                        classes="program-state", can_focus=False)
        # the output box only where it shows (not in a dashboard cell): see show_views
        shown = [self.output] if "output" in self.views else []
        self.logs = Horizontal(*shown, self.narration, classes="program-logs")
        # made when the program first gives them something (most never do): see _draw
        self.findings: FindingsView | None = None
        self.data: DataView | None = None
        self.futures: FuturesView | None = None

    def _session(self) -> Session:
        """This run's session: the file itself, or a copy with the knobs set (written
        anew each run: a key may have changed them), shown under the file's own name."""
        runs = self.program.path
        if self.knobs:
            if self._folder is None:
                self._folder = Path(tempfile.mkdtemp(prefix="concviz-"))
            runs = with_constants(self.program.path, self.knobs, self._folder)
        return Session(runs, seed=self.seed, show=self.program.show, speed=self.speed,
                       shown_as=self.program.path if self.knobs else None)

    def compose(self) -> ComposeResult:
        yield from (self.status_view, self.state_box, self.logs)  # and see _draw

    def show_views(self, views: Sequence[str]) -> None:
        """Show these views (see ALL_VIEWS); the shown data only once there is some. The
        output box is mounted when first shown; until then it keeps what it is given."""
        self.views = tuple(views)
        for view, widget in self._views.items():
            widget.display = view in self.views
        self.logs.display = bool({"output", "narration"} & set(self.views))
        if "output" in self.views:
            self._place(self.output, self.logs, before=self.narration)

    @property
    def _views(self) -> dict[str, Widget]:
        """The views a pane is made with (the shown data comes when there is some)."""
        return {"threads": self.threads_view, "prims": self.prims, "output": self.output,
                "narration": self.narration}

    def on_mount(self) -> None:
        for view, widget in self._views.items():
            widget.border_title = Content(TITLES[view])
        self.show_views(self.views)
        self._clock = self.set_interval(DRAIN_EVERY, self._drain, pause=True)
        self._fit_labels()
        self._draw()
        if self.autostart:  # once the first frame is out: starting a process takes a while
            self.call_after_refresh(self._start_if_still_here)

    def _start_if_still_here(self) -> None:
        """The run autostart asked for, unless the pane went meanwhile (a burst of keys
        in the lesson): no program is started for a pane nobody sees."""
        if self.is_attached and self.session is None:
            self.start_run()

    def on_unmount(self) -> None:
        """However the pane goes (q, ctrl+c, another demo picked), the program goes too."""
        self.stop_run()
        beat(self.screen).leave(self._on_beat)
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)

    @property
    def listing(self) -> Code | None:
        """The code that runs; until a run says which, the code that will run."""
        if self.code is not None:
            shown_as = self.state.header.get("shown_as") or self.state.header.get("program")
            return Code(Path(shown_as or self.program.path).name, self.code)
        path = self.program.path
        try:
            source = changed_source(path, self.knobs) if self.knobs else path.read_bytes()
        except (OSError, ProgramError):
            return None
        return Code(path.name, source.decode("utf-8", errors="replace"))

    @property
    def status_text(self) -> str:
        return f"{self.phase} · sleeps x{self.speed:g}"

    # -- the run ----------------------------------------------------------------

    def start_run(self) -> None:
        self.stop_run(wait=False)
        self.state, self.code = ProgramState(), None
        self.code_marks, self.code_done = {}, frozenset()
        self.phase, self.error, self._changed = "starting", "", True
        self._said.clear()
        self._out.clear()
        self.output.clear()
        self.narration.clear()
        self.session = self.make_session()
        try:
            self.session.start()
        except OSError as error:  # the interpreter could not be started
            self.error = f"could not start {self.program.name}: {error.strerror or error}"
            self.phase, self.session = "ended", None
        else:
            self._clock.resume()
        beat(self.screen).join(self._on_beat)
        self._draw()

    def stop_run(self, wait: bool = True) -> None:
        """End the program's whole process group. ``wait=False`` (the keys ``k`` and
        ``r``): on a thread of its own, so a program that ignores SIGTERM does not hold
        the screen for the grace second; the session alone is touched there."""
        if self.session is None:
            return
        if wait:
            self.session.stop(STOP_GRACE)
        else:
            threading.Thread(target=self.session.stop, args=(STOP_GRACE,),
                             name="concviz-stop").start()

    @property
    def ended(self) -> bool:
        return self.phase == "ended"

    @property
    def live(self) -> bool:
        """Whether the program still runs (a control message can reach it)."""
        return self.session is not None and not self.ended and self.session.poll() is None

    @property
    def running(self) -> bool:
        return self.session is not None and not self.ended

    @property
    def has_run(self) -> bool:
        return self.session is not None

    def now(self) -> float:
        """The probe's time now (its events' ``t``); once the run ended, its last event's."""
        t0 = self.state.header.get("t0")
        if not self.live or not isinstance(t0, int | float):
            return self.state.t
        return max(self.state.t, self.clock() - t0)

    def _drain(self) -> None:
        session = self.session
        if session is None:
            return
        if not self.state.header and session.header is not None:
            self._header(session.header)
        events = session.drain(MAX_DRAIN)
        told_from = len(events) - KEEP  # the log keeps KEEP lines: say no more than those
        for index, event in enumerate(events):
            self._fold(event, tell=index >= told_from)
            self._changed = True
        if session.error is not None and not self.error:  # the probe's stream is unreadable
            self.error, self._changed = session.error, True
        if session.finished:
            self._clock.pause()
            self._said.append(("", f"The program {session.exit_text()}.", "bold"))
            self.phase, self._changed = "ended", True

    def _header(self, header: dict[str, Any]) -> None:
        self.state.header = dict(header)
        self.code = read_code(header.get("program", ""))
        if self.phase == "starting":
            self.phase = "running"
        if header.get("speed") != self.speed:  # run again (r) at the speed last chosen
            self._send("speed", factor=self.speed)

    def _fold(self, event: dict[str, Any], tell: bool = True) -> None:
        """Fold one event in; ``tell``: narrate it too (right after the fold, which its
        sentence reads)."""
        findings = self.state.apply(event)
        if event.get("kind") == "out":
            self._out.append((event.get("stream", "stdout"), event.get("text", "")))
        elif tell:
            said = describe(event, self.state)
            if said:  # the thread's name first, as in the transcript; concviz's own: none
                who = event.get("thread", "") if event.get("tid", 0) > 0 else ""
                self._said.append((who, said, ""))
        for finding in findings:  # the box at the top says it whole
            found = FOUND.get(finding.kind, "a problem")
            self._said.append(("", f"concviz's check found {found} (the box at the top says "
                                   "more)", "bold"))

    def _on_beat(self) -> None:
        output = self.output
        while self._out:
            output.add(*self._out.popleft())
        if self.ended:
            output.flush()
        else:
            output.beat()
        narration = self.narration
        while self._said:
            who, said, style = self._said.popleft()
            narration.write(Text.assemble((who, "bold"), " " if who else "", (said, style)))
        if self._changed:
            self._draw()
        elif any(t.state == st.SLEEPING for t in self.state.threads.values()):
            self.threads_view.show(self.state, self.now())
        if self.ended:
            beat(self.screen).leave(self._on_beat)

    def _draw(self) -> None:
        """Every widget from the state as it is now."""
        self._changed = False
        state, now = self.state, self.now()
        self.code_marks, self.code_done = marks(state)
        self.threads_view.show(state, now)
        self.prims.show(state)
        for view, shown in ((self.data, state.data), (self.futures, state.futures),
                            (self.findings, state.findings)):
            if view is not None:  # a run again (r) may have none yet
                view.display = bool(shown)
        if state.data:
            self._place(self.data or self._made_data(), self.state_box,
                        after=self.prims).show(state)
        if state.futures:
            first = self.threads_view if self.FUTURES_FIRST else None
            self._place(self.futures or self._made_futures(), self.state_box,
                        before=first).show(state, now)
        if state.findings:
            self._place(self.findings or self._made_findings(), self,
                        after=self.status_view).show(state, running=self.live)
        self._show_status()

    def _show_status(self) -> None:
        """The status line as it is now. A key that changes it (pause, step, speed) and
        the program's end draw it at once, not at the next beat: its change must show
        within 200 ms even in a flood. Redrawn only when the Status differs."""
        self.status_view.show(self.status)
        self._fit_labels()

    def watch_phase(self) -> None:
        self._show_status()

    def watch_speed(self) -> None:
        self._show_status()

    def watch_error(self) -> None:
        self._show_status()

    # The views made when first needed; each loads its module then (the futures' loads
    # their model: ~12 ms before the first frame otherwise).

    def _made_data(self) -> DataView:
        from concviz.ui.widgets.program.data import DataView

        self.data = DataView(classes="program-data")
        self.data.border_title = Content(TITLES["data"])
        return self.data

    def _made_futures(self) -> FuturesView:
        from concviz.ui.widgets.program.futures import FuturesView

        self.futures = FuturesView(classes="program-futures")
        self.futures.border_title = Content("Futures")
        return self.futures

    def _made_findings(self) -> FindingsView:
        from concviz.ui.widgets.program.findings import FindingsView

        self.findings = FindingsView(classes="program-findings")
        return self.findings

    def _place(self, view: ViewT, parent: Widget, **where: Widget | None) -> ViewT:
        """``view``, mounted in its place in ``parent`` the first time it has something
        to show (the findings, the shown data, the futures: most programs never need
        them; the output, where it is shown). It takes what is drawn on it before its
        mount; a pane on its way out mounts nothing."""
        if not view.is_attached and parent.is_attached:
            parent.mount(view, **where)
        return view

    @property
    def status(self) -> Status:
        session = self.session
        return Status(self.phase, session.exit_text() if self.ended and session else "",
                      self.speed, self.state.header.get("seed"), self.program.processes,
                      self.error)

    # -- keys -------------------------------------------------------------------

    def send(self, cmd: str, **fields: Any) -> None:
        """A control message to the running program (concviz's doing: its echo says so)."""
        if self.live:
            self._send(cmd, **fields)

    def _send(self, cmd: str, **fields: Any) -> None:
        if self.session is not None:
            self.session.send(cmd, **fields)
        self._changed = True

    def action_toggle_pause(self) -> None:
        """Hold every thread at its next probed operation (concviz's pause), and resume;
        a program not run yet, or ended, runs (again)."""
        if not self.live:
            if self.phase in ("ready", "ended"):
                self.start_run()
            return
        paused = self.phase not in ("paused", "stepping")
        self._send("pause" if paused else "resume")
        self.phase = "paused" if paused else "running"

    def action_step(self) -> None:
        """Paused: let exactly one probed operation through. Running: pause first."""
        if not self.live:
            return
        self._send("step" if self.phase in ("paused", "stepping") else "pause")
        self.phase = "stepping"

    def set_speed(self, speed: float) -> None:
        """``time.sleep(s)`` sleeps ``s / speed`` from now on: concviz's doing, said so."""
        self.speed = speed
        if self.live:
            self._send("speed", factor=speed)

    def action_end(self) -> None:
        """End the program (its whole process group): concviz's doing, and said so."""
        if self.live:
            self._said.append(("", "concviz ends the program (k).", "bold"))
            self.stop_run(wait=False)

    def action_again(self) -> None:
        self.start_run()

    def action_spawn(self) -> None:
        from concviz.ui.widgets.program.spawn import SpawnPicker, top_level_functions

        if self.live:
            self.app.push_screen(SpawnPicker(top_level_functions(self.code or "")), self.spawn)

    def spawn(self, function: str | None) -> None:
        """Start a thread running the program's top-level ``function`` (concviz's doing)."""
        if function is not None:
            self.send("spawn", function=function)
