"""The pool pane's state: the runs, their workers and tasks, and each core's load."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

from concviz.engine.cpu_sampler import CpuSample
from concviz.engine.events import Event
from concviz.engine.pool_runs import (
    RunFailed,
    RunFinished,
    RunStarting,
    TaskFailed,
    TaskFinished,
    TaskStarted,
    WorkerStarted,
    gil_enabled,
    verdict,
)

HISTORY = 600  # samples kept per core (a minute at 10 Hz)
MEASURABLE = 0.05  # seconds of task time below which a CPU share means nothing
GIL_BOUND = 0.7  # tasks on a CPU less than this share of their time: they waited
HOLD = 1.5  # demo seconds an important caption stays before routine news replaces it


@dataclass
class Caption:
    """The narration line: what the last important event means, in plain words."""

    text: str
    weight: int = 0  # 0 routine, 1 worth a look, 2 the point of the lesson
    t: float = 0.0

    def say(self, t: float, text: str, weight: int = 0) -> None:
        """Say ``text``, unless a weightier caption is still within its HOLD seconds."""
        if weight >= self.weight or t - self.t > HOLD:
            self.text, self.weight, self.t = text, weight, t


@dataclass
class TaskView:
    index: int
    arg: str
    state: str = "running"  # running, done or failed
    duration: float = 0.0
    cpu: float = 0.0


@dataclass
class WorkerView:
    name: str
    pid: int
    up_after: float  # seconds from the run's start to this worker's initializer
    tasks: list[TaskView] = field(default_factory=list)


@dataclass
class RunView:
    run: int
    size: int
    state: str = "waiting"  # waiting, running, done or failed
    executor: str = ""
    inputs: int = 0
    started: float = 0.0  # demo time
    wall: float = 0.0
    speedup: float | None = None
    against: int | None = None
    results: tuple = ()
    error: str = ""
    workers: dict[str, WorkerView] = field(default_factory=dict)

    @property
    def done(self) -> int:
        return sum(t.state == "done" for w in self.workers.values() for t in w.tasks)

    @property
    def on_cpu(self) -> float | None:
        """The share of the finished tasks' wall time their threads spent on a CPU
        (None while too short to measure: CPU time is counted in clock ticks)."""
        tasks = [t for w in self.workers.values() for t in w.tasks if t.state == "done"]
        wall = sum(t.duration for t in tasks)
        return sum(t.cpu for t in tasks) / wall if wall >= MEASURABLE else None


def narrate(event: Event, model: PoolModel) -> tuple[str, int] | None:
    """A caption for what a class should notice; None for the rest."""
    match event:
        case RunStarting(size=size, executor="threads"):
            return f"{size} threads start inside this one process.", 1
        case RunStarting(size=size):
            return f"Pool of {size}: spawn is starting {size} fresh Python interpreters.", 1
        case WorkerStarted(thread=who, pid=pid, run=run, at=at) if run in model.runs:
            first = not model.runs[run].workers
            if first:
                return f"{who} (pid {pid}) is up {at - model.runs[run].started:.2f} s in", 1
        case TaskFailed(thread=who, arg=arg, error=error):
            return f"{who} raised on input {arg}: {error}", 2
        case RunFailed(size=size, error=error):
            return f"Pool of {size} FAILED: map() re-raised {error}", 2
        case RunFinished(size=size, wall=wall, speedup=speedup, against=against, run=run):
            said = f"Pool of {size}: {wall:.3f} s"
            if run > 0 and speedup is not None:
                said += f", {speedup:.2f}x the speed of size {against}"
            return said, 1
    return None


class PoolModel:
    def __init__(self, plan: Sequence[int] = (), threads: bool = False) -> None:
        """``threads``: the pools are of threads (the GIL's lesson), not of processes."""
        self.runs: dict[int, RunView] = {i: RunView(i, size) for i, size in enumerate(plan)}
        made = "thread pools" if threads else "pools of processes"
        self.caption = Caption(text=f"Press space: real {made} will start.")
        self.finished: list[RunFinished] = []
        self.current: RunView | None = None
        self.cores: tuple[int, ...] = ()
        self.verdict = ""

    def apply(self, event: Event) -> None:
        said = narrate(event, self)
        if said is not None:
            self.caption.say(event.t, *said)
        match event:
            case RunStarting(run=run, size=size, executor=executor, inputs=inputs, cores=cores):
                view = self.runs.setdefault(run, RunView(run, size))
                view.size, view.state, view.executor, view.inputs, view.started = \
                    size, "running", executor, inputs, event.t
                self.current, self.cores = view, cores
            case WorkerStarted(run=run, thread=who, pid=pid, at=at):
                view = self.runs[run]
                view.workers.setdefault(who, WorkerView(who, pid, at - view.started))
            case TaskStarted(run=run, thread=who, pid=pid, index=index, arg=arg):
                self._worker(run, who, pid).tasks.append(TaskView(index, arg))
            case TaskFinished(run=run, thread=who, pid=pid, index=index) | \
                    TaskFailed(run=run, thread=who, pid=pid, index=index):
                task = self._task(run, who, pid, index)
                task.state = "done" if isinstance(event, TaskFinished) else "failed"
                task.duration = event.duration
                task.cpu = event.cpu if isinstance(event, TaskFinished) else 0.0
            case RunFinished(run=run):
                view = self.runs[run]
                view.state, view.wall, view.speedup, view.against, view.results = \
                    "done", event.wall, event.speedup, event.against, event.results
                self.finished.append(event)
                self._close(event)
            case RunFailed(run=run):
                view = self.runs[run]
                view.state, view.wall, view.error = "failed", event.wall, event.error
                self._close(event)

    def _worker(self, run: int, who: str, pid: int) -> WorkerView:
        return self.runs[run].workers.setdefault(who, WorkerView(who, pid, 0.0))

    def _task(self, run: int, who: str, pid: int, index: int) -> TaskView:
        worker = self._worker(run, who, pid)
        task = next((t for t in worker.tasks if t.index == index), None)
        if task is None:
            task = TaskView(index, "")
            worker.tasks.append(task)
        return task

    def _close(self, event: RunFinished | RunFailed) -> None:
        share = self.runs[event.run].on_cpu
        gil = ""
        if event.executor == "threads" and gil_enabled() and share is not None \
                and share < GIL_BOUND and event.workload == "primes":
            gil = (f"{event.size} threads: tasks were on a CPU only {share:.0%} of their time. "
                   "One GIL: one thread at a time runs Python.")
            self.caption.say(event.t, gil, 2)
        if event.run == event.of - 1:
            self.verdict = verdict(self.finished)
            said = f"{gil} {self.verdict}" if gil and "GIL" not in self.verdict else self.verdict
            self.caption.say(event.t, said, 2)

    def pids(self) -> set[int]:
        """The worker processes of the run in front (for the sampler to place on cores)."""
        if self.current is None:
            return set()
        return {w.pid for w in self.current.workers.values()}


class CpuModel:
    """Each core's recent busy %, and the core each watched pid last ran on. A pid's
    last sampled core is kept once it has exited (a finished run's rows still say
    where each worker last ran); the meters place only the pids of the latest sample."""

    def __init__(self, cores: Sequence[int], keep: int = HISTORY) -> None:
        self.cores = tuple(cores)
        self.history: dict[int, deque[float]] = {c: deque(maxlen=keep) for c in self.cores}
        self.where: dict[int, int] = {}  # pid -> core at its latest sample, live or not
        self.live: set[int] = set()  # the pids of the latest sample

    def apply(self, sample: CpuSample) -> None:
        for core, percent in zip(sample.cores, sample.percent, strict=True):
            if core in self.history:
                self.history[core].append(percent)
        self.where.update(sample.where)
        self.live = {pid for pid, _ in sample.where}

    def latest(self, core: int) -> float | None:
        history = self.history.get(core)
        return history[-1] if history else None

    def pids_on(self, core: int) -> list[int]:
        return sorted(pid for pid in self.live if self.where[pid] == core)
