"""``concviz lesson``: the seed's questions in order, each with its live demo."""

from __future__ import annotations

import pytest

from concviz.cli import build_parser, main
from concviz.lesson import PAGES
from concviz.programs import catalogue
from concviz.ui.app import ConcvizApp
from concviz.ui.pane import Pane
from concviz.ui.panes.gallery import GalleryDemoPane
from concviz.ui.screens.lesson import LessonScreen, lesson_demos
from concviz.ui.widgets.program.pane import ProgramPane
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
        assert not pilot.app.query_one("#pc", Pane).running  # the dashboard waits
        await pilot.press("n")
        assert screen.page.number == 4

        def page_demo() -> ProgramPane | None:
            return next(iter(screen.query_one("#lesson-demo").query(ProgramPane)), None)

        # a real run, started by turning to the page (and lasting seconds)
        await until(lambda: (pane := page_demo()) is not None and pane.state.threads,
                    "page 4's program did not start")
        assert page_demo().program.name == "producer-consumer"
        session = page_demo().session
        await pilot.press("b")
        assert screen.page.number == 3
        await until(lambda: session.poll() is not None, "leaving the page did not end it")
        await pilot.press("b", "b", "b")
        assert screen.page.number == 1  # no page before the first


def test_each_page_runs_the_catalogues_programs_for_it():
    """A program's lesson page is its catalogue entry's; the process demos stay on the
    engine (the probe does not follow processes yet)."""
    demos = lesson_demos()
    for number in range(1, 9):
        panes = demos[number]()
        programs = [pane.program.name for pane in panes if isinstance(pane, ProgramPane)]
        assert programs[:1] == [entry.name for entry in catalogue.CATALOGUE.values()
                                if entry.page == number]
        assert all(pane.autostart == (index == 0) for index, pane in enumerate(panes)
                   if isinstance(pane, ProgramPane))
    five, six = demos[5](), demos[6]()
    assert [type(pane) for pane in five] == [ProgramPane, GalleryDemoPane]
    assert five[1].demo_class.name == "mp-counter"
    assert [(pane.program.name, pane.knobs) for pane in six] == [
        ("dead-lock-holder", {}), ("futures", {"FAIL": "7"})]
    assert demos[3]()[0].demo_class.name == "process"


def test_a_bad_page_is_one_line_and_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["lesson", "--page", "9"])
    assert exit_.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1
