"""The transcript's sentences: one per event, naming threads and objects as the program
does, true of CPython, and saying so when concviz (not the program) did something."""

from __future__ import annotations

import re
from pathlib import Path

from concviz.watch.state import ProgramState
from concviz.watch.words import describe, secs
from tests.test_watch_state import PROGRAM, Run


def _with_lock() -> Run:
    run = Run()
    run.thread(2, "Thread-1 (producer)", "producer")
    run.thread(3, "Thread-2 (consumer)", "consumer")
    run.new(10, "Lock", "lock", line=3)
    return run


def test_seconds_read_as_a_class_reads_them():
    assert [secs(x) for x in (0.25, 2.0, 0.12345, 0, 10, 0.0004)] == [
        "0.25", "2", "0.123", "0", "10", "0.0004"]


def test_lock_sentences():
    run = _with_lock()
    assert run.said[-1] == "the Lock made at line 3 is lock"
    assert run.said[-2] == "made a threading.Lock() at line 3"
    run.ev(2, "acquired", obj=10, waited=0.0, line=11)
    assert run.last == "took lock at line 11"
    run.ev(3, "block", obj=10, line=12)
    assert run.last == "waits for lock (held by Thread-1 (producer)) at line 12"
    run.ev(2, "release", obj=10, line=13)
    assert run.last == "released lock at line 13; Thread-2 (consumer) waits for it"
    run.ev(3, "acquired", obj=10, waited=0.12, line=12)
    assert run.last == "took lock at line 12 after waiting 0.12 s"
    run.ev(2, "busy", obj=10, line=20)
    assert run.last == ("found lock held by Thread-2 (consumer) at line 20: "
                        "acquire(blocking=False) returned False")
    run.ev(2, "block", obj=10, line=21)
    run.ev(1, "block", obj=10, line=22)
    run.ev(3, "release", obj=10, line=14)
    assert run.last == ("released lock at line 14; 2 threads wait for it, and a Lock does not "
                        "say which gets it next")
    run.ev(2, "timeout", obj=10, waited=0.5, line=21)
    assert run.last == "gave up waiting for lock at line 21 after 0.5 s: acquire() returned False"
    run.ev(1, "error", obj=10, error="RuntimeError: release unlocked lock", line=30)
    assert run.last == "a call on lock raised RuntimeError: release unlocked lock at line 30"
    run.ev(2, "coalesced", obj=10, times=57, waited=0.0)
    assert run.last == ("took and released lock 57 times (concviz counted these into one "
                        "line: the program made more events than a screen can show)")


def test_a_lock_asked_for_twice_says_it_waits_for_itself():
    run = _with_lock()
    run.ev(2, "acquired", obj=10, waited=0.0, line=11)
    run.ev(2, "block", obj=10, line=12)
    assert run.said[-1] == ("waits for lock at line 12, which it holds itself: a Lock is not "
                            "re-entrant")


def test_rlock_and_semaphore_sentences():
    run = Run()
    run.new(10, "RLock", "rlock")
    run.ev(1, "acquired", obj=10, waited=0.0, count=1, line=3)
    run.ev(1, "acquired", obj=10, waited=0.0, count=2, line=4)
    assert run.last == ("took rlock again at line 4 (count 2: an RLock lets its owner take it "
                        "again)")
    run.ev(1, "release", obj=10, count=1, line=5)
    assert run.last == "released rlock once at line 5 (count 1: it still holds it)"
    run.new(11, "Semaphore", "sem", value=2, line=7)
    assert run.said[-2] == "made a threading.Semaphore(2) at line 7"
    run.ev(1, "acquired", obj=11, waited=0.0, value=1, line=8)
    assert run.last == "took a slot of sem at line 8 (1 of 2 left)"
    run.thread(2, "Thread-1 (w)")
    run.ev(2, "acquired", obj=11, waited=0.0, value=0, line=8)
    run.thread(3, "Thread-2 (w)")
    run.ev(3, "block", obj=11, line=8)
    assert run.last == ("waits for a slot of sem at line 8: all 2 are taken (held by MainThread, "
                        "Thread-1 (w))")
    run.ev(1, "release", obj=11, value=1, line=9)
    assert run.last == "released a slot of sem at line 9 (1 of 2 free)"


