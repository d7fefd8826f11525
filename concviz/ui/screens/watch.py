"""``concviz watch PROGRAM.py``: a real, unmodified program runs under the probe, and
the screen shows its code beside a :class:`ProgramPane`: its threads, its locks and
queues, its shown data and futures, its own output apart from concviz's narration, and
what concviz's checks find."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from concviz.ui.app import MIN_SIZE
from concviz.ui.beat import beat
from concviz.ui.widgets.key_footer import KeyFooter
from concviz.ui.widgets.program.code import WatchCode
from concviz.ui.widgets.program.pane import ProgramPane
from concviz.ui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from concviz.watch.programs import Program
    from concviz.watch.session import Session

CSS = Path(__file__).parent.parent / "styles" / "watch.tcss"
WIDE = 110  # from this width the code is open at the start (beside the state)

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
    """One watched program in a :class:`ProgramPane`, its code beside it."""

    CSS_PATH = CSS
    AUTO_FOCUS = "ProgramPane"
    OFFERS_DEMOS: ClassVar[bool] = False  # no g (gallery), no L (lesson): see app.py
    BINDINGS: ClassVar[list[BindingType]] = [
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
                 speed: float = 1.0, **pane: object) -> None:
        """``make_session`` makes each run's session (``r`` makes another); the rest goes
        to the pane (``clock``, for tests)."""
        super().__init__()
        self.program = program
        self.pane = ProgramPane(program, make_session, speed=speed, id="watch-pane", **pane)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="watch-main"):
            yield WatchCode(id="code")
            yield self.pane
        yield Static(Content(f"Terminal too small: concviz needs {MIN_SIZE[0]}x{MIN_SIZE[1]}.\n"
                             "Make the window bigger or the font smaller."), id="too-small")
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = f"watch {self.program.name}"
        if self.app.size.width >= WIDE:
            self.add_class("-code")
        beat(self).join(self._show_code)

    def _show_code(self) -> None:
        """The code's marks follow the pane's state on the beat."""
        pane = self.pane
        listing = pane.listing
        title = f"Code · {listing.title}" if listing is not None else "Code"
        self.query_one(WatchCode).show(title, pane.code, pane.state)

    # -- keys -------------------------------------------------------------------

    async def action_code(self) -> None:
        """The code, beside the state; closing it also ends its zoom."""
        if self.has_class("-code"):
            self.remove_class("-zoom")
        await self.app.action_toggle_code()

    async def action_zoom(self) -> None:
        """The code, the whole width, and back."""
        if not self.has_class("-code"):
            await self.app.action_toggle_code()
        self.toggle_class("-zoom")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The scroll keys are the code's while it is open (they go on to the app)."""
        return action != "scroll_state" or not self.has_class("-code")

    def action_scroll_state(self, how: str) -> None:
        getattr(self.pane.query_one(".program-state"), f"scroll_{how}")()

    def action_help(self) -> None:
        """Every key of the pane and this screen, then the app's that still work here
        (not those these keys shadow, nor those the app offers only elsewhere: tab, with
        no panes to move between, the gallery and the lesson)."""
        from concviz.ui.screens.help import HelpScreen

        keys = [*ProgramPane.BINDINGS, *self.BINDINGS]
        mine = {binding.key for binding in Binding.make_bindings(keys)}
        everywhere = [binding for binding in Binding.make_bindings(self.app.BINDINGS)
                      if binding.key not in mine and self.app.check_action(
                          binding.action.partition("(")[0], ()) is not False]
        self.app.push_screen(HelpScreen([(f"Watching {self.program.name}", keys),
                                         ("Everywhere", everywhere)], intro=HELP))

    def action_quit(self) -> None:
        """Quit concviz; the program and everything it started end first."""
        self.pane.stop_run()
        self.app.exit()
