"""After a run the workers' rows still say where each last ran, and the note says the
run ended: the core column went blank while its legend stayed (lesson page 2)."""

from __future__ import annotations

import pytest

from concviz.engine.cpu_sampler import CpuSample
from concviz.engine.pool_runs import PoolRuns, WorkerStarted
from concviz.ui.models.pool import CpuModel, PoolModel
from concviz.ui.renderables.worker_rows import WorkerRows
from tests.helpers import run_all
from tests.test_pool_pane import render


@pytest.fixture(scope="module")
def events():
    return run_all(PoolRuns(sizes=(2,)))


@pytest.mark.parametrize("width", [44, 120])
def test_a_finished_run_keeps_each_workers_last_sampled_core(events, width):
    model, cpu = PoolModel((2,)), CpuModel((0, 1))
    pids = sorted({e.pid for e in events if isinstance(e, WorkerStarted)})
    for event in events:
        model.apply(event)
        if isinstance(event, WorkerStarted) and event.pid == pids[-1]:  # both are up
            cpu.apply(CpuSample(event.t, (0, 1), (100.0, 100.0),
                                tuple((pid, i % 2) for i, pid in enumerate(pids))))
    cpu.apply(CpuSample(events[-1].t, (0, 1), (0.0, 0.0), ()))  # they have exited
    assert cpu.pids_on(0) == cpu.pids_on(1) == []  # the meters place no dead worker
    lines = render(WorkerRows(model.runs[0], cpu.where), width)
    assert lines[1] == ("run ended, workers exited: last on core is where each ran at its "
                        "last sample" if width >= 80 else "run ended: core is its last sample")
    for i, pid in enumerate(pids):
        row = next(line for line in lines if line.startswith(f"pid {pid}"))
        assert f" last on core {i % 2} " in row, lines


def test_a_worker_never_sampled_says_so_after_the_run(events):
    model = PoolModel((2,))
    for event in events:
        model.apply(event)
    lines = render(WorkerRows(model.runs[0], {}), 120)
    rows = [line for line in lines if line.startswith("pid ")]
    assert rows and all(" not sampled " in row for row in rows), lines
