"""Seed ques.8's pools, really run: what the workers report, in order, and nothing left behind."""

from __future__ import annotations

import os
import threading
import time
from collections import defaultdict

import psutil
import pytest

from concviz.engine.cpu_sampler import (
    HAS_PROC,
    CpuSampler,
    _psutil_times,
    allowed_cores,
    busy_percent,
    core_of,
    read_times,
)
from concviz.engine.events import Event
from concviz.engine.pool_runs import (
    PoolRuns,
    RunFailed,
    RunFinished,
    RunStarting,
    TaskFailed,
    TaskFinished,
    TaskStarted,
    WorkerStarted,
    gil_enabled,
    make_inputs,
    python_info,
)
from tests.helpers import demo_children, run_all

PER_RUN = (WorkerStarted, TaskStarted, TaskFinished, TaskFailed)


def by_run(events: list[Event]) -> dict[int, list[Event]]:
    runs: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        if isinstance(event, (RunStarting, RunFinished, RunFailed, *PER_RUN)):
            runs[event.run].append(event)
    return runs


def assert_each_input_once(run: list[Event], inputs: int) -> None:
    started = sorted(e.index for e in run if isinstance(e, TaskStarted))
    ended = sorted(e.index for e in run if isinstance(e, TaskFinished | TaskFailed))
    assert started == ended == list(range(inputs))


@pytest.mark.parametrize("executor", ["pool", "process-executor"])
def test_results_are_the_squares_and_each_input_ran_once_in_a_worker(executor):
    events = run_all(PoolRuns(sizes=(2, 4), executor=executor))
    runs = by_run(events)
    assert [r[0].size for r in runs.values()] == [2, 4]
    for run in runs.values():
        first, *middle, last = run
        assert isinstance(first, RunStarting) and isinstance(last, RunFinished)
        assert all(isinstance(e, PER_RUN) for e in middle)  # in order, within the run
        assert last.results == tuple(n * n for n in range(1, 11))
        assert_each_input_once(run, 10)
        workers = {e.pid for e in middle if isinstance(e, WorkerStarted)}
        assert os.getpid() not in workers and len(workers) <= last.size
        for task in (e for e in middle if isinstance(e, TaskFinished)):
            assert task.pid in workers and task.result == str(int(task.arg) ** 2)
            assert task.cpu >= 0 and 0 <= task.duration < last.wall
        for started in (e for e in middle if isinstance(e, TaskStarted)):
            done = next(e for e in middle if isinstance(e, TaskFinished)
                        and e.index == started.index)
            assert middle.index(started) < middle.index(done)
        assert len(last.cpu) == len(last.cores) == len(allowed_cores())
    first, second = (r[-1] for r in runs.values())
    assert first.speedup == 1.0 and first.against == 2
    assert second.speedup == pytest.approx(first.wall / second.wall)
    assert not demo_children()


def test_threads_all_run_in_this_process():
    events = run_all(PoolRuns(sizes=(3,), executor="threads"))
    workers = [e for e in events if isinstance(e, WorkerStarted)]
    assert {e.pid for e in workers} == {os.getpid()}
    assert len({e.thread for e in workers}) == len(workers) <= 3
    assert events[-1].results == tuple(n * n for n in range(1, 11))
    assert python_info().endswith("GIL on" if gil_enabled() else "GIL OFF (free-threaded)")


def test_primes_are_counted_right_with_a_size_one_baseline():
    events = run_all(PoolRuns(sizes=(2,), workload="primes", n=5000, baseline=True))
    done = [e for e in events if isinstance(e, RunFinished)]
    assert [e.size for e in done] == [1, 2]
    assert all(sum(e.results) == 669 for e in done)  # primes below 5000
    assert done[1].against == 1 and done[1].speedup == pytest.approx(done[0].wall / done[1].wall)
    assert_each_input_once(by_run(events)[1], len(make_inputs("primes", 5000)))


def test_a_raising_workload_fails_its_run_and_the_next_run_goes_on():
    events = run_all(PoolRuns(sizes=(2, 3), workload="raises"))
    failed = [e for e in events if isinstance(e, RunFailed)]
    assert [e.size for e in failed] == [2, 3]
    assert all(e.error == "ValueError: 7 is unlucky: this worker raised" for e in failed)
    raised = [e for e in events if isinstance(e, TaskFailed)]
    assert {e.arg for e in raised} == {"7"} and len(raised) == 2
    assert all(e.pid != os.getpid() for e in raised)
    assert not demo_children()


def wait_for_task(demo: PoolRuns) -> list[Event]:
    seen: list[Event] = []
    deadline = time.monotonic() + 20
    while not any(isinstance(e, TaskStarted) for e in seen):
        assert time.monotonic() < deadline, "no task started"
        seen += demo.channel.drain()
        time.sleep(0.01)
    return seen


@pytest.mark.parametrize("executor", ["pool", "process-executor", "threads"])
def test_stop_mid_run_ends_every_worker(executor):
    demo = PoolRuns(sizes=(4,), workload="primes", n=5_000_000, executor=executor).start()
    seen = wait_for_task(demo)
    pids = {e.pid for e in seen if isinstance(e, WorkerStarted)} - {os.getpid()}
    started = time.monotonic()
    demo.stop()
    assert time.monotonic() - started < 2.0
    assert demo.finished.is_set() and not demo.alive_threads()
    assert not demo_children()
    assert not any(psutil.pid_exists(pid) for pid in pids)
    assert not [t for t in threading.enumerate() if t.name.startswith("worker-thread")]
    assert not any(isinstance(e, RunFinished) for e in demo.channel)


def test_bad_settings_are_refused():
    for bad in ({"sizes": (0,)}, {"sizes": (65,)}, {"workload": "cube"}, {"executor": "gpu"}):
        with pytest.raises(ValueError):
            PoolRuns(**bad)


def test_the_sampler_gives_one_value_per_allowed_core_per_tick():
    sampler = CpuSampler(hz=20).start()
    sampler.watch([os.getpid()])
    deadline = time.monotonic() + 5
    samples = []
    while len(samples) < 4:
        assert time.monotonic() < deadline
        time.sleep(0.05)
        samples += sampler.take()
    sampler.stop()
    assert not sampler.alive
    cores = allowed_cores()
    for sample in samples:
        assert sample.cores == cores and len(sample.percent) == len(cores)
        assert all(0.0 <= p <= 100.0 for p in sample.percent)
        assert all(pid == os.getpid() and core in cores for pid, core in sample.where)
    assert [s.t for s in samples] == sorted(s.t for s in samples)
    assert sampler.cost >= 0.0


def test_busy_percent_is_busy_time_over_elapsed_time():
    assert busy_percent((100.0, 40.0), (140.0, 50.0)) == 75.0
    assert busy_percent((100.0, 40.0), (100.0, 40.0)) == 0.0


def test_the_proc_reading_agrees_with_psutil():
    ours = read_times()
    theirs = _psutil_times()
    ticks = os.sysconf("SC_CLK_TCK") if HAS_PROC else 1
    for core in allowed_cores():
        assert ours[core][0] / ticks == pytest.approx(theirs[core][0], abs=1.0)
        assert ours[core][1] / ticks == pytest.approx(theirs[core][1], abs=1.0)
    assert core_of(os.getpid()) in allowed_cores()
