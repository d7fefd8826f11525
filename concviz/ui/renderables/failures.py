"""The process failure demos' pictures: each a ``StateView`` folding its demo's events.

Every mark on screen comes from an event: a process's count, what it took from a
queue, an exit code, a callback. Words and symbols carry the meaning (✓ ✗ ▶),
colour only underlines it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rich.console import Group, RenderableType
from rich.text import Text

from concviz.engine.events import Event, ThreadFailed, ThreadFinished, ThreadStarted
from concviz.engine.failures.events import PhaseStarted
from concviz.engine.failures.mp_counter import Counted, CounterResult
from concviz.engine.failures.mp_queue import QueueFinished, ResultGot, TaskPut, TaskTaken
from concviz.engine.failures.process_exception import (
    Callback,
    ChildStderr,
    ProcessExited,
    TaskSubmitted,
)
from concviz.ui.models.state_view import StateView

OK = "bold green"
BAD = "bold white on red"
RUN = "bold"


def line(*parts: str | tuple[str, str] | Text) -> Text:
    """One row that never wraps: too long, it ends in an ellipsis."""
    text = Text.assemble(*parts)
    text.no_wrap, text.overflow = True, "ellipsis"
    return text


def badge(word: str, style: str) -> tuple[str, str]:
    return f" {word} ", style


@dataclass
class Phases:
    """The run's phases: the current one's number and title."""

    title: str = ""
    number: int = 0

    def apply(self, event: Event) -> bool:
        """Fold a phase event; True when a new phase starts."""
        if isinstance(event, PhaseStarted):
            self.number, self.title = event.phase, event.title
            return True
        return False

    def header(self) -> Text:
        return line((f"Phase {self.number} · ", "bold"), (self.title, "bold italic"))


def exit_mark(status: str) -> tuple[str, str]:
    """A process's or thread's last word: running, exit 0, or how it failed."""
    if status == "":
        return "▶ running", RUN
    if status == "ok":
        return "✓ exit 0", OK
    return f"✗ {status}", BAD


# -- ques.5 between processes -----------------------------------------------------


@dataclass
class MpCounterView:
    """Each process's adds, then the count expected against the count read."""

    phases: Phases = field(default_factory=Phases)
    added: dict[str, int] = field(default_factory=dict)  # process -> increments so far
    read: dict[str, int] = field(default_factory=dict)  # process -> counter it last read
    status: dict[str, str] = field(default_factory=dict)
    results: list[CounterResult] = field(default_factory=list)

    def apply(self, event: Event) -> None:
        if self.phases.apply(event):
            self.added, self.read, self.status = {}, {}, {}
        who = event.thread
        match event:
            case ThreadStarted():
                self.added[who], self.status[who] = 0, ""
            case Counted(done=done, value=value):
                self.added[who], self.read[who] = done, value
            case ThreadFinished():
                self.status[who] = "ok"
            case ThreadFailed(error=error):
                self.status[who] = error
            case CounterResult():
                self.results.append(event)

    def render(self, now: float) -> RenderableType:
        rows = [self.phases.header()] if self.phases.number else []
        for who, added in self.added.items():
            read = f"   it read the counter at {self.read[who]}" if who in self.read else ""
            rows.append(line(f"  {who:<11}", badge(*exit_mark(self.status[who])),
                             f" added {added}{read}"))
        for result in self.results:
            lost = badge(f"✗ {result.lost} updates LOST", BAD) if result.lost else \
                badge("✓ nothing lost", OK)
            rows.append(line(("with lock" if result.locked else "no lock  ", "bold"),
                             f"  expected {result.expected} · actual {result.actual}  ", lost))
        return Group(*rows) if rows else Text("Press space: real processes will start.")


