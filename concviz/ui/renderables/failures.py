"""The failure demos' pictures: each a ``StateView`` folding its demo's events.

Every mark on screen comes from an event: a process's count, an exit code, a
waits-for edge, a dead owner, the order in which locks were taken. Words and
symbols carry the meaning (✓ ✗ ▶ ◆ ■ !), colour only underlines it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rich.console import Group, RenderableType
from rich.text import Text

from concviz.engine.events import Event, ThreadFailed, ThreadFinished, ThreadStarted
from concviz.engine.failures.dead_lock_holder import Updated
from concviz.engine.failures.deadlock import ABORTED, ORDER_CHECK
from concviz.engine.failures.events import (
    DeadlockDetected,
    DeadlockEnded,
    ExceptionReported,
    LockOrderWarning,
    PhaseFinished,
    PhaseStarted,
)
from concviz.engine.failures.lock_order import Transferred
from concviz.engine.failures.mp_counter import Counted, CounterResult
from concviz.engine.failures.mp_queue import QueueFinished, ResultGot, TaskPut, TaskTaken
from concviz.engine.failures.process_exception import (
    Callback,
    ChildStderr,
    ProcessExited,
    TaskSubmitted,
)
from concviz.engine.failures.thread_exception import (
    Joined,
    MainTick,
    RecordParsed,
    ThreadExceptionFinished,
)
from concviz.engine.traced_lock import LockAcquired, LockBlocked, LockReleased, LockRequested
from concviz.ui.models.lanes import Lanes, LaneState
from concviz.ui.models.state_view import StateView

OK = "bold green"
BAD = "bold white on red"
WAIT = "bold black on yellow"
HOLD = "bold black on green"
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
    """The run's phases: the current one's title and the finished ones' outcomes."""

    title: str = ""
    number: int = 0
    done: list[PhaseFinished] = field(default_factory=list)

    def apply(self, event: Event) -> bool:
        """Fold a phase event; True when a new phase starts."""
        match event:
            case PhaseStarted(phase=phase, title=title):
                self.number, self.title = phase, title
                return True
            case PhaseFinished():
                self.done.append(event)
        return False

    def header(self) -> Text:
        return line((f"Phase {self.number} · ", "bold"), (self.title, "bold italic"))

    def outcome(self) -> list[Text]:
        """How the current phase ended, once it has."""
        return [
            line((f"Phase {p.phase}: ", "bold"),
                 badge("✓", OK) if p.ok else badge("✗", BAD), f" {p.outcome}")
            for p in self.done if p.phase == self.number
        ]


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


# -- ques.6: exceptions in threads and processes ------------------------------------


@dataclass
class ThreadExceptionView:
    """Each worker's records, the one that died and why, and the main program going on."""

    parsed: dict[str, list[str]] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)
    report: ExceptionReported | None = None
    ticks: int = 0
    joined: list[str] = field(default_factory=list)
    finished: ThreadExceptionFinished | None = None

    def apply(self, event: Event) -> None:
        who = event.thread
        match event:
            case ThreadStarted():
                self.parsed[who], self.status[who] = [], ""
            case RecordParsed(record=record):
                self.parsed[who].append(record)
            case ThreadFinished():
                self.status[who] = "ok"
            case ThreadFailed(error=error):
                self.status[who] = error
            case ExceptionReported():
                self.report = event
            case MainTick(tick=tick):
                self.ticks = tick
            case Joined(worker=worker):
                self.joined.append(worker)
            case ThreadExceptionFinished():
                self.finished = event

    def render(self, now: float) -> RenderableType:
        rows = []
        for who, records in self.parsed.items():
            status = self.status[who]
            mark = badge("✓ finished", OK) if status == "ok" else \
                badge("▶ running", RUN) if not status else badge("✗ DIED", BAD)
            rows.append(line(f"{who:<9}", mark, " parsed " + " ".join(records)))
        if self.report is not None:
            rows.append(line(("threading.excepthook ◀ ", "bold"), badge(self.report.thread, BAD),
                             " died of"))
            rows.append(line(f"   {self.report.error}"))
            rows.append(line(f"   raised at {self.report.where}"))
        main = badge(f"▶ main still running, tick {self.ticks}", RUN)
        if self.joined:
            main = badge(f"✓ main joined {', '.join(self.joined)}: join() did not raise", OK)
        rows.append(line(main))
        if self.finished is not None:
            rows.append(line(f"{self.finished.finished} finished, {self.finished.died} died; "
                             "the program ended normally"))
        return Group(*rows) if self.parsed else Text("Press space: three threads will parse.")


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


# -- ques.6: deadlocks ----------------------------------------------------------------


