"""Shared test helpers: run a demo fast and collect its whole event stream."""

from __future__ import annotations

import asyncio
import threading
import time

from concviz.engine.demo import Demo
from concviz.engine.events import Event


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


async def dashboard_ready(pilot, timeout: float = 10.0) -> None:
    """Wait for what the dashboard adds after its first frame: the first pane's focus
    (unless the terminal is too small to show it) and the other panes."""
    from concviz.ui.app import PANES

    app = pilot.app
    deadline = time.monotonic() + timeout
    while len(app.panes) < len(PANES) or (
            app.query_one("#main").display and app.dashboard.screen.focused is None):
        assert time.monotonic() < deadline, "the dashboard did not complete"
        await asyncio.sleep(0.02)
    await pilot.pause()