def test_sleep_says_concviz_s_speed_only_when_it_is_not_1():
    run = Run()
    run.ev(1, "sleep", seconds=0.25, wall=0.25, line=5)
    assert run.last == "sleeps 0.25 s at line 5 (time.sleep(0.25))"
    run.ev(1, "sleep-end")
    assert run.last == "time.sleep() returned"
    run.ev(1, "sleep", seconds=0.25, wall=0.125, line=5)
    assert run.last == ("sleeps 0.25 s at line 5 (time.sleep(0.25); concviz's speed 2x makes it "
                        "0.125 s)")


def test_thread_sentences():
    run = Run()
    run.thread(2, "Thread-1 (producer)", "producer")
    assert run.said[-2] == "started Thread-1 (producer) at line 50, running producer()"
    assert run.said[-1] == "begins: runs producer()"
    run.ev(1, "thread-new", child=3, name="Thread-2 (tick)", target="tick", daemon=True,
           internal=False, by="program", line=51)
    assert run.last == ("started Thread-2 (tick) at line 51, running tick() (a daemon thread: "
                        "Python does not wait for it at exit)")
    run.ev(0, "thread-new", child=4, name="Thread-3 (work)", target="work", daemon=False,
           internal=False, by="concviz")
    assert run.last == "concviz started Thread-3 (work), running work()"
    run.ev(2, "thread-error", error="IndexError: pop from empty list", traceback="Tb",
           file=PROGRAM, line=20, hook="default")
    assert run.last == ("died: IndexError: pop from empty list at line 20; threading.excepthook "
                        "printed the traceback, and the other threads go on")
    run.ev(1, "join", child=2, timeout=None, line=60)
    assert run.last == "waits for Thread-1 (producer) to end at line 60: join()"
    run.ev(1, "joined", child=2, alive=False, line=60)
    assert run.last == "join() returned at line 60: Thread-1 (producer) has ended"
    run.ev(1, "join", child=3, timeout=0.5, line=61)
    assert run.last == "waits for Thread-2 (tick) to end at line 61: join() (for at most 0.5 s)"
    run.ev(1, "joined", child=3, alive=True, line=61)
    assert run.last == "join() timed out at line 61: Thread-2 (tick) still runs"
    run.names[4] = "Thread-3 (work)"
    run.ev(4, "thread-start", target="work", internal=False)
    run.ev(4, "thread-end")
    assert run.last == "finished: work() returned"


def test_main_end_says_python_waits_for_the_non_daemon_threads():
    run = Run()
    run.thread(2, "Thread-1 (work)")
    run.thread(3, "Thread-2 (tick)", daemon=True)
    run.ev(1, "main-end")
    assert run.last == ("finished the program's top-level code; Python waits for 1 non-daemon "
                        "thread to end before it exits")
    run.ev(2, "thread-end")
    other = Run()
    other.ev(1, "main-end")
    assert other.last == "finished the program's top-level code"


def test_program_sentences():
    run = Run()
    assert run.said[-1] == "starts the program's top-level code"
    run.ev(1, "data", name="shared_list", value=[1, 2])
    assert run.last == "shared_list = [1, 2]"
    run.ev(1, "data", name="d", value={"a": None, "b": {"repr": "<object>"}, "c": "x"})
    assert run.last == "d = {'a': None, 'b': <object>, 'c': 'x'}"
    run.ev(1, "out", stream="stdout", text="hello\n")
    run.ev(1, "line", file=PROGRAM, line=3)
    assert run.said[-2:] == [None, None]
    run.ev(1, "exit", code=3, line=9)
    assert run.last == "SystemExit(3) reached the top level at line 9: the exit status will be 3"
    run.ev(1, "main-error", error="ValueError: no", traceback="Tb", file="/tmp/helper.py",
           line=4)
    assert run.last == ("died: ValueError: no at line 4 of helper.py; Python prints the "
                        "traceback, and the program's exit status will be 1")


def test_what_concviz_did_says_concviz():
    run = Run()
    for cmd, fields in (("pause", {}), ("step", {}), ("resume", {}), ("speed", {"factor": 2.0}),
                        ("spawn", {"function": "work"}), ("cancel-pending", {})):
        run.ev(0, "control", cmd=cmd, **fields)
        assert run.last is not None and run.last.startswith("concviz ")
    assert run.said[-3] == "concviz set the speed to 2x: time.sleep(s) now sleeps s / 2"
    run.ev(1, "hold", file=PROGRAM, line=4)
    assert run.last == "waits at line 4: concviz paused the program (the program did not)"


