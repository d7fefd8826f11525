"""The fold of a watched program's events into its state, and concviz's lock checks,
on synthetic event streams (docs/wire-format.md)."""

from __future__ import annotations

import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from concviz.watch.session import Session
from concviz.watch.state import (
    BLOCKED,
    DIED,
    FINISHED,
    HELD,
    MAX_OUTPUT,
    RUNNING,
    SLEEPING,
    STARTING,
    WAITING,
    Finding,
    PrimitiveView,
    ProgramState,
)
from concviz.watch.words import describe

PROGRAM = "/tmp/prog.py"


class Run:
    """Builds a stream of events as the probe would send them and folds each one in;
    keeps the findings and the sentences they made."""

    def __init__(self) -> None:
        self.state = ProgramState()
        self.t = 0.0
        self.names = {0: "concviz", 1: "MainThread"}
        self.found: list[Finding] = []
        self.said: list[str | None] = []
        self.ev(0, "header", wire="concviz-probe", schema=1, program=PROGRAM,
                shown_as=PROGRAM)
        self.ev(1, "main-start")

    def ev(self, tid: int, kind: str, **fields: Any) -> dict[str, Any]:
        self.t = round(self.t + 0.01, 6)
        event = {"t": self.t, "kind": kind, "thread": self.names.get(tid, f"Thread-{tid}"),
                 "tid": tid, **fields}
        if "line" in fields:
            event.setdefault("file", PROGRAM)
        self.found += self.state.apply(event)
        self.said.append(describe(event, self.state))
        return event

    def thread(self, tid: int, name: str, target: str = "work", daemon: bool = False) -> None:
        self.ev(1, "thread-new", child=tid, name=name, target=target, daemon=daemon,
                internal=False, by="program", line=50)
        self.names[tid] = name
        self.ev(tid, "thread-start", target=target, internal=False)

    def new(self, obj: int, type: str, name: str, line: int = 1, **fields: Any) -> None:
        self.ev(1, "new", obj=obj, type=type, line=line, **fields)
        self.ev(1, "name", obj=obj, name=name)

    @property
    def last(self) -> str | None:
        return self.said[-1]


def test_a_thread_lane_goes_through_its_states():
    run = Run()
    s = run.state
    run.ev(1, "thread-new", child=2, name="Thread-1 (work)", target="work", daemon=True,
           internal=False, by="program", line=7)
    assert s.threads[2].state == STARTING and s.threads[2].daemon
    assert s.threads[1].line == 7 and s.threads[1].file == PROGRAM
    run.names[2] = "Thread-1 (work)"
    run.ev(2, "thread-start", target="work", internal=False)
    assert s.threads[2].state == RUNNING and s.threads[2].target == "work"
    sleep = run.ev(2, "sleep", seconds=0.5, wall=0.25, line=3)
    lane = s.threads[2]
    assert lane.state == SLEEPING and lane.until == sleep["t"] + 0.25 and lane.line == 3
    run.ev(2, "sleep-end")
    assert lane.state == RUNNING and lane.until is None
    run.ev(2, "line", file=PROGRAM, line=4)
    assert lane.line == 4
    run.ev(2, "thread-end")
    assert lane.state == FINISHED and lane.since == run.t
    run.ev(1, "join", child=2, timeout=None, line=30)
    assert s.threads[1].state == WAITING and s.threads[1].joins == 2
    run.ev(1, "joined", child=2, alive=False, line=30)
    assert s.threads[1].state == RUNNING and s.threads[1].joins is None
    run.thread(3, "Thread-2 (boom)", "boom")
    run.ev(3, "thread-error", error="IndexError: pop from empty list", traceback="Tb",
           file=PROGRAM, line=20, hook="default")
    dead = s.threads[3]
    assert (dead.state, dead.error, dead.traceback, dead.line) == (
        DIED, "IndexError: pop from empty list", "Tb", 20)


