"""Shared test helpers: run a demo fast and collect its whole event stream."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from concviz.engine.demo import Demo
from concviz.engine.events import Event


def run_all(demo: Demo) -> list[Event]:
    demo.run_blocking()
    return list(demo.channel)


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
