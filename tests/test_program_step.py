"""Every catalogue program, stepped one probed operation at a time, keeps every view in
agreement (issue 13): after each event the fold (ProgramState) tells one story, and the
pictures drawn from it (thread rows, primitive boxes, shown data, futures, findings) tell
that same story.

Each program runs under the probe paused from its start. A step lets one held operation
through; the next is sent once the step is seen taken (the held thread moved) or a thread
is seen parked again, never after a fixed pause. lock-order deadlocks on purpose: it is
stepped until concviz finds the deadlock, then stopped."""

from __future__ import annotations

import ast
import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from concviz.engine.words import plural
from concviz.programs.catalogue import SEED, Entry, programs
from concviz.ui.models.futures import FutureState
from concviz.ui.widgets.program.data import ShownData, as_python
from concviz.ui.widgets.program.findings import FindingsList
from concviz.ui.widgets.program.futures import FuturesSummary, future_state
from concviz.ui.widgets.program.primitives import PrimitiveBoxes
from concviz.ui.widgets.program.threads import STATES, ThreadRows
from concviz.watch.programs import with_constants
from concviz.watch.session import Session
from concviz.watch.state import (
    BLOCKED,
    DIED,
    FINISHED,
    HELD,
    LOCKS,
    NOT_MOVES,
    QUEUES,
    SEMAPHORES,
    WAITING,
    FutureView,
    PrimitiveView,
    ProgramState,
    ThreadView,
)

STEPS = 300  # at most: with the knobs below every program but lock-order ends in under 100
SPEED = 10.0  # the programs' sleeps, ten times shorter
RANDOM_SEED = 1  # random.seed of every run: each program tells one story
CAP = 30.0  # seconds a wait for what is guaranteed may take; never expected to
WIDE = 240  # columns: a thread row never wraps
BOXES = 60  # columns: one primitive box a row, each as wide as the console
# Where a thread stops after a step let it through: parked again, or gone
SETTLED = frozenset({"hold", "block", "join", "sleep", "cond-wait", "event-wait",
                     "barrier-wait", "thread-end", "thread-error", "main-end",
                     "main-error", "exit"})
# Waiting on these is BLOCKED (in acquire, put or get); on the others, WAITING (in wait())
BLOCKS = LOCKS | SEMAPHORES | QUEUES

# Smaller constants where a program is long: each ends within STEPS, and still tells its
# whole story (STORY)
KNOBS: dict[str, dict[str, str]] = {
    "producer-consumer": {"ITEMS": "4"},
    "producer-consumer-no-lock": {"ITEMS": "4", "CONSUMERS": "2"},
    "futures": {"N": "6"},
    "semaphore": {"SLOTS": "2", "DOWNLOADS": "3"},
    "bounded-semaphore": {"SLOTS": "2", "DOWNLOADS": "3"},
    "condition": {"ITEMS": "2", "TIMEOUT": "0.3"},
    "event": {"RUNNERS": "3"},
    # one slow consumer: the queue of one fills, and empties
    "queue": {"MAXSIZE": "1", "JOBS": "4", "SLOW_JOBS": "1", "CONSUMERS": "1", "WORK": "2.0"},
    "barrier": {"PARTIES": "3", "MEETINGS": "1", "TIMEOUT": "0.2", "LATE": "5.0"},
    "lock": {"TELLERS": "2", "DEPOSITS": "2"},
    "dead-lock-holder": {"TIMEOUT": "1.0"},
    # a long hold: in round 2 each thread takes its first lock before the other asks for
    # its second; round 1's late start still comes after T1 is done
    "lock-order": {"HOLD": "2.0", "FIRST_DELAY": "5.0", "ROUNDS": "5"},
}

