"""The failure demos, run for real at high speed, judged by their event streams."""

from __future__ import annotations

import io
import math
import threading
import time
from collections import Counter

import pytest
from rich.console import Console

from concviz.cli import build_parser, main
from concviz.commands.failures import make_demo
from concviz.engine.demo import Demo
from concviz.engine.events import Event, ThreadFailed, ThreadFinished, ThreadStarted
from concviz.engine.failures import GALLERY, hook
from concviz.engine.failures.dead_lock_holder import DeadLockHolder, HolderFinished, Updated
from concviz.engine.failures.deadlock import DETECT_WITHIN
from concviz.engine.failures.events import (
    DeadlockDetected,
    DeadlockEnded,
    ExceptionReported,
    LockOrderWarning,
    PhaseStarted,
)
from concviz.engine.failures.lock_order import LockOrder, LockOrderFinished, Transferred
from concviz.engine.failures.mp_counter import Counted, CounterResult, MpCounter
from concviz.engine.failures.mp_queue import MpQueue, QueueFinished, ResultGot, TaskTaken
from concviz.engine.failures.process_exception import (
    Callback,
    ChildStderr,
    ProcessException,
    ProcessExceptionFinished,
    ProcessExited,
)
from concviz.engine.failures.thread_exception import (
    Joined,
    ThreadException,
    ThreadExceptionFinished,
)
from concviz.engine.traced_lock import LockAcquired, LockBlocked, LockReleased
from concviz.ui.models.lanes import Lanes, LaneState
from concviz.ui.renderables.failures import VIEWS, fold_lanes
from tests.helpers import demo_children, run_all

FAST = 10.0


def phases(events: list[Event]) -> dict[int, list[Event]]:
    """The events of each phase, from its PhaseStarted to the next one."""
    out: dict[int, list[Event]] = {}
    phase = 0
    for event in events:
        if isinstance(event, PhaseStarted):
            phase = event.phase
        out.setdefault(phase, []).append(event)
    return out


def formed_at(deadlock: DeadlockDetected, events: list[Event]) -> float:
    """When the deadlock formed, read off the stream alone: the last block of a
    waiter in it, or the death of the lock's owner if that came later."""
    waiters = {waiter for waiter, _, _ in deadlock.edges}
    times = [e.t for e in events if isinstance(e, LockBlocked) and e.thread in waiters
             and e.t <= deadlock.t]
    times += [e.t for e in events if isinstance(e, ThreadFailed)
              and e.thread == deadlock.dead_owner]
    return max(times)


def picture(name: str, events: list[Event], width: int = 100) -> str:
    """The demo's picture folded from ``events``, drawn after every one of them (at a
    narrow width: nothing may break mid-run) and returned as text at the end."""
    view = VIEWS[name]()
    narrow = Console(width=36, file=io.StringIO(), color_system=None)
    for event in events:
        view.apply(event)
        narrow.print(view.render(event.t))
    console = Console(width=width, color_system=None, record=True)
    console.print(view.render(events[-1].t))
    return console.export_text()


def assert_detected_in_time(deadlock: DeadlockDetected, events: list[Event]) -> None:
    formed = formed_at(deadlock, events)
    assert deadlock.formed <= formed + 1e-6  # the engine never dates it later than it was
    assert deadlock.t - formed <= DETECT_WITHIN


# -- ques.5 between processes ---------------------------------------------------


def test_unlocked_counter_loses_updates_in_some_run_and_the_locked_one_never():
    lost_somewhere = False
    for seed in range(10):
        # bursts long enough (ms each) to overlap even when the machine is loaded
        demo = MpCounter(seed=seed, speed=FAST, increments=20_000)
        events = run_all(demo)
        unlocked, locked = (e for e in events if isinstance(e, CounterResult))
        for result, phase in ((unlocked, 1), (locked, 2)):
            done = {e.thread: e.done for e in phases(events)[phase] if isinstance(e, Counted)}
            assert result.expected == sum(done.values())  # what the processes report adding
            assert result.lost == result.expected - result.actual >= 0
        assert not unlocked.locked and locked.locked
        assert locked.lost == 0
        drawn = picture("mp-counter", events)
        assert f"expected {locked.expected} · actual {locked.actual}   ✓ nothing lost" in drawn
        if unlocked.lost:
            assert f"actual {unlocked.actual}   ✗ {unlocked.lost} updates LOST" in drawn
        assert not demo_children()
        if unlocked.lost > 0:
            lost_somewhere = True
            break
    assert lost_somewhere


