"""The futures pane, driven by keys as a teacher would."""

from __future__ import annotations

import math
import threading
import time
from pathlib import Path

from rich.console import Console

from concviz.engine.futures import FactorialFutures
from concviz.ui.models.futures import Bar, FutureCard, FutureState
from concviz.ui.panes.futures import FuturesPane
from concviz.ui.renderables.completion_order import CompletionOrder
from concviz.ui.renderables.future_card import FutureDetail
from concviz.ui.renderables.gantt import Gantt
from concviz.ui.widgets.drawing import Drawing
from concviz.ui.widgets.event_log import EventLog
from tests.helpers import demo_children, until
from tests.pane_app import PaneApp, wait_finished

CSS = Path(__file__).parent.parent / "concviz" / "ui" / "styles" / "futures.tcss"


def app_for(pane: FuturesPane) -> PaneApp:
    return PaneApp(pane, extra_css=[CSS])


def pool_threads() -> list[str]:
    return [t.name for t in threading.enumerate()
            if t.name.startswith(("Worker_", "futures-")) and t.is_alive()]


def states(pane: FuturesPane) -> dict[int, FutureState]:
    return {n: card.state for n, card in pane.model.cards.items()}


async def test_a_run_shows_every_future_done_and_arrows_select_one_in_full():
    pane = FuturesPane(seed=2, speed=10)
    async with app_for(pane).run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        await wait_finished(pilot, pane)
        model = pane.model
        assert sorted(model.cards) == list(range(1, 11))
        for n, card in model.cards.items():
            assert card.state is FutureState.DONE and card.result == math.factorial(n)
            assert card.worker.startswith("Worker_") and card.position is not None
        assert sorted(model.order) == list(range(1, 11))
        assert [model.cards[n].position for n in model.order] == list(range(1, 11))
        assert model.order == list(model.finished.completed)
        assert 1 <= model.max_running <= 4 and model.running == 0
        assert {bar.n for bars in model.rows.values() for bar in bars} == set(range(1, 11))
        printed, notes = (pane.query_one(f".fu-{name}", EventLog).text for name in ("log", "notes"))
        assert "Factorial of 10 is 3628800" in printed and "Summary: 10 futures" in notes
        assert "Summary" not in printed and "Factorial of" not in notes  # kept apart
        await pilot.press("down")
        assert pane.selected == 1
        await pilot.press("up", "up", "down")
        assert pane.selected == 10
        detail = pane.query_one(".fu-detail", Drawing).render()
        assert isinstance(detail, FutureDetail) and detail.card.n == 10
        assert detail.card.result == 3628800 and detail.lines > 1  # zoomed: room for it all


async def test_keys_change_the_program_and_quitting_leaves_nothing_behind():
    pane = FuturesPane(seed=1, speed=10, delay="none")
    async with app_for(pane).run_test() as pilot:
        await pilot.press("right_square_bracket")
        first = pane.demo
        assert (pane.max_workers, first.workers) == (5, 5)
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert pane.demo.workers == 3 and pane.demo is not first
        await pilot.press("d", "m", "f")
        assert (pane.demo.delay, pane.demo.n_max, pane.demo.fail) == ("random", 100, 70)
        assert "70! fails" in pane.border_title
        await wait_finished(pilot, pane)
        assert states(pane)[70] is FutureState.FAILED
        assert pane.model.cards[70].error == "ValueError: factorial(70) failed on purpose"
        assert all(s is FutureState.DONE for n, s in states(pane).items() if n != 70)
        assert "Factorial of 70 failed: ValueError" in pane.query_one(EventLog).text
        await pilot.press("r")
        assert pane.seed == 2 and pane.demo.seed == 2 and pane.demo.fail == 70
        # At 10x a process run of 100 ends in ~0.3 s; at 0.1x it lasts some 18 s, so it is
        # surely running when the test quits (not by luck of the timing), and whatever it
        # leaves can only be gone within the wait below because quitting ended it
        await pilot.press(*["minus"] * 6)
        assert pane.speed == 0.1
        await pilot.press("e")  # a ProcessPoolExecutor, its children starting: quit now
        assert pane.demo.executor == "process" and pane.running
    await until(lambda: pool_threads() == [] and demo_children() == [],
                "the pool's threads or processes outlived the app", timeout=2.0)


