"""The dashboard's futures pane: the catalogue's program under the probe, driven by keys
as a teacher would."""

from __future__ import annotations

from concviz.ui.panes.programs import FuturesPane
from tests.helpers import until
from tests.pane_app import PaneApp, wait_ended


def narration(pane: FuturesPane) -> str:
    return pane.narration.text


def states(pane: FuturesPane) -> list[str]:
    return [future.state for future in pane.state.futures.values()]


async def test_x_cancels_the_pending_futures_and_the_screen_says_concviz_did():
    # One worker, and its first task sleeps 100 * random() s, 24 s at seed 3: the nine
    # other futures are pending for as long as the test needs.
    pane = FuturesPane(knobs={"WORKERS": "1", "TASK_SLEEP": "100"}, seed=3)
    async with PaneApp(pane).run_test(size=(80, 40)) as pilot:
        await until(lambda: states(pane).count("pending") == 9 and "running" in states(pane),
                    "the first future did not start")
        await pilot.press("x")
        await until(lambda: states(pane).count("cancelled") == 9, "no future was cancelled")
        await until(lambda: "concviz cancelled every submitted future not yet running"
                    in narration(pane), "the screen does not say concviz cancelled them")
        assert states(pane)[0] == "running"  # cancel() refuses a running future
        await until(lambda: "Factorial of 10 was cancelled before it ran"
                    in pane.output.text, "the program did not see it")
        await pilot.press("k")
        await wait_ended(pilot, pane)
        said: list[str] = []
        pilot.app.notify = lambda message, **kw: said.append(message)
        await pilot.press("x")
        assert said == ["Nothing to cancel: the program is not running (space runs it "
                        "again)."]


async def test_brackets_and_f_set_the_constants_and_run_the_program_anew():
    pane = FuturesPane(speed=10)
    toasts: list[str] = []
    async with PaneApp(pane).run_test(size=(120, 40)) as pilot:
        pilot.app.notify = lambda message, **kw: toasts.append(message)
        await pilot.press("left_square_bracket")  # 10 is the fewest: nothing to do
        assert toasts == [] and pane.knobs == {}
        await pilot.press("right_square_bracket", "f")
        assert toasts == ["Restarted: 100 futures", "Restarted: factorial(70) raises"]
        assert pane.knobs == {"N": "100", "FAIL": "70"}
        assert str(pane.border_title) == "futures · N=100 · FAIL=70"
        await wait_ended(pilot, pane)
        assert "N = 100" in pane.code and "FAIL = 70" in pane.code  # the code that ran
        assert pane.listing.title == "futures.py"  # the copy is shown as the file
        assert len(pane.state.futures) == 100
        assert states(pane).count("failed") == 1 and states(pane).count("done") == 99
        printed = pane.output.text
        assert "Factorial of 70 raised ValueError: factorial(70) failed on purpose" in printed
        await pilot.press("f", "left_square_bracket")
        assert toasts[-2:] == ["Restarted: no failure", "Restarted: 10 futures"]
        assert pane.knobs == {"N": "10", "FAIL": "0"}
        await wait_ended(pilot, pane)
        assert states(pane) == ["done"] * 10


async def test_the_futures_box_comes_first_in_the_pane():
    pane = FuturesPane(speed=10)
    async with PaneApp(pane).run_test(size=(60, 20)) as pilot:
        await wait_ended(pilot, pane)
        futures, threads = pane.query_one(".program-futures"), pane.query_one(
            ".program-threads")
        assert futures.display and futures.region.y < threads.region.y
        assert len(pane.query(".program-futures")) == 1