def test_a_multiprocessing_queue_carries_every_task_to_one_worker():
    events = run_all(MpQueue(seed=2, speed=FAST, tasks=5, n_workers=2))
    taken = [e.n for e in events if isinstance(e, TaskTaken)]
    assert sorted(taken) == [1, 2, 3, 4, 5]
    got = {e.n: (e.worker, e.result) for e in events if isinstance(e, ResultGot)}
    assert {n: r for n, (_, r) in got.items()} == {n: n * n for n in range(1, 6)}
    takers = {e.n: e.thread for e in events if isinstance(e, TaskTaken)}
    assert {n: w for n, (w, _) in got.items()} == takers  # the result came from its taker
    done = events[-1]
    assert isinstance(done, QueueFinished) and done.results == (1, 4, 9, 16, 25)
    assert sum(n for _, n in done.per_worker) == 5
    finished = {e.thread for e in events if isinstance(e, ThreadFinished)}
    assert finished == {"worker-1", "worker-2"}  # both took their None and exited with 0
    drawn = picture("mp-queue", events)
    assert "tasks  (empty)" in drawn and "results 1 4 9 16 25   ✓ all back" in drawn
    assert not demo_children()


# -- ques.6: exceptions -----------------------------------------------------------


@pytest.mark.parametrize("seed", range(2))
def test_a_thread_exception_goes_to_excepthook_and_main_goes_on(seed):
    events = run_all(ThreadException(seed=seed, speed=FAST))
    reports = [e for e in events if isinstance(e, ExceptionReported)]
    assert len(reports) == 1
    report = reports[0]
    assert report.error.startswith("ValueError: invalid literal for int()")
    assert "'n/a'" in report.error and report.where.endswith("in _parse")
    assert threading.excepthook is hook._dispatch
    failed = [e for e in events if isinstance(e, ThreadFailed)]
    assert [e.thread for e in failed] == [report.thread]
    finished = {e.thread for e in events if isinstance(e, ThreadFinished)}
    assert finished == {"worker-1", "worker-2", "worker-3"} - {report.thread}
    after = events[events.index(report):]
    joined = [e.worker for e in after if isinstance(e, Joined)]
    assert joined == ["worker-1", "worker-2", "worker-3"]  # join() on the dead one returned
    main_program = threading.current_thread().name  # run_blocking ran it here
    assert {e.thread for e in after if isinstance(e, Joined)} == {main_program}
    done = events[-1]
    assert isinstance(done, ThreadExceptionFinished)
    assert (done.finished, done.died, done.reported) == (2, 1, 1)
    drawn = picture("thread-exception", events)
    assert f"threading.excepthook ◀  {report.thread}  died of" in drawn
    assert report.error in drawn and drawn.count("✗ DIED") == 1
    assert "✓ main joined worker-1, worker-2, worker-3: join() did not raise" in drawn


def test_a_process_exception_gives_exit_code_1_and_a_pools_error_callback():
    demo = ProcessException(seed=4, speed=FAST)
    events = run_all(demo)
    exited = next(e for e in events if isinstance(e, ProcessExited))
    assert exited.exitcode == 1 and exited.pid > 0
    stderr = next(e for e in events if isinstance(e, ChildStderr))
    assert "Traceback" in stderr.text and "ZeroDivisionError" in stderr.text
    assert any(isinstance(e, ThreadFailed) and e.error == "exit code 1" for e in events)
    calls = [e for e in events if isinstance(e, Callback)]
    errors = [c for c in calls if not c.ok]
    assert len(calls) == 5 and len(errors) == 1
    assert errors[0].n < 0 and errors[0].result == "ValueError: math domain error"
    for call in calls:
        if call.ok:
            assert call.result == repr(math.sqrt(call.n))
        assert call.thread != threading.current_thread().name  # a pool thread in the parent
    done = events[-1]
    assert isinstance(done, ProcessExceptionFinished)
    assert (done.exitcode, done.callbacks, done.error_callbacks) == (1, 4, 1)
    drawn = picture("process-exception", events)
    assert f"(pid {exited.pid})  ✗ exit code 1" in drawn
    assert "ZeroDivisionError: division by zero" in drawn
    assert drawn.count("✓ callback") == 4 and drawn.count("✗ error_callback") == 1
    assert not demo_children()


