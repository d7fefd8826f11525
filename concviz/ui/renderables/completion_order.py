"""The order ``as_completed`` gave the futures in: a numbered list when there is
height for it, else the factorials flowing along a line or two in that order
(``3! 1! 2!``), newest kept."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from concviz.ui.models.futures import FutureCard, FutureState, short_number
from concviz.ui.renderables.future_card import STYLES

LEAD = Text("as_completed:", style="bold")
MARKS = {FutureState.DONE: "!", FutureState.FAILED: "✗", FutureState.CANCELLED: "⊘"}


class CompletionOrder:
    """``order`` lists the ns in yield order; ``lines`` caps the height (else the
    widget's own height decides). ``listed`` asks for one future per line."""

    def __init__(self, order: Sequence[int], cards: Mapping[int, FutureCard],
                 lines: int | None = None, listed: bool = False) -> None:
        self.order = order
        self.cards = cards
        self.lines = lines
        self.listed = listed

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        height = max(1, self.lines or options.height or 2)
        if not self.order:
            yield Text("as_completed: nothing yielded yet", style="italic")
            return
        if self.listed:
            hidden = 0 if len(self.order) <= height else len(self.order) - height + 1
            if hidden:
                yield Text(f"… {hidden} earlier", style="italic")
            for position in range(hidden + 1, len(self.order) + 1):
                yield self._entry(position, self.order[position - 1], width)
        else:
            yield from self._flowing(width, height)

    def _entry(self, position: int, n: int, width: int) -> Text:
        card = self.cards[n]
        line = Text(f"{position:>3}. ")
        line.append(f"{n}! ", style="bold")
        if card.state is FutureState.DONE:
            line.append(f"= {short_number(card.result, max(4, width - len(line) - 2))}")
        else:
            line.append(f"{card.state.symbol} {card.state.word}", style=STYLES[card.state])
        line.truncate(width, overflow="ellipsis")
        return line

    def _token(self, n: int) -> Text:
        """``3!``: no position in front, as ``1.3!`` reads as a number from afar."""
        state = self.cards[n].state
        return Text(f"{n}{MARKS[state]}", "bold" if state is FutureState.DONE else STYLES[state])

    def _flowing(self, width: int, height: int) -> list[Text]:
        """The tokens wrapped after the label; when they do not all fit in ``height``
        lines, the newest that do, and how many are left out."""
        return self._wrapped(width, height) or self._newest(width, height)

    def _wrapped(self, width: int, height: int) -> list[Text] | None:
        rows = [LEAD.copy()]
        for n in self.order:
            token = self._token(n)
            if len(rows[-1]) + 1 + len(token) > width:
                if len(rows) == height:
                    return None
                rows.append(Text())
            if rows[-1]:
                rows[-1].append(" ")
            rows[-1].append_text(token)
        return rows

    def _newest(self, width: int, height: int) -> list[Text]:
        """Filled from the end, the label and the count of the rest in front."""
        rows = [Text()]
        shown = 0
        for n in reversed(self.order):
            token = self._token(n)
            first = len(rows) == height
            room = width - (len(LEAD) + 1 if first else 0) - len(rows[-1])
            if len(token) + (1 if rows[-1] else 0) > room:
                if first:
                    break
                rows.append(Text())
            rows[-1] = token + (Text(" ") + rows[-1] if rows[-1] else Text())
            shown += 1
        hidden = len(self.order) - shown
        top, lead = rows[-1], LEAD
        while hidden:  # say how many are left out, making room for the saying
            lead = Text.assemble(LEAD, (f" …{hidden}", "italic"))
            if " " not in top.plain or len(lead) + 1 + len(top) <= width:
                break
            top = top[top.plain.index(" ") + 1:]
            hidden += 1
        rows[-1] = lead + Text(" ") + top
        return rows[::-1]
