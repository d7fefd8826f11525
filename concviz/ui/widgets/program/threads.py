"""The watched program's threads: a row each with its state in words and a symbol,
what it waits for and who holds that, its sleep's countdown and its line."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Console, ConsoleOptions, RenderResult
from rich.style import Style
from rich.text import Text

from concviz.engine.words import plural
from concviz.ui.renderables.chips import PROJECTOR, Palette
from concviz.ui.widgets.program.layout import AutoRows
from concviz.ui.widgets.program.naming import thread_name, thread_names, where
from concviz.watch import state as st
from concviz.watch.state import LOCKS, QUEUES, SEMAPHORES, ProgramState, ThreadView

# state -> (symbol, word): a word and a symbol each, so colour is never the only cue
STATES = {
    st.STARTING: ("·", "starting"),
    st.RUNNING: ("▶", "running"),
    st.SLEEPING: ("◷", "sleeping"),
    st.BLOCKED: ("■", "BLOCKED"),
    st.WAITING: ("■", "WAITING"),
    st.HELD: ("▮", "HELD"),  # the detail says: by concviz
    st.FINISHED: ("✓", "finished"),
    st.DIED: ("✗", "DIED"),
}
STATE_WIDTH = max(len(f"{symbol} {word}") for symbol, word in STATES.values()) + 1
MIN_DETAIL = 28  # columns the details need beside the name and state
BAR = 12  # cells of a sleep's countdown bar
BOLD = Style(bold=True)
SLEEPING = Style(color="cyan")  # the projector's; the widget's come from its CSS
FINISHED = Style(color="green")


def state_styles(palette: Palette, sleeping: Style, finished: Style) -> dict[str, Style]:
    """Each state's style: waiting and dying as chips; held by concviz reversed."""
    return {st.STARTING: palette.dim, st.RUNNING: BOLD, st.SLEEPING: sleeping,
            st.BLOCKED: palette.wait, st.WAITING: palette.wait, st.HELD: palette.item,
            st.FINISHED: finished, st.DIED: palette.error}


def countdown(since: float, until: float, now: float, style: Style) -> Text:
    """A shrinking bar in ``style`` and the seconds left of a sleep."""
    total = max(until - since, 1e-9)
    left = max(0.0, until - now)
    filled = round(BAR * left / total)
    return Text.assemble(("█" * filled, style), ("░" * (BAR - filled), "dim"), f" {left:4.2f}s")


def holds(state: ProgramState, tid: int) -> list[str]:
    """The names of the locks and semaphore slots ``tid`` holds now."""
    return [prim.name for prim in state.prims.values()
            if prim.owner == tid or tid in prim.holders]


def waits_for(state: ProgramState, thread: ThreadView) -> str:
    """What a blocked or waiting thread waits for, and who holds it: read off the
    primitive's state now, which is what keeps the thread there."""
    if thread.joins is not None:
        return f"in join(): for {thread_name(state, thread.joins)} to end"
    prim = state.prims.get(thread.on) if thread.on is not None else None
    if prim is None:
        future = state.futures.get(thread.on) if thread.on is not None else None
        if future is not None:
            return f"for the future of {future.fn}()"
        return "" if thread.on is None else f"on object {thread.on}"
    name = prim.name
    if prim.type in LOCKS:
        if prim.owner == thread.tid:
            return f"on {name}, which it holds itself"
        return f"on {name}, held by {thread_name(state, prim.owner)}" \
            if prim.owner is not None else f"on {name}: just released"
    if prim.type in SEMAPHORES:
        holders = ", ".join(thread_names(state, prim.holders))
        return f"on {name}: its slots held by {holders}" if holders else f"on {name}"
    if prim.type == "Condition":
        return f"in {name}.wait()"
    if prim.type == "Event":
        return f"in {name}.wait(): {'set' if prim.is_set else 'not set'}"
    if prim.type == "Barrier":
        return f"at {name}: {len(prim.arrived)} of {prim.initial} arrived"
    if prim.type in QUEUES:
        full = prim.initial and len(prim.items) >= prim.initial
        return f"on {name}: {'full' if full else 'empty' if not prim.items else 'not empty'}"
    return f"on {name} ({prim.type})"


def detail(state: ProgramState, thread: ThreadView, now: float, palette: Palette,
           sleeping: Style) -> Text:
    """The words after the state: where, why the thread is there, what it holds."""
    parts: list[Text] = []
    at = where(state, thread.file, thread.line)
    if at and thread.state not in (st.FINISHED, st.STARTING):
        parts.append(Text(at))
    match thread.state:
        case st.SLEEPING if thread.until is not None:
            parts.append(countdown(thread.since, thread.until, now, sleeping))
        case st.BLOCKED | st.WAITING:
            parts.append(Text(waits_for(state, thread)))
        case st.HELD:
            parts.append(Text("by concviz (paused)"))
        case st.DIED:
            parts.append(Text(thread.error or "", style="bold"))
    held = holds(state, thread.tid) if thread.state not in (st.FINISHED, st.DIED) else []
    if held:
        parts.append(Text(f"holds {', '.join(held)}", style="bold"))
    if thread.by == "concviz":
        parts.append(Text("started by concviz", style=palette.dim))  # F, or p and o
    return Text(" · ").join(part for part in parts if part)


