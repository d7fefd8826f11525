"""The lock-free program's race window is a line of the program shown, a key sets it
to 0, and every race is told where it happened (issue 11)."""

from __future__ import annotations

import pytest

from concviz.commands.producer_consumer import summary_line, transcript_line
from concviz.engine.producer_consumer import (
    HeadChecked,
    ProducerConsumer,
    RaceDetected,
    RunFinished,
)
from concviz.ui.listings.producer_consumer import listing
from concviz.ui.models.producer_consumer import ProducerConsumerModel, narrate
from concviz.ui.panes.producer_consumer import ProducerConsumerPane
from concviz.ui.widgets.event_log import EventLog
from tests.helpers import run_all
from tests.pane_app import PaneApp, wait_finished

SLEEP_LINE = ("time.sleep(RACE_WINDOW)  # widen the gap between check and act, "
              "or the race almost never shows")


def demo(**kwargs) -> ProducerConsumer:
    options = {"items": 40, "consumers": 4, "lock": False, "speed": 10.0,
               "producer_sleep": (0.0, 0.01), "consumer_sleep": (0.0, 0.01)}
    return ProducerConsumer(**{**options, **kwargs})


def test_the_lock_free_listing_shows_the_window_it_runs_with():
    code = listing(False).code
    assert "RACE_WINDOW = 0.002" in code and SLEEP_LINE in code
    lines = code.splitlines()
    sleep = next(i for i, line in enumerate(lines) if SLEEP_LINE in line)
    assert "if shared_list" in lines[sleep - 1] and "pop(0)" in lines[sleep + 1]
    bare = listing(False, race_window=0).code
    assert "RACE_WINDOW" not in bare  # as the seed wrote it: nothing between check and pop
    assert "RACE_WINDOW" not in listing(True).code


def test_the_window_marks_the_sleep_line():
    shown = listing(False)
    line = shown.line_for(HeadChecked(t=0, thread="Consumer-1", item=3), "consumer")
    assert SLEEP_LINE in shown.code.splitlines()[line - 1]


def test_with_a_window_of_0_nothing_runs_between_check_and_pop():
    events = run_all(demo(race_window=0.0, seed=1))
    assert not any(isinstance(e, HeadChecked) for e in events)
    done = events[-1]
    assert isinstance(done, RunFinished) and done.race_window == 0.0
    assert "race window 0 ms" in summary_line(done)


def test_every_race_has_a_transcript_line_that_says_what_happened():
    for seed in range(30):
        events = run_all(demo(seed=seed))
        races = [e for e in events if isinstance(e, RaceDetected)]
        if any(r.race == "empty-pop" for r in races) and any(
                r.race == "stolen-head" for r in races):
            break
    else:
        pytest.fail("no run had both kinds of race")
    for race in races:
        line = transcript_line(race)
        assert line.startswith(f"RACE ({race.race}) in {race.thread}: saw {race.item}")
        if race.race == "empty-pop":
            assert "raises IndexError" in line and f"ends {race.thread}'s thread" in line
        else:
            assert "still consumed once" in line
        if race.other:
            assert race.other != race.thread and race.other in line
    done = events[-1]
    summary = summary_line(done)
    assert f"{done.stolen_heads} stolen head" in summary and "each item still consumed" in summary
    assert f"{done.empty_pops} empty pop" in summary and "IndexError" in summary


@pytest.mark.parametrize("consumers", [1, 2])
def test_one_consumer_is_never_said_to_race(consumers):
    model = ProducerConsumerModel(locked=False)
    events = run_all(demo(consumers=consumers, items=5, seed=2))
    for event in events[:-1]:
        model.apply(event)
    said, _ = narrate(events[-1], model)
    if consumers == 1:
        assert "by luck" not in said and "nothing to race with" in said
    else:
        assert said.startswith("Done:")


async def test_the_pane_says_the_window_and_w_restarts_without_it():
    pane = ProducerConsumerPane(lock=False, consumers=3, items=4)  # at 1x: the window as set
    toasts: list[str] = []
    async with PaneApp(pane).run_test() as pilot:
        pilot.app.notify = lambda message, **kw: toasts.append(message)
        await pilot.press("space")
        await wait_finished(pilot, pane)
        assert "race window 2 ms" in pane.model.caption.text or "race" in pane.model.caption.text
        assert "race window 2 ms" in str(pane.query_one(".pc-lock").render().warning)
        await pilot.press("W")
        assert toasts == ["Restarted: NO lock, race window 0 ms"]
        assert pane.demo.race_window == 0.0
        assert "race window 0" in pane.query_one(".pc-lock").render().warning
        assert SLEEP_LINE not in pane.listing.code
        await wait_finished(pilot, pane)
        log = pane.query_one(EventLog).text
        assert "race window 0 ms" in log


async def test_one_consumer_without_the_lock_does_not_say_races_possible():
    pane = ProducerConsumerPane(lock=False, consumers=1, items=3, speed=10.0)
    async with PaneApp(pane).run_test() as pilot:
        await pilot.press("space")
        await wait_finished(pilot, pane)
        warning = pane.query_one(".pc-lock").render().warning
        assert "races possible" not in warning and "nothing to race with" in warning
        assert "by luck" not in pane.model.caption.text


@pytest.mark.parametrize(("consumers", "window"), [(1, 0.002), (3, 0.002), (3, 0.0)])
def test_the_no_lock_warning_fits_the_lock_line_of_a_half_width_pane(consumers, window):
    from concviz.ui.renderables.lock_box import no_lock_warning

    assert len(no_lock_warning(consumers, window)) <= 52  # the box's inside at 120x40


async def test_the_race_window_said_is_the_wait_at_this_speed():
    """Speed scales every sleep, the race window's too: at 10x it is 0.2 ms."""
    pane = ProducerConsumerPane(lock=False, consumers=3, items=4, speed=10.0)
    async with PaneApp(pane).run_test() as pilot:
        await pilot.press("space")
        await wait_finished(pilot, pane)
        assert "race window 0.2 ms" in pane.query_one(".pc-lock").render().warning
