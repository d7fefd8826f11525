"""A watched program's state, folded from the probe's events (docs/wire-format.md).

One :class:`ProgramState` per run; :meth:`ProgramState.apply` takes the events in order
(plain dicts, as decoded from the wire). Every front end reads the same fold: the watch
screen, the plain transcript and the tests that step a run and check the views agree.
No Textual here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concviz.watch.checks import LockChecks

# Thread states a lane shows
STARTING, RUNNING, SLEEPING, BLOCKED, WAITING, HELD, FINISHED, DIED = (
    "starting", "running", "sleeping", "blocked", "waiting", "held", "finished", "died")

MAX_OUTPUT = 2000  # output chunks kept: memory stays bounded whatever the program prints

LOCKS = frozenset({"Lock", "RLock"})
SEMAPHORES = frozenset({"Semaphore", "BoundedSemaphore"})
QUEUES = frozenset({"Queue", "LifoQueue", "PriorityQueue", "SimpleQueue"})
OWNED = LOCKS | {"Condition"}  # one owner at a time: a Condition is owned through its lock

# The type a placeholder gets when an object turns up without its `new` event
_GUESSED_TYPE = {
    "put": "Queue", "get": "Queue", "event-set": "Event", "event-clear": "Event",
    "event-wait": "Event", "event-waited": "Event", "barrier-wait": "Barrier",
    "barrier-pass": "Barrier", "barrier-broken": "Barrier", "cond-wait": "Condition",
    "cond-woken": "Condition", "notify": "Condition", "notify-all": "Condition",
    "shutdown": "ThreadPoolExecutor",
}


@dataclass
class ThreadView:
    tid: int
    name: str
    target: str = ""
    internal: bool = False
    by: str = "program"  # or "concviz": started by a spawn control message
    state: str = STARTING
    since: float = 0.0  # t the state began
    until: float | None = None  # a sleep's end (t), for the countdown
    on: int | None = None  # obj it is blocked or waiting on
    file: str | None = None
    line: int | None = None  # its current line in the program's files
    error: str | None = None  # "Type: message" when it died
    traceback: str | None = None
    daemon: bool = False
    hook: str | None = None  # what threading.excepthook did with its error
    future: int | None = None  # the future a pool worker is running
    joins: int | None = None  # the tid whose end it waits for in join()


@dataclass
class PrimitiveView:
    obj: int
    type: str
    name: str  # the program's name, or "Lock@12" until one is found
    file: str | None = None
    line: int | None = None
    owner: int | None = None  # tid holding a Lock / RLock
    count: int = 0  # RLock recursion depth
    value: int | None = None  # semaphore slots free
    initial: int | None = None  # semaphore's starting value, barrier parties, queue maxsize
    holders: list[int] = field(default_factory=list)  # tids holding a semaphore slot
    waiters: list[int] = field(default_factory=list)  # tids blocked or waiting on it, in order
    is_set: bool = False  # Event
    items: list[str] = field(default_factory=list)  # a queue's contents (reprs), oldest first
    arrived: list[int] = field(default_factory=list)  # tids at a barrier
    lock: int | None = None  # a Condition's lock
    acquisitions: int = 0
    broken: bool = False  # a Barrier whose wait raised BrokenBarrierError
    shut_down: bool = False  # a ThreadPoolExecutor after shutdown()
    named: bool = False  # `name` came: `name` is the program's, not a placeholder


@dataclass
class FutureView:
    obj: int
    fn: str
    args: str
    state: str = "pending"  # pending, running, done, failed, cancelled
    worker: int | None = None  # tid
    submitted: float = 0.0
    started: float | None = None
    ended: float | None = None
    result: str | None = None
    error: str | None = None
    executor: int | None = None  # the executor's obj
    name: str | None = None  # the program's name for it, if a `name` event gave one


@dataclass
class Finding:
    """A problem concviz's own checks found (Python has no such checks)."""

    kind: str  # "deadlock" or "lock-order"
    t: float
    text: str  # one sentence naming threads, locks and lines
    threads: list[int] = field(default_factory=list)
    objs: list[int] = field(default_factory=list)


