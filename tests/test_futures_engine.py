"""The futures demo, run for real at high speed, judged by its event stream."""

from __future__ import annotations

import math
import os
import threading
import time

import pytest

from concviz.engine.events import Event
from concviz.engine.futures import (
    CancelRefused,
    FactorialFutures,
    FuturesFinished,
    FutureSubmitted,
    FutureYielded,
    TaskCancelled,
    TaskFinished,
    TaskStarted,
)
from tests.helpers import demo_children, run_all


def of(events: list[Event], kind: type) -> list:
    return [e for e in events if isinstance(e, kind)]


def assert_results_are_the_factorials(events: list[Event], n_max: int) -> None:
    yielded = of(events, FutureYielded)
    assert sorted(e.n for e in yielded) == list(range(1, n_max + 1))  # each n exactly once
    assert [e.position for e in yielded] == list(range(1, n_max + 1))
    for e in yielded:
        assert e.result == math.factorial(e.n) and not e.error and not e.cancelled
    done = events[-1]
    assert isinstance(done, FuturesFinished)
    assert sorted(done.completed) == list(done.submitted) == list(range(1, n_max + 1))
    assert list(done.completed) == [e.n for e in yielded]  # the order as_completed gave


@pytest.mark.parametrize("delay", ["random", "proportional", "none"])
@pytest.mark.parametrize("seed", range(3))
def test_every_n_once_with_its_factorial_in_a_permutation(seed, delay):
    events = run_all(FactorialFutures(seed=seed, delay=delay, speed=10))
    assert_results_are_the_factorials(events, 10)


def test_each_future_tells_its_life_in_order():
    events = run_all(FactorialFutures(seed=4, n_max=20, workers=3, speed=10))
    for n in range(1, 21):
        life = [type(e) for e in events if getattr(e, "n", None) == n]
        assert life == [FutureSubmitted, TaskStarted, TaskFinished, FutureYielded]
        started = next(e for e in events if isinstance(e, TaskStarted) and e.n == n)
        finished = next(e for e in events if isinstance(e, TaskFinished) and e.n == n)
        assert started.thread == finished.thread  # one worker ran it from start to end


@pytest.mark.parametrize(("workers", "delay"), [(1, "none"), (2, "random"), (4, "random"),
                                                (8, "none")])
def test_never_more_tasks_running_than_max_workers(workers, delay):
    events = run_all(FactorialFutures(seed=1, n_max=40, workers=workers, delay=delay,
                                      speed=10))
    running, most = 0, 0
    for event in events:
        if isinstance(event, TaskStarted):
            running += 1
            most = max(most, running)
        elif isinstance(event, TaskFinished):
            running -= 1
    assert running == 0
    assert 1 <= most <= workers
    threads = {e.thread for e in of(events, TaskStarted)}
    assert threads <= {f"Worker_{i}" for i in range(workers)}  # the pool's own threads


def test_an_injected_failure_stays_in_its_future_and_the_others_complete():
    demo = FactorialFutures(seed=2, fail=7, speed=10)
    events = run_all(demo)
    failed = [e for e in of(events, TaskFinished) if e.error]
    assert [e.n for e in failed] == [7]
    assert failed[0].error == "ValueError: factorial(7) failed on purpose"
    error = demo.futures[7].exception()
    assert isinstance(error, ValueError) and "factorial(7)" in str(error)
    with pytest.raises(ValueError):
        demo.futures[7].result()  # result() re-raises it, as many times as asked
    yielded = {e.n: e for e in of(events, FutureYielded)}
    assert yielded[7].error == failed[0].error and yielded[7].result is None
    for n in set(range(1, 11)) - {7}:
        assert yielded[n].result == math.factorial(n) == demo.futures[n].result()
    assert events[-1].failed == (7,)


def step_until(demo: FactorialFutures, seen: list[Event], done) -> None:
    """While paused, let one event through at a time until ``done(seen)``."""
    deadline = time.monotonic() + 10
    while not done(seen):
        count = len(seen)
        demo.step()
        while len(seen) == count:
            assert time.monotonic() < deadline, "no event came through"
            time.sleep(0.002)
            seen += demo.channel.drain()


def last(events: list[Event], kind: type) -> int:
    return max((e.n for e in events if isinstance(e, kind)), default=0)


