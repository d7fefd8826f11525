"""A demo that owns child processes: a spawn context, lanes for them, and a
``stop()`` that terminates and joins every one."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Iterator
from multiprocessing import resource_tracker
from multiprocessing.context import SpawnContext
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from concviz.engine.demo import Demo
from concviz.engine.events import Event, ThreadFailed, ThreadFinished, ThreadStarted

E = TypeVar("E", bound=Event)

JOIN = 1.0  # seconds a process gets to exit after terminate(), before kill()


def ensure_resource_tracker() -> None:
    """Start multiprocessing's resource tracker (spawn's first Lock or Queue does) with
    a real stderr: it hands ``sys.stderr.fileno()`` to the new process, and under the
    TUI that is Textual's print capture, whose fileno() is -1: the spawn would fail."""
    try:
        usable = sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable:
        resource_tracker.ensure_running()
        return
    with open(os.devnull, "w") as null, contextlib.redirect_stderr(null):
        resource_tracker.ensure_running()


@contextlib.contextmanager
def children_ignore_ctrl_c() -> Iterator[None]:
    """Start processes with SIGINT blocked, which they inherit: Ctrl+C reaches the whole
    process group, but the parent alone should react (and end its children), not
    every child with a traceback of its own."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


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
        with children_ignore_ctrl_c():
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
