"""The program's futures (``concurrent.futures`` on threads): a cell per future in the
order they were submitted, the order ``as_completed`` handed them back in, and a
timeline per worker thread of which future ran on it when."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Console, ConsoleOptions, RenderResult
from rich.style import Style
from rich.text import Text

from concviz.ui.models.futures import Bar, FutureCard, FutureState
from concviz.ui.renderables.chips import PROJECTOR, Palette
from concviz.ui.renderables.future_card import counts_line
from concviz.ui.renderables.gantt import Gantt
from concviz.ui.widgets.program.layout import AutoRows
from concviz.ui.widgets.program.naming import thread_name
from concviz.watch.state import FutureView, ProgramState

STATES = {state.name.lower(): state for state in FutureState}  # "done" -> FutureState.DONE
CELL_WIDTH = 32  # "#10 factorial(10) ✗ ValueError" fits; longer calls are cut
CELL_ROWS = 6  # rows of future cells; the rest are counted
TIMELINE_ROWS = 6  # the workers' timeline, its axis included
DONE = Style.parse("bold green")  # the projector's; the widget's come from its CSS


def state_styles(palette: Palette, done: Style) -> dict[FutureState, Style]:
    """Each future state's style: running waits (for its worker), failed is an error."""
    return {FutureState.PENDING: Style(), FutureState.RUNNING: palette.wait,
            FutureState.DONE: done, FutureState.FAILED: palette.error,
            FutureState.CANCELLED: Style(strike=True)}


def future_state(future: FutureView) -> FutureState:
    return STATES.get(future.state, FutureState.PENDING)


def call(future: FutureView) -> str:
    """``fn(args)`` as submitted (``args`` is the probe's repr of the arguments)."""
    args = future.args.strip()
    if args.startswith("(") and args.endswith(")"):
        args = args[1:-1].rstrip(",")
    return f"{future.fn}({args})"


def outcome(state: ProgramState, future: FutureView) -> str:
    """What the future holds: its result, its error's type, or who runs it."""
    match future_state(future):
        case FutureState.DONE:
            return future.result or ""
        case FutureState.FAILED:
            return (future.error or "").split(":")[0]
        case FutureState.RUNNING:
            return f"on {thread_name(state, future.worker)}" if future.worker is not None else ""
    return ""


def future_text(state: ProgramState, number: int, future: FutureView) -> str:
    """``#N fn(args) ✓ outcome`` in at most ``CELL_WIDTH``: a long call is cut before its
    outcome is (an error's type is the word to read)."""
    head = f"#{number} {call(future)}"
    tail = f"{future_state(future).symbol} {outcome(state, future)}".rstrip()
    text = f"{head} {tail}"
    room = CELL_WIDTH - len(tail) - 1  # for the head
    if len(text) <= CELL_WIDTH:
        return text
    if room > len(f"#{number} ") + 1:
        return f"{head[:room - 1]}… {tail}"
    return text[:CELL_WIDTH - 1] + "…"


def grid(state: ProgramState, width: int, styles: dict[FutureState, Style],
         dim: Style) -> list[Text]:
    """The futures as cells of one width in columns, in submission order, on at most
    ``CELL_ROWS`` rows; the last row says how many more there are."""
    futures = list(state.futures.values())
    if not futures:  # drawn before the first: the box is hidden
        return []
    texts = [future_text(state, n, f) for n, f in enumerate(futures, 1)]
    cell = min(width, max(map(len, texts)) + 2)
    columns = max(1, (width + 1) // (cell + 1))
    shown = len(texts) if len(texts) <= columns * CELL_ROWS else columns * CELL_ROWS - 1
    rows = []
    for start in range(0, shown, columns):
        row = Text()
        for text, future in zip(texts[start:min(start + columns, shown)],
                                futures[start:min(start + columns, shown)], strict=True):
            row.append(f" {text} ".ljust(cell), style=styles[future_state(future)])
            row.append(" ")
        rows.append(row)
    if shown < len(texts):
        rows[-1].append(f"… +{len(texts) - shown} more", style=dim)
    return rows


def completion_line(state: ProgramState, numbers: dict[int, int],
                    styles: dict[FutureState, Style], dim: Style) -> Text:
    """``as_completed`` gave: #3 #1 #2: the order the program saw them finish in."""
    line = Text("as_completed gave: ", style="bold")
    if not state.completion_order:
        line.append("nothing yet", style=dim)
    for obj in state.completion_order:
        future = state.futures.get(obj)
        kind = future_state(future) if future is not None else FutureState.DONE
        line.append(f"#{numbers.get(obj, '?')}{'' if kind is FutureState.DONE else kind.symbol}",
                    style="bold" if kind is FutureState.DONE else styles[kind])
        line.append(" ")
    return line


def timeline(state: ProgramState, numbers: dict[int, int]) -> dict[str, list[Bar]]:
    """Each worker's futures as bars (Gantt's model), numbered by submission."""
    rows: dict[str, list[Bar]] = {}
    for obj, future in state.futures.items():
        if future.worker is None or future.started is None:
            continue
        bar = Bar(numbers[obj], future.started, future.ended,
                  failed=future_state(future) is FutureState.FAILED)
        rows.setdefault(thread_name(state, future.worker), []).append(bar)
    return rows


class FuturesSummary:
    """Rich renderable: counts, a cell per future, the completion order, the timeline;
    a running and a failed future in ``palette``'s chips, a done one in ``done``."""

    def __init__(self, state: ProgramState, now: float, palette: Palette = PROJECTOR,
                 done: Style = DONE) -> None:
        self.state = state
        self.now = now
        self.dim = palette.dim
        self.styles = state_styles(palette, done)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        state, width = self.state, options.max_width
        numbers = {obj: n for n, obj in enumerate(state.futures, 1)}
        cards = [FutureCard(n, state=future_state(f)) for n, f in enumerate(
            state.futures.values(), 1)]
        yield counts_line(cards, width)
        yield from grid(state, width, self.styles, self.dim)
        yield completion_line(state, numbers, self.styles, self.dim)
        rows = timeline(state, numbers)
        if rows:
            yield Gantt(rows, self.now, max_rows=TIMELINE_ROWS)


class FuturesView(AutoRows):
    """Shown only when the program submits futures (the screen hides it otherwise)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"futures-view--done"}
    """
    | Class | Description |
    | :- | :- |
    | `futures-view--done` | A future that returned its result. |
    """

    SCOPED_CSS = False  # the projector's rule begins at the App
    DEFAULT_CSS = """
    FuturesView > .futures-view--done { color: $text-success; text-style: bold; }
    App.-theme-projector FuturesView > .futures-view--done { color: ansi_green; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.state = ProgramState()
        self.now = 0.0

    def show(self, state: ProgramState, now: float) -> None:
        self.state, self.now = state, now
        self.draw()

    def drawing(self) -> FuturesSummary:
        return FuturesSummary(self.state, self.now, self.palette,
                              self.component_style("futures-view--done", DONE))