@pytest.mark.parametrize("seed", range(2))
def test_a_dead_lock_holder_is_detected_in_time_then_with_releases_it(seed):
    events = run_all(DeadLockHolder(seed=seed, speed=FAST))
    bare, fixed = phases(events)[1], phases(events)[2]

    deadlocks = [e for e in bare if isinstance(e, DeadlockDetected)]
    assert len(deadlocks) == 1
    deadlock = deadlocks[0]
    assert deadlock.cause == "dead-owner" and deadlock.dead_owner == "bare-holder"
    assert {owner for _, _, owner in deadlock.edges} == {"bare-holder"}
    assert_detected_in_time(deadlock, bare)
    died = next(e for e in bare if isinstance(e, ThreadFailed) and e.thread == "bare-holder")
    assert died.error == "KeyError: 'balnce'"
    assert not any(isinstance(e, LockReleased) and e.thread == "bare-holder" for e in bare)
    assert not any(isinstance(e, LockAcquired) and "waiter" in e.thread for e in bare)
    assert any(isinstance(e, DeadlockEnded) for e in bare[bare.index(deadlock):])

    assert not any(isinstance(e, DeadlockDetected) for e in fixed)
    kinds = [(type(e), e.thread) for e in fixed]
    # `with` released the lock before the exception left the thread
    assert kinds.index((LockReleased, "with-holder")) < kinds.index((ThreadFailed, "with-holder"))
    assert [e.balance for e in fixed if isinstance(e, Updated)] == [110, 120]
    done = events[-1]
    assert isinstance(done, HolderFinished) and done.deadlocked and done.finished_with == 2
    lanes = Lanes()
    for event in events:
        fold_lanes(lanes, event)
    for waiter in ("bare-waiter-1", "bare-waiter-2"):  # concviz ended them: the lane says so
        lane = lanes.lanes[waiter]  # not "DIED": Python did not end it
        assert lane.state is LaneState.ENDED
        assert f"{lane.state.word} {lane.detail}" == \
            "ENDED by concviz: plain Python would wait forever"
    drawn = picture("dead-lock-holder", events)
    assert "✗ DEADLOCK  bare-waiter-" in drawn and "a lock bare-holder died holding" in drawn
    assert "balance 120" in drawn and "Phase 2:  ✓  no deadlock: 2 of 2 waiters finished" in drawn


def test_lock_order_warns_before_the_deadlock_which_is_detected_in_time():
    for seed in range(4):
        if check_lock_order(run_all(LockOrder(seed=seed, speed=FAST))):
            break  # the timing lined up (in round 4 in every run seen so far)
    else:
        pytest.fail("no run deadlocked")