def test_cancel_hits_only_the_pending_futures():
    """One worker, the demo paused: the futures announced after the one it runs are
    pending for sure, and only they are cancelled."""
    demo = FactorialFutures(seed=3, n_max=30, workers=1, speed=10)
    demo.pause()
    demo.start()
    try:
        seen: list[Event] = []
        step_until(demo, seen, lambda events: last(events, FutureSubmitted)
                   >= last(events, TaskStarted) + 2 > 2)
        cancelled, refused = demo.cancel_pending()
        demo.resume()
        assert demo.finished.wait(10)
    finally:
        demo.stop()
    running = last(seen, TaskStarted)
    assert len(refused) == 1 and refused[0] in (running, running + 1)  # held mid-task
    assert cancelled == list(range(refused[0] + 1, last(seen, FutureSubmitted) + 1))
    events = seen + list(demo.channel)
    assert [e.n for e in of(events, TaskCancelled)] == cancelled
    assert [(e.n, e.worker) for e in of(events, CancelRefused)] == [(refused[0], "Worker_0")]
    started = {e.n for e in of(events, TaskStarted)}
    assert started.isdisjoint(cancelled)  # a cancelled task never runs
    assert started == set(range(1, 31)) - set(cancelled)
    yielded = {e.n: e for e in of(events, FutureYielded)}
    assert sorted(yielded) == list(range(1, 31))
    assert all(yielded[n].cancelled and demo.futures[n].cancelled() for n in cancelled)
    assert yielded[refused[0]].result == math.factorial(refused[0])
    done = events[-1]
    assert (done.cancelled, done.refused) == (tuple(cancelled), tuple(refused))


def test_n_max_1000_completes():
    events = run_all(FactorialFutures(seed=5, n_max=1000, delay="none"))
    assert_results_are_the_factorials(events, 1000)


def test_seeded_work_is_reproducible():
    def work(seed: int) -> list[float]:
        demo = FactorialFutures(seed=seed)
        rng = demo.rng("work")
        return [demo.work(n, rng) for n in range(1, 11)]

    assert work(1) == work(1) != work(2)
    assert all(0.1 <= w <= 1.0 for w in work(1))
    proportional = FactorialFutures(delay="proportional")
    assert [proportional.work(n, None) for n in (1, 10)] == [pytest.approx(0.1), 1.0]


def pool_threads() -> list[str]:
    return [t.name for t in threading.enumerate()
            if t.name.startswith(("Worker_", "futures-")) and t.is_alive()]


@pytest.mark.parametrize("executor", ["thread", "process"])
def test_stop_mid_run_leaves_no_thread_and_no_process(executor):
    demo = FactorialFutures(seed=0, n_max=1000, executor=executor).start()
    time.sleep(0.3)
    started = time.monotonic()
    demo.stop()
    assert time.monotonic() - started < 1.5
    assert demo.finished.is_set() and demo.alive_threads() == []
    assert pool_threads() == []
    assert demo_children() == []


def test_the_process_executor_runs_the_same_demo_in_spawned_children():
    demo = FactorialFutures(seed=1, n_max=8, workers=2, fail=3, executor="process", speed=10)
    events = run_all(demo)
    yielded = {e.n: e for e in of(events, FutureYielded)}
    assert yielded[3].error == "ValueError: factorial(3) failed on purpose"
    assert all(yielded[n].result == math.factorial(n) for n in yielded if n != 3)
    workers = {e.thread for e in of(events, TaskStarted)}
    assert 1 <= len(workers) <= 2 and all(w.startswith("pid ") for w in workers)
    assert os.getpid() not in {e.pid for e in of(events, TaskStarted)}
    for n in range(1, 9):
        life = [type(e) for e in events if getattr(e, "n", None) == n]
        assert life == [FutureSubmitted, TaskStarted, TaskFinished, FutureYielded]
    assert isinstance(demo.futures[3].exception(), ValueError)
    assert demo_children() == [] and pool_threads() == []


def test_a_process_pool_refuses_to_cancel_what_it_has_handed_to_its_call_queue():
    """ProcessPoolExecutor moves a few pending futures to its call queue (marked running):
    those are refused too, and run; the rest are cancelled and never run."""
    demo = FactorialFutures(seed=6, n_max=40, workers=2, executor="process").start()
    try:
        seen: list[Event] = []
        deadline = time.monotonic() + 10
        while not of(seen, TaskStarted):
            assert time.monotonic() < deadline
            time.sleep(0.005)
            seen += demo.channel.drain()
        cancelled, refused = demo.cancel_pending()
        assert demo.finished.wait(10)
    finally:
        demo.stop()
    events = seen + list(demo.channel)
    started = {e.n for e in of(events, TaskStarted)}
    assert cancelled and started.isdisjoint(cancelled)
    assert set(refused) <= started  # refused: running, or queued to run; they all ran
    assert len(refused) <= 2 + 3  # the workers, and the call queue (workers + 1)
    yielded = {e.n: e for e in of(events, FutureYielded)}
    assert all(yielded[n].cancelled for n in cancelled)
    assert all(yielded[n].result == math.factorial(n) for n in started)
    assert demo_children() == []