def test_unknown_threads_are_registered_lazily_and_renamed_and_the_probe_is_no_lane():
    run = Run()
    run.names[9] = "Dummy-1"
    run.ev(9, "line", file=PROGRAM, line=2)
    assert run.state.threads[9].name == "Dummy-1"
    assert run.state.threads[9].state == RUNNING
    run.names[9] = "renamed"
    run.ev(9, "line", file=PROGRAM, line=3)
    assert run.state.threads[9].name == "renamed"
    run.ev(0, "control", cmd="speed", factor=2.0)
    assert 0 not in run.state.threads
    run.ev(0, "thread-new", child=4, name="Thread-3 (spawned)", target="spawned",
           daemon=False, internal=False, by="concviz")
    assert run.state.threads[4].by == "concviz" and 0 not in run.state.threads


def test_program_events():
    run = Run()
    s = run.state
    assert s.header["program"] == PROGRAM and s.threads[1].state == RUNNING
    run.ev(1, "data", name="shared", value=[1, 2])
    run.ev(0, "internal", counts={"Lock": 3})
    assert s.data == {"shared": [1, 2]} and s.internal == {"Lock": 3}
    run.ev(1, "main-end")
    assert s.main_ended and s.threads[1].state == FINISHED
    other = Run()
    other.ev(1, "exit", code=3)
    assert other.state.exit_code == 3 and other.state.main_ended
    third = Run()
    third.ev(1, "main-error", error="ValueError: no", traceback="Tb", file=PROGRAM, line=9)
    assert third.state.threads[1].state == DIED and third.state.threads[1].error == "ValueError: no"
    assert third.state.events == 3


def test_output_is_bounded():
    run = Run()
    for i in range(MAX_OUTPUT + 5):
        run.state.apply({"t": 1.0, "kind": "out", "thread": "MainThread", "tid": 1,
                         "stream": "stdout", "text": f"{i}\n"})
    assert len(run.state.output) == MAX_OUTPUT
    assert run.state.output[0] == ("stdout", "5\n") and run.state.output_dropped == 5
    assert run.state.output[-1] == ("stdout", f"{MAX_OUTPUT + 4}\n")


def test_control_pause_hold_step_resume_and_speed():
    run = Run()
    s = run.state
    run.thread(2, "Thread-1 (work)")
    run.ev(0, "control", cmd="pause")
    assert s.paused
    run.ev(2, "hold", file=PROGRAM, line=5)
    assert s.threads[2].state == HELD and s.threads[2].line == 5
    run.ev(0, "control", cmd="step")
    assert s.paused
    run.ev(0, "control", cmd="resume")
    assert not s.paused and s.threads[2].state == RUNNING
    run.ev(0, "control", cmd="speed", factor=4.0)
    assert s.speed == 4.0


def test_a_lock_owner_waiters_in_order_and_acquisitions():
    run = Run()
    s = run.state
    for tid in (2, 3, 4):
        run.thread(tid, f"Thread-{tid - 1} (work)")
    run.new(10, "Lock", "lock", line=2)
    lock = s.prims[10]
    assert lock.name == "lock" and lock.line == 2
    run.ev(2, "acquired", obj=10, waited=0.0, line=5)
    assert lock.owner == 2 and lock.count == 1
    run.ev(4, "block", obj=10, line=5)
    run.ev(3, "block", obj=10, line=5)
    assert lock.waiters == [4, 3]
    assert s.threads[3].state == BLOCKED and s.threads[3].on == 10
    run.ev(2, "release", obj=10, line=6)
    assert lock.owner is None and lock.waiters == [4, 3]
    run.ev(3, "acquired", obj=10, waited=0.1, line=5)
    assert lock.owner == 3 and lock.waiters == [4] and s.threads[3].state == RUNNING
    assert s.threads[3].on is None
    run.ev(4, "timeout", obj=10, waited=0.5, line=5)
    assert lock.waiters == [] and s.threads[4].state == RUNNING
    run.ev(2, "coalesced", obj=10, times=40, waited=0.0)
    assert lock.acquisitions == 42


def test_an_rlock_counts_its_owner_s_levels():
    run = Run()
    run.new(10, "RLock", "rlock")
    lock = run.state.prims[10]
    run.ev(1, "acquired", obj=10, waited=0.0, count=1, line=3)
    run.ev(1, "acquired", obj=10, waited=0.0, count=2, line=4)
    assert (lock.owner, lock.count) == (1, 2)
    run.ev(1, "release", obj=10, count=1, line=5)
    assert (lock.owner, lock.count) == (1, 1)
    run.ev(1, "release", obj=10, count=0, line=6)
    assert (lock.owner, lock.count) == (None, 0)


