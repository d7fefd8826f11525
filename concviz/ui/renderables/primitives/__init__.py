"""The primitive demos' own pictures, one StateView per gallery demo, and the
lane states their waits add to the shared thread lanes."""

from __future__ import annotations

from collections.abc import Callable

from concviz.engine.events import Event
from concviz.engine.primitives.barrier import Arrived, Broken, Passed
from concviz.engine.primitives.condition import LOCK, Rechecked, WokenByConcviz
from concviz.engine.primitives.events import Waiting, Woken
from concviz.engine.primitives.rlock import LABEL, RLockCount
from concviz.engine.primitives.work_queue import AllDone
from concviz.ui.models.lanes import Lanes, LaneState
from concviz.ui.models.state_view import StateView
from concviz.ui.renderables.primitives.locks import LockView, RLockView, SemaphoreView
from concviz.ui.renderables.primitives.waits import (
    BarrierView,
    ConditionView,
    EventView,
    QueueView,
)

VIEWS: dict[str, Callable[[], StateView]] = {
    "lock": LockView,
    "rlock": RLockView,
    "semaphore": SemaphoreView,
    "bounded-semaphore": lambda: SemaphoreView(bounded=True),
    "condition": ConditionView,
    "event": EventView,
    "queue": QueueView,
    "barrier": BarrierView,
}


def fold_lanes(lanes: Lanes, event: Event) -> None:
    """``lanes.apply(event)``, plus the states of waits that are not a lock acquire
    (Lanes' documented ``set_state`` extension)."""
    lanes.apply(event)
    if event.thread not in lanes.lanes:
        return
    match event:
        case Waiting(on=on, why=why):
            lanes.set_state(event, LaneState.BLOCKED, f"{on}: {why}")
        case Woken(on=on):
            lanes.set_state(event, LaneState.RUNNING, f"woke on {on}")
        case AllDone():
            lanes.set_state(event, LaneState.RUNNING, "queue.join() returned")
        case Rechecked(ok=ok):
            lanes.set_state(event, LaneState.HOLDING,
                            f"{LOCK}, woken: " + ("goes on" if ok else "waits again"))
        case WokenByConcviz():
            lanes.set_state(event, LaneState.HOLDING, f"{LOCK}, woken by concviz: stops")
        case RLockCount(count=count) if count:
            lanes.set_state(event, LaneState.HOLDING, f"{LABEL}, count {count}")
        case Arrived(meeting=meeting):
            lanes.set_state(event, LaneState.BLOCKED, f"barrier: meeting {meeting}")
        case Passed(index=index):
            lanes.set_state(event, LaneState.RUNNING, f"passed the barrier ({index})")
        case Broken():
            lanes.set_state(event, LaneState.RUNNING, "BrokenBarrierError")
