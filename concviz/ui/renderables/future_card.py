"""The futures as cards: boxes when there is room, one-line cells, then one mark per
future, then one mark per bucket of futures. One renderable for all of them, so a
run of 1000 futures costs one widget, not 1000."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from concviz.ui.models.futures import FutureCard, FutureState, short_number

STYLES = {
    FutureState.PENDING: "none",
    FutureState.RUNNING: "bold black on yellow",
    FutureState.DONE: "bold green",
    FutureState.FAILED: "bold white on red",
    FutureState.CANCELLED: "strike",
}
BORDERS = {**STYLES, FutureState.RUNNING: "bold yellow", FutureState.FAILED: "bold red"}
BOX_WIDTH = 16  # smallest box: "10! ✓ 3628800" and a worker's name fit
DEFAULT_HEIGHT = 14  # lines to plan for when the widget does not say
SELECTED = "reverse"


def info(card: FutureCard, width: int) -> str:
    """The word a card shows: its result, its worker, its error type or its state."""
    match card.state:
        case FutureState.RUNNING:
            return card.worker[:width]
        case FutureState.DONE:
            return short_number(card.result, width)
        case FutureState.FAILED:  # a whole error name, or the state's word: never a stub
            kind = card.error.split(":")[0]  # of one ("ValueErro"); the detail has it all
            return kind if len(kind) <= width else card.state.word[:width]
    return card.state.word[:width]


def counts_line(cards: Sequence[FutureCard], width: int) -> Text:
    """How many futures are in each state (the states no future is in are left out);
    without the words when they do not fit."""
    tally = {state: 0 for state in FutureState}
    for card in cards:
        tally[card.state] += 1
    for words in (True, False):
        line = Text()
        for state, count in tally.items():
            if count:
                if line:
                    line.append("  ")
                line.append(f"{state.symbol} {count}" + (f" {state.word}" if words else ""),
                            style=STYLES[state])
        if len(line) <= width:
            break
    line.truncate(width, overflow="ellipsis")
    return line


class FutureCards:
    """``cards`` in submission order; ``selected`` (an n) is drawn in reverse."""

    def __init__(self, cards: Sequence[FutureCard], selected: int | None = None) -> None:
        self.cards = cards
        self.selected = selected

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width, height = options.max_width, options.height or DEFAULT_HEIGHT
        if not self.cards:
            yield Text("no futures yet", style="italic")
            return
        room = max(1, height - 1)  # one line for the counts
        tiers: list[Callable[[int, int], list[Text] | None]] = [
            self._boxes, self._cells, self._marks, self._buckets,
        ]
        for tier in tiers:
            lines = tier(width, room)
            if lines is not None:
                break
        if height > 1:
            yield counts_line(self.cards, width)
        yield from lines

    # -- the tiers, biggest first; each gives None when it does not fit -----------

    def _boxes(self, width: int, room: int) -> list[Text] | None:
        columns = max(1, (width + 1) // (BOX_WIDTH + 1))
        if math.ceil(len(self.cards) / columns) * 3 > room or width < BOX_WIDTH:
            return None
        box = (width + 1) // columns - 1
        lines: list[Text] = []
        for start in range(0, len(self.cards), columns):
            rows = [Text(), Text(), Text()]
            for card in self.cards[start:start + columns]:
                for row, part in zip(rows, self._box(card, box), strict=True):
                    row.append_text(part)
                    row.append(" ")
            lines += rows
        return lines

    def _box(self, card: FutureCard, width: int) -> list[Text]:
        """Three lines; the selected card gets a heavy frame, its colours stay."""
        inner = width - 2
        heavy = card.n == self.selected
        (tl, tr, bl, br, h, v) = "┏┓┗┛━┃" if heavy else "╭╮╰╯─│"
        border = "bold" if heavy else BORDERS[card.state]
        tag = " cancel: no " if card.refused else ""
        title = f" {card.n}! "
        top = tl + title + h * max(0, inner - len(title) - len(tag)) + tag[:inner] + tr
        word = card.state.word if card.state is FutureState.RUNNING else info(card, inner - 3)
        value = f" {card.state.symbol} {word}"  # a running card's worker is on its frame
        where = f" {card.worker} " if card.worker else ""
        place = f" #{card.position} " if card.position else ""
        bottom = bl + (where + h * max(0, inner - len(where) - len(place)) + place)[:inner] + br
        middle = Text.assemble((v, border), (value.ljust(inner)[:inner], STYLES[card.state]),
                               (v, border))
        return [Text(top, style=border), middle, Text(bottom, style=border)]

    def _cells(self, width: int, room: int) -> list[Text] | None:
        """One line per future; wide cells (a whole error name) when the rows fit."""
        digits = len(str(self.cards[-1].n))
        for least in (digits + 15, digits + 12):
            columns = max(1, (width + 1) // (least + 1))
            if math.ceil(len(self.cards) / columns) <= room:
                break
        else:
            return None
        cell = (width + 1) // columns - 1
        lines: list[Text] = []
        for start in range(0, len(self.cards), columns):
            line = Text()
            for card in self.cards[start:start + columns]:
                head = f"{card.n:>{digits}}! {card.state.symbol} "
                text = (head + info(card, cell - len(head))).ljust(cell)
                line.append(text, style=SELECTED if card.n == self.selected else
                            STYLES[card.state])
                line.append(" ")
            lines.append(line)
        return lines

    def _marks(self, width: int, room: int) -> list[Text] | None:
        label = len(str(self.cards[-1].n)) + 1
        for gap in (1, 0):
            per_row = max(1, (width - label) // (1 + gap))
            if math.ceil(len(self.cards) / per_row) <= room:
                return [self._mark_row(self.cards[i:i + per_row], label, gap)
                        for i in range(0, len(self.cards), per_row)]
        return None

    def _mark_row(self, cards: Sequence[FutureCard], label: int, gap: int) -> Text:
        line = Text(f"{cards[0].n:>{label - 1}} ")
        for card in cards:
            style = SELECTED if card.n == self.selected else STYLES[card.state]
            line.append(card.state.symbol, style=style)
            line.append(" " * gap)
        return line

    def _buckets(self, width: int, room: int) -> list[Text]:
        label = len(str(self.cards[-1].n)) + 1
        per_row = max(1, width - label)
        rows = max(1, room - 1)  # one line says how many futures a mark stands for
        size = math.ceil(len(self.cards) / (per_row * rows))
        lines = [Text(f"1 mark = {size} futures: ✗/▶ if any, ◐ mixed", style="italic")]
        lines[0].truncate(width, overflow="ellipsis")
        step = per_row * size
        for start in range(0, len(self.cards), step):
            row = self.cards[start:start + step]
            line = Text(f"{row[0].n:>{label - 1}} ")
            for i in range(0, len(row), size):
                symbol, style = bucket_mark(row[i:i + size])
                if any(card.n == self.selected for card in row[i:i + size]):
                    style = SELECTED
                line.append(symbol, style=style)
            lines.append(line)
        return lines[: rows + 1]


def bucket_mark(cards: Sequence[FutureCard]) -> tuple[str, str]:
    """One mark for several futures: the rare news first, then all alike or mixed."""
    states = {card.state for card in cards}
    for state in (FutureState.FAILED, FutureState.RUNNING):
        if state in states:
            return state.symbol, STYLES[state]
    if len(states) == 1:
        state = states.pop()
        return state.symbol, STYLES[state]
    return "◐", "bold"


def future_repr(card: FutureCard) -> str:
    """The card as Python prints the Future object itself."""
    match card.state:
        case FutureState.DONE:
            state = f"finished returned {type(card.result).__name__}"
        case FutureState.FAILED:
            state = f"finished raised {card.error.split(':')[0]}"
        case FutureState.CANCELLED:
            state = "cancelled"
        case _:
            state = card.state.word
    return f"<Future at {card.future:#x} state={state}>"


class FutureDetail:
    """The selected future in full: its state, worker, times and its whole value,
    wrapped over at most ``lines`` lines (the rest counted, not hidden silently)."""

    def __init__(self, card: FutureCard | None, now: float, lines: int = 1) -> None:
        self.card = card
        self.now = now
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        card = self.card
        if card is None:
            yield Text("↑/↓ select a future to see its whole value", style="italic")
            return
        head = Text.assemble((f"▸ {card.n}! ", "bold"),
                             (f"{card.state.symbol} {card.state.word}", STYLES[card.state]))
        if self.lines <= 1 and card.state is FutureState.DONE:  # one line: the value first
            head = Text.assemble((f"▸ {card.n}! ", "bold"), (card.state.symbol, "bold green"),
                                 f" = {short_number(card.result, max(8, width // 2))}")
        head.append(self._where(card))
        head.truncate(width, overflow="ellipsis")
        yield head
        if self.lines <= 1:
            return
        yield Text(future_repr(card)[:width], style="italic")
        body = self._body(card)
        if not body or self.lines < 3:
            return
        rows = [body[i:i + width] for i in range(0, len(body), width)]
        room = self.lines - 2
        if len(rows) > room:
            left = len(body) - width * (room - 1)
            rows = [*rows[: room - 1], f"… {left} more digits"]
        for row in rows:
            yield Text(row, style="bold" if card.state is FutureState.DONE else "")

    def _where(self, card: FutureCard) -> str:
        parts = []
        if card.worker:
            parts.append(f"on {card.worker}")
        if card.started is not None:
            end = card.ended if card.ended is not None else self.now
            parts.append(f"{end - card.started:.1f} s")
        if card.position:
            parts.append(f"as_completed #{card.position}")
        if card.refused:
            parts.append("cancel() said no: already running")
        if card.state is FutureState.DONE and card.result is not None:
            digits = len(str(card.result))
            parts.append(f"{digits} digit{'s' if digits > 1 else ''}")
        return "".join(f" · {part}" for part in parts)

    @staticmethod
    def _body(card: FutureCard) -> str:
        match card.state:
            case FutureState.DONE:
                return str(card.result)
            case FutureState.FAILED:
                return f"{card.error} (future.result() re-raises it)"
            case FutureState.CANCELLED:
                return "cancel() succeeded while it was pending: it never ran"
            case FutureState.PENDING:
                return "waiting in the pool's queue for a free worker"
        return ""
