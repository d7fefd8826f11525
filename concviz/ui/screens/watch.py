"""``concviz watch PROGRAM.py``: a real, unmodified program runs under the probe, and
the screen shows its code, its threads, its locks and queues, its shown data and
futures, its own output apart from concviz's narration, and what concviz's checks find.

The screen drains the session on a ~30 Hz timer (at most ``MAX_DRAIN`` events a tick,
so a flood never holds up a key) and folds each event into a :class:`ProgramState`;
the widgets redraw from it on the screen's beat (4 Hz), as the dashboard's panes do; the
status line also at once when a key changes it.
Only the UI thread touches widgets: the session's reader thread only fills its buffer.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from concviz.ui.app import MIN_SIZE
from concviz.ui.beat import beat
from concviz.ui.pane import DRAIN_EVERY, faster, slower
from concviz.ui.widgets.drawing import Drawing
from concviz.ui.widgets.event_log import KEEP, EventLog
from concviz.ui.widgets.key_footer import KeyFooter
from concviz.ui.widgets.title_bar import TitleBar
from concviz.ui.widgets.watch.code import WatchCode, read_code
from concviz.ui.widgets.watch.data import DataView
from concviz.ui.widgets.watch.findings import FindingsView
from concviz.ui.widgets.watch.output import ProgramOutput
from concviz.ui.widgets.watch.primitives import PrimitivesView
from concviz.ui.widgets.watch.status import Status, StatusLine
from concviz.ui.widgets.watch.threads import WatchThreads
from concviz.watch import state as st
from concviz.watch.state import ProgramState
from concviz.watch.words import describe

if TYPE_CHECKING:
    import argparse

    from concviz.ui.widgets.watch.futures import FuturesView
    from concviz.watch.programs import Program
    from concviz.watch.session import Session

CSS = Path(__file__).parent.parent / "styles" / "watch.tcss"
MAX_DRAIN = 5000  # events folded per tick, at most: keys are handled between ticks
STOP_GRACE = 1.0  # seconds a program has to end on SIGTERM before SIGKILL
WIDE = 110  # from this width the code is open at the start (beside the state)
FOUND = {"deadlock": "a deadlock", "lock-order": "two locks taken in opposite orders"}
HELP = """\
concviz runs the program as it is, unchanged, in a process of its own, and shows what \
its threads do as they do it.

