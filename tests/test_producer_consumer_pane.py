"""The producer/consumer pane, driven by keys as a teacher would."""

from __future__ import annotations

import threading

from concviz.cli import build_parser
from concviz.engine.producer_consumer import RunFinished
from concviz.ui.app import ConcvizApp
from concviz.ui.panes.producer_consumer import ProducerConsumerPane
from concviz.ui.widgets.event_log import EventLog
from concviz.ui.widgets.lanes import ThreadLanes
from tests.helpers import held, shown, until
from tests.pane_app import PaneApp, wait_finished


def pc_threads() -> list[str]:
    return [
        t.name for t in threading.enumerate()
        if t.name.startswith(("Producer", "Consumer", "producer-consumer"))
    ]


async def test_space_starts_pauses_and_resumes_the_real_run():
    pane = ProducerConsumerPane(seed=1, speed=10, items=200)  # some 4 s: on till the end
    async with PaneApp(pane).run_test() as pilot:
        assert pane.demo is None and pane.status.startswith("ready")
        await pilot.press("space")
        assert pane.running and not pane.demo.paused
        await pilot.pause(0.3)
        await pilot.press("space")
        assert pane.demo.paused and pane.status.startswith("PAUSED")
        await until(lambda: held(pane.demo) and shown(pane),
                    "the paused threads did not all stop at the gate")
        produced = pane.model.produced
        await pilot.pause(0.5)
        assert pane.model.produced == produced  # held: the real threads do not move
        await pilot.press("space")
        await until(lambda: pane.model.produced > produced, "resumed, nothing was produced")


async def test_speed_keys_change_the_running_demo():
    pane = ProducerConsumerPane(seed=1, items=50)
    async with PaneApp(pane).run_test() as pilot:
        await pilot.press("space", "plus", "plus")
        assert pane.speed == 4.0 and pane.demo.speed == 4.0
        await pilot.press("minus")
        assert pane.demo.speed == 2.0
        assert "2x" in pane.border_subtitle
        for _ in range(10):
            await pilot.press("minus")
        assert pane.demo.speed == 0.1


async def test_l_really_removes_the_lock_and_restarts():
    pane = ProducerConsumerPane(seed=1, speed=10, items=20)
    async with PaneApp(pane).run_test() as pilot:
        await pilot.press("space")
        first = pane.demo
        await pilot.press("l")
        assert pane.demo is not first and first.finished.is_set()
        assert pane.demo.use_lock is False and pane.model.locked is False
        await wait_finished(pilot, pane)
        assert isinstance(pane.model.finished, RunFinished)
        assert pane.model.finished.locked is False


async def test_r_restarts_with_a_new_seed():
    pane = ProducerConsumerPane(seed=7, speed=10, items=20)
    async with PaneApp(pane).run_test() as pilot:
        await pilot.press("space")
        first = pane.demo
        await pilot.press("r")
        assert pane.seed == 8 and pane.demo.seed == 8 and pane.demo is not first
        assert not first.alive_threads()


async def test_screen_shows_exactly_what_the_events_said():
    pane = ProducerConsumerPane(seed=3, speed=10, items=12, producers=2, consumers=2)
    async with PaneApp(pane).run_test() as pilot:
        await pilot.press("space")
        await wait_finished(pilot, pane)
        model = pane.model
        assert model.produced == model.consumed == 12
        assert model.contents == () == tuple(pane.demo.shared_list)
        lanes = pane.query_one(ThreadLanes).lanes.lanes
        assert {"Producer-1", "Producer-2", "Consumer-1", "Consumer-2"} <= set(lanes)
        text = pane.query_one(EventLog).text
        assert "Final list: []" in text and "Summary: 12 items" in text


async def test_quitting_mid_run_leaves_no_demo_thread():
    # 1000 items take minutes: the threads can only be gone because quitting stopped them
    app = ConcvizApp(build_parser().parse_args(["run", "producer-consumer", "--items", "1000"]))
    async with app.run_test() as pilot:
        await until(lambda: "Producer" in pc_threads(), "the run did not start its threads")
        await pilot.press("q")
    await until(lambda: pc_threads() == [], "demo threads outlived the app", timeout=1.0)


def test_snapshot_of_a_finished_run(snap_compare):
    # A fast producer and a slow consumer: all the items are in the list at least
    # 0.4 s before the consumer first wakes, so the screen does not depend on timing.
    pane = ProducerConsumerPane(seed=144, speed=2.0, items=6, producer_sleep=(0.001, 0.002),
                                consumer_sleep=(0.9, 1.0))

    async def run_to_the_end(pilot):
        await pilot.press("space")
        await wait_finished(pilot, pane)

    assert snap_compare(PaneApp(pane), run_before=run_to_the_end, terminal_size=(100, 40))
