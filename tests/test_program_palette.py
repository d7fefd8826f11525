"""The program pane's colours come from the theme: each renderable draws in the palette
it is given (no app needed), and its widget fills that palette from its component
classes, so a new theme recolours what is on screen."""

from __future__ import annotations

import io
from pathlib import Path

from rich.color import Color
from rich.console import Console, RenderableType
from rich.style import Style
from textual.app import App, ComposeResult
from textual.geometry import Region

from concviz.ui.renderables.chips import PROJECTOR, Palette
from concviz.ui.themes import LIGHT, THEMES
from concviz.ui.widgets.program.data import ShownData
from concviz.ui.widgets.program.findings import FindingsList
from concviz.ui.widgets.program.futures import FuturesSummary
from concviz.ui.widgets.program.output import STDERR, ProgramOutput
from concviz.ui.widgets.program.pane import ProgramPane
from concviz.ui.widgets.program.primitives import PrimitiveBoxes
from concviz.ui.widgets.program.status import Status, StatusLine
from concviz.ui.widgets.program.threads import ThreadRows, WatchThreads
from concviz.watch import state as st
from concviz.watch.programs import Program
from concviz.watch.state import Finding, FutureView, PrimitiveView, ProgramState, ThreadView
from tests.helpers import until

# a palette no theme has: each chip's colour says which field drew it
PALETTE = Palette(hold=Style(color="black", bgcolor="magenta"),
                  wait=Style(color="black", bgcolor="cyan"),
                  error=Style(color="white", bgcolor="blue"),
                  item=Style(underline=True), dim=Style(color="grey50"))


def state() -> ProgramState:
    """Thread-1 holds lock_a, Thread-2 is blocked on it; Thread-3 died; one future ran,
    one failed; a deadlock was found; a list is shown."""
    state = ProgramState()
    state.header = {"program": "/p.py"}
    state.threads = {
        2: ThreadView(2, "Thread-1", state=st.RUNNING, file="/p.py", line=3),
        3: ThreadView(3, "Thread-2", state=st.BLOCKED, on=10, file="/p.py", line=4),
        4: ThreadView(4, "Thread-3", state=st.DIED, error="ValueError: no"),
    }
    state.prims = {10: PrimitiveView(10, "Lock", "lock_a", owner=2, waiters=[3])}
    state.futures = {
        20: FutureView(20, "work", "(1,)", state="running", worker=2, started=0.1),
        21: FutureView(21, "work", "(2,)", state="failed", worker=2, started=0.1, ended=0.2,
                       error="ValueError: no"),
    }
    state.completion_order = [21]
    state.findings = [Finding("deadlock", 1.0, "Thread-1 and Thread-2 wait.", [2, 3], [10])]
    state.data = {"items": [1, 2]}
    return state


def style_of(renderable: RenderableType, text: str, width: int = 100) -> Style:
    """The style of the first segment drawn that holds ``text``."""
    console = Console(width=width, file=io.StringIO(), color_system="truecolor")
    for segment in console.render(renderable):
        if text in segment.text:
            return segment.style or Style()
    raise AssertionError(f"{text!r} is not drawn")


def test_the_threads_draw_in_the_palette_given():
    rows = ThreadRows(state(), 1.0, PALETTE)
    assert style_of(rows, "BLOCKED").bgcolor == Color.parse("cyan")
    assert style_of(rows, "DIED").bgcolor == Color.parse("blue")


def test_the_primitive_boxes_draw_in_the_palette_given():
    boxes = PrimitiveBoxes(state(), PALETTE, waited=Style(color="red"))
    assert style_of(boxes, "◆ Thread-1").bgcolor == Color.parse("magenta")
    assert style_of(boxes, "■ Thread-2").bgcolor == Color.parse("cyan")
    assert style_of(boxes, "╭").color == Color.parse("red")  # someone waits for it


def test_the_shown_data_draws_in_the_palette_given():
    assert style_of(ShownData({"items": [1, 2]}, PALETTE), " 1 ").underline
    assert style_of(ShownData({"items": [1, 2]}, PALETTE), "(2 items)").color == \
        Color.parse("grey50")


def test_the_findings_draw_in_the_palette_given():
    found = state()
    assert style_of(FindingsList(found.findings, True, found, PALETTE),
                    "DEADLOCK").bgcolor == Color.parse("blue")


def test_the_futures_draw_in_the_palette_given():
    summary = FuturesSummary(state(), 1.0, PALETTE, done=Style(color="magenta"))
    assert style_of(summary, "#1 work(1)").bgcolor == Color.parse("cyan")  # running
    assert style_of(summary, "#2 work(2)").bgcolor == Color.parse("blue")  # failed