Handler = Callable[["ProgramState", dict[str, Any], "ThreadView | None", float],
                   "list[Finding] | None"]


@dataclass
class ProgramState:
    header: dict[str, Any] = field(default_factory=dict)
    t: float = 0.0  # the latest event's time
    threads: dict[int, ThreadView] = field(default_factory=dict)
    prims: dict[int, PrimitiveView] = field(default_factory=dict)
    futures: dict[int, FutureView] = field(default_factory=dict)
    completion_order: list[int] = field(default_factory=list)  # future objs, as handed back
    data: dict[str, Any] = field(default_factory=dict)  # shown globals
    output: list[tuple[str, str]] = field(default_factory=list)  # (stream, text), bounded
    internal: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    paused: bool = False
    speed: float = 1.0
    main_ended: bool = False
    events: int = 0
    malformed: int = 0  # events a field was missing from: folded no further
    output_dropped: int = 0  # chunks cut from the front of `output` to keep it bounded
    exit_code: Any = None  # SystemExit's code, once an `exit` event came
    @cached_property
    def checks(self) -> LockChecks:
        """Made at the first lock or join (it imports this module's views; a state
        made before the first frame need not load it)."""
        from concviz.watch.checks import LockChecks

        return LockChecks()

    def apply(self, event: dict[str, Any]) -> list[Finding]:
        """Fold one event in; return the findings it produced (usually none)."""
        kind = event["kind"]
        t = event.get("t", self.t)
        self.t = t
        self.events += 1
        tid = event.get("tid", 0)
        th = None
        if tid > 0:  # 0 is the probe itself, -1 the program's raw output: not lanes
            th = self.threads.get(tid)
            if th is None:
                th = self.threads[tid] = ThreadView(tid, event.get("thread", f"thread {tid}"),
                                                    state=RUNNING, since=t)
            elif th.name != event.get("thread", th.name):
                th.name = event["thread"]
            line = event.get("line")
            if line is not None:
                th.line = line
                th.file = event.get("file", th.file)
            if th.state == HELD and kind not in NOT_MOVES:
                _move(th, RUNNING, t)  # a step let it through: whatever it did, it runs
        handler = _HANDLERS.get(kind)
        try:
            found = handler(self, event, th, t) if handler is not None else None
        except (KeyError, TypeError, ValueError):  # a field missing or of another kind
            self.malformed += 1
            return []
        if found:
            self.findings.extend(found)
            return found
        return []

    # helpers the handlers share

    def prim(self, event: dict[str, Any]) -> PrimitiveView:
        """The event's object; a placeholder if its `new` never came (it should have)."""
        obj = event["obj"]
        p = self.prims.get(obj)
        if p is None:
            kind = event["kind"]
            typ = _GUESSED_TYPE.get(kind) or (
                "RLock" if "count" in event else "Semaphore" if "value" in event else "Lock")
            p = self.prims[obj] = PrimitiveView(obj, typ, f"{typ}#{obj}")
        return p

    def lock_of(self, p: PrimitiveView) -> PrimitiveView:
        """Who owns ``p`` is recorded here: a Condition's lock if it is known, else ``p``."""
        if p.lock is not None and p.type == "Condition":
            return self.prims.get(p.lock, p)
        return p


NOT_MOVES = frozenset({"line", "data", "name", "hold"})  # said of a thread, not done by it


def _move(th: ThreadView | None, state: str, t: float, on: int | None = None) -> None:
    if th is not None:
        if th.state != state:
            th.state = state
            th.since = t
        th.on = on
        th.until = None
        th.joins = None


def _unwait(p: PrimitiveView, tid: int) -> None:
    if tid in p.waiters:
        p.waiters.remove(tid)


def _wait_on(th: ThreadView | None, t: float, state: str, p: PrimitiveView) -> None:
    _move(th, state, t, p.obj)
    if th is not None and th.tid not in p.waiters:
        p.waiters.append(th.tid)


