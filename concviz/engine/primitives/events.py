"""Events shared by the primitive demos: a thread really blocked on a primitive, and woke.

Lock-like acquisitions (Lock, RLock, the Semaphores, a Condition's lock) use the
generic lock events of ``concviz.engine.traced_lock``; waits that are not an
acquisition (an Event, a Condition, a full or empty Queue) use these two.
"""

from __future__ import annotations

from dataclasses import dataclass

from concviz.engine.events import Event


@dataclass(frozen=True, slots=True)
class Waiting(Event):
    """The thread blocks on ``on`` (a non-blocking try failed first) because of ``why``."""

    on: str = ""
    why: str = ""


@dataclass(frozen=True, slots=True)
class Woken(Event):
    """The blocking call on ``on`` returned after ``waited`` wall seconds."""

    on: str = ""
    waited: float = 0.0
