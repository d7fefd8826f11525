"""A worker process killed mid-run breaks a ProcessPoolExecutor, as in any program:
every future not done raises BrokenProcessPool. concviz shows that (the worker died,
the pool is broken, how each worker ended) and still ends cleanly."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from concviz.engine.futures import FactorialFutures, FutureYielded, PoolBroken
from concviz.ui.models.futures import FuturesModel, FutureState, narrate
from concviz.ui.panes.futures import FuturesPane
from concviz.ui.widgets.event_log import EventLog
from tests.helpers import demo_children, until, wait_until
from tests.pane_app import PaneApp, wait_finished

CSS = Path(__file__).parent.parent / "concviz" / "ui" / "styles" / "futures.tcss"
SLOW = 0.1  # each task sleeps up to 10 s: the pool is still at work when one dies


def test_the_engine_reports_the_broken_pool_and_how_each_worker_ended():
    demo = FactorialFutures(seed=0, executor="process", speed=SLOW).start()
    try:
        seen: list = []

        def started() -> bool:
            seen.extend(demo.channel.drain(1000))
            return any(getattr(e, "pid", 0) for e in seen)

        wait_until(started, "a task started in a worker", 30)
        victim = next(e.pid for e in seen if getattr(e, "pid", 0))
        os.kill(victim, signal.SIGKILL)
        assert demo.finished.wait(10), "the broken pool left the run hanging"
    finally:
        demo.stop()
    events = seen + demo.channel.drain(10_000)
    yielded = [e for e in events if isinstance(e, FutureYielded)]
    assert len(yielded) == 10
    assert all(e.error.startswith("BrokenProcessPool") for e in yielded if e.error)
    broken = [e for e in events if isinstance(e, PoolBroken)]
    assert len(broken) == 1 and (victim, -signal.SIGKILL) in broken[0].exits
    assert not demo_children()


async def test_the_pane_says_the_pool_broke_because_a_worker_died():
    pane = FuturesPane(seed=0, executor="process", speed=SLOW)
    async with PaneApp(pane, extra_css=[CSS]).run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        model = pane.model
        await until(lambda: any(c.state is FutureState.RUNNING for c in model.cards.values()),
                    "a future running in a worker process", 30)
        running = next(c for c in model.cards.values() if c.state is FutureState.RUNNING)
        os.kill(int(running.worker.removeprefix("pid ")), signal.SIGKILL)
        await wait_finished(pilot, pane)
        assert {card.state for card in model.cards.values()} <= {FutureState.FAILED,
                                                                  FutureState.DONE}
        assert model.cards[running.n].error.startswith("BrokenProcessPool")
        assert model.running == 0
        assert all(bar.end is not None for bars in model.rows.values() for bar in bars)
        log = "\n".join(each.text for each in pane.query(EventLog))  # output and notes
        assert "BrokenProcessPool: a worker process died" in log
        assert f"{running.worker} SIGKILL" in log
    said, weight = narrate(PoolBroken(t=1.0, thread="futures-main", exits=((1, -9),)),
                           FuturesModel())  # the caption, for as long as nothing outranks it
    assert said.startswith("BrokenProcessPool: a worker process died") and weight == 2
    assert not demo_children()
