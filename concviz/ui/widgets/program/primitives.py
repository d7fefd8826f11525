"""A box per lock, semaphore, condition, event, barrier and queue the program made:
who holds it, who waits for it, and its state, side by side as the width allows."""

from __future__ import annotations

from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from concviz.engine.words import plural
from concviz.ui.labels import shortest_needed
from concviz.ui.renderables.chips import DIM, ERROR, HOLD, ITEM, WAIT, chip, flow, names
from concviz.ui.widgets.program.layout import AutoRows
from concviz.ui.widgets.program.naming import thread_name, thread_names
from concviz.watch.state import LOCKS, QUEUES, SEMAPHORES, PrimitiveView, ProgramState

BOX_WIDTH = 30  # narrowest box: "◆ held by Thread-1 (producer)" fits
ITEM_WIDTH = 12  # a queue item's repr is cut to this in its cell
FREE = "bold reverse"


def labelled(label: str, cell: Text, width: int) -> Text:
    """``label`` and ``cell`` on one line; the cell alone if both do not fit, so that a
    thread's name is cut only when it alone is wider than the box."""
    line = Text.assemble(f"{label} ", cell)
    return line if len(line) <= width else cell


def holder_line(state: ProgramState, prim: PrimitiveView, width: int) -> Text:
    """Lock and RLock: its owner (and an RLock's count), or free."""
    if prim.owner is None:
        return chip("○ free", FREE)
    count = f" · count {prim.count}" if prim.type == "RLock" else ""
    return labelled("held by", chip(f"◆ {thread_name(state, prim.owner)}{count}", HOLD), width)


def waiting_line(label: str, who: list[str], width: int) -> Text:
    if not who:
        return names(label, who)
    return labelled(label, chip(f"■ {', '.join(who)}", WAIT), width)


def semaphore_line(state: ProgramState, prim: PrimitiveView) -> list[Text]:
    """A cell per slot: its holder, or free."""
    taken = [chip(f"◆ {name}", HOLD) for name in thread_names(state, prim.holders)]
    free = prim.value if prim.value is not None else 0
    return [*taken, *(chip("· free", FREE) for _ in range(free))] or [Text("no slot", DIM)]


def queue_cells(prim: PrimitiveView) -> list[Text]:
    cells = [chip(item if len(item) <= ITEM_WIDTH else item[:ITEM_WIDTH - 1] + "…", ITEM)
             for item in prim.items]
    return cells or [Text("(empty)", DIM)]


def body(state: ProgramState, prim: PrimitiveView, width: int) -> list[Text | list[Text]]:
    """The box's lines at ``width``; a list of cells flows onto as many rows as it needs."""
    waiting = thread_names(state, prim.waiters)
    match prim.type:
        case "Lock" | "RLock":
            return [holder_line(state, prim, width), waiting_line("waiting:", waiting, width)]
        case "Semaphore" | "BoundedSemaphore":
            free = "?" if prim.value is None else prim.value
            return [Text(f"{free} of {prim.initial} slots free", "bold"),
                    semaphore_line(state, prim), waiting_line("waiting:", waiting, width)]
        case "Condition":  # its lock: the program's (its own box too), or its own RLock
            lock = state.prims.get(prim.lock, prim) if prim.lock is not None else prim
            label = f"{lock.name}:" if lock is not prim else "its lock:"
            return [Text.assemble(f"{label} ", holder_line(state, lock, width - len(label) - 1)),
                    waiting_line("in wait():", waiting, width)]
        case "Event":
            flag = chip("● set", HOLD) if prim.is_set else chip("○ not set", FREE)
            return [flag, waiting_line("in wait():", waiting, width)]
        case "Barrier":
            arrived = thread_names(state, prim.arrived)
            broken = [chip("✗ broken: wait() raises BrokenBarrierError", ERROR)] \
                if prim.broken else []
            return [Text(f"{len(arrived)} of {prim.initial} arrived", "bold"),
                    waiting_line("waiting:", arrived, width), *broken]
        case "ThreadPoolExecutor":
            workers = f"max_workers={prim.initial}" if prim.initial else ""
            return [Text(workers, "bold"), *([Text("shut down", DIM)] if prim.shut_down else [])]
    if prim.type in QUEUES:
        size = f"{len(prim.items)} of {prim.initial}" if prim.initial else str(len(prim.items))
        return [Text(f"{size} items", "bold"), queue_cells(prim),
                waiting_line("waiting:", waiting, width)]
    return [waiting_line("waiting:", waiting, width)]


def border_style(prim: PrimitiveView) -> str:
    """Yellow while someone waits, green while held: the state, at a glance."""
    if prim.waiters:
        return "bold yellow"
    if prim.owner is not None or prim.holders or prim.is_set:
        return "green"
    return "none"


def title(prim: PrimitiveView, room: int) -> Text:
    where = f" · line {prim.line}" if prim.line is not None else ""
    return Text(shortest_needed(f"{prim.name} · {prim.type}{where}", room), style="bold")


def taken(prim: PrimitiveView) -> Text | None:
    """A lock's or a semaphore's count of acquisitions, on its bottom border."""
    if prim.type not in LOCKS | SEMAPHORES:
        return None
    return Text(f"taken {plural(prim.acquisitions, 'time')}", style=DIM)


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
    as many to a row as ``BOX_WIDTH`` allows, the boxes of a row of equal height."""

    def __init__(self, state: ProgramState) -> None:
        self.state = state

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        prims = sorted(self.state.prims.values(), key=lambda prim: prim.obj)
        if not prims:
            yield Text("no lock, semaphore, condition, event, barrier or queue yet", DIM)
            return
        width = options.max_width
        columns = max(1, min(len(prims), (width + 1) // (BOX_WIDTH + 1)))
        inner = max(1, (width + 1) // columns - 1 - 4)  # a border and a space each side
        grid = Table.grid(padding=(0, 1))
        for _ in range(columns):
            grid.add_column(width=inner + 4)
        for start in range(0, len(prims), columns):
            row = prims[start:start + columns]
            bodies = [rows(body(self.state, prim, inner), inner) for prim in row]
            height = max(len(lines) for lines in bodies) + 2
            grid.add_row(*(Panel(Text("\n").join(lines), title=title(prim, inner),
                                 title_align="left", subtitle=taken(prim),
                                 subtitle_align="right", box=box.ROUNDED, height=height,
                                 border_style=border_style(prim))
                           for prim, lines in zip(row, bodies, strict=True)))
        yield grid


class PrimitivesView(AutoRows):

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.state = ProgramState()

    def show(self, state: ProgramState) -> None:
        """Redraw; a box's rows follow its waiters and a queue's items: when the rows
        change in number, lay the screen out anew."""
        self.state = state
        self.draw(PrimitiveBoxes(state))