def test_a_semaphore_s_value_and_holders():
    run = Run()
    s = run.state
    run.thread(2, "Thread-1 (work)")
    run.thread(3, "Thread-2 (work)")
    run.new(10, "BoundedSemaphore", "slots", value=1)
    sem = s.prims[10]
    assert sem.value == sem.initial == 1
    run.ev(2, "acquired", obj=10, waited=0.0, value=0, line=3)
    run.ev(3, "block", obj=10, line=3)
    assert (sem.value, sem.holders, sem.waiters) == (0, [2], [3])
    run.ev(2, "release", obj=10, value=1, line=4)
    run.ev(3, "acquired", obj=10, waited=0.2, value=0, line=3)
    assert (sem.value, sem.holders, sem.waiters) == (0, [3], [])


def test_a_condition_s_waiters_block_on_its_lock_once_notified():
    run = Run()
    s = run.state
    run.thread(2, "Thread-1 (consumer)")
    run.thread(3, "Thread-2 (consumer)")
    run.new(10, "RLock", "cond_lock")
    run.new(11, "Condition", "cond", lock=10)
    lock, cond = s.prims[10], s.prims[11]
    for tid in (2, 3):  # as the probe sends them: cond-wait, then wait()'s release
        run.ev(tid, "acquired", obj=10, waited=0.0, count=1, line=8)
        run.ev(tid, "cond-wait", obj=11, timeout=None, line=9)
        run.ev(tid, "release", obj=10, count=0, line=9)
    assert cond.waiters == [2, 3] and s.threads[2].state == WAITING and lock.owner is None
    run.ev(1, "acquired", obj=10, waited=0.0, count=1, line=20)
    run.ev(1, "notify", obj=11, n=1, woke=[2], line=21)
    assert cond.waiters == [3] and lock.waiters == [2]
    assert s.threads[2].state == BLOCKED and s.threads[2].on == 10
    run.ev(1, "release", obj=10, count=0, line=22)
    run.ev(2, "acquired", obj=10, waited=0.01, count=1, line=9)
    run.ev(2, "cond-woken", obj=11, result=True, waited=0.3, by=1, line=9)
    assert (lock.owner, lock.count, lock.waiters) == (2, 1, [])
    assert s.threads[2].state == RUNNING and s.threads[2].on is None
    assert run.found == []


def test_a_cond_woken_without_its_lock_s_acquired_still_leaves_the_lock_with_it():
    run = Run()
    run.new(10, "Lock", "lock")
    run.new(11, "Condition", "cond", lock=10)
    run.ev(1, "cond-wait", obj=11, timeout=1.0, line=9)
    run.ev(1, "cond-woken", obj=11, result=False, waited=1.0, by=None, line=9)
    lock = run.state.prims[10]
    assert (lock.owner, lock.count) == (1, 1) and run.state.prims[11].waiters == []


def test_an_event_and_its_waiters():
    run = Run()
    s = run.state
    run.thread(2, "Thread-1 (waiter)")
    run.thread(3, "Thread-2 (waiter)")
    run.new(10, "Event", "done")
    run.ev(2, "event-wait", obj=10, timeout=None, is_set=False, line=4)
    run.ev(3, "event-wait", obj=10, timeout=None, is_set=False, line=4)
    ev = s.prims[10]
    assert ev.waiters == [2, 3] and s.threads[3].state == WAITING
    run.ev(1, "event-set", obj=10, woke=[2, 3], line=9)
    assert ev.is_set and ev.waiters == [] and s.threads[2].state == RUNNING
    run.ev(2, "event-waited", obj=10, result=True, waited=0.2, line=4)
    run.ev(1, "event-clear", obj=10, line=10)
    assert not ev.is_set
    run.ev(3, "event-wait", obj=10, timeout=0.5, is_set=False, line=4)
    run.ev(3, "event-waited", obj=10, result=False, waited=0.5, line=4)
    assert ev.waiters == [] and s.threads[3].state == RUNNING


