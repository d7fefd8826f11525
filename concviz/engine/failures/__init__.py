"""Failure demos of the gallery: sharing between processes, and what goes wrong
when threads and processes raise or deadlock (seed ques.5 and ques.6)."""

from __future__ import annotations

from concviz.engine.demo import Demo
from concviz.engine.failures.dead_lock_holder import DeadLockHolder
from concviz.engine.failures.lock_order import LockOrder
from concviz.engine.failures.mp_counter import MpCounter
from concviz.engine.failures.mp_queue import MpQueue
from concviz.engine.failures.process_exception import ProcessException
from concviz.engine.failures.thread_exception import ThreadException

GALLERY: list[type[Demo]] = [
    MpCounter,
    MpQueue,
    ThreadException,
    DeadLockHolder,
    LockOrder,
    ProcessException,
]
