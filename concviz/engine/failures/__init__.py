"""Failure demos of the gallery that start processes: sharing between processes, and
what the parent learns when a child raises (seed ques.5 and ques.6). The thread
failures are programs under the probe (``concviz.programs``).

``GALLERY`` is imported on first use: every child process the demos spawn
imports ``workers`` from this package, and should not pay for every demo."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concviz.engine.demo import Demo


def __getattr__(name: str) -> list[type[Demo]]:
    if name != "GALLERY":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from concviz.engine.failures.mp_counter import MpCounter
    from concviz.engine.failures.mp_queue import MpQueue
    from concviz.engine.failures.process_exception import ProcessException

    return [MpCounter, MpQueue, ProcessException]
