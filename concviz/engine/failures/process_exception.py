"""Seed ques.6: an exception in a worker process ends only that process.

Phase 1: a ``Process`` whose function raises. Python prints the traceback in
the child (here to a pipe standing in for its stderr) and the child exits with
code 1; the parent goes on and reads ``exitcode``. Phase 2: a ``Pool`` runs
``math.sqrt`` on a few numbers with ``apply_async``; the task given a negative
number raises, and the pool calls its ``error_callback`` in the parent.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass

from concviz.engine.events import Event
from concviz.engine.failures import workers
from concviz.engine.failures.events import PhaseFinished, PhaseStarted
from concviz.engine.failures.processes import ProcessDemo
from concviz.engine.spawning import children_ignore_the_terminal
from concviz.engine.words import plural

POOL_SIZE = 2
TASKS = 5
CRASH_DELAY = 0.3  # nominal seconds the failing child works before it raises
POLL = 0.05


@dataclass(frozen=True, slots=True)
class ChildStderr(Event):
    """What Python printed in the child (``thread`` is the process) before it exited."""

    text: str = ""


@dataclass(frozen=True, slots=True)
class ProcessExited(Event):
    pid: int = 0
    exitcode: int = 0


@dataclass(frozen=True, slots=True)
class TaskSubmitted(Event):
    n: float = 0.0


@dataclass(frozen=True, slots=True)
class Callback(Event):
    """The pool called ``callback`` (``ok``) or ``error_callback`` in ``thread``, a
    thread of the parent."""

    n: float = 0.0
    ok: bool = True
    result: str = ""


@dataclass(frozen=True, slots=True)
class ProcessExceptionFinished(Event):
    exitcode: int = 0
    callbacks: int = 0
    error_callbacks: int = 0


class ProcessException(ProcessDemo):
    name = "process-exception"
    summary = "A worker process raises: its exit code, and a Pool's error_callback (ques.6)."

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.callbacks: list[Callback] = []

    def run(self) -> None:
        try:
            exitcode = self._process_phase()
            self._pool_phase()
        finally:
            self.end_processes()
        errors = sum(not c.ok for c in self.callbacks)
        self.emit(
            ProcessExceptionFinished,
            exitcode=exitcode,
            callbacks=len(self.callbacks) - errors,
            error_callbacks=errors,
        )

    def _process_phase(self) -> int:
        self.emit(PhaseStarted, phase=1, title="Process(target=average_of_nothing)")
        reader, writer = self.ctx.Pipe(duplex=False)
        proc = self.ctx.Process(
            target=workers.average_of_nothing,
            args=(writer, CRASH_DELAY / self.speed),
            name="worker",
            daemon=True,
        )
        try:
            self.start_process(proc, "averages readings")
            writer.close()  # the child holds the other copy: EOF once it exits
            while proc.is_alive():
                proc.join(POLL)
                self.check_stop()
            text = []
            with contextlib.suppress(EOFError, OSError):
                while reader.poll(POLL):
                    text.append(reader.recv())
        finally:
            reader.close()
        self.emit_as(proc.name, ChildStderr, text="".join(text))
        self.emit_as(proc.name, ProcessExited, pid=proc.pid or 0, exitcode=proc.exitcode)
        self.report_exit(proc)
        self.emit(PhaseFinished, phase=1, outcome=f"exit code {proc.exitcode}; the parent goes on",
                  ok=proc.exitcode == 0)
        return proc.exitcode or 0

    def _pool_phase(self) -> None:
        self.emit(PhaseStarted, phase=2, title="Pool.apply_async(sqrt, error_callback=...)")
        rng = self.rng("numbers")
        numbers = [float(rng.randint(1, 20) ** 2) for _ in range(TASKS)]
        numbers[rng.randrange(TASKS)] = -float(rng.randint(1, 9))
        with children_ignore_the_terminal():
            pool = self.ctx.Pool(POOL_SIZE)
        try:
            pending = []
            for n in numbers:
                pending.append(pool.apply_async(
                    workers.root, (n,),
                    callback=lambda r, n=n: self._called(n, True, r),
                    error_callback=lambda e, n=n: self._called(n, False, e),
                ))
                self.emit(TaskSubmitted, n=n)
            pool.close()
            while not all(r.ready() for r in pending) or len(self.callbacks) < len(pending):
                time.sleep(POLL)
                self.check_stop()
            pool.join()
        finally:
            pool.terminate()
        errors = sum(not c.ok for c in self.callbacks)
        self.emit(PhaseFinished, phase=2, outcome=f"{plural(errors, 'error_callback')}, "
                  f"{plural(len(self.callbacks) - errors, 'callback')}", ok=errors == 0)

    def _called(self, n: float, ok: bool, value: object) -> None:
        """Runs in the pool's result-handler thread: never wait at the pause gate here."""
        text = repr(value) if ok else f"{type(value).__name__}: {value}"
        event = Callback(t=self.now(), thread=threading.current_thread().name, n=n, ok=ok,
                         result=text)
        self.callbacks.append(event)
        self.channel.put(event)
