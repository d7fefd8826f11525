"""Readable at 120x40: no "…" cuts a lesson pane's title or status (its speed), a card,
the pool's headline or a future's value."""

from __future__ import annotations

import pytest
from rich.console import Console

from concviz.engine.pool_runs import RunStarting
from concviz.ui.labels import shortest_needed
from concviz.ui.models.futures import FutureCard, FutureState
from concviz.ui.models.pool import PoolModel, narrate
from concviz.ui.pane import DemoPane
from concviz.ui.panes.gallery import GalleryDemoPane
from concviz.ui.renderables.future_card import FutureCards
from tests.helpers import until
from tests.test_lesson import lesson_app
from tests.test_readable import screen_rows


def demo_panes(app) -> list[DemoPane]:
    return list(app.screen.query_one("#lesson-demo").query(DemoPane))


@pytest.mark.parametrize("page", [1, 5, 6])
async def test_two_pane_pages_show_titles_and_speeds_whole(page):
    async with lesson_app("--page", str(page)).run_test(size=(120, 40)) as pilot:
        await until(lambda: len(demo_panes(pilot.app)) == 2, "the page's two panes")
        # a pane sets its full labels as its run goes on; the screen fits them on its beat
        await until(lambda: "…" not in "".join(screen_rows(pilot.app)[1::37]),
                    "a box's title or status was cut")
        rows = screen_rows(pilot.app)
        top, bottom = rows[1], rows[-2]
        for pane in demo_panes(pilot.app):
            assert str(pane.border_title) in top
            assert f" · {pane.speed:g}x · " in str(pane.border_subtitle)
            assert str(pane.border_subtitle) in bottom


def test_a_label_keeps_the_part_that_names_its_thing():
    assert shortest_needed("Thread pool · ThreadPoolExecutor (ques.8)", 30) == \
        "ThreadPoolExecutor"
    assert shortest_needed("A thread dies holding a lock · dead-lock-holder", 30) == \
        "A thread dies holding a lock"
    assert shortest_needed("finished: space runs again, r new seed · 1x · seed 0", 30) == \
        "finished · 1x · seed 0"
    assert shortest_needed("threading.Lock · lock", 30) == "threading.Lock · lock"


def rows_needed(widget, renderable) -> int:
    console = Console(width=widget.content_size.width)
    return len(console.render_lines(renderable, console.options, pad=False))


@pytest.mark.parametrize("page", [5, 6])
async def test_lesson_cards_show_every_row(page):
    async with lesson_app("--page", str(page)).run_test(size=(120, 40)) as pilot:
        await until(lambda: len(demo_panes(pilot.app)) == 2, "the page's two panes")
        await pilot.pause()
        for pane in pilot.app.screen.query(GalleryDemoPane):
            card = pane.query_one(".gallery-card")
            assert card.content_size.height >= rows_needed(card, card.render()), \
                pane.demo_class.name


def test_the_pool_headline_ends_its_sentence():
    """"…" read as a cut headline; the pool is starting, and the sentence says so."""
    starting = RunStarting(0.0, "pool-main", of=1, workload="square", executor="pool",
                           inputs=10, cores=(0, 1), run=0, size=4)
    said, _ = narrate(starting, PoolModel((4,)))
    assert "…" not in said and said.endswith(".")


@pytest.mark.parametrize("width", [30, 34, 40, 56])
def test_a_failed_future_cell_shows_a_whole_word(width):
    cards = [FutureCard(n, state=FutureState.DONE, result=n) for n in range(1, 11)]
    cards[4] = FutureCard(5, state=FutureState.FAILED, error="BrokenProcessPool: gone")
    cards[6] = FutureCard(7, state=FutureState.FAILED, error="ValueError: 7 is unlucky")
    console = Console(width=width)
    with console.capture() as capture:
        console.print(FutureCards(cards), height=7)  # the cell grid, not the boxes
    shown = capture.get()
    assert " 5! ✗ " in shown and " 7! ✗ " in shown, shown
    for cell in (" 5! ✗ ", " 7! ✗ "):
        word = shown.split(cell)[1].split()[0]
        assert word in ("BrokenProcessPool", "ValueError", FutureState.FAILED.word), shown