# What each program's run prints, among the rest: its story was told, knobs and all
STORY: dict[str, tuple[str, ...]] = {
    "daemon": ("daemon: starts a long job", "plain: done"),
    "producer-consumer": ("producers done: stops", "Final list: []"),
    "producer-consumer-no-lock": ("producers done: stops",),
    "futures": ("Factorial of 6 is 720",),
    "lock": ("Final balance: 4 (4 deposits)",),
    "rlock": ("held twice", "release() raised RuntimeError", "clerk has the lock",
              "a plain Lock taken twice waits for itself"),
    "semaphore": ("the semaphore now lets 3 in at once, not 2",),
    "bounded-semaphore": ("ValueError: Semaphore released too many times",
                          "the semaphore still lets 2 in at once"),
    "condition": ("woke up for nothing", "gave up: no notify", "producer put 2"),
    "event": ("main: clear()", "waits for start 2", "watcher: told to stop"),
    "queue": ("get() waits for a job", "put(3) waits for room", "all 4 jobs are done"),
    "barrier": ("leaves meeting 1", "BrokenBarrierError", "barrier.broken is True"),
    "thread-exception": ("the hook saw 1 thread die: worker-2",),
    "dead-lock-holder": ("the lock's owner died holding it", "has the lock: balance"),
    "lock-order": ("T1 holds both", "T2 holds both"),  # round 1 passes: the bug hides
}

# What a program prints while it holds a lock or a slot (a group: the lock it names)
SAID_HOLDING: dict[str, tuple[str, str]] = {
    "lock": (r"has the lock|lets go of the lock", "lock"),
    "producer-consumer": (r" added | removed |found list empty", "lock"),
    "rlock": (r"takes the lock|still holds it|clerk has the lock", "lock"),
    "semaphore": (r"has a slot", "slots"),
    "bounded-semaphore": (r"has a slot", "slots"),
    "condition": (r"put \d|took \d| waits|gave up", "lock"),
    "dead-lock-holder": (r"has the lock", "lock"),
    "lock-order": (r"holds (lock_[ab])", ""),
}
RLOCK_COUNT = {"held once": 1, "held twice": 2, "holds it once": 1}

STEPPED = [entry for entry in programs() if entry.section != SEED and not entry.processes]


def text(renderable: Any, width: int) -> str:
    """What ``renderable`` draws on a plain console (no app), as text."""
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def words(shown: str) -> str:
    return " ".join(shown.split())


def name(state: ProgramState, tid: int | None) -> str:
    thread = state.threads.get(tid) if tid is not None else None
    return thread.name if thread is not None else f"thread {tid}"


def alive(thread: ThreadView) -> bool:
    return thread.state not in (FINISHED, DIED)


@dataclass
class Book:
    """What the test keeps from the stream itself, beside the fold."""

    types: dict[int, str] = field(default_factory=dict)  # obj -> its type, from `new`
    lines: dict[int, tuple[str | None, int]] = field(default_factory=dict)  # latest line
    holds: dict[int, bool] = field(default_factory=dict)  # held by concviz now
    released: dict[int, bool] = field(default_factory=dict)  # a lock's latest: a release
    slots: dict[int, Counter[int]] = field(default_factory=dict)  # semaphore -> tid -> n
    surplus: Counter[int] = field(default_factory=Counter)  # releases with no acquire
    completing: set[int] = field(default_factory=set)  # last to arrive at a barrier
    printed: list[list[int]] = field(default_factory=lambda: [[]])  # "List: [...]" prints
    shown: list[Any] = field(default_factory=list)  # the shown list, as each change came
    data: dict[str, Any] = field(default_factory=dict)  # each shown global's latest value

    def note(self, event: dict[str, Any]) -> None:
        kind, tid, obj = event["kind"], event["tid"], event.get("obj")
        if kind == "new":
            self.types[obj] = event["type"]
        if tid > 0 and event.get("line") is not None:
            self.lines[tid] = (event.get("file"), event["line"])
        if tid > 0 and kind not in ("line", "data", "name"):
            self.holds[tid] = kind == "hold"  # a sample or a shown value moves nobody
        if kind in ("release", "acquired", "coalesced"):
            self.released[obj] = kind == "release"
        if self.types.get(obj) in SEMAPHORES:
            slots = self.slots.setdefault(obj, Counter())
            if kind == "acquired":
                slots[tid] += 1
            elif kind == "release" and slots[tid]:
                slots[tid] -= 1
            elif kind == "release":
                self.surplus[obj] += 1  # a Semaphore is not owned: anyone may release it
        if kind == "barrier-wait" and event["arrived"] >= event["parties"]:
            self.completing.add(tid)
        elif kind in ("barrier-pass", "barrier-broken"):
            self.completing.discard(tid)
        if kind == "out" and (found := re.search(r"List: (\[.*\])", event["text"])):
            self.printed.append(ast.literal_eval(found.group(1)))
        if kind == "data":
            self.shown.append(event["value"])
            self.data[event["name"]] = event["value"]