@dataclass
class WaitsForView:
    """Who holds which lock, who waits for which, dead owners, the order locks were
    taken in (the graph of concviz's lock-order check) and what concviz's detector
    said. Each phase starts a new picture; what an earlier phase came to stays on top."""

    phases: Phases = field(default_factory=Phases)
    kept: list[Text] = field(default_factory=list)  # earlier phases, in brief
    locks: set[str] = field(default_factory=set)
    owners: dict[str, str] = field(default_factory=dict)  # lock -> thread
    waiting: dict[str, str] = field(default_factory=dict)  # thread -> lock
    dead: set[str] = field(default_factory=set)
    order: dict[tuple[str, str], str] = field(default_factory=dict)  # (held, taken) -> thread
    warning: LockOrderWarning | None = None
    deadlock: DeadlockDetected | None = None
    ended: DeadlockEnded | None = None
    rounds: dict[str, int] = field(default_factory=dict)
    balance: int | None = None

    def apply(self, event: Event) -> None:
        if isinstance(event, PhaseStarted) and self.phases.number:
            self.kept += [*self.phases.outcome(), *self._verdict()]
            fresh = WaitsForView(phases=self.phases, kept=self.kept, balance=self.balance)
            self.__dict__.update(fresh.__dict__)
        self.phases.apply(event)
        who = event.thread
        match event:
            case LockRequested(lock=lock):
                self.locks.add(lock)
                for held in (k for k, owner in self.owners.items() if owner == who):
                    self.order.setdefault((held, lock), who)
            case LockBlocked(lock=lock):
                self.waiting[who] = lock
            case LockAcquired(lock=lock):
                self.owners[lock] = who
                self.waiting.pop(who, None)
            case LockReleased(lock=lock):
                self.owners.pop(lock, None)
            case ThreadFailed():
                self.dead.add(who)
                self.waiting.pop(who, None)
            case LockOrderWarning():
                self.warning = event
            case DeadlockDetected():
                self.deadlock = event
            case DeadlockEnded():
                self.ended = event
            case Transferred(round=round_):
                self.rounds[who] = round_
            case Updated(balance=balance):
                self.balance = balance

    def _thread(self, thread: str) -> Text:
        if thread in self.dead:
            return Text.assemble(badge(f"{thread} ✗ DEAD", BAD))
        return Text(thread, style="bold")

    def _verdict(self) -> list[Text]:
        """The warning and the deadlock, if any: what a phase is remembered by."""
        rows = []
        if self.warning is not None:
            w = self.warning
            rows.append(Text.assemble(badge("! LOCK ORDER WARNING", WAIT),
                                      f" from {ORDER_CHECK}: {w.thread} takes {w.second} "
                                      f"holding {w.first}; {w.other} took them the other "
                                      "way round"))
        if self.deadlock is not None:
            d = self.deadlock
            if d.cause == "dead-owner":
                waiters = ", ".join(w for w, _, _ in d.edges)
                what = f"{waiters} wait for a lock {d.dead_owner} died holding"
            else:
                what = "a cycle: " + d.edges[0][0] + "".join(
                    f" ─{lock}─▶ {owner}" for _, lock, owner in d.edges)
            rows.append(Text.assemble(badge("✗ DEADLOCK", BAD), f" {what}; concviz saw it "
                                      f"{(d.t - d.formed) * 1000:.0f} ms after it formed"))
        if self.ended is not None:
            rows.append(Text.assemble(badge("✓ ended", OK), f" {self.ended.how}"))
        return rows

    def render(self, now: float) -> RenderableType:
        if not self.phases.number:
            return Text("Press space: real threads will take real locks.")
        rows = [*self.kept, self.phases.header()]
        locks = line(("locks  ", "bold"))
        for lock in sorted(self.locks):
            owner = self.owners.get(lock)
            held = (badge(f"◆ {lock} held by", HOLD), " ", self._thread(owner)) if owner \
                else (badge(f"○ {lock} free", "reverse"),)
            locks.append_text(Text.assemble(*held, "   "))
        rows.append(locks)
        for waiter, lock in sorted(self.waiting.items()):
            owner = self.owners.get(lock)
            rows.append(line("  ", badge(f"■ {waiter}", WAIT), f" ─ waits for {lock} ─▶ ",
                             self._thread(owner) if owner else "(free)"))
        if self.order:
            seen = "   ".join(f"{a}→{b} by {t}" for (a, b), t in self.order.items())
            rows.append(line(("order seen  ", "bold"), seen))
        rows += self._verdict()
        if self.rounds:
            rows.append(line("rounds done  " + "   ".join(
                f"{t} {r}" for t, r in sorted(self.rounds.items()))))
        if self.balance is not None:
            rows.append(line(f"balance {self.balance}"))
        return Group(*rows, *self.phases.outcome())


def fold_lanes(lanes: Lanes, event: Event) -> None:
    """``lanes.apply(event)``; a thread concviz ended to end a deadlock says so first."""
    lanes.apply(event)
    if isinstance(event, ThreadFailed) and event.error == ABORTED and event.thread in lanes.lanes:
        lanes.set_state(event, LaneState.ENDED,
                        "by concviz: plain Python would wait forever")


VIEWS: dict[str, Callable[[], StateView]] = {
    "mp-counter": MpCounterView,
    "mp-queue": MpQueueView,
    "thread-exception": ThreadExceptionView,
    "dead-lock-holder": WaitsForView,
    "lock-order": WaitsForView,
    "process-exception": ProcessExceptionView,
}
