"""Readable at 120x40: no "…" cuts a lesson pane's title or status (its speed), a card,
the pool's headline or a future's value."""

from __future__ import annotations

import re

import pytest
from rich.console import Console

from concviz.engine.pool_runs import RunStarting
from concviz.ui.labels import shortest_needed
from concviz.ui.models.futures import FutureState
from concviz.ui.models.pool import PoolModel, narrate
from concviz.ui.pane import Pane
from concviz.ui.panes.gallery import GalleryDemoPane
from concviz.ui.widgets.program.futures import FuturesSummary
from concviz.watch.state import FutureView, ProgramState
from tests.helpers import until
from tests.test_lesson import lesson_app
from tests.test_readable import screen_rows


def demo_panes(app) -> list[Pane]:
    return list(app.screen.query_one("#lesson-demo").query(Pane))


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
            speeds = (f" · {pane.speed:g}x · ", f"sleeps x{pane.speed:g}")  # engine, program
            assert any(speed in str(pane.border_subtitle) for speed in speeds)
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


@pytest.mark.parametrize(("page", "panes"), [(3, 1), (5, 2)])
async def test_lesson_cards_show_every_row(page, panes):
    """The process demos' cards (the engine's panes show theirs)."""
    async with lesson_app("--page", str(page)).run_test(size=(120, 40)) as pilot:
        await until(lambda: len(demo_panes(pilot.app)) == panes, "the page's panes")
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


def ten_factorials_two_failed() -> ProgramState:
    state = ProgramState()
    for n in range(1, 11):
        state.futures[n] = FutureView(n, "factorial", f"({n},)", state="done", result=str(n))
    for n, error in ((5, "BrokenProcessPool: gone"), (7, "ValueError: 7 is unlucky")):
        state.futures[n] = FutureView(n, "factorial", f"({n},)", state="failed", error=error)
    return state


@pytest.mark.parametrize("width", [40, 120])
def test_a_failed_future_cell_shows_a_whole_word(width):
    """The engine's futures cards showed a failed future's error type whole, or its state's
    word, never a stub of one: the box that replaced them must too."""
    console = Console(width=width)
    with console.capture() as capture:
        console.print(FuturesSummary(ten_factorials_two_failed(), 0.0))
    shown = capture.get()
    words = re.findall(r"#[57] [^✗\n]*✗ (\S+)", shown)  # a long call is cut, not the word
    assert words, shown  # #5 is in the first rows at any width
    for word in words:
        assert word in ("BrokenProcessPool", "ValueError", FutureState.FAILED.word), shown