# The fold, on its own


def check_fold(state: ProgramState, book: Book, event: dict[str, Any]) -> None:
    places: dict[int, list[int]] = {}
    for prim in state.prims.values():
        for tid in prim.waiters:
            places.setdefault(tid, []).append(prim.obj)
            waiter = state.threads[tid]
            assert waiter.state == (BLOCKED if prim.type in BLOCKS else WAITING) and \
                waiter.on == prim.obj, f"{prim.name} has {waiter.name} waiting: {waiter}"
        if prim.type in LOCKS:
            check_lock(state, book, prim)
        elif prim.type in SEMAPHORES:
            check_semaphore(state, book, prim)
        elif prim.type == "Barrier":
            assert len(set(prim.arrived)) == len(prim.arrived), prim
            for tid in set(prim.arrived) - book.completing:  # all but the last wait there
                assert state.threads[tid].state == WAITING, state.threads[tid]
                assert state.threads[tid].on == prim.obj, state.threads[tid]
        elif prim.type in QUEUES and prim.initial:
            assert len(prim.items) <= prim.initial, prim
    assert state.data == book.data
    if event["kind"] == "event-set":  # it tells every waiter: none is left
        assert not state.prims[event["obj"]].waiters, state.prims[event["obj"]]
    for thread in state.threads.values():
        where = places.get(thread.tid, [])
        assert len(where) <= 1, f"{thread.name} waits on {where}: in two places"
        if thread.state in (BLOCKED, WAITING) and thread.on is not None:
            assert where == [thread.on], thread
        else:
            assert not where, thread
        assert (thread.state == HELD) == book.holds.get(thread.tid, False), thread
        if thread.tid in book.lines:  # the code mark is the line of its latest event
            assert (thread.file, thread.line) == book.lines[thread.tid], thread
    running = Counter(f.worker for f in state.futures.values() if f.state == "running")
    for future in state.futures.values():
        if future.state == "running":
            worker = state.threads[future.worker]
            assert alive(worker) and worker.future == future.obj, (future, worker)
            assert running[future.worker] == 1, future  # one future at a time a worker
    assert len(set(state.completion_order)) == len(state.completion_order)
    for obj in state.completion_order:  # as_completed hands over finished futures only
        assert state.futures[obj].state in ("done", "failed", "cancelled"), state.futures[obj]


def check_lock(state: ProgramState, book: Book, lock: PrimitiveView) -> None:
    if lock.owner is None:
        assert lock.count == 0, lock
        # free with a waiter only between a release and the waiter's wake-up
        assert not lock.waiters or book.released.get(lock.obj), lock
        return
    owner = state.threads[lock.owner]
    assert owner.state != FINISHED, (lock, owner)  # a dead owner: dead-lock-holder's point
    assert lock.count >= 1, lock
    if lock.owner in lock.waiters:  # rlock.py: a plain Lock taken twice waits for itself
        assert lock.type == "Lock", lock


def check_semaphore(state: ProgramState, book: Book, sem: PrimitiveView) -> None:
    slots = +book.slots.get(sem.obj, Counter())
    assert Counter(sem.holders) == slots, sem
    assert sem.value is not None and sem.value >= 0, sem
    assert len(sem.holders) + sem.value == sem.initial + book.surplus[sem.obj], sem
    for tid in sem.holders:
        assert alive(state.threads[tid]), sem


def named(state: ProgramState, name: str) -> list[PrimitiveView]:
    """The primitives the program calls ``name`` (another of that name is ``name#obj``)."""
    return [p for p in state.prims.values() if p.name == name or p.name.startswith(name + "#")]


def check_said(program: str, state: ProgramState, event: dict[str, Any]) -> None:
    """What the program prints about its locks and slots is what the fold says then."""
    said, me = event["text"], event["tid"]
    pattern, lock = SAID_HOLDING.get(program, ("", ""))
    if pattern and (found := re.search(pattern, said)):
        lock = found[1] if found.groups() else lock
        held = [p for p in named(state, lock) if p.owner == me or me in p.holders]
        assert held, f"{said!r}, and {name(state, me)} holds no {lock}"
        for words_, count in RLOCK_COUNT.items():
            if words_ in said:
                assert held[0].count == count, (said, held[0])
    if found := re.search(r"lets (\d+) in at once", said):  # semaphore.py's free_slots()
        assert named(state, "slots")[0].value == int(found[1]), (said, state.prims)


