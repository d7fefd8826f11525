"""The workers of one run: who they are (pid or thread), the core each last ran on,
and the inputs each one ran (✓ done, ▶ running, ✗ raised)."""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from concviz.engine.words import plural
from concviz.ui.models.pool import RunView, TaskView, WorkerView

MARKS = {"done": ("✓", "bold"), "running": ("▶", "bold cyan"), "failed": ("✗", "bold red")}
WIDE = 80  # from this width each row also names the worker and its busy time
# The core is a sample (/proc/PID/stat's "processor" at the last reading), not where the
# process is now: the scheduler moves it between cores many times a second.
CORE_NOTE = "last on core: the core each ran on when last sampled; the OS moves them at will"
CORE_NOTE_SHORT = "core: where the OS last ran it (sampled)"
# After the run its workers have exited: the core shown is the last sample before that.
ENDED_NOTE = "run ended, workers exited: last on core is where each ran at its last sample"
ENDED_NOTE_SHORT = "run ended: core is its last sample"
UNSAMPLED = " not sampled"  # a worker that ended before any sample saw it


def title(run: RunView) -> Text:
    unit = plural(run.size, "thread") if run.executor == "threads" else \
        plural(run.size, "process", "processes")
    busy = sum(1 for w in run.workers.values() if w.tasks)
    text = Text(f"{unit}: {len(run.workers)} up, {busy} ran tasks",
                style="bold underline")
    share = run.on_cpu
    if share is not None:  # threads under the GIL wait for it: their share falls
        text.append(f" · on CPU {share:.0%} of task time", style="bold")
    return text


def token(task: TaskView) -> Text:
    mark, style = MARKS[task.state]
    return Text(f"{mark}{task.index + 1}", style=style)


def row(worker: WorkerView, threads: bool, core: int | None, width: int,
        ended: bool = False) -> Text:
    who = worker.name if threads else f"pid {worker.pid}"
    line = Text(f"{who:<10}", style="bold")
    if width >= WIDE and not threads:
        line.append(f" {worker.name:<18}", style="italic")
    if core is not None:
        line.append(f" last on core {core}", style="bold")
    elif not threads:
        line.append(f"{UNSAMPLED if ended else '':<15}", style="italic")
    line.append(f" up {worker.up_after:4.2f}s", style="italic")
    if not worker.tasks:
        line.append("  · no task", style="italic")
    for task in worker.tasks:
        line.append(" ")
        line.append_text(token(task))
    if width >= WIDE and worker.tasks:
        busy = sum(t.duration for t in worker.tasks if t.state != "running")
        line.append(f"   {plural(len(worker.tasks), 'task')}, {busy:.3f}s busy", style="italic")
    line.truncate(width, overflow="ellipsis")
    return line


class WorkerRows:
    """Rows that do not fit the height fold into one ``… N more`` line."""

    def __init__(self, run: RunView | None, where: Mapping[int, int]) -> None:
        self.run = run
        self.where = where

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        run, width = self.run, options.max_width
        if run is None:
            yield Text("No run yet: press space. Workers will appear here with their pids.",
                       style="italic")
            return
        head = title(run)
        head.truncate(width, overflow="ellipsis")
        yield head
        workers = list(run.workers.values())
        threads = run.executor == "threads"
        heads = 1 if threads else 2  # processes: a note says what their core is
        ended = run.state in ("done", "failed")
        if not threads:
            note = (ENDED_NOTE, ENDED_NOTE_SHORT) if ended else (CORE_NOTE, CORE_NOTE_SHORT)
            yield Text(note[0] if width >= WIDE else note[1], style="italic",
                       no_wrap=True, overflow="ellipsis")
        room = (options.height or len(workers) + heads) - heads
        if len(workers) > room:
            workers, hidden = workers[: max(0, room - 1)], len(workers) - max(0, room - 1)
        else:
            hidden = 0
        for worker in workers:
            yield row(worker, threads, self.where.get(worker.pid) if not threads else None,
                      width, ended)
        if hidden:
            yield Text(f"… {hidden} more", style="italic")
