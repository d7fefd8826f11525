"""Shared test helpers: run a demo fast and collect its whole event stream."""

from __future__ import annotations

import threading

from concviz.engine.demo import Demo
from concviz.engine.events import Event


def run_all(demo: Demo) -> list[Event]:
    demo.run_blocking()
    return list(demo.channel)


def demo_threads_alive() -> list[threading.Thread]:
    """Threads other than the main one and pytest's own (demo threads are named by role)."""
    return [t for t in threading.enumerate() if t is not threading.main_thread() and t.is_alive()]