def test_the_status_line_draws_in_the_palette_given():
    assert style_of(StatusLine(Status("running"), PALETTE), "running").bgcolor == \
        Color.parse("magenta")
    assert style_of(StatusLine(Status("paused"), PALETTE), "PAUSED").bgcolor == \
        Color.parse("cyan")
    assert style_of(StatusLine(Status("ended", "died of ValueError"), PALETTE),
                    "died").bgcolor == Color.parse("blue")


class PaletteApp(App):
    """A program pane, not run, on concviz's themes: its boxes draw in its palette."""

    def compose(self) -> ComposeResult:
        yield ProgramPane(Program(Path("/p.py"), "p.py"), autostart=False)

    def on_mount(self) -> None:
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = "projector"


def test_a_box_outside_a_pane_draws_in_the_projectors_palette():
    assert WatchThreads().palette == PROJECTOR


def drawn(widget, text: str) -> Color:
    """The background ``text`` is drawn on, on screen."""
    for strip in widget.render_lines(Region(0, 0, widget.size.width, widget.size.height)):
        for segment in strip:
            if text in segment.text and segment.style and segment.style.bgcolor:
                return segment.style.bgcolor
    raise AssertionError(f"{text!r} is not on screen")


def near(color: Color, hex_color: str) -> bool:
    """``color`` is the theme's ``hex_color`` (Textual's blending may round a channel)."""
    want = Color.parse(hex_color.lower()).get_truecolor()
    return all(abs(a - b) <= 1 for a, b in zip(color.get_truecolor(), want, strict=True))


async def test_a_new_theme_recolours_the_held_and_waiting_chips():
    app = PaletteApp()
    async with app.run_test(size=(100, 30)):
        pane = app.query_one(ProgramPane)
        prims, threads = pane.prims, pane.threads_view
        await until(lambda: prims.size.height and threads.size.height, "nothing drawn")
        shown = state()  # drawn on the pane's boxes, as its fold would
        threads.show(shown, 1.0)
        prims.show(shown)
        await until(lambda: "◆ Thread-1" in " ".join(s.text for s in prims.render_lines(
            Region(0, 0, prims.size.width, prims.size.height))), "the state is not drawn")
        green, yellow = (Color.from_triplet(Color.parse(name).get_truecolor(app.ansi_theme))
                         for name in ("green", "yellow"))  # ANSI, as the app shows it
        assert drawn(prims, "◆ Thread-1") == green  # the projector's: black on green
        assert drawn(threads, "BLOCKED") == yellow

        app.theme = "light"  # its $success and $warning
        await until(lambda: near(drawn(prims, "◆ Thread-1"), LIGHT.success),
                    "the held chip kept the projector's colour")
        await until(lambda: near(drawn(threads, "BLOCKED"), LIGHT.warning),
                    "the blocked chip kept the projector's colour")

        app.theme = "textual-light"
        await until(lambda: near(drawn(prims, "◆ Thread-1"), app.current_theme.success),
                    "the held chip kept the light theme's colour")


async def test_a_new_theme_recolours_the_lines_written_to_stderr():
    app = PaletteApp()
    async with app.run_test(size=(100, 30)):
        output = app.query_one(ProgramOutput)
        await until(lambda: output.size.height, "no output box")
        output.add("stderr", "Traceback (most recent call last):\n")

        def colour() -> Color | None:
            return output.lines[-1].spans[-1].style.color

        await until(lambda: colour() == output.get_component_rich_style(
            "program-output--stderr").color, "the line is not in the theme's colour")
        assert colour().number == Color.parse("red").number  # the projector's: ANSI red

        app.theme = "light"  # its $text-error
        await until(lambda: colour().number is None, "the line kept the projector's red")
        assert output.lines[-1].spans[-1].style == output.get_component_rich_style(
            "program-output--stderr")
        assert output.text == f"{STDERR}Traceback (most recent call last):"  # once


def test_a_long_shown_list_takes_its_rows_and_counts_the_rest():
    console = Console(width=40, color_system=None)
    with console.capture() as capture:
        console.print(ShownData({"shared_list": list(range(1000))}))
    rows = capture.get().splitlines()
    assert len(rows) == 3 and rows[0].startswith("shared_list = (1000 items)  0 ")
    shown = len(rows[0].split()) - 4 + sum(len(row.split()) for row in rows[1:]) - 3
    assert rows[-1].rstrip().endswith(f"… +{1000 - shown} more")