def _out_of_wait(s: ProgramState, th: ThreadView | None) -> None:
    """A thread in a Condition's wait() that is told at its lock (held there, blocked on
    it, taking it) is taking the lock back: its wait timed out, nobody notified it. It
    waits in wait() no longer; `cond-woken` comes once it has the lock."""
    cond = s.prims.get(th.on) if th is not None and th.on is not None else None
    if cond is not None and cond.type == "Condition" and th.state == WAITING:
        _unwait(cond, th.tid)


# Program


def _header(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    s.header = e


def _main_start(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    _move(th, RUNNING, t)


def _main_end(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    s.main_ended = True
    _move(th, FINISHED, t)


def _main_error(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    s.main_ended = True
    _move(th, DIED, t)
    if th is not None:
        th.error, th.traceback = e.get("error"), e.get("traceback")


def _exit(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    s.main_ended = True
    s.exit_code = e.get("code")
    _move(th, FINISHED, t)


def _internal(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    s.internal = dict(e.get("counts", {}))


def _out(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    s.output.append((e.get("stream", "stdout"), e.get("text", "")))
    if len(s.output) > MAX_OUTPUT:
        del s.output[0]
        s.output_dropped += 1


def _data(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    s.data[e["name"]] = e.get("value")


def _control(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    cmd = e.get("cmd")
    if cmd in ("pause", "step"):
        s.paused = True
    elif cmd == "resume":
        s.paused = False
        for other in s.threads.values():
            if other.state == HELD:  # they all go on: their next event says where to
                _move(other, RUNNING, t)
    elif cmd == "speed":
        s.speed = e.get("factor", s.speed)


def _hold(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    _out_of_wait(s, th)
    _move(th, HELD, t)


# Threads


def _thread_new(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    child = e["child"]
    view = s.threads.get(child)  # its own thread-start may have come first
    if view is None:
        view = s.threads[child] = ThreadView(child, e.get("name", f"thread {child}"), since=t)
    view.target = e.get("target") or view.target
    view.daemon = bool(e.get("daemon", False))
    view.internal = bool(e.get("internal", False))
    view.by = e.get("by", "program")


def _thread_start(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    _move(th, RUNNING, t)
    if th is not None:
        th.target = e.get("target") or th.target
        th.internal = bool(e.get("internal", th.internal))


def _thread_end(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    _move(th, FINISHED, t)


def _thread_error(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    _move(th, DIED, t)
    if th is not None:
        th.error, th.traceback, th.hook = e.get("error"), e.get("traceback"), e.get("hook")


def _join(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> list[Finding] | None:
    if th is None:
        return None
    _move(th, WAITING, t)
    th.joins = e.get("child")
    if e.get("timeout") is not None:
        th.until = t + e["timeout"]
    return s.checks.joining(s, th)


def _joined(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    _move(th, RUNNING, t)


def _sleep(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    _move(th, SLEEPING, t)
    if th is not None:
        th.until = t + e.get("wall", e.get("seconds", 0.0))


def _sleep_end(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    _move(th, RUNNING, t)


# Primitives


def _new(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    obj, typ, line = e["obj"], e["type"], e.get("line")
    p = s.prims[obj] = PrimitiveView(obj, typ, f"{typ}@{line}" if line else f"{typ}#{obj}",
                                     file=e.get("file"), line=line, lock=e.get("lock"))
    if typ in SEMAPHORES:
        p.value = p.initial = e.get("value", 1)
    else:
        p.initial = e.get("parties", e.get("maxsize", e.get("max_workers")))


def _name(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    obj, name = e["obj"], e["name"]
    if obj in s.futures:
        s.futures[obj].name = name
        return
    p = s.prim(e)
    p.name, p.named = name, True
    lock = s.prims.get(p.lock) if p.lock is not None else None
    if lock is not None and not lock.named:  # Condition() made its own RLock
        lock.name = f"{name}'s lock"


def _acquired(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> list[Finding] | None:
    p = s.prim(e)
    p.acquisitions += 1
    _out_of_wait(s, th)
    _move(th, RUNNING, t)
    tid = e.get("tid", 0)
    _unwait(p, tid)
    if p.type in SEMAPHORES:
        p.value = e.get("value", (p.value or 1) - 1)
        p.holders.append(tid)
        return None
    if p.type not in OWNED:
        return None
    return _take(s, e, p, tid, e.get("count"))


def _take(s: ProgramState, e: dict, p: PrimitiveView, tid: int,
          count: int | None) -> list[Finding] | None:
    """``tid`` owns ``p``'s lock now (an acquire, or a Condition's wait taking it back)."""
    lock = s.lock_of(p)
    again = lock.owner == tid and lock.type != "Lock"  # an RLock (a Condition's own is one)
    lock.owner = tid
    lock.count = count if count is not None else lock.count + 1 if again else 1
    if lock is not p:
        _unwait(lock, tid)
        p.owner, p.count = lock.owner, lock.count
    if again:
        return None  # RLock re-entry: not an order between two locks
    return s.checks.took(s, tid, lock, e.get("line"))


def _block(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> list[Finding] | None:
    p = s.prim(e)
    _out_of_wait(s, th)
    _wait_on(th, t, BLOCKED, p)
    if th is None or p.type not in OWNED:
        return None
    if e.get("timeout") is not None:  # it gives up by itself then: no deadlock can hold it
        th.until = t + e["timeout"]
    return s.checks.blocked(s, th, s.lock_of(p), e.get("line"))


def _timeout(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    _unwait(s.prim(e), e.get("tid", 0))
    _move(th, RUNNING, t)


def _release(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    p = s.prim(e)
    if p.type in SEMAPHORES:
        p.value = e.get("value", (p.value or 0) + 1)
        tid = e.get("tid", 0)
        if tid in p.holders:
            p.holders.remove(tid)
        return
    if p.type not in OWNED:
        return
    lock = s.lock_of(p)
    owner = lock.owner
    if "count" in e:
        lock.count = e["count"]
    else:
        lock.count = lock.count - 1 if lock.type != "Lock" else 0
    if lock.count <= 0:
        lock.owner, lock.count = None, 0
        if owner is not None:  # a Lock may be released by a thread that does not own it
            s.checks.released(owner, lock.obj)
    if lock is not p:
        p.owner, p.count = lock.owner, lock.count


def _cond_wait(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    _wait_on(th, t, WAITING, s.prim(e))


def _cond_woken(s: ProgramState, e: dict, th: ThreadView | None,
                t: float) -> list[Finding] | None:
    """The probe reports the lock's own `acquired` first; a stream without one still
    leaves the lock with this thread."""
    p = s.prim(e)
    tid = e.get("tid", 0)
    _unwait(p, tid)
    _move(th, RUNNING, t)
    if s.lock_of(p).owner == tid:
        return None
    return _take(s, e, p, tid, e.get("count"))


def _notify(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    """The woken threads must take the lock back before wait() returns: the notifier
    holds it (notify() requires that), so they are blocked on it now."""
    p = s.prim(e)
    lock = s.lock_of(p)
    for tid in e.get("woke", ()):
        _unwait(p, tid)
        woken = s.threads.get(tid)
        if woken is not None:
            _wait_on(woken, t, BLOCKED, lock)


def _event_set(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    p = s.prim(e)
    p.is_set = True
    for tid in e.get("woke", ()):
        _unwait(p, tid)
        _move(s.threads.get(tid), RUNNING, t)


def _event_clear(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    s.prim(e).is_set = False


def _event_wait(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    p = s.prim(e)
    if e.get("is_set"):
        p.is_set = True  # wait() returns at once
    else:
        _wait_on(th, t, WAITING, p)


def _event_waited(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    _unwait(s.prim(e), e.get("tid", 0))
    _move(th, RUNNING, t)


def _barrier_wait(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    p = s.prim(e)
    tid = e.get("tid", 0)
    p.arrived.append(tid)
    parties = e.get("parties", p.initial)
    if p.initial is None:
        p.initial = parties
    if parties is None or e.get("arrived", len(p.arrived)) < parties:
        _wait_on(th, t, WAITING, p)  # the last to arrive does not wait


def _barrier_leave(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    p = s.prim(e)
    tid = e.get("tid", 0)
    if tid in p.arrived:
        p.arrived.remove(tid)
    _unwait(p, tid)
    _move(th, RUNNING, t)
    if e["kind"] == "barrier-broken":
        p.broken = True


def _put(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    p = s.prim(e)
    p.items.append(e.get("item", "?"))
    _unwait(p, e.get("tid", 0))
    _move(th, RUNNING, t)


def _get(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    p = s.prim(e)
    items = p.items
    if items:
        at = -1 if p.type == "LifoQueue" else 0
        item = e.get("item")
        if (p.type == "PriorityQueue" or items[at] != item) and item in items:
            at = items.index(item)  # the equal repr (or, out of step, the one that left)
        del items[at]
    _unwait(p, e.get("tid", 0))
    _move(th, RUNNING, t)


def _coalesced(s: ProgramState, e: dict, th: ThreadView | None,
               t: float) -> list[Finding] | None:
    """Pairs the probe folded still took the lock while this thread held its others: an
    order for the lock-order check (at the release's line, the one the event keeps)."""
    p = s.prim(e)
    p.acquisitions += e.get("times", 0)
    if p.type not in LOCKS or e.get("line") is None:
        return None  # counted in a flood, with no line: when they happened is not known
    tid = e.get("tid", 0)
    found = s.checks.took(s, tid, p, e.get("line"))
    s.checks.released(tid, p.obj)
    return found


# Futures


def _submit(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    obj = e["obj"]
    s.futures[obj] = FutureView(obj, e.get("fn", "?"), e.get("args", ""), submitted=t,
                                executor=e.get("executor"))


def _future(s: ProgramState, e: dict) -> FutureView:
    obj = e["obj"]
    f = s.futures.get(obj)
    if f is None:
        f = s.futures[obj] = FutureView(obj, "?", "")
    return f


def _future_running(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    f = _future(s, e)
    f.state, f.worker, f.started = "running", e.get("tid"), t
    if th is not None:
        th.future = f.obj


def _future_done(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    f = _future(s, e)
    f.ended = t
    if e.get("cancelled"):
        f.state = "cancelled"
    elif "error" in e:
        f.state, f.error = "failed", e["error"]
    else:
        f.state, f.result = "done", e.get("result")
    worker = s.threads.get(f.worker) if f.worker is not None else None
    if worker is not None and worker.future == f.obj:
        worker.future = None


def _cancel(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    if e.get("ok"):
        f = _future(s, e)
        f.state, f.ended = "cancelled", t


def _completed(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    s.completion_order.append(e["obj"])


def _shutdown(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    s.prim(e).shut_down = True


def _nothing(s: ProgramState, e: dict, th: ThreadView | None, t: float) -> None:
    """Kinds whose only mark on the state is the line and thread `apply` records."""


_HANDLERS: dict[str, Handler] = {
    "header": _header, "main-start": _main_start, "main-end": _main_end,
    "main-error": _main_error, "exit": _exit, "internal": _internal, "out": _out,
    "data": _data, "line": _nothing, "control": _control, "hold": _hold,
    "thread-new": _thread_new, "thread-start": _thread_start, "thread-end": _thread_end,
    "thread-error": _thread_error, "join": _join, "joined": _joined, "sleep": _sleep,
    "sleep-end": _sleep_end,
    "new": _new, "name": _name, "acquired": _acquired, "block": _block,
    "timeout": _timeout, "busy": _nothing, "release": _release, "error": _nothing,
    "cond-wait": _cond_wait, "cond-woken": _cond_woken, "notify": _notify,
    "notify-all": _notify, "event-set": _event_set, "event-clear": _event_clear,
    "event-wait": _event_wait, "event-waited": _event_waited,
    "barrier-wait": _barrier_wait, "barrier-pass": _barrier_leave,
    "barrier-broken": _barrier_leave, "put": _put, "get": _get, "coalesced": _coalesced,
    "submit": _submit, "future-running": _future_running, "future-done": _future_done,
    "cancel": _cancel, "completed": _completed, "wait-return": _nothing,
    "shutdown": _shutdown,
}