# The pictures, drawn from the fold


def check_pictures(state: ProgramState) -> None:
    rows = thread_rows(state)
    boxes = primitive_boxes(state)
    for prim, box in zip(sorted(state.prims.values(), key=lambda p: p.obj), boxes,
                         strict=True):
        check_box(state, prim, box)
    for thread in state.threads.values():
        if not thread.internal:
            check_row(state, thread, rows[thread.tid])
    if state.data:
        check_data(state)
    if state.futures:
        check_futures(state)
    if state.findings:
        check_findings(state)


def thread_rows(state: ProgramState) -> dict[int, str]:
    """ThreadRows (what WatchThreads draws), a row per thread not internal, by tid."""
    shown = text(ThreadRows(state, state.t), WIDE).splitlines()
    threads = sorted((t for t in state.threads.values() if not t.internal),
                     key=lambda t: t.tid)
    assert len(shown) >= len(threads)
    return {thread.tid: words(row) for thread, row in zip(threads, shown, strict=False)}


def held_names(row: str) -> list[str]:
    part = next((part for part in row.split(" · ") if part.startswith("holds ")), "holds ")
    return part.removeprefix("holds ").split(", ") if part != "holds " else []


def check_row(state: ProgramState, thread: ThreadView, row: str) -> None:
    symbol, word = STATES[thread.state]
    assert row.startswith(f"{thread.name} {symbol} {word}"), (thread, row)
    # a lock's owner, a slot's holder: its lane says it holds it (a dead one's does not)
    held = [p.name for p in state.prims.values()
            if p.owner == thread.tid or thread.tid in p.holders] if alive(thread) else []
    assert sorted(held_names(row)) == sorted(held), (thread, row)
    if thread.state == HELD:
        assert "by concviz (paused)" in row, row
    if thread.joins is not None:
        assert f"in join(): for {name(state, thread.joins)} to end" in row, row
    on = state.prims.get(thread.on) if thread.on is not None else None
    if thread.state not in (BLOCKED, WAITING) or on is None:
        return
    if on.type in LOCKS:  # the lock's box and the waiter's lane name one holder
        if on.owner == thread.tid:
            assert f"on {on.name}, which it holds itself" in row, row
        elif on.owner is not None:
            assert f"on {on.name}, held by {name(state, on.owner)}" in row, row
        else:
            assert f"on {on.name}: just released" in row, row
    elif on.type == "Barrier":
        assert f"at {on.name}: {len(on.arrived)} of {on.initial} arrived" in row, row
    elif on.type == "Event":
        assert f"in {on.name}.wait(): {'set' if on.is_set else 'not set'}" in row, row
    elif on.type == "Condition":
        assert f"in {on.name}.wait()" in row, row
    else:
        assert f"on {on.name}" in row, row


def primitive_boxes(state: ProgramState) -> list[tuple[str, list[str], str]]:
    """PrimitiveBoxes, one box a row: each box's (title, body rows, bottom border)."""
    boxes: list[tuple[str, list[str], str]] = []
    title, body = "", []
    for line in text(PrimitiveBoxes(state), BOXES).splitlines():
        line = line.strip()
        if line.startswith("╭"):
            title, body = line.strip("╭╮─ "), []
        elif line.startswith("│"):
            body.append(words(line.strip("│")))
        elif line.startswith("╰"):
            boxes.append((title, body, line.strip("╰╯─ ")))
    return boxes


def holder(state: ProgramState, lock: PrimitiveView) -> str:
    if lock.owner is None:
        return "○ free"
    count = f" · count {lock.count}" if lock.type == "RLock" else ""
    return f"held by ◆ {name(state, lock.owner)}{count}"


def waiting(label: str, state: ProgramState, tids: list[int]) -> str:
    who = ", ".join(name(state, tid) for tid in tids)
    return f"{label} ■ {who}" if tids else f"{label} nobody"