def test_a_barrier_counts_who_arrived():
    run = Run()
    s = run.state
    for tid in (2, 3):
        run.thread(tid, f"Thread-{tid - 1} (runner)")
    run.new(10, "Barrier", "gate", parties=3)
    bar = s.prims[10]
    assert bar.initial == 3
    run.ev(2, "barrier-wait", obj=10, arrived=1, parties=3, line=5)
    run.ev(3, "barrier-wait", obj=10, arrived=2, parties=3, line=5)
    assert bar.arrived == [2, 3] and bar.waiters == [2, 3] and s.threads[2].state == WAITING
    run.ev(1, "barrier-wait", obj=10, arrived=3, parties=3, line=5)
    assert s.threads[1].state == RUNNING and bar.waiters == [2, 3]
    for tid, index in ((1, 0), (2, 2), (3, 1)):
        run.ev(tid, "barrier-pass", obj=10, index=index, waited=0.1, line=5)
    assert bar.arrived == [] and bar.waiters == [] and s.threads[3].state == RUNNING
    run.ev(2, "barrier-wait", obj=10, arrived=1, parties=3, line=5)
    run.ev(2, "barrier-broken", obj=10, waited=1.0, line=5)
    assert bar.broken and bar.arrived == []


def _fill(kind: str) -> Run:
    run = Run()
    run.new(10, kind, "q", maxsize=0)
    for item, size in (("3", 1), ("1", 2), ("2", 3)):
        run.ev(1, "put", obj=10, item=item, size=size, line=4)
    return run


def test_a_queue_gives_its_items_first_in_first_out():
    for kind in ("Queue", "SimpleQueue"):
        run = _fill(kind)
        run.ev(1, "get", obj=10, item="3", size=2, line=5)
        assert run.state.prims[10].items == ["1", "2"]


def test_a_lifo_queue_gives_its_last_item_first():
    run = _fill("LifoQueue")
    run.ev(1, "get", obj=10, item="2", size=2, line=5)
    assert run.state.prims[10].items == ["3", "1"]


def test_a_priority_queue_gives_the_item_it_reports():
    run = _fill("PriorityQueue")
    run.ev(1, "get", obj=10, item="1", size=2, line=5)
    run.ev(1, "get", obj=10, item="2", size=1, line=5)
    assert run.state.prims[10].items == ["3"]


def test_a_blocked_get_waits_until_its_item_comes():
    run = Run()
    s = run.state
    run.thread(2, "Thread-1 (consumer)")
    run.new(10, "Queue", "q", maxsize=1)
    run.ev(2, "block", obj=10, on="empty", line=8)
    assert s.prims[10].waiters == [2] and s.threads[2].state == BLOCKED
    run.ev(1, "put", obj=10, item="'job'", size=1, line=4)
    run.ev(2, "get", obj=10, item="'job'", size=0, line=8)
    assert s.prims[10].waiters == [] and s.prims[10].items == []
    assert s.threads[2].state == RUNNING


def test_futures_workers_results_and_completion_order():
    run = Run()
    s = run.state
    run.new(10, "ThreadPoolExecutor", "pool", max_workers=2)
    assert s.prims[10].initial == 2
    for obj, arg in ((20, "1"), (21, "2"), (22, "3")):
        run.ev(1, "submit", obj=obj, executor=10, fn="square", args=arg, line=6)
    run.thread(2, "ThreadPoolExecutor-0_0", "_worker")
    run.ev(2, "future-running", obj=21)
    assert s.futures[21].state == "running" and s.futures[21].worker == 2
    assert s.threads[2].future == 21
    run.ev(2, "future-done", obj=21, result="4", cancelled=False)
    assert s.futures[21].state == "done" and s.futures[21].result == "4"
    assert s.threads[2].future is None
    run.ev(2, "future-running", obj=20)
    run.ev(2, "future-done", obj=20, error="ValueError: bad", cancelled=False)
    assert s.futures[20].state == "failed" and s.futures[20].error == "ValueError: bad"
    run.ev(1, "cancel", obj=22, ok=True, line=8)
    assert s.futures[22].state == "cancelled"
    run.ev(1, "completed", obj=21, line=9)
    run.ev(1, "completed", obj=20, line=9)
    assert s.completion_order == [21, 20]
    run.ev(1, "wait-return", done=[20, 21], not_done=[], line=10)
    run.ev(1, "shutdown", obj=10, wait=True, line=11)
    assert s.prims[10].shut_down


