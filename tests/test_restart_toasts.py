"""A key that restarts a run says so, and one key means one thing in every pane."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.binding import Binding

from concviz.ui.panes.futures import FuturesPane
from concviz.ui.panes.pool import PoolPane
from concviz.ui.panes.producer_consumer import ProducerConsumerPane
from tests.helpers import StillSampler, until
from tests.pane_app import PaneApp

STYLES = Path(__file__).parent.parent / "concviz" / "ui" / "styles"


@pytest.mark.parametrize(("key", "said"), [
    ("f", "Restarted: factorial("), ("left_square_bracket", "Restarted: max_workers=3"),
    ("right_square_bracket", "Restarted: max_workers=5"), ("d", "Restarted: delay "),
    ("e", "Restarted: process executor"), ("m", "Restarted: 100 futures"),
])
async def test_each_futures_key_that_restarts_says_so(key, said):
    pane = FuturesPane(workers=4, speed=0.1)  # a run of minutes: still going at the key
    toasts: list[str] = []
    async with PaneApp(pane, extra_css=[STYLES / "futures.tcss"]).run_test() as pilot:
        pilot.app.notify = lambda message, **kw: toasts.append(message)
        await pilot.press("space")
        await until(lambda: pane.running, "the run did not start")
        await pilot.press(key)
        assert len(toasts) == 1 and toasts[0].startswith(said), toasts


async def test_the_lock_key_says_it_restarted():
    pane = ProducerConsumerPane(items=200)
    toasts: list[str] = []
    async with PaneApp(pane).run_test() as pilot:
        pilot.app.notify = lambda message, **kw: toasts.append(message)
        await pilot.press("space", "l")
        assert toasts == ["Restarted: NO lock, race window 2 ms"]
        await pilot.press("l")
        assert toasts[-1] == "Restarted: lock ON"


async def test_the_pool_executor_key_restarts_a_run_and_says_so():
    pane = PoolPane(sampler=StillSampler, workload="sleep", speed=0.1)
    toasts: list[str] = []
    async with PaneApp(pane, extra_css=[STYLES / "pool.tcss"]).run_test() as pilot:
        pilot.app.notify = lambda message, **kw: toasts.append(message)
        await pilot.press("space")
        await until(lambda: pane.running, "the run did not start")
        await pilot.press("e")
        assert toasts and toasts[-1].startswith("Restarted: sleep · ProcessPoolExecutor")


def test_one_key_one_meaning_across_panes():
    meanings: dict[str, set[str]] = {}
    for pane in (FuturesPane, PoolPane, ProducerConsumerPane):
        for binding in Binding.make_bindings(pane.BINDINGS):
            meanings.setdefault(binding.key, set()).add(binding.description.lower())
    assert meanings["e"] == {"executor"}
    assert "x" not in {b.key for b in Binding.make_bindings(PoolPane.BINDINGS)}
