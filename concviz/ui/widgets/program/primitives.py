"""A box per lock, semaphore, condition, event, barrier and queue the program made:
who holds it, who waits for it, and its state, side by side as the width allows."""

from __future__ import annotations

from typing import ClassVar

from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.panel import Panel
from rich.style import Style
from rich.table import Table
from rich.text import Text

from concviz.engine.words import plural
from concviz.ui.labels import shortest_needed
from concviz.ui.renderables.chips import PROJECTOR, Palette, chip, flow, names
from concviz.ui.widgets.program.layout import AutoRows
from concviz.ui.widgets.program.naming import thread_name, thread_names
from concviz.watch.state import LOCKS, QUEUES, SEMAPHORES, PrimitiveView, ProgramState

BOX_WIDTH = 30  # narrowest box: "◆ held by Thread-1 (producer)" fits
ITEM_WIDTH = 12  # a queue item's repr is cut to this in its cell
WAITED = Style.parse("bold yellow")  # a box's border while someone waits: the projector's
HELD = Style.parse("green")  # and while it is held (or set)


def labelled(label: str, cell: Text, width: int) -> Text:
    """``label`` and ``cell`` on one line; the cell alone if both do not fit, so that a
    thread's name is cut only when it alone is wider than the box."""
    line = Text.assemble(f"{label} ", cell)
    return line if len(line) <= width else cell


def holder_line(state: ProgramState, prim: PrimitiveView, width: int,
                palette: Palette) -> Text:
    """Lock and RLock: its owner (and an RLock's count), or free."""
    if prim.owner is None:
        return chip("○ free", palette.item)
    count = f" · count {prim.count}" if prim.type == "RLock" else ""
    return labelled("held by", chip(f"◆ {thread_name(state, prim.owner)}{count}",
                                    palette.hold), width)


def waiting_line(label: str, who: list[str], width: int, palette: Palette) -> Text:
    if not who:
        return names(label, who, dim=palette.dim)
    return labelled(label, chip(f"■ {', '.join(who)}", palette.wait), width)


def semaphore_line(state: ProgramState, prim: PrimitiveView, palette: Palette) -> list[Text]:
    """A cell per slot: its holder, or free."""
    taken = [chip(f"◆ {name}", palette.hold) for name in thread_names(state, prim.holders)]
    free = prim.value if prim.value is not None else 0
    return [*taken, *(chip("· free", palette.item) for _ in range(free))] \
        or [Text("no slot", palette.dim)]


def queue_cells(prim: PrimitiveView, palette: Palette) -> list[Text]:
    cells = [chip(item if len(item) <= ITEM_WIDTH else item[:ITEM_WIDTH - 1] + "…",
                  palette.item) for item in prim.items]
    return cells or [Text("(empty)", palette.dim)]


def body(state: ProgramState, prim: PrimitiveView, width: int,
         palette: Palette) -> list[Text | list[Text]]:
    """The box's lines at ``width``; a list of cells flows onto as many rows as it needs."""
    waiting = thread_names(state, prim.waiters)
    match prim.type:
        case "Lock" | "RLock":
            return [holder_line(state, prim, width, palette),
                    waiting_line("waiting:", waiting, width, palette)]
        case "Semaphore" | "BoundedSemaphore":
            free = "?" if prim.value is None else prim.value
            return [Text(f"{free} of {prim.initial} slots free", "bold"),
                    semaphore_line(state, prim, palette),
                    waiting_line("waiting:", waiting, width, palette)]
        case "Condition":  # its lock: the program's (its own box too), or its own RLock
            lock = state.prims.get(prim.lock, prim) if prim.lock is not None else prim
            label = f"{lock.name}:" if lock is not prim else "its lock:"
            return [Text.assemble(f"{label} ", holder_line(state, lock, width - len(label) - 1,
                                                           palette)),
                    waiting_line("in wait():", waiting, width, palette)]
        case "Event":
            flag = chip("● set", palette.hold) if prim.is_set \
                else chip("○ not set", palette.item)
            return [flag, waiting_line("in wait():", waiting, width, palette)]
        case "Barrier":
            arrived = thread_names(state, prim.arrived)
            broken = [chip("✗ broken: wait() raises BrokenBarrierError", palette.error)] \
                if prim.broken else []
            return [Text(f"{len(arrived)} of {prim.initial} arrived", "bold"),
                    waiting_line("waiting:", arrived, width, palette), *broken]
        case "ThreadPoolExecutor":
            workers = f"max_workers={prim.initial}" if prim.initial else ""
            return [Text(workers, "bold"),
                    *([Text("shut down", palette.dim)] if prim.shut_down else [])]
    if prim.type in QUEUES:
        size = f"{len(prim.items)} of {prim.initial}" if prim.initial else str(len(prim.items))
        return [Text(f"{size} items", "bold"), queue_cells(prim, palette),
                waiting_line("waiting:", waiting, width, palette)]
    return [waiting_line("waiting:", waiting, width, palette)]


