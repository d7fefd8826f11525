"""A demo that owns child processes: a spawn context, lanes for them, and a
``stop()`` that terminates and joins every one."""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
from multiprocessing.context import SpawnContext
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from concviz.engine.demo import Demo
from concviz.engine.events import Event, ThreadFailed, ThreadFinished, ThreadStarted
from concviz.engine.spawning import children_ignore_the_terminal, ensure_resource_tracker

E = TypeVar("E", bound=Event)

JOIN = 1.0  # seconds a process gets to exit after terminate(), before kill()


class ProcessDemo(Demo):
    """Spawn only: the app runs threads, and fork would copy their locks mid-use.
    (forkserver would leave its server process running after the demo.)"""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ctx: SpawnContext = multiprocessing.get_context("spawn")
        ensure_resource_tracker()
        self.processes: list[BaseProcess] = []
        self._reaping = threading.Lock()

    def emit_as(self, who: str, cls: type[E], **fields: Any) -> E:
        """Emit on behalf of a child process (its lane), through the pause gate."""
        self._pass_gate()
        event = cls(t=self.now(), thread=who, **fields)
        self.channel.put(event)
        return event

    def start_process(self, process: BaseProcess, role: str) -> None:
        self.processes.append(process)
        with children_ignore_the_terminal():
            process.start()
        self.emit_as(process.name, ThreadStarted, role=f"{role}, pid {process.pid}")

    def report_exit(self, process: BaseProcess) -> None:
        """The lane's last word: finished (exit code 0) or failed with its code."""
        code = process.exitcode
        if code == 0:
            self.emit_as(process.name, ThreadFinished)
        else:
            self.emit_as(process.name, ThreadFailed, error=f"exit code {code}")

    def end_processes(self) -> None:
        """Terminate whatever still runs, then join (kill after ``JOIN`` seconds)."""
        with self._reaping:
            for process in self.processes:
                with contextlib.suppress(ValueError):  # never started
                    if process.is_alive():
                        process.terminate()
            for process in self.processes:
                with contextlib.suppress(ValueError, AssertionError):
                    process.join(JOIN)
                    if process.is_alive():
                        process.kill()
                        process.join(JOIN)

    def stop(self, timeout: float = 1.0) -> None:
        super().stop(timeout)
        self.end_processes()
