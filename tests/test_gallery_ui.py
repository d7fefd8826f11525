"""The gallery screen, driven by keys as a teacher would, and the failure demos' pictures."""

from __future__ import annotations

import threading

import pytest
from textual.app import App

from concviz.engine.failures import GALLERY as FAILURES
from concviz.engine.primitives import GALLERY as PRIMITIVES
from concviz.ui.app import STYLES
from concviz.ui.models.lanes import LaneState
from concviz.ui.screens.gallery import DemoPicker, GalleryScreen
from concviz.ui.widgets.event_log import EventLog
from tests.helpers import demo_children, held, shown, until
from tests.pane_app import wait_finished


class GalleryApp(App):
    """A bare app that opens the gallery, as the real app's g key does."""

    CSS_PATH = [STYLES / "app.tcss"]

    def __init__(self, **options) -> None:
        super().__init__()
        self.gallery = GalleryScreen(**options)

    def on_mount(self) -> None:
        self.push_screen(self.gallery)


def option_index(picker: DemoPicker, name: str) -> int:
    return next(i for i in range(picker.option_count) if picker.get_option_at_index(i).id == name)


async def pick(pilot, name: str):
    """Highlight ``name`` in the picker (its card shows) and press enter (it runs)."""
    gallery = pilot.app.gallery
    gallery.picker.highlighted = option_index(gallery.picker, name)
    await pilot.pause()
    await pilot.press("enter")
    return gallery.pane


async def test_the_picker_lists_every_gallery_demo_in_order():
    async with GalleryApp().run_test() as pilot:
        picker = pilot.app.gallery.picker
        ids = [picker.get_option_at_index(i).id for i in range(picker.option_count)]
        assert [i for i in ids if i] == [d.name for d in (*PRIMITIVES, *FAILURES)] + ["process"]
        assert pilot.app.focused is picker
        first = pilot.app.gallery.pane
        assert first.demo_class is PRIMITIVES[0] and first.demo is None  # shown, not run
        await pilot.press("down")
        assert pilot.app.gallery.pane.demo_class is PRIMITIVES[1]
        await pilot.press("g")
        assert pilot.app.screen is not pilot.app.gallery


async def test_pick_a_demo_run_it_to_the_end_then_go_back():
    async with GalleryApp(speed=10).run_test(size=(120, 40)) as pilot:
        pane = await pick(pilot, "dead-lock-holder")
        assert pilot.app.focused is pane and pane.demo is not None  # enter ran it
        await wait_finished(pilot, pane)
        view = pane.view
        assert view.kept and "deadlock" in view.kept[0].plain  # phase 1, remembered
        assert view.balance == 120
        lanes = pane.lanes.lanes
        assert lanes["bare-holder"].state is LaneState.FAILED
        assert lanes["with-waiter-1"].state is LaneState.FINISHED
        log = pane.query_one(EventLog).text
        assert "DEADLOCK (a lock whose owner is dead)" in log
        assert "Summary: without `with` the run deadlocked" in log
        await pilot.press("escape")
        assert pilot.app.focused is pilot.app.gallery.picker
        await pilot.press("escape")
        assert pilot.app.screen is not pilot.app.gallery


async def test_pane_keys_pause_step_speed_and_restart():
    async with GalleryApp(speed=1).run_test(size=(80, 24)) as pilot:
        pane = await pick(pilot, "lock-order")
        assert pilot.app.screen.has_class("-demo")  # small: the demo takes the width
        await pilot.press("space")
        assert pane.demo.paused
        await until(lambda: held(pane.demo) and shown(pane),
                    "the paused threads did not all stop at the gate")
        seen = pane.events_seen
        await pilot.pause(0.3)
        assert pane.events_seen == seen  # held at the gate: the real threads wait
        await pilot.press("full_stop")
        await until(lambda: pane.events_seen > seen, "no event came through")  # one step
        await pilot.press("plus")
        assert pane.demo.speed == 2.0
        first = pane.demo
        await pilot.press("r")
        assert pane.seed == 1 and pane.demo is not first
        assert first.finished.is_set() and not first.alive_threads()


async def test_choosing_another_demo_or_quitting_ends_the_run_and_its_processes():
    before = set(threading.enumerate())
    app = GalleryApp(speed=1)
    async with app.run_test() as pilot:
        pane = await pick(pilot, "lock-order")
        first = pane.demo
        await pilot.press("escape", "up")  # back to the picker, the demo above
        assert app.gallery.pane.demo_class.name == "dead-lock-holder"
        await until(first.finished.is_set, "the first run did not end")
        assert not first.alive_threads()
        pane = await pick(pilot, "process-exception")
        await until(lambda: pane.lanes.lanes, "no process came up")  # its first one is up
        await pilot.press("ctrl+q")  # quit the app mid-run, as q does in concviz
    assert pane.demo.finished.is_set()
    assert not demo_children()
    assert not [t for t in set(threading.enumerate()) - before if t.is_alive()]


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_snapshot_of_the_gallery(snap_compare, size):
    async def highlight(pilot):
        pilot.app.gallery.picker.highlighted = option_index(pilot.app.gallery.picker,
                                                            "dead-lock-holder")
        await pilot.pause()

    assert snap_compare(GalleryApp(), run_before=highlight, terminal_size=size)


def test_snapshot_of_a_finished_demo(snap_compare):
    # Seed 1 at 2x: the last lines of the transcript come at least 40 ms apart, so
    # their order (and everything else on screen) does not depend on timing.
    async def run_to_the_end(pilot):
        pane = await pick(pilot, "thread-exception")
        await wait_finished(pilot, pane)
        await pilot.pause(0.3)

    app = GalleryApp(seed=1, speed=2)
    assert snap_compare(app, run_before=run_to_the_end, terminal_size=(80, 24))


async def test_enter_on_a_demo_that_ran_starts_it_anew_and_says_so():
    async with GalleryApp(speed=10).run_test(size=(120, 40)) as pilot:
        toasts: list[str] = []
        pilot.app.notify = lambda message, **kw: toasts.append(message)
        pane = await pick(pilot, "lock")
        assert toasts == []  # the first run is no restart
        await wait_finished(pilot, pane)
        first = pane.demo
        pilot.app.gallery.picker.focus()
        await pilot.press("enter")
        assert toasts == ["Restarted: lock · seed 0"] and pane.demo is not first
