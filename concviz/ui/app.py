"""The concviz app: the dashboard of panes, each driven by a real running demo."""

from __future__ import annotations

import argparse
import gc
import os
import tempfile
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal
from textual.events import DescendantFocus
from textual.markup import escape
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Static

from concviz import config
from concviz.programs.catalogue import DASHBOARD, in_section
from concviz.ui.pane import Pane
from concviz.ui.themes import THEMES
from concviz.ui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from concviz.ui.panes.pool import Sampler
    from concviz.ui.widgets.code_panel import CodePanel

STYLES = Path(__file__).parent / "styles"
MIN_SIZE = (60, 20)  # below this: a clear message instead of a broken layout
FULL_SIZE = (110, 34)  # below this the panes are shown one at a time (see app.tcss)
OTHER_PANES_AFTER = 0.05  # seconds after the first frame
PANES = ("pc", "pool", "futures")  # the dashboard's panes, in their places
PANE_CSS = {"pc": (), "pool": ("pool.tcss",), "futures": ()}
SCREEN_CSS = ("pool.tcss", "gallery.tcss")  # the gallery's and the lesson's
# the dashboard's demos: not offered on a screen whose OFFERS_DEMOS is False (a watched
# program's: it shows that program, and the gallery's "g Dashboard" would lead back to it)
DEMO_SCREENS = ("gallery", "lesson")


def pool_options(args: argparse.Namespace | None) -> dict:
    """The pool pane's options from ``concviz run pool``."""
    if args is None or getattr(args, "demo", None) != "pool":
        return {}
    return {
        "sizes": tuple(args.sizes),
        "workload": args.workload,
        "executor": args.executor,
        "n": args.n,
        "baseline": args.baseline,
        "seed": args.seed,
        "speed": args.speed,
        "autostart": True,
    }


def breakpoint_class(size: int, points: list[tuple[int, str]]) -> list[str]:
    """The class a breakpoint list gives ``size``, as Textual's docs state the rule:
    that of the largest breakpoint ``size`` reaches (none below the smallest)."""
    reached = [point for point in points if size >= point[0]]
    return [max(reached)[1]] if reached else []


def pane_keys(pane: Pane) -> list[BindingType]:
    """Every key of a pane: those of its kind (a program's pane, an engine demo's), then
    its own."""
    return [key for cls in reversed(type(pane).__mro__) if issubclass(cls, Pane)
            for key in cls.__dict__.get("BINDINGS", [])]


def dashboard_programs() -> list[str]:
    """The catalogue's programs the dashboard's panes run."""
    return [entry.name for entry in in_section(DASHBOARD) if entry.file]


class DashboardScreen(Screen):
    def on_resize(self) -> None:
        self.app.call_after_refresh(self.app.refocus)  # once the size's styles apply


