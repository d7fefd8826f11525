"""The program's futures (``concurrent.futures`` on threads): a cell per future in the
order they were submitted, the order ``as_completed`` handed them back in, and a
timeline per worker thread of which future ran on it when."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from concviz.ui.models.futures import Bar, FutureCard, FutureState
from concviz.ui.renderables.chips import DIM
from concviz.ui.renderables.future_card import STYLES, counts_line
from concviz.ui.renderables.gantt import Gantt
from concviz.ui.widgets.program.layout import AutoRows
from concviz.ui.widgets.program.naming import thread_name
from concviz.watch.state import FutureView, ProgramState

STATES = {state.name.lower(): state for state in FutureState}  # "done" -> FutureState.DONE
CELL_WIDTH = 26  # "#3 fetch('a.org') ✓ 200" fits; longer calls are cut
CELL_ROWS = 6  # rows of future cells; the rest are counted
TIMELINE_ROWS = 6  # the workers' timeline, its axis included


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
    text = f"#{number} {call(future)} {future_state(future).symbol} {outcome(state, future)}"
    text = text.rstrip()
    return text if len(text) <= CELL_WIDTH else text[:CELL_WIDTH - 1] + "…"


def grid(state: ProgramState, width: int) -> list[Text]:
    """The futures as cells of one width in columns, in submission order, on at most
    ``CELL_ROWS`` rows; the last row says how many more there are."""
    futures = list(state.futures.values())
    texts = [future_text(state, n, f) for n, f in enumerate(futures, 1)]
    cell = min(width, max(map(len, texts)) + 2)
    columns = max(1, (width + 1) // (cell + 1))
    shown = len(texts) if len(texts) <= columns * CELL_ROWS else columns * CELL_ROWS - 1
    rows = []
    for start in range(0, shown, columns):
        row = Text()
        for text, future in zip(texts[start:min(start + columns, shown)],
                                futures[start:min(start + columns, shown)], strict=True):
            row.append(f" {text} ".ljust(cell), style=STYLES[future_state(future)])
            row.append(" ")
        rows.append(row)
    if shown < len(texts):
        rows[-1].append(f"… +{len(texts) - shown} more", style=DIM)
    return rows


def completion_line(state: ProgramState, numbers: dict[int, int]) -> Text:
    """``as_completed`` gave: #3 #1 #2: the order the program saw them finish in."""
    line = Text("as_completed gave: ", style="bold")
    if not state.completion_order:
        line.append("nothing yet", style=DIM)
    for obj in state.completion_order:
        future = state.futures.get(obj)
        kind = future_state(future) if future is not None else FutureState.DONE
        line.append(f"#{numbers.get(obj, '?')}{'' if kind is FutureState.DONE else kind.symbol}",
                    style="bold" if kind is FutureState.DONE else STYLES[kind])
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
    """Rich renderable: counts, a cell per future, the completion order, the timeline."""

    def __init__(self, state: ProgramState, now: float) -> None:
        self.state = state
        self.now = now

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        state, width = self.state, options.max_width
        numbers = {obj: n for n, obj in enumerate(state.futures, 1)}
        cards = [FutureCard(n, state=future_state(f)) for n, f in enumerate(
            state.futures.values(), 1)]
        yield counts_line(cards, width)
        yield from grid(state, width)
        yield completion_line(state, numbers)
        rows = timeline(state, numbers)
        if rows:
            yield Gantt(rows, self.now, max_rows=TIMELINE_ROWS)


class FuturesView(AutoRows):
    """Shown only when the program submits futures (the screen hides it otherwise)."""


    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.state = ProgramState()
        self.now = 0.0

    def show(self, state: ProgramState, now: float) -> None:
        self.state, self.now = state, now
        self.draw(FuturesSummary(state, now))