def check_lock_order(events: list[Event]) -> bool:
    """Check one run; return whether its opposite orders deadlocked."""
    opposite, same = phases(events)[1], phases(events)[2]

    warnings = [e for e in opposite if isinstance(e, LockOrderWarning)]
    assert len(warnings) == 1  # one pair of locks, one warning
    warning = warnings[0]
    assert {warning.first, warning.second} == {"A", "B"}
    assert {warning.thread, warning.other} == {"T1", "T2"}
    deadlocks = [e for e in opposite if isinstance(e, DeadlockDetected)]
    done = events[-1]
    assert isinstance(done, LockOrderFinished) and done.warned
    assert done.deadlocked == bool(deadlocks)
    if deadlocks:
        deadlock = deadlocks[0]
        assert opposite.index(warning) < opposite.index(deadlock)
        assert deadlock.cause == "cycle"
        assert {(w, o) for w, _, o in deadlock.edges} == {("T1", "T2"), ("T2", "T1")}
        assert_detected_in_time(deadlock, opposite)
        ended = next(e for e in opposite if isinstance(e, DeadlockEnded))
        (victim,) = ended.victims
        assert any(isinstance(e, ThreadFailed) and e.thread == victim for e in opposite)
        survivor = ({"T1", "T2"} - {victim}).pop()
        assert any(isinstance(e, ThreadFinished) and e.thread == survivor for e in opposite)

    assert not any(isinstance(e, LockOrderWarning | DeadlockDetected) for e in same)
    rounds = Counter(e.thread for e in same if isinstance(e, Transferred))
    assert rounds == {"T3": 3, "T4": 3} and done.fixed_rounds == 3
    drawn = picture("lock-order", events, width=200)
    assert "! LOCK ORDER WARNING  from concviz's lock-order check, like the Linux kernel's " \
        "lockdep: " in drawn and "rounds done  T3 3   T4 3" in drawn
    if deadlocks:
        assert "✓ ended  concviz ended this deadlock: plain Python would wait forever: it " \
            f"aborted {victim}" in drawn
    if deadlocks:
        cycle = deadlocks[0].edges[0][0] + "".join(f" ─{k}─▶ {o}" for _, k, o in deadlocks[0].edges)
        assert f"✗ DEADLOCK  a cycle: {cycle};" in drawn
    return bool(deadlocks)


# -- every demo ends clean ----------------------------------------------------------

MID_RUN = {  # a moment well inside each demo
    "mp-counter": Counted,
    "mp-queue": TaskTaken,
    "thread-exception": ThreadStarted,
    "dead-lock-holder": LockBlocked,
    "lock-order": LockOrderWarning,
    "process-exception": ChildStderr,
}


# At 10x mp-queue ends 0.08 s after its moment above and process-exception 0.2 s: a test
# thread held up that long would stop a finished run. At 1x the demos have 0.2 s to 6 s left.
STOP_SPEED = 1.0