def test_an_object_without_its_new_event_gets_a_placeholder():
    run = Run()
    run.ev(1, "acquired", obj=77, waited=0.0, count=1, line=3)
    assert run.state.prims[77].type == "RLock" and run.state.prims[77].owner == 1
    run.ev(1, "put", obj=78, item="1", size=1, line=4)
    assert run.state.prims[78].type == "Queue" and run.state.prims[78].items == ["1"]


# concviz's checks


def _two_locks(run: Run) -> None:
    run.thread(2, "Thread-1 (worker_a)", "worker_a")
    run.thread(3, "Thread-2 (worker_b)", "worker_b")
    run.new(10, "Lock", "lock_a")
    run.new(11, "Lock", "lock_b")


def test_a_deadlock_of_two_threads_after_its_lock_order_warning():
    run = Run()
    _two_locks(run)
    run.ev(2, "acquired", obj=10, waited=0.0, line=12)
    run.ev(3, "acquired", obj=11, waited=0.0, line=20)
    run.ev(2, "block", obj=11, line=14)
    assert run.found == []
    run.ev(3, "block", obj=10, line=22)
    assert [f.kind for f in run.found] == ["lock-order", "deadlock"]
    order, dead = run.found
    assert order.text == (
        "concviz's lock-order check: Thread-1 (worker_a) took lock_a then asked for lock_b "
        "(lines 12, 14); Thread-2 (worker_b) took lock_b then asked for lock_a (lines 20, "
        "22). If they run at the same time they can deadlock. Python does not check this; "
        "concviz does.")
    assert dead.text.startswith(
        "concviz's check: deadlock. Thread-2 (worker_b) holds lock_b and waits for lock_a at "
        "line 22; Thread-1 (worker_a) holds lock_a and waits for lock_b at line 14. ")
    assert "Python has no such check" in dead.text
    assert sorted(dead.threads) == [2, 3] and sorted(dead.objs) == [10, 11]
    assert run.state.findings == run.found
    run.ev(1, "line", file=PROGRAM, line=30)  # nothing new: each is reported once
    run.ev(3, "block", obj=10, line=22)
    assert len(run.found) == 2


def test_a_deadlock_of_three_threads():
    run = Run()
    for tid in (2, 3, 4):
        run.thread(tid, f"Thread-{tid - 1} (philosopher)", "philosopher")
    for obj in (10, 11, 12):
        run.new(obj, "Lock", f"fork{obj - 10}")
    for tid, obj in ((2, 10), (3, 11), (4, 12)):
        run.ev(tid, "acquired", obj=obj, waited=0.0, line=5)
    run.ev(2, "block", obj=11, line=6)
    run.ev(3, "block", obj=12, line=6)
    assert run.found == []
    run.ev(4, "block", obj=10, line=6)
    assert [f.kind for f in run.found] == ["deadlock"]
    text = run.found[0].text
    assert "Thread-3 (philosopher) holds fork2 and waits for fork0 at line 6" in text
    assert "Thread-1 (philosopher) holds fork0 and waits for fork1 at line 6" in text
    assert "Thread-2 (philosopher) holds fork1 and waits for fork2 at line 6" in text
    assert sorted(run.found[0].threads) == [2, 3, 4]


def test_a_lock_taken_twice_by_one_thread_is_a_deadlock_of_one():
    run = Run()
    run.new(10, "Lock", "lock")
    run.ev(1, "acquired", obj=10, waited=0.0, line=3)
    run.ev(1, "block", obj=10, line=4)
    assert [f.kind for f in run.found] == ["deadlock"]
    assert run.found[0].text.startswith(
        "concviz's check: deadlock. MainThread holds lock and asks for it again at line 4. "
        "A Lock is not re-entrant (an RLock is)")


def test_a_thread_blocked_on_a_free_lock_or_behind_another_is_no_deadlock():
    run = Run()
    _two_locks(run)
    run.ev(2, "acquired", obj=10, waited=0.0, line=12)
    run.ev(3, "block", obj=10, line=22)
    run.ev(1, "block", obj=11, line=30)  # lock_b is free: a release raced the block
    assert run.found == []