def check_box(state: ProgramState, prim: PrimitiveView,
              box: tuple[str, list[str], str]) -> None:
    title, body, bottom = box
    assert title.startswith(f"{prim.name} · {prim.type}"), (prim, title)
    shown = "\n".join(body)
    if prim.type in LOCKS | SEMAPHORES:
        assert bottom == f"taken {plural(prim.acquisitions, 'time')}", (prim, bottom)
    match prim.type:
        case "Lock" | "RLock":  # the held chip names the owner
            assert body == [holder(state, prim), waiting("waiting:", state, prim.waiters)]
        case "Semaphore" | "BoundedSemaphore":
            assert body[0] == f"{prim.value} of {prim.initial} slots free", (prim, body)
            assert shown.count("◆") == len(prim.holders), (prim, body)
            assert shown.count("· free") == prim.value, (prim, body)
            assert body[-1] == waiting("waiting:", state, prim.waiters), (prim, body)
        case "Condition":
            lock = state.prims.get(prim.lock, prim) if prim.lock is not None else prim
            label = f"{lock.name}:" if lock is not prim else "its lock:"
            assert body == [f"{label} {holder(state, lock)}",
                            waiting("in wait():", state, prim.waiters)], (prim, body)
        case "Event":
            flag = "● set" if prim.is_set else "○ not set"
            assert body == [flag, waiting("in wait():", state, prim.waiters)], (prim, body)
        case "Barrier":
            assert body[0] == f"{len(prim.arrived)} of {prim.initial} arrived", body
            assert body[1] == waiting("waiting:", state, prim.arrived), (prim, body)
            assert ("broken" in shown) == prim.broken, (prim, body)
        case "ThreadPoolExecutor":
            assert body[0] == f"max_workers={prim.initial}", (prim, body)
    if prim.type in QUEUES:
        size = f"{len(prim.items)} of {prim.initial}" if prim.initial else len(prim.items)
        assert body[0] == f"{size} items", (prim, body)
        assert body[1] == (" ".join(prim.items) or "(empty)"), (prim, body)
        assert body[-1] == waiting("waiting:", state, prim.waiters), (prim, body)


def check_data(state: ProgramState) -> None:
    """ShownData: each shown list's items, in order."""
    shown = words(text(ShownData(state.data), 100))
    for key, value in state.data.items():
        assert isinstance(value, list), value
        cells = [as_python(item) for item in value] or ["[]"]
        assert f"{key} = ({plural(len(value), 'item')}) {' '.join(cells)}" in shown, shown


def mark(future: FutureView) -> str:
    """After a future's number in the completion order: its symbol unless done."""
    kind = future_state(future)
    return "" if kind is FutureState.DONE else kind.symbol


def check_futures(state: ProgramState) -> None:
    """The futures summary: the counts by state, and the order as_completed gave."""
    shown = text(FuturesSummary(state, state.t), 100).splitlines()
    tally = Counter(future_state(future) for future in state.futures.values())
    counts = words(shown[0])
    for kind, count in tally.items():
        assert f"{kind.symbol} {count} {kind.word}" in counts, (tally, counts)
    assert len(counts.split()) == 3 * len(tally), counts
    numbers = {obj: n for n, obj in enumerate(state.futures, 1)}
    gave = next(words(row) for row in shown if row.startswith("as_completed gave:"))
    order = " ".join(f"#{numbers[obj]}{mark(state.futures[obj])}"
                     for obj in state.completion_order) or "nothing yet"
    assert gave == f"as_completed gave: {order}", gave


def check_findings(state: ProgramState) -> None:
    """The findings box: a headline per finding of concviz's checks."""
    said = text(FindingsList(state.findings, True, state), 100)
    kinds = Counter(finding.kind for finding in state.findings)
    assert said.count("DEADLOCK") == kinds["deadlock"], said
    assert said.count("LOCK ORDER") == kinds["lock-order"], said


# Stepping


