"""Seed ques.8 animated: real pools of 2, 4 and 8 workers, each core's load live,
the runs' times side by side, and which worker ran which input."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar, Protocol

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from concviz.commands.pool import transcript_line
from concviz.engine.cpu_sampler import CpuSample, CpuSampler
from concviz.engine.events import Event
from concviz.engine.pool_runs import (
    DEFAULT_N,
    EXECUTORS,
    SIZES,
    PoolRuns,
    describe,
    python_info,
)
from concviz.engine.workloads import WORKLOADS
from concviz.ui.beat import beat
from concviz.ui.demo_pane import DemoPane
from concviz.ui.listings import Listing
from concviz.ui.listings.pool import listing
from concviz.ui.models.pool import CpuModel, PoolModel, RunView
from concviz.ui.renderables.core_meter import CoreMeters, CoreRow
from concviz.ui.renderables.run_bars import RunRows
from concviz.ui.renderables.worker_rows import WorkerRows
from concviz.ui.widgets.drawing import Drawing
from concviz.ui.widgets.event_log import EventLog

IDLE_EVERY = 4  # beats between meter redraws while no pool runs: 1 Hz (idle: 0.7 %; at 2 Hz, 1.1)


class Sampler(Protocol):
    """What the pane needs of a CPU sampler (tests may hand it recorded samples)."""

    cores: tuple[int, ...]

    def start(self) -> Sampler: ...

    def stop(self, timeout: float = 1.0) -> None: ...

    def take(self) -> list[CpuSample]: ...

    def watch(self, pids: set[int]) -> None: ...


def cycle(options: Sequence[str], current: str) -> str:
    return options[(list(options).index(current) + 1) % len(options)]


class PoolPane(DemoPane):
    TITLE = "Process pool · multiprocessing.Pool (ques.8)"
    # a pause holds concviz's reading of the workers' reports, not the processes
    PAUSED = "PAUSED (processes run on): space resumes"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "next_workload", "Workload"),
        Binding("e", "next_executor", "Executor"),  # e: executor in every pane
        Binding("1", "toggle_baseline", "Size-1 base"),
    ]

    def __init__(
        self,
        *,
        sizes: Sequence[int] = SIZES,
        workload: str = "square",
        executor: str = "pool",
        n: int | None = None,
        baseline: bool = False,
        sampler: Callable[[], Sampler] = CpuSampler,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.sizes, self.workload, self.executor = tuple(sizes), workload, executor
        self.n, self.baseline = n, baseline
        self.sampler = sampler()
        self.cpu = CpuModel(self.sampler.cores)
        self.model = PoolModel(self.plan, threads=self.executor == "threads")
        self._beats = 0  # beats seen by the meters (see _meter_beat)
        self.title_text = self.title_for(executor)

    @staticmethod
    def title_for(executor: str) -> str:
        """Threads or processes, as the executor runs them (lesson page 1 runs threads)."""
        kind = "Thread pool" if executor == "threads" else "Process pool"
        return f"{kind} · {EXECUTORS[executor].removesuffix('.map')} (ques.8)"

    @property
    def plan(self) -> tuple[int, ...]:
        return ((1,) if self.baseline else ()) + self.sizes

    def compose(self) -> ComposeResult:
        yield Drawing(classes="caption")
        yield Drawing(classes="pool-setup")
        yield Drawing(classes="pool-cores")
        yield Drawing(classes="pool-runs")
        yield Drawing(classes="pool-workers")
        yield EventLog(classes="pool-log")

    def on_mount(self) -> None:
        """Textual then runs DemoPane.on_mount too (every class's handler is called)."""
        self.sampler.start()
        self._beat = beat(self.screen)  # the meters redraw with the other panes (and
        self._beat.join(self._meter_beat)  # DemoPane.on_mount, next, takes the same beat)
        self._draw()
        self._sample()

    def on_unmount(self) -> None:
        self._beat.leave(self._meter_beat)
        self.sampler.stop()

    # -- the demo --------------------------------------------------------------

    def make_demo(self) -> PoolRuns:
        return PoolRuns(sizes=self.sizes, workload=self.workload, executor=self.executor,
                        n=self.n, baseline=self.baseline, seed=self.seed, speed=self.speed)

    @property
    def listing(self) -> Listing:
        return listing(self.workload, self.executor, self.n or DEFAULT_N[self.workload],
                       self.plan)

    def reset_view(self) -> None:
        self.model = PoolModel(self.plan, threads=self.executor == "threads")
        if self.status == "running":
            made = "thread pools are" if self.executor == "threads" else "pools of processes are"
            self.model.caption.text = f"Starting: real {made} being made."
        log = self.query_one(EventLog)
        log.clear()
        n = self.n or DEFAULT_N[self.workload]
        log.write(Text(f"New runs: {describe(self.workload, n)} · {EXECUTORS[self.executor]}",
                       style="bold"))
        self._draw()

    def apply(self, events: list[Event]) -> None:
        log = self.query_one(EventLog)
        for event in events:
            self.model.apply(event)
            line = transcript_line(event)
            if line is not None:
                for part in line.rstrip("\n").splitlines():
                    log.write(Text(part))
        self._keep_marks()
        self.sampler.watch(self.model.pids())
        self._draw()

    def _keep_marks(self) -> None:
        """The code panel marks the workers of the run in front only; once their
        pool is shut down they show as ended."""
        run = self.model.current
        workers = set(run.workers) if run is not None else set()
        self.code_marks = {who: line for who, line in self.code_marks.items()
                           if who in workers or who == f"{PoolRuns.name}-main"}
        if run is not None and run.state in ("done", "failed"):
            self.code_done |= workers

    def tick(self) -> None:
        """A running pool's time bar grows even when no event arrives."""
        if self.running:
            self._draw_runs()

    def _meter_beat(self) -> None:
        """The meters redraw on every beat while a pool runs, on every IDLE_EVERY-th one
        while none does (the samples between are drawn too: the history loses nothing)."""
        self._beats += 1
        if self.running or not self._beats % IDLE_EVERY:
            self._sample()

    def _sample(self) -> None:
        for sample in self.sampler.take():
            self.cpu.apply(sample)
        rows = [CoreRow(core, self.cpu.latest(core), tuple(self.cpu.history[core]),
                        tuple(self.cpu.pids_on(core))) for core in self.cpu.cores]
        self.query_one(".pool-cores", Drawing).show(CoreMeters(rows), key=tuple(rows))
        self._draw_workers()

    # -- drawing ---------------------------------------------------------------

    def _draw(self) -> None:
        caption = self.model.caption.text
        self.query_one(".caption", Drawing).show(Text(caption, style="bold"), key=caption,
                                                 layout=True)  # it may take more lines
        executor = EXECUTORS[self.executor].removeprefix("multiprocessing.")
        setup = (f"{self.workload} · {executor} · sizes {' '.join(map(str, self.plan))} · "
                 f"{python_info()}")
        self.query_one(".pool-setup", Drawing).show(Text(setup), key=setup, layout=True)
        self._draw_runs()
        self._draw_workers()

    def _draw_runs(self) -> None:
        now = self.demo.now() if self.demo is not None else 0.0
        runs = list(self.model.runs.values())
        key = (now if self.running else None, *(self._run_key(r) for r in runs))
        drawing = self.query_one(".pool-runs", Drawing)
        drawing.show(RunRows(runs, now), key=key, layout=len(runs) + 1 != drawing.size.height)

    def _draw_workers(self) -> None:
        run = self.model.current
        where = dict(self.cpu.where)
        key = (self.events_seen, tuple(sorted(where.items())), run is None)
        self.query_one(".pool-workers", Drawing).show(WorkerRows(run, where), key=key)

    @staticmethod
    def _run_key(run: RunView) -> tuple:
        return (run.run, run.state, run.wall, run.done, run.error)

    # -- keys --------------------------------------------------------------------

    def action_next_workload(self) -> None:
        """square (the seed's), primes (CPU-bound), sleep (I/O-bound), raises."""
        self._change(workload=cycle(list(WORKLOADS), self.workload), n=None)

    def action_next_executor(self) -> None:
        """Pool.map, ProcessPoolExecutor.map, or threads (to see the GIL)."""
        self._change(executor=cycle(list(EXECUTORS), self.executor))

    def action_toggle_baseline(self) -> None:
        """Also time a pool of 1 first, and compare every size with it."""
        self._change(baseline=not self.baseline)

    def _change(self, **settings) -> None:
        """A running program restarts with the new settings; otherwise wait for space."""
        for name, value in settings.items():
            setattr(self, name, value)
        self.set_title(self.title_for(self.executor))
        if self.running:
            self.restart(f"{self.workload} · {EXECUTORS[self.executor]}"
                         + (" · size-1 baseline" if self.baseline else ""))
            return
        self.make_ready()
        self.notify(f"{self.workload} · {EXECUTORS[self.executor]}: press space to run",
                    timeout=2)
