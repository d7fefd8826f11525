"""The process failure demos, run for real at high speed, judged by their event streams."""

from __future__ import annotations

import io
import math
import threading
import time

import pytest
from rich.console import Console

from concviz.cli import build_parser, main
from concviz.commands.failures import make_demo
from concviz.engine.demo import Demo
from concviz.engine.events import Event, ThreadFailed, ThreadFinished
from concviz.engine.failures import GALLERY
from concviz.engine.failures.events import PhaseStarted
from concviz.engine.failures.mp_counter import Counted, CounterResult, MpCounter
from concviz.engine.failures.mp_queue import MpQueue, QueueFinished, ResultGot, TaskTaken
from concviz.engine.failures.process_exception import (
    Callback,
    ChildStderr,
    ProcessException,
    ProcessExceptionFinished,
    ProcessExited,
)
from concviz.ui.renderables.failures import VIEWS
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


# -- ques.6: an exception in a process ---------------------------------------------


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


# -- every demo ends clean ----------------------------------------------------------

MID_RUN = {  # a moment well inside each demo
    "mp-counter": Counted,
    "mp-queue": TaskTaken,
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


PAUSED_TOO = ("mp-counter",)
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


def test_cli_process_exception(transcript):
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
])
def test_cli_bad_values_give_one_line_and_status_2(bad, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["run", *bad, "--plain"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "error:" in err


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