Code (c shows or hides it, z gives it the whole width): the file that runs; ▶ marks the \
line each thread is at, with the thread's name.
Threads: a row per thread, its state in a word (starting, running, sleeping, BLOCKED, \
WAITING, HELD by concviz's pause, finished, DIED) and what it waits for.
Locks, queues and friends: a box per lock, semaphore, condition, event, barrier and \
queue the program made, who holds it and who waits (yellow: someone waits; green: held, \
or an Event that is set).
Shown data: the globals named with --show NAME or a "# concviz: show NAME" line (the \
seed's ques.4 shows shared_list).
Futures: what the program submits to a thread pool, once it does.
Output: what the program writes (stderr marked ▌). concviz says what happens: \
concviz's account of each operation.
A red box at the top: concviz's own checks found a deadlock, or two locks taken in \
opposite orders. Python has no such checks.

Pause, step, speed, a new thread and the end are concviz's doing, not Python's (it has \
no such controls), and the screen says so when concviz does one. Paused (space), each \
thread stops at its next operation concviz watches (a lock, a wait, a queue, a sleep, \
a thread's start or join); code in between runs on. A step (.) lets exactly one of \
those through. The speed (+/-) divides each time.sleep the program calls, nothing \
else. A new thread (F) runs one of the program's top-level functions. The end (k) ends \
the program and the processes it started."""


def watch_screen(args: argparse.Namespace) -> WatchScreen:
    """The screen for ``concviz watch`` (its arguments checked by the command's
    ``prepared``: ``args.watched``)."""
    from concviz.commands.watch import session_for

    return WatchScreen(args.watched.program, partial(session_for, args), speed=args.speed)


class WatchScreen(Screen[None]):
    """One watched program, run again with ``r``; every key's effect is concviz's and
    the screen says so (paused, stepping, sleeps xN)."""

    CSS_PATH = CSS
    AUTO_FOCUS = ""
    OFFERS_DEMOS: ClassVar[bool] = False  # no g (gallery), no L (lesson): see app.py
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
        Binding("c", "code", "Code"),
        Binding("z", "zoom", "Zoom code"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
        # while the code is closed (open, they scroll the code: the app's bindings)
        Binding("up", "scroll_state('up')", "Scroll the threads and boxes (the code closed)",
                key_display="↑↓ PgUp/Dn", show=False),
        *(Binding(key, f"scroll_state('{how}')", "", show=False)
          for key, how in (("down", "down"), ("pageup", "page_up"), ("pagedown", "page_down"),
                           ("home", "home"), ("end", "end"))),
    ]

    def __init__(self, program: Program, make_session: Callable[[], Session], *,
                 speed: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        """``make_session`` makes each run's session (``r`` makes another); ``clock`` is
        the probe's (the machine's monotonic one), for the sleeps' countdowns."""
        super().__init__()
        self.program = program
        self.make_session = make_session
        self.speed = speed
        self.clock = clock
        self.session: Session | None = None
        self.state = ProgramState()
        self.code: str | None = None
        self.paused = False
        self.stepping = False
        self.ended = False
        self.error = ""  # why the program could not be run, if it could not
        self._changed = False
        # narration not yet drawn, (thread, sentence, style): made into Text at the beat,
        # only the lines that will show
        self._said: deque[tuple[str, str, str]] = deque(maxlen=KEEP)
        # output not yet drawn: whole, as a line may span chunks (at most MAX_DRAIN a tick)
        self._out: deque[tuple[str, str]] = deque()

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Drawing(id="watch-status")
        with Vertical(id="watch"):
            yield FindingsView(id="watch-findings")
            with Horizontal(id="watch-main"):
                yield WatchCode(id="code")
                with VerticalScroll(id="watch-state", can_focus=False):
                    yield WatchThreads(id="watch-threads")
                    yield PrimitivesView(id="watch-prims")
                    yield DataView(id="watch-data")  # then the futures, once there are
            with Horizontal(id="watch-logs"):
                yield ProgramOutput(id="watch-output")
                yield EventLog(id="watch-narration")
        yield Static(Content(f"Terminal too small: concviz needs {MIN_SIZE[0]}x{MIN_SIZE[1]}.\n"
                             "Make the window bigger or the font smaller."), id="too-small")
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = f"watch {self.program.name}"
        titles = {"#watch-threads": "Threads", "#watch-prims": "Locks, queues and friends",
                  "#watch-data": "Shown data",
                  "#watch-output": "Output · the program's own",
                  "#watch-narration": "concviz says what happens"}
        for selector, title in titles.items():
            self.query_one(selector).border_title = Content(title)
        if self.app.size.width >= WIDE:
            self.add_class("-code")
        self._clock = self.set_interval(DRAIN_EVERY, self._drain, pause=True)
        self.start_run()

    def on_unmount(self) -> None:
        """However the screen goes (q, ctrl+c, the app's end), the program goes too."""
        self.stop_run()

    # -- the run ----------------------------------------------------------------

    def start_run(self) -> None:
        self.stop_run(wait=False)
        self.state, self.code = ProgramState(), None
        self.paused = self.stepping = self.ended = False
        self.error, self._changed = "", True
        self._said.clear()
        self._out.clear()
        self.query_one("#watch-output", ProgramOutput).clear()
        self.query_one("#watch-narration", EventLog).clear()
        self.session = self.make_session()
        try:
            self.session.start()
        except OSError as error:  # the interpreter could not be started
            self.error = f"could not start {self.program.name}: {error.strerror or error}"
            self.ended, self.session = True, None
        else:
            self._clock.resume()
        beat(self).join(self._on_beat)
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
    def live(self) -> bool:
        """Whether the program still runs (a control message can reach it)."""
        return self.session is not None and not self.ended and self.session.poll() is None

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
            self.ended, self._changed = True, True
            self._said.append(("", f"The program {session.exit_text()}.", "bold"))
            self._show_status()

    def _header(self, header: dict[str, Any]) -> None:
        self.state.header = dict(header)
        self.code = read_code(header.get("program", ""))
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
        output = self.query_one("#watch-output", ProgramOutput)
        while self._out:
            output.add(*self._out.popleft())
        if self.ended:
            output.flush()
        else:
            output.beat()
        narration = self.query_one("#watch-narration", EventLog)
        while self._said:
            who, said, style = self._said.popleft()
            narration.write(Text.assemble((who, "bold"), " " if who else "", (said, style)))
        if self._changed:
            self._draw()
        elif any(t.state == st.SLEEPING for t in self.state.threads.values()):
            self.query_one(WatchThreads).show(self.state, self.now())
        if self.ended:
            beat(self).leave(self._on_beat)

    def _draw(self) -> None:
        """Every widget from the state as it is now."""
        self._changed = False
        state, now = self.state, self.now()
        shown_as = state.header.get("shown_as") or state.header.get("program")
        code = self.query_one(WatchCode)
        code.show(f"Code · {Path(shown_as).name}" if shown_as else "Code", self.code, state)
        self.query_one(WatchThreads).show(state, now)
        self.query_one(PrimitivesView).show(state)
        for widget, shown in ((self.query_one(DataView), bool(state.data)),
                              (self.query_one(FindingsView), bool(state.findings))):
            widget.display = shown
        if state.data:
            self.query_one(DataView).show(state)
        futures = self.query("#watch-futures")
        futures.set(display=bool(state.futures))  # a run again (r) may have none yet
        if state.futures:
            (futures.first() if futures else self._mount_futures()).show(state, now)
        if state.findings:
            self.query_one(FindingsView).show(state, running=self.live)
        self._show_status()

    def _show_status(self) -> None:
        """The status line as it is now. A key that changes it (pause, step, speed) and
        the program's end draw it at once, not at the next beat: its change must show
        within 200 ms even in a flood. Redrawn only when the Status differs."""
        status = self.status
        self.query_one("#watch-status", Drawing).show(StatusLine(status), key=status,
                                                      layout=True)

    def _mount_futures(self) -> FuturesView:
        """The futures box, made when the program first submits a future: most programs
        never do, and its drawing loads the futures pane's model (~12 ms before the
        first frame otherwise)."""
        from concviz.ui.widgets.watch.futures import FuturesView

        futures = FuturesView(id="watch-futures")
        futures.border_title = Content("Futures")
        self.query_one("#watch-state").mount(futures)
        return futures

    @property
    def status(self) -> Status:
        session = self.session
        if self.ended:
            phase = "ended"
        elif not self.state.header:
            phase = "starting"
        else:
            phase = "stepping" if self.stepping else "paused" if self.paused else "running"
        return Status(phase, session.exit_text() if self.ended and session else "",
                      self.speed, self.state.header.get("seed"), self.program.processes,
                      self.error)

    # -- keys -------------------------------------------------------------------

    def _send(self, cmd: str, **fields: Any) -> None:
        if self.session is not None:
            self.session.send(cmd, **fields)
        self._changed = True

    def action_toggle_pause(self) -> None:
        """Hold every thread at its next probed operation (concviz's pause), and resume."""
        if not self.live:
            return
        self.paused = not self.paused
        self.stepping = False
        self._send("pause" if self.paused else "resume")
        self._show_status()

    def action_step(self) -> None:
        """Paused: let exactly one probed operation through. Running: pause first."""
        if not self.live:
            return
        self._send("step" if self.paused else "pause")
        self.paused = self.stepping = True
        self._show_status()

    def action_faster(self) -> None:
        self._set_speed(faster(self.speed))

    def action_slower(self) -> None:
        self._set_speed(slower(self.speed))

    def _set_speed(self, speed: float) -> None:
        """``time.sleep(s)`` sleeps ``s / speed`` from now on: concviz's doing, said so."""
        self.speed = speed
        if self.live:
            self._send("speed", factor=speed)
        self._changed = True
        self._show_status()

    def action_end(self) -> None:
        """End the program (its whole process group): concviz's doing, and said so."""
        if self.live:
            self._said.append(("", "concviz ends the program (k).", "bold"))
            self.stop_run(wait=False)

    def action_again(self) -> None:
        self.start_run()

    def action_spawn(self) -> None:
        from concviz.ui.widgets.watch.spawn import SpawnPicker, top_level_functions  # on use

        if not self.live:
            return
        self.app.push_screen(SpawnPicker(top_level_functions(self.code or "")), self._spawn)

    def _spawn(self, function: str | None) -> None:
        if function is not None and self.live:
            self._send("spawn", function=function)

    def action_code(self) -> None:
        """The code, beside the state; closing it also ends its zoom."""
        if self.has_class("-code"):
            self.remove_class("-zoom")
        self.app.action_toggle_code()

    def action_zoom(self) -> None:
        """The code, the whole width, and back."""
        if not self.has_class("-code"):
            self.app.action_toggle_code()
        self.toggle_class("-zoom")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The scroll keys are the code's while it is open (they go on to the app)."""
        return action != "scroll_state" or not self.has_class("-code")

    def action_scroll_state(self, how: str) -> None:
        getattr(self.query_one("#watch-state", VerticalScroll), f"scroll_{how}")()

    def action_help(self) -> None:
        """Every key of this screen, then the app's that still work here (not those this
        screen's own keys shadow, nor those the app offers only elsewhere: tab, with no
        panes to move between, the gallery and the lesson)."""
        from concviz.ui.screens.help import HelpScreen

        mine = {binding.key for binding in Binding.make_bindings(self.BINDINGS)}
        everywhere = [binding for binding in Binding.make_bindings(self.app.BINDINGS)
                      if binding.key not in mine and self.app.check_action(
                          binding.action.partition("(")[0], ()) is not False]
        self.app.push_screen(HelpScreen([(f"Watching {self.program.name}", self.BINDINGS),
                                         ("Everywhere", everywhere)], intro=HELP))

    def action_quit(self) -> None:
        """Quit concviz; the program and everything it started end first."""
        self.stop_run()
        self.app.exit()