def border_style(prim: PrimitiveView, waited: Style, held: Style) -> Style:
    """``waited`` while someone waits, ``held`` while held: the state, at a glance."""
    if prim.waiters:
        return waited
    if prim.owner is not None or prim.holders or prim.is_set:
        return held
    return Style()


def title(prim: PrimitiveView, room: int) -> Text:
    where = f" · line {prim.line}" if prim.line is not None else ""
    return Text(shortest_needed(f"{prim.name} · {prim.type}{where}", room), style="bold")


def taken(prim: PrimitiveView, style: Style) -> Text | None:
    """A lock's or a semaphore's count of acquisitions, on its bottom border."""
    if prim.type not in LOCKS | SEMAPHORES:
        return None
    return Text(f"taken {plural(prim.acquisitions, 'time')}", style=style)


def rows(lines: list[Text | list[Text]], width: int) -> list[Text]:
    out: list[Text] = []
    for line in lines:
        for row in flow(line, width) if isinstance(line, list) else [line]:
            row = row.copy()
            row.truncate(width, overflow="ellipsis")
            out.append(row)
    return out


class PrimitiveBoxes:
    """Rich renderable: the program's primitives (in the order it made them) as boxes,
    as many to a row as ``BOX_WIDTH`` allows, the boxes of a row of equal height; the
    chips in ``palette``, a box's border ``waited`` or ``held``."""

    def __init__(self, state: ProgramState, palette: Palette = PROJECTOR,
                 waited: Style = WAITED, held: Style = HELD) -> None:
        self.state = state
        self.palette = palette
        self.waited = waited
        self.held = held

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        prims = sorted(self.state.prims.values(), key=lambda prim: prim.obj)
        palette = self.palette
        if not prims:
            yield Text("no lock, semaphore, condition, event, barrier or queue yet",
                       palette.dim)
            return
        width = options.max_width
        columns = max(1, min(len(prims), (width + 1) // (BOX_WIDTH + 1)))
        inner = max(1, (width + 1) // columns - 1 - 4)  # a border and a space each side
        grid = Table.grid(padding=(0, 1))
        for _ in range(columns):
            grid.add_column(width=inner + 4)
        for start in range(0, len(prims), columns):
            row = prims[start:start + columns]
            bodies = [rows(body(self.state, prim, inner, palette), inner) for prim in row]
            height = max(len(lines) for lines in bodies) + 2
            grid.add_row(*(self.panel(prim, lines, inner, height)
                           for prim, lines in zip(row, bodies, strict=True)))
        yield grid

    def panel(self, prim: PrimitiveView, lines: list[Text], inner: int, height: int) -> Panel:
        """``prim``'s box; the count on its border quiet, in the border's colour."""
        border = border_style(prim, self.waited, self.held)
        return Panel(Text("\n").join(lines), title=title(prim, inner), title_align="left",
                     subtitle=taken(prim, self.palette.dim + border), subtitle_align="right",
                     box=box.ROUNDED, height=height, border_style=border)


class PrimitivesView(AutoRows):
    """A box per primitive; its border's colours from the component classes."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"primitives-view--waited",
                                             "primitives-view--held"}
    """
    | Class | Description |
    | :- | :- |
    | `primitives-view--waited` | The border of a box someone waits for. |
    | `primitives-view--held` | The border of a box held (a lock, a slot) or set (an event). |
    """

    SCOPED_CSS = False  # the projector's rules begin at the App
    DEFAULT_CSS = """
    PrimitivesView {
        & > .primitives-view--waited { color: $text-warning; text-style: bold; }
        & > .primitives-view--held { color: $text-success; }
    }
    App.-theme-projector PrimitivesView {
        & > .primitives-view--waited { color: ansi_yellow; }
        & > .primitives-view--held { color: ansi_green; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.state = ProgramState()

    def show(self, state: ProgramState) -> None:
        """Redraw; a box's rows follow its waiters and a queue's items: when the rows
        change in number, lay the screen out anew."""
        self.state = state
        self.draw()

    def drawing(self) -> PrimitiveBoxes:
        return PrimitiveBoxes(self.state, self.palette,
                              self.component_style("primitives-view--waited", WAITED),
                              self.component_style("primitives-view--held", HELD))
