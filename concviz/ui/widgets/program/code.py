"""The watched program's code, the file that runs, with each thread's current line
marked with its name: the dashboard's code panel, fed from the fold instead of a pane.
It follows the threads: a marked line out of view is scrolled into it, unless the
user scrolled the code a moment ago."""

from __future__ import annotations

import time
from collections.abc import Callable
from itertools import accumulate, count

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from concviz.ui.renderables.code_view import MARK, CodeLegend, CodeView
from concviz.ui.widgets.code_panel import CodePanel
from concviz.ui.widgets.drawing import Drawing
from concviz.ui.widgets.program.layout import rendered_rows
from concviz.ui.widgets.program.listing import marks
from concviz.watch.state import ProgramState

HANDS_OFF = 4.0  # seconds the code stays where the user scrolled it (wheel, keys, bar)
MIN_CODE_ROWS = 3  # rows of code the legend leaves at least, when the box is short
CONTEXT = 1  # rows shown beyond a followed line, on the side it comes in from


class ShortLegend:
    """The code's legend in at most ``rows`` rows. When the whole legend (its entries and
    a blank line) does not fit, the entry of line ``first`` comes first, the blank line
    goes and the entries that still do not fit are counted: a short box keeps rows for
    the code itself."""

    def __init__(self, view: CodeView, rows: int, first: int | None) -> None:
        self.view = view
        self.rows = rows
        self.first = first

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        whole = console.render_lines(CodeLegend(self.view), options, pad=False)
        if len(whole) <= self.rows:
            yield CodeLegend(self.view)
            return
        if self.rows <= 0:
            return
        width = options.max_width
        entries = sorted(self.view.unplaced(width).items(), key=lambda e: e[0] != self.first)
        lines = [Text()]
        for shown, (line, names) in enumerate(entries):
            entry = Text.assemble((f"{MARK} {line} ", "bold reverse"), (f" {names}", "bold"))
            gap = 3 if lines[-1] else 0
            if lines[-1] and len(lines[-1]) + gap + len(entry) > width:
                if len(lines) == self.rows:
                    lines[-1].append(f"   +{len(entries) - shown} more", style="italic")
                    break
                lines.append(Text())
                gap = 0
            lines[-1].append(" " * gap)
            lines[-1].append_text(entry)
        for line in lines:
            line.truncate(width, overflow="ellipsis")
        yield from lines


class WatchCode(CodePanel):
    """The app's ``c`` (toggle) and ``z`` (the whole width) and its scroll keys work on
    it as on the dashboard's code panel; the screen hands it what to draw."""

    def __init__(self, *, id: str | None = None, classes: str | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(id=id, classes=classes)
        self.title = "Code"
        self.code: str | None = None
        self.waiting = "The program's code shows once it starts."
        self.marks: dict[str, int] = {}
        self.done: frozenset[str] = frozenset()
        self.clock = clock
        self._moves = count()
        self._moved: dict[str, int] = {}  # thread -> when its mark last moved (a count)
        self._scrolled_to = 0.0  # where this panel last scrolled itself
        self._by_hand = -HANDS_OFF  # when the user last scrolled it (clock time)
        self._starts: tuple[tuple[str, int], list[int]] | None = None  # see _row_starts

    def show(self, title: str, code: str | None, state: ProgramState) -> None:
        """``code``: the text of the file that runs (None: it could not be read)."""
        self.title, self.code = title, code
        if code is None and state.header:
            self.waiting = f"Could not read {state.header.get('program')}."
        at, self.done = marks(state)
        for name, line in at.items():
            if self.marks.get(name) != line:
                self._moved[name] = next(self._moves)
        self.marks = at
        if self.display:
            self.follow()

    def open(self) -> None:
        self.follow()

    def close(self) -> None:
        """Nothing to leave: the screen's beat draws it (see :meth:`show`)."""

    def on_resize(self) -> None:
        """The legend's room and the marks' rows follow the panel's size."""
        self.follow()

    def follow(self) -> None:
        legend, body = self.query(Drawing)
        self._label(self.title, None)
        if self.code is None:
            legend.show(Text(""), key=None)
            body.show(Text(self.waiting, style="bold"), key=self.waiting)
            return
        view = CodeView(self.code, self.marks, self.done)
        region = self.scrollable_content_region
        first = self.marks.get(self.followed) if self.followed else None
        short = ShortLegend(view, max(0, region.height - MIN_CODE_ROWS), first)
        key = (self.code, tuple(sorted(self.marks.items())), self.done)
        legend.show(short, key=(key, short.rows, first), layout=True)
        body.show(view, key=key)
        below = region.height - rendered_rows(self, short, region.width)  # rows for the code
        self.call_after_refresh(self._keep_in_view, below)  # once laid out with the legend

    @property
    def followed(self) -> str | None:
        """The live thread whose mark moved last: the one kept in view first."""
        live = [name for name in self.marks if name not in self.done]
        return max(live, key=lambda name: self._moved.get(name, -1), default=None)

    def _row_starts(self, view: CodeView, width: int) -> list[int]:
        """The body's row where each line begins (index ``n - 1`` for line ``n``), and
        one past the last: long lines wrap onto several rows."""
        if self._starts is None or self._starts[0] != (view.code, width):
            code_width = max(1, width - view.gutter)
            sizes = (len(view.rows(n, code_width)) for n in range(1, len(view.lines) + 1))
            self._starts = ((view.code, width), [0, *accumulate(sizes)])
        return self._starts[1]

    def _keep_in_view(self, height: int) -> None:
        """Scroll so that the live threads' marks show in the ``height`` rows under the
        legend, all of them if they fit, else the one of the thread that moved last;
        never while the user has the code in hand."""
        if self.scroll_target_y != self._scrolled_to:  # the wheel, a key, the scroll bar
            self._scrolled_to, self._by_hand = self.scroll_target_y, self.clock()
        followed = self.followed
        if self.code is None or followed is None or self.clock() - self._by_hand < HANDS_OFF:
            return
        starts = self._row_starts(CodeView(self.code, {}), self.scrollable_content_region.width)
        spans = {name: (starts[line - 1], starts[line]) for name, line in self.marks.items()
                 if name not in self.done and 0 < line < len(starts)}
        if height <= 0 or followed not in spans:
            return
        top, bottom = self.scroll_y, self.scroll_y + height
        if all(top <= start and end <= bottom for start, end in spans.values()):
            return
        start, end = min(s for s, _ in spans.values()), max(e for _, e in spans.values())
        if end - start > height:  # not all at once: the last to move
            start, end = spans[followed]
            if top <= start and end <= bottom:
                return
        y = start - CONTEXT if start < top else end - height + CONTEXT
        y = min(max(y, 0, end - height), start)  # its first row, at least, in view
        self.scroll_to(y=y, animate=False, immediate=True)
        self._scrolled_to = self.scroll_target_y
