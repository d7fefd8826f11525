"""Failure demos of the gallery: sharing between processes, and what goes wrong
when threads and processes raise or deadlock (seed ques.5 and ques.6).

``GALLERY`` is imported on first use: every child process the demos spawn
imports ``workers`` from this package, and should not pay for every demo."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concviz.engine.demo import Demo


def __getattr__(name: str) -> list[type[Demo]]:
    if name != "GALLERY":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from concviz.engine.failures.dead_lock_holder import DeadLockHolder
    from concviz.engine.failures.lock_order import LockOrder
    from concviz.engine.failures.mp_counter import MpCounter
    from concviz.engine.failures.mp_queue import MpQueue
    from concviz.engine.failures.process_exception import ProcessException
    from concviz.engine.failures.thread_exception import ThreadException

    return [MpCounter, MpQueue, ThreadException, DeadLockHolder, LockOrder, ProcessException]