class ConcvizApp(App):
    """Real threads and processes, animated."""

    TITLE = "concviz"
    SUB_TITLE = "Python concurrency, happening"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [
        (0, "-w-tiny"), (MIN_SIZE[0], "-w-small"), (FULL_SIZE[0], "-w-full")
    ]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [
        (0, "-h-tiny"), (MIN_SIZE[1], "-h-small"), (FULL_SIZE[1], "-h-full")
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        # Textual's ctrl+c only asks to press ctrl+q; in a classroom Ctrl+C means quit
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
        Binding("tab", "next_pane(1)", "Next pane", show=False, priority=True),
        Binding("shift+tab", "next_pane(-1)", "Previous pane", show=False, priority=True),
        Binding("z", "zoom", "Zoom"),
        Binding("c", "toggle_code", "Code"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("g", "gallery", "Gallery"),
        Binding("L", "lesson", "Lesson", key_display="L", show=False),
        Binding("t", "next_theme", "Theme", show=False),
        Binding("s", "save_svg", "Screenshot", show=False),
        # while the code is open; one row in help and the palette, for the first
        Binding("up", "scroll_code('up')", "Scroll the open code (keys a pane or list "
                "has no use for)", key_display="↑↓ PgUp/Dn",
                show=False),
        *(Binding(key, f"scroll_code('{how}')", "", show=False)
          for key, how in (("down", "down"), ("pageup", "page_up"), ("pagedown", "page_down"),
                           ("home", "home"), ("end", "end"))),
    ]

    def __init__(
        self,
        args: argparse.Namespace | None = None,
        *,
        autostart: bool = True,
        sampler: Callable[[], Sampler] | None = None,
    ) -> None:
        super().__init__()
        self.sampler = sampler  # the pool pane's CPU sampler; None: the real one
        self.args = args
        self.lesson_page = getattr(args, "page", None) if getattr(args, "command", None) \
            == "lesson" else None
        # `concviz run producer-consumer` (or futures, or the no-lock program): the
        # dashboard, on that program's pane, run with the command line's settings
        self.in_pane = getattr(args, "command", None) == "run" and \
            getattr(args, "demo", None) in dashboard_programs()
        # concviz watch PROGRAM, or run NAME of another program: the watch screen
        self.watching = getattr(args, "command", None) == "watch" and not self.in_pane
        # a lesson or a gallery demo in front: the dashboard behind it waits for space (a
        # watched program has none behind it: see compose)
        self.autostart = autostart and self.lesson_page is None and \
            self._gallery_demo is None and not self.watching
        self.current: Pane | None = None
        for theme in THEMES:
            self.register_theme(theme)
        # set before the first frame: Textual restyles for it as the app starts, before
        # anything is composed (a CSS reparse; set in on_mount, ~15 ms). App.tcss is
        # read after that: see get_default_screen.
        self.theme = getattr(args, "theme", None) or config.saved_theme()

    def get_default_screen(self) -> Screen:
        """The dashboard's screen, born with its size classes: Textual adds them at the
        first resize, which restyles every widget before the first frame (~5 ms).

        The app's style sheet is read here, not from ``CSS_PATH``: the theme's restyle
        (see ``__init__``) parses every sheet read by then anew, and this one again after
        it (~3 ms). Every screen's widgets come after this one's."""
        self.use_css("app.tcss")
        width, height = self.size
        screen = DashboardScreen(id="_default")
        screen.add_class(*breakpoint_class(width, self.HORIZONTAL_BREAKPOINTS),
                         *breakpoint_class(height, self.VERTICAL_BREAKPOINTS))
        screen.AUTO_FOCUS = ""  # the pane is focused after the first frame, if shown
        return screen

    def compose(self) -> ComposeResult:
        if self.watching:  # the watch screen is all that shows: nothing built behind it
            self.dashboard = Container(id="dashboard")
            yield self.dashboard
            return
        yield TitleBar()
        # the dashboard; beside it, the code panel once opened (see _code_panel)
        with Horizontal(id="main"), Container(id="dashboard") as self.dashboard:
            for name in PANES[:PANES.index(self._first)]:  # their places, kept
                yield Static(id=f"{name}-slot", classes="slot")
            yield self._make_pane(self._first)
        yield Static(
            f"Terminal too small: concviz needs {MIN_SIZE[0]}x{MIN_SIZE[1]}.\n"
            "Make the window bigger or the font smaller.",
            id="too-small",
        )
        yield Container(id="keys")  # the footer's row: see _after_first_frame

    @property
    def _gallery_demo(self) -> str | None:
        """The demo of ``concviz run DEMO`` when the gallery shows it (not a pane's)."""
        demo = getattr(self.args, "demo", None)
        if getattr(self.args, "command", None) != "run" or demo == "pool":
            return None
        return None if demo in dashboard_programs() else demo

    @property
    def _first(self) -> str:
        """The pane asked for (``concviz run DEMO``), else producer/consumer."""
        demo = getattr(self.args, "demo", None)
        return {"pool": "pool", "futures": "futures"}.get(demo, "pc")

    def use_css(self, *names: str) -> None:
        """Add style sheets from ``styles/`` when what they style is first shown: Textual
        parses only the new ones, as it does a new widget's DEFAULT_CSS. Each parse
        before the first frame delays it (~1 ms a sheet)."""
        for path in (str(STYLES / name) for name in names):
            if not self.stylesheet.has_source(path):
                self.stylesheet.read(path)

    def _make_pane(self, name: str) -> Pane:
        """One dashboard pane; each imports its program or demo and its styles only when
        built. The first is the one shown when the panes are shown one at a time."""
        self.use_css(*PANE_CSS[name])
        shown = "-shown" if name == self._first else None
        if name == "pool":
            from concviz.ui.panes.pool import PoolPane

            sampler = {"sampler": self.sampler} if self.sampler else {}
            return PoolPane(id="pool", classes=shown, **sampler, **pool_options(self.args))
        from concviz.ui.panes.programs import FuturesPane, ProducerConsumerPane

        pane = FuturesPane if name == "futures" else ProducerConsumerPane
        if self.in_pane and name == self._first:  # `concviz run NAME`'s settings
            args = self.args
            return pane(id=name, classes=shown, autostart=self.autostart, entry=args.demo,
                        knobs=dict(args.knobs), seed=args.seed, speed=args.speed)
        return pane(id=name, classes=shown, autostart=self.autostart)

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, lambda theme: config.save(theme=theme.name))
        config.save(theme=self.theme)
        self.call_after_refresh(self._after_first_frame)
        if self.lesson_page is not None:
            self.action_lesson(self.lesson_page)
        elif self.watching:
            from concviz.ui.screens.watch import watch_screen

            self.use_css("watch.tcss")  # now, or pushing the screen reparses every sheet
            self.push_screen(watch_screen(self.args))
        elif self._gallery_demo is not None:  # `concviz run lock`: the gallery, on that demo
            from concviz.ui.screens.gallery import GalleryScreen

            self.use_css(*SCREEN_CSS)
            self.push_screen(GalleryScreen(seed=self.args.seed, speed=self.args.speed,
                                           run=self._gallery_demo))

    @staticmethod
    def collect_from_now() -> None:
        """The command line starts the app with the garbage collector off (run_tui in
        cli.py): what the start makes lives as long as the app (collecting over it cost
        ~1.5 ms before the first frame). Once that frame is out: kept out of every
        collection from then on, and the collector on again."""
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    async def _after_first_frame(self) -> None:
        """The first frame shows the running pane as soon as it can. The footer comes
        next, in the row kept for it (Textual's footer took ~2.5 ms to load and mount),
        then the pane's focus (a restyle, ~4 ms), which puts its keys in the footer; the
        other panes (~25 ms to mount) a moment later, so that the keys need not wait."""
        self.collect_from_now()
        if not self.dashboard.is_attached or self.watching:  # quit before the first frame
            return  # was out; or watching a program: the dashboard's panes are not needed
        from concviz.ui.widgets.key_footer import KeyFooter

        dashboard = self.dashboard.screen  # the lesson may be in front of it already
        await dashboard.query_one("#keys").mount(
            KeyFooter(compact=True, show_command_palette=False))
        if not self.dashboard.is_attached:  # quit meanwhile
            return
        if dashboard.query_one("#main").display:
            dashboard.set_focus(self.dashboard.query_one(Pane))
        else:  # too small: no focus, the app's keys alone
            dashboard.refresh_bindings()
        self.set_timer(OTHER_PANES_AFTER, self._mount_other_panes)

    def _mount_other_panes(self) -> None:
        """The rest of the dashboard: each pane in its place, a slot kept the places
        before the first."""
        if not self.dashboard.is_attached:  # quit meanwhile
            return
        for slot in self.dashboard.query_children(".slot"):
            self.dashboard.mount(self._make_pane(slot.id.removesuffix("-slot")), before=slot)
            slot.remove()
        after = PANES[PANES.index(self._first) + 1:]
        if after:
            self.dashboard.mount(*map(self._make_pane, after), after=self.dashboard.query_one(
                f"#{self._first}"))

    # -- which pane is in front -------------------------------------------------

    @property
    def panes(self) -> list[Pane]:
        """The dashboard's panes (whichever screen is in front)."""
        return list(self.dashboard.query_children(Pane))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Tab moves between the dashboard's panes; zoom and the code panel work on every
        screen that has one (the dashboard, the gallery, the lesson); the scroll keys
        belong to the code panel while it is open (elsewhere they go on to others); the
        gallery and the lesson are the dashboard's, not a watched program's."""
        if action == "next_pane":
            return self.screen is self.dashboard.screen
        if action in DEMO_SCREENS:
            return getattr(self.screen, "OFFERS_DEMOS", True)
        if action in ("zoom", "toggle_code"):
            return bool(self.screen.query("#code, #main"))  # a code panel, or its place
        if action == "scroll_code":
            return self.screen.has_class("-code")
        return True

    def refocus(self) -> None:
        """Back from "too small": the hidden panes lost the focus, and with it their keys
        (space did nothing); the pane in front gets it back."""
        screen = self.dashboard.screen if self.dashboard.is_attached else None
        if screen is None or self.screen is not screen or screen.focused is not None:
            return
        pane = self.current if self.current in self.panes else next(iter(self.panes), None)
        if pane is not None and screen.query_one("#main").display:
            pane.focus()

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        pane = next((w for w in event.widget.ancestors_with_self if isinstance(w, Pane)), None)
        if pane is not None and pane is not self.current and pane in self.panes:
            self.current = pane
            self._arrange()

    def _arrange(self) -> None:
        """Mark the pane in front: the one shown when panes are shown one at a time."""
        panes = self.panes
        for pane in panes:
            pane.set_class(pane is (self.current or panes[0]), "-shown")

    # -- actions ----------------------------------------------------------------

    def action_next_pane(self, step: int) -> None:
        """Tab: the next pane, shown first when panes are shown one at a time (a hidden
        widget cannot take focus, so plain focus_next would never reach it)."""
        panes = self.panes
        index = panes.index(self.current) if self.current in panes else 0
        pane = panes[(index + step) % len(panes)]
        self.current = pane
        self._arrange()
        self.call_after_refresh(pane.focus)

    def action_zoom(self) -> None:
        """The pane in front full screen (the code, while it is open), and back."""
        self.screen.toggle_class("-zoom")

    async def action_toggle_code(self) -> None:
        """Show the program of the pane in front with the line each thread is at."""
        panel = await self._code_panel()
        self.screen.toggle_class("-code")
        if self.screen.has_class("-code"):  # the marks follow the threads while it is open
            panel.open()
        else:
            panel.close()

    async def _code_panel(self) -> CodePanel:
        """The code panel of the screen in front. The dashboard's is made the first time
        it is opened, beside the panes (#main): many classes never open it, and made
        with the dashboard it delayed the first frame (~1.5 ms)."""
        from concviz.ui.widgets.code_panel import CodePanel

        panels = self.screen.query(CodePanel)
        if panels:
            return panels.first()
        panel = CodePanel(id="code")
        await self.screen.query_one("#main").mount(panel)
        return panel

    def action_scroll_code(self, how: str) -> None:
        """Scroll the open code panel (it never takes the focus: the pane keeps its keys)."""
        getattr(self.screen.query_one("#code"), f"scroll_{how}")()

    def help_sections(self) -> list[tuple[str, list[BindingType]]]:
        from concviz.ui.demo_pane import DemoPane
        from concviz.ui.screens.gallery import DemoPicker, GalleryScreen
        from concviz.ui.screens.lesson import LessonScreen
        from concviz.ui.widgets.program.pane import ProgramPane

        sections = [("Everywhere", [*self.BINDINGS, Binding("ctrl+p", "", "Command palette")])]
        panes = self.panes
        sections += [(title, kind.BINDINGS) for kind, title in (
            (ProgramPane, "Every program pane (the file runs under concviz's probe)"),
            (DemoPane, "Every process demo pane")) if any(isinstance(p, kind) for p in panes)]
        sections += [(pane.TITLE, own) for pane in panes
                     if (own := type(pane).__dict__.get("BINDINGS"))]
        sections += [("Gallery (g)", [*DemoPicker.BINDINGS, *GalleryScreen.BINDINGS]),
                     ("Lesson (L)", LessonScreen.BINDINGS)]
        return sections

    def action_gallery(self) -> None:
        """Every program of the catalogue, with a picker."""
        from concviz.ui.screens.gallery import GalleryScreen  # its programs load on first use

        self.use_css(*SCREEN_CSS)
        self.push_screen(GalleryScreen())

    def action_lesson(self, page: int = 1) -> None:
        """The seed's questions in order, each with its live demo."""
        from concviz.ui.screens.lesson import LessonScreen, lesson_demos

        self.use_css(*SCREEN_CSS)
        self.push_screen(LessonScreen(lesson_demos(), page))

    def action_help(self) -> None:
        from concviz.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.help_sections()))

    def action_next_theme(self) -> None:
        """Cycle the classroom themes; the choice is remembered for next time."""
        names = config.THEMES
        self.theme = names[(names.index(self.theme) + 1) % len(names)] \
            if self.theme in names else names[0]
        self.notify(f"Theme: {self.theme}")

    def action_save_svg(self) -> None:
        """Save what the screen shows as an SVG in the current folder and say its name;
        if that folder is read-only or gone, say so and save in the temp folder."""
        folder = "the current folder"  # until os.getcwd() says which (a deleted one: it can't)
        try:
            folder = os.getcwd()
            path = Path(self.save_screenshot(path=folder))
        except OSError as error:
            where = folder
            reason = error.strerror or str(error)
            try:
                path = Path(self.save_screenshot(path=tempfile.gettempdir()))
            except OSError as again:
                self.notify(f"Could not save a screenshot in {where} ({reason}) nor in "
                            f"{tempfile.gettempdir()} ({again.strerror or again}).",
                            title="Screenshot", severity="error")
                return
            self.notify(f"Could not write in {where} ({reason}): saved {path} instead.",
                        title="Screenshot", severity="warning")
            return
        self.notify(f"Saved {path.name} in {path.parent}", title="Screenshot")

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Textual's notify, but plain text unless asked: toasts carry file names and
        settings, and data read as markup once ended the app."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every key's action in the command palette too."""
        yield from super().get_system_commands(screen)
        for binding in Binding.make_bindings(self.BINDINGS):
            if binding.description and binding.action != "quit" and (
                    binding.action not in DEMO_SCREENS or getattr(screen, "OFFERS_DEMOS", True)):
                yield SystemCommand(escape(binding.description), escape(f"key {binding.key}"),
                                    partial(self.call_later, self.run_action, binding.action))
        for pane in self.panes:  # watching a program: no dashboard, no panes
            for binding in Binding.make_bindings(pane_keys(pane)):
                yield SystemCommand(  # the palette reads both as markup: "[/]" is a key
                    escape(f"{pane.TITLE.split(' ·')[0]}: "
                           f"{binding.tooltip or binding.description}"),
                    escape(f"key {binding.key_display or binding.key} in that pane"),
                    partial(self.call_later, self.run_action, binding.action, pane),
                )