async def test_x_cancels_the_pending_futures_only():
    """Paused with one worker mid-task, the futures announced after it are pending."""
    pane = FuturesPane(seed=3, speed=1, n_max=30, workers=1)
    async with app_for(pane).run_test() as pilot:
        await pilot.press("space", "full_stop")  # run, then pause at once
        assert pane.demo.paused

        def published() -> int:  # events out of the demo: drained, or still in its channel
            return pane.events_seen + len(pane.demo.channel)

        def ready() -> bool:
            started = [n for n, s in states(pane).items() if s is not FutureState.PENDING]
            return bool(started) and max(pane.model.cards) >= max(started) + 2

        async def step() -> None:
            before = published()
            await pilot.press("full_stop")
            await until(lambda: published() > before and pane.model.version == published(),
                        "no event came through")

        # Paused, the demo publishes only what a step lets through. Each check of ready()
        # waits until the model shows all of it: it never lags, so no step is one too many.
        await until(lambda: pane.model.version == published(), "the model did not catch up")
        deadline = time.monotonic() + 10
        while not ready():
            assert time.monotonic() < deadline
            await step()
        await pilot.press("x", "plus", "plus", "plus", "space")  # the rest at 10x
        await wait_finished(pilot, pane)
        cards = pane.model.cards
        cancelled = [n for n, card in cards.items() if card.state is FutureState.CANCELLED]
        refused = [n for n, card in cards.items() if card.refused]
        assert cancelled and len(refused) == 1
        assert cancelled == list(range(refused[0] + 1, cancelled[-1] + 1))
        assert all(cards[n].worker == "" and cards[n].started is None for n in cancelled)
        assert cards[refused[0]].state is FutureState.DONE
        assert sorted(pane.model.order) == list(range(1, 31))  # cancelled ones are yielded too
        log = pane.query_one(".fu-notes", EventLog).text
        assert f"cancel(): the future of {cancelled[0]} was pending" in log
        assert f"the future of {refused[0]} is already running on Worker_0" in log
        printed = pane.query_one(".fu-log", EventLog).text  # what the listing prints
        assert f"Factorial of {cancelled[0]} was cancelled" in printed
        assert "was cancelled" not in log


async def test_a_thousand_futures_stay_one_widget_and_the_keys_answer():
    pane = FuturesPane(seed=4, speed=4, n_max=1000)
    async with app_for(pane).run_test(size=(120, 40)) as pilot:
        widgets = len(pane.query("*"))
        await pilot.press("space")
        slowest = 0.0
        while pane.running:
            started = time.monotonic()
            await pilot.press("down")
            slowest = max(slowest, time.monotonic() - started)
            await pilot.pause(0.1)
        await wait_finished(pilot, pane)
        assert len(pane.query("*")) == widgets < 20  # cards are drawn, not mounted
        assert slowest < 2.0  # typically tens of milliseconds
        cards = pane.model.cards
        assert len(cards) == 1000 and all(c.state is FutureState.DONE for c in cards.values())
        assert cards[1000].result == math.factorial(1000)


# Proportional work at 0.5x: task n takes 0.2 n s, so with 4 workers this is the
# schedule (worker, n, start, end), every edge at least 0.2 s from the next.
SCHEDULE = [(0, 1, 0.0, 0.2), (0, 5, 0.2, 1.2), (0, 9, 1.2, 3.0), (1, 2, 0.0, 0.4),
            (1, 6, 0.4, 1.6), (1, 10, 1.6, 3.6), (2, 3, 0.0, 0.6), (2, 7, 0.6, 2.0),
            (3, 4, 0.0, 0.8), (3, 8, 0.8, 2.4)]


def timeline(rows: dict[str, list[Bar]]) -> str:
    console = Console(width=49)  # the pane's inner width at 53 columns
    with console.capture() as capture:
        console.print(Gantt(rows, now=10.0))
    return capture.get()


def undisturbed(pane: FuturesPane) -> bool:
    """The run drew the timeline its schedule says. A machine loaded enough to start a
    thread a whole column (0.1 s) late draws another picture of the same program."""
    planned: dict[str, list[Bar]] = {}
    for worker, n, start, end in SCHEDULE:
        planned.setdefault(f"Worker_{worker}", []).append(Bar(n, start, end))
    return timeline(pane.model.rows) == timeline(planned)


def test_snapshot_of_a_finished_proportional_run(snap_compare):
    # 53 columns give the timeline 40 of them, 0.1 s each: each edge of the schedule
    # falls on a column boundary, a run may be up to 0.1 s late and draw the same.
    pane = FuturesPane(seed=7, speed=0.5, delay="proportional")

    async def run_to_the_end(pilot):
        for _ in range(4):
            await pilot.press("space")
            await wait_finished(pilot, pane)
            if undisturbed(pane):
                break
        assert undisturbed(pane)

    assert snap_compare(app_for(pane), run_before=run_to_the_end, terminal_size=(53, 20))


def test_the_default_demo_matches_the_seed():
    demo = FuturesPane().make_demo()
    assert isinstance(demo, FactorialFutures)
    assert (demo.n_max, demo.workers, demo.executor) == (10, 4, "thread")


def order_lines(order: list[int], width: int, failed: int | None = None) -> list[str]:
    cards = {n: FutureCard(n, state=FutureState.FAILED if n == failed else FutureState.DONE)
             for n in order}
    console = Console(width=width)
    with console.capture() as capture:
        console.print(CompletionOrder(order, cards, lines=2))
    return capture.get().splitlines()


def test_the_completion_order_reads_left_to_right_newest_kept():
    assert order_lines([3, 1, 2], 40, failed=1) == ["as_completed: 3! 1✗ 2!"]
    assert order_lines([10, 2, 7, 1], 20) == ["as_completed: 10! 2!", "7! 1!"]
    many = order_lines(list(range(100, 0, -1)), 30)  # too many: the newest that fit
    assert many[-1].endswith(" 3! 2! 1!") and many[0].startswith("as_completed: …")
    hidden = int(many[0].split("…")[1].split()[0])
    shown = sum(len(line.split()) for line in many) - 2  # less the label's two words
    assert hidden + shown == 100
