"""A student's own script, written here, is shown with its own names and lines: two
threads, a Queue, a Semaphore, and a deadlock by lock order that concviz's checks find."""

from __future__ import annotations

from pathlib import Path

from concviz.watch.state import BLOCKED, ProgramState
from tests.probed import Probed, write

SCRIPT = '''\
import queue
import threading

orders = queue.Queue()
till = threading.Semaphore(1)
left = threading.Lock()
right = threading.Lock()
first_in = threading.Event()
second_in = threading.Event()


def cashier():
    with till:
        orders.put("tea")
    with left:
        first_in.set()
        second_in.wait()
        with right:
            print("cashier done")


def barista():
    print("made", orders.get())
    with right:
        second_in.set()
        first_in.wait()
        with left:
            print("barista done")


a = threading.Thread(target=cashier, name="cashier")
b = threading.Thread(target=barista, name="barista")
a.start()
b.start()
a.join()
b.join()
'''


def test_a_students_script_is_shown_with_its_names_lines_and_deadlock(tmp_path: Path) -> None:
    run = Probed(write(tmp_path, "cafe.py", SCRIPT))
    try:
        # both threads hold one lock and ask for the other: guaranteed by the Events
        for tid, line in ((2, 18), (3, 27)):  # the lock waits (not the queue's get)
            run.wait_for(lambda e, tid=tid, line=line: e["kind"] == "block"
                         and e["tid"] == tid and e.get("line") == line)
        state = ProgramState()
        findings = [f for event in run.lines for f in state.apply(event)]
    finally:
        run.process.kill()
        run.finish()
    names = {p.name: p for p in state.prims.values()}
    assert {"orders", "till", "left", "right", "first_in", "second_in"} <= set(names)
    assert (names["orders"].type, names["orders"].line) == ("Queue", 4)
    assert (names["till"].type, names["till"].value) == ("Semaphore", 1)
    assert names["orders"].items == []  # "tea" went in and came out
    threads = {t.name: t for t in state.threads.values()}
    assert threads["cashier"].state == threads["barista"].state == BLOCKED
    assert (threads["cashier"].on, threads["cashier"].line) == (names["right"].obj, 18)
    assert (threads["barista"].on, threads["barista"].line) == (names["left"].obj, 27)
    assert names["left"].owner == threads["cashier"].tid
    assert names["right"].owner == threads["barista"].tid
    kinds = [f.kind for f in findings]
    assert kinds == ["lock-order", "deadlock"]  # warned first, as lockdep does
    deadlock = findings[1].text
    for word in ("cashier", "barista", "left", "right", "line 18", "line 27", "concviz"):
        assert word in deadlock, word
    assert run.kinds("out")[0]["text"] == "made"


TIMED = '''\
import threading

left, right = threading.Lock(), threading.Lock()
both_in = threading.Barrier(2)


def one(first, second):
    with first:
        both_in.wait()
        if second.acquire(timeout=0.3):  # gives up: this is no deadlock
            second.release()


a = threading.Thread(target=one, args=(left, right))
b = threading.Thread(target=one, args=(right, left))
a.start()
b.start()
a.join()
b.join()
'''


def test_waits_with_a_timeout_in_a_cycle_are_not_called_a_deadlock(tmp_path: Path) -> None:
    run = Probed(write(tmp_path, "timed.py", TIMED))
    assert run.finish()[0] == 0
    state = ProgramState()
    findings = [f.kind for event in run.lines for f in state.apply(event)]
    assert "deadlock" not in findings  # both gave up after 0.3 s, as CPython's do
    assert "lock-order" in findings  # the opposite orders are still a hazard
    assert len(run.kinds("timeout")) >= 1
    assert all(e["timeout"] == 0.3 for e in run.kinds("block"))
