"""Seed ques.3: ``Process(target=task)``; ``p.start()``; ``p.join()``.

The child really runs in its own interpreter (spawn). What it prints goes to its
own stdout, which here is a pipe back to the demo, so the transcript shows the
child's words with the pid that said them.
"""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass
from multiprocessing.connection import Connection

from concviz.engine.events import Event
from concviz.engine.failures.processes import ProcessDemo


def task() -> None:
    """The seed's task, unchanged."""
    print("Running in a separate process")


def run_task(out: Connection) -> None:
    """Child side: run ``task`` with its stdout sent back over ``out``."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        task()
    out.send((os.getpid(), os.getppid(), buffer.getvalue()))
    out.close()


@dataclass(frozen=True, slots=True)
class ProcessCreated(Event):
    """``Process(target=task)``: an object only; no process exists yet."""

    name: str = ""


@dataclass(frozen=True, slots=True)
class ChildPrinted(Event):
    pid: int = 0
    parent_pid: int = 0
    text: str = ""


@dataclass(frozen=True, slots=True)
class ProcessJoined(Event):
    """``p.join()`` returned in the parent."""

    name: str = ""
    pid: int = 0
    exitcode: int | None = None
    parent_pid: int = 0


class SeedProcess(ProcessDemo):
    name = "process"
    summary = "Process(target=task): a function run in its own Python process (ques.3)."

    def run(self) -> None:
        receiver, sender = self.ctx.Pipe(duplex=False)
        process = self.ctx.Process(target=run_task, args=(sender,), name="Process-1")
        self.emit(ProcessCreated, name=process.name)
        self.start_process(process, "child process")
        sender.close()  # the child holds the other end now
        while not receiver.poll(0.05):
            self.check_stop()
            if not process.is_alive():
                break
        if receiver.poll():
            pid, parent, text = receiver.recv()
            self.emit_as(process.name, ChildPrinted, pid=pid, parent_pid=parent,
                         text=text.rstrip("\n"))
        while process.is_alive():
            self.check_stop()
            process.join(0.05)
        self.report_exit(process)
        self.emit(ProcessJoined, name=process.name, pid=process.pid or 0,
                  exitcode=process.exitcode, parent_pid=os.getpid())