def test_lock_order_in_both_orders_without_a_deadlock_is_warned_once():
    run = Run()
    _two_locks(run)
    for tid, first, then, line in ((2, 10, 11, 12), (3, 11, 10, 20), (2, 10, 11, 12),
                                   (3, 11, 10, 20)):
        run.ev(tid, "acquired", obj=first, waited=0.0, line=line)
        run.ev(tid, "acquired", obj=then, waited=0.0, line=line + 1)
        run.ev(tid, "release", obj=then, line=line + 2)
        run.ev(tid, "release", obj=first, line=line + 3)
    assert [f.kind for f in run.found] == ["lock-order"]
    assert run.found[0].text.startswith(
        "concviz's lock-order check: Thread-1 (worker_a) took lock_a then lock_b (lines 12, "
        "13); Thread-2 (worker_b) took lock_b then lock_a (lines 20, 21).")


def test_one_thread_taking_two_locks_in_both_orders_is_warned_too():
    run = Run()
    run.new(10, "Lock", "a")
    run.new(11, "Lock", "b")
    for first, then, line in ((10, 11, 3), (11, 10, 8)):
        run.ev(1, "acquired", obj=first, waited=0.0, line=line)
        run.ev(1, "acquired", obj=then, waited=0.0, line=line + 1)
        run.ev(1, "release", obj=then, line=line + 2)
        run.ev(1, "release", obj=first, line=line + 3)
    assert [f.kind for f in run.found] == ["lock-order"]
    assert "MainThread took a then b (lines 3, 4), and later took b then a (lines 8, 9)" in \
        run.found[0].text


def test_rlock_re_entry_and_locks_taken_one_after_the_other_are_no_order():
    run = Run()
    run.new(10, "RLock", "r")
    run.new(11, "Lock", "l")
    run.ev(1, "acquired", obj=10, waited=0.0, count=1, line=3)
    run.ev(1, "acquired", obj=10, waited=0.0, count=2, line=4)
    run.ev(1, "release", obj=10, count=1, line=5)
    run.ev(1, "release", obj=10, count=0, line=6)
    run.ev(1, "acquired", obj=11, waited=0.0, line=7)
    run.ev(1, "release", obj=11, line=8)
    run.ev(1, "acquired", obj=10, waited=0.0, count=1, line=9)
    run.ev(1, "release", obj=10, count=0, line=10)
    assert run.found == []


def test_a_lock_released_by_another_thread_is_no_longer_held_by_its_owner():
    run = Run()
    _two_locks(run)
    run.ev(2, "acquired", obj=10, waited=0.0, line=12)
    run.ev(3, "release", obj=10, line=40)  # a Lock may be released by any thread
    run.ev(2, "acquired", obj=11, waited=0.0, line=13)  # holding nothing: no order
    run.ev(2, "release", obj=11, line=14)
    run.ev(3, "acquired", obj=11, waited=0.0, line=20)
    run.ev(3, "acquired", obj=10, waited=0.0, line=21)
    assert run.state.prims[10].owner == 3 and run.found == []


def test_joining_a_thread_that_waits_for_a_lock_the_joiner_holds_is_a_deadlock():
    run = Run()
    run.thread(2, "Thread-1 (worker)", "worker")
    run.new(10, "Lock", "lock")
    run.ev(1, "acquired", obj=10, waited=0.0, line=5)
    run.ev(2, "block", obj=10, line=14)
    run.ev(1, "join", child=2, timeout=None, line=6)
    assert [f.kind for f in run.found] == ["deadlock"]
    assert run.found[0].text == (
        "concviz's check: deadlock. MainThread holds lock and waits for Thread-1 (worker) to "
        "end at line 6 (join()); Thread-1 (worker) waits for lock at line 14. Each waits for "
        "another of them, and a waiting thread neither releases nor ends. Python has no such "
        "check.")
    assert run.found[0].threads == [1, 2] and run.found[0].objs == [10]


def test_joining_a_finished_thread_is_no_deadlock():
    run = Run()
    run.thread(2, "Thread-1 (worker)", "worker")
    run.ev(2, "thread-end")
    run.ev(1, "join", child=2, timeout=None, line=6)
    assert run.found == []


