"""Step mode never shows a contradiction: a run stepped event by event is folded into
one model, and after every step the lanes, the lock box and the counters agree."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from concviz.engine.producer_consumer import ProducerConsumer
from concviz.engine.traced_lock import LockBlocked
from concviz.ui.models.lanes import LaneState
from concviz.ui.models.producer_consumer import ProducerConsumerModel
from concviz.ui.renderables.lock_box import LockBox
from tests.helpers import wait_until


def text(renderable) -> str:
    console = Console(width=200, file=io.StringIO())
    console.print(renderable)
    return console.file.getvalue()


def check_agreement(model: ProducerConsumerModel) -> None:
    lanes = model.lanes.lanes
    for lane in lanes.values():
        if lane.state is LaneState.WAITING:
            assert lane.name in model.waiters
            holder = f"{model.owner} holds lock" if model.owner else "lock: just freed"
            assert lane.detail == holder, (lane.detail, model.owner)
        assert (lane.state is LaneState.ASKING) == (lane.name in model.askers)
    assert all(lanes[w].state is LaneState.WAITING for w in model.waiters)
    if model.owner:
        assert lanes[model.owner].state is LaneState.HOLDING
    assert not any(lane.state is LaneState.HOLDING and lane.name != model.owner
                   for lane in lanes.values())
    box = text(LockBox(model.owner, model.waiters, askers=tuple(model.askers)))
    assert ("LOCKED by " + str(model.owner) in box) == bool(model.owner)
    assert ("free" in box) == (not model.owner)
    assert ("nobody waiting" in box) == (not model.waiters)
    assert all(name in box for name in [*model.waiters, *model.askers])
    assert len(model.contents) == model.produced - model.consumed


@pytest.mark.parametrize("seed", range(3))
def test_stepping_event_by_event_every_view_agrees(seed):
    demo = ProducerConsumer(items=6, producers=2, consumers=2, seed=seed,
                            producer_sleep=(0.0, 0.004), consumer_sleep=(0.0, 0.004))
    model = ProducerConsumerModel()
    demo.pause()  # held from its first event
    demo.start()
    blocks = 0
    try:
        while True:
            demo.step()  # exactly one event through
            wait_until(lambda: len(demo.channel) or demo.finished.is_set(), "no event came")
            for event in demo.channel.drain(100):
                if isinstance(event, LockBlocked):  # the holder it names is the stream's
                    blocks += 1
                    assert event.owner == (model.owner or "")
                    assert event.owner  # a taken Lock is never held unannounced
                model.apply(event)
                check_agreement(model)
            if demo.finished.is_set() and not len(demo.channel):
                break
    finally:
        demo.stop()
    assert model.finished is not None and model.consumed == 6
