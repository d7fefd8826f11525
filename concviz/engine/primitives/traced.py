"""Waiting for a demo's workers in a way that ends on stop()."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from concviz.engine.demo import Demo
from concviz.engine.traced_lock import POLL


def join_all(demo: Demo, threads: Iterable[threading.Thread]) -> None:
    """``join()`` each thread, looking at stop() between short joins."""
    for thread in threads:
        while thread.is_alive():
            thread.join(POLL)
            demo.check_stop()