def test_two_threads_joining_each_other_are_a_deadlock():
    run = Run()
    run.thread(2, "Thread-1 (a)", "a")
    run.thread(3, "Thread-2 (b)", "b")
    run.ev(2, "join", child=3, timeout=None, line=6)
    run.ev(3, "join", child=2, timeout=None, line=9)
    assert [f.kind for f in run.found] == ["deadlock"]
    assert "Thread-2 (b) waits for Thread-1 (a) to end at line 9 (join()); Thread-1 (a) " \
        "waits for Thread-2 (b) to end at line 6 (join())" in run.found[0].text


def test_pairs_the_probe_coalesced_still_count_for_the_lock_order():
    run = Run()
    _two_locks(run)
    run.ev(2, "acquired", obj=10, waited=0.0, line=12)
    run.ev(2, "coalesced", obj=11, times=3, waited=0.0, line=14)
    run.ev(2, "release", obj=10, line=15)
    run.ev(3, "acquired", obj=11, waited=0.0, line=20)
    run.ev(3, "coalesced", obj=10, times=1, waited=0.0, line=22)
    assert [f.kind for f in run.found] == ["lock-order"]
    assert run.state.prims[10].owner is None and run.state.prims[11].owner == 3


# Real programs under the probe: the fold of what they really did


def _watch(tmp_path: Path, source: str, until: Callable[[ProgramState], bool] | None = None,
           timeout: float = 20.0) -> tuple[ProgramState, list[str]]:
    """Run ``source`` under the probe and fold its events until it ends (or ``until``
    holds); every event also gets its sentence, which must not raise."""
    program = tmp_path / "prog.py"
    program.write_text(textwrap.dedent(source))
    state = ProgramState()
    said: list[str] = []
    session = Session(program, output="events")
    session.start()
    try:
        deadline = time.monotonic() + timeout
        while not session.finished and not (until and until(state)):
            assert time.monotonic() < deadline, f"still running: {state.threads}"
            session.wait_for_events(1.0)
            if not state.header and session.header:
                state.apply(session.header)
            for event in session.drain():
                state.apply(event)
                sentence = describe(event, state)
                if sentence is not None:
                    said.append(sentence)
    finally:
        session.stop()
    assert session.error is None
    return state, said


def _by_name(state: ProgramState) -> dict[str, PrimitiveView]:
    return {p.name: p for p in state.prims.values()}


def test_a_real_producer_and_consumer_end_with_everything_put_back(tmp_path: Path):
    state, said = _watch(tmp_path, """\
        import queue
        import threading

        jobs = queue.Queue(maxsize=2)
        slots = threading.Semaphore(2)
        lock = threading.Lock()
        done = []

        def producer():
            for i in range(6):
                jobs.put(i)
            jobs.put(None)

        def consumer():
            while (item := jobs.get()) is not None:
                with slots:
                    with lock:
                        done.append(item)

        threads = [threading.Thread(target=producer), threading.Thread(target=consumer)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(done)
        """)
    assert state.main_ended and state.findings == []
    assert {th.state for th in state.threads.values()} == {FINISHED}
    assert sorted(th.name for th in state.threads.values()) == [
        "MainThread", "Thread-1 (producer)", "Thread-2 (consumer)"]
    prims = _by_name(state)
    assert prims["jobs"].items == [] and prims["jobs"].waiters == []
    assert prims["jobs"].initial == 2
    assert prims["slots"].value == prims["slots"].initial == 2 and prims["slots"].holders == []
    assert prims["lock"].owner is None and prims["lock"].acquisitions == 6
    assert "".join(text for _, text in state.output) == "[0, 1, 2, 3, 4, 5]\n"
    assert "put 0 into jobs at line 11 (size 1)" in said


def test_a_real_condition_hands_its_lock_back_and_forth(tmp_path: Path):
    state, said = _watch(tmp_path, """\
        import threading

        cond = threading.Condition()
        items = []

        def consumer():
            with cond:
                while not items:
                    cond.wait()
                items.pop()

        worker = threading.Thread(target=consumer)
        worker.start()
        with cond:
            while not cond._waiters:  # until the consumer waits: notify() must wake it
                cond.wait(0.01)
            items.append(1)
            cond.notify()
        worker.join()
        """)
    cond = _by_name(state)["cond"]
    lock = state.prims[cond.lock]
    assert lock.type == "RLock" and lock.owner is None and lock.count == 0
    assert cond.waiters == [] and lock.waiters == []
    assert {th.state for th in state.threads.values()} == {FINISHED}
    assert ("cond.notify() at line 18 woke Thread-1 (consumer); it takes the lock back before "
            "wait() returns") in said
    assert any(line.startswith("cond.wait() returned True") and "woken by MainThread" in line
               for line in said)