@dataclass
class MpQueueView:
    """The task queue's contents, what each worker holds, the results come back."""

    queued: list[int] = field(default_factory=list)  # put, not yet taken; 0 is None
    holding: dict[str, int | None] = field(default_factory=dict)
    done: dict[str, int] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)
    results: dict[int, int] = field(default_factory=dict)
    finished: bool = False

    def apply(self, event: Event) -> None:
        who = event.thread
        match event:
            case ThreadStarted():
                self.holding[who], self.done[who], self.status[who] = None, 0, ""
            case TaskPut(n=n):
                self.queued.append(n)
            case TaskTaken(n=n):
                if n in self.queued:
                    self.queued.remove(n)
                self.holding[who] = n
            case ResultGot(worker=worker, n=n, result=result):
                self.results[n] = result
                self.done[worker] = self.done.get(worker, 0) + 1
                if self.holding.get(worker) == n:
                    self.holding[worker] = None
            case ThreadFinished():
                self.status[who] = "ok"
                if 0 in self.queued:  # it took a None (untold) and stopped
                    self.queued.remove(0)
            case ThreadFailed(error=error):
                self.status[who] = error
            case QueueFinished():
                self.finished = True

    def render(self, now: float) -> RenderableType:
        cells = line(("tasks  ", "bold"))
        for n in self.queued:
            cells.append_text(Text.assemble(badge(str(n) if n else "None", "reverse"), " "))
        if not self.queued:
            cells.append("(empty)", style="italic")
        rows = [cells]
        for who, n in self.holding.items():
            doing = f" squaring {n}" if n is not None else ""
            rows.append(line(f"{who:<9}", badge(*exit_mark(self.status[who])), doing,
                             f"   done {self.done[who]}"))
        got = " ".join(str(self.results[n]) for n in sorted(self.results))
        rows.append(line(("results ", "bold"), got or "(none yet)",
                         ("   ✓ all back" if self.finished else "", OK)))
        return Group(*rows)


# -- ques.6: an exception in a process --------------------------------------------


@dataclass
class ProcessExceptionView:
    """The failed process's exit code and last words; the pool's callbacks."""

    process: str = ""
    pid: int = 0
    exitcode: int | None = None
    last_words: str = ""
    submitted: list[float] = field(default_factory=list)
    called: dict[float, Callback] = field(default_factory=dict)

    def apply(self, event: Event) -> None:
        match event:
            case ThreadStarted(thread=who, role=role) if not self.process:
                self.process, self.pid = who, int(role.rsplit("pid ", 1)[-1])
            case ChildStderr(text=text):
                self.last_words = text.rstrip().splitlines()[-1] if text.strip() else ""
            case ProcessExited(exitcode=code):
                self.exitcode = code
            case TaskSubmitted(n=n):
                self.submitted.append(n)
            case Callback(n=n):
                self.called[n] = event

    def render(self, now: float) -> RenderableType:
        if not self.process:
            return Text("Press space: a worker process will start, then a Pool.")
        status = "" if self.exitcode is None else "ok" if self.exitcode == 0 \
            else f"exit code {self.exitcode}"
        rows = [line(("Process ", "bold"), f"{self.process} (pid {self.pid}) ",
                     badge(*exit_mark(status)))]
        if self.last_words:
            rows.append(line(f"   its stderr: {self.last_words}"))
        if self.exitcode is not None:
            rows.append(line(("   the parent goes on: all it learns is the exit code", "italic")))
        if self.submitted:
            rows.append(line(("Pool.apply_async(sqrt, n)", "bold")))
        for n in self.submitted:
            call = self.called.get(n)
            if call is None:
                rows.append(line(f"   sqrt({n:g})  …"))
            elif call.ok:
                rows.append(line(f"   sqrt({n:g}) = {call.result}  ", badge("✓ callback", OK)))
            else:
                rows.append(line(f"   sqrt({n:g})  ", badge("✗ error_callback", BAD),
                                 f" {call.result}"))
        return Group(*rows)


VIEWS: dict[str, Callable[[], StateView]] = {
    "mp-counter": MpCounterView,
    "mp-queue": MpQueueView,
    "process-exception": ProcessExceptionView,
}
