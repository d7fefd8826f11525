"""Pictures of the waiting primitives: Condition, Event, Queue and Barrier."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from concviz.engine.events import Event, ThreadFinished
from concviz.engine.failures.events import PhaseFinished, PhaseStarted
from concviz.engine.primitives.barrier import PARTIES, Arrived, Broken, Passed
from concviz.engine.primitives.condition import (
    CAPACITY,
    ENDED,
    LOCK,
    Conditions,
    EveryoneAsleep,
    Notified,
    Put,
    Rechecked,
    Taken,
    WokenByConcviz,
    kind,
)
from concviz.engine.primitives.event_flag import FLAG, FlagCleared, FlagSet, PassedThrough
from concviz.engine.primitives.events import Waiting
from concviz.engine.primitives.work_queue import (
    MAXSIZE,
    QUEUE,
    AllDone,
    Got,
    Queued,
    TaskDone,
)
from concviz.engine.words import plural
from concviz.ui.renderables.primitives.draw import (
    DIM,
    ERROR,
    HOLD,
    ITEM,
    WAIT,
    Holders,
    Picture,
    Waiters,
    chip,
    names,
)


def cells(contents: tuple[int, ...], size: int) -> list[Text]:
    """``size`` boxes, filled from the left; 0 is the ``None`` sentinel."""
    boxes = [chip(f"{'None' if item == 0 else item:>2}", ITEM) for item in contents]
    return boxes + [chip(" ·", DIM) for _ in range(size - len(contents))]


def phase_line(title: str) -> Text:
    return Text(title or "not started", style="italic")


class ConditionView:
    """The bounded buffer, the lock, who waits on each Condition, what the last notify
    did (whom it woke, and whether it was the wrong kind), and concviz's check that
    finds everyone asleep. Each phase draws afresh; what earlier ones came to stays."""

    def __init__(self) -> None:
        self.lock = Holders(LOCK)
        self.waiters = Waiters()
        self.conditions: tuple[str, ...] = ()
        self.contents: tuple[int, ...] = ()
        self.phase = ""
        self.notify: Notified | None = None
        self.woken: dict[str, str] = {}  # woken by the last notify -> what it did since
        self.asleep: tuple[str, ...] = ()
        self.rescued = False
        self.outcomes: list[PhaseFinished] = []

    def apply(self, event: Event) -> None:  # noqa: C901 - one case per event
        self.lock.apply(event)
        self.waiters.apply(event)
        match event:
            case PhaseStarted(title=title):
                kept = self.outcomes
                self.__dict__.update(ConditionView().__dict__)  # a new phase, a new picture
                self.phase, self.outcomes = title, kept
            case PhaseFinished():
                self.outcomes.append(event)
            case Conditions(names=names):
                self.conditions = names
            case Put(contents=contents):
                self.contents = contents
            case Taken(contents=contents, item=item, thread=who):
                self.contents = contents
                if who in self.woken:
                    self.woken[who] = f"✓ {who} took {item}"
            case Notified(on=on, woken=woken):  # the latest, even one that woke nobody
                for name in woken:
                    self.waiters.drop(on, name)
                self.notify = event
                self.woken = {name: f"… {name} needs the lock" for name in woken}
            case ThreadFinished(thread=who) if who in self.woken:
                self.woken[who] = f"✓ {who} finished"
            case Waiting(thread=who):
                self.lock.holders.pop(who, None)  # wait() gives the lock up...
            case Rechecked(thread=who, ok=ok, t=t):
                self.lock.holders[who] = t  # ...and has it back when it returns
                if who in self.woken:
                    self.woken[who] = f"✓ {who} goes on" if ok else f"↻ {who} waits again"
            case EveryoneAsleep(asleep=asleep):
                self.asleep = asleep
            case WokenByConcviz(on=on, thread=who, t=t):
                self.waiters.drop(on, who)
                self.lock.holders[who] = t
                self.rescued = True

    def render(self, now: float) -> RenderableType:
        full = len(self.contents) >= CAPACITY
        state = chip("FULL", WAIT) if full else chip("empty", WAIT) if not self.contents else Text()
        width = max(map(len, self.conditions), default=0)
        lines: list[RenderableType | list[Text]] = [
            *[Group(Text(f"phase {p.phase}: {'✓' if p.ok else '✗'} {p.outcome}"))  # wraps
              for p in self.outcomes],
            phase_line(self.phase),
            [Text(f"buffer (capacity {CAPACITY}):"), *cells(self.contents, CAPACITY), state],
            self._lock_line(),
            *[names(f"{name + '.wait():':<{width + 8}}", self.waiters[name])
              for name in self.conditions],
            self._notify_line(),
        ]
        if self.woken:
            lines.append([chip(text, WAIT if text[0] in "…↻" else HOLD)
                          for text in self.woken.values()])
        if self.asleep:  # wraps: every word of it matters
            lines.append(Group(Text.assemble(chip("✗ EVERYONE ASLEEP", ERROR),
                                             f" {', '.join(self.asleep)} all in wait(): "
                                             "nobody is left to notify (concviz's check)")))
        if self.rescued:
            lines.append(Text(ENDED, style="bold"))
        return Picture(lines)

    def _notify_line(self) -> Text | list[Text]:
        n = self.notify
        if n is None:
            return Text("no notify() yet", style=DIM)
        woke = ", ".join(n.woken) or f"nobody ({n.waiting} waiting)"
        line = Text(f"last: {n.on}.{n.how}() by {n.thread} woke {woke}", style="bold")
        if not n.missed:
            return line
        meant = "producer" if kind(n.thread) == "consumer" else "consumer"
        return [line, chip(f"✗ wrong kind: the {meant} sleeps on", ERROR)]

    def _lock_line(self) -> Text:
        """The lock the Conditions share: who holds it, who waits to get it."""
        owner = self.lock.owner
        line = Text("the lock: ")
        line.append_text(chip(f"◆ held by {owner}", HOLD) if owner else chip("○ free", ITEM))
        if self.lock.blocked:
            line.append("  ")
            line.append_text(chip(f"■ {', '.join(self.lock.blocked)}", WAIT))
        return line


class EventView:
    """The flag up or down, the threads in ``wait()``, and whom the last set() freed."""

    def __init__(self) -> None:
        self.flag = False
        self.waiters = Waiters()
        self.sets = 0
        self.freed: tuple[str, ...] = ()
        self.passed: list[str] = []
        self.cleared = 0

    def apply(self, event: Event) -> None:
        self.waiters.apply(event)
        match event:
            case FlagSet(waiting=waiting):
                for name in waiting:  # set() wakes every waiter at once
                    self.waiters.drop(FLAG, name)
                self.flag = True
                self.sets += 1
                self.freed = waiting
                self.passed = []
            case FlagCleared():
                self.flag = False
                self.cleared += 1
            case PassedThrough(thread=who):
                self.passed.append(who)

    def render(self, now: float) -> RenderableType:
        flag = chip("● SET", HOLD) if self.flag else chip("○ not set", "bold reverse")
        lines = [
            Text.assemble("go = threading.Event()  ", flag),
            Text(f"set() called {self.sets}×, clear() {self.cleared}×", style=DIM),
            names("in wait():", self.waiters[FLAG]),
        ]
        if self.sets:
            lines.append(names(f"set() #{self.sets} released {len(self.freed)} at once:",
                               self.freed, style=HOLD, empty="(nobody was waiting)"))
        if self.passed:
            lines.append(Text(f"flag already up, no wait: {', '.join(self.passed)}", style=DIM))
        return Picture(lines)


class QueueView:
    """The queue's cells as read under its mutex, who is blocked putting or getting,
    and the tasks still not done."""

    def __init__(self) -> None:
        self.waiters = Waiters()
        self.contents: tuple[int, ...] = ()
        self.seq = 0
        self.put = 0
        self.stops = 0  # of the puts, the None sentinels: not jobs
        self.done = 0
        self.joined = False

    def apply(self, event: Event) -> None:
        self.waiters.apply(event)
        match event:
            case Queued(contents=contents, seq=seq) | Got(contents=contents, seq=seq):
                if seq > self.seq:  # reads may reach us out of order: the latest wins
                    self.contents, self.seq = contents, seq
                self.put += isinstance(event, Queued)
                self.stops += isinstance(event, Queued) and event.item == 0
            case TaskDone():
                self.done += 1
            case AllDone(thread=who):
                self.waiters.drop("queue.join()", who)
                self.joined = True

    def render(self, now: float) -> RenderableType:
        blocked = self.waiters[QUEUE]
        why = self.waiters.why.get(QUEUE, "")
        full = len(self.contents) >= MAXSIZE
        putters = blocked if why.startswith("full") else []
        getters = blocked if why == "empty" else []
        state = chip("FULL", WAIT) if full else chip("empty", WAIT) if not self.contents else Text()
        unfinished = self.put - self.done
        join = self.waiters["queue.join()"]
        lines: list[RenderableType | list[Text]] = [
            Text(f"queue.Queue(maxsize={MAXSIZE})"),
            [Text("get ◀"), *cells(self.contents, MAXSIZE), Text("◀ put"), state],
            names("put() blocked (full): ", putters),
            names("get() blocked (empty):", getters),
            Text.assemble(f"put {self.put}{self._jobs()}, task_done {self.done}: ",
                          (f"{unfinished} unfinished", "bold")),
        ]
        if join:
            lines.append(names("join() waits:", join))
        elif self.joined:
            lines.append(Text.assemble(chip("✓ join() returned", HOLD), " every item done"))
        return Picture(lines)

    def _jobs(self) -> str:
        """The summary counts jobs: say which puts were the None that stops a consumer."""
        return f" ({plural(self.put - self.stops, 'job')} + {self.stops} None)" \
            if self.stops else ""


class BarrierView:
    """The parties at the current meeting: who has arrived, who passed, who broke it.
    A party that comes after the break was never at the meeting: it is told apart.
    Meetings are numbered across the run, as the demo's summary counts them."""

    def __init__(self) -> None:
        self.phase = ""
        self.key = (0, 0)  # (barrier, meeting) being drawn
        self.arrived: list[str] = []  # at the meeting before it broke (if it did)
        self.late: list[str] = []  # came once it was broken
        self.passed: set[str] = set()
        self.broken: dict[str, Broken] = {}
        self.met: list[int] = []  # meetings everyone passed
        self.timeout = 0.0

    def apply(self, event: Event) -> None:
        match event:
            case Arrived(barrier=barrier, meeting=meeting, timeout=timeout, thread=who):
                if (barrier, meeting) != self.key:
                    self.key = (barrier, meeting)
                    self.arrived, self.late, self.passed, self.broken = [], [], set(), {}
                (self.late if self.broken else self.arrived).append(who)
                self.timeout = timeout
            case Passed(meeting=meeting, thread=who):
                self.passed.add(who)
                if len(self.passed) == PARTIES:
                    self.met.append(meeting)
            case Broken(thread=who, already=already):
                self.broken[who] = event
                if already and who in self.arrived:  # it read "broken" as it came
                    self.arrived.remove(who)
                    self.late.append(who)
            case PhaseStarted(title=title):
                self.phase = title

    def render(self, now: float) -> RenderableType:
        seats = []
        for name in self.arrived:
            if name in self.broken:
                seats.append(chip(f"✗ {name}", ERROR))
            elif self.passed:  # the barrier let every party go at once
                seats.append(chip(f"✓ {name}", HOLD))
            else:
                seats.append(chip(f"■ {name}", WAIT))
        seats += [chip("· empty", DIM) for _ in range(PARTIES - len(self.arrived))]
        here = len(self.arrived)
        if self.broken:
            state = chip("✗ BROKEN", ERROR)
        elif self.passed:
            state = chip("✓ released together", HOLD)
        else:
            state = Text(f"waiting for {PARTIES - here} more", style="bold")
        when = "there when it broke" if self.broken else "arrived"
        lines: list[RenderableType | list[Text]] = [
            phase_line(self.phase),
            Text.assemble(f"Barrier({PARTIES}) meeting {self.key[1] or '-'}: ",
                          (f"{here} of {PARTIES} {when}  ", "bold"), state),
            seats,
        ]
        if self.timeout and not self.broken:
            lines.append(Text(f"each waits up to {self.timeout:.2f} s", style=DIM))
        for who, event in self.broken.items():
            if event.timed_out:
                why = f"its timeout ran out after {event.waited:.2f} s: it broke the barrier"
            elif who in self.late:
                why = "came after the break: BrokenBarrierError at once"
            else:
                why = "BrokenBarrierError while waiting"
            lines.append(Text(f"{who}: {why}"))
        for who in self.late:
            if who not in self.broken:
                lines.append(Text(f"{who}: came after the break", style="bold"))
        if self.met:
            lines.append(Text(f"passed together: {plural(len(self.met), 'meeting')} "
                              f"({', '.join(map(str, self.met))})", style=DIM))
        return Picture(lines)