def run_until(demo: Demo, kind: type[Event], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        over = demo.finished.is_set()  # looked at first: then the drain has all it said
        if any(isinstance(e, kind) for e in demo.channel.drain()):
            return
        assert not over and time.monotonic() < deadline, kind.__name__
        time.sleep(0.01)


PAUSED_TOO = ("mp-counter", "dead-lock-holder", "lock-order")
STOPS = [(demo, False) for demo in GALLERY] + [
    (demo, True) for demo in GALLERY if demo.name in PAUSED_TOO
]


@pytest.mark.parametrize(("demo_class", "paused"), STOPS,
                         ids=lambda v: v.name if isinstance(v, type) else ["running", "paused"][v])
def test_stop_mid_run_leaves_no_thread_and_no_process(demo_class, paused):
    before = set(threading.enumerate())
    demo = demo_class(seed=1, speed=STOP_SPEED)
    demo.start()
    run_until(demo, MID_RUN[demo.name])
    if paused:
        demo.pause()
    demo.stop()
    assert demo.finished.wait(5.0)
    assert not demo.alive_threads()
    deadline = time.monotonic() + 2.0
    while set(threading.enumerate()) - before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not set(threading.enumerate()) - before
    assert not demo_children()


# -- the command line -----------------------------------------------------------------


@pytest.fixture
def transcript(capsys, monkeypatch):
    """Run a demo through the CLI. The reaper on its way out must find nothing to
    reap: here it asserts that, instead of quietly cleaning up after a demo."""
    monkeypatch.setattr("concviz.cli.reap_children", lambda: assert_no_children())

    def run(*argv: str) -> list[str]:
        assert main(["run", *argv, "--plain", "--speed", "10"]) == 0
        return capsys.readouterr().out.splitlines()

    return run


def assert_no_children() -> None:
    assert not demo_children()


def test_cli_dead_lock_holder(transcript):
    lines = transcript("dead-lock-holder")
    assert "bare-holder DIED: KeyError: 'balnce'" in lines
    deadlock = next(i for i, line in enumerate(lines) if line.startswith("DEADLOCK"))
    assert "a lock whose owner is dead" in lines[deadlock]
    assert "waits for lock held by bare-holder" in lines[deadlock]
    assert lines[-1] == ("Summary: without `with` the run deadlocked (concviz detected it "
                         "and ended it: plain Python would hang); with `with lock:` 2 waiters "
                         "finished")
    for waiter in ("bare-waiter-1", "bare-waiter-2"):  # concviz ended them, Python did not
        assert (f"{waiter} ended by concviz (its DeadlockAborted): plain Python would wait "
                "forever") in lines
    assert not any("DIED: DeadlockAborted" in line for line in lines)
    assert ("deadlock ended: concviz ended this deadlock: plain Python would wait forever: "
            "it made the waiters give up their acquire()") in lines


def test_cli_lock_order_says_the_check_and_the_ending_are_concvizs(transcript):
    lines = transcript("lock-order")
    assert any(line.startswith("LOCK ORDER WARNING from concviz's lock-order check, like the "
                               "Linux kernel's lockdep: ") for line in lines)
    if any(line.startswith("DEADLOCK") for line in lines):  # the timing lined up
        assert any(line.startswith("deadlock ended: concviz ended this deadlock: plain Python "
                                   "would wait forever: it aborted T") for line in lines)
        assert any(line.endswith("ended by concviz (its DeadlockAborted): plain Python would "
                                 "wait forever") for line in lines)
    assert not any("DIED: DeadlockAborted" in line for line in lines)


def test_cli_exceptions(transcript):
    lines = transcript("thread-exception")
    assert any(line.startswith("threading.excepthook: exception in thread worker-")
               for line in lines)
    assert lines[-1].startswith("Summary: 2 threads finished, 1 died, 1 reported by")
    lines = transcript("process-exception")
    assert any(line.endswith("exited with exit code 1") for line in lines)
    assert any(line.startswith("error_callback(ValueError: math domain error)")
               for line in lines)
    assert lines[-1] == ("Summary: the failing process exited with code 1; the pool called "
                         "callback 4 times and error_callback 1 time")


def test_cli_processes_take_their_sizes(transcript):
    lines = transcript("mp-queue", "--tasks", "4", "--workers", "1")
    assert lines[-1] == "Summary: results [1, 4, 9, 16]; worker-1 did 4"
    args = build_parser().parse_args(["run", "mp-counter", "--plain", "--increments", "100",
                                      "--processes", "3"])
    demo = make_demo("mp-counter", args)
    assert isinstance(demo, MpCounter) and (demo.increments, demo.n_processes) == (100, 3)


@pytest.mark.parametrize("bad", [
    ["mp-counter", "--processes", "1"],
    ["mp-counter", "--increments", "5"],
    ["mp-queue", "--tasks", "0"],
    ["mp-queue", "--workers", "many"],
    ["lock-order", "--tasks", "3"],
])
def test_cli_bad_values_give_one_line_and_status_2(bad, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["run", *bad, "--plain"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "error:" in err


def test_cli_lists_every_failure_demo(transcript, capsys):
    assert main(["list"]) == 0
    names = {line.split()[0] for line in capsys.readouterr().out.splitlines()}
    assert {demo.name for demo in GALLERY} <= names


def test_cli_mp_counter_tells_each_result_once(transcript):
    """Three lines in a row said 'expected 59151, actual 59151, lost 0', 'Summary (with
    the lock): expected 59151, got 59151, 0 updates lost' and '== phase 2 done: expected
    59151, got 59151: 0 updates lost'. Each phase's line says it; one summary compares."""
    lines = transcript("mp-counter", "--increments", "300")
    done = [line for line in lines if line.startswith("== phase") and " done: " in line]
    assert [line.split(" done: ")[1].startswith("expected ") for line in done] == [True, True]
    told = [line for line in lines if "expected" in line or "lost" in line]
    assert told == [*done, lines[-1]], told
    unlocked, locked = (line.split(" done: expected ")[1].split(", got ") for line in done)
    lost = [int(a) - int(b.split(":")[0]) for a, b in (unlocked, locked)]
    assert lines[-1] == (f"Summary: without the lock, {lost[0]} of {unlocked[0]} updates lost; "
                         f"with the lock, 0 of {locked[0]} updates lost")
