"""A key that restarts a run says so, and one key means one thing in every pane."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.binding import Binding

from concviz.ui.panes.pool import PoolPane
from concviz.ui.panes.programs import FuturesPane, ProducerConsumerPane
from tests.helpers import StillSampler, until
from tests.pane_app import PaneApp

STYLES = Path(__file__).parent.parent / "concviz" / "ui" / "styles"


@pytest.mark.parametrize(("key", "said"), [
    ("f", "Restarted: factorial(7) raises"), ("right_square_bracket", "Restarted: 100 futures"),
])
async def test_each_futures_key_that_restarts_says_so(key, said):
    pane = FuturesPane(speed=0.1)  # a run of seconds: still going at the key
    toasts: list[str] = []
    async with PaneApp(pane).run_test() as pilot:
        pilot.app.notify = lambda message, **kw: toasts.append(message)
        await until(lambda: pane.live, "the run did not start")
        first = pane.session
        await pilot.press(key)
        assert toasts == [said] and pane.session is not first


async def test_the_lock_key_says_it_restarted():
    pane = ProducerConsumerPane()
    toasts: list[str] = []
    async with PaneApp(pane).run_test() as pilot:
        pilot.app.notify = lambda message, **kw: toasts.append(message)
        await pilot.press("l")
        assert toasts == ["Restarted: producer-consumer-no-lock (the same list with no lock)"]
        await pilot.press("l")
        assert toasts[-1] == "Restarted: producer-consumer (a list shared under threading.Lock)"


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
    assert all(len(said) == 1 for said in meanings.values()), meanings
    assert meanings["e"] == {"executor"}
    assert "x" not in {b.key for b in Binding.make_bindings(PoolPane.BINDINGS)}