def hidden_line(state: ProgramState, width: int, dim: Style) -> Text | None:
    """How much the view leaves out: the standard library's own threads and objects (by
    type, when that fits on the line)."""
    threads = sum(1 for thread in state.threads.values() if thread.internal)
    objects = sum(state.internal.values())
    parts = []
    if threads:
        parts.append(f"{plural(threads, 'internal thread')} (the standard library's own)")
    if objects:
        parts.append(f"{plural(objects, 'object')} the standard library made for itself")
    if not parts:
        return None
    line = Text(f"hidden: {'; '.join(parts)}", style=dim)
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(state.internal.items())
                      if count)
    if objects and len(line) + len(kinds) + 3 <= width:
        line.append(f" ({kinds})")
    return line


class ThreadRows:
    """Rich renderable: the program's threads (not the internal ones) at time ``now``,
    in ``palette``'s chips, a sleep's countdown in ``sleeping``, finished in
    ``finished``."""

    def __init__(self, state: ProgramState, now: float, palette: Palette = PROJECTOR,
                 sleeping: Style = SLEEPING, finished: Style = FINISHED) -> None:
        self.state = state
        self.now = now
        self.palette = palette
        self.sleeping = sleeping
        self.styles = state_styles(palette, sleeping, finished)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        threads = [t for t in self.state.threads.values() if not t.internal]
        if not threads:
            yield Text("no thread has started yet", style=self.palette.dim)
        width = options.max_width
        name_width = max((len(t.name) for t in threads), default=0)
        indent = name_width + 1 + STATE_WIDTH + 1
        if width - indent < MIN_DETAIL:  # too narrow for a column: under the name
            indent = 4
        for thread in sorted(threads, key=lambda t: t.tid):
            symbol, word = STATES.get(thread.state, ("?", thread.state))
            head = Text.assemble((thread.name.ljust(name_width), "bold"), " ",
                                 (f"{symbol} {word}".ljust(STATE_WIDTH),
                                  self.styles.get(thread.state, BOLD)), " ")
            yield from wrapped(head, detail(self.state, thread, self.now, self.palette,
                                            self.sleeping), indent, width, console)
        hidden = hidden_line(self.state, width, self.palette.dim)
        if hidden is not None:
            yield from hidden.wrap(console, width)


def wrapped(head: Text, rest: Text, indent: int, width: int, console: Console) -> list[Text]:
    """``head`` and ``rest`` on one row if they fit; else ``rest`` wraps onto rows
    indented by ``indent``: a lane's end (who holds the lock) is never cut."""
    line = head + rest
    if line.cell_len <= width:
        return [line]
    pad = Text(" " * indent)
    rows = list(rest.wrap(console, max(1, width - indent)))
    if len(head) == indent:  # the details in their own column
        return [head + rows[0], *(pad + row for row in rows[1:])]
    return [*head.wrap(console, width), *(pad + row for row in rows)]


class WatchThreads(AutoRows):
    """A row per thread. The screen calls :meth:`show` when the fold moved on, and at
    every beat while a thread sleeps (its countdown moves between events)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"watch-threads--sleeping",
                                             "watch-threads--finished"}
    """
    | Class | Description |
    | :- | :- |
    | `watch-threads--sleeping` | A sleeping thread's state and its countdown. |
    | `watch-threads--finished` | A finished thread's state. |
    """

    SCOPED_CSS = False  # the projector's rules begin at the App
    DEFAULT_CSS = """
    WatchThreads {
        & > .watch-threads--sleeping { color: $text-primary; }
        & > .watch-threads--finished { color: $text-success; }
    }
    App.-theme-projector WatchThreads {
        & > .watch-threads--sleeping { color: ansi_cyan; }
        & > .watch-threads--finished { color: ansi_green; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.state = ProgramState()
        self.now = 0.0

    def show(self, state: ProgramState, now: float) -> None:
        """Redraw; when the rows change in number (a new thread, a lane that wraps) also
        lay the screen out anew."""
        self.state, self.now = state, now
        self.draw()

    def drawing(self) -> ThreadRows:
        return ThreadRows(self.state, self.now, self.palette,
                          self.component_style("watch-threads--sleeping", SLEEPING),
                          self.component_style("watch-threads--finished", FINISHED))
