"""``concviz lesson``: the seed's questions in order, each with its live demo."""

from __future__ import annotations

import pytest

from concviz.cli import build_parser, main
from concviz.lesson import PAGES
from concviz.ui.app import ConcvizApp
from concviz.ui.pane import DemoPane
from concviz.ui.screens.lesson import LessonScreen
from tests.helpers import until


def lesson_app(*argv: str) -> ConcvizApp:
    return ConcvizApp(build_parser().parse_args(["lesson", *argv]))


def test_pages_follow_the_seed_in_order():
    assert [page.number for page in PAGES] == list(range(1, 9))
    for page in PAGES:
        card = page.points
        assert page.question and page.explanation
        assert card.purpose and card.use_when and card.trade_off and card.say_in_class


async def test_next_and_back_turn_the_pages_and_run_each_demo():
    async with lesson_app("--page", "3").run_test(size=(120, 40)) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, LessonScreen) and screen.page.number == 3
        assert not pilot.app.query_one("#pc", DemoPane).running  # the dashboard waits
        await pilot.press("n")
        assert screen.page.number == 4

        def page_demo() -> DemoPane | None:
            return next(iter(screen.query_one("#lesson-demo").query(DemoPane)), None)

        # a real run, started by turning to the page (and lasting seconds)
        await until(lambda: (pane := page_demo()) is not None and pane.running,
                    "page 4's demo did not start")
        demo = page_demo().demo
        await pilot.press("b")
        assert screen.page.number == 3
        await until(lambda: demo.stopping, "leaving the page did not stop its threads")
        await pilot.press("b", "b", "b")
        assert screen.page.number == 1  # no page before the first


def test_a_bad_page_is_one_line_and_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["lesson", "--page", "9"])
    assert exit_.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1
