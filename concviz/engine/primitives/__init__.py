"""Primitive demos of the gallery: seed ques.5's tools for sharing between threads,
each a small real program using the real primitive."""

from __future__ import annotations

from concviz.engine.demo import Demo
from concviz.engine.primitives.barrier import BarrierDemo
from concviz.engine.primitives.condition import ConditionDemo
from concviz.engine.primitives.event_flag import EventDemo
from concviz.engine.primitives.lock import LockDemo
from concviz.engine.primitives.rlock import RLockDemo
from concviz.engine.primitives.semaphore import BoundedSemaphoreDemo, SemaphoreDemo
from concviz.engine.primitives.work_queue import QueueDemo

GALLERY: list[type[Demo]] = [
    LockDemo,
    RLockDemo,
    SemaphoreDemo,
    BoundedSemaphoreDemo,
    ConditionDemo,
    EventDemo,
    QueueDemo,
    BarrierDemo,
]
