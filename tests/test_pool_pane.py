"""The pool pane, driven by keys: real pools, live cores, and no child left behind."""

from __future__ import annotations

import os
import time

import pytest
from rich.console import Console

from concviz.engine.cpu_sampler import CpuSample
from concviz.engine.events import Event
from concviz.engine.pool_runs import (
    RunFinished,
    RunStarting,
    TaskFinished,
    TaskStarted,
    WorkerStarted,
)
from concviz.ui.app import STYLES
from concviz.ui.models.pool import RunView, TaskView, WorkerView
from concviz.ui.panes.pool import PoolPane
from concviz.ui.renderables.core_meter import CoreMeters, CoreRow
from concviz.ui.renderables.worker_rows import WorkerRows
from concviz.ui.widgets.event_log import EventLog
from tests.helpers import StillSampler, demo_children, until
from tests.pane_app import PaneApp, wait_finished

CSS = [STYLES / "pool.tcss"]
SQUARES = tuple(n * n for n in range(1, 11))


async def test_space_runs_real_pools_and_the_pane_shows_what_they_reported():
    pane = PoolPane(sizes=(2, 3))
    async with PaneApp(pane, extra_css=CSS).run_test(size=(100, 40)) as pilot:
        await pilot.press("space")
        await wait_finished(pilot, pane)
        runs = list(pane.model.runs.values())
        assert [(r.size, r.state, r.results) for r in runs] == [(2, "done", SQUARES),
                                                               (3, "done", SQUARES)]
        for run in runs:
            indices = sorted(t.index for w in run.workers.values() for t in w.tasks)
            assert indices == list(range(10))  # every input, once, in some worker
            assert os.getpid() not in {w.pid for w in run.workers.values()}
            assert len(run.workers) <= run.size
        assert runs[1].speedup == runs[0].wall / runs[1].wall
        log = pane.query_one(EventLog).text
        assert "Pool size: 3" in log and "Results: [1, 4, 9, 16, 25" in log
        assert pane.model.verdict.startswith("Fastest: size ")
        code = pane.listing  # the code panel: the program, the main thread at its print
        assert "def square(n: int) -> int:" in code.code
        assert pane.code_marks["pool-main"] == code.line_of('print(f"Time taken')
        assert set(pane.code_marks) - {"pool-main"} <= set(runs[-1].workers) <= pane.code_done
    assert not pane.sampler.alive and not demo_children()


async def test_threads_run_in_this_process():
    pane = PoolPane(sizes=(2,), executor="threads")
    async with PaneApp(pane, extra_css=CSS).run_test() as pilot:
        await pilot.press("space")
        await wait_finished(pilot, pane)
        run = pane.model.runs[0]
        assert {w.pid for w in run.workers.values()} == {os.getpid()}
        assert run.results == SQUARES


async def test_keys_pick_the_workload_the_executor_and_the_baseline():
    pane = PoolPane()
    async with PaneApp(pane, extra_css=CSS).run_test() as pilot:
        await pilot.press("w")
        assert pane.workload == "primes" and pane.demo is None  # waits for space
        await pilot.press("e", "e")
        assert pane.executor == "threads"
        await pilot.press("e", "w", "w", "w")
        assert (pane.workload, pane.executor) == ("square", "pool")
        await pilot.press("1")
        assert pane.plan == (1, 2, 4, 8)
        assert [r.size for r in pane.model.runs.values()] == [1, 2, 4, 8]


async def test_the_cores_are_sampled_while_mounted():
    pane = PoolPane()
    async with PaneApp(pane, extra_css=CSS).run_test() as pilot:
        deadline = time.monotonic() + 5
        while not all(pane.cpu.history[c] for c in pane.cpu.cores):
            assert time.monotonic() < deadline, "no sample reached the meters"
            await pilot.pause(0.1)
        assert pane.sampler.alive
    assert not pane.sampler.alive


async def test_leaving_mid_run_leaves_no_child_process():
    # primes below 10**7 keep 4 workers busy for some 18 s on 2 cores: the workers can only
    # be gone within the wait below because leaving ended them
    pane = PoolPane(sizes=(4,), workload="primes", n=10_000_000)
    async with PaneApp(pane, extra_css=CSS).run_test() as pilot:
        await pilot.press("space")
        await until(lambda: pane.model.current and pane.model.current.workers,
                    "no worker came up", timeout=20)
        assert demo_children()
    await until(lambda: not demo_children(), "a worker outlived the pane", timeout=2.0)


def render(renderable, width: int, height: int | None = None) -> list[str]:
    console = Console(width=width, color_system=None)
    options = console.options.update(height=height) if height else console.options
    return ["".join(s.text for s in line).rstrip()
            for line in console.render_lines(renderable, options, pad=False)]


def test_worker_rows_fold_what_does_not_fit():
    run = RunView(0, 8, "running", "pool", 10)
    for i in range(8):
        run.workers[f"SpawnPoolWorker-{i + 1}"] = WorkerView(
            f"SpawnPoolWorker-{i + 1}", 5000 + i, 0.1, [TaskView(i, str(i + 1))])
    lines = render(WorkerRows(run, {5000: 1}), 44, height=6)
    assert lines[0] == "8 processes: 8 up, 8 ran tasks"
    assert lines[2].startswith("pid 5000   last on core 1 up 0.10s ▶1")
    assert lines[-1] == "… 5 more" and len(lines) == 6


