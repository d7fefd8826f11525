"""Seed ques.5, between processes: a ``multiprocessing.Queue`` passing work.

The main program puts numbers on a task queue; worker processes take them,
square them (seed ques.2) and put results on a second queue. One ``None`` per
worker tells it to stop. Everything crossing a queue is pickled.
"""

from __future__ import annotations

import queue
from collections import Counter
from dataclasses import dataclass

from concviz.engine.events import Event
from concviz.engine.failures import workers
from concviz.engine.failures.processes import ProcessDemo

WORKERS, MAX_WORKERS = 2, 8
TASKS, MAX_TASKS = 8, 50
WORK = (0.1, 0.4)  # nominal seconds a worker spends on one task
PUT_GAP = 0.05
POLL = 0.05


@dataclass(frozen=True, slots=True)
class TaskPut(Event):
    n: int = 0  # 0 is the stop sentinel (None)


@dataclass(frozen=True, slots=True)
class TaskTaken(Event):
    """A worker process (``thread``) took ``n`` off the task queue."""

    n: int = 0


@dataclass(frozen=True, slots=True)
class ResultGot(Event):
    """The main program got a worker's result off the result queue."""

    worker: str = ""
    n: int = 0
    result: int = 0


@dataclass(frozen=True, slots=True)
class QueueFinished(Event):
    results: tuple[int, ...] = ()  # in task order
    per_worker: tuple[tuple[str, int], ...] = ()


class MpQueue(ProcessDemo):
    name = "mp-queue"
    summary = "A multiprocessing.Queue passes work between processes (ques.5)."

    def __init__(self, *, tasks: int = TASKS, n_workers: int = WORKERS, **kwargs) -> None:
        super().__init__(**kwargs)
        self.tasks = tasks
        self.n_workers = n_workers

    def run(self) -> None:
        rng = self.rng("tasks")
        tasks_q, results_q = self.ctx.Queue(), self.ctx.Queue()
        procs = [
            self.ctx.Process(
                target=workers.square_worker,
                args=(tasks_q, results_q, self.speed),
                name=f"worker-{i + 1}",
                daemon=True,
            )
            for i in range(self.n_workers)
        ]
        try:
            for proc in procs:
                self.start_process(proc, "squares numbers")
            for n in range(1, self.tasks + 1):
                tasks_q.put((n, rng.uniform(*WORK)))
                self.emit(TaskPut, n=n)
                self.sleep(PUT_GAP)
            for _ in procs:
                tasks_q.put(None)
                self.emit(TaskPut, n=0)
            results = self._collect(procs, results_q)
            for proc in procs:
                proc.join()
                self.report_exit(proc)
        finally:
            self.end_processes()
            for q in (tasks_q, results_q):
                q.close()
                q.join_thread()
        per_worker = Counter(who for who, _ in results.values())
        self.emit(
            QueueFinished,
            results=tuple(results[n][1] for n in sorted(results)),
            per_worker=tuple(sorted(per_worker.items())),
        )

    def _collect(self, procs: list, results_q) -> dict[int, tuple[str, int]]:
        results: dict[int, tuple[str, int]] = {}
        running = {p.name for p in procs}
        while running:
            try:
                kind, who, n, *rest = results_q.get(timeout=POLL)
            except queue.Empty:
                self.check_stop()
                running -= {p.name for p in procs if p.exitcode not in (None, 0)}  # crashed
                continue
            if kind == "took":
                self.emit_as(who, TaskTaken, n=n)
            elif kind == "done":
                results[n] = (who, rest[0])
                self.emit(ResultGot, worker=who, n=n, result=rest[0])
            else:
                running.discard(who)
        return results
