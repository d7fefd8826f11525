"""A watched program's state, folded from the probe's events (docs/wire-format.md).

One :class:`ProgramState` per run; :meth:`ProgramState.apply` takes the events in order
(plain dicts, as decoded from the wire). Every front end reads the same fold: the watch
screen, the plain transcript and the tests that step a run and check the views agree.
No Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Thread states a lane shows
STARTING, RUNNING, SLEEPING, BLOCKED, WAITING, HELD, FINISHED, DIED = (
    "starting", "running", "sleeping", "blocked", "waiting", "held", "finished", "died")


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


@dataclass
class Finding:
    """A problem concviz's own checks found (Python has no such checks)."""

    kind: str  # "deadlock" or "lock-order"
    t: float
    text: str  # one sentence naming threads, locks and lines
    threads: list[int] = field(default_factory=list)
    objs: list[int] = field(default_factory=list)


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

    def apply(self, event: dict[str, Any]) -> list[Finding]:
        """Fold one event in; return the findings it produced (usually none)."""
        raise NotImplementedError
