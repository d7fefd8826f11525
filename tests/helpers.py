"""Shared test helpers: run a demo fast and collect its whole event stream."""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import concviz
from concviz.engine.demo import Demo
from concviz.engine.events import Event

CONCVIZ = str(Path(concviz.__file__).parent)
# Where a thread of a paused demo waits for a thread held at the gate (the lock that one
# holds, the round it has not begun): whatever it publishes next passes the gate first.
WAITS_FOR_THE_HELD = {"Demo.publish_when", "Traced.acquire", "WatchedLock.acquire",
                      "RoundGate.wait"}


def run_all(demo: Demo) -> list[Event]:
    demo.run_blocking()
    return list(demo.channel)


def demo_threads_alive() -> list[threading.Thread]:
    """Threads other than the main one and pytest's own (demo threads are named by role)."""
    return [t for t in threading.enumerate() if t is not threading.main_thread() and t.is_alive()]


def demo_children() -> list:
    """Child processes a demo left behind. multiprocessing's resource tracker is not
    one: spawn starts it once per interpreter and it ends with us."""
    import psutil

    def ours(child: psutil.Process) -> bool:
        try:
            return "resource_tracker" not in " ".join(child.cmdline())
        except psutil.Error:
            return False  # gone while we looked

    return [c for c in psutil.Process().children(recursive=True) if ours(c)]


class StillSampler:
    """Stands in for the pool pane's CpuSampler where a snapshot must not depend on
    the machine's load: it reports no samples, so the meters read "--"."""

    cores = (0, 1)

    def start(self) -> StillSampler:
        return self

    def stop(self, timeout: float = 1.0) -> None:
        pass

    def take(self) -> list:
        return []

    def watch(self, pids: set[int]) -> None:
        pass


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    """``until`` for a test that is not async."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {timeout:g} s"
        time.sleep(0.01)


def _where(frame) -> list[str]:
    """The concviz functions a thread is in, innermost first."""
    names = []
    while frame is not None:
        if frame.f_code.co_filename.startswith(CONCVIZ):
            names.append(frame.f_code.co_qualname)
        frame = frame.f_back
    return names


def held(demo: Demo) -> bool:
    """Whether every thread of the paused ``demo`` has stopped where only the gate lets it
    go on, so that no event is on its way: read off the threads' stacks, not the clock.
    A worker waits in the gate or for a thread held there; the demo's main thread may also
    be watching its workers, but not sleeping or publishing. A thread counts as waiting in
    the gate only while the gate's Condition lists it (one on its way out is not held)."""
    waiters = demo._gate._waiters
    listed = len(waiters)
    frames = sys._current_frames()
    in_gate = 0
    for thread in demo.alive_threads():
        where = _where(frames.get(thread.ident))
        if where[:1] == ["Demo._pass_gate"]:
            in_gate += 1
        elif thread.name == f"{demo.name}-main":
            if "Demo.emit" in where or "Demo.sleep" in where:
                return False
        elif not where or where[0] not in WAITS_FOR_THE_HELD:
            return False
    return in_gate == listed == len(waiters)


def shown(pane) -> bool:
    """Every event the pane's demo has published is drawn: none is left in its channel
    or in the batch the pane applies at the next beat."""
    return not len(pane.demo.channel) and not pane._pending


async def until(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    """Wait for what is sure to come, however loaded the machine: no fixed pause."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {timeout:g} s"
        await asyncio.sleep(0.02)


async def dashboard_ready(pilot, timeout: float = 10.0) -> None:
    """Wait for what the dashboard adds after its first frame: the first pane's focus
    (unless the terminal is too small to show it) and the other panes."""
    from concviz.ui.app import PANES

    app = pilot.app
    await until(lambda: len(app.panes) == len(PANES) and (
        not app.query_one("#main").display or app.dashboard.screen.focused is not None),
        "the dashboard did not complete", timeout)
    await pilot.pause()