def test_a_real_deadlock_is_found_after_its_lock_order_warning(tmp_path: Path):
    def deadlocked(state: ProgramState) -> bool:
        return any(f.kind == "deadlock" for f in state.findings)

    state, _ = _watch(tmp_path, """\
        import threading

        lock_a = threading.Lock()
        lock_b = threading.Lock()
        has_a = threading.Event()
        has_b = threading.Event()

        def worker_a():
            with lock_a:
                has_a.set()
                has_b.wait()
                with lock_b:
                    pass

        def worker_b():
            with lock_b:
                has_b.set()
                has_a.wait()
                with lock_a:
                    pass

        for work in (worker_a, worker_b):
            threading.Thread(target=work).start()
        """, until=deadlocked)
    assert [f.kind for f in state.findings] == ["lock-order", "deadlock"]
    text = state.findings[1].text
    assert "Thread-1 (worker_a) holds lock_a and waits for lock_b at line 12" in text
    assert "Thread-2 (worker_b) holds lock_b and waits for lock_a at line 19" in text


def test_real_futures_come_back_in_the_order_the_program_saw(tmp_path: Path):
    state, _ = _watch(tmp_path, """\
        from concurrent.futures import ThreadPoolExecutor, as_completed

        def square(n):
            return n * n

        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = [pool.submit(square, n) for n in range(4)]
            for future in as_completed(futures):
                print(future.result())
        """)
    assert sorted(f.fn for f in state.futures.values()) == ["square"] * 4
    assert {f.state for f in state.futures.values()} == {"done"}
    assert sorted(state.completion_order) == sorted(state.futures)
    printed = "".join(text for _, text in state.output).split()
    assert [state.futures[obj].result for obj in state.completion_order] == printed
    workers = {f.worker for f in state.futures.values()}
    assert all(state.threads[tid].name.startswith("ThreadPoolExecutor-") for tid in workers)
    assert _by_name(state)["pool"].shut_down


def test_a_real_thread_s_death_and_a_lock_taken_twice(tmp_path: Path):
    def stuck(state: ProgramState) -> bool:
        return any(f.kind == "deadlock" for f in state.findings)

    state, _ = _watch(tmp_path, """\
        import threading

        def boom():
            [].pop()

        t = threading.Thread(target=boom)
        t.start()
        t.join()
        lock = threading.Lock()
        with lock:
            lock.acquire()
        """, until=stuck)
    dead = next(th for th in state.threads.values() if th.name == "Thread-1 (boom)")
    assert (dead.state, dead.error, dead.line, dead.hook) == (
        DIED, "IndexError: pop from empty list", 4, "default")
    assert [f.kind for f in state.findings] == ["deadlock"]
    assert state.findings[0].text.startswith(
        "concviz's check: deadlock. MainThread holds lock and asks for it again at line 11.")


def test_a_real_pause_holds_the_threads_and_resume_lets_them_go(tmp_path: Path):
    program = tmp_path / "prog.py"
    program.write_text(textwrap.dedent("""\
        import threading

        lock = threading.Lock()
        count = 0

        def spin():
            global count
            while True:  # runs until concviz ends it
                with lock:
                    count += 1

        threading.Thread(target=spin).start()
        """))
    state = ProgramState()
    session = Session(program, output="events")
    session.start()

    def fold_until(done: Callable[[], bool]) -> None:
        deadline = time.monotonic() + 20
        while not done():
            assert time.monotonic() < deadline and not session.finished
            session.wait_for_events(1.0)
            for event in session.drain():
                state.apply(event)

    try:
        fold_until(lambda: any(p.name == "lock" for p in state.prims.values()))
        session.send("pause")
        fold_until(lambda: state.paused and any(th.state == HELD
                                                for th in state.threads.values()))
        spinner = next(th for th in state.threads.values() if th.state == HELD)
        assert spinner.name == "Thread-1 (spin)" and spinner.line in (9, 10)
        session.send("resume")
        fold_until(lambda: not state.paused)
        assert spinner.state != HELD
    finally:
        session.stop()