def test_condition_sentences():
    run = Run()
    run.thread(2, "Thread-1 (consumer)")
    run.thread(3, "Thread-2 (consumer)")
    run.new(10, "RLock", "cond_lock")
    run.new(11, "Condition", "cond", lock=10)
    assert run.said[-2] == "made a threading.Condition(cond_lock) at line 1"
    run.ev(1, "new", obj=12, type="RLock", line=30)
    run.ev(1, "new", obj=13, type="Condition", lock=12, line=30)
    assert run.last == "made a threading.Condition at line 30, with a new RLock as its lock"
    run.ev(1, "name", obj=13, name="ready")
    assert run.state.prims[12].name == "ready's lock"
    run.ev(2, "cond-wait", obj=11, timeout=None, line=9)
    assert run.last == "waits on cond at line 9: wait() released the lock until a notify wakes it"
    run.ev(3, "cond-wait", obj=11, timeout=2, line=9)
    run.ev(1, "notify", obj=11, n=1, woke=[2], line=15)
    assert run.last == ("cond.notify() at line 15 woke Thread-1 (consumer); it takes the lock "
                        "back before wait() returns")
    run.ev(2, "cond-woken", obj=11, result=True, waited=0.3, by=1, line=9)
    assert run.last == ("cond.wait() returned True after 0.3 s, woken by MainThread, with the "
                        "lock taken back")
    run.ev(3, "cond-woken", obj=11, result=False, waited=2.0, by=None, line=9)
    assert run.last == ("cond.wait() timed out after 2 s and returned False, with the lock "
                        "taken back")
    run.ev(1, "notify", obj=11, n=1, woke=[], line=16)
    assert run.last == "cond.notify() at line 16 woke nobody: no thread was waiting"
    run.ev(1, "notify-all", obj=11, woke=[], line=17)
    assert run.last == "cond.notify_all() at line 17 woke nobody: no thread was waiting"


def test_event_and_barrier_sentences():
    run = Run()
    run.thread(2, "Thread-1 (w)")
    run.thread(3, "Thread-2 (w)")
    run.new(10, "Event", "done")
    run.ev(2, "event-wait", obj=10, timeout=None, is_set=False, line=4)
    assert run.last == "waits for done to be set at line 4"
    run.ev(3, "event-wait", obj=10, timeout=None, is_set=False, line=4)
    run.ev(1, "event-set", obj=10, woke=[2, 3], line=9)
    assert run.last == "set done at line 9 (woke Thread-1 (w), Thread-2 (w))"
    run.ev(2, "event-waited", obj=10, result=True, waited=0.2, line=4)
    assert run.last == "done is set: wait() returned True after 0.2 s"
    run.ev(1, "event-wait", obj=10, timeout=None, is_set=True, line=5)
    assert run.last == "done.wait() at line 5 returns at once: done is set"
    run.ev(1, "event-clear", obj=10, line=6)
    assert run.last == "cleared done at line 6"
    run.ev(1, "event-set", obj=10, woke=[], line=7)
    assert run.last == "set done at line 7 (no thread was waiting)"
    run.new(11, "Barrier", "gate", parties=2)
    assert run.said[-2] == "made a threading.Barrier(2) at line 1"
    run.ev(2, "barrier-wait", obj=11, arrived=1, parties=2, line=8)
    assert run.last == "arrives at gate at line 8 (1 of 2) and waits"
    run.ev(3, "barrier-wait", obj=11, arrived=2, parties=2, line=8)
    assert run.last == "arrives at gate at line 8, the last of 2: all of them go on"
    run.ev(2, "barrier-pass", obj=11, index=1, waited=0.25, line=8)
    assert run.last == "passes gate after waiting 0.25 s (wait() returned 1)"
    run.ev(2, "barrier-broken", obj=11, waited=1.0, line=8)
    assert run.last == ("gate is broken: wait() raised threading.BrokenBarrierError after "
                        "waiting 1 s")