@pytest.mark.parametrize("width", [44, 120])
def test_the_core_of_a_worker_is_said_to_be_where_it_last_ran(width):
    """The sampler reads the core a process last ran on, a moment ago: four workers can
    read "core 0" while both cores are full. The rows must not say it runs there now."""
    run = RunView(0, 2, "running", "pool", 10)
    run.workers["SpawnPoolWorker-1"] = WorkerView("SpawnPoolWorker-1", 5000, 0.1, [])
    lines = render(WorkerRows(run, {5000: 0}), width)
    note = ("last on core: the core each ran on when last sampled; the OS moves them at will"
            if width >= 80 else "core: where the OS last ran it (sampled)")
    assert lines[1] == note
    assert " last on core 0 " in lines[2]
    assert " core 0" not in lines[2].replace("last on core 0", "")


def test_core_meters_say_the_load_in_numbers_too():
    rows = [CoreRow(0, 87.0, (10.0, 50.0, 100.0), (4242,)), CoreRow(1, None)]
    first, second = render(CoreMeters(rows), 52)
    assert first.startswith("core 0 ▕█████████░▏  87%") and first.endswith("last ◆4242")
    assert second.startswith("core 1 ▕··········▏  --%")


# -- the snapshot: what three runs of the seed's square look like ---------------------
# Pids, timings and which worker gets which input change from run to run, so the
# snapshot is drawn from a fixed stream of the engine's own events and CPU samples.


class RecordedSampler:
    """Stands in for CpuSampler: the same samples every time."""

    cores = (0, 1)

    def __init__(self) -> None:
        load = [5, 8, 60, 100, 100, 95, 100, 100, 70, 40, 100, 100, 100, 100, 30, 10] * 3
        self.samples = [CpuSample(i / 10, self.cores, (p, max(0, p - 15)), ((4104, 1),))
                        for i, p in enumerate(load)]

    def start(self) -> RecordedSampler:
        return self

    def stop(self, timeout: float = 1.0) -> None:
        pass

    def take(self) -> list[CpuSample]:
        taken, self.samples = self.samples, []
        return taken

    def watch(self, pids: set[int]) -> None:
        pass


def square_runs() -> list[Event]:
    """Sizes 2, 4 and 8 as the engine reports them: the later a pool, the more
    workers it starts and the fewer of them are up in time to take a task."""
    events: list[Event] = []
    t, pid = 0.0, 4100
    for run, (size, wall, up) in enumerate([(2, 0.152, 2), (4, 0.231, 2), (8, 0.402, 1)]):
        common = {"run": run, "size": size}
        events.append(RunStarting(t, "pool-main", of=3, workload="square", executor="pool",
                                  inputs=10, cores=(0, 1), **common))
        names = [f"SpawnPoolWorker-{run * 10 + i + 1}" for i in range(up)]
        for i, name in enumerate(names):
            events.append(WorkerStarted(t + 0.1, name, pid=pid + i, at=t + 0.1 + i / 100,
                                        **common))
        for n in range(1, 11):
            name = names[(n - 1) // 2 % up]
            worker = pid + names.index(name)
            events.append(TaskStarted(t + 0.12, name, index=n - 1, arg=str(n), pid=worker,
                                      at=t + 0.12, **common))
            events.append(TaskFinished(t + 0.13, name, index=n - 1, arg=str(n), pid=worker,
                                       duration=0.000004, cpu=0.000004, result=str(n * n),
                                       **common))
        events.append(RunFinished(t + wall, "pool-main", of=3, workload="square",
                                  executor="pool", wall=wall, results=SQUARES,
                                  speedup=0.152 / wall, against=2, cores=(0, 1),
                                  cpu=(98.0, 95.0), **common))
        t, pid = t + wall + 0.05, pid + up
    return events


def test_snapshot_after_a_square_run(snap_compare):
    pane = PoolPane(sampler=RecordedSampler)

    async def show_runs(pilot):
        pane.apply(square_runs())
        await pilot.pause()

    app = PaneApp(pane, extra_css=CSS)
    assert snap_compare(app, run_before=show_runs, terminal_size=(48, 20))


def test_snapshot_wide(snap_compare):
    pane = PoolPane(sampler=RecordedSampler)

    async def show_runs(pilot):
        pane.apply(square_runs())
        await pilot.pause()

    assert snap_compare(PaneApp(pane, extra_css=CSS), run_before=show_runs,
                        terminal_size=(100, 30))



async def test_a_paused_pool_says_its_processes_run_on():
    """Pausing holds concviz's threads at their next report; worker processes cannot be
    held, and the pane must not suggest they are."""
    pane = PoolPane(sampler=StillSampler, workload="sleep", speed=0.1)
    async with PaneApp(pane, extra_css=CSS).run_test() as pilot:
        await pilot.press("space")
        await until(lambda: pane.running, "the run did not start")
        await pilot.press("space")
        assert "PAUSED (processes run on)" in pane.border_subtitle


async def test_a_thread_pool_is_never_called_a_pool_of_processes():
    pane = PoolPane(sampler=StillSampler, executor="threads", sizes=(2,))
    async with PaneApp(pane, extra_css=CSS).run_test() as pilot:
        assert pane.model.caption.text == "Press space: real thread pools will start."
        await pilot.press("space")
        assert "processes" not in pane.model.caption.text
