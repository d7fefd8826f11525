"""Snapshots of the watch screen fed a fixed stream of events (a deadlock, a sleeping
thread, a queue, shown data, output): no real program and no real clock, so the
picture is the same on every machine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from concviz.ui.app import ConcvizApp
from concviz.ui.screens.watch import WatchScreen
from concviz.watch.programs import Program
from tests.helpers import StillSampler, until

SOURCE = """\
import queue
import threading
import time

lock_a = threading.Lock()
lock_b = threading.Lock()
jobs = queue.Queue(maxsize=4)
done = []


def worker_a():
    with lock_a:
        time.sleep(0.1)
        with lock_b:
            done.append("a")


def worker_b():
    with lock_b:
        time.sleep(0.1)
        with lock_a:
            done.append("b")


def napper():
    for n in range(3):
        done.append(n)
        jobs.put(n)
        print("napper put", n)
    time.sleep(5)


threading.Thread(target=worker_a).start()
threading.Thread(target=worker_b).start()
threading.Thread(target=napper, daemon=True).start()
"""
T0 = 1000.0  # the probe's start on the (fake) monotonic clock
NOW = 2.5  # seconds after it, when the snapshot is taken


def events(program: str) -> list[dict[str, Any]]:
    """What the probe would report for SOURCE, at fixed times."""
    names = {1: "MainThread", 2: "Thread-1 (worker_a)", 3: "Thread-2 (worker_b)",
             4: "Thread-3 (napper)"}
    stream: list[dict[str, Any]] = []

    def at(t: float, tid: int, kind: str, line: int | None = None, **fields: Any) -> None:
        where = {"file": program, "line": line} if line is not None else {}
        stream.append({"t": t, "kind": kind, "thread": names[tid], "tid": tid, **where,
                       **fields})

    at(0.00, 1, "main-start", 1)
    at(0.01, 1, "new", 5, obj=1, type="Lock")
    at(0.01, 1, "new", 6, obj=2, type="Lock")
    at(0.01, 1, "new", 7, obj=3, type="Queue", maxsize=4)
    for child, target, line, daemon in ((2, "worker_a", 33, False), (3, "worker_b", 34, False),
                                        (4, "napper", 35, True)):
        at(0.02, 1, "thread-new", line, child=child, name=names[child], target=target,
           daemon=daemon, internal=False, by="program")
        at(0.02, child, "thread-start", target=target, internal=False)
    at(0.03, 1, "main-end")
    at(0.03, 2, "name", obj=1, name="lock_a")
    at(0.03, 2, "acquired", 12, obj=1, waited=0.0)
    at(0.03, 3, "name", obj=2, name="lock_b")
    at(0.03, 3, "acquired", 19, obj=2, waited=0.0)
    at(0.03, 2, "sleep", 13, seconds=0.1, wall=0.1)
    at(0.03, 3, "sleep", 20, seconds=0.1, wall=0.1)
    for n in range(3):
        at(0.04 + n / 100, 4, "data", 27, name="done", value=list(range(n + 1)))
        if n == 0:
            at(0.04, 4, "name", obj=3, name="jobs")
        at(0.04 + n / 100, 4, "put", 28, obj=3, item=str(n), size=n + 1)
        at(0.04 + n / 100, 4, "out", stream="stdout", text=f"napper put {n}")
        at(0.04 + n / 100, 4, "out", stream="stdout", text="\n")
    at(0.13, 2, "sleep-end", 13)
    at(0.13, 3, "sleep-end", 20)
    at(0.14, 2, "block", 14, obj=2)
    at(0.14, 3, "block", 21, obj=1)
    at(0.5, 4, "sleep", 30, seconds=5, wall=5)
    return stream


class StillSession:
    """Stands in for a Session: the header and the events above, then nothing; the
    program 'runs' until stopped."""

    def __init__(self, program: Path) -> None:
        self.header = {"kind": "header", "wire": "concviz-probe", "schema": 1,
                       "program": str(program), "shown_as": str(program), "argv": ["p.py"],
                       "python": "python3", "python_version": "3.11", "pid": 1, "t0": T0,
                       "seed": 7, "speed": 1.0, "show": ["done"], "output": "events"}
        self.pending = events(str(program))
        self.error = None
        self.pid = None
        self.stopped = False
        self.finished = False

    def start(self) -> None:
        pass

    def drain(self, max_items: int = 1000) -> list[dict[str, Any]]:
        taken, self.pending = self.pending[:max_items], self.pending[max_items:]
        return taken

    def poll(self) -> int | None:
        return -15 if self.stopped else None

    def send(self, cmd: str, **fields: Any) -> bool:
        return True

    def stop(self, grace: float = 2.0) -> None:
        self.stopped = True

    def exit_text(self) -> str:
        return "ended by concviz (SIGTERM)" if self.stopped else "still running"


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_snapshot_of_a_deadlocked_program(snap_compare, tmp_path, size):
    path = tmp_path / "deadlock.py"
    path.write_text(SOURCE)
    screen = WatchScreen(Program(path, "deadlock.py"), lambda: StillSession(path),
                         clock=lambda: T0 + NOW)

    async def shown(pilot) -> None:
        await pilot.app.push_screen(screen)
        await until(lambda: screen.pane.session is not None and not screen.pane.session.pending
                    and screen.pane.findings is not None and screen.pane.findings.display,
                    "the events were not drawn")
        await pilot.pause()

    assert snap_compare(ConcvizApp(autostart=False, sampler=StillSampler), run_before=shown,
                        terminal_size=size)
