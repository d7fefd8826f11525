"""One plain sentence per probe event, for the transcript and the watch screen's log.

A sentence says what the event's thread did without naming that thread (the transcript
shows it beside each line); it names the other threads by their names and the objects by
the program's names, with the line. Every sentence must be true of CPython; what concviz
did (pause, speed, folding events) says concviz. Call :func:`describe` after
``state.apply(event)``: it reads the state the event left (a lock's waiters, a queue's
size, a future's function).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from concviz.engine.words import plural
from concviz.watch.state import (
    DIED,
    FINISHED,
    OWNED,
    QUEUES,
    SEMAPHORES,
    FutureView,
    PrimitiveView,
    ProgramState,
)

Event = dict[str, Any]
_MODULE = {"Queue": "queue", "LifoQueue": "queue", "PriorityQueue": "queue",
           "SimpleQueue": "queue", "ThreadPoolExecutor": "concurrent.futures"}
_NOTICED_WAIT = 0.001  # s: a shorter wait is not worth a word


def describe(event: Event, state: ProgramState) -> str | None:
    """The sentence for ``event``, or None for events that need no line (``line``,
    ``out``: the program's output is shown apart)."""
    say = _SAYERS.get(event["kind"])
    try:
        return say(event, state) if say is not None else None
    except (KeyError, TypeError, ValueError):  # malformed: ProgramState.apply skipped it
        return None


# Words the sentences share


def secs(seconds: float) -> str:
    """``0.25``, ``2``, ``0.123``: seconds as a class reads them."""
    if seconds and abs(seconds) < 0.001:
        return f"{seconds:.1g}"
    return f"{seconds:.3f}".rstrip("0").rstrip(".")


def _at(e: Event, state: ProgramState) -> str:
    line = e.get("line")
    if line is None:
        return ""
    file = e.get("file")
    main = (state.header.get("program"), state.header.get("shown_as"))
    if file is None or file in main:
        return f" at line {line}"
    return f" at line {line} of {Path(file).name}"


def _who(state: ProgramState, tid: int | None) -> str:
    view = state.threads.get(tid) if tid is not None else None
    return view.name if view is not None else f"thread {tid}"


def _whom(state: ProgramState, tids: Iterable[int]) -> str:
    return ", ".join(_who(state, tid) for tid in tids)


def _prim(e: Event, state: ProgramState) -> PrimitiveView:
    obj = e["obj"]
    return state.prims.get(obj) or PrimitiveView(obj, "?", f"object {obj}")


def _call(state: ProgramState, obj: int) -> str:
    f = state.futures.get(obj) or FutureView(obj, "?", "")
    args = f.args.removesuffix(",)") + ")" if f.args.endswith(",)") else f.args
    return f"{f.fn}{args}" if args.startswith("(") else f"{f.fn}({args})"


def _waited(e: Event, how: str = "after waiting") -> str:
    waited = e.get("waited") or 0.0
    return f" {how} {secs(waited)} s" if waited >= _NOTICED_WAIT else ""


def _value(v: Any) -> str:
    """A shown global's JSON value, written as Python writes it."""
    if isinstance(v, list):
        return f"[{', '.join(map(_value, v))}]"
    if isinstance(v, dict):
        if v.keys() == {"repr"}:
            return str(v["repr"])
        return "{" + ", ".join(f"{k!r}: {_value(x)}" for k, x in v.items()) + "}"
    return repr(v)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _call_of(target: str) -> str:
    return f"{target}()" if target else "its run()"


# Program


def _main_start(e: Event, state: ProgramState) -> str:
    return "starts the program's top-level code"


def _main_end(e: Event, state: ProgramState) -> str:
    tid = e.get("tid")
    others = [th for th in state.threads.values() if th.tid != tid and not th.daemon
              and th.state not in (FINISHED, DIED)]
    if not others:
        return "finished the program's top-level code"
    return (f"finished the program's top-level code; Python waits for "
            f"{plural(len(others), 'non-daemon thread')} to end before it exits")


def _main_error(e: Event, state: ProgramState) -> str:
    return (f"died: {e.get('error')}{_at(e, state)}; Python prints the traceback, and the "
            "program's exit status will be 1")


def _exit(e: Event, state: ProgramState) -> str:
    code = e.get("code")
    head = f"SystemExit({'' if code is None else repr(code)}) reached the top level{_at(e, state)}"
    if code is None:
        return f"{head}: the exit status will be 0"
    if isinstance(code, int):
        return f"{head}: the exit status will be {code % 256}"
    return f"{head}: Python prints {code} to stderr and the exit status will be 1"


def _internal(e: Event, state: ProgramState) -> str | None:
    counts = e.get("counts") or {}
    if not counts:
        return None
    made = ", ".join(plural(n, typ) for typ, n in counts.items())
    return f"the standard library has made {made} for its own use (not shown one by one)"


LONG_LIST = 12  # items of a shown list said whole; a longer one is said by its ends


def _data(e: Event, state: ProgramState) -> str:
    value = e.get("value")
    if isinstance(value, list) and len(value) > LONG_LIST:  # a line, not a screenful
        ends = [*map(_value, value[:5]), "...", *map(_value, value[-3:])]
        return f"{e.get('name')} = [{', '.join(ends)}] ({len(value)} items)"
    return f"{e.get('name')} = {_value(value)}"


_CONTROL = {
    "pause": "concviz paused the program: every thread stops at its next probed point",
    "resume": "concviz resumed the program: every thread goes on",
    "step": "concviz let one held operation through; the threads are held again after it",
    "cancel-pending": "concviz cancelled every submitted future not yet running",
}


def _control(e: Event, state: ProgramState) -> str:
    cmd = e.get("cmd")
    if cmd == "speed":
        factor = e.get("factor", state.speed)
        return (f"concviz set the speed to {factor:g}x: time.sleep(s) now sleeps "
                f"s / {factor:g}")
    if cmd == "spawn":
        return f"concviz starts a new thread running {e.get('function')}()"
    return _CONTROL.get(cmd, f"concviz sent the probe {cmd}")


def _hold(e: Event, state: ProgramState) -> str:
    return f"waits{_at(e, state)}: concviz paused the program (the program did not)"


# Threads


def _thread_new(e: Event, state: ProgramState) -> str:
    name = _who(state, e.get("child"))
    call = _call_of(e.get("target") or "")
    notes = []
    if e.get("internal"):
        notes.append("the standard library's own")
    if e.get("daemon"):
        notes.append("a daemon thread: Python does not wait for it at exit")
    note = f" ({'; '.join(notes)})" if notes else ""
    if e.get("by") == "concviz":
        return f"concviz started {name}, running {call}{note}"
    return f"started {name}{_at(e, state)}, running {call}{note}"


def _thread_start(e: Event, state: ProgramState) -> str:
    return f"begins: runs {_call_of(e.get('target') or '')}"


def _thread_end(e: Event, state: ProgramState) -> str:
    view = state.threads.get(e.get("tid", 0))
    return f"finished: {_call_of(view.target if view is not None else '')} returned"


def _thread_error(e: Event, state: ProgramState) -> str:
    hook = e.get("hook") or "default"
    if str(e.get("error", "")).startswith("SystemExit") and hook == "default":
        return (f"ended by {e.get('error')}{_at(e, state)}: threading.excepthook ignores "
                "SystemExit silently, and the other threads go on")
    done = ("threading.excepthook printed the traceback" if hook == "default"
            else f"threading.excepthook is {hook}, which handled it")
    return f"died: {e.get('error')}{_at(e, state)}; {done}, and the other threads go on"


def _join(e: Event, state: ProgramState) -> str:
    timeout = e.get("timeout")
    limit = f" (for at most {secs(timeout)} s)" if timeout is not None else ""
    return f"waits for {_who(state, e.get('child'))} to end{_at(e, state)}: join(){limit}"


def _joined(e: Event, state: ProgramState) -> str:
    child = _who(state, e.get("child"))
    if e.get("alive"):
        return f"join() timed out{_at(e, state)}: {child} still runs"
    return f"join() returned{_at(e, state)}: {child} has ended"


def _sleep(e: Event, state: ProgramState) -> str:
    seconds = e.get("seconds", 0)
    wall = e.get("wall", seconds)
    how = f"time.sleep({seconds!r})"
    if seconds and wall and abs(seconds / wall - 1) > 1e-3:  # wall is rounded to a microsecond
        how += f"; concviz's speed {seconds / wall:.3g}x makes it {secs(wall)} s"
    return f"sleeps {secs(seconds)} s{_at(e, state)} ({how})"


def _sleep_end(e: Event, state: ProgramState) -> str:
    return "time.sleep() returned"


# Primitives


def _new(e: Event, state: ProgramState) -> str:
    typ = e.get("type", "?")
    module = _MODULE.get(typ, "threading")
    if typ in SEMAPHORES:
        args = str(e.get("value", 1))
    elif typ == "Barrier":
        args = str(e.get("parties"))
    elif typ in QUEUES and e.get("maxsize"):
        args = f"maxsize={e['maxsize']}"
    elif typ == "ThreadPoolExecutor" and e.get("max_workers") is not None:
        args = f"max_workers={e['max_workers']}"
    elif typ == "Condition" and e.get("lock") in state.prims:
        lock = state.prims[e["lock"]]
        if lock.line == e.get("line") and not lock.named:  # made with it: its own RLock
            return f"made a threading.Condition{_at(e, state)}, with a new {lock.type} as its lock"
        args = lock.name
    else:
        args = ""
    return f"made a {module}.{typ}({args}){_at(e, state)}"


def _name(e: Event, state: ProgramState) -> str:
    obj = e["obj"]
    if obj in state.futures:
        return f"the future of {_call(state, obj)} is {e.get('name')}"
    p = _prim(e, state)
    made = f" made at line {p.line}" if p.line is not None else ""
    return f"the {p.type}{made} is {e.get('name')}"


def _acquired(e: Event, state: ProgramState) -> str:
    p = _prim(e, state)
    at, waited = _at(e, state), _waited(e)
    if p.type in SEMAPHORES:
        return (f"took a slot of {p.name}{at}{waited} ({e.get('value', p.value)} of "
                f"{p.initial} left)")
    if p.type == "Condition":
        return f"took {p.name}'s lock{at}{waited}"
    count = e.get("count") or 1
    if p.type == "RLock" and count > 1:
        return f"took {p.name} again{at} (count {count}: an RLock lets its owner take it again)"
    return f"took {p.name}{at}{waited}"


def _block(e: Event, state: ProgramState) -> str:
    p = _prim(e, state)
    at = _at(e, state)
    if e.get("timeout") is not None:  # it gives up by itself then
        at += f" (for at most {secs(e['timeout'])} s)"
    if p.type in QUEUES:
        if e.get("on") == "full":
            return f"waits{at}: {p.name} is full ({len(p.items)} of {p.initial}), so put() blocks"
        return f"waits{at}: {p.name} is empty, so get() blocks"
    if p.type in SEMAPHORES:
        held = f" (held by {_whom(state, p.holders)})" if p.holders else ""
        return f"waits for a slot of {p.name}{at}: all {p.initial} are taken{held}"
    if p.type not in OWNED:
        return f"waits for {p.name}{at}"
    lock = state.lock_of(p)
    what = f"{p.name}'s lock" if p.type == "Condition" else p.name
    if lock.owner is None:
        return f"waits for {what}{at}"
    if lock.owner == e.get("tid"):
        return f"waits for {what}{at}, which it holds itself: a Lock is not re-entrant"
    return f"waits for {what} (held by {_who(state, lock.owner)}){at}"


def _timeout(e: Event, state: ProgramState) -> str:
    p = _prim(e, state)
    at, waited = _at(e, state), secs(e.get("waited") or 0.0)
    if p.type in QUEUES:
        if e.get("on") == "full":
            return f"gave up{at}: {p.name} stayed full for {waited} s, so put() raised queue.Full"
        return f"gave up{at}: {p.name} stayed empty for {waited} s, so get() raised queue.Empty"
    return f"gave up waiting for {p.name}{at} after {waited} s: acquire() returned False"


def _busy(e: Event, state: ProgramState) -> str:
    p = _prim(e, state)
    at = _at(e, state)
    if p.type in QUEUES:
        if e.get("on") == "full":
            return f"found {p.name} full{at}: the non-blocking put() raised queue.Full"
        return f"found {p.name} empty{at}: the non-blocking get() raised queue.Empty"
    if p.type in SEMAPHORES:
        return f"found no slot of {p.name} free{at}: acquire(blocking=False) returned False"
    owner = state.lock_of(p).owner
    held = f" by {_who(state, owner)}" if owner is not None else ""
    return f"found {p.name} held{held}{at}: acquire(blocking=False) returned False"


def _release(e: Event, state: ProgramState) -> str:
    p = _prim(e, state)
    at = _at(e, state)
    if p.type in SEMAPHORES:
        return f"released a slot of {p.name}{at} ({e.get('value', p.value)} of {p.initial} free)"
    if p.type == "Condition":
        return f"released {p.name}'s lock{at}"
    count = e.get("count") or 0
    if p.type == "RLock" and count > 0:
        return f"released {p.name} once{at} (count {count}: it still holds it)"
    waiters = [tid for tid in p.waiters if tid != e.get("tid")]
    if not waiters:
        return f"released {p.name}{at}"
    if len(waiters) == 1:
        return f"released {p.name}{at}; {_who(state, waiters[0])} waits for it"
    return (f"released {p.name}{at}; {len(waiters)} threads wait for it, and a {p.type} "
            "does not say which gets it next")


def _error(e: Event, state: ProgramState) -> str:
    return f"a call on {_prim(e, state).name} raised {e.get('error')}{_at(e, state)}"


def _cond_wait(e: Event, state: ProgramState) -> str:
    timeout = e.get("timeout")
    until = f", or its {secs(timeout)} s timeout ends" if timeout is not None else ""
    return (f"waits on {_prim(e, state).name}{_at(e, state)}: wait() released the lock "
            f"until a notify wakes it{until}")


def _cond_woken(e: Event, state: ProgramState) -> str:
    name = _prim(e, state).name
    if not e.get("result"):
        return (f"{name}.wait() timed out after {secs(e.get('waited') or 0.0)} s and "
                "returned False, with the lock taken back")
    by = f", woken by {_who(state, e['by'])}" if e.get("by") is not None else ""
    return f"{name}.wait() returned True{_waited(e, 'after')}{by}, with the lock taken back"


def _notify(e: Event, state: ProgramState) -> str:
    name, woke = _prim(e, state).name, e.get("woke") or []
    if e["kind"] == "notify-all":
        call = f"{name}.notify_all()"
    else:
        n = e.get("n", 1)
        call = f"{name}.notify({'' if n == 1 else n})"
    if not woke:
        return f"{call}{_at(e, state)} woke nobody: no thread was waiting"
    return (f"{call}{_at(e, state)} woke {_whom(state, woke)}; "
            f"{'it takes' if len(woke) == 1 else 'each takes'} the lock back before wait() "
            "returns")


def _event_set(e: Event, state: ProgramState) -> str:
    woke = e.get("woke") or []
    if not woke:
        woken = "no thread was waiting"
    elif len(woke) <= 3:
        woken = f"woke {_whom(state, woke)}"
    else:
        woken = f"woke {len(woke)} threads"
    return f"set {_prim(e, state).name}{_at(e, state)} ({woken})"


def _event_clear(e: Event, state: ProgramState) -> str:
    return f"cleared {_prim(e, state).name}{_at(e, state)}"


def _event_wait(e: Event, state: ProgramState) -> str:
    name = _prim(e, state).name
    if e.get("is_set"):
        return f"{name}.wait(){_at(e, state)} returns at once: {name} is set"
    timeout = e.get("timeout")
    limit = f" (for at most {secs(timeout)} s)" if timeout is not None else ""
    return f"waits for {name} to be set{_at(e, state)}{limit}"


def _event_waited(e: Event, state: ProgramState) -> str:
    name = _prim(e, state).name
    if e.get("result"):
        return f"{name} is set: wait() returned True{_waited(e, 'after')}"
    return (f"gave up waiting for {name} after {secs(e.get('waited') or 0.0)} s: wait() "
            "returned False")


def _barrier_wait(e: Event, state: ProgramState) -> str:
    p = _prim(e, state)
    arrived, parties = e.get("arrived", len(p.arrived)), e.get("parties", p.initial)
    if arrived is not None and arrived == parties:
        return f"arrives at {p.name}{_at(e, state)}, the last of {parties}: all of them go on"
    return f"arrives at {p.name}{_at(e, state)} ({arrived} of {parties}) and waits"


def _barrier_pass(e: Event, state: ProgramState) -> str:
    return (f"passes {_prim(e, state).name}{_waited(e)} "
            f"(wait() returned {e.get('index')})")


def _barrier_broken(e: Event, state: ProgramState) -> str:
    return (f"{_prim(e, state).name} is broken: wait() raised threading.BrokenBarrierError"
            f"{_waited(e)}")


def _put(e: Event, state: ProgramState) -> str:
    return (f"put {e.get('item')} into {_prim(e, state).name}{_at(e, state)} "
            f"(size {e.get('size')})")


def _get(e: Event, state: ProgramState) -> str:
    return (f"got {e.get('item')} from {_prim(e, state).name}{_at(e, state)} "
            f"(size {e.get('size')})")


def _coalesced(e: Event, state: ProgramState) -> str:
    return (f"took and released {_prim(e, state).name} {plural(e.get('times', 0), 'time')} "
            "(concviz counted these into one line: the program made more events than a "
            "screen can show)")


# Futures


def _submit(e: Event, state: ProgramState) -> str:
    executor = state.prims.get(e.get("executor"))
    to = f" to {executor.name}" if executor is not None else ""
    return f"submitted {_call(state, e['obj'])}{to}{_at(e, state)}"


def _future_running(e: Event, state: ProgramState) -> str:
    return f"starts running {_call(state, e['obj'])}"


def _future_done(e: Event, state: ProgramState) -> str:
    call = _call(state, e["obj"])
    if e.get("cancelled"):
        return f"{call} is cancelled: it never ran"
    if "error" in e:
        return f"{call} raised {e['error']}; the future keeps it, and result() raises it"
    return f"{call} returned {e.get('result')}"


def _cancel(e: Event, state: ProgramState) -> str:
    call = _call(state, e["obj"])
    if e.get("ok"):
        return f"cancel() on {call} returned True: it had not started, and now never runs"
    return f"cancel() on {call} returned False: it is running or done"


def _completed(e: Event, state: ProgramState) -> str:
    order = state.completion_order
    n = order.index(e["obj"]) + 1 if e["obj"] in order else len(order)
    return f"as_completed() handed back {_call(state, e['obj'])}, the {_ordinal(n)} it gave"


def _wait_return(e: Event, state: ProgramState) -> str:
    def count(v: Any) -> int:
        return len(v) if isinstance(v, list) else int(v or 0)

    return (f"concurrent.futures.wait() returned{_at(e, state)}: {count(e.get('done'))} "
            f"done, {count(e.get('not_done'))} not done")


def _shutdown(e: Event, state: ProgramState) -> str:
    name = _prim(e, state).name
    if e.get("wait", True):
        return (f"{name}.shutdown(wait=True){_at(e, state)}: waits until every submitted "
                "future has finished")
    return (f"{name}.shutdown(wait=False){_at(e, state)}: returns at once; the futures "
            "already submitted still run")


def _garbage(e: Event, state: ProgramState) -> str:
    return f"concviz could not read a line the probe sent: {e.get('text')}"


_SAYERS: dict[str, Callable[[Event, ProgramState], str | None]] = {
    "main-start": _main_start, "main-end": _main_end, "main-error": _main_error,
    "exit": _exit, "internal": _internal, "data": _data, "control": _control,
    "hold": _hold, "thread-new": _thread_new, "thread-start": _thread_start,
    "thread-end": _thread_end, "thread-error": _thread_error, "join": _join,
    "joined": _joined, "sleep": _sleep,
    "sleep-end": _sleep_end, "new": _new, "name": _name, "acquired": _acquired,
    "block": _block, "timeout": _timeout, "busy": _busy, "release": _release,
    "error": _error, "cond-wait": _cond_wait, "cond-woken": _cond_woken,
    "notify": _notify, "notify-all": _notify, "event-set": _event_set,
    "event-clear": _event_clear, "event-wait": _event_wait,
    "event-waited": _event_waited, "barrier-wait": _barrier_wait,
    "barrier-pass": _barrier_pass, "barrier-broken": _barrier_broken, "put": _put,
    "get": _get, "coalesced": _coalesced, "submit": _submit,
    "future-running": _future_running, "future-done": _future_done, "cancel": _cancel,
    "completed": _completed, "wait-return": _wait_return, "shutdown": _shutdown,
    "probe-garbage": _garbage,
}