def test_queue_sentences():
    run = Run()
    run.new(10, "Queue", "q", maxsize=2)
    assert run.said[-2] == "made a queue.Queue(maxsize=2) at line 1"
    run.ev(1, "put", obj=10, item="3", size=1, line=4)
    assert run.last == "put 3 into q at line 4 (size 1)"
    run.ev(1, "put", obj=10, item="4", size=2, line=4)
    run.ev(1, "block", obj=10, on="full", line=4)
    assert run.last == "waits at line 4: q is full (2 of 2), so put() blocks"
    run.ev(1, "timeout", obj=10, on="full", waited=1.0, line=4)
    assert run.last == "gave up at line 4: q stayed full for 1 s, so put() raised queue.Full"
    run.ev(1, "get", obj=10, item="3", size=1, line=5)
    assert run.last == "got 3 from q at line 5 (size 1)"
    run.ev(1, "busy", obj=10, on="empty", line=6)
    assert run.last == "found q empty at line 6: the non-blocking get() raised queue.Empty"
    run.ev(1, "block", obj=10, on="empty", line=7)
    assert run.last == "waits at line 7: q is empty, so get() blocks"


def test_future_sentences():
    run = Run()
    run.new(10, "ThreadPoolExecutor", "pool", max_workers=2)
    assert run.said[-2] == "made a concurrent.futures.ThreadPoolExecutor(max_workers=2) at line 1"
    run.ev(1, "submit", obj=20, executor=10, fn="square", args="3", line=6)
    assert run.last == "submitted square(3) to pool at line 6"
    run.ev(1, "submit", obj=21, executor=10, fn="square", args="4", line=6)
    run.thread(2, "ThreadPoolExecutor-0_0", "_worker")
    run.ev(2, "future-running", obj=20)
    assert run.last == "starts running square(3)"
    run.ev(2, "future-done", obj=20, result="9", cancelled=False)
    assert run.last == "square(3) returned 9"
    run.ev(1, "completed", obj=20, line=8)
    assert run.last == "as_completed() handed back square(3), the 1st it gave"
    run.ev(1, "cancel", obj=21, ok=True, line=9)
    assert run.last == ("cancel() on square(4) returned True: it had not started, and now "
                        "never runs")
    run.ev(2, "future-done", obj=21, error="ValueError: x", cancelled=False)
    assert run.last == "square(4) raised ValueError: x; the future keeps it, and result() raises it"
    run.ev(1, "wait-return", done=[20], not_done=[21], line=10)
    assert run.last == "concurrent.futures.wait() returned at line 10: 1 done, 1 not done"
    run.ev(1, "shutdown", obj=10, wait=True, line=11)
    assert run.last == ("pool.shutdown(wait=True) at line 11: waits until every submitted "
                        "future has finished")


def test_every_kind_in_the_wire_format_has_a_sentence_and_a_fold():
    from concviz.watch import state, words

    doc = (Path(__file__).parent.parent / "docs" / "wire-format.md").read_text()
    events = doc.split("### Program", 1)[1].split("## Control", 1)[0]
    kinds = set(re.findall(r"^\| `([a-z-]+)` \|", events, re.M))
    assert {"acquired", "barrier-broken", "wait-return", "main-start"} <= kinds
    assert kinds <= set(state._HANDLERS)
    assert kinds - {"line", "out"} <= set(words._SAYERS)


def test_an_unknown_kind_has_no_sentence():
    run = Run()
    assert describe({"t": 1.0, "kind": "some-future-kind", "thread": "MainThread", "tid": 1},
                    run.state) is None


def test_a_thread_ended_by_system_exit_is_not_said_to_print_a_traceback() -> None:
    state = ProgramState()
    event = {"t": 1.0, "kind": "thread-error", "thread": "Thread-1", "tid": 2,
             "error": "SystemExit: 3", "hook": "default", "line": 4}
    state.apply(event)
    said = describe(event, state)
    assert "ignores SystemExit" in said and "traceback" not in said


def test_a_long_shown_list_is_said_by_its_ends_and_its_length():
    """A list of a thousand items was said whole, a screenful a line, at every change."""
    event = {"kind": "data", "t": 1.0, "tid": 1, "thread": "MainThread", "name": "shared_list",
             "value": list(range(20))}
    assert describe(event, ProgramState()) == \
        "shared_list = [0, 1, 2, 3, 4, ..., 17, 18, 19] (20 items)"
    event["value"] = list(range(12))
    assert describe(event, ProgramState()) == f"shared_list = {list(range(12))}"