class Stepped:
    """A program under the probe: its events drained, folded and checked one by one."""

    def __init__(self, program: str, session: Session) -> None:
        self.program = program
        self.session = session
        self.state = ProgramState()
        self.book = Book()
        self.events: list[dict[str, Any]] = []
        self.pending: list[dict[str, Any]] = []

    def until(self, test: Callable[[dict[str, Any], bool], bool]) -> bool:
        """Fold events until one passes ``test(event, moved)`` (``moved``: it is the
        first move of a thread concviz held); False if the program ended first."""
        while True:
            if not self.pending:
                if not self.session.wait_for_events(CAP):
                    raise AssertionError(f"no event in {CAP} s; the last: {self.events[-5:]}")
                self.pending = self.session.drain()
                if not self.pending:  # the stream ended
                    self.session.wait(CAP)
                    return False
            event = self.pending.pop(0)
            thread = self.state.threads.get(event["tid"])
            moved = thread is not None and thread.state == HELD and \
                event["kind"] not in NOT_MOVES
            self.fold(event)
            if test(event, moved):
                return True

    def fold(self, event: dict[str, Any]) -> None:
        self.events.append(event)
        self.state.apply(event)
        self.book.note(event)
        try:
            check_fold(self.state, self.book, event)
            if event["kind"] == "out" and event["tid"] > 0:
                check_said(self.program, self.state, event)
            check_pictures(self.state)
        except AssertionError as error:
            told = "\n".join(map(str, self.events[-12:]))
            raise AssertionError(f"after event {len(self.events)}: {error}\n"
                                 f"the events up to it:\n{told}") from error

    def step(self) -> bool:
        """One step, until it is seen taken or a thread parked again; False if the
        program ended."""
        self.session.send("step")
        return self.until(lambda e, _: e["kind"] == "control" and e["cmd"] == "step") \
            and self.until(lambda e, moved: moved or (e["kind"] in SETTLED and e["tid"] > 0))


def deadlocked(state: ProgramState) -> bool:
    return any(finding.kind == "deadlock" for finding in state.findings)


@pytest.mark.parametrize("entry", STEPPED, ids=[entry.name for entry in STEPPED])
def test_stepping_keeps_every_view_in_agreement(entry: Entry, tmp_path: Path) -> None:
    assert entry.path is not None
    knobs = KNOBS.get(entry.name)
    path = with_constants(entry.path, knobs, tmp_path) if knobs else entry.path
    run = Stepped(entry.name, Session(path, seed=RANDOM_SEED, show=entry.show, speed=SPEED))
    steps = 0
    with run.session:
        run.session.send("pause")
        going = run.until(lambda e, _: e["kind"] == "control") and \
            run.until(lambda e, _: e["kind"] == "hold")
        while going and steps < STEPS and not deadlocked(run.state):
            going = run.step()
            steps += 1
    state = run.state
    assert steps > 1 and state.threads and not state.malformed
    assert not [e for e in run.events if e["kind"] == "probe-garbage"]
    made = {"data": state.data, "futures": state.futures}
    for view in set(entry.views) & set(made):  # it opens with them: they had something
        assert made[view], view
    said = "".join(e["text"] for e in run.events if e["kind"] == "out")
    assert all(part in said for part in STORY[entry.name]), said
    if entry.deadlock:  # the cycle, in the fold and in the findings box
        # the round's T1 and T2: the latest threads of those names
        t1, t2 = (max((t for t in state.threads.values() if t.name == n), key=lambda t: t.tid)
                  for n in ("T1", "T2"))
        for me, other in ((t1, t2), (t2, t1)):
            assert me.state == BLOCKED and state.prims[me.on].owner == other.tid
        box = words(text(FindingsList(state.findings, True, state), 100))
        assert "DEADLOCK" in box and all(n in box for n in ("T1", "T2", "lock_a", "lock_b"))
        return
    assert not deadlocked(state), state.findings
    assert not going, f"{entry.name} did not end within {STEPS} steps"
    assert state.main_ended and run.session.returncode == 0
    if entry.name == "producer-consumer":
        # each list shown is one the prints say the list was, in the same order (a shown
        # value may come just before the print that tells it: another thread's event
        # showed the change first)
        printed = iter(run.book.printed)
        assert all(any(value == past for past in printed) for value in run.book.shown)
        assert run.book.shown[-1] == run.book.printed[-1] == []
    elif entry.name == "producer-consumer-no-lock":
        # no lock: a shown value is the list between two operations of different threads,
        # which no thread need print; it is still a run of the one producer's numbers
        for value in run.book.shown + run.book.printed:
            if value:
                assert value == list(range(value[0], value[0] + len(value))), value
